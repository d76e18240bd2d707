// libFuzzer target: the dpkg parsers. The same bytes go through each file kind the analyzer reads:
// a status file, a status.d file, an info/*.list file and a copyright file.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "analyzers/analyzer.h"

namespace customs {
std::unique_ptr<Analyzer> Make_dpkg();
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto dpkg = customs::Make_dpkg();
  const std::string_view content(reinterpret_cast<const char*>(data), size);
  for (std::string_view path : {"var/lib/dpkg/status", "var/lib/dpkg/status.d/libc6",
                                "var/lib/dpkg/info/libc6:amd64.list", "usr/share/doc/libc6/copyright"}) {
    customs::AnalysisResult out;
    dpkg->Analyze(customs::AnalysisInput{path, content, 0}, out);
  }
  return 0;
}
