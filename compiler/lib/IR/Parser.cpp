//===- Parser.cpp - Reading the IR's textual form -------------------------===//
//
// Reads back exactly what Printer.cpp writes, so that pass tests can be IR
// in, IR out (sstat-opt). A hand-written lexer feeds a recursive-descent
// parser; every op is read in the one generic form
//
//   %a, %b = mnemonic %x, %y {name = value, ...} : type, type {
//   ^(%i: pint, %acc: sfix<16>):
//     ...
//   } else {
//     ...
//   }
//
// and checked against Ops.def for its operand, result and region counts, so
// no op needs code of its own here. The grammar is line-oriented, as the
// printer is: one op per line, a region's ops start on the line after its
// '{'. That settles the two places where tokens alone would not: `{` after
// the operands opens a region when it ends its line (an op or a value
// after it is a region written on one line, reported as such) and an
// attribute dictionary otherwise; and an op without results never takes
// its operands from the next line.
//
// Functions other than main come first, each `func @name(%p: type, ...) ->
// (type, ...) [attributes {...}] {` with its body in the same form.
//
// Values are named `%` followed by digits (the printer's numbering) or
// other name characters (hand-written tests); each name is defined once in
// its function and used only after its definition, in its own region
// or a region nested in it, and never inside the op that defines it. Text
// after `//` to the end of a line is a comment (--print-after-all writes
// such headers).
//
// One part of the printed form is not self-delimiting: a matrix shape
// prints its two lengths joined by 'x', and a symbolic length is a name
// (`n.<table>`) that may itself contain 'x'. The parser reads the shape
// as one piece and accepts the only reading in which every part is a
// length; when several fit, it keeps those whose names are `n.` and a
// declared input table, and reports the shape as ambiguous if that still
// leaves more than one. Table names (`@t`, `n.t`) are read as letters,
// digits, '_', '.' and non-ASCII bytes; a backquoted R name with other
// characters (`my tab`) prints unquoted and does not read back.
//
// The input may be anything (it is fuzzed): nothing here asserts on it,
// every error is a message "name:line:col: ...", and regions nested more
// than MaxDepth deep are an error rather than a deep recursion. Parsed ops
// carry no source location (SMLoc()), as the text is not a .sstat buffer.
//
//===----------------------------------------------------------------------===//

#include "sstat/IR/Pass.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/Twine.h"

#include <charconv>
#include <cstdio>
#include <limits>
#include <map>
#include <set>

using namespace sstat::ir;
using namespace llvm;

namespace {

/// How deep regions may nest (a `for` in an `if` in a `for` ... ).
constexpr unsigned MaxDepth = 256;

enum class TokKind : uint8_t {
  Eof,
  Newline,
  Ident,     // module, sfix, input.valid, inf
  ValueName, // %12, %acc
  AtName,    // @main, @patients (Text without the '@')
  Int,       // 42, -3
  Float,     // 1.5, -1e+300, -inf
  String,    // "a\"b" (Text with the quotes and escapes)
  Equal,
  Comma,
  Colon,
  LBrace,
  RBrace,
  LSquare,
  RSquare,
  LParen,
  RParen,
  Less,
  Greater,
  Caret,
  Arrow, // ->
  Error, // Msg says what is wrong at Pos
};

struct Token {
  TokKind K = TokKind::Eof;
  StringRef Text;
  size_t Pos = 0;
  std::string Msg;
};

/// Characters of identifiers and mnemonics (`input.valid`) after the first.
bool isIdentChar(char C) { return isAlnum(C) || C == '_' || C == '.'; }

/// Characters of table names and symbolic lengths: sstat names may hold
/// letters beyond ASCII.
bool isNameChar(char C) {
  return isIdentChar(C) || static_cast<unsigned char>(C) >= 0x80;
}

std::string describeChar(char C) {
  if (isPrint(C))
    return std::string("'") + C + "'";
  char Buf[8];
  std::snprintf(Buf, sizeof Buf, "'\\x%02x'",
                unsigned(static_cast<unsigned char>(C)));
  return Buf;
}

class Lexer {
public:
  explicit Lexer(StringRef Buf) : Buf(Buf) {}

  size_t pos() const { return Cur; }
  void seek(size_t P) { Cur = P; }

