//===- sstat-party.cpp - One party of a secure run ------------------------===//
//
//   sstat-party --config party.json prog.sbc [--json out.json] [--quiet]
//
// Runs one party of the rep3 protocol: a compute party (one of the three
// named under "compute" in the config) or a client (a program party that
// only inputs data or only receives results). The config (JSON, parsed by
// nlohmann/json; relative paths are relative to the config file):
//
//   {
//     "party": "hosp_a",                  // who this process is
//     "session": "2026-11-25-bp",         // run name, equal at all parties
//     "compute": [ {"name": "hosp_a", "host": "10.0.0.1", "port": 7001},
//                  {"name": "hosp_b", "host": "10.0.0.2", "port": 7001},
//                  {"name": "hosp_c", "host": "10.0.0.3", "port": 7001} ],
//     "tls": {"cert": "hosp_a.pem", "key": "hosp_a.key", "ca": "ca.pem"},
//     "inputs": {"patients": "data/patients.csv"},   // table -> CSV
//     "approved_programs": ["<sha256>", ...],        // optional
//     "clients": {"analyst": "analyst"},   // optional: name -> cert name
//     "timeouts": {"connect_s": 30, "recv_s": 60},    // optional
//     "output": "results.json"             // optional, for recipients
//   }
//
// Exit status: 0 on success; 1 when the run failed (the message names the
// cause and, for network failures, the peer); 2 for usage and config
// errors. Nothing is written unless the whole run succeeded; results are
// written atomically.
//
//===----------------------------------------------------------------------===//

#include "sstat/Bytecode/Bytecode.h"
#include "sstat/runtime/Cleartext.h"
#include "sstat/runtime/Party.h"
#include "sstat/runtime/net/LocalPki.h"
#include "sstat/runtime/net/Tls.h"

#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include "../common/CommandLine.h"

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include <openssl/sha.h>

#include <iostream>
#include <unistd.h>

namespace po = boost::program_options;
using namespace sstat;
using namespace llvm;

