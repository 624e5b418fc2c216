//===- RoundScheduling.cpp - Group ops by communication round -------------===//
//
// An interactive op can start once the interactive ops it depends on have
// finished; ops whose inputs are ready at the same time can share a network
// round, one message per peer carrying all their elements. This pass
// computes those ASAP levels with blockLevels() (Cost.h: the cost model
// counts rounds with the same function) and
//
//   - reorders the ops of each block by level, keeping the original order
//     among ops of one level, so that the ops of a round are adjacent and
//     the local ops that feed round r+1 follow round r;
//   - annotates every interactive op with `round = r` (its first round,
//     1-based within its block; a loop body counts per iteration) and, when
//     it takes several rounds (a comparison, a reciprocal), `rounds = n`.
//
// Dependencies are kept (a use is never ready before its definition, and
// the sort is stable), and so is the relative order of effects within two
// chains: input loads among themselves, reveals and publishes among
// themselves (an effect is never given an earlier level than the one before
// it in its chain). An input may move ahead of a disclosure, never behind
// one: its data is shared before the computation starts, and chaining it
// behind `publish(var(x))` would delay a following `var(y)` by var(x)'s
// whole chain of rounds. `for` and `if` ops stay where they are and split a
// block into segments scheduled one after another: nothing moves across a
// loop (independent work before and after a loop is not merged into one
// round; that is left to a later pass). In straight-line code the number
// of distinct rounds occupied by the annotated ops equals the cost model's
// round count.
//
//===----------------------------------------------------------------------===//

#include "sstat/IR/Cost.h"
#include "sstat/IR/Pass.h"

#include <algorithm>
#include <numeric>

using namespace sstat::ir;

namespace {

bool setAttr(Op &O, const std::string &Name, int64_t V) {
  auto It = O.Attrs.find(Name);
  if (V == 0) {
    if (It == O.Attrs.end())
      return false;
    O.Attrs.erase(It);
    return true;
  }
  if (It != O.Attrs.end() && It->second == Attr(V))
    return false;
  O.Attrs[Name] = V;
  return true;
}

bool scheduleBlock(Block &B, const Module &M) {
  bool Changed = false;
  for (auto &O : B.ops())
    for (unsigned R = 0; R < O->numRegions(); ++R)
      Changed |= scheduleBlock(O->region(R).block(), M);

  BlockLevels L = blockLevels(B, M);
  std::vector<std::unique_ptr<Op>> Ops;
  while (!B.ops().empty())
    Ops.push_back(B.remove(B.ops().front().get()));

  for (size_t I = 0; I < Ops.size(); ++I) {
    Changed |= setAttr(*Ops[I], "round", L.First[I]);
    Changed |= setAttr(*Ops[I], "rounds", L.Latency[I] > 1 ? L.Latency[I] : 0);
  }

  // Sort each run of ops between barriers (region ops, the terminator).
  std::vector<size_t> Order(Ops.size());
  std::iota(Order.begin(), Order.end(), 0);
  auto IsBarrier = [&](size_t I) {
    return Ops[I]->numRegions() > 0 || Ops[I]->hasTrait(Terminator);
  };
  for (size_t Begin = 0; Begin < Order.size();) {
    size_t End = Begin;
    while (End < Order.size() && !IsBarrier(End))
      ++End;
    std::stable_sort(
        Order.begin() + long(Begin), Order.begin() + long(End),
        [&](size_t A, size_t C) { return L.Ready[A] < L.Ready[C]; });
    Begin = End + 1;
  }

  for (size_t I = 0; I < Order.size(); ++I) {
    Changed |= Order[I] != I;
    B.append(std::move(Ops[Order[I]]));
  }
  return Changed;
}

} // namespace

bool sstat::ir::runRoundScheduling(Module &M) {
  return scheduleBlock(M.body().block(), M);
}
