//===- ASTBuilder.cpp - From ANTLR's parse tree to sstat's AST ------------===//
//
// The only file that sees ANTLR's parse tree. It runs the generated lexer
// and parser (with the TokenFilter between them for R's newline rules),
// turns syntax errors into sstat diagnostics with R-like wording
// ("unexpected 'else'", "unexpected end of input"), and converts the tree
// into AST nodes whose source ranges point into the SourceMgr's buffer.
//
// After a syntax error ANTLR's recovery leaves contexts with missing
// children; every accessor here is checked and a missing part becomes an
// ErrorExpr, so one error does not hide the next.
//
// Rules the grammar cannot express are checked here: comparison operators
// do not chain (R's %nonassoc), string escapes, number literals, and the
// unsupported super-assignments `<<-` / `->>`.
//
//===----------------------------------------------------------------------===//

#include "sstat/Parser.h"

#include "SStatLexer.h"
#include "SStatParser.h"
#include "TokenFilter.h"

#include "llvm/Support/ConvertUTF.h"
#include "llvm/Support/MemoryBuffer.h"

#include <cerrno>
#include <climits>
#include <cmath>
#include <cstdlib>

using namespace sstat;
using namespace llvm;
using P = sstat::grammar::SStatParser;
using L = sstat::grammar::SStatLexer;

namespace {

/// Describes a token the way R's parser does in "unexpected ..." messages.
std::string describeToken(const antlr4::Token *T) {
  if (!T)
    return "input";
  switch (T->getType()) {
  case antlr4::Token::EOF:
    return "end of input";
  case L::NL:
    return "end of line";
  case L::ID:
    return "symbol '" + T->getText() + "'";
  case L::NUMBER:
    return "numeric constant '" + T->getText() + "'";
  case L::STRING:
    return "string constant";
  default:
    return "'" + T->getText() + "'";
  }
}

class Builder {
public:
  Builder(SourceMgr &SM, unsigned BufID, DiagnosticEngine &Diags)
      : Diags(Diags), Buf(SM.getMemoryBuffer(BufID)->getBuffer()) {
    // ANTLR indexes characters by code point; map them back to bytes.
    for (size_t I = 0; I < Buf.size(); ++I)
      if ((unsigned char)Buf[I] >= 0x80) {
        NonAscii = true;
        break;
      }
    if (NonAscii) {
      for (size_t I = 0; I < Buf.size(); ++I)
        if (((unsigned char)Buf[I] & 0xC0) != 0x80)
          CodePointToByte.push_back(I);
      CodePointToByte.push_back(Buf.size());
    }
  }

  SMLoc locOfIndex(size_t CP) const {
    size_t Byte = CP;
    if (NonAscii)
      Byte = CP < CodePointToByte.size() ? CodePointToByte[CP] : Buf.size();
    if (Byte > Buf.size())
      Byte = Buf.size();
    return SMLoc::getFromPointer(Buf.data() + Byte);
  }

  SMRange rangeOf(const antlr4::Token *T) const {
    if (!T || T->getType() == antlr4::Token::EOF) {
      SMLoc E = SMLoc::getFromPointer(Buf.data() + Buf.size());
      return SMRange(E, E);
    }
    return SMRange(locOfIndex(T->getStartIndex()),
                   locOfIndex(T->getStopIndex() + 1));
  }

  SMRange rangeOf(antlr4::ParserRuleContext *C) const {
    if (!C || !C->getStart())
      return SMRange();
    antlr4::Token *Start = C->getStart(), *Stop = C->getStop();
    SMLoc B = rangeOf(Start).Start;
    if (!Stop || Stop->getStopIndex() + 1 < Start->getStartIndex())
      return SMRange(B, B);
    return SMRange(B, rangeOf(Stop).End);
  }

  SMRange rangeOf(antlr4::tree::TerminalNode *N) const {
    return N ? rangeOf(N->getSymbol()) : SMRange();
  }

  std::unique_ptr<Program> build(P::ProgContext *Prog);

