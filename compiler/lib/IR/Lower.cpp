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

#include "LowerInternal.h"

#include "llvm/ADT/StringExtras.h"

using namespace sstat;
using namespace sstat::ir;
using namespace llvm;
using namespace sstat::lowering;

namespace {
#include "StdlibSource.inc"
} // namespace

namespace sstat::lowering {

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
    return LV::val(
        constant(V,
                 Int ? Type::scalar(Sec::Public, Elem::Int)
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
      ir::Value *Col = emit(OpCode::Column, {F.V}, T, L,
                            {{"index", int64_t(It - F.Levels.begin())}});
      if (Op == BinaryOp::Ne)
        Col = emit(OpCode::Not, {Col}, T, L);
      return LV::val(Col, F.Valid);
    }
    if (A.K != LV::Val || C.K != LV::Val)
      unsupported(
          E, ("operator '" + Bx.getOpSpelling() + "' on these operands").str());
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
    case BinaryOp::Range: {
      // a:b of constants: the public vector a, a +- 1, ..., b.
      auto CA = constOf(A.V), CB = constOf(C.V);
      if (!CA || !CB)
        unsupported(E, "a:b of values known only at run time (outside a "
                       "for loop's header)");
      R = intRange(*CA, *CB, E);
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
                                                          Elem::Int, 0, T.D[0]),
                                             L));
          for (ir::Value *&Mv : Ms)
            Mv = toSecret(Mv, L);
          Valid =
              emit(OpCode::ColBind, Ms,
                   Type::matrix(Sec::Secret, Elem::Int, 0, T.D[0], T.D[1]), L);
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
    if (Idx->type().Rank == 1) {
      // x[c(1, 3)], x[2:4]: positions known now, one GET each.
      std::vector<int64_t> Pos = constPositions(Idx);
      if (Pos.empty())
        unsupported(E, "indexing by a vector known only at run time");
      // R recycles a logical mask over the vector: only a mask as long as
      // a vector of known length is taken as it is.
      const Dim &Len = Base.V->type().D[0];
      if (Idx->type().E == Elem::Bool &&
          (Len.K != Dim::Const || Len != Idx->type().D[0]))
        unsupported(E, "indexing by a logical mask that R would recycle "
                       "(shorter than the vector, or the vector's length "
                       "known only at run time)");
      Type ET = Base.V->type(), VT = Base.Valid ? Base.Valid->type() : ET;
      ET.Rank = VT.Rank = 0;
      std::vector<ir::Value *> Xs, Ms;
      for (int64_t P : Pos) {
        ir::Value *K = intConst(double(P), L);
        Xs.push_back(emit(OpCode::Get, {Base.V, K}, ET, L));
        if (Base.Valid)
          Ms.push_back(emit(OpCode::Get, {Base.Valid, K}, VT, L));
      }
      Type T = Base.V->type();
      T.D[0] = Dim::constant(int64_t(Pos.size()));
      ir::Value *Out = emit(OpCode::Concat, Xs, T, L);
      ir::Value *OutValid = nullptr;
      if (Base.Valid) {
        Type MT = Base.Valid->type();
        MT.D[0] = T.D[0];
        OutValid = emit(OpCode::Concat, Ms, MT, L);
      }
      return LV::val(Out, OutValid);
    }
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
  Cur = Saved;
  std::optional<LV> R = outlineCall(E, F, Closure, Name, *Frame, Args);
  if (!R) {
    Cur = Frame.get();
    R = lowerBody(F, Args);
    Cur = Saved;
  }
  Frames.push_back(std::move(Frame)); // closures may still refer to it
  return *R;
}

