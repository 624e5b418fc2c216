//===- RoundTripTest.cpp - parse -> print -> parse gives the same tree ----===//
//
// A property test over every .sstat file in the repository (examples and
// lit tests) and over generated programs: printing a parsed program and
// parsing the text again must give a structurally equal AST.
//
//===----------------------------------------------------------------------===//

#include "TestUtil.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

using namespace sstat;
using namespace sstat::test;
namespace fs = std::filesystem;

static void expectRoundTrip(const std::string &Src, const std::string &Name) {
  Compiled A(Src, false, Name);
  if (A.errors() > 0)
    return; // files that test syntax errors: nothing to round-trip
  std::string Printed = printSource(*A.Prog);
  Compiled B(Printed, false, Name + " (printed)");
  ASSERT_EQ(B.errors(), 0u) << Name << ": printed form does not parse:\n"
                            << Printed << "\n"
                            << B.errorText();
  EXPECT_TRUE(structurallyEqual(*A.Prog, *B.Prog))
      << Name << ": printed form parses differently:\n"
      << Printed;
  // Printing is idempotent.
  EXPECT_EQ(printSource(*B.Prog), Printed) << Name;
}

TEST(RoundTrip, EveryRepositoryFile) {
  unsigned Files = 0;
  for (const char *Dir : {"examples", "tests/lit", "bench"}) {
    fs::path Root = fs::path(SSTAT_SOURCE_DIR) / Dir;
    if (!fs::exists(Root))
      continue;
    std::vector<fs::path> Paths;
    for (const auto &E : fs::recursive_directory_iterator(Root))
      if (E.is_regular_file() && E.path().extension() == ".sstat")
        Paths.push_back(E.path());
    std::sort(Paths.begin(), Paths.end());
    for (const fs::path &P : Paths) {
      std::ifstream In(P);
      std::stringstream SS;
      SS << In.rdbuf();
      expectRoundTrip(SS.str(), P.string());
      ++Files;
    }
  }
  EXPECT_GT(Files, 5u);
}

// Random expressions over every operator, printed fully parenthesized; the
// minimal-parentheses printer must keep their structure.
static std::string randomExpr(std::mt19937 &R, int Depth) {
  static const char *Bin[] = {"+", "-", "*", "/", "^", ":", "%%", "%in%",
                              "%*%", "<", "==", "&", "&&", "|", "||", "~",
                              "<-", "=", "->"};
  static const char *Atoms[] = {"a", "b", "1", "2.5", "\"s\"", "TRUE", "x$y",
                                "f(a)", "v[1]", "m[, 2]", "l[[1]]"};
  std::uniform_int_distribution<int> Pick(0, 9);
  int K = Depth <= 0 ? 0 : Pick(R);
  if (K <= 2)
    return Atoms[R() % std::size(Atoms)];
  if (K == 3)
    return std::string(R() % 2 ? "-" : "!") + "(" + randomExpr(R, Depth - 1) +
           ")";
  if (K == 4)
    return "if (" + randomExpr(R, Depth - 1) + ") (" +
           randomExpr(R, Depth - 1) + ")" +
           (R() % 2 ? " else (" + randomExpr(R, Depth - 1) + ")" : "");
  if (K == 5)
    return "function(p, q = 1) (" + randomExpr(R, Depth - 1) + ")";
  if (K == 6)
    return "g(" + randomExpr(R, Depth - 1) + ", k = " +
           randomExpr(R, Depth - 1) + ")";
  std::string Op = Bin[R() % std::size(Bin)];
  std::string L = randomExpr(R, Depth - 1), Rt = randomExpr(R, Depth - 1);
  if (Op == "<-" || Op == "=" || Op == "->")
    return "(" + (Op == "->" ? "(" + L + ") -> x" : "x " + Op + " (" + Rt + ")") + ")";
  return "(" + L + ") " + Op + " (" + Rt + ")";
}

TEST(RoundTrip, GeneratedExpressions) {
  std::mt19937 R(12345);
  for (int I = 0; I < 2000; ++I) {
    std::string E = randomExpr(R, 4);
    // Chained comparisons are errors, skip the (rare) ones generated.
    Compiled C(E, false);
    if (C.errors())
      continue;
    expectRoundTrip(E, "generated #" + std::to_string(I) + ": " + E);
    if (HasFatalFailure() || HasFailure())
      return;
  }
}
