// Policy: severity filter, --ignore-unfixed, --exit-code, thresholds, the policy YAML.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/error.h"
#include "policy/policy.h"

namespace customs {
namespace {

namespace fs = std::filesystem;

Package Pkg(std::string name, std::string version) {
  Package p;
  p.type = "dpkg";
  p.name = std::move(name);
  p.version = std::move(version);
  p.arch = "amd64";
  p.db_path = "var/lib/dpkg/status";
  return p;
}

VulnFinding Finding(std::string id, size_t pkg, Severity sev, FixStatus status, std::string fixed = "") {
  VulnFinding f;
  f.id = std::move(id);
  f.package_index = pkg;
  f.severity = sev;
  f.status = status;
  f.fixed_version = std::move(fixed);
  return f;
}

// openssl (0), libssl3 (1), bash (2); one finding per severity level.
ScanResult Sample() {
  ScanResult r;
  r.vuln_scanned = true;
  r.inventory.os = OSInfo{"debian", "Debian GNU/Linux 12 (bookworm)", "12", "bookworm", "etc/os-release"};
  r.inventory.packages = {Pkg("openssl", "3.0.11-1~deb12u2"), Pkg("libssl3", "3.0.11-1~deb12u2"), Pkg("bash", "5.2.15-2")};
  r.vulnerabilities = {
      Finding("CVE-2024-0001", 0, Severity::kCritical, FixStatus::kFixed, "3.0.13-1~deb12u1"),
      Finding("CVE-2024-0002", 1, Severity::kHigh, FixStatus::kAffected),
      Finding("CVE-2024-0003", 1, Severity::kMedium, FixStatus::kFixed, "3.0.13-1~deb12u1"),
      Finding("CVE-2024-0004", 2, Severity::kLow, FixStatus::kWillNotFix),
      Finding("CVE-2024-0005", 2, Severity::kUnknown, FixStatus::kUnknown),
      Finding("CVE-2024-0006", 2, Severity::kNone, FixStatus::kAffected),
  };
  return r;
}

std::vector<std::string> Surviving(const ScanResult& r) {
  std::vector<std::string> out;
  for (const auto& f : r.vulnerabilities) {
    if (f.suppressed_by.empty()) out.push_back(f.id);
  }
  return out;
}

PolicyOptions Opts() {
  PolicyOptions p;
  p.today = "2025-06-01";
  return p;
}

struct TempDir {
  fs::path path;
  TempDir() {
    path = fs::temp_directory_path() / ("customs-policy-" + std::to_string(::getpid()) + "-" +
                                        std::to_string(reinterpret_cast<uintptr_t>(this)));
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::string Write(const std::string& name, const std::string& content) const {
    const fs::path p = path / name;
    std::ofstream(p, std::ios::binary) << content;
    return p.string();
  }
};

TEST(PolicySeverity, ParseList) {
  EXPECT_EQ(ParseSeverityList("CRITICAL,high , Unknown"),
            (std::vector<Severity>{Severity::kCritical, Severity::kHigh, Severity::kUnknown}));
  EXPECT_EQ(ParseSeverityList("LOW,LOW"), (std::vector<Severity>{Severity::kLow}));
  try {
    ParseSeverityList("CRITICAL,SEVERE");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), kExitUsage);
    EXPECT_NE(std::string(e.what()).find("SEVERE"), std::string::npos);
  }
  EXPECT_THROW(ParseSeverityList(""), Error);
  EXPECT_THROW(ParseSeverityList("HIGH,"), Error);
}

TEST(PolicySeverity, FilterKeepsListedLevelsIncludingUnknown) {
  ScanResult r = Sample();
  PolicyOptions p = Opts();
  p.severities = ParseSeverityList("UNKNOWN,HIGH,CRITICAL");
  ApplyFilters(r, p, {}, {});
  EXPECT_EQ(Surviving(r), (std::vector<std::string>{"CVE-2024-0001", "CVE-2024-0002", "CVE-2024-0005"}));
  // The suppressed ones are still there, flagged.
  ASSERT_EQ(r.vulnerabilities.size(), 6u);
  ASSERT_EQ(r.vulnerabilities[2].suppressed_by.size(), 1u);
  EXPECT_EQ(r.vulnerabilities[2].suppressed_by[0].kind, "severity");
  EXPECT_EQ(r.vulnerabilities[2].suppressed_by[0].statement, "--severity UNKNOWN,HIGH,CRITICAL");
}

TEST(PolicySeverity, NoneTravelsWithLow) {
  ScanResult r = Sample();
  PolicyOptions p = Opts();
  p.severities = {Severity::kLow};
  ApplyFilters(r, p, {}, {});
  EXPECT_EQ(Surviving(r), (std::vector<std::string>{"CVE-2024-0004", "CVE-2024-0006"}));
  p.severities = {Severity::kNone};
  ApplyFilters(r, p, {}, {});
  EXPECT_EQ(Surviving(r), (std::vector<std::string>{"CVE-2024-0006"}));
}

TEST(PolicySeverity, EmptyListKeepsAll) {
  ScanResult r = Sample();
  ApplyFilters(r, Opts(), {}, {});
  EXPECT_EQ(Surviving(r).size(), 6u);
}

TEST(PolicyUnfixed, KeepsFixedOnes) {
  ScanResult r = Sample();
  // A fixed version without kFixed status still counts as fixed.
  r.vulnerabilities[2].status = FixStatus::kUnknown;
  PolicyOptions p = Opts();
  p.ignore_unfixed = true;
  ApplyFilters(r, p, {}, {});
  EXPECT_EQ(Surviving(r), (std::vector<std::string>{"CVE-2024-0001", "CVE-2024-0003"}));
  EXPECT_EQ(r.vulnerabilities[1].suppressed_by.at(0).kind, "ignore-unfixed");
}

TEST(PolicyFilters, ReapplyingDoesNotDuplicateAndKeepsOtherKinds) {
  ScanResult r = Sample();
  r.vulnerabilities[3].suppressed_by.push_back({"feed", "not affected", "", "debian"});
  PolicyOptions p = Opts();
  p.severities = {Severity::kCritical};
  p.ignore_unfixed = true;
  ApplyFilters(r, p, {}, {});
  ApplyFilters(r, p, {}, {});
  ASSERT_EQ(r.vulnerabilities[1].suppressed_by.size(), 2u);  // severity + ignore-unfixed, each once
  EXPECT_EQ(r.vulnerabilities[3].suppressed_by.size(), 3u);  // feed + severity + ignore-unfixed
  // Loosening the policy lifts its own suppressions only.
  ApplyFilters(r, Opts(), {}, {});
  EXPECT_TRUE(r.vulnerabilities[1].suppressed_by.empty());
  ASSERT_EQ(r.vulnerabilities[3].suppressed_by.size(), 1u);
  EXPECT_EQ(r.vulnerabilities[3].suppressed_by[0].kind, "feed");
}

// Acceptance: --exit-code 1 --severity CRITICAL exits 1 only when a CRITICAL finding survives.
TEST(PolicyExitCode, CriticalGate) {
  PolicyOptions p = Opts();
  p.exit_code = 1;
  p.severities = ParseSeverityList("CRITICAL");

  ScanResult r = Sample();
  ApplyFilters(r, p, {}, {});
  PolicyOutcome o = Evaluate(r, p);
  EXPECT_EQ(o.exit_code, 1);
  EXPECT_EQ(o.surviving, 1);
  EXPECT_TRUE(o.violations.empty());

  // No CRITICAL: HIGH and below do not fail the run.
  ScanResult no_crit = Sample();
  no_crit.vulnerabilities.erase(no_crit.vulnerabilities.begin());
  ApplyFilters(no_crit, p, {}, {});
  EXPECT_EQ(Evaluate(no_crit, p).exit_code, 0);

  // The CRITICAL one ignored: exit 0.
  ScanResult ignored = Sample();
  IgnoreEntry e;
  e.id = "CVE-2024-0001";
  ApplyFilters(ignored, p, {e}, {});
  EXPECT_EQ(Evaluate(ignored, p).exit_code, 0);

  // Another exit code value is returned as given.
  p.exit_code = 13;
  EXPECT_EQ(Evaluate(r, p).exit_code, 13);
}

TEST(PolicyExitCode, DefaultZeroEvenWithFindings) {
  ScanResult r = Sample();
  ApplyFilters(r, Opts(), {}, {});
  PolicyOutcome o = Evaluate(r, Opts());
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.surviving, 6);
  EXPECT_EQ(o.critical, 1);
  EXPECT_EQ(o.high, 1);
}

