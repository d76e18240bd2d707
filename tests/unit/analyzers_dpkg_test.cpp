// dpkg analyzer: the real bullseye status file (checked against dpkg-query), status.d, info/*.list,
// copyright files, a debootstrap tree when there is one, and edge cases.
#include <gtest/gtest.h>

#include "support/fixtures.h"

#include <set>

#include "analyzers_test_util.h"

namespace customs {
namespace {

using namespace analyzers_test;

constexpr std::string_view kStatus = "var/lib/dpkg/status";

class DpkgTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dpkg_ = MakeAnalyzer("dpkg");
    ASSERT_NE(dpkg_, nullptr);
  }
  AnalysisResult Parse(std::string_view path, std::string_view content) {
    return AnalyzeOne(*dpkg_, path, content);
  }
  const std::vector<Package>& Packages(const AnalysisResult& r) {
    EXPECT_EQ(r.package_dbs.size(), 1u);
    static const std::vector<Package> kNone;
    return r.package_dbs.empty() ? kNone : r.package_dbs[0].packages;
  }
  std::unique_ptr<Analyzer> dpkg_;
};

// (name, version) of installed packages according to dpkg-query run on `admindir`.
std::set<std::pair<std::string, std::string>> DpkgQueryInstalled(const std::string& admindir) {
  int st = 0;
  std::string out = RunCommand("dpkg-query -W --admindir='" + admindir +
                                   "' -f '${Package}\\t${Version}\\t${db:Status-Status}\\n' 2>/dev/null",
                               &st);
  EXPECT_EQ(st, 0);
  std::set<std::pair<std::string, std::string>> set;
  std::istringstream in(out);
  std::string line;
  while (std::getline(in, line)) {
    size_t t1 = line.find('\t'), t2 = line.rfind('\t');
    if (t1 == std::string::npos || t1 == t2) continue;
    if (line.substr(t2 + 1) != "installed") continue;
    set.emplace(line.substr(0, t1), line.substr(t1 + 1, t2 - t1 - 1));
  }
  return set;
}

std::set<std::pair<std::string, std::string>> NameVersions(const std::vector<Package>& pkgs) {
  std::set<std::pair<std::string, std::string>> set;
  for (const auto& p : pkgs) set.emplace(p.name, p.version);
  return set;
}

TEST_F(DpkgTest, Wants) {
  auto wants = [&](std::string_view p) { return dpkg_->Wants(p, Meta(p)); };
  EXPECT_EQ(dpkg_->Name(), "dpkg");
  EXPECT_EQ(dpkg_->Group(), AnalyzerGroup::kOS);
  EXPECT_TRUE(wants("var/lib/dpkg/status"));
  EXPECT_TRUE(wants("var/lib/dpkg/status.d/libc6"));
  EXPECT_TRUE(wants("var/lib/dpkg/status.d/base-files"));
  EXPECT_FALSE(wants("var/lib/dpkg/status.d/libc6.md5sums"));
  EXPECT_FALSE(wants("var/lib/dpkg/status.d/sub/libc6"));
  EXPECT_FALSE(wants("var/lib/dpkg/status.d/"));
  EXPECT_FALSE(wants("var/lib/dpkg/status-old"));
  EXPECT_FALSE(wants("var/lib/dpkg/available"));
  EXPECT_TRUE(wants("var/lib/dpkg/info/bash.list"));
  EXPECT_TRUE(wants("var/lib/dpkg/info/libc6:amd64.list"));
  EXPECT_FALSE(wants("var/lib/dpkg/info/bash.md5sums"));
  EXPECT_FALSE(wants("var/lib/dpkg/info/.list"));
  EXPECT_FALSE(wants("var/lib/dpkg/info/x/bash.list"));
  EXPECT_TRUE(wants("usr/share/doc/bash/copyright"));
  EXPECT_FALSE(wants("usr/share/doc/bash/examples/copyright"));
  EXPECT_FALSE(wants("usr/share/doc//copyright"));
  EXPECT_FALSE(wants("usr/share/doc/copyright"));
  EXPECT_FALSE(wants("/var/lib/dpkg/status"));
}

