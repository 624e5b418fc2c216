#!/usr/bin/env bash
# Front-end benchmark: parse + check a generated 10,000-line script.
# Prints the script size and the wall time of `sstatc check` (best and median
# of 7 runs). Target: under 1 s on the 2-core reference machine.
set -euo pipefail
cd "$(dirname "$0")/.."
LINES=${1:-10000}
bash tools/build.sh >/dev/null
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
python3 bench/gen_script.py "$LINES" 1 > "$OUT/big.sstat"
python3 - "$OUT/big.sstat" <<'PY'
import statistics, subprocess, sys, time
path = sys.argv[1]
lines = sum(1 for _ in open(path))
size = len(open(path, "rb").read())
times = {}
for mode, args in (("parse", ["--emit=ast"]), ("parse+check", [])):
    ts = []
    for _ in range(7):
        t0 = time.perf_counter()
        r = subprocess.run(["build/tools/sstatc/sstatc", "check", path] + args,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        ts.append(time.perf_counter() - t0)
        if r.returncode != 0:
            sys.exit("sstatc failed: " + r.stderr.decode()[:2000])
    times[mode] = ts
print("front end: %d lines, %d bytes" % (lines, size))
print("%-12s %10s %10s %12s" % ("stage", "best (s)", "median (s)", "lines/s"))
for mode, ts in times.items():
    print("%-12s %10.3f %10.3f %12.0f" % (mode, min(ts), statistics.median(ts), lines / min(ts)))
PY
