#!/usr/bin/env python3
"""Vertically partitioned data: merge() of two owners' columns, checked.

usage: r_vertical.py SSTATC SSTAT_RUN DATASETS_DIR WORKDIR [--local]

R's mtcars split by columns: one owner holds (id, mpg, wt), the other
(id, hp, qsec, am), linked by the car name. Two cases:
  same keys     both hold all 32 cars (the second in another row order):
                merge() is the whole data set, so mean, sd, cor and
                lm(mpg ~ wt + hp + qsec + am) must equal R's values in
                expected/mtcars.json;
  other keys    each drops different cars (24 in common): the statistics
                must equal those of the inner join, computed here in double
                precision (means, sd, cor; least squares by the normal
                equations with its standard errors).
The script runs in the cleartext executor and, with --local, as three party
processes over TLS (the two owners and a third server). Tolerance 1e-6
relative, Z_2^128 with 40 fractional bits.
"""
import csv
import json
import math
import os
import random
import subprocess
import sys

SCRIPT = '''left <- input_table(parties = "owner_a", key = "id",
                    columns = list(mpg = num(5, 40), wt = num(1, 6)))
right <- input_table(parties = "owner_b", key = "id",
                     columns = list(hp = num(40, 400), qsec = num(10, 25), am = num(0, 1)))
both <- merge(left, right, by = "id")
publish(c(n = nrow(both), mean_mpg = mean(both$mpg), mean_hp = mean(both$hp),
          sd_wt = sd(both$wt), cor_mpg_hp = cor(both$mpg, both$hp)), to = "analyst")
fit <- lm(mpg ~ wt + hp + qsec + am, data = both)
publish(summary(fit), to = "analyst")
'''


def ols(rows):
    """Coefficients and standard errors of y ~ 1 + x (Gauss-Jordan)."""
    n, p = len(rows), len(rows[0][0]) + 1
    a = [[0.0] * (2 * p) for _ in range(p)]
    xty = [0.0] * p
    for x, y in rows:
        z = [1.0] + x
        for i in range(p):
            for j in range(p):
                a[i][j] += z[i] * z[j]
            xty[i] += z[i] * y
    for i in range(p):
        a[i][p + i] = 1.0
    for c in range(p):
        piv = max(range(c, p), key=lambda k: abs(a[k][c]))
        a[c], a[piv] = a[piv], a[c]
        f = a[c][c]
        a[c] = [v / f for v in a[c]]
        for k in range(p):
            if k != c:
                g = a[k][c]
                a[k] = [u - g * v for u, v in zip(a[k], a[c])]
    inv = [row[p:] for row in a]
    beta = [sum(inv[i][j] * xty[j] for j in range(p)) for i in range(p)]
    rss = sum((y - beta[0] - sum(b * v for b, v in zip(beta[1:], x))) ** 2 for x, y in rows)
    s2 = rss / (n - p)
    return beta, [math.sqrt(s2 * inv[i][i]) for i in range(p)]


def main():
    args = sys.argv[1:]
    local = "--local" in args
    sstatc, sstat_run, data_dir, work = args[:4]
    os.makedirs(work, exist_ok=True)
    rows = list(csv.DictReader(open(os.path.join(data_dir, "mtcars.csv"), newline="")))
    expected = json.load(open(os.path.join(data_dir, "expected", "mtcars.json")))
    script = os.path.join(work, "vertical.sstat")
    open(script, "w").write(SCRIPT)
    sbc = os.path.join(work, "vertical.sbc")
    subprocess.run([sstatc, "compile", script, "-o", sbc], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    rng = random.Random(7)
    failures, checked = [], 0
    for case, drop_a, drop_b in (("same keys", (), ()),
                                 ("other keys", (1, 5, 9, 20), (2, 5, 11, 25, 30))):
        a = [r for i, r in enumerate(rows) if i not in drop_a]
        b = [r for i, r in enumerate(rows) if i not in drop_b]
        rng.shuffle(b)
        fa, fb = os.path.join(work, "a.csv"), os.path.join(work, "b.csv")
        with open(fa, "w") as f:
            f.write("id,mpg,wt\n" + "".join("%s,%s,%s\n" % (r["id"], r["mpg"], r["wt"]) for r in a))
        with open(fb, "w") as f:
            f.write("id,hp,qsec,am\n" + "".join(
                "%s,%s,%s,%s\n" % (r["id"], r["hp"], r["qsec"], r["am"]) for r in b))
        keys = {r["id"] for r in a} & {r["id"] for r in b}
        joined = [r for r in rows if r["id"] in keys]
        col = lambda c: [float(r[c]) for r in joined]
        n = len(joined)
        mean = lambda v: sum(v) / len(v)
        sd = lambda v: math.sqrt(sum((u - mean(v)) ** 2 for u in v) / (len(v) - 1))
        mpg, hp = col("mpg"), col("hp")
        cor = sum((u - mean(mpg)) * (v - mean(hp)) for u, v in zip(mpg, hp)) / (
            (n - 1) * sd(mpg) * sd(hp))
        want = {"n": n, "mean_mpg": mean(mpg), "mean_hp": mean(hp), "sd_wt": sd(col("wt")),
                "cor_mpg_hp": cor}
        if case == "same keys":
            m = expected["models"]["lm_mpg"]
            beta, se = m["estimate"], m["std_error"]
        else:
            beta, se = ols([([float(r[c]) for c in ("wt", "hp", "qsec", "am")], float(r["mpg"]))
                            for r in joined])
        for mode in ["--cleartext"] + (["--local"] if local else []):
            out = os.path.join(work, "out.json")
            subprocess.run([sstat_run, sbc, mode, "--json", out, "--input", "owner_a=" + fa,
                            "--input", "owner_b=" + fb], check=True, stdout=subprocess.DEVNULL)
            res = json.load(open(out))
            outs = res["outputs"] if "outputs" in res else res["recipients"]["analyst"]["outputs"]
            got = dict(zip(outs[0]["names"], outs[0]["values"]))
            pairs = [(k, got[k], w) for k, w in want.items()]
            pairs += [("estimate[%d]" % i, g, w) for i, (g, w) in enumerate(zip(outs[1]["estimate"], beta))]
            pairs += [("std_error[%d]" % i, g, w) for i, (g, w) in enumerate(zip(outs[1]["std_error"], se))]
            for k, g, w in pairs:
                checked += 1
                if abs(g - w) > 1e-6 * max(abs(w), 1e-300):
                    failures.append("%s %s %s: %.17g, want %.17g" % (case, mode, k, g, w))
    for f in failures:
        print("MISMATCH " + f)
    print("vertical mtcars: %d values compared (same keys: R; other keys: the inner join), "
          "%d mismatches" % (checked, len(failures)))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
