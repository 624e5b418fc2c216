//===- Types.h - Types, shapes and security labels --------------*- C++ -*-===//
//
// Every expression the checker sees gets a Type: a security label (public or
// secret), an element type (bool, int, num, factor with its levels, key,
// string), and a shape (scalar, vector, matrix, table with named typed
// columns, list, or one of the statistical result kinds). Lengths are Dims:
// a constant, a public value known only at run time (the row count of an
// input table, written `nrow(t)`), or unknown; a Dim can itself be secret
// (the size of an oblivious join).
//
//===----------------------------------------------------------------------===//

#ifndef SSTAT_TYPES_H
#define SSTAT_TYPES_H

#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace sstat {

class FunctionExpr;
struct Frame;

enum class Security : uint8_t { Public, Secret };

inline Security join(Security A, Security B) {
  return A == Security::Secret || B == Security::Secret ? Security::Secret
                                                        : Security::Public;
}

enum class ElemType : uint8_t { Bool, Int, Num, Factor, Key, String };

llvm::StringRef elemTypeName(ElemType E);

/// A length: known constant, public symbolic run-time value, or unknown.
struct Dim {
  enum Kind : uint8_t { Known, Symbolic, Unknown };
  Kind K = Unknown;
  int64_t N = 0;
  std::string Sym;
  bool Secret = false; // the length itself is secret (oblivious join)

  static Dim known(int64_t N) {
    Dim D;
    D.K = Known;
    D.N = N;
    return D;
  }
  static Dim symbolic(std::string S) {
    Dim D;
    D.K = Symbolic;
    D.Sym = std::move(S);
    return D;
  }
  static Dim unknown() { return Dim(); }

  bool isKnown() const { return K == Known; }
  /// Lengths that are certainly equal / certainly different at compile time.
  bool sameAs(const Dim &O) const;
  bool differsFrom(const Dim &O) const;
  std::string str() const;
};

/// A column of an input table, from its schema.
struct Column {
  std::string Name;
  ElemType Elem = ElemType::Num;
  bool HasRange = false;
  double Lo = 0, Hi = 0;
  std::vector<std::string> Levels; // factor columns
  bool MayBeNA = false;            // declared with na = TRUE
};

struct Type;
using TypePtr = std::shared_ptr<const Type>;

struct Type {
  enum Kind : uint8_t {
    Error,    // an earlier error; suppresses follow-on diagnostics
    Null,     // NULL, or the value of a loop / an if without else
    Value,    // scalar (Rank 0), vector (Rank 1), matrix (Rank 2)
    Table,    // rows x named typed columns
    List,     // list(...), and the statistical results (Model)
    Function, // a user function or a builtin, as a value
    Formula,  // y ~ x1 + x2
    Model,    // lm/glm fits and test results: a list with a class
  };

  Kind K = Error;
  Security Sec = Security::Public;
  ElemType Elem = ElemType::Num;
  unsigned Rank = 0;
  Dim D0, D1; // length (Rank 1), rows and columns (Rank 2, Table)
  std::vector<std::string> Levels;
  bool HasRange = false;
  double Lo = 0, Hi = 0;
  bool MayBeNA = false;
  /// A public scalar whose value is known at compile time (`3`, `2 * 5`)
  /// or is a named run-time value such as `nrow(t)` (SymValue).
  bool HasConst = false;
  double ConstVal = 0;
  std::string SymValue;
  std::vector<Column> Columns;                       // Table
  std::vector<std::pair<std::string, TypePtr>> Fields; // List, Model
  std::string ClassName;                             // Model: "lm", "htest"...
  const FunctionExpr *Fn = nullptr;                  // Function (user)
  Frame *Closure = nullptr;                          // Function (user)
  int Builtin = -1;                                  // Function (builtin)
  std::string FnName;

  static Type error() { return Type(); }
  static Type null() {
    Type T;
    T.K = Null;
    return T;
  }
  static Type scalar(ElemType E, Security S = Security::Public) {
    Type T;
    T.K = Value;
    T.Elem = E;
    T.Sec = S;
    return T;
  }
  static Type vector(ElemType E, Dim Len, Security S = Security::Public) {
    Type T = scalar(E, S);
    T.Rank = 1;
    T.D0 = std::move(Len);
    return T;
  }
  static Type matrix(ElemType E, Dim Rows, Dim Cols,
                     Security S = Security::Public) {
    Type T = scalar(E, S);
    T.Rank = 2;
    T.D0 = std::move(Rows);
    T.D1 = std::move(Cols);
    return T;
  }

  bool isError() const { return K == Error; }
  bool isSecret() const { return Sec == Security::Secret; }
  bool isValue() const { return K == Value; }
  bool isScalar() const { return K == Value && Rank == 0; }
  bool isNumeric() const {
    return K == Value && (Elem == ElemType::Bool || Elem == ElemType::Int ||
                          Elem == ElemType::Num);
  }
  const Column *findColumn(llvm::StringRef Name) const;
  TypePtr findField(llvm::StringRef Name) const;

  /// Whether any part is secret: the value, its length, or a component of
  /// a list or a model result.
  bool containsSecret() const;

  /// The same type with the given label.
  Type withSecurity(Security S) const {
    Type T = *this;
    T.Sec = S;
    return T;
  }

  /// "secret num[nrow(patients)]", "public int", "secret table[...] {...}".
  std::string str() const;
  /// Shape only, for disclosure listings: "scalar", "vector[3]", ...
  std::string shapeStr() const;
};

/// The element type of arithmetic on A and B (bool < int < num).
ElemType arithmeticJoin(ElemType A, ElemType B);

/// The type of a column as a vector of the table's length.
Type columnType(const Type &Table, const Column &C);

/// The least upper bound of two types after two branches (join of labels,
/// of element types, of lengths); Error if the shapes are incompatible.
Type joinTypes(const Type &A, const Type &B, bool &Compatible);

} // namespace sstat

#endif // SSTAT_TYPES_H
