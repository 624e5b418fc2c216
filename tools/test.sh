#!/usr/bin/env bash
# README command 2: install what is missing, build, and run every test
# (GoogleTest units, lit + FileCheck tests, a bounded fuzz run) with ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/build.sh
ctest --test-dir build --output-on-failure -j "$(nproc)"
