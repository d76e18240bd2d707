#!/usr/bin/env python3
"""The include rule of docs/ARCHITECTURE.md, checked: a folder of src/ includes only itself and the
folders before it in LAYERS. Run by ctest (test `Layering.IncludesPointBackwards`); prints every
include that breaks the rule, with its file and line, and exits 1 when there is one."""
import pathlib
import re
import sys

# Bottom to top. The libraries (version .. signing) sit between formats/ and the stages; findings/ is
# the model the detectors fill, so it comes before them although the flow draws it after.
LAYERS = ["core", "formats", "version", "cvss", "db", "secrets", "misconfig", "registry", "signing", "http",
          "source", "walker", "analyzers", "inventory", "findings", "detectors", "policy", "reporters", "store", "server", "cli"]

INCLUDE = re.compile(r'^\s*#\s*include\s+"([a-z_]+)/')


def main(src: pathlib.Path) -> int:
    rank = {name: i for i, name in enumerate(LAYERS)}
    folders = sorted(p.name for p in src.iterdir() if p.is_dir())
    unknown = [f for f in folders if f not in rank]
    bad = [f"src/{f}/: folder not placed in LAYERS (tests/check_layering.py)" for f in unknown]
    for path in sorted(src.rglob("*")):
        if path.suffix not in (".h", ".cpp", ".inc") or not path.is_file():
            continue
        folder = path.relative_to(src).parts[0]
        if folder not in rank:
            continue
        for no, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
            m = INCLUDE.match(line)
            if m and m.group(1) in rank and rank[m.group(1)] > rank[folder]:
                bad.append(f"{path.relative_to(src.parent)}:{no}: {folder}/ includes {m.group(1)}/, a later layer")
    for b in bad:
        print(b)
    print(f"{len(bad)} layering violation(s) in {len(folders)} folders" if bad else
          f"layering holds: {len(folders)} folders, each including only itself and earlier ones")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "src")))
