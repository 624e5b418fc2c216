//===- PassManager.cpp - The pass registry and the pipeline ---------------===//

#include "sstat/IR/Pass.h"

#include "llvm/Support/raw_ostream.h"

using namespace sstat::ir;
using namespace llvm;

const std::vector<PassInfo> &sstat::ir::allPasses() {
  static const std::vector<PassInfo> Passes = {
#define PASS(Name, Fn, Doc) {Name, Fn, Doc},
#include "sstat/IR/Passes.def"
#undef PASS
  };
  return Passes;
}

const PassInfo *sstat::ir::findPass(StringRef Name) {
  for (const PassInfo &P : allPasses())
    if (Name == P.Name)
      return &P;
  return nullptr;
}

std::vector<std::string> sstat::ir::defaultPipeline() {
  // Read top to bottom: each pass sees the output of the one before.
  return {"inline",     "constfold", "cse", "algsimp",   "licm",    "cse",
          "truncdefer", "dotfuse",   "dce", "truncmode", "schedule"};
}

bool sstat::ir::runPipeline(Module &M, ArrayRef<std::string> Passes,
                            const PipelineOptions &Opts, std::string &Err) {
  if (Opts.VerifyEach && !verify(M, Err)) {
    Err = "invalid IR before the first pass: " + Err;
    return false;
  }
  for (const std::string &Name : Passes) {
    const PassInfo *P = findPass(Name);
    if (!P) {
      Err = "unknown pass '" + Name + "'";
      return false;
    }
    P->Run(M);
    if (Opts.PrintAfterAll && Opts.Log) {
      *Opts.Log << "// -----// IR after " << Name << " //----- //\n";
      print(M, *Opts.Log);
    }
    if (Opts.VerifyEach && !verify(M, Err)) {
      Err = "invalid IR after pass '" + Name + "': " + Err;
      return false;
    }
  }
  return true;
}
