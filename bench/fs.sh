#!/usr/bin/env bash
# Benchmark: `customs fs` on a tree of > 50,000 files, against `trivy fs`. The tree is a Debian
# bookworm minbase root (the one the tests debootstrap) with a web application's npm dependencies
# installed under srv/app (Next.js, MUI, the AWS SDK, Jest, ESLint, webpack, ...: ~80,000 files).
# Prints the tree's file count, wall time, CPU time and peak RSS of both, the customs/Trivy ratios
# (target: <= 0.25x wall time), and the packages each SBOM lists, per ecosystem, with the
# differences. On demand only (never run by ctest). See bench/README.md.
#
# Environment: RUNS (timed runs per tool, default 5), CUSTOMS_BENCH_WORK (work dir, default
# bench/.work), CUSTOMS_BENCH_BUILD_DIR (default build-bench), CUSTOMS_BENCH_ROOTFS (the Debian root,
# default the tests' cache ${XDG_CACHE_HOME:-~/.cache}/customs-tests/debian-bookworm-minbase, made
# as the tests make it when missing), CHECK=1 (exit 1 if the wall time ratio misses the target).
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)
WORK=${CUSTOMS_BENCH_WORK:-$REPO/bench/.work}
BUILD_DIR=${CUSTOMS_BENCH_BUILD_DIR:-$REPO/build-bench}
RUNS=${RUNS:-5}
TARGET=0.25
MIN_FILES=50000
TESTS_CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/customs-tests
ROOTFS=${CUSTOMS_BENCH_ROOTFS:-$TESTS_CACHE/debian-bookworm-minbase}
MIRROR=http://deb.debian.org/debian
APP=$WORK/fs-app
TREE=$WORK/fs-tree
# shellcheck source=bench/lib.sh
source "$REPO/bench/lib.sh"

# The application: exact versions of what a typical React/Next.js web app depends on, dev tools
# included (npm resolves the rest; the lock file it writes stays in the cache).
APP_PACKAGE_JSON='{
  "name": "customs-bench-webapp",
  "version": "1.0.0",
  "private": true,
  "dependencies": {
    "@aws-sdk/client-s3": "3.670.0",
    "@emotion/react": "11.13.3",
    "@emotion/styled": "11.13.0",
    "@mui/icons-material": "5.16.7",
    "@mui/material": "5.16.7",
    "axios": "1.7.7",
    "date-fns": "3.6.0",
    "lodash": "4.17.21",
    "next": "14.2.15",
    "react": "18.3.1",
    "react-dom": "18.3.1",
    "rxjs": "7.8.1"
  },
  "devDependencies": {
    "@babel/core": "7.25.8",
    "@babel/preset-env": "7.25.8",
    "@testing-library/react": "16.0.1",
    "@types/node": "20.16.11",
    "eslint": "8.57.1",
    "eslint-config-next": "14.2.15",
    "jest": "29.7.0",
    "typescript": "5.6.3",
    "webpack": "5.95.0"
  }
}'

# 1. customs, optimized.
bench_build "$BUILD_DIR" customs
CUSTOMS=$BUILD_DIR/customs

# 2. The Debian root: the tests' cached one, or made exactly as tests/support/rootfs_fixtures.cpp
#    makes it (same lock file, so that a test run at the same time waits rather than races).
make_rootfs() {
  local cache name tmp
  cache=$(dirname "$ROOTFS")
  name=$(basename "$ROOTFS")
  mkdir -p "$cache"
  exec 9>"$cache/$name.lock"
  flock 9
  if [ ! -f "$ROOTFS/var/lib/dpkg/status" ]; then
    [ "$(id -u)" -eq 0 ] || { echo "bench/fs.sh: debootstrap needs root" >&2; exit 1; }
    rm -rf "$cache/$name".tmp-* "$ROOTFS"
    tmp=$(mktemp -d "$cache/$name.tmp-XXXXXX")
    bench_log "debootstrap --variant=minbase bookworm into $ROOTFS (a few minutes)"
    DEBIAN_FRONTEND=noninteractive LC_ALL=C debootstrap --variant=minbase bookworm "$tmp" "$MIRROR" \
      >"$WORK/debootstrap-fs.log" 2>&1 || {
      tail -5 "$WORK/debootstrap-fs.log" >&2
      rm -rf "$tmp"
      echo "bench/fs.sh: debootstrap failed (log: $WORK/debootstrap-fs.log)" >&2
      exit 1
    }
    # As the tests do: the downloaded .debs and apt lists are not part of an installed system.
    find "$tmp/var/cache/apt/archives" "$tmp/var/lib/apt/lists" -maxdepth 1 -type f -delete
    mv "$tmp" "$ROOTFS"
  fi
  exec 9>&-
}
[ -f "$ROOTFS/var/lib/dpkg/status" ] || make_rootfs

