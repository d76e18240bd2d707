// Issue #4 acceptance (Go): Go executables through `customs fs DIR -f json`, checked against the Go
// toolchain's own reading of them and against ../shared/vulndata/osv-go.
//
// The binaries:
//   - the Go toolchain of Debian's golang-go: GOROOT/bin/{go,gofmt} and every tool of GOTOOLDIR
//     (compile, link, vet, ...);
//   - /usr/bin/docker-registry (package docker-registry) and /usr/bin/skopeo (package skopeo) when
//     installed;
//   - a program built here by that toolchain in module mode from a vendor directory (offline, no
//     module proxy): it depends on golang.org/x/mod v0.7.0 (the real source of Debian's
//     golang-golang-x-mod-dev, vendored), on a module replaced by another module at another version,
//     and on a module replaced by a local directory. Debian builds its Go packages in GOPATH mode,
//     so their build info names no modules at all; the built program is what exercises dependency
//     modules and replacements.
// They are linked (copied when linking is not possible) into a temporary directory and scanned once.
//
// Oracle for the inventory: `go version -m FILE` (Debian's golang-go). For each binary the packages
// customs reports must be exactly: every `dep` module (a module replaced by another module under the
// replacement's path and version, extra replaces/replaces_version; a module replaced by a local
// directory -- a path starting with ./, ../ or / -- under its own path and version, extra
// replaced_by), the `mod` main module (extra main=true), and "stdlib" at the toolchain version
// (go1.19.8 -> v1.19.8, extra toolchain = go1.19.8).
//
// Oracle for the findings: a Python script (below) that reads every osv-go record, keeps those not
// withdrawn whose affected[] names the module (ecosystem Go), and evaluates their SEMVER ranges
// (introduced / fixed / last_affected turned into intervals) and versions lists with SemVer 2.0
// precedence implemented in the script. Matching is at module level, as customs does (like Trivy and
// Grype): ecosystem_specific.imports (the packages and symbols a record is narrowed to, which
// govulncheck uses with call-graph analysis) is not looked at, so a binary is reported as affected
// even when it does not link the vulnerable package. Records of the "toolchain" module (cmd/go and
// other commands of the Go distribution) are not matched: customs reports the toolchain a binary was
// built with as "stdlib" only. Records naming the same vulnerability (shared id or alias) form one
// finding, as customs groups them; findings are compared as (binary, package@version, set of ids:
// id and aliases), exactly.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "support/fixtures.h"
#include "support/vulndb_fixture.h"

namespace ct = customs_test;
namespace fs = std::filesystem;

