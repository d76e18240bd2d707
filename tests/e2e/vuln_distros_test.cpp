// Acceptance (issue #14): each distribution with a feed is matched against its own advisory source,
// with its own version order and its own rating. For each one, a database is built with
// `customs db build --from tests/fixtures/distros/<distro>` (real records; their sources are named in
// tests/fixtures/distros/README.md), a root filesystem is made with that distribution's os-release and
// package database (dpkg status, rpm database written by rpm itself, apk installed), holding a package
// the record names at an affected and at fixed versions, and `customs rootfs ROOT --db DB -f json`
// must report the finding for the affected version only. A release no feed covers gets the no-data
// notice. Google distroless (dpkg status.d, one file per package) is matched as Debian against the
// shared Debian tracker data.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "support/fixtures.h"
#include "support/scenarios.h"
#include "support/vulndb_fixture.h"

namespace ct = customs_test;

namespace {

std::string Fixture(const std::string& rel) { return ct::SourceDir() + "/tests/fixtures/distros/" + rel; }
std::string OsRelease(const std::string& name) { return ct::ReadFile(Fixture("os-release/" + name)); }

ct::RunOptions Fixed() {
  ct::RunOptions o;
  o.env = {"CUSTOMS_FIXED_TIME=2026-11-23T00:00:00Z"};
  return o;
}

// The database of one fixture folder; "" (with the failure recorded) when the build failed.
std::string BuildDb(const ct::TempDir& d, const std::string& distro) {
  const std::string out = d / (distro + ".db");
  ct::RunResult r = ct::BuildVulnDb(Fixture(distro), out);
  EXPECT_EQ(r.exit_code, 0) << r.Describe();
  return r.exit_code == 0 ? out : "";
}

struct Finding {
  std::string package, id, installed, fixed, status, severity, severity_source, data_source;
};

struct Scan {
  ct::JsonRun run;
  std::vector<Finding> findings;
  std::vector<std::pair<std::string, std::string>> notices;  // (kind, message)
  bool Has(const std::string& kind) const {
    for (const auto& n : notices)
      if (n.first == kind) return true;
    return false;
  }
  std::vector<Finding> Of(const std::string& package) const {
    std::vector<Finding> out;
    for (const auto& f : findings)
      if (f.package == package) out.push_back(f);
    return out;
  }
};

Scan ScanRoot(const std::string& root, const std::string& db) {
  Scan s;
  s.run = ct::RunCustomsJson({"rootfs", root, "--db", db}, Fixed());
  EXPECT_EQ(s.run.run.exit_code, 0) << s.run.run.Describe();
  EXPECT_TRUE(s.run.report.is_object()) << s.run.parse_error;
  if (!s.run.report.is_object()) return s;
  for (const auto& v : ct::ReportVulnerabilities(s.run.report)) {
    Finding f;
    f.package = ct::Str(v, "_package");
    f.id = ct::Str(v, "id");
    f.installed = ct::Str(v, "installedVersion");
    f.fixed = ct::Str(v, "fixedVersion");
    f.status = ct::Str(v, "status");
    f.severity = ct::Str(v, "severity");
    f.severity_source = ct::Str(v, "severitySource");
    if (v.contains("dataSource") && v["dataSource"].is_object()) f.data_source = ct::Str(v["dataSource"], "id");
    s.findings.push_back(f);
  }
  if (s.run.report.contains("notices") && s.run.report["notices"].is_array())
    for (const auto& n : s.run.report["notices"]) s.notices.emplace_back(ct::Str(n, "kind"), ct::Str(n, "message"));
  return s;
}

std::string NoticeText(const Scan& s) {
  std::string out;
  for (const auto& [k, m] : s.notices) out += "\n  " + k + ": " + m;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Ubuntu: OSV records of canonical/ubuntu-security-notices, by source package and release, dpkg
// order, Ubuntu's priority as the severity.

std::string UbuntuRoot(const std::string& dir, const std::string& os_release, const std::string& openssl_version) {
  ct::WriteFile(dir + "/etc/os-release", os_release);
  // Two binary packages of the openssl source package (the record names the source package).
  ct::WriteFile(dir + "/var/lib/dpkg/status",
                "Package: openssl\nStatus: install ok installed\nPriority: optional\nSection: utils\n"
                "Architecture: amd64\nVersion: " + openssl_version + "\nDescription: Secure Sockets Layer toolkit\n\n"
                "Package: libssl3\nStatus: install ok installed\nPriority: optional\nSection: libs\n"
                "Architecture: amd64\nSource: openssl\nVersion: " + openssl_version +
                "\nDescription: Secure Sockets Layer toolkit - shared libraries\n");
  return dir;
}

TEST(VulnDistros, UbuntuMatchesByReleaseWithDpkgOrderAndUbuntuPriority) {
  ct::TempDir d;
  const std::string db = BuildDb(d, "ubuntu");
  ASSERT_FALSE(db.empty());
  const std::string jammy = OsRelease("ubuntu-22.04");

  // Affected: below the fixed 3.0.2-0ubuntu1.8 (22.04's entry of the record).
  Scan a = ScanRoot(UbuntuRoot(d / "affected", jammy, "3.0.2-0ubuntu1.7"), db);
  EXPECT_FALSE(a.Has("no-data")) << NoticeText(a);
  for (const char* pkg : {"openssl", "libssl3"}) {
    SCOPED_TRACE(pkg);
    auto f = a.Of(pkg);
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].id, "CVE-2023-0286");
    EXPECT_EQ(f[0].installed, "3.0.2-0ubuntu1.7");
    EXPECT_EQ(f[0].fixed, "3.0.2-0ubuntu1.8") << "22.04's fix, not 20.04's (1.1.1f-1ubuntu2.17)";
    EXPECT_EQ(f[0].status, "fixed");
    // ubuntu_priority "high", rated by the feed (not a CVSS score customs computed).
    EXPECT_EQ(f[0].severity, "HIGH");
    EXPECT_EQ(f[0].data_source, "osv-ubuntu");
    EXPECT_EQ(f[0].severity_source, "osv-ubuntu");
  }
  EXPECT_EQ(a.findings.size(), 2u);

