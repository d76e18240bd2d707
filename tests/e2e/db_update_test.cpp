// `customs db update` end to end, without the internet: the test makes a mirror of the feed URLs from
// ../shared/vulndata (Alpine secdb YAML converted to the live JSON form, an OSV Go all.zip, the KEV
// JSON, a small Debian tracker JSON export), serves it with `python3 -m http.server` on 127.0.0.1 and
// points `--base-url` at it. Then: the server is stopped (download fails: exit 4, URL named, database
// unchanged), a file is missing (404) or garbage (check fails: exit 3), the update is SIGKILLed in the
// middle of a slow download (database unchanged, nothing left next to it), and `--offline-mirror`
// builds from the shared data.
// NVD and EPSS (DbUpdateE2e.NvdAndEpss...): the shared NVD sample (real NVD API 2.0 records) gzipped
// as the 2019 yearly feed with a META file computed here, an empty but valid `modified` feed, an EPSS
// CSV in FIRST's daily layout and the shared Go OSV records as Go/all.zip; the server's request log
// counts what each update downloads.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "db/update.h"
#include "db/vulndb.h"
#include "support/fixtures.h"
#include "support/processes.h"

extern char** environ;

namespace ct = customs_test;
namespace fs = std::filesystem;

namespace {

using namespace std::chrono_literals;

using ct::Accepts;
using ct::FreePort;
using ct::Spawn;

// `python3 -m http.server` on 127.0.0.1 serving `dir`.
class MirrorServer {
 public:
  MirrorServer(const std::string& dir, const std::string& log) : port_(FreePort()) {
    pid_ = Spawn({"python3", "-m", "http.server", std::to_string(port_), "--bind", "127.0.0.1", "--directory", dir},
                 {}, log);
    auto deadline = std::chrono::steady_clock::now() + 20s;
    while (!Accepts(port_) && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(50ms);
  }
  ~MirrorServer() { Stop(); }
  void Stop() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      ::waitpid(pid_, nullptr, 0);
      pid_ = -1;
    }
  }
  bool Up() const { return Accepts(port_); }
  std::string Url() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  int port_;
  pid_t pid_ = -1;
};

// An HTTP server in a thread that announces a 1 GB body and sends it at 40 KiB/s.
class SlowServer {
 public:
  SlowServer() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    ::listen(fd_, 4);
    thread_ = std::thread([this] { Loop(); });
  }
  ~SlowServer() {
    stop_ = true;
    thread_.join();
    ::close(fd_);
  }
  std::string Url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  uint64_t Sent() const { return sent_; }

 private:
  void Loop() {
    while (!stop_) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 100) <= 0) continue;
      int c = ::accept(fd_, nullptr, nullptr);
      if (c < 0) continue;
      std::string req;
      char buf[4096];
      while (req.find("\r\n\r\n") == std::string::npos && !stop_) {
        pollfd q{c, POLLIN, 0};
        if (::poll(&q, 1, 100) <= 0) continue;
        ssize_t n = ::recv(c, buf, sizeof buf, 0);
        if (n <= 0) break;
        req.append(buf, size_t(n));
      }
      std::string head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000000000\r\n\r\n";
      ::send(c, head.data(), head.size(), MSG_NOSIGNAL);
      std::string chunk(2048, ' ');
      while (!stop_) {
        if (::send(c, chunk.data(), chunk.size(), MSG_NOSIGNAL) <= 0) break;
        sent_ += chunk.size();
        std::this_thread::sleep_for(50ms);
      }
      ::close(c);
    }
  }
  int fd_ = -1;
  int port_ = 0;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::atomic<uint64_t> sent_{0};
};

// YAML -> JSON as the secdb serves it (scalars stay strings).
nlohmann::json ToJson(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Map: {
      nlohmann::json o = nlohmann::json::object();
      for (const auto& kv : n) o[kv.first.as<std::string>()] = ToJson(kv.second);
      return o;
    }
    case YAML::NodeType::Sequence: {
      nlohmann::json a = nlohmann::json::array();
      for (const auto& x : n) a.push_back(ToJson(x));
      return a;
    }
    case YAML::NodeType::Scalar:
      return n.as<std::string>();
    default:
      return nullptr;
  }
}

const char* kKevPath = "/sites/default/files/feeds/known_exploited_vulnerabilities.json";