  Token lex() {
    // Blanks and comments; a newline is a token.
    while (Cur < Buf.size()) {
      char C = Buf[Cur];
      if (C == ' ' || C == '\t' || C == '\r') {
        ++Cur;
      } else if (C == '/' && Buf.substr(Cur).startswith("//")) {
        while (Cur < Buf.size() && Buf[Cur] != '\n')
          ++Cur;
      } else {
        break;
      }
    }
    size_t Start = Cur;
    if (Cur >= Buf.size())
      return make(TokKind::Eof, Start);
    char C = Buf[Cur++];
    switch (C) {
    case '\n':
      return make(TokKind::Newline, Start);
    case '=':
      return make(TokKind::Equal, Start);
    case ',':
      return make(TokKind::Comma, Start);
    case ':':
      return make(TokKind::Colon, Start);
    case '{':
      return make(TokKind::LBrace, Start);
    case '}':
      return make(TokKind::RBrace, Start);
    case '[':
      return make(TokKind::LSquare, Start);
    case ']':
      return make(TokKind::RSquare, Start);
    case '(':
      return make(TokKind::LParen, Start);
    case ')':
      return make(TokKind::RParen, Start);
    case '<':
      return make(TokKind::Less, Start);
    case '>':
      return make(TokKind::Greater, Start);
    case '^':
      return make(TokKind::Caret, Start);
    case '"':
      return string(Start);
    case '%':
      while (Cur < Buf.size() && isIdentChar(Buf[Cur]))
        ++Cur;
      if (Cur == Start + 1)
        return error(Start, "expected a value name after '%'");
      return make(TokKind::ValueName, Start);
    case '@': {
      while (Cur < Buf.size() && isNameChar(Buf[Cur]))
        ++Cur;
      if (Cur == Start + 1)
        return error(Start, "expected a name after '@'");
      Token T = make(TokKind::AtName, Start);
      T.Text = T.Text.drop_front();
      return T;
    }
    case '-':
      if (Cur < Buf.size() && Buf[Cur] == '>') {
        ++Cur;
        return make(TokKind::Arrow, Start);
      }
      if (Cur < Buf.size() && isDigit(Buf[Cur]))
        return number(Start);
      if (Buf.substr(Cur).startswith("inf") &&
          (Cur + 3 >= Buf.size() || !isIdentChar(Buf[Cur + 3]))) {
        Cur += 3;
        return make(TokKind::Float, Start);
      }
      return error(Start, "unexpected character '-'");
    default:
      if (isDigit(C))
        return number(Start);
      if (isAlpha(C) || C == '_') {
        while (Cur < Buf.size() && isIdentChar(Buf[Cur]))
          ++Cur;
        return make(TokKind::Ident, Start);
      }
      return error(Start, "unexpected character " + describeChar(C));
    }
  }

private:
  Token make(TokKind K, size_t Start) {
    Token T;
    T.K = K;
    T.Text = Buf.slice(Start, Cur);
    T.Pos = Start;
    return T;
  }

  Token error(size_t At, std::string Msg) {
    Token T = make(TokKind::Error, At);
    T.Msg = std::move(Msg);
    return T;
  }

  /// `-?[0-9]+(.[0-9]*)?([eE][+-]?[0-9]+)?`; a '.' or an exponent makes it
  /// a Float (the printer writes every double with one).
  Token number(size_t Start) {
    auto Digits = [&] {
      while (Cur < Buf.size() && isDigit(Buf[Cur]))
        ++Cur;
    };
    Digits();
    bool IsFloat = false;
    if (Cur < Buf.size() && Buf[Cur] == '.') {
      ++Cur;
      Digits();
      IsFloat = true;
    }
    if (Cur < Buf.size() && (Buf[Cur] == 'e' || Buf[Cur] == 'E')) {
      size_t E = Cur + 1;
      if (E < Buf.size() && (Buf[E] == '+' || Buf[E] == '-'))
        ++E;
      if (E < Buf.size() && isDigit(Buf[E])) {
        Cur = E;
        Digits();
        IsFloat = true;
      }
    }
    if (Cur < Buf.size() && isIdentChar(Buf[Cur])) {
      while (Cur < Buf.size() && isIdentChar(Buf[Cur]))
        ++Cur;
      return error(Start,
                   "invalid number '" + Buf.slice(Start, Cur).str() + "'");
    }
    return make(IsFloat ? TokKind::Float : TokKind::Int, Start);
  }

  /// A string on one line; the only escapes are \" \\ and \n.
  Token string(size_t Start) {
    while (Cur < Buf.size() && Buf[Cur] != '\n') {
      char C = Buf[Cur];
      if (C == '"') {
        ++Cur;
        return make(TokKind::String, Start);
      }
      if (C == '\\') {
        if (Cur + 1 >= Buf.size() || Buf[Cur + 1] == '\n')
          break;
        char E = Buf[Cur + 1];
        if (E != '"' && E != '\\' && E != 'n')
          return error(Cur,
                       "unknown escape '\\" +
                           (isPrint(E) ? std::string(1, E) : describeChar(E)) +
                           "' in a string (only \\\", \\\\ and \\n)");
        Cur += 2;
        continue;
      }
      ++Cur;
    }
    return error(Start, "unterminated string");
  }

