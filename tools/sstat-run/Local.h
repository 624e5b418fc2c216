//===- Local.h - sstat-run --local ------------------------------*- C++ -*-===//

#ifndef SSTAT_TOOLS_SSTAT_RUN_LOCAL_H
#define SSTAT_TOOLS_SSTAT_RUN_LOCAL_H

#include "sstat/Bytecode/Bytecode.h"
#include "sstat/runtime/Cleartext.h"
#include "sstat/runtime/Party.h"

#include <array>
#include <string>
#include <vector>

namespace sstat {

struct LocalOptions {
  const char *Argv0 = nullptr;
  void *MainAddr = nullptr;
  bool Quiet = false;
  bool Keep = false;          // keep the temporary directory (debugging)
  double ConnectSeconds = 30; // per party, to reach the others
  double RecvSeconds = 60;    // a silent peer fails the run after this
  double TotalSeconds = 3600; // the whole run, then every party is killed
  std::string JsonPath;       // all recipients' results
  std::string StatsPath;      // every compute party's traffic and timing
};

/// The three compute parties of a local run of \p P.
std::array<std::string, 3> localComputeParties(const bc::Program &P);

/// Runs \p P (serialized as \p Bytes) with every party a process on
/// loopback; returns the exit status for sstat-run.
int runLocal(const bc::Program &P, const std::vector<uint8_t> &Bytes,
             const std::vector<runtime::InputFile> &Inputs,
             const LocalOptions &Opts);

} // namespace sstat

#endif
