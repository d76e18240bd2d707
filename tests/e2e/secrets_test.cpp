// Part 4/6 acceptance through the CLI: a secret added in layer 2 and deleted in layer 4 is reported
// in layer 2 as deleted later; the labelled corpus is found exactly (recall 100%, nothing on decoys);
// allow rules, disabled rules and inline ignores suppress what they should and nothing else; the
// image config is scanned; masking, --show-secrets, gates and SARIF.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <tuple>

#include "support/fixtures.h"
#include "support/schema.h"
#include "support/secret_corpus.h"

namespace ct = customs_test;
using nlohmann::json;

namespace {

const std::string kAwsKey = "AKIAQ7Z3MX4PLR8WNB2K";
const std::string kPgUrl = "postgres://app:S3cr3tPassw0rd9@db.internal:5432/app";

// (path, ruleId) -> the secret objects, from a JSON report.
std::multimap<std::pair<std::string, std::string>, json> Secrets(const json& report) {
  std::multimap<std::pair<std::string, std::string>, json> out;
  for (const auto& t : report["targets"])
    if (t["class"] == "secret")
      for (const auto& s : t["secrets"]) out.insert({{t["target"].get<std::string>(), s["ruleId"].get<std::string>()}, s});
  return out;
}

json ScanJson(const std::vector<std::string>& args, int want_exit = 0) {
  ct::RunResult r = ct::RunCustoms(args);
  EXPECT_EQ(r.exit_code, want_exit) << r.Describe();
  std::string err;
  json j = ct::ParseJson(r.out, &err);
  EXPECT_FALSE(j.is_null()) << err << r.out.substr(0, 500);
  return j;
}

}  // namespace

TEST(Secrets, DeletedInALaterLayerIsStillReportedInItsLayer) {
  ct::TempDir d;
  const std::string env = "APP=1\nAWS_ACCESS_KEY_ID=" + kAwsKey + "\nDATABASE_URL=" + kPgUrl + "\n";
  std::vector<ct::Layer> layers;
  layers.push_back(ct::MakeLayer(d.path(), {ct::TarEntry::Dir("app"), ct::TarEntry::File("app/main.sh", "echo hi\n")},
                                 ct::Compression::kGzip, "COPY main.sh /app/"));
  layers.push_back(ct::MakeLayer(d.path(), {ct::TarEntry::File("app/.env", env)}, ct::Compression::kGzip, "COPY .env /app/"));
  layers.push_back(ct::MakeLayer(d.path(), {ct::TarEntry::File("app/other.txt", "nothing\n")}, ct::Compression::kNone,
                                 "RUN true"));
  layers.push_back(ct::MakeLayer(d.path(), {ct::TarEntry::Whiteout("app/.env")}, ct::Compression::kGzip,
                                 "RUN rm /app/.env"));
  ct::ImageConfig cfg;
  cfg.env.push_back("DB_URL=" + kPgUrl);
  const std::string image = d / "img.tar";
  ct::ImageInfo info = ct::WriteDockerArchive(image, layers, cfg);

  json report = ScanJson({"image", "--input", image, "--scanners", "secret", "-f", "json"});
  auto found = Secrets(report);
  ASSERT_EQ(found.count({"app/.env", "aws-access-key-id"}), 1u) << report.dump(1).substr(0, 3000);
  const json& aws = found.find({"app/.env", "aws-access-key-id"})->second;
  EXPECT_EQ(aws["layer"]["index"], 1) << "added by the second layer";
  EXPECT_EQ(aws["layer"]["diffId"], info.diff_ids[1]);
  ASSERT_TRUE(aws["removedInLayer"].is_object());
  EXPECT_EQ(aws["removedInLayer"]["index"], 3) << "deleted by the fourth layer";
  EXPECT_EQ(aws["removedInLayer"]["how"], "deleted");
  EXPECT_EQ(aws["startLine"], 2);
  EXPECT_EQ(aws["startColumn"], 19);
  EXPECT_EQ(aws["match"], "AKIA****************") << "masked by default";
  EXPECT_EQ(aws["snippet"].get<std::string>().find(kAwsKey), std::string::npos);
  EXPECT_EQ(found.count({"app/.env", "postgres-url-password"}), 1u);
  // The image config's environment.
  EXPECT_EQ(found.count({"image-config:env", "postgres-url-password"}), 1u) << report.dump(1).substr(0, 3000);
  EXPECT_EQ(found.size(), 3u);

  // --show-secrets prints the value; the table names the layer and the deletion.
  json full = ScanJson({"image", "--input", image, "--scanners", "secret", "-f", "json", "--show-secrets"});
  EXPECT_EQ(Secrets(full).find({"app/.env", "aws-access-key-id"})->second["match"], kAwsKey);
  ct::RunResult table = ct::RunCustoms({"image", "--input", image, "--scanners", "secret"});
  EXPECT_EQ(table.exit_code, 0);
  EXPECT_NE(table.out.find("deleted in layer 4"), std::string::npos) << table.out;
  EXPECT_EQ(table.out.find(kAwsKey), std::string::npos) << "never in clear without --show-secrets";

  // Gates: --exit-code fires on secrets; --severity filters them.
  ScanJson({"image", "--input", image, "--scanners", "secret", "-f", "json", "--exit-code", "7"}, 7);
  ScanJson({"image", "--input", image, "--scanners", "secret", "-f", "json", "--exit-code", "7", "--severity", "LOW"}, 0);

  // SARIF: schema-valid, results at the right line.
  const std::string sarif_path = d / "out.sarif";
  ct::RunResult s = ct::RunCustoms({"image", "--input", image, "--scanners", "secret", "-f", "sarif", "-o", sarif_path});
  ASSERT_EQ(s.exit_code, 0) << s.Describe();
  EXPECT_TRUE(ValidatesAgainstSchema("sarif-2.1.0", sarif_path));
  json sarif = ct::ParseJson(ct::ReadFile(sarif_path));
  bool at_line = false;
  for (const auto& r : sarif["runs"][0]["results"])
    if (r["ruleId"] == "aws-access-key-id") {
      const auto& loc = r["locations"][0]["physicalLocation"];
      at_line = loc["region"]["startLine"] == 2 && loc["artifactLocation"]["uri"].get<std::string>().find(".env") !=
                                                       std::string::npos;
    }
  EXPECT_TRUE(at_line) << sarif.dump(1).substr(0, 3000);
}

