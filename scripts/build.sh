#!/usr/bin/env bash
# Configures and builds customs (and, with clang, its fuzz targets) into build/.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${CUSTOMS_BUILD_DIR:-build}
cmake -S . -B "$BUILD_DIR" -G Ninja \
  -DCMAKE_BUILD_TYPE="${CUSTOMS_BUILD_TYPE:-RelWithDebInfo}" \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ "$@" >/dev/null
# CUSTOMS_BUILD_TARGETS="customs mkimage": only those (the demo); default: everything (tests, fuzzers).
# shellcheck disable=SC2086
cmake --build "$BUILD_DIR" -j"$(nproc)" ${CUSTOMS_BUILD_TARGETS:+--target $CUSTOMS_BUILD_TARGETS}