// The real bullseye status file: same installed (name, version) set as dpkg-query, real Source fields.
TEST_F(DpkgTest, BullseyeStatusMatchesDpkgQuery) {
  const std::string file = SharedDir() + "/images/debian/bullseye-11.0.status";
  auto content = ReadFile(file);
  if (!content) GTEST_SKIP() << "missing " << file;
  AnalysisResult r = Parse(kStatus, *content);
  EXPECT_TRUE(r.diagnostics.empty()) << r.diagnostics.front().message;
  const auto& pkgs = Packages(r);
  EXPECT_EQ(pkgs.size(), 96u);
  EXPECT_EQ(r.package_dbs[0].path, kStatus);
  EXPECT_EQ(r.package_dbs[0].type, "dpkg");

  if (HaveCommand("dpkg-query")) {
    TempDir admin;
    WriteFile(admin.path() + "/status", *content);
    EXPECT_EQ(NameVersions(pkgs), DpkgQueryInstalled(admin.path()));
  }

  for (const auto& p : pkgs) {
    SCOPED_TRACE(p.name);
    EXPECT_EQ(p.type, "dpkg");
    EXPECT_EQ(p.db_path, kStatus);
    EXPECT_FALSE(p.arch.empty());
    EXPECT_FALSE(p.maintainer.empty());
    EXPECT_FALSE(p.src_name.empty());
  }
  const Package* bash = FindPackage(pkgs, "bash");
  ASSERT_NE(bash, nullptr);
  EXPECT_EQ(bash->version, "5.1-2+b1");
  EXPECT_EQ(bash->upstream, "5.1");
  EXPECT_EQ(bash->release, "2+b1");
  EXPECT_EQ(bash->src_name, "bash");
  EXPECT_EQ(bash->src_version, "5.1-2");  // "Source: bash (5.1-2)": binNMU of the source
  EXPECT_EQ(bash->src_upstream, "5.1");
  EXPECT_EQ(bash->src_release, "2");
  EXPECT_EQ(bash->arch, "amd64");

  const Package* login = FindPackage(pkgs, "login");
  ASSERT_NE(login, nullptr);
  EXPECT_EQ(login->version, "1:4.8.1-1");
  EXPECT_EQ(login->epoch, 1u);
  EXPECT_EQ(login->upstream, "4.8.1");
  EXPECT_EQ(login->release, "1");
  EXPECT_EQ(login->src_name, "shadow");
  EXPECT_EQ(login->src_version, "1:4.8.1-1");  // no version in Source: the binary's
  EXPECT_EQ(login->src_epoch, 1u);

  const Package* capng = FindPackage(pkgs, "libcap-ng0");
  ASSERT_NE(capng, nullptr);
  EXPECT_EQ(capng->src_name, "libcap-ng");
  EXPECT_EQ(capng->src_version, "0.7.9-2.2");
  EXPECT_EQ(capng->src_release, "2.2");

  const Package* libc = FindPackage(pkgs, "libc6");
  ASSERT_NE(libc, nullptr);
  EXPECT_EQ(libc->src_name, "glibc");
  EXPECT_EQ(libc->src_version, "2.31-12");

  const Package* apt = FindPackage(pkgs, "apt");  // no Source field: named after itself
  ASSERT_NE(apt, nullptr);
  EXPECT_EQ(apt->src_name, "apt");
  EXPECT_EQ(apt->src_version, "2.2.4");
  EXPECT_EQ(apt->release, "");
  EXPECT_EQ(apt->maintainer, "APT Development Team <deity@lists.debian.org>");
}

