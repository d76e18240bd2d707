// Registry credentials and tokens: ~/.docker/config.json `auths` (read and written as docker does),
// basic credentials, and the token endpoint of the Bearer flow (request URL, response).
// Secrets held here are never logged and never put in error messages.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "registry/www_authenticate.h"

namespace customs::registry {

struct Credentials {
  std::string username, password;
  bool empty() const { return username.empty() && password.empty(); }
};

// $DOCKER_CONFIG/config.json, else ~/.docker/config.json.
std::string DefaultDockerConfigPath();

// The `auths` key docker uses for a registry: "https://index.docker.io/v1/" for docker.io, else the host.
std::string DockerConfigKey(const std::string& registry);

// Credentials for `registry` from the config's `auths` (base64 "user:password" in `auth`, or
// `username`/`password`); keys may carry a scheme and a path ("https://host/v1/"). nullopt when the
// file or the entry is absent; InputError when the file is not valid JSON.
std::optional<Credentials> LookupDockerConfig(const std::string& config_path, const std::string& registry);
// Parses the config's text (for the tests and the fuzzer).
std::optional<Credentials> LookupDockerConfigText(std::string_view json, const std::string& registry,
                                                  const std::string& where = "config.json");

// Adds or replaces the registry's entry (`auth` = base64 "user:password"), keeping every other key;
// the file is written with mode 0600 through a temp file and a rename.
void StoreDockerConfig(const std::string& config_path, const std::string& registry, const Credentials& creds);
// Removes the registry's entry; false when there was none.
bool RemoveDockerConfig(const std::string& config_path, const std::string& registry);

std::string Base64Encode(std::string_view data);
std::optional<std::string> Base64Decode(std::string_view text);  // nullopt when malformed

// "Basic <base64(user:password)>".
std::string BasicAuthorization(const Credentials& c);

// "repository:<repo>:pull" or "repository:<repo>:pull,push".
std::string RepositoryScope(const std::string& repository, bool push);

// The token request URL for a Bearer challenge: realm?service=…&scope=… (query-escaped). Throws
// RegistryError(kProtocol) when the realm is not an http(s) URL.
std::string TokenUrl(const Challenge& bearer, const std::string& scope);

// `token` or `access_token` of a token endpoint's JSON response; RegistryError(kProtocol) otherwise.
std::string ParseTokenResponse(std::string_view body);

// Bearer tokens per (registry, scope).
class TokenCache {
 public:
  std::optional<std::string> Get(const std::string& registry, const std::string& scope) const;
  void Put(const std::string& registry, const std::string& scope, std::string token);
  void Drop(const std::string& registry, const std::string& scope);

 private:
  std::map<std::string, std::string> tokens_;
};

}  // namespace customs::registry
