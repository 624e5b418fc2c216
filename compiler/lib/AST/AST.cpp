//===- AST.cpp - Operator tables, the source printer and tree dumps -------===//
//
// The precedence table is R's (?Syntax), larger numbers binding tighter:
//
//   15  $ [ [[ ( )        postfix
//   14  ^                 right to left
//   13  - + (unary)
//   12  :
//   11  %any%
//   10  * /
//    9  + - (binary)
//    8  < > <= >= == !=   non-associative
//    7  !
//    6  & &&
//    5  | ||
//    4  ~ (unary and binary)
//    3  -> ->>            left to right
//    2  <- <<-            right to left
//    1  =                 right to left
//    0  if, for, while, repeat, function (their last operand extends as far
//       as it can)
//
// The printer emits the fewest parentheses that keep the tree: a child is
// parenthesized when it binds more loosely than its position allows, or
// when it is a construct whose last operand extends as far as it can
// (`if`, `function`, unary `!`...) and something follows it.
//
//===----------------------------------------------------------------------===//

#include "sstat/AST.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

using namespace sstat;
using namespace llvm;

Expr::~Expr() = default;

StringRef Expr::getSourceText() const {
  if (!Range.isValid() || Range.End.getPointer() < Range.Start.getPointer())
    return {};
  return StringRef(Range.Start.getPointer(),
                   Range.End.getPointer() - Range.Start.getPointer());
}

StringRef sstat::unaryOpSpelling(UnaryOp Op) {
  switch (Op) {
  case UnaryOp::Neg:
    return "-";
  case UnaryOp::Plus:
    return "+";
  case UnaryOp::Not:
    return "!";
  case UnaryOp::Tilde:
    return "~";
  }
  return "?";
}

StringRef sstat::binaryOpSpelling(BinaryOp Op) {
  switch (Op) {
  case BinaryOp::Pow: return "^";
  case BinaryOp::Range: return ":";
  case BinaryOp::Mod: return "%%";
  case BinaryOp::IntDiv: return "%/%";
  case BinaryOp::MatMul: return "%*%";
  case BinaryOp::In: return "%in%";
  case BinaryOp::Outer: return "%o%";
  case BinaryOp::UserOp: return "%?%";
  case BinaryOp::Mul: return "*";
  case BinaryOp::Div: return "/";
  case BinaryOp::Add: return "+";
  case BinaryOp::Sub: return "-";
  case BinaryOp::Lt: return "<";
  case BinaryOp::Gt: return ">";
  case BinaryOp::Le: return "<=";
  case BinaryOp::Ge: return ">=";
  case BinaryOp::Eq: return "==";
  case BinaryOp::Ne: return "!=";
  case BinaryOp::And: return "&";
  case BinaryOp::AndAnd: return "&&";
  case BinaryOp::Or: return "|";
  case BinaryOp::OrOr: return "||";
  case BinaryOp::Tilde: return "~";
  }
  return "?";
}

StringRef sstat::assignOpSpelling(AssignOp Op) {
  switch (Op) {
  case AssignOp::Arrow: return "<-";
  case AssignOp::Equals: return "=";
  case AssignOp::RightArrow: return "->";
  case AssignOp::SuperArrow: return "<<-";
  case AssignOp::RightSuperArrow: return "->>";
  }
  return "?";
}

StringRef BinaryExpr::getOpSpelling() const {
  if (Op == BinaryOp::UserOp && !UserOpName.empty())
    return UserOpName;
  return binaryOpSpelling(Op);
}

StringRef CallExpr::getCalleeName() const {
  if (auto *I = dyn_cast<IdentExpr>(Callee.get()))
    return I->getName();
  return {};
}

StringRef ConstExpr::spelling(Which W) {
  switch (W) {
  case True: return "TRUE";
  case False: return "FALSE";
  case Null: return "NULL";
  case NA: return "NA";
  case Inf: return "Inf";
  case NaN: return "NaN";
  }
  return "?";
}

enum : int {
  PrecLowest = 0,
  PrecEquals = 1,
  PrecArrow = 2,
  PrecRightArrow = 3,
  PrecTilde = 4,
  PrecOr = 5,
  PrecAnd = 6,
  PrecNot = 7,
  PrecCompare = 8,
  PrecAdd = 9,
  PrecMul = 10,
  PrecSpecial = 11,
  PrecRange = 12,
  PrecSign = 13,
  PrecPow = 14,
  PrecPostfix = 15,
  PrecAtom = 16,
};