  // Fixed, and beyond: dpkg order says 1.10 > 1.8 (a string comparison would not).
  for (const char* v : {"3.0.2-0ubuntu1.8", "3.0.2-0ubuntu1.10"}) {
    Scan f = ScanRoot(UbuntuRoot(d / (std::string("fixed-") + v), jammy, v), db);
    EXPECT_TRUE(f.findings.empty()) << v << ": " << f.findings.size() << " findings";
    EXPECT_FALSE(f.Has("no-data")) << NoticeText(f);
  }

  // A release the record has no entry for: not checked, and said so.
  std::string noble = jammy;
  for (auto [from, to] : {std::pair<std::string, std::string>{"22.04.3 LTS", "24.04.1 LTS"},
                          {"\"22.04\"", "\"24.04\""}, {"Jammy Jellyfish", "Noble Numbat"}, {"jammy", "noble"}}) {
    for (size_t at = noble.find(from); at != std::string::npos; at = noble.find(from, at + to.size()))
      noble.replace(at, from.size(), to);
  }
  Scan n = ScanRoot(UbuntuRoot(d / "noble", noble, "3.0.2-0ubuntu1.7"), db);
  EXPECT_TRUE(n.Has("no-data")) << NoticeText(n);
  EXPECT_TRUE(n.findings.empty());
  EXPECT_NE(NoticeText(n).find("ubuntu:24.04"), std::string::npos) << NoticeText(n);
}

// ---------------------------------------------------------------------------------------------
// AlmaLinux: AlmaLinux/osv-database, by binary package name and major release, rpm order, the
// errata severity of the summary.

ct::RpmSpec Rpm(const std::string& name, const std::string& version, const std::string& release,
                std::optional<uint32_t> epoch = std::nullopt) {
  ct::RpmSpec s;
  s.name = name;
  s.version = version;
  s.release = release;
  s.epoch = epoch;
  s.license = "curl";
  return s;
}

std::optional<std::string> RpmRootOf(const std::string& dir, const std::vector<ct::RpmSpec>& specs,
                                     const std::string& os_release, std::string* why) {
  return ct::RpmRoot(dir, why, ct::RpmDbBackend::kSqlite, specs, os_release);
}