namespace {

// ---------------------------------------------------------------------------------------------
// `go version -m` output.

struct GoModule {
  std::string path, version;
  std::optional<std::pair<std::string, std::string>> replace;  // (path, version)
};

struct GoBuildInfo {
  std::string toolchain;  // "go1.19.8"
  std::string path;       // main package
  std::optional<GoModule> main;
  std::vector<GoModule> deps;
};

std::vector<std::string> SplitTabs(const std::string& line) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : line) {
    if (c == '\t') {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  out.push_back(cur);
  return out;
}

// Parses `go version -m FILE`: "FILE: go1.19.8", then tab-indented lines "path P", "mod P V [SUM]",
// "dep P V [SUM]", "=> P V [SUM]" (replacing the module of the line before), "build K=V".
std::optional<GoBuildInfo> GoVersionM(const std::string& file, std::string* why) {
  ct::RunOptions o;
  o.env = {"GOTOOLCHAIN=local", "GOFLAGS="};
  ct::RunResult r = ct::Run({"go", "version", "-m", file}, o);
  if (r.exit_code != 0) {
    *why = "go version -m " + file + ": " + r.Describe();
    return std::nullopt;
  }
  GoBuildInfo bi;
  std::istringstream ss(r.out);
  std::string line;
  std::getline(ss, line);
  const size_t colon = line.rfind(": ");
  if (colon == std::string::npos) {
    *why = "go version -m " + file + ": unexpected first line '" + line + "'";
    return std::nullopt;
  }
  bi.toolchain = line.substr(colon + 2);
  GoModule* last = nullptr;
  while (std::getline(ss, line)) {
    if (line.empty() || line[0] != '\t') continue;
    std::vector<std::string> f = SplitTabs(line.substr(1));
    if (f.empty()) continue;
    if (f[0] == "path" && f.size() >= 2) {
      bi.path = f[1];
    } else if ((f[0] == "mod" || f[0] == "dep") && f.size() >= 3) {
      GoModule m{f[1], f[2], std::nullopt};
      if (f[0] == "mod") {
        bi.main = m;
        last = &*bi.main;
      } else {
        bi.deps.push_back(m);
        last = &bi.deps.back();
      }
    } else if (f[0] == "=>" && f.size() >= 3 && last) {
      last->replace = std::make_pair(f[1], f[2]);
    }
  }
  return bi;
}

// "go1.19.8" -> "v1.19.8", "go1.20" -> "v1.20.0" (the form OSV's Go ecosystem gives stdlib versions).
std::string ToolchainSemver(const std::string& t) {
  if (t.rfind("go", 0) != 0) return t;
  std::string v = t.substr(2, t.find(' ') == std::string::npos ? std::string::npos : t.find(' ') - 2);
  if (std::count(v.begin(), v.end(), '.') == 1) v += ".0";
  return "v" + v;
}

bool IsDirectoryPath(const std::string& p) {
  return p.rfind("./", 0) == 0 || p.rfind("../", 0) == 0 || p.rfind("/", 0) == 0 || p == "." || p == "..";
}

// One package as the comparison sees it: "name version [main] [replaces=P@V] [replaced_by=P]".
std::string PackageKey(const std::string& name, const std::string& version, bool main,
                       const std::string& replaces, const std::string& replaces_version,
                       const std::string& replaced_by) {
  std::string k = name + " " + version;
  if (main) k += " main";
  if (!replaces.empty()) k += " replaces=" + replaces + "@" + replaces_version;
  if (!replaced_by.empty()) k += " replaced_by=" + replaced_by;
  return k;
}

// (name, version) of the package customs reports for a module line, and its key.
std::pair<std::pair<std::string, std::string>, std::string> Expected(const GoModule& m, bool main) {
  if (m.replace && !IsDirectoryPath(m.replace->first) && !m.replace->second.empty()) {
    return {{m.replace->first, m.replace->second},
            PackageKey(m.replace->first, m.replace->second, main, m.path, m.version, "")};
  }
  return {{m.path, m.version}, PackageKey(m.path, m.version, main, "", "", m.replace ? m.replace->first : "")};
}

struct ExpectedBinary {
  std::set<std::string> keys;                                // PackageKey of every package
  std::set<std::pair<std::string, std::string>> modules;     // (name, version), stdlib included
  std::string toolchain;
};

ExpectedBinary ExpectedFor(const GoBuildInfo& bi) {
  ExpectedBinary e;
  e.toolchain = bi.toolchain;
  for (const auto& d : bi.deps) {
    auto [nv, key] = Expected(d, false);
    e.keys.insert(key);
    e.modules.insert(nv);
  }
  if (bi.main) {
    auto [nv, key] = Expected(*bi.main, true);
    e.keys.insert(key);
    e.modules.insert(nv);
  }
  const std::string stdv = ToolchainSemver(bi.toolchain);
  e.keys.insert(PackageKey("stdlib", stdv, false, "", "", ""));
  e.modules.insert({"stdlib", stdv});
  return e;
}

std::string Str(const nlohmann::json& j, const char* key) {
  return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : "";
}

// ---------------------------------------------------------------------------------------------
// The binaries and the program built here.

const char* kFixtureGoMod = R"(module example.com/customs/gofixture

go 1.19

require (
	example.com/customs/greet v1.2.3
	example.com/customs/local v0.0.0
	golang.org/x/mod v0.7.0
)

replace example.com/customs/greet v1.2.3 => example.com/customs/greetfork v1.2.4

replace example.com/customs/local => ./local
)";

// What `go mod vendor` writes for that go.mod (written by hand: there is no module proxy offline).
const char* kFixtureModulesTxt = R"(# example.com/customs/greet v1.2.3 => example.com/customs/greetfork v1.2.4
## explicit
example.com/customs/greet
# example.com/customs/local v0.0.0 => ./local
## explicit
example.com/customs/local
# golang.org/x/mod v0.7.0
## explicit; go 1.17
golang.org/x/mod/semver
# example.com/customs/local => ./local
)";

