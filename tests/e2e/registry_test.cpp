// `customs image REF` against a real registry (Debian's docker-registry, started by
// scripts/registry.sh), images pushed with skopeo: the report equals the archive's, the layer cache
// downloads only new layers, TLS + basic auth with login, --require-digest, tampered blobs.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>

#include "core/sha256.h"
#include "registry/client.h"
#include "support/fixtures.h"
#include "support/registry_fixture.h"
#include "support/scenarios.h"

namespace ct = customs_test;

namespace {

const char* kVersion = "3.9.6";

ct::AlpineRootfsFile FindRootfs(const std::string& version) {
  for (const auto& f : ct::AlpineMinirootfsFiles())
    if (f.version == version) return f;
  return {};
}

// Replaces every occurrence of `from` in the JSON text.
std::string ReplaceAll(std::string s, const std::string& from, const std::string& to) {
  if (from.empty()) return s;
  for (size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size())) s.replace(p, from.size(), to);
  return s;
}

// The report without what names the artifact (its name, tags, digests), which differ by design.
nlohmann::json Comparable(nlohmann::json report) {
  const std::string name = report["artifact"]["name"].get<std::string>();
  for (const char* k : {"name", "repoTags", "repoDigests", "manifestDigest"}) report["artifact"].erase(k);
  return nlohmann::json::parse(ReplaceAll(report.dump(), name, "<artifact>"));
}

// "registry: downloaded N of M layers" from --debug output; {-1,-1} when absent.
std::pair<int, int> DownloadCount(const std::string& err) {
  std::smatch m;
  static const std::regex re("registry: downloaded ([0-9]+) of ([0-9]+) layers");
  if (!std::regex_search(err, m, re)) return {-1, -1};
  return {std::stoi(m[1]), std::stoi(m[2])};
}

// Access-log lines of GET requests for blob `digest` in repository `repo`.
int BlobGets(const std::string& log, const std::string& repo, const std::string& digest) {
  std::string text = ct::ReadFile(log);
  const std::string needle = "\"GET /v2/" + repo + "/blobs/" + digest + " ";
  int n = 0;
  for (size_t p = text.find(needle); p != std::string::npos; p = text.find(needle, p + 1)) ++n;
  return n;
}

struct Images {
  ct::TempDir dir{"customs-registry-e2e"};
  std::string alpine_tar;   // OCI layout tar of alpine 3.9.6 (two layers)
  std::string sibling_tar;  // the same base layer plus one new layer
  ct::ImageInfo alpine, sibling;
};

std::unique_ptr<Images> BuildImages() {
  auto im = std::make_unique<Images>();
  ct::AlpineRootfsFile rootfs = FindRootfs(kVersion);
  if (rootfs.path.empty()) throw std::runtime_error("alpine-minirootfs-3.9.6-x86_64.tar.gz missing from ../shared/images");
  ct::AlpineTwoLayer s = ct::PrepareAlpineTwoLayer(rootfs);
  ct::Layer base = ct::MakeLayer(im->dir / "layers", s.layer0, ct::Compression::kGzip,
                                 "ADD alpine-minirootfs-3.9.6-x86_64.tar.gz / # buildkit");
  ct::Layer top = ct::MakeLayer(im->dir / "layers", s.layer1, ct::Compression::kGzip,
                                "RUN /bin/sh -c apk del " + s.deleted_package + " # buildkit");
  ct::Layer extra = ct::MakeLayer(im->dir / "layers", {ct::TarEntry::File("etc/sibling.txt", "a sibling image\n")},
                                  ct::Compression::kGzip, "COPY sibling.txt /etc/ # buildkit");
  im->alpine_tar = im->dir / "alpine.tar";
  im->sibling_tar = im->dir / "sibling.tar";
  im->alpine = ct::WriteOciLayout(im->alpine_tar, {base, top});
  im->sibling = ct::WriteOciLayout(im->sibling_tar, {base, extra});
  return im;
}

