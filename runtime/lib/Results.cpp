//===- Results.cpp - What a recipient prints of a model or a test ---------===//
//
// One function per result kind: check the layout of the opened values
// (docs/bytecode.md, "Result kinds"), derive what R derives, and print it as
// R does. The derivations are R's (summary.lm, summary.glm, t.test,
// chisq.test) in double precision on the opened values.
//
//===----------------------------------------------------------------------===//

#include "sstat/runtime/Results.h"

#include "sstat/runtime/RDist.h"
#include "sstat/runtime/RPrint.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

using namespace sstat::runtime;
using llvm::Expected;
using llvm::StringRef;

namespace {

llvm::Error bad(const OutputValue &V, const llvm::Twine &Why) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 "output '" + V.Label + "' (" + V.Kind +
                                     "): " + Why);
}

std::string jsonNumber(double X) {
  if (!std::isfinite(X))
    return "null";
  char Buf[40];
  std::snprintf(Buf, sizeof Buf, "%.17g", X);
  return Buf;
}

std::string jsonNumbers(const std::vector<double> &Xs) {
  std::string Out = "[";
  for (size_t I = 0; I < Xs.size(); ++I)
    Out += (I ? ", " : "") + jsonNumber(Xs[I]);
  return Out + "]";
}

std::string jsonStrings(const std::vector<std::string> &Ss) {
  std::string Out = "[";
  for (size_t I = 0; I < Ss.size(); ++I)
    Out += (I ? ", " : "") + jsonQuoted(Ss[I]);
  return Out + "]";
}

/// A count opened as a fixed-point number: the nearest integer (0 for
/// anything not a positive number below 2^53).
uint64_t count(double X) {
  return X > 0 && X < 0x1p53 ? uint64_t(std::llround(X)) : 0;
}

/// A model's call as print.summary.lm / print.summary.glm show it:
/// deparse(x$call)'s lines (broken at width.cutoff = 60).
std::string deparsedCall(const std::string &Call) {
  std::string Out;
  for (const std::string &Line : rprint::deparseLinesR(Call))
    Out += (Out.empty() ? "" : "\n") + Line;
  return Out;
}

/// A level count in a table's Meta.
bool parseCount(StringRef S, size_t &N) {
  unsigned long long V = 0;
  if (S.getAsInteger(10, V) || V > (1ull << 32))
    return false;
  N = size_t(V);
  return true;
}

//===----------------------------------------------------------------------===//
// lm
//===----------------------------------------------------------------------===//

