// Amazon Linux Security Advisories (ALAS, https://alas.aws.amazon.com/), in the two forms they are
// published in:
//  - yum's updateinfo.xml (plain or .gz), the file every Amazon Linux repository carries in its
//    repodata: <updates><update type="security"><id>ALAS2-2018-951</id><title/><issued date/>
//    <updated date/><severity>important</severity><description/><references><reference type="cve"
//    id="CVE-..." href/></references><pkglist><collection short="amazon-linux-2"><package name epoch
//    version release arch/></collection></pkglist></update></updates>. Parsed with pugixml (no DTDs or
//    external entities are resolved: pugixml never fetches anything).
//  - one JSON document per advisory with the same fields (id, title, issued.date, updated.date,
//    severity, description, packages[], references[], cveids[]), as aquasecurity/vuln-list mirrors
//    them under amazon/<release>/.
// The release comes from the advisory id (ALAS- Amazon Linux 1 = amzn:2018, ALAS2-… and the extras
// topics ALAS2KERNEL-5.10-… = amzn:2, ALAS2023-… = amzn:2023), else the collection's short name. Each
// package becomes a distro record: fixed version "[E:]V-R" (epoch 0 omitted, as rpm writes it), the
// ALAS severity as the distribution's rating. Non-security updates are ignored; a malformed update is
// reported with file and id and skipped.
#include <pugixml.hpp>

#include <cctype>
#include <map>

#include "db/feeds/docs.h"
#include "db/feeds/feed.h"
#include "db/schema.h"

