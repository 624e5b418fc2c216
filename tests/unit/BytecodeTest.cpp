//===- BytecodeTest.cpp - .sbc writing, loading and verifying -------------===//

#include "TestUtil.h"

#include "sstat/Bytecode/Emitter.h"
#include "sstat/IR/IR.h"
#include "sstat/IR/Lower.h"
#include "sstat/IR/Pass.h"

#include <gtest/gtest.h>

#include <random>

using namespace sstat;
using namespace sstat::test;

static const char *Script =
    "cars <- input_table(parties = c(\"a\", \"b\"), columns = list(mpg = "
    "num(5, 40), wt = num(1, 6, na = TRUE), am = bool()))\n"
    "publish(mean(cars$mpg), to = \"analyst\")\n"
    "publish(cor(cars$mpg, cars$wt, use = \"complete.obs\"), to = "
    "\"analyst\")\n"
    "total <- 0\n"
    "for (i in 1:3) total <- total + cars$mpg[i]\n"
    "k <- reveal(sum(cars$am))\n"
    "if (k > 2) publish(total, to = c(\"a\", \"b\")) else publish(0, to = "
    "\"a\")\n";

static bc::Program compile(const std::string &Src) {
  Compiled C(Src);
  EXPECT_EQ(C.errors(), 0u) << C.errorText();
  auto M = lowerProgram(*C.Prog, C.Result, C.Diags);
  EXPECT_TRUE(M);
  std::string Err;
  EXPECT_TRUE(ir::runPipeline(*M, ir::defaultPipeline(), {}, Err)) << Err;
  auto P = emitBytecode(*M, &C.SM);
  EXPECT_TRUE(bool(P)) << (P ? "" : toString(P.takeError()));
  return std::move(*P);
}

static std::string loadError(const std::vector<uint8_t> &Bytes) {
  auto P = bc::load(Bytes);
  if (P)
    return "";
  return toString(P.takeError());
}

TEST(Bytecode, RoundTripsExactly) {
  bc::Program P = compile(Script);
  std::vector<uint8_t> Bytes = bc::serialize(P);
  auto Q = bc::load(Bytes);
  ASSERT_TRUE(bool(Q)) << toString(Q.takeError());
  EXPECT_EQ(bc::serialize(*Q), Bytes);
  EXPECT_EQ(bc::disassemble(*Q), bc::disassemble(P));
  EXPECT_EQ(Q->Outputs.size(), 4u); // both branches of the if publish
  EXPECT_EQ(Q->Outputs[0].Label, "mean(cars$mpg)");
  EXPECT_EQ(Q->Inputs.size(), 1u);
  EXPECT_EQ(Q->Inputs[0].Columns.size(), 3u);
}

TEST(Bytecode, DeterministicBytes) {
  EXPECT_EQ(bc::serialize(compile(Script)), bc::serialize(compile(Script)));
}

TEST(Bytecode, RejectsBadHeaders) {
  std::vector<uint8_t> Good = bc::serialize(compile(Script));
  EXPECT_NE(loadError({}).find("bad magic"), std::string::npos);
  std::vector<uint8_t> B = Good;
  B[0] = 'X';
  EXPECT_NE(loadError(B).find("bad magic"), std::string::npos);
  B = Good;
  B[8] = 7;
  EXPECT_NE(loadError(B).find("unsupported bytecode format version 7"),
            std::string::npos);
  B = Good;
  B.resize(B.size() - 1);
  EXPECT_NE(loadError(B).find("payload length"), std::string::npos);
  B = Good;
  B[40] ^= 1;
  EXPECT_NE(loadError(B).find("program hash mismatch"), std::string::npos);
}

TEST(Bytecode, EveryTruncationAndFlipIsAnErrorNotACrash) {
  std::vector<uint8_t> Good = bc::serialize(compile(Script));
  for (size_t N = 0; N < Good.size(); N += 7) {
    std::vector<uint8_t> B(Good.begin(), Good.begin() + N);
    EXPECT_NE(loadError(B), "") << "truncated at " << N;
  }
  std::mt19937 R(7);
  for (int I = 0; I < 2000; ++I) {
    std::vector<uint8_t> B = Good;
    B[R() % B.size()] ^= uint8_t(1 + R() % 255);
    EXPECT_NE(loadError(B), "");
  }
}

static std::string verifyError(const bc::Program &P) {
  if (llvm::Error E = bc::verify(P))
    return toString(std::move(E));
  return "";
}

