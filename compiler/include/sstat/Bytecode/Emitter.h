//===- Emitter.h - From the IR to bytecode ----------------------*- C++ -*-===//

#ifndef SSTAT_BYTECODE_EMITTER_H
#define SSTAT_BYTECODE_EMITTER_H

#include "sstat/Bytecode/Bytecode.h"
#include "sstat/IR/IR.h"

namespace llvm {
class SourceMgr;
}

namespace sstat {

/// Emits the bytecode for a verified module. \p SM (optional) maps op
/// locations to source lines for the disassembler and the cost report.
llvm::Expected<bc::Program> emitBytecode(const ir::Module &M,
                                         const llvm::SourceMgr *SM = nullptr);

} // namespace sstat

#endif
