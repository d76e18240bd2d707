// NVD CVE API 2.0 JSON (https://nvd.nist.gov/developers/vulnerabilities): one response page per file,
//   {resultsPerPage, startIndex, totalResults, format: "NVD_CVE", version: "2.0", timestamp,
//    vulnerabilities: [{cve: {id, published, lastModified, metrics: {cvssMetricV40|V31|V30|V2: [
//      {source, type: Primary|Secondary, cvssData: {version, vectorString, baseScore}}]},
//      weaknesses: [{description: [{lang, value: "CWE-79"}]}]}}]}
// Used for enrichment only: CVSS vectors, CWE ids, the English description and dates per CVE. The
// NVD JSON 2.0 data feeds (https://nvd.nist.gov/vuln/data-feeds: nvdcve-2.0-YYYY.json.gz, -modified)
// have the same shape; files ending .json.gz (or any gzip content) are decompressed, and the
// `vulnerabilities` array is parsed one element at a time (formats/json.h ParseJsonStreamingArray). A
// vector that cvss::Parse rejects is dropped and reported (file, record, metric); the record stays. The
// builder keeps, per CVE, the record with the newest lastModified across all files.
#include <vector>

#include "core/error.h"
#include "cvss/cvss.h"
#include "db/feeds/docs.h"
#include "db/feeds/feed.h"
#include "formats/json.h"

namespace customs::db {

namespace {

// One element of `vulnerabilities` into `out` (problems reported to the sink).
void ParseVulnerability(const nlohmann::json& v, size_t index, const std::string& name, Sink& sink,
                        std::vector<NvdRecord>& out) {
  const std::string where = name + ": vulnerabilities[" + std::to_string(index) + "]";
  const auto* cve = Child(v, "cve");
  NvdRecord r;
  if (cve) r.cve = Trim(Str(*cve, "id"));
  if (!cve || !StartsWith(r.cve, "CVE-")) {
    sink.Skip(where, "entry without cve.id");
    return;
  }
  const std::string rec_where = where + " (" + r.cve + ")";
  r.published = Str(*cve, "published");
  r.modified = Str(*cve, "lastModified");
  if (const auto* descs = Child(*cve, "descriptions"); descs && descs->is_array())
    for (const auto& d : *descs)
      if (d.is_object() && Str(d, "lang") == "en" && r.description.empty()) r.description = Trim(Str(d, "value"));
  if (const auto* metrics = Child(*cve, "metrics"); metrics && metrics->is_object()) {
    static const std::pair<const char*, const char*> kinds[] = {{"cvssMetricV40", "CVSS_V4"},
                                                               {"cvssMetricV31", "CVSS_V3"},
                                                               {"cvssMetricV30", "CVSS_V3"},
                                                               {"cvssMetricV2", "CVSS_V2"}};
    for (const auto& [key, type] : kinds) {
      const auto* list = Child(*metrics, key);
      if (!list || !list->is_array()) continue;
      size_t mi = 0;
      for (const auto& m : *list) {
        const std::string metric = std::string(key) + "[" + std::to_string(mi++) + "]";
        const auto* data = Child(m, "cvssData");
        std::string vec = data ? Trim(Str(*data, "vectorString")) : "";
        if (vec.empty()) continue;
        std::string why;
        if (!cvss::Parse(vec, &why)) {
          sink.Skip(rec_where, metric + ": invalid CVSS vector '" + vec + "': " + why + " (vector dropped)");
          continue;
        }
        std::string src = Str(m, "type") == "Primary" || Str(m, "type").empty() ? "nvd" : "nvd:" + Str(m, "source");
        r.cvss.push_back({type, vec, src});
      }
    }
  }
  if (const auto* weak = Child(*cve, "weaknesses"); weak && weak->is_array()) {
    for (const auto& w : *weak) {
      const auto* desc = Child(w, "description");
      if (!desc || !desc->is_array()) continue;
      for (const auto& d : *desc) {
        std::string val = Str(d, "value");
        if (StartsWith(val, "CWE-")) r.cwes.push_back(val);
      }
    }
  }
  out.push_back(std::move(r));
}

void ParseBytes(std::string_view data, const std::string& name, Sink& sink) {
  std::string err;
  std::string plain;
  if (IsGzip(data)) {
    if (!Gunzip(data, plain, err, 1ull << 30)) return sink.Skip(name, err);
    data = plain;
  }
  // A yearly feed is up to a GiB of JSON: its `vulnerabilities` are built one at a time (memory holds
  // one CVE's tree, not the file's), and the records, much smaller than their trees, are kept until the
  // document proves to be an NVD response.
  std::vector<NvdRecord> records;
  size_t index = 0;
  nlohmann::json doc;
  try {
    JsonLimits limits;
    limits.max_bytes = 1u << 30;
    doc = ParseJsonStreamingArray(
        data, name, "vulnerabilities",
        [&](nlohmann::json&& v) { ParseVulnerability(v, index++, name, sink, records); }, limits);
  } catch (const LimitError&) {
    throw;  // the feed file is rejected, not skipped (as ParseDocument does)
  } catch (const Error&) {
    return sink.Skip(name, "invalid JSON");
  }
  if (!doc.is_object()) return sink.Skip(name, "not an NVD CVE API 2.0 response (not a JSON object)");
  if (std::string fmt = Str(doc, "format"); !fmt.empty() && fmt != "NVD_CVE")
    return sink.Skip(name, "not an NVD CVE API 2.0 response (format '" + fmt + "', expected NVD_CVE)");
  const auto* vulns = Child(doc, "vulnerabilities");
  if (!vulns || !vulns->is_array()) return sink.Skip(name, "not an NVD CVE API 2.0 response (no vulnerabilities)");
  if (std::string ts = Str(doc, "timestamp"); !ts.empty()) sink.Snapshot(ts);
  for (auto& r : records) sink.Nvd(std::move(r));
}

void ParsePath(const std::filesystem::path& path, Sink& sink) {
  for (const auto& f : ListFiles(path)) {
    const std::string n = Lower(f.filename().string());
    if (!EndsWith(n, ".json") && !EndsWith(n, ".json.gz")) continue;
    std::string data, err;
    if (!ReadWholeFile(f, data, err, 1ull << 30)) {
      sink.Skip(f.string(), err);
      continue;
    }
    ParseBytes(data, f.string(), sink);
  }
}

bool MatchesDirName(const std::string& n) { return StartsWith(Lower(n), "nvd"); }

bool Sniff(const std::filesystem::path& file, std::string_view head) {
  return head.find("\"NVD_CVE\"") != std::string_view::npos ||
         (head.find("\"resultsPerPage\"") != std::string_view::npos && head.find("\"vulnerabilities\"") != std::string_view::npos);
}

}  // namespace

const Feed& Feed_nvd() {
  static const Feed f{"nvd", "NVD CVE API 2.0", "NVD", "https://nvd.nist.gov/", MatchesDirName, Sniff, ParsePath, ParseBytes};
  return f;
}

}  // namespace customs::db
