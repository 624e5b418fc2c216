//===- RPrint.h - R's summaries printed as R prints them --------*- C++ -*-===//
//
// A secure computation reveals only the sufficient statistics of a model;
// the recipient derives, in ordinary double precision, the rest of what R's
// summary() shows and prints it byte for byte as R 4.2 does (in a UTF-8
// locale, with options(digits = 7, width = 80, scipen = 0) and the default
// show.signif.stars = TRUE).
//
// For a linear model the statistics are the coefficients b, the diagonal V
// of (X'X)^-1, the residual and total sums of squares and the number of
// rows: summarizeLm computes what summary.lm computes from them, and
// printSummaryLm prints print.summary.lm's text, except the "Residuals:"
// block, since residuals are never revealed.
//
// The number formatting underneath is R's (format(), formatC(), signif(),
// round(), format.pval(), printCoefmat(), the printing of named vectors and
// matrices), reimplemented from R's documented behaviour and checked
// against R's output; it is exposed for the summaries of other models.
//
//===----------------------------------------------------------------------===//

#ifndef SSTAT_RUNTIME_RPRINT_H
#define SSTAT_RUNTIME_RPRINT_H

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace sstat::runtime::rprint {

//===----------------------------------------------------------------------===//
// Linear models
//===----------------------------------------------------------------------===//

/// What a linear model's reveal gives the recipient.
struct LmFit {
  /// The call as R deparses it, e.g. "lm(formula = y ~ x, data = d)".
  std::string Call;
  /// Coefficient names in model order, "(Intercept)" first if any.
  std::vector<std::string> Terms;
  /// The least-squares coefficients.
  std::vector<double> Beta;
  /// V[j] = SE_j^2 / sigma^2: the diagonal of (X'X)^-1.
  std::vector<double> V;
  /// The residual sum of squares.
  double Rss = 0;
  /// The total sum of squares: about the mean with an intercept, else the
  /// plain sum of y^2.
  double Tss = 0;
  /// The number of rows used.
  uint64_t N = 0;
  /// Whether the model has an intercept.
  bool Intercept = true;
  /// Rows dropped for missing values, printed as R's na.action note when
  /// not zero.
  uint64_t NaDeleted = 0;
};

/// summary.lm's components (named as R names them).
struct LmSummary {
  std::vector<std::string> terms;
  std::vector<double> estimate;
  std::vector<double> std_error;
  std::vector<double> t_value;
  std::vector<double> p_value;
  double sigma = 0;
  double df_residual = 0;
  double r_squared = 0;
  double adj_r_squared = 0;
  double f_statistic = 0;
  double f_numdf = 0;
  double f_dendf = 0;
  double f_p_value = 0;
  /// False when the model has no term besides the intercept: R then has no
  /// F statistic and prints no R-squared line.
  bool has_f = false;
  /// Rows dropped for missing values (from LmFit::NaDeleted).
  uint64_t na_deleted = 0;
};

/// What summary.lm computes: df = N - p, sigma = sqrt(Rss / df),
/// SE = sqrt(V sigma^2), t = b / SE, p = 2 pt(-|t|, df),
/// R^2 = 1 - Rss / Tss, adjusted R^2 = 1 - (1 - R^2)(N - Intercept) / df,
/// F = ((Tss - Rss) / (p - Intercept)) / sigma^2 on (p - Intercept, df).
LmSummary summarizeLm(const LmFit &Fit);

/// confint.lm's rows {lower, upper}: b + qt((1 - Level)/2, df) SE and
/// b + qt(1 - (1 - Level)/2, df) SE.
std::vector<std::array<double, 2>> confintLm(const LmSummary &S,
                                             double Level = 0.95);

/// print(summary(fit)) for an lm, without the "Residuals:" block.
std::string printSummaryLm(const LmSummary &S, const std::string &Call);

/// print(coef(fit)): the named coefficient vector.
std::string printCoefLm(const std::vector<std::string> &Names,
                        const std::vector<double> &Values);

/// print(confint(fit, level = Level)), with R's column names ("2.5 %").
std::string printConfintLm(const LmSummary &S, double Level = 0.95);

//===----------------------------------------------------------------------===//
// R's printing of vectors and matrices
//===----------------------------------------------------------------------===//

/// A named numeric vector as print() shows it: common format with Digits
/// significant digits, names right-aligned above the values, as many
/// columns per line as fit in Width.
std::string printNamedVectorR(const std::vector<std::string> &Names,
                              const std::vector<double> &Values, int Digits = 7,
                              int Width = 80);

/// A numeric matrix as print() shows it (vcov(fit), confint(fit)): each
/// column in its own common format with Digits significant digits, row
/// names left-aligned, columns wrapped into blocks narrower than Width.
/// Values are row-major: Values[I * ColNames.size() + J].
std::string printMatrixR(const std::vector<std::string> &RowNames,
                         const std::vector<std::string> &ColNames,
                         const std::vector<double> &Values, int Digits = 7,
                         int Width = 80);

/// A character matrix as print(quote = FALSE) shows it; Cells row-major.
std::string printStringMatrixR(const std::vector<std::string> &RowNames,
                               const std::vector<std::string> &ColNames,
                               const std::vector<std::string> &Cells,
                               bool Right = true, int Width = 80);

/// A character matrix whose dimnames are named, RowTitle and ColTitle (a
/// table's: "" for table(d$a, d$b)), as print(quote = FALSE) shows it:
/// each block of columns starts with a line holding ColTitle after as many
/// spaces as the row labels are wide, then the column labels after
/// RowTitle; the row labels are indented by two spaces (or as far as
/// RowTitle needs). Cells row-major.
std::string printTitledStringMatrixR(const std::vector<std::string> &RowNames,
                                     const std::vector<std::string> &ColNames,
                                     const std::vector<std::string> &Cells,
                                     const std::string &RowTitle,
                                     const std::string &ColTitle,
                                     bool Right = true, int Width = 80);

/// A named character vector as print(quote = FALSE) shows it (a one-way
/// table's formatted counts): names and values right-aligned in one common
/// width, each followed by a space, as many per line as fit in Width.
std::string printNamedStringVectorR(const std::vector<std::string> &Names,
                                    const std::vector<std::string> &Values,
                                    int Width = 80);

/// printCoefmat() of a coefficient table whose columns are estimate,
/// standard error, test statistic and p-value (named by ColNames), with
/// significance stars and their legend.
std::string printCoefmat(const std::vector<std::string> &RowNames,
                         const std::array<std::string, 4> &ColNames,
                         const std::vector<std::array<double, 4>> &Rows,
                         int Digits = 4, bool SignifStars = true);

//===----------------------------------------------------------------------===//
// R's number formatting
//===----------------------------------------------------------------------===//

/// The common format R chooses for a numeric vector (formatReal): field
/// width, digits after the decimal point, and 0 for fixed notation or the
/// number of exponent digits minus one (1: e+XX, 2: e+XXX).
struct RealFormat {
  int Width = 0;
  int Decimals = 0;
  int Exponent = 0;
};

/// R's formatReal: the narrowest common format showing every finite value
/// of X to Digits significant digits, fixed unless scientific is narrower
/// by more than Scipen characters. NaN and infinities widen the field to
/// "NaN", "Inf", "-Inf".
RealFormat formatReal(const std::vector<double> &X, int Digits, int Scipen = 0);

/// One value in format F (right-aligned in F.Width).
std::string encodeReal(double X, const RealFormat &F);

/// format(X, digits = Digits): every value in the common format; with
/// Trim, without the padding. Scipen = 100 is R's scientific = FALSE.
std::vector<std::string> formatR(const std::vector<double> &X, int Digits = 7,
                                 bool Trim = false, int Scipen = 0);

/// A single number as cat() and paste() show it (7 significant digits).
std::string formatNumberR(double X, int Digits = 7);

/// formatC(X, digits = Digits) for a double: C's "%*.*g" with formatC's
/// default width Digits + 1 (so formatC(0.1, digits = 4) is "  0.1").
std::string formatC(double X, int Digits);

/// format.pval(P, digits = Digits, eps = Eps); Eps defaults to R's
/// .Machine$double.eps.
std::vector<std::string> formatPval(const std::vector<double> &P, int Digits,
                                    double Eps = 2.220446049250313e-16);

/// R's round(X, Digits) (R >= 4.0: the nearer of the two decimal
/// candidates, ties to even).
double roundR(double X, int Digits);

/// R's signif(X, Digits).
double signifR(double X, int Digits);

//===----------------------------------------------------------------------===//
// R's deparse()
//===----------------------------------------------------------------------===//

/// The lines deparse() gives for an R expression (a model's call) written
/// on one line: the expression re-spaced as deparse spaces it (", "
/// between arguments, " = " after argument names, spaces around + - * ~,
/// comparisons, & and |, %op%, none around / ^ : $ and ::), broken as
/// deparse breaks it: after an argument's ", " or such an operator's
/// trailing space once the line is longer than Cutoff bytes
/// (width.cutoff), continuation lines indented by four spaces per open
/// break. Text that is not such an expression (a syntax error, or
/// constructs a model call does not contain: function, if, {, ->, |>, ?)
/// or that already spans lines is returned as its lines, unchanged.
std::vector<std::string> deparseLinesR(const std::string &Text,
                                       int Cutoff = 60);

} // namespace sstat::runtime::rprint

#endif // SSTAT_RUNTIME_RPRINT_H
