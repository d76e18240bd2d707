#include <memory>

#include "reporters/reporter.h"

namespace customs {

#define CUSTOMS_REPORTER(format, id) std::unique_ptr<Reporter> MakeReporter_##id();
#include "reporters/list.inc"
#undef CUSTOMS_REPORTER

const std::vector<ReporterEntry>& ReporterRegistry() {
  static const std::vector<ReporterEntry> kTable = {
#define CUSTOMS_REPORTER(format, id) {format, &MakeReporter_##id},
#include "reporters/list.inc"
#undef CUSTOMS_REPORTER
  };
  return kTable;
}

std::unique_ptr<Reporter> MakeReporter(std::string_view format) {
  for (const auto& e : ReporterRegistry())
    if (format == e.format) return e.make();
  return nullptr;
}

}  // namespace customs