// Acceptance: each threshold violation fails with its own message.
TEST(PolicyThresholds, OneLinePerViolatedLimit) {
  ScanResult r = Sample();
  r.vulnerabilities.push_back(Finding("CVE-2024-0007", 0, Severity::kCritical, FixStatus::kAffected));
  r.vulnerabilities.push_back(Finding("CVE-2024-0008", 0, Severity::kCritical, FixStatus::kAffected));
  PolicyOptions p = Opts();
  p.max_critical = 0;
  p.max_high = 1;  // exactly 1 HIGH: not violated
  p.max_total = 5;
  ApplyFilters(r, p, {}, {});
  PolicyOutcome o = Evaluate(r, p);
  EXPECT_EQ(o.exit_code, 1);
  EXPECT_EQ(o.violations, (std::vector<std::string>{
                              "policy: 3 CRITICAL vulnerabilities, more than --max-critical 0",
                              "policy: 8 vulnerabilities, more than --max-total 5",
                          }));

  p.max_high = 0;
  o = Evaluate(r, p);
  ASSERT_EQ(o.violations.size(), 3u);
  EXPECT_EQ(o.violations[1], "policy: 1 HIGH vulnerability, more than --max-high 0");

  // --exit-code chooses the code a violation returns.
  p.exit_code = 7;
  EXPECT_EQ(Evaluate(r, p).exit_code, 7);

  // Within limits: no violation, exit 0 (no --exit-code).
  PolicyOptions ok = Opts();
  ok.max_critical = 3;
  ok.max_total = 8;
  o = Evaluate(r, ok);
  EXPECT_TRUE(o.violations.empty());
  EXPECT_EQ(o.exit_code, 0);
}

