#include "reporters/common.h"

#include "secrets/rule.h"

#include <algorithm>
#include <cstdio>
#include <set>
#include <tuple>
#include <unordered_map>

#include "core/ecosystem.h"
#include "core/sha256.h"
#include "findings/risk.h"
#include "policy/policy.h"

namespace customs::report {

namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

bool IsIdChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
}

bool IsIdString(std::string_view s) { return !s.empty() && std::all_of(s.begin(), s.end(), IsIdChar); }

bool IsOsPackageType(std::string_view t) { return t == "apk" || t == "dpkg" || t == "rpm"; }

// Length-prefixed fields, so that no two different field lists hash alike.
void Field(Sha256& h, std::string_view s) {
  h.Update(std::to_string(s.size()));
  h.Update(":");
  h.Update(s);
}

std::string StripAlgo(std::string digest) {
  if (digest.rfind("sha256:", 0) == 0) digest.erase(0, 7);
  return digest;
}

}  // namespace

std::string_view ArtifactTypeName(ArtifactType t) {
  switch (t) {
    case ArtifactType::kContainerImage: return "container_image";
    case ArtifactType::kRootfs: return "rootfs";
    case ArtifactType::kFilesystem: return "filesystem";
  }
  return "filesystem";
}

std::string TargetName(const Inventory& inv) {
  if (!inv.os || inv.os->family.empty()) return inv.artifact.name;
  std::string os = inv.os->family;
  if (!inv.os->version.empty()) os += " " + inv.os->version;
  return inv.artifact.name + " (" + os + ")";
}

std::string_view TargetClass(std::string_view package_type) {
  return IsOsPackageType(package_type) ? "os-pkgs" : "lang-pkgs";
}

bool PackageLess(const Package& a, const Package& b) {
  return std::tie(a.name, a.version, a.arch, a.type, a.db_path, a.layer, a.src_name, a.src_version) <
         std::tie(b.name, b.version, b.arch, b.type, b.db_path, b.layer, b.src_name, b.src_version);
}

namespace {

// Installed language packages and the ecosystem target they share: (type, extra key, extra value or
// nullptr for any value, group). The extra fields are the ones the analyzers set on installed packages.
struct GroupRule {
  std::string_view type, key;
  const char* value;
  std::string_view group;
};
constexpr GroupRule kInstalledGroups[] = {
    {"npm", "source", "node_modules", "Node.js"},  // npm_node_modules
    {"pypi", "source", "dist-info", "Python"},     // python_dist
    {"pypi", "source", "egg-info", "Python"},
    {"gem", "source", "gemspec", "Ruby"},          // ruby_bundler, specifications/*.gemspec
    {"maven", "identified_by", nullptr, "Java"},   // java_jar (not gradle.lockfile)
};

// The language target of a package: type and group, or type and file.
std::string LangTargetKey(const Package& p) {
  std::string_view group = InstalledGroup(p);
  return p.type + (group.empty() ? "\nfile\n" + p.db_path : "\ngroup\n" + std::string(group));
}

}  // namespace

std::string_view InstalledGroup(const Package& p) {
  for (const auto& r : kInstalledGroups) {
    if (p.type != r.type) continue;
    auto it = p.extra.find(std::string(r.key));
    if (it != p.extra.end() && (!r.value || it->second == r.value)) return r.group;
  }
  return {};
}