class RegistryE2E : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::string reason;
    plain_ = ct::TestRegistry::Start(ct::TestRegistry::Mode::kPlain, &reason).release();
    if (!plain_) {
      skip_ = "docker-registry is not available: " + reason;
      return;
    }
    images_ = BuildImages().release();
    plain_->Push("oci-archive:" + images_->alpine_tar, "alpine:3.9.6");
    plain_->Push("oci-archive:" + images_->sibling_tar, "alpine-sibling:1");
  }
  static void TearDownTestSuite() {
    delete plain_;
    delete images_;
    plain_ = nullptr;
    images_ = nullptr;
  }
  void SetUp() override {
    if (!skip_.empty()) GTEST_SKIP() << skip_;
  }

  static ct::RunOptions Env() {
    ct::RunOptions o;
    o.env = {"CUSTOMS_FIXED_TIME=2026-01-01T00:00:00Z"};
    return o;
  }

  static inline ct::TestRegistry* plain_ = nullptr;
  static inline Images* images_ = nullptr;
  static inline std::string skip_;
};

TEST_F(RegistryE2E, SameReportAsTheArchiveAndTheSiblingDownloadsOnlyItsNewLayer) {
  ct::TempDir cache("customs-layer-cache");
  const std::string host = plain_->host();
  ct::JsonRun archive = ct::RunCustomsJson({"image", "--input", images_->alpine_tar}, Env());
  ASSERT_EQ(archive.run.exit_code, 0) << archive.run.Describe();

  ct::JsonRun pulled = ct::RunCustomsJson(
      {"image", host + "/alpine:3.9.6", "--insecure", host, "--cache-dir", cache.path(), "--debug"}, Env());
  ASSERT_EQ(pulled.run.exit_code, 0) << pulled.run.Describe();
  ASSERT_TRUE(pulled.report.is_object()) << pulled.parse_error;
  EXPECT_EQ(DownloadCount(pulled.run.err), std::make_pair(2, 2)) << pulled.run.err;

  // Same report, modulo the artifact's names.
  EXPECT_EQ(Comparable(pulled.report).dump(1), Comparable(archive.report).dump(1));
  EXPECT_FALSE(ct::ReportNameVersions(pulled.report, "apk").empty());

  // The resolved digest is the digest of the manifest the registry serves for the tag.
  ct::RunResult raw = ct::Run({"skopeo", "--insecure-policy", "inspect", "--raw", "--tls-verify=false",
                               "docker://" + host + "/alpine:3.9.6"});
  ASSERT_EQ(raw.exit_code, 0) << raw.Describe();
  const std::string digest = ct::Sha256Digest(raw.out);
  const auto& art = pulled.report["artifact"];
  ASSERT_EQ(art["repoDigests"].size(), 1u) << art.dump();
  EXPECT_EQ(art["repoDigests"][0], host + "/alpine@" + digest);
  EXPECT_EQ(art["manifestDigest"], digest);
  EXPECT_EQ(art["name"], host + "/alpine:3.9.6@" + digest);
  EXPECT_EQ(art["repoTags"], nlohmann::json::array({host + "/alpine:3.9.6"}));
  EXPECT_EQ(art["imageId"], images_->alpine.config_digest);

  // The table report's header names the digest too.
  ct::RunResult table = ct::RunCustoms(
      {"image", host + "/alpine:3.9.6", "--insecure", host, "--cache-dir", cache.path(), "-f", "table"}, Env());
  ASSERT_EQ(table.exit_code, 0) << table.Describe();
  EXPECT_NE(table.out.find(digest), std::string::npos) << table.out.substr(0, 400);

  // The sibling shares the base layer: only its new layer is downloaded.
  ct::JsonRun sib = ct::RunCustomsJson(
      {"image", host + "/alpine-sibling:1", "--insecure", host, "--cache-dir", cache.path(), "--debug"}, Env());
  ASSERT_EQ(sib.run.exit_code, 0) << sib.run.Describe();
  EXPECT_EQ(DownloadCount(sib.run.err), std::make_pair(1, 2)) << sib.run.err;
  // The registry's own access log agrees: the base layer was never fetched from the sibling's repository.
  EXPECT_EQ(BlobGets(plain_->log(), "alpine-sibling", images_->sibling.layer_digests[0]), 0);
  EXPECT_EQ(BlobGets(plain_->log(), "alpine-sibling", images_->sibling.layer_digests[1]), 1);
  ASSERT_TRUE(sib.report.is_object());
  EXPECT_EQ(sib.report["layers"].size(), 2u);

  // A second scan downloads nothing; `customs clean` empties the cache, after which all is fetched again.
  ct::RunResult again = ct::RunCustoms(
      {"image", host + "/alpine:3.9.6", "--insecure", host, "--cache-dir", cache.path(), "--debug", "-f", "json"},
      Env());
  EXPECT_EQ(DownloadCount(again.err), std::make_pair(0, 2)) << again.err;
  ct::RunResult clean = ct::RunCustoms({"clean", "--cache-dir", cache.path()});
  ASSERT_EQ(clean.exit_code, 0) << clean.Describe();
  EXPECT_NE(clean.out.find("removed 3 cached layers"), std::string::npos) << clean.out;
  ct::RunResult after = ct::RunCustoms(
      {"image", host + "/alpine:3.9.6", "--insecure", host, "--cache-dir", cache.path(), "--debug", "-f", "json"},
      Env());
  EXPECT_EQ(DownloadCount(after.err), std::make_pair(2, 2)) << after.err;
}

