// The human-readable report: a header naming the artifact and OS, then one box-drawn table per
// target, then the diagnostics. When the vulnerability scanner ran: the notices under the header,
// and after each target's package table its vulnerabilities (a Trivy-like summary line, a table of
// the standing findings sorted by package, severity descending and id, then the suppressed ones
// under --show-suppressed). The package table stays, so one report shows what is installed and
// what is vulnerable. Text from the artifact is made safe for a terminal (control
// characters replaced), so a hostile package name cannot drive the terminal.
#include <algorithm>
#include <map>
#include <memory>

#include "findings/risk.h"
#include "reporters/common.h"
#include "reporters/reporter.h"

namespace customs {

namespace {

constexpr const char* kBold = "\x1b[1m";
constexpr const char* kReset = "\x1b[0m";

// Control characters (C0, DEL, and the C1 range as UTF-8 U+0080..U+009F) become '?'; invalid UTF-8
// bytes too.
std::string Printable(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7f) {
      out.push_back('?');
      ++i;
      continue;
    }
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
      ++i;
      continue;
    }
    size_t len = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    bool ok = len != 0 && i + len <= s.size();
    for (size_t k = 1; ok && k < len; ++k) ok = (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
    if (ok && c == 0xC2 && static_cast<unsigned char>(s[i + 1]) < 0xA0) ok = false;  // C1 controls
    if (!ok) {
      out.push_back('?');
      ++i;
      continue;
    }
    out.append(s.substr(i, len));
    i += len;
  }
  return out;
}

// At most `max` columns: longer text is cut and ends in "…".
std::string Truncate(const std::string& s, size_t max) {
  size_t w = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) continue;
    if (w == max - 1) {
      // Is there more than one code point left?
      size_t rest = 0;
      for (size_t k = i; k < s.size(); ++k)
        if ((static_cast<unsigned char>(s[k]) & 0xC0) != 0x80) ++rest;
      return rest <= 1 ? s : s.substr(0, i) + "…";
    }
    ++w;
  }
  return s;
}

// Display width: one column per code point (the names in package databases are ASCII or narrow).
size_t Width(std::string_view s) {
  size_t w = 0;
  for (char c : s)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++w;
  return w;
}

std::string Repeat(std::string_view unit, size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) out += unit;
  return out;
}

std::string Styled(const std::string& s, bool color) { return color ? kBold + s + kReset : s; }

class TableWriter {
 public:
  explicit TableWriter(std::vector<std::string> headers) : headers_(std::move(headers)) {
    for (const auto& h : headers_) widths_.push_back(Width(h));
  }

  // `styles[i]`: an ANSI sequence for cell i (shown only with color), "" for none.
  void Add(std::vector<std::string> row, std::vector<std::string> styles = {}) {
    for (auto& cell : row) cell = Printable(cell);
    for (size_t i = 0; i < row.size() && i < widths_.size(); ++i) widths_[i] = std::max(widths_[i], Width(row[i]));
    rows_.push_back(std::move(row));
    styles_.push_back(std::move(styles));
  }

  bool empty() const { return rows_.empty(); }

  void Write(std::ostream& out, bool color) const {
    Rule(out, "┌", "┬", "┐");
    Row(out, headers_, color);
    Rule(out, "├", "┼", "┤");
    for (size_t i = 0; i < rows_.size(); ++i) Row(out, rows_[i], false, color ? &styles_[i] : nullptr);
    Rule(out, "└", "┴", "┘");
  }

 private:
  void Rule(std::ostream& out, const char* left, const char* mid, const char* right) const {
    out << left;
    for (size_t i = 0; i < widths_.size(); ++i) out << (i ? mid : "") << Repeat("─", widths_[i] + 2);
    out << right << "\n";
  }

  void Row(std::ostream& out, const std::vector<std::string>& cells, bool bold,
           const std::vector<std::string>* styles = nullptr) const {
    out << "│";
    for (size_t i = 0; i < widths_.size(); ++i) {
      std::string cell = i < cells.size() ? cells[i] : "";
      std::string pad(widths_[i] - Width(cell), ' ');
      if (styles && i < styles->size() && !(*styles)[i].empty()) {
        out << " " << (*styles)[i] << cell << kReset << pad << " │";
        continue;
      }
      std::string padded = cell + pad;
      out << " " << (bold ? Styled(padded, true) : padded) << " │";
    }
    out << "\n";
  }

