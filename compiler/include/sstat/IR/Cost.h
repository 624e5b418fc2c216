//===- Cost.h - What an IR program costs under rep3 -------------*- C++ -*-===//
//
// The cost model of the `rep3` protocol (three parties, replicated secret
// sharing over Z_2^k, ABY3): for every op, whether it needs communication
// given its operands' labels, how many rounds it takes and how many ring
// elements each party sends. The rules are one table keyed by opcode and the
// protocols one table of formulas in k (Cost.cpp cites the papers).
//
// Lengths are symbolic (`n.cars`), so costs are polynomials over those
// symbols (Poly). Rounds are the longest chain of interactive ops: each op
// starts one round after the last interactive op it depends on finished
// (ASAP levels), independent ops share a round. The same level computation
// drives the round-scheduling pass, so the scheduled IR's `round`
// attributes and the reported round count agree by construction.
//
//===----------------------------------------------------------------------===//

#ifndef SSTAT_IR_COST_H
#define SSTAT_IR_COST_H

#include "sstat/IR/IR.h"

#include "llvm/Support/SMLoc.h"

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace sstat::ir {

/// A polynomial with integer coefficients over named lengths, such as
/// `2*n.cars + 3` or `n.a*n.b`. Unknown lengths are the symbol `?`.
class Poly {
public:
  /// The symbols of one term, sorted, repeated for powers.
  using Monomial = std::vector<std::string>;

  Poly() = default;
  Poly(int64_t C); // NOLINT: a constant converts implicitly
  static Poly sym(const std::string &Name);

  Poly operator+(const Poly &O) const;
  Poly operator-(const Poly &O) const;
  Poly operator*(const Poly &O) const;
  Poly &operator+=(const Poly &O) { return *this = *this + O; }
  bool operator==(const Poly &O) const { return Terms == O.Terms; }
  bool operator!=(const Poly &O) const { return !(*this == O); }

  bool isZero() const { return Terms.empty(); }
  bool isConstant() const;
  /// The constant term.
  int64_t constant() const;
  /// Whether the polynomial mentions \p Symbol.
  bool mentions(const std::string &Symbol) const;
  const std::map<Monomial, int64_t> &terms() const { return Terms; }

  /// The coefficientwise maximum: at least both operands wherever every
  /// symbol is non-negative, and exactly the larger one when one dominates
  /// the other term by term (max(n, 3) is `n + 3`, max(2*n, n) is `2*n`).
  static Poly max(const Poly &A, const Poly &B);

  /// `2*n.cars + 3`: highest degree first, then by name; 1 is left out of
  /// products.
  std::string str() const;

private:
  std::map<Monomial, int64_t> Terms; // no zero coefficients
};

/// One interactive protocol of rep3 and its online cost per output element,
/// as formulas in the ring size k, with L = ceil(log2 k):
///   rounds   = RoundsL * L + Rounds1
///   elements = ElemsK * k + ElemsL * L + Elems1   (k-bit ring elements
///              sent by each party; k AND gates count as one element)
struct Protocol {
  const char *Name;
  int RoundsL, Rounds1;
  int ElemsK, ElemsL, Elems1;
  /// Counts toward "interactive multiplications" (one reshare each).
  bool IsMult;

  unsigned rounds(unsigned RingBits) const;
  int64_t elements(unsigned RingBits) const;
};

/// The protocols, in the order of the table in Cost.cpp.
const std::vector<const Protocol *> &allProtocols();

/// What one op costs each time it runs (ops with regions excluded).
struct OpComm {
  const Protocol *Proto = nullptr; // null: the op is local
  unsigned Rounds = 0;             // its latency in rounds
  Poly Elements;                   // ring elements sent per party
  Poly Mults;                      // interactive multiplications
  bool isInteractive() const { return Proto != nullptr; }
};

/// The communication of \p O under rep3, from its operands' labels.
OpComm opComm(const Op &O, const Module &M);

/// The number of elements of a value: 1 for a scalar, its length for a
/// vector, rows*cols for a matrix; unknown lengths are recovered through
/// concat and elementwise ops where possible, else the symbol `?`.
Poly numElements(const Value *V);

/// The value of a public integer as a polynomial (constants, `nrows`,
/// `length`, +, -, *), else a symbol named after the value's hint (or `?`).
Poly publicIntValue(const Value *V);

/// ASAP round levels of the ops of one block (nested regions are not
/// looked into). `for` and `if` ops are barriers: what comes before them
/// finishes first, what comes after starts after them, so their own rounds
/// add to the block's. Effects keep their order in two chains: an input
/// load is never placed in an earlier level than the input before it, a
/// reveal or publish never earlier than the disclosure before it. (An input
/// may move ahead of a disclosure: inputs are shared before the computation
/// starts, so this discloses nothing earlier.)
struct BlockLevels {
  /// Per op, in block order: the level after which its operands are
  /// available (the rounds completed before it can run).
  std::vector<int64_t> Ready;
  /// Per op: its first round (1-based, counted from the block's start), or
  /// 0 for a local op, a region op or the terminator.
  std::vector<int64_t> First;
  /// Per op: its latency in rounds (0 when local).
  std::vector<unsigned> Latency;
  /// The rounds of the block's straight-line code (without the rounds inside
  /// its `for` / `if` ops): the number of distinct rounds its interactive
  /// ops occupy.
  int64_t Depth = 0;
};
BlockLevels blockLevels(const Block &B, const Module &M);

/// One interactive op in the report.
struct OpCost {
  llvm::SMLoc Loc; // into the source buffer the program was lowered from
  OpCode Code;
  const Protocol *Proto;
  Poly Elements;    // sent per party, over all executions
  Poly Mults;       // over all executions
  Poly Times;       // how often the op runs (loop trip counts multiplied)
  unsigned BlockId; // ops of one block execution share rounds
  int64_t First;    // its first round within the block
  unsigned Rounds;  // its latency
};

struct CostReport {
  unsigned RingBits = 64;
  Poly Rounds;
  Poly Elements; // ring elements sent per party (the maximum over parties)
  Poly Bytes;    // Elements * k / 8
  Poly Mults;
  std::vector<OpCost> Ops; // interactive ops, in program order
};

/// The cost of running \p M once. Loops multiply their body's cost by the
/// trip count (a polynomial when the bounds are); an `if` costs the
/// coefficientwise maximum of its branches.
CostReport computeCost(const Module &M);

/// What each compute party sends and how many rounds it receives in, as
/// the rep3 party VM executes the program: instructions of one scheduled
/// round are started together and finished together (one receive phase),
/// ABY3's truncation is one-sided (party 0 sends, party 1 receives), an
/// open to one recipient is one message, results for output clients leave
/// the compute parties' channel. Rounds are counted as the channel counts
/// them: a receive that follows a send (or the first receive) starts a
/// round. The deployment is the default one (sstat-run --local): the first
/// three owners, then recipients, then "server_N", are the compute parties.
/// Exact for products, dot and matrix products, truncations, divisions by
/// public values and disclosures; comparisons, casts to bool and the
/// nonlinear kernels are counted with the budgets of the protocol table
/// (Exact is then false). Loop bodies count the same in every iteration.
/// Input sharing comes before and is not counted.
struct PartyCost {
  std::array<std::string, 3> Compute;
  std::array<Poly, 3> Bytes, Rounds;
  bool Exact = true;
};
PartyCost computePartyCost(const Module &M);

/// The compute parties of the default deployment of a program with these
/// tables' owners and recipients (first three owners, then recipients,
/// then server_1, server_2, ... not already taken).
std::array<std::string, 3>
defaultComputeParties(const std::vector<std::vector<std::string>> &Owners,
                      const std::vector<std::string> &Recipients,
                      const std::vector<std::string> &AllParties);

/// The cost attributed to one key (a source line).
struct LineCost {
  Poly Rounds; // rounds in which the line's ops communicate
  Poly Elements, Bytes, Mults;
};

/// Groups a report's ops by \p KeyOf (e.g. the source line of a location).
/// A key's rounds count the distinct rounds of each block execution in
/// which its ops send, so keys sharing a round each count it.
std::map<unsigned, LineCost>
costByKey(const CostReport &R,
          const std::function<unsigned(llvm::SMLoc)> &KeyOf);

/// Fixed-point headroom, shared by dot fusion and truncation deferral.
///
/// Moving `trunc {bits = F}` of a value at scale 2F (the product of two
/// scale-F values) past a sum means the sum is formed at scale 2F: it must
/// stay below 2^(k-1) as a ring element, i.e. below 2^(k-2F-1) in real
/// units, instead of 2^(k-F-1). The compiler cannot bound sums over tables
/// (row counts are run-time values), so it assumes every such sum stays
/// below 2^(k-2F-1) and requires that bound to be at least
/// 2^kMinDeferredHeadroomBits; k = 64, F = 16 gives 2^31.
constexpr unsigned kMinDeferredHeadroomBits = 31;

/// Whether \p Trunc truncates a product of two module-scale values (scale
/// 2F, by F bits) in a ring with enough headroom to sum such products first.
bool truncMayBeDeferred(const Op &Trunc, const Module &M);

} // namespace sstat::ir

#endif // SSTAT_IR_COST_H