int sstat::binaryPrecedence(BinaryOp Op) {
  switch (Op) {
  case BinaryOp::Pow: return PrecPow;
  case BinaryOp::Range: return PrecRange;
  case BinaryOp::Mod:
  case BinaryOp::IntDiv:
  case BinaryOp::MatMul:
  case BinaryOp::In:
  case BinaryOp::Outer:
  case BinaryOp::UserOp: return PrecSpecial;
  case BinaryOp::Mul:
  case BinaryOp::Div: return PrecMul;
  case BinaryOp::Add:
  case BinaryOp::Sub: return PrecAdd;
  case BinaryOp::Lt:
  case BinaryOp::Gt:
  case BinaryOp::Le:
  case BinaryOp::Ge:
  case BinaryOp::Eq:
  case BinaryOp::Ne: return PrecCompare;
  case BinaryOp::And:
  case BinaryOp::AndAnd: return PrecAnd;
  case BinaryOp::Or:
  case BinaryOp::OrOr: return PrecOr;
  case BinaryOp::Tilde: return PrecTilde;
  }
  return PrecLowest;
}

int sstat::unaryPrecedence(UnaryOp Op) {
  switch (Op) {
  case UnaryOp::Neg:
  case UnaryOp::Plus: return PrecSign;
  case UnaryOp::Not: return PrecNot;
  case UnaryOp::Tilde: return PrecTilde;
  }
  return PrecLowest;
}

int sstat::assignPrecedence(AssignOp Op) {
  switch (Op) {
  case AssignOp::Equals: return PrecEquals;
  case AssignOp::Arrow:
  case AssignOp::SuperArrow: return PrecArrow;
  case AssignOp::RightArrow:
  case AssignOp::RightSuperArrow: return PrecRightArrow;
  }
  return PrecLowest;
}

bool sstat::isRightAssociative(BinaryOp Op) { return Op == BinaryOp::Pow; }

bool sstat::isComparison(BinaryOp Op) {
  return binaryPrecedence(Op) == PrecCompare;
}

//===----------------------------------------------------------------------===//
// Source printer
//===----------------------------------------------------------------------===//

