// Loading every document of a YAML stream without yaml-cpp 0.7's endless loop: on some malformed input
// (a ',' or '%' where a document should start) YAML::LoadAll reports empty documents forever, each at the
// same place, allocating until memory runs out. LoadAllDocuments asks the parser one document at a time,
// stops when it makes no progress and caps the count.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

namespace customs {

// Throws YAML::ParserException (with the mark of the offending place) when the parser stops making
// progress or the stream holds more than max_documents documents; other yaml-cpp exceptions as
// YAML::LoadAll would.
std::vector<YAML::Node> LoadAllDocuments(const std::string& text, size_t max_documents);

}  // namespace customs