  StringRef Buf;
  size_t Cur = 0;
};

/// The text of a String token (validated by the lexer), unescaped.
std::string unescape(StringRef Quoted) {
  StringRef S = Quoted.drop_front().drop_back();
  std::string Out;
  Out.reserve(S.size());
  for (size_t I = 0; I < S.size(); ++I) {
    if (S[I] == '\\' && I + 1 < S.size()) {
      ++I;
      Out += S[I] == 'n' ? '\n' : S[I];
      continue;
    }
    Out += S[I];
  }
  return Out;
}

std::string plural(int64_t N, StringRef Noun) {
  return std::to_string(N) + " " + Noun.str() + (N == 1 ? "" : "s");
}

class Parser {
public:
  Parser(StringRef Text, StringRef Name, std::string &Err)
      : Buf(Text), Name(Name), Err(Err), Lex(Text) {}

  std::unique_ptr<Module> run() {
    Err.clear();
    M = std::make_unique<Module>();
    M->FileName = Name.str();
    next();
    if (!header())
      return nullptr;
    skipNewlines();
    while (isKeyword("input")) {
      if (!inputTable())
        return nullptr;
      skipNewlines();
    }
    for (const std::string &T : TableNames)
      TableLengths.insert("n." + T);
    while (isKeyword("func") && peekIsCallee()) {
      if (!callee())
        return nullptr;
      skipNewlines();
    }
    if (!function())
      return nullptr;
    if (!Err.empty())
      return nullptr;
    return std::move(M);
  }

private:
  // ---- tokens and errors

  void next() { Tok = Lex.lex(); }

  /// Whether the current '{' opens a region rather than attributes: it
  /// ends its line in printed text; an op or a value after it on the same
  /// line is a region written on one line, an error region() explains.
  bool opensRegion() {
    size_t P = Lex.pos();
    Token A = Lex.lex(), B = Lex.lex();
    Lex.seek(P);
    OpCode Ignored;
    return A.K == TokKind::Newline || A.K == TokKind::Eof ||
           A.K == TokKind::ValueName || A.K == TokKind::Caret ||
           (A.K == TokKind::Ident && B.K != TokKind::Equal &&
            opCodeFromMnemonic(A.Text, Ignored));
  }

  bool error(size_t Pos, const Twine &Msg) {
    if (Err.empty()) {
      size_t Line = 1, LineStart = 0;
      for (size_t I = 0; I < Pos && I < Buf.size(); ++I)
        if (Buf[I] == '\n') {
          ++Line;
          LineStart = I + 1;
        }
      Err = (Name + ":" + Twine(Line) + ":" + Twine(Pos - LineStart + 1) +
             ": " + Msg)
                .str();
    }
    return false;
  }

  /// An error at the current token; a lexer error explains itself.
  bool errorHere(const Twine &Msg) {
    if (Tok.K == TokKind::Error)
      return error(Tok.Pos, Tok.Msg);
    return error(Tok.Pos, Msg);
  }

  bool isKeyword(StringRef W) const {
    return Tok.K == TokKind::Ident && Tok.Text == W;
  }

  bool expectKeyword(StringRef W) {
    if (!isKeyword(W))
      return errorHere("expected '" + W + "'");
    next();
    return true;
  }

  bool expect(TokKind K, const Twine &Msg) {
    if (Tok.K != K)
      return errorHere(Msg);
    next();
    return true;
  }

  /// The end of a line (or of the input).
  bool expectEOL(const Twine &After) {
    if (Tok.K == TokKind::Eof)
      return true;
    if (Tok.K != TokKind::Newline)
      return errorHere("expected end of line after " + After);
    next();
    return true;
  }

  void skipNewlines() {
    while (Tok.K == TokKind::Newline)
      next();
  }

  // ---- literals

  template <typename T> bool integer(T &Out, const Twine &What) {
    if (Tok.K != TokKind::Int)
      return errorHere("expected " + What);
    const char *B = Tok.Text.begin(), *E = Tok.Text.end();
    auto R = std::from_chars(B, E, Out);
    if (R.ec != std::errc() || R.ptr != E)
      return errorHere("integer '" + Tok.Text + "' is out of range");
    next();
    return true;
  }

