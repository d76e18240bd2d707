// One package per package, across the files that record it. An npm project scanned with its
// dependencies installed has each of them twice: once as the lockfile beside node_modules pins it
// (package-lock.json, yarn.lock, pnpm-lock.yaml) and once as node_modules holds it installed. Counted
// twice, every advisory of theirs would be too (summary, --max-total). They are one package.
#pragma once

#include <vector>

#include "core/types.h"

namespace customs {

inline constexpr const char* kAlsoFoundIn = "also_found_in";

// Every installed npm package (extra source=node_modules) read from
// <project>/node_modules/.../node_modules/<name>/package.json whose name and version a lockfile of
// <project> (a non-node_modules npm package with db_path <project>/<lockfile>) also records is
// merged into that lockfile package: it is removed, its path added to the lockfile package's
// extra "also_found_in" (the installed manifests' paths, sorted, one per line; the JSON report shows
// it with the other extra fields), the earliest of their layers kept, its licenses taken when the lockfile
// gave none. The lockfile names each install path and holds one entry per name@version installed
// (its analyzers merge copies at several paths), so a copy at any install path of that name
// under <project> is that entry. Packages at other versions, installed packages of a project
// without a lockfile, and lockfiles without node_modules stay as they are. Order is kept.
void MergeInstalledNpmIntoLockfiles(std::vector<Package>& packages);

}  // namespace customs
