// Resolution of capability requirements (apk "D:", rpm REQUIRENAME) to the names of the packages
// of the same database that provide them.
#pragma once

#include <string>
#include <vector>

#include "core/types.h"

namespace customs {

// What one package offers and needs, as capability names without version constraints.
struct Capabilities {
  std::vector<std::string> provides;  // besides the package's own name, which always counts
  std::vector<std::string> requirements;
};

struct ResolveOptions {
  // rpm semantics: a requirement that is an absolute path ("/bin/sh") is also satisfied by a
  // package whose file list holds that file (Package.files, stored without the leading "/").
  bool files_provide = false;
};

// Sets packages[i].depends to the sorted, deduplicated names of the packages providing
// caps[i].requirements. A package whose own name is the requirement wins; when several packages
// provide it, the smallest name is taken so the answer does not depend on database order.
// Requirements nobody provides are dropped, and so are a package's references to itself.
void ResolveDepends(std::vector<Package>& packages, const std::vector<Capabilities>& caps,
                    const ResolveOptions& opts = {});

}  // namespace customs