/// summary.lm / confint.lm: b (p), then q and the p - 1 slopes' diag with an
/// intercept (else the p diagonal entries), rss, tss, n, the table's rows.
Expected<ResultView> viewLm(const OutputValue &V, bool Confint) {
  const size_t P = V.Names.size();
  if (P == 0 || V.Values.size() != 2 * P + 4 || V.Meta.size() != 2)
    return bad(V, "expected 2p + 4 values and a call");
  const std::vector<double> &X = V.Values;
  rprint::LmFit Fit;
  Fit.Call = deparsedCall(V.Meta[0]);
  Fit.Intercept = V.Meta[1] == "intercept";
  Fit.Terms = V.Names;
  Fit.Beta.assign(X.begin(), X.begin() + long(P));
  Fit.Rss = X[2 * P];
  Fit.Tss = X[2 * P + 1];
  Fit.N = count(X[2 * P + 2]);
  uint64_t Total = count(X[2 * P + 3]);
  Fit.NaDeleted = Total > Fit.N ? Total - Fit.N : 0;
  if (Fit.N <= P)
    return bad(V, "fewer rows than coefficients");
  // The solve saw its system times 2^10 / n: the diagonal entries arrive
  // as n / 2^10 times diag(C^-1); q = m' C^-1 m does not.
  Fit.V.assign(X.begin() + long(P), X.begin() + long(2 * P));
  for (size_t J = Fit.Intercept ? 1 : 0; J < P; ++J)
    Fit.V[J] *= 1024.0 / double(Fit.N);
  if (Fit.Intercept)
    Fit.V[0] += 1.0 / double(Fit.N); // (X'X)^-1_00 = 1/n + m' C^-1 m
  rprint::LmSummary S = rprint::summarizeLm(Fit);
  ResultView R;
  R.Fields.push_back({"terms", jsonStrings(S.terms)});
  R.Fields.push_back({"estimate", jsonNumbers(S.estimate)});
  R.Fields.push_back({"std_error", jsonNumbers(S.std_error)});
  if (Confint) {
    std::vector<double> Lo, Hi;
    for (const auto &Row : rprint::confintLm(S)) {
      Lo.push_back(Row[0]);
      Hi.push_back(Row[1]);
    }
    R.Fields.push_back({"lower", jsonNumbers(Lo)});
    R.Fields.push_back({"upper", jsonNumbers(Hi)});
    R.Fields.push_back({"level", "0.95"});
    R.Text = rprint::printConfintLm(S);
    return R;
  }
  R.Fields.push_back({"t_value", jsonNumbers(S.t_value)});
  R.Fields.push_back({"p_value", jsonNumbers(S.p_value)});
  R.Fields.push_back({"residual_std_error", jsonNumber(S.sigma)});
  R.Fields.push_back({"df_residual", jsonNumber(S.df_residual)});
  R.Fields.push_back({"rss", jsonNumber(Fit.Rss)});
  R.Fields.push_back({"r_squared", jsonNumber(S.r_squared)});
  R.Fields.push_back({"adj_r_squared", jsonNumber(S.adj_r_squared)});
  if (S.has_f) {
    R.Fields.push_back({"f_statistic", jsonNumber(S.f_statistic)});
    R.Fields.push_back({"f_numdf", jsonNumber(S.f_numdf)});
    R.Fields.push_back({"f_dendf", jsonNumber(S.f_dendf)});
    R.Fields.push_back({"f_p_value", jsonNumber(S.f_p_value)});
  }
  R.Fields.push_back({"n_used", std::to_string(Fit.N)});
  R.Text = rprint::printSummaryLm(S, Fit.Call);
  return R;
}

//===----------------------------------------------------------------------===//
// glm
//===----------------------------------------------------------------------===//

/// matrix: a square matrix whose rows and columns are named by Names
/// (cov or cor of named columns), printed as R prints it.
Expected<ResultView> viewMatrix(const OutputValue &V) {
  const size_t P = V.Names.size();
  if (P == 0 || V.Rows != P || V.Cols != P || V.Values.size() != P * P)
    return bad(V, "expected a square matrix named by its columns");
  ResultView R;
  R.Fields = {{"dimnames", jsonStrings(V.Names)}};
  R.Text = rprint::printMatrixR(V.Names, V.Names, V.Values);
  return R;
}

/// vcov.lm: with an intercept q = m' C^-1 m and z = C^-1 m (p - 1), then
/// n / 2^10 C^-1 ((p - 1)^2, column by column), rss, n; without one
/// n / 2^10 (X'X)^-1 (p^2), rss, n. vcov = rss / (n - p) (X'X)^-1 with
/// (X'X)^-1 = [1/n + q, -z'; -z, C^-1] (the intercept's block).
Expected<ResultView> viewVcov(const OutputValue &V) {
  const size_t P = V.Names.size();
  if (P == 0 || V.Meta.size() != 2)
    return bad(V, "expected the terms, a call and the intercept flag");
  const bool Intercept = V.Meta[1] == "intercept";
  const size_t S = Intercept ? P - 1 : P, At = Intercept ? 1 + S : 0;
  const std::vector<double> &X = V.Values;
  if (X.size() != At + S * S + 2)
    return bad(V, "expected " + std::to_string(At + S * S + 2) + " values");
  const double Rss = X[At + S * S];
  const uint64_t N = count(X[At + S * S + 1]);
  if (N <= P || !(Rss >= 0))
    return bad(V, "fewer rows than coefficients");
  const double Sigma2 = Rss / double(N - P), Up = 1024.0 / double(N);
  std::vector<double> M(P * P);
  const size_t O = Intercept ? 1 : 0;
  for (size_t I = 0; I < S; ++I)
    for (size_t J = 0; J < S; ++J) // column J of the opened inverse
      M[(I + O) * P + (J + O)] = X[At + J * S + I] * Up * Sigma2;
  if (Intercept) {
    M[0] = (1.0 / double(N) + X[0]) * Sigma2;
    for (size_t J = 0; J < S; ++J)
      M[J + 1] = M[(J + 1) * P] = -X[1 + J] * Sigma2;
  }
  // The opened inverse is symmetric up to rounding: print it symmetric.
  for (size_t I = 0; I < P; ++I)
    for (size_t J = 0; J < I; ++J)
      M[I * P + J] = M[J * P + I] = (M[I * P + J] + M[J * P + I]) / 2;
  ResultView R;
  R.Fields = {{"terms", jsonStrings(V.Names)}, {"matrix", jsonNumbers(M)}};
  R.Text = rprint::printMatrixR(V.Names, V.Names, M);
  return R;
}

