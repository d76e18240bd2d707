// Debian's dpkg database: var/lib/dpkg/status, the distroless var/lib/dpkg/status.d/ files, the
// installed-file lists var/lib/dpkg/info/*.list and the usr/share/doc/*/copyright files. No Debian
// library exposes a parser for these (libdpkg is not a public API), so they are parsed by hand.
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzers/analyzer.h"
#include "analyzers/text_util.h"
#include "analyzers/version_split.h"

namespace customs {

namespace {

constexpr std::string_view kStatus = "var/lib/dpkg/status";
constexpr std::string_view kStatusDir = "var/lib/dpkg/status.d/";
constexpr std::string_view kInfoDir = "var/lib/dpkg/info/";
constexpr std::string_view kDocDir = "usr/share/doc/";

// ---------------------------------------------------------------------------------------------
// Control-file paragraphs (Debian Policy 5.1, deb822): "Name: value" fields; a line starting with
// a space or tab continues the previous field; paragraphs are separated by blank lines (lines of
// only spaces and tabs count as blank). Field names are case-insensitive.

struct Field {
  std::string name;
  std::string value;  // first line, then "\n" + each continuation line, all trimmed
};

struct Paragraph {
  size_t first_line = 0;  // 1-based
  std::vector<Field> fields;

  const std::string* Get(std::string_view name) const {
    for (const auto& f : fields)
      if (text::IEquals(f.name, name)) return &f.value;
    return nullptr;
  }
};

struct ParsedControl {
  std::vector<Paragraph> paragraphs;
  size_t malformed = 0, first_malformed = 0;
};

ParsedControl ParseControl(std::string_view content) {
  ParsedControl out;
  Paragraph cur;
  auto flush = [&] {
    if (!cur.fields.empty()) out.paragraphs.push_back(std::move(cur));
    cur = Paragraph{};
  };
  auto bad = [&](size_t line_no) {
    if (out.malformed++ == 0) out.first_malformed = line_no;
  };
  auto lines = text::Lines(content);
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string_view line = lines[i];
    if (text::IsBlank(line)) {
      flush();
    } else if (line[0] == ' ' || line[0] == '\t') {
      if (cur.fields.empty()) {
        bad(i + 1);
        continue;
      }
      cur.fields.back().value += '\n';
      cur.fields.back().value += text::Trim(line);
    } else {
      size_t colon = line.find(':');
      std::string_view name = colon == std::string_view::npos ? "" : text::Trim(line.substr(0, colon));
      if (name.empty()) {
        bad(i + 1);
        continue;
      }
      if (cur.fields.empty()) cur.first_line = i + 1;
      cur.fields.push_back({std::string(name), std::string(text::Trim(line.substr(colon + 1)))});
    }
  }
  flush();
  return out;
}

void ReportMalformed(const ParsedControl& c, std::string_view path, AnalysisResult& out) {
  if (c.malformed == 0) return;
  std::string msg = std::to_string(c.malformed) + " line(s) that are neither a field nor a continuation";
  msg += " ignored (first at line " + std::to_string(c.first_malformed) + ")";
  out.diagnostics.push_back({std::string(path), std::move(msg)});
}

// ---------------------------------------------------------------------------------------------
// status / status.d

// Status is "want flag status" (dpkg(1)): only the third word tells whether it is installed.
bool IsInstalled(const Paragraph& p) {
  const std::string* status = p.Get("Status");
  if (!status) return true;  // status.d records carry no Status: they describe installed packages
  auto words = text::Words(*status);
  return words.size() == 3 && words[2] == "installed";
}

// Depends syntax (Debian Policy 7.1): comma-separated entries, each a '|'-separated list of
// alternatives "name[:archqual] [(op version)] [[arch list]] [<build profile>]". Keeps the first
// alternative's bare name.
void AddDependNames(std::string_view value, std::vector<std::string>& out) {
  size_t pos = 0;
  while (pos <= value.size()) {
    size_t comma = value.find(',', pos);
    if (comma == std::string_view::npos) comma = value.size();
    std::string_view entry = value.substr(pos, comma - pos);
    std::string_view first = text::Trim(entry.substr(0, entry.find('|')));
    std::string_view name = first.substr(0, first.find_first_of(" \t\n(:[<"));
    if (!name.empty()) out.emplace_back(name);
    pos = comma + 1;
  }
}

// "src" or "src (version)".
void ParseSource(const std::string& value, std::string& name, std::string& version) {
  std::string_view v = text::Trim(value);
  size_t paren = v.find('(');
  name = std::string(text::Trim(v.substr(0, paren)));
  if (paren == std::string_view::npos) return;
  std::string_view rest = v.substr(paren + 1);
  version = std::string(text::Trim(rest.substr(0, rest.find(')'))));
}

std::optional<Package> PackageFromParagraph(const Paragraph& para, const std::string& path,
                                            AnalysisResult& out) {
  const std::string at = "paragraph at line " + std::to_string(para.first_line);
  const std::string* name = para.Get("Package");
  if (!name || name->empty() || name->find('\n') != std::string::npos) {
    out.diagnostics.push_back({path, at + " has no valid Package field; skipped"});
    return std::nullopt;
  }
  const std::string* version = para.Get("Version");
  if (!version || version->empty()) {
    out.diagnostics.push_back({path, at + " (" + *name + ") has no Version; skipped"});
    return std::nullopt;
  }
  Package p;
  p.type = "dpkg";
  p.db_path = path;
  p.name = *name;
  p.version = *version;
  std::string reason;
  VersionParts v;
  if (!SplitDebianVersion(p.version, v, reason)) {
    out.diagnostics.push_back({path, at + " (" + p.name + "): " + reason + "; skipped"});
    return std::nullopt;
  }
  p.epoch = v.epoch;
  p.upstream = v.upstream;
  p.release = v.release;
  if (const auto* a = para.Get("Architecture")) p.arch = *a;
  if (const auto* m = para.Get("Maintainer")) p.maintainer = *m;

  // Policy 5.6.1: Source may be omitted when it equals the package name, and its version when it
  // equals the binary version.
  if (const auto* s = para.Get("Source")) ParseSource(*s, p.src_name, p.src_version);
  if (p.src_name.empty()) p.src_name = p.name;
  VersionParts sv;
  if (p.src_version.empty() || !SplitDebianVersion(p.src_version, sv, reason)) {
    if (!p.src_version.empty())
      out.diagnostics.push_back(
          {path, at + " (" + p.name + ") Source: " + reason + "; using the binary version"});
    p.src_version = p.version;
    sv = v;
  }
  p.src_epoch = sv.epoch;
  p.src_upstream = sv.upstream;
  p.src_release = sv.release;

  for (const char* field : {"Pre-Depends", "Depends"})
    if (const auto* d = para.Get(field)) AddDependNames(*d, p.depends);
  text::SortUnique(p.depends);
  return p;
}

void AnalyzeStatus(const std::string& path, std::string_view content, AnalysisResult& out) {
  ParsedControl control = ParseControl(content);
  ReportMalformed(control, path, out);
  PackageDB db{path, "dpkg", {}};
  for (const auto& para : control.paragraphs) {
    if (!IsInstalled(para)) continue;
    if (auto p = PackageFromParagraph(para, path, out)) db.packages.push_back(std::move(*p));
  }
  out.package_dbs.push_back(std::move(db));
}

// ---------------------------------------------------------------------------------------------
// info/NAME[:ARCH].list: one installed path per line, absolute; "/." stands for the root.

void AnalyzeFileList(const std::string& path, std::string_view content, AnalysisResult& out) {
  std::string_view base = std::string_view(path).substr(kInfoDir.size());
  base.remove_suffix(std::string_view(".list").size());
  PackageAttachment att{path, "dpkg", std::string(base), {}, {}};
  for (std::string_view line : text::Lines(content)) {
    line = text::Trim(line);
    while (!line.empty() && line.front() == '/') line.remove_prefix(1);
    if (line.empty() || line == ".") continue;
    att.files.emplace_back(line);
  }
  out.attachments.push_back(std::move(att));
}

// ---------------------------------------------------------------------------------------------
// usr/share/doc/NAME/copyright.
//
// Machine-readable files (DEP-5, "Format:" first) name their licenses in License fields whose first
// line is a short name or an expression of short names joined by "or" / "and" (or commas); their
// license texts also point at /usr/share/common-licenses/, but those references add nothing (and
// lose the "+" of "GPL-2+"). Other files are free text; the usual way they name a license is a
// reference to the copy Debian ships there ("/usr/share/common-licenses/GPL-2").

bool IsLicenseNameChar(char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c == '.' ||
         c == '+' || c == '-';
}

bool IsLicenseNameEnd(char c) {  // a name ends with a letter, digit or '+' ("GPL-2." -> "GPL-2")
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '+';
}

// Every "/usr/share/common-licenses/NAME" reference on the line.
void AddCommonLicenseRefs(std::string_view line, std::vector<std::string>& out) {
  constexpr std::string_view kRef = "/usr/share/common-licenses/";
  for (size_t pos = line.find(kRef); pos != std::string_view::npos; pos = line.find(kRef, pos)) {
    pos += kRef.size();
    size_t end = pos;
    while (end < line.size() && IsLicenseNameChar(line[end])) ++end;
    while (end > pos && !IsLicenseNameEnd(line[end - 1])) --end;
    if (end > pos) text::PushUnique(out, std::string(line.substr(pos, end - pos)));
  }
}

bool IsSepChar(char c) { return c == ' ' || c == '_'; }

// Length of a license separator starting at s[i], or 0: ",", or [ _]+ "or"/"and" [ _]+ optionally
// preceded by a comma ("GPL-1+ or Artistic", "BSD-3-clause, and MIT", "LGPLv3+_or_GPLv2+").
size_t SeparatorAt(std::string_view s, size_t i) {
  size_t j = i;
  bool comma = j < s.size() && s[j] == ',';
  if (comma) ++j;
  size_t k = j;
  while (k < s.size() && IsSepChar(s[k])) ++k;
  if (k > j) {
    for (std::string_view word : {"or", "and"}) {
      if (s.substr(k, word.size()) != word) continue;
      size_t m = k + word.size();
      size_t n = m;
      while (n < s.size() && IsSepChar(s[n])) ++n;
      if (n > m) return n - i;
    }
  }
  if (comma) {
    while (j < s.size() && s[j] == ' ') ++j;
    return j - i;
  }
  return 0;
}

// Splits a License short-name expression into its license names. A piece starting with "version"
// or "ver" belongs to the previous one ("Apache License, Version 2.0"), so does one starting with
// "later" ("GPL v2 or later").
std::vector<std::string> SplitLicenseExpression(std::string_view expr) {
  std::vector<std::string> pieces;
  auto add = [&](std::string_view piece) {
    piece = text::Trim(piece);
    if (piece.empty()) return;
    std::string lower = text::Lower(piece);
    std::string_view first_word = std::string_view(lower).substr(0, lower.find(' '));
    if (!pieces.empty() && (first_word == "version" || first_word == "ver")) {
      pieces.back() += ", " + std::string(piece);
    } else if (!pieces.empty() && first_word == "later") {
      pieces.back() += " or " + std::string(piece);
    } else {
      pieces.emplace_back(piece);
    }
  };
  size_t start = 0;
  for (size_t i = 0; i < expr.size();) {
    if (size_t n = SeparatorAt(expr, i); n > 0) {
      add(expr.substr(start, i - start));
      i += n;
      start = i;
    } else {
      ++i;
    }
  }
  add(expr.substr(start));
  return pieces;
}

// The license names of a License field's first line. Text in parentheses is a comment
// ("The MIT License (MIT)" -> "The MIT License"). Outside machine-readable files a "License:" line
// is as likely prose ("License: The main library is licensed under ..."), so there only names
// without spaces count.
void AddLicenseField(std::string_view first_line, bool dep5, std::vector<std::string>& out) {
  std::string_view v = text::Trim(first_line.substr(0, first_line.find('(')));
  for (auto& name : SplitLicenseExpression(v))
    if (dep5 || name.find(' ') == std::string::npos) text::PushUnique(out, std::move(name));
}

bool StartsWithField(std::string_view line, std::string_view name) {
  return line.size() > name.size() && line[name.size()] == ':' &&
         text::IEquals(line.substr(0, name.size()), name);
}

bool IsMachineReadable(const std::vector<std::string_view>& lines) {
  for (std::string_view line : lines) {
    if (text::IsBlank(line)) continue;
    return StartsWithField(line, "Format") || StartsWithField(line, "Format-Specification");
  }
  return false;
}

std::vector<std::string> CopyrightLicenses(std::string_view content) {
  std::vector<std::string> out;
  auto lines = text::Lines(content);
  const bool dep5 = IsMachineReadable(lines);
  for (std::string_view line : lines) {
    if (StartsWithField(line, "License")) {
      AddLicenseField(line.substr(std::string_view("License:").size()), dep5, out);
    } else if (!dep5) {
      AddCommonLicenseRefs(line, out);
    }
  }
  return out;
}

void AnalyzeCopyright(const std::string& path, std::string_view content, AnalysisResult& out) {
  std::string_view pkg = std::string_view(path).substr(kDocDir.size());
  pkg = pkg.substr(0, pkg.find('/'));
  auto licenses = CopyrightLicenses(content);
  if (licenses.empty()) return;  // nothing to attach
  out.attachments.push_back(PackageAttachment{path, "dpkg", std::string(pkg), {}, std::move(licenses)});
}

// ---------------------------------------------------------------------------------------------
// Which files.

// The part of `path` after `dir`, when it names a file directly inside `dir` (no subfolder).
std::optional<std::string_view> DirectChild(std::string_view path, std::string_view dir) {
  if (!path.starts_with(dir)) return std::nullopt;
  std::string_view rest = path.substr(dir.size());
  if (rest.empty() || rest.find('/') != std::string_view::npos) return std::nullopt;
  return rest;
}

bool IsStatusFile(std::string_view path) {
  if (path == kStatus) return true;
  auto name = DirectChild(path, kStatusDir);
  return name && !name->ends_with(".md5sums");
}

bool IsFileList(std::string_view path) {
  auto name = DirectChild(path, kInfoDir);
  return name && name->size() > 5 && name->ends_with(".list");
}

bool IsCopyright(std::string_view path) {
  constexpr std::string_view kFile = "/copyright";
  if (!path.starts_with(kDocDir) || !path.ends_with(kFile) || path.size() <= kDocDir.size() + kFile.size())
    return false;
  std::string_view pkg = path.substr(kDocDir.size(), path.size() - kDocDir.size() - kFile.size());
  return pkg.find('/') == std::string_view::npos;
}

class DpkgAnalyzer final : public Analyzer {
 public:
  std::string_view Name() const override { return "dpkg"; }
  AnalyzerGroup Group() const override { return AnalyzerGroup::kOS; }
  bool Wants(std::string_view path, const FileMeta&) const override {
    return IsStatusFile(path) || IsFileList(path) || IsCopyright(path);
  }
  void Analyze(const AnalysisInput& in, AnalysisResult& out) const override {
    const std::string path(in.path);
    if (IsStatusFile(path)) {
      AnalyzeStatus(path, in.content, out);
    } else if (IsFileList(path)) {
      AnalyzeFileList(path, in.content, out);
    } else if (IsCopyright(path)) {
      AnalyzeCopyright(path, in.content, out);
    }
  }
};

}  // namespace

std::unique_ptr<Analyzer> Make_dpkg() { return std::make_unique<DpkgAnalyzer>(); }

}  // namespace customs
