#include "support/postgres_fixture.h"

#include <atomic>
#include <cstdlib>
#include <mutex>

#include <unistd.h>

#include "support/fixtures.h"

namespace customs_test {

namespace {

struct Server {
  std::string dir, url, error;
  ~Server() {
    if (!dir.empty()) Run({"bash", SourceDir() + "/scripts/postgres.sh", "stop", dir});
  }
};

Server& TheServer() {
  static Server s;
  static std::once_flag once;
  std::call_once(once, [] {
    RunResult r = Run({"bash", SourceDir() + "/scripts/postgres.sh", "start"});
    if (r.exit_code != 0) {
      s.error = "scripts/postgres.sh start failed (" + r.Describe() + "): PostgreSQL tests skipped";
      return;
    }
    std::string out = r.out;
    while (!out.empty() && out.back() == '\n') out.pop_back();
    const size_t nl = out.rfind('\n');
    s.url = out.substr(nl + 1);
    s.dir = out.substr(0, nl);
    s.dir = s.dir.substr(s.dir.rfind('\n') == std::string::npos ? 0 : s.dir.rfind('\n') + 1);
  });
  return s;
}

}  // namespace

std::optional<std::string> FreshPostgresDatabase(std::string* why) {
  Server& s = TheServer();
  if (s.url.empty()) {
    *why = s.error;
    return std::nullopt;
  }
  static std::atomic<int> n{0};
  const std::string name = "t" + std::to_string(::getpid()) + "_" + std::to_string(n++);
  RunResult r = Run({"psql", s.url, "-v", "ON_ERROR_STOP=1", "-q", "-c", "CREATE DATABASE " + name});
  if (r.exit_code != 0) {
    *why = "CREATE DATABASE failed: " + r.Describe();
    return std::nullopt;
  }
  return s.url.substr(0, s.url.rfind('/') + 1) + name;
}

}  // namespace customs_test
