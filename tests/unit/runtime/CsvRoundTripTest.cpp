//===- CsvRoundTripTest.cpp - Written with %.17g, read back exactly -------===//
//
// A property test: 10,000 generated rows (random bit patterns as doubles, so
// subnormals, huge and tiny magnitudes and -0 all occur; int64 extremes;
// booleans, factor levels and keys that need quoting) are written to a file
// the way R and printf write them and loaded back; every value must come back
// bit-identical. The generator is seeded, so a failure reproduces.
//
//===----------------------------------------------------------------------===//

#include "CsvTestUtil.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

#include <bit>
#include <cfloat>
#include <cmath>
#include <cstdio>
#include <random>

using namespace sstat::runtime;
using namespace sstat::runtime::test;

namespace {

std::string format17g(double V) {
  char Buf[64];
  std::snprintf(Buf, sizeof(Buf), "%.17g", V);
  return Buf;
}

TEST(CsvRoundTrip, TenThousandRowsBitIdentical) {
  constexpr size_t Rows = 10000;
  std::mt19937_64 Rng(20240601);
  std::uniform_real_distribution<double> Uniform(-1000, 1000);
  const std::vector<std::string> Levels = {"low", "mid, comma", "\"quoted\""};

  std::vector<double> Bits, Plain;
  std::vector<int64_t> Ints;
  std::vector<uint8_t> Bools;
  std::vector<int32_t> Codes;
  std::vector<std::string> Keys;
  std::string Csv = "key,bits,plain,int,flag,level\n";
  for (size_t R = 0; R < Rows; ++R) {
    double B;
    do
      B = std::bit_cast<double>(Rng());
    while (!std::isfinite(B));
    if (R < 4) // make sure the edges occur
      B = std::array<double, 4>{DBL_MAX, -DBL_TRUE_MIN, -0.0, DBL_MIN}[R];
    double P = Uniform(Rng);
    int64_t I = R == 0   ? INT64_MIN
                : R == 1 ? INT64_MAX
                         : static_cast<int64_t>(Rng());
    uint8_t F = Rng() & 1;
    int32_t C = static_cast<int32_t>(Rng() % Levels.size());
    std::string K = "k" + std::to_string(Rng() % 1000000) + ",\"" +
                    std::to_string(R) + "\"";
    Bits.push_back(B);
    Plain.push_back(P);
    Ints.push_back(I);
    Bools.push_back(F);
    Codes.push_back(C);
    Keys.push_back(K);

    auto Quote = [](const std::string &S) {
      std::string Q = "\"";
      for (char Ch : S)
        Q += Ch == '"' ? std::string("\"\"") : std::string(1, Ch);
      return Q + "\"";
    };
    Csv += Quote(K) + "," + format17g(B) + "," + format17g(P) + "," +
           std::to_string(I) + "," + (F ? "TRUE" : "FALSE") + "," +
           Quote(Levels[C]) + (R % 2 ? "\r\n" : "\n");
  }

  llvm::SmallString<128> Path;
  int FD;
  ASSERT_FALSE(
      llvm::sys::fs::createTemporaryFile("sstat-roundtrip", "csv", FD, Path));
  {
    llvm::raw_fd_ostream OS(FD, /*shouldClose=*/true);
    OS << Csv;
  }
  TableSchema S{{num("bits", -DBL_MAX, DBL_MAX), num("plain", -1000, 1000),
                 integer("int", -9.3e18, 9.3e18), boolean("flag"),
                 factor("level", Levels), key("key")}};
  llvm::Expected<LoadedTable> T = loadCsv(Path, S);
  llvm::sys::fs::remove(Path);
  ASSERT_TRUE(bool(T)) << llvm::toString(T.takeError());
  ASSERT_EQ(T->Rows, Rows);
  for (size_t R = 0; R < Rows; ++R) {
    ASSERT_EQ(std::bit_cast<uint64_t>(T->Columns[0].Num[R]),
              std::bit_cast<uint64_t>(Bits[R]))
        << "row " << R << ": " << format17g(Bits[R]);
    ASSERT_EQ(std::bit_cast<uint64_t>(T->Columns[1].Num[R]),
              std::bit_cast<uint64_t>(Plain[R]))
        << "row " << R;
  }
  EXPECT_EQ(T->Columns[2].Int, Ints);
  EXPECT_EQ(T->Columns[3].Bool, Bools);
  EXPECT_EQ(T->Columns[4].Code, Codes);
  EXPECT_EQ(T->Columns[5].Key, Keys);
  for (const LoadedColumn &C : T->Columns)
    EXPECT_EQ(countMissing(C), 0u);
}

} // namespace
