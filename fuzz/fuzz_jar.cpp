// libFuzzer target: Java archives (java_jar: zip reading, nested archives, pom.properties,
// MANIFEST.MF) and Gradle lock files (java_gradle).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "analyzers/analyzer.h"

namespace customs {
std::unique_ptr<Analyzer> Make_java_jar();
std::unique_ptr<Analyzer> Make_java_gradle();
}  // namespace customs

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto jar = customs::Make_java_jar();
  static const auto gradle = customs::Make_java_gradle();
  const std::string_view content(reinterpret_cast<const char*>(data), size);
  customs::AnalysisResult out;
  jar->Analyze(customs::AnalysisInput{"srv/app/lib/app-1.0.war", content, 0}, out);
  gradle->Analyze(customs::AnalysisInput{"src/gradle.lockfile", content, 0}, out);
  return 0;
}