std::vector<Target> BuildTargets(const Inventory& inv) {
  // OS packages: one target per package type, named after the artifact and its OS. Application
  // packages: one target per file they were read from (a lockfile, a binary), named by that path;
  // installed packages (each read from its own manifest) one per ecosystem, named after it.
  // Key: (class, type, 0 for a group / 1 for a file, group or file).
  std::map<std::tuple<std::string, std::string, int, std::string>, Target> by_key;
  for (const auto& p : inv.packages) {
    std::string cls(TargetClass(p.type));
    const bool os = cls == "os-pkgs";
    const std::string_view group = os ? std::string_view() : InstalledGroup(p);
    const int kind = group.empty() ? 1 : 0;
    auto& t = by_key[{cls, p.type, kind, os ? std::string() : group.empty() ? p.db_path : std::string(group)}];
    if (t.packages.empty()) {
      t.name = !group.empty() ? std::string(group) : os || p.db_path.empty() ? TargetName(inv) : p.db_path;
      t.cls = cls;
      t.type = p.type;
      if (!os && group.empty()) t.path = p.db_path;
    }
    t.packages.push_back(&p);
  }
  std::vector<Target> out;
  // "os-pkgs" before "lang-pkgs": OS packages first, as the report reads top-down.
  for (std::string_view cls : {"os-pkgs", "lang-pkgs"})
    for (auto& [key, t] : by_key)
      if (std::get<0>(key) == cls) out.push_back(std::move(t));
  for (auto& t : out)
    std::stable_sort(t.packages.begin(), t.packages.end(),
                     [](const Package* a, const Package* b) { return PackageLess(*a, *b); });
  return out;
}

const LayerInfo* LayerOf(const Inventory& inv, const Package& pkg) {
  if (pkg.layer < 0) return nullptr;
  for (const auto& l : inv.layers)
    if (l.index == pkg.layer) return &l;
  return nullptr;
}

std::string ShortDigest(std::string_view digest, size_t n) {
  std::string d = StripAlgo(std::string(digest));
  if (d.size() > n) d.resize(n);
  return d;
}

std::string HexSha256(std::string_view s) { return StripAlgo(Sha256::Of(s)); }

std::string ContentHash(const ScanResult& r) {
  const Inventory& inv = r.inventory;
  Sha256 h;
  Field(h, "customs-report-v1");
  Field(h, r.tool_version);
  Field(h, r.scanned_at);
  const Artifact& a = inv.artifact;
  Field(h, ArtifactTypeName(a.type));
  Field(h, a.name);
  Field(h, a.image_id);
  Field(h, a.manifest_digest);
  for (const auto& t : a.repo_tags) Field(h, t);
  Field(h, "|");
  for (const auto& d : a.repo_digests) Field(h, d);
  Field(h, "|");
  if (inv.os) {
    Field(h, inv.os->family);
    Field(h, inv.os->version);
  }
  Field(h, "|");
  for (const auto& l : inv.layers) Field(h, l.diff_id);
  Field(h, "|");
  std::vector<const Package*> pkgs;
  for (const auto& p : inv.packages) pkgs.push_back(&p);
  std::stable_sort(pkgs.begin(), pkgs.end(), [](const Package* x, const Package* y) { return PackageLess(*x, *y); });
  for (const Package* p : pkgs) {
    Field(h, p->type);
    Field(h, p->name);
    Field(h, p->version);
    Field(h, p->arch);
    Field(h, p->db_path);
    Field(h, std::to_string(p->layer));
  }
  return StripAlgo(h.Digest());
}

std::string UuidFromHex(std::string_view hex) {
  std::string h(hex.substr(0, 32));
  h.resize(32, '0');
  static const char* kHex = "0123456789abcdef";
  auto nibble = [](char c) -> int { return c >= 'a' ? c - 'a' + 10 : (c >= 'A' ? c - 'A' + 10 : c - '0'); };
  h[12] = '4';                                  // version 4
  h[16] = kHex[(nibble(h[16]) & 0x3) | 0x8];    // variant 10xx
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) + "-" +
         h.substr(20, 12);
}

DependsEntry SplitDepends(std::string_view entry) {
  const size_t at = entry.rfind('@');
  if (at == std::string_view::npos || at == 0) return {std::string(entry), ""};
  return {std::string(entry.substr(0, at)), std::string(entry.substr(at + 1))};
}

