//===- Diagnostics.h - clang-style diagnostics over SourceMgr ---*- C++ -*-===//
//
// A DiagnosticEngine formats diagnostics declared in Diagnostics.def and
// either prints them at once (file:line:col: error: message, the source line
// and a caret under the range, as llvm::SourceMgr does) or keeps them for the
// -verify mode, which compares them against `# expected-error {{...}}`
// comments in the source. Identical diagnostics at the same place are
// reported once (the checker may visit a loop body several times).
//
//===----------------------------------------------------------------------===//

#ifndef SSTAT_DIAGNOSTICS_H
#define SSTAT_DIAGNOSTICS_H

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/SMLoc.h"
#include "llvm/Support/SourceMgr.h"

#include <set>
#include <string>
#include <utility>
#include <vector>

namespace llvm {
class raw_ostream;
}

namespace sstat {

namespace diag {
enum ID : unsigned {
#define DIAG(Id, Severity, Format) Id,
#include "sstat/Diagnostics.def"
#undef DIAG
  NumDiagnostics
};
} // namespace diag

enum class Severity { Error, Warning, Note };

/// A formatted diagnostic, as kept by the engine.
struct Diagnostic {
  diag::ID Id;
  Severity Sev;
  llvm::SMLoc Loc;
  llvm::SmallVector<llvm::SMRange, 2> Ranges;
  std::string Message;
};

class DiagnosticEngine;

/// Collects the arguments of one diagnostic; emits it when destroyed.
class DiagBuilder {
public:
  DiagBuilder(DiagnosticEngine &E, diag::ID Id, llvm::SMLoc Loc)
      : Engine(&E), Id(Id), Loc(Loc) {}
  DiagBuilder(DiagBuilder &&O) noexcept
      : Engine(O.Engine), Id(O.Id), Loc(O.Loc), Args(std::move(O.Args)),
        Ranges(std::move(O.Ranges)) {
    O.Engine = nullptr;
  }
  DiagBuilder(const DiagBuilder &) = delete;
  ~DiagBuilder();

  DiagBuilder &operator<<(llvm::StringRef S) {
    Args.push_back(S.str());
    return *this;
  }
  DiagBuilder &operator<<(const char *S) { return *this << llvm::StringRef(S); }
  DiagBuilder &operator<<(const std::string &S) {
    return *this << llvm::StringRef(S);
  }
  DiagBuilder &operator<<(long long V) {
    Args.push_back(std::to_string(V));
    return *this;
  }
  DiagBuilder &operator<<(llvm::SMRange R) {
    if (R.isValid())
      Ranges.push_back(R);
    return *this;
  }

private:
  DiagnosticEngine *Engine;
  diag::ID Id;
  llvm::SMLoc Loc;
  std::vector<std::string> Args;
  llvm::SmallVector<llvm::SMRange, 2> Ranges;
};

class DiagnosticEngine {
public:
  explicit DiagnosticEngine(llvm::SourceMgr &SM) : SM(SM) {}

  /// Start a diagnostic at \p Loc; stream arguments and ranges into it.
  DiagBuilder report(llvm::SMLoc Loc, diag::ID Id) {
    return DiagBuilder(*this, Id, Loc);
  }
  /// Convenience: a diagnostic whose location and underline is \p R.
  DiagBuilder report(llvm::SMRange R, diag::ID Id) {
    DiagBuilder B(*this, Id, R.Start);
    B << R;
    return B;
  }

  /// Keep diagnostics instead of printing them (for -verify).
  void setBuffering(bool B) { Buffering = B; }
  /// Suppress all diagnostics (used while the checker iterates a loop body
  /// to its fixpoint); suppressed diagnostics are not counted.
  void setSuppressed(bool S) { Suppressed = S; }
  bool isSuppressed() const { return Suppressed; }

  unsigned getNumErrors() const { return NumErrors; }
  unsigned getNumWarnings() const { return NumWarnings; }
  const std::vector<Diagnostic> &getBuffered() const { return Buffered; }
  llvm::SourceMgr &getSourceMgr() { return SM; }

  /// Checks the buffered diagnostics against the expected-* comments of
  /// every buffer; prints mismatches to \p OS. Returns true if all match.
  bool verify(llvm::raw_ostream &OS) const;

  static Severity getSeverity(diag::ID Id);
  static llvm::StringRef getFormat(diag::ID Id);
  static llvm::StringRef getName(diag::ID Id);
  static std::string format(llvm::StringRef Fmt,
                            const std::vector<std::string> &Args);

private:
  friend class DiagBuilder;
  void emit(Diagnostic D);

  llvm::SourceMgr &SM;
  bool Buffering = false;
  bool Suppressed = false;
  bool LastWasDropped = false;
  unsigned NumErrors = 0, NumWarnings = 0;
  std::vector<Diagnostic> Buffered;
  std::set<std::pair<const char *, std::string>> Seen;
};

} // namespace sstat

#endif // SSTAT_DIAGNOSTICS_H
