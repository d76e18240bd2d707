// libFuzzer target: the rust_binary analyzer's three layers, each fed the input directly: the ELF
// reader finding ".dep-v0", the bounded zlib inflation of the section, and the JSON package list
// (indices, roots, kinds, sources). Feeding each layer on its own lets the fuzzer reach the JSON
// logic without having to produce valid zlib streams inside valid ELF files.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "analyzers/analyzer.h"
#include "core/error.h"

namespace customs {
std::unique_ptr<Analyzer> Make_rust_binary();
void ParseCargoAuditSection(std::string_view binary_path, std::string_view compressed, AnalysisResult& out);
void ParseCargoAuditJson(std::string_view binary_path, std::string_view text, AnalysisResult& out);
}  // namespace customs

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto rust = customs::Make_rust_binary();
  const std::string_view content(reinterpret_cast<const char*>(data), size);
  customs::AnalysisResult out;
  try {
    rust->Analyze(customs::AnalysisInput{"usr/local/bin/app", content, 0}, out);
  } catch (const customs::LimitError&) {
    // a crossed limit (formats/json on the embedded dependency list) rejects the file
  }
  customs::ParseCargoAuditSection("usr/local/bin/app", content, out);
  customs::ParseCargoAuditJson("usr/local/bin/app", content, out);
  return 0;
}
