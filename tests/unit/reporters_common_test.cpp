// Reporter registry and the helpers the reporters share.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <tuple>

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

// ---- Language packages: targets and the dependency graph ----

Package Lang(const std::string& type, const std::string& name, const std::string& version, const std::string& db,
             std::map<std::string, std::string> extra = {}, std::vector<std::string> depends = {}) {
  Package p = sample::Pkg(type, name, version, "", -1);
  p.db_path = db;
  p.extra = std::move(extra);
  p.depends = std::move(depends);
  return p;
}

TEST(ReporterCommon, InstalledPackagesShareAnEcosystemTarget) {
  ScanResult r = sample::Base("/srv", ArtifactType::kFilesystem);
  const std::map<std::string, std::string> nm{{"source", "node_modules"}};
  r.inventory.packages = {
      Lang("npm", "a", "1.0.0", "app/node_modules/a/package.json", nm),
      Lang("npm", "b", "2.0.0", "usr/lib/node_modules/b/package.json", nm),
      Lang("npm", "a", "1.0.0", "app/package-lock.json", {{"source", "package-lock"}}),
      Lang("pypi", "six", "1.16.0", "usr/lib/python3/dist-packages/six-1.16.0.dist-info/METADATA", {{"source", "dist-info"}}),
      Lang("pypi", "old", "0.1", "usr/lib/python3/site-packages/old.egg-info/PKG-INFO", {{"source", "egg-info"}}),
      Lang("pypi", "six", "1.16.0", "app/poetry.lock", {{"source", "poetry"}}),
      Lang("gem", "rake", "13.0.6", "usr/lib/ruby/gems/3.1.0/specifications/rake-13.0.6.gemspec", {{"source", "gemspec"}}),
      Lang("gem", "rake", "13.0.6", "app/Gemfile.lock", {{"source", "GEM"}}),
      Lang("maven", "org.a:a", "1.0", "app/lib/a.jar", {{"identified_by", "pom.properties"}}),
      Lang("maven", "org.b:b", "2.0", "app/app.war", {{"identified_by", "manifest"}, {"archive", "WEB-INF/lib/b.jar"}}),
      Lang("maven", "org.a:a", "1.0", "app/gradle.lockfile"),
      Lang("golang", "stdlib", "v1.21.5", "usr/bin/tool"),
  };
  std::vector<std::tuple<std::string, std::string, std::string, size_t>> got;  // type, name, path, size
  for (const auto& t : report::BuildTargets(r.inventory)) {
    EXPECT_EQ(t.cls, "lang-pkgs");
    got.emplace_back(t.type, t.name, t.path, t.packages.size());
  }
  // Per type: the ecosystem group first, then one target per file.
  EXPECT_EQ(got, (std::vector<std::tuple<std::string, std::string, std::string, size_t>>{
                     {"gem", "Ruby", "", 1},
                     {"gem", "app/Gemfile.lock", "app/Gemfile.lock", 1},
                     {"golang", "usr/bin/tool", "usr/bin/tool", 1},
                     {"maven", "Java", "", 2},
                     {"maven", "app/gradle.lockfile", "app/gradle.lockfile", 1},
                     {"npm", "Node.js", "", 2},
                     {"npm", "app/package-lock.json", "app/package-lock.json", 1},
                     {"pypi", "Python", "", 2},
                     {"pypi", "app/poetry.lock", "app/poetry.lock", 1}}));
  EXPECT_EQ(report::InstalledGroup(r.inventory.packages[0]), "Node.js");
  EXPECT_EQ(report::InstalledGroup(r.inventory.packages[2]), "");
}

TEST(ReporterCommon, SplitDepends) {
  auto split = [](std::string_view e) {
    report::DependsEntry d = report::SplitDepends(e);
    return std::make_pair(d.name, d.version);
  };
  EXPECT_EQ(split("@babel/core@7.0.0"), std::make_pair(std::string("@babel/core"), std::string("7.0.0")));
  EXPECT_EQ(split("@babel/core"), std::make_pair(std::string("@babel/core"), std::string()));
  EXPECT_EQ(split("lodash@4.17.21"), std::make_pair(std::string("lodash"), std::string("4.17.21")));
  EXPECT_EQ(split("lodash"), std::make_pair(std::string("lodash"), std::string()));
  EXPECT_EQ(split("golang.org/x/text@v0.3.5"), std::make_pair(std::string("golang.org/x/text"), std::string("v0.3.5")));
}

std::vector<std::string> Names(const std::vector<const Package*>& v) {
  std::vector<std::string> out;
  for (const Package* p : v) out.push_back(p->name + "@" + p->version + " " + p->db_path);
  return out;
}

