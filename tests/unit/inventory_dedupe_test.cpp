// inventory/dedupe.h: an npm package a lockfile pins and node_modules beside it holds installed at
// that version is one package, read from the lockfile and also found in the installed manifest.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "inventory/dedupe.h"

namespace customs {
namespace {

Package Npm(std::string name, std::string version, std::string db_path, std::string source, int layer = -1) {
  Package p;
  p.type = "npm";
  p.name = std::move(name);
  p.version = std::move(version);
  p.db_path = std::move(db_path);
  p.extra["source"] = std::move(source);
  p.layer = layer;
  return p;
}

std::vector<std::string> Describe(const std::vector<Package>& pkgs) {
  std::vector<std::string> out;
  for (const auto& p : pkgs) {
    std::string s = p.name + "@" + p.version + " " + p.db_path;
    if (auto it = p.extra.find(kAlsoFoundIn); it != p.extra.end()) s += " +" + it->second;
    out.push_back(s);
  }
  return out;
}

TEST(InventoryDedupe, InstalledCopiesOfLockedPackagesMerge) {
  std::vector<Package> pkgs = {
      Npm("lodash", "4.17.15", "app/package-lock.json", "package-lock", 2),
      Npm("@babel/core", "7.0.0", "app/package-lock.json", "package-lock", 2),
      Npm("minimist", "1.2.0", "app/package-lock.json", "package-lock", 2),
      Npm("lodash", "4.17.15", "app/node_modules/lodash/package.json", "node_modules", 1),
      Npm("@babel/core", "7.0.0", "app/node_modules/@babel/core/package.json", "node_modules", 3),
      // Nested copy of the same name@version: the lockfile's one entry for it.
      Npm("minimist", "1.2.0", "app/node_modules/a/node_modules/minimist/package.json", "node_modules", 2),
      // Another version than the lockfile pins: a package of its own.
      Npm("minimist", "0.0.8", "app/node_modules/b/node_modules/minimist/package.json", "node_modules", 2),
      // Installed in another project (no lockfile there).
      Npm("lodash", "4.17.15", "other/node_modules/lodash/package.json", "node_modules"),
      // An aliased install (node_modules/old holds "lodash"): not the lockfile's path for it.
      Npm("lodash", "4.17.15", "app/node_modules/old/package.json", "node_modules"),
  };
  pkgs[3].licenses = {"MIT"};
  MergeInstalledNpmIntoLockfiles(pkgs);
  EXPECT_EQ(Describe(pkgs),
            (std::vector<std::string>{
                "lodash@4.17.15 app/package-lock.json +app/node_modules/lodash/package.json",
                "@babel/core@7.0.0 app/package-lock.json +app/node_modules/@babel/core/package.json",
                "minimist@1.2.0 app/package-lock.json +app/node_modules/a/node_modules/minimist/package.json",
                "minimist@0.0.8 app/node_modules/b/node_modules/minimist/package.json",
                "lodash@4.17.15 other/node_modules/lodash/package.json",
                "lodash@4.17.15 app/node_modules/old/package.json",
            }));
  EXPECT_EQ(pkgs[0].layer, 1);  // the earlier of the two
  EXPECT_EQ(pkgs[1].layer, 2);
  EXPECT_EQ(pkgs[0].licenses, (std::vector<std::string>{"MIT"}));
}

TEST(InventoryDedupe, RootProjectAndOtherLockfilesAndTypes) {
  std::vector<Package> pkgs = {
      Npm("a", "1.0.0", "yarn.lock", "yarn.lock"),
      Npm("b", "2.0.0", "pnpm-lock.yaml", "pnpm-lock"),
      Npm("a", "1.0.0", "node_modules/a/package.json", "node_modules"),
      Npm("b", "2.0.0", "node_modules/.pnpm/b@2.0.0/node_modules/b/package.json", "node_modules"),
      Npm("c", "1.0.0", "node_modules/c/package.json", "node_modules"),
  };
  Package py;
  py.type = "pypi";
  py.name = "a";
  py.version = "1.0.0";
  py.db_path = "node_modules/a/package.json";
  pkgs.push_back(py);
  MergeInstalledNpmIntoLockfiles(pkgs);
  EXPECT_EQ(Describe(pkgs), (std::vector<std::string>{
                                "a@1.0.0 yarn.lock +node_modules/a/package.json",
                                "b@2.0.0 pnpm-lock.yaml +node_modules/.pnpm/b@2.0.0/node_modules/b/package.json",
                                "c@1.0.0 node_modules/c/package.json",
                                "a@1.0.0 node_modules/a/package.json",
                            }));
}

TEST(InventoryDedupe, NothingToMerge) {
  std::vector<Package> pkgs = {Npm("a", "1.0.0", "package-lock.json", "package-lock")};
  MergeInstalledNpmIntoLockfiles(pkgs);
  EXPECT_EQ(Describe(pkgs), (std::vector<std::string>{"a@1.0.0 package-lock.json"}));
}

}  // namespace
}  // namespace customs
