// Policy: OpenVEX documents: parsing, status, supersession, product/subcomponent matching.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/error.h"
#include "policy/policy.h"
#include "support/schema.h"

namespace customs {
namespace {

namespace fs = std::filesystem;

constexpr const char* kDigest = "sha256:4b8e21ebd2b9e0b5a3ae8e8c5e6c1f0c3b7d4b1ac35a6a3b1b6d1de4b7b7c0f1";

Package Deb(std::string name, std::string version) {
  Package p;
  p.type = "dpkg";
  p.name = std::move(name);
  p.version = std::move(version);
  p.arch = "amd64";
  p.db_path = "var/lib/dpkg/status";
  return p;
}

VulnFinding Finding(std::string id, size_t pkg, std::vector<std::string> aliases = {}) {
  VulnFinding f;
  f.id = std::move(id);
  f.aliases = std::move(aliases);
  f.package_index = pkg;
  f.severity = Severity::kCritical;
  f.status = FixStatus::kAffected;
  return f;
}

// An image registry.example.com/team/app:1.0 with openssl (0) and libssl3 (1), both hit by
// CVE-2023-5678; zlib1g (2) hit by GHSA-xxxx-yyyy-zzzz (alias CVE-2022-37434).
ScanResult Sample() {
  ScanResult r;
  r.vuln_scanned = true;
  r.inventory.artifact.type = ArtifactType::kContainerImage;
  r.inventory.artifact.name = "app.tar";
  r.inventory.artifact.repo_tags = {"registry.example.com/team/app:1.0"};
  r.inventory.artifact.repo_digests = {std::string("registry.example.com/team/app@") + kDigest};
  r.inventory.os = OSInfo{"debian", "Debian GNU/Linux 12 (bookworm)", "12", "bookworm", "etc/os-release"};
  r.inventory.packages = {Deb("openssl", "3.0.11-1~deb12u2"), Deb("libssl3", "3.0.11-1~deb12u2"),
                          Deb("zlib1g", "1.2.13.dfsg-1")};
  r.vulnerabilities = {Finding("CVE-2023-5678", 0), Finding("CVE-2023-5678", 1),
                       Finding("GHSA-xxxx-yyyy-zzzz", 2, {"CVE-2022-37434"})};
  return r;
}

std::vector<size_t> Suppressed(const ScanResult& r) {
  std::vector<size_t> out;
  for (size_t i = 0; i < r.vulnerabilities.size(); ++i) {
    if (!r.vulnerabilities[i].suppressed_by.empty()) out.push_back(i);
  }
  return out;
}

PolicyOptions Opts() {
  PolicyOptions p;
  p.today = "2025-06-01";
  return p;
}

// A document around `statements` (a JSON array body).
std::string Doc(const std::string& statements) {
  return R"({
  "@context": "https://openvex.dev/ns/v0.2.0",
  "@id": "https://example.com/vex/app-1",
  "author": "Example Security <security@example.com>",
  "timestamp": "2024-01-10T10:00:00Z",
  "version": 1,
  "statements": [)" +
         statements + "]\n}\n";
}

std::vector<size_t> Apply(const std::string& statements, ScanResult* out = nullptr) {
  ScanResult r = Sample();
  ApplyFilters(r, Opts(), {}, ParseOpenVex(Doc(statements), "app.vex.json"));
  if (out) *out = r;
  return Suppressed(r);
}

// Acceptance: VEX not_affected suppresses, with the justification shown under --show-suppressed.
TEST(PolicyVex, NotAffectedSuppressesWithJustification) {
  const std::string doc = Doc(R"(
    {
      "vulnerability": {"name": "CVE-2023-5678"},
      "products": [{"@id": "pkg:deb/debian/libssl3"}],
      "status": "not_affected",
      "justification": "vulnerable_code_not_in_execute_path",
      "impact_statement": "DH key generation is never used"
    },
    {
      "vulnerability": {"name": "CVE-2023-5678"},
      "products": [{"@id": "pkg:deb/debian/openssl"}],
      "status": "affected",
      "action_statement": "Upgrade to 3.0.13"
    })");
  const fs::path file = fs::temp_directory_path() / ("customs-vex-" + std::to_string(::getpid()) + ".json");
  std::ofstream(file) << doc;
  EXPECT_TRUE(ValidatesAgainstSchema("openvex", file.string()));

  ScanResult r = Sample();
  PolicyOptions p = Opts();
  p.vex_files = {file.string()};
  p.exit_code = 1;
  ApplyFilters(r, p);
  EXPECT_EQ(Suppressed(r), (std::vector<size_t>{1}));
  const Suppression& s = r.vulnerabilities[1].suppressed_by.at(0);
  EXPECT_EQ(s.kind, "vex");
  EXPECT_EQ(s.statement, "CVE-2023-5678 not_affected for pkg:deb/debian/libssl3");
  EXPECT_EQ(s.justification, "vulnerable_code_not_in_execute_path: DH key generation is never used");
  EXPECT_EQ(s.source, file.string());
  EXPECT_EQ(Evaluate(r, p).surviving, 2);
  fs::remove(file);
}

TEST(PolicyVex, StatusesFixedSuppressesOthersDoNot) {
  EXPECT_EQ(Apply(R"({"vulnerability": {"name": "CVE-2023-5678"}, "products": [{"@id": "pkg:deb/debian/openssl"}],
                      "status": "fixed", "status_notes": "patched in our rebuild"})"),
            (std::vector<size_t>{0}));
  EXPECT_TRUE(Apply(R"({"vulnerability": {"name": "CVE-2023-5678"}, "products": [{"@id": "pkg:deb/debian/openssl"}],
                        "status": "under_investigation"})")
                  .empty());
  EXPECT_TRUE(Apply(R"({"vulnerability": {"name": "CVE-2023-5678"}, "products": [{"@id": "pkg:deb/debian/openssl"}],
                        "status": "affected", "action_statement": "upgrade"})")
                  .empty());
  ScanResult r;
  Apply(R"({"vulnerability": {"name": "CVE-2023-5678"}, "products": [{"@id": "pkg:deb/debian/openssl"}],
            "status": "fixed", "status_notes": "patched in our rebuild"})",
        &r);
  EXPECT_EQ(r.vulnerabilities[0].suppressed_by.at(0).justification, "patched in our rebuild");
}

