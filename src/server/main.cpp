// The `customs-server` program: `customs server ...` (src/cli/server_command.cpp) execs it with its
// arguments. The scan store's REST API (server.h) and `customs server token create`.
#include <signal.h>

#include <csignal>
#include <ctime>
#include <filesystem>
#include <iostream>

#include <CLI/CLI.hpp>
#include "core/error.h"
#include "core/log.h"
#include "server/server.h"
#include "store/store.h"

namespace customs {

namespace {

volatile std::sig_atomic_t g_server_stop = 0;
void OnServerSignal(int) { g_server_stop = 1; }

struct ServerFlags {
  server::Options opts;
  std::string scope = "read", note;
  bool debug = false;
};

std::string StoreUrl(const std::string& s) { return s.empty() ? server::DefaultStorePath() : s; }

int RunServer(ServerFlags& f) {
  InitLogging(f.debug ? LogLevel::kDebug : LogLevel::kNormal);
  // SIGTERM/SIGINT: stop accepting, finish the requests in flight, exit 0 (Kubernetes' shutdown).
  struct sigaction sa {};
  sa.sa_handler = OnServerSignal;
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGINT, &sa, nullptr);
  signal(SIGPIPE, SIG_IGN);
  f.opts.stop = &g_server_stop;
  return server::Run(f.opts);
}

int RunTokenCreate(const ServerFlags& f) {
  InitLogging(LogLevel::kNormal);
  const std::string url = StoreUrl(f.opts.store);
  if (f.opts.store.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(std::filesystem::path(url).parent_path(), ec);
  }
  auto st = store::Store::Open(url);
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char at[32];
  std::strftime(at, sizeof at, "%Y-%m-%dT%H:%M:%SZ", &tm);
  std::cout << st->CreateToken(f.scope, at, f.note) << "\n";
  return 0;
}

}  // namespace
}  // namespace customs

int main(int argc, char** argv) {
  using namespace customs;
  CLI::App app{"customs server: the scan store's REST API (docs/server.md)", "customs server"};
  std::function<int()> selected;
  auto f = std::make_shared<ServerFlags>();
  auto* srv = &app;
  srv->add_option("--listen", f->opts.listen, "HOST:PORT to listen on")->capture_default_str();
  srv->add_option("--store", f->opts.store, "store: a SQLite file (default ~/.local/share/customs/store.db) or "
                                            "postgres://USER@HOST:PORT/DB");
  srv->add_option("--db", f->opts.db_path, "vulnerability database (default ~/.cache/customs/db/customs.db)");
  srv->add_option("--tls-cert", f->opts.tls_cert, "serve HTTPS with this PEM certificate (with --tls-key)");
  srv->add_option("--tls-key", f->opts.tls_key, "the certificate's PEM private key");
  srv->add_flag("-d,--debug", f->debug, "debug logging on stderr");
  auto* token = srv->add_subcommand("token", "API tokens");
  token->require_subcommand(1);
  auto* create = token->add_subcommand("create", "print a new API token (stored hashed in the store)");
  create->add_option("--scope", f->scope, "read (queries) or write (submissions, rescans)")->capture_default_str();
  create->add_option("--store", f->opts.store, "store URL (as customs server --store)");
  create->add_option("--note", f->note, "what the token is for");
  create->callback([f, &selected] { selected = [f] { return RunTokenCreate(*f); }; });
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : static_cast<int>(kExitUsage);
  }
  if (!selected) selected = [f] { return RunServer(*f); };
  try {
    return selected();
  } catch (const Error& e) {
    std::cerr << "customs: error: " << e.what() << "\n";
    return static_cast<int>(e.code());
  } catch (const std::exception& e) {
    std::cerr << "customs: internal error: " << e.what() << "\n";
    return static_cast<int>(kExitInternal);
  }
}
