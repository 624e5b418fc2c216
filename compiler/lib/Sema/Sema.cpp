//===- Sema.cpp - Checking expressions, statements and information flow ---===//
//
// A single forward walk over the AST with a flow-sensitive environment:
// each variable's Type (and so its label) is the one of its latest
// assignment. Branches are checked on copies of the environment that are
// then joined; loop bodies are checked repeatedly until the joined
// environment stops changing, so a variable that turns secret in one
// iteration is secret at the top of the next (this is what stops implicit
// flows: every condition, bound and index is checked against the labels it
// can have on any iteration). User functions are checked at each call with
// the argument types of that call, so a helper works on public and secret
// data alike; recursion is rejected.
//
//===----------------------------------------------------------------------===//

#include "SemaInternal.h"

#include "llvm/ADT/StringExtras.h"

#include <cstdio>

#include <algorithm>
#include <cmath>
#include <functional>

using namespace sstat;
using namespace llvm;

Sema::Sema(DiagnosticEngine &Diags, CheckResult &Result)
    : Diags(Diags), Result(Result) {}

Sema::~Sema() = default;

bool Sema::atTopLevel() const {
  return FnStack.empty() && LoopDepth == 0 && Cur == &Globals;
}

VarInfo *Frame::find(const std::string &Name) {
  for (auto L = Layers.rbegin(); L != Layers.rend(); ++L) {
    auto It = L->find(Name);
    if (It != L->end())
      return &It->second;
  }
  auto It = Vars.find(Name);
  return It == Vars.end() ? nullptr : &It->second;
}

VarInfo *Sema::lookup(const std::string &Name) {
  for (Frame *F = Cur; F; F = F->Parent)
    if (VarInfo *V = F->find(Name))
      return V;
  return nullptr;
}

void Sema::suggest(const std::string &Name, SMLoc Loc) {
  // One- and two-letter names are too short for a useful suggestion.
  if (Name.size() <= 2)
    return;
  std::string Best;
  unsigned BestDist = Name.size() <= 4 ? 1 : 2;
  auto Try = [&](StringRef Cand) {
    unsigned D = StringRef(Name).edit_distance(Cand, true, BestDist);
    if (D <= BestDist && (Best.empty() || D < BestDist || Cand < Best)) {
      if (D < BestDist || Best.empty() || Cand < Best)
        Best = Cand.str();
      BestDist = D;
    }
  };
  for (Frame *F = Cur; F; F = F->Parent) {
    for (const auto &KV : F->Vars)
      Try(KV.first);
    for (const VarMap &L : F->Layers)
      for (const auto &KV : L)
        Try(KV.first);
  }
  for (const BuiltinInfo &B : builtinTable())
    Try(B.Name);
  if (!Best.empty())
    Diags.report(Loc, diag::note_did_you_mean) << Best;
}

void Sema::addParty(const std::string &Name, SMRange R) {
  bool Ok = !Name.empty();
  for (char C : Name)
    if (!(isAlnum(C) || C == '_' || C == '-' || C == '.'))
      Ok = false;
  if (!Ok) {
    Diags.report(R, diag::err_party_name_syntax) << Name;
    return;
  }
  for (const std::string &P : Result.Parties)
    if (P == Name)
      return;
  Result.Parties.push_back(Name);
}

std::optional<std::vector<std::string>> Sema::constStrings(const Expr &E) {
  if (auto *S = dyn_cast<StringExpr>(&E))
    return std::vector<std::string>{S->getValue()};
  if (auto *C = dyn_cast<CallExpr>(&E)) {
    if (C->getCalleeName() != "c")
      return std::nullopt;
    std::vector<std::string> Out;
    for (const Arg &A : C->getArgs()) {
      if (!A.Value || A.Name)
        return std::nullopt;
      auto *S = dyn_cast<StringExpr>(A.Value.get());
      if (!S)
        return std::nullopt;
      Out.push_back(S->getValue());
    }
    return Out;
  }
  return std::nullopt;
}

std::optional<double> Sema::constNumber(const Expr &E) {
  if (auto *N = dyn_cast<NumberExpr>(&E))
    return N->getValue();
  if (auto *U = dyn_cast<UnaryExpr>(&E)) {
    if (U->getOp() == UnaryOp::Neg || U->getOp() == UnaryOp::Plus)
      if (auto V = constNumber(*U->getOperand()))
        return U->getOp() == UnaryOp::Neg ? -*V : *V;
  }
  if (auto *C = dyn_cast<ConstExpr>(&E))
    if (C->getWhich() == ConstExpr::Inf)
      return HUGE_VAL;
  return std::nullopt;
}

void Sema::explainSecret(const Expr &E) {
  // Find the variables E reads that are secret, and say where each became
  // secret (first one only: enough to act on, short enough to read).
  std::function<bool(const Expr &)> Visit = [&](const Expr &X) -> bool {
    switch (X.getKind()) {
    case Expr::IdentKind: {
      const std::string &N = cast<IdentExpr>(X).getName();
      VarInfo *V = lookup(N);
      if (!V || !V->T.containsSecret())
        return false;
      if (V->IsInput) {
        if (V->SecretSince.isValid())
          Diags.report(V->SecretSince, diag::note_secret_input) << N;
        return true;
      }
      if (V->SecretSince.isValid())
        Diags.report(V->SecretSince, V->LoopCarried ? diag::note_secret_loop
                                                    : diag::note_secret_because)
            << N;
      return true;
    }
    case Expr::UnaryKind:
      return Visit(*cast<UnaryExpr>(X).getOperand());
    case Expr::BinaryKind:
      return Visit(*cast<BinaryExpr>(X).getLHS()) ||
             Visit(*cast<BinaryExpr>(X).getRHS());
    case Expr::CallKind:
      for (const Arg &A : cast<CallExpr>(X).getArgs())
        if (A.Value && Visit(*A.Value))
          return true;
      return false;
    case Expr::IndexKind:
      if (Visit(*cast<IndexExpr>(X).getBase()))
        return true;
      for (const Arg &A : cast<IndexExpr>(X).getArgs())
        if (A.Value && Visit(*A.Value))
          return true;
      return false;
    case Expr::DollarKind:
      return Visit(*cast<DollarExpr>(X).getBase());
    default:
      return false;
    }
  };
  Visit(E);
}

bool Sema::requirePublicSize(const Type &T, const Expr &E, StringRef What) {
  if (T.isError() || !T.isSecret())
    return true;
  Diags.report(E.getRange(), diag::err_secret_size) << What;
  Diags.report(E.getBeginLoc(), diag::note_secret_size);
  explainSecret(E);
  return false;
}

bool Sema::expectNumeric(const Type &T, const Expr &E, StringRef Context) {
  if (T.isError())
    return false;
  if (T.isValue() && T.Elem == ElemType::Factor) {
    Diags.report(E.getRange(), diag::err_factor_arith) << Context;
    Diags.report(E.getBeginLoc(), diag::note_factor_arith);
    return false;
  }
  if (!T.isNumeric()) {
    Diags.report(E.getRange(), diag::err_expected_type)
        << Context << "a numeric value" << T.str();
    return false;
  }
  return true;
}

