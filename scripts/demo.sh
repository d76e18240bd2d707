#!/usr/bin/env bash
# The README's first command: install, build, and scan a real Alpine image from the shared data.
# Prints the package table and writes the CycloneDX SBOM to ./alpine-3.9.6.cdx.json.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
SHARED=${CUSTOMS_SHARED:-../shared}
IMAGE="$SHARED/images/alpine-minirootfs-3.9.6-x86_64.tar.gz"
if [ ! -f "$IMAGE" ]; then
  echo "demo: $IMAGE not found (set CUSTOMS_SHARED to the shared data folder)" >&2
  exit 4
fi
./build/customs rootfs "$IMAGE"
./build/customs rootfs "$IMAGE" -f cyclonedx -o alpine-3.9.6.cdx.json
echo "CycloneDX SBOM written to alpine-3.9.6.cdx.json"
