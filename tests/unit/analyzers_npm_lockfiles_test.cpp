// Node.js analyzers: package-lock.json (v1, v2, v3) and node_modules from a real `npm install`
// compared against `npm ls --all --json`; yarn.lock (classic, berry) and pnpm-lock.yaml (v5, v6,
// v9) written by hand after the formats' documentation; malformed input.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <set>

#include "analyzers/npm_util.h"
#include "analyzers_test_util.h"
#include "core/error.h"
#include "inventory/links.h"

namespace customs {
namespace {

using namespace analyzers_test;
using NameVersions = std::set<std::pair<std::string, std::string>>;

std::string Extra(const Package& p, const std::string& k) {
  auto it = p.extra.find(k);
  return it == p.extra.end() ? "" : it->second;
}

NameVersions Set(const std::vector<Package>& pkgs) {
  NameVersions s;
  for (const auto& p : pkgs) s.emplace(p.name, p.version);
  return s;
}

std::string Dump(const NameVersions& s) {
  std::string out;
  for (const auto& [n, v] : s) out += n + "@" + v + " ";
  return out;
}

void CollectNpmLs(const nlohmann::json& deps, NameVersions& out) {
  if (!deps.is_object()) return;
  for (auto it = deps.begin(); it != deps.end(); ++it) {
    if (it->contains("version") && (*it)["version"].is_string())
      out.emplace(it.key(), (*it)["version"].get<std::string>());
    if (it->contains("dependencies")) CollectNpmLs((*it)["dependencies"], out);
  }
}

class NpmTest : public ::testing::Test {
 protected:
  void SetUp() override {
    lock_ = MakeAnalyzer("npm_package_lock");
    yarn_ = MakeAnalyzer("npm_yarn_lock");
    pnpm_ = MakeAnalyzer("npm_pnpm_lock");
    nm_ = MakeAnalyzer("npm_node_modules");
    ASSERT_NE(lock_, nullptr);
    ASSERT_NE(yarn_, nullptr);
    ASSERT_NE(pnpm_, nullptr);
    ASSERT_NE(nm_, nullptr);
  }
  std::unique_ptr<Analyzer> lock_, yarn_, pnpm_, nm_;
};

TEST_F(NpmTest, Wants) {
  for (const auto* a : {lock_.get(), yarn_.get(), pnpm_.get(), nm_.get()}) {
    EXPECT_EQ(a->Group(), AnalyzerGroup::kLang);
    EXPECT_FALSE(a->NeedsView());
  }
  EXPECT_TRUE(lock_->Wants("package-lock.json", Meta("")));
  EXPECT_TRUE(lock_->Wants("app/package-lock.json", Meta("")));
  EXPECT_TRUE(lock_->Wants("srv/npm-shrinkwrap.json", Meta("")));
  EXPECT_FALSE(lock_->Wants("app/node_modules/.package-lock.json", Meta("")));
  EXPECT_FALSE(lock_->Wants("app/node_modules/x/package-lock.json", Meta("")));
  EXPECT_FALSE(lock_->Wants("app/my-package-lock.json", Meta("")));
  EXPECT_TRUE(yarn_->Wants("app/yarn.lock", Meta("")));
  EXPECT_FALSE(yarn_->Wants("node_modules/x/yarn.lock", Meta("")));
  EXPECT_TRUE(pnpm_->Wants("pnpm-lock.yaml", Meta("")));
  EXPECT_FALSE(pnpm_->Wants("a/node_modules/b/pnpm-lock.yaml", Meta("")));
  EXPECT_TRUE(nm_->Wants("app/node_modules/lodash/package.json", Meta("")));
  EXPECT_TRUE(nm_->Wants("node_modules/@babel/core/package.json", Meta("")));
  EXPECT_TRUE(nm_->Wants("a/node_modules/b/node_modules/c/package.json", Meta("")));
  EXPECT_TRUE(nm_->Wants("node_modules/.pnpm/lodash@4.17.21/node_modules/lodash/package.json", Meta("")));
  EXPECT_FALSE(nm_->Wants("app/package.json", Meta("")));
  EXPECT_FALSE(nm_->Wants("node_modules/lodash/lib/package.json", Meta("")));
  EXPECT_FALSE(nm_->Wants("node_modules/@babel/package.json", Meta("")));
  EXPECT_FALSE(nm_->Wants("node_modules/package.json", Meta("")));
  EXPECT_FALSE(nm_->Wants("node_modules/x/package.json.bak", Meta("")));
}

// A real project installed by npm: every lockfile version and node_modules list what `npm ls` does.
TEST_F(NpmTest, RealNpmInstall) {
  if (!HaveCommand("npm")) GTEST_SKIP() << "npm is not installed";
  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  const std::string manifest = R"({"name":"fixture","version":"1.0.0",
    "dependencies":{"lodash":"4.17.15","minimist":"1.2.0","node-fetch":"2.6.0","mkdirp":"0.5.1"},
    "devDependencies":{"is-odd":"3.0.1"}})";
  const std::string proj = dir.path() + "/proj";
  WriteFile(proj + "/package.json", manifest);
  int st = 0;
  std::string log = RunCommand("cd '" + proj +
                                   "' && timeout 180 npm install --no-audit --no-fund --ignore-scripts "
                                   "--loglevel=error 2>&1",
                               &st);
  if (st != 0) GTEST_SKIP() << "npm install failed (registry not reachable?): " << log;
  std::string ls = RunCommand("cd '" + proj + "' && npm ls --all --json 2>/dev/null", &st);
  nlohmann::json tree = nlohmann::json::parse(ls, nullptr, false);
  ASSERT_FALSE(tree.is_discarded()) << ls;
  NameVersions want;
  CollectNpmLs(tree["dependencies"], want);
  ASSERT_EQ(want.size(), 7u) << Dump(want);
  EXPECT_TRUE(want.count({"minimist", "0.0.8"})) << "mkdirp@0.5.1 should nest minimist@0.0.8";

