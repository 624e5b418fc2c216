//===- Cost.cpp - The rep3 cost model -------------------------------------===//
//
// See Cost.h. Two tables decide everything: Protocols (what each
// interactive primitive costs, as formulas in the ring size k) and Rules
// (which primitive each opcode uses, and when its operands' labels make it
// interactive). Costs are online costs: preprocessing (truncation pairs,
// random bits, zero shares from the PRF keys) and the owners' input sharing
// are not counted.
//
// Papers:
//   [AFLNO16] Araki, Furukawa, Lindell, Nof, Ohara, "High-throughput
//             semi-honest secure three-party computation with an honest
//             majority", CCS 2016: replicated sharing, one element per party
//             per multiplication.
//   [MR18]    Mohassel, Rindal, "ABY3: a mixed protocol framework for machine
//             learning", CCS 2018: dot products for one element (Sec. 5.1),
//             truncation with preprocessed pairs (Pi_trunc2, Sec. 5.1.1), bit
//             extraction and bit injection (Sec. 5.3, 5.4).
//   [CS10]    Catrina, Saxena, "Secure computation with fixed-point numbers",
//             FC 2010: normalisation and Newton/Goldschmidt iterations, as
//             in MP-SPDZ's fixed-point library.
//
//===----------------------------------------------------------------------===//

#include "sstat/IR/Cost.h"

#include <algorithm>
#include <cassert>
#include <set>
#include <unordered_map>

using namespace sstat::ir;
using namespace llvm;

// ---- polynomials over symbolic lengths

Poly::Poly(int64_t C) {
  if (C != 0)
    Terms[{}] = C;
}

Poly Poly::sym(const std::string &Name) {
  Poly P;
  P.Terms[{Name}] = 1;
  return P;
}

Poly Poly::operator+(const Poly &O) const {
  Poly R = *this;
  for (const auto &[M, C] : O.Terms) {
    int64_t &X = R.Terms[M];
    X += C;
    if (X == 0)
      R.Terms.erase(M);
  }
  return R;
}

Poly Poly::operator-(const Poly &O) const { return *this + O * Poly(-1); }

Poly Poly::operator*(const Poly &O) const {
  Poly R;
  for (const auto &[MA, CA] : Terms)
    for (const auto &[MB, CB] : O.Terms) {
      Monomial M = MA;
      M.insert(M.end(), MB.begin(), MB.end());
      std::sort(M.begin(), M.end());
      int64_t &X = R.Terms[M];
      X += CA * CB;
      if (X == 0)
        R.Terms.erase(M);
    }
  return R;
}

bool Poly::isConstant() const {
  return Terms.empty() || (Terms.size() == 1 && Terms.begin()->first.empty());
}

int64_t Poly::constant() const {
  auto It = Terms.find({});
  return It == Terms.end() ? 0 : It->second;
}

bool Poly::mentions(const std::string &Symbol) const {
  for (const auto &KV : Terms)
    if (std::find(KV.first.begin(), KV.first.end(), Symbol) != KV.first.end())
      return true;
  return false;
}

Poly Poly::max(const Poly &A, const Poly &B) {
  auto Coef = [](const Poly &P, const Monomial &M) -> int64_t {
    auto It = P.Terms.find(M);
    return It == P.Terms.end() ? 0 : It->second;
  };
  Poly R;
  for (const Poly *P : {&A, &B})
    for (const auto &KV : P->Terms)
      if (int64_t C = std::max(Coef(A, KV.first), Coef(B, KV.first)))
        R.Terms[KV.first] = C;
  return R;
}

std::string Poly::str() const {
  if (Terms.empty())
    return "0";
  std::vector<std::pair<Monomial, int64_t>> Sorted(Terms.begin(), Terms.end());
  std::stable_sort(Sorted.begin(), Sorted.end(),
                   [](const auto &A, const auto &B) {
                     return A.first.size() > B.first.size();
                   });
  std::string Out;
  for (size_t I = 0; I < Sorted.size(); ++I) {
    const auto &[M, C] = Sorted[I];
    int64_t Abs = C < 0 ? -C : C;
    if (I == 0)
      Out += C < 0 ? "-" : "";
    else
      Out += C < 0 ? " - " : " + ";
    std::string Syms;
    for (size_t J = 0; J < M.size(); ++J)
      Syms += (J ? "*" : "") + M[J];
    if (M.empty())
      Out += std::to_string(Abs);
    else if (Abs == 1)
      Out += Syms;
    else
      Out += std::to_string(Abs) + "*" + Syms;
  }
  return Out;
}

