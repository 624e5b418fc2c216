//===- FixedPointLinalg.h - Data-independent SPD solver ---------*- C++ -*-===//
//
// choleskySolve: X = A^-1 B and diag(A^-1) for a small symmetric positive
// definite A (d x d, d up to about 20; the normal equations X'X beta = X'y of
// a linear regression and the diagonal of (X'X)^-1 for its standard errors),
// in fixed point, as one straight-line sequence of primitives that depends
// on (d, m, Params, SolveRange) only. It is written once over the vector
// primitives FxVecOps below, so the same code runs on cleartext
// (ClearVecOps, the reference executor) and on rep3 shares (Rep3VecOps, a
// thin wrapper of rep3::Rep3FxOps).
//
// Vectors. Every Value is a whole vector and every primitive is one
// vectorized step, so the rounds of an MPC run are the number of
// interactive calls, whatever their length. FxVecOps adds to FxOps the
// local operations needed to pack independent work into one call:
//   length(v)                  the number of elements
//   setSize(n)                 the length that constant() produces (so the
//                              kernels of FixedPointKernels.h run on n
//                              elements)
//   constants(c)               a public vector
//   gather(v, idx)             (v[idx_0], v[idx_1], ...), public indices
//   concat(vs)                 the vectors one after the other
//   mulWide(a, b, l)           a_j b_j at the sum of the scales, not
//                              truncated (one multiplication round in
//                              rep3); |a_j b_j| < 2^l
//   sumMulTrunc(a, b, g, l)    one output per group of g_t consecutive
//                              elements: floor((sum a_j b_j) / 2^F), the
//                              sum of the group's products truncated once;
//                              |sum| < 2^l and every |a_j b_j| < 2^l. In
//                              rep3 the group's local products are summed
//                              before the reshare: one multiplication round
//                              sending one element per group, then one
//                              truncation (ABY3's dot product). With groups
//                              of one it is mulTrunc.
// gather and concat are local on replicated shares (each party permutes its
// two components), so packing costs nothing.
//
// Algorithm. With S = diag(s), s_i ~ 1/sqrt(A_ii):
//  1. s = rsqrt(diag A): ONE kernel call on d elements.
//  2. Equilibration: At_ij = (A_ij s_j) s_i for i >= j, and Bt = S B (two
//     product calls). At = S A S has a diagonal within a few units of
//     2^-F sqrt(A_ii) of 1, so |At_ij| <~ 1, the Cholesky factor L has
//     |L_ij| <~ 1 and pivots in [lambda_min(At), 1]: every entry keeps F
//     bits of absolute precision at magnitude <= 1 whatever the scale of A
//     (X'X entries up to 2^DiagBits). A_ij s_j is formed first (magnitude
//     sqrt(A_ii)) so no factor is rounded at a small magnitude. The result
//     is exact for the s actually computed (A^-1 = S At^-1 S for any S), so
//     the rsqrt's error, 2^-F absolute on s ~ 1/sqrt(A_ii), does not matter
//     -- but for the same reason At_ii must be computed, not assumed 1.
//  3. Right-looking Cholesky with an identity block carried alongside,
//     which becomes W = L'^-1 (L' the factor whose diagonal is 1/r_j):
//     for j = 0 .. d-1:
//       r_j = rsqrt(pivot_j)            (kernel call on 1 element; for j = 0
//                                        (3 - p_0)/2, see below)
//       L_ij = At_ij r_j (i > j), W_j = R_j r_j           (1 product call)
//       At_ik -= L_ij L_kj (j < k <= i), R_i -= L_ij W_j  (1 product call)
//     where R is the identity block, rows still being reduced. The
//     diagonal of L is never formed: the solve uses only r_j = 1 / L'_jj.
//     The first pivot p_0 = A_00 s_0^2 is 1 - u with |u| <~ 2^(DiagBits/2 +
//     2 - F), so (3 - p_0)/2 (one truncation) is its rsqrt to O(u^2), below
//     a unit when DiagBits <= F - 4; otherwise it takes the kernel too.
//     The identity block is carried at scale 2^-h (W' = 2^-h W, see the
//     ranges) so that every truncation of the loop stays within rep3's
//     probabilistic range.
//  4. Three more product calls: z' = W' Bt and dt' = diag(W'^T W')
//     (grouped sums); y' = W'^T z' (= 2^-2h At^-1 Bt), dt s and dt p, with
//     dt = 2^2h dt' = diag(At^-1) and p = diag(At); then X = (2^2h y') s
//     and diag(A^-1) = (dt s) s. dt p = A_ii diag(A^-1)_i is returned too.
//
// Cost, as a function of d (any m): d rsqrt kernel calls (one on d
// elements, d-1 on one element; d+1 if DiagBits > F-4) and 2d + 4 product
// calls (elementwise or grouped):
//   loop: 2d - 1 calls, all probabilistic truncations (bound <= K-1-Sigma);
//   one-off: P2 (bound 2F + 1) probabilistic; P1 (A s, B s), F1, F2, F3
//   exact whenever their bounds, which carry the scale of A and B, exceed
//   K - 1 - Sigma (so in every test here).
// Measured by Rep3LinalgTest in Z_2^128 at F = 40 (rounds as the channel
// counts them at party 1, as in Rep3FxOpsTest: a product with a
// probabilistic truncation counts 1, with an exact one 10; rsqrt 104):
//     rounds = 104 d + (2d - 1) + 1 + 4 * 10 = 106 d + 40
//     (d = 4: 464, d = 5: 570, d = 11: 1206, d = 20: 2160),
// and bytes sent per party (d = 4, m = 1) 55 KB / 32 KB / 32 KB (d = 11:
// 187 / 108 / 108 KB; d = 20: 430 / 245 / 245 KB). In Z_2^64 at F = 16 every
// product truncation is exact (d = 3: 726 rounds). The critical path is
// inherently d sequential pivots: pivot j+1 depends on column j, which needs
// pivot j's rsqrt; the rsqrt kernel (a bit decomposition and shifters) is 90%
// of the rounds. Multiplications: about d^3/3 + d^2 m elementwise products in
// all (the grouped sums reshare one element per group, not per product).
//
// Ranges (SolveRange; every declared truncation bound is derived from them
// and solveShape() checks that all of them fit the ring):
//   1 <= A_ii < 2^DiagBits                    (DiagBits <= K - F - 2)
//   |B_ic| / sqrt(A_ii) < 2^RhsBits   (normal equations: ||y||_2 < 2^RhsBits)
//   lambda_min(S A S) >= 2^-CondBits          (so |W_jc| <= 2^(CondBits/2),
//                        cond(S A S) <= d 2^CondBits; CondBits + log2 d + 3
//                        <= F keeps every pivot well above one unit)
// The largest declared bound is 2F + CondBits + RhsBits + log2(d)/2 + 1 <=
// K - 1 (the final X = y s); in Z_2^128 at F = 40, CondBits + RhsBits <= 46
// - log2(d)/2; in Z_2^64 at F = 16, CondBits <= 13 - log2(d) and
// CondBits + RhsBits <= 30 - log2(d)/2. The shift h = max(0, 2F +
// ceil(CondBits/2) + 1 - (K - 1 - Sigma)) (0 when 2F + 1 > K - 1 - Sigma,
// as in Z_2^64) keeps the loop's truncations at l <= K - 1 - Sigma, where
// rep3 truncates probabilistically; it costs h bits of absolute precision
// in W (h = 4 for CondBits = 20 at F = 40). Inputs outside the range (A not
// positive definite, or worse conditioned than declared) give a
// deterministic but meaningless result, and in rep3 may make a
// probabilistic truncation fail.
//
// Error. A backward error of a few units of 2^-F on At (whose diagonal is
// about 1), so in the scaled variables y = S^-1 X the error is about
// cond(At) d 2^-F relative to ||y|| (plus 2^(2h-F) from the scaled block);
// A_ii diag(A^-1)_i (InvDiagScaled) likewise. Because of the equilibration
// this holds whatever the magnitudes of A. X itself is fixed point:
// absolute precision 2^-F besides that. diag(A^-1) is tiny when A_ii is
// large (about 1/A_ii for X'X with many rows) and in plain fixed point has
// only absolute precision 2^-F (relative 1e-3 for A_ii ~ 1e9 at F = 40);
// for standard errors use InvDiagScaled / A_ii (e.g. fx::divide), which
// keeps the relative precision. Measured in Z_2^128 at F = 40
// (FixedPointLinalgTest, cleartext, floor truncation): X'X of 100 .. 10^5
// rows, A_ii up to 3e9, d up to 11, cond(At) up to 313: scaled error of X
// <= 7.9e-9, componentwise <= 4.9e-8, InvDiagScaled <= 2.3e-10, all within
// 0.41 of the tolerance 2^-F (4 2^(2h) + 10 cond(At) d) the tests assert;
// mtcars lm(mpg ~ wt + hp + qsec) (cond(At) = 2522) and + am (3379):
// coefficients within 4.5e-8 of the exact least-squares solution and R,
// standard errors within 6e-10 of R. On rep3 (Rep3LinalgTest), whose
// probabilistic truncation is nearly unbiased where the floor is not, the
// errors are smaller (mtcars: 3.1e-9 and 1.4e-8); rep3 and cleartext differ
// by at most 4.7e-8 relative. In Z_2^64 at F = 16 about 4 digits for a
// well-conditioned system (7e-4 at cond 4) and 7% on mtcars.
//
//===----------------------------------------------------------------------===//

