// The human-readable report: a header naming the artifact and OS, then one box-drawn table per
// target, then the diagnostics. Text from the artifact is made safe for a terminal (control
// characters replaced), so a hostile package name cannot drive the terminal.
#include <algorithm>
#include <memory>

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

  void Add(std::vector<std::string> row) {
    for (auto& cell : row) cell = Printable(cell);
    for (size_t i = 0; i < row.size() && i < widths_.size(); ++i) widths_[i] = std::max(widths_[i], Width(row[i]));
    rows_.push_back(std::move(row));
  }

  void Write(std::ostream& out, bool color) const {
    Rule(out, "┌", "┬", "┐");
    Row(out, headers_, color);
    Rule(out, "├", "┼", "┤");
    for (const auto& r : rows_) Row(out, r, false);
    Rule(out, "└", "┴", "┘");
  }

 private:
  void Rule(std::ostream& out, const char* left, const char* mid, const char* right) const {
    out << left;
    for (size_t i = 0; i < widths_.size(); ++i) out << (i ? mid : "") << Repeat("─", widths_[i] + 2);
    out << right << "\n";
  }

  void Row(std::ostream& out, const std::vector<std::string>& cells, bool bold) const {
    out << "│";
    for (size_t i = 0; i < widths_.size(); ++i) {
      std::string cell = i < cells.size() ? cells[i] : "";
      std::string padded = cell + std::string(widths_[i] - Width(cell), ' ');
      out << " " << (bold ? Styled(padded, true) : padded) << " │";
    }
    out << "\n";
  }

  std::vector<std::string> headers_;
  std::vector<size_t> widths_;
  std::vector<std::vector<std::string>> rows_;
};

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

    // One table per target.
    auto targets = report::BuildTargets(inv);
    if (targets.empty()) out << "\nNo packages found.\n";
    for (const auto& t : targets) {
      std::string heading = Printable(t.name) + " [" + Printable(t.type) + "]";
      out << "\n" << Styled(heading, color) << "\n";
      TableWriter table({"Package", "Version", "Arch", "Source", "Layer"});
      for (const Package* p : t.packages)
        table.Add({p->name, p->version, p->arch, SourceCell(*p), LayerCell(inv, *p)});
      table.Write(out, color);
      out << t.packages.size() << (t.packages.size() == 1 ? " package" : " packages") << "\n";
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
