// The vulnerability database commands: `customs db build --from DIR [-o PATH]`, `customs db info [--db PATH]`,
// `customs db update [--db PATH] [--base-url URL] [--offline-mirror DIR] [--feeds LIST]`.
#include <signal.h>

#include <algorithm>
#include <csignal>
#include <iomanip>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

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
                const std::string& feeds, const std::string& nvd_years, bool quiet) {
  db::UpdateOptions o;
  o.nvd_years = nvd_years;
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

std::string Percent(int64_t part, int64_t whole) {
  if (whole <= 0) return "-";
  std::ostringstream s;
  s << std::fixed << std::setprecision(1) << 100.0 * double(part) / double(whole) << "%";
  return s.str();
}

// The coverage a source gives the database's CVE ids: NVD ratings, EPSS scores; "" for the others.
std::string Coverage(const db::SourceInfo& s, const db::DbInfo& info) {
  if (s.format == "nvd") return Percent(info.cve_ids_nvd_rated, info.cve_ids) + " rated";
  if (s.format == "epss") return Percent(info.cve_ids_epss_scored, info.cve_ids) + " scored";
  return "";
}

int RunDbInfo(const std::string& path_flag, const std::string& format) {
  if (format != "table" && format != "json") throw UsageError("db info: --format must be table or json, not '" + format + "'");
  const std::string path = path_flag.empty() ? db::DefaultDatabasePath() : path_flag;
  auto vdb = db::VulnDB::Open(path);
  db::DbInfo info = vdb->Info(true);
  if (format == "json") {
    nlohmann::json j = {{"database", info.path},       {"schemaVersion", info.schema_version},
                        {"built", info.built},         {"ageDays", vdb->AgeDays()},
                        {"generator", info.generator}, {"advisories", info.advisories},
                        {"affected", info.affected},   {"kev", info.kev},
                        {"nvd", info.nvd},             {"epss", info.epss}};
    j["cveIds"] = {{"total", info.cve_ids}, {"nvdRated", info.cve_ids_nvd_rated}, {"epssScored", info.cve_ids_epss_scored}};
    j["sources"] = nlohmann::json::array();
    for (const auto& s : info.sources) {
      nlohmann::json o = {{"name", s.name}, {"format", s.format}, {"records", s.records}, {"skipped", s.skipped}};
      o["snapshot"] = s.snapshot.empty() ? nlohmann::json(nullptr) : nlohmann::json(s.snapshot);
      o["newest"] = s.newest.empty() ? nlohmann::json(nullptr) : nlohmann::json(s.newest);
      if ((s.format == "nvd" || s.format == "epss") && info.cve_ids > 0)
        o["coverage"] = double(s.format == "nvd" ? info.cve_ids_nvd_rated : info.cve_ids_epss_scored) / double(info.cve_ids);
      j["sources"].push_back(std::move(o));
    }
    std::cout << j.dump(2) << "\n";
  } else {
    std::ostringstream age;
    age << std::fixed << std::setprecision(1) << vdb->AgeDays();
    std::cout << "database:       " << info.path << "\n"
              << "schema version: " << info.schema_version << "\n"
              << "built:          " << info.built << " (" << age.str() << " days ago)\n"
              << "generator:      " << info.generator << "\n"
              << "advisories:     " << info.advisories << "\n"
              << "affected:       " << info.affected << " package records\n"
              << "kev entries:    " << info.kev << "\n"
              << "nvd records:    " << info.nvd << "\n"
              << "epss scores:    " << info.epss << "\n"
              << "cve ids:        " << info.cve_ids << " (with an NVD rating: " << info.cve_ids_nvd_rated << ", "
              << Percent(info.cve_ids_nvd_rated, info.cve_ids) << "; with an EPSS score: " << info.cve_ids_epss_scored
              << ", " << Percent(info.cve_ids_epss_scored, info.cve_ids) << ")\n\n";
    size_t w = 6, fw = 6, nw = 6;
    for (const auto& s : info.sources) {
      w = std::max(w, s.name.size());
      fw = std::max(fw, s.format.size());
      nw = std::max(nw, s.newest.size());
    }
    std::cout << std::left << std::setw(int(w) + 2) << "SOURCE" << std::setw(int(fw) + 2) << "FORMAT" << std::right
              << std::setw(9) << "RECORDS" << std::setw(9) << "SKIPPED" << "  " << std::left << std::setw(int(nw) + 2)
              << "NEWEST" << std::setw(14) << "COVERAGE" << "SNAPSHOT\n";
    for (const auto& s : info.sources)
      std::cout << std::left << std::setw(int(w) + 2) << s.name << std::setw(int(fw) + 2) << s.format << std::right
                << std::setw(9) << s.records << std::setw(9) << s.skipped << "  " << std::left << std::setw(int(nw) + 2)
                << (s.newest.empty() ? "-" : s.newest) << std::setw(14)
                << (Coverage(s, info).empty() ? "-" : Coverage(s, info)) << (s.snapshot.empty() ? "-" : s.snapshot)
                << "\n";
  }
  std::cout.flush();
  if (!std::cout) throw IoError("stdout", "write failed");
  return kExitOk;
}

}  // namespace

