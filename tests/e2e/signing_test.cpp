// Acceptance for signing (issue 7): `customs key generate`, `sign`, `verify`, `attest` and
// `verify-attestation` against a real registry (Debian's docker-registry, started by scripts/registry.sh
// through the TestRegistry fixture; images pushed with skopeo). The registry's content is read and
// altered with curl, independently of customs' own registry client, and checked field by field against
// cosign's SIGNATURE_SPEC.md / ATTESTATION_SPEC.md. Skips with a message when docker-registry is missing.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <memory>
#include <string>
#include <vector>

#include "support/fixtures.h"
#include "support/registry_fixture.h"

namespace ct = customs_test;
using ct::TarEntry;

namespace {

// Exit codes (docs/signing.md; src/core/exit_codes.h).
constexpr int kNoSignature = 20, kWrongKey = 21, kDigestMismatch = 22, kTampered = 23, kUnreachable = 24,
              kBadPassword = 25;

const char* kKeyPassword = "s3cret-Key-Passw0rd-e2e";

std::string Oracle() { return ct::SourceDir() + "/tests/support/signing_oracle.py"; }

class SigningTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::string why;
    registry_ = ct::TestRegistry::Start(ct::TestRegistry::Mode::kPlain, &why).release();
    if (!registry_) skip_reason_ = new std::string(why);
    keys_ = new ct::TempDir("customs-sign-keys");
    for (const char* prefix : {"a", "b"}) {
      ct::RunOptions o;
      o.cwd = keys_->path();
      o.env = {std::string("CUSTOMS_PASSWORD=") + kKeyPassword};
      ct::RunResult r = ct::RunCustoms({"key", "generate", "--output-key-prefix", prefix}, o);
      ASSERT_EQ(r.exit_code, 0) << r.Describe();
    }
  }
  static void TearDownTestSuite() {
    delete registry_;
    registry_ = nullptr;
    delete keys_;
    keys_ = nullptr;
    delete skip_reason_;
    skip_reason_ = nullptr;
  }
  void SetUp() override {
    if (!registry_) GTEST_SKIP() << "no registry: " << (skip_reason_ ? *skip_reason_ : "");
  }

  static std::string Host() { return registry_->host(); }
  static std::string KeyA() { return keys_->Join("a.key"); }
  static std::string PubA() { return keys_->Join("a.pub"); }
  static std::string PubB() { return keys_->Join("b.pub"); }

  // Pushes a one-layer image (a file /hello with `content`) to HOST/repo_tag; returns its digest.
  std::string PushImage(const std::string& content, const std::string& repo_tag) {
    ct::TempDir d;
    ct::Layer layer = ct::MakeLayer(d / "layers", {TarEntry::File("hello", content)}, ct::Compression::kGzip);
    ct::WriteOciLayout(d / "layout", {layer});
    registry_->Push("oci:" + d.Join("layout") + ":latest", repo_tag);
    const size_t at = repo_tag.rfind(':');
    return ct::Sha256Digest(GetManifest(repo_tag.substr(0, at), repo_tag.substr(at + 1)));
  }

  // customs with the plain registry allowed.
  static ct::RunResult Customs(std::vector<std::string> args, std::vector<std::string> env = {}) {
    args.push_back("--insecure");
    args.push_back(Host());
    ct::RunOptions o;
    o.env = {std::string("CUSTOMS_PASSWORD=") + kKeyPassword};
    o.env.insert(o.env.end(), env.begin(), env.end());  // later entries win
    o.timeout_seconds = 300;
    return ct::RunCustoms(args, o);
  }

  // skopeo copy between two repositories of the test registry, digests kept.
  static void CopyInRegistry(const std::string& from, const std::string& to) {
    ct::TempDir state;
    ct::RunOptions o;
    o.env = {"XDG_RUNTIME_DIR=" + state.path()};
    o.timeout_seconds = 300;
    ct::RunResult r = ct::Run({"skopeo", "--insecure-policy", "copy", "--quiet", "--preserve-digests",
                               "--src-tls-verify=false", "--dest-tls-verify=false", "docker://" + Host() + "/" + from,
                               "docker://" + Host() + "/" + to},
                              o);
    ASSERT_EQ(r.exit_code, 0) << r.Describe();
  }

  // --- the registry API through curl (not customs' client) ---
  static std::string Url(const std::string& path) { return "http://" + Host() + "/v2/" + path; }

  static std::string GetManifest(const std::string& repo, const std::string& ref) {
    ct::RunResult r = ct::Run({"curl", "-sf", "-H", "Accept: application/vnd.oci.image.manifest.v1+json",
                               "-H", "Accept: application/vnd.docker.distribution.manifest.v2+json",
                               Url(repo + "/manifests/" + ref)});
    EXPECT_EQ(r.exit_code, 0) << repo << ":" << ref << ": " << r.Describe();
    return r.out;
  }
  static std::string GetBlob(const std::string& repo, const std::string& digest) {
    ct::RunResult r = ct::Run({"curl", "-sfL", Url(repo + "/blobs/" + digest)});
    EXPECT_EQ(r.exit_code, 0) << r.Describe();
    return r.out;
  }
  static void PutManifest(const std::string& repo, const std::string& ref, const std::string& body) {
    ct::TempDir d;
    ct::WriteFile(d / "m.json", body);
    ct::RunResult r = ct::Run({"curl", "-sf", "-X", "PUT", "-H", "Content-Type: application/vnd.oci.image.manifest.v1+json",
                               "--data-binary", "@" + d.Join("m.json"), Url(repo + "/manifests/" + ref)});
    ASSERT_EQ(r.exit_code, 0) << r.Describe();
  }
  // Monolithic upload: POST to open the upload, PUT the bytes with ?digest=.
  static std::string PutBlob(const std::string& repo, const std::string& data) {
    ct::RunResult post = ct::Run({"curl", "-sf", "-X", "POST", "-D", "-", "-o", "/dev/null", Url(repo + "/blobs/uploads/")});
    EXPECT_EQ(post.exit_code, 0) << post.Describe();
    std::string location;
    for (size_t i = 0; i < post.out.size();) {
      size_t e = post.out.find('\n', i);
      std::string line = post.out.substr(i, e == std::string::npos ? std::string::npos : e - i);
      if (line.size() > 10 && (line.rfind("Location:", 0) == 0 || line.rfind("location:", 0) == 0)) {
        location = line.substr(9);
        while (!location.empty() && (location.front() == ' ')) location.erase(0, 1);
        while (!location.empty() && (location.back() == '\r' || location.back() == ' ')) location.pop_back();
      }
      if (e == std::string::npos) break;
      i = e + 1;
    }
    EXPECT_FALSE(location.empty()) << post.out;
    if (location.rfind("http", 0) != 0) location = "http://" + Host() + location;
    const std::string digest = ct::Sha256Digest(data);
    ct::TempDir d;
    ct::WriteFile(d / "blob", data);
    ct::RunResult put = ct::Run({"curl", "-sf", "-X", "PUT", "-H", "Content-Type: application/octet-stream",
                                 "--data-binary", "@" + d.Join("blob"),
                                 location + (location.find('?') == std::string::npos ? "?" : "&") + "digest=" + digest});
    EXPECT_EQ(put.exit_code, 0) << put.Describe();
    return digest;
  }
  static std::string SigTag(const std::string& digest) { return "sha256-" + digest.substr(7) + ".sig"; }
  static std::string AttTag(const std::string& digest) { return "sha256-" + digest.substr(7) + ".att"; }

  static ct::TestRegistry* registry_;
  static ct::TempDir* keys_;
  static std::string* skip_reason_;
};

