#include "formats/yaml.h"

#include <algorithm>
#include <limits>
#include <sstream>
#include <string>
#include <unordered_map>

#include <yaml-cpp/eventhandler.h>

#include "core/error.h"

namespace customs {
namespace {

size_t SatAdd(size_t a, size_t b) { return a > std::numeric_limits<size_t>::max() - b ? std::numeric_limits<size_t>::max() : a + b; }

size_t Budget(size_t base, size_t per_byte, size_t cap, size_t bytes) {
  const size_t scaled = bytes > cap / std::max<size_t>(per_byte, 1) ? cap : bytes * per_byte;
  return std::min(cap, SatAdd(base, scaled));
}

// What a node expands to: nodes, scalar bytes, and height (levels of collections at and below it).
struct Size {
  size_t nodes = 0, bytes = 0, height = 0;
};

// Walks the events of every document, adding up what they expand to (see yaml.h).
class Expansion : public YAML::EventHandler {
 public:
  Expansion(std::string_view where, const YamlLimits& limits, size_t text_size)
      : where_(where),
        limits_(limits),
        node_budget_(Budget(limits.base_nodes, limits.nodes_per_byte, limits.max_nodes, text_size)),
        byte_budget_(Budget(limits.base_text_bytes, limits.text_bytes_per_byte, limits.max_text_bytes, text_size)) {}

  void OnDocumentStart(const YAML::Mark& m) override {
    if (documents_ > 0 && m.pos <= last_.pos)
      throw YAML::ParserException(m, "unexpected character where a document should start");
    if (++documents_ > limits_.max_documents)
      Fail(m, "more than " + std::to_string(limits_.max_documents) + " YAML documents");
    last_ = m;
    anchors_.clear();  // anchors are per document
    open_.clear();
    stack_.clear();
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& m, YAML::anchor_t anchor) override { Leaf(m, anchor, 0); }
  void OnScalar(const YAML::Mark& m, const std::string&, YAML::anchor_t anchor, const std::string& value) override {
    Leaf(m, anchor, value.size());
  }
  void OnAlias(const YAML::Mark& m, YAML::anchor_t anchor) override {
    auto it = anchors_.find(anchor);
    if (it == anchors_.end()) {
      // yaml-cpp registers an anchor when its node starts: an alias inside the node it names makes a
      // cycle that every recursive walk would follow forever.
      if (open_.count(anchor) != 0) Fail(m, "YAML alias refers to a node that contains it");
      return;  // unknown anchor: yaml-cpp itself rejects it when building
    }
    Add(m, it->second);
  }
  void OnSequenceStart(const YAML::Mark& m, const std::string&, YAML::anchor_t anchor, YAML::EmitterStyle::value) override {
    Open(m, anchor);
  }
  void OnSequenceEnd() override { Close(); }
  void OnMapStart(const YAML::Mark& m, const std::string&, YAML::anchor_t anchor, YAML::EmitterStyle::value) override {
    Open(m, anchor);
  }
  void OnMapEnd() override { Close(); }

 private:
  struct Frame {
    YAML::anchor_t anchor;
    Size size;
  };

  [[noreturn]] void Fail(const YAML::Mark& m, const std::string& reason) const {
    throw LimitExceeded(std::string(where_), reason + (m.line >= 0 ? " (line " + std::to_string(m.line + 1) + ")" : ""));
  }

  // Adds what one child expands to: to the enclosing collection and to the stream's totals.
  void Add(const YAML::Mark& m, const Size& s) {
    if (SatAdd(stack_.size(), s.height) > limits_.max_depth)
      Fail(m, "YAML nested deeper than " + std::to_string(limits_.max_depth) + " levels");
    nodes_ = SatAdd(nodes_, s.nodes);
    bytes_ = SatAdd(bytes_, s.bytes);
    if (nodes_ > node_budget_)
      Fail(m, "YAML expands to more than " + std::to_string(node_budget_) + " nodes through aliases (alias bomb?)");
    if (bytes_ > byte_budget_)
      Fail(m, "YAML expands to more than " + std::to_string(byte_budget_) + " bytes of text through aliases (alias bomb?)");
    if (!stack_.empty()) {
      Size& p = stack_.back().size;
      p.nodes = SatAdd(p.nodes, s.nodes);
      p.bytes = SatAdd(p.bytes, s.bytes);
      p.height = std::max(p.height, SatAdd(s.height, 1));
    }
  }
  void Leaf(const YAML::Mark& m, YAML::anchor_t anchor, size_t bytes) {
    const Size s{1, bytes, 0};
    Add(m, s);
    if (anchor != YAML::NullAnchor) anchors_[anchor] = s;
  }
  void Open(const YAML::Mark& m, YAML::anchor_t anchor) {
    if (stack_.size() + 1 > limits_.max_depth)
      Fail(m, "YAML nested deeper than " + std::to_string(limits_.max_depth) + " levels");
    // The collection node itself counts now; its children as they come.
    nodes_ = SatAdd(nodes_, 1);
    if (nodes_ > node_budget_)
      Fail(m, "YAML expands to more than " + std::to_string(node_budget_) + " nodes through aliases (alias bomb?)");
    if (anchor != YAML::NullAnchor) open_[anchor] = true;
    stack_.push_back(Frame{anchor, Size{1, 0, 1}});
    mark_ = m;
  }
  void Close() {
    if (stack_.empty()) return;
    Frame f = stack_.back();
    stack_.pop_back();
    if (f.anchor != YAML::NullAnchor) {
      open_.erase(f.anchor);
      anchors_[f.anchor] = f.size;
    }
    if (!stack_.empty()) {
      Size& p = stack_.back().size;
      p.nodes = SatAdd(p.nodes, f.size.nodes);
      p.bytes = SatAdd(p.bytes, f.size.bytes);
      p.height = std::max(p.height, SatAdd(f.size.height, 1));
    }
  }

  std::string_view where_;
  const YamlLimits& limits_;
  size_t node_budget_, byte_budget_;
  size_t nodes_ = 0, bytes_ = 0, documents_ = 0;
  YAML::Mark last_, mark_;
  std::vector<Frame> stack_;
  std::unordered_map<YAML::anchor_t, Size> anchors_;
  std::unordered_map<YAML::anchor_t, bool> open_;
};

void Check(std::string_view text, std::string_view where, const YamlLimits& limits) {
  if (text.size() > limits.max_bytes)
    throw LimitExceeded(std::string(where), "YAML larger than " + std::to_string(limits.max_bytes) + " bytes");
  std::istringstream in{std::string(text)};
  YAML::Parser parser(in);
  Expansion h(where, limits, text.size());
  while (parser.HandleNextDocument(h)) {
  }
}

}  // namespace

std::vector<YAML::Node> LoadAllDocuments(std::string_view text, std::string_view where, const YamlLimits& limits) {
  Check(text, where, limits);
  // The event pass above proved the stream finite and bounded; building nodes is now bounded too.
  return YAML::LoadAll(std::string(text));
}

YAML::Node LoadDocument(std::string_view text, std::string_view where, const YamlLimits& limits) {
  Check(text, where, limits);
  return YAML::Load(std::string(text));
}

}  // namespace customs
