// Issue #4 acceptance (Node.js), through the CLI end to end: real packages at pinned old versions,
// installed from the npm registry by npm itself, are inventoried from package-lock.json and from
// node_modules/**/package.json exactly as `npm ls` sees them, and matched against real GitHub
// advisories.
//
// The project (package.json below) is installed once with `npm install --ignore-scripts` and cached
// in ${XDG_CACHE_HOME:-~/.cache}/customs-tests/npm-project-<hash of package.json> (installed next
// to it, renamed when complete, a lock file serializing test processes). Without an answer from
// the registry the tests skip.
//
// Besides the three packages the issue names, mkdirp 0.5.1 is a dev dependency: it brings
// minimist 0.0.8 nested in node_modules/mkdirp/node_modules, so that the tree has a transitive,
// dev-only, second copy of a package (direct=false, dev=true) in both sources.
//
// Oracles: `npm ls --all --json --long` (names, versions, install paths, dev, and direct = the
// root's children), the lockfile itself (integrity), and the advisories as GitHub publishes them
// (github/advisory-database, OSV format; ids, aliases, ranges, CVSS and severity copied from the
// latest published revision, long texts and references left out):
//   GHSA-p6mc-m468-83gw / CVE-2020-8203  lodash      [3.7.0, 4.17.19)            HIGH (CVSS 7.4)
//   GHSA-vh95-rmgr-6w4m / CVE-2020-7598  minimist    [0, 0.2.1), [1.0.0, 1.2.3)   MODERATE (5.6)
//   GHSA-w7rc-rwvf-8q5r / CVE-2020-15168 node-fetch  [2.0.0, 2.6.1), [3.0.0-beta.1, 3.0.0-beta.9)  LOW (2.6)
//   GHSA-jf85-cpcp-j695 / CVE-2019-10744 lodash      [0, 4.17.12)                CRITICAL (9.1)
// so lodash 4.17.15 has the first (fixed in 4.17.19) but not the last; minimist 1.2.0 and 0.0.8
// have the second (fixed in 1.2.3 and 0.2.1); node-fetch 2.6.0 the third (fixed in 2.6.1); mkdirp
// none. When `npm audit` answers, its verdict on the same advisories is checked too.
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "support/fixtures.h"

namespace ct = customs_test;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// Exact versions: npm keeps them as written, so the lockfile does not depend on the day's registry.
constexpr const char* kPackageJson = R"({
  "name": "customs-npm-fixture",
  "version": "1.0.0",
  "private": true,
  "dependencies": {
    "lodash": "4.17.15",
    "minimist": "1.2.0",
    "node-fetch": "2.6.0"
  },
  "devDependencies": {
    "mkdirp": "0.5.1"
  }
}
)";

constexpr const char* kRegistryPrefix = "the npm registry did not answer";

// ---------------------------------------------------------------------------------------------
// The installed project, cached.

// npm's error code line ("error code ECONNREFUSED"), else the end of its log.
std::string Summary(const std::string& log, size_t max = 400) {
  const size_t at = log.find("error code ");
  if (at != std::string::npos) return log.substr(at, log.find('\n', at) - at);
  return log.size() <= max ? log : "..." + log.substr(log.size() - max);
}

// npm's words for "could not reach the registry" (errno codes, HTTP 5xx, proxies).
bool LooksLikeNetwork(const std::string& log) {
  for (const char* w : {"ENOTFOUND", "EAI_AGAIN", "ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "ENETUNREACH",
                        "EHOSTUNREACH", "ESOCKETTIMEDOUT", "network", "code E500", "code E502", "code E503",
                        "code E504", "socket hang up", "UNABLE_TO_GET_ISSUER_CERT", "SELF_SIGNED_CERT"})
    if (log.find(w) != std::string::npos) return true;
  return false;
}

