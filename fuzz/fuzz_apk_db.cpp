// libFuzzer target: the apk installed-database parser (lib/apk/db/installed).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "analyzers/analyzer.h"

namespace customs {
std::unique_ptr<Analyzer> Make_apk();
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto apk = customs::Make_apk();
  const std::string_view content(reinterpret_cast<const char*>(data), size);
  customs::AnalysisResult out;
  apk->Analyze(customs::AnalysisInput{"lib/apk/db/installed", content, 0}, out);
  return 0;
}
