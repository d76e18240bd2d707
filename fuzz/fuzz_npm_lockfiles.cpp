// libFuzzer target: the Node.js analyzers (package-lock.json, yarn.lock classic and berry,
// pnpm-lock.yaml, node_modules/*/package.json). Every input goes to every parser.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "analyzers/analyzer.h"
#include "core/error.h"

namespace customs {
std::unique_ptr<Analyzer> Make_npm_package_lock();
std::unique_ptr<Analyzer> Make_npm_yarn_lock();
std::unique_ptr<Analyzer> Make_npm_pnpm_lock();
std::unique_ptr<Analyzer> Make_npm_node_modules();
}  // namespace customs

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto lock = customs::Make_npm_package_lock();
  static const auto yarn = customs::Make_npm_yarn_lock();
  static const auto pnpm = customs::Make_npm_pnpm_lock();
  static const auto nm = customs::Make_npm_node_modules();
  const std::string_view content(reinterpret_cast<const char*>(data), size);
  struct {
    const customs::Analyzer* a;
    const char* path;
  } runs[] = {{lock.get(), "app/package-lock.json"},
              {yarn.get(), "app/yarn.lock"},
              {pnpm.get(), "app/pnpm-lock.yaml"},
              {nm.get(), "app/node_modules/@s/x/package.json"}};
  for (const auto& r : runs) {
    customs::AnalysisResult out;
    try {
      r.a->Analyze(customs::AnalysisInput{r.path, content, 0}, out);
    } catch (const customs::LimitError&) {
      // a crossed limit (formats/json, formats/yaml) rejects the file: expected, not a crash
    }
  }
  return 0;
}