// A debootstrap'd bookworm tree (made once and cached by the test fixtures; skipped only when no
// Debian mirror answers).
TEST_F(DpkgTest, BookwormTree) {
  CUSTOMS_DEBIAN_ROOTFS_OR_SKIP(root);
  auto status = ReadFile(root + "/var/lib/dpkg/status");
  ASSERT_TRUE(status.has_value()) << root;
  AnalysisResult r = Parse(kStatus, *status);
  EXPECT_TRUE(r.diagnostics.empty()) << r.diagnostics.front().message;
  const auto& pkgs = Packages(r);
  if (HaveCommand("dpkg-query")) EXPECT_EQ(NameVersions(pkgs), DpkgQueryInstalled(root + "/var/lib/dpkg"));
  const Package* bash = FindPackage(pkgs, "bash");
  ASSERT_NE(bash, nullptr);
  EXPECT_TRUE(Contains(bash->depends, "base-files"));  // Pre-Depends / Depends
  EXPECT_TRUE(Contains(bash->depends, "debianutils"));
  for (const auto& p : pkgs)
    for (const auto& d : p.depends)
      EXPECT_EQ(d.find_first_of(" (:|,"), std::string::npos) << p.name << ": " << d;

  // Every file list parses; the paths are those dpkg-query -L prints, without the leading "/".
  size_t lists = 0;
  for (const auto& e : std::filesystem::directory_iterator(root + "/var/lib/dpkg/info")) {
    std::string name = e.path().filename().string();
    if (!name.ends_with(".list")) continue;
    std::string path = "var/lib/dpkg/info/" + name;
    ASSERT_TRUE(dpkg_->Wants(path, Meta(path)));
    auto content = ReadFile(e.path().string());
    AnalysisResult lr = Parse(path, *content);
    ASSERT_EQ(lr.attachments.size(), 1u);
    EXPECT_EQ(lr.attachments[0].package, name.substr(0, name.size() - 5));
    EXPECT_FALSE(lr.attachments[0].files.empty());
    ++lists;
  }
  EXPECT_GT(lists, 50u);

  // Copyright files: every package states at least one license, bash's is GPL-3+.
  size_t with_licenses = 0, total = 0;
  for (const auto& e : std::filesystem::directory_iterator(root + "/usr/share/doc")) {
    std::string path = "usr/share/doc/" + e.path().filename().string() + "/copyright";
    auto content = ReadFile(root + "/" + path);
    if (!content) continue;
    ++total;
    AnalysisResult cr = Parse(path, *content);
    EXPECT_TRUE(cr.diagnostics.empty());
    if (!cr.attachments.empty() && !cr.attachments[0].licenses.empty()) ++with_licenses;
    if (e.path().filename() == "bash") EXPECT_EQ(cr.attachments.at(0).licenses.at(0), "GPL-3+");
  }
  EXPECT_GE(with_licenses * 10, total * 9) << with_licenses << " of " << total;
}

TEST_F(DpkgTest, OnlyInstalledPackagesAreKept) {
  AnalysisResult r = Parse(kStatus,
                           "Package: a\nStatus: install ok installed\nVersion: 1\n\n"
                           "Package: b\nStatus: deinstall ok config-files\nVersion: 1\n\n"
                           "Package: c\nStatus: install reinstreq half-installed\nVersion: 1\n\n"
                           "Package: d\nStatus: hold ok installed\nVersion: 1\n\n"
                           "Package: e\nStatus: purge ok not-installed\n\n"
                           "Package: f\nStatus: install ok unpacked\nVersion: 1\n");
  std::vector<std::string> names;
  for (const auto& p : Packages(r)) names.push_back(p.name);
  EXPECT_EQ(names, (std::vector<std::string>{"a", "d"}));
  EXPECT_TRUE(r.diagnostics.empty());  // e has no Version, but it is not installed anyway
}

TEST_F(DpkgTest, StatusDFileWithoutStatusField) {
  const std::string path = "var/lib/dpkg/status.d/libc6";
  AnalysisResult r = Parse(path,
                           "Package: libc6\nVersion: 2.36-9+deb12u4\nArchitecture: amd64\n"
                           "Source: glibc\nMaintainer: GNU Libc Maintainers <debian-glibc@lists.debian.org>\n"
                           "Depends: libgcc-s1\nDescription: GNU C Library\n shared libraries\n");
  ASSERT_EQ(r.package_dbs.size(), 1u);
  EXPECT_EQ(r.package_dbs[0].path, path);
  const auto& p = r.package_dbs[0].packages.at(0);
  EXPECT_EQ(p.db_path, path);
  EXPECT_EQ(p.version, "2.36-9+deb12u4");
  EXPECT_EQ(p.release, "9+deb12u4");
  EXPECT_EQ(p.src_name, "glibc");
  EXPECT_EQ(p.src_version, "2.36-9+deb12u4");
  EXPECT_EQ(p.depends, std::vector<std::string>{"libgcc-s1"});
}

TEST_F(DpkgTest, VersionSplitsAtTheLastHyphen) {
  AnalysisResult r = Parse(kStatus,
                           "Package: a\nVersion: 2:1.0-beta-3ubuntu1\n\n"
                           "Package: b\nVersion: 1.0+dfsg\n\n"
                           "Package: c\nVersion: 0:7-1\nSource: csrc (3:8.0-2-1)\n");
  const auto& pkgs = Packages(r);
  ASSERT_EQ(pkgs.size(), 3u);
  EXPECT_EQ(pkgs[0].epoch, 2u);
  EXPECT_EQ(pkgs[0].upstream, "1.0-beta");
  EXPECT_EQ(pkgs[0].release, "3ubuntu1");
  EXPECT_EQ(pkgs[1].epoch, 0u);
  EXPECT_EQ(pkgs[1].upstream, "1.0+dfsg");
  EXPECT_EQ(pkgs[1].release, "");
  EXPECT_EQ(pkgs[2].epoch, 0u);
  EXPECT_EQ(pkgs[2].src_name, "csrc");
  EXPECT_EQ(pkgs[2].src_version, "3:8.0-2-1");
  EXPECT_EQ(pkgs[2].src_epoch, 3u);
  EXPECT_EQ(pkgs[2].src_upstream, "8.0-2");
  EXPECT_EQ(pkgs[2].src_release, "1");
}

