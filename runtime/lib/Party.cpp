//===- Party.cpp - The rep3 party VM --------------------------------------===//
//
// Executes bytecode at one compute party of rep3 (Araki, Furukawa, Lindell,
// Nof, Ohara, CCS 2016; Mohassel and Rindal, ABY3, CCS 2018). Public
// registers are computed exactly as the cleartext executor computes them;
// secret registers hold replicated shares and every operation on them maps
// to the protocol (rep3/Rep3.h for arithmetic, rep3/Binary.h for
// comparisons, rep3/FxOps.h for the fixed-point kernels):
//
//   ADD SUB NEG, x*public, SUM, TRANSPOSE, COLUMN, CONCAT, CBIND, GET, SET,
//   DIV by a public value, public SELECT            local, no communication
//   MUL (secret x secret)                     one element per product, 1 round
//   DOT, MATMUL (secret x secret)             one element per OUTPUT, 1 round
//   TRUNC                                     ABY3 Pi_trunc1, 1 round
//   LT LE EQ, CAST to bool or to int          comparison protocols
//   RECIP SQRT RSQRT EXP LOG                  the kernels of
//   FixedPointKernels.h REVEAL                                    open to all
//   three parties PUBLISH                                   open to the
//   recipients only
//
// Client messages (to and from parties that are not compute parties) are
// little-endian and checked field by field; see sendOutput / runClient.
//
//===----------------------------------------------------------------------===//

#include "sstat/runtime/Party.h"

#include "VMCommon.h"

#include "sstat/runtime/FixedPoint.h"
#include "sstat/runtime/FixedPointKernels.h"
#include "sstat/runtime/rep3/Binary.h"
#include "sstat/runtime/rep3/FxOps.h"
#include "sstat/runtime/rep3/Rep3.h"

#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <cstring>
#include <set>
#include <thread>

using namespace sstat;
using namespace sstat::runtime;
using namespace llvm;
using rep3::ChannelError;
using rep3::Rep3;
using rep3::Share;

ClientPort::~ClientPort() = default;

