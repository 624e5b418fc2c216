//===- IRParserTest.cpp - The IR's textual form reads back ----------------===//
//
// parseModule() is the inverse of print(): for lowered programs and for a
// hand-written module that uses every piece of the syntax, print -> parse
// -> print gives the same text and the parsed module verifies. Every parse
// error is checked with its exact text and position, and random mutations
// of a valid module must parse or fail with a message, never crash; what
// they parse to must print to text that parses again to the same text.
//
//===----------------------------------------------------------------------===//

#include "TestUtil.h"

#include "sstat/IR/Lower.h"
#include "sstat/IR/Pass.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <regex>
#include <sstream>

#include <sys/wait.h>
#include <unistd.h>

using namespace sstat::ir;
namespace fs = std::filesystem;

namespace {

/// Lowers a source string in this process; null if it does not check or
/// lower.
std::unique_ptr<Module> lower(const std::string &Src) {
  sstat::test::Compiled C(Src);
  if (C.errors() > 0)
    return nullptr;
  return sstat::lowerProgram(*C.Prog, C.Result, C.Diags);
}

/// print(parse(Text)) == Text, and the parsed module verifies.
void expectRoundTrip(const std::string &Text, const std::string &Name) {
  std::string Err;
  std::unique_ptr<Module> M = parseModule(Text, Name, Err);
  ASSERT_TRUE(M) << Name << ": " << Err << "\n" << Text;
  EXPECT_EQ(toString(*M), Text) << Name;
  std::string VErr;
  EXPECT_TRUE(verify(*M, VErr)) << Name << ": " << VErr;
}

/// The lowered program's text round-trips, before and after the default
/// pipeline (run on the parsed module).
void expectProgramRoundTrips(const std::string &Src, const std::string &Name) {
  std::unique_ptr<Module> Lowered = lower(Src);
  ASSERT_TRUE(Lowered) << Name << " does not lower";
  std::string Text = toString(*Lowered);
  expectRoundTrip(Text, Name);
  std::string Err;
  std::unique_ptr<Module> M = parseModule(Text, Name, Err);
  ASSERT_TRUE(M) << Err;
  ASSERT_TRUE(runPipeline(*M, defaultPipeline(), {}, Err)) << Err;
  expectRoundTrip(toString(*M), Name + " (optimized)");
}

std::string parseError(const std::string &Text) {
  std::string Err;
  std::unique_ptr<Module> M = parseModule(Text, "t.ir", Err);
  EXPECT_FALSE(M) << "parsed:\n" << Text;
  return Err;
}

// ---- realistic programs

const char *Descriptive = R"IR(
pts <- input_table(
  parties = c("clinic_a", "clinic_b"),
  columns = list(age = num(18, 99), sbp = num(80, 220), bmi = num(10, 60),
                 smoker = bool(), visits = int(0, 50))
)
publish(mean(pts$sbp), to = "researcher")
publish(c(var = var(pts$age), sd = sd(pts$age)), to = "researcher")
publish(cov(pts$age, pts$sbp), to = "researcher")
publish(cor(pts$bmi, pts$sbp), to = c("researcher", "clinic_a"))
)IR";

const char *Arithmetic = R"IR(
pts <- input_table(
  parties = c("clinic_a", "clinic_b"),
  columns = list(age = num(18, 99), sbp = num(80, 220), smoker = bool(),
                 visits = int(0, 50))
)
n <- nrow(pts)
share <- sum(pts$smoker) / n
adj <- ifelse(pts$smoker, pts$sbp - 5, pts$sbp + 2.5) * 0.5
z <- (pts$age - mean(pts$age)) / sqrt(var(pts$age))
publish(share, to = "r")
publish(mean(adj) + exp(log(mean(pts$sbp))), to = "r")
publish(sum(z * z) / (n - 1), to = "r")
publish(-mean(pts$visits) * 3, to = "r")
)IR";

const char *Loops = R"IR(
d <- input_table(parties = c("a", "b"), columns = list(x = num(0, 10), y = num(-5, 5)))
mx <- mean(d$x)
total <- 0
for (i in 1:10) {
  total <- total + i * i
}
acc <- 0
for (k in 1:nrow(d)) {
  acc <- acc + mx * k
}
steps <- 0
for (i in 1:4) {
  for (j in 1:2) {
    steps <- steps + j
  }
}
publish(acc + total + steps, to = "r")
)IR";

const char *Branches = R"IR(
d <- input_table(parties = c("a", "b"),
                 columns = list(x = num(0, 10), y = num(-5, 5), g = bool()))