/// summary.glm (binomial): b (p), diag((X'WX)^-1) (p), deviance, null
/// deviance, n. The dispersion is 1: SE = sqrt(diag), z = b / SE,
/// p = 2 pnorm(-|z|), AIC = deviance + 2p (0/1 responses).
Expected<ResultView> viewGlm(const OutputValue &V) {
  const size_t P = V.Names.size();
  if (P == 0 || V.Values.size() != 2 * P + 3 || V.Meta.size() != 3)
    return bad(V, "expected 2p + 3 values, a call and the iterations");
  const std::vector<double> &X = V.Values;
  const double Dev = X[2 * P], Dev0 = X[2 * P + 1];
  const uint64_t N = count(X[2 * P + 2]);
  const bool Intercept = V.Meta[1] == "intercept";
  if (N <= P)
    return bad(V, "fewer rows than coefficients");
  std::vector<double> Est(X.begin(), X.begin() + long(P)), Se, Z, Pv;
  std::vector<std::array<double, 4>> Rows;
  for (size_t J = 0; J < P; ++J) {
    // n / 2^10 diag((X'WX)^-1), as the solve saw X'WX 2^10 / n.
    Se.push_back(std::sqrt(X[P + J] * 1024.0 / double(N)));
    Z.push_back(Est[J] / Se[J]);
    Pv.push_back(2 * rdist::pnorm(-std::fabs(Z[J])));
    Rows.push_back({Est[J], Se[J], Z[J], Pv[J]});
  }
  const double DfRes = double(N - P), DfNull = double(N - (Intercept ? 1 : 0));
  const double Aic = Dev + 2.0 * double(P);
  ResultView R;
  R.Fields = {
      {"terms", jsonStrings(V.Names)},     {"estimate", jsonNumbers(Est)},
      {"std_error", jsonNumbers(Se)},      {"z_value", jsonNumbers(Z)},
      {"p_value", jsonNumbers(Pv)},        {"deviance", jsonNumber(Dev)},
      {"null_deviance", jsonNumber(Dev0)}, {"df_residual", jsonNumber(DfRes)},
      {"df_null", jsonNumber(DfNull)},     {"aic", jsonNumber(Aic)},
      {"n_used", std::to_string(N)}};
  // print.summary.glm (R 4.2) without the deviance residuals, which are
  // never opened.
  std::string T = "\nCall:\n" + deparsedCall(V.Meta[0]) + "\n\nCoefficients:\n";
  T += rprint::printCoefmat(
      V.Names, {"Estimate", "Std. Error", "z value", "Pr(>|z|)"}, Rows);
  T += "\n(Dispersion parameter for binomial family taken to be 1)\n\n";
  std::vector<std::string> Devs = rprint::formatR({Dev0, Dev}, 5);
  std::vector<std::string> Dfs = rprint::formatR({DfNull, DfRes}, 7);
  T += "    Null deviance: " + Devs[0] + "  on " + Dfs[0] +
       "  degrees of freedom\n";
  T += "Residual deviance: " + Devs[1] + "  on " + Dfs[1] +
       "  degrees of freedom\n";
  T += "AIC: " + rprint::formatR({Aic}, 5, true)[0] + "\n\n";
  T += "Number of Fisher Scoring iterations: " + V.Meta[2] + "\n\n";
  R.Text = T;
  return R;
}

