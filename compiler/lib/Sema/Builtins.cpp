//===- Builtins.cpp - Type and security rules of the builtin functions ----===//
//
// One small rule per function (or family of functions) named in
// Builtins.def. A rule receives the call with its arguments already matched
// to the signature and checked, and returns the result type; it enforces
// what must be public (sizes, counts, what is printed) and records
// disclosures (reveal, publish).
//
//===----------------------------------------------------------------------===//

#include "SemaInternal.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/Twine.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

using namespace sstat;
using namespace llvm;

namespace sstat {
Type checkInputTableRule(Sema &S, CallSite &C);
}

namespace {

/// T with every part public (after reveal()).
Type deepPublic(const Type &T) {
  Type R = T;
  R.Sec = Security::Public;
  R.D0.Secret = R.D1.Secret = false;
  for (auto &F : R.Fields)
    F.second = std::make_shared<Type>(deepPublic(*F.second));
  return R;
}

Type model(StringRef Class, std::vector<std::pair<std::string, Type>> Fields) {
  Type T;
  T.K = Type::Model;
  T.ClassName = Class.str();
  for (auto &F : Fields)
    T.Fields.push_back({F.first, std::make_shared<Type>(std::move(F.second))});
  return T;
}

Type secretNum() { return Type::scalar(ElemType::Num, Security::Secret); }
Type publicInt() { return Type::scalar(ElemType::Int); }

bool isNumericVector(const Type &T) { return T.isNumeric() && T.Rank <= 1; }

/// Reports that \p A should be a numeric vector.
bool needNumericVector(Sema &S, const ArgInfo &A, StringRef Fn) {
  if (A.T.isError())
    return false;
  if (A.T.isValue() && A.T.Elem == ElemType::Factor) {
    S.diags().report(A.Range, diag::err_factor_arith) << (Fn + "()").str();
    S.diags().report(A.Range.Start, diag::note_factor_arith);
    return false;
  }
  if (!isNumericVector(A.T)) {
    S.diags().report(A.Range, diag::err_expected_type)
        << (Fn + "()").str() << "a numeric vector" << A.T.str();
    return false;
  }
  return true;
}

/// Checks that a public count is not a negative constant (R: "invalid
/// 'times' argument").
bool checkCount(Sema &S, const ArgInfo &A, llvm::StringRef What) {
  if (A.present() && A.T.HasConst && A.T.ConstVal < 0) {
    S.diags().report(A.Range, diag::err_negative_size) << What;
    return false;
  }
  return true;
}

Dim lengthFromCount(const Type &T) {
  if (T.HasConst && T.ConstVal >= 0 && T.ConstVal < 9.0e15)
    return Dim::known(int64_t(T.ConstVal));
  if (!T.SymValue.empty())
    return Dim::symbolic(T.SymValue);
  return Dim::unknown();
}

Type lengthValue(const Dim &D) {
  Type T = publicInt();
  if (D.Secret)
    T.Sec = Security::Secret;
  else if (D.isKnown()) {
    T.HasConst = true;
    T.ConstVal = double(D.N);
  } else if (D.K == Dim::Symbolic) {
    T.SymValue = D.Sym;
  }
  return T;
}

} // namespace

// ---- inputs, outputs, declassification

static Type ruleSchemaOnly(Sema &S, CallSite &C) {
  S.diags().report(C.Call.getRange(), diag::err_schema_outside) << C.name();
  return Type::error();
}

static Type ruleReveal(Sema &S, CallSite &C) {
  ArgInfo &X = C.arg("x");
  if (X.T.K == Type::Function) {
    S.diags().report(X.Range, diag::err_function_value);
    return Type::error();
  }
  if (!(X.T).containsSecret()) {
    S.diags().report(C.Call.getRange(), diag::warn_reveal_public) << "reveal";
    return X.T;
  }
  S.addDisclosure(Disclosure::Reveal, C, X, {});
  return deepPublic(X.T);
}

static Type rulePublish(Sema &S, CallSite &C) {
  ArgInfo &X = C.arg("x");
  ArgInfo &To = C.arg("to");
  if (!To.present() || To.T.K == Type::Null) {
    S.diags().report(C.Call.getRange(), diag::err_publish_to);
    return Type::error();
  }
  auto Names = Sema::constStrings(*To.E);
  if (!Names || Names->empty()) {
    S.diags().report(To.Range, diag::err_party_name);
    return Type::error();
  }
  for (const std::string &N : *Names)
    S.addParty(N, To.Range);
  if (X.T.K == Type::Function) {
    S.diags().report(X.Range, diag::err_function_value);
    return Type::error();
  }
  if (!(X.T).containsSecret())
    S.diags().report(C.Call.getRange(), diag::warn_publish_public);
  else
    S.addDisclosure(Disclosure::Publish, C, X, *Names);
  return Type::null();
}

static Type rulePrint(Sema &S, CallSite &C) {
  auto CheckOne = [&](const ArgInfo &A) {
    if (A.present() && (A.T).containsSecret()) {
      S.diags().report(A.Range, diag::err_secret_output) << C.name();
      S.diags().report(A.Range.Start, diag::note_secret_output);
      S.explainSecret(*A.E);
      return false;
    }
    return true;
  };
  bool Ok = true;
  for (const ArgInfo &A : C.Args)
    Ok &= CheckOne(A);
  for (const ArgInfo &A : C.Dots)
    Ok &= CheckOne(A);
  return Ok ? Type::null() : Type::error();
}

static Type rulePaste(Sema &S, CallSite &C) {
  std::vector<const ArgInfo *> All;
  for (const ArgInfo &A : C.Dots)
    All.push_back(&A);
  for (const ArgInfo &A : C.Args)
    if (A.present())
      All.push_back(&A);
  for (const ArgInfo *P : All)
    if (const ArgInfo &A = *P; (A.T).containsSecret()) {
      S.diags().report(A.Range, diag::err_secret_string) << C.name();
      S.diags().report(A.Range.Start, diag::note_secret_output);
      return Type::error();
    }
  return Type::scalar(ElemType::String);
}

// ---- construction and shape

static Type ruleConcat(Sema &S, CallSite &C) {
  Type Out = Type::null();
  int64_t Len = 0;
  bool LenKnown = true, LenSecret = false;
  for (const ArgInfo &A : C.Dots) {
    const Type &T = A.T;
    if (T.K == Type::Null)
      continue;
    LenSecret |= T.D0.Secret;
    if (T.K != Type::Value || T.Rank > 1) {
      S.diags().report(A.Range, diag::err_expected_type)
          << "c()"
          << "scalars or vectors" << T.str();
      return Type::error();
    }
    if (T.Rank == 0)
      ++Len;
    else if (T.D0.isKnown())
      Len += T.D0.N;
    else
      LenKnown = false;
    if (Out.K == Type::Null) {
      Out = T;
      continue;
    }
    bool OutNum = Out.isNumeric(), TNum = T.isNumeric();
    if (Out.Elem != T.Elem) {
      if (!OutNum || !TNum) {
        S.diags().report(A.Range, diag::err_expected_type)
            << "c()"
            << "values of one kind (" + elemTypeName(Out.Elem).str() + ")"
            << T.str();
        return Type::error();
      }
      Out.Elem = arithmeticJoin(Out.Elem, T.Elem);
    } else if (T.Elem == ElemType::Factor && T.Levels != Out.Levels) {
      S.diags().report(A.Range, diag::err_expected_type)
          << "c()"
          << "factors with the same levels" << T.str();
      return Type::error();
    }
    Out.Sec = join(Out.Sec, T.Sec);
    Out.HasRange = Out.HasRange && T.HasRange;
    Out.Lo = std::min(Out.Lo, T.Lo);
    Out.Hi = std::max(Out.Hi, T.Hi);
  }
  if (Out.K == Type::Null)
    return Out;
  Out.Rank = 1;
  Out.D0 = LenKnown ? Dim::known(Len) : Dim::unknown();
  Out.D0.Secret = LenSecret;
  Out.HasConst = false;
  Out.SymValue.clear();
  return Out;
}

