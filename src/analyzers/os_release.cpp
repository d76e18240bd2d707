// Operating system identification from the release files distributions ship. They are small text
// files with no library to read them (os-release is shell-style assignments per os-release(5)), so
// they are parsed by hand.
#include "analyzers/os_release.h"

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "analyzers/text_util.h"
#include "core/distro.h"

namespace customs {

namespace {

enum class Format {
  kOsRelease,   // KEY=value assignments, os-release(5)
  kLsbRelease,  // the same syntax, DISTRIB_* keys
  kAlpine,      // one line: the exact version ("3.9.6")
  kDebian,      // one line: "11.0", or "bookworm/sid" for testing/unstable
  kRedHat,      // one line: "NAME release VERSION (CODENAME)"
  kSuse,        // a name line, then "KEY = value" lines
};

struct ReleaseFile {
  std::string_view path;
  Format format;
  int priority;        // which file decides the family when several disagree
  bool exact_version;  // its version is more precise than os-release's VERSION_ID
};

// os-release first (etc/ overrides usr/lib/, os-release(5)); then files naming one distribution;
// then generic ones that derived distributions also ship (redhat-release on Oracle Linux says
// "Red Hat Enterprise Linux", Ubuntu's debian_version says "bookworm/sid").
constexpr ReleaseFile kReleaseFiles[] = {
    {"etc/os-release", Format::kOsRelease, 100, false},
    {"usr/lib/os-release", Format::kOsRelease, 90, false},
    {"etc/alpine-release", Format::kAlpine, 50, true},
    {"etc/centos-release", Format::kRedHat, 50, true},
    {"etc/rocky-release", Format::kRedHat, 50, true},
    {"etc/almalinux-release", Format::kRedHat, 50, true},
    {"etc/fedora-release", Format::kRedHat, 50, true},
    {"usr/lib/fedora-release", Format::kRedHat, 45, true},
    {"etc/oracle-release", Format::kRedHat, 50, true},
    {"etc/SuSE-release", Format::kSuse, 50, true},
    {"etc/lsb-release", Format::kLsbRelease, 40, false},
    {"etc/redhat-release", Format::kRedHat, 30, true},
    {"etc/system-release", Format::kRedHat, 30, true},
    {"etc/debian_version", Format::kDebian, 10, true},
};

const ReleaseFile* FindReleaseFile(std::string_view path) {
  for (const auto& f : kReleaseFiles)
    if (f.path == path) return &f;
  return nullptr;
}

// os-release ID (and lsb-release DISTRIB_ID, lowered) to family: the distribution table's (core/distro.h)
// family of the row listing that ID ("amzn" -> "amazon", "ol" -> "oracle", "opensuse-leap" ->
// "opensuse.leap"). IDs not listed are kept as they are: the family is then that distribution, not one
// it derives from (ID_LIKE is not followed: a derivative's packages are not its parent's).
std::string FamilyFromId(std::string_view id) {
  std::string lower = text::Lower(id);
  for (const auto& d : distro::All())
    for (std::string_view os_id : d.os_release_ids)
      if (os_id == lower && !d.families.empty()) return std::string(d.families.front());
  return lower;
}

// Version-like: starts with a digit, then letters, digits and . _ + ~ - only.
bool LooksLikeVersion(std::string_view s) {
  if (s.empty() || s.size() > 64 || s[0] < '0' || s[0] > '9') return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '.' ||
           c == '_' || c == '+' || c == '~' || c == '-';
  });
}

bool IsNumericVersion(std::string_view s) {
  return !s.empty() && s[0] >= '0' && s[0] <= '9' &&
         std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || c == '.'; });
}

bool IsCodename(std::string_view s) {
  return !s.empty() && s.size() <= 64 &&
         std::all_of(s.begin(), s.end(), [](char c) { return (c >= 'a' && c <= 'z') || c == '-'; });
}

