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
           "The parameters are the protocol, the ring, the fixed-point precision and",
           "(format version 4) the most rows an input table may have for every value",
           "to stay in the ring, with the source line that sets it: the compiler's",
           "range analysis bounds every value from the schema, and the parties refuse",
           "larger tables before computing.", "",
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
    out += RESULT_KINDS
    return "\n".join(out) + "\n"


# The layouts runtime/lib/Results.cpp reads (kept here, beside the opcode
# table, so the doc has one generator).
RESULT_KINDS = """
## Result kinds

An output (`PUBLISH`) carries a label, its recipients, element names, a
kind and metadata strings. With an empty kind the values are printed as
they are. Otherwise the values are the few numbers the computation opened
for a model, a test or a table, and the recipient derives what R prints
from them in double precision (runtime/lib/Results.cpp); every opened
number is a function of R's printout. p is the number of coefficients,
names are the coefficient names (or a table's levels).

| kind | values (in order) | metadata |
| --- | --- | --- |
| `summary.lm`, `confint.lm` | the p coefficients; with an intercept q = m' C^-1 m (so that (X'X)^-1_00 = 1/n + q) and n / 2^10 times the diagonal of C^-1 for the other p - 1 terms (C: the centred cross products; the solve sees C 2^10 / n), without one n / 2^10 times the diagonal of (X'X)^-1; the residual and the total sum of squares; the rows used; the table's rows | the call; `intercept` or `no intercept` |
| `vcov.lm` | with an intercept q and z = C^-1 m (p - 1); then n / 2^10 times C^-1 (or (X'X)^-1 without an intercept), column by column; the residual sum of squares; the rows used | the call; `intercept` or `no intercept` |
| `summary.glm` | the p coefficients; n / 2^10 times the diagonal of (X'WX)^-1 at the estimate; the deviance; the null deviance; the rows used | the call; `intercept` or `no intercept`; the number of iterations run |
| `t.test.one` | the mean, the squared standard error, the degrees of freedom, mu | the data's description |
| `t.test.pooled`, `t.test.welch` | the two means, the squared standard error, the degrees of freedom, mu | the data's description; for `y ~ g`, the two levels of g |
| `chisq.test` | the statistic, the degrees of freedom, 1 if Yates' correction was applied | the data's description |
| `table` | the counts (row-major for two factors); -1 for a cell suppressed by `min_cell` | `levels`, the number of levels of each factor; then `min_cell`, k if cells were suppressed |
""".strip("\n").split("\n")


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
