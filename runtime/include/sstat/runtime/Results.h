//===- Results.h - What a recipient prints of a model or a test -*- C++ -*-===//
//
// A published model, test or table arrives as the few numbers the
// computation opened (OutputValue::Values) and a kind saying what they are
// (OutputValue::Kind, from the compiler; layouts in docs/bytecode.md,
// "Result kinds"). The recipient derives everything R prints from them in
// double precision -- standard errors, test statistics, p values, R^2,
// confidence intervals -- and prints it as R does (RPrint.h). Each opened
// number is a function of R's printout, so this derivation discloses
// nothing beyond what is printed.
//
//===----------------------------------------------------------------------===//

#ifndef SSTAT_RUNTIME_RESULTS_H
#define SSTAT_RUNTIME_RESULTS_H

#include "sstat/runtime/Cleartext.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace sstat::runtime {

/// A result as the recipient shows it.
struct ResultView {
  /// R's printed text.
  std::string Text;
  /// JSON members, in order: a name and an encoded JSON value each.
  std::vector<std::pair<std::string, std::string>> Fields;
};

/// The view of \p V, or std::nullopt for a plain value (no kind). An
/// unknown kind, or values that do not have the kind's layout, is an error
/// (a program from another compiler version, or a corrupted output).
llvm::Expected<std::optional<ResultView>> viewResult(const OutputValue &V);

/// S as a JSON string literal (quotes, escapes).
std::string jsonQuoted(llvm::StringRef S);

} // namespace sstat::runtime

#endif // SSTAT_RUNTIME_RESULTS_H
