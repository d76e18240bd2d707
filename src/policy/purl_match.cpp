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
#include "inventory/purl.h"
#include "policy/policy.h"
#include "policy/util.h"

namespace customs {
namespace {

using policy_detail::Lower;

struct Parsed {
  std::string type, ns, name, version;
  std::map<std::string, std::string> qualifiers;
};

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::optional<Parsed> Parse(std::string_view s) {
  auto raw = ParsePurl(s);
  if (!raw) return std::nullopt;
  Parsed p;
  p.type = std::move(raw->type);
  p.ns = std::move(raw->ns);
  p.name = std::move(raw->name);
  p.version = std::move(raw->version);
  for (auto& [k, v] : raw->qualifiers) p.qualifiers[k] = v;
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
