// libFuzzer target: every Python analyzer (core metadata, requirements.txt, poetry.lock,
// Pipfile.lock, uv.lock) on the same arbitrary bytes.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "analyzers/analyzer.h"
#include "core/error.h"

namespace customs {
std::unique_ptr<Analyzer> Make_python_dist();
std::unique_ptr<Analyzer> Make_python_requirements();
std::unique_ptr<Analyzer> Make_python_poetry();
std::unique_ptr<Analyzer> Make_python_pipenv();
std::unique_ptr<Analyzer> Make_python_uv();
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  struct Target {
    std::unique_ptr<customs::Analyzer> a;
    std::string_view path;
  };
  static const Target targets[] = {
      {customs::Make_python_dist(), "usr/lib/python3/dist-packages/x-1.dist-info/METADATA"},
      {customs::Make_python_dist(), "usr/lib/python3/dist-packages/x.egg-info/PKG-INFO"},
      {customs::Make_python_requirements(), "app/requirements.txt"},
      {customs::Make_python_poetry(), "app/poetry.lock"},
      {customs::Make_python_pipenv(), "app/Pipfile.lock"},
      {customs::Make_python_uv(), "app/uv.lock"},
  };
  const std::string_view content(reinterpret_cast<const char*>(data), size);
  for (const auto& t : targets) {
    customs::AnalysisResult out;
    try {
      t.a->Analyze(customs::AnalysisInput{t.path, content, 0}, out);
    } catch (const customs::LimitError&) {
      // a crossed limit (formats/json) rejects the file: expected, not a crash
    }
  }
  return 0;
}