  void lexError(const antlr4::Token &T) {
    SMRange R = rangeOf(&T);
    if (T.getType() == L::UNTERMINATED_STRING) {
      Diags.report(R.Start, diag::err_unterminated_string)
          << SMRange(R.Start, SMLoc::getFromPointer(R.Start.getPointer() + 1));
      return;
    }
    Diags.report(R, diag::err_bad_char) << T.getText();
  }

  DiagnosticEngine &diags() { return Diags; }
  bool HadSyntaxError = false;

private:
  void checkEqualsAssignAllowed(P::EqAssignExprContext *C);
  ExprPtr expr(P::ExprContext *C);
  ExprPtr exprOrError(P::ExprContext *C, SMRange Near);
  ExprPtr binary(P::ExprContext *C, BinaryOp Op, P::ExprContext *LHS,
                 P::ExprContext *RHS, antlr4::Token *OpTok,
                 std::string UserName = {});
  ExprPtr assign(P::ExprContext *C, AssignOp Op, P::ExprContext *Target,
                 P::ExprContext *Value, antlr4::Token *OpTok);
  std::vector<Arg> args(P::SublistContext *C);
  std::vector<ExprPtr> exprList(P::ExprlistContext *C);
  ExprPtr number(antlr4::Token *T);
  ExprPtr string(antlr4::Token *T);
  std::string decodeString(antlr4::Token *T);
  std::string identName(antlr4::Token *T);
  void checkNotChained(P::ExprContext *Operand, antlr4::Token *OpTok);

  DiagnosticEngine &Diags;
  StringRef Buf;
  bool NonAscii = false;
  std::vector<size_t> CodePointToByte;
};

/// Reports ANTLR's syntax errors in R's words.
class ErrorListener : public antlr4::BaseErrorListener {
public:
  explicit ErrorListener(Builder &B) : B(B) {}
  void syntaxError(antlr4::Recognizer *Rec, antlr4::Token *Offending, size_t,
                   size_t, const std::string &Msg,
                   std::exception_ptr) override {
    SMRange R = B.rangeOf(Offending);
    // Several recovery attempts can land on the same token; report once.
    if (Offending && Offending->getTokenIndex() == LastIndex)
      return;
    if (Offending)
      LastIndex = Offending->getTokenIndex();
    std::string What = describeToken(Offending);
    StringRef M(Msg);
    if (M.startswith("missing ")) {
      StringRef Missing = M.drop_front(8);
      Missing = Missing.substr(0, Missing.find(" at "));
      if (Missing == "<EOF>") {
        B.diags().report(R, diag::err_unexpected) << What;
        return;
      }
      B.diags().report(R.Start, diag::err_unexpected_expected) << What
                                                              << Missing.str();
      return;
    }
    auto *Parser = dynamic_cast<antlr4::Parser *>(Rec);
    if (Parser) {
      antlr4::misc::IntervalSet Exp;
      try {
        Exp = Parser->getExpectedTokens();
      } catch (...) {
      }
      if (Exp.size() == 1 && Exp.getSingleElement() != ssize_t(antlr4::Token::EOF)) {
        std::string Name =
            Parser->getVocabulary().getDisplayName(Exp.getSingleElement());
        B.diags().report(R, diag::err_unexpected_expected) << What << Name;
        return;
      }
    }
    B.diags().report(R, diag::err_unexpected) << What;
  }

private:
  Builder &B;
  size_t LastIndex = size_t(-1);
};

} // namespace

std::unique_ptr<Program> Builder::build(P::ProgContext *Prog) {
  auto Out = std::make_unique<Program>();
  if (!Prog)
    return Out;
  for (P::StmtContext *S : Prog->stmt())
    if (S && S->expr())
      Out->Stmts.push_back(exprOrError(S->expr(), rangeOf(S)));
  return Out;
}

std::vector<ExprPtr> Builder::exprList(P::ExprlistContext *C) {
  std::vector<ExprPtr> Out;
  if (!C)
    return Out;
  for (P::ExprContext *E : C->expr())
    Out.push_back(exprOrError(E, rangeOf(C)));
  return Out;
}

ExprPtr Builder::exprOrError(P::ExprContext *C, SMRange Near) {
  if (C && C->getStart())
    if (ExprPtr E = expr(C))
      return E;
  SMRange R = C ? rangeOf(C) : Near;
  if (!R.isValid())
    R = Near;
  return std::make_unique<ErrorExpr>(R);
}

