// os_release analyzer and MergeOSFacts: the release files of the Alpine minirootfs tarballs, a
// debootstrap tree when present, and the files of the other distributions as they ship them.
#include <gtest/gtest.h>

#include "support/fixtures.h"

#include "analyzers/os_release.h"
#include "core/distro.h"
#include "analyzers_test_util.h"

namespace customs {
namespace {

using namespace analyzers_test;

using Files = std::vector<std::pair<std::string, std::string>>;  // (path, content)

class OSReleaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    os_ = MakeAnalyzer("os_release");
    ASSERT_NE(os_, nullptr);
  }
  // Analyzes every file (as the walker would) and merges the facts.
  std::optional<OSInfo> Detect(const Files& files, std::vector<Diagnostic>* diags = nullptr) {
    AnalysisResult all;
    for (const auto& [path, content] : files) {
      EXPECT_TRUE(os_->Wants(path, Meta(path))) << path;
      all.Append(AnalyzeOne(*os_, path, content));
    }
    if (diags)
      *diags = all.diagnostics;
    else
      EXPECT_TRUE(all.diagnostics.empty())
          << all.diagnostics.front().where << ": " << all.diagnostics.front().message;
    return MergeOSFacts(all.os);
  }
  OSFact Fact(std::string_view path, std::string_view content) {
    AnalysisResult r = AnalyzeOne(*os_, path, content);
    EXPECT_EQ(r.os.size(), 1u);
    return r.os.empty() ? OSFact{} : r.os[0];
  }
  std::unique_ptr<Analyzer> os_;
};

std::string Trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

void ExpectOS(const std::optional<OSInfo>& os, std::string_view family, std::string_view version,
              std::string_view codename = "") {
  ASSERT_TRUE(os.has_value());
  EXPECT_EQ(os->family, family);
  EXPECT_EQ(os->version, version);
  EXPECT_EQ(os->codename, codename);
}

TEST_F(OSReleaseTest, Wants) {
  EXPECT_EQ(os_->Name(), "os_release");
  EXPECT_EQ(os_->Group(), AnalyzerGroup::kOS);
  for (std::string_view p :
       {"etc/os-release", "usr/lib/os-release", "etc/alpine-release", "etc/debian_version", "etc/lsb-release",
        "etc/redhat-release", "etc/centos-release", "etc/rocky-release", "etc/almalinux-release",
        "etc/fedora-release", "etc/oracle-release", "etc/system-release", "etc/SuSE-release"})
    EXPECT_TRUE(os_->Wants(p, Meta(p))) << p;
  for (std::string_view p : {"/etc/os-release", "etc/os-release.d", "etc/issue", "etc/os-release/x",
                             "os-release", "etc/debian_version.bak", "usr/etc/os-release"})
    EXPECT_FALSE(os_->Wants(p, Meta(p))) << p;
}

// Every minirootfs: alpine, the exact version of the tarball, from etc/alpine-release.
TEST_F(OSReleaseTest, AlpineMinirootfs) {
  auto tarballs = AlpineTarballs();
  if (tarballs.empty()) GTEST_SKIP() << "no Alpine minirootfs in " << SharedDir();
  for (const auto& [tarball, version] : tarballs) {
    SCOPED_TRACE(tarball);
    auto files = TarMembers(tarball, {"etc/os-release", "etc/alpine-release"});
    ASSERT_EQ(files.size(), 2u);
    auto os = Detect(Files(files.begin(), files.end()));
    ExpectOS(os, "alpine", version);
    EXPECT_TRUE(os->name.starts_with("Alpine Linux")) << os->name;
    EXPECT_EQ(os->source_file, "etc/os-release");
    // alpine-release alone says as much.
    auto alone = Detect({{"etc/alpine-release", files["etc/alpine-release"]}});
    ExpectOS(alone, "alpine", version);
  }
}

TEST_F(OSReleaseTest, BookwormTree) {
  CUSTOMS_DEBIAN_ROOTFS_OR_SKIP(root);
  auto os_release = ReadFile(root + "/etc/os-release");  // a symlink to ../usr/lib/os-release
  auto debian_version = ReadFile(root + "/etc/debian_version");
  ASSERT_TRUE(os_release && debian_version) << root;
  auto os = Detect({{"etc/os-release", *os_release}, {"etc/debian_version", *debian_version}});
  ExpectOS(os, "debian", Trimmed(*debian_version), "bookworm");
  EXPECT_EQ(os->name, "Debian GNU/Linux 12 (bookworm)");
}

