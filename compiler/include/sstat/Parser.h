//===- Parser.h - Parsing .sstat source into the AST ------------*- C++ -*-===//
//
// The public face of the front end's first stage. ANTLR stays behind this
// interface: callers get a Program of sstat AST nodes, and syntax errors as
// diagnostics (several per file; the parser recovers and goes on).
//
//===----------------------------------------------------------------------===//

#ifndef SSTAT_PARSER_H
#define SSTAT_PARSER_H

#include "sstat/AST.h"
#include "sstat/Diagnostics.h"

#include <memory>

namespace sstat {

/// Parses buffer \p BufferID of \p SM. Always returns a Program; on syntax
/// errors it holds what could be recovered and \p Diags has the errors.
std::unique_ptr<Program> parseBuffer(llvm::SourceMgr &SM, unsigned BufferID,
                                     DiagnosticEngine &Diags);

} // namespace sstat

#endif // SSTAT_PARSER_H
