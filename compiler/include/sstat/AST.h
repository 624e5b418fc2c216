//===- AST.h - The abstract syntax tree of .sstat programs ------*- C++ -*-===//
//
// sstat's own AST. Every node owns its children and carries the source range
// it was parsed from (pointers into the buffer held by llvm::SourceMgr), so
// diagnostics can point at exactly the text they are about. ANTLR types never
// appear here: compiler/lib/Parse/ASTBuilder.cpp is the only place that sees
// the parse tree.
//
// Kinds are dispatched with LLVM-style RTTI (isa/cast/dyn_cast over Kind).
// Parentheses are not nodes: `(a + b) * c` is Mul(Add(a, b), c), and the
// printer puts back the parentheses precedence needs, so parse -> print ->
// parse yields the same tree.
//
//===----------------------------------------------------------------------===//

#ifndef SSTAT_AST_H
#define SSTAT_AST_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Casting.h"
#include "llvm/Support/SMLoc.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace llvm {
class SourceMgr;
}

namespace sstat {

class Expr;
using ExprPtr = std::unique_ptr<Expr>;

/// Operators of UnaryExpr.
enum class UnaryOp { Neg, Plus, Not, Tilde };

/// Operators of BinaryExpr, in R's spelling (see binaryOpSpelling).
enum class BinaryOp {
  Pow,    // ^
  Range,  // :
  Mod,    // %%
  IntDiv, // %/%
  MatMul, // %*%
  In,     // %in%
  Outer,  // %o%
  UserOp, // any other %op%: parsed, rejected by the checker
  Mul,
  Div,
  Add,
  Sub,
  Lt,
  Gt,
  Le,
  Ge,
  Eq,
  Ne,
  And,    // &
  AndAnd, // &&
  Or,     // |
  OrOr,   // ||
  Tilde,  // ~ (a formula)
};

/// Assignment forms. `<<-` and `->>` are parsed so that the checker can say
/// why they are not supported.
enum class AssignOp { Arrow, Equals, RightArrow, SuperArrow, RightSuperArrow };

llvm::StringRef unaryOpSpelling(UnaryOp Op);
llvm::StringRef binaryOpSpelling(BinaryOp Op);
llvm::StringRef assignOpSpelling(AssignOp Op);

/// Binding strength of an operator, following R's ?Syntax table: larger binds
/// tighter. Used by the printer and by tests of the precedence table.
int binaryPrecedence(BinaryOp Op);
int unaryPrecedence(UnaryOp Op);
int assignPrecedence(AssignOp Op);
bool isRightAssociative(BinaryOp Op);
bool isComparison(BinaryOp Op);

class Expr {
public:
  enum Kind {
    NumberKind,
    StringKind,
    ConstKind,
    IdentKind,
    UnaryKind,
    BinaryKind,
    AssignKind,
    CallKind,
    IndexKind,
    DollarKind,
    FunctionKind,
    BlockKind,
    IfKind,
    ForKind,
    WhileKind,
    RepeatKind,
    BreakKind,
    NextKind,
    ErrorKind,
  };

  Expr(Kind K, llvm::SMRange R) : K(K), Range(R) {}
  virtual ~Expr();
  Expr(const Expr &) = delete;
  Expr &operator=(const Expr &) = delete;