x <- d$x
y <- d$y
publish(mean(x), to = "r")
publish(mean(y), to = "r")
m <- reveal(mean(x))
if (m > 5) {
  publish(mean(y), to = "r")
} else {
  publish(sd(y), to = "r")
}
s <- if (m < 2.5) var(x) else cov(x, y)
k <- reveal(sum(d$g))
w <- 0
if (k > 3) {
  w <- s * 2
} else {
  w <- s
}
publish(w, to = c("r", "a"))
)IR";

TEST(IRParser, RoundTripDescriptiveStatistics) {
  expectProgramRoundTrips(Descriptive, "descriptive");
}
TEST(IRParser, RoundTripArithmeticAndIfelse) {
  expectProgramRoundTrips(Arithmetic, "arithmetic");
}
TEST(IRParser, RoundTripLoopsWithAccumulators) {
  expectProgramRoundTrips(Loops, "loops");
}
TEST(IRParser, RoundTripBranchesOnRevealedValues) {
  expectProgramRoundTrips(Branches, "branches");
}

// A module as the printer writes it, with every piece of the syntax: a
// key, factor levels with escapes, columns that may be NA, infinite bounds,
// every attribute kind, matrix and unknown shapes, a two-result loop, nested
// ifs with and without results.
const char *Rich = R"IR(module ring 128 frac 20 parties ["a", "b-2", "r.x"]
input @pts parties ["a", "b-2"] key "id" {
  column "id" key
  column "age" num [18.0, 99.5] na
  column "visits" int [0.0, 1000000.0]
  column "smoker" bool na
  column "region" factor ["north", "so\"uth", "back\\slash"]
  column "empty" factor []
}
input @tax parties ["r.x"] {
  column "income" num [-inf, inf]
}
func @main {
  %0 = input {column = "age", table = "pts"} : sfix<20>[n.pts]
  %1 = input.valid {column = "age", table = "pts"} : sbool[n.pts]
  %2 = nrows {table = "pts"} : pint
  %3 = const {value = -3} : pint
  %4 = const {value = 0.1} : pfix<20>
  %5 = const {value = nan} : pfix<20>
  %6 = const {value = -inf} : pfix<20>
  %7 = const {value = 1e-300} : pfix<20>
  %8 = const {value = 9223372036854775807} : pint[3x2]
  %9 = const {value = -9223372036854775808} : pint[?x?]
  %10 = const {value = 2.0} : pint[?]
  %11 = mul %0, %4 : sfix<40>[n.pts]
  %12 = trunc %11 {bits = 20} : sfix<20>[n.pts]
  %13 = select %1, %12, %0 : sfix<20>[n.pts]
  %14 = sum %13 : sfix<20>
  %15 = cast %2 : pfix<20>
  %16 = div %14, %15 : sfix<20>
  %17 = concat %16, %16 {names = ["mean", "a \"quoted\"\nname", ""]} : sfix<20>[2]
  %18 = input {column = "income", table = "tax"} : sfix<20>[n.tax]
  %19 = transpose %8 : pint[2x3]
  %20 = matmul %8, %19 : pint[3x3]
  %21 = const {value = 1} : pint
  %22 = const {value = 0.0} : pfix<20>
  %23 = cast %22 : sfix<20>
  %24, %25 = for %21, %2, %23, %21 : sfix<20>, pint {
  ^(%26: pint, %27: sfix<20>, %28: pint):
    %29 = get %0, %26 : sfix<20>
    %30 = add %27, %29 : sfix<20>
    %31 = add %28, %21 : pint
    yield %30, %31
  }
  %32 = reveal %24 {what = "total"} : pfix<20>
  %33 = lt %4, %32 : pbool
  %34 = if %33 : sfix<20> {
    %35 = sqrt %16 : sfix<20>
    yield %35
  } else {
    %36 = if %33 : sfix<20> {
      yield %16
    } else {
      %37 = neg %16 : sfix<20>
      yield %37
    }
    yield %36
  }
  if %33 {
    publish %34 {to = ["r.x"], what = "x\\y"}
    yield
  } else {
    yield
  }
  publish %17 {to = ["a", "r.x"], what = "c(mean = m)"}
}
)IR";

TEST(IRParser, RoundTripEverySyntax) { expectRoundTrip(Rich, "rich.ir"); }

