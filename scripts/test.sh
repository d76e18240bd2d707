#!/usr/bin/env bash
# The whole test suite: installs what it needs, builds, runs every test under ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
bash scripts/test-node-deps.sh
cd "${CUSTOMS_BUILD_DIR:-build}"
ctest --output-on-failure -j"$(nproc)" "$@"
