// Policy: ignore files (.customsignore text form and the YAML form), expiry, aliases, package scopes,
// and purl pattern matching.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "core/error.h"
#include "inventory/purl.h"
#include "policy/policy.h"

namespace customs {
namespace {

namespace fs = std::filesystem;

Package Deb(std::string name, std::string version, uint32_t epoch = 0) {
  Package p;
  p.type = "dpkg";
  p.name = std::move(name);
  p.version = std::move(version);
  p.epoch = epoch;
  p.arch = "amd64";
  p.db_path = "var/lib/dpkg/status";
  return p;
}

VulnFinding Finding(std::string id, size_t pkg, std::vector<std::string> aliases = {}) {
  VulnFinding f;
  f.id = std::move(id);
  f.aliases = std::move(aliases);
  f.package_index = pkg;
  f.severity = Severity::kHigh;
  f.status = FixStatus::kAffected;
  return f;
}

// The same CVE in openssl (0) and libssl3 (1); a GHSA-named one with a CVE alias in zlib1g (2).
ScanResult Sample() {
  ScanResult r;
  r.vuln_scanned = true;
  r.inventory.os = OSInfo{"debian", "Debian GNU/Linux 12 (bookworm)", "12", "bookworm", "etc/os-release"};
  r.inventory.packages = {Deb("openssl", "3.0.11-1~deb12u2"), Deb("libssl3", "3.0.11-1~deb12u2"),
                          Deb("zlib1g", "1:1.2.13.dfsg-1", 1)};
  r.vulnerabilities = {Finding("CVE-2023-5678", 0), Finding("CVE-2023-5678", 1),
                       Finding("GHSA-xxxx-yyyy-zzzz", 2, {"CVE-2022-37434"})};
  return r;
}

std::vector<size_t> Suppressed(const ScanResult& r) {
  std::vector<size_t> out;
  for (size_t i = 0; i < r.vulnerabilities.size(); ++i) {
    if (!r.vulnerabilities[i].suppressed_by.empty()) out.push_back(i);
  }
  return out;
}

PolicyOptions Opts(std::string today = "2025-06-01") {
  PolicyOptions p;
  p.today = std::move(today);
  return p;
}

std::string UsageMessage(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), kExitUsage);
    return e.what();
  }
  ADD_FAILURE() << "no error";
  return "";
}

TEST(PolicyIgnoreText, Parse) {
  const auto entries = ParseIgnoreText(
      "# Accepted by security team\n"
      "CVE-2023-5678\n"
      "\n"
      "# stale comment, separated by a blank line\n"
      "\n"
      "CVE-2022-37434 exp:2025-12-31 pkg:zlib1g   # not reachable\r\n"
      "\tGHSA-aaaa-bbbb-cccc pkg:deb/debian/openssl pkg:libssl3\n",
      ".customsignore");
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0].id, "CVE-2023-5678");
  EXPECT_EQ(entries[0].comment, "Accepted by security team");
  EXPECT_EQ(entries[0].where, ".customsignore:2");
  EXPECT_EQ(entries[1].id, "CVE-2022-37434");
  EXPECT_EQ(entries[1].expires, "2025-12-31");
  EXPECT_EQ(entries[1].packages, (std::vector<std::string>{"zlib1g"}));
  EXPECT_EQ(entries[1].comment, "not reachable");
  EXPECT_EQ(entries[1].statement, "CVE-2022-37434 exp:2025-12-31 pkg:zlib1g");
  EXPECT_EQ(entries[2].purls, (std::vector<std::string>{"pkg:deb/debian/openssl"}));
  EXPECT_EQ(entries[2].packages, (std::vector<std::string>{"libssl3"}));
  EXPECT_TRUE(entries[2].comment.empty());
  EXPECT_TRUE(ParseIgnoreText("", "x").empty());
  EXPECT_TRUE(ParseIgnoreText("\xEF\xBB\xBF# only a comment\n", "x").empty());
}

