// The version-scheme registry: the comparators of version/list.inc, and the lookup by scheme (enum
// or id) or OSV ecosystem name (the names are core/ecosystem.cpp's table).
#include "core/distro.h"
#include "core/ecosystem.h"
#include "version/version.h"

namespace customs::version {

#define CUSTOMS_VERSION_SCHEME(id) const Comparator& Comparator_##id();
#include "version/list.inc"
#undef CUSTOMS_VERSION_SCHEME

const std::vector<SchemeEntry>& Schemes() {
  static const std::vector<SchemeEntry> kTable = [] {
    std::vector<SchemeEntry> t = {
#define CUSTOMS_VERSION_SCHEME(id) {#id, &Comparator_##id(), {}},
#include "version/list.inc"
#undef CUSTOMS_VERSION_SCHEME
    };
    for (auto& e : t)
      for (const auto& n : ecosystem::OsvNames())
        if (ecosystem::SchemeId(n.scheme) == e.id) e.ecosystems.push_back(n.name);
    return t;
  }();
  return kTable;
}

namespace {

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (detail::ToLower(a[i]) != detail::ToLower(b[i])) return false;
  return true;
}

const Comparator* Lookup(std::string_view name) {
  for (const auto& e : Schemes()) {
    if (EqualsIgnoreCase(name, e.id)) return e.comparator;
    for (std::string_view eco : e.ecosystems)
      if (EqualsIgnoreCase(name, eco)) return e.comparator;
  }
  return nullptr;
}

}  // namespace

const Comparator* ComparatorFor(std::string_view scheme) {
  if (const Comparator* c = Lookup(scheme)) return c;
  // OSV ecosystems with a release: "Alpine:v3.18", "Debian:12", "Ubuntu:22.04:LTS".
  size_t colon = scheme.find(':');
  if (colon != std::string_view::npos && colon > 0)
    if (const Comparator* c = Lookup(scheme.substr(0, colon))) return c;
  // Distribution keys the database stores ("rhel:9", "sles:15.5", "opensuse-leap:15.5", "amzn:2"):
  // the version order of core/distro.h's row.
  if (const distro::Distro* d = distro::ForEcosystem(scheme)) return &ComparatorFor(d->scheme);
  return nullptr;
}

const Comparator& ComparatorFor(ecosystem::Scheme scheme) {
  // Every enum value has its line in list.inc (the version registry test checks it).
  static const auto kByScheme = [] {
    std::vector<const Comparator*> v;
    for (ecosystem::Scheme s : ecosystem::kAllSchemes) v.push_back(Lookup(ecosystem::SchemeId(s)));
    return v;
  }();
  return *kByScheme[static_cast<size_t>(scheme)];
}

}  // namespace customs::version