TEST_F(OSReleaseTest, Debian) {
  const std::string bullseye =
      "PRETTY_NAME=\"Debian GNU/Linux 11 (bullseye)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"11\"\n"
      "VERSION=\"11 "
      "(bullseye)\"\nVERSION_CODENAME=bullseye\nID=debian\nHOME_URL=\"https://www.debian.org/\"\n";
  ExpectOS(Detect({{"etc/os-release", bullseye}, {"etc/debian_version", "11.0\n"}}), "debian", "11.0",
           "bullseye");
  // Order of the facts does not matter.
  ExpectOS(Detect({{"etc/debian_version", "12.5\n"},
                   {"etc/os-release", "ID=debian\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\n"}}),
           "debian", "12.5", "bookworm");
  // Testing/unstable: no VERSION_ID, codename from either file.
  ExpectOS(Detect({{"usr/lib/os-release",
                    "PRETTY_NAME=\"Debian GNU/Linux trixie/sid\"\nID=debian\nVERSION_CODENAME=trixie\n"},
                   {"etc/debian_version", "trixie/sid\n"}}),
           "debian", "", "trixie");
  ExpectOS(Detect({{"etc/debian_version", "bookworm/sid\n"}}), "debian", "", "bookworm");
  ExpectOS(Detect({{"etc/debian_version", "10.13"}}), "debian", "10.13");
  // Distroless: os-release and debian_version, nothing else needed here.
  ExpectOS(Detect({{"etc/os-release", bullseye}, {"etc/debian_version", "11.9\n"}}), "debian", "11.9",
           "bullseye");
}

TEST_F(OSReleaseTest, Ubuntu) {
  const std::string os_release =
      "PRETTY_NAME=\"Ubuntu 22.04.3 LTS\"\nNAME=\"Ubuntu\"\nVERSION_ID=\"22.04\"\n"
      "VERSION=\"22.04.3 LTS (Jammy Jellyfish)\"\nVERSION_CODENAME=jammy\nID=ubuntu\nID_LIKE=debian\n"
      "UBUNTU_CODENAME=jammy\n";
  const std::string lsb =
      "DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=22.04\nDISTRIB_CODENAME=jammy\n"
      "DISTRIB_DESCRIPTION=\"Ubuntu 22.04.3 LTS\"\n";
  // Ubuntu's debian_version names the Debian it branched from: it must not win.
  auto os = Detect(
      {{"etc/os-release", os_release}, {"etc/lsb-release", lsb}, {"etc/debian_version", "bookworm/sid\n"}});
  ExpectOS(os, "ubuntu", "22.04", "jammy");
  EXPECT_EQ(os->name, "Ubuntu 22.04.3 LTS");
  ExpectOS(Detect({{"etc/lsb-release", lsb}, {"etc/debian_version", "bookworm/sid\n"}}), "ubuntu", "22.04",
           "jammy");
  ExpectOS(Detect({{"etc/os-release", "ID=ubuntu\nVERSION_ID=\"16.04\"\nUBUNTU_CODENAME=xenial\n"}}),
           "ubuntu", "16.04", "xenial");
}

TEST_F(OSReleaseTest, RedHatFamily) {
  const std::string centos8 = "CentOS Linux release 8.4.2105\n";
  ExpectOS(Detect({{"etc/os-release",
                    "NAME=\"CentOS Linux\"\nVERSION=\"8\"\nID=\"centos\"\nID_LIKE=\"rhel "
                    "fedora\"\nVERSION_ID=\"8\"\n"},
                   {"etc/centos-release", centos8},
                   {"etc/redhat-release", centos8},
                   {"etc/system-release", centos8}}),
           "centos", "8.4.2105");
  ExpectOS(Detect({{"etc/centos-release", "CentOS Linux release 7.9.2009 (Core)\n"}}), "centos", "7.9.2009",
           "Core");
  ExpectOS(Detect({{"etc/redhat-release", "CentOS Stream release 9\n"}}), "centos", "9");
  ExpectOS(Detect({{"etc/os-release",
                    "ID=\"rocky\"\nVERSION_ID=\"9.3\"\nPRETTY_NAME=\"Rocky Linux 9.3 (Blue Onyx)\"\n"},
                   {"etc/rocky-release", "Rocky Linux release 9.3 (Blue Onyx)\n"},
                   {"etc/redhat-release", "Rocky Linux release 9.3 (Blue Onyx)\n"}}),
           "rocky", "9.3", "Blue Onyx");
  ExpectOS(Detect({{"etc/os-release", "ID=\"almalinux\"\nVERSION_ID=\"9.3\"\n"},
                   {"etc/almalinux-release", "AlmaLinux release 9.3 (Shamrock Pampas Cat)\n"}}),
           "almalinux", "9.3", "Shamrock Pampas Cat");
  ExpectOS(Detect({{"etc/os-release", "ID=\"rhel\"\nVERSION_ID=\"9.3\"\nPLATFORM_ID=\"platform:el9\"\n"},
                   {"etc/redhat-release", "Red Hat Enterprise Linux release 9.3 (Plow)\n"}}),
           "rhel", "9.3", "Plow");
  ExpectOS(Detect({{"etc/redhat-release", "Red Hat Enterprise Linux Server release 7.9 (Maipo)\n"}}), "rhel",
           "7.9", "Maipo");
  ExpectOS(Detect({{"etc/os-release", "ID=fedora\nVERSION_ID=39\nVERSION_CODENAME=\"\"\n"},
                   {"etc/fedora-release", "Fedora release 39 (Thirty Nine)\n"}}),
           "fedora", "39", "Thirty Nine");
}

