// FIRST's EPSS daily scores (https://www.first.org/epss/data_stats), the file
// `epss_scores-YYYY-MM-DD.csv.gz` (gzip or plain CSV):
//   #model_version:v2025.03.14,score_date:2025-03-14T00:00:00Z     <- one comment line
//   cve,epss,percentile                                             <- header
//   CVE-1999-0001,0.01130,0.77763                                   <- one row per scored CVE
// `epss` is the probability of exploitation activity in the next 30 days, `percentile` its rank
// among all scored CVEs; both in [0, 1]. The score date becomes the source's snapshot. A broken row
// (bad CVE id, a score that is not a number in [0, 1], a column count other than the header's) is
// skipped and reported as file:line.
#include <cmath>
#include <cstdlib>

#include "db/feeds/feed.h"

namespace customs::db {

namespace {

bool IsCveId(std::string_view s) {
  // CVE-YYYY-NNNN with four or more digits (https://www.cve.org/About/Process#CVERecordLifecycle)
  if (s.size() < 13 || s.substr(0, 4) != "CVE-" || s[8] != '-') return false;
  for (size_t i = 4; i < 8; ++i)
    if (s[i] < '0' || s[i] > '9') return false;
  for (size_t i = 9; i < s.size(); ++i)
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}

// A decimal in [0, 1], the whole field (no sign, no trailing text, no NaN).
bool Probability(const std::string& s, double& out) {
  if (s.empty() || !((s[0] >= '0' && s[0] <= '9') || s[0] == '.')) return false;
  char* end = nullptr;
  out = std::strtod(s.c_str(), &end);
  return end == s.c_str() + s.size() && std::isfinite(out) && out >= 0 && out <= 1;
}

std::vector<std::string> SplitCsv(std::string_view line) {
  // The feed never quotes (ids and decimals only); a quoted field is a broken row.
  std::vector<std::string> out;
  size_t start = 0;
  for (;;) {
    size_t comma = line.find(',', start);
    out.push_back(Trim(line.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start)));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out;
}

// "model_version:v2025.03.14,score_date:2025-03-14T00:00:00Z" -> the score_date value.
std::string ScoreDate(std::string_view comment) {
  for (const auto& part : SplitCsv(comment)) {
    size_t colon = part.find(':');
    if (colon != std::string::npos && Trim(part.substr(0, colon)) == "score_date") return Trim(part.substr(colon + 1));
  }
  return "";
}

void ParseBytes(std::string_view data, const std::string& name, Sink& sink) {
  std::string plain;
  if (IsGzip(data)) {
    std::string err;
    if (!Gunzip(data, plain, err, 1ull << 30)) return sink.Skip(name, err);
    data = plain;
  }
  int cve_col = -1, epss_col = -1, pct_col = -1;
  size_t width = 0;
  bool header = false;
  size_t lineno = 0;
  for (size_t pos = 0; pos < data.size();) {
    size_t nl = data.find('\n', pos);
    std::string_view line = data.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? data.size() : nl + 1;
    ++lineno;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (lineno == 1 && line.size() >= 3 && line.substr(0, 3) == "\xEF\xBB\xBF") line.remove_prefix(3);
    if (Trim(line).empty()) continue;
    const std::string where = name + ":" + std::to_string(lineno);
    if (line[0] == '#') {
      if (!header)
        if (std::string d = ScoreDate(line.substr(1)); !d.empty()) sink.Snapshot(d);
      continue;
    }
    auto fields = SplitCsv(line);
    if (!header) {
      for (size_t i = 0; i < fields.size(); ++i) {
        std::string f = Lower(fields[i]);
        if (f == "cve") cve_col = int(i);
        if (f == "epss") epss_col = int(i);
        if (f == "percentile") pct_col = int(i);
      }
      if (cve_col < 0 || epss_col < 0 || pct_col < 0)
        return sink.Skip(where, "not an EPSS scores CSV (expected the header cve,epss,percentile)");
      width = fields.size();
      header = true;
      continue;
    }
    if (fields.size() != width) {
      sink.Skip(where, std::to_string(fields.size()) + " columns, the header has " + std::to_string(width));
      continue;
    }
    EpssRecord r;
    r.cve = fields[size_t(cve_col)];
    if (!IsCveId(r.cve)) {
      sink.Skip(where, "not a CVE id: '" + r.cve + "'");
      continue;
    }
    if (!Probability(fields[size_t(epss_col)], r.epss)) {
      sink.Skip(where, r.cve + ": epss '" + fields[size_t(epss_col)] + "' is not a number in [0, 1]");
      continue;
    }
    if (!Probability(fields[size_t(pct_col)], r.percentile)) {
      sink.Skip(where, r.cve + ": percentile '" + fields[size_t(pct_col)] + "' is not a number in [0, 1]");
      continue;
    }
    sink.Epss(std::move(r));
  }
  if (!header) sink.Skip(name, "not an EPSS scores CSV (no header cve,epss,percentile)");
}

bool Wanted(const std::filesystem::path& f) {
  std::string n = Lower(f.filename().string());
  return EndsWith(n, ".csv") || EndsWith(n, ".csv.gz");
}

void ParsePath(const std::filesystem::path& path, Sink& sink) {
  for (const auto& f : ListFiles(path)) {
    if (!Wanted(f)) continue;
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
  return l == "epss" || StartsWith(l, "epss-") || StartsWith(l, "epss_");
}

bool Sniff(const std::filesystem::path& file, std::string_view head) {
  if (!Wanted(file)) return false;
  if (StartsWith(Lower(file.filename().string()), "epss_scores-")) return true;
  return StartsWith(head, "#model_version:") || StartsWith(head, "cve,epss,percentile");
}

}  // namespace

const Feed& Feed_epss() {
  static const Feed f{"epss", "FIRST EPSS CSV", "FIRST EPSS", "https://www.first.org/epss/", MatchesDirName, Sniff, ParsePath, ParseBytes};
  return f;
}

}  // namespace customs::db
