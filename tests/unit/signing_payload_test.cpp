// The simple-signing payload and the .sig manifest layout (src/signing/simple_signing.cpp,
// cosign_layout.cpp), field by field against cosign's SIGNATURE_SPEC.md.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/sha256.h"
#include "signing/cosign_layout.h"
#include "signing/simple_signing.h"

namespace customs::signing {
namespace {

const std::string kDigest = "sha256:" + std::string(64, 'a');

TEST(SigningPayload, FieldsAsTheSpecNamesThem) {
  const std::string p = BuildSimpleSigningPayload("127.0.0.1:5000/app", kDigest, {});
  // Exactly cosign's bytes: compact, cosign's field order, optional null without annotations.
  EXPECT_EQ(p, "{\"critical\":{\"identity\":{\"docker-reference\":\"127.0.0.1:5000/app\"},\"image\":{"
               "\"docker-manifest-digest\":\"" + kDigest + "\"},\"type\":\"cosign container image signature\"},"
               "\"optional\":null}");
  auto j = nlohmann::json::parse(p);
  EXPECT_EQ(j["critical"]["identity"]["docker-reference"], "127.0.0.1:5000/app");
  EXPECT_EQ(j["critical"]["image"]["docker-manifest-digest"], kDigest);
  EXPECT_EQ(j["critical"]["type"], "cosign container image signature");
  EXPECT_EQ(j.size(), 2u);
  EXPECT_EQ(j["critical"].size(), 3u);
}

TEST(SigningPayload, AnnotationsGoToOptionalSorted) {
  const std::string p = BuildSimpleSigningPayload("r/app", kDigest, {{"z", "last"}, {"commit", "abc"}});
  EXPECT_NE(p.find("\"optional\":{\"commit\":\"abc\",\"z\":\"last\"}"), std::string::npos) << p;
  SimpleSigningPayload parsed;
  std::string why;
  ASSERT_TRUE(ParseSimpleSigningPayload(p, &parsed, &why)) << why;
  EXPECT_EQ(parsed.optional["commit"], "abc");
  EXPECT_EQ(parsed.docker_reference, "r/app");
  EXPECT_EQ(parsed.manifest_digest, kDigest);
}

TEST(SigningPayload, ParsesTheSpecExampleSpelling) {
  // SIGNATURE_SPEC.md's example writes "Docker-manifest-digest"; cosign reads keys case-insensitively.
  const std::string spec = R"({"critical":{"identity":{"docker-reference":"testing/manifest"},
    "image":{"Docker-manifest-digest":"sha256:20be"},"type":"cosign container image signature"},
    "optional":{"creator":"atomic","timestamp":1458239713}})";
  SimpleSigningPayload p;
  std::string why;
  ASSERT_TRUE(ParseSimpleSigningPayload(spec, &p, &why)) << why;
  EXPECT_EQ(p.manifest_digest, "sha256:20be");
  EXPECT_EQ(p.docker_reference, "testing/manifest");
  EXPECT_EQ(p.optional["creator"], "atomic");
}

TEST(SigningPayload, RejectsWhatIsNotASimpleSigningPayload) {
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"", "not JSON"},
      {"[]", "not a JSON object"},
      {"{}", "no 'critical'"},
      {R"({"critical":{"type":"cosign container image signature"}})", "critical.image"},
      {R"({"critical":{"image":{},"type":"cosign container image signature"}})", "docker-manifest-digest"},
      {R"({"critical":{"image":{"docker-manifest-digest":5},"type":"cosign container image signature"}})",
       "docker-manifest-digest"},
      {R"({"critical":{"image":{"docker-manifest-digest":"sha256:1"}}})", "critical.type"},
      {R"({"critical":{"image":{"docker-manifest-digest":"sha256:1"},"type":"atomic container signature"}})",
       "not 'cosign container image signature'"},
      {R"({"critical":{"image":{"docker-manifest-digest":"sha256:1"},"type":"cosign container image signature"},"optional":[1]})",
       "'optional' is not an object"},
  };
  for (const auto& [text, expect] : bad) {
    SimpleSigningPayload p;
    std::string why;
    EXPECT_FALSE(ParseSimpleSigningPayload(text, &p, &why)) << text;
    EXPECT_NE(why.find(expect), std::string::npos) << text << ": " << why;
  }
}