const char* kFixtureMain = R"(package main

import (
	"fmt"

	"example.com/customs/greet"
	"example.com/customs/local"
	"golang.org/x/mod/semver"
)

func main() { fmt.Println(greet.Hello(), local.Name(), semver.Compare("v1.0.0", "v1.1.0")) }
)";

constexpr const char* kDebianXModSemver = "/usr/share/gocode/src/golang.org/x/mod/semver";

std::string GoCacheDir() { return customs_test::TestCacheRoot() + "/go-build"; }

// Builds the fixture program into `out`; "" or the reason it failed.
std::string BuildFixtureProgram(const std::string& work, const std::string& out) {
  if (!fs::is_directory(kDebianXModSemver))
    return std::string(kDebianXModSemver) + " is missing (package golang-golang-x-mod-dev, scripts/install-deps.sh)";
  const std::string src = work + "/src";
  ct::WriteFile(src + "/go.mod", kFixtureGoMod);
  ct::WriteFile(src + "/main.go", kFixtureMain);
  ct::WriteFile(src + "/vendor/modules.txt", kFixtureModulesTxt);
  ct::WriteFile(src + "/vendor/example.com/customs/greet/greet.go",
                "package greet\n\nfunc Hello() string { return \"hello\" }\n");
  ct::WriteFile(src + "/vendor/example.com/customs/local/local.go",
                "package local\n\nfunc Name() string { return \"local\" }\n");
  ct::WriteFile(src + "/local/go.mod", "module example.com/customs/local\n\ngo 1.19\n");
  ct::WriteFile(src + "/local/local.go", "package local\n\nfunc Name() string { return \"local\" }\n");
  fs::create_directories(src + "/vendor/golang.org/x/mod");
  fs::copy(kDebianXModSemver, src + "/vendor/golang.org/x/mod/semver", fs::copy_options::recursive);
  ct::RunOptions o;
  o.cwd = src;
  o.timeout_seconds = 600;
  o.env = {"GOFLAGS=-mod=vendor", "GOPROXY=off", "GOWORK=off", "GO111MODULE=on", "GOTOOLCHAIN=local",
           "GOCACHE=" + GoCacheDir(), "CGO_ENABLED=0"};
  ct::RunResult r = ct::Run({"go", "build", "-buildvcs=false", "-trimpath", "-o", out, "."}, o);
  if (r.exit_code != 0) return "go build: " + r.Describe();
  return "";
}

// Hard link, else copy (another file system).
void Place(const std::string& from, const std::string& to) {
  fs::create_directories(fs::path(to).parent_path());
  std::error_code ec;
  fs::create_hard_link(from, to, ec);
  if (ec) fs::copy_file(from, to, fs::copy_options::overwrite_existing);
}

struct GoScan {
  std::string error;                          // set when the fixture could not be prepared
  std::unique_ptr<ct::TempDir> dir;
  std::string root;                           // the scanned directory
  std::map<std::string, GoBuildInfo> info;    // relative path -> `go version -m`
  std::string fixture_rel;                    // the program built here
  std::vector<std::string> not_installed;     // optional binaries absent from this machine
};

