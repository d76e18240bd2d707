// The pure metadata parsers of src/source/oci.h.
#include <gtest/gtest.h>

#include <string>

#include "core/error.h"
#include "core/sha256.h"
#include "formats/oci.h"

namespace customs {
namespace {

const std::string kDigestA = "sha256:" + std::string(64, 'a');
const std::string kDigestB = "sha256:" + std::string(64, 'b');

// Runs `f`, expects a customs::Error with `code` whose message contains `needle`.
template <class F>
void ExpectError(F&& f, ExitCode code, const std::string& needle) {
  try {
    f();
    ADD_FAILURE() << "no error; expected one containing \"" << needle << "\"";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), code) << e.what();
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
  }
}

TEST(SourceOciTest, DockerManifest) {
  auto entries = oci::ParseDockerManifest(
      R"([{"Config":"abc.json","RepoTags":["alpine:3.9","alpine:latest"],"Layers":["1/layer.tar","2/layer.tar"]},
          {"Config":"def.json","RepoTags":null,"Layers":[]}])");
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].config, "abc.json");
  EXPECT_EQ(entries[0].repo_tags, (std::vector<std::string>{"alpine:3.9", "alpine:latest"}));
  EXPECT_EQ(entries[0].layers, (std::vector<std::string>{"1/layer.tar", "2/layer.tar"}));
  EXPECT_TRUE(entries[1].repo_tags.empty());
  EXPECT_TRUE(entries[1].layers.empty());
}

TEST(SourceOciTest, DockerManifestErrorsNameTheMember) {
  ExpectError([] { oci::ParseDockerManifest("{", "x.tar:manifest.json"); }, kExitInputRejected,
              "x.tar:manifest.json: invalid JSON");
  ExpectError([] { oci::ParseDockerManifest(R"({"Config":"a"})", "m"); }, kExitInputRejected, "not a JSON array");
  ExpectError([] { oci::ParseDockerManifest(R"([{"Layers":[]}])", "m"); }, kExitInputRejected, "[0].Config is missing");
  ExpectError([] { oci::ParseDockerManifest(R"([{"Config":"a","Layers":[1]}])", "m"); }, kExitInputRejected,
              "[0].Layers[0] is not a string");
  ExpectError([] { oci::ParseDockerManifest(R"([{"Config":"a"}])", "m"); }, kExitInputRejected, "Layers is missing");
  ExpectError([] { oci::ParseDockerManifest(R"([{"Config":"a","Layers":[""]}])", "m"); }, kExitInputRejected, "is empty");
}

TEST(SourceOciTest, OciLayout) {
  EXPECT_EQ(oci::ParseOciLayout(R"({"imageLayoutVersion":"1.0.0"})"), "1.0.0");
  ExpectError([] { oci::ParseOciLayout(R"({"imageLayoutVersion":"2.0.0"})"); }, kExitInputRejected,
              "unsupported imageLayoutVersion");
  ExpectError([] { oci::ParseOciLayout(R"({})"); }, kExitInputRejected, "imageLayoutVersion is missing");
}

TEST(SourceOciTest, Index) {
  std::string doc = R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[
      {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":")" + kDigestA + R"(","size":10,
       "platform":{"os":"linux","architecture":"amd64"}},
      {"mediaType":"application/vnd.docker.distribution.manifest.v2+json","digest":")" + kDigestB + R"(","size":11,
       "platform":{"os":"linux","architecture":"arm64","variant":"v8"},
       "annotations":{"org.opencontainers.image.ref.name":"3.9"}}]})";
  oci::Index idx = oci::ParseOciIndex(doc);
  ASSERT_EQ(idx.manifests.size(), 2u);
  EXPECT_EQ(idx.manifests[0].digest, kDigestA);
  EXPECT_EQ(idx.manifests[0].size, 10u);
  ASSERT_TRUE(idx.manifests[1].platform);
  EXPECT_EQ(idx.manifests[1].platform->variant, "v8");
  EXPECT_EQ(idx.manifests[1].annotations.at("org.opencontainers.image.ref.name"), "3.9");
  EXPECT_EQ(oci::ClassifyMediaType(idx.manifests[1].media_type), oci::MediaKind::kManifest);
  EXPECT_EQ(oci::ListPlatforms(idx.manifests), "linux/amd64, linux/arm64/v8");
}

TEST(SourceOciTest, IndexRejectsBadInput) {
  ExpectError([] { oci::ParseOciIndex(R"({"schemaVersion":2,"manifests":[{"digest":"sha256:xyz","size":1}]})"); },
              kExitInputRejected, "is not a valid digest");
  ExpectError([] { oci::ParseOciIndex(R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","manifests":[]})"); },
              kExitInputRejected, "is not an image index");
  ExpectError([] { oci::ParseOciIndex(R"({"schemaVersion":2})"); }, kExitInputRejected, "manifests is missing");
  ExpectError([] { oci::ParseOciIndex(R"({"schemaVersion":3,"manifests":[]})"); }, kExitInputRejected, "unsupported schemaVersion 3");
  ExpectError([] { oci::ParseOciIndex(R"({"manifests":[]})"); }, kExitInputRejected, "schemaVersion is missing");
  ExpectError([&] { oci::ParseOciIndex(R"({"schemaVersion":2,"manifests":[{"digest":")" + kDigestA + R"(","size":-1}]})"); },
              kExitInputRejected, "size is not a non-negative integer");
}