// The installed project directory (package.json, package-lock.json, node_modules), or nullopt with
// `*reason` (starting with kRegistryPrefix when the registry was unreachable).
std::optional<std::string> NpmProject(std::string* reason) {
  try {
    const std::string root = ct::TestCacheRoot();
    fs::create_directories(root);
    const std::string name = "npm-project-" + ct::Sha256Hex(kPackageJson).substr(0, 12);
    const std::string final_dir = root + "/" + name;
    if (ct::PathExists(final_dir + "/package-lock.json")) return final_dir;
    ct::FileLock lock(root + "/" + name + ".lock");
    if (ct::PathExists(final_dir + "/package-lock.json")) return final_dir;  // installed meanwhile
    // A recent failure to reach the registry is remembered for a few minutes, so that a run without
    // network does not wait for npm's retries in every test.
    const std::string unavailable = root + "/" + name + ".unavailable";
    struct stat st;
    if (::stat(unavailable.c_str(), &st) == 0 && ::time(nullptr) - st.st_mtime < 300) {
      *reason = ct::ReadFile(unavailable);
      return std::nullopt;
    }
    for (const auto& e : fs::directory_iterator(root))
      if (e.path().filename().string().rfind(name + ".tmp-", 0) == 0) ct::RemoveTree(e.path().string());
    if (ct::PathExists(final_dir)) ct::RemoveTree(final_dir);

    ct::RunResult v = ct::Run({"npm", "--version"});
    if (v.exit_code != 0) {
      *reason = "npm is not installed (scripts/install-deps.sh installs it): " + v.Describe();
      return std::nullopt;
    }
    std::string tmpl = root + "/" + name + ".tmp-XXXXXX";
    std::vector<char> buf(tmpl.begin(), tmpl.end());
    buf.push_back('\0');
    if (!::mkdtemp(buf.data())) throw std::runtime_error("mkdtemp " + tmpl + ": " + std::strerror(errno));
    const std::string tmp = buf.data();
    ct::WriteFile(tmp + "/package.json", kPackageJson);
    ct::RunOptions o;
    o.cwd = tmp;
    o.timeout_seconds = 300;
    o.env = {"npm_config_update_notifier=false", "npm_config_fund=false", "npm_config_audit=false"};
    ct::RunResult r = ct::Run({"npm", "install", "--no-audit", "--no-fund", "--ignore-scripts", "--package-lock=true",
                               "--cache", tmp + "/.npm-cache", "--fetch-retries", "1", "--fetch-retry-mintimeout",
                               "2000", "--fetch-retry-maxtimeout", "5000"},
                              o);
    ct::RemoveTree(tmp + "/.npm-cache");  // the download cache is not part of the project
    if (r.exit_code != 0 || !ct::PathExists(tmp + "/package-lock.json") || !ct::PathExists(tmp + "/node_modules")) {
      const std::string log = r.out + "\n" + r.err;
      ct::RemoveTree(tmp);
      const bool network = r.timed_out || LooksLikeNetwork(log);
      *reason = (network ? std::string(kRegistryPrefix) + ": " : std::string()) + "npm install " +
                (r.timed_out ? std::string("timed out") : "exit " + std::to_string(r.exit_code)) + ": " + Summary(log);
      if (network) ct::WriteFile(unavailable, *reason);
      return std::nullopt;
    }
    if (::rename(tmp.c_str(), final_dir.c_str()) != 0) {
      const std::string err = std::strerror(errno);
      ct::RemoveTree(tmp);
      *reason = "rename " + tmp + " -> " + final_dir + ": " + err;
      return std::nullopt;
    }
    std::error_code ec;
    fs::remove(unavailable, ec);
    return final_dir;
  } catch (const std::exception& e) {
    *reason = std::string("installing the npm project failed: ") + e.what();
    return std::nullopt;
  }
}

