//===- Driver.cpp - Source to bytecode in one call ------------------------===//

#include "sstat/Driver.h"

#include "sstat/Bytecode/Emitter.h"
#include "sstat/IR/Lower.h"
#include "sstat/IR/Pass.h"
#include "sstat/Parser.h"
#include "sstat/Sema.h"

#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"

using namespace llvm;

namespace sstat {

static Error failed(unsigned N) {
  return createStringError(inconvertibleErrorCode(),
                           Twine(N) + (N == 1 ? " error" : " errors") +
                               " generated");
}

Expected<bc::Program> compileSource(StringRef Text, StringRef Name,
                                    const CompileOptions &Opts) {
  SourceMgr SM;
  unsigned ID = SM.AddNewSourceBuffer(
      MemoryBuffer::getMemBufferCopy(Text, Name), SMLoc());
  DiagnosticEngine Diags(SM);
  std::unique_ptr<Program> P = parseBuffer(SM, ID, Diags);
  if (Diags.getNumErrors())
    return failed(Diags.getNumErrors());
  CheckResult R = checkProgram(*P, Diags);
  if (Diags.getNumErrors())
    return failed(Diags.getNumErrors());
  LowerOptions LO;
  LO.RingBits = Opts.RingBits;
  LO.FracBits = Opts.FracBits;
  std::unique_ptr<ir::Module> M = lowerProgram(*P, R, Diags, LO);
  if (!M)
    return failed(Diags.getNumErrors());
  std::string Err;
  ir::PipelineOptions PO;
  if (!ir::runPipeline(*M, ir::defaultPipeline(), PO, Err))
    return createStringError(inconvertibleErrorCode(),
                             "internal error: " + Err);
  return emitBytecode(*M, &SM);
}

Expected<bc::Program> compileFile(const std::string &Path,
                                  const CompileOptions &Opts) {
  auto Buf = MemoryBuffer::getFile(Path, /*IsText=*/true);
  if (!Buf)
    return createStringError(inconvertibleErrorCode(),
                             "cannot open '" + Path +
                                 "': " + Buf.getError().message());
  return compileSource((*Buf)->getBuffer(), Path, Opts);
}

} // namespace sstat
