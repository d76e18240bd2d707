// The shared JSON and YAML loaders (formats/json, formats/yaml): limits enforced while parsing, with
// errors naming the file and the limit; malformed input an InputError (JSON) or a ParserException
// (YAML), never a LimitError.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "core/error.h"
#include "formats/json.h"
#include "formats/yaml.h"

namespace customs {
namespace {

std::string Nested(size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }

// The message of the LimitError `f` throws ("" and a failure when it throws none).
template <typename F>
std::string LimitMessage(F f) {
  try {
    f();
  } catch (const LimitError& e) {
    EXPECT_EQ(e.code(), kExitInputRejected);
    return e.what();
  }
  ADD_FAILURE() << "no LimitError";
  return "";
}

TEST(FormatsJson, ParsesOrdinaryDocuments) {
  const nlohmann::json j = ParseJson(R"({"a": [1, 2.5, "x", true, null], "b": {"c": {}}})", "x.json");
  EXPECT_EQ(j["a"].size(), 5u);
  EXPECT_EQ(j["a"][2], "x");
  EXPECT_TRUE(j["b"]["c"].is_object());
  const nlohmann::ordered_json o = ParseOrderedJson(R"({"z": 1, "a": 2})", "x.json");
  EXPECT_EQ(o.begin().key(), "z");  // order kept
}

TEST(FormatsJson, DepthLimitIsExactAndNamed) {
  EXPECT_NO_THROW(ParseJson(Nested(256), "package-lock.json"));
  EXPECT_EQ(LimitMessage([] { ParseJson(Nested(257), "package-lock.json"); }),
            "package-lock.json: JSON nested deeper than 256 levels");
  JsonLimits l;
  l.max_depth = 3;
  EXPECT_NO_THROW(ParseJson(R"({"a": [{"b": 1}]})", "x.json", l));
  EXPECT_NE(LimitMessage([&] { ParseJson(R"({"a": [{"b": [1]}]})", "x.json", l); }).find("deeper than 3"),
            std::string::npos);
}

TEST(FormatsJson, DeepAndHugeDocumentsAreRefusedWhileParsing) {
  // A million levels would take gigabytes as a tree; refused after 256 of them, at once.
  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_NE(LimitMessage([] { ParseJson(std::string(1'000'000, '['), "deep.json"); }).find("nested deeper"),
            std::string::npos);
  // Elements: counted as they come (the array below is never completed, yet the limit is reached).
  JsonLimits l;
  l.max_elements = 1000;
  std::string many = "[";
  for (int i = 0; i < 100000; ++i) many += "0,";
  EXPECT_EQ(LimitMessage([&] { ParseJson(many, "many.json", l); }), "many.json: JSON has more than 1000 elements");
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(5));
  // Objects, arrays and scalars all count; keys do not.
  l.max_elements = 4;
  EXPECT_NO_THROW(ParseJson(R"({"a": 1, "b": [2]})", "x.json", l));
  EXPECT_THROW(ParseJson(R"({"a": 1, "b": [2, 3]})", "x.json", l), LimitError);
}

TEST(FormatsJson, SizeLimit) {
  JsonLimits l;
  l.max_bytes = 10;
  EXPECT_NO_THROW(ParseJson("[1,2,3,4]", "x.json", l));
  EXPECT_EQ(LimitMessage([&] { ParseJson("[1,2,3,4,5]", "x.json", l); }), "x.json: JSON larger than 10 bytes");
}

TEST(FormatsJson, MalformedIsAnInputErrorOrDiscarded) {
  for (const std::string bad : {"", "{", "[1,]", "\xff\xfe{}", "{\"a\" 1}", "1e999999", "[1] x"}) {
    SCOPED_TRACE(bad);
    try {
      ParseJson(bad, "bad.json");
      ADD_FAILURE() << "parsed";
    } catch (const LimitError& e) {
      ADD_FAILURE() << "a limit: " << e.what();
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), kExitInputRejected);
      EXPECT_EQ(std::string(e.what()).rfind("bad.json: invalid JSON: ", 0), 0u) << e.what();
    }
    EXPECT_TRUE(ParseJsonOrDiscarded(bad, "bad.json").is_discarded());
    EXPECT_TRUE(ParseOrderedJsonOrDiscarded(bad, "bad.json").is_discarded());
  }
  // A limit is never a discarded value.
  EXPECT_THROW(ParseJsonOrDiscarded(Nested(300), "x.json"), LimitError);
}