//===----------------------------------------------------------------------===//
// Tests (print.htest)
//===----------------------------------------------------------------------===//

/// What print.htest prints of a two-sided test (R 4.2, digits = 7): the
/// method after a tab, the data, the statistic and parameter with 5
/// significant digits and the p-value by format.pval with 4, then (if
/// any) the null hypothesis, the 95% interval with 7 digits and the
/// estimates as a named vector.
struct HTest {
  std::string Method, Data;
  std::vector<std::pair<std::string, double>> Stats;
  double P = 0;
  /// names(null.value), or empty for no alternative line.
  std::string NullName;
  double NullValue = 0;
  const double *Ci = nullptr;
  std::vector<std::string> EstNames;
  std::vector<double> Est;
};

std::string htestText(const HTest &H) {
  std::string T = "\n\t" + H.Method + "\n\ndata:  " + H.Data + "\n";
  std::string Line;
  for (const auto &[Name, X] : H.Stats)
    Line +=
        (Line.empty() ? "" : ", ") + Name + " = " + rprint::formatR({X}, 5)[0];
  const std::string Fp = rprint::formatPval({H.P}, 4)[0];
  Line += ", p-value " + (StringRef(Fp).startswith("<") ? Fp : "= " + Fp);
  // (strwrap at 72 columns never breaks this line: it is under 60.)
  T += Line + "\n";
  if (!H.NullName.empty())
    T += "alternative hypothesis: true " + H.NullName + " is not equal to " +
         rprint::formatNumberR(H.NullValue) + "\n";
  if (H.Ci) {
    std::vector<std::string> C = rprint::formatR({H.Ci[0], H.Ci[1]}, 7);
    T += "95 percent confidence interval:\n " + C[0] + " " + C[1] + "\n";
  }
  if (!H.Est.empty())
    T += "sample estimates:\n" + rprint::printNamedVectorR(H.EstNames, H.Est);
  return T + "\n";
}