TEST(PolicyIgnoreText, MalformedLinesNameFileAndLine) {
  EXPECT_NE(UsageMessage([] { ParseIgnoreText("CVE-1\nCVE-2 exp:2025-13-01\n", "ci/.customsignore"); })
                .find("ci/.customsignore:2: exp: wants a date YYYY-MM-DD"),
            std::string::npos);
  EXPECT_NE(UsageMessage([] { ParseIgnoreText("CVE-1 exp:31/12/2025\n", "f"); }).find("f:1:"), std::string::npos);
  EXPECT_NE(UsageMessage([] { ParseIgnoreText("CVE-1 CVE-2\n", "f"); }).find("unknown field \"CVE-2\""),
            std::string::npos);
  EXPECT_NE(UsageMessage([] { ParseIgnoreText("exp:2025-01-01 CVE-1\n", "f"); }).find("must start with"),
            std::string::npos);
  EXPECT_NE(UsageMessage([] { ParseIgnoreText("CVE-1 pkg:\n", "f"); }).find("pkg: wants"), std::string::npos);
  EXPECT_NE(UsageMessage([] { ParseIgnoreText("CVE-1 pkg:deb/\n", "f"); }).find("not a valid purl"),
            std::string::npos);
  EXPECT_NE(UsageMessage([] { ParseIgnoreText("CVE-1 pkg:pkg:deb/debian/openssl\n", "f"); }).find("not a valid purl"),
            std::string::npos);
  EXPECT_NE(UsageMessage([] { ParseIgnoreText("CVE-1 exp:2025-01-01 exp:2025-01-02\n", "f"); })
                .find("more than one exp:"),
            std::string::npos);
  EXPECT_NE(UsageMessage([] { ParseIgnoreText("CVE-1 exp:2023-02-29\n", "f"); }).find("f:1"), std::string::npos);
  EXPECT_NO_THROW(ParseIgnoreText("CVE-1 exp:2024-02-29\n", "f"));
}

TEST(PolicyIgnore, IdAndAliasMatching) {
  ScanResult r = Sample();
  ApplyFilters(r, Opts(), ParseIgnoreText("cve-2022-37434\n", "ig"), {});
  EXPECT_EQ(Suppressed(r), (std::vector<size_t>{2}));  // by alias, case-insensitively
  const Suppression& s = r.vulnerabilities[2].suppressed_by.at(0);
  EXPECT_EQ(s.kind, "ignore-file");
  EXPECT_EQ(s.statement, "cve-2022-37434");
  EXPECT_EQ(s.source, "ig:1");

  r = Sample();
  ApplyFilters(r, Opts(), ParseIgnoreText("CVE-2023-5678 # both packages\n", "ig"), {});
  EXPECT_EQ(Suppressed(r), (std::vector<size_t>{0, 1}));
  EXPECT_EQ(r.vulnerabilities[0].suppressed_by.at(0).justification, "both packages");
}

TEST(PolicyIgnore, PackageScopes) {
  ScanResult r = Sample();
  ApplyFilters(r, Opts(), ParseIgnoreText("CVE-2023-5678 pkg:libssl3\n", "ig"), {});
  EXPECT_EQ(Suppressed(r), (std::vector<size_t>{1}));

  r = Sample();
  ApplyFilters(r, Opts(), ParseIgnoreText("CVE-2023-5678 pkg:deb/debian/openssl\n", "ig"), {});
  EXPECT_EQ(Suppressed(r), (std::vector<size_t>{0}));

  // Version and qualifiers, when the pattern gives them, must match.
  r = Sample();
  ApplyFilters(r, Opts(),
               ParseIgnoreText("CVE-2023-5678 pkg:deb/debian/openssl@3.0.11-1~deb12u2?distro=debian-12\n"
                               "CVE-2023-5678 pkg:deb/debian/libssl3@3.0.9-1\n",
                               "ig"),
               {});
  EXPECT_EQ(Suppressed(r), (std::vector<size_t>{0}));

  // Another ecosystem or distro does not match.
  r = Sample();
  ApplyFilters(r, Opts(),
               ParseIgnoreText("CVE-2023-5678 pkg:deb/ubuntu/openssl\nCVE-2023-5678 pkg:apk/debian/libssl3\n"
                               "CVE-2023-5678 pkg:deb/debian/libssl3?arch=arm64\n",
                               "ig"),
               {});
  EXPECT_TRUE(Suppressed(r).empty());

  // A scoped entry for a finding whose package index is out of range does not match.
  r = Sample();
  r.vulnerabilities[0].package_index = 99;
  ApplyFilters(r, Opts(), ParseIgnoreText("CVE-2023-5678 pkg:openssl\n", "ig"), {});
  EXPECT_TRUE(Suppressed(r).empty());
}

