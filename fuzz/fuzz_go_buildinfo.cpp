// libFuzzer target: the ELF reader and Go build-info decoder behind the go_binary analyzer (ELF
// headers, .go.buildinfo, both string layouts, the modinfo text).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "analyzers/analyzer.h"
#include "analyzers/go_elf_util.h"

namespace customs {
std::unique_ptr<Analyzer> Make_go_binary();
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto go = customs::Make_go_binary();
  const std::string_view content(reinterpret_cast<const char*>(data), size);
  customs::AnalysisResult out;
  go->Analyze(customs::AnalysisInput{"usr/bin/app", content, 0}, out);
  customs::goelf::ParseModInfo(content);
  return 0;
}