namespace {

int precedenceOf(const Expr &E) {
  switch (E.getKind()) {
  case Expr::UnaryKind:
    return unaryPrecedence(cast<UnaryExpr>(E).getOp());
  case Expr::BinaryKind:
    return binaryPrecedence(cast<BinaryExpr>(E).getOp());
  case Expr::AssignKind:
    return assignPrecedence(cast<AssignExpr>(E).getOp());
  case Expr::CallKind:
  case Expr::IndexKind:
  case Expr::DollarKind:
    return PrecPostfix;
  case Expr::FunctionKind:
  case Expr::IfKind:
  case Expr::ForKind:
  case Expr::WhileKind:
  case Expr::RepeatKind:
    return PrecLowest;
  case Expr::NumberKind: {
    // A negative literal cannot come from the parser, but keep it safe.
    return cast<NumberExpr>(E).getValue() < 0 ? PrecSign : PrecAtom;
  }
  case Expr::StringKind:
  case Expr::ConstKind:
  case Expr::IdentKind:
  case Expr::BlockKind:
  case Expr::BreakKind:
  case Expr::NextKind:
  case Expr::ErrorKind:
    return PrecAtom;
  }
  return PrecAtom;
}

bool isEqualsAssign(const Expr &E) {
  auto *A = dyn_cast<AssignExpr>(&E);
  return A && A->getOp() == AssignOp::Equals;
}

/// Prefix forms: constructs that start with a keyword or operator and end
/// with an operand that extends as far as it can (`!x`, `if (c) a`, ...).
/// As the last thing in their context they need no parentheses.
bool isPrefixForm(const Expr &E) {
  switch (E.getKind()) {
  case Expr::UnaryKind:
  case Expr::FunctionKind:
  case Expr::IfKind:
  case Expr::ForKind:
  case Expr::WhileKind:
  case Expr::RepeatKind:
    return true;
  default:
    return false;
  }
}

/// Whether E, printed, may end with an `if` that has no `else` (so an
/// `else` printed after it would attach to the wrong `if`).
bool endsWithElselessIf(const Expr &E) {
  switch (E.getKind()) {
  case Expr::IfKind: {
    const auto &I = cast<IfExpr>(E);
    return !I.getElse() || endsWithElselessIf(*I.getElse());
  }
  case Expr::UnaryKind:
    return endsWithElselessIf(*cast<UnaryExpr>(E).getOperand());
  case Expr::BinaryKind:
    return endsWithElselessIf(*cast<BinaryExpr>(E).getRHS());
  case Expr::AssignKind: {
    const auto &A = cast<AssignExpr>(E);
    return endsWithElselessIf(A.getOp() == AssignOp::RightArrow ||
                                      A.getOp() == AssignOp::RightSuperArrow
                                  ? *A.getTarget()
                                  : *A.getValue());
  }
  case Expr::FunctionKind:
    return endsWithElselessIf(*cast<FunctionExpr>(E).getBody());
  case Expr::ForKind:
    return endsWithElselessIf(*cast<ForExpr>(E).getBody());
  case Expr::WhileKind:
    return endsWithElselessIf(*cast<WhileExpr>(E).getBody());
  case Expr::RepeatKind:
    return endsWithElselessIf(*cast<RepeatExpr>(E).getBody());
  default:
    return false;
  }
}

std::string formatNumber(double V, bool IsInt) {
  if (std::isinf(V))
    return V > 0 ? "Inf" : "-Inf";
  if (std::isnan(V))
    return "NaN";
  char Buf[64];
  for (int Prec = 15; Prec <= 17; ++Prec) {
    std::snprintf(Buf, sizeof Buf, "%.*g", Prec, V);
    if (std::strtod(Buf, nullptr) == V)
      break;
  }
  std::string S = Buf;
  if (IsInt)
    S += "L";
  return S;
}

std::string quoteString(StringRef S) {
  std::string Out = "\"";
  for (unsigned char C : S) {
    switch (C) {
    case '"': Out += "\\\""; break;
    case '\\': Out += "\\\\"; break;
    case '\n': Out += "\\n"; break;
    case '\t': Out += "\\t"; break;
    case '\r': Out += "\\r"; break;
    case '\0': Out += "\\0"; break;
    default:
      if (C < 0x20 || C == 0x7f) {
        char Buf[8];
        std::snprintf(Buf, sizeof Buf, "\\x%02x", C);
        Out += Buf;
      } else {
        Out += char(C);
      }
    }
  }
  return Out + "\"";
}

bool isSyntacticName(StringRef N) {
  static const char *Reserved[] = {"if",   "else", "repeat", "while", "function",
                                   "for",  "in",   "next",   "break", "TRUE",
                                   "FALSE", "NULL", "Inf",   "NaN",   "NA"};
  if (N.empty())
    return false;
  for (const char *R : Reserved)
    if (N == R)
      return false;
  char C0 = N[0];
  if (!(isalpha((unsigned char)C0) || C0 == '.'))
    return false;
  if (C0 == '.' && N.size() > 1 && isdigit((unsigned char)N[1]))
    return false;
  for (char C : N)
    if (!(isalnum((unsigned char)C) || C == '.' || C == '_'))
      return false;
  return true;
}

std::string nameText(StringRef N) {
  if (isSyntacticName(N))
    return N.str();
  return "`" + N.str() + "`";
}

class Printer {
public:
  explicit Printer(raw_ostream &OS) : OS(OS) {}

  /// Prints \p E where the context requires binding strength \p MinPrec
  /// (a child binding more loosely is parenthesized). \p Tail says nothing
  /// follows E in its context, so an open-ended construct needs no parens.
  void print(const Expr &E, int MinPrec, bool Tail) {
    bool Paren = precedenceOf(E) < MinPrec && !(Tail && isPrefixForm(E));
    if (Paren) {
      OS << "(";
      printBare(E, true);
      OS << ")";
    } else {
      printBare(E, Tail);
    }
  }

  void printStmts(const std::vector<ExprPtr> &Stmts) {
    for (const ExprPtr &S : Stmts) {
      indent();
      print(*S, PrecLowest, true);
      OS << "\n";
    }
  }

private:
  void indent() {
    for (unsigned I = 0; I < Depth; ++I)
      OS << "  ";
  }

