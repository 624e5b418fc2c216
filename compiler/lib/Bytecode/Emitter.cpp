//===- Emitter.cpp - From the IR to bytecode ------------------------------===//
//
// One register per SSA value (a block argument shares the register of the
// loop- or branch-carried value it stands for). Structured control flow
// becomes jumps on public values only:
//
//   for:   MOV i, lo; MOV c, init...
//     L:   JUMPIFGT i, hi, End
//          <body>; MOV t, yield...; MOV c, t...; INC i, i; JUMP L
//   End:
//
//   if:    JUMPIFNOT cond, Else; <then>; MOV r, yield...; JUMP End
//   Else:  <else>; MOV r, yield...
//   End:
//
// Yields go through temporaries so that a yield naming another carried
// register (a swap) reads the old value. The instruction stream is a pure
// function of the IR, so identical programs give identical bytes.
//
//===----------------------------------------------------------------------===//

#include "sstat/Bytecode/Emitter.h"
#include "sstat/IR/Range.h"

#include "llvm/ADT/ScopeExit.h"
#include "llvm/Support/SourceMgr.h"

#include <unordered_map>

using namespace sstat;
using namespace llvm;

namespace {

class Emitter {
public:
  Emitter(const ir::Module &M, const SourceMgr *SM) : M(M), SM(SM) {}

  Expected<bc::Program> run() {
    P.RingBits = uint16_t(M.RingBits);
    P.FracBits = uint16_t(M.FracBits);
    // The most rows for which every bounded value stays in the ring.
    auto [Safe, By] = ir::RangeAnalysis(M).rowLimit();
    if (By) {
      P.SafeRows = uint64_t(Safe);
      P.SafeRowsLine = line(By->loc());
    }
    P.Parties = M.Parties;
    P.SourceName = M.FileName;
    for (const ir::InputTable &T : M.Inputs) {
      bc::Table BT;
      BT.Name = T.Name;
      BT.Parties = T.Parties;
      BT.Key = T.Key;
      for (const auto &C : T.Columns) {
        bc::Column BC;
        BC.Name = C.Name;
        BC.Kind = C.Kind == "num"      ? 0
                  : C.Kind == "int"    ? 1
                  : C.Kind == "bool"   ? 2
                  : C.Kind == "factor" ? 3
                                       : 4;
        BC.Lo = C.Lo;
        BC.Hi = C.Hi;
        BC.Levels = C.Levels;
        BC.MayBeNA = C.MayBeNA;
        BT.Columns.push_back(BC);
      }
      P.Inputs.push_back(BT);
    }
    if (Error E = block(M.body().block()))
      return std::move(E);
    emit(bc::Opcode::HALT, 0, 0, 0, 0, 0, SMLoc());
    P.Roles.assign(P.Parties.size(), 0);
    auto Mark = [&](const std::string &N, uint8_t R) {
      for (size_t I = 0; I < P.Parties.size(); ++I)
        if (P.Parties[I] == N)
          P.Roles[I] |= R;
    };
    for (const bc::Table &T : P.Inputs)
      for (const std::string &N : T.Parties)
        Mark(N, bc::RoleOwner);
    for (const bc::Output &O : P.Outputs)
      for (const std::string &N : O.To)
        Mark(N, bc::RoleRecipient);
    if (Error E = bc::verify(P))
      return std::move(E);
    return std::move(P);
  }

private:
  static Error err(const Twine &T) {
    return createStringError(inconvertibleErrorCode(), T.str());
  }

  uint32_t line(SMLoc L) const {
    if (!SM || !L.isValid())
      return 0;
    unsigned Buf = SM->FindBufferContainingLoc(L);
    return Buf ? SM->FindLineNumber(L, Buf) : 0;
  }

  bc::RegType regType(const ir::Type &T) const {
    bc::RegType R;
    R.S = T.isSecret() ? bc::Sec::Secret : bc::Sec::Public;
    R.E = T.E == ir::Elem::Bool  ? bc::Elem::Bool
          : T.E == ir::Elem::Int ? bc::Elem::Int
                                 : bc::Elem::Fix;
    R.Scale = T.Scale;
    R.Rank = T.Rank;
    for (unsigned K = 0; K < T.Rank; ++K) {
      const ir::Dim &D = T.D[K];
      if (D.K == ir::Dim::Const) {
        R.D[K].K = bc::Dim::Const;
        R.D[K].N = D.N;
      } else if (D.K == ir::Dim::Sym && D.Name.rfind("n.", 0) == 0) {
        for (size_t I = 0; I < P.Inputs.size(); ++I)
          if (P.Inputs[I].Name == D.Name.substr(2)) {
            R.D[K].K = bc::Dim::Rows;
            R.D[K].Table = uint32_t(I);
          }
      }
    }
    return R;
  }