static Type ruleList(Sema &S, CallSite &C) {
  Type T;
  T.K = Type::List;
  for (const ArgInfo &A : C.Dots) {
    if (A.T.K == Type::Function) {
      S.diags().report(A.Range, diag::err_function_value);
      return Type::error();
    }
    T.Fields.push_back({A.Name, std::make_shared<Type>(A.T)});
  }
  return T;
}

static Type ruleRep(Sema &S, CallSite &C) {
  ArgInfo &X = C.arg("x");
  for (const char *P : {"times", "each", "length.out"}) {
    ArgInfo &A = C.arg(P);
    std::string What = ("the '" + Twine(P) + "' argument of rep()").str();
    if (A.present() &&
        (!S.requirePublicSize(A.T, *A.E, What) || !checkCount(S, A, What)))
      return Type::error();
  }
  if (!X.T.isValue() || X.T.Rank > 1) {
    S.diags().report(X.Range, diag::err_expected_type)
        << "rep()"
        << "a scalar or a vector" << X.T.str();
    return Type::error();
  }
  Type T = X.T;
  T.Rank = 1;
  T.HasConst = false;
  T.SymValue.clear();
  ArgInfo &Times = C.arg("times");
  ArgInfo &LenOut = C.arg("length.out");
  if (LenOut.present())
    T.D0 = lengthFromCount(LenOut.T);
  else if (X.T.Rank == 0 && Times.present())
    T.D0 = lengthFromCount(Times.T);
  else if (X.T.Rank == 0 && !Times.present() && !C.arg("each").present())
    T.D0 = Dim::known(1);
  else
    T.D0 = Dim::unknown();
  T.D0.Secret = X.T.D0.Secret;
  return T;
}

static Type ruleSeqLen(Sema &S, CallSite &C) {
  ArgInfo &N = C.arg("length.out");
  if (!S.requirePublicSize(N.T, *N.E, "the length given to seq_len()") ||
      !S.expectNumeric(N.T, *N.E, "seq_len()") ||
      !checkCount(S, N, "the length given to seq_len()"))
    return Type::error();
  return Type::vector(ElemType::Int, lengthFromCount(N.T));
}

static Type ruleSeq(Sema &S, CallSite &C) {
  for (const char *P : {"from", "to", "by", "length.out"}) {
    ArgInfo &A = C.arg(P);
    if (A.present() &&
        (!S.requirePublicSize(
             A.T, *A.E, ("the '" + Twine(P) + "' argument of seq()").str()) ||
         !S.expectNumeric(A.T, *A.E, "seq()")))
      return Type::error();
  }
  Type T = Type::vector(ElemType::Num, Dim::unknown());
  ArgInfo &From = C.arg("from"), &To = C.arg("to"), &By = C.arg("by");
  if (C.arg("length.out").present())
    T.D0 = lengthFromCount(C.arg("length.out").T);
  else if (From.T.HasConst && To.T.HasConst &&
           (!By.present() || (By.T.HasConst && By.T.ConstVal != 0))) {
    double B = By.present() ? By.T.ConstVal : 1;
    double N = std::floor((To.T.ConstVal - From.T.ConstVal) / B + 1e-10);
    if (N >= 0 && N < 9.0e15)
      T.D0 = Dim::known(int64_t(N) + 1);
  }
  return T;
}

static Type ruleZeros(Sema &S, CallSite &C) {
  ArgInfo &N = C.arg("length");
  if (N.present() &&
      (!S.requirePublicSize(N.T, *N.E,
                            ("the length given to " + C.name() + "()").str()) ||
       !S.expectNumeric(N.T, *N.E, (C.name() + "()").str()) ||
       !checkCount(S, N, ("the length given to " + C.name() + "()").str())))
    return Type::error();
  ElemType E = C.name() == "numeric"   ? ElemType::Num
               : C.name() == "integer" ? ElemType::Int
                                       : ElemType::Bool;
  return Type::vector(E, N.present() ? lengthFromCount(N.T) : Dim::known(0));
}

static Type ruleMatrix(Sema &S, CallSite &C) {
  for (const char *P : {"nrow", "ncol"}) {
    ArgInfo &A = C.arg(P);
    std::string What = ("the '" + Twine(P) + "' argument of matrix()").str();
    if (A.present() &&
        (!S.requirePublicSize(A.T, *A.E, What) ||
         !S.expectNumeric(A.T, *A.E, "matrix()") || !checkCount(S, A, What)))
      return Type::error();
  }
  ArgInfo &D = C.arg("data");
  Type Data = D.present() ? D.T : Type::scalar(ElemType::Bool);
  if (!Data.isValue()) {
    S.diags().report(D.Range, diag::err_expected_type)
        << "matrix()"
        << "a scalar or a vector" << Data.str();
    return Type::error();
  }
  ArgInfo &NR = C.arg("nrow"), &NC = C.arg("ncol");
  Dim R = NR.present() ? lengthFromCount(NR.T) : Dim::unknown();
  Dim Co = NC.present() ? lengthFromCount(NC.T) : Dim::unknown();
  if (!NR.present() && !NC.present())
    Co = Dim::known(1), R = Data.Rank == 1 ? Data.D0 : Dim::known(1);
  Type T = Type::matrix(Data.Elem, R, Co, Data.Sec);
  T.Levels = Data.Levels;
  return T;
}

static Type ruleLength(Sema &S, CallSite &C) {
  const Type &X = C.arg("x").T;
  if (X.K == Type::Table)
    return lengthValue(Dim::known(int64_t(X.Columns.size())));
  if (X.K == Type::List || X.K == Type::Model)
    return lengthValue(Dim::known(int64_t(X.Fields.size())));
  if (X.K == Type::Null)
    return lengthValue(Dim::known(0));
  if (X.K != Type::Value) {
    S.diags().report(C.arg("x").Range, diag::err_expected_type)
        << "length()"
        << "a vector" << X.str();
    return Type::error();
  }
  if (X.Rank == 0)
    return lengthValue(Dim::known(1));
  if (X.Rank == 1)
    return lengthValue(X.D0);
  Type T = lengthValue(Dim::unknown());
  if (X.D0.isKnown() && X.D1.isKnown())
    T = lengthValue(Dim::known(X.D0.N * X.D1.N));
  return T;
}

static Type ruleNrow(Sema &S, CallSite &C) {
  const Type &X = C.arg("x").T;
  if (X.K == Type::Table || (X.K == Type::Value && X.Rank == 2))
    return lengthValue(X.D0);
  S.diags().report(C.arg("x").Range, diag::err_expected_type)
      << "nrow()"
      << "a table or a matrix" << X.str();
  return Type::error();
}

