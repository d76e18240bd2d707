// Package URLs (purl): pkg:type/namespace/name@version?qualifiers#subpath.
//
// Two layers:
//  - BuildPurl: the canonical string from its components, per the purl specification (type and
//    qualifier keys lowercased, each component percent-encoded, empty qualifiers dropped, qualifiers
//    sorted by key, the type-specific normalizations the specification defines for the types we
//    know).
//  - Purl: which components a customs Package maps to. One mapping function per package type, found
//    in a table in purl.cpp; a new ecosystem (npm, pypi, golang, cargo, maven, gem, composer, nuget)
//    is one more function and one more table line.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/types.h"

namespace customs {

struct PurlParts {
  std::string type;        // "deb", "rpm", "apk", "npm", ...
  std::string ns;          // namespace; '/' separates its segments ("@angular", "google.golang.org")
  std::string name;
  std::string version;     // empty: no version
  std::vector<std::pair<std::string, std::string>> qualifiers;  // any order; empty values are dropped
  std::string subpath;     // '/' separates its segments
};

// Percent-encodes one component (or one segment): everything except ASCII letters, digits, ".-_~"
// and ':' becomes %XX (uppercase hex) of its UTF-8 bytes.
std::string PurlPercentEncode(std::string_view s);

// Parses a purl string (syntax only: type lowercased, components percent-decoded, namespace segments
// joined with '/', empty segments and empty qualifier values dropped, qualifier keys lowercased, the
// subpath dropped). nullopt when it is not a purl. No type-specific folding: callers that compare
// names apply the purl type's rules (core/ecosystem.h PurlRules).
std::optional<PurlParts> ParsePurl(std::string_view s);

// The canonical purl string. An empty type or name gives "" (not a purl).
std::string BuildPurl(PurlParts parts);

// The purl of an installed package, given the OS it was found in (when known):
//   apk  -> pkg:apk/<os family>/<name>@<version>?arch=<arch>&distro=<os version>
//   dpkg -> pkg:deb/<os family>/<name>@<version without epoch>?arch=<arch>&distro=<family>-<version>
//           [&epoch=N]
//   rpm  -> pkg:rpm/<os family>/<name>@<version>-<release>?arch=<arch>&distro=<family>-<version>
//           [&epoch=N]
//   any other type -> pkg:generic/<name>@<version>
std::string Purl(const Package& pkg, const std::optional<OSInfo>& os);

}  // namespace customs
