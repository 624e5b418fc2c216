//===- ConstFold.cpp - Constant folding -----------------------------------===//
//
// Computes at compile time every elementwise op whose operands are all
// public constants (add sub neg mul trunc div recip sqrt exp log cast lt le
// eq not and or select) and replaces it by a `const` of the op's result
// type. Values are doubles at compile time: a fixed-point constant is its
// real value (its scale stays in the type, so `trunc` only changes the
// type), integers stay integral (a cast to int truncates toward zero), bools
// are 0 or 1. Nothing is folded whose result is not finite, is not
// representable in its element type (a fractional int, a bool other than
// 0/1), or would not fit the ring once encoded at its scale: such ops are
// left as they are, for the run time. A `select` on a constant condition
// becomes the chosen operand (cast to secret if the result is secret).
//
// Control flow on constants goes too: an `if` on a constant condition is
// replaced by the ops of the taken region (its results by what that region
// yields), and a `for` whose constant bounds give no iteration by its
// initial values. Folding happens in program order and inner regions first,
// so a constant produced by an inlined branch feeds the ops after it.
//
// Only public results are folded: a constant is public, so an op with a
// secret result (a cast of a public value to secret) stays.
//
//===----------------------------------------------------------------------===//

#include "sstat/IR/Pass.h"

#include <cmath>
#include <optional>

using namespace sstat::ir;

