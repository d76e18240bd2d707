// Acceptance: the CycloneDX 1.6 and SPDX 2.3 outputs of the three kinds of scans (an Alpine image,
// the Debian rootfs, an rpm root) validate against the official schemas, and carry every package
// of the JSON report (by purl).
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "support/fixtures.h"
#include "support/scenarios.h"
#include "support/schema.h"

namespace ct = customs_test;

namespace {

std::set<std::string> ReportPurls(const nlohmann::json& report) {
  std::set<std::string> s;
  for (const auto& p : ct::ReportPackages(report)) s.insert(ct::Str(p, "purl"));
  return s;
}

std::set<std::string> CycloneDxPurls(const nlohmann::json& bom) {
  std::set<std::string> s;
  // Components may nest (an OS component holding its packages).
  std::function<void(const nlohmann::json&)> walk = [&](const nlohmann::json& comps) {
    if (!comps.is_array()) return;
    for (const auto& c : comps) {
      if (c.contains("purl")) s.insert(ct::Str(c, "purl"));
      if (c.contains("components")) walk(c["components"]);
    }
  };
  walk(bom["components"]);
  return s;
}

std::set<std::string> SpdxPurls(const nlohmann::json& doc) {
  std::set<std::string> s;
  if (!doc["packages"].is_array()) return s;
  for (const auto& p : doc["packages"]) {
    if (!p.contains("externalRefs")) continue;
    for (const auto& r : p["externalRefs"])
      if (ct::Str(r, "referenceType") == "purl") s.insert(ct::Str(r, "referenceLocator"));
  }
  return s;
}

// Scans `args` three times (json, cyclonedx, spdx-json, each with -o) and checks the SBOMs.
void CheckSboms(const std::vector<std::string>& args, const std::string& label) {
  ct::TempDir out;
  auto run = [&](const std::string& format, const std::string& file) {
    std::vector<std::string> a = args;
    a.insert(a.end(), {"-f", format, "-o", out / file});
    ct::RunResult r = ct::RunCustoms(a);
    EXPECT_EQ(r.exit_code, 0) << label << " " << format << ": " << r.Describe();
    EXPECT_EQ(r.out, "") << "with -o nothing goes to stdout";
    return r.exit_code == 0;
  };
  ASSERT_TRUE(run("json", "report.json"));
  ASSERT_TRUE(run("cyclonedx", "bom.cdx.json"));
  ASSERT_TRUE(run("spdx-json", "bom.spdx.json"));
  auto report = ct::ParseJson(ct::ReadFile(out / "report.json"));
  std::set<std::string> purls = ReportPurls(report);
  ASSERT_FALSE(purls.empty()) << label << ": no packages in the JSON report";

  std::string err;
  auto cdx = ct::ParseJson(ct::ReadFile(out / "bom.cdx.json"), &err);
  ASSERT_TRUE(cdx.is_object()) << err;
  EXPECT_EQ(ct::Str(cdx, "bomFormat"), "CycloneDX");
  EXPECT_EQ(ct::Str(cdx, "specVersion"), "1.6");
  std::set<std::string> cdx_purls = CycloneDxPurls(cdx);
  for (const auto& p : purls) EXPECT_TRUE(cdx_purls.count(p)) << label << ": CycloneDX lacks " << p;

  auto spdx = ct::ParseJson(ct::ReadFile(out / "bom.spdx.json"), &err);
  ASSERT_TRUE(spdx.is_object()) << err;
  EXPECT_EQ(ct::Str(spdx, "spdxVersion"), "SPDX-2.3");
  std::set<std::string> spdx_purls = SpdxPurls(spdx);
  for (const auto& p : purls) EXPECT_TRUE(spdx_purls.count(p)) << label << ": SPDX lacks " << p;

  // Schema validation last: it skips the test (with the reason) when node/ajv are missing.
  EXPECT_TRUE(ValidatesAgainstSchema("cyclonedx-1.6", out / "bom.cdx.json")) << label;
  EXPECT_TRUE(ValidatesAgainstSchema("spdx-2.3", out / "bom.spdx.json")) << label;
}

TEST(SbomSchema, AlpineImage) {
  ct::AlpineRootfsFile rootfs;
  for (const auto& f : ct::AlpineMinirootfsFiles())
    if (f.version == "3.20.3") rootfs = f;
  ASSERT_FALSE(rootfs.path.empty());
  ct::AlpineTwoLayer s = ct::PrepareAlpineTwoLayer(rootfs);
  ct::TempDir d;
  std::vector<ct::Layer> layers = {ct::MakeLayer(d / "layers", s.layer0, ct::Compression::kNone),
                                   ct::MakeLayer(d / "layers", s.layer1, ct::Compression::kNone)};
  ct::WriteDockerArchive(d / "alpine.tar", layers);
  CheckSboms({"image", "--input", d / "alpine.tar"}, "alpine image");
}

TEST(SbomSchema, OldAlpineImage) {
  ct::AlpineRootfsFile rootfs;
  for (const auto& f : ct::AlpineMinirootfsFiles())
    if (f.version == "3.6.5") rootfs = f;
  ASSERT_FALSE(rootfs.path.empty());
  ct::TempDir d;
  ct::WriteOciLayout(d / "oci", {ct::MakeLayer(d / "layers", ct::ReadTarEntries(rootfs.path), ct::Compression::kGzip)});
  CheckSboms({"image", "--input", d / "oci"}, "alpine 3.6 image");
}

TEST(SbomSchema, DebianRootfs) {
  CUSTOMS_DEBIAN_ROOTFS_OR_SKIP(root);
  CheckSboms({"rootfs", root}, "debian rootfs");
}

TEST(SbomSchema, RpmRoot) {
  ct::TempDir d;
  std::string why;
  auto root = ct::RpmRoot(d.path(), &why);
  ASSERT_TRUE(root) << why;
  CheckSboms({"rootfs", *root}, "rpm root");
}

}  // namespace
