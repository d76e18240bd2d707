// Detectors read the inventory and add findings to the ScanResult. One file per detector, one line in
// detectors/list.inc.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "db/vulndb.h"
#include "findings/scan_result.h"

namespace customs {

namespace secrets {
class Engine;
}
struct MisconfigInput;  // detectors/misconfig.h

// What the detectors read besides result.inventory, one typed field per input: the CLI fills in what
// the scan prepared, and a detector whose input is missing does nothing. A new detector with a new
// input adds its field here.
struct DetectOptions {
  const db::VulnDB* db = nullptr;  // nullptr: no vulnerability database
  std::string today;               // "YYYY-MM-DD" (end-of-life notices)
  const secrets::Engine* secret_engine = nullptr;  // the secret scanner's rules
  const MisconfigInput* misconfig = nullptr;       // configuration files and checks
};

class Detector {
 public:
  virtual ~Detector() = default;
  virtual std::string_view Name() const = 0;
  virtual std::string_view Scanner() const = 0;  // the --scanners value it belongs to ("vuln")
  virtual void Detect(const DetectOptions& opts, ScanResult& result) const = 0;
};

using DetectorFactory = std::unique_ptr<Detector> (*)();

// The detectors of the given scanner ("vuln"), in detectors/list.inc order.
std::vector<std::unique_ptr<Detector>> MakeDetectors(std::string_view scanner);

// Runs the detectors of every scanner whose input `opts` holds (vuln: db, secret: secret_engine,
// misconfig: misconfig), in that order, marking each scanner as run in `result`. The one pipeline
// after the inventory: scans, SBOM targets and the server's rescans all call it.
void RunDetectors(const DetectOptions& opts, ScanResult& result);

}  // namespace customs
