// `customs server` (#15): the real binary serving the scan store on loopback, on SQLite and on a real
// PostgreSQL 15 (scripts/postgres.sh; skipped, saying why, when it is not installed).
//  - An Alpine 3.7.3 image's SBOM (CycloneDX, written by `customs image`) is submitted: its two musl
//    findings become `new` events and appear in GET /api/v1/images and .../findings.
//  - Tokens: none 401, unknown 401, read token on a write endpoint 403; bad bodies 400 and the server
//    keeps serving.
//  - A newer database, built from the shared data plus one real-format Alpine secdb record added for
//    a stored package (zlib 1.2.11-r1 < 1.2.11-r2), is served: POST /api/v1/rescan gives exactly one
//    `new` event for that image, the finding's first_seen is the rescan's time; back on the old
//    database the rescan closes it (`fixed`: zlib is still in the image).
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/fixtures.h"
#include "support/postgres_fixture.h"
#include "support/processes.h"
#include "support/vulndb_fixture.h"

namespace ct = customs_test;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

struct Reply {
  int status = 0;
  json body;
  std::string raw;
};

// One HTTP request with curl(1); `body_file` posted as application/json when given.
Reply Call(int port, const std::string& method, const std::string& path, const std::string& token = "",
           const std::string& body_file = "") {
  std::vector<std::string> argv = {"curl", "-s", "-o", "/dev/stdout", "-w", "\n%{http_code}", "-X", method};
  if (!token.empty()) argv.insert(argv.end(), {"-H", "Authorization: Bearer " + token});
  if (method == "POST") {
    argv.insert(argv.end(), {"-H", "Content-Type: application/json"});
    argv.insert(argv.end(), {"--data-binary", body_file.empty() ? std::string("") : "@" + body_file});
  }
  argv.push_back("http://127.0.0.1:" + std::to_string(port) + path);
  ct::RunResult r = ct::Run(argv);
  Reply out;
  const size_t nl = r.out.rfind('\n');
  if (nl == std::string::npos) return out;
  out.status = std::atoi(r.out.c_str() + nl + 1);
  out.raw = r.out.substr(0, nl);
  out.body = json::parse(out.raw, nullptr, false);
  return out;
}

