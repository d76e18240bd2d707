#!/usr/bin/env bash
# The README's first command: install, build, and scan a real Alpine image from the shared data.
# Builds the default offline vulnerability database from ../shared/vulndata (into the user's cache
# directory), packs the official Alpine 3.7.3 root filesystem as a docker-archive image (build/demo/),
# then customs prints its packages and vulnerabilities and writes its CycloneDX SBOM to
# ./alpine-3.7.3.cdx.json.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
# Only what the demo runs: customs (with its customs-server sibling) and the image packer, not the test
# suite or the fuzzers (scripts/test.sh builds those).
CUSTOMS_BUILD_TARGETS="customs mkimage" bash scripts/build.sh
SHARED=${CUSTOMS_SHARED:-../shared}
ROOTFS="$SHARED/images/alpine-minirootfs-3.7.3-x86_64.tar.gz"
if [ ! -f "$ROOTFS" ]; then
  echo "demo: $ROOTFS not found (set CUSTOMS_SHARED to the shared data folder)" >&2
  exit 4
fi
./build/customs db build --from "$SHARED/vulndata"
mkdir -p build/demo
gzip -dc "$ROOTFS" > build/demo/layer.tar
./build/tests/mkimage docker-archive build/demo/alpine-3.7.3.tar build/demo/layer.tar --tag alpine:3.7.3 >/dev/null
./build/customs image --input build/demo/alpine-3.7.3.tar
./build/customs image --input build/demo/alpine-3.7.3.tar -f cyclonedx -o alpine-3.7.3.cdx.json
echo "CycloneDX SBOM written to alpine-3.7.3.cdx.json"
