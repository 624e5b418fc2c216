//===- Cleartext.cpp - The reference executor -----------------------------===//
//
// A register VM over Z_2^k (k = 64: uint64_t; k = 128: unsigned __int128).
// Registers hold vectors or matrices of ring elements; a register's element
// type and fixed-point scale come from the program's register table, so the
// encoding of every value is fixed by the compiler. The dispatch loop is the
// one long function here; each instruction checks the shapes it is given at
// run time (lengths of public data are only known then) and reports errors
// with the source line.
//
//===----------------------------------------------------------------------===//

#include "sstat/runtime/Cleartext.h"
#include "sstat/runtime/RPrint.h"
#include "sstat/runtime/Results.h"

#include "VMCommon.h"
#include "sstat/runtime/FixedPoint.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <cstdio>
#include <limits>
#include <optional>

using namespace sstat;
using namespace sstat::runtime;
using namespace llvm;

namespace {

using vm::err;

template <typename R> struct Reg {
  bool Set = false;
  unsigned Rank = 0;
  uint64_t Rows = 1, Cols = 1; // a vector has Rows = length, Cols = 1
  std::vector<R> V;
  size_t size() const { return V.size(); }
};

template <typename R> class VM {
public:
  using S = typename vm::SignedOf<R>::T;

  VM(const bc::Program &P) : P(P), Regs(P.Regs.size()) {
    Params.K = P.RingBits;
    Params.F = P.FracBits;
  }

  Error loadInputs(const std::vector<InputFile> &Files, RunStats *Stats);
  Expected<std::vector<OutputValue>> run(RunStats *Stats);

private:
  Error fail(size_t Pc, const Twine &Why) {
    uint32_t Line = P.Code[Pc].Line;
    return err((Line ? "line " + Twine(Line) + ": " : Twine("")) + Why);
  }

  R encode(double X, unsigned Scale) const {
    return vm::encode<R>(X, Scale, Params.K);
  }
  double decode(R X, unsigned Scale) const { return vm::decode<R>(X, Scale); }
  R trunc(R X, unsigned Bits) const {
    return R(S(X) >> Bits); // arithmetic shift: floor
  }

  Error setReg(size_t Pc, uint32_t D, Reg<R> X) {
    const bc::RegType &T = P.Regs[D];
    X.Rank = T.Rank;
    X.Set = true;
    Regs[D] = std::move(X);
    (void)Pc;
    return Error::success();
  }

  /// Sets register D to the one-element value V.
  Error setScalar(size_t Pc, uint32_t D, R V) {
    Reg<R> Out;
    Out.V = {V};
    return setReg(Pc, D, std::move(Out));
  }

  Expected<const Reg<R> *> get(size_t Pc, uint32_t A) {
    if (!Regs[A].Set)
      return fail(Pc, "read of register r" + Twine(A) + " before it is set");
    return &Regs[A];
  }

  /// Applies F elementwise with R's broadcasting of a one-element operand.
  template <typename Fn>
  Error elementwise(size_t Pc, const bc::Instr &I, unsigned N, Fn F) {
    std::vector<const Reg<R> *> Ops;
    for (unsigned K = 0; K < N; ++K) {
      auto X = get(Pc, K == 0 ? I.A : K == 1 ? I.B : I.C);
      if (!X)
        return X.takeError();
      Ops.push_back(*X);
    }
    uint64_t Len = 1;
    const Reg<R> *Shape = Ops[0];
    for (const Reg<R> *X : Ops)
      if (X->size() != 1) {
        if (Len != 1 && X->size() != Len)
          return fail(Pc, "lengths differ: " + Twine(Len) + " and " +
                              Twine(X->size()));
        Len = X->size();
        Shape = X;
      }
    Reg<R> Out;
    Out.Rows = Shape->Rows;
    Out.Cols = Shape->Cols;
    if (Len == 1)
      Out.Rows = Out.Cols = 1;
    Out.V.resize(Len);
    for (uint64_t E = 0; E < Len; ++E) {
      R A = Ops[0]->V[Ops[0]->size() == 1 ? 0 : E];
      R B = N > 1 ? Ops[1]->V[Ops[1]->size() == 1 ? 0 : E] : R(0);
      R C = N > 2 ? Ops[2]->V[Ops[2]->size() == 1 ? 0 : E] : R(0);
      Out.V[E] = F(A, B, C);
    }
    return setReg(Pc, I.D, std::move(Out));
  }

  OutputValue output(const Reg<R> &X, const bc::RegType &T) const {
    return vm::decodeOutput<R>(X.V, X.Rows, X.Cols, T);
  }

  const bc::Program &P;
  fx::Params Params;
  std::vector<Reg<R>> Regs;
  std::vector<uint64_t> TableRows;
  // Per input table, its owners' rows in the order of the table's parties.
  std::vector<std::vector<vm::OwnerRows>> Parts;
};

template <typename R>
Error VM<R>::loadInputs(const std::vector<InputFile> &Files, RunStats *Stats) {
  TableRows.assign(P.Inputs.size(), 0);
  Parts.assign(P.Inputs.size(), {});
  for (size_t T = 0; T < P.Inputs.size(); ++T) {
    const bc::Table &Tab = P.Inputs[T];
    // Rows are stacked in the order of the table's parties.
    for (const std::string &Party : Tab.Parties) {
      auto F = vm::findInputFile(Files, Party, Tab);
      if (!F)
        return F.takeError();
      auto Rows = vm::loadOwnerRows(Tab, (*F)->Path);
      if (!Rows)
        return Rows.takeError();
      TableRows[T] += Rows->Rows;
      Parts[T].push_back(std::move(*Rows));
    }
    if (Stats)
      Stats->RowsPerTable[Tab.Name] = TableRows[T];
  }
  return vm::checkSafeRows(P, TableRows);
}

template <typename R>
Expected<std::vector<OutputValue>> VM<R>::run(RunStats *Stats) {
  std::vector<OutputValue> Outs;
  uint64_t Steps = 0;
  size_t Pc = 0;
  while (true) {
    if (Pc >= P.Code.size())
      return err("control left the program");
    const bc::Instr &I = P.Code[Pc];
    ++Steps;
    const bc::RegType *TD = I.D < P.Regs.size() ? &P.Regs[I.D] : nullptr;
    auto Op1 = [&](auto F) { return elementwise(Pc, I, 1, F); };
    auto Op2 = [&](auto F) { return elementwise(Pc, I, 2, F); };
    Error E = Error::success();
    switch (I.Op) {
    case bc::Opcode::CONST: {
      auto F = vm::constFill<R>(P, I, TableRows);
      if (!F)
        return fail(Pc, toString(F.takeError()));
      Reg<R> Out;
      Out.V.assign(F->Len, F->Elem);
      Out.Rows = F->Rows;
      Out.Cols = F->Cols;
      E = setReg(Pc, I.D, std::move(Out));
      break;
    }
    case bc::Opcode::INPUT:
    case bc::Opcode::INPUTVALID: {
      const bc::InputRef &Ref = P.InputRefs[I.K];
      const bc::RegType &T = P.Regs[I.D];
      Reg<R> Out;
      for (const vm::OwnerRows &O : Parts[Ref.Table]) {
        std::vector<R> V = vm::encodeInput<R>(P, I, T, O);
        Out.V.insert(Out.V.end(), V.begin(), V.end());
      }
      Out.Rows = TableRows[Ref.Table];
      if (vm::isOneHot(I, T))
        Out.Cols = P.Inputs[Ref.Table].Columns[Ref.Column].Levels.size();
      E = setReg(Pc, I.D, std::move(Out));
      break;
    }
    case bc::Opcode::NROWS: {
      E = setScalar(Pc, I.D, R(TableRows[I.K]));
      break;
    }
    case bc::Opcode::ADD:
      E = Op2([](R A, R B, R) { return R(A + B); });
      break;
    case bc::Opcode::SUB:
      E = Op2([](R A, R B, R) { return R(A - B); });
      break;
    case bc::Opcode::NEG:
      E = Op1([](R A, R, R) { return R(R(0) - A); });
      break;
    case bc::Opcode::MUL:
      E = Op2([](R A, R B, R) { return R(A * B); });
      break;
    case bc::Opcode::TRUNC: {
      unsigned Bits = unsigned(I.K);
      E = Op1([&](R A, R, R) { return trunc(A, Bits); });
      break;
    }
    case bc::Opcode::DIV: {
      // a / b with b public: multiply by the public reciprocal, encoded at
      // the result's scale, and truncate -- exactly what the secure
      // protocol does locally.
      unsigned SA = P.Regs[I.A].Scale, SB = P.Regs[I.B].Scale;
      unsigned SD = TD->Scale;
      bool ByZero = false;
      E = Op2([&](R A, R B, R) {
        auto Inv = vm::publicReciprocal<R>(B, SB, SD, Params.K);
        if (!Inv) {
          ByZero = true;
          return R(0);
        }
        return trunc(R(A * *Inv), SA);
      });
      if (ByZero) {
        consumeError(std::move(E));
        return fail(Pc, "division by zero");
      }
      break;
    }
    case bc::Opcode::RECIP:
    case bc::Opcode::RSQRT:
    case bc::Opcode::SQRT:
    case bc::Opcode::EXP:
    case bc::Opcode::LOG: {
      fx::Params Pm = Params;
      Pm.F = P.Regs[I.A].Scale;
      if (!fx::isSupported(Pm))
        return fail(Pc, "no fixed-point kernel for Z_2^" + Twine(Pm.K) +
                            " with " + Twine(Pm.F) + " fractional bits");
      bc::Opcode Op = I.Op;
      E = Op1([&](R A, R, R) {
        switch (Op) {
        case bc::Opcode::RECIP:
          // Signed, as the protocol computes it (sign by a comparison,
          // magnitude by the positive kernel, sign put back by a select).
          return S(A) < 0 ? R(R(0) - fx::reciprocal<R>(R(R(0) - A), Pm))
                          : fx::reciprocal<R>(A, Pm);
        case bc::Opcode::SQRT:
          return fx::sqrt<R>(A, Pm);
        case bc::Opcode::RSQRT:
          return fx::rsqrt<R>(A, Pm);
        case bc::Opcode::EXP:
          return fx::exp<R>(A, Pm);
        default:
          return fx::log<R>(A, Pm);
        }
      });
      break;
    }
    case bc::Opcode::CAST: {
      const bc::RegType &From = P.Regs[I.A];
      E = Op1([&](R A, R, R) { return vm::castClear<R>(A, From, *TD); });
      break;
    }
    case bc::Opcode::LT:
      E = Op2([](R A, R B, R) { return R(S(A) < S(B)); });
      break;
    case bc::Opcode::LE:
      E = Op2([](R A, R B, R) { return R(S(A) <= S(B)); });
      break;
    case bc::Opcode::EQ:
      E = Op2([](R A, R B, R) { return R(A == B); });
      break;
    case bc::Opcode::NOT:
      E = Op1([](R A, R, R) { return R(A == 0); });
      break;
    case bc::Opcode::AND:
      E = Op2([](R A, R B, R) { return R(A != 0 && B != 0); });
      break;
    case bc::Opcode::OR:
      E = Op2([](R A, R B, R) { return R(A != 0 || B != 0); });
      break;
    case bc::Opcode::SELECT:
      E = elementwise(Pc, I, 3, [](R C, R A, R B) { return C ? A : B; });
      break;
    case bc::Opcode::SUM: {
      auto X = get(Pc, I.A);
      if (!X)
        return X.takeError();
      R Acc = 0;
      for (R V : (*X)->V)
        Acc += V;
      E = setScalar(Pc, I.D, Acc);
      break;
    }
    case bc::Opcode::PREFIXSUM: {
      auto X = get(Pc, I.A);
      if (!X)
        return X.takeError();
      Reg<R> Out = **X;
      for (size_t K = 1; K < Out.V.size(); ++K)
        Out.V[K] += Out.V[K - 1];
      E = setReg(Pc, I.D, std::move(Out));
      break;
    }
    case bc::Opcode::DOT: {
      auto X = get(Pc, I.A), Y = get(Pc, I.B);
      if (!X)
        return X.takeError();
      if (!Y)
        return Y.takeError();
      if ((*X)->size() != (*Y)->size())
        return fail(Pc, "lengths differ in a dot product");
      R Acc = 0;
      for (size_t K = 0; K < (*X)->size(); ++K)
        Acc += (*X)->V[K] * (*Y)->V[K];
      E = setScalar(Pc, I.D, Acc);
      break;
    }
    case bc::Opcode::MATMUL: {
      auto X = get(Pc, I.A), Y = get(Pc, I.B);
      if (!X)
        return X.takeError();
      if (!Y)
        return Y.takeError();
      const Reg<R> &A = **X, &B = **Y;
      if (A.Cols != B.Rows)
        return fail(Pc, "non-conformable matrices");
      Reg<R> Out;
      Out.Rows = A.Rows;
      Out.Cols = B.Cols;
      Out.V.assign(A.Rows * B.Cols, 0);
      for (uint64_t Ri = 0; Ri < A.Rows; ++Ri)
        for (uint64_t K = 0; K < A.Cols; ++K)
          for (uint64_t Cj = 0; Cj < B.Cols; ++Cj)
            Out.V[Ri * B.Cols + Cj] +=
                A.V[Ri * A.Cols + K] * B.V[K * B.Cols + Cj];
      E = setReg(Pc, I.D, std::move(Out));
      break;
    }
    case bc::Opcode::SOLVE: {
      auto X = get(Pc, I.A), Y = get(Pc, I.B);
      if (!X)
        return X.takeError();
      if (!Y)
        return Y.takeError();
      const Reg<R> &A = **X, &B = **Y;
      const bc::RegType &TA = P.Regs[I.A];
      if (A.Rows != A.Cols || B.Rows != A.Rows)
        return fail(Pc, "non-conformable matrices");
      fx::Params Pm = Params;
      Pm.F = TA.Scale;
      auto Res =
          vm::solveClear<R>(A.V, B.V, unsigned(A.Rows), unsigned(B.Cols), Pm);
      if (!Res)
        return fail(Pc, toString(Res.takeError()));
      Reg<R> Out;
      Out.Rank = 2;
      Out.Rows = A.Rows;
      Out.Cols = B.Cols + 1;
      Out.V = std::move(*Res);
      E = setReg(Pc, I.D, std::move(Out));
      break;
    }
    case bc::Opcode::TRANSPOSE: {
      auto X = get(Pc, I.A);
      if (!X)
        return X.takeError();
      const Reg<R> &A = **X;
      Reg<R> Out;
      Out.Rows = A.Cols;
      Out.Cols = A.Rows;
      Out.V.resize(A.size());
      for (uint64_t Ri = 0; Ri < A.Rows; ++Ri)
        for (uint64_t Cj = 0; Cj < A.Cols; ++Cj)
          Out.V[Cj * A.Rows + Ri] = A.V[Ri * A.Cols + Cj];
      E = setReg(Pc, I.D, std::move(Out));
      break;
    }
    case bc::Opcode::LENGTH: {
      auto X = get(Pc, I.A);
      if (!X)
        return X.takeError();
      E = setScalar(Pc, I.D, R((*X)->size()));
      break;
    }
    case bc::Opcode::GET:
    case bc::Opcode::SET: {
      auto X = get(Pc, I.A), Ix = get(Pc, I.B);
      if (!X)
        return X.takeError();
      if (!Ix)
        return Ix.takeError();
      S K = S((*Ix)->V[0]);
      if (K < 1 || uint64_t(K) > (*X)->size())
        return fail(Pc, "index " + Twine(int64_t(K)) +
                            " is out of range for length " +
                            Twine((*X)->size()));
      if (I.Op == bc::Opcode::GET) {
        E = setScalar(Pc, I.D, (*X)->V[size_t(K - 1)]);
      } else {
        auto V = get(Pc, I.C);
        if (!V)
          return V.takeError();
        Reg<R> Out = **X;
        Out.V[size_t(K - 1)] = (*V)->V[0];
        E = setReg(Pc, I.D, std::move(Out));
      }
      break;
    }
    case bc::Opcode::CONCAT: {
      Reg<R> Out;
      for (uint32_t K = I.A; K < I.A + I.B; ++K) {
        auto X = get(Pc, P.Args[K]);
        if (!X)
          return X.takeError();
        Out.V.insert(Out.V.end(), (*X)->V.begin(), (*X)->V.end());
      }
      Out.Rows = Out.V.size();
      E = setReg(Pc, I.D, std::move(Out));
      break;
    }
    case bc::Opcode::CBIND: {
      // Columns of equal length (a one-element column is repeated),
      // stored row-major.
      std::vector<const Reg<R> *> Cols;
      uint64_t N = 1;
      for (uint32_t K = I.A; K < I.A + I.B; ++K) {
        auto X = get(Pc, P.Args[K]);
        if (!X)
          return X.takeError();
        Cols.push_back(*X);
        if ((*X)->size() != 1) {
          if (N != 1 && (*X)->size() != N)
            return fail(Pc, "cbind() of columns of different lengths");
          N = (*X)->size();
        }
      }
      Reg<R> Out;
      Out.Rows = N;
      Out.Cols = Cols.size();
      Out.V.resize(N * Cols.size());
      for (uint64_t Row = 0; Row < N; ++Row)
        for (size_t C = 0; C < Cols.size(); ++C)
          Out.V[Row * Cols.size() + C] =
              Cols[C]->V[Cols[C]->size() == 1 ? 0 : Row];
      E = setReg(Pc, I.D, std::move(Out));
      break;
    }
    case bc::Opcode::BITS: {
      // Bits lo .. lo+n-1 of each element's encoding (the loader checked
      // the range): row r of the result holds those of element r.
      auto X = get(Pc, I.A);
      if (!X)
        return X.takeError();
      const Reg<R> &A = **X;
      const unsigned Lo = unsigned(I.K / 1024), N = unsigned(I.K % 1024);
      Reg<R> Out;
      Out.V.resize(A.size() * N);
      for (size_t Row = 0; Row < A.size(); ++Row)
        for (unsigned B = 0; B < N; ++B)
          Out.V[Row * N + B] = (A.V[Row] >> (Lo + B)) & 1;
      Out.Rows = TD->Rank == 1 ? N : A.size();
      Out.Cols = TD->Rank == 1 ? 1 : N;
      E = setReg(Pc, I.D, std::move(Out));
      break;
    }
    case bc::Opcode::COLUMN: {
      auto X = get(Pc, I.A);
      if (!X)
        return X.takeError();
      const Reg<R> &A = **X;
      if (I.K < 0 || uint64_t(I.K) >= A.Cols)
        return fail(Pc, "column " + Twine(I.K + 1) + " of a matrix with " +
                            Twine(A.Cols) + " columns");
      Reg<R> Out;
      Out.Rows = A.Rows;
      Out.V.resize(A.Rows);
      for (uint64_t Row = 0; Row < A.Rows; ++Row)
        Out.V[Row] = A.V[Row * A.Cols + uint64_t(I.K)];
      E = setReg(Pc, I.D, std::move(Out));
      break;
    }
    case bc::Opcode::REVEAL: {
      auto X = get(Pc, I.A);
      if (!X)
        return X.takeError();
      Reg<R> Out = **X;
      E = setReg(Pc, I.D, std::move(Out));
      break;
    }
    case bc::Opcode::PUBLISH: {
      auto X = get(Pc, I.A);
      if (!X)
        return X.takeError();
      OutputValue O = output(**X, P.Regs[I.A]);
      O.Label = P.Outputs[I.K].Label;
      O.To = P.Outputs[I.K].To;
      O.Names = P.Outputs[I.K].Names;
      O.Kind = P.Outputs[I.K].Kind;
      O.Meta = P.Outputs[I.K].Meta;
      Outs.push_back(std::move(O));
      break;
    }
    case bc::Opcode::MOV: {
      auto X = get(Pc, I.A);
      if (!X)
        return X.takeError();
      Reg<R> Out = **X;
      E = setReg(Pc, I.D, std::move(Out));
      break;
    }
    case bc::Opcode::JUMP:
      Pc = size_t(I.K);
      continue;
    case bc::Opcode::JUMPIFNOT: {
      auto X = get(Pc, I.A);
      if (!X)
        return X.takeError();
      if ((*X)->V.empty() || (*X)->V[0] == 0) {
        Pc = size_t(I.K);
        continue;
      }
      break;
    }
    case bc::Opcode::JUMPIFGT: {
      auto X = get(Pc, I.A), Y = get(Pc, I.B);
      if (!X)
        return X.takeError();
      if (!Y)
        return Y.takeError();
      if (S((*X)->V[0]) > S((*Y)->V[0])) {
        Pc = size_t(I.K);
        continue;
      }
      break;
    }
    case bc::Opcode::INC: {
      auto X = get(Pc, I.A);
      if (!X)
        return X.takeError();
      Reg<R> Out = **X;
      Out.V[0] += 1;
      E = setReg(Pc, I.D, std::move(Out));
      break;
    }
    case bc::Opcode::HALT:
      if (Stats)
        Stats->Instructions = Steps;
      return Outs;
    }
    if (E)
      return std::move(E);
    ++Pc;
  }
}

} // namespace