std::string Builder::identName(antlr4::Token *T) {
  std::string S = T->getText();
  if (S.size() >= 2 && S.front() == '`' && S.back() == '`')
    return S.substr(1, S.size() - 2);
  return S;
}

ExprPtr Builder::number(antlr4::Token *T) {
  std::string Text = T->getText();
  SMRange R = rangeOf(T);
  bool IsInt = false;
  if (!Text.empty() && Text.back() == 'L') {
    IsInt = true;
    Text.pop_back();
  }
  double V;
  if (Text.size() > 2 && Text[0] == '0' && (Text[1] == 'x' || Text[1] == 'X')) {
    V = 0;
    for (char Ch : StringRef(Text).drop_front(2))
      V = V * 16 + (isdigit((unsigned char)Ch) ? Ch - '0'
                                                : (tolower(Ch) - 'a' + 10));
  } else {
    errno = 0;
    char *End = nullptr;
    V = std::strtod(Text.c_str(), &End);
    if (!End || *End != '\0') {
      Diags.report(R, diag::err_bad_number) << T->getText();
      return std::make_unique<ErrorExpr>(R);
    }
  }
  if (IsInt) {
    // R: `1.5L` warns and gives a double; `1e3L` is the integer 1000.
    if (V != std::floor(V)) {
      Diags.report(R, diag::err_bad_number) << T->getText();
      return std::make_unique<ErrorExpr>(R);
    }
    if (V > double(INT_MAX)) {
      Diags.report(R, diag::err_int_too_large) << T->getText();
      return std::make_unique<ErrorExpr>(R);
    }
  }
  return std::make_unique<NumberExpr>(R, V, IsInt);
}

static void appendUTF8(std::string &Out, uint32_t CP) {
  char Tmp[8];
  char *Ptr = Tmp;
  if (!ConvertCodePointToUTF8(CP, Ptr))
    return;
  Out.append(Tmp, Ptr);
}

std::string Builder::decodeString(antlr4::Token *T) {
  SMRange R = rangeOf(T);
  StringRef Raw(R.Start.getPointer(), R.End.getPointer() - R.Start.getPointer());
  if (Raw.size() < 2)
    return {};
  StringRef Body = Raw.drop_front().drop_back();
  std::string Out;
  for (size_t I = 0; I < Body.size(); ++I) {
    char C = Body[I];
    if (C != '\\') {
      Out += C;
      continue;
    }
    const char *EscStart = Body.data() + I;
    if (I + 1 >= Body.size())
      break;
    char E = Body[++I];
    switch (E) {
    case 'n': Out += '\n'; break;
    case 't': Out += '\t'; break;
    case 'r': Out += '\r'; break;
    case 'a': Out += '\a'; break;
    case 'b': Out += '\b'; break;
    case 'f': Out += '\f'; break;
    case 'v': Out += '\v'; break;
    case '\\': Out += '\\'; break;
    case '"': Out += '"'; break;
    case '\'': Out += '\''; break;
    case '`': Out += '`'; break;
    case ' ': Out += ' '; break;
    case '\n': Out += '\n'; break;
    case '0': case '1': case '2': case '3':
    case '4': case '5': case '6': case '7': {
      // Octal: up to three digits, as in R.
      unsigned V = 0, N = 0;
      size_t J = I;
      while (J < Body.size() && N < 3 && Body[J] >= '0' && Body[J] <= '7') {
        V = V * 8 + unsigned(Body[J] - '0');
        ++J;
        ++N;
      }
      SMLoc L = SMLoc::getFromPointer(EscStart);
      if (V == 0 || V > 0xFF) {
        Diags.report(L, V == 0 ? diag::err_nul_in_string : diag::err_bad_escape)
            << StringRef(EscStart, Body.data() + J - EscStart)
            << SMRange(L, SMLoc::getFromPointer(Body.data() + J));
      } else {
        Out += char(V);
      }
      I = J - 1;
      break;
    }
    case 'x':
    case 'u':
    case 'U': {
      unsigned MaxDigits = E == 'x' ? 2 : E == 'u' ? 4 : 8;
      bool Braced = E != 'x' && I + 1 < Body.size() && Body[I + 1] == '{';
      size_t J = I + 1 + (Braced ? 1 : 0);
      uint32_t CP = 0;
      unsigned N = 0;
      while (J < Body.size() && N < MaxDigits && isxdigit((unsigned char)Body[J])) {
        char D = Body[J];
        CP = CP * 16 + (isdigit((unsigned char)D) ? D - '0' : tolower(D) - 'a' + 10);
        ++J;
        ++N;
      }
      bool Ok = N > 0;
      if (Braced) {
        if (J < Body.size() && Body[J] == '}')
          ++J;
        else
          Ok = false;
      }
      if (Ok && CP == 0) {
        SMLoc L = SMLoc::getFromPointer(EscStart);
        Diags.report(L, diag::err_nul_in_string)
            << SMRange(L, SMLoc::getFromPointer(Body.data() + J));
      } else if (!Ok || CP > 0x10FFFF || (CP >= 0xD800 && CP <= 0xDFFF)) {
        SMLoc L = SMLoc::getFromPointer(EscStart);
        Diags.report(L, diag::err_bad_escape)
            << StringRef(EscStart, Body.data() + J - EscStart)
            << SMRange(L, SMLoc::getFromPointer(Body.data() + J));
      } else if (E == 'x') {
        Out += char(CP);
      } else {
        appendUTF8(Out, CP);
      }
      I = J - 1;
      break;
    }
    default: {
      SMLoc L = SMLoc::getFromPointer(EscStart);
      // An escaped multi-byte character: show it whole.
      size_t Len = 2;
      while (I + 1 < Body.size() && ((unsigned char)Body[I + 1] & 0xC0) == 0x80) {
        ++I;
        ++Len;
      }
      Diags.report(L, diag::err_bad_escape)
          << StringRef(EscStart, Len)
          << SMRange(L, SMLoc::getFromPointer(EscStart + Len));
      break;
    }
    }
  }
  return Out;
}