// 10^levels leaves through nested aliases, from a few hundred bytes.
std::string BillionLaughs(int levels = 9) {
  std::string y = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
  for (int k = 1; k < levels; ++k) {
    const char c = static_cast<char>('a' + k), p = static_cast<char>('a' + k - 1);
    y += std::string(1, c) + ": &" + c + " [";
    for (int i = 0; i < 10; ++i) y += std::string(i ? ", *" : "*") + p;
    y += "]\n";
  }
  return y;
}

TEST(FormatsYaml, OrdinaryAliasesLoad) {
  const YAML::Node d = LoadDocument("base: &b {x: 1, y: [1, 2]}\nc1: *b\nc2: *b\n", "x.yaml");
  EXPECT_EQ(d["c2"]["y"][1].as<int>(), 2);
  EXPECT_TRUE(LoadDocument("", "x.yaml").IsNull());
  EXPECT_EQ(LoadDocument("a: 1\n---\nb: 2\n", "x.yaml")["a"].as<int>(), 1);  // the first document, as YAML::Load
}

TEST(FormatsYaml, BillionLaughsIsRefusedBeforeAnyNodeIsBuilt) {
  const auto t0 = std::chrono::steady_clock::now();
  const std::string msg = LimitMessage([] { LoadAllDocuments(BillionLaughs(), "pnpm-lock.yaml"); });
  EXPECT_EQ(msg.rfind("pnpm-lock.yaml: YAML expands to more than ", 0), 0u) << msg;
  EXPECT_NE(msg.find("alias bomb"), std::string::npos) << msg;
  EXPECT_THROW(LoadDocument(BillionLaughs(), "pnpm-lock.yaml"), LimitError);
  // Even levels of a hundred aliases each stay quick: counting never walks the expansion.
  std::string wide = "a: &a [" + std::string(10, 'x') + "]\n";
  for (int k = 1; k < 30; ++k) {
    wide += "l" + std::to_string(k) + ": &l" + std::to_string(k) + " [";
    for (int i = 0; i < 100; ++i) wide += (i ? ", *" : "*") + (k == 1 ? std::string("a") : "l" + std::to_string(k - 1));
    wide += "]\n";
  }
  EXPECT_THROW(LoadAllDocuments(wide, "w.yaml"), LimitError);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(5));
}

TEST(FormatsYaml, NodeAndTextBudgetsCountExpansion) {
  YamlLimits l;
  l.base_nodes = 0;
  l.nodes_per_byte = 1000;
  l.max_nodes = 50;
  // 1 map + (key + list + 10 leaves) + (key + list + 2 aliases x 11 nodes) = 37 nodes.
  const std::string two = "a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\nb: [*a, *a]\n";
  EXPECT_NO_THROW(LoadAllDocuments(two, "x.yaml", l));
  EXPECT_THROW(LoadAllDocuments(two + "c: [*a, *a]\n", "x.yaml", l), LimitError);
  // Without aliases too: the budget is the whole stream's.
  l.max_nodes = 5;
  EXPECT_THROW(LoadAllDocuments("[1, 2]\n---\n[3, 4]\n", "x.yaml", l), LimitError);
  // One long scalar, aliased.
  YamlLimits t;
  t.base_text_bytes = 0;
  t.text_bytes_per_byte = 1;
  t.max_text_bytes = 1u << 20;
  const std::string big = "s: &s " + std::string(1000, 'x') + "\nl: [*s, *s, *s, *s, *s, *s, *s, *s]\n";
  EXPECT_NE(LimitMessage([&] { LoadAllDocuments(big, "x.yaml", t); }).find("bytes of text"), std::string::npos);
}

TEST(FormatsYaml, DepthCountsWhatAnAliasNames) {
  YamlLimits l;
  l.max_depth = 10;
  EXPECT_NO_THROW(LoadAllDocuments("a: [[[[1]]]]\n", "x.yaml", l));
  EXPECT_NE(LimitMessage([&] { LoadAllDocuments("a: " + Nested(11) + "\n", "x.yaml", l); }).find("nested deeper than 10"),
            std::string::npos);
  // Six levels named, used at depth six: twelve levels for a walker.
  EXPECT_THROW(LoadAllDocuments("a: &d [[[[[1]]]]]\nb: [[[[[*d]]]]]\n", "x.yaml", l), LimitError);
  // Block nesting (no brackets) too, with the default limit.
  std::string block;
  for (int i = 0; i < 300; ++i) block += std::string(static_cast<size_t>(i) * 2, ' ') + "k:\n";
  EXPECT_THROW(LoadAllDocuments(block, "x.yaml"), LimitError);
}