TEST(IRParser, ReadsWhatItPrints) {
  std::string Err;
  std::unique_ptr<Module> M = parseModule(Rich, "rich.ir", Err);
  ASSERT_TRUE(M) << Err;
  EXPECT_EQ(M->RingBits, 128u);
  EXPECT_EQ(M->FracBits, 20u);
  EXPECT_EQ(M->FileName, "rich.ir");
  ASSERT_EQ(M->Inputs.size(), 2u);
  const InputTable &P = M->Inputs[0];
  EXPECT_EQ(P.Key, "id");
  ASSERT_EQ(P.Columns.size(), 6u);
  EXPECT_EQ(P.Columns[1].Hi, 99.5);
  EXPECT_TRUE(P.Columns[1].MayBeNA);
  EXPECT_FALSE(P.Columns[2].MayBeNA);
  EXPECT_TRUE(P.Columns[3].MayBeNA);
  EXPECT_EQ(P.Columns[4].Levels,
            (std::vector<std::string>{"north", "so\"uth", "back\\slash"}));
  EXPECT_TRUE(std::isinf(M->Inputs[1].Columns[0].Lo) &&
              M->Inputs[1].Columns[0].Lo < 0);

  std::vector<Op *> Ops;
  walk(M->body().block(), [&](Op &O) { Ops.push_back(&O); });
  auto Value = [&](unsigned I) -> const Attr & {
    return Ops[I]->Attrs.at("value");
  };
  EXPECT_EQ(std::get<int64_t>(Value(3)), -3);
  EXPECT_EQ(std::get<double>(Value(4)), 0.1);
  EXPECT_TRUE(std::isnan(std::get<double>(Value(5))));
  EXPECT_EQ(std::get<double>(Value(6)), -INFINITY);
  EXPECT_EQ(std::get<double>(Value(7)), 1e-300);
  EXPECT_EQ(std::get<int64_t>(Value(8)), INT64_MAX);
  EXPECT_EQ(std::get<int64_t>(Value(9)), INT64_MIN);
  EXPECT_EQ(std::get<std::vector<std::string>>(Ops[17]->Attrs.at("names")),
            (std::vector<std::string>{"mean", "a \"quoted\"\nname", ""}));

  EXPECT_EQ(Ops[0]->result()->type(),
            Type::vector(Sec::Secret, Elem::Fix, 20, Dim::sym("n.pts")));
  EXPECT_EQ(Ops[8]->result()->type(),
            Type::matrix(Sec::Public, Elem::Int, 0, Dim::constant(3),
                         Dim::constant(2)));
  EXPECT_EQ(
      Ops[9]->result()->type(),
      Type::matrix(Sec::Public, Elem::Int, 0, Dim::unknown(), Dim::unknown()));
  // The loop: operands, results, block arguments, uses inside the body.
  Op *For = Ops[24];
  ASSERT_EQ(For->code(), OpCode::For);
  EXPECT_EQ(For->numOperands(), 4u);
  EXPECT_EQ(For->numResults(), 2u);
  const Block &Body = For->region(0).block();
  ASSERT_EQ(Body.numArguments(), 3u);
  EXPECT_EQ(Ops[25]->operand(1), Body.argument(0)); // get %0, %26
  EXPECT_EQ(Ops[25]->operand(0), Ops[0]->result());
  EXPECT_EQ(Ops[29]->operand(0), For->result(0)); // reveal %24
}

TEST(IRParser, BuiltModuleRoundTripsStructurally) {
  // Values the printer must write so that they read back bit for bit.
  Module M;
  M.Parties = {"a"};
  Block &B = M.body().block();
  const std::vector<double> Doubles = {0.1,
                                       -0.0,
                                       1.0 / 3,
                                       5e-324,
                                       1.7976931348623157e308,
                                       123456789012345678.0,
                                       -2.5e-10,
                                       INFINITY,
                                       -INFINITY};
  auto C = std::make_unique<Op>(OpCode::Const, llvm::SMLoc());
  C->addResult(Type::scalar(Sec::Public, Elem::Fix, 255));
  for (size_t I = 0; I < Doubles.size(); ++I)
    C->Attrs["d" + std::to_string(I)] = Doubles[I];
  C->Attrs["s"] = std::string("tab\there \xc3\xa9 \"q\" \\ \n end");
  C->Attrs["i"] = int64_t(0);
  C->Attrs["l"] = std::vector<std::string>{};
  C->Attrs["value"] = int64_t(1);
  B.append(std::move(C));
  std::string Text = toString(M);
  std::string Err;
  std::unique_ptr<Module> P = parseModule(Text, "built", Err);
  ASSERT_TRUE(P) << Err << "\n" << Text;
  EXPECT_EQ(toString(*P), Text);
  const Op &O = *P->body().block().ops().front();
  const Op &Orig = *M.body().block().ops().front();
  EXPECT_EQ(O.Attrs, Orig.Attrs);
  for (size_t I = 0; I < Doubles.size(); ++I) {
    double D = std::get<double>(O.Attrs.at("d" + std::to_string(I)));
    EXPECT_EQ(std::signbit(D), std::signbit(Doubles[I])) << I;
  }
  EXPECT_EQ(O.result()->type(), Type::scalar(Sec::Public, Elem::Fix, 255));
}

