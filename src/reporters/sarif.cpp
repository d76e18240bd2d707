// SARIF 2.1.0 for GitHub code scanning (and any SARIF viewer). One run; one rule per vulnerability
// id; one result per (package, vulnerability) finding, located at the package database the package
// was read from ("lib/apk/db/installed", relative to the scanned root: uriBaseId ROOTPATH).
//
// GitHub reads:
//   rules[].properties["security-severity"]  a CVSS-like score as a string ("9.8"): its severity
//                                            badge (critical >= 9.0, high >= 7.0, medium >= 4.0, low)
//   rules[].properties.tags                  "security" marks a security alert
//   results[].partialFingerprints            alert identity across runs (ours: customs/v1, below)
//   results[].suppressions                   a suppressed result is shown as dismissed
// Deterministic: rules sorted by id, results in target/package order then by id, no timestamps but
// the scan's own.
#include <algorithm>
#include <map>
#include <memory>
#include <set>

#include <nlohmann/json.hpp>

#include "findings/risk.h"
#include "inventory/purl.h"
#include "reporters/common.h"
#include "reporters/reporter.h"

namespace customs {

namespace {

using ordered_json = nlohmann::ordered_json;

constexpr const char* kSchema = "https://json.schemastore.org/sarif-2.1.0.json";
constexpr const char* kRootBase = "ROOTPATH";

// SARIF levels: CRITICAL/HIGH error, MEDIUM warning, LOW/NONE/UNKNOWN note.
const char* Level(Severity s) {
  switch (s) {
    case Severity::kCritical:
    case Severity::kHigh: return "error";
    case Severity::kMedium: return "warning";
    default: return "note";
  }
}

// A score that stands for a severity when no CVSS score of that severity is known; the middle of
// GitHub's bands (as Trivy writes them).
const char* SeverityScore(Severity s) {
  switch (s) {
    case Severity::kCritical: return "9.5";
    case Severity::kHigh: return "8.0";
    case Severity::kMedium: return "5.5";
    case Severity::kLow: return "2.0";
    default: return "0.0";
  }
}

cvss::Version CvssVersion(const std::string& v) {
  if (v.rfind("2", 0) == 0) return cvss::Version::kV2;
  if (v == "3.0") return cvss::Version::kV3_0;
  if (v.rfind("4", 0) == 0) return cvss::Version::kV4_0;
  return cvss::Version::kV3_1;
}

std::string OneDecimal(double score) {
  score = std::clamp(score, 0.0, 10.0);
  int tenths = static_cast<int>(score * 10 + 0.5);
  return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10);
}

// "security-severity": the primary CVSS score when it falls in the finding's severity band (so that
// GitHub's badge agrees with the severity customs reports), otherwise the severity's stand-in score.
std::string SecuritySeverity(const VulnFinding& f) {
  // The vector that gave the severity, when one did (detectors/affected.cpp's precedence).
  if (!f.severity_vector.empty())
    for (const auto& c : f.cvss)
      if (c.vector == f.severity_vector) return OneDecimal(c.score);
  if (const CvssEntry* c = report::PrimaryCvss(f))
    if (f.severity != Severity::kUnknown && cvss::FromCvssScore(c->score, CvssVersion(c->version)) == f.severity)
      return OneDecimal(c->score);
  return SeverityScore(f.severity);
}

// The first reference that is a usable absolute URL; "" when none.
std::string PrimaryUrl(const VulnFinding& f) {
  for (const auto& r : f.references)
    if (report::IsHttpUrl(r)) return r;
  return "";
}

// A relative URI reference for a path: unreserved characters and '/' stay, the rest is
// percent-encoded (a ':' in the first segment would otherwise read as a scheme).
std::string PathUri(std::string_view path) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (char ch : path) {
    auto c = static_cast<unsigned char>(ch);
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
        c == '_' || c == '~' || c == '/') {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  while (!out.empty() && out[0] == '/') out.erase(0, 1);
  return out;
}

std::string MarkdownCell(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '|') out += "\\|";
    else if (c == '\n' || c == '\r') out += ' ';
    else out.push_back(c);
  }
  return out;
}

struct Rule {
  const VulnFinding* lead = nullptr;  // the most severe finding of this id (ties: FindingLess)
  std::vector<std::pair<const Package*, const VulnFinding*>> findings;
  std::string cls;  // target class of the lead's package
};