ct::TestRegistry* SigningTest::registry_ = nullptr;
ct::TempDir* SigningTest::keys_ = nullptr;
std::string* SigningTest::skip_reason_ = nullptr;

TEST_F(SigningTest, SignThenVerify) {
  const std::string digest = PushImage("sign then verify", "app:v1");
  ct::RunResult s = Customs({"sign", "--key", KeyA(), Host() + "/app:v1", "-a", "build=42"});
  ASSERT_EQ(s.exit_code, 0) << s.Describe();
  EXPECT_EQ(s.out, Host() + "/app@" + digest + "\n") << "the digest signed";
  ct::RunResult v = Customs({"verify", "--key", PubA(), Host() + "/app:v1"});
  ASSERT_EQ(v.exit_code, 0) << v.Describe();
  auto payload = ct::ParseJson(v.out);
  EXPECT_EQ(payload["critical"]["image"]["docker-manifest-digest"], digest) << v.out;
  EXPECT_EQ(payload["optional"]["build"], "42");
  // By digest too, and --output json gives an array.
  ct::RunResult vj = Customs({"verify", "--key", PubA(), "--output", "json", Host() + "/app@" + digest});
  ASSERT_EQ(vj.exit_code, 0) << vj.Describe();
  auto arr = ct::ParseJson(vj.out);
  ASSERT_TRUE(arr.is_array()) << vj.out;
  EXPECT_EQ(arr[0]["critical"]["type"], "cosign container image signature");
}