TEST(IRParser, SkipsCommentsAndAcceptsNamedValues) {
  const char *Text = R"IR(// -----// IR after lowering //----- //
module ring 64 frac 16 parties ["a", "r"] // the parties

input @t parties ["a"] {
  // columns
  column "x" num [0.0, 1.0]
}
func @main {
  %x = input {column = "x", table = "t"} : sfix<16>[n.t] // the column
  %total = sum %x : sfix<16>

  publish %total {to = ["r"]}
}
// trailing comment
)IR";
  std::string Err;
  std::unique_ptr<Module> M = parseModule(Text, "c.ir", Err);
  ASSERT_TRUE(M) << Err;
  EXPECT_EQ(toString(*M), R"IR(module ring 64 frac 16 parties ["a", "r"]
input @t parties ["a"] {
  column "x" num [0.0, 1.0]
}
func @main {
  %0 = input {column = "x", table = "t"} : sfix<16>[n.t]
  %1 = sum %0 : sfix<16>
  publish %1 {to = ["r"]}
}
)IR");
}

// ---- every repository program that lowers

enum class Lowering { Lowered, Rejected, Crashed };

/// Lowers \p Src in a child process, so that a crash in lowering (a bug
/// there, not in the parser) cannot take this test binary down.
Lowering lowerInChild(const std::string &Src, const std::string &Name,
                      std::string &IR) {
  int Fd[2];
  if (pipe(Fd) != 0)
    return Lowering::Crashed;
  pid_t Pid = fork();
  if (Pid < 0)
    return Lowering::Crashed;
  if (Pid == 0) {
    close(Fd[0]);
    sstat::test::Compiled C(Src, true, Name);
    std::unique_ptr<Module> M =
        C.errors() ? nullptr : sstat::lowerProgram(*C.Prog, C.Result, C.Diags);
    if (!M)
      _exit(2);
    std::string Text = toString(*M);
    for (size_t Done = 0; Done < Text.size();) {
      ssize_t N = write(Fd[1], Text.data() + Done, Text.size() - Done);
      if (N <= 0)
        _exit(3);
      Done += size_t(N);
    }
    _exit(0);
  }
  close(Fd[1]);
  char Buf[4096];
  for (;;) {
    ssize_t N = read(Fd[0], Buf, sizeof Buf);
    if (N < 0 && errno == EINTR)
      continue;
    if (N <= 0)
      break;
    IR.append(Buf, size_t(N));
  }
  close(Fd[0]);
  int Status = 0;
  while (waitpid(Pid, &Status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(Status) && WEXITSTATUS(Status) == 0)
    return Lowering::Lowered;
  if (WIFEXITED(Status) && WEXITSTATUS(Status) == 2)
    return Lowering::Rejected;
  return Lowering::Crashed;
}

TEST(IRParser, RoundTripEveryRepositoryProgramThatLowers) {
  std::vector<fs::path> Paths;
  fs::path Root(SSTAT_SOURCE_DIR);
  for (const auto &E : fs::directory_iterator(Root / "examples"))
    if (E.path().extension() == ".sstat")
      Paths.push_back(E.path());
  for (const auto &E : fs::directory_iterator(Root / "tests/lit/sema"))
    if (E.path().extension() == ".sstat" &&
        E.path().filename().string().rfind("accept-", 0) == 0)
      Paths.push_back(E.path());
  std::sort(Paths.begin(), Paths.end());
  ASSERT_GT(Paths.size(), 10u);

  unsigned Lowered = 0, Rejected = 0;
  for (const fs::path &P : Paths) {
    std::ifstream In(P);
    std::stringstream SS;
    SS << In.rdbuf();
    std::string IR;
    switch (lowerInChild(SS.str(), P.string(), IR)) {
    case Lowering::Lowered: {
      ++Lowered;
      expectRoundTrip(IR, P.string());
      std::string Err;
      std::unique_ptr<Module> M = parseModule(IR, P.string(), Err);
      if (M && runPipeline(*M, defaultPipeline(), {}, Err))
        expectRoundTrip(toString(*M), P.string() + " (optimized)");
      break;
    }
    case Lowering::Rejected:
      ++Rejected; // not supported by the compiler yet: nothing to read back
      break;
    case Lowering::Crashed:
      // Reported, not failed: lowering is tested elsewhere.
      std::cerr << "note: lowering " << P.string()
                << " crashed; skipped here\n";
      break;
    }
  }
  EXPECT_GE(Lowered, 1u) << "no repository program lowers";
  RecordProperty("lowered", int(Lowered));
  RecordProperty("rejected", int(Rejected));
}

// ---- errors, with their exact text and position

const std::string Head = R"IR(module ring 64 frac 16 parties ["a", "r"]
input @t parties ["a"] {
  column "x" num [0.0, 1.0]
}
func @main {
)IR";
// Line 6 is the first op.
const std::string X =
    R"IR(  %0 = input {column = "x", table = "t"} : sfix<16>[n.t]
)IR";