void Sema::addDisclosure(Disclosure::Kind K, const CallSite &C,
                         const ArgInfo &X,
                         std::vector<std::string> Recipients) {
  Disclosure D;
  D.K = K;
  D.Range = C.Call.getRange();
  D.ExprText = X.E ? printSource(*X.E) : "?";
  D.Shape = X.T.shapeStr();
  D.TypeText = X.T.str();
  D.Recipients = std::move(Recipients);
  if (StringRef(D.ExprText).startswith("vcov("))
    D.Opened = "(X'X)^-1, the residual sum of squares and the number of rows "
               "used";
  else if (X.T.ClassName == "summary.lm")
    D.Opened = "the coefficients, the diagonal of (X'X)^-1, the residual and "
               "total sums of squares and the number of rows used";
  else if (X.T.ClassName == "htest" &&
           StringRef(D.ExprText).startswith("chisq.test("))
    D.Opened = "the statistic and the degrees of freedom";
  else if (X.T.ClassName == "htest" &&
           StringRef(D.ExprText).startswith("t.test("))
    D.Opened = "the sample means, the squared standard error, the degrees "
               "of freedom and mu";
  else if (X.T.ClassName == "htest")
    D.Opened = "t.test: the sample means, the squared standard error, the "
               "degrees of freedom and mu; chisq.test: the statistic and "
               "the degrees of freedom";
  for (const Disclosure &Old : Result.Disclosures)
    if (Old.Range.Start == D.Range.Start && Old.Shape == D.Shape)
      return; // the same point, seen again in a loop or another call
  Result.Disclosures.push_back(std::move(D));
}

//===----------------------------------------------------------------------===//
// Environment
//===----------------------------------------------------------------------===//

void Sema::assignTo(const std::string &Name, Type T, SMRange Def,
                    bool IsInput) {
  VarMap &Top = Cur->top();
  auto It = Top.find(Name);
  if (It == Top.end()) {
    // First assignment on this path: start from what the name held before.
    VarInfo *Outer = Cur->find(Name);
    It = Top.emplace(Name, Outer ? *Outer : VarInfo()).first;
  }
  VarInfo &V = It->second;
  if (!V.FirstDef.isValid())
    V.FirstDef = Def.Start;
  bool WasSecret = V.T.isSecret() && V.SecretSince.isValid();
  SMRange OldSince = V.SecretSince;
  bool OldCarried = V.LoopCarried;
  V.T = std::move(T);
  V.Def = Def;
  V.IsInput = IsInput;
  if (V.T.isSecret()) {
    V.SecretSince = WasSecret && !IsInput ? OldSince : Def;
    V.LoopCarried = WasSecret && OldCarried;
  } else {
    V.SecretSince = SMRange();
    V.LoopCarried = false;
  }
}

bool Sema::joinPaths(const VarMap &A, const VarMap &B, SMRange Where,
                     bool ForLoop) {
  bool Changed = false;
  auto JoinOne = [&](const std::string &Name) {
    VarInfo *Outer = Cur->find(Name);
    auto IA = A.find(Name), IB = B.find(Name);
    const VarInfo *VA = IA != A.end() ? &IA->second : Outer;
    const VarInfo *VB = IB != B.end() ? &IB->second : Outer;
    VarInfo Result;
    if (!VA || !VB) {
      // Assigned on one path only and undefined before: as in R, it exists
      // afterwards only if that path ran; keep what that path gave it.
      Result = VA ? *VA : *VB;
    } else {
      bool Compatible = true;
      Result = *VA;
      Result.T = joinTypes(VA->T, VB->T, Compatible);
      if (!Compatible) {
        // For a loop, A is the state after the body and B the state before.
        if (ForLoop)
          Diags.report(Where, diag::err_loop_mismatch)
              << Name << VB->T.str() << VA->T.str();
        else
          Diags.report(Where, diag::err_branch_mismatch)
              << Name << VA->T.str() << VB->T.str();
        Result.T = Type::error();
      } else if (Result.T.isSecret() && !VA->T.isSecret()) {
        Result.SecretSince = VB->SecretSince;
        Result.IsInput = VB->IsInput;
        Result.LoopCarried = VB->LoopCarried;
      }
    }
    if (ForLoop && Result.T.isSecret() && !(Outer && Outer->T.isSecret()))
      Result.LoopCarried = true;
    if (!Outer || Outer->T.str() != Result.T.str() ||
        Outer->LoopCarried != Result.LoopCarried)
      Changed = true;
    Cur->top()[Name] = std::move(Result);
  };
  for (const auto &KV : A)
    JoinOne(KV.first);
  for (const auto &KV : B)
    if (!A.count(KV.first))
      JoinOne(KV.first);
  return Changed;
}

void Sema::loopFixpoint(SMRange Loop, const std::function<void()> &Body) {
  ++LoopDepth;
  // The lattice (label, element type, known/unknown lengths) is finite and
  // each round only goes up, so this converges; a chain of k copies needs
  // k + 1 rounds. Should it not converge in MaxRounds, fall back to the
  // sound answer: everything the body assigns is secret, with unknown sizes.
  const unsigned MaxRounds = 64;
  bool Converged = false;
  for (unsigned Round = 0; Round < MaxRounds && !Converged; ++Round) {
    Cur->Layers.emplace_back();
    Body();
    VarMap Iter = std::move(Cur->Layers.back());
    Cur->Layers.pop_back();
    // The body may run zero times: join with the state before it.
    Converged = !joinPaths(Iter, VarMap(), Loop, /*ForLoop=*/true);
    if (!Converged && Round + 1 == MaxRounds) {
      for (const auto &KV : Iter) {
        VarInfo V = *Cur->find(KV.first);
        V.T.Sec = Security::Secret;
        V.T.D0 = Dim::unknown();
        V.T.D1 = Dim::unknown();
        V.T.HasConst = false;
        V.T.SymValue.clear();
        V.LoopCarried = true;
        if (!V.SecretSince.isValid())
          V.SecretSince = KV.second.Def;
        Cur->top()[KV.first] = V;
      }
      // One more round reports what the pessimistic state implies.
      Cur->Layers.emplace_back();
      Body();
      Cur->Layers.pop_back();
    }
  }
  --LoopDepth;
}

//===----------------------------------------------------------------------===//
// Expressions
//===----------------------------------------------------------------------===//

Type Sema::check(const Expr &E) {
  switch (E.getKind()) {
  case Expr::NumberKind: {
    const auto &N = cast<NumberExpr>(E);
    Type T = Type::scalar(N.isInteger() ? ElemType::Int : ElemType::Num);
    T.HasConst = true;
    T.ConstVal = N.getValue();
    T.HasRange = true;
    T.Lo = T.Hi = N.getValue();
    return T;
  }
  case Expr::StringKind:
    return Type::scalar(ElemType::String);
  case Expr::ConstKind:
    switch (cast<ConstExpr>(E).getWhich()) {
    case ConstExpr::True:
    case ConstExpr::False: {
      Type T = Type::scalar(ElemType::Bool);
      T.HasConst = true;
      T.ConstVal = cast<ConstExpr>(E).getWhich() == ConstExpr::True;
      return T;
    }
    case ConstExpr::NA: {
      Type T = Type::scalar(ElemType::Bool);
      T.MayBeNA = true;
      return T;
    }
    case ConstExpr::Null:
      return Type::null();
    case ConstExpr::Inf: {
      Type T = Type::scalar(ElemType::Num);
      T.HasConst = true;
      T.ConstVal = HUGE_VAL;
      return T;
    }
    case ConstExpr::NaN:
      return Type::scalar(ElemType::Num);
    }
    return Type::error();
  case Expr::IdentKind:
    return checkIdent(cast<IdentExpr>(E));
  case Expr::UnaryKind:
    return checkUnary(cast<UnaryExpr>(E));
  case Expr::BinaryKind:
    return checkBinary(cast<BinaryExpr>(E));
  case Expr::AssignKind:
    return checkAssign(cast<AssignExpr>(E));
  case Expr::CallKind:
    return checkCall(cast<CallExpr>(E));
  case Expr::IndexKind:
    return checkIndex(cast<IndexExpr>(E));
  case Expr::DollarKind:
    return checkDollar(cast<DollarExpr>(E));
  case Expr::FunctionKind: {
    Type T;
    T.K = Type::Function;
    T.Fn = &cast<FunctionExpr>(E);
    T.Closure = Cur;
    return T;
  }
  case Expr::BlockKind:
    return checkBlock(cast<BlockExpr>(E));
  case Expr::IfKind:
    return checkIf(cast<IfExpr>(E));
  case Expr::ForKind:
    return checkFor(cast<ForExpr>(E));
  case Expr::WhileKind:
    return checkWhile(cast<WhileExpr>(E));
  case Expr::RepeatKind:
    return checkRepeat(cast<RepeatExpr>(E));
  case Expr::BreakKind:
  case Expr::NextKind:
    if (LoopDepth == 0 ||
        (!FnStack.empty() && LoopDepth == FnStack.back().LoopDepthAtEntry))
      Diags.report(E.getRange(), diag::err_break_outside_loop)
          << (isa<BreakExpr>(E) ? "break" : "next");
    return Type::null();
  case Expr::ErrorKind:
    return Type::error();
  }
  return Type::error();
}

