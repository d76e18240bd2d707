// `customs db update` pieces: the URL table, --feeds selection, --base-url rewriting, download errors
// (against a closed port on 127.0.0.1: no network), stale temp-file cleanup, and the check-and-replace
// of UpdateDatabase with an offline mirror.
#include "db/update.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <map>
#include <regex>
#include <set>

#include "core/error.h"
#include "db/feeds/feed.h"
#include "db/vulndb.h"
#include "db_test_util.h"
#include "support/fixtures.h"

namespace ct = customs_test;
namespace db = customs::db;

namespace {

// A port on 127.0.0.1 nothing listens on (bound once to get a free number, then closed).
int ClosedPort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

const db::Feed* FeedForDirName(const std::string& name) {
  for (const db::Feed* f : db::Feeds())
    if (f->MatchesDirName(name)) return f;
  return nullptr;
}

TEST(DbUpdateTable, EveryLineIsAnHttpsUrlTheBuilderCanFind) {
  const auto& feeds = db::LiveFeeds();
  ASSERT_FALSE(feeds.empty());
  std::set<std::string> files, urls;
  const std::set<std::string> hosts = {"https://secdb.alpinelinux.org/", "https://security-tracker.debian.org/",
                                       "https://osv-vulnerabilities.storage.googleapis.com/", "https://www.cisa.gov/",
                                       "https://nvd.nist.gov/", "https://epss.empiricalsecurity.com/",
                                       "https://packages.wolfi.dev/", "https://packages.cgr.dev/",
                                       "https://cdn.amazonlinux.com/"};
  const std::map<std::string, std::string> feed_of_group = {
      {"alpine", "alpine_secdb"}, {"debian", "debian_tracker"}, {"osv", "osv"}, {"kev", "kev"},
      {"nvd", "nvd"}, {"epss", "epss"}, {"wolfi", "alpine_secdb"}, {"chainguard", "alpine_secdb"},
      {"amazon", "amazon_alas"}};
  for (const auto& f : feeds) {
    SCOPED_TRACE(f.url);
    EXPECT_TRUE(files.insert(f.file).second) << "duplicate file " << f.file;
    EXPECT_TRUE(urls.insert(f.url).second) << "duplicate url";
    bool known_host = false;
    for (const auto& h : hosts) known_host = known_host || f.url.rfind(h, 0) == 0;
    EXPECT_TRUE(known_host);
    EXPECT_EQ(f.url.find("{branch}"), std::string::npos);
    EXPECT_EQ(f.file.find("{branch}"), std::string::npos);
    EXPECT_EQ(f.url.find("{year}"), std::string::npos);
    // The file lives in the source's directory, which the builder recognizes by name as the right feed.
    EXPECT_EQ(f.file.rfind(f.source + "/", 0), 0u) << f.file;
    ASSERT_TRUE(feed_of_group.count(f.group)) << f.group;
    const db::Feed* feed = FeedForDirName(f.source);
    ASSERT_NE(feed, nullptr) << f.source;
    EXPECT_STREQ(feed->id, feed_of_group.at(f.group).c_str()) << f.source;
  }
}

TEST(DbUpdateTable, AlpineBranchesExpandToMainAndCommunity) {
  const auto& branches = db::AlpineBranches();
  ASSERT_GE(branches.size(), 2u);
  std::regex branch_re("v3\\.[0-9]+");
  for (const auto& b : branches) {
    EXPECT_TRUE(std::regex_match(b, branch_re)) << b;
    for (const char* repo : {"main", "community"}) {
      const std::string url = "https://secdb.alpinelinux.org/" + b + "/" + repo + ".json";
      bool found = false;
      for (const auto& f : db::LiveFeeds())
        if (f.url == url) {
          found = true;
          EXPECT_EQ(f.file, "alpine-secdb/" + b + "/" + repo + ".json");
          EXPECT_EQ(f.group, "alpine");
        }
      EXPECT_TRUE(found) << url;
    }
  }
}

TEST(DbUpdateTable, CoversTheIssuesFeeds) {
  std::set<std::string> urls;
  for (const auto& f : db::LiveFeeds()) urls.insert(f.url);
  EXPECT_TRUE(urls.count("https://security-tracker.debian.org/tracker/data/json"));
  EXPECT_TRUE(urls.count("https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json"));
  EXPECT_TRUE(urls.count("https://packages.wolfi.dev/os/security.json"));
  EXPECT_TRUE(urls.count("https://packages.cgr.dev/chainguard/security.json"));
  EXPECT_TRUE(urls.count("https://epss.empiricalsecurity.com/epss_scores-current.csv.gz"));
  EXPECT_TRUE(urls.count("https://nvd.nist.gov/feeds/json/cve/2.0/nvdcve-2.0-modified.json.gz"));
  for (const char* eco : {"Go", "PyPI", "npm", "crates.io", "Maven", "RubyGems", "Packagist", "NuGet", "Alpine",
                          "Debian", "Ubuntu", "Red%20Hat", "AlmaLinux", "Rocky%20Linux", "SUSE", "openSUSE", "Wolfi",
                          "Chainguard"})
    EXPECT_TRUE(urls.count(std::string("https://osv-vulnerabilities.storage.googleapis.com/") + eco + "/all.zip"))
        << eco;
}

TEST(DbUpdateSelect, GroupsAndSourceNames) {
  EXPECT_EQ(db::SelectFeeds("").size(), db::LiveFeeds().size());
  auto kev = db::SelectFeeds("kev");
  ASSERT_EQ(kev.size(), 1u);
  EXPECT_EQ(kev[0].source, "kev");
  EXPECT_EQ(db::SelectFeeds("alpine").size(), 2 * db::AlpineBranches().size());
  EXPECT_EQ(db::SelectFeeds("osv").size(), 18u);
  auto some = db::SelectFeeds(" KEV , osv-go,debian");
  ASSERT_EQ(some.size(), 3u);  // table order: debian, osv-go, kev
  EXPECT_EQ(some[0].source, "debian-tracker");
  EXPECT_EQ(some[1].source, "osv-go");
  EXPECT_EQ(some[2].source, "kev");
  try {
    db::SelectFeeds("kev,nvdx");
    FAIL() << "no error";
  } catch (const customs::Error& e) {
    EXPECT_EQ(e.code(), customs::kExitUsage);
    EXPECT_NE(std::string(e.what()).find("'nvdx'"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("osv-go"), std::string::npos) << e.what();
  }
}

TEST(DbUpdateBaseUrl, ReplacesSchemeAndHostKeepsPath) {
  const std::string kev = "https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json";
  EXPECT_EQ(db::RebaseUrl(kev, "http://127.0.0.1:8080"),
            "http://127.0.0.1:8080/sites/default/files/feeds/known_exploited_vulnerabilities.json");
  EXPECT_EQ(db::RebaseUrl(kev, "http://127.0.0.1:8080/"),
            "http://127.0.0.1:8080/sites/default/files/feeds/known_exploited_vulnerabilities.json");
  EXPECT_EQ(db::RebaseUrl("https://secdb.alpinelinux.org/v3.20/main.json", "https://mirror.example/customs/"),
            "https://mirror.example/customs/v3.20/main.json");
  EXPECT_EQ(db::RebaseUrl("https://security-tracker.debian.org/tracker/data/json", "HTTP://[::1]:9"),
            "HTTP://[::1]:9/tracker/data/json");
  for (const char* bad : {"", "127.0.0.1:8080", "ftp://host", "file:///srv/mirror", "http://", "http://h/?x=1"}) {
    try {
      db::RebaseUrl(kev, bad);
      ADD_FAILURE() << "accepted " << bad;
    } catch (const customs::Error& e) {
      EXPECT_EQ(e.code(), customs::kExitUsage) << bad;
    }
  }
}

TEST(DbUpdateDownload, ConnectionRefusedNamesTheUrlAndRemovesTheFile) {
  ct::TempDir d;
  const std::string url = "http://127.0.0.1:" + std::to_string(ClosedPort()) + "/Go/all.zip";
  try {
    db::DownloadFile(url, d / "all.zip");
    FAIL() << "no error";
  } catch (const customs::Error& e) {
    EXPECT_EQ(e.code(), customs::kExitIo);
    std::string m = e.what();
    EXPECT_EQ(m.rfind(url + ": download failed: ", 0), 0u) << m;
    EXPECT_NE(m.find("onnect"), std::string::npos) << m;  // curl: "Couldn't connect to server (...)"
  }
  EXPECT_FALSE(ct::PathExists(d / "all.zip"));
}

TEST(DbUpdateDownload, OnlyHttpAndHttps) {
  ct::TempDir d;
  ct::WriteFile(d / "src.json", "{}");
  try {
    db::DownloadFile("file://" + (d / "src.json"), d / "out.json");
    FAIL() << "file:// accepted";
  } catch (const customs::Error& e) {
    EXPECT_EQ(e.code(), customs::kExitIo);
    EXPECT_NE(std::string(e.what()).find("file://"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(ct::PathExists(d / "out.json"));
}

TEST(DbUpdateStale, RemovesOnlyFilesOfDeadProcesses) {
  ct::TempDir d;
  const std::string dead = "2147483000";  // above any pid_max: kill() says ESRCH
  const std::string alive = std::to_string(::getppid());
  ct::WriteFile(d / "db/customs.db", "old");
  ct::WriteFile(d / ("db/customs.db.tmp-" + dead + "-update"), "x");
  ct::WriteFile(d / ("db/customs.db.tmp-" + dead + "-update.tmp-" + dead), "x");
  ct::WriteFile(d / ("db/customs.db.tmp-" + alive), "x");
  ct::WriteFile(d / ("db/other.db.tmp-" + dead), "x");
  ct::WriteFile(d / ("tmp/customs-update-" + dead + "-AbC123/kev/k.json"), "x");
  ct::WriteFile(d / ("tmp/customs-update-" + alive + "-AbC123/kev/k.json"), "x");
  ct::WriteFile(d / "tmp/unrelated/x", "x");
  EXPECT_EQ(db::RemoveStaleUpdateFiles(d / "db/customs.db", d / "tmp"), 3);
  EXPECT_TRUE(ct::PathExists(d / "db/customs.db"));
  EXPECT_FALSE(ct::PathExists(d / ("db/customs.db.tmp-" + dead + "-update")));
  EXPECT_FALSE(ct::PathExists(d / ("db/customs.db.tmp-" + dead + "-update.tmp-" + dead)));
  EXPECT_TRUE(ct::PathExists(d / ("db/customs.db.tmp-" + alive)));
  EXPECT_TRUE(ct::PathExists(d / ("db/other.db.tmp-" + dead)));
  EXPECT_FALSE(ct::PathExists(d / ("tmp/customs-update-" + dead + "-AbC123")));
  EXPECT_TRUE(ct::PathExists(d / ("tmp/customs-update-" + alive + "-AbC123")));
  EXPECT_TRUE(ct::PathExists(d / "tmp/unrelated/x"));
}

TEST(DbUpdate, OfflineMirrorReplacesAndFailedCheckKeepsTheOldDatabase) {
  ct::TempDir d;
  db::UpdateOptions o;
  o.db = d / "db/customs.db";
  o.temp_dir = d / "tmp";
  o.offline_mirror = db_test::Vulndata("kev");
  auto r = db::UpdateDatabase(o);
  EXPECT_TRUE(r.urls.empty());
  ASSERT_EQ(r.build.sources.size(), 1u);
  EXPECT_EQ(r.build.sources[0].name, "kev");
  const std::string before = ct::Sha256DigestOfFile(o.db);
  EXPECT_EQ(db::VulnDB::Open(o.db)->Info().kev, 1404);

  // A mirror whose only source yields nothing: built, checked, rejected; the old database stays.
  ct::WriteFile(d / "bad/osv-x/all.zip", "<html>captive portal</html>");
  o.offline_mirror = d / "bad";
  try {
    db::UpdateDatabase(o);
    FAIL() << "no error";
  } catch (const customs::Error& e) {
    EXPECT_EQ(e.code(), customs::kExitInputRejected);
    EXPECT_NE(std::string(e.what()).find("osv-x"), std::string::npos) << e.what();
  }
  EXPECT_EQ(ct::Sha256DigestOfFile(o.db), before);
  std::vector<std::string> left;
  for (const auto& p : std::filesystem::directory_iterator(d / "db")) left.push_back(p.path().filename());
  EXPECT_EQ(left, std::vector<std::string>{"customs.db"});
}

TEST(DbUpdate, DownloadFailureKeepsTheOldDatabaseAndRemovesTempFiles) {
  ct::TempDir d;
  ct::WriteFile(d / "db/customs.db", "previous database bytes");
  ct::WriteFile(d / "tmp/.keep", "");
  db::UpdateOptions o;
  o.db = d / "db/customs.db";
  o.temp_dir = d / "tmp";
  o.feeds = "kev";
  o.base_url = "http://127.0.0.1:" + std::to_string(ClosedPort());
  try {
    db::UpdateDatabase(o);
    FAIL() << "no error";
  } catch (const customs::Error& e) {
    EXPECT_EQ(e.code(), customs::kExitIo);
    EXPECT_NE(std::string(e.what()).find(o.base_url + "/sites/default/files/feeds/known_exploited_vulnerabilities.json"),
              std::string::npos)
        << e.what();
  }
  EXPECT_EQ(ct::ReadFile(d / "db/customs.db"), "previous database bytes");
  EXPECT_EQ(d.List(), (std::vector<std::string>{"db/", "db/customs.db", "tmp/", "tmp/.keep"}));
}

TEST(DbUpdate, OptionConflictsAreUsageErrors) {
  db::UpdateOptions o;
  o.db = "/nonexistent/x.db";
  o.offline_mirror = "/nonexistent";
  o.base_url = "http://127.0.0.1:1";
  EXPECT_THROW(
      {
        try {
          db::UpdateDatabase(o);
        } catch (const customs::Error& e) {
          EXPECT_EQ(e.code(), customs::kExitUsage);
          throw;
        }
      },
      customs::Error);
  o.base_url.clear();
  o.feeds = "kev";
  EXPECT_THROW(db::UpdateDatabase(o), customs::Error);
}

}  // namespace
