//===- csv_bench.cpp - How fast the CSV loader reads a big table ----------===//
//
// Generates a numeric CSV (by default 1,000,000 rows x 10 columns, values
// drawn from a seeded std::mt19937_64 and written in the shortest form that
// reads back exactly, as R writes them) in a fresh temporary directory,
// loads it against a schema with a range per column a few times, on one
// thread and then on one per core, and prints the best time and rows/s of
// each. The file is deleted afterwards.
//
//   csv_bench [rows] [repetitions]
//
//===----------------------------------------------------------------------===//

#include "sstat/runtime/Csv.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <random>
#include <string>
#include <thread>

using namespace sstat::runtime;

int main(int Argc, char **Argv) {
  const size_t Rows = Argc > 1 ? std::strtoull(Argv[1], nullptr, 10) : 1000000;
  const int Reps = Argc > 2 ? std::atoi(Argv[2]) : 5;
  constexpr int Cols = 10;

  llvm::SmallString<128> Dir;
  if (std::error_code EC =
          llvm::sys::fs::createUniqueDirectory("sstat-csv-bench", Dir)) {
    llvm::errs() << "cannot create a temporary directory: " << EC.message()
                 << "\n";
    return 1;
  }
  llvm::SmallString<128> Path(Dir);
  llvm::sys::path::append(Path, "bench.csv");

  TableSchema S;
  std::mt19937_64 Rng(42);
  std::string Text;
  for (int C = 0; C < Cols; ++C) {
    ColumnSchema Col;
    Col.Name = "x" + std::to_string(C);
    Col.Kind = ColumnKind::Num;
    Col.Lo = -1000.0 * (C + 1);
    Col.Hi = 1000.0 * (C + 1);
    S.Columns.push_back(Col);
    Text += (C ? "," : "") + Col.Name;
  }
  Text += "\n";
  {
    std::error_code EC;
    llvm::raw_fd_ostream OS(Path, EC);
    if (EC) {
      llvm::errs() << "cannot write " << Path << ": " << EC.message() << "\n";
      return 1;
    }
    std::uniform_real_distribution<double> U(-1.0, 1.0);
    char Buf[64];
    for (size_t R = 0; R < Rows; ++R) {
      for (int C = 0; C < Cols; ++C) {
        // Mix short values (R's typical 2.5, 120) with full-precision ones.
        double V = U(Rng) * 1000.0 * (C + 1);
        if (C % 2 == 0)
          V = std::round(V * 100) / 100;
        auto Res = std::to_chars(Buf, Buf + sizeof(Buf), V);
        Text.append(Buf, Res.ptr);
        Text += C + 1 < Cols ? ',' : '\n';
      }
      if (Text.size() > (1 << 20)) {
        OS << Text;
        Text.clear();
      }
    }
    OS << Text;
  }
  uint64_t Bytes = 0;
  llvm::sys::fs::file_size(Path, Bytes);

  // One thread, then the default (one per core).
  for (unsigned Threads : {1u, 0u}) {
    CsvOptions O;
    O.Threads = Threads;
    double Best = 1e30;
    size_t Loaded = 0;
    for (int I = 0; I < Reps; ++I) {
      auto T0 = std::chrono::steady_clock::now();
      llvm::Expected<LoadedTable> T = loadCsv(Path, S, O);
      auto T1 = std::chrono::steady_clock::now();
      if (!T) {
        llvm::errs() << llvm::toString(T.takeError()) << "\n";
        return 1;
      }
      Loaded = T->Rows;
      Best = std::min(Best, std::chrono::duration<double>(T1 - T0).count());
    }
    llvm::outs() << "csv_bench: " << Loaded << " rows x " << Cols
                 << " numeric columns, " << llvm::format("%.1f", Bytes / 1e6)
                 << " MB, threads "
                 << (Threads ? std::to_string(Threads)
                             : "auto (" +
                                   std::to_string(
                                       std::thread::hardware_concurrency()) +
                                   " cores)")
                 << ": best of " << Reps << " " << llvm::format("%.3f", Best)
                 << " s, " << llvm::format("%.0f", Loaded / Best) << " rows/s, "
                 << llvm::format("%.0f", Bytes / 1e6 / Best) << " MB/s\n";
  }
  llvm::sys::fs::remove(Path);
  llvm::sys::fs::remove(Dir);
  return 0;
}