TEST_F(SigningTest, SignatureObjectMatchesCosignSpecFieldByField) {
  const std::string digest = PushImage("layout check", "layout:v1");
  ct::RunResult s = Customs({"sign", "--key", KeyA(), Host() + "/layout:v1"});
  ASSERT_EQ(s.exit_code, 0) << s.Describe();
  // Tag-based discovery: sha256-<hex>.sig in the image's repository.
  const std::string body = GetManifest("layout", SigTag(digest));
  auto m = ct::ParseJson(body);
  ASSERT_TRUE(m.is_object()) << body;
  EXPECT_EQ(m["schemaVersion"], 2);
  EXPECT_EQ(m["mediaType"], "application/vnd.oci.image.manifest.v1+json");
  EXPECT_EQ(m["config"]["mediaType"], "application/vnd.oci.image.config.v1+json");
  ASSERT_EQ(m["layers"].size(), 1u);
  const auto& layer = m["layers"][0];
  EXPECT_EQ(layer["mediaType"], "application/vnd.dev.cosign.simplesigning.v1+json");
  ASSERT_TRUE(layer["annotations"].contains("dev.cosignproject.cosign/signature"));
  // The payload blob: referenced by digest and size, exactly the simple-signing keys.
  const std::string payload = GetBlob("layout", layer["digest"]);
  EXPECT_EQ(ct::Sha256Digest(payload), layer["digest"]);
  EXPECT_EQ(payload.size(), layer["size"].get<size_t>());
  auto p = ct::ParseJson(payload);
  EXPECT_EQ(p.size(), 2u) << payload;
  EXPECT_TRUE(p["optional"].is_null()) << payload;
  EXPECT_EQ(p["critical"].size(), 3u) << payload;
  EXPECT_EQ(p["critical"]["identity"]["docker-reference"], Host() + "/layout");
  EXPECT_EQ(p["critical"]["image"]["docker-manifest-digest"], digest);
  EXPECT_EQ(p["critical"]["type"], "cosign container image signature");
  // The signature: base64 of an ECDSA-P256/SHA-256 ASN.1 signature over the payload bytes, checked by
  // the Python oracle (python3-cryptography) with the public key.
  ct::TempDir d;
  ct::WriteFile(d / "payload", payload);
  ct::RunResult ok = ct::Run({"/usr/bin/python3", Oracle(), "verify", PubA(), d / "payload",
                              layer["annotations"]["dev.cosignproject.cosign/signature"].get<std::string>()});
  EXPECT_EQ(ok.exit_code, 0) << ok.Describe();
  // The config: the minimal OCI config listing the layer as its diff_id.
  const std::string config = GetBlob("layout", m["config"]["digest"]);
  EXPECT_EQ(ct::Sha256Digest(config), m["config"]["digest"]);
  EXPECT_EQ(config.size(), m["config"]["size"].get<size_t>());
  auto c = ct::ParseJson(config);
  EXPECT_EQ(c["rootfs"]["type"], "layers");
  EXPECT_EQ(c["rootfs"]["diff_ids"], nlohmann::json::array({layer["digest"]}));
  // A second signature is appended to the same manifest (as cosign does), the first kept.
  ct::RunResult s2 = Customs({"sign", "--key", keys_->Join("b.key"), Host() + "/layout:v1"});
  ASSERT_EQ(s2.exit_code, 0) << s2.Describe();
  auto m2 = ct::ParseJson(GetManifest("layout", SigTag(digest)));
  ASSERT_EQ(m2["layers"].size(), 2u);
  EXPECT_EQ(m2["layers"][0], layer);
  EXPECT_EQ(ct::ParseJson(GetBlob("layout", m2["config"]["digest"]))["rootfs"]["diff_ids"].size(), 2u);
  // Either key now verifies.
  EXPECT_EQ(Customs({"verify", "--key", PubA(), Host() + "/layout:v1"}).exit_code, 0);
  EXPECT_EQ(Customs({"verify", "--key", PubB(), Host() + "/layout:v1"}).exit_code, 0);
}

TEST_F(SigningTest, VerifyWithAnotherKeyFails) {
  PushImage("other key", "otherkey:v1");
  ASSERT_EQ(Customs({"sign", "--key", KeyA(), Host() + "/otherkey:v1"}).exit_code, 0);
  ct::RunResult v = Customs({"verify", "--key", PubB(), Host() + "/otherkey:v1"});
  EXPECT_EQ(v.exit_code, kWrongKey) << v.Describe();
  EXPECT_NE(v.err.find("signed with another key"), std::string::npos) << v.err;
  EXPECT_EQ(v.out, "") << "nothing printed as verified";
}