namespace {

/// Largest row count an owner may announce (the verifier's bound on
/// lengths).
constexpr uint64_t MaxRows = uint64_t(1) << 40;

//===----------------------------------------------------------------------===//
// Little-endian message encoding for client links
//===----------------------------------------------------------------------===//

struct Writer {
  std::vector<uint8_t> B;
  void u8(uint8_t V) { B.push_back(V); }
  void u64(uint64_t V) {
    for (int I = 0; I < 8; ++I)
      B.push_back(uint8_t(V >> (8 * I)));
  }
  template <class R> void ring(const std::vector<R> &V) {
    size_t Old = B.size();
    B.resize(Old + V.size() * sizeof(R));
    std::memcpy(B.data() + Old, V.data(), V.size() * sizeof(R));
  }
};

/// Reads a message from \p From; every read is bounds-checked and a short
/// or long message throws ChannelError naming the sender.
struct Reader {
  const std::vector<uint8_t> &B;
  std::string From;
  size_t Pos = 0;
  void need(size_t N) {
    if (B.size() - Pos < N)
      throw ChannelError("message from " + From + " is too short");
  }
  uint8_t u8() {
    need(1);
    return B[Pos++];
  }
  uint64_t u64() {
    need(8);
    uint64_t V = 0;
    for (int I = 0; I < 8; ++I)
      V |= uint64_t(B[Pos + size_t(I)]) << (8 * I);
    Pos += 8;
    return V;
  }
  template <class R> std::vector<R> ring(uint64_t N) {
    if (N > (B.size() - Pos) / sizeof(R))
      throw ChannelError("message from " + From + " is too short");
    std::vector<R> V(N);
    std::memcpy(V.data(), B.data() + Pos, N * sizeof(R));
    Pos += N * sizeof(R);
    return V;
  }
  void end() {
    if (Pos != B.size())
      throw ChannelError("message from " + From + " has " +
                         std::to_string(B.size() - Pos) +
                         " unexpected trailing bytes");
  }
};

enum ClientMsg : uint8_t { MsgOutput = 1, MsgDone = 2 };

//===----------------------------------------------------------------------===//
// What the program reads from its owners
//===----------------------------------------------------------------------===//

/// One distinct input vector the program reads: an INPUT or INPUTVALID of
/// one column with one encoding.
struct Request {
  bc::Opcode Op;
  uint32_t Ref;
  uint32_t Table;
  bc::Instr First; // an instruction that reads it (for encodeInput)
  bc::RegType Type;
  uint64_t Width = 1; // elements per row (levels of a one-hot factor)
};

struct InputPlan {
  std::vector<Request> Requests;
  std::vector<int> RequestOfPc; // -1 where not an input instruction
  /// Every owner, in order of first appearance in the tables.
  std::vector<std::string> Owners;
};

InputPlan planInputs(const bc::Program &P) {
  InputPlan Plan;
  Plan.RequestOfPc.assign(P.Code.size(), -1);
  for (size_t Pc = 0; Pc < P.Code.size(); ++Pc) {
    const bc::Instr &I = P.Code[Pc];
    if (I.Op != bc::Opcode::INPUT && I.Op != bc::Opcode::INPUTVALID)
      continue;
    const bc::RegType &T = P.Regs[I.D];
    int Found = -1;
    for (size_t K = 0; K < Plan.Requests.size(); ++K) {
      const Request &Q = Plan.Requests[K];
      if (Q.Op == I.Op && Q.Ref == uint32_t(I.K) && Q.Type.E == T.E &&
          Q.Type.Scale == T.Scale && Q.Type.Rank == T.Rank)
        Found = int(K);
    }
    if (Found < 0) {
      Request Q;
      Q.Op = I.Op;
      Q.Ref = uint32_t(I.K);
      Q.Table = P.InputRefs[size_t(I.K)].Table;
      Q.First = I;
      Q.Type = T;
      if (vm::isOneHot(I, T))
        Q.Width = P.Inputs[Q.Table]
                      .Columns[P.InputRefs[size_t(I.K)].Column]
                      .Levels.size();
      Found = int(Plan.Requests.size());
      Plan.Requests.push_back(Q);
    }
    Plan.RequestOfPc[Pc] = Found;
  }
  for (const bc::Table &T : P.Inputs)
    for (const std::string &O : T.Parties)
      if (std::find(Plan.Owners.begin(), Plan.Owners.end(), O) ==
          Plan.Owners.end())
        Plan.Owners.push_back(O);
  return Plan;
}

int computeIndex(const std::array<std::string, 3> &Compute,
                 const std::string &Name) {
  for (int I = 0; I < 3; ++I)
    if (Compute[size_t(I)] == Name)
      return I;
  return -1;
}

bool owns(const bc::Table &T, const std::string &Owner) {
  return std::find(T.Parties.begin(), T.Parties.end(), Owner) !=
         T.Parties.end();
}

/// An owner's encoded input vector: every request on its tables, in request
/// order, each its rows times the request's width.
template <class R>
std::vector<R> ownerPayload(const bc::Program &P, const InputPlan &Plan,
                            const std::string &Owner,
                            const std::map<uint32_t, vm::OwnerRows> &Rows) {
  std::vector<R> Out;
  for (const Request &Q : Plan.Requests) {
    if (!owns(P.Inputs[Q.Table], Owner))
      continue;
    std::vector<R> V = vm::encodeInput<R>(P, Q.First, Q.Type, Rows.at(Q.Table));
    Out.insert(Out.end(), V.begin(), V.end());
  }
  return Out;
}

/// Loads the rows of every table \p Owner holds from its files.
Expected<std::map<uint32_t, vm::OwnerRows>>
loadOwned(const bc::Program &P, const std::string &Owner,
          const std::vector<InputFile> &Files) {
  std::map<uint32_t, vm::OwnerRows> Rows;
  for (size_t T = 0; T < P.Inputs.size(); ++T) {
    if (!owns(P.Inputs[T], Owner))
      continue;
    auto F = vm::findInputFile(Files, Owner, P.Inputs[T]);
    if (!F)
      return F.takeError();
    auto L = vm::loadOwnerRows(P.Inputs[T], (*F)->Path);
    if (!L)
      return L.takeError();
    if (L->Rows > MaxRows)
      return vm::err((*F)->Path + ": more than 2^40 rows");
    Rows[uint32_t(T)] = std::move(*L);
  }
  return Rows;
}

//===----------------------------------------------------------------------===//
// Registers
//===----------------------------------------------------------------------===//

template <class R> struct Val {
  bool Set = false;
  bool Secret = false;
  uint64_t Rows = 1, Cols = 1; // a vector has Rows = length, Cols = 1
  /// The storage, shared between registers: MOV, INPUT and TRANSPOSE copy
  /// nothing, and no register's value is modified in place.
  std::shared_ptr<const std::vector<R>> PubP;
  std::shared_ptr<const Share<R>> ShP;
  /// A lazy transpose: the storage is the row-major Cols x Rows matrix whose
  /// transpose this value is. MATMUL reads it as such; get() materializes
  /// it for every other instruction.
  bool Transposed = false;
  /// A lazy cbind of secret columns of equal length: the storage is these
  /// columns (before Transposed applies). MATMUL reads them directly.
  std::vector<std::shared_ptr<const Share<R>>> LazyCols;
  const std::vector<R> &pub() const { return *PubP; }
  const Share<R> &sh() const { return *ShP; }
  size_t size() const {
    if (!LazyCols.empty())
      return Rows * Cols;
    return Secret ? ShP->a.size() : PubP->size();
  }
};

/// A failure at one instruction, reported with its source line.
struct VMError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

template <class R> class PartyVM {
public:
  using S = typename vm::SignedOf<R>::T;

  PartyVM(const bc::Program &P, const PartySetup &Setup, rep3::Channel &Ch)
      : P(P), Setup(Setup), Ch(Ch), Regs(P.Regs.size()) {
    Params.K = P.RingBits;
    Params.F = P.FracBits;
  }

  std::vector<OutputValue> run(PartyStats *Stats);

private:
  // ---- phases ---------------------------------------------------------------
  void rowCounts();
  void shareInputs();
  void execute();
  void finishClients();

  ClientPort &client(const std::string &Name) {
    auto It = Clients.find(Name);
    if (It != Clients.end())
      return *It->second;
    ClientPort &C = Setup.Client(Name);
    Clients[Name] = &C;
    return C;
  }

  // ---- helpers
  // ----------------------------------------------------------------
  [[noreturn]] void fail(const Twine &Why) {
    uint32_t Line = Pc < P.Code.size() ? P.Code[Pc].Line : 0;
    throw VMError(
        ((Line ? "line " + Twine(Line) + ": " : Twine("")) + Why).str());
  }
  /// Register A's value, with a lazy transpose materialized.
  const Val<R> &get(uint32_t A) {
    const Val<R> &X = getRaw(A);
    if (X.Transposed || !X.LazyCols.empty())
      materialize(Regs[A]);
    return Regs[A];
  }
  /// Register A's value as stored (possibly a lazy transpose).
  const Val<R> &getRaw(uint32_t A) {
    if (!Regs[A].Set)
      fail("read of register r" + Twine(A) + " before it is set");
    return Regs[A];
  }
  static std::vector<R> transposed(const std::vector<R> &V, uint64_t Rows,
                                   uint64_t Cols) {
    // V is Rows x Cols row-major; the result is Cols x Rows.
    std::vector<R> Out(V.size());
    for (uint64_t Ri = 0; Ri < Rows; ++Ri)
      for (uint64_t Cj = 0; Cj < Cols; ++Cj)
        Out[Cj * Rows + Ri] = V[Ri * Cols + Cj];
    return Out;
  }
  /// A lazy cbind as a row-major matrix (the Transposed flag stays).
  static void materializeCols(Val<R> &X) {
    if (X.LazyCols.empty())
      return;
    size_t K = X.LazyCols.size(), Len = X.LazyCols[0]->a.size();
    Share<R> S;
    S.a.resize(Len * K);
    S.b.resize(Len * K);
    for (size_t C = 0; C < K; ++C) {
      const Share<R> &Col = *X.LazyCols[C];
      for (size_t Row = 0; Row < Len; ++Row) {
        S.a[Row * K + C] = Col.a[Row];
        S.b[Row * K + C] = Col.b[Row];
      }
    }
    X.ShP = std::make_shared<const Share<R>>(std::move(S));
    X.LazyCols.clear();
  }
  static void materialize(Val<R> &X) {
    materializeCols(X);
    if (!X.Transposed)
      return;
    // Logical Rows x Cols; the storage is Cols x Rows.
    if (X.Secret)
      X.ShP = std::make_shared<const Share<R>>(
          Share<R>{transposed(X.ShP->a, X.Cols, X.Rows),
                   transposed(X.ShP->b, X.Cols, X.Rows)});
    else
      X.PubP = std::make_shared<const std::vector<R>>(
          transposed(*X.PubP, X.Cols, X.Rows));
    X.Transposed = false;
  }
  void set(uint32_t D, Val<R> V) {
    V.Set = true;
    Regs[D] = std::move(V);
  }
  void setPub(uint32_t D, std::vector<R> V, uint64_t Rows, uint64_t Cols) {
    Val<R> X;
    X.PubP = std::make_shared<const std::vector<R>>(std::move(V));
    X.Rows = Rows;
    X.Cols = Cols;
    set(D, std::move(X));
  }
  void setSec(uint32_t D, Share<R> V, uint64_t Rows, uint64_t Cols) {
    Val<R> X;
    X.Secret = true;
    X.ShP = std::make_shared<const Share<R>>(std::move(V));
    X.Rows = Rows;
    X.Cols = Cols;
    set(D, std::move(X));
  }

  /// The trivial sharing of public values: x_0 = c, x_1 = x_2 = 0.
  Share<R> trivial(const std::vector<R> &C) const {
    Share<R> Z;
    Z.a.assign(C.size(), R(0));
    Z.b.assign(C.size(), R(0));
    if (Ch.self() == 0)
      Z.a = C;
    else if (Ch.self() == 2)
      Z.b = C;
    return Z;
  }
  /// X as public values repeated to length N (X has length 1 or N).
  static std::vector<R> pubN(const Val<R> &X, size_t N) {
    if (X.pub().size() == N)
      return X.pub();
    return std::vector<R>(N, X.pub().at(0));
  }
  /// X as a sharing of length N (public values are shared trivially).
  Share<R> shN(const Val<R> &X, size_t N) const {
    if (!X.Secret)
      return trivial(pubN(X, N));
    if (X.sh().size() == N)
      return X.sh();
    Share<R> Z;
    Z.a.assign(N, X.sh().a.at(0));
    Z.b.assign(N, X.sh().b.at(0));
    return Z;
  }

  /// One component (0: this party's x_i, 1: x_{i+1}) of X as a sharing,
  /// read without copying: a null pointer is a component that is 0 (a
  /// public value lives only in x_0); Bcast repeats a single element.
  struct View {
    const R *P = nullptr;
    bool Bcast = false;
    R at(size_t E) const { return P ? P[Bcast ? 0 : E] : R(0); }
  };
  View view(const Val<R> &X, int Comp) const {
    View V;
    V.Bcast = X.size() == 1;
    if (X.Secret)
      V.P = Comp == 0 ? X.sh().a.data() : X.sh().b.data();
    else if ((Comp == 0 && Ch.self() == 0) || (Comp == 1 && Ch.self() == 2))
      V.P = X.pub().data();
    return V;
  }
  /// A + B or A - B (length N, one-element operands repeated), in one pass.
  Share<R> addSub(const Val<R> &A, const Val<R> &B, size_t N, bool Sub) const {
    Share<R> Out;
    Out.a.resize(N);
    Out.b.resize(N);
    for (int C = 0; C < 2; ++C) {
      View VA = view(A, C), VB = view(B, C);
      R *O = C == 0 ? Out.a.data() : Out.b.data();
      if (Sub)
        for (size_t E = 0; E < N; ++E)
          O[E] = VA.at(E) - VB.at(E);
      else
        for (size_t E = 0; E < N; ++E)
          O[E] = VA.at(E) + VB.at(E);
    }
    return Out;
  }
  /// Secret X times public C, elementwise (length N), in one pass.
  Share<R> scale(const Val<R> &X, const Val<R> &C, size_t N) const {
    Share<R> Out;
    Out.a.resize(N);
    Out.b.resize(N);
    const std::vector<R> &Cv = C.pub();
    bool CB = Cv.size() == 1;
    for (int K = 0; K < 2; ++K) {
      View VX = view(X, K);
      R *O = K == 0 ? Out.a.data() : Out.b.data();
      for (size_t E = 0; E < N; ++E)
        O[E] = VX.at(E) * Cv[CB ? 0 : E];
    }
    return Out;
  }

  /// The encoded reciprocals a DIV by the public B multiplies by (length N).
  std::vector<R> reciprocals(const bc::Instr &I, const Val<R> &B, size_t N) {
    std::vector<R> Bs = pubN(B, N), Inv(N);
    for (size_t E = 0; E < N; ++E) {
      auto X = vm::publicReciprocal<R>(Bs[E], P.Regs[I.B].Scale,
                                       P.Regs[I.D].Scale, Params.K);
      if (!X)
        fail("division by zero");
      Inv[E] = *X;
    }
    return Inv;
  }

  /// Whether this TRUNC or DIV must truncate exactly: the tables have more
  /// rows than its one-round truncation is safe for (bc::Instr::ProbRows,
  /// from the compiler's range analysis). Every party decides alike: the
  /// row counts are public.
  bool needsExactTrunc(const bc::Instr &I) const {
    uint64_t Rows = 0;
    for (uint64_t T : TableRows)
      Rows = std::max(Rows, T);
    return Rows > I.ProbRows;
  }

  /// The common length and shape of elementwise operands (R's recycling of
  /// one-element operands only).
  struct Shape {
    size_t N = 1;
    uint64_t Rows = 1, Cols = 1;
  };
  Shape shapeOf(std::initializer_list<const Val<R> *> Xs) {
    Shape Sh;
    const Val<R> *From = nullptr;
    for (const Val<R> *X : Xs)
      if (X->size() != 1) {
        if (Sh.N != 1 && X->size() != Sh.N)
          fail("lengths differ: " + Twine(Sh.N) + " and " + Twine(X->size()));
        Sh.N = X->size();
        From = X;
      }
    if (From) {
      Sh.Rows = From->Rows;
      Sh.Cols = From->Cols;
    }
    return Sh;
  }

  // ---- protocol wrappers (sizes of all operands already equal) -------------
  Share<R> mul(const Share<R> &A, const Share<R> &B) {
    return proto().mul(A, B);
  }
  Share<R> ltz(const Share<R> &X) { return bin().ltz(X); }
  Share<R> eqz(const Share<R> &X) { return bin().eqz(X); }
  /// The protocol, for an operation that runs to completion now: an
  /// unfinished round is finished first, so that messages are received in
  /// the order they were sent.
  Rep3 &proto() {
    if (!Pend.empty())
      finishRound();
    return *Proto;
  }
  rep3::Binary &bin() {
    if (!Pend.empty())
      finishRound();
    return *Bin;
  }
  Share<R> oneMinus(const Share<R> &X) const {
    Share<R> Z = Rep3::neg(X);
    return Proto->addPublic(Z, std::vector<R>(X.size(), R(1)));
  }
  Share<R> kernel(bc::Opcode Op, const Share<R> &X, unsigned Scale);
  void solve(const bc::Instr &I);

  void elementwise(const bc::Instr &I);
  void matmul(const bc::Instr &I);
  std::vector<R> localProduct(const bc::Instr &I, uint64_t &N, uint64_t &M);
  void publish(const bc::Instr &I);
  void record(const std::vector<R> &V, uint64_t Rows, uint64_t Cols,
              uint32_t Reg, int64_t Output);
  void sendToClient(const std::string &To, const bc::Instr &I, const Val<R> &X);

  // ---- round batching ------------------------------------------------------
  // Consecutive instructions the compiler scheduled into one round are
  // independent: the VM starts (does the local work and sends for) each
  // one-round operation among them, and finishes (receives for) all of
  // them together when the round ends, so they cost one network round.
  struct Deferred {
    typename Rep3::template Pending<R> Op;
    uint32_t D = 0;      // the register it defines, or
    int64_t Output = -1; // the output it delivers (openTo a recipient)
    uint64_t Rows = 1, Cols = 1;
    bool Opened = false; // the result is public (reveal)
  };
  static bool endsRound(const bc::Instr &I);
  bool tryStart(const bc::Instr &I);
  bool touchesDeferred(const bc::Instr &I) const;
  void finishRound();
  std::vector<Deferred> Pend;
  uint32_t PendRound = 0;

  const bc::Program &P;
  const PartySetup &Setup;
  rep3::Channel &Ch;
  fx::Params Params;
  std::unique_ptr<Rep3> Proto;
  std::unique_ptr<rep3::Binary> Bin;
  std::vector<Val<R>> Regs;
  size_t Pc = 0;
  uint64_t Steps = 0;

  InputPlan Plan;
  std::map<uint32_t, vm::OwnerRows> MyRows; // tables this party owns
  /// Rows per (table, owner).
  std::map<std::pair<uint32_t, std::string>, uint64_t> OwnerRowCount;
  std::vector<uint64_t> TableRows;
  std::vector<Val<R>> Cache; // per request
  std::map<std::string, ClientPort *> Clients;
  std::vector<OutputValue> Outs;
};

//===----------------------------------------------------------------------===//
// Phases 2 and 3: row counts and input sharing
//===----------------------------------------------------------------------===//

template <class R> void PartyVM<R>::rowCounts() {
  const std::string &Me = Setup.Compute[size_t(Ch.self())];
  // What this party announces: its row count of every table it owns.
  std::vector<uint64_t> Mine;
  for (size_t T = 0; T < P.Inputs.size(); ++T)
    if (owns(P.Inputs[T], Me))
      Mine.push_back(MyRows.at(uint32_t(T)).Rows);
  if (!Mine.empty()) {
    Ch.sendVec(Ch.next(), Mine);
    Ch.sendVec(Ch.prev(), Mine);
  }
  for (const std::string &O : Plan.Owners) {
    std::vector<uint64_t> Counts;
    std::vector<uint32_t> Tables;
    for (size_t T = 0; T < P.Inputs.size(); ++T)
      if (owns(P.Inputs[T], O))
        Tables.push_back(uint32_t(T));
    int CI = computeIndex(Setup.Compute, O);
    if (O == Me) {
      Counts = Mine;
    } else if (CI >= 0) {
      Counts = Ch.recvVec<uint64_t>(CI, Tables.size());
    } else {
      std::vector<uint8_t> M = client(O).recv();
      Reader Rd{M, "input client '" + O + "'"};
      for (size_t K = 0; K < Tables.size(); ++K)
        Counts.push_back(Rd.u64());
      Rd.end();
    }
    for (size_t K = 0; K < Tables.size(); ++K) {
      if (Counts[K] > MaxRows)
        throw ChannelError("party '" + O + "' announced " +
                           std::to_string(Counts[K]) + " rows (limit 2^40)");
      OwnerRowCount[{Tables[K], O}] = Counts[K];
      TableRows[Tables[K]] += Counts[K];
      if (TableRows[Tables[K]] > MaxRows)
        throw ChannelError("table '" + P.Inputs[Tables[K]].Name +
                           "' has more than 2^40 rows");
    }
  }
  if (Error E = vm::checkSafeRows(P, TableRows))
    throw VMError(toString(std::move(E)));
}

template <class R> void PartyVM<R>::shareInputs() {
  const std::string &Me = Setup.Compute[size_t(Ch.self())];
  // Every request's vector stacks its table's owners' rows in the order of
  // the table's parties; each owner's slice is copied into place once.
  std::vector<Share<R>> Final(Plan.Requests.size());
  std::vector<std::map<std::string, uint64_t>> Offset(Plan.Requests.size());
  for (size_t K = 0; K < Plan.Requests.size(); ++K) {
    const Request &Q = Plan.Requests[K];
    uint64_t Off = 0;
    for (const std::string &O : P.Inputs[Q.Table].Parties) {
      Offset[K][O] = Off;
      Off += OwnerRowCount.at({Q.Table, O}) * Q.Width;
    }
    Final[K].a.resize(Off);
    Final[K].b.resize(Off);
  }
  // Compute-party owners share at the same time, straight into place:
  // every party first draws its PRF-derived components for every owner's
  // every vector (owner by owner, vector by vector, identically at all
  // parties), then each owner sends the remaining component, then everyone
  // receives and places it.
  auto Slices = [&](const std::string &O, auto Fn) {
    for (size_t K = 0; K < Plan.Requests.size(); ++K) {
      const Request &Q = Plan.Requests[K];
      if (owns(P.Inputs[Q.Table], O))
        Fn(K, Offset[K].at(O), OwnerRowCount.at({Q.Table, O}) * Q.Width);
    }
  };
  for (const std::string &O : Plan.Owners) {
    int CI = computeIndex(Setup.Compute, O);
    if (CI >= 0)
      Slices(O, [&](size_t K, uint64_t At, uint64_t N) {
        Proto->inputDraw<R>(CI, Final[K].a.data() + At, Final[K].b.data() + At,
                            N);
      });
  }
  // A compute-party owner sends one message per vector (its rows of it),
  // which the others receive straight into place.
  if (std::find(Plan.Owners.begin(), Plan.Owners.end(), Me) !=
      Plan.Owners.end())
    Slices(Me, [&](size_t K, uint64_t At, uint64_t N) {
      const Request &Q = Plan.Requests[K];
      std::vector<R> V =
          vm::encodeInput<R>(P, Q.First, Q.Type, MyRows.at(Q.Table));
      if (V.size() != N)
        fail("an input vector has " + Twine(V.size()) + " elements, not " +
             Twine(N));
      const R *A = Final[K].a.data() + At, *B = Final[K].b.data() + At;
      for (uint64_t E = 0; E < N; ++E)
        V[E] -= A[E] + B[E];
      Proto->inputSendRest(V);
    });
  for (const std::string &O : Plan.Owners) {
    if (O == Me)
      continue;
    uint64_t Len = 0;
    Slices(O, [&](size_t, uint64_t, uint64_t N) { Len += N; });
    int CI = computeIndex(Setup.Compute, O);
    std::vector<R> RestA, RestB;
    if (CI >= 0) {
      // Party o+1 keeps x_{o+2} as its second component, party o+2 as its
      // first: one message per vector, received in place.
      const bool IntoB = Ch.self() == (CI + 1) % 3;
      Slices(O, [&](size_t K, uint64_t At, uint64_t N) {
        R *To = (IntoB ? Final[K].b.data() : Final[K].a.data()) + At;
        Proto->inputRecvRestInto<R>(CI, To, N);
      });
      continue;
    } else {
      std::vector<uint8_t> M = client(O).recv();
      Reader Rd{M, "input client '" + O + "'"};
      RestA = Rd.ring<R>(Len);
      RestB = Rd.ring<R>(Len);
      Rd.end();
    }
    uint64_t Off = 0;
    Slices(O, [&](size_t K, uint64_t At, uint64_t N) {
      if (!RestA.empty())
        std::copy_n(RestA.begin() + std::ptrdiff_t(Off), N,
                    Final[K].a.begin() + std::ptrdiff_t(At));
      if (!RestB.empty())
        std::copy_n(RestB.begin() + std::ptrdiff_t(Off), N,
                    Final[K].b.begin() + std::ptrdiff_t(At));
      Off += N;
    });
  }
  Cache.assign(Plan.Requests.size(), {});
  for (size_t K = 0; K < Plan.Requests.size(); ++K) {
    Val<R> V;
    V.Set = V.Secret = true;
    V.ShP = std::make_shared<const Share<R>>(std::move(Final[K]));
    V.Rows = TableRows[Plan.Requests[K].Table];
    V.Cols = Plan.Requests[K].Width;
    Cache[K] = std::move(V);
  }
}

//===----------------------------------------------------------------------===//
// Phase 4: the program
//===----------------------------------------------------------------------===//

template <class R>
Share<R> PartyVM<R>::kernel(bc::Opcode Op, const Share<R> &X, unsigned Scale) {
  fx::Params Pm = Params;
  Pm.F = Scale;
  if (!fx::isSupported(Pm))
    fail("no fixed-point kernel for Z_2^" + Twine(Pm.K) + " with " +
         Twine(Pm.F) + " fractional bits");
  rep3::Rep3FxOps<R> O(proto(), Pm, X.size());
  switch (Op) {
  case bc::Opcode::RECIP: {
    // Signed, as the cleartext executor: the sign by a comparison, the
    // magnitude by the positive kernel, the sign put back by a select.
    Share<R> Neg = O.ltz(X);
    Share<R> Abs = O.select(Neg, Rep3::neg(X), X);
    Share<R> Y = fx::reciprocal(O, Abs);
    return O.select(Neg, Rep3::neg(Y), Y);
  }
  case bc::Opcode::SQRT:
    return fx::sqrt(O, X);
  case bc::Opcode::RSQRT:
    return fx::rsqrt(O, X);
  case bc::Opcode::EXP:
    return fx::exp(O, X);
  default:
    return fx::log(O, X);
  }
}

/// SOLVE: the data-independent Cholesky of FixedPointLinalg.h on shares
/// (on public operands, the cleartext executor's computation).
template <class R> void PartyVM<R>::solve(const bc::Instr &I) {
  const Val<R> &A = get(I.A), &B = get(I.B);
  if (A.Rows != A.Cols || B.Rows != A.Rows)
    fail("non-conformable matrices");
  const unsigned D = unsigned(A.Rows), M = unsigned(B.Cols);
  fx::Params Pm = Params;
  Pm.F = P.Regs[I.A].Scale;
  if (!A.Secret && !B.Secret) {
    auto Res = vm::solveClear<R>(A.pub(), B.pub(), D, M, Pm);
    if (!Res)
      fail(toString(Res.takeError()));
    setPub(I.D, std::move(*Res), D, M + 1);
    return;
  }
  vm::SolvePlan SP = vm::solvePlan(Pm, D, M);
  if (!SP.Valid)
    fail("solve() of a " + Twine(D) + " x " + Twine(D) + " system in Z_2^" +
         Twine(Pm.K) + " with " + Twine(Pm.F) + " fractional bits: " + SP.Why);
  rep3::Rep3FxOps<R> O(proto(), Pm, 1);
  fx::Rep3VecOps<R> V(O);
  fx::SolveResult<Share<R>> S =
      vm::runSolve(V, SP, shN(A, A.size()), shN(B, B.size()), D, M);
  Share<R> Out;
  Out.a.resize(size_t(D) * (M + 1));
  Out.b.resize(Out.a.size());
  vm::solveLayout(S.X.a, S.InvDiag.a, D, M, Out.a);
  vm::solveLayout(S.X.b, S.InvDiag.b, D, M, Out.b);
  setSec(I.D, std::move(Out), D, M + 1);
}

template <class R> void PartyVM<R>::elementwise(const bc::Instr &I) {
  const bc::RegType &TD = P.Regs[I.D];
  bc::Opcode Op = I.Op;
  unsigned NOps = Op == bc::Opcode::SELECT ? 3
                  : (Op == bc::Opcode::NEG || Op == bc::Opcode::NOT ||
                     Op == bc::Opcode::TRUNC || Op == bc::Opcode::CAST ||
                     Op == bc::Opcode::RECIP || Op == bc::Opcode::SQRT ||
                     Op == bc::Opcode::RSQRT || Op == bc::Opcode::EXP ||
                     Op == bc::Opcode::LOG)
                      ? 1
                      : 2;
  const Val<R> &A = get(I.A);
  const Val<R> &B = NOps > 1 ? get(I.B) : A;
  const Val<R> &C = NOps > 2 ? get(I.C) : A;
  Shape Sh = NOps == 1   ? shapeOf({&A})
             : NOps == 2 ? shapeOf({&A, &B})
                         : shapeOf({&A, &B, &C});
  size_t N = Sh.N;
  bool AnySecret = A.Secret || (NOps > 1 && B.Secret) || (NOps > 2 && C.Secret);

  if (!AnySecret) {
    // Public: exactly the cleartext executor's arithmetic.
    std::vector<R> X = pubN(A, N), Y = NOps > 1 ? pubN(B, N) : X,
                   Z = NOps > 2 ? pubN(C, N) : X, Out(N);
    fx::Params Pm = Params;
    Pm.F = P.Regs[I.A].Scale;
    for (size_t E = 0; E < N; ++E) {
      R a = X[E], b = Y[E], c = Z[E];
      switch (Op) {
      case bc::Opcode::ADD:
        Out[E] = a + b;
        break;
      case bc::Opcode::SUB:
        Out[E] = a - b;
        break;
      case bc::Opcode::NEG:
        Out[E] = R(0) - a;
        break;
      case bc::Opcode::MUL:
        Out[E] = a * b;
        break;
      case bc::Opcode::TRUNC:
        Out[E] = R(S(a) >> unsigned(I.K));
        break;
      case bc::Opcode::DIV: {
        auto Inv =
            vm::publicReciprocal<R>(b, P.Regs[I.B].Scale, TD.Scale, Params.K);
        if (!Inv)
          fail("division by zero");
        Out[E] = R(S(R(a * *Inv)) >> P.Regs[I.A].Scale);
        break;
      }
      case bc::Opcode::RECIP:
        if (!fx::isSupported(Pm))
          fail("no fixed-point kernel for these parameters");
        Out[E] = S(a) < 0 ? R(R(0) - fx::reciprocal<R>(R(R(0) - a), Pm))
                          : fx::reciprocal<R>(a, Pm);
        break;
      case bc::Opcode::SQRT:
        Out[E] = fx::sqrt<R>(a, Pm);
        break;
      case bc::Opcode::RSQRT:
        Out[E] = fx::rsqrt<R>(a, Pm);
        break;
      case bc::Opcode::EXP:
        Out[E] = fx::exp<R>(a, Pm);
        break;
      case bc::Opcode::LOG:
        Out[E] = fx::log<R>(a, Pm);
        break;
      case bc::Opcode::CAST:
        Out[E] = vm::castClear<R>(a, P.Regs[I.A], TD);
        break;
      case bc::Opcode::LT:
        Out[E] = R(S(a) < S(b));
        break;
      case bc::Opcode::LE:
        Out[E] = R(S(a) <= S(b));
        break;
      case bc::Opcode::EQ:
        Out[E] = R(a == b);
        break;
      case bc::Opcode::NOT:
        Out[E] = R(a == 0);
        break;
      case bc::Opcode::AND:
        Out[E] = R(a != 0 && b != 0);
        break;
      case bc::Opcode::OR:
        Out[E] = R(a != 0 || b != 0);
        break;
      case bc::Opcode::SELECT:
        Out[E] = a ? b : c;
        break;
      default:
        fail("not an elementwise instruction");
      }
    }
    setPub(I.D, std::move(Out), Sh.Rows, Sh.Cols);
    return;
  }

  Share<R> Out;
  switch (Op) {
  case bc::Opcode::ADD:
  case bc::Opcode::SUB:
    Out = addSub(A, B, N, Op == bc::Opcode::SUB);
    break;
  case bc::Opcode::NEG:
    Out = Rep3::neg(A.sh());
    break;
  case bc::Opcode::MUL: // (secret x secret is started by tryStart)
    Out = scale(A.Secret ? A : B, A.Secret ? B : A, N);
    break;
  case bc::Opcode::TRUNC: // exact: tryStart left it (needsExactTrunc)
    Out = bin().truncExact(A.sh(), unsigned(I.K));
    break;
  case bc::Opcode::DIV: // exact, likewise
    Out = bin().truncExact(Rep3::mulPublic(shN(A, N), reciprocals(I, B, N)),
                           P.Regs[I.A].Scale);
    break;
  case bc::Opcode::RECIP:
  case bc::Opcode::SQRT:
  case bc::Opcode::RSQRT:
  case bc::Opcode::EXP:
  case bc::Opcode::LOG:
    Out = kernel(Op, A.sh(), P.Regs[I.A].Scale);
    break;
  case bc::Opcode::CAST: {
    const bc::RegType &From = P.Regs[I.A];
    const Share<R> &X = A.sh();
    if (From.E == TD.E && From.Scale == TD.Scale) {
      Out = X;
    } else if (TD.E == bc::Elem::Bool) {
      Out = From.E == bc::Elem::Bool ? X : oneMinus(eqz(X));
    } else if (TD.E == bc::Elem::Fix) {
      if (From.E == bc::Elem::Fix && From.Scale > TD.Scale)
        Out = proto().trunc(X, From.Scale - TD.Scale);
      else
        Out = Rep3::mulPublic(
            X,
            R(R(1) << (TD.Scale - (From.E == bc::Elem::Fix ? From.Scale : 0))));
    } else if (From.E == bc::Elem::Fix) {
      // To int, toward zero: q = floor(x / 2^s), plus one where x < 0 and
      // the fraction is not zero.
      Share<R> Q = bin().truncExact(X, From.Scale);
      Share<R> Frac = Rep3::sub(X, Rep3::mulPublic(Q, R(R(1) << From.Scale)));
      Share<R> Adj = mul(ltz(X), oneMinus(eqz(Frac)));
      Out = Rep3::add(Q, Adj);
    } else {
      Out = X;
    }
    break;
  }
  case bc::Opcode::LT:
    Out = ltz(Rep3::sub(shN(A, N), shN(B, N)));
    break;
  case bc::Opcode::LE:
    Out = oneMinus(ltz(Rep3::sub(shN(B, N), shN(A, N))));
    break;
  case bc::Opcode::EQ:
    Out = eqz(Rep3::sub(shN(A, N), shN(B, N)));
    break;
  case bc::Opcode::NOT:
    Out = oneMinus(A.sh());
    break;
  case bc::Opcode::AND:
  case bc::Opcode::OR: {
    Share<R> X = shN(A, N), Y = shN(B, N), XY;
    if (!A.Secret)
      XY = Rep3::mulPublic(Y, pubN(A, N));
    else if (!B.Secret)
      XY = Rep3::mulPublic(X, pubN(B, N));
    else
      XY = mul(X, Y);
    Out = Op == bc::Opcode::AND ? XY : Rep3::sub(Rep3::add(X, Y), XY);
    break;
  }
  case bc::Opcode::SELECT: {
    if (!A.Secret) {
      // A public condition picks share components locally.
      std::vector<R> Cond = pubN(A, N);
      Share<R> X = shN(B, N), Y = shN(C, N);
      Out = Y;
      for (size_t E = 0; E < N; ++E)
        if (Cond[E]) {
          Out.a[E] = X.a[E];
          Out.b[E] = X.b[E];
        }
      break;
    }
    // c ? x : y = y + c * (x - y); c is 0/1 at scale 0, so no truncation.
    Share<R> Cond = shN(A, N);
    Share<R> Diff;
    if (!B.Secret && !C.Secret) {
      std::vector<R> X = pubN(B, N), Y = pubN(C, N), D(N);
      for (size_t E = 0; E < N; ++E)
        D[E] = X[E] - Y[E];
      Out = proto().addPublic(Rep3::mulPublic(Cond, D), Y);
      break;
    }
    Diff = Rep3::sub(shN(B, N), shN(C, N));
    Out = Rep3::add(shN(C, N), mul(Cond, Diff));
    break;
  }
  default:
    fail("not an elementwise instruction");
  }
  setSec(I.D, std::move(Out), Sh.Rows, Sh.Cols);
}

/// Part(Out, L0, L1) accumulates rows [L0, L1) of a sum into Out. A large
/// sum (Work multiplications, 2^22 or more) is split between two threads
/// when the machine has two cores: the second half into its own zeroed
/// partial sum, added to Out at the end.
template <class R, class PartFn>
void splitAccumulate(std::vector<R> &Out, uint64_t Rows, uint64_t Work,
                     PartFn Part) {
  if (std::thread::hardware_concurrency() < 2 || Work < (uint64_t(1) << 22)) {
    Part(Out, 0, Rows);
    return;
  }
  std::vector<R> Second(Out.size(), R(0));
  std::thread T([&] { Part(Second, Rows / 2, Rows); });
  Part(Out, 0, Rows / 2);
  T.join();
  for (size_t E = 0; E < Out.size(); ++E)
    Out[E] += Second[E];
}

/// Out (N x M) += A1 (B1 + B2) + A2 B1 over row-major matrices, where the
/// A's are N x K, or stored transposed (K x N) when \p AT; B2 and A2 may be
/// null (then Out += A1 B1). This is the local part of a product of shares,
/// z_i = A_i (B_i + B_{i+1}) + A_{i+1} B_i, in one pass over the data; with
/// AT it streams t(X) %*% Y row by row without forming t(X). Large products
/// split the K rows between two threads, each with its own partial sum.
template <class R>
void matmulAcc(std::vector<R> &Out, const R *A1, const R *A2, const R *B1,
               const R *B2, bool AT, uint64_t N, uint64_t K, uint64_t M) {
  auto Rows = [&](std::vector<R> &O, uint64_t L0, uint64_t L1) {
    for (uint64_t L = L0; L < L1; ++L) {
      const R *B1r = B1 + L * M, *B2r = B2 ? B2 + L * M : nullptr;
      for (uint64_t I = 0; I < N; ++I) {
        uint64_t At = AT ? L * N + I : I * K + L;
        R X1 = A1[At], X2 = A2 ? A2[At] : R(0);
        R *Or = &O[I * M];
        if (B2)
          for (uint64_t J = 0; J < M; ++J)
            Or[J] += X1 * (B1r[J] + B2r[J]) + X2 * B1r[J];
        else
          for (uint64_t J = 0; J < M; ++J)
            Or[J] += X1 * B1r[J];
      }
    }
  };
  splitAccumulate(Out, K, N * K * M, Rows);
}

/// Z (N x M) += the local part of t(X) %*% Y for secret X and Y given as
/// columns (lazy cbinds): z = sum over rows r of x_r (y_r,i + y_r,i+1) +
/// x_r,i+1 y_r,i, gathering one row of each at a time. When X and Y are the
/// same columns the local part is symmetric, so only j >= i is computed.
template <class R>
void matmulCols(std::vector<R> &Z,
                const std::vector<std::shared_ptr<const Share<R>>> &XC,
                const std::vector<std::shared_ptr<const Share<R>>> &YC) {
  const uint64_t N = XC.size(), M = YC.size(), Len = XC[0]->a.size();
  const bool Sym = XC == YC;
  auto Part = [&](std::vector<R> &O, uint64_t L0, uint64_t L1) {
    std::vector<R> XA(N), XB(N), YA(M), YS(M);
    for (uint64_t L = L0; L < L1; ++L) {
      for (uint64_t I = 0; I < N; ++I) {
        XA[I] = XC[I]->a[L];
        XB[I] = XC[I]->b[L];
      }
      for (uint64_t J = 0; J < M; ++J) {
        YA[J] = YC[J]->a[L];
        YS[J] = YA[J] + YC[J]->b[L];
      }
      for (uint64_t I = 0; I < N; ++I) {
        R X1 = XA[I], X2 = XB[I];
        R *Or = &O[I * M];
        for (uint64_t J = Sym ? I : 0; J < M; ++J)
          Or[J] += X1 * YS[J] + X2 * YA[J];
      }
    }
  };
  splitAccumulate(Z, Len, N * M * Len, Part);
  if (Sym)
    for (uint64_t I = 0; I < N; ++I)
      for (uint64_t J = 0; J < I; ++J)
        Z[I * M + J] = Z[J * M + I];
}

/// Whether MATMUL's operands are t(lazy cbind) and a lazy cbind of secret
/// columns (the shape of t(X) %*% X and crossprod(X, y)).
template <class R> bool columnProduct(const Val<R> &A, const Val<R> &B) {
  return A.Secret && B.Secret && A.Transposed && !A.LazyCols.empty() &&
         !B.Transposed && !B.LazyCols.empty() &&
         A.LazyCols[0]->a.size() == B.LazyCols[0]->a.size();
}

/// This party's summand of the product of two secret matrices (before the
/// reshare), and the result's shape.
template <class R>
std::vector<R> PartyVM<R>::localProduct(const bc::Instr &I, uint64_t &N,
                                        uint64_t &M) {
  if (columnProduct(getRaw(I.A), getRaw(I.B))) {
    const Val<R> &A = getRaw(I.A), &B = getRaw(I.B);
    N = A.Rows;
    M = B.Cols;
    std::vector<R> Z(N * M, R(0));
    matmulCols(Z, A.LazyCols, B.LazyCols);
    return Z;
  }
  // B first: if A and B are one register, get() materializes it for both.
  const Val<R> &B = get(I.B);
  materializeCols(Regs[I.A]);
  const Val<R> &A = getRaw(I.A);
  if (A.Cols != B.Rows)
    fail("non-conformable matrices");
  N = A.Rows;
  M = B.Cols;
  std::vector<R> Z(N * M, R(0));
  matmulAcc<R>(Z, A.sh().a.data(), A.sh().b.data(), B.sh().a.data(),
               B.sh().b.data(), A.Transposed, N, A.Cols, M);
  return Z;
}

/// MATMUL with a public operand, locally (secret x secret is started by
/// tryStart).
template <class R> void PartyVM<R>::matmul(const bc::Instr &I) {
  // B first: if A and B are one register, get() materializes it for both.
  const Val<R> &B = get(I.B);
  materializeCols(Regs[I.A]);
  const Val<R> &A = getRaw(I.A);
  if (A.Cols != B.Rows)
    fail("non-conformable matrices");
  uint64_t N = A.Rows, K = A.Cols, M = B.Cols;
  bool AT = A.Transposed;
  if (!A.Secret && !B.Secret) {
    std::vector<R> Out(N * M, R(0));
    matmulAcc<R>(Out, A.pub().data(), nullptr, B.pub().data(), nullptr, AT, N,
                 K, M);
    setPub(I.D, std::move(Out), N, M);
    return;
  }
  Share<R> Out;
  Out.a.assign(N * M, R(0));
  Out.b.assign(N * M, R(0));
  if (!A.Secret || !B.Secret) {
    // public x secret: local on both components.
    if (!A.Secret) {
      matmulAcc<R>(Out.a, A.pub().data(), nullptr, B.sh().a.data(), nullptr, AT,
                   N, K, M);
      matmulAcc<R>(Out.b, A.pub().data(), nullptr, B.sh().b.data(), nullptr, AT,
                   N, K, M);
    } else {
      matmulAcc<R>(Out.a, A.sh().a.data(), nullptr, B.pub().data(), nullptr, AT,
                   N, K, M);
      matmulAcc<R>(Out.b, A.sh().b.data(), nullptr, B.pub().data(), nullptr, AT,
                   N, K, M);
    }
    setSec(I.D, std::move(Out), N, M);
    return;
  }
  // (secret x secret went through localProduct above: z_i = A_i B_i +
  // A_i B_{i+1} + A_{i+1} B_i = A_i (B_i + B_{i+1}) + A_{i+1} B_i, then one
  // reshare of the N x M output; Araki et al., ABY3 section 5.2.)
}

/// This party's copy of output \p Output (the value of register \p Reg).
template <class R>
void PartyVM<R>::record(const std::vector<R> &V, uint64_t Rows, uint64_t Cols,
                        uint32_t Reg, int64_t Output) {
  OutputValue O = vm::decodeOutput<R>(V, Rows, Cols, P.Regs[Reg]);
  const bc::Output &Spec = P.Outputs[size_t(Output)];
  O.Label = Spec.Label;
  O.To = Spec.To;
  O.Names = Spec.Names;
  O.Kind = Spec.Kind;
  O.Meta = Spec.Meta;
  Outs.push_back(std::move(O));
}

template <class R> void PartyVM<R>::publish(const bc::Instr &I) {
  // A public value (a secret one is opened by tryStart).
  const Val<R> &X = get(I.A);
  for (const std::string &To : P.Outputs[size_t(I.K)].To) {
    int CI = computeIndex(Setup.Compute, To);
    if (CI < 0)
      sendToClient(To, I, X);
    else if (CI == Ch.self())
      record(X.pub(), X.Rows, X.Cols, I.A, I.K);
  }
}

/// An output client gets this party's two share components of X.
template <class R>
void PartyVM<R>::sendToClient(const std::string &To, const bc::Instr &I,
                              const Val<R> &X) {
  Share<R> Sh = X.Secret ? X.sh() : trivial(X.pub());
  Writer W;
  W.u8(MsgOutput);
  W.u64(uint64_t(I.K));
  W.u64(X.Rows);
  W.u64(X.Cols);
  W.u64(Sh.size());
  W.ring(Sh.a);
  W.ring(Sh.b);
  client(To).send(std::move(W.B));
}

/// Whether \p I ends an open round before it runs: control flow, and
/// disclosures (they keep their order). Every other instruction that
/// communicates reaches the protocol through proto() or bin(), which finish
/// an open round first.
template <class R> bool PartyVM<R>::endsRound(const bc::Instr &I) {
  switch (I.Op) {
  case bc::Opcode::JUMP:
  case bc::Opcode::JUMPIFNOT:
  case bc::Opcode::JUMPIFGT:
  case bc::Opcode::HALT:
  case bc::Opcode::REVEAL:
  case bc::Opcode::PUBLISH:
    return true;
  default:
    return false;
  }
}

/// Whether \p I reads or writes a register an unfinished operation defines.
template <class R> bool PartyVM<R>::touchesDeferred(const bc::Instr &I) const {
  auto Hit = [&](uint32_t X) {
    for (const Deferred &F : Pend)
      if (F.Output == -1 && F.D == X)
        return true;
    return false;
  };
  const bc::OpcodeInfo *Info = bc::opcodeInfo(uint8_t(I.Op));
  switch (Info->Fmt) {
  case bc::Format::DL:
    for (uint32_t K = I.A; K < I.A + I.B; ++K)
      if (Hit(P.Args[K]))
        return true;
    return Hit(I.D);
  case bc::Format::J:
    return false;
  case bc::Format::AJ:
  case bc::Format::AK:
    return Hit(I.A);
  case bc::Format::ABJ:
    return Hit(I.A) || Hit(I.B);
  default:
    return Hit(I.D) || Hit(I.A) || Hit(I.B) || Hit(I.C);
  }
}

/// Starts \p I as part of the current round if it is a one-round
/// operation on secrets; returns false to run it normally.
template <class R> bool PartyVM<R>::tryStart(const bc::Instr &I) {
  auto Secret = [&](uint32_t X) { return Regs[X].Set && Regs[X].Secret; };
  Deferred F;
  F.D = I.D;
  switch (I.Op) {
  case bc::Opcode::MUL: {
    if (!Secret(I.A) || !Secret(I.B))
      return false;
    const Val<R> &A = get(I.A), &B = get(I.B);
    Shape Sh = shapeOf({&A, &B});
    F.Op = Proto->mulStart(shN(A, Sh.N), shN(B, Sh.N));
    F.Rows = Sh.Rows;
    F.Cols = Sh.Cols;
    break;
  }
  case bc::Opcode::DOT: {
    if (!Secret(I.A) || !Secret(I.B))
      return false;
    const Val<R> &A = get(I.A), &B = get(I.B);
    if (A.size() != B.size())
      fail("lengths differ in a dot product");
    F.Op = Proto->dotStart(A.sh(), B.sh());
    break;
  }
  case bc::Opcode::MATMUL: {
    if (!Secret(I.A) || !Secret(I.B))
      return false;
    F.Op = Proto->reshareSumStart(localProduct(I, F.Rows, F.Cols));
    break;
  }
  case bc::Opcode::TRUNC: {
    if (!Secret(I.A) || needsExactTrunc(I))
      return false;
    const Val<R> &A = get(I.A);
    F.Op = Proto->truncStart(A.sh(), unsigned(I.K));
    F.Rows = A.Rows;
    F.Cols = A.Cols;
    break;
  }
  case bc::Opcode::DIV: {
    if (!Secret(I.A) || needsExactTrunc(I))
      return false;
    const Val<R> &A = get(I.A), &B = get(I.B);
    Shape Sh = shapeOf({&A, &B});
    F.Op = Proto->truncStart(
        Rep3::mulPublic(shN(A, Sh.N), reciprocals(I, B, Sh.N)),
        P.Regs[I.A].Scale);
    F.Rows = Sh.Rows;
    F.Cols = Sh.Cols;
    break;
  }
  case bc::Opcode::REVEAL: {
    if (!Secret(I.A))
      return false;
    const Val<R> &A = get(I.A);
    F.Op = Proto->openStart(A.sh());
    F.Opened = true;
    F.Rows = A.Rows;
    F.Cols = A.Cols;
    break;
  }
  case bc::Opcode::PUBLISH: {
    if (!Secret(I.A))
      return false;
    // Shares to output clients go out now (nothing to receive); each
    // compute-party recipient gets an openTo in this round.
    const Val<R> &X = get(I.A);
    const bc::Output &Spec = P.Outputs[size_t(I.K)];
    for (const std::string &To : Spec.To) {
      int CI = computeIndex(Setup.Compute, To);
      if (CI < 0) {
        sendToClient(To, I, X);
        continue;
      }
      Deferred G;
      G.Op = Proto->openToStart(CI, X.sh());
      G.Output = CI == Ch.self() ? I.K : -2; // -2: nothing to record here
      G.D = I.A;
      G.Rows = X.Rows;
      G.Cols = X.Cols;
      Pend.push_back(std::move(G));
    }
    return true;
  }
  default:
    return false;
  }
  Pend.push_back(std::move(F));
  return true;
}

template <class R> void PartyVM<R>::finishRound() {
  for (Deferred &F : Pend) {
    Proto->finish(F.Op);
    if (F.Output >= 0) {
      record(F.Op.s.a, F.Rows, F.Cols, F.D, F.Output);
    } else if (F.Output == -2) {
      continue;
    } else if (F.Opened) {
      setPub(F.D, std::move(F.Op.s.a), F.Rows, F.Cols);
    } else {
      setSec(F.D, std::move(F.Op.s), F.Rows, F.Cols);
    }
  }
  Pend.clear();
  PendRound = 0;
}

template <class R> void PartyVM<R>::execute() {
  using Clock = std::chrono::steady_clock;
  std::map<std::string, double> Spent; // seconds per opcode (profiling)
  Clock::time_point Last = Clock::now();
  const char *LastName = nullptr;
  auto Tick = [&](const char *Name) {
    if (!Setup.Profile)
      return;
    Clock::time_point Now = Clock::now();
    if (LastName)
      Spent[LastName] += std::chrono::duration<double>(Now - Last).count();
    Last = Now;
    LastName = Name;
  };
  auto Report = [&] {
    if (!Setup.Profile)
      return;
    Tick(nullptr);
    std::string Out = "sstat-party: seconds per instruction kind:";
    for (const auto &[Name, Secs] : Spent)
      if (Secs >= 0.0005)
        Out += " " + Name + " " + std::to_string(Secs).substr(0, 6);
    llvm::errs() << Out << "\n";
  };
  // Progress for long runs: at most once a second, checked every 64
  // instructions.
  Clock::time_point LastProgress = Clock::now();
  while (true) {
    if (Pc >= P.Code.size())
      fail("control left the program");
    const bc::Instr &I = P.Code[Pc];
    ++Steps;
    Tick(bc::opcodeInfo(uint8_t(I.Op))->Name);
    if (Setup.Progress && Steps % 64 == 0 &&
        Clock::now() - LastProgress > std::chrono::seconds(1)) {
      LastProgress = Clock::now();
      Setup.Progress("compute", Ch.stats().rounds, Ch.stats().bytesSent);
    }
    if (!Pend.empty() &&
        ((I.Round != 0 && I.Round != PendRound) || touchesDeferred(I)))
      finishRound();
    // Every one-round operation on secrets goes through tryStart; one the
    // scheduler gave no round is finished at once.
    if (tryStart(I)) {
      if (I.Round == 0)
        finishRound();
      else
        PendRound = I.Round;
      ++Pc;
      continue;
    }
    if (!Pend.empty() && endsRound(I))
      finishRound();
    switch (I.Op) {
    case bc::Opcode::CONST: {
      auto F = vm::constFill<R>(P, I, TableRows);
      if (!F)
        fail(toString(F.takeError()));
      setPub(I.D, std::vector<R>(F->Len, F->Elem), F->Rows, F->Cols);
      break;
    }
    case bc::Opcode::INPUT:
    case bc::Opcode::INPUTVALID:
      set(I.D, Cache[size_t(Plan.RequestOfPc[Pc])]);
      break;
    case bc::Opcode::NROWS:
      setPub(I.D, {R(TableRows[size_t(I.K)])}, 1, 1);
      break;
    case bc::Opcode::ADD:
    case bc::Opcode::SUB:
    case bc::Opcode::NEG:
    case bc::Opcode::MUL:
    case bc::Opcode::TRUNC:
    case bc::Opcode::DIV:
    case bc::Opcode::RECIP:
    case bc::Opcode::SQRT:
    case bc::Opcode::RSQRT:
    case bc::Opcode::EXP:
    case bc::Opcode::LOG:
    case bc::Opcode::CAST:
    case bc::Opcode::LT:
    case bc::Opcode::LE:
    case bc::Opcode::EQ:
    case bc::Opcode::NOT:
    case bc::Opcode::AND:
    case bc::Opcode::OR:
    case bc::Opcode::SELECT:
      elementwise(I);
      break;
    case bc::Opcode::SUM: {
      const Val<R> &X = get(I.A);
      if (!X.Secret) {
        R Acc = 0;
        for (R V : X.pub())
          Acc += V;
        setPub(I.D, {Acc}, 1, 1);
        break;
      }
      Share<R> Z;
      Z.a = {R(0)};
      Z.b = {R(0)};
      for (size_t E = 0; E < X.sh().size(); ++E) {
        Z.a[0] += X.sh().a[E];
        Z.b[0] += X.sh().b[E];
      }
      setSec(I.D, std::move(Z), 1, 1);
      break;
    }
    case bc::Opcode::DOT: {
      const Val<R> &X = get(I.A), &Y = get(I.B);
      if (X.size() != Y.size())
        fail("lengths differ in a dot product");
      if (!X.Secret && !Y.Secret) {
        R Acc = 0;
        for (size_t E = 0; E < X.pub().size(); ++E)
          Acc += X.pub()[E] * Y.pub()[E];
        setPub(I.D, {Acc}, 1, 1);
      } else {
        // public . secret, locally (secret . secret is started by tryStart)
        const std::vector<R> &C = X.Secret ? Y.pub() : X.pub();
        const Share<R> &V = X.Secret ? X.sh() : Y.sh();
        Share<R> Z;
        Z.a = {R(0)};
        Z.b = {R(0)};
        for (size_t E = 0; E < C.size(); ++E) {
          Z.a[0] += C[E] * V.a[E];
          Z.b[0] += C[E] * V.b[E];
        }
        setSec(I.D, std::move(Z), 1, 1);
      }
      break;
    }
    case bc::Opcode::MATMUL:
      matmul(I);
      break;
    case bc::Opcode::PREFIXSUM: {
      // Linear, so local on each share component.
      const Val<R> &X = get(I.A);
      auto Run = [](std::vector<R> V) {
        for (size_t K = 1; K < V.size(); ++K)
          V[K] += V[K - 1];
        return V;
      };
      if (X.Secret)
        setSec(I.D, Share<R>{Run(X.sh().a), Run(X.sh().b)}, X.Rows, X.Cols);
      else
        setPub(I.D, Run(X.pub()), X.Rows, X.Cols);
      break;
    }
    case bc::Opcode::SOLVE:
      solve(I);
      break;
    case bc::Opcode::TRANSPOSE: {
      // Lazy: the same storage, read transposed (see Val).
      Val<R> X = getRaw(I.A);
      std::swap(X.Rows, X.Cols);
      X.Transposed = !X.Transposed;
      set(I.D, std::move(X));
      break;
    }
    case bc::Opcode::LENGTH:
      setPub(I.D, {R(get(I.A).size())}, 1, 1);
      break;
    case bc::Opcode::GET:
    case bc::Opcode::SET: {
      const Val<R> &X = get(I.A), &Ix = get(I.B);
      S K = S(Ix.pub().at(0));
      if (K < 1 || uint64_t(K) > X.size())
        fail("index " + Twine(int64_t(K)) + " is out of range for length " +
             Twine(X.size()));
      size_t At = size_t(K - 1);
      if (I.Op == bc::Opcode::GET) {
        if (X.Secret)
          setSec(I.D, Share<R>{{X.sh().a[At]}, {X.sh().b[At]}}, 1, 1);
        else
          setPub(I.D, {X.pub()[At]}, 1, 1);
        break;
      }
      const Val<R> &V = get(I.C);
      if (X.Secret || V.Secret) {
        Share<R> Sh = X.Secret ? X.sh() : trivial(X.pub());
        Share<R> Vs = shN(V, 1);
        Sh.a[At] = Vs.a[0];
        Sh.b[At] = Vs.b[0];
        setSec(I.D, std::move(Sh), X.Rows, X.Cols);
      } else {
        std::vector<R> Pb = X.pub();
        Pb[At] = V.pub().at(0);
        setPub(I.D, std::move(Pb), X.Rows, X.Cols);
      }
      break;
    }
    case bc::Opcode::CONCAT:
    case bc::Opcode::CBIND: {
      std::vector<const Val<R> *> Xs;
      bool Secret = P.Regs[I.D].S == bc::Sec::Secret;
      uint64_t Len = 1;
      for (uint32_t K = I.A; K < I.A + I.B; ++K) {
        const Val<R> &X = get(P.Args[K]);
        Xs.push_back(&X);
        Secret |= X.Secret;
        if (I.Op == bc::Opcode::CBIND && X.size() != 1) {
          if (Len != 1 && X.size() != Len)
            fail("cbind() of columns of different lengths");
          Len = X.size();
        }
      }
      // Builds one component from the operands' vectors (no copies of
      // the operands; a public operand of a secret result is shared
      // trivially first).
      auto Build = [&](const std::vector<const std::vector<R> *> &Vs) {
        std::vector<R> Out;
        if (I.Op == bc::Opcode::CONCAT) {
          size_t Total = 0;
          for (const std::vector<R> *V : Vs)
            Total += V->size();
          Out.reserve(Total);
          for (const std::vector<R> *V : Vs)
            Out.insert(Out.end(), V->begin(), V->end());
          return Out;
        }
        size_t NC = Vs.size();
        Out.resize(Len * NC);
        for (size_t C = 0; C < NC; ++C) {
          const std::vector<R> &V = *Vs[C];
          R *O = Out.data() + C;
          if (V.size() == 1)
            for (uint64_t Row = 0; Row < Len; ++Row)
              O[Row * NC] = V[0];
          else
            for (uint64_t Row = 0; Row < Len; ++Row)
              O[Row * NC] = V[Row];
        }
        return Out;
      };
      uint64_t Rows = 0, Cols = 1;
      if (!Secret) {
        std::vector<const std::vector<R> *> Vs;
        for (const Val<R> *X : Xs)
          Vs.push_back(&X->pub());
        std::vector<R> Out = Build(Vs);
        Rows = I.Op == bc::Opcode::CBIND ? Len : Out.size();
        Cols = I.Op == bc::Opcode::CBIND ? Xs.size() : 1;
        setPub(I.D, std::move(Out), Rows, Cols);
        break;
      }
      // Secret columns of one length stay where they are (a lazy cbind).
      bool Lazy = I.Op == bc::Opcode::CBIND && Len > 1;
      for (const Val<R> *X : Xs)
        Lazy &= X->Secret && X->size() == Len && X->Rows == Len && X->Cols == 1;
      if (Lazy) {
        Val<R> V;
        V.Secret = true;
        V.Rows = Len;
        V.Cols = Xs.size();
        for (const Val<R> *X : Xs)
          V.LazyCols.push_back(X->ShP);
        set(I.D, std::move(V));
        break;
      }
      std::vector<Share<R>> Trivial;
      Trivial.reserve(Xs.size());
      std::vector<const std::vector<R> *> As, Bs;
      for (const Val<R> *X : Xs) {
        const Share<R> *Sh = X->Secret ? &X->sh() : nullptr;
        if (!X->Secret) {
          Trivial.push_back(trivial(X->pub()));
          Sh = &Trivial.back();
        }
        As.push_back(&Sh->a);
        Bs.push_back(&Sh->b);
      }
      std::vector<R> A = Build(As), B = Build(Bs);
      Rows = I.Op == bc::Opcode::CBIND ? Len : A.size();
      Cols = I.Op == bc::Opcode::CBIND ? Xs.size() : 1;
      setSec(I.D, Share<R>{std::move(A), std::move(B)}, Rows, Cols);
      break;
    }
    case bc::Opcode::BITS: {
      // Bits lo .. lo+n-1 of every element (the loader checked the range):
      // ABY3's A2B on the low lo + n bits, then bit injection
      // (rep3::Binary::bits); row r of the result holds element r's.
      const Val<R> &X = get(I.A);
      const unsigned Lo = unsigned(I.K / 1024), Nb = unsigned(I.K % 1024);
      const uint64_t Len = X.size();
      const bool AsVector = P.Regs[I.D].Rank == 1;
      const uint64_t Rows = AsVector ? Nb : Len, Cols = AsVector ? 1 : Nb;
      if (!X.Secret) {
        std::vector<R> Out(Len * Nb);
        for (uint64_t E = 0; E < Len; ++E)
          for (unsigned B = 0; B < Nb; ++B)
            Out[E * Nb + B] = (X.pub()[E] >> (Lo + B)) & 1;
        setPub(I.D, std::move(Out), Rows, Cols);
        break;
      }
      std::vector<Share<R>> Bs = bin().bits(X.sh(), Lo, Nb);
      Share<R> Out;
      Out.a.resize(Len * Nb);
      Out.b.resize(Len * Nb);
      for (unsigned B = 0; B < Nb; ++B)
        for (uint64_t E = 0; E < Len; ++E) {
          Out.a[E * Nb + B] = Bs[B].a[E];
          Out.b[E * Nb + B] = Bs[B].b[E];
        }
      setSec(I.D, std::move(Out), Rows, Cols);
      break;
    }
    case bc::Opcode::COLUMN: {
      const Val<R> &X = get(I.A);
      if (I.K < 0 || uint64_t(I.K) >= X.Cols)
        fail("column " + Twine(I.K + 1) + " of a matrix with " + Twine(X.Cols) +
             " columns");
      auto Col = [&](const std::vector<R> &V) {
        std::vector<R> Out(X.Rows);
        for (uint64_t Row = 0; Row < X.Rows; ++Row)
          Out[Row] = V[Row * X.Cols + uint64_t(I.K)];
        return Out;
      };
      if (X.Secret)
        setSec(I.D, Share<R>{Col(X.sh().a), Col(X.sh().b)}, X.Rows, 1);
      else
        setPub(I.D, Col(X.pub()), X.Rows, 1);
      break;
    }
    case bc::Opcode::REVEAL: {
      set(I.D, get(I.A)); // public already (a secret is opened by tryStart)
      break;
    }
    case bc::Opcode::PUBLISH:
      publish(I);
      break;
    case bc::Opcode::MOV: {
      Val<R> X = getRaw(I.A);
      set(I.D, std::move(X));
      break;
    }
    case bc::Opcode::JUMP:
      Pc = size_t(I.K);
      continue;
    case bc::Opcode::JUMPIFNOT: {
      const Val<R> &X = get(I.A);
      if (X.pub().empty() || X.pub()[0] == 0) {
        Pc = size_t(I.K);
        continue;
      }
      break;
    }
    case bc::Opcode::JUMPIFGT: {
      const Val<R> &X = get(I.A), &Y = get(I.B);
      if (S(X.pub().at(0)) > S(Y.pub().at(0))) {
        Pc = size_t(I.K);
        continue;
      }
      break;
    }
    case bc::Opcode::INC: {
      const Val<R> &X = get(I.A);
      std::vector<R> V = X.pub();
      V.at(0) += 1;
      setPub(I.D, std::move(V), X.Rows, X.Cols);
      break;
    }
    case bc::Opcode::HALT:
      Report();
      return;
    }
    // A secret destination is always a sharing, even of public operands.
    Val<R> &D = Regs[I.D];
    if (D.Set && !D.Secret && I.Op != bc::Opcode::PUBLISH &&
        I.Op != bc::Opcode::JUMPIFNOT && I.Op != bc::Opcode::JUMPIFGT &&
        P.Regs[I.D].S == bc::Sec::Secret) {
      if (D.Transposed)
        materialize(D);
      D.ShP = std::make_shared<const Share<R>>(trivial(D.pub()));
      D.PubP.reset();
      D.Secret = true;
    }
    ++Pc;
  }
}

template <class R> void PartyVM<R>::finishClients() {
  // Every output client learns that no more results follow.
  for (const std::string &Name : clientParties(P, Setup.Compute)) {
    bool Recipient = false;
    for (size_t K = 0; K < P.Parties.size(); ++K)
      if (P.Parties[K] == Name && (P.Roles[K] & bc::RoleRecipient))
        Recipient = true;
    if (!Recipient)
      continue;
    Writer W;
    W.u8(MsgDone);
    client(Name).send(std::move(W.B));
  }
}

template <class R> std::vector<OutputValue> PartyVM<R>::run(PartyStats *Stats) {
  const std::string &Me = Setup.Compute[size_t(Ch.self())];
  Plan = planInputs(P);
  TableRows.assign(P.Inputs.size(), 0);
  // 1. Own files first: a bad CSV stops this party before any data moves.
  auto Own = loadOwned(P, Me, Setup.Inputs);
  if (!Own) {
    if (Stats)
      Stats->InputFailed = true;
    throw VMError(toString(Own.takeError()));
  }
  MyRows = std::move(*Own);
  Proto = std::make_unique<Rep3>(Ch);
  Bin = std::make_unique<rep3::Binary>(*Proto);
  rep3::ChannelStats Before = Ch.stats();
  auto Progress = [&](const char *Phase) {
    if (Setup.Progress)
      Setup.Progress(Phase, Ch.stats().rounds, Ch.stats().bytesSent);
  };
  Progress("input");
  rowCounts();
  // The clock starts when every owner has loaded its CSV and announced its
  // row counts: the first byte of secret input follows.
  auto T0 = std::chrono::steady_clock::now();
  shareInputs();
  rep3::ChannelStats AfterInput = Ch.stats();
  auto TInput = std::chrono::steady_clock::now();
  Progress("compute");
  execute();
  finishClients();
  auto T1 = std::chrono::steady_clock::now();
  Progress("done");
  if (Stats) {
    Stats->Instructions = Steps;
    for (size_t T = 0; T < P.Inputs.size(); ++T)
      Stats->RowsPerTable[P.Inputs[T].Name] = TableRows[T];
    Stats->Total = Ch.stats();
    auto Diff = [](rep3::ChannelStats A, const rep3::ChannelStats &B) {
      A.bytesSent -= B.bytesSent;
      A.bytesReceived -= B.bytesReceived;
      A.messagesSent -= B.messagesSent;
      A.messagesReceived -= B.messagesReceived;
      A.rounds -= B.rounds;
      return A;
    };
    Stats->Compute = Diff(Ch.stats(), Before);
    Stats->Input = Diff(AfterInput, Before);
    Stats->Program = Diff(Ch.stats(), AfterInput);
    Stats->ComputeSeconds = std::chrono::duration<double>(T1 - T0).count();
    Stats->InputSeconds = std::chrono::duration<double>(TInput - T0).count();
    for (auto &[Name, Port] : Clients) {
      Stats->ClientBytesSent += Port->BytesSent;
      Stats->ClientBytesReceived += Port->BytesReceived;
    }
  }
  return std::move(Outs);
}

//===----------------------------------------------------------------------===//
// Clients
//===----------------------------------------------------------------------===//

template <class R>
std::vector<OutputValue>
runClientT(const bc::Program &P, const std::array<std::string, 3> &Compute,
           const std::string &Name, const std::vector<InputFile> &Inputs,
           const std::array<ClientPort *, 3> &Links) {
  InputPlan Plan = planInputs(P);
  bool Owner = std::find(Plan.Owners.begin(), Plan.Owners.end(), Name) !=
               Plan.Owners.end();
  if (Owner) {
    auto Rows = loadOwned(P, Name, Inputs);
    if (!Rows)
      throw VMError(toString(Rows.takeError()));
    Writer Counts;
    for (const auto &[T, O] : *Rows)
      Counts.u64(O.Rows);
    for (ClientPort *L : Links)
      L->send(Counts.B);
    // x = x_0 + x_1 + x_2 with x_0, x_1 uniformly random (OS randomness
    // through a fresh AES-CTR key); compute party i gets (x_i, x_{i+1}).
    std::vector<R> X = ownerPayload<R>(P, Plan, Name, *Rows);
    rep3::AesCtrPrf G(rep3::freshKey());
    std::vector<R> X0 = G.next<R>(X.size()), X1 = G.next<R>(X.size());
    std::vector<R> X2(X.size());
    for (size_t E = 0; E < X.size(); ++E)
      X2[E] = X[E] - X0[E] - X1[E];
    const std::vector<R> *Parts[3] = {&X0, &X1, &X2};
    for (int I = 0; I < 3; ++I) {
      Writer W;
      W.ring(*Parts[I]);
      W.ring(*Parts[(I + 1) % 3]);
      Links[size_t(I)]->send(std::move(W.B));
    }
  }
  bool Recipient = false;
  for (size_t K = 0; K < P.Parties.size(); ++K)
    if (P.Parties[K] == Name && (P.Roles[K] & bc::RoleRecipient))
      Recipient = true;
  std::vector<OutputValue> Outs;
  if (!Recipient)
    return Outs;
  while (true) {
    std::vector<uint8_t> M[3];
    for (int I = 0; I < 3; ++I)
      M[I] = Links[size_t(I)]->recv();
    uint8_t Kind[3];
    std::vector<Reader> Rd;
    for (int I = 0; I < 3; ++I) {
      Rd.push_back(Reader{M[I], "compute party '" + Compute[size_t(I)] + "'"});
      Kind[I] = Rd.back().u8();
    }
    if (Kind[0] != Kind[1] || Kind[0] != Kind[2])
      throw ChannelError("the compute parties disagree on the message kind");
    if (Kind[0] == MsgDone) {
      for (Reader &X : Rd)
        X.end();
      break;
    }
    if (Kind[0] != MsgOutput)
      throw ChannelError("unknown message kind " + std::to_string(Kind[0]) +
                         " from the compute parties");
    uint64_t Idx[3], Rows[3], Cols[3], N[3];
    std::vector<R> A[3], B[3];
    for (int I = 0; I < 3; ++I) {
      Idx[I] = Rd[size_t(I)].u64();
      Rows[I] = Rd[size_t(I)].u64();
      Cols[I] = Rd[size_t(I)].u64();
      N[I] = Rd[size_t(I)].u64();
      A[I] = Rd[size_t(I)].template ring<R>(N[I]);
      B[I] = Rd[size_t(I)].template ring<R>(N[I]);
      Rd[size_t(I)].end();
    }
    for (int I = 1; I < 3; ++I)
      if (Idx[I] != Idx[0] || Rows[I] != Rows[0] || Cols[I] != Cols[0] ||
          N[I] != N[0])
        throw ChannelError("the compute parties disagree on an output's shape");
    if (Idx[0] >= P.Outputs.size())
      throw ChannelError("output index out of range");
    if (Rows[0] * Cols[0] != N[0] && !(Rows[0] == 1 && Cols[0] == 1))
      throw ChannelError("an output's shape does not match its length");
    // Replicated shares: party i's second component is party i+1's first.
    for (int I = 0; I < 3; ++I)
      if (B[I] != A[(I + 1) % 3])
        throw ChannelError("inconsistent shares from compute parties '" +
                           Compute[size_t(I)] + "' and '" +
                           Compute[size_t((I + 1) % 3)] + "'");
    std::vector<R> V(N[0]);
    for (size_t E = 0; E < V.size(); ++E)
      V[E] = A[0][E] + A[1][E] + A[2][E];
    const bc::Output &Spec = P.Outputs[Idx[0]];
    // The register's type: the PUBLISH instruction's operand.
    const bc::RegType *T = nullptr;
    for (const bc::Instr &I : P.Code)
      if (I.Op == bc::Opcode::PUBLISH && uint64_t(I.K) == Idx[0])
        T = &P.Regs[I.A];
    if (!T)
      throw ChannelError("output index has no PUBLISH");
    OutputValue O = vm::decodeOutput<R>(V, Rows[0], Cols[0], *T);
    O.Label = Spec.Label;
    O.To = Spec.To;
    O.Names = Spec.Names;
    O.Kind = Spec.Kind;
    O.Meta = Spec.Meta;
    Outs.push_back(std::move(O));
  }
  return Outs;
}

} // namespace

