// Policy: which findings stand, and whether the run fails. docs/policy.md is the user-facing
// description of every rule below; keep the two in step.
//
// Flow (the CLI, after the detectors):
//   PolicyOptions p = <flags>;  if (--policy) p = LoadPolicyFile(path, p);
//   auto warnings = ApplyFilters(result, p);   // log each warning
//   <reporters>
//   PolicyOutcome o = Evaluate(result, p);     // print each o.violations line to stderr; exit o.exit_code
//
// ApplyFilters never deletes a finding: it appends Suppressions (kinds "severity", "ignore-unfixed",
// "min-epss", "kev-only", "ignore-file", "vex") to VulnFinding::suppressed_by. A finding "survives" when its suppressed_by is
// empty. Every applicable suppression is recorded, not only the first.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/types.h"
#include "findings/findings.h"
#include "findings/scan_result.h"

namespace customs {

struct PolicyOptions {
  std::vector<Severity> severities;        // --severity; empty = all levels
  bool ignore_unfixed = false;             // --ignore-unfixed
  std::vector<std::string> ignore_files;   // --ignorefile: .yaml/.yml = YAML form, anything else = text form
  std::vector<std::string> vex_files;      // --vex: OpenVEX JSON
  std::optional<int> max_critical, max_high, max_total;  // --max-critical/--max-high/--max-total (>= 0)
  std::optional<int> max_kev;              // --max-kev: surviving findings listed in CISA KEV (>= 0)
  std::optional<double> min_epss;          // --min-epss: suppress findings whose EPSS is below (or unknown)
  bool kev_only = false;                   // --kev-only: suppress findings not listed in CISA KEV
  int exit_code = 0;                       // --exit-code: returned when any finding survives (0..255)
  std::string today;                       // "YYYY-MM-DD" for ignore expiry; empty = today's UTC date
};

struct PolicyOutcome {
  int exit_code = 0;
  std::vector<std::string> violations;  // one line per violated threshold
  int surviving = 0;                    // vulnerability findings left standing
  int surviving_secrets = 0;            // secret findings left standing
  int surviving_misconfigs = 0;         // misconfiguration findings left standing
  int critical = 0, high = 0;           // of those, CRITICAL and HIGH
  int kev = 0;                          // of those, listed in CISA KEV
};

// ---- Options ----

// "CRITICAL,HIGH" -> {kCritical, kHigh}. Names are case-insensitive: UNKNOWN, NONE, LOW, MEDIUM, HIGH,
// CRITICAL; spaces around commas ignored. Any other word -> UsageError naming it.
std::vector<Severity> ParseSeverityList(std::string_view list);

// Range checks (exit code 0..255, thresholds >= 0); UsageError naming the flag.
void ValidatePolicyOptions(const PolicyOptions& p);

// Reads a policy YAML (keys: severity, ignore-unfixed, exit-code, max-critical, max-high, max-total,
// max-kev, min-epss, kev-only, ignorefile, vex) on top of `base` (the command-line options). A value given on the command line
// wins: severities non-empty, exit_code non-zero, a threshold set, ignore_unfixed true. The file's
// ignorefile/vex lists are appended after the command line's; relative paths in the file are relative
// to the file's directory. Unknown key, wrong type -> UsageError naming the file; unreadable -> IoError.
PolicyOptions LoadPolicyFile(const std::string& path, PolicyOptions base);

// The current UTC date, "YYYY-MM-DD".
std::string UtcToday();

// ---- Ignore files ----

struct IgnoreEntry {
  std::string id;                        // vulnerability id (matched against the finding id and aliases)
  std::string expires;                   // "YYYY-MM-DD" (suppresses through that day); "" = never
  std::vector<std::string> packages;     // package names (text `pkg:NAME`, YAML `packages`)
  std::vector<std::string> purls;        // purl patterns (text `pkg:TYPE/...`, YAML `purls`)
  std::vector<std::string> paths;        // YAML `paths`: package database path globs
  std::string statement;                 // the entry as written (text line, or "id: ...")
  std::string comment;                   // trailing/preceding comment, YAML `statement`
  std::string where;                     // "file:line" (text) or "file: vulnerabilities[i]" (YAML)
};

// Text form (.customsignore). Malformed entries -> UsageError "file:line: reason".
std::vector<IgnoreEntry> ParseIgnoreText(std::string_view content, const std::string& source);
// YAML form (trivyignore.yaml layout). Malformed -> UsageError naming the file (and entry).
std::vector<IgnoreEntry> ParseIgnoreYaml(std::string_view content, const std::string& source);
// Reads and parses one ignore file, the form chosen by its extension.
std::vector<IgnoreEntry> LoadIgnoreFile(const std::string& path);

// ---- OpenVEX ----

struct VexProduct {
  std::string id;                        // the purl (or other IRI) naming the product
  std::vector<std::string> subcomponents;
};

struct VexStatement {
  std::string vuln_name;
  std::string vuln_iri;                  // vulnerability "@id"
  std::vector<std::string> vuln_aliases;
  std::vector<VexProduct> products;
  std::string status;                    // not_affected, affected, fixed, under_investigation
  std::string justification, impact_statement, action_statement, status_notes;
  std::string statement_id;              // statement "@id"
  std::string timestamp;                 // statement timestamp, else the document's
  long long time = 0;                    // `timestamp` as seconds since the epoch (0 when none)
  bool has_time = false;
  std::string source;                    // file name
};

// Parses an OpenVEX document (v0.2.0; v0.0.x string forms accepted). Malformed -> UsageError
// naming the file (and statement index).
std::vector<VexStatement> ParseOpenVex(std::string_view content, const std::string& source);
std::vector<VexStatement> LoadVexFile(const std::string& path);

// ---- Purl matching (shared by ignore files and VEX) ----

// True when `pattern` (a purl) names `purl`: same type, namespace and name; the version only when
// the pattern gives one; each qualifier the pattern gives must be present with the same value;
// subpaths ignored. deb/rpm versions "E:V" are read as version V with qualifier epoch=E.
// An unparseable purl on either side never matches.
bool PurlMatches(std::string_view pattern, std::string_view purl);

// ---- Filtering and gates ----

// Loads the ignore and VEX files named in `p`, then records suppressions. Returns warnings, one line
// each (an expired ignore entry). Throws on unreadable/malformed files before touching `r`.
// Re-running replaces the policy suppressions made before (suppressions of other kinds are kept).
std::vector<std::string> ApplyFilters(ScanResult& r, const PolicyOptions& p);

// The same, with ignore entries and VEX statements already parsed (tests, fuzzing). `vex` is in
// load order: among statements with equal timestamps, a later one supersedes an earlier one.
std::vector<std::string> ApplyFilters(ScanResult& r, const PolicyOptions& p, const std::vector<IgnoreEntry>& ignores,
                                      const std::vector<VexStatement>& vex);

// Gates over the surviving findings (see docs/policy.md, "Exit codes"). A (vulnerability, package,
// version) counts once per artifact however many targets show it (a package-lock.json entry and the
// same package installed in node_modules are one package to fix).
std::string FindingCountKey(const VulnFinding& f, const Package* pkg);
PolicyOutcome Evaluate(const ScanResult& r, const PolicyOptions& p);

}  // namespace customs