  /// A double as number() prints it (integers are accepted too).
  bool number(double &Out, const Twine &What) {
    if (Tok.K == TokKind::Ident && (Tok.Text == "inf" || Tok.Text == "nan")) {
      Out = Tok.Text == "inf" ? std::numeric_limits<double>::infinity()
                              : std::numeric_limits<double>::quiet_NaN();
      next();
      return true;
    }
    if (Tok.K != TokKind::Float && Tok.K != TokKind::Int)
      return errorHere("expected " + What);
    if (Tok.Text == "-inf") {
      Out = -std::numeric_limits<double>::infinity();
    } else {
      const char *B = Tok.Text.begin(), *E = Tok.Text.end();
      auto R = std::from_chars(B, E, Out);
      if (R.ptr != E ||
          (R.ec != std::errc() && R.ec != std::errc::result_out_of_range))
        return errorHere("invalid number '" + Tok.Text + "'");
    }
    next();
    return true;
  }

  /// `["a", "b"]`, possibly empty.
  bool stringList(std::vector<std::string> &Out) {
    if (!expect(TokKind::LSquare, "expected '[' and a list of strings"))
      return false;
    if (Tok.K == TokKind::RSquare) {
      next();
      return true;
    }
    for (;;) {
      if (Tok.K != TokKind::String)
        return errorHere("expected a string");
      Out.push_back(unescape(Tok.Text));
      next();
      if (Tok.K == TokKind::RSquare) {
        next();
        return true;
      }
      if (!expect(TokKind::Comma, "expected ',' or ']' in the list"))
        return false;
    }
  }

  // ---- the module header and the input tables

  /// `module ring 64 frac 16 parties ["a", "r"]`
  bool header() {
    skipNewlines();
    if (!isKeyword("module"))
      return errorHere("expected 'module' at the start of the IR");
    next();
    return expectKeyword("ring") &&
           integer(M->RingBits, "the ring's size in bits") &&
           expectKeyword("frac") &&
           integer(M->FracBits, "the number of fractional bits") &&
           expectKeyword("parties") && stringList(M->Parties) &&
           expectEOL("the module header");
  }

  /// `input @t parties ["a"] key "id" {` then one `column` per line, `}`.
  bool inputTable() {
    next();
    if (Tok.K != TokKind::AtName)
      return errorHere("expected '@' and the table's name");
    InputTable T;
    T.Name = Tok.Text.str();
    if (!TableNames.insert(T.Name).second)
      return errorHere("input table '" + T.Name + "' declared twice");
    next();
    if (!expectKeyword("parties") || !stringList(T.Parties))
      return false;
    if (isKeyword("key")) {
      next();
      if (Tok.K != TokKind::String)
        return errorHere("expected the key column's name, a string");
      T.Key = unescape(Tok.Text);
      next();
    }
    if (!expect(TokKind::LBrace, "expected '{' and the table's columns") ||
        !expectEOL("'{'"))
      return false;
    std::set<std::string> ColumnNames;
    for (;;) {
      skipNewlines();
      if (Tok.K == TokKind::RBrace)
        break;
      if (!isKeyword("column"))
        return errorHere("expected 'column' or '}'");
      if (!column(T, ColumnNames))
        return false;
    }
    next();
    M->Inputs.push_back(std::move(T));
    return expectEOL("the table");
  }

  /// `column "x" num [0.0, 120.0]`, `column "g" factor ["a", "b"]`,
  /// `column "ok" bool`, `column "id" key`; ` na` after any of them.
  bool column(InputTable &T, std::set<std::string> &Names) {
    next();
    if (Tok.K != TokKind::String)
      return errorHere("expected the column's name, a string");
    InputTable::Column C;
    C.Name = unescape(Tok.Text);
    if (!Names.insert(C.Name).second)
      return errorHere("column '" + C.Name + "' declared twice in table '" +
                       T.Name + "'");
    next();
    if (Tok.K != TokKind::Ident)
      return errorHere("expected the column's kind (num, int, bool, factor "
                       "or key)");
    C.Kind = Tok.Text.str();
    if (C.Kind == "num" || C.Kind == "int") {
      next();
      if (!expect(TokKind::LSquare, "expected '[' and the column's range") ||
          !number(C.Lo, "the lower bound") ||
          !expect(TokKind::Comma, "expected ',' after the lower bound") ||
          !number(C.Hi, "the upper bound") ||
          !expect(TokKind::RSquare, "expected ']' after the upper bound"))
        return false;
    } else if (C.Kind == "factor") {
      next();
      if (!stringList(C.Levels))
        return false;
    } else if (C.Kind == "bool" || C.Kind == "key") {
      next();
    } else {
      return errorHere("unknown column kind '" + C.Kind +
                       "' (num, int, bool, factor or key)");
    }
    if (isKeyword("na")) { // declared with na = TRUE
      C.MayBeNA = true;
      next();
    }
    T.Columns.push_back(std::move(C));
    return expectEOL("the column");
  }

