#!/usr/bin/env python3
"""usage: exitcode.py EXPECTED CMD...: runs CMD, fails unless it exits EXPECTED."""
import subprocess
import sys

want = int(sys.argv[1])
r = subprocess.run(sys.argv[2:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
if r.returncode != want:
    print("expected exit status %d, got %d: %s" % (want, r.returncode, " ".join(sys.argv[2:])))
    sys.exit(1)
