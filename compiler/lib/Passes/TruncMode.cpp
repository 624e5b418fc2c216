//===- TruncMode.cpp - Exact truncation where one round is not safe -------===//
//
// A truncation of a secret (`trunc`, and `div` by a public value, which
// truncates the product by the reciprocal) runs ABY3's one-round protocol
// Pi_trunc1 by default. It fails -- returns garbage -- with probability
// about |x| 2^-(k-1) for the value x before truncation (docs/fixedpoint.md),
// so it is acceptable only for |x| < 2^(k-1-sigma), sigma = 40. The range
// analysis (IR/Range.h) bounds x by a polynomial in the row count; this pass
// marks every truncation that this bound does not keep safe up to 10^8 rows
// `exact = 1`: the VM runs the exact truncation by bit decomposition
// (rep3::Binary::truncExact; Catrina-de Hoogh), and the cost model charges
// it. Every truncation gets `prob_rows = N`, the rows up to which the
// one-round protocol is safe, which the bytecode carries, so that a table
// larger than that turns even an unmarked truncation exact at run time.
// Truncations whose operand has no bound (after a kernel or in a loop) keep
// the one-round protocol (docs/protocols.md, "Known limits").
//
// Run after the passes that move truncations (truncdefer, dotfuse) and
// before round scheduling, which needs each op's latency.
//
//===----------------------------------------------------------------------===//

#include "sstat/IR/Pass.h"
#include "sstat/IR/Range.h"

#include <cmath>

using namespace sstat::ir;

bool sstat::ir::runTruncMode(Module &M) {
  if (!M.Functions.empty())
    return false; // the range analysis needs main alone (run inline first)
  RangeAnalysis RA(M);
  bool Changed = false;
  walk(M.body().block(), [&](Op &O) {
    if ((O.code() != OpCode::Trunc && O.code() != OpCode::Div) ||
        !O.operand(0)->type().isSecret())
      return;
    double N = truncSafeRows(RA, O);
    if (N < 0)
      return;
    int64_t Rows = N >= std::ldexp(1.0, 62) ? INT64_MAX : int64_t(N);
    bool Exact = N < kRealisticRows;
    if (O.intAttr("prob_rows") != Rows || O.hasAttr("exact") != Exact)
      Changed = true;
    O.Attrs["prob_rows"] = Rows;
    if (Exact)
      O.Attrs["exact"] = int64_t(1);
    else
      O.Attrs.erase("exact");
  });
  return Changed;
}