TEST_F(SigningTest, MovedTagFails) {
  const std::string a = PushImage("image A", "moved:v1");
  ASSERT_EQ(Customs({"sign", "--key", KeyA(), Host() + "/moved:v1"}).exit_code, 0);
  const std::string b = PushImage("image B", "moved:v1");  // the tag now names another image
  ASSERT_NE(a, b);
  ct::RunResult v = Customs({"verify", "--key", PubA(), Host() + "/moved:v1"});
  EXPECT_EQ(v.exit_code, kNoSignature) << v.Describe();
  EXPECT_NE(v.err.find("no signatures found"), std::string::npos) << v.err;
  EXPECT_NE(v.err.find(b), std::string::npos) << "names the digest the tag resolves to now: " << v.err;
  // The old signature replayed for the new image: valid signature, wrong digest.
  PutManifest("moved", SigTag(b), GetManifest("moved", SigTag(a)));
  ct::RunResult replay = Customs({"verify", "--key", PubA(), Host() + "/moved:v1"});
  EXPECT_EQ(replay.exit_code, kDigestMismatch) << replay.Describe();
  EXPECT_NE(replay.err.find("for the image " + a), std::string::npos) << replay.err;
  // The signed image itself still verifies by digest.
  EXPECT_EQ(Customs({"verify", "--key", PubA(), Host() + "/moved@" + a}).exit_code, 0);
}

TEST_F(SigningTest, ChangedPayloadFails) {
  const std::string digest = PushImage("tamper", "tamper:v1");
  ASSERT_EQ(Customs({"sign", "--key", KeyA(), Host() + "/tamper:v1"}).exit_code, 0);
  const std::string original = GetManifest("tamper", SigTag(digest));
  auto m = ct::ParseJson(original);
  const std::string payload = GetBlob("tamper", m["layers"][0]["digest"]);
  // A modified payload (an annotation added) pushed with a manifest that points at it, old signature kept.
  auto p = ct::ParseJson(payload);
  p["optional"] = {{"approved", "yes"}};
  const std::string changed = p.dump();
  auto tampered = m;
  tampered["layers"][0]["digest"] = PutBlob("tamper", changed);
  tampered["layers"][0]["size"] = changed.size();
  PutManifest("tamper", SigTag(digest), tampered.dump());
  ct::RunResult v = Customs({"verify", "--key", PubA(), Host() + "/tamper:v1"});
  EXPECT_EQ(v.exit_code, kTampered) << v.Describe();
  EXPECT_NE(v.err.find("changed afterwards"), std::string::npos) << v.err;
  // Without customs' key hint (a cosign-made signature) the same change reads as "no signature verifies".
  auto no_hint = tampered;
  no_hint["layers"][0]["annotations"].erase("dev.customs.signing/key-sha256");
  PutManifest("tamper", SigTag(digest), no_hint.dump());
  ct::RunResult v2 = Customs({"verify", "--key", PubA(), Host() + "/tamper:v1"});
  EXPECT_EQ(v2.exit_code, kWrongKey) << v2.Describe();
  EXPECT_NE(v2.err.find("changed after signing"), std::string::npos) << v2.err;
  // A payload that is not a simple-signing payload at all.
  auto garbage = m;
  const std::string junk = "{\"critical\":{\"image\":{}}}";
  garbage["layers"][0]["digest"] = PutBlob("tamper", junk);
  garbage["layers"][0]["size"] = junk.size();
  PutManifest("tamper", SigTag(digest), garbage.dump());
  ct::RunResult v3 = Customs({"verify", "--key", PubA(), Host() + "/tamper:v1"});
  EXPECT_EQ(v3.exit_code, kTampered) << v3.Describe();
  EXPECT_NE(v3.err.find("docker-manifest-digest"), std::string::npos) << v3.err;
  // A layer whose declared size is not its blob's.
  auto bad_size = m;
  bad_size["layers"][0]["size"] = payload.size() + 1;
  PutManifest("tamper", SigTag(digest), bad_size.dump());
  ct::RunResult v4 = Customs({"verify", "--key", PubA(), Host() + "/tamper:v1"});
  EXPECT_EQ(v4.exit_code, kTampered) << v4.Describe();
  // The payload's bytes altered in the registry's storage: the blob no longer matches its digest.
  PutManifest("tamper", SigTag(digest), original);
  ASSERT_EQ(Customs({"verify", "--key", PubA(), Host() + "/tamper:v1"}).exit_code, 0);
  const std::string data_path = registry_->BlobDataPath(m["layers"][0]["digest"]);
  ASSERT_TRUE(ct::PathExists(data_path)) << data_path;
  std::string altered = payload;
  altered[altered.find("cosign")] = 'C';
  ct::WriteFile(data_path, altered);
  ct::RunResult v5 = Customs({"verify", "--key", PubA(), Host() + "/tamper:v1"});
  EXPECT_EQ(v5.exit_code, kTampered) << v5.Describe();
  ct::WriteFile(data_path, payload);
}

TEST_F(SigningTest, UnsignedImageHasNoSignature) {
  const std::string digest = PushImage("never signed", "unsigned:v1");
  ct::RunResult v = Customs({"verify", "--key", PubA(), Host() + "/unsigned:v1"});
  EXPECT_EQ(v.exit_code, kNoSignature) << v.Describe();
  EXPECT_NE(v.err.find(SigTag(digest)), std::string::npos) << v.err;
  ct::RunResult va = Customs({"verify-attestation", "--key", PubA(), Host() + "/unsigned:v1"});
  EXPECT_EQ(va.exit_code, kNoSignature) << va.Describe();
}

