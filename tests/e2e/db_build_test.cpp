// Acceptance (part 2, item 1): `customs db build --from ../shared/vulndata` completes, prints counts
// per source, and two builds give identical content; `customs db info` shows sources, counts, build
// date and schema version.
#include <gtest/gtest.h>

#include <string>

#include "db/schema.h"
#include "support/fixtures.h"

namespace ct = customs_test;

namespace {

TEST(DbBuildE2e, BuildsSharedVulndataTwiceIdentically) {
  ct::TempDir d;
  ct::RunOptions opts;
  opts.env = {"CUSTOMS_FIXED_TIME=1700000000"};
  const std::string from = ct::SharedDir() + "/vulndata";
  auto r1 = ct::RunCustoms({"db", "build", "--from", from, "-o", d / "a/customs.db"}, opts);
  ASSERT_EQ(r1.exit_code, 0) << r1.Describe();
  for (const char* source : {"alpine-secdb", "debian-tracker", "osv-go", "osv-pypi", "rustsec", "kev"})
    EXPECT_NE(r1.out.find(source), std::string::npos) << source << " missing from:\n" << r1.out;
  EXPECT_NE(r1.out.find(" 4291 "), std::string::npos) << r1.out;  // osv-go records
  EXPECT_NE(r1.out.find(" 1404 "), std::string::npos) << r1.out;  // kev records
  EXPECT_NE(r1.out.find("total"), std::string::npos);

  auto r2 = ct::RunCustoms({"db", "build", "--from", from, "-o", d / "b/customs.db"}, opts);
  ASSERT_EQ(r2.exit_code, 0) << r2.Describe();
  EXPECT_EQ(ct::Sha256DigestOfFile(d / "a/customs.db"), ct::Sha256DigestOfFile(d / "b/customs.db"));

  auto info = ct::RunCustoms({"db", "info", "--db", d / "a/customs.db"});
  ASSERT_EQ(info.exit_code, 0) << info.Describe();
  EXPECT_NE(info.out.find("schema version: " + std::to_string(customs::db::kSchemaVersion)), std::string::npos) << info.out;
  EXPECT_NE(info.out.find("built:          2023-11-14T22:13:20Z"), std::string::npos) << info.out;
  EXPECT_NE(info.out.find("osv-go"), std::string::npos) << info.out;
  EXPECT_NE(info.out.find("2025-08-25"), std::string::npos) << info.out;  // kev snapshot
}

TEST(DbBuildE2e, DefaultPathIsTheCacheDirectory) {
  ct::TempDir d;
  ct::RunOptions opts;
  opts.env = {"XDG_CACHE_HOME=" + d.path()};
  auto r = ct::RunCustoms({"db", "build", "--from", ct::SharedDir() + "/vulndata/kev"}, opts);
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  EXPECT_TRUE(ct::PathExists(d / "customs/db/customs.db"));
  auto info = ct::RunCustoms({"db", "info"}, opts);
  EXPECT_EQ(info.exit_code, 0) << info.Describe();
  EXPECT_NE(info.out.find("kev"), std::string::npos);
}

TEST(DbBuildE2e, ErrorsHaveExitCodes) {
  ct::TempDir d;
  auto missing = ct::RunCustoms({"db", "build", "--from", d / "nope", "-o", d / "x.db"});
  EXPECT_EQ(missing.exit_code, 4) << missing.Describe();
  EXPECT_NE(missing.err.find("nope"), std::string::npos);
  auto noinfo = ct::RunCustoms({"db", "info", "--db", d / "absent.db"});
  EXPECT_EQ(noinfo.exit_code, 4) << noinfo.Describe();
  EXPECT_NE(noinfo.err.find("customs db build"), std::string::npos) << noinfo.err;
  auto usage = ct::RunCustoms({"db", "build"});
  EXPECT_EQ(usage.exit_code, 2) << usage.Describe();
}

TEST(DbBuildE2e, MalformedRecordsAreReportedAndSkipped) {
  ct::TempDir d;
  ct::WriteFile(d / "in/osv-x/good.json",
                R"({"id":"X-1","modified":"2024-01-01T00:00:00Z","affected":[{"package":{"ecosystem":"npm","name":"a"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"1.0.0"}]}]}]})");
  ct::WriteFile(d / "in/osv-x/bad.json", "{\"id\": ");
  ct::WriteFile(d / "in/rustsec/crates/p/RUSTSEC-2020-0001.md", "```toml\n[advisory\n```\n");
  auto r = ct::RunCustoms({"db", "build", "--from", d / "in", "-o", d / "x.db"});
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  EXPECT_NE(r.err.find("bad.json"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("RUSTSEC-2020-0001.md"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("osv-x"), std::string::npos) << r.out;
}

}  // namespace