Type Sema::checkIdent(const IdentExpr &E) {
  if (VarInfo *V = lookup(E.getName()))
    return V->T;
  if (const BuiltinInfo *B = findBuiltin(E.getName())) {
    Type T;
    T.K = Type::Function;
    T.Builtin = int(B - builtinTable().data());
    T.FnName = B->Name;
    return T;
  }
  Diags.report(E.getRange(), diag::err_undefined) << E.getName();
  suggest(E.getName(), E.getBeginLoc());
  return Type::error();
}

Type Sema::checkUnary(const UnaryExpr &E) {
  if (E.getOp() == UnaryOp::Tilde) {
    // A one-sided formula: its names are not evaluated.
    Type T;
    T.K = Type::Formula;
    return T;
  }
  Type X = check(*E.getOperand());
  if (X.isError())
    return X;
  switch (E.getOp()) {
  case UnaryOp::Tilde: {
    Type T;
    T.K = Type::Formula;
    return T;
  }
  case UnaryOp::Not:
    if (!expectNumeric(X, *E.getOperand(), "'!'"))
      return Type::error();
    X.Elem = ElemType::Bool;
    if (X.HasConst)
      X.ConstVal = X.ConstVal == 0;
    X.HasRange = false;
    return X;
  case UnaryOp::Neg:
  case UnaryOp::Plus:
    if (!expectNumeric(X, *E.getOperand(),
                       E.getOp() == UnaryOp::Neg ? "unary '-'" : "unary '+'"))
      return Type::error();
    if (X.Elem == ElemType::Bool)
      X.Elem = ElemType::Int;
    if (E.getOp() == UnaryOp::Neg) {
      X.ConstVal = -X.ConstVal;
      std::swap(X.Lo, X.Hi);
      X.Lo = -X.Lo;
      X.Hi = -X.Hi;
      X.SymValue.clear();
    }
    return X;
  }
  return Type::error();
}

Type Sema::elementwise(const Type &A, const Type &B, const Expr &Where,
                       StringRef Op, ElemType ResultElem) {
  Type T = A.Rank >= B.Rank ? A : B;
  const Type &Other = A.Rank >= B.Rank ? B : A;
  T.Sec = join(A.Sec, B.Sec);
  T.Elem = ResultElem;
  T.HasConst = false;
  T.SymValue.clear();
  T.HasRange = false;
  T.MayBeNA = A.MayBeNA || B.MayBeNA;
  if (ResultElem != ElemType::Factor)
    T.Levels.clear();
  if (Other.Rank == 0)
    return T;
  if (A.Rank != B.Rank) {
    Diags.report(Where.getRange(), diag::err_nonconformable)
        << Op << A.shapeStr() << B.shapeStr();
    return Type::error();
  }
  if (A.D0.differsFrom(B.D0) || (A.Rank == 2 && A.D1.differsFrom(B.D1))) {
    Diags.report(Where.getRange(), diag::err_length_mismatch)
        << A.shapeStr() << B.shapeStr();
    Diags.report(Where.getBeginLoc(), diag::note_no_recycling);
    return Type::error();
  }
  // The row counts of two different tables are not known to be equal.
  if (A.D0.K == Dim::Symbolic && B.D0.K == Dim::Symbolic &&
      A.D0.Sym != B.D0.Sym) {
    Diags.report(Where.getRange(), diag::err_length_mismatch)
        << A.shapeStr() << B.shapeStr();
    Diags.report(Where.getBeginLoc(), diag::note_different_tables);
    return Type::error();
  }
  if (!A.D0.sameAs(B.D0))
    T.D0 = A.D0.isKnown() ? A.D0 : B.D0;
  return T;
}

static bool isLevelComparison(const Type &F, const Expr &Other) {
  return F.isValue() && F.Elem == ElemType::Factor && isa<StringExpr>(Other);
}