TEST_F(SigningTest, UnreachableRegistry) {
  std::string why;
  auto reg = ct::TestRegistry::Start(ct::TestRegistry::Mode::kPlain, &why);
  ASSERT_TRUE(reg) << why;
  const std::string host = reg->host();
  {
    ct::TempDir d;
    ct::Layer layer = ct::MakeLayer(d / "layers", {TarEntry::File("x", "short-lived")}, ct::Compression::kGzip);
    ct::WriteOciLayout(d / "layout", {layer});
    reg->Push("oci:" + d.Join("layout") + ":latest", "gone:v1");
  }
  ct::RunOptions o;
  o.env = {std::string("CUSTOMS_PASSWORD=") + kKeyPassword};
  ASSERT_EQ(ct::RunCustoms({"sign", "--key", KeyA(), host + "/gone:v1", "--insecure", host}, o).exit_code, 0);
  reg.reset();  // stopped
  ct::RunResult v = ct::RunCustoms({"verify", "--key", PubA(), host + "/gone:v1", "--insecure", host}, o);
  EXPECT_EQ(v.exit_code, kUnreachable) << v.Describe();
  EXPECT_NE(v.err.find("unreachable"), std::string::npos) << v.err;
  ct::RunResult s = ct::RunCustoms({"sign", "--key", KeyA(), host + "/gone:v1", "--insecure", host}, o);
  EXPECT_EQ(s.exit_code, kUnreachable) << s.Describe();
}

// SIGNATURE_SPEC.md: signatures live in the image's repository (tag-based discovery), and cosign ignores
// critical.identity.docker-reference. An image copied to another repository has no signature there until
// its .sig tag is copied along; then it verifies, although the payload names the first repository.
TEST_F(SigningTest, AcrossRepositories) {
  const std::string digest = PushImage("two repositories", "origin/app:v1");
  ASSERT_EQ(Customs({"sign", "--key", KeyA(), Host() + "/origin/app:v1"}).exit_code, 0);
  CopyInRegistry("origin/app:v1", "mirror/app:v1");
  ASSERT_EQ(ct::Sha256Digest(GetManifest("mirror/app", "v1")), digest) << "skopeo kept the manifest";
  ct::RunResult before = Customs({"verify", "--key", PubA(), Host() + "/mirror/app:v1"});
  EXPECT_EQ(before.exit_code, kNoSignature) << before.Describe();
  CopyInRegistry("origin/app:" + SigTag(digest), "mirror/app:" + SigTag(digest));
  ct::RunResult after = Customs({"verify", "--key", PubA(), Host() + "/mirror/app:v1"});
  ASSERT_EQ(after.exit_code, 0) << after.Describe();
  EXPECT_EQ(ct::ParseJson(after.out)["critical"]["identity"]["docker-reference"], Host() + "/origin/app");
  // Signing in the mirror adds a signature there and leaves the origin's alone.
  ASSERT_EQ(Customs({"sign", "--key", keys_->Join("b.key"), Host() + "/mirror/app:v1"}).exit_code, 0);
  EXPECT_EQ(ct::ParseJson(GetManifest("mirror/app", SigTag(digest)))["layers"].size(), 2u);
  EXPECT_EQ(ct::ParseJson(GetManifest("origin/app", SigTag(digest)))["layers"].size(), 1u);
  EXPECT_EQ(Customs({"verify", "--key", PubB(), Host() + "/origin/app:v1"}).exit_code, kWrongKey);
}

