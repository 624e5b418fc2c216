//===- Verifier.cpp - The IR's invariants ---------------------------------===//
//
// Runs after lowering and after every pass. Besides the structural rules
// (operand, result and region counts from Ops.def; every use dominated by
// its definition; each region's block ends in exactly one `yield`), it
// enforces the information-flow invariant the checker established:
//
//   no operation other than `reveal` turns a secret operand into a public
//   result.
//
// A pass that breaks this is a security bug, and the verifier stops the
// compiler before any bytecode is written. A `call` is checked against its
// callee's signature, and each function on its own: it is isolated from
// above, ends in a `yield` of its result types, and calls nothing that
// calls it back (the inline pass needs an acyclic call graph).
//
//===----------------------------------------------------------------------===//

#include "sstat/IR/Pass.h"

#include "llvm/ADT/Twine.h"

#include "llvm/Support/raw_ostream.h"

#include <functional>
#include <map>
#include <set>

using namespace sstat::ir;
using namespace llvm;

namespace {

class Verifier {
public:
  bool run(const Module &M, std::string &Err) {
    Mod = &M;
    bool Ok = functions(M);
    if (Ok) {
      Scopes.assign(1, {});
      Ok = block(M.body().block(), /*IsRegion=*/false);
    }
    Err = Msg;
    return Ok;
  }

private:
  bool fail(const Op *O, const Twine &Why) {
    if (Msg.empty()) {
      Msg = Where;
      Msg += O ? (std::string("'") + O->info().Mnemonic + "' (op " +
                  std::to_string(Index) + "): " + Why.str())
               : Why.str();
    }
    return false;
  }

  /// Each function on its own (isolated from above: Scopes starts empty),
  /// ending in a yield of its result types; names unique; no recursion.
  bool functions(const Module &M) {
    std::set<std::string> Seen;
    for (const auto &F : M.Functions) {
      if (F->Name == "main" || !Seen.insert(F->Name).second)
        return fail(nullptr, "function '@" + F->Name + "' defined twice");
      Scopes.assign(1, {});
      Where = "in '@" + F->Name + "': ";
      if (!block(F->block(), /*IsRegion=*/true))
        return false;
      const Op *Y = F->block().terminator();
      bool Same = Y->numOperands() == F->ResultTypes.size();
      for (unsigned I = 0; Same && I < Y->numOperands(); ++I)
        Same = Y->operand(I)->type() == F->ResultTypes[I];
      if (!Same)
        return fail(Y, "the function yields values of other types than "
                       "it returns");
    }
    Where.clear();
    // The call graph is acyclic: calls are inlined, so no recursion.
    std::map<const Function *, int> State; // 1 visiting, 2 done
    std::function<bool(const Function *)> Visit = [&](const Function *F) {
      int &S = State[F];
      if (S == 1)
        return fail(nullptr, "function '@" + F->Name +
                                 "' calls itself (directly or through other "
                                 "functions)");
      if (S == 2)
        return true;
      S = 1;
      bool Ok = true;
      walk(const_cast<Block &>(F->block()), [&](Op &O) {
        if (Ok && O.code() == OpCode::Call)
          if (const Function *G = M.function(O.strAttr("callee")))
            Ok = Visit(G);
      });
      State[F] = 2;
      return Ok;
    };
    for (const auto &F : M.Functions)
      if (!Visit(F.get()))
        return false;
    return true;
  }

  bool defined(const Value *V) const {
    for (const auto &S : Scopes)
      if (S.count(V))
        return true;
    return false;
  }

  bool block(const Block &B, bool IsRegion) {
    for (unsigned I = 0; I < B.numArguments(); ++I)
      Scopes.back().insert(B.argument(I));
    const Op *Last = B.ops().empty() ? nullptr : B.ops().back().get();
    for (const auto &O : B.ops()) {
      ++Index;
      if (O->hasTrait(Terminator) && O.get() != Last)
        return fail(O.get(), "a terminator in the middle of a block");
      if (!op(*O))
        return false;
    }
    if (IsRegion && (!Last || Last->code() != OpCode::Yield))
      return fail(Last, "a region must end with 'yield'");
    if (!IsRegion && Last && Last->hasTrait(Terminator))
      return fail(Last, "'yield' outside a region");
    return true;
  }

