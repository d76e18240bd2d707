// Purl pattern matching for ignore-file scopes and VEX products (rules in policy.h / docs/policy.md).
#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ecosystem.h"
#include "core/types.h"
#include "policy/policy.h"
#include "policy/util.h"

namespace customs {
namespace {

using policy_detail::Lower;

int Hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string> Decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%') {
      if (i + 2 >= s.size()) return std::nullopt;
      const int hi = Hex(s[i + 1]), lo = Hex(s[i + 2]);
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

std::optional<Parsed> Parse(std::string_view s) {
  if (s.size() < 4 || Lower(s.substr(0, 4)) != "pkg:") return std::nullopt;
  s.remove_prefix(4);
  while (!s.empty() && s.front() == '/') s.remove_prefix(1);
  if (const size_t h = s.find('#'); h != std::string_view::npos) s = s.substr(0, h);
  Parsed p;
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
      auto v = Decode(kv.substr(eq + 1));
      if (!v) return std::nullopt;
      if (!v->empty()) p.qualifiers[Lower(kv.substr(0, eq))] = *v;
    }
  }
  if (const size_t at = s.rfind('@'); at != std::string_view::npos) {
    auto v = Decode(s.substr(at + 1));
    if (!v) return std::nullopt;
    p.version = *v;
    s = s.substr(0, at);
  }
  while (!s.empty() && s.back() == '/') s.remove_suffix(1);
  const size_t slash = s.find('/');
  if (slash == std::string_view::npos || slash == 0) return std::nullopt;
  p.type = Lower(s.substr(0, slash));
  // Type: ASCII letters, digits, '.', '+', '-', not starting with a digit.
  if (p.type[0] >= '0' && p.type[0] <= '9') return std::nullopt;
  for (char c : p.type) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '+' || c == '-')) return std::nullopt;
  }
  std::string_view rest = s.substr(slash + 1);
  const size_t last = rest.rfind('/');
  std::string_view name = last == std::string_view::npos ? rest : rest.substr(last + 1);
  std::string_view ns = last == std::string_view::npos ? std::string_view() : rest.substr(0, last);
  auto n = Decode(name);
  if (!n || n->empty()) return std::nullopt;
  p.name = *n;
  // Namespace segments decoded one by one, empty segments dropped.
  std::string nsout;
  while (!ns.empty()) {
    const size_t sl = ns.find('/');
    const std::string_view seg = ns.substr(0, sl);
    ns = sl == std::string_view::npos ? std::string_view() : ns.substr(sl + 1);
    if (seg.empty()) continue;
    auto d = Decode(seg);
    if (!d) return std::nullopt;
    if (!nsout.empty()) nsout.push_back('/');
    nsout += *d;
  }
  p.ns = nsout;
  // Names compared the way the purl type's rules say (core/ecosystem.cpp): its canonical folding,
  // plus the case the registry ignores.
  if (const ecosystem::PurlType* rules = ecosystem::PurlRules(p.type)) {
    if (rules->lower_namespace || rules->match_lower_namespace) p.ns = Lower(p.ns);
    if (rules->pep503_name) p.name = ecosystem::Pep503Normalize(p.name);
    else if (rules->lower_name || rules->match_lower_name) p.name = Lower(p.name);
  }
  // deb/rpm: "E:V" is version V with epoch E.
  if (p.type == "deb" || p.type == "rpm") {
    const size_t colon = p.version.find(':');
    if (colon != std::string::npos && AllDigits(std::string_view(p.version).substr(0, colon))) {
      p.qualifiers["epoch"] = p.version.substr(0, colon);
      p.version = p.version.substr(colon + 1);
    }
    if (auto it = p.qualifiers.find("epoch"); it != p.qualifiers.end()) {
      // epoch=0 is the same as no epoch.
      std::string e = it->second;
      e.erase(0, std::min(e.find_first_not_of('0'), e.size()));
      if (e.empty()) p.qualifiers.erase(it);
      else it->second = e;
    }
  }
  return p;
}

}  // namespace

