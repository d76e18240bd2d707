// The one YAML loader for untrusted input (lockfiles, misconfig documents, checks, secret and ignore
// configs, feeds). yaml-cpp builds aliases as shared nodes, so a billion-laughs document is small in
// memory but explodes in any code that walks or copies the tree (conversion to Value or JSON trees,
// YAML::Clone, iteration). Before any node is built, one pass over the parser's events counts the
// nodes and scalar bytes the documents expand to through their aliases, their nesting depth (an
// alias counts as deep as what it names) and their number, and refuses recursive aliases; a consumer
// that walks a loaded tree meets at most the counted nodes.
//
// The same pass also keeps yaml-cpp 0.7's LoadAll from looping: on some malformed input (a ',' or
// '%' where a document should start) it reports empty documents forever, each at the same place,
// allocating until memory runs out; the pass stops when the parser makes no progress.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

namespace customs {

struct YamlLimits {
  size_t max_bytes = 64u << 20;
  size_t max_depth = 200;
  size_t max_documents = 100000;
  // Nodes after alias expansion, over the whole stream: base_nodes + nodes_per_byte * size, at most
  // max_nodes (a file without aliases has fewer nodes than bytes).
  size_t base_nodes = 100000;
  size_t nodes_per_byte = 10;
  size_t max_nodes = 5'000'000;
  // The same for the bytes of scalars and keys (one long scalar aliased many times).
  size_t base_text_bytes = 16u << 20;
  size_t text_bytes_per_byte = 10;
  size_t max_text_bytes = 512u << 20;
};

// Every document of the stream. Throws LimitExceeded(where, ...) (a LimitError) when a limit is
// crossed, e.g. "pnpm-lock.yaml: YAML expands to more than 1100000 nodes through aliases (alias
// bomb?)"; YAML::ParserException (with the mark of the offending place) for malformed YAML, including
// the input on which the parser stops making progress; other yaml-cpp exceptions as YAML::LoadAll.
std::vector<YAML::Node> LoadAllDocuments(std::string_view text, std::string_view where, const YamlLimits& limits = {});

// The first document (a Null node for an empty stream), as YAML::Load, with every document checked.
YAML::Node LoadDocument(std::string_view text, std::string_view where, const YamlLimits& limits = {});

}  // namespace customs