TEST(PolicyVex, AliasesAndIri) {
  // The statement names the CVE; the finding is the GHSA with that alias.
  EXPECT_EQ(Apply(R"({"vulnerability": {"name": "CVE-2022-37434"}, "products": [{"@id": "pkg:deb/debian/zlib1g"}],
                      "status": "not_affected", "justification": "component_not_present"})"),
            (std::vector<size_t>{2}));
  // The statement's aliases name the finding.
  EXPECT_EQ(Apply(R"({"vulnerability": {"name": "DSA-5555-1", "aliases": ["cve-2023-5678"]},
                      "products": [{"@id": "pkg:deb/debian/openssl"}],
                      "status": "not_affected", "justification": "component_not_present"})"),
            (std::vector<size_t>{0}));
  // The vulnerability IRI's last segment.
  EXPECT_EQ(Apply(R"({"vulnerability": {"@id": "https://nvd.nist.gov/vuln/detail/CVE-2023-5678", "name": "x"},
                      "products": [{"@id": "pkg:deb/debian/libssl3"}],
                      "status": "not_affected", "justification": "component_not_present"})"),
            (std::vector<size_t>{1}));
  EXPECT_TRUE(Apply(R"({"vulnerability": {"name": "CVE-2023-9999"}, "products": [{"@id": "pkg:deb/debian/openssl"}],
                        "status": "not_affected", "justification": "component_not_present"})")
                  .empty());
}

TEST(PolicyVex, ProductMatching) {
  // Version given: must match; qualifiers ignored unless given.
  EXPECT_EQ(Apply(R"({"vulnerability": {"name": "CVE-2023-5678"},
                      "products": [{"@id": "pkg:deb/debian/openssl@3.0.11-1~deb12u2"},
                                   {"@id": "pkg:deb/debian/libssl3@3.0.9-1"}],
                      "status": "not_affected", "justification": "component_not_present"})"),
            (std::vector<size_t>{0}));
  EXPECT_TRUE(Apply(R"({"vulnerability": {"name": "CVE-2023-5678"},
                        "products": [{"@id": "pkg:deb/debian/openssl?arch=arm64"}],
                        "status": "not_affected", "justification": "component_not_present"})")
                  .empty());
  // identifiers.purl when @id is not a purl.
  EXPECT_EQ(Apply(R"({"vulnerability": {"name": "CVE-2023-5678"},
                      "products": [{"@id": "https://example.com/sbom#libssl3",
                                    "identifiers": {"purl": "pkg:deb/debian/libssl3"}}],
                      "status": "not_affected", "justification": "component_not_present"})"),
            (std::vector<size_t>{1}));
}

