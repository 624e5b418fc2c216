#!/usr/bin/env bash
# Configures (once) and builds sstat in ./build with Ninja.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
CXX_COMPILER=${CXX:-}
if [[ -z $CXX_COMPILER ]]; then
  if command -v clang++-14 >/dev/null; then CXX_COMPILER=clang++-14; else CXX_COMPILER=g++; fi
fi
C_COMPILER=${CC:-}
if [[ -z $C_COMPILER ]]; then
  if command -v clang-14 >/dev/null; then C_COMPILER=clang-14; else C_COMPILER=gcc; fi
fi
if [[ ! -f build/build.ninja ]]; then
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_COMPILER="$CXX_COMPILER" -DCMAKE_C_COMPILER="$C_COMPILER" >/dev/null
fi
cmake --build build -- -k 0 "$@"
