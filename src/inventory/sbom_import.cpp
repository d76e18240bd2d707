#include "inventory/sbom_import.h"

#include <algorithm>
#include <map>
#include <optional>
#include <tuple>

#include <nlohmann/json.hpp>

#include "analyzers/version_split.h"
#include "core/ecosystem.h"
#include "core/error.h"
#include "formats/json.h"
#include "inventory/purl.h"

namespace customs {

namespace {

using nlohmann::json;

std::string Str(const json& j, const char* key) {
  if (!j.is_object()) return "";
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

std::string Lower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

bool StartsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

// Name/value facts of one component: CycloneDX properties, SPDX annotations ("customs:Key: value",
// "Key: value"). Keys are kept without the tool prefix ("customs:", "aquasecurity:trivy:", "syft:...").
using Props = std::multimap<std::string, std::string>;

std::string Bare(std::string key) {
  for (std::string_view prefix : {"customs:", "aquasecurity:trivy:"})
    if (StartsWith(key, prefix)) return key.substr(prefix.size());
  return key;
}

std::string Get(const Props& p, const std::string& key) {
  auto it = p.find(key);
  return it == p.end() ? "" : it->second;
}

Props CycloneDxProps(const json& c) {
  Props out;
  if (auto it = c.find("properties"); it != c.end() && it->is_array())
    for (const auto& pr : *it)
      if (std::string n = Str(pr, "name"); !n.empty()) out.emplace(Bare(n), Str(pr, "value"));
  return out;
}

Props SpdxProps(const json& p) {
  Props out;
  if (auto it = p.find("annotations"); it != p.end() && it->is_array())
    for (const auto& a : *it) {
      std::string c = Str(a, "comment");
      if (StartsWith(c, "customs:")) c = c.substr(8);
      const size_t sep = c.find(": ");
      if (sep == std::string::npos || sep == 0) continue;
      out.emplace(Bare(c.substr(0, sep)), c.substr(sep + 2));
    }
  return out;
}

// OS family spellings of other tools, as customs names the family (core/types.h OSInfo).
std::string Family(std::string name) {
  name = Lower(name);
  static const std::map<std::string, std::string> kAlias = {{"redhat", "rhel"}, {"alma", "almalinux"},
                                                            {"rocky linux", "rocky"}};
  if (auto it = kAlias.find(name); it != kAlias.end()) return it->second;
  return name;
}

// The conventional package database of an OS package type (report targets group by it).
std::string OsDbPath(std::string_view type) {
  if (type == "dpkg") return "var/lib/dpkg/status";
  if (type == "apk") return "lib/apk/db/installed";
  if (type == "rpm") return "var/lib/rpm/rpmdb.sqlite";
  return "";
}

const ecosystem::Ecosystem* EcosystemForPurlType(std::string_view purl_type, std::string_view pkg_type_hint) {
  // customs' own SBOMs name the package type (PkgType); it wins when it is one we know and fits the purl.
  if (const ecosystem::Ecosystem* e = ecosystem::ForType(pkg_type_hint); e && e->purl_type == purl_type) return e;
  for (const auto& e : ecosystem::All())
    if (e.purl_type == purl_type) return &e;
  return nullptr;
}

std::string Qualifier(const PurlParts& p, std::string_view key) {
  for (const auto& [k, v] : p.qualifiers)
    if (k == key) return v;
  return "";
}

uint32_t ParseEpoch(const std::string& s) {
  if (s.empty() || s.size() > 9 || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return 0;
  return static_cast<uint32_t>(std::stoul(s));
}

// Fills version fields from the purl: deb and rpm put the epoch in a qualifier.
void SetVersion(Package& pkg, const PurlParts& pp, const std::string& component_version) {
  std::string v = pp.version.empty() ? component_version : pp.version;
  if (pkg.type == "dpkg" || pkg.type == "rpm") {
    uint32_t epoch = ParseEpoch(Qualifier(pp, "epoch"));
    if (epoch == 0 && v.find(':') != std::string::npos) {  // "E:V" in the version itself
      epoch = ParseEpoch(v.substr(0, v.find(':')));
      if (epoch) v = v.substr(v.find(':') + 1);
    }
    pkg.epoch = epoch;
    pkg.version = epoch ? std::to_string(epoch) + ":" + v : v;
    const size_t dash = v.rfind('-');
    pkg.upstream = dash == std::string::npos ? v : v.substr(0, dash);
    pkg.release = dash == std::string::npos ? "" : v.substr(dash + 1);
    return;
  }
  pkg.version = v;
  if (pkg.type == "apk") {
    VersionParts parts = SplitApkVersion(v);
    pkg.upstream = parts.upstream;
    pkg.release = parts.release;
  }
}

// The source package: customs (SrcName, SrcVersion with epoch), Trivy (SrcName, SrcVersion, SrcRelease,
// SrcEpoch), SPDX sourceInfo, Syft's `upstream` qualifier ("glibc" or "glibc@2.31-13").
void SetSource(Package& pkg, const Props& props, const PurlParts& pp, const std::string& source_info) {
  std::string name = Get(props, "SrcName"), version = Get(props, "SrcVersion");
  const std::string release = Get(props, "SrcRelease"), epoch = Get(props, "SrcEpoch");
  if (!version.empty() && !release.empty()) version += "-" + release;
  if (!version.empty() && ParseEpoch(epoch) > 0 && version.find(':') == std::string::npos)
    version = epoch + ":" + version;
  if (name.empty() && StartsWith(source_info, "built package from: ")) {
    std::string rest = source_info.substr(20);
    const size_t sp = rest.find(' ');
    name = rest.substr(0, sp);
    if (sp != std::string::npos) version = rest.substr(sp + 1);
  }
  if (name.empty()) {
    std::string up = Qualifier(pp, "upstream");
    const size_t at = up.find('@');
    name = up.substr(0, at);
    if (at != std::string::npos) version = up.substr(at + 1);
  }
  if (name.empty()) return;
  pkg.src_name = name;
  pkg.src_version = version.empty() ? pkg.version : version;
  if (pkg.type == "dpkg") {
    VersionParts parts;
    std::string why;
    if (SplitDebianVersion(pkg.src_version, parts, why)) {
      pkg.src_epoch = parts.epoch;
      pkg.src_upstream = parts.upstream;
      pkg.src_release = parts.release;
    }
  }
}

class Importer {
 public:
  explicit Importer(std::string where) : where_(std::move(where)) {}

  // One component / package: a purl becomes a Package.
  void Add(const std::string& purl, const std::string& name, const std::string& version, const Props& props,
           const std::string& source_info, const std::vector<std::string>& licenses) {
    if (++seen_ > kMaxSbomComponents)
      throw InputError(where_, "more than " + std::to_string(kMaxSbomComponents) + " components");
    if (purl.empty()) {
      ++no_purl_;
      return;
    }
    auto pp = ParsePurl(purl);
    if (!pp) {
      bad_purl_.push_back(purl.substr(0, 200));
      return;
    }
    const ecosystem::Ecosystem* e = EcosystemForPurlType(pp->type, Get(props, "PkgType"));
    if (!e) {
      ++unknown_type_[pp->type];
      return;
    }
    Package pkg;
    pkg.type = std::string(e->type);
    pkg.name = pp->name;
    if (e->purl_ns_split != 0 && !pp->ns.empty()) pkg.name = pp->ns + e->purl_ns_split + pp->name;
    // The component's own spelling when it names the same package ("Pillow" for pkg:pypi/pillow: purls
    // are canonical, lockfiles and reports keep the registry's display name).
    if (!name.empty() && ecosystem::FoldName(pkg.type, name) == ecosystem::FoldName(pkg.type, pkg.name)) pkg.name = name;
    SetVersion(pkg, *pp, version);
    pkg.arch = Qualifier(*pp, "arch");
    if (e->os) {
      SetSource(pkg, props, *pp, source_info);
      if (os_namespace_.empty()) {
        os_namespace_ = pp->ns;
        os_distro_ = Qualifier(*pp, "distro");
      }
    }
    pkg.licenses = licenses;
    pkg.maintainer = Get(props, "Maintainer");
    pkg.db_path = Get(props, "DBPath");
    if (pkg.db_path.empty()) pkg.db_path = Get(props, "FilePath");
    if (pkg.db_path.empty()) pkg.db_path = e->os ? OsDbPath(pkg.type) : "sbom:" + pkg.type;
    inv_.packages.push_back(std::move(pkg));
  }

  Inventory Finish() {
    if (!inv_.os && !os_namespace_.empty()) {
      // No OS component: the OS packages' purls say the family, their distro qualifier the release
      // ("debian-11.0", "alpine-3.7.3", or just "3.7.3").
      OSInfo os;
      os.family = Family(os_namespace_);
      os.version = os_distro_;
      if (StartsWith(os.version, os.family + "-")) os.version = os.version.substr(os.family.size() + 1);
      os.source_file = where_;
      inv_.os = os;
    }
    if (no_purl_)
      inv_.diagnostics.push_back({where_, std::to_string(no_purl_) + " components without a purl were not matched"});
    for (const auto& [type, n] : unknown_type_)
      inv_.diagnostics.push_back({where_, std::to_string(n) + " components of purl type '" + type +
                                              "', which customs has no vulnerability data for, were not matched"});
    if (!bad_purl_.empty())
      inv_.diagnostics.push_back({where_, std::to_string(bad_purl_.size()) + " components with an invalid purl (" +
                                              bad_purl_.front() + (bad_purl_.size() > 1 ? ", ..." : "") +
                                              ") were not matched"});
    std::sort(inv_.packages.begin(), inv_.packages.end(), [](const Package& a, const Package& b) {
      return std::tie(a.db_path, a.name, a.version, a.arch) < std::tie(b.db_path, b.name, b.version, b.arch);
    });
    return std::move(inv_);
  }

  Inventory& inv() { return inv_; }

 private:
  std::string where_;
  Inventory inv_;
  size_t seen_ = 0, no_purl_ = 0;
  std::map<std::string, size_t> unknown_type_;
  std::vector<std::string> bad_purl_;
  std::string os_namespace_, os_distro_;
};

std::vector<std::string> CycloneDxLicenses(const json& c) {
  std::vector<std::string> out;
  if (auto it = c.find("licenses"); it != c.end() && it->is_array())
    for (const auto& l : *it) {
      if (std::string e = Str(l, "expression"); !e.empty()) out.push_back(e);
      if (auto lic = l.find("license"); lic != l.end() && lic->is_object()) {
        std::string id = Str(*lic, "id");
        out.push_back(!id.empty() ? id : Str(*lic, "name"));
      }
    }
  out.erase(std::remove(out.begin(), out.end(), std::string()), out.end());
  return out;
}

void SetArtifactFacts(Artifact& a, const Props& props) {
  for (auto [it, end] = props.equal_range("RepoTag"); it != end; ++it) a.repo_tags.push_back(it->second);
  for (auto [it, end] = props.equal_range("RepoDigest"); it != end; ++it) a.repo_digests.push_back(it->second);
  a.image_id = Get(props, "ImageID");
  a.manifest_digest = Get(props, "ManifestDigest");
  a.platform.os = Get(props, "Platform.OS");
  a.platform.architecture = Get(props, "Platform.Architecture");
  a.created = Get(props, "Created");
}

void ImportCycloneDx(const json& doc, Importer& im, const std::string& where) {
  Inventory& inv = im.inv();
  if (auto m = doc.find("metadata"); m != doc.end() && m->is_object())
    if (auto c = m->find("component"); c != m->end() && c->is_object()) {
      if (Str(*c, "type") == "container") inv.artifact.type = ArtifactType::kContainerImage;
      SetArtifactFacts(inv.artifact, CycloneDxProps(*c));
    }
  // Components nest (an application's packages under it, in Syft's and some Trivy SBOMs): walk them
  // all, with an explicit stack (the document's depth is bounded by the JSON limits anyway).
  std::vector<const json*> stack;
  if (auto cs = doc.find("components"); cs != doc.end()) {
    if (!cs->is_array()) throw InputError(where, "CycloneDX: components is not a list");
    for (auto it = cs->rbegin(); it != cs->rend(); ++it) stack.push_back(&*it);
  }
  while (!stack.empty()) {
    const json& c = *stack.back();
    stack.pop_back();
    if (!c.is_object()) continue;
    if (auto sub = c.find("components"); sub != c.end() && sub->is_array())
      for (auto it = sub->rbegin(); it != sub->rend(); ++it) stack.push_back(&*it);
    const std::string type = Str(c, "type");
    const Props props = CycloneDxProps(c);
    if (type == "operating-system") {
      if (!inv.os) {
        OSInfo os;
        os.family = Family(Str(c, "name"));
        os.version = Str(c, "version");
        os.name = Str(c, "description");
        os.codename = Get(props, "Codename");
        os.source_file = where;
        if (!os.family.empty()) inv.os = os;
      }
      continue;
    }
    if (type == "application" && Str(c, "purl").empty()) continue;  // a lockfile/project, not a package
    im.Add(Str(c, "purl"), Str(c, "name"), Str(c, "version"), props, "", CycloneDxLicenses(c));
  }
}

void ImportSpdx(const json& doc, Importer& im, const std::string& where) {
  Inventory& inv = im.inv();
  auto ps = doc.find("packages");
  if (ps == doc.end()) return;
  if (!ps->is_array()) throw InputError(where, "SPDX: packages is not a list");
  for (const auto& p : *ps) {
    if (!p.is_object()) continue;
    const std::string purpose = Str(p, "primaryPackagePurpose");
    const Props props = SpdxProps(p);
    if (purpose == "OPERATING_SYSTEM" || purpose == "OPERATING-SYSTEM") {
      if (!inv.os) {
        OSInfo os;
        os.family = Family(Str(p, "name"));
        os.version = Str(p, "versionInfo");
        os.name = Str(p, "description");
        os.source_file = where;
        if (!os.family.empty()) inv.os = os;
      }
      continue;
    }
    if (purpose == "CONTAINER") {
      inv.artifact.type = ArtifactType::kContainerImage;
      SetArtifactFacts(inv.artifact, props);
      continue;
    }
    std::string purl;
    if (auto refs = p.find("externalRefs"); refs != p.end() && refs->is_array())
      for (const auto& r : *refs)
        if (Str(r, "referenceType") == "purl" && purl.empty()) purl = Str(r, "referenceLocator");
    if (purl.empty() && (purpose == "APPLICATION" || purpose == "FILE" || purpose == "SOURCE")) continue;
    std::vector<std::string> licenses;
    if (std::string l = Str(p, "licenseDeclared"); !l.empty() && l != "NOASSERTION" && l != "NONE")
      licenses.push_back(l);
    im.Add(purl, Str(p, "name"), Str(p, "versionInfo"), props, Str(p, "sourceInfo"), licenses);
  }
}

}  // namespace

ImportedSbom ImportSbom(std::string_view text, const std::string& where) {
  JsonLimits limits;
  limits.max_bytes = 1u << 30;
  const json doc = ParseJson(text, where, limits);
  if (!doc.is_object()) throw InputError(where, "not an SBOM: expected a CycloneDX or SPDX JSON object");
  ImportedSbom out;
  Importer im(where);
  im.inv().artifact.type = ArtifactType::kFilesystem;
  im.inv().artifact.name = where;
  if (Str(doc, "bomFormat") == "CycloneDX") {
    const std::string spec = Str(doc, "specVersion");
    if (spec != "1.4" && spec != "1.5" && spec != "1.6")
      throw InputError(where, "CycloneDX specVersion '" + spec + "' is not supported (1.4, 1.5, 1.6)");
    out.format = "CycloneDX " + spec;
    ImportCycloneDx(doc, im, where);
  } else if (std::string v = Str(doc, "spdxVersion"); !v.empty()) {
    if (v != "SPDX-2.3" && v != "SPDX-2.2")
      throw InputError(where, "SPDX version '" + v + "' is not supported (SPDX-2.3 JSON)");
    out.format = v;
    ImportSpdx(doc, im, where);
  } else {
    throw InputError(where, "not an SBOM: neither CycloneDX (bomFormat) nor SPDX (spdxVersion) JSON");
  }
  out.inventory = im.Finish();
  return out;
}

}  // namespace customs
