//===- IR.h - sstat's SSA intermediate representation -----------*- C++ -*-===//
//
// SSA over typed values. A value's type is a security label (public or
// secret), an element type (bool, int, or fixed point with a scale in
// fractional bits) and a shape (scalar, vector, matrix, with lengths that
// are constants, named run-time values such as the row count of an input
// table, or unknown). Control flow is structured: `for` and `if` ops own
// regions (one block each, ending in `yield`); loop-carried values are
// block arguments, as in MLIR's scf dialect. A 1,000-iteration loop stays
// one op.
//
// A module holds `main` and the functions it calls. A function's
// parameters are its block's arguments and its results what its final
// `yield` gives back; like MLIR's func, it is isolated from above (its
// body uses only its own values). The lowerer makes one function per
// specialization of a stdlib or user function (docs/architecture.md); the
// `inline` pass replaces every `call` by the callee's body, so the passes
// after it and the backends see `main` alone.
//
// Ops are declared once in Ops.def. The textual form (Printer.cpp) parses
// back (Parser.cpp); the verifier (Verifier.cpp) runs between passes.
//
//===----------------------------------------------------------------------===//

#ifndef SSTAT_IR_IR_H
#define SSTAT_IR_IR_H

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/SMLoc.h"

#include <cstdint>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <string>
#include <variant>
#include <vector>

namespace llvm {
class raw_ostream;
}

namespace sstat::ir {

enum class Sec : uint8_t { Public, Secret };
enum class Elem : uint8_t { Bool, Int, Fix };

/// A length: constant, a named public run-time value (`n.patients`), or
/// unknown until run time.
struct Dim {
  enum Kind : uint8_t { Const, Sym, Unknown };
  Kind K = Unknown;
  int64_t N = 0;
  std::string Name;
  static Dim constant(int64_t N) { return {Const, N, {}}; }
  static Dim sym(std::string S) { return {Sym, 0, std::move(S)}; }
  static Dim unknown() { return {}; }
  bool operator==(const Dim &O) const {
    return K == O.K && N == O.N && Name == O.Name;
  }
  bool operator!=(const Dim &O) const { return !(*this == O); }
};

struct Type {
  Sec S = Sec::Public;
  Elem E = Elem::Fix;
  uint8_t Scale = 0; // fractional bits of a fixed-point value
  uint8_t Rank = 0;  // 0 scalar, 1 vector, 2 matrix
  Dim D[2];

  static Type scalar(Sec S, Elem E, unsigned Scale = 0) {
    Type T;
    T.S = S;
    T.E = E;
    T.Scale = uint8_t(Scale);
    return T;
  }
  static Type vector(Sec S, Elem E, unsigned Scale, Dim Len) {
    Type T = scalar(S, E, Scale);
    T.Rank = 1;
    T.D[0] = std::move(Len);
    return T;
  }
  static Type matrix(Sec S, Elem E, unsigned Scale, Dim R, Dim C) {
    Type T = scalar(S, E, Scale);
    T.Rank = 2;
    T.D[0] = std::move(R);
    T.D[1] = std::move(C);
    return T;
  }
  bool isSecret() const { return S == Sec::Secret; }
  Type withSec(Sec X) const {
    Type T = *this;
    T.S = X;
    return T;
  }
  bool operator==(const Type &O) const {
    return S == O.S && E == O.E && Scale == O.Scale && Rank == O.Rank &&
           (Rank < 1 || D[0] == O.D[0]) && (Rank < 2 || D[1] == O.D[1]);
  }
  bool operator!=(const Type &O) const { return !(*this == O); }
  /// `sfix<16>[n.t]`, `pint`, `sbool[3x2]`.
  std::string str() const;
};

enum class OpCode : uint16_t {
#define IROP(Enum, Mnemonic, NOps, NRes, NRegions, Traits, Doc) Enum,
#include "sstat/IR/Ops.def"
#undef IROP
};

enum OpTrait : unsigned {
  Pure = 1,
  Elementwise = 2,
  Terminator = 4,
  Commutative = 8,
};

struct OpInfo {
  const char *Mnemonic;
  int NumOperands; // -1: variadic
  int NumResults;  // -1: variadic
  int NumRegions;
  unsigned Traits;
  const char *Doc;
};
const OpInfo &opInfo(OpCode C);
/// The opcode with this mnemonic, or false.
bool opCodeFromMnemonic(llvm::StringRef M, OpCode &Out);

class Op;
class Block;
class Region;

/// An SSA value: an op result or a block argument.
class Value {
public:
  Value(Type T, Op *Def, unsigned Index, Block *Owner)
      : Ty(std::move(T)), DefOp(Def), Index(Index), OwnerBlock(Owner) {}
  const Type &type() const { return Ty; }
  void setType(Type T) { Ty = std::move(T); }
  /// The defining op; null for a block argument.
  Op *def() const { return DefOp; }
  unsigned index() const { return Index; }
  /// For a block argument: its block.
  Block *ownerBlock() const { return OwnerBlock; }
  /// The ops that use this value, once per use.
  const std::vector<Op *> &users() const { return Users; }
  bool hasUses() const { return !Users.empty(); }
  /// Replaces every use of this value by \p New.
  void replaceAllUsesWith(Value *New);
  /// A name hint from the source (`x`), used by the printer.
  std::string Hint;

private:
  friend class Op;
  Type Ty;
  Op *DefOp;
  unsigned Index;
  Block *OwnerBlock;
  std::vector<Op *> Users;
};

using Attr =
    std::variant<int64_t, double, std::string, std::vector<std::string>>;

class Op {
public:
  Op(OpCode C, llvm::SMLoc Loc) : Code(C), Loc(Loc) {}
  ~Op();
  Op(const Op &) = delete;
  Op &operator=(const Op &) = delete;