TEST_F(RegistryE2E, PlainHttpOnlyForRegistriesNamedInsecure) {
  ct::TempDir cache("customs-layer-cache");
  ct::RunResult r = ct::RunCustoms({"image", plain_->host() + "/alpine:3.9.6", "--cache-dir", cache.path(), "-q"});
  EXPECT_EQ(r.exit_code, 4) << r.Describe();  // https to a plain-HTTP server: unreachable
  ASSERT_EQ(ct::ErrorLines(r.err).size(), 1u) << r.err;
  ct::RunResult missing = ct::RunCustoms(
      {"image", plain_->host() + "/no-such-image:1", "--insecure", plain_->host(), "--cache-dir", cache.path(), "-q"});
  EXPECT_EQ(missing.exit_code, 4) << missing.Describe();
  EXPECT_NE(missing.err.find("manifest unknown"), std::string::npos) << missing.err;
}

TEST_F(RegistryE2E, RequireDigestRefusesTagsAndAcceptsDigests) {
  ct::TempDir cache("customs-layer-cache");
  const std::string host = plain_->host();
  ct::RunResult tag = ct::RunCustoms({"image", host + "/alpine:3.9.6", "--insecure", host, "--require-digest"});
  EXPECT_EQ(tag.exit_code, 2) << tag.Describe();
  EXPECT_NE(tag.err.find("--require-digest"), std::string::npos) << tag.err;
  EXPECT_NE(tag.err.find("names a tag"), std::string::npos) << tag.err;

  ct::RunResult raw = ct::Run({"skopeo", "--insecure-policy", "inspect", "--raw", "--tls-verify=false",
                               "docker://" + host + "/alpine:3.9.6"});
  ASSERT_EQ(raw.exit_code, 0) << raw.Describe();
  const std::string digest = ct::Sha256Digest(raw.out);
  ct::JsonRun pinned = ct::RunCustomsJson(
      {"image", host + "/alpine@" + digest, "--insecure", host, "--require-digest", "--cache-dir", cache.path()}, Env());
  ASSERT_EQ(pinned.run.exit_code, 0) << pinned.run.Describe();
  EXPECT_EQ(pinned.report["artifact"]["repoDigests"][0], host + "/alpine@" + digest);
  EXPECT_EQ(pinned.report["artifact"]["name"], host + "/alpine@" + digest);

  // A digest the registry does not have.
  const std::string other = "sha256:" + std::string(64, 'a');
  ct::RunResult absent = ct::RunCustoms(
      {"image", host + "/alpine@" + other, "--insecure", host, "--require-digest", "--cache-dir", cache.path()});
  EXPECT_EQ(absent.exit_code, 4) << absent.Describe();
}

