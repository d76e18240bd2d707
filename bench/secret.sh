#!/usr/bin/env bash
# Secret scanning benchmark (issue #5): the ~270 MiB Debian bookworm docker-archive of bench/sbom.sh,
# `customs image --input X --scanners secret` against `trivy image --input X --scanners secret
# --offline-scan`, both measured in the same run (median wall time, peak RSS, CPU), ratios printed,
# and customs' throughput in MB/s of file bytes scanned. Targets: <= 0.02x Trivy's wall time,
# <= 0.25x its peak memory. Run on demand: `bash bench/secret.sh` (RUNS=N, CHECK=1 to fail on a miss).
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)
WORK=${CUSTOMS_BENCH_WORK:-$REPO/bench/.work}
BUILD_DIR=${CUSTOMS_BENCH_BUILD_DIR:-$REPO/build-bench}
RUNS=${RUNS:-3}
IMAGE=$WORK/debian-bookworm-bench.tar
source "$REPO/bench/lib.sh"

# The image is the one bench/sbom.sh builds (debootstrap + mkimage); build it through that script.
if [ ! -f "$IMAGE" ]; then
  bench_log "building the image with bench/sbom.sh (RUNS=0)"
  RUNS=0 bash "$REPO/bench/sbom.sh" >/dev/null
fi
bench_build "$BUILD_DIR" customs
CUSTOMS=$BUILD_DIR/customs
bench_trivy

export MEASURE_LOG=$WORK/measure-secret.log
: >"$MEASURE_LOG"
# The setup the README's main command does: `customs db build` stores the compiled secret rules beside
# the database, and scans load them (compiling them takes ~0.25 s). Also timed without them.
SHARED=${CUSTOMS_SHARED:-$REPO/../shared}
DB=$WORK/secret-db/customs.db
"$CUSTOMS" db build -q --from "$SHARED/vulndata" -o "$DB" >/dev/null 2>&1
run_customs() { measure "$CUSTOMS" image --input "$IMAGE" --scanners secret --db "$DB" -q -f json -o "${1:-/dev/null}"; }
run_customs_cold() {
  CUSTOMS_NO_SECRET_CACHE=1 measure "$CUSTOMS" image --input "$IMAGE" --scanners secret --db "$DB" -q -f json -o /dev/null
}
run_trivy() {
  local cache="$WORK/trivy-cache-secret"
  rm -rf "$cache"
  measure "$TRIVY" image --input "$IMAGE" --scanners secret --offline-scan --cache-dir "$cache" --quiet \
    -f json -o "${1:-/dev/null}"
  rm -rf "$cache"
}

bench_log "image: $IMAGE ($(($(stat -c %s "$IMAGE") / 1048576)) MiB); one warm-up, then $RUNS runs each"
read -r _ _ rc _ < <(run_customs "$WORK/customs-secret.json")
[ "$rc" -eq 0 ] || { tail -5 "$MEASURE_LOG" >&2; echo "customs failed (exit $rc)" >&2; exit 1; }
read -r _ _ rc _ < <(run_trivy "$WORK/trivy-secret.json")
[ "$rc" -eq 0 ] || { tail -5 "$MEASURE_LOG" >&2; echo "trivy failed (exit $rc)" >&2; exit 1; }
declare -a CW CR CC TW TR TC KW
for ((i = 0; i < RUNS; i++)); do
  read -r w r rc c < <(run_customs); [ "$rc" -eq 0 ] || exit 1; CW+=("$w"); CR+=("$r"); CC+=("$c")
  read -r w r rc c < <(run_customs_cold); [ "$rc" -eq 0 ] || exit 1; KW+=("$w")
  read -r w r rc c < <(run_trivy); [ "$rc" -eq 0 ] || exit 1; TW+=("$w"); TR+=("$r"); TC+=("$c")
done
# File bytes scanned: the regular files of the image's layer (the tar's payload).
BYTES=$(tar -xOf "$IMAGE" --wildcards '*.tar' 2>/dev/null | tar -tv 2>/dev/null | awk '$1 ~ /^-/ {s += $3} END {print s+0}')

python3 - "$WORK/customs-secret.json" "$WORK/trivy-secret.json" "$BYTES" "${CW[*]}" "${CR[*]}" "${CC[*]}" \
  "${TW[*]}" "${TR[*]}" "${TC[*]}" "${KW[*]}" <<'PY' | tee "$WORK/result-secret.txt"
import json, statistics, sys
jc, jt, nbytes = sys.argv[1], sys.argv[2], int(sys.argv[3])
cw, cr, cc, tw, tr, tc, kw = ([float(x) for x in a.split()] for a in sys.argv[4:11])
nc = sum(len(t.get("secrets", [])) for t in json.load(open(jc)).get("targets", []) if t.get("class") == "secret")
nt = sum(len(r.get("Secrets", []) or []) for r in (json.load(open(jt)).get("Results") or []))
mw_c, mw_t = statistics.median(cw), statistics.median(tw)
mr_c, mr_t = max(cr) / 1024, max(tr) / 1024
print(f"customs: wall {mw_c:6.2f} s, cpu {statistics.median(cc):6.2f} s, peak RSS {mr_c:7.1f} MiB, {nc} findings, "
      f"{nbytes / 1e6 / mw_c:.0f} MB/s of file bytes ({nbytes / 1e6:.0f} MB)")
print(f"customs without the stored compiled rules (CUSTOMS_NO_SECRET_CACHE=1): wall {statistics.median(kw):6.2f} s "
      f"({statistics.median(kw) / mw_t:.3f}x of Trivy)")
print(f"trivy:   wall {mw_t:6.2f} s, cpu {statistics.median(tc):6.2f} s, peak RSS {mr_t:7.1f} MiB, {nt} findings")
rw, rr = mw_c / mw_t, mr_c / mr_t
ok = rw <= 0.02 and rr <= 0.25
print(f"ratio customs/trivy: wall {rw:.4f}x (target <= 0.02x), peak RSS {rr:.3f}x (target <= 0.25x): {'met' if ok else 'MISSED'}")
PY
if [ "${CHECK:-0}" = 1 ] && grep -q MISSED "$WORK/result-secret.txt"; then exit 1; fi
