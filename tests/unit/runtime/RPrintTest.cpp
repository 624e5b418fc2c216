//===- RPrintTest.cpp - R's summaries against R 4.2's own output ----------===//
//
// The linear-model summary (RPrint.h) fed with the sufficient statistics R
// computes (coefficients, diag((X'X)^-1), RSS, TSS, n; printed by R with 17
// digits) must reproduce R's numbers (standard errors, t and p values,
// sigma, R^2, F and its p-value, confidence intervals) and R's printed text
// byte for byte: print(summary(fit)) without its "Residuals:" block,
// coef(fit), vcov(fit), confint(fit) at 95% and 90%. The models cover
// mtcars, iris (p-values below 2e-16), no intercept, an intercept only (no
// F statistic), ten predictors (wrapped lines), rows dropped for NA
// (airquality), estimates in scientific notation, no significant term (no
// stars) and 10^6 residual df. R's formatting primitives (format,
// format.pval, round, signif, formatC) and matrix layout are checked on
// their own edge cases, as are deparse()'s line breaking of a model's call
// and the printing of tables (character matrices with named dimnames) and
// named character vectors.
//
// The tables below were generated with R 4.2.2 (UTF-8 locale, default
// options) by this script, run from the repository root:
//
//   datasets <- "../shared/datasets"
//   mtcars <- read.csv(file.path(datasets, "mtcars.csv"))
//   iris <- read.csv(file.path(datasets, "iris.csv"))
//   airquality <- read.csv(file.path(datasets, "airquality.csv"))
//   set.seed(2)
//   noise <- data.frame(x = rnorm(25), z = rnorm(25), y = 0.3 + rnorm(25))
//   set.seed(1)
//   big <- data.frame(x1 = rnorm(1000003), x2 = rnorm(1000003))
//   big$y <- 1 + 0.002 * big$x1 + rnorm(1000003)
//
//   num <- function(v) paste(sprintf("%.17g", v), collapse = ", ")
//   str <- function(v) paste0("\"", v, "\"", collapse = ", ")
//   # One C++ string literal per line of text; tabs, quotes and non-ASCII
//   # bytes escaped.
//   text <- function(lines) {
//     esc <- function(l) {
//       b <- as.integer(charToRaw(enc2utf8(l)))
//       out <- ""; after.hex <- FALSE
//       for (c in b) {
//         ch <- rawToChar(as.raw(c))
//         if (c >= 128) {
//           out <- paste0(out, sprintf("\\x%02X", c))
//           after.hex <- TRUE
//           next
//         }
//         if (after.hex && grepl("[0-9A-Fa-f]", ch))
//           out <- paste0(out, "\" \"")
//         after.hex <- FALSE
//         out <- paste0(out, switch(ch, "\t" = "\\t", "\"" = "\\\"",
//                                   "\\" = "\\\\", ch))
//       }
//       out
//     }
//     paste0("      \"", sapply(lines, esc), "\\n\"", collapse = "\n")
//   }
//   without.residuals <- function(out) {
//     # Drop "Residuals:" and everything up to (and with) the blank line
//     # before "Coefficients:" or "No Coefficients".
//     r <- which(out == "Residuals:")
//     co <- grep("Coefficients", out)[1]
//     out[-(r:(co - 1))]
//   }
//   emit <- function(name, fit) {
//     s <- summary(fit)
//     y <- model.response(model.frame(fit))
//     icpt <- attr(terms(fit), "intercept") == 1
//     tss <- if (icpt) sum((y - mean(y))^2) else sum(y^2)
//     cf <- coef(s)
//     cat(sprintf("  {\"%s\",\n", name))
//     cat(sprintf("   {\"%s\",\n", paste(deparse(fit$call), collapse = "\\n")))
//     cat(sprintf("    {%s},\n", str(rownames(cf))))
//     cat(sprintf("    {%s},\n", num(cf[, 1])))
//     cat(sprintf("    {%s},\n", num(diag(s$cov.unscaled))))
//     cat(sprintf("    %s, %s, %d, %s, %d},\n", num(deviance(fit)), num(tss),
//                 nobs(fit), if (icpt) "true" else "false",
//                 length(fit$na.action)))
//     cat(sprintf("   {%s},\n", num(cf[, 2])))
//     cat(sprintf("   {%s},\n", num(cf[, 3])))
//     cat(sprintf("   {%s},\n", num(cf[, 4])))
//     has.f <- !is.null(s$fstatistic)
//     f <- if (has.f) s$fstatistic else c(NaN, NaN, NaN)
//     fp <- pf(f[1], f[2], f[3], lower.tail = FALSE)
//     cat(sprintf("   %s, %s,\n", if (has.f) "true" else "false",
//                 num(c(s$sigma, s$r.squared, s$adj.r.squared, f[1], fp))))
//     cat(sprintf("   {%s},\n", num(t(vcov(fit)))))
//     cat(sprintf("   {%s},\n", num(t(confint(fit)))))
//     cat(text(without.residuals(capture.output(print(s)))), ",\n")
//     cat(text(capture.output(print(coef(fit)))), ",\n")
//     cat(text(capture.output(print(vcov(fit)))), ",\n")
//     cat(text(capture.output(print(confint(fit)))), ",\n")
//     cat(text(capture.output(print(confint(fit, level = 0.9)))), "},\n")
//   }
//
//   cat("const LmCase LmCases[] = {\n")
//   emit("mtcars4", lm(mpg ~ wt + hp + qsec + am, data = mtcars))
//   emit("mtcars2", lm(mpg ~ wt + hp, data = mtcars))
//   emit("iris", lm(Sepal.Length ~ Sepal.Width + Petal.Length, data = iris))
//   emit("noIntercept", lm(mpg ~ 0 + wt + hp, data = mtcars))
//   emit("mtcarsAll", lm(mpg ~ cyl + disp + hp + drat + wt + qsec + vs + am +
//                          gear + carb, data = mtcars))
//   emit("airqualityNA", lm(Ozone ~ Solar.R + Wind + Temp, data = airquality))
//   emit("scientific", lm(mpg ~ I(disp * 1e6) + wt, data = mtcars))
//   emit("noStars", lm(y ~ x + z, data = noise))
//   emit("interceptOnly", lm(mpg ~ 1, data = mtcars))
//   emit("millionDf", lm(y ~ x1 + x2, data = big))
//   emit("saturated", lm(mpg ~ wt + hp, data = mtcars[1:3, ]))
//   cat("};\n")
//
//   # format(x, digits = d), format.pval, round, signif, formatC.
//   fmt.case <- function(x, d)
//     cat(sprintf("  {%d, {%s}, {%s}},\n", d, num(x),
//                 str(format(x, digits = d))))
//   cat("\nconst FormatCase FormatCases[] = {\n")
//   fmt.case(c(17.44019, -0.01765, 9.31887), 4)
//   fmt.case(c(1e-5, 1e-100), 7)
//   fmt.case(c(123456.7, 0.1), 7)
//   fmt.case(1234567.8, 7)
//   fmt.case(1e6, 7)
//   fmt.case(c(9.9996, 1), 3)
//   fmt.case(99999.5, 5)
//   fmt.case(c(0.15, 0.25, 2.5), 1)
//   fmt.case(c(-1.5, NaN, Inf, -Inf), 7)
//   fmt.case(c(0, -0.000123456, 1e-300), 3)
//   fmt.case(c(1.5e200, 2), 15)
//   fmt.case(0.1 + 0.2, 17)
//   fmt.case(c(0.3333333333, 2 / 3), 10)
//   fmt.case(100 * c(0.025, 0.975), 3)
//   cat("};\n")
//
//   pval.case <- function(p, d)
//     cat(sprintf("  {%d, {%s}, {%s}},\n", d, num(p),
//                 str(format.pval(p, digits = d))))
//   cat("\nconst FormatCase PvalCases[] = {\n")
//   pval.case(c(0.072149, 0.0011414, 0.22309), 3)
//   pval.case(c(7.04e-16, 1.16e-14, 1e-30), 3)
//   pval.case(c(0.0313, 0.6438, 0), 3)
//   pval.case(1e-20, 4)
//   pval.case(4.589394673338381e-11, 4)
//   pval.case(c(0.00012, 0.5), 3)
//   pval.case(c(0.00012, 0.5), 1)
//   pval.case(c(1e-17, 0.01, 0.2), 1)
//   pval.case(c(NaN, 0.5), 3)
//   pval.case(c(1, 0.99999), 3)
//   cat("};\n")
//
//   round.case <- function(x, d)
//     cat(sprintf("  {%s, %d, %s, %s},\n", num(x), d, num(round(x, d)),
//                 num(signif(x, max(1, d)))))
//   cat("\nconst RoundCase RoundCases[] = {\n")
//   for (x in c(0.15, 2.675, 1.005, 0.125, -2.5, 0.285, 9.9995, 123456.789,
//               1.2345e-10, -7.77e15, 2.5e-300))
//     for (d in c(0, 1, 2, 3, 5))
//       round.case(x, d)
//   cat("};\n")
//
//   formatc.case <- function(x, d)
//     cat(sprintf("  {%s, %d, \"%s\"},\n", num(x), d, formatC(x, digits = d)))
//   cat("\nconst FormatCCase FormatCCases[] = {\n")
//   formatc.case(0.8578510190623608, 4)
//   formatc.case(0.1, 4)
//   formatc.case(-0.085970, 4)
//   formatc.case(40.735391421562348, 4)
//   formatc.case(12345.6, 4)
//   formatc.case(4.853e-06, 4)
//   formatc.case(NaN, 4)
//   cat("};\n")
//
//   # deparse(): one-line calls and the lines deparse() gives them.
//   q <- function(v)
//     paste0("\"", gsub("\"", "\\\\\"", v), "\"", collapse = ", ")
//   deparse.case <- function(..., cutoff = 60L) {
//     e <- paste(...)
//     cat(sprintf("  {%s, %d,\n   {%s}},\n", q(e), cutoff,
//                 q(deparse(str2lang(e), width.cutoff = cutoff))))
//   }
//   cat("\nconst DeparseCase DeparseCases[] = {\n")
//   deparse.case("lm(formula = mpg ~ wt + hp, data = mtcars)")
//   deparse.case("lm(formula = mpg ~ cyl + disp + hp + drat + wt + qsec +",
//                "vs + am + gear + carb, data = mtcars)")
//   deparse.case("glm(formula = low ~ age + lwt + smoke + ptl + ht + ui,",
//                "family = binomial, data = birthwt)")
//   deparse.case("lm(formula = a_really_long_response_variable_name ~",
//                "another_long_predictor_name + yet_another_predictor +",
//                "x, data = some_long_data_frame_name)")
//   deparse.case("glm(formula = Species == \"virginica\" ~ Sepal.Width +",
//                "Petal.Length, family = binomial, data = iris)")
//   deparse.case("lm(formula = log(mpg) ~ poly(wt, 2) + exp(-hp/100) +",
//                "(am == 1) + I(disp * 1e+06) - 1,",
//                "data = mtcars[mtcars$cyl > 4, ])")
//   deparse.case("lm(formula = y ~ x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 +",
//                "x9 + x10 + x11 + x12 + x13 + x14 + x15 + x16 + x17 +",
//                "x18 + x19 + x20 + x21 + x22 + x23 + x24 + x25 + x26 +",
//                "x27 + x28 + x29 + x30, data = d)")
//   deparse.case("lm(formula = y ~ a + b, data = subset(some_data_frame,",
//                "a_long_condition_variable > 1 & another_one < 2),",
//                "weights = w)")
//   deparse.case("lm(formula = y ~ x + d[(some_long_index_expression +",
//                "another_index_term), ] * z, data = d)")
//   deparse.case("lm(formula=mpg~wt+hp:am*qsec^2,",
//                "data=mtcars[ mtcars$am==1 ,])")
//   deparse.case("table(mtcars$am, mtcars$vs)")
//   deparse.case("lm(formula = mpg ~ wt + hp + qsec + am, data = mtcars)",
//                cutoff = 20L)
//   deparse.case("glm(formula = low ~ age + lwt + smoke + ptl + ht + ui,",
//                "family = binomial, data = birthwt)", cutoff = 500L)
//   cat("};\n")
//
//   # A table's formatted counts, printed with its dimnames' names; named
//   # character vectors.
//   titled.case <- function(x, right = TRUE) {
//     dn <- dimnames(x)
//     cells <- if (is.character(x)) unclass(x) else format(unclass(x))
//     cat(sprintf("  {{%s},\n   {%s},\n   {%s},\n   %s, %s, %s,\n",
//                 q(dn[[1]]), q(dn[[2]]), q(t(cells)), q(names(dn)[1]),
//                 q(names(dn)[2]), if (right) "true" else "false"))
//     out <- if (is.character(x)) capture.output(print(x, quote = FALSE))
//            else capture.output(print(x))
//     cat(text(out), "},\n")
//   }
//   cat("\nconst TitledCase TitledCases[] = {\n")
//   titled.case(table(cyl = mtcars$cyl, gear = mtcars$gear))
//   titled.case(table(mtcars$cyl, mtcars$gear))
//   titled.case(table(mtcars$cyl, mtcars$gear,
//                     dnn = c("number_of_cylinders", "gears")))
//   titled.case(table(carb = mtcars$carb, mpg = mtcars$mpg))
//   titled.case(matrix(c("a", "bb", "ccc", "d"), 2,
//                      dimnames = list(r = c("x", "y"), c = c("A", "B"))),
//               right = FALSE)
//   cat("};\n")
//
//   named.case <- function(v) {
//     cat(sprintf("  {{%s},\n   {%s},\n", q(names(v)), q(unname(v))))
//     cat(text(capture.output(print(v, quote = FALSE))), "},\n")
//   }
//   cat("\nconst NamedStringCase NamedStringCases[] = {\n")
//   named.case(c(a = "x", bb = "yyy", c = "zz"))
//   named.case(setNames(format(7 * 1:30), paste0("level", 1:30)))
//   cat("};\n")
//
//===----------------------------------------------------------------------===//

