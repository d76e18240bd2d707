// CycloneDX 1.6 JSON. Deterministic: the serial number comes from a hash of the report content, the
// components are in target order, every list is sorted. When the vulnerability scanner ran, a
// "vulnerabilities" array follows the dependencies (CycloneDX 1.6 vulnerability objects), and the
// notices become metadata properties (customs:Notice).
#include <algorithm>
#include <map>
#include <memory>
#include <regex>
#include <set>
#include <tuple>

#include <nlohmann/json.hpp>

#include "findings/risk.h"
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

// ---- vulnerabilities ----

std::string Lower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

// CycloneDX severities are the lowercase names ("critical", ..., "none", "unknown").
std::string CdxSeverity(Severity s) { return Lower(std::string(cvss::Name(s))); }

std::string CvssMethod(const std::string& version) {
  if (version == "2.0" || version == "2") return "CVSSv2";
  if (version == "3.0") return "CVSSv3";
  if (version == "3.1") return "CVSSv31";
  if (version == "4.0" || version == "4") return "CVSSv4";
  return "other";
}

cvss::Version CvssVersion(const std::string& v) {
  if (v.rfind("2", 0) == 0) return cvss::Version::kV2;
  if (v == "3.0") return cvss::Version::kV3_0;
  if (v.rfind("4", 0) == 0) return cvss::Version::kV4_0;
  return cvss::Version::kV3_1;
}

// Where an alias is published, from its prefix.
ordered_json AliasSource(const std::string& id) {
  auto starts = [&](const char* p) { return id.rfind(p, 0) == 0; };
  if (starts("CVE-")) return {{"name", "NVD"}, {"url", "https://nvd.nist.gov/vuln/detail/" + id}};
  if (starts("GHSA-")) return {{"name", "GitHub Advisory Database"}, {"url", "https://github.com/advisories/" + id}};
  if (starts("GO-")) return {{"name", "Go Vulnerability Database"}, {"url", "https://pkg.go.dev/vuln/" + id}};
  if (starts("RUSTSEC-")) return {{"name", "RustSec"}, {"url", "https://rustsec.org/advisories/" + id + ".html"}};
  if (starts("PYSEC-") || starts("OSV-") || starts("GSD-"))
    return {{"name", "OSV"}, {"url", "https://osv.dev/vulnerability/" + id}};
  return {{"name", "customs"}};
}

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// RFC 3339 date-time as the schema wants it; a bare date ("2021-08-24") becomes midnight UTC;
// anything else is dropped ("").
std::string DateTime(const std::string& s) {
  static const std::regex kDateTime(
      R"(\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2}))");
  static const std::regex kDate(R"(\d{4}-\d{2}-\d{2})");
  if (std::regex_match(s, kDateTime)) return s;
  if (std::regex_match(s, kDate)) return s + "T00:00:00Z";
  return "";
}

// OpenVEX / CSAF justifications to CycloneDX's impactAnalysisJustification; CycloneDX values pass
// through; "" when there is no counterpart (the text then only goes to the detail).
std::string CdxJustification(const std::string& j) {
  static const std::map<std::string, std::string> kMap = {
      {"component_not_present", "code_not_present"},
      {"vulnerable_code_not_present", "code_not_present"},
      {"vulnerable_code_not_in_execute_path", "code_not_reachable"},
      {"vulnerable_code_cannot_be_controlled_by_adversary", "requires_environment"},
      {"inline_mitigations_already_exist", "protected_by_mitigating_control"},
      {"code_not_present", "code_not_present"},
      {"code_not_reachable", "code_not_reachable"},
      {"requires_configuration", "requires_configuration"},
      {"requires_dependency", "requires_dependency"},
      {"requires_environment", "requires_environment"},
      {"protected_by_compiler", "protected_by_compiler"},
      {"protected_at_runtime", "protected_at_runtime"},
      {"protected_at_perimeter", "protected_at_perimeter"},
      {"protected_by_mitigating_control", "protected_by_mitigating_control"},
  };
  auto it = kMap.find(j);
  return it == kMap.end() ? "" : it->second;
}