// ---- the protocols
//
// clang-format off
// Per output element, k = ring bits, L = ceil(log2 k); elements are k-bit
// ring elements sent by each party (k AND gates of the binary sharing count
// as one element). Building blocks used below:
//   MT    multiply, then truncate                               2 rounds, 2
//   BD    bit decomposition [MR18 5.3]: a full-adder layer
//         turns three arithmetic shares into two binary numbers
//         (1 round, k ANDs), a Kogge-Stone adder adds them
//         (L rounds, about k*L ANDs)                             L+1,      L+1
//   BI    bit injection of b bits into Z_2^k [MR18 5.4]          1,        b
//   Norm  normalise x to [0.5, 1) [CS10]: BD, a log-depth
//         prefix-OR (L, L), BI of all k bits, one MT             2L+4,     k+2L+3
//
// The protocols, as (rounds; elements):
//   mult     secret x secret product, and/or of secret bools (a product),
//            select on a secret condition (c*(a-b)+b), one element of a dot
//            product or matrix product: each party sends one element of its
//            re-randomised 3-out-of-3 share [AFLNO16]; a dot product sums
//            its local cross terms first [MR18 5.1]            (1; 1)
//   trunc    Pi_trunc2 with a preprocessed pair (r, r/2^d): open x - r
//            [MR18 5.1.1]. Our choice: a round of its own after the product
//            (ABY3 can merge it into the product's round; we keep the IR's
//            mul and trunc separate and cost them so)        (1; 1)
//   open     reveal / publish: each party sends the share component its
//            neighbour (or the recipient) lacks             (1; 1 per recipient)
//   compare  lt/le: msb(a - b) by bit extraction [MR18 5.3] -- a full-adder
//            layer (1; 1), the carry into the top bit by a log-depth tree
//            (L; 2), BI of the result bit (1; 1)          (L+2; 4)
//   equal    a == b as !(a < b) & !(b < a): two compares side by side,
//            then one product                              (L+3; 9)
//   recip    Norm, 3 Newton steps x <- x(2 - ax) of 2 MT each, one MT to
//            undo the normalisation [CS10]                 (2L+18; k+2L+17)
//   sqrt     Norm, 3 Newton steps for 1/sqrt, y <- y(3 - ay^2)/2, of 3 MT
//            each, then x*y and the exponent correction (2 MT)
//                                                          (2L+26; k+2L+25)
//   exp      2^(x log2 e): MT, BD to split integer and fraction, BI of the
//            L integer bits, then 2^int (a product tree, at most 3 MT levels)
//            beside a degree-5 Horner polynomial for 2^frac (5 MT), one MT
//            to combine                                    (L+16; 3L+15)
//   log      Norm, a degree-5 Horner polynomial on the mantissa (5 MT),
//            one MT by ln 2 (the exponent term is local)   (2L+16; k+2L+15)
//
// These are the budgets the runtime's protocols are to be measured against;
// when a protocol is implemented differently, this table changes with it.
//
//                             rounds     elements        counts as
//                             L*  +1     k*  L*  +1      a product
static const Protocol MultP   {"mult",    0,  1,     0,  0,  1,     true};
static const Protocol TruncP  {"trunc",   0,  1,     0,  0,  1,     false};
// exact truncation by bit decomposition (rep3::Binary::truncExact, where the
// truncmode pass marks it): L + 2 rounds, party 0 about 11 words
static const Protocol TruncExactP{"trunc.exact", 1, 2, 0,  0, 11,     false};
static const Protocol OpenP   {"open",    0,  1,     0,  0,  1,     false};
static const Protocol CompareP{"compare", 1,  2,     0,  0,  4,     false};
static const Protocol EqualP  {"equal",   1,  3,     0,  0,  9,     false};
static const Protocol RecipP  {"recip",   2, 18,     1,  2, 17,     false};
static const Protocol SqrtP   {"sqrt",    2, 26,     1,  2, 25,     false};
// rsqrt is sqrt without its final product (sqrt = x * rsqrt(x)).
static const Protocol RsqrtP  {"rsqrt",   2, 25,     1,  2, 24,     false};
static const Protocol ExpP    {"exp",     1, 16,     0,  3, 15,     false};
static const Protocol LogP    {"log",     2, 16,     1,  2, 15,     false};
// solve: its rounds and elements depend on d, see solveComm().
static const Protocol SolveP  {"solve",   0,  0,     0,  0,  0,     false};
// bits: its rounds and elements depend on lo + n, see opComm().
static const Protocol BitsP   {"bits",    0,  0,     0,  0,  0,     false};
// clang-format on

