#!/usr/bin/env python3
"""Checks sstat's t tests and chi-squared tests against R's.

usage: r_tests.py SSTATC SSTAT_RUN DATASETS_DIR WORKDIR DATASET [--local]
                  [--vertical]

With --vertical the columns are split between two owners (the second's rows
in another order) and joined by merge() on a row key first.

For every t test and chi-squared test of ../shared/datasets/expected/
DATASET.json that compares the two levels of a column (t.test(y ~ g)) or
cross-tabulates two columns (chisq.test(table(a, b))), it writes an .sstat
script declaring those columns as factors with R's levels, splits the CSV
row-wise between three owners, runs the program in the cleartext executor
(and with --local as three party processes over TLS), and compares the
statistic, the degrees of freedom, the p value and, for t tests, the
standard error, the confidence interval and the group means with R's.
A table of summed counts (esoph's cases and controls by alcohol group) is
cbind() of two tapply() sums. Tests of two of a column's several values (two
of three species, two of five months) use subset = g %in% c(a, b); a
missing response is in neither group (R's na.omit).

Tolerance: 1e-6 relative (p values: on log10), Z_2^128 with 40 fractional
bits.
"""
import csv
import json
import math
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2elib import p_ok, rel_ok, schema, split_columns, split_owners  # noqa: E402


def is_number(v):
    try:
        float(v)
        return True
    except ValueError:
        return False


def main():
    args = sys.argv[1:]
    local = "--local" in args
    sstatc, sstat_run, data_dir, work, name = args[:5]
    os.makedirs(work, exist_ok=True)
    expected = json.load(open(os.path.join(data_dir, "expected", name + ".json")))
    with open(os.path.join(data_dir, name + ".csv"), newline="") as f:
        rows = list(csv.DictReader(f))
    header = list(rows[0].keys())
    present = lambda c: sorted({r[c] for r in rows if r[c] != "NA"})

    factors, calls, skipped = {}, [], []
    for key, t in expected.get("tests", {}).items():
        if t["test"].endswith("t-test") or "t-test" in t["test"]:
            gx, gy = t["group_x"].split("="), t["group_y"].split("=")
            what = t["what"].split(" (")[0]
            if len(gx) == 1:
                # Two species of iris: the group column is the only factor.
                g = [c for c in header if present(c) and not is_number(present(c)[0])]
                if len(g) != 1 or gx[0] not in present(g[0]):
                    skipped.append(key)
                    continue
                g, gx, gy = g[0], [g[0], gx[0]], [g[0], gy[0]]
            if len(gx) != 2 or gx[0] != gy[0]:
                skipped.append(key)
                continue
            g = gx[0]
            pooled = ", var.equal = TRUE" if "pooled" in t["test"] else ""
            if present(g) == sorted([gx[1], gy[1]]):
                factors[g] = [gx[1], gy[1]]
                calls.append((key, t, "t.test(`%s` ~ `%s`, data = d%s)" % (what, g, pooled)))
            else:
                # Two of several values: subset = g %in% c(a, b), a factor
                # for strings, the numeric column otherwise.
                if not is_number(gx[1]):
                    factors[g] = sorted(present(g))
                quote = (lambda v: '"%s"' % v) if not is_number(gx[1]) else str
                calls.append((key, t, "t.test(`%s` ~ `%s`, data = d%s, subset = `%s` %%in%% c(%s, %s))" % (
                    what, g, pooled, g, quote(gx[1]), quote(gy[1]))))
        elif "chi-square" in t["test"] and re.match(
                r"\d+x\d+ table: rows (\S+), cols \(sum (\S+), sum (\S+)\)", t.get("what", "")):
            # A table of summed counts (esoph): cbind() of two group sums.
            m = re.match(r"\d+x\d+ table: rows (\S+), cols \(sum (\S+), sum (\S+)\)", t["what"])
            g, a, b = m.groups()
            factors[g] = t["row_levels"]
            calls.append((key, t, "chisq.test(cbind(tapply(d$`%s`, d$`%s`, sum), "
                                  "tapply(d$`%s`, d$`%s`, sum))%s)" % (
                a, g, b, g, "" if t.get("correct", True) else ", correct = FALSE")))
        elif "chi-square" in t["test"]:
            m = re.match(r"(\S+) x (\S+) \(", t.get("what", ""))
            if not m or m.group(1) not in header or m.group(2) not in header:
                skipped.append(key)
                continue
            a, b = m.group(1), m.group(2)
            factors[a], factors[b] = t["row_levels"], t["col_levels"]
            calls.append((key, t, "chisq.test(table(d$`%s`, d$`%s`)%s)" % (
                a, b, "" if t.get("correct", True) else ", correct = FALSE")))
        else:
            skipped.append(key)
    if not calls:
        sys.exit("no t or chi-squared test of two columns in expected/%s.json" % name)

    if "--vertical" in args:
        inputs, lines = split_columns(rows, header, work, factors)
    else:
        inputs, head = split_owners(rows, header, work)
        lines = [head % ", ".join(schema(rows, header, factors))]
    lines += ['publish(%s, to = "analyst")' % c for _, _, c in calls]
    script = os.path.join(work, name + "_tests.sstat")
    open(script, "w").write("\n".join(lines) + "\n")
    sbc = os.path.join(work, name + "_tests.sbc")
    subprocess.run([sstatc, "compile", script, "-o", sbc, "--ring", "128", "--frac", "40"],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    modes = ["--cleartext"] + (["--local"] if local else [])
    failures, checked = [], 0
    for mode in modes:
        out = os.path.join(work, name + mode.strip("-") + ".json")
        subprocess.run([sstat_run, sbc, mode, "--json", out] + inputs,
                       check=True, stdout=subprocess.DEVNULL)
        res = json.load(open(out))
        outs = res["outputs"] if "outputs" in res else res["recipients"]["analyst"]["outputs"]
        for (key, t, _), o in zip(calls, outs):
            if "error" in o:
                failures.append("%s %s: %s" % (mode, key, o["error"]))
                continue
            pairs = [("statistic", o["statistic"], t["statistic"], rel_ok),
                     ("df", o["df"], t["df"], rel_ok),
                     ("p_value", o["p_value"], t["p_value"], p_ok)]
            if "stderr" in t:
                pairs += [("stderr", o["stderr"], t["stderr"], rel_ok),
                          ("mean_x", o["mean_x"], t["mean_x"], rel_ok),
                          ("mean_y", o["mean_y"], t["mean_y"], rel_ok),
                          ("conf_int[0]", o["conf_int"][0], t["conf_int"][0], rel_ok),
                          ("conf_int[1]", o["conf_int"][1], t["conf_int"][1], rel_ok)]
            for field, got, want, ok in pairs:
                checked += 1
                if not ok(got, want):
                    failures.append("%s %s %s: %.17g, R %.17g" % (mode, key, field, got, want))
    for f in failures:
        print("MISMATCH " + f)
    print("%s: %d test values compared with R (%s), %d mismatches; skipped %s" % (
        name, checked, " and ".join(m.strip("-") for m in modes), len(failures),
        ", ".join(skipped) if skipped else "none"))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
