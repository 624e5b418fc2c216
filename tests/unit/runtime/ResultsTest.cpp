//===- ResultsTest.cpp - What a recipient prints, against R 4.2 -----------===//
//
// viewResult (Results.h) is given what a computation opens for each result
// kind -- computed here by R from its own fits and tests, printed with 17
// digits -- and must print what R prints, byte for byte:
// print(summary(glm(...))) without its "Deviance Residuals:" block (never
// opened), print(t.test(...)) in its default and formula forms (Welch,
// pooled, one sample), print(chisq.test(...)) with and without Yates'
// correction, print(table(...)) one- and two-way (logical levels, lines
// wrapped at 80 columns), and summary.lm with a call long enough for
// deparse() to break it. A suppressed cell ("<k") has no R equivalent; its
// expected text is R's print of the table's formatted counts with "<k" in
// place of the suppressed ones. The JSON fields hold R's numbers; layouts
// that are not a kind's (wrong counts, unknown kinds) are errors.
//
// The cases below were generated with R 4.2.2 (UTF-8 locale, default
// options) by this script, run from the repository root:
//
//   datasets <- "../shared/datasets"
//   mtcars <- read.csv(file.path(datasets, "mtcars.csv"))
//   iris <- read.csv(file.path(datasets, "iris.csv"))
//   birthwt <- read.csv(file.path(datasets, "birthwt.csv"))
//
//   num <- function(v) paste(sprintf("%.17g", v), collapse = ", ")
//   str <- function(v) {
//     if (!length(v)) return("")
//     paste0("\"", gsub("\"", "\\\\\"", v), "\"", collapse = ", ")
//   }
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
//     paste0("     \"", sapply(lines, esc), "\\n\"", collapse = "\n")
//   }
//   # A case: name, kind, names, meta, values, R's checks, R's text.
//   emit <- function(name, kind, names, meta, values, checks, out) {
//     ck <- paste0("{\"", names(checks), "\", {",
//                  sapply(checks, num), "}}", collapse = ", ")
//     cat(sprintf("    {\"%s\", \"%s\", {%s}, {%s},\n     {%s},\n     {%s},\n",
//                 name, kind, str(names), str(meta), num(values), ck))
//     cat(text(out), "},\n")
//   }
//
//   glm.case <- function(name, fit) {
//     s <- summary(fit)
//     cf <- coef(s)
//     icpt <- attr(terms(fit), "intercept") == 1
//     out <- capture.output(print(s))
//     # Drop "Deviance Residuals:" up to the blank line before "Coefficients:".
//     r <- grep("^Deviance Residuals:", out)
//     co <- grep("^Coefficients", out)[1]
//     out <- out[-(r:(co - 1))]
//     emit(name, "summary.glm", rownames(cf),
//          c(deparse1(fit$call),
//            if (icpt) "intercept" else "no intercept", fit$iter),
//          c(cf[, 1], diag(s$cov.unscaled), deviance(fit), fit$null.deviance,
//            nobs(fit)),
//          list(std_error = cf[, 2], z_value = cf[, 3], p_value = cf[, 4],
//               aic = fit$aic, df_residual = fit$df.residual,
//               df_null = fit$df.null),
//          out)
//   }
//
//   # summary.lm through the same path (its call deparsed over lines): b, q =
//   # (X'X)^-1[1, 1] - 1/n and the slopes' diag, rss, tss, n, rows.
//   lm.case <- function(name, fit) {
//     s <- summary(fit)
//     cf <- coef(s)
//     n <- nobs(fit)
//     y <- model.response(model.frame(fit))
//     v <- diag(s$cov.unscaled)
//     v[1] <- v[1] - 1 / n
//     out <- capture.output(print(s))
//     r <- which(out == "Residuals:")
//     co <- grep("^Coefficients", out)[1]
//     out <- out[-(r:(co - 1))]
//     emit(name, "summary.lm", rownames(cf),
//          c(deparse1(fit$call), "intercept"),
//          c(cf[, 1], v, deviance(fit), sum((y - mean(y))^2), n, n),
//          list(std_error = cf[, 2], t_value = cf[, 3], p_value = cf[, 4]),
//          out)
//   }
//
//   # Two-sample tests: mean x, mean y, se^2, df, mu; one-sample: mean, se^2,
//   # df, mu.
//   t.case <- function(name, kind, tt, meta = tt$data.name) {
//     one <- kind == "t.test.one"
//     emit(name, kind, character(0), meta,
//          c(tt$estimate, tt$stderr^2, tt$parameter, tt$null.value),
//          list(statistic = tt$statistic, df = tt$parameter,
//               p_value = tt$p.value, stderr = tt$stderr,
//               conf_int = tt$conf.int),
//          capture.output(print(tt)))
//   }
//
//   chisq.case <- function(name, ct) {
//     emit(name, "chisq.test", character(0), ct$data.name,
//          c(ct$statistic, ct$parameter, grepl("Yates", ct$method)),
//          list(statistic = ct$statistic, df = ct$parameter,
//               p_value = ct$p.value),
//          capture.output(print(ct)))
//   }
//
//   # Counts row-major; a cell below min.cell is opened as -1 and shown as
//   # "<k" in R's layout for a table of strings.
//   table.case <- function(name, tab, min.cell = 0) {
//     dn <- dimnames(tab)
//     two <- length(dn) == 2
//     counts <- if (two) as.vector(t(unclass(tab))) else as.vector(tab)
//     meta <- c("levels", sapply(dn, length))
//     out <- capture.output(print(tab))
//     if (min.cell > 0) {
//       small <- counts < min.cell
//       counts[small] <- -1
//       meta <- c(meta, "min_cell", min.cell)
//       xx <- format(unclass(tab))
//       xx[unclass(tab) < min.cell] <- paste0("<", min.cell)
//       xx[] <- format(xx, justify = "right")
//       out <- capture.output(print.default(xx, quote = FALSE, right = TRUE))
//     }
//     emit(name, "table", unlist(dn), meta, counts,
//          list(counts = ifelse(counts < 0, NaN, counts)), out)
//   }
//
//   cat("const Case Cases[] = {\n")
//   glm.case("glmMtcars", glm(am ~ wt + hp, family = binomial, data = mtcars))
//   glm.case("glmBirthwt", glm(low ~ age + lwt + smoke + ptl + ht + ui,
//                              family = binomial, data = birthwt))
//   glm.case("glmNoIntercept", glm(vs ~ 0 + mpg + wt, family = binomial,
//                                  data = mtcars))
//   glm.case("glmLongFormula",
//            glm(low ~ age + lwt + race + smoke + ptl + ht + ui + ftv,
//                family = binomial, data = birthwt))
//   lm.case("lmLongCall", lm(mpg ~ cyl + disp + hp + drat + wt + qsec + vs +
//                              am + gear + carb, data = mtcars))
//
//   auto <- mtcars[mtcars$am == 0, ]
//   manual <- mtcars[mtcars$am == 1, ]
//   t.case("welchMtcars", "t.test.welch", t.test(auto$mpg, manual$mpg))
//   t.case("pooledMtcars", "t.test.pooled",
//          t.test(auto$mpg, manual$mpg, var.equal = TRUE))
//   t.case("oneMtcars", "t.test.one", t.test(auto$mpg, mu = 17))
//   t.case("welchFormulaMtcars", "t.test.welch",
//          t.test(mpg ~ am, data = mtcars), c("mpg by am", "0", "1"))
//   t.case("pooledFormulaMtcars", "t.test.pooled",
//          t.test(mpg ~ am, data = mtcars, var.equal = TRUE),
//          c("mpg by am", "0", "1"))
//   nonsmokers <- birthwt[birthwt$smoke == 0, ]
//   smokers <- birthwt[birthwt$smoke == 1, ]
//   t.case("welchBirthwt", "t.test.welch", t.test(nonsmokers$bwt, smokers$bwt))
//   t.case("pooledBirthwt", "t.test.pooled",
//          t.test(nonsmokers$bwt, smokers$bwt, var.equal = TRUE))
//   t.case("welchFormulaBirthwt", "t.test.welch",
//          t.test(bwt ~ smoke, data = birthwt), c("bwt by smoke", "0", "1"))
//   t.case("oneBirthwt", "t.test.one", t.test(birthwt$bwt, mu = 3000))
//   t.case("oneBirthwtMu0", "t.test.one", t.test(birthwt$lwt))
//   setosa <- iris[iris$Species == "setosa", ]
//   versicolor <- iris[iris$Species == "versicolor", ]
//   t.case("welchIris", "t.test.welch",
//          t.test(setosa$Sepal.Length, versicolor$Sepal.Length))
//   t.case("pooledIris", "t.test.pooled",
//          t.test(setosa$Petal.Width, versicolor$Petal.Width,
//                 var.equal = TRUE))
//   t.case("oneIris", "t.test.one", t.test(setosa$Petal.Width, mu = 0.25))
//   t.case("oneIrisNegativeMu", "t.test.one", t.test(iris$Sepal.Width - 3,
//                                                     mu = -0.125))
//
//   chisq.case("chisqYates", chisq.test(table(mtcars$am, mtcars$vs)))
//   chisq.case("chisqNoYates",
//              chisq.test(table(mtcars$am, mtcars$vs), correct = FALSE))
//   suppressWarnings(chisq.case("chisq3x3",
//                               chisq.test(table(mtcars$cyl, mtcars$gear))))
//   chisq.case("chisqBirthwt", chisq.test(table(birthwt$race, birthwt$low)))
//   chisq.case("chisqTiny",
//              chisq.test(table(iris$Species, iris$Petal.Width > 1)))
//
//   table.case("tableGear", table(mtcars$gear))
//   table.case("tableSpecies", table(iris$Species))
//   table.case("tableLogical", table(mtcars$am == 1))
//   table.case("tableAge", table(birthwt$age))
//   table.case("tableCylGear", table(mtcars$cyl, mtcars$gear))
//   table.case("tableAmVsLogical", table(mtcars$am == 1, mtcars$vs == 1))
//   table.case("tableSpeciesWide", table(iris$Species, iris$Petal.Width > 1))
//   table.case("tableRaceLwt", table(birthwt$race, birthwt$lwt))
//   table.case("tableGearMinCell", table(mtcars$gear), 10)
//   table.case("tableCylGearMinCell", table(mtcars$cyl, mtcars$gear), 3)
//   table.case("tableRaceAgeMinCell", table(birthwt$race, birthwt$age), 100)
//   table.case("tableAmVsMinCell", table(mtcars$am == 1, mtcars$vs == 1), 7)
//   cat("};\n")
//
//===----------------------------------------------------------------------===//