  bool op(const Op &O) {
    const OpInfo &Info = O.info();
    if (Info.NumOperands >= 0 && int(O.numOperands()) != Info.NumOperands)
      return fail(&O, "expected " + Twine(Info.NumOperands) +
                          " operands, got " + Twine(O.numOperands()));
    if (Info.NumResults >= 0 && int(O.numResults()) != Info.NumResults)
      return fail(&O, "expected " + Twine(Info.NumResults) + " results, got " +
                          Twine(O.numResults()));
    if (int(O.numRegions()) != Info.NumRegions)
      return fail(&O, "expected " + Twine(Info.NumRegions) + " regions");
    for (const Value *V : O.operands())
      if (!defined(V))
        return fail(&O, "an operand is used before it is defined");

    // Information flow: only reveal declassifies.
    bool AnySecret = false;
    for (const Value *V : O.operands())
      AnySecret |= V->type().isSecret();
    // (For, If and Call: their results come from a body verified itself.)
    if (AnySecret && O.code() != OpCode::Reveal && O.code() != OpCode::Length &&
        O.code() != OpCode::For && O.code() != OpCode::If &&
        O.code() != OpCode::Call)
      for (unsigned I = 0; I < O.numResults(); ++I)
        if (!O.result(I)->type().isSecret())
          return fail(&O, "a public result computed from a secret operand");
    if (!typeRules(O))
      return false;

    for (unsigned I = 0; I < O.numResults(); ++I)
      Scopes.back().insert(O.result(I));
    for (unsigned R = 0; R < O.numRegions(); ++R) {
      Scopes.emplace_back();
      bool Ok = block(O.region(R).block(), true);
      Scopes.pop_back();
      if (!Ok)
        return false;
      if (!yieldMatches(O, O.region(R).block()))
        return false;
    }
    return true;
  }

  bool yieldMatches(const Op &O, const Block &B) {
    const Op *Y = B.terminator();
    if (!Y)
      return fail(&O, "region without 'yield'");
    if (Y->numOperands() != O.numResults())
      return fail(&O, "the region yields " + Twine(Y->numOperands()) +
                          " values for " + Twine(O.numResults()) + " results");
    for (unsigned I = 0; I < O.numResults(); ++I)
      if (Y->operand(I)->type() != O.result(I)->type())
        return fail(&O, "yielded value " + Twine(I) + " has type " +
                            Y->operand(I)->type().str() + ", the result " +
                            O.result(I)->type().str());
    return true;
  }

  static bool isPublicScalar(const Value *V, Elem E) {
    const Type &T = V->type();
    return !T.isSecret() && T.Rank == 0 && T.E == E;
  }