LV Lowerer::lowerBody(const FunctionExpr &F, const std::vector<LV> &Args) {
  struct Guard {
    std::set<const FunctionExpr *> &S;
    const FunctionExpr *F;
    ~Guard() { S.erase(F); }
  } G{Inlining, &F};
  Inlining.insert(&F);
  // `return(x)` is supported as the last expression of the body.
  const Expr *Body = F.getBody();
  LV R;
  if (auto *Bl = dyn_cast<BlockExpr>(Body)) {
    const auto &S = Bl->getStmts();
    for (size_t I = 0; I < S.size(); ++I) {
      const Expr *X = S[I].get();
      if (auto *C = dyn_cast<CallExpr>(X);
          C && C->getCalleeName() == "return") {
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
  // A square result of a matrix of named columns (cov, cor) is named by
  // them in both dimensions, as R's.
  if (R.K == LV::Val && R.V->type().Rank == 2 && !annotated(R.V, "names")) {
    const Type &T = R.V->type();
    for (const LV &A : Args)
      if (!A.ColNames.empty() && T.D[0].K == Dim::Const && T.D[0] == T.D[1] &&
          T.D[0].N == int64_t(A.ColNames.size())) {
        annotate(R.V, "names", A.ColNames);
        annotate(R.V, "kind", std::string("matrix"));
        annotate(R.V, "meta", std::vector<std::string>{"dimnames"});
        break;
      }
  }
  return R;
}

// ---- outlining: one IR function per specialization

/// Whether V is a value the lowerer decides things from at compile time
/// (a constant, a table's row count): it is part of a specialization's key
/// and is re-made inside the function, not passed.
static bool isCompileTime(const ir::Value *V) {
  const Op *D = V->def();
  return D && D->numOperands() == 0 && D->numRegions() == 0 &&
         D->hasTrait(Pure);
}

static std::string describeCompileTime(const ir::Value *V) {
  const Op *D = V->def();
  std::string S = std::string(D->info().Mnemonic) + ":" + V->type().str();
  for (const auto &KV : D->Attrs) {
    S += "," + KV.first + "=";
    if (auto *I = std::get_if<int64_t>(&KV.second))
      S += std::to_string(*I);
    else if (auto *X = std::get_if<double>(&KV.second)) {
      char Buf[40];
      std::snprintf(Buf, sizeof Buf, "%a", *X); // exact
      S += Buf;
    } else if (auto *T = std::get_if<std::string>(&KV.second))
      S += "\"" + *T + "\"";
    else
      for (const std::string &X : std::get<std::vector<std::string>>(KV.second))
        S += "\"" + X + "\";";
  }
  return S;
}

std::string Lowerer::specKey(const FunctionExpr &F, Scope *Closure,
                             Scope &Frame, bool &Ok) {
  auto Id = [&](const void *P) {
    auto It = KeyIds.try_emplace(P, unsigned(KeyIds.size())).first;
    return std::to_string(It->second);
  };
  std::string K = "f" + Id(&F) + "@" + Id(Closure);
  for (const auto &P : F.getParams()) {
    const LV &A = Frame.Vars[P.Name];
    K += "|";
    switch (A.K) {
    case LV::None:
      K += "-";
      break;
    case LV::Str:
      K += "s\"" + A.Name + "\"";
      break;
    case LV::Table:
      K += "t" + A.Name;
      break;
    case LV::Fn:
      // The function object itself (its code and closure).
      K += "e" + Id(A.Fun) + "@" + Id(A.Closure);
      break;
    case LV::Formula: // lowered from the call's own text (lm, t.test)
    case LV::Model:   // several values and their meaning
      Ok = false;
      break;
    case LV::Val:
      if (!A.Valid && isCompileTime(A.V)) {
        K += "c" + describeCompileTime(A.V);
      } else {
        K += "v" + A.V->type().str();
        if (A.Valid)
          K += "/" + A.Valid->type().str() + (isAbsent(A) ? "a" : "");
      }
      for (const std::string &L : A.Levels)
        K += ",l\"" + L + "\"";
      for (const std::string &C : A.ColNames)
        K += ",n\"" + C + "\"";
      break;
    }
  }
  return K;
}

/// The IR values of a function's result, in a fixed order; false if the
/// result is not something a function can return (a closure, ...).
static bool flatten(const LV &R, std::vector<ir::Value *> &Out) {
  switch (R.K) {
  case LV::None:
  case LV::Str:
  case LV::Table:
    return true;
  case LV::Val:
    Out.push_back(R.V);
    if (R.Valid)
      Out.push_back(R.Valid);
    return true;
  case LV::Model:
    for (ir::Value *V : {R.Lm->Coef, R.Lm->Stats, R.Lm->Vcov, R.Lm->Converged})
      if (V)
        Out.push_back(V);
    return true;
  case LV::Fn:
  case LV::Formula:
    return false;
  }
  return false;
}

/// R with its IR values replaced, in flatten()'s order, by \p Vs.
static LV unflatten(const LV &R, ArrayRef<ir::Value *> Vs) {
  LV Out = R;
  size_t I = 0;
  if (R.K == LV::Val) {
    Out.V = Vs[I++];
    if (R.Valid)
      Out.Valid = Vs[I++];
  } else if (R.K == LV::Model) {
    Out.Lm = std::make_shared<LmModel>(*R.Lm);
    for (ir::Value **V :
         {&Out.Lm->Coef, &Out.Lm->Stats, &Out.Lm->Vcov, &Out.Lm->Converged})
      if (*V)
        *V = Vs[I++];
  }
  return Out;
}

std::vector<ir::Value *> Lowerer::closureConvert(ir::Function &Fn) {
  Block &FB = Fn.block();
  std::set<const ir::Value *> Inside;
  for (unsigned I = 0; I < FB.numArguments(); ++I)
    Inside.insert(FB.argument(I));
  walk(FB, [&](Op &O) {
    for (unsigned I = 0; I < O.numResults(); ++I)
      Inside.insert(O.result(I));
    for (unsigned R = 0; R < O.numRegions(); ++R)
      for (unsigned I = 0; I < O.region(R).block().numArguments(); ++I)
        Inside.insert(O.region(R).block().argument(I));
  });
  Op *First = FB.ops().empty() ? nullptr : FB.ops().front().get();
  std::map<const ir::Value *, ir::Value *> Local;
  std::vector<ir::Value *> Captures;
  walk(FB, [&](Op &O) {
    for (unsigned I = 0; I < O.numOperands(); ++I) {
      ir::Value *V = O.operand(I);
      if (Inside.count(V))
        continue;
      auto It = Local.find(V);
      if (It == Local.end()) {
        ir::Value *L;
        if (isCompileTime(V)) {
          ValueMap VM;
          L = FB.insertBefore(First, cloneOp(*V->def(), VM))
                  ->result(V->index());
        } else {
          L = FB.addArgument(V->type());
          Captures.push_back(V);
        }
        It = Local.emplace(V, L).first;
      }
      O.setOperand(I, It->second);
    }
  });
  return Captures;
}

/// An IR function's name from a source name: R names may hold characters
/// the IR's `@name` does not.
static std::string fnName(StringRef Name) {
  std::string S;
  for (char C : Name)
    S += (llvm::isAlnum(C) || C == '_' || C == '.') ? C : '_';
  return S.empty() ? "fn" : S;
}

std::optional<LV> Lowerer::outlineCall(const CallExpr &E, const FunctionExpr &F,
                                       Scope *Closure, StringRef Name,
                                       Scope &Frame,
                                       const std::vector<LV> &Args) {
  bool Ok = true;
  std::string Key = specKey(F, Closure, Frame, Ok);
  if (!Ok)
    return std::nullopt;
  const bool IsStdlib = CallSiteLoc.isValid();
  SMLoc L = IsStdlib ? CallSiteLoc : E.getBeginLoc();
  // The explicit operands: the arguments' values that are not known at
  // compile time, in parameter order.
  std::vector<ir::Value *> Operands;
  for (const auto &P : F.getParams()) {
    const LV &A = Frame.Vars[P.Name];
    if (A.K == LV::Val && (A.Valid || !isCompileTime(A.V))) {
      Operands.push_back(A.V);
      if (A.Valid)
        Operands.push_back(A.Valid);
    }
  }
  auto Call = [&](const Specialization &S) {
    auto O = std::make_unique<Op>(OpCode::Call, L);
    for (ir::Value *V : Operands)
      O->addOperand(V);
    for (ir::Value *V : S.Captures)
      O->addOperand(V);
    O->Attrs["callee"] = S.Fn->Name;
    for (const Type &T : S.Fn->ResultTypes)
      O->addResult(T);
    Op *Placed = B->append(std::move(O));
    std::vector<ir::Value *> Rs;
    for (unsigned I = 0; I < Placed->numResults(); ++I)
      Rs.push_back(Placed->result(I));
    return unflatten(S.Result, Rs);
  };
  if (auto It = Specs.find(Key); It != Specs.end())
    return Call(It->second);

  // Lower the body into a new function whose parameters stand for the
  // explicit operands.
  std::string FnBase = fnName(Name);
  unsigned N = ++FnNameCount[FnBase];
  ir::Function &Fn = M.addFunction(FnBase + "." + std::to_string(N));
  const size_t FnIndex = M.Functions.size() - 1;
  const std::map<std::string, LV> Bound = Frame.Vars;
  for (const auto &P : F.getParams()) {
    LV &A = Frame.Vars[P.Name];
    if (A.K == LV::Val && (A.Valid || !isCompileTime(A.V))) {
      bool WasAbsent = isAbsent(A);
      A.V = Fn.block().addArgument(A.V->type());
      if (A.Valid) {
        A.Valid = Fn.block().addArgument(A.Valid->type());
        if (WasAbsent)
          AbsentMasks.insert(A.Valid);
      }
    }
  }
  Block *SavedB = B;
  Scope *SavedCur = Cur;
  const bool SavedUsed = UsedCallSite;
  UsedCallSite = false;
  B = &Fn.block();
  Cur = &Frame;
  Outlining.push_back(&Fn);
  LV R;
  std::vector<ir::Value *> Results;
  try {
    R = lowerBody(F, Args);
    Ok = flatten(R, Results);
  } catch (NotOutlinable &) {
    Ok = false;
  }
  Outlining.pop_back();
  B = SavedB;
  Cur = SavedCur;
  const bool Used = UsedCallSite;
  UsedCallSite = SavedUsed || Used;
  if (!Ok) {
    // Undo: drop this function and those made while lowering it.
    for (auto It = Specs.begin(); It != Specs.end();) {
      bool Made = false;
      for (size_t I = FnIndex; I < M.Functions.size(); ++I)
        Made |= It->second.Fn == M.Functions[I].get();
      It = Made ? Specs.erase(It) : std::next(It);
    }
    M.Functions.resize(FnIndex);
    Frame.Vars = Bound;
    return std::nullopt;
  }
  auto Y = std::make_unique<Op>(OpCode::Yield, L);
  for (ir::Value *V : Results) {
    Y->addOperand(V);
    Fn.ResultTypes.push_back(V->type());
  }
  Fn.block().append(std::move(Y));
  // Callees before their callers in the module (and so in print): move
  // this function after those made while lowering it.
  std::rotate(M.Functions.begin() + FnIndex, M.Functions.begin() + FnIndex + 1,
              M.Functions.end());
  if (IsStdlib)
    Fn.Attrs["inline_loc"] = std::string("call");
  Specialization S;
  S.Fn = &Fn;
  S.Captures = closureConvert(Fn);
  S.Result = R;
  // Shared with later calls of the same key only if nothing in it depends
  // on this call: its captures are inputs (loaded once for the whole
  // program), and it does not describe the user's call (a test's data).
  bool Shared = !Used;
  for (const ir::Value *C : S.Captures)
    Shared &= C->def() && (C->def()->code() == OpCode::Input ||
                           C->def()->code() == OpCode::InputValid);
  LV Out = Call(S);
  if (Shared)
    Specs.emplace(Key, std::move(S));
  return Out;
}

ir::Value *Lowerer::intRange(double A, double B, const Expr &E) {
  SMLoc L = E.getBeginLoc();
  if (A != std::floor(A) || B != std::floor(B))
    unsupported(E, "a:b of numbers that are not whole");
  const double N = std::fabs(B - A) + 1;
  if (N > kMaxConstVector)
    unsupported(E, "a:b with more than 10000 elements as a value");
  std::vector<ir::Value *> Xs;
  for (double X = A; Xs.size() < size_t(N); X += (B >= A ? 1 : -1))
    Xs.push_back(intConst(X, L));
  return emit(OpCode::Concat, Xs,
              Type::vector(Sec::Public, Elem::Int, 0,
                           Dim::constant(int64_t(Xs.size()))),
              L);
}

std::vector<int64_t> Lowerer::constPositions(const ir::Value *Idx) {
  // A c() of positive whole constants, or a logical constant vector.
  const Op *D = Idx->def();
  std::vector<int64_t> Out;
  if (!D || D->code() != OpCode::Concat || Idx->type().isSecret())
    return {};
  int64_t K = 0;
  for (const ir::Value *X : D->operands()) {
    ++K;
    auto C = constOf(X);
    if (!C)
      return {};
    if (X->type().E == Elem::Bool) {
      if (*C != 0)
        Out.push_back(K);
      continue;
    }
    if (*C < 1 || *C != std::floor(*C))
      return {};
    Out.push_back(int64_t(*C));
  }
  return Out;
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
    return LV::val(
        emit(OpCode::Length, {X.V}, Type::scalar(Sec::Public, Elem::Int), L));
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
    return LV::val(identity(int64_t(*K), L));
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
    return LV::val(
        constant(*C,
                 Type::vector(Sec::Public, Int ? Elem::Int : Elem::Fix,
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
    ir::Value *V =
        toSecret(convert(plainValue(*VE, ".htest"), Elem::Fix, L), L);
    auto Res = std::make_shared<LmModel>();
    Res->Stats = V;
    std::string Data;
    UsedCallSite = true;
    if (UserCall)
      for (const Arg &A : UserCall->getArgs())
        if (A.Value && (!A.Name || *A.Name == "x" || *A.Name == "y") &&
            !isa<StringExpr>(A.Value.get()) &&
            !isa<NumberExpr>(A.Value.get()) && !isa<ConstExpr>(A.Value.get()))
          Data += (Data.empty() ? "" : " and ") + printSource(*A.Value);
    Res->Call = Data;
    Res->Meta = {Data};
    LV R;
    R.K = LV::Model;
    R.Lm = std::move(Res);
    R.View = KindE->getValue();
    return R;
  }
  if (Name == "seq_len") {
    auto K = constOf(value(*ArgNamed("length.out", 0)));
    if (!K || *K < 1)
      unsupported(E, "seq_len() of anything but a positive constant, as a "
                     "value (outside a for loop's header)");
    return LV::val(intRange(1, *K, E));
  }
  if (Name == "as.numeric") {
    // Logicals and integers as numbers: a local rescaling of the shares.
    LV X = lower(*ArgNamed("x", 0));
    if (X.K != LV::Val || !X.Levels.empty())
      unsupported(E, "as.numeric() of this value");
    return LV::val(convert(X.V, Elem::Fix, L), X.Valid);
  }
  if (Name == "nlevels") {
    // A factor's levels are in the schema: public, known now.
    LV X = lower(*ArgNamed("x", 0));
    if (X.K != LV::Val || X.Levels.empty())
      unsupported(E, "nlevels() of this value");
    return LV::val(intConst(double(X.Levels.size()), L));
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
      return LV::val(constant(
          1, Type::matrix(Sec::Public, Elem::Int, 0, T.D[0], Dim::constant(1)),
          L));
    Type CT = X.Valid->type();
    CT.Rank = 1;
    ir::Value *W = nullptr;
    for (int64_t J = 0; J < T.D[1].N; ++J) {
      ir::Value *Col = emit(OpCode::Column, {X.Valid}, CT, L, {{"index", J}});
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
      Parts.push_back(
          emit(OpCode::Get, {Col, intConst(double(J + 1), L)}, ST, L));
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
    OpCode C = Name == "sqrt"  ? OpCode::Sqrt
               : Name == "exp" ? OpCode::Exp
                               : OpCode::Log;
    if (auto K = constOf(V)) {
      double R = Name == "sqrt"  ? std::sqrt(*K)
                 : Name == "exp" ? std::exp(*K)
                                 : std::log(*K);
      if (std::isfinite(R))
        return LV::val(constant(R, V->type(), L), X.Valid);
    }
    return LV::val(emit(C, {V}, V->type(), L), X.Valid);
  }
  if (Name == "floor" || Name == "ceiling" || Name == "round") {
    if (Name == "round")
      if (const Expr *D = ArgNamed("digits", 1)) {
        auto K = constOf(value(*D));
        if (!K || *K != 0)
          unsupported(*D, "round() to digits other than 0");
      }
    LV X = lower(*ArgNamed("x", 0));
    if (X.K != LV::Val)
      unsupported(E, "this argument");
    if (X.V->type().E != Elem::Fix) // an integer is its own floor
      return LV::val(convert(X.V, Elem::Fix, L), X.Valid);
    if (auto K = constOf(X.V))
      return LV::val(constant(Name == "floor"     ? std::floor(*K)
                              : Name == "ceiling" ? std::ceil(*K)
                                                  : std::nearbyint(*K),
                              X.V->type(), L),
                     X.Valid);
    if (X.V->type().Rank > 1)
      unsupported(E, (Name + "() of a matrix").str());
    return LV::val(roundFix(Name, X.V, L), X.Valid);
  }
  if (Name == "abs") {
    LV X = lower(*ArgNamed("x", 0));
    ir::Value *V = X.V;
    if (V->type().E == Elem::Bool)
      V = convert(V, Elem::Int, L);
    ir::Value *Zero =
        constant(0, Type::scalar(Sec::Public, V->type().E, V->type().Scale), L);
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
      ir::Value *No =
          convert(emit(OpCode::Not, {F.V}, F.V->type(), L), Elem::Int, L);
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
      annotate(V, "names", Levels);
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
        Counts = emit(OpCode::Select, {Small, intConst(-1, L), Counts}, CT, L);
        Meta.push_back("min_cell");
        Meta.push_back(std::to_string(MinCell));
      }
      std::vector<std::string> Names = LA;
      Names.insert(Names.end(), LB.begin(), LB.end());
      annotate(Counts, "names", Names);
      annotate(Counts, "kind", std::string("table"));
      annotate(Counts, "meta", Meta);
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
    ir::Value *Counts =
        GroupProduct(Tr, XL.Valid ? XL.Valid : Ones(X->type().D[0]));
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
      ir::Value *Dev =
          arith(BinaryOp::Sub, SS, arith(BinaryOp::Mul, Means, Sums, L), L);
      ir::Value *Var =
          arith(BinaryOp::Div, Dev,
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
    Elem El = Name == "numeric"   ? Elem::Fix
              : Name == "integer" ? Elem::Int
                                  : Elem::Bool;
    return LV::val(
        constant(0,
                 Type::vector(Sec::Public, El, El == Elem::Fix ? M.FracBits : 0,
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
    ir::Value *A =
        convert(plainValue(*ArgNamed("a", 0), "solve"), Elem::Fix, L);
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
        Bm = asColumn(Bm, L);
      }
    } else {
      Bm = convert(identity(D, L), Elem::Fix, L);
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
      Cols.push_back(
          emit(OpCode::Trunc, {C}, TT, L, {{"bits", int64_t(M.FracBits)}}));
    }
    if (Vector)
      return LV::val(Cols[0]);
    return LV::val(
        emit(OpCode::ColBind, Cols, fix(S, 2, AT.D[0], Dim::constant(Mm)), L));
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
      annotate(X.Lm->Coef, "names", X.Lm->Terms);
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
    auto P = std::make_unique<Op>(OpCode::Publish, L);
    if (X.K == LV::Model) {
      // A model or a test publishes what the computation opens for it, and
      // the recipient computes what R prints from that (docs/bytecode.md,
      // "Result kinds"); each opened number is a function of the printout.
      if (X.View == "lm" || X.View == "glm")
        unsupported(*XE, "publish() of a model (publish summary(fit), "
                         "coef(fit) or confint(fit))");
      P->addOperand(X.View == "vcov.lm" ? X.Lm->Vcov : X.Lm->Stats);
      P->Attrs["kind"] = X.View;
      P->Attrs["names"] = X.Lm->Terms;
      P->Attrs["meta"] = X.Lm->Meta;
    } else {
      if (X.K != LV::Val || X.Valid)
        unsupported(E, "publish() of this value");
      P->addOperand(X.V);
    }
    std::vector<std::string> To;
    if (const Expr *T = ArgNamed("to", 1)) {
      if (auto *S = dyn_cast<StringExpr>(T))
        To.push_back(S->getValue());
      else if (auto *C = dyn_cast<CallExpr>(T))
        for (const Arg &A : C->getArgs())
          if (auto *S = A.Value ? dyn_cast<StringExpr>(A.Value.get()) : nullptr)
            To.push_back(S->getValue());
    }
    P->Attrs["to"] = To;
    P->Attrs["what"] = printSource(*XE);
    B->append(std::move(P));
    return LV();
  }
  unsupported(E, ("the function '" + Name + "'").str());
}

} // namespace sstat::lowering

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
