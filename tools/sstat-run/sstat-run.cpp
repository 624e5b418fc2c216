//===- sstat-run.cpp - Run a compiled program -----------------------------===//
//
//   sstat-run prog.sbc|prog.sstat --local --input PARTY=file.csv ...
//   sstat-run prog.sbc|prog.sstat --cleartext --input PARTY=file.csv ...
//
// --local runs the real secure computation: three compute parties and any
// input/output clients as separate sstat-party processes over TLS 1.3 on
// loopback, with throw-away certificates (Local.cpp). --cleartext runs the
// reference executor: the same fixed-point arithmetic as the secure
// protocol, on cleartext data, in one process. A party that holds several
// tables names one with PARTY.TABLE=file.csv. A .sstat file is compiled
// first (Z_2^128, 40 fractional bits unless --ring/--frac say otherwise).
// Results are printed R-style and, with --json, written atomically as JSON.
//
//===----------------------------------------------------------------------===//

#include "Local.h"

#include "sstat/Bytecode/Bytecode.h"
#include "sstat/Driver.h"
#include "sstat/runtime/Cleartext.h"

#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include "../common/CommandLine.h"

#include <boost/program_options.hpp>

#include <iostream>

namespace po = boost::program_options;
using namespace sstat;
using namespace llvm;

static int fail(const Twine &Msg, int Code = 1) {
  errs() << "sstat-run: error: " << Msg << "\n";
  return Code;
}

int main(int argc, char **argv) {
  po::options_description Opts("options");
  Opts.add_options()("help,h", "show this help and exit")(
      "local", "run the secure 3-party computation on this machine: every "
               "party a process, TLS on loopback")(
      "cleartext", "run the reference executor on cleartext data")(
      "input,i", po::value<std::vector<std::string>>(),
      "PARTY=file.csv or PARTY.TABLE=file.csv (repeatable)")(
      "json", po::value<std::string>(), "also write the results as JSON")(
      "stats", po::value<std::string>(),
      "--local: write each compute party's time, bytes and rounds as JSON")(
      "ring", po::value<unsigned>()->default_value(128),
      "compiling a .sstat file: the ring Z_2^k (64 or 128)")(
      "frac", po::value<unsigned>()->default_value(40),
      "compiling a .sstat file: fractional bits")(
      "timeout", po::value<double>()->default_value(60),
      "--local: seconds a party waits for a silent peer")(
      "keep", "--local: keep the temporary directory (configs, logs)")(
      "quiet,q", "print only the results");
  po::variables_map VM;
  if (std::string Err =
          tools::parseCommandLine(argc, argv, Opts, "program", VM);
      !Err.empty())
    return fail(Err, 2);
  if (VM.count("help")) {
    std::cout
        << "usage: sstat-run PROGRAM.sbc|PROGRAM.sstat --local|--cleartext "
           "--input PARTY=file.csv ...\n\n"
        << Opts << "\n";
    return 0;
  }
  if (!VM.count("program"))
    return fail("no program given (try 'sstat-run --help')", 2);
  if (VM.count("cleartext") == VM.count("local"))
    return fail("choose one of --local (the secure 3-party run) and "
                "--cleartext (the reference executor)",
                2);
  std::string Path = VM["program"].as<std::string>();
  std::vector<uint8_t> Bytes;
  Expected<bc::Program> Prog = bc::Program();
  if (StringRef(Path).endswith(".sstat")) {
    CompileOptions CO;
    CO.RingBits = VM["ring"].as<unsigned>();
    CO.FracBits = VM["frac"].as<unsigned>();
    if (CO.RingBits != 64 && CO.RingBits != 128)
      return fail("--ring must be 64 or 128", 2);
    if (CO.FracBits < 1 || 2 * CO.FracBits >= CO.RingBits)
      return fail("--frac must be between 1 and " + Twine(CO.RingBits / 2 - 1),
                  2);
    Prog = compileFile(Path, CO);
    if (!Prog)
      return fail(Path + ": " + toString(Prog.takeError()));
    Bytes = bc::serialize(*Prog);
  } else {
    auto Buf = MemoryBuffer::getFile(Path, /*IsText=*/false);
    if (!Buf)
      return fail("cannot open '" + Path + "': " + Buf.getError().message(), 2);
    Bytes.assign((*Buf)->getBufferStart(), (*Buf)->getBufferEnd());
    Prog = bc::load(Bytes);
    if (!Prog)
      return fail(Path + ": " + toString(Prog.takeError()));
  }

  std::vector<runtime::InputFile> Inputs;
  if (VM.count("input"))
    for (const std::string &S : VM["input"].as<std::vector<std::string>>()) {
      auto [Who, File] = StringRef(S).split('=');
      if (Who.empty() || File.empty())
        return fail("--input expects PARTY=file.csv, got '" + S + "'", 2);
      auto [Party, Table] = Who.split('.');
      bool Known = false;
      for (const bc::Table &T : Prog->Inputs)
        for (const std::string &P : T.Parties)
          Known |= P == Party && (Table.empty() || T.Name == Table);
      if (!Known)
        return fail("--input " + S +
                        ": no input table of this program is "
                        "held by '" +
                        Who + "'",
                    2);
      Inputs.push_back({Party.str(), Table.str(), File.str()});
    }
  if (VM.count("local")) {
    LocalOptions LO;
    LO.Argv0 = argv[0];
    LO.MainAddr = reinterpret_cast<void *>(&fail);
    LO.Quiet = VM.count("quiet");
    LO.Keep = VM.count("keep");
    LO.RecvSeconds = VM["timeout"].as<double>();
    if (VM.count("json"))
      LO.JsonPath = VM["json"].as<std::string>();
    if (VM.count("stats"))
      LO.StatsPath = VM["stats"].as<std::string>();
    return runLocal(*Prog, Bytes, Inputs, LO);
  }
  runtime::RunStats Stats;
  auto Outs = runtime::runCleartext(*Prog, Inputs, &Stats);
  if (!Outs)
    return fail(toString(Outs.takeError()));
  for (const runtime::OutputValue &O : *Outs) {
    if (!VM.count("quiet")) {
      outs() << "# " << O.Label << "  -> ";
      for (size_t K = 0; K < O.To.size(); ++K)
        outs() << (K ? ", " : "") << O.To[K];
      outs() << "\n";
    }
    outs() << runtime::formatR(O);
  }
  if (VM.count("json")) {
    std::string J = VM["json"].as<std::string>();
    if (Error E = writeFileAtomically(J + ".tmp-%%%%%%%%", J,
                                      runtime::toJSON(*Outs, Prog->SourceName)))
      return fail("cannot write '" + J + "': " + toString(std::move(E)));
  }
  return 0;
}
