//===- Csv.h - Loading a data owner's CSV against its schema ----*- C++ -*-===//
//
// Before a data owner secret-shares its rows it reads them from a CSV file
// and checks every cell against the schema the script declared: the header
// must name every declared column (in any order; other columns are ignored),
// numbers must lie in their inclusive range, factors must be one of their
// levels, booleans must be TRUE or FALSE, and keys must be present. The first
// violation stops the load with one error that says where (file, row, column)
// and what was expected, so the owner can fix the file; nothing is shared
// from a file that does not check.
//
// Format: RFC 4180 CSV (comma separator, optional double quotes, "" for a
// quote inside quotes), UTF-8, LF or CRLF line ends, an optional final line
// end and blank trailing lines. Missing values are the literal NA, as R
// writes them; an empty field is an error, not NA, so that every missing
// value is explicit, and blanks around a value are not trimmed. Numbers are
// read with std::from_chars, so there is no locale.
//
// Privacy of the messages: an error quotes at most the offending cell (cut
// to a few dozen bytes), never a cell from another row, and never a key,
// since keys are often personal identifiers.
//
//===----------------------------------------------------------------------===//

#ifndef SSTAT_RUNTIME_CSV_H
#define SSTAT_RUNTIME_CSV_H

#include "sstat/runtime/Schema.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace sstat::runtime {

/// The longest key the loader accepts, in bytes.
inline constexpr size_t MaxKeyBytes = 64;

/// The values of one column, one entry per data row.
///
/// Only the vector that matches Schema.Kind is filled (Num, Int, Bool, Code
/// or Key); the others stay empty. Missing is always filled. A missing cell
/// holds 0 (Num, Int, Bool) or -1 (Code) in its value vector.
struct LoadedColumn {
  ColumnSchema Schema;
  std::vector<double> Num;
  std::vector<int64_t> Int;
  /// 1 = TRUE, 0 = FALSE.
  std::vector<uint8_t> Bool;
  /// Index into Schema.Levels.
  std::vector<int32_t> Code;
  std::vector<std::string> Key;
  /// 1 = the cell was NA.
  std::vector<uint8_t> Missing;
};

/// A whole loaded table.
struct LoadedTable {
  /// Data rows, not counting the header.
  size_t Rows = 0;
  /// One per schema column, in schema order (not file order).
  std::vector<LoadedColumn> Columns;
};

/// How strict the loader is beyond the schema.
struct CsvOptions {
  /// Whether NA cells are accepted in Num, Int, Bool and Factor columns.
  /// Key columns never accept NA.
  bool AllowNA = true;
  /// How many threads may read a big file (in pieces of at least 1 MiB):
  /// 0 = one per core, at most 8; 1 = only the calling thread. The result
  /// and any error message do not depend on it.
  unsigned Threads = 0;
};

/// Reads the CSV file at \p Path and checks it against \p S. The file is
/// opened read-only and never modified. Errors are llvm::StringErrors whose
/// message starts with `Path:row:column` (rows are 1-based, the header being
/// row 1; a row is a record, so a quoted line break does not start a new
/// one; columns are 1-based positions in the file) followed by the column's
/// name when it is known, e.g.
///
///     mtcars.csv:5:4 (column 'disp'): expected a number in [50, 500], got
///     '40.5'
///
/// (one line).
llvm::Expected<LoadedTable> loadCsv(llvm::StringRef Path, const TableSchema &S,
                                    const CsvOptions &O = {});

/// Like loadCsv, but reads \p Contents; \p DisplayName stands for the file in
/// error messages.
llvm::Expected<LoadedTable> loadCsvBuffer(llvm::StringRef Contents,
                                          llvm::StringRef DisplayName,
                                          const TableSchema &S,
                                          const CsvOptions &O = {});

} // namespace sstat::runtime

#endif // SSTAT_RUNTIME_CSV_H
