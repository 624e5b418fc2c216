"""Shared by the e2e scripts: a dataset's schema for input_table() and its
rows split between three owners."""
import csv
import math
import os

OWNERS = ["owner_1", "owner_2", "owner_3"]


def schema(rows, header, factors=None):
    """input_table() columns: a factor (with the given levels) for the
    columns in `factors`, num(lo, hi) with the data's range for numeric
    ones (na = TRUE where values are missing); string columns are left out."""
    factors = factors or {}
    out = []
    for c in header:
        vals = [r[c] for r in rows if r[c] != "NA"]
        na = ", na = TRUE" if len(vals) < len(rows) else ""
        if c in factors:
            out.append("`%s` = factor(c(%s)%s)" % (
                c, ", ".join('"%s"' % l for l in factors[c]), na))
            continue
        try:
            nums = [float(v) for v in vals]
        except ValueError:
            continue
        out.append("`%s` = num(%d, %d%s)" % (
            c, math.floor(min(nums)) - 1, math.ceil(max(nums)) + 1, na))
    return out


def split_owners(rows, header, work):
    """Writes the rows in three consecutive parts, one CSV per owner, and
    returns the --input flags and the input_table() declaration's head."""
    third = (len(rows) + 2) // 3
    inputs = []
    for k, o in enumerate(OWNERS):
        path = os.path.join(work, o + ".csv")
        with open(path, "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=header, lineterminator="\n")
            w.writeheader()
            w.writerows(rows[k * third:(k + 1) * third])
        inputs += ["--input", "%s=%s" % (o, path)]
    return inputs, "d <- input_table(parties = c(%s), columns = list(%%s))" % (
        ", ".join('"%s"' % o for o in OWNERS))