TEST_F(RegistryE2E, MultiPlatformIndexPicksThePlatform) {
  ct::TempDir work("customs-multi");
  ct::OciImage amd, arm;
  amd.layers = {ct::MakeLayer(work / "layers", {ct::TarEntry::File("etc/arch", "amd64\n")}, ct::Compression::kGzip)};
  arm.layers = {ct::MakeLayer(work / "layers", {ct::TarEntry::File("etc/arch", "arm64\n")}, ct::Compression::kGzip)};
  arm.config.architecture = "arm64";
  arm.config.variant = "v8";
  ct::OciLayoutOptions lo;
  lo.nested_index = true;  // index.json -> image index -> manifests, as buildx writes
  ct::OciLayoutInfo info = ct::WriteOciLayout(work / "multi.tar", {amd, arm}, lo);
  // skopeo copies every image of an index only with --all.
  ct::RunResult push = ct::Run({"skopeo", "--insecure-policy", "copy", "--quiet", "--all", "--dest-tls-verify=false",
                                "oci-archive:" + (work / "multi.tar"), "docker://" + plain_->host() + "/multi:1"});
  ASSERT_EQ(push.exit_code, 0) << push.Describe();

  ct::TempDir cache("customs-layer-cache");
  const std::string host = plain_->host();
  auto scan = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = {"image", host + "/multi:1", "--insecure", host, "--cache-dir", cache.path(),
                                     "--scanners", "none"};
    args.insert(args.end(), extra.begin(), extra.end());
    return ct::RunCustomsJson(args, Env());
  };
  ct::JsonRun def = scan({});
  ASSERT_EQ(def.run.exit_code, 0) << def.run.Describe();
  EXPECT_EQ(def.report["artifact"]["imageId"], info.images[0].config_digest);
  EXPECT_EQ(def.report["artifact"]["manifestDigest"], info.images[0].manifest_digest);
  EXPECT_EQ(def.report["artifact"]["platform"]["architecture"], "amd64");
  ct::JsonRun a64 = scan({"--platform", "linux/arm64"});
  ASSERT_EQ(a64.run.exit_code, 0) << a64.run.Describe();
  EXPECT_EQ(a64.report["artifact"]["imageId"], info.images[1].config_digest);
  EXPECT_EQ(a64.report["artifact"]["platform"]["architecture"], "arm64");
  // Both pin the index: the digest the tag resolves to.
  EXPECT_EQ(def.report["artifact"]["repoDigests"], a64.report["artifact"]["repoDigests"]);
  ct::RunResult raw = ct::Run({"skopeo", "--insecure-policy", "inspect", "--raw", "--tls-verify=false",
                               "docker://" + host + "/multi:1"});
  ASSERT_EQ(raw.exit_code, 0) << raw.Describe();
  EXPECT_NE(raw.out.find("\"manifests\""), std::string::npos) << "the tag names an index";
  EXPECT_EQ(def.report["artifact"]["repoDigests"][0], host + "/multi@" + ct::Sha256Digest(raw.out));
  ct::JsonRun none = scan({"--platform", "linux/s390x", "-q"});
  EXPECT_EQ(none.run.exit_code, 3) << none.run.Describe();
  EXPECT_NE(none.run.err.find("no image for platform linux/s390x"), std::string::npos) << none.run.err;
  EXPECT_NE(none.run.err.find("linux/arm64/v8"), std::string::npos) << none.run.err;
}

TEST_F(RegistryE2E, TamperedBlobIsRejected) {
  // A repository of its own whose layer blob is then changed in the registry's storage (same size).
  ct::TempDir work("customs-tamper");
  ct::Layer layer = ct::MakeLayer(work / "layers", {ct::TarEntry::File("etc/tamper.txt", "original content\n")},
                                  ct::Compression::kGzip);
  ct::ImageInfo info = ct::WriteOciLayout(work / "img.tar", {layer});
  plain_->Push("oci-archive:" + (work / "img.tar"), "tamper:1");
  const std::string data = plain_->BlobDataPath(info.layer_digests[0]);
  std::string bytes = ct::ReadFile(data);
  ASSERT_GT(bytes.size(), 20u);
  bytes[bytes.size() / 2] ^= 0x55;
  ct::WriteFile(data, bytes);

  ct::TempDir cache("customs-layer-cache");
  const std::string host = plain_->host();
  ct::RunResult r = ct::RunCustoms({"image", host + "/tamper:1", "--insecure", host, "--cache-dir", cache.path(), "-q"});
  EXPECT_EQ(r.exit_code, 3) << r.Describe();
  EXPECT_NE(r.err.find("does not match its digest"), std::string::npos) << r.err;
  // Nothing unverified stays in the cache.
  EXPECT_FALSE(ct::PathExists(cache / ("blobs/sha256/" + info.layer_digests[0].substr(7))));
  ct::RunResult ls = ct::Run({"find", cache.path(), "-type", "f"});
  EXPECT_EQ(ls.out, "") << "leftover files in the cache";
}

// Both authentication schemes: Basic (htpasswd) and Bearer (the token flow against a token server).
class RegistryAuth : public testing::TestWithParam<ct::TestRegistry::Mode> {};

