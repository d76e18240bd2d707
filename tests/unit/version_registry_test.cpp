// The version-scheme table (version/list.inc): every scheme is registered under its id, the OSV
// ecosystem names map to the right scheme (also with a release suffix and in any case), and unknown
// names give nullptr.
#include "version_test_util.h"

namespace customs::version_test {
namespace {

TEST(VersionRegistry, SchemesAreRegisteredUnderTheirIds) {
  std::set<std::string_view> ids;
  for (const auto& e : version::Schemes()) {
    ASSERT_NE(e.comparator, nullptr) << e.id;
    EXPECT_EQ(e.comparator->Scheme(), e.id);
    EXPECT_EQ(version::ComparatorFor(e.id), e.comparator);
    EXPECT_TRUE(ids.insert(e.id).second) << "duplicate " << e.id;
  }
  for (std::string_view id :
       {"apk", "dpkg", "rpm", "semver", "npm", "pep440", "go", "maven", "rubygems", "composer", "nuget"})
    EXPECT_TRUE(ids.count(id)) << id;
}

TEST(VersionRegistry, OsvEcosystems) {
  const std::vector<std::pair<std::string_view, std::string_view>> kMap = {
      {"Alpine", "apk"},
      {"Alpine:v3.18", "apk"},
      {"Wolfi", "apk"},
      {"Debian", "dpkg"},
      {"Debian:12", "dpkg"},
      {"Ubuntu", "dpkg"},
      {"Ubuntu:22.04:LTS", "dpkg"},
      {"Red Hat", "rpm"},
      {"Red Hat:enterprise_linux:9::appstream", "rpm"},
      {"Rocky Linux", "rpm"},
      {"Rocky Linux:8", "rpm"},
      {"AlmaLinux", "rpm"},
      {"AlmaLinux:9", "rpm"},
      {"npm", "npm"},
      {"PyPI", "pep440"},
      {"Go", "go"},
      {"Maven", "maven"},
      {"RubyGems", "rubygems"},
      {"crates.io", "semver"},
      {"Packagist", "composer"},
      {"NuGet", "nuget"},
      {"pypi", "pep440"},
      {"DEBIAN", "dpkg"},
  };
  for (const auto& [name, scheme] : kMap) {
    const Comparator* c = version::ComparatorFor(name);
    ASSERT_NE(c, nullptr) << name;
    EXPECT_EQ(c->Scheme(), scheme) << name;
  }
  for (std::string_view unknown : {"", ":", "Hackage", "CRAN", "Pub", "Alpine2", "v3.18", ":Alpine"})
    EXPECT_EQ(version::ComparatorFor(unknown), nullptr) << unknown;
}

// Compare is reflexive and antisymmetric in sign for every scheme on a mixed bag of strings, valid
// and not (the fuzz target checks the same on arbitrary bytes).
TEST(VersionRegistry, EveryComparatorIsReflexiveAndAntisymmetric) {
  const std::vector<std::string> kStrings = {"",
                                             "0",
                                             "1",
                                             "1.0",
                                             "1.0.0",
                                             "v1.2.3",
                                             "1:2.3-4",
                                             "1.0~rc1",
                                             "1.0^git1",
                                             "1.0-r1",
                                             "1.0_p1",
                                             "1.0a1",
                                             "1.0.post1.dev2+local",
                                             "1.0.0-alpha.1+b",
                                             "2.0.0+incompatible",
                                             "0.0.0-20191109021931-daa7c04131f5",
                                             "1.0-SNAPSHOT",
                                             "1.0.0.Final",
                                             "1.0.0-x86-mingw",
                                             "dev-master",
                                             "1.x-dev",
                                             "1.0.0.0.0",
                                             "\xff\xfe",
                                             "-",
                                             ".",
                                             "~",
                                             "^",
                                             "1..2",
                                             " 1 ",
                                             "a",
                                             "Z",
                                             "1.0.0-",
                                             std::string("1\0"
                                                         "2",
                                                         3)};
  for (const auto& e : version::Schemes()) {
    for (const auto& a : kStrings) {
      EXPECT_EQ(e.comparator->Compare(a, a), 0) << e.id << " " << a;
      for (const auto& b : kStrings)
        EXPECT_EQ(Sign(e.comparator->Compare(a, b)), -Sign(e.comparator->Compare(b, a)))
            << e.id << " " << a << " " << b;
    }
  }
}

}  // namespace
}  // namespace customs::version_test