TEST(IRParserErrors, MissingColonBeforeResultTypes) {
  EXPECT_EQ(parseError(Head + X + "  %1 = sum %0 sfix<16>\n}\n"),
            "t.ir:7:15: expected ':' before the result types");
}

TEST(IRParserErrors, MissingEqualAfterResults) {
  EXPECT_EQ(parseError(Head + X + "  %1 sum %0 : sfix<16>\n}\n"),
            "t.ir:7:6: expected '=' after the results");
}

TEST(IRParserErrors, UnknownOp) {
  EXPECT_EQ(parseError(Head + X + "  %1 = foo %0 : sfix<16>\n}\n"),
            "t.ir:7:8: unknown op 'foo'");
}

TEST(IRParserErrors, UndefinedValue) {
  EXPECT_EQ(parseError(Head + X + "  %1 = add %0, %7 : sfix<16>[n.t]\n}\n"),
            "t.ir:7:16: use of undefined value '%7'");
}

TEST(IRParserErrors, UseBeforeDefinition) {
  EXPECT_EQ(parseError(Head + "  %1 = sum %0 : sfix<16>\n" + X + "}\n"),
            "t.ir:6:12: use of undefined value '%0'");
}

TEST(IRParserErrors, ValueDefinedTwice) {
  EXPECT_EQ(
      parseError(Head + X + "  %1 = sum %0 : sfix<16>\n" +
                 "  %3 = neg %1 : sfix<16>\n  %3 = neg %1 : sfix<16>\n}\n"),
      "t.ir:9:3: value '%3' defined twice");
}

TEST(IRParserErrors, ValueDefinedTwiceInOneOp) {
  EXPECT_EQ(
      parseError(Head + "  %0 = const {value = 1} : pbool\n" +
                 "  %1, %1 = if %0 : pint, pint {\n    yield\n  } else {\n"
                 "    yield\n  }\n}\n"),
      "t.ir:7:7: value '%1' defined twice");
}

TEST(IRParserErrors, BlockArgumentRedefinesAValue) {
  EXPECT_EQ(parseError(Head +
                       "  %0 = const {value = 1} : pint\n"
                       "  for %0, %0 {\n  ^(%0: pint):\n    yield\n  }\n}\n"),
            "t.ir:8:5: value '%0' defined twice");
}

TEST(IRParserErrors, OperandCount) {
  EXPECT_EQ(parseError(Head + X + "  %1 = add %0, %0, %0 : sfix<16>[n.t]\n}\n"),
            "t.ir:7:8: 'add' expects 2 operands, got 3");
  EXPECT_EQ(parseError(Head + X + "  %1 = neg %0, %0 : sfix<16>[n.t]\n}\n"),
            "t.ir:7:8: 'neg' expects 1 operand, got 2");
}

TEST(IRParserErrors, ResultCount) {
  EXPECT_EQ(
      parseError(Head + X + "  %1 = publish %0 {to = [\"r\"]} : sfix<16>\n}\n"),
      "t.ir:7:8: 'publish' expects 0 results, got 1");
  EXPECT_EQ(parseError(Head + X + "  sum %0\n}\n"),
            "t.ir:7:3: 'sum' expects 1 result, got 0");
}

TEST(IRParserErrors, RegionCount) {
  EXPECT_EQ(parseError(Head + "  %0 = const {value = 1} : pbool\n"
                              "  if %0 {\n    yield\n  }\n}\n"),
            "t.ir:7:3: 'if' expects 2 regions, got 1");
}

TEST(IRParserErrors, TypeCount) {
  EXPECT_EQ(parseError(Head + X + "  %1 = sum %0 : sfix<16>, pint\n}\n"),
            "t.ir:7:15: 1 result but 2 types");
}

TEST(IRParserErrors, TypesWithoutResults) {
  EXPECT_EQ(parseError(Head + X + "  publish %0 {to = [\"r\"]} : pint\n}\n"),
            "t.ir:7:27: ':' and types after an op without results");
}

TEST(IRParserErrors, UnknownType) {
  EXPECT_EQ(parseError(Head + X + "  %1 = sum %0 : sflot<16>\n}\n"),
            "t.ir:7:17: unknown type 'sflot'");
}

TEST(IRParserErrors, ScaleOutOfRange) {
  EXPECT_EQ(parseError(Head + X + "  %1 = sum %0 : sfix<256>\n}\n"),
            "t.ir:7:22: integer '256' is out of range");
}