// Acceptance: an expired ignore entry no longer suppresses.
TEST(PolicyIgnore, Expiry) {
  const auto entries = ParseIgnoreText("CVE-2023-5678 exp:2025-06-01\n", ".customsignore");
  ScanResult r = Sample();
  auto warnings = ApplyFilters(r, Opts("2025-06-01"), entries, {});  // through that day
  EXPECT_EQ(Suppressed(r), (std::vector<size_t>{0, 1}));
  EXPECT_TRUE(warnings.empty());

  warnings = ApplyFilters(r, Opts("2025-06-02"), entries, {});
  EXPECT_TRUE(Suppressed(r).empty());
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0],
            ".customsignore:1: ignore entry for CVE-2023-5678 expired on 2025-06-01; it no longer suppresses");
}

TEST(PolicyIgnore, ThroughFiles) {
  const fs::path dir = fs::temp_directory_path() / ("customs-ignore-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / ".customsignore") << "CVE-2023-5678 pkg:openssl\n";
  std::ofstream(dir / "ignore.YAML") << "vulnerabilities:\n  - id: CVE-2022-37434\n";
  ScanResult r = Sample();
  PolicyOptions p = Opts();
  p.ignore_files = {(dir / ".customsignore").string(), (dir / "ignore.YAML").string()};
  ApplyFilters(r, p);
  EXPECT_EQ(Suppressed(r), (std::vector<size_t>{0, 2}));
  p.ignore_files = {(dir / "nope").string()};
  try {
    ApplyFilters(r, p);
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), kExitIo);
  }
  p.ignore_files = {dir.string()};  // a directory
  EXPECT_THROW(ApplyFilters(r, p), Error);
  fs::remove_all(dir);
}

TEST(PolicyIgnoreYaml, Form) {
  const auto entries = ParseIgnoreYaml(R"(
vulnerabilities:
  - id: CVE-2023-5678
    statement: Accepted until the rebuild
    purls:
      - "pkg:deb/debian/libssl3"
    expired_at: 2025-12-31
  - id: CVE-2022-37434
    paths: ["/var/lib/dpkg/*"]
  - id: CVE-2023-5678
    packages: openssl
    expired_at: 2024-01-01T00:00:00Z
misconfigurations:
  - id: AVD-DS-0002
secrets: []
)",
                                       "trivyignore.yaml");
  ASSERT_EQ(entries.size(), 4u);  // misconfigurations: entries are read too (check ids)
  EXPECT_EQ(entries[3].id, "AVD-DS-0002");
  EXPECT_EQ(entries[3].where, "trivyignore.yaml: misconfigurations[0]");
  EXPECT_EQ(entries[0].comment, "Accepted until the rebuild");
  EXPECT_EQ(entries[0].expires, "2025-12-31");
  EXPECT_EQ(entries[0].statement, "CVE-2023-5678 exp:2025-12-31 pkg:deb/debian/libssl3");
  EXPECT_EQ(entries[0].where, "trivyignore.yaml: vulnerabilities[0]");
  EXPECT_EQ(entries[1].paths, (std::vector<std::string>{"var/lib/dpkg/*"}));
  EXPECT_EQ(entries[2].expires, "2024-01-01");

  ScanResult r = Sample();
  auto warnings = ApplyFilters(r, Opts(), entries, {});
  EXPECT_EQ(Suppressed(r), (std::vector<size_t>{1, 2}));  // entry 2 expired
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("vulnerabilities[2]"), std::string::npos);
  EXPECT_EQ(r.vulnerabilities[1].suppressed_by.at(0).justification, "Accepted until the rebuild");

  EXPECT_TRUE(ParseIgnoreYaml("", "f").empty());
  EXPECT_TRUE(ParseIgnoreYaml("vulnerabilities:\n", "f").empty());
}