  // The v3 lockfile of the install.
  auto content = ReadFile(proj + "/package-lock.json");
  ASSERT_TRUE(content);
  AnalysisResult r = AnalyzeOne(*lock_, "proj/package-lock.json", *content);
  EXPECT_TRUE(r.diagnostics.empty()) << r.diagnostics.front().message;
  ASSERT_EQ(r.package_dbs.size(), 1u);
  const auto& pkgs = r.package_dbs[0].packages;
  EXPECT_EQ(Set(pkgs), want) << Dump(Set(pkgs));
  EXPECT_EQ(r.package_dbs[0].type, "npm");
  for (const auto& p : pkgs) {
    EXPECT_EQ(p.type, "npm");
    EXPECT_EQ(p.db_path, "proj/package-lock.json");
    EXPECT_EQ(Extra(p, "source"), "package-lock");
    EXPECT_FALSE(Extra(p, "integrity").empty()) << p.name;
  }
  const Package* lodash = FindPackage(pkgs, "lodash");
  ASSERT_NE(lodash, nullptr);
  EXPECT_EQ(Extra(*lodash, "direct"), "true");
  EXPECT_EQ(Extra(*lodash, "dev"), "");
  EXPECT_EQ(lodash->licenses, std::vector<std::string>{"MIT"});
  const Package* is_number = FindPackage(pkgs, "is-number");
  ASSERT_NE(is_number, nullptr);
  EXPECT_EQ(Extra(*is_number, "direct"), "false");
  EXPECT_EQ(Extra(*is_number, "dev"), "true");
  const Package* is_odd = FindPackage(pkgs, "is-odd");
  ASSERT_NE(is_odd, nullptr);
  EXPECT_EQ(Extra(*is_odd, "direct"), "true");
  EXPECT_EQ(Extra(*is_odd, "dev"), "true");
  EXPECT_TRUE(Contains(is_odd->depends, "is-number@" + FindPackage(pkgs, "is-number")->version));

  // The node_modules tree.
  std::vector<Package> installed;
  for (const auto& e : std::filesystem::recursive_directory_iterator(proj)) {
    if (!e.is_regular_file()) continue;
    std::string rel = std::filesystem::relative(e.path(), dir.path()).string();
    if (!nm_->Wants(rel, Meta(rel))) continue;
    auto c = ReadFile(e.path().string());
    ASSERT_TRUE(c);
    AnalysisResult nr = AnalyzeOne(*nm_, rel, *c);
    EXPECT_TRUE(nr.diagnostics.empty()) << rel << ": " << nr.diagnostics.front().message;
    ASSERT_EQ(nr.package_dbs.size(), 1u);
    ASSERT_EQ(nr.package_dbs[0].packages.size(), 1u);
    EXPECT_EQ(nr.package_dbs[0].path, rel);
    EXPECT_EQ(nr.package_dbs[0].packages[0].db_path, rel);
    EXPECT_EQ(Extra(nr.package_dbs[0].packages[0], "source"), "node_modules");
    installed.push_back(nr.package_dbs[0].packages[0]);
  }
  EXPECT_EQ(Set(installed), want) << Dump(Set(installed));
  EXPECT_EQ(installed.size(), want.size());
  const Package* nm_lodash = FindPackage(installed, "lodash");
  ASSERT_NE(nm_lodash, nullptr);
  EXPECT_EQ(nm_lodash->licenses, std::vector<std::string>{"MIT"});

  // The same project locked as v1 and v2.
  for (int v : {1, 2}) {
    SCOPED_TRACE("lockfileVersion " + std::to_string(v));
    const std::string p = dir.path() + "/v" + std::to_string(v);
    WriteFile(p + "/package.json", manifest);
    RunCommand("cd '" + p + "' && timeout 180 npm install --package-lock-only --lockfile-version " +
                   std::to_string(v) + " --no-audit --no-fund --loglevel=error 2>&1",
               &st);
    if (st != 0) GTEST_SKIP() << "npm could not write a v" << v << " lockfile";
    auto lc = ReadFile(p + "/package-lock.json");
    ASSERT_TRUE(lc);
    AnalysisResult lr = AnalyzeOne(*lock_, "v/package-lock.json", *lc);
    EXPECT_TRUE(lr.diagnostics.empty());
    ASSERT_EQ(lr.package_dbs.size(), 1u);
    EXPECT_EQ(Set(lr.package_dbs[0].packages), want) << Dump(Set(lr.package_dbs[0].packages));
    const Package* odd = FindPackage(lr.package_dbs[0].packages, "is-odd");
    ASSERT_NE(odd, nullptr);
    EXPECT_EQ(Extra(*odd, "dev"), "true");
    EXPECT_TRUE(Contains(odd->depends, "is-number@" + FindPackage(lr.package_dbs[0].packages, "is-number")->version));
  }
}