bool PurlMatches(std::string_view pattern, std::string_view purl) {
  const auto a = Parse(pattern);
  const auto b = Parse(purl);
  if (!a || !b) return false;
  if (a->type != b->type || a->ns != b->ns || a->name != b->name) return false;
  if (!a->version.empty() && a->version != b->version) return false;
  for (const auto& [k, v] : a->qualifiers) {
    auto it = b->qualifiers.find(k);
    if (it == b->qualifiers.end() || it->second != v) return false;
  }
  // A pattern without an epoch but with a version must not match a package that has one
  // (1:2.0 is not 2.0); without a version, any epoch matches.
  if (!a->version.empty() && !a->qualifiers.count("epoch") && b->qualifiers.count("epoch")) return false;
  return true;
}

namespace policy_detail {
namespace {

std::string NormalizeRepo(std::string r) {
  r = Lower(r);
  for (const char* scheme : {"https://", "http://"}) {
    if (r.rfind(scheme, 0) == 0) r.erase(0, std::string_view(scheme).size());
  }
  while (!r.empty() && r.back() == '/') r.pop_back();
  for (const char* hub : {"docker.io/", "index.docker.io/", "registry-1.docker.io/"}) {
    if (r.rfind(hub, 0) == 0) {
      r.erase(0, std::string_view(hub).size());
      break;
    }
  }
  if (r.rfind("library/", 0) == 0) r.erase(0, 8);
  return r;
}

struct Ref {
  std::string repo, tag, digest;
};

// "registry:5000/org/name:tag", "org/name@sha256:..." -> parts.
Ref SplitRef(std::string_view s) {
  Ref r;
  if (const size_t at = s.find('@'); at != std::string_view::npos) {
    r.digest = Lower(s.substr(at + 1));
    s = s.substr(0, at);
  }
  const size_t colon = s.rfind(':');
  const size_t slash = s.rfind('/');
  if (colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash)) {
    r.tag = std::string(s.substr(colon + 1));
    s = s.substr(0, colon);
  }
  r.repo = NormalizeRepo(std::string(s));
  return r;
}

}  // namespace

bool OciPurlNamesArtifact(std::string_view purl, const Artifact& a) {
  const auto p = Parse(purl);
  if (!p || p->type != "oci") return false;
  std::vector<Ref> refs;
  for (const auto& t : a.repo_tags) refs.push_back(SplitRef(t));
  for (const auto& d : a.repo_digests) refs.push_back(SplitRef(d));
  if (!p->version.empty()) {
    const std::string v = Lower(p->version);
    bool found = v == Lower(a.manifest_digest) || v == Lower(a.image_id);
    for (const auto& r : refs) found = found || (!r.digest.empty() && r.digest == v);
    if (!found) return false;
  }
  // Name, repository_url and tag must all fit one of the image's references; with a digest that
  // matched and no references known, the digest alone identifies the image.
  if (refs.empty()) return !p->version.empty() && !p->qualifiers.count("repository_url") && !p->qualifiers.count("tag");
  const std::string name = Lower(p->name);
  for (const auto& r : refs) {
    const size_t slash = r.repo.rfind('/');
    const std::string last = slash == std::string::npos ? r.repo : r.repo.substr(slash + 1);
    if (last != name) continue;
    if (auto it = p->qualifiers.find("repository_url"); it != p->qualifiers.end() && NormalizeRepo(it->second) != r.repo)
      continue;
    if (auto it = p->qualifiers.find("tag"); it != p->qualifiers.end()) {
      // The tag must be one the image carries under this repository.
      bool tagged = false;
      for (const auto& t : refs) tagged = tagged || (t.repo == r.repo && t.tag == it->second);
      if (!tagged) continue;
    }
    return true;
  }
  return false;
}

}  // namespace policy_detail
}  // namespace customs