namespace {

// A name as the registry compares names (core/ecosystem.h): PEP 503 for pypi ("Foo.Bar_baz" ->
// "foo-bar-baz"), case-insensitive for nuget and composer, exact for the others.
std::string NameKey(const std::string& type, std::string_view name) { return ecosystem::FoldName(type, name); }

// The directory a package installed in a node_modules tree is visible from: everything before its
// last "node_modules/" component ("app/node_modules/a/node_modules/b/package.json" -> "app/node_modules/a/").
// "" (visible from everywhere) for packages not installed in such a tree.
std::string_view InstallScope(std::string_view db_path) {
  size_t pos = std::string_view::npos;
  if (db_path.starts_with("node_modules/")) pos = 0;
  for (size_t p = db_path.find("/node_modules/"); p != std::string_view::npos; p = db_path.find("/node_modules/", p + 1))
    pos = p + 1;
  return pos == std::string_view::npos ? std::string_view() : db_path.substr(0, pos);
}

}  // namespace

DependencyIndex::DependencyIndex(const std::vector<const Package*>& all) {
  for (size_t i = 0; i < all.size(); ++i) {
    const Package* p = all[i];
    if (IsOsPackageType(p->type))
      by_name_[{p->type, p->name}].emplace_back(i, p);
    else
      by_target_name_[{LangTargetKey(*p), NameKey(p->type, p->name)}].emplace_back(i, p);
  }
}

std::vector<const Package*> DependencyIndex::Resolve(const Package& pkg) const {
  std::vector<std::pair<size_t, const Package*>> found = IsOsPackageType(pkg.type) ? ResolveOs(pkg) : ResolveLang(pkg);
  std::sort(found.begin(), found.end());
  found.erase(std::unique(found.begin(), found.end()), found.end());
  std::vector<const Package*> out;
  for (const auto& [idx, p] : found) out.push_back(p);
  return out;
}

std::vector<std::pair<size_t, const Package*>> DependencyIndex::ResolveOs(const Package& pkg) const {
  std::vector<std::pair<size_t, const Package*>> found;
  for (const auto& dep : pkg.depends) {
    auto it = by_name_.find({pkg.type, dep});
    if (it == by_name_.end()) {
      size_t colon = dep.find(':');
      if (colon != std::string::npos) it = by_name_.find({pkg.type, dep.substr(0, colon)});
    }
    if (it == by_name_.end()) continue;
    // Several packages of that name (multilib: glibc.x86_64 and glibc.i686): the ones of the same
    // architecture (or architecture-independent) when there are any.
    auto compatible = [&](const Package* p) {
      return p->arch == pkg.arch || p->arch == "all" || p->arch == "noarch" || pkg.arch.empty() || p->arch.empty();
    };
    bool any_compatible = std::any_of(it->second.begin(), it->second.end(),
                                      [&](const auto& e) { return e.second != &pkg && compatible(e.second); });
    for (const auto& [idx, p] : it->second)
      if (p != &pkg && (!any_compatible || compatible(p))) found.emplace_back(idx, p);
  }
  return found;
}

std::vector<std::pair<size_t, const Package*>> DependencyIndex::ResolveLang(const Package& pkg) const {
  std::vector<std::pair<size_t, const Package*>> found;
  const std::string target = LangTargetKey(pkg);
  for (const auto& dep : pkg.depends) {
    DependsEntry d = SplitDepends(dep);
    auto it = by_target_name_.find({target, NameKey(pkg.type, d.name)});
    if (it == by_target_name_.end()) continue;
    Entries cands;
    for (const auto& e : it->second)
      if (e.second != &pkg && (d.version.empty() || e.second->version == d.version)) cands.push_back(e);
    if (d.version.empty()) {
      if (cands.size() == 1) found.push_back(cands[0]);  // several: ambiguous, no edge
      continue;
    }
    if (cands.size() > 1) {
      // The same version installed at several places: the copies `pkg` can see, the nearest ones.
      Entries visible;
      size_t best = 0;
      for (const auto& e : cands) {
        std::string_view scope = InstallScope(e.second->db_path);
        if (!std::string_view(pkg.db_path).starts_with(scope)) continue;
        if (visible.empty() || scope.size() > best) {
          visible.clear();
          best = scope.size();
        }
        if (scope.size() == best) visible.push_back(e);
      }
      if (!visible.empty()) cands = std::move(visible);
    }
    found.insert(found.end(), cands.begin(), cands.end());
  }
  return found;
}