Expected<std::vector<OutputValue>>
sstat::runtime::runCleartext(const bc::Program &P,
                             const std::vector<InputFile> &Inputs,
                             RunStats *Stats) {
  if (P.RingBits == 64) {
    VM<uint64_t> M(P);
    if (Error E = M.loadInputs(Inputs, Stats))
      return std::move(E);
    return M.run(Stats);
  }
  VM<unsigned __int128> M(P);
  if (Error E = M.loadInputs(Inputs, Stats))
    return std::move(E);
  return M.run(Stats);
}

//===----------------------------------------------------------------------===//
// Output formatting
//===----------------------------------------------------------------------===//

std::string sstat::runtime::formatR(const OutputValue &V) {
  if (!V.Kind.empty()) {
    auto View = viewResult(V);
    if (!View)
      return "error: " + toString(View.takeError()) + "\n";
    if (*View)
      return (*View)->Text;
  }
  // As R's print(): one common format (7 significant digits) per vector or
  // matrix column, names above values, [k] at the start of each line.
  std::vector<std::string> Cells;
  if (V.IsBool)
    for (double X : V.Values)
      Cells.push_back(X != 0 ? "TRUE" : "FALSE");
  else
    Cells = rprint::formatR(V.Values, 7);
  if (V.Rank == 2) {
    std::vector<std::string> RowNames, ColNames;
    for (uint64_t R = 0; R < V.Rows; ++R)
      RowNames.push_back("[" + std::to_string(R + 1) + ",]");
    for (uint64_t C = 0; C < V.Cols; ++C)
      ColNames.push_back("[," + std::to_string(C + 1) + "]");
    if (V.IsBool)
      return rprint::printStringMatrixR(RowNames, ColNames, Cells);
    return rprint::printMatrixR(RowNames, ColNames, V.Values);
  }
  if (!V.Names.empty() && V.Names.size() == V.Values.size()) {
    if (V.IsBool)
      return rprint::printNamedStringVectorR(V.Names, Cells);
    return rprint::printNamedVectorR(V.Names, V.Values);
  }
  size_t W = 0;
  for (const std::string &C : Cells)
    W = std::max(W, C.size());
  const std::string Last = "[" + std::to_string(Cells.size()) + "]";
  const size_t Label = Last.size();
  const size_t PerLine = std::max<size_t>(1, (80 - Label) / (W + 1));
  std::string Out;
  for (size_t From = 0; From < Cells.size(); From += PerLine) {
    std::string L = "[" + std::to_string(From + 1) + "]";
    Out += std::string(Label - L.size(), ' ') + L;
    for (size_t I = From; I < std::min(Cells.size(), From + PerLine); ++I)
      Out += " " + std::string(W - Cells[I].size(), ' ') + Cells[I];
    Out += "\n";
  }
  if (Cells.empty())
    Out = "numeric(0)\n";
  return Out;
}

