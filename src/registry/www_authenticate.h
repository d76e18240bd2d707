// RFC 7235 WWW-Authenticate challenges: `Bearer realm="…",service="…",scope="…"`, `Basic realm="…"`,
// several challenges in one header, quoted strings with backslash escapes, token68.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace customs::registry {

struct Challenge {
  std::string scheme;                         // lowercased ("bearer", "basic")
  std::map<std::string, std::string> params;  // names lowercased, values unquoted
  std::string token68;                        // when the challenge carries a token68 instead of params
  std::string Param(const std::string& name) const {
    auto it = params.find(name);
    return it == params.end() ? "" : it->second;
  }
};

// Parses a header value (or several joined with ", "). Throws RegistryError(kProtocol) when malformed.
std::vector<Challenge> ParseWwwAuthenticate(std::string_view header);

}  // namespace customs::registry
