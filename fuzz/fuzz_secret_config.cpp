// libFuzzer target: the secret config loader (src/secrets/config.cpp) on arbitrary bytes. Properties
// checked on every input, besides not crashing:
//  - the loader either returns or throws customs::Error with exit code 2 and a message that starts with
//    the origin it was given (nothing else escapes);
//  - a loaded config has unique rule ids, every rule a non-empty regex that PCRE2 compiles and a
//    max-length of at least 1, every allow rule a regex or a path;
//  - the built-in rules it keeps are the built-in table's, in the table's order.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "core/error.h"
#include "secrets/config.h"

namespace {

bool Compiles(const std::string& re) {
  int err = 0;
  PCRE2_SIZE off = 0;
  pcre2_code* code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(re.data()), re.size(), 0, &err, &off, nullptr);
  if (code == nullptr) return false;
  pcre2_code_free(code);
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace customs::secrets;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  Config cfg;
  try {
    cfg = LoadConfig(input, "fuzz.yaml");
  } catch (const customs::Error& e) {
    if (e.code() != customs::kExitUsage) std::abort();
    if (std::string_view(e.what()).substr(0, 9) != "fuzz.yaml") std::abort();
    return 0;
  }
  static const std::set<std::string> builtin_ids = [] {
    std::set<std::string> s;
    for (const Rule& r : BuiltinRules()) s.insert(r.id);
    return s;
  }();
  const auto& builtin = BuiltinRules();
  std::set<std::string> ids;
  size_t next_builtin = 0;
  bool custom_seen = false;
  for (const Rule& r : cfg.rules) {
    if (!ids.insert(r.id).second) std::abort();
    if (r.regex.empty() || r.max_len == 0) std::abort();
    if (builtin_ids.count(r.id) != 0) {
      // Built-ins come first, in the table's order, unchanged.
      if (custom_seen) std::abort();
      while (next_builtin < builtin.size() && builtin[next_builtin].id != r.id) ++next_builtin;
      if (next_builtin == builtin.size() || builtin[next_builtin].regex != r.regex) std::abort();
      ++next_builtin;
    } else {
      custom_seen = true;
      if (!Compiles(r.regex)) std::abort();
      if (!r.path.empty() && !Compiles(r.path)) std::abort();
      for (const auto& a : r.allow)
        if (!Compiles(a)) std::abort();
    }
  }
  for (const AllowRule& a : cfg.allow_rules) {
    if (a.regex.empty() && a.path.empty()) std::abort();
  }
  return 0;
}
