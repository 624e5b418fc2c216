# R's glm() stops when the deviance changes by less than epsilon = 1e-8
# (relative) and reports standard errors from the weights of its
# second-to-last iterate, so its printed standard errors (and z and p
# values) are those of a point slightly before the maximum likelihood
# estimate. sstat runs a fixed number of Newton steps and reports them at
# the estimate itself. This script records R's own values at full
# convergence (epsilon = 1e-15) for every glm block of
# ../shared/datasets/expected/, which r_models.py compares against when R's
# default output differs by more than its tolerance.
#   Rscript tests/e2e/glm_converged.R > tests/e2e/glm_converged.json
fits <- list()
m <- read.csv("../shared/datasets/mtcars.csv")
fits$mtcars.glm_am <- glm(am ~ wt + hp, family = binomial, data = m,
                          control = glm.control(epsilon = 1e-15, maxit = 100))
b <- read.csv("../shared/datasets/birthwt.csv")
b$race_black <- as.numeric(b$race == 2)
b$race_other <- as.numeric(b$race == 3)
fits$birthwt.glm_low <- glm(low ~ age + lwt + smoke + ptl + ht + ui,
                            family = binomial, data = b,
                            control = glm.control(epsilon = 1e-15, maxit = 100))
fits$birthwt.glm_low_race <- glm(low ~ age + lwt + race_black + race_other + smoke + ptl + ht + ui,
                                 family = binomial, data = b,
                                 control = glm.control(epsilon = 1e-15, maxit = 100))
num <- function(x) paste0("[", paste(sprintf("%.17g", x), collapse = ", "), "]")
out <- character()
for (k in names(fits)) {
  s <- summary(fits[[k]])$coefficients
  out <- c(out, sprintf('  "%s": {"std_error": %s, "z_value": %s, "p_value": %s}',
                        k, num(s[, 2]), num(s[, 3]), num(s[, 4])))
}
cat("{\n", paste(out, collapse = ",\n"), "\n}\n", sep = "")
