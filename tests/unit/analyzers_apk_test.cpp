// apk analyzer: the installed databases of the official Alpine minirootfs tarballs, and edge cases.
#include <gtest/gtest.h>

#include "analyzers_test_util.h"

namespace customs {
namespace {

using namespace analyzers_test;

constexpr std::string_view kDb = "lib/apk/db/installed";

class ApkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    apk_ = MakeAnalyzer("apk");
    ASSERT_NE(apk_, nullptr);
  }
  AnalysisResult Parse(std::string_view content) { return AnalyzeOne(*apk_, kDb, content); }
  std::unique_ptr<Analyzer> apk_;
};

TEST_F(ApkTest, Basics) {
  EXPECT_EQ(apk_->Name(), "apk");
  EXPECT_EQ(apk_->Group(), AnalyzerGroup::kOS);
  EXPECT_FALSE(apk_->NeedsView());
  EXPECT_TRUE(apk_->Wants(kDb, Meta(kDb)));
  EXPECT_FALSE(apk_->Wants("/lib/apk/db/installed", Meta("/lib/apk/db/installed")));
  EXPECT_FALSE(apk_->Wants("lib/apk/db/installed.bak", Meta("x")));
  EXPECT_FALSE(apk_->Wants("lib/apk/db/triggers", Meta("x")));
  EXPECT_FALSE(apk_->Wants("etc/apk/world", Meta("x")));
}

// Every minirootfs: one database, as many packages as "P:" lines, consistent fields, no complaint.
TEST_F(ApkTest, AllAlpineMinirootfs) {
  auto tarballs = AlpineTarballs();
  if (tarballs.empty()) GTEST_SKIP() << "no Alpine minirootfs in " << SharedDir();
  for (const auto& [tarball, version] : tarballs) {
    SCOPED_TRACE(tarball);
    auto files = TarMembers(tarball, {std::string(kDb)});
    ASSERT_EQ(files.count(std::string(kDb)), 1u);
    const std::string& db = files[std::string(kDb)];
    size_t p_lines = 0;
    for (size_t pos = 0; (pos = db.find("\nP:", pos)) != std::string::npos; ++pos) ++p_lines;
    if (db.starts_with("P:")) ++p_lines;

    AnalysisResult r = Parse(db);
    EXPECT_TRUE(r.diagnostics.empty()) << r.diagnostics.front().message;
    ASSERT_EQ(r.package_dbs.size(), 1u);
    const PackageDB& pdb = r.package_dbs[0];
    EXPECT_EQ(pdb.path, kDb);
    EXPECT_EQ(pdb.type, "apk");
    EXPECT_EQ(pdb.packages.size(), p_lines);
    for (const auto& p : pdb.packages) {
      SCOPED_TRACE(p.name);
      EXPECT_EQ(p.type, "apk");
      EXPECT_EQ(p.db_path, kDb);
      EXPECT_EQ(p.arch, "x86_64");
      EXPECT_FALSE(p.src_name.empty());
      EXPECT_EQ(p.src_version, p.version);
      EXPECT_EQ(p.epoch, 0u);
      EXPECT_EQ(p.upstream + "-" + p.release, p.version);
      EXPECT_EQ(p.release[0], 'r');
      EXPECT_EQ(p.licenses.size(), 1u);
      EXPECT_TRUE(p.extra.count("checksum"));
      EXPECT_TRUE(std::is_sorted(p.depends.begin(), p.depends.end()));
      for (const auto& d : p.depends) {
        EXPECT_NE(d, p.name);
        EXPECT_NE(FindPackage(pdb.packages, d), nullptr) << d;
      }
      for (const auto& f : p.files) EXPECT_NE(f[0], '/') << f;
    }
    // musl and busybox are in every minirootfs; busybox links against musl.
    const Package* busybox = FindPackage(pdb.packages, "busybox");
    ASSERT_NE(busybox, nullptr);
    EXPECT_TRUE(Contains(busybox->depends, "musl"));
    EXPECT_TRUE(Contains(busybox->files, "bin/busybox"));
  }
}

