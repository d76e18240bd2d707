// CycloneDX 1.6 JSON. Deterministic: the serial number comes from a hash of the report content, the
// components are in target order, every list is sorted.
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
using Properties = std::vector<std::pair<std::string, std::string>>;

constexpr const char* kPropertyPrefix = "customs:";

void AddProperty(Properties& props, const std::string& name, const std::string& value) {
  if (!value.empty()) props.emplace_back(kPropertyPrefix + name, value);
}

ordered_json PropertiesJson(Properties props) {
  std::sort(props.begin(), props.end());
  ordered_json a = ordered_json::array();
  for (auto& [n, v] : props) a.push_back(ordered_json{{"name", n}, {"value", v}});
  return a;
}

// licenses: one SPDX expression when the package has a single compound (or "+") expression made
// of known identifiers; otherwise one entry per license, by SPDX id when it is one, else by name.
ordered_json LicensesJson(const std::vector<std::string>& licenses) {
  std::vector<std::string> texts;
  for (const auto& l : licenses)
    if (l.find_first_not_of(" \t\r\n") != std::string::npos &&
        std::find(texts.begin(), texts.end(), l) == texts.end())
      texts.push_back(l);
  ordered_json a = ordered_json::array();
  if (texts.size() == 1) {
    report::License lic = report::ParseLicense(texts[0]);
    if (lic.single_id.empty() && lic.known) {
      a.push_back(ordered_json{{"expression", lic.spdx}});
      return a;
    }
  }
  for (const auto& t : texts) {
    report::License lic = report::ParseLicense(t);
    if (!lic.single_id.empty())
      a.push_back(ordered_json{{"license", ordered_json{{"id", lic.single_id}}}});
    else
      a.push_back(ordered_json{{"license", ordered_json{{"name", t}}}});
  }
  return a;
}

// bom-refs must be unique in the BOM: a repeated one gets "?package-id=N" (or "&package-id=N" when
// it already has a query) appended.
std::string UniqueRef(std::set<std::string>& used, const std::string& base) {
  if (used.insert(base).second) return base;
  const char sep = base.find('?') == std::string::npos ? '?' : '&';
  for (int n = 2;; ++n) {
    std::string ref = base + sep + "package-id=" + std::to_string(n);
    if (used.insert(ref).second) return ref;
  }
}

class CycloneDxReporter : public Reporter {
 public:
  std::string_view Name() const override { return "cyclonedx"; }

