// libFuzzer target: the OS release-file parsers and the merge of their facts. The same bytes are
// read as every release file the analyzer knows.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "analyzers/analyzer.h"
#include "analyzers/os_release.h"

namespace customs {
std::unique_ptr<Analyzer> Make_os_release();
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto os = customs::Make_os_release();
  const std::string_view content(reinterpret_cast<const char*>(data), size);
  customs::AnalysisResult all;
  for (std::string_view path :
       {"etc/os-release", "usr/lib/os-release", "etc/lsb-release", "etc/alpine-release", "etc/debian_version",
        "etc/redhat-release", "etc/system-release", "etc/SuSE-release"}) {
    customs::AnalysisResult out;
    os->Analyze(customs::AnalysisInput{path, content, 0}, out);
    all.Append(std::move(out));
  }
  (void)customs::MergeOSFacts(all.os);
  return 0;
}
