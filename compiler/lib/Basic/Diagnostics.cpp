//===- Diagnostics.cpp - Formatting, printing and -verify -----------------===//
//
// Printing goes through llvm::SourceMgr::PrintMessage, which gives the
// clang layout: `file:line:col: error: message`, the line, and a caret with
// the ranges underlined. The -verify mode follows clang's: expectations are
// written in comments next to the code they are about,
//
//   if (x > 0) y <- 1   # expected-error {{condition of 'if' depends on a secret value}}
//   # expected-note@+1 {{...}}      (the diagnostic is on the next line)
//
// and every diagnostic must be expected and every expectation seen.
//
//===----------------------------------------------------------------------===//

#include "sstat/Diagnostics.h"

#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

using namespace sstat;
using namespace llvm;

namespace {
struct DiagInfo {
  const char *Name;
  Severity Sev;
  const char *Format;
};
const DiagInfo Infos[] = {
#define DIAG(Id, Sev, Format) {#Id, Severity::Sev, Format},
#include "sstat/Diagnostics.def"
#undef DIAG
};
} // namespace

Severity DiagnosticEngine::getSeverity(diag::ID Id) { return Infos[Id].Sev; }
StringRef DiagnosticEngine::getFormat(diag::ID Id) { return Infos[Id].Format; }
StringRef DiagnosticEngine::getName(diag::ID Id) { return Infos[Id].Name; }

std::string DiagnosticEngine::format(StringRef Fmt,
                                     const std::vector<std::string> &Args) {
  std::string Out;
  for (size_t I = 0; I < Fmt.size(); ++I) {
    char C = Fmt[I];
    if (C == '%' && I + 1 < Fmt.size()) {
      char N = Fmt[I + 1];
      if (N == '%') {
        Out += '%';
        ++I;
        continue;
      }
      if (N >= '0' && N <= '9') {
        unsigned Idx = N - '0';
        Out += Idx < Args.size() ? Args[Idx] : std::string("<?>");
        ++I;
        continue;
      }
    }
    Out += C;
  }
  return Out;
}

DiagBuilder::~DiagBuilder() {
  if (!Engine)
    return;
  Diagnostic D;
  D.Id = Id;
  D.Sev = DiagnosticEngine::getSeverity(Id);
  D.Loc = Loc;
  D.Ranges = Ranges;
  D.Message = DiagnosticEngine::format(DiagnosticEngine::getFormat(Id), Args);
  Engine->emit(std::move(D));
}

void DiagnosticEngine::emit(Diagnostic D) {
  if (Suppressed)
    return;
  if (D.Sev == Severity::Note) {
    if (LastWasDropped)
      return;
  } else {
    LastWasDropped = !Seen.insert({D.Loc.getPointer(), D.Message}).second;
    if (LastWasDropped)
      return;
    if (D.Sev == Severity::Error)
      ++NumErrors;
    else
      ++NumWarnings;
  }
  if (Buffering) {
    Buffered.push_back(std::move(D));
    return;
  }
  SourceMgr::DiagKind K = D.Sev == Severity::Error     ? SourceMgr::DK_Error
                          : D.Sev == Severity::Warning ? SourceMgr::DK_Warning
                                                       : SourceMgr::DK_Note;
  // A location outside every buffer (internal code) prints without one.
  if (D.Loc.isValid() && SM.FindBufferContainingLoc(D.Loc))
    SM.PrintMessage(errs(), D.Loc, K, D.Message, D.Ranges);
  else
    SM.PrintMessage(errs(), SMLoc(), K, D.Message);
}

//===----------------------------------------------------------------------===//
// -verify
//===----------------------------------------------------------------------===//

