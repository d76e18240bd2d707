// The WWW-Authenticate parser (RFC 7235 section 4.1, with RFC 7230's quoted-string and list rules).
#include <gtest/gtest.h>

#include "registry/auth.h"
#include "registry/client.h"
#include "registry/www_authenticate.h"

namespace customs::registry {
namespace {

TEST(RegistryWwwAuthenticate, BearerAsRegistriesSendIt) {
  auto c = ParseWwwAuthenticate(
      R"(Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/alpine:pull")");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].scheme, "bearer");
  EXPECT_EQ(c[0].Param("realm"), "https://auth.docker.io/token");
  EXPECT_EQ(c[0].Param("service"), "registry.docker.io");
  EXPECT_EQ(c[0].Param("scope"), "repository:library/alpine:pull");
  EXPECT_EQ(TokenUrl(c[0], RepositoryScope("library/alpine", false)),
            "https://auth.docker.io/token?service=registry.docker.io&scope=repository%3Alibrary%2Falpine%3Apull");
  EXPECT_EQ(TokenUrl(c[0], RepositoryScope("a/b", true)),
            "https://auth.docker.io/token?service=registry.docker.io&scope=repository%3Aa%2Fb%3Apull%2Cpush");
}

TEST(RegistryWwwAuthenticate, BasicCaseSpacesAndTokens) {
  auto c = ParseWwwAuthenticate(R"(basic  REALM = "customs-test" , charset=UTF-8)");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].scheme, "basic");
  EXPECT_EQ(c[0].Param("realm"), "customs-test");
  EXPECT_EQ(c[0].Param("charset"), "UTF-8");
}

TEST(RegistryWwwAuthenticate, QuotedStringsWithEscapesAndCommas) {
  auto c = ParseWwwAuthenticate(R"(Bearer realm="a \"quoted\" realm, with a comma",error="insufficient_scope")");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].Param("realm"), "a \"quoted\" realm, with a comma");
  EXPECT_EQ(c[0].Param("error"), "insufficient_scope");
}

TEST(RegistryWwwAuthenticate, SeveralChallenges) {
  auto c = ParseWwwAuthenticate(R"(Newauth realm="apps", type=1, title="Login to \"apps\"", Basic realm="simple")");
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0].scheme, "newauth");
  EXPECT_EQ(c[0].Param("type"), "1");
  EXPECT_EQ(c[0].Param("title"), "Login to \"apps\"");
  EXPECT_EQ(c[1].scheme, "basic");
  EXPECT_EQ(c[1].Param("realm"), "simple");

  auto t = ParseWwwAuthenticate("Negotiate abc+/==, Bearer realm=\"https://r/t\", NTLM");
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t[0].token68, "abc+/==");
  EXPECT_EQ(t[1].Param("realm"), "https://r/t");
  EXPECT_EQ(t[2].scheme, "ntlm");
  EXPECT_TRUE(t[2].params.empty());
}

TEST(RegistryWwwAuthenticate, RefusesMalformedHeaders) {
  for (const char* bad : {"", ",,", "Bearer realm=\"unterminated", "Bearer =x", "Bearer realm=a b=c",
                          "Bearer realm=\"a\" scope=\"b\"", "Bearer realm=a, realm=b", "\"Bearer\"",
                          "Bearer realm=\"\x01\""}) {
    SCOPED_TRACE(bad);
    EXPECT_THROW(ParseWwwAuthenticate(bad), RegistryError);
  }
}

TEST(RegistryWwwAuthenticate, TokenResponses) {
  EXPECT_EQ(ParseTokenResponse(R"({"token":"abc","expires_in":300})"), "abc");
  EXPECT_EQ(ParseTokenResponse(R"({"access_token":"xyz"})"), "xyz");
  EXPECT_THROW(ParseTokenResponse(R"({"token":""})"), RegistryError);
  EXPECT_THROW(ParseTokenResponse("not json"), RegistryError);
  Challenge no_realm;
  no_realm.scheme = "bearer";
  EXPECT_THROW(TokenUrl(no_realm, "x"), RegistryError);
  Challenge file_realm;
  file_realm.params["realm"] = "file:///etc/passwd";
  EXPECT_THROW(TokenUrl(file_realm, "x"), RegistryError);
}

}  // namespace
}  // namespace customs::registry