namespace customs::db {

namespace {

constexpr size_t kMaxXmlBytes = 512u << 20;

// "ALAS2023-2024-100" -> "2023", "ALAS2-2018-951" / "ALAS2KERNEL-5.10-2022-001" -> "2", "ALAS-2018-1" ->
// "2018"; "" when the id is not an ALAS id.
std::string ReleaseFromId(const std::string& id) {
  if (!StartsWith(id, "ALAS")) return "";
  size_t i = 4;
  std::string digits;
  while (i < id.size() && std::isdigit(static_cast<unsigned char>(id[i]))) digits += id[i++];
  if (i >= id.size()) return "";
  if (digits.empty()) return id[i] == '-' ? "2018" : "";
  return digits;
}

// "amazon-linux-2023" -> "2023", "amazon-linux-2" -> "2".
std::string ReleaseFromCollection(const std::string& short_name) {
  const std::string l = Lower(short_name);
  constexpr std::string_view kPrefix = "amazon-linux-";
  if (!StartsWith(l, kPrefix)) return "";
  std::string rest = l.substr(kPrefix.size());
  size_t n = 0;
  while (n < rest.size() && std::isdigit(static_cast<unsigned char>(rest[n]))) ++n;
  return rest.substr(0, n);
}

struct Pkg {
  std::string name, epoch, version, release;
};

std::string Evr(const Pkg& p) {
  std::string v = p.version + (p.release.empty() ? "" : "-" + p.release);
  if (!p.epoch.empty() && p.epoch != "0") v = p.epoch + ":" + v;
  return v;
}

// One advisory, whichever form it came in.
struct Alas {
  std::string id, title, issued, updated, severity, description, collection;
  std::vector<Pkg> packages;
  std::vector<Reference> references;
  std::vector<std::string> cves;
};

void Emit(Alas&& a, const std::string& where, Sink& sink) {
  const std::string at = where + " (" + a.id + ")";
  std::string release = ReleaseFromId(a.id);
  if (release.empty()) release = ReleaseFromCollection(a.collection);
  if (release.empty()) return sink.Skip(at, "not an Amazon Linux advisory id, and no amazon-linux-N collection");
  if (a.packages.empty()) return sink.Skip(at, "advisory without packages");
  AdvisoryRecord rec;
  rec.id = a.id;
  rec.summary = Trim(a.title);
  rec.details = Trim(a.description);
  rec.published = Trim(a.issued);
  rec.modified = Trim(a.updated);
  rec.references = std::move(a.references);
  rec.references.push_back({"ADVISORY", "https://alas.aws.amazon.com/" +
                                            std::string(release == "2" ? "AL2/" : release == "2023" ? "AL2023/" : "") +
                                            a.id + ".html"});
  for (auto& c : a.cves) {
    c = Trim(c);
    if (StartsWith(Lower(c), "cve-")) c = "CVE-" + c.substr(4);
  }
  SortUnique(a.cves);
  rec.aliases = a.cves;
  const std::string eco = NormalizeEcosystem("amzn:" + release);
  // One record per package name (an advisory lists each package once per architecture).
  std::map<std::string, std::string> fixed;
  for (const auto& p : a.packages) {
    if (p.name.empty() || p.version.empty()) return sink.Skip(at, "package without name or version");
    fixed.emplace(p.name, Evr(p));
  }
  for (const auto& [name, evr] : fixed) {
    Affected af;
    af.ecosystem = eco;
    af.package = name;
    af.fixed_version = evr;
    af.status = kStatusFixed;
    af.severity = Lower(Trim(a.severity));
    rec.affected.push_back(std::move(af));
  }
  sink.Advisory(std::move(rec));
}

void ParseXml(std::string_view data, const std::string& name, Sink& sink) {
  if (data.size() > kMaxXmlBytes) return sink.Skip(name, "updateinfo.xml larger than 512 MiB");
  pugi::xml_document doc;
  // parse_default without DOCTYPE processing beyond skipping it; entities other than the five XML
  // ones are left as text (pugixml has no external entity support at all).
  const pugi::xml_parse_result r = doc.load_buffer(data.data(), data.size(), pugi::parse_default, pugi::encoding_utf8);
  if (!r) return sink.Skip(name, std::string("invalid XML at byte ") + std::to_string(r.offset) + ": " + r.description());
  const pugi::xml_node updates = doc.child("updates");
  if (!updates) return sink.Skip(name, "not an updateinfo.xml (no <updates> element)");
  size_t i = 0;
  for (const pugi::xml_node u : updates.children("update")) {
    ++i;
    if (std::string(u.attribute("type").value()) != "security") continue;
    Alas a;
    a.id = Trim(u.child_value("id"));
    if (a.id.empty()) {
      sink.Skip(name + ": update[" + std::to_string(i) + "]", "update without <id>");
      continue;
    }
    a.title = u.child_value("title");
    a.issued = u.child("issued").attribute("date").value();
    a.updated = u.child("updated").attribute("date").value();
    a.severity = u.child_value("severity");
    a.description = u.child_value("description");
    for (const pugi::xml_node ref : u.child("references").children("reference")) {
      const std::string type = Lower(ref.attribute("type").value());
      const std::string id = ref.attribute("id").value();
      if (type == "cve" && !id.empty()) a.cves.push_back(id);
      if (const std::string href = ref.attribute("href").value(); !href.empty()) a.references.push_back({type, href});
    }
    for (const pugi::xml_node col : u.child("pkglist").children("collection")) {
      if (a.collection.empty()) a.collection = col.attribute("short").value();
      for (const pugi::xml_node p : col.children("package"))
        a.packages.push_back({p.attribute("name").value(), p.attribute("epoch").value(), p.attribute("version").value(),
                              p.attribute("release").value()});
    }
    Emit(std::move(a), name, sink);
  }
}

void ParseJsonAdvisory(std::string_view data, const std::string& name, Sink& sink) {
  nlohmann::json j;
  std::string err;
  if (!ParseDocument(data, false, j, err, name)) return sink.Skip(name, err);
  if (!j.is_object() || Str(j, "id").empty()) return sink.Skip(name, "not an ALAS advisory (no id)");
  Alas a;
  a.id = Trim(Str(j, "id"));
  a.title = Str(j, "title");
  if (const auto* d = Child(j, "issued")) a.issued = Str(*d, "date");
  if (const auto* d = Child(j, "updated")) a.updated = Str(*d, "date");
  a.severity = Str(j, "severity");
  a.description = Str(j, "description");
  if (const auto* ps = Child(j, "packages"); ps && ps->is_array())
    for (const auto& p : *ps)
      a.packages.push_back({Str(p, "name"), Str(p, "epoch"), Str(p, "version"), Str(p, "release")});
  if (const auto* rs = Child(j, "references"); rs && rs->is_array())
    for (const auto& r : *rs) {
      if (Lower(Str(r, "type")) == "cve" && !Str(r, "id").empty()) a.cves.push_back(Str(r, "id"));
      if (!Str(r, "href").empty()) a.references.push_back({Lower(Str(r, "type")), Str(r, "href")});
    }
  for (const auto& c : StrList(j, "cveids")) a.cves.push_back(c);
  Emit(std::move(a), name, sink);
}

void ParseBytes(std::string_view data, const std::string& name, Sink& sink) {
  std::string plain, err;
  if (IsGzip(data)) {
    if (!Gunzip(data, plain, err, kMaxXmlBytes)) return sink.Skip(name, err);
    data = plain;
  }
  size_t i = 0;
  while (i < data.size() && std::isspace(static_cast<unsigned char>(data[i]))) ++i;
  if (i < data.size() && data[i] == '<') return ParseXml(data, name, sink);
  ParseJsonAdvisory(data, name, sink);
}

void ParsePath(const std::filesystem::path& path, Sink& sink) {
  for (const auto& f : ListFiles(path)) {
    const std::string n = Lower(f.filename().string());
    if (!EndsWith(n, ".xml") && !EndsWith(n, ".xml.gz") && !EndsWith(n, ".json")) continue;
    std::string data, err;
    if (!ReadWholeFile(f, data, err, kMaxXmlBytes)) {
      sink.Skip(f.string(), err);
      continue;
    }
    ParseBytes(data, f.string(), sink);
  }
}

bool MatchesDirName(const std::string& n) {
  const std::string l = Lower(n);
  return StartsWith(l, "amazon") || StartsWith(l, "alas");
}

bool Sniff(const std::filesystem::path& file, std::string_view head) {
  return (head.find("<updates") != std::string_view::npos && head.find("ALAS") != std::string_view::npos) ||
         (head.find("\"id\"") != std::string_view::npos && head.find("\"ALAS") != std::string_view::npos);
}

}  // namespace

const Feed& Feed_amazon_alas() {
  static const Feed f{"amazon_alas", "Amazon ALAS (updateinfo.xml / JSON)", "Amazon Linux Security Center",
                      "https://alas.aws.amazon.com/", MatchesDirName, Sniff, ParsePath, ParseBytes};
  return f;
}

}  // namespace customs::db