std::string_view FirstNonBlankLine(std::string_view content) {
  for (std::string_view line : text::Lines(content))
    if (!text::IsBlank(line)) return text::Trim(line);
  return {};
}

// ---------------------------------------------------------------------------------------------
// os-release(5): "KEY=value" lines; '#' comments and blank lines ignored. Values follow shell
// quoting: '...' is literal, inside "..." a backslash escapes $ " \ and `, outside quotes a
// backslash escapes any character. Whitespace around the line is tolerated.

struct Assignments {
  std::map<std::string, std::string, std::less<>> values;
  size_t malformed = 0;
  bool unterminated = false;

  std::string Get(std::string_view key) const {
    auto it = values.find(key);
    return it == values.end() ? std::string() : it->second;
  }
};

bool IsKey(std::string_view k) {
  return !k.empty() && std::all_of(k.begin(), k.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

std::string Unquote(std::string_view v, bool& unterminated) {
  std::string out;
  char quote = 0;
  for (size_t i = 0; i < v.size(); ++i) {
    const char c = v[i];
    if (quote == '\'') {
      if (c == '\'')
        quote = 0;
      else
        out += c;
    } else if (quote == '"') {
      if (c == '"') {
        quote = 0;
      } else if (c == '\\' && i + 1 < v.size() &&
                 std::string_view("$\"\\`").find(v[i + 1]) != std::string_view::npos) {
        out += v[++i];
      } else {
        out += c;
      }
    } else if (c == '\'' || c == '"') {
      quote = c;
    } else if (c == '\\' && i + 1 < v.size()) {
      out += v[++i];
    } else {
      out += c;
    }
  }
  if (quote != 0) unterminated = true;
  return out;
}

Assignments ParseAssignments(std::string_view content) {
  Assignments a;
  for (std::string_view line : text::Lines(content)) {
    line = text::Trim(line);
    if (line.empty() || line[0] == '#') continue;
    size_t eq = line.find('=');
    std::string_view key = eq == std::string_view::npos ? "" : text::Trim(line.substr(0, eq));
    if (!IsKey(key)) {
      ++a.malformed;
      continue;
    }
    a.values[std::string(key)] = Unquote(text::Trim(line.substr(eq + 1)), a.unterminated);
  }
  return a;
}

void ReportSyntax(const Assignments& a, const std::string& path, AnalysisResult& out) {
  if (a.malformed > 0)
    out.diagnostics.push_back(
        {path, std::to_string(a.malformed) + " line(s) that are not KEY=value ignored"});
  if (a.unterminated) out.diagnostics.push_back({path, "unterminated quote"});
}

// ---------------------------------------------------------------------------------------------
// One parser per format. Each returns false (after reporting why) when the file says nothing usable.

bool ParseOsRelease(std::string_view content, const std::string& path, OSInfo& info, AnalysisResult& out) {
  Assignments a = ParseAssignments(content);
  ReportSyntax(a, path, out);
  std::string id = a.Get("ID");
  if (id.empty()) {
    out.diagnostics.push_back({path, "no ID field"});
    return false;
  }
  info.family = FamilyFromId(id);
  info.version = a.Get("VERSION_ID");
  info.codename = a.Get("VERSION_CODENAME");
  if (info.codename.empty()) info.codename = a.Get("UBUNTU_CODENAME");
  info.name = a.Get("PRETTY_NAME");
  if (info.name.empty()) info.name = a.Get("NAME");
  return true;
}

bool ParseLsbRelease(std::string_view content, const std::string& path, OSInfo& info, AnalysisResult& out) {
  Assignments a = ParseAssignments(content);
  ReportSyntax(a, path, out);
  std::string id = a.Get("DISTRIB_ID");
  if (id.empty()) {
    out.diagnostics.push_back({path, "no DISTRIB_ID field"});
    return false;
  }
  info.family = FamilyFromId(id);
  info.version = a.Get("DISTRIB_RELEASE");
  info.codename = a.Get("DISTRIB_CODENAME");
  info.name = a.Get("DISTRIB_DESCRIPTION");
  return true;
}

bool ParseAlpineRelease(std::string_view content, const std::string& path, OSInfo& info,
                        AnalysisResult& out) {
  std::string_view v = FirstNonBlankLine(content);
  if (!LooksLikeVersion(v)) {
    out.diagnostics.push_back({path, "no version on the first line"});
    return false;
  }
  info.family = "alpine";
  info.version = v;
  return true;
}

bool ParseDebianVersion(std::string_view content, const std::string& path, OSInfo& info,
                        AnalysisResult& out) {
  std::string_view v = FirstNonBlankLine(content);
  info.family = "debian";
  if (IsNumericVersion(v)) {
    info.version = v;
    return true;
  }
  // testing and unstable: "CODENAME/sid" (or just "sid")
  std::string_view codename = v.substr(0, v.find('/'));
  if (IsCodename(codename)) {
    info.codename = codename;
    return true;
  }
  out.diagnostics.push_back({path, "neither a version nor a codename on the first line"});
  return false;
}

// Distribution names in "NAME release VERSION" lines, lowered, by prefix.
std::string FamilyFromReleaseName(std::string_view name) {
  static constexpr std::pair<std::string_view, std::string_view> kPrefixes[] = {
      {"centos", "centos"},
      {"rocky", "rocky"},
      {"almalinux", "almalinux"},
      {"alma linux", "almalinux"},
      {"fedora", "fedora"},
      {"oracle", "oracle"},
      {"red hat enterprise linux", "rhel"},
      {"amazon linux", "amazon"},
  };
  std::string lower = text::Lower(name);
  for (const auto& [prefix, family] : kPrefixes)
    if (std::string_view(lower).starts_with(prefix)) return std::string(family);
  std::string_view first = std::string_view(lower).substr(0, lower.find(' '));
  return std::string(first);
}

// "Rocky Linux release 9.3 (Blue Onyx)", "CentOS Linux release 7.9.2009 (Core)",
// "Amazon Linux AMI release 2018.03", "Fedora release 39 (Thirty Nine)".
bool ParseRedHatRelease(std::string_view content, const std::string& path, OSInfo& info,
                        AnalysisResult& out) {
  std::string_view line = FirstNonBlankLine(content);
  constexpr std::string_view kRelease = " release ";
  size_t at = line.find(kRelease);
  std::string_view rest = at == std::string_view::npos ? "" : line.substr(at + kRelease.size());
  size_t vlen = 0;
  while (vlen < rest.size() && ((rest[vlen] >= '0' && rest[vlen] <= '9') || rest[vlen] == '.')) ++vlen;
  if (at == 0 || at == std::string_view::npos || vlen == 0 || !(rest[0] >= '0' && rest[0] <= '9')) {
    out.diagnostics.push_back({path, "not a \"NAME release VERSION\" line"});
    return false;
  }
  info.family = FamilyFromReleaseName(line.substr(0, at));
  info.version = rest.substr(0, vlen);
  while (!info.version.empty() && info.version.back() == '.') info.version.pop_back();
  info.name = line;
  size_t open = rest.find('('), close = rest.rfind(')');
  if (open != std::string_view::npos && close != std::string_view::npos && close > open)
    info.codename = text::Trim(rest.substr(open + 1, close - open - 1));
  return true;
}

// Old SUSE releases: "openSUSE 13.2 (x86_64)" / "SUSE Linux Enterprise Server 12 (x86_64)", then
// "VERSION = 12", "PATCHLEVEL = 3", "CODENAME = Harlequin".
bool ParseSuseRelease(std::string_view content, const std::string& path, OSInfo& info, AnalysisResult& out) {
  std::string_view first = FirstNonBlankLine(content);
  std::string lower = text::Lower(first);
  if (lower.starts_with("opensuse")) {
    info.family = lower.find("tumbleweed") != std::string::npos ? "opensuse.tumbleweed" : "opensuse.leap";
  } else if (lower.starts_with("suse linux enterprise server")) {
    info.family = "sles";
  } else {
    out.diagnostics.push_back({path, "unrecognized SUSE release name"});
    return false;
  }
  info.name = text::Trim(first.substr(0, first.find('(')));
  std::string version, patchlevel;
  for (std::string_view line : text::Lines(content)) {
    size_t eq = line.find('=');
    if (eq == std::string_view::npos) continue;
    std::string_view key = text::Trim(line.substr(0, eq)), value = text::Trim(line.substr(eq + 1));
    if (key == "VERSION") version = value;
    if (key == "PATCHLEVEL") patchlevel = value;
    if (key == "CODENAME") info.codename = value;
  }
  info.version = version;
  if (!version.empty() && !patchlevel.empty() && patchlevel != "0") info.version += "." + patchlevel;
  return true;
}

bool ParseReleaseFile(const ReleaseFile& f, std::string_view content, const std::string& path, OSInfo& info,
                      AnalysisResult& out) {
  switch (f.format) {
    case Format::kOsRelease: return ParseOsRelease(content, path, info, out);
    case Format::kLsbRelease: return ParseLsbRelease(content, path, info, out);
    case Format::kAlpine: return ParseAlpineRelease(content, path, info, out);
    case Format::kDebian: return ParseDebianVersion(content, path, info, out);
    case Format::kRedHat: return ParseRedHatRelease(content, path, info, out);
    case Format::kSuse: return ParseSuseRelease(content, path, info, out);
  }
  return false;
}

class OSReleaseAnalyzer final : public Analyzer {
 public:
  std::string_view Name() const override { return "os_release"; }
  AnalyzerGroup Group() const override { return AnalyzerGroup::kOS; }
  bool Wants(std::string_view path, const FileMeta&) const override {
    return FindReleaseFile(path) != nullptr;
  }
  void Analyze(const AnalysisInput& in, AnalysisResult& out) const override {
    const ReleaseFile* f = FindReleaseFile(in.path);
    if (!f) return;
    OSFact fact{std::string(in.path), {}, f->priority};
    if (!ParseReleaseFile(*f, in.content, fact.path, fact.info, out)) return;
    fact.info.source_file = fact.path;
    out.os.push_back(std::move(fact));
  }
};

bool HasExactVersion(const OSFact& f) {
  const ReleaseFile* rf = FindReleaseFile(f.path);
  return rf && rf->exact_version && !f.info.version.empty();
}

}  // namespace

std::optional<OSInfo> MergeOSFacts(std::vector<OSFact> facts) {
  std::erase_if(facts, [](const OSFact& f) { return f.info.family.empty(); });
  if (facts.empty()) return std::nullopt;
  std::stable_sort(facts.begin(), facts.end(), [](const OSFact& a, const OSFact& b) {
    return a.priority != b.priority ? a.priority > b.priority : a.path < b.path;
  });
  const std::string family = facts.front().info.family;
  std::erase_if(facts, [&](const OSFact& f) { return f.info.family != family; });

  OSInfo r;
  r.family = family;
  r.source_file = facts.front().path;
  auto first_set = [&](std::string OSInfo::*field) {
    for (const auto& f : facts)
      if (!(f.info.*field).empty()) return f.info.*field;
    return std::string();
  };
  r.name = first_set(&OSInfo::name);
  r.codename = first_set(&OSInfo::codename);
  // The exact version: a distribution's own version file ("3.9.6", "11.0", "8.4.2105") over
  // os-release's VERSION_ID, which is often only the major release.
  auto exact = std::find_if(facts.begin(), facts.end(), HasExactVersion);
  r.version = exact != facts.end() ? exact->info.version : first_set(&OSInfo::version);
  return r;
}

std::unique_ptr<Analyzer> Make_os_release() { return std::make_unique<OSReleaseAnalyzer>(); }

}  // namespace customs
