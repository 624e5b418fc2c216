//===- LowerModels.cpp - Models, tests and merge() to SSA IR --------------===//
//
// The lowerings of lm(), glm(), t.test(y ~ g) and merge(): each builds its
// design from the checked formula (CheckResult::Designs) and emits the IR
// of its computation and of what it opens (docs/bytecode.md, "Result
// kinds"); docs/protocols.md gives their costs and what stays secret.
//
//===----------------------------------------------------------------------===//

#include "LowerInternal.h"

namespace sstat::lowering {

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
  // A merge registers a table whose columns are values of this function;
  // main's code may use them later, so it is lowered in main, not in a
  // function of its own (outlineCall() falls back to inlining the call).
  if (!Outlining.empty())
    throw NotOutlinable();
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
  ir::Value *KYm = MatMul(
      Ones(NX, One), emit(OpCode::Transpose, {AsCol(KY)},
                          Type::matrix(Sec::Secret, Elem::Int, 0, One, NY), L));
  Type BT = KXm->type();
  BT.E = Elem::Bool;
  ir::Value *Match = convert(emit(OpCode::Eq, {KXm, KYm}, BT, L), Elem::Int, L);
  // Keys are unique within y: each row of Match holds at most one 1, which
  // the range analysis uses to bound y's columns carried to x (Range.h).
  Match->def()->Attrs["row_sum_at_most"] = int64_t(1);
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
        Out.Levels = Src.Levels;
        if (First) {
          // x's own rows: values times the mask, so absent rows hold 0.
          ir::Value *V = Src.V;
          if (!Src.Levels.empty()) {
            ir::Value *M = MatMul(AsCol(D.Matched), Ones(One, V->type().D[1]));
            Out.V =
                emit(OpCode::Mul, {convert(V, Elem::Int, L), M}, M->type(), L);
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
    if (C.Valid &&
        std::find(Masks.begin(), Masks.end(), C.Valid) == Masks.end())
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
  ir::Value *Nx =
      emit(OpCode::Sum, {Ix}, Type::scalar(Sec::Secret, Elem::Int), L);
  ir::Value *Ny =
      emit(OpCode::Sum, {Iy}, Type::scalar(Sec::Secret, Elem::Int), L);
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
    ir::Value *A =
        Op2(BinaryOp::Mul, Op2(BinaryOp::Mul, Dx, At(Inv, 3)), At(Inv, 1));
    ir::Value *Bv =
        Op2(BinaryOp::Mul, Op2(BinaryOp::Mul, Dy, At(Inv, 4)), At(Inv, 2));
    Se2 = Op2(BinaryOp::Add, A, Bv);
    ir::Value *Den = Op2(
        BinaryOp::Add, Op2(BinaryOp::Mul, Op2(BinaryOp::Mul, A, A), At(Inv, 3)),
        Op2(BinaryOp::Mul, Op2(BinaryOp::Mul, Bv, Bv), At(Inv, 4)));
    Df = Op2(BinaryOp::Div, Op2(BinaryOp::Mul, Se2, Se2), Den);
  }
  ir::Value *Vals = emit(OpCode::Concat,
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
  auto MulT = [&](ir::Value *A, ir::Value *Bv) { return mulTruncF(A, Bv, L); };
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
    return emit(OpCode::Solve, {H, G}, FixT(2 * F, 2, PD, Dim::constant(2)), L);
  };
  auto Sigmoid = [&](ir::Value *Eta) {
    Type BT = Eta->type();
    BT.E = Elem::Bool;
    BT.Scale = 0;
    ir::Value *Neg = emit(OpCode::Lt, {Eta, Const(0)}, BT, L);
    ir::Value *MinusEta = emit(OpCode::Neg, {Eta}, Eta->type(), L);
    ir::Value *Abs = emit(OpCode::Select, {Neg, MinusEta, Eta}, Eta->type(), L);
    ir::Value *Ex =
        emit(OpCode::Exp, {emit(OpCode::Neg, {Abs}, Abs->type(), L)},
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
  ir::Value *InvN =
      MD.W ? emit(OpCode::Recip, {NFix}, NFix->type(), L) : nullptr;
  auto PerRow = [&](ir::Value *V) { return perRow(V, NFix, InvN, L); };
  // The first step: least squares on the working response of R's start.
  const double C0 = std::log(3.0) + 4.0 / 3.0;
  ir::Value *Z0 = Sub(MulT(Y, Const(2 * C0)), Const(C0));
  ir::Value *G0 =
      Trunc(emit(OpCode::MatMul, {Xt, X}, FixT(2 * F, 2, PD, PD), L));
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
    ir::Value *Wb =
        emit(OpCode::MatMul,
             {AsCol(Wt),
              constant(1, Type::matrix(Sec::Public, Elem::Int, 0, One, PD), L)},
             fix(Sec::Secret, 2, N, PD), L);
    ir::Value *Xw = MulT(X, Wb);
    ir::Value *H = Trunc(
        emit(OpCode::MatMul, {Transposed(Xw), X}, FixT(2 * F, 2, PD, PD), L));
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
    ir::Value *Mu = Sigmoid(Col(
        Trunc(emit(OpCode::MatMul, {X, AsCol(Bt)}, FixT(2 * F, 2, N, One), L)),
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
  ir::Value *Ybar =
      InvN ? MulT(Sy, InvN) : emit(OpCode::Div, {Sy, NFix}, Sy->type(), L);
  ir::Value *Logs = emit(OpCode::Log,
                         {emit(OpCode::Concat, {Ybar, Sub(Const(1), Ybar)},
                               fix(Sec::Secret, 1, Dim::constant(2)), L)},
                         fix(Sec::Secret, 1, Dim::constant(2)), L);
  auto Get = [&](ir::Value *V, int64_t I) {
    return emit(OpCode::Get, {V, intConst(double(I), L)}, fix(Sec::Secret), L);
  };
  ir::Value *Dev0 =
      MulT(Add(MulT(Sy, Get(Logs, 1)), MulT(Sub(NFix, Sy), Get(Logs, 2))),
           Const(-2));
  auto Wide = [&](ir::Value *V) { return widened(toSecret(V, L), L); };
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
  annotate(Beta, "names", MD.Names);
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
  auto Pick = [&](std::vector<int64_t> Idx) { return unitRows(Idx, PZ, L); };
  std::vector<int64_t> XIdx;
  for (int64_t J = 0; J < P; ++J)
    XIdx.push_back(J + 2);
  ir::Value *SelX = Pick(XIdx), *SelY = Pick({1}), *SelU = Pick({0});
  auto Block = [&](ir::Value *Rows, ir::Value *ColsSel) {
    ir::Value *RG =
        emit(OpCode::MatMul, {Rows, G}, Fix2(2, Rows->type().D[0], PZD), L);
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
  auto Mean = [&](ir::Value *S) {
    if (!InvN)
      return emit(OpCode::Div, {S, NFix}, S->type(), L);
    return mulTruncF(S, InvN, L);
  };
  ir::Value *MxCol = nullptr, *My = nullptr;
  auto Sub2 = [&](ir::Value *A, ir::Value *Bv) {
    return emit(OpCode::Sub, {A, Bv}, A->type(), L);
  };
  if (MD.Intercept) {
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
  auto PerRow = [&](ir::Value *V) { return perRow(V, NFix, InvN, L); };
  std::vector<ir::Value *> Rhs = {PerRow(Bv)};
  if (MxCol)
    Rhs.push_back(PerRow(MxCol));
  A = PerRow(A);
  const int64_t Mr = int64_t(Rhs.size());
  ir::Value *RhsM =
      emit(OpCode::ColBind, Rhs, fix(Sec::Secret, 2, PD, Dim::constant(Mr)), L);
  ir::Value *Sol =
      emit(OpCode::Solve, {A, RhsM}, Fix2(2, PD, Dim::constant(Mr + 1)), L);
  ir::Value *Slopes = Trunc(Col(Sol, 0));
  ir::Value *VDiag = Col(Sol, Mr);
  ir::Value *Rss = Sub2(Cyy, emit(OpCode::Dot, {Slopes, Bv}, Fix2(0), L));
  ir::Value *Coef = Slopes;
  std::vector<ir::Value *> Stats;
  auto Wide = [&](ir::Value *V) { return widened(V, L); };
  Type CoefT = fix(Sec::Secret, 1, Dim::constant(int64_t(Names.size())));
  // vcov(): a second solve against the identity gives (n / 2^10) C^-1
  // whole (only if vcov() is published; dead code otherwise).
  std::vector<ir::Value *> VcovStats;
  {
    ir::Value *Id = toSecret(convert(identity(P, L), Elem::Fix, L), L);
    ir::Value *Inv =
        emit(OpCode::Solve, {A, Id}, Fix2(2, PD, Dim::constant(P + 1)), L);
    for (int64_t J = 0; J < P; ++J)
      VcovStats.push_back(Col(Inv, J));
  }
  if (MD.Intercept) {
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
  Fit->Intercept = MD.Intercept;
  Fit->Call = "lm(formula = " + printSource(FormulaE) +
              ", data = " + printSource(*DataE) + ")";
  Fit->Meta = {Fit->Call, MD.Intercept ? "intercept" : "no intercept"};
  Fit->Coef = Coef;
  Fit->Stats = emit(OpCode::Concat, Stats, Fix2(1, Dim::constant(NStats)), L);
  VcovStats.push_back(Rss);
  VcovStats.push_back(toSecret(Wide(NFix), L));
  const int64_t NVcov = (MD.Intercept ? 1 + P : 0) + P * P + 2;
  Fit->Vcov = emit(OpCode::Concat, VcovStats, Fix2(1, Dim::constant(NVcov)), L);
  LV R;
  R.K = LV::Model;
  R.Lm = std::move(Fit);
  R.View = "lm";
  return R;
}

} // namespace sstat::lowering