const std::vector<const Protocol *> &sstat::ir::allProtocols() {
  static const std::vector<const Protocol *> All = {
      &MultP,  &TruncP, &OpenP, &CompareP, &EqualP, &RecipP,     &SqrtP,
      &RsqrtP, &ExpP,   &LogP,  &SolveP,   &BitsP,  &TruncExactP};
  return All;
}

static unsigned log2Ceil(unsigned K) {
  unsigned L = 0;
  while ((1u << L) < K)
    ++L;
  return L;
}

unsigned Protocol::rounds(unsigned RingBits) const {
  return unsigned(RoundsL * int(log2Ceil(RingBits)) + Rounds1);
}

int64_t Protocol::elements(unsigned RingBits) const {
  return int64_t(ElemsK) * RingBits + int64_t(ElemsL) * log2Ceil(RingBits) +
         Elems1;
}

// ---- the rules, one per opcode, in the order of Ops.def

namespace {

/// When an op communicates, given its operands' labels.
enum class When : uint8_t {
  Never,      // always local
  AnySecret,  // when any operand is secret
  AllSecret,  // when every operand is secret (a public factor is local)
  CondSecret, // when operand 0, the condition, is secret
  Cast,       // see castProtocol()
  Region,     // for / if: the cost of their regions, see computeCost()
};

/// How many output elements the protocol runs on.
enum class Count : uint8_t {
  None,
  Result,              // the result's elements
  Operand,             // operand 0's elements
  OperandPerRecipient, // operand 0's elements, once per recipient in 'to'
};

struct Rule {
  OpCode Code;
  When W;
  const Protocol *P;
  Count C;
};

// Local ops need no message: linear ops on shares (add, sub, neg, sum, a
// public factor, not = 1 - x), share-local rearrangements (get, set and
// concat at public indices, transpose, length), constants (shares
// (c, 0, 0)) and input (the owner's sharing happens before the computation).
// clang-format off
constexpr Rule Rules[] = {
    // opcode            interactive when    protocol    per
    {OpCode::Const,      When::Never,        nullptr,    Count::None},
    {OpCode::Input,      When::Never,        nullptr,    Count::None},
    {OpCode::InputValid, When::Never,        nullptr,    Count::None},
    {OpCode::NRows,      When::Never,        nullptr,    Count::None},
    {OpCode::Add,        When::Never,        nullptr,    Count::None},
    {OpCode::Sub,        When::Never,        nullptr,    Count::None},
    {OpCode::Neg,        When::Never,        nullptr,    Count::None},
    {OpCode::Mul,        When::AllSecret,    &MultP,     Count::Result},
    {OpCode::Trunc,      When::AnySecret,    &TruncP,    Count::Result},
    // a / c with c public: a local product by 1/c, then a truncation
    {OpCode::Div,        When::AnySecret,    &TruncP,    Count::Result},
    {OpCode::Recip,      When::AnySecret,    &RecipP,    Count::Result},
    {OpCode::Sqrt,       When::AnySecret,    &SqrtP,     Count::Result},
    {OpCode::Rsqrt,      When::AnySecret,    &RsqrtP,    Count::Result},
    {OpCode::Exp,        When::AnySecret,    &ExpP,      Count::Result},
    {OpCode::Log,        When::AnySecret,    &LogP,      Count::Result},
    {OpCode::Cast,       When::Cast,         nullptr,    Count::Result},
    // an adder over lo + n bits, then n bits injected (see opComm())
    {OpCode::Bits,       When::AnySecret,    &BitsP,     Count::Operand},
    {OpCode::Lt,         When::AnySecret,    &CompareP,  Count::Result},
    {OpCode::Le,         When::AnySecret,    &CompareP,  Count::Result},
    {OpCode::Eq,         When::AnySecret,    &EqualP,    Count::Result},
    {OpCode::Not,        When::Never,        nullptr,    Count::None},
    {OpCode::And,        When::AllSecret,    &MultP,     Count::Result},
    // a | b = a + b - a*b
    {OpCode::Or,         When::AllSecret,    &MultP,     Count::Result},
    {OpCode::Select,     When::CondSecret,   &MultP,     Count::Result},
    {OpCode::Sum,        When::Never,        nullptr,    Count::None},
    {OpCode::PrefixSum,  When::Never,        nullptr,    Count::None},
    // one element for the whole vector: the point of dot fusion
    {OpCode::Dot,        When::AllSecret,    &MultP,     Count::Result},
    {OpCode::MatMul,     When::AllSecret,    &MultP,     Count::Result},
    {OpCode::Transpose,  When::Never,        nullptr,    Count::None},
    {OpCode::Length,     When::Never,        nullptr,    Count::None},
    {OpCode::Get,        When::Never,        nullptr,    Count::None},
    {OpCode::Set,        When::Never,        nullptr,    Count::None},
    {OpCode::Concat,     When::Never,        nullptr,    Count::None},
    {OpCode::ColBind,    When::Never,        nullptr,    Count::None},
    {OpCode::Column,     When::Never,        nullptr,    Count::None},
    // placeholders (no protocol yet): one comparison layer as a lower bound
    {OpCode::Sort,       When::AnySecret,    &CompareP,  Count::Result},
    {OpCode::Shuffle,    When::AnySecret,    &MultP,     Count::Result},
    // d sequential pivots: see solveCost()
    {OpCode::Solve,      When::AnySecret,    &SolveP,    Count::Result},
    {OpCode::Reveal,     When::AnySecret,    &OpenP,     Count::Operand},
    {OpCode::Publish,    When::AnySecret,    &OpenP,     Count::OperandPerRecipient},
    // calls are gone: the cost model runs after the inline pass
    {OpCode::Call,       When::Never,        nullptr,    Count::None},
    {OpCode::For,        When::Region,       nullptr,    Count::None},
    {OpCode::If,         When::Region,       nullptr,    Count::None},
    {OpCode::Yield,      When::Never,        nullptr,    Count::None},
};
// clang-format on

constexpr unsigned NumOpCodes = 0
#define IROP(Enum, Mnemonic, NOps, NRes, NRegions, Traits, Doc) +1
#include "sstat/IR/Ops.def"
#undef IROP
    ;

constexpr bool rulesFollowOps() {
  for (unsigned I = 0; I < std::size(Rules); ++I)
    if (Rules[I].Code != OpCode(I))
      return false;
  return std::size(Rules) == NumOpCodes;
}
static_assert(rulesFollowOps(),
              "Cost.cpp's Rules must have one row per op, in Ops.def's order");

/// A cast of a secret: to bool is a zero test; dropping fractional bits is
/// a truncation; everything else (int to fixed point, bool to int, public
/// to secret) is a local scaling or re-labelling.
const Protocol *castProtocol(const Op &O) {
  const Type &From = O.operand(0)->type(), &To = O.result()->type();
  if (!From.isSecret())
    return nullptr;
  if (To.E == Elem::Bool && From.E != Elem::Bool)
    return &EqualP;
  if (From.E == Elem::Fix && (To.E != Elem::Fix || To.Scale < From.Scale))
    return &TruncP;
  return nullptr;
}

size_t recipients(const Op &O) {
  auto It = O.Attrs.find("to");
  if (It == O.Attrs.end())
    return 1;
  if (auto *L = std::get_if<std::vector<std::string>>(&It->second))
    return std::max<size_t>(L->size(), 1);
  return 1;
}

} // namespace

