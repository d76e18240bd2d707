// Acceptance: JSON and YAML bombs in a scanned project are refused by the shared loaders (formats/)
// through the real CLI: exit code 3, one error line naming the file and the limit, and the scanner's
// peak memory (measured by /usr/bin/time around the child) well under 256 MB.
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <string>
#include <vector>

#include "support/fixtures.h"
#include "support/scenarios.h"

namespace ct = customs_test;

namespace {

constexpr long kMaxPeakKb = 256 * 1024;

void Write(const std::string& path, const std::string& content) {
  std::ofstream f(path, std::ios::binary);
  f << content;
  ASSERT_TRUE(f.good()) << path;
}

std::string ReadAll(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
}

// 10^9 leaves through nine levels of aliases, in a file that otherwise looks like a pnpm lockfile.
std::string BillionLaughsPnpmLock() {
  std::string y = "lockfileVersion: '6.0'\n";
  y += "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
  for (char c = 'b'; c <= 'i'; ++c) {
    y += std::string(1, c) + ": &" + c + " [";
    for (int i = 0; i < 10; ++i) y += std::string(i ? ", *" : "*") + static_cast<char>(c - 1);
    y += "]\n";
  }
  return y + "packages:\n  /lol@1.0.0: *i\n";
}

std::string DeepPackageLock(size_t depth) {
  return R"({"name": "app", "lockfileVersion": 3, "packages": {"": )" + std::string(depth, '[') +
         std::string(depth, ']') + "}}";
}

// Scans `dir` with `customs fs` under /usr/bin/time; expects exit 3, one error line naming `file`
// and containing every one of `words`, and a peak RSS under kMaxPeakKb.
void ExpectRefused(const std::string& dir, const std::string& file, const std::vector<std::string>& words) {
  ct::TempDir home("customs-home");
  const std::string peak_file = home / "peak";
  ct::RunOptions o;
  o.env = {"HOME=" + home.path(), "TMPDIR=" + home.path(), "XDG_CACHE_HOME=" + home.path() + "/.cache"};
  o.timeout_seconds = 120;
  ct::RunResult r = ct::Run({"/usr/bin/time", "-f", "%M", "-o", peak_file, ct::CustomsBin(), "fs", dir, "-f", "json",
                             "-o", home / "out.json"},
                            o);
  EXPECT_EQ(r.exit_code, 3) << r.Describe();
  const auto errors = ct::ErrorLines(r.err);
  ASSERT_EQ(errors.size(), 1u) << r.err;
  std::printf("  %s\n", errors[0].c_str());
  EXPECT_NE(errors[0].find(file), std::string::npos) << errors[0];
  for (const auto& w : words) EXPECT_NE(errors[0].find(w), std::string::npos) << "no \"" << w << "\": " << errors[0];
  const std::string peak = ReadAll(peak_file);
  // /usr/bin/time notes a non-zero exit before the number; the last line is the peak in KiB.
  const size_t nl = peak.find_last_of('\n', peak.size() >= 2 ? peak.size() - 2 : 0);
  const long kb = std::atol(peak.substr(nl == std::string::npos ? 0 : nl + 1).c_str());
  EXPECT_GT(kb, 0) << "no peak RSS from /usr/bin/time: " << peak;
  EXPECT_LT(kb, kMaxPeakKb) << "peak RSS " << kb << " KiB";
}

TEST(HostileFormats, BillionLaughsPnpmLockIsRefused) {
  ct::TempDir d("customs-bomb");
  Write(d / "package.json", R"({"name": "app", "version": "1.0.0"})");
  Write(d / "pnpm-lock.yaml", BillionLaughsPnpmLock());
  ExpectRefused(d.path(), "pnpm-lock.yaml", {"YAML expands to more than", "alias bomb"});
}

TEST(HostileFormats, DeepPackageLockIsRefused) {
  ct::TempDir d("customs-deep");
  Write(d / "package-lock.json", DeepPackageLock(10000));
  ExpectRefused(d.path(), "package-lock.json", {"JSON nested deeper than 256 levels"});
}

TEST(HostileFormats, OtherLockfilesGoThroughTheSameLoaders) {
  // A yarn berry lockfile bomb and a deep composer.lock: the same limits, whatever the analyzer.
  {
    ct::TempDir d("customs-yarn");
    std::string y = "__metadata:\n  version: 6\n" + BillionLaughsPnpmLock().substr(std::string("lockfileVersion: '6.0'\n").size());
    Write(d / "yarn.lock", y);
    ExpectRefused(d.path(), "yarn.lock", {"alias bomb"});
  }
  {
    ct::TempDir d("customs-composer");
    Write(d / "composer.lock", R"({"packages": )" + std::string(10000, '[') + std::string(10000, ']') + "}");
    ExpectRefused(d.path(), "composer.lock", {"JSON nested deeper than 256 levels"});
  }
}

TEST(HostileFormats, OrdinaryLockfilesStillScan) {
  ct::TempDir d("customs-ok");
  Write(d / "package-lock.json", DeepPackageLock(100));  // deep but within the limit: just no packages
  Write(d / "pnpm-lock.yaml", "lockfileVersion: '6.0'\nbase: &b {resolution: {integrity: x}}\npackages:\n"
                              "  /a@1.0.0: *b\n  /b@2.0.0: *b\n");
  ct::TempDir home("customs-home");
  ct::RunOptions o;
  o.env = {"HOME=" + home.path(), "XDG_CACHE_HOME=" + home.path() + "/.cache"};
  ct::RunResult r = ct::RunCustoms({"fs", d.path(), "-f", "json", "-q"}, o);
  EXPECT_EQ(r.exit_code, 0) << r.Describe();
  EXPECT_NE(r.out.find("\"a\""), std::string::npos) << r.out.substr(0, 2000);
}

}  // namespace
