//===- Lower.cpp - From the checked AST to SSA IR -------------------------===//
//
// See Lower.h. Values are kept normalized: numbers are fixed point at the
// module's scale F (a product of two fixed-point values is truncated back
// at once; the truncation-deferral pass moves those truncations later),
// integers and logicals are exact. Missing values (columns declared with
// na = TRUE) travel as a pair: the values, with 0 where missing, and a
// validity mask of 0/1 integers, which the stdlib reads through the
// intrinsics .values(x) and .valid(x).
//
//===----------------------------------------------------------------------===//

#include "sstat/IR/Lower.h"

#include "sstat/Parser.h"

#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"

#include <cmath>
#include <map>
#include <optional>
#include <set>

using namespace sstat;
using namespace sstat::ir;
using namespace llvm;

namespace {

#include "StdlibSource.inc"

using ir::Dim;
using ir::Type;

struct Scope;

/// A fitted linear model: what lm() leaves for summary(), coef() and
/// confint() to disclose.
struct LmModel {
  std::vector<std::string> Terms; // coefficient names, as R names them
  bool Intercept = true;
  std::string Call; // lm(formula = ..., data = ...)
  /// What the recipient needs besides the values (docs/bytecode.md).
  std::vector<std::string> Meta;
  ir::Value *Coef = nullptr; // the p coefficients, scale F
  /// The sufficient statistics, scale 2F: the p coefficients; with an
  /// intercept q = m' C^-1 m (so that (X'X)^-1_00 = 1/n + q); the diagonal
  /// of C^-1 for the other terms (C the centred cross products, or X'X
  /// without an intercept); the residual and total sums of squares; the
  /// rows used; the table's rows. (glm: the coefficients, diag((X'WX)^-1),
  /// the deviance, the null deviance, the rows.)
  ir::Value *Stats = nullptr;
  /// vcov(): with an intercept q and z = C^-1 m; then n / 2^10 C^-1 (p' x
  /// p', column by column, p' the terms but the intercept); rss; n.
  ir::Value *Vcov = nullptr;
  /// glm: R's convergence test on the last two iterates (secret bool), and
  /// the public number of iterations run.
  ir::Value *Converged = nullptr;
  int64_t Iterations = 0;
};

/// A lowered expression.
struct LV {
  enum Kind { None, Val, Table, Fn, Str, Formula, Model } K = None;
  std::shared_ptr<LmModel> Lm; // Model: the fit
  std::string View;            // Model: "lm", "summary.lm"
  /// Valid marks rows absent from the table (a merge() without a match),
  /// not missing values: statistics use the present rows (na.rm = TRUE).
  bool Absent = false;
  /// A matrix of named columns (t[, c("a", "b")]): the names, which a
  /// statistic's square result (cov, cor) prints as R's dimnames.
  std::vector<std::string> ColNames;
  ir::Value *V = nullptr;
  ir::Value *Valid = nullptr; // 0/1 mask when the value may have NAs
  std::string Name;           // table name, or the string's value
  std::vector<std::string> Levels; // a factor: V is its one-hot matrix
  const FunctionExpr *Fun = nullptr;
  Scope *Closure = nullptr;

  static LV val(ir::Value *V, ir::Value *Valid = nullptr) {
    LV L;
    L.K = Val;
    L.V = V;
    L.Valid = Valid;
    return L;
  }
};

struct Scope {
  std::map<std::string, LV> Vars;
  Scope *Parent = nullptr;
  LV *find(const std::string &N) {
    for (Scope *S = this; S; S = S->Parent) {
      auto It = S->Vars.find(N);
      if (It != S->Vars.end())
        return &It->second;
    }
    return nullptr;
  }
};

/// Raised to abandon lowering after an error has been reported.
struct LowerError {};

class Lowerer {
public:
  Lowerer(Module &M, const CheckResult &Checked, DiagnosticEngine &D)
      : M(M), Checked(Checked), Diags(D) {
    loadStdlib();
  }

  void run(const Program &P) {
    B = &M.body().block();
    Cur = &Globals;
    for (const ExprPtr &S : P.Stmts)
      lower(*S);
  }

private:
  // ---- infrastructure
  [[noreturn]] void unsupported(const Expr &E, StringRef What) {
    // Inside the stdlib, point at the user's call instead.
    if (CallSiteLoc.isValid())
      Diags.report(CallSiteLoc, diag::err_not_lowered) << What;
    else
      Diags.report(E.getRange(), diag::err_not_lowered) << What;
    throw LowerError();
  }

  ir::Value *emit(OpCode C, std::vector<ir::Value *> Operands, Type T,
                  SMLoc L, std::map<std::string, Attr> Attrs = {}) {
    // Code inlined from the stdlib is attributed to the user's call.
    auto O = std::make_unique<Op>(C, CallSiteLoc.isValid() ? CallSiteLoc : L);
    for (ir::Value *V : Operands)
      O->addOperand(V);
    ir::Value *R = O->addResult(std::move(T));
    O->Attrs = std::move(Attrs);
    B->append(std::move(O));
    return R;
  }

  Type fix(Sec S, unsigned Rank = 0, Dim D0 = {}, Dim D1 = {}) {
    Type T = Type::scalar(S, Elem::Fix, M.FracBits);
    T.Rank = uint8_t(Rank);
    T.D[0] = std::move(D0);
    T.D[1] = std::move(D1);
    return T;
  }

  ir::Value *constant(double V, Type T, SMLoc L) {
    return emit(OpCode::Const, {}, std::move(T), L, {{"value", V}});
  }
  ir::Value *intConst(double V, SMLoc L) {
    return constant(V, Type::scalar(Sec::Public, Elem::Int), L);
  }

  static std::optional<double> constOf(const ir::Value *V) {
    if (V && V->def() && V->def()->code() == OpCode::Const &&
        V->type().Rank == 0)
      return V->def()->numAttr("value");
    return std::nullopt;
  }

  /// Converts V to element type E (and the module scale for Fix).
  ir::Value *convert(ir::Value *V, Elem E, SMLoc L) {
    const Type &T = V->type();
    if (T.E == E && (E != Elem::Fix || T.Scale == M.FracBits))
      return V;
    if (auto C = constOf(V)) {
      double X = E == Elem::Bool ? (*C != 0) : E == Elem::Int ? std::trunc(*C)
                                                             : *C;
      Type NT = T;
      NT.E = E;
      NT.Scale = E == Elem::Fix ? uint8_t(M.FracBits) : 0;
      return constant(X, NT, L);
    }
    Type NT = T;
    NT.E = E;
    NT.Scale = E == Elem::Fix ? uint8_t(M.FracBits) : 0;
    return emit(OpCode::Cast, {V}, NT, L);
  }

  ir::Value *toSecret(ir::Value *V, SMLoc L) {
    if (V->type().isSecret())
      return V;
    return emit(OpCode::Cast, {V}, V->type().withSec(Sec::Secret), L);
  }

  /// The result shape of an elementwise op: the operand of higher rank.
  static Type shapeOf(const Type &A, const Type &B) {
    return A.Rank >= B.Rank ? A : B;
  }

  static Sec joinSec(const Type &A, const Type &B) {
    return A.isSecret() || B.isSecret() ? Sec::Secret : Sec::Public;
  }

  ir::Value *mask(ir::Value *A, ir::Value *Bm, SMLoc L) {
    if (!A)
      return Bm;
    if (!Bm)
      return A;
    Type T = shapeOf(A->type(), Bm->type());
    T.S = joinSec(A->type(), Bm->type());
    ir::Value *M = emit(OpCode::Mul, {A, Bm}, T, L);
    if (AbsentMasks.count(A) || AbsentMasks.count(Bm))
      AbsentMasks.insert(M);
    return M;
  }
  /// Masks that mark rows absent from a merge() (see LV::Absent); a value
  /// computed from such a column keeps its mask, and so its meaning.
  std::set<const ir::Value *> AbsentMasks;
  bool isAbsent(const LV &X) const {
    return X.Absent || (X.Valid && AbsentMasks.count(X.Valid));
  }

  /// Arithmetic on two values, with R's type rules and fixed-point scales.
  ir::Value *arith(BinaryOp Op, ir::Value *A, ir::Value *Bv, SMLoc L) {
    Type Shape = shapeOf(A->type(), Bv->type());
    Sec S = joinSec(A->type(), Bv->type());
    Elem EA = A->type().E, EB = Bv->type().E;
    auto Fold = [&](double R) -> ir::Value * {
      Type T = Shape;
      T.S = Sec::Public;
      bool Int = R == std::floor(R) && std::fabs(R) < 9.0e15 &&
                 EA != Elem::Fix && EB != Elem::Fix;
      T.E = Int ? Elem::Int : Elem::Fix;
      T.Scale = Int ? 0 : uint8_t(M.FracBits);
      return constant(R, T, L);
    };
    auto CA = constOf(A), CB = constOf(Bv);
    if (CA && CB && Shape.Rank == 0) {
      switch (Op) {
      case BinaryOp::Add: return Fold(*CA + *CB);
      case BinaryOp::Sub: return Fold(*CA - *CB);
      case BinaryOp::Mul: return Fold(*CA * *CB);
      case BinaryOp::Div:
        if (*CB != 0) {
          double R = *CA / *CB;
          Type T = Shape;
          T.S = Sec::Public;
          T.E = Elem::Fix;
          T.Scale = uint8_t(M.FracBits);
          return constant(R, T, L);
        }
        break;
      default:
        break;
      }
    }
    switch (Op) {
    case BinaryOp::Add:
    case BinaryOp::Sub: {
      Elem E = (EA == Elem::Fix || EB == Elem::Fix) ? Elem::Fix : Elem::Int;
      A = convert(A, E, L);
      Bv = convert(Bv, E, L);
      Type T = Shape;
      T.S = S;
      T.E = E;
      T.Scale = E == Elem::Fix ? uint8_t(M.FracBits) : 0;
      return emit(Op == BinaryOp::Add ? OpCode::Add : OpCode::Sub, {A, Bv}, T,
                  L);
    }
    case BinaryOp::Mul: {
      if (EA == Elem::Bool)
        A = convert(A, Elem::Int, L);
      if (EB == Elem::Bool)
        Bv = convert(Bv, Elem::Int, L);
      bool FA = A->type().E == Elem::Fix, FB = Bv->type().E == Elem::Fix;
      Type T = Shape;
      T.S = S;
      T.E = FA || FB ? Elem::Fix : Elem::Int;
      T.Scale = uint8_t((FA ? M.FracBits : 0) + (FB ? M.FracBits : 0));
      ir::Value *P = emit(OpCode::Mul, {A, Bv}, T, L);
      if (FA && FB) {
        Type TT = T;
        TT.Scale = uint8_t(M.FracBits);
        P = emit(OpCode::Trunc, {P}, TT, L,
                 {{"bits", int64_t(M.FracBits)}});
      }
      return P;
    }
    case BinaryOp::Div: {
      A = convert(A, Elem::Fix, L);
      Bv = convert(Bv, Elem::Fix, L);
      Type T = Shape;
      T.S = S;
      T.E = Elem::Fix;
      T.Scale = uint8_t(M.FracBits);
      if (!Bv->type().isSecret())
        return emit(OpCode::Div, {A, Bv}, T, L);
      // A secret divisor: multiply by its reciprocal.
      ir::Value *R = emit(OpCode::Recip, {Bv}, Bv->type(), L);
      return arith(BinaryOp::Mul, A, R, L);
    }
    case BinaryOp::Pow: {
      auto K = constOf(Bv);
      if (!K || *K != std::floor(*K) || *K < 1 || *K > 8)
        return nullptr;
      ir::Value *R = A;
      for (int I = 1; I < int(*K); ++I)
        R = arith(BinaryOp::Mul, R, A, L);
      return R;
    }
    default:
      return nullptr;
    }
  }

  ir::Value *compare(BinaryOp Op, ir::Value *A, ir::Value *Bv, SMLoc L) {
    Elem E = (A->type().E == Elem::Fix || Bv->type().E == Elem::Fix)
                 ? Elem::Fix
                 : Elem::Int;
    A = convert(A, E, L);
    Bv = convert(Bv, E, L);
    Type T = shapeOf(A->type(), Bv->type());
    T.S = joinSec(A->type(), Bv->type());
    T.E = Elem::Bool;
    T.Scale = 0;
    auto CA = constOf(A), CB = constOf(Bv);
    if (CA && CB && T.Rank == 0) {
      bool R = Op == BinaryOp::Lt   ? *CA < *CB
               : Op == BinaryOp::Gt ? *CA > *CB
               : Op == BinaryOp::Le ? *CA <= *CB
               : Op == BinaryOp::Ge ? *CA >= *CB
               : Op == BinaryOp::Eq ? *CA == *CB
                                    : *CA != *CB;
      return constant(R, T, L);
    }
    switch (Op) {
    case BinaryOp::Lt: return emit(OpCode::Lt, {A, Bv}, T, L);
    case BinaryOp::Gt: return emit(OpCode::Lt, {Bv, A}, T, L);
    case BinaryOp::Le: return emit(OpCode::Le, {A, Bv}, T, L);
    case BinaryOp::Ge: return emit(OpCode::Le, {Bv, A}, T, L);
    case BinaryOp::Eq: return emit(OpCode::Eq, {A, Bv}, T, L);
    case BinaryOp::Ne: {
      ir::Value *Q = emit(OpCode::Eq, {A, Bv}, T, L);
      return emit(OpCode::Not, {Q}, T, L);
    }
    default:
      return nullptr;
    }
  }

  ir::Value *toBool(ir::Value *V, SMLoc L) { return convert(V, Elem::Bool, L); }

  /// A fixed-point value truncated by F bits (its scale lowered by F).
  ir::Value *truncF(ir::Value *V, SMLoc L) {
    Type T = V->type();
    T.Scale = uint8_t(T.Scale - M.FracBits);
    return emit(OpCode::Trunc, {V}, T, L, {{"bits", int64_t(M.FracBits)}});
  }
  /// t(V) of a matrix.
  ir::Value *transposed(ir::Value *V, SMLoc L) {
    Type T = V->type();
    std::swap(T.D[0], T.D[1]);
    return emit(OpCode::Transpose, {V}, T, L);
  }
  /// Column J (0-based) of a matrix, as a vector.
  ir::Value *columnOf(ir::Value *Mx, int64_t J, SMLoc L) {
    Type T = Mx->type();
    T.Rank = 1;
    T.D[1] = Dim();
    return emit(OpCode::Column, {Mx}, T, L, {{"index", J}});
  }

  /// A vector as an n x 1 matrix.
  ir::Value *asColumn(ir::Value *V, SMLoc L) {
    Type T = V->type();
    T.Rank = 2;
    T.D[1] = Dim::constant(1);
    return emit(OpCode::ColBind, {V}, T, L);
  }

  /// A public int holding the length \p D of \p Of.
  ir::Value *dimValue(const Dim &D, ir::Value *Of, SMLoc L) {
    if (D.K == Dim::Const)
      return intConst(double(D.N), L);
    if (D.K == Dim::Sym && D.Name.rfind("n.", 0) == 0)
      return emit(OpCode::NRows, {}, Type::scalar(Sec::Public, Elem::Int), L,
                  {{"table", D.Name.substr(2)}});
    return emit(OpCode::Length, {Of}, Type::scalar(Sec::Public, Elem::Int), L);
  }

  // ---- expressions
  LV lower(const Expr &E);
  LV lowerCall(const CallExpr &E);
  LV lowerBuiltin(const CallExpr &E, StringRef Name);
  LV inlineFunction(const CallExpr &E, const FunctionExpr &F, Scope *Closure,
                    StringRef Name);
  LV lowerIf(const IfExpr &E);
  LV lowerLm(const CallExpr &E, const Expr &Formula, const Expr *Data);
  LV lowerGlm(const CallExpr &E, const Expr &Formula, const Expr *Data);
  LV lowerTTestFormula(const CallExpr &E, const Expr &Formula);
  struct ModelData buildDesign(const CallExpr &E, const Expr &Formula,
                               const Expr *Data, StringRef Fn);
  LV lowerFor(const ForExpr &E);
  ir::Value *value(const Expr &E) {
    LV L = lower(E);
    if (L.K != LV::Val)
      unsupported(E, "this kind of value here");
    return L.V;
  }
  /// A value with no missing entries (the checker guarantees it).
  ir::Value *plainValue(const Expr &E, StringRef Fn) {
    LV L = lower(E);
    if (L.K != LV::Val)
      unsupported(E, "this kind of value here");
    if (L.Valid)
      unsupported(E, (Fn + "() of a value with missing entries").str());
    return L.V;
  }
  LV column(const std::string &Table, const std::string &Col, const Expr &E);
  void loadStdlib();
  static void assignedNames(const Expr &E, std::set<std::string> &Out);