# 3. The application's node_modules (cached in $WORK; reinstalled when the list above changes).
#    --ignore-scripts: nothing is built or downloaded by install scripts; the files npm unpacks
#    are what is scanned.
if [ "$(cat "$APP/package.json" 2>/dev/null)" != "$APP_PACKAGE_JSON" ] || [ ! -f "$APP/.installed" ]; then
  bench_log "npm install of the benchmark web app into $APP (a few minutes)"
  rm -rf "$APP"
  mkdir -p "$APP"
  printf '%s\n' "$APP_PACKAGE_JSON" >"$APP/package.json"
  (cd "$APP" && npm install --no-audit --no-fund --ignore-scripts --loglevel=error >/dev/null)
  touch "$APP/.installed"
  rm -rf "$TREE"
fi

# 4. The tree: a copy of the root with the app in srv/app (node_modules hard-linked from the cache
#    when the filesystem allows, so that the tree costs no second copy).
STAMP="$ROOTFS $(stat -c %Y "$ROOTFS/var/lib/dpkg/status") $(sha256sum "$APP/package-lock.json" | cut -c1-16)"
if [ "$(cat "$TREE.stamp" 2>/dev/null)" != "$STAMP" ] || [ ! -d "$TREE" ]; then
  bench_log "assembling $TREE"
  rm -rf "$TREE" "$TREE.tmp"
  cp -a "$ROOTFS" "$TREE.tmp"
  mkdir -p "$TREE.tmp/srv"
  cp -al "$APP" "$TREE.tmp/srv/app" 2>/dev/null || { rm -rf "$TREE.tmp/srv/app"; cp -a "$APP" "$TREE.tmp/srv/app"; }
  rm -f "$TREE.tmp/srv/app/.installed"
  mv "$TREE.tmp" "$TREE"
  echo "$STAMP" >"$TREE.stamp"
fi
FILES=$(find "$TREE" -type f | wc -l)
ENTRIES=$(find "$TREE" | wc -l)
[ "$FILES" -ge "$MIN_FILES" ] || { echo "bench/fs.sh: $TREE has $FILES files, fewer than $MIN_FILES" >&2; exit 1; }

# 5. Trivy (lib.sh: from the npm package, unpacked).
bench_trivy

run_customs() {
  measure "$CUSTOMS" fs "$TREE" -f cyclonedx -q -o "${1:-/dev/null}"
}
# --scanners license: the vuln scanner refuses to start without a downloaded database, while an SBOM
# needs none (bench/sbom.sh does the same); license scanning only reads the license fields of the
# package metadata it parses anyway. --include-dev-deps: customs lists dev dependencies too.
run_trivy() {
  # A fresh cache each run, as in bench/sbom.sh.
  local cache="$WORK/trivy-cache-fs"
  rm -rf "$cache"
  measure "$TRIVY" fs "$TREE" --scanners license --include-dev-deps --offline-scan --skip-db-update \
    --skip-java-db-update --format cyclonedx --cache-dir "$cache" --quiet -o "${1:-/dev/null}"
  rm -rf "$cache"
  # Trivy's cache writes (and their deletion) are flushed now, so that the next run, of either tool,
  # does not share the CPU with their writeback.
  sync
}

export MEASURE_LOG=$WORK/measure-fs.log
: >"$MEASURE_LOG"
bench_log "tree: $TREE ($FILES files, $ENTRIES entries), $RUNS timed runs per tool after one warm-up"

# Warm-up (page cache, dentries), also keeping both SBOMs for the package comparison.
read -r _ _ rc _ < <(run_customs "$WORK/fs-customs.cdx.json")
[ "$rc" -eq 0 ] || { tail -5 "$MEASURE_LOG" >&2; echo "customs failed (exit $rc)" >&2; exit 1; }
read -r _ _ rc _ < <(run_trivy "$WORK/fs-trivy.cdx.json")
[ "$rc" -eq 0 ] || { tail -5 "$MEASURE_LOG" >&2; echo "trivy failed (exit $rc)" >&2; exit 1; }

declare -a CW CR CC TW TR TC
for ((i = 0; i < RUNS; i++)); do
  read -r w r rc c < <(run_customs)
  [ "$rc" -eq 0 ] || { echo "customs failed (exit $rc)" >&2; exit 1; }
  CW+=("$w"); CR+=("$r"); CC+=("$c")
  read -r w r rc c < <(run_trivy)
  [ "$rc" -eq 0 ] || { echo "trivy failed (exit $rc)" >&2; exit 1; }
  TW+=("$w"); TR+=("$r"); TC+=("$c")
done
LOAD=$(cut -d' ' -f1-3 /proc/loadavg)

python3 - "$WORK/fs-customs.cdx.json" "$WORK/fs-trivy.cdx.json" "$TARGET" "$FILES" "$ENTRIES" "$LOAD" \
  "${CW[*]}" "${CR[*]}" "${CC[*]}" "${TW[*]}" "${TR[*]}" "${TC[*]}" <<'PY' | tee "$WORK/fs-result.txt"
import collections, json, os, statistics, sys, urllib.parse

