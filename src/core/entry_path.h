// The one definition of a normalized entry path (relative to the root, no empty, "." or ".."
// components, no NUL), shared by the walker (which normalizes archive paths) and the sources (which
// must never open anything outside their root).
#pragma once

#include <string>
#include <string_view>

namespace customs {

// Normalizes an archive path: strips "./" and one leading "/"-free form, removes "." components,
// collapses "//". Returns false (with `reason`) for paths that would leave the root ("..") or are
// absolute. Exposed for tests and fuzzing.
bool NormalizeEntryPath(std::string_view raw, std::string& out, std::string& reason);

// True when `p` is already what NormalizeEntryPath makes of it (relative, no empty, "." or ".."
// components, no NUL): the walker then takes the path as it is.
bool IsNormalEntryPath(std::string_view p);

}  // namespace customs