namespace {

int fail(const Twine &Msg, int Code = 1) {
  errs() << "sstat-party: error: " << Msg << "\n";
  return Code;
}

struct Config {
  std::string Party, Session, Output;
  std::array<runtime::net::PartyEndpoint, 3> Compute;
  runtime::net::TlsFiles Tls;
  std::vector<std::pair<std::string, std::string>> Inputs; // table -> path
  std::vector<std::string> Approved;
  std::vector<runtime::net::ClientSpec> Clients;
  double ConnectS = 30, RecvS = 60;
};

/// Parses the config; errors name the config file and the field.
Expected<Config> parseConfig(const std::string &Path) {
  auto Buf = MemoryBuffer::getFile(Path, /*IsText=*/true);
  if (!Buf)
    return createStringError(inconvertibleErrorCode(),
                             "cannot open config '" + Path +
                                 "': " + Buf.getError().message());
  auto Bad = [&](const Twine &Why) -> Error {
    return createStringError(inconvertibleErrorCode(), Path + ": " + Why.str());
  };
  nlohmann::json J = nlohmann::json::parse((*Buf)->getBuffer().begin(),
                                           (*Buf)->getBuffer().end(), nullptr,
                                           /*allow_exceptions=*/false);
  if (J.is_discarded())
    return Bad("not valid JSON");
  if (!J.is_object())
    return Bad("the config must be a JSON object");
  SmallString<256> Dir(Path);
  sys::path::remove_filename(Dir);
  auto Rel = [&](StringRef P) {
    if (sys::path::is_absolute(P) || Dir.empty())
      return P.str();
    SmallString<256> Full(Dir);
    sys::path::append(Full, P);
    return std::string(Full);
  };
  static const char *Known[] = {"party",   "session",  "compute",
                                "tls",     "inputs",   "approved_programs",
                                "clients", "timeouts", "output"};
  for (const auto &KV : J.items()) {
    bool Ok = false;
    for (const char *K : Known)
      Ok |= KV.key() == K;
    if (!Ok)
      return Bad("unknown field '" + KV.key() + "'");
  }
  Config C;
  auto Str = [&](const nlohmann::json &Obj, const char *Key, std::string &Out,
                 const Twine &Where) -> Error {
    auto It = Obj.find(Key);
    if (It == Obj.end() || !It->is_string())
      return Bad(Where + ": missing string field '" + Key + "'");
    Out = It->get<std::string>();
    return Error::success();
  };
  if (Error E = Str(J, "party", C.Party, "top level"))
    return std::move(E);
  if (Error E = Str(J, "session", C.Session, "top level"))
    return std::move(E);
  auto Comp = J.find("compute");
  if (Comp == J.end() || !Comp->is_array() || Comp->size() != 3)
    return Bad("'compute' must list exactly three parties");
  for (size_t I = 0; I < 3; ++I) {
    const nlohmann::json &E = (*Comp)[I];
    std::string Where = "compute[" + std::to_string(I) + "]";
    if (!E.is_object())
      return Bad(Where + " must be an object");
    if (Error Er = Str(E, "name", C.Compute[I].name, Where))
      return std::move(Er);
    if (Error Er = Str(E, "host", C.Compute[I].host, Where))
      return std::move(Er);
    auto Port = E.find("port");
    if (Port == E.end() || !Port->is_number_integer() ||
        Port->get<int64_t>() < 1 || Port->get<int64_t>() > 65535)
      return Bad(Where + ": 'port' must be an integer 1..65535");
    C.Compute[I].port = uint16_t(Port->get<int64_t>());
  }
  auto Tls = J.find("tls");
  if (Tls == J.end() || !Tls->is_object())
    return Bad("missing object 'tls' (cert, key, ca)");
  std::string Cert, Key, Ca;
  if (Error E = Str(*Tls, "cert", Cert, "tls"))
    return std::move(E);
  if (Error E = Str(*Tls, "key", Key, "tls"))
    return std::move(E);
  if (Error E = Str(*Tls, "ca", Ca, "tls"))
    return std::move(E);
  C.Tls.certChainFile = Rel(Cert);
  C.Tls.privateKeyFile = Rel(Key);
  C.Tls.trustedCaFile = Rel(Ca);
  if (auto In = J.find("inputs"); In != J.end()) {
    if (!In->is_object())
      return Bad("'inputs' must map table names to CSV files");
    for (const auto &KV : In->items()) {
      if (!KV.value().is_string())
        return Bad("inputs." + KV.key() + " must be a file name");
      C.Inputs.push_back({KV.key(), Rel(KV.value().get<std::string>())});
    }
  }
  if (auto A = J.find("approved_programs"); A != J.end()) {
    if (!A->is_array())
      return Bad("'approved_programs' must be a list of SHA-256 hex digests");
    for (const nlohmann::json &H : *A) {
      if (!H.is_string() || H.get<std::string>().size() != 64)
        return Bad("'approved_programs' entries are 64-digit SHA-256 hex "
                   "digests");
      C.Approved.push_back(StringRef(H.get<std::string>()).lower());
    }
  }
  if (auto Cl = J.find("clients"); Cl != J.end()) {
    if (!Cl->is_object())
      return Bad("'clients' must map client names to certificate names");
    for (const auto &KV : Cl->items()) {
      if (!KV.value().is_string())
        return Bad("clients." + KV.key() + " must be a certificate name");
      C.Clients.push_back({KV.key(), KV.value().get<std::string>()});
    }
  }
  if (auto T = J.find("timeouts"); T != J.end()) {
    if (!T->is_object())
      return Bad("'timeouts' must be an object");
    for (const auto &KV : T->items()) {
      if (KV.key() != "connect_s" && KV.key() != "recv_s")
        return Bad("unknown timeout '" + KV.key() + "'");
      if (!KV.value().is_number() || !(KV.value().get<double>() > 0))
        return Bad("timeouts." + KV.key() +
                   " must be a positive number of seconds");
      (KV.key() == "connect_s" ? C.ConnectS : C.RecvS) =
          KV.value().get<double>();
    }
  }
  if (auto O = J.find("output"); O != J.end()) {
    if (!O->is_string())
      return Bad("'output' must be a file name");
    C.Output = Rel(O->get<std::string>());
  }
  return C;
}

/// A compute party's client link as a runtime::ClientPort.
class LinkPort : public runtime::ClientPort {
public:
  explicit LinkPort(std::unique_ptr<runtime::net::Link> L) : L(std::move(L)) {}
  void send(std::vector<uint8_t> M) override {
    BytesSent += M.size();
    L->send(std::move(M));
  }
  std::vector<uint8_t> recv() override {
    std::vector<uint8_t> M = L->recv();
    BytesReceived += M.size();
    return M;
  }
  runtime::net::Link &link() { return *L; }

private:
  std::unique_ptr<runtime::net::Link> L;
};

std::string describe(const bc::Program &P, const std::string &Hex) {
  return "program " + Hex.substr(0, 16) + "..., rep3, Z_2^" +
         std::to_string(P.RingBits) + ", " + std::to_string(P.FracBits) +
         " fractional bits";
}

/// The session id all parties derive from the run name. (The program is
/// compared separately, in the hello's digest, so that a mismatch is
/// reported as such.)
runtime::net::SessionId sessionId(const std::string &Session) {
  std::string M = "sstat-session-v1";
  M.push_back('\0');
  M += Session;
  unsigned char D[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char *>(M.data()), M.size(), D);
  runtime::net::SessionId Id;
  std::copy(D, D + Id.size(), Id.begin());
  return Id;
}

void printOutputs(const std::vector<runtime::OutputValue> &Outs, bool Quiet) {
  for (const runtime::OutputValue &O : Outs) {
    if (!Quiet)
      outs() << "# " << O.Label << "\n";
    outs() << runtime::formatR(O);
  }
  outs().flush();
}

} // namespace