// Exact values of Alpine 3.9.6, checked against the file by hand.
TEST_F(ApkTest, Alpine396Details) {
  std::string tarball = SharedDir() + "/images/alpine-minirootfs-3.9.6-x86_64.tar.gz";
  auto files = TarMembers(tarball, {std::string(kDb)});
  if (files.empty()) GTEST_SKIP() << "missing " << tarball;
  AnalysisResult r = Parse(files[std::string(kDb)]);
  ASSERT_EQ(r.package_dbs.size(), 1u);
  const auto& pkgs = r.package_dbs[0].packages;
  ASSERT_EQ(pkgs.size(), 14u);

  const Package* musl = FindPackage(pkgs, "musl");
  ASSERT_NE(musl, nullptr);
  EXPECT_EQ(musl->version, "1.1.20-r5");
  EXPECT_EQ(musl->upstream, "1.1.20");
  EXPECT_EQ(musl->release, "r5");
  EXPECT_EQ(musl->src_name, "musl");
  EXPECT_EQ(musl->src_upstream, "1.1.20");
  EXPECT_EQ(musl->src_release, "r5");
  EXPECT_EQ(musl->licenses, std::vector<std::string>{"MIT"});
  EXPECT_EQ(musl->maintainer, "Timo Teräs <timo.teras@iki.fi>");
  EXPECT_EQ(musl->extra.at("checksum"), "Q12LWBOehjPjM7U3bbMjU4GVQKOQk=");
  EXPECT_EQ(musl->files, (std::vector<std::string>{"lib/libc.musl-x86_64.so.1", "lib/ld-musl-x86_64.so.1"}));
  EXPECT_TRUE(musl->depends.empty());

  // D:/bin/sh so:libc.musl-x86_64.so.1 -> busybox (p:/bin/sh) and musl (p:so:libc...).
  const Package* base = FindPackage(pkgs, "alpine-baselayout");
  ASSERT_NE(base, nullptr);
  EXPECT_EQ(base->depends, (std::vector<std::string>{"busybox", "musl"}));

  // D:scanelf musl=1.1.20-r5 so:libc.musl-x86_64.so.1
  const Package* utils = FindPackage(pkgs, "musl-utils");
  ASSERT_NE(utils, nullptr);
  EXPECT_EQ(utils->depends, (std::vector<std::string>{"musl", "scanelf"}));
  EXPECT_EQ(utils->src_name, "musl");

  const Package* tls = FindPackage(pkgs, "libtls-standalone");
  ASSERT_NE(tls, nullptr);
  EXPECT_EQ(tls->depends,
            (std::vector<std::string>{"ca-certificates-cacert", "libcrypto1.1", "libssl1.1", "musl"}));

  const Package* ssl = FindPackage(pkgs, "libssl1.1");
  ASSERT_NE(ssl, nullptr);
  EXPECT_EQ(ssl->src_name, "openssl");
  EXPECT_EQ(ssl->version, "1.1.1g-r0");
}

TEST_F(ApkTest, EmptyFile) {
  AnalysisResult r = Parse("");
  EXPECT_TRUE(r.diagnostics.empty());
  ASSERT_EQ(r.package_dbs.size(), 1u);
  EXPECT_TRUE(r.package_dbs[0].packages.empty());
}

TEST_F(ApkTest, CrlfAndNoTrailingNewline) {
  AnalysisResult r = Parse("P:a\r\nV:1.0-r1\r\nF:usr/bin\r\nR:a\r\n\r\nP:b\r\nV:2\r\nD:a>=1.0");
  EXPECT_TRUE(r.diagnostics.empty());
  ASSERT_EQ(r.package_dbs.size(), 1u);
  const auto& pkgs = r.package_dbs[0].packages;
  ASSERT_EQ(pkgs.size(), 2u);
  EXPECT_EQ(pkgs[0].version, "1.0-r1");
  EXPECT_EQ(pkgs[0].files, std::vector<std::string>{"usr/bin/a"});
  EXPECT_EQ(pkgs[1].version, "2");
  EXPECT_EQ(pkgs[1].upstream, "2");
  EXPECT_EQ(pkgs[1].release, "");
  EXPECT_EQ(pkgs[1].src_name, "b");  // no origin: the package is its own source
  EXPECT_EQ(pkgs[1].depends, std::vector<std::string>{"a"});
}

TEST_F(ApkTest, MissingNameOrVersionIsReportedAndSkipped) {
  AnalysisResult r = Parse("V:1.0-r0\nA:x86_64\n\nP:noversion\n\nP:ok\nV:1-r0\n");
  ASSERT_EQ(r.package_dbs.size(), 1u);
  ASSERT_EQ(r.package_dbs[0].packages.size(), 1u);
  EXPECT_EQ(r.package_dbs[0].packages[0].name, "ok");
  ASSERT_EQ(r.diagnostics.size(), 2u);
  EXPECT_EQ(r.diagnostics[0].where, kDb);
  EXPECT_NE(r.diagnostics[0].message.find("line 1"), std::string::npos);
  EXPECT_NE(r.diagnostics[1].message.find("noversion"), std::string::npos);
}