TEST_F(NpmTest, PackageLockAliasesLinksAndDuplicates) {
  const std::string lock = R"({
  "name": "app", "version": "1.0.0", "lockfileVersion": 3, "requires": true,
  "packages": {
    "": {"name": "app", "version": "1.0.0", "workspaces": ["packages/*"],
         "dependencies": {"my-lodash": "npm:lodash@4.17.21", "debug": "^4"}},
    "node_modules/my-lodash": {"name": "lodash", "version": "4.17.21", "license": "MIT"},
    "node_modules/debug": {"version": "4.3.4", "dependencies": {"ms": "2.1.2"}},
    "node_modules/ms": {"version": "2.1.2"},
    "node_modules/a/node_modules/ms": {"version": "2.1.2"},
    "node_modules/lib": {"resolved": "packages/lib", "link": true},
    "packages/lib": {"name": "lib", "version": "0.1.0"}
  }})";
  AnalysisResult r = AnalyzeOne(*lock_, "package-lock.json", lock);
  EXPECT_TRUE(r.diagnostics.empty());
  ASSERT_EQ(r.package_dbs.size(), 1u);
  const auto& pkgs = r.package_dbs[0].packages;
  EXPECT_EQ(Set(pkgs), (NameVersions{{"lodash", "4.17.21"}, {"debug", "4.3.4"}, {"ms", "2.1.2"}}));
  EXPECT_EQ(pkgs.size(), 3u);
  EXPECT_EQ(Extra(*FindPackage(pkgs, "lodash"), "direct"), "true");  // the root depends on its alias
  EXPECT_EQ(Extra(*FindPackage(pkgs, "debug"), "direct"), "true");
  EXPECT_EQ(Extra(*FindPackage(pkgs, "ms"), "direct"), "false");
  EXPECT_EQ(FindPackage(pkgs, "debug")->depends, std::vector<std::string>{"ms@2.1.2"});
}

TEST_F(NpmTest, YarnClassic) {
  const std::string lock = R"(# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.
# yarn lockfile v1


"@babel/code-frame@^7.0.0", "@babel/code-frame@^7.10.4":
  version "7.12.13"
  resolved "https://registry.yarnpkg.com/@babel/code-frame/-/code-frame-7.12.13.tgz#dcfc826beef65e75c50e3fd3e0d6c4e8a6c6f3a5"
  integrity sha512-HV1Cm0Q3ZrpCR93tkWOYiuYIgLxZXZFVG2VgK+MBWjUqZTundupbfx2aXarXuw5Ko5aMcjtJgbSs4vUGBS5v6g==
  dependencies:
    "@babel/highlight" "^7.12.13"

"@babel/highlight@^7.12.13":
  version "7.13.10"
  resolved "https://registry.yarnpkg.com/@babel/highlight/-/highlight-7.13.10.tgz#a8b2a66148f5b27d666b15d81774347a731d52d1"
  integrity sha512-5aPpe5XQPzflQrFwL1/QoeHkP2MsA4JCntcXHRhEsdsfPVkvPi2w7Qix4iV7t5S/oC9OodGrggd8aco1g3SZFg==
  dependencies:
    chalk "^2.0.0"
    js-tokens "^4.0.0"

chalk@^2.0.0:
  version "2.4.2"
  resolved "https://registry.yarnpkg.com/chalk/-/chalk-2.4.2.tgz#cd42541677a54333cf541a49108c1432b44c9424"

js-tokens@^4.0.0:
  version "4.0.0"

lodash@4.17.15, lodash@^4.17.15:
  version "4.17.15"
  resolved "https://registry.yarnpkg.com/lodash/-/lodash-4.17.15.tgz#b447f6670a0455bbfeedd11392eff330ea097548"
  integrity sha512-8xOcRHvCjnocdS5cpwXQXVzmmh5e5+saE2QGoeQmbKmRS6J3VQppPOIt0MnmE+4xlZoumy0GPG0D0MVIQbNA1A==

"my-fetch@npm:node-fetch@2.6.0":
  version "2.6.0"
)";
  AnalysisResult r = AnalyzeOne(*yarn_, "app/yarn.lock", lock);
  EXPECT_TRUE(r.diagnostics.empty()) << r.diagnostics.front().message;
  ASSERT_EQ(r.package_dbs.size(), 1u);
  const auto& pkgs = r.package_dbs[0].packages;
  EXPECT_EQ(Set(pkgs), (NameVersions{{"@babel/code-frame", "7.12.13"},
                                     {"@babel/highlight", "7.13.10"},
                                     {"chalk", "2.4.2"},
                                     {"js-tokens", "4.0.0"},
                                     {"lodash", "4.17.15"},
                                     {"node-fetch", "2.6.0"}}));
  const Package* h = FindPackage(pkgs, "@babel/highlight");
  ASSERT_NE(h, nullptr);
  EXPECT_EQ(h->depends, (std::vector<std::string>{"chalk@2.4.2", "js-tokens@4.0.0"}));
  EXPECT_EQ(Extra(*h, "source"), "yarn.lock");
  EXPECT_EQ(h->db_path, "app/yarn.lock");
  EXPECT_TRUE(Extra(*h, "integrity").starts_with("sha512-"));
  EXPECT_TRUE(Extra(*h, "resolved").starts_with("https://registry.yarnpkg.com/@babel/highlight/"));
  EXPECT_EQ(FindPackage(pkgs, "@babel/code-frame")->depends, std::vector<std::string>{"@babel/highlight@7.13.10"});
  EXPECT_EQ(Extra(*h, "direct"), "");  // yarn.lock does not say
}

