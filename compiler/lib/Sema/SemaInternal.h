//===- SemaInternal.h - The checker's state, shared by its files -*- C++ -*-=//
//
// Sema.cpp checks expressions and statements; Builtins.cpp holds the type
// rules of the builtin and stdlib functions declared in Builtins.def;
// Schema.cpp checks input_table() declarations.
//
//===----------------------------------------------------------------------===//

#ifndef SSTAT_SEMA_SEMAINTERNAL_H
#define SSTAT_SEMA_SEMAINTERNAL_H

#include "sstat/Sema.h"

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>

namespace sstat {

/// What the checker knows about a variable at one program point.
struct VarInfo {
  Type T;
  llvm::SMRange Def;         // the assignment that gave it this value
  llvm::SMRange SecretSince; // the assignment that made it secret
  bool IsInput = false;      // holds input_table() data
  bool LoopCarried = false;  // became secret in an earlier loop iteration
  llvm::SMLoc FirstDef;      // where the name was first assigned
};

using VarMap = std::map<std::string, VarInfo>;

/// A scope: the global frame or one function call. Ordered maps: the
/// checker must be deterministic. While a branch or a loop body is checked,
/// its assignments go to an overlay Layer, so joining the paths afterwards
/// costs in proportion to what they assigned, not to the whole scope.
struct Frame {
  VarMap Vars;
  std::vector<VarMap> Layers;
  Frame *Parent = nullptr;

  /// The variable as seen from inside the innermost layer, or null.
  VarInfo *find(const std::string &Name);
  /// Where an assignment writes: the innermost layer, or the frame.
  VarMap &top() { return Layers.empty() ? Vars : Layers.back(); }
};

/// One matched argument of a call.
struct ArgInfo {
  const Expr *E = nullptr; // null when the argument was not given
  Type T;
  llvm::SMRange Range;
  std::string Name; // for `...` arguments given by name
  bool present() const { return E != nullptr; }
};

/// One parameter of a builtin's signature, parsed from Builtins.def.
struct ParamSpec {
  std::string Name;
  bool HasDefault = false;
  bool IsDots = false;
};

class Sema;
struct CallSite;
using BuiltinRule = Type (*)(Sema &, CallSite &);

struct BuiltinInfo {
  const char *Name;
  const char *Signature;
  BuiltinRule Rule;
  std::vector<ParamSpec> Params;
};

/// A call to a builtin, with its arguments matched to the signature.
struct CallSite {
  const CallExpr &Call;
  const BuiltinInfo &Info;
  std::vector<ArgInfo> Args; // by parameter index (the `...` slot unused)
  std::vector<ArgInfo> Dots; // arguments that went to `...`
  llvm::StringRef name() const { return Info.Name; }
  ArgInfo &arg(llvm::StringRef Param);
};

const std::vector<BuiltinInfo> &builtinTable();
const BuiltinInfo *findBuiltin(llvm::StringRef Name);

class Sema {
public:
  Sema(DiagnosticEngine &Diags, CheckResult &Result);
  ~Sema();

  void run(const Program &P);

  /// The type of \p E in the current environment; reports errors.
  Type check(const Expr &E);

  // ---- helpers for the rules in Builtins.cpp and Schema.cpp
  DiagnosticEngine &diags() { return Diags; }
  CheckResult &result() { return Result; }
  bool atTopLevel() const;

  /// Reports err_secret_size for \p What unless \p T is public; explains
  /// where the secret came from. Returns true if public.
  bool requirePublicSize(const Type &T, const Expr &E, llvm::StringRef What);
  /// Reports why \p E is secret: notes at the assignments that made the
  /// variables it reads secret.
  void explainSecret(const Expr &E);
  /// Reports \p Id (a type error) unless \p T is an error already.
  bool expectNumeric(const Type &T, const Expr &E, llvm::StringRef Context);

  /// The constant strings of "a" or c("a", "b"), if the expression is one.
  static std::optional<std::vector<std::string>>
  constStrings(const Expr &E);
  /// A numeric constant: `3`, `-1.5`, `1e7`, `5L`.
  static std::optional<double> constNumber(const Expr &E);

  void addParty(const std::string &Name, llvm::SMRange R);
  void addDisclosure(Disclosure::Kind K, const CallSite &C, const ArgInfo &X,
                     std::vector<std::string> Recipients);

  /// Broadcast two value shapes for an elementwise operation.
  Type elementwise(const Type &A, const Type &B, const Expr &Where,
                   llvm::StringRef Op, ElemType Result);

  /// Checks a model formula against a table (or the environment, if
  /// \p Data is null); returns the number of model coefficients.
  std::optional<int64_t> checkFormula(const Expr &F, const Type *Data,
                                      bool &Intercept);

private:
  Type checkIdent(const IdentExpr &E);
  Type checkUnary(const UnaryExpr &E);
  Type checkBinary(const BinaryExpr &E);
  Type checkAssign(const AssignExpr &E);
  Type checkCall(const CallExpr &E);
  Type checkIndex(const IndexExpr &E);
  Type checkDollar(const DollarExpr &E);
  Type checkBlock(const BlockExpr &E);
  Type checkIf(const IfExpr &E);
  Type checkFor(const ForExpr &E);
  Type checkWhile(const WhileExpr &E);
  Type checkRepeat(const RepeatExpr &E);

  Type callUser(const CallExpr &E, const Type &Fn, llvm::StringRef Name);
  Type callBuiltin(const CallExpr &E, const BuiltinInfo &B);
  Type checkInputTable(CallSite &C, const std::string &VarName);
  Type checkReturn(const CallExpr &E);
  Type indexTable(const IndexExpr &E, const Type &Base);
  /// Checks a constant index against a known length; reports and returns
  /// false if it is not a whole number or out of range.
  bool checkConstIndex(const Type &I, const Dim &Len, const Expr &Where);
  void checkUncalledFunctions();
  void assignTo(const std::string &Name, Type T, llvm::SMRange Def,
                bool IsInput = false);
  void checkCondition(const Expr &Cond, llvm::StringRef Keyword);
  /// Runs \p Body (a loop body) until the variable types stop changing.
  void loopFixpoint(llvm::SMRange Loop, const std::function<void()> &Body);
  /// Joins the assignments of two paths (then/else, or one more loop
  /// iteration and the state before it) into the current layer. Returns
  /// true if anything changed there.
  bool joinPaths(const VarMap &A, const VarMap &B, llvm::SMRange Where,
                 bool ForLoop);
  VarInfo *lookup(const std::string &Name);
  void suggest(const std::string &Name, llvm::SMLoc Loc);

  friend Type checkInputTableRule(Sema &, CallSite &);

public:

  DiagnosticEngine &Diags;
  CheckResult &Result;
  Frame Globals;
  Frame *Cur = &Globals;
  std::vector<std::unique_ptr<Frame>> CallFrames;
  unsigned LoopDepth = 0;

  struct FnContext {
    const FunctionExpr *Fn;
    std::string Name;
    llvm::SMRange CallRange;
    std::optional<Type> Returned;
    unsigned LoopDepthAtEntry;
  };
  std::vector<FnContext> FnStack;
  /// The expression that may be an input_table() call (the whole value of
  /// a top-level assignment), and the name it is assigned to.
  const Expr *InputTarget = nullptr;
  std::string PendingInputName;
  std::set<const FunctionExpr *> Called;
};

Type checkInputTableRule(Sema &S, CallSite &C);

} // namespace sstat

#endif // SSTAT_SEMA_SEMAINTERNAL_H