// Oracle Linux's redhat-release claims Red Hat; os-release and oracle-release say Oracle.
TEST_F(OSReleaseTest, OracleLinux) {
  auto os = Detect(
      {{"etc/os-release", "NAME=\"Oracle Linux Server\"\nVERSION=\"8.9\"\nID=\"ol\"\nVERSION_ID=\"8.9\"\n"},
       {"etc/oracle-release", "Oracle Linux Server release 8.9\n"},
       {"etc/redhat-release", "Red Hat Enterprise Linux release 8.9 (Ootpa)\n"},
       {"etc/system-release", "Oracle Linux Server release 8.9\n"}});
  ExpectOS(os, "oracle", "8.9");
  ExpectOS(Detect({{"etc/oracle-release", "Oracle Linux Server release 7.9\n"},
                   {"etc/redhat-release", "Red Hat Enterprise Linux Server release 7.9 (Maipo)\n"}}),
           "oracle", "7.9");
}

TEST_F(OSReleaseTest, AmazonLinux) {
  ExpectOS(Detect({{"etc/os-release",
                    "NAME=\"Amazon Linux\"\nVERSION=\"2\"\nID=\"amzn\"\nID_LIKE=\"centos rhel "
                    "fedora\"\nVERSION_ID=\"2\"\n"},
                   {"etc/system-release", "Amazon Linux release 2 (Karoo)\n"}}),
           "amazon", "2", "Karoo");
  ExpectOS(Detect({{"etc/system-release", "Amazon Linux AMI release 2018.03\n"}}), "amazon", "2018.03");
  ExpectOS(Detect({{"etc/os-release", "ID=\"amzn\"\nVERSION_ID=\"2023\"\n"},
                   {"etc/system-release", "Amazon Linux release 2023.3.20240131 (Amazon Linux)\n"}}),
           "amazon", "2023.3.20240131", "Amazon Linux");
}

TEST_F(OSReleaseTest, OsReleaseOnlyFamilies) {
  ExpectOS(
      Detect({{"etc/os-release", "NAME=\"VMware Photon OS\"\nVERSION=\"3.0\"\nID=photon\nVERSION_ID=3.0\n"}}),
      "photon", "3.0");
  ExpectOS(Detect({{"etc/os-release",
                    "ID=wolfi\nNAME=\"Wolfi\"\nPRETTY_NAME=\"Wolfi\"\nVERSION_ID=\"20230201\"\n"}}),
           "wolfi", "20230201");
  ExpectOS(Detect({{"etc/os-release", "ID=chainguard\nNAME=\"Chainguard\"\nVERSION_ID=\"20230214\"\n"}}),
           "chainguard", "20230214");
  ExpectOS(
      Detect({{"usr/lib/os-release",
               "NAME=\"openSUSE Leap\"\nVERSION=\"15.5\"\nID=\"opensuse-leap\"\nVERSION_ID=\"15.5\"\n"}}),
      "opensuse.leap", "15.5");
  ExpectOS(Detect({{"etc/os-release", "NAME=\"openSUSE Leap\"\nID=opensuse\nVERSION_ID=\"42.3\"\n"}}),
           "opensuse.leap", "42.3");
  ExpectOS(Detect({{"etc/os-release",
                    "NAME=\"openSUSE Tumbleweed\"\nID=\"opensuse-tumbleweed\"\nVERSION_ID=\"20240101\"\n"}}),
           "opensuse.tumbleweed", "20240101");
  ExpectOS(
      Detect({{"etc/os-release", "NAME=\"SLES\"\nVERSION=\"15-SP5\"\nVERSION_ID=\"15.5\"\nID=\"sles\"\n"}}),
      "sles", "15.5");
  // Unknown distributions keep their own ID: a Debian derivative is not Debian.
  ExpectOS(Detect({{"etc/os-release", "ID=kali\nID_LIKE=debian\nVERSION_ID=\"2024.1\"\n"},
                   {"etc/debian_version", "kali-rolling\n"}}),
           "kali", "2024.1");
}

