#!/usr/bin/env python3
"""usage: split_csv.py IN.csv OUTDIR NAME1 NAME2 ... -- splits the rows of a
CSV into contiguous blocks, one file per name (OUTDIR/NAME.csv), each with
the header: the horizontal partitioning of a table between data owners."""
import os
import sys

src, outdir, names = sys.argv[1], sys.argv[2], sys.argv[3:]
lines = open(src).read().splitlines()
header, rows = lines[0], lines[1:]
os.makedirs(outdir, exist_ok=True)
for k, name in enumerate(names):
    part = rows[k * len(rows) // len(names):(k + 1) * len(rows) // len(names)]
    with open(os.path.join(outdir, name + ".csv"), "w") as f:
        f.write("\n".join([header] + part) + "\n")
    print("  %s holds %d rows" % (name, len(part)))
