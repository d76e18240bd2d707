// Helpers for the version comparison tests (tests/unit/version_*_test.cpp): hand vectors, order
// properties over real data, running an oracle program over a batch.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "support/fixtures.h"
#include "version/version.h"

namespace customs::version_test {

using version::Comparator;

inline int Sign(int c) { return (c > 0) - (c < 0); }

inline const char* Rel(int s) { return s < 0 ? "<" : s > 0 ? ">" : "=="; }

inline const Comparator& Get(std::string_view scheme) {
  const Comparator* c = version::ComparatorFor(scheme);
  if (!c) {
    ADD_FAILURE() << "no comparator for " << scheme;
    static const Comparator* fallback = version::Schemes().front().comparator;
    return *fallback;
  }
  return *c;
}

inline std::filesystem::path SharedDir() { return std::filesystem::path(customs_test::SharedDir()); }

// A hand-written expectation: sign(Compare(a, b)) == want, with the rule it illustrates.
struct Vector {
  std::string_view a, b;
  int want;  // -1, 0, 1
  std::string_view why;
};

// Checks every vector both ways (Compare(b, a) must have the opposite sign).
inline void CheckVectors(const Comparator& c, const std::vector<Vector>& vectors) {
  for (const Vector& v : vectors) {
    EXPECT_EQ(Sign(c.Compare(v.a, v.b)), v.want)
        << c.Scheme() << ": \"" << v.a << "\" " << Rel(v.want) << " \"" << v.b << "\" expected (" << v.why << ")";
    EXPECT_EQ(Sign(c.Compare(v.b, v.a)), -v.want)
        << c.Scheme() << ": reversed \"" << v.b << "\" vs \"" << v.a << "\" (" << v.why << ")";
  }
}

// Deterministic pseudo-random indices (std::mt19937's raw output is specified by the standard; the
// distributions are not, so they are not used).
class Rng {
 public:
  explicit Rng(uint32_t seed) : g_(seed) {}
  size_t Below(size_t n) { return n == 0 ? 0 : static_cast<size_t>(g_() % n); }
  template <typename T>
  const T& Pick(const std::vector<T>& v) {
    return v[Below(v.size())];
  }