  std::vector<std::string> headers_;
  std::vector<size_t> widths_;
  std::vector<std::vector<std::string>> rows_;
  std::vector<std::vector<std::string>> styles_;
};

// Severity colors: CRITICAL red bold, HIGH red, MEDIUM yellow, LOW (and NONE) blue, UNKNOWN dim.
std::string SeverityStyle(Severity s) {
  switch (s) {
    case Severity::kCritical: return "\x1b[1;31m";
    case Severity::kHigh: return "\x1b[31m";
    case Severity::kMedium: return "\x1b[33m";
    case Severity::kLow:
    case Severity::kNone: return "\x1b[34m";
    case Severity::kUnknown: return "\x1b[2m";
  }
  return "";
}

constexpr const char* kNoticeStyle = "\x1b[1;33m";  // bold yellow
constexpr size_t kTitleWidth = 60;

std::string Paint(const std::string& s, const std::string& style, bool color) {
  return color ? style + s + kReset : s;
}

// "Total: N (UNKNOWN: a, LOW: b, MEDIUM: c, HIGH: d, CRITICAL: e)", as Trivy writes it; NONE (CVSS
// 0.0) is listed before LOW only when there is some.
std::string SummaryLine(const report::SeverityCounts& c, bool color) {
  std::string line = "Total: " + std::to_string(c.total) + " (";
  bool first = true;
  for (Severity s : {Severity::kUnknown, Severity::kNone, Severity::kLow, Severity::kMedium, Severity::kHigh,
                     Severity::kCritical}) {
    if (s == Severity::kNone && c[s] == 0) continue;
    if (!first) line += ", ";
    first = false;
    std::string name(cvss::Name(s));
    line += (c[s] > 0 ? Paint(name, SeverityStyle(s), color) : name) + ": " + std::to_string(c[s]);
  }
  return line + ")";
}

std::string TitleCell(const VulnFinding& f) {
  std::string t = f.title;
  if (t.empty()) t = f.description.substr(0, f.description.find('\n'));
  return Truncate(Printable(t), kTitleWidth);
}

// The vulnerability section of one target: summary line, table (standing findings), then the
// suppressed ones (show_suppressed) as a list with their reason.
void WriteVulnerabilities(const Inventory& inv, const report::Target& t,
                          const std::map<const Package*, std::vector<const VulnFinding*>>& findings, bool color,
                          bool by_risk, std::ostream& out) {
  std::vector<std::pair<const Package*, const VulnFinding*>> rows, suppressed;
  for (const Package* p : t.packages) {
    auto it = findings.find(p);
    if (it == findings.end()) continue;
    std::vector<const VulnFinding*> fs = it->second;
    std::stable_sort(fs.begin(), fs.end(),
                     [](const VulnFinding* a, const VulnFinding* b) { return report::FindingMoreSevere(*a, *b); });
    for (const VulnFinding* f : fs) (f->suppressed_by.empty() ? rows : suppressed).emplace_back(p, f);
  }
  // --sort risk: one order over the whole target, riskiest first (packages interleave).
  if (by_risk)
    std::stable_sort(rows.begin(), rows.end(),
                     [](const auto& a, const auto& b) { return report::FindingRiskier(*a.second, *b.second); });
  std::vector<const VulnFinding*> all;
  for (const auto& r : rows) all.push_back(r.second);
  for (const auto& r : suppressed) all.push_back(r.second);
  const report::SeverityCounts counts = report::CountFindings(all);

  out << "\nVulnerabilities\n";
  out << SummaryLine(counts, color) << "\n";
  if (!rows.empty()) {
    std::vector<std::string> headers = {"Package", "Vulnerability", "Severity", "Status", "Installed", "Fixed", "Title"};
    if (by_risk) headers.insert(headers.begin() + 3, "Risk");
    TableWriter table(headers);
    for (const auto& [p, f] : rows) {
      std::string id = f->id + (f->kev ? " [KEV]" : "");
      std::vector<std::string> cells = {p->name, id, std::string(cvss::Name(f->severity)),
                                        std::string(report::FixStatusName(f->status)), f->installed_version,
                                        f->fixed_version, TitleCell(*f)};
      if (by_risk) cells.insert(cells.begin() + 3, std::to_string(Risk(*f).score));
      table.Add(cells, {"", f->kev ? kBold : "", SeverityStyle(f->severity)});
    }
    table.Write(out, color);
    size_t kev = std::count_if(rows.begin(), rows.end(), [](const auto& r) { return r.second->kev; });
    if (kev > 0)
      out << "[KEV]: listed in CISA's Known Exploited Vulnerabilities catalog (" << kev
          << (kev == 1 ? " finding" : " findings") << ")\n";
  }
  if (!suppressed.empty()) {
    out << "Suppressed: " << suppressed.size() << "\n";
    for (const auto& [p, f] : suppressed) {
      out << "  " << Printable(f->id) << " " << Printable(p->name) << " " << Printable(f->installed_version) << " ("
          << cvss::Name(f->severity) << ")";
      for (const auto& s : f->suppressed_by) {
        out << "\n    suppressed by " << Printable(s.kind);
        if (!s.source.empty()) out << " (" << Printable(s.source) << ")";
        if (!s.statement.empty()) out << ": " << Printable(s.statement);
        if (!s.justification.empty()) out << " — " << Printable(s.justification);
      }
      out << "\n";
    }
  }
  (void)inv;
}

