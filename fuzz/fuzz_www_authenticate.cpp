// Fuzzes the WWW-Authenticate parser (src/registry/www_authenticate.h) and what the token flow builds
// from its result (the token URL) and reads back (the token response). Only RegistryError may escape.
#include <cstdint>
#include <string>
#include <string_view>

#include "registry/auth.h"
#include "registry/client.h"
#include "registry/www_authenticate.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace customs::registry;
  std::string_view in(reinterpret_cast<const char*>(data), size);
  try {
    auto challenges = ParseWwwAuthenticate(in);
    if (challenges.empty()) __builtin_trap();
    for (const auto& c : challenges) {
      if (c.scheme.empty()) __builtin_trap();
      if (c.scheme == "bearer") {
        try {
          std::string url = TokenUrl(c, RepositoryScope("library/alpine", true));
          if (url.rfind("http", 0) != 0) __builtin_trap();
        } catch (const RegistryError&) {
        }
      }
    }
  } catch (const RegistryError&) {
  }
  try {
    (void)ParseTokenResponse(in);
  } catch (const RegistryError&) {
  }
  return 0;
}
