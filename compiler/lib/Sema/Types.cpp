//===- Types.cpp - Printing and joining types -----------------------------===//

#include "sstat/Types.h"

#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

using namespace sstat;
using namespace llvm;

StringRef sstat::elemTypeName(ElemType E) {
  switch (E) {
  case ElemType::Bool:
    return "bool";
  case ElemType::Int:
    return "int";
  case ElemType::Num:
    return "num";
  case ElemType::Factor:
    return "factor";
  case ElemType::Key:
    return "key";
  case ElemType::String:
    return "string";
  }
  return "?";
}

bool Dim::sameAs(const Dim &O) const {
  if (Secret || O.Secret)
    return false;
  if (K == Known && O.K == Known)
    return N == O.N;
  if (K == Symbolic && O.K == Symbolic)
    return Sym == O.Sym;
  return false;
}

bool Dim::differsFrom(const Dim &O) const {
  return K == Known && O.K == Known && N != O.N;
}

std::string Dim::str() const {
  std::string S;
  if (Secret)
    S = "secret ";
  switch (K) {
  case Known:
    return S + std::to_string(N);
  case Symbolic:
    return S + Sym;
  case Unknown:
    return S + "?";
  }
  return S + "?";
}

static std::string num(double V) {
  char Buf[32];
  std::snprintf(Buf, sizeof Buf, "%.15g", V);
  return Buf;
}

static std::string levelList(const std::vector<std::string> &Levels) {
  std::string S;
  for (size_t I = 0; I < Levels.size(); ++I)
    S += (I ? ", " : "") + Levels[I];
  return S;
}

static std::string elemStr(ElemType E, const std::vector<std::string> &Levels) {
  std::string S = elemTypeName(E).str();
  if (E == ElemType::Factor)
    S += "(" + levelList(Levels) + ")";
  return S;
}

static std::string rangeStr(bool HasRange, double Lo, double Hi) {
  if (!HasRange)
    return "";
  return " in [" + num(Lo) + ", " + num(Hi) + "]";
}

const Column *Type::findColumn(StringRef Name) const {
  for (const Column &C : Columns)
    if (C.Name == Name)
      return &C;
  return nullptr;
}

bool Type::containsSecret() const {
  if (isSecret() || D0.Secret || D1.Secret)
    return true;
  for (const auto &F : Fields)
    if (F.second->containsSecret())
      return true;
  return false;
}

TypePtr Type::findField(StringRef Name) const {
  for (const auto &F : Fields)
    if (F.first == Name)
      return F.second;
  return nullptr;
}

std::string Type::shapeStr() const {
  switch (K) {
  case Value:
    if (Rank == 0)
      return "scalar";
    if (Rank == 1)
      return "vector[" + D0.str() + "]";
    return "matrix[" + D0.str() + " x " + D1.str() + "]";
  case Table:
    return "table[" + D0.str() + " x " + std::to_string(Columns.size()) + "]";
  case List:
    return "list of " + std::to_string(Fields.size());
  case Model:
    return ClassName;
  case Formula:
    return "formula";
  case Function:
    return "function";
  case Null:
    return "NULL";
  case Error:
    return "<error>";
  }
  return "?";
}

std::string Type::str() const {
  std::string Sec = isSecret() ? "secret " : "public ";
  switch (K) {
  case Error:
    return "<error>";
  case Null:
    return "NULL";
  case Function:
    return Fn ? "function" : "builtin " + FnName;
  case Formula:
    return "formula";
  case Value: {
    std::string S = Sec + elemStr(Elem, Levels);
    if (Rank == 1)
      S += " vector[" + D0.str() + "]";
    else if (Rank == 2)
      S += " matrix[" + D0.str() + " x " + D1.str() + "]";
    if (HasConst && !isSecret() && Rank == 0)
      S += " = " + num(ConstVal);
    else if (!SymValue.empty() && Rank == 0)
      S += " = " + SymValue;
    else
      S += rangeStr(HasRange, Lo, Hi);
    if (MayBeNA)
      S += " or NA";
    return S;
  }
  case Table: {
    std::string S = Sec + "table[" + D0.str() + " rows] {";
    for (size_t I = 0; I < Columns.size(); ++I) {
      const Column &C = Columns[I];
      S += (I ? ", " : "") + C.Name + ": " + elemStr(C.Elem, C.Levels) +
           rangeStr(C.HasRange, C.Lo, C.Hi) + (C.MayBeNA ? " or NA" : "");
    }
    return S + "}";
  }
  case List:
  case Model: {
    // A list is as secret as each of its components, shown one by one.
    std::string S = (K == Model ? ClassName : std::string("list")) + "(";
    for (size_t I = 0; I < Fields.size(); ++I) {
      S += I ? ", " : "";
      if (!Fields[I].first.empty())
        S += Fields[I].first + " = ";
      S += Fields[I].second->str();
    }
    return S + ")";
  }
  }
  return "?";
}