#ifndef SSTAT_RUNTIME_FIXEDPOINTLINALG_H
#define SSTAT_RUNTIME_FIXEDPOINTLINALG_H

#include "sstat/runtime/FixedPoint.h"
#include "sstat/runtime/FixedPointKernels.h"
#include "sstat/runtime/FixedPointOps.h"
#include "sstat/runtime/rep3/FxOps.h"
#include "sstat/runtime/rep3/Rep3.h"

#include <algorithm>
#include <cassert>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace sstat::runtime::fx {

//===----------------------------------------------------------------------===//
// The vector primitives
//===----------------------------------------------------------------------===//

/// FxOps on whole vectors, plus local packing and grouped dot products.
template <class O>
concept FxVecOps = FxOps<O> &&
    requires(O &Ops, const typename O::Value &V,
             const std::vector<typename O::Value> &Vs,
             const std::vector<std::size_t> &Idx,
             const std::vector<typename O::Ring> &Cs, std::size_t N,
             unsigned B) {
  { Ops.length(V) } -> std::convertible_to<std::size_t>;
  Ops.setSize(N);
  { Ops.constants(Cs) } -> std::same_as<typename O::Value>;
  { Ops.gather(V, Idx) } -> std::same_as<typename O::Value>;
  { Ops.concat(Vs) } -> std::same_as<typename O::Value>;
  { Ops.sumMulTrunc(V, V, Idx, B) } -> std::same_as<typename O::Value>;
  { Ops.mulWide(V, V, B) } -> std::same_as<typename O::Value>;
};

