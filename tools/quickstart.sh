#!/usr/bin/env bash
# README command 1: install what is missing, build, and run the main job.
#
# The main job is a real secure computation: R's mtcars split between
# three car makers, each running its own party process (sstat-party), the
# three talking TLS 1.3 to each other on loopback with throw-away
# certificates, and an analyst (a fourth process) receiving only the
# published statistics -- descriptive statistics and summary(lm(...)),
# printed as R prints them. Before that it shows what the compiler checked
# (every disclosure) and what the program will cost; after it, the same
# for R's iris with oblivious comparisons and group means.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/build.sh >/dev/null
SSTATC=build/tools/sstatc/sstatc
RUN=build/tools/sstat-run/sstat-run
DATA=../shared/datasets

rule() { echo "================================================================"; }

rule
echo "What examples/mtcars.sstat discloses (nothing else leaves the parties):"
"$SSTATC" check --emit=disclosures examples/mtcars.sstat

rule
echo "A leaking script is rejected, with where and why:"
"$SSTATC" check tests/lit/driver/Inputs/leaky.sstat || true

rule
echo "Compiling examples/mtcars.sstat for rep3 over Z_2^128 (40 fractional bits):"
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
"$SSTATC" compile examples/mtcars.sstat -o "$OUT/mtcars.sbc" --ring 128 --frac 40
"$SSTATC" check --emit=cost examples/mtcars.sstat --ring 128 --frac 40 | tail -3

rule
echo "R's mtcars, split between three car makers:"
python3 tools/split_csv.py "$DATA/mtcars.csv" "$OUT" maker_a maker_b maker_c
echo "Secure 3-party run (rep3, TLS 1.3 on loopback, one process per party):"
"$RUN" "$OUT/mtcars.sbc" --local \
  --input maker_a="$OUT/maker_a.csv" --input maker_b="$OUT/maker_b.csv" \
  --input maker_c="$OUT/maker_c.csv"
echo "R: mean 20.09062, sd 6.026948, var 36.3241; cov(mpg, wt) -5.116685," \
     "cor(mpg, wt) -0.8676594; manual 0.40625; summary(lm(mpg ~ wt + hp)):" \
     "37.22727 (1.59879), -3.87783 (0.63273), -0.03177 (0.00903)," \
     "sigma 2.593 on 29 df, R^2 0.8268, F 69.21, p 9.109e-12"

rule
echo "R's iris, split between three gardens; the botanist receives the results:"
python3 tools/split_csv.py "$DATA/iris.csv" "$OUT" garden_1 garden_2 garden_3
"$RUN" examples/iris.sstat --local \
  --input garden_1="$OUT/garden_1.csv" --input garden_2="$OUT/garden_2.csv" \
  --input garden_3="$OUT/garden_3.csv"
echo "R: tapply(Petal.Length, Species, mean) 1.462 4.260 5.552; table 50 50 50;" \
     "cor(Sepal.Length, Petal.Length) 0.8717538"
