//===- CsvCells.h - Reading and quoting single CSV cells --------*- C++ -*-===//
//
// The conversions from the text of one cell to a value, shared by the CSV
// loader and its tests: numbers the way R writes them (1, -2.5, 1e-3, and
// decimal forms too small for a double read as zero, as R does), whole
// numbers (also written 4.0 or 1e3), and R's spellings of TRUE and FALSE.
// Each returns std::nullopt for text it does not accept; range checks are the
// caller's. Also the two helpers that put numbers and cells into messages.
//
//===----------------------------------------------------------------------===//

#ifndef SSTAT_RUNTIME_LIB_CSVCELLS_H
#define SSTAT_RUNTIME_LIB_CSVCELLS_H

#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <optional>
#include <string>

namespace sstat::runtime::csv {

/// Parses a decimal number: an optional sign, digits with an optional point,
/// an optional exponent. Also yields Inf and NaN for `Inf`, `NaN` and the
/// like, and +-Inf for a value too large for a double, so that the caller's
/// range check rejects them; hexadecimal and surrounding blanks are rejected.
std::optional<double> parseNumber(llvm::StringRef Text);

/// Parses a whole number: an integer literal, or a number with a zero
/// fraction (4.0, 1e3) that fits in int64_t.
std::optional<int64_t> parseWhole(llvm::StringRef Text);

/// Parses TRUE, FALSE, T, F, true, false, True, False, 1 and 0.
std::optional<bool> parseBool(llvm::StringRef Text);

/// Formats a schema bound as briefly as it reads back exactly (50, 0.25,
/// 1e+07).
std::string formatNumber(double V);

/// Makes \p Text safe to put in a one-line message: cut after \p MaxBytes
/// (at a character boundary, with "..."), control bytes written \xNN.
std::string printable(llvm::StringRef Text, size_t MaxBytes);

/// Quotes a cell for an error message: printable(Text, 40) in single quotes.
std::string quoteCell(llvm::StringRef Text);

} // namespace sstat::runtime::csv

#endif // SSTAT_RUNTIME_LIB_CSVCELLS_H