#define NPM_PROJECT_OR_SKIP(var)                                                         \
  std::string var;                                                                       \
  do {                                                                                   \
    std::string why_##var;                                                               \
    auto got_##var = NpmProject(&why_##var);                                             \
    if (!got_##var) {                                                                    \
      if (why_##var.rfind(kRegistryPrefix, 0) == 0) GTEST_SKIP() << why_##var;           \
      FAIL() << why_##var;                                                               \
    }                                                                                    \
    var = *got_##var;                                                                    \
  } while (0)

// ---------------------------------------------------------------------------------------------
// The oracle: npm ls.

struct NpmNode {
  std::string name, version;
  std::string path;  // install directory relative to the project: "node_modules/mkdirp/node_modules/minimist"
  bool dev = false;
  bool direct = false;  // a child of the root
};

// Every installed package `npm ls --all --json --long` lists, keyed by install path.
std::map<std::string, NpmNode> NpmLs(const std::string& project, std::string* error) {
  ct::RunOptions o;
  o.cwd = project;
  o.timeout_seconds = 120;
  o.env = {"npm_config_update_notifier=false"};
  ct::RunResult r = ct::Run({"npm", "ls", "--all", "--json", "--long"}, o);
  std::map<std::string, NpmNode> out;
  json doc = ct::ParseJson(r.out, error);
  if (r.exit_code != 0 || !doc.is_object()) {
    *error = "npm ls: " + r.Describe() + " " + *error;
    return out;
  }
  const fs::path base = fs::canonical(project);
  std::vector<std::pair<const json*, int>> todo = {{&doc, 0}};
  while (!todo.empty()) {
    auto [node, depth] = todo.back();
    todo.pop_back();
    auto deps = node->find("dependencies");
    if (deps == node->end() || !deps->is_object()) continue;
    for (auto it = deps->begin(); it != deps->end(); ++it) {
      const json& d = *it;
      if (d.value("missing", false) || !d.contains("path")) {
        *error = "npm ls reports " + it.key() + " missing";
        continue;
      }
      NpmNode n;
      n.name = d.value("name", it.key());
      n.version = d.value("version", "");
      n.path = fs::path(d["path"].get<std::string>()).lexically_relative(base).string();
      n.dev = d.value("dev", false);
      n.direct = depth == 0;
      out[n.path] = n;
      todo.push_back({&d, depth + 1});
    }
  }
  return out;
}

std::set<std::string> NameVersions(const std::map<std::string, NpmNode>& ls) {
  std::set<std::string> s;
  for (const auto& [path, n] : ls) s.insert(n.name + "@" + n.version);
  return s;
}

// ---------------------------------------------------------------------------------------------
// The report.

struct Pkg {
  std::string name, version, db_path;
  std::map<std::string, std::string> extra;
  json vulns;  // null without the vulnerability scanner
};

bool FromLockfile(const Pkg& p) { return p.db_path == "package-lock.json"; }
bool FromNodeModules(const Pkg& p) {
  return p.db_path.rfind("node_modules/", 0) == 0 && p.db_path.size() > 13 &&
         p.db_path.compare(p.db_path.size() - 13, 13, "/package.json") == 0;
}

// npm packages of every "lang-pkgs" target, whatever the targets are named or how they are grouped.
std::vector<Pkg> NpmPackages(const json& report) {
  std::vector<Pkg> out;
  for (const auto& t : report.value("targets", json::array())) {
    if (t.value("class", "") != "lang-pkgs") continue;
    for (const auto& p : t.at("packages")) {
      if (p.value("purl", "").rfind("pkg:npm/", 0) != 0) continue;
      Pkg k;
      k.name = p.at("name").get<std::string>();
      k.version = p.at("version").get<std::string>();
      k.db_path = p.at("dbPath").get<std::string>();
      for (const auto& [key, value] : p.at("extra").items()) k.extra[key] = value.get<std::string>();
      if (p.contains("vulnerabilities")) k.vulns = p.at("vulnerabilities");
      out.push_back(std::move(k));
    }
  }
  return out;
}

std::string Extra(const Pkg& p, const std::string& key) {
  auto it = p.extra.find(key);
  return it == p.extra.end() ? "<unset>" : it->second;
}

json Scan(const std::string& dir, const std::vector<std::string>& more, ct::RunResult* run = nullptr) {
  std::vector<std::string> args = {"fs", dir, "-f", "json", "-q"};
  args.insert(args.end(), more.begin(), more.end());
  ct::RunResult r = ct::RunCustoms(args);
  if (run) *run = r;
  EXPECT_EQ(r.exit_code, 0) << r.Describe();
  std::string err;
  json doc = ct::ParseJson(r.out, &err);
  EXPECT_TRUE(doc.is_object()) << err << "\n" << r.out.substr(0, 2000);
  return doc.is_object() ? doc : json::object({{"targets", json::array()}});
}

void CopyTree(const std::string& from, const std::string& to) {
  fs::create_directories(fs::path(to).parent_path());
  fs::copy(from, to, fs::copy_options::recursive | fs::copy_options::copy_symlinks);
}

// The lockfile analyzer's packages against npm ls and the lockfile's own fields.
void CheckLockfilePackages(const std::vector<Pkg>& pkgs, const std::map<std::string, NpmNode>& ls,
                           const json& lock, const std::string& what) {
  SCOPED_TRACE(what);
  std::set<std::string> got;
  for (const auto& p : pkgs)
    if (FromLockfile(p)) EXPECT_TRUE(got.insert(p.name + "@" + p.version).second) << "listed twice: " << p.name;
  EXPECT_EQ(got, NameVersions(ls));
  for (const auto& [path, n] : ls) {
    const Pkg* p = nullptr;
    for (const auto& q : pkgs)
      if (FromLockfile(q) && q.name == n.name && q.version == n.version) p = &q;
    if (!p) continue;  // reported by the set comparison
    EXPECT_EQ(Extra(*p, "direct"), n.direct ? "true" : "false") << path;
    EXPECT_EQ(Extra(*p, "dev"), n.dev ? "true" : "<unset>") << path;
    const json& entries = lock.at("packages");
    auto entry = entries.find(path);
    ASSERT_NE(entry, entries.end()) << path << " is not in package-lock.json";
    EXPECT_EQ(Extra(*p, "integrity"), entry->value("integrity", "<unset>")) << path;
  }
}

// The node_modules analyzer's packages: one per installed package.json, at npm ls's install paths.
void CheckNodeModulesPackages(const std::vector<Pkg>& pkgs, const std::map<std::string, NpmNode>& ls,
                              const std::string& what) {
  SCOPED_TRACE(what);
  std::map<std::string, std::string> got, want;  // dbPath -> name@version
  for (const auto& p : pkgs)
    if (FromNodeModules(p)) EXPECT_TRUE(got.emplace(p.db_path, p.name + "@" + p.version).second) << p.db_path;
  for (const auto& [path, n] : ls) want[path + "/package.json"] = n.name + "@" + n.version;
  EXPECT_EQ(got, want);
}

// ---------------------------------------------------------------------------------------------
// The advisories (OSV as published in github/advisory-database; details and references omitted).

const char* kLodashGhsa = R"({
  "schema_version": "1.4.0",
  "id": "GHSA-p6mc-m468-83gw",
  "modified": "2023-10-24T20:06:48Z",
  "published": "2020-07-15T19:15:48Z",
  "aliases": ["CVE-2020-8203"],
  "summary": "Prototype Pollution in lodash",
  "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:H/A:H"}],
  "affected": [
    {"package": {"ecosystem": "npm", "name": "lodash"},
     "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "3.7.0"}, {"fixed": "4.17.19"}]}]},
    {"package": {"ecosystem": "npm", "name": "lodash-es"},
     "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "3.7.0"}, {"fixed": "4.17.20"}]}]},
    {"package": {"ecosystem": "npm", "name": "lodash.pick"},
     "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "4.0.0"}, {"last_affected": "4.4.0"}]}]},
    {"package": {"ecosystem": "npm", "name": "lodash.set"},
     "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "3.7.0"}, {"last_affected": "4.3.2"}]}]},
    {"package": {"ecosystem": "npm", "name": "lodash.setwith"},
     "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"last_affected": "4.3.2"}]}]},
    {"package": {"ecosystem": "npm", "name": "lodash.update"},
     "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"last_affected": "4.10.2"}]}]},
    {"package": {"ecosystem": "npm", "name": "lodash.updatewith"},
     "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"last_affected": "4.10.2"}]}]}
  ],
  "database_specific": {"cwe_ids": ["CWE-1321", "CWE-770"], "severity": "HIGH", "github_reviewed": true}
})";

const char* kMinimistGhsa = R"({
  "schema_version": "1.4.0",
  "id": "GHSA-vh95-rmgr-6w4m",
  "modified": "2024-02-13T20:00:13Z",
  "published": "2020-04-03T21:48:32Z",
  "aliases": ["CVE-2020-7598"],
  "summary": "Prototype Pollution in minimist",
  "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:L/A:L"}],
  "affected": [
    {"package": {"ecosystem": "npm", "name": "minimist"},
     "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "0.2.1"}]}]},
    {"package": {"ecosystem": "npm", "name": "minimist"},
     "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "1.0.0"}, {"fixed": "1.2.3"}]}]}
  ],
  "database_specific": {"cwe_ids": ["CWE-1321"], "severity": "MODERATE", "github_reviewed": true}
})";

const char* kNodeFetchGhsa = R"({
  "schema_version": "1.4.0",
  "id": "GHSA-w7rc-rwvf-8q5r",
  "modified": "2023-04-21T19:34:09Z",
  "published": "2020-09-10T17:46:21Z",
  "aliases": ["CVE-2020-15168"],
  "summary": "The `size` option isn't honored after following a redirect in node-fetch",
  "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:H/PR:L/UI:R/S:U/C:N/I:N/A:L"}],
  "affected": [
    {"package": {"ecosystem": "npm", "name": "node-fetch"},
     "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "2.0.0"}, {"fixed": "2.6.1"}]}]},
    {"package": {"ecosystem": "npm", "name": "node-fetch"},
     "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "3.0.0-beta.1"}, {"fixed": "3.0.0-beta.9"}]}],
     "database_specific": {"last_known_affected_version_range": "<= 3.0.0-beta.8"}}
  ],
  "database_specific": {"cwe_ids": ["CWE-20", "CWE-770"], "severity": "LOW", "github_reviewed": true}
})";

