//===- sstatc.cpp - The sstat compiler driver -----------------------------===//
//
//   sstatc check FILE... [--emit=ast|src|types|disclosures] [--verify]
//
// Exit status: 0 success, 1 a diagnostic error in the input (or a -verify
// mismatch), 2 a usage error (unknown option, missing file).
//
//===----------------------------------------------------------------------===//

#include "sstat/Bytecode/Emitter.h"
#include "sstat/IR/Lower.h"
#include "sstat/IR/Pass.h"
#include "sstat/Parser.h"
#include "sstat/Sema.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <boost/program_options.hpp>

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

enum class Emit { None, AST, Source, Types, Disclosures, IR, Asm };

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

bool PrintAfterAll = false;
bool Optimize = true;
LowerOptions LowerOpts;
std::string OutputFile;
bool Compile = false;

/// Writes \p Bytes to \p Path atomically: a temporary file in the same
/// directory, renamed over the target only once complete.
bool writeAtomically(const std::string &Path, const std::vector<uint8_t> &Bytes) {
  SmallString<256> Tmp;
  int FD = -1;
  SmallString<256> Model(Path);
  Model += ".tmp-%%%%%%%%";
  if (std::error_code EC = sys::fs::createUniqueFile(Model, FD, Tmp)) {
    errs() << "sstatc: error: cannot write '" << Path << "': " << EC.message() << "\n";
    return false;
  }
  {
    raw_fd_ostream OS(FD, /*shouldClose=*/true);
    OS.write(reinterpret_cast<const char *>(Bytes.data()), Bytes.size());
    OS.close();
    if (OS.has_error()) {
      errs() << "sstatc: error: cannot write '" << Path << "': " << OS.error().message() << "\n";
      OS.clear_error();
      sys::fs::remove(Tmp);
      return false;
    }
  }
  if (std::error_code EC = sys::fs::rename(Tmp, Path)) {
    errs() << "sstatc: error: cannot write '" << Path << "': " << EC.message() << "\n";
    sys::fs::remove(Tmp);
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
    case Emit::Asm: {
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
      if (PO.PrintAfterAll) {
        outs() << "// -----// IR after lowering //----- //\n";
        ir::print(*M, outs());
      }
      if (!ir::runPipeline(*M, Passes, PO, Err)) {
        errs() << "sstatc: internal error: " << Err << "\n";
        return 3;
      }
      if (E == Emit::IR) {
        if (!PO.PrintAfterAll)
          ir::print(*M, outs());
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
          errs() << "sstatc: internal error: " << toString(H.takeError()) << "\n";
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
      "representation), asm (the bytecode, with source lines)")(
      "output,o", po::value<std::string>(), "compile: the .sbc file to write")(
      "ring", po::value<unsigned>()->default_value(64),
      "the ring Z_2^k of the secure computation: 64 or 128")(
      "frac", po::value<unsigned>()->default_value(16),
      "fractional bits of fixed-point numbers")(
      "verify", "check diagnostics against `# expected-error {{...}}` "
                "comments in the source instead of printing them")(
      "print-after-all", "with --emit=ir: print the IR after lowering and "
                         "after every pass")(
      "O0", "with --emit=ir: run no optimization pass");
  po::options_description Hidden;
  Hidden.add_options()("command", po::value<std::string>())(
      "files", po::value<std::vector<std::string>>());
  po::options_description All;
  All.add(Opts).add(Hidden);
  po::positional_options_description Pos;
  Pos.add("command", 1).add("files", -1);

  po::variables_map VM;
  try {
    po::store(po::command_line_parser(argc, argv)
                  .options(All)
                  .positional(Pos)
                  .run(),
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
    else
      return usageError("unknown --emit kind '" + S +
                        "' (expected ast, src, types, disclosures, ir or asm)");
  }
  if (Compile) {
    if (!VM.count("output"))
      return usageError("compile needs -o FILE.sbc");
    if (VM.count("emit"))
      return usageError("compile writes bytecode; use 'check --emit=...' to print");
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
                      std::to_string(LowerOpts.RingBits / 2 - 1) +
                      " for Z_2^" + std::to_string(LowerOpts.RingBits));
  PrintAfterAll = VM.count("print-after-all") > 0;
  Optimize = VM.count("O0") == 0;
  return runCheck(VM["files"].as<std::vector<std::string>>(), E,
                  VM.count("verify") > 0);
}
