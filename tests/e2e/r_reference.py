#!/usr/bin/env python3
"""Checks sstat's statistics against R's, on R's own datasets.

usage: r_reference.py SSTATC SSTAT_RUN DATASETS_DIR WORKDIR DATASET [--ring K --frac F]
                      [--local] [--vertical]

For one dataset of ../shared/datasets it writes an .sstat script that
publishes sum, mean, var and sd of every numeric column (na.rm = TRUE where
the column has missing values), cov and cor of every pair of columns
without missing values, and the whole cov and cor matrices (complete cases
where values are missing); splits the CSV row-wise between three owners;
compiles the script; runs it in the cleartext executor; and compares every
published number with R's value in expected/DATASET.json.

With --vertical the columns are split between two owners (the second's rows
in another order) and joined by merge() on a row key first.

With --local the program also runs as a real secure computation: three
compute parties (the owners) and the recipient as separate processes over
TLS on loopback (sstat-run --local); every secure result is then compared
with R and with the cleartext executor's.

Tolerance: |sstat - R| <= 1e-6 * max(1, |R|). With Z_2^128 and 40
fractional bits each fixed-point rounding is 2^-40 ~ 9e-13 and the kernels
(reciprocal, square root) are accurate to ~1e-10 relative; the tolerance
leaves room for the errors to add up over a few hundred rows and is the one
the statistics issue asks for.
"""
import csv
import json
import math
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2elib import split_columns  # noqa: E402


