// Credentials (docker's config.json `auths`) and the Bearer token endpoint (distribution's token
// authentication spec: GET realm?service=…&scope=…, JSON with `token` or `access_token`).
#include "registry/auth.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/curl_lib.h"
#include "core/error.h"
#include "formats/json.h"
#include "registry/client.h"

namespace customs::registry {

namespace {

constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// "https://host/v1/" -> "host"; "host" -> "host".
std::string HostOfKey(std::string key) {
  for (const char* scheme : {"https://", "http://"})
    if (key.rfind(scheme, 0) == 0) key = key.substr(std::strlen(scheme));
  if (size_t slash = key.find('/'); slash != std::string::npos) key = key.substr(0, slash);
  if (key == "index.docker.io" || key == "registry-1.docker.io") key = "docker.io";
  return key;
}

std::string ReadWhole(const std::string& path, bool& exists) {
  std::ifstream in(path, std::ios::binary);
  exists = bool(in);
  if (!in) {
    if (errno != ENOENT) throw IoError(path, std::strerror(errno));
    return "";
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

nlohmann::json LoadConfigJson(const std::string& path) {
  bool exists = false;
  std::string text = ReadWhole(path, exists);
  if (!exists || text.find_first_not_of(" \t\r\n") == std::string::npos) return nlohmann::json::object();
  auto j = ParseJsonOrDiscarded(text, path);
  if (j.is_discarded() || !j.is_object()) throw InputError(path, "not a JSON object");
  return j;
}

void WriteConfigJson(const std::string& path, const nlohmann::json& j) {
  std::string dir = path.substr(0, path.rfind('/') == std::string::npos ? 0 : path.rfind('/'));
  if (!dir.empty() && ::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) throw IoError(dir, std::strerror(errno));
  std::string tmp = path + ".tmp-" + std::to_string(::getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) throw IoError(tmp, std::strerror(errno));
  std::string text = j.dump(1, '\t') + "\n";
  size_t off = 0;
  while (off < text.size()) {
    ssize_t n = ::write(fd, text.data() + off, text.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      int e = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      throw IoError(tmp, std::strerror(e));
    }
    off += size_t(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    ::unlink(tmp.c_str());
    throw IoError(tmp, std::strerror(errno));
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    int e = errno;
    ::unlink(tmp.c_str());
    throw IoError(path, std::strerror(e));
  }
}

std::string Escape(const std::string& s) {
  char* e = curl::Lib().easy_escape(nullptr, s.c_str(), int(s.size()));
  std::string out = e ? e : "";
  curl::Lib().free(e);
  return out;
}

}  // namespace

std::string DefaultDockerConfigPath() {
  if (const char* d = std::getenv("DOCKER_CONFIG"); d && *d) return std::string(d) + "/config.json";
  const char* home = std::getenv("HOME");
  return std::string(home && *home ? home : ".") + "/.docker/config.json";
}

std::string DockerConfigKey(const std::string& registry) {
  return registry == "docker.io" ? "https://index.docker.io/v1/" : registry;
}

std::string Base64Encode(std::string_view data) {
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < data.size(); i += 3) {
    uint32_t v = uint32_t(uint8_t(data[i])) << 16 | uint32_t(uint8_t(data[i + 1])) << 8 | uint8_t(data[i + 2]);
    out += kB64[v >> 18];
    out += kB64[(v >> 12) & 63];
    out += kB64[(v >> 6) & 63];
    out += kB64[v & 63];
  }
  if (size_t rest = data.size() - i; rest) {
    uint32_t v = uint32_t(uint8_t(data[i])) << 16 | (rest == 2 ? uint32_t(uint8_t(data[i + 1])) << 8 : 0);
    out += kB64[v >> 18];
    out += kB64[(v >> 12) & 63];
    out += rest == 2 ? kB64[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::optional<std::string> Base64Decode(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.remove_suffix(1);
  size_t pad = 0;
  while (!text.empty() && text.back() == '=' && pad < 2) text.remove_suffix(1), ++pad;
  if (text.size() % 4 == 1) return std::nullopt;
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    const char* p = c ? std::strchr(kB64, c) : nullptr;
    if (!p) return std::nullopt;
    acc = (acc << 6) | uint32_t(p - kB64);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += char((acc >> bits) & 0xff);
    }
  }
  return out;
}

std::optional<Credentials> LookupDockerConfigText(std::string_view json, const std::string& registry,
                                                  const std::string& where) {
  auto j = ParseJsonOrDiscarded(json, where);
  if (j.is_discarded() || !j.is_object()) throw InputError(where, "not a JSON object");
  auto auths = j.find("auths");
  if (auths == j.end() || !auths->is_object()) return std::nullopt;
  const std::string want = HostOfKey(registry);
  for (auto it = auths->begin(); it != auths->end(); ++it) {
    if (HostOfKey(it.key()) != want || !it->is_object()) continue;
    const auto& e = *it;
    Credentials c;
    if (auto a = e.find("auth"); a != e.end() && a->is_string() && !a->get<std::string>().empty()) {
      auto decoded = Base64Decode(a->get<std::string>());
      size_t colon = decoded ? decoded->find(':') : std::string::npos;
      // The value is a secret: the message names the entry, never its content.
      if (colon == std::string::npos)
        throw InputError(where, "auths[\"" + it.key() + "\"].auth is not base64 of \"user:password\"");
      c.username = decoded->substr(0, colon);
      c.password = decoded->substr(colon + 1);
      return c;
    }
    auto u = e.find("username"), p = e.find("password");
    if (u != e.end() && u->is_string() && p != e.end() && p->is_string()) {
      c.username = u->get<std::string>();
      c.password = p->get<std::string>();
      return c;
    }
  }
  return std::nullopt;
}

std::optional<Credentials> LookupDockerConfig(const std::string& config_path, const std::string& registry) {
  bool exists = false;
  std::string text = ReadWhole(config_path, exists);
  if (!exists) return std::nullopt;
  return LookupDockerConfigText(text, registry, config_path);
}

void StoreDockerConfig(const std::string& config_path, const std::string& registry, const Credentials& creds) {
  nlohmann::json j = LoadConfigJson(config_path);
  if (!j.contains("auths") || !j["auths"].is_object()) j["auths"] = nlohmann::json::object();
  auto& auths = j["auths"];
  const std::string want = HostOfKey(registry);
  for (auto it = auths.begin(); it != auths.end();) {
    if (HostOfKey(it.key()) == want) it = auths.erase(it);
    else ++it;
  }
  auths[DockerConfigKey(registry)] = {{"auth", Base64Encode(creds.username + ":" + creds.password)}};
  WriteConfigJson(config_path, j);
}

bool RemoveDockerConfig(const std::string& config_path, const std::string& registry) {
  nlohmann::json j = LoadConfigJson(config_path);
  if (!j.contains("auths") || !j["auths"].is_object()) return false;
  auto& auths = j["auths"];
  bool removed = false;
  const std::string want = HostOfKey(registry);
  for (auto it = auths.begin(); it != auths.end();) {
    if (HostOfKey(it.key()) == want) {
      it = auths.erase(it);
      removed = true;
    } else {
      ++it;
    }
  }
  if (removed) WriteConfigJson(config_path, j);
  return removed;
}

std::string BasicAuthorization(const Credentials& c) { return "Basic " + Base64Encode(c.username + ":" + c.password); }

std::string RepositoryScope(const std::string& repository, bool push) {
  return "repository:" + repository + (push ? ":pull,push" : ":pull");
}

std::string TokenUrl(const Challenge& bearer, const std::string& scope) {
  std::string realm = bearer.Param("realm");
  if (realm.rfind("https://", 0) != 0 && realm.rfind("http://", 0) != 0)
    throw RegistryError(RegistryError::Kind::kProtocol, "the registry's Bearer challenge has no http(s) realm");
  std::string url = realm;
  char sep = realm.find('?') == std::string::npos ? '?' : '&';
  if (std::string service = bearer.Param("service"); !service.empty()) {
    url += sep + std::string("service=") + Escape(service);
    sep = '&';
  }
  if (!scope.empty()) url += sep + std::string("scope=") + Escape(scope);
  return url;
}

std::string ParseTokenResponse(std::string_view body) {
  auto j = ParseJsonOrDiscarded(body, "token response");
  if (j.is_discarded() || !j.is_object())
    throw RegistryError(RegistryError::Kind::kProtocol, "the token endpoint did not answer with a JSON object");
  for (const char* key : {"token", "access_token"}) {
    auto it = j.find(key);
    if (it != j.end() && it->is_string() && !it->get<std::string>().empty()) return it->get<std::string>();
  }
  throw RegistryError(RegistryError::Kind::kProtocol, "the token endpoint's answer has no token");
}

std::optional<std::string> TokenCache::Get(const std::string& registry, const std::string& scope) const {
  auto it = tokens_.find(registry + "\n" + scope);
  if (it == tokens_.end()) return std::nullopt;
  return it->second;
}
void TokenCache::Put(const std::string& registry, const std::string& scope, std::string token) {
  tokens_[registry + "\n" + scope] = std::move(token);
}
void TokenCache::Drop(const std::string& registry, const std::string& scope) { tokens_.erase(registry + "\n" + scope); }

}  // namespace customs::registry
