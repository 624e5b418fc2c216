#!/usr/bin/env bash
# Compiler benchmark on generated 10,000-line scripts: parse + check (target
# under 1 s) and the whole compilation to bytecode -- lowering, the default
# pass pipeline, emission (target under 2 s). Prints best and median of 7
# runs on the 2-core reference machine.
set -euo pipefail
cd "$(dirname "$0")/.."
LINES=${1:-10000}
bash tools/build.sh >/dev/null
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
python3 bench/gen_script.py "$LINES" 1 > "$OUT/big.sstat"
python3 bench/gen_script.py "$LINES" 1 --compilable > "$OUT/bigc.sstat"
python3 - "$OUT/big.sstat" "$OUT/bigc.sstat" "$OUT/bigc.sbc" <<'PY'
import statistics, subprocess, sys, time
path, cpath, sbc = sys.argv[1], sys.argv[2], sys.argv[3]
lines = sum(1 for _ in open(path))
size = len(open(path, "rb").read())
times = {}
for mode, cmd in (("parse", ["check", path, "--emit=ast"]),
                  ("parse+check", ["check", path]),
                  ("compile", ["compile", cpath, "-o", sbc])):
    ts = []
    for _ in range(7):
        t0 = time.perf_counter()
        r = subprocess.run(["build/tools/sstatc/sstatc"] + cmd,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        ts.append(time.perf_counter() - t0)
        if r.returncode != 0:
            sys.exit("sstatc failed: " + r.stderr.decode()[:2000])
    times[mode] = ts
print("front end: %d lines, %d bytes; compile: %d lines" % (lines, size, sum(1 for _ in open(cpath))))
print("%-12s %10s %10s %12s" % ("stage", "best (s)", "median (s)", "lines/s"))
for mode, ts in times.items():
    print("%-12s %10.3f %10.3f %12.0f" % (mode, min(ts), statistics.median(ts), lines / min(ts)))
PY
