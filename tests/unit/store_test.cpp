// The scan store (src/store/) on both back ends -- SQLite, and a real PostgreSQL 15 started by
// scripts/postgres.sh (skipped, saying why, when it is not installed): schema migrations, recording
// evaluations, and the events the differences between evaluations become (docs in store/store.h).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/error.h"
#include "store/schema.h"
#include "store/store.h"
#include "support/fixtures.h"
#include "support/postgres_fixture.h"

namespace customs::store {
namespace {

namespace ct = customs_test;

Submission Base(const std::string& at) {
  Submission s;
  s.digest = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
  s.artifact_type = "container_image";
  s.refs = {"registry.local/app:1.0"};
  s.os_family = "alpine";
  s.os_version = "3.7.3";
  s.sbom_format = "cyclonedx";
  s.sbom = R"({"bomFormat":"CycloneDX","specVersion":"1.6","components":[]})";
  s.components = {{"pkg:apk/alpine/musl@1.1.18-r3?arch=x86_64&distro=3.7.3", "apk", "musl", "1.1.18-r3"},
                  {"pkg:apk/alpine/zlib@1.2.11-r1?arch=x86_64&distro=3.7.3", "apk", "zlib", "1.2.11-r1"}};
  FindingIn f;
  f.vuln_id = "CVE-2019-14697";
  f.purl = s.components[0].purl;
  f.severity = "CRITICAL";
  f.fixed_version = "1.1.18-r4";
  f.risk = 69;
  s.findings = {f};
  s.at = at;
  s.db_version = "2026-12-01T00:00:00Z";
  return s;
}

// A fresh store of the back end under test.
class StoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  std::string Url() {
    if (GetParam() == "sqlite") return dir_ / "store.db";
    std::string why;
    auto url = ct::FreshPostgresDatabase(&why);
    if (!url) return "";
    return *url;
  }
  std::unique_ptr<Store> Fresh() {
    url_ = Url();
    if (url_.empty()) return nullptr;
    return Store::Open(url_);
  }
  ct::TempDir dir_;
  std::string url_;
};

#define FRESH_OR_SKIP(st)                                                              \
  auto st = Fresh();                                                                   \
  if (!st) {                                                                           \
    std::string why;                                                                   \
    ct::FreshPostgresDatabase(&why);                                                   \
    GTEST_SKIP() << why;                                                               \
  }

std::vector<std::string> Kinds(const std::vector<Event>& e) {
  std::vector<std::string> k;
  for (const auto& x : e) k.push_back(x.kind + " " + x.vuln_id);
  return k;
}

TEST_P(StoreTest, MigratesOnceAndRefusesANewerSchema) {
  FRESH_OR_SKIP(st);
  EXPECT_EQ(st->SchemaVersion(), CurrentSchemaVersion());
  st.reset();
  auto again = Store::Open(GetParam() == "sqlite" ? "sqlite:" + url_ : url_);  // idempotent
  EXPECT_EQ(again->SchemaVersion(), CurrentSchemaVersion());
  again->sql().Exec("UPDATE store_meta SET value = '999' WHERE key = 'schema_version'");
  again.reset();
  try {
    Store::Open(url_);
    FAIL() << "a newer store must be refused";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("999"), std::string::npos) << e.what();
  }
}

TEST(Store, UnreachablePostgresIsAnErrorWithoutThePassword) {
  try {
    Store::Open("postgres://user:s3cret@127.0.0.1:1/none?connect_timeout=2");
    FAIL() << "nothing listens on port 1";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()).find("s3cret"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("cannot connect"), std::string::npos) << e.what();
  }
}