/// t.test.one: mean, se^2, df, mu; t.test.pooled / t.test.welch: mean x,
/// mean y, se^2, df, mu. Meta: the data line ("x and y"), or for the
/// formula form t.test(y ~ g) the data line ("y by g") and g's two levels.
Expected<ResultView> viewTTest(const OutputValue &V) {
  const bool One = V.Kind == "t.test.one";
  if (!One && V.Kind != "t.test.welch" && V.Kind != "t.test.pooled")
    return bad(V, "unknown result kind");
  const std::vector<double> &X = V.Values;
  const bool Formula = !One && V.Meta.size() == 3;
  if (X.size() != (One ? 4u : 5u) || (V.Meta.size() != 1 && !Formula))
    return bad(V, "unexpected layout");
  const double Mx = X[0], My = One ? 0 : X[1], Se2 = X[One ? 1 : 2],
               Df = X[One ? 2 : 3], Mu = X[One ? 3 : 4];
  if (!(Se2 > 0) || !(Df > 0) || !std::isfinite(Se2) || !std::isfinite(Mx) ||
      !std::isfinite(My) || !std::isfinite(Mu))
    return bad(V, "a standard error or df that is not positive, or a mean "
                  "that is not a number");
  // t.test.default's arithmetic, in its order.
  const double Se = std::sqrt(Se2);
  const double Tv = (One ? Mx - Mu : Mx - My - Mu) / Se;
  const double Pv = 2 * rdist::pt(-std::fabs(Tv), Df);
  const double Alpha = 1 - 0.95;
  const double Q = rdist::qt(1 - Alpha / 2, Df);
  const double Ci[2] = {Mu + (Tv - Q) * Se, Mu + (Tv + Q) * Se};
  ResultView R;
  R.Fields = {{"statistic", jsonNumber(Tv)},
              {"df", jsonNumber(Df)},
              {"p_value", jsonNumber(Pv)},
              {"stderr", jsonNumber(Se)},
              {"conf_int", jsonNumbers({Ci[0], Ci[1]})},
              {"mean_x", jsonNumber(Mx)}};
  if (!One)
    R.Fields.push_back({"mean_y", jsonNumber(My)});
  R.Fields.push_back({"mu", jsonNumber(Mu)});
  HTest H;
  H.Method = One                        ? "One Sample t-test"
             : V.Kind == "t.test.welch" ? "Welch Two Sample t-test"
                                        : "Two Sample t-test";
  H.Data = V.Meta[0];
  H.Stats = {{"t", Tv}, {"df", Df}};
  H.P = Pv;
  H.NullValue = Mu;
  H.Ci = Ci;
  if (One) {
    H.NullName = "mean";
    H.EstNames = {"mean of x"};
    H.Est = {Mx};
  } else if (Formula) {
    // t.test.formula renames the estimates and the null value after
    // the groups.
    H.NullName = "difference in means between group " + V.Meta[1] +
                 " and group " + V.Meta[2];
    H.EstNames = {"mean in group " + V.Meta[1], "mean in group " + V.Meta[2]};
    H.Est = {Mx, My};
  } else {
    H.NullName = "difference in means";
    H.EstNames = {"mean of x", "mean of y"};
    H.Est = {Mx, My};
  }
  R.Text = htestText(H);
  return R;
}

/// chisq.test: statistic, df, whether Yates' correction was applied.
Expected<ResultView> viewChisq(const OutputValue &V) {
  const std::vector<double> &X = V.Values;
  if (X.size() != 3 || V.Meta.size() != 1)
    return bad(V, "unexpected layout");
  const double Stat = X[0], Df = std::round(X[1]);
  if (!std::isfinite(Stat) || !(Df >= 0) || !std::isfinite(Df))
    return bad(V, "a statistic or df that is not a number");
  const bool Yates = X[2] > 0.5;
  const double Pv = rdist::pchisq(Stat, Df, false);
  ResultView R;
  R.Fields = {{"statistic", jsonNumber(Stat)},
              {"df", jsonNumber(Df)},
              {"p_value", jsonNumber(Pv)},
              {"yates_applied", Yates ? "true" : "false"}};
  HTest H;
  H.Method = Yates ? "Pearson's Chi-squared test with Yates' continuity "
                     "correction"
                   : "Pearson's Chi-squared test";
  // DNAME <- deparse(substitute(x)), which print.htest cats without a
  // separator should deparse have broken it.
  for (const std::string &Line : rprint::deparseLinesR(V.Meta[0]))
    H.Data += Line;
  H.Stats = {{"X-squared", Stat}, {"df", Df}};
  H.P = Pv;
  R.Text = htestText(H);
  return R;
}

//===----------------------------------------------------------------------===//
// Tables
//===----------------------------------------------------------------------===//

