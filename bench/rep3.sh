#!/usr/bin/env bash
# rep3 benchmarks over TLS on loopback (issue 4): for each workload and ring,
# three sstat-party processes (sstat-run --local) on seeded synthetic data
# split between three owners, and prints
#   compute s  from the first byte of secret input (every owner has loaded
#              its CSV and announced its row counts) to the last output, per
#              party (max)
#   wall s     the whole sstat-run --local (process start-up, TLS handshakes,
#              CSV parsing, everything)
#   bytes      sent per party (max over parties), all of the run; and the part
#              after input sharing (what the program's instructions send)
#   rounds     per party (max), as counted by the channel
# and whether every compute party's bytes and rounds after input sharing
# equal what `sstatc check --emit=cost` predicts for it ("exact"), or how
# they differ.
#
#   bash bench/rep3.sh            # the issue's sizes: 10^6, 10^5 x 10, 10^6 x 10
#   bash bench/rep3.sh --small    # 1/100 of them (a quick check)
# Each run is repeated 3 times (REPEAT=n to change); times are the median.
set -euo pipefail
cd "$(dirname "$0")/.."
SCALE=1
[[ ${1:-} == --small ]] && SCALE=100
[[ -n ${SSTAT_BUILD:-} ]] || bash tools/build.sh >/dev/null
BUILD=${SSTAT_BUILD:-build}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
PYTHONPATH=bench python3 - "$OUT" "$SCALE" "${REPEAT:-3}" <<'PY'
import json, os, random, re, statistics, subprocess, sys, time
from benchlib import run_local
out, scale, repeat = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
BUILD = os.environ.get("SSTAT_BUILD", "build")
SSTATC = BUILD + "/tools/sstatc/sstatc"
RUN = BUILD + "/tools/sstat-run/sstat-run"
cols10 = ["x%d" % i for i in range(1, 11)]
schema10 = ", ".join("%s = num(-100, 100)" % c for c in cols10)
work = [
    ("mean of n secret values", 1_000_000 // scale, ["x"],
     'd <- input_table(parties = c("o1", "o2", "o3"), columns = list(x = num(-100, 100)))\n'
     'publish(mean(d$x), to = "o1")\n'),
    ("cov matrix, n x 10", 100_000 // scale, cols10,
     'd <- input_table(parties = c("o1", "o2", "o3"), columns = list(%s))\n'
     'publish(cov(d[, c(%s)]), to = "o1")\n' % (schema10, ", ".join('"%s"' % c for c in cols10))),
    ("t(X) %*% X, n x 10", 1_000_000 // scale, cols10,
     'd <- input_table(parties = c("o1", "o2", "o3"), columns = list(%s))\n'
     'X <- cbind(%s)\n'
     'publish(t(X) %%*%% X, to = "o1")\n' % (schema10, ", ".join("d$" + c for c in cols10))),
]
rng = random.Random(20261125)


def verdict(stats, predicted):
    diffs = []
    for s in stats:
        want = predicted.get(s["party"])
        got = (s["program_bytes_sent"], s["program_rounds"])
        if want != got:
            diffs.append("%s: measured %d B %d r, predicted %s" % (
                s["party"], got[0], got[1],
                "%d B %d r" % want if want else "nothing"))
    return "exact" if not diffs else "; ".join(diffs)

print("%-22s %5s %8s %9s %8s %12s %11s %7s %7s  %s" % (
    "workload", "ring", "n", "compute s", "wall s", "bytes/party",
    "program B", "rounds", "prog r", "vs --emit=cost per party"))
for name, n, cols, src in work:
    files = []
    for k in range(3):
        path = os.path.join(out, "o%d.csv" % (k + 1))
        rows = n * (k + 1) // 3 - n * k // 3
        with open(path, "w") as f:
            f.write(",".join(cols) + "\n")
            for _ in range(rows):
                f.write(",".join("%.4f" % rng.uniform(-99, 99) for _ in cols) + "\n")
        files.append(path)
    script = os.path.join(out, "w.sstat")
    open(script, "w").write(src)
    for ring, frac in (("64", "16"), ("128", "40")):
        sbc = os.path.join(out, "w.sbc")
        subprocess.run([SSTATC, "compile", script, "-o", sbc, "--ring", ring,
                        "--frac", frac], check=True, capture_output=True)
        cost = subprocess.run([SSTATC, "check", "--emit=cost", script, "--ring",
                               ring, "--frac", frac], check=True,
                              capture_output=True, text=True).stdout
        # The parties refuse tables beyond the program's row limit (the
        # range analysis): say so instead of running.
        asm = subprocess.run([SSTATC, "check", "--emit=asm", script, "--ring",
                              ring, "--frac", frac], check=True,
                             capture_output=True, text=True).stdout
        limit = re.search(r"tables of up to (\d+) rows", asm)
        if limit and int(limit.group(1)) < n:
            print("%-22s %5s %8d  refused: the schema's ranges keep every value "
                  "in the ring only up to %s rows" % (name, "2^" + ring, n,
                                                      limit.group(1)))
            continue
        predicted = {}
        for line in cost.splitlines():
            if line.startswith("party "):
                _, who, rest = line.split(" ", 2)
                b, r = rest.strip().rsplit("  ", 1)
                ev = lambda e: int(eval(e.replace("n.d", str(n)).replace("*", "*")))
                predicted[who] = (ev(b), ev(r))
        comp, wall, st, _ = run_local(
            out, sbc, [("o%d" % (k + 1), files[k]) for k in range(3)], repeat)
        print("%-22s %5s %8d %9.3f %8.3f %12d %11d %7d %7d  %s" % (
            name, "2^" + ring, n, comp, wall,
            max(s["total_bytes_sent"] for s in st),
            max(s["program_bytes_sent"] for s in st),
            max(s["rounds"] for s in st),
            max(s["program_rounds"] for s in st),
            verdict(st, predicted)))
PY