  Module &M;
  const CheckResult &Checked;
  DiagnosticEngine &Diags;
  Block *B = nullptr;
  Scope Globals;
  Scope *Cur = nullptr;
  std::vector<std::unique_ptr<Scope>> Frames;
  std::map<std::pair<std::string, std::string>, LV> ColumnCache;
  /// A merge()'s result: the first table's rows (Base) with a 0/1 mask of
  /// those that matched, and every column as a value on those rows.
  struct DerivedTable {
    std::string Base;
    ir::Value *Matched = nullptr;
    std::map<std::string, LV> Columns;
  };
  std::map<std::string, DerivedTable> Derived;
  /// The input table whose rows a table's columns have.
  std::string baseTable(const std::string &T) const {
    auto It = Derived.find(T);
    return It == Derived.end() ? T : It->second.Base;
  }
  LV lowerMerge(const CallExpr &E, const Expr *X, const Expr *Y,
                const Expr *By);
  // The stdlib's functions, parsed once.
  SourceMgr StdSM;
  std::unique_ptr<Program> StdProg;
  std::map<std::string, const FunctionExpr *> Stdlib;
  std::set<const FunctionExpr *> Inlining;
  SMLoc CallSiteLoc; // set while inlining the stdlib
  const CallExpr *UserCall = nullptr; // the user's call being inlined
};

void Lowerer::loadStdlib() {
  unsigned ID = StdSM.AddNewSourceBuffer(
      MemoryBuffer::getMemBuffer(StdlibText, "stdlib/stats.sstat"), SMLoc());
  DiagnosticEngine StdDiags(StdSM);
  StdProg = parseBuffer(StdSM, ID, StdDiags);
  for (const ExprPtr &S : StdProg->Stmts)
    if (auto *A = dyn_cast<AssignExpr>(S.get()))
      if (auto *Id = dyn_cast<IdentExpr>(A->getTarget()))
        if (auto *F = dyn_cast<FunctionExpr>(A->getValue()))
          Stdlib[Id->getName()] = F;
}

void Lowerer::assignedNames(const Expr &E, std::set<std::string> &Out) {
  std::function<void(const Expr &)> Visit = [&](const Expr &X) {
    switch (X.getKind()) {
    case Expr::AssignKind: {
      const auto &A = cast<AssignExpr>(X);
      const Expr *T = A.getTarget();
      while (auto *I = dyn_cast<IndexExpr>(T))
        T = I->getBase();
      if (auto *D = dyn_cast<DollarExpr>(T))
        T = D->getBase();
      if (auto *Id = dyn_cast<IdentExpr>(T))
        Out.insert(Id->getName());
      Visit(*A.getValue());
      return;
    }
    case Expr::BlockKind:
      for (const ExprPtr &S : cast<BlockExpr>(X).getStmts())
        Visit(*S);
      return;
    case Expr::IfKind:
      Visit(*cast<IfExpr>(X).getThen());
      if (cast<IfExpr>(X).getElse())
        Visit(*cast<IfExpr>(X).getElse());
      return;
    case Expr::ForKind:
      Out.insert(cast<ForExpr>(X).getVar());
      Visit(*cast<ForExpr>(X).getBody());
      return;
    case Expr::WhileKind:
      Visit(*cast<WhileExpr>(X).getBody());
      return;
    case Expr::RepeatKind:
      Visit(*cast<RepeatExpr>(X).getBody());
      return;
    default:
      return; // function bodies have their own scope
    }
  };
  Visit(E);
}

LV Lowerer::column(const std::string &Table, const std::string &Col,
                   const Expr &E) {
  if (auto D = Derived.find(Table); D != Derived.end()) {
    auto C = D->second.Columns.find(Col);
    if (C == D->second.Columns.end())
      unsupported(E, "this column of a merge()");
    return C->second;
  }
  auto Key = std::make_pair(Table, Col);
  auto It = ColumnCache.find(Key);
  if (It != ColumnCache.end())
    return It->second;
  const InputTable *T = nullptr;
  for (const InputTable &I : M.Inputs)
    if (I.Name == Table)
      T = &I;
  const InputTable::Column *C = nullptr;
  if (T)
    for (const auto &X : T->Columns)
      if (X.Name == Col)
        C = &X;
  const bool IsKey = !C && T && !T->Key.empty() && T->Key == Col;
  if (!C && !IsKey)
    unsupported(E, "this column");
  if (C && C->Kind == "key")
    unsupported(E, "a key column");
  Dim N = Dim::sym("n." + Table);
  // A factor arrives one-hot encoded by its owner: an n x k logical matrix,
  // so that comparisons with a level and counts are local operations.
  Type Ty = IsKey ? Type::vector(Sec::Secret, Elem::Int, 0, N)
            : C->Kind == "factor"
                ? Type::matrix(Sec::Secret, Elem::Bool, 0, N,
                               Dim::constant(int64_t(C->Levels.size())))
            : C->Kind == "num" ? fix(Sec::Secret, 1, N)
            : C->Kind == "int" ? Type::vector(Sec::Secret, Elem::Int, 0, N)
                               : Type::vector(Sec::Secret, Elem::Bool, 0, N);
  std::map<std::string, Attr> Attrs = {{"table", Table}, {"column", Col}};
  // Inputs are loaded once, at the start of the program, whatever loop or
  // branch first reads them: so the cached value dominates every use.
  Block *Saved = B;
  B = &M.body().block();
  struct Restore {
    Block *&B;
    Block *Saved;
    ~Restore() { B = Saved; }
  } R0{B, Saved};
  auto EmitAtTop = [&](OpCode C, Type T) {
    auto O = std::make_unique<Op>(C, CallSiteLoc.isValid() ? CallSiteLoc
                                                           : E.getBeginLoc());
    ir::Value *Res = O->addResult(std::move(T));
    O->Attrs = Attrs;
    Block &Main = M.body().block();
    Op *Before = nullptr;
    for (auto &X : Main.ops())
      if (X->code() != OpCode::Input && X->code() != OpCode::InputValid) {
        Before = X.get();
        break;
      }
    if (Before)
      Main.insertBefore(Before, std::move(O));
    else
      Main.append(std::move(O));
    return Res;
  };
  ir::Value *V = EmitAtTop(OpCode::Input, Ty);
  ir::Value *Valid = nullptr;
  bool MayBeNA = false;
  for (const InputDecl &D : Checked.Inputs)
    if (D.Name == Table)
      for (const Column &X : D.Columns)
        if (X.Name == Col)
          MayBeNA = X.MayBeNA;
  if (MayBeNA)
    Valid = EmitAtTop(OpCode::InputValid,
                      Type::vector(Sec::Secret, Elem::Int, 0, N));
  LV R = LV::val(V, Valid);
  if (C && C->Kind == "factor")
    R.Levels = C->Levels;
  ColumnCache[Key] = R;
  return R;
}

LV Lowerer::lower(const Expr &E) {
  SMLoc L = E.getBeginLoc();
  switch (E.getKind()) {
  case Expr::NumberKind: {
    const auto &N = cast<NumberExpr>(E);
    double V = N.getValue();
    bool Int = N.isInteger() || (V == std::floor(V) && std::fabs(V) < 9.0e15);
    return LV::val(constant(
        V, Int ? Type::scalar(Sec::Public, Elem::Int)
               : Type::scalar(Sec::Public, Elem::Fix, M.FracBits),
        L));
  }
  case Expr::StringKind: {
    LV S;
    S.K = LV::Str;
    S.Name = cast<StringExpr>(E).getValue();
    return S;
  }
  case Expr::ConstKind:
    switch (cast<ConstExpr>(E).getWhich()) {
    case ConstExpr::True:
    case ConstExpr::False:
      return LV::val(constant(cast<ConstExpr>(E).getWhich() == ConstExpr::True,
                              Type::scalar(Sec::Public, Elem::Bool), L));
    case ConstExpr::Null:
      return LV();
    default:
      unsupported(E, "this constant");
    }
  case Expr::IdentKind: {
    if (LV *V = Cur->find(cast<IdentExpr>(E).getName()))
      return *V;
    unsupported(E, "this name");
  }
  case Expr::UnaryKind: {
    const auto &U = cast<UnaryExpr>(E);
    if (U.getOp() == UnaryOp::Tilde) {
      LV F;
      F.K = LV::Formula;
      return F;
    }
    LV X = lower(*U.getOperand());
    if (X.K != LV::Val)
      unsupported(E, "this operand");
    if (U.getOp() == UnaryOp::Plus)
      return X;
    if (U.getOp() == UnaryOp::Not) {
      ir::Value *Bv = toBool(X.V, L);
      if (auto C = constOf(Bv))
        return LV::val(constant(*C == 0, Bv->type(), L), X.Valid);
      return LV::val(emit(OpCode::Not, {Bv}, Bv->type(), L), X.Valid);
    }
    ir::Value *V = X.V;
    if (V->type().E == Elem::Bool)
      V = convert(V, Elem::Int, L);
    if (auto C = constOf(V))
      return LV::val(constant(-*C, V->type(), L));
    return LV::val(emit(OpCode::Neg, {V}, V->type(), L), X.Valid);
  }
  case Expr::BinaryKind: {
    const auto &Bx = cast<BinaryExpr>(E);
    BinaryOp Op = Bx.getOp();
    if (Op == BinaryOp::Tilde) {
      LV F;
      F.K = LV::Formula;
      return F;
    }
    LV A = lower(*Bx.getLHS()), C = lower(*Bx.getRHS());
    if ((Op == BinaryOp::Eq || Op == BinaryOp::Ne) && A.K == LV::Str &&
        C.K == LV::Str)
      return LV::val(constant((A.Name == C.Name) == (Op == BinaryOp::Eq),
                              Type::scalar(Sec::Public, Elem::Bool), L));
    // factor == "level": the level's column of the one-hot matrix.
    if ((Op == BinaryOp::Eq || Op == BinaryOp::Ne) &&
        ((!A.Levels.empty() && C.K == LV::Str) ||
         (!C.Levels.empty() && A.K == LV::Str))) {
      const LV &F = A.Levels.empty() ? C : A;
      const std::string &Level = A.Levels.empty() ? A.Name : C.Name;
      auto It = std::find(F.Levels.begin(), F.Levels.end(), Level);
      if (It == F.Levels.end())
        unsupported(E, "comparing with an unknown level");
      Type T = F.V->type();
      T.Rank = 1;
      ir::Value *Col =
          emit(OpCode::Column, {F.V}, T, L,
               {{"index", int64_t(It - F.Levels.begin())}});
      if (Op == BinaryOp::Ne)
        Col = emit(OpCode::Not, {Col}, T, L);
      return LV::val(Col, F.Valid);
    }
    if (A.K != LV::Val || C.K != LV::Val)
      unsupported(E, ("operator '" + Bx.getOpSpelling() + "' on these operands")
                         .str());
    ir::Value *Valid = mask(A.Valid, C.Valid, L);
    ir::Value *R = nullptr;
    switch (Op) {
    case BinaryOp::Add:
    case BinaryOp::Sub:
    case BinaryOp::Mul:
    case BinaryOp::Div:
    case BinaryOp::Pow:
      R = arith(Op, A.V, C.V, L);
      break;
    case BinaryOp::Lt:
    case BinaryOp::Gt:
    case BinaryOp::Le:
    case BinaryOp::Ge:
    case BinaryOp::Eq:
    case BinaryOp::Ne:
      R = compare(Op, A.V, C.V, L);
      break;
    case BinaryOp::And:
    case BinaryOp::AndAnd:
    case BinaryOp::Or:
    case BinaryOp::OrOr: {
      ir::Value *X = toBool(A.V, L), *Y = toBool(C.V, L);
      Type T = shapeOf(X->type(), Y->type());
      T.S = joinSec(X->type(), Y->type());
      bool IsAnd = Op == BinaryOp::And || Op == BinaryOp::AndAnd;
      auto CX = constOf(X), CY = constOf(Y);
      if (CX && CY && T.Rank == 0)
        R = constant(IsAnd ? (*CX && *CY) : (*CX || *CY), T, L);
      else
        R = emit(IsAnd ? OpCode::And : OpCode::Or, {X, Y}, T, L);
      break;
    }
    case BinaryOp::MatMul: {
      ir::Value *X = A.V, *Y = C.V;
      // A vector is a column on the right and a row on the left (R's).
      if (Y->type().Rank == 1)
        Y = asColumn(Y, L);
      if (X->type().Rank == 1) {
        ir::Value *Col = asColumn(X, L);
        Type T = Col->type();
        std::swap(T.D[0], T.D[1]);
        X = emit(OpCode::Transpose, {Col}, T, L);
      }
      if (X->type().Rank != 2 || Y->type().Rank != 2)
        unsupported(E, "'%*%' on scalars");
      Type T = Type::matrix(joinSec(X->type(), Y->type()), Elem::Fix,
                            M.FracBits, X->type().D[0], Y->type().D[1]);
      X = convert(X, Elem::Fix, L);
      Y = convert(Y, Elem::Fix, L);
      T.Scale = uint8_t(2 * M.FracBits);
      ir::Value *P = emit(OpCode::MatMul, {X, Y}, T, L);
      Type TT = T;
      TT.Scale = uint8_t(M.FracBits);
      R = emit(OpCode::Trunc, {P}, TT, L, {{"bits", int64_t(M.FracBits)}});
      break;
    }
    default:
      break;
    }
    if (!R)
      unsupported(E, ("operator '" + Bx.getOpSpelling() + "'").str());
    return LV::val(R, Valid);
  }
  case Expr::AssignKind: {
    const auto &A = cast<AssignExpr>(E);
    const Expr *T = A.getTarget();
    if (auto *Id = dyn_cast<IdentExpr>(T)) {
      if (auto *C = dyn_cast<CallExpr>(A.getValue());
          C && C->getCalleeName() == "input_table") {
        for (const InputDecl &D : Checked.Inputs)
          if (D.Name == Id->getName()) {
            InputTable IT;
            IT.Name = D.Name;
            IT.Parties = D.Parties;
            IT.Key = D.Key;
            for (const Column &Col : D.Columns) {
              InputTable::Column C2;
              C2.Name = Col.Name;
              C2.Kind = Col.Elem == ElemType::Num      ? "num"
                        : Col.Elem == ElemType::Int    ? "int"
                        : Col.Elem == ElemType::Bool   ? "bool"
                        : Col.Elem == ElemType::Factor ? "factor"
                                                       : "key";
              C2.Lo = Col.Lo;
              C2.Hi = Col.Hi;
              C2.Levels = Col.Levels;
              C2.MayBeNA = Col.MayBeNA;
              IT.Columns.push_back(C2);
            }
            M.Inputs.push_back(IT);
          }
        LV Tab;
        Tab.K = LV::Table;
        Tab.Name = Id->getName();
        Cur->Vars[Id->getName()] = Tab;
        return LV();
      }
      LV V = lower(*A.getValue());
      if (V.K == LV::Val && V.V->Hint.empty())
        V.V->Hint = Id->getName();
      Cur->Vars[Id->getName()] = V;
      return V;
    }
    if (auto *I = dyn_cast<IndexExpr>(T)) {
      auto *Id = dyn_cast<IdentExpr>(I->getBase());
      LV *Old = Id ? Cur->find(Id->getName()) : nullptr;
      if (!Old || Old->K != LV::Val || I->getArgs().size() != 1 ||
          !I->getArgs()[0].Value || Old->V->type().Rank != 1)
        unsupported(E, "this kind of element assignment");
      ir::Value *Idx = convert(value(*I->getArgs()[0].Value), Elem::Int, L);
      ir::Value *V = value(*A.getValue());
      Type NT = Old->V->type();
      NT.S = joinSec(NT, V->type());
      if (V->type().E == Elem::Fix || NT.E == Elem::Fix)
        NT.E = Elem::Fix, NT.Scale = uint8_t(M.FracBits);
      ir::Value *Base = convert(Old->V, NT.E, L);
      if (NT.isSecret())
        Base = toSecret(Base, L);
      V = convert(V, NT.E, L);
      if (NT.isSecret())
        V = toSecret(V, L);
      ir::Value *R = emit(OpCode::Set, {Base, Idx, V}, NT, L);
      Cur->Vars[Id->getName()] = LV::val(R);
      return LV::val(V);
    }
    unsupported(E, "this kind of assignment");
  }
  case Expr::CallKind:
    return lowerCall(cast<CallExpr>(E));
  case Expr::IndexKind: {
    const auto &I = cast<IndexExpr>(E);
    LV Base = lower(*I.getBase());
    if (Base.K == LV::Table && I.getArgs().size() == 2 &&
        !I.getArgs()[0].Value && I.getArgs()[1].Value)
      if (auto *S = dyn_cast<StringExpr>(I.getArgs()[1].Value.get()))
        return column(Base.Name, S->getValue(), E);
    if (Base.K == LV::Table && I.getArgs().size() == 2 &&
        !I.getArgs()[0].Value && I.getArgs()[1].Value)
      if (auto *C = dyn_cast<CallExpr>(I.getArgs()[1].Value.get());
          C && C->getCalleeName() == "c") {
        // Several numeric columns: an n x k matrix (and its NA mask).
        std::vector<ir::Value *> Cols, Masks;
        bool AnyMask = false;
        for (const Arg &A : C->getArgs()) {
          auto *S = A.Value ? dyn_cast<StringExpr>(A.Value.get()) : nullptr;
          if (!S)
            unsupported(E, "this column selection");
          LV Col = column(Base.Name, S->getValue(), E);
          if (!Col.Levels.empty())
            unsupported(E, "a factor column in a matrix");
          Cols.push_back(convert(Col.V, Elem::Fix, L));
          Masks.push_back(Col.Valid);
          AnyMask |= Col.Valid != nullptr;
        }
        Type T = fix(Sec::Secret, 2, Cols[0]->type().D[0],
                     Dim::constant(int64_t(Cols.size())));
        ir::Value *Mat = emit(OpCode::ColBind, Cols, T, L);
        ir::Value *Valid = nullptr;
        if (AnyMask) {
          std::vector<ir::Value *> Ms;
          for (size_t K = 0; K < Masks.size(); ++K)
            Ms.push_back(Masks[K] ? Masks[K]
                                  : constant(1,
                                             Type::vector(Sec::Public,
                                                          Elem::Int, 0,
                                                          T.D[0]),
                                             L));
          for (ir::Value *&Mv : Ms)
            Mv = toSecret(Mv, L);
          Valid = emit(OpCode::ColBind, Ms,
                       Type::matrix(Sec::Secret, Elem::Int, 0, T.D[0],
                                    T.D[1]),
                       L);
          for (ir::Value *Mk : Masks)
            if (Mk && AbsentMasks.count(Mk))
              AbsentMasks.insert(Valid);
        }
        LV Out = LV::val(Mat, Valid);
        for (const Arg &A : C->getArgs())
          Out.ColNames.push_back(cast<StringExpr>(A.Value.get())->getValue());
        return Out;
      }
    if (Base.K == LV::Table && I.getArgs().size() == 1 && I.isDouble() &&
        I.getArgs()[0].Value)
      if (auto *S = dyn_cast<StringExpr>(I.getArgs()[0].Value.get()))
        return column(Base.Name, S->getValue(), E);
    if (Base.K != LV::Val || Base.V->type().Rank != 1 ||
        I.getArgs().size() != 1 || !I.getArgs()[0].Value)
      unsupported(E, "this kind of indexing");
    ir::Value *Idx = value(*I.getArgs()[0].Value);
    if (Idx->type().Rank != 0 || Idx->type().E == Elem::Bool)
      unsupported(E, "indexing by a vector or a logical mask");
    Idx = convert(Idx, Elem::Int, L);
    Type T = Base.V->type();
    T.Rank = 0;
    ir::Value *Valid = nullptr;
    if (Base.Valid) {
      Type VT = Base.Valid->type();
      VT.Rank = 0;
      Valid = emit(OpCode::Get, {Base.Valid, Idx}, VT, L);
    }
    return LV::val(emit(OpCode::Get, {Base.V, Idx}, T, L), Valid);
  }
  case Expr::DollarKind: {
    const auto &D = cast<DollarExpr>(E);
    LV Base = lower(*D.getBase());
    if (Base.K == LV::Model && Base.View == "glm") {
      if (D.getName() == "converged" && Base.Lm->Converged)
        return LV::val(Base.Lm->Converged);
      if (D.getName() == "iter")
        return LV::val(intConst(double(Base.Lm->Iterations), L));
      if (D.getName() == "coefficients")
        return LV::val(Base.Lm->Coef);
      unsupported(E, "this component of a glm (use summary(), coef(), "
                     "$converged or $iter)");
    }
    if (Base.K == LV::Model && Base.View == "lm" &&
        D.getName() == "coefficients")
      return LV::val(Base.Lm->Coef);
    if (Base.K != LV::Table)
      unsupported(E, "'$' on this value");
    return column(Base.Name, D.getName(), E);
  }
  case Expr::FunctionKind: {
    LV F;
    F.K = LV::Fn;
    F.Fun = &cast<FunctionExpr>(E);
    F.Closure = Cur;
    return F;
  }
  case Expr::BlockKind: {
    LV Last;
    for (const ExprPtr &S : cast<BlockExpr>(E).getStmts())
      Last = lower(*S);
    return Last;
  }
  case Expr::IfKind:
    return lowerIf(cast<IfExpr>(E));
  case Expr::ForKind:
    return lowerFor(cast<ForExpr>(E));
  case Expr::WhileKind:
    unsupported(E, "a 'while' loop");
  case Expr::RepeatKind:
    unsupported(E, "a 'repeat' loop");
  case Expr::BreakKind:
  case Expr::NextKind:
    unsupported(E, "'break' and 'next'");
  case Expr::ErrorKind:
    throw LowerError();
  }
  throw LowerError();
}

LV Lowerer::lowerIf(const IfExpr &E) {
  SMLoc L = E.getBeginLoc();
  ir::Value *C = toBool(value(*E.getCond()), L);
  if (auto K = constOf(C)) {
    if (*K != 0)
      return lower(*E.getThen());
    return E.getElse() ? lower(*E.getElse()) : LV();
  }
  // The variables either branch assigns that exist before the if: they
  // become the if's results.
  std::set<std::string> Names;
  assignedNames(*E.getThen(), Names);
  if (E.getElse())
    assignedNames(*E.getElse(), Names);
  std::vector<std::string> Carried;
  for (const std::string &N : Names)
    if (auto It = Cur->Vars.find(N);
        It != Cur->Vars.end() && It->second.K == LV::Val)
      Carried.push_back(N);

  auto IfOp = std::make_unique<Op>(OpCode::If, L);
  IfOp->addOperand(C);
  Block *Outer = B;
  std::map<std::string, LV> Before = Cur->Vars;
  std::vector<std::vector<ir::Value *>> Yields(2);
  std::vector<LV> Values(2);
  for (unsigned R = 0; R < 2; ++R) {
    B = &IfOp->addRegion().block();
    Cur->Vars = Before;
    const Expr *Branch = R == 0 ? E.getThen() : E.getElse();
    if (Branch)
      Values[R] = lower(*Branch);
    for (const std::string &N : Carried) {
      LV &V = Cur->Vars[N];
      if (V.K != LV::Val || V.Valid)
        unsupported(E, "this variable's assignment in a branch");
      Yields[R].push_back(V.V);
    }
  }
  // The if's own value, when both branches give one.
  bool HasValue = Values[0].K == LV::Val && Values[1].K == LV::Val &&
                  !Values[0].Valid && !Values[1].Valid;
  if (HasValue) {
    Yields[0].push_back(Values[0].V);
    Yields[1].push_back(Values[1].V);
  }
  // Result types: join the labels and element types of both branches.
  std::vector<Type> Types;
  for (size_t I = 0; I < Yields[0].size(); ++I) {
    const Type &TA = Yields[0][I]->type(), &TB = Yields[1][I]->type();
    if (TA.Rank != TB.Rank || TA.D[0] != TB.D[0] || TA.D[1] != TB.D[1])
      unsupported(E, "a variable whose shape differs between the branches");
    Type T = TA;
    T.S = joinSec(TA, TB);
    if (TA.E != TB.E) {
      T.E = (TA.E == Elem::Fix || TB.E == Elem::Fix) ? Elem::Fix : Elem::Int;
      T.Scale = T.E == Elem::Fix ? uint8_t(M.FracBits) : 0;
    }
    Types.push_back(T);
  }
  for (unsigned R = 0; R < 2; ++R) {
    B = &IfOp->region(R).block();
    auto Y = std::make_unique<Op>(OpCode::Yield, L);
    for (size_t I = 0; I < Yields[R].size(); ++I) {
      ir::Value *V = convert(Yields[R][I], Types[I].E, L);
      if (Types[I].isSecret())
        V = toSecret(V, L);
      Y->addOperand(V);
    }
    B->append(std::move(Y));
  }
  B = Outer;
  Cur->Vars = Before;
  for (const Type &T : Types)
    IfOp->addResult(T);
  Op *Placed = B->append(std::move(IfOp));
  for (size_t I = 0; I < Carried.size(); ++I) {
    Placed->result(unsigned(I))->Hint = Carried[I];
    Cur->Vars[Carried[I]] = LV::val(Placed->result(unsigned(I)));
  }
  if (HasValue)
    return LV::val(Placed->result(unsigned(Carried.size())));
  return LV();
}

LV Lowerer::lowerFor(const ForExpr &E) {
  SMLoc L = E.getBeginLoc();
  // for (i in a:b) and for (i in seq_len(n)).
  ir::Value *Lo = nullptr, *Hi = nullptr;
  const Expr *Seq = E.getSeq();
  if (auto *R = dyn_cast<BinaryExpr>(Seq); R && R->getOp() == BinaryOp::Range) {
    Lo = convert(value(*R->getLHS()), Elem::Int, L);
    Hi = convert(value(*R->getRHS()), Elem::Int, L);
  } else if (auto *C = dyn_cast<CallExpr>(Seq);
             C && C->getCalleeName() == "seq_len" && C->getArgs().size() == 1) {
    Lo = intConst(1, L);
    Hi = convert(value(*C->getArgs()[0].Value), Elem::Int, L);
  } else {
    unsupported(*Seq, "a 'for' loop over anything but a:b or seq_len(n)");
  }
  if (auto CL = constOf(Lo), CH = constOf(Hi); CL && CH && *CL > *CH) {
    // seq_len(0) runs no iteration; R's a:b with a > b counts down.
    if (isa<CallExpr>(Seq))
      return LV();
    unsupported(*Seq, "a decreasing range in a 'for' loop");
  }

  std::set<std::string> Names;
  assignedNames(*E.getBody(), Names);
  std::vector<std::string> Carried;
  for (const std::string &N : Names)
    if (auto It = Cur->Vars.find(N);
        N != E.getVar() && It != Cur->Vars.end() && It->second.K == LV::Val) {
      if (It->second.Valid)
        unsupported(E, "a loop-carried value with missing entries");
      Carried.push_back(N);
    }

  std::map<std::string, LV> Before = Cur->Vars;
  std::vector<Type> Types;
  for (const std::string &N : Carried)
    Types.push_back(Before[N].V->type());
  Block *Outer = B;
  // Lower the body with the carried types; if an iteration changes a type
  // (a public accumulator turning secret), widen and lower again.
  for (unsigned Round = 0;; ++Round) {
    auto ForOp = std::make_unique<Op>(OpCode::For, L);
    Block &Body = ForOp->addRegion().block();
    ir::Value *I = Body.addArgument(Type::scalar(Sec::Public, Elem::Int));
    I->Hint = E.getVar();
    Cur->Vars = Before;
    Cur->Vars[E.getVar()] = LV::val(I);
    for (size_t K = 0; K < Carried.size(); ++K) {
      ir::Value *A = Body.addArgument(Types[K]);
      A->Hint = Carried[K];
      Cur->Vars[Carried[K]] = LV::val(A);
    }
    B = &Body;
    lower(*E.getBody());
    bool Changed = false;
    std::vector<ir::Value *> Out;
    for (size_t K = 0; K < Carried.size(); ++K) {
      LV &V = Cur->Vars[Carried[K]];
      if (V.K != LV::Val || V.Valid)
        unsupported(E, "this variable's assignment in a loop");
      const Type &T = V.V->type();
      if (T.Rank != Types[K].Rank || T.D[0] != Types[K].D[0])
        unsupported(E, "a variable whose shape changes in a loop");
      Type J = Types[K];
      if (T.isSecret() && !J.isSecret())
        J.S = Sec::Secret, Changed = true;
      if (T.E != J.E && !(J.E == Elem::Fix)) {
        J.E = (T.E == Elem::Fix || J.E == Elem::Fix) ? Elem::Fix : Elem::Int;
        J.Scale = J.E == Elem::Fix ? uint8_t(M.FracBits) : 0;
        Changed = true;
      }
      Types[K] = J;
      Out.push_back(V.V);
    }
    if (Changed && Round < 4) {
      B = Outer; // drop this attempt (ForOp is destroyed) and retry
      continue;
    }
    auto Y = std::make_unique<Op>(OpCode::Yield, L);
    for (size_t K = 0; K < Out.size(); ++K) {
      ir::Value *V = convert(Out[K], Types[K].E, L);
      if (Types[K].isSecret())
        V = toSecret(V, L);
      Y->addOperand(V);
    }
    Body.append(std::move(Y));
    B = Outer;
    Cur->Vars = Before;
    ForOp->addOperand(Lo);
    ForOp->addOperand(Hi);
    for (size_t K = 0; K < Carried.size(); ++K) {
      ir::Value *Init = convert(Before[Carried[K]].V, Types[K].E, L);
      if (Types[K].isSecret())
        Init = toSecret(Init, L);
      ForOp->addOperand(Init);
      ForOp->addResult(Types[K])->Hint = Carried[K];
    }
    Op *Placed = B->append(std::move(ForOp));
    for (size_t K = 0; K < Carried.size(); ++K)
      Cur->Vars[Carried[K]] = LV::val(Placed->result(unsigned(K)));
    return LV();
  }
}

LV Lowerer::lowerCall(const CallExpr &E) {
  StringRef Name = E.getCalleeName();
  if (Name.empty())
    unsupported(E, "calling a computed function");
  if (LV *F = Cur->find(Name.str()); F && F->K == LV::Fn)
    return inlineFunction(E, *F->Fun, F->Closure, Name);
  if (Name == "t.test" && !E.getArgs().empty() && E.getArgs()[0].Value &&
      Checked.Designs.count(E.getArgs()[0].Value.get()))
    return lowerTTestFormula(E, *E.getArgs()[0].Value);
  auto It = Stdlib.find(Name.str());
  if (It != Stdlib.end()) {
    SMLoc Saved = CallSiteLoc;
    const CallExpr *SavedCall = UserCall;
    if (!CallSiteLoc.isValid()) {
      CallSiteLoc = E.getBeginLoc();
      UserCall = &E;
    }
    LV R = inlineFunction(E, *It->second, &Globals, Name);
    CallSiteLoc = Saved;
    UserCall = SavedCall;
    return R;
  }
  return lowerBuiltin(E, Name);
}

LV Lowerer::inlineFunction(const CallExpr &E, const FunctionExpr &F,
                           Scope *Closure, StringRef Name) {
  if (Inlining.count(&F))
    unsupported(E, "recursion");
  // Match arguments like the checker: names first, then positions.
  const auto &Params = F.getParams();
  std::vector<const Arg *> Slots(Params.size(), nullptr);
  for (const Arg &A : E.getArgs())
    if (A.Name)
      for (size_t I = 0; I < Params.size(); ++I)
        if (Params[I].Name == *A.Name)
          Slots[I] = &A;
  size_t Next = 0;
  for (const Arg &A : E.getArgs()) {
    if (A.Name)
      continue;
    while (Next < Params.size() && Slots[Next])
      ++Next;
    if (Next < Params.size())
      Slots[Next++] = &A;
  }
  std::vector<LV> Args(Params.size());
  for (size_t I = 0; I < Params.size(); ++I)
    if (Slots[I] && Slots[I]->Value)
      Args[I] = lower(*Slots[I]->Value);
  // A merge()'s columns keep rows without a match as absent: statistics
  // of them use the matched rows, as R's inner join would, which is what
  // na.rm = TRUE and use = "complete.obs" do with the mask.
  bool Absent = false;
  for (const LV &A : Args)
    Absent |= isAbsent(A);
  auto Frame = std::make_unique<Scope>();
  Frame->Parent = Closure;
  Scope *Saved = Cur;
  Cur = Frame.get();
  for (size_t I = 0; I < Params.size(); ++I) {
    if (Absent && !Slots[I] && Params[I].Name == "na.rm") {
      Cur->Vars[Params[I].Name] = LV::val(
          constant(1, Type::scalar(Sec::Public, Elem::Bool), E.getBeginLoc()));
      continue;
    }
    if (Absent && !Slots[I] && Params[I].Name == "use") {
      LV S;
      S.K = LV::Str;
      S.Name = "complete.obs";
      Cur->Vars[Params[I].Name] = S;
      continue;
    }
    if (Slots[I] && Slots[I]->Value)
      Cur->Vars[Params[I].Name] = Args[I];
    else if (Params[I].Default)
      Cur->Vars[Params[I].Name] = lower(*Params[I].Default);
    else
      Cur->Vars[Params[I].Name] = LV();
  }
  Inlining.insert(&F);
  // `return(x)` is supported as the last expression of the body.
  const Expr *Body = F.getBody();
  LV R;
  if (auto *Bl = dyn_cast<BlockExpr>(Body)) {
    const auto &S = Bl->getStmts();
    for (size_t I = 0; I < S.size(); ++I) {
      const Expr *X = S[I].get();
      if (auto *C = dyn_cast<CallExpr>(X); C && C->getCalleeName() == "return") {
        if (I + 1 != S.size())
          unsupported(*X, "return() before the end of a function");
        R = C->getArgs().empty() ? LV() : lower(*C->getArgs()[0].Value);
      } else {
        R = lower(*X);
      }
    }
  } else {
    R = lower(*Body);
  }
  Inlining.erase(&F);
  // A square result of a matrix of named columns (cov, cor) is named by
  // them in both dimensions, as R's.
  if (R.K == LV::Val && R.V->type().Rank == 2 && R.V->def() &&
      !R.V->def()->hasAttr("names")) {
    const Type &T = R.V->type();
    for (const LV &A : Args)
      if (!A.ColNames.empty() && T.D[0].K == Dim::Const &&
          T.D[0] == T.D[1] && T.D[0].N == int64_t(A.ColNames.size())) {
        R.V->def()->Attrs["names"] = A.ColNames;
        R.V->def()->Attrs["kind"] = std::string("matrix");
        R.V->def()->Attrs["meta"] = std::vector<std::string>{"dimnames"};
        break;
      }
  }
  Cur = Saved;
  Frames.push_back(std::move(Frame)); // closures may still refer to it
  (void)Name;
  return R;
}

LV Lowerer::lowerBuiltin(const CallExpr &E, StringRef Name) {
  SMLoc L = E.getBeginLoc();
  const auto &As = E.getArgs();
  auto ArgNamed = [&](StringRef N, size_t Pos) -> const Expr * {
    for (const Arg &A : As)
      if (A.Name && *A.Name == N)
        return A.Value.get();
    size_t K = 0;
    for (const Arg &A : As)
      if (!A.Name) {
        if (K == Pos)
          return A.Value.get();
        ++K;
      }
    return nullptr;
  };
  if (Name == "sum") {
    bool NaRm = false;
    for (const Arg &A : As)
      if (A.Name && *A.Name == "na.rm" && A.Value) {
        auto K = constOf(value(*A.Value));
        if (!K)
          unsupported(*A.Value, "a non-constant na.rm");
        NaRm = *K != 0;
      }
    ir::Value *Total = nullptr;
    for (const Arg &A : As) {
      if (A.Name)
        continue;
      LV X = lower(*A.Value);
      if (X.K != LV::Val)
        unsupported(*A.Value, "sum() of this value");
      if (X.Valid && !NaRm && !isAbsent(X))
        unsupported(*A.Value, "sum() of a value with missing entries");
      // Missing entries hold 0: dropping them is summing the values.
      ir::Value *V = X.V;
      if (V->type().E == Elem::Bool)
        V = convert(V, Elem::Int, L);
      Type T = V->type();
      T.Rank = 0;
      ir::Value *S = T == V->type() ? V : emit(OpCode::Sum, {V}, T, L);
      Total = Total ? arith(BinaryOp::Add, Total, S, L) : S;
    }
    if (!Total)
      return LV::val(intConst(0, L));
    return LV::val(Total);
  }
  if (Name == "length") {
    LV X = lower(*ArgNamed("x", 0));
    if (X.K == LV::Table)
      unsupported(E, "length() of a table");
    if (X.K != LV::Val)
      unsupported(E, "length() of this value");
    const Type &T = X.V->type();
    if (T.Rank == 0)
      return LV::val(intConst(1, L));
    if (T.Rank == 1 && T.D[0].K == Dim::Const)
      return LV::val(intConst(double(T.D[0].N), L));
    if (T.Rank == 1 && T.D[0].K == Dim::Sym && T.D[0].Name.rfind("n.", 0) == 0)
      return LV::val(emit(OpCode::NRows, {},
                          Type::scalar(Sec::Public, Elem::Int), L,
                          {{"table", T.D[0].Name.substr(2)}}));
    return LV::val(emit(OpCode::Length, {X.V},
                        Type::scalar(Sec::Public, Elem::Int), L));
  }
  if (Name == "ncol") {
    LV X = lower(*ArgNamed("x", 0));
    if (X.K == LV::Val && X.V->type().Rank == 2)
      return LV::val(dimValue(X.V->type().D[1], X.V, L));
    unsupported(E, "ncol() of this value");
  }
  if (Name == "nrow") {
    LV X = lower(*ArgNamed("x", 0));
    if (X.K == LV::Table && Derived.count(X.Name))
      return LV::val(emit(OpCode::Sum, {Derived.at(X.Name).Matched},
                          Type::scalar(Sec::Secret, Elem::Int), L));
    if (X.K == LV::Table)
      return LV::val(emit(OpCode::NRows, {},
                          Type::scalar(Sec::Public, Elem::Int), L,
                          {{"table", X.Name}}));
    if (X.K == LV::Val && X.V->type().Rank == 2)
      return LV::val(dimValue(X.V->type().D[0], X.V, L));
    unsupported(E, "nrow() of this value");
  }
  if (Name == "diag") {
    // diag(k): the k x k identity (a public constant).
    const Expr *XE = ArgNamed("x", 0);
    auto K = XE ? constOf(value(*XE)) : std::nullopt;
    if (!K || *K < 1 || *K > 4096 || *K != std::floor(*K))
      unsupported(E, "diag() of anything but a constant size");
    const int64_t D = int64_t(*K);
    ir::Value *Zero = intConst(0, L), *OneC = intConst(1, L);
    std::vector<ir::Value *> Cols;
    for (int64_t J = 0; J < D; ++J) {
      std::vector<ir::Value *> E1;
      for (int64_t I = 0; I < D; ++I)
        E1.push_back(I == J ? OneC : Zero);
      Cols.push_back(emit(OpCode::Concat, E1,
                          Type::vector(Sec::Public, Elem::Int, 0,
                                       Dim::constant(D)),
                          L));
    }
    return LV::val(emit(OpCode::ColBind, Cols,
                        Type::matrix(Sec::Public, Elem::Int, 0,
                                     Dim::constant(D), Dim::constant(D)),
                        L));
  }
  if (Name == "rep") {
    // rep(c, n): a public constant repeated n times, n a constant or a
    // table's row count.
    const Expr *XE = ArgNamed("x", 0), *TE = ArgNamed("times", 1);
    auto C = XE ? constOf(value(*XE)) : std::nullopt;
    if (!C || !TE)
      unsupported(E, "rep() of anything but a constant, a number of times");
    ir::Value *T = value(*TE);
    Dim D;
    if (auto K = constOf(T); K && *K >= 0 && *K == std::floor(*K))
      D = Dim::constant(int64_t(*K));
    else if (T->def() && T->def()->code() == OpCode::NRows)
      D = Dim::sym("n." + T->def()->strAttr("table"));
    else
      unsupported(*TE, "rep() a number of times known only at run time");
    bool Int = *C == std::floor(*C) && std::fabs(*C) < 9.0e15;
    return LV::val(constant(*C, Type::vector(Sec::Public, Int ? Elem::Int : Elem::Fix,
                                             Int ? 0 : M.FracBits, D),
                            L));
  }
  if (Name == "cumsum") {
    ir::Value *X = plainValue(*ArgNamed("x", 0), "cumsum");
    if (X->type().E == Elem::Bool)
      X = convert(X, Elem::Int, L);
    return LV::val(emit(OpCode::PrefixSum, {X}, X->type(), L));
  }
  if (Name == "is.null") {
    const Expr *X = ArgNamed("x", 0);
    auto *C = X ? dyn_cast<ConstExpr>(X) : nullptr;
    bool Null = !X || (C && C->getWhich() == ConstExpr::Null) ||
                lower(*X).K == LV::None;
    return LV::val(constant(Null, Type::scalar(Sec::Public, Elem::Bool), L));
  }
  if (Name == ".htest") {
    // .htest(kind, values): a test's sufficient statistics, which the
    // recipient turns into what R prints (docs/bytecode.md). The metadata
    // is the user's call's data description ("x and y", as R's htest).
    auto *KindE = dyn_cast_or_null<StringExpr>(ArgNamed("kind", 0));
    const Expr *VE = ArgNamed("values", 1);
    if (!KindE || !VE)
      unsupported(E, ".htest() without a kind and values");
    ir::Value *V = toSecret(convert(plainValue(*VE, ".htest"), Elem::Fix, L), L);
    auto Res = std::make_shared<LmModel>();
    Res->Stats = V;
    std::string Data;
    if (UserCall)
      for (const Arg &A : UserCall->getArgs())
        if (A.Value && (!A.Name || *A.Name == "x" || *A.Name == "y") &&
            !isa<StringExpr>(A.Value.get()) &&
            !isa<NumberExpr>(A.Value.get()) &&
            !isa<ConstExpr>(A.Value.get()))
          Data += (Data.empty() ? "" : " and ") + printSource(*A.Value);
    Res->Call = Data;
    Res->Meta = {Data};
    LV R;
    R.K = LV::Model;
    R.Lm = std::move(Res);
    R.View = KindE->getValue();
    return R;
  }
  if (Name == "is.matrix") {
    LV X = lower(*ArgNamed("x", 0));
    return LV::val(constant(X.K == LV::Val && X.V->type().Rank == 2,
                            Type::scalar(Sec::Public, Elem::Bool), L));
  }
  if (Name == ".colsums") {
    // ones(1 x n) %*% X: a public x secret product, local.
    LV X = lower(*ArgNamed("x", 0));
    if (X.K != LV::Val || X.Valid || X.V->type().Rank != 2)
      unsupported(E, ".colsums() of this value");
    const Type &T = X.V->type();
    ir::Value *Ones = constant(
        1, Type::matrix(Sec::Public, Elem::Int, 0, Dim::constant(1), T.D[0]),
        L);
    Type R = Type::matrix(T.S, T.E, T.Scale, Dim::constant(1), T.D[1]);
    return LV::val(emit(OpCode::MatMul, {Ones, X.V}, R, L));
  }
  if (Name == ".ones") {
    // An n x 1 public matrix of ones, n the rows of the given matrix.
    LV X = lower(*ArgNamed("x", 0));
    if (X.K != LV::Val || X.V->type().Rank != 2)
      unsupported(E, ".ones() of this value");
    return LV::val(constant(1,
                            Type::matrix(Sec::Public, Elem::Int, 0,
                                         X.V->type().D[0], Dim::constant(1)),
                            L));
  }
  if (Name == ".onesrow") {
    LV X = lower(*ArgNamed("x", 0));
    if (X.K != LV::Val || X.V->type().Rank != 2)
      unsupported(E, ".onesrow() of this value");
    return LV::val(constant(1,
                            Type::matrix(Sec::Public, Elem::Int, 0,
                                         Dim::constant(1), X.V->type().D[1]),
                            L));
  }
  if (Name == ".completerows") {
    // n x 1: 1 where no column of x is missing (the product of the masks).
    LV X = lower(*ArgNamed("x", 0));
    if (X.K != LV::Val || X.V->type().Rank != 2 ||
        X.V->type().D[1].K != Dim::Const)
      unsupported(E, ".completerows() of this value");
    const Type &T = X.V->type();
    if (!X.Valid)
      return LV::val(constant(1,
                              Type::matrix(Sec::Public, Elem::Int, 0, T.D[0],
                                           Dim::constant(1)),
                              L));
    Type CT = X.Valid->type();
    CT.Rank = 1;
    ir::Value *W = nullptr;
    for (int64_t J = 0; J < T.D[1].N; ++J) {
      ir::Value *Col =
          emit(OpCode::Column, {X.Valid}, CT, L, {{"index", J}});
      W = W ? arith(BinaryOp::Mul, W, Col, L) : Col;
    }
    Type R = Type::matrix(CT.S, Elem::Int, 0, T.D[0], Dim::constant(1));
    return LV::val(emit(OpCode::ColBind, {W}, R, L));
  }
  if (Name == ".diagrow") {
    // The diagonal of a k x k matrix (k known) as a 1 x k matrix.
    LV X = lower(*ArgNamed("x", 0));
    if (X.K != LV::Val || X.V->type().Rank != 2 ||
        X.V->type().D[1].K != Dim::Const)
      unsupported(E, ".diagrow() of this value");
    const Type &T = X.V->type();
    std::vector<ir::Value *> Parts;
    for (int64_t J = 0; J < T.D[1].N; ++J) {
      Type CT = T;
      CT.Rank = 1;
      ir::Value *Col = emit(OpCode::Column, {X.V}, CT, L, {{"index", J}});
      Type ST = T;
      ST.Rank = 0;
      Parts.push_back(emit(OpCode::Get, {Col, intConst(double(J + 1), L)}, ST, L));
    }
    Type R = Type::matrix(T.S, T.E, T.Scale, Dim::constant(1), T.D[1]);
    return LV::val(emit(OpCode::ColBind, Parts, R, L));
  }
  if (Name == "sqrt" || Name == "exp" || Name == "log") {
    if (ArgNamed("base", 1))
      unsupported(E, "log() with a base");
    LV X = lower(*ArgNamed("x", 0));
    if (X.K != LV::Val)
      unsupported(E, "this argument");
    ir::Value *V = convert(X.V, Elem::Fix, L);
    OpCode C = Name == "sqrt" ? OpCode::Sqrt
               : Name == "exp" ? OpCode::Exp
                               : OpCode::Log;
    if (auto K = constOf(V)) {
      double R = Name == "sqrt" ? std::sqrt(*K)
                 : Name == "exp" ? std::exp(*K)
                                 : std::log(*K);
      if (std::isfinite(R))
        return LV::val(constant(R, V->type(), L), X.Valid);
    }
    return LV::val(emit(C, {V}, V->type(), L), X.Valid);
  }
  if (Name == "abs") {
    LV X = lower(*ArgNamed("x", 0));
    ir::Value *V = X.V;
    if (V->type().E == Elem::Bool)
      V = convert(V, Elem::Int, L);
    ir::Value *Zero = constant(0, Type::scalar(Sec::Public, V->type().E,
                                               V->type().Scale),
                               L);
    ir::Value *Neg = compare(BinaryOp::Lt, V, Zero, L);
    ir::Value *Minus = emit(OpCode::Neg, {V}, V->type(), L);
    Type T = V->type();
    return LV::val(emit(OpCode::Select, {Neg, Minus, V}, T, L), X.Valid);
  }
  if (Name == "ifelse") {
    LV C = lower(*ArgNamed("test", 0)), Y = lower(*ArgNamed("yes", 1)),
       N = lower(*ArgNamed("no", 2));
    if (C.K != LV::Val || Y.K != LV::Val || N.K != LV::Val)
      unsupported(E, "ifelse() of these values");
    ir::Value *Cv = toBool(C.V, L);
    Elem El = (Y.V->type().E == Elem::Fix || N.V->type().E == Elem::Fix)
                  ? Elem::Fix
              : (Y.V->type().E == Elem::Bool && N.V->type().E == Elem::Bool)
                  ? Elem::Bool
                  : Elem::Int;
    ir::Value *Yv = convert(Y.V, El, L), *Nv = convert(N.V, El, L);
    Type T = Cv->type();
    T.E = El;
    T.Scale = El == Elem::Fix ? uint8_t(M.FracBits) : 0;
    T.S = joinSec(Cv->type(), joinSec(Yv->type(), Nv->type()) == Sec::Secret
                                  ? Yv->type().withSec(Sec::Secret)
                                  : Yv->type());
    if (auto K = constOf(Cv))
      return *K != 0 ? Y : N;
    ir::Value *Valid = mask(C.Valid, mask(Y.Valid, N.Valid, L), L);
    return LV::val(emit(OpCode::Select, {Cv, Yv, Nv}, T, L), Valid);
  }
  if (Name == "is.na") {
    LV X = lower(*ArgNamed("x", 0));
    if (X.K != LV::Val)
      unsupported(E, "is.na() of this value");
    Type T = X.V->type();
    T.E = Elem::Bool;
    T.Scale = 0;
    if (!X.Valid) {
      T.S = Sec::Public;
      return LV::val(constant(0, T, L));
    }
    ir::Value *Present = convert(X.Valid, Elem::Bool, L);
    return LV::val(emit(OpCode::Not, {Present}, Present->type(), L));
  }
  if (Name == ".values") {
    LV X = lower(*ArgNamed("x", 0));
    X.Valid = nullptr;
    return X;
  }
  if (Name == ".valid") {
    LV X = lower(*ArgNamed("x", 0));
    if (X.K != LV::Val)
      unsupported(E, ".valid() of this value");
    if (X.Valid)
      return LV::val(X.Valid);
    Type T = X.V->type();
    T.E = Elem::Int;
    T.Scale = 0;
    T.S = Sec::Public;
    return LV::val(constant(1, T, L));
  }
  if (Name == "c") {
    std::vector<ir::Value *> Parts;
    std::vector<std::string> Names;
    Elem El = Elem::Bool;
    Sec S = Sec::Public;
    int64_t Len = 0;
    bool Known = true;
    for (const Arg &A : As) {
      if (!A.Value)
        continue;
      LV X = lower(*A.Value);
      if (X.K == LV::None)
        continue;
      if (X.K != LV::Val || X.Valid || X.V->type().Rank > 1)
        unsupported(*A.Value, "this element of c()");
      Parts.push_back(X.V);
      Names.push_back(A.Name ? *A.Name : "");
      const Type &T = X.V->type();
      if (T.E == Elem::Fix || El == Elem::Fix)
        El = Elem::Fix;
      else if (T.E == Elem::Int)
        El = Elem::Int;
      if (T.isSecret())
        S = Sec::Secret;
      if (T.Rank == 0)
        ++Len;
      else if (T.D[0].K == Dim::Const)
        Len += T.D[0].N;
      else
        Known = false;
    }
    if (Parts.empty())
      return LV();
    Type T = Type::vector(S, El, El == Elem::Fix ? M.FracBits : 0,
                          Known ? Dim::constant(Len) : Dim::unknown());
    std::vector<ir::Value *> Ops;
    for (ir::Value *P : Parts) {
      ir::Value *V = convert(P, El, L);
      if (S == Sec::Secret)
        V = toSecret(V, L);
      Ops.push_back(V);
    }
    std::map<std::string, Attr> Attrs;
    bool AnyName = false;
    for (const std::string &N : Names)
      AnyName |= !N.empty();
    if (AnyName)
      Attrs["names"] = Names;
    return LV::val(emit(OpCode::Concat, Ops, T, L, Attrs));
  }
  if (Name == "table" || Name == "tapply") {
    // One-hot matrices: counts and group sums are matrix products with the
    // transposed indicator matrix (local when the other side is public).
    auto OneHot = [&](const Expr &X, std::vector<std::string> &Levels) {
      LV F = lower(X);
      if (F.K != LV::Val)
        unsupported(X, "this grouping variable");
      // A missing (or, after merge(), absent) row is in no group, as R's
      // table() drops NA: its one-hot row is zero (factors arrive so; a
      // logical's FALSE column is masked).
      if (!F.Levels.empty()) {
        Levels = F.Levels;
        return convert(F.V, Elem::Int, L);
      }
      if (F.V->type().E != Elem::Bool || F.V->type().Rank != 1)
        unsupported(X, "grouping by anything but a factor or a logical");
      Levels = {"FALSE", "TRUE"};
      ir::Value *No = convert(emit(OpCode::Not, {F.V}, F.V->type(), L),
                              Elem::Int, L);
      if (F.Valid)
        No = emit(OpCode::Mul, {No, F.Valid}, No->type(), L);
      Type T = Type::matrix(F.V->type().S, Elem::Int, 0, F.V->type().D[0],
                            Dim::constant(2));
      return emit(OpCode::ColBind, {No, convert(F.V, Elem::Int, L)}, T, L);
    };
    auto Transposed = [&](ir::Value *M) {
      Type T = M->type();
      std::swap(T.D[0], T.D[1]);
      return emit(OpCode::Transpose, {M}, T, L);
    };
    auto Ones = [&](const Dim &N) {
      return constant(1, Type::vector(Sec::Public, Elem::Int, 0, N), L);
    };
    auto GroupProduct = [&](ir::Value *Tr, ir::Value *X) {
      // Tr: k x n indicators; X: a vector of n.
      Type T = Type::vector(joinSec(Tr->type(), X->type()), X->type().E,
                            X->type().Scale, Tr->type().D[0]);
      return emit(OpCode::MatMul, {Tr, X}, T, L);
    };
    auto Named = [&](ir::Value *V, const std::vector<std::string> &Levels) {
      if (V->def())
        V->def()->Attrs["names"] = Levels;
      return LV::val(V);
    };
    if (Name == "table") {
      std::vector<const Expr *> Factors;
      int64_t MinCell = 0;
      for (const Arg &A : As) {
        if (A.Name && *A.Name == "min_cell") {
          auto K = constOf(value(*A.Value));
          if (!K || *K < 0 || *K != std::floor(*K) || *K > 1e9)
            unsupported(*A.Value, "a min_cell that is not a constant count");
          MinCell = int64_t(*K);
          continue;
        }
        if (A.Value)
          Factors.push_back(A.Value.get());
      }
      std::vector<std::string> LA, LB;
      ir::Value *MA = OneHot(*Factors[0], LA);
      ir::Value *TA = Transposed(MA);
      ir::Value *Counts;
      std::vector<std::string> Meta;
      if (Factors.size() == 1) {
        Counts = GroupProduct(TA, Ones(MA->type().D[0]));
        Meta = {"levels", std::to_string(LA.size())};
      } else {
        ir::Value *MB = OneHot(*Factors[1], LB);
        Type T = Type::matrix(joinSec(MA->type(), MB->type()), Elem::Int, 0,
                              Dim::constant(int64_t(LA.size())),
                              Dim::constant(int64_t(LB.size())));
        Counts = emit(OpCode::MatMul, {TA, MB}, T, L);
        Meta = {"levels", std::to_string(LA.size()), std::to_string(LB.size())};
      }
      if (MinCell > 0) {
        // Oblivious suppression: a cell below min_cell is replaced by -1
        // inside the computation, so publishing the table reveals only
        // that the cell is suppressed, not its count.
        const Type &CT = Counts->type();
        Type BT = CT;
        BT.E = Elem::Bool;
        ir::Value *Small =
            emit(OpCode::Lt, {Counts, intConst(double(MinCell), L)}, BT, L);
        Counts = emit(OpCode::Select,
                      {Small, intConst(-1, L), Counts}, CT, L);
        Meta.push_back("min_cell");
        Meta.push_back(std::to_string(MinCell));
      }
      std::vector<std::string> Names = LA;
      Names.insert(Names.end(), LB.begin(), LB.end());
      if (Counts->def()) {
        Counts->def()->Attrs["names"] = Names;
        Counts->def()->Attrs["kind"] = std::string("table");
        Counts->def()->Attrs["meta"] = Meta;
      }
      return LV::val(Counts);
    }
    // tapply(X, INDEX, FUN)
    const Expr *XE = ArgNamed("X", 0), *GE = ArgNamed("INDEX", 1),
               *FE = ArgNamed("FUN", 2);
    auto *FId = FE ? dyn_cast<IdentExpr>(FE) : nullptr;
    if (!XE || !GE || !FId)
      unsupported(E, "this call of tapply()");
    std::vector<std::string> Levels;
    ir::Value *Tr = Transposed(OneHot(*GE, Levels));
    bool NaRm = false;
    if (const Expr *NE = ArgNamed("na.rm", 3)) {
      auto K = constOf(value(*NE));
      if (!K)
        unsupported(*NE, "a non-constant na.rm");
      NaRm = *K != 0;
    }
    LV XL = lower(*XE);
    if (XL.K != LV::Val)
      unsupported(*XE, "tapply() of this value");
    if (XL.Valid && !NaRm && !isAbsent(XL))
      unsupported(*XE, "tapply() of a value with missing entries (na.rm = TRUE "
                       "drops them)");
    ir::Value *X = XL.V;
    if (X->type().E == Elem::Bool)
      X = convert(X, Elem::Int, L);
    // With na.rm, a missing entry holds 0: it adds nothing to the sums, and
    // the counts count the present entries (the 0/1 mask per group).
    ir::Value *Counts = GroupProduct(
        Tr, XL.Valid ? XL.Valid : Ones(X->type().D[0]));
    const std::string &Fn = FId->getName();
    if (Fn == "length")
      return Named(Counts, Levels);
    ir::Value *Sums = GroupProduct(Tr, X);
    if (Fn == "sum")
      return Named(Sums, Levels);
    ir::Value *Means = arith(BinaryOp::Div, Sums, Counts, L);
    if (Fn == "mean")
      return Named(Means, Levels);
    if (Fn == "var" || Fn == "sd") {
      ir::Value *SS = GroupProduct(Tr, arith(BinaryOp::Mul, X, X, L));
      ir::Value *Dev = arith(BinaryOp::Sub, SS, arith(BinaryOp::Mul, Means, Sums, L), L);
      ir::Value *Var = arith(BinaryOp::Div, Dev,
                             arith(BinaryOp::Sub, Counts, intConst(1, L), L), L);
      if (Fn == "var")
        return Named(Var, Levels);
      return Named(emit(OpCode::Sqrt, {Var}, Var->type(), L), Levels);
    }
    unsupported(*FE, "this FUN");
  }
  if (Name == "cbind") {
    std::vector<ir::Value *> Parts;
    bool AnyFix = false, AnySecret = false;
    Dim Rows = Dim::constant(1);
    for (const Arg &A : As) {
      if (!A.Value || A.Name)
        unsupported(E, "this argument of cbind()");
      LV X = lower(*A.Value);
      if (X.K != LV::Val || X.Valid || X.V->type().Rank > 1)
        unsupported(*A.Value, "this column of cbind()");
      const Type &T = X.V->type();
      AnyFix |= T.E == Elem::Fix;
      AnySecret |= T.isSecret();
      if (T.Rank == 1)
        Rows = T.D[0];
      Parts.push_back(X.V);
    }
    Elem El = AnyFix ? Elem::Fix : Elem::Int;
    std::vector<ir::Value *> Ops;
    for (ir::Value *V : Parts) {
      V = convert(V, El, L);
      if (AnySecret)
        V = toSecret(V, L);
      Ops.push_back(V);
    }
    Type T = Type::matrix(AnySecret ? Sec::Secret : Sec::Public, El,
                          El == Elem::Fix ? M.FracBits : 0, Rows,
                          Dim::constant(int64_t(Parts.size())));
    return LV::val(emit(OpCode::ColBind, Ops, T, L));
  }
  if (Name == "t" || Name == "crossprod") {
    LV X = lower(*ArgNamed("x", 0));
    if (X.K != LV::Val || X.Valid || X.V->type().Rank != 2)
      unsupported(E, (Name + "() of anything but a matrix").str());
    const Type &XT = X.V->type();
    Type TT = XT;
    TT.D[0] = XT.D[1];
    TT.D[1] = XT.D[0];
    ir::Value *Tr = emit(OpCode::Transpose, {X.V}, TT, L);
    if (Name == "t")
      return LV::val(Tr);
    ir::Value *Y = X.V;
    if (const Expr *YE = ArgNamed("y", 1)) {
      LV YL = lower(*YE);
      if (YL.K != LV::Val || YL.Valid || YL.V->type().Rank == 0)
        unsupported(E, "crossprod() of anything but matrices and vectors");
      Y = YL.V->type().Rank == 1 ? asColumn(YL.V, L) : YL.V;
    }
    ir::Value *A = convert(Tr, Elem::Fix, L), *Bm = convert(Y, Elem::Fix, L);
    Type PT = Type::matrix(joinSec(A->type(), Bm->type()), Elem::Fix,
                           2 * M.FracBits, TT.D[0], Y->type().D[1]);
    ir::Value *P = emit(OpCode::MatMul, {A, Bm}, PT, L);
    Type RT = PT;
    RT.Scale = uint8_t(M.FracBits);
    return LV::val(
        emit(OpCode::Trunc, {P}, RT, L, {{"bits", int64_t(M.FracBits)}}));
  }
  if (Name == "numeric" || Name == "integer" || Name == "logical") {
    const Expr *N = ArgNamed("length", 0);
    auto K = N ? constOf(value(*N)) : std::optional<double>(0);
    if (!K)
      unsupported(E, (Name + "() of a length known only at run time").str());
    Elem El = Name == "numeric" ? Elem::Fix
              : Name == "integer" ? Elem::Int
                                  : Elem::Bool;
    return LV::val(constant(0,
                            Type::vector(Sec::Public, El,
                                         El == Elem::Fix ? M.FracBits : 0,
                                         Dim::constant(int64_t(*K))),
                            L));
  }
  if (Name == "reveal") {
    LV X = lower(*ArgNamed("x", 0));
    if (X.K != LV::Val || X.Valid)
      unsupported(E, "reveal() of this value");
    if (!X.V->type().isSecret())
      return X;
    return LV::val(emit(OpCode::Reveal, {X.V}, X.V->type().withSec(Sec::Public),
                        L, {{"what", printSource(*ArgNamed("x", 0))}}));
  }
  if (Name == "lm") {
    const Expr *FE = ArgNamed("formula", 0);
    if (!FE)
      unsupported(E, "lm() without a formula");
    return lowerLm(E, *FE, ArgNamed("data", 1));
  }
  if (Name == "solve") {
    // R's solve(a, b) and solve(a) (the inverse) for a symmetric positive
    // definite a, by SOLVE (FixedPointLinalg.h's Cholesky): its result is
    // [a^-1 b | diag(a^-1)] at scale 2F; the first m columns, truncated.
    ir::Value *A = convert(plainValue(*ArgNamed("a", 0), "solve"), Elem::Fix, L);
    const Type &AT = A->type();
    if (AT.Rank != 2 || AT.D[0].K != Dim::Const || AT.D[1] != AT.D[0])
      unsupported(E, "solve() of a matrix whose size is not a constant");
    const int64_t D = AT.D[0].N;
    ir::Value *Bm = nullptr;
    bool Vector = false;
    if (const Expr *BE = ArgNamed("b", 1)) {
      Bm = convert(plainValue(*BE, "solve"), Elem::Fix, L);
      if (Bm->type().Rank == 1) {
        Vector = true;
        Type T = Bm->type();
        T.Rank = 2;
        T.D[1] = Dim::constant(1);
        Bm = emit(OpCode::ColBind, {Bm}, T, L);
      }
    } else {
      std::vector<ir::Value *> Unit;
      for (int64_t J = 0; J < D; ++J) {
        std::vector<ir::Value *> Col;
        for (int64_t I = 0; I < D; ++I)
          Col.push_back(constant(I == J, fix(Sec::Public), L));
        Unit.push_back(emit(OpCode::Concat, Col,
                            fix(Sec::Public, 1, Dim::constant(D)), L));
      }
      Bm = emit(OpCode::ColBind, Unit,
                fix(Sec::Public, 2, Dim::constant(D), Dim::constant(D)), L);
    }
    if (Bm->type().Rank != 2 || Bm->type().D[1].K != Dim::Const)
      unsupported(E, "solve() with this right-hand side");
    const int64_t Mm = Bm->type().D[1].N;
    Sec S = joinSec(AT, Bm->type());
    if (S == Sec::Secret) {
      A = toSecret(A, L);
      Bm = toSecret(Bm, L);
    }
    Type RT = fix(S, 2, AT.D[0], Dim::constant(Mm + 1));
    RT.Scale = uint8_t(2 * M.FracBits);
    ir::Value *R = emit(OpCode::Solve, {A, Bm}, RT, L);
    std::vector<ir::Value *> Cols;
    for (int64_t J = 0; J < Mm; ++J) {
      Type CT = RT;
      CT.Rank = 1;
      CT.D[1] = Dim();
      ir::Value *C = emit(OpCode::Column, {R}, CT, L, {{"index", J}});
      Type TT = CT;
      TT.Scale = uint8_t(M.FracBits);
      Cols.push_back(emit(OpCode::Trunc, {C}, TT, L,
                          {{"bits", int64_t(M.FracBits)}}));
    }
    if (Vector)
      return LV::val(Cols[0]);
    return LV::val(emit(OpCode::ColBind, Cols,
                        fix(S, 2, AT.D[0], Dim::constant(Mm)), L));
  }
  if (Name == "merge")
    return lowerMerge(E, ArgNamed("x", 0), ArgNamed("y", 1), ArgNamed("by", 2));
  if (Name == "glm") {
    const Expr *FE = ArgNamed("formula", 0);
    if (!FE)
      unsupported(E, "glm() without a formula");
    return lowerGlm(E, *FE, ArgNamed("data", 2));
  }
  if (Name == "summary" || Name == "coef" || Name == "confint" ||
      Name == "vcov") {
    const Expr *XE = ArgNamed("object", 0);
    LV X = XE ? lower(*XE) : LV();
    if (X.K != LV::Model)
      unsupported(E, (Name + "() of this value").str());
    if (Name == "coef") {
      if (X.Lm->Coef->def())
        X.Lm->Coef->def()->Attrs["names"] = X.Lm->Terms;
      return LV::val(X.Lm->Coef);
    }
    if (X.View != "lm" && X.View != "glm")
      unsupported(E, (Name + "() of a summary").str());
    if (X.View == "glm" && (Name == "confint" || Name == "vcov"))
      unsupported(E, (Name + "() of a glm").str());
    X.View = X.View == "glm"     ? "summary.glm"
             : Name == "summary" ? "summary.lm"
             : Name == "vcov"    ? "vcov.lm"
                                 : "confint.lm";
    return X;
  }
  if (Name == "publish") {
    const Expr *XE = ArgNamed("x", 0);
    LV X = lower(*XE);
    if (X.K == LV::Model) {
      // The recipient computes what it prints from the sufficient
      // statistics (docs/bytecode.md, "Model outputs"): each is a function
      // of the printed summary, so publishing them discloses no more.
      if (X.View == "lm" || X.View == "glm")
        unsupported(*XE, "publish() of a model (publish summary(fit), "
                         "coef(fit) or confint(fit))");
      std::vector<std::string> To;
      if (const Expr *T = ArgNamed("to", 1)) {
        if (auto *S = dyn_cast<StringExpr>(T))
          To.push_back(S->getValue());
        else if (auto *C = dyn_cast<CallExpr>(T))
          for (const Arg &A : C->getArgs())
            if (auto *S =
                    A.Value ? dyn_cast<StringExpr>(A.Value.get()) : nullptr)
              To.push_back(S->getValue());
      }
      auto P = std::make_unique<Op>(OpCode::Publish, L);
      P->addOperand(X.View == "vcov.lm" ? X.Lm->Vcov : X.Lm->Stats);
      P->Attrs["to"] = To;
      P->Attrs["what"] = printSource(*XE);
      P->Attrs["kind"] = X.View;
      P->Attrs["names"] = X.Lm->Terms;
      P->Attrs["meta"] = X.Lm->Meta;
      B->append(std::move(P));
      return LV();
    }
    if (X.K != LV::Val || X.Valid)
      unsupported(E, "publish() of this value");
    std::vector<std::string> To;
    if (const Expr *T = ArgNamed("to", 1)) {
      if (auto *S = dyn_cast<StringExpr>(T))
        To.push_back(S->getValue());
      else if (auto *C = dyn_cast<CallExpr>(T))
        for (const Arg &A : C->getArgs())
          if (auto *S = A.Value ? dyn_cast<StringExpr>(A.Value.get()) : nullptr)
            To.push_back(S->getValue());
    }
    auto P = std::make_unique<Op>(OpCode::Publish, L);
    P->addOperand(X.V);
    P->Attrs["to"] = To;
    P->Attrs["what"] = printSource(*XE);
    B->append(std::move(P));
    return LV();
  }
  unsupported(E, ("the function '" + Name + "'").str());
}


/// merge(x, y, by): the oblivious inner join of two input tables on their
/// key. Every owner hashes its keys (62 bits, vm::keyHash); the join
/// compares every pair of rows (an n_x x n_y matrix of secret equality
/// tests, O(n_x n_y) work and communication), and y's columns on x's rows
/// are matrix products with that 0/1 matrix (one element per x row and
/// column). The result keeps x's rows, with a secret 0/1 mask of those
/// that matched: rows without a match are absent (the values 0 and the
/// mask 0), so the match set and its size stay secret; statistics of the
/// columns use the matched rows (na.rm / complete cases). Keys must be
/// unique within y (as a database key); a duplicate would add its rows.
LV Lowerer::lowerMerge(const CallExpr &E, const Expr *XE, const Expr *YE,
                       const Expr *ByE) {
  SMLoc L = E.getBeginLoc();
  if (!XE || !YE || !ByE)
    unsupported(E, "merge() without x, y and by");
  LV X = lower(*XE), Y = lower(*YE);
  auto *By = dyn_cast<StringExpr>(ByE);
  if (X.K != LV::Table || Y.K != LV::Table || Derived.count(X.Name) ||
      Derived.count(Y.Name) || !By)
    unsupported(E, "merge() of anything but two input tables by a key");
  const std::string &Key = By->getValue();
  const Dim NX = Dim::sym("n." + X.Name), NY = Dim::sym("n." + Y.Name);
  const Dim One = Dim::constant(1);
  auto AsCol = [&](ir::Value *V) { return asColumn(V, L); };
  auto Col0 = [&](ir::Value *Mx) { return columnOf(Mx, 0, L); };
  auto Ones = [&](Dim R, Dim C) {
    return constant(1, Type::matrix(Sec::Public, Elem::Int, 0, R, C), L);
  };
  auto MatMul = [&](ir::Value *A, ir::Value *Bm) {
    Type T = Type::matrix(joinSec(A->type(), Bm->type()), Bm->type().E,
                          Bm->type().Scale + A->type().Scale, A->type().D[0],
                          Bm->type().D[1]);
    return emit(OpCode::MatMul, {A, Bm}, T, L);
  };
  ir::Value *KX = column(X.Name, Key, E).V, *KY = column(Y.Name, Key, E).V;
  // Every pair of keys, compared: KX 1' against 1 KY' (both local).
  ir::Value *KXm = MatMul(AsCol(KX), Ones(One, NY));
  ir::Value *KYm = MatMul(Ones(NX, One),
                          emit(OpCode::Transpose, {AsCol(KY)},
                               Type::matrix(Sec::Secret, Elem::Int, 0, One, NY),
                               L));
  Type BT = KXm->type();
  BT.E = Elem::Bool;
  ir::Value *Match = convert(emit(OpCode::Eq, {KXm, KYm}, BT, L), Elem::Int, L);
  DerivedTable D;
  D.Base = X.Name;
  D.Matched = Col0(MatMul(Match, Ones(NY, One)));
  auto Mask = [&](ir::Value *Own) {
    return Own ? emit(OpCode::Mul, {D.Matched, Own}, D.Matched->type(), L)
               : D.Matched;
  };
  auto AddColumns = [&](const LV &T, bool First) {
    for (const InputDecl &Decl : Checked.Inputs) {
      if (Decl.Name != T.Name)
        continue;
      for (const Column &C : Decl.Columns) {
        if (!First && D.Columns.count(C.Name))
          continue;
        LV Src = column(T.Name, C.Name, E);
        LV Out;
        Out.K = LV::Val;
        Out.Absent = true;
        Out.Levels = Src.Levels;
        if (First) {
          // x's own rows: values times the mask, so absent rows hold 0.
          ir::Value *V = Src.V;
          if (!Src.Levels.empty()) {
            ir::Value *M = MatMul(AsCol(D.Matched),
                                  Ones(One, V->type().D[1]));
            Out.V = emit(OpCode::Mul, {convert(V, Elem::Int, L), M},
                         M->type(), L);
          } else {
            Elem El = V->type().E == Elem::Bool ? Elem::Int : V->type().E;
            ir::Value *Vi = convert(V, El, L);
            Out.V = emit(OpCode::Mul, {Vi, D.Matched}, Vi->type(), L);
          }
          Out.Valid = Mask(Src.Valid);
        } else {
          // y's rows carried to x's: Match (n_x x n_y) times the column.
          ir::Value *V = Src.V;
          if (!Src.Levels.empty()) {
            Out.V = MatMul(Match, convert(V, Elem::Int, L));
          } else {
            Elem El = V->type().E == Elem::Bool ? Elem::Int : V->type().E;
            Out.V = Col0(MatMul(Match, AsCol(convert(V, El, L))));
          }
          Out.Valid = Src.Valid ? Mask(Col0(MatMul(Match, AsCol(Src.Valid))))
                                : D.Matched;
        }
        if (Src.V->type().E == Elem::Bool && Src.Levels.empty())
          Out.V = convert(Out.V, Elem::Bool, L);
        AbsentMasks.insert(Out.Valid);
        D.Columns[C.Name] = Out;
      }
    }
  };
  AddColumns(X, true);
  AddColumns(Y, false);
  std::string Name = "merge." + std::to_string(Derived.size() + 1);
  Derived[Name] = std::move(D);
  LV R;
  R.K = LV::Table;
  R.Name = Name;
  return R;
}

/// The design of a model: the table, one column per coefficient but the
/// intercept (fixed point, scale F, n rows), their names as R gives them
/// (with "(Intercept)" first if the model has one), the response, and the
/// 0/1 mask of complete cases if any model variable may be missing (every
/// column and the response are then already multiplied by it).
struct ModelData {
  std::string Table;
  Dim N;
  bool Intercept = true;
  std::vector<ir::Value *> Cols;
  std::vector<std::string> Names;
  ir::Value *Y = nullptr;
  ir::Value *W = nullptr;
  /// For a merge(): the secret number of matched rows (the table's rows).
  ir::Value *Present = nullptr;
};

ModelData Lowerer::buildDesign(const CallExpr &E, const Expr &FormulaE,
                               const Expr *DataE, StringRef Fn) {
  SMLoc L = E.getBeginLoc();
  auto DI = Checked.Designs.find(&FormulaE);
  if (DI == Checked.Designs.end())
    unsupported(FormulaE, "this formula");
  const ModelDesign &Dsg = DI->second;
  if (!DataE)
    unsupported(E, (Fn + "() without data = an input table").str());
  LV D = lower(*DataE);
  if (D.K != LV::Table)
    unsupported(*DataE, (Fn + "() on data that is not an input table").str());
  const unsigned F = M.FracBits;
  ModelData Out;
  Out.Table = baseTable(D.Name);
  Out.N = Dim::sym("n." + Out.Table);
  if (auto It = Derived.find(D.Name); It != Derived.end())
    Out.Present = emit(OpCode::Sum, {It->second.Matched},
                       Type::scalar(Sec::Secret, Elem::Int), L);
  Out.Intercept = Dsg.Intercept;
  auto Col = [&](ir::Value *Mx, int64_t J) { return columnOf(Mx, J, L); };
  // Missing values: R's default na.omit, i.e. complete cases over the
  // model's variables. The 0/1 masks multiply into w; every column is
  // multiplied by w (a missing entry holds 0 already, but a row missing
  // elsewhere must drop out too) and n is sum(w), secret.
  std::vector<ir::Value *> Masks;
  auto NumericColumn = [&](const std::string &Var) {
    LV C = column(D.Name, Var, E);
    if (C.Valid && std::find(Masks.begin(), Masks.end(), C.Valid) == Masks.end())
      Masks.push_back(C.Valid);
    if (!C.Levels.empty())
      unsupported(E, "a factor here ('" + Var + "')");
    return convert(C.V, Elem::Fix, L);
  };
  if (Dsg.Intercept)
    Out.Names.push_back("(Intercept)");
  for (const std::vector<std::string> &Term : Dsg.Terms) {
    if (Term.size() == 1) {
      LV C = column(D.Name, Term[0], E);
      if (!C.Levels.empty()) {
        // Treatment contrasts: the first level is the reference (with an
        // intercept; without one, every level has its own coefficient).
        // A missing (or absent) row has no level: its one-hot row is zero,
        // and the mask drops it like any incomplete case.
        if (C.Valid &&
            std::find(Masks.begin(), Masks.end(), C.Valid) == Masks.end())
          Masks.push_back(C.Valid);
        for (size_t K = Dsg.Intercept ? 1 : 0; K < C.Levels.size(); ++K) {
          Out.Cols.push_back(convert(Col(C.V, int64_t(K)), Elem::Fix, L));
          Out.Names.push_back(Term[0] + C.Levels[K]);
        }
        continue;
      }
      Out.Cols.push_back(NumericColumn(Term[0]));
      Out.Names.push_back(Term[0]);
      continue;
    }
    ir::Value *Prod = nullptr;
    std::string Name;
    for (const std::string &Var : Term) {
      ir::Value *X = NumericColumn(Var);
      if (Prod) {
        Type T = fix(Sec::Secret, 1, Out.N);
        T.Scale = uint8_t(2 * F);
        Prod = emit(OpCode::Trunc, {emit(OpCode::Mul, {Prod, X}, T, L)},
                    fix(Sec::Secret, 1, Out.N), L, {{"bits", int64_t(F)}});
      } else {
        Prod = X;
      }
      Name += (Name.empty() ? "" : ":") + Var;
    }
    Out.Cols.push_back(Prod);
    Out.Names.push_back(Name);
  }
  if (Out.Cols.empty())
    unsupported(E, "a model with no term but the intercept");
  Out.Y = NumericColumn(Dsg.Response);
  for (ir::Value *Mk : Masks)
    Out.W = Out.W ? emit(OpCode::Mul, {Out.W, Mk}, Mk->type(), L) : Mk;
  if (Out.W) {
    for (ir::Value *&C : Out.Cols)
      C = emit(OpCode::Mul, {C, Out.W}, C->type(), L);
    Out.Y = emit(OpCode::Mul, {Out.Y, Out.W}, Out.Y->type(), L);
  }
  return Out;
}

/// t.test(y ~ g, data, var.equal = FALSE, mu = 0): the rows of the two
/// groups of g (a logical, FALSE first, or a two-level factor) compared
/// without revealing who is in which group: with indicators i_x and i_y,
/// the group sizes, sums and sums of squares are dot products; the means and
/// variances use one reciprocal kernel on (n_x, n_y, n_x - 1, n_y - 1).
/// Opened as t.test(x, y) opens them: the means, se^2, df and mu.
LV Lowerer::lowerTTestFormula(const CallExpr &E, const Expr &FormulaE) {
  SMLoc L = E.getBeginLoc();
  const ModelDesign &Dsg = Checked.Designs.at(&FormulaE);
  const Expr *DataE = nullptr, *SubsetE = nullptr;
  bool VarEqual = false;
  double Mu = 0;
  for (const Arg &A : E.getArgs()) {
    if (!A.Name)
      continue;
    if (*A.Name == "data")
      DataE = A.Value.get();
    if (*A.Name == "subset")
      SubsetE = A.Value.get();
    if (*A.Name == "var.equal" || *A.Name == "mu") {
      auto K = constOf(value(*A.Value));
      if (!K)
        unsupported(*A.Value, "a " + *A.Name + " that is not a constant");
      if (*A.Name == "mu")
        Mu = *K;
      else
        VarEqual = *K != 0;
    }
  }
  if (!DataE || Dsg.Terms.size() != 1 || Dsg.Terms[0].size() != 1)
    unsupported(E, "this t.test() formula");
  LV D = lower(*DataE);
  if (D.K != LV::Table)
    unsupported(*DataE, "t.test() on data that is not an input table");
  LV Yl = column(D.Name, Dsg.Response, E);
  LV Gl = column(D.Name, Dsg.Terms[0][0], E);
  ir::Value *Y = convert(Yl.V, Elem::Fix, L);
  ir::Value *Ix, *Iy;
  std::vector<std::string> Levels;
  if (SubsetE) {
    // subset = g %in% c(a, b) (the checker saw to the form): the rows of
    // the two values, by the one-hot columns of a factor or by equality.
    const auto &In = cast<BinaryExpr>(*SubsetE);
    const auto &Vals = cast<CallExpr>(*In.getRHS()).getArgs();
    std::vector<ir::Value *> Ind;
    for (const Arg &A : Vals) {
      if (auto *S = dyn_cast<StringExpr>(A.Value.get())) {
        auto It = std::find(Gl.Levels.begin(), Gl.Levels.end(), S->getValue());
        if (It == Gl.Levels.end())
          unsupported(*A.Value, "a value that is not a level");
        Ind.push_back(convert(
            columnOf(Gl.V, int64_t(It - Gl.Levels.begin()), L), Elem::Int, L));
        Levels.push_back(S->getValue());
      } else {
        ir::Value *C = value(*A.Value);
        Ind.push_back(convert(compare(BinaryOp::Eq, Gl.V, C, L), Elem::Int, L));
        Levels.push_back(printSource(*A.Value));
      }
    }
    Ix = Ind[0];
    Iy = Ind[1];
  } else if (!Gl.Levels.empty()) {
    auto Col = [&](int64_t J) {
      Type T = Gl.V->type();
      T.Rank = 1;
      T.D[1] = Dim();
      return emit(OpCode::Column, {Gl.V}, T, L, {{"index", J}});
    };
    Ix = convert(Col(0), Elem::Int, L);
    Iy = convert(Col(1), Elem::Int, L);
    Levels = Gl.Levels;
  } else {
    Iy = convert(Gl.V, Elem::Int, L);
    Ix = arith(BinaryOp::Sub, intConst(1, L), Iy, L);
    Levels = {"FALSE", "TRUE"};
  }
  // A missing (or absent) response or group: the row is in neither group.
  for (ir::Value *V : {Yl.Valid, Gl.Valid})
    if (V) {
      Ix = emit(OpCode::Mul, {Ix, V}, Ix->type(), L);
      Iy = emit(OpCode::Mul, {Iy, V}, Iy->type(), L);
    }
  auto Dot = [&](ir::Value *A, ir::Value *Bv) {
    Type T = fix(Sec::Secret);
    Bv = convert(Bv, Elem::Fix, L);
    T.Scale = uint8_t(A->type().Scale + Bv->type().Scale);
    return emit(OpCode::Trunc, {emit(OpCode::Dot, {A, Bv}, T, L)},
                fix(Sec::Secret), L, {{"bits", int64_t(M.FracBits)}});
  };
  auto Op2 = [&](BinaryOp Op, ir::Value *A, ir::Value *Bv) {
    return arith(Op, A, Bv, L);
  };
  ir::Value *Nx = emit(OpCode::Sum, {Ix}, Type::scalar(Sec::Secret, Elem::Int), L);
  ir::Value *Ny = emit(OpCode::Sum, {Iy}, Type::scalar(Sec::Secret, Elem::Int), L);
  ir::Value *Y2 = Op2(BinaryOp::Mul, Y, Y);
  ir::Value *Sx = Dot(Y, Ix), *Sy = Dot(Y, Iy);
  ir::Value *Qx = Dot(Y2, Ix), *Qy = Dot(Y2, Iy);
  // 1 / (n_x, n_y, n_x - 1, n_y - 1, n_x + n_y - 2) in one kernel call
  // (the group sizes are secret).
  ir::Value *One = intConst(1, L);
  ir::Value *Ns = emit(
      OpCode::Concat,
      {convert(Nx, Elem::Fix, L), convert(Ny, Elem::Fix, L),
       convert(Op2(BinaryOp::Sub, Nx, One), Elem::Fix, L),
       convert(Op2(BinaryOp::Sub, Ny, One), Elem::Fix, L),
       convert(Op2(BinaryOp::Sub, Op2(BinaryOp::Add, Nx, Ny), intConst(2, L)),
               Elem::Fix, L)},
      fix(Sec::Secret, 1, Dim::constant(5)), L);
  ir::Value *Inv = emit(OpCode::Recip, {Ns}, Ns->type(), L);
  auto At = [&](ir::Value *V, int64_t I) {
    return emit(OpCode::Get, {V, intConst(double(I), L)}, fix(Sec::Secret), L);
  };
  ir::Value *Mx = Op2(BinaryOp::Mul, Sx, At(Inv, 1));
  ir::Value *My = Op2(BinaryOp::Mul, Sy, At(Inv, 2));
  ir::Value *Dx = Op2(BinaryOp::Sub, Qx, Op2(BinaryOp::Mul, Sx, Mx));
  ir::Value *Dy = Op2(BinaryOp::Sub, Qy, Op2(BinaryOp::Mul, Sy, My));
  ir::Value *Se2, *Df;
  if (VarEqual) {
    // Pooled: (D_x + D_y) / (n_x + n_y - 2) (1/n_x + 1/n_y).
    Df = Op2(BinaryOp::Sub, Op2(BinaryOp::Add, Nx, Ny), intConst(2, L));
    ir::Value *V = Op2(BinaryOp::Mul, Op2(BinaryOp::Add, Dx, Dy), At(Inv, 5));
    Se2 = Op2(BinaryOp::Mul, V, Op2(BinaryOp::Add, At(Inv, 1), At(Inv, 2)));
  } else {
    ir::Value *A = Op2(BinaryOp::Mul, Op2(BinaryOp::Mul, Dx, At(Inv, 3)),
                       At(Inv, 1));
    ir::Value *Bv = Op2(BinaryOp::Mul, Op2(BinaryOp::Mul, Dy, At(Inv, 4)),
                        At(Inv, 2));
    Se2 = Op2(BinaryOp::Add, A, Bv);
    ir::Value *Den =
        Op2(BinaryOp::Add, Op2(BinaryOp::Mul, Op2(BinaryOp::Mul, A, A), At(Inv, 3)),
            Op2(BinaryOp::Mul, Op2(BinaryOp::Mul, Bv, Bv), At(Inv, 4)));
    Df = Op2(BinaryOp::Div, Op2(BinaryOp::Mul, Se2, Se2), Den);
  }
  ir::Value *Vals = emit(
      OpCode::Concat,
      {Mx, My, Se2, toSecret(convert(Df, Elem::Fix, L), L),
       toSecret(constant(Mu, fix(Sec::Public), L), L)},
      fix(Sec::Secret, 1, Dim::constant(5)), L);
  auto Res = std::make_shared<LmModel>();
  Res->Stats = Vals;
  Res->Call = Dsg.Response + " by " + Dsg.Terms[0][0];
  (void)D;
  Res->Meta = {Res->Call, Levels[0], Levels[1]};
  LV R;
  R.K = LV::Model;
  R.Lm = std::move(Res);
  R.View = VarEqual ? "t.test.pooled" : "t.test.welch";
  return R;
}

/// glm(formula, family = binomial, data, maxit = 25): logistic regression
/// by IRLS as R's glm.fit, which for the canonical link is Newton's method:
/// beta <- beta + (X'WX)^-1 X'(y - mu), mu = 1 / (1 + exp(-X beta)),
/// W = diag(mu (1 - mu)). R starts from mu = (y + 1/2) / 2, where every
/// weight is 3/16 and the working response is (2y - 1)(log 3 + 4/3), so the
/// first step is least squares on that response. All maxit iterations run
/// (a public count: stopping when converged would disclose when); each
/// costs a matrix-vector product, the sigmoid, the weighted cross products
/// and a SOLVE. The sigmoid of eta is that of |eta| (1 / (1 + e), e =
/// exp(-|eta|) in (0, 1]: four Newton steps for the reciprocal of a number
/// in (1, 2] from the start (2.9142 - d) / 2), mirrored for eta < 0.
/// Revealed for summary(): the coefficients, diag((X'WX)^-1), the deviance,
/// the null deviance and n.
LV Lowerer::lowerGlm(const CallExpr &E, const Expr &FormulaE,
                     const Expr *DataE) {
  SMLoc L = E.getBeginLoc();
  int64_t MaxIt = 25;
  for (const Arg &A : E.getArgs()) {
    if (A.Name && *A.Name == "maxit") {
      auto K = constOf(value(*A.Value));
      if (!K || *K < 1 || *K > 1000 || *K != std::floor(*K))
        unsupported(*A.Value, "a maxit that is not a constant from 1 to 1000");
      MaxIt = int64_t(*K);
    }
    if (A.Name && *A.Name == "family") {
      auto *Id = dyn_cast<IdentExpr>(A.Value.get());
      auto *C = dyn_cast<CallExpr>(A.Value.get());
      std::string Fam = Id ? Id->getName() : C ? C->getCalleeName().str() : "";
      if (Fam != "binomial")
        unsupported(*A.Value, "a family other than binomial (use lm() for "
                              "gaussian)");
    }
  }
  ModelData MD = buildDesign(E, FormulaE, DataE, "glm");
  const unsigned F = M.FracBits;
  const Dim N = MD.N;
  auto FixT = [&](unsigned Scale, unsigned Rank, Dim D0 = {}, Dim D1 = {}) {
    Type T = fix(Sec::Secret, Rank, D0, D1);
    T.Scale = uint8_t(Scale);
    return T;
  };
  auto Trunc = [&](ir::Value *V) { return truncF(V, L); };
  auto MulT = [&](ir::Value *A, ir::Value *Bv) { // a * b, truncated
    Type T = A->type().Rank >= Bv->type().Rank ? A->type() : Bv->type();
    T.S = joinSec(A->type(), Bv->type());
    T.Scale = uint8_t(2 * F);
    return Trunc(emit(OpCode::Mul, {A, Bv}, T, L));
  };
  auto Transposed = [&](ir::Value *V) { return transposed(V, L); };
  auto Col = [&](ir::Value *Mx, int64_t J) { return columnOf(Mx, J, L); };
  auto AsCol = [&](ir::Value *V) { return asColumn(V, L); };
  auto Const = [&](double C) { return constant(C, fix(Sec::Public), L); };
  auto Sub = [&](ir::Value *A, ir::Value *Bv) {
    Type T = A->type().Rank >= Bv->type().Rank ? A->type() : Bv->type();
    T.S = joinSec(A->type(), Bv->type());
    return emit(OpCode::Sub, {A, Bv}, T, L);
  };
  auto Add = [&](ir::Value *A, ir::Value *Bv) {
    Type T = A->type().Rank >= Bv->type().Rank ? A->type() : Bv->type();
    T.S = joinSec(A->type(), Bv->type());
    return emit(OpCode::Add, {A, Bv}, T, L);
  };

  // Complete cases (or a merge()'s matched rows): the design's rows and y
  // are zero elsewhere, and so is the intercept's column (the mask): such a
  // row adds nothing to X'WX or X'(y - mu), and its deviance is masked.
  std::vector<ir::Value *> Cols = MD.Cols;
  if (MD.Intercept)
    Cols.insert(Cols.begin(),
                MD.W ? convert(MD.W, Elem::Fix, L)
                     : toSecret(constant(1, fix(Sec::Public, 1, N), L), L));
  const int64_t P = int64_t(Cols.size());
  const Dim PD = Dim::constant(P), One = Dim::constant(1);
  ir::Value *X = emit(OpCode::ColBind, Cols, fix(Sec::Secret, 2, N, PD), L);
  ir::Value *Xt = Transposed(X);
  ir::Value *Y = MD.Y;
  auto Solve = [&](ir::Value *H, ir::Value *G) {
    return emit(OpCode::Solve, {H, G}, FixT(2 * F, 2, PD, Dim::constant(2)),
                L);
  };
  auto Sigmoid = [&](ir::Value *Eta) {
    Type BT = Eta->type();
    BT.E = Elem::Bool;
    BT.Scale = 0;
    ir::Value *Neg = emit(OpCode::Lt, {Eta, Const(0)}, BT, L);
    ir::Value *MinusEta = emit(OpCode::Neg, {Eta}, Eta->type(), L);
    ir::Value *Abs = emit(OpCode::Select, {Neg, MinusEta, Eta}, Eta->type(), L);
    ir::Value *Ex = emit(OpCode::Exp, {emit(OpCode::Neg, {Abs}, Abs->type(), L)},
                         Abs->type(), L);
    ir::Value *D = Add(Ex, Const(1));
    ir::Value *R = MulT(Sub(Const(2.9142135623730950), D), Const(0.5));
    for (int I = 0; I < 4; ++I)
      R = Add(R, MulT(R, Sub(Const(1), MulT(D, R))));
    return emit(OpCode::Select, {Neg, Sub(Const(1), R), R}, R->type(), L);
  };

  // Every solve sees its system times 2^10 / n (see lowerLm): the same
  // solution, the inverse's diagonal n / 2^10 times diag((X'WX)^-1).
  ir::Value *NRows =
      MD.W ? emit(OpCode::Sum, {MD.W}, Type::scalar(Sec::Secret, Elem::Int), L)
           : emit(OpCode::NRows, {}, Type::scalar(Sec::Public, Elem::Int), L,
                  {{"table", MD.Table}});
  ir::Value *NFix = convert(NRows, Elem::Fix, L);
  // 1 / n by the reciprocal kernel when n (complete cases) is secret.
  ir::Value *InvN = MD.W ? emit(OpCode::Recip, {NFix}, NFix->type(), L) : nullptr;
  auto PerRow = [&](ir::Value *V) {
    ir::Value *K = emit(OpCode::Mul, {V, intConst(1024, L)}, V->type(), L);
    if (!InvN)
      return emit(OpCode::Div, {K, NFix}, V->type(), L);
    return MulT(K, InvN);
  };
  // The first step: least squares on the working response of R's start.
  const double C0 = std::log(3.0) + 4.0 / 3.0;
  ir::Value *Z0 = Sub(MulT(Y, Const(2 * C0)), Const(C0));
  ir::Value *G0 = Trunc(emit(OpCode::MatMul, {Xt, X}, FixT(2 * F, 2, PD, PD), L));
  ir::Value *R0 =
      Trunc(emit(OpCode::MatMul, {Xt, AsCol(Z0)}, FixT(2 * F, 2, PD, One), L));
  ir::Value *S0 = Solve(PerRow(G0), PerRow(R0));
  ir::Value *Beta0 = Trunc(Col(S0, 0));
  ir::Value *V0 = Col(S0, 1);

  // Newton steps 2 .. maxit, carrying beta, diag((X'WX)^-1) and the
  // previous beta (for the convergence test, if the script asks).
  ir::Value *Beta = Beta0, *VDiag = V0, *PrevBeta = Beta0;
  if (MaxIt > 1) {
    auto ForOp = std::make_unique<Op>(OpCode::For, L);
    Block &Body = ForOp->addRegion().block();
    Body.addArgument(Type::scalar(Sec::Public, Elem::Int))->Hint = "iter";
    ir::Value *BArg = Body.addArgument(Beta0->type());
    BArg->Hint = "beta";
    ir::Value *VArg = Body.addArgument(V0->type());
    VArg->Hint = "vdiag";
    Body.addArgument(Beta0->type())->Hint = "prev";
    Block *Outer = B;
    B = &Body;
    ir::Value *Eta = Col(Trunc(emit(OpCode::MatMul, {X, AsCol(BArg)},
                                    FixT(2 * F, 2, N, One), L)),
                         0);
    ir::Value *Mu = Sigmoid(Eta);
    ir::Value *Wt = MulT(Mu, Sub(Const(1), Mu));
    ir::Value *Wb = emit(OpCode::MatMul,
                         {AsCol(Wt), constant(1, Type::matrix(Sec::Public, Elem::Int,
                                                              0, One, PD),
                                              L)},
                         fix(Sec::Secret, 2, N, PD), L);
    ir::Value *Xw = MulT(X, Wb);
    ir::Value *H = Trunc(emit(OpCode::MatMul, {Transposed(Xw), X},
                              FixT(2 * F, 2, PD, PD), L));
    ir::Value *G = Trunc(emit(OpCode::MatMul, {Xt, AsCol(Sub(Y, Mu))},
                              FixT(2 * F, 2, PD, One), L));
    ir::Value *S = Solve(PerRow(H), PerRow(G));
    ir::Value *NewBeta = Add(BArg, Trunc(Col(S, 0)));
    auto Yd = std::make_unique<Op>(OpCode::Yield, L);
    Yd->addOperand(NewBeta);
    Yd->addOperand(Col(S, 1));
    Yd->addOperand(BArg);
    Body.append(std::move(Yd));
    B = Outer;
    ForOp->addOperand(intConst(2, L));
    ForOp->addOperand(intConst(double(MaxIt), L));
    ForOp->addOperand(Beta0);
    ForOp->addOperand(V0);
    ForOp->addOperand(Beta0);
    ForOp->addResult(Beta0->type())->Hint = "beta";
    ForOp->addResult(V0->type())->Hint = "vdiag";
    ForOp->addResult(Beta0->type())->Hint = "prev";
    Op *Placed = B->append(std::move(ForOp));
    Beta = Placed->result(0);
    VDiag = Placed->result(1);
    PrevBeta = Placed->result(2);
  }

  // Deviances: -2 sum log p_i with p_i = mu_i if y_i = 1, else 1 - mu_i;
  // the null model's from the mean of y.
  auto DevianceOf = [&](ir::Value *Bt) {
    ir::Value *Mu = Sigmoid(Col(Trunc(emit(OpCode::MatMul, {X, AsCol(Bt)},
                                           FixT(2 * F, 2, N, One), L)),
                                0));
    ir::Value *YMu = MulT(Y, Mu);
    ir::Value *Pi = Add(Sub(Sub(Const(1), Y), Mu), Add(YMu, YMu));
    ir::Value *LogP = emit(OpCode::Log, {Pi}, Pi->type(), L);
    if (MD.W)
      LogP = emit(OpCode::Mul, {LogP, MD.W}, LogP->type(), L);
    return MulT(emit(OpCode::Sum, {LogP}, fix(Sec::Secret), L), Const(-2));
  };
  ir::Value *Dev = DevianceOf(Beta);
  // fit$converged: R's rule on the last two iterates, |dev - dev_old| /
  // (|dev| + 0.1) < 1e-8 (computed only if the script publishes it).
  ir::Value *Converged;
  {
    Type BT = Dev->type();
    BT.E = Elem::Bool;
    BT.Scale = 0;
    auto Abs = [&](ir::Value *V) {
      ir::Value *Neg = emit(OpCode::Lt, {V, Const(0)}, BT, L);
      return emit(OpCode::Select,
                  {Neg, emit(OpCode::Neg, {V}, V->type(), L), V}, V->type(), L);
    };
    ir::Value *Diff = Abs(Sub(Dev, DevianceOf(PrevBeta)));
    ir::Value *Tol = MulT(Add(Abs(Dev), Const(0.1)), Const(1e-8));
    Converged = emit(OpCode::Lt, {Diff, Tol}, BT, L);
  }
  ir::Value *Sy = emit(OpCode::Sum, {Y}, fix(Sec::Secret), L);
  ir::Value *Ybar = InvN ? MulT(Sy, InvN)
                         : emit(OpCode::Div, {Sy, NFix}, Sy->type(), L);
  ir::Value *Logs = emit(OpCode::Log,
                         {emit(OpCode::Concat, {Ybar, Sub(Const(1), Ybar)},
                               fix(Sec::Secret, 1, Dim::constant(2)), L)},
                         fix(Sec::Secret, 1, Dim::constant(2)), L);
  auto Get = [&](ir::Value *V, int64_t I) {
    return emit(OpCode::Get, {V, intConst(double(I), L)}, fix(Sec::Secret), L);
  };
  ir::Value *Dev0 = MulT(Add(MulT(Sy, Get(Logs, 1)),
                             MulT(Sub(NFix, Sy), Get(Logs, 2))),
                         Const(-2));
  ir::Value *OneFix = Const(1);
  auto Wide = [&](ir::Value *V) {
    Type T = V->type();
    T.S = Sec::Secret;
    T.Scale = uint8_t(2 * F);
    return emit(OpCode::Mul, {toSecret(V, L), OneFix}, T, L);
  };
  auto Fit = std::make_shared<LmModel>();
  Fit->Terms = MD.Names;
  Fit->Intercept = MD.Intercept;
  Fit->Call = "glm(formula = " + printSource(FormulaE) +
              ", family = binomial, data = " + printSource(*DataE) + ")";
  Fit->Meta = {Fit->Call, MD.Intercept ? "intercept" : "no intercept",
               std::to_string(MaxIt)};
  Fit->Coef = Beta;
  Fit->Converged = Converged;
  Fit->Iterations = MaxIt;
  if (Beta->def())
    Beta->def()->Attrs["names"] = MD.Names;
  Fit->Stats = emit(OpCode::Concat,
                    {Wide(Beta), VDiag, Wide(Dev), Wide(Dev0), Wide(NFix)},
                    FixT(2 * F, 1, Dim::constant(2 * P + 3)), L);
  LV R;
  R.K = LV::Model;
  R.Lm = std::move(Fit);
  R.View = "glm";
  return R;
}

/// lm(formula, data): least squares on the normal equations. The design's
/// columns are cbind()ed (a lazy, streamed matrix in the VM); the cross
/// products X'X, X'y and y'y are taken uncentred, at scale 2F, in one
/// round, and centred exactly in the ring with the column sums s and the
/// rounded means m = s / n: C = X'X - m s' - (s - n m) m' (as cov()). The
/// slopes solve C b = C_xy with the intercept b_0 = m_y - m_x' b; the same
/// solve gives z = C^-1 m_x for the intercept's variance and diag(C^-1)
/// (SOLVE, FixedPointLinalg.h). Without an intercept, C = X'X.
LV Lowerer::lowerLm(const CallExpr &E, const Expr &FormulaE,
                    const Expr *DataE) {
  SMLoc L = E.getBeginLoc();
  ModelData MD = buildDesign(E, FormulaE, DataE, "lm");
  const unsigned F = M.FracBits;
  const Dim N = MD.N;
  auto Fix2 = [&](unsigned Rank, Dim D0 = {}, Dim D1 = {}) {
    Type T = fix(Sec::Secret, Rank, D0, D1);
    T.Scale = uint8_t(2 * F);
    return T;
  };
  auto Trunc = [&](ir::Value *V) { return truncF(V, L); };
  auto Transposed = [&](ir::Value *V) { return transposed(V, L); };
  auto Col = [&](ir::Value *Mx, int64_t J) { return columnOf(Mx, J, L); };
  std::vector<ir::Value *> &Cols = MD.Cols;
  std::vector<std::string> &Names = MD.Names;
  ir::Value *Y = MD.Y, *W = MD.W;
  struct {
    bool Intercept;
  } Dsg{MD.Intercept};
  const int64_t P = int64_t(Cols.size());
  const Dim PD = Dim::constant(P), One = Dim::constant(1);
  const std::string TableName = MD.Table;

  // Cross products (2F) in ONE pass over the rows: G = Z'Z for Z = (u, y,
  // X) with u the ones (or the complete-case mask), a symmetric product of
  // one lazily bound matrix. Its blocks are picked by public 0/1 matrices
  // (local): X'X, X'y, y'y, and the sums 2^F s = u'X, u'y, which one
  // truncation makes s exactly (a multiple of 2^F truncates exactly).
  const int64_t PZ = P + 2;
  const Dim PZD = Dim::constant(PZ);
  ir::Value *U = W ? convert(W, Elem::Fix, L)
                   : toSecret(constant(1, fix(Sec::Public, 1, N), L), L);
  std::vector<ir::Value *> ZCols = {U, Y};
  ZCols.insert(ZCols.end(), Cols.begin(), Cols.end());
  ir::Value *Z = emit(OpCode::ColBind, ZCols, fix(Sec::Secret, 2, N, PZD), L);
  ir::Value *G = emit(OpCode::MatMul, {Transposed(Z), Z}, Fix2(2, PZD, PZD), L);
  auto Pick = [&](std::vector<int64_t> Idx) { // rows e_Idx' of I_(p+2)
    ir::Value *Zero = intConst(0, L), *OneC = intConst(1, L);
    std::vector<ir::Value *> ColsS;
    for (int64_t J = 0; J < PZ; ++J) {
      std::vector<ir::Value *> E1;
      for (int64_t I : Idx)
        E1.push_back(I == J ? OneC : Zero);
      ColsS.push_back(emit(OpCode::Concat, E1,
                           Type::vector(Sec::Public, Elem::Int, 0,
                                        Dim::constant(int64_t(Idx.size()))),
                           L));
    }
    return emit(OpCode::ColBind, ColsS,
                Type::matrix(Sec::Public, Elem::Int, 0,
                             Dim::constant(int64_t(Idx.size())), PZD),
                L);
  };
  std::vector<int64_t> XIdx;
  for (int64_t J = 0; J < P; ++J)
    XIdx.push_back(J + 2);
  ir::Value *SelX = Pick(XIdx), *SelY = Pick({1}), *SelU = Pick({0});
  auto Block = [&](ir::Value *Rows, ir::Value *ColsSel) {
    ir::Value *RG = emit(OpCode::MatMul, {Rows, G},
                         Fix2(2, Rows->type().D[0], PZD), L);
    return emit(OpCode::MatMul, {RG, Transposed(ColsSel)},
                Fix2(2, Rows->type().D[0], ColsSel->type().D[0]), L);
  };
  auto Scalar = [&](ir::Value *M11) { // a 1 x 1 matrix as a scalar
    Type T = M11->type();
    T.Rank = 0;
    T.D[0] = T.D[1] = Dim();
    return emit(OpCode::Get, {Col(M11, 0), intConst(1, L)}, T, L);
  };
  ir::Value *Cxx = Block(SelX, SelX);
  ir::Value *Cxy = Block(SelX, SelY);
  ir::Value *Cyy = Scalar(Block(SelY, SelY));
  ir::Value *NRows =
      W ? emit(OpCode::Sum, {W}, Type::scalar(Sec::Secret, Elem::Int), L)
        : emit(OpCode::NRows, {}, Type::scalar(Sec::Public, Elem::Int), L,
               {{"table", TableName}});
  ir::Value *NFix = convert(NRows, Elem::Fix, L);
  // Means: by the public n, or by 1 / n (a reciprocal kernel) when n is
  // the secret number of complete cases.
  ir::Value *InvN = W ? emit(OpCode::Recip, {NFix}, NFix->type(), L) : nullptr;
  auto MulTrunc = [&](ir::Value *S, ir::Value *Scalar) {
    Type T = S->type();
    T.Scale = uint8_t(2 * F);
    return Trunc(emit(OpCode::Mul, {S, Scalar}, T, L));
  };
  auto Mean = [&](ir::Value *S) {
    if (!InvN)
      return emit(OpCode::Div, {S, NFix}, S->type(), L);
    return MulTrunc(S, InvN);
  };
  ir::Value *MxCol = nullptr, *My = nullptr;
  auto Sub2 = [&](ir::Value *A, ir::Value *Bv) {
    return emit(OpCode::Sub, {A, Bv}, A->type(), L);
  };
  if (Dsg.Intercept) {
    ir::Value *Sx = Trunc(Block(SelU, SelX));
    ir::Value *Sy = Trunc(Scalar(Block(SelU, SelY)));
    ir::Value *Mx = Mean(Sx);
    My = Mean(Sy);
    // (s - n m): exact, local; C = G - m s' - (s - n m) m'.
    ir::Value *Ex = Sub2(Sx, emit(OpCode::Mul, {NRows, Mx}, Mx->type(), L));
    ir::Value *Ey = Sub2(Sy, emit(OpCode::Mul, {NRows, My}, My->type(), L));
    ir::Value *MxT = Transposed(Mx), *ExT = Transposed(Ex);
    Cxx = Sub2(Sub2(Cxx, emit(OpCode::MatMul, {MxT, Sx}, Fix2(2, PD, PD), L)),
               emit(OpCode::MatMul, {ExT, Mx}, Fix2(2, PD, PD), L));
    Cxy = Sub2(Sub2(Cxy, emit(OpCode::Mul, {MxT, Sy}, Fix2(2, PD, One), L)),
               emit(OpCode::Mul, {ExT, My}, Fix2(2, PD, One), L));
    Cyy = Sub2(Sub2(Cyy, emit(OpCode::Mul, {My, Sy}, Fix2(0), L)),
               emit(OpCode::Mul, {Ey, My}, Fix2(0), L));
    MxCol = Col(MxT, 0);
  }
  ir::Value *A = Trunc(Cxx);
  ir::Value *Bv = Col(Trunc(Cxy), 0);
  // The solve sees C 2^10 / n (and its right-hand sides alike): the
  // diagonal is then 2^10 times a variance, within SOLVE's range whatever
  // n; the solution is unchanged and the inverse is n / 2^10 times C^-1,
  // which the recipient undoes (docs/bytecode.md).
  auto PerRow = [&](ir::Value *V) {
    ir::Value *K = emit(OpCode::Mul, {V, intConst(1024, L)}, V->type(), L);
    if (!InvN)
      return emit(OpCode::Div, {K, NFix}, V->type(), L);
    return MulTrunc(K, InvN);
  };
  std::vector<ir::Value *> Rhs = {PerRow(Bv)};
  if (MxCol)
    Rhs.push_back(PerRow(MxCol));
  A = PerRow(A);
  const int64_t Mr = int64_t(Rhs.size());
  ir::Value *RhsM = emit(OpCode::ColBind, Rhs,
                         fix(Sec::Secret, 2, PD, Dim::constant(Mr)), L);
  ir::Value *Sol =
      emit(OpCode::Solve, {A, RhsM}, Fix2(2, PD, Dim::constant(Mr + 1)), L);
  ir::Value *Slopes = Trunc(Col(Sol, 0));
  ir::Value *VDiag = Col(Sol, Mr);
  ir::Value *Rss = Sub2(Cyy, emit(OpCode::Dot, {Slopes, Bv}, Fix2(0), L));
  ir::Value *Coef = Slopes;
  std::vector<ir::Value *> Stats;
  ir::Value *OneFix = constant(1, fix(Sec::Public), L);
  auto Wide = [&](ir::Value *V) {
    Type T = V->type();
    T.Scale = uint8_t(2 * F);
    return emit(OpCode::Mul, {V, OneFix}, T, L);
  };
  Type CoefT = fix(Sec::Secret, 1, Dim::constant(int64_t(Names.size())));
  // vcov(): a second solve against the identity gives (n / 2^10) C^-1
  // whole (only if vcov() is published; dead code otherwise).
  std::vector<ir::Value *> VcovStats;
  {
    std::vector<ir::Value *> Unit;
    for (int64_t J = 0; J < P; ++J) {
      std::vector<ir::Value *> E1;
      for (int64_t I = 0; I < P; ++I)
        E1.push_back(constant(I == J, fix(Sec::Public), L));
      Unit.push_back(emit(OpCode::Concat, E1, fix(Sec::Public, 1, PD), L));
    }
    ir::Value *Id = toSecret(
        emit(OpCode::ColBind, Unit, fix(Sec::Public, 2, PD, PD), L), L);
    ir::Value *Inv =
        emit(OpCode::Solve, {A, Id}, Fix2(2, PD, Dim::constant(P + 1)), L);
    for (int64_t J = 0; J < P; ++J)
      VcovStats.push_back(Col(Inv, J));
  }
  if (Dsg.Intercept) {
    ir::Value *Z = Trunc(Col(Sol, 1));
    ir::Value *Q = emit(OpCode::Dot, {MxCol, Z}, Fix2(0), L);
    ir::Value *B0 =
        Sub2(My, Trunc(emit(OpCode::Dot, {MxCol, Slopes}, Fix2(0), L)));
    Coef = emit(OpCode::Concat, {B0, Slopes}, CoefT, L);
    Stats = {Wide(Coef), Q, VDiag, Rss, Cyy, toSecret(Wide(NFix), L)};
    VcovStats.insert(VcovStats.begin(), {Q, Col(Sol, 1)});
  } else {
    Coef = emit(OpCode::Concat, {Slopes}, CoefT, L);
    Stats = {Wide(Coef), VDiag, Rss, Cyy, toSecret(Wide(NFix), L)};
  }
  // Last, the table's rows (public; a merge()'s matched rows, secret): R
  // notes the rows dropped as missing.
  ir::Value *TableRows =
      MD.Present ? MD.Present
                 : emit(OpCode::NRows, {}, Type::scalar(Sec::Public, Elem::Int),
                        L, {{"table", TableName}});
  Stats.push_back(toSecret(Wide(convert(TableRows, Elem::Fix, L)), L));
  const int64_t NStats = 2 * int64_t(Names.size()) + 4;
  auto Fit = std::make_shared<LmModel>();
  Fit->Terms = Names;
  Fit->Intercept = Dsg.Intercept;
  Fit->Call = "lm(formula = " + printSource(FormulaE) + ", data = " +
              printSource(*DataE) + ")";
  Fit->Meta = {Fit->Call, Dsg.Intercept ? "intercept" : "no intercept"};
  Fit->Coef = Coef;
  Fit->Stats = emit(OpCode::Concat, Stats,
                    Fix2(1, Dim::constant(NStats)), L);
  VcovStats.push_back(Rss);
  VcovStats.push_back(toSecret(Wide(NFix), L));
  const int64_t NVcov = (Dsg.Intercept ? 1 + P : 0) + P * P + 2;
  Fit->Vcov = emit(OpCode::Concat, VcovStats, Fix2(1, Dim::constant(NVcov)), L);
  LV R;
  R.K = LV::Model;
  R.Lm = std::move(Fit);
  R.View = "lm";
  return R;
}

} // namespace

StringRef sstat::stdlibSource() { return StdlibText; }

std::unique_ptr<Module> sstat::lowerProgram(const Program &P,
                                            const CheckResult &Checked,
                                            DiagnosticEngine &Diags,
                                            const LowerOptions &Opts) {
  auto M = std::make_unique<Module>();
  M->RingBits = Opts.RingBits;
  M->FracBits = Opts.FracBits;
  M->Parties = Checked.Parties;
  M->FileName = P.FileName;
  Lowerer L(*M, Checked, Diags);
  try {
    L.run(P);
  } catch (LowerError &) {
    return nullptr;
  }
  return M;
}