ExprPtr Builder::string(antlr4::Token *T) {
  return std::make_unique<StringExpr>(rangeOf(T), decodeString(T));
}

std::vector<Arg> Builder::args(P::SublistContext *C) {
  std::vector<Arg> Out;
  if (!C)
    return Out;
  std::vector<P::SubContext *> Subs = C->sub();
  // `f()` parses as one empty argument: that is no argument at all.
  if (Subs.size() == 1 && dynamic_cast<P::EmptySubContext *>(Subs[0]))
    return Out;
  for (P::SubContext *S : Subs) {
    Arg A;
    A.Range = rangeOf(S);
    if (auto *N = dynamic_cast<P::NamedSubContext *>(S)) {
      if (N->name) {
        A.Name = N->name->getType() == L::STRING ? decodeString(N->name)
                 : N->name->getType() == L::ID   ? identName(N->name)
                                                 : N->name->getText();
        A.NameRange = rangeOf(N->name);
      }
      if (N->expr())
        A.Value = exprOrError(N->expr(), A.Range);
    } else if (auto *Pl = dynamic_cast<P::PlainSubContext *>(S)) {
      A.Value = exprOrError(Pl->expr(), A.Range);
    } else {
      // Empty: `x[, 1]`. Point at the comma position.
      if (!A.Range.isValid()) {
        SMLoc L = rangeOf(S->getStart()).Start;
        A.Range = SMRange(L, L);
      }
    }
    Out.push_back(std::move(A));
  }
  return Out;
}

void Builder::checkNotChained(P::ExprContext *Operand, antlr4::Token *OpTok) {
  // Look at the parse tree, not the AST: `(a < b) < c` is fine in R.
  if (auto *Cmp = dynamic_cast<P::CmpExprContext *>(Operand)) {
    Diags.report(rangeOf(OpTok), diag::err_chained_comparison)
        << rangeOf(Cmp->op);
    Diags.report(rangeOf(OpTok).Start, diag::note_chained_comparison);
  }
}