#include "sstat/runtime/RPrint.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

using namespace sstat::runtime::rprint;

namespace {

constexpr double NaN = std::numeric_limits<double>::quiet_NaN();
constexpr double Inf = std::numeric_limits<double>::infinity();

/// One lm: its revealed statistics, R's summary values and R's text.
struct LmCase {
  const char *Name;
  LmFit Fit;
  std::vector<double> StdError, TValue, PValue;
  bool HasF; ///< whether R has an F statistic (a term besides the intercept)
  double Sigma, RSquared, AdjRSquared, FStatistic, FPValue;
  std::vector<double> Vcov;    ///< row-major
  std::vector<double> Confint; ///< row-major, 95%
  const char *Summary;
  const char *Coef;
  const char *VcovText;
  const char *ConfintText;
  const char *Confint90Text;
};

/// format(X, digits = Digits) (or format.pval) gives Expected.
struct FormatCase {
  int Digits;
  std::vector<double> X;
  std::vector<std::string> Expected;
};

/// round(X, Digits) and signif(X, max(1, Digits)).
struct RoundCase {
  double X;
  int Digits;
  double Round;
  double Signif;
};

/// formatC(X, digits = Digits).
struct FormatCCase {
  double X;
  int Digits;
  const char *Expected;
};

/// deparse(str2lang(Text), width.cutoff = Cutoff) gives Lines.
struct DeparseCase {
  const char *Text;
  int Cutoff;
  std::vector<std::string> Lines;
};

/// A character matrix (a table's formatted counts) with named dimnames,
/// printed by R as Text.
struct TitledCase {
  std::vector<std::string> Rows, Cols, Cells;
  const char *RowTitle, *ColTitle;
  bool Right;
  const char *Text;
};

/// A named character vector, printed by R (quote = FALSE) as Text.
struct NamedStringCase {
  std::vector<std::string> Names, Values;
  const char *Text;
};

// clang-format off
// BEGIN GENERATED by the script above
const LmCase LmCases[] = {
  {"mtcars4",
   {"lm(formula = mpg ~ wt + hp + qsec + am, data = mtcars)",
    {"(Intercept)", "wt", "hp", "qsec", "am"},
    {17.440191102055387, -3.2380968198705062, -0.017646542516629598, 0.81060254196535741, 2.9255039413585755},
    {14.648387333507182, 0.13358092688664913, 3.3776397651152203e-05, 0.032488954446516456, 0.32926660921178674},
    160.06646019081967, 1126.0471874999998, 32, true, 0},
   {9.3188687677376425, 0.88989858173203618, 0.01415060319355281, 0.43887026403046875, 1.3971471010806091},
   {1.8714922955492346, -3.6387256776700347, -1.2470523182128082, 1.8470208815721472, 2.0939126159986121},
   {0.072149342054506793, 0.001141407119012085, 0.22308793197538773, 0.0757312024499672, 0.045790787755046976},
   true, 2.4348280051114091, 0.85785101906236083, 0.83679191077530324, 40.735391421562348, 4.589394673338381e-11,
   {86.841315110316103, -0.19763692989534271, -0.088762778132121217, -3.9354560534802192, -6.7860783731627485, -0.19763692989534271, 0.79191948576868965, -0.0076980466474716788, -0.085425809733840785, 0.7477787160465692, -0.088762778132121217, -0.0076980466474716788, 0.00020023957074138705, 0.0047123211589139118, 0.00011725388408011456, -3.9354560534802192, -0.085425809733840785, 0.0047123211589139118, 0.19260710865017336, 0.20001845988541936, -6.7860783731627485, 0.7477787160465692, 0.00011725388408011456, 0.20001845988541936, 1.95202002205795},
   {-1.6805482146637374, 36.560930418774511, -5.0640178864408236, -1.4121757533001891, -0.046681181975764638, 0.011388096942505439, -0.08988485854811834, 1.7110899424788331, 0.058794883349416072, 5.7922129993677345},
      "\n"
      "Call:\n"
      "lm(formula = mpg ~ wt + hp + qsec + am, data = mtcars)\n"
      "\n"
      "Coefficients:\n"
      "            Estimate Std. Error t value Pr(>|t|)   \n"
      "(Intercept) 17.44019    9.31887   1.871  0.07215 . \n"
      "wt          -3.23810    0.88990  -3.639  0.00114 **\n"
      "hp          -0.01765    0.01415  -1.247  0.22309   \n"
      "qsec         0.81060    0.43887   1.847  0.07573 . \n"
      "am           2.92550    1.39715   2.094  0.04579 * \n"
      "---\n"
      "Signif. codes:  0 \xE2\x80\x98***\xE2\x80\x99 0.001 \xE2\x80\x98**\xE2\x80\x99 0.01 \xE2\x80\x98*\xE2\x80\x99 0.05 \xE2\x80\x98.\xE2\x80\x99 0.1 \xE2\x80\x98 \xE2\x80\x99 1\n"
      "\n"
      "Residual standard error: 2.435 on 27 degrees of freedom\n"
      "Multiple R-squared:  0.8579,\tAdjusted R-squared:  0.8368 \n"
      "F-statistic: 40.74 on 4 and 27 DF,  p-value: 4.589e-11\n"
      "\n" ,
      "(Intercept)          wt          hp        qsec          am \n"
      "17.44019110 -3.23809682 -0.01764654  0.81060254  2.92550394 \n" ,
      "            (Intercept)           wt            hp         qsec            am\n"
      "(Intercept) 86.84131511 -0.197636930 -0.0887627781 -3.935456053 -6.7860783732\n"
      "wt          -0.19763693  0.791919486 -0.0076980466 -0.085425810  0.7477787160\n"
      "hp          -0.08876278 -0.007698047  0.0002002396  0.004712321  0.0001172539\n"
      "qsec        -3.93545605 -0.085425810  0.0047123212  0.192607109  0.2000184599\n"
      "am          -6.78607837  0.747778716  0.0001172539  0.200018460  1.9520200221\n" ,
      "                  2.5 %     97.5 %\n"
      "(Intercept) -1.68054821 36.5609304\n"
      "wt          -5.06401789 -1.4121758\n"
      "hp          -0.04668118  0.0113881\n"
      "qsec        -0.08988486  1.7110899\n"
      "am           0.05879488  5.7922130\n" ,
      "                    5 %         95 %\n"
      "(Intercept)  1.56746960 33.312912601\n"
      "wt          -4.75385079 -1.722342848\n"
      "hp          -0.04174910  0.006456016\n"
      "qsec         0.06307989  1.558125192\n"
      "am           0.54575943  5.305248456\n" },
  {"mtcars2",
   {"lm(formula = mpg ~ wt + hp, data = mtcars)",
    {"(Intercept)", "wt", "hp"},
    {37.227270116447201, -3.8778307424046821, -0.031772946982161002},
    {0.38004808748738472, 0.059524902440907565, 1.2122846793141482e-05},
    195.04775474146638, 1126.0471874999998, 32, true, 0},
   {1.5987875379993941, 0.63273349437739534, 0.0090297096758557224},
   {23.284688697930861, -6.1286952198104139, -3.5187119102087809},
   {2.5654585119837577e-20, 1.1196471362000422e-06, 0.0014512285315694238},
   true, 2.5934117772265668, 0.82678545188279118, 0.8148396209781561, 69.211213391777648, 9.1090543852220887e-12,
   {2.5561215916621642, -0.73594514641847553, 0.0001484700526508522, -0.73594514641847553, 0.40035167490702928, -0.0037636900190961358, 0.0001484700526508522, -0.0037636900190961358, 8.153565683024247e-05},
   {33.957382452258472, 40.497157780635931, -5.1719160406755371, -2.583745444133827, -0.05024077687107361, -0.013305117093248393},
      "\n"
      "Call:\n"
      "lm(formula = mpg ~ wt + hp, data = mtcars)\n"
      "\n"
      "Coefficients:\n"
      "            Estimate Std. Error t value Pr(>|t|)    \n"
      "(Intercept) 37.22727    1.59879  23.285  < 2e-16 ***\n"
      "wt          -3.87783    0.63273  -6.129 1.12e-06 ***\n"
      "hp          -0.03177    0.00903  -3.519  0.00145 ** \n"
      "---\n"
      "Signif. codes:  0 \xE2\x80\x98***\xE2\x80\x99 0.001 \xE2\x80\x98**\xE2\x80\x99 0.01 \xE2\x80\x98*\xE2\x80\x99 0.05 \xE2\x80\x98.\xE2\x80\x99 0.1 \xE2\x80\x98 \xE2\x80\x99 1\n"
      "\n"
      "Residual standard error: 2.593 on 29 degrees of freedom\n"
      "Multiple R-squared:  0.8268,\tAdjusted R-squared:  0.8148 \n"
      "F-statistic: 69.21 on 2 and 29 DF,  p-value: 9.109e-12\n"
      "\n" ,
      "(Intercept)          wt          hp \n"
      "37.22727012 -3.87783074 -0.03177295 \n" ,
      "              (Intercept)          wt            hp\n"
      "(Intercept)  2.5561215917 -0.73594515  1.484701e-04\n"
      "wt          -0.7359451464  0.40035167 -3.763690e-03\n"
      "hp           0.0001484701 -0.00376369  8.153566e-05\n" ,
      "                  2.5 %      97.5 %\n"
      "(Intercept) 33.95738245 40.49715778\n"
      "wt          -5.17191604 -2.58374544\n"
      "hp          -0.05024078 -0.01330512\n" ,
      "                    5 %        95 %\n"
      "(Intercept) 34.51072700 39.94381323\n"
      "wt          -4.95292532 -2.80273616\n"
      "hp          -0.04711557 -0.01643032\n" },
  {"iris",
   {"lm(formula = Sepal.Length ~ Sepal.Width + Petal.Length, data = iris)",
    {"(Intercept)", "Sepal.Width", "Petal.Length"},
    {2.2491401603832308, 0.59552474874359085, 0.4719200393271325},
    {0.55355527581140818, 0.043269651252339281, 0.0026378723484792124},
    16.328764184228785, 102.16833333333334, 150, true, 0},
   {0.24796962675619538, 0.069328162334965429, 0.017117679035250147},
   {9.0702244053244208, 8.5899399131085854, 27.569160419196759},
   {7.0385099112932214e-16, 1.1632543439045718e-14, 5.8479143736761776e-60},
   true, 0.33328670610173067, 0.84017783542622027, 0.8380033842075294, 386.38615030970715, 2.9330543453691928e-59,
   {0.061488935793606855, -0.016605488275875126, -0.0026556384907939529, -0.016605488275875126, 0.0048063940927433185, 0.00050844582304272073, -0.0026556384907939529, 0.00050844582304272073, 0.00029301493555384243},
   {1.7590943243932973, 2.7391859963731644, 0.45851612509273021, 0.73253337239445149, 0.43809151184669204, 0.50574856680757296},
      "\n"
      "Call:\n"
      "lm(formula = Sepal.Length ~ Sepal.Width + Petal.Length, data = iris)\n"
      "\n"
      "Coefficients:\n"
      "             Estimate Std. Error t value Pr(>|t|)    \n"
      "(Intercept)   2.24914    0.24797    9.07 7.04e-16 ***\n"
      "Sepal.Width   0.59552    0.06933    8.59 1.16e-14 ***\n"
      "Petal.Length  0.47192    0.01712   27.57  < 2e-16 ***\n"
      "---\n"
      "Signif. codes:  0 \xE2\x80\x98***\xE2\x80\x99 0.001 \xE2\x80\x98**\xE2\x80\x99 0.01 \xE2\x80\x98*\xE2\x80\x99 0.05 \xE2\x80\x98.\xE2\x80\x99 0.1 \xE2\x80\x98 \xE2\x80\x99 1\n"
      "\n"
      "Residual standard error: 0.3333 on 147 degrees of freedom\n"
      "Multiple R-squared:  0.8402,\tAdjusted R-squared:  0.838 \n"
      "F-statistic: 386.4 on 2 and 147 DF,  p-value: < 2.2e-16\n"
      "\n" ,
      " (Intercept)  Sepal.Width Petal.Length \n"
      "   2.2491402    0.5955247    0.4719200 \n" ,
      "              (Intercept)   Sepal.Width  Petal.Length\n"
      "(Intercept)   0.061488936 -0.0166054883 -0.0026556385\n"
      "Sepal.Width  -0.016605488  0.0048063941  0.0005084458\n"
      "Petal.Length -0.002655638  0.0005084458  0.0002930149\n" ,
      "                 2.5 %    97.5 %\n"
      "(Intercept)  1.7590943 2.7391860\n"
      "Sepal.Width  0.4585161 0.7325334\n"
      "Petal.Length 0.4380915 0.5057486\n" ,
      "                   5 %      95 %\n"
      "(Intercept)  1.8386796 2.6596007\n"
      "Sepal.Width  0.4807669 0.7102826\n"
      "Petal.Length 0.4435854 0.5002547\n" },
  {"noIntercept",
   {"lm(formula = mpg ~ 0 + wt + hp, data = mtcars)",
    {"wt", "hp"},
    {6.8404499708353006, -0.033935259906657682},
    {0.028020849790854237, 1.2121564600563091e-05},
    3841.6116658647538, 14042.309999999999, 32, false, 0},
   {1.894247638192972, 0.0393981150048478},
   {3.6111698559966454, -0.86134222163882879},
   {0.0010978385925872534, 0.39588207261503594},
   true, 11.316082457966264, 0.72642594659534265, 0.70818767636836544, 39.829761131669656, 3.5985171588026493e-09,
   {3.5881741147996524, -0.070843873920211853, -0.070843873920211853, 0.0015522114659352133},
   {2.9718801939401214, 10.70901974773048, -0.11439694501124686, 0.046526425197931494},
      "\n"
      "Call:\n"
      "lm(formula = mpg ~ 0 + wt + hp, data = mtcars)\n"
      "\n"
      "Coefficients:\n"
      "   Estimate Std. Error t value Pr(>|t|)   \n"
      "wt  6.84045    1.89425   3.611   0.0011 **\n"
      "hp -0.03394    0.03940  -0.861   0.3959   \n"
      "---\n"
      "Signif. codes:  0 \xE2\x80\x98***\xE2\x80\x99 0.001 \xE2\x80\x98**\xE2\x80\x99 0.01 \xE2\x80\x98*\xE2\x80\x99 0.05 \xE2\x80\x98.\xE2\x80\x99 0.1 \xE2\x80\x98 \xE2\x80\x99 1\n"
      "\n"
      "Residual standard error: 11.32 on 30 degrees of freedom\n"
      "Multiple R-squared:  0.7264,\tAdjusted R-squared:  0.7082 \n"
      "F-statistic: 39.83 on 2 and 30 DF,  p-value: 3.599e-09\n"
      "\n" ,
      "         wt          hp \n"
      " 6.84044997 -0.03393526 \n" ,
      "            wt           hp\n"
      "wt  3.58817411 -0.070843874\n"
      "hp -0.07084387  0.001552211\n" ,
      "        2.5 %      97.5 %\n"
      "wt  2.9718802 10.70901975\n"
      "hp -0.1143969  0.04652643\n" ,
      "          5 %        95 %\n"
      "wt  3.6254175 10.05548240\n"
      "hp -0.1008041  0.03293362\n" },
  {"mtcarsAll",
   {"lm(formula = mpg ~ cyl + disp + hp + drat + wt + qsec + vs + \n    am + gear + carb, data = mtcars)",
    {"(Intercept)", "cyl", "disp", "hp", "drat", "wt", "qsec", "vs", "am", "gear", "carb"},
    {12.303374155996185, -0.11144047788686268, 0.013335239913341082, -0.021482118989136323, 0.7871109722361157, -3.7153039283274749, 0.82104074967462848, 0.31776281418542285, 2.5202268872084224, 0.65541301708179189, -0.19941925485626746},
    {49.883532187594028, 0.15548756918778456, 4.5403047871672079e-05, 6.7468933539946245e-05, 0.38078283049437872, 0.51096788058536202, 0.076049084918660359, 0.63058710685520203, 0.60223319261540542, 0.31747864331500192, 0.097789758901816626},
    147.49443001665082, 1126.0471874999998, 32, true, 0},
   {18.717884428721455, 1.0450233625100227, 0.017857500314128361, 0.021768579252703247, 1.6353730686050894, 1.8944142995327087, 0.73084479602344876, 2.1045086057077427, 2.0566505534822657, 1.4932599610727977, 0.82875249768176806},
   {0.6573058084020118, -0.10663922155691889, 0.74675848684099466, -0.98684065412622868, 0.48130361649375286, -1.9611887057883386, 1.1234132802777539, 0.15099145393067173, 1.2254035489603432, 0.43891421063143338, -0.24062582666609625},
   {0.51812439689847456, 0.91608737551596131, 0.46348865035386777, 0.33495531411697732, 0.6352778979695004, 0.063252151144556429, 0.27394126997236234, 0.88142347197698312, 0.23398971070679547, 0.66520643429302129, 0.81217871295269395},
   true, 2.6501970278655098, 0.86901576447776452, 0.80664231899098571, 13.93246369020882, 3.7931521053058888e-07,
   {350.35919748697313, -13.163824436608268, -0.0059101820392429543, -0.026610018930254473, -12.941827906384203, 3.1560007501207674, -10.546511741552949, 3.6462144786569044, -8.8845922018846917, -11.357908145656763, 1.8166582773318403, -13.163824436608268, 1.0920738281917544, -0.004966938118948494, -0.0041817837490905384, 0.47121988035066292, 0.22338995452521104, 0.2097179337666219, 0.70544537123343731, 0.5605478034186131, 0.55016388054796095, -0.19759856100681916, -0.0059101820392429543, -0.004966938118948494, 0.00031889031746909447, -0.00020403635630374846, -0.0033844017557565003, -0.026026365837531391, 0.0037258627860800265, 0.0037642312801482686, 0.00099020568716922633, -0.0020944046601726186, 0.0099823154368274686, -0.026610018930254473, -0.0041817837490905384, -0.00020403635630374846, 0.00047387104268122222, 0.0030952720423052223, 0.009914533392868902, 0.0017246613287771196, -0.012474162970576016, -0.0021256565984444512, -0.002907767922232192, -0.0095004566399558704, -12.941827906384203, 0.47121988035066292, -0.0033844017557565003, 0.0030952720423052223, 2.6744450735188265, 0.52175936905157505, 0.043438912346264485, -0.10238014725516417, -0.52604457816401284, -0.18295400602356282, -0.27970025144309624, 3.1560007501207674, 0.22338995452521104, -0.026026365837531391, 0.009914533392868902, 0.52175936905157505, 3.5888055382740034, -0.70201702468032867, 0.33802603819074634, 0.36755700224139115, 0.51300188821027515, -1.091239680529337, -10.546511741552949, 0.2097179337666219, 0.0037258627860800265, 0.0017246613287771196, 0.043438912346264485, -0.70201702468032867, 0.5341341158745565, -0.56169075776947919, 0.41174906931742578, 0.088349774009300108, 0.1627170787256749, 3.6462144786569044, 0.70544537123343731, 0.0037642312801482686, -0.012474162970576016, -0.10238014725516417, 0.33802603819074634, -0.56169075776947919, 4.4289564714979477, 0.90777067639521569, -0.13690086635855195, 0.16167376339754014, -8.8845922018846917, 0.5605478034186131, 0.00099020568716922633, -0.0021256565984444512, -0.52604457816401284, 0.36755700224139115, 0.41174906931742578, 0.90777067639521569, 4.2298114991389095, -0.96356238320511567, 0.10574106313609118, -11.357908145656763, 0.55016388054796095, -0.0020944046601726186, -0.002907767922232192, -0.18295400602356282, 0.51300188821027515, 0.088349774009300108, -0.13690086635855195, -0.96356238320511567, 2.229825311343133, -0.52515378229699095, 1.8166582773318403, -0.19759856100681916, 0.0099823154368274686, -0.0095004566399558704, -0.27970025144309624, -1.091239680529337, 0.1627170787256749, 0.16167376339754014, 0.10574106313609118, -0.52515378229699095, 0.68683070241376898},
   {-26.622597445985615, 51.229345757977981, -2.2846855306265788, 2.0618045748528537, -0.023801464972149147, 0.050471944798831311, -0.066752357783109728, 0.023788119804837082, -2.6138335025298178, 4.188055447002049, -7.654954133285786, 0.22434627663083617, -0.69883420648291283, 2.3409157058321699, -4.0588024185929443, 4.6943280469637907, -1.7568120775801432, 6.797265851996988, -2.4499910717427147, 3.7608171059062983, -1.9229044228879169, 1.524065913175382},
      "\n"
      "Call:\n"
      "lm(formula = mpg ~ cyl + disp + hp + drat + wt + qsec + vs + \n"
      "    am + gear + carb, data = mtcars)\n"
      "\n"
      "Coefficients:\n"
      "            Estimate Std. Error t value Pr(>|t|)  \n"
      "(Intercept) 12.30337   18.71788   0.657   0.5181  \n"
      "cyl         -0.11144    1.04502  -0.107   0.9161  \n"
      "disp         0.01334    0.01786   0.747   0.4635  \n"
      "hp          -0.02148    0.02177  -0.987   0.3350  \n"
      "drat         0.78711    1.63537   0.481   0.6353  \n"
      "wt          -3.71530    1.89441  -1.961   0.0633 .\n"
      "qsec         0.82104    0.73084   1.123   0.2739  \n"
      "vs           0.31776    2.10451   0.151   0.8814  \n"
      "am           2.52023    2.05665   1.225   0.2340  \n"
      "gear         0.65541    1.49326   0.439   0.6652  \n"
      "carb        -0.19942    0.82875  -0.241   0.8122  \n"
      "---\n"
      "Signif. codes:  0 \xE2\x80\x98***\xE2\x80\x99 0.001 \xE2\x80\x98**\xE2\x80\x99 0.01 \xE2\x80\x98*\xE2\x80\x99 0.05 \xE2\x80\x98.\xE2\x80\x99 0.1 \xE2\x80\x98 \xE2\x80\x99 1\n"
      "\n"
      "Residual standard error: 2.65 on 21 degrees of freedom\n"
      "Multiple R-squared:  0.869,\tAdjusted R-squared:  0.8066 \n"
      "F-statistic: 13.93 on 10 and 21 DF,  p-value: 3.793e-07\n"
      "\n" ,
      "(Intercept)         cyl        disp          hp        drat          wt \n"
      "12.30337416 -0.11144048  0.01333524 -0.02148212  0.78711097 -3.71530393 \n"
      "       qsec          vs          am        gear        carb \n"
      " 0.82104075  0.31776281  2.52022689  0.65541302 -0.19941925 \n" ,
      "              (Intercept)           cyl          disp            hp\n"
      "(Intercept) 350.359197487 -13.163824437 -0.0059101820 -0.0266100189\n"
      "cyl         -13.163824437   1.092073828 -0.0049669381 -0.0041817837\n"
      "disp         -0.005910182  -0.004966938  0.0003188903 -0.0002040364\n"
      "hp           -0.026610019  -0.004181784 -0.0002040364  0.0004738710\n"
      "drat        -12.941827906   0.471219880 -0.0033844018  0.0030952720\n"
      "wt            3.156000750   0.223389955 -0.0260263658  0.0099145334\n"
      "qsec        -10.546511742   0.209717934  0.0037258628  0.0017246613\n"
      "vs            3.646214479   0.705445371  0.0037642313 -0.0124741630\n"
      "am           -8.884592202   0.560547803  0.0009902057 -0.0021256566\n"
      "gear        -11.357908146   0.550163881 -0.0020944047 -0.0029077679\n"
      "carb          1.816658277  -0.197598561  0.0099823154 -0.0095004566\n"
      "                     drat           wt          qsec           vs            am\n"
      "(Intercept) -12.941827906  3.156000750 -10.546511742  3.646214479 -8.8845922019\n"
      "cyl           0.471219880  0.223389955   0.209717934  0.705445371  0.5605478034\n"
      "disp         -0.003384402 -0.026026366   0.003725863  0.003764231  0.0009902057\n"
      "hp            0.003095272  0.009914533   0.001724661 -0.012474163 -0.0021256566\n"
      "drat          2.674445074  0.521759369   0.043438912 -0.102380147 -0.5260445782\n"
      "wt            0.521759369  3.588805538  -0.702017025  0.338026038  0.3675570022\n"
      "qsec          0.043438912 -0.702017025   0.534134116 -0.561690758  0.4117490693\n"
      "vs           -0.102380147  0.338026038  -0.561690758  4.428956471  0.9077706764\n"
      "am           -0.526044578  0.367557002   0.411749069  0.907770676  4.2298114991\n"
      "gear         -0.182954006  0.513001888   0.088349774 -0.136900866 -0.9635623832\n"
      "carb         -0.279700251 -1.091239681   0.162717079  0.161673763  0.1057410631\n"
      "                     gear         carb\n"
      "(Intercept) -11.357908146  1.816658277\n"
      "cyl           0.550163881 -0.197598561\n"
      "disp         -0.002094405  0.009982315\n"
      "hp           -0.002907768 -0.009500457\n"
      "drat         -0.182954006 -0.279700251\n"
      "wt            0.513001888 -1.091239681\n"
      "qsec          0.088349774  0.162717079\n"
      "vs           -0.136900866  0.161673763\n"
      "am           -0.963562383  0.105741063\n"
      "gear          2.229825311 -0.525153782\n"
      "carb         -0.525153782  0.686830702\n" ,
      "                   2.5 %      97.5 %\n"
      "(Intercept) -26.62259745 51.22934576\n"
      "cyl          -2.28468553  2.06180457\n"
      "disp         -0.02380146  0.05047194\n"
      "hp           -0.06675236  0.02378812\n"
      "drat         -2.61383350  4.18805545\n"
      "wt           -7.65495413  0.22434628\n"
      "qsec         -0.69883421  2.34091571\n"
      "vs           -4.05880242  4.69432805\n"
      "am           -1.75681208  6.79726585\n"
      "gear         -2.44999107  3.76081711\n"
      "carb         -1.92290442  1.52406591\n" ,
      "                     5 %        95 %\n"
      "(Intercept) -19.90529263 44.51204094\n"
      "cyl          -1.90965701  1.68677606\n"
      "disp         -0.01739293  0.04406341\n"
      "hp           -0.05894025  0.01597601\n"
      "drat         -2.02694563  3.60116757\n"
      "wt           -6.97510389 -0.45550397\n"
      "qsec         -0.43655525  2.07863675\n"
      "vs           -3.30355543  3.93908106\n"
      "am           -1.01873996  6.05919373\n"
      "gear         -1.91410346  3.22492950\n"
      "carb         -1.62548923  1.22665072\n" },
  {"airqualityNA",
   {"lm(formula = Ozone ~ Solar.R + Wind + Temp, data = airquality)",
    {"(Intercept)", "Solar.R", "Wind", "Temp"},
    {-64.342078928591604, 0.059820589968498511, -3.3335913055127464, 1.6520929109927132},
    {1.1847784925296692, 1.1983575370422971e-06, 0.00095458213372032706, 0.00014327661009486042},
    48002.790425002386, 121801.9099099099, 111, true, 42},
   {23.054724347470927, 0.023186465941345845, 0.65440710205418584, 0.25352979303236028},
   {-2.790841389333282, 2.5799787738168027, -5.0940634584322106, 6.5163659514439853},
   {0.0062266380881981472, 0.011236635497233371, 1.5159344078320095e-06, 2.4235060750185239e-09},
   true, 21.180750921047665, 0.60589460000662243, 0.5948449158946586, 54.833658036486341, 1.5089939209665931e-21,
   {531.52031473786872, 0.02678035266400567, -10.452022537488961, -5.508715649671009, 0.02678035266400567, 0.00053761220284919071, -0.00034826720751158932, -0.0015768865144994264, -10.452022537488961, -0.00034826720751158932, 0.42824865521895755, 0.08046690973779777, -5.508715649671009, -0.0015768865144994264, 0.08046690973779777, 0.064277355955031451},
   {-110.04538107900257, -18.638776778180635, 0.013856125473229473, 0.10578505446376754, -4.6308770619498301, -2.0363055490756623, 1.1494996654412775, 2.1546861565441491},
      "\n"
      "Call:\n"
      "lm(formula = Ozone ~ Solar.R + Wind + Temp, data = airquality)\n"
      "\n"
      "Coefficients:\n"
      "             Estimate Std. Error t value Pr(>|t|)    \n"
      "(Intercept) -64.34208   23.05472  -2.791  0.00623 ** \n"
      "Solar.R       0.05982    0.02319   2.580  0.01124 *  \n"
      "Wind         -3.33359    0.65441  -5.094 1.52e-06 ***\n"
      "Temp          1.65209    0.25353   6.516 2.42e-09 ***\n"
      "---\n"
      "Signif. codes:  0 \xE2\x80\x98***\xE2\x80\x99 0.001 \xE2\x80\x98**\xE2\x80\x99 0.01 \xE2\x80\x98*\xE2\x80\x99 0.05 \xE2\x80\x98.\xE2\x80\x99 0.1 \xE2\x80\x98 \xE2\x80\x99 1\n"
      "\n"
      "Residual standard error: 21.18 on 107 degrees of freedom\n"
      "  (42 observations deleted due to missingness)\n"
      "Multiple R-squared:  0.6059,\tAdjusted R-squared:  0.5948 \n"
      "F-statistic: 54.83 on 3 and 107 DF,  p-value: < 2.2e-16\n"
      "\n" ,
      " (Intercept)      Solar.R         Wind         Temp \n"
      "-64.34207893   0.05982059  -3.33359131   1.65209291 \n" ,
      "             (Intercept)       Solar.R          Wind         Temp\n"
      "(Intercept) 531.52031474  0.0267803527 -1.045202e+01 -5.508715650\n"
      "Solar.R       0.02678035  0.0005376122 -3.482672e-04 -0.001576887\n"
      "Wind        -10.45202254 -0.0003482672  4.282487e-01  0.080466910\n"
      "Temp         -5.50871565 -0.0015768865  8.046691e-02  0.064277356\n" ,
      "                    2.5 %      97.5 %\n"
      "(Intercept) -110.04538108 -18.6387768\n"
      "Solar.R        0.01385613   0.1057851\n"
      "Wind          -4.63087706  -2.0363055\n"
      "Temp           1.14949967   2.1546862\n" ,
      "                      5 %         95 %\n"
      "(Intercept) -102.59492280 -26.08923506\n"
      "Solar.R        0.02134916   0.09829202\n"
      "Wind          -4.41939621  -2.24778640\n"
      "Temp           1.23143138   2.07275444\n" },
  {"scientific",
   {"lm(formula = mpg ~ I(disp * 1e+06) + wt, data = mtcars)",
    {"(Intercept)", "I(disp * 1e+06)", "wt"},
    {34.960554036237262, -1.7724744272828097e-08, -3.3508253333483129},
    {0.55079588292061288, 9.9295881235767768e-18, 0.15931665587634772},
    246.6825023898152, 1126.0471874999998, 32, true, 0},
   {2.1645395043022386, 9.1904291409016802e-09, 1.1641280789819879},
   {16.151497335460807, -1.928608991058399, -2.8783992018116753},
   {4.9107460757180485e-16, 0.063619807033920978, 0.0074307251619267307},
   true, 2.9165550202003212, 0.78093058165929208, 0.7658223459116571, 51.68906513664475, 2.744324415924948e-10,
   {4.6852312656849815, 1.107731818781413e-08, -2.1680594376846902, 1.107731818781413e-08, 8.4463987793934792e-17, -9.5003521086666811e-09, -2.1680594376846902, -9.5003521086666811e-09, 1.3551941842742934},
   {30.533573680471093, 39.387534392003431, -3.6521282375720407e-08, 1.0717938300642152e-09, -5.7317345877212755, -0.96991607897535026},
      "\n"
      "Call:\n"
      "lm(formula = mpg ~ I(disp * 1e+06) + wt, data = mtcars)\n"
      "\n"
      "Coefficients:\n"
      "                  Estimate Std. Error t value Pr(>|t|)    \n"
      "(Intercept)      3.496e+01  2.165e+00  16.151 4.91e-16 ***\n"
      "I(disp * 1e+06) -1.773e-08  9.190e-09  -1.929  0.06362 .  \n"
      "wt              -3.351e+00  1.164e+00  -2.878  0.00743 ** \n"
      "---\n"
      "Signif. codes:  0 \xE2\x80\x98***\xE2\x80\x99 0.001 \xE2\x80\x98**\xE2\x80\x99 0.01 \xE2\x80\x98*\xE2\x80\x99 0.05 \xE2\x80\x98.\xE2\x80\x99 0.1 \xE2\x80\x98 \xE2\x80\x99 1\n"
      "\n"
      "Residual standard error: 2.917 on 29 degrees of freedom\n"
      "Multiple R-squared:  0.7809,\tAdjusted R-squared:  0.7658 \n"
      "F-statistic: 51.69 on 2 and 29 DF,  p-value: 2.744e-10\n"
      "\n" ,
      "    (Intercept) I(disp * 1e+06)              wt \n"
      "   3.496055e+01   -1.772474e-08   -3.350825e+00 \n" ,
      "                  (Intercept) I(disp * 1e+06)            wt\n"
      "(Intercept)      4.685231e+00    1.107732e-08 -2.168059e+00\n"
      "I(disp * 1e+06)  1.107732e-08    8.446399e-17 -9.500352e-09\n"
      "wt              -2.168059e+00   -9.500352e-09  1.355194e+00\n" ,
      "                        2.5 %        97.5 %\n"
      "(Intercept)      3.053357e+01  3.938753e+01\n"
      "I(disp * 1e+06) -3.652128e-08  1.071794e-09\n"
      "wt              -5.731735e+00 -9.699161e-01\n" ,
      "                          5 %          95 %\n"
      "(Intercept)      3.128273e+01  3.863838e+01\n"
      "I(disp * 1e+06) -3.334045e-08 -2.109038e-09\n"
      "wt              -5.328827e+00 -1.372824e+00\n" },
  {"noStars",
   {"lm(formula = y ~ x + z, data = noise)",
    {"(Intercept)", "x", "z"},
    {0.22623350640985121, 0.02806391451283204, 0.060282477799155854},
    {0.045990345488408899, 0.033001919816942872, 0.037573781462083664},
    31.637201442835536, 31.781095594235754, 25, true, 0},
   {0.25717042674622625, 0.21784986335974679, 0.23245031659621965},
   {0.87970265194254493, 0.1288222727341749, 0.25933489221212885},
   {0.38852879942370999, 0.89866873020037763, 0.79778814098587569},
   true, 1.1991891473149592, 0.0045276649124177592, -0.085969820095544103, 0.050030836901372597, 0.9513079953537158,
   {0.066136628392836128, -0.017723784030851088, 0.0137720826641445, -0.017723784030851088, 0.047458562965860346, -0.0095753419871881466, 0.0137720826641445, -0.0095753419871881466, 0.054033149685682742},
   {-0.30710531548053255, 0.75957232830023491, -0.42372904995551891, 0.47985687898118295, -0.42178997341550828, 0.54235492901381999},
      "\n"
      "Call:\n"
      "lm(formula = y ~ x + z, data = noise)\n"
      "\n"
      "Coefficients:\n"
      "            Estimate Std. Error t value Pr(>|t|)\n"
      "(Intercept)  0.22623    0.25717   0.880    0.389\n"
      "x            0.02806    0.21785   0.129    0.899\n"
      "z            0.06028    0.23245   0.259    0.798\n"
      "\n"
      "Residual standard error: 1.199 on 22 degrees of freedom\n"
      "Multiple R-squared:  0.004528,\tAdjusted R-squared:  -0.08597 \n"
      "F-statistic: 0.05003 on 2 and 22 DF,  p-value: 0.9513\n"
      "\n" ,
      "(Intercept)           x           z \n"
      " 0.22623351  0.02806391  0.06028248 \n" ,
      "            (Intercept)            x            z\n"
      "(Intercept)  0.06613663 -0.017723784  0.013772083\n"
      "x           -0.01772378  0.047458563 -0.009575342\n"
      "z            0.01377208 -0.009575342  0.054033150\n" ,
      "                 2.5 %    97.5 %\n"
      "(Intercept) -0.3071053 0.7595723\n"
      "x           -0.4237290 0.4798569\n"
      "z           -0.4217900 0.5423549\n" ,
      "                   5 %      95 %\n"
      "(Intercept) -0.2153652 0.6678323\n"
      "x           -0.3460158 0.4021436\n"
      "z           -0.3388683 0.4594332\n" },
  {"interceptOnly",
   {"lm(formula = mpg ~ 1, data = mtcars)",
    {"(Intercept)"},
    {20.090624999999996},
    {0.031249999999999993},
    1126.0471874999998, 1126.0471874999998, 32, true, 0},
   {1.0654239593728145},
   {18.856929979148195},
   {1.5261508267114787e-18},
   false, 6.0269480520891037, 0, 0, NaN, NaN,
   {1.1351282132056448},
   {17.917678508746238, 22.263571491253753},
      "\n"
      "Call:\n"
      "lm(formula = mpg ~ 1, data = mtcars)\n"
      "\n"
      "Coefficients:\n"
      "            Estimate Std. Error t value Pr(>|t|)    \n"
      "(Intercept)   20.091      1.065   18.86   <2e-16 ***\n"
      "---\n"
      "Signif. codes:  0 \xE2\x80\x98***\xE2\x80\x99 0.001 \xE2\x80\x98**\xE2\x80\x99 0.01 \xE2\x80\x98*\xE2\x80\x99 0.05 \xE2\x80\x98.\xE2\x80\x99 0.1 \xE2\x80\x98 \xE2\x80\x99 1\n"
      "\n"
      "Residual standard error: 6.027 on 31 degrees of freedom\n"
      "\n" ,
      "(Intercept) \n"
      "   20.09062 \n" ,
      "            (Intercept)\n"
      "(Intercept)    1.135128\n" ,
      "               2.5 %   97.5 %\n"
      "(Intercept) 17.91768 22.26357\n" ,
      "                 5 %     95 %\n"
      "(Intercept) 18.28418 21.89707\n" },
  {"millionDf",
   {"lm(formula = y ~ x1 + x2, data = big)",
    {"(Intercept)", "x1", "x2"},
    {0.99983885066298384, 0.0021543912360990564, -0.00046234888748357872},
    {9.9999704282228288e-07, 9.9962943318262821e-07, 9.9867813078878687e-07},
    1001239.9888969093, 1001244.847771091, 1000003, true, 0},
   {0.0010006183228645799, 0.0010004343869443905, 0.00099995823941930232},
   {999.22100946606236, 2.1534558030129056, -0.46236819624795017},
   {0, 0.031283112302245349, 0.64381740294873824},
   true, 1.0006198023709652, 4.8528331432355607e-06, 2.8528428488439062e-06, 2.426428346669681, 0.088352352003920831,
   {1.0012370280523247e-06, -4.5192065967735631e-11, 2.0200700298258794e-10, -4.5192065967735631e-11, 1.0008689625807985e-06, 8.5247024630225082e-10, 2.0200700298258794e-10, 8.5247024630225082e-10, 9.9991648058255116e-07},
   {0.99787767241415748, 1.0018000289118101, 0.00019357349548810524, 0.0041152089767100076, -0.0024222333949644776, 0.0014975356199973199},
      "\n"
      "Call:\n"
      "lm(formula = y ~ x1 + x2, data = big)\n"
      "\n"
      "Coefficients:\n"
      "              Estimate Std. Error t value Pr(>|t|)    \n"
      "(Intercept)  0.9998389  0.0010006 999.221   <2e-16 ***\n"
      "x1           0.0021544  0.0010004   2.153   0.0313 *  \n"
      "x2          -0.0004623  0.0010000  -0.462   0.6438    \n"
      "---\n"
      "Signif. codes:  0 \xE2\x80\x98***\xE2\x80\x99 0.001 \xE2\x80\x98**\xE2\x80\x99 0.01 \xE2\x80\x98*\xE2\x80\x99 0.05 \xE2\x80\x98.\xE2\x80\x99 0.1 \xE2\x80\x98 \xE2\x80\x99 1\n"
      "\n"
      "Residual standard error: 1.001 on 1000000 degrees of freedom\n"
      "Multiple R-squared:  4.853e-06,\tAdjusted R-squared:  2.853e-06 \n"
      "F-statistic: 2.426 on 2 and 1e+06 DF,  p-value: 0.08835\n"
      "\n" ,
      "  (Intercept)            x1            x2 \n"
      " 0.9998388507  0.0021543912 -0.0004623489 \n" ,
      "              (Intercept)            x1           x2\n"
      "(Intercept)  1.001237e-06 -4.519207e-11 2.020070e-10\n"
      "x1          -4.519207e-11  1.000869e-06 8.524702e-10\n"
      "x2           2.020070e-10  8.524702e-10 9.999165e-07\n" ,
      "                    2.5 %      97.5 %\n"
      "(Intercept)  0.9978776724 1.001800029\n"
      "x1           0.0001935735 0.004115209\n"
      "x2          -0.0024222334 0.001497536\n" ,
      "                      5 %        95 %\n"
      "(Intercept)  0.9981929785 1.001484723\n"
      "x1           0.0005088216 0.003799961\n"
      "x2          -0.0021071353 0.001182438\n" },
  {"saturated",
   {"lm(formula = mpg ~ wt + hp, data = mtcars[1:3, ])",
    {"(Intercept)", "wt", "hp"},
    {32.647058823529377, -5.3692115265339608e-14, -0.10588235294117475},
    {56.842908436866715, 30.757400999615577, 0.024640509572442848},
    0, 2.1600000000000019, 3, true, 0},
   {NaN, NaN, NaN},
   {NaN, NaN, NaN},
   {NaN, NaN, NaN},
   true, NaN, 1, NaN, NaN, NaN,
   {NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN},
   {NaN, NaN, NaN, NaN, NaN, NaN},
      "\n"
      "Call:\n"
      "lm(formula = mpg ~ wt + hp, data = mtcars[1:3, ])\n"
      "\n"
      "Coefficients:\n"
      "              Estimate Std. Error t value Pr(>|t|)\n"
      "(Intercept)  3.265e+01        NaN     NaN      NaN\n"
      "wt          -5.369e-14        NaN     NaN      NaN\n"
      "hp          -1.059e-01        NaN     NaN      NaN\n"
      "\n"
      "Residual standard error: NaN on 0 degrees of freedom\n"
      "Multiple R-squared:      1,\tAdjusted R-squared:    NaN \n"
      "F-statistic:   NaN on 2 and 0 DF,  p-value: NA\n"
      "\n" ,
      "  (Intercept)            wt            hp \n"
      " 3.264706e+01 -5.369212e-14 -1.058824e-01 \n" ,
      "            (Intercept)  wt  hp\n"
      "(Intercept)         NaN NaN NaN\n"
      "wt                  NaN NaN NaN\n"
      "hp                  NaN NaN NaN\n" ,
      "            2.5 % 97.5 %\n"
      "(Intercept)   NaN    NaN\n"
      "wt            NaN    NaN\n"
      "hp            NaN    NaN\n" ,
      "            5 % 95 %\n"
      "(Intercept) NaN  NaN\n"
      "wt          NaN  NaN\n"
      "hp          NaN  NaN\n" },
};

const FormatCase FormatCases[] = {
  {4, {17.440190000000001, -0.017649999999999999, 9.3188700000000004}, {"17.44019", "-0.01765", " 9.31887"}},
  {7, {1.0000000000000001e-05, 1e-100}, {" 1e-05", "1e-100"}},
  {7, {123456.7, 0.10000000000000001}, {"123456.7", "     0.1"}},
  {7, {1234567.8}, {"1234568"}},
  {7, {1000000}, {"1e+06"}},
  {3, {9.9995999999999992, 1}, {"10", " 1"}},
  {5, {99999.5}, {"1e+05"}},
  {1, {0.14999999999999999, 0.25, 2.5}, {"0.1", "0.2", "2.5"}},
  {7, {-1.5, NaN, Inf, -Inf}, {"-1.5", " NaN", " Inf", "-Inf"}},
  {3, {0, -0.00012345600000000001, 1e-300}, {"  0.00e+00", " -1.23e-04", " 1.00e-300"}},
  {15, {1.5e+200, 2}, {"1.5e+200", " 2.0e+00"}},
  {17, {0.30000000000000004}, {"0.30000000000000004"}},
  {10, {0.33333333329999998, 0.66666666666666663}, {"0.3333333333", "0.6666666667"}},
  {3, {2.5, 97.5}, {" 2.5", "97.5"}},
};

const FormatCase PvalCases[] = {
  {3, {0.072149000000000005, 0.0011414000000000001, 0.22309000000000001}, {"0.07215", "0.00114", "0.22309"}},
  {3, {7.04e-16, 1.1600000000000001e-14, 1.0000000000000001e-30}, {"7.04e-16", "1.16e-14", "< 2e-16"}},
  {3, {0.031300000000000001, 0.64380000000000004, 0}, {"0.0313", "0.6438", "<2e-16"}},
  {4, {9.9999999999999995e-21}, {"< 2.2e-16"}},
  {4, {4.589394673338381e-11}, {"4.589e-11"}},
  {3, {0.00012, 0.5}, {"0.00012", "0.50000"}},
  {1, {0.00012, 0.5}, {"1e-04", "0.5"}},
  {1, {1.0000000000000001e-17, 0.01, 0.20000000000000001}, {"<2e-16", "0.01", "0.20"}},
  {3, {NaN, 0.5}, {"NA", "0.5"}},
  {3, {1, 0.99999000000000005}, {"1", "1"}},
};

const RoundCase RoundCases[] = {
  {0.14999999999999999, 0, 0, 0.20000000000000001},
  {0.14999999999999999, 1, 0.10000000000000001, 0.20000000000000001},
  {0.14999999999999999, 2, 0.14999999999999999, 0.14999999999999999},
  {0.14999999999999999, 3, 0.14999999999999999, 0.14999999999999999},
  {0.14999999999999999, 5, 0.14999999999999999, 0.14999999999999999},
  {2.6749999999999998, 0, 3, 3},
  {2.6749999999999998, 1, 2.7000000000000002, 3},
  {2.6749999999999998, 2, 2.6699999999999999, 2.7000000000000002},
  {2.6749999999999998, 3, 2.6749999999999998, 2.6800000000000002},
  {2.6749999999999998, 5, 2.6749999999999998, 2.6749999999999998},
  {1.0049999999999999, 0, 1, 1},
  {1.0049999999999999, 1, 1, 1},
  {1.0049999999999999, 2, 1, 1},
  {1.0049999999999999, 3, 1.0049999999999999, 1},
  {1.0049999999999999, 5, 1.0049999999999999, 1.0049999999999999},
  {0.125, 0, 0, 0.10000000000000001},
  {0.125, 1, 0.10000000000000001, 0.10000000000000001},
  {0.125, 2, 0.12, 0.12},
  {0.125, 3, 0.125, 0.125},
  {0.125, 5, 0.125, 0.125},
  {-2.5, 0, -2, -2},
  {-2.5, 1, -2.5, -2},
  {-2.5, 2, -2.5, -2.5},
  {-2.5, 3, -2.5, -2.5},
  {-2.5, 5, -2.5, -2.5},
  {0.28499999999999998, 0, 0, 0.29999999999999999},
  {0.28499999999999998, 1, 0.29999999999999999, 0.29999999999999999},
  {0.28499999999999998, 2, 0.28000000000000003, 0.28000000000000003},
  {0.28499999999999998, 3, 0.28499999999999998, 0.28499999999999998},
  {0.28499999999999998, 5, 0.28499999999999998, 0.28499999999999998},
  {9.9994999999999994, 0, 10, 10},
  {9.9994999999999994, 1, 10, 10},
  {9.9994999999999994, 2, 10, 10},
  {9.9994999999999994, 3, 9.9990000000000006, 10},
  {9.9994999999999994, 5, 9.9994999999999994, 9.9994999999999994},
  {123456.789, 0, 123457, 100000},
  {123456.789, 1, 123456.8, 100000},
  {123456.789, 2, 123456.78999999999, 120000},
  {123456.789, 3, 123456.789, 123000},
  {123456.789, 5, 123456.789, 123460},
  {1.2345e-10, 0, 0, 1e-10},
  {1.2345e-10, 1, 0, 1e-10},
  {1.2345e-10, 2, 0, 1.2e-10},
  {1.2345e-10, 3, 0, 1.2299999999999999e-10},
  {1.2345e-10, 5, 0, 1.2345e-10},
  {-7770000000000000, 0, -7770000000000000, -8000000000000000},
  {-7770000000000000, 1, -7770000000000000, -8000000000000000},
  {-7770000000000000, 2, -7770000000000000, -7800000000000000},
  {-7770000000000000, 3, -7770000000000000, -7770000000000000},
  {-7770000000000000, 5, -7770000000000000, -7770000000000000},
  {2.5e-300, 0, 0, 2.9999999999999983e-300},
  {2.5e-300, 1, 0, 2.9999999999999983e-300},
  {2.5e-300, 2, 0, 2.4999999999999983e-300},
  {2.5e-300, 3, 0, 2.499999999999999e-300},
  {2.5e-300, 5, 0, 2.4999999999999987e-300},
};

const FormatCCase FormatCCases[] = {
  {0.85785101906236083, 4, "0.8579"},
  {0.10000000000000001, 4, "  0.1"},
  {-0.085970000000000005, 4, "-0.08597"},
  {40.735391421562348, 4, "40.74"},
  {12345.6, 4, "1.235e+04"},
  {4.853e-06, 4, "4.853e-06"},
  {NaN, 4, "  NaN"},
};

const DeparseCase DeparseCases[] = {
  {"lm(formula = mpg ~ wt + hp, data = mtcars)", 60,
   {"lm(formula = mpg ~ wt + hp, data = mtcars)"}},
  {"lm(formula = mpg ~ cyl + disp + hp + drat + wt + qsec + vs + am + gear + carb, data = mtcars)", 60,
   {"lm(formula = mpg ~ cyl + disp + hp + drat + wt + qsec + vs + ", "    am + gear + carb, data = mtcars)"}},
  {"glm(formula = low ~ age + lwt + smoke + ptl + ht + ui, family = binomial, data = birthwt)", 60,
   {"glm(formula = low ~ age + lwt + smoke + ptl + ht + ui, family = binomial, ", "    data = birthwt)"}},
  {"lm(formula = a_really_long_response_variable_name ~ another_long_predictor_name + yet_another_predictor + x, data = some_long_data_frame_name)", 60,
   {"lm(formula = a_really_long_response_variable_name ~ another_long_predictor_name + ", "    yet_another_predictor + x, data = some_long_data_frame_name)"}},
  {"glm(formula = Species == \"virginica\" ~ Sepal.Width + Petal.Length, family = binomial, data = iris)", 60,
   {"glm(formula = Species == \"virginica\" ~ Sepal.Width + Petal.Length, ", "    family = binomial, data = iris)"}},
  {"lm(formula = log(mpg) ~ poly(wt, 2) + exp(-hp/100) + (am == 1) + I(disp * 1e+06) - 1, data = mtcars[mtcars$cyl > 4, ])", 60,
   {"lm(formula = log(mpg) ~ poly(wt, 2) + exp(-hp/100) + (am == 1) + ", "    I(disp * 1e+06) - 1, data = mtcars[mtcars$cyl > 4, ])"}},
  {"lm(formula = y ~ x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9 + x10 + x11 + x12 + x13 + x14 + x15 + x16 + x17 + x18 + x19 + x20 + x21 + x22 + x23 + x24 + x25 + x26 + x27 + x28 + x29 + x30, data = d)", 60,
   {"lm(formula = y ~ x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9 + ", "    x10 + x11 + x12 + x13 + x14 + x15 + x16 + x17 + x18 + x19 + ", "    x20 + x21 + x22 + x23 + x24 + x25 + x26 + x27 + x28 + x29 + ", "    x30, data = d)"}},
  {"lm(formula = y ~ a + b, data = subset(some_data_frame, a_long_condition_variable > 1 & another_one < 2), weights = w)", 60,
   {"lm(formula = y ~ a + b, data = subset(some_data_frame, a_long_condition_variable > ", "    1 & another_one < 2), weights = w)"}},
  {"lm(formula = y ~ x + d[(some_long_index_expression + another_index_term), ] * z, data = d)", 60,
   {"lm(formula = y ~ x + d[(some_long_index_expression + another_index_term), ", "    ] * z, data = d)"}},
  {"lm(formula=mpg~wt+hp:am*qsec^2, data=mtcars[ mtcars$am==1 ,])", 60,
   {"lm(formula = mpg ~ wt + hp:am * qsec^2, data = mtcars[mtcars$am == ", "    1, ])"}},
  {"table(mtcars$am, mtcars$vs)", 60,
   {"table(mtcars$am, mtcars$vs)"}},
  {"lm(formula = mpg ~ wt + hp + qsec + am, data = mtcars)", 20,
   {"lm(formula = mpg ~ wt + ", "    hp + qsec + am, data = mtcars)"}},
  {"glm(formula = low ~ age + lwt + smoke + ptl + ht + ui, family = binomial, data = birthwt)", 500,
   {"glm(formula = low ~ age + lwt + smoke + ptl + ht + ui, family = binomial, data = birthwt)"}},
};

const TitledCase TitledCases[] = {
  {{"4", "6", "8"},
   {"3", "4", "5"},
   {" 1", " 8", " 2", " 2", " 4", " 1", "12", " 0", " 2"},
   "cyl", "gear", true,
      "   gear\n"
      "cyl  3  4  5\n"
      "  4  1  8  2\n"
      "  6  2  4  1\n"
      "  8 12  0  2\n" },
  {{"4", "6", "8"},
   {"3", "4", "5"},
   {" 1", " 8", " 2", " 2", " 4", " 1", "12", " 0", " 2"},
   "", "", true,
      "   \n"
      "     3  4  5\n"
      "  4  1  8  2\n"
      "  6  2  4  1\n"
      "  8 12  0  2\n" },
  {{"4", "6", "8"},
   {"3", "4", "5"},
   {" 1", " 8", " 2", " 2", " 4", " 1", "12", " 0", " 2"},
   "number_of_cylinders", "gears", true,
      "                   gears\n"
      "number_of_cylinders  3  4  5\n"
      "                  4  1  8  2\n"
      "                  6  2  4  1\n"
      "                  8 12  0  2\n" },
  {{"1", "2", "3", "4", "6", "8"},
   {"10.4", "13.3", "14.3", "14.7", "15", "15.2", "15.5", "15.8", "16.4", "17.3", "17.8", "18.1", "18.7", "19.2", "19.7", "21", "21.4", "21.5", "22.8", "24.4", "26", "27.3", "30.4", "32.4", "33.9"},
   {"0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "1", "0", "0", "0", "0", "1", "1", "1", "0", "0", "1", "0", "1", "1", "0", "0", "0", "0", "0", "1", "1", "0", "0", "0", "0", "0", "1", "1", "0", "0", "1", "0", "1", "1", "1", "0", "2", "0", "0", "0", "0", "0", "0", "0", "1", "0", "0", "1", "1", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "2", "1", "1", "1", "0", "0", "0", "1", "0", "0", "1", "0", "0", "1", "0", "2", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "1", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "1", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0"},
   "carb", "mpg", true,
      "    mpg\n"
      "carb 10.4 13.3 14.3 14.7 15 15.2 15.5 15.8 16.4 17.3 17.8 18.1 18.7 19.2 19.7\n"
      "   1    0    0    0    0  0    0    0    0    0    0    0    1    0    0    0\n"
      "   2    0    0    0    0  0    1    1    0    0    0    0    0    1    1    0\n"
      "   3    0    0    0    0  0    1    0    0    1    1    0    0    0    0    0\n"
      "   4    2    1    1    1  0    0    0    1    0    0    1    0    0    1    0\n"
      "   6    0    0    0    0  0    0    0    0    0    0    0    0    0    0    1\n"
      "   8    0    0    0    0  1    0    0    0    0    0    0    0    0    0    0\n"
      "    mpg\n"
      "carb 21 21.4 21.5 22.8 24.4 26 27.3 30.4 32.4 33.9\n"
      "   1  0    1    1    1    0  0    1    0    1    1\n"
      "   2  0    1    0    1    1  1    0    2    0    0\n"
      "   3  0    0    0    0    0  0    0    0    0    0\n"
      "   4  2    0    0    0    0  0    0    0    0    0\n"
      "   6  0    0    0    0    0  0    0    0    0    0\n"
      "   8  0    0    0    0    0  0    0    0    0    0\n" },
  {{"x", "y"},
   {"A", "B"},
   {"a", "ccc", "bb", "d"},
   "r", "c", false,
      "   c\n"
      "r   A  B  \n"
      "  x a  ccc\n"
      "  y bb d  \n" },
};

const NamedStringCase NamedStringCases[] = {
  {{"a", "bb", "c"},
   {"x", "yyy", "zz"},
      "  a  bb   c \n"
      "  x yyy  zz \n" },
  {{"level1", "level2", "level3", "level4", "level5", "level6", "level7", "level8", "level9", "level10", "level11", "level12", "level13", "level14", "level15", "level16", "level17", "level18", "level19", "level20", "level21", "level22", "level23", "level24", "level25", "level26", "level27", "level28", "level29", "level30"},
   {"  7", " 14", " 21", " 28", " 35", " 42", " 49", " 56", " 63", " 70", " 77", " 84", " 91", " 98", "105", "112", "119", "126", "133", "140", "147", "154", "161", "168", "175", "182", "189", "196", "203", "210"},
      " level1  level2  level3  level4  level5  level6  level7  level8  level9 level10 \n"
      "      7      14      21      28      35      42      49      56      63      70 \n"
      "level11 level12 level13 level14 level15 level16 level17 level18 level19 level20 \n"
      "     77      84      91      98     105     112     119     126     133     140 \n"
      "level21 level22 level23 level24 level25 level26 level27 level28 level29 level30 \n"
      "    147     154     161     168     175     182     189     196     203     210 \n" },
};
// END GENERATED
// clang-format on

/// |Got - Expected| <= Rel |Expected|, NaN matching NaN.
void expectRel(double Got, double Expected, double Rel, const char *What) {
  if (std::isnan(Expected)) {
    EXPECT_TRUE(std::isnan(Got)) << What;
    return;
  }
  EXPECT_NEAR(Got, Expected, Rel * std::fabs(Expected)) << What;
}

class LmSummaryTest : public ::testing::TestWithParam<size_t> {
protected:
  const LmCase &C = LmCases[GetParam()];
};

// summary.lm's numbers from the sufficient statistics. They depend on the
// statistics only through a few roundings, so they agree with R's to far
// better than the 4 to 7 digits printed.
TEST_P(LmSummaryTest, StatisticsMatchR) {
  const LmSummary S = summarizeLm(C.Fit);
  const size_t P = C.Fit.Beta.size();
  ASSERT_EQ(S.estimate.size(), P);
  EXPECT_EQ(S.terms, C.Fit.Terms);
  EXPECT_EQ(S.df_residual, static_cast<double>(C.Fit.N - P));
  for (size_t J = 0; J < P; ++J) {
    expectRel(S.std_error[J], C.StdError[J], 1e-12, "std. error");
    expectRel(S.t_value[J], C.TValue[J], 1e-12, "t value");
    expectRel(S.p_value[J], C.PValue[J], 1e-10, "p-value");
  }
  expectRel(S.sigma, C.Sigma, 1e-13, "sigma");
  EXPECT_EQ(S.has_f, C.HasF);
  if (S.has_f) {
    // R^2 = 1 - RSS/TSS loses digits when it is small (1e-6 with 10^6 df).
    expectRel(S.r_squared, C.RSquared, 1e-9, "R^2");
    expectRel(S.adj_r_squared, C.AdjRSquared, 1e-9, "adjusted R^2");
    expectRel(S.f_statistic, C.FStatistic, 1e-9, "F");
    expectRel(S.f_p_value, C.FPValue, 1e-9, "F p-value");
  }
  const auto Ci = confintLm(S);
  ASSERT_EQ(Ci.size(), P);
  for (size_t J = 0; J < P; ++J)
    for (size_t K = 0; K < 2; ++K) {
      // The bound b + q SE is a sum: relative to |b| + |bound|.
      const double Want = C.Confint[2 * J + K];
      if (std::isnan(Want)) {
        EXPECT_TRUE(std::isnan(Ci[J][K])) << "confint " << J << " " << K;
        continue;
      }
      EXPECT_NEAR(Ci[J][K], Want,
                  1e-12 * (std::fabs(Want) + std::fabs(C.Fit.Beta[J])))
          << "confint " << J << " " << K;
    }
}

TEST_P(LmSummaryTest, SummaryPrintsAsR) {
  EXPECT_EQ(printSummaryLm(summarizeLm(C.Fit), C.Fit.Call), C.Summary);
}

TEST_P(LmSummaryTest, CoefPrintsAsR) {
  EXPECT_EQ(printCoefLm(C.Fit.Terms, C.Fit.Beta), C.Coef);
}

TEST_P(LmSummaryTest, VcovPrintsAsR) {
  EXPECT_EQ(printMatrixR(C.Fit.Terms, C.Fit.Terms, C.Vcov), C.VcovText);
}

TEST_P(LmSummaryTest, ConfintPrintsAsR) {
  const LmSummary S = summarizeLm(C.Fit);
  EXPECT_EQ(printConfintLm(S), C.ConfintText);
  EXPECT_EQ(printConfintLm(S, 0.9), C.Confint90Text);
}

INSTANTIATE_TEST_SUITE_P(R, LmSummaryTest,
                         ::testing::Range<size_t>(0, std::size(LmCases)),
                         [](const ::testing::TestParamInfo<size_t> &Info) {
                           return std::string(LmCases[Info.param].Name);
                         });

TEST(RFormat, FormatMatchesR) {
  for (const FormatCase &C : FormatCases)
    EXPECT_EQ(formatR(C.X, C.Digits), C.Expected) << "digits " << C.Digits;
}

TEST(RFormat, FormatPvalMatchesR) {
  for (const FormatCase &C : PvalCases)
    EXPECT_EQ(formatPval(C.X, C.Digits), C.Expected) << "digits " << C.Digits;
}

// round() to even on the decimal candidates (R >= 4.0), signif() with
// R's powers of ten; compared bit for bit.
TEST(RFormat, RoundAndSignifMatchR) {
  for (const RoundCase &C : RoundCases) {
    EXPECT_EQ(roundR(C.X, C.Digits), C.Round)
        << "round(" << C.X << ", " << C.Digits << ")";
    EXPECT_EQ(signifR(C.X, std::max(1, C.Digits)), C.Signif)
        << "signif(" << C.X << ", " << C.Digits << ")";
  }
}

TEST(RFormat, FormatCMatchesR) {
  for (const FormatCCase &C : FormatCCases)
    EXPECT_EQ(formatC(C.X, C.Digits), C.Expected);
}

TEST(RFormat, NumbersAsCatPrintsThem) {
  EXPECT_EQ(formatNumberR(27), "27");
  EXPECT_EQ(formatNumberR(1e6), "1e+06");
  EXPECT_EQ(formatNumberR(123456.7), "123456.7");
  EXPECT_EQ(formatNumberR(1234567.8), "1234568");
  EXPECT_EQ(formatNumberR(-0.0), "0");
}

// Matrix lines stay narrower than the width (79 of 80 columns fit, 80 do
// not), while a named vector fills all 80. From R:
//   m <- matrix(c(1.5, 2), 1, dimnames = list("r", c(strrep("x", 37),
//                                                     strrep("y", k))))
//   print(m)  # k = 39, 40
//   print(setNames(c(1.5, 2), c(strrep("x", 39), "b")))
TEST(RLayout, LinesNarrowerThanWidth) {
  const std::string X(37, 'x');
  EXPECT_EQ(printMatrixR({"r"}, {X, std::string(39, 'y')}, {1.5, 2}),
            "  " + X + " " + std::string(39, 'y') + "\n" + "r" +
                std::string(35, ' ') + "1.5" + std::string(39, ' ') + "2\n");
  EXPECT_EQ(printMatrixR({"r"}, {X, std::string(40, 'y')}, {1.5, 2}),
            "  " + X + "\n" + "r" + std::string(35, ' ') + "1.5\n" + "  " +
                std::string(40, 'y') + "\n" + "r" + std::string(40, ' ') +
                "2\n");
  EXPECT_EQ(printNamedVectorR({std::string(39, 'x'), "b"}, {1.5, 2}),
            std::string(39, 'x') + std::string(39, ' ') + "b \n" +
                std::string(36, ' ') + "1.5" + std::string(37, ' ') + "2.0 \n");
}

// print(matrix(c("a", "bb", "ccc", "d"), 2, dimnames = list(c("r1", "row2"),
// c("A", "")), quote = FALSE, right = TRUE)
TEST(RLayout, StringMatrix) {
  EXPECT_EQ(
      printStringMatrixR({"r1", "row2"}, {"A", ""}, {"a", "ccc", "bb", "d"}),
      "      A    \n"
      "r1    a ccc\n"
      "row2 bb   d\n");
}

// deparse()'s line breaking of calls and formulas, at its default
// width.cutoff = 60 and others.
TEST(RDeparse, MatchesR) {
  for (const DeparseCase &C : DeparseCases)
    EXPECT_EQ(deparseLinesR(C.Text, C.Cutoff), C.Lines) << C.Text;
}

// What is not a one-line R expression comes back as it is.
TEST(RDeparse, LeavesOtherTextAlone) {
  using Lines = std::vector<std::string>;
  EXPECT_EQ(deparseLinesR(""), Lines{""});
  EXPECT_EQ(deparseLinesR("lm(formula = y ~ , data = d)"),
            Lines{"lm(formula = y ~ , data = d)"});
  EXPECT_EQ(deparseLinesR("lm(y ~ x"), Lines{"lm(y ~ x"});
  EXPECT_EQ(deparseLinesR("function(x) x + 1"), Lines{"function(x) x + 1"});
  EXPECT_EQ(deparseLinesR("d |> lm(formula = y ~ x)"),
            Lines{"d |> lm(formula = y ~ x)"});
  EXPECT_EQ(deparseLinesR("f(\"unterminated)"), Lines{"f(\"unterminated)"});
  EXPECT_EQ(deparseLinesR("lm(formula = y ~ x,\n    data = d)"),
            (Lines{"lm(formula = y ~ x,", "    data = d)"}));
  // Deeply nested input does not exhaust the stack.
  const std::string Deep =
      std::string(100000, '(') + "x" + std::string(100000, ')');
  EXPECT_EQ(deparseLinesR(Deep), Lines{Deep});
  const std::string Nested =
      std::string(1000, '(') + "x" + std::string(1000, ')');
  EXPECT_EQ(deparseLinesR(Nested), Lines{Nested});
  std::string Long = "y ~ x";
  for (int I = 0; I < 50000; ++I)
    Long += " + x";
  EXPECT_EQ(deparseLinesR(Long), Lines{Long});
  // A long but reasonable formula is broken as R breaks it: from R,
  //   d <- deparse(str2lang(paste(c("y ~ x", rep("x", 2000)),
  //                               collapse = " + ")))
  // is 134 lines; the first is "y ~ " and 15 "x + ", the next ones four
  // spaces and 15 "x + ".
  std::string Terms = "y ~ x", Fifteen;
  for (int I = 0; I < 2000; ++I)
    Terms += " + x";
  for (int I = 0; I < 15; ++I)
    Fifteen += "x + ";
  const Lines L = deparseLinesR(Terms);
  ASSERT_EQ(L.size(), 134u);
  EXPECT_EQ(L[0], "y ~ " + Fifteen);
  EXPECT_EQ(L[1], "    " + Fifteen);
}

TEST(RLayout, TitledStringMatrixMatchesR) {
  for (const TitledCase &C : TitledCases)
    EXPECT_EQ(printTitledStringMatrixR(C.Rows, C.Cols, C.Cells, C.RowTitle,
                                       C.ColTitle, C.Right),
              C.Text);
}

TEST(RLayout, NamedStringVectorMatchesR) {
  for (const NamedStringCase &C : NamedStringCases)
    EXPECT_EQ(printNamedStringVectorR(C.Names, C.Values), C.Text);
}

} // namespace