const char* kDebianJson = R"({
  "openssl": {
    "CVE-2023-0286": {"description": "X.400 address type confusion in X.509 GeneralName",
      "releases": {"bookworm": {"status": "resolved", "fixed_version": "3.0.8-1", "urgency": "not yet assigned"},
                   "bullseye": {"status": "resolved", "fixed_version": "1.1.1n-0+deb11u4", "urgency": "not yet assigned"}}}
  },
  "zlib": {
    "CVE-2023-45853": {"description": "MiniZip integer overflow",
      "releases": {"bookworm": {"status": "open", "urgency": "unimportant"},
                   "bullseye": {"status": "resolved", "fixed_version": "0", "urgency": "unimportant"}}}
  }
})";

// The mirror of `alpine,debian,osv-go,kev` under `dir`, at the live URLs' paths.
void MakeMirror(const std::string& dir) {
  const std::string shared = ct::SharedDir() + "/vulndata";
  const std::vector<std::string> have = {"v3.11", "v3.10", "v3.9", "v3.8", "v3.7", "v3.6"};
  const auto& branches = customs::db::AlpineBranches();
  for (size_t i = 0; i < branches.size(); ++i) {
    for (const char* repo : {"main", "community"}) {
      YAML::Node y = YAML::LoadFile(shared + "/alpine-secdb/" + have[i % have.size()] + "/" + repo + ".yaml");
      nlohmann::json j = ToJson(y);
      j["distroversion"] = branches[i];
      ct::WriteFile(dir + "/" + branches[i] + "/" + repo + ".json", j.dump());
    }
  }
  ct::WriteFile(dir + "/tracker/data/json", kDebianJson);
  fs::create_directories(dir + "/Go");
  auto z = ct::Run({"zip", "-q", "-r", "-j", dir + "/Go/all.zip", shared + "/osv-go"});
  ASSERT_EQ(z.exit_code, 0) << z.Describe();
  ct::WriteFile(dir + kKevPath, ct::ReadFile(shared + "/kev/known_exploited_vulnerabilities.json"));
}

std::string Dump(const std::string& db) {
  auto r = ct::Run({"sqlite3", db, ".dump"});
  EXPECT_EQ(r.exit_code, 0) << r.Describe();
  return r.out;
}

// The names in `dir`, leaving out the compiled secret rules an update stores beside the database
// (secrets-<hash>.hsdb, checked on their own below): what must not be there is a temporary file.
std::vector<std::string> Names(const std::string& dir) {
  std::vector<std::string> v;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.rfind("secrets-", 0) == 0 && name.size() > 5 && name.compare(name.size() - 5, 5, ".hsdb") == 0) continue;
    v.push_back(name);
  }
  std::sort(v.begin(), v.end());
  return v;
}

size_t CompiledSecretRules(const std::string& dir) {
  size_t n = 0;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    n += it->path().extension() == ".hsdb";
  return n;
}

constexpr const char* kFeeds = "alpine,debian,osv-go,kev";