TEST_F(OSReleaseTest, SuseRelease) {
  ExpectOS(Detect({{"etc/SuSE-release",
                    "SUSE Linux Enterprise Server 12 (x86_64)\nVERSION = 12\nPATCHLEVEL = 3\n"}}),
           "sles", "12.3");
  auto os = Detect({{"etc/SuSE-release", "openSUSE 13.2 (x86_64)\nVERSION = 13.2\nCODENAME = Harlequin\n"}});
  ExpectOS(os, "opensuse.leap", "13.2", "Harlequin");
  EXPECT_EQ(os->name, "openSUSE 13.2");
  ExpectOS(Detect({{"etc/SuSE-release",
                    "SUSE Linux Enterprise Server 11 (x86_64)\nVERSION = 11\nPATCHLEVEL = 0\n"}}),
           "sles", "11");
}

// os-release(5) quoting: single quotes literal, backslash escapes in double quotes and bare values.
TEST_F(OSReleaseTest, OsReleaseQuoting) {
  OSFact f = Fact("etc/os-release",
                  "# comment\n\n  ID=debian  \nPRETTY_NAME=\"My \\\"OS\\\" \\$HOME \\\\ \\`x\\` \\n\"\n"
                  "VERSION_ID='1.0 \"q\" \\'\nVERSION_CODENAME=a\\ b\n");
  EXPECT_EQ(f.info.family, "debian");
  EXPECT_EQ(f.info.name, "My \"OS\" $HOME \\ `x` \\n");
  EXPECT_EQ(f.info.version, "1.0 \"q\" \\");
  EXPECT_EQ(f.info.codename, "a b");
  EXPECT_EQ(f.priority, 100);
  EXPECT_EQ(f.path, "etc/os-release");
  EXPECT_EQ(f.info.source_file, "etc/os-release");
  // Mixed quoting and an uppercase ID (lowered, as the spec wants lowercase IDs).
  OSFact g = Fact("usr/lib/os-release", "ID=\"Alpine\"\r\nVERSION_ID=\"3\".'19'\r\n");
  EXPECT_EQ(g.info.family, "alpine");
  EXPECT_EQ(g.info.version, "3.19");
  EXPECT_EQ(g.priority, 90);
}

TEST_F(OSReleaseTest, BrokenFilesAreReported) {
  auto diagnosed = [&](std::string_view path, std::string_view content, bool fact) {
    AnalysisResult r = AnalyzeOne(*os_, path, content);
    EXPECT_EQ(r.os.size(), fact ? 1u : 0u) << path << ": " << content;
    EXPECT_FALSE(r.diagnostics.empty()) << path << ": " << content;
    for (const auto& d : r.diagnostics) EXPECT_EQ(d.where, path);
  };
  diagnosed("etc/os-release", "", false);
  diagnosed("etc/os-release", "NAME=x\n", false);
  diagnosed("etc/os-release", std::string("\x00\xff\x01garbage\n", 11), false);
  diagnosed("etc/os-release", "ID=debian\nnot an assignment\n", true);
  diagnosed("etc/os-release", "ID=debian\nNAME=\"unterminated\n", true);
  diagnosed("etc/alpine-release", "", false);
  diagnosed("etc/alpine-release", "not a version\n", false);
  diagnosed("etc/debian_version", "", false);
  diagnosed("etc/debian_version", "Not/A Codename!\n", false);
  diagnosed("etc/redhat-release", "", false);
  diagnosed("etc/redhat-release", "release 9\n", false);
  diagnosed("etc/redhat-release", "Foo release x\n", false);
  diagnosed("etc/lsb-release", "DISTRIB_RELEASE=1\n", false);
  diagnosed("etc/SuSE-release", "Something else 1\n", false);
}

TEST_F(OSReleaseTest, HugeValues) {
  std::string big(1 << 20, 'x');
  OSFact f = Fact("etc/os-release", "ID=debian\nPRETTY_NAME=\"" + big + "\"\nVERSION_ID=" + big + "\n");
  EXPECT_EQ(f.info.name.size(), big.size());
  AnalysisResult r = AnalyzeOne(*os_, "etc/alpine-release", "3" + big);
  EXPECT_TRUE(r.os.empty());
}