TEST(VulnDistros, AlmaLinuxMatchesByMajorReleaseWithRpmOrderAndErrataSeverity) {
  std::string why;
  if (!ct::RpmRootAvailable(ct::RpmDbBackend::kSqlite, &why)) GTEST_SKIP() << why;
  ct::TempDir d;
  const std::string db = BuildDb(d, "almalinux");
  ASSERT_FALSE(db.empty());
  const std::string alma9 = OsRelease("almalinux-9.3");

  // ALSA-2022:6157: curl fixed in 7.76.1-14.el9_0.5.
  auto affected = RpmRootOf(d / "affected", {Rpm("curl", "7.76.1", "14.el9_0.4")}, alma9, &why);
  ASSERT_TRUE(affected) << why;
  Scan a = ScanRoot(*affected, db);
  EXPECT_EQ(ct::Str(a.run.report["os"], "family"), "almalinux");
  EXPECT_FALSE(a.Has("no-data")) << NoticeText(a);
  auto f = a.Of("curl");
  ASSERT_EQ(f.size(), 1u) << NoticeText(a);
  EXPECT_EQ(f[0].id, "ALSA-2022:6157");
  EXPECT_EQ(f[0].installed, "7.76.1-14.el9_0.4");
  EXPECT_EQ(f[0].fixed, "7.76.1-14.el9_0.5");
  EXPECT_EQ(f[0].status, "fixed");
  EXPECT_EQ(f[0].severity, "MEDIUM") << "the errata's \"Moderate\"";
  EXPECT_EQ(f[0].severity_source, "osv-almalinux");
  EXPECT_EQ(f[0].data_source, "osv-almalinux");

  // The fixed build and a later one: rpm order compares release segments numerically
  // ("19.el9" > "14.el9_0.5").
  for (const char* release : {"14.el9_0.5", "19.el9"}) {
    auto root = RpmRootOf(d / (std::string("fixed-") + release), {Rpm("curl", "7.76.1", release)}, alma9, &why);
    ASSERT_TRUE(root) << why;
    Scan s = ScanRoot(*root, db);
    EXPECT_TRUE(s.Of("curl").empty()) << release;
    EXPECT_FALSE(s.Has("no-data")) << NoticeText(s);
  }
}

// Modular errata (module streams, rpm epochs): AlmaLinux 8's nginx:1.20 and nginx:1.22 stream
// updates both name the package "nginx". customs matches by package name and epoch:version-release;
// it does not read the module stream a package came from (rpm's modularitylabel), so an installed
// nginx of the 1.20 stream is also compared with the 1.22 stream's fix. This test pins that
// behaviour down as documented in docs/distributions.md.
TEST(VulnDistros, AlmaLinuxModularErrataMatchByNameAndEpochNotByStream) {
  std::string why;
  if (!ct::RpmRootAvailable(ct::RpmDbBackend::kSqlite, &why)) GTEST_SKIP() << why;
  ct::TempDir d;
  const std::string db = BuildDb(d, "almalinux");
  ASSERT_FALSE(db.empty());
  std::string alma8 = OsRelease("almalinux-9.3");
  for (auto [from, to] : {std::pair<std::string, std::string>{"9.3 (Shamrock Pampas Cat)", "8.8 (Sapphire Caracal)"},
                          {"\"9.3\"", "\"8.8\""}, {"el9", "el8"}}) {
    for (size_t at = alma8.find(from); at != std::string::npos; at = alma8.find(from, at + to.size()))
      alma8.replace(at, from.size(), to);
  }

  // The 1.20 stream's build before the fix (same module build, without the ".1.alma.1" rebuild).
  auto before = RpmRootOf(d / "before", {Rpm("nginx", "1.20.1", "1.module_el8.8.0+3624+abf02be4", 1)}, alma8, &why);
  ASSERT_TRUE(before) << why;
  Scan b = ScanRoot(*before, db);
  std::map<std::string, Finding> by_id;
  for (const auto& f : b.Of("nginx")) by_id[f.id] = f;
  ASSERT_TRUE(by_id.count("ALSA-2023:5712")) << NoticeText(b);
  EXPECT_EQ(by_id["ALSA-2023:5712"].installed, "1:1.20.1-1.module_el8.8.0+3624+abf02be4");
  EXPECT_EQ(by_id["ALSA-2023:5712"].fixed, "1:1.20.1-1.module_el8.8.0+3624+abf02be4.1.alma.1");
  EXPECT_EQ(by_id["ALSA-2023:5712"].severity, "MEDIUM");
  EXPECT_TRUE(by_id.count("ALSA-2023:5713")) << "the 1.22 stream's advisory: streams are not told apart";
  EXPECT_FALSE(b.Has("no-data")) << NoticeText(b);

  // The 1.20 stream's fixed build: 5712 is fixed; 5713 (the other stream's higher version) remains.
  auto fixed =
      RpmRootOf(d / "fixed", {Rpm("nginx", "1.20.1", "1.module_el8.8.0+3624+abf02be4.1.alma.1", 1)}, alma8, &why);
  ASSERT_TRUE(fixed) << why;
  Scan f = ScanRoot(*fixed, db);
  std::set<std::string> ids;
  for (const auto& x : f.Of("nginx")) ids.insert(x.id);
  EXPECT_FALSE(ids.count("ALSA-2023:5712"));
  EXPECT_TRUE(ids.count("ALSA-2023:5713"));

  // The epoch is compared first: the same version-release without the epoch (epoch 0) is older than
  // both streams' fixes.
  auto no_epoch =
      RpmRootOf(d / "no-epoch", {Rpm("nginx", "1.22.1", "1.module_el8.8.0+3623+f96e6422.1.alma.1")}, alma8, &why);
  ASSERT_TRUE(no_epoch) << why;
  Scan e = ScanRoot(*no_epoch, db);
  ids.clear();
  for (const auto& x : e.Of("nginx")) ids.insert(x.id);
  EXPECT_TRUE(ids.count("ALSA-2023:5712") && ids.count("ALSA-2023:5713")) << e.findings.size();
}