/// The cleartext vector primitives: ClearOps elementwise, with the floor for
/// every truncation; instrumented like CountingOps (calls, a hash of the
/// sequence of calls with their public arguments and lengths, and checks of
/// every declared bound and precondition).
template <RingElement RingT> class ClearVecOps {
public:
  using Ring = RingT;
  using Value = std::vector<Ring>;
  using Signed = typename RingTraits<Ring>::Signed;
  static constexpr unsigned K = RingTraits<Ring>::Bits;

  explicit ClearVecOps(Params P, std::size_t N = 1) : S(P), N(N) {}
  Params params() const { return S.params(); }

  /// Calls per FxOps primitive, and of the extensions.
  PrimCounts Counts;
  uint64_t Gathers = 0, Concats = 0, SumMulTruncs = 0;
  /// FNV-1a hash of the sequence of calls, public arguments and lengths.
  uint64_t TraceHash = 1469598103934665603ULL;
  /// The largest declared bound of a product (mulTrunc, sumMulTrunc) or a
  /// trunc; the number of elements whose operand broke its bound; select on
  /// a non-bit, msb out of range.
  unsigned MaxProductBound = 0, MaxTruncBound = 0;
  uint64_t BoundViolations = 0, PreconditionViolations = 0;

  std::size_t length(const Value &V) const { return V.size(); }
  void setSize(std::size_t Len) {
    mix(0xA1);
    mix(Len);
    N = Len;
  }

  Value constant(Ring C) {
    note(Prim::Constant, C);
    return Value(N, C);
  }
  Value constants(const std::vector<Ring> &Cs) {
    mix(0xA2);
    for (Ring C : Cs)
      mixRing(C);
    return Cs;
  }
  Value add(const Value &A, const Value &B) {
    note(Prim::Add, 0, 0, A.size());
    return zip(A, B, [&](Ring X, Ring Y) { return S.add(X, Y); });
  }
  Value sub(const Value &A, const Value &B) {
    note(Prim::Sub, 0, 0, A.size());
    return zip(A, B, [&](Ring X, Ring Y) { return S.sub(X, Y); });
  }
  Value neg(const Value &A) {
    note(Prim::Neg, 0, 0, A.size());
    return map(A, [&](Ring X) { return S.neg(X); });
  }
  Value mulPublic(const Value &A, Ring C) {
    note(Prim::MulPublic, C, 0, A.size());
    return map(A, [&](Ring X) { return S.mulPublic(X, C); });
  }
  Value mulTrunc(const Value &A, const Value &B, unsigned Bound) {
    note(Prim::MulTrunc, Bound, 0, A.size());
    MaxProductBound = std::max(MaxProductBound, Bound);
    return zip(A, B, [&](Ring X, Ring Y) {
      if (!CountingOps<Ring>::productBelow(X, Y, Bound))
        ++BoundViolations;
      return S.mulTrunc(X, Y, Bound);
    });
  }
  Value mulWide(const Value &A, const Value &B, unsigned Bound) {
    mix(0xA6);
    mix(Bound);
    mix(A.size());
    MaxProductBound = std::max(MaxProductBound, Bound);
    return zip(A, B, [&](Ring X, Ring Y) {
      if (!CountingOps<Ring>::productBelow(X, Y, Bound))
        ++BoundViolations;
      return static_cast<Ring>(X * Y);
    });
  }
  Value trunc(const Value &A, unsigned Sh, unsigned Bound) {
    note(Prim::Trunc, Sh, Bound, A.size());
    MaxTruncBound = std::max(MaxTruncBound, Bound);
    return map(A, [&](Ring X) {
      if (CountingOps<Ring>::magnitudeBits(X) > Bound)
        ++BoundViolations;
      return S.trunc(X, Sh, Bound);
    });
  }
  Value ltz(const Value &A) {
    note(Prim::Ltz, 0, 0, A.size());
    return map(A, [&](Ring X) { return S.ltz(X); });
  }
  Value select(const Value &C, const Value &A, const Value &B) {
    note(Prim::Select, 0, 0, A.size());
    assert(C.size() == A.size() && "select length mismatch");
    Value Out(A.size());
    for (std::size_t J = 0; J < A.size(); ++J) {
      if (C[J] > 1)
        ++PreconditionViolations;
      Out[J] = S.select(C[J], A[J], B.at(J));
    }
    return Out;
  }
  std::vector<Value> msb(const Value &A, unsigned Width) {
    note(Prim::Msb, Width, 0, A.size());
    std::vector<Value> Out(Width, Value(A.size()));
    for (std::size_t J = 0; J < A.size(); ++J) {
      if (toSigned(A[J]) < 0 || ClearOps<Ring>::bitWidth(A[J]) > Width)
        ++PreconditionViolations;
      std::vector<Ring> B = S.msb(A[J], Width);
      for (unsigned I = 0; I < Width; ++I)
        Out[I][J] = B[I];
    }
    return Out;
  }
  std::vector<Value> bits(const Value &A, unsigned Lo, unsigned Num) {
    note(Prim::Bits, Lo, Num, A.size());
    std::vector<Value> Out(Num, Value(A.size()));
    for (std::size_t J = 0; J < A.size(); ++J) {
      std::vector<Ring> B = S.bits(A[J], Lo, Num);
      for (unsigned I = 0; I < Num; ++I)
        Out[I][J] = B[I];
    }
    return Out;
  }

  Value gather(const Value &V, const std::vector<std::size_t> &Idx) {
    ++Gathers;
    mix(0xA3);
    mix(V.size());
    Value Out(Idx.size());
    for (std::size_t J = 0; J < Idx.size(); ++J) {
      mix(Idx[J]);
      Out[J] = V.at(Idx[J]);
    }
    return Out;
  }
  Value concat(const std::vector<Value> &Vs) {
    ++Concats;
    mix(0xA4);
    Value Out;
    for (const Value &V : Vs) {
      mix(V.size());
      Out.insert(Out.end(), V.begin(), V.end());
    }
    return Out;
  }
  Value sumMulTrunc(const Value &A, const Value &B,
                    const std::vector<std::size_t> &Groups, unsigned Bound) {
    ++SumMulTruncs;
    mix(0xA5);
    mix(Bound);
    MaxProductBound = std::max(MaxProductBound, Bound);
    assert(A.size() == B.size() && "sumMulTrunc length mismatch");
    Value Out(Groups.size());
    std::size_t Pos = 0;
    for (std::size_t G = 0; G < Groups.size(); ++G) {
      mix(Groups[G]);
      Ring Acc = 0;
      // Each |product| < 2^Bound and g 2^Bound <= 2^(K-1): the ring sum is
      // the integer sum, which must be below 2^Bound too.
      const unsigned Room = K - 1 - std::min(Bound, K - 1);
      bool Ok = Room >= 30 || Groups[G] <= (std::size_t(1) << Room);
      for (std::size_t T = 0; T < Groups[G]; ++T, ++Pos) {
        Ok = Ok && CountingOps<Ring>::productBelow(A.at(Pos), B.at(Pos), Bound);
        Acc = static_cast<Ring>(Acc + A[Pos] * B[Pos]);
      }
      if (!Ok || CountingOps<Ring>::magnitudeBits(Acc) > Bound)
        ++BoundViolations;
      Out[G] = truncFloor<Ring>(Acc, params().F);
    }
    assert(Pos == A.size() && "groups do not cover the operands");
    return Out;
  }

private:
  template <class Fn> static Value map(const Value &A, Fn F) {
    Value Out(A.size());
    for (std::size_t J = 0; J < A.size(); ++J)
      Out[J] = F(A[J]);
    return Out;
  }
  template <class Fn> static Value zip(const Value &A, const Value &B, Fn F) {
    assert(A.size() == B.size() && "operand length mismatch");
    Value Out(A.size());
    for (std::size_t J = 0; J < A.size(); ++J)
      Out[J] = F(A[J], B[J]);
    return Out;
  }
  void mix(uint64_t V) {
    for (int I = 0; I < 8; ++I) {
      TraceHash ^= (V >> (8 * I)) & 0xff;
      TraceHash *= 1099511628211ULL;
    }
  }
  void mixRing(Ring V) {
    mix(static_cast<uint64_t>(V));
    if constexpr (K == 128)
      mix(static_cast<uint64_t>(V >> 64));
  }
  void note(Prim P, Ring A = 0, Ring B = 0, std::size_t Len = 0) {
    ++Counts[P];
    mix(static_cast<uint64_t>(P));
    mixRing(A);
    mixRing(B);
    mix(Len);
  }

  ClearOps<Ring> S;
  std::size_t N;
};