Type Sema::checkBinary(const BinaryExpr &E) {
  BinaryOp Op = E.getOp();
  if (Op == BinaryOp::Tilde) {
    // Formulas are not evaluated: their names are columns, checked by the
    // model function against its data.
    Type T;
    T.K = Type::Formula;
    return T;
  }
  if (Op == BinaryOp::UserOp)
    return Type::error(); // reported by the parser
  Type A = check(*E.getLHS());
  Type B = check(*E.getRHS());
  if (A.isError() || B.isError())
    return Type::error();
  StringRef Spelling = E.getOpSpelling();
  std::string Quoted = ("'" + Spelling + "'").str();

  if (Op == BinaryOp::AndAnd || Op == BinaryOp::OrOr) {
    for (const auto *Side : {E.getLHS(), E.getRHS()}) {
      const Type &T = Side == E.getLHS() ? A : B;
      if (T.isSecret()) {
        Diags.report(E.getOpRange(), diag::err_secret_short_circuit)
            << Spelling << Side->getRange();
        Diags.report(E.getOpRange().Start, diag::note_secret_short_circuit)
            << (Op == BinaryOp::AndAnd ? "&" : "|");
        explainSecret(*Side);
        return Type::error();
      }
      if (!expectNumeric(T, *Side, Quoted))
        return Type::error();
    }
    return Type::scalar(ElemType::Bool);
  }

  if (Op == BinaryOp::Range) {
    bool Ok = requirePublicSize(A, *E.getLHS(), "the start of ':'");
    Ok &= requirePublicSize(B, *E.getRHS(), "the end of ':'");
    if (!Ok || !expectNumeric(A, *E.getLHS(), "':'") ||
        !expectNumeric(B, *E.getRHS(), "':'"))
      return Type::error();
    Type T = Type::vector(ElemType::Int, Dim::unknown());
    double Span = std::fabs(B.ConstVal - A.ConstVal);
    if (A.HasConst && B.HasConst && Span < 9.0e15)
      T.D0 = Dim::known(int64_t(Span) + 1);
    else if (A.HasConst && A.ConstVal == 1 && !B.SymValue.empty())
      T.D0 = Dim::symbolic(B.SymValue);
    return T;
  }

  if (Op == BinaryOp::In) {
    if (A.isValue() && A.Elem == ElemType::Factor) {
      if (auto Ls = constStrings(*E.getRHS())) {
        for (const std::string &L : *Ls)
          if (std::find(A.Levels.begin(), A.Levels.end(), L) ==
              A.Levels.end()) {
            Diags.report(E.getRHS()->getRange(), diag::err_unknown_level) << L;
            Diags.report(E.getRHS()->getBeginLoc(), diag::note_levels_are)
                << llvm::join(A.Levels, ", ");
            return Type::error();
          }
      }
    }
    if (!A.isValue() || !B.isValue()) {
      Diags.report(E.getRange(), diag::err_operand_type)
          << "" << Spelling << (A.isValue() ? B.str() : A.str());
      return Type::error();
    }
    Type T = A;
    T.Elem = ElemType::Bool;
    T.Levels.clear();
    T.HasConst = false;
    T.HasRange = false;
    T.Sec = join(A.Sec, B.Sec);
    return T;
  }

  if (isComparison(Op)) {
    // factor == "level": check the level exists.
    const Expr *LevelSide = nullptr;
    const Type *F = nullptr;
    if (isLevelComparison(A, *E.getRHS())) {
      F = &A;
      LevelSide = E.getRHS();
    } else if (isLevelComparison(B, *E.getLHS())) {
      F = &B;
      LevelSide = E.getLHS();
    }
    if (F) {
      if (Op != BinaryOp::Eq && Op != BinaryOp::Ne) {
        Diags.report(E.getOpRange(), diag::err_factor_arith) << Quoted;
        Diags.report(E.getOpRange().Start, diag::note_factor_arith);
        return Type::error();
      }
      const std::string &L = cast<StringExpr>(LevelSide)->getValue();
      if (std::find(F->Levels.begin(), F->Levels.end(), L) == F->Levels.end()) {
        Diags.report(LevelSide->getRange(), diag::err_unknown_level) << L;
        Diags.report(LevelSide->getBeginLoc(), diag::note_levels_are)
            << llvm::join(F->Levels, ", ");
        return Type::error();
      }
      Type T = *F;
      T.Elem = ElemType::Bool;
      T.Levels.clear();
      return T;
    }
    if (A.isValue() && B.isValue() && A.Elem == ElemType::String &&
        B.Elem == ElemType::String)
      return elementwise(A, B, E, Spelling, ElemType::Bool);
    // factor == s, where s is a (public) string value: the level is checked
    // when the value is known, at run time.
    if (A.isValue() && B.isValue() &&
        ((A.Elem == ElemType::Factor && B.Elem == ElemType::String) ||
         (A.Elem == ElemType::String && B.Elem == ElemType::Factor))) {
      if (Op != BinaryOp::Eq && Op != BinaryOp::Ne) {
        Diags.report(E.getOpRange(), diag::err_factor_arith) << Quoted;
        Diags.report(E.getOpRange().Start, diag::note_factor_arith);
        return Type::error();
      }
      return elementwise(A, B, E, Spelling, ElemType::Bool);
    }
    if (A.isValue() && B.isValue() && A.Elem == ElemType::Factor &&
        B.Elem == ElemType::Factor &&
        (Op == BinaryOp::Eq || Op == BinaryOp::Ne)) {
      if (A.Levels != B.Levels) {
        Diags.report(E.getRange(), diag::err_operand_type)
            << "" << Spelling << "the factors have different levels";
        return Type::error();
      }
      return elementwise(A, B, E, Spelling, ElemType::Bool);
    }
    if (A.isValue() && B.isValue() && A.Elem == ElemType::Key &&
        B.Elem == ElemType::Key && (Op == BinaryOp::Eq || Op == BinaryOp::Ne))
      return elementwise(A, B, E, Spelling, ElemType::Bool);
    if (!expectNumeric(A, *E.getLHS(), Quoted) ||
        !expectNumeric(B, *E.getRHS(), Quoted))
      return Type::error();
    Type T = elementwise(A, B, E, Spelling, ElemType::Bool);
    if (!T.isError() && A.HasConst && B.HasConst && !T.isSecret() &&
        T.Rank == 0) {
      double X = A.ConstVal, Y = B.ConstVal;
      bool R = Op == BinaryOp::Lt   ? X < Y
               : Op == BinaryOp::Gt ? X > Y
               : Op == BinaryOp::Le ? X <= Y
               : Op == BinaryOp::Ge ? X >= Y
               : Op == BinaryOp::Eq ? X == Y
                                    : X != Y;
      T.HasConst = true;
      T.ConstVal = R;
    }
    return T;
  }

  if (Op == BinaryOp::MatMul || Op == BinaryOp::Outer) {
    if (!expectNumeric(A, *E.getLHS(), Quoted) ||
        !expectNumeric(B, *E.getRHS(), Quoted))
      return Type::error();
    ElemType El = arithmeticJoin(A.Elem, B.Elem);
    Security S = join(A.Sec, B.Sec);
    if (Op == BinaryOp::Outer)
      return Type::matrix(El, A.Rank == 1 ? A.D0 : Dim::known(1),
                          B.Rank == 1 ? B.D0 : Dim::known(1), S);
    // R's rules: a vector on the left is a row, on the right a column
    // (and two vectors give their inner product, 1 x 1).
    Dim AR, AC, BR, BC;
    if (A.Rank == 2) {
      AR = A.D0;
      AC = A.D1;
    } else if (A.Rank == 1) {
      AR = Dim::known(1);
      AC = A.D0;
    } else {
      AR = AC = Dim::known(1);
    }
    if (B.Rank == 2) {
      BR = B.D0;
      BC = B.D1;
    } else if (B.Rank == 1) {
      BR = B.D0;
      BC = Dim::known(1);
      if (A.Rank == 2 && A.D1.isKnown() && A.D1.N == 1) {
        BR = Dim::known(1);
        BC = B.D0;
      }
    } else {
      BR = BC = Dim::known(1);
    }
    if (A.Rank == 1 && B.Rank == 2 && B.D0.isKnown() && B.D0.N == 1) {
      AR = A.D0;
      AC = Dim::known(1);
    }
    if (AC.differsFrom(BR)) {
      Diags.report(E.getOpRange(), diag::err_nonconformable)
          << Spelling << A.shapeStr() << B.shapeStr() << E.getLHS()->getRange()
          << E.getRHS()->getRange();
      return Type::error();
    }
    return Type::matrix(El, AR, BC, S);
  }

  if (Op == BinaryOp::And || Op == BinaryOp::Or) {
    if (!expectNumeric(A, *E.getLHS(), Quoted) ||
        !expectNumeric(B, *E.getRHS(), Quoted))
      return Type::error();
    return elementwise(A, B, E, Spelling, ElemType::Bool);
  }

  // Arithmetic: + - * / ^ %% %/%
  if (!expectNumeric(A, *E.getLHS(), Quoted) ||
      !expectNumeric(B, *E.getRHS(), Quoted))
    return Type::error();
  ElemType El = Op == BinaryOp::Div || Op == BinaryOp::Pow
                    ? ElemType::Num
                    : arithmeticJoin(A.Elem, B.Elem);
  Type T = elementwise(A, B, E, Spelling, El);
  if (T.isError() || T.isSecret() || T.Rank != 0)
    return T;
  if (A.HasConst && B.HasConst) {
    double X = A.ConstVal, Y = B.ConstVal, R = 0;
    switch (Op) {
    case BinaryOp::Add:
      R = X + Y;
      break;
    case BinaryOp::Sub:
      R = X - Y;
      break;
    case BinaryOp::Mul:
      R = X * Y;
      break;
    case BinaryOp::Div:
      R = X / Y;
      break;
    case BinaryOp::Pow:
      R = std::pow(X, Y);
      break;
    case BinaryOp::Mod:
      R = Y != 0 ? X - std::floor(X / Y) * Y : NAN;
      break;
    case BinaryOp::IntDiv:
      R = Y != 0 ? std::floor(X / Y) : NAN;
      break;
    default:
      return T;
    }
    if (std::isfinite(R)) {
      T.HasConst = true;
      T.ConstVal = R;
    }
  }
  return T;
}

