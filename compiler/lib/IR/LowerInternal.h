//===- LowerInternal.h - The lowerer's state, shared by its files -*- C++
//-*-===//
//
// The Lowerer (Lower.cpp: expressions, statements, builtins; LowerModels.cpp:
// models, tests and merge()) and the values it passes around. Internal to
// compiler/lib/IR.
//
//===----------------------------------------------------------------------===//

#ifndef SSTAT_LIB_IR_LOWERINTERNAL_H
#define SSTAT_LIB_IR_LOWERINTERNAL_H

#include "sstat/IR/IR.h"
#include "sstat/IR/Lower.h"
#include "sstat/Parser.h"

#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"

#include <cmath>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace sstat::lowering {

using namespace sstat::ir;
using namespace llvm;

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
  /// A matrix of named columns (t[, c("a", "b")]): the names, which a
  /// statistic's square result (cov, cor) prints as R's dimnames.
  std::vector<std::string> ColNames;
  ir::Value *V = nullptr;
  ir::Value *Valid = nullptr;      // 0/1 mask when the value may have NAs
  std::string Name;                // table name, or the string's value
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

/// Raised inside a function being outlined by something that must be
/// lowered in main (a merge()): the call is then inlined while lowering.
struct NotOutlinable {};

/// A specialization of a function (see outlineCall()): the IR function,
/// the values it captures from main (inputs), and its result as a template
/// whose IR values are the function's yielded values, in order.
struct Specialization {
  ir::Function *Fn = nullptr;
  std::vector<ir::Value *> Captures;
  LV Result;
};

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

  ir::Value *emit(OpCode C, std::vector<ir::Value *> Operands, Type T, SMLoc L,
                  std::map<std::string, Attr> Attrs = {}) {
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
      double X = E == Elem::Bool  ? (*C != 0)
                 : E == Elem::Int ? std::trunc(*C)
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
  /// Masks that mark rows absent from a merge() (see isAbsent); a value
  /// computed from such a column keeps its mask, and so its meaning.
  std::set<const ir::Value *> AbsentMasks;
  /// Whether X's mask marks rows absent from a merge() (not missing
  /// values): statistics then use the present rows (na.rm = TRUE).
  bool isAbsent(const LV &X) const {
    return X.Valid && AbsentMasks.count(X.Valid);
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
      case BinaryOp::Add:
        return Fold(*CA + *CB);
      case BinaryOp::Sub:
        return Fold(*CA - *CB);
      case BinaryOp::Mul:
        return Fold(*CA * *CB);
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
        P = emit(OpCode::Trunc, {P}, TT, L, {{"bits", int64_t(M.FracBits)}});
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
    case BinaryOp::Lt:
      return emit(OpCode::Lt, {A, Bv}, T, L);
    case BinaryOp::Gt:
      return emit(OpCode::Lt, {Bv, A}, T, L);
    case BinaryOp::Le:
      return emit(OpCode::Le, {A, Bv}, T, L);
    case BinaryOp::Ge:
      return emit(OpCode::Le, {Bv, A}, T, L);
    case BinaryOp::Eq:
      return emit(OpCode::Eq, {A, Bv}, T, L);
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

  /// The public int matrix whose row r is the unit row e_{Idx[r]}' of
  /// length Cols: a selection (a local product with it picks rows or
  /// columns), or with Idx = 0 .. Cols - 1 the identity.
  ir::Value *unitRows(const std::vector<int64_t> &Idx, int64_t Cols, SMLoc L) {
    ir::Value *Zero = intConst(0, L), *One = intConst(1, L);
    const Dim R = Dim::constant(int64_t(Idx.size()));
    std::vector<ir::Value *> ColsV;
    for (int64_t J = 0; J < Cols; ++J) {
      std::vector<ir::Value *> E1;
      for (int64_t I : Idx)
        E1.push_back(I == J ? One : Zero);
      ColsV.push_back(emit(OpCode::Concat, E1,
                           Type::vector(Sec::Public, Elem::Int, 0, R), L));
    }
    return emit(OpCode::ColBind, ColsV,
                Type::matrix(Sec::Public, Elem::Int, 0, R, Dim::constant(Cols)),
                L);
  }
  ir::Value *identity(int64_t D, SMLoc L) {
    std::vector<int64_t> Idx;
    for (int64_t I = 0; I < D; ++I)
      Idx.push_back(I);
    return unitRows(Idx, D, L);
  }
  /// a * b of fixed-point values, truncated back to scale F.
  ir::Value *mulTruncF(ir::Value *A, ir::Value *Bv, SMLoc L) {
    Type T = A->type().Rank >= Bv->type().Rank ? A->type() : Bv->type();
    T.S = joinSec(A->type(), Bv->type());
    T.Scale = uint8_t(2 * M.FracBits);
    return truncF(emit(OpCode::Mul, {A, Bv}, T, L), L);
  }
  /// V (scale F) at scale 2F: a local product with the public 1.0.
  ir::Value *widened(ir::Value *V, SMLoc L) {
    Type T = V->type();
    T.Scale = uint8_t(2 * M.FracBits);
    return emit(OpCode::Mul, {V, constant(1, fix(Sec::Public), L)}, T, L);
  }
  /// V 2^10 / n: what the models' solves see (their diagonals are then
  /// 2^10 times variances, within SOLVE's range whatever n). n is public
  /// (NFix), or secret with its reciprocal InvN.
  ir::Value *perRow(ir::Value *V, ir::Value *NFix, ir::Value *InvN, SMLoc L) {
    ir::Value *K = emit(OpCode::Mul, {V, intConst(1024, L)}, V->type(), L);
    return InvN ? mulTruncF(K, InvN, L)
                : emit(OpCode::Div, {K, NFix}, V->type(), L);
  }

  /// Bits Lo .. Lo+N-1 of the encoding of a scalar (an N-vector of 0/1
  /// ints) or of each element of a vector (a len x N matrix).
  ir::Value *bitsOf(ir::Value *X, int64_t Lo, int64_t N, SMLoc L) {
    const Type &T = X->type();
    Type R = T.Rank == 0
                 ? Type::vector(T.S, Elem::Int, 0, Dim::constant(N))
                 : Type::matrix(T.S, Elem::Int, 0, T.D[0], Dim::constant(N));
    return emit(OpCode::Bits, {X}, R, L, {{"lo", Lo}, {"n", N}});
  }
  /// The fixed-point value (scale F) whose encoding is bits 0 .. Count-1 of
  /// bitsOf(X, 0, N): the sum of bit i times 2^(i - F), a product with a
  /// public weight vector (local).
  ir::Value *fromLowBits(ir::Value *Bm, int64_t N, int64_t Count, SMLoc L) {
    std::vector<ir::Value *> W;
    for (int64_t I = 0; I < N; ++I)
      W.push_back(
          constant(I < Count ? std::ldexp(1.0, int(I) - int(M.FracBits)) : 0.0,
                   fix(Sec::Public), L));
    ir::Value *Wv =
        emit(OpCode::Concat, W, fix(Sec::Public, 1, Dim::constant(N)), L);
    const Type &BT = Bm->type();
    if (BT.Rank == 1)
      return emit(OpCode::Dot, {Bm, Wv}, fix(BT.S), L);
    ir::Value *P = emit(OpCode::MatMul, {Bm, asColumn(Wv, L)},
                        fix(BT.S, 2, BT.D[0], Dim::constant(1)), L);
    return columnOf(P, 0, L);
  }
  /// floor(X), ceiling(X) or round(X) (R's: halves to even) of a
  /// fixed-point scalar or vector, exactly, from the low bits of its
  /// encoding (two's complement, so negative values too): floor(x) is x
  /// minus the value of its F fractional bits.
  ir::Value *roundFix(StringRef Fn, ir::Value *X, SMLoc L) {
    const int64_t F = M.FracBits;
    if (Fn == "ceiling") {
      ir::Value *NegX = emit(OpCode::Neg, {X}, X->type(), L);
      ir::Value *Fl = roundFix("floor", NegX, L);
      return emit(OpCode::Neg, {Fl}, Fl->type(), L);
    }
    if (Fn == "floor")
      return emit(OpCode::Sub, {X, fromLowBits(bitsOf(X, 0, F, L), F, F, L)},
                  X->type(), L);
    // round: y = x + 1/2 and floor(y), less 1 where x was a tie (y has no
    // fraction) and floor(y) is odd (bit F of y).
    ir::Value *Y = emit(OpCode::Add, {X, constant(0.5, fix(Sec::Public), L)},
                        X->type(), L);
    ir::Value *Bm = bitsOf(Y, 0, F + 1, L);
    ir::Value *FracY = fromLowBits(Bm, F + 1, F, L);
    ir::Value *Fl = emit(OpCode::Sub, {Y, FracY}, X->type(), L);
    ir::Value *Odd = X->type().Rank == 0
                         ? emit(OpCode::Get, {Bm, intConst(double(F + 1), L)},
                                Type::scalar(X->type().S, Elem::Int), L)
                         : columnOf(Bm, F, L);
    ir::Value *Tie =
        compare(BinaryOp::Eq, FracY, constant(0, fix(Sec::Public), L), L);
    return arith(BinaryOp::Sub, Fl, arith(BinaryOp::Mul, Tie, Odd, L), L);
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

  /// Sets attribute \p Key (names, kind, meta: how a value prints) on the
  /// op that computes \p V. On a call with several results it is
  /// `Key.<result>`; the inline pass moves it to the op that computes that
  /// result in the copied body.
  void annotate(ir::Value *V, const std::string &Key, Attr A) {
    Op *D = V->def();
    if (!D)
      return;
    if (D->code() == OpCode::Call && D->numResults() > 1)
      D->Attrs[Key + "." + std::to_string(V->index())] = std::move(A);
    else
      D->Attrs[Key] = std::move(A);
  }
  bool annotated(const ir::Value *V, const std::string &Key) const {
    const Op *D = V->def();
    return D && (D->hasAttr(Key) ||
                 D->hasAttr(Key + "." + std::to_string(V->index())));
  }

  // ---- expressions
  LV lower(const Expr &E);
  LV lowerCall(const CallExpr &E);
  LV lowerBuiltin(const CallExpr &E, StringRef Name);
  LV inlineFunction(const CallExpr &E, const FunctionExpr &F, Scope *Closure,
                    StringRef Name);
  LV lowerBody(const FunctionExpr &F, const std::vector<LV> &Args);
  std::optional<LV> outlineCall(const CallExpr &E, const FunctionExpr &F,
                                Scope *Closure, StringRef Name, Scope &Frame,
                                const std::vector<LV> &Args);
  std::vector<ir::Value *> closureConvert(ir::Function &Fn);
  std::string specKey(const FunctionExpr &F, Scope *Closure, Scope &Frame,
                      bool &Ok);
  LV lowerIf(const IfExpr &E);
  LV lowerLm(const CallExpr &E, const Expr &Formula, const Expr *Data);
  LV lowerGlm(const CallExpr &E, const Expr &Formula, const Expr *Data);
  LV lowerTTestFormula(const CallExpr &E, const Expr &Formula);
  struct ModelData buildDesign(const CallExpr &E, const Expr &Formula,
                               const Expr *Data, StringRef Fn);
  LV lowerFor(const ForExpr &E);
  /// a:b of constants as a public int vector (at most kMaxConstVector).
  ir::Value *intRange(double A, double B, const Expr &E);
  static constexpr double kMaxConstVector = 10000;
  /// The 1-based positions a constant index vector picks (c(1, 3), 2:4,
  /// a logical constant mask); empty if it is not one.
  std::vector<int64_t> constPositions(const ir::Value *Idx);
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
  /// Functions being outlined, innermost last.
  std::vector<ir::Function *> Outlining;
  /// Specializations by key (specKey()); names used so far, per function.
  std::map<std::string, Specialization> Specs;
  std::map<std::string, unsigned> FnNameCount;
  /// Ids for keys: functions and closures in the order first seen.
  std::map<const void *, unsigned> KeyIds;
  /// Set when lowering reads the user's call site (.htest's data
  /// description): such a specialization is not shared with other calls.
  bool UsedCallSite = false;
  SMLoc CallSiteLoc;                  // set while inlining the stdlib
  const CallExpr *UserCall = nullptr; // the user's call being inlined
};

} // namespace sstat::lowering

#endif // SSTAT_LIB_IR_LOWERINTERNAL_H
