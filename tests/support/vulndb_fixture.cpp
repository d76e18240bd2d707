#include "support/vulndb_fixture.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <mutex>
#include <random>
#include <sstream>
#include <stdexcept>

namespace fs = std::filesystem;

namespace customs_test {

namespace {

std::mutex g_mu;
bool g_done = false;
std::string g_path, g_error;

std::string TmpRoot() {
  const char* t = std::getenv("TMPDIR");
  return (t && *t) ? t : "/tmp";
}

void BuildShared() {
  struct stat st {};
  if (::stat(CustomsBin().c_str(), &st) != 0) {
    g_error = CustomsBin() + ": not built";
    return;
  }
  const std::string dir = TmpRoot() + "/customs-vulndb-cache";
  std::error_code ec;
  fs::create_directories(dir, ec);
  const std::string key = std::to_string(int64_t(st.st_mtim.tv_sec)) + "." +
                          std::to_string(int64_t(st.st_mtim.tv_nsec)) + "-" + std::to_string(int64_t(st.st_size));
  const std::string final_path = dir + "/shared-vulndata-" + key + ".db";
  struct stat fst {};
  if (::stat(final_path.c_str(), &fst) == 0 && fst.st_size > 0) {
    g_path = final_path;
    return;
  }
  std::random_device rd;
  const std::string tmp = dir + "/.building-" + std::to_string(::getpid()) + "-" + std::to_string(rd()) + ".db";
  RunResult r = BuildVulnDb(SharedDir() + "/vulndata", tmp);
  if (r.exit_code != 0) {
    g_error = "customs db build --from " + SharedDir() + "/vulndata failed: " + r.Describe();
    std::remove(tmp.c_str());
    return;
  }
  // rename(2) is atomic: another process may have won the race; either file is complete.
  if (std::rename(tmp.c_str(), final_path.c_str()) != 0) {
    g_error = "cannot rename " + tmp + " to " + final_path;
    std::remove(tmp.c_str());
    return;
  }
  g_path = final_path;
}

}  // namespace

RunResult BuildVulnDb(const std::string& from, const std::string& out) {
  RunOptions o;
  o.env = {"CUSTOMS_FIXED_TIME=2026-11-23T00:00:00Z"};
  return RunCustoms({"db", "build", "--from", from, "-o", out}, o);
}

std::string SharedVulnDb() {
  std::lock_guard<std::mutex> lock(g_mu);
  if (!g_done) {
    BuildShared();
    g_done = true;
  }
  return g_path;
}

std::string SharedVulnDbError() {
  std::lock_guard<std::mutex> lock(g_mu);
  return g_error;
}

ImageInfo AlpineDockerArchive(const std::string& version, const std::string& out_tar) {
  std::string path;
  for (const auto& f : AlpineMinirootfsFiles())
    if (f.version == version) path = f.path;
  if (path.empty()) throw std::runtime_error("alpine-minirootfs-" + version + "-x86_64.tar.gz not in " + SharedDir());
  const std::string layers = out_tar + ".layers";
  std::vector<Layer> l = {MakeLayer(layers, ReadTarEntries(path), Compression::kNone,
                                    "ADD alpine-minirootfs-" + version + "-x86_64.tar.gz / # buildkit")};
  DockerArchiveOptions o;
  o.repo_tags = {"customs-test/alpine:" + version};
  return WriteDockerArchive(out_tar, l, {}, o);
}

std::string BullseyeRootfs(const std::string& dir) {
  WriteFile(dir + "/var/lib/dpkg/status", ReadFile(SharedDir() + "/images/debian/bullseye-11.0.status"));
  // /etc/os-release (-> ../usr/lib/os-release) of Debian 11.
  WriteFile(dir + "/etc/os-release",
            "PRETTY_NAME=\"Debian GNU/Linux 11 (bullseye)\"\n"
            "NAME=\"Debian GNU/Linux\"\n"
            "VERSION_ID=\"11\"\n"
            "VERSION=\"11 (bullseye)\"\n"
            "VERSION_CODENAME=bullseye\n"
            "ID=debian\n"
            "HOME_URL=\"https://www.debian.org/\"\n"
            "SUPPORT_URL=\"https://www.debian.org/support\"\n"
            "BUG_REPORT_URL=\"https://bugs.debian.org/\"\n");
  WriteFile(dir + "/etc/debian_version", "11.0\n");
  return dir;
}

std::vector<nlohmann::json> ReportVulnerabilities(const nlohmann::json& report) {
  std::vector<nlohmann::json> out;
  if (!report.is_object() || !report.contains("targets") || !report["targets"].is_array()) return out;
  for (const auto& t : report["targets"]) {
    if (!t.is_object() || !t.contains("packages") || !t["packages"].is_array()) continue;
    for (const auto& p : t["packages"]) {
      if (!p.is_object() || !p.contains("vulnerabilities") || !p["vulnerabilities"].is_array()) continue;
      for (auto v : p["vulnerabilities"]) {
        v["_package"] = p.value("name", "");
        v["_purl"] = p.value("purl", "");
        out.push_back(v);
      }
    }
  }
  return out;
}

FindingSet ReportFindings(const nlohmann::json& report) {
  FindingSet s;
  for (const auto& v : ReportVulnerabilities(report)) s.insert({v["_package"], v.value("id", "")});
  return s;
}

FindingSet ReportFindingIds(const nlohmann::json& report) {
  FindingSet s;
  for (const auto& v : ReportVulnerabilities(report)) {
    s.insert({v["_package"], v.value("id", "")});
    if (v.contains("aliases") && v["aliases"].is_array())
      for (const auto& a : v["aliases"])
        if (a.is_string()) s.insert({v["_package"], a.get<std::string>()});
  }
  return s;
}

bool FindingsEqual(const nlohmann::json& report, const FindingSet& expected, std::string* diff) {
  std::ostringstream ss;
  bool ok = true;
  const FindingSet ids = ReportFindingIds(report);
  size_t missing = 0, extra = 0, dup = 0;
  for (const auto& e : expected) {
    if (!ids.count(e)) {
      ok = false;
      if (missing++ < 40) ss << "\n  missing:    " << e.first << " " << e.second;
    }
  }
  std::map<std::pair<std::string, std::string>, int> seen;
  for (const auto& v : ReportVulnerabilities(report)) {
    const std::string pkg = v["_package"];
    const std::string id = v.value("id", "");
    if (++seen[{pkg, id}] == 2) {
      ok = false;
      if (dup++ < 40) ss << "\n  duplicate:  " << pkg << " " << id;
    }
    bool match = expected.count({pkg, id}) > 0;
    std::string aliases;
    if (v.contains("aliases") && v["aliases"].is_array())
      for (const auto& a : v["aliases"])
        if (a.is_string()) {
          aliases += " " + a.get<std::string>();
          if (expected.count({pkg, a.get<std::string>()})) match = true;
        }
    if (!match) {
      ok = false;
      if (extra++ < 40)
        ss << "\n  unexpected: " << pkg << " " << id << (aliases.empty() ? "" : " (aliases:" + aliases + ")")
           << " installed " << v.value("installedVersion", "") << " fixed " << v.value("fixedVersion", "");
    }
  }
  if (diff)
    *diff = "expected " + std::to_string(expected.size()) + " (package, id) pairs, report has " +
            std::to_string(ReportVulnerabilities(report).size()) + " findings: " + std::to_string(missing) +
            " missing, " + std::to_string(extra) + " unexpected, " + std::to_string(dup) + " duplicated" + ss.str();
  return ok;
}

namespace {

std::vector<std::string> Words(const std::string& line) {
  std::vector<std::string> out;
  std::istringstream ss(line);
  for (std::string w; ss >> w;) out.push_back(w);
  return out;
}

struct TrackerAdvisory {
  std::string id;
  std::vector<std::string> cves;
  std::vector<std::pair<std::string, std::string>> bullseye;  // (source package, fixed version or <tag>)
};

std::vector<TrackerAdvisory> ParseTrackerList(const std::string& text) {
  std::vector<TrackerAdvisory> out;
  std::istringstream ss(text);
  for (std::string line; std::getline(ss, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    if (line[0] == '[') {  // [dd Mon yyyy] DSA-N-M pkg - title
      size_t close = line.find(']');
      auto w = Words(close == std::string::npos ? "" : line.substr(close + 1));
      out.push_back({});
      if (!w.empty()) out.back().id = w[0];
      continue;
    }
    if (out.empty()) continue;
    size_t i = line.find_first_not_of(" \t");
    if (i == std::string::npos) continue;
    if (line[i] == '{') {
      std::string inner = line.substr(i + 1);
      if (size_t e = inner.find('}'); e != std::string::npos) inner = inner.substr(0, e);
      for (const auto& w : Words(inner)) out.back().cves.push_back(w);
    } else if (line[i] == '[') {  // [release] - srcpkg version|<tag> [notes]
      auto w = Words(line.substr(i));
      if (w.size() >= 4 && w[0] == "[bullseye]" && w[1] == "-") out.back().bullseye.push_back({w[2], w[3]});
    }
  }
  return out;
}

struct DpkgInstalled {
  std::string name, version, src, src_version;
};

std::vector<DpkgInstalled> ParseDpkgStatus(const std::string& text) {
  std::vector<DpkgInstalled> out;
  DpkgInstalled cur;
  std::string status;
  auto flush = [&] {
    if (!cur.name.empty() && status.find(" installed") != std::string::npos &&
        status.find("not-installed") == std::string::npos) {
      if (cur.src.empty()) cur.src = cur.name;
      if (cur.src_version.empty()) cur.src_version = cur.version;
      out.push_back(cur);
    }
    cur = {};
    status.clear();
  };
  std::istringstream ss(text);
  for (std::string line; std::getline(ss, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) {
      flush();
      continue;
    }
    if (line[0] == ' ' || line[0] == '\t') continue;
    size_t c = line.find(':');
    if (c == std::string::npos) continue;
    std::string key = line.substr(0, c), val = line.substr(c + 1);
    while (!val.empty() && val.front() == ' ') val.erase(0, 1);
    while (!val.empty() && val.back() == ' ') val.pop_back();
    if (key == "Package") cur.name = val;
    else if (key == "Version") cur.version = val;
    else if (key == "Status") status = val;
    else if (key == "Source") {
      auto w = Words(val);
      if (!w.empty()) cur.src = w[0];
      size_t o = val.find('('), e = val.find(')');
      if (o != std::string::npos && e != std::string::npos && e > o) cur.src_version = val.substr(o + 1, e - o - 1);
    }
  }
  flush();
  return out;
}

}  // namespace

FindingSet ExpectedBullseyeFindings(std::vector<std::string>* log, const std::string& tracker_dir) {
  const std::string dir = tracker_dir.empty() ? SharedDir() + "/vulndata/debian-tracker" : tracker_dir;
  std::vector<TrackerAdvisory> advisories;
  for (const char* list : {"DSA.list", "DLA.list"}) {
    auto a = ParseTrackerList(ReadFile(dir + "/" + list));
    advisories.insert(advisories.end(), a.begin(), a.end());
  }
  const auto installed = ParseDpkgStatus(ReadFile(SharedDir() + "/images/debian/bullseye-11.0.status"));
  if (installed.empty()) throw std::runtime_error("bullseye-11.0.status: no installed package");
  std::map<std::string, std::vector<const DpkgInstalled*>> by_src;
  for (const auto& p : installed) by_src[p.src].push_back(&p);

  struct Pending {
    const DpkgInstalled* pkg;
    const TrackerAdvisory* adv;
    std::string fixed;
  };
  std::vector<Pending> compare;
  FindingSet out;
  auto ids_of = [](const TrackerAdvisory& a) {
    return a.cves.empty() ? std::vector<std::string>{a.id} : a.cves;
  };
  for (const auto& a : advisories) {
    for (const auto& [src, fixed] : a.bullseye) {
      auto it = by_src.find(src);
      if (it == by_src.end()) continue;
      for (const auto* p : it->second) {
        if (fixed == "<not-affected>") {
          if (log) log->push_back(a.id + " " + p->name + " (" + src + "): " + fixed + " -> not affected");
        } else if (!fixed.empty() && fixed[0] == '<') {
          // <unfixed>, and the tags that leave the release without a fix (<end-of-life>, <no-dsa>,
          // <ignored>, <postponed>, ...): the installed version is affected.
          if (log) log->push_back(a.id + " " + p->name + " (" + src + " " + p->src_version + "): " + fixed + " -> affected");
          for (const auto& id : ids_of(a)) out.insert({p->name, id});
        } else {
          compare.push_back({p, &a, fixed});
        }
      }
    }
  }
  if (!compare.empty()) {
    std::string input;
    for (const auto& c : compare) input += c.pkg->src_version + " " + c.fixed + "\n";
    RunResult r = Run({"sh", "-c",
                       "while read a b; do dpkg --compare-versions \"$a\" lt \"$b\"; echo $?; done"},
                      input);
    if (r.exit_code != 0) throw std::runtime_error("dpkg --compare-versions loop: " + r.Describe());
    auto answers = Words(r.out);
    if (answers.size() != compare.size())
      throw std::runtime_error("dpkg --compare-versions: " + std::to_string(answers.size()) + " answers for " +
                               std::to_string(compare.size()) + " comparisons: " + r.Describe());
    for (size_t i = 0; i < compare.size(); ++i) {
      const auto& c = compare[i];
      if (answers[i] != "0" && answers[i] != "1")
        throw std::runtime_error("dpkg --compare-versions " + c.pkg->src_version + " lt " + c.fixed + ": exit " +
                                 answers[i] + " " + r.err);
      const bool lt = answers[i] == "0";
      if (log)
        log->push_back(c.adv->id + " " + c.pkg->name + " (" + c.pkg->src + " " + c.pkg->src_version + ") " +
                       (lt ? "< " : ">= ") + c.fixed);
      if (lt)
        for (const auto& id : ids_of(*c.adv)) out.insert({c.pkg->name, id});
    }
  }
  return out;
}

}  // namespace customs_test