TEST(IRParserErrors, InvalidShape) {
  EXPECT_EQ(parseError(Head + X + "  %1 = sum %0 : sfix<16>[3y]\n}\n"),
            "t.ir:7:26: invalid shape '[3y]': expected a length (digits, '?' "
            "or a name) or two joined by 'x'");
  EXPECT_EQ(parseError(Head + X + "  %1 = sum %0 : sfix<16>[3\n}\n"),
            "t.ir:7:27: expected ']' after the shape");
  EXPECT_EQ(parseError(Head + X +
                       "  %1 = sum %0 : sfix<16>[99999999999999999999]\n}\n"),
            "t.ir:7:26: length '99999999999999999999' is out of range");
}

TEST(IRParserErrors, AmbiguousShape) {
  // Tables "t" and "tx3": is [n.tx3] a vector over tx3 or an n.t x 3
  // matrix? Nothing in the text tells.
  std::string H = R"IR(module ring 64 frac 16 parties ["a"]
input @t parties ["a"] {
}
input @tx3 parties ["a"] {
}
func @main {
)IR";
  EXPECT_EQ(parseError(H + "  %0 = const {value = 1} : pint[n.tx3]\n}\n"),
            "t.ir:7:33: ambiguous shape '[n.tx3]': 'x' may join two lengths "
            "or be part of a name");
  // With only one of the tables declared, the names decide.
  std::string Err;
  for (const char *Table : {"t", "tx3"}) {
    std::string Text = "module ring 64 frac 16 parties [\"a\"]\ninput @" +
                       std::string(Table) +
                       " parties [\"a\"] {\n}\nfunc @main {\n"
                       "  %0 = const {value = 1} : pint[n.tx3]\n}\n";
    std::unique_ptr<Module> M = parseModule(Text, "t.ir", Err);
    ASSERT_TRUE(M) << Err;
    const Type &T = M->body().block().ops().front()->result()->type();
    EXPECT_EQ(T.Rank, std::string(Table) == "t" ? 2 : 1) << Table;
    EXPECT_EQ(toString(*M), Text);
  }
}

TEST(IRParserErrors, AttributeErrors) {
  EXPECT_EQ(
      parseError(Head + "  %0 = const {value = 1, value = 2} : pint\n}\n"),
      "t.ir:6:26: attribute 'value' given twice");
  EXPECT_EQ(
      parseError(Head +
                 "  %0 = const {value = 99999999999999999999} : pint\n}\n"),
      "t.ir:6:23: integer '99999999999999999999' is out of range");
  EXPECT_EQ(parseError(Head + "  %0 = const {value = %1} : pint\n}\n"),
            "t.ir:6:23: expected an attribute value (a number, a string or a "
            "list of strings)");
  EXPECT_EQ(parseError(Head + "  %0 = const {value 1} : pint\n}\n"),
            "t.ir:6:21: expected '=' after the attribute name");
  EXPECT_EQ(parseError(Head + "  %0 = const {value = 1 : pint\n}\n"),
            "t.ir:6:25: expected ',' or '}' after the attribute");
  EXPECT_EQ(parseError(Head + "  %0 = const {value = 1.5.2} : pint\n}\n"),
            "t.ir:6:23: invalid number '1.5.2'");
}

TEST(IRParserErrors, StringErrors) {
  EXPECT_EQ(
      parseError(Head + "  %0 = const {value = \"ab\tc\\t\"} : pint\n}\n"),
      "t.ir:6:28: unknown escape '\\t' in a string (only \\\", \\\\ and "
      "\\n)");
  EXPECT_EQ(parseError(Head + "  %0 = const {value = \"abc} : pint\n}\n"),
            "t.ir:6:23: unterminated string");
}

TEST(IRParserErrors, UnexpectedCharacter) {
  EXPECT_EQ(parseError(Head + "  %0 = const {value = 1} : pint $\n}\n"),
            "t.ir:6:33: unexpected character '$'");
  EXPECT_EQ(parseError(Head + "  %0 = const {value = 1} : pint \x01\n}\n"),
            "t.ir:6:33: unexpected character '\\x01'");
  EXPECT_EQ(parseError(Head + "  % = const {value = 1} : pint\n}\n"),
            "t.ir:6:3: expected a value name after '%'");
}

TEST(IRParserErrors, EndOfLine) {
  EXPECT_EQ(parseError(Head + "  %0 = const {value = 1} : pint yield\n}\n"),
            "t.ir:6:33: expected end of line after the op");
  // An op without results takes no operands from the next line.
  EXPECT_EQ(parseError(Head + X +
                       "  %1 = sum %0 : sfix<16>\n  yield\n"
                       "  %1\n}\n"),
            "t.ir:9:3: value '%1' defined twice");
}