std::string ModeName(const testing::TestParamInfo<ct::TestRegistry::Mode>& info) {
  return info.param == ct::TestRegistry::Mode::kTlsAuth ? "basic" : "bearer";
}

TEST_P(RegistryAuth, CaCertAndLoginRequiredAndCredentialsNeverShown) {
  std::string reason;
  std::unique_ptr<ct::TestRegistry> reg = ct::TestRegistry::Start(GetParam(), &reason);
  if (!reg) GTEST_SKIP() << "docker-registry/htpasswd not available: " << reason;
  ct::TempDir work("customs-tls");
  ct::Layer layer = ct::MakeLayer(work / "layers", {ct::TarEntry::File("etc/hello.txt", "hello\n")},
                                  ct::Compression::kGzip);
  ct::ImageInfo info = ct::WriteOciLayout(work / "img.tar", {layer});
  reg->Push("oci-archive:" + (work / "img.tar"), "private/app:1.0");

  const std::string host = reg->host();
  const std::string ref = host + "/private/app:1.0";
  const std::string docker_config = work / "docker";
  ct::RunOptions env;
  env.env = {"DOCKER_CONFIG=" + docker_config, "CUSTOMS_REGISTRY_PASSWORD="};
  std::vector<ct::RunResult> runs;
  auto run = [&](std::vector<std::string> args, ct::RunOptions o) {
    runs.push_back(ct::RunCustoms(args, o));
    return runs.back();
  };
  const std::string cache = work / "cache";

  // No --cacert: the certificate is not trusted.
  ct::RunResult untrusted = run({"image", ref, "--cache-dir", cache, "-q"}, env);
  EXPECT_EQ(untrusted.exit_code, 4) << untrusted.Describe();
  EXPECT_NE(untrusted.err.find("certificate"), std::string::npos) << untrusted.err;

  // Trusted, but no credentials.
  ct::RunResult anonymous = run({"image", ref, "--cacert", reg->ca(), "--cache-dir", cache, "-q"}, env);
  EXPECT_EQ(anonymous.exit_code, 4) << anonymous.Describe();
  EXPECT_NE(anonymous.err.find("login"), std::string::npos) << anonymous.err;

  // A wrong password: login refuses it and writes nothing.
  ct::RunOptions wrong = env;
  wrong.stdin_data = "not-the-password\n";
  ct::RunResult bad_login =
      run({"registry", "login", host, "-u", reg->username(), "--password-stdin", "--cacert", reg->ca()}, wrong);
  EXPECT_EQ(bad_login.exit_code, 4) << bad_login.Describe();
  EXPECT_NE(bad_login.err.find("wrong username or password"), std::string::npos) << bad_login.err;
  EXPECT_FALSE(ct::PathExists(docker_config + "/config.json"));

  // Login with the right one: docker's config.json format.
  ct::RunOptions right = env;
  right.stdin_data = reg->password() + "\n";
  ct::RunResult login =
      run({"registry", "login", host, "-u", reg->username(), "--password-stdin", "--cacert", reg->ca()}, right);
  ASSERT_EQ(login.exit_code, 0) << login.Describe();
  nlohmann::json cfg = nlohmann::json::parse(ct::ReadFile(docker_config + "/config.json"));
  ASSERT_TRUE(cfg["auths"].contains(host)) << cfg.dump();
  ct::RunResult decoded = ct::Run({"base64", "-d"}, cfg["auths"][host]["auth"].get<std::string>());
  EXPECT_EQ(decoded.out, reg->username() + ":" + reg->password());

  // Now the scan works, with --debug on.
  ct::JsonRun scan = ct::RunCustomsJson({"image", ref, "--cacert", reg->ca(), "--cache-dir", cache, "--debug"}, env);
  runs.push_back(scan.run);
  ASSERT_EQ(scan.run.exit_code, 0) << scan.run.Describe();
  EXPECT_EQ(scan.report["artifact"]["imageId"], info.config_digest);
  for (const char* fmt : {"table", "cyclonedx", "spdx-json", "sarif"})
    run({"image", ref, "--cacert", reg->ca(), "--cache-dir", cache, "-f", fmt}, env);
  EXPECT_EQ(runs.back().exit_code, 0) << runs.back().Describe();

  // Explicit credentials instead of the config: --username with the password from the environment.
  ct::RunResult logout = run({"registry", "logout", host}, env);
  ASSERT_EQ(logout.exit_code, 0) << logout.Describe();
  EXPECT_FALSE(nlohmann::json::parse(ct::ReadFile(docker_config + "/config.json"))["auths"].contains(host));
  ct::RunOptions with_env = env;
  with_env.env.push_back("CUSTOMS_REGISTRY_PASSWORD=" + reg->password());
  ct::RunResult explicit_creds =
      run({"image", ref, "--cacert", reg->ca(), "--cache-dir", cache, "--username", reg->username(), "--debug"},
          with_env);
  EXPECT_EQ(explicit_creds.exit_code, 0) << explicit_creds.Describe();
  ct::RunOptions wrong_env = env;
  wrong_env.env.push_back("CUSTOMS_REGISTRY_PASSWORD=wrong-password");
  ct::RunResult wrong_creds = run(
      {"image", ref, "--cacert", reg->ca(), "--cache-dir", work / "cache2", "--username", reg->username(), "-q"},
      wrong_env);
  EXPECT_EQ(wrong_creds.exit_code, 4) << wrong_creds.Describe();
  EXPECT_NE(wrong_creds.err.find("wrong username or password"), std::string::npos) << wrong_creds.err;

  // The password appears in no output, debug logs included; nor does its base64 form.
  const std::string b64 = cfg["auths"][host]["auth"].get<std::string>();
  for (const auto& r : runs) {
    EXPECT_EQ(r.out.find(reg->password()), std::string::npos) << r.out.substr(0, 300);
    EXPECT_EQ(r.err.find(reg->password()), std::string::npos) << r.err.substr(0, 300);
    EXPECT_EQ(r.out.find(b64), std::string::npos);
    EXPECT_EQ(r.err.find(b64), std::string::npos);
  }
}

