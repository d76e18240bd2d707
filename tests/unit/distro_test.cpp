// The distribution table (core/distro.h): every row is complete, OSV spellings of real records map to
// the row's key, a detected OSInfo maps to the same key, and the builder's normalization
// (db::NormalizeEcosystem) and the version registry agree with the table. The OSV spellings are the
// ecosystems of real records: AlmaLinux/osv-database and canonical/ubuntu-security-notices (the
// fixtures in tests/fixtures/distros/), and the ecosystem names OSV.dev lists for Red Hat, Rocky
// Linux, SUSE and openSUSE (https://ossf.github.io/osv-schema/#affectedpackage-field).
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "core/distro.h"
#include "db/schema.h"
#include "version/version.h"

namespace customs {
namespace {

OSInfo Os(std::string family, std::string version, std::string codename = "") {
  OSInfo o;
  o.family = std::move(family);
  o.version = std::move(version);
  o.codename = std::move(codename);
  return o;
}

TEST(DistroTable, EveryRowIsComplete) {
  std::set<std::string_view> keys, families, ids;
  ASSERT_GE(distro::All().size(), 16u);
  for (const auto& d : distro::All()) {
    SCOPED_TRACE(std::string(d.key));
    EXPECT_TRUE(keys.insert(d.key).second) << "duplicate key";
    EXPECT_FALSE(d.name.empty());
    ASSERT_FALSE(d.families.empty());
    ASSERT_FALSE(d.os_release_ids.empty());
    for (auto f : d.families) EXPECT_TRUE(families.insert(f).second) << "family in two rows: " << f;
    for (auto i : d.os_release_ids) EXPECT_TRUE(ids.insert(i).second) << "os-release ID in two rows: " << i;
    EXPECT_TRUE(d.pkg_type == "apk" || d.pkg_type == "dpkg" || d.pkg_type == "rpm") << d.pkg_type;
    // The package type's own version order is the row's (core/ecosystem.h).
    const ecosystem::Ecosystem* e = ecosystem::ForType(d.pkg_type);
    ASSERT_NE(e, nullptr);
    EXPECT_EQ(e->scheme, d.scheme);
    EXPECT_TRUE(e->os);
    // A row either names its feeds and their releases, or says it is not covered.
    if (d.feeds.empty()) {
      EXPECT_NE(d.note.find("not covered"), std::string_view::npos);
      EXPECT_TRUE(d.versions.empty());
    } else {
      EXPECT_FALSE(d.versions.empty());
    }
    EXPECT_EQ(d.osv_name.empty(), d.osv_form == distro::OsvForm::kNone);
    EXPECT_EQ(distro::ForFamily(d.families.front()), &d);
    // Rolling distributions have one key; the others a release after the colon.
    if (d.release == distro::Release::kRolling)
      EXPECT_EQ(distro::ReleaseKey(Os(std::string(d.families.front()), "20240101")), d.key);
  }
  for (std::string_view family : {"alpine", "debian", "ubuntu", "rhel", "centos", "almalinux", "rocky", "oracle",
                                  "fedora", "sles", "opensuse.leap", "opensuse.tumbleweed", "wolfi", "chainguard",
                                  "amazon", "photon"})
    EXPECT_NE(distro::ForFamily(family), nullptr) << family;
  EXPECT_EQ(distro::ForFamily("kali"), nullptr);
}

// OSV spelling (as real records write it) -> the key the builder stores.
TEST(DistroTable, OsvSpellingsToKeys) {
  const std::pair<const char*, const char*> cases[] = {
      {"Alpine:v3.18", "alpine:v3.18"},
      {"Debian:11", "debian:bullseye"},
      {"Debian:12", "debian:bookworm"},
      {"Ubuntu:22.04:LTS", "ubuntu:22.04"},
      {"Ubuntu:20.04:LTS", "ubuntu:20.04"},
      {"Ubuntu:24.10", "ubuntu:24.10"},
      {"Ubuntu:Pro:16.04:LTS", "ubuntu:pro:16.04"},
      {"Red Hat:enterprise_linux:9::appstream", "rhel:9"},
      {"Red Hat:enterprise_linux:9::baseos", "rhel:9"},
      {"Red Hat:enterprise_linux:8::appstream", "rhel:8"},
      {"AlmaLinux:8", "almalinux:8"},
      {"AlmaLinux:9", "almalinux:9"},
      {"Rocky Linux:9", "rocky:9"},
      {"Rocky Linux:8", "rocky:8"},
      {"SUSE:Linux Enterprise Server 15 SP5", "sles:15.5"},
      {"SUSE:Linux Enterprise Module for Basesystem 15 SP5", "sles:15.5"},
      {"SUSE:Linux Enterprise Server 12 SP5", "sles:12.5"},
      {"SUSE:Linux Enterprise Server 15", "sles:15"},
      {"openSUSE:Leap 15.5", "opensuse-leap:15.5"},
      {"openSUSE:Tumbleweed", "opensuse-tumbleweed"},
      {"Wolfi", "wolfi"},
      {"Chainguard", "chainguard"},
  };
  for (const auto& [osv, key] : cases) {
    EXPECT_EQ(distro::KeyFromOsv(osv), key) << osv;
    EXPECT_EQ(db::NormalizeEcosystem(osv), key) << osv;
    // Keys are fixed points: the scanner's key, queried through the same normalization, is unchanged.
    EXPECT_EQ(db::NormalizeEcosystem(key), key) << key;
    EXPECT_TRUE(distro::IsDistroEcosystem(osv)) << osv;
    EXPECT_TRUE(distro::IsDistroEcosystem(key)) << key;
  }
  // Spellings that name no release a scanned OS can ask for keep their own, canonical, keys: EUS
  // streams, LTSS, SAP, Leap Micro. They are still distribution ecosystems (fixed versions kept).
  for (const char* other : {"Red Hat:rhel_eus:9.2::appstream", "SUSE:Linux Enterprise Server 15 SP5-LTSS",
                            "SUSE:Linux Enterprise Server for SAP Applications 15 SP5", "openSUSE:Leap Micro 5.5"}) {
    EXPECT_EQ(distro::KeyFromOsv(other), "") << other;
    EXPECT_EQ(db::NormalizeEcosystem(other), other) << other;
    EXPECT_TRUE(distro::IsDistroEcosystem(other)) << other;
  }
  for (const char* lang : {"PyPI", "Go", "npm", "crates.io", "Maven", "RubyGems", "NuGet", "Packagist"}) {
    EXPECT_EQ(distro::KeyFromOsv(lang), "") << lang;
    EXPECT_FALSE(distro::IsDistroEcosystem(lang)) << lang;
  }
  EXPECT_EQ(db::NormalizeEcosystem("Alpine"), "alpine");
  EXPECT_EQ(db::NormalizeEcosystem("alpine:3.9"), "alpine:v3.9");
  EXPECT_EQ(db::NormalizeEcosystem("debian:11.7"), "debian:bullseye");
  EXPECT_EQ(db::DebianCodename("9"), "stretch");
  EXPECT_EQ(db::DebianCodename("3.1"), "sarge");
  EXPECT_EQ(db::DebianCodename("99"), "99");
}

// A detected OS -> the key the scanner asks for.
TEST(DistroTable, OsInfoToKeys) {
  EXPECT_EQ(distro::ReleaseKey(Os("alpine", "3.18.4")), "alpine:v3.18");
  EXPECT_EQ(distro::ReleaseKey(Os("debian", "11.7", "bullseye")), "debian:bullseye");
  EXPECT_EQ(distro::ReleaseKey(Os("debian", "12")), "debian:bookworm");       // distroless: no codename
  EXPECT_EQ(distro::ReleaseKey(Os("debian", "", "trixie")), "debian:trixie");  // "trixie/sid"
  EXPECT_EQ(distro::ReleaseKey(Os("ubuntu", "22.04", "jammy")), "ubuntu:22.04");
  EXPECT_EQ(distro::ReleaseKey(Os("rhel", "9.3")), "rhel:9");
  EXPECT_EQ(distro::ReleaseKey(Os("almalinux", "8.8")), "almalinux:8");
  EXPECT_EQ(distro::ReleaseKey(Os("rocky", "9.6")), "rocky:9");
  EXPECT_EQ(distro::ReleaseKey(Os("sles", "15.5")), "sles:15.5");
  EXPECT_EQ(distro::ReleaseKey(Os("opensuse.leap", "15.5")), "opensuse-leap:15.5");
  EXPECT_EQ(distro::ReleaseKey(Os("opensuse.tumbleweed", "20240101")), "opensuse-tumbleweed");
  EXPECT_EQ(distro::ReleaseKey(Os("wolfi", "20230201")), "wolfi");
  EXPECT_EQ(distro::ReleaseKey(Os("chainguard", "20230214")), "chainguard");
  EXPECT_EQ(distro::ReleaseKey(Os("amazon", "2")), "amzn:2");
  EXPECT_EQ(distro::ReleaseKey(Os("amazon", "2023")), "amzn:2023");
  EXPECT_EQ(distro::ReleaseKey(Os("oracle", "8.9")), "ol:8");
  EXPECT_EQ(distro::ReleaseKey(Os("kali", "2024.1")), "kali:2024");  // not in the table: never stored
}

// The two sides agree: for every covered distribution, the OSV record's spelling and the scanned
// release of that distribution give one key, and the version registry finds the row's order under it.
TEST(DistroTable, BuilderAndScannerAgree) {
  struct Case {
    const char* osv;
    OSInfo os;
  };
  const Case cases[] = {
      {"Alpine:v3.18", Os("alpine", "3.18.4")},
      {"Debian:11", Os("debian", "11.7", "bullseye")},
      {"Debian:12", Os("debian", "12")},
      {"Ubuntu:22.04:LTS", Os("ubuntu", "22.04", "jammy")},
      {"Red Hat:enterprise_linux:9::appstream", Os("rhel", "9.3")},
      {"AlmaLinux:9", Os("almalinux", "9.3")},
      {"AlmaLinux:8", Os("almalinux", "8.8")},
      {"Rocky Linux:9", Os("rocky", "9.6")},
      {"SUSE:Linux Enterprise Server 15 SP5", Os("sles", "15.5")},
      {"openSUSE:Leap 15.5", Os("opensuse.leap", "15.5")},
      {"openSUSE:Tumbleweed", Os("opensuse.tumbleweed", "20240101")},
      {"Wolfi", Os("wolfi", "20230201")},
      {"Chainguard", Os("chainguard", "20230214")},
  };
  std::set<std::string_view> covered;
  for (const auto& c : cases) {
    const std::string key = db::NormalizeEcosystem(c.osv);
    EXPECT_EQ(key, distro::ReleaseKey(c.os)) << c.osv;
    const distro::Distro* d = distro::ForFamily(c.os.family);
    ASSERT_NE(d, nullptr);
    EXPECT_EQ(distro::ForEcosystem(key), d) << key;
    EXPECT_EQ(distro::ForEcosystem(c.osv), d) << c.osv;
    EXPECT_EQ(version::ComparatorFor(key), &version::ComparatorFor(d->scheme)) << key;
    covered.insert(d->key);
  }
  // Every row with an OSV ecosystem is exercised above.
  for (const auto& d : distro::All())
    if (d.osv_form != distro::OsvForm::kNone) EXPECT_TRUE(covered.count(d.key)) << d.key;
}

}  // namespace
}  // namespace customs
