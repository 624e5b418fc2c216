#!/usr/bin/env python3
"""Generates docs/bytecode.md from compiler/include/sstat/Bytecode/Opcodes.def.

usage: gen_bytecode_doc.py [--check]   (from the repository root)

With --check, fails if the checked-in docs/bytecode.md differs from what
the opcode table says (a lit test runs this), so the doc never drifts.
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEF = os.path.join(ROOT, "compiler", "include", "sstat", "Bytecode", "Opcodes.def")
DOC = os.path.join(ROOT, "docs", "bytecode.md")

FORMATS = {
    "D": "r[d]", "DA": "r[d], r[a]", "DAB": "r[d], r[a], r[b]",
    "DABC": "r[d], r[a], r[b], r[c]", "DK": "r[d], k", "DAK": "r[d], r[a], k",
    "AK": "r[a], k", "J": "k (target)", "AJ": "r[a], k (target)",
    "ABJ": "r[a], r[b], k (target)", "DL": "r[d], list [a, a+b)",
}


def generate():
    out = ["# sstat bytecode", "",
           "Generated from `compiler/include/sstat/Bytecode/Opcodes.def` by",
           "`tools/gen_bytecode_doc.py`; do not edit by hand.", "",
           "A program is a typed register file (every register holds a whole vector or",
           "matrix of ring elements, with a public/secret label, an element type and a",
           "fixed-point scale) and a list of instructions. The `.sbc` file is",
           "`\"SSTATBC\\0\"`, a u32 format version, a u64 payload length, the payload",
           "(parameters, parties, input schemas, outputs, constants, registers,",
           "instructions; little-endian, length-prefixed) and the payload's SHA-256,",
           "which is the program hash parties compare before any data moves.", "",
           "The loader rejects unknown opcodes, out-of-range registers, constants,",
           "inputs, outputs and jump targets, and any instruction that would make a",
           "secret register public other than `REVEAL`.", "",
           "| code | opcode | operands | semantics |", "| --- | --- | --- | --- |"]
    section = None
    for line in open(DEF):
        m = re.match(r'\s*//\s*----\s*(.*)', line)
        if m:
            section = m.group(1)
            continue
        m = re.match(r'OPCODE\((\w+),\s*(0x[0-9A-Fa-f]+),\s*(\w+),\s*"(.*)"\)', line.strip())
        if m:
            name, code, fmt, sem = m.groups()
            out.append("| %s | `%s` | %s | %s |" % (code, name, FORMATS[fmt], sem.replace("|", "\\|")))
    return "\n".join(out) + "\n"


def main():
    text = generate()
    if "--check" in sys.argv:
        have = open(DOC).read() if os.path.exists(DOC) else ""
        if have != text:
            print("docs/bytecode.md is out of date: run tools/gen_bytecode_doc.py")
            return 1
        return 0
    open(DOC, "w").write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