namespace {
struct Expectation {
  Severity Sev;
  unsigned BufferID;
  unsigned Line;
  std::string Text;
  unsigned DirectiveLine;
  bool Seen = false;
};

/// Finds `expected-KIND[@[+-]N] {{text}}` directives in one buffer.
void collectExpectations(const SourceMgr &SM, unsigned BufID,
                         std::vector<Expectation> &Out, raw_ostream &Errs,
                         bool &Ok) {
  StringRef Buf = SM.getMemoryBuffer(BufID)->getBuffer();
  unsigned LineNo = 0;
  while (!Buf.empty()) {
    ++LineNo;
    auto [Line, Rest] = Buf.split('\n');
    Buf = Rest;
    size_t Pos = 0;
    while ((Pos = Line.find("expected-", Pos)) != StringRef::npos) {
      StringRef Tail = Line.substr(Pos + 9);
      Pos += 9;
      Severity Sev;
      if (Tail.consume_front("error"))
        Sev = Severity::Error;
      else if (Tail.consume_front("warning"))
        Sev = Severity::Warning;
      else if (Tail.consume_front("note"))
        Sev = Severity::Note;
      else
        continue;
      int Offset = 0;
      if (Tail.consume_front("@")) {
        bool Neg = Tail.consume_front("-");
        if (!Neg)
          Tail.consume_front("+");
        unsigned N = 0;
        if (Tail.consumeInteger(10, N)) {
          Errs << "error: bad expected-* line offset on line " << LineNo
               << "\n";
          Ok = false;
          continue;
        }
        Offset = Neg ? -int(N) : int(N);
      }
      Tail = Tail.ltrim();
      if (!Tail.consume_front("{{")) {
        Errs << "error: expected '{{' after expected-* on line " << LineNo
             << "\n";
        Ok = false;
        continue;
      }
      size_t End = Tail.find("}}");
      if (End == StringRef::npos) {
        Errs << "error: missing '}}' in expected-* on line " << LineNo << "\n";
        Ok = false;
        continue;
      }
      Out.push_back({Sev, BufID, unsigned(int(LineNo) + Offset),
                     Tail.substr(0, End).str(), LineNo});
    }
  }
}

const char *sevName(Severity S) {
  switch (S) {
  case Severity::Error:
    return "error";
  case Severity::Warning:
    return "warning";
  case Severity::Note:
    return "note";
  }
  return "?";
}
} // namespace

bool DiagnosticEngine::verify(raw_ostream &OS) const {
  bool Ok = true;
  std::vector<Expectation> Exp;
  for (unsigned B = 1; B <= SM.getNumBuffers(); ++B)
    collectExpectations(SM, B, Exp, OS, Ok);

  std::vector<const Diagnostic *> Unexpected;
  for (const Diagnostic &D : Buffered) {
    unsigned Buf = D.Loc.isValid() ? SM.FindBufferContainingLoc(D.Loc) : 0;
    unsigned Line = Buf ? SM.FindLineNumber(D.Loc, Buf) : 0;
    bool Matched = false;
    for (Expectation &E : Exp) {
      if (E.Seen || E.Sev != D.Sev || E.BufferID != Buf || E.Line != Line)
        continue;
      if (StringRef(D.Message).contains(E.Text)) {
        E.Seen = true;
        Matched = true;
        break;
      }
    }
    if (!Matched)
      Unexpected.push_back(&D);
  }
  for (const Expectation &E : Exp) {
    if (E.Seen)
      continue;
    Ok = false;
    OS << "error: expected " << sevName(E.Sev) << " not seen: "
       << SM.getMemoryBuffer(E.BufferID)->getBufferIdentifier() << ":"
       << E.Line << ": {{" << E.Text << "}}\n";
  }
  for (const Diagnostic *D : Unexpected) {
    Ok = false;
    OS << "error: unexpected " << sevName(D->Sev) << " seen: ";
    if (D->Loc.isValid()) {
      auto LC = SM.getLineAndColumn(D->Loc);
      unsigned Buf = SM.FindBufferContainingLoc(D->Loc);
      OS << SM.getMemoryBuffer(Buf)->getBufferIdentifier() << ":" << LC.first
         << ":" << LC.second << ": ";
    }
    OS << D->Message << "\n";
  }
  return Ok;
}