ElemType sstat::arithmeticJoin(ElemType A, ElemType B) {
  if (A == ElemType::Num || B == ElemType::Num)
    return ElemType::Num;
  return ElemType::Int;
}

Type sstat::columnType(const Type &Table, const Column &C) {
  Type T = Type::vector(C.Elem, Table.D0, Table.Sec);
  T.Levels = C.Levels;
  T.HasRange = C.HasRange;
  T.Lo = C.Lo;
  T.Hi = C.Hi;
  T.MayBeNA = C.MayBeNA;
  return T;
}

static Dim joinDim(const Dim &A, const Dim &B) {
  if (A.sameAs(B))
    return A;
  Dim D = Dim::unknown();
  D.Secret = A.Secret || B.Secret;
  return D;
}

Type sstat::joinTypes(const Type &A, const Type &B, bool &Compatible) {
  Compatible = true;
  if (A.isError())
    return B;
  if (B.isError())
    return A;
  if (A.K == Type::Null)
    return B;
  if (B.K == Type::Null)
    return A;
  if (A.K != B.K) {
    Compatible = false;
    return Type::error();
  }
  Type T = A;
  T.Sec = join(A.Sec, B.Sec);
  switch (A.K) {
  case Type::Value: {
    if (A.Rank != B.Rank) {
      Compatible = false;
      return Type::error();
    }
    bool ANum = A.Elem == ElemType::Bool || A.Elem == ElemType::Int ||
                A.Elem == ElemType::Num;
    bool BNum = B.Elem == ElemType::Bool || B.Elem == ElemType::Int ||
                B.Elem == ElemType::Num;
    if (A.Elem != B.Elem) {
      if (!ANum || !BNum) {
        Compatible = false;
        return Type::error();
      }
      T.Elem = A.Elem == ElemType::Bool && B.Elem == ElemType::Bool
                   ? ElemType::Bool
                   : arithmeticJoin(A.Elem, B.Elem);
    }
    if (A.Elem == ElemType::Factor && A.Levels != B.Levels) {
      Compatible = false;
      return Type::error();
    }
    T.D0 = joinDim(A.D0, B.D0);
    T.D1 = joinDim(A.D1, B.D1);
    T.HasRange = A.HasRange && B.HasRange;
    T.Lo = std::min(A.Lo, B.Lo);
    T.Hi = std::max(A.Hi, B.Hi);
    T.HasConst = A.HasConst && B.HasConst && A.ConstVal == B.ConstVal;
    if (A.SymValue != B.SymValue)
      T.SymValue.clear();
    T.MayBeNA = A.MayBeNA || B.MayBeNA;
    return T;
  }
  case Type::Table:
    if (A.Columns.size() != B.Columns.size()) {
      Compatible = false;
      return Type::error();
    }
    for (size_t I = 0; I < A.Columns.size(); ++I) {
      const Column &CA = A.Columns[I], &CB = B.Columns[I];
      if (CA.Name != CB.Name || CA.Elem != CB.Elem || CA.Levels != CB.Levels) {
        Compatible = false;
        return Type::error();
      }
      Column &C = T.Columns[I];
      C.HasRange = CA.HasRange && CB.HasRange;
      C.Lo = std::min(CA.Lo, CB.Lo);
      C.Hi = std::max(CA.Hi, CB.Hi);
    }
    T.D0 = joinDim(A.D0, B.D0);
    return T;
  case Type::List:
  case Type::Model:
    if (A.ClassName != B.ClassName || A.Fields.size() != B.Fields.size()) {
      Compatible = false;
      return Type::error();
    }
    for (size_t I = 0; I < A.Fields.size(); ++I) {
      bool C = true;
      Type F = joinTypes(*A.Fields[I].second, *B.Fields[I].second, C);
      if (!C || A.Fields[I].first != B.Fields[I].first) {
        Compatible = false;
        return Type::error();
      }
      T.Fields[I].second = std::make_shared<Type>(F);
    }
    return T;
  case Type::Function:
    if (A.Fn != B.Fn || A.Builtin != B.Builtin)
      Compatible = false;
    return T;
  case Type::Formula:
  case Type::Null:
  case Type::Error:
    return T;
  }
  return T;
}
