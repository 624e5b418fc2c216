//===- LICM.cpp - Loop-invariant code motion ------------------------------===//
//
// Moves a pure, region-free op out of a `for` body, to just before the
// `for`, when all its operands are defined outside the loop: it computes the
// same value in every iteration, so it is computed once. This keeps public
// bookkeeping and constants out of the loop's hot path and, for a secret
// op, pays its communication once instead of once per iteration. Ops are
// visited in program order, so an op whose operands were just hoisted
// follows them; loops are handled innermost first, so an op can leave a
// whole nest one level at a time.
//
// Only ops directly in a loop body move. An op inside an `if` stays there
// even when its operands are invariant: it runs only when the condition
// holds. Hoisting runs an op even when the loop runs zero times, which is
// harmless for the ops that cannot fail; those that can fail at run time on
// public operands (get and set with an index out of range, div and recip by
// zero, sqrt and log outside their domain) move only out of loops whose
// constant bounds give at least one iteration.
//
//===----------------------------------------------------------------------===//

#include "sstat/IR/Pass.h"

using namespace sstat::ir;

namespace {

/// Whether a pure op can stop the program at run time (on public operands).
bool mayFail(OpCode C) {
  switch (C) {
  case OpCode::Get:   // index out of range
  case OpCode::Set:   // index out of range
  case OpCode::Div:   // by zero
  case OpCode::Recip: // of zero
  case OpCode::Sqrt:  // of a negative number
  case OpCode::Rsqrt:
  case OpCode::Log:   // of zero or a negative number
  case OpCode::Solve: // of a singular matrix
    return true;
  case OpCode::Const:
  case OpCode::Input:
  case OpCode::InputValid:
  case OpCode::NRows:
  case OpCode::Add:
  case OpCode::Sub:
  case OpCode::Neg:
  case OpCode::Mul:
  case OpCode::Trunc:
  case OpCode::Exp:
  case OpCode::Cast:
  case OpCode::Bits:
  case OpCode::Lt:
  case OpCode::Le:
  case OpCode::Eq:
  case OpCode::Not:
  case OpCode::And:
  case OpCode::Or:
  case OpCode::Select:
  case OpCode::Sum:
  case OpCode::PrefixSum:
  case OpCode::Dot:
  case OpCode::MatMul:
  case OpCode::Transpose:
  case OpCode::Length:
  case OpCode::Concat:
  case OpCode::ColBind:
  case OpCode::Column:
  case OpCode::Sort:
  case OpCode::Shuffle:
  case OpCode::Reveal:
  case OpCode::Publish:
  case OpCode::For:
  case OpCode::If:
  case OpCode::Call:
  case OpCode::Yield:
    return false;
  }
  return true;
}

/// Whether the bounds of \p For are constants giving one iteration or more.
bool runsAtLeastOnce(const Op &For) {
  const Op *Lo = For.operand(0)->def(), *Hi = For.operand(1)->def();
  return Lo && Hi && Lo->code() == OpCode::Const &&
         Hi->code() == OpCode::Const &&
         Lo->numAttr("value") <= Hi->numAttr("value");
}

/// Whether \p V is defined in \p Body (an argument or an op's result).
/// Values of regions nested in Body are not visible to Body's own ops.
bool definedIn(const Value *V, const Block &Body) {
  return V->def() ? V->def()->parentBlock() == &Body : V->ownerBlock() == &Body;
}

/// Moves \p O from its block to just before \p Before.
void moveBefore(Op *O, Op *Before) {
  Before->parentBlock()->insertBefore(Before, O->parentBlock()->remove(O));
}

bool hoistFrom(Op &For) {
  bool Changed = false;
  Block &Body = For.region(0).block();
  bool Safe = runsAtLeastOnce(For);
  std::vector<Op *> Order;
  for (auto &O : Body.ops())
    Order.push_back(O.get());
  for (Op *O : Order) {
    if (!O->hasTrait(Pure) || O->hasTrait(Terminator) || O->numRegions() ||
        (mayFail(O->code()) && !Safe))
      continue;
    bool Invariant = true;
    for (const Value *V : O->operands())
      Invariant &= !definedIn(V, Body);
    if (!Invariant)
      continue;
    moveBefore(O, &For);
    Changed = true;
  }
  return Changed;
}

bool licmBlock(Block &B) {
  bool Changed = false;
  std::vector<Op *> Order;
  for (auto &O : B.ops())
    Order.push_back(O.get());
  for (Op *O : Order) {
    for (unsigned R = 0; R < O->numRegions(); ++R)
      Changed |= licmBlock(O->region(R).block());
    if (O->code() == OpCode::For)
      Changed |= hoistFrom(*O);
  }
  return Changed;
}

} // namespace

bool sstat::ir::runLICM(Module &M) { return licmBlock(M.body().block()); }
