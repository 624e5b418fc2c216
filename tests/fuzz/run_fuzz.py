#!/usr/bin/env python3
"""Bounded libFuzzer run for ctest.

usage: run_fuzz.py FUZZER SOURCE_ROOT CORPUS_DIR SECONDS [--sbc-seeds SSTATC]

Seeds a fresh corpus with every .sstat file in the source tree (or, with
--sbc-seeds, with the payloads of the bytecode SSTATC compiles from the
.sstat files it accepts), runs the
fuzzer for SECONDS with a fixed seed, and fails if it finds anything (a
crash, a sanitizer report, a timeout or an out-of-memory).
"""
import os
import shutil
import subprocess
import sys


def main():
    fuzzer, root, corpus, seconds = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
    sstatc = sys.argv[6] if len(sys.argv) > 6 and sys.argv[5] == "--sbc-seeds" else None
    shutil.rmtree(corpus, ignore_errors=True)
    os.makedirs(corpus)
    n = 0
    for sub in ("examples", "tests/lit", "bench"):
        for dirpath, _, files in os.walk(os.path.join(root, sub)):
            for f in sorted(files):
                if not f.endswith(".sstat"):
                    continue
                src = os.path.join(dirpath, f)
                if sstatc is None:
                    n += 1
                    shutil.copy(src, os.path.join(corpus, "seed%04d.sstat" % n))
                    continue
                out = os.path.join(corpus, "tmp.sbc")
                r = subprocess.run([sstatc, "compile", src, "-o", out],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                if r.returncode == 0:
                    data = open(out, "rb").read()
                    n += 1
                    # payload only: the harness adds the container
                    open(os.path.join(corpus, "seed%04d.bin" % n), "wb").write(data[20:-32])
                if os.path.exists(out):
                    os.remove(out)
    artifacts = corpus + "-artifacts"
    shutil.rmtree(artifacts, ignore_errors=True)
    os.makedirs(artifacts)
    cmd = [fuzzer, corpus, "-seed=1", "-max_total_time=%s" % seconds,
           "-timeout=10", "-rss_limit_mb=4096", "-max_len=4096",
           "-print_final_stats=1", "-artifact_prefix=%s/" % artifacts]
    print("fuzz: %d seed files; running %s" % (n, " ".join(cmd)), flush=True)
    r = subprocess.run(cmd)
    found = os.listdir(artifacts)
    if r.returncode != 0 or found:
        print("fuzz: FAILED (exit %d); artifacts: %s" % (r.returncode, found))
        return 1
    print("fuzz: no crash, leak, hang or sanitizer report in %s s" % seconds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
