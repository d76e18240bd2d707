// The customs JSON report, schemaVersion 1 (docs/json-format.md). Stable: every field is always
// present (empty strings and arrays stay), keys in a fixed order, packages sorted. The vulnerability
// fields (per-package "vulnerabilities", top-level "notices" and "summary") appear only when the
// vulnerability scanner ran.
#include <map>
#include <memory>
#include <set>
#include <vector>

#include <nlohmann/json.hpp>

#include "findings/risk.h"
#include "inventory/purl.h"
#include "reporters/common.h"
#include "reporters/reporter.h"

namespace customs {

namespace {

using ordered_json = nlohmann::ordered_json;

ordered_json StringArray(const std::vector<std::string>& v) {
  ordered_json a = ordered_json::array();
  for (const auto& s : v) a.push_back(s);
  return a;
}

// Why a finding is suppressed (with --show-suppressed), the same for every kind of finding.
ordered_json SuppressedJson(const std::vector<Suppression>& suppressed_by) {
  ordered_json sup = ordered_json::array();
  for (const auto& s : suppressed_by)
    sup.push_back(ordered_json{
        {"kind", s.kind}, {"statement", s.statement}, {"justification", s.justification}, {"source", s.source}});
  return sup;
}

ordered_json ArtifactJson(const Artifact& a) {
  ordered_json j;
  j["name"] = a.name;
  j["type"] = std::string(report::ArtifactTypeName(a.type));
  j["imageId"] = a.image_id;
  j["manifestDigest"] = a.manifest_digest;
  j["repoTags"] = StringArray(a.repo_tags);
  j["repoDigests"] = StringArray(a.repo_digests);
  j["platform"] = ordered_json{{"os", a.platform.os},
                               {"architecture", a.platform.architecture},
                               {"variant", a.platform.variant}};
  j["created"] = a.created;
  return j;
}

ordered_json OsJson(const std::optional<OSInfo>& os) {
  if (!os) return nullptr;
  return ordered_json{{"family", os->family}, {"name", os->name}, {"version", os->version}, {"codename", os->codename}};
}

ordered_json LayerJson(const LayerInfo& l) {
  ordered_json j;
  j["index"] = l.index;
  j["digest"] = l.digest;
  j["diffId"] = l.diff_id;
  j["mediaType"] = l.media_type;
  j["size"] = l.size;
  j["uncompressedSize"] = l.uncompressed_size;
  j["createdBy"] = l.created_by;
  return j;
}

ordered_json LayerRefJson(const Inventory& inv, const Package& p) {
  if (const LayerInfo* l = report::LayerOf(inv, p)) return ordered_json{{"index", l->index}, {"diffId", l->diff_id}};
  return nullptr;
}

ordered_json VulnJson(const Inventory& inv, const Package& p, const VulnFinding& f, const ReportOptions& opts) {
  ordered_json j;
  j["id"] = f.id;
  j["aliases"] = StringArray(f.aliases);
  j["installedVersion"] = f.installed_version;
  j["fixedVersion"] = f.fixed_version;
  j["status"] = std::string(report::FixStatusName(f.status));
  j["severity"] = std::string(cvss::Name(f.severity));
  j["severitySource"] = f.severity_source;
  j["severityVector"] = f.severity_vector;
  ordered_json cv = ordered_json::array();
  for (const auto& c : f.cvss)
    cv.push_back(ordered_json{{"source", c.source}, {"version", c.version}, {"vector", c.vector}, {"score", c.score}});
  j["cvss"] = std::move(cv);
  j["kev"] = f.kev;
  j["kevDateAdded"] = f.kev_date_added;
  // Absent, not 0, when the database has no EPSS score for the CVE.
  if (f.epss) j["epss"] = *f.epss;
  if (f.epss_percentile) j["epssPercentile"] = *f.epss_percentile;
  const RiskScore risk = Risk(f);
  j["risk"] = ordered_json{{"score", risk.score},
                           {"impact", risk.impact},
                           {"impactFrom", risk.impact_from},
                           {"exploitation", risk.exploitation},
                           {"exploitationFrom", risk.exploitation_from},
                           {"fixAvailable", risk.fix},
                           {"missing", StringArray(risk.missing)}};
  j["title"] = f.title;
  j["description"] = f.description;
  j["references"] = StringArray(f.references);
  j["cwes"] = StringArray(f.cwes);
  j["published"] = f.published;
  j["modified"] = f.modified;
  j["dataSource"] = ordered_json{{"id", f.source.id}, {"name", f.source.name}, {"url", f.source.url}};
  j["layer"] = LayerRefJson(inv, p);
  if (opts.show_suppressed) j["suppressed"] = SuppressedJson(f.suppressed_by);
  return j;
}

ordered_json PackageJson(const Inventory& inv, const Package& p) {
  ordered_json j;
  j["name"] = p.name;
  j["version"] = p.version;
  j["epoch"] = p.epoch;
  j["upstreamVersion"] = p.upstream;
  j["release"] = p.release;
  j["arch"] = p.arch;
  j["srcName"] = p.src_name;
  j["srcVersion"] = p.src_version;
  j["srcEpoch"] = p.src_epoch;
  j["licenses"] = StringArray(p.licenses);
  j["maintainer"] = p.maintainer;
  j["purl"] = Purl(p, inv.os);
  j["dbPath"] = p.db_path;
  j["layer"] = LayerRefJson(inv, p);
  j["dependsOn"] = StringArray(p.depends);
  j["files"] = StringArray(p.files);
  ordered_json extra = ordered_json::object();
  for (const auto& [k, v] : p.extra) extra[k] = v;  // std::map: sorted keys
  j["extra"] = std::move(extra);
  return j;
}

ordered_json LayerIndexJson(const Inventory& inv, int index) {
  for (const auto& l : inv.layers)
    if (l.index == index) return ordered_json{{"index", l.index}, {"digest", l.digest}, {"diffId", l.diff_id}};
  return nullptr;
}

ordered_json SecretJson(const Inventory& inv, const SecretFinding& f, const ReportOptions& opts) {
  ordered_json j;
  j["ruleId"] = f.rule_id;
  j["category"] = f.category;
  j["title"] = f.title;
  j["severity"] = std::string(cvss::Name(f.severity));
  j["startLine"] = f.line;
  j["startColumn"] = f.column;
  j["endLine"] = f.end_line;
  j["match"] = report::SecretText(f, opts);
  j["snippet"] = report::SecretSnippet(f, opts);
  j["layer"] = LayerIndexJson(inv, f.layer);
  if (f.removed_in_layer >= 0) {
    ordered_json r = LayerIndexJson(inv, f.removed_in_layer);
    if (r.is_null()) r = ordered_json::object();
    r["how"] = f.replaced ? "replaced" : "deleted";
    j["removedInLayer"] = std::move(r);
  } else {
    j["removedInLayer"] = nullptr;
  }
  if (opts.show_suppressed) j["suppressed"] = SuppressedJson(f.suppressed_by);
  return j;
}

ordered_json MisconfigJson(const Inventory& inv, const MisconfigFinding& f, const ReportOptions& opts) {
  ordered_json j;
  j["id"] = f.check_id;
  j["title"] = f.title;
  j["description"] = f.description;
  j["message"] = f.message;
  j["resolution"] = f.remediation;
  j["severity"] = std::string(cvss::Name(f.severity));
  j["primaryURL"] = f.references.empty() ? std::string() : f.references.front();
  j["references"] = StringArray(f.references);
  j["causeMetadata"] = ordered_json{{"startLine", f.line}, {"endLine", f.end_line}};
  j["layer"] = LayerIndexJson(inv, f.layer);
  if (opts.show_suppressed) j["suppressed"] = SuppressedJson(f.suppressed_by);
  return j;
}

class JsonReporter : public Reporter {
 public:
  std::string_view Name() const override { return "json"; }