  void printArgs(const std::vector<Arg> &Args) {
    bool First = true;
    for (const Arg &A : Args) {
      if (!First)
        OS << ", ";
      First = false;
      if (A.Name)
        OS << nameText(*A.Name) << (A.Value ? " = " : " =");
      if (A.Value) {
        // `f((a = 1))` is a positional assignment, not a named argument.
        int Min = isEqualsAssign(*A.Value) ? PrecAtom : PrecLowest;
        print(*A.Value, Min, true);
      }
    }
  }

  void printBare(const Expr &E, bool Tail) {
    switch (E.getKind()) {
    case Expr::NumberKind: {
      const auto &N = cast<NumberExpr>(E);
      OS << formatNumber(N.getValue(), N.isInteger());
      return;
    }
    case Expr::StringKind:
      OS << quoteString(cast<StringExpr>(E).getValue());
      return;
    case Expr::ConstKind:
      OS << ConstExpr::spelling(cast<ConstExpr>(E).getWhich());
      return;
    case Expr::IdentKind:
      OS << nameText(cast<IdentExpr>(E).getName());
      return;
    case Expr::UnaryKind: {
      const auto &U = cast<UnaryExpr>(E);
      OS << unaryOpSpelling(U.getOp());
      const Expr &X = *U.getOperand();
      // Avoid `--x` reading as one token: R has none, but keep it legible.
      if (U.getOp() == UnaryOp::Tilde)
        OS << " ";
      print(X, unaryPrecedence(U.getOp()), Tail);
      return;
    }
    case Expr::BinaryKind: {
      const auto &B = cast<BinaryExpr>(E);
      int P = binaryPrecedence(B.getOp());
      bool Right = isRightAssociative(B.getOp());
      bool NonAssoc = isComparison(B.getOp());
      print(*B.getLHS(), Right || NonAssoc ? P + 1 : P, false);
      BinaryOp Op = B.getOp();
      if (Op == BinaryOp::Pow || Op == BinaryOp::Range)
        OS << B.getOpSpelling();
      else
        OS << " " << B.getOpSpelling() << " ";
      print(*B.getRHS(), Right ? P : P + 1, Tail);
      return;
    }
    case Expr::AssignKind: {
      const auto &A = cast<AssignExpr>(E);
      int P = assignPrecedence(A.getOp());
      if (A.getOp() == AssignOp::RightArrow ||
          A.getOp() == AssignOp::RightSuperArrow) {
        print(*A.getValue(), P, false);
        OS << " " << assignOpSpelling(A.getOp()) << " ";
        print(*A.getTarget(), P + 1, Tail);
      } else {
        print(*A.getTarget(), P + 1, false);
        OS << " " << assignOpSpelling(A.getOp()) << " ";
        print(*A.getValue(), P, Tail);
      }
      return;
    }
    case Expr::CallKind: {
      const auto &C = cast<CallExpr>(E);
      print(*C.getCallee(), PrecPostfix, false);
      OS << "(";
      printArgs(C.getArgs());
      OS << ")";
      return;
    }
    case Expr::IndexKind: {
      const auto &I = cast<IndexExpr>(E);
      print(*I.getBase(), PrecPostfix, false);
      OS << (I.isDouble() ? "[[" : "[");
      printArgs(I.getArgs());
      OS << (I.isDouble() ? "]]" : "]");
      return;
    }
    case Expr::DollarKind: {
      const auto &D = cast<DollarExpr>(E);
      print(*D.getBase(), PrecPostfix, false);
      OS << "$" << nameText(D.getName());
      return;
    }
    case Expr::FunctionKind: {
      const auto &F = cast<FunctionExpr>(E);
      OS << "function(";
      bool First = true;
      for (const Param &P : F.getParams()) {
        if (!First)
          OS << ", ";
        First = false;
        OS << nameText(P.Name);
        if (P.Default) {
          OS << " = ";
          print(*P.Default, isEqualsAssign(*P.Default) ? PrecAtom : PrecLowest,
                true);
        }
      }
      OS << ") ";
      print(*F.getBody(), PrecLowest, Tail);
      return;
    }
    case Expr::BlockKind: {
      const auto &B = cast<BlockExpr>(E);
      OS << "{\n";
      ++Depth;
      printStmts(B.getStmts());
      --Depth;
      indent();
      OS << "}";
      return;
    }
    case Expr::IfKind: {
      const auto &I = cast<IfExpr>(E);
      OS << "if (";
      print(*I.getCond(), PrecArrow, true); // `=` only in parentheses
      OS << ") ";
      if (I.getElse()) {
        print(*I.getThen(), endsWithElselessIf(*I.getThen()) ? PrecAtom
                                                              : PrecLowest,
              false);
        OS << " else ";
        print(*I.getElse(), PrecLowest, Tail);
      } else {
        print(*I.getThen(), PrecLowest, Tail);
      }
      return;
    }
    case Expr::ForKind: {
      const auto &F = cast<ForExpr>(E);
      OS << "for (" << nameText(F.getVar()) << " in ";
      print(*F.getSeq(), PrecArrow, true);
      OS << ") ";
      print(*F.getBody(), PrecLowest, Tail);
      return;
    }
    case Expr::WhileKind: {
      const auto &W = cast<WhileExpr>(E);
      OS << "while (";
      print(*W.getCond(), PrecArrow, true);
      OS << ") ";
      print(*W.getBody(), PrecLowest, Tail);
      return;
    }
    case Expr::RepeatKind:
      OS << "repeat ";
      print(*cast<RepeatExpr>(E).getBody(), PrecLowest, Tail);
      return;
    case Expr::BreakKind:
      OS << "break";
      return;
    case Expr::NextKind:
      OS << "next";
      return;
    case Expr::ErrorKind:
      OS << "<error>";
      return;
    }
  }