TEST(IRParserErrors, ScopeOfRegionValues) {
  std::string Loop = Head + "  %0 = const {value = 1} : pint\n"
                            "  %1 = for %0, %0, %0 : pint {\n"
                            "  ^(%2: pint, %3: pint):\n"
                            "    %4 = add %3, %2 : pint\n"
                            "    yield %4\n"
                            "  }\n";
  EXPECT_EQ(parseError(Loop + "  %5 = add %4, %0 : pint\n}\n"),
            "t.ir:12:12: value '%4' is used outside the region that defines "
            "it");
  EXPECT_EQ(parseError(Loop + "  %5 = add %2, %0 : pint\n}\n"),
            "t.ir:12:12: value '%2' is used outside the region that defines "
            "it");
  EXPECT_EQ(parseError(Head + "  %0 = const {value = 1} : pint\n"
                              "  %1 = for %0, %0, %0 : pint {\n"
                              "  ^(%2: pint, %3: pint):\n"
                              "    yield %1\n  }\n}\n"),
            "t.ir:9:11: value '%1' is used inside the op that defines it");
}

TEST(IRParserErrors, RegionSyntax) {
  std::string If = Head + "  %0 = const {value = 1} : pbool\n";
  EXPECT_EQ(parseError(If + "  if %0 {\n    yield\n  } else\n}\n"),
            "t.ir:9:9: expected '{' after 'else'");
  EXPECT_EQ(parseError(If + "  if %0 { yield }\n}\n"),
            "t.ir:7:11: expected end of line after '{'");
  EXPECT_EQ(parseError(If + "  if %0 {value = 1} {\n    yield\n  } else {\n"
                            "    yield\n  } else { %1 = neg %0 : pbool\n}\n"),
            "t.ir:11:12: expected end of line after '{'");
  EXPECT_EQ(parseError(If + "  if %0 {\n    yield\n"),
            "t.ir:9:1: expected '}' at the end of the block");
  EXPECT_EQ(parseError(Head +
                       "  %0 = const {value = 1} : pint\n"
                       "  for %0, %0 {\n  ^(%1 pint):\n    yield\n  }\n}\n"),
            "t.ir:8:8: expected ':' after the argument's name");
}

TEST(IRParserErrors, ModuleSyntax) {
  EXPECT_EQ(parseError(""),
            "t.ir:1:1: expected 'module' at the start of the IR");
  EXPECT_EQ(parseError("module ring 64 frac 16 parties [\"a\" \"b\"]\n"),
            "t.ir:1:37: expected ',' or ']' in the list");
  EXPECT_EQ(parseError("module ring 64 frac -1 parties []\n"),
            "t.ir:1:21: integer '-1' is out of range");
  EXPECT_EQ(parseError("module ring 64 frac 16 parties []\nfunc @f {\n}\n"),
            "t.ir:2:9: expected '(' after the function's name");
  EXPECT_EQ(parseError("module ring 64 frac 16 parties []\nfunc {\n}\n"),
            "t.ir:2:6: expected '@main'");
  EXPECT_EQ(parseError("module ring 64 frac 16 parties []\nfunc @main {\n}\n"
                       "func @f() -> () {\n  yield\n}\n"),
            "t.ir:4:1: expected end of input after the function");
  EXPECT_EQ(parseError("module ring 64 frac 16 parties []\nfunc @main {\n}\n"
                       "module ring 64 frac 16 parties []\n"),
            "t.ir:4:1: a second module: a file holds one module");
  EXPECT_EQ(
      parseError("module ring 64 frac 16 parties []\nfunc @main {\n}\n}\n"),
      "t.ir:4:1: expected end of input after the function");
  EXPECT_EQ(parseError("module ring 64 frac 16 parties []\n"),
            "t.ir:2:1: expected 'input' or 'func'");
}

TEST(IRParserErrors, InputTables) {
  EXPECT_EQ(parseError(Head + "}\ninput @t parties [] {\n}\n"),
            "t.ir:7:1: expected end of input after the function");
  EXPECT_EQ(parseError("module ring 64 frac 16 parties []\n"
                       "input @t parties [] {\n}\ninput @t parties [] {\n}\n"),
            "t.ir:4:7: input table 't' declared twice");
  EXPECT_EQ(parseError("module ring 64 frac 16 parties []\n"
                       "input @t parties [] {\n  column \"x\" nmu\n}\n"),
            "t.ir:3:14: unknown column kind 'nmu' (num, int, bool, factor or "
            "key)");
  EXPECT_EQ(parseError("module ring 64 frac 16 parties []\n"
                       "input @t parties [] {\n  column \"x\" bool\n"
                       "  column \"x\" int [0.0, 1.0]\n}\n"),
            "t.ir:4:10: column 'x' declared twice in table 't'");
  EXPECT_EQ(
      parseError("module ring 64 frac 16 parties []\n"
                 "input @t parties [] {\n  column \"x\" num [0.0 1.0]\n}\n"),
      "t.ir:3:23: expected ',' after the lower bound");
  EXPECT_EQ(parseError("module ring 64 frac 16 parties []\n"
                       "input @t parties [] {\n  row \"x\" bool\n}\n"),
            "t.ir:3:3: expected 'column' or '}'");
}