TEST_P(StoreTest, EvaluationsBecomeEvents) {
  FRESH_OR_SKIP(st);
  Submission s = Base("2026-12-01T00:00:00Z");
  EXPECT_EQ(Kinds(st->Record(s)), std::vector<std::string>{"new CVE-2019-14697"});
  // The same evaluation again: nothing changed, nothing said; last_seen moves.
  s.at = "2026-12-02T00:00:00Z";
  EXPECT_TRUE(st->Record(s).empty());
  auto open = st->Findings(s.digest);
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(open[0].first_seen, "2026-12-01T00:00:00Z");
  EXPECT_EQ(open[0].last_seen, "2026-12-02T00:00:00Z");
  EXPECT_EQ(open[0].package, "musl");
  // A new advisory for zlib, a rating change, a KEV listing.
  s.at = "2026-12-03T00:00:00Z";
  s.findings[0].severity = "HIGH";
  s.findings[0].kev = true;
  FindingIn z;
  z.vuln_id = "CVE-2018-25032";
  z.purl = s.components[1].purl;
  z.severity = "HIGH";
  s.findings.push_back(z);
  auto ev = st->Record(s);
  EXPECT_EQ(Kinds(ev), (std::vector<std::string>{"new CVE-2018-25032", "severity-changed CVE-2019-14697",
                                                 "kev-added CVE-2019-14697"}));
  EXPECT_EQ(ev[1].detail, "CRITICAL -> HIGH");
  // The zlib advisory withdrawn: fixed (zlib still there); musl removed from the image: gone.
  s.at = "2026-12-04T00:00:00Z";
  s.findings = {};
  s.components.erase(s.components.begin());
  ev = st->Record(s);
  EXPECT_EQ(Kinds(ev), (std::vector<std::string>{"fixed CVE-2018-25032", "gone CVE-2019-14697"}));
  EXPECT_TRUE(st->Findings(s.digest).empty());
  auto all = st->Findings(s.digest, true);
  ASSERT_EQ(all.size(), 2u);
  for (const auto& f : all) EXPECT_EQ(f.closed_at, "2026-12-04T00:00:00Z");
  // Reopened: a new finding row, a new event.
  s.at = "2026-12-05T00:00:00Z";
  s.findings = {z};
  EXPECT_EQ(Kinds(st->Record(s)), std::vector<std::string>{"new CVE-2018-25032"});
  EXPECT_EQ(st->Findings(s.digest, true).size(), 3u);
  // The history, in order, with the database version each evaluation used.
  auto history = st->Events();
  ASSERT_EQ(history.size(), 7u);
  for (size_t i = 1; i < history.size(); ++i) EXPECT_GT(history[i].id, history[i - 1].id);
  EXPECT_EQ(history[0].db_version, "2026-12-01T00:00:00Z");
  EXPECT_EQ(st->Events(history[4].id).size(), 2u);
}

TEST_P(StoreTest, ImagesRefsAndSboms) {
  FRESH_OR_SKIP(st);
  Submission s = Base("2026-12-01T00:00:00Z");
  st->Record(s);
  s.refs = {"registry.local/app:latest"};
  s.at = "2026-12-02T00:00:00Z";
  st->Record(s);
  auto images = st->Images();
  ASSERT_EQ(images.size(), 1u);
  EXPECT_EQ(images[0].refs, (std::vector<std::string>{"registry.local/app:1.0", "registry.local/app:latest"}));
  EXPECT_EQ(images[0].critical, 1);
  EXPECT_EQ(images[0].first_seen, "2026-12-01T00:00:00Z");
  EXPECT_EQ(images[0].last_seen, "2026-12-02T00:00:00Z");
  EXPECT_EQ(st->Sbom(s.digest), s.sbom);
  EXPECT_FALSE(st->Sbom("sha256:none"));
  // Components are stored once by purl, whatever the number of images holding them.
  Submission other = Base("2026-12-02T00:00:00Z");
  other.digest = "sha256:2222222222222222222222222222222222222222222222222222222222222222";
  st->Record(other);
  EXPECT_EQ(st->sql().Query("SELECT COUNT(*) FROM components")[0][0], "2");
  EXPECT_EQ(st->sql().Query("SELECT COUNT(*) FROM image_components")[0][0], "4");
}

TEST_P(StoreTest, AFailedRecordLeavesNothingHalfWritten) {
  FRESH_OR_SKIP(st);
  Submission s = Base("2026-12-01T00:00:00Z");
  st->Record(s);
  Submission bad = s;
  bad.digest.clear();
  EXPECT_THROW(st->Record(bad), Error);
  // A failure inside the transaction (a NOT NULL violation) rolls the whole evaluation back.
  if (GetParam() == "sqlite") {
    st->sql().ExecScript("CREATE TRIGGER boom BEFORE INSERT ON events WHEN (NEW.kind = 'fixed') BEGIN "
                         "SELECT RAISE(ABORT, 'boom'); END");
  } else {
    st->sql().ExecScript("CREATE FUNCTION boom() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'boom'; END $$ "
                         "LANGUAGE plpgsql; CREATE TRIGGER boom BEFORE INSERT ON events FOR EACH ROW "
                         "WHEN (NEW.kind = 'fixed') EXECUTE FUNCTION boom()");
  }
  Submission next = s;
  next.at = "2026-12-02T00:00:00Z";
  next.findings.clear();
  EXPECT_THROW(st->Record(next), Error);
  EXPECT_EQ(st->Findings(s.digest).size(), 1u);
  EXPECT_EQ(st->sql().Query("SELECT COUNT(*) FROM evaluations")[0][0], "1");
  EXPECT_EQ(st->Images()[0].last_seen, "2026-12-01T00:00:00Z");
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreTest, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return std::string(info.param); });

}  // namespace
}  // namespace customs::store