Type Sema::checkAssign(const AssignExpr &E) {
  if (E.getOp() == AssignOp::SuperArrow ||
      E.getOp() == AssignOp::RightSuperArrow)
    return Type::error(); // reported by the parser
  const Expr *Target = E.getTarget();

  if (auto *Id = dyn_cast<IdentExpr>(Target)) {
    const std::string &Name = Id->getName();
    if (Name == "reveal" || Name == "publish" || Name == "input_table" ||
        Name == "ifelse") {
      Diags.report(Id->getRange(), diag::err_reserved_name) << Name;
      return Type::error();
    }
    // input_table() is allowed exactly as the whole value of a top-level
    // assignment, outside any branch or loop.
    const Expr *WasTarget = InputTarget;
    std::string WasName = PendingInputName;
    InputTarget = atTopLevel() && Cur->Layers.empty() ? E.getValue() : nullptr;
    PendingInputName = Name;
    Type V = check(*E.getValue());
    InputTarget = WasTarget;
    PendingInputName = WasName;
    bool IsInput =
        V.K == Type::Table && V.isSecret() && isa<CallExpr>(E.getValue()) &&
        cast<CallExpr>(E.getValue())->getCalleeName() == "input_table";
    if (IsInput) {
      V.D0 = Dim::symbolic("nrow(" + Name + ")");
      if (!Result.Inputs.empty() && Result.Inputs.back().Name.empty())
        Result.Inputs.back().Name = Name;
    }
    assignTo(Name, V, E.getRange(), IsInput);
    return V;
  }

  // x[i] <- v, x[[i]] <- v, x$name <- v: the variable keeps its shape and
  // takes the label of the value (a secret written into a public vector
  // makes the whole vector secret).
  const Expr *Base = nullptr;
  if (auto *I = dyn_cast<IndexExpr>(Target))
    Base = I->getBase();
  else if (auto *D = dyn_cast<DollarExpr>(Target))
    Base = D->getBase();
  auto *BaseId = Base ? dyn_cast<IdentExpr>(Base) : nullptr;
  if (!BaseId) {
    Diags.report(Target->getRange(), diag::err_bad_assign_target);
    Diags.report(Target->getBeginLoc(), diag::note_bad_assign_target);
    check(*E.getValue());
    return Type::error();
  }
  Type V = check(*E.getValue());
  VarInfo *Var = lookup(BaseId->getName());
  if (!Var) {
    Diags.report(BaseId->getRange(), diag::err_undefined) << BaseId->getName();
    suggest(BaseId->getName(), BaseId->getBeginLoc());
    return Type::error();
  }
  Type Old = Var->T;
  if (Old.isError() || V.isError())
    return Type::error();
  Type New = Old;
  if (auto *I = dyn_cast<IndexExpr>(Target)) {
    for (const Arg &A : I->getArgs()) {
      if (!A.Value)
        continue;
      Type IT = check(*A.Value);
      if (IT.isSecret()) {
        Diags.report(A.Value->getRange(), diag::err_secret_index);
        Diags.report(A.Value->getBeginLoc(), diag::note_secret_index);
        explainSecret(*A.Value);
        return Type::error();
      }
    }
    if (Old.K == Type::Value && Old.Rank == 1 && I->getArgs().size() == 1 &&
        I->getArgs()[0].Value) {
      Type IT = check(*I->getArgs()[0].Value);
      if (!checkConstIndex(IT, Old.D0, *I->getArgs()[0].Value)) {
        Diags.report(I->getArgs()[0].Value->getBeginLoc(),
                     diag::note_no_growing);
        return Type::error();
      }
    }
    if (Old.K == Type::Value) {
      if (V.K != Type::Value) {
        Diags.report(E.getValue()->getRange(), diag::err_expected_type)
            << "an element assignment"
            << "a value" << V.str();
        return Type::error();
      }
      if (Old.Elem != V.Elem) {
        bool BothNum = Old.isNumeric() && V.isNumeric();
        if (!BothNum) {
          Diags.report(E.getValue()->getRange(), diag::err_expected_type)
              << "an element of " + BaseId->getName()
              << elemTypeName(Old.Elem).str() << V.str();
          return Type::error();
        }
        New.Elem = arithmeticJoin(Old.Elem, V.Elem);
      }
    } else if (Old.K == Type::List) {
      New.Fields.clear(); // the components are no longer known by name
    } else if (Old.K != Type::Table) {
      Diags.report(Target->getRange(), diag::err_bad_assign_target);
      Diags.report(Target->getBeginLoc(), diag::note_bad_assign_target);
      return Type::error();
    }
  } else {
    auto *D = cast<DollarExpr>(Target);
    if (Old.K == Type::Table) {
      if (V.K != Type::Value || V.Rank > 1) {
        Diags.report(E.getValue()->getRange(), diag::err_expected_type)
            << "a table column"
            << "a vector" << V.str();
        return Type::error();
      }
      if (V.Rank == 1 && V.D0.differsFrom(Old.D0)) {
        Diags.report(E.getValue()->getRange(), diag::err_length_mismatch)
            << V.shapeStr() << Old.D0.str() + " rows";
        return Type::error();
      }
      Column C;
      C.Name = D->getName();
      C.Elem = V.Elem;
      C.Levels = V.Levels;
      C.HasRange = V.HasRange;
      C.Lo = V.Lo;
      C.Hi = V.Hi;
      bool Replaced = false;
      for (Column &Old : New.Columns)
        if (Old.Name == C.Name) {
          Old = C;
          Replaced = true;
        }
      if (!Replaced)
        New.Columns.push_back(C);
    } else if (Old.K == Type::List) {
      bool Replaced = false;
      for (auto &F : New.Fields)
        if (F.first == D->getName()) {
          F.second = std::make_shared<Type>(V);
          Replaced = true;
        }
      if (!Replaced)
        New.Fields.push_back({D->getName(), std::make_shared<Type>(V)});
    } else {
      Diags.report(Target->getRange(), diag::err_bad_assign_target);
      Diags.report(Target->getBeginLoc(), diag::note_bad_assign_target);
      return Type::error();
    }
  }
  // A list keeps a label per component; other values take the join.
  if (Old.K != Type::List || isa<IndexExpr>(Target))
    New.Sec = join(Old.Sec, V.Sec);
  if (New.K == Type::Value) {
    New.HasRange = Old.HasRange && V.HasRange;
    New.Lo = std::min(Old.Lo, V.Lo);
    New.Hi = std::max(Old.Hi, V.Hi);
    New.MayBeNA = Old.MayBeNA || V.MayBeNA;
    if (V.D0.Secret)
      New.D0.Secret = true;
  }
  New.HasConst = false;
  New.SymValue.clear();
  bool Input = Var->IsInput;
  assignTo(BaseId->getName(), New, E.getRange(), Input);
  return V;
}

Type Sema::checkBlock(const BlockExpr &E) {
  Type Last = Type::null();
  for (const ExprPtr &S : E.getStmts())
    Last = check(*S);
  return Last;
}

void Sema::checkCondition(const Expr &Cond, StringRef Keyword) {
  Type C = check(Cond);
  if (C.isError())
    return;
  if (C.isSecret()) {
    Diags.report(Cond.getRange(), diag::err_secret_condition) << Keyword;
    Diags.report(Cond.getBeginLoc(), Keyword == "while"
                                         ? diag::note_while_secret
                                         : diag::note_use_ifelse);
    explainSecret(Cond);
    return;
  }
  if (!C.isNumeric() || C.Rank != 0) {
    Diags.report(Cond.getRange(), diag::err_expected_type)
        << "the condition of '" + Keyword.str() + "'"
        << "a single logical value" << C.str();
  }
}

Type Sema::checkIf(const IfExpr &E) {
  checkCondition(*E.getCond(), "if");
  Cur->Layers.emplace_back();
  Type T = check(*E.getThen());
  VarMap Then = std::move(Cur->Layers.back());
  Cur->Layers.back().clear();
  Type F = Type::null();
  if (E.getElse())
    F = check(*E.getElse());
  VarMap Else = std::move(Cur->Layers.back());
  Cur->Layers.pop_back();
  joinPaths(Then, Else, E.getRange(), /*ForLoop=*/false);
  bool Compatible = true;
  Type R = joinTypes(T, F, Compatible);
  return Compatible ? R : Type::error();
}