  // ---- the functions, regions, ops

  /// Whether the `func` at hand is followed by a name other than @main.
  bool peekIsCallee() {
    size_t P = Lex.pos();
    Token N = Lex.lex();
    Lex.seek(P);
    return N.K == TokKind::AtName && N.Text != "main";
  }

  /// `func @name(%a: type, ...) -> (type, ...) [attributes {...}] {` ops
  /// ending in `yield` `}`. Names are local to the function.
  bool callee() {
    next();
    std::string FnName = Tok.Text.str();
    if (M->function(FnName))
      return errorHere("function '@" + FnName + "' defined twice");
    Function &F = M->addFunction(FnName);
    next();
    Values.clear();
    Scopes.assign(1, {});
    if (!expect(TokKind::LParen, "expected '(' after the function's name") ||
        !argumentList(F.block(), "parameter", "parameter") ||
        !expect(TokKind::RParen, "expected ')' after the parameters") ||
        !expect(TokKind::Arrow, "expected '->' and the result types") ||
        !expect(TokKind::LParen, "expected '(' before the result types"))
      return false;
    if (Tok.K != TokKind::RParen) {
      for (;;) {
        Type T;
        if (!type(T))
          return false;
        F.ResultTypes.push_back(std::move(T));
        if (Tok.K != TokKind::Comma)
          break;
        next();
      }
    }
    if (!expect(TokKind::RParen, "expected ')' after the result types"))
      return false;
    if (isKeyword("attributes")) {
      next();
      if (Tok.K != TokKind::LBrace)
        return errorHere("expected '{' after 'attributes'");
      if (!attributes(F.Attrs))
        return false;
    }
    if (!expect(TokKind::LBrace, "expected '{' before the function's body") ||
        !expectEOL("'{'"))
      return false;
    if (!ops(F.block()))
      return false;
    next();
    return expectEOL("the function");
  }

  /// `func @main {` ops `}` and the end of the input.
  bool function() {
    if (!isKeyword("func"))
      return errorHere(M->Inputs.empty()
                           ? "expected 'input' or 'func'"
                           : "expected another 'input' or 'func'");
    next();
    if (Tok.K != TokKind::AtName || Tok.Text != "main")
      return errorHere("expected '@main'");
    next();
    if (!expect(TokKind::LBrace, "expected '{' after '@main'") ||
        !expectEOL("'{'"))
      return false;
    Values.clear();
    Scopes.assign(1, {});
    if (!ops(M->body().block()))
      return false;
    next();
    if (!expectEOL("the function"))
      return false;
    skipNewlines();
    if (isKeyword("module"))
      return errorHere("a second module: a file holds one module");
    if (Tok.K != TokKind::Eof)
      return errorHere("expected end of input after the function");
    return true;
  }

  /// Ops, one per line, up to a '}' (left as the current token).
  bool ops(Block &B) {
    for (;;) {
      skipNewlines();
      if (Tok.K == TokKind::RBrace)
        return true;
      if (Tok.K == TokKind::Eof)
        return errorHere("expected '}' at the end of the block");
      if (!op(B))
        return false;
    }
  }

  /// `{` NEWLINE [`^(%a: type, ...):` NEWLINE] ops `}`.
  bool region(Region &R) {
    if (Depth >= MaxDepth)
      return errorHere("regions nested more than " + Twine(MaxDepth) + " deep");
    ++Depth;
    next();
    if (!expectEOL("'{'"))
      return false;
    Scopes.emplace_back();
    skipNewlines();
    if (Tok.K == TokKind::Caret && !blockArguments(R.block()))
      return false;
    if (!ops(R.block()))
      return false;
    for (StringRef N : Scopes.back())
      Values[N].S = Def::Closed;
    Scopes.pop_back();
    next();
    --Depth;
    return true;
  }

  /// `%a: type, ...` up to (not including) ')': the arguments of \p B (a
  /// function's parameters or a region's block arguments), each a new name.
  /// \p What names one in errors, \p Short before "'s name".
  bool argumentList(Block &B, StringRef What, StringRef Short) {
    if (Tok.K == TokKind::RParen)
      return true;
    for (;;) {
      if (Tok.K != TokKind::ValueName)
        return errorHere("expected a " + What + " ('%' and a name)");
      Token N = Tok;
      if (!isNew(N))
        return false;
      next();
      Type T;
      if (!expect(TokKind::Colon,
                  "expected ':' after the " + Short + "'s name") ||
          !type(T))
        return false;
      define(N.Text, B.addArgument(std::move(T)), Def::Visible);
      if (Tok.K != TokKind::Comma)
        return true;
      next();
    }
  }