TEST_F(SigningTest, AttestThenVerifyAttestation) {
  ct::TempDir d;
  const auto alpines = ct::AlpineMinirootfsFiles();
  ASSERT_FALSE(alpines.empty()) << "no Alpine minirootfs under " << ct::SharedDir() << "/images";
  const ct::AlpineRootfsFile& alpine = alpines.front();
  ct::Layer layer = ct::MakeLayer(d / "layers", ct::ReadTarEntries(alpine.path), ct::Compression::kGzip);
  ct::WriteOciLayout(d / "layout", {layer});
  registry_->Push("oci:" + d.Join("layout") + ":latest", "attested:v1");
  const std::string digest = ct::Sha256Digest(GetManifest("attested", "v1"));
  // The predicate: customs' own SBOM of the registry image (pulled by the digest being attested).
  ct::RunResult a = Customs({"attest", "--key", KeyA(), "--type", "cyclonedx", "--cache-dir", d / "cache",
                             Host() + "/attested:v1"});
  ASSERT_EQ(a.exit_code, 0) << a.Describe();
  EXPECT_EQ(a.out, Host() + "/attested@" + digest + "\n");
  // The .att manifest: a DSSE layer with cosign's annotations.
  auto m = ct::ParseJson(GetManifest("attested", AttTag(digest)));
  ASSERT_EQ(m["layers"].size(), 1u) << m.dump();
  const auto& layer0 = m["layers"][0];
  EXPECT_EQ(m["mediaType"], "application/vnd.oci.image.manifest.v1+json");
  EXPECT_EQ(layer0["mediaType"], "application/vnd.dsse.envelope.v1+json");
  EXPECT_EQ(layer0["annotations"]["predicateType"], "https://cyclonedx.org/bom");
  EXPECT_EQ(layer0["annotations"]["dev.cosignproject.cosign/signature"], "");
  auto env = ct::ParseJson(GetBlob("attested", layer0["digest"]));
  EXPECT_EQ(env["payloadType"], "application/vnd.in-toto+json");
  ASSERT_EQ(env["signatures"].size(), 1u);
  // verify-attestation prints the envelope, or with --print-predicate the SBOM.
  ct::RunResult v = Customs({"verify-attestation", "--key", PubA(), "--type", "cyclonedx", Host() + "/attested:v1"});
  ASSERT_EQ(v.exit_code, 0) << v.Describe();
  EXPECT_EQ(ct::ParseJson(v.out)["payloadType"], "application/vnd.in-toto+json");
  ct::RunResult pp = Customs({"verify-attestation", "--key", PubA(), "--type", "cyclonedx", "--print-predicate",
                              Host() + "/attested:v1"});
  ASSERT_EQ(pp.exit_code, 0) << pp.Describe();
  auto bom = ct::ParseJson(pp.out);
  EXPECT_EQ(bom["bomFormat"], "CycloneDX") << pp.out;
  bool has_musl = false;
  for (const auto& c : bom["components"]) has_musl = has_musl || c["name"] == "musl";
  EXPECT_TRUE(has_musl) << "the SBOM lists the image's packages";
  // The statement's subject is the image.
  ct::RunResult st = ct::Run({"/usr/bin/python3", "-c",
                              "import sys,json,base64; e=json.load(sys.stdin); s=json.loads(base64.b64decode(e['payload']));"
                              "print(s['_type'], s['predicateType'], s['subject'][0]['name'], s['subject'][0]['digest']['sha256'])"},
                             v.out);
  EXPECT_EQ(st.out, "https://in-toto.io/Statement/v0.1 https://cyclonedx.org/bom " + Host() + "/attested " +
                        digest.substr(7) + "\n")
      << st.Describe();
  // Another key, another type: fail closed.
  EXPECT_EQ(Customs({"verify-attestation", "--key", PubB(), Host() + "/attested:v1"}).exit_code, kWrongKey);
  EXPECT_EQ(Customs({"verify-attestation", "--key", PubA(), "--type", "customs-scan", Host() + "/attested:v1"}).exit_code,
            kNoSignature);
  // The scan report of the image's archive (--input), as a customs-scan attestation next to the SBOM.
  ct::RunResult cs = Customs({"attest", "--key", KeyA(), "--type", "customs-scan", "--input", d / "layout",
                              Host() + "/attested:v1"});
  ASSERT_EQ(cs.exit_code, 0) << cs.Describe();
  ct::RunResult csv = Customs({"verify-attestation", "--key", PubA(), "--type", "customs-scan", "--print-predicate",
                               Host() + "/attested:v1"});
  ASSERT_EQ(csv.exit_code, 0) << csv.Describe();
  EXPECT_TRUE(ct::ParseJson(csv.out).is_object()) << csv.out;
  EXPECT_EQ(ct::ParseJson(GetManifest("attested", AttTag(digest)))["layers"].size(), 2u);
  // A predicate from a file, with a type URI.
  ct::WriteFile(d / "pred.json", "{\"reviewed\":true}");
  ASSERT_EQ(Customs({"attest", "--key", KeyA(), "--type", "https://example.com/review/v1", "--predicate",
                     d / "pred.json", Host() + "/attested:v1"})
                .exit_code,
            0);
  ct::RunResult rv = Customs({"verify-attestation", "--key", PubA(), "--type", "https://example.com/review/v1",
                              "--print-predicate", Host() + "/attested:v1"});
  ASSERT_EQ(rv.exit_code, 0) << rv.Describe();
  EXPECT_EQ(rv.out, "{\"reviewed\":true}\n");
}

