//===- sstat-opt.cpp - Run IR passes on IR text ---------------------------===//
//
//   sstat-opt FILE.ir --passes=cse,dce [--print-after-all] [--verify-each]
//
// Reads the textual IR (as printed by `sstatc check --emit=ir`), runs the
// named passes in order, verifying the module after each, and prints the
// result. This is what the pass tests in tests/lit/passes use: IR in, IR out.
//
//===----------------------------------------------------------------------===//

#include "sstat/IR/Pass.h"

#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include "../common/CommandLine.h"

#include <boost/program_options.hpp>

#include <iostream>

namespace po = boost::program_options;
using namespace sstat::ir;
using namespace llvm;

int main(int argc, char **argv) {
  po::options_description Opts("options");
  Opts.add_options()("help,h", "show this help and exit")(
      "passes", po::value<std::string>()->default_value(""),
      "comma-separated passes to run, in order ('default' for sstatc's "
      "pipeline)")("print-after-all", "print the IR after every pass")(
      "no-verify", "do not verify the IR between passes");
  po::variables_map VM;
  if (std::string Err =
          sstat::tools::parseCommandLine(argc, argv, Opts, "file", VM);
      !Err.empty()) {
    errs() << "sstat-opt: error: " << Err << "\n";
    return 2;
  }
  if (VM.count("help")) {
    std::cout << "usage: sstat-opt FILE [options]\n\n" << Opts << "\npasses:\n";
    for (const PassInfo &P : allPasses())
      std::cout << "  " << P.Name << "  " << P.Doc << "\n";
    return 0;
  }
  if (!VM.count("file")) {
    errs() << "sstat-opt: error: no input file\n";
    return 2;
  }
  std::string File = VM["file"].as<std::string>();
  auto Buf = MemoryBuffer::getFileOrSTDIN(File, /*IsText=*/true);
  if (!Buf) {
    errs() << "sstat-opt: error: cannot open '" << File
           << "': " << Buf.getError().message() << "\n";
    return 2;
  }
  std::string Err;
  std::unique_ptr<Module> M = parseModule((*Buf)->getBuffer(), File, Err);
  if (!M) {
    errs() << Err << "\n";
    return 1;
  }
  std::vector<std::string> Passes;
  StringRef List = VM["passes"].as<std::string>();
  if (List == "default") {
    Passes = defaultPipeline();
  } else {
    SmallVector<StringRef, 8> Parts;
    List.split(Parts, ',', -1, false);
    for (StringRef P : Parts) {
      if (!findPass(P.trim())) {
        errs() << "sstat-opt: error: unknown pass '" << P.trim() << "'\n";
        return 2;
      }
      Passes.push_back(P.trim().str());
    }
  }
  PipelineOptions PO;
  PO.PrintAfterAll = VM.count("print-after-all") > 0;
  PO.VerifyEach = VM.count("no-verify") == 0;
  PO.Log = &outs();
  if (!runPipeline(*M, Passes, PO, Err)) {
    errs() << "sstat-opt: error: " << Err << "\n";
    return 1;
  }
  if (!PO.PrintAfterAll)
    print(*M, outs());
  return 0;
}
