// libFuzzer target: the Ruby (Gemfile.lock, gemspec), PHP (composer.lock, installed.json) and .NET
// (packages.lock.json, *.deps.json) parsers. The first input byte picks the file kind.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "analyzers/analyzer.h"
#include "core/error.h"

namespace customs {
std::unique_ptr<Analyzer> Make_ruby_bundler();
std::unique_ptr<Analyzer> Make_php_composer();
std::unique_ptr<Analyzer> Make_dotnet_nuget();
}  // namespace customs

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto ruby = customs::Make_ruby_bundler();
  static const auto php = customs::Make_php_composer();
  static const auto dotnet = customs::Make_dotnet_nuget();
  if (size == 0) return 0;
  const std::string_view content(reinterpret_cast<const char*>(data) + 1, size - 1);
  customs::AnalysisResult out;
  try {
    switch (data[0] % 6) {
      case 0: ruby->Analyze({"app/Gemfile.lock", content, 0}, out); break;
      case 1: ruby->Analyze({"usr/local/bundle/specifications/x-1.0.gemspec", content, 0}, out); break;
      case 2: php->Analyze({"app/composer.lock", content, 0}, out); break;
      case 3: php->Analyze({"app/vendor/composer/installed.json", content, 0}, out); break;
      case 4: dotnet->Analyze({"app/packages.lock.json", content, 0}, out); break;
      default: dotnet->Analyze({"app/App.deps.json", content, 0}, out); break;
    }
  } catch (const customs::LimitError&) {
    // a crossed limit (formats/json) rejects the file: expected, not a crash
  }
  return 0;
}