TEST_F(DpkgTest, DependsAndPreDepends) {
  AnalysisResult r = Parse(kStatus,
                           "Package: a\nVersion: 1\n"
                           "Pre-Depends: libc6 (>= 2.34), dpkg (>= 1.19.1)\n"
                           "Depends: libtinfo6 (>= 6) | libncurses6,\n"
                           " perl:any, python3:amd64 (>= 3.9),\n"
                           "\tdebconf (>= 0.5) | debconf-2.0, libc6 (>= 2.14), foo [amd64] <!nocheck>,\n"
                           "Recommends: not-a-dependency\n");
  const auto& p = Packages(r).at(0);
  EXPECT_EQ(p.depends,
            (std::vector<std::string>{"debconf", "dpkg", "foo", "libc6", "libtinfo6", "perl", "python3"}));
}

TEST_F(DpkgTest, ContinuationLinesCrlfAndCaseInsensitiveFields) {
  AnalysisResult r = Parse(kStatus,
                           "package: a\r\nSTATUS: install ok installed\r\nversion: 1.2-3\r\n"
                           "Description: short\r\n long line\r\n .\r\n more\r\n\r\n"
                           "Package: b\r\nVersion: 4\r\n");
  const auto& pkgs = Packages(r);
  ASSERT_EQ(pkgs.size(), 2u);
  EXPECT_EQ(pkgs[0].name, "a");
  EXPECT_EQ(pkgs[0].version, "1.2-3");
  EXPECT_EQ(pkgs[1].name, "b");
  EXPECT_TRUE(r.diagnostics.empty());
}

TEST_F(DpkgTest, MissingFieldsAreReported) {
  AnalysisResult r = Parse(kStatus,
                           "Status: install ok installed\nVersion: 1\n\n"
                           "Package: noversion\nStatus: install ok installed\n\n"
                           "Package: badepoch\nVersion: x:1.0\n\n"
                           "Package: emptyupstream\nVersion: 1:-3\n\n"
                           "Package: badsource\nVersion: 1.0-1\nSource: s (q:1)\n\n"
                           "Package: ok\nVersion: 1\n");
  const auto& pkgs = Packages(r);
  ASSERT_EQ(pkgs.size(), 2u);
  EXPECT_EQ(pkgs[0].name, "badsource");
  EXPECT_EQ(pkgs[0].src_name, "s");
  EXPECT_EQ(pkgs[0].src_version, "1.0-1");  // fell back to the binary version
  EXPECT_EQ(pkgs[1].name, "ok");
  ASSERT_EQ(r.diagnostics.size(), 5u);
  EXPECT_NE(r.diagnostics[0].message.find("line 1"), std::string::npos);
  EXPECT_NE(r.diagnostics[1].message.find("noversion"), std::string::npos);
  EXPECT_NE(r.diagnostics[2].message.find("epoch"), std::string::npos);
  for (const auto& d : r.diagnostics) EXPECT_EQ(d.where, kStatus);
}

TEST_F(DpkgTest, EmptyAndGarbage) {
  AnalysisResult empty = Parse(kStatus, "");
  EXPECT_TRUE(empty.diagnostics.empty());
  EXPECT_TRUE(Packages(empty).empty());

  AnalysisResult garbage = Parse(kStatus, std::string("\x00\x01\xff garbage\n continuation first\n:\n", 34));
  EXPECT_TRUE(Packages(garbage).empty());
  ASSERT_EQ(garbage.diagnostics.size(), 1u);
  EXPECT_NE(garbage.diagnostics[0].message.find("3 line(s)"), std::string::npos)
      << garbage.diagnostics[0].message;
}

