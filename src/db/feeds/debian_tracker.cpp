// Debian security tracker (salsa.debian.org/security-tracker-team/security-tracker).
//
// 1. The advisory lists data/DSA/list, data/DLA/list (and DTSA): one entry per advisory,
//      [29 Mar 2023] DSA-5380-1 xorg-server - security update
//      	{CVE-2023-1393 ...}
//      	[bullseye] - xorg-server 2:1.20.11-1+deb11u6
//      	[lenny] - openoffice.org <not-affected> (Vulnerable code not present)
//      	NOTE: free text
//    A release line names the source package and either the fixed version or a tag: <not-affected>,
//    <unfixed>, <no-dsa>, <end-of-life>, <ignored>, <postponed>, <removed>, ... followed by an optional
//    "(note)". Emits one advisory (id DSA-N-M, aliases = the CVE list) per entry.
// 2. The tracker's JSON export (https://security-tracker.debian.org/tracker/data/json):
//      {srcpkg: {CVE-ID: {description, releases: {bullseye: {status, fixed_version, urgency}}}}}
//    status "resolved" with fixed_version "0" means not affected; "open"/"undetermined" unfixed.
//    Emits one advisory per CVE (all packages and releases together).
#include <cctype>
#include <map>

#include "db/feeds/docs.h"
#include "db/feeds/feed.h"
#include "db/schema.h"

