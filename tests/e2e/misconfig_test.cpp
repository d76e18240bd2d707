// The misconfiguration scanner end to end: `customs config` on the written corpus finds exactly the
// reviewed (check id, line) list of tests/misconfig/expected.json, per file; user checks (--checks) and
// broken ones; SARIF validity and lines; ignore files by check id and path; --exit-code; and
// `--scanners misconfig` on `fs` and on an image with a Dockerfile inside and a root-user config.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "support/fixtures.h"
#include "support/schema.h"

namespace ct = customs_test;
using nlohmann::json;

namespace {

std::string Corpus() { return ct::SourceDir() + "/tests/misconfig/corpus"; }

// file -> {"ID@LINE", ...} from a JSON report (targets of class "config").
std::map<std::string, std::multiset<std::string>> Findings(const json& report) {
  std::map<std::string, std::multiset<std::string>> out;
  for (const auto& t : report["targets"]) {
    if (t["class"] != "config") continue;
    auto& set = out[t["target"].get<std::string>()];
    for (const auto& m : t["misconfigurations"])
      set.insert(m["id"].get<std::string>() + "@" + std::to_string(m["causeMetadata"]["startLine"].get<int>()));
  }
  return out;
}

json RunJson(const std::vector<std::string>& args, int want_exit = 0) {
  ct::RunResult r = ct::RunCustoms(args);
  EXPECT_EQ(r.exit_code, want_exit) << r.Describe();
  std::string err;
  json j = ct::ParseJson(r.out, &err);
  EXPECT_FALSE(j.is_null()) << err << r.out.substr(0, 500) << r.err;
  return j;
}

size_t Count(const json& report) {
  size_t n = 0;
  for (const auto& [file, set] : Findings(report)) n += set.size();
  return n;
}

}  // namespace

TEST(Misconfig, CorpusFindsExactlyTheExpectedChecksAtTheirLines) {
  json expected = ct::ParseJson(ct::ReadFile(ct::SourceDir() + "/tests/misconfig/expected.json"));
  ASSERT_TRUE(expected.is_object());
  ASSERT_GE(expected.size(), 40u) << "at least 40 configuration files";
  json report = RunJson({"config", Corpus(), "-f", "json"});
  auto got = Findings(report);
  std::set<std::string> ids;
  for (const auto& [file, list] : expected.items()) {
    std::multiset<std::string> want;
    for (const auto& e : list) {
      want.insert(e.get<std::string>());
      ids.insert(e.get<std::string>().substr(0, e.get<std::string>().find('@')));
    }
    auto it = got.find(file);
    ASSERT_NE(it, got.end()) << file << " was not detected as a configuration file";
    EXPECT_EQ(it->second, want) << file;
  }
  for (const auto& [file, set] : got) EXPECT_TRUE(expected.contains(file)) << "unexpected target " << file;
  // Every built-in check is exercised by some file of the corpus.
  for (int i = 1; i <= 30; ++i) EXPECT_TRUE(ids.count("CDF-0" + std::string(i < 10 ? "0" : "") + std::to_string(i))) << i;
  for (int i = 1; i <= 37; ++i) EXPECT_TRUE(ids.count("CKS-0" + std::string(i < 10 ? "0" : "") + std::to_string(i))) << i;
  for (int i = 1; i <= 10; ++i) EXPECT_TRUE(ids.count("CDC-0" + std::string(i < 10 ? "0" : "") + std::to_string(i))) << i;
  // The summary counts what the targets hold.
  EXPECT_EQ(report["summary"]["misconfigurations"]["total"].get<size_t>(), Count(report));

  // A finding carries the check's metadata.
  for (const auto& t : report["targets"])
    if (t["target"] == "kubernetes/privileged-pod.yaml")
      for (const auto& m : t["misconfigurations"])
        if (m["id"] == "CKS-001") {
          EXPECT_EQ(m["severity"], "HIGH");
          EXPECT_EQ(m["message"], "Container 'shell' runs privileged");
          EXPECT_FALSE(m["resolution"].get<std::string>().empty());
          EXPECT_FALSE(m["references"].empty());
          EXPECT_EQ(m["causeMetadata"]["endLine"], 14);
        }

  // One file given directly works the same.
  json one = RunJson({"config", Corpus() + "/dockerfile/secrets.Dockerfile", "-f", "json"});
  EXPECT_EQ(Findings(one)["secrets.Dockerfile"],
            (std::multiset<std::string>{"CDF-019@2", "CDF-018@4", "CDF-018@6"}));
}

