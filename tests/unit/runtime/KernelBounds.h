//===- KernelBounds.h - Documented kernel error bounds ----------*- C++ -*-===//
//
// The kernels the tests exercise and the error bounds docs/fixedpoint.md
// documents for them, shared by the cleartext and the rep3 kernel tests.
//
//===----------------------------------------------------------------------===//

#ifndef SSTAT_TESTS_UNIT_RUNTIME_KERNELBOUNDS_H
#define SSTAT_TESTS_UNIT_RUNTIME_KERNELBOUNDS_H

namespace sstat::runtime::fx::kerneltest {

enum class Kernel { Reciprocal, Divide, Sqrt, Rsqrt, Exp, Log };
constexpr Kernel AllKernels[] = {Kernel::Reciprocal, Kernel::Divide,
                                 Kernel::Sqrt,       Kernel::Rsqrt,
                                 Kernel::Exp,        Kernel::Log};

inline const char *kernelName(Kernel K) {
  switch (K) {
  case Kernel::Reciprocal:
    return "reciprocal";
  case Kernel::Divide:
    return "divide";
  case Kernel::Sqrt:
    return "sqrt";
  case Kernel::Rsqrt:
    return "rsqrt";
  case Kernel::Exp:
    return "exp";
  case Kernel::Log:
    return "log";
  }
  return "?";
}

/// |result - exact| <= (Abs + Rel * |exact|) * 2^-F: Rel in units of 2^-F
/// relative error, Abs in units in the last place. docs/fixedpoint.md.
struct ErrorBound {
  double Rel, Abs;
};

inline ErrorBound documentedBound(Kernel K) {
  switch (K) {
  case Kernel::Reciprocal:
    return {1.5, 1.5};
  case Kernel::Divide:
    return {2.5, 2};
  case Kernel::Sqrt:
    return {2.5, 1.5};
  case Kernel::Rsqrt:
    return {1.5, 1.5};
  case Kernel::Exp:
    return {2, 1.5};
  case Kernel::Log:
    return {0, 4};
  }
  return {0, 0};
}

/// The bound when every truncation may be off by one unit (rep3).
inline ErrorBound noisyBound(Kernel K) {
  ErrorBound B = documentedBound(K);
  return {2 * B.Rel + 4, 2 * B.Abs + 4};
}

} // namespace sstat::runtime::fx::kerneltest

#endif
