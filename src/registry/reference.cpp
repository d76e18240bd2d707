// Image references (`[registry/]repository[:tag][@digest]`), normalised the way docker does it: a first
// path component is a registry only when it holds a '.' or ':' or is "localhost"; references without a
// registry are on docker.io, and single-component docker.io repositories live under "library/".
// Grammar from the distribution reference spec; written here because no Debian-packaged C++ library
// parses image references.
#include <cctype>

#include "core/error.h"
#include "core/sha256.h"
#include "registry/client.h"

namespace customs::registry {

namespace {

bool IsLowerAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

// path-component := [a-z0-9]+ (separator [a-z0-9]+)*, separator := [_.] | __ | [-]+
bool ValidComponent(std::string_view s) {
  if (s.empty() || !IsLowerAlnum(s.front()) || !IsLowerAlnum(s.back())) return false;
  size_t i = 0;
  while (i < s.size()) {
    if (IsLowerAlnum(s[i])) { ++i; continue; }
    size_t j = i;
    while (j < s.size() && !IsLowerAlnum(s[j])) ++j;
    std::string_view sep = s.substr(i, j - i);
    bool ok = sep == "." || sep == "_" || sep == "__" || sep.find_first_not_of('-') == std::string_view::npos;
    if (!ok) return false;
    i = j;
  }
  return true;
}

// domain := host[:port]; host: dot-separated labels of [A-Za-z0-9-] or a bracketed IPv6 address.
bool ValidDomain(std::string_view s) {
  if (s.empty() || s.size() > 255) return false;
  std::string_view host = s, port;
  if (s.front() == '[') {
    size_t close = s.find(']');
    if (close == std::string_view::npos) return false;
    for (char c : s.substr(1, close - 1))
      if (!std::isxdigit(static_cast<unsigned char>(c)) && c != ':' && c != '.') return false;
    std::string_view rest = s.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return false;
      port = rest.substr(1);
      if (port.empty()) return false;
    }
  } else {
    size_t colon = s.rfind(':');
    if (colon != std::string_view::npos) {
      host = s.substr(0, colon);
      port = s.substr(colon + 1);
      if (port.empty()) return false;
    }
    if (host.empty()) return false;
    size_t i = 0;
    while (i <= host.size()) {
      size_t j = host.find('.', i);
      if (j == std::string_view::npos) j = host.size();
      std::string_view label = host.substr(i, j - i);
      if (label.empty() || label.front() == '-' || label.back() == '-') return false;
      for (char c : label)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') return false;
      i = j + 1;
    }
  }
  for (char c : port)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

// tag := [\w][\w.-]{0,127}
bool ValidTag(std::string_view s) {
  if (s.empty() || s.size() > 128) return false;
  auto word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  if (!word(s.front())) return false;
  for (char c : s)
    if (!word(c) && c != '.' && c != '-') return false;
  return true;
}

std::string Printable(std::string_view s) {
  std::string out;
  for (char c : s.substr(0, 200)) out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? '?' : c;
  return out;
}

}  // namespace

Reference Reference::Parse(std::string_view text) {
  const std::string shown = "'" + Printable(text) + "'";
  if (text.empty()) throw UsageError("image reference: empty");
  Reference r;
  std::string_view rest = text;
  if (size_t at = rest.find('@'); at != std::string_view::npos) {
    r.digest = std::string(rest.substr(at + 1));
    rest = rest.substr(0, at);
    if (!IsSha256Digest(r.digest))
      throw UsageError("image reference " + shown + ": the digest must be sha256:<64 lowercase hex digits>");
  }
  // The tag follows the last ':' that comes after the last '/'.
  size_t slash = rest.rfind('/');
  size_t colon = rest.rfind(':');
  if (colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash)) {
    r.tag = std::string(rest.substr(colon + 1));
    rest = rest.substr(0, colon);
    if (!ValidTag(r.tag))
      throw UsageError("image reference " + shown + ": invalid tag '" + Printable(r.tag) +
                       "' (letters, digits, '_', '.', '-'; at most 128)");
  }
  std::string_view name = rest;
  size_t first = name.find('/');
  std::string_view head = first == std::string_view::npos ? std::string_view() : name.substr(0, first);
  if (!head.empty() && (head.find('.') != std::string_view::npos || head.find(':') != std::string_view::npos ||
                        head == "localhost")) {
    if (!ValidDomain(head)) throw UsageError("image reference " + shown + ": invalid registry '" + Printable(head) + "'");
    r.registry = std::string(head);
    name = name.substr(first + 1);
  } else {
    r.registry = "docker.io";
  }
  if (r.registry == "index.docker.io") r.registry = "docker.io";
  if (name.empty()) throw UsageError("image reference " + shown + ": no repository name");
  r.repository = std::string(name);
  if (r.registry == "docker.io" && r.repository.find('/') == std::string::npos) r.repository = "library/" + r.repository;
  size_t i = 0;
  while (i <= r.repository.size()) {
    size_t j = r.repository.find('/', i);
    if (j == std::string::npos) j = r.repository.size();
    std::string_view comp = std::string_view(r.repository).substr(i, j - i);
    if (!ValidComponent(comp)) {
      bool upper = false;
      for (char c : comp) upper |= std::isupper(static_cast<unsigned char>(c)) != 0;
      throw UsageError("image reference " + shown + ": invalid repository name" +
                       (upper ? " (repository names must be lowercase)" : " component '" + Printable(comp) + "'"));
    }
    i = j + 1;
  }
  if (r.registry.size() + 1 + r.repository.size() > 255)
    throw UsageError("image reference " + shown + ": the name is longer than 255 characters");
  if (r.tag.empty() && r.digest.empty()) r.tag = "latest";
  return r;
}

std::string Reference::Repository() const { return registry + "/" + repository; }

std::string Reference::String() const {
  std::string s = Repository();
  if (!tag.empty()) s += ":" + tag;
  if (!digest.empty()) s += "@" + digest;
  return s;
}

Reference Reference::WithDigest(std::string d) const {
  Reference r = *this;
  r.digest = std::move(d);
  return r;
}

Reference Reference::WithTag(std::string t) const {
  Reference r = *this;
  r.tag = std::move(t);
  r.digest.clear();
  return r;
}

}  // namespace customs::registry