static_assert(FxVecOps<ClearVecOps<uint64_t>> && FxVecOps<ClearVecOps<U128>>);

/// The vector primitives on rep3 shares: Rep3FxOps for the FxOps part (its
/// truncation choice, probabilistic for l + 1 + sigma <= k and exact
/// otherwise), plus local gather / concat / public vectors and the grouped
/// products (local sums of the three share products, one reshare of one
/// element per group, one truncation).
template <class T> class Rep3VecOps {
public:
  using Ring = T;
  using Value = rep3::Share<T>;
  static constexpr unsigned K = sizeof(T) * 8;

  explicit Rep3VecOps(rep3::Rep3FxOps<T> &Inner) : I(Inner) {}
  rep3::Rep3FxOps<T> &inner() { return I; }

  Params params() const { return I.params(); }
  std::size_t length(const Value &V) const { return V.size(); }
  void setSize(std::size_t N) { I.setSize(N); }

  Value constant(Ring C) const { return I.constant(C); }
  Value add(const Value &A, const Value &B) const { return I.add(A, B); }
  Value sub(const Value &A, const Value &B) const { return I.sub(A, B); }
  Value neg(const Value &A) const { return I.neg(A); }
  Value mulPublic(const Value &A, Ring C) const { return I.mulPublic(A, C); }
  Value mulTrunc(const Value &A, const Value &B, unsigned Bound) {
    return I.mulTrunc(A, B, Bound);
  }
  Value mulWide(const Value &A, const Value &B, unsigned) {
    return I.party().mul(A, B);
  }
  Value trunc(const Value &A, unsigned S, unsigned Bound) {
    return I.trunc(A, S, Bound);
  }
  Value ltz(const Value &A) { return I.ltz(A); }
  Value select(const Value &C, const Value &A, const Value &B) {
    return I.select(C, A, B);
  }
  std::vector<Value> msb(const Value &A, unsigned W) { return I.msb(A, W); }
  std::vector<Value> bits(const Value &A, unsigned Lo, unsigned N) {
    return I.bits(A, Lo, N);
  }

  /// The trivial sharing (c_j, 0, 0) of a public vector.
  Value constants(const std::vector<Ring> &Cs) {
    Value V{std::vector<T>(Cs.size(), 0), std::vector<T>(Cs.size(), 0)};
    if (I.party().id() == 0)
      V.a = Cs;
    else if (I.party().id() == 2)
      V.b = Cs;
    return V;
  }
  Value gather(const Value &V, const std::vector<std::size_t> &Idx) const {
    Value Out{std::vector<T>(Idx.size()), std::vector<T>(Idx.size())};
    for (std::size_t J = 0; J < Idx.size(); ++J) {
      Out.a[J] = V.a.at(Idx[J]);
      Out.b[J] = V.b.at(Idx[J]);
    }
    return Out;
  }
  Value concat(const std::vector<Value> &Vs) const {
    Value Out;
    for (const Value &V : Vs) {
      Out.a.insert(Out.a.end(), V.a.begin(), V.a.end());
      Out.b.insert(Out.b.end(), V.b.begin(), V.b.end());
    }
    return Out;
  }
  Value sumMulTrunc(const Value &A, const Value &B,
                    const std::vector<std::size_t> &Groups, unsigned Bound) {
    if (A.size() != B.size())
      throw rep3::Rep3Error("rep3: sumMulTrunc operand size mismatch");
    std::vector<T> Z(Groups.size());
    std::size_t Pos = 0;
    for (std::size_t G = 0; G < Groups.size(); ++G) {
      T Acc = 0;
      for (std::size_t J = 0; J < Groups[G]; ++J, ++Pos) {
        if (Pos >= A.size())
          throw rep3::Rep3Error("rep3: sumMulTrunc groups exceed operands");
        Acc += A.a[Pos] * B.a[Pos] + A.a[Pos] * B.b[Pos] + A.b[Pos] * B.a[Pos];
      }
      Z[G] = Acc;
    }
    if (Pos != A.size())
      throw rep3::Rep3Error("rep3: sumMulTrunc groups do not cover operands");
    return I.trunc(I.party().reshareSum(std::move(Z)), I.params().F, Bound);
  }

private:
  rep3::Rep3FxOps<T> &I;
};

