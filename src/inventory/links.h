// Links between installed language packages that only the whole tree can give: a node_modules
// manifest names its dependencies, and which copy it uses depends on where the others are installed.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/types.h"

namespace customs {

// Follows symbolic links in a path of the scanned tree: the path it reaches when that is a regular
// file, nullopt when nothing is there.
using ResolvePath = std::function<std::optional<std::string>(const std::string& path)>;

// Pins the dependencies of installed Node.js packages (npm packages read from
// node_modules/**/package.json, extra "source" = "node_modules") to "name@version" (the notation of
// Package::depends): each name is looked up the way Node.js resolves a module from the package's
// directory (<dir>/node_modules/<name>, then each ancestor's node_modules, up to the root of the
// tree). `resolve` (optional) follows symlinked directories, as pnpm's layout needs. A name found
// nowhere, or where no manifest was read, keeps its bare name.
void LinkInstalledPackages(std::vector<Package>& packages, const ResolvePath& resolve = nullptr);

}  // namespace customs