// The analysis of a suppressed finding. VEX statements are analyses: "fixed" ones are resolved,
// "not_affected" ones not_affected, with the justification mapped. Other suppressions (ignore file,
// ignore-unfixed, severity filter) are policy decisions, not analyses: no state, only the detail.
ordered_json AnalysisJson(const VulnFinding& f) {
  ordered_json a;
  std::string state, justification, detail;
  for (const auto& s : f.suppressed_by) {
    if (s.kind == "vex" && state.empty()) {
      // The policy writes "<vulnerability> <status> for <product>" and, for not_affected, the
      // justification, possibly followed by ": <impact statement>".
      std::string status;
      if (size_t sp = s.statement.find(' '); sp != std::string::npos)
        status = s.statement.substr(sp + 1, s.statement.find(' ', sp + 1) - sp - 1);
      const bool fixed = status == "fixed";
      state = fixed ? "resolved" : "not_affected";
      if (!fixed) justification = CdxJustification(s.justification.substr(0, s.justification.find(": ")));
    }
    if (!detail.empty()) detail += "\n";
    detail += "suppressed by " + s.kind;
    if (!s.source.empty()) detail += " (" + s.source + ")";
    if (!s.statement.empty()) detail += ": " + s.statement;
    if (!s.justification.empty()) detail += " — " + s.justification;
  }
  if (!state.empty()) a["state"] = state;
  if (!justification.empty()) a["justification"] = justification;
  if (!detail.empty()) a["detail"] = detail;
  return a;
}

// One entry of "vulnerabilities": the findings of one id on several packages (standing findings
// share an entry; suppressed ones share it only when suppressed alike).
struct VulnGroup {
  std::string id;
  bool suppressed = false;
  std::vector<std::pair<const Package*, const VulnFinding*>> findings;
};

