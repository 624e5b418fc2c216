//===- Format.cpp - Writing, reading and verifying .sbc files -------------===//
//
// Little-endian, length-prefixed, no padding. The reader checks every count
// against what is left of the payload before allocating, so a hostile
// file cannot make the loader allocate more than the file's size; every
// index is range-checked by verify() before the VM sees the program.
//
//===----------------------------------------------------------------------===//

#include "sstat/Bytecode/Bytecode.h"

#include "llvm/Support/raw_ostream.h"

#include <openssl/evp.h>

#include <cmath>
#include <cstring>

using namespace sstat::bc;
using namespace llvm;

static const std::vector<OpcodeInfo> &table() {
  static const std::vector<OpcodeInfo> T = {
#define OPCODE(Name, Code, Fmt, Sem) {#Name, Code, Format::Fmt, Sem},
#include "sstat/Bytecode/Opcodes.def"
#undef OPCODE
  };
  return T;
}

const std::vector<OpcodeInfo> &sstat::bc::allOpcodes() { return table(); }

const OpcodeInfo *sstat::bc::opcodeInfo(uint8_t Code) {
  static const std::array<const OpcodeInfo *, 256> ByCode = [] {
    std::array<const OpcodeInfo *, 256> A{};
    for (const OpcodeInfo &I : table())
      A[I.Code] = &I;
    return A;
  }();
  return ByCode[Code];
}

static std::array<uint8_t, 32> sha256(ArrayRef<uint8_t> Data) {
  std::array<uint8_t, 32> H{};
  unsigned Len = 0;
  EVP_Digest(Data.data(), Data.size(), H.data(), &Len, EVP_sha256(), nullptr);
  return H;
}

std::string sstat::bc::hexDigest(const std::array<uint8_t, 32> &H) {
  static const char *Hex = "0123456789abcdef";
  std::string S;
  for (uint8_t B : H) {
    S += Hex[B >> 4];
    S += Hex[B & 15];
  }
  return S;
}

//===----------------------------------------------------------------------===//
// Writer
//===----------------------------------------------------------------------===//

namespace {
class Writer {
public:
  std::vector<uint8_t> Out;
  void u8(uint8_t V) { Out.push_back(V); }
  void u16(uint16_t V) { raw(&V, 2); }
  void u32(uint32_t V) { raw(&V, 4); }
  void u64(uint64_t V) { raw(&V, 8); }
  void i64(int64_t V) { raw(&V, 8); }
  void f64(double V) {
    uint64_t Bits;
    std::memcpy(&Bits, &V, 8);
    u64(Bits);
  }
  void str(StringRef S) {
    u32(uint32_t(S.size()));
    Out.insert(Out.end(), S.begin(), S.end());
  }
  void strs(const std::vector<std::string> &L) {
    u32(uint32_t(L.size()));
    for (const std::string &S : L)
      str(S);
  }

private:
  void raw(const void *P, size_t N) {
    // Little-endian on every supported host; written byte by byte anyway.
    uint64_t V = 0;
    std::memcpy(&V, P, N);
    for (size_t I = 0; I < N; ++I)
      Out.push_back(uint8_t(V >> (8 * I)));
  }
};
} // namespace

static void writeDim(Writer &W, const Dim &D) {
  W.u8(D.K);
  W.i64(D.N);
  W.u32(D.Table);
}

