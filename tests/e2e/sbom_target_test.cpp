// `customs sbom FILE` (#15): an SBOM as the scan target. The findings of scanning an image, a root
// filesystem or a source tree equal those of scanning the CycloneDX and SPDX SBOMs customs wrote for
// it; Trivy's SBOMs of the same inputs (tests/fixtures/sbom/, real output of Trivy, see the README
// there) give the same OS findings; bad SBOMs are refused with the reason (exit 3).
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/fixtures.h"
#include "support/scenarios.h"
#include "support/vulndb_fixture.h"

namespace ct = customs_test;
namespace fs = std::filesystem;

namespace {

ct::RunOptions Fixed() {
  ct::RunOptions o;
  o.env = {"CUSTOMS_FIXED_TIME=2026-11-23T00:00:00Z"};
  return o;
}

// The target scanned directly, then through each SBOM format customs writes: the same findings.
void ExpectSameThroughSboms(const std::vector<std::string>& target, const std::string& db, const ct::TempDir& d) {
  std::vector<std::string> args = target;
  args.insert(args.end(), {"--db", db});
  ct::JsonRun direct = ct::RunCustomsJson(args, Fixed());
  ASSERT_EQ(direct.run.exit_code, 0) << direct.run.Describe();
  const ct::FindingSet want = ct::ReportFindings(direct.report);
  ASSERT_FALSE(want.empty()) << "the target must have findings for the comparison to mean something";
  for (const char* format : {"cyclonedx", "spdx-json"}) {
    SCOPED_TRACE(format);
    const std::string sbom = d / (std::string("sbom.") + format + ".json");
    std::vector<std::string> gen = target;
    gen.insert(gen.end(), {"-f", format, "-o", sbom, "-q"});
    ct::RunResult g = ct::RunCustoms(gen, Fixed());
    ASSERT_EQ(g.exit_code, 0) << g.Describe();
    ct::JsonRun via = ct::RunCustomsJson({"sbom", sbom, "--db", db}, Fixed());
    ASSERT_EQ(via.run.exit_code, 0) << via.run.Describe();
    EXPECT_EQ(ct::ReportFindings(via.report), want);
    EXPECT_EQ(via.report["os"], direct.report["os"].is_null() ? nlohmann::json() : via.report["os"]);
    if (!direct.report["os"].is_null()) {
      EXPECT_EQ(via.report["os"]["family"], direct.report["os"]["family"]);
      EXPECT_EQ(via.report["os"]["version"], direct.report["os"]["version"]);
    }
    // Severities and fixed versions come through too.
    std::map<std::pair<std::string, std::string>, std::string> sev_direct, sev_via;
    for (const auto& v : ct::ReportVulnerabilities(direct.report))
      sev_direct[{ct::Str(v, "_package"), ct::Str(v, "id")}] = ct::Str(v, "severity") + " " + ct::Str(v, "fixedVersion");
    for (const auto& v : ct::ReportVulnerabilities(via.report))
      sev_via[{ct::Str(v, "_package"), ct::Str(v, "id")}] = ct::Str(v, "severity") + " " + ct::Str(v, "fixedVersion");
    EXPECT_EQ(sev_via, sev_direct);
  }
}

}  // namespace

TEST(SbomTarget, AlpineImageFindingsEqualThroughCycloneDxAndSpdx) {
  const std::string db = ct::SharedVulnDb();
  ASSERT_FALSE(db.empty()) << ct::SharedVulnDbError();
  ct::TempDir d;
  ct::AlpineDockerArchive("3.7.3", d / "image.tar");
  ExpectSameThroughSboms({"image", "--input", d / "image.tar"}, db, d);
}

TEST(SbomTarget, BullseyeRootfsFindingsEqualThroughCycloneDxAndSpdx) {
  const std::string db = ct::SharedVulnDb();
  ASSERT_FALSE(db.empty()) << ct::SharedVulnDbError();
  ct::TempDir d;
  const std::string root = ct::BullseyeRootfs(d / "root");
  ExpectSameThroughSboms({"rootfs", root}, db, d);
}

TEST(SbomTarget, PythonProjectFindingsEqualThroughCycloneDxAndSpdx) {
  const std::string db = ct::SharedVulnDb();
  ASSERT_FALSE(db.empty()) << ct::SharedVulnDbError();
  ct::TempDir d;
  ct::WriteFile(d / "app/requirements.txt", "requests==2.19.0\nPillow==10.0.0\nsalt==3000\n");
  ExpectSameThroughSboms({"fs", d / "app"}, db, d);
}

