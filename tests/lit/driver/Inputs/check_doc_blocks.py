#!/usr/bin/env python3
"""usage: check_doc_blocks.py DOC SSTATC

Checks the code blocks of a Markdown document (docs/language.md) against the
compiler:

  ```sstat          a complete program that `SSTATC check` must accept (exit 0)
  ```sstat-reject   a complete program that `SSTATC check` must reject (exit 1);
                    if it holds `expected-error {{...}}` comments, it must also
                    pass `SSTATC check --verify`

Any other exit status (a crash, a usage error) fails the block. Other fences
(```r, ```text, ...) are not checked. The check also fails if the document
has fewer than MIN_BLOCKS checked blocks, and, when the document sits in a
source tree next to compiler/include/sstat/Builtins.def, if the function
reference misses a builtin: every BUILTIN("name", "signature", ...) entry
must appear in the document as `name(signature)`.

Every failure prints the block's first line number in DOC and what sstatc
printed; the exit status is 1 if anything failed.
"""
import os
import re
import subprocess
import sys
import tempfile

MIN_BLOCKS = 10
CHECKED = ("sstat", "sstat-reject")
FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})\s*([^\s`]*)")


def extract_blocks(lines):
    """Yields (info, first_line_number, text) for every fenced block."""
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        indent, fence, info = m.group(1), m.group(2), m.group(3)
        start = i + 1
        body = []
        i += 1
        closed = False
        while i < len(lines):
            stripped = lines[i].strip()
            if stripped.startswith(fence[0] * len(fence)) and \
                    stripped.strip(fence[0]) == "":
                closed = True
                break
            line = lines[i]
            if indent and line.startswith(indent):
                line = line[len(indent):]
            body.append(line)
            i += 1
        if not closed:
            yield ("<unclosed>", start, "".join(body))
            return
        i += 1
        yield (info, start + 1, "".join(body))


def run(cmd):
    try:
        r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           universal_newlines=True, timeout=60)
    except subprocess.TimeoutExpired:
        return None, "timed out after 60 s"
    return r.returncode, r.stdout


def builtin_signatures(doc):
    """The (name, signature) pairs of Builtins.def, or None if not found."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(doc)))
    path = os.path.join(root, "compiler", "include", "sstat", "Builtins.def")
    if not os.path.exists(path):
        return None
    entry = re.compile(r'^BUILTIN\("([^"]+)",\s*"((?:[^"\\]|\\.)*)"')
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = entry.match(line)
            if m:
                out.append((m.group(1), m.group(2).replace('\\"', '"')))
    return out


def main():
    if len(sys.argv) != 3:
        print(__doc__.strip().splitlines()[0])
        return 2
    doc, sstatc = sys.argv[1], sys.argv[2]
    with open(doc, encoding="utf-8") as f:
        text = f.read()
    lines = text.splitlines(keepends=True)

    failures = 0
    counts = {k: 0 for k in CHECKED}
    with tempfile.TemporaryDirectory() as tmp:
        for info, line, body in extract_blocks(lines):
            if info == "<unclosed>":
                print("%s:%d: error: code block is never closed" % (doc, line - 1))
                failures += 1
                continue
            if info not in CHECKED:
                continue
            counts[info] += 1
            path = os.path.join(tmp, "block-line-%d.sstat" % line)
            with open(path, "w", encoding="utf-8") as f:
                f.write(body)
            status, output = run([sstatc, "check", path])
            want = 0 if info == "sstat" else 1
            problem = None
            if status is None:
                problem = output
            elif status != want:
                if status in (0, 1):
                    problem = ("accepted, but the block is marked sstat-reject"
                               if status == 0 else
                               "rejected, but the block is marked sstat")
                elif status < 0:
                    problem = "sstatc crashed (signal %d)" % -status
                else:
                    problem = "sstatc exited with status %d (expected %d)" % (
                        status, want)
            elif info == "sstat-reject" and "expected-" in body:
                vstatus, voutput = run([sstatc, "check", "--verify", path])
                if vstatus != 0:
                    problem = "--verify failed (status %s)" % vstatus
                    output = voutput
            if problem:
                failures += 1
                print("%s:%d: error: ```%s block: %s" % (doc, line, info, problem))
                for out_line in (output or "").splitlines():
                    print("    " + out_line)

    total = counts["sstat"] + counts["sstat-reject"]
    if total < MIN_BLOCKS:
        print("%s: error: only %d checked blocks (```sstat / ```sstat-reject); "
              "expected at least %d" % (doc, total, MIN_BLOCKS))
        failures += 1

    sigs = builtin_signatures(doc)
    if sigs is not None:
        for name, sig in sigs:
            if "`%s(%s)`" % (name, sig) not in text:
                print("%s: error: the function reference does not list `%s(%s)` "
                      "(from Builtins.def)" % (doc, name, sig))
                failures += 1

    print("%s: %d sstat blocks, %d sstat-reject blocks, %d failure(s)" % (
        doc, counts["sstat"], counts["sstat-reject"], failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