TEST(DbUpdateE2e, DownloadsFromAMirrorAndFailsWithoutTouchingTheDatabase) {
  ct::TempDir d;
  MakeMirror(d / "mirror");
  fs::create_directories(d / "tmp");
  MirrorServer server(d / "mirror", d / "server.log");
  ASSERT_TRUE(server.Up()) << ct::ReadFile(d / "server.log");

  ct::RunOptions opts;
  opts.env = {"XDG_CACHE_HOME=" + (d / "cache"), "TMPDIR=" + (d / "tmp"), "CUSTOMS_FIXED_TIME=1700000000"};
  const std::string db = d / "cache/customs/db/customs.db";  // the default path
  auto r = ct::RunCustoms({"db", "update", "--base-url", server.Url(), "--feeds", kFeeds}, opts);
  ASSERT_EQ(r.exit_code, 0) << r.Describe() << r.out;
  // progress (stderr) names the URLs
  EXPECT_NE(r.err.find(server.Url() + "/" + customs::db::AlpineBranches()[0] + "/main.json"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(server.Url() + kKevPath), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("updated " + db), std::string::npos) << r.out;
  EXPECT_EQ(Names(d / "cache/customs/db"), std::vector<std::string>{"customs.db"});
  EXPECT_TRUE(Names(d / "tmp").empty());

  auto info = ct::RunCustoms({"db", "info"}, opts);
  ASSERT_EQ(info.exit_code, 0) << info.Describe();
  for (const char* source : {"alpine-secdb", "debian-tracker", "osv-go", "kev"})
    EXPECT_NE(info.out.find(source), std::string::npos) << source << "\n" << info.out;
  EXPECT_NE(info.out.find("kev entries:    1404"), std::string::npos) << info.out;
  EXPECT_NE(info.out.find(" 4291 "), std::string::npos) << info.out;  // osv-go records
  const std::string before = Dump(db);
  ASSERT_NE(before.find("CVE-2023-0286"), std::string::npos);          // the Debian export
  ASSERT_NE(before.find("alpine:" + customs::db::AlpineBranches()[0]), std::string::npos);

  // A feed that is not what it should be: built, checked, rejected (exit 3); the database stays.
  ct::WriteFile(d / "mirror" + kKevPath, "<html><body>Please log in</body></html>");
  auto garbage = ct::RunCustoms({"db", "update", "--base-url", server.Url(), "--feeds", "kev"}, opts);
  EXPECT_EQ(garbage.exit_code, 3) << garbage.Describe();
  EXPECT_NE(garbage.err.find("kev"), std::string::npos) << garbage.err;
  EXPECT_NE(garbage.err.find("no records"), std::string::npos) << garbage.err;

  // A missing file: HTTP 404 after the other downloads succeeded.
  fs::remove(d / "mirror" + kKevPath);
  auto missing = ct::RunCustoms({"db", "update", "--base-url", server.Url(), "--feeds", kFeeds}, opts);
  EXPECT_EQ(missing.exit_code, 4) << missing.Describe();
  EXPECT_NE(missing.err.find(server.Url() + kKevPath + ": download failed"), std::string::npos) << missing.err;
  EXPECT_NE(missing.err.find("404"), std::string::npos) << missing.err;

  // The server is gone: connection refused on the first URL.
  server.Stop();
  auto down = ct::RunCustoms({"db", "update", "--base-url", server.Url(), "--feeds", kFeeds}, opts);
  EXPECT_EQ(down.exit_code, 4) << down.Describe();
  EXPECT_NE(down.err.find(server.Url() + "/" + customs::db::AlpineBranches()[0] + "/main.json: download failed"),
            std::string::npos)
      << down.err;
  EXPECT_NE(down.err.find("onnect"), std::string::npos) << down.err;  // curl's reason

  EXPECT_EQ(Dump(db), before);
  EXPECT_EQ(Names(d / "cache/customs/db"), std::vector<std::string>{"customs.db"});
  EXPECT_TRUE(Names(d / "tmp").empty()) << Names(d / "tmp").size();
  auto info2 = ct::RunCustoms({"db", "info"}, opts);
  EXPECT_EQ(info2.exit_code, 0) << info2.Describe();
}

const char* kNvdDir = "/feeds/json/cve/2.0/";

// NVD's META layout (https://nvd.nist.gov/vuln/data-feeds): CRLF lines, uppercase sha256 of the JSON.
std::string NvdMeta(const std::string& json, const std::string& gz, const std::string& modified) {
  std::string sha = ct::Sha256Hex(json);
  for (auto& c : sha) c = char(std::toupper(static_cast<unsigned char>(c)));
  return "lastModifiedDate:" + modified + "\r\nsize:" + std::to_string(json.size()) + "\r\nzipSize:0\r\ngzSize:" +
         std::to_string(gz.size()) + "\r\nsha256:" + sha + "\r\n";
}

void ServeNvdFeed(const std::string& mirror, const std::string& name, const std::string& json, const std::string& modified) {
  const std::string gz = ct::Compress(json, ct::Compression::kGzip);
  ct::WriteFile(mirror + kNvdDir + "nvdcve-2.0-" + name + ".json.gz", gz);
  ct::WriteFile(mirror + kNvdDir + "nvdcve-2.0-" + name + ".meta", NvdMeta(json, gz, modified));
}

std::string EmptyNvdPage(const std::string& ts) {
  return R"({"resultsPerPage":0,"startIndex":0,"totalResults":0,"format":"NVD_CVE","version":"2.0","timestamp":")" + ts +
         R"(","vulnerabilities":[]})";
}

// Rows in the layout of FIRST's epss_scores-YYYY-MM-DD.csv.gz (https://www.first.org/epss/data_stats);
// the values are this test's.
const char* kEpss =
    "#model_version:v2025.03.14,score_date:2026-12-01T00:00:00Z\n"
    "cve,epss,percentile\n"
    "CVE-2019-14697,0.04277,0.88519\n"
    "CVE-2021-44228,0.94358,0.99957\n";