static Type ruleNcol(Sema &S, CallSite &C) {
  const Type &X = C.arg("x").T;
  if (X.K == Type::Table)
    return lengthValue(Dim::known(int64_t(X.Columns.size())));
  if (X.K == Type::Value && X.Rank == 2)
    return lengthValue(X.D1);
  S.diags().report(C.arg("x").Range, diag::err_expected_type)
      << "ncol()"
      << "a table or a matrix" << X.str();
  return Type::error();
}

/// A numeric table as a matrix (for t(), var(), cor() ...), or an error.
static std::optional<Type> asNumericMatrix(Sema &S, const ArgInfo &A,
                                           StringRef Fn) {
  const Type &X = A.T;
  if (X.K == Type::Value && X.Rank == 2 && X.isNumeric())
    return X;
  if (X.K == Type::Table) {
    for (const Column &Col : X.Columns)
      if (Col.Elem == ElemType::Factor || Col.Elem == ElemType::Key ||
          Col.Elem == ElemType::String) {
        S.diags().report(A.Range, diag::err_expected_type)
            << (Fn + "()").str() << "numeric columns"
            << "column '" + Col.Name + "' of type " +
                   elemTypeName(Col.Elem).str();
        return std::nullopt;
      }
    return Type::matrix(ElemType::Num, X.D0,
                        Dim::known(int64_t(X.Columns.size())), X.Sec);
  }
  S.diags().report(A.Range, diag::err_expected_type)
      << (Fn + "()").str() << "a numeric matrix or table" << X.str();
  return std::nullopt;
}

static Type ruleTranspose(Sema &S, CallSite &C) {
  ArgInfo &A = C.arg("x");
  if (A.T.isNumeric() && A.T.Rank <= 1)
    return Type::matrix(A.T.Elem, Dim::known(1),
                        A.T.Rank == 1 ? A.T.D0 : Dim::known(1), A.T.Sec);
  auto M = asNumericMatrix(S, A, "t");
  if (!M)
    return Type::error();
  return Type::matrix(M->Elem, M->D1, M->D0, M->Sec);
}

static Type ruleBind(Sema &S, CallSite &C) {
  Security Sec = Security::Public;
  ElemType E = ElemType::Bool;
  Dim Len = Dim::known(1);
  bool HaveVector = false;
  int64_t Count = 0;
  for (const ArgInfo &A : C.Dots) {
    if (!needNumericVector(S, A, C.name()))
      return Type::error();
    Sec = join(Sec, A.T.Sec);
    E = E == ElemType::Bool && A.T.Elem == ElemType::Bool
            ? ElemType::Bool
            : arithmeticJoin(E, A.T.Elem);
    ++Count;
    if (A.T.Rank == 0)
      continue; // a scalar is repeated along the vectors, as in R
    bool Differs = A.T.D0.differsFrom(Len) ||
                   (A.T.D0.K == Dim::Symbolic && Len.K == Dim::Symbolic &&
                    A.T.D0.Sym != Len.Sym);
    if (HaveVector && Differs) {
      S.diags().report(A.Range, diag::err_length_mismatch)
          << Len.str() << A.T.D0.str();
      return Type::error();
    }
    if (!HaveVector || !Len.isKnown())
      Len = A.T.D0;
    HaveVector = true;
  }
  if (C.name() == "cbind")
    return Type::matrix(E, Len, Dim::known(Count), Sec);
  return Type::matrix(E, Dim::known(Count), Len, Sec);
}

static Type ruleDiag(Sema &S, CallSite &C) {
  ArgInfo &A = C.arg("x");
  if (!A.T.isNumeric()) {
    S.diags().report(A.Range, diag::err_expected_type)
        << "diag()"
        << "a numeric vector or matrix" << A.T.str();
    return Type::error();
  }
  if (A.T.Rank == 2)
    return Type::vector(A.T.Elem, A.T.D0, A.T.Sec);
  if (A.T.Rank == 0) {
    // diag(n): the n x n identity; n is a size.
    if (!S.requirePublicSize(A.T, *A.E, "the size given to diag()") ||
        !checkCount(S, A, "the size given to diag()"))
      return Type::error();
    Dim N = lengthFromCount(A.T);
    return Type::matrix(ElemType::Num, N, N);
  }
  return Type::matrix(A.T.Elem, A.T.D0, A.T.D0, A.T.Sec);
}

static Type ruleNames(Sema &S, CallSite &C) {
  const Type &X = C.arg("x").T;
  if (C.name() == "levels") {
    if (X.K == Type::Value && X.Elem == ElemType::Factor)
      return Type::vector(ElemType::String,
                          Dim::known(int64_t(X.Levels.size())));
    S.diags().report(C.arg("x").Range, diag::err_expected_type)
        << "levels()"
        << "a factor" << X.str();
    return Type::error();
  }
  if (X.K == Type::Table)
    return Type::vector(ElemType::String,
                        Dim::known(int64_t(X.Columns.size())));
  if (X.K == Type::List || X.K == Type::Model)
    return Type::vector(ElemType::String, Dim::known(int64_t(X.Fields.size())));
  S.diags().report(C.arg("x").Range, diag::err_expected_type)
      << (C.name() + "()").str() << "a table or a list" << X.str();
  return Type::error();
}

static Type ruleNlevels(Sema &S, CallSite &C) {
  const Type &X = C.arg("x").T;
  if (X.K == Type::Value && X.Elem == ElemType::Factor)
    return lengthValue(Dim::known(int64_t(X.Levels.size())));
  S.diags().report(C.arg("x").Range, diag::err_expected_type)
      << "nlevels()"
      << "a factor" << X.str();
  return Type::error();
}

static Type ruleAsNumeric(Sema &S, CallSite &C) {
  ArgInfo &A = C.arg("x");
  if (!S.expectNumeric(A.T, *A.E, "as.numeric()"))
    return Type::error();
  Type T = A.T;
  T.Elem = ElemType::Num;
  return T;
}

static Type ruleAsInteger(Sema &S, CallSite &C) {
  ArgInfo &A = C.arg("x");
  if (!S.expectNumeric(A.T, *A.E, "as.integer()"))
    return Type::error();
  Type T = A.T;
  T.Elem = ElemType::Int;
  if (T.HasConst)
    T.ConstVal = std::trunc(T.ConstVal);
  return T;
}

static Type ruleIsNA(Sema &S, CallSite &C) {
  ArgInfo &A = C.arg("x");
  if (!A.T.isValue()) {
    S.diags().report(A.Range, diag::err_expected_type)
        << "is.na()"
        << "a vector" << A.T.str();
    return Type::error();
  }
  Type T = A.T;
  T.Elem = ElemType::Bool;
  T.Levels.clear();
  T.HasConst = false;
  T.HasRange = false;
  T.MayBeNA = false;
  return T;
}

// ---- elementwise math

static Type ruleMath(Sema &S, CallSite &C) {
  ArgInfo &A = C.arg("x");
  if (!S.expectNumeric(A.T, *A.E, (C.name() + "()").str()))
    return Type::error();
  for (const char *P : {"digits", "base"}) {
    ArgInfo &D = C.arg(P);
    if (D.present() &&
        !S.requirePublicSize(
            D.T, *D.E,
            ("the '" + Twine(P) + "' argument of " + C.name() + "()").str()))
      return Type::error();
  }
  Type T = A.T;
  T.Elem = ElemType::Num;
  T.HasConst = false;
  T.SymValue.clear();
  T.HasRange = false;
  return T;
}

