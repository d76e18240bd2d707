// Acceptance: every shared Alpine minirootfs, packed as a two-layer image (docker-archive in both
// `docker save` layouts, OCI layout as directory and as tar), scanned with `customs image`.
// The expected package set is computed here from the final lib/apk/db/installed.
#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

#include "support/fixtures.h"
#include "support/scenarios.h"

namespace ct = customs_test;

namespace {

enum class Format { kDockerLegacy, kDockerOciBlobs, kOciDir, kOciTar, kOciDirZstd };

const char* FormatName(Format f) {
  switch (f) {
    case Format::kDockerLegacy: return "docker_archive";
    case Format::kDockerOciBlobs: return "docker_archive_blobs";
    case Format::kOciDir: return "oci_dir";
    case Format::kOciTar: return "oci_tar";
    case Format::kOciDirZstd: return "oci_dir_zstd";
  }
  return "?";
}

struct Case {
  std::string version;
  Format format;
};

// Readable test names in ctest's listing.
void PrintTo(const Case& c, std::ostream* os) { *os << "alpine " << c.version << " as " << FormatName(c.format); }

std::vector<Case> Cases() {
  std::vector<Case> out;
  // The versions of the shared folder (listed, so that a missing file is a failure, not fewer tests).
  for (const char* v : {"3.6.5", "3.7.3", "3.8.5", "3.9.6", "3.10.9", "3.12.12", "3.15.11", "3.18.9", "3.20.3"}) {
    for (Format f : {Format::kDockerLegacy, Format::kOciDir, Format::kOciTar}) out.push_back({v, f});
  }
  out.push_back({"3.9.6", Format::kDockerOciBlobs});
  out.push_back({"3.20.3", Format::kDockerOciBlobs});
  out.push_back({"3.20.3", Format::kOciDirZstd});
  return out;
}

std::string CaseName(const testing::TestParamInfo<Case>& info) {
  std::string v = info.param.version;
  for (auto& c : v)
    if (c == '.') c = '_';
  return "alpine_" + v + "_" + FormatName(info.param.format);
}

ct::AlpineRootfsFile FindRootfs(const std::string& version) {
  for (const auto& f : ct::AlpineMinirootfsFiles())
    if (f.version == version) return f;
  return {};
}

class AlpineImage : public testing::TestWithParam<Case> {};

TEST_P(AlpineImage, ListsExactlyTheFinalApkDatabase) {
  const Case& c = GetParam();
  ct::AlpineRootfsFile rootfs = FindRootfs(c.version);
  ASSERT_FALSE(rootfs.path.empty()) << "alpine-minirootfs-" << c.version << "-x86_64.tar.gz not found in "
                                    << ct::SharedDir() << "/images";
  ct::AlpineTwoLayer s = ct::PrepareAlpineTwoLayer(rootfs);
  ASSERT_EQ(s.alpine_release, c.version);

  ct::TempDir d;
  const bool docker = c.format == Format::kDockerLegacy || c.format == Format::kDockerOciBlobs;
  const ct::Compression comp = docker ? ct::Compression::kNone
                               : c.format == Format::kOciDirZstd ? ct::Compression::kZstd
                                                                 : ct::Compression::kGzip;
  std::vector<ct::Layer> layers = {
      ct::MakeLayer(d / "layers", s.layer0, comp, "ADD alpine-minirootfs-" + c.version + "-x86_64.tar.gz / # buildkit"),
      ct::MakeLayer(d / "layers", s.layer1, comp, "RUN /bin/sh -c apk del " + s.deleted_package + " # buildkit"),
  };
  std::string input;
  ct::ImageInfo info;
  switch (c.format) {
    case Format::kDockerLegacy:
    case Format::kDockerOciBlobs: {
      input = d / "image.tar";
      ct::DockerArchiveOptions o;
      o.layout = c.format == Format::kDockerLegacy ? ct::DockerLayout::kLegacy : ct::DockerLayout::kOciBlobs;
      o.repo_tags = {"customs-test/alpine:" + c.version};
      info = ct::WriteDockerArchive(input, layers, {}, o);
      break;
    }
    case Format::kOciDir:
    case Format::kOciDirZstd:
      input = d / "oci";
      info = ct::WriteOciLayout(input, layers);
      break;
    case Format::kOciTar:
      input = d / "oci.tar";
      info = ct::WriteOciLayout(input, layers);
      break;
  }

  ct::JsonRun r = ct::RunCustomsJson({"image", "--input", input});
  ASSERT_EQ(r.run.exit_code, 0) << r.run.Describe();
  ASSERT_TRUE(r.report.is_object()) << r.parse_error;
  EXPECT_EQ(r.run.err, "") << "stderr is not a terminal: a clean scan prints nothing there";
  EXPECT_EQ(r.report["schemaVersion"], 1);

  ASSERT_TRUE(r.report["os"].is_object()) << r.report["os"].dump();
  EXPECT_EQ(ct::Str(r.report["os"], "family"), "alpine");
  EXPECT_EQ(ct::Str(r.report["os"], "version"), s.alpine_release);

  ct::NameVersionSet got = ct::ReportNameVersions(r.report, "apk");
  EXPECT_EQ(got, s.expected) << ct::DescribeDiff(s.expected, got) << "\n(layer 1 deleted " << s.deleted_package
                             << ")";
  EXPECT_EQ(ct::ReportPackages(r.report, "apk").size(), s.expected.size()) << "duplicate packages";
  EXPECT_EQ(ct::ReportNameVersions(r.report).size(), got.size()) << "packages of other types";

  // Layers: as written, bottom first.
  const auto& jl = r.report["layers"];
  ASSERT_TRUE(jl.is_array());
  ASSERT_EQ(jl.size(), 2u) << jl.dump();
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(jl[i]["index"], i);
    EXPECT_EQ(ct::Str(jl[i], "diffId"), info.diff_ids[i]) << "layer " << i;
    EXPECT_EQ(ct::Str(jl[i], "digest"), info.layer_digests[i]) << "layer " << i;
  }