TEST(Secrets, LabelledCorpusFoundExactlyAndDecoysSilent) {
  ct::TempDir d;
  std::vector<std::string> decoys;
  const auto items = ct::WriteSecretCorpus(d / "corpus", 20261123, &decoys);
  ASSERT_GT(items.size(), 80u);
  json report = ScanJson({"fs", d / "corpus", "--scanners", "secret", "-f", "json", "--show-secrets"});
  // (file, line, column, secret) -> rule ids that reported it.
  std::map<std::tuple<std::string, uint64_t, uint64_t, std::string>, std::set<std::string>> got;
  std::set<std::string> files_with_findings;
  for (const auto& [key, s] : Secrets(report)) {
    got[{key.first, s["startLine"].get<uint64_t>(), s["startColumn"].get<uint64_t>(), s["match"].get<std::string>()}]
        .insert(key.second);
    files_with_findings.insert(key.first);
  }
  size_t missed = 0;
  for (const auto& it : items) {
    auto g = got.find({it.file, it.line, it.column, it.secret});
    if (g == got.end() || !g->second.count(it.rule_id)) {
      ++missed;
      ADD_FAILURE() << "missed " << it.rule_id << " in " << it.file << ":" << it.line << ":" << it.column;
    }
  }
  EXPECT_EQ(missed, 0u) << "recall must be 100%";
  for (const auto& f : decoys) EXPECT_FALSE(files_with_findings.count(f)) << "finding in decoy file " << f;
}