static Type ruleCumsum(Sema &S, CallSite &C) {
  ArgInfo &A = C.arg("x");
  if (!needNumericVector(S, A, "cumsum"))
    return Type::error();
  Type T = A.T;
  if (T.Elem == ElemType::Bool)
    T.Elem = ElemType::Int;
  T.HasConst = false;
  T.SymValue.clear();
  T.HasRange = false;
  return T;
}

static Type ruleIfelse(Sema &S, CallSite &C) {
  ArgInfo &Test = C.arg("test"), &Yes = C.arg("yes"), &No = C.arg("no");
  if (!S.expectNumeric(Test.T, *Test.E, "the test of ifelse()"))
    return Type::error();
  for (ArgInfo *A : {&Yes, &No}) {
    if (!A->T.isValue()) {
      S.diags().report(A->Range, diag::err_expected_type)
          << "ifelse()"
          << "a scalar or a vector" << A->T.str();
      return Type::error();
    }
    // As in R, the result has the shape of the test; an alternative is a
    // scalar or has that shape (no recycling, no truncation).
    if (A->T.Rank != 0 &&
        (A->T.Rank != Test.T.Rank || A->T.D0.differsFrom(Test.T.D0) ||
         A->T.D1.differsFrom(Test.T.D1))) {
      S.diags().report(A->Range, diag::err_length_mismatch)
          << A->T.shapeStr() << "the test's " + Test.T.shapeStr();
      S.diags().report(A->Range.Start, diag::note_no_recycling);
      return Type::error();
    }
  }
  bool Numeric = Yes.T.isNumeric() && No.T.isNumeric();
  if (!Numeric && (Yes.T.Elem != No.T.Elem || Yes.T.Levels != No.T.Levels)) {
    S.diags().report(C.Call.getRange(), diag::err_ifelse_mismatch)
        << Yes.T.str() << No.T.str();
    return Type::error();
  }
  Type T = Test.T;
  T.Elem = Numeric
               ? (Yes.T.Elem == ElemType::Bool && No.T.Elem == ElemType::Bool
                      ? ElemType::Bool
                      : arithmeticJoin(Yes.T.Elem, No.T.Elem))
               : Yes.T.Elem;
  T.Levels = Yes.T.Levels;
  T.Sec = join(Test.T.Sec, join(Yes.T.Sec, No.T.Sec));
  T.HasConst = false;
  T.SymValue.clear();
  T.HasRange = Yes.T.HasRange && No.T.HasRange;
  T.Lo = std::min(Yes.T.Lo, No.T.Lo);
  T.Hi = std::max(Yes.T.Hi, No.T.Hi);
  T.MayBeNA = Yes.T.MayBeNA || No.T.MayBeNA;
  if (T.Elem == ElemType::String && T.isSecret()) {
    S.diags().report(Test.Range, diag::err_secret_string) << "ifelse";
    S.diags().report(Test.Range.Start, diag::note_secret_output);
    return Type::error();
  }
  return T;
}

static Type ruleWhich(Sema &S, CallSite &C) {
  ArgInfo &A = C.arg("x");
  if (!S.requirePublicSize(A.T, *A.E, "the argument of which()"))
    return Type::error();
  return Type::vector(ElemType::Int, Dim::unknown());
}

// ---- linear algebra

static Type ruleSolve(Sema &S, CallSite &C) {
  ArgInfo &A = C.arg("a"), &B = C.arg("b");
  if (!A.T.isNumeric() || A.T.Rank != 2) {
    S.diags().report(A.Range, diag::err_expected_type)
        << "solve()"
        << "a square numeric matrix" << A.T.str();
    return Type::error();
  }
  if (A.T.D0.differsFrom(A.T.D1)) {
    S.diags().report(A.Range, diag::err_expected_type)
        << "solve()"
        << "a square matrix" << A.T.shapeStr();
    return Type::error();
  }
  if (!B.present())
    return Type::matrix(ElemType::Num, A.T.D0, A.T.D1, A.T.Sec);
  if (!B.T.isNumeric()) {
    S.diags().report(B.Range, diag::err_expected_type)
        << "solve()"
        << "a numeric vector or matrix" << B.T.str();
    return Type::error();
  }
  if (B.T.D0.differsFrom(A.T.D0)) {
    S.diags().report(B.Range, diag::err_nonconformable)
        << "solve" << A.T.shapeStr() << B.T.shapeStr();
    return Type::error();
  }
  Type T = B.T;
  T.Elem = ElemType::Num;
  T.Sec = join(A.T.Sec, B.T.Sec);
  T.D0 = A.T.D1;
  return T;
}

static Type ruleCrossprod(Sema &S, CallSite &C) {
  ArgInfo &X = C.arg("x"), &Y = C.arg("y");
  auto Cols = [&](const ArgInfo &A) -> std::optional<Type> {
    if (A.T.isNumeric() && A.T.Rank == 1)
      return Type::matrix(A.T.Elem, A.T.D0, Dim::known(1), A.T.Sec);
    return asNumericMatrix(S, A, "crossprod");
  };
  auto MX = Cols(X);
  if (!MX)
    return Type::error();
  auto MY = Y.present() ? Cols(Y) : MX;
  if (!MY)
    return Type::error();
  if (MX->D0.differsFrom(MY->D0)) {
    S.diags().report(C.Call.getRange(), diag::err_nonconformable)
        << "crossprod" << MX->shapeStr() << MY->shapeStr();
    return Type::error();
  }
  return Type::matrix(arithmeticJoin(MX->Elem, MY->Elem), MX->D1, MY->D1,
                      join(MX->Sec, MY->Sec));
}

// ---- descriptive statistics

/// Statistics of a column declared with na = TRUE need na.rm = TRUE (or,
/// for cov/cor, use = "complete.obs"): R would return NA, which would tell
/// every recipient that some owner has a missing value.
static bool checkNA(Sema &S, CallSite &C, const ArgInfo &X) {
  if (!X.present() || !X.T.MayBeNA)
    return true;
  bool IsCov = C.name() == "cov" || C.name() == "cor";
  if (IsCov) {
    ArgInfo &Use = C.arg("use");
    if (Use.present())
      if (auto U = Sema::constStrings(*Use.E);
          U && U->size() == 1 &&
          ((*U)[0] == "complete.obs" || (*U)[0] == "pairwise.complete.obs"))
        return true;
  } else {
    ArgInfo &NaRm = C.arg("na.rm");
    if (NaRm.present() && NaRm.T.HasConst && NaRm.T.ConstVal != 0)
      return true;
  }
  S.diags().report(X.Range, diag::err_may_be_na)
      << (X.E ? "'" + printSource(*X.E) + "'" : std::string("the argument"));
  S.diags().report(X.Range.Start, diag::note_na_rm)
      << (IsCov ? "use = \"complete.obs\"" : "na.rm = TRUE");
  return false;
}