std::vector<const Package*> TargetRoots(const Target& t, const DependencyIndex& index) {
  auto marked = [&](std::initializer_list<const char*> keys) {
    std::vector<const Package*> out;
    for (const Package* p : t.packages)
      for (const char* key : keys) {
        auto it = p->extra.find(key);
        if (it != p->extra.end() && it->second == "true") {
          out.push_back(p);
          break;
        }
      }
    return out;
  };
  std::vector<const Package*> roots = marked({"root", "main"});
  if (roots.empty()) roots = marked({"direct"});
  if (!roots.empty()) return roots;
  std::set<const Package*> depended;
  for (const Package* p : t.packages)
    for (const Package* d : index.Resolve(*p)) depended.insert(d);
  for (const Package* p : t.packages)
    if (!depended.count(p)) roots.push_back(p);
  return roots;
}

// ---- Secret findings ----

bool ShownSecret(const ReportOptions& opts, const SecretFinding& f) {
  return f.suppressed_by.empty() || opts.show_suppressed;
}

std::string SecretText(const SecretFinding& f, const ReportOptions& opts) {
  return opts.show_secrets ? f.secret : secrets::Mask(f.secret);
}

std::string SecretSnippet(const SecretFinding& f, const ReportOptions& opts) {
  std::string s = f.snippet;
  if (opts.show_secrets || f.secret.empty()) return s;
  const std::string masked = secrets::Mask(f.secret);
  for (size_t at = s.find(f.secret); at != std::string::npos; at = s.find(f.secret, at + masked.size()))
    s.replace(at, f.secret.size(), masked);
  return s;
}

std::string SecretRemoval(const SecretFinding& f) {
  if (f.removed_in_layer < 0) return "";
  return std::string(f.replaced ? "replaced" : "deleted") + " in layer " + std::to_string(f.removed_in_layer + 1);
}

std::vector<std::pair<std::string, std::vector<const SecretFinding*>>> SecretsByPath(const ScanResult& r,
                                                                                      const ReportOptions& opts) {
  std::vector<std::pair<std::string, std::vector<const SecretFinding*>>> out;
  std::map<std::string, size_t> at;
  for (const auto& f : r.secrets) {
    if (!ShownSecret(opts, f)) continue;
    auto [it, fresh] = at.emplace(f.path, out.size());
    if (fresh) out.push_back({f.path, {}});
    out[it->second].second.push_back(&f);
  }
  return out;
}

// ---- Misconfiguration findings ----

bool ShownMisconfig(const ReportOptions& opts, const MisconfigFinding& f) {
  return f.suppressed_by.empty() || opts.show_suppressed;
}

std::vector<MisconfigGroup> MisconfigsByFile(const ScanResult& r, const ReportOptions& opts) {
  std::vector<MisconfigGroup> out;
  std::map<std::pair<std::string, int>, size_t> at;
  for (const auto& t : r.misconfig_targets) {
    if (!at.emplace(std::make_pair(t.path, t.layer), out.size()).second) continue;
    MisconfigGroup g;
    g.path = t.path;
    g.kind = t.kind;
    g.layer = t.layer;
    g.checks = t.checks;
    out.push_back(std::move(g));
  }
  std::map<size_t, std::set<std::string>> failed;
  for (const auto& f : r.misconfigs) {
    auto [it, fresh] = at.emplace(std::make_pair(f.path, f.layer), out.size());
    if (fresh) {
      MisconfigGroup g;
      g.path = f.path;
      g.kind = f.kind;
      g.layer = f.layer;
      out.push_back(std::move(g));
    }
    if (f.suppressed_by.empty()) failed[it->second].insert(f.check_id);
    if (ShownMisconfig(opts, f)) out[it->second].findings.push_back(&f);
  }
  for (auto& [i, ids] : failed) out[i].failed_checks = ids.size();
  std::stable_sort(out.begin(), out.end(), [](const MisconfigGroup& a, const MisconfigGroup& b) {
    return std::tie(a.path, a.layer) < std::tie(b.path, b.layer);
  });
  return out;
}