ordered_json VulnJson(const VulnGroup& g, const std::string& ref, const std::map<const Package*, std::string>& ref_of,
                      bool show_analysis) {
  const VulnFinding* lead = g.findings.front().second;
  for (const auto& [p, f] : g.findings)
    if (report::FindingMoreSevere(*f, *lead)) lead = f;
  const VulnFinding& f = *lead;

  ordered_json v;
  v["bom-ref"] = ref;
  v["id"] = g.id;
  ordered_json src;
  if (!f.source.name.empty() || !f.source.id.empty()) src["name"] = f.source.name.empty() ? f.source.id : f.source.name;
  if (!f.source.url.empty()) src["url"] = f.source.url;
  if (!src.empty()) v["source"] = src;

  ordered_json refs = ordered_json::array();
  for (const auto& a : f.aliases)
    if (!a.empty() && a != g.id) refs.push_back(ordered_json{{"id", a}, {"source", AliasSource(a)}});
  if (!refs.empty()) v["references"] = std::move(refs);

  ordered_json ratings = ordered_json::array();
  for (const auto& c : f.cvss) {
    ordered_json r;
    if (!c.source.empty()) r["source"] = ordered_json{{"name", c.source}};
    r["score"] = c.score;
    r["severity"] = CdxSeverity(cvss::FromCvssScore(c.score, CvssVersion(c.version)));
    r["method"] = CvssMethod(c.version);
    if (!c.vector.empty()) r["vector"] = c.vector;
    ratings.push_back(std::move(r));
  }
  // The severity customs reports, as its source rated it.
  ordered_json vendor;
  if (!f.severity_source.empty()) vendor["source"] = ordered_json{{"name", f.severity_source}};
  vendor["severity"] = CdxSeverity(f.severity);
  vendor["method"] = "other";
  vendor["justification"] = f.severity_vector.empty()
                                ? "the severity customs reports: the rating of " +
                                      (f.severity_source.empty() ? std::string("no source") : f.severity_source)
                                : "the severity customs reports: from " + f.severity_source + " CVSS " + f.severity_vector;
  ratings.push_back(std::move(vendor));
  v["ratings"] = std::move(ratings);

  std::set<int> cwes;
  for (const auto& c : f.cwes) {
    std::string_view n = c;
    if (n.rfind("CWE-", 0) == 0) n.remove_prefix(4);
    if (AllDigits(n) && n.size() < 9 && std::stoi(std::string(n)) >= 1) cwes.insert(std::stoi(std::string(n)));
  }
  if (!cwes.empty()) v["cwes"] = cwes;

  const std::string description = f.description.empty() ? f.title : f.description;
  if (!description.empty()) v["description"] = description;

  ordered_json analysis;
  if (g.suppressed && show_analysis) analysis = AnalysisJson(f);
  const bool unaffected = analysis.contains("state");  // not_affected or resolved: per VEX

  std::vector<std::string> recs;  // none for what the VEX says is unaffected
  for (const auto& [p, g2] : g.findings)
    if (!unaffected && !g2->fixed_version.empty()) {
      std::string rec = "Upgrade " + p->name + " to " + g2->fixed_version;
      if (std::find(recs.begin(), recs.end(), rec) == recs.end()) recs.push_back(rec);
    }
  if (!recs.empty()) {
    std::string joined;
    for (const auto& r : recs) joined += (joined.empty() ? "" : "; ") + r;
    v["recommendation"] = joined;
  }

  ordered_json advisories = ordered_json::array();
  std::set<std::string> seen;
  for (const auto& r : f.references)
    if (report::IsHttpUrl(r) && seen.insert(r).second) advisories.push_back(ordered_json{{"url", r}});
  if (!advisories.empty()) v["advisories"] = std::move(advisories);

  if (std::string d = DateTime(f.published); !d.empty()) v["published"] = d;
  if (std::string d = DateTime(f.modified); !d.empty()) v["updated"] = d;

  if (!analysis.empty()) v["analysis"] = analysis;

  ordered_json affects = ordered_json::array();
  std::set<std::pair<std::string, std::string>> affected;
  for (const auto& [p, g2] : g.findings) {
    auto it = ref_of.find(p);
    if (it == ref_of.end() || !affected.insert({it->second, g2->installed_version}).second) continue;
    ordered_json a{{"ref", it->second}};
    if (!g2->installed_version.empty())
      a["versions"] = ordered_json::array(
          {ordered_json{{"version", g2->installed_version}, {"status", unaffected ? "unaffected" : "affected"}}});
    affects.push_back(std::move(a));
  }
  v["affects"] = std::move(affects);

  Properties props;
  AddProperty(props, "Title", f.title);
  AddProperty(props, "DataSource", f.source.id);
  AddProperty(props, "SeveritySource", f.severity_source);
  AddProperty(props, "SeverityVector", f.severity_vector);
  if (f.epss) AddProperty(props, "EPSS", FormatProbability(*f.epss));
  if (f.epss_percentile) AddProperty(props, "EPSSPercentile", FormatProbability(*f.epss_percentile));
  AddProperty(props, "RiskScore", std::to_string(Risk(f).score));
  std::set<std::string> statuses;
  for (const auto& [p, g2] : g.findings) statuses.insert(std::string(report::FixStatusName(g2->status)));
  for (const auto& st : statuses) AddProperty(props, "Status", st);
  if (f.kev) {
    AddProperty(props, "KEV", "true");
    AddProperty(props, "KEVDateAdded", f.kev_date_added);
  }
  if (g.suppressed)
    for (const auto& s : f.suppressed_by) AddProperty(props, "SuppressedBy", s.kind);
  v["properties"] = PropertiesJson(std::move(props));
  return v;
}

class CycloneDxReporter : public Reporter {
 public:
  std::string_view Name() const override { return "cyclonedx"; }