#include "sstat/runtime/Results.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <limits>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

using namespace sstat::runtime;

namespace {

constexpr double NaN = std::numeric_limits<double>::quiet_NaN();

/// One result: what the computation opens, R's values of some JSON fields
/// and R's printed text.
struct Case {
  const char *Name;
  const char *Kind;
  std::vector<std::string> Names;
  std::vector<std::string> Meta;
  std::vector<double> Values;
  std::vector<std::pair<std::string, std::vector<double>>> Checks;
  const char *Text;
};

// clang-format off
// BEGIN GENERATED by the script above
const Case Cases[] = {
    {"glmMtcars", "summary.glm", {"(Intercept)", "wt", "hp"}, {"glm(formula = am ~ wt + hp, family = binomial, data = mtcars)", "intercept", "8"},
     {18.866298717204096, -8.0834751824446283, 0.036255596082216547, 55.406556595646904, 9.4167669494812518, 0.00031450020570909575, 10.059110472266989, 43.229733276857807, 32},
     {{"std_error", {7.443558060205274, 3.0686751130546961, 0.017734153650769347}}, {"z_value", {2.5345807159169, -2.6341906147236216, 2.0443939302760974}}, {"p_value", {0.011258198716613689, 0.0084338125997070225, 0.040914646459029938}}, {"aic", {16.059110472266987}}, {"df_residual", {29}}, {"df_null", {31}}},
     "\n"
     "Call:\n"
     "glm(formula = am ~ wt + hp, family = binomial, data = mtcars)\n"
     "\n"
     "Coefficients:\n"
     "            Estimate Std. Error z value Pr(>|z|)   \n"
     "(Intercept) 18.86630    7.44356   2.535  0.01126 * \n"
     "wt          -8.08348    3.06868  -2.634  0.00843 **\n"
     "hp           0.03626    0.01773   2.044  0.04091 * \n"
     "---\n"
     "Signif. codes:  0 \xE2\x80\x98***\xE2\x80\x99 0.001 \xE2\x80\x98**\xE2\x80\x99 0.01 \xE2\x80\x98*\xE2\x80\x99 0.05 \xE2\x80\x98.\xE2\x80\x99 0.1 \xE2\x80\x98 \xE2\x80\x99 1\n"
     "\n"
     "(Dispersion parameter for binomial family taken to be 1)\n"
     "\n"
     "    Null deviance: 43.230  on 31  degrees of freedom\n"
     "Residual deviance: 10.059  on 29  degrees of freedom\n"
     "AIC: 16.059\n"
     "\n"
     "Number of Fisher Scoring iterations: 8\n"
     "\n" },
    {"glmBirthwt", "summary.glm", {"(Intercept)", "age", "lwt", "smoke", "ptl", "ht", "ui"}, {"glm(formula = low ~ age + lwt + smoke + ptl + ht + ui, family = binomial, data = birthwt)", "intercept", "4"},
     {1.3818633010085275, -0.042225877407029502, -0.014318448181229753, 0.55076498555145692, 0.59315780245582106, 1.8636396847670142, 0.73675079293483603, 1.1857335468991026, 0.0011961528373549525, 4.4274991289848543e-05, 0.11809372777463469, 0.12140559506290349, 0.47111145423920736, 0.20840000577821086, 208.7710562186918, 234.67199619321852, 189},
     {{"std_error", {1.088913929977527, 0.03458544256410423, 0.0066539455430480151, 0.34364767971664628, 0.34843305678839298, 0.68637559268902282, 0.45650849474923338}}, {"z_value", {1.2690289498243872, -1.2209147628735328, -2.1518733642462018, 1.6027024713380535, 1.7023580022031375, 2.7151893287257027, 1.613881891375414}}, {"p_value", {0.20443073899636494, 0.22211829428591687, 0.031407329621973179, 0.10900035765745057, 0.088688277856654327, 0.0066237890999475109, 0.10655304724541337}}, {"aic", {222.7710562186918}}, {"df_residual", {182}}, {"df_null", {188}}},
     "\n"
     "Call:\n"
     "glm(formula = low ~ age + lwt + smoke + ptl + ht + ui, family = binomial, \n"
     "    data = birthwt)\n"
     "\n"
     "Coefficients:\n"
     "             Estimate Std. Error z value Pr(>|z|)   \n"
     "(Intercept)  1.381863   1.088914   1.269  0.20443   \n"
     "age         -0.042226   0.034585  -1.221  0.22212   \n"
     "lwt         -0.014318   0.006654  -2.152  0.03141 * \n"
     "smoke        0.550765   0.343648   1.603  0.10900   \n"
     "ptl          0.593158   0.348433   1.702  0.08869 . \n"
     "ht           1.863640   0.686376   2.715  0.00662 **\n"
     "ui           0.736751   0.456508   1.614  0.10655   \n"
     "---\n"
     "Signif. codes:  0 \xE2\x80\x98***\xE2\x80\x99 0.001 \xE2\x80\x98**\xE2\x80\x99 0.01 \xE2\x80\x98*\xE2\x80\x99 0.05 \xE2\x80\x98.\xE2\x80\x99 0.1 \xE2\x80\x98 \xE2\x80\x99 1\n"
     "\n"
     "(Dispersion parameter for binomial family taken to be 1)\n"
     "\n"
     "    Null deviance: 234.67  on 188  degrees of freedom\n"
     "Residual deviance: 208.77  on 182  degrees of freedom\n"
     "AIC: 222.77\n"
     "\n"
     "Number of Fisher Scoring iterations: 4\n"
     "\n" },
    {"glmNoIntercept", "summary.glm", {"mpg", "wt"}, {"glm(formula = vs ~ 0 + mpg + wt, family = binomial, data = mtcars)", "no intercept", "5"},
     {0.18631508244017989, -1.2541686297303547, 0.0052190015299097316, 0.20388581815822487, 27.785573779310695, 44.361419555836498, 32},
     {{"std_error", {0.072242657273315553, 0.45153717250988856}}, {"z_value", {2.5790175703988059, -2.7775534465058658}}, {"p_value", {0.0099081746878023815, 0.0054769831770347987}}, {"aic", {31.785573779310695}}, {"df_residual", {30}}, {"df_null", {32}}},
     "\n"
     "Call:\n"
     "glm(formula = vs ~ 0 + mpg + wt, family = binomial, data = mtcars)\n"
     "\n"
     "Coefficients:\n"
     "    Estimate Std. Error z value Pr(>|z|)   \n"
     "mpg  0.18632    0.07224   2.579  0.00991 **\n"
     "wt  -1.25417    0.45154  -2.778  0.00548 **\n"
     "---\n"
     "Signif. codes:  0 \xE2\x80\x98***\xE2\x80\x99 0.001 \xE2\x80\x98**\xE2\x80\x99 0.01 \xE2\x80\x98*\xE2\x80\x99 0.05 \xE2\x80\x98.\xE2\x80\x99 0.1 \xE2\x80\x98 \xE2\x80\x99 1\n"
     "\n"
     "(Dispersion parameter for binomial family taken to be 1)\n"
     "\n"
     "    Null deviance: 44.361  on 32  degrees of freedom\n"
     "Residual deviance: 27.786  on 30  degrees of freedom\n"
     "AIC: 31.786\n"
     "\n"
     "Number of Fisher Scoring iterations: 5\n"
     "\n" },
    {"glmLongFormula", "summary.glm", {"(Intercept)", "age", "lwt", "race", "smoke", "ptl", "ht", "ui", "ftv"}, {"glm(formula = low ~ age + lwt + race + smoke + ptl + ht + ui + ftv, family = binomial, data = birthwt)", "intercept", "4"},
     {-0.07897460094947073, -0.035845404230107743, -0.012386623864754354, 0.45342395550281711, 0.93727542995835944, 0.54208698481674544, 1.8307198798055322, 0.72196488755126054, 0.063460599973551649, 1.6288242593404194, 0.0013301755109948632, 4.3750861495705583e-05, 0.046351525268258816, 0.15876904834422428, 0.11983215195238581, 0.48182405805232376, 0.21453024554442343, 0.028820071837228036, 204.19282343203037, 234.67199619321852, 189},
     {{"std_error", {1.2762539948381824, 0.036471571271263638, 0.0066144434002949623, 0.21529404373613967, 0.39845833953403997, 0.34616780894876087, 0.69413547528729846, 0.46317409852497521, 0.16976475440216687}}, {"z_value", {-0.061880002937412158, -0.98283136647723046, -1.8726630670393203, 2.1060682758995646, 2.3522545193919546, 1.5659659009396341, 2.6374100517594328, 1.5587332924065287, 0.37381493112060038}}, {"p_value", {0.95065839231894245, 0.32569044150122528, 0.061114926458726244, 0.035198422044252047, 0.018660001927158311, 0.11735660025821176, 0.0083541777898400345, 0.11905951854902093, 0.7085420101118336}}, {"aic", {222.19282343203037}}, {"df_residual", {180}}, {"df_null", {188}}},
     "\n"
     "Call:\n"
     "glm(formula = low ~ age + lwt + race + smoke + ptl + ht + ui + \n"
     "    ftv, family = binomial, data = birthwt)\n"
     "\n"
     "Coefficients:\n"
     "             Estimate Std. Error z value Pr(>|z|)   \n"
     "(Intercept) -0.078975   1.276254  -0.062  0.95066   \n"
     "age         -0.035845   0.036472  -0.983  0.32569   \n"
     "lwt         -0.012387   0.006614  -1.873  0.06111 . \n"
     "race         0.453424   0.215294   2.106  0.03520 * \n"
     "smoke        0.937275   0.398458   2.352  0.01866 * \n"
     "ptl          0.542087   0.346168   1.566  0.11736   \n"
     "ht           1.830720   0.694135   2.637  0.00835 **\n"
     "ui           0.721965   0.463174   1.559  0.11906   \n"
     "ftv          0.063461   0.169765   0.374  0.70854   \n"
     "---\n"
     "Signif. codes:  0 \xE2\x80\x98***\xE2\x80\x99 0.001 \xE2\x80\x98**\xE2\x80\x99 0.01 \xE2\x80\x98*\xE2\x80\x99 0.05 \xE2\x80\x98.\xE2\x80\x99 0.1 \xE2\x80\x98 \xE2\x80\x99 1\n"
     "\n"
     "(Dispersion parameter for binomial family taken to be 1)\n"
     "\n"
     "    Null deviance: 234.67  on 188  degrees of freedom\n"
     "Residual deviance: 204.19  on 180  degrees of freedom\n"
     "AIC: 222.19\n"
     "\n"
     "Number of Fisher Scoring iterations: 4\n"
     "\n" },
    {"lmLongCall", "summary.lm", {"(Intercept)", "cyl", "disp", "hp", "drat", "wt", "qsec", "vs", "am", "gear", "carb"}, {"lm(formula = mpg ~ cyl + disp + hp + drat + wt + qsec + vs + am + gear + carb, data = mtcars)", "intercept"},
     {12.303374155996185, -0.11144047788686268, 0.013335239913341082, -0.021482118989136323, 0.7871109722361157, -3.7153039283274749, 0.82104074967462848, 0.31776281418542285, 2.5202268872084224, 0.65541301708179189, -0.19941925485626746, 49.852282187594028, 0.15548756918778456, 4.5403047871672079e-05, 6.7468933539946245e-05, 0.38078283049437872, 0.51096788058536202, 0.076049084918660359, 0.63058710685520203, 0.60223319261540542, 0.31747864331500192, 0.097789758901816626, 147.49443001665082, 1126.0471874999998, 32, 32},
     {{"std_error", {18.717884428721455, 1.0450233625100227, 0.017857500314128361, 0.021768579252703247, 1.6353730686050894, 1.8944142995327087, 0.73084479602344876, 2.1045086057077427, 2.0566505534822657, 1.4932599610727977, 0.82875249768176806}}, {"t_value", {0.6573058084020118, -0.10663922155691889, 0.74675848684099466, -0.98684065412622868, 0.48130361649375286, -1.9611887057883386, 1.1234132802777539, 0.15099145393067173, 1.2254035489603432, 0.43891421063143338, -0.24062582666609625}}, {"p_value", {0.51812439689847456, 0.91608737551596131, 0.46348865035386777, 0.33495531411697732, 0.6352778979695004, 0.063252151144556429, 0.27394126997236234, 0.88142347197698312, 0.23398971070679547, 0.66520643429302129, 0.81217871295269395}}},
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
     "\n" },
    {"welchMtcars", "t.test.welch", {}, {"auto$mpg and manual$mpg"},
     {17.147368421052633, 24.392307692307693, 3.6987064476825804, 18.332251638400461, 0},
     {{"statistic", {-3.7671231451449252}}, {"df", {18.332251638400461}}, {"p_value", {0.0013736383330710284}}, {"stderr", {1.9232021338597201}}, {"conf_int", {-11.280194355040161, -3.2096841874699598}}},
     "\n"
     "\tWelch Two Sample t-test\n"
     "\n"
     "data:  auto$mpg and manual$mpg\n"
     "t = -3.7671, df = 18.332, p-value = 0.001374\n"
     "alternative hypothesis: true difference in means is not equal to 0\n"
     "95 percent confidence interval:\n"
     " -11.280194  -3.209684\n"
     "sample estimates:\n"
     "mean of x mean of y \n"
     " 17.14737  24.39231 \n"
     "\n" },
    {"pooledMtcars", "t.test.pooled", {}, {"auto$mpg and manual$mpg"},
     {17.147368421052633, 24.392307692307693, 3.1131836942090509, 30, 0},
     {{"statistic", {-4.1061269831006904}}, {"df", {30}}, {"p_value", {0.00028502074393506728}}, {"stderr", {1.764421631642803}}, {"conf_int", {-10.848368970861245, -3.641509571648875}}},
     "\n"
     "\tTwo Sample t-test\n"
     "\n"
     "data:  auto$mpg and manual$mpg\n"
     "t = -4.1061, df = 30, p-value = 0.000285\n"
     "alternative hypothesis: true difference in means is not equal to 0\n"
     "95 percent confidence interval:\n"
     " -10.84837  -3.64151\n"
     "sample estimates:\n"
     "mean of x mean of y \n"
     " 17.14737  24.39231 \n"
     "\n" },
    {"oneMtcars", "t.test.one", {}, {"auto$mpg"},
     {17.147368421052633, 0.77364727608494921, 18, 17},
     {{"statistic", {0.16754556254241501}}, {"df", {18}}, {"p_value", {0.86880880788406256}}, {"stderr", {0.87957221197861246}}, {"conf_int", {15.299455774923203, 18.995281067182063}}},
     "\n"
     "\tOne Sample t-test\n"
     "\n"
     "data:  auto$mpg\n"
     "t = 0.16755, df = 18, p-value = 0.8688\n"
     "alternative hypothesis: true mean is not equal to 17\n"
     "95 percent confidence interval:\n"
     " 15.29946 18.99528\n"
     "sample estimates:\n"
     "mean of x \n"
     " 17.14737 \n"
     "\n" },
    {"welchFormulaMtcars", "t.test.welch", {}, {"mpg by am", "0", "1"},
     {17.147368421052633, 24.392307692307693, 3.6987064476825804, 18.332251638400461, 0},
     {{"statistic", {-3.7671231451449252}}, {"df", {18.332251638400461}}, {"p_value", {0.0013736383330710284}}, {"stderr", {1.9232021338597201}}, {"conf_int", {-11.280194355040161, -3.2096841874699598}}},
     "\n"
     "\tWelch Two Sample t-test\n"
     "\n"
     "data:  mpg by am\n"
     "t = -3.7671, df = 18.332, p-value = 0.001374\n"
     "alternative hypothesis: true difference in means between group 0 and group 1 is not equal to 0\n"
     "95 percent confidence interval:\n"
     " -11.280194  -3.209684\n"
     "sample estimates:\n"
     "mean in group 0 mean in group 1 \n"
     "       17.14737        24.39231 \n"
     "\n" },
    {"pooledFormulaMtcars", "t.test.pooled", {}, {"mpg by am", "0", "1"},
     {17.147368421052633, 24.392307692307693, 3.1131836942090509, 30, 0},
     {{"statistic", {-4.1061269831006904}}, {"df", {30}}, {"p_value", {0.00028502074393506728}}, {"stderr", {1.764421631642803}}, {"conf_int", {-10.848368970861245, -3.641509571648875}}},
     "\n"
     "\tTwo Sample t-test\n"
     "\n"
     "data:  mpg by am\n"
     "t = -4.1061, df = 30, p-value = 0.000285\n"
     "alternative hypothesis: true difference in means between group 0 and group 1 is not equal to 0\n"
     "95 percent confidence interval:\n"
     " -10.84837  -3.64151\n"
     "sample estimates:\n"
     "mean in group 0 mean in group 1 \n"
     "       17.14737        24.39231 \n"
     "\n" },
    {"welchBirthwt", "t.test.welch", {}, {"nonsmokers$bwt and smokers$bwt"},
     {3055.695652173913, 2771.9189189189187, 10805.992217040819, 170.10024146854789, 0},
     {{"statistic", {2.7298856759879087}}, {"df", {170.10024146854789}}, {"p_value", {0.0070025481730769607}}, {"stderr", {103.9518745239393}}, {"conf_int", {78.574863064073199, 488.97860344591538}}},
     "\n"
     "\tWelch Two Sample t-test\n"
     "\n"
     "data:  nonsmokers$bwt and smokers$bwt\n"
     "t = 2.7299, df = 170.1, p-value = 0.007003\n"
     "alternative hypothesis: true difference in means is not equal to 0\n"
     "95 percent confidence interval:\n"
     "  78.57486 488.97860\n"
     "sample estimates:\n"
     "mean of x mean of y \n"
     " 3055.696  2771.919 \n"
     "\n" },
    {"pooledBirthwt", "t.test.pooled", {}, {"nonsmokers$bwt and smokers$bwt"},
     {3055.695652173913, 2771.9189189189187, 11442.31772861948, 187, 0},
     {{"statistic", {2.6528933032136495}}, {"df", {187}}, {"p_value", {0.0086667263710190692}}, {"stderr", {106.96876987522798}}, {"conf_int", {72.756121316556104, 494.79734519343242}}},
     "\n"
     "\tTwo Sample t-test\n"
     "\n"
     "data:  nonsmokers$bwt and smokers$bwt\n"
     "t = 2.6529, df = 187, p-value = 0.008667\n"
     "alternative hypothesis: true difference in means is not equal to 0\n"
     "95 percent confidence interval:\n"
     "  72.75612 494.79735\n"
     "sample estimates:\n"
     "mean of x mean of y \n"
     " 3055.696  2771.919 \n"
     "\n" },
    {"welchFormulaBirthwt", "t.test.welch", {}, {"bwt by smoke", "0", "1"},
     {3055.695652173913, 2771.9189189189187, 10805.992217040819, 170.10024146854789, 0},
     {{"statistic", {2.7298856759879087}}, {"df", {170.10024146854789}}, {"p_value", {0.0070025481730769607}}, {"stderr", {103.9518745239393}}, {"conf_int", {78.574863064073199, 488.97860344591538}}},
     "\n"
     "\tWelch Two Sample t-test\n"
     "\n"
     "data:  bwt by smoke\n"
     "t = 2.7299, df = 170.1, p-value = 0.007003\n"
     "alternative hypothesis: true difference in means between group 0 and group 1 is not equal to 0\n"
     "95 percent confidence interval:\n"
     "  78.57486 488.97860\n"
     "sample estimates:\n"
     "mean in group 0 mean in group 1 \n"
     "       3055.696        2771.919 \n"
     "\n" },
    {"oneBirthwt", "t.test.one", {}, {"birthwt$bwt"},
     {2944.5873015873017, 2813.5105203625976, 188, 3000},
     {{"statistic", {-1.0446842029987398}}, {"df", {188}}, {"p_value", {0.2975103407628234}}, {"stderr", {53.042535010711902}}, {"conf_int", {2839.9522716623414, 3049.2223315122619}}},
     "\n"
     "\tOne Sample t-test\n"
     "\n"
     "data:  birthwt$bwt\n"
     "t = -1.0447, df = 188, p-value = 0.2975\n"
     "alternative hypothesis: true mean is not equal to 3000\n"
     "95 percent confidence interval:\n"
     " 2839.952 3049.222\n"
     "sample estimates:\n"
     "mean of x \n"
     " 2944.587 \n"
     "\n" },
    {"oneBirthwtMu0", "t.test.one", {}, {"birthwt$lwt"},
     {129.81481481481481, 4.9476111257041122, 188, 0},
     {{"statistic", {58.361504551751615}}, {"df", {188}}, {"p_value", {2.0969220676998463e-122}}, {"stderr", {2.2243226217669307}}, {"conf_int", {125.42697656303544, 134.20265306659419}}},
     "\n"
     "\tOne Sample t-test\n"
     "\n"
     "data:  birthwt$lwt\n"
     "t = 58.362, df = 188, p-value < 2.2e-16\n"
     "alternative hypothesis: true mean is not equal to 0\n"
     "95 percent confidence interval:\n"
     " 125.4270 134.2027\n"
     "sample estimates:\n"
     "mean of x \n"
     " 129.8148 \n"
     "\n" },
    {"welchIris", "t.test.welch", {}, {"setosa$Sepal.Length and versicolor$Sepal.Length"},
     {5.0060000000000002, 5.9359999999999999, 0.0078136326530612241, 86.538001797654971, 0},
     {{"statistic", {-10.520986267549111}}, {"df", {86.538001797654971}}, {"p_value", {3.7467426139838419e-17}}, {"stderr", {0.088394754669387621}}, {"conf_int", {-1.1057073727210804, -0.75429262727891899}}},
     "\n"
     "\tWelch Two Sample t-test\n"
     "\n"
     "data:  setosa$Sepal.Length and versicolor$Sepal.Length\n"
     "t = -10.521, df = 86.538, p-value < 2.2e-16\n"
     "alternative hypothesis: true difference in means is not equal to 0\n"
     "95 percent confidence interval:\n"
     " -1.1057074 -0.7542926\n"
     "sample estimates:\n"
     "mean of x mean of y \n"
     "    5.006     5.936 \n"
     "\n" },
    {"pooledIris", "t.test.pooled", {}, {"setosa$Petal.Width and versicolor$Petal.Width"},
     {0.246, 1.3260000000000001, 0.0010042448979591836, 98, 0},
     {{"statistic", {-34.080341543577198}}, {"df", {98}}, {"p_value", {3.8310953882480528e-56}}, {"stderr", {0.031689823255410934}}, {"conf_int", {-1.1428874228894892, -1.017112577110511}}},
     "\n"
     "\tTwo Sample t-test\n"
     "\n"
     "data:  setosa$Petal.Width and versicolor$Petal.Width\n"
     "t = -34.08, df = 98, p-value < 2.2e-16\n"
     "alternative hypothesis: true difference in means is not equal to 0\n"
     "95 percent confidence interval:\n"
     " -1.142887 -1.017113\n"
     "sample estimates:\n"
     "mean of x mean of y \n"
     "    0.246     1.326 \n"
     "\n" },
    {"oneIris", "t.test.one", {}, {"setosa$Petal.Width"},
     {0.246, 0.00022212244897959181, 49, 0.25},
     {{"statistic", {-0.26838841452470391}}, {"df", {49}}, {"p_value", {0.78952707688786883}}, {"stderr", {0.014903772977994258}}, {"conf_int", {0.21604974688362683, 0.27595025311637317}}},
     "\n"
     "\tOne Sample t-test\n"
     "\n"
     "data:  setosa$Petal.Width\n"
     "t = -0.26839, df = 49, p-value = 0.7895\n"
     "alternative hypothesis: true mean is not equal to 0.25\n"
     "95 percent confidence interval:\n"
     " 0.2160497 0.2759503\n"
     "sample estimates:\n"
     "mean of x \n"
     "    0.246 \n"
     "\n" },
    {"oneIrisNegativeMu", "t.test.one", {}, {"iris$Sepal.Width - 3"},
     {0.057333333333333326, 0.0012665294556301267, 149, -0.125},
     {{"statistic", {5.1234018918477506}}, {"df", {149}}, {"p_value", {9.1589701992030191e-07}}, {"stderr", {0.035588333139248411}}, {"conf_int", {-0.012989681921814308, 0.12765634858848091}}},
     "\n"
     "\tOne Sample t-test\n"
     "\n"
     "data:  iris$Sepal.Width - 3\n"
     "t = 5.1234, df = 149, p-value = 9.159e-07\n"
     "alternative hypothesis: true mean is not equal to -0.125\n"
     "95 percent confidence interval:\n"
     " -0.01298968  0.12765635\n"
     "sample estimates:\n"
     " mean of x \n"
     "0.05733333 \n"
     "\n" },
    {"chisqYates", "chisq.test", {}, {"table(mtcars$am, mtcars$vs)"},
     {0.34753550543024225, 1, 1},
     {{"statistic", {0.34753550543024225}}, {"df", {1}}, {"p_value", {0.55551154701314953}}},
     "\n"
     "\tPearson's Chi-squared test with Yates' continuity correction\n"
     "\n"
     "data:  table(mtcars$am, mtcars$vs)\n"
     "X-squared = 0.34754, df = 1, p-value = 0.5555\n"
     "\n" },
    {"chisqNoYates", "chisq.test", {}, {"table(mtcars$am, mtcars$vs)"},
     {0.90688259109311742, 1, 0},
     {{"statistic", {0.90688259109311742}}, {"df", {1}}, {"p_value", {0.34094291427438084}}},
     "\n"
     "\tPearson's Chi-squared test\n"
     "\n"
     "data:  table(mtcars$am, mtcars$vs)\n"
     "X-squared = 0.90688, df = 1, p-value = 0.3409\n"
     "\n" },
    {"chisq3x3", "chisq.test", {}, {"table(mtcars$cyl, mtcars$gear)"},
     {18.036363636363635, 4, 0},
     {{"statistic", {18.036363636363635}}, {"df", {4}}, {"p_value", {0.0012140660337851576}}},
     "\n"
     "\tPearson's Chi-squared test\n"
     "\n"
     "data:  table(mtcars$cyl, mtcars$gear)\n"
     "X-squared = 18.036, df = 4, p-value = 0.001214\n"
     "\n" },
    {"chisqBirthwt", "chisq.test", {}, {"table(birthwt$race, birthwt$low)"},
     {5.0048130109032583, 2, 0},
     {{"statistic", {5.0048130109032583}}, {"df", {2}}, {"p_value", {0.0818876981247951}}},
     "\n"
     "\tPearson's Chi-squared test\n"
     "\n"
     "data:  table(birthwt$race, birthwt$low)\n"
     "X-squared = 5.0048, df = 2, p-value = 0.08189\n"
     "\n" },
    {"chisqTiny", "chisq.test", {}, {"table(iris$Species, iris$Petal.Width > 1)"},
     {124.44821731748726, 2, 0},
     {{"statistic", {124.44821731748726}}, {"df", {2}}, {"p_value", {9.4713736084442567e-28}}},
     "\n"
     "\tPearson's Chi-squared test\n"
     "\n"
     "data:  table(iris$Species, iris$Petal.Width > 1)\n"
     "X-squared = 124.45, df = 2, p-value < 2.2e-16\n"
     "\n" },
    {"tableGear", "table", {"3", "4", "5"}, {"levels", "3"},
     {15, 12, 5},
     {{"counts", {15, 12, 5}}},
     "\n"
     " 3  4  5 \n"
     "15 12  5 \n" },
    {"tableSpecies", "table", {"setosa", "versicolor", "virginica"}, {"levels", "3"},
     {50, 50, 50},
     {{"counts", {50, 50, 50}}},
     "\n"
     "    setosa versicolor  virginica \n"
     "        50         50         50 \n" },
    {"tableLogical", "table", {"FALSE", "TRUE"}, {"levels", "2"},
     {19, 13},
     {{"counts", {19, 13}}},
     "\n"
     "FALSE  TRUE \n"
     "   19    13 \n" },
    {"tableAge", "table", {"14", "15", "16", "17", "18", "19", "20", "21", "22", "23", "24", "25", "26", "27", "28", "29", "30", "31", "32", "33", "34", "35", "36", "45"}, {"levels", "24"},
     {3, 3, 7, 12, 10, 16, 18, 12, 13, 13, 13, 15, 8, 3, 9, 7, 7, 5, 6, 3, 1, 2, 2, 1},
     {{"counts", {3, 3, 7, 12, 10, 16, 18, 12, 13, 13, 13, 15, 8, 3, 9, 7, 7, 5, 6, 3, 1, 2, 2, 1}}},
     "\n"
     "14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32 33 34 35 36 45 \n"
     " 3  3  7 12 10 16 18 12 13 13 13 15  8  3  9  7  7  5  6  3  1  2  2  1 \n" },
    {"tableCylGear", "table", {"4", "6", "8", "3", "4", "5"}, {"levels", "3", "3"},
     {1, 8, 2, 2, 4, 1, 12, 0, 2},
     {{"counts", {1, 8, 2, 2, 4, 1, 12, 0, 2}}},
     "   \n"
     "     3  4  5\n"
     "  4  1  8  2\n"
     "  6  2  4  1\n"
     "  8 12  0  2\n" },
    {"tableAmVsLogical", "table", {"FALSE", "TRUE", "FALSE", "TRUE"}, {"levels", "2", "2"},
     {12, 7, 6, 7},
     {{"counts", {12, 7, 6, 7}}},
     "       \n"
     "        FALSE TRUE\n"
     "  FALSE    12    7\n"
     "  TRUE      6    7\n" },
    {"tableSpeciesWide", "table", {"setosa", "versicolor", "virginica", "FALSE", "TRUE"}, {"levels", "3", "2"},
     {50, 0, 7, 43, 0, 50},
     {{"counts", {50, 0, 7, 43, 0, 50}}},
     "            \n"
     "             FALSE TRUE\n"
     "  setosa        50    0\n"
     "  versicolor     7   43\n"
     "  virginica      0   50\n" },
    {"tableRaceLwt", "table", {"1", "2", "3", "80", "85", "89", "90", "91", "92", "94", "95", "96", "97", "98", "100", "101", "102", "103", "105", "107", "108", "109", "110", "112", "113", "115", "116", "117", "118", "119", "120", "121", "122", "123", "124", "125", "127", "128", "129", "130", "131", "132", "133", "134", "135", "137", "138", "140", "141", "142", "147", "148", "150", "153", "154", "155", "158", "160", "165", "167", "168", "169", "170", "175", "182", "184", "185", "186", "187", "189", "190", "200", "202", "215", "229", "235", "241", "250"}, {"levels", "3", "75"},
     {0, 0, 0, 3, 1, 1, 0, 3, 0, 0, 0, 3, 0, 2, 0, 2, 1, 1, 1, 5, 3, 1, 2, 1, 2, 2, 0, 7, 1, 1, 2, 1, 1, 0, 0, 1, 8, 1, 1, 1, 1, 4, 1, 2, 3, 1, 1, 2, 0, 2, 0, 1, 2, 1, 1, 1, 1, 0, 1, 3, 1, 0, 1, 0, 1, 0, 1, 2, 0, 1, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 1, 1, 2, 0, 0, 0, 0, 0, 2, 2, 1, 0, 0, 1, 0, 1, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 0, 2, 0, 0, 1, 0, 0, 1, 0, 1, 0, 1, 2, 1, 0, 0, 0, 1, 3, 1, 1, 0, 2, 1, 0, 3, 4, 1, 0, 1, 5, 0, 0, 5, 0, 0, 0, 3, 8, 1, 0, 1, 1, 1, 1, 1, 0, 3, 0, 2, 1, 2, 0, 0, 0, 0, 0, 0, 0, 1, 3, 1, 1, 1, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1},
     {{"counts", {0, 0, 0, 3, 1, 1, 0, 3, 0, 0, 0, 3, 0, 2, 0, 2, 1, 1, 1, 5, 3, 1, 2, 1, 2, 2, 0, 7, 1, 1, 2, 1, 1, 0, 0, 1, 8, 1, 1, 1, 1, 4, 1, 2, 3, 1, 1, 2, 0, 2, 0, 1, 2, 1, 1, 1, 1, 0, 1, 3, 1, 0, 1, 0, 1, 0, 1, 2, 0, 1, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 1, 1, 2, 0, 0, 0, 0, 0, 2, 2, 1, 0, 0, 1, 0, 1, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 0, 2, 0, 0, 1, 0, 0, 1, 0, 1, 0, 1, 2, 1, 0, 0, 0, 1, 3, 1, 1, 0, 2, 1, 0, 3, 4, 1, 0, 1, 5, 0, 0, 5, 0, 0, 0, 3, 8, 1, 0, 1, 1, 1, 1, 1, 0, 3, 0, 2, 1, 2, 0, 0, 0, 0, 0, 0, 0, 1, 3, 1, 1, 1, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}}},
     "   \n"
     "    80 85 89 90 91 92 94 95 96 97 98 100 101 102 103 105 107 108 109 110 112\n"
     "  1  0  0  0  3  1  1  0  3  0  0  0   3   0   2   0   2   1   1   1   5   3\n"
     "  2  0  0  0  0  0  0  0  0  0  0  1   0   0   0   0   1   0   0   0   1   1\n"
     "  3  1  2  1  0  0  0  1  3  1  1  0   2   1   0   3   4   1   0   1   5   0\n"
     "   \n"
     "    113 115 116 117 118 119 120 121 122 123 124 125 127 128 129 130 131 132 133\n"
     "  1   1   2   1   2   2   0   7   1   1   2   1   1   0   0   1   8   1   1   1\n"
     "  2   2   0   0   0   0   0   2   2   1   0   0   1   0   1   0   2   0   0   0\n"
     "  3   0   5   0   0   0   3   8   1   0   1   1   1   1   1   0   3   0   2   1\n"
     "   \n"
     "    134 135 137 138 140 141 142 147 148 150 153 154 155 158 160 165 167 168 169\n"
     "  1   1   4   1   2   3   1   1   2   0   2   0   1   2   1   1   1   1   0   1\n"
     "  2   0   0   0   0   0   0   1   0   0   0   0   0   0   1   0   0   0   1   0\n"
     "  3   2   0   0   0   0   0   0   0   1   3   1   1   1   0   1   0   0   0   1\n"
     "   \n"
     "    170 175 182 184 185 186 187 189 190 200 202 215 229 235 241 250\n"
     "  1   3   1   0   1   0   1   0   1   2   0   1   1   0   1   0   0\n"
     "  2   1   0   1   0   1   0   2   0   0   1   0   0   1   0   1   0\n"
     "  3   0   0   0   0   0   0   0   0   0   0   0   0   0   0   0   1\n" },
    {"tableGearMinCell", "table", {"3", "4", "5"}, {"levels", "3", "min_cell", "10"},
     {15, 12, -1},
     {{"counts", {15, 12, NaN}}},
     "\n"
     "  3   4   5 \n"
     " 15  12 <10 \n" },
    {"tableCylGearMinCell", "table", {"4", "6", "8", "3", "4", "5"}, {"levels", "3", "3", "min_cell", "3"},
     {-1, 8, -1, -1, 4, -1, 12, -1, -1},
     {{"counts", {NaN, 8, NaN, NaN, 4, NaN, 12, NaN, NaN}}},
     "   \n"
     "     3  4  5\n"
     "  4 <3  8 <3\n"
     "  6 <3  4 <3\n"
     "  8 12 <3 <3\n" },
    {"tableRaceAgeMinCell", "table", {"1", "2", "3", "14", "15", "16", "17", "18", "19", "20", "21", "22", "23", "24", "25", "26", "27", "28", "29", "30", "31", "32", "33", "34", "35", "36", "45"}, {"levels", "3", "24", "min_cell", "100"},
     {-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1},
     {{"counts", {NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN}}},
     "   \n"
     "      14   15   16   17   18   19   20   21   22   23   24   25   26   27   28\n"
     "  1 <100 <100 <100 <100 <100 <100 <100 <100 <100 <100 <100 <100 <100 <100 <100\n"
     "  2 <100 <100 <100 <100 <100 <100 <100 <100 <100 <100 <100 <100 <100 <100 <100\n"
     "  3 <100 <100 <100 <100 <100 <100 <100 <100 <100 <100 <100 <100 <100 <100 <100\n"
     "   \n"
     "      29   30   31   32   33   34   35   36   45\n"
     "  1 <100 <100 <100 <100 <100 <100 <100 <100 <100\n"
     "  2 <100 <100 <100 <100 <100 <100 <100 <100 <100\n"
     "  3 <100 <100 <100 <100 <100 <100 <100 <100 <100\n" },
    {"tableAmVsMinCell", "table", {"FALSE", "TRUE", "FALSE", "TRUE"}, {"levels", "2", "2", "min_cell", "7"},
     {12, 7, -1, 7},
     {{"counts", {12, 7, NaN, 7}}},
     "       \n"
     "        FALSE TRUE\n"
     "  FALSE    12    7\n"
     "  TRUE     <7    7\n" },
};
// END GENERATED
// clang-format on

/// Cases hold R's values in R's terms; a model's opened diagonal is n / 2^10
/// times diag((X'X)^-1) (the solve sees its system times 2^10 / n), so
/// output() scales it as the computation opens it (lm: not q, the
/// intercept's entry).
OutputValue output(const std::string &Kind, std::vector<std::string> Names,
                   std::vector<std::string> Meta, std::vector<double> Values) {
  const size_t P = Names.size();
  const bool Lm = Kind == "summary.lm" || Kind == "confint.lm",
             Glm = Kind == "summary.glm";
  if ((Lm || Glm) && P > 0 && Values.size() >= 2 * P + 3 && Meta.size() >= 2) {
    const double N = Values[2 * P + 2];
    for (size_t J = Lm && Meta[1] == "intercept" ? 1 : 0; J < P; ++J)
      Values[P + J] *= N / 1024.0;
  }
  OutputValue V;
  V.Label = "result";
  V.Kind = Kind;
  V.Names = std::move(Names);
  V.Meta = std::move(Meta);
  V.Rank = 1;
  V.Rows = Values.size();
  V.Values = std::move(Values);
  return V;
}

/// The view of V, which must have one.
ResultView view(const OutputValue &V) {
  auto R = viewResult(V);
  if (!R) {
    ADD_FAILURE() << llvm::toString(R.takeError());
    return {};
  }
  if (!*R) {
    ADD_FAILURE() << "no view";
    return {};
  }
  return std::move(**R);
}

/// The error viewResult gives for V ("" if it gives none).
std::string error(const OutputValue &V) {
  auto R = viewResult(V);
  if (R)
    return "";
  return llvm::toString(R.takeError());
}

/// A JSON number, array of numbers or boolean as doubles (null is NaN).
std::vector<double> numbers(std::string J) {
  std::vector<double> Out;
  if (!J.empty() && J.front() == '[')
    J = J.substr(1, J.size() - 2);
  size_t From = 0;
  while (From < J.size()) {
    size_t Comma = J.find(',', From);
    if (Comma == std::string::npos)
      Comma = J.size();
    std::string Item = J.substr(From, Comma - From);
    while (!Item.empty() && Item.front() == ' ')
      Item.erase(0, 1);
    if (Item == "null")
      Out.push_back(NaN);
    else if (Item == "true" || Item == "false")
      Out.push_back(Item == "true");
    else
      Out.push_back(std::strtod(Item.c_str(), nullptr));
    From = Comma + 1;
  }
  return Out;
}

std::vector<std::string> fieldNames(const ResultView &R) {
  std::vector<std::string> Names;
  for (const auto &F : R.Fields)
    Names.push_back(F.first);
  return Names;
}

const std::string *field(const ResultView &R, const std::string &Name) {
  for (const auto &F : R.Fields)
    if (F.first == Name)
      return &F.second;
  return nullptr;
}

// Failures name the case rather than dump its bytes.
void PrintTo(const Case &C, std::ostream *OS) { *OS << C.Name; }

class RText : public ::testing::TestWithParam<Case> {};

TEST_P(RText, MatchesR) {
  const Case &C = GetParam();
  ResultView R = view(output(C.Kind, C.Names, C.Meta, C.Values));
  EXPECT_EQ(R.Text, C.Text);
  for (const auto &[Name, Expected] : C.Checks) {
    SCOPED_TRACE(Name);
    const std::string *Json = field(R, Name);
    ASSERT_NE(Json, nullptr);
    std::vector<double> Got = numbers(*Json);
    ASSERT_EQ(Got.size(), Expected.size()) << *Json;
    for (size_t I = 0; I < Got.size(); ++I) {
      if (std::isnan(Expected[I])) {
        EXPECT_TRUE(std::isnan(Got[I])) << I;
        continue;
      }
      EXPECT_NEAR(Got[I], Expected[I], 1e-9 * std::fabs(Expected[I])) << I;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(R, RText, ::testing::ValuesIn(Cases),
                         [](const ::testing::TestParamInfo<Case> &I) {
                           return std::string(I.param.Name);
                         });

const Case &named(const std::string &Name) {
  for (const Case &C : Cases)
    if (Name == C.Name)
      return C;
  ADD_FAILURE() << Name;
  return Cases[0];
}

ResultView viewOf(const std::string &Name) {
  const Case &C = named(Name);
  return view(output(C.Kind, C.Names, C.Meta, C.Values));
}

// The JSON members keep the names of ../shared/datasets/expected/*.json.
TEST(ResultFields, Names) {
  using Names = std::vector<std::string>;
  EXPECT_EQ(
      fieldNames(viewOf("glmMtcars")),
      (Names{"terms", "estimate", "std_error", "z_value", "p_value", "deviance",
             "null_deviance", "df_residual", "df_null", "aic", "n_used"}));
  const Names Two = {"statistic", "df",     "p_value", "stderr",
                     "conf_int",  "mean_x", "mean_y",  "mu"};
  EXPECT_EQ(fieldNames(viewOf("welchMtcars")), Two);
  EXPECT_EQ(fieldNames(viewOf("pooledMtcars")), Two);
  EXPECT_EQ(fieldNames(viewOf("welchFormulaMtcars")), Two);
  EXPECT_EQ(fieldNames(viewOf("oneMtcars")),
            (Names{"statistic", "df", "p_value", "stderr", "conf_int", "mean_x",
                   "mu"}));
  EXPECT_EQ(fieldNames(viewOf("chisqYates")),
            (Names{"statistic", "df", "p_value", "yates_applied"}));
  EXPECT_EQ(*field(viewOf("chisqYates"), "yates_applied"), "true");
  EXPECT_EQ(*field(viewOf("chisqNoYates"), "yates_applied"), "false");
  EXPECT_EQ(fieldNames(viewOf("tableCylGear")), (Names{"counts"}));
  const ResultView Suppressed = viewOf("tableCylGearMinCell");
  EXPECT_EQ(fieldNames(Suppressed),
            (Names{"counts", "min_cell", "suppressed"}));
  EXPECT_EQ(*field(Suppressed, "counts"),
            "[null, 8, null, null, 4, null, 12, null, null]");
  EXPECT_EQ(*field(Suppressed, "min_cell"), "3");
  EXPECT_EQ(*field(Suppressed, "suppressed"), "[0, 2, 3, 5, 7, 8]");
  // The formula form gives the same numbers as the default one.
  const ResultView Welch = viewOf("welchMtcars"),
                   Formula = viewOf("welchFormulaMtcars");
  EXPECT_EQ(Welch.Fields, Formula.Fields);
}

// The iteration count is the computation's (a fixed number of steps).
TEST(ResultText, GlmIterationsFromMeta) {
  const Case &C = named("glmMtcars");
  std::vector<std::string> Meta = C.Meta;
  Meta[2] = "25";
  const std::string T = view(output(C.Kind, C.Names, Meta, C.Values)).Text;
  const std::string Tail = "AIC: 16.059\n\n"
                           "Number of Fisher Scoring iterations: 25\n\n";
  ASSERT_GE(T.size(), Tail.size());
  EXPECT_EQ(T.substr(T.size() - Tail.size()), Tail);
}

// A plain value has no view.
TEST(ResultErrors, PlainValue) {
  auto R = viewResult(output("", {}, {}, {1, 2}));
  ASSERT_TRUE(static_cast<bool>(R)) << llvm::toString(R.takeError());
  EXPECT_FALSE(R->has_value());
}

TEST(ResultErrors, UnknownKind) {
  EXPECT_NE(error(output("anova.lm", {}, {}, {1})).find("unknown result kind"),
            std::string::npos);
  EXPECT_NE(error(output("t.test.paired", {}, {"x and y"}, {1, 2, 3, 4, 5}))
                .find("unknown result kind"),
            std::string::npos);
}

TEST(ResultErrors, WrongLayouts) {
  const Case &G = named("glmMtcars");
  std::vector<double> Short(G.Values.begin(), G.Values.end() - 1);
  EXPECT_NE(error(output(G.Kind, G.Names, G.Meta, Short)), "");
  EXPECT_NE(error(output(G.Kind, G.Names, {G.Meta[0], G.Meta[1]}, G.Values)),
            "");
  EXPECT_NE(error(output(G.Kind, {}, G.Meta, G.Values)), "");
  std::vector<double> FewRows = G.Values;
  FewRows.back() = 3; // n <= p
  EXPECT_NE(error(output(G.Kind, G.Names, G.Meta, FewRows)), "");
  std::vector<double> NaNRows = G.Values;
  NaNRows.back() = NaN;
  EXPECT_NE(error(output(G.Kind, G.Names, G.Meta, NaNRows)), "");

  const Case &L = named("lmLongCall");
  EXPECT_NE(error(output(L.Kind, L.Names, L.Meta,
                         {L.Values.begin(), L.Values.end() - 1})),
            "");
  EXPECT_NE(error(output("confint.lm", L.Names, {L.Meta[0]}, L.Values)), "");

  const Case &W = named("welchMtcars");
  EXPECT_NE(
      error(output(W.Kind, {}, W.Meta, {W.Values.begin(), W.Values.end() - 1})),
      "");
  EXPECT_NE(error(output(W.Kind, {}, {}, W.Values)), "");
  EXPECT_NE(error(output(W.Kind, {}, {"mpg by am", "0"}, W.Values)), "");
  std::vector<double> NegativeSe2 = W.Values;
  NegativeSe2[2] = -1;
  EXPECT_NE(error(output(W.Kind, {}, W.Meta, NegativeSe2)), "");
  std::vector<double> NaNMean = W.Values;
  NaNMean[0] = NaN;
  EXPECT_NE(error(output(W.Kind, {}, W.Meta, NaNMean)), "");
  const Case &O = named("oneMtcars");
  EXPECT_NE(error(output(O.Kind, {}, O.Meta, W.Values)), "");
  // The formula form is a two-sample test's.
  EXPECT_NE(error(output(O.Kind, {}, {"mpg by am", "0", "1"}, O.Values)), "");

  const Case &X = named("chisqYates");
  EXPECT_NE(error(output(X.Kind, {}, X.Meta, {X.Values[0], X.Values[1]})), "");
  EXPECT_NE(error(output(X.Kind, {}, {}, X.Values)), "");
  EXPECT_NE(error(output(X.Kind, {}, X.Meta, {NaN, 1, 0})), "");
  EXPECT_NE(error(output(X.Kind, {}, X.Meta, {1, -1, 0})), "");
}

TEST(ResultErrors, WrongTables) {
  const std::vector<std::string> Levels = {"4", "6", "8", "3", "4", "5"};
  const std::vector<double> Counts = {1, 8, 2, 2, 4, 1, 12, 0, 2};
  EXPECT_EQ(error(output("table", Levels, {"levels", "3", "3"}, Counts)), "");
  for (const std::vector<std::string> &Meta :
       std::vector<std::vector<std::string>>{
           {},
           {"levels"},
           {"counts", "3", "3"},
           {"levels", "x", "3"},
           {"levels", "3", "-3"},
           {"levels", "3", "3x"},
           {"levels", "99999999999999999999", "3"},
           {"levels", "3", "3", "4"},
           {"levels", "3", "3", "min_cell"},
           {"levels", "3", "3", "min_cell", "k"},
           {"levels", "3", "3", "max_cell", "3"},
           {"levels", "9"},
           {"levels", "0", "0"}})
    EXPECT_NE(error(output("table", Levels, Meta, Counts)), "")
        << ::testing::PrintToString(Meta);
  // Names for each level of both factors, a value for each cell.
  EXPECT_NE(error(output("table", {"4", "6", "8", "3", "4"},
                         {"levels", "3", "3"}, Counts)),
            "");
  EXPECT_NE(error(output("table", Levels, {"levels", "3", "3"},
                         {Counts.begin(), Counts.end() - 1})),
            "");
  // A negative count is a suppressed cell only under min_cell; a count
  // must be a number.
  std::vector<double> Bad = Counts;
  Bad[0] = -1;
  EXPECT_NE(error(output("table", Levels, {"levels", "3", "3"}, Bad)), "");
  EXPECT_EQ(error(output("table", Levels, {"levels", "3", "3", "min_cell", "2"},
                         Bad)),
            "");
  Bad[0] = NaN;
  EXPECT_NE(error(output("table", Levels, {"levels", "3", "3"}, Bad)), "");
  Bad[0] = 1e300;
  EXPECT_NE(error(output("table", Levels, {"levels", "3", "3"}, Bad)), "");
}

} // namespace

// vcov.lm: R's vcov(lm(mpg ~ wt + hp + qsec + am, data = mtcars)) from the
// opened q, z, scaled C^-1, rss and n; a wrong count is an error.
TEST(ResultVcov, MtcarsMatchesRAndChecksLayout) {
  // From R: vcov entries and sigma^2 = rss / 27 of the full model.
  const double Rss = 160.06646019081967, N = 32, S2 = Rss / 27;
  const double R00 = 86.8413151103161, R01 = -0.1976369298953427,
               R11 = 0.7919194857686896;
  // A 2-term model is enough to check the assembly: (Intercept), wt with
  // the (Intercept, wt) block of R's matrix as if it were the whole model.
  const double Cinv = R11 / S2, Z = -R01 / S2, Q = R00 / S2 - 1 / N;
  OutputValue V = output("vcov.lm", {"(Intercept)", "wt"},
                         {"lm(formula = mpg ~ wt, data = d)", "intercept"},
                         {Q, Z, Cinv * N / 1024, S2 * 30, N});
  auto R = viewResult(V);
  ASSERT_TRUE(static_cast<bool>(R)) << llvm::toString(R.takeError());
  ASSERT_TRUE(R->has_value());
  const std::string *M = nullptr;
  for (const auto &[Name, Value] : (*R)->Fields)
    if (Name == "matrix")
      M = &Value;
  ASSERT_NE(M, nullptr);
  // rss / (n - 2) = R's sigma^2: the block of R's matrix.
  EXPECT_NE(M->find("86.84131511031"), std::string::npos) << *M;
  EXPECT_NE(M->find("0.79191948576"), std::string::npos) << *M;
  V.Values.pop_back();
  EXPECT_FALSE(static_cast<bool>(viewResult(V)));
  consumeError(viewResult(V).takeError());
}
