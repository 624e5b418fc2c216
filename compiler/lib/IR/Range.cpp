//===- Range.cpp - Magnitude bounds of IR values from the schema ----------===//
//
// One forward walk in program order (SSA: operands come first); see Range.h
// for what is bounded and how. Per op, in the order of Ops.def.
//
//===----------------------------------------------------------------------===//

#include "sstat/IR/Range.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdio>
#include <optional>

using namespace sstat::ir;

// ---- bounds

static void trim(std::vector<double> &C) {
  while (!C.empty() && C.back() == 0)
    C.pop_back();
}

Bound Bound::constant(double V) {
  if (!std::isfinite(V))
    return unknown();
  return interval(V, V);
}

Bound Bound::interval(double Lo, double Hi) {
  Bound B;
  B.Known = std::isfinite(Lo) && std::isfinite(Hi);
  if (!B.Known)
    return B;
  B.HasIv = true;
  B.Lo = Lo;
  B.Hi = Hi;
  double M = std::max(std::fabs(Lo), std::fabs(Hi));
  if (M != 0)
    B.C = {M};
  return B;
}

/// The magnitude part of a bound (the interval dropped).
static Bound magnitude(Bound B) {
  B.HasIv = B.HasAvg = false;
  B.AvgOver.clear();
  return B;
}

Bound Bound::operator-(const Bound &O) const {
  if (HasIv && O.HasIv)
    return interval(Lo - O.Hi, Hi - O.Lo);
  return magnitude(*this) + magnitude(O);
}

Bound Bound::operator-() const {
  if (HasIv)
    return interval(-Hi, -Lo);
  return magnitude(*this);
}

Bound Bound::rows() {
  Bound B;
  B.Known = true;
  B.C = {0, 1};
  return B;
}

double Bound::at(double N) const {
  double S = 0, P = 1;
  for (double X : C) {
    S += X * P;
    P *= N;
  }
  return S;
}

Bound Bound::operator+(const Bound &O) const {
  if (!Known || !O.Known)
    return unknown();
  if (HasIv && O.HasIv)
    return interval(Lo + O.Lo, Hi + O.Hi);
  Bound R;
  R.Known = true;
  R.C.assign(std::max(C.size(), O.C.size()), 0);
  for (size_t I = 0; I < C.size(); ++I)
    R.C[I] += C[I];
  for (size_t I = 0; I < O.C.size(); ++I)
    R.C[I] += O.C[I];
  trim(R.C);
  return R;
}

Bound Bound::operator*(const Bound &O) const {
  if (!Known || !O.Known)
    return unknown();
  if (HasIv && O.HasIv) {
    double P[4] = {Lo * O.Lo, Lo * O.Hi, Hi * O.Lo, Hi * O.Hi};
    return interval(*std::min_element(P, P + 4), *std::max_element(P, P + 4));
  }
  Bound R;
  R.Known = true;
  if (C.empty() || O.C.empty())
    return R;
  R.C.assign(C.size() + O.C.size() - 1, 0);
  for (size_t I = 0; I < C.size(); ++I)
    for (size_t J = 0; J < O.C.size(); ++J)
      R.C[I + J] += C[I] * O.C[J];
  trim(R.C);
  return R;
}

Bound Bound::scaled(double F) const { return *this * constant(F); }

Bound Bound::max(const Bound &A, const Bound &B) {
  if (!A.Known || !B.Known)
    return unknown();
  if (A.HasIv && B.HasIv)
    return interval(std::min(A.Lo, B.Lo), std::max(A.Hi, B.Hi));
  Bound R;
  R.Known = true;
  R.C.assign(std::max(A.C.size(), B.C.size()), 0);
  for (size_t I = 0; I < R.C.size(); ++I)
    R.C[I] = std::max(I < A.C.size() ? A.C[I] : 0, I < B.C.size() ? B.C[I] : 0);
  trim(R.C);
  return R;
}

std::string Bound::str() const {
  if (!Known)
    return "unknown";
  if (HasIv) {
    char Buf[64];
    std::snprintf(Buf, sizeof Buf, "[%.3g, %.3g]", Lo, Hi);
    return Buf;
  }
  if (C.empty())
    return "0";
  std::string S;
  for (int K = degree(); K >= 0; --K) {
    if (C[size_t(K)] == 0)
      continue;
    char Buf[32];
    std::snprintf(Buf, sizeof Buf, "%.3g", C[size_t(K)]);
    if (!S.empty())
      S += " + ";
    bool One = C[size_t(K)] == 1 && K > 0;
    if (!One)
      S += Buf;
    if (K > 0)
      S += std::string(One ? "" : "*") + "N" +
           (K > 1 ? "^" + std::to_string(K) : "");
  }
  return S;
}