TEST_F(SigningTest, KeyWrittenByPythonOracleSignsForCustoms) {
  ct::TempDir d;
  ct::RunOptions o;
  o.env = {"ORACLE_PASSWORD=oracle-pass"};
  ct::RunResult w = ct::Run({"/usr/bin/python3", Oracle(), "write-key", d / "py"}, o);
  ASSERT_EQ(w.exit_code, 0) << w.Describe();
  PushImage("oracle key", "oracle:v1");
  ct::RunResult s = Customs({"sign", "--key", d / "py.key", Host() + "/oracle:v1"}, {"CUSTOMS_PASSWORD=oracle-pass"});
  ASSERT_EQ(s.exit_code, 0) << s.Describe();
  EXPECT_EQ(Customs({"verify", "--key", d / "py.pub", Host() + "/oracle:v1"}).exit_code, 0);
}

TEST_F(SigningTest, PasswordsStayOutOfOutputAndWrongPasswordFailsCleanly) {
  PushImage("password", "pw:v1");
  ct::RunResult s = Customs({"sign", "--key", KeyA(), Host() + "/pw:v1", "--debug"});
  ASSERT_EQ(s.exit_code, 0) << s.Describe();
  EXPECT_EQ(s.out.find(kKeyPassword), std::string::npos);
  EXPECT_EQ(s.err.find(kKeyPassword), std::string::npos);
  ct::RunOptions o;
  o.env = {"CUSTOMS_PASSWORD=not-the-password"};
  ct::RunResult bad = ct::RunCustoms({"sign", "--key", KeyA(), Host() + "/pw:v1", "--insecure", Host(), "--debug"}, o);
  EXPECT_EQ(bad.exit_code, kBadPassword) << bad.Describe();
  EXPECT_NE(bad.err.find("wrong password"), std::string::npos) << bad.err;
  EXPECT_EQ(bad.err.find("not-the-password"), std::string::npos) << bad.err;
  // COSIGN_PASSWORD is read as cosign reads it.
  ct::RunOptions c;
  c.env = {std::string("COSIGN_PASSWORD=") + kKeyPassword};
  EXPECT_EQ(ct::RunCustoms({"sign", "--key", KeyA(), Host() + "/pw:v1", "--insecure", Host()}, c).exit_code, 0);
  // No variable and no terminal (a new session has no controlling terminal): a clear usage error.
  ct::RunResult none = ct::Run({"env", "-u", "CUSTOMS_PASSWORD", "-u", "COSIGN_PASSWORD", "setsid", "-w",
                                ct::CustomsBin(), "sign", "--key", KeyA(), Host() + "/pw:v1", "--insecure", Host()});
  EXPECT_EQ(none.exit_code, 2) << none.Describe();
  EXPECT_NE(none.err.find("CUSTOMS_PASSWORD"), std::string::npos) << none.err;
}