std::vector<uint8_t> sstat::bc::serialize(const Program &P) {
  Writer W;
  W.u8(P.Protocol);
  W.u16(P.RingBits);
  W.u16(P.FracBits);
  W.u64(P.SafeRows);
  W.u32(P.SafeRowsLine);
  W.str(P.SourceName);
  W.strs(P.Parties);
  W.u32(uint32_t(P.Roles.size()));
  for (uint8_t R : P.Roles)
    W.u8(R);
  W.u32(uint32_t(P.Inputs.size()));
  for (const Table &T : P.Inputs) {
    W.str(T.Name);
    W.strs(T.Parties);
    W.str(T.Key);
    W.u32(uint32_t(T.Columns.size()));
    for (const Column &C : T.Columns) {
      W.str(C.Name);
      W.u8(C.Kind);
      W.f64(C.Lo);
      W.f64(C.Hi);
      W.u8(C.MayBeNA);
      W.strs(C.Levels);
    }
  }
  W.u32(uint32_t(P.InputRefs.size()));
  for (const InputRef &R : P.InputRefs) {
    W.u32(R.Table);
    W.u32(R.Column);
  }
  W.u32(uint32_t(P.Outputs.size()));
  for (const Output &O : P.Outputs) {
    W.strs(O.To);
    W.str(O.Label);
    W.strs(O.Names);
    W.str(O.Kind);
    W.strs(O.Meta);
  }
  W.u32(uint32_t(P.Consts.size()));
  for (double C : P.Consts)
    W.f64(C);
  W.u32(uint32_t(P.Regs.size()));
  for (const RegType &R : P.Regs) {
    W.u8(uint8_t(R.S));
    W.u8(uint8_t(R.E));
    W.u8(R.Scale);
    W.u8(R.Rank);
    writeDim(W, R.D[0]);
    writeDim(W, R.D[1]);
  }
  W.u32(uint32_t(P.Args.size()));
  for (uint32_t A : P.Args)
    W.u32(A);
  W.u32(uint32_t(P.Code.size()));
  for (const Instr &I : P.Code) {
    W.u8(uint8_t(I.Op));
    W.u32(I.D);
    W.u32(I.A);
    W.u32(I.B);
    W.u32(I.C);
    W.i64(I.K);
    W.u32(I.Line);
    W.u32(I.Round);
    W.u64(I.ProbRows);
  }

  Writer F;
  for (char C : Magic)
    F.u8(uint8_t(C));
  F.u32(FormatVersion);
  F.u64(W.Out.size());
  F.Out.insert(F.Out.end(), W.Out.begin(), W.Out.end());
  std::array<uint8_t, 32> H = sha256(W.Out);
  F.Out.insert(F.Out.end(), H.begin(), H.end());
  return F.Out;
}

//===----------------------------------------------------------------------===//
// Reader
//===----------------------------------------------------------------------===//

namespace {
class Reader {
public:
  explicit Reader(ArrayRef<uint8_t> B) : Buf(B) {}
  bool Failed = false;
  std::string Why;

  size_t left() const { return Buf.size() - Pos; }
  uint64_t uint(unsigned N, const char *What) {
    if (Failed)
      return 0;
    if (left() < N) {
      fail(std::string("truncated payload reading ") + What);
      return 0;
    }
    uint64_t V = 0;
    for (unsigned I = 0; I < N; ++I)
      V |= uint64_t(Buf[Pos + I]) << (8 * I);
    Pos += N;
    return V;
  }
  uint8_t u8(const char *W) { return uint8_t(uint(1, W)); }
  uint16_t u16(const char *W) { return uint16_t(uint(2, W)); }
  uint32_t u32(const char *W) { return uint32_t(uint(4, W)); }
  uint64_t u64(const char *W) { return uint(8, W); }
  int64_t i64(const char *W) { return int64_t(uint(8, W)); }
  double f64(const char *W) {
    uint64_t B = uint(8, W);
    double D;
    std::memcpy(&D, &B, 8);
    return D;
  }
  std::string str(const char *W) {
    uint32_t N = u32(W);
    if (Failed)
      return {};
    if (N > left() || N > (1u << 20)) {
      fail(std::string("string length ") + std::to_string(N) +
           " too large in " + W);
      return {};
    }
    std::string S(reinterpret_cast<const char *>(Buf.data() + Pos), N);
    Pos += N;
    return S;
  }
  /// A count of items of at least \p MinBytes each: checked against the
  /// bytes left, so no allocation exceeds the file.
  uint32_t count(const char *W, size_t MinBytes) {
    uint32_t N = u32(W);
    if (!Failed && (N > (1u << 26) || uint64_t(N) * MinBytes > left()))
      fail(std::string("count ") + std::to_string(N) + " of " + W +
           " exceeds the file");
    return Failed ? 0 : N;
  }
  std::vector<std::string> strs(const char *W) {
    uint32_t N = count(W, 4);
    std::vector<std::string> L;
    for (uint32_t I = 0; I < N && !Failed; ++I)
      L.push_back(str(W));
    return L;
  }
  void fail(std::string S) {
    if (!Failed)
      Why = std::move(S);
    Failed = true;
  }

private:
  ArrayRef<uint8_t> Buf;
  size_t Pos = 0;
};
} // namespace