static Type ruleSum(Sema &S, CallSite &C) {
  Security Sec = Security::Public;
  ElemType E = ElemType::Int;
  for (const ArgInfo &A : C.Dots) {
    if (!S.expectNumeric(A.T, *A.E, "sum()") || !checkNA(S, C, A))
      return Type::error();
    Sec = join(Sec, A.T.Sec);
    if (A.T.Elem == ElemType::Num)
      E = ElemType::Num;
  }
  return Type::scalar(E, Sec);
}

static Type ruleMean(Sema &S, CallSite &C) {
  ArgInfo &X = C.arg("x");
  if (X.T.K == Type::Table) {
    S.diags().report(X.Range, diag::err_expected_type)
        << (C.name() + "()").str() << "a numeric vector"
        << "a table (use colMeans(), or " + C.name().str() + "(t$column))";
    return Type::error();
  }
  if (!S.expectNumeric(X.T, *X.E, (C.name() + "()").str()) || !checkNA(S, C, X))
    return Type::error();
  return Type::scalar(ElemType::Num, X.T.Sec);
}

static Type ruleVarCov(Sema &S, CallSite &C) {
  ArgInfo &X = C.arg("x"), &Y = C.arg("y");
  std::string Fn = (C.name() + "()").str();
  if (Y.present()) {
    if (!needNumericVector(S, X, C.name()) ||
        !needNumericVector(S, Y, C.name()) || !checkNA(S, C, X) ||
        !checkNA(S, C, Y))
      return Type::error();
    if (X.T.Rank == 1 && Y.T.Rank == 1 && X.T.D0.differsFrom(Y.T.D0)) {
      S.diags().report(C.Call.getRange(), diag::err_length_mismatch)
          << X.T.shapeStr() << Y.T.shapeStr();
      return Type::error();
    }
    Type R = Type::scalar(ElemType::Num, join(X.T.Sec, Y.T.Sec));
    return R;
  }
  if (X.T.isValue() && X.T.Rank <= 1) {
    if (C.name() != "var") {
      S.diags().report(C.Call.getRange(), diag::err_expected_type)
          << Fn << "both x and y, or a matrix or table" << X.T.str();
      return Type::error();
    }
    if (!needNumericVector(S, X, C.name()) || !checkNA(S, C, X))
      return Type::error();
    return Type::scalar(ElemType::Num, X.T.Sec);
  }
  if (X.T.K == Type::Table)
    for (const Column &Col : X.T.Columns)
      if (Col.MayBeNA) {
        ArgInfo Fake = X;
        Fake.T.MayBeNA = true;
        if (!checkNA(S, C, Fake))
          return Type::error();
        break;
      }
  auto M = asNumericMatrix(S, X, C.name());
  if (!M)
    return Type::error();
  return Type::matrix(ElemType::Num, M->D1, M->D1, M->Sec);
}

static Type ruleMinMax(Sema &S, CallSite &C) {
  Security Sec = Security::Public;
  ElemType E = ElemType::Int;
  for (const ArgInfo &A : C.Dots) {
    if (!S.expectNumeric(A.T, *A.E, (C.name() + "()").str()) ||
        !checkNA(S, C, A))
      return Type::error();
    Sec = join(Sec, A.T.Sec);
    if (A.T.Elem == ElemType::Num)
      E = ElemType::Num;
  }
  return Type::scalar(E, Sec);
}

static Type ruleColStat(Sema &S, CallSite &C) {
  auto M = asNumericMatrix(S, C.arg("x"), C.name());
  if (!M)
    return Type::error();
  return Type::vector(ElemType::Num, M->D1, M->Sec);
}

static Type ruleTable(Sema &S, CallSite &C) {
  ArgInfo &MinCell = C.arg("min_cell");
  if (MinCell.present()) {
    if (!S.requirePublicSize(MinCell.T, *MinCell.E, "min_cell"))
      return Type::error();
    if (!MinCell.T.HasConst || MinCell.T.ConstVal < 0) {
      S.diags().report(MinCell.Range, diag::err_expected_type)
          << "min_cell"
          << "a non-negative constant" << MinCell.T.str();
      return Type::error();
    }
  }
  if (C.Dots.empty() || C.Dots.size() > 2) {
    S.diags().report(C.Call.getRange(), diag::err_expected_type)
        << "table()"
        << "one or two factor or logical vectors"
        << std::to_string(C.Dots.size()) + " arguments";
    return Type::error();
  }
  std::vector<Dim> Counts;
  Security Sec = Security::Public;
  Dim Len;
  for (size_t I = 0; I < C.Dots.size(); ++I) {
    const ArgInfo &A = C.Dots[I];
    if (!A.T.isValue() || A.T.Rank != 1 ||
        (A.T.Elem != ElemType::Factor && A.T.Elem != ElemType::Bool)) {
      S.diags().report(A.Range, diag::err_expected_type)
          << "table()"
          << "a factor or logical vector" << A.T.str();
      return Type::error();
    }
    if (I == 1 && A.T.D0.differsFrom(Len)) {
      S.diags().report(A.Range, diag::err_length_mismatch)
          << Len.str() << A.T.D0.str();
      return Type::error();
    }
    Len = A.T.D0;
    Counts.push_back(Dim::known(
        A.T.Elem == ElemType::Bool ? 2 : int64_t(A.T.Levels.size())));
    Sec = join(Sec, A.T.Sec);
  }
  if (Counts.size() == 1)
    return Type::vector(ElemType::Int, Counts[0], Sec);
  return Type::matrix(ElemType::Int, Counts[0], Counts[1], Sec);
}

static Type ruleTapply(Sema &S, CallSite &C) {
  ArgInfo &X = C.arg("X"), &G = C.arg("INDEX"), &F = C.arg("FUN");
  if (!needNumericVector(S, X, "tapply"))
    return Type::error();
  if (ArgInfo &NaRm = C.arg("na.rm");
      NaRm.present() &&
      !S.requirePublicSize(NaRm.T, *NaRm.E, "the 'na.rm' argument of tapply()"))
    return Type::error();
  if (!G.T.isValue() || G.T.Elem != ElemType::Factor || G.T.Rank != 1) {
    S.diags().report(G.Range, diag::err_expected_type)
        << "the INDEX of tapply()"
        << "a factor vector" << G.T.str();
    return Type::error();
  }
  if (X.T.D0.differsFrom(G.T.D0)) {
    S.diags().report(C.Call.getRange(), diag::err_length_mismatch)
        << X.T.shapeStr() << G.T.shapeStr();
    return Type::error();
  }
  std::string Fn =
      F.T.K == Type::Function && F.T.Builtin >= 0 ? F.T.FnName : "";
  if (Fn != "mean" && Fn != "sum" && Fn != "var" && Fn != "sd" &&
      Fn != "length") {
    S.diags().report(F.Range, diag::err_expected_type)
        << "the FUN of tapply()"
        << "one of mean, sum, var, sd, length"
        << (F.E ? printSource(*F.E) : std::string("?"));
    return Type::error();
  }
  ElemType E = Fn == "length" ? ElemType::Int
               : Fn == "sum"
                   ? (X.T.Elem == ElemType::Num ? ElemType::Num : ElemType::Int)
                   : ElemType::Num;
  return Type::vector(E, Dim::known(int64_t(G.T.Levels.size())),
                      join(X.T.Sec, G.T.Sec));
}

// ---- models

