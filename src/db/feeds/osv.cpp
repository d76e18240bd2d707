// OSV records (https://ossf.github.io/osv-schema/, schema 1.6): one vulnerability per JSON or YAML
// document; loose files, directories of them, or the per-ecosystem `<Ecosystem>/all.zip` archives.
// Handled fields: id, modified, published, withdrawn, aliases, related (ignored), summary, details,
// severity[] (CVSS_V2/V3/V4), affected[] {package {ecosystem, name, purl}, severity[], ranges[] {type,
// repo, events[] {introduced|fixed|last_affected|limit}}, versions[], database_specific.severity},
// references[], database_specific.cwe_ids. Ecosystem names are normalized (schema.h): "Alpine:v3.18",
// "Debian:11", "Ubuntu:22.04:LTS" map onto the distro keys the distro feeds use. A package's
// Affected.severity is the distribution's own rating where the record gives one (DistroRating:
// Ubuntu priority, Red Hat/AlmaLinux/Rocky errata severity), else its first CVSS vector, else
// database_specific.severity (GHSA's word). severity[] entries that are not CVSS (type "Ubuntu")
// never go into the CVSS list.
#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <memory>

#include "core/distro.h"
#include "db/feeds/docs.h"
#include "db/feeds/feed.h"
#include "db/schema.h"

