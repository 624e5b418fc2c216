//===- Schema.cpp - Checking input_table() declarations -------------------===//
//
//   t <- input_table(parties = c("a", "b"), key = "id",
//                    columns = list(age = num(0, 120), n = int(0, 10),
//                                   smoker = bool(),
//                                   region = factor(c("north", "south"))))
//
// A schema is the contract between the script and each data owner: every
// column has a type and, for numbers, a finite range; the owner's CSV is
// checked against it when loaded, and the ranges decide the fixed-point
// format. So a schema must be written out in full with constants: the
// checker reads it from the syntax, not by evaluating it.
//
//===----------------------------------------------------------------------===//

#include "SemaInternal.h"

#include <cmath>
#include <set>

using namespace sstat;
using namespace llvm;

namespace {

/// Checks one `name = type(...)` entry; fills \p Col. Returns false on error.
bool checkColumnType(Sema &S, const Arg &A, Column &Col) {
  DiagnosticEngine &D = S.diags();
  auto *Call = A.Value ? dyn_cast<CallExpr>(A.Value.get()) : nullptr;
  StringRef Kind = Call ? Call->getCalleeName() : "";
  if (Kind != "num" && Kind != "int" && Kind != "bool" && Kind != "factor") {
    D.report(A.Value ? A.Value->getRange() : A.Range,
             diag::err_schema_column_type)
        << Col.Name;
    return false;
  }
  // `na = TRUE` allows missing values in this column (the CSV's NA);
  // without it the owner's file may not have any.
  std::vector<const Arg *> ArgPtrs;
  for (const Arg &X : Call->getArgs()) {
    if (X.Name && *X.Name == "na") {
      auto *C = X.Value ? dyn_cast<ConstExpr>(X.Value.get()) : nullptr;
      if (!C || (C->getWhich() != ConstExpr::True &&
                 C->getWhich() != ConstExpr::False)) {
        D.report(X.Range, diag::err_schema_na);
        return false;
      }
      Col.MayBeNA = C->getWhich() == ConstExpr::True;
      continue;
    }
    ArgPtrs.push_back(&X);
  }
  if (Kind == "bool") {
    Col.Elem = ElemType::Bool;
    if (!ArgPtrs.empty()) {
      D.report(ArgPtrs[0]->Range, diag::err_too_many_args) << "bool" << 0LL;
      return false;
    }
    return true;
  }
  if (Kind == "factor") {
    Col.Elem = ElemType::Factor;
    std::vector<std::string> Levels;
    // factor(c("a", "b")) or factor("a", "b"), optionally levels = c(...).
    for (const Arg *LP : ArgPtrs) {
      const Arg &L = *LP;
      if (L.Name && *L.Name != "levels") {
        D.report(L.Range, diag::err_unused_argument) << *L.Name << "factor";
        return false;
      }
      auto Strs = L.Value ? Sema::constStrings(*L.Value) : std::nullopt;
      if (!Strs) {
        D.report(L.Range, diag::err_schema_levels);
        return false;
      }
      Levels.insert(Levels.end(), Strs->begin(), Strs->end());
    }
    if (Levels.empty()) {
      D.report(Call->getRange(), diag::err_schema_levels);
      return false;
    }
    std::set<std::string> Seen;
    for (const std::string &L : Levels)
      if (!Seen.insert(L).second) {
        D.report(Call->getRange(), diag::err_schema_dup_level) << L;
        return false;
      }
    Col.Levels = Levels;
    return true;
  }
  // num(lo, hi) / int(lo, hi)
  Col.Elem = Kind == "num" ? ElemType::Num : ElemType::Int;
  const Arg *Lo = nullptr, *Hi = nullptr;
  size_t Pos = 0;
  for (const Arg *XP : ArgPtrs) {
    const Arg &X = *XP;
    if (X.Name) {
      if (*X.Name == "lo")
        Lo = &X;
      else if (*X.Name == "hi")
        Hi = &X;
      else {
        D.report(X.Range, diag::err_unused_argument) << *X.Name << Kind;
        return false;
      }
      continue;
    }
    if (Pos == 0 && !Lo)
      Lo = &X;
    else if (!Hi)
      Hi = &X;
    else {
      D.report(X.Range, diag::err_too_many_args) << Kind << 2LL;
      return false;
    }
    ++Pos;
  }
  if (!Lo || !Hi || !Lo->Value || !Hi->Value) {
    D.report(Call->getRange(), diag::err_schema_range_missing) << Kind;
    D.report(Call->getBeginLoc(), diag::note_schema_range);
    return false;
  }
  auto LoV = Sema::constNumber(*Lo->Value), HiV = Sema::constNumber(*Hi->Value);
  if (!LoV || !HiV) {
    D.report(!LoV ? Lo->Value->getRange() : Hi->Value->getRange(),
             diag::err_schema_range_constant)
        << Kind;
    return false;
  }
  if (!std::isfinite(*LoV) || !std::isfinite(*HiV)) {
    D.report(!std::isfinite(*LoV) ? Lo->Value->getRange()
                                  : Hi->Value->getRange(),
             diag::err_schema_range_finite);
    D.report(Call->getBeginLoc(), diag::note_schema_range);
    return false;
  }
  if (Kind == "int" &&
      (*LoV != std::floor(*LoV) || *HiV != std::floor(*HiV))) {
    D.report(Call->getRange(), diag::err_schema_int_bound);
    return false;
  }
  if (!(*LoV < *HiV)) {
    auto Str = [](double V) {
      char Buf[32];
      std::snprintf(Buf, sizeof Buf, "%g", V);
      return std::string(Buf);
    };
    D.report(Call->getRange(), diag::err_schema_range_order)
        << Str(*LoV) << Str(*HiV);
    return false;
  }
  Col.HasRange = true;
  Col.Lo = *LoV;
  Col.Hi = *HiV;
  return true;
}

} // namespace

