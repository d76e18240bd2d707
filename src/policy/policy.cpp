// Policy filters and gates (rules in policy.h and docs/policy.md).
#include "policy/policy.h"

#include <fnmatch.h>

#include <algorithm>
#include <climits>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <string>
#include <unordered_set>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "core/ecosystem.h"
#include "core/error.h"
#include "findings/risk.h"
#include "formats/yaml.h"
#include "inventory/purl.h"
#include "policy/util.h"

namespace customs {
namespace {

using policy_detail::IEquals;
using policy_detail::Trim;

constexpr const char* kPolicyKinds[] = {"severity", "ignore-unfixed", "min-epss", "kev-only", "ignore-file", "vex"};

bool IsPolicyKind(const std::string& k) {
  for (const char* p : kPolicyKinds) {
    if (k == p) return true;
  }
  return false;
}

std::string SeverityListText(const std::vector<Severity>& s) {
  std::string out;
  for (Severity x : s) {
    if (!out.empty()) out += ",";
    out += std::string(cvss::Name(x));
  }
  return out;
}

bool SeverityWanted(Severity s, const std::vector<Severity>& list) {
  if (list.empty()) return true;
  for (Severity x : list) {
    if (x == s) return true;
    if (s == Severity::kNone && x == Severity::kLow) return true;  // NONE is shown as LOW
  }
  return false;
}

bool IdMatches(const VulnFinding& f, std::string_view id) {
  if (id.empty()) return false;
  if (IEquals(f.id, id)) return true;
  for (const auto& a : f.aliases) {
    if (IEquals(a, id)) return true;
  }
  return false;
}

bool PathMatches(const std::string& pattern, const std::string& path) {
  std::string p = path;
  while (!p.empty() && p.front() == '/') p.erase(0, 1);
  return pattern == p || fnmatch(pattern.c_str(), p.c_str(), 0) == 0;
}

// The IRI of a vulnerability names `id` when equal, or when its last path segment is `id`.
bool IriNames(const std::string& iri, const VulnFinding& f) {
  if (iri.empty()) return false;
  if (IdMatches(f, iri)) return true;
  const size_t slash = iri.find_last_of("/#");
  return slash != std::string::npos && IdMatches(f, std::string_view(iri).substr(slash + 1));
}

bool VexVulnMatches(const VexStatement& s, const VulnFinding& f) {
  if (IdMatches(f, s.vuln_name) || IriNames(s.vuln_iri, f)) return true;
  for (const auto& a : s.vuln_aliases) {
    if (IdMatches(f, a)) return true;
  }
  return false;
}

bool ProductNamesArtifact(const std::string& id, const Artifact& a) {
  if (!a.name.empty() && id == a.name) return true;
  return policy_detail::OciPurlNamesArtifact(id, a);
}

// The product (and subcomponent) of `s` that covers a package, "" when none does.
std::string VexProductFor(const VexStatement& s, const Artifact& art, const std::string& pkg_purl, bool have_pkg) {
  for (const auto& prod : s.products) {
    const bool names_pkg = have_pkg && PurlMatches(prod.id, pkg_purl);
    const bool names_image = ProductNamesArtifact(prod.id, art);
    if (prod.subcomponents.empty()) {
      if (names_pkg || names_image) return prod.id;
      continue;
    }
    if (!have_pkg || !(names_pkg || names_image)) continue;
    for (const auto& sub : prod.subcomponents) {
      if (PurlMatches(sub, pkg_purl)) return prod.id + " / " + sub;
    }
  }
  return "";
}

std::string VexReason(const VexStatement& s) {
  if (s.status == "not_affected") {
    if (!s.justification.empty() && !s.impact_statement.empty()) return s.justification + ": " + s.impact_statement;
    return !s.justification.empty() ? s.justification : s.impact_statement;
  }
  if (!s.status_notes.empty()) return s.status_notes;
  return s.action_statement;
}

bool IgnoreScopeMatches(const IgnoreEntry& e, const Package* pkg, const std::string& pkg_purl) {
  if (e.packages.empty() && e.purls.empty() && e.paths.empty()) return true;
  if (!pkg) return false;
  for (const auto& n : e.packages) {
    if (n == pkg->name) return true;
  }
  for (const auto& p : e.purls) {
    if (PurlMatches(p, pkg_purl)) return true;
  }
  for (const auto& p : e.paths) {
    if (PathMatches(p, pkg->db_path)) return true;
  }
  return false;
}

Error PolicyError(const std::string& path, const std::string& reason) { return UsageError(path + ": " + reason); }

std::vector<std::string> YamlStrings(const YAML::Node& n, const std::string& path, const std::string& key) {
  std::vector<std::string> out;
  if (n.IsNull()) return out;
  if (n.IsScalar()) {
    out.push_back(n.Scalar());
  } else if (n.IsSequence()) {
    for (const auto& x : n) {
      if (!x.IsScalar()) throw PolicyError(path, key + " must be a string or a list of strings");
      out.push_back(x.Scalar());
    }
  } else {
    throw PolicyError(path, key + " must be a string or a list of strings");
  }
  return out;
}

int YamlInt(const YAML::Node& n, const std::string& path, const std::string& key) {
  int v = 0;
  if (!n.IsScalar() || !YAML::convert<int>::decode(n, v)) throw PolicyError(path, key + " must be an integer");
  return v;
}

}  // namespace

std::vector<Severity> ParseSeverityList(std::string_view list) {
  std::vector<Severity> out;
  while (true) {
    const size_t comma = list.find(',');
    const std::string_view word = Trim(list.substr(0, comma));
    static const Severity kAll[] = {Severity::kUnknown, Severity::kNone, Severity::kLow,
                                    Severity::kMedium,  Severity::kHigh, Severity::kCritical};
    bool found = false;
    for (Severity s : kAll) {
      if (IEquals(word, cvss::Name(s))) {
        if (std::find(out.begin(), out.end(), s) == out.end()) out.push_back(s);
        found = true;
      }
    }
    if (!found) {
      throw UsageError("--severity: unknown severity \"" + std::string(word) +
                       "\" (expected UNKNOWN, NONE, LOW, MEDIUM, HIGH, CRITICAL, comma-separated)");
    }
    if (comma == std::string_view::npos) break;
    list = list.substr(comma + 1);
  }
  return out;
}

void ValidatePolicyOptions(const PolicyOptions& p) {
  if (p.exit_code < 0 || p.exit_code > 255) throw UsageError("--exit-code must be within 0..255");
  if (p.max_critical && *p.max_critical < 0) throw UsageError("--max-critical must be 0 or more");
  if (p.max_high && *p.max_high < 0) throw UsageError("--max-high must be 0 or more");
  if (p.max_total && *p.max_total < 0) throw UsageError("--max-total must be 0 or more");
  if (p.max_kev && *p.max_kev < 0) throw UsageError("--max-kev must be 0 or more");
  if (p.min_epss && !(*p.min_epss >= 0 && *p.min_epss <= 1))
    throw UsageError("--min-epss must be a probability from 0 to 1");
  if (!p.today.empty() && !policy_detail::IsDate(p.today)) throw UsageError("policy date must be YYYY-MM-DD");
}

PolicyOptions LoadPolicyFile(const std::string& path, PolicyOptions base) {
  const std::string content = policy_detail::ReadPolicyFile(path);
  YAML::Node root;
  try {
    root = LoadDocument(content, path);
  } catch (const YAML::Exception& e) {
    throw PolicyError(path, std::string("not valid YAML: ") + e.what());
  }
  if (!root || root.IsNull()) return base;
  if (!root.IsMap()) throw PolicyError(path, "a policy file must be a YAML mapping");
  const std::filesystem::path dir = std::filesystem::path(path).parent_path();
  const auto resolve = [&](const std::string& f) {
    const std::filesystem::path fp(f);
    return (fp.is_absolute() || dir.empty() ? fp : dir / fp).string();
  };
  PolicyOptions file;
  std::vector<std::string> ignore_files, vex_files;
  bool has_exit = false, has_severity = false;
  try {
    for (const auto& kv : root) {
      if (!kv.first.IsScalar()) throw PolicyError(path, "keys must be strings");
      const std::string key = kv.first.Scalar();
      const YAML::Node& v = kv.second;
      if (key == "severity") {
        std::string joined;
        for (const auto& s : YamlStrings(v, path, key)) joined += (joined.empty() ? "" : ",") + s;
        if (!joined.empty()) {
          try {
            file.severities = ParseSeverityList(joined);
          } catch (const Error& e) {
            throw PolicyError(path, e.what());
          }
          has_severity = true;
        }
      } else if (key == "ignore-unfixed") {
        bool b = false;
        if (!v.IsScalar() || !YAML::convert<bool>::decode(v, b)) throw PolicyError(path, key + " must be true or false");
        file.ignore_unfixed = b;
      } else if (key == "exit-code") {
        file.exit_code = YamlInt(v, path, key);
        has_exit = true;
      } else if (key == "max-critical") {
        file.max_critical = YamlInt(v, path, key);
      } else if (key == "max-high") {
        file.max_high = YamlInt(v, path, key);
      } else if (key == "max-total") {
        file.max_total = YamlInt(v, path, key);
      } else if (key == "max-kev") {
        file.max_kev = YamlInt(v, path, key);
      } else if (key == "min-epss") {
        double d = 0;
        if (!v.IsScalar() || !YAML::convert<double>::decode(v, d)) throw PolicyError(path, key + " must be a number");
        file.min_epss = d;
      } else if (key == "kev-only") {
        bool b = false;
        if (!v.IsScalar() || !YAML::convert<bool>::decode(v, b)) throw PolicyError(path, key + " must be true or false");
        file.kev_only = b;
      } else if (key == "ignorefile") {
        for (const auto& f : YamlStrings(v, path, key)) ignore_files.push_back(resolve(f));
      } else if (key == "vex") {
        for (const auto& f : YamlStrings(v, path, key)) vex_files.push_back(resolve(f));
      } else {
        throw PolicyError(path, "unknown key \"" + key +
                                    "\" (expected severity, ignore-unfixed, exit-code, max-critical, max-high, "
                                    "max-total, max-kev, min-epss, kev-only, ignorefile, vex)");
      }
    }
  } catch (const YAML::Exception& e) {
    throw PolicyError(path, e.what());
  }
  try {
    ValidatePolicyOptions(file);
  } catch (const Error& e) {
    throw PolicyError(path, std::string(e.what()).substr(2));  // "exit-code must be ..." without "--"
  }
  // The command line wins.
  if (base.severities.empty() && has_severity) base.severities = file.severities;
  if (!base.ignore_unfixed) base.ignore_unfixed = file.ignore_unfixed;
  if (base.exit_code == 0 && has_exit) base.exit_code = file.exit_code;
  if (!base.max_critical) base.max_critical = file.max_critical;
  if (!base.max_high) base.max_high = file.max_high;
  if (!base.max_total) base.max_total = file.max_total;
  if (!base.max_kev) base.max_kev = file.max_kev;
  if (!base.min_epss) base.min_epss = file.min_epss;
  if (!base.kev_only) base.kev_only = file.kev_only;
  base.ignore_files.insert(base.ignore_files.end(), ignore_files.begin(), ignore_files.end());
  base.vex_files.insert(base.vex_files.end(), vex_files.begin(), vex_files.end());
  return base;
}

std::string UtcToday() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

std::vector<std::string> ApplyFilters(ScanResult& r, const PolicyOptions& p) {
  std::vector<IgnoreEntry> ignores;
  for (const auto& f : p.ignore_files) {
    auto e = LoadIgnoreFile(f);
    ignores.insert(ignores.end(), std::make_move_iterator(e.begin()), std::make_move_iterator(e.end()));
  }
  std::vector<VexStatement> vex;
  for (const auto& f : p.vex_files) {
    auto s = LoadVexFile(f);
    vex.insert(vex.end(), std::make_move_iterator(s.begin()), std::make_move_iterator(s.end()));
  }
  return ApplyFilters(r, p, ignores, vex);
}

std::vector<std::string> ApplyFilters(ScanResult& r, const PolicyOptions& p, const std::vector<IgnoreEntry>& ignores,
                                      const std::vector<VexStatement>& vex) {
  std::vector<std::string> warnings;
  const std::string today = p.today.empty() ? UtcToday() : p.today;
  std::vector<const IgnoreEntry*> active;
  for (const auto& e : ignores) {
    if (!e.expires.empty() && today > e.expires) {
      warnings.push_back(e.where + ": ignore entry for " + e.id + " expired on " + e.expires +
                         "; it no longer suppresses");
    } else {
      active.push_back(&e);
    }
  }
  const auto& pkgs = r.inventory.packages;
  std::vector<std::string> purls(pkgs.size());
  std::vector<bool> purl_done(pkgs.size(), false);
  for (auto& f : r.vulnerabilities) {
    auto& sup = f.suppressed_by;
    sup.erase(std::remove_if(sup.begin(), sup.end(), [](const Suppression& s) { return IsPolicyKind(s.kind); }),
              sup.end());
    const Package* pkg = f.package_index < pkgs.size() ? &pkgs[f.package_index] : nullptr;
    std::string purl;
    if (pkg) {
      if (!purl_done[f.package_index]) {
        purls[f.package_index] = Purl(*pkg, r.inventory.os);
        purl_done[f.package_index] = true;
      }
      purl = purls[f.package_index];
    }

    if (!SeverityWanted(f.severity, p.severities)) {
      sup.push_back({"severity", "--severity " + SeverityListText(p.severities),
                     "severity " + std::string(cvss::Name(f.severity)) + " is not selected", "policy"});
    }
    if (p.ignore_unfixed && f.status != FixStatus::kFixed && f.fixed_version.empty()) {
      sup.push_back({"ignore-unfixed", "--ignore-unfixed", "no fixed version is available", "policy"});
    }
    // A KEV listing is exploitation observed: --min-epss never hides it.
    if (p.min_epss && !f.kev && (!f.epss || *f.epss < *p.min_epss)) {
      sup.push_back({"min-epss", "--min-epss " + FormatProbability(*p.min_epss),
                     f.epss ? "EPSS " + FormatProbability(*f.epss) + " is below the threshold" : "no EPSS score is known",
                     "policy"});
    }
    if (p.kev_only && !f.kev) {
      sup.push_back({"kev-only", "--kev-only", "not listed in CISA's Known Exploited Vulnerabilities catalog", "policy"});
    }
    for (const IgnoreEntry* e : active) {
      if (IdMatches(f, e->id) && IgnoreScopeMatches(*e, pkg, purl)) {
        sup.push_back({"ignore-file", e->statement, e->comment, e->where});
        break;
      }
    }
    // VEX: the latest matching statement (timestamp, then load order) decides.
    const VexStatement* best = nullptr;
    std::string best_product;
    for (const auto& s : vex) {
      if (!VexVulnMatches(s, f)) continue;
      std::string prod = VexProductFor(s, r.inventory.artifact, purl, pkg != nullptr);
      if (prod.empty()) continue;
      const long long t = s.has_time ? s.time : LLONG_MIN;
      const long long bt = best && best->has_time ? best->time : LLONG_MIN;
      if (!best || t >= bt) {
        best = &s;
        best_product = std::move(prod);
      }
    }
    if (best && (best->status == "not_affected" || best->status == "fixed")) {
      std::string statement = best->vuln_name + " " + best->status + " for " + best_product;
      if (!best->statement_id.empty()) statement += " (" + best->statement_id + ")";
      sup.push_back({"vex", statement, VexReason(*best), best->source});
    }
  }
  // Secrets and misconfigurations: the severity filter, and ignore entries naming the rule or check id
  // (scoped by `paths` globs over the file, when given; package scopes never match them).
  auto filter_by_id_and_path = [&](auto& findings, auto id_of) {
    for (auto& f : findings) {
      auto& sup = f.suppressed_by;
      sup.erase(std::remove_if(sup.begin(), sup.end(), [](const Suppression& s) { return IsPolicyKind(s.kind); }),
                sup.end());
      if (!SeverityWanted(f.severity, p.severities)) {
        sup.push_back({"severity", "--severity " + SeverityListText(p.severities),
                       "severity " + std::string(cvss::Name(f.severity)) + " is not selected", "policy"});
      }
      for (const IgnoreEntry* e : active) {
        if (!IEquals(e->id, id_of(f))) continue;
        if (!e->packages.empty() || !e->purls.empty()) continue;
        bool in_scope = e->paths.empty();
        for (const auto& glob : e->paths)
          if (PathMatches(glob, f.path)) in_scope = true;
        if (in_scope) {
          sup.push_back({"ignore-file", e->statement, e->comment, e->where});
          break;
        }
      }
    }
  };
  filter_by_id_and_path(r.secrets, [](const SecretFinding& f) -> const std::string& { return f.rule_id; });
  filter_by_id_and_path(r.misconfigs, [](const MisconfigFinding& f) -> const std::string& { return f.check_id; });
  return warnings;
}

std::string FindingCountKey(const VulnFinding& f, const Package* pkg) {
  std::string key = f.id;
  key += '\0';
  if (pkg) {
    key += pkg->type;
    key += '\0';
    key += ecosystem::FoldName(pkg->type, pkg->name);
  } else {
    key += std::to_string(f.package_index);
  }
  key += '\0';
  key += f.installed_version;
  return key;
}

PolicyOutcome Evaluate(const ScanResult& r, const PolicyOptions& p) {
  PolicyOutcome o;
  std::unordered_set<std::string> counted;
  const auto& pkgs = r.inventory.packages;
  for (const auto& f : r.vulnerabilities) {
    if (!f.suppressed_by.empty()) continue;
    if (!counted.insert(FindingCountKey(f, f.package_index < pkgs.size() ? &pkgs[f.package_index] : nullptr)).second)
      continue;
    ++o.surviving;
    if (f.severity == Severity::kCritical) ++o.critical;
    if (f.severity == Severity::kHigh) ++o.high;
    if (f.kev) ++o.kev;
  }
  const auto check = [&](const std::optional<int>& limit, int n, const std::string& what, const char* flag) {
    if (limit && n > *limit) {
      o.violations.push_back("policy: " + std::to_string(n) + " " + what + (n == 1 ? " vulnerability" : " vulnerabilities") +
                             ", more than " + flag + " " + std::to_string(*limit));
    }
  };
  // Secrets count for --exit-code (any surviving finding), not for the vulnerability thresholds.
  for (const auto& f : r.secrets)
    if (f.suppressed_by.empty()) ++o.surviving_secrets;
  // Misconfigurations likewise.
  for (const auto& f : r.misconfigs)
    if (f.suppressed_by.empty()) ++o.surviving_misconfigs;
  check(p.max_critical, o.critical, "CRITICAL", "--max-critical");
  check(p.max_high, o.high, "HIGH", "--max-high");
  if (p.max_kev && o.kev > *p.max_kev) {
    o.violations.push_back("policy: " + std::to_string(o.kev) + (o.kev == 1 ? " vulnerability" : " vulnerabilities") +
                           " in CISA's Known Exploited Vulnerabilities catalog, more than --max-kev " +
                           std::to_string(*p.max_kev));
  }
  if (p.max_total && o.surviving > *p.max_total) {
    o.violations.push_back("policy: " + std::to_string(o.surviving) +
                           (o.surviving == 1 ? " vulnerability" : " vulnerabilities") + ", more than --max-total " +
                           std::to_string(*p.max_total));
  }
  if (!o.violations.empty()) {
    o.exit_code = p.exit_code != 0 ? p.exit_code : static_cast<int>(kExitFindings);
  } else if (o.surviving > 0 || o.surviving_secrets > 0 || o.surviving_misconfigs > 0) {
    o.exit_code = p.exit_code;
  }
  return o;
}

}  // namespace customs