/// Counts the columns of R's model matrix for a formula. Terms are sets of
/// variables (`a`, `a:b`; `a*b` is `a + b + a:b`; `.` is every other
/// column; `- a` removes a term; `0`/`- 1` removes the intercept). A
/// numeric or logical variable gives one column. A factor with k levels in
/// term T gives k - 1 columns (contrasts) when T without it is also in the
/// model (the empty term being the intercept), and k columns (dummies)
/// otherwise -- R's marginality rule for model.matrix().
std::optional<int64_t> Sema::checkFormula(const Expr &F, const Type *Data,
                                          bool &Intercept) {
  const auto *Tilde = dyn_cast<BinaryExpr>(&F);
  if (!Tilde || Tilde->getOp() != BinaryOp::Tilde) {
    Diags.report(F.getRange(), diag::err_formula_expected);
    return std::nullopt;
  }
  Intercept = true;
  std::map<std::string, Type> Vars; // every variable named, with its type
  std::vector<std::string> Order;   // the variables by first appearance
  auto VarType = [&](const IdentExpr &Id) -> bool {
    if (Vars.count(Id.getName()))
      return true;
    Order.push_back(Id.getName());
    if (Data) {
      if (const Column *C = Data->findColumn(Id.getName())) {
        Vars[Id.getName()] = columnType(*Data, *C);
        return true;
      }
      Diags.report(Id.getRange(), diag::err_formula_var) << Id.getName();
      std::vector<std::string> Names;
      for (const Column &C : Data->Columns)
        Names.push_back(C.Name);
      Diags.report(Id.getBeginLoc(), diag::note_columns_are)
          << llvm::join(Names, ", ");
      return false;
    }
    Type T = check(Id);
    if (T.isError())
      return false;
    Vars[Id.getName()] = T;
    return true;
  };

  const Expr *Resp = Tilde->getLHS();
  auto *RespId = dyn_cast<IdentExpr>(Resp);
  if (!RespId) {
    Diags.report(Resp->getRange(), diag::err_formula_term);
    return std::nullopt;
  }
  if (!VarType(*RespId))
    return std::nullopt;
  const Type &RT = Vars[RespId->getName()];
  if (!RT.isNumeric() &&
      !(RT.isValue() && RT.Elem == ElemType::Factor && RT.Levels.size() == 2)) {
    Diags.report(Resp->getRange(), diag::err_expected_type)
        << "the response of a model"
        << "a numeric or logical variable" << RT.str();
    return std::nullopt;
  }
  const std::string Response = RespId->getName();

  using Term = std::set<std::string>;
  std::vector<Term> Terms; // in order, without duplicates
  std::map<Term, SMRange> Where;
  bool Ok = true;
  auto Add = [&](const Term &T, SMRange R, bool Remove) {
    auto It = std::find(Terms.begin(), Terms.end(), T);
    if (Remove) {
      if (It != Terms.end())
        Terms.erase(It);
      return;
    }
    if (It == Terms.end()) {
      Terms.push_back(T);
      Where[T] = R;
    }
  };
  // The terms an expression stands for (a:b, a*b, a, .).
  std::function<std::vector<Term>(const Expr &)> TermsOf =
      [&](const Expr &X) -> std::vector<Term> {
    if (auto *Id = dyn_cast<IdentExpr>(&X)) {
      if (Id->getName() == ".") {
        if (!Data) {
          Diags.report(X.getRange(), diag::err_formula_term);
          Ok = false;
          return {};
        }
        std::vector<Term> Out;
        for (const Column &C : Data->Columns)
          if (C.Name != Response && C.Elem != ElemType::Key) {
            if (!Vars.count(C.Name))
              Order.push_back(C.Name);
            Vars[C.Name] = columnType(*Data, C);
            Out.push_back({C.Name});
          }
        return Out;
      }
      if (!VarType(*Id)) {
        Ok = false;
        return {};
      }
      return {{Id->getName()}};
    }
    if (auto *B = dyn_cast<BinaryExpr>(&X)) {
      if (B->getOp() == BinaryOp::Range || B->getOp() == BinaryOp::Mul) {
        std::vector<Term> L = TermsOf(*B->getLHS()), R = TermsOf(*B->getRHS());
        std::vector<Term> Out;
        if (B->getOp() == BinaryOp::Mul) { // a*b = a + b + a:b
          Out.insert(Out.end(), L.begin(), L.end());
          Out.insert(Out.end(), R.begin(), R.end());
        }
        for (const Term &TL : L)
          for (const Term &TR : R) {
            Term U = TL;
            U.insert(TR.begin(), TR.end());
            Out.push_back(U);
          }
        return Out;
      }
    }
    Diags.report(X.getRange(), diag::err_formula_term);
    Ok = false;
    return {};
  };
  std::function<void(const Expr &, bool)> Walk = [&](const Expr &X,
                                                     bool Negated) {
    if (auto *B = dyn_cast<BinaryExpr>(&X)) {
      if (B->getOp() == BinaryOp::Add || B->getOp() == BinaryOp::Sub) {
        Walk(*B->getLHS(), Negated);
        Walk(*B->getRHS(), B->getOp() == BinaryOp::Sub ? !Negated : Negated);
        return;
      }
    }
    if (auto *U = dyn_cast<UnaryExpr>(&X))
      if (U->getOp() == UnaryOp::Neg) {
        Walk(*U->getOperand(), !Negated);
        return;
      }
    if (auto *N = dyn_cast<NumberExpr>(&X)) {
      if (N->getValue() == 0 || N->getValue() == 1) {
        Intercept = N->getValue() == 1 ? !Negated : Negated;
        return;
      }
    }
    for (const Term &T : TermsOf(X))
      Add(T, X.getRange(), Negated);
  };
  Walk(*Tilde->getRHS(), false);
  if (!Ok)
    return std::nullopt;

  // The design the lowering builds: terms by degree (as R's terms()), each
  // term's variables in order of first appearance.
  ModelDesign Design;
  Design.Response = Response;
  Design.Intercept = Intercept;
  for (const Term &T : Terms) {
    std::vector<std::string> Vs(T.begin(), T.end());
    std::sort(Vs.begin(), Vs.end(),
              [&](const std::string &A, const std::string &B) {
                return std::find(Order.begin(), Order.end(), A) <
                       std::find(Order.begin(), Order.end(), B);
              });
    Design.Terms.push_back(std::move(Vs));
  }
  std::stable_sort(
      Design.Terms.begin(), Design.Terms.end(),
      [](const auto &A, const auto &B) { return A.size() < B.size(); });
  Result.Designs[&F] = std::move(Design);

  auto InModel = [&](const Term &T) {
    if (T.empty())
      return Intercept;
    return std::find(Terms.begin(), Terms.end(), T) != Terms.end();
  };
  int64_t P = Intercept ? 1 : 0;
  for (const Term &T : Terms) {
    int64_t Cols = 1;
    for (const std::string &V : T) {
      const Type &VT = Vars[V];
      if (VT.isValue() && VT.Elem == ElemType::Factor) {
        Term Without = T;
        Without.erase(V);
        int64_t K = int64_t(VT.Levels.size());
        Cols *= InModel(Without) ? K - 1 : K;
      } else if (!VT.isNumeric() || VT.Rank > 1) {
        Diags.report(Where[T], diag::err_expected_type)
            << "a model term"
            << "a numeric, logical or factor variable" << VT.str();
        return std::nullopt;
      }
    }
    P += Cols;
  }
  return P;
}