double sstat::ir::truncSafeRows(const RangeAnalysis &RA, const Op &O) {
  if (O.code() == OpCode::Trunc)
    return RA.maxRows(O.operand(0), kSigmaBits);
  if (O.code() == OpCode::Div)
    return RA.maxRows(O.result(), kSigmaBits + O.operand(0)->type().Scale);
  return -1;
}

// ---- warnings

std::vector<RangeWarning> sstat::ir::rangeWarnings(const Module &M) {
  RangeAnalysis RA(M);
  std::vector<RangeWarning> Out;
  std::map<const char *, size_t> ByLine; // a line's first op's location
  walk(const_cast<Block &>(M.body().block()), [&](Op &O) {
    if (O.code() == OpCode::Const || !O.loc().isValid())
      return;
    for (unsigned I = 0; I < O.numResults(); ++I) {
      double N = RA.maxRows(O.result(I));
      if (N < 0 || N >= kRealisticRows)
        continue;
      // One warning per source position: the tightest limit.
      const char *Key = O.loc().getPointer();
      auto It = ByLine.find(Key);
      if (It == ByLine.end()) {
        ByLine[Key] = Out.size();
        Out.push_back({O.loc(), N, RA.bound(O.result(I)).str()});
      } else if (N < Out[It->second].MaxRows) {
        Out[It->second].MaxRows = N;
        Out[It->second].Bound = RA.bound(O.result(I)).str();
      }
    }
  });
  return Out;
}

// ---- the analysis

Bound Grid::max() const {
  if (!Known)
    return Bound::unknown();
  if (E.empty())
    return Bound::constant(0);
  Bound B = E[0]; // keeps an only entry's interval and mean
  for (size_t I = 1; I < E.size(); ++I)
    B = Bound::max(B, E[I]);
  return B;
}

/// Axes with a constant length up to this many entries are tracked per
/// index.
static constexpr int64_t kPerIndexMax = 256;

RangeAnalysis::RangeAnalysis(const Module &M) : M(M) {
  assert(M.Functions.empty() && "the range analysis runs after inlining");
  block(M.body().block());
}

const Grid &RangeAnalysis::grid(const Value *V) const {
  static const Grid Unknown;
  auto It = Grids.find(V);
  return It == Grids.end() ? Unknown : It->second;
}

const Bound &RangeAnalysis::bound(const Value *V) const {
  static const Bound Unknown;
  auto It = Maxes.find(V);
  return It == Maxes.end() ? Unknown : It->second;
}

void RangeAnalysis::set(const Value *V, Grid G) {
  if (G.Known)
    for (const Bound &B : G.E)
      G.Known &= B.Known;
  if (!G.Known)
    G = Grid();
  Maxes[V] = G.max();
  Grids[V] = std::move(G);
}

double RangeAnalysis::maxRows(const Value *V, int Margin) const {
  const Bound &B = bound(V);
  if (!B.Known)
    return -1;
  const Type &T = V->type();
  // |v| 2^s < 2^(k-1), in real units.
  const double Limit =
      std::ldexp(1.0, int(M.RingBits) - 1 - int(T.Scale) - Margin);
  const double Cap = std::ldexp(1.0, 62);
  if (B.at(1) >= Limit)
    return 0;
  if (B.at(Cap) < Limit)
    return Cap;
  double Lo = 1, Hi = Cap; // B(Lo) < Limit <= B(Hi)
  while (Hi - Lo > 0.5 && Hi > Lo * (1 + 1e-12)) {
    double Mid = std::floor(Lo + (Hi - Lo) / 2);
    if (Mid <= Lo)
      break;
    (B.at(Mid) < Limit ? Lo : Hi) = Mid;
  }
  return Lo;
}