TEST(MergeOSFacts, Rules) {
  EXPECT_FALSE(MergeOSFacts({}).has_value());
  EXPECT_FALSE(MergeOSFacts({OSFact{"etc/os-release", OSInfo{}, 100}}).has_value());  // no family

  auto fact = [](std::string path, std::string family, std::string version, int priority,
                 std::string codename = "", std::string name = "") {
    OSFact f;
    f.path = path;
    f.info.family = family;
    f.info.version = version;
    f.info.codename = codename;
    f.info.name = name;
    f.info.source_file = path;
    f.priority = priority;
    return f;
  };
  // The highest priority decides the family; facts of other families are ignored.
  auto os = MergeOSFacts({fact("etc/debian_version", "debian", "", 10, "bookworm"),
                          fact("etc/os-release", "ubuntu", "22.04", 100, "", "Ubuntu 22.04.3 LTS"),
                          fact("etc/lsb-release", "ubuntu", "22.04", 40, "jammy")});
  ASSERT_TRUE(os);
  EXPECT_EQ(os->family, "ubuntu");
  EXPECT_EQ(os->codename, "jammy");
  EXPECT_EQ(os->name, "Ubuntu 22.04.3 LTS");
  EXPECT_EQ(os->source_file, "etc/os-release");
  // Same priority: the path breaks the tie, so the answer does not depend on input order.
  auto a = MergeOSFacts(
      {fact("etc/rocky-release", "rocky", "9.3", 50), fact("etc/centos-release", "centos", "8", 50)});
  auto b = MergeOSFacts(
      {fact("etc/centos-release", "centos", "8", 50), fact("etc/rocky-release", "rocky", "9.3", 50)});
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->family, b->family);
  EXPECT_EQ(a->family, "centos");
  // Without an exact-version file, the highest priority version stands.
  auto c = MergeOSFacts(
      {fact("etc/lsb-release", "ubuntu", "20.04", 40), fact("etc/os-release", "ubuntu", "22.04", 100)});
  EXPECT_EQ(c->version, "22.04");
  // usr/lib/os-release yields to etc/os-release.
  auto d = MergeOSFacts(
      {fact("usr/lib/os-release", "fedora", "38", 90), fact("etc/os-release", "fedora", "39", 100)});
  EXPECT_EQ(d->version, "39");
  EXPECT_EQ(d->source_file, "etc/os-release");
}

// The os-release files of tests/fixtures/distros/os-release/ (real files of the images named in that
// folder's README): each gives its distribution's family and, through the distribution table, the
// database key the scanner asks for.
TEST_F(OSReleaseTest, RealOsReleaseFilesGiveTheTablesKey) {
  const std::string dir = std::string(CUSTOMS_SOURCE_DIR) + "/tests/fixtures/distros/os-release/";
  struct Case {
    const char* file;
    const char* family;
    const char* version;
    const char* key;
  };
  const Case cases[] = {
      {"ubuntu-22.04", "ubuntu", "22.04", "ubuntu:22.04"},
      {"amzn-2023", "amazon", "2023", "amzn:2023"},
      {"amzn-2", "amazon", "2", "amzn:2"},
      {"rocky-9.6", "rocky", "9.6", "rocky:9"},
      {"almalinux-9.3", "almalinux", "9.3", "almalinux:9"},
      {"rhel-9.3", "rhel", "9.3", "rhel:9"},
      {"sles-15.5", "sles", "15.5", "sles:15.5"},
      {"opensuse-leap-15.6", "opensuse.leap", "15.6", "opensuse-leap:15.6"},
      {"opensuse-tumbleweed", "opensuse.tumbleweed", "20240801", "opensuse-tumbleweed"},
      {"wolfi", "wolfi", "20230201", "wolfi"},
      {"chainguard", "chainguard", "20230214", "chainguard"},
      {"distroless-debian11", "debian", "11", "debian:bullseye"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.file);
    auto content = ReadFile(dir + c.file);
    ASSERT_TRUE(content) << dir + c.file;
    // Distroless ships it as usr/lib/os-release (etc/os-release links there).
    const bool distroless = std::string_view(c.file).starts_with("distroless");
    auto os = Detect({{distroless ? "usr/lib/os-release" : "etc/os-release", *content}});
    ASSERT_TRUE(os);
    EXPECT_EQ(os->family, c.family);
    EXPECT_EQ(os->version, c.version);
    EXPECT_EQ(distro::ReleaseKey(*os), c.key);
    ASSERT_NE(distro::ForFamily(os->family), nullptr);
  }
}

}  // namespace
}  // namespace customs