 private:
  std::mt19937 g_;
};

// Distinct values in first-seen order.
inline std::vector<std::string> Distinct(const std::vector<std::string>& in) {
  std::set<std::string> seen;
  std::vector<std::string> out;
  for (const auto& s : in)
    if (seen.insert(s).second) out.push_back(s);
  return out;
}

// Sorts `versions` with the comparator (a merge sort, which stays within bounds whatever the
// comparator does) and checks that the comparator is a total preorder on them: for i < j of the
// sorted list, Compare(v[i], v[j]) is 0 exactly when i and j are in the same run of equal
// neighbours, else < 0, and Compare(v[j], v[i]) has the opposite sign; Compare(v, v) == 0. Every
// pair is checked up to `max_pairs`, beyond that a deterministic sample of that many pairs.
// Returns the sorted list.
inline std::vector<std::string> CheckTotalPreorder(const Comparator& c, std::vector<std::string> versions,
                                                   size_t max_pairs = 400000) {
  std::stable_sort(versions.begin(), versions.end(),
                   [&c](const std::string& a, const std::string& b) { return c.Compare(a, b) < 0; });
  const size_t n = versions.size();
  std::vector<size_t> block(n, 0);
  for (size_t i = 1; i < n; ++i) block[i] = block[i - 1] + (c.Compare(versions[i - 1], versions[i]) != 0);
  int failures = 0;
  auto check = [&](size_t i, size_t j) {  // i < j
    int want = block[i] == block[j] ? 0 : -1;
    int fwd = Sign(c.Compare(versions[i], versions[j]));
    int back = Sign(c.Compare(versions[j], versions[i]));
    if ((fwd != want || back != -want) && failures++ < 20)
      ADD_FAILURE() << c.Scheme() << ": not a total preorder: \"" << versions[i] << "\" vs \"" << versions[j]
                    << "\" gives " << fwd << " and reversed " << back << ", sorted positions " << i << " < " << j
                    << " want " << want;
  };
  for (size_t i = 0; i < n; ++i)
    if (c.Compare(versions[i], versions[i]) != 0 && failures++ < 20)
      ADD_FAILURE() << c.Scheme() << ": Compare(v, v) != 0 for \"" << versions[i] << "\"";
  if (n * (n - 1) / 2 <= max_pairs) {
    for (size_t i = 0; i < n; ++i)
      for (size_t j = i + 1; j < n; ++j) check(i, j);
  } else {
    Rng rng(12345);
    for (size_t k = 0; k < max_pairs; ++k) {
      size_t i = rng.Below(n), j = rng.Below(n);
      if (i == j) continue;
      check(std::min(i, j), std::max(i, j));
    }
    for (size_t i = 0; i + 1 < n; ++i) check(i, i + 1);
  }
  if (failures > 20) ADD_FAILURE() << c.Scheme() << ": " << failures << " order violations in all";
  return versions;
}

// Runs an oracle program with `input` on stdin; returns its stdout lines, or nullopt (with a test
// failure) when it does not exit 0.
inline std::optional<std::vector<std::string>> RunOracle(const std::vector<std::string>& argv, const std::string& input,
                                                         const std::vector<std::string>& env = {},
                                                         int timeout_seconds = 120) {
  customs_test::RunOptions opts;
  opts.stdin_data = input;
  opts.env = env;
  opts.timeout_seconds = timeout_seconds;
  customs_test::RunResult r = customs_test::Run(argv, opts);
  if (r.exit_code != 0) {
    ADD_FAILURE() << "oracle " << argv.front() << " failed: " << r.Describe();
    return std::nullopt;
  }
  std::vector<std::string> lines;
  std::istringstream in(r.out);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// True when `program` runs (`program args...` exits 0).
inline bool Runs(const std::vector<std::string>& argv) {
  customs_test::RunOptions opts;
  opts.timeout_seconds = 60;
  return customs_test::Run(argv, opts).exit_code == 0;
}

// ---------------------------------------------------------------------------------------------
// Real data shared by several schemes.

inline std::optional<std::string> Slurp(const std::filesystem::path& p) {
  try {
    return customs_test::ReadFile(p.string());
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

// Every version of the Go vulnerability database snapshot (affected[].ranges[].events values and
// affected[].versions), as written there: without the "v" ("1.2.3", "0.0.0-2019...-abc",
// "2.0.0+incompatible", and "0" for "introduced at the beginning").
inline std::vector<std::string> OsvGoVersions() {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(SharedDir() / "vulndata" / "osv-go", ec)) {
    if (e.path().extension() != ".json") continue;
    auto text = Slurp(e.path());
    if (!text) continue;
    nlohmann::json j = nlohmann::json::parse(*text, nullptr, false);
    if (!j.is_object() || !j.contains("affected")) continue;
    for (const auto& a : j["affected"]) {
      for (const auto& r : a.value("ranges", nlohmann::json::array()))
        for (const auto& ev : r.value("events", nlohmann::json::array()))
          for (const auto& [k, v] : ev.items())
            if (v.is_string()) out.push_back(v.get<std::string>());
      for (const auto& v : a.value("versions", nlohmann::json::array()))
        if (v.is_string()) out.push_back(v.get<std::string>());
    }
  }
  return out;
}

// The versions named in the RustSec advisories' `patched` and `unaffected` requirements
// ("^1.2.3", ">= 0.9.1, < 0.10.0"): crates.io versions.
inline std::vector<std::string> RustsecVersions() {
  std::vector<std::string> out;
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(SharedDir() / "vulndata" / "rustsec", ec);
       it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) break;
    if (it->path().extension() != ".md") continue;
    auto text = Slurp(it->path());
    if (!text) continue;
    std::istringstream in(*text);
    for (std::string line; std::getline(in, line);) {
      if (!line.starts_with("patched") && !line.starts_with("unaffected")) continue;
      // Versions are the runs of [0-9A-Za-z.+-] that start with a digit, after an operator.
      for (size_t i = line.find('['); i != std::string::npos && i < line.size(); ++i) {
        if (!version::detail::IsDigit(line[i]) || version::detail::IsAlnum(line[i - 1]) || line[i - 1] == '.') continue;
        size_t j = i;
        while (j < line.size() &&
               (version::detail::IsAlnum(line[j]) || line[j] == '.' || line[j] == '-' || line[j] == '+'))
          ++j;
        out.push_back(line.substr(i, j - i));
        i = j;
      }
    }
  }
  return out;
}

// A random semver-like string: mostly valid SemVer 2.0.0, with the near misses parsers get wrong
// (leading zeros, empty identifiers, missing parts, '-' and '+' in odd places). With `loose`, also
// the spellings node-semver's loose mode accepts ("v1.2.3", "=1.2.3", " 1.2.3 ", "1.2.3beta").
inline std::string RandomSemverish(Rng& rng, bool loose) {
  static const std::vector<std::string> kNumbers = {"0",  "1",   "2",  "3",  "9",           "10",
                                                    "11", "123", "01", "00", "999999999999"};
  static const std::vector<std::string> kIdents = {"alpha", "beta", "rc",  "0",  "1",    "2",  "10",
                                                   "11",    "01",   "a-b", "-",  "x",    "Z",  "alpha1",
                                                   "1a",    "pre",  "",    "-1", "rc-1", "a.b"};
  auto number = [&]() { return rng.Below(8) == 0 ? rng.Pick(kNumbers) : std::to_string(rng.Below(4)); };
  std::string v = number() + "." + number();
  if (rng.Below(20) != 0) v += "." + number();
  if (rng.Below(2) == 0) {
    v += (loose && rng.Below(4) == 0) ? "" : "-";
    size_t n = 1 + rng.Below(3);
    for (size_t i = 0; i < n; ++i) v += (i ? "." : "") + rng.Pick(kIdents);
  }
  if (rng.Below(5) == 0)
    v += "+" + std::vector<std::string>{"build", "001", "b.1", "exp.sha.5114f85", "", "a_b"}[rng.Below(6)];
  if (loose) {
    switch (rng.Below(10)) {
      case 0:
        v = "v" + v;
        break;
      case 1:
        v = "=" + v;
        break;
      case 2:
        v = " " + v + " ";
        break;
      case 3:
        v = "v=v " + v;
        break;
      case 4:
        v += ".4";
        break;
      default:
        break;
    }
  } else if (rng.Below(30) == 0) {
    v = "v" + v;
  }
  return v;
}

// ---------------------------------------------------------------------------------------------
// node-semver through tests/node/semver_oracle.js.

struct NodeSemverAnswer {
  bool valid_a, valid_b;
  std::optional<int> cmp;  // when both are valid
};

inline std::filesystem::path NodeDir() { return std::filesystem::path(CUSTOMS_SOURCE_DIR) / "tests" / "node"; }

// Empty when the oracle can run, else why not.
inline std::string NodeSemverMissing() {
  if (!Runs({"node", "--version"})) return "node is not installed (apt-get install nodejs npm)";
  if (std::filesystem::exists(NodeDir() / "node_modules" / "semver" / "package.json")) return "";
  if (const char* env = std::getenv("CUSTOMS_NODE_MODULES"))
    if (std::filesystem::exists(std::filesystem::path(env) / "semver" / "package.json")) return "";
  return "the npm package semver is not in tests/node/node_modules (bash scripts/test-node-deps.sh) nor in "
         "$CUSTOMS_NODE_MODULES";
}

// node-semver's answers for (a, b) pairs; `loose` is node-semver's option. Strings must not hold
// tabs or newlines. Returns nullopt (with a test failure) when the script fails.
inline std::optional<std::vector<NodeSemverAnswer>> AskNodeSemver(
    const std::vector<std::pair<std::string, std::string>>& pairs, bool loose, std::string* package_version) {
  std::string input;
  for (const auto& [a, b] : pairs) input += std::string(loose ? "loose" : "strict") + "\t" + a + "\t" + b + "\n";
  auto lines = RunOracle({"node", (NodeDir() / "semver_oracle.js").string()}, input);
  if (!lines) return std::nullopt;
  if (lines->empty() || !(*lines)[0].starts_with("semver ")) {
    ADD_FAILURE() << "semver_oracle.js: no header line";
    return std::nullopt;
  }
  *package_version = (*lines)[0].substr(7);
  std::vector<NodeSemverAnswer> out;
  for (size_t i = 1; i < lines->size(); ++i) {
    std::istringstream f((*lines)[i]);
    int va = 0, vb = 0;
    std::string cmp;
    f >> va >> vb >> cmp;
    NodeSemverAnswer a{va == 1, vb == 1, std::nullopt};
    if (cmp != "x") a.cmp = Sign(std::stoi(cmp));
    out.push_back(a);
  }
  if (out.size() != pairs.size()) {
    ADD_FAILURE() << "semver_oracle.js answered " << out.size() << " of " << pairs.size();
    return std::nullopt;
  }
  return out;
}

}  // namespace customs::version_test