TEST(PolicyVex, ImageProductAndSubcomponents) {
  const std::string oci = std::string("pkg:oci/app@") + kDigest;
  // The image with a subcomponent: only that package.
  EXPECT_EQ(Apply(R"({"vulnerability": {"name": "CVE-2023-5678"},
                      "products": [{"@id": ")" + oci + R"(?repository_url=registry.example.com/team/app",
                                    "subcomponents": [{"@id": "pkg:deb/debian/openssl"}]}],
                      "status": "not_affected", "justification": "vulnerable_code_not_present"})"),
            (std::vector<size_t>{0}));
  // The image alone: every package in it.
  EXPECT_EQ(Apply(R"({"vulnerability": {"name": "CVE-2023-5678"}, "products": [{"@id": ")" + oci + R"("}],
                      "status": "not_affected", "justification": "vulnerable_code_not_present"})"),
            (std::vector<size_t>{0, 1}));
  // By name and tag, without a digest.
  EXPECT_EQ(Apply(R"({"vulnerability": {"name": "CVE-2023-5678"},
                      "products": [{"@id": "pkg:oci/app?tag=1.0", "subcomponents": [{"@id": "pkg:deb/debian/libssl3"}]}],
                      "status": "not_affected", "justification": "vulnerable_code_not_present"})"),
            (std::vector<size_t>{1}));
  // Another image (digest, repository or tag): nothing.
  EXPECT_TRUE(Apply(R"({"vulnerability": {"name": "CVE-2023-5678"},
                        "products": [{"@id": "pkg:oci/app@sha256:0000000000000000000000000000000000000000000000000000000000000000"}],
                        "status": "not_affected", "justification": "vulnerable_code_not_present"})")
                  .empty());
  EXPECT_TRUE(Apply(R"({"vulnerability": {"name": "CVE-2023-5678"},
                        "products": [{"@id": ")" + oci + R"(?repository_url=docker.io/team/app"}],
                        "status": "not_affected", "justification": "vulnerable_code_not_present"})")
                  .empty());
  EXPECT_TRUE(Apply(R"({"vulnerability": {"name": "CVE-2023-5678"}, "products": [{"@id": "pkg:oci/app?tag=2.0"}],
                        "status": "not_affected", "justification": "vulnerable_code_not_present"})")
                  .empty());
  // A subcomponent under a product that is not this image: nothing.
  EXPECT_TRUE(Apply(R"({"vulnerability": {"name": "CVE-2023-5678"},
                        "products": [{"@id": "pkg:oci/other", "subcomponents": [{"@id": "pkg:deb/debian/openssl"}]}],
                        "status": "not_affected", "justification": "vulnerable_code_not_present"})")
                  .empty());
  ScanResult r;
  Apply(R"({"vulnerability": {"name": "CVE-2023-5678"},
            "products": [{"@id": "pkg:oci/app", "subcomponents": [{"@id": "pkg:deb/debian/openssl"}]}],
            "status": "not_affected", "justification": "vulnerable_code_not_present", "@id": "urn:stmt:1"})",
        &r);
  EXPECT_EQ(r.vulnerabilities[0].suppressed_by.at(0).statement,
            "CVE-2023-5678 not_affected for pkg:oci/app / pkg:deb/debian/openssl (urn:stmt:1)");
}

