// The built-in checks: the files under checks/ (one YAML file per check), compiled into the binary
// by CMakeLists.txt as raw string literals (build/generated/builtin_checks_data.cpp), loaded once with
// the same loader as user checks. A built-in check that does not load is a build bug: the unit and
// e2e tests load every one of them.
#include <mutex>
#include <set>
#include <string>

#include "core/error.h"
#include "misconfig/check.h"

namespace customs::misconfig {

struct BuiltinCheckFile { const char* path; const char* text; };
extern const BuiltinCheckFile kBuiltinCheckFiles[];

const std::vector<Check>& BuiltinChecks() {
  static const std::vector<Check> checks = [] {
    std::vector<Check> all;
    std::set<std::string> ids;
    for (const BuiltinCheckFile* f = kBuiltinCheckFiles; f->path; ++f) {
      for (auto& c : LoadChecksFromText(f->text, std::string("builtin:") + f->path)) {
        if (!ids.insert(c.id).second) throw Error(kExitInternal, std::string(f->path) + ": duplicate check id " + c.id);
        all.push_back(std::move(c));
      }
    }
    return all;
  }();
  return checks;
}

}  // namespace customs::misconfig
