//===- SemaTest.cpp - Label inference, scopes and flow sensitivity --------===//

#include "TestUtil.h"

#include <gtest/gtest.h>

using namespace sstat;
using namespace sstat::test;

static const char *Input =
    "d <- input_table(parties = c(\"a\", \"b\"), columns = list("
    "age = num(0, 120), sex = factor(c(\"m\", \"f\")), ok = bool()))\n";

static Compiled checked(const std::string &Body) {
  return Compiled(std::string(Input) + Body);
}

TEST(Labels, InputsAreSecretLiteralsPublic) {
  Compiled C = checked("x <- d$age\nk <- 3\nn <- nrow(d)\n");
  ASSERT_EQ(C.errors(), 0u) << C.errorText();
  EXPECT_EQ(C.typeOf("x"), "secret num vector[nrow(d)] in [0, 120]");
  EXPECT_EQ(C.typeOf("k"), "public num = 3");
  EXPECT_EQ(C.typeOf("n"), "public int = nrow(d)");
}

TEST(Labels, SecretOperandMakesSecret) {
  Compiled C = checked("a <- mean(d$age) + 1\nb <- 2 * 3\n"
                       "c2 <- d$sex == \"m\"\nm <- sum(c2)\n");
  ASSERT_EQ(C.errors(), 0u) << C.errorText();
  EXPECT_EQ(C.typeOf("a"), "secret num");
  EXPECT_EQ(C.typeOf("b"), "public num = 6");
  EXPECT_EQ(C.typeOf("c2"), "secret bool vector[nrow(d)]");
  EXPECT_EQ(C.typeOf("m"), "secret int");
}

TEST(Labels, RevealDeclassifiesAndIsRecorded) {
  Compiled C = checked("m <- reveal(mean(d$age))\nif (m > 3) print(m)\n"
                       "publish(sd(d$age), to = c(\"x\", \"y\"))\n");
  ASSERT_EQ(C.errors(), 0u) << C.errorText();
  EXPECT_EQ(C.typeOf("m"), "public num");
  ASSERT_EQ(C.Result.Disclosures.size(), 2u);
  EXPECT_EQ(C.Result.Disclosures[0].K, Disclosure::Reveal);
  EXPECT_EQ(C.Result.Disclosures[0].ExprText, "mean(d$age)");
  EXPECT_TRUE(C.Result.Disclosures[0].Recipients.empty());
  EXPECT_EQ(C.Result.Disclosures[1].K, Disclosure::Publish);
  EXPECT_EQ(C.Result.Disclosures[1].Recipients,
            (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(C.Result.Parties, (std::vector<std::string>{"a", "b", "x", "y"}));
}

TEST(Labels, FlowSensitiveAndJoinedAfterBranches) {
  Compiled C = checked("x <- 0\nif (TRUE) x <- mean(d$age) else x <- 1\n"
                       "y <- mean(d$age)\ny <- 5\n");
  ASSERT_EQ(C.errors(), 0u) << C.errorText();
  EXPECT_EQ(C.typeOf("x"), "secret num");
  EXPECT_EQ(C.typeOf("y"), "public num = 5"); // overwritten: public again
}

TEST(Labels, LoopCarriedSecretsReachTheNextIteration) {
  // In iteration 2, `t` holds a secret: branching on it leaks.
  Compiled C = checked("t <- 0\nfor (i in 1:10) {\n  if (t > 5) break\n"
                       "  t <- t + d$age[i]\n}\n");
  EXPECT_EQ(C.errors(), 1u);
  EXPECT_NE(C.errorText().find("condition of 'if' depends on a secret"),
            std::string::npos)
      << C.errorText();
  EXPECT_EQ(C.typeOf("t"), "secret num");
}

TEST(Labels, LoopConvergesOnGrowingVectors) {
  Compiled C = checked("v <- c()\nfor (i in 1:4) v <- c(v, i)\n");
  ASSERT_EQ(C.errors(), 0u) << C.errorText();
  EXPECT_EQ(C.typeOf("v"), "public int vector[?]");
}

TEST(Scopes, FunctionsSeeGlobalsAndTheirParameters) {
  Compiled C = checked("k <- 2\nf <- function(x, y = k) x * y\n"
                       "a <- f(3)\nb <- f(d$age[1])\n");
  ASSERT_EQ(C.errors(), 0u) << C.errorText();
  EXPECT_EQ(C.typeOf("a"), "public num = 6"); // folded through the call
  EXPECT_EQ(C.typeOf("b"), "secret num");
  EXPECT_EQ(C.typeOf("x"), ""); // parameters do not leak into globals
}

TEST(Scopes, FunctionCheckedPerCall) {
  // Branching on the argument is fine for public data, an error for secret.
  Compiled Ok = checked("f <- function(v) if (v > 0) 1 else 0\nf(3)\n");
  EXPECT_EQ(Ok.errors(), 0u) << Ok.errorText();
  Compiled Bad = checked("f <- function(v) if (v > 0) 1 else 0\n"
                         "f(mean(d$age))\n");
  EXPECT_EQ(Bad.errors(), 1u);
}

TEST(Scopes, LocalAssignmentsStayLocal) {
  Compiled C = checked("z <- 1\nf <- function() { z <- mean(d$age); z }\n"
                       "w <- f()\n");
  ASSERT_EQ(C.errors(), 0u) << C.errorText();
  EXPECT_EQ(C.typeOf("z"), "public num = 1");
  EXPECT_EQ(C.typeOf("w"), "secret num");
}

TEST(Scopes, RecursionRejected) {
  Compiled C = checked("f <- function(n) if (n > 0) f(n - 1) else 0\nf(3)\n");
  EXPECT_EQ(C.errors(), 1u);
  EXPECT_NE(C.errorText().find("recursive call to 'f'"), std::string::npos);
}

TEST(Labels, ObliviousChoiceIsSecret) {
  Compiled C = checked("s <- ifelse(d$age > 50, d$age, 0)\n"
                       "p <- ifelse(TRUE, 1, 2)\n");
  ASSERT_EQ(C.errors(), 0u) << C.errorText();
  EXPECT_EQ(C.typeOf("s"), "secret num vector[nrow(d)] in [0, 120]");
  EXPECT_EQ(C.typeOf("p"), "public num in [1, 2]");
}

TEST(Shapes, ModelsAndMatrices) {
  Compiled C = checked("fit <- lm(age ~ sex + ok, data = d)\n"
                       "b <- coef(fit)\nX <- cbind(1, d$age)\nG <- t(X) %*% X\n");
  ASSERT_EQ(C.errors(), 0u) << C.errorText();
  EXPECT_EQ(C.typeOf("b"), "secret num vector[3]");
  EXPECT_EQ(C.typeOf("G"), "secret num matrix[2 x 2]");
}

TEST(Inputs, SchemaRecorded) {
  Compiled C("e <- input_table(parties = \"s\", key = \"id\", columns = "
             "list(score = num(0, 100), g = int(1, 12)))\n");
  ASSERT_EQ(C.errors(), 0u) << C.errorText();
  ASSERT_EQ(C.Result.Inputs.size(), 1u);
  const InputDecl &I = C.Result.Inputs[0];
  EXPECT_EQ(I.Name, "e");
  EXPECT_EQ(I.Key, "id");
  ASSERT_EQ(I.Columns.size(), 2u);
  EXPECT_EQ(I.Columns[1].Name, "g");
  EXPECT_EQ(I.Columns[1].Elem, ElemType::Int);
  EXPECT_EQ(I.Columns[1].Lo, 1);
  EXPECT_EQ(I.Columns[1].Hi, 12);
}