ordered_json RuleJson(const std::string& id, const Rule& r) {
  const VulnFinding& f = *r.lead;
  const std::string sev(cvss::Name(f.severity));
  const std::string url = PrimaryUrl(f);
  const std::string title = f.title.empty() ? id : f.title;
  const std::string full = f.description.empty() ? title : f.description;

  std::string text = "Vulnerability " + id + "\nSeverity: " + sev;
  if (!f.aliases.empty()) {
    text += "\nAliases:";
    for (const auto& a : f.aliases) text += " " + a;
  }
  std::string md = "**Vulnerability " + MarkdownCell(id) + "**\n| Severity | Package | Fixed Version | Link |\n"
                   "| --- | --- | --- | --- |\n";
  for (const auto& [p, g] : r.findings) {
    text += "\nPackage: " + p->name + "\nFixed Version: " + g->fixed_version;
    md += "|" + std::string(cvss::Name(g->severity)) + "|" + MarkdownCell(p->name) + "|" +
          MarkdownCell(g->fixed_version) + "|" + (url.empty() ? "" : "[" + MarkdownCell(id) + "](" + url + ")") +
          "|\n";
  }
  if (!url.empty()) text += "\nLink: [" + id + "](" + url + ")";
  if (f.kev) {
    std::string kev = "Listed in CISA's Known Exploited Vulnerabilities catalog" +
                      (f.kev_date_added.empty() ? std::string() : " (added " + f.kev_date_added + ")");
    text += "\n" + kev;
    md += "\n**" + kev + "**\n";
  }
  text += "\n" + full;
  md += "\n" + MarkdownCell(full);

  ordered_json j;
  j["id"] = id;
  j["name"] = r.cls == "os-pkgs" ? "OsPackageVulnerability" : "LanguageSpecificPackageVulnerability";
  j["shortDescription"] = ordered_json{{"text", title}};
  j["fullDescription"] = ordered_json{{"text", full}};
  j["defaultConfiguration"] = ordered_json{{"level", Level(f.severity)}};
  if (!url.empty()) j["helpUri"] = url;
  j["help"] = ordered_json{{"text", text}, {"markdown", md}};
  ordered_json tags = ordered_json::array({"vulnerability", "security", sev});
  if (f.kev) tags.push_back("kev");
  j["properties"] = ordered_json{{"precision", "very-high"}, {"security-severity", SecuritySeverity(f)}, {"tags", tags}};
  // Which source and which vector gave the severity (docs/risk.md), and the prioritisation inputs.
  if (!f.severity_source.empty()) j["properties"]["severitySource"] = f.severity_source;
  if (!f.severity_vector.empty()) j["properties"]["severityVector"] = f.severity_vector;
  if (f.epss) j["properties"]["epss"] = *f.epss;
  if (f.epss_percentile) j["properties"]["epssPercentile"] = *f.epss_percentile;
  j["properties"]["riskScore"] = Risk(f).score;
  return j;
}

class SarifReporter : public Reporter {
 public:
  std::string_view Name() const override { return "sarif"; }

