//===- VMCommon.h - What every bytecode executor shares ---------*- C++ -*-===//
//
// The encoding of values in Z_2^k that the cleartext reference executor and
// the rep3 party VM must agree on bit for bit: fixed-point encoding and
// decoding, an owner's CSV checked against the program's schema, the
// encoded vector an INPUT / INPUTVALID instruction reads from an owner's
// rows, the public filling of a CONST, and the decoding of a published
// value. Internal to the runtime.
//
//===----------------------------------------------------------------------===//

#ifndef SSTAT_RUNTIME_LIB_VMCOMMON_H
#define SSTAT_RUNTIME_LIB_VMCOMMON_H

#include "sstat/Bytecode/Bytecode.h"
#include "sstat/runtime/Cleartext.h"
#include "sstat/runtime/FixedPointLinalg.h"
#include "sstat/runtime/FixedPointNewton.h"

#include "llvm/Support/Error.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace sstat::runtime::vm {

template <typename R> struct SignedOf;
template <> struct SignedOf<uint64_t> { using T = int64_t; };
template <> struct SignedOf<unsigned __int128> { using T = __int128; };

inline llvm::Error err(const llvm::Twine &T) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), T.str());
}

/// X at \p Scale fractional bits in Z_2^K, rounded to nearest (ties to
/// even), saturating at the ring's signed range.
template <typename R> R encode(double X, unsigned Scale, unsigned K) {
  using S = typename SignedOf<R>::T;
  // Fast path: scaling by 2^Scale is exact in double, and below 2^62 the
  // rounded value is an int64 (round to nearest, ties to even, as below).
  double D = std::ldexp(X, int(Scale));
  if (std::fabs(D) < 0x1p62)
    return R(S(std::llrint(D)));
  long double Y = std::nearbyintl(std::ldexp((long double)X, int(Scale)));
  long double Max = std::ldexp((long double)1, int(K) - 1);
  if (!(Y < Max))
    return R(std::numeric_limits<S>::max());
  if (!(Y >= -Max))
    return R(std::numeric_limits<S>::min());
  return R(S(Y));
}

template <typename R> double decode(R X, unsigned Scale) {
  using S = typename SignedOf<R>::T;
  return double(std::ldexp((long double)S(X), -int(Scale)));
}

/// One owner's rows of one input table, loaded and checked against the
/// schema: per column, the values (0 where missing) and the NA flags.
struct OwnerRows {
  uint64_t Rows = 0;
  std::vector<std::vector<double>> Data;
  std::vector<std::vector<uint8_t>> Missing;
  /// The key of each row (tables with a key), as keyHash() of its text.
  std::vector<uint64_t> KeyHash;
};

/// A key as the join sees it: a 62-bit hash of its bytes (FNV-1a, then the
/// splitmix64 finalizer), the same at every owner. Two different keys of
/// tables of n and m rows collide with probability about n m 2^-62.
inline uint64_t keyHash(const std::string &Key) {
  uint64_t H = 1469598103934665603ULL;
  for (unsigned char C : Key) {
    H ^= C;
    H *= 1099511628211ULL;
  }
  H ^= H >> 30;
  H *= 0xbf58476d1ce4e5b9ULL;
  H ^= H >> 27;
  H *= 0x94d049bb133111ebULL;
  H ^= H >> 31;
  return H >> 2;
}

/// Loads \p Path as owner rows of \p Tab (errors name file, row, column).
llvm::Expected<OwnerRows> loadOwnerRows(const bc::Table &Tab,
                                        const std::string &Path);

/// The file \p Party gave for table \p Tab, or an error saying which
/// --input is missing.
llvm::Expected<const InputFile *>
findInputFile(const std::vector<InputFile> &Files, const std::string &Party,
              const bc::Table &Tab);

/// Whether an INPUT instruction writing a register of type \p T reads a
/// factor as its one-hot matrix.
/// An error if a table has more rows than the program keeps in the ring
/// (Program::SafeRows, from the compiler's range analysis): the same check
/// and message in the cleartext executor and at every party, which all know
/// the row counts before computing.
inline llvm::Error checkSafeRows(const bc::Program &P,
                                 const std::vector<uint64_t> &TableRows) {
  for (size_t T = 0; T < TableRows.size() && T < P.Inputs.size(); ++T)
    if (TableRows[T] > P.SafeRows)
      return err("table '" + P.Inputs[T].Name + "' has " +
                 llvm::Twine(TableRows[T]) +
                 " rows, but this program keeps its values inside Z_2^" +
                 llvm::Twine(P.RingBits) + " (" + llvm::Twine(P.FracBits) +
                 " fractional bits) only for tables of up to " +
                 llvm::Twine(P.SafeRows) + " rows (source line " +
                 llvm::Twine(P.SafeRowsLine) +
                 "): compile it with fewer fractional bits (--frac)" +
                 (P.RingBits == 64 ? ", the 128-bit ring (--ring 128)," : "") +
                 " or narrower column ranges; no computation was done");
  return llvm::Error::success();
}