TEST(SigningLayout, TagScheme) {
  // SIGNATURE_SPEC.md: replace ':' with '-', append ".sig".
  EXPECT_EQ(SignatureTag("sha256:97fc222cee7991b5b061d4d4afdb5f3428fcb0c9054e1690313786befa1e4e36"),
            "sha256-97fc222cee7991b5b061d4d4afdb5f3428fcb0c9054e1690313786befa1e4e36.sig");
  EXPECT_EQ(AttestationTag(kDigest), "sha256-" + std::string(64, 'a') + ".att");
  EXPECT_THROW(SignatureTag("latest"), std::exception);
}

TEST(SigningLayout, ConfigAndManifestAsCosignWritesThem) {
  const std::string payload = BuildSimpleSigningPayload("r/app", kDigest, {});
  Descriptor layer;
  layer.media_type = kSimpleSigningMediaType;
  layer.size = payload.size();
  layer.digest = Sha256::Of(payload);
  layer.annotations[kSignatureAnnotation] = "MEUCIQ==";
  const std::string config = BuildConfig({layer.digest});
  // ATTESTATION_SPEC.md's example config of one layer is 233 bytes: the same minimal config.
  EXPECT_EQ(config.size(), 233u) << config;
  auto c = nlohmann::json::parse(config);
  EXPECT_EQ(c["rootfs"]["type"], "layers");
  EXPECT_EQ(c["rootfs"]["diff_ids"], nlohmann::json::array({layer.digest}));
  Descriptor cd{kOciConfigMediaType, config.size(), Sha256::Of(config), {}};
  const std::string manifest = BuildManifest(cd, {layer});
  auto m = nlohmann::json::parse(manifest);
  EXPECT_EQ(m["schemaVersion"], 2);
  EXPECT_EQ(m["mediaType"], "application/vnd.oci.image.manifest.v1+json");
  EXPECT_EQ(m["config"]["mediaType"], "application/vnd.oci.image.config.v1+json");
  EXPECT_FALSE(m["config"].contains("annotations"));
  EXPECT_EQ(m["layers"][0]["mediaType"], "application/vnd.dev.cosign.simplesigning.v1+json");
  EXPECT_EQ(m["layers"][0]["size"], payload.size());
  EXPECT_EQ(m["layers"][0]["digest"], layer.digest);
  EXPECT_EQ(m["layers"][0]["annotations"]["dev.cosignproject.cosign/signature"], "MEUCIQ==");
  CosignManifest parsed;
  std::string why;
  ASSERT_TRUE(ParseCosignManifest(manifest, &parsed, &why)) << why;
  ASSERT_EQ(parsed.layers.size(), 1u);
  EXPECT_EQ(parsed.layers[0].annotations, layer.annotations);
  EXPECT_EQ(parsed.config.digest, cd.digest);
}

TEST(SigningLayout, RejectsBrokenManifests) {
  const std::string d = "\"sha256:" + std::string(64, 'b') + "\"";
  const std::string cfg = "{\"mediaType\":\"x\",\"size\":1,\"digest\":" + d + "}";
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"nope", "not a JSON object"},
      {"{\"schemaVersion\":1}", "schemaVersion"},
      {"{\"schemaVersion\":2,\"layers\":[]}", "no config"},
      {"{\"schemaVersion\":2,\"config\":" + cfg + "}", "no layers"},
      {"{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"config\":" + cfg +
           ",\"layers\":[]}",
       "not an image manifest"},
      {"{\"schemaVersion\":2,\"config\":" + cfg + ",\"layers\":[{\"mediaType\":\"x\",\"size\":-1,\"digest\":" + d + "}]}",
       "no size"},
      {"{\"schemaVersion\":2,\"config\":" + cfg + ",\"layers\":[{\"mediaType\":\"x\",\"size\":1,\"digest\":\"md5:1\"}]}",
       "not sha256"},
      {"{\"schemaVersion\":2,\"config\":" + cfg + ",\"layers\":[{\"mediaType\":\"x\",\"size\":1,\"digest\":" + d +
           ",\"annotations\":{\"a\":1}}]}",
       "not a string"},
  };
  for (const auto& [text, expect] : bad) {
    CosignManifest m;
    std::string why;
    EXPECT_FALSE(ParseCosignManifest(text, &m, &why)) << text;
    EXPECT_NE(why.find(expect), std::string::npos) << text << ": " << why;
  }
}

}  // namespace
}  // namespace customs::signing