TEST_F(NpmTest, YarnBerry) {
  const std::string lock = R"(# This file is generated by running "yarn install" inside your project.
# Manual changes might be lost - proceed with caution!

__metadata:
  version: 6
  cacheKey: 8

"@babel/code-frame@npm:^7.0.0":
  version: 7.12.13
  resolution: "@babel/code-frame@npm:7.12.13"
  dependencies:
    "@babel/highlight": ^7.12.13
  checksum: 471532bb7cce4c3c7d6c1e4bd8c5d3dc0d4fd0e8a1b3d4f0b2e4ef1df6ec5fdc82f56d5a9d73ce7bbd8e8cd7e4a13a3a5ee6dd8d5c5af0b5d0b0bcef7d48e3a59
  languageName: node
  linkType: hard

"@babel/highlight@npm:^7.12.13":
  version: 7.13.10
  resolution: "@babel/highlight@npm:7.13.10"
  languageName: node
  linkType: hard

"app@workspace:.":
  version: 0.0.0-use.local
  resolution: "app@workspace:."
  dependencies:
    "@babel/code-frame": ^7.0.0
    lodash: ^4.17.15
  languageName: unknown
  linkType: soft

"lodash@npm:^4.17.15":
  version: 4.17.21
  resolution: "lodash@npm:4.17.21"
  checksum: eb835a2e51d381e561e508ce932ea50a8e5a68f4ebdd771ea240d3048244a8d13658acbd502cd4829768c56f2e16bdd4340b9ea141297d472517b83868e677f7
  languageName: node
  linkType: hard

"resolve@patch:resolve@npm%3A^1.20.0#~builtin<compat/resolve>":
  version: 1.22.1
  resolution: "resolve@patch:resolve@npm%3A1.22.1#~builtin<compat/resolve>::version=1.22.1&hash=07638b"
  languageName: node
  linkType: hard
)";
  AnalysisResult r = AnalyzeOne(*yarn_, "yarn.lock", lock);
  EXPECT_TRUE(r.diagnostics.empty()) << r.diagnostics.front().message;
  ASSERT_EQ(r.package_dbs.size(), 1u);
  const auto& pkgs = r.package_dbs[0].packages;
  EXPECT_EQ(Set(pkgs), (NameVersions{{"@babel/code-frame", "7.12.13"},
                                     {"@babel/highlight", "7.13.10"},
                                     {"lodash", "4.17.21"},
                                     {"resolve", "1.22.1"}}));
  EXPECT_EQ(Extra(*FindPackage(pkgs, "lodash"), "direct"), "true");
  EXPECT_EQ(Extra(*FindPackage(pkgs, "@babel/highlight"), "direct"), "false");
  // berry keys say "npm:^7.12.13", the dependency only "^7.12.13".
  EXPECT_EQ(FindPackage(pkgs, "@babel/code-frame")->depends, std::vector<std::string>{"@babel/highlight@7.13.10"});
  EXPECT_EQ(Extra(*FindPackage(pkgs, "lodash"), "resolved"), "lodash@npm:4.17.21");
}

TEST_F(NpmTest, PnpmV5) {
  const std::string lock = R"(lockfileVersion: 5.4

specifiers:
  lodash: 4.17.15
  react-dom: 17.0.2
  jest-util: ^29.0.0

dependencies:
  lodash: 4.17.15
  react-dom: 17.0.2_react@17.0.2

devDependencies:
  jest-util: 29.0.0

packages:

  /lodash/4.17.15:
    resolution: {integrity: sha512-8xOcRHvCjnocdS5cpwXQXVzmmh5e5+saE2QGoeQmbKmRS6J3VQppPOIt0MnmE+4xlZoumy0GPG0D0MVIQbNA1A==}
    dev: false

  /react-dom/17.0.2_react@17.0.2:
    resolution: {integrity: sha512-s4h96KtLDUQlsENhMn1ar8t2bEa+q/YAtj8pPPdIjPDGBDIVNsrD9aXNWqspUe6AzKCIG0C1HZZLqLV7qpOBGA==}
    peerDependencies:
      react: 17.0.2
    dependencies:
      loose-envify: 1.4.0
    dev: false

  /loose-envify/1.4.0:
    resolution: {integrity: sha512-lyuxPGr/Wfhrlem2CL/UcnUc1zcqKAImBDzukY7Y5F/yQiNdko6+fRLevlw1HgMySw7f611UIY408EtxRSoK3Q==}
    hasBin: true
    dev: false

  /@jest/types/29.0.0:
    resolution: {integrity: sha512-abc}
    dev: true

  /jest-util/29.0.0:
    resolution: {integrity: sha512-def}
    dependencies:
      '@jest/types': 29.0.0
    dev: true
)";
  AnalysisResult r = AnalyzeOne(*pnpm_, "pnpm-lock.yaml", lock);
  EXPECT_TRUE(r.diagnostics.empty()) << r.diagnostics.front().message;
  ASSERT_EQ(r.package_dbs.size(), 1u);
  const auto& pkgs = r.package_dbs[0].packages;
  EXPECT_EQ(Set(pkgs), (NameVersions{{"lodash", "4.17.15"},
                                     {"react-dom", "17.0.2"},
                                     {"loose-envify", "1.4.0"},
                                     {"@jest/types", "29.0.0"},
                                     {"jest-util", "29.0.0"}}));
  EXPECT_EQ(Extra(*FindPackage(pkgs, "jest-util"), "dev"), "true");
  EXPECT_EQ(Extra(*FindPackage(pkgs, "jest-util"), "direct"), "true");
  EXPECT_EQ(Extra(*FindPackage(pkgs, "@jest/types"), "direct"), "false");
  EXPECT_EQ(Extra(*FindPackage(pkgs, "lodash"), "dev"), "");
  EXPECT_EQ(FindPackage(pkgs, "react-dom")->depends, std::vector<std::string>{"loose-envify@1.4.0"});
  EXPECT_EQ(Extra(*FindPackage(pkgs, "lodash"), "source"), "pnpm-lock");
}

