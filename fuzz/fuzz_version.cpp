// libFuzzer target: the version comparators. The input is split at its first '\n' into two
// version strings (no '\n': both are the whole input), and every comparator of version/list.inc
// must take them without crashing or hanging, with Compare(a, a) == 0, Compare(b, b) == 0 and
// sign(Compare(a, b)) == -sign(Compare(b, a)). Valid() is called on both too.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "version/version.h"

namespace {

int Sign(int c) { return (c > 0) - (c < 0); }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t nl = input.find('\n');
  const std::string_view a = input.substr(0, nl);
  const std::string_view b = nl == std::string_view::npos ? input : input.substr(nl + 1);
  for (const auto& e : customs::version::Schemes()) {
    const customs::version::Comparator& c = *e.comparator;
    (void)c.Valid(a);
    (void)c.Valid(b);
    if (c.Compare(a, a) != 0 || c.Compare(b, b) != 0) std::abort();
    if (Sign(c.Compare(a, b)) != -Sign(c.Compare(b, a))) std::abort();
  }
  return 0;
}