// Releases and distributions no record covers: the no-data notice, no findings, the packages still
// listed. The same el9 curl on Rocky Linux 9 is not matched against AlmaLinux's records (each
// distribution has its own advisories), nor is AlmaLinux 10 against AlmaLinux 8 and 9's.
TEST(VulnDistros, ReleasesNoFeedCoversGetTheNoDataNotice) {
  std::string why;
  if (!ct::RpmRootAvailable(ct::RpmDbBackend::kSqlite, &why)) GTEST_SKIP() << why;
  ct::TempDir d;
  const std::string db = BuildDb(d, "almalinux");
  ASSERT_FALSE(db.empty());
  std::string alma10 = OsRelease("almalinux-9.3");
  for (auto [from, to] : {std::pair<std::string, std::string>{"9.3 (Shamrock Pampas Cat)", "10.0 (Purple Lion)"},
                          {"\"9.3\"", "\"10.0\""}, {"el9", "el10"}}) {
    for (size_t at = alma10.find(from); at != std::string::npos; at = alma10.find(from, at + to.size()))
      alma10.replace(at, from.size(), to);
  }
  const std::pair<std::string, std::string> cases[] = {
      {"rocky-9.6", OsRelease("rocky-9.6")},
      {"almalinux-10", alma10},
      {"rhel-9.3", OsRelease("rhel-9.3")},
      {"amzn-2023", OsRelease("amzn-2023")},
      {"sles-15.5", OsRelease("sles-15.5")},
  };
  const std::map<std::string, std::string> keys = {{"rocky-9.6", "rocky:9"},
                                                    {"almalinux-10", "almalinux:10"},
                                                    {"rhel-9.3", "rhel:9"},
                                                    {"amzn-2023", "amzn:2023"},
                                                    {"sles-15.5", "sles:15.5"}};
  for (const auto& [name, os_release] : cases) {
    SCOPED_TRACE(name);
    auto root = RpmRootOf(d / name, {Rpm("curl", "7.76.1", "14.el9_0.4")}, os_release, &why);
    ASSERT_TRUE(root) << why;
    Scan s = ScanRoot(*root, db);
    EXPECT_TRUE(s.Has("no-data")) << NoticeText(s);
    EXPECT_NE(NoticeText(s).find("(" + keys.at(name) + ")"), std::string::npos) << NoticeText(s);
    EXPECT_TRUE(s.findings.empty());
    EXPECT_EQ(ct::ReportPackages(s.run.report, "rpm").size(), 1u);
  }
}