  Kind getKind() const { return K; }
  llvm::SMRange getRange() const { return Range; }
  llvm::SMLoc getBeginLoc() const { return Range.Start; }
  /// The source text this node was parsed from.
  llvm::StringRef getSourceText() const;

private:
  Kind K;
  llvm::SMRange Range;
};

/// A numeric literal: `1`, `1.5e-3`, `0x1F` (doubles) and `5L` (integer).
class NumberExpr : public Expr {
public:
  NumberExpr(llvm::SMRange R, double V, bool IsInt)
      : Expr(NumberKind, R), Value(V), IsInteger(IsInt) {}
  double getValue() const { return Value; }
  bool isInteger() const { return IsInteger; }
  static bool classof(const Expr *E) { return E->getKind() == NumberKind; }

private:
  double Value;
  bool IsInteger;
};

/// A string literal; Value holds the decoded characters.
class StringExpr : public Expr {
public:
  StringExpr(llvm::SMRange R, std::string V)
      : Expr(StringKind, R), Value(std::move(V)) {}
  const std::string &getValue() const { return Value; }
  static bool classof(const Expr *E) { return E->getKind() == StringKind; }

private:
  std::string Value;
};

/// TRUE, FALSE, NULL, NA, Inf, NaN.
class ConstExpr : public Expr {
public:
  enum Which { True, False, Null, NA, Inf, NaN };
  ConstExpr(llvm::SMRange R, Which W) : Expr(ConstKind, R), W(W) {}
  Which getWhich() const { return W; }
  static llvm::StringRef spelling(Which W);
  static bool classof(const Expr *E) { return E->getKind() == ConstKind; }

private:
  Which W;
};

/// A name; backquoted names are stored without their backquotes.
class IdentExpr : public Expr {
public:
  IdentExpr(llvm::SMRange R, std::string N)
      : Expr(IdentKind, R), Name(std::move(N)) {}
  const std::string &getName() const { return Name; }
  static bool classof(const Expr *E) { return E->getKind() == IdentKind; }

private:
  std::string Name;
};

class UnaryExpr : public Expr {
public:
  UnaryExpr(llvm::SMRange R, UnaryOp Op, ExprPtr Operand)
      : Expr(UnaryKind, R), Op(Op), Operand(std::move(Operand)) {}
  UnaryOp getOp() const { return Op; }
  const Expr *getOperand() const { return Operand.get(); }
  static bool classof(const Expr *E) { return E->getKind() == UnaryKind; }

private:
  UnaryOp Op;
  ExprPtr Operand;
};

class BinaryExpr : public Expr {
public:
  BinaryExpr(llvm::SMRange R, BinaryOp Op, ExprPtr L, ExprPtr Rhs,
             llvm::SMRange OpRange, std::string UserOpName = {})
      : Expr(BinaryKind, R), Op(Op), LHS(std::move(L)), RHS(std::move(Rhs)),
        OpRange(OpRange), UserOpName(std::move(UserOpName)) {}
  BinaryOp getOp() const { return Op; }
  const Expr *getLHS() const { return LHS.get(); }
  const Expr *getRHS() const { return RHS.get(); }
  llvm::SMRange getOpRange() const { return OpRange; }
  /// The operator as written: `+`, `%in%`, or the user operator's text.
  llvm::StringRef getOpSpelling() const;
  static bool classof(const Expr *E) { return E->getKind() == BinaryKind; }

private:
  BinaryOp Op;
  ExprPtr LHS, RHS;
  llvm::SMRange OpRange;
  std::string UserOpName;
};

/// `target <- value`, `target = value`, `value -> target` (and the
/// unsupported super-assignments). Target and value are stored in the order
/// of their meaning, not of their spelling.
class AssignExpr : public Expr {
public:
  AssignExpr(llvm::SMRange R, AssignOp Op, ExprPtr Target, ExprPtr Value,
             llvm::SMRange OpRange)
      : Expr(AssignKind, R), Op(Op), Target(std::move(Target)),
        Value(std::move(Value)), OpRange(OpRange) {}
  AssignOp getOp() const { return Op; }
  const Expr *getTarget() const { return Target.get(); }
  const Expr *getValue() const { return Value.get(); }
  llvm::SMRange getOpRange() const { return OpRange; }
  static bool classof(const Expr *E) { return E->getKind() == AssignKind; }

private:
  AssignOp Op;
  ExprPtr Target, Value;
  llvm::SMRange OpRange;
};

/// One argument of a call or an index: `expr`, `name = expr`, or empty.
struct Arg {
  std::optional<std::string> Name;
  llvm::SMRange NameRange;
  ExprPtr Value; // null for an empty argument (`x[, 1]`) or `name =`
  llvm::SMRange Range;
};

class CallExpr : public Expr {
public:
  CallExpr(llvm::SMRange R, ExprPtr Callee, std::vector<Arg> Args)
      : Expr(CallKind, R), Callee(std::move(Callee)), Args(std::move(Args)) {}
  const Expr *getCallee() const { return Callee.get(); }
  /// The callee's name when it is a plain identifier, else "".
  llvm::StringRef getCalleeName() const;
  const std::vector<Arg> &getArgs() const { return Args; }
  static bool classof(const Expr *E) { return E->getKind() == CallKind; }

private:
  ExprPtr Callee;
  std::vector<Arg> Args;
};

/// `x[i]`, `x[i, j]`, `x[, "col"]` and `x[[i]]`.
class IndexExpr : public Expr {
public:
  IndexExpr(llvm::SMRange R, ExprPtr Base, std::vector<Arg> Args, bool Double)
      : Expr(IndexKind, R), Base(std::move(Base)), Args(std::move(Args)),
        Double(Double) {}
  const Expr *getBase() const { return Base.get(); }
  const std::vector<Arg> &getArgs() const { return Args; }
  bool isDouble() const { return Double; }
  static bool classof(const Expr *E) { return E->getKind() == IndexKind; }

private:
  ExprPtr Base;
  std::vector<Arg> Args;
  bool Double;
};

/// `x$name`.
class DollarExpr : public Expr {
public:
  DollarExpr(llvm::SMRange R, ExprPtr Base, std::string Name,
             llvm::SMRange NameRange)
      : Expr(DollarKind, R), Base(std::move(Base)), Name(std::move(Name)),
        NameRange(NameRange) {}
  const Expr *getBase() const { return Base.get(); }
  const std::string &getName() const { return Name; }
  llvm::SMRange getNameRange() const { return NameRange; }
  static bool classof(const Expr *E) { return E->getKind() == DollarKind; }

private:
  ExprPtr Base;
  std::string Name;
  llvm::SMRange NameRange;
};

struct Param {
  std::string Name;
  llvm::SMRange Range;
  ExprPtr Default; // may be null
};

class FunctionExpr : public Expr {
public:
  FunctionExpr(llvm::SMRange R, std::vector<Param> Params, ExprPtr Body)
      : Expr(FunctionKind, R), Params(std::move(Params)),
        Body(std::move(Body)) {}
  const std::vector<Param> &getParams() const { return Params; }
  const Expr *getBody() const { return Body.get(); }
  static bool classof(const Expr *E) { return E->getKind() == FunctionKind; }

private:
  std::vector<Param> Params;
  ExprPtr Body;
};

/// `{ a; b }`, and also the whole program (a block without braces).
class BlockExpr : public Expr {
public:
  BlockExpr(llvm::SMRange R, std::vector<ExprPtr> Stmts)
      : Expr(BlockKind, R), Stmts(std::move(Stmts)) {}
  const std::vector<ExprPtr> &getStmts() const { return Stmts; }
  static bool classof(const Expr *E) { return E->getKind() == BlockKind; }

private:
  std::vector<ExprPtr> Stmts;
};

class IfExpr : public Expr {
public:
  IfExpr(llvm::SMRange R, ExprPtr Cond, ExprPtr Then, ExprPtr Else)
      : Expr(IfKind, R), Cond(std::move(Cond)), Then(std::move(Then)),
        Else(std::move(Else)) {}
  const Expr *getCond() const { return Cond.get(); }
  const Expr *getThen() const { return Then.get(); }
  const Expr *getElse() const { return Else.get(); } // may be null
  static bool classof(const Expr *E) { return E->getKind() == IfKind; }

private:
  ExprPtr Cond, Then, Else;
};

class ForExpr : public Expr {
public:
  ForExpr(llvm::SMRange R, std::string Var, llvm::SMRange VarRange,
          ExprPtr Seq, ExprPtr Body)
      : Expr(ForKind, R), Var(std::move(Var)), VarRange(VarRange),
        Seq(std::move(Seq)), Body(std::move(Body)) {}
  const std::string &getVar() const { return Var; }
  llvm::SMRange getVarRange() const { return VarRange; }
  const Expr *getSeq() const { return Seq.get(); }
  const Expr *getBody() const { return Body.get(); }
  static bool classof(const Expr *E) { return E->getKind() == ForKind; }

private:
  std::string Var;
  llvm::SMRange VarRange;
  ExprPtr Seq, Body;
};

class WhileExpr : public Expr {
public:
  WhileExpr(llvm::SMRange R, ExprPtr Cond, ExprPtr Body)
      : Expr(WhileKind, R), Cond(std::move(Cond)), Body(std::move(Body)) {}
  const Expr *getCond() const { return Cond.get(); }
  const Expr *getBody() const { return Body.get(); }
  static bool classof(const Expr *E) { return E->getKind() == WhileKind; }

private:
  ExprPtr Cond, Body;
};

class RepeatExpr : public Expr {
public:
  RepeatExpr(llvm::SMRange R, ExprPtr Body)
      : Expr(RepeatKind, R), Body(std::move(Body)) {}
  const Expr *getBody() const { return Body.get(); }
  static bool classof(const Expr *E) { return E->getKind() == RepeatKind; }

private:
  ExprPtr Body;
};

class BreakExpr : public Expr {
public:
  explicit BreakExpr(llvm::SMRange R) : Expr(BreakKind, R) {}
  static bool classof(const Expr *E) { return E->getKind() == BreakKind; }
};

class NextExpr : public Expr {
public:
  explicit NextExpr(llvm::SMRange R) : Expr(NextKind, R) {}
  static bool classof(const Expr *E) { return E->getKind() == NextKind; }
};

/// Stands in for an expression that failed to parse, so that one syntax error
/// does not hide the others.
class ErrorExpr : public Expr {
public:
  explicit ErrorExpr(llvm::SMRange R) : Expr(ErrorKind, R) {}
  static bool classof(const Expr *E) { return E->getKind() == ErrorKind; }
};

/// A parsed file: its top-level statements.
struct Program {
  std::string FileName;
  unsigned BufferID = 0;
  std::vector<ExprPtr> Stmts;
};

/// Prints \p P as .sstat source with the parentheses that precedence
/// requires; parsing the result gives back the same tree.
std::string printSource(const Program &P);
std::string printSource(const Expr &E);

/// A structural dump, one node per line, without source locations:
/// two trees are equal exactly when their dumps are equal.
/// With \p SM, each node also shows its line:col.
std::string dumpTree(const Program &P, const llvm::SourceMgr *SM = nullptr);

/// Structural equality (ignores source ranges).
bool structurallyEqual(const Expr &A, const Expr &B);
bool structurallyEqual(const Program &A, const Program &B);

} // namespace sstat

#endif // SSTAT_AST_H
