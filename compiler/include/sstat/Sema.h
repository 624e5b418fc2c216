//===- Sema.h - Name resolution, types and security labels ------*- C++ -*-===//
//
// The checker resolves names, infers a Type (security x element x shape) for
// every expression, and enforces the information-flow rules of .sstat:
//
//  * an operation with a secret operand is secret;
//  * `if` / `while` conditions, `for` sequences, indices, sizes, `:` bounds
//    and `rep()` counts must be public;
//  * labels are flow-sensitive: a variable assigned a secret value is secret
//    from then on, in every later loop iteration too (the checker iterates
//    loop bodies to a fixpoint), so no branch can depend on a secret through
//    a variable that became secret earlier (no implicit flows);
//  * `ifelse(cond, a, b)` is the oblivious choice;
//  * only `reveal()` and `publish(x, to = ...)` declassify, and each is
//    recorded as a Disclosure.
//
//===----------------------------------------------------------------------===//

#ifndef SSTAT_SEMA_H
#define SSTAT_SEMA_H

#include "sstat/AST.h"
#include "sstat/Diagnostics.h"
#include "sstat/Types.h"

#include <map>
#include <string>
#include <vector>

namespace sstat {

/// A point where a secret becomes public.
struct Disclosure {
  enum Kind { Reveal, Publish };
  Kind K = Reveal;
  llvm::SMRange Range;  // the reveal()/publish() call
  std::string ExprText; // the disclosed expression, as written
  std::string Shape;    // its shape: "scalar", "vector[nrow(t)]", ...
  std::string TypeText; // its full type before disclosure
  std::vector<std::string> Recipients; // empty for reveal(): every party
  /// For a model or a test: the values actually opened, from which the
  /// recipient computes what R prints (each a function of that printout).
  std::string Opened;
};

/// An input_table() declaration.
struct InputDecl {
  std::string Name; // the variable it is assigned to
  llvm::SMRange Range;
  std::vector<std::string> Parties;
  std::string Key; // empty if none
  std::vector<Column> Columns;
};

/// What --emit=types shows: each top-level binding with its type.
struct Binding {
  llvm::SMLoc Loc;
  std::string Name;
  std::string TypeText;
};

/// A model formula as the checker expanded it (R's terms()): the response,
/// whether the model has an intercept, and its terms in R's order, each
/// the variables it multiplies (in order of first appearance).
struct ModelDesign {
  std::string Response;
  bool Intercept = true;
  std::vector<std::vector<std::string>> Terms;
};

struct CheckResult {
  std::vector<Disclosure> Disclosures;
  /// Every checked model formula, by its expression (looked up, never
  /// iterated).
  std::map<const Expr *, ModelDesign> Designs;
  std::vector<InputDecl> Inputs;
  std::vector<std::string> Parties; // in order of first mention
  std::vector<Binding> Bindings;
};

/// Checks \p P; diagnostics go to \p Diags. The result is meaningful even
/// with errors (what could be inferred).
CheckResult checkProgram(const Program &P, DiagnosticEngine &Diags);

/// Names of every builtin and stdlib function, for documentation and tests.
std::vector<std::string> builtinNames();

} // namespace sstat

#endif // SSTAT_SEMA_H