static std::optional<std::pair<int64_t, Dim>> modelShape(Sema &S, CallSite &C) {
  ArgInfo &F = C.arg("formula"), &D = C.arg("data");
  const Type *Data = nullptr;
  if (D.present()) {
    if (D.T.K != Type::Table) {
      S.diags().report(D.Range, diag::err_expected_type)
          << (C.name() + "()").str() << "a table as data" << D.T.str();
      return std::nullopt;
    }
    Data = &D.T;
  }
  if (F.T.K != Type::Formula) {
    S.diags().report(F.Range, diag::err_formula_expected);
    return std::nullopt;
  }
  bool Intercept = true;
  auto P = S.checkFormula(*F.E, Data, Intercept);
  if (!P)
    return std::nullopt;
  return std::make_pair(*P, Data ? Data->D0 : Dim::unknown());
}

static Type ruleLm(Sema &S, CallSite &C) {
  auto Shape = modelShape(S, C);
  if (!Shape)
    return Type::error();
  auto [P, N] = *Shape;
  Dim PD = Dim::known(P);
  // Degrees of freedom are n - p: as secret as the number of rows.
  Type Df = publicInt();
  Df.Sec = N.Secret ? Security::Secret : Security::Public;
  return model(
      "lm",
      {{"coefficients", Type::vector(ElemType::Num, PD, Security::Secret)},
       {"residuals", Type::vector(ElemType::Num, N, Security::Secret)},
       {"fitted.values", Type::vector(ElemType::Num, N, Security::Secret)},
       {"rank", lengthValue(PD)},
       {"df.residual", Df}});
}

static Type ruleGlm(Sema &S, CallSite &C) {
  ArgInfo &Fam = C.arg("family");
  if (Fam.present()) {
    StringRef Name = Fam.T.K == Type::Function && Fam.T.Builtin >= 0
                         ? StringRef(Fam.T.FnName)
                     : Fam.T.K == Type::List && Fam.T.ClassName == "family"
                         ? StringRef(Fam.T.FnName)
                         : StringRef();
    if (Name != "binomial" && Name != "gaussian") {
      S.diags().report(Fam.Range, diag::err_expected_type)
          << "glm()"
          << "family = binomial or family = gaussian" << printSource(*Fam.E);
      return Type::error();
    }
  }
  auto Shape = modelShape(S, C);
  if (!Shape)
    return Type::error();
  auto [P, N] = *Shape;
  Dim PD = Dim::known(P);
  Type Df = publicInt();
  Df.Sec = N.Secret ? Security::Secret : Security::Public;
  return model(
      "glm",
      {{"coefficients", Type::vector(ElemType::Num, PD, Security::Secret)},
       {"fitted.values", Type::vector(ElemType::Num, N, Security::Secret)},
       {"deviance", secretNum()},
       {"null.deviance", secretNum()},
       {"aic", secretNum()},
       {"iter", publicInt()},
       {"converged", Type::scalar(ElemType::Bool, Security::Secret)},
       {"df.residual", Df},
       {"df.null", Df}});
}

static Type ruleFamily(Sema &, CallSite &C) {
  Type T;
  T.K = Type::List;
  T.ClassName = "family";
  T.FnName = C.name().str();
  return T;
}

static int64_t coefCount(const Type &M) {
  if (TypePtr Co = M.findField("coefficients"))
    if (Co->D0.isKnown())
      return Co->D0.N;
  return -1;
}

static bool needModel(Sema &S, const ArgInfo &A, StringRef Fn,
                      bool AllowSummary) {
  const Type &M = A.T;
  bool Ok = M.K == Type::Model &&
            (M.ClassName == "lm" || M.ClassName == "glm" ||
             (AllowSummary &&
              (M.ClassName == "summary.lm" || M.ClassName == "summary.glm")));
  if (!Ok)
    S.diags().report(A.Range, diag::err_expected_type)
        << (Fn + "()").str() << "a model fitted by lm() or glm()" << M.str();
  return Ok;
}

static Type ruleSummary(Sema &S, CallSite &C) {
  ArgInfo &A = C.arg("object");
  if (A.T.K != Type::Model) {
    S.diags().report(A.Range, diag::err_unsupported)
        << "summary() of " + A.T.str();
    return Type::error();
  }
  if (!needModel(S, A, "summary", false))
    return Type::error();
  Dim PD = Dim::known(coefCount(A.T));
  Type Coefs = Type::matrix(ElemType::Num, PD, Dim::known(4), Security::Secret);
  TypePtr Df = A.T.findField("df.residual");
  Security DfSec = Df ? Df->Sec : Security::Public;
  Type DfInt = publicInt();
  DfInt.Sec = DfSec;
  if (A.T.ClassName == "lm")
    return model("summary.lm",
                 {{"coefficients", Coefs},
                  {"sigma", secretNum()},
                  {"r.squared", secretNum()},
                  {"adj.r.squared", secretNum()},
                  {"fstatistic", Type::vector(ElemType::Num, Dim::known(3),
                                              Security::Secret)},
                  {"df", Type::vector(ElemType::Int, Dim::known(3), DfSec)}});
  return model("summary.glm", {{"coefficients", Coefs},
                               {"deviance", secretNum()},
                               {"null.deviance", secretNum()},
                               {"aic", secretNum()},
                               {"df.residual", DfInt},
                               {"df.null", DfInt}});
}

static Type ruleCoef(Sema &S, CallSite &C) {
  ArgInfo &A = C.arg("object");
  if (!needModel(S, A, "coef", true))
    return Type::error();
  return *A.T.findField("coefficients");
}

static Type ruleVcov(Sema &S, CallSite &C) {
  ArgInfo &A = C.arg("object");
  if (!needModel(S, A, "vcov", false))
    return Type::error();
  Dim PD = Dim::known(coefCount(A.T));
  return Type::matrix(ElemType::Num, PD, PD, Security::Secret);
}

static Type ruleConfint(Sema &S, CallSite &C) {
  ArgInfo &A = C.arg("object"), &L = C.arg("level");
  if (!needModel(S, A, "confint", false))
    return Type::error();
  if (L.present() && !S.requirePublicSize(L.T, *L.E, "the confidence level"))
    return Type::error();
  return Type::matrix(ElemType::Num, Dim::known(coefCount(A.T)), Dim::known(2),
                      Security::Secret);
}

static Type htest(Security Sec, int64_t Estimates) {
  return model(
      "htest",
      {{"statistic", Type::scalar(ElemType::Num, Sec)},
       {"parameter", Type::scalar(ElemType::Num, Sec)},
       {"p.value", Type::scalar(ElemType::Num, Sec)},
       {"conf.int", Type::vector(ElemType::Num, Dim::known(2), Sec)},
       {"estimate", Type::vector(ElemType::Num, Dim::known(Estimates), Sec)}});
}

