// The vulnerability database commands: `customs db build --from DIR [-o PATH]`, `customs db info [--db PATH]`,
// `customs db update [--db PATH] [--base-url URL] [--offline-mirror DIR] [--feeds LIST]`.
#include <signal.h>

#include <algorithm>
#include <csignal>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "cli/command.h"
#include "core/error.h"
#include "core/log.h"
#include "db/builder.h"
#include "db/schema.h"
#include "db/update.h"
#include "db/vulndb.h"
#include "secrets/config.h"
#include "secrets/engine.h"

namespace customs {

namespace {

// Beside the database, the compiled Hyperscan database of the built-in secret rules: scans that use the
// database load it instead of compiling the rules (secrets/engine.cpp). A failure only costs speed.
void StoreSecretRules(const std::string& db_path, bool quiet) {
  try {
    const std::string file = secrets::Engine::StoreCompiled(secrets::DefaultConfig(), db::DatabaseDirectory(db_path));
    if (!quiet && !file.empty()) std::cerr << "compiled secret rules: " << file << "\n";
  } catch (const std::exception& e) {
    if (!quiet) std::cerr << "customs: warning: the compiled secret rules were not stored: " << e.what() << "\n";
  }
}

int RunDbBuild(const std::string& from, const std::string& output, bool quiet) {
  db::BuildOptions o;
  o.from = from;
  o.output = output.empty() ? db::DefaultDatabasePath() : output;
  o.out = &std::cout;
  o.err = quiet ? nullptr : &std::cerr;
  db::BuildDatabase(o);
  StoreSecretRules(o.output, quiet);
  std::cout.flush();
  if (!std::cout) throw IoError("stdout", "write failed");
  return kExitOk;
}

volatile std::sig_atomic_t g_update_signal = 0;

void OnUpdateSignal(int sig) { g_update_signal = sig; }

// While an update runs, SIGINT/SIGTERM/SIGHUP ask it to stop and clean up (a second one kills at once:
// SA_RESETHAND); afterwards the signal is re-raised so the exit status says what happened.
class UpdateSignals {
 public:
  UpdateSignals() {
    struct sigaction sa {};
    sa.sa_handler = OnUpdateSignal;
    sa.sa_flags = SA_RESETHAND;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < kCount; ++i) sigaction(kSignals[i], &sa, &old_[i]);
  }
  ~UpdateSignals() {
    for (size_t i = 0; i < kCount; ++i) sigaction(kSignals[i], &old_[i], nullptr);
  }
  void ReraiseIfSignalled() {
    if (int sig = g_update_signal) {
      for (size_t i = 0; i < kCount; ++i) signal(kSignals[i], SIG_DFL);
      raise(sig);
    }
  }

 private:
  static constexpr int kSignals[] = {SIGINT, SIGTERM, SIGHUP};
  static constexpr size_t kCount = sizeof kSignals / sizeof kSignals[0];
  struct sigaction old_[kCount];
};

int RunDbUpdate(const std::string& db, const std::string& base_url, const std::string& mirror,
                const std::string& feeds, bool quiet) {
  db::UpdateOptions o;
  o.db = db;
  o.base_url = base_url;
  o.offline_mirror = mirror;
  o.feeds = feeds;
  o.out = &std::cout;
  o.progress = &std::cerr;
  o.err = quiet ? nullptr : &std::cerr;
  o.cancel = &g_update_signal;
  UpdateSignals signals;
  try {
    db::UpdateDatabase(o);
    StoreSecretRules(db.empty() ? db::DefaultDatabasePath() : db, quiet);
  } catch (const Error& e) {
    if (g_update_signal) {
      std::cerr << "customs: error: " << e.what() << "\n";
      signals.ReraiseIfSignalled();
    }
    throw;
  }
  std::cout.flush();
  if (!std::cout) throw IoError("stdout", "write failed");
  return kExitOk;
}

int RunDbInfo(const std::string& path_flag) {
  const std::string path = path_flag.empty() ? db::DefaultDatabasePath() : path_flag;
  auto vdb = db::VulnDB::Open(path);
  db::DbInfo info = vdb->Info();
  std::ostringstream age;
  age << std::fixed << std::setprecision(1) << vdb->AgeDays();
  std::cout << "database:       " << info.path << "\n"
            << "schema version: " << info.schema_version << "\n"
            << "built:          " << info.built << " (" << age.str() << " days ago)\n"
            << "generator:      " << info.generator << "\n"
            << "advisories:     " << info.advisories << "\n"
            << "affected:       " << info.affected << " package records\n"
            << "kev entries:    " << info.kev << "\n\n";
  size_t w = 6;
  for (const auto& s : info.sources) w = std::max(w, s.name.size());
  std::cout << std::left << std::setw(int(w) + 2) << "SOURCE" << std::setw(16) << "FORMAT" << std::right
            << std::setw(9) << "RECORDS" << std::setw(9) << "SKIPPED" << "  SNAPSHOT\n";
  for (const auto& s : info.sources)
    std::cout << std::left << std::setw(int(w) + 2) << s.name << std::setw(16) << s.format << std::right
              << std::setw(9) << s.records << std::setw(9) << s.skipped << "  "
              << (s.snapshot.empty() ? "-" : s.snapshot) << "\n";
  std::cout.flush();
  if (!std::cout) throw IoError("stdout", "write failed");
  return kExitOk;
}

}  // namespace

void RegisterCommands_db(CLI::App& app, CommandSet& set) {
  struct State {
    std::string from, output, db;
    std::string base_url, mirror, feeds;
    bool quiet = false;
  };
  auto st = std::make_shared<State>();
  auto* dbc = app.add_subcommand("db", "manage the vulnerability database (default: " + db::DefaultDatabasePath() + ")");
  dbc->require_subcommand(1);

  auto* build = dbc->add_subcommand("build", "build the database from advisory feeds in a directory "
                                              "(alpine-secdb/, debian-tracker/, osv-*/, rustsec/, kev/, nvd/)");
  build->add_option("--from", st->from, "directory of feeds (or one feed file)")->required();
  build->add_option("-o,--output", st->output, "database file to write (default: the cache path)");
  build->add_flag("-q,--quiet", st->quiet, "do not list skipped records");
  build->callback([st, &set] { set.selected = [st] { return RunDbBuild(st->from, st->output, st->quiet); }; });

  auto* update = dbc->add_subcommand(
      "update",
      "download the live feeds (Alpine secdb, Debian security tracker, OSV, CISA KEV), build and check a new "
      "database, then replace the old one atomically (a failed or interrupted update leaves it untouched)");
  update->add_option("--db", st->db, "database file to replace (default: the cache path)");
  update->add_option("--feeds", st->feeds,
                     "comma-separated feeds to download: alpine, debian, osv, kev, or one source such as osv-go "
                     "(default: all)");
  update->add_option("--offline-mirror", st->mirror,
                     "build from this directory (laid out as for db build --from) instead of downloading");
  update->add_option("--base-url", st->base_url,
                     "mirror/testing: replace the scheme and host of every feed URL with this URL, keeping the path "
                     "(e.g. http://127.0.0.1:8000)");
  update->add_flag("-q,--quiet", st->quiet, "do not list skipped records");
  update->callback([st, &set] {
    set.selected = [st] { return RunDbUpdate(st->db, st->base_url, st->mirror, st->feeds, st->quiet); };
  });

  auto* info = dbc->add_subcommand("info", "show the database's sources, record counts, build date and schema version");
  info->add_option("--db", st->db, "database file (default: the cache path)");
  info->callback([st, &set] { set.selected = [st] { return RunDbInfo(st->db); }; });
}

}  // namespace customs
