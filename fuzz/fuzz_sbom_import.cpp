// libFuzzer target: SBOM import (src/inventory/sbom_import.cpp), the parser behind `customs sbom` and
// the store's submissions. Properties checked on every input, besides not crashing:
//  - only customs::Error leaves ImportSbom;
//  - every imported package has a type from the ecosystem table, a name, and a db_path;
//  - the packages are sorted as the inventory promises, and the purl customs writes for each parses.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <tuple>

#include "core/ecosystem.h"
#include "core/error.h"
#include "inventory/purl.h"
#include "inventory/sbom_import.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  customs::ImportedSbom sbom;
  try {
    sbom = customs::ImportSbom(text, "fuzz.cdx.json");
  } catch (const customs::Error&) {
    return 0;
  } catch (...) {
    std::abort();
  }
  const auto& pkgs = sbom.inventory.packages;
  for (size_t i = 0; i < pkgs.size(); ++i) {
    const auto& p = pkgs[i];
    if (!customs::ecosystem::ForType(p.type) || p.name.empty() || p.db_path.empty()) std::abort();
    if (i > 0 && std::tie(p.db_path, p.name, p.version, p.arch) <
                     std::tie(pkgs[i - 1].db_path, pkgs[i - 1].name, pkgs[i - 1].version, pkgs[i - 1].arch))
      std::abort();
    const std::string purl = customs::Purl(p, sbom.inventory.os);
    if (!purl.empty() && !customs::ParsePurl(purl)) std::abort();
  }
  return 0;
}
