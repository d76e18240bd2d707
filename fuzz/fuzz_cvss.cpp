// libFuzzer target: CVSS vector parsing and scoring (src/cvss/), and the vendor severity words.
// Properties checked on every input, besides not crashing:
//  - a parsed vector's scores (base, temporal, environmental, overall) are within [0, 10] and are
//    multiples of 0.1;
//  - the vector it reports parses again to the same version and scores.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "cvss/cvss.h"
#include "cvss/severity.h"

namespace {

void CheckScore(double x) {
  if (!(x >= 0.0 && x <= 10.0)) std::abort();
  if (std::abs(x * 10 - std::round(x * 10)) > 1e-9) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  std::string error;
  const auto s = customs::cvss::Parse(input, &error);
  (void)customs::cvss::ParseSeverity(input);
  if (!s) {
    if (error.empty()) std::abort();  // a rejection always says why
    return 0;
  }
  CheckScore(s->base);
  CheckScore(s->overall);
  if (s->temporal) CheckScore(*s->temporal);
  if (s->environmental) CheckScore(*s->environmental);
  (void)customs::cvss::Name(customs::cvss::FromCvss(*s));
  (void)customs::cvss::Nomenclature(*s);

  const auto again = customs::cvss::Parse(s->vector);
  if (!again || again->version != s->version || again->base != s->base || again->overall != s->overall ||
      again->temporal != s->temporal || again->environmental != s->environmental || again->vector != s->vector)
    std::abort();
  return 0;
}
