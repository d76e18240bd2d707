// RustSec advisories (github.com/rustsec/advisory-db): crates/<crate>/RUSTSEC-YYYY-NNNN.md, a markdown
// file opening with a ```toml front matter:
//   [advisory]  id, package, date, url, references, aliases, related, cvss, informational, withdrawn,
//               categories, keywords
//   [versions]  patched = ["^1.2.3", ">= 0.11.6, < 0.12.0"], unaffected = ["< 0.2"]
//   [affected]  functions, os, arch (not used here)
// followed by "# Title" and the description. TOML is parsed with toml++ (Debian: libtomlplusplus-dev).
// patched/unaffected are Cargo semver requirements; as RustSec's own OSV export does, the affected
// versions are the complement of their union, written as one SEMVER range of introduced/fixed events
// ("<= v" and "> v" bounds use v with the patch number bumped, an approximation that skips
// pre-releases of that next patch).
#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <sstream>

#include "db/feeds/docs.h"
#include "db/feeds/feed.h"
#include "db/schema.h"
#include "version/version.h"

namespace customs::db {

namespace {

const version::Comparator& Semver() {
  static const version::Comparator* c = version::ComparatorFor("semver");
  return *c;
}

struct Parts {
  long major = 0, minor = 0, patch = 0;
  int given = 0;  // how many numeric parts were written
  std::string pre;
};

bool ParseParts(const std::string& v, Parts& p) {
  std::string core = v, rest;
  auto dash = v.find_first_of("-+");
  if (dash != std::string::npos) core = v.substr(0, dash), rest = v.substr(dash);
  long* slots[3] = {&p.major, &p.minor, &p.patch};
  size_t i = 0;
  std::string num;
  for (size_t k = 0; k <= core.size(); ++k) {
    if (k == core.size() || core[k] == '.') {
      if (num.empty() || i >= 3 || num.size() > 9) return false;
      *slots[i++] = std::stol(num);
      num.clear();
    } else if (std::isdigit(static_cast<unsigned char>(core[k]))) {
      num += core[k];
    } else if ((core[k] == '*' || core[k] == 'x') && num.empty()) {
      break;  // wildcard: stop here
    } else {
      return false;
    }
  }
  p.given = int(i);
  p.pre = rest;
  return i > 0;
}

std::string Str3(long a, long b, long c, const std::string& pre = "") {
  return std::to_string(a) + "." + std::to_string(b) + "." + std::to_string(c) + pre;
}

// Half-open interval [lo, hi); hi empty = unbounded.
struct Interval {
  std::string lo = "0.0.0";
  std::string hi;
};

int Cmp(const std::string& a, const std::string& b) { return Semver().Compare(a, b); }

// One comparator ("^1.2", ">= 0.3.1", "< 2", "=1.0.0", "1.2.3", "*") -> interval.
bool Comparator(std::string c, Interval& iv, std::string& error) {
  c = Trim(c);
  std::string op;
  while (!c.empty() && (c[0] == '>' || c[0] == '<' || c[0] == '=' || c[0] == '^' || c[0] == '~')) op += c[0], c.erase(0, 1);
  c = Trim(c);
  if (c == "*" && op.empty()) return true;
  Parts p;
  if (!ParseParts(c, p)) return error = "not a version requirement: '" + c + "'", false;
  const std::string v = Str3(p.major, p.minor, p.patch, p.pre);
  auto bump_patch = [&] { return Str3(p.major, p.minor, p.patch + 1); };
  // the exclusive upper end of a partial version ("1.2" covers 1.2.x)
  auto next_partial = [&] {
    if (p.given == 1) return Str3(p.major + 1, 0, 0);
    if (p.given == 2) return Str3(p.major, p.minor + 1, 0);
    return bump_patch();
  };
  if (op == ">=") {
    iv.lo = v;
  } else if (op == ">") {
    iv.lo = next_partial();
  } else if (op == "<") {
    iv.hi = v;
  } else if (op == "<=") {
    iv.hi = next_partial();
  } else if (op == "=" || op == "==") {
    iv.lo = v;
    iv.hi = next_partial();
  } else if (op == "~") {
    iv.lo = v;
    iv.hi = p.given == 1 ? Str3(p.major + 1, 0, 0) : Str3(p.major, p.minor + 1, 0);
  } else if (op.empty() || op == "^") {
    iv.lo = v;
    if (p.major > 0 || p.given == 1)
      iv.hi = Str3(p.major + 1, 0, 0);
    else if (p.minor > 0 || p.given == 2)
      iv.hi = Str3(0, p.minor + 1, 0);
    else
      iv.hi = Str3(0, 0, p.patch + 1);
  } else {
    return error = "unknown operator '" + op + "'", false;
  }
  return true;
}

// "req, req, ..." (intersection) -> interval; false when malformed.
bool Requirement(const std::string& req, Interval& out, std::string& error) {
  Interval acc;
  std::stringstream ss(req);
  std::string part;
  bool any = false;
  while (std::getline(ss, part, ',')) {
    Interval iv;
    if (!Comparator(part, iv, error)) return false;
    any = true;
    if (Cmp(iv.lo, acc.lo) > 0) acc.lo = iv.lo;
    if (!iv.hi.empty() && (acc.hi.empty() || Cmp(iv.hi, acc.hi) < 0)) acc.hi = iv.hi;
  }
  if (!any) return error = "empty version requirement", false;
  out = acc;
  return true;
}

// The complement of the union of the safe intervals, as OSV events.
std::vector<RangeEvent> AffectedEvents(std::vector<Interval> safe) {
  safe.erase(std::remove_if(safe.begin(), safe.end(),
                            [](const Interval& i) { return !i.hi.empty() && Cmp(i.lo, i.hi) >= 0; }),
             safe.end());
  std::sort(safe.begin(), safe.end(), [](const Interval& a, const Interval& b) {
    int c = Cmp(a.lo, b.lo);
    return c != 0 ? c < 0 : a.lo < b.lo;
  });
  std::vector<RangeEvent> ev;
  std::string cursor = "0.0.0";
  bool open = true;  // cursor bounded (not past an unbounded safe interval)
  for (const auto& s : safe) {
    if (Cmp(s.lo, cursor) > 0) {
      ev.push_back({"introduced", cursor == "0.0.0" ? "0" : cursor});
      ev.push_back({"fixed", s.lo});
    }
    if (s.hi.empty()) {
      open = false;
      break;
    }
    if (Cmp(s.hi, cursor) > 0) cursor = s.hi;
  }
  if (open) ev.push_back({"introduced", cursor == "0.0.0" ? "0" : cursor});
  return ev;
}

std::vector<std::string> TomlStrings(const toml::node_view<const toml::node>& n) {
  std::vector<std::string> out;
  if (const auto* arr = n.as_array()) {
    for (const auto& e : *arr)
      if (auto s = e.value<std::string>()) out.push_back(*s);
  }
  return out;
}

std::string TomlString(const toml::node_view<const toml::node>& n) {
  if (auto s = n.value<std::string>()) return *s;
  if (const auto* d = n.as_date()) {
    std::ostringstream o;
    o << d->get();
    return o.str();
  }
  return "";
}

void ParseBytes(std::string_view data, const std::string& name, Sink& sink) {
  // Front matter: from the first "```toml" line to the next "```" line.
  size_t start = data.find("```toml");
  if (start == std::string_view::npos || Trim(data.substr(0, start)).size() != 0)
    return sink.Skip(name, "no ```toml front matter at the start");
  size_t body = data.find('\n', start);
  if (body == std::string_view::npos) return sink.Skip(name, "unterminated front matter");
  ++body;
  size_t end = data.find("\n```", body - 1);
  if (end == std::string_view::npos) return sink.Skip(name, "unterminated front matter");
  std::string_view front = data.substr(body, end + 1 - body);
  size_t after = data.find('\n', end + 1);
  std::string_view markdown = after == std::string_view::npos ? std::string_view() : data.substr(after + 1);

  toml::table tbl;
  try {
    tbl = toml::parse(front, name);
  } catch (const toml::parse_error& e) {
    std::ostringstream o;
    o << "invalid TOML front matter: " << e.description() << " (line " << e.source().begin.line << ")";
    return sink.Skip(name, o.str());
  }
  const toml::table& t = tbl;
  auto adv = t["advisory"];
  AdvisoryRecord rec;
  rec.id = TomlString(adv["id"]);
  std::string crate = TomlString(adv["package"]);
  if (rec.id.empty() || crate.empty()) return sink.Skip(name, "advisory without id or package");
  rec.published = TomlString(adv["date"]);
  rec.withdrawn = TomlString(adv["withdrawn"]);
  rec.aliases = TomlStrings(adv["aliases"]);
  if (std::string url = TomlString(adv["url"]); !url.empty()) rec.references.push_back({"REPORT", url});
  for (auto& u : TomlStrings(adv["references"])) rec.references.push_back({"WEB", u});
  rec.references.push_back({"ADVISORY", "https://rustsec.org/advisories/" + rec.id + ".html"});
  if (std::string cvss = TomlString(adv["cvss"]); !cvss.empty())
    rec.cvss.push_back({StartsWith(cvss, "CVSS:4") ? "CVSS_V4" : StartsWith(cvss, "CVSS:3") ? "CVSS_V3" : "CVSS_V2", cvss, ""});

  // Title: the first "# " heading; details: the rest.
  std::string md(markdown);
  std::istringstream lines(md);
  std::string line, details;
  bool titled = false;
  while (std::getline(lines, line)) {
    if (!titled && StartsWith(line, "# ")) {
      rec.summary = Trim(line.substr(2));
      titled = true;
      continue;
    }
    details += line + "\n";
  }
  rec.details = Trim(details);

  Affected a;
  a.ecosystem = "crates.io";
  // The database key of the crate: crates.io folds case and '-'/'_' (core/ecosystem.h).
  a.package = NormalizePackage(a.ecosystem, crate);
  a.purl = "pkg:cargo/" + crate;
  std::vector<Interval> safe;
  auto versions = t["versions"];
  for (const char* key : {"patched", "unaffected"}) {
    auto node = versions[key];
    if (node && !node.is_array()) return sink.Skip(name, std::string("versions.") + key + " is not an array");
    for (const auto& req : TomlStrings(node)) {
      Interval iv;
      std::string err;
      if (!Requirement(req, iv, err)) return sink.Skip(name, std::string("versions.") + key + ": " + err);
      safe.push_back(iv);
    }
  }
  Range r;
  r.type = "SEMVER";
  r.events = AffectedEvents(safe);
  bool fixed = false;
  for (const auto& e : r.events) fixed = fixed || e.kind == "fixed";
  a.status = fixed ? kStatusFixed : kStatusUnfixed;
  if (std::string info = TomlString(adv["informational"]); !info.empty()) a.status_note = "informational:" + info;
  if (!r.events.empty()) a.ranges.push_back(std::move(r));
  rec.affected.push_back(std::move(a));
  sink.Advisory(std::move(rec));
}

void ParsePath(const std::filesystem::path& path, Sink& sink) {
  for (const auto& f : ListFiles(path)) {
    std::string fname = f.filename().string();
    if (!EndsWith(Lower(fname), ".md")) continue;
    std::string data, err;
    if (!ReadWholeFile(f, data, err, 16 << 20)) {
      sink.Skip(f.string(), err);
      continue;
    }
    // READMEs and other markdown without front matter are not advisories.
    if (!StartsWith(fname, "RUSTSEC-") && data.find("```toml") == std::string::npos) continue;
    ParseBytes(data, f.string(), sink);
  }
}

bool MatchesDirName(const std::string& n) { return StartsWith(Lower(n), "rustsec") || Lower(n) == "advisory-db"; }

bool Sniff(const std::filesystem::path& file, std::string_view head) {
  return StartsWith(Trim(head.substr(0, 64)), "```toml") && head.find("[advisory]") != std::string_view::npos;
}

}  // namespace

const Feed& Feed_rustsec() {
  static const Feed f{"rustsec", "RustSec", "RustSec Advisory Database", "https://rustsec.org/", MatchesDirName, Sniff, ParsePath, ParseBytes};
  return f;
}

}  // namespace customs::db
