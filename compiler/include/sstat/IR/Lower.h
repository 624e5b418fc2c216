//===- Lower.h - From the checked AST to the IR -----------------*- C++ -*-===//
//
// Lowering runs after the checker accepted the program. It inlines user
// functions and the standard library (stdlib/*.sstat, compiled into the
// compiler), folds what is known at compile time (public constants, `if`
// on a constant, string comparisons of options such as use = "..."), turns
// variables into SSA values, and builds structured `for` / `if` ops whose
// loop-carried and branch-joined values are block arguments and results.
//
// Constructs the backends cannot run yet are reported as errors naming the
// construct ("... is not supported by the compiler yet"), never silently
// dropped.
//
//===----------------------------------------------------------------------===//

#ifndef SSTAT_IR_LOWER_H
#define SSTAT_IR_LOWER_H

#include "sstat/AST.h"
#include "sstat/Diagnostics.h"
#include "sstat/IR/IR.h"
#include "sstat/Sema.h"

#include <memory>

namespace sstat {

struct LowerOptions {
  unsigned RingBits = 64;
  unsigned FracBits = 16;
};

/// Lowers a checked program. Returns null (with diagnostics) on failure.
std::unique_ptr<ir::Module> lowerProgram(const Program &P,
                                         const CheckResult &Checked,
                                         DiagnosticEngine &Diags,
                                         const LowerOptions &Opts = {});

/// The standard library's source, as compiled into the compiler.
llvm::StringRef stdlibSource();

} // namespace sstat

#endif // SSTAT_IR_LOWER_H