Type Sema::checkFor(const ForExpr &E) {
  Type S = check(*E.getSeq());
  Type Elem = Type::scalar(ElemType::Int);
  if (!S.isError()) {
    if (S.isSecret()) {
      Diags.report(E.getSeq()->getRange(), diag::err_secret_for_seq);
      Diags.report(E.getSeq()->getBeginLoc(), diag::note_secret_for_seq);
      explainSecret(*E.getSeq());
    } else if (S.K == Type::Value) {
      Elem = Type::scalar(S.Elem);
      Elem.Levels = S.Levels;
    } else if (S.K != Type::Null) {
      Diags.report(E.getSeq()->getRange(), diag::err_expected_type)
          << "'for'"
          << "a vector" << S.str();
    }
  }
  loopFixpoint(E.getRange(), [&] {
    assignTo(E.getVar(), Elem, E.getVarRange());
    check(*E.getBody());
  });
  return Type::null();
}

Type Sema::checkWhile(const WhileExpr &E) {
  loopFixpoint(E.getRange(), [&] {
    checkCondition(*E.getCond(), "while");
    check(*E.getBody());
  });
  return Type::null();
}

Type Sema::checkRepeat(const RepeatExpr &E) {
  loopFixpoint(E.getRange(), [&] { check(*E.getBody()); });
  return Type::null();
}

Type Sema::checkDollar(const DollarExpr &E) {
  Type B = check(*E.getBase());
  if (B.isError())
    return B;
  if (B.K == Type::Table) {
    if (const Column *C = B.findColumn(E.getName()))
      return columnType(B, *C);
    Diags.report(E.getNameRange(), diag::err_unknown_column)
        << E.getName() << "'" + printSource(*E.getBase()) + "'";
    std::vector<std::string> Names;
    std::string Best;
    unsigned BestD = 3;
    for (const Column &C : B.Columns) {
      Names.push_back(C.Name);
      unsigned D = StringRef(E.getName()).edit_distance(C.Name, true, 2);
      if (D <= 2 && D < BestD) {
        BestD = D;
        Best = C.Name;
      }
    }
    if (!Best.empty())
      Diags.report(E.getNameRange().Start, diag::note_did_you_mean) << Best;
    else
      Diags.report(E.getNameRange().Start, diag::note_columns_are)
          << llvm::join(Names, ", ");
    return Type::error();
  }
  if (B.K == Type::List || B.K == Type::Model) {
    if (TypePtr F = B.findField(E.getName())) {
      Type T = *F;
      T.Sec = join(T.Sec, B.Sec);
      return T;
    }
    Diags.report(E.getNameRange(), diag::err_no_field)
        << (B.K == Type::Model ? "this " + B.ClassName + " result"
                               : std::string("this list"))
        << E.getName();
    return Type::error();
  }
  Diags.report(E.getRange(), diag::err_expected_type)
      << "'$'"
      << "a table or a list" << B.str();
  return Type::error();
}

Type Sema::indexTable(const IndexExpr &E, const Type &Base) {
  const auto &Args = E.getArgs();
  // t[, "col"], t[, c("a", "b")], t["col"], t[[ "col" ]], t[rows, ...]
  const Arg *RowArg = nullptr, *ColArg = nullptr;
  if (Args.size() == 2) {
    RowArg = &Args[0];
    ColArg = &Args[1];
  } else if (Args.size() == 1) {
    ColArg = &Args[0];
  } else {
    Diags.report(E.getRange(), diag::err_expected_type)
        << "indexing a table"
        << "[rows, columns]" << std::to_string(Args.size()) + " indices";
    return Type::error();
  }
  Type Out = Base;
  if (RowArg && RowArg->Value) {
    Type R = check(*RowArg->Value);
    if (R.isError())
      return R;
    if (R.isSecret()) {
      Diags.report(RowArg->Value->getRange(), diag::err_secret_index);
      Diags.report(RowArg->Value->getBeginLoc(), diag::note_secret_index);
      explainSecret(*RowArg->Value);
      return Type::error();
    }
    Out.D0 = R.Rank == 0                ? Dim::known(1)
             : R.Elem == ElemType::Bool ? Dim::unknown()
                                        : R.D0;
  }
  if (!ColArg || !ColArg->Value)
    return Out;
  auto Names = constStrings(*ColArg->Value);
  if (!Names) {
    Diags.report(ColArg->Value->getRange(), diag::err_expected_type)
        << "a table's column index"
        << "column names as strings" << printSource(*ColArg->Value);
    return Type::error();
  }
  std::vector<Column> Cols;
  for (const std::string &N : *Names) {
    const Column *C = Base.findColumn(N);
    if (!C) {
      Diags.report(ColArg->Value->getRange(), diag::err_unknown_column)
          << N << "'" + printSource(*E.getBase()) + "'";
      std::vector<std::string> All;
      for (const Column &X : Base.Columns)
        All.push_back(X.Name);
      Diags.report(ColArg->Value->getBeginLoc(), diag::note_columns_are)
          << llvm::join(All, ", ");
      return Type::error();
    }
    Cols.push_back(*C);
  }
  // One column with a row index, or `[[`: the column as a vector.
  if ((E.isDouble() || RowArg) && Cols.size() == 1)
    return columnType(Out, Cols[0]);
  Out.Columns = Cols;
  return Out;
}

bool Sema::checkConstIndex(const Type &I, const Dim &Len, const Expr &Where) {
  if (!I.HasConst || I.Elem == ElemType::Bool || I.Rank != 0)
    return true;
  double V = I.ConstVal;
  auto Show = [](double X) {
    char Buf[32];
    std::snprintf(Buf, sizeof Buf, "%g", X);
    return std::string(Buf);
  };
  if (!std::isfinite(V) || V != std::floor(V) || std::fabs(V) > 9.0e15) {
    Diags.report(Where.getRange(), diag::err_bad_index) << Show(V);
    return false;
  }
  // Negative indices exclude elements, as in R; 0 selects nothing.
  if (Len.isKnown() && (V > double(Len.N) || V == 0 || -V > double(Len.N))) {
    Diags.report(Where.getRange(), diag::err_index_out_of_range)
        << Show(V) << Len.str();
    return false;
  }
  return true;
}