// The NVD, EPSS and CVSS rows (the sources table names the temporary download directory, which
// differs from update to update).
std::string IntelRows(const std::string& db) {
  auto r = ct::Run({"sqlite3", db,
                    "SELECT * FROM nvd ORDER BY cve; SELECT * FROM epss ORDER BY cve; "
                    "SELECT * FROM cvss ORDER BY vuln_id, source, type, vector;"});
  EXPECT_EQ(r.exit_code, 0) << r.Describe();
  return r.out;
}

// How many requests for `path` the http.server log shows.
int Requests(const std::string& log, const std::string& path) {
  const std::string needle = "\"GET " + path + " HTTP/";
  int n = 0;
  for (size_t pos = 0; (pos = log.find(needle, pos)) != std::string::npos; pos += needle.size()) ++n;
  return n;
}

TEST(DbUpdateE2e, NvdAndEpssAreDownloadedAndNvdOnlyWhenItsMetaChanged) {
  ct::TempDir d;
  const std::string mirror = d / "mirror";
  const std::string sample = ct::ReadFile(ct::SharedDir() + "/vulndata/nvd/nvd-sample.json");
  ServeNvdFeed(mirror, "2019", sample, "2026-12-07T03:00:01-05:00");
  ServeNvdFeed(mirror, "modified", EmptyNvdPage("2026-12-07T00:00:00.000"), "2026-12-07T03:00:02-05:00");
  ct::WriteFile(mirror + "/epss_scores-current.csv.gz", ct::Compress(kEpss, ct::Compression::kGzip));
  fs::create_directories(mirror + "/Go");
  auto z = ct::Run({"zip", "-q", "-r", "-j", mirror + "/Go/all.zip", ct::SharedDir() + "/vulndata/osv-go"});
  ASSERT_EQ(z.exit_code, 0) << z.Describe();
  fs::create_directories(d / "tmp");
  MirrorServer server(mirror, d / "server.log");
  ASSERT_TRUE(server.Up()) << ct::ReadFile(d / "server.log");

  ct::RunOptions opts;
  opts.env = {"TMPDIR=" + (d / "tmp"), "CUSTOMS_FIXED_TIME=1700000000"};
  const std::string db = d / "db/customs.db";
  const std::vector<std::string> update = {"db",    "update", "--db", db, "--base-url", server.Url(), "--feeds",
                                           "nvd,epss,osv-go", "--nvd-years", "2019"};
  auto first = ct::RunCustoms(update, opts);
  ASSERT_EQ(first.exit_code, 0) << first.Describe() << first.out;
  const std::string y2019 = std::string(kNvdDir) + "nvdcve-2.0-2019", modified = std::string(kNvdDir) + "nvdcve-2.0-modified";
  std::string log = ct::ReadFile(d / "server.log");
  EXPECT_EQ(Requests(log, y2019 + ".meta"), 1) << log;
  EXPECT_EQ(Requests(log, y2019 + ".json.gz"), 1) << log;
  EXPECT_EQ(Requests(log, modified + ".json.gz"), 1) << log;
  EXPECT_EQ(Requests(log, "/epss_scores-current.csv.gz"), 1) << log;
  EXPECT_EQ(Requests(log, std::string(kNvdDir) + "nvdcve-2.0-2018.meta"), 0) << "--nvd-years 2019";
  // The cache beside the database holds each body with the META it was verified against.
  EXPECT_TRUE(ct::PathExists(d / "db/customs.db.feeds/nvd/nvdcve-2.0-2019.json.gz"));
  EXPECT_EQ(ct::ReadFile(d / "db/customs.db.feeds/nvd/nvdcve-2.0-2019.meta"), ct::ReadFile(mirror + kNvdDir + "nvdcve-2.0-2019.meta"));

  {
    auto vdb = customs::db::VulnDB::Open(db);
    auto adv = vdb->Advisory("CVE-2019-14697", false);
    ASSERT_TRUE(adv);
    EXPECT_NE(adv->nvd_description.find("musl libc through 1.1.23"), std::string::npos) << adv->nvd_description;
    bool critical = false;
    for (const auto& v : adv->cvss) critical = critical || v.vector == "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H";
    EXPECT_TRUE(critical) << "NVD's CVSS 3.1 vector (9.8) of the sample";
    ASSERT_TRUE(adv->epss);
    EXPECT_DOUBLE_EQ(adv->epss->score, 0.04277);
    auto info = vdb->Info();
    EXPECT_EQ(info.nvd, 318);
    EXPECT_EQ(info.epss, 2);
  }
  auto info = ct::RunCustoms({"db", "info", "--db", db});
  ASSERT_EQ(info.exit_code, 0) << info.Describe();
  for (const char* source : {"nvd", "epss", "osv-go"}) EXPECT_NE(info.out.find(source), std::string::npos) << info.out;
  EXPECT_NE(info.out.find("2026-12-01T00:00:00Z"), std::string::npos) << "EPSS score date\n" << info.out;
  // db info's coverage, computed here from the served files: the CVE ids of the Go records (ids and
  // aliases) and which of them the NVD sample rates (a CVSS vector) / the EPSS CSV scores.
  {
    std::set<std::string> ids, rated, scored = {"CVE-2019-14697", "CVE-2021-44228"};
    for (const auto& e : fs::directory_iterator(ct::SharedDir() + "/vulndata/osv-go")) {
      auto j = nlohmann::json::parse(ct::ReadFile(e.path().string()));
      if (j.value("id", "").rfind("CVE-", 0) == 0) ids.insert(j["id"].get<std::string>());
      for (const auto& a : j.value("aliases", nlohmann::json::array()))
        if (a.get<std::string>().rfind("CVE-", 0) == 0) ids.insert(a.get<std::string>());
    }
    const nlohmann::json sample_doc = nlohmann::json::parse(sample);
    for (const auto& v : sample_doc["vulnerabilities"]) {
      bool vector = false;
      const nlohmann::json metrics = v["cve"].value("metrics", nlohmann::json::object());
      for (auto it = metrics.begin(); it != metrics.end(); ++it)
        for (const auto& m : it.value()) vector = vector || (m.contains("cvssData") && m["cvssData"].contains("vectorString"));
      if (vector) rated.insert(v["cve"]["id"].get<std::string>());
    }
    size_t n_rated = 0, n_scored = 0;
    for (const auto& id : ids) n_rated += rated.count(id), n_scored += scored.count(id);
    auto js = ct::RunCustoms({"db", "info", "--db", db, "-f", "json"});
    ASSERT_EQ(js.exit_code, 0) << js.Describe();
    auto j = nlohmann::json::parse(js.out);
    EXPECT_EQ(j["cveIds"]["total"], ids.size());
    EXPECT_EQ(j["cveIds"]["nvdRated"], n_rated);
    EXPECT_EQ(j["cveIds"]["epssScored"], n_scored);
    EXPECT_GT(n_rated, 0u);
    for (const auto& src : j["sources"])
      if (src["name"] == "nvd") EXPECT_DOUBLE_EQ(src["coverage"].get<double>(), double(n_rated) / double(ids.size()));
  }
  const std::string before = IntelRows(db);
  ASSERT_NE(before.find("CVE-2019-14697"), std::string::npos);

  // Unchanged METAs: no NVD body is downloaded again, the database is rebuilt from the cache.
  auto second = ct::RunCustoms(update, opts);
  ASSERT_EQ(second.exit_code, 0) << second.Describe();
  log = ct::ReadFile(d / "server.log");
  EXPECT_EQ(Requests(log, y2019 + ".meta"), 2) << log;
  EXPECT_EQ(Requests(log, modified + ".meta"), 2) << log;
  EXPECT_EQ(Requests(log, y2019 + ".json.gz"), 1) << log;
  EXPECT_EQ(Requests(log, modified + ".json.gz"), 1) << log;
  EXPECT_NE(second.err.find("unchanged (META"), std::string::npos) << second.err;
  EXPECT_EQ(IntelRows(db), before);

  // The modified feed changes (a newer record of CVE-2019-14697): only its body is fetched, and its
  // record replaces the yearly one.
  nlohmann::json page = nlohmann::json::parse(sample);
  nlohmann::json newer;
  for (const auto& v : page["vulnerabilities"])
    if (v["cve"]["id"] == "CVE-2019-14697") newer = v;
  ASSERT_FALSE(newer.is_null());
  newer["cve"]["lastModified"] = "2026-12-08T00:00:00.000";
  newer["cve"]["descriptions"] = nlohmann::json::array({{{"lang", "en"}, {"value", "musl: changed in the modified feed"}}});
  nlohmann::json mod = nlohmann::json::parse(EmptyNvdPage("2026-12-08T00:00:00.000"));
  mod["vulnerabilities"].push_back(newer);
  ServeNvdFeed(mirror, "modified", mod.dump(), "2026-12-08T03:00:02-05:00");
  auto third = ct::RunCustoms(update, opts);
  ASSERT_EQ(third.exit_code, 0) << third.Describe();
  log = ct::ReadFile(d / "server.log");
  EXPECT_EQ(Requests(log, y2019 + ".json.gz"), 1) << log;
  EXPECT_EQ(Requests(log, modified + ".json.gz"), 2) << log;
  {
    auto vdb = customs::db::VulnDB::Open(db);
    auto adv = vdb->Advisory("CVE-2019-14697", false);
    ASSERT_TRUE(adv);
    EXPECT_EQ(adv->nvd_description, "musl: changed in the modified feed");
    size_t v31 = 0;
    for (const auto& v : adv->cvss) v31 += v.vector.rfind("CVSS:3.1/", 0) == 0 && v.source == "nvd";
    EXPECT_EQ(v31, 1u) << "the newer record replaces the old one; its vectors are not doubled";
  }
  const std::string good = Dump(db);

  // A body that does not match its META (served truncated): exit 3, database and cache unchanged.
  const std::string modgz = ct::ReadFile(mirror + kNvdDir + "nvdcve-2.0-modified.json.gz");
  ServeNvdFeed(mirror, "modified", EmptyNvdPage("2026-12-09T00:00:00.000"), "2026-12-09T03:00:02-05:00");
  const std::string newgz = ct::ReadFile(mirror + kNvdDir + "nvdcve-2.0-modified.json.gz");
  ct::WriteFile(mirror + kNvdDir + "nvdcve-2.0-modified.json.gz", newgz.substr(0, newgz.size() - 10));
  auto bad = ct::RunCustoms(update, opts);
  EXPECT_EQ(bad.exit_code, 3) << bad.Describe();
  EXPECT_NE(bad.err.find("nvdcve-2.0-modified.json.gz: does not match"), std::string::npos) << bad.err;
  EXPECT_EQ(Dump(db), good);
  EXPECT_EQ(ct::ReadFile(d / "db/customs.db.feeds/nvd/nvdcve-2.0-modified.json.gz"), modgz);

  // A feed that yields nothing (EPSS rate-limit page): exit 3, the database stays.
  ServeNvdFeed(mirror, "modified", mod.dump(), "2026-12-08T03:00:02-05:00");
  ct::WriteFile(mirror + "/epss_scores-current.csv.gz", "<html>Too many requests</html>");
  auto empty = ct::RunCustoms(update, opts);
  EXPECT_EQ(empty.exit_code, 3) << empty.Describe();
  EXPECT_NE(empty.err.find("epss"), std::string::npos) << empty.err;
  EXPECT_NE(empty.err.find("no records"), std::string::npos) << empty.err;
  EXPECT_EQ(Dump(db), good);
  std::vector<std::string> left = Names(d / "db");
  EXPECT_EQ(left, (std::vector<std::string>{"customs.db", "customs.db.feeds"}));
  EXPECT_TRUE(Names(d / "tmp").empty());
}

