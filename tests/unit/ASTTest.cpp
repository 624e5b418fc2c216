//===- ASTTest.cpp - Operator tables and the source printer ---------------===//

#include "TestUtil.h"

#include "sstat/AST.h"

#include <gtest/gtest.h>

using namespace sstat;
using namespace sstat::test;

// R's ?Syntax table, from tightest to loosest; operators on one row share a
// level.
TEST(Precedence, FollowsRSyntaxTable) {
  std::vector<std::vector<BinaryOp>> Rows = {
      {BinaryOp::Pow},
      {BinaryOp::Range},
      {BinaryOp::Mod, BinaryOp::IntDiv, BinaryOp::MatMul, BinaryOp::In},
      {BinaryOp::Mul, BinaryOp::Div},
      {BinaryOp::Add, BinaryOp::Sub},
      {BinaryOp::Lt, BinaryOp::Gt, BinaryOp::Le, BinaryOp::Ge, BinaryOp::Eq,
       BinaryOp::Ne},
      {BinaryOp::And, BinaryOp::AndAnd},
      {BinaryOp::Or, BinaryOp::OrOr},
      {BinaryOp::Tilde},
  };
  for (size_t I = 0; I < Rows.size(); ++I) {
    for (BinaryOp Op : Rows[I])
      EXPECT_EQ(binaryPrecedence(Op), binaryPrecedence(Rows[I][0]))
          << binaryOpSpelling(Op).str();
    if (I + 1 < Rows.size())
      EXPECT_GT(binaryPrecedence(Rows[I][0]), binaryPrecedence(Rows[I + 1][0]))
          << binaryOpSpelling(Rows[I][0]).str();
  }
  // Unary minus sits between ^ and :, ! between comparisons and &.
  EXPECT_LT(unaryPrecedence(UnaryOp::Neg), binaryPrecedence(BinaryOp::Pow));
  EXPECT_GT(unaryPrecedence(UnaryOp::Neg), binaryPrecedence(BinaryOp::Range));
  EXPECT_LT(unaryPrecedence(UnaryOp::Not), binaryPrecedence(BinaryOp::Eq));
  EXPECT_GT(unaryPrecedence(UnaryOp::Not), binaryPrecedence(BinaryOp::And));
  // Assignments are loosest: -> above <- above =.
  EXPECT_LT(assignPrecedence(AssignOp::RightArrow),
            binaryPrecedence(BinaryOp::Tilde));
  EXPECT_LT(assignPrecedence(AssignOp::Arrow),
            assignPrecedence(AssignOp::RightArrow));
  EXPECT_LT(assignPrecedence(AssignOp::Equals),
            assignPrecedence(AssignOp::Arrow));
  EXPECT_TRUE(isRightAssociative(BinaryOp::Pow));
  EXPECT_FALSE(isRightAssociative(BinaryOp::Sub));
}

static std::string print(const std::string &Src) {
  Compiled C(Src, /*Check=*/false);
  EXPECT_EQ(C.errors(), 0u) << C.errorText();
  return printSource(*C.Prog);
}

TEST(Printer, MinimalParentheses) {
  EXPECT_EQ(print("(a + b) * c"), "(a + b) * c\n");
  EXPECT_EQ(print("a + (b * c)"), "a + b * c\n");
  EXPECT_EQ(print("-(2^2)"), "-2^2\n");
  EXPECT_EQ(print("(-2)^2"), "(-2)^2\n");
  EXPECT_EQ(print("a - (b - c)"), "a - (b - c)\n");
  EXPECT_EQ(print("(a - b) - c"), "a - b - c\n");
  EXPECT_EQ(print("2^(3^2)"), "2^3^2\n");
  EXPECT_EQ(print("(2^3)^2"), "(2^3)^2\n");
  EXPECT_EQ(print("!(x %in% y)"), "!x %in% y\n");
  EXPECT_EQ(print("(!x) %in% y"), "(!x) %in% y\n");
  EXPECT_EQ(print("x <- (if (a) 1 else 2)"), "x <- if (a) 1 else 2\n");
  EXPECT_EQ(print("f((a = 1))"), "f((a = 1))\n");
  EXPECT_EQ(print("(a < b) & (b < c)"), "a < b & b < c\n");
}

TEST(Printer, DanglingElseKeepsItsIf) {
  // The inner if has no else: printed without parentheses, the outer else
  // would attach to it.
  std::string Out = print("if (a) (if (b) 1) else 2");
  EXPECT_EQ(Out, "if (a) (if (b) 1) else 2\n");
}

TEST(Printer, StringsAndNumbers) {
  EXPECT_EQ(print("\"a\\tb\\\"c\""), "\"a\\tb\\\"c\"\n");
  EXPECT_EQ(print("5L"), "5L\n");
  EXPECT_EQ(print("0x1F"), "31\n");
  EXPECT_EQ(print("1.5e-3"), "0.0015\n");
  EXPECT_EQ(print("0.1"), "0.1\n");
  EXPECT_EQ(print("`my var` <- 1"), "`my var` <- 1\n");
}

TEST(StructuralEquality, IgnoresLocationsNotShape) {
  Compiled A("x <- a + b * c", false), B("x<-a+b*c", false),
      C("x <- (a + b) * c", false);
  EXPECT_TRUE(structurallyEqual(*A.Prog, *B.Prog));
  EXPECT_FALSE(structurallyEqual(*A.Prog, *C.Prog));
}

TEST(AST, RangesPointAtTheSource) {
  Compiled C("y <- mean(x$age)", false);
  ASSERT_EQ(C.Prog->Stmts.size(), 1u);
  auto *A = llvm::dyn_cast<AssignExpr>(C.Prog->Stmts[0].get());
  ASSERT_NE(A, nullptr);
  EXPECT_EQ(A->getValue()->getSourceText(), "mean(x$age)");
  auto *Call = llvm::dyn_cast<CallExpr>(A->getValue());
  ASSERT_NE(Call, nullptr);
  EXPECT_EQ(Call->getCalleeName(), "mean");
  ASSERT_EQ(Call->getArgs().size(), 1u);
  EXPECT_EQ(Call->getArgs()[0].Value->getSourceText(), "x$age");
  auto *D = llvm::dyn_cast<DollarExpr>(Call->getArgs()[0].Value.get());
  ASSERT_NE(D, nullptr);
  EXPECT_EQ(D->getName(), "age");
}