  bool typeRules(const Op &O) {
    switch (O.code()) {
    case OpCode::Const:
      if (!O.hasAttr("value"))
        return fail(&O, "missing attribute 'value'");
      if (O.result()->type().isSecret())
        return fail(&O, "a constant is public");
      return true;
    case OpCode::Input:
    case OpCode::InputValid:
      if (O.strAttr("table").empty() || O.strAttr("column").empty())
        return fail(&O, "needs attributes 'table' and 'column'");
      if (!O.result()->type().isSecret())
        return fail(&O, "input data is secret");
      return true;
    case OpCode::NRows:
    case OpCode::Length:
      if (!isPublicScalar(O.result(), Elem::Int))
        return fail(&O, "the result is a public int");
      return true;
    case OpCode::Add:
    case OpCode::Sub: {
      const Type &A = O.operand(0)->type(), &B = O.operand(1)->type(),
                 &R = O.result()->type();
      if (A.E != B.E || A.E != R.E || A.Scale != B.Scale || A.Scale != R.Scale)
        return fail(&O, "operands " + A.str() + " and " + B.str() +
                            " and result " + R.str() +
                            " need one element type and scale");
      return true;
    }
    case OpCode::Mul: {
      const Type &A = O.operand(0)->type(), &B = O.operand(1)->type(),
                 &R = O.result()->type();
      if (R.E == Elem::Fix && R.Scale != A.Scale + B.Scale)
        return fail(&O, "the result's scale is the sum of the operands' "
                        "scales: " +
                            A.str() + " * " + B.str() + " -> " + R.str());
      return true;
    }
    case OpCode::Dot: {
      const Type &A = O.operand(0)->type(), &B = O.operand(1)->type(),
                 &R = O.result()->type();
      if (R.Rank != 0 || A.Rank != 1 || B.Rank != 1)
        return fail(&O, "a dot product takes two vectors to a scalar");
      if (A.D[0].K == Dim::Const && B.D[0].K == Dim::Const &&
          A.D[0].N != B.D[0].N)
        return fail(&O, "a dot product of vectors of different lengths");
      if (R.E == Elem::Fix && R.Scale != A.Scale + B.Scale)
        return fail(&O, "the result's scale is the sum of the operands' "
                        "scales");
      return true;
    }
    case OpCode::Trunc: {
      const Type &A = O.operand(0)->type(), &R = O.result()->type();
      if (A.E != Elem::Fix || R.E != Elem::Fix ||
          int(R.Scale) != int(A.Scale) - int(O.intAttr("bits")))
        return fail(&O, "truncation by 'bits' lowers the scale by that much");
      return true;
    }
    case OpCode::Bits: {
      const Type &A = O.operand(0)->type(), &R = O.result()->type();
      int64_t Lo = O.intAttr("lo"), N = O.intAttr("n");
      if (A.Rank > 1 || A.E == Elem::Bool || R.E != Elem::Int || R.S != A.S ||
          R.Rank != A.Rank + 1 || R.D[A.Rank] != Dim::constant(N) ||
          (A.Rank == 1 && R.D[0] != A.D[0]))
        return fail(&O, "decomposes an int or fixed-point scalar (vector) "
                        "into a secret-alike int vector of n bits (a len x n "
                        "matrix)");
      if (N < 1 || Lo < 0 || Lo + N > int64_t(Mod->RingBits))
        return fail(&O, "bits lo .. lo + n - 1 must lie in the ring (n >= 1)");
      return true;
    }
    case OpCode::Sort:
    case OpCode::Shuffle:
      if (O.result()->type() != O.operand(0)->type() ||
          O.result()->type().Rank == 0 ||
          (O.code() == OpCode::Sort && O.result()->type().Rank != 1))
        return fail(&O, "sorts a vector (shuffles a vector or a matrix) "
                        "into a value of its own type");
      return true;
    case OpCode::Solve: {
      const Type &A = O.operand(0)->type(), &B = O.operand(1)->type(),
                 &R = O.result()->type();
      if (A.Rank != 2 || B.Rank != 2 || R.Rank != 2 || A.E != Elem::Fix ||
          B.E != Elem::Fix || R.E != Elem::Fix || A.Scale != B.Scale ||
          R.Scale != 2 * A.Scale)
        return fail(&O, "solve takes fixed-point matrices a (d x d) and b "
                        "(d x m) of one scale to a d x (m + 1) matrix at "
                        "twice that scale");
      if (A.D[0].K != Dim::Const || A.D[1].K != Dim::Const ||
          A.D[0].N != A.D[1].N || B.D[0].K != Dim::Const ||
          B.D[0].N != A.D[0].N || B.D[1].K != Dim::Const ||
          R.D[0].K != Dim::Const || R.D[0].N != A.D[0].N ||
          R.D[1].K != Dim::Const || R.D[1].N != B.D[1].N + 1)
        return fail(&O, "solve needs a square a of constant size, b with as "
                        "many rows, and a result of d x (m + 1)");
      return true;
    }
    case OpCode::Div:
      if (O.operand(1)->type().isSecret())
        return fail(&O, "the divisor must be public (use recip)");
      return true;
    case OpCode::Cast:
      if (O.operand(0)->type().isSecret() && !O.result()->type().isSecret())
        return fail(&O, "a cast cannot make a secret public");
      return true;
    case OpCode::Publish: {
      auto It = O.Attrs.find("to");
      auto *L = It == O.Attrs.end()
                    ? nullptr
                    : std::get_if<std::vector<std::string>>(&It->second);
      if (!L || L->empty())
        return fail(&O, "needs a non-empty list of recipients 'to'");
      return true;
    }
    case OpCode::Call: {
      const Function *F = Mod->function(O.strAttr("callee"));
      if (!F)
        return fail(&O,
                    "calls unknown function '@" + O.strAttr("callee") + "'");
      const Block &B = F->block();
      if (O.numOperands() != B.numArguments() ||
          O.numResults() != F->ResultTypes.size())
        return fail(&O, "'@" + F->Name + "' takes " + Twine(B.numArguments()) +
                            " operands to " + Twine(F->ResultTypes.size()) +
                            " results");
      for (unsigned I = 0; I < O.numOperands(); ++I)
        if (O.operand(I)->type() != B.argument(I)->type())
          return fail(&O, "operand " + Twine(I) + " has type " +
                              O.operand(I)->type().str() + ", '@" + F->Name +
                              "' takes " + B.argument(I)->type().str());
      for (unsigned I = 0; I < O.numResults(); ++I)
        if (O.result(I)->type() != F->ResultTypes[I])
          return fail(&O, "result " + Twine(I) + " has type " +
                              O.result(I)->type().str() + ", '@" + F->Name +
                              "' returns " + F->ResultTypes[I].str());
      return true;
    }
    case OpCode::If:
      if (O.numOperands() != 1 || !isPublicScalar(O.operand(0), Elem::Bool))
        return fail(&O, "the condition is one public bool");
      return true;
    case OpCode::For: {
      if (O.numOperands() < 2 || !isPublicScalar(O.operand(0), Elem::Int) ||
          !isPublicScalar(O.operand(1), Elem::Int))
        return fail(&O, "the bounds are public ints");
      const Block &B = O.region(0).block();
      unsigned Carried = O.numOperands() - 2;
      if (O.numResults() != Carried || B.numArguments() != Carried + 1)
        return fail(&O, "one result and one block argument per carried value");
      if (!isPublicScalar(B.argument(0), Elem::Int))
        return fail(&O, "the induction variable is a public int");
      for (unsigned I = 0; I < Carried; ++I)
        if (O.operand(I + 2)->type() != O.result(I)->type() ||
            B.argument(I + 1)->type() != O.result(I)->type())
          return fail(&O, "carried value " + Twine(I) +
                              " has different types as initial value, "
                              "block argument and result");
      return true;
    }
    default:
      return true;
    }
  }

  const Module *Mod = nullptr;
  std::string Where; // "in '@f': " while verifying function f
  std::vector<std::set<const Value *>> Scopes;
  std::string Msg;
  unsigned Index = 0;
};

} // namespace

bool sstat::ir::verify(const Module &M, std::string &Err) {
  return Verifier().run(M, Err);
}