SeverityCounts CountMisconfigs(const ScanResult& r) {
  SeverityCounts c;
  for (const auto& f : r.misconfigs) {
    if (!f.suppressed_by.empty()) {
      ++c.suppressed;
      continue;
    }
    ++c.by_severity[static_cast<int>(f.severity)];
    ++c.total;
  }
  return c;
}

// ---- Vulnerability findings ----

std::string_view FixStatusName(FixStatus s) {
  switch (s) {
    case FixStatus::kFixed: return "fixed";
    case FixStatus::kAffected: return "affected";
    case FixStatus::kWillNotFix: return "will_not_fix";
    case FixStatus::kNotAffected: return "not_affected";
    case FixStatus::kUnknown: return "unknown";
  }
  return "unknown";
}

const Package* PackageOf(const Inventory& inv, const VulnFinding& f) {
  return f.package_index < inv.packages.size() ? &inv.packages[f.package_index] : nullptr;
}

bool Shown(const ScanResult& r, const ReportOptions& opts, const VulnFinding& f) {
  if (!PackageOf(r.inventory, f)) return false;
  return f.suppressed_by.empty() || opts.show_suppressed;
}

bool FindingLess(const VulnFinding& a, const VulnFinding& b) {
  return std::tie(a.id, a.installed_version, a.fixed_version, a.source.id, a.severity, a.package_index) <
         std::tie(b.id, b.installed_version, b.fixed_version, b.source.id, b.severity, b.package_index);
}

bool FindingMoreSevere(const VulnFinding& a, const VulnFinding& b) {
  if (a.severity != b.severity) return a.severity > b.severity;
  return FindingLess(a, b);
}

std::map<const Package*, std::vector<const VulnFinding*>> FindingsByPackage(const ScanResult& r,
                                                                              const ReportOptions& opts) {
  std::map<const Package*, std::vector<const VulnFinding*>> out;
  for (const auto& f : r.vulnerabilities)
    if (Shown(r, opts, f)) out[PackageOf(r.inventory, f)].push_back(&f);
  for (auto& [pkg, fs] : out)
    std::stable_sort(fs.begin(), fs.end(), [&](const VulnFinding* a, const VulnFinding* b) {
      return opts.sort_by_risk ? FindingRiskier(*a, *b) : FindingLess(*a, *b);
    });
  return out;
}

bool FindingRiskier(const VulnFinding& a, const VulnFinding& b) {
  const int ra = Risk(a).score, rb = Risk(b).score;
  if (ra != rb) return ra > rb;
  return FindingMoreSevere(a, b);
}

SeverityCounts CountFindingsOnce(const ScanResult& r, const std::vector<const VulnFinding*>& fs) {
  std::set<std::string> seen;
  std::vector<const VulnFinding*> once;
  const auto& pkgs = r.inventory.packages;
  for (const VulnFinding* f : fs)
    if (seen.insert(FindingCountKey(*f, f->package_index < pkgs.size() ? &pkgs[f->package_index] : nullptr)).second)
      once.push_back(f);
  return CountFindings(once);
}

SeverityCounts CountFindings(const std::vector<const VulnFinding*>& fs) {
  SeverityCounts c;
  for (const VulnFinding* f : fs) {
    if (!f->suppressed_by.empty()) {
      ++c.suppressed;
      continue;
    }
    ++c.by_severity[static_cast<int>(f->severity)];
    ++c.total;
  }
  return c;
}

const std::vector<Severity>& SeveritiesDescending() {
  static const std::vector<Severity> kAll = {Severity::kCritical, Severity::kHigh, Severity::kMedium,
                                             Severity::kLow, Severity::kNone, Severity::kUnknown};
  return kAll;
}

const CvssEntry* PrimaryCvss(const VulnFinding& f) {
  const CvssEntry* best = nullptr;
  auto rank = [&](const CvssEntry& e) { return std::make_pair(e.source == f.severity_source, e.version); };
  for (const auto& e : f.cvss)
    if (!e.vector.empty() || e.score > 0)
      if (!best || rank(e) > rank(*best)) best = &e;
  return best;
}

