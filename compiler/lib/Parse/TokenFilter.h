//===- TokenFilter.h - R's newline rules between lexer and parser -*- C++ -*-=//
//
// R ends a statement at a newline only where the expression could end; the
// grammar sees NL tokens only in those places. This token source sits between
// the ANTLR lexer and parser and drops every other newline, with R's rules
// (src/main/gram.y: `EatLines`, `contextstack`, and the `if`/`else` lookahead):
//
//  * inside `(...)` and `[...]` newlines are dropped;
//  * after a token that cannot end an expression (a binary or unary
//    operator, `,`, `(`, `[`, `else`, `repeat`, `in`) newlines are dropped;
//  * after the closing `)` of an `if`, `for`, `while` or `function` header
//    newlines are dropped (the body may start on the next line);
//  * inside `{...}`, newlines before `else` are dropped, so an `if` may have
//    its `else` on the next line; at the top level, as in R, they are not;
//  * runs of newlines collapse into one.
//
// It also turns the lexer's error tokens (an unterminated string, a stray
// character) into diagnostics, so the parser does not report them again.
//
//===----------------------------------------------------------------------===//

#ifndef SSTAT_PARSE_TOKENFILTER_H
#define SSTAT_PARSE_TOKENFILTER_H

#include "antlr4-runtime.h"

#include <deque>
#include <functional>
#include <memory>
#include <vector>

namespace sstat {

class TokenFilter : public antlr4::TokenSource {
public:
  /// \p OnLexError is called with each error token before it is dropped.
  TokenFilter(antlr4::TokenSource &Lexer,
              std::function<void(const antlr4::Token &)> OnLexError)
      : Src(Lexer), OnLexError(std::move(OnLexError)) {}

  std::unique_ptr<antlr4::Token> nextToken() override;
  size_t getLine() const override { return Src.getLine(); }
  size_t getCharPositionInLine() override {
    return Src.getCharPositionInLine();
  }
  antlr4::CharStream *getInputStream() override {
    return Src.getInputStream();
  }
  std::string getSourceName() override { return Src.getSourceName(); }
  antlr4::TokenFactory<antlr4::CommonToken> *getTokenFactory() override {
    return Src.getTokenFactory();
  }

private:
  enum class Ctx { Paren, HeaderParen, Bracket, Brace };

  std::unique_ptr<antlr4::Token> pull();
  void track(const antlr4::Token &T);
  bool inParensOrBrackets() const;

  antlr4::TokenSource &Src;
  std::function<void(const antlr4::Token &)> OnLexError;
  std::deque<std::unique_ptr<antlr4::Token>> Pending;
  std::vector<Ctx> Stack;
  bool EatLines = true; // no newline tokens before the first statement
  bool HeaderNext = false; // the next '(' opens an if/for/while/function header
};

} // namespace sstat

#endif // SSTAT_PARSE_TOKENFILTER_H
