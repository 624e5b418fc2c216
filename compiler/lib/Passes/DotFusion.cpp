//===- DotFusion.cpp - Sums of products become dot products ---------------===//
//
// Under replicated sharing a product of two secret vectors costs one ring
// element per party per element (each party re-shares its local product),
// but their inner product costs one element in all: the parties add their
// local cross terms before re-sharing (ABY3, Mohassel-Rindal CCS 2018,
// Sec. 5.1). Lowering writes `sum(x * y)` as an elementwise `mul`, a `trunc`
// and a `sum`; this pass rewrites
//
//   sum(mul(a, b))          ->  dot(a, b)
//   sum(trunc(mul(a, b)))   ->  trunc(dot(a, b))
//
// for vectors a and b, so the communication of var, cov and cor's sums of
// squares and cross products no longer grows with the row count. A sum over
// adds and subs of such products (`sum(x*y + u*v)`, what truncation
// deferral makes of `sum(x*y) + sum(u*v)` written as one sum) becomes the
// same adds and subs of dots. The dot's result has the scale of the
// product: the sum of its operands' scales.
//
// Only single-use products computed in the sum's own block are fused (the
// elementwise product is then dead; one computed outside a loop is not
// pulled into it). The second form truncates once after summing at scale
// 2F; it is applied when truncMayBeDeferred() allows it (Cost.h states the
// overflow bound assumed). A product of matrices (`sum(X * Y)`) and a
// broadcast scalar factor (`sum(c * v)`) are left alone; `t(X) %*% X` is
// one `matmul` already (lowering does not produce elementwise forms of it).
//
//===----------------------------------------------------------------------===//

#include "sstat/IR/Cost.h"
#include "sstat/IR/Pass.h"

using namespace sstat::ir;

namespace {

bool sameLength(const Type &A, const Type &B) {
  // An elementwise op has equal-length operands at run time; unknown
  // lengths are equal by construction.
  return A.D[0] == B.D[0] || A.D[0].K == Dim::Unknown ||
         B.D[0].K == Dim::Unknown;
}

bool isVector(const Value *V) { return V->type().Rank == 1; }

/// Whether \p V, used once, is computed in \p B as a product of two vectors
/// or an add / sub of such trees.
bool fusable(const Value *V, const Block &B) {
  const Op *D = V->def();
  if (!D || D->parentBlock() != &B || V->users().size() != 1 || !isVector(V) ||
      V->type().E == Elem::Bool)
    return false;
  if (D->numOperands() != 2)
    return false;
  const Value *L = D->operand(0), *R = D->operand(1);
  if (!isVector(L) || !isVector(R))
    return false;
  if (D->code() == OpCode::Mul)
    return sameLength(L->type(), R->type());
  if (D->code() == OpCode::Add || D->code() == OpCode::Sub)
    return fusable(L, B) && fusable(R, B);
  return false;
}

/// Builds the scalar form of a fusable tree before \p Before; records the
/// replaced ops in \p Dead, users before their operands.
Value *rebuild(Value *V, Op *Before, std::vector<Op *> &Dead) {
  Op *D = V->def();
  Dead.push_back(D);
  const Type &T = V->type();
  Type S = Type::scalar(T.S, T.E, T.Scale);
  auto N = std::make_unique<Op>(
      D->code() == OpCode::Mul ? OpCode::Dot : D->code(), Before->loc());
  if (D->code() == OpCode::Mul) {
    N->addOperand(D->operand(0));
    N->addOperand(D->operand(1));
  } else {
    N->addOperand(rebuild(D->operand(0), Before, Dead));
    N->addOperand(rebuild(D->operand(1), Before, Dead));
  }
  Value *R = N->addResult(S);
  Before->parentBlock()->insertBefore(Before, std::move(N));
  return R;
}

bool fuse(Op &Sum, const Module &M) {
  Block &B = *Sum.parentBlock();
  Value *X = Sum.operand(0);
  Op *Trunc = nullptr;
  if (Op *D = X->def(); D && D->code() == OpCode::Trunc &&
                        D->parentBlock() == &B && X->users().size() == 1 &&
                        truncMayBeDeferred(*D, M)) {
    Trunc = D;
    X = D->operand(0);
  }
  if (!fusable(X, B))
    return false;
  std::vector<Op *> Dead;
  Value *R = rebuild(X, &Sum, Dead);
  if (Trunc) {
    auto T = std::make_unique<Op>(OpCode::Trunc, Sum.loc());
    T->addOperand(R);
    T->Attrs["bits"] = Trunc->Attrs["bits"];
    R = T->addResult(Sum.result()->type());
    B.insertBefore(&Sum, std::move(T));
  }
  Sum.result()->replaceAllUsesWith(R);
  B.erase(&Sum);
  if (Trunc)
    B.erase(Trunc);
  for (Op *D : Dead)
    B.erase(D);
  return true;
}

} // namespace

bool sstat::ir::runDotFusion(Module &M) {
  std::vector<Op *> Sums;
  walk(M.body().block(), [&](Op &O) {
    if (O.code() == OpCode::Sum)
      Sums.push_back(&O);
  });
  bool Changed = false;
  for (Op *S : Sums)
    Changed |= fuse(*S, M);
  return Changed;
}
