//===- IR.cpp - Values, ops, blocks; the op table -------------------------===//

#include "sstat/IR/IR.h"

#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cassert>

using namespace sstat::ir;
using namespace llvm;

static const OpInfo Infos[] = {
#define IROP(Enum, Mnemonic, NOps, NRes, NRegions, Traits, Doc)                \
  {Mnemonic, NOps, NRes, NRegions, Traits, Doc},
#include "sstat/IR/Ops.def"
#undef IROP
};

const OpInfo &sstat::ir::opInfo(OpCode C) { return Infos[unsigned(C)]; }

bool sstat::ir::opCodeFromMnemonic(StringRef M, OpCode &Out) {
  for (unsigned I = 0; I < std::size(Infos); ++I)
    if (M == Infos[I].Mnemonic) {
      Out = OpCode(I);
      return true;
    }
  return false;
}

static std::string dimStr(const Dim &D) {
  switch (D.K) {
  case Dim::Const:
    return std::to_string(D.N);
  case Dim::Sym:
    return D.Name;
  case Dim::Unknown:
    return "?";
  }
  return "?";
}

std::string Type::str() const {
  std::string Out = S == Sec::Secret ? "s" : "p";
  switch (E) {
  case Elem::Bool:
    Out += "bool";
    break;
  case Elem::Int:
    Out += "int";
    break;
  case Elem::Fix:
    Out += "fix<" + std::to_string(Scale) + ">";
    break;
  }
  if (Rank == 1)
    Out += "[" + dimStr(D[0]) + "]";
  else if (Rank == 2)
    Out += "[" + dimStr(D[0]) + "x" + dimStr(D[1]) + "]";
  return Out;
}

void Value::replaceAllUsesWith(Value *New) {
  assert(New != this && "replacing a value by itself");
  // Each user may use this value several times; setOperand edits Users.
  while (!Users.empty()) {
    Op *U = Users.back();
    for (unsigned I = 0; I < U->numOperands(); ++I)
      if (U->operand(I) == this)
        U->setOperand(I, New);
  }
}

Op::~Op() { dropOperands(); }

void Op::addOperand(Value *V) {
  Operands.push_back(V);
  V->Users.push_back(this);
}

void Op::setOperand(unsigned I, Value *V) {
  Value *Old = Operands[I];
  auto It = std::find(Old->Users.begin(), Old->Users.end(), this);
  assert(It != Old->Users.end() && "use list out of sync");
  Old->Users.erase(It);
  Operands[I] = V;
  V->Users.push_back(this);
}

void Op::dropOperands() {
  // Ops are usually destroyed last to first, so this op's uses are near the
  // end of each use list: search from the back.
  for (Value *V : Operands) {
    auto It = std::find(V->Users.rbegin(), V->Users.rend(), this);
    if (It != V->Users.rend())
      V->Users.erase(std::next(It).base());
  }
  Operands.clear();
}

Value *Op::addResult(Type T) {
  Results.push_back(std::make_unique<Value>(std::move(T), this,
                                            unsigned(Results.size()), nullptr));
  return Results.back().get();
}

Region &Op::addRegion() {
  Regions.push_back(std::make_unique<Region>(this));
  return *Regions.back();
}

int64_t Op::intAttr(const std::string &N) const {
  auto It = Attrs.find(N);
  if (It == Attrs.end())
    return 0;
  if (auto *I = std::get_if<int64_t>(&It->second))
    return *I;
  if (auto *D = std::get_if<double>(&It->second))
    return int64_t(*D);
  return 0;
}

double Op::numAttr(const std::string &N) const {
  auto It = Attrs.find(N);
  if (It == Attrs.end())
    return 0;
  if (auto *D = std::get_if<double>(&It->second))
    return *D;
  if (auto *I = std::get_if<int64_t>(&It->second))
    return double(*I);
  return 0;
}

const std::string &Op::strAttr(const std::string &N) const {
  static const std::string Empty;
  auto It = Attrs.find(N);
  if (It == Attrs.end())
    return Empty;
  if (auto *S = std::get_if<std::string>(&It->second))
    return *S;
  return Empty;
}

Block::~Block() {
  // Destroy ops last to first so that uses go before their definitions.
  while (!Ops.empty()) {
    Ops.back()->dropOperands();
    Ops.pop_back();
  }
}

Value *Block::addArgument(Type T) {
  Args.push_back(std::make_unique<Value>(std::move(T), nullptr,
                                         unsigned(Args.size()), this));
  return Args.back().get();
}

Op *Block::append(std::unique_ptr<Op> O) {
  O->Parent = this;
  Op *Raw = O.get();
  Ops.push_back(std::move(O));
  Raw->Self = std::prev(Ops.end());
  return Raw;
}

Op *Block::insertBefore(Op *Before, std::unique_ptr<Op> O) {
  assert(Before->Parent == this && "insertBefore: op not in this block");
  O->Parent = this;
  Op *Raw = O.get();
  Raw->Self = Ops.insert(Before->Self, std::move(O));
  return Raw;
}

void Block::erase(Op *O) {
  assert(O->Parent == this && "erase: op not in this block");
  for (unsigned I = 0; I < O->numResults(); ++I)
    assert(!O->result(I)->hasUses() && "erasing an op whose result is used");
  Ops.erase(O->Self);
}

std::unique_ptr<Op> Block::remove(Op *O) {
  assert(O->Parent == this && "remove: op not in this block");
  std::unique_ptr<Op> Owned = std::move(*O->Self);
  Ops.erase(O->Self);
  Owned->Parent = nullptr;
  return Owned;
}

Op *Block::terminator() const {
  if (Ops.empty() || !Ops.back()->hasTrait(Terminator))
    return nullptr;
  return Ops.back().get();
}

void sstat::ir::walk(Block &B, const std::function<void(Op &)> &F) {
  for (auto &O : B.ops()) {
    F(*O);
    for (unsigned R = 0; R < O->numRegions(); ++R)
      walk(O->region(R).block(), F);
  }
}

Function *Module::function(StringRef Name) const {
  for (const auto &F : Functions)
    if (F->Name == Name)
      return F.get();
  return nullptr;
}

Function &Module::addFunction(std::string Name) {
  Functions.push_back(std::make_unique<Function>(std::move(Name)));
  return *Functions.back();
}

static void cloneBlockInto(const Block &From, Block &To, ValueMap &VM) {
  for (unsigned I = 0; I < From.numArguments(); ++I) {
    Value *A = To.addArgument(From.argument(I)->type());
    A->Hint = From.argument(I)->Hint;
    VM[From.argument(I)] = A;
  }
  for (const auto &O : From.ops())
    To.append(cloneOp(*O, VM));
}

std::unique_ptr<Op> sstat::ir::cloneOp(const Op &O, ValueMap &VM) {
  auto C = std::make_unique<Op>(O.code(), O.loc());
  for (Value *V : O.operands()) {
    auto It = VM.find(V);
    C->addOperand(It == VM.end() ? V : It->second);
  }
  C->Attrs = O.Attrs;
  for (unsigned I = 0; I < O.numResults(); ++I) {
    Value *R = C->addResult(O.result(I)->type());
    R->Hint = O.result(I)->Hint;
    VM[O.result(I)] = R;
  }
  for (unsigned R = 0; R < O.numRegions(); ++R)
    cloneBlockInto(O.region(R).block(), C->addRegion().block(), VM);
  return C;
}