TEST(Secrets, AllowRulesDisabledRulesAndInlineIgnores) {
  ct::TempDir d;
  const std::string root = d / "src";
  ct::WriteFile(root + "/a/.env", "AWS_ACCESS_KEY_ID=" + kAwsKey + "\nDATABASE_URL=" + kPgUrl + "\n");
  ct::WriteFile(root + "/testdata/keys.env", "AWS_ACCESS_KEY_ID=" + kAwsKey + "\n");
  ct::WriteFile(root + "/b/config.sh",
                "export KEY=" + kAwsKey + "  # customs:ignore\nexport DB=" + kPgUrl +
                    " # customs:ignore:aws-access-key-id\nexport KEY2=" + kAwsKey + "\n");
  auto keys = [](const json& report) {
    std::multiset<std::string> out;
    for (const auto& [k, s] : Secrets(report)) out.insert(k.first + "|" + k.second + "|" + s["startLine"].dump());
    return out;
  };
  const auto all = keys(ScanJson({"fs", root, "--scanners", "secret", "-f", "json"}));
  const std::multiset<std::string> want_all = {
      "a/.env|aws-access-key-id|1", "a/.env|postgres-url-password|2", "testdata/keys.env|aws-access-key-id|1",
      "b/config.sh|postgres-url-password|2",  // its ignore names another rule
      "b/config.sh|aws-access-key-id|3"};
  EXPECT_EQ(all, want_all) << "inline ignores: line 1 every rule, line 2 only the rule named";

  ct::WriteFile(d / "allow.yaml", "allow-rules:\n  - id: fixtures\n    path: '(^|/)testdata/'\n");
  auto allowed = want_all;
  allowed.erase("testdata/keys.env|aws-access-key-id|1");
  EXPECT_EQ(keys(ScanJson({"fs", root, "--scanners", "secret", "-f", "json", "--secret-config", d / "allow.yaml"})),
            allowed);

  ct::WriteFile(d / "disable.yaml", "disable-rules: [postgres-url-password]\n");
  auto disabled = want_all;
  disabled.erase("a/.env|postgres-url-password|2");
  disabled.erase("b/config.sh|postgres-url-password|2");
  EXPECT_EQ(keys(ScanJson({"fs", root, "--scanners", "secret", "-f", "json", "--secret-config", d / "disable.yaml"})),
            disabled);

  // An ignore file (Trivy's YAML layout) naming a rule id, scoped to files by a glob; then --exit-code
  // sees only what stands.
  ct::WriteFile(d / "ignore.yaml", "secrets:\n  - id: aws-access-key-id\n    paths: ['a/*']\n");
  auto ignored = want_all;
  ignored.erase("a/.env|aws-access-key-id|1");
  EXPECT_EQ(keys(ScanJson({"fs", root, "--scanners", "secret", "-f", "json", "--ignorefile", d / "ignore.yaml"})),
            ignored);
  ct::WriteFile(d / "ignore-all.yaml",
                "secrets:\n  - id: aws-access-key-id\n  - id: postgres-url-password\n");
  ScanJson({"fs", root, "--scanners", "secret", "-f", "json", "--ignorefile", d / "ignore-all.yaml", "--exit-code", "3"},
           0);

  // A custom rule, and a broken config: exit 2 naming file and line.
  ct::WriteFile(root + "/c/acme.txt", "token acme_7f3a9c2e81b4d05f6a2c9e7d13b8f402\n");
  ct::WriteFile(d / "custom.yaml",
                "rules:\n  - id: acme-token\n    category: Acme\n    title: Acme token\n    severity: HIGH\n"
                "    regex: 'acme_(?P<secret>[0-9a-f]{32})'\n    keywords: [acme_]\n");
  auto custom = keys(ScanJson({"fs", root, "--scanners", "secret", "-f", "json", "--secret-config", d / "custom.yaml"}));
  EXPECT_EQ(custom.count("c/acme.txt|acme-token|1"), 1u);
  EXPECT_EQ(custom.size(), want_all.size() + 1);
  ct::WriteFile(d / "broken.yaml", "rules:\n  - id: x\n    regex: '(unclosed'\n");
  ct::RunResult bad = ct::RunCustoms({"fs", root, "--scanners", "secret", "--secret-config", d / "broken.yaml"});
  EXPECT_EQ(bad.exit_code, 2) << bad.Describe();
  EXPECT_NE(bad.err.find("broken.yaml:3"), std::string::npos) << bad.err;
}