TEST(DbUpdateE2e, KilledMidDownloadLeavesTheOldDatabase) {
  ct::TempDir d;
  fs::create_directories(d / "tmp");
  const std::string db = d / "db/customs.db";
  ct::RunOptions opts;
  opts.env = {"TMPDIR=" + (d / "tmp")};
  auto first = ct::RunCustoms(
      {"db", "update", "--db", db, "--offline-mirror", ct::SharedDir() + "/vulndata/kev"}, opts);
  ASSERT_EQ(first.exit_code, 0) << first.Describe();
  const std::string before = Dump(db);

  SlowServer slow;
  pid_t pid = Spawn({ct::CustomsBin(), "db", "update", "--db", db, "--base-url", slow.Url(), "--feeds", "kev"},
                    {"TMPDIR=" + (d / "tmp")}, d / "update.log");
  ASSERT_GT(pid, 0);
  auto deadline = std::chrono::steady_clock::now() + 30s;
  while (slow.Sent() < 64 * 1024 && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(20ms);
  EXPECT_GE(slow.Sent(), 64u * 1024) << ct::ReadFile(d / "update.log");
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFSIGNALED(status)) << ct::ReadFile(d / "update.log");

  // The partial download is in the temp directory only; the database is the old one.
  EXPECT_EQ(Names(d / "db"), std::vector<std::string>{"customs.db"});
  EXPECT_EQ(Dump(db), before);
  auto info = ct::RunCustoms({"db", "info", "--db", db});
  EXPECT_EQ(info.exit_code, 0) << info.Describe();
  auto left = Names(d / "tmp");
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].rfind("customs-update-" + std::to_string(pid) + "-", 0), 0u) << left[0];

  // The next update removes what the killed one left.
  auto again = ct::RunCustoms(
      {"db", "update", "--db", db, "--offline-mirror", ct::SharedDir() + "/vulndata/kev"}, opts);
  ASSERT_EQ(again.exit_code, 0) << again.Describe();
  EXPECT_TRUE(Names(d / "tmp").empty());
  EXPECT_EQ(Names(d / "db"), std::vector<std::string>{"customs.db"});
}

