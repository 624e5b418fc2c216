//===- ParserTest.cpp - Parsing, newline rules and error recovery ---------===//

#include "TestUtil.h"

#include <gtest/gtest.h>

using namespace sstat;
using namespace sstat::test;

static std::string dump(const std::string &Src) {
  Compiled C(Src, /*Check=*/false);
  EXPECT_EQ(C.errors(), 0u) << C.errorText();
  return dumpTree(*C.Prog);
}

static size_t statements(const std::string &Src) {
  Compiled C(Src, /*Check=*/false);
  EXPECT_EQ(C.errors(), 0u) << C.errorText();
  return C.Prog->Stmts.size();
}

TEST(Parser, NewlineEndsAStatementOnlyWhereItCan) {
  EXPECT_EQ(statements("a <- 1\nb <- 2"), 2u);
  EXPECT_EQ(statements("a <- 1 +\n 2"), 1u);   // trailing operator continues
  EXPECT_EQ(statements("a <- 1\n+ 2"), 2u);    // leading one does not
  EXPECT_EQ(statements("f(1,\n 2)"), 1u);      // inside parentheses
  EXPECT_EQ(statements("x[1,\n 2]"), 1u);      // inside brackets
  EXPECT_EQ(statements("if (a)\n b"), 1u);     // after an if header
  EXPECT_EQ(statements("function(x)\n x"), 1u);
  EXPECT_EQ(statements("for (i in 1:3)\n i"), 1u);
  EXPECT_EQ(statements("a; b; c"), 3u);
  EXPECT_EQ(statements("\n\n# comment\na\n\n"), 1u);
  EXPECT_EQ(statements("{\n if (a) 1\n else 2\n}"), 1u);
}

TEST(Parser, ElseOnNextLineAtTopLevelIsAnError) {
  Compiled C("if (a) 1\nelse 2", false);
  EXPECT_EQ(C.errors(), 1u);
  EXPECT_NE(C.errorText().find("unexpected 'else'"), std::string::npos)
      << C.errorText();
}

TEST(Parser, PrecedenceMatchesR) {
  EXPECT_EQ(dump("-2^2"), dump("-(2^2)"));
  EXPECT_EQ(dump("1:n-1"), dump("(1:n)-1"));
  EXPECT_EQ(dump("-1:2"), dump("(-1):2"));
  EXPECT_EQ(dump("!x %in% y"), dump("!(x %in% y)"));
  EXPECT_EQ(dump("a ~ b + c"), dump("a ~ (b + c)"));
  EXPECT_EQ(dump("2^3^2"), dump("2^(3^2)"));
  EXPECT_EQ(dump("a - b - c"), dump("(a - b) - c"));
  EXPECT_EQ(dump("x <- y <- 1"), dump("x <- (y <- 1)"));
  EXPECT_EQ(dump("a & b | c & d"), dump("(a & b) | (c & d)"));
  EXPECT_EQ(dump("a + b %% c"), dump("a + (b %% c)"));
  EXPECT_EQ(dump("-a$b"), dump("-(a$b)"));
  EXPECT_NE(dump("-2^2"), dump("(-2)^2"));
}

TEST(Parser, RecoversAndReportsSeveralErrors) {
  Compiled C("x <- (1 + \ny <- 2 +* 3\nz <- )\nw <- 4", false);
  EXPECT_GE(C.errors(), 2u) << C.errorText();
  // What parsed after the errors is still there.
  EXPECT_FALSE(C.Prog->Stmts.empty());
}

TEST(Parser, RejectsWhatRRejects) {
  struct Case {
    const char *Src, *Msg;
  } Cases[] = {
      {"a < b < c", "comparison operators cannot be chained"},
      {"a == b != c", "comparison operators cannot be chained"},
      {"x <<- 1", "'<<-' (super-assignment) is not supported"},
      {"1 ->> x", "'->>' (super-assignment) is not supported"},
      {"a %foo% b", "unknown operator '%foo%'"},
      {"\"abc", "unterminated string literal"},
      {"x <- 1 @ 2", "unexpected input '@'"},
      {"\"a\\qb\"", "'\\q' is an unrecognized escape"},
      {"1.5L", "invalid number '1.5L'"},
      {"x <- 3000000000L", "does not fit in 32 bits"},
      {"f(x", "unexpected end of input"},
      {"a b", "unexpected symbol 'b'"},
  };
  for (const Case &K : Cases) {
    Compiled C(K.Src, false);
    EXPECT_GE(C.errors(), 1u) << K.Src;
    EXPECT_NE(C.errorText().find(K.Msg), std::string::npos)
        << K.Src << " gave:\n"
        << C.errorText();
  }
}

TEST(Parser, NotUTF8IsAnErrorNotACrash) {
  Compiled C(std::string("x <- \"\xff\xfe\"\n"), false);
  EXPECT_EQ(C.errors(), 1u);
  EXPECT_NE(C.errorText().find("not valid UTF-8"), std::string::npos);
}

TEST(Parser, UnicodeKeepsColumnsRight) {
  // A multi-byte character before an error must not shift the caret.
  Compiled C("s <- \"é\"; x <- 1 @ 2", false);
  ASSERT_GE(C.errors(), 1u);
  const Diagnostic &D = C.Diags.getBuffered()[0];
  EXPECT_EQ(*D.Loc.getPointer(), '@');
}

TEST(Parser, Literals) {
  Compiled C("5L; 0x1F; 0x10L; .5; 1e5L; TRUE; NA; Inf; NULL; \"\\u00e9\"",
             false);
  ASSERT_EQ(C.errors(), 0u) << C.errorText();
  ASSERT_EQ(C.Prog->Stmts.size(), 10u);
  auto Num = [&](size_t I) {
    return llvm::cast<NumberExpr>(C.Prog->Stmts[I].get());
  };
  EXPECT_TRUE(Num(0)->isInteger());
  EXPECT_EQ(Num(0)->getValue(), 5);
  EXPECT_FALSE(Num(1)->isInteger());
  EXPECT_EQ(Num(1)->getValue(), 31);
  EXPECT_TRUE(Num(2)->isInteger());
  EXPECT_EQ(Num(2)->getValue(), 16);
  EXPECT_EQ(Num(3)->getValue(), 0.5);
  EXPECT_TRUE(Num(4)->isInteger());
  EXPECT_EQ(Num(4)->getValue(), 100000);
  auto *S = llvm::cast<StringExpr>(C.Prog->Stmts[9].get());
  EXPECT_EQ(S->getValue(), "\xc3\xa9");
}
