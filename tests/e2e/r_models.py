#!/usr/bin/env python3
"""Checks sstat's linear models against R's, on R's own datasets.

usage: r_models.py SSTATC SSTAT_RUN DATASETS_DIR WORKDIR DATASET [--local]

For every lm() block of ../shared/datasets/expected/DATASET.json it writes
an .sstat script declaring the dataset's columns (numeric columns as num()
with the data's range, NA allowed where the data has any), fitting the
block's formula and publishing summary(fit), coef(fit) and confint(fit);
splits the CSV row-wise between three owners; compiles; runs the program in
the cleartext executor (and with --local also as three party processes over
TLS); and compares every number summary() prints with R's: estimates,
standard errors, t and p values, residual standard error, R^2, adjusted R^2,
the F statistic and its p value, and the degrees of freedom.

Tolerance: |sstat - R| <= 1e-6 * max(|R|, 1e-300) for every value (relative),
as the statistics issue asks, except p values, which are compared on
log10 (|log10 p - log10 p_R| <= 1e-6 * max(1, |log10 p_R|)). Z_2^128 with
40 fractional bits.
"""
import csv
import json
import math
import os
import subprocess
import sys


def rel_ok(got, want, tol=1e-6):
    return abs(got - want) <= tol * max(abs(want), 1e-300)


def p_ok(got, want):
    if want == 0 or got == 0:
        return want == got
    lw, lg = math.log10(want), math.log10(got)
    return abs(lg - lw) <= 1e-6 * max(1.0, abs(lw))


def main():
    args = sys.argv[1:]
    local = "--local" in args
    sstatc, sstat_run, data_dir, work, name = args[:5]
    os.makedirs(work, exist_ok=True)
    expected = json.load(open(os.path.join(data_dir, "expected", name + ".json")))
    models = {k: m for k, m in expected.get("models", {}).items() if m["type"] == "lm"}
    if not models:
        sys.exit("no lm() in expected/%s.json" % name)
    with open(os.path.join(data_dir, name + ".csv"), newline="") as f:
        rows = list(csv.DictReader(f))
    header = list(rows[0].keys())
    schema = []
    for c in header:
        vals = [r[c] for r in rows if r[c] != "NA"]
        try:
            nums = [float(v) for v in vals]
        except ValueError:
            continue  # a string column: not used by these models
        lo, hi = math.floor(min(nums)) - 1, math.ceil(max(nums)) + 1
        na = len(vals) < len(rows)
        schema.append("`%s` = num(%d, %d%s)" % (c, lo, hi, ", na = TRUE" if na else ""))
    owners = ["owner_1", "owner_2", "owner_3"]
    third = (len(rows) + 2) // 3
    files = []
    for k, o in enumerate(owners):
        path = os.path.join(work, o + ".csv")
        with open(path, "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=header, lineterminator="\n")
            w.writeheader()
            w.writerows(rows[k * third:(k + 1) * third])
        files.append(path)

    lines = ["d <- input_table(parties = c(%s), columns = list(%s))" % (
        ", ".join('"%s"' % o for o in owners), ", ".join(schema))]
    order = []
    for key, m in models.items():
        lines.append("fit_%s <- lm(%s, data = d)" % (key, m["formula"]))
        lines.append('publish(summary(fit_%s), to = "analyst")' % key)
        order.append(key)
    script = os.path.join(work, name + "_models.sstat")
    open(script, "w").write("\n".join(lines) + "\n")
    sbc = os.path.join(work, name + "_models.sbc")
    subprocess.run([sstatc, "compile", script, "-o", sbc, "--ring", "128",
                    "--frac", "40"], check=True, stdout=subprocess.DEVNULL)
    inputs = sum([["--input", "%s=%s" % (o, f)] for o, f in zip(owners, files)], [])
    modes = ["--cleartext"] + (["--local"] if local else [])
    failures, checked = [], 0
    for mode in modes:
        out = os.path.join(work, name + mode.strip("-") + ".json")
        subprocess.run([sstat_run, sbc, mode, "--json", out] + inputs,
                       check=True, stdout=subprocess.DEVNULL)
        res = json.load(open(out))
        outs = res["outputs"] if "outputs" in res else res["recipients"]["analyst"]["outputs"]
        for key, o in zip(order, outs):
            m = models[key]
            if o.get("terms") != m["terms"]:
                failures.append("%s %s: terms %s, R %s" % (mode, key, o.get("terms"), m["terms"]))
                continue
            for field in ("estimate", "std_error", "t_value"):
                for t, g, w in zip(m["terms"], o[field], m[field]):
                    checked += 1
                    if not rel_ok(g, w):
                        failures.append("%s %s %s[%s]: %.17g, R %.17g" % (mode, key, field, t, g, w))
            for t, g, w in zip(m["terms"], o["p_value"], m["p_value"]):
                checked += 1
                if not p_ok(g, w):
                    failures.append("%s %s p_value[%s]: %.17g, R %.17g" % (mode, key, t, g, w))
            for field in ("residual_std_error", "r_squared", "adj_r_squared", "f_statistic"):
                checked += 1
                if not rel_ok(o[field], m[field]):
                    failures.append("%s %s %s: %.17g, R %.17g" % (mode, key, field, o[field], m[field]))
            checked += 1
            if not p_ok(o["f_p_value"], m["f_p_value"]):
                failures.append("%s %s f_p_value: %.17g, R %.17g" % (mode, key, o["f_p_value"], m["f_p_value"]))
            for field in ("df_residual", "f_numdf", "f_dendf"):
                checked += 1
                if o[field] != m[field]:
                    failures.append("%s %s %s: %s, R %s" % (mode, key, field, o[field], m[field]))
    for f in failures:
        print("MISMATCH " + f)
    print("%s: %d lm values compared with R, %d mismatches" % (name, checked, len(failures)))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
