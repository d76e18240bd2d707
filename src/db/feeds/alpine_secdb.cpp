// Alpine secdb (https://secdb.alpinelinux.org/, formerly gitlab alpine/infra secdb): one document per
// branch and repository, YAML or JSON with the same shape:
//   distroversion: v3.9   reponame: main
//   packages: [ {pkg: {name: openssl, secfixes: {"1.1.1d-r0": [CVE-2019-1547, ...], ...}}} ]
// A secfixes key is the first version that carries the fix; key "0" means the package was never
// affected (Alpine's convention). An entry may name several ids ("CVE-2017-8904 XSA-214": the first is
// the advisory id, the rest aliases); "CVE 2018-16859" and "CVE_2019-2426" are read as CVE ids. Emits one advisory per (package, id, fixed version).
// Wolfi and Chainguard publish the same format without distroversion (wolfictl's secdb: urlprefix,
// apkurl, reponame, archs, packages; https://packages.wolfi.dev/os/security.json and
// https://packages.cgr.dev/chainguard/security.json): rolling distributions, so their records get the
// release-less ecosystem keys "wolfi" and "chainguard", told apart by the urlprefix host.
#include <cctype>

#include "db/feeds/docs.h"
#include "db/feeds/feed.h"
#include "db/schema.h"

namespace customs::db {

namespace {

bool LooksLikeId(const std::string& s) {
  // PREFIX-REST with an upper-case letter prefix: CVE-2019-1547, XSA-214, GHSA-xxxx, ZBX-1234, ...
  auto dash = s.find('-');
  if (dash == std::string::npos || dash == 0 || dash + 1 >= s.size()) return false;
  for (size_t i = 0; i < dash; ++i)
    if (!std::isalpha(static_cast<unsigned char>(s[i]))) return false;
  for (char c : s)
    if (std::isspace(static_cast<unsigned char>(c)) || std::iscntrl(static_cast<unsigned char>(c))) return false;
  return true;
}

// "CVE-2017-8904 XSA-214" -> {CVE-2017-8904, XSA-214}; "CVE 2018-16859" -> {CVE-2018-16859}.
std::vector<std::string> SplitIds(const std::string& entry) {
  std::vector<std::string> toks, out;
  std::string cur;
  for (char c : entry) {
    if (std::isspace(static_cast<unsigned char>(c)) || c == ',') {
      if (!cur.empty()) toks.push_back(cur), cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) toks.push_back(cur);
  for (size_t i = 0; i < toks.size(); ++i) {
    std::string t = toks[i];
    if ((t == "CVE" || t == "cve") && i + 1 < toks.size()) t = "CVE-" + toks[++i];
    // "cve-..." and the "CVE_2019-2426" typo of the secdb
    if (StartsWith(t, "cve-") || StartsWith(t, "CVE_") || StartsWith(t, "cve_")) t = "CVE-" + t.substr(4);
    out.push_back(t);
  }
  return out;
}

void ParseDoc(const nlohmann::json& doc, const std::string& where, Sink& sink) {
  if (!doc.is_object()) {
    sink.Skip(where, "not a secdb document (expected a mapping)");
    return;
  }
  std::string branch = Str(doc, "distroversion");
  std::string eco, purl_prefix, purl_suffix;
  if (!branch.empty()) {
    eco = NormalizeEcosystem("alpine:" + branch);
    purl_prefix = "pkg:apk/alpine/";
    purl_suffix = "?distro=alpine-" + (branch[0] == 'v' ? branch.substr(1) : branch);
  } else {
    const std::string prefix = Lower(Str(doc, "urlprefix"));
    // "https://packages.wolfi.dev", "https://packages.cgr.dev" (host, optionally a path)
    auto host_is = [&](const char* domain) {
      size_t b = prefix.find("://");
      std::string host = prefix.substr(b == std::string::npos ? 0 : b + 3);
      host = host.substr(0, host.find('/'));
      const std::string d = domain;
      return host == d || EndsWith(host, "." + d);
    };
    if (host_is("wolfi.dev"))
      eco = "wolfi";
    else if (host_is("cgr.dev"))
      eco = "chainguard";
    if (eco.empty()) {
      sink.Skip(where, prefix.empty() ? "no distroversion (and no urlprefix naming Wolfi or Chainguard)"
                                      : "no distroversion, and urlprefix '" + prefix + "' is neither Wolfi nor Chainguard");
      return;
    }
    purl_prefix = "pkg:apk/" + eco + "/";
    purl_suffix = "?distro=" + eco;
  }
  const auto* packages = Child(doc, "packages");
  if (!packages) return;  // an empty branch
  if (!packages->is_array()) {
    sink.Skip(where, "packages is not a list");
    return;
  }
  size_t index = 0;
  for (const auto& entry : *packages) {
    const std::string at = where + ": packages[" + std::to_string(index++) + "]";
    const auto* pkg = entry.is_object() ? Child(entry, "pkg") : nullptr;
    if (!pkg || !pkg->is_object()) {
      sink.Skip(at, "no pkg mapping");
      continue;
    }
    std::string name = Str(*pkg, "name");
    if (name.empty()) {
      sink.Skip(at, "pkg without name");
      continue;
    }
    const auto* secfixes = Child(*pkg, "secfixes");
    if (!secfixes) continue;
    if (!secfixes->is_object()) {
      sink.Skip(at + " (" + name + ")", "secfixes is not a mapping");
      continue;
    }
    for (const auto& [version, ids] : secfixes->items()) {
      const std::string vat = at + " (" + name + " " + version + ")";
      if (Trim(version).empty()) {
        sink.Skip(vat, "empty fixed version");
        continue;
      }
      if (ids.is_null()) continue;
      if (!ids.is_array()) {
        sink.Skip(vat, "secfixes entry is not a list");
        continue;
      }
      for (const auto& idv : ids) {
        std::string text = AsStr(idv);
        auto toks = SplitIds(text);
        if (toks.empty() || !LooksLikeId(toks[0])) {
          sink.Skip(vat, "not an advisory id: '" + text + "'");
          continue;
        }
        AdvisoryRecord rec;
        rec.id = toks[0];
        for (size_t i = 1; i < toks.size(); ++i)
          if (LooksLikeId(toks[i])) rec.aliases.push_back(toks[i]);
        Affected a;
        a.ecosystem = eco;
        a.package = name;
        a.purl = purl_prefix + name + purl_suffix;
        std::string v = Trim(version);
        if (v == "0") {
          a.status = kStatusNotAffected;
        } else {
          a.status = kStatusFixed;
          a.fixed_version = v;
        }
        rec.affected.push_back(std::move(a));
        sink.Advisory(std::move(rec));
      }
    }
  }
}

void ParseBytes(std::string_view data, const std::string& name, Sink& sink) {
  nlohmann::json doc;
  std::string err;
  if (!ParseDocument(data, IsYamlName(name), doc, err, name)) {
    sink.Skip(name, err);
    return;
  }
  ParseDoc(doc, name, sink);
}

void ParsePath(const std::filesystem::path& path, Sink& sink) {
  for (const auto& f : ListFiles(path)) {
    std::string n = Lower(f.filename().string());
    if (!IsYamlName(n) && !EndsWith(n, ".json")) continue;
    std::string data, err;
    if (!ReadWholeFile(f, data, err)) {
      sink.Skip(f.string(), err);
      continue;
    }
    ParseBytes(data, f.string(), sink);
  }
}

bool MatchesDirName(const std::string& n) {
  const std::string l = Lower(n);
  return StartsWith(l, "alpine-secdb") || l == "secdb" || StartsWith(l, "wolfi-secdb") || StartsWith(l, "chainguard-secdb");
}

bool Sniff(const std::filesystem::path& file, std::string_view head) {
  return (head.find("distroversion") != std::string_view::npos || head.find("\"urlprefix\"") != std::string_view::npos) &&
         head.find("secfixes") != std::string_view::npos;
}

}  // namespace

const Feed& Feed_alpine_secdb() {
  static const Feed f{"alpine_secdb", "Alpine secdb", "Alpine Secdb", "https://secdb.alpinelinux.org/", MatchesDirName, Sniff, ParsePath, ParseBytes};
  return f;
}

}  // namespace customs::db