TEST(SigningKeyGenerate, WritesCosignFormatAndRefusesToOverwrite) {
  ct::TempDir d;
  ct::RunOptions o;
  o.cwd = d.path();
  o.env = {"CUSTOMS_PASSWORD=gen-pass"};
  ct::RunResult g = ct::RunCustoms({"key", "generate"}, o);
  ASSERT_EQ(g.exit_code, 0) << g.Describe();
  const std::string key = ct::ReadFile(d / "cosign.key");
  EXPECT_EQ(key.rfind("-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n", 0), 0u) << key;
  EXPECT_EQ(ct::ReadFile(d / "cosign.pub").rfind("-----BEGIN PUBLIC KEY-----\n", 0), 0u);
  struct stat st;
  ASSERT_EQ(::stat((d / "cosign.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  // The oracle decrypts it and finds the public key customs wrote.
  ct::RunOptions po;
  po.env = {"ORACLE_PASSWORD=gen-pass"};
  ct::RunResult r = ct::Run({"/usr/bin/python3", Oracle(), "read-key", d / "cosign.key"}, po);
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  EXPECT_EQ(r.out, ct::ReadFile(d / "cosign.pub"));
  ct::RunResult again = ct::RunCustoms({"key", "generate"}, o);
  EXPECT_EQ(again.exit_code, 2) << again.Describe();
  EXPECT_NE(again.err.find("exists"), std::string::npos) << again.err;
  EXPECT_EQ(ct::ReadFile(d / "cosign.key"), key) << "overwritten";
}

}  // namespace

namespace {

// The same flow over TLS with a private CA and basic auth: --cacert and --username with
// CUSTOMS_REGISTRY_PASSWORD reach registry::ClientOptions; neither password shows in the output.
TEST(SigningTls, SignAndVerifyWithCaAndCredentials) {
  std::string why;
  auto reg = ct::TestRegistry::Start(ct::TestRegistry::Mode::kTlsAuth, &why);
  if (!reg) GTEST_SKIP() << "no TLS registry: " << why;
  ct::TempDir d;
  ct::Layer layer = ct::MakeLayer(d / "layers", {TarEntry::File("tls", "over tls")}, ct::Compression::kGzip);
  ct::WriteOciLayout(d / "layout", {layer});
  reg->Push("oci:" + d.Join("layout") + ":latest", "secure/app:v1");
  ct::RunOptions o;
  o.cwd = d.path();
  o.env = {"CUSTOMS_PASSWORD=tls-key-pass", "CUSTOMS_REGISTRY_PASSWORD=" + reg->password(),
           "DOCKER_CONFIG=" + d.Join("no-docker-config")};
  ASSERT_EQ(ct::RunCustoms({"key", "generate"}, o).exit_code, 0);
  const std::string image = reg->host() + "/secure/app:v1";
  ct::RunResult s = ct::RunCustoms({"sign", "--key", "cosign.key", image, "--cacert", reg->ca(), "--username",
                                    reg->username(), "--debug"}, o);
  ASSERT_EQ(s.exit_code, 0) << s.Describe();
  ct::RunResult v = ct::RunCustoms({"verify", "--key", "cosign.pub", image, "--cacert", reg->ca(), "--username",
                                    reg->username(), "--debug"}, o);
  ASSERT_EQ(v.exit_code, 0) << v.Describe();
  for (const auto* r : {&s, &v})
    for (const std::string& secret : {reg->password(), std::string("tls-key-pass")}) {
      EXPECT_EQ(r->out.find(secret), std::string::npos);
      EXPECT_EQ(r->err.find(secret), std::string::npos);
    }
  // Without the CA the registry's certificate is not trusted: verification does not pass.
  ct::RunResult untrusted = ct::RunCustoms({"verify", "--key", "cosign.pub", image, "--username", reg->username()}, o);
  EXPECT_EQ(untrusted.exit_code, kUnreachable) << untrusted.Describe();
  EXPECT_EQ(untrusted.out, "");
  // Without credentials the registry refuses.
  ct::RunOptions anon = o;
  anon.env = {"CUSTOMS_PASSWORD=tls-key-pass", "CUSTOMS_REGISTRY_PASSWORD=", "DOCKER_CONFIG=" + d.Join("none")};
  ct::RunResult refused = ct::RunCustoms({"verify", "--key", "cosign.pub", image, "--cacert", reg->ca()}, anon);
  EXPECT_EQ(refused.exit_code, 4) << refused.Describe();  // I/O: the registry refused
  EXPECT_NE(refused.err.find("refused the credentials"), std::string::npos) << refused.err;
  EXPECT_EQ(refused.out, "");
}

}  // namespace

namespace {

// No password variable: customs asks on its controlling terminal (a pseudo-terminal made by
// tests/support/signing_tty.py), twice for key generation, without echoing what is typed.
TEST(SigningPrompt, PasswordFromTheTerminal) {
  ct::TempDir d;
  auto on_tty = [&](const std::string& answers, std::vector<std::string> args) {
    std::vector<std::string> argv = {"env", "-u", "CUSTOMS_PASSWORD", "-u", "COSIGN_PASSWORD", "/usr/bin/python3",
                                     ct::SourceDir() + "/tests/support/signing_tty.py", answers, "--", ct::CustomsBin()};
    argv.insert(argv.end(), args.begin(), args.end());
    ct::RunOptions o;
    o.cwd = d.path();
    o.timeout_seconds = 120;
    return ct::Run(argv, o);
  };
  ct::RunResult g = on_tty("typed-Pass-9,typed-Pass-9", {"key", "generate"});
  ASSERT_EQ(g.exit_code, 0) << g.Describe();
  EXPECT_NE(g.out.find("Enter password for private key again"), std::string::npos) << g.out;
  EXPECT_EQ(g.out.find("typed-Pass-9"), std::string::npos) << "echoed: " << g.out;
  ct::RunOptions po;
  po.env = {"ORACLE_PASSWORD=typed-Pass-9"};
  ct::RunResult r = ct::Run({"/usr/bin/python3", ct::SourceDir() + "/tests/support/signing_oracle.py", "read-key",
                             d / "cosign.key"}, po);
  EXPECT_EQ(r.exit_code, 0) << r.Describe();
  ct::RunResult mismatch = on_tty("one-Pass,other-Pass", {"key", "generate", "--output-key-prefix", "m"});
  EXPECT_EQ(mismatch.exit_code, 2) << mismatch.Describe();
  EXPECT_NE(mismatch.out.find("differ"), std::string::npos) << mismatch.out;
  EXPECT_FALSE(ct::PathExists(d / "m.key"));
  // A wrong password typed at the prompt: exit 25 before any registry is contacted.
  ct::RunResult wrong = on_tty("not-it", {"sign", "--key", "cosign.key", "127.0.0.1:9/none:v1"});
  EXPECT_EQ(wrong.exit_code, 25) << wrong.Describe();
  EXPECT_NE(wrong.out.find("wrong password"), std::string::npos) << wrong.out;
}

}  // namespace
