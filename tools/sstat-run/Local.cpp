//===- Local.cpp - sstat-run --local: a whole secure run on one machine ---===//
//
// Generates a throw-away PKI (a CA and one certificate per party), picks
// three free loopback ports, writes one config per party, and starts the
// three compute parties and every client as separate sstat-party processes
// talking TLS 1.3 to each other, exactly as a real deployment would. The
// compute parties are the program's first three data owners (then its
// recipients, then "server_N" for missing ones); every other owner is an
// input client and every other recipient an output client. When all
// processes have exited, the recipients' results are printed; if any
// process failed, its message is shown and nothing else.
//
//===----------------------------------------------------------------------===//

#include "Local.h"

#include "sstat/IR/Cost.h"
#include "sstat/runtime/net/LocalPki.h"

#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include <nlohmann/json.hpp>
#include <openssl/rand.h>

#include <chrono>
#include <thread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace llvm;
using namespace sstat;

namespace {

int fail(const Twine &Msg) {
  errs() << "sstat-run: error: " << Msg << "\n";
  return 1;
}

/// A free TCP port on 127.0.0.1 (see net::freeLoopbackPort).
Expected<uint16_t> freePort() {
  try {
    return runtime::net::freeLoopbackPort();
  } catch (const std::exception &E) {
    return createStringError(inconvertibleErrorCode(), E.what());
  }
}

std::string readFile(const std::string &Path) {
  auto B = MemoryBuffer::getFile(Path, /*IsText=*/true);
  return B ? (*B)->getBuffer().str() : std::string();
}

} // namespace

std::array<std::string, 3> sstat::localComputeParties(const bc::Program &P) {
  std::vector<std::vector<std::string>> Owners;
  for (const bc::Table &T : P.Inputs)
    Owners.push_back(T.Parties);
  std::vector<std::string> Recipients;
  for (size_t K = 0; K < P.Parties.size(); ++K)
    if (P.Roles[K] & bc::RoleRecipient)
      Recipients.push_back(P.Parties[K]);
  // The same rule as the cost model's (ir::defaultComputeParties).
  return ir::defaultComputeParties(Owners, Recipients, P.Parties);
}

/// The exit status of a run that lost a race for its loopback ports (a
/// port found free was taken by another process before a party bound it):
/// runLocal tries again with new ports.
constexpr int PortTaken = 75;

static int runLocalOnce(const bc::Program &P, const std::vector<uint8_t> &Bytes,
                        const std::vector<runtime::InputFile> &Inputs,
                        const LocalOptions &Opts, bool LastTry);

int sstat::runLocal(const bc::Program &P, const std::vector<uint8_t> &Bytes,
                    const std::vector<runtime::InputFile> &Inputs,
                    const LocalOptions &Opts) {
  const int Tries = 4;
  for (int T = 1;; ++T) {
    int Code = runLocalOnce(P, Bytes, Inputs, Opts, T == Tries);
    if (Code != PortTaken || T == Tries)
      return Code;
  }
}