OpComm sstat::ir::opComm(const Op &O, const Module &M) {
  const Rule &R = Rules[unsigned(O.code())];
  bool Any = false, All = O.numOperands() > 0;
  for (const Value *V : O.operands()) {
    Any |= V->type().isSecret();
    All &= V->type().isSecret();
  }
  const Protocol *P = nullptr;
  switch (R.W) {
  case When::Never:
  case When::Region:
    break;
  case When::AnySecret:
    P = Any ? R.P : nullptr;
    break;
  case When::AllSecret:
    P = All ? R.P : nullptr;
    break;
  case When::CondSecret:
    P = O.numOperands() && O.operand(0)->type().isSecret() ? R.P : nullptr;
    break;
  case When::Cast:
    P = castProtocol(O);
    break;
  }
  if (!P)
    return {};
  Poly N;
  switch (R.C) {
  case Count::None:
    N = 0;
    break;
  case Count::Result:
    N = O.numResults() ? numElements(O.result()) : Poly(1);
    break;
  case Count::Operand:
    N = numElements(O.operand(0));
    break;
  case Count::OperandPerRecipient:
    N = numElements(O.operand(0)) * Poly(int64_t(recipients(O)));
    break;
  }
  if (P == &TruncP && O.hasAttr("exact"))
    P = &TruncExactP;
  OpComm C;
  C.Proto = P;
  if (P == &BitsP) {
    // rep3::Binary::bits (ABY3 A2B on the low lo + n bits, then bit
    // injection): the input round, ceil(log2(lo + n - 1)) Kogge-Stone
    // levels, one injection round; party 0 sends about 2 words per level
    // and 2 per injected bit, per element.
    int64_t W = O.intAttr("lo") + O.intAttr("n");
    unsigned Levels = log2Ceil(unsigned(W > 2 ? W - 1 : 1));
    C.Rounds = 2 + Levels;
    C.Elements = N * Poly(int64_t(2 * Levels + 1 + 2 * O.intAttr("n")));
    return C;
  }
  if (P == &SolveP) {
    const Type &A = O.operand(0)->type(), &B = O.operand(1)->type();
    int64_t D = A.Rank == 2 && A.D[0].K == Dim::Const ? A.D[0].N : 1;
    int64_t Mm = B.Rank == 2 && B.D[1].K == Dim::Const ? B.D[1].N
                 : B.Rank == 1                         ? 1
                                                       : 0;
    if (M.RingBits == 128) {
      // Newton-Schulz (runtime/include/sstat/runtime/FixedPointNewton.h,
      // CondBits 20, F = 40): one msb on the diagonal, k = 16 (d < 16) or
      // 17 iteration calls, two exact refinement calls: 39 + k rounds;
      // about (k + 4) d (d + 1) + 2 d (m + 1) elements.
      int64_t K = D < 16 ? 16 : 17;
      C.Rounds = unsigned(39 + K);
      C.Elements = Poly((K + 4) * D * (D + 1) + 2 * D * (Mm + 1) +
                        D * CompareP.elements(M.RingBits));
      return C;
    }
    // The Cholesky (runtime/include/sstat/runtime/FixedPointLinalg.h): d + 1
    // rsqrt kernels (one on d elements) and 2d + 4 product calls, each a
    // product and a truncation; about d^3/3 + d^2 (m + 2) elements.
    C.Rounds =
        unsigned(D + 1) * RsqrtP.rounds(M.RingBits) + unsigned(2 * (2 * D + 4));
    C.Elements = Poly(int64_t(2 * D) * RsqrtP.elements(M.RingBits) +
                      2 * (D * D * D / 3 + D * D * (Mm + 2)));
    return C;
  }
  C.Rounds = P->rounds(M.RingBits);
  C.Elements = N * Poly(P->elements(M.RingBits));
  if (P->IsMult)
    C.Mults = N;
  return C;
}