  /// `^(%1: pint, %2: sfix<16>):`
  bool blockArguments(Block &B) {
    next();
    if (!expect(TokKind::LParen, "expected '(' after '^'") ||
        !argumentList(B, "block argument", "argument"))
      return false;
    return expect(TokKind::RParen, "expected ')' after the block arguments") &&
           expect(TokKind::Colon, "expected ':' after the block arguments") &&
           expectEOL("the block arguments");
  }

  /// One op in the generic form (see the top of the file).
  bool op(Block &B) {
    SmallVector<Token, 2> Results;
    std::set<StringRef> ResultNames;
    if (Tok.K == TokKind::ValueName) {
      for (;;) {
        if (!isNew(Tok))
          return false;
        if (!ResultNames.insert(Tok.Text).second)
          return errorHere("value '" + Tok.Text + "' defined twice");
        Results.push_back(Tok);
        next();
        if (Tok.K != TokKind::Comma)
          break;
        next();
        if (Tok.K != TokKind::ValueName)
          return errorHere("expected a result ('%' and a name) after ','");
      }
      if (!expect(TokKind::Equal, "expected '=' after the results"))
        return false;
    }

    if (Tok.K != TokKind::Ident)
      return errorHere(Results.empty() ? "expected an op or '}'"
                                       : "expected an op name after '='");
    Token Mnemonic = Tok;
    OpCode Code;
    if (!opCodeFromMnemonic(Tok.Text, Code))
      return errorHere("unknown op '" + Tok.Text + "'");
    const OpInfo &Info = opInfo(Code);
    auto Expects = [&](int N, StringRef Noun, size_t Got) {
      return error(Mnemonic.Pos, "'" + Mnemonic.Text + "' expects " +
                                     plural(N, Noun) + ", got " + Twine(Got));
    };
    if (Info.NumResults >= 0 && size_t(Info.NumResults) != Results.size())
      return Expects(Info.NumResults, "result", Results.size());
    next();

    std::vector<Value *> Operands;
    if (Tok.K == TokKind::ValueName) {
      for (;;) {
        Value *V;
        if (!use(Tok, V))
          return false;
        Operands.push_back(V);
        next();
        if (Tok.K != TokKind::Comma)
          break;
        next();
        if (Tok.K != TokKind::ValueName)
          return errorHere("expected an operand ('%' and a name) after ','");
      }
    }
    if (Info.NumOperands >= 0 && size_t(Info.NumOperands) != Operands.size())
      return Expects(Info.NumOperands, "operand", Operands.size());

    std::map<std::string, Attr> Attrs;
    if (Tok.K == TokKind::LBrace && !opensRegion() && !attributes(Attrs))
      return false;

    std::vector<Type> Types;
    if (Tok.K == TokKind::Colon) {
      if (Results.empty())
        return errorHere("':' and types after an op without results");
      size_t Colon = Tok.Pos;
      next();
      for (;;) {
        Type T;
        if (!type(T))
          return false;
        Types.push_back(std::move(T));
        if (Tok.K != TokKind::Comma)
          break;
        next();
      }
      if (Types.size() != Results.size())
        return error(Colon, plural(Results.size(), "result") + " but " +
                                plural(Types.size(), "type"));
    } else if (!Results.empty()) {
      return errorHere("expected ':' before the result types");
    }

    // Build the op now, so that its regions are parsed into it; its results
    // are defined but not usable until the op ends.
    Op *O = B.append(std::make_unique<Op>(Code, SMLoc()));
    for (Value *V : Operands)
      O->addOperand(V);
    O->Attrs = std::move(Attrs);
    for (size_t I = 0; I < Types.size(); ++I)
      define(Results[I].Text, O->addResult(std::move(Types[I])), Def::Pending);

    unsigned NumRegions = 0;
    if (Tok.K == TokKind::LBrace) {
      for (;;) {
        if (!region(O->addRegion()))
          return false;
        ++NumRegions;
        if (!isKeyword("else"))
          break;
        next();
        if (Tok.K != TokKind::LBrace)
          return errorHere("expected '{' after 'else'");
      }
    }
    if (unsigned(Info.NumRegions) != NumRegions)
      return Expects(Info.NumRegions, "region", NumRegions);
    for (const Token &R : Results)
      Values[R.Text].S = Def::Visible;
    return expectEOL("the op");
  }

