// LoadAllDocuments: the inputs on which yaml-cpp 0.7's LoadAll never returns (found by fuzz_misconfig_yaml)
// become parse errors; ordinary multi-document streams load as LoadAll loads them.
#include <gtest/gtest.h>

#include "core/error.h"
#include "formats/yaml.h"

namespace customs {
namespace {

YamlLimits Docs(size_t n) {
  YamlLimits l;
  l.max_documents = n;
  return l;
}

TEST(YamlDocuments, LoadsEveryDocument) {
  const auto docs = LoadAllDocuments("a: 1\n---\nb: 2\n---\n- x\n", "t.yaml", Docs(10));
  ASSERT_EQ(docs.size(), 3u);
  EXPECT_EQ(docs[0]["a"].as<int>(), 1);
  EXPECT_EQ(docs[1]["b"].as<int>(), 2);
  EXPECT_EQ(docs[2][0].as<std::string>(), "x");
  EXPECT_TRUE(LoadAllDocuments("", "t.yaml", Docs(10)).empty());
  EXPECT_EQ(LoadAllDocuments("---\n---\n", "t.yaml", Docs(10)).size(), 2u);
}

TEST(YamlDocuments, StrayCommaWhereADocumentStartsIsAnError) {
  for (const char* text : {",", ",[\"{", " ,", "\t,", "- a\n,", "---\n,", "#c\n,", "\"a\"\n,", "[1],"}) {
    SCOPED_TRACE(text);
    try {
      (void)LoadAllDocuments(text, "t.yaml", Docs(1000));
      ADD_FAILURE() << "no error";
    } catch (const YAML::ParserException& e) {
      EXPECT_GE(e.mark.line, 0);
    }
  }
}

TEST(YamlDocuments, CapsTheNumberOfDocuments) {
  std::string text;
  for (int i = 0; i < 20; ++i) text += "---\nx: 1\n";
  EXPECT_EQ(LoadAllDocuments(text, "t.yaml", Docs(20)).size(), 20u);
  EXPECT_THROW((void)LoadAllDocuments(text, "t.yaml", Docs(19)), LimitError);
}

}  // namespace
}  // namespace customs
