"""Shared by the e2e scripts: a dataset's schema for input_table() and its
rows split between three owners."""
import csv
import math
import os
import random

OWNERS = ["owner_1", "owner_2", "owner_3"]


def rel_ok(got, want, tol=1e-6):
    """|got - want| <= tol |want| (relative)."""
    return abs(got - want) <= tol * max(abs(want), 1e-300)


def p_ok(got, want, tol=1e-6):
    """p values, compared on log10: |log10 got - log10 want| <= tol
    max(1, |log10 want|)."""
    if want == 0 or got == 0:
        return want == got
    lw, lg = math.log10(want), math.log10(got)
    return abs(lg - lw) <= tol * max(1.0, abs(lw))


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


def split_columns(rows, header, work, factors=None):
    """Vertically partitioned: the columns alternate between two owners,
    each with a row key `rid`; the second owner's rows are shuffled (seeded).
    Returns the --input flags and the script's first lines, ending in
    d <- merge(a, b, by = "rid")."""
    cols = [c for c in header if c != "id"]
    parts = [cols[0::2], cols[1::2]]
    keyed = [dict(r, rid="r%d" % i) for i, r in enumerate(rows)]
    inputs, lines = [], []
    for k, (o, t) in enumerate(zip(OWNERS[:2], ("a", "b"))):
        part = [dict((c, r[c]) for c in ["rid"] + parts[k]) for r in keyed]
        if k == 1:
            random.Random(11).shuffle(part)
        path = os.path.join(work, o + ".csv")
        with open(path, "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=["rid"] + parts[k], lineterminator="\n")
            w.writeheader()
            w.writerows(part)
        inputs += ["--input", "%s=%s" % (o, path)]
        lines.append('%s <- input_table(parties = "%s", key = "rid", columns = list(%s))' % (
            t, o, ", ".join(schema(rows, parts[k], factors))))
    lines.append('d <- merge(a, b, by = "rid")')
    return inputs, lines