TEST_F(NpmTest, PnpmV6) {
  const std::string lock = R"(lockfileVersion: '6.0'

settings:
  autoInstallPeers: true
  excludeLinksFromLockfile: false

dependencies:
  '@babel/core':
    specifier: 7.12.3
    version: 7.12.3
  react-dom:
    specifier: 17.0.2
    version: 17.0.2(react@17.0.2)

packages:

  /@babel/core@7.12.3:
    resolution: {integrity: sha512-aaa}
    engines: {node: '>=6.9.0'}
    dependencies:
      '@babel/types': 7.12.1
    dev: false

  /@babel/types@7.12.1:
    resolution: {integrity: sha512-bbb}
    dev: false

  /react-dom@17.0.2(react@17.0.2):
    resolution: {integrity: sha512-ccc}
    dev: false

  /react@17.0.2:
    resolution: {integrity: sha512-ddd}
    dev: false
)";
  AnalysisResult r = AnalyzeOne(*pnpm_, "pnpm-lock.yaml", lock);
  EXPECT_TRUE(r.diagnostics.empty()) << r.diagnostics.front().message;
  ASSERT_EQ(r.package_dbs.size(), 1u);
  const auto& pkgs = r.package_dbs[0].packages;
  EXPECT_EQ(Set(pkgs), (NameVersions{{"@babel/core", "7.12.3"},
                                     {"@babel/types", "7.12.1"},
                                     {"react-dom", "17.0.2"},
                                     {"react", "17.0.2"}}));
  EXPECT_EQ(Extra(*FindPackage(pkgs, "@babel/core"), "direct"), "true");
  EXPECT_EQ(Extra(*FindPackage(pkgs, "react"), "direct"), "false");
  EXPECT_EQ(FindPackage(pkgs, "@babel/core")->depends, std::vector<std::string>{"@babel/types@7.12.1"});
  EXPECT_EQ(Extra(*FindPackage(pkgs, "@babel/types"), "integrity"), "sha512-bbb");
}

TEST_F(NpmTest, PnpmV9) {
  const std::string lock = R"(lockfileVersion: '9.0'

settings:
  autoInstallPeers: true
  excludeLinksFromLockfile: false

importers:

  .:
    dependencies:
      node-fetch:
        specifier: 2.6.0
        version: 2.6.0
    devDependencies:
      is-odd:
        specifier: 3.0.1
        version: 3.0.1

packages:

  is-number@6.0.0:
    resolution: {integrity: sha512-Wu1VHeILBK8KAWJUAiSZQX94GmOE45Rg6/538fKwiloUu21KncEkYGPqob2oSZ5mUT73vLGrHQjKw3KMPwfDzg==}
    engines: {node: '>=0.10.0'}

  is-odd@3.0.1:
    resolution: {integrity: sha512-CQpnWPrDwmP1+SMHXZhtLtJv90yiyVfluGsX5iNCVkrhQtU3TQHsUWPG9wkdk9Lgd5yNpAg9jQEo90CBaXgWMA==}
    engines: {node: '>=4'}

  node-fetch@2.6.0:
    resolution: {integrity: sha512-8dG4H5ujfvFiqDmVu9fQ5bOHUC15JMjMY/Zumv26oOvvVJjM67KF8koCWIabKQ1GJIa9r2mMZscBq/TbdOcmNA==}
    engines: {node: 4.x || >=6.0.0}

snapshots:

  is-number@6.0.0: {}

  is-odd@3.0.1:
    dependencies:
      is-number: 6.0.0

  node-fetch@2.6.0: {}
)";
  AnalysisResult r = AnalyzeOne(*pnpm_, "web/pnpm-lock.yaml", lock);
  EXPECT_TRUE(r.diagnostics.empty()) << r.diagnostics.front().message;
  ASSERT_EQ(r.package_dbs.size(), 1u);
  const auto& pkgs = r.package_dbs[0].packages;
  EXPECT_EQ(Set(pkgs), (NameVersions{{"is-number", "6.0.0"}, {"is-odd", "3.0.1"}, {"node-fetch", "2.6.0"}}));
  EXPECT_EQ(FindPackage(pkgs, "is-odd")->depends, std::vector<std::string>{"is-number@6.0.0"});
  EXPECT_EQ(Extra(*FindPackage(pkgs, "is-odd"), "dev"), "true");
  EXPECT_EQ(Extra(*FindPackage(pkgs, "is-odd"), "direct"), "true");
  EXPECT_EQ(Extra(*FindPackage(pkgs, "node-fetch"), "dev"), "");
  EXPECT_EQ(Extra(*FindPackage(pkgs, "is-number"), "direct"), "false");
}