/// table: the counts (row-major for a two-way table); Names are the levels
/// (of both factors for a two-way table); Meta = "levels", the level
/// counts, and "min_cell", k if cells below k were suppressed (opened as
/// -1).
Expected<ResultView> viewTable(const OutputValue &V) {
  const std::vector<std::string> &M = V.Meta;
  if (M.size() < 2 || M[0] != "levels")
    return bad(V, "unexpected layout");
  size_t A = 0, B = 1, At = 2;
  if (!parseCount(M[1], A))
    return bad(V, "unexpected layout");
  if (M.size() >= 3 && M[2] != "min_cell") {
    if (!parseCount(M[2], B))
      return bad(V, "unexpected layout");
    At = 3;
  }
  const bool TwoWay = At == 3;
  std::string MinCell;
  size_t K = 0;
  if (M.size() == At + 2 && M[At] == "min_cell") {
    if (!parseCount(M[At + 1], K))
      return bad(V, "unexpected layout");
    MinCell = std::to_string(K);
  } else if (M.size() != At) {
    return bad(V, "unexpected layout");
  }
  if (A == 0 || B == 0 || A > V.Values.size() || B > V.Values.size() ||
      V.Values.size() != A * B || V.Names.size() != A + (TwoWay ? B : 0))
    return bad(V, "unexpected layout");
  std::vector<std::string> Cells;
  std::vector<std::string> Json;
  std::vector<size_t> Suppressed;
  for (size_t I = 0; I < V.Values.size(); ++I) {
    const double X = V.Values[I];
    if (!(std::fabs(X) < 0x1p53))
      return bad(V, "a count that is not a number");
    const long long C = std::llround(X);
    if (C < 0) {
      if (MinCell.empty())
        return bad(V, "a negative count");
      Cells.push_back("<" + MinCell);
      Json.push_back("null");
      Suppressed.push_back(I);
    } else {
      Cells.push_back(std::to_string(C));
      Json.push_back(std::to_string(C));
    }
  }
  ResultView R;
  std::string Counts = "[";
  for (size_t I = 0; I < Json.size(); ++I)
    Counts += (I ? ", " : "") + Json[I];
  R.Fields.push_back({"counts", Counts + "]"});
  if (!MinCell.empty()) {
    R.Fields.push_back({"min_cell", MinCell});
    std::string S = "[";
    for (size_t I = 0; I < Suppressed.size(); ++I)
      S += (I ? ", " : "") + std::to_string(Suppressed[I]);
    R.Fields.push_back({"suppressed", S + "]"});
  }
  // print.table: format(unclass(x)) gives every count one common width,
  // right-aligned (a suppressed cell's "<k" widens it as a wider count
  // would), and the character array prints with the dimnames' names, ""
  // for table(d$a): a blank title line for a one-way table, indented row
  // labels under a blank column title for a two-way one.
  size_t W = 0;
  for (const std::string &C : Cells)
    W = std::max(W, C.size());
  for (std::string &C : Cells)
    C.insert(0, W - C.size(), ' ');
  std::vector<std::string> Rows(V.Names.begin(), V.Names.begin() + long(A));
  if (!TwoWay) {
    R.Text = "\n" + rprint::printNamedStringVectorR(Rows, Cells);
    return R;
  }
  std::vector<std::string> Cols(V.Names.begin() + long(A), V.Names.end());
  R.Text = rprint::printTitledStringMatrixR(Rows, Cols, Cells, "", "");
  return R;
}

} // namespace

std::string sstat::runtime::jsonQuoted(StringRef S) {
  std::string Out = "\"";
  for (unsigned char C : S) {
    if (C == '"' || C == '\\') {
      Out += '\\';
      Out += char(C);
    } else if (C < 0x20) {
      char Buf[8];
      std::snprintf(Buf, sizeof Buf, "\\u%04x", C);
      Out += Buf;
    } else {
      Out += char(C);
    }
  }
  return Out + "\"";
}

Expected<std::optional<ResultView>>
sstat::runtime::viewResult(const OutputValue &V) {
  if (V.Kind.empty())
    return std::nullopt;
  auto R = [&]() -> Expected<ResultView> {
    if (V.Kind == "summary.lm" || V.Kind == "confint.lm")
      return viewLm(V, V.Kind == "confint.lm");
    if (V.Kind == "vcov.lm")
      return viewVcov(V);
    if (V.Kind == "matrix")
      return viewMatrix(V);
    if (V.Kind == "summary.glm")
      return viewGlm(V);
    if (StringRef(V.Kind).startswith("t.test."))
      return viewTTest(V);
    if (V.Kind == "chisq.test")
      return viewChisq(V);
    if (V.Kind == "table")
      return viewTable(V);
    return bad(V, "unknown result kind");
  }();
  if (!R)
    return R.takeError();
  return std::optional<ResultView>(std::move(*R));
}