const GoScan& Binaries() {
  static GoScan s = [] {
    GoScan g;
    g.dir = std::make_unique<ct::TempDir>("customs-lang-go");
    g.root = g.dir->Join("scan");
    ct::RunResult env = ct::Run({"go", "env", "GOROOT", "GOTOOLDIR"});
    if (env.exit_code != 0) {
      g.error = "go env (package golang-go, scripts/install-deps.sh): " + env.Describe();
      return g;
    }
    std::istringstream es(env.out);
    std::string goroot, tooldir;
    std::getline(es, goroot);
    std::getline(es, tooldir);
    std::vector<std::pair<std::string, std::string>> files;  // (source, relative destination)
    for (const char* b : {"go", "gofmt"}) files.push_back({goroot + "/bin/" + b, std::string("goroot/bin/") + b});
    std::vector<std::string> tools;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(tooldir, ec))
      if (e.is_regular_file()) tools.push_back(e.path().filename().string());
    std::sort(tools.begin(), tools.end());
    if (tools.empty()) {
      g.error = "no Go tools in GOTOOLDIR " + tooldir + (ec ? ": " + ec.message() : "");
      return g;
    }
    for (const auto& t : tools) files.push_back({tooldir + "/" + t, "goroot/pkg/tool/" + t});
    for (const char* b : {"/usr/bin/docker-registry", "/usr/bin/skopeo"}) {
      if (ct::PathExists(b))
        files.push_back({b, fs::path(b).filename().string()});
      else
        g.not_installed.push_back(b);
    }
    try {
      for (const auto& [from, rel] : files) Place(from, g.root + "/" + rel);
      g.fixture_rel = "built/gofixture";
      std::string why = BuildFixtureProgram(g.dir->Join("work"), g.root + "/" + g.fixture_rel);
      if (!why.empty()) {
        g.error = why;
        return g;
      }
      files.push_back({g.root + "/" + g.fixture_rel, g.fixture_rel});
    } catch (const std::exception& e) {
      g.error = std::string("preparing the binaries: ") + e.what();
      return g;
    }
    for (const auto& [from, rel] : files) {
      std::string why;
      auto bi = GoVersionM(g.root + "/" + rel, &why);
      if (!bi) {
        g.error = why;
        return g;
      }
      g.info[rel] = *bi;
    }
    return g;
  }();
  return s;
}

std::optional<nlohmann::json> ScanJson(const std::vector<std::string>& extra, std::string* why) {
  std::vector<std::string> args = {"fs", Binaries().root, "-f", "json", "-q"};
  args.insert(args.end(), extra.begin(), extra.end());
  ct::RunResult r = ct::RunCustoms(args);
  if (r.exit_code != 0) {
    *why = "customs fs: " + r.Describe();
    return std::nullopt;
  }
  std::string err;
  nlohmann::json j = ct::ParseJson(r.out, &err);
  if (j.is_null()) {
    *why = "report is not JSON: " + err;
    return std::nullopt;
  }
  return j;
}

// The golang targets of a report, by target name (the binary's path relative to the scanned dir).
std::map<std::string, nlohmann::json> GoTargets(const nlohmann::json& report) {
  std::map<std::string, nlohmann::json> out;
  for (const auto& t : report["targets"])
    if (Str(t, "class") == "lang-pkgs" && Str(t, "type") == "golang") out[Str(t, "target")] = t;
  return out;
}

std::string Join(const std::set<std::string>& s, const char* sep = "\n    ") {
  std::string out;
  for (const auto& x : s) out += sep + x;
  return out;
}

// ---------------------------------------------------------------------------------------------
// The findings oracle. Input (stdin): JSON [[module, version], ...]. Output: JSON
// {"module@version": [[ids of one finding, sorted], ...]}.
const char* kOsvGoOracle = R"PY(
import json, os, re, sys

SEMVER = re.compile(r'^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$')

def parse(v):
    m = SEMVER.match(v)
    if not m:
        return None
    pre = m.group(4).split('.') if m.group(4) else []
    return (int(m.group(1)), int(m.group(2)), int(m.group(3))), pre

def compare(a, b):
    # SemVer 2.0.0, section 11: numbers, then a release above any pre-release, then identifiers
    # left to right (numeric ones numerically and below alphanumeric ones, ASCII otherwise), then the
    # longer list of identifiers above its prefix.
    (an, ap), (bn, bp) = a, b
    if an != bn:
        return -1 if an < bn else 1
    if not ap or not bp:
        return (not ap) - (not bp)
    for x, y in zip(ap, bp):
        if x == y:
            continue
        xd, yd = x.isdigit(), y.isdigit()
        if xd and yd:
            return -1 if int(x) < int(y) else 1
        if xd != yd:
            return -1 if xd else 1
        return -1 if x < y else 1
    return (len(ap) > len(bp)) - (len(ap) < len(bp))