TEST_F(NpmTest, NodeModulesManifest) {
  AnalysisResult r = AnalyzeOne(*nm_, "usr/lib/node_modules/npm/node_modules/@npmcli/arborist/package.json",
                                R"({"name":"@npmcli/arborist","version":"7.5.4","license":{"type":"ISC"},
                                    "dependencies":{"semver":"^7"},"_requiredBy":["/"],"_development":true})");
  ASSERT_EQ(r.package_dbs.size(), 1u);
  const Package& p = r.package_dbs[0].packages.at(0);
  EXPECT_EQ(p.name, "@npmcli/arborist");
  EXPECT_EQ(p.version, "7.5.4");
  EXPECT_EQ(p.licenses, std::vector<std::string>{"ISC"});
  EXPECT_EQ(p.depends, std::vector<std::string>{"semver"});
  EXPECT_EQ(Extra(p, "direct"), "true");
  EXPECT_EQ(Extra(p, "dev"), "true");
  AnalysisResult legacy = AnalyzeOne(*nm_, "node_modules/x/package.json",
                                     R"({"name":"x","version":"1.0.0","licenses":[{"type":"MIT"},{"type":"Apache-2.0"}]})");
  EXPECT_EQ(legacy.package_dbs.at(0).packages.at(0).licenses, (std::vector<std::string>{"MIT", "Apache-2.0"}));
}

TEST_F(NpmTest, MalformedInputGivesDiagnostics) {
  const std::vector<std::string> junk = {"", "{", "[1,2]", "null", "\xff\xfe garbage", "{\"packages\": 5}",
                                         "{\"dependencies\": {\"a\": 1, \"b\": {\"version\": 7}}}",
                                         "{\"packages\": {\"node_modules/a\": [], \"node_modules/b\": {}}}",
                                         "a: [b", "- x\n- y", "__metadata:\n  version: [",
                                         "lockfileVersion: 6\npackages: [1]", "lockfileVersion: 6\npackages:\n  /: 1\n  /@/x: {}\n"};
  for (const auto& s : junk) {
    SCOPED_TRACE(s.substr(0, 40));
    for (const auto* a : {lock_.get(), yarn_.get(), pnpm_.get(), nm_.get()}) {
      std::string path = a == nm_.get() ? "node_modules/a/package.json"
                         : a == lock_.get() ? "package-lock.json"
                         : a == yarn_.get() ? "yarn.lock"
                                            : "pnpm-lock.yaml";
      AnalysisResult r = AnalyzeOne(*a, path, s);
      for (const auto& db : r.package_dbs)
        for (const auto& p : db.packages) {
          EXPECT_FALSE(p.name.empty());
          EXPECT_FALSE(p.version.empty());
        }
    }
  }
  // Nesting beyond the shared JSON loader's limits (formats/json) rejects the file as a whole.
  const std::string deep(5000, '[');
  EXPECT_THROW(AnalyzeOne(*lock_, "package-lock.json", deep), LimitError);
  EXPECT_THROW(AnalyzeOne(*nm_, "node_modules/a/package.json", deep), LimitError);
  EXPECT_FALSE(AnalyzeOne(*lock_, "package-lock.json", "{").diagnostics.empty());
  EXPECT_FALSE(AnalyzeOne(*nm_, "node_modules/a/package.json", "{\"name\":\"a\"}").diagnostics.empty());
  EXPECT_FALSE(AnalyzeOne(*pnpm_, "pnpm-lock.yaml", "a: [b").diagnostics.empty());
  EXPECT_FALSE(AnalyzeOne(*yarn_, "yarn.lock", "__metadata:\n  version: [").diagnostics.empty());
  EXPECT_FALSE(AnalyzeOne(*yarn_, "yarn.lock", "lodash@^4:\n  resolved \"x\"\n").diagnostics.empty());
  EXPECT_FALSE(AnalyzeOne(*yarn_, "yarn.lock", "  version \"1\"\nfoo\n").diagnostics.empty());
}

// ---- Pinned dependencies ("name@version"): the copy Node.js would load ----

