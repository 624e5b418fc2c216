#!/usr/bin/env python3
"""Checks group statistics and contingency tables against R's.

usage: r_groups.py SSTATC SSTAT_RUN DATASETS_DIR WORKDIR DATASET [--local]

With --local the program also runs as three party processes over TLS and
every result is compared with R again. With --vertical the columns are
split between two owners (the second's rows in another order) and joined by
merge() on a row key first.

For every group_stats entry of expected/DATASET.json (a value column by a
grouping column) the script publishes tapply(v, g, FUN) for FUN in length,
sum, mean, var and sd; for every table entry, table(r, c). Grouping columns
are declared factor(levels) as R has them, so they arrive one-hot encoded.
The data are split row-wise between three owners, compiled for Z_2^128 with
40 fractional bits, run in the cleartext executor, and compared with R:
counts exactly, the rest to 1e-6 (scaled, as in r_reference.py).
"""
import csv
import json
import math
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2elib import split_columns  # noqa: E402


def main():
    sstatc, sstat_run, data_dir, work, name = sys.argv[1:6]
    os.makedirs(work, exist_ok=True)
    exp = json.load(open(os.path.join(data_dir, "expected", name + ".json")))
    rows = list(csv.DictReader(open(os.path.join(data_dir, name + ".csv"), newline="")))
    header = list(rows[0].keys())
    factors, numerics = {}, set()
    for g in exp.get("group_stats", {}).values():
        factors[g["group_var"]] = g["levels"]
        numerics.add(g["value_var"])
    one_way = {}
    isna = re.compile(r"is\.na\((.+)\)$")
    for key, t in exp.get("tables", {}).items():
        if "row_var" in t:
            m = isna.match(t["row_var"])
            if m:  # table(is.na(x), g): x a numeric column with NA
                numerics.add(m.group(1))
            else:
                factors[t["row_var"]] = t["row_levels"]
            factors[t["col_var"]] = t["col_levels"]
        else:  # a one-way table: the key names the column, case aside
            col = next(c for c in header if c.lower() == key.lower())
            factors[col] = t["levels"]
            one_way[key] = col
    schema = []
    for c in sorted(numerics):
        vals = [float(r[c]) for r in rows if r[c] != "NA"]
        schema.append("`%s` = num(%d, %d%s)" % (c, math.floor(min(vals)) - 1, math.ceil(max(vals)) + 1,
                                               ", na = TRUE" if len(vals) < len(rows) else ""))
    for c, levels in sorted(factors.items()):
        schema.append("`%s` = factor(c(%s))" % (c, ", ".join('"%s"' % l for l in levels)))
    lines = ['d <- input_table(parties = c("o1", "o2", "o3"), columns = list(%s))' % ", ".join(schema)]
    checks = []
    for key, g in sorted(exp.get("group_stats", {}).items()):
        v, gv = g["value_var"], g["group_var"]
        narm = ", na.rm = TRUE" if "dropped" in g.get("na_handling", "") else ""
        for fn, ref in (("length", "n"), ("sum", "sum"), ("mean", "mean"), ("var", "var"), ("sd", "sd")):
            lines.append('publish(tapply(d$`%s`, d$`%s`, %s%s), to = "r")' % (v, gv, fn, narm))
            checks.append(("%s %s" % (key, fn), g[ref], fn == "length"))
    for key, t in sorted(exp.get("tables", {}).items()):
        if key in one_way:
            lines.append('publish(table(d$`%s`), to = "r")' % one_way[key])
            checks.append(("table " + key, t["counts"], True))
            continue
        m = isna.match(t["row_var"])
        row = "is.na(d$`%s`)" % m.group(1) if m else "d$`%s`" % t["row_var"]
        lines.append('publish(table(%s, d$`%s`), to = "r")' % (row, t["col_var"]))
        checks.append(("table " + key, [x for row in t["counts"] for x in row], True))
    inputs = []
    if "--vertical" in sys.argv:
        # The columns split between two owners and joined by merge().
        inputs, head = split_columns(rows, header, work, factors)
        lines = head + lines[1:]
    else:
        n = len(rows)
        for k in range(3):
            path = os.path.join(work, "%s.g%d.csv" % (name, k + 1))
            with open(path, "w", newline="") as f:
                w = csv.DictWriter(f, fieldnames=header, lineterminator="\n")
                w.writeheader()
                w.writerows(rows[k * n // 3:(k + 1) * n // 3])
            inputs += ["--input", "o%d=%s" % (k + 1, path)]
    script = os.path.join(work, name + ".groups.sstat")
    open(script, "w").write("\n".join(lines) + "\n")
    sbc = os.path.join(work, name + ".groups.sbc")
    r = subprocess.run([sstatc, "compile", script, "-o", sbc, "--ring", "128", "--frac", "40"],
                       capture_output=True, text=True)
    if r.returncode != 0:
        print(r.stderr)
        return 1
    failures, worst, count = [], 0.0, 0
    for mode in ["--cleartext"] + (["--local"] if "--local" in sys.argv else []):
        out_json = os.path.join(work, name + ".groups.json")
        cmd = [sstat_run, sbc, mode, "--quiet", "--json", out_json] + inputs
        r = subprocess.run(cmd, capture_output=True, text=True)
        if r.returncode != 0:
            print(r.stderr)
            return 1
        res = json.load(open(out_json))
        outs = res["outputs"] if "outputs" in res else next(
            iter(res["recipients"].values()))["outputs"]
        if len(outs) != len(checks):
            failures.append("%s: %d outputs, expected %d" % (mode, len(outs), len(checks)))
        f, w, c = compare(outs, checks)
        failures += ["%s %s" % (mode, x) for x in f]
        worst, count = max(worst, w), count + c
    for f in failures:
        print("MISMATCH " + f)
    print("%s: %d group statistics and table cells compared with R; max scaled error %.2e"
          % (name, count, worst))
    return 1 if failures else 0


def compare(outs, checks):
    failures, worst, count = [], 0.0, 0
    for out, (what, want, exact) in zip(outs, checks):
        got = out["values"]
        if len(got) != len(want):
            failures.append("%s: %d values, R has %d" % (what, len(got), len(want)))
            continue
        for g, w in zip(got, want):
            count += 1
            err = abs(g - w) / max(1.0, abs(w))
            worst = max(worst, 0 if exact else err)
            if (exact and g != w) or err > 1e-6:
                failures.append("%s: sstat %.12g, R %.12g" % (what, g, w))
    return failures, worst, count


if __name__ == "__main__":
    sys.exit(main())
