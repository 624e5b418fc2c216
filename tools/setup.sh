#!/usr/bin/env bash
# Installs the Debian packages sstat needs, and only those that are missing.
# Idempotent: a second run installs nothing and takes well under a second.
set -euo pipefail

PKGS=(antlr4 libantlr4-runtime-dev uuid-dev default-jre-headless
      libboost-program-options-dev libboost-dev libasio-dev
      libssl-dev libsodium-dev libgtest-dev nlohmann-json3-dev
      llvm-14-dev llvm-14-tools clang-14 libclang-rt-14-dev
      cmake ninja-build pkg-config python3)

missing=()
for p in "${PKGS[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} == 0)); then
  exit 0
fi

echo "setup: installing ${missing[*]}" >&2
SUDO=
if [[ $(id -u) -ne 0 ]]; then SUDO=sudo; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