cdx_c, cdx_t, target = sys.argv[1], sys.argv[2], float(sys.argv[3])
files, entries, load = sys.argv[4], sys.argv[5], sys.argv[6]
cw, cr, cc, tw, tr, tc = ([float(x) for x in a.split()] for a in sys.argv[7:13])

def med(xs):
    return statistics.median(xs)

def runs(xs):
    return " ".join(f"{x:.2f}" for x in xs)

print(f"tree: {files} files ({entries} entries); load average at the end: {load} on {os.cpu_count()} cores")
for name, w, r, c in (("customs", cw, cr, cc), ("trivy", tw, tr, tc)):
    print(f"{name + ':':8} wall {med(w):6.2f} s (median; runs {runs(w)}), cpu {med(c):6.2f} s, "
          f"peak RSS {max(r) / 1024:7.1f} MiB")
rw, rc_, rr = med(cw) / med(tw), med(cc) / med(tc), max(cr) / max(tr)
print(f"ratio customs/trivy: wall {rw:.3f}x (target <= {target}x: {'met' if rw <= target else 'MISSED'}), "
      f"cpu {rc_:.3f}x, peak RSS {rr:.3f}x")

# Packages: every component with a purl, compared by type/namespace/name@version (qualifiers such
# as arch= or distro= are spelled differently by the two tools and are left out).
def norm(purl):
    base = purl.split("#", 1)[0].split("?", 1)[0]
    return urllib.parse.unquote(base)

def load_sbom(path):
    with open(path) as f:
        d = json.load(f)
    comps, stack = [], list(d.get("components", []))
    while stack:
        c = stack.pop()
        comps.append(c)
        stack.extend(c.get("components", []))
    return d, comps

def eco(p):
    return p[4:].split("/", 1)[0] if p.startswith("pkg:") else "?"

dc, comps_c = load_sbom(cdx_c)
dt, comps_t = load_sbom(cdx_t)
pc = collections.defaultdict(list)  # normalized purl -> customs components
for c in comps_c:
    if c.get("purl"):
        pc[norm(c["purl"])].append(c)
pt = collections.defaultdict(list)
for c in comps_t:
    if c.get("purl"):
        pt[norm(c["purl"])].append(c)

# Where a Trivy package comes from: the application (lock file, OS) whose dependency graph reaches it.
refs = {c.get("bom-ref"): c for c in comps_t}
graph = {d["ref"]: d.get("dependsOn", []) for d in dt.get("dependencies", [])}
origin = collections.defaultdict(set)
for c in comps_t:
    if c.get("type") in ("application", "operating-system"):
        seen, todo = set(), list(graph.get(c["bom-ref"], []))
        while todo:
            r = todo.pop()
            if r in seen:
                continue
            seen.add(r)
            todo.extend(graph.get(r, []))
            if refs.get(r, {}).get("purl"):
                origin[norm(refs[r]["purl"])].add(c.get("name", "?"))

def collapse(path):  # every file under node_modules/ counts as one place
    i = path.find("node_modules/")
    return path if i < 0 else path[:i + 13] + "**/" + path.rsplit("/", 1)[-1]

def customs_origin(comps):
    for c in comps:
        for p in c.get("properties", []):
            if p.get("name") == "customs:DBPath":
                return collapse(p["value"])
    return "?"

ecos = sorted({eco(p) for p in pc} | {eco(p) for p in pt})
print()
print(f"{'packages':10} {'customs':>8} {'(purls)':>8} {'trivy':>8} {'(purls)':>8} {'both':>6} "
      f"{'customs only':>13} {'trivy only':>11}")
for e in ecos:
    sc = {p for p in pc if eco(p) == e}
    st = {p for p in pt if eco(p) == e}
    nc = sum(len(pc[p]) for p in sc)
    nt = sum(len(pt[p]) for p in st)
    print(f"{e:10} {nc:8} {len(sc):8} {nt:8} {len(st):8} {len(sc & st):6} {len(sc - st):13} {len(st - sc):11}")

def grouped(only, where):
    groups = collections.defaultdict(list)
    for p in sorted(only):
        groups[where(p)].append(p)
    for g, ps in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        print(f"  {len(ps):5} from {g}: {', '.join(ps[:4])}{', ...' if len(ps) > 4 else ''}")

only_c = set(pc) - set(pt)
only_t = set(pt) - set(pc)
if only_c:
    print(f"customs only ({len(only_c)} purls), by the file customs read them from:")
    grouped(only_c, lambda p: customs_origin(pc[p]))
if only_t:
    print(f"trivy only ({len(only_t)} purls), by the application Trivy lists them under:")
    grouped(only_t, lambda p: ", ".join(sorted({collapse(o) for o in origin.get(p, {"?"})})))
dup_c = sum(len(v) - 1 for v in pc.values())
dup_t = sum(len(v) - 1 for v in pt.values())
print(f"components repeating a purl: customs {dup_c}, trivy {dup_t}")
PY
if [ "${CHECK:-0}" = 1 ] && grep -q MISSED "$WORK/fs-result.txt"; then exit 1; fi