def intervals(events):
    # The range as intervals [introduced, end): each introduced event opens one, closed by the first
    # fixed (exclusive) or last_affected (inclusive) event above it; none: open-ended.
    evs = [e for e in events if 'limit' not in e]
    out = []
    for e in evs:
        if 'introduced' not in e:
            continue
        lo = None if e['introduced'] == '0' else parse(e['introduced'])
        end = None
        for f in evs:
            if 'fixed' in f or 'last_affected' in f:
                k = 'fixed' if 'fixed' in f else 'last_affected'
                fv = parse(f[k])
                if lo is not None and compare(fv, lo) < 0:
                    continue
                if end is None or compare(fv, end[1]) < 0:
                    end = (k, fv)
        out.append((lo, end))
    return out

def affected(entry, v):
    pv = parse(v)
    if pv is None:
        return False
    for x in entry.get('versions', []):
        px = parse(x)
        if px is not None and compare(px, pv) == 0:
            return True
    for r in entry.get('ranges', []):
        if r.get('type') not in ('SEMVER', 'ECOSYSTEM'):
            continue
        for lo, end in intervals(r.get('events', [])):
            if lo is not None and compare(pv, lo) < 0:
                continue
            if end is None:
                return True
            c = compare(pv, end[1])
            if c < 0 or (end[0] == 'last_affected' and c == 0):
                return True
    return False

osv_dir = sys.argv[1]
wanted = json.load(sys.stdin)
names = {n for n, _ in wanted}
records = []
for f in sorted(os.listdir(osv_dir)):
    if not f.endswith('.json'):
        continue
    with open(os.path.join(osv_dir, f)) as fh:
        d = json.load(fh)
    if d.get('withdrawn'):
        continue
    for a in d.get('affected', []):
        p = a.get('package', {})
        if p.get('ecosystem') == 'Go' and p.get('name') in names:
            records.append((d, a))

out = {}
for name, version in wanted:
    hits = {}
    for d, a in records:
        if a['package']['name'] == name and affected(a, version):
            hits.setdefault(d['id'], set([d['id']]) | set(d.get('aliases', [])))
    groups = []
    for ids in hits.values():
        merged = set(ids)
        rest = []
        for g in groups:
            if g & merged:
                merged |= g
            else:
                rest.append(g)
        groups = rest + [merged]
    out[name + '@' + version] = sorted(sorted(g) for g in groups)
print(json.dumps(out))
)PY";

}  // namespace

TEST(LangGo, BinariesMatchGoVersionM) {
  const GoScan& g = Binaries();
  ASSERT_TRUE(g.error.empty()) << g.error;
  for (const auto& b : g.not_installed)
    std::cout << "[ note ] " << b << " is not installed; scanned without it\n";
  std::string why;
  auto report = ScanJson({"--scanners", "none"}, &why);
  ASSERT_TRUE(report) << why;
  auto targets = GoTargets(*report);

  std::set<std::string> expected_targets, got_targets;
  for (const auto& [rel, bi] : g.info) expected_targets.insert(rel);
  for (const auto& [name, t] : targets) got_targets.insert(name);
  EXPECT_EQ(got_targets, expected_targets) << "golang targets differ from the binaries scanned";

  for (const auto& [rel, bi] : g.info) {
    SCOPED_TRACE(rel);
    auto it = targets.find(rel);
    if (it == targets.end()) {
      ADD_FAILURE() << "no golang target for " << rel;
      continue;
    }
    const ExpectedBinary want = ExpectedFor(bi);
    std::set<std::string> got;
    size_t stdlib_count = 0;
    for (const auto& p : it->second["packages"]) {
      const nlohmann::json extra = p.value("extra", nlohmann::json::object());
      got.insert(PackageKey(Str(p, "name"), Str(p, "version"), Str(extra, "main") == "true", Str(extra, "replaces"),
                            Str(extra, "replaces_version"), Str(extra, "replaced_by")));
      if (Str(p, "name") == "stdlib") {
        ++stdlib_count;
        EXPECT_EQ(Str(extra, "toolchain"), bi.toolchain);
      }
      EXPECT_EQ(Str(p, "dbPath"), rel);
    }
    EXPECT_EQ(stdlib_count, 1u);
    std::set<std::string> missing, extra;
    std::set_difference(want.keys.begin(), want.keys.end(), got.begin(), got.end(),
                        std::inserter(missing, missing.end()));
    std::set_difference(got.begin(), got.end(), want.keys.begin(), want.keys.end(),
                        std::inserter(extra, extra.end()));
    EXPECT_TRUE(missing.empty() && extra.empty())
        << "go version -m says (toolchain " << bi.toolchain << ", path " << bi.path << "):" << Join(want.keys)
        << "\n  missing from customs:" << Join(missing) << "\n  customs extra:" << Join(extra);
  }

  // The built program exercises what Debian's GOPATH builds lack: check the oracle saw it, so the
  // comparison above is not vacuous.
  const GoBuildInfo& fx = g.info.at(g.fixture_rel);
  ASSERT_TRUE(fx.main.has_value());
  ASSERT_EQ(fx.deps.size(), 3u);
  size_t replaced = 0;
  for (const auto& d : fx.deps) replaced += d.replace.has_value();
  EXPECT_EQ(replaced, 2u);
}

