// NuGet version comparison. NuGet.Versioning needs .NET, which Debian does not package, so there is
// no oracle: the vectors are written by hand from NuGet's documentation ("Package versioning":
// normalization, pre-release ordering, SemVer 2.0 metadata) and NuGet.Versioning's comparer
// (VersionComparer.Default: four numbers, then release labels compared with Int32.TryParse and
// OrdinalIgnoreCase). The order is checked for consistency on generated versions.
#include "version_test_util.h"

namespace customs::version_test {
namespace {

const std::vector<Vector> kVectors = {
    {"1.0", "1.0.0", 0, "missing numbers are 0"},
    {"1.0", "1.0.0.0", 0, "missing numbers are 0, up to four"},
    {"1", "1.0.0", 0, "a single number"},
    {"1.01.1", "1.1.1", 0, "leading zeros are normalized away"},
    {"1.0.0.1", "1.0.0", 1, "the fourth number"},
    {"1.0.0.1-beta", "1.0.0.1", -1, "a pre-release of a four-part version"},
    {"1.2.10", "1.10.2", -1, "numerically"},
    {"1.0.0-alpha", "1.0.0-beta", -1, "labels"},
    {"1.0.0-beta", "1.0.0", -1, "a pre-release is older"},
    {"1.0.0-RC1", "1.0.0-rc1", 0, "labels are case-insensitive"},
    {"1.0.0-alpha.1", "1.0.0-alpha.beta", -1, "numeric labels before alphanumeric ones"},
    {"1.0.0-alpha", "1.0.0-alpha.1", -1, "a longer label list is newer"},
    {"1.0.0-2", "1.0.0-10", -1, "numeric labels numerically"},
    {"1.0.0-02", "1.0.0-2", 0, "Int32.TryParse reads leading zeros"},
    {"1.0.0-beta01", "1.0.0-beta02", -1, "SemVer 1 style labels"},
    {"1.0.0-beta10", "1.0.0-beta9", -1, "SemVer 1 style labels compare as strings"},
    {"1.0.0-2147483648", "1.0.0-9", 1, "beyond Int32 a label is alphanumeric"},
    {"1.0.0-2147483648", "1.0.0-A", -1, "... and compares as a string: '2' < 'A'"},
    {"1.0.0-a-b", "1.0.0-a", 1, "hyphens in labels"},
    {"1.0.0+metadata", "1.0.0", 0, "metadata ignored"},
    {"1.0.0-rc.1+build.5", "1.0.0-rc.1", 0, "metadata ignored"},
    {" 1.0.0 ", "1.0.0", 0, "surrounding spaces"},
    {"2147483647.0", "2147483646.0", 1, "Int32 numbers"},
    {"2147483648.0", "0.0", -1, "a number beyond Int32: invalid, before valid"},
    {"1.0.0.0.0", "0.0", -1, "five numbers: invalid"},
    {"1.0.0-", "0.0", -1, "an empty label: invalid"},
    {"v1.0", "1.0.0-", 1, "invalid: bytewise"},
};

TEST(VersionNuget, HandVectors) { CheckVectors(Get("nuget"), kVectors); }

TEST(VersionNuget, Valid) {
  const Comparator& c = Get("nuget");
  for (std::string_view v : {"1", "1.0", "1.0.0", "1.0.0.0", "1.0.0-beta", "1.0.0-beta.1+sha.5", "01.002.3",
                             "1.0.0.1-rc-1", "2147483647.0.0"})
    EXPECT_TRUE(c.Valid(v)) << v;
  for (std::string_view v : {"", "v1.0", "1.0.0.0.0", "1.", ".1", "1..0", "1.0.0-", "1.0.0-a..b", "1.0.0+", "1.0.0-a_b",
                             "-1.0", "2147483648.0", "1.0a"})
    EXPECT_FALSE(c.Valid(v)) << v;
  EXPECT_EQ(version::ComparatorFor("NuGet"), &c);
}

TEST(VersionNuget, GeneratedAreTotallyOrdered) {
  const Comparator& c = Get("nuget");
  static const std::vector<std::string> kLabels = {"alpha", "Alpha", "beta", "BETA01",     "beta10", "rc", "RC", "1",
                                                   "01",    "2",     "10",   "2147483648", "a-b",    "-",  ""};
  Rng rng(4242);
  std::vector<std::string> all;
  for (int i = 0; i < 1500; ++i) {
    std::string v = std::to_string(rng.Below(3));
    size_t n = rng.Below(5);
    for (size_t k = 0; k < n; ++k) v += "." + std::string(rng.Below(5) == 0 ? "0" : "") + std::to_string(rng.Below(3));
    if (rng.Below(2)) {
      v += "-" + rng.Pick(kLabels);
      if (rng.Below(3) == 0) v += "." + rng.Pick(kLabels);
    }
    if (rng.Below(6) == 0) v += "+meta";
    all.push_back(v);
  }
  std::vector<std::string> sorted = CheckTotalPreorder(c, Distinct(all));
  ASSERT_FALSE(sorted.empty());
}

}  // namespace
}  // namespace customs::version_test
