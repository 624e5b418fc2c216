"""Shared by the bench/ scripts: seeded data split between three owners,
`sstat-run --local` runs repeated and summarised (median time; bytes and
rounds per compute party as the parties count them), and the prediction of
`sstatc check --emit=cost` per party."""
import json
import os
import statistics
import subprocess
import sys
import time

BUILD = os.environ.get("SSTAT_BUILD", "build")
SSTATC = BUILD + "/tools/sstatc/sstatc"
RUN = BUILD + "/tools/sstat-run/sstat-run"


def write_owners(out, cols, rows_of, n, owners=("o1", "o2", "o3")):
    """Writes n rows (rows_of(i) -> list of floats) split between owners."""
    files = []
    start = 0
    for k, o in enumerate(owners):
        end = n * (k + 1) // len(owners)
        path = os.path.join(out, o + ".csv")
        with open(path, "w") as f:
            f.write(",".join(cols) + "\n")
            for i in range(start, end):
                f.write(",".join("%.6g" % v for v in rows_of(i)) + "\n")
        files.append((o, path))
        start = end
    return files


def compile_script(out, src, ring, frac):
    script = os.path.join(out, "w.sstat")
    open(script, "w").write(src)
    sbc = os.path.join(out, "w.sbc")
    subprocess.run([SSTATC, "compile", script, "-o", sbc, "--ring", ring,
                    "--frac", frac], check=True, capture_output=True)
    return script, sbc


def run_local(out, sbc, files, repeat):
    """Median compute and wall seconds, and the last run's stats and JSON."""
    stats = os.path.join(out, "stats.json")
    result = os.path.join(out, "result.json")
    walls, computes = [], []
    for _ in range(repeat):
        t0 = time.perf_counter()
        r = subprocess.run([RUN, sbc, "--local", "--quiet", "--stats", stats,
                            "--json", result] +
                           sum([["--input", "%s=%s" % f] for f in files], []),
                           capture_output=True, text=True)
        walls.append(time.perf_counter() - t0)
        if r.returncode != 0:
            sys.exit(r.stderr)
        st = json.load(open(stats))
        computes.append(max(s["compute_seconds"] for s in st))
    return (statistics.median(computes), statistics.median(walls), st,
            json.load(open(result)))