static_assert(FxVecOps<Rep3VecOps<uint64_t>> && FxVecOps<Rep3VecOps<U128>>);

//===----------------------------------------------------------------------===//
// The solver
//===----------------------------------------------------------------------===//

/// Public range of the system (see the file comment); every declared
/// truncation bound is derived from it.
struct SolveRange {
  /// 1 <= A_ii < 2^DiagBits.
  unsigned DiagBits = 32;
  /// |B_ic| < 2^RhsBits sqrt(A_ii); for the normal equations X'X b = X'y,
  /// ||y||_2 < 2^RhsBits suffices.
  unsigned RhsBits = 20;
  /// lambda_min(S A S) >= 2^-CondBits, S = diag(A)^-1/2.
  unsigned CondBits = 20;
  /// The executor truncates probabilistically when the bound l satisfies
  /// l + 1 + Sigma <= K (rep3::Rep3FxOps' default sigma is 40); only the
  /// internal shift h depends on it.
  unsigned Sigma = 40;
};

/// The public shape of a solve: the shift h of the identity block and the
/// declared bound of each product call.
struct SolveShape {
  bool Valid = false;
  const char *Why = "";
  unsigned Shift = 0;
  /// Whether the first pivot's reciprocal square root is taken as
  /// (3 - p) / 2 instead of by the kernel (DiagBits <= F - 4, see above).
  bool LinearFirstPivot = false;
  unsigned BoundScale = 0, BoundEquil = 0, BoundLoop = 0;
  unsigned BoundForward = 0, BoundBack = 0, BoundOut = 0;
};

/// What a solve did (for tests and cost reports).
struct SolveInfo {
  SolveShape Shape;
  unsigned RsqrtCalls = 0;
  unsigned ProductCalls = 0;
  /// The declared bound of every product call, in order.
  std::vector<unsigned> Bounds;
};

/// The results, each a vector: X is d x m row-major. With Wide (the last
/// argument of choleskySolve), X and InvDiag are the last products before
/// their truncation, at scale 2F: X keeps the relative precision of the
/// scaled solution whatever its magnitude, and diag(A^-1) = (dt s) s that
/// of dt s (2^-F relative to s_i, i.e. 2^-F sqrt(A_ii)).
template <class Value> struct SolveResult {
  /// A^-1 B.
  Value X;
  /// diag(A^-1) (absolute precision 2^-F, or 2^-2F when Wide).
  Value InvDiag;
  /// s_i ~ 1/sqrt(A_ii), the equilibration actually used.
  Value Scale;
  /// A_ii diag(A^-1)_i, in [1, d 2^CondBits] (the variance inflation of
  /// coefficient i, up to centring), with F bits of relative precision up
  /// to the conditioning: diag(A^-1)_i = InvDiagScaled_i / A_ii keeps them
  /// (e.g. fx::divide), where InvDiag has only absolute precision.
  Value InvDiagScaled;
};