TEST(Misconfig, UserCheckFiresOnItsFileOnly) {
  json report = RunJson({"config", Corpus(), "-f", "json", "--checks", ct::SourceDir() + "/tests/misconfig/user-checks"});
  size_t fired = 0;
  for (const auto& t : report["targets"])
    for (const auto& m : t["misconfigurations"])
      if (m["id"] == "ACME-001") {
        ++fired;
        EXPECT_EQ(t["target"], "kubernetes/configmap-debug.yaml");
        EXPECT_EQ(m["causeMetadata"]["startLine"], 8);
        EXPECT_EQ(m["message"], "ConfigMap app-settings sets DEBUG=true");
        EXPECT_EQ(m["severity"], "MEDIUM");
      }
  EXPECT_EQ(fired, 1u);
  // The built-in checks still ran alongside.
  EXPECT_EQ(Count(report), 1u + Count(RunJson({"config", Corpus(), "-f", "json"})));
  // --skip-builtin leaves only the user's.
  json only = RunJson({"config", Corpus(), "-f", "json", "--skip-builtin", "--checks",
                       ct::SourceDir() + "/tests/misconfig/user-checks"});
  EXPECT_EQ(Count(only), 1u);
}

TEST(Misconfig, BrokenUserCheckIsAClearErrorWithFileAndLine) {
  const std::string dir = ct::SourceDir() + "/tests/misconfig/broken-checks";
  ct::RunResult r = ct::RunCustoms({"config", Corpus(), "--checks", dir});
  EXPECT_EQ(r.exit_code, 2) << r.Describe();
  EXPECT_NE(r.err.find("broken-checks/typo.yaml:7:"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty()) << "no report when a check does not load";

  ct::TempDir d;
  ct::WriteFile(d / "dup.yaml", "id: CKS-001\ntitle: again\nseverity: LOW\nkind: kubernetes\ndeny: 'false'\n");
  ct::RunResult dup = ct::RunCustoms({"config", Corpus(), "--checks", d.path()});
  EXPECT_EQ(dup.exit_code, 2) << dup.Describe();
  EXPECT_NE(dup.err.find("CKS-001"), std::string::npos) << dup.err;
  ct::WriteFile(d / "dup.yaml", "id: X-1\ntitle: t\nseverity: SEVERE\nkind: kubernetes\ndeny: 'false'\n");
  ct::RunResult sev = ct::RunCustoms({"config", Corpus(), "--checks", d.path()});
  EXPECT_EQ(sev.exit_code, 2) << sev.Describe();
  EXPECT_NE(sev.err.find("dup.yaml:3"), std::string::npos) << sev.err;
}

TEST(Misconfig, SarifValidatesAndPointsAtTheLines) {
  ct::TempDir d;
  const std::string path = d / "out.sarif";
  ct::RunResult r = ct::RunCustoms({"config", Corpus(), "-f", "sarif", "-o", path});
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  EXPECT_TRUE(ValidatesAgainstSchema("sarif-2.1.0", path));
  json sarif = ct::ParseJson(ct::ReadFile(path));
  const json& run = sarif["runs"][0];
  std::map<std::string, std::multiset<std::string>> got;
  for (const auto& res : run["results"]) {
    const auto& loc = res["locations"][0]["physicalLocation"];
    got[loc["artifactLocation"]["uri"].get<std::string>()].insert(res["ruleId"].get<std::string>() + "@" +
                                                                  std::to_string(loc["region"]["startLine"].get<int>()));
    const json& rule = run["tool"]["driver"]["rules"][res["ruleIndex"].get<size_t>()];
    EXPECT_EQ(rule["id"], res["ruleId"]);
    EXPECT_FALSE(rule["help"]["text"].get<std::string>().empty());
  }
  json expected = ct::ParseJson(ct::ReadFile(ct::SourceDir() + "/tests/misconfig/expected.json"));
  for (const auto& [file, list] : expected.items()) {
    std::multiset<std::string> want;
    for (const auto& e : list) want.insert(e.get<std::string>());
    EXPECT_EQ(got[file], want) << file;
  }
}

TEST(Misconfig, IgnoreFileSeverityAndExitCode) {
  ct::TempDir d;
  const std::string corpus = Corpus();
  const size_t all = Count(RunJson({"config", corpus, "-f", "json"}));
  ASSERT_GT(all, 50u);
  // --exit-code counts surviving misconfigurations.
  RunJson({"config", corpus, "-f", "json", "--exit-code", "9"}, 9);
  RunJson({"config", corpus + "/kubernetes/good-deployment.yaml", "-f", "json", "--exit-code", "9"}, 0);
  // --severity filters them (and the gate follows).
  json crit = RunJson({"config", corpus, "-f", "json", "--severity", "CRITICAL"});
  EXPECT_EQ(Count(crit), 2u) << "the two Docker socket mounts";

  // Text ignore file: a check everywhere, and a check only under a path glob.
  ct::WriteFile(d / "ignore", "# accepted: digests are pinned by the deploy tool\nCKS-021\nCDF-003 path:dockerfile/*\n");
  json ign = RunJson({"config", corpus, "-f", "json", "--ignorefile", d / "ignore"});
  auto f = Findings(ign);
  for (const auto& [file, set] : f)
    for (const auto& id : set) {
      EXPECT_NE(id.rfind("CKS-021@", 0), 0u) << file;
      EXPECT_NE(id.rfind("CDF-003@", 0), 0u) << file;
    }
  EXPECT_LT(Count(ign), all);
  // Shown with --show-suppressed, flagged.
  json shown = RunJson({"config", corpus, "-f", "json", "--ignorefile", d / "ignore", "--show-suppressed"});
  EXPECT_EQ(Count(shown), all);

  // YAML ignore file: misconfigurations: with paths; only that file's CDC-005 goes.
  ct::WriteFile(d / "ignore.yaml",
                "misconfigurations:\n  - id: CDC-005\n    paths: [\"compose/bad/*\"]\n    statement: agents are rootful\n");
  json y = RunJson({"config", corpus, "-f", "json", "--ignorefile", d / "ignore.yaml"});
  auto fy = Findings(y);
  EXPECT_EQ(fy["compose/bad/compose.yaml"].count("CDC-005@2"), 0u);
  EXPECT_EQ(fy["compose/docker-compose.override.yml"].count("CDC-005@5"), 1u) << "other paths keep it";

  // Every finding ignored: the exit code gate passes.
  ct::WriteFile(d / "one", "CDF-023\nCDF-005\n");
  RunJson({"config", corpus + "/dockerfile/svc/Dockerfile", "-f", "json", "--exit-code", "3", "--ignorefile", d / "one"}, 0);
  RunJson({"config", corpus + "/dockerfile/svc/Dockerfile", "-f", "json", "--exit-code", "3"}, 3);

  // The table names the file, the check and the line.
  ct::RunResult t = ct::RunCustoms({"config", corpus + "/dockerfile/svc/Dockerfile"});
  EXPECT_EQ(t.exit_code, 0) << t.Describe();
  EXPECT_NE(t.out.find("CDF-005"), std::string::npos) << t.out;
  EXPECT_NE(t.out.find("Misconfigurations: 2"), std::string::npos) << t.out;
}

TEST(Misconfig, ParseProblemsAreWarningsNotFailures) {
  ct::TempDir d;
  ct::WriteFile(d / "Dockerfile", "FROM alpine:3.20\nFROBNICATE everything\nUSER 1000\n");
  ct::WriteFile(d / "bad.yaml", "apiVersion: v1\nkind: Pod\nspec: [unclosed\n");
  ct::RunResult r = ct::RunCustoms({"config", d.path(), "-f", "json"});
  EXPECT_EQ(r.exit_code, 0) << r.Describe();
  EXPECT_NE(r.err.find("warning"), std::string::npos) << r.err;
  json j = ct::ParseJson(r.out);
  ASSERT_TRUE(j.is_object()) << r.out;
  EXPECT_FALSE(j["diagnostics"].empty());
}

TEST(Misconfig, FsScannerMisconfig) {
  json report = RunJson({"fs", Corpus(), "--scanners", "misconfig", "-f", "json"});
  json expected = ct::ParseJson(ct::ReadFile(ct::SourceDir() + "/tests/misconfig/expected.json"));
  auto got = Findings(report);
  for (const auto& [file, list] : expected.items()) {
    std::multiset<std::string> want;
    for (const auto& e : list) want.insert(e.get<std::string>());
    EXPECT_EQ(got[file], want) << file;
  }
  // Not a default scanner.
  json plain = RunJson({"fs", Corpus(), "--scanners", "secret", "-f", "json"});
  EXPECT_TRUE(Findings(plain).empty());
  // User checks work on fs as on config; without --scanners misconfig they are a usage error.
  const std::string user = ct::SourceDir() + "/tests/misconfig/user-checks";
  json only = RunJson({"fs", Corpus(), "--scanners", "misconfig", "--skip-builtin", "--checks", user, "-f", "json"});
  auto mine = Findings(only);
  EXPECT_EQ(Count(only), 1u);
  EXPECT_EQ(mine["kubernetes/configmap-debug.yaml"], std::multiset<std::string>{"ACME-001@8"});
  ct::RunResult no = ct::RunCustoms({"fs", Corpus(), "--checks", user});
  EXPECT_EQ(no.exit_code, 2) << no.Describe();
  EXPECT_NE(no.err.find("--checks and --skip-builtin need --scanners misconfig"), std::string::npos) << no.err;
  ct::RunResult broken = ct::RunCustoms({"fs", Corpus(), "--scanners", "misconfig", "--checks",
                                         ct::SourceDir() + "/tests/misconfig/broken-checks"});
  EXPECT_EQ(broken.exit_code, 2) << broken.Describe();
  EXPECT_NE(broken.err.find("broken-checks/typo.yaml:7:"), std::string::npos) << broken.err;
}

// CKS-038 (scope: all) sees the manifests of a scan together: a Namespace is reported in its own file
// unless a NetworkPolicy of it is in any scanned file.
TEST(Misconfig, NetworkPolicyPresenceSpansFiles) {
  ct::TempDir d;
  ct::WriteFile(d / "app.yaml",
                "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n---\n"
                "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ops\n---\n"
                "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\n");
  auto ids = [](const json& report) {
    std::multiset<std::string> out;
    for (const auto& [file, set] : Findings(report))
      for (const auto& f : set)
        if (f.rfind("CKS-038@", 0) == 0) out.insert(file + ":" + f);
    return out;
  };
  EXPECT_EQ(ids(RunJson({"config", d.path(), "-f", "json"})),
            (std::multiset<std::string>{"app.yaml:CKS-038@1", "app.yaml:CKS-038@6"}));
  ct::WriteFile(d / "policy/shop.yaml",
                "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: deny\n  namespace: shop\n"
                "spec:\n  podSelector: {}\n  policyTypes: [Ingress, Egress]\n");
  EXPECT_EQ(ids(RunJson({"config", d.path(), "-f", "json"})), (std::multiset<std::string>{"app.yaml:CKS-038@6"}));
  EXPECT_EQ(ids(RunJson({"fs", d.path(), "--scanners", "misconfig", "-f", "json"})),
            (std::multiset<std::string>{"app.yaml:CKS-038@6"}));
  // One file alone cannot see the policy.
  EXPECT_EQ(ids(RunJson({"config", d / "app.yaml", "-f", "json"})).size(), 2u);
}

TEST(Misconfig, ImageScannerChecksFilesAndTheImageConfig) {
  ct::TempDir d;
  const std::string dockerfile = "FROM ubuntu:latest\nRUN apt-get update && apt-get install -y curl\nCMD [\"bash\"]\n";
  const std::string manifest = ct::ReadFile(Corpus() + "/kubernetes/privileged-pod.yaml");
  std::vector<ct::Layer> layers;
  layers.push_back(ct::MakeLayer(d.path(), {ct::TarEntry::Dir("src"), ct::TarEntry::File("src/Dockerfile", dockerfile),
                                            ct::TarEntry::File("src/old.yaml", manifest)},
                                 ct::Compression::kGzip, "COPY . /src"));
  layers.push_back(ct::MakeLayer(d.path(), {ct::TarEntry::Whiteout("src/old.yaml")}, ct::Compression::kNone,
                                 "RUN rm /src/old.yaml"));
  ct::ImageConfig cfg;
  cfg.env.push_back("DB_PASSWORD=hunter2");
  cfg.mutate = [](json& c) {
    c["history"].push_back({{"created", "2024-05-01T12:00:00Z"},
                            {"created_by", "ADD https://example.com/tool.tar.gz /opt/ # buildkit"},
                            {"empty_layer", true}});
  };
  const std::string image = d / "img.tar";
  ct::WriteDockerArchive(image, layers, cfg);
  json report = RunJson({"image", "--input", image, "--scanners", "misconfig", "-f", "json"});
  auto got = Findings(report);
  EXPECT_EQ(got["src/Dockerfile"],
            (std::multiset<std::string>{"CDF-001@1", "CDF-003@1", "CDF-004@1", "CDF-023@1", "CDF-008@2", "CDF-010@2",
                                        "CDF-013@2"}))
      << report.dump(1).substr(0, 3000);
  EXPECT_EQ(got.count("src/old.yaml"), 0u) << "deleted by a later layer";
  std::multiset<std::string> cfg_ids;
  for (const auto& id : got["image-config"]) cfg_ids.insert(id.substr(0, id.find('@')));
  EXPECT_EQ(cfg_ids, (std::multiset<std::string>{"CIC-001", "CIC-002", "CIC-003", "CIC-004"}));
  for (const auto& t : report["targets"])
    if (t["target"] == "src/Dockerfile") {
      ASSERT_TRUE(t["layer"].is_object());
      EXPECT_EQ(t["layer"]["index"], 0);
    }
  // SARIF of an image scan validates too.
  const std::string sarif = d / "img.sarif";
  ct::RunResult s = ct::RunCustoms({"image", "--input", image, "--scanners", "misconfig", "-f", "sarif", "-o", sarif});
  ASSERT_EQ(s.exit_code, 0) << s.Describe();
  EXPECT_TRUE(ValidatesAgainstSchema("sarif-2.1.0", sarif));
}
