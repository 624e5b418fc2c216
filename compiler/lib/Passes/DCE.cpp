//===- DCE.cpp - Dead code elimination ------------------------------------===//
//
// Removes pure operations none of whose results is used, innermost and last
// first, until nothing changes; a `for` or `if` whose results are all unused
// and whose regions hold only pure operations goes too. Inputs, reveals and
// publishes are effects and stay (an unused input is still loaded and
// checked by its owner: the schema is part of the contract).
//
//===----------------------------------------------------------------------===//

#include "sstat/IR/Pass.h"

using namespace sstat::ir;

static bool isRemovable(Op &O);

static bool regionsArePure(Op &O) {
  for (unsigned R = 0; R < O.numRegions(); ++R)
    for (auto &Inner : O.region(R).block().ops())
      if (!Inner->hasTrait(Terminator) && !isRemovable(*Inner))
        return false;
  return true;
}

static bool isRemovable(Op &O) {
  if (O.code() == OpCode::For || O.code() == OpCode::If)
    return regionsArePure(O);
  return O.hasTrait(Pure);
}

static bool unused(Op &O) {
  for (unsigned I = 0; I < O.numResults(); ++I)
    if (O.result(I)->hasUses())
      return false;
  return true;
}

static bool dceBlock(Block &B) {
  bool Changed = false;
  std::vector<Op *> Order;
  for (auto &O : B.ops())
    Order.push_back(O.get());
  // Walk backwards so that a use goes before its definition.
  for (auto It = Order.rbegin(); It != Order.rend(); ++It) {
    Op &O = **It;
    for (unsigned R = 0; R < O.numRegions(); ++R)
      Changed |= dceBlock(O.region(R).block());
    if (!O.hasTrait(Terminator) && unused(O) && isRemovable(O)) {
      B.erase(&O);
      Changed = true;
    }
  }
  return Changed;
}

bool sstat::ir::runDCE(Module &M) {
  bool Changed = false;
  while (dceBlock(M.body().block()))
    Changed = true;
  return Changed;
}