def main():
    args = sys.argv[1:]
    ring, frac = "128", "40"
    if "--ring" in args:
        ring = args[args.index("--ring") + 1]
    if "--frac" in args:
        frac = args[args.index("--frac") + 1]
    local = "--local" in args
    sstatc, sstat_run, data_dir, work, name = args[:5]
    os.makedirs(work, exist_ok=True)
    expected = json.load(open(os.path.join(data_dir, "expected", name + ".json")))
    desc = expected["descriptives"]
    cols = desc["columns"]
    with open(os.path.join(data_dir, name + ".csv"), newline="") as f:
        rows = list(csv.DictReader(f))
    header = list(rows[0].keys())

    has_na = {c: any(r[c] == "NA" for r in rows) for c in cols}
    if any(has_na.values()):
        ref = desc["per_column_na_rm"]
    else:
        ref = desc
    schema = []
    for c in cols:
        vals = [float(r[c]) for r in rows if r[c] != "NA"]
        lo, hi = math.floor(min(vals)) - 1, math.ceil(max(vals)) + 1
        schema.append("`%s` = num(%d, %d%s)" % (c, lo, hi, ", na = TRUE" if has_na[c] else ""))
    lines = ['d <- input_table(parties = c("o1", "o2", "o3"), columns = list(%s))' % ", ".join(schema)]
    checks = []  # (label, R value)
    for c in cols:
        narm = ", na.rm = TRUE" if has_na[c] else ""
        lines.append('publish(c(sum = sum(d$`%s`%s), mean = mean(d$`%s`%s), var = var(d$`%s`%s), sd = sd(d$`%s`%s)), to = "r")'
                     % (c, narm, c, narm, c, narm, c, narm))
        checks.append([("sum", c, ref["sum"][c]), ("mean", c, ref["mean"][c]),
                       ("var", c, ref["var"][c]), ("sd", c, ref["sd"][c])])
    if not any(has_na.values()):
        for i, a in enumerate(cols):
            for j, b in enumerate(cols):
                if j <= i:
                    continue
                lines.append('publish(c(cov = cov(d$`%s`, d$`%s`), cor = cor(d$`%s`, d$`%s`)), to = "r")' % (a, b, a, b))
                checks.append([("cov", a + "," + b, desc["cov"]["matrix"][i][j]),
                               ("cor", a + "," + b, desc["cor"]["matrix"][i][j])])
    # The whole covariance and correlation matrices (complete cases where
    # values are missing, as R's expected values are).
    use = ', use = "complete.obs"' if any(has_na.values()) else ""
    allcols = "c(%s)" % ", ".join('"%s"' % c for c in cols)
    lines.append('publish(cov(d[, %s]%s), to = "r")' % (allcols, use))
    checks.append([("cov matrix", "%d,%d" % (i, j), desc["cov"]["matrix"][i][j])
                   for i in range(len(cols)) for j in range(len(cols))])
    lines.append('publish(cor(d[, %s]%s), to = "r")' % (allcols, use))
    checks.append([("cor matrix", "%d,%d" % (i, j), desc["cor"]["matrix"][i][j])
                   for i in range(len(cols)) for j in range(len(cols))])
    script = os.path.join(work, name + ".sstat")
    open(script, "w").write("\n".join(lines) + "\n")

    inputs = []
    if "--vertical" in args:
        # The columns split between two owners and joined by merge().
        inputs, head = split_columns(rows, header, work)
        lines = head + lines[1:]
        open(script, "w").write("\n".join(lines) + "\n")
    else:
        # Three owners, contiguous blocks of rows (horizontal partitioning).
        n = len(rows)
        for k in range(3):
            part = rows[k * n // 3:(k + 1) * n // 3]
            path = os.path.join(work, "%s.o%d.csv" % (name, k + 1))
            with open(path, "w", newline="") as f:
                w = csv.DictWriter(f, fieldnames=header, lineterminator="\n")
                w.writeheader()
                w.writerows(part)
            inputs += ["--input", "o%d=%s" % (k + 1, path)]

    sbc = os.path.join(work, name + ".sbc")
    r = subprocess.run([sstatc, "compile", script, "-o", sbc, "--ring", ring, "--frac", frac],
                       capture_output=True, text=True)
    if r.returncode != 0:
        print(r.stderr)
        return 1
    def run(mode, out_json):
        """The program's outputs from sstat-run --cleartext or --local."""
        cmd = [sstat_run, sbc, mode, "--quiet", "--json", out_json] + inputs
        r = subprocess.run(cmd, capture_output=True, text=True)
        if r.returncode != 0:
            print(r.stderr)
            return None
        doc = json.load(open(out_json))
        return doc["recipients"]["r"]["outputs"] if mode == "--local" else doc["outputs"]

    outs = run("--cleartext", os.path.join(work, name + ".json"))
    if outs is None:
        return 1
    clear = None
    if local:
        clear = outs
        outs = run("--local", os.path.join(work, name + ".local.json"))
        if outs is None:
            return 1
    if len(outs) != len(checks):
        print("expected %d outputs, got %d" % (len(checks), len(outs)))
        return 1
    worst, failures, count = 0.0, [], 0
    for out, group in zip(outs, checks):
        for value, (stat, col, want) in zip(out["values"], group):
            count += 1
            err = abs(value - want) / max(1.0, abs(want))
            worst = max(worst, err)
            if err > 1e-6:
                failures.append("%s(%s): sstat %.12g, R %.12g (error %.2e)" % (stat, col, value, want, err))
    if clear is not None:
        # The secure run against the cleartext executor: they differ only by
        # the probabilistic truncation (one unit per truncation).
        worst_clear = 0.0
        for out, ref_out in zip(outs, clear):
            for value, want in zip(out["values"], ref_out["values"]):
                err = abs(value - want) / max(1.0, abs(want))
                worst_clear = max(worst_clear, err)
                if err > 1e-6:
                    failures.append("%s: secure %.12g, cleartext %.12g" % (out["label"], value, want))
    for f in failures:
        print("MISMATCH " + f)
    print("%s: %d values compared with R (Z_2^%s, %s fractional bits); max scaled error %.2e"
          % (name, count, ring, frac, worst))
    if clear is not None:
        print("%s: secure 3-party run over TLS vs cleartext executor: max scaled difference %.2e"
              % (name, worst_clear))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