  void Write(const ScanResult& result, const ReportOptions& opts, std::ostream& out) const override {
    const Inventory& inv = result.inventory;
    const Artifact& art = inv.artifact;

    // Findings in report order: targets, packages, then id.
    std::vector<std::pair<const Package*, const VulnFinding*>> ordered;
    std::map<std::string, Rule> rules;  // sorted by id
    if (result.vuln_scanned) {
      const auto by_pkg = report::FindingsByPackage(result, opts);
      for (const auto& t : report::BuildTargets(inv))
        for (const Package* p : t.packages) {
          auto it = by_pkg.find(p);
          if (it == by_pkg.end()) continue;
          for (const VulnFinding* f : it->second) {
            ordered.emplace_back(p, f);
            Rule& r = rules[f->id];
            r.findings.emplace_back(p, f);
            if (!r.lead || report::FindingMoreSevere(*f, *r.lead)) {
              r.lead = f;
              r.cls = t.cls;
            }
          }
        }
    }

    ordered_json rule_list = ordered_json::array();
    std::map<std::string, size_t> rule_index;
    for (const auto& [id, r] : rules) {
      rule_index[id] = rule_list.size();
      rule_list.push_back(RuleJson(id, r));
    }
    // Secret rules, after the vulnerabilities', sorted by id: one per rule that found something.
    std::vector<const SecretFinding*> secrets;
    if (result.secret_scanned)
      for (const auto& [path, list] : report::SecretsByPath(result, opts)) secrets.insert(secrets.end(), list.begin(), list.end());
    {
      std::map<std::string, const SecretFinding*> secret_rules;
      for (const SecretFinding* f : secrets) secret_rules.emplace(f->rule_id, f);
      for (const auto& [id, f] : secret_rules) {
        if (rule_index.count(id)) continue;
        rule_index[id] = rule_list.size();
        ordered_json j;
        j["id"] = id;
        j["name"] = "Secret";
        j["shortDescription"] = ordered_json{{"text", f->title.empty() ? id : f->title}};
        j["fullDescription"] = ordered_json{{"text", "A " + (f->title.empty() ? id : f->title) +
                                                         " (" + f->category + ") is stored in the artifact."}};
        j["defaultConfiguration"] = ordered_json{{"level", Level(f->severity)}};
        const std::string sev(cvss::Name(f->severity));
        j["help"] = ordered_json{{"text", "Remove the credential from the image and revoke it: it stays in the layer "
                                          "that added it even when a later layer deletes the file."},
                                 {"markdown", "**" + (f->title.empty() ? id : f->title) + "** (" + sev +
                                                  "): remove the credential from the image and revoke it."}};
        j["properties"] = ordered_json{{"precision", "high"}, {"tags", ordered_json::array({"secret", "security", sev})}};
        rule_list.push_back(std::move(j));
      }
    }

    // Misconfiguration rules, after those: one per check that found something, sorted by id; the
    // help text is the check's remediation and references.
    std::vector<const MisconfigFinding*> misconfigs;
    if (result.misconfig_scanned)
      for (const auto& g : report::MisconfigsByFile(result, opts)) misconfigs.insert(misconfigs.end(), g.findings.begin(), g.findings.end());
    {
      std::map<std::string, const MisconfigFinding*> checks;
      for (const MisconfigFinding* f : misconfigs) checks.emplace(f->check_id, f);
      for (const auto& [id, f] : checks) {
        if (rule_index.count(id)) continue;
        rule_index[id] = rule_list.size();
        const std::string sev(cvss::Name(f->severity));
        const std::string title = f->title.empty() ? id : f->title;
        std::string url;
        for (const auto& ref : f->references)
          if (url.empty() && report::IsHttpUrl(ref)) url = ref;
        std::string text = "Misconfiguration " + id + "\nType: " + f->kind + "\nSeverity: " + sev + "\nCheck: " + title +
                           "\n" + f->description + "\nResolution: " + f->remediation;
        std::string md = "**Misconfiguration " + MarkdownCell(id) + "**\n| Type | Severity | Check | Message | Link |\n"
                         "| --- | --- | --- | --- | --- |\n|" + MarkdownCell(f->kind) + "|" + sev + "|" +
                         MarkdownCell(title) + "|" + MarkdownCell(f->description) + "|" +
                         (url.empty() ? "" : "[" + MarkdownCell(id) + "](" + url + ")") + "|\n\n" +
                         MarkdownCell(f->remediation);
        for (const auto& ref : f->references) {
          text += "\nReference: " + ref;
          if (ref != url) md += "\n- " + MarkdownCell(ref);
        }
        ordered_json j;
        j["id"] = id;
        j["name"] = "Misconfiguration";
        j["shortDescription"] = ordered_json{{"text", title}};
        j["fullDescription"] = ordered_json{{"text", f->description.empty() ? title : f->description}};
        j["defaultConfiguration"] = ordered_json{{"level", Level(f->severity)}};
        if (!url.empty()) j["helpUri"] = url;
        j["help"] = ordered_json{{"text", text}, {"markdown", md}};
        j["properties"] = ordered_json{{"precision", "very-high"},
                                       {"security-severity", SeverityScore(f->severity)},
                                       {"tags", ordered_json::array({"misconfiguration", "security", f->kind, sev})}};
        rule_list.push_back(std::move(j));
      }
    }

    ordered_json driver;
    driver["name"] = "customs";
    driver["fullName"] = "customs container security scanner";
    if (!result.tool_version.empty()) {
      driver["version"] = result.tool_version;
      driver["semanticVersion"] = result.tool_version;
    }
    driver["rules"] = std::move(rule_list);

    ordered_json results = ordered_json::array();
    for (const auto& [p, f] : ordered) {
      const std::string sev(cvss::Name(f->severity));
      const std::string url = PrimaryUrl(*f);
      std::string msg = "Package: " + p->name + "\nInstalled Version: " + f->installed_version + "\nVulnerability " +
                        f->id + "\nSeverity: " + sev + "\nFixed Version: " + f->fixed_version;
      if (f->kev) msg += "\nKnown exploited: CISA KEV" + (f->kev_date_added.empty() ? "" : " (added " + f->kev_date_added + ")");
      if (!url.empty()) msg += "\nLink: [" + f->id + "](" + url + ")";

      const std::string db = !p->db_path.empty() ? p->db_path : art.name;
      ordered_json loc;
      loc["physicalLocation"] = ordered_json{
          {"artifactLocation", ordered_json{{"uri", PathUri(db)}, {"uriBaseId", kRootBase}}},
          {"region", ordered_json{{"startLine", 1}, {"startColumn", 1}, {"endLine", 1}, {"endColumn", 1}}}};
      loc["message"] = ordered_json{{"text", report::TargetName(inv) + ": " + p->name + "@" + p->version}};

      ordered_json r;
      r["ruleId"] = f->id;
      r["ruleIndex"] = rule_index[f->id];
      r["level"] = Level(f->severity);
      r["message"] = ordered_json{{"text", msg}};
      r["locations"] = ordered_json::array({loc});
      // Identity across runs: the artifact, the package (not its version: an upgrade that does not
      // fix the vulnerability keeps the alert) and the vulnerability.
      r["partialFingerprints"] = ordered_json{
          {"customs/v1", report::HexSha256(art.name + "\n" + p->type + "\n" + p->name + "\n" + p->arch + "\n" +
                                           p->db_path + "\n" + f->id)}};
      if (opts.show_suppressed && !f->suppressed_by.empty()) {
        ordered_json sups = ordered_json::array();
        for (const auto& s : f->suppressed_by) {
          std::string why = s.justification;
          if (!s.statement.empty()) why += (why.empty() ? "" : " — ") + s.statement;
          ordered_json sj{{"kind", "external"}, {"status", "accepted"}};
          if (!why.empty()) sj["justification"] = why;
          sj["properties"] = ordered_json{{"customsKind", s.kind}, {"source", s.source}};
          sups.push_back(std::move(sj));
        }
        r["suppressions"] = std::move(sups);
      }
      r["properties"] = ordered_json{{"packageName", p->name},
                                     {"packageType", p->type},
                                     {"installedVersion", f->installed_version},
                                     {"fixedVersion", f->fixed_version},
                                     {"status", std::string(report::FixStatusName(f->status))},
                                     {"kev", f->kev},
                                     {"purl", Purl(*p, inv.os)}};
      results.push_back(std::move(r));
    }

    for (const SecretFinding* f : secrets) {
      std::string msg = "Secret " + (f->title.empty() ? f->rule_id : f->title) + "\nSeverity: " +
                        std::string(cvss::Name(f->severity)) + "\nMatch: " + report::SecretText(*f, opts);
      if (f->layer >= 0) msg += "\nLayer: " + std::to_string(f->layer + 1);
      if (const std::string rm = report::SecretRemoval(*f); !rm.empty()) msg += " (" + rm + ")";
      const bool in_file = f->path.rfind("image-config:", 0) != 0;
      ordered_json loc;
      loc["physicalLocation"] = ordered_json{
          {"artifactLocation", ordered_json{{"uri", PathUri(in_file ? f->path : art.name)}, {"uriBaseId", kRootBase}}},
          {"region", ordered_json{{"startLine", std::max<uint64_t>(f->line, 1)},
                                  {"startColumn", std::max<uint64_t>(f->column, 1)},
                                  {"endLine", std::max<uint64_t>(f->end_line, std::max<uint64_t>(f->line, 1))}}}};
      loc["message"] = ordered_json{{"text", f->path}};
      ordered_json r;
      r["ruleId"] = f->rule_id;
      r["ruleIndex"] = rule_index[f->rule_id];
      r["level"] = Level(f->severity);
      r["message"] = ordered_json{{"text", msg}};
      r["locations"] = ordered_json::array({loc});
      r["partialFingerprints"] = ordered_json{
          {"customs/v1", report::HexSha256(art.name + "\n" + f->path + "\n" + f->rule_id + "\n" + f->secret)}};
      if (opts.show_suppressed && !f->suppressed_by.empty()) {
        ordered_json sups = ordered_json::array();
        for (const auto& sp : f->suppressed_by)
          sups.push_back(ordered_json{{"kind", "external"}, {"status", "accepted"}, {"justification", sp.statement}});
        r["suppressions"] = std::move(sups);
      }
      r["properties"] = ordered_json{{"category", f->category}, {"layer", f->layer}, {"removedInLayer", f->removed_in_layer}};
      results.push_back(std::move(r));
    }

    for (const MisconfigFinding* f : misconfigs) {
      const bool in_file = f->path != "image-config";  // image config findings point at the image
      std::string msg = "Misconfiguration " + f->check_id + ": " + f->message + "\nType: " + f->kind +
                        "\nSeverity: " + std::string(cvss::Name(f->severity)) + "\nResolution: " + f->remediation;
      if (f->layer >= 0) msg += "\nLayer: " + std::to_string(f->layer + 1);
      ordered_json region{{"startLine", std::max(f->line, 1)}, {"endLine", std::max(f->end_line, std::max(f->line, 1))}};
      ordered_json loc;
      loc["physicalLocation"] = ordered_json{
          {"artifactLocation", ordered_json{{"uri", PathUri(in_file ? f->path : art.name)},
                                            {"uriBaseId", kRootBase}}},
          {"region", std::move(region)}};
      loc["message"] = ordered_json{{"text", f->path}};
      ordered_json r;
      r["ruleId"] = f->check_id;
      r["ruleIndex"] = rule_index[f->check_id];
      r["level"] = Level(f->severity);
      r["message"] = ordered_json{{"text", msg}};
      r["locations"] = ordered_json::array({loc});
      // Identity across runs: the file and the check, plus the message (which names the container
      // or instruction), not the line (an edit above the finding keeps the alert).
      r["partialFingerprints"] = ordered_json{
          {"customs/v1", report::HexSha256(art.name + "\n" + f->path + "\n" + f->check_id + "\n" + f->message)}};
      if (opts.show_suppressed && !f->suppressed_by.empty()) {
        ordered_json sups = ordered_json::array();
        for (const auto& sp : f->suppressed_by)
          sups.push_back(ordered_json{{"kind", "external"}, {"status", "accepted"}, {"justification", sp.statement}});
        r["suppressions"] = std::move(sups);
      }
      r["properties"] = ordered_json{{"type", f->kind}, {"layer", f->layer}};
      results.push_back(std::move(r));
    }

    ordered_json run;
    run["tool"] = ordered_json{{"driver", std::move(driver)}};
    if (result.vuln_scanned && !result.notices.empty()) {
      ordered_json notes = ordered_json::array();
      for (const auto& n : result.notices)
        notes.push_back(ordered_json{{"level", "warning"}, {"message", ordered_json{{"text", n.message}}},
                                     {"descriptor", ordered_json{{"id", n.kind.empty() ? "notice" : n.kind}}}});
      run["invocations"] = ordered_json::array(
          {ordered_json{{"executionSuccessful", true}, {"toolExecutionNotifications", std::move(notes)}}});
    }
    run["results"] = std::move(results);
    run["columnKind"] = "utf16CodeUnits";
    run["originalUriBaseIds"] = ordered_json{{kRootBase, ordered_json{{"uri", "file:///"}}}};
    ordered_json props;
    props["artifactName"] = art.name;
    props["artifactType"] = std::string(report::ArtifactTypeName(art.type));
    if (!art.image_id.empty()) props["imageId"] = art.image_id;
    if (!art.repo_tags.empty()) props["repoTags"] = art.repo_tags;
    if (!art.repo_digests.empty()) props["repoDigests"] = art.repo_digests;
    if (inv.os && !inv.os->family.empty()) props["os"] = inv.os->family + (inv.os->version.empty() ? "" : " " + inv.os->version);
    if (!result.scanned_at.empty()) props["scannedAt"] = result.scanned_at;
    run["properties"] = std::move(props);

    ordered_json doc;
    doc["version"] = "2.1.0";
    doc["$schema"] = kSchema;
    doc["runs"] = ordered_json::array({std::move(run)});
    out << doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  }
};

}  // namespace

std::unique_ptr<Reporter> MakeReporter_sarif() { return std::make_unique<SarifReporter>(); }

}  // namespace customs