TEST_F(DpkgTest, HugeField) {
  std::string big(8 << 20, 'a');
  AnalysisResult r =
      Parse(kStatus, "Package: a\nVersion: 1\nDescription: x\n " + big + "\nDepends: " + big + "\n");
  const auto& p = Packages(r).at(0);
  EXPECT_EQ(p.depends.at(0).size(), big.size());
}

TEST_F(DpkgTest, FileLists) {
  AnalysisResult r = Parse("var/lib/dpkg/info/libc6:amd64.list",
                           "/.\n/lib\n/lib/x86_64-linux-gnu/libc.so.6\r\n\n/usr/share/doc/libc6\n");
  ASSERT_EQ(r.attachments.size(), 1u);
  const auto& a = r.attachments[0];
  EXPECT_EQ(a.path, "var/lib/dpkg/info/libc6:amd64.list");
  EXPECT_EQ(a.type, "dpkg");
  EXPECT_EQ(a.package, "libc6:amd64");
  EXPECT_EQ(a.files,
            (std::vector<std::string>{"lib", "lib/x86_64-linux-gnu/libc.so.6", "usr/share/doc/libc6"}));
  EXPECT_TRUE(a.licenses.empty());

  AnalysisResult bash = Parse("var/lib/dpkg/info/bash.list", "/.\n/bin\n/bin/bash\n");
  EXPECT_EQ(bash.attachments.at(0).package, "bash");
  EXPECT_EQ(bash.attachments.at(0).files, (std::vector<std::string>{"bin", "bin/bash"}));

  AnalysisResult empty = Parse("var/lib/dpkg/info/x.list", "");
  ASSERT_EQ(empty.attachments.size(), 1u);
  EXPECT_TRUE(empty.attachments[0].files.empty());
}

std::vector<std::string> Licenses(Analyzer& a, std::string_view content) {
  AnalysisResult r;
  a.Analyze(AnalysisInput{"usr/share/doc/pkg/copyright", content, 0}, r);
  if (r.attachments.empty()) return {};
  EXPECT_EQ(r.attachments[0].package, "pkg");
  EXPECT_EQ(r.attachments[0].type, "dpkg");
  EXPECT_TRUE(r.attachments[0].files.empty());
  return r.attachments[0].licenses;
}

TEST_F(DpkgTest, CopyrightMachineReadable) {
  auto l = Licenses(*dpkg_,
                    "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n"
                    "Upstream-Name: x\n\n"
                    "Files: *\nCopyright: 2020 Someone\nLicense: GPL-3+\n\n"
                    "Files: lib/*\nLicense: GPL-3+ and BSD-4-clause-UC\n\n"
                    "Files: doc/*\nLicense: GPL-1+ or Artistic, and BSD-3-clause\n\n"
                    "Files: x/*\nLicense: LGPLv3+_or_GPLv2+\n\n"
                    "Files: y/*\nLicense: Apache License, Version 2.0\n\n"
                    "Files: z/*\nLicense: The MIT License (MIT)\n\n"
                    "License: GPL-3+\n On Debian systems, see /usr/share/common-licenses/GPL-3.\n"
                    "License: public-domain\r\n");
  EXPECT_EQ(l, (std::vector<std::string>{"GPL-3+", "BSD-4-clause-UC", "GPL-1+", "Artistic", "BSD-3-clause",
                                         "LGPLv3+", "GPLv2+", "Apache License, Version 2.0",
                                         "The MIT License", "public-domain"}));
}

TEST_F(DpkgTest, CopyrightFreeText) {
  auto l = Licenses(*dpkg_,
                    "This is the Debian prepackaged version of the GNU C Library.\n\n"
                    "  can be found in `/usr/share/common-licenses/LGPL-2.1'.\n"
                    "The GNU Public Licenses in /usr/share/common-licenses were taken from\n"
                    "see /usr/share/common-licenses/GPL-2, and /usr/share/common-licenses/GPL-2.\n"
                    "or /usr/share/common-licenses/Artistic\n"
                    "License: The main library is licensed under GNU Lesser\n"
                    "License: GPLv2+\n");
  EXPECT_EQ(l, (std::vector<std::string>{"LGPL-2.1", "GPL-2", "Artistic", "GPLv2+"}));
  EXPECT_TRUE(Licenses(*dpkg_, "no license named here\n").empty());
  EXPECT_TRUE(Licenses(*dpkg_, "").empty());
  EXPECT_TRUE(Licenses(*dpkg_, "/usr/share/common-licenses/\n/usr/share/common-licenses/-.\n").empty());
}

}  // namespace
}  // namespace customs