Type Sema::checkIndex(const IndexExpr &E) {
  Type B = check(*E.getBase());
  if (B.isError())
    return B;
  if (B.K == Type::Table)
    return indexTable(E, B);

  std::vector<Type> Idx;
  for (const Arg &A : E.getArgs()) {
    if (!A.Value) {
      Idx.push_back(Type::null());
      continue;
    }
    Type T = check(*A.Value);
    if (T.isError())
      return T;
    if (T.isSecret()) {
      Diags.report(A.Value->getRange(), diag::err_secret_index);
      Diags.report(A.Value->getBeginLoc(), diag::note_secret_index);
      explainSecret(*A.Value);
      return Type::error();
    }
    Idx.push_back(T);
  }
  auto LengthOf = [](const Type &I, const Dim &Whole) -> Dim {
    if (I.K == Type::Null)
      return Whole;
    // A negative index drops that element.
    if (I.Rank == 0 && I.Elem != ElemType::Bool && I.HasConst && I.ConstVal < 0)
      return Whole.isKnown() ? Dim::known(Whole.N - 1) : Dim::unknown();
    if (I.Rank == 0 && I.Elem != ElemType::Bool)
      return Dim::known(1);
    if (I.Elem == ElemType::Bool)
      return Dim::unknown();
    return I.D0;
  };

  if (B.K == Type::List || B.K == Type::Model) {
    if (E.isDouble() && E.getArgs().size() == 1 && E.getArgs()[0].Value) {
      if (auto *S = dyn_cast<StringExpr>(E.getArgs()[0].Value.get())) {
        if (TypePtr F = B.findField(S->getValue()))
          return F->withSecurity(join(F->Sec, B.Sec));
        Diags.report(S->getRange(), diag::err_no_field)
            << "this list" << S->getValue();
        return Type::error();
      }
      if (auto V = constNumber(*E.getArgs()[0].Value)) {
        if (!std::isfinite(*V) || *V != std::floor(*V) ||
            std::fabs(*V) > 9.0e15) {
          char Buf[32];
          std::snprintf(Buf, sizeof Buf, "%g", *V);
          Diags.report(E.getArgs()[0].Value->getRange(), diag::err_bad_index)
              << Buf;
          return Type::error();
        }
        int64_t K = int64_t(*V);
        if (K >= 1 && size_t(K) <= B.Fields.size())
          return B.Fields[K - 1].second->withSecurity(
              join(B.Fields[K - 1].second->Sec, B.Sec));
        if (!B.Fields.empty()) {
          Diags.report(E.getArgs()[0].Value->getRange(),
                       diag::err_index_out_of_range)
              << std::to_string(K) << std::to_string(B.Fields.size());
          return Type::error();
        }
      }
    }
    Type T;
    T.K = Type::List;
    T.Sec = B.Sec;
    return T;
  }

  if (B.K != Type::Value) {
    Diags.report(E.getBase()->getRange(), diag::err_expected_type)
        << "indexing"
        << "a vector, matrix, table or list" << B.str();
    return Type::error();
  }
  Type Out = B;
  Out.HasConst = false;
  Out.SymValue.clear();
  if (B.Rank <= 1) {
    if (Idx.size() != 1) {
      Diags.report(E.getRange(), diag::err_expected_type)
          << "indexing a vector"
          << "one index" << std::to_string(Idx.size()) + " indices";
      return Type::error();
    }
    Dim L = LengthOf(Idx[0], B.Rank == 1 ? B.D0 : Dim::known(1));
    if (!checkConstIndex(Idx[0], B.Rank == 1 ? B.D0 : Dim::known(1),
                         *E.getArgs()[0].Value))
      return Type::error();
    bool Dropping = Idx[0].HasConst && Idx[0].ConstVal < 0;
    if (L.isKnown() && L.N == 1 && !Dropping &&
        (E.isDouble() || Idx[0].Rank == 0)) {
      Out.Rank = 0;
      Out.D0 = Dim();
    } else {
      Out.Rank = 1;
      Out.D0 = L;
    }
    return Out;
  }
  // Matrix.
  if (Idx.size() == 1) {
    Out.Rank = 1;
    Out.D0 = Dim::unknown();
    return Out;
  }
  if (Idx.size() != 2) {
    Diags.report(E.getRange(), diag::err_expected_type)
        << "indexing a matrix"
        << "two indices" << std::to_string(Idx.size()) + " indices";
    return Type::error();
  }
  for (unsigned K = 0; K < 2; ++K)
    if (E.getArgs()[K].Value &&
        !checkConstIndex(Idx[K], K == 0 ? B.D0 : B.D1, *E.getArgs()[K].Value))
      return Type::error();
  Dim R = LengthOf(Idx[0], B.D0), C = LengthOf(Idx[1], B.D1);
  bool R1 = R.isKnown() && R.N == 1 && Idx[0].K != Type::Null;
  bool C1 = C.isKnown() && C.N == 1 && Idx[1].K != Type::Null;
  if (R1 && C1) {
    Out.Rank = 0;
  } else if (R1 || C1) {
    Out.Rank = 1;
    Out.D0 = R1 ? C : R;
  } else {
    Out.D0 = R;
    Out.D1 = C;
  }
  return Out;
}

//===----------------------------------------------------------------------===//
// Calls
//===----------------------------------------------------------------------===//

ArgInfo &CallSite::arg(StringRef Param) {
  for (size_t I = 0; I < Info.Params.size(); ++I)
    if (Info.Params[I].Name == Param)
      return Args[I];
  static ArgInfo None;
  None = ArgInfo();
  return None;
}

/// R's argument matching, without partial names: named arguments go to the
/// parameter of that name, the others fill the remaining parameters in
/// order; what is left goes to `...` if there is one.
template <typename ParamT>
static bool matchArgs(DiagnosticEngine &Diags, const CallExpr &E,
                      StringRef FnName, const std::vector<ParamT> &Params,
                      std::vector<const Arg *> &Slots,
                      std::vector<const Arg *> &Dots,
                      const std::function<bool(const ParamT &)> &IsDots,
                      const std::function<std::string(const ParamT &)> &Name) {
  Slots.assign(Params.size(), nullptr);
  bool Ok = true;
  size_t DotsIdx = Params.size();
  for (size_t I = 0; I < Params.size(); ++I)
    if (IsDots(Params[I]))
      DotsIdx = I;
  for (const Arg &A : E.getArgs()) {
    if (!A.Name)
      continue;
    bool Found = false;
    for (size_t I = 0; I < Params.size(); ++I) {
      if (IsDots(Params[I]) || Name(Params[I]) != *A.Name)
        continue;
      if (Slots[I]) {
        Diags.report(A.Range, diag::err_dup_argument) << *A.Name;
        Ok = false;
      }
      Slots[I] = &A;
      Found = true;
    }
    if (!Found) {
      if (DotsIdx < Params.size()) {
        Dots.push_back(&A);
      } else {
        Diags.report(A.NameRange.isValid() ? A.NameRange : A.Range,
                     diag::err_unused_argument)
            << *A.Name << FnName;
        Ok = false;
      }
    }
  }
  size_t Next = 0;
  for (const Arg &A : E.getArgs()) {
    if (A.Name)
      continue;
    while (Next < Params.size() && Next < DotsIdx && Slots[Next])
      ++Next;
    if (Next < DotsIdx && Next < Params.size()) {
      Slots[Next++] = &A;
    } else if (DotsIdx < Params.size()) {
      Dots.push_back(&A);
    } else {
      Diags.report(A.Range, diag::err_too_many_args)
          << FnName << (long long)Params.size();
      Ok = false;
      break;
    }
  }
  return Ok;
}

Type Sema::checkCall(const CallExpr &E) {
  StringRef Name = E.getCalleeName();
  if (Name.empty()) {
    // (function(x) x)(1), or f()(): call the value if it is a function.
    Type Callee = check(*E.getCallee());
    if (Callee.isError())
      return Callee;
    if (Callee.K == Type::Function && Callee.Fn)
      return callUser(E, Callee, "<anonymous>");
    if (Callee.K == Type::Function && Callee.Builtin >= 0)
      return callBuiltin(E, builtinTable()[Callee.Builtin]);
    Diags.report(E.getCallee()->getRange(), diag::err_not_callable);
    return Type::error();
  }
  if (Name == "return")
    return checkReturn(E);
  // As in R, a call looks for a function under that name, skipping
  // variables that hold other values.
  if (VarInfo *V = lookup(Name.str())) {
    if (V->T.K == Type::Function && V->T.Fn)
      return callUser(E, V->T, Name);
    if (V->T.K == Type::Function && V->T.Builtin >= 0)
      return callBuiltin(E, builtinTable()[V->T.Builtin]);
  }
  if (const BuiltinInfo *B = findBuiltin(Name))
    return callBuiltin(E, *B);
  Diags.report(E.getCallee()->getRange(), diag::err_unknown_function) << Name;
  suggest(Name.str(), E.getBeginLoc());
  for (const Arg &A : E.getArgs())
    if (A.Value)
      check(*A.Value);
  return Type::error();
}