namespace linalg_detail {
/// Index of (i, j), j <= i, in a row-major lower triangle.
inline std::size_t tri(std::size_t I, std::size_t J) {
  return I * (I + 1) / 2 + J;
}
/// ceil(log2(d) / 2): sqrt(d) <= 2^halfLog2(d).
inline unsigned halfLog2(unsigned D) {
  unsigned E = 0;
  while ((uint64_t(1) << (2 * E)) < D)
    ++E;
  return E;
}
inline unsigned log2Ceil(unsigned D) {
  unsigned E = 0;
  while ((uint64_t(1) << E) < D)
    ++E;
  return E;
}
inline std::vector<std::size_t> iota(std::size_t From, std::size_t To) {
  std::vector<std::size_t> V;
  for (std::size_t I = From; I < To; ++I)
    V.push_back(I);
  return V;
}
} // namespace linalg_detail

/// The shape of a solve of d x d by d x m under P and R: validity and the
/// truncation bounds (functions of public data only).
inline SolveShape solveShape(Params P, unsigned D, unsigned M,
                             const SolveRange &R) {
  (void)M;
  using linalg_detail::halfLog2;
  using linalg_detail::log2Ceil;
  SolveShape S;
  const unsigned F = P.F, K = P.K;
  const unsigned C = R.CondBits, CHalf = (R.CondBits + 1) / 2;
  const unsigned HD = halfLog2(D);
  if (!isSupported(P)) {
    S.Why = "unsupported fixed-point parameters";
    return S;
  }
  if (D == 0) {
    S.Why = "empty system";
    return S;
  }
  if (R.DiagBits == 0 || R.DiagBits > K - F - 2) {
    S.Why = "DiagBits outside the rsqrt range 1 .. K - F - 2";
    return S;
  }
  if (C + log2Ceil(D) + 3 > F) {
    S.Why = "CondBits + log2(d) + 3 > F: pivots would be a few units";
    return S;
  }
  // The loop: |L_ij|, |L_ij L_kj| <= 1 and |W'| <= 2^(C/2 - h).
  const unsigned Limit = K - 1 - std::min(R.Sigma, K - 1);
  if (2 * F + 1 <= Limit)
    S.Shift = std::max(0, int(2 * F + CHalf + 1) - int(Limit));
  const unsigned H = S.Shift;
  const unsigned WBits = CHalf > H ? CHalf - H : 0;
  S.LinearFirstPivot = R.DiagBits + 4 <= F;
  S.BoundScale = 2 * F + std::max((R.DiagBits + 1) / 2, R.RhsBits) + 1;
  S.BoundEquil = 2 * F + 1;
  S.BoundLoop = 2 * F + WBits + 1;
  // z' = W' Bt: ||W'_k|| ||Bt_c|| <= 2^(C/2 - h) sqrt(d) 2^R; dt' <= 2^(C-2h).
  S.BoundForward =
      2 * F + std::max(WBits + R.RhsBits + HD, C > 2 * H ? C - 2 * H : 0) + 1;
  // y' = W'^T z' <= 2^(C - 2h) sqrt(d) 2^R; dt s <= 2^C.
  S.BoundBack =
      2 * F + std::max((C > 2 * H ? C - 2 * H : 0) + R.RhsBits + HD, C) + 1;
  // X = y s, |y| <= 2^C sqrt(d) 2^R, s <= 1; (dt s) s <= 2^C.
  S.BoundOut = 2 * F + C + R.RhsBits + HD + 1;
  if (S.BoundScale > K - 1 || S.BoundForward > K - 1 || S.BoundBack > K - 1 ||
      S.BoundOut > K - 1) {
    S.Why = "2F + CondBits + RhsBits + log2(d)/2 + 1 or 2F + DiagBits/2 + 1 "
            "exceeds K - 1";
    return S;
  }
  S.Valid = true;
  return S;
}

