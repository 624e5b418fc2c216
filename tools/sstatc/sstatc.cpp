//===- sstatc.cpp - The sstat compiler driver -----------------------------===//
//
//   sstatc check FILE... [--emit=ast|src|types|disclosures|ir|asm|cost]
//                        [--verify]
//
// Exit status: 0 success, 1 a diagnostic error in the input (or a -verify
// mismatch), 2 a usage error (unknown option, missing file).
//
//===----------------------------------------------------------------------===//

#include "sstat/Bytecode/Emitter.h"
#include "sstat/IR/Cost.h"
#include "sstat/IR/Lower.h"
#include "sstat/IR/Pass.h"
#include "sstat/IR/Range.h"
#include "sstat/Parser.h"
#include "sstat/Sema.h"

#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <boost/program_options.hpp>

#include <algorithm>
#include <array>
#include <iostream>
#include <string>
#include <vector>

namespace po = boost::program_options;
using namespace sstat;
using namespace llvm;

#ifndef SSTAT_VERSION
#define SSTAT_VERSION "0.0.0"
#endif

namespace {

const char *Usage =
    "usage: sstatc <command> [options] FILE...\n"
    "\n"
    "commands:\n"
    "  check     parse and check .sstat files: types, shapes and the\n"
    "            secret/public rules; prints diagnostics\n"
    "  compile   check, lower, optimize and write the bytecode (-o FILE.sbc)\n"
    "\n";

enum class Emit {
  None,
  AST,
  Source,
  Types,
  Disclosures,
  IR,
  Asm,
  Cost,
  Ranges
};

int usageError(const std::string &Msg) {
  errs() << "sstatc: error: " << Msg << "\n";
  return 2;
}

void printTypes(const CheckResult &R, const Program &P, SourceMgr &SM,
                raw_ostream &OS) {
  OS << "# " << P.FileName << "\n";
  if (!R.Parties.empty()) {
    OS << "parties:";
    for (const std::string &Pa : R.Parties)
      OS << " " << Pa;
    OS << "\n";
  }
  for (const InputDecl &I : R.Inputs) {
    OS << "input " << I.Name << " from";
    for (const std::string &Pa : I.Parties)
      OS << " " << Pa;
    if (!I.Key.empty())
      OS << " (key " << I.Key << ")";
    OS << "\n";
  }
  for (const Binding &B : R.Bindings) {
    auto LC = SM.getLineAndColumn(B.Loc);
    OS << P.FileName << ":" << LC.first << ":" << LC.second << ": " << B.Name
       << " : " << B.TypeText << "\n";
  }
}

void printDisclosures(const CheckResult &R, const Program &P, SourceMgr &SM,
                      raw_ostream &OS) {
  OS << "# " << P.FileName << ": " << R.Disclosures.size()
     << (R.Disclosures.size() == 1 ? " disclosure" : " disclosures") << "\n";
  for (const Disclosure &D : R.Disclosures) {
    auto LC = SM.getLineAndColumn(D.Range.Start);
    OS << P.FileName << ":" << LC.first << ":" << LC.second << ": "
       << (D.K == Disclosure::Reveal ? "reveal" : "publish") << " "
       << D.ExprText << "\n";
    OS << "    shape: " << D.Shape << "\n";
    OS << "    type: " << D.TypeText << "\n";
    if (!D.Opened.empty())
      OS << "    opened: " << D.Opened << " (what is printed is computed "
         << "from these)\n";
    OS << "    to: ";
    if (D.Recipients.empty()) {
      OS << "all parties";
    } else {
      for (size_t I = 0; I < D.Recipients.size(); ++I)
        OS << (I ? ", " : "") << D.Recipients[I];
    }
    OS << "\n";
  }
}

/// Where a cost row comes from: a line of the program, or of the inlined
/// standard library (whose locations point into the embedded text).
struct CostKey {
  static constexpr unsigned StdlibBit = 1u << 31, Unknown = ~0u;
};

/// Rows of five columns, each but the last padded to its widest entry plus
/// two spaces (the tables of --emit=cost and --emit=ranges).
void printColumns(const std::vector<std::array<std::string, 5>> &Rows,
                  raw_ostream &OS) {
  size_t W[4] = {0, 0, 0, 0};
  for (const auto &Row : Rows)
    for (unsigned I = 0; I < 4; ++I)
      W[I] = std::max(W[I], Row[I].size());
  for (const auto &Row : Rows) {
    std::string Line;
    for (unsigned I = 0; I < 5; ++I) {
      Line += Row[I];
      if (I < 4)
        Line += std::string(W[I] - Row[I].size() + 2, ' ');
    }
    OS << StringRef(Line).rtrim() << "\n";
  }
}

/// `--emit=ranges`: every value's magnitude bound (Range.h), in program
/// order, with its source position and the rows for which it stays in the
/// ring.
void printRanges(const ir::Module &M, const Program &P, SourceMgr &SM,
                 raw_ostream &OS) {
  ir::RangeAnalysis RA(M);
  OS << "# magnitude bounds in " << P.FileName << " for N rows (the largest "
     << "input table), ring " << M.RingBits << " bits, " << M.FracBits
     << " fractional bits; 'rows' is how many rows keep the value in the "
        "ring\n";
  std::vector<std::array<std::string, 5>> Rows;
  Rows.push_back({"where", "op", "type", "rows", "|value| <="});
  ir::walk(const_cast<ir::Block &>(M.body().block()), [&](ir::Op &O) {
    if (O.numResults() != 1 || O.code() == ir::OpCode::Const)
      return;
    const ir::Value *V = O.result();
    std::string Where = "(no location)";
    if (O.loc().isValid() && SM.FindBufferContainingLoc(O.loc())) {
      auto [Line, Col] = SM.getLineAndColumn(O.loc());
      Where =
          P.FileName + ":" + std::to_string(Line) + ":" + std::to_string(Col);
    } else if (O.loc().isValid()) {
      Where = "stdlib/stats.sstat";
    }
    double N = RA.maxRows(V);
    char Buf[32];
    std::snprintf(Buf, sizeof Buf, "%.0f", N);
    Rows.push_back({Where, O.info().Mnemonic, V->type().str(),
                    N < 0                      ? "-"
                    : N >= std::ldexp(1.0, 62) ? "any"
                                               : Buf,
                    RA.bound(V).str()});
  });
  printColumns(Rows, OS);
}

/// `--emit=cost`: rounds, bytes and multiplications per source line, then
/// the total (rep3, per party, online).
void printCost(const ir::Module &M, const Program &P, SourceMgr &SM,
               unsigned BufferID, raw_ostream &OS) {
  ir::CostReport R = ir::computeCost(M);
  StringRef Std = stdlibSource();
  StringRef Main = SM.getMemoryBuffer(BufferID)->getBuffer();
  auto LineOf = [](StringRef Buf, const char *Ptr) {
    return unsigned(Buf.take_front(size_t(Ptr - Buf.data())).count('\n')) + 1;
  };
  auto KeyOf = [&](SMLoc L) -> unsigned {
    const char *Ptr = L.getPointer();
    if (Ptr && Ptr >= Main.begin() && Ptr <= Main.end())
      return LineOf(Main, Ptr);
    if (Ptr && Ptr >= Std.begin() && Ptr <= Std.end())
      return CostKey::StdlibBit | LineOf(Std, Ptr);
    return CostKey::Unknown;
  };
  auto LineText = [](StringRef Buf, unsigned Line) {
    SmallVector<StringRef, 0> Lines;
    Buf.split(Lines, '\n');
    return Line - 1 < Lines.size() ? Lines[Line - 1].trim() : StringRef();
  };
  std::vector<std::array<std::string, 5>> Rows;
  Rows.push_back({"line", "rounds", "bytes", "mults", "source"});
  for (const auto &[Key, C] : ir::costByKey(R, KeyOf)) {
    std::string Where, Text;
    if (Key == CostKey::Unknown) {
      Where = "(no location)";
    } else if (Key & CostKey::StdlibBit) {
      unsigned Line = Key & ~CostKey::StdlibBit;
      Where = "stdlib/stats.sstat:" + std::to_string(Line);
      Text = LineText(Std, Line).str();
    } else {
      Where = P.FileName + ":" + std::to_string(Key);
      Text = LineText(Main, Key).str();
    }
    Rows.push_back({Where, C.Rounds.str(), C.Bytes.str(), C.Mults.str(), Text});
  }
  Rows.push_back({"total", R.Rounds.str(), R.Bytes.str(), R.Mults.str(), ""});
  OS << "# cost of " << P.FileName << " under rep3, ring " << M.RingBits
     << " bits: rounds, bytes sent per party, interactive multiplications "
        "(online)\n";
  printColumns(Rows, OS);
  // The protocols the program uses, with their cost at this ring size.
  std::vector<const ir::Protocol *> Used;
  for (const ir::OpCost &C : R.Ops)
    if (std::find(Used.begin(), Used.end(), C.Proto) == Used.end())
      Used.push_back(C.Proto);
  if (!Used.empty()) {
    OS << "# per output element (rounds/elements):";
    for (const ir::Protocol *Pr : ir::allProtocols())
      if (std::find(Used.begin(), Used.end(), Pr) == Used.end())
        continue;
      else if (Pr->rounds(M.RingBits) == 0 && Pr->elements(M.RingBits) == 0)
        OS << " " << Pr->Name << " (by operand size)"; // solve, bits
      else
        OS << " " << Pr->Name << " " << Pr->rounds(M.RingBits) << "/"
           << Pr->elements(M.RingBits);
    OS << "\n";
  }
  // What each compute party sends and in how many rounds it receives, as
  // the party VM runs the program (what sstat-party --stats measures).
  ir::PartyCost PC = ir::computePartyCost(M);
  OS << "# per compute party ("
     << (PC.Exact ? "exact"
                  : "with budgets for "
                    "comparisons and kernels")
     << "; compute parties " << PC.Compute[0] << ", " << PC.Compute[1] << ", "
     << PC.Compute[2] << "): bytes sent, rounds\n";
  for (int I = 0; I < 3; ++I)
    OS << "party " << PC.Compute[size_t(I)] << "  " << PC.Bytes[size_t(I)].str()
       << "  " << PC.Rounds[size_t(I)].str() << "\n";
}

bool PrintAfterAll = false;
bool Optimize = true;

/// Warns where a value can leave the ring for a realistic number of rows
/// (Range.h).
static void reportRanges(const ir::Module &M, DiagnosticEngine &Diags) {
  for (const ir::RangeWarning &W : ir::rangeWarnings(M)) {
    if (W.MaxRows == 0)
      Diags.report(W.Loc, diag::warn_ring_overflow_always)
          << (long long)M.RingBits << (long long)M.FracBits << W.Bound;
    else
      Diags.report(W.Loc, diag::warn_ring_overflow)
          << (long long)M.RingBits << (long long)M.FracBits
          << (long long)W.MaxRows << W.Bound;
    Diags.report(W.Loc, diag::note_ring_overflow);
  }
}
LowerOptions LowerOpts;
std::string OutputFile;
bool Compile = false;

/// Writes \p Bytes to \p Path atomically: a temporary file in the same
/// directory, renamed over the target only once complete.
bool writeAtomically(const std::string &Path,
                     const std::vector<uint8_t> &Bytes) {
  StringRef Data(reinterpret_cast<const char *>(Bytes.data()), Bytes.size());
  if (Error E = writeFileAtomically(Path + ".tmp-%%%%%%%%", Path, Data)) {
    errs() << "sstatc: error: cannot write '" << Path
           << "': " << toString(std::move(E)) << "\n";
    return false;
  }
  return true;
}

int runCheck(const std::vector<std::string> &Files, Emit E, bool Verify) {
  bool AnyError = false;
  for (const std::string &F : Files) {
    auto BufOrErr = MemoryBuffer::getFile(F, /*IsText=*/true);
    if (!BufOrErr) {
      errs() << "sstatc: error: cannot open '" << F
             << "': " << BufOrErr.getError().message() << "\n";
      return 2;
    }
    SourceMgr SM;
    unsigned ID = SM.AddNewSourceBuffer(std::move(*BufOrErr), SMLoc());
    DiagnosticEngine Diags(SM);
    Diags.setBuffering(Verify);
    std::unique_ptr<Program> P = parseBuffer(SM, ID, Diags);
    // Check only what parsed: a syntax error would give spurious type errors.
    bool Parsed = Diags.getNumErrors() == 0;
    CheckResult R;
    if (Parsed && E != Emit::AST && E != Emit::Source)
      R = checkProgram(*P, Diags);
    if (Verify) {
      if (!Diags.verify(errs()))
        AnyError = true;
      continue;
    }
    if (Diags.getNumErrors() > 0) {
      AnyError = true;
      errs() << Diags.getNumErrors()
             << (Diags.getNumErrors() == 1 ? " error" : " errors")
             << " generated.\n";
      continue;
    }
    switch (E) {
    case Emit::None:
      break;
    case Emit::AST:
      outs() << dumpTree(*P, &SM);
      break;
    case Emit::Source:
      outs() << printSource(*P);
      break;
    case Emit::Types:
      printTypes(R, *P, SM, outs());
      break;
    case Emit::Disclosures:
      printDisclosures(R, *P, SM, outs());
      break;
    case Emit::IR:
    case Emit::Asm:
    case Emit::Cost:
    case Emit::Ranges: {
      std::unique_ptr<ir::Module> M = lowerProgram(*P, R, Diags, LowerOpts);
      if (!M) {
        AnyError = true;
        errs() << Diags.getNumErrors()
               << (Diags.getNumErrors() == 1 ? " error" : " errors")
               << " generated.\n";
        break;
      }
      std::string Err;
      ir::PipelineOptions PO;
      PO.PrintAfterAll = PrintAfterAll && E == Emit::IR;
      PO.Log = &outs();
      std::vector<std::string> Passes;
      if (Optimize)
        Passes = ir::defaultPipeline();
      else if (E != Emit::IR)
        Passes = {"inline"}; // the backends and the cost model need it
      if (PO.PrintAfterAll) {
        outs() << "// -----// IR after lowering //----- //\n";
        ir::print(*M, outs());
      }
      if (!ir::runPipeline(*M, Passes, PO, Err)) {
        errs() << "sstatc: internal error: " << Err << "\n";
        return 3;
      }
      if (M->Functions.empty())
        reportRanges(*M, Diags);
      if (E == Emit::IR) {
        if (!PO.PrintAfterAll)
          ir::print(*M, outs());
        break;
      }
      if (E == Emit::Cost) {
        printCost(*M, *P, SM, ID, outs());
        break;
      }
      if (E == Emit::Ranges) {
        printRanges(*M, *P, SM, outs());
        break;
      }
      auto Prog = emitBytecode(*M, &SM);
      if (!Prog) {
        errs() << "sstatc: internal error: " << toString(Prog.takeError())
               << "\n";
        return 3;
      }
      if (Compile) {
        std::vector<uint8_t> Bytes = bc::serialize(*Prog);
        if (!writeAtomically(OutputFile, Bytes))
          return 2;
        auto H = bc::programHash(Bytes);
        if (!H) {
          errs() << "sstatc: internal error: " << toString(H.takeError())
                 << "\n";
          return 3;
        }
        errs() << "sstatc: wrote " << OutputFile << " (" << Bytes.size()
               << " bytes, " << Prog->Code.size() << " instructions, sha256 "
               << bc::hexDigest(*H) << ")\n";
      } else {
        outs() << bc::disassemble(*Prog, SM.getMemoryBuffer(ID)->getBuffer());
      }
      break;
    }
    }
  }
  return AnyError ? 1 : 0;
}

} // namespace