// Affects lodash below 4.17.12 only: the installed 4.17.15 is outside its range.
const char* kLodashOldGhsa = R"({
  "schema_version": "1.4.0",
  "id": "GHSA-jf85-cpcp-j695",
  "modified": "2024-04-22T19:49:41Z",
  "published": "2019-07-10T19:45:23Z",
  "aliases": ["CVE-2019-10744"],
  "summary": "Prototype Pollution in lodash",
  "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:H"}],
  "affected": [
    {"package": {"ecosystem": "npm", "name": "lodash"},
     "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "4.17.12"}]}]},
    {"package": {"ecosystem": "npm", "name": "lodash-es"},
     "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "4.17.14"}]}]},
    {"package": {"ecosystem": "npm", "name": "lodash-amd"},
     "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "4.17.13"}]}]},
    {"package": {"ecosystem": "npm", "name": "lodash.defaultsdeep"},
     "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "4.6.1"}]}]}
  ],
  "database_specific": {"cwe_ids": ["CWE-1321", "CWE-20"], "severity": "CRITICAL", "github_reviewed": true}
})";

struct Expected {
  std::string name, version;  // the installed package
  std::string ghsa, cve;
  std::string fixed;
  std::string severity;
};

// Read off the ranges above (see the header comment).
const std::vector<Expected> kExpected = {
    {"lodash", "4.17.15", "GHSA-p6mc-m468-83gw", "CVE-2020-8203", "4.17.19", "HIGH"},
    {"minimist", "1.2.0", "GHSA-vh95-rmgr-6w4m", "CVE-2020-7598", "1.2.3", "MEDIUM"},
    {"minimist", "0.0.8", "GHSA-vh95-rmgr-6w4m", "CVE-2020-7598", "0.2.1", "MEDIUM"},
    {"node-fetch", "2.6.0", "GHSA-w7rc-rwvf-8q5r", "CVE-2020-15168", "2.6.1", "LOW"},
};
const char* kOutOfRangeGhsa = "GHSA-jf85-cpcp-j695";
const char* kOutOfRangeCve = "CVE-2019-10744";

// Writes the four records as a feed directory and builds a database from it.
std::string BuildDb(const ct::TempDir& d) {
  const std::map<std::string, const char*> records = {{"GHSA-p6mc-m468-83gw", kLodashGhsa},
                                                      {"GHSA-vh95-rmgr-6w4m", kMinimistGhsa},
                                                      {"GHSA-w7rc-rwvf-8q5r", kNodeFetchGhsa},
                                                      {"GHSA-jf85-cpcp-j695", kLodashOldGhsa}};
  for (const auto& [id, text] : records) {
    std::string err;
    EXPECT_TRUE(ct::ParseJson(text, &err).is_object()) << id << ": " << err;
    ct::WriteFile(d / ("feeds/osv-npm/" + id + ".json"), text);
  }
  const std::string db = d / "db/customs.db";
  ct::RunResult b = ct::RunCustoms({"db", "build", "--from", d / "feeds", "-o", db});
  EXPECT_EQ(b.exit_code, 0) << b.Describe();
  // The per-source table: "osv-npm  osv  4  0" (records, skipped).
  std::istringstream lines(b.out);
  bool counted = false;
  for (std::string line; std::getline(lines, line);) {
    std::istringstream cols(line);
    std::string source, format;
    long records = -1, skipped = -1;
    if (cols >> source >> format >> records >> skipped && source == "osv-npm") {
      counted = true;
      EXPECT_EQ(records, 4) << line;
      EXPECT_EQ(skipped, 0) << line << "\n" << b.err;
    }
  }
  EXPECT_TRUE(counted) << b.out;
  // All four records are in the database: the out-of-range one is not missed for want of data.
  ct::RunResult info = ct::RunCustoms({"db", "info", "--db", db});
  EXPECT_EQ(info.exit_code, 0) << info.Describe();
  EXPECT_NE(info.out.find("advisories:     4\n"), std::string::npos) << info.out;
  return db;
}

// What `npm audit` says about the advisories above: GHSA id -> package names it flags with it.
// nullopt (with `*why`) when the registry's audit endpoint does not answer.
std::optional<std::map<std::string, std::set<std::string>>> NpmAudit(const std::string& project, std::string* why) {
  ct::RunOptions o;
  o.cwd = project;
  o.timeout_seconds = 120;
  o.env = {"npm_config_update_notifier=false"};
  ct::RunResult r = ct::Run({"npm", "audit", "--json", "--audit=true", "--fetch-retries", "1",
                             "--fetch-retry-mintimeout", "2000", "--fetch-retry-maxtimeout", "5000"},
                            o);
  std::string err;
  json doc = ct::ParseJson(r.out, &err);
  if (!doc.is_object() || !doc.contains("vulnerabilities") || !doc["vulnerabilities"].is_object()) {
    *why = doc.is_object() && doc.contains("message") ? doc.value("message", "") : r.Describe().substr(0, 400);
    return std::nullopt;
  }
  std::map<std::string, std::set<std::string>> flagged;
  for (const auto& [name, v] : doc["vulnerabilities"].items()) {
    for (const auto& via : v.value("via", json::array())) {
      if (!via.is_object()) continue;  // a string: "through another package"
      const std::string url = via.value("url", "");
      const size_t slash = url.rfind('/');
      if (slash != std::string::npos && url.compare(slash + 1, 5, "GHSA-") == 0)
        flagged[url.substr(slash + 1)].insert(via.value("name", name));
    }
  }
  return flagged;
}

// ---------------------------------------------------------------------------------------------

TEST(LangNpm, InventoryMatchesNpmLs) {
  NPM_PROJECT_OR_SKIP(project);
  std::string err;
  const auto ls = NpmLs(project, &err);
  ASSERT_TRUE(err.empty()) << err;
  // The fixture is what it claims to be (else the checks below would prove less than they say).
  ASSERT_EQ(NameVersions(ls), (std::set<std::string>{"lodash@4.17.15", "minimist@1.2.0", "minimist@0.0.8",
                                                     "mkdirp@0.5.1", "node-fetch@2.6.0"}));
  const json lock = ct::ParseJson(ct::ReadFile(project + "/package-lock.json"), &err);
  ASSERT_TRUE(lock.is_object()) << err;
  ASSERT_TRUE(lock.contains("packages")) << "npm wrote a lockfile without \"packages\" (lockfileVersion < 2)";

  // Lockfile only.
  ct::TempDir lock_only("customs-npm-lock");
  ct::WriteFile(lock_only / "app/package.json", ct::ReadFile(project + "/package.json"));
  ct::WriteFile(lock_only / "app/package-lock.json", ct::ReadFile(project + "/package-lock.json"));
  {
    const auto pkgs = NpmPackages(Scan(lock_only / "app", {"--scanners", "none"}));
    for (const auto& p : pkgs) EXPECT_TRUE(FromLockfile(p)) << p.db_path;
    CheckLockfilePackages(pkgs, ls, lock, "package-lock.json alone");
  }

  // node_modules only (with npm's hidden node_modules/.package-lock.json, which is not a project
  // lockfile and must not be read as one).
  ct::TempDir nm_only("customs-npm-nm");
  CopyTree(project + "/node_modules", nm_only / "app/node_modules");
  ASSERT_TRUE(ct::PathExists(nm_only / "app/node_modules/.package-lock.json"));
  {
    const auto pkgs = NpmPackages(Scan(nm_only / "app", {"--scanners", "none"}));
    for (const auto& p : pkgs) EXPECT_TRUE(FromNodeModules(p)) << p.db_path;
    CheckNodeModulesPackages(pkgs, ls, "node_modules alone");
  }

  // The whole project: every installed package is the one the lockfile beside it pins (issue #14), so
  // each is reported once, from the lockfile, also found in its installed package.json files: the
  // lockfile's set, and the installed manifests (npm ls's install paths) all accounted for.
  {
    const auto pkgs = NpmPackages(Scan(project, {"--scanners", "none"}));
    for (const auto& p : pkgs) EXPECT_TRUE(FromLockfile(p)) << p.db_path;
    CheckLockfilePackages(pkgs, ls, lock, "whole project");
    std::map<std::string, std::string> found, want;  // installed package.json -> name@version
    for (const auto& p : pkgs) {
      std::istringstream paths(p.extra.count("also_found_in") ? p.extra.at("also_found_in") : "");
      for (std::string path; std::getline(paths, path);)
        EXPECT_TRUE(found.emplace(path, p.name + "@" + p.version).second) << path;
    }
    for (const auto& [path, n] : ls) want[path + "/package.json"] = n.name + "@" + n.version;
    EXPECT_EQ(found, want);
  }
}

TEST(LangNpm, PublishedAdvisoriesMatchInstalledVersions) {
  NPM_PROJECT_OR_SKIP(project);
  ct::TempDir d("customs-npm-vuln");
  const std::string db = BuildDb(d);
  if (HasFailure()) return;

  ct::RunResult run;
  const json report = Scan(project, {"--db", db}, &run);
  const auto pkgs = NpmPackages(report);
  ASSERT_EQ(pkgs.size(), 5u) << "5 packages from the lockfile, also found installed in node_modules";

  size_t findings = 0;
  for (const auto& p : pkgs) {
    SCOPED_TRACE(p.db_path + ": " + p.name + "@" + p.version);
    ASSERT_TRUE(p.vulns.is_array());
    std::map<std::string, json> by_ghsa;  // every finding, by its GHSA id (id or alias)
    for (const auto& v : p.vulns) {
      std::set<std::string> ids = {v.at("id").get<std::string>()};
      for (const auto& a : v.at("aliases")) ids.insert(a.get<std::string>());
      EXPECT_FALSE(ids.count(kOutOfRangeGhsa) || ids.count(kOutOfRangeCve))
          << "4.17.15 is outside [0, 4.17.12): " << v.dump();
      std::string ghsa;
      for (const auto& id : ids)
        if (id.rfind("GHSA-", 0) == 0) ghsa = id;
      by_ghsa[ghsa] = v;
      ++findings;
    }
    std::set<std::string> want_ids;
    for (const auto& e : kExpected) {
      if (e.name != p.name || e.version != p.version) continue;
      want_ids.insert(e.ghsa);
      auto it = by_ghsa.find(e.ghsa);
      if (it == by_ghsa.end()) {
        ADD_FAILURE() << e.ghsa << " not reported; got " << p.vulns.dump();
        continue;
      }
      const json& v = it->second;
      std::set<std::string> ids = {v.at("id").get<std::string>()};
      for (const auto& a : v.at("aliases")) ids.insert(a.get<std::string>());
      EXPECT_EQ(ids, (std::set<std::string>{e.ghsa, e.cve})) << "id and aliases";
      EXPECT_EQ(v.at("aliases").size(), 1u);
      EXPECT_EQ(v.at("installedVersion"), p.version);
      EXPECT_EQ(v.at("fixedVersion"), e.fixed);
      EXPECT_EQ(v.at("status"), "fixed");
      EXPECT_EQ(v.at("severity"), e.severity);
      EXPECT_EQ(v.at("dataSource").at("id"), "osv-npm");
    }
    std::set<std::string> got_ids;
    for (const auto& [id, v] : by_ghsa) got_ids.insert(id);
    EXPECT_EQ(got_ids, want_ids) << "exactly the advisories whose ranges hold the installed version";
  }
  // Once each: the installed copies are the lockfile's packages, not more of them.
  EXPECT_EQ(findings, kExpected.size());
  ASSERT_TRUE(report.contains("summary"));
  const json& s = report.at("summary").at("vulnerabilities");
  EXPECT_EQ(s.value("CRITICAL", -1), 0);
  // The summary counts a (vulnerability, package, version) once per artifact: the lockfile's entry and
  // the installed copy are one package to fix.
  EXPECT_EQ(s.value("HIGH", -1), 1);
  EXPECT_EQ(s.value("MEDIUM", -1), 2);
  EXPECT_EQ(s.value("LOW", -1), 1);
  EXPECT_EQ(report.at("summary").value("total", -1), static_cast<int>(kExpected.size()));

  // The gate: the only CRITICAL advisory does not apply, the HIGH one does.
  auto gate = [&](const std::string& severity, const std::string& code) {
    return ct::RunCustoms({"fs", project, "--db", db, "-q", "--exit-code", code, "--severity", severity});
  };
  ct::RunResult critical = gate("CRITICAL", "1");
  EXPECT_EQ(critical.exit_code, 0) << critical.Describe();
  ct::RunResult high = gate("HIGH", "1");
  EXPECT_EQ(high.exit_code, 1) << high.Describe();
  ct::RunResult low = gate("LOW", "5");
  EXPECT_EQ(low.exit_code, 5) << low.Describe();
  ct::RunResult none = ct::RunCustoms({"fs", project, "--db", db, "-q", "--exit-code", "1", "--severity", "CRITICAL",
                                       "-f", "json"});
  EXPECT_EQ(none.exit_code, 0) << none.Describe();
  const json quiet = ct::ParseJson(none.out);
  EXPECT_EQ(quiet.is_object() && quiet.contains("summary") ? quiet["summary"].value("total", -1) : -1, 0)
      << none.out.substr(0, 2000);

  // npm's own verdict on the same advisories, when the registry's audit endpoint answers.
  std::string why;
  if (auto audit = NpmAudit(project, &why)) {
    EXPECT_EQ((*audit)["GHSA-p6mc-m468-83gw"], std::set<std::string>{"lodash"});
    EXPECT_EQ((*audit)["GHSA-vh95-rmgr-6w4m"], std::set<std::string>{"minimist"});
    EXPECT_EQ((*audit)["GHSA-w7rc-rwvf-8q5r"], std::set<std::string>{"node-fetch"});
    EXPECT_EQ((*audit)["GHSA-jf85-cpcp-j695"], std::set<std::string>{});
  } else {
    std::printf("npm audit did not answer; its cross-check was left out: %s\n", why.c_str());
  }
}

}  // namespace