std::string SourceCell(const Package& p) {
  if (p.src_name.empty()) return "";
  if (p.src_version.empty() || p.src_version == p.version) return p.src_name;
  return p.src_name + " " + p.src_version;
}

std::string LayerCell(const Inventory& inv, const Package& p) {
  const LayerInfo* l = report::LayerOf(inv, p);
  if (!l || l->diff_id.empty()) return "-";
  return report::ShortDigest(l->diff_id);
}

class TableReporter : public Reporter {
 public:
  std::string_view Name() const override { return "table"; }

  void Write(const ScanResult& result, const ReportOptions& opts, std::ostream& out) const override {
    const Inventory& inv = result.inventory;
    const Artifact& art = inv.artifact;
    const bool color = opts.color;

    // Header: what was scanned.
    std::string title = Printable(report::TargetName(inv));
    out << Styled(title, color) << "\n" << Repeat("=", Width(title)) << "\n";
    out << "Artifact: " << Printable(art.name) << " (" << report::ArtifactTypeName(art.type) << ")\n";
    if (!art.image_id.empty()) out << "Image ID: " << Printable(art.image_id) << "\n";
    if (inv.os && !inv.os->family.empty()) {
      out << "OS:       " << Printable(inv.os->family);
      if (!inv.os->version.empty()) out << " " << Printable(inv.os->version);
      if (!inv.os->name.empty()) out << " (" << Printable(inv.os->name) << ")";
      out << "\n";
    } else {
      out << "OS:       unknown\n";
    }
    if (!inv.layers.empty()) out << "Layers:   " << inv.layers.size() << "\n";

    // Notices: what the vulnerability data does not cover, before any table.
    if (result.vuln_scanned && !result.notices.empty()) {
      out << "\n";
      for (const auto& n : result.notices) out << Paint("NOTICE: " + Printable(n.message), kNoticeStyle, color) << "\n";
    }
    const auto findings = result.vuln_scanned ? report::FindingsByPackage(result, opts)
                                              : std::map<const Package*, std::vector<const VulnFinding*>>();

    // One table per target.
    auto targets = report::BuildTargets(inv);
    // (A configuration-only scan, `customs config`, has no packages to speak of.)
    if (targets.empty() && !(result.misconfig_scanned && !result.vuln_scanned && inv.packages.empty()))
      out << "\nNo packages found.\n";
    for (const auto& t : targets) {
      std::string heading = Printable(t.name) + " [" + Printable(t.type) + "]";
      out << "\n" << Styled(heading, color) << "\n";
      // Installed language packages share a target per ecosystem: the manifest tells copies apart.
      const bool grouped = t.cls == "lang-pkgs" && t.path.empty();
      std::vector<std::string> headers = {"Package", "Version", "Arch", "Source", "Layer"};
      if (grouped) headers.push_back("Path");
      TableWriter table(headers);
      for (const Package* p : t.packages) {
        std::vector<std::string> row = {p->name, p->version, p->arch, SourceCell(*p), LayerCell(inv, *p)};
        if (grouped) row.push_back(p->db_path);
        table.Add(row);
      }
      table.Write(out, color);
      out << t.packages.size() << (t.packages.size() == 1 ? " package" : " packages") << "\n";
      if (result.vuln_scanned) WriteVulnerabilities(inv, t, findings, color, opts.sort_by_risk, out);
    }

    // Secrets: one table per file (or image-config part).
    if (result.secret_scanned) {
      const auto by_path = report::SecretsByPath(result, opts);
      size_t shown = 0;
      for (const auto& [path, list] : by_path) {
        out << "\n" << Styled(Printable(path) + " [secret]", color) << "\n";
        TableWriter table({"Severity", "Rule", "Title", "Line", "Match", "Layer", "Removed"});
        for (const SecretFinding* f : list) {
          std::string layer = f->layer >= 0 && !inv.layers.empty() ? std::to_string(f->layer + 1) : "";
          std::string removed = report::SecretRemoval(*f);
          if (!f->suppressed_by.empty()) removed += (removed.empty() ? "" : "; ") + std::string("suppressed (") +
                                                    f->suppressed_by.front().kind + ")";
          table.Add({std::string(cvss::Name(f->severity)), f->rule_id, f->title,
                     std::to_string(f->line) + ":" + std::to_string(f->column), report::SecretText(*f, opts), layer,
                     removed});
        }
        table.Write(out, color);
        shown += list.size();
      }
      size_t standing = 0;
      for (const auto& f : result.secrets) standing += f.suppressed_by.empty();
      out << "\nSecrets: " << standing << (standing == 1 ? " finding" : " findings");
      if (shown > standing) out << " (" << shown - standing << " suppressed shown)";
      out << "\n";
    }

    // Misconfigurations: one table per configuration file with findings, then a summary line.
    if (result.misconfig_scanned) {
      const auto groups = report::MisconfigsByFile(result, opts);
      size_t shown = 0;
      for (const auto& g : groups) {
        if (g.findings.empty()) continue;
        std::string heading = Printable(g.path) + " [" + Printable(g.kind) + "]";
        if (g.layer >= 0 && !inv.layers.empty()) heading += " (layer " + std::to_string(g.layer + 1) + ")";
        out << "\n" << Styled(heading, color) << "\n";
        out << "Tests: " << g.checks << " (successes: " << (g.checks - int(g.failed_checks))
            << ", failures: " << g.failed_checks << ")\n";
        TableWriter table({"Severity", "Check", "Line", "Title", "Message"});
        for (const MisconfigFinding* f : g.findings) {
          std::string line = f->line > 0 ? std::to_string(f->line) : "-";
          if (f->end_line > f->line) line += "-" + std::to_string(f->end_line);
          std::string message = Truncate(Printable(f->message), 80);
          if (!f->suppressed_by.empty()) message += " (suppressed: " + f->suppressed_by.front().kind + ")";
          table.Add({std::string(cvss::Name(f->severity)), f->check_id, line, Truncate(Printable(f->title), 60), message},
                    {SeverityStyle(f->severity)});
        }
        table.Write(out, color);
        shown += g.findings.size();
      }
      const report::SeverityCounts c = report::CountMisconfigs(result);
      out << "\nMisconfigurations: " << c.total << " in " << groups.size()
          << (groups.size() == 1 ? " configuration file" : " configuration files");
      if (c.total > 0) {
        std::string parts;
        for (Severity sev : report::SeveritiesDescending())
          if (c[sev] > 0) parts += (parts.empty() ? "" : ", ") + std::string(cvss::Name(sev)) + ": " + std::to_string(c[sev]);
        out << " (" << parts << ")";
      }
      if (shown > c.total) out << " (" << shown - c.total << " suppressed shown)";
      out << "\n";
    }

    // Diagnostics: never dropped.
    if (!inv.diagnostics.empty()) out << "\n";
    for (const auto& d : inv.diagnostics) {
      out << "warning: ";
      if (!d.where.empty()) out << Printable(d.where) << ": ";
      out << Printable(d.message) << "\n";
    }
  }
};

}  // namespace

std::unique_ptr<Reporter> MakeReporter_table() { return std::make_unique<TableReporter>(); }

}  // namespace customs
