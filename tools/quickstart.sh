#!/usr/bin/env bash
# README command 1: install what is missing, build, and run the main job.
#
# Until the 3-party runtime exists, the main job shows the whole compiler
# on real data: what the checker infers for every example (parties, input
# schemas, the label of every variable, every disclosure), a leaking script
# being rejected, the compiled bytecode's cost, and the statistics computed
# by the cleartext reference executor -- the same fixed-point arithmetic the
# secure protocol will use -- on R's mtcars split between three owners.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/build.sh >/dev/null
SSTATC=build/tools/sstatc/sstatc
RUN=build/tools/sstat-run/sstat-run
DATA=../shared/datasets

rule() { echo "================================================================"; }

for f in examples/*.sstat; do
  rule
  "$SSTATC" check --emit=types "$f"
  "$SSTATC" check --emit=disclosures "$f"
done

rule
echo "A leaking script is rejected, with where and why:"
"$SSTATC" check tests/lit/driver/Inputs/leaky.sstat || true

rule
echo "Compiling examples/mtcars_summary.sstat for rep3 over Z_2^128 (40 fractional bits):"
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
"$SSTATC" compile examples/mtcars_summary.sstat -o "$OUT/mtcars_summary.sbc" --ring 128 --frac 40
"$SSTATC" check --emit=cost examples/mtcars_summary.sstat --ring 128 --frac 40

if [[ -f $DATA/mtcars.csv ]]; then
  rule
  echo "R's mtcars, split between three car makers:"
  python3 tools/split_csv.py "$DATA/mtcars.csv" "$OUT" maker_a maker_b maker_c
  echo "Results (cleartext reference executor, same fixed-point arithmetic as rep3):"
  "$RUN" "$OUT/mtcars_summary.sbc" --cleartext \
    --input maker_a="$OUT/maker_a.csv" --input maker_b="$OUT/maker_b.csv" \
    --input maker_c="$OUT/maker_c.csv"
  echo "R: mean 20.09062, sd 6.026948, var 36.3241; cov(mpg, wt) -5.116685," \
       "cor -0.8676594; cor(mpg, hp) -0.7761684; manual 0.40625, mpg 24.39231"
fi
