//===- CsvTestUtil.h - Schemas and helpers for CSV tests --------*- C++ -*-===//
//
// Short constructors for schema columns, written the way a script declares
// them (num(0, 120), factor(c(...)), ...), and a helper that loads a buffer
// and returns the error message, so that every test of a diagnostic is one
// line comparing the exact text.
//
//===----------------------------------------------------------------------===//

#ifndef SSTAT_TESTS_UNIT_RUNTIME_CSVTESTUTIL_H
#define SSTAT_TESTS_UNIT_RUNTIME_CSVTESTUTIL_H

#include "sstat/runtime/Csv.h"

#include <string>
#include <utility>
#include <vector>

namespace sstat::runtime::test {

inline ColumnSchema num(std::string Name, double Lo, double Hi) {
  return {std::move(Name), ColumnKind::Num, Lo, Hi, {}};
}
inline ColumnSchema integer(std::string Name, double Lo, double Hi) {
  return {std::move(Name), ColumnKind::Int, Lo, Hi, {}};
}
inline ColumnSchema boolean(std::string Name) {
  return {std::move(Name), ColumnKind::Bool, 0, 0, {}};
}
inline ColumnSchema factor(std::string Name, std::vector<std::string> Levels) {
  return {std::move(Name), ColumnKind::Factor, 0, 0, std::move(Levels)};
}
inline ColumnSchema key(std::string Name) {
  return {std::move(Name), ColumnKind::Key, 0, 0, {}};
}

/// The message of the error loading \p Contents (named \p Name) gives, or
/// "<loaded>" if it loads.
inline std::string loadError(llvm::StringRef Contents, const TableSchema &S,
                             llvm::StringRef Name = "t.csv",
                             const CsvOptions &O = {}) {
  llvm::Expected<LoadedTable> T = loadCsvBuffer(Contents, Name, S, O);
  if (T)
    return "<loaded>";
  return llvm::toString(T.takeError());
}

/// The number of missing cells in \p C.
inline size_t countMissing(const LoadedColumn &C) {
  size_t N = 0;
  for (uint8_t M : C.Missing)
    N += M;
  return N;
}

} // namespace sstat::runtime::test

#endif // SSTAT_TESTS_UNIT_RUNTIME_CSVTESTUTIL_H