// ---- sizes and public integers

static Poly dimPoly(const Dim &D) {
  switch (D.K) {
  case Dim::Const:
    return Poly(D.N);
  case Dim::Sym:
    return Poly::sym(D.Name);
  case Dim::Unknown:
    return Poly::sym("?");
  }
  return Poly::sym("?");
}

static bool dimsKnown(const Type &T) {
  return (T.Rank < 1 || T.D[0].K != Dim::Unknown) &&
         (T.Rank < 2 || T.D[1].K != Dim::Unknown);
}

Poly sstat::ir::numElements(const Value *V) {
  const Type &T = V->type();
  if (T.Rank == 0)
    return 1;
  if (!dimsKnown(T))
    if (const Op *D = V->def()) {
      if (D->code() == OpCode::Concat) {
        Poly N;
        for (const Value *X : D->operands())
          N += numElements(X);
        return N;
      }
      if (D->hasTrait(Elementwise) || D->code() == OpCode::Set)
        for (const Value *X : D->operands())
          if (X->type().Rank == T.Rank)
            return numElements(X);
    }
  return T.Rank == 1 ? dimPoly(T.D[0]) : dimPoly(T.D[0]) * dimPoly(T.D[1]);
}

Poly sstat::ir::publicIntValue(const Value *V) {
  if (const Op *D = V->def()) {
    OpCode C = D->code();
    if (C == OpCode::Const && V->type().Rank == 0) {
      double X = D->numAttr("value");
      if (X == double(int64_t(X)))
        return Poly(int64_t(X));
    }
    if (C == OpCode::NRows)
      return Poly::sym("n." + D->strAttr("table"));
    if (C == OpCode::Length)
      return numElements(D->operand(0));
    if (C == OpCode::Cast)
      return publicIntValue(D->operand(0));
    if (C == OpCode::Add || C == OpCode::Sub || C == OpCode::Mul) {
      Poly A = publicIntValue(D->operand(0)), B = publicIntValue(D->operand(1));
      return C == OpCode::Add ? A + B : C == OpCode::Sub ? A - B : A * B;
    }
  }
  return Poly::sym(V->Hint.empty() ? "?" : V->Hint);
}

// ---- rounds

/// Effects keep their order within two chains: input loads, and
/// disclosures (reveal, publish). An input never waits for a disclosure:
/// its data is shared before the computation starts, so loading it earlier
/// discloses nothing, and a disclosure never overtakes an input that came
/// before it (inputs have no operands and are ready first).
enum class Chain { None, Input, Disclosure };

