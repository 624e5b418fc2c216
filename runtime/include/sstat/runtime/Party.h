//===- Party.h - One compute party of a rep3 run ----------------*- C++ -*-===//
//
// The party VM runs a verified bytecode program at one of the three compute
// parties of the rep3 protocol (runtime/include/sstat/runtime/rep3/Rep3.h):
// public registers hold cleartext vectors, identical at every party; secret
// registers hold this party's replicated shares. The three parties execute
// the same instruction sequence (control flow depends only on public
// values), so they call the protocol's interactive operations in the same
// order with the same sizes.
//
// Program parties and compute parties. A program names its parties (data
// owners and result recipients, e.g. "hosp_a", "analyst"); a deployment
// names three compute parties. A program party whose name is a compute
// party's runs inside that compute party; any other owner is an input
// client that secret-shares its rows into the three compute parties, and
// any other recipient is an output client that receives the three parties'
// shares of its results and reconstructs them (checking that the replicated
// shares agree). Clients talk to compute parties over ClientPort links.
//
// Phases at a compute party:
//   1. load and check this party's own CSV files (before any secret moves);
//   2. row counts: every owner announces how many rows it holds of each
//      table (row counts of horizontal data are public by design);
//   3. input: every owner secret-shares all the input vectors the program
//      reads from its rows, in one message per receiving party;
//   4. the program; PUBLISH opens a value to the compute recipients only
//      (openTo) and sends shares to output clients;
//   5. a final message to each output client.
//
//===----------------------------------------------------------------------===//

#ifndef SSTAT_RUNTIME_PARTY_H
#define SSTAT_RUNTIME_PARTY_H

#include "sstat/Bytecode/Bytecode.h"
#include "sstat/runtime/Cleartext.h"
#include "sstat/runtime/rep3/Channel.h"

#include "llvm/Support/Error.h"

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace sstat::runtime {

/// A message link between a compute party and one client (an input owner
/// or a result recipient that is not a compute party). Implementations
/// check every message's framing; recv throws rep3::ChannelError on a
/// transport failure.
class ClientPort {
public:
  virtual ~ClientPort();
  virtual void send(std::vector<uint8_t> Message) = 0;
  virtual std::vector<uint8_t> recv() = 0;
  /// Bytes sent and received (message payloads).
  uint64_t BytesSent = 0, BytesReceived = 0;
};

/// The deployment as seen by one compute party.
struct PartySetup {
  /// This party's index, 0..2.
  int Self = 0;
  /// The three compute parties' names. A program party with one of these
  /// names is that compute party.
  std::array<std::string, 3> Compute;
  /// This party's own CSV files (for the tables it owns).
  std::vector<InputFile> Inputs;
  /// The link to a client, by program party name; called once per client
  /// the program needs, in a deterministic order.
  std::function<ClientPort &(const std::string &Name)> Client;
  /// Progress callback (phase name, rounds so far, bytes sent so far);
  /// may be empty.
  std::function<void(const char *Phase, uint64_t Rounds, uint64_t Bytes)>
      Progress;
  /// Print the time spent per kind of instruction to stderr at the end
  /// (sstat-party does this when SSTAT_PROFILE is set).
  bool Profile = false;
};

/// What a compute party measured about its run.
struct PartyStats {
  uint64_t Instructions = 0;
  std::map<std::string, uint64_t> RowsPerTable;
  /// Channel traffic to the other compute parties (all phases).
  rep3::ChannelStats Total;
  /// Traffic from the start of the input phase to the end.
  rep3::ChannelStats Compute;
  /// The input phase alone (row counts and input sharing), and the program
  /// after it (what the instructions send, comparable with --emit=cost).
  rep3::ChannelStats Input, Program;
  /// Seconds from the first byte of secret input (after every owner has
  /// loaded its CSV and announced its row counts) to the last output byte,
  /// and the part of it spent sharing inputs.
  double ComputeSeconds = 0, InputSeconds = 0;
  /// Payload bytes exchanged with clients.
  uint64_t ClientBytesSent = 0, ClientBytesReceived = 0;
  /// Set when the run failed because this party's own CSV did not load
  /// (the error names its file; peers should be told less).
  bool InputFailed = false;
};

/// Runs the program at compute party Setup.Self over \p Ch (connected to the
/// other two). Returns the outputs this party receives as a recipient, in
/// program order. Errors (a bad CSV, a protocol failure, a peer's abort)
/// come back as llvm::Error with the source line where one applies; they
/// never contain secret values.
llvm::Expected<std::vector<OutputValue>> runParty(const bc::Program &P,
                                                  const PartySetup &Setup,
                                                  rep3::Channel &Ch,
                                                  PartyStats *Stats = nullptr);

/// Runs a client: \p Name is a program party that is not a compute party.
/// Shares its inputs (if it owns tables) into the three compute parties
/// over \p Links (indexed like the compute parties) and, if it is a
/// recipient, receives and reconstructs its results.
llvm::Expected<std::vector<OutputValue>>
runClient(const bc::Program &P, const std::array<std::string, 3> &Compute,
          const std::string &Name, const std::vector<InputFile> &Inputs,
          const std::array<ClientPort *, 3> &Links);

/// The program parties that are neither compute parties nor absent: the
/// clients a deployment with compute parties \p Compute needs, in order.
std::vector<std::string>
clientParties(const bc::Program &P, const std::array<std::string, 3> &Compute);

} // namespace sstat::runtime

#endif // SSTAT_RUNTIME_PARTY_H
