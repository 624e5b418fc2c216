//===- AlgSimp.cpp - Algebraic simplification -----------------------------===//
//
// Rewrites identities that hold exactly in the integer and fixed-point rings
// the backends compute in (so nothing here depends on real-number algebra):
//
//   x + 0, 0 + x, x - 0          -> x
//   x * 1, 1 * x                 -> x   (1 an int or bool, or a fix<0>)
//   trunc(x * 1.0) by F bits     -> x   (1.0 a fix<F>: the product has x's
//                                        scale plus F, the trunc takes F off)
//   trunc(c * x), trunc(c %*% x), trunc(x %*% c) by F bits, c a constant
//   fix<F> with an integer value -> the same product with c as an int: it
//                                   has x's scale already, so nothing is
//                                   truncated (e.g. a column of means
//                                   spread over n rows by ones %*% m)
//   x * 0, 0 * x, x - x          -> 0
//   trunc(0), sum(0), dot(x, 0)  -> 0
//   neg(neg(x)), not(not(x))     -> x
//   select(c, x, x)              -> x
//   cast x to x's own type       -> x
//
// A rewrite to x applies only when x has exactly the op's result type (so a
// broadcast scalar never stands for a vector, and a public x never for a
// secret result); select(c, x, x) with a secret c and a public x becomes a
// cast of x to secret. "0" is a constant 0 of any shape, or a cast of one.
//
// A zero that replaces a secret result stays secret: it is a public `const`
// followed by a `cast` to the result type, never the bare constant, since a
// public value standing for a secret computation would break the verifier's
// information-flow rule and change the types its users see. The cast is
// local (no communication) and frees x, which DCE may then remove. No zero
// is made whose length is unknown until run time. Dead operands are left
// for DCE.
//
//===----------------------------------------------------------------------===//

#include "sstat/IR/Pass.h"

#include <cmath>
#include <optional>

using namespace sstat::ir;