static int runLocalOnce(const bc::Program &P, const std::vector<uint8_t> &Bytes,
                        const std::vector<runtime::InputFile> &Inputs,
                        const LocalOptions &Opts, bool LastTry) {
  // The party executable sits next to this one (build tree: ../sstat-party).
  std::string Self = sys::fs::getMainExecutable(Opts.Argv0, Opts.MainAddr);
  SmallString<256> Dir(Self);
  sys::path::remove_filename(Dir);
  std::string PartyExe;
  for (const char *Rel : {"sstat-party", "../sstat-party/sstat-party"}) {
    SmallString<256> C(Dir);
    sys::path::append(C, Rel);
    if (sys::fs::can_execute(C)) {
      PartyExe = std::string(C);
      break;
    }
  }
  if (PartyExe.empty())
    if (auto Found = sys::findProgramByName("sstat-party"))
      PartyExe = *Found;
  if (PartyExe.empty())
    return fail("cannot find the sstat-party executable next to " + Self);

  SmallString<256> Base, Work;
  sys::path::system_temp_directory(/*ErasedOnReboot=*/true, Base);
  sys::path::append(Base, "sstat-local");
  if (std::error_code EC = sys::fs::createUniqueDirectory(Base, Work))
    return fail("cannot create a temporary directory: " + EC.message());
  auto Cleanup = make_scope_exit([&] {
    if (!Opts.Keep)
      sys::fs::remove_directories(Work);
  });
  auto In = [&](const Twine &Name) {
    SmallString<256> F(Work);
    sys::path::append(F, Name);
    return std::string(F);
  };

  std::array<std::string, 3> Compute = localComputeParties(P);
  std::vector<std::string> Clients = runtime::clientParties(P, Compute);
  std::vector<std::string> All(Compute.begin(), Compute.end());
  All.insert(All.end(), Clients.begin(), Clients.end());
  try {
    runtime::net::generateLocalPki(std::string(Work), All);
  } catch (const std::exception &E) {
    return fail(Twine("cannot create certificates: ") + E.what());
  }

  std::string Prog = In("program.sbc");
  if (Error E = writeFileAtomically(
          Prog + ".tmp-%%%%%%%%", Prog,
          StringRef(reinterpret_cast<const char *>(Bytes.data()),
                    Bytes.size())))
    return fail("cannot write the program: " + toString(std::move(E)));

  using nlohmann::json;
  json ComputeJ = json::array();
  for (const std::string &N : Compute) {
    auto Port = freePort();
    if (!Port)
      return fail(toString(Port.takeError()));
    ComputeJ.push_back(
        json{{"name", N}, {"host", "127.0.0.1"}, {"port", int(*Port)}});
  }
  uint8_t Rnd[16];
  RAND_bytes(Rnd, sizeof Rnd);
  std::string Session =
      "local-" + toHex(ArrayRef<uint8_t>(Rnd, sizeof Rnd), true);

  struct Proc {
    std::string Name;
    bool IsCompute;
    bool Recipient;
    sys::ProcessInfo PI;
    std::string Out, Err, Json, Stats;
    bool Done = false;
    int Code = 0;
  };
  std::vector<Proc> Procs;
  for (const std::string &N : All) {
    json Inp = json::object();
    for (const runtime::InputFile &F : Inputs) {
      if (F.Party != N)
        continue;
      SmallString<256> Abs(F.Path);
      sys::fs::make_absolute(Abs);
      for (const bc::Table &T : P.Inputs)
        if ((F.Table.empty() || F.Table == T.Name) &&
            std::find(T.Parties.begin(), T.Parties.end(), N) != T.Parties.end())
          Inp[T.Name] = std::string(Abs);
    }
    Proc Pr;
    Pr.Name = N;
    Pr.IsCompute =
        std::find(Compute.begin(), Compute.end(), N) != Compute.end();
    Pr.Recipient = false;
    for (size_t K = 0; K < P.Parties.size(); ++K)
      if (P.Parties[K] == N && (P.Roles[K] & bc::RoleRecipient))
        Pr.Recipient = true;
    Pr.Out = In(N + ".out");
    Pr.Err = In(N + ".err");
    Pr.Json = In(N + ".results.json");
    Pr.Stats = In(N + ".stats.json");
    json Cfg{
        {"party", N},
        {"session", Session},
        {"compute", ComputeJ},
        {"tls", {{"cert", N + ".pem"}, {"key", N + ".key"}, {"ca", "ca.pem"}}},
        {"inputs", Inp},
        {"timeouts",
         {{"connect_s", Opts.ConnectSeconds}, {"recv_s", Opts.RecvSeconds}}}};
    std::string CfgPath = In(N + ".json");
    if (Error E = writeFileAtomically(CfgPath + ".tmp-%%%%%%%%", CfgPath,
                                      Cfg.dump(2) + "\n"))
      return fail("cannot write a config: " + toString(std::move(E)));
    Procs.push_back(std::move(Pr));
  }

  // Start every process.
  for (Proc &Pr : Procs) {
    std::string CfgPath = In(Pr.Name + ".json");
    std::vector<std::string> ArgS = {PartyExe, "--config", CfgPath,
                                     Prog,     "--json",   Pr.Json};
    if (Opts.Quiet)
      ArgS.push_back("--quiet");
    if (Pr.IsCompute) {
      ArgS.push_back("--stats");
      ArgS.push_back(Pr.Stats);
    }
    std::vector<StringRef> Args(ArgS.begin(), ArgS.end());
    Optional<StringRef> Redirects[] = {StringRef("/dev/null"),
                                       StringRef(Pr.Out), StringRef(Pr.Err)};
    std::string ErrMsg;
    bool ExecFailed = false;
    Pr.PI = sys::ExecuteNoWait(PartyExe, Args, None, Redirects, 0, &ErrMsg,
                               &ExecFailed);
    if (ExecFailed)
      return fail("cannot start " + PartyExe + ": " + ErrMsg);
  }

  // Wait for all of them; after the first failure the others stop on their
  // own within the receive timeout, and are killed after a grace period.
  auto Start = std::chrono::steady_clock::now();
  std::optional<std::chrono::steady_clock::time_point> FirstFail;
  size_t Left = Procs.size();
  while (Left) {
    for (Proc &Pr : Procs) {
      if (Pr.Done)
        continue;
      sys::ProcessInfo R = sys::Wait(Pr.PI, 0, false);
      if (R.Pid == 0)
        continue;
      Pr.Done = true;
      Pr.Code = R.ReturnCode;
      --Left;
      if (Pr.Code != 0 && !FirstFail)
        FirstFail = std::chrono::steady_clock::now();
    }
    auto Now = std::chrono::steady_clock::now();
    bool Overdue =
        Now - Start > std::chrono::duration<double>(Opts.TotalSeconds) ||
        (FirstFail && Now - *FirstFail >
                          std::chrono::duration<double>(Opts.RecvSeconds + 5));
    if (Left && Overdue) {
      for (Proc &Pr : Procs)
        if (!Pr.Done) {
          sys::Wait(Pr.PI, 1, false); // kills it after a second
          Pr.Done = true;
          Pr.Code = -1;
          --Left;
        }
    }
    if (Left)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }

  bool Ok = true;
  for (Proc &Pr : Procs)
    if (Pr.Code != 0)
      Ok = false;
  if (!Ok) {
    if (!LastTry)
      for (Proc &Pr : Procs)
        if (StringRef(readFile(Pr.Err)).contains("cannot listen on"))
          return PortTaken;
    errs() << "sstat-run: error: the secure run failed\n";
    for (Proc &Pr : Procs) {
      std::string E = readFile(Pr.Err);
      if (Pr.Code == 0 && E.empty())
        continue;
      StringRef Rest(E);
      if (Rest.empty())
        errs() << "  " << Pr.Name << ": "
               << (Pr.Code == -1
                       ? "killed after the time limit"
                       : "exited with status " + std::to_string(Pr.Code))
               << "\n";
      while (!Rest.empty()) {
        auto [Line, Tail] = Rest.split('\n');
        if (!Line.empty())
          errs() << "  " << Pr.Name << ": " << Line << "\n";
        Rest = Tail;
      }
    }
    return 1;
  }

  json Combined = json::object();
  for (Proc &Pr : Procs) {
    if (!Pr.Recipient)
      continue;
    if (!Opts.Quiet)
      outs() << "## results for " << Pr.Name << "\n";
    outs() << readFile(Pr.Out);
    json V = json::parse(readFile(Pr.Json), nullptr, false);
    if (!V.is_discarded())
      Combined[Pr.Name] = std::move(V);
  }
  if (!Opts.Quiet) {
    outs() << "## rep3 over TLS on loopback: compute party, seconds from the "
              "first input byte to the last output, bytes sent, rounds\n";
    for (Proc &Pr : Procs) {
      if (!Pr.IsCompute)
        continue;
      json V = json::parse(readFile(Pr.Stats), nullptr, false);
      if (V.is_discarded() || !V.is_object())
        continue;
      outs() << formatv("{0,-16} {1,10:f4} s {2,14} B {3,6} rounds\n", Pr.Name,
                        V.value("compute_seconds", 0.0),
                        V.value("bytes_sent", uint64_t(0)),
                        V.value("rounds", uint64_t(0)));
    }
  }
  if (!Opts.StatsPath.empty()) {
    json Stats = json::array();
    for (Proc &Pr : Procs)
      if (Pr.IsCompute) {
        json V = json::parse(readFile(Pr.Stats), nullptr, false);
        if (!V.is_discarded())
          Stats.push_back(std::move(V));
      }
    if (Error E = writeFileAtomically(Opts.StatsPath + ".tmp-%%%%%%%%",
                                      Opts.StatsPath, Stats.dump(2) + "\n"))
      return fail("cannot write '" + Opts.StatsPath +
                  "': " + toString(std::move(E)));
  }
  if (!Opts.JsonPath.empty()) {
    json Doc{{"recipients", Combined}};
    if (Error E = writeFileAtomically(Opts.JsonPath + ".tmp-%%%%%%%%",
                                      Opts.JsonPath, Doc.dump(2) + "\n"))
      return fail("cannot write '" + Opts.JsonPath +
                  "': " + toString(std::move(E)));
  }
  return 0;
}