/// X = A^-1 B and diag(A^-1) for a symmetric positive definite A: A is a
/// vector of d*d fixed-point entries (row-major; only the lower triangle
/// and the diagonal are read), B of d*m (row-major, m right-hand sides, m
/// may be 0). A fixed sequence of primitives for given (d, m, params,
/// range): see the file comment for the algorithm, its rounds and error.
template <FxVecOps Ops>
SolveResult<typename Ops::Value>
choleskySolve(Ops &O, const typename Ops::Value &A,
              const typename Ops::Value &B, unsigned D, unsigned M,
              const SolveRange &Range = {}, SolveInfo *Info = nullptr,
              bool Wide = false) {
  using Ring = typename Ops::Ring;
  using Value = typename Ops::Value;
  using linalg_detail::iota;
  using linalg_detail::tri;
  const Params P = O.params();
  const SolveShape Sh = solveShape(P, D, M, Range);
  assert(Sh.Valid && "choleskySolve: range outside the supported one");
  assert(O.length(A) == std::size_t(D) * D && "A must have d*d entries");
  assert(O.length(B) == std::size_t(D) * M && "B must have d*m entries");
  const Ring One = Ring(1) << P.F;
  const std::size_t NT = std::size_t(D) * (D + 1) / 2; // triangle size
  const std::size_t DM = std::size_t(D) * M;
  SolveInfo Local;
  SolveInfo &In = Info ? *Info : Local;
  In = SolveInfo{};
  In.Shape = Sh;
  auto Rsqrt = [&](const Value &X) {
    O.setSize(O.length(X));
    ++In.RsqrtCalls;
    return fx::rsqrt(O, X);
  };
  // One product call: groups of one if Groups is empty.
  auto Products = [&](const Value &L, const Value &R, unsigned Bound,
                      std::vector<std::size_t> Groups = {}) {
    ++In.ProductCalls;
    In.Bounds.push_back(Bound);
    if (Groups.empty())
      return O.mulTrunc(L, R, Bound);
    return O.sumMulTrunc(L, R, Groups, Bound);
  };

  // 1. s = rsqrt(diag A).
  std::vector<std::size_t> DiagIdx(D);
  for (unsigned I = 0; I < D; ++I)
    DiagIdx[I] = std::size_t(I) * D + I;
  const Value Scale = Rsqrt(O.gather(A, DiagIdx));

  // 2. Equilibration: A_ij s_j for i >= j and Bt = S B, then times s_i.
  Value Sm, Bt;
  {
    const Value AB = O.concat({A, B});
    std::vector<std::size_t> LIdx, RIdx, RowI;
    for (unsigned I = 0; I < D; ++I)
      for (unsigned J = 0; J <= I; ++J) {
        LIdx.push_back(std::size_t(I) * D + J);
        RIdx.push_back(J);
        RowI.push_back(I);
      }
    for (unsigned I = 0; I < D; ++I)
      for (unsigned C = 0; C < M; ++C) {
        LIdx.push_back(std::size_t(D) * D + std::size_t(I) * M + C);
        RIdx.push_back(I);
      }
    const Value T1 =
        Products(O.gather(AB, LIdx), O.gather(Scale, RIdx), Sh.BoundScale);
    Bt = O.gather(T1, iota(NT, NT + DM));
    // The Schur complement: the lower triangle of S A S.
    Sm = Products(O.gather(T1, iota(0, NT)), O.gather(Scale, RowI),
                  Sh.BoundEquil);
  }
  std::vector<std::size_t> DiagTri(D);
  for (unsigned I = 0; I < D; ++I)
    DiagTri[I] = tri(I, I);
  const Value PDiag = O.gather(Sm, DiagTri);
  // The identity block at scale 2^-h, in triangle layout.
  Value Wp;
  {
    std::vector<Ring> Ident(NT, 0);
    for (unsigned I = 0; I < D; ++I)
      Ident[tri(I, I)] = Ring(1) << (P.F - Sh.Shift);
    Wp = O.constants(Ident);
  }

  // 3. The elimination.
  std::vector<Value> WRows;
  for (unsigned J = 0; J < D; ++J) {
    const unsigned NJ = D - J - 1;
    Value L, WRow;
    std::vector<std::size_t> ColIdx;
    for (unsigned I = J + 1; I < D; ++I)
      ColIdx.push_back(tri(I, J));
    std::vector<std::size_t> RowIdx;
    for (unsigned C = 0; C <= J; ++C)
      RowIdx.push_back(tri(J, C));
    {
      const Value Pivot = O.gather(Sm, {tri(J, J)});
      Value R;
      if (J == 0 && Sh.LinearFirstPivot) {
        // p = s_0^2 A_00 = 1 - u with |u| <= 2^(DiagBits/2 + 2 - F):
        // 1/sqrt(p) = (3 - p) / 2 + O(u^2), within a unit.
        O.setSize(1);
        R = O.trunc(O.sub(O.constant(3 * One), Pivot), 1, P.F + 2);
      } else {
        R = Rsqrt(Pivot);
      }
      std::vector<std::size_t> Idx = ColIdx;
      for (std::size_t X : RowIdx)
        Idx.push_back(NT + X);
      const Value T = Products(
          O.gather(O.concat({Sm, Wp}), Idx),
          O.gather(R, std::vector<std::size_t>(Idx.size(), 0)), Sh.BoundLoop);
      L = O.gather(T, iota(0, NJ));
      WRow = O.gather(T, iota(NJ, NJ + J + 1));
    }
    WRows.push_back(WRow);
    if (NJ == 0)
      continue;
    // At_ik -= L_i L_k (j < k <= i); R_ic -= L_i W_jc (c <= j).
    const Value X = O.concat({L, WRow});
    std::vector<std::size_t> LIdx, RIdx, Target; // Target in concat(Sm, Wp)
    for (unsigned I = J + 1; I < D; ++I)
      for (unsigned K2 = J + 1; K2 <= I; ++K2) {
        LIdx.push_back(I - J - 1);
        RIdx.push_back(K2 - J - 1);
        Target.push_back(tri(I, K2));
      }
    for (unsigned I = J + 1; I < D; ++I)
      for (unsigned C = 0; C <= J; ++C) {
        LIdx.push_back(I - J - 1);
        RIdx.push_back(NJ + C);
        Target.push_back(NT + tri(I, C));
      }
    const Value Prod =
        Products(O.gather(X, LIdx), O.gather(X, RIdx), Sh.BoundLoop);
    const Value SW = O.concat({Sm, Wp});
    const Value Updated = O.sub(O.gather(SW, Target), Prod);
    // Scatter back: position p of concat(Sm, Wp) takes its update if any.
    std::vector<std::size_t> From(2 * NT);
    for (std::size_t Pp = 0; Pp < 2 * NT; ++Pp)
      From[Pp] = Pp;
    for (std::size_t T = 0; T < Target.size(); ++T)
      From[Target[T]] = 2 * NT + T;
    const Value New = O.gather(O.concat({SW, Updated}), From);
    Sm = O.gather(New, iota(0, NT));
    Wp = O.gather(New, iota(NT, 2 * NT));
  }
  const Value W = O.concat(WRows); // W' = 2^-h L'^-1, triangle layout

  // 4. z' = W' Bt and dt' = diag(W'^T W').
  const Ring Up = Ring(1) << (2 * Sh.Shift);
  Value Z, Dt;
  {
    const Value Pool = M > 0 ? O.concat({W, Bt}) : W;
    std::vector<std::size_t> LIdx, RIdx, Groups;
    for (unsigned K2 = 0; K2 < D; ++K2)
      for (unsigned C = 0; C < M; ++C) {
        for (unsigned I = 0; I <= K2; ++I) {
          LIdx.push_back(tri(K2, I));
          RIdx.push_back(NT + std::size_t(I) * M + C);
        }
        Groups.push_back(K2 + 1);
      }
    for (unsigned I = 0; I < D; ++I) {
      for (unsigned K2 = I; K2 < D; ++K2) {
        LIdx.push_back(tri(K2, I));
        RIdx.push_back(tri(K2, I));
      }
      Groups.push_back(D - I);
    }
    const Value Out = Products(O.gather(Pool, LIdx), O.gather(Pool, RIdx),
                               Sh.BoundForward, Groups);
    Z = O.gather(Out, iota(0, DM));
    Dt = O.mulPublic(O.gather(Out, iota(DM, DM + D)), Up);
  }

  // 5. y' = W'^T z', dt s and dt p (p = diag(S A S) = A_ii s_i^2).
  Value Y, DtS, DtP;
  {
    const Value Pool = O.concat({W, Z, Dt, Scale, PDiag});
    const std::size_t ZAt = NT, DtAt = NT + DM, SAt = NT + DM + D,
                      PAt = NT + DM + 2 * D;
    std::vector<std::size_t> LIdx, RIdx, Groups;
    for (unsigned I = 0; I < D; ++I)
      for (unsigned C = 0; C < M; ++C) {
        for (unsigned K2 = I; K2 < D; ++K2) {
          LIdx.push_back(tri(K2, I));
          RIdx.push_back(ZAt + std::size_t(K2) * M + C);
        }
        Groups.push_back(D - I);
      }
    for (std::size_t At : {SAt, PAt})
      for (unsigned I = 0; I < D; ++I) {
        LIdx.push_back(DtAt + I);
        RIdx.push_back(At + I);
        Groups.push_back(1);
      }
    const Value Out = Products(O.gather(Pool, LIdx), O.gather(Pool, RIdx),
                               Sh.BoundBack, Groups);
    Y = O.mulPublic(O.gather(Out, iota(0, DM)), Up);
    DtS = O.gather(Out, iota(DM, DM + D));
    DtP = O.gather(Out, iota(DM + D, DM + 2 * D));
  }

  // 6. X = y s, diag(A^-1) = (dt s) s.
  SolveResult<Value> Res;
  {
    std::vector<std::size_t> SIdx;
    for (unsigned I = 0; I < D; ++I)
      for (unsigned C = 0; C < M; ++C)
        SIdx.push_back(I);
    for (unsigned I = 0; I < D; ++I)
      SIdx.push_back(I);
    const Value L = O.concat({Y, DtS}), R = O.gather(Scale, SIdx);
    const Value Out =
        Wide ? O.mulWide(L, R, Sh.BoundOut) : Products(L, R, Sh.BoundOut);
    Res.X = O.gather(Out, iota(0, DM));
    Res.InvDiag = O.gather(Out, iota(DM, DM + D));
  }
  Res.Scale = Scale;
  Res.InvDiagScaled = DtP;
  return Res;
}

/// diag(A^-1) alone (choleskySolve with no right-hand side).
template <FxVecOps Ops>
SolveResult<typename Ops::Value>
inverseDiagonal(Ops &O, const typename Ops::Value &A, unsigned D,
                const SolveRange &Range = {}, SolveInfo *Info = nullptr) {
  return choleskySolve(O, A, O.constants({}), D, 0, Range, Info);
}

/// The same on cleartext scalars: A and B as vectors of ring elements, run
/// by ClearVecOps (whose results are those of ClearOps, elementwise).
template <RingElement Ring>
SolveResult<std::vector<Ring>>
choleskySolve(ClearOps<Ring> &O, const std::vector<Ring> &A,
              const std::vector<Ring> &B, unsigned D, unsigned M,
              const SolveRange &Range = {}, SolveInfo *Info = nullptr) {
  ClearVecOps<Ring> V(O.params());
  return choleskySolve(V, A, B, D, M, Range, Info);
}

} // namespace sstat::runtime::fx

#endif // SSTAT_RUNTIME_FIXEDPOINTLINALG_H