  // Every package left came with layer 0 (layer 1 only rewrote the database without one of them).
  for (const auto& p : ct::ReportPackages(r.report, "apk")) {
    SCOPED_TRACE(ct::Str(p, "name"));
    ASSERT_TRUE(p["layer"].is_object()) << p.dump();
    EXPECT_EQ(p["layer"]["index"], 0);
    EXPECT_EQ(ct::Str(p["layer"], "diffId"), info.diff_ids[0]);
    EXPECT_EQ(ct::Str(p, "dbPath"), "lib/apk/db/installed");
    EXPECT_EQ(ct::Str(p, "purl").rfind("pkg:apk/alpine/" + ct::Str(p, "name") + "@" + ct::Str(p, "version"), 0), 0u)
        << ct::Str(p, "purl");
  }

  // The artifact is the image we wrote.
  EXPECT_EQ(ct::Str(r.report["artifact"], "imageId"), info.config_digest);
}

INSTANTIATE_TEST_SUITE_P(Shared, AlpineImage, testing::ValuesIn(Cases()), CaseName);

// A package that a later layer adds is attributed to that layer.
TEST(AlpineImageLayers, PackageAddedInSecondLayerHasItsLayer) {
  ct::AlpineRootfsFile rootfs = FindRootfs("3.18.9");
  ASSERT_FALSE(rootfs.path.empty());
  ct::AlpineTwoLayer s = ct::PrepareAlpineTwoLayer(rootfs);
  // Layer 1 also "installs" a package: a stanza appended to its database.
  for (auto& e : s.layer1) {
    if (e.path == "lib/apk/db/installed") {
      e.content += "C:Q1customsAAAAAAAAAAAAAAAAAAAAAAAAA=\nP:customs-extra\nV:1.2.3-r4\nA:x86_64\nS:1000\nI:4096\n"
                   "T:added by the second layer\nU:https://example.invalid\nL:MIT\no:customs-extra\n"
                   "F:etc\nR:customs-e2e.txt\n\n";
    }
  }
  ct::TempDir d;
  std::vector<ct::Layer> layers = {ct::MakeLayer(d / "layers", s.layer0, ct::Compression::kGzip),
                                   ct::MakeLayer(d / "layers", s.layer1, ct::Compression::kGzip)};
  ct::ImageInfo info = ct::WriteOciLayout(d / "oci", layers);
  ct::JsonRun r = ct::RunCustomsJson({"image", "--input", d / "oci"});
  ASSERT_EQ(r.run.exit_code, 0) << r.run.Describe();
  bool found = false;
  for (const auto& p : ct::ReportPackages(r.report, "apk")) {
    if (ct::Str(p, "name") != "customs-extra") continue;
    found = true;
    EXPECT_EQ(ct::Str(p, "version"), "1.2.3-r4");
    ASSERT_TRUE(p["layer"].is_object()) << p.dump();
    EXPECT_EQ(p["layer"]["index"], 1);
    EXPECT_EQ(ct::Str(p["layer"], "diffId"), info.diff_ids[1]);
  }
  EXPECT_TRUE(found) << "customs-extra not reported";
}

