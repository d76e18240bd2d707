// Helpers the reporters share: targets (packages grouped per type, in a stable order), layer lookup,
// deterministic identifiers, and SPDX license expressions.
#pragma once

#include <map>
#include <memory>  // before reporter.h, which uses std::unique_ptr without including it
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/types.h"
#include "reporters/reporter.h"

namespace customs::report {

// "container_image", "rootfs", "filesystem".
std::string_view ArtifactTypeName(ArtifactType t);

// "<artifact name> (<os family> <os version>)", or the artifact name when the OS is unknown.
std::string TargetName(const Inventory& inv);

// What one target of the report holds: the OS packages of one package type ("os-pkgs"), or the
// language packages of one file or of one ecosystem's installed tree ("lang-pkgs"). Later parts add
// other classes ("secret", "config").
struct Target {
  std::string name;   // TargetName() for OS packages; the file, or the ecosystem (InstalledGroup), for language ones
  std::string cls;    // "os-pkgs", "lang-pkgs"
  std::string type;   // package type: "apk", "dpkg", "rpm", "npm", "pypi", ...
  std::string path;   // language packages of one file (a lockfile, a binary): that file; "" otherwise
  std::vector<const Package*> packages;  // sorted by PackageLess
};

// "os-pkgs" for OS package types (apk, dpkg, rpm), "lang-pkgs" for the others.
std::string_view TargetClass(std::string_view package_type);

// The ecosystem whose installed packages share one target: "Node.js" (node_modules manifests),
// "Python" (dist-info, egg-info), "Ruby" (installed gemspecs), "Java" (jar, war, ear archives); ""
// for packages read from a lockfile or a binary (one target per file) and for OS packages. Each
// installed package is a database of its own (its manifest); the group keeps them together.
std::string_view InstalledGroup(const Package& p);

// Strict weak order on packages: (name, version, arch), then the remaining fields so that the order
// is total and does not depend on the input order.
bool PackageLess(const Package& a, const Package& b);

// The inventory's packages in targets: OS packages one target per package type; language packages
// one per InstalledGroup and type, or else one per file and type. Sorted by class ("os-pkgs" first),
// type, then groups before files, by name.
std::vector<Target> BuildTargets(const Inventory& inv);

// The layer that introduced `pkg`, or nullptr when unknown.
const LayerInfo* LayerOf(const Inventory& inv, const Package& pkg);

// "sha256:0123456789abcdef..." -> "0123456789ab" (the digest without algorithm, cut to n).
std::string ShortDigest(std::string_view digest, size_t n = 12);

// Hex SHA-256 (no "sha256:" prefix) over everything that distinguishes one report from another:
// tool version, scan time, artifact identity, OS, layers and packages. Equal inputs, equal hashes.
std::string ContentHash(const ScanResult& result);

// An RFC 4122 version-4-shaped UUID ("xxxxxxxx-xxxx-4xxx-[89ab]xxx-xxxxxxxxxxxx") taken from the
// first 32 hex digits of `hex`, with the version and variant bits set.
std::string UuidFromHex(std::string_view hex);

// Hex SHA-256 of a string (no prefix).
std::string HexSha256(std::string_view s);

// A Package::depends entry of a language package: "name" or "name@version", split at the last '@'
// that is not the first character (core/types.h).
struct DependsEntry {
  std::string name;
  std::string version;  // "" when the entry names no version
};
DependsEntry SplitDepends(std::string_view entry);

// The packages `pkg.depends` names, among the packages it was built with.
//   OS packages: packages of the same type whose name is a depends entry (exact name, or the name
//   before a ":<arch>" suffix). When several packages have that name, those of `pkg`'s architecture
//   (or of none: "all", "noarch") win if there are any.
//   Language packages: only packages of the same report target (BuildTargets), the name compared as
//   the registry does (PEP 503 for pypi, case-insensitive for nuget and composer). "name@version":
//   the packages of that version; when there are several copies (the same version installed in
//   several node_modules trees), the ones visible from `pkg`'s directory, nearest first. "name": the
//   package of that name when there is exactly one, none when several (no edge rather than a wrong
//   one).
// The result is in `all`'s order and has no duplicates; `pkg` itself is left out.
class DependencyIndex {
 public:
  explicit DependencyIndex(const std::vector<const Package*>& all);
  std::vector<const Package*> Resolve(const Package& pkg) const;