TEST(PolicyThresholds, CountOnlySurvivors) {
  ScanResult r = Sample();
  PolicyOptions p = Opts();
  p.max_critical = 0;
  p.max_high = 0;
  p.ignore_unfixed = true;  // the HIGH one is unfixed
  IgnoreEntry e;
  e.id = "CVE-2024-0001";
  ApplyFilters(r, p, {e}, {});
  PolicyOutcome o = Evaluate(r, p);
  EXPECT_TRUE(o.violations.empty());
  EXPECT_EQ(o.exit_code, 0);
}

TEST(PolicyOptions, Validate) {
  PolicyOptions p;
  EXPECT_NO_THROW(ValidatePolicyOptions(p));
  p.exit_code = 256;
  EXPECT_THROW(ValidatePolicyOptions(p), Error);
  p.exit_code = 0;
  p.max_high = -1;
  EXPECT_THROW(ValidatePolicyOptions(p), Error);
  p.max_high.reset();
  p.today = "2025-02-30";
  EXPECT_THROW(ValidatePolicyOptions(p), Error);
  EXPECT_EQ(UtcToday().size(), 10u);
}

TEST(PolicyFile, KeysAndCommandLineWins) {
  TempDir d;
  const std::string path = d.Write("policy.yaml",
                                   "severity: [HIGH, CRITICAL]\n"
                                   "ignore-unfixed: true\n"
                                   "exit-code: 3\n"
                                   "max-critical: 0\n"
                                   "max-high: 2\n"
                                   "max-total: 10\n"
                                   "ignorefile: .customsignore\n"
                                   "vex: [/abs/a.vex.json, b.vex.json]\n");
  PolicyOptions p = LoadPolicyFile(path, PolicyOptions{});
  EXPECT_EQ(p.severities, (std::vector<Severity>{Severity::kHigh, Severity::kCritical}));
  EXPECT_TRUE(p.ignore_unfixed);
  EXPECT_EQ(p.exit_code, 3);
  EXPECT_EQ(p.max_critical, 0);
  EXPECT_EQ(p.max_high, 2);
  EXPECT_EQ(p.max_total, 10);
  EXPECT_EQ(p.ignore_files, (std::vector<std::string>{(d.path / ".customsignore").string()}));
  EXPECT_EQ(p.vex_files, (std::vector<std::string>{"/abs/a.vex.json", (d.path / "b.vex.json").string()}));

  PolicyOptions cli;
  cli.severities = {Severity::kCritical};
  cli.exit_code = 1;
  cli.max_high = 5;
  cli.vex_files = {"cli.json"};
  p = LoadPolicyFile(path, cli);
  EXPECT_EQ(p.severities, (std::vector<Severity>{Severity::kCritical}));
  EXPECT_EQ(p.exit_code, 1);
  EXPECT_EQ(p.max_high, 5);
  EXPECT_EQ(p.max_critical, 0);
  EXPECT_EQ(p.vex_files.size(), 3u);
  EXPECT_EQ(p.vex_files[0], "cli.json");

  // A comma list works too; an empty file changes nothing.
  EXPECT_EQ(LoadPolicyFile(d.Write("p2.yml", "severity: critical,high\n"), {}).severities.size(), 2u);
  EXPECT_TRUE(LoadPolicyFile(d.Write("p3.yml", ""), {}).severities.empty());
}

TEST(PolicyFile, Malformed) {
  TempDir d;
  const auto expect_usage = [&](const std::string& content, const std::string& needle) {
    const std::string path = d.Write("bad.yaml", content);
    try {
      LoadPolicyFile(path, {});
      ADD_FAILURE() << "no error for: " << content;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), kExitUsage) << e.what();
      const std::string msg = e.what();
      EXPECT_NE(msg.find(path), std::string::npos) << msg;
      EXPECT_NE(msg.find(needle), std::string::npos) << msg;
    }
  };
  expect_usage("max-critcal: 0\n", "unknown key \"max-critcal\"");
  expect_usage("max-critical: lots\n", "max-critical must be an integer");
  expect_usage("max-total: -1\n", "max-total must be 0 or more");
  expect_usage("exit-code: 300\n", "exit-code must be within 0..255");
  expect_usage("severity: SEVERE\n", "SEVERE");
  expect_usage("ignore-unfixed: maybe\n", "ignore-unfixed must be true or false");
  expect_usage("[1, 2]\n", "mapping");
  expect_usage("severity: [HIGH\n", "not valid YAML");
  expect_usage("vex: {a: 1}\n", "vex must be a string or a list");
  try {
    LoadPolicyFile((d.path / "missing.yaml").string(), {});
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), kExitIo);
  }
}

}  // namespace
}  // namespace customs