ExprPtr Builder::binary(P::ExprContext *C, BinaryOp Op, P::ExprContext *LHS,
                        P::ExprContext *RHS, antlr4::Token *OpTok,
                        std::string UserName) {
  SMRange R = rangeOf(C);
  ExprPtr A = exprOrError(LHS, R), B = exprOrError(RHS, R);
  if (isComparison(Op) && OpTok) {
    // R declares comparisons %nonassoc: `a < b < c` is a syntax error.
    checkNotChained(LHS, OpTok);
    checkNotChained(RHS, OpTok);
  }
  return std::make_unique<BinaryExpr>(R, Op, std::move(A), std::move(B),
                                      rangeOf(OpTok), std::move(UserName));
}

ExprPtr Builder::assign(P::ExprContext *C, AssignOp Op, P::ExprContext *Target,
                        P::ExprContext *Value, antlr4::Token *OpTok) {
  SMRange R = rangeOf(C);
  if (Op == AssignOp::SuperArrow || Op == AssignOp::RightSuperArrow) {
    Diags.report(rangeOf(OpTok), diag::err_super_assign) << OpTok->getText();
    Diags.report(rangeOf(OpTok).Start, diag::note_super_assign);
  }
  ExprPtr T = exprOrError(Target, R), V = exprOrError(Value, R);
  return std::make_unique<AssignExpr>(R, Op, std::move(T), std::move(V),
                                      rangeOf(OpTok));
}

/// In R's grammar `=` assigns only where a statement may stand: at the top
/// level, in braces and parentheses, and as the body of if/else, loops and
/// functions (gram.y's expr_or_assign_or_help). Elsewhere, e.g. in
/// `if (x = 1)`, R reports "unexpected '='" -- and it is usually a typo
/// for `==`.
void Builder::checkEqualsAssignAllowed(P::EqAssignExprContext *C) {
  antlr4::tree::ParseTree *Parent = C->parent;
  auto Is = [&](P::ExprContext *E) { return E == C; };
  bool Ok = false;
  if (dynamic_cast<P::StmtContext *>(Parent) ||
      dynamic_cast<P::ExprlistContext *>(Parent) ||
      dynamic_cast<P::ParenExprContext *>(Parent) ||
      dynamic_cast<P::RepeatExprContext *>(Parent) ||
      dynamic_cast<P::FunctionExprContext *>(Parent))
    Ok = true;
  else if (auto *Eq = dynamic_cast<P::EqAssignExprContext *>(Parent))
    Ok = Is(Eq->expr(1));
  else if (auto *If = dynamic_cast<P::IfExprContext *>(Parent))
    Ok = !Is(If->expr(0));
  else if (auto *W = dynamic_cast<P::WhileExprContext *>(Parent))
    Ok = Is(W->expr(1));
  else if (auto *F = dynamic_cast<P::ForExprContext *>(Parent))
    Ok = Is(F->expr(1));
  if (Ok || !C->EQ_ASSIGN())
    return;
  SMRange R = rangeOf(C->EQ_ASSIGN());
  Diags.report(R, diag::err_unexpected) << "'='";
  Diags.report(R.Start, diag::note_equals_assign);
}

static BinaryOp specialOp(StringRef S, bool &Known) {
  Known = true;
  if (S == "%%")
    return BinaryOp::Mod;
  if (S == "%/%")
    return BinaryOp::IntDiv;
  if (S == "%*%")
    return BinaryOp::MatMul;
  if (S == "%in%")
    return BinaryOp::In;
  if (S == "%o%")
    return BinaryOp::Outer;
  Known = false;
  return BinaryOp::UserOp;
}