TEST(PolicyIgnoreYaml, Malformed) {
  EXPECT_NE(UsageMessage([] { ParseIgnoreYaml("vulnerabilities:\n  - statement: x\n", "f.yaml"); })
                .find("f.yaml: vulnerabilities[0]: missing id"),
            std::string::npos);
  EXPECT_NE(UsageMessage([] { ParseIgnoreYaml("vulnerabilities:\n  - id: A\n    expires_at: 2025-01-01\n", "f"); })
                .find("unknown key \"expires_at\""),
            std::string::npos);
  EXPECT_NE(UsageMessage([] { ParseIgnoreYaml("vulnerabilities:\n  - id: A\n    expired_at: soon\n", "f"); })
                .find("expired_at wants a date"),
            std::string::npos);
  EXPECT_NE(UsageMessage([] { ParseIgnoreYaml("vulnerabilities:\n  - id: A\n    purls: [openssl]\n", "f"); })
                .find("not a valid purl"),
            std::string::npos);
  EXPECT_NE(UsageMessage([] { ParseIgnoreYaml("vulnerabilities: {id: A}\n", "f"); }).find("must be a list"),
            std::string::npos);
  EXPECT_NE(UsageMessage([] { ParseIgnoreYaml("vulns: []\n", "f"); }).find("unknown key \"vulns\""),
            std::string::npos);
  EXPECT_NE(UsageMessage([] { ParseIgnoreYaml("vulnerabilities: [\n", "f"); }).find("not valid YAML"),
            std::string::npos);
  EXPECT_NE(UsageMessage([] { ParseIgnoreYaml("- CVE-1\n", "f"); }).find("mapping"), std::string::npos);
}

TEST(PolicyPurl, Matching) {
  const std::string pkg = "pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64&distro=debian-12";
  EXPECT_TRUE(PurlMatches("pkg:deb/debian/openssl", pkg));
  EXPECT_TRUE(PurlMatches("pkg:DEB/Debian/openssl@3.0.11-1~deb12u2", pkg));
  EXPECT_TRUE(PurlMatches("pkg:deb/debian/openssl@3.0.11-1%7Edeb12u2?arch=amd64", pkg));
  EXPECT_TRUE(PurlMatches("pkg:deb/debian/openssl#sub/path", pkg));
  EXPECT_FALSE(PurlMatches("pkg:deb/debian/openssl@3.0.11-1", pkg));
  EXPECT_FALSE(PurlMatches("pkg:deb/debian/openssl?arch=i386", pkg));
  EXPECT_FALSE(PurlMatches("pkg:deb/debian/openssl?epoch=1", pkg));
  EXPECT_FALSE(PurlMatches("pkg:deb/debian/openssl-dev", pkg));  // not a string prefix match
  EXPECT_FALSE(PurlMatches("pkg:deb/openssl", pkg));
  EXPECT_FALSE(PurlMatches("openssl", pkg));
  EXPECT_FALSE(PurlMatches("pkg:deb/debian/openssl", "not a purl"));
  EXPECT_FALSE(PurlMatches("pkg:deb/debian/openssl@%ZZ", pkg));

  // Epochs: "1:V" in the version is the epoch qualifier.
  const Package zlib = Deb("zlib1g", "1:1.2.13.dfsg-1", 1);
  const std::string zpurl = Purl(zlib, OSInfo{"debian", "", "12", "", ""});
  EXPECT_TRUE(PurlMatches("pkg:deb/debian/zlib1g@1:1.2.13.dfsg-1", zpurl)) << zpurl;
  EXPECT_TRUE(PurlMatches("pkg:deb/debian/zlib1g@1.2.13.dfsg-1?epoch=1", zpurl));
  EXPECT_TRUE(PurlMatches("pkg:deb/debian/zlib1g", zpurl));
  EXPECT_FALSE(PurlMatches("pkg:deb/debian/zlib1g@1.2.13.dfsg-1", zpurl));
  EXPECT_FALSE(PurlMatches("pkg:deb/debian/zlib1g@2:1.2.13.dfsg-1", zpurl));
  EXPECT_TRUE(PurlMatches("pkg:deb/debian/openssl@0:3.0.11-1~deb12u2", pkg));
}

}  // namespace
}  // namespace customs
