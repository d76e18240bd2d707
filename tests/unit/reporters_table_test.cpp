// The table report.
#include <gtest/gtest.h>

#include <sstream>

#include "unit/reporters_sample.h"
#include "unit/reporters_vuln_sample.h"

namespace customs {
namespace {

std::vector<std::string> Lines(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

size_t CodePoints(const std::string& s) {
  size_t n = 0;
  for (char c : s)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  return n;
}

bool Contains(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }

TEST(TableReport, HeaderTableSummaryDiagnostics) {
  std::string out = sample::Render("table", sample::Alpine());
  auto lines = Lines(out);
  ASSERT_GE(lines.size(), 10u);
  EXPECT_EQ(lines[0], "alpine:3.9 (alpine 3.9.6)");
  EXPECT_EQ(lines[1], std::string(lines[0].size(), '='));
  EXPECT_TRUE(Contains(out, "Artifact: alpine:3.9 (container_image)\n"));
  EXPECT_TRUE(Contains(out, "OS:       alpine 3.9.6 (Alpine Linux v3.9)\n"));
  EXPECT_TRUE(Contains(out, "alpine:3.9 (alpine 3.9.6) [apk]\n"));
  EXPECT_TRUE(Contains(out, "│ Package      │ Version    │ Arch   │ Source  │ Layer        │\n"));
  EXPECT_TRUE(Contains(out, "│ musl         │ 1.1.20-r4  │ x86_64 │ musl    │ 6102f0d2ad33 │\n"));
  EXPECT_TRUE(Contains(out, "│ libssl1.1    │ 1.1.1k-r0  │ x86_64 │ openssl │ a1b2c3d4e5f6 │\n"));
  EXPECT_TRUE(Contains(out, "\n5 packages\n"));
  EXPECT_TRUE(Contains(out, "\nwarning: lib/apk/db/installed: line 42: unknown field 'Z'\n"));
  // Diagnostics come last.
  EXPECT_GT(out.find("warning:"), out.find("5 packages"));
  // No ANSI escapes without color.
  EXPECT_FALSE(Contains(out, "\x1b["));

  // Rows sorted by name.
  size_t busybox = out.find("│ busybox"), curl = out.find("│ curl"), musl = out.find("│ musl");
  EXPECT_LT(busybox, curl);
  EXPECT_LT(curl, musl);
}

TEST(TableReport, BoxLinesAlign) {
  for (const ScanResult& r : {sample::Alpine(), sample::Debian(), sample::Rocky(), sample::BareRootfs()}) {
    size_t width = 0;
    for (const auto& line : Lines(sample::Render("table", r))) {
      bool box = line.rfind("┌", 0) == 0 || line.rfind("│", 0) == 0 || line.rfind("├", 0) == 0 ||
                 line.rfind("└", 0) == 0;
      if (!box) {
        width = 0;  // a new table starts after this
        continue;
      }
      if (width == 0) width = CodePoints(line);
      EXPECT_EQ(CodePoints(line), width) << line;
    }
  }
}

TEST(TableReport, SourceVersionEpochAndUnknownLayer) {
  std::string deb = sample::Render("table", sample::Debian());
  // The source version is shown when it differs from the package version.
  EXPECT_TRUE(Contains(deb, "│ bsdutils │ 1:2.36.1-8  │ amd64 │ util-linux 2.36.1-8 │"));
  EXPECT_TRUE(Contains(deb, "│ libc6    │ 2.31-13     │ amd64 │ glibc               │"));
  EXPECT_TRUE(Contains(deb, "\n3 packages\n"));

  std::string bare = sample::Render("table", sample::BareRootfs());
  EXPECT_TRUE(Contains(bare, "OS:       unknown\n"));
  EXPECT_TRUE(Contains(bare, "/srv/rootfs [dpkg]\n"));
  EXPECT_TRUE(Contains(bare, "/srv/rootfs [unknown-type]\n"));
  EXPECT_TRUE(Contains(bare, "│ odd pkg │ 1.0     │ all  │ odd pkg │ -     │"));
  EXPECT_TRUE(Contains(bare, "\n1 package\n"));
}

TEST(TableReport, InstalledPackagesShowWhereTheyAre) {
  // Installed Node.js packages share one target: a Path column tells the copies apart. A lockfile's
  // target is named by the file and needs none.
  ScanResult r = sample::Base("/srv/app", ArtifactType::kFilesystem);
  auto npm = [](const std::string& db, const std::string& source) {
    Package p = sample::Pkg("npm", "ms", "2.1.3", "", -1);
    p.db_path = db;
    p.extra["source"] = source;
    return p;
  };
  r.inventory.packages = {npm("node_modules/ms/package.json", "node_modules"),
                          npm("node_modules/debug/node_modules/ms/package.json", "node_modules"),
                          npm("package-lock.json", "package-lock")};
  std::string out = sample::Render("table", r);
  EXPECT_TRUE(Contains(out, "\nNode.js [npm]\n"));
  const std::string nested = "node_modules/debug/node_modules/ms/package.json";
  EXPECT_TRUE(Contains(out, "│ Package │ Version │ Arch │ Source │ Layer │ Path" + std::string(nested.size() - 4, ' ') +
                                " │\n"))
      << out;
  EXPECT_TRUE(Contains(out, "│ ms      │ 2.1.3   │      │ ms     │ -     │ " + nested + " │\n")) << out;
  EXPECT_TRUE(Contains(out, "\npackage-lock.json [npm]\n"));
  EXPECT_TRUE(Contains(out, "│ Package │ Version │ Arch │ Source │ Layer │\n"));
}

TEST(TableReport, EmptyInventory) {
  ScanResult r = sample::Base("scratch", ArtifactType::kContainerImage);
  r.inventory.os.reset();
  std::string out = sample::Render("table", r);
  EXPECT_TRUE(Contains(out, "No packages found.\n"));
  EXPECT_FALSE(Contains(out, "┌"));
}

TEST(TableReport, ColorIsBoldHeadersOnly) {
  std::string out = sample::Render("table", sample::Alpine(), /*color=*/true);
  EXPECT_TRUE(Contains(out, "\x1b[1malpine:3.9 (alpine 3.9.6)\x1b[0m\n"));
  EXPECT_TRUE(Contains(out, "\x1b[1mPackage     \x1b[0m"));
  EXPECT_TRUE(Contains(out, "│ musl         │ 1.1.20-r4  │"));  // data rows stay plain
  // Same text once the escapes are removed.
  std::string plain = out;
  for (std::string esc : {"\x1b[1m", "\x1b[0m"})
    for (size_t p; (p = plain.find(esc)) != std::string::npos;) plain.erase(p, esc.size());
  EXPECT_EQ(plain, sample::Render("table", sample::Alpine()));
}

TEST(TableReport, HostileTextCannotDriveTheTerminal) {
  ScanResult r = sample::Alpine();
  r.inventory.packages[0].name = "evil\x1b]0;owned\x07\npkg";
  r.inventory.diagnostics.push_back({"x\x1b[2J", "line\rbreak"});
  std::string out = sample::Render("table", r);
  EXPECT_FALSE(Contains(out, "\x1b"));
  EXPECT_FALSE(Contains(out, "\r"));
  EXPECT_FALSE(Contains(out, "\x07"));
  EXPECT_TRUE(Contains(out, "evil?]0;owned??pkg"));
  EXPECT_TRUE(Contains(out, "warning: x?[2J: line?break\n"));
}

// ---- vulnerabilities ----

std::string StripAnsi(std::string s) {
  for (size_t p; (p = s.find("\x1b[")) != std::string::npos;) {
    size_t m = s.find('m', p);
    s.erase(p, m - p + 1);
  }
  return s;
}

TEST(TableReport, UnchangedWhenNotVulnScanned) {
  ScanResult r = sample::VulnerableAlpine();
  r.vuln_scanned = false;
  EXPECT_EQ(sample::RenderWith("table", r, true), sample::Render("table", sample::Alpine()));
  EXPECT_EQ(sample::RenderWith("table", r, true, true), sample::Render("table", sample::Alpine(), true));
}

TEST(TableReport, VulnerabilityTableSummaryAndNotice) {
  std::string out = sample::RenderWith("table", sample::VulnerableAlpine(), false);
  // The notice comes under the header, before any table.
  const std::string notice =
      "\nNOTICE: alpine 3.9.6: past end of life (2020-11-01); the data may miss newer vulnerabilities\n";
  ASSERT_TRUE(Contains(out, notice)) << out;
  EXPECT_LT(out.find(notice), out.find("┌"));
  // The package table stays, then the vulnerabilities of the target.
  EXPECT_TRUE(Contains(out, "\n5 packages\n\nVulnerabilities\n"
                            "Total: 8 (UNKNOWN: 1, NONE: 1, LOW: 1, MEDIUM: 1, HIGH: 2, CRITICAL: 2)\n"));
  EXPECT_TRUE(Contains(out, "│ Package      │ Vulnerability        │ Severity │ Status       │ Installed  │ "
                            "Fixed                │ Title    "));
  // Titles longer than 60 columns are cut.
  EXPECT_TRUE(Contains(out, "│ curl         │ CVE-2023-38545 [KEV] │ HIGH     │ fixed        │ 7.64.0-r5  │ "
                            "8.4.0-r0             │ curl: heap based buffer overflow in the SOCKS5 proxy handsh… │\n"));
  EXPECT_TRUE(Contains(out, "│ busybox      │ CVE-2018-1000500     │ UNKNOWN  │ unknown      │ 1.29.3-r10 │ "
                            "                     │"));
  EXPECT_TRUE(Contains(out, "│ busybox      │ CVE-2017-0001        │ NONE     │ will_not_fix │"));
  EXPECT_TRUE(Contains(out, "│ curl         │ CVE-2021-22876       │ MEDIUM   │ fixed        │ 7.64.0-r5  │ "
                            "7.76.0-r0, 7.77.0-r1 │"));
  EXPECT_TRUE(Contains(out, "│ libssl1.1    │ CVE-2021-3711        │ CRITICAL │ fixed        │ 1.1.1k-r0  │ "
                            "1.1.1l-r0            │ openssl: SM2 Decryption Buffer Overflow                      │\n"));
  EXPECT_TRUE(Contains(out, "\n[KEV]: listed in CISA's Known Exploited Vulnerabilities catalog (1 finding)\n"));
  // Suppressed findings are left out entirely.
  EXPECT_FALSE(Contains(out, "CVE-2020-28928"));
  EXPECT_FALSE(Contains(out, "Suppressed"));
  EXPECT_FALSE(Contains(out, "\x1b["));

  // Rows: by package, then severity descending, then id.
  std::vector<std::string> order = {"│ busybox      │ CVE-2022-28391 ", "│ busybox      │ CVE-2017-0001 ",
                                    "│ busybox      │ CVE-2018-1000500 ", "│ curl         │ CVE-2023-38545 ",
                                    "│ curl         │ CVE-2021-22876 ", "│ libcrypto1.1 │ CVE-2021-3711 ",
                                    "│ libcrypto1.1 │ CVE-2021-3712 ", "│ libssl1.1    │ CVE-2021-3711 "};
  size_t last = 0;
  for (const auto& row : order) {
    size_t at = out.find(row);
    ASSERT_NE(at, std::string::npos) << row;
    EXPECT_GT(at, last) << row;
    last = at;
  }
}

TEST(TableReport, SuppressedListedUnderShowSuppressed) {
  std::string out = sample::RenderWith("table", sample::VulnerableAlpine(), true);
  // The counts stay those of the standing findings; the suppressed ones follow the table.
  EXPECT_TRUE(Contains(out, "Total: 8 (UNKNOWN: 1, NONE: 1, LOW: 1, MEDIUM: 1, HIGH: 2, CRITICAL: 2)\n"));
  EXPECT_TRUE(Contains(out, "\nSuppressed: 1\n  CVE-2020-28928 musl 1.1.20-r4 (MEDIUM)\n"
                            "    suppressed by vex (alpine.openvex.json): CVE-2020-28928 not_affected for "
                            "pkg:apk/alpine/musl — vulnerable_code_not_in_execute_path\n"));
  EXPECT_FALSE(Contains(out, "│ musl         │ CVE-2020-28928"));
}

TEST(TableReport, SeverityColors) {
  std::string out = sample::RenderWith("table", sample::VulnerableAlpine(), false, /*color=*/true);
  EXPECT_TRUE(Contains(out, "│ \x1b[1;31mCRITICAL\x1b[0m │"));
  EXPECT_TRUE(Contains(out, "│ \x1b[31mHIGH\x1b[0m     │"));
  EXPECT_TRUE(Contains(out, "│ \x1b[33mMEDIUM\x1b[0m   │"));
  EXPECT_TRUE(Contains(out, "│ \x1b[34mLOW\x1b[0m      │"));
  EXPECT_TRUE(Contains(out, "│ \x1b[2mUNKNOWN\x1b[0m  │"));
  EXPECT_TRUE(Contains(out, "\x1b[1;33mNOTICE: alpine 3.9.6"));
  EXPECT_TRUE(Contains(out, "\x1b[1;31mCRITICAL\x1b[0m: 2)"));
  // Same text once the escapes are removed.
  EXPECT_EQ(StripAnsi(out), sample::RenderWith("table", sample::VulnerableAlpine(), false));
}

TEST(TableReport, VulnerabilityBoxesAlign) {
  for (bool sup : {false, true}) {
    size_t width = 0;
    for (const auto& line : Lines(sample::RenderWith("table", sample::VulnerableAlpine(), sup))) {
      bool box = line.rfind("┌", 0) == 0 || line.rfind("│", 0) == 0 || line.rfind("├", 0) == 0 ||
                 line.rfind("└", 0) == 0;
      if (!box) {
        width = 0;
        continue;
      }
      if (width == 0) width = CodePoints(line);
      EXPECT_EQ(CodePoints(line), width) << line;
    }
  }
}

TEST(TableReport, CleanScanLongTitlesAndHostileAdvisories) {
  ScanResult clean = sample::Alpine();
  clean.vuln_scanned = true;
  std::string out = sample::Render("table", clean);
  EXPECT_TRUE(Contains(out, "\nVulnerabilities\nTotal: 0 (UNKNOWN: 0, LOW: 0, MEDIUM: 0, HIGH: 0, CRITICAL: 0)\n"));
  EXPECT_FALSE(Contains(out, "│ Vulnerability"));

  ScanResult r = sample::VulnerableAlpine();
  r.vulnerabilities[4].title = std::string(100, 'x');
  r.vulnerabilities[5].title = "evil\x1b]0;owned\x07 title";
  r.notices.push_back({"no-data", "bad\x1b[2J notice"});
  out = sample::RenderWith("table", r, false);
  EXPECT_TRUE(Contains(out, " " + std::string(59, 'x') + "… │"));
  EXPECT_FALSE(Contains(out, "\x1b"));
  EXPECT_TRUE(Contains(out, "evil?]0;owned? title"));
  EXPECT_TRUE(Contains(out, "NOTICE: bad?[2J notice\n"));
}

}  // namespace
}  // namespace customs
