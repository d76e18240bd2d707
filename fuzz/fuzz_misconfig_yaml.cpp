// libFuzzer target: the YAML front end (src/misconfig/frontends/yaml.cpp) for Kubernetes and Compose,
// plus detection and the image config front end, on arbitrary bytes. Properties checked on every
// input, besides not crashing (alias bombs, deep nesting, huge scalars):
//  - a result has documents or problems, never both from a failed parse; problems name the file;
//  - every Kubernetes document is a map with apiVersion and kind;
//  - documents are indexed 0..n-1 and every node's line lies within the file (or is 0).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "misconfig/document.h"

namespace {

using customs::misconfig::Value;

void CheckLines(const Value& v, int lines, int depth) {
  if (depth > 1000 || v.line < 0 || v.line > lines || v.end_line > lines) std::abort();
  if (v.kind == Value::Kind::kMap && v.keys.size() != v.items.size()) std::abort();
  for (const Value& c : v.items) CheckLines(c, lines, depth + 1);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace customs::misconfig;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  int lines = 1;
  for (char c : input) lines += c == '\n' ? 1 : 0;
  for (DocKind kind : {DocKind::kKubernetes, DocKind::kCompose}) {
    const ParseResult r = ParseConfig(kind, "f.yaml", input);
    if (!r.problems.empty() && !r.documents.empty()) std::abort();
    for (const ParseProblem& p : r.problems)
      if (p.path != "f.yaml" || p.message.empty() || p.line < 0 || p.line > lines) std::abort();
    for (size_t i = 0; i < r.documents.size(); ++i) {
      const Document& d = r.documents[i];
      if (d.index != static_cast<int>(i) || d.kind != kind || !d.root.is_map()) std::abort();
      CheckLines(d.root, lines, 0);
      if (kind == DocKind::kKubernetes) {
        if (d.root.Find("apiVersion") == nullptr || d.root.Find("kind") == nullptr) std::abort();
      }
    }
  }
  DocKind k;
  (void)DetectKind("x.yaml", input, k);
  const ParseResult ic = ParseImageConfig(input);
  if (ic.documents.size() + ic.problems.size() != 1) std::abort();
  return 0;
}