std::pair<double, const Op *> RangeAnalysis::rowLimit() const {
  double Safe = std::ldexp(1.0, 62);
  const Op *By = nullptr;
  walk(const_cast<Block &>(M.body().block()), [&](Op &O) {
    if (O.code() == OpCode::Const)
      return;
    for (unsigned I = 0; I < O.numResults(); ++I) {
      double N = maxRows(O.result(I));
      if (N >= 0 && N < Safe) {
        Safe = N;
        By = &O;
      }
    }
  });
  return {Safe, By};
}

Bound RangeAnalysis::dimBound(const Dim &D) const {
  switch (D.K) {
  case Dim::Const:
    return Bound::constant(double(D.N));
  case Dim::Sym:
    return Bound::rows();
  case Dim::Unknown:
    return Bound::unknown();
  }
  return Bound::unknown();
}

static bool perIndex(const Dim &D) {
  return D.K == Dim::Const && D.N >= 1 && D.N <= kPerIndexMax;
}

/// The grid shape of a type: per-index sizes and lengths.
static void shapeOf(const Type &T, unsigned &R, unsigned &C) {
  R = T.Rank >= 1 && perIndex(T.D[0]) ? unsigned(T.D[0].N) : 1;
  C = T.Rank == 2 && perIndex(T.D[1]) ? unsigned(T.D[1].N) : 1;
}

Grid RangeAnalysis::uniform(const Bound &B, const Type &T) const {
  Grid G;
  G.Known = B.Known;
  G.E = {B};
  G.LenR = T.Rank >= 1 ? dimBound(T.D[0]) : Bound::constant(1);
  G.LenC = T.Rank == 2 ? dimBound(T.D[1]) : Bound::constant(1);
  return G;
}

/// F applied entry by entry, broadcasting uniform axes and scalars.
template <class Fn>
static Grid zip(const Grid &A, const Grid &B, const Type &Res, Fn F) {
  Grid G;
  G.Known = A.Known && B.Known;
  if (!G.Known)
    return G;
  unsigned R, C;
  shapeOf(Res, R, C);
  R = std::min(R, std::max(A.R, B.R));
  C = std::min(C, std::max(A.C, B.C));
  G.R = R;
  G.C = C;
  for (unsigned I = 0; I < R; ++I)
    for (unsigned J = 0; J < C; ++J)
      G.E.push_back(F(A.R == 1 && A.C == 1 ? A.E[0] : A.at(I, J),
                      B.R == 1 && B.C == 1 ? B.E[0] : B.at(I, J)));
  return G;
}

/// A lower bound a N^k (k = 0 or 1) of a public divisor's magnitude: a
/// constant, a row count or a length (N), such a count less a constant c
/// (n - 1 >= N / 2 where the division makes sense, N > c), or, for any
/// other run-time value, 1 (a count).
static std::pair<double, int> divisorAtLeast(const Value *V, bool OneTable) {
  const Op *D = V->def();
  if (!D)
    return {1, 0};
  // N bounds every table's rows; only with one table is a row count N.
  const int CountDeg = OneTable ? 1 : 0;
  switch (D->code()) {
  case OpCode::Const:
    return {V->type().Rank == 0 ? std::fabs(D->numAttr("value")) : 0, 0};
  case OpCode::NRows:
    return {1, CountDeg};
  case OpCode::Length: {
    const Type &T = D->operand(0)->type();
    return T.Rank == 1 && T.D[0].K == Dim::Sym ? std::pair{1.0, CountDeg}
                                               : std::pair{1.0, 0};
  }
  case OpCode::Cast:
    return divisorAtLeast(D->operand(0), OneTable);
  case OpCode::Sub: {
    auto [A, K] = divisorAtLeast(D->operand(0), OneTable);
    const Op *C = D->operand(1)->def();
    if (K == 1 && C && C->code() == OpCode::Const && C->numAttr("value") >= 0)
      return {A / (C->numAttr("value") + 1), 1};
    return {1, 0};
  }
  default:
    return {1, 0};
  }
}

/// If V is a table's row count itself (nrow(t), the length of one of its
/// columns; not n - 1): its symbol "n.t"; else "".
static std::string rowCountOf(const Value *V) {
  const Op *D = V->def();
  if (!D)
    return "";
  if (D->code() == OpCode::Cast)
    return rowCountOf(D->operand(0));
  if (D->code() == OpCode::NRows)
    return "n." + D->strAttr("table");
  if (D->code() == OpCode::Length && D->operand(0)->type().Rank == 1 &&
      D->operand(0)->type().D[0].K == Dim::Sym)
    return D->operand(0)->type().D[0].Name;
  return "";
}