static Error err(const Twine &T) {
  return createStringError(inconvertibleErrorCode(), T.str());
}

static Expected<ArrayRef<uint8_t>> payloadOf(ArrayRef<uint8_t> Bytes) {
  if (Bytes.size() < 8 || std::memcmp(Bytes.data(), Magic, 8) != 0)
    return err("not an sstat bytecode file (bad magic)");
  if (Bytes.size() < 20)
    return err("truncated file: no header");
  uint32_t Version = 0;
  for (unsigned I = 0; I < 4; ++I)
    Version |= uint32_t(Bytes[8 + I]) << (8 * I);
  if (Version != FormatVersion)
    return err("unsupported bytecode format version " + Twine(Version) +
               " (this build reads version " + Twine(FormatVersion) + ")");
  uint64_t Len = 0;
  for (unsigned I = 0; I < 8; ++I)
    Len |= uint64_t(Bytes[12 + I]) << (8 * I);
  if (Len > Bytes.size() - 20 || Bytes.size() - 20 - Len != 32)
    return err("truncated or oversized file: payload length " + Twine(Len) +
               " does not match the file size " + Twine(Bytes.size()));
  ArrayRef<uint8_t> Payload = Bytes.slice(20, Len);
  std::array<uint8_t, 32> H = sha256(Payload);
  if (std::memcmp(H.data(), Bytes.data() + 20 + Len, 32) != 0)
    return err("program hash mismatch: the file is corrupted or was modified");
  return Payload;
}

Expected<std::array<uint8_t, 32>>
sstat::bc::programHash(ArrayRef<uint8_t> Bytes) {
  auto P = payloadOf(Bytes);
  if (!P)
    return P.takeError();
  return sha256(*P);
}

static Dim readDim(Reader &R) {
  Dim D;
  uint8_t K = R.u8("dimension");
  if (K > Dim::Unknown)
    R.fail("bad dimension kind " + std::to_string(K));
  D.K = Dim::Kind(K > Dim::Unknown ? Dim::Unknown : K);
  D.N = R.i64("dimension");
  D.Table = R.u32("dimension");
  return D;
}