static Chain chainOf(const Op &O) {
  OpCode C = O.code();
  if (C == OpCode::Input || C == OpCode::InputValid)
    return Chain::Input;
  // Reveal and publish; any other op with an effect is ordered with them.
  if (!O.hasTrait(Pure) && !O.hasTrait(Terminator) && O.numRegions() == 0)
    return Chain::Disclosure;
  return Chain::None;
}

BlockLevels sstat::ir::blockLevels(const Block &B, const Module &M) {
  BlockLevels L;
  // Lookups only: the order of this map never shows.
  std::unordered_map<const Value *, int64_t> Finish;
  int64_t Base = 0, Max = 0, LastInput = 0, LastDisclosure = 0;
  for (const auto &Ptr : B.ops()) {
    const Op &O = *Ptr;
    int64_t Ready = Base, First = 0;
    unsigned Lat = 0;
    if (O.numRegions() > 0 || O.hasTrait(Terminator)) {
      // A barrier: everything before it completes first.
      Base = Max;
      Ready = Base;
      LastInput = LastDisclosure = Base;
    } else {
      for (const Value *V : O.operands())
        if (auto It = Finish.find(V); It != Finish.end())
          Ready = std::max(Ready, It->second);
      Chain C = chainOf(O);
      int64_t *Last = C == Chain::Input        ? &LastInput
                      : C == Chain::Disclosure ? &LastDisclosure
                                               : nullptr;
      if (Last) {
        Ready = std::max(Ready, *Last);
        *Last = Ready;
      }
      Lat = opComm(O, M).Rounds;
      if (Lat)
        First = Ready + 1;
    }
    int64_t Done = Ready + Lat;
    for (unsigned I = 0; I < O.numResults(); ++I)
      Finish[O.result(I)] = Done;
    Max = std::max(Max, Done);
    L.Ready.push_back(Ready);
    L.First.push_back(First);
    L.Latency.push_back(Lat);
  }
  L.Depth = Max;
  return L;
}

// ---- the whole module

namespace {

struct Totals {
  Poly Rounds, Elements, Mults;
};

class CostWalker {
public:
  CostWalker(const Module &M, CostReport &R) : M(M), R(R) {}

  Totals block(const Block &B, const Poly &Times) {
    unsigned Id = NextBlock++;
    BlockLevels L = blockLevels(B, M);
    Totals T;
    T.Rounds = Poly(L.Depth);
    size_t I = 0;
    for (const auto &Ptr : B.ops()) {
      const Op &O = *Ptr;
      if (O.code() == OpCode::For) {
        Poly Trip = tripCount(O);
        Totals Body = block(O.region(0).block(), Times * Trip);
        T.Rounds += Trip * Body.Rounds;
        T.Elements += Trip * Body.Elements;
        T.Mults += Trip * Body.Mults;
      } else if (O.code() == OpCode::If) {
        Totals A = block(O.region(0).block(), Times);
        Totals E = block(O.region(1).block(), Times);
        T.Rounds += Poly::max(A.Rounds, E.Rounds);
        T.Elements += Poly::max(A.Elements, E.Elements);
        T.Mults += Poly::max(A.Mults, E.Mults);
      } else if (OpComm C = opComm(O, M); C.isInteractive()) {
        T.Elements += C.Elements;
        T.Mults += C.Mults;
        R.Ops.push_back({O.loc(), O.code(), C.Proto, C.Elements * Times,
                         C.Mults * Times, Times, Id, L.First[I], C.Rounds});
      }
      ++I;
    }
    return T;
  }

private:
  static Poly tripCount(const Op &For) {
    Poly Trip = publicIntValue(For.operand(1)) -
                publicIntValue(For.operand(0)) + Poly(1);
    if (Trip.isConstant() && Trip.constant() < 0)
      return Poly(0);
    return Trip;
  }

  const Module &M;
  CostReport &R;
  unsigned NextBlock = 0;
};

} // namespace

CostReport sstat::ir::computeCost(const Module &M) {
  assert(M.Functions.empty() && "the cost model runs after the inline pass");
  CostReport R;
  R.RingBits = M.RingBits;
  Totals T = CostWalker(M, R).block(M.body().block(), Poly(1));
  R.Rounds = T.Rounds;
  R.Elements = T.Elements;
  R.Bytes = T.Elements * Poly(int64_t(M.RingBits / 8));
  R.Mults = T.Mults;
  return R;
}