namespace customs::db {

namespace {

std::string MonthNumber(const std::string& m) {
  static const char* names[] = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
  std::string l = Lower(m);
  for (int i = 0; i < 12; ++i)
    if (l == names[i]) return (i < 9 ? "0" : "") + std::to_string(i + 1);
  return "";
}

bool AllDigits(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

// "[29 Mar 2023] DSA-5380-1 xorg-server - security update" -> date, id, package, title.
bool ParseHeader(const std::string& line, std::string& date, std::string& id, std::string& pkg, std::string& title) {
  if (line.empty() || line[0] != '[') return false;
  auto close = line.find(']');
  if (close == std::string::npos) return false;
  std::string d = line.substr(1, close - 1);
  // "29 Mar 2023"
  auto s1 = d.find(' '), s2 = d.rfind(' ');
  if (s1 == std::string::npos || s2 == s1) return false;
  std::string day = d.substr(0, s1), mon = MonthNumber(d.substr(s1 + 1, s2 - s1 - 1)), year = d.substr(s2 + 1);
  if (!AllDigits(day) || day.size() > 2 || mon.empty() || !AllDigits(year) || year.size() != 4) return false;
  date = year + "-" + mon + "-" + (day.size() == 1 ? "0" : "") + day;
  std::string rest = Trim(std::string_view(line).substr(close + 1));
  auto sp = rest.find(' ');
  id = rest.substr(0, sp);
  if (!(StartsWith(id, "DSA-") || StartsWith(id, "DLA-") || StartsWith(id, "DTSA-")) || id.size() < 5) return false;
  rest = sp == std::string::npos ? "" : Trim(std::string_view(rest).substr(sp + 1));
  auto dash = rest.find(" - ");
  if (dash == std::string::npos) {
    pkg = rest;
    title.clear();
  } else {
    pkg = Trim(std::string_view(rest).substr(0, dash));
    title = Trim(std::string_view(rest).substr(dash + 3));
  }
  return true;
}

// Maps a tracker tag to (status, note).
void TagStatus(const std::string& tag, Affected& a) {
  a.status_note = tag;
  if (tag == "not-affected")
    a.status = kStatusNotAffected;
  else
    a.status = kStatusUnfixed;  // unfixed, no-dsa, end-of-life, ignored, postponed, removed, undetermined, ...
}

// "[bullseye] - xorg-server 2:1.20.11-1+deb11u6" / "[lenny] - vlc <not-affected> (note)"
bool ParseRelease(const std::string& t, Affected& a, std::string& error) {
  auto close = t.find(']');
  if (close == std::string::npos || close < 2) return error = "unterminated [release]", false;
  std::string release = Trim(std::string_view(t).substr(1, close - 1));
  std::string rest = Trim(std::string_view(t).substr(close + 1));
  if (!StartsWith(rest, "- ")) return error = "expected '- package' after [" + release + "]", false;
  rest = Trim(std::string_view(rest).substr(2));
  auto sp = rest.find(' ');
  a.package = rest.substr(0, sp);
  std::string tail = sp == std::string::npos ? "" : Trim(std::string_view(rest).substr(sp + 1));
  if (a.package.empty() || release.empty()) return error = "empty release or package", false;
  a.ecosystem = NormalizeEcosystem("debian:" + release);
  a.purl = "pkg:deb/debian/" + a.package + "?arch=source&distro=" + release;
  if (StartsWith(tail, "<")) {
    auto gt = tail.find('>');
    if (gt == std::string::npos) return error = "unterminated <tag>", false;
    TagStatus(tail.substr(1, gt - 1), a);
    return true;
  }
  if (tail.empty()) return error = "no fixed version for " + a.package, false;
  std::string version = tail.substr(0, tail.find(' '));
  a.status = kStatusFixed;
  a.fixed_version = version;
  return true;
}

void ParseList(std::string_view data, const std::string& name, Sink& sink) {
  AdvisoryRecord cur;
  bool have = false, bad = false;
  std::string bad_reason, cur_where;
  auto flush = [&] {
    if (!have) return;
    if (bad) {
      sink.Skip(cur_where, bad_reason);
    } else {
      SortUnique(cur.aliases);
      sink.Advisory(std::move(cur));
    }
    cur = AdvisoryRecord();
    have = bad = false;
  };
  size_t lineno = 0, pos = 0;
  while (pos <= data.size()) {
    size_t nl = data.find('\n', pos);
    if (nl == std::string_view::npos) nl = data.size();
    std::string line(data.substr(pos, nl - pos));
    pos = nl + 1;
    ++lineno;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const std::string where = name + ":" + std::to_string(lineno);
    if (Trim(line).empty()) {
      if (pos > data.size()) break;
      continue;
    }
    if (!std::isspace(static_cast<unsigned char>(line[0]))) {
      flush();
      std::string date, id, pkg, title;
      if (!ParseHeader(line, date, id, pkg, title)) {
        // Not an entry we understand: report it, and skip its indented lines (bad=true entry).
        have = true;
        bad = true;
        cur_where = where;
        bad_reason = "malformed advisory header: '" + line.substr(0, 120) + "'";
        continue;
      }
      have = true;
      cur_where = where + " (" + id + ")";
      cur.id = id;
      cur.published = date;
      cur.summary = title.empty() ? pkg : pkg + ": " + title;
      continue;
    }
    if (!have) {
      sink.Skip(where, "indented line outside an advisory");
      continue;
    }
    if (bad) continue;
    std::string t = Trim(line);
    if (StartsWith(t, "NOTE:")) continue;
    if (t[0] == '{') {
      auto close = t.find('}');
      if (close == std::string::npos) {
        bad = true;
        bad_reason = "unterminated {CVE list}";
        continue;
      }
      std::string ids = t.substr(1, close - 1), tok;
      for (size_t i = 0; i <= ids.size(); ++i) {
        if (i == ids.size() || std::isspace(static_cast<unsigned char>(ids[i]))) {
          if (!tok.empty()) cur.aliases.push_back(tok), tok.clear();
        } else {
          tok += ids[i];
        }
      }
      continue;
    }
    if (t[0] == '[') {
      Affected a;
      std::string err;
      if (!ParseRelease(t, a, err)) {
        bad = true;
        bad_reason = err + " in '" + t.substr(0, 120) + "'";
        continue;
      }
      cur.affected.push_back(std::move(a));
      continue;
    }
    bad = true;
    bad_reason = "unexpected line '" + t.substr(0, 120) + "'";
  }
  flush();
}

void ParseJson(std::string_view data, const std::string& name, Sink& sink) {
  nlohmann::json doc;
  std::string err;
  if (!ParseDocument(data, false, doc, err, name)) return sink.Skip(name, err);
  if (!doc.is_object()) return sink.Skip(name, "tracker JSON: expected an object of source packages");
  // Group per CVE across packages (the export is keyed by package first); std::map keeps it sorted.
  std::map<std::string, AdvisoryRecord> by_cve;
  for (const auto& [pkg, cves] : doc.items()) {
    if (!cves.is_object()) {
      sink.Skip(name + ": " + pkg, "expected an object of CVEs");
      continue;
    }
    for (const auto& [cve, info] : cves.items()) {
      const std::string where = name + ": " + pkg + "/" + cve;
      const auto* releases = Child(info, "releases");
      if (!info.is_object() || (releases && !releases->is_object())) {
        sink.Skip(where, "expected {description, releases: {...}}");
        continue;
      }
      AdvisoryRecord& rec = by_cve[cve];
      rec.id = cve;
      if (rec.details.empty()) rec.details = Trim(Str(info, "description"));
      if (!releases) continue;
      for (const auto& [release, r] : releases->items()) {
        if (!r.is_object()) {
          sink.Skip(where + " [" + release + "]", "release entry is not an object");
          continue;
        }
        Affected a;
        a.ecosystem = NormalizeEcosystem("debian:" + release);
        a.package = pkg;
        a.purl = "pkg:deb/debian/" + pkg + "?arch=source&distro=" + release;
        std::string status = Str(r, "status"), fixed = Str(r, "fixed_version"), urgency = Str(r, "urgency");
        // Debian's rating: urgency low, medium or high (a trailing "*" or "**" marks how it was
        // set, not the rating). "not yet assigned", "unimportant" and "end-of-life" are no
        // rating: severity stays empty (NVD then rates the CVE), the latter two become the note.
        {
          std::string u = Lower(Trim(urgency));
          while (!u.empty() && u.back() == '*') u.pop_back();
          if (u == "low" || u == "medium" || u == "high") a.severity = u;
        }
        if (status == "resolved") {
          if (fixed == "0") {
            a.status = kStatusNotAffected;
          } else {
            a.status = kStatusFixed;
            a.fixed_version = fixed;
          }
        } else {
          a.status = kStatusUnfixed;
          a.status_note = status;
          // the tracker puts "end-of-life", "unimportant" in urgency; keep that as the note when set
          if (urgency == "end-of-life" || urgency == "unimportant") a.status_note = urgency;
        }
        rec.affected.push_back(std::move(a));
      }
    }
  }
  for (auto& [cve, rec] : by_cve) sink.Advisory(std::move(rec));
}

void ParseBytes(std::string_view data, const std::string& name, Sink& sink) {
  size_t i = 0;
  while (i < data.size() && std::isspace(static_cast<unsigned char>(data[i]))) ++i;
  if (i < data.size() && data[i] == '{')
    ParseJson(data, name, sink);
  else
    ParseList(data, name, sink);
}

void ParsePath(const std::filesystem::path& path, Sink& sink) {
  for (const auto& f : ListFiles(path)) {
    std::string n = Lower(f.filename().string());
    if (!(n == "list" || EndsWith(n, ".list") || EndsWith(n, ".json"))) continue;
    std::string data, err;
    if (!ReadWholeFile(f, data, err)) {
      sink.Skip(f.string(), err);
      continue;
    }
    ParseBytes(data, f.string(), sink);
  }
}

bool MatchesDirName(const std::string& n) {
  std::string l = Lower(n);
  return StartsWith(l, "debian-tracker") || StartsWith(l, "debian-security-tracker");
}

bool Sniff(const std::filesystem::path& file, std::string_view head) {
  std::string h(head.substr(0, 200));
  std::string dummy1, dummy2, dummy3, dummy4;
  if (ParseHeader(h.substr(0, h.find('\n')), dummy1, dummy2, dummy3, dummy4)) return true;
  return head.find("\"releases\"") != std::string_view::npos && head.find("\"fixed_version\"") != std::string_view::npos;
}

}  // namespace

const Feed& Feed_debian_tracker() {
  static const Feed f{"debian_tracker", "Debian security tracker", "Debian Security Tracker", "https://security-tracker.debian.org/tracker/", MatchesDirName, Sniff, ParsePath, ParseBytes};
  return f;
}

}  // namespace customs::db