// ---------------------------------------------------------------------------------------------
// Wolfi: its secdb (Alpine's format, no release), apk order.

std::string WolfiRoot(const std::string& dir, const std::string& os_release, const std::string& avahi_version) {
  ct::WriteFile(dir + "/etc/os-release", os_release);
  ct::WriteFile(dir + "/lib/apk/db/installed", "C:Q1AAAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:avahi\nV:" + avahi_version +
                                                   "\nA:x86_64\nS:100\nI:200\nT:mDNS/DNS-SD daemon\no:avahi\n"
                                                   "m:Wolfi Maintainers\n\n");
  return dir;
}

TEST(VulnDistros, WolfiMatchesItsSecdbWithApkOrder) {
  ct::TempDir d;
  const std::string db = BuildDb(d, "wolfi");
  ASSERT_FALSE(db.empty());
  const std::string wolfi = OsRelease("wolfi");

  Scan a = ScanRoot(WolfiRoot(d / "affected", wolfi, "0.8-r0"), db);
  EXPECT_EQ(ct::Str(a.run.report["os"], "family"), "wolfi");
  EXPECT_FALSE(a.Has("no-data")) << NoticeText(a);
  auto f = a.Of("avahi");
  ASSERT_EQ(f.size(), 1u) << NoticeText(a);
  EXPECT_EQ(f[0].id, "CVE-2021-3468");
  EXPECT_EQ(f[0].fixed, "0.8-r1");
  EXPECT_EQ(f[0].data_source, "wolfi-secdb");
  // CVE-2021-26720 is "not affected" (secdb's "0"): never a standing finding.

  // The fix and a later build: apk order says r10 > r1.
  for (const char* v : {"0.8-r1", "0.8-r10"}) {
    Scan s = ScanRoot(WolfiRoot(d / (std::string("fixed-") + v), wolfi, v), db);
    EXPECT_TRUE(s.findings.empty()) << v;
  }

  // Chainguard OS has its own secdb: Wolfi's records do not cover it.
  Scan c = ScanRoot(WolfiRoot(d / "chainguard", OsRelease("chainguard"), "0.8-r0"), db);
  EXPECT_TRUE(c.Has("no-data")) << NoticeText(c);
  EXPECT_NE(NoticeText(c).find("(chainguard)"), std::string::npos) << NoticeText(c);
  EXPECT_TRUE(c.findings.empty());
}