Type Sema::checkReturn(const CallExpr &E) {
  Type V = Type::null();
  if (E.getArgs().size() > 1) {
    Diags.report(E.getRange(), diag::err_too_many_args) << "return" << 1LL;
    return Type::error();
  }
  if (!E.getArgs().empty() && E.getArgs()[0].Value)
    V = check(*E.getArgs()[0].Value);
  if (FnStack.empty()) {
    Diags.report(E.getRange(), diag::err_return_outside_function);
    return Type::error();
  }
  FnContext &F = FnStack.back();
  if (!F.Returned) {
    F.Returned = V;
  } else {
    bool C = true;
    Type J = joinTypes(*F.Returned, V, C);
    if (!C) {
      Diags.report(E.getRange(), diag::err_branch_mismatch)
          << "the result of '" + F.Name + "'" << F.Returned->str() << V.str();
      J = Type::error();
    }
    F.Returned = J;
  }
  return V;
}

Type Sema::callUser(const CallExpr &E, const Type &Fn, StringRef Name) {
  const FunctionExpr &F = *Fn.Fn;
  Called.insert(&F);
  for (const FnContext &C : FnStack)
    if (C.Fn == &F) {
      Diags.report(E.getCallee()->getRange(), diag::err_recursion) << Name;
      Diags.report(E.getBeginLoc(), diag::note_recursion);
      return Type::error();
    }
  std::vector<const Arg *> Slots, Dots;
  bool Ok = matchArgs<Param>(
      Diags, E, Name, F.getParams(), Slots, Dots,
      [](const Param &) { return false; },
      [](const Param &P) { return P.Name; });
  // Arguments are checked in the caller's environment.
  std::vector<Type> ArgTypes(Slots.size());
  for (size_t I = 0; I < Slots.size(); ++I)
    if (Slots[I] && Slots[I]->Value)
      ArgTypes[I] = check(*Slots[I]->Value);
  if (!Ok)
    return Type::error();

  auto Callee = std::make_unique<Frame>();
  Callee->Parent = Fn.Closure ? Fn.Closure : &Globals;
  Frame *Saved = Cur;
  Cur = Callee.get();
  FnStack.push_back({&F, Name.str(), E.getRange(), std::nullopt, LoopDepth});
  for (size_t I = 0; I < Slots.size(); ++I) {
    const Param &P = F.getParams()[I];
    if (Slots[I] && Slots[I]->Value) {
      assignTo(P.Name, ArgTypes[I], Slots[I]->Range);
      // A secret argument: explain it at the call site.
      if (ArgTypes[I].isSecret())
        Cur->top()[P.Name].SecretSince = Slots[I]->Range;
    } else if (P.Default) {
      assignTo(P.Name, check(*P.Default), P.Range);
    } else {
      Diags.report(E.getRange(), diag::err_missing_argument) << P.Name << Name;
      assignTo(P.Name, Type::error(), P.Range);
    }
  }
  Type Body = check(*F.getBody());
  FnContext Ctx = std::move(FnStack.back());
  FnStack.pop_back();
  Cur = Saved;
  if (Ctx.Returned) {
    bool C = true;
    Body = joinTypes(*Ctx.Returned, Body, C);
    if (!C)
      Body = Type::error();
  }
  if (Body.K == Type::Function) {
    Diags.report(E.getRange(), diag::err_function_value);
    return Type::error();
  }
  return Body;
}

Type Sema::callBuiltin(const CallExpr &E, const BuiltinInfo &B) {
  std::vector<const Arg *> Slots, Dots;
  bool Ok = matchArgs<ParamSpec>(
      Diags, E, B.Name, B.Params, Slots, Dots,
      [](const ParamSpec &P) { return P.IsDots; },
      [](const ParamSpec &P) { return P.Name; });
  CallSite C{E, B, {}, {}};
  C.Args.resize(B.Params.size());
  bool AnyError = !Ok;
  // input_table() and the formula arguments of models are not evaluated as
  // ordinary expressions: their rules look at the syntax.
  bool Lazy = StringRef(B.Name) == "input_table" ||
              StringRef(B.Name) == "num" || StringRef(B.Name) == "int" ||
              StringRef(B.Name) == "bool" || StringRef(B.Name) == "factor";
  for (size_t I = 0; I < Slots.size(); ++I) {
    const ParamSpec &P = B.Params[I];
    if (P.IsDots)
      continue;
    ArgInfo &A = C.Args[I];
    if (Slots[I] && Slots[I]->Value) {
      A.E = Slots[I]->Value.get();
      A.Range = Slots[I]->Range;
      // t.test(y ~ g, data, subset = g %in% c(a, b)): names in `subset`
      // are the data's columns, checked by the rule.
      const bool Masked = StringRef(B.Name) == "t.test" && P.Name == "subset";
      if (!Lazy && !Masked) {
        A.T = check(*A.E);
        AnyError |= A.T.isError();
      }
    } else if (!P.HasDefault && !Lazy) {
      Diags.report(E.getRange(), diag::err_missing_argument)
          << P.Name << B.Name;
      AnyError = true;
    }
  }
  for (const Arg *D : Dots) {
    ArgInfo A;
    A.E = D->Value.get();
    A.Range = D->Range;
    if (D->Name)
      A.Name = *D->Name;
    if (A.E && !Lazy) {
      A.T = check(*A.E);
      AnyError |= A.T.isError();
    }
    C.Dots.push_back(std::move(A));
  }
  if (AnyError)
    return Type::error();
  return B.Rule(*this, C);
}

//===----------------------------------------------------------------------===//
// Driver
//===----------------------------------------------------------------------===//

/// A function that is never called would otherwise never be checked. Check
/// its body once against the final global environment, its parameters typed
/// as unknown (which silences checks that depend on them): names that exist
/// nowhere, misplaced input_table() and leaks of global secrets are found.
void Sema::checkUncalledFunctions() {
  std::vector<std::pair<const char *, const FunctionExpr *>> Todo;
  for (const auto &KV : Globals.Vars)
    if (KV.second.T.K == Type::Function && KV.second.T.Fn &&
        !Called.count(KV.second.T.Fn))
      Todo.push_back(
          {KV.second.T.Fn->getRange().Start.getPointer(), KV.second.T.Fn});
  std::sort(Todo.begin(), Todo.end());
  for (const auto &T : Todo) {
    const FunctionExpr &F = *T.second;
    if (Called.count(&F))
      continue;
    Called.insert(&F);
    auto Callee = std::make_unique<Frame>();
    Callee->Parent = &Globals;
    Frame *Saved = Cur;
    Cur = Callee.get();
    FnStack.push_back({&F, "", F.getRange(), std::nullopt, LoopDepth});
    for (const Param &P : F.getParams())
      assignTo(P.Name, P.Default ? check(*P.Default) : Type::error(), P.Range);
    check(*F.getBody());
    FnStack.pop_back();
    Cur = Saved;
  }
}

void Sema::run(const Program &P) {
  for (const ExprPtr &S : P.Stmts)
    check(*S);
  checkUncalledFunctions();
  // What --emit=types shows: every global with its type at the end of the
  // script, in the order the names were first assigned.
  std::vector<std::pair<const char *, const std::string *>> Order;
  for (const auto &KV : Globals.Vars)
    Order.push_back({KV.second.FirstDef.getPointer(), &KV.first});
  std::sort(Order.begin(), Order.end());
  for (const auto &O : Order) {
    const VarInfo &V = Globals.Vars.at(*O.second);
    Result.Bindings.push_back(
        {SMLoc::getFromPointer(O.first), *O.second, V.T.str()});
  }
}

CheckResult sstat::checkProgram(const Program &P, DiagnosticEngine &Diags) {
  CheckResult R;
  Sema S(Diags, R);
  S.run(P);
  return R;
}