std::string sstat::runtime::toJSON(const std::vector<OutputValue> &Vs,
                                   StringRef Program) {
  std::string Out;
  raw_string_ostream OS(Out);
  OS << "{\n  \"program\": " << jsonQuoted(Program) << ",\n  \"outputs\": [";
  for (size_t I = 0; I < Vs.size(); ++I) {
    const OutputValue &V = Vs[I];
    OS << (I ? ",\n" : "\n") << "    {\"label\": " << jsonQuoted(V.Label)
       << ", \"to\": [";
    for (size_t K = 0; K < V.To.size(); ++K)
      OS << (K ? ", " : "") << jsonQuoted(V.To[K]);
    OS << "], \"shape\": [";
    if (V.Rank == 1)
      OS << V.Values.size();
    if (V.Rank == 2)
      OS << V.Rows << ", " << V.Cols;
    OS << "]";
    if (!V.Kind.empty()) {
      OS << ", \"kind\": " << jsonQuoted(V.Kind);
      auto View = viewResult(V);
      if (!View)
        OS << ", \"error\": " << jsonQuoted(toString(View.takeError()));
      else if (*View)
        for (const auto &[Name, Value] : (*View)->Fields)
          OS << ", " << jsonQuoted(Name) << ": " << Value;
    }
    if (!V.Names.empty()) {
      OS << ", \"names\": [";
      for (size_t K = 0; K < V.Names.size(); ++K)
        OS << (K ? ", " : "") << jsonQuoted(V.Names[K]);
      OS << "]";
    }
    OS << ", \"values\": [";
    for (size_t K = 0; K < V.Values.size(); ++K) {
      char Buf[40];
      std::snprintf(Buf, sizeof Buf, "%.17g", V.Values[K]);
      OS << (K ? ", " : "") << Buf;
    }
    OS << "]}";
  }
  OS << "\n  ]\n}\n";
  return OS.str();
}
