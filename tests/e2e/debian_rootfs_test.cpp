// Acceptance: a real Debian bookworm root filesystem (debootstrap, cached) scanned with
// `customs rootfs` as a directory and as a .tar.zst made by GNU tar; dpkg-query is the oracle.
#include <gtest/gtest.h>

#include <map>
#include <sstream>
#include <string>

#include "support/fixtures.h"
#include "support/scenarios.h"

namespace ct = customs_test;

namespace {

struct DpkgOracle {
  ct::NameVersionSet installed;                  // (package, version) with status "ii"
  std::map<std::string, std::string> source_of;  // package -> ${source:Package}
  std::map<std::string, std::string> source_version_of;
};

DpkgOracle QueryDpkg(const std::string& root) {
  DpkgOracle o;
  ct::RunResult r = ct::Run({"dpkg-query", "--admindir=" + root + "/var/lib/dpkg", "-W", "-f",
                             "${db:Status-Abbrev}\t${Package}\t${Version}\t${source:Package}\t${source:Version}\n"});
  EXPECT_EQ(r.exit_code, 0) << r.Describe();
  std::istringstream ss(r.out);
  for (std::string line; std::getline(ss, line);) {
    std::vector<std::string> f;
    std::istringstream ls(line);
    for (std::string x; std::getline(ls, x, '\t');) f.push_back(x);
    if (f.size() < 5) continue;
    if (f[0].rfind("ii", 0) != 0) continue;  // installed only
    o.installed.insert({f[1], f[2]});
    o.source_of[f[1]] = f[3];
    o.source_version_of[f[1]] = f[4];
  }
  return o;
}

void ExpectMatchesDpkg(const ct::JsonRun& r, const DpkgOracle& o, const std::string& what) {
  SCOPED_TRACE(what);
  ASSERT_EQ(r.run.exit_code, 0) << r.run.Describe();
  ASSERT_TRUE(r.report.is_object()) << r.parse_error;
  ASSERT_TRUE(r.report["os"].is_object());
  EXPECT_EQ(ct::Str(r.report["os"], "family"), "debian");
  EXPECT_EQ(ct::Str(r.report["os"], "version").rfind("12", 0), 0u) << ct::Str(r.report["os"], "version");
  EXPECT_EQ(ct::Str(r.report["os"], "codename"), "bookworm");

  ct::NameVersionSet got = ct::ReportNameVersions(r.report, "dpkg");
  EXPECT_EQ(got, o.installed) << ct::DescribeDiff(o.installed, got);
  EXPECT_EQ(ct::ReportPackages(r.report, "dpkg").size(), o.installed.size()) << "duplicate packages";
  EXPECT_GT(got.size(), 80u);

  size_t bad_src = 0;
  for (const auto& p : ct::ReportPackages(r.report, "dpkg")) {
    const std::string name = ct::Str(p, "name");
    auto it = o.source_of.find(name);
    if (it == o.source_of.end()) continue;
    std::string src = ct::Str(p, "srcName");
    EXPECT_FALSE(src.empty()) << name << ": srcName empty";
    if (src != it->second && bad_src++ < 10)
      ADD_FAILURE() << name << ": srcName " << src << ", dpkg-query says " << it->second;
    std::string srcv = ct::Str(p, "srcVersion");
    EXPECT_EQ(srcv, o.source_version_of.at(name)) << name << ": srcVersion";
    EXPECT_TRUE(p["layer"].is_null()) << name << ": a root filesystem has no layers";
    std::string encoded;  // purl percent-encodes '+' ("libstdc%2B%2B6")
    for (char ch : name) encoded += ch == '+' ? std::string("%2B") : std::string(1, ch);
    EXPECT_EQ(ct::Str(p, "purl").rfind("pkg:deb/debian/" + encoded + "@", 0), 0u) << ct::Str(p, "purl");
    if (name == "bash") {
      ASSERT_TRUE(p["files"].is_array());
      bool has_bash = false;
      for (const auto& f : p["files"]) has_bash |= f == "bin/bash" || f == "usr/bin/bash";
      EXPECT_TRUE(has_bash) << p["files"].dump();
    }
  }
  EXPECT_EQ(bad_src, 0u);
}

TEST(DebianRootfs, DirectoryMatchesDpkgQuery) {
  CUSTOMS_DEBIAN_ROOTFS_OR_SKIP(root);
  DpkgOracle oracle = QueryDpkg(root);
  ASSERT_FALSE(oracle.installed.empty());
  ct::TempDir out;
  ct::JsonRun r = ct::RunCustomsJson({"rootfs", root, "-f", "json", "-o", out / "report.json"});
  ExpectMatchesDpkg(r, oracle, "directory");
  EXPECT_EQ(r.run.out, "") << "with -o nothing goes to stdout";
  EXPECT_EQ(r.run.err, "");
}

TEST(DebianRootfs, ZstdTarballMatchesDpkgQuery) {
  CUSTOMS_DEBIAN_ROOTFS_OR_SKIP(root);
  DpkgOracle oracle = QueryDpkg(root);
  ct::TempDir d;
  const std::string tarball = d / "bookworm.tar.zst";
  ct::RunResult tar = ct::Run({"tar", "--zstd", "-cf", tarball, "-C", root, "."});
  ASSERT_EQ(tar.exit_code, 0) << tar.Describe();
  ct::JsonRun r = ct::RunCustomsJson({"rootfs", tarball});
  ExpectMatchesDpkg(r, oracle, "tar.zst");

  // Same answer as the directory scan, package for package (all fields but the artifact name).
  ct::JsonRun dir = ct::RunCustomsJson({"rootfs", root});
  ASSERT_EQ(dir.run.exit_code, 0) << dir.run.Describe();
  auto a = ct::ReportPackages(dir.report, "dpkg");
  auto b = ct::ReportPackages(r.report, "dpkg");
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    nlohmann::json x = a[i], y = b[i];
    EXPECT_EQ(x, y) << ct::Str(x, "name");
    if (x != y) break;
  }
}

}  // namespace