bool IsHttpUrl(std::string_view s) {
  size_t start = s.rfind("https://", 0) == 0 ? 8 : s.rfind("http://", 0) == 0 ? 7 : 0;
  if (start == 0 || s.size() == start) return false;
  for (char c : s)
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f || c == '"' || c == '<' || c == '>' || c == '\\' ||
        c == '^' || c == '`' || c == '{' || c == '|' || c == '}')
      return false;
  return true;
}

// ---- SPDX licenses ----

namespace {

// Identifiers from the SPDX License List that distribution package databases use. Each one is
// checked against the CycloneDX copy of the list by the unit tests.
constexpr std::string_view kLicenseIds[] = {
    "0BSD", "AFL-2.1", "AFL-3.0", "AGPL-3.0", "AGPL-3.0-only", "AGPL-3.0-or-later", "Apache-1.0",
    "Apache-1.1", "Apache-2.0", "APSL-2.0", "Artistic-1.0", "Artistic-1.0-cl8", "Artistic-1.0-Perl",
    "Artistic-2.0", "Beerware", "BitTorrent-1.1", "BlueOak-1.0.0", "BSD-1-Clause", "BSD-2-Clause",
    "BSD-2-Clause-Patent", "BSD-2-Clause-Views", "BSD-3-Clause", "BSD-3-Clause-Clear", "BSD-4-Clause",
    "BSD-4-Clause-UC", "BSD-Source-Code", "BSL-1.0", "bzip2-1.0.6", "CC-BY-3.0", "CC-BY-4.0",
    "CC-BY-SA-3.0", "CC-BY-SA-4.0", "CC-PDDC", "CC0-1.0", "CDDL-1.0", "CDDL-1.1", "CECILL-2.1",
    "ClArtistic", "CPL-1.0", "curl", "ECL-2.0", "EPL-1.0", "EPL-2.0", "EUPL-1.1", "EUPL-1.2", "FSFAP",
    "FSFUL", "FSFULLR", "FTL", "GFDL-1.1-only", "GFDL-1.1-or-later", "GFDL-1.2-only",
    "GFDL-1.2-or-later", "GFDL-1.3-only", "GFDL-1.3-or-later", "GPL-1.0", "GPL-1.0+", "GPL-1.0-only",
    "GPL-1.0-or-later", "GPL-2.0", "GPL-2.0+", "GPL-2.0-only", "GPL-2.0-or-later",
    "GPL-2.0-with-classpath-exception", "GPL-3.0", "GPL-3.0+", "GPL-3.0-only", "GPL-3.0-or-later",
    "HPND", "ICU", "IJG", "Info-ZIP", "IPA", "ISC", "JSON", "LGPL-2.0", "LGPL-2.0+", "LGPL-2.0-only",
    "LGPL-2.0-or-later", "LGPL-2.1", "LGPL-2.1+", "LGPL-2.1-only", "LGPL-2.1-or-later", "LGPL-3.0",
    "LGPL-3.0+", "LGPL-3.0-only", "LGPL-3.0-or-later", "Libpng", "libpng-2.0", "libtiff", "LPPL-1.3c",
    "MirOS", "MIT", "MIT-0", "MIT-CMU", "MPL-1.0", "MPL-1.1", "MPL-2.0", "MPL-2.0-no-copyleft-exception",
    "MS-PL", "MS-RL", "NCSA", "Net-SNMP", "NTP", "OFL-1.1", "OLDAP-2.8", "OpenSSL", "OSL-3.0", "PHP-3.0",
    "PHP-3.01", "PostgreSQL", "PSF-2.0", "Python-2.0", "Qhull", "Ruby", "Sendmail", "SGI-B-2.0",
    "Sleepycat", "SSPL-1.0", "TCL", "Unicode-3.0", "Unicode-DFS-2016", "Unlicense", "UPL-1.0", "Vim",
    "W3C", "WTFPL", "X11", "XFree86-1.1", "Zlib", "zlib-acknowledgement", "ZPL-2.1",
};

constexpr std::string_view kExceptionIds[] = {
    "Autoconf-exception-2.0", "Autoconf-exception-3.0", "Bison-exception-2.2", "Classpath-exception-2.0",
    "Font-exception-2.0", "GCC-exception-2.0", "GCC-exception-3.1", "GPL-3.0-linking-exception",
    "LGPL-3.0-linking-exception", "Libtool-exception", "Linux-syscall-note", "LLVM-exception",
    "OpenJDK-assembly-exception-1.0", "openvpn-openssl-exception", "Qt-GPL-exception-1.0",
    "Qt-LGPL-exception-1.1", "u-boot-exception-2.0", "WxWindows-exception-3.1",
};

using IdMap = std::unordered_map<std::string, std::string_view>;

template <size_t N>
IdMap ByLower(const std::string_view (&ids)[N]) {
  IdMap m;
  for (auto s : ids) m.emplace(Lower(s), s);
  return m;
}

std::string_view Lookup(const IdMap& m, std::string_view id) {
  auto it = m.find(Lower(id));
  return it == m.end() ? std::string_view() : it->second;
}

struct Token {
  enum Kind { kWord, kOpen, kClose, kAnd, kOr, kWith } kind;
  std::string text;
};

bool Tokenize(std::string_view s, std::vector<Token>* out) {
  size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      ++i;
    } else if (c == '(') {
      out->push_back({Token::kOpen, "("});
      ++i;
    } else if (c == ')') {
      out->push_back({Token::kClose, ")"});
      ++i;
    } else {
      size_t j = i;
      while (j < s.size() && s[j] != ' ' && s[j] != '\t' && s[j] != '\n' && s[j] != '\r' && s[j] != '(' &&
             s[j] != ')')
        ++j;
      std::string w(s.substr(i, j - i));
      if (w == "AND") out->push_back({Token::kAnd, w});
      else if (w == "OR") out->push_back({Token::kOr, w});
      else if (w == "WITH") out->push_back({Token::kWith, w});
      else out->push_back({Token::kWord, w});
      i = j;
    }
  }
  return !out->empty();
}

