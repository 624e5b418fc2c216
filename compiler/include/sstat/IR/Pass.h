//===- Pass.h - Passes over the IR and the pipeline that runs them -*- C++ -*-//
//
// Every pass is one function `bool run<Name>(Module &)` (true if it changed
// the module) in its own file under compiler/lib/Passes/, registered once in
// Passes.def. The pipeline is a straight list (defaultPipeline()); the pass
// manager verifies the module after every pass and can print it after each
// one (--print-after-all), as Halide's Lower.cpp does.
//
//===----------------------------------------------------------------------===//

#ifndef SSTAT_IR_PASS_H
#define SSTAT_IR_PASS_H

#include "sstat/IR/IR.h"

#include "llvm/ADT/ArrayRef.h"

#include <memory>
#include <string>
#include <vector>

namespace sstat::ir {

#define PASS(Name, Fn, Doc) bool Fn(Module &M);
#include "sstat/IR/Passes.def"
#undef PASS

struct PassInfo {
  const char *Name;
  bool (*Run)(Module &);
  const char *Doc;
};

const std::vector<PassInfo> &allPasses();
const PassInfo *findPass(llvm::StringRef Name);

/// The passes sstatc runs, in order.
std::vector<std::string> defaultPipeline();

struct PipelineOptions {
  bool PrintAfterAll = false;
  bool VerifyEach = true;
  llvm::raw_ostream *Log = nullptr; // where --print-after-all writes
};

/// Runs \p Passes in order. On a verifier failure after a pass, returns false
/// with \p Err naming the pass and the problem.
bool runPipeline(Module &M, llvm::ArrayRef<std::string> Passes,
                 const PipelineOptions &Opts, std::string &Err);

/// Checks the module's invariants (operand counts, types, regions,
/// terminators, that every use is dominated by its definition). Returns
/// false with a message in \p Err.
bool verify(const Module &M, std::string &Err);

/// Parses the textual form printed by print(). Returns null with a
/// message "name:line:col: ..." in \p Err.
std::unique_ptr<Module> parseModule(llvm::StringRef Text,
                                    llvm::StringRef BufferName,
                                    std::string &Err);

} // namespace sstat::ir

#endif // SSTAT_IR_PASS_H