  OpCode code() const { return Code; }
  const OpInfo &info() const { return opInfo(Code); }
  bool hasTrait(OpTrait T) const { return info().Traits & T; }
  llvm::SMLoc loc() const { return Loc; }
  void setLoc(llvm::SMLoc L) { Loc = L; }

  unsigned numOperands() const { return unsigned(Operands.size()); }
  Value *operand(unsigned I) const { return Operands[I]; }
  const std::vector<Value *> &operands() const { return Operands; }
  void addOperand(Value *V);
  void setOperand(unsigned I, Value *V);
  void dropOperands();

  unsigned numResults() const { return unsigned(Results.size()); }
  Value *result(unsigned I = 0) const { return Results[I].get(); }
  Value *addResult(Type T);

  unsigned numRegions() const { return unsigned(Regions.size()); }
  Region &region(unsigned I) { return *Regions[I]; }
  const Region &region(unsigned I) const { return *Regions[I]; }
  Region &addRegion();

  /// Attributes, by name (ordered: printing is deterministic).
  std::map<std::string, Attr> Attrs;
  bool hasAttr(const std::string &N) const { return Attrs.count(N); }
  int64_t intAttr(const std::string &N) const;
  double numAttr(const std::string &N) const;
  const std::string &strAttr(const std::string &N) const;

  Block *parentBlock() const { return Parent; }

private:
  friend class Block;
  OpCode Code;
  llvm::SMLoc Loc;
  /// This op's position in its block's list (std::list iterators are
  /// stable), so that erasing and inserting are O(1).
  std::list<std::unique_ptr<Op>>::iterator Self;
  std::vector<Value *> Operands;
  std::vector<std::unique_ptr<Value>> Results;
  std::vector<std::unique_ptr<Region>> Regions;
  Block *Parent = nullptr;
};

class Block {
public:
  explicit Block(Region *Parent) : ParentRegion(Parent) {}
  ~Block();

  Value *addArgument(Type T);
  unsigned numArguments() const { return unsigned(Args.size()); }
  Value *argument(unsigned I) const { return Args[I].get(); }

  using OpList = std::list<std::unique_ptr<Op>>;
  OpList &ops() { return Ops; }
  const OpList &ops() const { return Ops; }
  /// Appends \p O; returns it.
  Op *append(std::unique_ptr<Op> O);
  /// Inserts \p O before \p Before.
  Op *insertBefore(Op *Before, std::unique_ptr<Op> O);
  /// Removes and destroys \p O, which must have no used results.
  void erase(Op *O);
  /// Detaches \p O from this block and hands it over (to insert elsewhere).
  std::unique_ptr<Op> remove(Op *O);
  /// The op that ends the block (a yield), or null.
  Op *terminator() const;
  Region *parentRegion() const { return ParentRegion; }

private:
  Region *ParentRegion;
  std::vector<std::unique_ptr<Value>> Args;
  OpList Ops;
};

class Region {
public:
  explicit Region(Op *Parent) : ParentOp(Parent), Body(this) {}
  Block &block() { return Body; }
  const Block &block() const { return Body; }
  Op *parentOp() const { return ParentOp; }

private:
  Op *ParentOp;
  Block Body;
};

/// One input table, as declared by input_table().
struct InputTable {
  std::string Name;
  std::vector<std::string> Parties;
  std::string Key;
  struct Column {
    std::string Name;
    std::string Kind; // num, int, bool, factor, key
    double Lo = 0, Hi = 0;
    std::vector<std::string> Levels;
    bool MayBeNA = false; // declared with na = TRUE
  };
  std::vector<Column> Columns;
};

/// A function called by `call` ops: parameters (its block's arguments),
/// a body ending in `yield` of its results.
class Function {
public:
  explicit Function(std::string Name) : Name(std::move(Name)), Body(nullptr) {}
  /// Without the '@'; unique in the module, never "main".
  std::string Name;
  std::vector<Type> ResultTypes;
  /// `inline_loc = "call"`: inlined ops take the call's source location
  /// (stdlib code is attributed to the user's call).
  std::map<std::string, Attr> Attrs;
  Region &body() { return Body; }
  const Region &body() const { return Body; }
  Block &block() { return Body.block(); }
  const Block &block() const { return Body.block(); }

private:
  Region Body;
};

/// A whole program: its parameters, inputs, the functions `main` calls
/// (before inlining) and the body of `main`.
class Module {
public:
  Module() : Body(nullptr) {}
  unsigned RingBits = 64;
  unsigned FracBits = 16;
  std::vector<std::string> Parties;
  std::vector<InputTable> Inputs;
  Region &body() { return Body; }
  const Region &body() const { return Body; }
  std::string FileName;
  /// In printing order: a function is printed (and defined) before main.
  std::vector<std::unique_ptr<Function>> Functions;
  Function *function(llvm::StringRef Name) const;
  Function &addFunction(std::string Name);

private:
  Region Body;
};

/// Maps a value of the original to its copy while cloning.
using ValueMap = std::map<const Value *, Value *>;
/// A copy of \p O (operands mapped through \p VM, or kept when not in it;
/// regions copied recursively); its results are added to \p VM.
std::unique_ptr<Op> cloneOp(const Op &O, ValueMap &VM);

/// Calls \p F on every op, outer before inner, in program order.
void walk(Block &B, const std::function<void(Op &)> &F);

/// Prints the module in its textual form.
void print(const Module &M, llvm::raw_ostream &OS);
std::string toString(const Module &M);

} // namespace sstat::ir

#endif // SSTAT_IR_IR_H