  void Write(const ScanResult& result, const ReportOptions& opts, std::ostream& out) const override {
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

    // The packages, target by target. A language target is an application component (the project
    // a lockfile, a binary or an installed tree stands for) ahead of its packages.
    const std::vector<report::Target> targets = report::BuildTargets(inv);
    std::vector<const Package*> all;
    for (const auto& t : targets)
      for (const Package* p : t.packages) all.push_back(p);
    std::map<const Package*, std::string> ref_of;
    std::vector<std::string> app_refs(targets.size());
    for (size_t ti = 0; ti < targets.size(); ++ti) {
      const report::Target& t = targets[ti];
      const bool lang = t.cls == "lang-pkgs";
      if (lang) {
        app_refs[ti] = UniqueRef(used_refs, "application:" + t.type + ":" + t.name);
        artifact_deps.push_back(app_refs[ti]);
        ordered_json c;
        c["bom-ref"] = app_refs[ti];
        c["type"] = "application";
        c["name"] = t.name;
        Properties props;
        AddProperty(props, "Class", t.cls);
        AddProperty(props, "Type", t.type);
        AddProperty(props, "Path", t.path);
        c["properties"] = PropertiesJson(std::move(props));
        components.push_back(std::move(c));
      }
      for (const Package* p : t.packages) {
        std::string purl = Purl(*p, inv.os);
        std::string ref = UniqueRef(used_refs, !purl.empty() ? purl : "package:" + p->type + "/" + p->name);
        ref_of[p] = ref;
        if (!lang) artifact_deps.push_back(ref);

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
    }
    bom["components"] = std::move(components);

    // The dependency graph: the artifact holds the OS, the OS packages and the applications; an
    // application depends on its direct packages (report::TargetRoots); each package on the packages
    // its database names (report::DependencyIndex).
    auto dep_entry = [](const std::string& ref, const std::vector<std::string>& on) {
      ordered_json d;
      d["ref"] = ref;
      d["dependsOn"] = on;
      return d;
    };
    dependencies.push_back(dep_entry(artifact_ref, artifact_deps));
    if (!os_ref.empty()) dependencies.push_back(dep_entry(os_ref, {}));
    report::DependencyIndex index(all);
    for (size_t ti = 0; ti < targets.size(); ++ti) {
      const report::Target& t = targets[ti];
      if (!app_refs[ti].empty()) {
        std::vector<std::string> on;
        for (const Package* p : report::TargetRoots(t, index)) on.push_back(ref_of[p]);
        dependencies.push_back(dep_entry(app_refs[ti], on));
      }
      for (const Package* p : t.packages) {
        std::vector<std::string> on;
        for (const Package* d : index.Resolve(*p)) on.push_back(ref_of[d]);
        dependencies.push_back(dep_entry(ref_of[p], on));
      }
    }
    bom["dependencies"] = std::move(dependencies);

    // Vulnerabilities, when the scanner ran: one entry per id (and per suppression, under
    // show_suppressed), affecting the packages' components.
    if (result.vuln_scanned) {
      const auto by_pkg = report::FindingsByPackage(result, opts);
      std::map<std::tuple<std::string, bool, std::string>, VulnGroup> groups;  // (id, suppressed, detail)
      for (const Package* p : all) {
        auto it = by_pkg.find(p);
        if (it == by_pkg.end()) continue;
        for (const VulnFinding* f : it->second) {
          const bool sup = !f->suppressed_by.empty();
          std::string key = sup ? AnalysisJson(*f).dump() : "";
          VulnGroup& g = groups[{f->id, sup, key}];
          g.id = f->id;
          g.suppressed = sup;
          g.findings.emplace_back(p, f);
        }
      }
      ordered_json vulns = ordered_json::array();
      for (const auto& [key, g] : groups) {
        std::string ref = UniqueRef(used_refs, "vuln:" + g.id + (g.suppressed ? "#suppressed" : ""));
        vulns.push_back(VulnJson(g, ref, ref_of, opts.show_suppressed));
      }
      // The serial number tells this BOM from the inventory-only one.
      bom["serialNumber"] =
          "urn:uuid:" + report::UuidFromHex(report::HexSha256(report::ContentHash(result) + vulns.dump()));
      bom["vulnerabilities"] = std::move(vulns);
      if (!result.notices.empty()) {
        Properties notes;
        for (const auto& n : result.notices)
          AddProperty(notes, "Notice", (n.kind.empty() ? "" : n.kind + ": ") + n.message);
        bom["metadata"]["properties"] = PropertiesJson(std::move(notes));
      }
    }

    out << bom.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  }
};

}  // namespace

std::unique_ptr<Reporter> MakeReporter_cyclonedx() { return std::make_unique<CycloneDxReporter>(); }

}  // namespace customs