int main(int argc, char **argv) {
  po::options_description Opts("options");
  Opts.add_options()("help,h", "show this help and exit")(
      "version", "show the version and exit")(
      "emit", po::value<std::string>(),
      "what to print: ast (the syntax tree), src (the program printed back "
      "as source), types (the checker's inferred types), disclosures (every "
      "point where a secret becomes public), ir (the SSA intermediate "
      "representation), asm (the bytecode, with source lines), cost (rounds, "
      "bytes and multiplications per source line under rep3), ranges (every "
      "value's magnitude bound from the schema, and the rows for which it "
      "stays in the ring)")("output,o", po::value<std::string>(),
                            "compile: the .sbc file to write")(
      "ring", po::value<unsigned>()->default_value(128),
      "the ring Z_2^k of the secure computation: 64 or 128")(
      "frac", po::value<unsigned>()->default_value(40),
      "fractional bits of fixed-point numbers")(
      "verify", "check diagnostics against `# expected-error {{...}}` "
                "comments in the source instead of printing them")(
      "print-after-all", "with --emit=ir: print the IR after lowering and "
                         "after every pass")(
      "O0", "with --emit=ir, asm or cost: run no optimization pass (asm and "
            "cost still inline calls)");
  po::options_description Hidden;
  Hidden.add_options()("command", po::value<std::string>())(
      "files", po::value<std::vector<std::string>>());
  po::options_description All;
  All.add(Opts).add(Hidden);
  po::positional_options_description Pos;
  Pos.add("command", 1).add("files", -1);

  po::variables_map VM;
  try {
    po::store(
        po::command_line_parser(argc, argv).options(All).positional(Pos).run(),
        VM);
    po::notify(VM);
  } catch (const po::error &Ex) {
    return usageError(Ex.what());
  }

  if (VM.count("help")) {
    std::cout << Usage << Opts << "\n";
    return 0;
  }
  if (VM.count("version")) {
    std::cout << "sstatc " << SSTAT_VERSION << "\n";
    return 0;
  }
  if (!VM.count("command"))
    return usageError("no command given (try 'sstatc --help')");
  std::string Cmd = VM["command"].as<std::string>();
  if (Cmd != "check" && Cmd != "compile")
    return usageError("unknown command '" + Cmd + "' (try 'sstatc --help')");
  Compile = Cmd == "compile";
  if (!VM.count("files"))
    return usageError("no input files");

  Emit E = Emit::None;
  if (VM.count("emit")) {
    std::string S = VM["emit"].as<std::string>();
    if (S == "ast")
      E = Emit::AST;
    else if (S == "src")
      E = Emit::Source;
    else if (S == "types")
      E = Emit::Types;
    else if (S == "disclosures")
      E = Emit::Disclosures;
    else if (S == "ir")
      E = Emit::IR;
    else if (S == "asm")
      E = Emit::Asm;
    else if (S == "cost")
      E = Emit::Cost;
    else if (S == "ranges")
      E = Emit::Ranges;
    else
      return usageError(
          "unknown --emit kind '" + S +
          "' (expected ast, src, types, disclosures, ir, asm, cost or "
          "ranges)");
  }
  if (Compile) {
    if (!VM.count("output"))
      return usageError("compile needs -o FILE.sbc");
    if (VM.count("emit"))
      return usageError(
          "compile writes bytecode; use 'check --emit=...' to print");
    if (VM["files"].as<std::vector<std::string>>().size() != 1)
      return usageError("compile takes exactly one .sstat file");
    OutputFile = VM["output"].as<std::string>();
    E = Emit::Asm;
  }
  LowerOpts.RingBits = VM["ring"].as<unsigned>();
  LowerOpts.FracBits = VM["frac"].as<unsigned>();
  if (LowerOpts.RingBits != 64 && LowerOpts.RingBits != 128)
    return usageError("--ring must be 64 or 128");
  if (LowerOpts.FracBits < 1 || 2 * LowerOpts.FracBits >= LowerOpts.RingBits)
    return usageError("--frac must be between 1 and " +
                      std::to_string(LowerOpts.RingBits / 2 - 1) + " for Z_2^" +
                      std::to_string(LowerOpts.RingBits));
  PrintAfterAll = VM.count("print-after-all") > 0;
  Optimize = VM.count("O0") == 0;
  return runCheck(VM["files"].as<std::vector<std::string>>(), E,
                  VM.count("verify") > 0);
}