 private:
  using Entries = std::vector<std::pair<size_t, const Package*>>;
  std::vector<std::pair<size_t, const Package*>> ResolveOs(const Package& pkg) const;
  std::vector<std::pair<size_t, const Package*>> ResolveLang(const Package& pkg) const;
  std::map<std::pair<std::string, std::string>, Entries> by_name_;  // OS: (type, name)
  std::map<std::pair<std::string, std::string>, Entries> by_target_name_;  // language: (target key, name key)
};

// The packages of a language target the application (the project the target describes) depends on:
// the project itself when the analyzer reports it as a package (extra "root" or "main" = "true"),
// otherwise the packages the analyzer marks direct (extra "direct" = "true"), otherwise the packages
// no other package of the target depends on. In the target's order.
std::vector<const Package*> TargetRoots(const Target& t, const DependencyIndex& index);

// ---- Secret findings ----

// Whether a report shows `f` (standing, or suppressed under show_suppressed).
bool ShownSecret(const ReportOptions& opts, const SecretFinding& f);
// The secret as reports print it: masked ("AKIA****************") unless show_secrets.
std::string SecretText(const SecretFinding& f, const ReportOptions& opts);
// The snippet with every occurrence of the secret masked (unless show_secrets).
std::string SecretSnippet(const SecretFinding& f, const ReportOptions& opts);
// "deleted in layer 4" / "replaced in layer 4" (1-based, as people count), or "".
std::string SecretRemoval(const SecretFinding& f);
// Shown secrets grouped per file (or image-config part), in result order.
std::vector<std::pair<std::string, std::vector<const SecretFinding*>>> SecretsByPath(const ScanResult& r,
                                                                                      const ReportOptions& opts);

// ---- Misconfiguration findings ----

// Whether a report shows `f` (standing, or suppressed under show_suppressed).
bool ShownMisconfig(const ReportOptions& opts, const MisconfigFinding& f);
// One report target per checked configuration file (every file of r.misconfig_targets, findings or
// not, plus any file a finding names that is not among them), with its shown findings in result order.
struct MisconfigGroup {
  std::string path, kind;
  int layer = -1;
  int checks = 0;                              // checks run on the file
  std::vector<const MisconfigFinding*> findings;  // shown ones
  size_t failed_checks = 0;                    // distinct checks with a standing finding in the file
};
std::vector<MisconfigGroup> MisconfigsByFile(const ScanResult& r, const ReportOptions& opts);

// ---- Vulnerability findings ----

// "fixed", "affected", "will_not_fix", "not_affected", "unknown".
std::string_view FixStatusName(FixStatus s);

// The package a finding is about; nullptr when its package_index is out of range.
const Package* PackageOf(const Inventory& inv, const VulnFinding& f);

// Whether a report shows `f`: standing findings always, suppressed ones only under
// opts.show_suppressed; never a finding whose package_index does not name a package.
bool Shown(const ScanResult& r, const ReportOptions& opts, const VulnFinding& f);

// The shown findings of each package (keyed by the package's address in r.inventory.packages),
// each list sorted by FindingLess.
std::map<const Package*, std::vector<const VulnFinding*>> FindingsByPackage(const ScanResult& r,
                                                                              const ReportOptions& opts);

// Total order on findings of one package: id, then the remaining fields that tell them apart.
bool FindingLess(const VulnFinding& a, const VulnFinding& b);
// Severity descending, then FindingLess (the table's order).
bool FindingMoreSevere(const VulnFinding& a, const VulnFinding& b);

// Counts per severity of the standing (not suppressed) findings among `fs`, indexed by
// static_cast<int>(Severity).
struct SeverityCounts {
  size_t by_severity[6] = {0, 0, 0, 0, 0, 0};
  size_t total = 0;
  size_t suppressed = 0;  // suppressed findings among `fs` (not in the counts above)
  size_t operator[](Severity s) const { return by_severity[static_cast<int>(s)]; }
};
SeverityCounts CountFindings(const std::vector<const VulnFinding*>& fs);
// The same over a whole artifact: a (vulnerability, package, version) that several targets show
// counts once (policy's FindingCountKey), as the gates count it.
SeverityCounts CountFindingsOnce(const ScanResult& r, const std::vector<const VulnFinding*>& fs);
// Risk score descending, then FindingMoreSevere (--sort risk).
bool FindingRiskier(const VulnFinding& a, const VulnFinding& b);
// Standing misconfigurations per severity (indexed as SeverityCounts), suppressed ones counted apart.
SeverityCounts CountMisconfigs(const ScanResult& r);

// The severities, highest first (CRITICAL, HIGH, MEDIUM, LOW, NONE, UNKNOWN).
const std::vector<Severity>& SeveritiesDescending();

// The CVSS entry that stands for the finding's severity: the one from the severity's source when
// there is one (newest CVSS version first), otherwise the newest version; nullptr when none.
const CvssEntry* PrimaryCvss(const VulnFinding& f);

// An absolute http(s) URL without spaces or characters that URI references forbid (references from
// feeds are mostly such URLs; the others are left out where a format requires a URI).
bool IsHttpUrl(std::string_view s);

// ---- SPDX license expressions (SPDX 2.3 Annex D) ----

// The SPDX License List identifier that `id` matches (case-insensitively), or "" when it is not one
// customs knows. The known set is the licenses found in distribution package databases; every one is
// on the SPDX License List.
std::string_view KnownSpdxLicenseId(std::string_view id);
std::string_view KnownSpdxExceptionId(std::string_view id);
// Every identifier KnownSpdxLicenseId/KnownSpdxExceptionId accept, in their canonical spelling.
const std::vector<std::string_view>& KnownSpdxIds();

// A license string from a package database, read as an SPDX license expression.
struct License {
  std::string text;        // as the database wrote it
  bool parsed = false;     // syntactically an SPDX license expression
  bool known = false;      // parsed, and every identifier is on the SPDX License List (or a LicenseRef-)
  bool compound = false;   // parsed and has an operator (AND, OR, WITH) or parentheses
  std::string single_id;   // known && !compound: the canonical identifier (may end in '+')
  // A valid SPDX expression for `text`: the normalized expression when known, otherwise with every
  // unknown identifier (or the whole text, when it does not parse) replaced by a LicenseRef-.
  std::string spdx;
  // LicenseRef- identifiers `spdx` introduced, each with the text it stands for.
  std::vector<std::pair<std::string, std::string>> refs;
};

License ParseLicense(std::string_view text);

// "LicenseRef-<text made an idstring>": characters outside [A-Za-z0-9.-] become '-', and when that
// changed the text, a short hash of the original keeps distinct texts apart.
std::string LicenseRefFor(std::string_view text);

// An idstring for SPDX identifiers: letters, digits, '.', '-'; everything else becomes '-'.
std::string SpdxIdString(std::string_view s);

}  // namespace customs::report