namespace {

/// The value of a public `const`, or nothing.
std::optional<double> constValue(const Value *V) {
  if (V->def() && V->def()->code() == OpCode::Const && !V->type().isSecret())
    return V->def()->numAttr("value");
  return std::nullopt;
}

/// Whether \p V is exactly representable as a constant of type \p T in a
/// ring of \p RingBits bits.
bool representable(double V, const Type &T, unsigned RingBits) {
  if (!std::isfinite(V))
    return false;
  double Limit = std::ldexp(1.0, int(RingBits) - 1);
  switch (T.E) {
  case Elem::Bool:
    return V == 0 || V == 1;
  case Elem::Int:
    return V == std::trunc(V) && std::fabs(V) < std::ldexp(1.0, 53) &&
           std::fabs(V) < Limit;
  case Elem::Fix:
    return std::ldexp(std::fabs(V), T.Scale) < Limit;
  }
  return false;
}

/// Moves the ops of \p From, all but its terminator, before \p Before.
void inlineBefore(Block &From, Op *Before) {
  Block *To = Before->parentBlock();
  while (From.ops().size() > 1)
    To->insertBefore(Before, From.remove(From.ops().front().get()));
}

Value *makeConst(Op *Before, double V, const Type &T) {
  auto C = std::make_unique<Op>(OpCode::Const, Before->loc());
  C->Attrs["value"] = V == 0 ? 0.0 : V; // never print -0.0
  Value *R = C->addResult(T);
  Before->parentBlock()->insertBefore(Before, std::move(C));
  return R;
}

/// Replaces the result of \p O by \p V and erases \p O.
void replace(Op &O, Value *V) {
  if (V->Hint.empty())
    V->Hint = O.result()->Hint;
  O.result()->replaceAllUsesWith(V);
  O.parentBlock()->erase(&O);
}

/// The compile-time value of \p O, whose operands have the values \p A.
std::optional<double> evaluate(const Op &O, const std::vector<double> &A) {
  auto B = [](double X) { return X != 0 ? 1.0 : 0.0; };
  switch (O.code()) {
  case OpCode::Add:
    return A[0] + A[1];
  case OpCode::Sub:
    return A[0] - A[1];
  case OpCode::Neg:
    return -A[0];
  case OpCode::Mul:
    return A[0] * A[1];
  case OpCode::Trunc: // the real value is kept; the type loses the bits
    return A[0];
  case OpCode::Div:
    if (O.result()->type().E != Elem::Fix)
      return std::nullopt; // no integer division in the IR
    return A[0] / A[1];
  case OpCode::Recip:
    return 1.0 / A[0];
  case OpCode::Sqrt:
    return std::sqrt(A[0]);
  case OpCode::Rsqrt:
    return 1.0 / std::sqrt(A[0]);
  case OpCode::Exp:
    return std::exp(A[0]);
  case OpCode::Log:
    return std::log(A[0]);
  case OpCode::Cast:
    switch (O.result()->type().E) {
    case Elem::Bool:
      return B(A[0]);
    case Elem::Int:
      return std::trunc(A[0]);
    case Elem::Fix:
      return A[0];
    }
    return std::nullopt;
  case OpCode::Lt:
    return A[0] < A[1] ? 1.0 : 0.0;
  case OpCode::Le:
    return A[0] <= A[1] ? 1.0 : 0.0;
  case OpCode::Eq:
    return A[0] == A[1] ? 1.0 : 0.0;
  case OpCode::Not:
    return 1.0 - B(A[0]);
  case OpCode::And:
    return B(A[0]) * B(A[1]);
  case OpCode::Or:
    return std::max(B(A[0]), B(A[1]));
  case OpCode::Select:
    return A[0] != 0 ? A[1] : A[2];
  // Not elementwise: reductions, shapes, effects, control flow.
  case OpCode::Const:
  case OpCode::Input:
  case OpCode::InputValid:
  case OpCode::NRows:
  case OpCode::Sum:
  case OpCode::PrefixSum:
  case OpCode::Dot:
  case OpCode::MatMul:
  case OpCode::Transpose:
  case OpCode::Length:
  case OpCode::Get:
  case OpCode::Set:
  case OpCode::Concat:
  case OpCode::ColBind:
  case OpCode::Column:
  case OpCode::Bits:
  case OpCode::Sort:
  case OpCode::Shuffle:
  case OpCode::Solve:
  case OpCode::Reveal:
  case OpCode::Publish:
  case OpCode::For:
  case OpCode::If:
  case OpCode::Call:
  case OpCode::Yield:
    return std::nullopt;
  }
  return std::nullopt;
}

/// Whether a constant of \p O's result type introduces no shape that is not
/// already that of a constant operand (a filled constant needs its length).
bool shapeKnown(const Op &O) {
  const Type &R = O.result()->type();
  if (R.Rank == 0)
    return true;
  for (const Value *V : O.operands()) {
    const Type &T = V->type();
    if (T.Rank == R.Rank && T.D[0] == R.D[0] &&
        (R.Rank < 2 || T.D[1] == R.D[1]))
      return true;
  }
  return false;
}

/// select(c, a, b) with a constant c: the chosen operand, cast or re-made
/// as a constant when only its label or element type differs.
bool foldSelect(Op &O) {
  std::optional<double> C = constValue(O.operand(0));
  if (!C)
    return false;
  Value *Chosen = O.operand(*C != 0 ? 1 : 2);
  const Type &R = O.result()->type();
  if (Chosen->type() == R) {
    replace(O, Chosen);
    return true;
  }
  if (!Chosen->type().isSecret() && R.isSecret() &&
      Chosen->type() == R.withSec(Sec::Public)) {
    auto Cast = std::make_unique<Op>(OpCode::Cast, O.loc());
    Cast->addOperand(Chosen);
    Value *V = Cast->addResult(R);
    O.parentBlock()->insertBefore(&O, std::move(Cast));
    replace(O, V);
    return true;
  }
  return false;
}

bool foldOp(Op &O, const Module &M) {
  if (!O.hasTrait(Elementwise) || O.numResults() != 1)
    return false;
  if (O.code() == OpCode::Select && foldSelect(O))
    return true;
  const Type &R = O.result()->type();
  if (R.isSecret() || !shapeKnown(O))
    return false;
  std::vector<double> Args;
  for (const Value *V : O.operands()) {
    std::optional<double> C = constValue(V);
    if (!C)
      return false;
    Args.push_back(*C);
  }
  std::optional<double> X = evaluate(O, Args);
  if (!X || !representable(*X, R, M.RingBits))
    return false;
  replace(O, makeConst(&O, *X, R));
  return true;
}

/// An `if` on a constant: the taken region's ops take its place.
bool foldIf(Op &O) {
  std::optional<double> C = constValue(O.operand(0));
  if (!C)
    return false;
  Block &Taken = O.region(*C != 0 ? 0 : 1).block();
  inlineBefore(Taken, &O);
  Op *Y = Taken.terminator();
  for (unsigned I = 0; I < O.numResults(); ++I)
    O.result(I)->replaceAllUsesWith(Y->operand(I));
  O.parentBlock()->erase(&O);
  return true;
}

/// A `for` over an empty constant range: its results are its initial values.
bool foldFor(Op &O) {
  std::optional<double> Lo = constValue(O.operand(0)),
                        Hi = constValue(O.operand(1));
  if (!Lo || !Hi || *Lo <= *Hi)
    return false;
  for (unsigned I = 0; I < O.numResults(); ++I)
    O.result(I)->replaceAllUsesWith(O.operand(I + 2));
  O.parentBlock()->erase(&O);
  return true;
}

bool foldBlock(Block &B, const Module &M) {
  bool Changed = false;
  std::vector<Op *> Order;
  for (auto &O : B.ops())
    Order.push_back(O.get());
  for (Op *O : Order) {
    // Inner regions first: an inlined branch arrives already folded.
    for (unsigned R = 0; R < O->numRegions(); ++R)
      Changed |= foldBlock(O->region(R).block(), M);
    if (O->code() == OpCode::If)
      Changed |= foldIf(*O);
    else if (O->code() == OpCode::For)
      Changed |= foldFor(*O);
    else
      Changed |= foldOp(*O, M);
  }
  return Changed;
}

} // namespace

bool sstat::ir::runConstFold(Module &M) {
  bool Changed = false;
  while (foldBlock(M.body().block(), M))
    Changed = true;
  return Changed;
}
