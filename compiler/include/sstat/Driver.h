//===- Driver.h - Source to bytecode in one call ----------------*- C++ -*-===//
//
// The whole compiler as a library call: parse, check, lower with the
// standard library, run the default pass pipeline and emit bytecode. Used by
// tools that accept a .sstat file where a .sbc is expected (sstat-run
// --local) and by tests. Diagnostics go to stderr in the usual clang style.
//
//===----------------------------------------------------------------------===//

#ifndef SSTAT_DRIVER_H
#define SSTAT_DRIVER_H

#include "sstat/Bytecode/Bytecode.h"

#include "llvm/Support/Error.h"

#include <string>

namespace sstat {

struct CompileOptions {
  unsigned RingBits = 128;
  unsigned FracBits = 40;
};

/// Compiles the source \p Text (named \p Name in diagnostics). On a
/// diagnosed error, the diagnostics are printed to stderr and the returned
/// error says how many there were.
llvm::Expected<bc::Program> compileSource(llvm::StringRef Text,
                                          llvm::StringRef Name,
                                          const CompileOptions &Opts);

/// Reads and compiles the file at \p Path.
llvm::Expected<bc::Program> compileFile(const std::string &Path,
                                        const CompileOptions &Opts);

} // namespace sstat

#endif // SSTAT_DRIVER_H