TEST_F(NpmTest, PackageLockV3PinsByInstallPath) {
  const std::string lock = R"({"lockfileVersion": 3, "packages": {
    "": {"name": "app", "dependencies": {"a": "1", "b": "2", "@s/c": "1", "wl": "*"}},
    "node_modules/a": {"version": "1.0.0", "dependencies": {"b": "^1", "@s/c": "^1"}},
    "node_modules/a/node_modules/b": {"version": "1.0.0", "dependencies": {"d": "*"}},
    "node_modules/b": {"version": "2.0.0", "dependencies": {"d": "*", "wl": "*"}, "optionalDependencies": {"gone": "*"}},
    "node_modules/@s/c": {"version": "1.0.0", "dependencies": {"b": "*", "al": "*"}},
    "node_modules/@s/c/node_modules/al": {"name": "real", "version": "3.0.0"},
    "node_modules/d": {"version": "4.0.0"},
    "node_modules/wl": {"resolved": "packages/wl", "link": true},
    "packages/wl": {"name": "wl", "version": "0.1.0", "dependencies": {"b": "*"}}
  }})";
  AnalysisResult r = AnalyzeOne(*lock_, "package-lock.json", lock);
  ASSERT_EQ(r.package_dbs.size(), 1u);
  const auto& pkgs = r.package_dbs[0].packages;
  auto deps = [&](const std::string& name, const std::string& version) {
    for (const auto& p : pkgs)
      if (p.name == name && p.version == version) return p.depends;
    ADD_FAILURE() << name << "@" << version << " missing";
    return std::vector<std::string>{};
  };
  EXPECT_EQ(deps("a", "1.0.0"), (std::vector<std::string>{"@s/c@1.0.0", "b@1.0.0"}));  // its own nested b
  EXPECT_EQ(deps("b", "1.0.0"), std::vector<std::string>{"d@4.0.0"});                // two levels up
  // A link to a workspace folder and a dependency the lockfile lacks keep their names.
  EXPECT_EQ(deps("b", "2.0.0"), (std::vector<std::string>{"d@4.0.0", "wl", "gone"}));
  // From node_modules/@s/c: not @s/node_modules, then the top; an alias is its real name.
  EXPECT_EQ(deps("@s/c", "1.0.0"), (std::vector<std::string>{"real@3.0.0", "b@2.0.0"}));
}

TEST_F(NpmTest, PackageLockV1PinsByNesting) {
  const std::string lock = R"({"lockfileVersion": 1, "dependencies": {
    "a": {"version": "1.0.0", "requires": {"b": "^1", "c": "*"}, "dependencies": {
      "b": {"version": "1.0.0", "requires": {"c": "*", "d": "*"}},
      "c": {"version": "3.0.0"}}},
    "b": {"version": "2.0.0", "requires": {"c": "*", "x": "*"}},
    "c": {"version": "2.0.0"},
    "d": {"version": "npm:real-d@5.0.0"}
  }})";
  AnalysisResult r = AnalyzeOne(*lock_, "package-lock.json", lock);
  ASSERT_EQ(r.package_dbs.size(), 1u);
  std::map<std::string, std::vector<std::string>> deps;
  for (const auto& p : r.package_dbs[0].packages) deps[p.name + "@" + p.version] = p.depends;
  EXPECT_EQ(deps["a@1.0.0"], (std::vector<std::string>{"b@1.0.0", "c@3.0.0"}));
  EXPECT_EQ(deps["b@1.0.0"], (std::vector<std::string>{"c@3.0.0", "real-d@5.0.0"}));  // the enclosing a's c
  EXPECT_EQ(deps["b@2.0.0"], (std::vector<std::string>{"c@2.0.0", "x"}));
}

TEST_F(NpmTest, YarnClassicPinsThroughDescriptors) {
  const std::string lock = R"(# yarn lockfile v1


a@^1.0.0:
  version "1.0.0"
  dependencies:
    my-fetch "npm:node-fetch@2.6.0"
    b "^2.0.0"
    gone "^1.0.0"

b@^2.0.0, b@^2.1.0:
  version "2.1.0"
  optionalDependencies:
    a "^1.0.0"

"my-fetch@npm:node-fetch@2.6.0":
  version "2.6.0"
)";
  AnalysisResult r = AnalyzeOne(*yarn_, "yarn.lock", lock);
  ASSERT_EQ(r.package_dbs.size(), 1u);
  const auto& pkgs = r.package_dbs[0].packages;
  EXPECT_EQ(FindPackage(pkgs, "a")->depends, (std::vector<std::string>{"node-fetch@2.6.0", "b@2.1.0", "gone"}));
  EXPECT_EQ(FindPackage(pkgs, "b")->depends, std::vector<std::string>{"a@1.0.0"});
}

TEST_F(NpmTest, PnpmPinsWithoutPeerSuffixes) {
  const std::string v6 = R"(lockfileVersion: '6.0'

dependencies:
  a:
    specifier: 1.0.0
    version: 1.0.0(react@17.0.2)

packages:

  /a@1.0.0(react@17.0.2):
    resolution: {integrity: sha512-a}
    dependencies:
      b: 2.0.0(react@17.0.2)
      lib: link:../lib
      my-c: /c@3.0.0
      react: 17.0.2
      tar: github.com/x/y/abc
    dev: false

  /b@2.0.0(react@17.0.2):
    resolution: {integrity: sha512-b}
    dev: false

  /c@3.0.0:
    resolution: {integrity: sha512-c}
    dev: false

  /react@17.0.2:
    resolution: {integrity: sha512-r}
    dev: false
)";
  AnalysisResult r = AnalyzeOne(*pnpm_, "pnpm-lock.yaml", v6);
  ASSERT_EQ(r.package_dbs.size(), 1u);
  EXPECT_EQ(FindPackage(r.package_dbs[0].packages, "a")->depends,
            (std::vector<std::string>{"b@2.0.0", "lib", "c@3.0.0", "react@17.0.2", "tar"}));

  const std::string v5 = R"(lockfileVersion: 5.4

