//===- Bytecode.h - sstat's vectorized register bytecode --------*- C++ -*-===//
//
// What the parties run. A Program holds the parameters every party must
// agree on (protocol, ring, fixed-point precision, parties, input schemas,
// output recipients), a typed register file (registers hold whole vectors),
// pools of constants and names, and the instructions (Opcodes.def).
//
// The `.sbc` file:
//
//   "SSTATBC\0"  magic (8 bytes)
//   u32          format version (1)
//   u64          payload length
//   payload      every section above, little-endian, length-prefixed
//   32 bytes     SHA-256 of the payload: the program hash parties compare
//
// load() rejects anything malformed -- bad magic or version, a truncated or
// oversized file, a hash mismatch, an unknown opcode, an out-of-range
// register, pool index or jump target, a type rule broken -- with a clear
// error, never a crash: every field is checked before use.
//
//===----------------------------------------------------------------------===//

#ifndef SSTAT_BYTECODE_BYTECODE_H
#define SSTAT_BYTECODE_BYTECODE_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace sstat::bc {

enum class Opcode : uint8_t {
#define OPCODE(Name, Code, Format, Semantics) Name = Code,
#include "sstat/Bytecode/Opcodes.def"
#undef OPCODE
};

enum class Format : uint8_t { D, DA, DAB, DABC, DK, DAK, AK, J, AJ, ABJ, DL };

struct OpcodeInfo {
  const char *Name;
  uint8_t Code;
  Format Fmt;
  const char *Semantics;
};
/// The opcode's entry in Opcodes.def, or null for an unknown code.
const OpcodeInfo *opcodeInfo(uint8_t Code);
const std::vector<OpcodeInfo> &allOpcodes();

enum class Sec : uint8_t { Public = 0, Secret = 1 };
enum class Elem : uint8_t { Bool = 0, Int = 1, Fix = 2 };

/// A length in a register type: constant, the row count of input table
/// `Table`, or known only at run time.
struct Dim {
  enum Kind : uint8_t { Const = 0, Rows = 1, Unknown = 2 };
  Kind K = Unknown;
  int64_t N = 0;      // Const
  uint32_t Table = 0; // Rows
};

struct RegType {
  Sec S = Sec::Public;
  Elem E = Elem::Int;
  uint8_t Scale = 0;
  uint8_t Rank = 0;
  Dim D[2];
  std::string str(const struct Program &P) const;
};

struct Instr {
  Opcode Op = Opcode::HALT;
  uint32_t D = 0, A = 0, B = 0, C = 0;
  int64_t K = 0;
  uint32_t Line = 0; // source line, 0 if none
  /// The communication round the scheduler gave an interactive instruction
  /// (1-based within its block; 0: none). Consecutive instructions of one
  /// round are independent, so the VM sends for all of them before
  /// receiving for any: one network round.
  uint32_t Round = 0;
  /// TRUNC and DIV of a secret: the most rows (of the largest input table)
  /// for which ABY3's one-round truncation of the operand fails with
  /// probability at most 2^-40, by the range analysis; with more rows the
  /// VM truncates exactly (bit decomposition). UINT64_MAX: no bound needed
  /// or none known.
  uint64_t ProbRows = UINT64_MAX;
};

struct Column {
  std::string Name;
  uint8_t Kind = 0; // 0 num, 1 int, 2 bool, 3 factor, 4 key
  double Lo = 0, Hi = 0;
  bool MayBeNA = false;
  std::vector<std::string> Levels;
};

struct Table {
  std::string Name;
  std::vector<std::string> Parties;
  std::string Key;
  std::vector<Column> Columns;
};

/// An INPUT operand: column Column of table Table.
struct InputRef {
  uint32_t Table = 0, Column = 0;
};

/// A PUBLISH operand: who receives it, and what it is (the source text).
struct Output {
  std::vector<std::string> To;
  std::string Label;
  std::vector<std::string> Names; // element names, e.g. c(mean = m, sd = s)
  /// What the values are, for the recipient's printing: "" (a value as
  /// is), or a model result such as "summary.lm" whose layout and
  /// post-processing docs/bytecode.md describes; Meta carries its public
  /// strings (e.g. the call).
  std::string Kind;
  std::vector<std::string> Meta;
};

/// What a party does in a program (bits of Program::Roles).
enum Role : uint8_t {
  RoleOwner = 1,     // holds rows of an input table
  RoleRecipient = 2, // receives a published result
};

struct Program {
  uint8_t Protocol = 1; // 1: rep3
  uint16_t RingBits = 64;
  uint16_t FracBits = 16;
  /// The most rows an input table may have for every value to stay in the
  /// ring, by the compiler's range analysis (IR/Range.h); the parties refuse
  /// larger tables before computing. UINT64_MAX: no bound is needed.
  uint64_t SafeRows = UINT64_MAX;
  /// The source line of the value that sets SafeRows (0: none).
  uint32_t SafeRowsLine = 0;
  std::vector<std::string> Parties;
  std::vector<uint8_t> Roles; // one per party: RoleOwner | RoleRecipient
  std::vector<Table> Inputs;
  std::vector<InputRef> InputRefs;
  std::vector<Output> Outputs;
  std::vector<double> Consts;
  std::vector<RegType> Regs;
  std::vector<uint32_t> Args;
  std::vector<Instr> Code;
  std::string SourceName;
};

inline constexpr char Magic[8] = {'S', 'S', 'T', 'A', 'T', 'B', 'C', '\0'};
inline constexpr uint32_t FormatVersion = 4;

/// The whole .sbc file: magic, version, payload and its SHA-256.
std::vector<uint8_t> serialize(const Program &P);
/// Parses and verifies a .sbc file.
llvm::Expected<Program> load(llvm::ArrayRef<uint8_t> Bytes);
/// The SHA-256 in a valid file (what parties compare), or an error.
llvm::Expected<std::array<uint8_t, 32>>
programHash(llvm::ArrayRef<uint8_t> Bytes);
/// Checks every instruction's fields, pools, jumps and type rules.
llvm::Error verify(const Program &P);
/// A readable listing; with \p Source, each line shows its source line.
std::string disassemble(const Program &P, llvm::StringRef Source = {});
/// Lowercase hex of a hash.
std::string hexDigest(const std::array<uint8_t, 32> &H);

} // namespace sstat::bc

#endif // SSTAT_BYTECODE_BYTECODE_H
