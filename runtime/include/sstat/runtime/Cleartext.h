//===- Cleartext.h - The reference executor on cleartext data ---*- C++ -*-===//
//
// Runs a verified bytecode program on cleartext data with exactly the
// fixed-point semantics of the secure protocol: the same ring Z_2^k, the
// same fixed-point scales, the same truncation by an arithmetic shift (the
// secure truncation differs by at most one unit in the last place, see
// docs/fixedpoint.md), and the same fixed-iteration algorithms for the
// reciprocal, square root, exponential and logarithm. Statisticians use it
// to dry-run a script; tests use it to check the compiler independently of
// cryptography.
//
//===----------------------------------------------------------------------===//

#ifndef SSTAT_RUNTIME_CLEARTEXT_H
#define SSTAT_RUNTIME_CLEARTEXT_H

#include "sstat/Bytecode/Bytecode.h"

#include "llvm/Support/Error.h"

#include <map>
#include <string>
#include <vector>

namespace sstat::runtime {

/// A CSV file given by one owner for one of the program's input tables.
struct InputFile {
  std::string Party;
  std::string Table; // empty: the party's only table
  std::string Path;
};

/// One published (or revealed) value, decoded to doubles.
struct OutputValue {
  std::string Label;              // the disclosed expression, as written
  std::vector<std::string> To;    // recipients; empty for reveal()
  std::vector<std::string> Names; // element names (c(mean = ...)), if any
  std::string Kind;               // bc::Output::Kind
  std::vector<std::string> Meta;  // bc::Output::Meta
  unsigned Rank = 0;
  uint64_t Rows = 1, Cols = 1;
  std::vector<double> Values; // row-major
  bool IsInt = false, IsBool = false;
};

struct RunStats {
  uint64_t Instructions = 0;
  std::map<std::string, uint64_t> RowsPerTable;
};

/// Loads every input (horizontal tables: the owners' rows stacked in the
/// order of input_table(parties = ...)), runs the program, and returns the
/// outputs in the order they were produced.
llvm::Expected<std::vector<OutputValue>>
runCleartext(const bc::Program &P, const std::vector<InputFile> &Inputs,
             RunStats *Stats = nullptr);

/// An R-like rendering of one output (`[1] 20.09062` for a scalar).
std::string formatR(const OutputValue &V);
/// The outputs as a JSON document.
std::string toJSON(const std::vector<OutputValue> &Vs, llvm::StringRef Program);

} // namespace sstat::runtime

#endif // SSTAT_RUNTIME_CLEARTEXT_H
