// Registry commands: `customs registry login HOST -u USER --password-stdin`, `customs registry logout
// HOST` (both on docker's config.json `auths`, $DOCKER_CONFIG or ~/.docker/config.json), and
// `customs clean` (empties the layer cache).
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <iterator>

#include "cli/command.h"
#include "core/error.h"
#include "core/log.h"
#include "registry/auth.h"
#include "registry/cache.h"
#include "registry/client.h"

namespace customs {

namespace {

struct LoginFlags {
  std::string host, username, cacert, config;
  bool password_stdin = false, insecure = false;
};

// "https://host/" or "host/path" -> "host"; a registry host, as docker accepts it.
std::string NormalizeHost(std::string h) {
  for (const char* scheme : {"https://", "http://"})
    if (h.rfind(scheme, 0) == 0) h = h.substr(std::string(scheme).size());
  if (size_t slash = h.find('/'); slash != std::string::npos) h = h.substr(0, slash);
  if (h.empty()) throw UsageError("registry: empty host");
  // Validated with the reference grammar: HOST/x must parse with HOST as the registry.
  auto ref = registry::Reference::Parse(h + "/x");
  if (ref.registry != h && !(h == "index.docker.io" && ref.registry == "docker.io"))
    throw UsageError("registry: '" + h + "' is not a registry host (it needs a '.' or a ':port', or localhost)");
  return ref.registry;
}

int RunLogin(const LoginFlags& f) {
  InitLogging(LogLevel::kNormal);
  const std::string host = NormalizeHost(f.host);
  std::string password;
  if (f.password_stdin) {
    password.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    while (!password.empty() && (password.back() == '\n' || password.back() == '\r')) password.pop_back();
  } else if (const char* p = std::getenv("CUSTOMS_REGISTRY_PASSWORD"); p && *p) {
    password = p;
  } else {
    throw UsageError("registry login: give the password on standard input (--password-stdin) or in "
                     "CUSTOMS_REGISTRY_PASSWORD");
  }
  if (f.username.empty()) throw UsageError("registry login: --username is required");
  if (password.empty()) throw UsageError("registry login: empty password");
  registry::ClientOptions co;
  co.ca_file = f.cacert;
  if (f.insecure) co.insecure_registries.push_back(host);
  co.username = f.username;
  co.password = password;
  registry::Client client(co);
  try {
    client.CheckLogin(host);
  } catch (const registry::RegistryError& e) {
    throw Error(e.kind == registry::RegistryError::Kind::kProtocol ? kExitInputRejected : kExitIo, e.what());
  }
  const std::string path = f.config.empty() ? registry::DefaultDockerConfigPath() : f.config;
  registry::StoreDockerConfig(path, host, {f.username, password});
  std::cerr << "customs: logged in to " << host << " (credentials stored in " << path << ")\n";
  return kExitOk;
}

int RunLogout(const std::string& raw_host, const std::string& config) {
  const std::string host = NormalizeHost(raw_host);
  const std::string path = config.empty() ? registry::DefaultDockerConfigPath() : config;
  if (registry::RemoveDockerConfig(path, host)) std::cerr << "customs: removed the credentials for " << host << "\n";
  else std::cerr << "customs: not logged in to " << host << "\n";
  return kExitOk;
}

int RunClean(const std::string& dir) {
  registry::LayerCache cache(dir);
  size_t n = cache.Clean();
  std::cout << "removed " << n << " cached layer" << (n == 1 ? "" : "s") << " from " << cache.dir() << "\n";
  std::cout.flush();
  return kExitOk;
}

}  // namespace

void RegisterCommands_registry(CLI::App& app, CommandSet& set) {
  struct State {
    LoginFlags login;
    std::string logout_host, logout_config, cache_dir;
  };
  auto st = std::make_shared<State>();

  auto* reg = app.add_subcommand("registry", "registry credentials (docker's config.json)");
  reg->require_subcommand(1);
  auto* login = reg->add_subcommand("login", "check credentials against a registry and store them in "
                                             "~/.docker/config.json (as docker login does)");
  login->add_option("HOST", st->login.host, "registry host[:port]")->required();
  login->add_option("-u,--username", st->login.username, "user name")->required();
  login->add_flag("--password-stdin", st->login.password_stdin, "read the password from standard input");
  login->add_option("--cacert", st->login.cacert, "PEM CA bundle to trust for the registry's TLS certificate");
  login->add_flag("--insecure", st->login.insecure, "the registry speaks plain HTTP");
  login->add_option("--config", st->login.config, "config file (default $DOCKER_CONFIG/config.json or "
                                                  "~/.docker/config.json)");
  login->callback([st, &set] { set.selected = [st] { return RunLogin(st->login); }; });

  auto* logout = reg->add_subcommand("logout", "remove a registry's credentials from ~/.docker/config.json");
  logout->add_option("HOST", st->logout_host, "registry host[:port]")->required();
  logout->add_option("--config", st->logout_config, "config file (default as for login)");
  logout->callback([st, &set] { set.selected = [st] { return RunLogout(st->logout_host, st->logout_config); }; });

  auto* clean = app.add_subcommand("clean", "empty the layer cache of registry images");
  clean->add_option("--cache-dir", st->cache_dir, "layer cache directory (default ~/.cache/customs/layers)");
  clean->callback([st, &set] { set.selected = [st] { return RunClean(st->cache_dir); }; });
}

}  // namespace customs
