// dpkg version comparison, against dpkg itself (`dpkg --compare-versions`).
//
// Real data: every version of the Debian bullseye image's status file and the fixed versions of
// the Debian security tracker's DSA and DLA lists ("[release] - srcpkg version"): those of the
// image's source packages (the comparisons a scan makes) and an even sample of the rest, about a
// thousand distinct versions. They are sorted with our comparator, which must be a total preorder
// on them, and then dpkg checks every neighbour pair of the sorted list: "lt" where we say older,
// "eq" where we say equal. dpkg's order is itself a total preorder, so agreeing on all neighbours
// means agreeing on every one of the ~500,000 pairs of the set, at the cost of one dpkg run per
// version. The runs are batched in two shell scripts (one per core) rather than one process per
// comparison from the test.
//
// The hand-written vectors below were checked with dpkg 1.21 (`dpkg --compare-versions A lt B`);
// when dpkg is installed the test checks them with it again.
#include <future>
#include <map>
#include <tuple>

#include "analyzers_test_util.h"
#include "version_test_util.h"

namespace customs::version_test {
namespace {

const std::vector<Vector> kVectors = {
    {"1.0", "1.0", 0, "identical"},
    {"1.0", "1.0-0", 0, "an absent revision is like 0"},
    {"1.0", "1.00", 0, "numbers compare numerically"},
    {"0:1.0", "1.0", 0, "an absent epoch is 0"},
    {"1:1.0", "2.0", 1, "the epoch first"},
    {"1:0.1", "0:99", 1, "the epoch first"},
    {"1.2", "1.10", -1, "numeric runs"},
    {"1.0~rc1", "1.0", -1, "~ sorts before the end"},
    {"1.0~~", "1.0~", -1, "~~ before ~"},
    {"1.0~~a", "1.0~", -1, "~~ before ~"},
    {"1.0~", "1.0", -1, "~ before the end"},
    {"1.0", "1.0a", -1, "the end before a letter"},
    {"1.0a", "1.0+", -1, "letters before non-letters"},
    {"1.0+", "1.0.", -1, "'+' (0x2b) before '.' (0x2e)"},
    {"1.0a", "1.0A", 1, "letters in ASCII order: 'A' < 'a'"},
    {"1.0-1", "1.0-1~bpo1", 1, "~ in the revision"},
    {"2.30-1", "2.30-1+deb11u1", -1, "security update revision"},
    {"2.30-1+deb11u1", "2.30-1+deb11u2", -1, "numeric within the revision"},
    {"1.2.3-1~deb10u1", "1.2.3-1", -1, "backport below the original"},
    {"1.2.3-1~deb10u1", "1.2.3-1~deb9u1", 1, "deb10 > deb9"},
    {"102.9.0esr-1~deb11u1", "102.10.0esr-1~deb11u1", -1, "numeric runs inside letters"},
    {"1.2-3-4", "1.2-3-5", -1, "the revision is after the last '-'"},
    {"1.2-3-4", "1.2-3", 1, "upstream 1.2-3 > 1.2"},
    {"1:2.36.1-7", "1:2.36.1-8", -1, "revisions"},
    {"0.5.11+git20200708+dd9ef66-5", "0.5.11-1", 1, "'+' after the end of the run"},
    {"1.0.0", "1.0", 1, "more parts"},
    {"1.0.a", "1.0", 1, "'.' after the end"},
    {"1a", "1.", -1, "letter before non-letter"},
    {"00001", "1", 0, "leading zeros"},
    {"1.99999999999999999999", "1.100000000000000000000", -1, "numbers beyond 64 bits"},
    {"", "0", 0, "an empty version is 0, as dpkg's blank version"},
};

TEST(VersionDpkg, HandVectors) { CheckVectors(Get("dpkg"), kVectors); }

TEST(VersionDpkg, Valid) {
  const Comparator& c = Get("dpkg");
  for (std::string_view v : {"1", "1.0", "1:1.0-1", "1.0-1+deb11u1", "2:1.2~rc1+dfsg-3~bpo1", "1.2-3-4",
                             "0.5.11+git20200708+dd9ef66-5", "1:2:3-1"})
    EXPECT_TRUE(c.Valid(v)) << v;
  for (std::string_view v : {"", "a1.0", "1.0-", "-1", "x:1.0", "1:", "1.0 1", "1.0_1", "1.0-1_2"})
    EXPECT_FALSE(c.Valid(v)) << v;
}

struct DebianData {
  std::vector<std::string> installed;                     // status file versions
  std::map<std::string, std::string> source;              // binary package -> source package
  std::map<std::string, std::vector<std::string>> fixed;  // source package -> fixed versions
};

DebianData LoadDebian() {
  DebianData d;
  auto status = analyzers_test::ReadFile((SharedDir() / "images" / "debian" / "bullseye-11.0.status").string());
  if (status) {
    std::istringstream in(*status);
    std::string package, src;
    for (std::string line; std::getline(in, line);) {
      if (line.starts_with("Package: ")) package = line.substr(9), src = package;
      if (line.starts_with("Source: ")) src = line.substr(8, line.find(' ', 8) - 8);
      if (line.starts_with("Version: ")) {
        d.installed.push_back(line.substr(9));
        d.source[package] = src;
      }
    }
  }
  for (std::string_view list : {"DSA.list", "DLA.list"}) {
    auto text = analyzers_test::ReadFile((SharedDir() / "vulndata" / "debian-tracker" / list).string());
    if (!text) continue;
    std::istringstream in(*text);
    for (std::string line; std::getline(in, line);) {
      // "\t[bullseye] - xorg-server 2:1.20.11-1+deb11u6"
      std::istringstream f(line);
      std::string release, dash, pkg, version;
      if (!(f >> release >> dash >> pkg >> version)) continue;
      if (release.front() != '[' || dash != "-" || version.front() == '<') continue;
      d.fixed[pkg].push_back(version);
    }
  }
  return d;
}

std::string ShellQuote(std::string_view s) {
  std::string out = "'";
  for (char ch : s) {
    if (ch == '\'')
      out += "'\\''";
    else
      out.push_back(ch);
  }
  return out + "'";
}

// Asks dpkg about each (a, op, b); returns one bool per question, or nullopt when dpkg failed.
std::optional<std::vector<bool>> AskDpkg(const std::vector<std::tuple<std::string, std::string, std::string>>& qs) {
  // Two scripts, one per core.
  auto run_half = [&qs](size_t begin, size_t end) -> std::optional<std::vector<std::string>> {
    std::string script;
    for (size_t i = begin; i < end; ++i) {
      const auto& [a, op, b] = qs[i];
      script += "dpkg --compare-versions " + ShellQuote(a) + " " + op + " " + ShellQuote(b) +
                " 2>/dev/null && echo y || echo n\n";
    }
    return RunOracle({"sh"}, script);
  };
  size_t mid = qs.size() / 2;
  auto first = std::async(std::launch::async, run_half, 0, mid);
  auto second = run_half(mid, qs.size());
  auto first_lines = first.get();
  if (!first_lines || !second) return std::nullopt;
  std::vector<bool> out;
  for (const auto* lines : {&*first_lines, &*second})
    for (const auto& l : *lines) out.push_back(l == "y");
  if (out.size() != qs.size()) {
    ADD_FAILURE() << "dpkg answered " << out.size() << " of " << qs.size() << " questions";
    return std::nullopt;
  }
  return out;
}

bool HaveDpkg() { return Runs({"dpkg", "--compare-versions", "1", "lt", "2"}); }

TEST(VersionDpkg, HandVectorsAgainstDpkg) {
  if (!HaveDpkg()) GTEST_SKIP() << "dpkg is not installed: oracle check of the hand vectors skipped";
  // Each vector twice: its relation (dpkg must say yes) and a wrong one (dpkg must say no), so that
  // a dpkg that answers yes to everything cannot pass.
  std::vector<std::tuple<std::string, std::string, std::string>> qs;
  for (const Vector& v : kVectors) {
    if (v.a.empty() || v.b.empty()) continue;  // dpkg refuses empty versions
    qs.emplace_back(std::string(v.a), v.want < 0 ? "lt" : v.want > 0 ? "gt" : "eq", std::string(v.b));
    qs.emplace_back(std::string(v.a), v.want < 0 ? "ge" : v.want > 0 ? "le" : "ne", std::string(v.b));
  }
  auto answers = AskDpkg(qs);
  ASSERT_TRUE(answers);
  for (size_t i = 0; i < qs.size(); ++i)
    EXPECT_EQ((*answers)[i], i % 2 == 0) << "dpkg disagrees: " << std::get<0>(qs[i]) << " " << std::get<1>(qs[i]) << " "
                                         << std::get<2>(qs[i]) << " is " << ((*answers)[i] ? "true" : "false");
}

TEST(VersionDpkg, RealDataAgainstDpkg) {
  const Comparator& c = Get("dpkg");
  DebianData d = LoadDebian();
  if (d.installed.empty() || d.fixed.empty()) GTEST_SKIP() << "no Debian data in " << SharedDir();

  // The set: installed versions, the fixed versions of the image's source packages, then every
  // k-th of all the other fixed versions, up to about 1000.
  std::vector<std::string> set = d.installed;
  std::set<std::string> sources;
  for (const auto& [pkg, src] : d.source) sources.insert(src), sources.insert(pkg);
  std::vector<std::string> others;
  for (const auto& [src, versions] : d.fixed) {
    bool ours = sources.count(src) > 0;
    for (const auto& v : versions) (ours ? set : others).push_back(v);
  }
  set = Distinct(set);
  others = Distinct(others);
  const size_t target = 1000;
  size_t step = set.size() >= target ? others.size() + 1 : std::max<size_t>(1, others.size() / (target - set.size()));
  for (size_t i = 0; i < others.size(); i += step) set.push_back(others[i]);
  set = Distinct(set);
  EXPECT_GT(set.size(), 800u);
  for (const auto& v : set) EXPECT_TRUE(c.Valid(v)) << v;

  std::vector<std::string> sorted = CheckTotalPreorder(c, set);
  if (!HaveDpkg()) GTEST_SKIP() << "dpkg is not installed: oracle check skipped (order properties checked)";
  std::vector<std::tuple<std::string, std::string, std::string>> qs;
  for (size_t i = 0; i + 1 < sorted.size(); ++i)
    qs.emplace_back(sorted[i], c.Compare(sorted[i], sorted[i + 1]) == 0 ? "eq" : "lt", sorted[i + 1]);
  auto answers = AskDpkg(qs);
  ASSERT_TRUE(answers);
  int bad = 0;
  for (size_t i = 0; i < qs.size(); ++i)
    if (!(*answers)[i] && bad++ < 20)
      ADD_FAILURE() << "dpkg disagrees: " << std::get<0>(qs[i]) << " " << std::get<1>(qs[i]) << " "
                    << std::get<2>(qs[i]);
  EXPECT_EQ(bad, 0) << "of " << qs.size() << " neighbour pairs";
}

}  // namespace
}  // namespace customs::version_test