std::vector<std::string>
sstat::runtime::clientParties(const bc::Program &P,
                              const std::array<std::string, 3> &Compute) {
  std::vector<std::string> Out;
  for (const std::string &Name : P.Parties)
    if (computeIndex(Compute, Name) < 0)
      Out.push_back(Name);
  return Out;
}

Expected<std::vector<OutputValue>>
sstat::runtime::runParty(const bc::Program &P, const PartySetup &Setup,
                         rep3::Channel &Ch, PartyStats *Stats) {
  try {
    if (P.RingBits == 64) {
      PartyVM<uint64_t> M(P, Setup, Ch);
      return M.run(Stats);
    }
    PartyVM<unsigned __int128> M(P, Setup, Ch);
    return M.run(Stats);
  } catch (const VMError &E) {
    return vm::err(E.what());
  } catch (const std::runtime_error &E) {
    return vm::err(E.what());
  }
}

Expected<std::vector<OutputValue>> sstat::runtime::runClient(
    const bc::Program &P, const std::array<std::string, 3> &Compute,
    const std::string &Name, const std::vector<InputFile> &Inputs,
    const std::array<ClientPort *, 3> &Links) {
  try {
    if (P.RingBits == 64)
      return runClientT<uint64_t>(P, Compute, Name, Inputs, Links);
    return runClientT<unsigned __int128>(P, Compute, Name, Inputs, Links);
  } catch (const std::runtime_error &E) {
    return vm::err(E.what());
  }
}
