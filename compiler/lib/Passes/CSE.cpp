//===- CSE.cpp - Common subexpression elimination -------------------------===//
//
// Replaces an op by an earlier, equal one: same opcode, same operands (as a
// multiset for Commutative ops, so `mul a, b` meets `mul b, a`), same
// attributes and same result types. Candidates are the pure ops without
// regions. Values are available where they are dominated by their
// definition: an op sees the ops before it in its own block and in every
// enclosing block, so a value computed before a loop or a branch is reused
// inside it, while an op inside a region is forgotten when the region ends
// (the table is scoped, as in LLVM's EarlyCSE).
//
// `input` and `input.valid` are not pure (an unused input is still loaded,
// and its owner checks it against the schema), but two of them with the same
// table, column and type read the same data: the program holds the same
// secret shares either way, and one load and one sharing round are saved.
// The first one stays, so the column is still loaded and checked; merging
// never removes the last load of a column, it only reuses a dominating one.
// Reveals and publishes are disclosures and are never merged.
//
// The hash only picks a bucket; equality decides, and buckets are scanned in
// program order, so the result does not depend on addresses.
//
//===----------------------------------------------------------------------===//

#include "sstat/IR/Pass.h"

#include "llvm/ADT/Hashing.h"
#include "llvm/ADT/STLExtras.h"

#include <cassert>
#include <cstring>
#include <unordered_map>

using namespace sstat::ir;

namespace {

bool isCandidate(const Op &O) {
  if (O.code() == OpCode::Input || O.code() == OpCode::InputValid)
    return true;
  return O.hasTrait(Pure) && !O.hasTrait(Terminator) && O.numRegions() == 0;
}

/// The operands, sorted by address for a Commutative op: only ever
/// compared as a whole, so the order of addresses never shows.
llvm::SmallVector<const Value *, 4> operandKey(const Op &O) {
  llvm::SmallVector<const Value *, 4> K(O.operands().begin(),
                                        O.operands().end());
  if (O.hasTrait(Commutative))
    llvm::sort(K);
  return K;
}

llvm::hash_code hashAttr(const Attr &A) {
  if (auto *I = std::get_if<int64_t>(&A))
    return llvm::hash_value(*I);
  if (auto *D = std::get_if<double>(&A)) {
    double X = *D == 0 ? 0.0 : *D; // -0.0 == 0.0
    uint64_t Bits;
    std::memcpy(&Bits, &X, sizeof Bits);
    return llvm::hash_value(Bits);
  }
  if (auto *S = std::get_if<std::string>(&A))
    return llvm::hash_value(*S);
  const auto &L = std::get<std::vector<std::string>>(A);
  return llvm::hash_combine_range(L.begin(), L.end());
}

size_t hashOp(const Op &O) {
  auto K = operandKey(O);
  llvm::hash_code H = llvm::hash_combine(
      unsigned(O.code()), llvm::hash_combine_range(K.begin(), K.end()));
  for (const auto &[Name, A] : O.Attrs)
    H = llvm::hash_combine(H, Name, hashAttr(A));
  return size_t(H);
}

bool equal(const Op &A, const Op &B) {
  if (A.code() != B.code() || A.numResults() != B.numResults() ||
      A.Attrs != B.Attrs || operandKey(A) != operandKey(B))
    return false;
  for (unsigned I = 0; I < A.numResults(); ++I)
    if (A.result(I)->type() != B.result(I)->type())
      return false;
  return true;
}

class CSE {
public:
  bool block(Block &B) {
    bool Changed = false;
    std::vector<std::pair<size_t, Op *>> Added; // undone when B ends
    std::vector<Op *> Order;
    for (auto &O : B.ops())
      Order.push_back(O.get());
    for (Op *O : Order) {
      if (isCandidate(*O)) {
        size_t H = hashOp(*O);
        std::vector<Op *> &Bucket = Table[H];
        Op *Earlier = nullptr;
        for (Op *E : Bucket)
          if (equal(*E, *O)) {
            Earlier = E;
            break;
          }
        if (Earlier) {
          for (unsigned I = 0; I < O->numResults(); ++I)
            O->result(I)->replaceAllUsesWith(Earlier->result(I));
          B.erase(O);
          Changed = true;
          continue;
        }
        Bucket.push_back(O);
        Added.emplace_back(H, O);
      }
      for (unsigned R = 0; R < O->numRegions(); ++R)
        Changed |= block(O->region(R).block());
    }
    for (auto It = Added.rbegin(); It != Added.rend(); ++It) {
      std::vector<Op *> &Bucket = Table[It->first];
      assert(!Bucket.empty() && Bucket.back() == It->second &&
             "CSE scopes out of order");
      Bucket.pop_back();
    }
    return Changed;
  }

private:
  // Looked up, never iterated: the order of buckets does not matter.
  std::unordered_map<size_t, std::vector<Op *>> Table;
};

} // namespace

bool sstat::ir::runCSE(Module &M) { return CSE().block(M.body().block()); }