Expected<Program> sstat::bc::load(ArrayRef<uint8_t> Bytes) {
  auto PayloadOr = payloadOf(Bytes);
  if (!PayloadOr)
    return PayloadOr.takeError();
  Reader R(*PayloadOr);
  Program P;
  P.Protocol = R.u8("protocol");
  P.RingBits = R.u16("ring");
  P.FracBits = R.u16("precision");
  P.SafeRows = R.u64("safe row count");
  P.SafeRowsLine = R.u32("safe row count's line");
  P.SourceName = R.str("source name");
  P.Parties = R.strs("parties");
  uint32_t NRoles = R.count("roles", 1);
  for (uint32_t I = 0; I < NRoles && !R.Failed; ++I)
    P.Roles.push_back(R.u8("role"));
  uint32_t NT = R.count("input tables", 16);
  for (uint32_t I = 0; I < NT && !R.Failed; ++I) {
    Table T;
    T.Name = R.str("table name");
    T.Parties = R.strs("table parties");
    T.Key = R.str("table key");
    uint32_t NC = R.count("columns", 26);
    for (uint32_t J = 0; J < NC && !R.Failed; ++J) {
      Column C;
      C.Name = R.str("column name");
      C.Kind = R.u8("column kind");
      C.Lo = R.f64("column range");
      C.Hi = R.f64("column range");
      C.MayBeNA = R.u8("column NA flag") != 0;
      C.Levels = R.strs("factor levels");
      T.Columns.push_back(std::move(C));
    }
    P.Inputs.push_back(std::move(T));
  }
  uint32_t NI = R.count("input references", 8);
  for (uint32_t I = 0; I < NI && !R.Failed; ++I)
    P.InputRefs.push_back({R.u32("input reference"), R.u32("input reference")});
  uint32_t NO = R.count("outputs", 12);
  for (uint32_t I = 0; I < NO && !R.Failed; ++I) {
    Output O;
    O.To = R.strs("recipients");
    O.Label = R.str("output label");
    O.Names = R.strs("output names");
    O.Kind = R.str("output kind");
    O.Meta = R.strs("output metadata");
    P.Outputs.push_back(std::move(O));
  }
  uint32_t NK = R.count("constants", 8);
  for (uint32_t I = 0; I < NK && !R.Failed; ++I)
    P.Consts.push_back(R.f64("constant"));
  uint32_t NR = R.count("registers", 30);
  P.Regs.reserve(NR);
  for (uint32_t I = 0; I < NR && !R.Failed; ++I) {
    RegType T;
    uint8_t S = R.u8("register"), E = R.u8("register");
    if (S > 1 || E > 2)
      R.fail("bad register type in register " + std::to_string(I));
    T.S = Sec(S & 1);
    T.E = Elem(E > 2 ? 0 : E);
    T.Scale = R.u8("register");
    T.Rank = R.u8("register");
    T.D[0] = readDim(R);
    T.D[1] = readDim(R);
    P.Regs.push_back(T);
  }
  uint32_t NA = R.count("argument lists", 4);
  for (uint32_t I = 0; I < NA && !R.Failed; ++I)
    P.Args.push_back(R.u32("argument"));
  uint32_t NC = R.count("instructions", 29);
  P.Code.reserve(NC);
  for (uint32_t I = 0; I < NC && !R.Failed; ++I) {
    Instr In;
    uint8_t Op = R.u8("opcode");
    if (!R.Failed && !opcodeInfo(Op))
      R.fail("unknown opcode 0x" + utohexstr(Op) + " at instruction " +
             std::to_string(I));
    In.Op = Opcode(Op);
    In.D = R.u32("operand");
    In.A = R.u32("operand");
    In.B = R.u32("operand");
    In.C = R.u32("operand");
    In.K = R.i64("operand");
    In.Line = R.u32("line");
    In.Round = R.u32("round");
    In.ProbRows = R.u64("truncation bound");
    P.Code.push_back(In);
  }
  if (R.Failed)
    return err("malformed bytecode: " + R.Why);
  if (R.left() != 0)
    return err("malformed bytecode: " + Twine(R.left()) +
               " unexpected bytes after the instructions");
  if (Error E = verify(P))
    return std::move(E);
  return P;
}

//===----------------------------------------------------------------------===//
// Verifier
//===----------------------------------------------------------------------===//