TEST(LangGo, FindingsMatchOsvGo) {
  const GoScan& g = Binaries();
  ASSERT_TRUE(g.error.empty()) << g.error;
  const std::string db = ct::SharedVulnDb();
  ASSERT_FALSE(db.empty()) << ct::SharedVulnDbError();
  std::string why;
  auto report = ScanJson({"--db", db}, &why);
  ASSERT_TRUE(report) << why;
  auto targets = GoTargets(*report);

  // The oracle, asked once for every distinct (module, version) the binaries hold per `go version -m`.
  std::set<std::pair<std::string, std::string>> modules;
  for (const auto& [rel, bi] : g.info) {
    auto e = ExpectedFor(bi);
    modules.insert(e.modules.begin(), e.modules.end());
  }
  nlohmann::json input = nlohmann::json::array();
  for (const auto& [n, v] : modules) input.push_back({n, v});
  ct::TempDir tmp("customs-lang-go-oracle");
  ct::WriteFile(tmp / "oracle.py", kOsvGoOracle);
  ct::RunOptions o;
  o.stdin_data = input.dump();
  ct::RunResult r = ct::Run({"python3", tmp / "oracle.py", ct::SharedDir() + "/vulndata/osv-go"}, o);
  ASSERT_EQ(r.exit_code, 0) << "oracle: " << r.Describe();
  std::string err;
  nlohmann::json oracle = ct::ParseJson(r.out, &err);
  ASSERT_TRUE(oracle.is_object()) << err;

  auto group_key = [](const std::vector<std::string>& ids) {
    std::string k;
    for (const auto& id : ids) k += (k.empty() ? "" : " ") + id;
    return k;
  };
  size_t stdlib_findings = 0, module_findings = 0;
  for (const auto& [rel, bi] : g.info) {
    SCOPED_TRACE(rel);
    // Expected: "module@version: id alias ..." per finding.
    std::set<std::string> want, got;
    for (const auto& [n, v] : ExpectedFor(bi).modules) {
      for (const auto& grp : oracle[n + "@" + v]) {
        want.insert(n + "@" + v + ": " + group_key(grp.get<std::vector<std::string>>()));
        (n == "stdlib" ? stdlib_findings : module_findings) += rel == g.fixture_rel;
      }
    }
    auto it = targets.find(rel);
    ASSERT_NE(it, targets.end());
    for (const auto& p : it->second["packages"]) {
      for (const auto& v : p.value("vulnerabilities", nlohmann::json::array())) {
        std::set<std::string> ids = {Str(v, "id")};
        for (const auto& a : v["aliases"]) ids.insert(a.get<std::string>());
        got.insert(Str(p, "name") + "@" + Str(p, "version") + ": " +
                   group_key(std::vector<std::string>(ids.begin(), ids.end())));
      }
    }
    std::set<std::string> missing, extra;
    std::set_difference(want.begin(), want.end(), got.begin(), got.end(), std::inserter(missing, missing.end()));
    std::set_difference(got.begin(), got.end(), want.begin(), want.end(), std::inserter(extra, extra.end()));
    EXPECT_TRUE(missing.empty() && extra.empty())
        << want.size() << " expected findings, " << got.size() << " reported\n  missing from customs:"
        << Join(missing) << "\n  customs extra:" << Join(extra);
  }
  // Not vacuous: go1.19.8 predates many stdlib fixes, and x/mod v0.7.0 predates the sumdb fixes.
  EXPECT_GT(stdlib_findings, 10u);
  EXPECT_GT(module_findings, 0u);
}
