// CISA Known Exploited Vulnerabilities catalog (JSON):
//   {title, catalogVersion, dateReleased, count, vulnerabilities: [{cveID, vendorProject, product,
//    vulnerabilityName, dateAdded, dueDate, knownRansomwareCampaignUse, cwes: [...]}]}
#include "db/feeds/docs.h"
#include "db/feeds/feed.h"

namespace customs::db {

namespace {

void ParseBytes(std::string_view data, const std::string& name, Sink& sink) {
  nlohmann::json doc;
  std::string err;
  if (!ParseDocument(data, false, doc, err, name)) return sink.Skip(name, err);
  const auto* vulns = Child(doc, "vulnerabilities");
  if (!vulns || !vulns->is_array()) return sink.Skip(name, "not a KEV catalog (no vulnerabilities list)");
  std::string snap = Str(doc, "dateReleased");
  if (snap.empty()) snap = Str(doc, "catalogVersion");
  if (!snap.empty()) sink.Snapshot(snap);
  size_t i = 0;
  for (const auto& v : *vulns) {
    const std::string where = name + ": vulnerabilities[" + std::to_string(i++) + "]";
    KevRecord k;
    k.cve = Trim(Str(v, "cveID"));
    k.date_added = Str(v, "dateAdded");
    if (!StartsWith(k.cve, "CVE-") || k.date_added.empty()) {
      sink.Skip(where, "entry without cveID or dateAdded");
      continue;
    }
    k.due_date = Str(v, "dueDate");
    k.ransomware_use = Str(v, "knownRansomwareCampaignUse");
    k.vendor = Str(v, "vendorProject");
    k.product = Str(v, "product");
    k.name = Str(v, "vulnerabilityName");
    k.cwes = StrList(v, "cwes");
    sink.Kev(std::move(k));
  }
}

void ParsePath(const std::filesystem::path& path, Sink& sink) {
  for (const auto& f : ListFiles(path)) {
    if (!EndsWith(Lower(f.filename().string()), ".json")) continue;
    std::string data, err;
    if (!ReadWholeFile(f, data, err)) {
      sink.Skip(f.string(), err);
      continue;
    }
    ParseBytes(data, f.string(), sink);
  }
}

bool MatchesDirName(const std::string& n) { return Lower(n) == "kev" || StartsWith(Lower(n), "cisa-kev"); }

bool Sniff(const std::filesystem::path& file, std::string_view head) {
  return head.find("\"catalogVersion\"") != std::string_view::npos ||
         head.find("known_exploited") != std::string_view::npos || head.find("\"cveID\"") != std::string_view::npos;
}

}  // namespace

const Feed& Feed_kev() {
  static const Feed f{"kev", "CISA KEV", "CISA Known Exploited Vulnerabilities", "https://www.cisa.gov/known-exploited-vulnerabilities-catalog", MatchesDirName, Sniff, ParsePath, ParseBytes};
  return f;
}

}  // namespace customs::db
