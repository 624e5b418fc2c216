//===- TruncDeferral.cpp - Truncate sums of products once -----------------===//
//
// Lowering truncates every fixed-point product at once (scale 2F back to F),
// so `sum(x * y)` truncates n elements and `a*b + c*d` two. Truncation of a
// secret is interactive (ABY3's Pi_trunc2 opens x - r: one round, one
// element per party per element), and each one rounds. Summing first and
// truncating once is cheaper and more precise:
//
//   sum(trunc(x))              ->  trunc(sum(x))
//   add(trunc(a), trunc(b))    ->  trunc(add(a, b))     (likewise sub)
//
// applied until nothing changes, so `sum(x*y + u*v)` ends with a single
// scalar truncation, ready for dot fusion (run this pass first).
//
// Overflow. The deferred sum is formed at scale 2F, so it must stay below
// 2^(k-2F-1) in real units rather than 2^(k-F-1): with k = 64 and F = 16,
// 2^31 (about 2.1e9) instead of 2^47. Sums over tables cannot be bounded at
// compile time (row counts are run-time values, and the schema's ranges
// bound single elements only), so the pass relies on the structural rule of
// truncMayBeDeferred() in Cost.h: only a truncation by F of a value at scale
// 2F -- a product of two scale-F values, or a sum of such products -- is
// deferred, and only in a ring whose headroom k - 2F - 1 is at least
// kMinDeferredHeadroomBits (31). Programs whose sums of squares may exceed
// 2^31 need ring 128. Each truncation must have no other user and live in
// the same block as the op it moves past.
//
//===----------------------------------------------------------------------===//

#include "sstat/IR/Cost.h"
#include "sstat/IR/Pass.h"

using namespace sstat::ir;

namespace {

/// The truncation defining \p V if only \p User uses it and it may move past
/// \p User.
Op *deferrable(Value *V, Op &User, const Module &M) {
  Op *T = V->def();
  if (!T || T->code() != OpCode::Trunc ||
      T->parentBlock() != User.parentBlock() || !truncMayBeDeferred(*T, M))
    return nullptr;
  for (const Op *U : V->users())
    if (U != &User)
      return nullptr;
  return T;
}

/// Replaces \p O by `trunc(O')` where O' is O on \p Operands at the wider
/// scale; erases O and the truncations \p Old.
void rewrite(Op &O, std::vector<Value *> Operands, int64_t Bits,
             std::vector<Op *> Old) {
  Block &B = *O.parentBlock();
  Type Wide = O.result()->type();
  Wide.Scale = Operands[0]->type().Scale;
  auto N = std::make_unique<Op>(O.code(), O.loc());
  for (Value *V : Operands)
    N->addOperand(V);
  Value *W = N->addResult(Wide);
  B.insertBefore(&O, std::move(N));
  auto T = std::make_unique<Op>(OpCode::Trunc, O.loc());
  T->addOperand(W);
  T->Attrs["bits"] = Bits;
  Value *R = T->addResult(O.result()->type());
  B.insertBefore(&O, std::move(T));
  O.result()->replaceAllUsesWith(R);
  B.erase(&O);
  for (size_t I = 0; I < Old.size(); ++I)
    if (I == 0 || Old[I] != Old[0])
      B.erase(Old[I]);
}

bool defer(Op &O, const Module &M) {
  if (O.code() == OpCode::Sum) {
    Op *T = deferrable(O.operand(0), O, M);
    if (!T)
      return false;
    rewrite(O, {T->operand(0)}, T->intAttr("bits"), {T});
    return true;
  }
  if (O.code() != OpCode::Add && O.code() != OpCode::Sub)
    return false;
  Op *TA = deferrable(O.operand(0), O, M);
  Op *TB = deferrable(O.operand(1), O, M);
  if (!TA || !TB || TA->intAttr("bits") != TB->intAttr("bits") ||
      TA->operand(0)->type().Scale != TB->operand(0)->type().Scale)
    return false;
  rewrite(O, {TA->operand(0), TB->operand(0)}, TA->intAttr("bits"), {TA, TB});
  return true;
}

} // namespace

bool sstat::ir::runTruncDeferral(Module &M) {
  bool Changed = false;
  for (bool Again = true; Again;) {
    std::vector<Op *> Candidates;
    walk(M.body().block(), [&](Op &O) {
      if (O.code() == OpCode::Sum || O.code() == OpCode::Add ||
          O.code() == OpCode::Sub)
        Candidates.push_back(&O);
    });
    Again = false;
    // Rewriting one candidate erases it and truncations only, never another
    // candidate, so the list stays valid.
    for (Op *O : Candidates)
      Again |= defer(*O, M);
    Changed |= Again;
  }
  return Changed;
}