TEST(Bytecode, VerifierRejectsMalformedPrograms) {
  bc::Program Good = compile(Script);
  ASSERT_EQ(verifyError(Good), "");
  {
    bc::Program P = Good;
    P.Code[0].D = uint32_t(P.Regs.size());
    EXPECT_NE(verifyError(P).find("register out of range"), std::string::npos);
  }
  {
    bc::Program P = Good;
    for (bc::Instr &I : P.Code)
      if (I.Op == bc::Opcode::JUMP) {
        I.K = int64_t(P.Code.size()) + 5;
        break;
      }
    EXPECT_NE(verifyError(P).find("jump outside the code"), std::string::npos);
  }
  {
    bc::Program P = Good;
    P.Code.back().Op = bc::Opcode::MOV;
    EXPECT_NE(verifyError(P).find("does not end with HALT"), std::string::npos);
  }
  {
    // Make a secret flow into a public register: the verifier refuses.
    bc::Program P = Good;
    for (bc::Instr &I : P.Code)
      if (I.Op == bc::Opcode::SUM && P.Regs[I.A].S == bc::Sec::Secret) {
        P.Regs[I.D].S = bc::Sec::Public;
        break;
      }
    EXPECT_NE(verifyError(P).find("a public result from a secret operand"),
              std::string::npos);
  }
  {
    bc::Program P = Good;
    for (bc::Instr &I : P.Code)
      if (I.Op == bc::Opcode::CONST) {
        I.K = 100000;
        break;
      }
    EXPECT_NE(verifyError(P).find("constant index out of range"),
              std::string::npos);
  }
  {
    bc::Program P = Good;
    P.RingBits = 32;
    EXPECT_NE(verifyError(P).find("unsupported ring"), std::string::npos);
  }
  {
    bc::Program P = Good;
    for (bc::Instr &I : P.Code)
      if (I.Op == bc::Opcode::JUMPIFNOT) {
        P.Regs[I.A].S = bc::Sec::Secret;
        break;
      }
    std::string E = verifyError(P);
    EXPECT_NE(E, "");
  }
}

TEST(Bytecode, HashIsOverThePayload) {
  std::vector<uint8_t> Bytes = bc::serialize(compile(Script));
  auto H = bc::programHash(Bytes);
  ASSERT_TRUE(bool(H));
  EXPECT_EQ(bc::hexDigest(*H).size(), 64u);
  std::vector<uint8_t> Other = bc::serialize(
      compile(std::string(Script) + "publish(sd(cars$mpg), to = \"a\")\n"));
  auto H2 = bc::programHash(Other);
  ASSERT_TRUE(bool(H2));
  EXPECT_NE(*H, *H2);
}

TEST(Bytecode, RolesFollowInputsAndOutputs) {
  bc::Program P = compile(Script);
  ASSERT_EQ(P.Parties, (std::vector<std::string>{"a", "b", "analyst"}));
  EXPECT_EQ(P.Roles[0], bc::RoleOwner | bc::RoleRecipient); // publishes to a
  EXPECT_EQ(P.Roles[1], bc::RoleOwner | bc::RoleRecipient);
  EXPECT_EQ(P.Roles[2], bc::RoleRecipient);
  bc::Program Bad = P;
  Bad.Roles[2] = bc::RoleOwner; // analyst receives outputs: must be a recipient
  EXPECT_NE(verifyError(Bad).find("not a recipient"), std::string::npos);
  Bad = P;
  Bad.Roles.pop_back();
  EXPECT_NE(verifyError(Bad).find("a role is needed for every party"),
            std::string::npos);
}

// sort and shuffle are IR placeholders: the emitter says so instead of
// emitting anything.
TEST(Bytecode, VerifierChecksBitRanges) {
  bc::Program Good = compile(
      "cars <- input_table(parties = \"a\", columns = list(mpg = num(5, "
      "40)))\npublish(floor(cars$mpg), to = \"a\")\n");
  ASSERT_EQ(verifyError(Good), "");
  bc::Instr *Bits = nullptr;
  for (bc::Instr &I : Good.Code)
    if (I.Op == bc::Opcode::BITS)
      Bits = &I;
  ASSERT_TRUE(Bits);
  EXPECT_EQ(Bits->K, 16); // lo 0, n = the 16 fractional bits
  const std::string Msg = "bits lo .. lo + n - 1";
  for (int64_t K : {int64_t(0), int64_t(-1), int64_t(1024 * 60 + 16),
                    int64_t(1024 * 0 + 65), int64_t(1024 * 0 + 15)}) {
    // n = 0, negative, beyond the ring, n != the result's columns.
    bc::Program P = Good;
    for (bc::Instr &I : P.Code)
      if (I.Op == bc::Opcode::BITS)
        I.K = K;
    EXPECT_NE(verifyError(P).find(Msg), std::string::npos) << K;
  }
  for (bc::Instr &I : Good.Code)
    if (I.Op == bc::Opcode::BITS) {
      bc::Program P = Good;
      P.Regs[I.D].E = bc::Elem::Fix; // the bits are ints
      EXPECT_NE(verifyError(P).find(Msg), std::string::npos);
    }
}

TEST(Bytecode, SortAndShufflePlaceholdersAreNotEmitted) {
  for (const char *Op : {"sort", "shuffle"}) {
    std::string Text =
        std::string("module ring 64 frac 16 parties [\"a\", \"r\"]\n"
                    "input @t parties [\"a\"] {\n"
                    "  column \"x\" num [0.0, 1.0]\n"
                    "}\n"
                    "func @main {\n"
                    "  %0 = input {column = \"x\", table = \"t\"} : "
                    "sfix<16>[n.t]\n"
                    "  %1 = ") +
        Op +
        " %0 : sfix<16>[n.t]\n"
        "  %2 = sum %1 : sfix<16>\n"
        "  publish %2 {to = [\"r\"]}\n"
        "}\n";
    std::string Err;
    std::unique_ptr<ir::Module> M =
        ir::parseModule(Text, "placeholder.ir", Err);
    ASSERT_TRUE(M) << Err;
    auto P = emitBytecode(*M, nullptr);
    ASSERT_FALSE(bool(P)) << Op;
    EXPECT_NE(toString(P.takeError()).find("has no rep3 protocol yet"),
              std::string::npos)
        << Op;
  }
}
