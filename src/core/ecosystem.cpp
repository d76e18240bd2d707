#include "core/ecosystem.h"

namespace customs::ecosystem {

namespace {

// One line per package type the analyzers emit. Folding follows the registries' specifications:
// - PyPI: PEP 503 (runs of '-', '_', '.' are one '-', case-insensitive);
// - Packagist: "vendor/package" is lowercase by Composer's schema, and Packagist finds packages
//   case-insensitively; NuGet: package ids are case-insensitive (ASCII; the id grammar is ASCII);
// - crates.io: the registry is case-insensitive with '-' and '_' equivalent (CratesNormalize); both
//   the OSV crates.io records and the RustSec feed store db::NormalizePackage's key.
// - npm: exact (new names must be lowercase, but legacy mixed-case names such as "JSONStream" are
//   other packages than their lowercase spelling); Go module paths: exact (the module proxy's
//   "!"-case-encoding exists because "github.com/BurntSushi/toml" and ".../burntsushi/toml" are
//   different modules); Maven "groupId:artifactId": exact, as repository paths are; RubyGems: exact
//   (gem and Bundler resolve names byte for byte); distro packages: exact.
constexpr Ecosystem kTable[] = {
    // type, osv name, scheme, folding, db key, purl type, purl namespace split, os, by source
    {"apk", "", Scheme::kApk, Folding::kExact, DbKey::kOsRelease, "apk", 0, true, true},
    {"dpkg", "", Scheme::kDpkg, Folding::kExact, DbKey::kOsRelease, "deb", 0, true, true},
    {"rpm", "", Scheme::kRpm, Folding::kExact, DbKey::kOsRelease, "rpm", 0, true, false},
    {"npm", "npm", Scheme::kNpm, Folding::kExact, DbKey::kOsv, "npm", '/', false, false},
    {"pypi", "PyPI", Scheme::kPep440, Folding::kPep503, DbKey::kOsv, "pypi", 0, false, false},
    {"golang", "Go", Scheme::kGo, Folding::kExact, DbKey::kOsv, "golang", '/', false, false},
    {"cargo", "crates.io", Scheme::kSemver, Folding::kCrates, DbKey::kOsv, "cargo", 0, false, false},
    {"maven", "Maven", Scheme::kMaven, Folding::kExact, DbKey::kOsv, "maven", ':', false, false},
    {"gem", "RubyGems", Scheme::kRubygems, Folding::kExact, DbKey::kOsv, "gem", 0, false, false},
    {"composer", "Packagist", Scheme::kComposer, Folding::kLowerAscii, DbKey::kOsv, "composer", '/', false, false},
    {"nuget", "NuGet", Scheme::kNuget, Folding::kLowerAscii, DbKey::kOsv, "nuget", 0, false, false},
};

// The OSV ecosystems whose versions customs orders: the language ecosystems of kTable, and the
// distributions that publish OSV records.
constexpr OsvName kOsvNames[] = {
    {"Alpine", Scheme::kApk},       {"Wolfi", Scheme::kApk},         {"Chainguard", Scheme::kApk},
    {"Debian", Scheme::kDpkg},      {"Ubuntu", Scheme::kDpkg},       {"Red Hat", Scheme::kRpm},
    {"Rocky Linux", Scheme::kRpm},  {"AlmaLinux", Scheme::kRpm},     {"openSUSE", Scheme::kRpm},
    {"SUSE", Scheme::kRpm},         {"openEuler", Scheme::kRpm},     {"crates.io", Scheme::kSemver},
    {"npm", Scheme::kNpm},          {"PyPI", Scheme::kPep440},       {"Go", Scheme::kGo},
    {"Maven", Scheme::kMaven},      {"RubyGems", Scheme::kRubygems}, {"Packagist", Scheme::kComposer},
    {"NuGet", Scheme::kNuget},
};

// OSV ecosystems the database keeps in their canonical spelling though customs has no packages
// (or no version order) for them; the OS distributions get per-release keys in db/schema.cpp.
constexpr std::string_view kOtherOsv[] = {"Pub", "Hex", "Hackage", "CRAN", "SwiftURL", "GitHub Actions", "Bitnami"};

constexpr PurlType kPurlTypes[] = {
    // type        lower ns  lower name  pep503  match: lower ns  lower name
    {"apk", true, true, false, true, true},
    {"deb", true, true, false, true, true},
    {"rpm", true, false, false, true, false},  // the vendor is case-insensitive; the RPM name is not
    {"github", true, true, false, true, true},
    {"bitbucket", true, true, false, true, true},
    {"composer", true, true, false, true, true},
    {"pypi", false, false, true, true, true},
    {"npm", false, false, false, true, false},
    {"golang", false, false, false, true, false},
};

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (Lower(a[i]) != Lower(b[i])) return false;
  return true;
}

}  // namespace

std::string_view SchemeId(Scheme s) {
  switch (s) {
    case Scheme::kApk: return "apk";
    case Scheme::kDpkg: return "dpkg";
    case Scheme::kRpm: return "rpm";
    case Scheme::kSemver: return "semver";
    case Scheme::kNpm: return "npm";
    case Scheme::kPep440: return "pep440";
    case Scheme::kGo: return "go";
    case Scheme::kMaven: return "maven";
    case Scheme::kRubygems: return "rubygems";
    case Scheme::kComposer: return "composer";
    case Scheme::kNuget: return "nuget";
  }
  return "";
}

std::span<const Ecosystem> All() { return kTable; }

const Ecosystem* ForType(std::string_view type) {
  for (const auto& e : kTable)
    if (e.type == type) return &e;
  return nullptr;
}

std::span<const OsvName> OsvNames() { return kOsvNames; }

std::string_view CanonicalOsvName(std::string_view name) {
  for (const auto& e : kOsvNames)
    if (EqualsIgnoreCase(name, e.name)) return e.name;
  for (std::string_view n : kOtherOsv)
    if (EqualsIgnoreCase(name, n)) return n;
  return "";
}

const PurlType* PurlRules(std::string_view purl_type) {
  for (const auto& p : kPurlTypes)
    if (p.type == purl_type) return &p;
  return nullptr;
}

std::string Pep503Normalize(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  bool in_run = false;
  for (char c : name) {
    if (c == '-' || c == '_' || c == '.') {
      if (!in_run) out.push_back('-');
      in_run = true;
    } else {
      out.push_back(Lower(c));
      in_run = false;
    }
  }
  return out;
}

std::string CratesNormalize(std::string_view name) {
  std::string out(name);
  for (char& c : out) c = c == '-' ? '_' : Lower(c);
  return out;
}

std::string LowerAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = Lower(c);
  return out;
}

std::string Fold(Folding f, std::string_view name) {
  switch (f) {
    case Folding::kExact: return std::string(name);
    case Folding::kLowerAscii: return LowerAscii(name);
    case Folding::kPep503: return Pep503Normalize(name);
    case Folding::kCrates: return CratesNormalize(name);
  }
  return std::string(name);
}

std::string FoldName(std::string_view type, std::string_view name) {
  const Ecosystem* e = ForType(type);
  return Fold(e ? e->folding : Folding::kExact, name);
}

}  // namespace customs::ecosystem
