#!/usr/bin/env python3
"""usage: embed_stdlib.py IN.sstat OUT.inc -- the file as a C++ string constant."""
import sys

src = open(sys.argv[1], encoding="utf-8").read()
def esc(b):
    if b == 0x22:
        return '\\"'
    if b == 0x5c:
        return "\\\\"
    if (b < 0x20 and b != 0x0a) or b >= 0x7f:
        return "\\%03o" % b
    return chr(b)
body = "".join(esc(b) for b in src.encode("utf-8"))
lines = body.split("\n")
out = ["// Generated from %s by embed_stdlib.py; do not edit." % sys.argv[1].split("/")[-1],
       "static const char StdlibText[] ="]
for i, line in enumerate(lines):
    nl = "\\n" if i + 1 < len(lines) else ""
    out.append('    "%s%s"' % (line, nl))
out[-1] += ";"
tmp = sys.argv[2] + ".tmp"
with open(tmp, "w") as f:
    f.write("\n".join(out) + "\n")
import os
os.replace(tmp, sys.argv[2])
