// Fuzzes the registry's manifest-response handling (src/registry/manifest.h): the first byte picks the
// Content-Type the "registry" claims (one of the four manifest media types, schema 1, JSON, none),
// the rest is the body; then platform selection on indexes, the docker config.json credentials
// reader and the reference parser on the same bytes. Only customs::Error and RegistryError may escape.
#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.h"
#include "registry/auth.h"
#include "registry/client.h"
#include "registry/manifest.h"

namespace {

using namespace customs;

template <class F>
void Guarded(F&& f) {
  try {
    f();
  } catch (const Error&) {
  } catch (const registry::RegistryError&) {
  }
}

const char* const kTypes[] = {
    "application/vnd.oci.image.index.v1+json",
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
    "application/vnd.docker.distribution.manifest.v2+json",
    "application/vnd.docker.distribution.manifest.v1+prettyjws",
    "application/json; charset=utf-8",
    "",
    "text/plain",
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const char* type = kTypes[data[0] % (sizeof kTypes / sizeof kTypes[0])];
  std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
  Guarded([&] {
    registry::ParsedManifest p = registry::ParseManifest(type, body, "fuzz");
    if (p.kind != oci::MediaKind::kIndex && p.kind != oci::MediaKind::kManifest) __builtin_trap();
    if (p.kind == oci::MediaKind::kIndex) {
      for (const char* w : {"linux/amd64", "linux/arm64", "linux/arm/v7", "windows/amd64"}) {
        auto d = registry::SelectManifest(p.index, oci::ParsePlatform(w));
        if (d && d->digest.empty()) __builtin_trap();
      }
    }
  });
  Guarded([&] { (void)registry::LookupDockerConfigText(body, "127.0.0.1:5000"); });
  Guarded([&] {
    auto r = registry::Reference::Parse(body.substr(0, 300));
    // A parsed reference's canonical form parses back to itself.
    if (registry::Reference::Parse(r.String()).String() != r.String()) __builtin_trap();
  });
  return 0;
}
