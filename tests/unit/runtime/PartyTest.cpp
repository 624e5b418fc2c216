//===- PartyTest.cpp - The rep3 party VM against the cleartext executor ---===//
//
// Compiles example programs, runs them with three compute parties (threads
// over rep3's in-memory network) plus in-memory client links for input and
// output clients, and checks every result against the cleartext reference
// executor on the same data: the only differences allowed are those of
// ABY3's probabilistic truncation (a unit in the last place per
// truncation, amplified at most mildly by the kernels).
//
//===----------------------------------------------------------------------===//

#include "sstat/runtime/Party.h"
#include "sstat/Driver.h"
#include "sstat/runtime/Cleartext.h"
#include "sstat/runtime/rep3/Channel.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

#include <cmath>
#include <condition_variable>
#include <deque>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

using namespace sstat;
using namespace sstat::runtime;

namespace {

/// One direction of an in-memory client link.
struct Pipe {
  std::mutex M;
  std::condition_variable CV;
  std::deque<std::vector<uint8_t>> Q;
};

class MemPort : public ClientPort {
public:
  MemPort(Pipe &In, Pipe &Out) : In(In), Out(Out) {}
  void send(std::vector<uint8_t> Msg) override {
    BytesSent += Msg.size();
    std::lock_guard<std::mutex> L(Out.M);
    Out.Q.push_back(std::move(Msg));
    Out.CV.notify_all();
  }
  std::vector<uint8_t> recv() override {
    std::unique_lock<std::mutex> L(In.M);
    if (!In.CV.wait_for(L, std::chrono::seconds(30),
                        [&] { return !In.Q.empty(); }))
      throw rep3::ChannelError("test client link: timeout");
    std::vector<uint8_t> M = std::move(In.Q.front());
    In.Q.pop_front();
    BytesReceived += M.size();
    return M;
  }

private:
  Pipe &In, &Out;
};

std::string datasets() { return SSTAT_DATASETS_DIR; }

/// The temporary directories this test binary made; removed at the end.
std::vector<std::string> &tempDirs() {
  static std::vector<std::string> Dirs;
  return Dirs;
}
class RemoveTempDirs : public ::testing::Environment {
public:
  void TearDown() override {
    for (const std::string &D : tempDirs())
      llvm::sys::fs::remove_directories(D);
  }
};
const ::testing::Environment *const TempDirCleanup =
    ::testing::AddGlobalTestEnvironment(new RemoveTempDirs);

/// A fresh directory under the system's temporary directory.
llvm::SmallString<128> tempDir(const std::string &Tag) {
  llvm::SmallString<128> Base, Dir;
  llvm::sys::path::system_temp_directory(/*ErasedOnReboot=*/true, Base);
  llvm::sys::path::append(Base, "sstat-party-test-" + Tag);
  EXPECT_FALSE(llvm::sys::fs::createUniqueDirectory(Base, Dir));
  tempDirs().push_back(std::string(Dir));
  return Dir;
}

/// Splits a CSV's rows into contiguous blocks, one file per owner, in a
/// fresh temporary directory; returns the --input list.
std::vector<InputFile> split(const std::string &Csv,
                             const std::vector<std::string> &Owners,
                             const std::string &Tag) {
  std::ifstream F(Csv);
  std::string Header, Line;
  std::getline(F, Header);
  std::vector<std::string> Rows;
  while (std::getline(F, Line))
    if (!Line.empty())
      Rows.push_back(Line);
  llvm::SmallString<128> Dir = tempDir(Tag);
  std::vector<InputFile> Out;
  for (size_t K = 0; K < Owners.size(); ++K) {
    llvm::SmallString<128> P(Dir);
    llvm::sys::path::append(P, Owners[K] + ".csv");
    std::ofstream O(std::string(P.str()));
    O << Header << "\n";
    for (size_t R = K * Rows.size() / Owners.size();
         R < (K + 1) * Rows.size() / Owners.size(); ++R)
      O << Rows[R] << "\n";
    Out.push_back({Owners[K], "", std::string(P.str())});
  }
  return Out;
}

struct SecureRun {
  std::array<std::vector<OutputValue>, 3> Compute;
  std::map<std::string, std::vector<OutputValue>> Clients;
  std::array<PartyStats, 3> Stats;
  std::vector<std::string> Errors;
};

SecureRun runSecure(const bc::Program &P,
                    const std::array<std::string, 3> &Compute,
                    const std::vector<InputFile> &Inputs) {
  SecureRun Run;
  rep3::MemoryNetwork Net;
  std::vector<std::string> ClientNames = clientParties(P, Compute);
  // Pipes[c][i][0]: client c -> party i; [1]: party i -> client c.
  std::vector<std::array<std::array<Pipe, 2>, 3>> Pipes(ClientNames.size());
  std::vector<std::array<std::unique_ptr<MemPort>, 3>> PartySide(
      ClientNames.size()),
      ClientSide(ClientNames.size());
  for (size_t C = 0; C < ClientNames.size(); ++C)
    for (size_t I = 0; I < 3; ++I) {
      PartySide[C][I] =
          std::make_unique<MemPort>(Pipes[C][I][0], Pipes[C][I][1]);
      ClientSide[C][I] =
          std::make_unique<MemPort>(Pipes[C][I][1], Pipes[C][I][0]);
    }
  std::mutex ErrM;
  std::vector<std::thread> Threads;
  for (int I = 0; I < 3; ++I)
    Threads.emplace_back([&, I] {
      PartySetup S;
      S.Self = I;
      S.Compute = Compute;
      for (const InputFile &F : Inputs)
        if (F.Party == Compute[size_t(I)])
          S.Inputs.push_back(F);
      S.Client = [&, I](const std::string &Name) -> ClientPort & {
        for (size_t C = 0; C < ClientNames.size(); ++C)
          if (ClientNames[C] == Name)
            return *PartySide[C][size_t(I)];
        throw rep3::ChannelError("no client " + Name);
      };
      auto R = runParty(P, S, Net.channel(I), &Run.Stats[size_t(I)]);
      if (!R) {
        std::lock_guard<std::mutex> L(ErrM);
        Run.Errors.push_back(Compute[size_t(I)] + ": " +
                             llvm::toString(R.takeError()));
        return;
      }
      Run.Compute[size_t(I)] = std::move(*R);
    });
  std::vector<std::vector<OutputValue>> ClientOuts(ClientNames.size());
  for (size_t C = 0; C < ClientNames.size(); ++C)
    Threads.emplace_back([&, C] {
      std::vector<InputFile> Mine;
      for (const InputFile &F : Inputs)
        if (F.Party == ClientNames[C])
          Mine.push_back(F);
      std::array<ClientPort *, 3> Links = {ClientSide[C][0].get(),
                                           ClientSide[C][1].get(),
                                           ClientSide[C][2].get()};
      auto R = runClient(P, Compute, ClientNames[C], Mine, Links);
      if (!R) {
        std::lock_guard<std::mutex> L(ErrM);
        Run.Errors.push_back(ClientNames[C] + ": " +
                             llvm::toString(R.takeError()));
        return;
      }
      ClientOuts[C] = std::move(*R);
    });
  for (std::thread &T : Threads)
    T.join();
  for (size_t C = 0; C < ClientNames.size(); ++C)
    Run.Clients[ClientNames[C]] = std::move(ClientOuts[C]);
  return Run;
}

/// Every output of the cleartext run, found at its recipients in the
/// secure run with (nearly) the same values.
void expectSame(const bc::Program &P, const std::vector<OutputValue> &Clear,
                const SecureRun &Run, const std::array<std::string, 3> &Compute,
                double RelTol) {
  ASSERT_TRUE(Run.Errors.empty()) << Run.Errors.front();
  std::map<std::string, size_t> Next; // next output index per recipient
  for (const OutputValue &C : Clear) {
    for (const std::string &To : C.To) {
      const std::vector<OutputValue> *Got = nullptr;
      for (int I = 0; I < 3; ++I)
        if (Compute[size_t(I)] == To)
          Got = &Run.Compute[size_t(I)];
      if (!Got)
        Got = &Run.Clients.at(To);
      size_t K = Next[To]++;
      ASSERT_LT(K, Got->size()) << "missing output for " << To;
      const OutputValue &S = (*Got)[K];
      EXPECT_EQ(S.Label, C.Label);
      ASSERT_EQ(S.Values.size(), C.Values.size()) << C.Label;
      EXPECT_EQ(S.Rows, C.Rows);
      EXPECT_EQ(S.Cols, C.Cols);
      for (size_t E = 0; E < C.Values.size(); ++E)
        EXPECT_NEAR(S.Values[E], C.Values[E],
                    RelTol * std::max(1.0, std::fabs(C.Values[E])))
            << C.Label << " element " << E;
    }
  }
  (void)P;
}

bc::Program compile(const std::string &Path, unsigned Ring = 128,
                    unsigned Frac = 40) {
  CompileOptions O;
  O.RingBits = Ring;
  O.FracBits = Frac;
  auto P = compileFile(Path, O);
  EXPECT_TRUE(bool(P)) << (P ? "" : llvm::toString(P.takeError()));
  return P ? std::move(*P) : bc::Program();
}

bc::Program compileText(const std::string &Text, unsigned Ring = 128,
                        unsigned Frac = 40) {
  CompileOptions O;
  O.RingBits = Ring;
  O.FracBits = Frac;
  auto P = compileSource(Text, "test.sstat", O);
  EXPECT_TRUE(bool(P)) << (P ? "" : llvm::toString(P.takeError()));
  return P ? std::move(*P) : bc::Program();
}

TEST(Party, MtcarsSummaryMatchesCleartext) {
  bc::Program P =
      compile(std::string(SSTAT_SOURCE_DIR) + "/examples/mtcars_summary.sstat");
  std::array<std::string, 3> Compute = {"maker_a", "maker_b", "maker_c"};
  auto In = split(datasets() + "/mtcars.csv", {"maker_a", "maker_b", "maker_c"},
                  "mtcars");
  auto Clear = runCleartext(P, In);
  ASSERT_TRUE(bool(Clear)) << llvm::toString(Clear.takeError());
  SecureRun Run = runSecure(P, Compute, In);
  expectSame(P, *Clear, Run, Compute, 1e-6);
  ASSERT_FALSE(Run.Clients["analyst"].empty());
  EXPECT_NEAR(Run.Clients["analyst"][0].Values[0], 20.090625, 1e-6); // mean mpg
  // The analyst is an output client: it got every result, the makers none.
  EXPECT_EQ(Run.Clients["analyst"].size(), Clear->size());
  for (int I = 0; I < 3; ++I)
    EXPECT_TRUE(Run.Compute[size_t(I)].empty());
}

TEST(Party, WithoutScheduledRoundsEveryOperationRunsAlone) {
  // The same program with no round annotations (as before scheduling):
  // each one-round operation is finished before the next starts; results
  // are the same, in more rounds.
  bc::Program P =
      compile(std::string(SSTAT_SOURCE_DIR) + "/examples/mtcars_summary.sstat");
  std::array<std::string, 3> Compute = {"maker_a", "maker_b", "maker_c"};
  auto In = split(datasets() + "/mtcars.csv", {"maker_a", "maker_b", "maker_c"},
                  "norounds");
  auto Clear = runCleartext(P, In);
  ASSERT_TRUE(bool(Clear)) << llvm::toString(Clear.takeError());
  SecureRun Batched = runSecure(P, Compute, In);
  for (bc::Instr &I : P.Code)
    I.Round = 0;
  SecureRun Alone = runSecure(P, Compute, In);
  expectSame(P, *Clear, Alone, Compute, 1e-6);
  EXPECT_GT(Alone.Stats[1].Program.rounds, Batched.Stats[1].Program.rounds);
  EXPECT_EQ(Alone.Stats[1].Program.bytesSent,
            Batched.Stats[1].Program.bytesSent);
}

TEST(Party, IrisComparisonsGroupsAndDivisionMatchCleartext) {
  bc::Program P =
      compile(std::string(SSTAT_SOURCE_DIR) + "/examples/iris.sstat");
  std::array<std::string, 3> Compute = {"garden_1", "garden_2", "garden_3"};
  auto In = split(datasets() + "/iris.csv",
                  {"garden_1", "garden_2", "garden_3"}, "iris");
  auto Clear = runCleartext(P, In);
  ASSERT_TRUE(bool(Clear)) << llvm::toString(Clear.takeError());
  SecureRun Run = runSecure(P, Compute, In);
  expectSame(P, *Clear, Run, Compute, 1e-6);
}

TEST(Party, AirqualityWithMissingValuesMatchesCleartext) {
  bc::Program P =
      compile(std::string(SSTAT_SOURCE_DIR) + "/examples/airquality.sstat");
  std::vector<std::string> Owners = P.Inputs.at(0).Parties;
  ASSERT_EQ(Owners.size(), 2u);
  // Two owners compute; a third server joins them; the recipient is a client.
  std::array<std::string, 3> Compute = {Owners[0], Owners[1], "server_1"};
  auto In = split(datasets() + "/airquality.csv", Owners, "airquality");
  auto Clear = runCleartext(P, In);
  ASSERT_TRUE(bool(Clear)) << llvm::toString(Clear.takeError());
  SecureRun Run = runSecure(P, Compute, In);
  expectSame(P, *Clear, Run, Compute, 1e-6);
}

TEST(Party, InputClientAndComputeRecipient) {
  // "lab" is not a compute party: it secret-shares its rows into the three
  // servers and disconnects; "a" is a compute party and a recipient.
  bc::Program P = compileText(R"(
d <- input_table(parties = c("a", "lab"),
                 columns = list(mpg = num(0, 100), wt = num(0, 10)))
publish(c(m = mean(d$mpg), s = sd(d$wt)), to = "a")
publish(sum(d$mpg > 20), to = "a")
publish(exp(mean(d$wt) - 3), to = "a")
publish(log(mean(d$mpg)), to = "a")
)");
  std::array<std::string, 3> Compute = {"a", "server_1", "server_2"};
  auto In = split(datasets() + "/mtcars.csv", {"a", "lab"}, "client");
  auto Clear = runCleartext(P, In);
  ASSERT_TRUE(bool(Clear)) << llvm::toString(Clear.takeError());
  SecureRun Run = runSecure(P, Compute, In);
  expectSame(P, *Clear, Run, Compute, 1e-6);
  EXPECT_EQ(Run.Compute[0].size(), Clear->size());
  EXPECT_TRUE(Run.Compute[1].empty());
  EXPECT_TRUE(Run.Clients["lab"].empty());
}

TEST(Party, MatrixProductsMatchCleartext) {
  // t(X) %*% X and crossprod(X, y) (the transposed operand is never
  // formed), a product with a public matrix, and one of two secret ones.
  bc::Program P = compileText(R"(
cars <- input_table(parties = c("a", "b", "c"),
                    columns = list(mpg = num(5, 40), hp = num(40, 400),
                                   wt = num(1, 6), qsec = num(10, 25)))
X <- cbind(1, cars$wt, cars$hp, cars$qsec)
publish(t(X) %*% X, to = "a")
publish(crossprod(X, cbind(cars$mpg)), to = "a")
W <- cbind(c(1, 2, 3, 4), c(0.5, 0.25, 0, -1))
publish(X %*% W, to = "b")
publish(t(X %*% W) %*% cbind(cars$wt, cars$qsec), to = "c")
)");
  std::array<std::string, 3> Compute = {"a", "b", "c"};
  auto In = split(datasets() + "/mtcars.csv", {"a", "b", "c"}, "matmul");
  auto Clear = runCleartext(P, In);
  ASSERT_TRUE(bool(Clear)) << llvm::toString(Clear.takeError());
  SecureRun Run = runSecure(P, Compute, In);
  expectSame(P, *Clear, Run, Compute, 1e-6);
}

TEST(Party, LargeMatrixProductSplitBetweenThreads) {
  // 60,000 x 10: large enough that the local product runs on two threads.
  bc::Program P = compileText(R"(
d <- input_table(parties = c("a", "b", "c"),
                 columns = list(x1 = num(-10, 10), x2 = num(-10, 10), x3 = num(-10, 10),
                                x4 = num(-10, 10), x5 = num(-10, 10), x6 = num(-10, 10),
                                x7 = num(-10, 10), x8 = num(-10, 10), x9 = num(-10, 10),
                                x10 = num(-10, 10)))
X <- cbind(d$x1, d$x2, d$x3, d$x4, d$x5, d$x6, d$x7, d$x8, d$x9, d$x10)
publish(t(X) %*% X, to = "a")
)");
  llvm::SmallString<128> Dir = tempDir("big");
  std::vector<InputFile> In;
  uint64_t State = 12345;
  for (const char *Owner : {"a", "b", "c"}) {
    std::string Path = (Dir + "/" + Owner + ".csv").str();
    std::ofstream O(Path);
    O << "x1,x2,x3,x4,x5,x6,x7,x8,x9,x10\n";
    for (int Row = 0; Row < 20000; ++Row)
      for (int C = 0; C < 10; ++C) {
        State = State * 6364136223846793005ULL + 1442695040888963407ULL;
        O << double(int64_t(State >> 44) % 1980) / 100.0 - 9.9
          << (C == 9 ? "\n" : ",");
      }
    In.push_back({Owner, "", Path});
  }
  auto Clear = runCleartext(P, In);
  ASSERT_TRUE(bool(Clear)) << llvm::toString(Clear.takeError());
  std::array<std::string, 3> Compute = {"a", "b", "c"};
  SecureRun Run = runSecure(P, Compute, In);
  expectSame(P, *Clear, Run, Compute, 1e-9);
}

TEST(Party, RingOf64BitsWith16FractionalBits) {
  bc::Program P = compileText(R"(
d <- input_table(parties = c("a", "b", "c"),
                 columns = list(mpg = num(0, 100), hp = num(0, 400)))
publish(c(mean = mean(d$mpg), var = var(d$hp), sd = sd(d$mpg)), to = "b")
)",
                              64, 16);
  std::array<std::string, 3> Compute = {"a", "b", "c"};
  auto In = split(datasets() + "/mtcars.csv", {"a", "b", "c"}, "ring64");
  auto Clear = runCleartext(P, In);
  ASSERT_TRUE(bool(Clear)) << llvm::toString(Clear.takeError());
  SecureRun Run = runSecure(P, Compute, In);
  // 16 fractional bits: a few units of 2^-16 after the kernels. (A
  // correlation needs more: rsqrt of var(x) var(y) ~ 1e8 has 6 significant
  // units at this scale, so one unit of truncation difference moves it 15%.)
  expectSame(P, *Clear, Run, Compute, 1e-3);
}

TEST(Party, BadCsvStopsTheOwnerWithItsMessage) {
  bc::Program P = compileText(R"(
d <- input_table(parties = c("a", "b", "c"),
                 columns = list(mpg = num(0, 30)))
publish(mean(d$mpg), to = "a")
)");
  std::array<std::string, 3> Compute = {"a", "b", "c"};
  // mtcars has mpg up to 33.9, above the declared range.
  auto In = split(datasets() + "/mtcars.csv", {"a", "b", "c"}, "badcsv");
  rep3::MemoryNetwork Net(std::chrono::milliseconds(500));
  PartySetup S;
  S.Self = 2;
  S.Compute = Compute;
  S.Inputs = {In[2]};
  PartyStats St;
  auto R = runParty(P, S, Net.channel(2), &St);
  ASSERT_FALSE(bool(R));
  std::string Msg = llvm::toString(R.takeError());
  EXPECT_NE(Msg.find("c.csv"), std::string::npos) << Msg;
  EXPECT_NE(Msg.find("mpg"), std::string::npos) << Msg;
  EXPECT_TRUE(St.InputFailed);
}

} // namespace
