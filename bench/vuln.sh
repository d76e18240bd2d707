#!/usr/bin/env bash
# Benchmark: what vulnerability matching adds to a scan of a ~270 MB Debian image made as in
# bench/sbom.sh, from bullseye (SUITE=bullseye by default: the shared Debian tracker snapshot of
# 2023-04 predates bookworm's release and has no bookworm data, so bullseye exercises the matcher). Times `customs image --input X -f json --scanners none` (inventory only) against
# `--scanners vuln` with the offline database built from ../shared/vulndata, in the same run, and
# prints both wall times and the overhead (target: < 10%). On demand only (never run by ctest).
#
# Environment: RUNS (timed runs each, default 5), CUSTOMS_SHARED (default ../shared), plus those of
# bench/sbom.sh (the image and the Release build come from there).
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)
WORK=${CUSTOMS_BENCH_WORK:-$REPO/bench/.work}
BUILD_DIR=${CUSTOMS_BENCH_BUILD_DIR:-$REPO/build-bench}
SHARED=${CUSTOMS_SHARED:-$REPO/../shared}
RUNS=${RUNS:-5}
export SUITE=${SUITE:-bullseye}
IMAGE=$WORK/debian-$SUITE-bench.tar
CUSTOMS=$BUILD_DIR/customs
DB=$WORK/customs-bench.db

if [ ! -f "$IMAGE" ] || [ ! -x "$CUSTOMS" ]; then
  echo "== preparing the image and the build with bench/sbom.sh (RUNS=1)" >&2
  RUNS=1 bash bench/sbom.sh >/dev/null
fi
cmake --build "$BUILD_DIR" --target customs >/dev/null
"$CUSTOMS" db build --from "$SHARED/vulndata" -o "$DB" >/dev/null

time_one() {  # prints wall seconds of one run
  python3 - "$@" <<'PY'
import subprocess, sys, time
t0 = time.monotonic()
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
print(f"{time.monotonic() - t0:.4f}")
PY
}

"$CUSTOMS" image --input "$IMAGE" -f json --scanners vuln --db "$DB" -o "$WORK/vuln.json"  # warm-up
declare -a BASE VULN
for ((i = 0; i < RUNS; i++)); do
  BASE+=("$(time_one "$CUSTOMS" image --input "$IMAGE" -f json --scanners none -o /dev/null)")
  VULN+=("$(time_one "$CUSTOMS" image --input "$IMAGE" -f json --scanners vuln --db "$DB" -o /dev/null)")
done
python3 - "${BASE[*]}" "${VULN[*]}" "$WORK/vuln.json" <<'PY' | tee "$WORK/vuln-result.txt"
import json, statistics, sys
base = [float(x) for x in sys.argv[1].split()]
vuln = [float(x) for x in sys.argv[2].split()]
with open(sys.argv[3]) as f:
    report = json.load(f)
n = sum(len(p.get("vulnerabilities", [])) for t in report["targets"] for p in t["packages"])
pk = sum(len(t["packages"]) for t in report["targets"])
mb, mv = statistics.median(base), statistics.median(vuln)
print(f"inventory only:        {mb:.3f} s (median of {len(base)})")
print(f"with vulnerabilities:  {mv:.3f} s (median of {len(vuln)}; {pk} packages, {n} findings)")
over = (mv - mb) / mb
print(f"matching adds {over * 100:.1f}% (target < 10%): {'met' if over < 0.10 else 'MISSED'}")
PY
