//===- Printer.cpp - The textual form of the IR ---------------------------===//
//
//   module ring 64 frac 16 parties ["a", "r"]
//   input @t parties ["a"] {
//     column "x" num [0.0, 120.0] na
//   }
//   func @mean.1(%0: sfix<16>[n.t]) -> (sfix<16>) attributes {inline_loc =
//   "call"} {
//     %1 = sum %0 : sfix<16>
//     ...
//     yield %3
//   }
//   func @main {
//     %0 = input {column = "x", table = "t"} : sfix<16>[n.t]
//     %1 = call %0 {callee = "mean.1"} : sfix<16>
//     publish %1 {to = ["r"]}
//   }
//
// Functions come before main, callees before their callers. Values are
// numbered in program order, from 0 in each function. Every op prints in
// one generic form
// -- results, mnemonic, operands, attributes, result types, regions -- so
// the parser (Parser.cpp) needs no per-op code.
//
//===----------------------------------------------------------------------===//

#include "sstat/IR/IR.h"

#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <cstdio>
#include <unordered_map>

using namespace sstat::ir;
using namespace llvm;

static std::string quote(StringRef S) {
  std::string Out = "\"";
  for (char C : S) {
    if (C == '"' || C == '\\')
      Out += '\\';
    if (C == '\n') {
      Out += "\\n";
      continue;
    }
    Out += C;
  }
  return Out + "\"";
}

/// A double that reads back identically and never looks like an integer.
static std::string number(double V) {
  if (std::isinf(V))
    return V > 0 ? "inf" : "-inf";
  if (std::isnan(V))
    return "nan";
  char Buf[64];
  for (int P = 15; P <= 17; ++P) {
    std::snprintf(Buf, sizeof Buf, "%.*g", P, V);
    if (std::strtod(Buf, nullptr) == V)
      break;
  }
  std::string S = Buf;
  if (S.find_first_of(".e") == std::string::npos)
    S += ".0";
  return S;
}

namespace {
class Printer {
public:
  explicit Printer(raw_ostream &OS) : OS(OS) {}

  void module(const Module &M) {
    OS << "module ring " << M.RingBits << " frac " << M.FracBits
       << " parties [";
    for (size_t I = 0; I < M.Parties.size(); ++I)
      OS << (I ? ", " : "") << quote(M.Parties[I]);
    OS << "]\n";
    for (const InputTable &T : M.Inputs) {
      OS << "input @" << T.Name << " parties [";
      for (size_t I = 0; I < T.Parties.size(); ++I)
        OS << (I ? ", " : "") << quote(T.Parties[I]);
      OS << "]";
      if (!T.Key.empty())
        OS << " key " << quote(T.Key);
      OS << " {\n";
      for (const auto &C : T.Columns) {
        OS << "  column " << quote(C.Name) << " " << C.Kind;
        if (C.Kind == "num" || C.Kind == "int")
          OS << " [" << number(C.Lo) << ", " << number(C.Hi) << "]";
        if (C.Kind == "factor") {
          OS << " [";
          for (size_t I = 0; I < C.Levels.size(); ++I)
            OS << (I ? ", " : "") << quote(C.Levels[I]);
          OS << "]";
        }
        if (C.MayBeNA)
          OS << " na";
        OS << "\n";
      }
      OS << "}\n";
    }
    for (const auto &F : M.Functions) {
      Names.clear();
      Next = 0;
      OS << "func @" << F->Name << "(";
      const Block &B = F->block();
      for (unsigned I = 0; I < B.numArguments(); ++I) {
        const Value *A = B.argument(I);
        OS << (I ? ", " : "") << name(A) << ": " << A->type().str();
      }
      OS << ") -> (";
      for (size_t I = 0; I < F->ResultTypes.size(); ++I)
        OS << (I ? ", " : "") << F->ResultTypes[I].str();
      OS << ")";
      if (!F->Attrs.empty()) {
        OS << " attributes";
        attrs(F->Attrs);
      }
      OS << " {\n";
      block(B, 1, false);
      OS << "}\n";
    }
    Names.clear();
    Next = 0;
    OS << "func @main {\n";
    block(M.body().block(), 1, false);
    OS << "}\n";
  }

private:
  std::string name(const Value *V) {
    auto It = Names.find(V);
    if (It != Names.end())
      return It->second;
    std::string N = "%" + std::to_string(Next++);
    Names[V] = N;
    return N;
  }

  void indent(unsigned D) {
    for (unsigned I = 0; I < D; ++I)
      OS << "  ";
  }

  void attr(const Attr &A) {
    if (auto *I = std::get_if<int64_t>(&A))
      OS << *I;
    else if (auto *D = std::get_if<double>(&A))
      OS << number(*D);
    else if (auto *S = std::get_if<std::string>(&A))
      OS << quote(*S);
    else if (auto *L = std::get_if<std::vector<std::string>>(&A)) {
      OS << "[";
      for (size_t I = 0; I < L->size(); ++I)
        OS << (I ? ", " : "") << quote((*L)[I]);
      OS << "]";
    }
  }

  /// ` {name = value, ...}`
  void attrs(const std::map<std::string, Attr> &As) {
    OS << " {";
    bool First = true;
    for (const auto &KV : As) {
      OS << (First ? "" : ", ") << KV.first << " = ";
      attr(KV.second);
      First = false;
    }
    OS << "}";
  }

  void block(const Block &B, unsigned D, bool WithArgs) {
    if (WithArgs) {
      indent(D - 1);
      OS << "^(";
      for (unsigned I = 0; I < B.numArguments(); ++I) {
        const Value *A = B.argument(I);
        OS << (I ? ", " : "") << name(A) << ": " << A->type().str();
      }
      OS << "):\n";
    }
    for (const auto &O : B.ops())
      op(*O, D);
  }

  void op(const Op &O, unsigned D) {
    indent(D);
    for (unsigned I = 0; I < O.numResults(); ++I)
      OS << (I ? ", " : "") << name(O.result(I));
    if (O.numResults())
      OS << " = ";
    OS << O.info().Mnemonic;
    for (unsigned I = 0; I < O.numOperands(); ++I)
      OS << (I ? ", " : " ") << name(O.operand(I));
    if (!O.Attrs.empty())
      attrs(O.Attrs);
    if (O.numResults()) {
      OS << " :";
      for (unsigned I = 0; I < O.numResults(); ++I)
        OS << (I ? ", " : " ") << O.result(I)->type().str();
    }
    for (unsigned R = 0; R < O.numRegions(); ++R) {
      OS << (R ? " else {\n" : " {\n");
      const Block &B = O.region(R).block();
      block(B, D + 1, B.numArguments() > 0);
      indent(D);
      OS << "}";
    }
    OS << "\n";
  }

  raw_ostream &OS;
  std::unordered_map<const Value *, std::string> Names;
  unsigned Next = 0;
};
} // namespace

void sstat::ir::print(const Module &M, raw_ostream &OS) {
  Printer(OS).module(M);
}

std::string sstat::ir::toString(const Module &M) {
  std::string S;
  raw_string_ostream OS(S);
  print(M, OS);
  return OS.str();
}