// ---------------------------------------------------------------------------------------------
// Google distroless: Debian's os-release (PRETTY_NAME "Distroless", no VERSION_CODENAME), and the
// dpkg database as var/lib/dpkg/status.d/<package> files of one record each, no Status field. The
// shared bullseye status file split that way must give exactly the findings the Debian tracker
// implies for it (the same oracle as vuln_debian_test.cpp).
TEST(VulnDistros, DistrolessStatusDMatchesAsDebian) {
  const std::string db = ct::SharedVulnDb();
  ASSERT_FALSE(db.empty()) << ct::SharedVulnDbError();
  std::vector<std::string> log;
  const ct::FindingSet want = ct::ExpectedBullseyeFindings(&log);
  ASSERT_FALSE(want.empty());

  ct::TempDir d;
  const std::string root = d / "root";
  ct::WriteFile(root + "/usr/lib/os-release", OsRelease("distroless-debian11"));
  std::filesystem::create_directories(root + "/etc");
  ASSERT_EQ(::symlink("../usr/lib/os-release", (root + "/etc/os-release").c_str()), 0);
  // One file per package, named after it, without the Status line (distroless writes none).
  const std::string status = ct::ReadFile(ct::SharedDir() + "/images/debian/bullseye-11.0.status");
  std::istringstream ss(status);
  std::string stanza, line, name;
  size_t files = 0;
  auto flush = [&] {
    if (!name.empty()) {
      ct::WriteFile(root + "/var/lib/dpkg/status.d/" + name, stanza);
      ++files;
    }
    stanza.clear();
    name.clear();
  };
  while (std::getline(ss, line)) {
    if (line.empty()) {
      flush();
      continue;
    }
    if (line.rfind("Status:", 0) == 0) continue;
    if (line.rfind("Package: ", 0) == 0) name = line.substr(9);
    stanza += line + "\n";
  }
  flush();
  ASSERT_EQ(files, 96u);

  Scan s = ScanRoot(root, db);
  ASSERT_TRUE(s.run.report["os"].is_object());
  EXPECT_EQ(ct::Str(s.run.report["os"], "family"), "debian");
  EXPECT_EQ(ct::Str(s.run.report["os"], "version"), "11");
  EXPECT_EQ(ct::ReportPackages(s.run.report, "dpkg").size(), 96u);
  EXPECT_FALSE(s.Has("no-data")) << NoticeText(s);
  std::string diff;
  EXPECT_TRUE(ct::FindingsEqual(s.run.report, want, &diff)) << diff;
  for (const auto& f : s.findings) EXPECT_EQ(f.data_source, "debian-tracker") << f.package << " " << f.id;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Amazon Linux: ALAS advisories (vuln-list's JSON copies, and the updateinfo.xml form), by binary
// package name and release (2, 2023), rpm order, the ALAS severity as the rating; one finding per CVE
// the advisory fixes, the ALAS id as an alias.

TEST(VulnDistros, AmazonLinuxMatchesAlasWithRpmOrder) {
  std::string why;
  if (!ct::RpmRootAvailable(ct::RpmDbBackend::kSqlite, &why)) GTEST_SKIP() << why;
  ct::TempDir d;
  const std::string db = BuildDb(d, "amazon");
  const std::string db_xml = BuildDb(d, "amazon-xml");
  ASSERT_FALSE(db.empty() || db_xml.empty());

  auto al2 = RpmRootOf(d / "al2", {Rpm("curl", "7.55.1", "8.amzn2.0.2"), Rpm("libcurl", "7.55.1", "8.amzn2.0.2")},
                       OsRelease("amzn-2"), &why);
  ASSERT_TRUE(al2) << why;
  for (const std::string& database : {db, db_xml}) {
    SCOPED_TRACE(database);
    Scan s = ScanRoot(*al2, database);
    EXPECT_EQ(ct::Str(s.run.report["os"], "family"), "amazon");
    EXPECT_FALSE(s.Has("no-data")) << NoticeText(s);
    for (const char* pkg : {"curl", "libcurl"}) {
      auto f = s.Of(pkg);
      ASSERT_EQ(f.size(), 2u) << pkg << NoticeText(s);
      EXPECT_EQ(f[0].id, "CVE-2018-1000005");
      EXPECT_EQ(f[1].id, "CVE-2018-1000007");
      for (const auto& x : f) {
        EXPECT_EQ(x.fixed, "7.55.1-9.amzn2.0.1");
        EXPECT_EQ(x.status, "fixed");
        EXPECT_EQ(x.severity, "HIGH") << "ALAS 'important'";
      }
    }
  }
  // The fixed build, and a later one (rpm compares "10.amzn2" above "9.amzn2.0.1").
  for (const char* release : {"9.amzn2.0.1", "10.amzn2"}) {
    auto root = RpmRootOf(d / (std::string("al2-") + release), {Rpm("curl", "7.55.1", release)}, OsRelease("amzn-2"), &why);
    ASSERT_TRUE(root) << why;
    EXPECT_TRUE(ScanRoot(*root, db).Of("curl").empty()) << release;
  }
  // Amazon Linux 2023: its own advisories only (AL2's curl record does not apply).
  auto al2023 = RpmRootOf(d / "al2023", {Rpm("rsync", "3.2.5", "1.amzn2023.0.2"), Rpm("curl", "7.55.1", "8.amzn2.0.2")},
                          OsRelease("amzn-2023"), &why);
  ASSERT_TRUE(al2023) << why;
  Scan s = ScanRoot(*al2023, db);
  EXPECT_FALSE(s.Has("no-data")) << NoticeText(s);
  EXPECT_EQ(s.Of("rsync").size(), 3u) << NoticeText(s);
  EXPECT_TRUE(s.Of("curl").empty());
  // Amazon Linux 2 against a database without ALAS: the no-data notice, as before.
  const std::string other = BuildDb(d, "wolfi");
  EXPECT_TRUE(ScanRoot(*al2, other).Has("no-data"));
}