  /// `{name = value, ...}`
  bool attributes(std::map<std::string, Attr> &Attrs) {
    next();
    if (Tok.K == TokKind::RBrace) {
      next();
      return true;
    }
    for (;;) {
      if (Tok.K != TokKind::Ident)
        return errorHere("expected an attribute name");
      std::string Key = Tok.Text.str();
      if (Attrs.count(Key))
        return errorHere("attribute '" + Key + "' given twice");
      next();
      if (!expect(TokKind::Equal, "expected '=' after the attribute name"))
        return false;
      Attr A;
      if (!attrValue(A))
        return false;
      Attrs.emplace(std::move(Key), std::move(A));
      if (Tok.K == TokKind::RBrace) {
        next();
        return true;
      }
      if (!expect(TokKind::Comma, "expected ',' or '}' after the attribute"))
        return false;
    }
  }

  /// `42`, `-3`, `1.5`, `-inf`, `nan`, `"text"`, `["a", "b"]`.
  bool attrValue(Attr &A) {
    switch (Tok.K) {
    case TokKind::Int: {
      int64_t I;
      if (!integer(I, "an integer"))
        return false;
      A = I;
      return true;
    }
    case TokKind::Float:
    case TokKind::Ident: {
      if (Tok.K == TokKind::Ident && Tok.Text != "inf" && Tok.Text != "nan")
        break;
      double D;
      if (!number(D, "a number"))
        return false;
      A = D;
      return true;
    }
    case TokKind::String:
      A = unescape(Tok.Text);
      next();
      return true;
    case TokKind::LSquare: {
      std::vector<std::string> L;
      if (!stringList(L))
        return false;
      A = std::move(L);
      return true;
    }
    default:
      break;
    }
    return errorHere("expected an attribute value (a number, a string or a "
                     "list of strings)");
  }

  // ---- types

  /// `sfix<16>[n.t]`, `pint`, `sbool[3x2]`, `sint[?]`.
  bool type(Type &T) {
    if (Tok.K != TokKind::Ident)
      return errorHere("expected a type");
    StringRef W = Tok.Text;
    Sec S = W.startswith("s") ? Sec::Secret : Sec::Public;
    StringRef E = W.drop_front();
    if ((!W.startswith("s") && !W.startswith("p")) ||
        (E != "bool" && E != "int" && E != "fix"))
      return errorHere("unknown type '" + W + "'");
    next();
    if (E == "bool") {
      T = Type::scalar(S, Elem::Bool);
    } else if (E == "int") {
      T = Type::scalar(S, Elem::Int);
    } else {
      uint8_t Scale;
      if (!expect(TokKind::Less,
                  "expected '<' and the scale after '" + W + "'") ||
          !integer(Scale, "the number of fractional bits (0 to 255)") ||
          !expect(TokKind::Greater, "expected '>' after the scale"))
        return false;
      T = Type::scalar(S, Elem::Fix, Scale);
    }
    if (Tok.K == TokKind::LSquare)
      return shape(T);
    return true;
  }

  /// A length as Type::str() prints it: digits, '?' or a name.
  struct Length {
    Dim D;
    StringRef Text;
    bool Overflow = false;
  };

  static Length length(StringRef S) {
    Length L;
    L.Text = S;
    if (S == "?")
      return L;
    if (isDigit(S.front())) {
      int64_t N = 0;
      auto R = std::from_chars(S.begin(), S.end(), N);
      L.Overflow = R.ec != std::errc();
      L.D = Dim::constant(N);
      return L;
    }
    L.D = Dim::sym(S.str());
    return L;
  }