// Multi-platform OCI index: --platform chooses the image; linux/amd64 is the default.
TEST(AlpineImageLayers, MultiPlatformIndexSelectsByPlatform) {
  struct Pick {
    std::string version, arch, variant;
  };
  const std::vector<Pick> picks = {{"3.20.3", "amd64", ""}, {"3.18.9", "arm64", "v8"}, {"3.15.11", "arm", "v7"}};
  ct::TempDir d;
  std::vector<ct::OciImage> images;
  for (const auto& p : picks) {
    ct::AlpineRootfsFile rootfs = FindRootfs(p.version);
    ASSERT_FALSE(rootfs.path.empty()) << p.version;
    ct::OciImage img;
    img.layers = {ct::MakeLayer(d / "layers", ct::ReadTarEntries(rootfs.path), ct::Compression::kGzip)};
    img.config.architecture = p.arch;
    img.config.variant = p.variant;
    images.push_back(img);
  }
  for (bool nested : {false, true}) {
    SCOPED_TRACE(nested ? "index.json -> image index blob" : "index.json lists the platforms");
    ct::OciLayoutOptions o;
    o.nested_index = nested;
    std::string layout = d / (nested ? "nested" : "flat");
    ct::WriteOciLayout(layout, images, o);
    struct Want {
      std::vector<std::string> flag;
      std::string version;
    };
    for (const Want& w : {Want{{}, "3.20.3"}, Want{{"--platform", "linux/amd64"}, "3.20.3"},
                          Want{{"--platform", "linux/arm64"}, "3.18.9"},
                          Want{{"--platform", "linux/arm64/v8"}, "3.18.9"},
                          Want{{"--platform", "linux/arm/v7"}, "3.15.11"}}) {
      std::vector<std::string> args = {"image", "--input", layout};
      args.insert(args.end(), w.flag.begin(), w.flag.end());
      ct::JsonRun r = ct::RunCustomsJson(args);
      ASSERT_EQ(r.run.exit_code, 0) << (w.flag.empty() ? "(default)" : w.flag[1]) << ": " << r.run.Describe();
      EXPECT_EQ(ct::Str(r.report["os"], "version"), w.version) << (w.flag.empty() ? "(default)" : w.flag[1]);
    }
    ct::RunResult none = ct::RunCustoms({"image", "--input", layout, "--platform", "linux/s390x", "-f", "json"});
    EXPECT_NE(none.exit_code, 0) << none.Describe();
    EXPECT_NE(none.err.find("s390x"), std::string::npos) << none.Describe();
  }
}

}  // namespace
