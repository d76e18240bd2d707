#include "inventory/purl.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <string_view>

#include "core/ecosystem.h"

namespace customs {

namespace {

bool IsAsciiAlpha(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAsciiDigit(unsigned char c) { return c >= '0' && c <= '9'; }

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string_view Trim(std::string_view s, char c) {
  while (!s.empty() && s.front() == c) s.remove_prefix(1);
  while (!s.empty() && s.back() == c) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    size_t pos = s.find(sep, start);
    out.push_back(s.substr(start, pos == std::string_view::npos ? std::string_view::npos : pos - start));
    if (pos == std::string_view::npos) break;
    start = pos + 1;
  }
  return out;
}

// The type: ASCII letters, digits, '.', '+', '-'; not starting with a digit.
bool ValidType(std::string_view t) {
  if (t.empty() || IsAsciiDigit(static_cast<unsigned char>(t[0]))) return false;
  return std::all_of(t.begin(), t.end(), [](char ch) {
    auto c = static_cast<unsigned char>(ch);
    return IsAsciiAlpha(c) || IsAsciiDigit(c) || c == '.' || c == '+' || c == '-';
  });
}

// A qualifier key: ASCII letters, digits, '.', '-', '_'; not starting with a digit.
bool ValidQualifierKey(std::string_view k) {
  if (k.empty() || IsAsciiDigit(static_cast<unsigned char>(k[0]))) return false;
  return std::all_of(k.begin(), k.end(), [](char ch) {
    auto c = static_cast<unsigned char>(ch);
    return IsAsciiAlpha(c) || IsAsciiDigit(c) || c == '.' || c == '-' || c == '_';
  });
}

// Normalizations the purl type definitions require (core/ecosystem.cpp's purl-type rules).
void NormalizeForType(PurlParts& p) {
  const ecosystem::PurlType* rules = ecosystem::PurlRules(p.type);
  if (!rules) return;
  if (rules->lower_namespace) p.ns = Lower(p.ns);
  if (rules->pep503_name) p.name = ecosystem::Pep503Normalize(p.name);
  else if (rules->lower_name) p.name = Lower(p.name);
}

// Encodes the '/'-separated segments of a namespace or subpath, dropping empty segments (and, for a
// subpath, "." and "..").
std::string EncodeSegments(std::string_view s, bool is_subpath) {
  std::string out;
  for (std::string_view seg : Split(Trim(s, '/'), '/')) {
    if (seg.empty()) continue;
    if (is_subpath && (seg == "." || seg == "..")) continue;
    if (!out.empty()) out.push_back('/');
    out += PurlPercentEncode(seg);
  }
  return out;
}

// ---- Package -> purl components, one function per package type. ----

std::string OsFamily(const std::optional<OSInfo>& os) { return os ? Lower(os->family) : std::string(); }

// "<family>-<version>" (or "<family>-<codename>" when the version is unknown); "" without an OS.
std::string FamilyDistro(const std::optional<OSInfo>& os) {
  if (!os || os->family.empty()) return "";
  if (!os->version.empty()) return Lower(os->family) + "-" + os->version;
  if (!os->codename.empty()) return Lower(os->family) + "-" + os->codename;
  return "";
}

// Splits a leading "<digits>:" epoch off a version string.
std::string_view StripEpoch(std::string_view version, uint32_t* epoch_out) {
  size_t colon = version.find(':');
  if (colon == std::string_view::npos || colon == 0) return version;
  std::string_view head = version.substr(0, colon);
  if (!std::all_of(head.begin(), head.end(), [](char c) { return IsAsciiDigit(static_cast<unsigned char>(c)); }))
    return version;
  if (epoch_out) {
    uint32_t e = 0;
    for (char c : head) e = e * 10 + static_cast<uint32_t>(c - '0');
    *epoch_out = e;
  }
  return version.substr(colon + 1);
}

void AddEpoch(PurlParts& p, const Package& pkg, uint32_t parsed_epoch) {
  uint32_t epoch = pkg.epoch ? pkg.epoch : parsed_epoch;
  if (epoch > 0) p.qualifiers.emplace_back("epoch", std::to_string(epoch));
}

PurlParts ApkParts(const Package& pkg, const std::optional<OSInfo>& os) {
  PurlParts p;
  p.type = "apk";
  p.ns = os && !os->family.empty() ? OsFamily(os) : "alpine";
  p.name = pkg.name;
  p.version = pkg.version;
  p.qualifiers.emplace_back("arch", pkg.arch);
  if (os) p.qualifiers.emplace_back("distro", os->version);
  return p;
}

PurlParts DebParts(const Package& pkg, const std::optional<OSInfo>& os) {
  PurlParts p;
  p.type = "deb";
  p.ns = os && !os->family.empty() ? OsFamily(os) : "debian";
  p.name = pkg.name;
  // The purl spec's deb example keeps the epoch in the version ("pkg:deb/debian/attr@1:2.4.47-2");
  // only rpm defines an epoch qualifier.
  p.version = pkg.version;
  p.qualifiers.emplace_back("arch", pkg.arch);
  p.qualifiers.emplace_back("distro", FamilyDistro(os));
  return p;
}

PurlParts RpmParts(const Package& pkg, const std::optional<OSInfo>& os) {
  PurlParts p;
  p.type = "rpm";
  p.ns = OsFamily(os);  // the vendor; left out when the OS is unknown
  p.name = pkg.name;
  uint32_t parsed_epoch = 0;
  std::string_view bare = StripEpoch(pkg.version, &parsed_epoch);
  if (!pkg.upstream.empty())
    p.version = pkg.release.empty() ? pkg.upstream : pkg.upstream + "-" + pkg.release;
  else
    p.version = std::string(bare);
  p.qualifiers.emplace_back("arch", pkg.arch);
  p.qualifiers.emplace_back("distro", FamilyDistro(os));
  AddEpoch(p, pkg, parsed_epoch);
  if (auto it = pkg.extra.find("modularitylabel"); it != pkg.extra.end())
    p.qualifiers.emplace_back("modularitylabel", it->second);
  return p;
}

PurlParts GenericParts(const Package& pkg, const std::optional<OSInfo>&) {
  PurlParts p;
  p.type = "generic";
  p.name = pkg.name;
  p.version = pkg.version;
  return p;
}

// Application packages: the purl type and namespace rule are the package type's
// (core/ecosystem.h): the name is cut into namespace and name at the last occurrence of the split
// character ("@babel/core", "org.slf4j:slf4j-api", "github.com/foo/bar", "symfony/console").
PurlParts LangParts(const ecosystem::Ecosystem& e, const Package& pkg) {
  PurlParts p;
  p.type = std::string(e.purl_type);
  p.name = pkg.name;
  p.version = pkg.version;
  if (e.purl_ns_split) {
    size_t cut = pkg.name.rfind(e.purl_ns_split);
    if (cut != std::string::npos && cut > 0) {
      p.ns = pkg.name.substr(0, cut);
      p.name = pkg.name.substr(cut + 1);
    }
  }
  return p;
}

}  // namespace

std::string PurlPercentEncode(std::string_view s) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (IsAsciiAlpha(c) || IsAsciiDigit(c) || c == '.' || c == '-' || c == '_' || c == '~' || c == ':') {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
    }
  }
  return out;
}

