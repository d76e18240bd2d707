// php_composer: composer.lock and vendor/composer/installed.json (Composer 1 and 2 forms).
#include <gtest/gtest.h>

#include "analyzers_test_util.h"

namespace customs {
std::unique_ptr<Analyzer> Make_php_composer();
}

namespace customs::analyzers_test {
namespace {

constexpr std::string_view kLock = R"({
    "_readme": ["This file locks the dependencies of your project to a known state"],
    "content-hash": "2b8d4a1f9c0e7a0e5f1d0d7f1c3f0b6a",
    "packages": [
        {
            "name": "monolog/monolog",
            "version": "2.8.0",
            "source": {"type": "git", "url": "https://github.com/Seldaek/monolog.git", "reference": "720488632c590286b88b80e62aa3d3d551ad4a50"},
            "require": {"php": ">=7.2", "psr/log": "^1.0.1 || ^2.0 || ^3.0"},
            "type": "library",
            "license": ["MIT"]
        },
        {
            "name": "psr/log",
            "version": "3.0.0",
            "require": {"php": ">=8.0.0"},
            "license": ["MIT"]
        },
        {"version": "1.0.0"}
    ],
    "packages-dev": [
        {
            "name": "phpunit/phpunit",
            "version": "9.5.26",
            "require": {"ext-dom": "*", "php": ">=7.3", "sebastian/diff": "^4.0.3"},
            "license": ["BSD-3-Clause"]
        }
    ],
    "aliases": [],
    "minimum-stability": "stable",
    "prefer-stable": false,
    "platform": {"php": "^8.1"},
    "plugin-api-version": "2.3.0"
})";

TEST(PhpComposer, Wants) {
  auto a = Make_php_composer();
  EXPECT_TRUE(a->Wants("var/www/composer.lock", Meta("x")));
  EXPECT_TRUE(a->Wants("var/www/vendor/composer/installed.json", Meta("x")));
  EXPECT_FALSE(a->Wants("var/www/composer.json", Meta("x")));
  EXPECT_FALSE(a->Wants("var/www/installed.json", Meta("x")));
}

TEST(PhpComposer, Lock) {
  auto a = Make_php_composer();
  AnalysisResult r = AnalyzeOne(*a, "var/www/composer.lock", kLock);
  ASSERT_EQ(r.package_dbs.size(), 1u);
  const auto& db = r.package_dbs[0];
  EXPECT_EQ(db.type, "composer");
  ASSERT_EQ(db.packages.size(), 3u);
  const Package* m = FindPackage(db.packages, "monolog/monolog");
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->version, "2.8.0");
  EXPECT_EQ(m->extra.at("dev"), "false");
  EXPECT_EQ(m->depends, (std::vector<std::string>{"psr/log@3.0.0"}));  // the lock's psr/log
  EXPECT_EQ(m->licenses, (std::vector<std::string>{"MIT"}));
  const Package* pu = FindPackage(db.packages, "phpunit/phpunit");
  ASSERT_NE(pu, nullptr);
  EXPECT_EQ(pu->extra.at("dev"), "true");
  EXPECT_EQ(pu->depends, (std::vector<std::string>{"sebastian/diff"}));  // not in the lock: bare
  EXPECT_EQ(r.diagnostics.size(), 1u);  // the entry without a name
}

TEST(PhpComposer, InstalledJsonV1AndV2) {
  auto a = Make_php_composer();
  AnalysisResult v1 = AnalyzeOne(*a, "app/vendor/composer/installed.json",
                                 R"([{"name": "psr/log", "version": "1.1.4", "version_normalized": "1.1.4.0",
                                      "type": "library", "installation-source": "dist", "license": ["MIT"]}])");
  ASSERT_EQ(v1.package_dbs[0].packages.size(), 1u);
  EXPECT_EQ(v1.package_dbs[0].packages[0].version, "1.1.4");
  EXPECT_EQ(v1.package_dbs[0].packages[0].extra.count("dev"), 0u);
  AnalysisResult v2 = AnalyzeOne(*a, "app/vendor/composer/installed.json", R"({
    "packages": [
      {"name": "psr/log", "version": "3.0.0", "version_normalized": "3.0.0.0", "install-path": "../psr/log"},
      {"name": "phpunit/phpunit", "version": "9.5.26", "install-path": "../phpunit/phpunit"}
    ],
    "dev": true,
    "dev-package-names": ["phpunit/phpunit"]
  })");
  const auto& pk = v2.package_dbs[0].packages;
  ASSERT_EQ(pk.size(), 2u);
  // Composer names are case-insensitive: "PSR/Log" is the file's psr/log, spelled as installed.
  AnalysisResult v3 = AnalyzeOne(*a, "vendor/composer/installed.json", R"({"packages": [
      {"name": "psr/log", "version": "3.0.0"},
      {"name": "monolog/monolog", "version": "3.5.0", "require": {"php": ">=8.1", "PSR/Log": "^2.0.0 || ^3.0.0"}}]})");
  EXPECT_EQ(FindPackage(v3.package_dbs.at(0).packages, "monolog/monolog")->depends,
            std::vector<std::string>{"psr/log@3.0.0"});
  EXPECT_EQ(FindPackage(pk, "psr/log")->extra.at("dev"), "false");
  EXPECT_EQ(FindPackage(pk, "phpunit/phpunit")->extra.at("dev"), "true");
}

TEST(PhpComposer, Malformed) {
  auto a = Make_php_composer();
  for (std::string_view junk : {"", "{", "[1,2]", "{\"packages\": 3}", "\"x\""}) {
    AnalysisResult r = AnalyzeOne(*a, "composer.lock", junk);
    ASSERT_EQ(r.package_dbs.size(), 1u) << junk;
    EXPECT_TRUE(r.package_dbs[0].packages.empty());
    EXPECT_FALSE(r.diagnostics.empty()) << junk;
  }
}

}  // namespace
}  // namespace customs::analyzers_test
