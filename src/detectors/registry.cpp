#include <algorithm>
#include <tuple>

#include "detectors/detector.h"

namespace customs {

#define CUSTOMS_DETECTOR(id) std::unique_ptr<Detector> MakeDetector_##id();
#include "detectors/list.inc"
#undef CUSTOMS_DETECTOR

std::vector<std::unique_ptr<Detector>> MakeDetectors(std::string_view scanner) {
  static const DetectorFactory kTable[] = {
#define CUSTOMS_DETECTOR(id) &MakeDetector_##id,
#include "detectors/list.inc"
#undef CUSTOMS_DETECTOR
  };
  std::vector<std::unique_ptr<Detector>> out;
  for (auto make : kTable) {
    auto d = make();
    if (d->Scanner() == scanner) out.push_back(std::move(d));
  }
  return out;
}

namespace {

// The scanners in the order they run, each with the input its detectors need and the flag that says
// in the report that it ran. A scanner runs when the scan prepared its input.
struct ScannerStage {
  std::string_view scanner;  // the --scanners value (Detector::Scanner)
  bool (*ready)(const DetectOptions&);
  bool ScanResult::*scanned;
};
constexpr ScannerStage kScannerStages[] = {
    {"vuln", [](const DetectOptions& o) { return o.db != nullptr; }, &ScanResult::vuln_scanned},
    {"secret", [](const DetectOptions& o) { return o.secret_engine != nullptr; }, &ScanResult::secret_scanned},
    {"misconfig", [](const DetectOptions& o) { return o.misconfig != nullptr; }, &ScanResult::misconfig_scanned},
};

}  // namespace

void RunDetectors(const DetectOptions& opts, ScanResult& result) {
  for (const ScannerStage& stage : kScannerStages) {
    if (!stage.ready(opts)) continue;
    result.*stage.scanned = true;
    for (const auto& d : MakeDetectors(stage.scanner)) d->Detect(opts, result);
  }
  std::sort(result.vulnerabilities.begin(), result.vulnerabilities.end(), [](const VulnFinding& a, const VulnFinding& b) {
    return std::tie(a.package_index, a.id) < std::tie(b.package_index, b.id);
  });
}

}  // namespace customs