namespace {

int PurlHex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string> PurlDecode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%') {
      if (i + 2 >= s.size()) return std::nullopt;
      const int hi = PurlHex(s[i + 1]), lo = PurlHex(s[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

struct Parsed {
  std::string type, ns, name, version;
  std::map<std::string, std::string> qualifiers;
};

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string LowerAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

}  // namespace

std::optional<PurlParts> ParsePurl(std::string_view s) {
  if (s.size() < 4 || LowerAscii(s.substr(0, 4)) != "pkg:") return std::nullopt;
  s.remove_prefix(4);
  while (!s.empty() && s.front() == '/') s.remove_prefix(1);
  if (const size_t h = s.find('#'); h != std::string_view::npos) s = s.substr(0, h);
  PurlParts p;
  if (const size_t q = s.find('?'); q != std::string_view::npos) {
    std::string_view qs = s.substr(q + 1);
    s = s.substr(0, q);
    while (!qs.empty()) {
      const size_t amp = qs.find('&');
      const std::string_view kv = qs.substr(0, amp);
      qs = amp == std::string_view::npos ? std::string_view() : qs.substr(amp + 1);
      if (kv.empty()) continue;
      const size_t eq = kv.find('=');
      if (eq == std::string_view::npos || eq == 0) return std::nullopt;
      auto v = PurlDecode(kv.substr(eq + 1));
      if (!v) return std::nullopt;
      if (!v->empty()) p.qualifiers.emplace_back(LowerAscii(kv.substr(0, eq)), *v);
    }
  }
  if (const size_t at = s.rfind('@'); at != std::string_view::npos) {
    auto v = PurlDecode(s.substr(at + 1));
    if (!v) return std::nullopt;
    p.version = *v;
    s = s.substr(0, at);
  }
  while (!s.empty() && s.back() == '/') s.remove_suffix(1);
  const size_t slash = s.find('/');
  if (slash == std::string_view::npos || slash == 0) return std::nullopt;
  p.type = LowerAscii(s.substr(0, slash));
  // Type: ASCII letters, digits, '.', '+', '-', not starting with a digit.
  if (p.type[0] >= '0' && p.type[0] <= '9') return std::nullopt;
  for (char c : p.type) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '+' || c == '-')) return std::nullopt;
  }
  std::string_view rest = s.substr(slash + 1);
  const size_t last = rest.rfind('/');
  std::string_view name = last == std::string_view::npos ? rest : rest.substr(last + 1);
  std::string_view ns = last == std::string_view::npos ? std::string_view() : rest.substr(0, last);
  auto n = PurlDecode(name);
  if (!n || n->empty()) return std::nullopt;
  p.name = *n;
  // Namespace segments decoded one by one, empty segments dropped.
  std::string nsout;
  while (!ns.empty()) {
    const size_t sl = ns.find('/');
    const std::string_view seg = ns.substr(0, sl);
    ns = sl == std::string_view::npos ? std::string_view() : ns.substr(sl + 1);
    if (seg.empty()) continue;
    auto d = PurlDecode(seg);
    if (!d) return std::nullopt;
    if (!nsout.empty()) nsout.push_back('/');
    nsout += *d;
  }
  p.ns = nsout;
  return p;
}