  raw_ostream &OS;
  unsigned Depth = 0;
};

//===----------------------------------------------------------------------===//
// Tree dump
//===----------------------------------------------------------------------===//

class Dumper {
public:
  Dumper(raw_ostream &OS, const SourceMgr *SM) : OS(OS), SM(SM) {}

  void dump(const Expr *E, unsigned D, StringRef Label = {}) {
    for (unsigned I = 0; I < D; ++I)
      OS << "  ";
    if (!Label.empty())
      OS << Label << ": ";
    if (!E) {
      OS << "<empty>\n";
      return;
    }
    switch (E->getKind()) {
    case Expr::NumberKind: {
      const auto &N = *cast<NumberExpr>(E);
      OS << (N.isInteger() ? "Int " : "Num ")
         << formatNumber(N.getValue(), false);
      break;
    }
    case Expr::StringKind:
      OS << "String " << quoteString(cast<StringExpr>(E)->getValue());
      break;
    case Expr::ConstKind:
      OS << "Const " << ConstExpr::spelling(cast<ConstExpr>(E)->getWhich());
      break;
    case Expr::IdentKind:
      OS << "Ident " << cast<IdentExpr>(E)->getName();
      break;
    case Expr::UnaryKind:
      OS << "Unary " << unaryOpSpelling(cast<UnaryExpr>(E)->getOp());
      break;
    case Expr::BinaryKind:
      OS << "Binary " << cast<BinaryExpr>(E)->getOpSpelling();
      break;
    case Expr::AssignKind:
      OS << "Assign " << assignOpSpelling(cast<AssignExpr>(E)->getOp());
      break;
    case Expr::CallKind:
      OS << "Call";
      break;
    case Expr::IndexKind:
      OS << (cast<IndexExpr>(E)->isDouble() ? "Index2" : "Index");
      break;
    case Expr::DollarKind:
      OS << "Dollar " << cast<DollarExpr>(E)->getName();
      break;
    case Expr::FunctionKind:
      OS << "Function";
      break;
    case Expr::BlockKind:
      OS << "Block";
      break;
    case Expr::IfKind:
      OS << "If";
      break;
    case Expr::ForKind:
      OS << "For " << cast<ForExpr>(E)->getVar();
      break;
    case Expr::WhileKind:
      OS << "While";
      break;
    case Expr::RepeatKind:
      OS << "Repeat";
      break;
    case Expr::BreakKind:
      OS << "Break";
      break;
    case Expr::NextKind:
      OS << "Next";
      break;
    case Expr::ErrorKind:
      OS << "Error";
      break;
    }
    if (SM && E->getRange().isValid()) {
      auto LC = SM->getLineAndColumn(E->getBeginLoc());
      OS << " <" << LC.first << ":" << LC.second << ">";
    }
    OS << "\n";
    children(E, D + 1);
  }

private:
  void args(const std::vector<Arg> &As, unsigned D) {
    for (const Arg &A : As) {
      std::string L = A.Name ? "arg " + *A.Name : "arg";
      dump(A.Value.get(), D, L);
    }
  }

