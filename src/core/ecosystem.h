// THE package-type table: for every Package::type the analyzers produce, its OSV ecosystem name,
// version scheme, name folding, purl type and namespace rule, and database key. Every other place
// (detectors, db builder and matcher, version registry, purl builder and matcher, reporters,
// analyzers' lockfile indexes) reads these rules here rather than writing its own copy.
//
// core includes nothing outside core: the version scheme is named by enum; version/ maps a scheme
// to its comparator (version::ComparatorFor(ecosystem::Scheme)).
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace customs::ecosystem {

// Version schemes; SchemeId() gives the id version/list.inc registers the comparator under.
enum class Scheme { kApk, kDpkg, kRpm, kSemver, kNpm, kPep440, kGo, kMaven, kRubygems, kComposer, kNuget };
inline constexpr Scheme kAllSchemes[] = {Scheme::kApk,    Scheme::kDpkg,  Scheme::kRpm,      Scheme::kSemver,
                                         Scheme::kNpm,    Scheme::kPep440, Scheme::kGo,      Scheme::kMaven,
                                         Scheme::kRubygems, Scheme::kComposer, Scheme::kNuget};
std::string_view SchemeId(Scheme s);  // "apk", "dpkg", ..., "pep440", "nuget"

// How the ecosystem's registry compares package names: names that fold to the same key are one
// package (the database key, lockfile indexes, the reporters' dependency keys).
enum class Folding {
  kExact,       // byte for byte (npm, Go, Maven, RubyGems, distro packages)
  kLowerAscii,  // ASCII case-insensitive (Packagist, NuGet)
  kPep503,      // PyPI: Pep503Normalize
  kCrates,      // crates.io: CratesNormalize
};

// Where the database's `affected.ecosystem` key of a package comes from.
enum class DbKey {
  kOsv,        // the OSV ecosystem name itself ("PyPI", "Go", "crates.io")
  kOsRelease,  // "<family>:<release>" of the scanned OS ("debian:bullseye", "alpine:v3.18")
};

struct Ecosystem {
  std::string_view type;       // Package::type: "pypi"
  std::string_view osv;        // OSV ecosystem name ("PyPI"); "" for OS packages (per distribution)
  Scheme scheme;               // version order
  Folding folding;             // name comparison
  DbKey db_key;                // database ecosystem key
  std::string_view purl_type;  // "pypi", "deb"
  // The purl namespace is the name up to the last occurrence of this character ("@babel/core",
  // "org.slf4j:slf4j-api", "github.com/foo/bar", "symfony/console"); 0: no namespace from the name
  // (OS packages take the distribution as namespace).
  char purl_ns_split;
  bool os;  // an OS package (matched by os_vulns), else an application package (lang_vulns)
  // OS packages: the distribution publishes advisories by source package (Debian's source, Alpine's
  // origin) rather than by binary package name (rpm distributions).
  bool by_source;
};

// Every package type, in table order.
std::span<const Ecosystem> All();
// The entry of a Package::type; nullptr for types without one (pkg:generic, not matched).
const Ecosystem* ForType(std::string_view type);

// OSV ecosystem names (without release suffix) and the scheme their versions use: the language
// ecosystems above and the distributions publishing OSV ("Alpine", "Wolfi", "Red Hat", ...).
struct OsvName {
  std::string_view name;
  Scheme scheme;
};
std::span<const OsvName> OsvNames();
// Canonical spelling of an OSV ecosystem name matched ASCII case-insensitively (also the ones
// customs has no packages for: "Pub", "Hex", ...), or "" when it is not one customs knows.
std::string_view CanonicalOsvName(std::string_view name);

// Name rules the purl specification gives per purl type (PURL-TYPES), used to build canonical purls
// and to compare purl patterns with package purls.
struct PurlType {
  std::string_view type;
  bool lower_namespace;  // canonical form lowercases the namespace
  bool lower_name;       // ... and the name
  bool pep503_name;      // the name is PEP 503-normalized (pypi)
  // Comparison of patterns (ignore files, VEX) with package purls also folds these, as the
  // registries treat them case-insensitively though the canonical form keeps their case.
  bool match_lower_namespace;
  bool match_lower_name;
};
// nullptr for types without rules (names kept as given).
const PurlType* PurlRules(std::string_view purl_type);

// PEP 503 / packaging's canonicalize_name: every run of '-', '_' and '.' becomes one '-', ASCII
// letters are lowercased (locale-free; other bytes are kept). Leading and trailing separators are
// not stripped, as canonicalize_name does not strip them ("-Foo_" -> "-foo-").
std::string Pep503Normalize(std::string_view name);
// crates.io's canonical crate name (crates.io `canon_crate_name`): ASCII lowercase with every '-'
// written '_'. The registry refuses a crate whose canonical name another crate has ("Foo-bar" when
// "foo_bar" exists), so names equal under it are one crate; Cargo resolves them the same way.
std::string CratesNormalize(std::string_view name);
// ASCII lowercase, locale-free.
std::string LowerAscii(std::string_view s);
// `name` folded the way `f` says.
std::string Fold(Folding f, std::string_view name);
// The name key of `type` (the type's folding; unknown types: exact).
std::string FoldName(std::string_view type, std::string_view name);

}  // namespace customs::ecosystem