std::map<unsigned, LineCost>
sstat::ir::costByKey(const CostReport &R,
                     const std::function<unsigned(SMLoc)> &KeyOf) {
  std::map<unsigned, LineCost> Out;
  struct Span {
    std::set<int64_t> Rounds;
    Poly Times;
  };
  std::map<std::pair<unsigned, unsigned>, Span> Spans; // (key, block)
  for (const OpCost &C : R.Ops) {
    unsigned K = KeyOf(C.Loc);
    LineCost &L = Out[K];
    L.Elements += C.Elements;
    L.Mults += C.Mults;
    Span &S = Spans[{K, C.BlockId}];
    for (unsigned I = 0; I < C.Rounds; ++I)
      S.Rounds.insert(C.First + I);
    S.Times = C.Times;
  }
  for (const auto &[Key, S] : Spans)
    Out[Key.first].Rounds += Poly(int64_t(S.Rounds.size())) * S.Times;
  for (auto &[K, L] : Out)
    L.Bytes = L.Elements * Poly(int64_t(R.RingBits / 8));
  return Out;
}

// ---- fixed-point headroom

bool sstat::ir::truncMayBeDeferred(const Op &Trunc, const Module &M) {
  if (Trunc.code() != OpCode::Trunc || Trunc.numOperands() != 1)
    return false;
  const Type &A = Trunc.operand(0)->type();
  int F = int(M.FracBits);
  if (A.E != Elem::Fix || Trunc.intAttr("bits") != F || int(A.Scale) != 2 * F)
    return false;
  return int(M.RingBits) - 2 * F - 1 >= int(kMinDeferredHeadroomBits);
}

// ---- per compute party, as the VM runs it

std::array<std::string, 3> sstat::ir::defaultComputeParties(
    const std::vector<std::vector<std::string>> &Owners,
    const std::vector<std::string> &Recipients,
    const std::vector<std::string> &AllParties) {
  std::vector<std::string> Order;
  auto Add = [&](const std::string &N) {
    if (Order.size() < 3 &&
        std::find(Order.begin(), Order.end(), N) == Order.end())
      Order.push_back(N);
  };
  for (const auto &T : Owners)
    for (const std::string &O : T)
      Add(O);
  for (const std::string &R : Recipients)
    Add(R);
  for (int I = 1; Order.size() < 3; ++I) {
    std::string N = "server_" + std::to_string(I);
    if (std::find(AllParties.begin(), AllParties.end(), N) == AllParties.end())
      Add(N);
  }
  return {Order[0], Order[1], Order[2]};
}

namespace {

/// Replays the channel's round counting for the three compute parties.
class PartyWalker {
public:
  PartyWalker(const Module &M, PartyCost &C) : M(M), C(C) {
    S = Poly(int64_t(M.RingBits / 8));
    // After the input phase a party is in a receive phase unless it shared
    // inputs last and no other compute party did (then it only sent).
    std::array<bool, 3> Owner{};
    for (const InputTable &T : M.Inputs)
      for (const std::string &O : T.Parties)
        for (int P = 0; P < 3; ++P)
          Owner[size_t(P)] |= C.Compute[size_t(P)] == O;
    for (int P = 0; P < 3; ++P) {
      bool OtherOwner = false;
      for (int Q = 0; Q < 3; ++Q)
        OtherOwner |= Q != P && Owner[size_t(Q)];
      InRecv[size_t(P)] = !Owner[size_t(P)] || OtherOwner;
    }
  }

