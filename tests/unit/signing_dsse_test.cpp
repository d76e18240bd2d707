// DSSE and in-toto statements (src/signing/dsse.cpp): PAE bytes as the DSSE protocol defines them, the
// envelope's JSON fields, signing over PAE, and parsing errors.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "signing/dsse.h"
#include "signing/keys.h"

namespace customs::signing {
namespace {

TEST(SigningDsse, PaeBytes) {
  // DSSE protocol.md: "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body, lengths in ASCII decimal.
  EXPECT_EQ(Pae("http://example.com/HelloWorld", "hello world"),
            "DSSEv1 29 http://example.com/HelloWorld 11 hello world");
  EXPECT_EQ(Pae("", ""), "DSSEv1 0  0 ");
  const std::string body("a\0b", 3);
  EXPECT_EQ(Pae("application/vnd.in-toto+json", body), std::string("DSSEv1 28 application/vnd.in-toto+json 3 a\0b", 44));
}

TEST(SigningDsse, EnvelopeFieldsAndRoundTrip) {
  DsseEnvelope env;
  env.payload_type = kInTotoPayloadType;
  env.payload = "{\"_type\":\"x\"}";
  env.signatures.push_back({"", std::string("\x30\x45\x02", 3)});
  const std::string json = SerializeEnvelope(env);
  auto j = nlohmann::ordered_json::parse(json);
  std::vector<std::string> keys;
  for (auto it = j.begin(); it != j.end(); ++it) keys.push_back(it.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"payloadType", "payload", "signatures"}));
  EXPECT_EQ(j["payloadType"], "application/vnd.in-toto+json");
  EXPECT_EQ(j["payload"], Base64Encode(env.payload));
  EXPECT_EQ(j["signatures"][0]["keyid"], "");
  EXPECT_EQ(j["signatures"][0]["sig"], "MEUC");
  DsseEnvelope back;
  std::string why;
  ASSERT_TRUE(ParseEnvelope(json, &back, &why)) << why;
  EXPECT_EQ(back.payload, env.payload);
  EXPECT_EQ(back.signatures[0].sig, env.signatures[0].sig);
}

TEST(SigningDsse, SignedOverPae) {
  const PrivateKey key = PrivateKey::Generate();
  const std::string body = "{\"_type\":\"https://in-toto.io/Statement/v0.1\"}";
  const std::string sig = key.Sign(Pae(kInTotoPayloadType, body));
  EXPECT_TRUE(key.Public().Verify(Pae(kInTotoPayloadType, body), sig));
  EXPECT_FALSE(key.Public().Verify(body, sig)) << "signed over the body instead of PAE";
  EXPECT_FALSE(key.Public().Verify(Pae("application/json", body), sig)) << "the payload type is not bound";
}

TEST(SigningDsse, EnvelopeParsing) {
  DsseEnvelope env;
  std::string why;
  // Unknown fields ignored; keyid optional; URL-safe base64 accepted (the DSSE spec allows both).
  ASSERT_TRUE(ParseEnvelope(R"({"payloadType":"t","payload":"-_8","signatures":[{"sig":"AA=="}],"x":1})", &env, &why))
      << why;
  EXPECT_EQ(env.payload, "\xfb\xff");
  EXPECT_EQ(env.signatures[0].keyid, "");
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"", "not a JSON object"},
      {R"({"payload":"","signatures":[]})", "payloadType"},
      {R"({"payloadType":"t","signatures":[]})", "'payload'"},
      {R"({"payloadType":"t","payload":"!!","signatures":[]})", "not base64"},
      {R"({"payloadType":"t","payload":""})", "'signatures'"},
      {R"({"payloadType":"t","payload":"","signatures":[{}]})", "'sig'"},
      {R"({"payloadType":"t","payload":"","signatures":[5]})", "not an object"},
      {R"({"payloadType":"t","payload":"","signatures":[{"sig":"AA==","keyid":3}]})", "keyid"},
  };
  for (const auto& [text, expect] : bad) {
    EXPECT_FALSE(ParseEnvelope(text, &env, &why)) << text;
    EXPECT_NE(why.find(expect), std::string::npos) << text << ": " << why;
  }
}

TEST(SigningDsse, StatementFieldsAndParsing) {
  InTotoStatement st;
  st.predicate_type = "https://cyclonedx.org/bom";
  st.subjects.push_back({"127.0.0.1:5000/app", {{"sha256", std::string(64, 'c')}}});
  st.predicate = nlohmann::ordered_json::parse(R"({"bomFormat":"CycloneDX","specVersion":"1.5"})");
  const std::string text = SerializeStatement(st);
  EXPECT_EQ(text, "{\"_type\":\"https://in-toto.io/Statement/v0.1\",\"predicateType\":\"https://cyclonedx.org/bom\","
                  "\"subject\":[{\"name\":\"127.0.0.1:5000/app\",\"digest\":{\"sha256\":\"" + std::string(64, 'c') +
                      "\"}}],\"predicate\":{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\"}}");
  InTotoStatement back;
  std::string why;
  ASSERT_TRUE(ParseStatement(text, &back, &why)) << why;
  EXPECT_EQ(back.subjects[0].digest.at("sha256"), std::string(64, 'c'));
  EXPECT_EQ(back.predicate.dump(), st.predicate.dump()) << "predicate key order kept";
  // Statement v1 too.
  ASSERT_TRUE(ParseStatement(R"({"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"a","digest":{"sha256":"00"}}],"predicateType":"p","predicate":{}})",
                             &back, &why))
      << why;
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"[]", "not a JSON object"},
      {R"({"predicateType":"p","subject":[{"digest":{}}]})", "_type"},
      {R"({"_type":"https://in-toto.io/Statement/v9","predicateType":"p","subject":[{"digest":{}}]})", "unknown statement"},
      {R"({"_type":"https://in-toto.io/Statement/v0.1","subject":[{"digest":{}}]})", "predicateType"},
      {R"({"_type":"https://in-toto.io/Statement/v0.1","predicateType":"p","subject":[]})", "no 'subject'"},
      {R"({"_type":"https://in-toto.io/Statement/v0.1","predicateType":"p","subject":[{"name":"a"}]})", "'digest'"},
      {R"({"_type":"https://in-toto.io/Statement/v0.1","predicateType":"p","subject":[{"digest":{"sha256":1}}]})",
       "not a string"},
  };
  for (const auto& [t, expect] : bad) {
    EXPECT_FALSE(ParseStatement(t, &back, &why)) << t;
    EXPECT_NE(why.find(expect), std::string::npos) << t << ": " << why;
  }
}

}  // namespace
}  // namespace customs::signing
