// libFuzzer target: the Cargo.lock parser (rust_cargo_lock analyzer).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "analyzers/analyzer.h"

namespace customs {
std::unique_ptr<Analyzer> Make_rust_cargo_lock();
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto lock = customs::Make_rust_cargo_lock();
  const std::string_view content(reinterpret_cast<const char*>(data), size);
  customs::AnalysisResult out;
  lock->Analyze(customs::AnalysisInput{"Cargo.lock", content, 0}, out);
  return 0;
}
