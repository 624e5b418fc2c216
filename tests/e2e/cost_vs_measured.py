#!/usr/bin/env python3
"""Runs a program as a real secure computation (sstat-run --local, TLS on
loopback) on R's mtcars split between three owners, and checks that every
compute party's bytes sent and rounds after input sharing equal what
`sstatc check --emit=cost` predicts for that party.

usage: cost_vs_measured.py SSTATC SSTAT_RUN DATASETS_DIR WORKDIR PROGRAM.sstat
Prints one line per party: NAME measured B/r, predicted B/r, and a verdict.
"""
import json
import os
import subprocess
import sys


def main():
    sstatc, run, data, work, prog = sys.argv[1:6]
    flags = sys.argv[6:]  # compiler options (--ring, --frac), for both
    os.makedirs(work, exist_ok=True)
    rows = open(os.path.join(data, "mtcars.csv")).read().splitlines()
    header, body = rows[0], rows[1:]
    owners = ["maker_a", "maker_b", "maker_c"]
    inputs = []
    for k, o in enumerate(owners):
        path = os.path.join(work, o + ".csv")
        part = body[k * len(body) // 3:(k + 1) * len(body) // 3]
        open(path, "w").write("\n".join([header] + part) + "\n")
        inputs += ["--input", "%s=%s" % (o, path)]
    n = len(body)
    cost = subprocess.run([sstatc, "check", "--emit=cost", prog] + flags,
                          check=True,
                          capture_output=True, text=True).stdout
    predicted, exact = {}, "(exact;" in cost
    for line in cost.splitlines():
        if line.startswith("party "):
            _, who, rest = line.split(" ", 2)
            b, r = rest.strip().rsplit("  ", 1)
            ev = lambda e: int(eval(e.replace("n.cars", str(n))))
            predicted[who] = (ev(b), ev(r))
    stats = os.path.join(work, "stats.json")
    r = subprocess.run([run, prog, "--local", "--quiet", "--stats", stats] +
                       flags + inputs,
                       capture_output=True, text=True)
    if r.returncode != 0:
        print(r.stderr)
        return 1
    bad = 0
    for s in json.load(open(stats)):
        got = (s["program_bytes_sent"], s["program_rounds"])
        want = predicted.get(s["party"])
        ok = got == want
        bad += not ok
        print("%s measured %d B %d rounds, predicted %s: %s" % (
            s["party"], got[0], got[1],
            "%d B %d rounds" % want if want else "nothing",
            "equal" if ok else "DIFFERENT"))
    print("model: %s" % ("exact" if exact else "budgets"))
    return 1 if bad and exact else 0


if __name__ == "__main__":
    sys.exit(main())