ExprPtr Builder::expr(P::ExprContext *C) {
  SMRange R = rangeOf(C);
  if (auto *X = dynamic_cast<P::DollarExprContext *>(C)) {
    ExprPtr Base = exprOrError(X->expr(), R);
    antlr4::Token *NameTok = X->ID() ? X->ID()->getSymbol()
                             : X->STRING() ? X->STRING()->getSymbol()
                                           : nullptr;
    if (!NameTok)
      return std::make_unique<ErrorExpr>(R);
    std::string Name = NameTok->getType() == L::STRING ? decodeString(NameTok)
                                                       : identName(NameTok);
    return std::make_unique<DollarExpr>(R, std::move(Base), std::move(Name),
                                        rangeOf(NameTok));
  }
  if (auto *X = dynamic_cast<P::Index2ExprContext *>(C))
    return std::make_unique<IndexExpr>(R, exprOrError(X->expr(), R),
                                       args(X->sublist()), true);
  if (auto *X = dynamic_cast<P::Index1ExprContext *>(C))
    return std::make_unique<IndexExpr>(R, exprOrError(X->expr(), R),
                                       args(X->sublist()), false);
  if (auto *X = dynamic_cast<P::CallExprContext *>(C)) {
    ExprPtr Callee = exprOrError(X->expr(), R);
    std::vector<Arg> As = args(X->sublist());
    // After a syntax error, recovery can leave empty arguments behind: do
    // not report those as a second error.
    if (!HadSyntaxError)
      for (const Arg &A : As)
        if (!A.Name && !A.Value)
          Diags.report(A.Range.Start, diag::err_empty_argument);
    return std::make_unique<CallExpr>(R, std::move(Callee), std::move(As));
  }
  if (auto *X = dynamic_cast<P::PowExprContext *>(C))
    return binary(C, BinaryOp::Pow, X->expr(0), X->expr(1),
                  X->CARET() ? X->CARET()->getSymbol() : nullptr);
  if (auto *X = dynamic_cast<P::SignExprContext *>(C)) {
    UnaryOp Op = X->op && X->op->getType() == L::MINUS ? UnaryOp::Neg
                                                       : UnaryOp::Plus;
    return std::make_unique<UnaryExpr>(R, Op, exprOrError(X->expr(), R));
  }
  if (auto *X = dynamic_cast<P::RangeExprContext *>(C))
    return binary(C, BinaryOp::Range, X->expr(0), X->expr(1),
                  X->COLON() ? X->COLON()->getSymbol() : nullptr);
  if (auto *X = dynamic_cast<P::SpecialExprContext *>(C)) {
    antlr4::Token *Tok = X->SPECIAL() ? X->SPECIAL()->getSymbol() : nullptr;
    bool Known = true;
    std::string Text = Tok ? Tok->getText() : "%%";
    BinaryOp Op = specialOp(Text, Known);
    if (!Known) {
      Diags.report(rangeOf(Tok), diag::err_unknown_operator) << Text;
      Diags.report(rangeOf(Tok).Start, diag::note_known_operators);
    }
    return binary(C, Op, X->expr(0), X->expr(1), Tok, Known ? "" : Text);
  }
  if (auto *X = dynamic_cast<P::MulExprContext *>(C))
    return binary(C,
                  X->op && X->op->getType() == L::SLASH ? BinaryOp::Div
                                                        : BinaryOp::Mul,
                  X->expr(0), X->expr(1), X->op);
  if (auto *X = dynamic_cast<P::AddExprContext *>(C))
    return binary(C,
                  X->op && X->op->getType() == L::MINUS ? BinaryOp::Sub
                                                        : BinaryOp::Add,
                  X->expr(0), X->expr(1), X->op);
  if (auto *X = dynamic_cast<P::CmpExprContext *>(C)) {
    BinaryOp Op = BinaryOp::Eq;
    switch (X->op ? X->op->getType() : L::EQ) {
    case L::LT: Op = BinaryOp::Lt; break;
    case L::GT: Op = BinaryOp::Gt; break;
    case L::LE: Op = BinaryOp::Le; break;
    case L::GE: Op = BinaryOp::Ge; break;
    case L::NE: Op = BinaryOp::Ne; break;
    default: Op = BinaryOp::Eq; break;
    }
    return binary(C, Op, X->expr(0), X->expr(1), X->op);
  }
  if (auto *X = dynamic_cast<P::NotExprContext *>(C))
    return std::make_unique<UnaryExpr>(R, UnaryOp::Not,
                                       exprOrError(X->expr(), R));
  if (auto *X = dynamic_cast<P::AndExprContext *>(C))
    return binary(C,
                  X->op && X->op->getType() == L::AND2 ? BinaryOp::AndAnd
                                                       : BinaryOp::And,
                  X->expr(0), X->expr(1), X->op);
  if (auto *X = dynamic_cast<P::OrExprContext *>(C))
    return binary(C,
                  X->op && X->op->getType() == L::OR2 ? BinaryOp::OrOr
                                                      : BinaryOp::Or,
                  X->expr(0), X->expr(1), X->op);
  if (auto *X = dynamic_cast<P::TildeUnaryExprContext *>(C))
    return std::make_unique<UnaryExpr>(R, UnaryOp::Tilde,
                                       exprOrError(X->expr(), R));
  if (auto *X = dynamic_cast<P::TildeExprContext *>(C))
    return binary(C, BinaryOp::Tilde, X->expr(0), X->expr(1),
                  X->TILDE() ? X->TILDE()->getSymbol() : nullptr);
  if (auto *X = dynamic_cast<P::RightAssignExprContext *>(C)) {
    AssignOp Op = X->op && X->op->getType() == L::RIGHT_SUPER_ASSIGN
                      ? AssignOp::RightSuperArrow
                      : AssignOp::RightArrow;
    return assign(C, Op, X->expr(1), X->expr(0), X->op);
  }
  if (auto *X = dynamic_cast<P::LeftAssignExprContext *>(C)) {
    AssignOp Op = X->op && X->op->getType() == L::SUPER_ASSIGN
                      ? AssignOp::SuperArrow
                      : AssignOp::Arrow;
    return assign(C, Op, X->expr(0), X->expr(1), X->op);
  }
  if (auto *X = dynamic_cast<P::EqAssignExprContext *>(C)) {
    checkEqualsAssignAllowed(X);
    return assign(C, AssignOp::Equals, X->expr(0), X->expr(1),
                  X->EQ_ASSIGN() ? X->EQ_ASSIGN()->getSymbol() : nullptr);
  }
  if (auto *X = dynamic_cast<P::FunctionExprContext *>(C)) {
    std::vector<Param> Params;
    if (X->formlist())
      for (P::FormalContext *F : X->formlist()->formal()) {
        if (!F->ID())
          continue;
        Param Pm;
        Pm.Name = identName(F->ID()->getSymbol());
        Pm.Range = rangeOf(F->ID());
        for (const Param &Prev : Params)
          if (Prev.Name == Pm.Name)
            Diags.report(Pm.Range, diag::err_dup_formal) << Pm.Name;
        if (F->expr())
          Pm.Default = exprOrError(F->expr(), Pm.Range);
        Params.push_back(std::move(Pm));
      }
    return std::make_unique<FunctionExpr>(R, std::move(Params),
                                          exprOrError(X->expr(), R));
  }
  if (auto *X = dynamic_cast<P::IfExprContext *>(C)) {
    std::vector<P::ExprContext *> Es = X->expr();
    ExprPtr Cond = exprOrError(Es.size() > 0 ? Es[0] : nullptr, R);
    ExprPtr Then = exprOrError(Es.size() > 1 ? Es[1] : nullptr, R);
    ExprPtr Else;
    if (X->KW_ELSE())
      Else = exprOrError(Es.size() > 2 ? Es[2] : nullptr, R);
    return std::make_unique<IfExpr>(R, std::move(Cond), std::move(Then),
                                    std::move(Else));
  }
  if (auto *X = dynamic_cast<P::ForExprContext *>(C)) {
    std::vector<P::ExprContext *> Es = X->expr();
    std::string Var = X->ID() ? identName(X->ID()->getSymbol()) : "";
    return std::make_unique<ForExpr>(
        R, Var, rangeOf(X->ID()), exprOrError(Es.size() > 0 ? Es[0] : nullptr, R),
        exprOrError(Es.size() > 1 ? Es[1] : nullptr, R));
  }
  if (auto *X = dynamic_cast<P::WhileExprContext *>(C)) {
    std::vector<P::ExprContext *> Es = X->expr();
    return std::make_unique<WhileExpr>(
        R, exprOrError(Es.size() > 0 ? Es[0] : nullptr, R),
        exprOrError(Es.size() > 1 ? Es[1] : nullptr, R));
  }
  if (auto *X = dynamic_cast<P::RepeatExprContext *>(C))
    return std::make_unique<RepeatExpr>(R, exprOrError(X->expr(), R));
  if (auto *X = dynamic_cast<P::BlockExprContext *>(C))
    return std::make_unique<BlockExpr>(R, exprList(X->exprlist()));
  if (auto *X = dynamic_cast<P::ParenExprContext *>(C))
    return exprOrError(X->expr(), R);
  if (dynamic_cast<P::BreakExprContext *>(C))
    return std::make_unique<BreakExpr>(R);
  if (dynamic_cast<P::NextExprContext *>(C))
    return std::make_unique<NextExpr>(R);
  if (auto *X = dynamic_cast<P::IdExprContext *>(C))
    return X->ID() ? std::make_unique<IdentExpr>(R, identName(X->ID()->getSymbol()))
                   : nullptr;
  if (auto *X = dynamic_cast<P::NumberExprContext *>(C))
    return X->NUMBER() ? number(X->NUMBER()->getSymbol()) : nullptr;
  if (auto *X = dynamic_cast<P::StringExprContext *>(C))
    return X->STRING() ? string(X->STRING()->getSymbol()) : nullptr;
  if (auto *X = dynamic_cast<P::ConstExprContext *>(C)) {
    if (!X->constant)
      return nullptr;
    ConstExpr::Which W = ConstExpr::Null;
    switch (X->constant->getType()) {
    case L::KW_TRUE: W = ConstExpr::True; break;
    case L::KW_FALSE: W = ConstExpr::False; break;
    case L::KW_NA: W = ConstExpr::NA; break;
    case L::KW_INF: W = ConstExpr::Inf; break;
    case L::KW_NAN: W = ConstExpr::NaN; break;
    default: W = ConstExpr::Null; break;
    }
    return std::make_unique<ConstExpr>(R, W);
  }
  return nullptr;
}