std::string BuildPurl(PurlParts p) {
  p.type = Lower(p.type);
  if (!ValidType(p.type)) return "";
  NormalizeForType(p);
  std::string_view name = Trim(p.name, '/');
  if (name.empty()) return "";

  std::string out = "pkg:" + p.type + "/";
  std::string ns = EncodeSegments(p.ns, false);
  if (!ns.empty()) out += ns + "/";
  out += PurlPercentEncode(name);
  if (!p.version.empty()) out += "@" + PurlPercentEncode(p.version);

  std::vector<std::pair<std::string, std::string>> quals;
  for (auto& [k, v] : p.qualifiers) {
    if (v.empty()) continue;
    std::string key = Lower(k);
    if (!ValidQualifierKey(key)) return "";
    quals.emplace_back(std::move(key), v);
  }
  std::sort(quals.begin(), quals.end());
  for (size_t i = 0; i < quals.size(); ++i) {
    if (i > 0 && quals[i].first == quals[i - 1].first) return "";  // a key appears once
    out += (i == 0 ? "?" : "&") + quals[i].first + "=" + PurlPercentEncode(quals[i].second);
  }

  std::string sub = EncodeSegments(p.subpath, true);
  if (!sub.empty()) out += "#" + sub;
  return out;
}

std::string Purl(const Package& pkg, const std::optional<OSInfo>& os) {
  // OS packages carry the distribution in namespace and qualifiers: one function per purl type.
  const ecosystem::Ecosystem* e = ecosystem::ForType(pkg.type);
  if (!e) return BuildPurl(GenericParts(pkg, os));
  if (e->purl_type == "apk") return BuildPurl(ApkParts(pkg, os));
  if (e->purl_type == "deb") return BuildPurl(DebParts(pkg, os));
  if (e->purl_type == "rpm") return BuildPurl(RpmParts(pkg, os));
  return BuildPurl(LangParts(*e, pkg));
}

}  // namespace customs