class ServerProcess {
 public:
  ServerProcess(const std::string& store, const std::string& db, const std::string& log) : port_(ct::FreePort()) {
    pid_ = ct::Spawn({ct::CustomsBin(), "server", "--listen", "127.0.0.1:" + std::to_string(port_), "--store", store,
                      "--db", db},
                     {}, log);
    for (int i = 0; i < 200 && !ct::Accepts(port_); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  ~ServerProcess() { Stop(); }
  bool Up() const { return ct::Accepts(port_); }
  int port() const { return port_; }
  // SIGTERM: the server finishes and exits 0.
  int Stop() {
    if (pid_ <= 0) return -1;
    ::kill(pid_, SIGTERM);
    int st = 0;
    ::waitpid(pid_, &st, 0);
    pid_ = -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  }

 private:
  int port_;
  pid_t pid_ = -1;
};

std::string Token(const std::string& store, const std::string& scope) {
  ct::RunResult r = ct::RunCustoms({"server", "token", "create", "--scope", scope, "--store", store});
  EXPECT_EQ(r.exit_code, 0) << r.Describe();
  std::string t = r.out;
  while (!t.empty() && t.back() == '\n') t.pop_back();
  return t;
}

// The shared advisory data, plus one Alpine v3.7 secdb record for zlib fixed in 1.2.11-r2.
std::string DbWithAddedAdvisory(const ct::TempDir& d) {
  const std::string from = d / "newer";
  fs::create_directories(from);
  for (const char* src : {"alpine-secdb", "nvd", "kev"})
    fs::copy(ct::SharedDir() + "/vulndata/" + src, from + "/" + src, fs::copy_options::recursive);
  ct::WriteFile(from + "/alpine-secdb/v3.7/added.yaml",
                "---\ndistroversion: v3.7\nreponame: added\narchs:\n  - x86_64\n"
                "urlprefix: http://dl-cdn.alpinelinux.org/alpine\n"
                "apkurl: \"{{urlprefix}}/{{distroversion}}/{{reponame}}/{{arch}}/{{pkg.name}}-{{pkg.ver}}.apk\"\n"
                "packages:\n  - pkg:\n      name: zlib\n      secfixes:\n        1.2.11-r2:\n          - CVE-2018-25032\n");
  const std::string db = d / "newer.db";
  ct::RunResult r = ct::BuildVulnDb(from, db);
  EXPECT_EQ(r.exit_code, 0) << r.Describe();
  return db;
}

void Scenario(const std::string& store, const ct::TempDir& d) {
  const std::string db = ct::SharedVulnDb();
  ASSERT_FALSE(db.empty()) << ct::SharedVulnDbError();
  ct::AlpineDockerArchive("3.7.3", d / "image.tar");
  ct::RunResult g = ct::RunCustoms({"image", "--input", d / "image.tar", "-f", "cyclonedx", "-o", d / "sbom.json", "-q"});
  ASSERT_EQ(g.exit_code, 0) << g.Describe();
  const std::string write = Token(store, "write"), read = Token(store, "read");
  ASSERT_EQ(write.size(), 68u) << write;

  std::string digest;
  {
    ServerProcess srv(store, db, d / "server1.log");
    ASSERT_TRUE(srv.Up()) << ct::ReadFile(d / "server1.log");
    EXPECT_EQ(Call(srv.port(), "GET", "/healthz").status, 200);
    EXPECT_EQ(Call(srv.port(), "GET", "/readyz").status, 200);
    // Tokens.
    EXPECT_EQ(Call(srv.port(), "GET", "/api/v1/images").status, 401);
    EXPECT_EQ(Call(srv.port(), "GET", "/api/v1/images", "cst_" + std::string(64, '0')).status, 401);
    EXPECT_EQ(Call(srv.port(), "POST", "/api/v1/sboms", read, d / "sbom.json").status, 403);
    // Bad bodies: 400 with the reason, and the server keeps serving.
    ct::WriteFile(d / "bad.json", "{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.6\", \"components\": {}}");
    Reply bad = Call(srv.port(), "POST", "/api/v1/sboms", write, d / "bad.json");
    EXPECT_EQ(bad.status, 400) << bad.raw;
    EXPECT_NE(bad.raw.find("components is not a list"), std::string::npos) << bad.raw;
    ct::WriteFile(d / "notjson.json", "not json at all");
    EXPECT_EQ(Call(srv.port(), "POST", "/api/v1/sboms", write, d / "notjson.json").status, 400);
    EXPECT_EQ(Call(srv.port(), "GET", "/healthz").status, 200);
    // The SBOM.
    Reply sub = Call(srv.port(), "POST", "/api/v1/sboms", write, d / "sbom.json");
    ASSERT_EQ(sub.status, 201) << sub.raw;
    digest = sub.body.value("image", "");
    ASSERT_EQ(digest.rfind("sha256:", 0), 0u) << sub.raw;
    ASSERT_EQ(sub.body["events"].size(), 2u) << sub.raw;  // musl and musl-utils
    for (const auto& e : sub.body["events"]) {
      EXPECT_EQ(e["kind"], "new");
      EXPECT_EQ(e["vulnerability"], "CVE-2019-14697");
    }
    // The same SBOM again: no change, no event.
    EXPECT_TRUE(Call(srv.port(), "POST", "/api/v1/sboms", write, d / "sbom.json").body["events"].empty());
    Reply images = Call(srv.port(), "GET", "/api/v1/images", read);
    ASSERT_EQ(images.status, 200) << images.raw;
    ASSERT_EQ(images.body["images"].size(), 1u);
    EXPECT_EQ(images.body["images"][0]["critical"], 2);
    EXPECT_EQ(images.body["images"][0]["refs"], json::array({"customs-test/alpine:3.7.3"}));
    Reply findings = Call(srv.port(), "GET", "/api/v1/images/" + digest + "/findings", read);
    ASSERT_EQ(findings.status, 200) << findings.raw;
    EXPECT_EQ(findings.body["findings"].size(), 2u);
    EXPECT_EQ(srv.Stop(), 0) << "SIGTERM: a clean exit";
  }
  const std::string newer = DbWithAddedAdvisory(d);
  std::string first_seen;
  {
    ServerProcess srv(store, newer, d / "server2.log");
    ASSERT_TRUE(srv.Up()) << ct::ReadFile(d / "server2.log");
    Reply rescan = Call(srv.port(), "POST", "/api/v1/rescan", write);
    ASSERT_EQ(rescan.status, 200) << rescan.raw;
    ASSERT_EQ(rescan.body["events"].size(), 1u) << rescan.raw;
    const json& e = rescan.body["events"][0];
    EXPECT_EQ(e["kind"], "new");
    EXPECT_EQ(e["vulnerability"], "CVE-2018-25032");
    EXPECT_EQ(e["image"], digest);
    EXPECT_NE(e["purl"].get<std::string>().find("pkg:apk/alpine/zlib@1.2.11-r1"), std::string::npos);
    Reply findings = Call(srv.port(), "GET", "/api/v1/images/" + digest + "/findings", read);
    for (const auto& f : findings.body["findings"])
      if (f["vulnerability"] == "CVE-2018-25032") first_seen = f["firstSeen"];
    EXPECT_EQ(first_seen, e["at"]);
    // A second rescan on the same data: nothing new.
    EXPECT_TRUE(Call(srv.port(), "POST", "/api/v1/rescan", write).body["events"].empty());
  }
  {
    ServerProcess srv(store, db, d / "server3.log");
    ASSERT_TRUE(srv.Up()) << ct::ReadFile(d / "server3.log");
    Reply rescan = Call(srv.port(), "POST", "/api/v1/rescan", write);
    ASSERT_EQ(rescan.body["events"].size(), 1u) << rescan.raw;
    EXPECT_EQ(rescan.body["events"][0]["kind"], "fixed");
    Reply all = Call(srv.port(), "GET", "/api/v1/images/" + digest + "/findings?all=1", read);
    bool closed = false;
    for (const auto& f : all.body["findings"])
      if (f["vulnerability"] == "CVE-2018-25032") closed = f.contains("closed") && f["closed"]["kind"] == "fixed";
    EXPECT_TRUE(closed) << all.raw;
    Reply events = Call(srv.port(), "GET", "/api/v1/events?after=0", read);
    EXPECT_EQ(events.body["events"].size(), 4u) << events.raw;  // new x2, new, fixed
    EXPECT_EQ(Call(srv.port(), "GET", "/api/v1/events?after=x", read).status, 400);
  }
}

bool CurlAvailable(std::string* why) {
  if (ct::Run({"/bin/sh", "-c", "command -v curl"}).exit_code == 0) return true;
  *why = "curl(1) is not installed (apt-get install curl): server e2e skipped";
  return false;
}

}  // namespace

TEST(ServerE2e, SubmitQueryRescanOnSqlite) {
  std::string why;
  if (!CurlAvailable(&why)) GTEST_SKIP() << why;
  ct::TempDir d;
  Scenario(d / "store.db", d);
}

TEST(ServerE2e, SubmitQueryRescanOnPostgres) {
  std::string why;
  if (!CurlAvailable(&why)) GTEST_SKIP() << why;
  auto url = ct::FreshPostgresDatabase(&why);
  if (!url) GTEST_SKIP() << why;
  ct::TempDir d;
  Scenario(*url, d);
}