namespace {

std::optional<double> constValue(const Value *V) {
  if (V->def() && V->def()->code() == OpCode::Const && !V->type().isSecret())
    return V->def()->numAttr("value");
  return std::nullopt;
}

/// A constant 0, or a cast of one.
bool isZero(const Value *V) {
  if (std::optional<double> C = constValue(V))
    return *C == 0;
  return V->def() && V->def()->code() == OpCode::Cast &&
         isZero(V->def()->operand(0));
}

/// A constant 1 whose product with x is x itself: an int, bool or fix<0>.
bool isUnit(const Value *V) {
  std::optional<double> C = constValue(V);
  return C && *C == 1 && (V->type().E != Elem::Fix || V->type().Scale == 0);
}

/// A zero of type \p T, placed before \p Before; null if a filled constant
/// of that type cannot be made (a length unknown until run time).
Value *zeroOf(const Type &T, Op *Before) {
  for (unsigned I = 0; I < T.Rank; ++I)
    if (T.D[I].K == Dim::Unknown)
      return nullptr;
  Block *B = Before->parentBlock();
  auto C = std::make_unique<Op>(OpCode::Const, Before->loc());
  C->Attrs["value"] = 0.0;
  Value *Z = C->addResult(T.withSec(Sec::Public));
  B->insertBefore(Before, std::move(C));
  if (!T.isSecret())
    return Z;
  auto Cast = std::make_unique<Op>(OpCode::Cast, Before->loc());
  Cast->addOperand(Z);
  Value *S = Cast->addResult(T);
  B->insertBefore(Before, std::move(Cast));
  return S;
}

/// \p V itself if it has type \p T, else nothing.
Value *ifTyped(Value *V, const Type &T) { return V->type() == T ? V : nullptr; }

/// trunc(mul(x, 1.0)) where 1.0 is a fix<Bits> constant: x.
Value *truncOfUnitProduct(const Op &Trunc, const Type &R) {
  const Op *Mul = Trunc.operand(0)->def();
  if (!Mul || Mul->code() != OpCode::Mul)
    return nullptr;
  for (unsigned I = 0; I < 2; ++I) {
    const Value *C = Mul->operand(1 - I);
    std::optional<double> K = constValue(C);
    if (K && *K == 1 && C->type().E == Elem::Fix &&
        int64_t(C->type().Scale) == Trunc.intAttr("bits"))
      if (Value *X = ifTyped(Mul->operand(I), R))
        return X;
  }
  return nullptr;
}

/// trunc(c * x) or a matrix product with c, by F bits, where c is a public
/// fix<F> constant with an integer value and x is fixed point: the product
/// with c as an int (exact, and with x's scale, so the truncation goes).
Value *truncOfIntegerProduct(Op &Trunc, const Type &R) {
  Op *P = Trunc.operand(0)->def();
  if (!P || (P->code() != OpCode::Mul && P->code() != OpCode::MatMul))
    return nullptr;
  for (unsigned I = 0; I < 2; ++I) {
    Value *C = P->operand(I), *X = P->operand(1 - I);
    std::optional<double> K = constValue(C);
    if (!K || *K != double(int64_t(*K)) || std::abs(*K) > 1e12 ||
        C->type().E != Elem::Fix ||
        int64_t(C->type().Scale) != Trunc.intAttr("bits") ||
        X->type().E != Elem::Fix || X->type().Scale != R.Scale)
      continue;
    Block *B = Trunc.parentBlock();
    auto IntC = std::make_unique<Op>(OpCode::Const, C->def()->loc());
    IntC->Attrs = C->def()->Attrs;
    Type IT = C->type();
    IT.E = Elem::Int;
    IT.Scale = 0;
    Value *CI = IntC->addResult(IT);
    B->insertBefore(&Trunc, std::move(IntC));
    auto NP = std::make_unique<Op>(P->code(), P->loc());
    NP->addOperand(I == 0 ? CI : X);
    NP->addOperand(I == 0 ? X : CI);
    Value *Out = NP->addResult(R);
    B->insertBefore(&Trunc, std::move(NP));
    return Out;
  }
  return nullptr;
}

/// The value \p O simplifies to, or null.
Value *simplify(Op &O) {
  if (O.numResults() != 1)
    return nullptr;
  const Type &R = O.result()->type();
  auto Operand = [&](unsigned I) { return O.operand(I); };
  switch (O.code()) {
  case OpCode::Add:
    if (isZero(Operand(1)))
      if (Value *X = ifTyped(Operand(0), R))
        return X;
    if (isZero(Operand(0)))
      return ifTyped(Operand(1), R);
    return nullptr;
  case OpCode::Sub:
    if (Operand(0) == Operand(1))
      return zeroOf(R, &O);
    if (isZero(Operand(1)))
      return ifTyped(Operand(0), R);
    return nullptr;
  case OpCode::Mul:
    if (isZero(Operand(0)) || isZero(Operand(1)))
      return zeroOf(R, &O);
    if (isUnit(Operand(1)))
      if (Value *X = ifTyped(Operand(0), R))
        return X;
    if (isUnit(Operand(0)))
      return ifTyped(Operand(1), R);
    return nullptr;
  case OpCode::Trunc:
    if (isZero(Operand(0)))
      return zeroOf(R, &O);
    if (Value *X = truncOfUnitProduct(O, R))
      return X;
    return truncOfIntegerProduct(O, R);
  case OpCode::Neg:
  case OpCode::Not: {
    const Op *Inner = Operand(0)->def();
    if (Inner && Inner->code() == O.code())
      return ifTyped(Inner->operand(0), R);
    return nullptr;
  }
  case OpCode::Recip: {
    // 1 / sqrt(x) is one rsqrt kernel instead of a sqrt and a reciprocal.
    Op *Def = Operand(0)->def();
    if (!Def || Def->code() != OpCode::Sqrt || Def->operand(0)->type() != R)
      return nullptr;
    auto Rs = std::make_unique<Op>(OpCode::Rsqrt, O.loc());
    Rs->addOperand(Def->operand(0));
    Value *V = Rs->addResult(R);
    O.parentBlock()->insertBefore(&O, std::move(Rs));
    return V;
  }
  case OpCode::Select: {
    Value *X = Operand(1);
    // ifelse(c, x, 0) is c * x: as a product it can join a sum into a dot
    // product (dotfuse), and with a public x it needs no communication.
    if (X != Operand(2) && isZero(Operand(2)) && R.E != Elem::Bool &&
        Operand(0)->type().E == Elem::Bool && X->type().E == R.E &&
        X->type().Scale == R.Scale && X->type().Rank == R.Rank &&
        Operand(0)->type().Rank == R.Rank) {
      Type CT = Operand(0)->type();
      CT.E = Elem::Int;
      CT.Scale = 0;
      auto Cast = std::make_unique<Op>(OpCode::Cast, O.loc());
      Cast->addOperand(Operand(0));
      Value *C = Cast->addResult(CT);
      O.parentBlock()->insertBefore(&O, std::move(Cast));
      auto Mul = std::make_unique<Op>(OpCode::Mul, O.loc());
      Mul->addOperand(C);
      Mul->addOperand(X);
      Value *P = Mul->addResult(R);
      O.parentBlock()->insertBefore(&O, std::move(Mul));
      return P;
    }
    if (X != Operand(2))
      return nullptr;
    if (X->type() == R)
      return X;
    if (!X->type().isSecret() && X->type().withSec(Sec::Secret) == R) {
      auto Cast = std::make_unique<Op>(OpCode::Cast, O.loc());
      Cast->addOperand(X);
      Value *S = Cast->addResult(R);
      O.parentBlock()->insertBefore(&O, std::move(Cast));
      return S;
    }
    return nullptr;
  }
  case OpCode::Cast:
    return ifTyped(Operand(0), R);
  case OpCode::Sum:
  case OpCode::PrefixSum:
    return isZero(Operand(0)) ? zeroOf(R, &O) : nullptr;
  case OpCode::Dot:
    return isZero(Operand(0)) || isZero(Operand(1)) ? zeroOf(R, &O) : nullptr;
  case OpCode::Const:
  case OpCode::Input:
  case OpCode::InputValid:
  case OpCode::NRows:
  case OpCode::Div:
  case OpCode::Sqrt:
  case OpCode::Rsqrt:
  case OpCode::Exp:
  case OpCode::Log:
  case OpCode::Lt:
  case OpCode::Le:
  case OpCode::Eq:
  case OpCode::And:
  case OpCode::Or:
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
    return nullptr;
  }
  return nullptr;
}

bool simplifyBlock(Block &B) {
  bool Changed = false;
  std::vector<Op *> Order;
  for (auto &O : B.ops())
    Order.push_back(O.get());
  for (Op *O : Order) {
    for (unsigned R = 0; R < O->numRegions(); ++R)
      Changed |= simplifyBlock(O->region(R).block());
    if (Value *V = simplify(*O)) {
      if (V->Hint.empty())
        V->Hint = O->result()->Hint;
      O->result()->replaceAllUsesWith(V);
      B.erase(O);
      Changed = true;
    }
  }
  return Changed;
}

} // namespace

bool sstat::ir::runAlgSimp(Module &M) {
  bool Changed = false;
  while (simplifyBlock(M.body().block()))
    Changed = true;
  return Changed;
}