inline bool isOneHot(const bc::Instr &I, const bc::RegType &T) {
  return I.Op == bc::Opcode::INPUT && T.Rank == 2;
}

/// The encoded values an INPUT / INPUTVALID instruction \p I (writing a
/// register of type \p T) reads from one owner's rows: a value per row, or
/// for a one-hot factor Rows x (number of levels), row-major.
template <typename R>
std::vector<R> encodeInput(const bc::Program &P, const bc::Instr &I,
                           const bc::RegType &T, const OwnerRows &O) {
  using S = typename SignedOf<R>::T;
  const bc::InputRef &Ref = P.InputRefs[size_t(I.K)];
  if (Ref.Column == P.Inputs[Ref.Table].Columns.size()) {
    std::vector<R> Keys(O.KeyHash.size());
    for (size_t Row = 0; Row < Keys.size(); ++Row)
      Keys[Row] = I.Op == bc::Opcode::INPUTVALID ? R(1) : R(O.KeyHash[Row]);
    return Keys;
  }
  const std::vector<double> &Col = O.Data[Ref.Column];
  const std::vector<uint8_t> &Miss = O.Missing[Ref.Column];
  std::vector<R> Out;
  if (isOneHot(I, T)) {
    // A factor, one-hot encoded by its owner: row i has a 1 in the column
    // of its level (none if missing).
    uint64_t K = P.Inputs[Ref.Table].Columns[Ref.Column].Levels.size();
    Out.assign(Col.size() * K, R(0));
    for (size_t Row = 0; Row < Col.size(); ++Row) {
      int64_t Code = int64_t(Col[Row]);
      if (!Miss[Row] && Code >= 0 && uint64_t(Code) < K)
        Out[Row * K + uint64_t(Code)] = R(1);
    }
    return Out;
  }
  Out.resize(Col.size());
  for (size_t Row = 0; Row < Col.size(); ++Row)
    Out[Row] = I.Op == bc::Opcode::INPUTVALID ? R(!Miss[Row])
               : T.E == bc::Elem::Fix ? encode<R>(Col[Row], T.Scale, P.RingBits)
                                      : R(S(std::llround(Col[Row])));
  return Out;
}

/// The element count of dimension \p D given the tables' row counts.
inline std::optional<uint64_t>
dimLength(const bc::Dim &D, const std::vector<uint64_t> &TableRows) {
  if (D.K == bc::Dim::Const)
    return uint64_t(D.N);
  if (D.K == bc::Dim::Rows && D.Table < TableRows.size())
    return TableRows[D.Table];
  return std::nullopt;
}

/// The public value of CONST k in a register of type \p T: its encoded
/// element, the element count and the matrix shape.
template <typename R> struct ConstFill {
  R Elem = 0;
  uint64_t Len = 1, Rows = 1, Cols = 1;
};
template <typename R>
llvm::Expected<ConstFill<R>> constFill(const bc::Program &P, const bc::Instr &I,
                                       const std::vector<uint64_t> &TableRows) {
  using S = typename SignedOf<R>::T;
  const bc::RegType &T = P.Regs[I.D];
  ConstFill<R> F;
  for (unsigned K = 0; K < T.Rank; ++K) {
    auto L = dimLength(T.D[K], TableRows);
    if (!L)
      return err("a constant of unknown length");
    F.Len *= *L;
  }
  double V = P.Consts[size_t(I.K)];
  F.Elem = T.E == bc::Elem::Fix    ? encode<R>(V, T.Scale, P.RingBits)
           : T.E == bc::Elem::Bool ? R(V != 0)
                                   : R(S(std::llround(V)));
  if (T.Rank == 1)
    F.Rows = F.Len;
  if (T.Rank == 2) {
    F.Rows = *dimLength(T.D[0], TableRows);
    F.Cols = *dimLength(T.D[1], TableRows);
  }
  return F;
}

/// Decodes a value of type \p T (Rows x Cols, row-major) for output.
template <typename R>
OutputValue decodeOutput(const std::vector<R> &V, uint64_t Rows, uint64_t Cols,
                         const bc::RegType &T) {
  using S = typename SignedOf<R>::T;
  OutputValue O;
  O.Rank = T.Rank;
  O.Rows = Rows;
  O.Cols = Cols;
  O.IsInt = T.E == bc::Elem::Int;
  O.IsBool = T.E == bc::Elem::Bool;
  O.Values.reserve(V.size());
  for (R X : V)
    O.Values.push_back(T.E == bc::Elem::Fix ? decode<R>(X, T.Scale)
                                            : double(S(X)));
  return O;
}

/// DIV by a public value is a product with its reciprocal encoded at the
/// result's scale \p ScaleD, then a truncation by the dividend's scale:
/// this is the reciprocal of \p B (at scale \p ScaleB), or nothing for 0.
template <typename R>
std::optional<R> publicReciprocal(R B, unsigned ScaleB, unsigned ScaleD,
                                  unsigned K) {
  double Bv = decode<R>(B, ScaleB);
  if (Bv == 0)
    return std::nullopt;
  return encode<R>(1.0 / Bv, ScaleD, K);
}