namespace customs::db {

namespace {

std::string Timestamp(const std::string& t) {
  // Go's database leaves the zero time in records it has not dated.
  if (StartsWith(t, "0001-01-01")) return "";
  return t;
}

// Distributions: an ECOSYSTEM range's fixed event is the distro's fixed version. `eco` is the raw
// OSV name or the normalized key (either case); the distribution table (core/distro.h) decides.
bool IsDistro(const std::string& eco) { return distro::IsDistroEcosystem(eco); }

// The CVSS entries of a severity[] list (CVSS_V2/V3/V4); other types are ratings, not vectors.
void Severities(const nlohmann::json& j, std::vector<CvssVector>& out) {
  const auto* sev = Child(j, "severity");
  if (!sev || !sev->is_array()) return;
  for (const auto& s : *sev) {
    std::string type = Str(s, "type"), score = Str(s, "score");
    if (StartsWith(type, "CVSS_") && !score.empty()) out.push_back({type, score, ""});
  }
}

// The distribution's own rating word for one affected package, lowercase, or "":
//   Ubuntu   affected[].ecosystem_specific.ubuntu_priority (canonical/ubuntu-security-notices osv/),
//            or a severity[] entry of type "Ubuntu" (OSV.dev's form): negligible, low, medium, high,
//            critical;
//   Red Hat, AlmaLinux, Rocky Linux: the errata severity that opens the summary ("Moderate: curl
//            security update"): low, moderate, important, critical.
std::string DistroRating(const nlohmann::json& record, const nlohmann::json& affected, const std::string& eco_raw) {
  if (const auto* es = Child(affected, "ecosystem_specific"))
    if (std::string p = Lower(Trim(Str(*es, "ubuntu_priority"))); !p.empty()) return p;
  for (const nlohmann::json* j : {&affected, &record})
    if (const auto* sev = Child(*j, "severity"); sev && sev->is_array())
      for (const auto& e : *sev)
        if (Str(e, "type") == "Ubuntu")
          if (std::string p = Lower(Trim(Str(e, "score"))); !p.empty()) return p;
  const std::string l = Lower(eco_raw);
  if (StartsWith(l, "red hat") || StartsWith(l, "almalinux") || StartsWith(l, "rocky linux")) {
    const std::string summary = Trim(Str(record, "summary"));
    size_t colon = summary.find(':');
    if (colon != std::string::npos) {
      std::string word = Lower(Trim(summary.substr(0, colon)));
      if (word == "low" || word == "moderate" || word == "important" || word == "critical") return word;
    }
  }
  return "";
}

// Returns false with `error` on a record that violates the schema in a way we cannot use.
bool ParseRecord(const nlohmann::json& j, AdvisoryRecord& rec, std::string& error) {
  if (!j.is_object()) return error = "not an OSV object", false;
  rec.id = Trim(Str(j, "id"));
  if (rec.id.empty()) return error = "no id", false;
  rec.modified = Timestamp(Str(j, "modified"));
  rec.published = Timestamp(Str(j, "published"));
  rec.withdrawn = Timestamp(Str(j, "withdrawn"));
  rec.aliases = StrList(j, "aliases");
  rec.summary = Trim(Str(j, "summary"));
  rec.details = Trim(Str(j, "details"));
  Severities(j, rec.cvss);
  if (const auto* refs = Child(j, "references"); refs && refs->is_array()) {
    for (const auto& r : *refs) {
      std::string url = Str(r, "url");
      if (!url.empty()) rec.references.push_back({Str(r, "type"), url});
    }
  }
  if (const auto* ds = Child(j, "database_specific")) rec.cwes = StrList(*ds, "cwe_ids");
  const auto* affected = Child(j, "affected");
  if (affected && !affected->is_array()) return error = "affected is not a list", false;
  if (!affected) return true;
  size_t ai = 0;
  for (const auto& aj : *affected) {
    const std::string at = "affected[" + std::to_string(ai++) + "]";
    if (!aj.is_object()) return error = at + " is not an object", false;
    const auto* pkg = Child(aj, "package");
    if (!pkg) continue;  // GIT-only entries name no package: nothing a package matcher can use
    Affected a;
    std::string eco_raw = Str(*pkg, "ecosystem"), name = Str(*pkg, "name");
    if (eco_raw.empty() || name.empty()) return error = at + ": package without ecosystem or name", false;
    a.ecosystem = NormalizeEcosystem(eco_raw);
    a.package = NormalizePackage(a.ecosystem, name);
    a.purl = Str(*pkg, "purl");
    if (const auto* ranges = Child(aj, "ranges")) {
      if (!ranges->is_array()) return error = at + ": ranges is not a list", false;
      for (const auto& rj : *ranges) {
        Range r;
        r.type = Str(rj, "type");
        r.repo = Str(rj, "repo");
        if (r.type.empty()) return error = at + ": range without type", false;
        const auto* events = Child(rj, "events");
        if (!events || !events->is_array() || events->empty())
          return error = at + ": range without events", false;
        for (const auto& ej : *events) {
          if (!ej.is_object() || ej.size() != 1) return error = at + ": an event must have exactly one key", false;
          auto it = ej.begin();
          std::string kind = it.key(), version = AsStr(*it);
          if (kind != "introduced" && kind != "fixed" && kind != "last_affected" && kind != "limit")
            return error = at + ": unknown event '" + kind + "'", false;
          if (version.empty()) return error = at + ": empty " + kind + " version", false;
          r.events.push_back({kind, version});
        }
        a.ranges.push_back(std::move(r));
      }
    }
    a.versions = StrList(aj, "versions");
    SortUnique(a.versions);
    std::vector<CvssVector> asev;
    Severities(aj, asev);
    a.severity = DistroRating(j, aj, eco_raw);
    if (a.severity.empty() && !asev.empty()) a.severity = asev.front().vector;
    for (auto& s : asev) rec.cvss.push_back(std::move(s));
    if (a.severity.empty())
      if (const auto* ds = Child(aj, "database_specific")) a.severity = Str(*ds, "severity");
    if (a.severity.empty())
      if (const auto* ds = Child(j, "database_specific")) a.severity = Str(*ds, "severity");
    // status and, for distro ecosystems, the fixed version
    bool fixed = false;
    for (const auto& r : a.ranges)
      for (const auto& e : r.events)
        if (e.kind == "fixed") {
          fixed = true;
          if ((IsDistro(a.ecosystem) || IsDistro(eco_raw)) && r.type == "ECOSYSTEM") a.fixed_version = e.version;
        }
    a.status = fixed ? kStatusFixed : kStatusUnfixed;
    if (a.ranges.empty() && a.versions.empty()) a.status = kStatusUnfixed;  // all versions
    rec.affected.push_back(std::move(a));
  }
  return true;
}

void ParseDoc(std::string_view data, const std::string& name, bool yaml, Sink& sink) {
  nlohmann::json doc;
  std::string err;
  if (!ParseDocument(data, yaml, doc, err, name)) return sink.Skip(name, err);
  // A file may hold one record or a list of them.
  auto one = [&](const nlohmann::json& j, const std::string& where) {
    AdvisoryRecord rec;
    std::string e;
    if (!ParseRecord(j, rec, e)) return sink.Skip(where, e);
    sink.Advisory(std::move(rec));
  };
  if (doc.is_array()) {
    for (size_t i = 0; i < doc.size(); ++i) one(doc[i], name + "[" + std::to_string(i) + "]");
  } else {
    one(doc, name);
  }
}

void ParseZip(const std::filesystem::path& path, Sink& sink) {
  std::unique_ptr<archive, decltype(&archive_read_free)> a(archive_read_new(), archive_read_free);
  archive_read_support_format_zip(a.get());
  if (archive_read_open_filename(a.get(), path.c_str(), 1 << 16) != ARCHIVE_OK)
    return sink.Skip(path.string(), std::string("cannot open zip: ") + archive_error_string(a.get()));
  std::vector<std::pair<std::string, std::string>> entries;  // sorted by name below: deterministic order
  archive_entry* e = nullptr;
  constexpr int64_t kMaxEntry = 64 << 20;
  while (true) {
    int rc = archive_read_next_header(a.get(), &e);
    if (rc == ARCHIVE_EOF) break;
    if (rc < ARCHIVE_WARN) {
      sink.Skip(path.string(), std::string("zip: ") + archive_error_string(a.get()));
      break;
    }
    if (archive_entry_filetype(e) != AE_IFREG) continue;
    std::string ename = archive_entry_pathname(e) ? archive_entry_pathname(e) : "";
    std::string l = Lower(ename);
    if (!EndsWith(l, ".json") && !IsYamlName(l)) continue;
    if (archive_entry_size_is_set(e) && archive_entry_size(e) > kMaxEntry) {
      sink.Skip(path.string() + ":" + ename, "entry too large");
      continue;
    }
    std::string data;
    char buf[1 << 16];
    la_ssize_t n;
    bool ok = true;
    while ((n = archive_read_data(a.get(), buf, sizeof buf)) > 0) {
      data.append(buf, size_t(n));
      if (int64_t(data.size()) > kMaxEntry) {
        ok = false;
        break;
      }
    }
    if (n < 0 || !ok) {
      sink.Skip(path.string() + ":" + ename, n < 0 ? std::string("zip: ") + archive_error_string(a.get()) : "entry too large");
      if (n < 0) break;
      continue;
    }
    entries.emplace_back(std::move(ename), std::move(data));
  }
  std::sort(entries.begin(), entries.end());
  for (const auto& [ename, data] : entries) ParseDoc(data, path.string() + ":" + ename, IsYamlName(ename), sink);
}

void ParseBytes(std::string_view data, const std::string& name, Sink& sink) {
  ParseDoc(data, name, IsYamlName(name), sink);
}

void ParsePath(const std::filesystem::path& path, Sink& sink) {
  for (const auto& f : ListFiles(path)) {
    std::string n = Lower(f.filename().string());
    if (EndsWith(n, ".zip")) {
      ParseZip(f, sink);
      continue;
    }
    if (!EndsWith(n, ".json") && !IsYamlName(n)) continue;
    std::string data, err;
    if (!ReadWholeFile(f, data, err)) {
      sink.Skip(f.string(), err);
      continue;
    }
    ParseDoc(data, f.string(), IsYamlName(n), sink);
  }
}

bool MatchesDirName(const std::string& n) { return StartsWith(Lower(n), "osv"); }

bool Sniff(const std::filesystem::path& file, std::string_view head) {
  if (EndsWith(Lower(file.filename().string()), ".zip")) return true;
  return (head.find("\"affected\"") != std::string_view::npos || head.find("affected:") != std::string_view::npos ||
          head.find("schema_version") != std::string_view::npos) &&
         (head.find("\"modified\"") != std::string_view::npos || head.find("modified:") != std::string_view::npos);
}

}  // namespace

const Feed& Feed_osv() {
  static const Feed f{"osv", "OSV", "OSV", "https://osv.dev/", MatchesDirName, Sniff, ParsePath, ParseBytes};
  return f;
}

}  // namespace customs::db