TEST(SourceOciTest, Manifest) {
  std::string doc = R"({"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json",
      "config":{"mediaType":"application/vnd.docker.container.image.v1+json","digest":")" + kDigestA + R"(","size":5},
      "layers":[{"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","digest":")" + kDigestB + R"(","size":7}]})";
  oci::Manifest m = oci::ParseOciManifest(doc);
  EXPECT_EQ(m.config.digest, kDigestA);
  EXPECT_EQ(oci::ClassifyMediaType(m.config.media_type), oci::MediaKind::kConfig);
  ASSERT_EQ(m.layers.size(), 1u);
  EXPECT_EQ(oci::ClassifyMediaType(m.layers[0].media_type), oci::MediaKind::kLayer);
  EXPECT_EQ(oci::DocumentKind(doc), oci::MediaKind::kManifest);
}

TEST(SourceOciTest, ManifestRejectsSchema1AndIndexes) {
  ExpectError([] { oci::ParseOciManifest(R"({"schemaVersion":1,"fsLayers":[]})"); }, kExitInputRejected, "schema 1");
  ExpectError([] { oci::ParseOciManifest(R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]})"); },
              kExitInputRejected, "is not an image manifest");
  ExpectError([] { oci::ParseOciManifest(R"({"schemaVersion":2,"layers":[]})"); }, kExitInputRejected, "config is missing");
}

TEST(SourceOciTest, ConfigAndHistory) {
  std::string doc = R"({"architecture":"arm64","os":"linux","variant":"v8","created":"2024-01-02T03:04:05Z",
      "rootfs":{"type":"layers","diff_ids":[")" + kDigestA + R"(",")" + kDigestB + R"("]},
      "history":[{"created_by":"ADD rootfs /"},{"created_by":"ENV A=1","empty_layer":true},{"created_by":"RUN apk add x"}]})";
  oci::ImageConfig c = oci::ParseImageConfig(doc);
  EXPECT_EQ(oci::FormatPlatform(c.platform), "linux/arm64/v8");
  EXPECT_EQ(c.created, "2024-01-02T03:04:05Z");
  EXPECT_EQ(c.diff_ids, (std::vector<std::string>{kDigestA, kDigestB}));
  EXPECT_EQ(oci::LayerHistory(c), (std::vector<std::string>{"ADD rootfs /", "RUN apk add x"}));
}

TEST(SourceOciTest, ConfigRejectsBadInput) {
  ExpectError([] { oci::ParseImageConfig(R"({"os":"linux"})"); }, kExitInputRejected, "rootfs is missing");
  ExpectError([] { oci::ParseImageConfig(R"({"rootfs":{"type":"layers","diff_ids":["sha256:00"]}})"); },
              kExitInputRejected, "rootfs.diff_ids[0]");
  ExpectError([] { oci::ParseImageConfig(R"({"rootfs":{"type":"other","diff_ids":[]}})"); }, kExitInputRejected,
              "rootfs.type");
  ExpectError([] { oci::ParseImageConfig(R"({"rootfs":{"type":"layers","diff_ids":[]},"history":[{"empty_layer":"yes"}]})"); },
              kExitInputRejected, "history[0].empty_layer is not a boolean");
  ExpectError([] { oci::ParseImageConfig(R"({"os":5,"rootfs":{"type":"layers","diff_ids":[]}})"); }, kExitInputRejected,
              "os is not a string");
}

TEST(SourceOciTest, DeepNestingAndGarbageAreInputErrors) {
  std::string deep(100000, '[');
  ExpectError([&] { oci::ParseOciIndex(deep); }, kExitInputRejected, "nested deeper");
  ExpectError([] { oci::ParseImageConfig(std::string("\xff\xfe{}", 4)); }, kExitInputRejected, "invalid JSON");
  ExpectError([] { oci::ParseImageConfig(""); }, kExitInputRejected, "invalid JSON");
  ExpectError([] { oci::ParseOciIndex("[1,2]"); }, kExitInputRejected, "not a JSON object");
}

TEST(SourceOciTest, Digests) {
  EXPECT_TRUE(oci::IsValidDigest(kDigestA));
  EXPECT_TRUE(oci::IsValidDigest("sha512:" + std::string(128, '0')));
  EXPECT_TRUE(oci::IsValidDigest("multihash+base58:QmRZxt2b1FVZPNqd8hsiykDL3TdBDeTSPX9Kv46HmX4Gx8"));
  EXPECT_FALSE(oci::IsValidDigest("sha256:" + std::string(64, 'A')));  // sha256 is lowercase hex
  EXPECT_FALSE(oci::IsValidDigest("sha256:abc"));
  EXPECT_FALSE(oci::IsValidDigest("sha256"));
  EXPECT_FALSE(oci::IsValidDigest(":abc"));
  EXPECT_FALSE(oci::IsValidDigest("sha256+:abc"));
  EXPECT_FALSE(oci::IsValidDigest("sha256:../../etc/passwd"));
}