/// CAST of one public element from type \p From to type \p To: to bool is
/// "!= 0", fixed-point scales move by arithmetic shifts (floor), to int
/// truncates toward zero as R's as.integer.
template <typename R>
R castClear(R A, const bc::RegType &From, const bc::RegType &To) {
  using S = typename SignedOf<R>::T;
  if (From.E == To.E && From.Scale == To.Scale)
    return A;
  S V = S(A);
  if (To.E == bc::Elem::Bool)
    return R(V != 0);
  if (To.E == bc::Elem::Fix) {
    if (From.E == bc::Elem::Fix)
      return From.Scale > To.Scale ? R(V >> (From.Scale - To.Scale))
                                   : R(A << (To.Scale - From.Scale));
    return R(A << To.Scale);
  }
  if (From.E == bc::Elem::Fix) {
    S Q = V >> From.Scale;
    if (V < 0 && (V & ((S(1) << From.Scale) - 1)) != 0)
      Q += 1;
    return R(Q);
  }
  return A;
}

/// How SOLVE solves, decided from public data only (the ring, the
/// precision, d and m): in Z_2^128 the round-efficient Newton-Schulz
/// solver of FixedPointNewton.h (about 55 rounds), assuming 1 <= A_ii <
/// 2^39, |B_ic| < 2^20 sqrt(A_ii) and lambda_min(S A S) >= 2^-20; where its
/// shape is not valid (Z_2^64, other precisions, large d), the Cholesky of
/// FixedPointLinalg.h (about 106 (d + 1) rounds), assuming 1 <= A_ii <
/// 2^46 (Z_2^128) or 2^30 (Z_2^64). lm() and glm() scale their normal
/// equations by 2^10 / n so that these hold for data of up to 2^29 in
/// variance. Valid is false, with a reason, when neither fits.
struct SolvePlan {
  bool Valid = false;
  bool Newton = false;
  fx::SolveRange Range;
  std::string Why;
};

inline SolvePlan solvePlan(const fx::Params &Pm, unsigned D, unsigned M) {
  SolvePlan S;
  if (Pm.K == 128) {
    S.Range.DiagBits = std::min(39u, Pm.F - 1);
    S.Range.RhsBits = 20;
    S.Range.CondBits = 20;
    if (fx::newtonShape(Pm, D, M, S.Range).Valid) {
      S.Valid = S.Newton = true;
      return S;
    }
    S.Range.DiagBits = std::min(46u, Pm.K - Pm.F - 2);
  } else {
    S.Range.DiagBits = std::min(30u, Pm.K - Pm.F - 2);
    S.Range.RhsBits = 14;
    S.Range.CondBits = 9;
  }
  fx::SolveShape Sh = fx::solveShape(Pm, D, M, S.Range);
  S.Valid = Sh.Valid;
  S.Why = Sh.Why;
  return S;
}

/// SOLVE's result layout: d x (m + 1), row i = (X_i1 .. X_im, diag_i).
template <class V>
void solveLayout(const V &X, const V &Diag, unsigned D, unsigned M, V &Out) {
  for (unsigned I = 0; I < D; ++I) {
    for (unsigned C = 0; C < M; ++C)
      Out[size_t(I) * (M + 1) + C] = X[size_t(I) * M + C];
    Out[size_t(I) * (M + 1) + M] = Diag[I];
  }
}

/// Runs the planned solver with wide (2F) results.
template <class Ops>
fx::SolveResult<typename Ops::Value>
runSolve(Ops &O, const SolvePlan &S, const typename Ops::Value &A,
         const typename Ops::Value &B, unsigned D, unsigned M) {
  if (S.Newton)
    return fx::newtonSolve(O, A, B, D, M, S.Range, nullptr, /*Wide=*/true);
  return fx::choleskySolve(O, A, B, D, M, S.Range, nullptr, /*Wide=*/true);
}

/// SOLVE on public (or cleartext) values: [A^-1 B | diag(A^-1)] at scale
/// 2F, by the same sequence of primitives as on shares, with the floor for
/// every truncation.
template <typename R>
llvm::Expected<std::vector<R>> solveClear(const std::vector<R> &A,
                                          const std::vector<R> &B, unsigned D,
                                          unsigned M, const fx::Params &Pm) {
  SolvePlan S = solvePlan(Pm, D, M);
  if (!S.Valid)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "solve() of a %u x %u system in Z_2^%u "
                                   "with %u fractional bits: %s",
                                   D, D, Pm.K, Pm.F, S.Why.c_str());
  fx::ClearVecOps<R> O(Pm);
  fx::SolveResult<std::vector<R>> X = runSolve(O, S, A, B, D, M);
  std::vector<R> Out(size_t(D) * (M + 1));
  solveLayout(X.X, X.InvDiag, D, M, Out);
  return Out;
}

} // namespace sstat::runtime::vm

#endif // SSTAT_RUNTIME_LIB_VMCOMMON_H