/// B / d for d >= A N^Deg.
static Bound divided(Bound B, double A, int Deg) {
  if (A <= 0 || !B.Known)
    return Bound::unknown();
  if (Deg == 1 && !B.C.empty()) {
    // (c_0 + c_1 N + ...) / N <= c_0 + c_1 + c_2 N + ... for N >= 1.
    double C0 = B.C[0];
    B.C.erase(B.C.begin());
    if (B.C.empty())
      B.C.push_back(0);
    B.C[0] += C0;
    trim(B.C);
  }
  return B.scaled(1 / A);
}

void RangeAnalysis::block(const Block &B) {
  for (unsigned I = 0; I < B.numArguments(); ++I)
    set(B.argument(I), Grid());
  for (const auto &O : B.ops())
    op(*O);
}

void RangeAnalysis::op(const Op &O) {
  for (unsigned R = 0; R < O.numRegions(); ++R)
    block(O.region(R).block());
  if (O.numResults() == 0)
    return;
  const Type &T = O.result()->type();
  auto In = [&](unsigned I) -> const Grid & { return grid(O.operand(I)); };
  auto Set = [&](Grid G) {
    G.LenR = T.Rank >= 1 ? dimBound(T.D[0]) : Bound::constant(1);
    G.LenC = T.Rank == 2 ? dimBound(T.D[1]) : Bound::constant(1);
    set(O.result(), std::move(G));
  };
  auto Uniform = [&](const Bound &B) { Set(uniform(B, T)); };
  auto Map = [&](const Grid &G, auto F) {
    Grid X = G;
    for (Bound &B : X.E)
      B = F(B);
    if (O.code() != OpCode::Neg)
      X.RowSum = -1;
    Set(X);
  };
  switch (O.code()) {
  case OpCode::Const:
    return Uniform(Bound::constant(O.numAttr("value")));
  case OpCode::Input: {
    for (const InputTable &Tb : M.Inputs) {
      if (Tb.Name != O.strAttr("table"))
        continue;
      if (Tb.Key == O.strAttr("column"))
        return Uniform(Bound::interval(0, std::ldexp(1.0, 62))); // hashes
      for (const auto &C : Tb.Columns)
        if (C.Name == O.strAttr("column") && C.Kind == "factor") {
          // One-hot: one 1 per row (none for NA).
          Grid G = uniform(Bound::interval(0, 1), T);
          G.RowSum = 1;
          return Set(G);
        } else if (C.Name == O.strAttr("column"))
          return Uniform(C.Kind == "num" || C.Kind == "int"
                             ? Bound::interval(C.Lo, C.Hi)
                             : Bound::interval(0, 1)); // bool
    }
    return Uniform(Bound::unknown());
  }
  case OpCode::InputValid:
    return Uniform(Bound::interval(0, 1));
  case OpCode::NRows:
    return Uniform(Bound::rows());
  case OpCode::Add:
    return Set(zip(In(0), In(1), T,
                   [](const Bound &A, const Bound &B) { return A + B; }));
  case OpCode::Sub:
    return Set(zip(In(0), In(1), T,
                   [](const Bound &A, const Bound &B) { return A - B; }));
  case OpCode::Mul:
    return Set(zip(In(0), In(1), T,
                   [](const Bound &A, const Bound &B) { return A * B; }));
  case OpCode::Select:
    return Set(zip(In(1), In(2), T, [](const Bound &A, const Bound &B) {
      return Bound::max(A, B);
    }));
  case OpCode::Neg:
    return Map(In(0), [](const Bound &B) { return -B; });
  case OpCode::Trunc:
  case OpCode::Transpose:
  case OpCode::Reveal:
  case OpCode::Sort:
  case OpCode::Shuffle:
    if (O.code() == OpCode::Transpose && In(0).Known) {
      Grid G = In(0);
      Grid X = G;
      X.R = G.C;
      X.C = G.R;
      X.RowSum = -1; // row sums are of the other axis now
      X.E.clear();
      for (unsigned I = 0; I < X.R; ++I)
        for (unsigned J = 0; J < X.C; ++J)
          X.E.push_back(G.at(J, I));
      return Set(X);
    }
    if (O.code() == OpCode::Sort || O.code() == OpCode::Shuffle)
      return Uniform(In(0).max());
    return Set(In(0));
  case OpCode::Div: {
    // A constant divides the bound (and the interval); the row count
    // itself turns a sum of n values into their mean, within their
    // interval; other counts (n - 1) lower the bound's degree.
    const Op *DO = O.operand(1)->def();
    if (DO && DO->code() == OpCode::Const && O.operand(1)->type().Rank == 0) {
      double C = DO->numAttr("value");
      return Map(In(0), [&](const Bound &B) {
        return C != 0 ? B.scaled(1 / C) : Bound::unknown();
      });
    }
    const auto D = divisorAtLeast(O.operand(1), M.Inputs.size() == 1);
    const std::string Count = rowCountOf(O.operand(1));
    return Map(In(0), [&](const Bound &B) {
      if (B.HasAvg && !Count.empty() && B.AvgOver == Count)
        return Bound::interval(B.ALo, B.AHi);
      return divided(magnitude(B), D.first, D.second);
    });
  }
  case OpCode::Recip:
  case OpCode::Sqrt:
  case OpCode::Rsqrt:
  case OpCode::Exp:
  case OpCode::Log:
  case OpCode::Solve:
    return Uniform(Bound::unknown()); // the kernels' own ranges
  case OpCode::Cast: {
    if (T.E == Elem::Bool)
      return Uniform(Bound::interval(0, 1));
    Grid G = In(0);
    if (O.hasAttr("row_sum_at_most"))
      G.RowSum = O.numAttr("row_sum_at_most");
    return Set(G);
  }
  case OpCode::Bits:
  case OpCode::Lt:
  case OpCode::Le:
  case OpCode::Eq:
  case OpCode::Not:
  case OpCode::And:
  case OpCode::Or:
    return Uniform(Bound::interval(0, 1));
  case OpCode::Sum:
  case OpCode::PrefixSum: {
    // The sum of the entries; a uniform axis counts its length.
    const Grid &G = In(0);
    if (!G.Known)
      return Uniform(Bound::unknown());
    Bound S = Bound::constant(0);
    for (unsigned I = 0; I < G.R; ++I)
      for (unsigned J = 0; J < G.C; ++J)
        S = S + G.at(I, J);
    const Bound Elem = G.at(0, 0);
    const bool Uniformly = G.R == 1 && G.C == 1;
    if (G.R == 1)
      S = S * G.LenR;
    if (G.C == 1)
      S = S * G.LenC;
    const Type &XT = O.operand(0)->type();
    if (O.code() == OpCode::Sum && Uniformly && Elem.HasIv && XT.Rank == 1 &&
        XT.D[0].K == Dim::Sym) {
      // sum / n lies in the elements' interval (a mean).
      S.HasAvg = true;
      S.ALo = Elem.Lo;
      S.AHi = Elem.Hi;
      S.AvgOver = XT.D[0].Name;
    }
    return Uniform(S);
  }
  case OpCode::Dot: {
    const Grid &A = In(0), &B = In(1);
    if (!A.Known || !B.Known)
      return Uniform(Bound::unknown());
    Bound S = Bound::constant(0);
    unsigned K = std::max(A.R, B.R);
    for (unsigned I = 0; I < K; ++I)
      S = S + A.at(A.R == 1 ? 0 : I, 0) * B.at(B.R == 1 ? 0 : I, 0);
    if (K == 1)
      S = S * A.LenR;
    return Uniform(S);
  }
  case OpCode::MatMul: {
    // (AB)_ij = sum_k A_ik B_kj, entry by entry; an inner axis uniform in
    // both counts its length.
    const Grid &A = In(0), &B = In(1);
    if (!A.Known || !B.Known)
      return Uniform(Bound::unknown());
    const Type &TA = O.operand(0)->type();
    unsigned K = std::max(A.C, B.R);
    Bound Inner = TA.Rank == 2 ? dimBound(TA.D[1]) : Bound::constant(1);
    unsigned R, C;
    shapeOf(T, R, C);
    R = std::min(R, A.R);
    C = std::min(C, B.C);
    Grid G;
    G.Known = true;
    G.R = R;
    G.C = C;
    for (unsigned I = 0; I < R; ++I)
      for (unsigned J = 0; J < C; ++J) {
        Bound S = Bound::constant(0);
        for (unsigned X = 0; X < K; ++X)
          S = S + A.at(I, A.C == 1 ? 0 : X) * B.at(B.R == 1 ? 0 : X, J);
        if (K == 1 && A.RowSum >= 0) {
          // One row's sum: at most RowSum entries' worth, or nothing.
          const Bound &X = B.at(0, J);
          S = X.HasIv ? Bound::interval(std::min(0.0, X.Lo * A.RowSum),
                                        std::max(0.0, X.Hi * A.RowSum))
                      : X.scaled(A.RowSum);
        } else if (K == 1) {
          S = S * Inner;
        }
        G.E.push_back(S);
      }
    return Set(G);
  }
  case OpCode::Column: {
    const Grid &G = In(0);
    if (!G.Known)
      return Uniform(Bound::unknown());
    unsigned J = unsigned(O.intAttr("index"));
    Grid X;
    X.Known = true;
    X.R = G.R;
    for (unsigned I = 0; I < G.R; ++I)
      X.E.push_back(G.at(I, G.C == 1 ? 0 : J));
    return Set(X);
  }
  case OpCode::Get: {
    const Grid &G = In(0);
    const Op *D = O.operand(1)->def();
    if (G.Known && G.R > 1 && D && D->code() == OpCode::Const) {
      int64_t I = int64_t(D->numAttr("value")) - 1;
      if (I >= 0 && I < int64_t(G.R))
        return Uniform(G.at(unsigned(I), 0));
    }
    return Uniform(G.max());
  }
  case OpCode::Set:
    return Uniform(Bound::max(In(0).max(), In(2).max()));
  case OpCode::Length: {
    const Type &A = O.operand(0)->type();
    Bound N = A.Rank >= 1 ? dimBound(A.D[0]) : Bound::constant(1);
    return Uniform(A.Rank == 2 ? N * dimBound(A.D[1]) : N);
  }
  case OpCode::Concat: {
    // Per index when every piece has a small constant length.
    unsigned R, C;
    shapeOf(T, R, C);
    Grid G;
    G.Known = true;
    for (unsigned I = 0; I < O.numOperands(); ++I) {
      const Grid &X = In(I);
      const Type &XT = O.operand(I)->type();
      G.Known &= X.Known;
      unsigned N = XT.Rank == 0        ? 1
                   : perIndex(XT.D[0]) ? unsigned(XT.D[0].N)
                                       : 0;
      if (!G.Known || N == 0 || R == 1) {
        Bound B = Bound::constant(0);
        for (unsigned K = 0; K < O.numOperands(); ++K)
          B = Bound::max(B, In(K).max());
        return Uniform(B);
      }
      for (unsigned K = 0; K < N; ++K)
        G.E.push_back(X.at(K, 0));
    }
    G.R = unsigned(G.E.size());
    if (G.R != R)
      return Uniform(G.max());
    return Set(G);
  }
  case OpCode::ColBind: {
    // Columns per index; rows per index when the length is small.
    unsigned R, C;
    shapeOf(T, R, C);
    if (C != O.numOperands()) {
      Bound B = Bound::constant(0);
      for (unsigned K = 0; K < O.numOperands(); ++K)
        B = Bound::max(B, In(K).max());
      return Uniform(B);
    }
    Grid G;
    G.Known = true;
    G.R = R;
    G.C = C;
    G.E.resize(size_t(R) * C);
    for (unsigned J = 0; J < C; ++J) {
      const Grid &X = In(J);
      G.Known &= X.Known;
      if (!G.Known)
        return Uniform(Bound::unknown());
      for (unsigned I = 0; I < R; ++I)
        G.E[size_t(I) * C + J] = X.at(X.R == 1 ? 0 : I, 0);
    }
    return Set(G);
  }
  case OpCode::For:
    // Loop-carried values are not iterated to a fixed point.
    for (unsigned I = 0; I < O.numResults(); ++I)
      set(O.result(I), Grid());
    return;
  case OpCode::If: {
    const Op *A = O.region(0).block().terminator();
    const Op *E = O.region(1).block().terminator();
    for (unsigned I = 0; I < O.numResults(); ++I) {
      bool Ok = A && E && I < A->numOperands() && I < E->numOperands();
      set(O.result(I),
          Ok ? uniform(Bound::max(bound(A->operand(I)), bound(E->operand(I))),
                       O.result(I)->type())
             : Grid());
    }
    return;
  }
  case OpCode::Publish:
  case OpCode::Yield:
  case OpCode::Call:
    return;
  }
}