  /// `[d]` or `[dxd]`, read as one piece (see the top of the file).
  bool shape(Type &T) {
    size_t Begin = Tok.Pos + 1, End = Begin;
    while (End < Buf.size() && Buf[End] != ']' && Buf[End] != '\n')
      ++End;
    if (End >= Buf.size() || Buf[End] != ']')
      return error(End, "expected ']' after the shape");
    StringRef S = Buf.slice(Begin, End);
    size_t N = S.size();

    // Which prefixes and suffixes are all digits or all name characters.
    size_t FirstNonDigit = N, FirstNonName = N;
    ptrdiff_t LastNonDigit = -1, LastNonName = -1;
    for (size_t I = 0; I < N; ++I) {
      if (!isDigit(S[I])) {
        FirstNonDigit = std::min(FirstNonDigit, I);
        LastNonDigit = ptrdiff_t(I);
      }
      if (!isNameChar(S[I])) {
        FirstNonName = std::min(FirstNonName, I);
        LastNonName = ptrdiff_t(I);
      }
    }
    auto ValidPrefix = [&](size_t E) { // S[0, E)
      return E > 0 && ((E == 1 && S[0] == '?') || FirstNonDigit >= E ||
                       (!isDigit(S[0]) && FirstNonName >= E));
    };
    auto ValidSuffix = [&](size_t B) { // S[B, N)
      return B < N &&
             ((N - B == 1 && S[B] == '?') || LastNonDigit < ptrdiff_t(B) ||
              (!isDigit(S[B]) && LastNonName < ptrdiff_t(B)));
    };

    // Every reading: the whole as a vector's length, or a matrix split at
    // an 'x'. A real shape has one or two; many means nonsense.
    constexpr size_t MaxReadings = 8;
    SmallVector<size_t, MaxReadings> Splits; // N: the whole
    if (ValidPrefix(N))
      Splits.push_back(N);
    for (size_t I = 0; I < N; ++I)
      if (S[I] == 'x' && ValidPrefix(I) && ValidSuffix(I + 1)) {
        if (Splits.size() == MaxReadings)
          return error(Begin, "ambiguous shape '[" + S + "]'");
        Splits.push_back(I);
      }
    if (Splits.empty())
      return error(Begin, "invalid shape '[" + S +
                              "]': expected a length (digits, '?' or a name) "
                              "or two joined by 'x'");

    struct Reading {
      unsigned Rank;
      Length L[2];
    };
    SmallVector<Reading, MaxReadings> Readings;
    for (size_t I : Splits)
      Readings.push_back(I == N ? Reading{1, {length(S), {}}}
                                : Reading{2,
                                          {length(S.take_front(I)),
                                           length(S.drop_front(I + 1))}});
    if (Readings.size() > 1) {
      // Prefer the readings whose names are all input tables' row counts.
      auto Known = [&](const Reading &R) {
        for (unsigned I = 0; I < R.Rank; ++I)
          if (R.L[I].D.K == Dim::Sym && !TableLengths.count(R.L[I].D.Name))
            return false;
        return true;
      };
      SmallVector<Reading, MaxReadings> Preferred;
      for (const Reading &R : Readings)
        if (Known(R))
          Preferred.push_back(R);
      if (Preferred.size() != 1)
        return error(Begin, "ambiguous shape '[" + S +
                                "]': 'x' may join two lengths or be part of "
                                "a name");
      Readings = Preferred;
    }
    const Reading &R = Readings.front();
    for (unsigned I = 0; I < R.Rank; ++I)
      if (R.L[I].Overflow)
        return error(Begin, "length '" + R.L[I].Text + "' is out of range");
    if (R.Rank == 1)
      T = Type::vector(T.S, T.E, T.Scale, R.L[0].D);
    else
      T = Type::matrix(T.S, T.E, T.Scale, R.L[0].D, R.L[1].D);
    Lex.seek(End + 1);
    next();
    return true;
  }

  // ---- values

  struct Def {
    enum State : uint8_t { Pending, Visible, Closed };
    Value *V = nullptr;
    State S = Pending;
  };

  /// Checks that the name in \p N has not been defined before.
  bool isNew(const Token &N) {
    if (Values.count(N.Text))
      return error(N.Pos, "value '" + N.Text + "' defined twice");
    return true;
  }

  void define(StringRef N, Value *V, Def::State S) {
    Values[N] = {V, S};
    Scopes.back().push_back(N);
  }

  bool use(const Token &N, Value *&V) {
    auto It = Values.find(N.Text);
    if (It == Values.end())
      return error(N.Pos, "use of undefined value '" + N.Text + "'");
    switch (It->second.S) {
    case Def::Pending:
      return error(N.Pos, "value '" + N.Text +
                              "' is used inside the op that defines it");
    case Def::Closed:
      return error(N.Pos, "value '" + N.Text +
                              "' is used outside the region that defines it");
    case Def::Visible:
      break;
    }
    V = It->second.V;
    return true;
  }

  StringRef Buf, Name;
  std::string &Err;
  Lexer Lex;
  Token Tok;
  std::unique_ptr<Module> M;
  StringMap<Def> Values; // by name; names point into the text
  std::vector<std::vector<StringRef>> Scopes;
  std::set<std::string> TableNames;
  std::set<std::string> TableLengths; // "n.<table>" for every input table
  unsigned Depth = 0;
};

} // namespace

std::unique_ptr<Module>
sstat::ir::parseModule(StringRef Text, StringRef BufferName, std::string &Err) {
  return Parser(Text, BufferName, Err).run();
}