Type sstat::checkInputTableRule(Sema &S, CallSite &C) {
  DiagnosticEngine &D = S.diags();
  if (S.InputTarget != &C.Call || S.PendingInputName.empty()) {
    D.report(C.Call.getRange(), diag::err_input_not_top_level);
    return Type::error();
  }
  InputDecl Decl;
  Decl.Range = C.Call.getRange();
  bool Ok = true;

  ArgInfo &Parties = C.arg("parties");
  if (!Parties.present()) {
    D.report(C.Call.getRange(), diag::err_schema_parties);
    Ok = false;
  } else if (auto Names = Sema::constStrings(*Parties.E);
             Names && !Names->empty()) {
    std::set<std::string> Seen;
    for (const std::string &N : *Names) {
      S.addParty(N, Parties.Range);
      if (Seen.insert(N).second)
        Decl.Parties.push_back(N);
    }
  } else {
    D.report(Parties.Range, diag::err_schema_parties);
    Ok = false;
  }

  ArgInfo &Columns = C.arg("columns");
  auto *List = Columns.present() ? dyn_cast<CallExpr>(Columns.E) : nullptr;
  if (!List || List->getCalleeName() != "list" || List->getArgs().empty()) {
    D.report(Columns.present() ? Columns.Range : C.Call.getRange(),
             diag::err_schema_columns);
    Ok = false;
  } else {
    std::set<std::string> Names;
    for (const Arg &A : List->getArgs()) {
      if (!A.Name || A.Name->empty()) {
        D.report(A.Range, diag::err_schema_unnamed);
        Ok = false;
        continue;
      }
      Column Col;
      Col.Name = *A.Name;
      if (!Names.insert(Col.Name).second) {
        D.report(A.NameRange, diag::err_schema_dup_column) << Col.Name;
        Ok = false;
        continue;
      }
      if (!checkColumnType(S, A, Col)) {
        Ok = false;
        continue;
      }
      Decl.Columns.push_back(Col);
    }
  }

  ArgInfo &Key = C.arg("key");
  if (Key.present()) {
    auto K = Sema::constStrings(*Key.E);
    if (!K || K->size() != 1 || (*K)[0].empty()) {
      D.report(Key.Range, diag::err_schema_key);
      Ok = false;
    } else {
      Decl.Key = (*K)[0];
      for (const Column &Col : Decl.Columns)
        if (Col.Name == Decl.Key) {
          D.report(Key.Range, diag::err_schema_key_clash) << Decl.Key;
          Ok = false;
        }
    }
  }
  if (!Ok)
    return Type::error();

  Type T;
  T.K = Type::Table;
  T.Sec = Security::Secret;
  if (!Decl.Key.empty()) {
    Column K;
    K.Name = Decl.Key;
    K.Elem = ElemType::Key;
    T.Columns.push_back(K);
  }
  T.Columns.insert(T.Columns.end(), Decl.Columns.begin(), Decl.Columns.end());
  Decl.Name = S.PendingInputName;
  S.result().Inputs.push_back(std::move(Decl));
  return T;
}
