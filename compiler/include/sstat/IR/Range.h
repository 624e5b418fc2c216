//===- Range.h - Magnitude bounds of IR values from the schema ----*- C++
//-*-===//
//
// The schema bounds every input column (`num(0, 1e5)`); the row counts are
// known only at run time. This analysis bounds every value of an inlined
// module by a polynomial in N, the largest row count of any input table:
//
//   |v| <= c_0 + c_1 N + c_2 N^2 + ...      (real units, c_k >= 0)
//
// and from that finds, for the ring and the value's fixed-point scale, the
// largest N for which the value's encoding cannot leave the ring (|v| 2^s <
// 2^(k-1)). sstatc warns where that N is below a realistic table size, and
// `--emit=ranges` lists the bounds per source line.
//
// Bounds are over-approximations by interval arithmetic on magnitudes:
// sums multiply by their length, products multiply bounds. A division by a
// run-time public value (a count) is assumed to divide by at least 1; an
// op marked `row_sum_at_most = c` (a join's match matrix, whose keys are
// unique within y) promises that bound on each row's sum of magnitudes. The
// results of the nonlinear kernels (recip, sqrt, rsqrt, exp, log, solve) and
// of loops are not bounded here ("unknown"): the kernels have their own
// documented ranges (docs/fixedpoint.md), and nothing downstream of an
// unknown value is warned about.
//
//===----------------------------------------------------------------------===//

#ifndef SSTAT_IR_RANGE_H
#define SSTAT_IR_RANGE_H

#include "sstat/IR/IR.h"

#include <map>
#include <string>
#include <vector>

namespace sstat::ir {

/// |v| <= sum_k C[k] N^k, or unknown.
struct Bound {
  bool Known = false;
  std::vector<double> C; // C[k] >= 0, no trailing zeros
  /// When the value lies in [Lo, Hi] whatever N (a column, a constant, a
  /// difference or product of such, a mean): then C = {max |Lo|, |Hi|}, and
  /// differences are bounded by the interval (x - mean(x) by hi - lo, not
  /// 2 max |x|).
  bool HasIv = false;
  double Lo = 0, Hi = 0;
  /// A sum of the n.t values of a column of table t (AvgOver = "n.t"), each
  /// in [ALo, AHi]: divided by t's row count, it lies there.
  bool HasAvg = false;
  double ALo = 0, AHi = 0;
  std::string AvgOver;

  static Bound unknown() { return {}; }
  static Bound constant(double V);
  static Bound interval(double Lo, double Hi);
  static Bound rows(); // N
  double at(double N) const;
  int degree() const { return int(C.size()) - 1; }
  Bound operator+(const Bound &O) const;
  Bound operator-(const Bound &O) const;
  Bound operator-() const;
  Bound operator*(const Bound &O) const;
  Bound scaled(double F) const;
  static Bound max(const Bound &A, const Bound &B);
  /// `1e+10*N^2 + 5`, `[1.9e+03, 2.1e+03]` (an interval), or `unknown`.
  std::string str() const;
};

/// The bounds of the elements of one value: a grid of bounds, one per row
/// and column where that axis has a small constant length (a d x d cross
/// product, a selection matrix, c(a, b)), or one for the whole axis where it
/// is long or a row count (the n rows of a column). So lm's X'X keeps the
/// bound of each entry, and a selection of its first row sees the column
/// sums, not the sums of squares.
struct Grid {
  bool Known = false;
  unsigned R = 1, C = 1; // per-index entries along each axis (1: uniform)
  std::vector<Bound> E;  // R * C, row-major
  Bound LenR, LenC;      // the axes' lengths (for sums over them)
  /// A bound of every row's sum of magnitudes, when one is known (a
  /// factor's one-hot rows, a join's match rows: 1), else negative.
  double RowSum = -1;
  const Bound &at(unsigned I, unsigned J) const {
    return E[(R == 1 ? 0 : I) * C + (C == 1 ? 0 : J)];
  }
  Bound max() const;
};

/// The bounds of every value of \p M (which must have no calls left).
class RangeAnalysis {
public:
  explicit RangeAnalysis(const Module &M);
  /// The bound of every element of V (the largest of its grid).
  const Bound &bound(const Value *V) const;
  const Grid &grid(const Value *V) const;

  /// The largest N (rows) for which |V| 2^scale < 2^(ring - 1 - Margin)
  /// holds by the bound, capped at 2^62; 0 if not even one row is safe; -1
  /// if the bound is unknown. Margin 0: V stays in the ring; a margin of
  /// sigma = 40 bits: ABY3's one-round truncation of V fails with
  /// probability at most 2^-40.
  double maxRows(const Value *V, int Margin = 0) const;

  /// The most rows for which every bounded value (constants aside) stays in
  /// the ring, and the first op, in program order, that sets it; 2^62 and
  /// null when nothing limits the rows.
  std::pair<double, const Op *> rowLimit() const;

private:
  void block(const Block &B);
  void op(const Op &O);
  void set(const Value *V, Grid G);
  Bound dimBound(const Dim &D) const;
  Grid uniform(const Bound &B, const Type &T) const;

  const Module &M;
  std::map<const Value *, Grid> Grids;
  std::map<const Value *, Bound> Maxes;
};

/// Below this many rows a possible overflow is warned about (DESIGN: tables
/// of 10^8 rows and beyond).
constexpr double kRealisticRows = 1e8;

/// The statistical security of ABY3's one-round truncation: it may fail
/// with probability at most 2^-kSigmaBits.
constexpr int kSigmaBits = 40;

/// For a `trunc` or `div` of a secret: the most rows for which the value
/// it truncates stays below 2^(k-1-sigma), so the one-round truncation is
/// safe; -1 if unbounded. (A div truncates the numerator times the
/// reciprocal: the result at its scale plus the numerator's.)
double truncSafeRows(const RangeAnalysis &RA, const Op &O);

/// One source line's tightest row limit.
struct RangeWarning {
  llvm::SMLoc Loc;
  double MaxRows; // 0: not even one row
  std::string Bound;
};

/// The source lines (by the first op of each) on which some value can leave
/// the ring with fewer than kRealisticRows rows, in program order.
std::vector<RangeWarning> rangeWarnings(const Module &M);

} // namespace sstat::ir

#endif // SSTAT_IR_RANGE_H
