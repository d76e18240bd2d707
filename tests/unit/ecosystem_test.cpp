// The package-type table (core/ecosystem.h): every type an analyzer emits has an entry whose scheme
// has a comparator, OSV names map back to their types, PEP 503 agrees with packaging's
// canonicalize_name (pip's vendored copy as the oracle), and purls come out per the table.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "core/ecosystem.h"
#include "core/types.h"
#include "db/schema.h"
#include "inventory/purl.h"
#include "version/version.h"

namespace customs {
namespace {

namespace fs = std::filesystem;

// The package types the analyzers' sources assign: `.type = "x"`, MakeAppPackage("x", ...) and
// PackageDB{path, "x", ...}.
std::set<std::string> TypesTheAnalyzersEmit() {
  std::set<std::string> types;
  const std::regex kType(R"re((?:\.type = |MakeAppPackage\(|PackageDB\{[A-Za-z_]+, )"([a-z0-9]+)")re");
  for (const auto& entry : fs::directory_iterator(fs::path(CUSTOMS_SOURCE_DIR) / "src" / "analyzers")) {
    if (entry.path().extension() != ".cpp") continue;
    std::ifstream in(entry.path());
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string text = ss.str();
    for (std::sregex_iterator it(text.begin(), text.end(), kType), end; it != end; ++it) types.insert((*it)[1]);
  }
  return types;
}

TEST(Ecosystem, EveryTypeTheAnalyzersEmitHasAnEntry) {
  const auto types = TypesTheAnalyzersEmit();
  ASSERT_GE(types.size(), 11u) << "the source scan found too few types";
  for (const auto& t : types) {
    const ecosystem::Ecosystem* e = ecosystem::ForType(t);
    ASSERT_NE(e, nullptr) << t << " is emitted by an analyzer but has no entry in core/ecosystem.cpp";
    EXPECT_EQ(e->type, t);
  }
  // And the table has nothing no analyzer emits.
  for (const auto& e : ecosystem::All()) EXPECT_TRUE(types.count(std::string(e.type))) << e.type;
}

TEST(Ecosystem, EntriesAreConsistent) {
  std::set<std::string_view> seen;
  for (const auto& e : ecosystem::All()) {
    EXPECT_TRUE(seen.insert(e.type).second) << "duplicate " << e.type;
    // The scheme has its comparator, under the id the table names.
    EXPECT_EQ(version::ComparatorFor(e.scheme).Scheme(), ecosystem::SchemeId(e.scheme)) << e.type;
    EXPECT_FALSE(e.purl_type.empty()) << e.type;
    if (e.os) {
      EXPECT_TRUE(e.osv.empty()) << e.type;
      EXPECT_EQ(e.db_key, ecosystem::DbKey::kOsRelease) << e.type;
      continue;
    }
    EXPECT_EQ(e.db_key, ecosystem::DbKey::kOsv) << e.type;
    // The OSV name is canonical, the database keeps it as the key, and the version registry finds
    // the same comparator under it.
    EXPECT_EQ(ecosystem::CanonicalOsvName(e.osv), e.osv);
    EXPECT_EQ(ecosystem::CanonicalOsvName(ecosystem::LowerAscii(e.osv)), e.osv);
    EXPECT_EQ(db::NormalizeEcosystem(ecosystem::LowerAscii(e.osv)), std::string(e.osv));
    EXPECT_EQ(version::ComparatorFor(e.osv), &version::ComparatorFor(e.scheme)) << e.osv;
  }
  for (ecosystem::Scheme s : ecosystem::kAllSchemes)
    EXPECT_EQ(version::ComparatorFor(s).Scheme(), ecosystem::SchemeId(s));
  EXPECT_EQ(ecosystem::ForType("generic"), nullptr);
  EXPECT_EQ(ecosystem::ForType("PyPI"), nullptr);  // Package::type, not the OSV name
}

TEST(Ecosystem, NameFoldingPerType) {
  EXPECT_EQ(ecosystem::FoldName("pypi", "Foo.Bar_baz"), "foo-bar-baz");
  EXPECT_EQ(ecosystem::FoldName("nuget", "Newtonsoft.Json"), "newtonsoft.json");
  EXPECT_EQ(ecosystem::FoldName("composer", "Symfony/Console"), "symfony/console");
  EXPECT_EQ(ecosystem::FoldName("golang", "github.com/BurntSushi/toml"), "github.com/BurntSushi/toml");
  EXPECT_EQ(ecosystem::FoldName("npm", "JSONStream"), "JSONStream");
  EXPECT_EQ(ecosystem::FoldName("unknown", "A_b"), "A_b");
  // The database key folds the same way.
  EXPECT_EQ(db::NormalizePackage("PyPI", " Django_Thing "), "django-thing");
  EXPECT_EQ(db::NormalizePackage("NuGet", "Newtonsoft.Json"), "newtonsoft.json");
  EXPECT_EQ(db::NormalizePackage("Go", "github.com/BurntSushi/toml"), "github.com/BurntSushi/toml");
  EXPECT_EQ(db::NormalizePackage("debian:bullseye", "Foo_Bar"), "Foo_Bar");
}

// Each ecosystem's name rule against its specification, on both sides of a match: the key the
// database stores for an advisory's spelling (db::NormalizePackage, what `db build` writes) and the
// key a scanned package's spelling is looked up under (db::NormalizePackage again, via
// VulnDB::Affecting, from the package type's OSV name) and reporters' dependency keys
// (ecosystem::FoldName) are one function, so names the registry treats as one package meet.
TEST(Ecosystem, NameRulesPerSpecification) {
  struct Case {
    const char* type;
    const char* a;
    const char* b;
    bool same;  // does the registry treat a and b as one package?
  };
  const Case kCases[] = {
      // PyPI, PEP 503: runs of '-', '_', '.' are one separator; case-insensitive.
      {"pypi", "Django_Thing", "django-thing", true},
      {"pypi", "zope.interface", "Zope-Interface", true},
      {"pypi", "a--b", "a-b", true},
      {"pypi", "ab", "a-b", false},
      // NuGet: package ids are case-insensitive.
      {"nuget", "Newtonsoft.Json", "newtonsoft.json", true},
      {"nuget", "Newtonsoft.Json", "Newtonsoft_Json", false},
      // Packagist: vendor/package, case-insensitive.
      {"composer", "Twig/Twig", "twig/twig", true},
      {"composer", "symfony/http-kernel", "symfony/http_kernel", false},
      // crates.io: exact for now (see the cargo row of core/ecosystem.cpp: the RustSec feed stores
      // names unfolded); the registry's rule itself is CratesNormalize, tested below.
      {"cargo", "actix-http", "actix-http", true},
      {"cargo", "serde", "serde-", false},
      // Maven: groupId:artifactId exact (repository paths are case-sensitive).
      {"maven", "org.apache.commons:commons-text", "org.apache.commons:commons-text", true},
      {"maven", "org.apache.commons:commons-text", "org.apache.commons:Commons-Text", false},
      {"maven", "org.apache.commons:commons-text", "org.apache.commons:commons_text", false},
      // Go module paths exact (the proxy's "!b" case-encoding keeps BurntSushi and burntsushi apart).
      {"golang", "github.com/BurntSushi/toml", "github.com/burntsushi/toml", false},
      // npm exact: legacy mixed-case names are packages of their own.
      {"npm", "JSONStream", "jsonstream", false},
      // RubyGems exact.
      {"gem", "RedCloth", "redcloth", false},
      {"gem", "net-http", "net_http", false},
  };
  for (const Case& c : kCases) {
    const ecosystem::Ecosystem* e = ecosystem::ForType(c.type);
    ASSERT_NE(e, nullptr) << c.type;
    const std::string osv(e->osv);
    EXPECT_EQ(db::NormalizePackage(osv, c.a) == db::NormalizePackage(osv, c.b), c.same)
        << c.type << ": " << c.a << " / " << c.b;
    EXPECT_EQ(ecosystem::FoldName(c.type, c.a) == ecosystem::FoldName(c.type, c.b), c.same) << c.type;
    // One rule: the database key is the reporters' key.
    EXPECT_EQ(db::NormalizePackage(osv, c.a), ecosystem::FoldName(c.type, c.a)) << c.type;
    // The OSV name as a record may spell it (case-insensitive) selects the same rule.
    EXPECT_EQ(db::NormalizePackage(db::NormalizeEcosystem(ecosystem::LowerAscii(osv)), c.a),
              ecosystem::FoldName(c.type, c.a))
        << c.type;
  }
  // crates.io's canonical crate name (canon_crate_name): lowercase, '-' as '_'.
  EXPECT_EQ(ecosystem::CratesNormalize("Serde-JSON_x"), "serde_json_x");
  EXPECT_EQ(ecosystem::CratesNormalize("actix-http"), ecosystem::CratesNormalize("Actix_HTTP"));
  EXPECT_NE(ecosystem::CratesNormalize("serde"), ecosystem::CratesNormalize("serde-"));
  EXPECT_EQ(ecosystem::Fold(ecosystem::Folding::kCrates, "A-b"), "a_b");
}

// Locale-free: bytes outside ASCII are kept as they are (packaging lowercases Unicode too; PyPI
// names are ASCII by the core metadata specification).
TEST(Ecosystem, Pep503IsAsciiOnly) {
  EXPECT_EQ(ecosystem::Pep503Normalize("\xC3\x84-B"), "\xC3\x84-b");
  EXPECT_EQ(ecosystem::Pep503Normalize(""), "");
  EXPECT_EQ(ecosystem::Pep503Normalize("._-"), "-");
  EXPECT_EQ(ecosystem::Pep503Normalize("-Foo_"), "-foo-");
}

TEST(Ecosystem, Pep503AgreesWithPackaging) {
  const std::vector<std::string> kNames = {
      "Django",  "django_thing", "Foo.Bar_baz", "a--b",   "a-_.-b", "-leading", "trailing_", "._-middle-._",
      "ZOPE.interface", "x",     "",           "1.2_3", "A__B..C--D", "...", "_", "Py-Y-A-M-L", "jaraco.functools",
  };
  const fs::path in = fs::temp_directory_path() / ("customs-pep503-" + std::to_string(::getpid()) + ".txt");
  {
    std::ofstream o(in);
    for (const auto& n : kNames) o << n << "\n";
  }
  const std::string cmd =
      "python3 -c 'import sys\n"
      "from pip._vendor.packaging.utils import canonicalize_name as c\n"
      "for l in open(sys.argv[1]).read().split(\"\\n\")[:-1]: print(\"[\" + c(l) + \"]\")' " +
      in.string() + " 2>/dev/null";
  FILE* p = ::popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  std::string out;
  char buf[4096];
  for (size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  const int rc = ::pclose(p);
  fs::remove(in);
  if (rc != 0 || out.empty()) GTEST_SKIP() << "python3 with pip's vendored packaging is not available";
  std::vector<std::string> expected;
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);) expected.push_back(line.substr(1, line.size() - 2));
  ASSERT_EQ(expected.size(), kNames.size());
  for (size_t i = 0; i < kNames.size(); ++i) {
    EXPECT_EQ(ecosystem::Pep503Normalize(kNames[i]), expected[i]) << "'" << kNames[i] << "'";
    EXPECT_EQ(ecosystem::FoldName("pypi", kNames[i]), expected[i]);
  }
}

Package Pkg(std::string type, std::string name, std::string version) {
  Package p;
  p.type = std::move(type);
  p.name = std::move(name);
  p.version = std::move(version);
  return p;
}

TEST(Ecosystem, PurlTypesAndNamespaces) {
  struct Case {
    const char* type;
    const char* name;
    const char* purl;
  };
  const Case kCases[] = {
      {"npm", "@babel/core", "pkg:npm/%40babel/core@1.0"},
      {"pypi", "Foo.Bar_baz", "pkg:pypi/foo-bar-baz@1.0"},
      {"golang", "github.com/BurntSushi/toml", "pkg:golang/github.com/BurntSushi/toml@1.0"},
      {"cargo", "serde", "pkg:cargo/serde@1.0"},
      {"maven", "org.slf4j:slf4j-api", "pkg:maven/org.slf4j/slf4j-api@1.0"},
      {"gem", "rails", "pkg:gem/rails@1.0"},
      {"composer", "Symfony/Console", "pkg:composer/symfony/console@1.0"},
      {"nuget", "Newtonsoft.Json", "pkg:nuget/Newtonsoft.Json@1.0"},
      {"something", "x", "pkg:generic/x@1.0"},
  };
  for (const auto& c : kCases) EXPECT_EQ(Purl(Pkg(c.type, c.name, "1.0"), std::nullopt), c.purl) << c.type;
  // Every entry's purl starts with its purl type.
  for (const auto& e : ecosystem::All()) {
    const std::string purl = Purl(Pkg(std::string(e.type), "name", "1"), std::nullopt);
    EXPECT_EQ(purl.rfind("pkg:" + std::string(e.purl_type) + "/", 0), 0u) << e.type << " " << purl;
  }
  const auto* pypi = ecosystem::PurlRules("pypi");
  ASSERT_NE(pypi, nullptr);
  EXPECT_TRUE(pypi->pep503_name);
  EXPECT_EQ(ecosystem::PurlRules("cargo"), nullptr);
}

}  // namespace
}  // namespace customs
