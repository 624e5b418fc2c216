//===- Schema.h - The schema of one input table -----------------*- C++ -*-===//
//
// A script declares each input table with input_table(columns = list(...));
// the compiler checks that declaration and carries it into the program. This
// header is the runtime's copy of one such declaration: the columns a data
// owner's CSV must contain, each with its kind and the facts the loader
// enforces before anything is secret-shared (the inclusive range of a number,
// the levels of a factor). It is plain data with no behaviour, so the
// bytecode loader, the CSV loader and the tests can all build one.
//
//===----------------------------------------------------------------------===//

#ifndef SSTAT_RUNTIME_SCHEMA_H
#define SSTAT_RUNTIME_SCHEMA_H

#include <string>
#include <vector>

namespace sstat::runtime {

/// What one column holds.
enum class ColumnKind {
  Num,    ///< a real number in [Lo, Hi] (fixed-point once shared)
  Int,    ///< a whole number in [Lo, Hi]
  Bool,   ///< TRUE or FALSE
  Factor, ///< one of Levels, stored as its index into Levels
  Key,    ///< an opaque identifier (1 to 64 bytes) used to link tables
};

/// One declared column.
struct ColumnSchema {
  /// The name the CSV header must carry, matched exactly (case-sensitive).
  std::string Name;
  ColumnKind Kind = ColumnKind::Num;
  /// Inclusive bounds for Num and Int columns; unused otherwise.
  double Lo = 0, Hi = 0;
  /// The levels of a Factor column, in declaration order; unused otherwise.
  std::vector<std::string> Levels;
};

/// The declared columns of one input table, in declaration order.
struct TableSchema {
  std::vector<ColumnSchema> Columns;
};

} // namespace sstat::runtime

#endif // SSTAT_RUNTIME_SCHEMA_H