TEST(SourceOciTest, Platforms) {
  Platform p = oci::ParsePlatform("Linux/ARM64/v8");
  EXPECT_EQ(p.os, "linux");
  EXPECT_EQ(p.architecture, "arm64");
  EXPECT_EQ(p.variant, "v8");
  for (const char* bad : {"", "linux", "linux/", "/amd64", "linux/amd64/v1/x", "linux/am d64"})
    ExpectError([&] { oci::ParsePlatform(bad); }, kExitUsage, "invalid platform");

  EXPECT_TRUE(oci::PlatformMatches({"linux", "aarch64", ""}, oci::ParsePlatform("linux/arm64")));
  EXPECT_TRUE(oci::PlatformMatches({"linux", "arm64", ""}, oci::ParsePlatform("linux/arm64/v8")));
  EXPECT_TRUE(oci::PlatformMatches({"linux", "x86_64", ""}, oci::ParsePlatform("linux/amd64")));
  EXPECT_FALSE(oci::PlatformMatches({"linux", "arm", "v6"}, oci::ParsePlatform("linux/arm/v7")));
  EXPECT_FALSE(oci::PlatformMatches({"windows", "amd64", ""}, oci::ParsePlatform("linux/amd64")));
}

TEST(SourceOciTest, SelectPlatform) {
  auto d = [](const char* os, const char* arch, const char* variant) {
    oci::Descriptor x;
    x.digest = kDigestA;
    x.platform = Platform{os, arch, variant};
    return x;
  };
  std::vector<oci::Descriptor> list = {d("unknown", "unknown", ""), d("linux", "arm", "v6"), d("linux", "arm", "v7"),
                                       d("linux", "amd64", "v3"), d("linux", "amd64", ""), d("linux", "arm64", "v8")};
  list.push_back(oci::Descriptor{});  // no platform: never matches
  EXPECT_EQ(oci::SelectPlatform(list, oci::ParsePlatform("linux/amd64")), 4u);      // exact beats v3
  EXPECT_EQ(oci::SelectPlatform(list, oci::ParsePlatform("linux/amd64/v3")), 3u);
  EXPECT_EQ(oci::SelectPlatform(list, oci::ParsePlatform("linux/arm")), 2u);        // arm means v7
  EXPECT_EQ(oci::SelectPlatform(list, oci::ParsePlatform("linux/arm/v6")), 1u);
  EXPECT_EQ(oci::SelectPlatform(list, oci::ParsePlatform("linux/arm64")), 5u);
  EXPECT_FALSE(oci::SelectPlatform(list, oci::ParsePlatform("linux/s390x")));
  EXPECT_FALSE(oci::SelectPlatform(list, oci::ParsePlatform("linux/arm/v5")));
  std::vector<oci::Descriptor> only_v3 = {d("linux", "amd64", "v3")};
  EXPECT_EQ(oci::SelectPlatform(only_v3, oci::ParsePlatform("linux/amd64")), 0u);  // any variant when none asked
}

TEST(SourceOciTest, MediaTypes) {
  EXPECT_EQ(oci::ClassifyMediaType("application/vnd.oci.image.layer.v1.tar+zstd"), oci::MediaKind::kLayer);
  EXPECT_EQ(oci::ClassifyMediaType("application/vnd.docker.image.rootfs.diff.tar.gzip"), oci::MediaKind::kLayer);
  EXPECT_EQ(oci::ClassifyMediaType("application/vnd.oci.image.index.v1+json; charset=utf-8"), oci::MediaKind::kIndex);
  EXPECT_EQ(oci::ClassifyMediaType("application/vnd.docker.distribution.manifest.list.v2+json"), oci::MediaKind::kIndex);
  EXPECT_EQ(oci::ClassifyMediaType("application/vnd.in-toto+json"), oci::MediaKind::kUnknown);
  EXPECT_EQ(oci::ClassifyMediaType("application/vnd.oci.empty.v1+json"), oci::MediaKind::kEmpty);
  EXPECT_EQ(oci::ClassifyMediaType(""), oci::MediaKind::kUnknown);
  EXPECT_EQ(oci::DocumentKind(R"({"manifests":[]})"), oci::MediaKind::kIndex);
  EXPECT_EQ(oci::DocumentKind(R"({"schemaVersion":1})"), oci::MediaKind::kLegacyManifest);
  EXPECT_EQ(oci::DocumentKind(R"([])"), oci::MediaKind::kUnknown);
}

}  // namespace
}  // namespace customs