TEST(SbomTarget, BadSbomsAreRefusedWithTheReason) {
  const std::string db = ct::SharedVulnDb();
  ASSERT_FALSE(db.empty()) << ct::SharedVulnDbError();
  ct::TempDir d;
  struct Case {
    const char* name;
    std::string content;
    const char* says;
  };
  const std::vector<Case> cases = {
      {"not-json.json", "this is not json", "invalid JSON"},
      {"array.json", "[1,2,3]", "not an SBOM"},
      {"other.json", R"({"hello": "world"})", "neither CycloneDX"},
      {"old.cdx.json", R"({"bomFormat": "CycloneDX", "specVersion": "1.2", "components": []})", "1.2"},
      {"truncated.cdx.json", R"({"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [{"type": "libr)",
       "invalid JSON"},
      {"spdx1.json", R"({"spdxVersion": "SPDX-1.2", "packages": []})", "SPDX-1.2"},
      {"components-object.cdx.json", R"({"bomFormat": "CycloneDX", "specVersion": "1.5", "components": {}})",
       "components is not a list"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    ct::WriteFile(d / c.name, c.content);
    ct::RunResult r = ct::RunCustoms({"sbom", d / c.name, "--db", db, "-q"}, Fixed());
    EXPECT_EQ(r.exit_code, 3) << r.Describe();
    EXPECT_NE(r.err.find(c.says), std::string::npos) << r.err;
  }
  // Larger than 1 GiB: refused before a byte is read (a sparse file costs no disk).
  {
    const std::string big = d / "big.cdx.json";
    std::ofstream(big).close();
    ASSERT_EQ(::truncate(big.c_str(), (1ll << 30) + 1), 0);
    ct::RunResult r = ct::RunCustoms({"sbom", big, "--db", db, "-q"}, Fixed());
    EXPECT_EQ(r.exit_code, 3) << r.Describe();
    EXPECT_NE(r.err.find("larger than 1 GiB"), std::string::npos) << r.err;
  }
  // Missing file: exit 4. --scanners secret makes no sense for an SBOM: usage error.
  EXPECT_EQ(ct::RunCustoms({"sbom", d / "missing.json", "--db", db, "-q"}, Fixed()).exit_code, 4);
  ct::WriteFile(d / "empty.cdx.json", R"({"bomFormat": "CycloneDX", "specVersion": "1.6"})");
  EXPECT_EQ(ct::RunCustoms({"sbom", d / "empty.cdx.json", "--db", db, "-q", "--scanners", "secret"}, Fixed()).exit_code,
            2);
  // Components without purls or of unknown types are said, not dropped silently.
  ct::WriteFile(d / "odd.cdx.json", R"({"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [
      {"type": "library", "name": "nopurl", "version": "1"},
      {"type": "library", "name": "x", "version": "1", "purl": "pkg:hex/x@1"}]})");
  ct::RunResult odd = ct::RunCustoms({"sbom", d / "odd.cdx.json", "--db", db}, Fixed());
  EXPECT_EQ(odd.exit_code, 0) << odd.Describe();
  EXPECT_NE(odd.err.find("1 components without a purl"), std::string::npos) << odd.err;
  EXPECT_NE(odd.err.find("purl type 'hex'"), std::string::npos) << odd.err;
}

// Trivy's SBOMs of the same inputs (tests/fixtures/sbom/README.md): the findings customs reports for
// the inputs themselves.
TEST(SbomTarget, TrivySbomsGiveTheFindingsOfTheirInputs) {
  const std::string db = ct::SharedVulnDb();
  ASSERT_FALSE(db.empty()) << ct::SharedVulnDbError();
  ct::TempDir d;
  const std::string fixtures = ct::SourceDir() + "/tests/fixtures/sbom/";
  ct::AlpineDockerArchive("3.7.3", d / "image.tar");
  const std::string root = ct::BullseyeRootfs(d / "root");
  ct::WriteFile(d / "py/requirements.txt", "requests==2.19.0\nPillow==10.0.0\nsalt==3000\n");
  struct Case {
    std::vector<std::string> target;
    std::vector<std::string> sboms;
  };
  const std::vector<Case> cases = {
      {{"image", "--input", d / "image.tar"}, {"trivy-alpine-3.7.3.cdx.json", "trivy-alpine-3.7.3.spdx.json"}},
      {{"rootfs", root}, {"trivy-debian-bullseye-11.0.cdx.json", "trivy-debian-bullseye-11.0.spdx.json"}},
      {{"fs", d / "py"}, {"trivy-python-requirements.cdx.json"}},
  };
  for (const auto& c : cases) {
    std::vector<std::string> args = c.target;
    args.insert(args.end(), {"--db", db});
    ct::JsonRun direct = ct::RunCustomsJson(args, Fixed());
    ASSERT_EQ(direct.run.exit_code, 0) << direct.run.Describe();
    const ct::FindingSet want = ct::ReportFindings(direct.report);
    ASSERT_FALSE(want.empty());
    for (const auto& s : c.sboms) {
      SCOPED_TRACE(s);
      ct::JsonRun via = ct::RunCustomsJson({"sbom", fixtures + s, "--db", db}, Fixed());
      ASSERT_EQ(via.run.exit_code, 0) << via.run.Describe();
      EXPECT_EQ(ct::ReportFindings(via.report), want);
      if (!direct.report["os"].is_null()) EXPECT_EQ(via.report["os"]["version"], direct.report["os"]["version"]);
    }
  }
}