static Type ruleTTest(Sema &S, CallSite &C) {
  ArgInfo &X = C.arg("x"), &Y = C.arg("y"), &D = C.arg("data");
  if (X.T.K == Type::Formula) {
    // t.test(y ~ g, data): g a logical or a two-level factor.
    if (!D.present() || D.T.K != Type::Table) {
      S.diags().report(X.Range, diag::err_expected_type)
          << "t.test() with a formula"
          << "a table as data" << D.T.str();
      return Type::error();
    }
    bool Intercept = true;
    auto P = S.checkFormula(*X.E, &D.T, Intercept);
    if (!P)
      return Type::error();
    const ModelDesign &Dsg = S.result().Designs[X.E];
    const Column *G = Dsg.Terms.size() == 1 && Dsg.Terms[0].size() == 1
                          ? D.T.findColumn(Dsg.Terms[0][0])
                          : nullptr;
    ArgInfo &Sub = C.arg("subset");
    if (G && Sub.present()) {
      // Two values of g: subset = g %in% c(a, b).
      auto *In = dyn_cast<BinaryExpr>(Sub.E);
      auto *Lhs = In ? dyn_cast<IdentExpr>(In->getLHS()) : nullptr;
      auto *Rhs = In ? dyn_cast<CallExpr>(In->getRHS()) : nullptr;
      bool Ok = In && In->getOp() == BinaryOp::In && Lhs &&
                Lhs->getName() == G->Name && Rhs &&
                Rhs->getCalleeName() == "c" && Rhs->getArgs().size() == 2;
      for (size_t K = 0; Ok && K < 2; ++K) {
        const Expr *V = Rhs->getArgs()[K].Value.get();
        auto *Str = V ? dyn_cast<StringExpr>(V) : nullptr;
        Ok = G->Elem == ElemType::Factor
                 ? Str && std::find(G->Levels.begin(), G->Levels.end(),
                                    Str->getValue()) != G->Levels.end()
                 : V && Sema::constNumber(*V).has_value();
      }
      if (!Ok) {
        S.diags().report(Sub.Range, diag::err_expected_type)
            << "the subset of t.test()"
            << ("'" + G->Name + " %in% c(a, b)' with two of its values")
            << printSource(*Sub.E);
        return Type::error();
      }
      return htest(Security::Secret, 2);
    }
    if (!G || !(G->Elem == ElemType::Bool ||
                (G->Elem == ElemType::Factor && G->Levels.size() == 2))) {
      S.diags().report(X.Range, diag::err_expected_type)
          << "t.test() with a formula"
          << "y ~ g, g logical or a factor "
          << "with two levels" << printSource(*X.E);
      return Type::error();
    }
    return htest(Security::Secret, 2);
  }
  if (!needNumericVector(S, X, "t.test"))
    return Type::error();
  if (Y.present() && !needNumericVector(S, Y, "t.test"))
    return Type::error();
  for (const char *P : {"var.equal", "mu"}) {
    ArgInfo &A = C.arg(P);
    if (A.present() &&
        !S.requirePublicSize(
            A.T, *A.E, ("the '" + Twine(P) + "' argument of t.test()").str()))
      return Type::error();
  }
  Security Sec = join(X.T.Sec, Y.present() ? Y.T.Sec : Security::Public);
  return htest(Sec, Y.present() ? 2 : 1);
}

static Type ruleChisq(Sema &S, CallSite &C) {
  ArgInfo &X = C.arg("x");
  if (!X.T.isNumeric() || X.T.Rank == 0) {
    S.diags().report(X.Range, diag::err_expected_type)
        << "chisq.test()"
        << "a table of counts" << X.T.str();
    return Type::error();
  }
  ArgInfo &Corr = C.arg("correct");
  if (Corr.present() &&
      !S.requirePublicSize(Corr.T, *Corr.E, "the 'correct' argument"))
    return Type::error();
  return model("htest", {{"statistic", Type::scalar(ElemType::Num, X.T.Sec)},
                         {"parameter", Type::scalar(ElemType::Num)},
                         {"p.value", Type::scalar(ElemType::Num, X.T.Sec)}});
}

static Type ruleMerge(Sema &S, CallSite &C) {
  ArgInfo &X = C.arg("x"), &Y = C.arg("y"), &By = C.arg("by");
  for (ArgInfo *A : {&X, &Y})
    if (A->T.K != Type::Table) {
      S.diags().report(A->Range, diag::err_expected_type)
          << "merge()"
          << "two tables" << A->T.str();
      return Type::error();
    }
  auto Key = Sema::constStrings(*By.E);
  if (!Key || Key->size() != 1) {
    S.diags().report(By.Range, diag::err_schema_key);
    return Type::error();
  }
  for (ArgInfo *A : {&X, &Y}) {
    const Column *K = A->T.findColumn((*Key)[0]);
    if (!K || K->Elem != ElemType::Key) {
      S.diags().report(By.Range, diag::err_not_a_key)
          << (*Key)[0]
          << "'" + (A->E ? printSource(*A->E) : std::string("?")) + "'";
      const Column *Actual = nullptr;
      for (const Column &Col : A->T.Columns)
        if (Col.Elem == ElemType::Key)
          Actual = &Col;
      if (Actual)
        S.diags().report(A->Range.Start, diag::note_key_is) << Actual->Name;
      else
        S.diags().report(A->Range.Start, diag::note_no_key) << (*Key)[0];
      return Type::error();
    }
  }
  Type T;
  T.K = Type::Table;
  T.Sec = Security::Secret;
  T.Columns = X.T.Columns;
  for (const Column &Col : Y.T.Columns) {
    if (Col.Name == (*Key)[0])
      continue;
    if (X.T.findColumn(Col.Name)) {
      S.diags().report(C.Call.getRange(), diag::err_schema_dup_column)
          << Col.Name;
      return Type::error();
    }
    T.Columns.push_back(Col);
  }
  // The number of matched rows stays secret: an oblivious join.
  T.D0 = Dim::unknown();
  T.D0.Secret = true;
  return T;
}

//===----------------------------------------------------------------------===//
// The table
//===----------------------------------------------------------------------===//

static std::vector<ParamSpec> parseSignature(StringRef Sig) {
  std::vector<ParamSpec> Out;
  SmallVector<StringRef, 8> Parts;
  Sig.split(Parts, ',', -1, false);
  for (StringRef P : Parts) {
    P = P.trim();
    if (P.empty())
      continue;
    ParamSpec S;
    if (P == "...") {
      S.Name = "...";
      S.IsDots = true;
    } else {
      auto [Name, Default] = P.split('=');
      S.Name = Name.trim().str();
      S.HasDefault = P.contains('=');
    }
    Out.push_back(S);
  }
  return Out;
}

const std::vector<BuiltinInfo> &sstat::builtinTable() {
  static const std::vector<BuiltinInfo> Table = [] {
    std::vector<BuiltinInfo> T = {
#define BUILTIN(Name, Sig, Rule, Doc) {Name, Sig, Rule, {}},
#include "sstat/Builtins.def"
#undef BUILTIN
    };
    for (BuiltinInfo &B : T)
      B.Params = parseSignature(B.Signature);
    return T;
  }();
  return Table;
}

const BuiltinInfo *sstat::findBuiltin(StringRef Name) {
  for (const BuiltinInfo &B : builtinTable())
    if (Name == B.Name)
      return &B;
  return nullptr;
}

std::vector<std::string> sstat::builtinNames() {
  std::vector<std::string> Out;
  for (const BuiltinInfo &B : builtinTable())
    Out.push_back(B.Name);
  return Out;
}
