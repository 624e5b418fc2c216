#!/usr/bin/env python3
"""usage: check_xtx.py RESULTS.json mtcars.csv -- compares X'X and X'y (X =
1, wt, hp, qsec; y = mpg) with the exact values from the CSV."""
import csv
import json
import sys

out = json.load(open(sys.argv[1]))["outputs"]
rows = list(csv.DictReader(open(sys.argv[2])))
X = [[1.0, float(r["wt"]), float(r["hp"]), float(r["qsec"])] for r in rows]
y = [float(r["mpg"]) for r in rows]
xtx = [sum(x[i] * x[j] for x in X) for i in range(4) for j in range(4)]
xty = [sum(x[i] * v for x, v in zip(X, y)) for i in range(4)]
worst = 0.0
for got, want in ((out[0]["values"], xtx), (out[1]["values"], xty)):
    assert len(got) == len(want), (len(got), len(want))
    for g, w in zip(got, want):
        worst = max(worst, abs(g - w) / max(1.0, abs(w)))
print("max scaled error %.1e" % worst)
sys.exit(0 if worst <= 1e-9 else 1)