// The client API the signing commands use: blobs and manifests pushed and pulled through TLS and
// basic auth, digests checked.
TEST_P(RegistryAuth, ClientPushesAndPullsThroughTlsAndAuth) {
  std::string reason;
  std::unique_ptr<ct::TestRegistry> reg = ct::TestRegistry::Start(GetParam(), &reason);
  if (!reg) GTEST_SKIP() << "docker-registry/htpasswd not available: " << reason;
  namespace r = customs::registry;
  r::ClientOptions o;
  o.ca_file = reg->ca();
  o.username = reg->username();
  o.password = reg->password();
  o.docker_config = reg->dir() + "/no-config.json";
  r::Client client(o);
  const r::Reference repo = r::Reference::Parse(reg->host() + "/sig/app:v1");

  const std::string payload = R"({"critical":{"type":"test"}})";
  EXPECT_FALSE(client.HasBlob(repo, customs::Sha256::Of(payload)));
  const std::string blob = client.PutBlob(repo, payload);
  EXPECT_EQ(blob, customs::Sha256::Of(payload));
  EXPECT_TRUE(client.HasBlob(repo, blob));
  EXPECT_EQ(client.PutBlob(repo, payload), blob);  // already there: a no-op
  EXPECT_EQ(client.GetBlob(repo, blob), payload);
  EXPECT_THROW(client.GetBlob(repo, blob, 4), r::RegistryError);  // over max_bytes
  const std::string config = "{}";
  const std::string config_digest = client.PutBlob(repo, config);

  nlohmann::json m = {{"schemaVersion", 2},
                      {"mediaType", "application/vnd.oci.image.manifest.v1+json"},
                      {"config", {{"mediaType", "application/vnd.oci.empty.v1+json"}, {"digest", config_digest}, {"size", 2}}},
                      {"layers", nlohmann::json::array({{{"mediaType", "application/vnd.dev.cosign.simplesigning.v1+json"},
                                                         {"digest", blob},
                                                         {"size", payload.size()}}})}};
  const std::string body = m.dump();
  const std::string digest = client.PutManifest(repo, "application/vnd.oci.image.manifest.v1+json", body);
  EXPECT_EQ(digest, customs::Sha256::Of(body));
  r::Manifest got = client.GetManifest(repo);
  EXPECT_EQ(got.digest, digest);
  EXPECT_EQ(got.body, body);
  EXPECT_EQ(got.media_type, "application/vnd.oci.image.manifest.v1+json");
  EXPECT_EQ(client.GetManifest(repo.WithDigest(digest)).body, body);
  EXPECT_FALSE(client.FindManifest(repo.WithTag("absent")));
  try {
    client.GetManifest(repo.WithTag("absent"));
    ADD_FAILURE() << "no error";
  } catch (const r::RegistryError& e) {
    EXPECT_EQ(e.kind, r::RegistryError::Kind::kNotFound);
  }
  client.CheckLogin(reg->host());

  // Wrong credentials: kAuth, and the message does not carry the password.
  r::ClientOptions bad = o;
  bad.password = "wrong-" + reg->password();
  r::Client refused(bad);
  try {
    refused.GetManifest(repo);
    ADD_FAILURE() << "no error";
  } catch (const r::RegistryError& e) {
    EXPECT_EQ(e.kind, r::RegistryError::Kind::kAuth);
    EXPECT_EQ(std::string(e.what()).find(reg->password()), std::string::npos);
  }
  EXPECT_THROW(refused.CheckLogin(reg->host()), r::RegistryError);
  // No CA: unreachable (TLS verification).
  r::ClientOptions untrusted = o;
  untrusted.ca_file.clear();
  r::Client no_ca(untrusted);
  try {
    no_ca.HasBlob(repo, blob);
    ADD_FAILURE() << "no error";
  } catch (const r::RegistryError& e) {
    EXPECT_EQ(e.kind, r::RegistryError::Kind::kUnreachable);
    EXPECT_NE(std::string(e.what()).find("--cacert"), std::string::npos) << e.what();
  }
}