TEST(ReporterCommon, DependencyIndexResolvesLanguagePackagesWithinTheirTarget) {
  const std::map<std::string, std::string> nm{{"source", "node_modules"}};
  const std::string lock = "app/package-lock.json";
  std::vector<Package> pk = {
      // A lockfile: two versions of b.
      Lang("npm", "a", "1.0.0", lock, {}, {"b@1.0.0", "c", "zz", "a@1.0.0"}),  // itself: left out
      Lang("npm", "b", "1.0.0", lock),
      Lang("npm", "b", "2.0.0", lock),
      Lang("npm", "c", "1.0.0", lock),
      Lang("npm", "d", "1.0.0", lock, {}, {"b", "e@1.0.0"}),  // "b": two versions, no edge; e: another target
      // Installed: b@2.0.0 twice; each package sees the copy Node.js would load.
      Lang("npm", "a", "1.0.0", "node_modules/a/package.json", nm, {"b@2.0.0"}),
      Lang("npm", "b", "2.0.0", "node_modules/b/package.json", nm),
      Lang("npm", "x", "1.0.0", "node_modules/x/package.json", nm, {"b@2.0.0"}),
      Lang("npm", "b", "2.0.0", "node_modules/x/node_modules/b/package.json", nm),
      Lang("npm", "e", "1.0.0", "node_modules/e/package.json", nm),
      // PEP 503: "Typing_Extensions" is typing-extensions; composer and nuget names ignore case.
      Lang("pypi", "app", "1.0", "poetry.lock", {}, {"Typing_Extensions"}),
      Lang("pypi", "typing-extensions", "4.12.2", "poetry.lock"),
      Lang("nuget", "Serilog.Sinks.Console", "4.1.0", "packages.lock.json", {}, {"serilog@2.10.0"}),
      Lang("nuget", "Serilog", "2.10.0", "packages.lock.json"),
  };
  std::vector<const Package*> all;
  for (const auto& p : pk) all.push_back(&p);
  report::DependencyIndex index(all);
  EXPECT_EQ(Names(index.Resolve(pk[0])), (std::vector<std::string>{"b@1.0.0 " + lock, "c@1.0.0 " + lock}));
  EXPECT_TRUE(index.Resolve(pk[4]).empty());
  EXPECT_EQ(Names(index.Resolve(pk[5])), std::vector<std::string>{"b@2.0.0 node_modules/b/package.json"});
  EXPECT_EQ(Names(index.Resolve(pk[7])), std::vector<std::string>{"b@2.0.0 node_modules/x/node_modules/b/package.json"});
  EXPECT_EQ(Names(index.Resolve(pk[10])), std::vector<std::string>{"typing-extensions@4.12.2 poetry.lock"});
  EXPECT_EQ(Names(index.Resolve(pk[12])), std::vector<std::string>{"Serilog@2.10.0 packages.lock.json"});
}

TEST(ReporterCommon, TargetRootsAreTheApplicationsDirectDependencies) {
  auto roots = [](std::vector<Package> pk) {
    std::vector<const Package*> all;
    for (const auto& p : pk) all.push_back(&p);
    report::DependencyIndex index(all);
    report::Target t;
    t.cls = "lang-pkgs";
    t.packages = all;
    std::vector<std::string> out;
    for (const Package* p : report::TargetRoots(t, index)) out.push_back(p->name);
    return out;
  };
  // The project itself when the lockfile has it (uv's workspace member, a Go binary's main module).
  EXPECT_EQ(roots({Lang("pypi", "app", "1", "uv.lock", {{"root", "true"}}, {"a@1"}),
                   Lang("pypi", "a", "1", "uv.lock", {{"direct", "true"}})}),
            std::vector<std::string>{"app"});
  EXPECT_EQ(roots({Lang("golang", "example.com/x", "(devel)", "bin/x", {{"main", "true"}}, {"stdlib@v1.21.5"}),
                   Lang("golang", "stdlib", "v1.21.5", "bin/x")}),
            std::vector<std::string>{"example.com/x"});
  // Otherwise what the analyzer marks direct.
  EXPECT_EQ(roots({Lang("npm", "a", "1", "l", {{"direct", "true"}}, {"b@1"}), Lang("npm", "b", "1", "l", {{"direct", "true"}}),
                   Lang("npm", "c", "1", "l", {{"direct", "false"}})}),
            (std::vector<std::string>{"a", "b"}));
  // Otherwise the packages nothing else in the target depends on.
  EXPECT_EQ(roots({Lang("npm", "a", "1", "l", {}, {"b@1"}), Lang("npm", "b", "1", "l", {}, {"c"}), Lang("npm", "c", "1", "l"),
                   Lang("npm", "d", "1", "l")}),
            (std::vector<std::string>{"a", "d"}));
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