void RegisterCommands_db(CLI::App& app, CommandSet& set) {
  struct State {
    std::string from, output, db;
    std::string base_url, mirror, feeds, nvd_years;
    std::string info_format = "table";
    bool quiet = false;
  };
  auto st = std::make_shared<State>();
  auto* dbc = app.add_subcommand("db", "manage the vulnerability database (default: " + db::DefaultDatabasePath() + ")");
  dbc->require_subcommand(1);

  auto* build = dbc->add_subcommand("build", "build the database from advisory feeds in a directory "
                                              "(alpine-secdb/, debian-tracker/, osv-*/, rustsec/, kev/, nvd/, epss/)");
  build->add_option("--from", st->from, "directory of feeds (or one feed file)")->required();
  build->add_option("-o,--output", st->output, "database file to write (default: the cache path)");
  build->add_flag("-q,--quiet", st->quiet, "do not list skipped records");
  build->callback([st, &set] { set.selected = [st] { return RunDbBuild(st->from, st->output, st->quiet); }; });

  auto* update = dbc->add_subcommand(
      "update",
      "download the live feeds (Alpine secdb, Debian security tracker, OSV, CISA KEV, NVD, FIRST EPSS), build and "
      "check a new "
      "database, then replace the old one atomically (a failed or interrupted update leaves it untouched)");
  update->add_option("--db", st->db, "database file to replace (default: the cache path)");
  update->add_option("--feeds", st->feeds,
                     "comma-separated feeds to download: alpine, debian, osv, kev, nvd, epss, or one source such as "
                     "osv-go (default: all)");
  update->add_option("--nvd-years", st->nvd_years,
                     "NVD yearly feeds to fetch, e.g. 2019 or 2015-2024 (default: 2002 to this year; the modified "
                     "feed always; years fetched before stay in the cache beside the database)");
  update->add_option("--offline-mirror", st->mirror,
                     "build from this directory (laid out as for db build --from) instead of downloading");
  update->add_option("--base-url", st->base_url,
                     "mirror/testing: replace the scheme and host of every feed URL with this URL, keeping the path "
                     "(e.g. http://127.0.0.1:8000)");
  update->add_flag("-q,--quiet", st->quiet, "do not list skipped records");
  update->callback([st, &set] {
    set.selected = [st] { return RunDbUpdate(st->db, st->base_url, st->mirror, st->feeds, st->nvd_years, st->quiet); };
  });

  auto* info = dbc->add_subcommand("info", "show the database's sources (record counts, newest record dates, NVD/EPSS coverage of its CVE ids), build "
      "date and schema version");
  info->add_option("--db", st->db, "database file (default: the cache path)");
  info->add_option("-f,--format", st->info_format, "table or json");
  info->callback([st, &set] { set.selected = [st] { return RunDbInfo(st->db, st->info_format); }; });
}

}  // namespace customs