  uint32_t newReg(const ir::Type &T) {
    P.Regs.push_back(regType(T));
    return uint32_t(P.Regs.size() - 1);
  }

  uint32_t reg(const ir::Value *V) {
    auto It = Regs.find(V);
    if (It != Regs.end())
      return It->second;
    uint32_t R = newReg(V->type());
    Regs[V] = R;
    return R;
  }

  size_t emit(bc::Opcode Op, uint32_t D, uint32_t A, uint32_t B, uint32_t C,
              int64_t K, SMLoc L) {
    bc::Instr I;
    I.Op = Op;
    I.D = D;
    I.A = A;
    I.B = B;
    I.C = C;
    I.K = K;
    I.Line = line(L);
    I.Round = CurRound;
    I.ProbRows = CurProbRows;
    P.Code.push_back(I);
    return P.Code.size() - 1;
  }

  uint32_t inputRef(const ir::Op &O) {
    const std::string &T = O.strAttr("table"), &C = O.strAttr("column");
    for (uint32_t I = 0; I < P.Inputs.size(); ++I)
      if (P.Inputs[I].Name == T)
        for (uint32_t J = 0; J <= P.Inputs[I].Columns.size(); ++J)
          // J == the column count: the key (its owners' 62-bit hashes).
          if (J < P.Inputs[I].Columns.size()
                  ? P.Inputs[I].Columns[J].Name == C
                  : !P.Inputs[I].Key.empty() && P.Inputs[I].Key == C) {
            for (uint32_t K = 0; K < P.InputRefs.size(); ++K)
              if (P.InputRefs[K].Table == I && P.InputRefs[K].Column == J)
                return K;
            P.InputRefs.push_back({I, J});
            return uint32_t(P.InputRefs.size() - 1);
          }
    return UINT32_MAX;
  }

  Error block(const ir::Block &B) {
    for (const auto &O : B.ops())
      if (Error E = op(*O))
        return E;
    return Error::success();
  }

  /// Copies a region's yielded values into \p Dst registers, through
  /// temporaries.
  void moveYields(const ir::Block &B, const std::vector<uint32_t> &Dst) {
    const ir::Op *Y = B.terminator();
    std::vector<uint32_t> Tmp;
    for (unsigned I = 0; I < Y->numOperands(); ++I) {
      uint32_t T = newReg(Y->operand(I)->type());
      emit(bc::Opcode::MOV, T, reg(Y->operand(I)), 0, 0, 0, Y->loc());
      Tmp.push_back(T);
    }
    for (unsigned I = 0; I < Tmp.size(); ++I)
      emit(bc::Opcode::MOV, Dst[I], Tmp[I], 0, 0, 0, Y->loc());
  }