TEST(DbUpdateE2e, InterruptedBySigtermCleansUp) {
  ct::TempDir d;
  fs::create_directories(d / "tmp");
  const std::string db = d / "db/customs.db";
  auto first = ct::RunCustoms({"db", "update", "--db", db, "--offline-mirror", ct::SharedDir() + "/vulndata/kev"});
  ASSERT_EQ(first.exit_code, 0) << first.Describe();
  const std::string before = Dump(db);

  SlowServer slow;
  pid_t pid = Spawn({ct::CustomsBin(), "db", "update", "--db", db, "--base-url", slow.Url(), "--feeds", "kev"},
                    {"TMPDIR=" + (d / "tmp")}, d / "update.log");
  ASSERT_GT(pid, 0);
  auto deadline = std::chrono::steady_clock::now() + 30s;
  while (slow.Sent() < 64 * 1024 && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(20ms);
  ::kill(pid, SIGTERM);
  int status = 0;
  ::waitpid(pid, &status, 0);
  const std::string log = ct::ReadFile(d / "update.log");
  ASSERT_TRUE(WIFSIGNALED(status)) << log;
  EXPECT_EQ(WTERMSIG(status), SIGTERM) << log;
  EXPECT_NE(log.find("interrupted"), std::string::npos) << log;
  EXPECT_TRUE(Names(d / "tmp").empty());
  EXPECT_EQ(Names(d / "db"), std::vector<std::string>{"customs.db"});
  EXPECT_EQ(Dump(db), before);
}

TEST(DbUpdateE2e, OfflineMirrorBuildsTheSharedVulndata) {
  ct::TempDir d;
  const std::string db = d / "x/customs.db";
  ct::WriteFile(db, "not a database yet");
  auto r = ct::RunCustoms({"db", "update", "-q", "--db", db, "--offline-mirror", ct::SharedDir() + "/vulndata"});
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  auto info = ct::RunCustoms({"db", "info", "--db", db});
  ASSERT_EQ(info.exit_code, 0) << info.Describe();
  for (const char* source : {"alpine-secdb", "debian-tracker", "osv-go", "osv-pypi", "rustsec", "kev"})
    EXPECT_NE(info.out.find(source), std::string::npos) << source << "\n" << info.out;
  EXPECT_EQ(Names(d / "x"), std::vector<std::string>{"customs.db"});
  EXPECT_EQ(CompiledSecretRules(d / "x"), 1u) << "the built-in secret rules, compiled beside the database";
}

TEST(DbUpdateE2e, UsageErrors) {
  ct::TempDir d;
  auto bad_feed = ct::RunCustoms({"db", "update", "--db", d / "x.db", "--feeds", "kev,nvdx"});
  EXPECT_EQ(bad_feed.exit_code, 2) << bad_feed.Describe();
  EXPECT_NE(bad_feed.err.find("nvdx"), std::string::npos) << bad_feed.err;
  auto bad_years = ct::RunCustoms({"db", "update", "--db", d / "x.db", "--feeds", "nvd", "--nvd-years", "19"});
  EXPECT_EQ(bad_years.exit_code, 2) << bad_years.Describe();
  auto bad_base = ct::RunCustoms({"db", "update", "--db", d / "x.db", "--base-url", "ftp://127.0.0.1"});
  EXPECT_EQ(bad_base.exit_code, 2) << bad_base.Describe();
  auto both = ct::RunCustoms(
      {"db", "update", "--db", d / "x.db", "--base-url", "http://127.0.0.1:1", "--offline-mirror", d.path()});
  EXPECT_EQ(both.exit_code, 2) << both.Describe();
  auto no_mirror = ct::RunCustoms({"db", "update", "--db", d / "x.db", "--offline-mirror", d / "absent"});
  EXPECT_EQ(no_mirror.exit_code, 4) << no_mirror.Describe();
  EXPECT_FALSE(ct::PathExists(d / "x.db"));
}

}  // namespace

