//===- ParseCheckFuzzer.cpp - libFuzzer target: parse and check -----------===//
//
// Any byte string must either parse and check, or produce diagnostics: never
// a crash, a hang, a sanitizer report or an assertion. The test suite runs
// this for a bounded time from a corpus of every .sstat file in the tree.
//
//===----------------------------------------------------------------------===//

#include "sstat/Parser.h"
#include "sstat/Sema.h"

#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size) {
  llvm::SourceMgr SM;
  unsigned ID = SM.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(
          llvm::StringRef(reinterpret_cast<const char *>(Data), Size),
          "fuzz.sstat"),
      llvm::SMLoc());
  sstat::DiagnosticEngine Diags(SM);
  Diags.setBuffering(true);
  std::unique_ptr<sstat::Program> P = sstat::parseBuffer(SM, ID, Diags);
  if (Diags.getNumErrors() == 0)
    (void)sstat::checkProgram(*P, Diags);
  // Printing must also work on whatever parsed.
  (void)sstat::printSource(*P);
  return 0;
}