TEST(PolicyVex, Supersession) {
  const std::string na = R"({"vulnerability": {"name": "CVE-2023-5678"}, "products": [{"@id": "pkg:deb/debian/openssl"}],
                             "status": "not_affected", "justification": "component_not_present", "timestamp": ")";
  const std::string aff = R"({"vulnerability": {"name": "CVE-2023-5678"}, "products": [{"@id": "pkg:deb/debian/openssl"}],
                              "status": "affected", "action_statement": "upgrade", "timestamp": ")";
  // Later timestamp wins, whatever the order in the file.
  EXPECT_TRUE(Apply(na + "2024-01-01T00:00:00Z\"}," + aff + "2024-02-01T00:00:00Z\"}").empty());
  EXPECT_TRUE(Apply(aff + "2024-02-01T00:00:00Z\"}," + na + "2024-01-01T00:00:00Z\"}").empty());
  EXPECT_EQ(Apply(aff + "2024-01-01T00:00:00Z\"}," + na + "2024-02-01T00:00:00Z\"}"), (std::vector<size_t>{0}));
  // Offsets are honoured: 2024-01-01T01:00:00+02:00 is before 2024-01-01T00:00:00Z.
  EXPECT_TRUE(Apply(na + "2024-01-01T01:00:00+02:00\"}," + aff + "2024-01-01T00:00:00Z\"}").empty());
  // Equal timestamps (or inherited from the document): the later statement wins.
  EXPECT_EQ(Apply(aff + "2024-01-01T00:00:00Z\"}," + na + "2024-01-01T00:00:00Z\"}"), (std::vector<size_t>{0}));
  const std::string na_doc = R"({"vulnerability": {"name": "CVE-2023-5678"}, "products": [{"@id": "pkg:deb/debian/openssl"}],
                                 "status": "not_affected", "justification": "component_not_present"})";
  const std::string aff_doc = R"({"vulnerability": {"name": "CVE-2023-5678"}, "products": [{"@id": "pkg:deb/debian/openssl"}],
                                  "status": "affected", "action_statement": "upgrade"})";
  EXPECT_TRUE(Apply(na_doc + "," + aff_doc).empty());
  EXPECT_EQ(Apply(aff_doc + "," + na_doc), (std::vector<size_t>{0}));
  // Across files: load order.
  ScanResult r = Sample();
  auto a = ParseOpenVex(Doc(aff_doc), "a.json");
  auto b = ParseOpenVex(Doc(na_doc), "b.json");
  a.insert(a.end(), b.begin(), b.end());
  ApplyFilters(r, Opts(), {}, a);
  EXPECT_EQ(Suppressed(r), (std::vector<size_t>{0}));
  EXPECT_EQ(r.vulnerabilities[0].suppressed_by.at(0).source, "b.json");
}

TEST(PolicyVex, LegacyStringForms) {
  const auto st = ParseOpenVex(R"({"@context": "https://openvex.dev/ns", "statements": [
      {"vulnerability": "CVE-2023-5678", "products": ["pkg:oci/app"], "subcomponents": ["pkg:deb/debian/libssl3"],
       "status": "not_affected", "justification": "component_not_present"}]})",
                               "old.json");
  ASSERT_EQ(st.size(), 1u);
  EXPECT_EQ(st[0].vuln_name, "CVE-2023-5678");
  ASSERT_EQ(st[0].products.size(), 1u);
  EXPECT_EQ(st[0].products[0].subcomponents, (std::vector<std::string>{"pkg:deb/debian/libssl3"}));
  ScanResult r = Sample();
  ApplyFilters(r, Opts(), {}, st);
  EXPECT_EQ(Suppressed(r), (std::vector<size_t>{1}));
}

TEST(PolicyVex, Malformed) {
  const auto expect = [](const std::string& content, const std::string& needle) {
    try {
      ParseOpenVex(content, "bad.vex.json");
      ADD_FAILURE() << "no error for " << content;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), kExitUsage);
      const std::string msg = e.what();
      EXPECT_EQ(msg.rfind("bad.vex.json", 0), 0u) << msg;
      EXPECT_NE(msg.find(needle), std::string::npos) << msg;
    }
  };
  expect("{", "not valid JSON");
  expect("[]", "JSON object");
  expect(R"({"statements": {}})", "missing statements");
  expect(R"({"statements": [{"status": "fixed"}]})", "statements[0]: missing vulnerability");
  expect(R"({"statements": [{"vulnerability": {}, "status": "fixed"}]})", "no name");
  expect(R"({"statements": [{"vulnerability": {"name": "A"}, "status": "gone"}]})", "status must be");
  expect(R"({"statements": [{"vulnerability": {"name": "A"}}]})", "status must be");
  expect(R"({"statements": [{"vulnerability": {"name": "A"}, "status": "fixed", "timestamp": "yesterday"}]})",
         "timestamp");
  expect(R"({"timestamp": "2024-13-01T00:00:00Z", "statements": []})", "timestamp");
  expect(R"({"statements": [{"vulnerability": {"name": "A"}, "status": "fixed", "products": [{}]}]})",
         "a product needs");
  expect(R"({"statements": [{"vulnerability": {"name": "A", "aliases": [1]}, "status": "fixed"}]})", "aliases");
  expect(R"({"statements": [{"vulnerability": {"name": 5}, "status": "fixed"}]})", "name must be a string");
  try {
    LoadVexFile("/nonexistent/x.json");
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), kExitIo);
  }
}

}  // namespace
}  // namespace customs