TEST(FormatsYaml, RecursiveAliasIsRefused) {
  EXPECT_NE(LimitMessage([] { LoadAllDocuments("a: &a [1, *a]\n", "x.yaml"); }).find("contains it"),
            std::string::npos);
  EXPECT_THROW(LoadDocument("m: &m {k: *m}\n", "x.yaml"), LimitError);
}

TEST(FormatsYaml, SizeLimitAndMalformedInput) {
  YamlLimits l;
  l.max_bytes = 8;
  EXPECT_EQ(LimitMessage([&] { LoadAllDocuments("a: 123456", "x.yaml", l); }), "x.yaml: YAML larger than 8 bytes");
  EXPECT_THROW(LoadAllDocuments("a: [b", "x.yaml"), YAML::ParserException);
  EXPECT_THROW(LoadDocument("a: *nope\n", "x.yaml"), YAML::Exception);
}

TEST(FormatsJson, StreamingArrayDeliversEachElementAndTheRest) {
  const std::string text =
      R"({"format":"NVD_CVE","vulnerabilities":[{"cve":{"id":"CVE-1","m":[1,[2]]}},7,"s",[3]],)"
      R"("timestamp":"t","nested":{"vulnerabilities":[9]}})";
  std::vector<nlohmann::json> got;
  nlohmann::json rest = ParseJsonStreamingArray(text, "feed.json", "vulnerabilities",
                                                [&](nlohmann::json&& e) { got.push_back(std::move(e)); });
  ASSERT_EQ(got.size(), 4u);
  EXPECT_EQ(got[0], nlohmann::json::parse(R"({"cve":{"id":"CVE-1","m":[1,[2]]}})"));
  EXPECT_EQ(got[1], 7);
  EXPECT_EQ(got[2], "s");
  EXPECT_EQ(got[3], nlohmann::json::parse("[3]"));
  EXPECT_EQ(rest, nlohmann::json::parse(
                      R"({"format":"NVD_CVE","vulnerabilities":[],"timestamp":"t","nested":{"vulnerabilities":[9]}})"));
  // No such member: everything is the rest.
  got.clear();
  rest = ParseJsonStreamingArray(R"({"x":[1,2]})", "f", "vulnerabilities", [&](nlohmann::json&& e) { got.push_back(e); });
  EXPECT_TRUE(got.empty());
  EXPECT_EQ(rest["x"], nlohmann::json::parse("[1,2]"));
}

TEST(FormatsJson, StreamingArrayLimitsApplyPerElementAndMalformedIsAnInputError) {
  JsonLimits limits;
  limits.max_elements = 10;
  limits.max_depth = 4;
  // Many small elements: more than max_elements in all, each within it.
  std::string many = R"({"v":[)";
  for (int i = 0; i < 100; ++i) many += std::string(i ? "," : "") + R"({"a":1,"b":[2,3]})";
  many += "]}";
  size_t n = 0;
  ParseJsonStreamingArray(many, "f", "v", [&](nlohmann::json&&) { ++n; }, limits);
  EXPECT_EQ(n, 100u);
  // One element too big, or too deep.
  EXPECT_THROW(ParseJsonStreamingArray(R"({"v":[[1,2,3,4,5,6,7,8,9,10,11]]})", "f", "v", [](nlohmann::json&&) {}, limits),
               LimitError);
  EXPECT_THROW(ParseJsonStreamingArray(R"({"v":[[[[[1]]]]]})", "f", "v", [](nlohmann::json&&) {}, limits), LimitError);
  EXPECT_THROW(ParseJsonStreamingArray(R"({"v":[{"a":1},)", "f", "v", [](nlohmann::json&&) {}), Error);
  limits.max_bytes = 8;
  EXPECT_THROW(ParseJsonStreamingArray(R"({"v":[1,2,3]})", "f", "v", [](nlohmann::json&&) {}, limits), LimitError);
}

}  // namespace
}  // namespace customs