TEST_F(ApkTest, GarbageLinesAreCountedOnce) {
  AnalysisResult r = Parse("P:a\nthis is not a field\nV:1-r0\n\x01\x02\xff\n:\n");
  ASSERT_EQ(r.package_dbs.size(), 1u);
  ASSERT_EQ(r.package_dbs[0].packages.size(), 1u);
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_NE(r.diagnostics[0].message.find("3 line(s)"), std::string::npos) << r.diagnostics[0].message;
  EXPECT_NE(r.diagnostics[0].message.find("line 2"), std::string::npos);
}

TEST_F(ApkTest, DependencyResolution) {
  AnalysisResult r = Parse(
      "P:app\nV:1-r0\nD:!conflicting so:libx.so.1 cmd:tool pc:foo>=2 missing-thing self app=1 "
      "libz~1.2\np:self\n\n"
      "P:libx\nV:1-r0\np:so:libx.so.1=1.0\n\n"
      "P:tools-b\nV:1-r0\np:cmd:tool\n\n"
      "P:tools-a\nV:1-r0\np:cmd:tool\n\n"
      "P:foo-dev\nV:1-r0\np:pc:foo=2.1\n\n"
      "P:libz\nV:1.2-r0\n\n"
      "P:conflicting\nV:1-r0\n");
  ASSERT_EQ(r.package_dbs.size(), 1u);
  const Package* app = FindPackage(r.package_dbs[0].packages, "app");
  ASSERT_NE(app, nullptr);
  // conflicts, unresolved names and itself are dropped; of two providers the smaller name wins.
  EXPECT_EQ(app->depends, (std::vector<std::string>{"foo-dev", "libx", "libz", "tools-a"}));
}

TEST_F(ApkTest, PackageNamedLikeACapabilityWinsOverOtherProviders) {
  AnalysisResult r = Parse("P:a\nV:1-r0\nD:sh\n\nP:ash\nV:1-r0\np:sh\n\nP:sh\nV:1-r0\n");
  const Package* a = FindPackage(r.package_dbs.at(0).packages, "a");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->depends, std::vector<std::string>{"sh"});
}

TEST_F(ApkTest, FilesFollowTheirFolder) {
  AnalysisResult r =
      Parse("P:a\nV:1-r0\nR:rootfile\nF:etc\nR:x\na:0:0:755\nZ:Q1abc=\nF:etc/sub\nR:y\nF:usr\n");
  const auto& p = r.package_dbs.at(0).packages.at(0);
  EXPECT_EQ(p.files, (std::vector<std::string>{"rootfile", "etc/x", "etc/sub/y"}));
}

TEST_F(ApkTest, SeveralBlankLinesAndWhitespaceOnlyLines) {
  AnalysisResult r = Parse("\n\n  \nP:a\nV:1-r0\n\n\n \t\nP:b\nV:2-r0\n\n\n");
  EXPECT_TRUE(r.diagnostics.empty());
  EXPECT_EQ(r.package_dbs.at(0).packages.size(), 2u);
}

TEST_F(ApkTest, HugeField) {
  std::string big(4 << 20, 'x');
  AnalysisResult r = Parse("P:a\nV:1-r0\nT:" + big + "\nL:" + big + "\n");
  ASSERT_EQ(r.package_dbs.at(0).packages.size(), 1u);
  EXPECT_EQ(r.package_dbs[0].packages[0].licenses.at(0).size(), big.size());
}

TEST_F(ApkTest, VersionWithoutNumericRevision) {
  AnalysisResult r = Parse("P:a\nV:1.0-rc1\n\nP:b\nV:2.0_git20200101-r12\n");
  const auto& pkgs = r.package_dbs.at(0).packages;
  EXPECT_EQ(pkgs.at(0).upstream, "1.0-rc1");
  EXPECT_EQ(pkgs.at(0).release, "");
  EXPECT_EQ(pkgs.at(1).upstream, "2.0_git20200101");
  EXPECT_EQ(pkgs.at(1).release, "r12");
}

}  // namespace
}  // namespace customs