std::unique_ptr<Program> sstat::parseBuffer(SourceMgr &SM, unsigned BufferID,
                                            DiagnosticEngine &Diags) {
  const MemoryBuffer *MB = SM.getMemoryBuffer(BufferID);
  StringRef Text = MB->getBuffer();
  // ANTLR decodes UTF-8 up front and throws on bad input: check it first.
  const UTF8 *Begin = reinterpret_cast<const UTF8 *>(Text.begin());
  const UTF8 *End = reinterpret_cast<const UTF8 *>(Text.end());
  const UTF8 *Pos = Begin;
  if (!isLegalUTF8String(&Pos, End)) {
    SMLoc L = SMLoc::getFromPointer(reinterpret_cast<const char *>(Pos));
    Diags.report(L, diag::err_not_utf8);
    auto Empty = std::make_unique<Program>();
    Empty->FileName = MB->getBufferIdentifier().str();
    Empty->BufferID = BufferID;
    return Empty;
  }

  unsigned ErrorsBefore = Diags.getNumErrors();
  Builder B(SM, BufferID, Diags);
  antlr4::ANTLRInputStream Input(Text.data(), Text.size());
  L Lexer(&Input);
  Lexer.removeErrorListeners();
  TokenFilter Filter(Lexer, [&](const antlr4::Token &T) { B.lexError(T); });
  antlr4::CommonTokenStream Tokens(&Filter);
  P Parser(&Tokens);
  ErrorListener Listener(B);
  Parser.removeErrorListeners();
  Parser.addErrorListener(&Listener);
  // SLL first (fast); fall back to full LL only if SLL finds an error.
  Parser.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(
      antlr4::atn::PredictionMode::SLL);
  Parser.setErrorHandler(std::make_shared<antlr4::BailErrorStrategy>());
  P::ProgContext *Tree = nullptr;
  try {
    Tree = Parser.prog();
  } catch (antlr4::ParseCancellationException &) {
    Tree = nullptr;
  }
  if (!Tree) {
    Tokens.seek(0);
    Parser.reset();
    Parser.setErrorHandler(std::make_shared<antlr4::DefaultErrorStrategy>());
    Parser.getInterpreter<antlr4::atn::ParserATNSimulator>()
        ->setPredictionMode(antlr4::atn::PredictionMode::LL);
    Tree = Parser.prog();
  }
  B.HadSyntaxError = Diags.getNumErrors() > ErrorsBefore;
  std::unique_ptr<Program> Prog = B.build(Tree);
  Prog->FileName = MB->getBufferIdentifier().str();
  Prog->BufferID = BufferID;
  return Prog;
}
