// SPDX 2.3 JSON. Deterministic: the document namespace and the SPDX identifiers come from hashes of
// the report content; packages are in target order; every list is sorted.
#include <algorithm>
#include <map>
#include <memory>
#include <set>

#include <nlohmann/json.hpp>

#include "inventory/purl.h"
#include "reporters/common.h"
#include "reporters/reporter.h"

namespace customs {

namespace {

using ordered_json = nlohmann::ordered_json;

constexpr const char* kNoAssertion = "NOASSERTION";

// SPDXIDs must be unique in the document: a repeated one gets "-2", "-3", ... appended.
std::string UniqueId(std::set<std::string>& used, const std::string& base) {
  if (used.insert(base).second) return base;
  for (int n = 2;; ++n) {
    std::string id = base + "-" + std::to_string(n);
    if (used.insert(id).second) return id;
  }
}

// "Name <mail@example.org>" -> "Organization: Name (mail@example.org)" (the agent syntax of SPDX).
std::string Supplier(const Package& p) {
  std::string who = p.maintainer;
  if (who.empty())
    if (auto it = p.extra.find("vendor"); it != p.extra.end()) who = it->second;
  // The agent syntax is one line.
  for (char& c : who)
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  size_t lt = who.find('<');
  size_t gt = who.rfind('>');
  if (lt != std::string::npos && gt != std::string::npos && gt > lt) {
    std::string name = who.substr(0, lt);
    while (!name.empty() && name.back() == ' ') name.pop_back();
    std::string mail = who.substr(lt + 1, gt - lt - 1);
    who = name.empty() ? mail : name + " (" + mail + ")";
  }
  while (!who.empty() && who.back() == ' ') who.pop_back();
  while (!who.empty() && who.front() == ' ') who.erase(0, 1);
  return who.empty() ? std::string() : "Organization: " + who;
}

// licenseDeclared: every license string as an SPDX expression (unknown identifiers as LicenseRef-
// entries, recorded in `refs`), joined with AND; NOASSERTION when the database names none.
std::string DeclaredLicense(const std::vector<std::string>& licenses, std::map<std::string, std::string>& refs) {
  std::vector<std::pair<std::string, bool>> parts;  // (expression, compound)
  for (const auto& text : licenses) {
    report::License lic = report::ParseLicense(text);
    if (lic.spdx.empty()) continue;
    for (const auto& [id, original] : lic.refs) refs.emplace(id, original);
    std::pair<std::string, bool> part{lic.spdx, lic.compound};
    if (std::find(parts.begin(), parts.end(), part) == parts.end()) parts.push_back(std::move(part));
  }
  if (parts.empty()) return kNoAssertion;
  if (parts.size() == 1) return parts[0].first;
  std::string out;
  for (const auto& [expr, compound] : parts) out += (out.empty() ? "" : " AND ") + (compound ? "(" + expr + ")" : expr);
  return out;
}

class SpdxReporter : public Reporter {
 public:
  std::string_view Name() const override { return "spdx-json"; }

