#!/usr/bin/env bash
# The README's first command: install, build, and scan a real Alpine image from the shared data.
# The official Alpine 3.9.6 root filesystem is packed as a docker-archive image (build/demo/), then
# customs prints its package table and writes its CycloneDX SBOM to ./alpine-3.9.6.cdx.json.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
SHARED=${CUSTOMS_SHARED:-../shared}
ROOTFS="$SHARED/images/alpine-minirootfs-3.9.6-x86_64.tar.gz"
if [ ! -f "$ROOTFS" ]; then
  echo "demo: $ROOTFS not found (set CUSTOMS_SHARED to the shared data folder)" >&2
  exit 4
fi
mkdir -p build/demo
gzip -dc "$ROOTFS" > build/demo/layer.tar
./build/tests/mkimage docker-archive build/demo/alpine-3.9.6.tar build/demo/layer.tar --tag alpine:3.9.6 >/dev/null
./build/customs image --input build/demo/alpine-3.9.6.tar
./build/customs image --input build/demo/alpine-3.9.6.tar -f cyclonedx -o alpine-3.9.6.cdx.json
echo "CycloneDX SBOM written to alpine-3.9.6.cdx.json"
