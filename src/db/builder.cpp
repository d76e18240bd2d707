#include "db/builder.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <iomanip>
#include <map>
#include <ostream>
#include <sstream>

#include "core/error.h"
#include "db/feeds/docs.h"
#include "db/feeds/feed.h"
#include "db/schema.h"
#include "version/version.h"

namespace customs::db {

namespace fs = std::filesystem;

namespace {

std::string Head(const fs::path& file) {
  std::string data;
  FILE* f = std::fopen(file.c_str(), "rb");
  if (!f) return "";
  data.resize(65536);
  size_t n = std::fread(data.data(), 1, data.size(), f);
  std::fclose(f);
  data.resize(n);
  return data;
}

bool CandidateName(const std::string& filename) {
  std::string n = Lower(filename);
  return EndsWith(n, ".json") || IsYamlName(n) || EndsWith(n, ".md") || EndsWith(n, ".list") ||
         EndsWith(n, ".zip") || n == "list" || EndsWith(n, ".csv") || EndsWith(n, ".csv.gz") || EndsWith(n, ".json.gz");
}

const Feed* SniffFile(const fs::path& file) {
  if (!CandidateName(file.filename().string())) return nullptr;
  std::string head = Head(file);
  for (const Feed* f : Feeds())
    if (f->Sniff(file, head)) return f;
  return nullptr;
}

const Feed* ByDirName(const std::string& name) {
  for (const Feed* f : Feeds())
    if (f->MatchesDirName(name)) return f;
  return nullptr;
}

// The feed of a directory by content: the first (sorted) candidate file some feed claims.
const Feed* SniffDir(const fs::path& dir) {
  int tried = 0;
  for (const auto& file : ListFiles(dir)) {
    if (!CandidateName(file.filename().string())) continue;
    if (const Feed* f = SniffFile(file)) return f;
    if (++tried >= 20) break;
  }
  return nullptr;
}

}  // namespace

void SortEventsForEvaluation(Range& r, const version::Comparator& cmp) {
  auto is_zero = [](const RangeEvent& e) { return e.kind == "introduced" && e.version == "0"; };
  // Limits last (their order is irrelevant to evaluation; kept as fed).
  auto limits = std::stable_partition(r.events.begin(), r.events.end(), [](const RangeEvent& e) { return e.kind != "limit"; });
  std::stable_sort(r.events.begin(), limits, [&](const RangeEvent& a, const RangeEvent& b) {
    bool az = is_zero(a), bz = is_zero(b);
    if (az != bz) return az;
    if (az) return false;
    return cmp.Compare(a.version, b.version) < 0;
  });
}

namespace {

std::string Rfc3339(time_t t) {
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

bool AllDigits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// ---- collection ----

struct Agg {
  AdvisoryRecord rec;  // rec.affected accumulates every source's entries
  std::string source;
};

struct Collected {
  std::map<std::string, Agg> advisories;
  std::map<std::string, KevRecord> kev;
  std::map<std::string, NvdRecord> nvd;
  std::map<std::string, EpssRecord> epss;
};

void FillIfEmpty(std::string& dst, std::string& src) {
  if (dst.empty() && !src.empty()) dst = std::move(src);
}

class CollectSink : public Sink {
 public:
  CollectSink(Collected& c, SourceSummary& s, std::vector<std::string>& diags) : c_(c), s_(s), diags_(diags) {}

  void Advisory(AdvisoryRecord&& r) override {
    ++s_.records;
    for (auto& a : r.affected) a.source = s_.name;
    for (auto& v : r.cvss)
      if (v.source.empty()) v.source = s_.name;
    auto [it, inserted] = c_.advisories.try_emplace(r.id);
    Agg& g = it->second;
    if (inserted) {
      g.rec = std::move(r);
      g.source = s_.name;
      return;
    }
    AdvisoryRecord& d = g.rec;
    FillIfEmpty(d.summary, r.summary);
    FillIfEmpty(d.details, r.details);
    FillIfEmpty(d.published, r.published);
    FillIfEmpty(d.modified, r.modified);
    FillIfEmpty(d.withdrawn, r.withdrawn);
    auto append = [](auto& dst, auto& src) {
      for (auto& x : src) dst.push_back(std::move(x));
    };
    append(d.aliases, r.aliases);
    append(d.references, r.references);
    append(d.cvss, r.cvss);
    append(d.cwes, r.cwes);
    append(d.affected, r.affected);
  }
  void Kev(KevRecord&& k) override {
    ++s_.records;
    auto [it, inserted] = c_.kev.try_emplace(k.cve, k);
    if (!inserted && k.date_added < it->second.date_added) it->second = std::move(k);
  }
  void Nvd(NvdRecord&& n) override {
    ++s_.records;
    for (auto& v : n.cvss)
      if (v.source.empty()) v.source = s_.name;
    // A CVE read twice (a yearly feed and the `modified` feed, or two API pages): the record with the
    // newest lastModified wins whole; on a tie the first one read stays. Never merged: merging would
    // double its CVSS list.
    auto [it, inserted] = c_.nvd.try_emplace(n.cve);
    if (inserted || n.modified > it->second.modified) it->second = std::move(n);
  }
  void Epss(EpssRecord&& e) override {
    ++s_.records;
    c_.epss[e.cve] = e;  // one score per CVE: the last one read wins
  }
  void Skip(const std::string& where, const std::string& reason) override {
    ++s_.skipped;
    diags_.push_back(where + ": " + reason);
  }
  void Snapshot(const std::string& date) override {
    if (date > s_.snapshot) s_.snapshot = date;
  }

 private:
  Collected& c_;
  SourceSummary& s_;
  std::vector<std::string>& diags_;
};

// A total order on Affected (used to sort and dedupe deterministically).
std::string AffectedKey(const Affected& a) {
  std::string k;
  auto add = [&](const std::string& s) {
    k += s;
    k += '\x1f';
  };
  add(a.ecosystem);
  add(a.package);
  add(a.source);
  add(a.status);
  add(a.fixed_version);
  add(a.status_note);
  add(a.severity);
  add(a.purl);
  for (const auto& r : a.ranges) {
    add(r.type);
    add(r.repo);
    for (const auto& e : r.events) add(e.kind + "=" + e.version);
    k += '\x1e';
  }
  for (const auto& v : a.versions) add(v);
  return k;
}

template <typename T, typename Key>
void SortUniqueBy(std::vector<T>& v, Key key) {
  std::sort(v.begin(), v.end(), [&](const T& a, const T& b) { return key(a) < key(b); });
  v.erase(std::unique(v.begin(), v.end(), [&](const T& a, const T& b) { return key(a) == key(b); }), v.end());
}

void BindOpt(Statement& st, int i, const std::string& s) {
  if (s.empty())
    st.BindNull(i);
  else
    st.Bind(i, s);
}

void Write(Connection& c, Collected& col, const std::vector<SourceSummary>& sources, const std::string& built,
           BuildResult& res) {
  c.Exec("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA locking_mode=EXCLUSIVE;");
  c.Exec("BEGIN");
  c.CreateSchema();
  {
    Statement meta(c, "INSERT INTO meta(key, value) VALUES (?, ?)");
    meta.Bind(1, "built").Bind(2, built).Run();
    meta.Bind(1, "generator").Bind(2, std::string("customs ") + CUSTOMS_VERSION).Run();
  }
  {
    Statement st(c, "INSERT INTO sources(name, format, records, skipped, snapshot, input) VALUES (?,?,?,?,?,?)");
    for (const auto& s : sources) {
      st.Bind(1, s.name).Bind(2, s.feed).Bind(3, s.records).Bind(4, s.skipped);
      BindOpt(st, 5, s.snapshot);
      st.Bind(6, s.input).Run();
    }
  }
  Statement adv(c, "INSERT INTO advisories(id, summary, details, published, modified, withdrawn, source) VALUES (?,?,?,?,?,?,?)");
  Statement alias(c, "INSERT OR IGNORE INTO aliases(advisory_id, alias) VALUES (?,?)");
  Statement ref(c, "INSERT INTO refs(advisory_id, seq, type, url) VALUES (?,?,?,?)");
  Statement cvss(c, "INSERT OR IGNORE INTO cvss(vuln_id, source, type, vector) VALUES (?,?,?,?)");
  Statement cwe(c, "INSERT OR IGNORE INTO cwes(vuln_id, cwe) VALUES (?,?)");
  Statement aff(c,
                "INSERT INTO affected(id, advisory_id, ecosystem, package, source, status, status_note, fixed_version, "
                "severity, purl) VALUES (?,?,?,?,?,?,?,?,?,?)");
  Statement rng(c,
                "INSERT INTO affected_ranges(affected_id, range_seq, seq, type, repo, event, version) VALUES (?,?,?,?,?,?,?)");
  Statement ver(c, "INSERT OR IGNORE INTO affected_versions(affected_id, version) VALUES (?,?)");

  int64_t affected_id = 0;
  for (auto& [id, g] : col.advisories) {
    AdvisoryRecord& r = g.rec;
    adv.Bind(1, id);
    BindOpt(adv, 2, r.summary);
    BindOpt(adv, 3, r.details);
    BindOpt(adv, 4, r.published);
    BindOpt(adv, 5, r.modified);
    BindOpt(adv, 6, r.withdrawn);
    adv.Bind(7, g.source).Run();
    ++res.advisories;

    SortUnique(r.aliases);
    for (const auto& a : r.aliases)
      if (a != id) alias.Bind(1, id).Bind(2, a).Run();
    // references: first occurrence order, duplicates dropped
    std::vector<Reference> refs;
    for (auto& x : r.references)
      if (std::find_if(refs.begin(), refs.end(), [&](const Reference& y) { return y.url == x.url; }) == refs.end())
        refs.push_back(x);
    int64_t seq = 0;
    for (const auto& x : refs) {
      ref.Bind(1, id).Bind(2, seq++);
      BindOpt(ref, 3, x.type);
      ref.Bind(4, x.url).Run();
    }
    for (const auto& v : r.cvss) cvss.Bind(1, id).Bind(2, v.source).Bind(3, v.type).Bind(4, v.vector).Run();
    for (const auto& w : r.cwes) cwe.Bind(1, id).Bind(2, w).Run();

    SortUniqueBy(r.affected, AffectedKey);
    for (auto& a : r.affected) {
      ++affected_id;
      aff.Bind(1, affected_id).Bind(2, id).Bind(3, a.ecosystem).Bind(4, a.package).Bind(5, a.source).Bind(6, a.status);
      BindOpt(aff, 7, a.status_note);
      BindOpt(aff, 8, a.fixed_version);
      BindOpt(aff, 9, a.severity);
      BindOpt(aff, 10, a.purl);
      aff.Run();
      const version::Comparator* order = version::ComparatorFor(a.ecosystem);
      for (size_t ri = 0; ri < a.ranges.size(); ++ri) {
        Range& range = a.ranges[ri];
        if (order && range.type != "GIT") SortEventsForEvaluation(range, *order);
        for (size_t ei = 0; ei < range.events.size(); ++ei) {
          rng.Bind(1, affected_id).Bind(2, int64_t(ri)).Bind(3, int64_t(ei)).Bind(4, range.type);
          BindOpt(rng, 5, range.repo);
          rng.Bind(6, range.events[ei].kind).Bind(7, range.events[ei].version).Run();
        }
      }
      for (const auto& v : a.versions) ver.Bind(1, affected_id).Bind(2, v).Run();
    }
  }
  res.affected = affected_id;
  Statement nvd(c, "INSERT INTO nvd(cve, description, published, modified) VALUES (?,?,?,?)");
  for (auto& [cve, n] : col.nvd) {
    nvd.Bind(1, cve);
    BindOpt(nvd, 2, n.description);
    BindOpt(nvd, 3, n.published);
    BindOpt(nvd, 4, n.modified);
    nvd.Run();
    for (const auto& v : n.cvss) cvss.Bind(1, cve).Bind(2, v.source).Bind(3, v.type).Bind(4, v.vector).Run();
    for (const auto& w : n.cwes) cwe.Bind(1, cve).Bind(2, w).Run();
  }
  {
    Statement epss(c, "INSERT INTO epss(cve, score, percentile) VALUES (?,?,?)");
    for (const auto& [cve, e] : col.epss) epss.Bind(1, cve).BindReal(2, e.epss).BindReal(3, e.percentile).Run();
  }
  {
    Statement kev(c, "INSERT INTO kev(cve, date_added, due_date, ransomware_use, vendor, product, name) VALUES (?,?,?,?,?,?,?)");
    for (const auto& [cve, k] : col.kev) {
      kev.Bind(1, cve).Bind(2, k.date_added);
      BindOpt(kev, 3, k.due_date);
      BindOpt(kev, 4, k.ransomware_use);
      BindOpt(kev, 5, k.vendor);
      BindOpt(kev, 6, k.product);
      BindOpt(kev, 7, k.name);
      kev.Run();
      for (const auto& w : k.cwes) cwe.Bind(1, cve).Bind(2, w).Run();
    }
  }
  c.Exec("COMMIT");
}

void PrintSummary(std::ostream& out, const BuildResult& res, const std::string& output) {
  size_t w = 6;
  for (const auto& s : res.sources) w = std::max(w, s.name.size());
  out << std::left << std::setw(int(w) + 2) << "SOURCE" << std::setw(16) << "FORMAT" << std::right << std::setw(9)
      << "RECORDS" << std::setw(9) << "SKIPPED" << "  SNAPSHOT\n";
  int64_t total = 0, skipped = 0;
  for (const auto& s : res.sources) {
    out << std::left << std::setw(int(w) + 2) << s.name << std::setw(16) << s.feed << std::right << std::setw(9)
        << s.records << std::setw(9) << s.skipped << "  " << (s.snapshot.empty() ? "-" : s.snapshot) << "\n";
    total += s.records;
    skipped += s.skipped;
  }
  out << std::left << std::setw(int(w) + 2) << "total" << std::setw(16) << "" << std::right << std::setw(9) << total
      << std::setw(9) << skipped << "\n";
  std::ostringstream secs;
  secs << std::fixed << std::setprecision(1) << res.seconds;
  out << "wrote " << output << ": " << res.advisories << " advisories, " << res.affected
      << " affected-package records, built " << res.built << " (" << secs.str() << "s)\n";
}

}  // namespace

std::string BuildTimestamp() {
  for (const char* var : {"CUSTOMS_FIXED_TIME", "SOURCE_DATE_EPOCH"}) {
    const char* v = std::getenv(var);
    if (!v || !*v) continue;
    std::string s = Trim(v);
    if (AllDigits(s) && s.size() < 15) return Rfc3339(time_t(std::stoll(s)));
    return s;
  }
  return Rfc3339(std::time(nullptr));
}

std::vector<SourceInput> DiscoverSources(const std::string& dir, std::vector<std::string>* ignored) {
  std::vector<SourceInput> out;
  std::error_code ec;
  fs::path root(dir);
  auto st = fs::status(root, ec);
  if (ec || !fs::exists(st)) throw IoError(dir, "no such file or directory");
  if (fs::is_regular_file(st)) {
    if (const Feed* f = SniffFile(root)) out.push_back({root.stem().string(), f->id, root.string()});
    return out;
  }
  if (!fs::is_directory(st)) throw IoError(dir, "not a directory or file");
  std::string base = root.filename().string();
  if (base.empty()) base = root.parent_path().filename().string();
  if (const Feed* f = ByDirName(base)) {
    out.push_back({base, f->id, root.string()});
    return out;
  }
  std::vector<fs::path> children;
  for (fs::directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) children.push_back(it->path());
  if (ec) throw IoError(dir, ec.message());
  std::sort(children.begin(), children.end());
  for (const auto& child : children) {
    std::string name = child.filename().string();
    if (StartsWith(name, ".")) continue;
    const Feed* f = nullptr;
    std::error_code e2;
    if (fs::is_directory(fs::symlink_status(child, e2))) {
      f = ByDirName(name);
      if (!f) f = SniffDir(child);
    } else if (fs::is_regular_file(fs::symlink_status(child, e2))) {
      f = SniffFile(child);
      if (f) name = child.stem().string();
    }
    if (f)
      out.push_back({name, f->id, child.string()});
    else if (ignored && Lower(name) != "readme.md" && Lower(name) != "readme")
      ignored->push_back(child.string());
  }
  if (out.empty()) {
    if (const Feed* f = SniffDir(root)) out.push_back({base, f->id, root.string()});
  }
  std::sort(out.begin(), out.end(), [](const SourceInput& a, const SourceInput& b) { return a.name < b.name; });
  // Two loose files with one stem would collide: keep names unique.
  for (size_t i = 1; i < out.size(); ++i)
    if (out[i].name == out[i - 1].name) out[i].name += "-" + std::to_string(i);
  return out;
}

BuildResult BuildDatabase(const BuildOptions& o) {
  auto t0 = std::chrono::steady_clock::now();
  if (o.from.empty()) throw UsageError("db build: --from is required");
  if (o.output.empty()) throw UsageError("db build: no output path");
  std::vector<std::string> ignored;
  auto inputs = DiscoverSources(o.from, &ignored);
  for (const auto& extra : o.extra_sources) {
    if (!FindFeed(extra.feed)) throw UsageError("db build: unknown feed '" + extra.feed + "'");
    inputs.erase(std::remove_if(inputs.begin(), inputs.end(), [&](const SourceInput& i) { return i.name == extra.name; }),
                 inputs.end());
    inputs.push_back(extra);
  }
  std::sort(inputs.begin(), inputs.end(), [](const SourceInput& a, const SourceInput& b) { return a.name < b.name; });
  if (o.err)
    for (const auto& i : ignored) *o.err << "customs: warning: " << i << ": not a known feed, ignored\n";
  if (inputs.empty())
    throw IoError(o.from, "no advisory feed found (expected alpine-secdb/, debian-tracker/, osv-*/, rustsec/, kev/, nvd/ or epss/)");

  BuildResult res;
  res.built = BuildTimestamp();
  Collected col;
  for (const auto& in : inputs) {
    const Feed* feed = FindFeed(in.feed);
    SourceSummary s;
    s.name = in.name;
    s.feed = in.feed;
    s.input = in.path;
    std::vector<std::string> diags;
    CollectSink sink(col, s, diags);
    feed->ParsePath(in.path, sink);
    if (o.err) {
      for (size_t i = 0; i < diags.size() && i < o.max_diagnostics_shown; ++i)
        *o.err << "customs: warning: " << in.name << ": skipped " << diags[i] << "\n";
      if (diags.size() > o.max_diagnostics_shown)
        *o.err << "customs: warning: " << in.name << ": ... and " << diags.size() - o.max_diagnostics_shown
               << " more skipped records\n";
    }
    for (auto& d : diags) res.diagnostics.push_back(in.name + ": " + d);
    res.sources.push_back(std::move(s));
  }

  fs::path out(o.output);
  std::error_code ec;
  if (out.has_parent_path()) {
    fs::create_directories(out.parent_path(), ec);
    if (ec) throw IoError(out.parent_path().string(), "cannot create directory: " + ec.message());
  }
  const std::string tmp = o.output + ".tmp-" + std::to_string(::getpid());
  fs::remove(tmp, ec);
  try {
    Connection c = Connection::Create(tmp);
    Write(c, col, res.sources, res.built, res);
  } catch (...) {
    fs::remove(tmp, ec);
    throw;
  }
  fs::rename(tmp, out, ec);
  if (ec) {
    fs::remove(tmp, ec);
    throw IoError(o.output, "cannot replace database: " + ec.message());
  }
  res.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (o.out) PrintSummary(*o.out, res, o.output);
  return res;
}

}  // namespace customs::db
