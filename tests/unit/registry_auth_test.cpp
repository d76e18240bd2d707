// Credentials from docker's config.json `auths`, and login/logout writing it as docker does.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "registry/auth.h"
#include "support/fixtures.h"

namespace customs::registry {
namespace {

namespace ct = customs_test;

TEST(RegistryAuth, Base64RoundTrips) {
  for (const std::string& s : std::vector<std::string>{"", "a", "ab", "abc", "user:p@ss:word", std::string("\0\xff\x10", 3)}) {
    auto d = Base64Decode(Base64Encode(s));
    ASSERT_TRUE(d);
    EXPECT_EQ(*d, s);
  }
  EXPECT_EQ(Base64Encode("customs:secret"), "Y3VzdG9tczpzZWNyZXQ=");
  EXPECT_FALSE(Base64Decode("a$bc"));
  EXPECT_FALSE(Base64Decode("abcde"));
  EXPECT_EQ(BasicAuthorization({"customs", "secret"}), "Basic Y3VzdG9tczpzZWNyZXQ=");
}

TEST(RegistryAuth, ReadsDockerConfigAuths) {
  const std::string cfg = R"({
    "auths": {
      "https://index.docker.io/v1/": {"auth": "ZG9ja2VyOmh1Yg=="},
      "127.0.0.1:5000": {"auth": "Y3VzdG9tczpzZWNyZXQ="},
      "https://ghcr.io": {"username": "gh", "password": "token:with:colons"},
      "quay.io": {}
    },
    "credsStore": "desktop"
  })";
  auto hub = LookupDockerConfigText(cfg, "docker.io");
  ASSERT_TRUE(hub);
  EXPECT_EQ(hub->username, "docker");
  EXPECT_EQ(hub->password, "hub");
  auto local = LookupDockerConfigText(cfg, "127.0.0.1:5000");
  ASSERT_TRUE(local);
  EXPECT_EQ(local->username, "customs");
  EXPECT_EQ(local->password, "secret");
  auto gh = LookupDockerConfigText(cfg, "ghcr.io");
  ASSERT_TRUE(gh);
  EXPECT_EQ(gh->password, "token:with:colons");
  EXPECT_FALSE(LookupDockerConfigText(cfg, "quay.io"));
  EXPECT_FALSE(LookupDockerConfigText(cfg, "127.0.0.1:5001"));
  EXPECT_FALSE(LookupDockerConfigText("{}", "docker.io"));
}

TEST(RegistryAuth, BadConfigFailsWithoutShowingTheSecret) {
  EXPECT_THROW(LookupDockerConfigText("[1,2]", "x.io"), Error);
  EXPECT_THROW(LookupDockerConfigText("{", "x.io"), Error);
  try {
    // base64 of "nocolonsecret": no "user:password".
    LookupDockerConfigText(R"({"auths":{"x.io":{"auth":"bm9jb2xvbnNlY3JldA=="}}})", "x.io");
    ADD_FAILURE() << "accepted";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()).find("bm9jb2xvbnNlY3JldA"), std::string::npos) << e.what();
    EXPECT_EQ(std::string(e.what()).find("nocolonsecret"), std::string::npos) << e.what();
  }
}

TEST(RegistryAuth, StoreAndRemoveKeepOtherKeys) {
  ct::TempDir d;
  const std::string path = d / "docker/config.json";
  ct::Run({"mkdir", "-p", d / "docker"});
  ct::WriteFile(path, R"({"auths":{"other.io":{"auth":"YTpi"}},"credHelpers":{"gcr.io":"gcloud"}})");
  StoreDockerConfig(path, "127.0.0.1:5000", {"customs", "s3cret"});
  auto j = nlohmann::json::parse(ct::ReadFile(path));
  EXPECT_EQ(j["auths"]["127.0.0.1:5000"]["auth"], Base64Encode("customs:s3cret"));
  EXPECT_EQ(j["auths"]["other.io"]["auth"], "YTpi");
  EXPECT_EQ(j["credHelpers"]["gcr.io"], "gcloud");
  struct stat st;
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto c = LookupDockerConfig(path, "127.0.0.1:5000");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->password, "s3cret");
  StoreDockerConfig(path, "docker.io", {"u", "p"});
  EXPECT_TRUE(nlohmann::json::parse(ct::ReadFile(path))["auths"].contains("https://index.docker.io/v1/"));

  EXPECT_TRUE(RemoveDockerConfig(path, "127.0.0.1:5000"));
  EXPECT_FALSE(RemoveDockerConfig(path, "127.0.0.1:5000"));
  EXPECT_FALSE(LookupDockerConfig(path, "127.0.0.1:5000"));
  EXPECT_TRUE(LookupDockerConfig(path, "other.io"));
  // A config that does not exist yet is created (with its directory).
  StoreDockerConfig(d / "new/config.json", "x.io", {"a", "b"});
  EXPECT_TRUE(LookupDockerConfig(d / "new/config.json", "x.io"));
  EXPECT_FALSE(LookupDockerConfig(d / "absent/config.json", "x.io"));
}

TEST(RegistryAuth, DefaultConfigPathFollowsDockerConfig) {
  const char* old = std::getenv("DOCKER_CONFIG");
  std::string saved = old ? old : "";
  ::setenv("DOCKER_CONFIG", "/tmp/dc", 1);
  EXPECT_EQ(DefaultDockerConfigPath(), "/tmp/dc/config.json");
  if (old) ::setenv("DOCKER_CONFIG", saved.c_str(), 1);
  else ::unsetenv("DOCKER_CONFIG");
  EXPECT_EQ(DockerConfigKey("docker.io"), "https://index.docker.io/v1/");
  EXPECT_EQ(DockerConfigKey("127.0.0.1:5000"), "127.0.0.1:5000");
}

TEST(RegistryAuth, TokenCachePerScope) {
  TokenCache c;
  c.Put("r", "repository:a:pull", "t1");
  EXPECT_EQ(c.Get("r", "repository:a:pull").value_or(""), "t1");
  EXPECT_FALSE(c.Get("r", "repository:a:pull,push"));
  EXPECT_FALSE(c.Get("other", "repository:a:pull"));
  c.Drop("r", "repository:a:pull");
  EXPECT_FALSE(c.Get("r", "repository:a:pull"));
}

}  // namespace
}  // namespace customs::registry
