#!/usr/bin/env bash
# Statistics benchmarks over TLS on loopback (issue 5): lm with 10 predictors
# on n = 10,000 / 100,000 / 1,000,000 seeded synthetic rows, and a logistic
# regression (glm binomial, 10 predictors, GLM_MAXIT iterations, default 8)
# on 10,000 rows, split between three owners, each a real 3-party rep3 run
# (sstat-run --local) in Z_2^128 with 40 fractional bits. Prints, per
# workload: the computation time
# (first input byte to last output, max over parties), the whole-process
# wall time, bytes sent per party (all, and after input sharing), rounds per
# party, and the largest relative error of the coefficients against
# ordinary least squares (glm: IRLS run to convergence) on the same data in
# double precision.
#
#   bash bench/models.sh            # the issue's sizes
#   bash bench/models.sh --small    # 1/100 of them
# Each run is repeated 3 times (REPEAT=n to change); times are the median.
set -euo pipefail
cd "$(dirname "$0")/.."
SCALE=1
[[ ${1:-} == --small ]] && SCALE=100
[[ -n ${SSTAT_BUILD:-} ]] || bash tools/build.sh >/dev/null
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
PYTHONPATH=bench python3 - "$OUT" "$SCALE" "${REPEAT:-3}" "${GLM_MAXIT:-8}" <<'PY'
import math, random, sys
from benchlib import write_owners, compile_script, run_local
out, scale, repeat, maxit = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
P = 10
cols = ["x%d" % i for i in range(1, P + 1)] + ["y"]
beta = [1.5, -2.0, 0.5, 0.25, -0.75, 1.0, 0.1, -0.3, 2.5, -1.25]


def solve(a, b):
    """a x = b by Gauss-Jordan with partial pivoting (small, dense)."""
    d = len(b)
    m = [row[:] + [b[i]] for i, row in enumerate(a)]
    for c in range(d):
        p = max(range(c, d), key=lambda k: abs(m[k][c]))
        m[c], m[p] = m[p], m[c]
        for k in range(d):
            if k != c:
                f = m[k][c] / m[c][c]
                m[k] = [u - f * v for u, v in zip(m[k], m[c])]
    return [m[i][d] / m[i][i] for i in range(d)]


def irls(rows):
    """Logistic regression by Newton's method to convergence (double)."""
    d = P + 1
    beta = [0.0] * d
    for _ in range(50):
        h = [[0.0] * d for _ in range(d)]
        g = [0.0] * d
        for r in rows:
            x = [1.0] + r[:P]
            eta = sum(b * v for b, v in zip(beta, x))
            mu = 1 / (1 + math.exp(-eta))
            w = mu * (1 - mu)
            for i in range(d):
                g[i] += x[i] * (r[P] - mu)
                for j in range(d):
                    h[i][j] += w * x[i] * x[j]
        step = solve(h, g)
        beta = [b + s for b, s in zip(beta, step)]
        if max(abs(s) for s in step) < 1e-12:
            break
    return beta


def ols(rows):
    """Least squares with an intercept by the normal equations in double."""
    d = P + 1
    a = [[0.0] * d for _ in range(d)]
    b = [0.0] * d
    for r in rows:
        x = [1.0] + r[:P]
        for i in range(d):
            xi = x[i]
            ai = a[i]
            for j in range(d):
                ai[j] += xi * x[j]
            b[i] += xi * r[P]
    return solve(a, b)


print("%-26s %8s %9s %8s %12s %11s %7s  %s" % (
    "workload", "n", "compute s", "wall s", "bytes/party", "program B",
    "rounds", "max rel. error of coefficients vs OLS"))
for n in (10_000 // scale, 100_000 // scale, 1_000_000 // scale):
    rng = random.Random(20261125 + n)
    rows = []
    for _ in range(n):
        x = [rng.uniform(-50, 50) for _ in range(P)]
        y = 3.0 + sum(b * v for b, v in zip(beta, x)) + rng.gauss(0, 10)
        rows.append([float("%.6g" % v) for v in x + [y]])
    files = write_owners(out, cols, lambda i: rows[i], n)
    src = ('d <- input_table(parties = c("o1", "o2", "o3"), columns = list(%s, y = num(-1000, 1000)))\n'
           'fit <- lm(y ~ %s, data = d)\n'
           'publish(summary(fit), to = "o1")\n' % (
               ", ".join("x%d = num(-50, 50)" % i for i in range(1, P + 1)),
               " + ".join("x%d" % i for i in range(1, P + 1))))
    _, sbc = compile_script(out, src, "128", "40")
    comp, wall, st, res = run_local(out, sbc, files, repeat)
    got = res["recipients"]["o1"]["outputs"][0]["values"][:P + 1]
    want = ols(rows) if n <= 100_000 else None
    err = max(abs(g - w) / abs(w) for g, w in zip(got, want)) if want else float("nan")
    print("%-26s %8d %9.3f %8.3f %12d %11d %7d  %s" % (
        "lm, 10 predictors", n, comp, wall,
        max(s["total_bytes_sent"] for s in st),
        max(s["program_bytes_sent"] for s in st),
        max(s["rounds"] for s in st),
        "%.1e" % err if want else "(not computed for n > 10^5)"))

n = 10_000 // scale
rng = random.Random(20261126)
gbeta = [0.4, -0.3, 0.2, 0.1, -0.25, 0.15, -0.05, 0.3, -0.2, 0.1]
rows = []
for _ in range(n):
    x = [rng.uniform(-3, 3) for _ in range(P)]
    eta = -0.5 + sum(b * v for b, v in zip(gbeta, x))
    y = 1.0 if rng.random() < 1 / (1 + math.exp(-eta)) else 0.0
    rows.append([float("%.6g" % v) for v in x] + [y])
files = write_owners(out, cols, lambda i: rows[i], n)
src = ('d <- input_table(parties = c("o1", "o2", "o3"), columns = list(%s, y = num(0, 1)))\n'
       'fit <- glm(y ~ %s, family = binomial, data = d, maxit = %d)\n'
       'publish(summary(fit), to = "o1")\n' % (
           ", ".join("x%d = num(-3, 3)" % i for i in range(1, P + 1)),
           " + ".join("x%d" % i for i in range(1, P + 1)), maxit))
_, sbc = compile_script(out, src, "128", "40")
comp, wall, st, res = run_local(out, sbc, files, repeat)
got = res["recipients"]["o1"]["outputs"][0]["values"][:P + 1]
want = irls(rows)
err = max(abs(g - w) / abs(w) for g, w in zip(got, want))
print("%-26s %8d %9.3f %8.3f %12d %11d %7d  %s" % (
    "glm binomial, %d iter." % maxit, n, comp, wall,
    max(s["total_bytes_sent"] for s in st),
    max(s["program_bytes_sent"] for s in st),
    max(s["rounds"] for s in st), "%.1e" % err))
PY
