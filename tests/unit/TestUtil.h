//===- TestUtil.h - Parsing and checking strings in unit tests --*- C++ -*-===//

#ifndef SSTAT_TESTS_UNIT_TESTUTIL_H
#define SSTAT_TESTS_UNIT_TESTUTIL_H

#include "sstat/Parser.h"
#include "sstat/Sema.h"

#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"

#include <memory>
#include <string>

namespace sstat::test {

/// A parsed (and optionally checked) source string, with its diagnostics
/// kept instead of printed.
struct Compiled {
  llvm::SourceMgr SM;
  DiagnosticEngine Diags{SM};
  std::unique_ptr<Program> Prog;
  CheckResult Result;

  explicit Compiled(const std::string &Source, bool Check = true,
                    const std::string &Name = "test.sstat") {
    Diags.setBuffering(true);
    unsigned ID = SM.AddNewSourceBuffer(
        llvm::MemoryBuffer::getMemBufferCopy(Source, Name), llvm::SMLoc());
    Prog = parseBuffer(SM, ID, Diags);
    if (Check && Diags.getNumErrors() == 0)
      Result = checkProgram(*Prog, Diags);
  }

  unsigned errors() const { return Diags.getNumErrors(); }

  /// The messages of all errors, joined by newlines.
  std::string errorText() const {
    std::string S;
    for (const Diagnostic &D : Diags.getBuffered())
      if (D.Sev == Severity::Error)
        S += D.Message + "\n";
    return S;
  }

  /// The type --emit=types shows for global \p Name, or "" if none.
  std::string typeOf(const std::string &Name) const {
    for (const Binding &B : Result.Bindings)
      if (B.Name == Name)
        return B.TypeText;
    return "";
  }
};

} // namespace sstat::test

#endif
