// Reference::Parse against docker's normalisation rules (distribution/reference's grammar and
// ParseNormalizedNamed), as a table.
#include <gtest/gtest.h>

#include <string>

#include "core/error.h"
#include "registry/client.h"

namespace customs::registry {
namespace {

const std::string kHex = std::string(32, 'a') + std::string(32, '0');
const std::string kDigest = "sha256:" + kHex;

struct Good {
  std::string in, registry, repository, tag, digest, canonical;
};

TEST(RegistryReference, NormalisesLikeDocker) {
  const Good cases[] = {
      {"alpine", "docker.io", "library/alpine", "latest", "", "docker.io/library/alpine:latest"},
      {"alpine:3.9.6", "docker.io", "library/alpine", "3.9.6", "", "docker.io/library/alpine:3.9.6"},
      {"library/alpine", "docker.io", "library/alpine", "latest", "", "docker.io/library/alpine:latest"},
      {"bitnami/redis:7.2", "docker.io", "bitnami/redis", "7.2", "", "docker.io/bitnami/redis:7.2"},
      {"docker.io/alpine", "docker.io", "library/alpine", "latest", "", "docker.io/library/alpine:latest"},
      {"index.docker.io/library/alpine:3", "docker.io", "library/alpine", "3", "", "docker.io/library/alpine:3"},
      {"127.0.0.1:5000/alpine:3.9.6", "127.0.0.1:5000", "alpine", "3.9.6", "", "127.0.0.1:5000/alpine:3.9.6"},
      {"localhost/app", "localhost", "app", "latest", "", "localhost/app:latest"},
      {"localhost:5000/a/b/c:v1", "localhost:5000", "a/b/c", "v1", "", "localhost:5000/a/b/c:v1"},
      {"ghcr.io/org/app@" + kDigest, "ghcr.io", "org/app", "", kDigest, "ghcr.io/org/app@" + kDigest},
      {"ghcr.io/org/app:1.0@" + kDigest, "ghcr.io", "org/app", "1.0", kDigest, "ghcr.io/org/app:1.0@" + kDigest},
      {"alpine@" + kDigest, "docker.io", "library/alpine", "", kDigest, "docker.io/library/alpine@" + kDigest},
      {"quay.io/a.b/c_d/e__f/g-h---i:TAG_1.x-y", "quay.io", "a.b/c_d/e__f/g-h---i", "TAG_1.x-y", "",
       "quay.io/a.b/c_d/e__f/g-h---i:TAG_1.x-y"},
      {"[::1]:5000/app:1", "[::1]:5000", "app", "1", "", "[::1]:5000/app:1"},
      // A first component without '.', ':' or "localhost" is a path, not a registry.
      {"myhost/app", "docker.io", "myhost/app", "latest", "", "docker.io/myhost/app:latest"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.in);
    Reference r = Reference::Parse(c.in);
    EXPECT_EQ(r.registry, c.registry);
    EXPECT_EQ(r.repository, c.repository);
    EXPECT_EQ(r.tag, c.tag);
    EXPECT_EQ(r.digest, c.digest);
    EXPECT_EQ(r.String(), c.canonical);
    EXPECT_EQ(r.Repository(), c.registry + "/" + c.repository);
    // The canonical text parses back to itself.
    EXPECT_EQ(Reference::Parse(r.String()).String(), c.canonical);
  }
}

TEST(RegistryReference, RefusesMalformedReferences) {
  const std::string bad[] = {
      "",
      "Alpine",                       // uppercase repository
      "docker.io/Library/alpine",
      "alpine:",                      // empty tag
      "alpine:-x",                    // a tag starts with a word character
      "alpine:" + std::string(129, 'a'),
      "alpine@sha256:abc",            // short digest
      "alpine@sha256:" + std::string(64, 'A'),  // uppercase hex
      "alpine@md5:" + std::string(32, 'a'),
      "a//b",
      "a/b/",
      "/a",
      "a..b",
      "a_-b",
      "-a",
      "host:port/app",                // a port must be digits
      "exa$mple.com/app",
      "127.0.0.1:/app",
      "app\n",
      "example.com/" + std::string(260, 'a'),
  };
  for (const auto& s : bad) {
    SCOPED_TRACE(s);
    try {
      Reference::Parse(s);
      ADD_FAILURE() << "accepted";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), kExitUsage);
      EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos);
    }
  }
}

TEST(RegistryReference, WithTagAndDigest) {
  Reference r = Reference::Parse("127.0.0.1:5000/app:1");
  EXPECT_EQ(r.WithDigest(kDigest).String(), "127.0.0.1:5000/app:1@" + kDigest);
  EXPECT_EQ(r.WithDigest(kDigest).WithTag("sha256-" + kHex + ".sig").String(),
            "127.0.0.1:5000/app:sha256-" + kHex + ".sig");
}

}  // namespace
}  // namespace customs::registry