  void Write(const ScanResult& result, const ReportOptions&, std::ostream& out) const override {
    const Inventory& inv = result.inventory;
    const Artifact& art = inv.artifact;
    std::set<std::string> used_refs;

    ordered_json bom;
    bom["$schema"] = "http://cyclonedx.org/schema/bom-1.6.schema.json";
    bom["bomFormat"] = "CycloneDX";
    bom["specVersion"] = "1.6";
    bom["serialNumber"] = "urn:uuid:" + report::UuidFromHex(report::ContentHash(result));
    bom["version"] = 1;

    // metadata: when, by what, about what.
    ordered_json meta;
    if (!result.scanned_at.empty()) meta["timestamp"] = result.scanned_at;
    ordered_json tool{{"type", "application"}, {"name", "customs"}};
    if (!result.tool_version.empty()) tool["version"] = result.tool_version;
    meta["tools"] = ordered_json{{"components", ordered_json::array({tool})}};

    const bool is_image = art.type == ArtifactType::kContainerImage;
    const std::string artifact_ref =
        UniqueRef(used_refs, !art.image_id.empty() ? art.image_id : "artifact:" + art.name);
    ordered_json subject;
    subject["bom-ref"] = artifact_ref;
    subject["type"] = is_image ? "container" : "file";
    subject["name"] = art.name;
    if (is_image && !art.image_id.empty()) subject["version"] = art.image_id;
    Properties subject_props;
    AddProperty(subject_props, "ArtifactType", std::string(report::ArtifactTypeName(art.type)));
    AddProperty(subject_props, "ImageID", art.image_id);
    AddProperty(subject_props, "ManifestDigest", art.manifest_digest);
    for (const auto& t : art.repo_tags) AddProperty(subject_props, "RepoTag", t);
    for (const auto& d : art.repo_digests) AddProperty(subject_props, "RepoDigest", d);
    for (const auto& l : inv.layers) AddProperty(subject_props, "DiffID", l.diff_id);
    AddProperty(subject_props, "Platform.OS", art.platform.os);
    AddProperty(subject_props, "Platform.Architecture", art.platform.architecture);
    AddProperty(subject_props, "Platform.Variant", art.platform.variant);
    AddProperty(subject_props, "Created", art.created);
    subject["properties"] = PropertiesJson(std::move(subject_props));
    meta["component"] = std::move(subject);
    bom["metadata"] = std::move(meta);

    ordered_json components = ordered_json::array();
    ordered_json dependencies = ordered_json::array();
    std::vector<std::string> artifact_deps;

    // The operating system.
    std::string os_ref;
    if (inv.os && !inv.os->family.empty()) {
      os_ref = UniqueRef(used_refs, "os:" + inv.os->family + (inv.os->version.empty() ? "" : "@" + inv.os->version));
      ordered_json c;
      c["bom-ref"] = os_ref;
      c["type"] = "operating-system";
      c["name"] = inv.os->family;
      if (!inv.os->version.empty()) c["version"] = inv.os->version;
      if (!inv.os->name.empty()) c["description"] = inv.os->name;
      Properties props;
      AddProperty(props, "Codename", inv.os->codename);
      AddProperty(props, "SourceFile", inv.os->source_file);
      if (!props.empty()) c["properties"] = PropertiesJson(std::move(props));
      components.push_back(std::move(c));
      artifact_deps.push_back(os_ref);
    }

    // The packages, target by target.
    std::vector<const Package*> all;
    for (const auto& t : report::BuildTargets(inv))
      for (const Package* p : t.packages) all.push_back(p);
    std::map<const Package*, std::string> ref_of;
    for (const Package* p : all) {
      std::string purl = Purl(*p, inv.os);
      std::string ref = UniqueRef(used_refs, !purl.empty() ? purl : "package:" + p->type + "/" + p->name);
      ref_of[p] = ref;
      artifact_deps.push_back(ref);

      ordered_json c;
      c["bom-ref"] = ref;
      c["type"] = "library";
      c["name"] = p->name;
      if (!p->version.empty()) c["version"] = p->version;
      ordered_json lic = LicensesJson(p->licenses);
      if (!lic.empty()) c["licenses"] = std::move(lic);
      if (!purl.empty()) c["purl"] = purl;
      Properties props;
      AddProperty(props, "PkgType", p->type);
      AddProperty(props, "SrcName", p->src_name);
      AddProperty(props, "SrcVersion", p->src_version);
      if (p->src_epoch > 0) AddProperty(props, "SrcEpoch", std::to_string(p->src_epoch));
      AddProperty(props, "Maintainer", p->maintainer);
      AddProperty(props, "DBPath", p->db_path);
      if (const LayerInfo* l = report::LayerOf(inv, *p)) {
        AddProperty(props, "LayerDiffID", l->diff_id);
        AddProperty(props, "LayerDigest", l->digest);
      }
      c["properties"] = PropertiesJson(std::move(props));
      components.push_back(std::move(c));
    }
    bom["components"] = std::move(components);

    // The dependency graph: the artifact holds the OS and every package; each package depends on
    // the packages of its type its database names.
    auto dep_entry = [](const std::string& ref, const std::vector<std::string>& on) {
      ordered_json d;
      d["ref"] = ref;
      d["dependsOn"] = on;
      return d;
    };
    dependencies.push_back(dep_entry(artifact_ref, artifact_deps));
    if (!os_ref.empty()) dependencies.push_back(dep_entry(os_ref, {}));
    report::DependencyIndex index(all);
    for (const Package* p : all) {
      std::vector<std::string> on;
      for (const Package* d : index.Resolve(*p)) on.push_back(ref_of[d]);
      dependencies.push_back(dep_entry(ref_of[p], on));
    }
    bom["dependencies"] = std::move(dependencies);

    out << bom.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  }
};

}  // namespace

std::unique_ptr<Reporter> MakeReporter_cyclonedx() { return std::make_unique<CycloneDxReporter>(); }

}  // namespace customs