int main(int argc, char **argv) {
  po::options_description Opts("options");
  Opts.add_options()("help,h", "show this help and exit")(
      "config,c", po::value<std::string>(), "the party's JSON config")(
      "role", po::value<std::string>(),
      "compute, input or output: checked against the config (a party that "
      "is not one of the three compute parties is a client)")(
      "json", po::value<std::string>(),
      "write the results here (overrides the config's 'output')")(
      "stats", po::value<std::string>(),
      "write this party's traffic and timing as JSON")(
      "quiet,q", "no progress and no labels, results only")(
      "make-test-pki", po::value<std::vector<std::string>>()->multitoken(),
      "DIR NAME...: write a throw-away CA (DIR/ca.pem) and a certificate and "
      "key per name (DIR/NAME.pem, DIR/NAME.key) for tests and demos, then "
      "exit; real deployments use their own CA");
  po::variables_map VM;
  if (std::string Err =
          tools::parseCommandLine(argc, argv, Opts, "program", VM);
      !Err.empty())
    return fail(Err, 2);
  if (VM.count("help")) {
    std::cout << "usage: sstat-party --config party.json PROGRAM.sbc\n\n"
              << Opts << "\n";
    return 0;
  }
  if (VM.count("make-test-pki")) {
    auto Args = VM["make-test-pki"].as<std::vector<std::string>>();
    if (Args.size() < 2)
      return fail("--make-test-pki DIR NAME...", 2);
    try {
      runtime::net::generateLocalPki(
          Args[0], std::vector<std::string>(Args.begin() + 1, Args.end()));
    } catch (const std::exception &E) {
      return fail(E.what());
    }
    return 0;
  }
  if (!VM.count("program") || !VM.count("config"))
    return fail("usage: sstat-party --config party.json PROGRAM.sbc", 2);
  bool Quiet = VM.count("quiet");
  auto Cfg = parseConfig(VM["config"].as<std::string>());
  if (!Cfg)
    return fail(toString(Cfg.takeError()), 2);

  std::string Path = VM["program"].as<std::string>();
  auto Buf = MemoryBuffer::getFile(Path, /*IsText=*/false);
  if (!Buf)
    return fail("cannot open '" + Path + "': " + Buf.getError().message(), 2);
  ArrayRef<uint8_t> Bytes(
      reinterpret_cast<const uint8_t *>((*Buf)->getBufferStart()),
      (*Buf)->getBufferSize());
  auto Prog = bc::load(Bytes);
  if (!Prog)
    return fail(Path + ": " + toString(Prog.takeError()));
  auto Hash = bc::programHash(Bytes);
  if (!Hash)
    return fail(Path + ": " + toString(Hash.takeError()));
  std::string Hex = bc::hexDigest(*Hash);
  if (!Cfg->Approved.empty() &&
      std::find(Cfg->Approved.begin(), Cfg->Approved.end(), Hex) ==
          Cfg->Approved.end())
    return fail("program " + Path + " (sha256 " + Hex +
                ") is not in this party's approved_programs; refusing to "
                "run it");
  if (Prog->Protocol != 1)
    return fail(Path + ": this runtime runs rep3 programs only");

  const std::string &Me = Cfg->Party;
  std::array<std::string, 3> ComputeNames;
  int Self = -1;
  for (int I = 0; I < 3; ++I) {
    ComputeNames[size_t(I)] = Cfg->Compute[size_t(I)].name;
    if (ComputeNames[size_t(I)] == Me)
      Self = I;
  }
  if (VM.count("role")) {
    std::string Role = VM["role"].as<std::string>();
    if (Role != "compute" && Role != "input" && Role != "output")
      return fail("--role must be compute, input or output", 2);
    if ((Role == "compute") != (Self >= 0))
      return fail("--role " + Role + ": '" + Me + "' is " +
                      (Self >= 0 ? "one of the three compute parties"
                                 : "not a compute party") +
                      " in the config",
                  2);
  }
  bool IsProgramParty = std::find(Prog->Parties.begin(), Prog->Parties.end(),
                                  Me) != Prog->Parties.end();
  if (Self < 0 && !IsProgramParty)
    return fail(
        "'" + Me + "' is neither a compute party nor a party of " + Path, 2);
  std::vector<runtime::InputFile> Inputs;
  for (const auto &[Table, File] : Cfg->Inputs)
    Inputs.push_back({Me, Table, File});
  bool Recipient = false;
  for (size_t K = 0; K < Prog->Parties.size(); ++K)
    if (Prog->Parties[K] == Me && (Prog->Roles[K] & bc::RoleRecipient))
      Recipient = true;
  std::string OutPath =
      VM.count("json") ? VM["json"].as<std::string>() : Cfg->Output;

  runtime::net::SessionParams Session;
  Session.id = sessionId(Cfg->Session);
  std::copy(Hash->begin(), Hash->end(), Session.digest.begin());
  Session.description = describe(*Prog, Hex);
  runtime::net::NetLimits Limits;
  Limits.connectTimeout =
      std::chrono::milliseconds(int64_t(Cfg->ConnectS * 1000));
  Limits.recvTimeout = std::chrono::milliseconds(int64_t(Cfg->RecvS * 1000));
  bool ShowProgress = !Quiet && isatty(2);

  std::vector<runtime::OutputValue> Outs;
  runtime::PartyStats Stats;
  if (Self >= 0) {
    runtime::net::TlsNetworkConfig NC;
    NC.parties = Cfg->Compute;
    NC.self = Self;
    NC.tls = Cfg->Tls;
    NC.session = Session;
    NC.limits = Limits;
    NC.clients = Cfg->Clients;
    for (const std::string &C : runtime::clientParties(*Prog, ComputeNames)) {
      bool Listed = false;
      for (const auto &S : NC.clients)
        Listed |= S.name == C;
      if (!Listed)
        NC.clients.push_back({C, C});
    }
    std::unique_ptr<runtime::net::TlsNetwork> Net;
    try {
      Net = std::make_unique<runtime::net::TlsNetwork>(NC);
    } catch (const std::exception &E) {
      return fail(E.what());
    }
    std::map<std::string, std::unique_ptr<LinkPort>> Ports;
    runtime::PartySetup Setup;
    Setup.Self = Self;
    Setup.Compute = ComputeNames;
    Setup.Inputs = Inputs;
    Setup.Client = [&](const std::string &Name) -> runtime::ClientPort & {
      auto &Slot = Ports[Name];
      if (!Slot)
        Slot = std::make_unique<LinkPort>(
            Net->waitClient(Name, Limits.connectTimeout));
      return *Slot;
    };
    Setup.Profile = getenv("SSTAT_PROFILE") != nullptr;
    if (ShowProgress)
      Setup.Progress = [](const char *Phase, uint64_t Rounds, uint64_t Bytes) {
        // One line, rewritten in place on the terminal.
        errs() << "\rsstat-party: " << Phase << ": " << Rounds << " rounds, "
               << format("%.1f", double(Bytes) / 1e6) << " MB sent   ";
        if (StringRef(Phase) == "done")
          errs() << "\n";
        errs().flush();
      };
    auto R = runtime::runParty(*Prog, Setup, Net->channel(), &Stats);
    if (!R && ShowProgress)
      errs() << "\n"; // end the progress line
    if (!R) {
      std::string Msg = toString(R.takeError());
      // Peers learn that this party stopped, not why in detail: the reason
      // may name this party's files.
      Net->abort("party '" + Me + "' stopped: " +
                 (Stats.InputFailed
                      ? std::string("its input could not be loaded")
                      : Msg));
      return fail(Msg);
    }
    Outs = std::move(*R);
    for (auto &[Name, Port] : Ports)
      Port->link().close();
    Net->close();
  } else {
    runtime::net::ClientConfig CC;
    CC.parties = Cfg->Compute;
    CC.name = Me;
    CC.tls = Cfg->Tls;
    CC.session = Session;
    CC.limits = Limits;
    std::array<std::unique_ptr<runtime::net::Link>, 3> Links;
    try {
      Links = runtime::net::connectAsClient(CC);
    } catch (const std::exception &E) {
      return fail(E.what());
    }
    std::array<std::unique_ptr<LinkPort>, 3> Ports;
    std::array<runtime::ClientPort *, 3> Raw;
    for (size_t I = 0; I < 3; ++I) {
      Ports[I] = std::make_unique<LinkPort>(std::move(Links[I]));
      Raw[I] = Ports[I].get();
    }
    auto R = runtime::runClient(*Prog, ComputeNames, Me, Inputs, Raw);
    if (!R) {
      std::string Msg = toString(R.takeError());
      for (auto &P : Ports)
        P->link().abort("client '" + Me + "' stopped");
      return fail(Msg);
    }
    Outs = std::move(*R);
    for (auto &P : Ports)
      P->link().close();
  }

  if (Recipient) {
    printOutputs(Outs, Quiet);
    if (!OutPath.empty())
      if (Error E =
              writeFileAtomically(OutPath + ".tmp-%%%%%%%%", OutPath,
                                  runtime::toJSON(Outs, Prog->SourceName)))
        return fail("cannot write '" + OutPath +
                    "': " + toString(std::move(E)));
  }
  if (VM.count("stats") && Self >= 0) {
    std::string S;
    raw_string_ostream OS(S);
    OS << "{\"party\": \"" << Me
       << "\", \"compute_seconds\": " << format("%.6f", Stats.ComputeSeconds)
       << ", \"input_seconds\": " << format("%.6f", Stats.InputSeconds)
       << ", \"bytes_sent\": " << Stats.Compute.bytesSent
       << ", \"bytes_received\": " << Stats.Compute.bytesReceived
       << ", \"rounds\": " << Stats.Compute.rounds
       << ", \"messages_sent\": " << Stats.Compute.messagesSent
       << ", \"input_bytes_sent\": " << Stats.Input.bytesSent
       << ", \"input_rounds\": " << Stats.Input.rounds
       << ", \"program_bytes_sent\": " << Stats.Program.bytesSent
       << ", \"program_rounds\": " << Stats.Program.rounds
       << ", \"total_bytes_sent\": " << Stats.Total.bytesSent
       << ", \"total_rounds\": " << Stats.Total.rounds
       << ", \"client_bytes_sent\": " << Stats.ClientBytesSent
       << ", \"client_bytes_received\": " << Stats.ClientBytesReceived
       << ", \"instructions\": " << Stats.Instructions << "}\n";
    std::string SP = VM["stats"].as<std::string>();
    if (Error E = writeFileAtomically(SP + ".tmp-%%%%%%%%", SP, OS.str()))
      return fail("cannot write '" + SP + "': " + toString(std::move(E)));
  }
  return 0;
}