  void Write(const ScanResult& result, const ReportOptions& opts, std::ostream& out) const override {
    const Inventory& inv = result.inventory;
    ordered_json doc;
    doc["schemaVersion"] = 1;
    doc["tool"] = ordered_json{{"name", "customs"}, {"version", result.tool_version}};
    doc["createdAt"] = result.scanned_at;
    doc["artifact"] = ArtifactJson(inv.artifact);
    doc["os"] = OsJson(inv.os);

    ordered_json layers = ordered_json::array();
    for (const auto& l : inv.layers) layers.push_back(LayerJson(l));
    doc["layers"] = std::move(layers);

    // Vulnerabilities (only when the vulnerability scanner ran: otherwise the report is unchanged).
    const auto findings = result.vuln_scanned ? report::FindingsByPackage(result, opts)
                                              : std::map<const Package*, std::vector<const VulnFinding*>>();
    std::vector<const VulnFinding*> shown;

    ordered_json targets = ordered_json::array();
    for (const auto& t : report::BuildTargets(inv)) {
      ordered_json tj;
      tj["target"] = t.name;
      tj["class"] = t.cls;
      tj["type"] = t.type;
      ordered_json pkgs = ordered_json::array();
      std::vector<const Package*> order = t.packages;
      if (opts.sort_by_risk && result.vuln_scanned) {
        // Packages by the risk of their riskiest shown finding (FindingsByPackage sorted each list).
        auto top = [&](const Package* p) {
          auto it = findings.find(p);
          return it == findings.end() || it->second.empty() ? -1 : Risk(*it->second.front()).score;
        };
        std::stable_sort(order.begin(), order.end(), [&](const Package* a, const Package* b) { return top(a) > top(b); });
      }
      for (const Package* p : order) {
        ordered_json pj = PackageJson(inv, *p);
        if (result.vuln_scanned) {
          ordered_json vulns = ordered_json::array();
          auto it = findings.find(p);
          if (it != findings.end())
            for (const VulnFinding* f : it->second) {
              vulns.push_back(VulnJson(inv, *p, *f, opts));
              shown.push_back(f);
            }
          pj["vulnerabilities"] = std::move(vulns);
        }
        pkgs.push_back(std::move(pj));
      }
      tj["packages"] = std::move(pkgs);
      targets.push_back(std::move(tj));
    }
    // Secrets (when the secret scanner ran): one target per file, class "secret".
    if (result.secret_scanned) {
      for (const auto& [path, list] : report::SecretsByPath(result, opts)) {
        ordered_json tj;
        tj["target"] = path;
        tj["class"] = "secret";
        ordered_json arr = ordered_json::array();
        for (const SecretFinding* f : list) arr.push_back(SecretJson(inv, *f, opts));
        tj["secrets"] = std::move(arr);
        targets.push_back(std::move(tj));
      }
    }
    // Misconfigurations (when the misconfiguration scanner ran): one target per configuration file,
    // class "config", findings or not.
    if (result.misconfig_scanned) {
      for (const auto& g : report::MisconfigsByFile(result, opts)) {
        ordered_json tj;
        tj["target"] = g.path;
        tj["class"] = "config";
        tj["type"] = g.kind;
        tj["layer"] = LayerIndexJson(inv, g.layer);
        tj["misconfSummary"] = ordered_json{{"successes", g.checks > int(g.failed_checks) ? g.checks - int(g.failed_checks) : 0},
                                           {"failures", g.failed_checks}};
        ordered_json arr = ordered_json::array();
        for (const MisconfigFinding* f : g.findings) arr.push_back(MisconfigJson(inv, *f, opts));
        tj["misconfigurations"] = std::move(arr);
        targets.push_back(std::move(tj));
      }
    }
    doc["targets"] = std::move(targets);

    ordered_json diags = ordered_json::array();
    for (const auto& d : inv.diagnostics) diags.push_back(ordered_json{{"where", d.where}, {"message", d.message}});
    doc["diagnostics"] = std::move(diags);

    if (result.vuln_scanned) {
      ordered_json notices = ordered_json::array();
      for (const auto& n : result.notices) notices.push_back(ordered_json{{"kind", n.kind}, {"message", n.message}});
      doc["notices"] = std::move(notices);
      // A (vulnerability, package, version) that several targets show counts once, as the gates count.
      const report::SeverityCounts counts = report::CountFindingsOnce(result, shown);
      ordered_json by_sev;
      for (Severity s : report::SeveritiesDescending()) by_sev[std::string(cvss::Name(s))] = counts[s];
      ordered_json summary;
      summary["vulnerabilities"] = std::move(by_sev);
      summary["total"] = counts.total;
      std::set<std::string> kev_seen;
      for (const VulnFinding* f : shown)
        if (f->kev && f->suppressed_by.empty()) kev_seen.insert(f->id);
      summary["kev"] = kev_seen.size();
      if (opts.show_suppressed) summary["suppressed"] = counts.suppressed;
      doc["summary"] = std::move(summary);
    }
    if (result.secret_scanned) {
      size_t n = 0;
      for (const auto& f : result.secrets) n += f.suppressed_by.empty();
      if (!doc.contains("summary")) doc["summary"] = ordered_json::object();
      doc["summary"]["secrets"] = n;
    }
    if (result.misconfig_scanned) {
      const report::SeverityCounts counts = report::CountMisconfigs(result);
      ordered_json by_sev;
      for (Severity s : report::SeveritiesDescending()) by_sev[std::string(cvss::Name(s))] = counts[s];
      ordered_json m;
      m["bySeverity"] = std::move(by_sev);
      m["total"] = counts.total;
      if (opts.show_suppressed) m["suppressed"] = counts.suppressed;
      if (!doc.contains("summary")) doc["summary"] = ordered_json::object();
      doc["summary"]["misconfigurations"] = std::move(m);
    }

    // Invalid UTF-8 from a package database is replaced (U+FFFD) rather than aborting the report.
    out << doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  }
};

}  // namespace

std::unique_ptr<Reporter> MakeReporter_json() { return std::make_unique<JsonReporter>(); }

}  // namespace customs