Error sstat::bc::verify(const Program &P) {
  if (P.Protocol != 1)
    return err("unknown protocol " + Twine(P.Protocol));
  if (P.RingBits != 64 && P.RingBits != 128)
    return err("unsupported ring Z_2^" + Twine(P.RingBits));
  if (P.FracBits == 0 || 2 * P.FracBits >= P.RingBits)
    return err("fixed-point precision " + Twine(P.FracBits) +
               " bits does not fit the ring");
  if (P.Code.empty() || P.Code.back().Op != Opcode::HALT)
    return err("the program does not end with HALT");
  if (P.Roles.size() != P.Parties.size())
    return err("a role is needed for every party");
  for (size_t I = 0; I < P.Roles.size(); ++I)
    if (P.Roles[I] > (RoleOwner | RoleRecipient))
      return err("party '" + P.Parties[I] + "' has an unknown role");
  auto PartyIndex = [&](const std::string &N) -> int {
    for (size_t I = 0; I < P.Parties.size(); ++I)
      if (P.Parties[I] == N)
        return int(I);
    return -1;
  };
  for (const Table &T : P.Inputs)
    for (const std::string &N : T.Parties)
      if (PartyIndex(N) < 0 || !(P.Roles[PartyIndex(N)] & RoleOwner))
        return err("table '" + T.Name + "' is held by '" + N +
                   "', which is not an owner of the program");
  for (const Output &O : P.Outputs)
    for (const std::string &N : O.To)
      if (PartyIndex(N) < 0 || !(P.Roles[PartyIndex(N)] & RoleRecipient))
        return err("an output goes to '" + N +
                   "', which is not a recipient of the program");
  for (size_t T = 0; T < P.Inputs.size(); ++T)
    for (const Column &C : P.Inputs[T].Columns)
      if (C.Kind > 4 || !(C.Lo <= C.Hi) || !std::isfinite(C.Lo) ||
          !std::isfinite(C.Hi))
        return err("bad schema for column '" + C.Name + "' of table '" +
                   P.Inputs[T].Name + "'");
  // Column == the column count is the table's key (when it has one).
  for (const InputRef &R : P.InputRefs)
    if (R.Table >= P.Inputs.size() ||
        R.Column > P.Inputs[R.Table].Columns.size() ||
        (R.Column == P.Inputs[R.Table].Columns.size() &&
         P.Inputs[R.Table].Key.empty()))
      return err("input reference to a column that does not exist");
  for (const Output &O : P.Outputs)
    if (O.To.empty())
      return err("an output without recipients");
  size_t NR = P.Regs.size();
  for (size_t I = 0; I < NR; ++I) {
    const RegType &T = P.Regs[I];
    if (T.Rank > 2 || T.Scale >= P.RingBits / 2 + P.FracBits)
      return err("register " + Twine(I) + " has a bad type");
    for (unsigned K = 0; K < T.Rank; ++K)
      if ((T.D[K].K == Dim::Rows && T.D[K].Table >= P.Inputs.size()) ||
          (T.D[K].K == Dim::Const && (T.D[K].N < 0 || T.D[K].N > (1LL << 40))))
        return err("register " + Twine(I) + " has a bad length");
  }
  for (size_t Pc = 0; Pc < P.Code.size(); ++Pc) {
    const Instr &In = P.Code[Pc];
    const OpcodeInfo *Info = opcodeInfo(uint8_t(In.Op));
    auto Bad = [&](const Twine &Why) {
      return err("instruction " + Twine(Pc) + " (" + (Info ? Info->Name : "?") +
                 "): " + Why);
    };
    if (!Info)
      return Bad("unknown opcode");
    auto Reg = [&](uint32_t R) { return R < NR; };
    auto Target = [&](int64_t K) {
      return K >= 0 && uint64_t(K) < P.Code.size();
    };
    bool UsesD = false, UsesA = false, UsesB = false, UsesC = false;
    switch (Info->Fmt) {
    case Format::D:
      UsesD = true;
      break;
    case Format::DA:
      UsesD = UsesA = true;
      break;
    case Format::DAB:
      UsesD = UsesA = UsesB = true;
      break;
    case Format::DABC:
      UsesD = UsesA = UsesB = UsesC = true;
      break;
    case Format::DK:
      UsesD = true;
      break;
    case Format::DAK:
      UsesD = UsesA = true;
      break;
    case Format::AK:
      UsesA = true;
      break;
    case Format::J:
      break;
    case Format::AJ:
      UsesA = true;
      break;
    case Format::ABJ:
      UsesA = UsesB = true;
      break;
    case Format::DL:
      UsesD = true;
      break;
    }
    if ((UsesD && !Reg(In.D)) || (UsesA && !Reg(In.A)) ||
        (UsesB && !Reg(In.B)) || (UsesC && !Reg(In.C)))
      return Bad("register out of range (the program has " + Twine(NR) +
                 " registers)");
    if (Info->Fmt == Format::J || Info->Fmt == Format::AJ ||
        Info->Fmt == Format::ABJ) {
      if (In.Op != Opcode::HALT && !Target(In.K))
        return Bad("jump outside the code");
    }
    if (Info->Fmt == Format::DL && (uint64_t(In.A) + In.B > P.Args.size()))
      return Bad("argument list outside the argument pool");
    if (Info->Fmt == Format::DL)
      for (uint32_t K = In.A; K < In.A + In.B; ++K)
        if (!Reg(P.Args[K]))
          return Bad("register out of range in the argument list");

    const RegType *TD = UsesD ? &P.Regs[In.D] : nullptr;
    const RegType *TA = UsesA ? &P.Regs[In.A] : nullptr;
    const RegType *TB = UsesB ? &P.Regs[In.B] : nullptr;
    const RegType *TC = UsesC ? &P.Regs[In.C] : nullptr;
    // Only REVEAL (and the public metadata LENGTH) make secrets public.
    bool AnySecret = (TA && TA->S == Sec::Secret) ||
                     (TB && TB->S == Sec::Secret) ||
                     (TC && TC->S == Sec::Secret);
    if (Info->Fmt == Format::DL)
      for (uint32_t K = In.A; K < In.A + In.B; ++K)
        AnySecret |= P.Regs[P.Args[K]].S == Sec::Secret;
    if (TD && AnySecret && TD->S == Sec::Public && In.Op != Opcode::REVEAL &&
        In.Op != Opcode::LENGTH)
      return Bad("a public result from a secret operand");
    switch (In.Op) {
    case Opcode::CONST:
      if (In.K < 0 || uint64_t(In.K) >= P.Consts.size())
        return Bad("constant index out of range");
      if (TD->S != Sec::Public)
        return Bad("a constant is public");
      break;
    case Opcode::INPUT:
    case Opcode::INPUTVALID:
      if (In.K < 0 || uint64_t(In.K) >= P.InputRefs.size())
        return Bad("input reference out of range");
      if (const InputRef &IR = P.InputRefs[size_t(In.K)];
          IR.Column == P.Inputs[IR.Table].Columns.size() &&
          (TD->Rank != 1 || TD->E != Elem::Int))
        return Bad("a key is read as a vector of ints");
      if (TD->S != Sec::Secret)
        return Bad("input data is secret");
      break;
    case Opcode::NROWS:
      if (In.K < 0 || uint64_t(In.K) >= P.Inputs.size())
        return Bad("table index out of range");
      break;
    case Opcode::PUBLISH:
      if (In.K < 0 || uint64_t(In.K) >= P.Outputs.size())
        return Bad("output index out of range");
      break;
    case Opcode::COLUMN:
      if (In.K < 0 || TA->Rank != 2 || TD->Rank != 1)
        return Bad("a column of a matrix, as a vector");
      break;
    case Opcode::BITS: {
      const int64_t Lo = In.K / 1024, N = In.K % 1024;
      if (In.K < 0 || N < 1 || Lo + N > int64_t(P.RingBits) || TA->Rank > 1 ||
          TA->E == Elem::Bool || TD->E != Elem::Int || TD->S != TA->S ||
          TD->Rank != TA->Rank + 1 || TD->D[TA->Rank].K != Dim::Const ||
          TD->D[TA->Rank].N != N)
        return Bad("bits lo .. lo + n - 1 (k = 1024 lo + n, in the ring) of "
                   "an int or fixed-point scalar or vector, as n 0/1 ints "
                   "per element");
      break;
    }
    case Opcode::TRUNC:
      if (In.K <= 0 || In.K > 127 || TA->E != Elem::Fix ||
          int(TD->Scale) != int(TA->Scale) - In.K)
        return Bad("truncation must lower a fixed-point scale by k bits");
      break;
    case Opcode::ADD:
    case Opcode::SUB:
      if (TA->E != TB->E || TA->E != TD->E || TA->Scale != TB->Scale ||
          TA->Scale != TD->Scale)
        return Bad("operands and result need one element type and scale");
      break;
    case Opcode::MUL:
    case Opcode::DOT:
    case Opcode::MATMUL:
      if (TD->E == Elem::Fix && TD->Scale != TA->Scale + TB->Scale)
        return Bad("the result's scale is the sum of the operands' scales");
      break;
    case Opcode::SOLVE:
      if (TA->Rank != 2 || TB->Rank != 2 || TD->Rank != 2 ||
          TA->E != Elem::Fix || TB->E != Elem::Fix || TD->E != Elem::Fix ||
          TA->Scale != TB->Scale || TD->Scale != 2 * TA->Scale ||
          TA->D[0].K != Dim::Const || TA->D[1].K != Dim::Const ||
          TA->D[0].N != TA->D[1].N || TB->D[0].K != Dim::Const ||
          TB->D[0].N != TA->D[0].N || TB->D[1].K != Dim::Const ||
          TD->D[0].K != Dim::Const || TD->D[0].N != TA->D[0].N ||
          TD->D[1].K != Dim::Const || TD->D[1].N != TB->D[1].N + 1 ||
          TA->D[0].N == 0 || TA->D[0].N > 64 || TB->D[1].N > 4096)
        return Bad("solve takes fixed-point a (d x d, 1 <= d <= 64) and b "
                   "(d x m) of one scale to d x (m + 1) at twice that scale");
      break;
    case Opcode::DIV:
      if (TB->S == Sec::Secret)
        return Bad("the divisor must be public");
      break;
    case Opcode::CAST:
      if (TA->S == Sec::Secret && TD->S == Sec::Public)
        return Bad("a cast cannot make a secret public");
      break;
    case Opcode::JUMPIFNOT:
    case Opcode::JUMPIFGT:
      if (TA->S != Sec::Public || (TB && TB->S != Sec::Public))
        return Bad("control flow depends only on public values");
      break;
    case Opcode::INC:
      if (TA->S != Sec::Public || TD->S != Sec::Public || TA->E != Elem::Int)
        return Bad("a loop counter is a public int");
      break;
    default:
      break;
    }
  }
  return Error::success();
}