/// `if`s nested \p Depth deep around one yield, indented as the printer
/// does unless \p Flat.
std::string nestedIfs(unsigned Depth, bool Flat = false) {
  std::string S = "module ring 64 frac 16 parties []\nfunc @main {\n"
                  "  %0 = const {value = 1} : pbool\n";
  for (unsigned I = 0; I < Depth; ++I)
    S += std::string(Flat ? 0 : 2 * (I + 1), ' ') + "if %0 {\n";
  for (unsigned I = Depth; I > 0; --I) {
    std::string In(Flat ? 0 : 2 * I, ' ');
    S += In + "  yield\n" + In + "} else {\n" + In + "  yield\n" + In + "}\n";
  }
  return S + "}\n";
}

TEST(IRParserErrors, NestingDepth) {
  std::string Err;
  std::string Ok = nestedIfs(256);
  std::unique_ptr<Module> M = parseModule(Ok, "t.ir", Err);
  ASSERT_TRUE(M) << Err;
  EXPECT_TRUE(verify(*M, Err)) << Err;
  EXPECT_EQ(toString(*M), Ok);
  // The 257th '{' is on line 260 (3 lines before the first 'if').
  EXPECT_EQ(parseError(nestedIfs(257)),
            "t.ir:260:" + std::to_string(2 * 257 + 7) +
                ": regions nested more than 256 deep");
  // Far deeper input fails the same way, without a deep recursion.
  EXPECT_EQ(parseError(nestedIfs(100000, /*Flat=*/true)),
            "t.ir:260:7: regions nested more than 256 deep");
}

// ---- robustness

/// Mutations of a valid module parse, or fail with one "name:line:col:
/// message" line. What parses prints to text that parses again to itself.
TEST(IRParserFuzz, RandomMutationsNeverCrash) {
  const std::string Base = Rich;
  const std::string Interesting = "%{}[]():,=<>\"\\\n x0-@^/.?e";
  std::mt19937 Rng(20240611);
  auto Below = [&](size_t N) {
    return N == 0 ? 0 : std::uniform_int_distribution<size_t>(0, N - 1)(Rng);
  };
  const std::regex ErrorLine(R"IR(^fuzz\.ir:[0-9]+:[0-9]+: [^\n]+$)IR");
  unsigned Parsed = 0, Failed = 0;
  for (unsigned Iter = 0; Iter < 4000; ++Iter) {
    std::string S = Base;
    unsigned Edits = 1 + unsigned(Below(4));
    for (unsigned E = 0; E < Edits; ++E) {
      size_t At = Below(S.size() + 1);
      switch (Below(7)) {
      case 0: // a random byte
        if (At < S.size())
          S[At] = char(Below(256));
        break;
      case 1: // a byte that means something here
        if (At < S.size())
          S[At] = Interesting[Below(Interesting.size())];
        break;
      case 2:
        S.insert(S.begin() + ptrdiff_t(At),
                 Interesting[Below(Interesting.size())]);
        break;
      case 3:
        if (At < S.size())
          S.erase(At, 1);
        break;
      case 4: // drop a stretch
        S.erase(At, Below(40));
        break;
      case 5: { // copy a stretch elsewhere
        size_t From = Below(S.size()), Len = Below(60);
        std::string Piece = S.substr(From, Len);
        S.insert(std::min(At, S.size()), Piece);
        break;
      }
      case 6: // a digit changed
        if (At < S.size() && isdigit(static_cast<unsigned char>(S[At])))
          S[At] = char('0' + Below(10));
        break;
      }
    }
    std::string Err;
    std::unique_ptr<Module> M = parseModule(S, "fuzz.ir", Err);
    if (!M) {
      ++Failed;
      ASSERT_TRUE(std::regex_match(Err, ErrorLine))
          << "bad error message '" << Err << "' for:\n"
          << S;
      continue;
    }
    ++Parsed;
    ASSERT_TRUE(Err.empty()) << Err;
    std::string VErr;
    (void)verify(*M, VErr);
    std::string Printed = toString(*M);
    std::unique_ptr<Module> Again = parseModule(Printed, "fuzz.ir", Err);
    ASSERT_TRUE(Again) << Err << "\nmutant:\n"
                       << S << "\nprinted:\n"
                       << Printed;
    ASSERT_EQ(toString(*Again), Printed) << "mutant:\n" << S;
  }
  RecordProperty("parsed", int(Parsed));
  RecordProperty("failed", int(Failed));
  EXPECT_GT(Parsed, 50u);
  EXPECT_GT(Failed, 1000u);
}

} // namespace
