// Resolution of capability requirements (apk "D:", rpm REQUIRENAME) to the names of the packages
// of the same database that provide them; and, for language lockfiles, the "name@version" form of a
// dependency whose version the lockfile pins (the notation of Package::depends, core/types.h).
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>
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

// ---- Language packages ----

// "name@version", the depends entry naming exactly one version; `name` alone when `version` is empty.
std::string PinnedDepends(std::string_view name, std::string_view version);

// Name keys for registries whose names match loosely: ASCII lowercase (Composer, NuGet), and PEP 503
// normalization for Python ("Foo.Bar_baz" -> "foo-bar-baz"); both are core/ecosystem.h's folding.
std::string FoldCase(std::string_view name);
std::string Pep503Name(std::string_view name);

// The packages of one lockfile by name, for dependencies the lockfile names without a version:
// when it holds exactly one version of the name, that version is the one used.
class LockIndex {
 public:
  using Fold = std::string (*)(std::string_view);
  // `fold` gives the key names match under (nullptr: exact names).
  explicit LockIndex(Fold fold = nullptr) : fold_(fold) {}
  void Add(std::string_view name, std::string_view version);
  // "name@version" (with the package's own spelling of the name) when the lockfile holds exactly one
  // version of `name`; otherwise `name` as given.
  std::string Pin(std::string_view name) const;
  // "name@version" for a dependency whose version the lockfile gives, spelled as the package is
  // when it is there.
  std::string Pin(std::string_view name, std::string_view version) const;

 private:
  std::string Key(std::string_view name) const { return fold_ ? fold_(name) : std::string(name); }
  Fold fold_;
  std::map<std::string, std::set<std::pair<std::string, std::string>>> by_key_;  // key -> (name, version)
};

}  // namespace customs