//===----------------------------------------------------------------------===//
// Disassembler
//===----------------------------------------------------------------------===//

std::string RegType::str(const Program &P) const {
  std::string S = this->S == Sec::Secret ? "s" : "p";
  S += E == Elem::Bool ? "bool" : E == Elem::Int ? "int" : "fix";
  if (E == Elem::Fix)
    S += "<" + std::to_string(Scale) + ">";
  auto DimS = [&](const Dim &D) -> std::string {
    if (D.K == Dim::Const)
      return std::to_string(D.N);
    if (D.K == Dim::Rows && D.Table < P.Inputs.size())
      return "n." + P.Inputs[D.Table].Name;
    return "?";
  };
  if (Rank == 1)
    S += "[" + DimS(D[0]) + "]";
  if (Rank == 2)
    S += "[" + DimS(D[0]) + "x" + DimS(D[1]) + "]";
  return S;
}

std::string sstat::bc::disassemble(const Program &P, StringRef Source) {
  std::vector<StringRef> Lines;
  if (!Source.empty()) {
    SmallVector<StringRef, 64> L;
    Source.split(L, '\n');
    Lines.assign(L.begin(), L.end());
  }
  std::string Out;
  raw_string_ostream OS(Out);
  OS << "; sstat bytecode v" << FormatVersion << ", protocol rep3, ring Z_2^"
     << P.RingBits << ", " << P.FracBits << " fractional bits\n";
  if (P.SafeRows != UINT64_MAX)
    OS << "; every value stays in the ring for tables of up to " << P.SafeRows
       << " rows (line " << P.SafeRowsLine << ")\n";
  OS << "; parties:";
  for (size_t I = 0; I < P.Parties.size(); ++I) {
    OS << " " << P.Parties[I];
    uint8_t R = I < P.Roles.size() ? P.Roles[I] : 0;
    OS << ((R & RoleOwner) && (R & RoleRecipient) ? " (owner, recipient)"
           : (R & RoleOwner)                      ? " (owner)"
           : (R & RoleRecipient)                  ? " (recipient)"
                                                  : "");
    if (I + 1 < P.Parties.size())
      OS << ",";
  }
  OS << "\n; " << P.Regs.size() << " registers, " << P.Code.size()
     << " instructions\n";
  uint32_t LastLine = 0;
  for (size_t Pc = 0; Pc < P.Code.size(); ++Pc) {
    const Instr &In = P.Code[Pc];
    const OpcodeInfo *Info = opcodeInfo(uint8_t(In.Op));
    if (In.Line && In.Line != LastLine && In.Line <= Lines.size()) {
      OS << "; " << In.Line << ": " << Lines[In.Line - 1].trim() << "\n";
      LastLine = In.Line;
    }
    std::string Text;
    raw_string_ostream T(Text);
    T << format_decimal(Pc, 5) << "  " << left_justify(Info->Name, 10);
    auto R = [&](uint32_t X) { return "r" + std::to_string(X); };
    switch (Info->Fmt) {
    case Format::D:
      T << R(In.D);
      break;
    case Format::DA:
      T << R(In.D) << ", " << R(In.A);
      break;
    case Format::DAB:
      T << R(In.D) << ", " << R(In.A) << ", " << R(In.B);
      break;
    case Format::DABC:
      T << R(In.D) << ", " << R(In.A) << ", " << R(In.B) << ", " << R(In.C);
      break;
    case Format::DK:
      T << R(In.D) << ", #" << In.K;
      break;
    case Format::DAK:
      T << R(In.D) << ", " << R(In.A) << ", " << In.K;
      break;
    case Format::AK:
      T << R(In.A) << ", #" << In.K;
      break;
    case Format::J:
      if (In.Op != Opcode::HALT)
        T << "@" << In.K;
      break;
    case Format::AJ:
      T << R(In.A) << ", @" << In.K;
      break;
    case Format::ABJ:
      T << R(In.A) << ", " << R(In.B) << ", @" << In.K;
      break;
    case Format::DL:
      T << R(In.D) << ", (";
      for (uint32_t K = In.A; K < In.A + In.B && K < P.Args.size(); ++K)
        T << (K == In.A ? "" : ", ") << R(P.Args[K]);
      T << ")";
      break;
    }
    // What the operand means, in a comment.
    std::string Note;
    if (In.Op == Opcode::CONST && uint64_t(In.K) < P.Consts.size()) {
      char Buf[40];
      std::snprintf(Buf, sizeof Buf, "%.17g", P.Consts[In.K]);
      Note = Buf;
    } else if ((In.Op == Opcode::INPUT || In.Op == Opcode::INPUTVALID) &&
               uint64_t(In.K) < P.InputRefs.size()) {
      const InputRef &IR = P.InputRefs[In.K];
      const Table &T = P.Inputs[IR.Table];
      Note = T.Name + "$" +
             (IR.Column < T.Columns.size() ? T.Columns[IR.Column].Name
                                           : T.Key + " (key)");
    } else if (In.Op == Opcode::NROWS && uint64_t(In.K) < P.Inputs.size()) {
      Note = "nrow(" + P.Inputs[In.K].Name + ")";
    } else if (In.Op == Opcode::PUBLISH && uint64_t(In.K) < P.Outputs.size()) {
      Note = P.Outputs[In.K].Label + " -> ";
      for (size_t K = 0; K < P.Outputs[In.K].To.size(); ++K)
        Note += (K ? ", " : "") + P.Outputs[In.K].To[K];
    }
    std::string Ty;
    if (Info->Fmt != Format::J && Info->Fmt != Format::AJ &&
        Info->Fmt != Format::ABJ && Info->Fmt != Format::AK &&
        In.D < P.Regs.size())
      Ty = P.Regs[In.D].str(P);
    if (In.Round)
      Note +=
          (Note.empty() ? "" : "  ") + ("round " + std::to_string(In.Round));
    if (In.ProbRows != UINT64_MAX)
      Note += (Note.empty() ? "" : "  ") +
              ("exact beyond " + std::to_string(In.ProbRows) + " rows");
    OS << left_justify(T.str(), 36);
    if (!Ty.empty() || !Note.empty())
      OS << " ; " << Ty << (Ty.empty() || Note.empty() ? "" : "  ") << Note;
    OS << "\n";
  }
  return OS.str();
}
