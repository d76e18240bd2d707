// Findings: what the detectors conclude about the inventory. Format-free, like core/types.h.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cvss/severity.h"

namespace customs {

using cvss::Severity;

enum class FixStatus {
  kFixed,        // a fixed version exists (fixed_version says which)
  kAffected,     // affected, no fix published yet ("unfixed")
  kWillNotFix,   // the distro decided not to fix (Debian <no-dsa>/<ignored>, Red Hat "will not fix")
  kNotAffected,  // the feed says this package/version is not affected (kept only when reporting suppressed)
  kUnknown,
};

struct CvssEntry {
  std::string source;   // "nvd", "ghsa", "osv", "rustsec", ...
  std::string version;  // "2.0", "3.0", "3.1", "4.0"
  std::string vector;
  double score = 0;
};

struct DataSource {
  std::string id;    // "alpine-secdb", "debian-tracker", "osv-go", "osv-pypi", "rustsec", ...
  std::string name;  // human name ("Alpine Secdb")
  std::string url;
};

// How a finding was suppressed by policy (reported under --show-suppressed).
struct Suppression {
  std::string kind;           // "ignore-file", "vex", "ignore-unfixed", "severity"
  std::string statement;      // the ignore entry or VEX statement, as written
  std::string justification;  // VEX justification / impact statement, ignore-file comment
  std::string source;         // the file it came from
};

struct VulnFinding {
  std::string id;                    // primary id as the feed names it (CVE-…, GHSA-…, GO-…, RUSTSEC-…)
  std::vector<std::string> aliases;  // the other ids of the same advisory, sorted
  size_t package_index = 0;          // into Inventory::packages
  std::string installed_version;
  std::string fixed_version;         // "" when none; several fixed branches joined by ", "
  FixStatus status = FixStatus::kUnknown;
  Severity severity = Severity::kUnknown;
  // Who gave the severity (detectors/affected.cpp, docs/risk.md "Severity"): the feed's source name
  // for a distribution's own rating ("debian-tracker", "osv-ubuntu"), "nvd" for NVD's primary CVSS,
  // "nvd:<cna>" for a CNA's CVSS that NVD carries, the feed's name for its own vector ("osv-pypi").
  std::string severity_source;
  std::string severity_vector;       // the CVSS vector that gave the severity; "" for a rating word
  std::vector<CvssEntry> cvss;
  bool kev = false;                  // listed in CISA's Known Exploited Vulnerabilities catalog
  std::string kev_date_added;
  // FIRST's EPSS: probability of exploitation activity in the next 30 days, and its percentile
  // (both 0..1); absent when the database has no score for the CVE.
  std::optional<double> epss, epss_percentile;
  std::string title;
  std::string description;
  std::vector<std::string> references;
  std::vector<std::string> cwes;
  std::string published, modified;   // RFC 3339 when known
  DataSource source;
  std::vector<Suppression> suppressed_by;  // empty: the finding stands
};

// A credential found in the artifact: in a file of a layer, or in the image configuration.
struct SecretFinding {
  std::string rule_id;
  std::string category;   // "AWS", "GitHub", "PrivateKey", ...
  std::string title;
  Severity severity = Severity::kUnknown;
  std::string path;       // file in the artifact, or "image-config:env" / "image-config:history" / "image-config:labels"
  int layer = -1;         // layer that added the file (-1: none, or the image config)
  int removed_in_layer = -1;  // a later layer deleted/replaced the file; the secret is still in `layer`
  bool replaced = false;
  uint64_t line = 0, column = 0, end_line = 0;
  std::string secret;     // the full value: reporters show it only under --show-secrets
  std::string snippet;    // the line around it, unmasked (reporters mask the secret in it)
  std::vector<Suppression> suppressed_by;  // empty: the finding stands
};

// A misconfiguration: one violation of one check (misconfig/check.h) in one configuration document
// (a Dockerfile, a Kubernetes manifest, a Compose file, the image configuration).
struct MisconfigFinding {
  std::string check_id;   // "CDF-001", "CKS-010", or a user check's id
  std::string title;
  Severity severity = Severity::kUnknown;
  std::string description;
  std::string remediation;
  std::vector<std::string> references;
  std::string kind;       // "dockerfile", "kubernetes", "compose", "imageconfig"
  std::string path;       // the file, as the scan names it ("k8s/app.yaml", "image-config")
  int line = 0, end_line = 0;  // 1-based; 0 when the finding has no line (image config)
  int layer = -1;         // layer holding the file (-1: none, a directory scan, or the image config)
  std::string message;    // what this finding says (the check's message, else its title)
  std::vector<Suppression> suppressed_by;  // empty: the finding stands
};

// A configuration file the misconfiguration scanner checked (a report target even without findings).
struct MisconfigTarget {
  std::string path;
  std::string kind;       // "dockerfile", "kubernetes", "compose", "imageconfig"
  int layer = -1;
  int checks = 0;         // checks run on it (summed over its documents)
};

// A statement about coverage that a report must carry, never silently dropped: an OS release no
// feed covers, a release past its end of life, a stale database.
struct Notice {
  std::string kind;     // "no-data", "eol", "stale-db", ...
  std::string message;
};

}  // namespace customs