packages:

  /a/1.0.0_react@17.0.2:
    resolution: {integrity: sha512-a}
    dependencies:
      b: 2.0.0_react@17.0.2
      my-c: /c/3.0.0
    dev: false
)";
  r = AnalyzeOne(*pnpm_, "pnpm-lock.yaml", v5);
  ASSERT_EQ(r.package_dbs.size(), 1u);
  EXPECT_EQ(FindPackage(r.package_dbs[0].packages, "a")->depends, (std::vector<std::string>{"b@2.0.0", "c@3.0.0"}));

  const std::string v9 = R"(lockfileVersion: '9.0'

importers:

  .:
    dependencies:
      a:
        specifier: 1.0.0
        version: 1.0.0(react@18.0.0)

packages:

  a@1.0.0:
    resolution: {integrity: sha512-a}

  react@18.0.0:
    resolution: {integrity: sha512-r}

  sw@4.2.3:
    resolution: {integrity: sha512-s}

snapshots:

  a@1.0.0(react@18.0.0):
    dependencies:
      react: 18.0.0
      sw-cjs: sw@4.2.3

  react@18.0.0: {}

  sw@4.2.3: {}
)";
  r = AnalyzeOne(*pnpm_, "pnpm-lock.yaml", v9);
  ASSERT_EQ(r.package_dbs.size(), 1u);
  EXPECT_EQ(FindPackage(r.package_dbs[0].packages, "a")->depends, (std::vector<std::string>{"react@18.0.0", "sw@4.2.3"}));
}

// Installed manifests name their dependencies; the inventory pins them with Node.js's lookup.
TEST_F(NpmTest, InstalledPackagesAreLinkedByNodeLookup) {
  auto manifest = [&](const std::string& path, const std::string& name, const std::string& version,
                      std::vector<std::string> deps) {
    AnalysisResult r = AnalyzeOne(*nm_, path, nlohmann::json{{"name", name}, {"version", version}}.dump());
    Package p = r.package_dbs.at(0).packages.at(0);
    p.depends = std::move(deps);
    return p;
  };
  std::vector<Package> pkgs = {
      manifest("app/node_modules/a/package.json", "a", "1.0.0", {"b", "@s/c", "missing"}),
      manifest("app/node_modules/a/node_modules/b/package.json", "b", "1.0.0", {"d"}),
      manifest("app/node_modules/b/package.json", "b", "2.0.0", {}),
      manifest("app/node_modules/@s/c/package.json", "@s/c", "1.0.0", {"b"}),
      manifest("node_modules/d/package.json", "d", "4.0.0", {}),
      manifest("app/node_modules/e/package.json", "e", "1.0.0", {"f"}),
      manifest("app/node_modules/f/package.json", "f", "1.0.0", {}),
      manifest("node_modules/.pnpm/x@1.0.0/node_modules/x/package.json", "x", "1.0.0", {"y"}),
      manifest("node_modules/.pnpm/y@2.0.0/node_modules/y/package.json", "y", "2.0.0", {}),
  };
  Package locked = npm::NewPackage("a", "1.0.0", "app/package-lock.json", "package-lock");
  locked.depends = {"b"};
  pkgs.push_back(locked);

  std::vector<Package> plain = pkgs;
  LinkInstalledPackages(plain);
  auto deps = [](const std::vector<Package>& v, size_t i) { return v.at(i).depends; };
  EXPECT_EQ(deps(plain, 0), (std::vector<std::string>{"b@1.0.0", "@s/c@1.0.0", "missing"}));
  EXPECT_EQ(deps(plain, 1), std::vector<std::string>{"d@4.0.0"});  // up to the root of the tree
  EXPECT_EQ(deps(plain, 3), std::vector<std::string>{"b@2.0.0"});  // not @s/node_modules
  EXPECT_EQ(deps(plain, 5), std::vector<std::string>{"f@1.0.0"});
  EXPECT_EQ(deps(plain, 7), std::vector<std::string>{"y"});        // pnpm: a symlink, not followed here
  EXPECT_EQ(deps(plain, 9), std::vector<std::string>{"b"});        // lockfile packages are left alone

  // With the tree's links: pnpm's symlinked directory leads to y; a nested f whose manifest was not
  // read still stops the lookup (Node.js would load that directory, not the outer f).
  std::vector<Package> linked = pkgs;
  LinkInstalledPackages(linked, [](const std::string& path) -> std::optional<std::string> {
    if (path == "node_modules/.pnpm/x@1.0.0/node_modules/y/package.json")
      return "node_modules/.pnpm/y@2.0.0/node_modules/y/package.json";
    if (path == "app/node_modules/e/node_modules/f/package.json") return path;
    return std::nullopt;
  });
  EXPECT_EQ(deps(linked, 7), std::vector<std::string>{"y@2.0.0"});
  EXPECT_EQ(deps(linked, 5), std::vector<std::string>{"f"});
  EXPECT_EQ(deps(linked, 0), deps(plain, 0));
}

}  // namespace
}  // namespace customs