  void block(const Block &B, const Poly &Times) {
    for (const auto &Ptr : B.ops()) {
      const Op &O = *Ptr;
      if (O.code() == OpCode::For) {
        flush(Times);
        Poly Trip = publicIntValue(O.operand(1)) -
                    publicIntValue(O.operand(0)) + Poly(1);
        if (Trip.isConstant() && Trip.constant() < 0)
          Trip = Poly(0);
        block(O.region(0).block(), Times * Trip);
        flush(Times * Trip);
        continue;
      }
      if (O.code() == OpCode::If) {
        // The VM runs one branch; count the costlier (by the then-branch's
        // shape; both are usually alike) as the budget does.
        flush(Times);
        PartyCost Save = C;
        std::array<bool, 3> SaveRecv = InRecv;
        block(O.region(0).block(), Times);
        flush(Times);
        PartyCost Then = C;
        C = Save;
        InRecv = SaveRecv;
        block(O.region(1).block(), Times);
        flush(Times);
        for (int P = 0; P < 3; ++P) {
          C.Bytes[size_t(P)] =
              Poly::max(C.Bytes[size_t(P)], Then.Bytes[size_t(P)]);
          C.Rounds[size_t(P)] =
              Poly::max(C.Rounds[size_t(P)], Then.Rounds[size_t(P)]);
        }
        C.Exact &= Then.Exact;
        continue;
      }
      OpComm X = opComm(O, M);
      if (!X.isInteractive())
        continue;
      OpCode Code = O.code();
      Poly N = O.numResults() ? numElements(O.result()) : Poly(1);
      bool Batchable = Code == OpCode::Mul || Code == OpCode::Dot ||
                       Code == OpCode::MatMul ||
                       ((Code == OpCode::Trunc || Code == OpCode::Div) &&
                        X.Proto != &TruncExactP) ||
                       Code == OpCode::Reveal || Code == OpCode::Publish;
      int64_t Round = O.hasAttr("round") ? O.intAttr("round") : 0;
      if (!Batchable || Round == 0 || Round != CurRound)
        flush(Times);
      if (Code == OpCode::Reveal)
        N = numElements(O.operand(0));
      if (X.Proto == &TruncP) {
        Send[0] += N * S; // ABY3 Pi_trunc1: party 0 to party 1
        Recv[1] = true;
      } else if (Code == OpCode::Publish) {
        Poly Len = numElements(O.operand(0));
        auto It = O.Attrs.find("to");
        if (It != O.Attrs.end())
          if (auto *L = std::get_if<std::vector<std::string>>(&It->second))
            for (const std::string &To : *L)
              for (int P = 0; P < 3; ++P)
                if (C.Compute[size_t(P)] == To) {
                  Send[size_t((P + 2) % 3)] += Len * S; // open to P
                  Recv[size_t(P)] = true;
                }
      } else if (X.Proto->IsMult || Code == OpCode::Reveal) {
        for (int P = 0; P < 3; ++P) {
          Send[size_t(P)] += N * S;
          Recv[size_t(P)] = true;
        }
      } else {
        // A multi-round protocol, by its budget: every party sends and
        // receives in each of its rounds.
        C.Exact = false;
        for (unsigned R = 0; R < X.Rounds; ++R) {
          for (int P = 0; P < 3; ++P)
            Recv[size_t(P)] = true;
          if (R == 0)
            for (int P = 0; P < 3; ++P)
              Send[size_t(P)] += X.Elements * S;
          else
            for (int P = 0; P < 3; ++P)
              SentSomething[size_t(P)] = true;
          flush(Times);
        }
        continue;
      }
      if (!Batchable || Round == 0) {
        flush(Times);
        continue;
      }
      CurRound = Round;
    }
  }

  /// Ends the open round: sends, then receives.
  void flush(const Poly &Times) {
    for (int P = 0; P < 3; ++P) {
      size_t I = size_t(P);
      if (Send[I] != Poly() || SentSomething[I]) {
        InRecv[I] = false;
        C.Bytes[I] += Send[I] * Times;
      }
      if (Recv[I] && !InRecv[I]) {
        C.Rounds[I] += Times;
        InRecv[I] = true;
      }
      Send[I] = Poly();
      Recv[I] = false;
      SentSomething[I] = false;
    }
    CurRound = 0;
  }

private:
  const Module &M;
  PartyCost &C;
  Poly S;
  std::array<bool, 3> InRecv{};
  std::array<Poly, 3> Send;
  std::array<bool, 3> Recv{}, SentSomething{};
  int64_t CurRound = 0;
};

} // namespace

PartyCost sstat::ir::computePartyCost(const Module &M) {
  PartyCost C;
  std::vector<std::vector<std::string>> Owners;
  for (const InputTable &T : M.Inputs)
    Owners.push_back(T.Parties);
  std::vector<std::string> Recipients;
  std::function<void(const Block &)> Scan = [&](const Block &B) {
    for (const auto &O : B.ops()) {
      for (unsigned R = 0; R < O->numRegions(); ++R)
        Scan(O->region(R).block());
      if (O->code() != OpCode::Publish)
        continue;
      auto It = O->Attrs.find("to");
      if (It != O->Attrs.end())
        if (auto *L = std::get_if<std::vector<std::string>>(&It->second))
          for (const std::string &To : *L)
            if (std::find(Recipients.begin(), Recipients.end(), To) ==
                Recipients.end())
              Recipients.push_back(To);
    }
  };
  Scan(M.body().block());
  // Recipients in the program's order of parties, as sstat-run --local.
  std::vector<std::string> Ordered;
  for (const std::string &P : M.Parties)
    if (std::find(Recipients.begin(), Recipients.end(), P) != Recipients.end())
      Ordered.push_back(P);
  C.Compute = defaultComputeParties(Owners, Ordered, M.Parties);
  PartyWalker W(M, C);
  W.block(M.body().block(), Poly(1));
  W.flush(Poly(1));
  return C;
}
