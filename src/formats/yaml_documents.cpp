#include "formats/yaml_documents.h"

#include <sstream>

#include <yaml-cpp/eventhandler.h>

namespace customs {
namespace {

// Counts documents and notices a document that starts where the previous one started.
struct DocumentStarts : YAML::EventHandler {
  explicit DocumentStarts(size_t cap) : cap(cap) {}
  void OnDocumentStart(const YAML::Mark& m) override {
    if (count > 0 && m.pos <= last.pos)
      throw YAML::ParserException(m, "unexpected character where a document should start");
    if (++count > cap) throw YAML::ParserException(m, "more than " + std::to_string(cap) + " YAML documents");
    last = m;
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
  size_t cap;
  size_t count = 0;
  YAML::Mark last;
};

}  // namespace

std::vector<YAML::Node> LoadAllDocuments(const std::string& text, size_t max_documents) {
  {
    std::istringstream in(text);
    YAML::Parser parser(in);
    DocumentStarts h(max_documents);
    while (parser.HandleNextDocument(h)) {
    }
  }
  // The event pass above proved the stream finite; building nodes is now bounded.
  return YAML::LoadAll(text);
}

}  // namespace customs
