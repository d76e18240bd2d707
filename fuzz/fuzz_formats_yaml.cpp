// libFuzzer target: the one YAML loader for untrusted input (src/formats/yaml.cpp), on arbitrary
// bytes and with small limits so that the limit paths are taken. Properties checked on every input,
// besides not crashing, hanging or exhausting memory (alias bombs, recursive aliases, deep nesting,
// yaml-cpp's endless empty documents):
//  - only customs::LimitError and YAML::Exception leave the loader;
//  - an accepted stream, walked as every consumer walks it (aliases followed), has at most the
//    nodes, scalar bytes, depth and documents the limits allow: the event pass's count is an upper
//    bound of what the tree holds;
//  - LoadDocument accepts every stream LoadAllDocuments accepts and returns its first document.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "core/error.h"
#include "formats/yaml.h"

namespace {

struct Walk {
  size_t nodes = 0, bytes = 0, depth = 0;
  size_t node_cap = 0, byte_cap = 0;
};

size_t Budget(size_t base, size_t per_byte, size_t cap, size_t bytes) {
  return std::min(cap, base + std::min(cap, bytes * per_byte));
}

void Visit(const YAML::Node& n, size_t depth, Walk& w) {
  ++w.nodes;
  if (w.nodes > w.node_cap || w.bytes > w.byte_cap) std::abort();  // more than the loader allowed
  if (n.IsScalar()) w.bytes += n.Scalar().size();
  if (!n.IsSequence() && !n.IsMap()) return;
  w.depth = std::max(w.depth, depth);
  for (auto it = n.begin(); it != n.end(); ++it) {
    if (n.IsMap()) {
      Visit(it->first, depth + 1, w);
      Visit(it->second, depth + 1, w);
    } else {
      Visit(*it, depth + 1, w);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  customs::YamlLimits limits;
  limits.max_bytes = 32768;
  limits.max_depth = 24;
  limits.max_documents = 32;
  limits.base_nodes = 256;
  limits.nodes_per_byte = 2;
  limits.max_nodes = 4096;
  limits.base_text_bytes = 4096;
  limits.text_bytes_per_byte = 4;
  limits.max_text_bytes = 65536;

  std::vector<YAML::Node> docs;
  bool ok = false;
  try {
    docs = customs::LoadAllDocuments(text, "f.yaml", limits);
    ok = true;
  } catch (const customs::LimitError&) {
  } catch (const YAML::Exception&) {
  } catch (...) {
    std::abort();
  }
  if (size > limits.max_bytes && ok) std::abort();
  if (!ok) {
    try {
      (void)customs::LoadDocument(text, "f.yaml", limits);
    } catch (const customs::LimitError&) {
    } catch (const YAML::Exception&) {
    } catch (...) {
      std::abort();
    }
    return 0;
  }
  if (docs.size() > limits.max_documents) std::abort();
  Walk w;
  w.node_cap = Budget(limits.base_nodes, limits.nodes_per_byte, limits.max_nodes, size);
  w.byte_cap = Budget(limits.base_text_bytes, limits.text_bytes_per_byte, limits.max_text_bytes, size);
  for (const YAML::Node& d : docs) Visit(d, 1, w);
  if (w.depth > limits.max_depth + 1) std::abort();

  YAML::Node first;
  try {
    first = customs::LoadDocument(text, "f.yaml", limits);
  } catch (...) {
    std::abort();  // the same checks passed a moment ago
  }
  if (docs.empty() ? !first.IsNull() : first.Type() != docs.front().Type()) std::abort();
  return 0;
}