// Recursive-descent reader of the Annex D grammar; WITH binds tighter than AND, AND than OR.
class LicenseParser {
 public:
  LicenseParser(const std::vector<Token>& toks, License* out) : toks_(toks), out_(out) {}

  bool Parse(std::string* expr) {
    if (!Or(expr)) return false;
    return pos_ == toks_.size();
  }

 private:
  const Token* Peek() const { return pos_ < toks_.size() ? &toks_[pos_] : nullptr; }

  bool Or(std::string* e) {
    if (!And(e)) return false;
    while (Peek() && Peek()->kind == Token::kOr) {
      ++pos_;
      std::string rhs;
      if (!And(&rhs)) return false;
      *e += " OR " + rhs;
      out_->compound = true;
    }
    return true;
  }

  bool And(std::string* e) {
    if (!With(e)) return false;
    while (Peek() && Peek()->kind == Token::kAnd) {
      ++pos_;
      std::string rhs;
      if (!With(&rhs)) return false;
      *e += " AND " + rhs;
      out_->compound = true;
    }
    return true;
  }

  bool With(std::string* e) {
    const Token* t = Peek();
    if (!t) return false;
    if (t->kind == Token::kOpen) {
      ++pos_;
      std::string inner;
      if (!Or(&inner)) return false;
      if (!Peek() || Peek()->kind != Token::kClose) return false;
      ++pos_;
      *e = "(" + inner + ")";
      out_->compound = true;
      return true;
    }
    if (t->kind != Token::kWord) return false;
    std::string word = t->text;
    ++pos_;
    if (Peek() && Peek()->kind == Token::kWith) {
      ++pos_;
      const Token* x = Peek();
      if (!x || x->kind != Token::kWord || !IsIdString(x->text)) return false;
      ++pos_;
      out_->compound = true;
      std::string lic;
      if (!Simple(word, &lic, /*replace_unknown=*/false)) return false;
      std::string_view exc = KnownSpdxExceptionId(x->text);
      if (!lic.empty() && !exc.empty()) {
        *e = lic + " WITH " + std::string(exc);
      } else {
        *e = Ref(word + " WITH " + x->text);
      }
      return true;
    }
    return Simple(word, e, /*replace_unknown=*/true);
  }

