// Manifest responses: Docker v2 schema 2 manifests and manifest lists, OCI manifests and indexes,
// the platform choice, schema 1 refused.
#include <gtest/gtest.h>

#include <string>

#include "core/error.h"
#include "registry/manifest.h"

namespace customs::registry {
namespace {

std::string D(char c) { return "sha256:" + std::string(64, c); }

const std::string kDockerManifest = R"({
  "schemaVersion": 2,
  "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
  "config": {"mediaType": "application/vnd.docker.container.image.v1+json", "size": 1472, "digest": ")" + D('c') + R"("},
  "layers": [
    {"mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip", "size": 2773413, "digest": ")" + D('1') + R"("},
    {"mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip", "size": 100, "digest": ")" + D('2') + R"("}
  ]
})";

const std::string kManifestList = R"({
  "schemaVersion": 2,
  "mediaType": "application/vnd.docker.distribution.manifest.list.v2+json",
  "manifests": [
    {"mediaType": "application/vnd.docker.distribution.manifest.v2+json", "size": 528, "digest": ")" + D('a') + R"(",
     "platform": {"architecture": "amd64", "os": "linux"}},
    {"mediaType": "application/vnd.docker.distribution.manifest.v2+json", "size": 528, "digest": ")" + D('b') + R"(",
     "platform": {"architecture": "arm", "os": "linux", "variant": "v6"}},
    {"mediaType": "application/vnd.docker.distribution.manifest.v2+json", "size": 528, "digest": ")" + D('d') + R"(",
     "platform": {"architecture": "arm", "os": "linux", "variant": "v7"}},
    {"mediaType": "application/vnd.docker.distribution.manifest.v2+json", "size": 528, "digest": ")" + D('e') + R"(",
     "platform": {"architecture": "arm64", "os": "linux", "variant": "v8"}}
  ]
})";

// buildx: an OCI index whose attestation manifests claim platform unknown/unknown.
const std::string kOciIndex = R"({
  "schemaVersion": 2,
  "mediaType": "application/vnd.oci.image.index.v1+json",
  "manifests": [
    {"mediaType": "application/vnd.oci.image.manifest.v1+json", "size": 700, "digest": ")" + D('f') + R"(",
     "annotations": {"vnd.docker.reference.type": "attestation-manifest", "vnd.docker.reference.digest": ")" + D('a') + R"("},
     "platform": {"architecture": "amd64", "os": "linux"}},
    {"mediaType": "application/vnd.oci.image.manifest.v1+json", "size": 700, "digest": ")" + D('a') + R"(",
     "platform": {"architecture": "amd64", "os": "linux"}},
    {"mediaType": "application/vnd.oci.image.manifest.v1+json", "size": 700, "digest": ")" + D('b') + R"(",
     "platform": {"architecture": "s390x", "os": "linux"}}
  ]
})";

const std::string kOciManifest = R"({
  "schemaVersion": 2,
  "mediaType": "application/vnd.oci.image.manifest.v1+json",
  "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "size": 10, "digest": ")" + D('c') + R"("},
  "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+zstd", "size": 5, "digest": ")" + D('1') + R"("}]
})";

template <class F>
void ExpectInputError(F&& f, const std::string& needle) {
  try {
    f();
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), kExitInputRejected);
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
  }
}

TEST(RegistryManifest, AcceptHeaderNamesAllFourMediaTypes) {
  std::string a = ManifestAcceptHeader();
  for (auto mt : {oci::kMediaOciIndex, oci::kMediaOciManifest, oci::kMediaDockerManifestList, oci::kMediaDockerManifest})
    EXPECT_NE(a.find(mt), std::string::npos) << mt;
}

TEST(RegistryManifest, DockerSchema2Manifest) {
  auto p = ParseManifest("application/vnd.docker.distribution.manifest.v2+json", kDockerManifest, "m");
  ASSERT_EQ(p.kind, oci::MediaKind::kManifest);
  EXPECT_EQ(p.manifest.config.digest, D('c'));
  ASSERT_EQ(p.manifest.layers.size(), 2u);
  EXPECT_EQ(p.manifest.layers[0].size.value_or(0), 2773413u);
  // Served as application/json (some registries): the body decides.
  EXPECT_EQ(ParseManifest("application/json; charset=utf-8", kDockerManifest, "m").kind, oci::MediaKind::kManifest);
  EXPECT_EQ(ParseManifest("", kOciManifest, "m").kind, oci::MediaKind::kManifest);
}

TEST(RegistryManifest, ManifestListPlatformSelection) {
  auto p = ParseManifest("application/vnd.docker.distribution.manifest.list.v2+json", kManifestList, "l");
  ASSERT_EQ(p.kind, oci::MediaKind::kIndex);
  ASSERT_EQ(p.index.manifests.size(), 4u);
  auto pick = [&](const char* spec) {
    auto d = SelectManifest(p.index, oci::ParsePlatform(spec));
    return d ? d->digest : std::string("none");
  };
  EXPECT_EQ(pick("linux/amd64"), D('a'));
  EXPECT_EQ(pick("linux/arm/v6"), D('b'));
  EXPECT_EQ(pick("linux/arm/v7"), D('d'));
  EXPECT_EQ(pick("linux/arm64"), D('e'));
  EXPECT_EQ(pick("linux/arm64/v8"), D('e'));
  EXPECT_EQ(pick("linux/s390x"), "none");
  EXPECT_EQ(pick("windows/amd64"), "none");
}

TEST(RegistryManifest, OciIndexSkipsAttestations) {
  auto p = ParseManifest("application/vnd.oci.image.index.v1+json", kOciIndex, "i");
  ASSERT_EQ(p.kind, oci::MediaKind::kIndex);
  auto d = SelectManifest(p.index, oci::ParsePlatform("linux/amd64"));
  ASSERT_TRUE(d);
  EXPECT_EQ(d->digest, D('a'));
  EXPECT_EQ(SelectManifest(p.index, oci::ParsePlatform("linux/s390x"))->digest, D('b'));
}

TEST(RegistryManifest, RefusesSchema1AndOtherDocuments) {
  const std::string schema1 = R"({"schemaVersion": 1, "name": "library/alpine", "tag": "3.9", "architecture": "amd64",
    "fsLayers": [{"blobSum": ")" + D('1') + R"("}], "history": [{"v1Compatibility": "{}"}]})";
  ExpectInputError([&] { ParseManifest("application/vnd.docker.distribution.manifest.v1+prettyjws", schema1, "s1"); },
                   "schema 1 is not supported");
  ExpectInputError([&] { ParseManifest("application/json", schema1, "s1"); }, "schema 1 is not supported");
  ExpectInputError([&] { ParseManifest("text/html", "<html>", "x"); }, "x");
  ExpectInputError([&] { ParseManifest("application/vnd.oci.image.index.v1+json", kOciManifest, "x"); }, "x");
  ExpectInputError([&] { ParseManifest("application/vnd.oci.image.manifest.v1+json", "{\"layers\": 5}", "x"); }, "x");
  ExpectInputError([&] { ParseManifest("application/vnd.oci.image.manifest.v1+json", "", "x"); }, "x");
  ExpectInputError([&] { ParseManifest("application/octet-stream", R"({"schemaVersion":2})", "x"); }, "neither");
}

}  // namespace
}  // namespace customs::registry
