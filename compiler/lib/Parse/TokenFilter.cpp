//===- TokenFilter.cpp - R's newline rules --------------------------------===//
//
// See TokenFilter.h for the rules and where they come from.
//
//===----------------------------------------------------------------------===//

#include "TokenFilter.h"

#include "SStatLexer.h"

using namespace sstat;
using L = sstat::grammar::SStatLexer;

std::unique_ptr<antlr4::Token> TokenFilter::pull() {
  for (;;) {
    std::unique_ptr<antlr4::Token> T;
    if (!Pending.empty()) {
      T = std::move(Pending.front());
      Pending.pop_front();
    } else {
      T = Src.nextToken();
    }
    size_t Ty = T->getType();
    if (Ty == L::BAD_CHAR || Ty == L::UNTERMINATED_STRING) {
      OnLexError(*T);
      continue;
    }
    return T;
  }
}

bool TokenFilter::inParensOrBrackets() const {
  return !Stack.empty() && Stack.back() != Ctx::Brace;
}

/// Tokens after which an expression cannot end, so a newline continues it.
static bool eatsLinesAfter(size_t Ty) {
  switch (Ty) {
  case L::PLUS:
  case L::MINUS:
  case L::STAR:
  case L::SLASH:
  case L::CARET:
  case L::COLON:
  case L::SPECIAL:
  case L::LT:
  case L::GT:
  case L::LE:
  case L::GE:
  case L::EQ:
  case L::NE:
  case L::AND:
  case L::AND2:
  case L::OR:
  case L::OR2:
  case L::NOT:
  case L::TILDE:
  case L::LEFT_ASSIGN:
  case L::SUPER_ASSIGN:
  case L::RIGHT_ASSIGN:
  case L::RIGHT_SUPER_ASSIGN:
  case L::EQ_ASSIGN:
  case L::DOLLAR:
  case L::COMMA:
  case L::LPAREN:
  case L::LBRACKET:
  case L::LBB:
  case L::LBRACE:
  case L::SEMI:
  case L::KW_ELSE:
  case L::KW_REPEAT:
  case L::KW_IN:
  case L::KW_FUNCTION:
  case L::KW_IF:
  case L::KW_FOR:
  case L::KW_WHILE:
    return true;
  default:
    return false;
  }
}

void TokenFilter::track(const antlr4::Token &T) {
  size_t Ty = T.getType();
  bool Header = HeaderNext;
  HeaderNext = false;
  EatLines = eatsLinesAfter(Ty);
  switch (Ty) {
  case L::KW_IF:
  case L::KW_FOR:
  case L::KW_WHILE:
  case L::KW_FUNCTION:
    HeaderNext = true;
    break;
  case L::LPAREN:
    Stack.push_back(Header ? Ctx::HeaderParen : Ctx::Paren);
    break;
  case L::LBRACKET:
    Stack.push_back(Ctx::Bracket);
    break;
  case L::LBB:
    Stack.push_back(Ctx::Bracket);
    Stack.push_back(Ctx::Bracket);
    break;
  case L::LBRACE:
    Stack.push_back(Ctx::Brace);
    break;
  case L::RPAREN:
    if (!Stack.empty() && Stack.back() != Ctx::Brace) {
      if (Stack.back() == Ctx::HeaderParen)
        EatLines = true;
      Stack.pop_back();
    }
    break;
  case L::RBRACKET:
    if (!Stack.empty() && Stack.back() == Ctx::Bracket)
      Stack.pop_back();
    break;
  case L::RBRACE:
    // Closing a brace also closes any parenthesis left open inside it by a
    // syntax error, so that one error does not swallow the rest of the file.
    while (!Stack.empty() && Stack.back() != Ctx::Brace)
      Stack.pop_back();
    if (!Stack.empty())
      Stack.pop_back();
    break;
  default:
    break;
  }
}

std::unique_ptr<antlr4::Token> TokenFilter::nextToken() {
  for (;;) {
    std::unique_ptr<antlr4::Token> T = pull();
    if (T->getType() != L::NL) {
      track(*T);
      return T;
    }
    if (inParensOrBrackets() || EatLines)
      continue;
    // A statement may end here. Look past further newlines: inside braces a
    // following `else` continues the `if`.
    std::unique_ptr<antlr4::Token> Next = pull();
    while (Next->getType() == L::NL)
      Next = pull();
    if (Next->getType() == L::KW_ELSE && !Stack.empty()) {
      track(*Next);
      return Next;
    }
    Pending.push_front(std::move(Next));
    EatLines = true; // collapse the run of newlines into this one
    return T;
  }
}
