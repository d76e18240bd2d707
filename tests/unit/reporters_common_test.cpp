// Reporter registry and the helpers the reporters share.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>

#include <nlohmann/json.hpp>

#include "reporters/common.h"
#include "support/schema.h"
#include "unit/reporters_sample.h"

namespace customs {
namespace {

using report::License;
using report::ParseLicense;

TEST(ReporterRegistry, EveryFormatIsThere) {
  for (std::string_view f : {"table", "json", "cyclonedx", "spdx-json"}) {
    auto r = MakeReporter(f);
    ASSERT_NE(r, nullptr) << f;
    EXPECT_EQ(r->Name(), f);
  }
  EXPECT_EQ(MakeReporter("xml"), nullptr);
}

TEST(ReporterCommon, TargetsGroupByTypeAndSortPackages) {
  ScanResult r = sample::Alpine();
  auto targets = report::BuildTargets(r.inventory);
  ASSERT_EQ(targets.size(), 1u);
  EXPECT_EQ(targets[0].name, "alpine:3.9 (alpine 3.9.6)");
  EXPECT_EQ(targets[0].cls, "os-pkgs");
  EXPECT_EQ(targets[0].type, "apk");
  std::vector<std::string> names;
  for (const Package* p : targets[0].packages) names.push_back(p->name);
  EXPECT_EQ(names, (std::vector<std::string>{"busybox", "curl", "libcrypto1.1", "libssl1.1", "musl"}));

  // Same name and version: arch decides.
  auto rocky = report::BuildTargets(sample::Rocky().inventory);
  ASSERT_EQ(rocky.size(), 1u);
  EXPECT_EQ(rocky[0].packages[1]->arch, "i686");
  EXPECT_EQ(rocky[0].packages[2]->arch, "x86_64");

  // Two types, no OS: one target per type, OS types first, named after the artifact.
  auto bare = report::BuildTargets(sample::BareRootfs().inventory);
  ASSERT_EQ(bare.size(), 2u);
  EXPECT_EQ(bare[0].type, "dpkg");
  EXPECT_EQ(bare[0].cls, "os-pkgs");
  EXPECT_EQ(bare[1].type, "unknown-type");
  EXPECT_EQ(bare[1].cls, "lang-pkgs");
  EXPECT_EQ(bare[0].name, "/srv/rootfs");
}

TEST(ReporterCommon, LayerShortDigestAndUuid) {
  ScanResult r = sample::Alpine();
  const Package& musl = r.inventory.packages[0];
  ASSERT_NE(report::LayerOf(r.inventory, musl), nullptr);
  EXPECT_EQ(report::LayerOf(r.inventory, musl)->diff_id, sample::kLayer0);
  Package orphan = musl;
  orphan.layer = 7;
  EXPECT_EQ(report::LayerOf(r.inventory, orphan), nullptr);
  orphan.layer = -1;
  EXPECT_EQ(report::LayerOf(r.inventory, orphan), nullptr);

  EXPECT_EQ(report::ShortDigest(sample::kLayer0), "6102f0d2ad33");
  EXPECT_EQ(report::ShortDigest("abc"), "abc");

  std::string uuid = report::UuidFromHex(std::string(64, 'f'));
  EXPECT_EQ(uuid, "ffffffff-ffff-4fff-bfff-ffffffffffff");
  EXPECT_TRUE(std::regex_match(report::UuidFromHex(report::HexSha256("x")),
                               std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")));
}

TEST(ReporterCommon, ContentHashIsStableAndSensitive) {
  ScanResult a = sample::Debian();
  ScanResult b = sample::Debian();
  std::reverse(b.inventory.packages.begin(), b.inventory.packages.end());  // order does not matter
  EXPECT_EQ(report::ContentHash(a), report::ContentHash(b));
  b.inventory.packages[0].version += "1";
  EXPECT_NE(report::ContentHash(a), report::ContentHash(b));
  ScanResult c = sample::Debian();
  c.scanned_at = "2024-05-06T07:08:10Z";
  EXPECT_NE(report::ContentHash(a), report::ContentHash(c));
}

TEST(ReporterCommon, DependencyIndexResolvesByNameWithinType) {
  ScanResult r = sample::Rocky();
  std::vector<const Package*> all;
  for (const auto& p : r.inventory.packages) all.push_back(&p);
  report::DependencyIndex index(all);
  // bash (x86_64) -> glibc: the x86_64 one, not the i686 multilib twin.
  auto deps = index.Resolve(r.inventory.packages[0]);
  ASSERT_EQ(deps.size(), 1u);
  EXPECT_EQ(deps[0]->name, "glibc");
  EXPECT_EQ(deps[0]->arch, "x86_64");
  // openssl-libs lists itself: left out.
  deps = index.Resolve(r.inventory.packages[1]);
  ASSERT_EQ(deps.size(), 1u);
  EXPECT_EQ(deps[0]->name, "glibc");

  ScanResult d = sample::Debian();
  std::vector<const Package*> dall;
  for (const auto& p : d.inventory.packages) dall.push_back(&p);
  report::DependencyIndex dindex(dall);
  // "libc6:amd64" resolves through the name before ':'; "libacl1" is not installed.
  ASSERT_EQ(dindex.Resolve(d.inventory.packages[2]).size(), 1u);
  EXPECT_EQ(dindex.Resolve(d.inventory.packages[1]).size(), 1u);
}

TEST(SpdxLicense, KnownIdentifiers) {
  License l = ParseLicense("MIT");
  EXPECT_TRUE(l.parsed);
  EXPECT_TRUE(l.known);
  EXPECT_FALSE(l.compound);
  EXPECT_EQ(l.single_id, "MIT");
  EXPECT_EQ(l.spdx, "MIT");
  // Matching is case-insensitive; the output uses the list's spelling.
  EXPECT_EQ(ParseLicense("apache-2.0").spdx, "Apache-2.0");
  EXPECT_EQ(ParseLicense("GPL-2.0+").single_id, "GPL-2.0+");
  // "+" on a listed id is valid SPDX, but not an id of its own.
  l = ParseLicense("MIT+");
  EXPECT_TRUE(l.known);
  EXPECT_EQ(l.single_id, "");
  EXPECT_EQ(l.spdx, "MIT+");
}

TEST(SpdxLicense, Expressions) {
  License l = ParseLicense("MIT AND (BSD-3-Clause OR Apache-2.0)");
  EXPECT_TRUE(l.known);
  EXPECT_TRUE(l.compound);
  EXPECT_EQ(l.spdx, "MIT AND (BSD-3-Clause OR Apache-2.0)");
  l = ParseLicense("gpl-2.0-or-later  WITH   linux-syscall-note");
  EXPECT_TRUE(l.known);
  EXPECT_EQ(l.spdx, "GPL-2.0-or-later WITH Linux-syscall-note");
  l = ParseLicense("LicenseRef-Proprietary OR MIT");
  EXPECT_TRUE(l.known);
  EXPECT_EQ(l.spdx, "LicenseRef-Proprietary OR MIT");
}

TEST(SpdxLicense, UnknownIdentifiersBecomeLicenseRefs) {
  License l = ParseLicense("MIT AND SomethingElse");
  EXPECT_TRUE(l.parsed);
  EXPECT_FALSE(l.known);
  EXPECT_EQ(l.spdx, "MIT AND LicenseRef-SomethingElse");
  ASSERT_EQ(l.refs.size(), 1u);
  EXPECT_EQ(l.refs[0], std::make_pair(std::string("LicenseRef-SomethingElse"), std::string("SomethingElse")));

  // Not an expression at all: the whole text is one LicenseRef, kept apart from similar texts.
  l = ParseLicense("ASL 2.0");
  EXPECT_FALSE(l.parsed);
  EXPECT_TRUE(std::regex_match(l.spdx, std::regex("LicenseRef-ASL-2\\.0-[0-9a-f]{8}")));
  // "ASL 2.0" and "ASL_2.0" both read "ASL-2.0" as idstrings; the hash keeps them apart.
  EXPECT_NE(ParseLicense("ASL 2.0").spdx, ParseLicense("ASL_2.0").spdx);
  for (std::string_view bad : {"GPL (v2)", "MIT AND", "(MIT", "AND MIT", "MIT OR OR BSD-3-Clause", "a/b"}) {
    l = ParseLicense(bad);
    EXPECT_FALSE(l.parsed) << bad;
    ASSERT_EQ(l.refs.size(), 1u) << bad;
    EXPECT_EQ(l.refs[0].second, bad);
  }
  // An unknown exception: the whole WITH clause is a LicenseRef.
  l = ParseLicense("GPL-2.0-only WITH Some-exception");
  EXPECT_TRUE(l.parsed);
  EXPECT_FALSE(l.known);
  EXPECT_EQ(l.refs.size(), 1u);
  EXPECT_EQ(l.refs[0].second, "GPL-2.0-only WITH Some-exception");

  EXPECT_EQ(ParseLicense("   ").spdx, "");
  EXPECT_TRUE(std::regex_match(report::LicenseRefFor("GPL-3+"), std::regex("LicenseRef-[A-Za-z0-9.-]+")));
  EXPECT_EQ(report::LicenseRefFor("public-domain"), "LicenseRef-public-domain");
  EXPECT_EQ(report::SpdxIdString("a b/c_d.e-f"), "a-b-c-d.e-f");
}

// Every identifier customs treats as "on the SPDX License List" is in the list the CycloneDX schema
// carries (so {"license": {"id": ...}} always validates).
TEST(SpdxLicense, KnownIdsAreOnTheSpdxList) {
  std::filesystem::path list =
      std::filesystem::path(CUSTOMS_SOURCE_DIR "/../shared/specs/schemas/cyclonedx/spdx.SNAPSHOT.schema.json");
  if (!std::filesystem::exists(list)) GTEST_SKIP() << list << " not found";
  std::ifstream in(list);
  auto doc = nlohmann::json::parse(in);
  std::set<std::string> ids;
  for (const auto& e : doc.at("enum")) ids.insert(e.get<std::string>());
  ASSERT_GT(ids.size(), 500u);
  for (std::string_view id : report::KnownSpdxIds()) EXPECT_TRUE(ids.count(std::string(id))) << id;
}

// The validation helper itself: it accepts what the schemas accept and rejects what they reject.
TEST(SchemaValidator, AcceptsAndRejects) {
  std::string why;
  if (!SchemaValidatorAvailable(&why)) GTEST_SKIP() << why;
  auto check = [](const char* schema, const char* name, const char* doc) {
    return ValidatesAgainstSchema(schema, sample::WriteTemp(name, doc));
  };
  EXPECT_TRUE(check("cyclonedx-1.6", "ok.cdx.json",
                    R"({"bomFormat": "CycloneDX", "specVersion": "1.6",
                        "components": [{"type": "library", "name": "x", "licenses": [{"license": {"id": "MIT"}}]}]})"));
  // Not on the SPDX list (the referenced spdx.SNAPSHOT schema is loaded).
  EXPECT_FALSE(check("cyclonedx-1.6", "bad.cdx.json",
                     R"({"bomFormat": "CycloneDX", "specVersion": "1.6",
                         "components": [{"type": "library", "name": "x", "licenses": [{"license": {"id": "NOPE"}}]}]})"));
  EXPECT_FALSE(check("cyclonedx-1.6", "badserial.cdx.json",
                     R"({"bomFormat": "CycloneDX", "specVersion": "1.6", "serialNumber": "urn:uuid:xyz"})"));
  EXPECT_TRUE(check("spdx-2.3", "ok.spdx.json",
                    R"({"spdxVersion": "SPDX-2.3", "SPDXID": "SPDXRef-DOCUMENT", "dataLicense": "CC0-1.0", "name": "x",
                        "documentNamespace": "https://example.org/x",
                        "creationInfo": {"creators": ["Tool: x"], "created": "2024-01-01T00:00:00Z"}})"));
  EXPECT_FALSE(check("spdx-2.3", "bad.spdx.json",
                     R"({"spdxVersion": "SPDX-2.3", "SPDXID": "SPDXRef-DOCUMENT", "dataLicense": "CC0-1.0", "name": "x",
                         "creationInfo": {"creators": [], "created": "2024-01-01T00:00:00Z"}})"));
  EXPECT_TRUE(check("sarif-2.1.0", "ok.sarif",
                    R"({"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "customs"}}, "results": []}]})"));
  EXPECT_FALSE(check("sarif-2.1.0", "bad.sarif", R"({"version": "2.1.0", "runs": [{"tool": {"driver": {}}}]})"));
  EXPECT_TRUE(check("openvex", "ok.vex.json",
                    R"({"@context": "https://openvex.dev/ns/v0.2.0", "@id": "https://example.org/vex-1",
                        "author": "customs", "timestamp": "2024-01-01T00:00:00Z", "version": 1,
                        "statements": [{"vulnerability": {"name": "CVE-2024-0001"},
                                        "products": [{"@id": "pkg:apk/alpine/musl@1.2.4-r2"}],
                                        "status": "not_affected", "justification": "component_not_present"}]})"));
  EXPECT_FALSE(check("openvex", "bad.vex.json", R"({"@context": "https://openvex.dev/ns/v0.2.0"})"));
  EXPECT_FALSE(check("openvex", "notjson.vex.json", "{not json"));
  EXPECT_FALSE(check("no-such-schema", "x.json", "{}"));
  EXPECT_FALSE(ValidatesAgainstSchema("spdx-2.3", ::testing::TempDir() + "customs-does-not-exist.json"));
}

}  // namespace
}  // namespace customs