  // A license identifier (optionally with '+') or a LicenseRef. Unknown identifiers become a
  // LicenseRef when replace_unknown, otherwise *e is left empty. False when it is not an idstring.
  bool Simple(const std::string& word, std::string* e, bool replace_unknown) {
    if (IsLicenseRef(word)) {
      *e = word;
      return true;
    }
    std::string_view id = word;
    bool plus = !id.empty() && id.back() == '+';
    if (plus) id.remove_suffix(1);
    if (!IsIdString(id)) return false;
    std::string_view known = KnownSpdxLicenseId(word);  // "GPL-2.0+" is itself on the list
    if (!known.empty()) {
      *e = std::string(known);
    } else if (!(known = KnownSpdxLicenseId(id)).empty()) {
      *e = std::string(known) + (plus ? "+" : "");
    } else if (replace_unknown) {
      *e = Ref(word);
    } else {
      e->clear();
    }
    return true;
  }

  static bool IsLicenseRef(std::string_view w) {
    size_t colon = w.find(':');
    if (colon != std::string_view::npos) {
      std::string_view doc = w.substr(0, colon);
      if (doc.rfind("DocumentRef-", 0) != 0 || !IsIdString(doc.substr(12))) return false;
      w = w.substr(colon + 1);
    }
    return w.rfind("LicenseRef-", 0) == 0 && IsIdString(w.substr(11));
  }

  std::string Ref(const std::string& text) {
    std::string ref = LicenseRefFor(text);
    out_->known = false;
    if (std::find(out_->refs.begin(), out_->refs.end(), std::make_pair(ref, text)) == out_->refs.end())
      out_->refs.emplace_back(ref, text);
    return ref;
  }

  const std::vector<Token>& toks_;
  License* out_;
  size_t pos_ = 0;
};

}  // namespace

std::string_view KnownSpdxLicenseId(std::string_view id) {
  static const IdMap kMap = ByLower(kLicenseIds);
  return Lookup(kMap, id);
}

std::string_view KnownSpdxExceptionId(std::string_view id) {
  static const IdMap kMap = ByLower(kExceptionIds);
  return Lookup(kMap, id);
}

const std::vector<std::string_view>& KnownSpdxIds() {
  static const std::vector<std::string_view> kAll = [] {
    std::vector<std::string_view> v(std::begin(kLicenseIds), std::end(kLicenseIds));
    v.insert(v.end(), std::begin(kExceptionIds), std::end(kExceptionIds));
    return v;
  }();
  return kAll;
}

std::string SpdxIdString(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (!IsIdChar(c)) c = '-';
  return out;
}

std::string LicenseRefFor(std::string_view text) {
  std::string id = SpdxIdString(text);
  if (id != text || id.empty()) id += (id.empty() ? "" : "-") + HexSha256(text).substr(0, 8);
  return "LicenseRef-" + id;
}

License ParseLicense(std::string_view text) {
  License l;
  l.text = std::string(text);
  std::vector<Token> toks;
  if (!Tokenize(text, &toks)) return l;  // empty: nothing to say
  License attempt = l;
  attempt.known = true;
  std::string expr;
  LicenseParser parser(toks, &attempt);
  if (parser.Parse(&expr)) {
    attempt.parsed = true;
    attempt.spdx = expr;
    if (attempt.known && !attempt.compound && KnownSpdxLicenseId(expr) == expr) attempt.single_id = expr;
    return attempt;
  }
  l.spdx = LicenseRefFor(text);
  l.refs.emplace_back(l.spdx, l.text);
  return l;
}

}  // namespace customs::report
