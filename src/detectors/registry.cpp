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

}  // namespace customs