// Amazon Linux: each release's yum repository, found the way dnf finds it -- mirror.list (its first
// line is the repository's URL, on Amazon's CDN: --base-url rebases it too), repodata/repomd.xml, the
// updateinfo.xml.gz it names, checked against repomd.xml's sha256. The updateinfo is the fixture's
// ALAS2-2018-951 (tests/fixtures/distros/README.md).
TEST(DbUpdateE2e, AmazonUpdateinfoComesThroughTheRepositoryMetadataAndIsVerified) {
  ct::TempDir d;
  const std::string mirror = d / "mirror";
  const std::string xml =
      ct::ReadFile(ct::SourceDir() + "/tests/fixtures/distros/amazon-xml/amazon-updateinfo/updateinfo.xml");
  const std::string gz = ct::Compress(xml, ct::Compression::kGzip);
  auto serve_release = [&](const std::string& list_path, const std::string& repo_path, const std::string& body) {
    ct::WriteFile(mirror + list_path, "https://cdn.amazonlinux.com" + repo_path + "\n");
    const std::string href = "repodata/" + ct::Sha256Hex(body) + "-updateinfo.xml.gz";
    ct::WriteFile(mirror + repo_path + href, body);
    ct::WriteFile(mirror + repo_path + "repodata/repomd.xml",
                  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                  "<repomd xmlns=\"http://linux.duke.edu/metadata/repo\" xmlns:rpm=\"http://linux.duke.edu/metadata/rpm\">\n"
                  "  <revision>1700000000</revision>\n"
                  "  <data type=\"primary\"><checksum type=\"sha256\">00</checksum>"
                  "<location href=\"repodata/primary.sqlite.gz\"/></data>\n"
                  "  <data type=\"updateinfo\">\n    <checksum type=\"sha256\">" + ct::Sha256Hex(body) +
                      "</checksum>\n    <location href=\"" + href + "\"/>\n  </data>\n</repomd>\n");
  };
  serve_release("/2/core/latest/x86_64/mirror.list", "/2/core/2.0/x86_64/4a5b8c/", gz);
  // AL2023's repository serves an empty updateinfo (no security updates): valid, no records.
  serve_release("/al2023/core/mirrors/latest/x86_64/mirror.list", "/al2023/core/guids/9f3e/x86_64/",
                ct::Compress("<?xml version=\"1.0\" ?>\n<updates>\n</updates>\n", ct::Compression::kGzip));
  MirrorServer server(mirror, d / "server.log");
  ASSERT_TRUE(server.Up()) << ct::ReadFile(d / "server.log");
  ct::RunOptions opts;
  opts.env = {"XDG_CACHE_HOME=" + (d / "cache"), "TMPDIR=" + (d / "tmp"), "CUSTOMS_FIXED_TIME=1700000000"};
  fs::create_directories(d / "tmp");
  const std::string db = d / "amazon.db";
  auto r = ct::RunCustoms({"db", "update", "--db", db, "--base-url", server.Url(), "--feeds", "amazon"}, opts);
  ASSERT_EQ(r.exit_code, 0) << r.Describe() << r.out;
  EXPECT_NE(r.err.find(server.Url() + "/2/core/2.0/x86_64/4a5b8c/repodata/repomd.xml"), std::string::npos) << r.err;
  const std::string dump = Dump(db);
  EXPECT_NE(dump.find("ALAS2-2018-951"), std::string::npos);
  EXPECT_NE(dump.find("amzn:2"), std::string::npos);
  EXPECT_EQ(dump.find("9.9.9"), std::string::npos) << "the bugfix update must be ignored";
  EXPECT_TRUE(Names(d / "tmp").empty());

  // A body that does not match repomd.xml's sha256: refused (exit 3), the database kept.
  const std::string before = Dump(db);
  for (const auto& e : fs::recursive_directory_iterator(mirror))
    if (e.path().string().find("4a5b8c/repodata/") != std::string::npos &&
        e.path().filename().string().find("-updateinfo.xml.gz") != std::string::npos)
      ct::WriteFile(e.path().string(), ct::Compress(xml + "<!-- tampered -->", ct::Compression::kGzip));
  auto bad = ct::RunCustoms({"db", "update", "--db", db, "--base-url", server.Url(), "--feeds", "amazon"}, opts);
  EXPECT_EQ(bad.exit_code, 3) << bad.Describe();
  EXPECT_NE(bad.err.find("sha256 differs"), std::string::npos) << bad.err;
  EXPECT_EQ(Dump(db), before);
  EXPECT_TRUE(Names(d / "tmp").empty());
}
