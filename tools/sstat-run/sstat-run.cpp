//===- sstat-run.cpp - Run a compiled program -----------------------------===//
//
//   sstat-run prog.sbc --cleartext --input PARTY=file.csv ... [--json out.json]
//
// --cleartext runs the reference executor: the same fixed-point arithmetic
// as the secure protocol, on cleartext data, in one process. A party that
// holds several tables names one with PARTY.TABLE=file.csv. Results are
// printed R-style and, with --json, written atomically as JSON. (The
// 3-party secure mode, --local, comes with the runtime milestone.)
//
//===----------------------------------------------------------------------===//

#include "sstat/Bytecode/Bytecode.h"
#include "sstat/runtime/Cleartext.h"

#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

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
      "cleartext", "run the reference executor on cleartext data")(
      "input,i", po::value<std::vector<std::string>>(),
      "PARTY=file.csv or PARTY.TABLE=file.csv (repeatable)")(
      "json", po::value<std::string>(), "also write the results as JSON")(
      "quiet,q", "print only the results");
  po::options_description Hidden;
  Hidden.add_options()("program", po::value<std::string>());
  po::options_description All;
  All.add(Opts).add(Hidden);
  po::positional_options_description Pos;
  Pos.add("program", 1);
  po::variables_map VM;
  try {
    po::store(
        po::command_line_parser(argc, argv).options(All).positional(Pos).run(),
        VM);
    po::notify(VM);
  } catch (const po::error &E) {
    return fail(E.what(), 2);
  }
  if (VM.count("help")) {
    std::cout << "usage: sstat-run PROGRAM.sbc --cleartext --input "
                 "PARTY=file.csv ...\n\n"
              << Opts << "\n";
    return 0;
  }
  if (!VM.count("program"))
    return fail("no program given (try 'sstat-run --help')", 2);
  if (!VM.count("cleartext"))
    return fail("only --cleartext is available in this build; the secure "
                "3-party mode comes with the runtime",
                2);
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
        return fail("--input " + S + ": no input table of this program is "
                    "held by '" + Who + "'",
                    2);
      Inputs.push_back({Party.str(), Table.str(), File.str()});
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
