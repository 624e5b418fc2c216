#!/usr/bin/env bash
# README command 1: install what is missing, build, and run the main job.
# Until the runtime exists, the main job compiles every example and shows
# what the checker inferred: the parties, the input schemas, the type and
# security label of every variable, and every disclosure (each point where
# a secret becomes public, with its shape and recipients).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/build.sh >/dev/null
SSTATC=build/tools/sstatc/sstatc
for f in examples/*.sstat; do
  echo "================================================================"
  "$SSTATC" check --emit=types "$f"
  "$SSTATC" check --emit=disclosures "$f"
done
echo "================================================================"
echo "A leaking script is rejected, with where and why:"
"$SSTATC" check tests/lit/driver/Inputs/leaky.sstat || true