  void children(const Expr *E, unsigned D) {
    switch (E->getKind()) {
    case Expr::UnaryKind:
      dump(cast<UnaryExpr>(E)->getOperand(), D);
      return;
    case Expr::BinaryKind:
      dump(cast<BinaryExpr>(E)->getLHS(), D);
      dump(cast<BinaryExpr>(E)->getRHS(), D);
      return;
    case Expr::AssignKind:
      dump(cast<AssignExpr>(E)->getTarget(), D, "target");
      dump(cast<AssignExpr>(E)->getValue(), D, "value");
      return;
    case Expr::CallKind:
      dump(cast<CallExpr>(E)->getCallee(), D, "callee");
      args(cast<CallExpr>(E)->getArgs(), D);
      return;
    case Expr::IndexKind:
      dump(cast<IndexExpr>(E)->getBase(), D, "base");
      args(cast<IndexExpr>(E)->getArgs(), D);
      return;
    case Expr::DollarKind:
      dump(cast<DollarExpr>(E)->getBase(), D);
      return;
    case Expr::FunctionKind:
      for (const Param &P : cast<FunctionExpr>(E)->getParams()) {
        if (P.Default)
          dump(P.Default.get(), D, "param " + P.Name + " =");
        else {
          for (unsigned I = 0; I < D; ++I)
            OS << "  ";
          OS << "param " << P.Name << "\n";
        }
      }
      dump(cast<FunctionExpr>(E)->getBody(), D, "body");
      return;
    case Expr::BlockKind:
      for (const ExprPtr &S : cast<BlockExpr>(E)->getStmts())
        dump(S.get(), D);
      return;
    case Expr::IfKind:
      dump(cast<IfExpr>(E)->getCond(), D, "cond");
      dump(cast<IfExpr>(E)->getThen(), D, "then");
      if (cast<IfExpr>(E)->getElse())
        dump(cast<IfExpr>(E)->getElse(), D, "else");
      return;
    case Expr::ForKind:
      dump(cast<ForExpr>(E)->getSeq(), D, "seq");
      dump(cast<ForExpr>(E)->getBody(), D, "body");
      return;
    case Expr::WhileKind:
      dump(cast<WhileExpr>(E)->getCond(), D, "cond");
      dump(cast<WhileExpr>(E)->getBody(), D, "body");
      return;
    case Expr::RepeatKind:
      dump(cast<RepeatExpr>(E)->getBody(), D, "body");
      return;
    case Expr::NumberKind:
    case Expr::StringKind:
    case Expr::ConstKind:
    case Expr::IdentKind:
    case Expr::BreakKind:
    case Expr::NextKind:
    case Expr::ErrorKind:
      return;
    }
  }

  raw_ostream &OS;
  const SourceMgr *SM;
};

} // namespace

std::string sstat::printSource(const Program &P) {
  std::string S;
  raw_string_ostream OS(S);
  Printer(OS).printStmts(P.Stmts);
  return OS.str();
}

std::string sstat::printSource(const Expr &E) {
  std::string S;
  raw_string_ostream OS(S);
  Printer(OS).print(E, PrecLowest, true);
  return OS.str();
}

std::string sstat::dumpTree(const Program &P, const SourceMgr *SM) {
  std::string S;
  raw_string_ostream OS(S);
  Dumper D(OS, SM);
  OS << "Program\n";
  for (const ExprPtr &E : P.Stmts)
    D.dump(E.get(), 1);
  return OS.str();
}

bool sstat::structurallyEqual(const Expr &A, const Expr &B) {
  Program PA, PB;
  // Dump without locations: equal dumps mean equal trees. (Numbers print
  // with round-trip precision, strings fully escaped.)
  std::string SA, SB;
  raw_string_ostream OA(SA), OB(SB);
  Dumper(OA, nullptr).dump(&A, 0);
  Dumper(OB, nullptr).dump(&B, 0);
  return OA.str() == OB.str();
}

bool sstat::structurallyEqual(const Program &A, const Program &B) {
  return dumpTree(A) == dumpTree(B);
}
