//===- Inline.cpp - Replace every call by its callee's body ---------------===//
//
// The lowerer gives each specialization of a stdlib or user function its
// own IR function (`mean` of a vector of n.t fixed-point values, with
// na.rm = TRUE, is one; docs/architecture.md), and each use a `call`. This
// pass replaces every call by a copy of its callee's body: the parameters
// become the call's operands, the call's results the values the body
// yields. Callees that call further functions are handled by repeating
// until no call is left, which terminates because the verifier keeps the
// call graph acyclic; a module that still has calls after as many rounds
// as it has functions (recursion, in IR that was not verified) keeps them,
// and the emitter rejects it.
//
// Inlining is total, not a heuristic: neither a rep3 bytecode program nor
// a garbled circuit has calls. It runs first, so the passes after it see
// across function boundaries: CSE merges the sum(x) that mean(x) and
// var(x) both compute, dot fusion sees the products a function sums, and
// round scheduling interleaves the interactive ops of independent calls.
// After it the module holds main alone.
//
// A call's other attributes say how a result prints (names, kind, meta;
// `names.1` for result 1 of several): they move to the op that computes
// the result in the copy, where the emitter looks for them.
//
// A function marked `inline_loc = "call"` (the stdlib's) gives every copied
// op the call's source location, so that the cost report and the
// disassembly attribute stdlib work to the user's line that asked for it;
// a user function keeps its own lines.
//
//===----------------------------------------------------------------------===//

#include "sstat/IR/Pass.h"

using namespace sstat::ir;

static void setLocDeep(Op &O, llvm::SMLoc L) {
  O.setLoc(L);
  for (unsigned R = 0; R < O.numRegions(); ++R)
    for (auto &Inner : O.region(R).block().ops())
      setLocDeep(*Inner, L);
}

static void inlineCall(Op &Call, const Function &F) {
  const Block &Body = F.block();
  ValueMap VM;
  for (unsigned I = 0; I < Body.numArguments(); ++I)
    VM[Body.argument(I)] = Call.operand(I);
  auto Loc = F.Attrs.find("inline_loc");
  bool AtCall =
      Loc != F.Attrs.end() && Loc->second == Attr(std::string("call"));
  Block &Into = *Call.parentBlock();
  const Op *Yield = Body.terminator();
  for (const auto &O : Body.ops()) {
    if (O.get() == Yield)
      break;
    std::unique_ptr<Op> C = cloneOp(*O, VM);
    if (AtCall)
      setLocDeep(*C, Call.loc());
    Into.insertBefore(&Call, std::move(C));
  }
  for (unsigned I = 0; I < Call.numResults(); ++I) {
    Value *Y = Yield->operand(I);
    auto It = VM.find(Y);
    Value *New = It == VM.end() ? Y : It->second;
    // How a result prints (names, kind, meta), set on the call by the
    // lowerer after the body was made: `key` for a single result,
    // `key.<index>` for one of several. It moves to the op computing it.
    if (Op *D = New->def())
      for (const auto &KV : Call.Attrs) {
        llvm::StringRef K = KV.first;
        if (K == "callee")
          continue;
        auto [Base, Index] = K.rsplit('.');
        unsigned N;
        if (Index.empty() || Index.getAsInteger(10, N))
          Base = K, N = 0;
        if (N == I && (Call.numResults() == 1 || !Index.empty()))
          D->Attrs[Base.str()] = KV.second;
      }
    Call.result(I)->replaceAllUsesWith(New);
  }
  Into.erase(&Call);
}

bool sstat::ir::runInline(Module &M) {
  if (M.Functions.empty())
    return false;
  for (size_t Round = 0; Round <= M.Functions.size(); ++Round) {
    std::vector<Op *> Calls;
    walk(M.body().block(), [&](Op &O) {
      if (O.code() == OpCode::Call)
        Calls.push_back(&O);
    });
    if (Calls.empty())
      break;
    for (Op *C : Calls) {
      const Function *F = M.function(C->strAttr("callee"));
      // Unknown callees and mismatched calls stay (only unverified IR has
      // them); the emitter rejects any call left.
      if (!F || !F->block().terminator() ||
          F->block().numArguments() != C->numOperands() ||
          F->block().terminator()->numOperands() != C->numResults())
        continue;
      inlineCall(*C, *F);
    }
  }
  bool Left = false;
  walk(M.body().block(), [&](Op &O) { Left |= O.code() == OpCode::Call; });
  if (!Left)
    M.Functions.clear();
  return true;
}
