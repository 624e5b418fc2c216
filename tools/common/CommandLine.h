//===- CommandLine.h - The tools' shared option parsing ---------*- C++ -*-===//
//
// Every tool takes named options plus one positional argument (the input
// file): parse both with Boost.Program_options in one call.
//
//===----------------------------------------------------------------------===//

#ifndef SSTAT_TOOLS_COMMON_COMMANDLINE_H
#define SSTAT_TOOLS_COMMON_COMMANDLINE_H

#include <boost/program_options.hpp>

#include <string>

namespace sstat::tools {

/// Parses argv into \p VM: the options \p Visible plus one positional
/// argument stored under \p Positional. Returns an empty string on success,
/// else the parser's message.
inline std::string
parseCommandLine(int argc, char **argv,
                 const boost::program_options::options_description &Visible,
                 const char *Positional,
                 boost::program_options::variables_map &VM) {
  namespace po = boost::program_options;
  po::options_description Hidden;
  Hidden.add_options()(Positional, po::value<std::string>());
  po::options_description All;
  All.add(Visible).add(Hidden);
  po::positional_options_description Pos;
  Pos.add(Positional, 1);
  try {
    po::store(
        po::command_line_parser(argc, argv).options(All).positional(Pos).run(),
        VM);
    po::notify(VM);
  } catch (const po::error &E) {
    return E.what();
  }
  return "";
}

} // namespace sstat::tools

#endif