  Error op(const ir::Op &O) {
    using ir::OpCode;
    SMLoc L = O.loc();
    // Only the instruction of an interactive op carries its round (the
    // moves of a loop's yield and other helpers have none).
    CurRound = O.hasAttr("round") && O.numRegions() == 0
                   ? uint32_t(O.intAttr("round"))
                   : 0;
    // A truncation of a secret (the truncmode pass): exact (0: beyond no
    // row count is the one-round protocol safe), or the rows up to which
    // the one-round protocol is safe, which the VM checks.
    CurProbRows = UINT64_MAX;
    if (O.hasAttr("exact"))
      CurProbRows = 0;
    else if (O.hasAttr("prob_rows") && O.intAttr("prob_rows") != INT64_MAX)
      CurProbRows = uint64_t(O.intAttr("prob_rows"));
    auto Reset = llvm::make_scope_exit([&] {
      CurRound = 0;
      CurProbRows = UINT64_MAX;
    });
    auto Simple = [&](bc::Opcode Op) {
      uint32_t A = O.numOperands() > 0 ? reg(O.operand(0)) : 0;
      uint32_t Bv = O.numOperands() > 1 ? reg(O.operand(1)) : 0;
      uint32_t C = O.numOperands() > 2 ? reg(O.operand(2)) : 0;
      emit(Op, reg(O.result()), A, Bv, C, 0, L);
      return Error::success();
    };
    switch (O.code()) {
    case OpCode::Const: {
      P.Consts.push_back(O.numAttr("value"));
      emit(bc::Opcode::CONST, reg(O.result()), 0, 0, 0,
           int64_t(P.Consts.size() - 1), L);
      return Error::success();
    }
    case OpCode::Input:
    case OpCode::InputValid: {
      uint32_t K = inputRef(O);
      if (K == UINT32_MAX)
        return err("input of an undeclared column " + O.strAttr("table") + "$" +
                   O.strAttr("column"));
      emit(O.code() == OpCode::Input ? bc::Opcode::INPUT
                                     : bc::Opcode::INPUTVALID,
           reg(O.result()), 0, 0, 0, K, L);
      return Error::success();
    }
    case OpCode::NRows: {
      for (uint32_t I = 0; I < P.Inputs.size(); ++I)
        if (P.Inputs[I].Name == O.strAttr("table")) {
          emit(bc::Opcode::NROWS, reg(O.result()), 0, 0, 0, I, L);
          return Error::success();
        }
      return err("nrows of an undeclared table " + O.strAttr("table"));
    }
    case OpCode::Add:
      return Simple(bc::Opcode::ADD);
    case OpCode::Sub:
      return Simple(bc::Opcode::SUB);
    case OpCode::Neg:
      return Simple(bc::Opcode::NEG);
    case OpCode::Mul:
      return Simple(bc::Opcode::MUL);
    case OpCode::Trunc:
      emit(bc::Opcode::TRUNC, reg(O.result()), reg(O.operand(0)), 0, 0,
           O.intAttr("bits"), L);
      return Error::success();
    case OpCode::Div:
      return Simple(bc::Opcode::DIV);
    case OpCode::Recip:
      return Simple(bc::Opcode::RECIP);
    case OpCode::Sqrt:
      return Simple(bc::Opcode::SQRT);
    case OpCode::Rsqrt:
      return Simple(bc::Opcode::RSQRT);
    case OpCode::Exp:
      return Simple(bc::Opcode::EXP);
    case OpCode::Log:
      return Simple(bc::Opcode::LOG);
    case OpCode::Cast:
      return Simple(bc::Opcode::CAST);
    case OpCode::Lt:
      return Simple(bc::Opcode::LT);
    case OpCode::Le:
      return Simple(bc::Opcode::LE);
    case OpCode::Eq:
      return Simple(bc::Opcode::EQ);
    case OpCode::Not:
      return Simple(bc::Opcode::NOT);
    case OpCode::And:
      return Simple(bc::Opcode::AND);
    case OpCode::Or:
      return Simple(bc::Opcode::OR);
    case OpCode::Select:
      return Simple(bc::Opcode::SELECT);
    case OpCode::Sum:
      return Simple(bc::Opcode::SUM);
    case OpCode::PrefixSum:
      return Simple(bc::Opcode::PREFIXSUM);
    case OpCode::Dot:
      return Simple(bc::Opcode::DOT);
    case OpCode::MatMul:
      return Simple(bc::Opcode::MATMUL);
    case OpCode::Transpose:
      return Simple(bc::Opcode::TRANSPOSE);
    case OpCode::Length:
      return Simple(bc::Opcode::LENGTH);
    case OpCode::Get:
      return Simple(bc::Opcode::GET);
    case OpCode::Set:
      return Simple(bc::Opcode::SET);
    case OpCode::Reveal:
      return Simple(bc::Opcode::REVEAL);
    case OpCode::Solve:
      return Simple(bc::Opcode::SOLVE);
    case OpCode::Call:
      return err("a call to '@" + O.strAttr("callee") +
                 "' was not inlined (run the inline pass first)");
    case OpCode::Sort:
    case OpCode::Shuffle:
      return err(std::string(O.code() == OpCode::Sort ? "sort" : "shuffle") +
                 " has no rep3 protocol yet (an IR placeholder)");
    case OpCode::Bits:
      emit(bc::Opcode::BITS, reg(O.result()), reg(O.operand(0)), 0, 0,
           O.intAttr("lo") * 1024 + O.intAttr("n"), L);
      return Error::success();
    case OpCode::Column:
      emit(bc::Opcode::COLUMN, reg(O.result()), reg(O.operand(0)), 0, 0,
           O.intAttr("index"), L);
      return Error::success();
    case OpCode::Concat:
    case OpCode::ColBind: {
      uint32_t Start = uint32_t(P.Args.size());
      for (const ir::Value *V : O.operands())
        P.Args.push_back(reg(V));
      emit(O.code() == OpCode::Concat ? bc::Opcode::CONCAT : bc::Opcode::CBIND,
           reg(O.result()), Start, O.numOperands(), 0, 0, L);
      return Error::success();
    }
    case OpCode::Publish: {
      bc::Output Out;
      auto It = O.Attrs.find("to");
      if (It != O.Attrs.end())
        if (auto *To = std::get_if<std::vector<std::string>>(&It->second))
          Out.To = *To;
      Out.Label = O.strAttr("what");
      if (const ir::Op *Def = O.operand(0)->def(); Def) {
        auto N = Def->Attrs.find("names");
        if (N != Def->Attrs.end())
          if (auto *L = std::get_if<std::vector<std::string>>(&N->second))
            Out.Names = *L;
        // A value that knows how it prints (a table).
        if (Def->hasAttr("kind"))
          Out.Kind = Def->strAttr("kind");
        if (auto It = Def->Attrs.find("meta"); It != Def->Attrs.end())
          if (auto *L = std::get_if<std::vector<std::string>>(&It->second))
            Out.Meta = *L;
      }
      if (O.hasAttr("kind"))
        Out.Kind = O.strAttr("kind");
      if (auto It = O.Attrs.find("meta"); It != O.Attrs.end())
        if (auto *L = std::get_if<std::vector<std::string>>(&It->second))
          Out.Meta = *L;
      if (auto It = O.Attrs.find("names"); It != O.Attrs.end())
        if (auto *L = std::get_if<std::vector<std::string>>(&It->second))
          Out.Names = *L;
      P.Outputs.push_back(Out);
      emit(bc::Opcode::PUBLISH, 0, reg(O.operand(0)), 0, 0,
           int64_t(P.Outputs.size() - 1), L);
      return Error::success();
    }
    case OpCode::Yield:
      return Error::success(); // handled by the enclosing for / if
    case OpCode::For: {
      const ir::Block &Body = O.region(0).block();
      uint32_t I = reg(Body.argument(0));
      emit(bc::Opcode::MOV, I, reg(O.operand(0)), 0, 0, 0, L);
      std::vector<uint32_t> Carried;
      for (unsigned K = 0; K + 2 < O.numOperands(); ++K) {
        uint32_t C = reg(O.result(K));
        Regs[Body.argument(K + 1)] = C;
        emit(bc::Opcode::MOV, C, reg(O.operand(K + 2)), 0, 0, 0, L);
        Carried.push_back(C);
      }
      uint32_t Hi = reg(O.operand(1));
      size_t Test = emit(bc::Opcode::JUMPIFGT, 0, I, Hi, 0, 0, L);
      if (Error E = block(Body))
        return E;
      moveYields(Body, Carried);
      emit(bc::Opcode::INC, I, I, 0, 0, 0, L);
      emit(bc::Opcode::JUMP, 0, 0, 0, 0, int64_t(Test), L);
      P.Code[Test].K = int64_t(P.Code.size());
      return Error::success();
    }
    case OpCode::If: {
      std::vector<uint32_t> Results;
      for (unsigned K = 0; K < O.numResults(); ++K)
        Results.push_back(reg(O.result(K)));
      size_t Branch =
          emit(bc::Opcode::JUMPIFNOT, 0, reg(O.operand(0)), 0, 0, 0, L);
      if (Error E = block(O.region(0).block()))
        return E;
      moveYields(O.region(0).block(), Results);
      size_t Skip = emit(bc::Opcode::JUMP, 0, 0, 0, 0, 0, L);
      P.Code[Branch].K = int64_t(P.Code.size());
      if (Error E = block(O.region(1).block()))
        return E;
      moveYields(O.region(1).block(), Results);
      P.Code[Skip].K = int64_t(P.Code.size());
      return Error::success();
    }
    }
    return err("no bytecode for this IR operation");
  }

  const ir::Module &M;
  const SourceMgr *SM;
  bc::Program P;
  uint32_t CurRound = 0; // the round of the op being emitted
  uint64_t CurProbRows = UINT64_MAX;
  std::unordered_map<const ir::Value *, uint32_t> Regs;
};

} // namespace

Expected<bc::Program> sstat::emitBytecode(const ir::Module &M,
                                          const SourceMgr *SM) {
  return Emitter(M, SM).run();
}