INSTANTIATE_TEST_SUITE_P(Schemes, RegistryAuth,
                         testing::Values(ct::TestRegistry::Mode::kTlsAuth, ct::TestRegistry::Mode::kTlsToken), ModeName);

TEST(RegistryCli, ExactlyOneOfReferenceAndInput) {
  ct::RunResult none = ct::RunCustoms({"image"});
  EXPECT_EQ(none.exit_code, 2) << none.Describe();
  ct::RunResult both = ct::RunCustoms({"image", "127.0.0.1:1/x:1", "--input", "/nonexistent"});
  EXPECT_EQ(both.exit_code, 2) << both.Describe();
  ct::RunResult bad = ct::RunCustoms({"image", "Invalid/Name:1"});
  EXPECT_EQ(bad.exit_code, 2) << bad.Describe();
  EXPECT_NE(bad.err.find("lowercase"), std::string::npos) << bad.err;
  // Nothing listens on port 1: unreachable, exit 4, one clear line.
  ct::RunResult down = ct::RunCustoms({"image", "127.0.0.1:1/x:1", "--insecure", "127.0.0.1:1", "-q"});
  EXPECT_EQ(down.exit_code, 4) << down.Describe();
  EXPECT_EQ(ct::ErrorLines(down.err).size(), 1u) << down.err;
}

// libcurl (and the twenty-odd libraries it brings) is loaded only by what talks HTTP: a local scan
// never maps it, a registry reference does. The dynamic loader says what it loads (LD_DEBUG=libs).
TEST(RegistryCli, LibcurlIsLoadedOnlyForHttp) {
  ct::TempDir dir;
  ct::WriteFile(dir / "tree/package-lock.json", R"({"name":"a","version":"1.0.0","lockfileVersion":3,"packages":{}})");
  ct::RunOptions opts;
  opts.env = {"LD_DEBUG=libs"};
  ct::RunResult local = ct::RunCustoms({"fs", dir / "tree", "-q", "-f", "json", "-o", dir / "out.json"}, opts);
  EXPECT_EQ(local.exit_code, 0) << local.Describe();
  EXPECT_NE(local.err.find("libc.so"), std::string::npos) << "LD_DEBUG had no effect: " << local.err.substr(0, 400);
  EXPECT_EQ(local.err.find("libcurl"), std::string::npos) << "a local scan loaded libcurl";
  ct::RunResult remote = ct::RunCustoms({"image", "127.0.0.1:1/x:1", "--insecure", "127.0.0.1:1", "-q"}, opts);
  EXPECT_EQ(remote.exit_code, 4) << remote.Describe();
  EXPECT_NE(remote.err.find("libcurl.so.4"), std::string::npos) << "a registry pull did not load libcurl";
}

}  // namespace