  void Write(const ScanResult& result, const ReportOptions&, std::ostream& out) const override {
    const Inventory& inv = result.inventory;
    const Artifact& art = inv.artifact;
    const std::string hash = report::ContentHash(result);
    const std::string tool = "customs-" + (result.tool_version.empty() ? std::string("unknown") : result.tool_version);
    std::set<std::string> used_ids{"SPDXRef-DOCUMENT"};
    std::map<std::string, std::string> license_refs;

    ordered_json doc;
    doc["spdxVersion"] = "SPDX-2.3";
    doc["dataLicense"] = "CC0-1.0";
    doc["SPDXID"] = "SPDXRef-DOCUMENT";
    doc["name"] = art.name.empty() ? std::string("customs-report") : art.name;
    doc["documentNamespace"] = "https://spdx.org/spdxdocs/customs/" + std::string(report::ArtifactTypeName(art.type)) +
                               "/" + report::SpdxIdString(art.name.empty() ? "unnamed" : art.name) + "-" +
                               report::UuidFromHex(hash);
    doc["creationInfo"] = ordered_json{{"creators", ordered_json::array({"Tool: " + tool})},
                                       {"created", result.scanned_at}};

    ordered_json packages = ordered_json::array();
    ordered_json relationships = ordered_json::array();
    auto relate = [&](const std::string& from, const char* type, const std::string& to) {
      relationships.push_back(
          ordered_json{{"spdxElementId", from}, {"relatedSpdxElement", to}, {"relationshipType", type}});
    };
    auto annotations = [&](const std::vector<std::pair<std::string, std::string>>& props) {
      std::vector<std::string> comments;
      for (const auto& [k, v] : props)
        if (!v.empty()) comments.push_back("customs:" + k + ": " + v);
      std::sort(comments.begin(), comments.end());
      ordered_json a = ordered_json::array();
      for (const auto& c : comments)
        a.push_back(ordered_json{{"annotationDate", result.scanned_at},
                                 {"annotationType", "OTHER"},
                                 {"annotator", "Tool: " + tool},
                                 {"comment", c}});
      return a;
    };

    // The artifact.
    const bool is_image = art.type == ArtifactType::kContainerImage;
    const std::string artifact_id = UniqueId(
        used_ids, std::string(is_image ? "SPDXRef-ContainerImage-" : "SPDXRef-Filesystem-") +
                      report::HexSha256(std::string(report::ArtifactTypeName(art.type)) + "\n" + art.name + "\n" +
                                        art.image_id)
                          .substr(0, 16));
    {
      ordered_json p;
      p["SPDXID"] = artifact_id;
      p["name"] = art.name.empty() ? std::string("unnamed") : art.name;
      if (is_image && !art.image_id.empty()) p["versionInfo"] = art.image_id;
      p["downloadLocation"] = kNoAssertion;
      p["filesAnalyzed"] = false;
      p["primaryPackagePurpose"] = is_image ? "CONTAINER" : "FILE";
      std::vector<std::pair<std::string, std::string>> props{
          {"ArtifactType", std::string(report::ArtifactTypeName(art.type))},
          {"ImageID", art.image_id},
          {"ManifestDigest", art.manifest_digest},
          {"Platform.OS", art.platform.os},
          {"Platform.Architecture", art.platform.architecture},
          {"Platform.Variant", art.platform.variant},
          {"Created", art.created}};
      for (const auto& t : art.repo_tags) props.emplace_back("RepoTag", t);
      for (const auto& d : art.repo_digests) props.emplace_back("RepoDigest", d);
      for (const auto& l : inv.layers) props.emplace_back("DiffID", l.diff_id);
      ordered_json ann = annotations(props);
      if (!ann.empty()) p["annotations"] = std::move(ann);
      packages.push_back(std::move(p));
    }
    relate("SPDXRef-DOCUMENT", "DESCRIBES", artifact_id);

    // The operating system.
    if (inv.os && !inv.os->family.empty()) {
      const std::string os_id = UniqueId(
          used_ids, "SPDXRef-OperatingSystem-" + report::HexSha256(inv.os->family + "\n" + inv.os->version).substr(0, 16));
      ordered_json p;
      p["SPDXID"] = os_id;
      p["name"] = inv.os->family;
      if (!inv.os->version.empty()) p["versionInfo"] = inv.os->version;
      p["downloadLocation"] = kNoAssertion;
      p["filesAnalyzed"] = false;
      if (!inv.os->name.empty()) p["description"] = inv.os->name;
      p["primaryPackagePurpose"] = "OPERATING_SYSTEM";
      packages.push_back(std::move(p));
      relate(artifact_id, "CONTAINS", os_id);
    }

    // The packages, target by target. A language target is an application package (the project a
    // lockfile, a binary or an installed tree stands for) that CONTAINS its packages and DEPENDS_ON
    // its direct ones (report::TargetRoots); the artifact CONTAINS the OS packages and the applications.
    const std::vector<report::Target> targets = report::BuildTargets(inv);
    std::vector<const Package*> all;
    for (const auto& t : targets)
      for (const Package* p : t.packages) all.push_back(p);
    std::map<const Package*, std::string> id_of;
    std::vector<std::string> app_ids(targets.size());
    for (size_t ti = 0; ti < targets.size(); ++ti) {
      const report::Target& t = targets[ti];
      std::string parent = artifact_id;
      if (t.cls == "lang-pkgs") {
        app_ids[ti] = UniqueId(used_ids, "SPDXRef-Application-" +
                                             report::HexSha256(t.cls + "\n" + t.type + "\n" + t.name).substr(0, 16));
        ordered_json p;
        p["SPDXID"] = app_ids[ti];
        p["name"] = t.name.empty() ? std::string("unnamed") : t.name;
        p["downloadLocation"] = kNoAssertion;
        p["filesAnalyzed"] = false;
        p["primaryPackagePurpose"] = "APPLICATION";
        ordered_json ann = annotations({{"Class", t.cls}, {"Type", t.type}, {"Path", t.path}});
        if (!ann.empty()) p["annotations"] = std::move(ann);
        packages.push_back(std::move(p));
        relate(artifact_id, "CONTAINS", app_ids[ti]);
        parent = app_ids[ti];
      }
      for (const Package* pkg : t.packages) {
        std::string purl = Purl(*pkg, inv.os);
        std::string key = pkg->type + "\n" + pkg->name + "\n" + pkg->version + "\n" + pkg->arch + "\n" +
                          pkg->db_path + "\n" + std::to_string(pkg->layer);
        std::string id = UniqueId(used_ids, "SPDXRef-Package-" + report::SpdxIdString(pkg->type) + "-" +
                                                report::SpdxIdString(pkg->name) + "-" +
                                                report::HexSha256(key).substr(0, 16));
        id_of[pkg] = id;

        ordered_json p;
        p["SPDXID"] = id;
        p["name"] = pkg->name;
        if (!pkg->version.empty()) p["versionInfo"] = pkg->version;
        if (std::string s = Supplier(*pkg); !s.empty()) p["supplier"] = s;
        p["downloadLocation"] = kNoAssertion;
        p["filesAnalyzed"] = false;
        if (!pkg->src_name.empty())
          p["sourceInfo"] = "built package from: " + pkg->src_name +
                            (pkg->src_version.empty() ? std::string() : " " + pkg->src_version);
        p["licenseConcluded"] = kNoAssertion;
        p["licenseDeclared"] = DeclaredLicense(pkg->licenses, license_refs);
        p["copyrightText"] = kNoAssertion;
        if (!purl.empty())
          p["externalRefs"] = ordered_json::array({ordered_json{
              {"referenceCategory", "PACKAGE-MANAGER"}, {"referenceType", "purl"}, {"referenceLocator", purl}}});
        p["primaryPackagePurpose"] = "LIBRARY";
        std::vector<std::pair<std::string, std::string>> props{
            {"PkgType", pkg->type}, {"SrcName", pkg->src_name}, {"SrcVersion", pkg->src_version},
            {"DBPath", pkg->db_path}, {"Arch", pkg->arch}};
        if (pkg->src_epoch > 0) props.emplace_back("SrcEpoch", std::to_string(pkg->src_epoch));
        if (const LayerInfo* l = report::LayerOf(inv, *pkg)) {
          props.emplace_back("LayerDiffID", l->diff_id);
          props.emplace_back("LayerDigest", l->digest);
        }
        ordered_json ann = annotations(props);
        if (!ann.empty()) p["annotations"] = std::move(ann);
        packages.push_back(std::move(p));
        relate(parent, "CONTAINS", id);
      }
    }

    report::DependencyIndex index(all);
    for (size_t ti = 0; ti < targets.size(); ++ti) {
      if (!app_ids[ti].empty())
        for (const Package* root : report::TargetRoots(targets[ti], index)) relate(app_ids[ti], "DEPENDS_ON", id_of[root]);
      for (const Package* pkg : targets[ti].packages)
        for (const Package* dep : index.Resolve(*pkg)) relate(id_of[pkg], "DEPENDS_ON", id_of[dep]);
    }

    doc["packages"] = std::move(packages);
    doc["relationships"] = std::move(relationships);
    if (!license_refs.empty()) {
      ordered_json infos = ordered_json::array();
      for (const auto& [id, text] : license_refs)  // std::map: sorted by licenseId
        infos.push_back(ordered_json{{"licenseId", id}, {"extractedText", text}, {"name", text}});
      doc["hasExtractedLicensingInfos"] = std::move(infos);
    }

    out << doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  }
};

}  // namespace

std::unique_ptr<Reporter> MakeReporter_spdx() { return std::make_unique<SpdxReporter>(); }

}  // namespace customs
