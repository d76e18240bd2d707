#include "core/distro.h"

#include <algorithm>
#include <optional>
#include <vector>

namespace customs::distro {

namespace {

using ecosystem::Scheme;
using sv = std::string_view;

// os-release IDs and the OSInfo families analyzers/os_release.cpp folds them into.
constexpr sv kAlpine[] = {"alpine"};
constexpr sv kDebian[] = {"debian"};
constexpr sv kUbuntu[] = {"ubuntu"};
constexpr sv kRhel[] = {"rhel"};
constexpr sv kCentos[] = {"centos"};
constexpr sv kAlma[] = {"almalinux"};
constexpr sv kRocky[] = {"rocky"};
constexpr sv kOracleFamily[] = {"oracle"};
constexpr sv kOracleId[] = {"ol"};
constexpr sv kFedora[] = {"fedora"};
constexpr sv kSles[] = {"sles"};
constexpr sv kLeapFamily[] = {"opensuse.leap"};
constexpr sv kLeapId[] = {"opensuse-leap", "opensuse"};
constexpr sv kTumbleweedFamily[] = {"opensuse.tumbleweed"};
constexpr sv kTumbleweedId[] = {"opensuse-tumbleweed"};
constexpr sv kWolfi[] = {"wolfi"};
constexpr sv kChainguard[] = {"chainguard"};
constexpr sv kAmazonFamily[] = {"amazon"};
constexpr sv kAmazonId[] = {"amzn"};
constexpr sv kPhoton[] = {"photon"};

// Feeds are the source directories of src/db/feeds_urls.inc. Versions are what those feeds carry
// today (the Alpine secdb lines of feeds_urls.inc; OSV's per-ecosystem archives).
constexpr Distro kTable[] = {
    {"alpine", "Alpine Linux", kAlpine, kAlpine, "apk", Scheme::kApk, Release::kAlpineBranch, "Alpine",
     OsvForm::kAlpine, "alpine-secdb, osv-alpine", "secdb: v3.19-v3.22; OSV: every branch it publishes",
     "matched by origin package and branch"},
    {"debian", "Debian (and Google distroless, which ships Debian's os-release and dpkg status.d)", kDebian,
     kDebian, "dpkg", Scheme::kDpkg, Release::kDebian, "Debian", OsvForm::kDebian, "debian-tracker, osv-debian",
     "every release the security tracker lists", "matched by source package and codename"},
    {"ubuntu", "Ubuntu", kUbuntu, kUbuntu, "dpkg", Scheme::kDpkg, Release::kMajorMinor, "Ubuntu", OsvForm::kUbuntu,
     "osv-ubuntu", "every release in canonical/ubuntu-security-notices",
     "matched by source package; severity is Ubuntu's priority; Ubuntu Pro (ESM) records keep their own "
     "keys (ubuntu:pro:<release>) and are not matched against plain releases"},
    {"rhel", "Red Hat Enterprise Linux", kRhel, kRhel, "rpm", Scheme::kRpm, Release::kMajor, "Red Hat",
     OsvForm::kRedHat, "osv-redhat", "8, 9, 10 (enterprise_linux streams)",
     "matched by binary package name and epoch:version-release; only the main enterprise_linux:<major> "
     "streams map to rhel:<major> (EUS/AUS/E4S and layered products keep their own keys); module streams "
     "are not told apart"},
    {"centos", "CentOS", kCentos, kCentos, "rpm", Scheme::kRpm, Release::kMajor, "", OsvForm::kNone, "", "",
     "not covered: no feed (CentOS Linux reached its end of life; CentOS Stream has no advisory feed)"},
    {"almalinux", "AlmaLinux", kAlma, kAlma, "rpm", Scheme::kRpm, Release::kMajor, "AlmaLinux", OsvForm::kMajor,
     "osv-almalinux", "8, 9, 10", "as rhel; modular errata name the package, the module stream is not compared"},
    {"rocky", "Rocky Linux", kRocky, kRocky, "rpm", Scheme::kRpm, Release::kMajor, "Rocky Linux", OsvForm::kMajor,
     "osv-rocky", "8, 9", "as rhel; modular errata name the package, the module stream is not compared"},
    {"ol", "Oracle Linux", kOracleFamily, kOracleId, "rpm", Scheme::kRpm, Release::kMajor, "", OsvForm::kNone, "",
     "", "not covered: Oracle publishes OVAL only, which customs does not read"},
    {"fedora", "Fedora", kFedora, kFedora, "rpm", Scheme::kRpm, Release::kMajor, "", OsvForm::kNone, "", "",
     "not covered: no feed"},
    {"sles", "SUSE Linux Enterprise Server", kSles, kSles, "rpm", Scheme::kRpm, Release::kMajorMinor, "SUSE",
     OsvForm::kSles, "osv-suse", "12 and 15 service packs (sles:15.5 is 15 SP5)",
     "records of 'Linux Enterprise Server N SPx' and of its modules ('Linux Enterprise Module for ... N SPx') "
     "map to sles:N.x; LTSS, SAP and other products keep their own keys"},
    {"opensuse-leap", "openSUSE Leap", kLeapFamily, kLeapId, "rpm", Scheme::kRpm, Release::kMajorMinor, "openSUSE",
     OsvForm::kOpenSuseLeap, "osv-opensuse", "15.x", "'Leap Micro' keeps its own key"},
    {"opensuse-tumbleweed", "openSUSE Tumbleweed", kTumbleweedFamily, kTumbleweedId, "rpm", Scheme::kRpm,
     Release::kRolling, "openSUSE", OsvForm::kOpenSuseTumbleweed, "osv-opensuse", "rolling", ""},
    {"wolfi", "Wolfi", kWolfi, kWolfi, "apk", Scheme::kApk, Release::kRolling, "Wolfi", OsvForm::kRolling,
     "wolfi-secdb, osv-wolfi", "rolling", "Alpine's secdb format without a release"},
    {"chainguard", "Chainguard OS", kChainguard, kChainguard, "apk", Scheme::kApk, Release::kRolling, "Chainguard",
     OsvForm::kRolling, "chainguard-secdb, osv-chainguard", "rolling", "Alpine's secdb format without a release"},
    {"amzn", "Amazon Linux", kAmazonFamily, kAmazonId, "rpm", Scheme::kRpm, Release::kMajor, "", OsvForm::kNone,
     "amazon-alas", "2, 2023 (and Amazon Linux 1 as amzn:2018)",
     "ALAS from each release's yum repository (updateinfo.xml), or vuln-list's JSON with db build; OSV has no "
     "Amazon Linux ecosystem"},
    {"photon", "VMware Photon OS", kPhoton, kPhoton, "rpm", Scheme::kRpm, Release::kMajorMinor, "", OsvForm::kNone,
     "", "", "not covered: no feed"},
};

char LowerChar(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::string Lower(sv s) {
  std::string out(s);
  for (char& c : out) c = LowerChar(c);
  return out;
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

sv Trim(sv s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool AllDigits(sv s) { return !s.empty() && std::all_of(s.begin(), s.end(), IsDigit); }
bool IsDottedNumber(sv s) {
  return !s.empty() && IsDigit(s.front()) && IsDigit(s.back()) &&
         std::all_of(s.begin(), s.end(), [](char c) { return IsDigit(c) || c == '.'; });
}

bool StartsWithNoCase(sv s, sv prefix) {
  return s.size() >= prefix.size() && Lower(s.substr(0, prefix.size())) == Lower(prefix);
}

std::string MajorMinor(sv v) {
  size_t dot = v.find('.');
  if (dot == sv::npos) return std::string(v);
  size_t dot2 = v.find('.', dot + 1);
  return std::string(dot2 == sv::npos ? v : v.substr(0, dot2));
}

std::string Major(sv v) { return std::string(v.substr(0, v.find('.'))); }

std::string Compose(const Distro& d, const std::string& release) {
  return release.empty() ? std::string(d.key) : std::string(d.key) + ":" + release;
}

std::string AlpineBranch(sv rest) {
  std::string r = Lower(rest);
  if (!r.empty() && IsDigit(r[0])) r = "v" + r;
  return r;
}

// "15 SP5" -> "15.5", "15" -> "15"; nullopt for anything else ("15 SP5-LTSS").
std::optional<std::string> SuseVersion(sv s) {
  s = Trim(s);
  size_t sp = s.find(' ');
  if (sp == sv::npos) return AllDigits(s) ? std::optional<std::string>(std::string(s)) : std::nullopt;
  sv major = s.substr(0, sp), pack = Trim(s.substr(sp + 1));
  if (!AllDigits(major) || pack.size() < 3 || LowerChar(pack[0]) != 's' || LowerChar(pack[1]) != 'p' ||
      !AllDigits(pack.substr(2)))
    return std::nullopt;
  return std::string(major) + "." + std::string(pack.substr(2));
}

// The release part named by the rest of an OSV ecosystem ("v3.18", "9", "15.5", "" for rolling), or
// nullopt when `rest` is not this row's spelling.
std::optional<std::string> OsvRelease(const Distro& d, sv rest) {
  rest = Trim(rest);
  switch (d.osv_form) {
    case OsvForm::kNone: return std::nullopt;
    case OsvForm::kAlpine:
      if (rest.empty()) return std::nullopt;
      return AlpineBranch(rest);
    case OsvForm::kDebian:
      if (rest.empty()) return std::nullopt;
      return DebianCodename(rest);
    case OsvForm::kUbuntu: {
      if (rest.empty()) return std::nullopt;
      std::string r = Lower(rest);
      constexpr sv kLts = ":lts";
      if (r.size() > kLts.size() && sv(r).ends_with(kLts)) r.resize(r.size() - kLts.size());
      return r;
    }
    case OsvForm::kRedHat: {
      // "enterprise_linux:9::baseos": product, version, then the repository after "::".
      constexpr sv kProduct = "enterprise_linux:";
      if (!StartsWithNoCase(rest, kProduct)) return std::nullopt;
      sv v = rest.substr(kProduct.size());
      v = v.substr(0, v.find(':'));
      if (!AllDigits(v)) return std::nullopt;
      return std::string(v);
    }
    case OsvForm::kMajor: {
      sv v = rest.substr(0, rest.find(':'));
      if (!AllDigits(v)) return std::nullopt;
      return std::string(v);
    }
    case OsvForm::kSles: {
      constexpr sv kServer = "Linux Enterprise Server ";
      constexpr sv kModule = "Linux Enterprise Module for ";
      if (StartsWithNoCase(rest, kServer)) return SuseVersion(rest.substr(kServer.size()));
      if (StartsWithNoCase(rest, kModule)) {
        // "Linux Enterprise Module for Basesystem 15 SP5": the module name, then the version.
        sv m = rest.substr(kModule.size());
        size_t at = std::string_view::npos;
        for (size_t i = 0; i + 1 < m.size(); ++i)
          if (m[i] == ' ' && IsDigit(m[i + 1])) {
            at = i;
            break;
          }
        if (at == sv::npos) return std::nullopt;
        return SuseVersion(m.substr(at + 1));
      }
      return std::nullopt;
    }
    case OsvForm::kOpenSuseLeap: {
      constexpr sv kLeap = "Leap ";
      if (!StartsWithNoCase(rest, kLeap)) return std::nullopt;
      sv v = Trim(rest.substr(kLeap.size()));
      if (!IsDottedNumber(v)) return std::nullopt;
      return std::string(v);
    }
    case OsvForm::kOpenSuseTumbleweed:
      if (Lower(rest) != "tumbleweed") return std::nullopt;
      return std::string();
    case OsvForm::kRolling:
      if (!rest.empty()) return std::nullopt;
      return std::string();
  }
  return std::nullopt;
}

// The release part of a key already normalized ("rhel:9", "alpine:3.18", "debian:11").
std::optional<std::string> KeyRelease(const Distro& d, sv rest) {
  rest = Trim(rest);
  switch (d.release) {
    case Release::kRolling:
      if (!rest.empty()) return std::nullopt;
      return std::string();
    case Release::kAlpineBranch: return rest.empty() ? std::nullopt : std::optional<std::string>(AlpineBranch(rest));
    case Release::kDebian: return rest.empty() ? std::nullopt : std::optional<std::string>(DebianCodename(rest));
    case Release::kMajorMinor:
    case Release::kMajor: return rest.empty() ? std::nullopt : std::optional<std::string>(Lower(rest));
  }
  return std::nullopt;
}

struct DebianRelease {
  sv number, codename;
};
constexpr DebianRelease kDebianReleases[] = {
    {"1.1", "buzz"},   {"1.2", "rex"},        {"1.3", "bo"},         {"2.0", "hamm"},    {"2.1", "slink"},
    {"2.2", "potato"}, {"3.0", "woody"},      {"3.1", "sarge"},      {"4", "etch"},      {"5", "lenny"},
    {"6", "squeeze"},  {"7", "wheezy"},       {"8", "jessie"},       {"9", "stretch"},   {"10", "buster"},
    {"11", "bullseye"}, {"12", "bookworm"}, {"13", "trixie"},      {"14", "forky"},    {"15", "duke"}};

std::optional<sv> DebianLookup(sv number) {
  for (const auto& r : kDebianReleases)
    if (r.number == number) return r.codename;
  return std::nullopt;
}

}  // namespace

std::span<const Distro> All() { return kTable; }

const Distro* ForFamily(std::string_view family) {
  const std::string f = Lower(Trim(family));
  for (const auto& d : kTable)
    for (sv fam : d.families)
      if (fam == f) return &d;
  return nullptr;
}

const Distro* ForEcosystem(std::string_view ecosystem) {
  // A spelling that maps to a key is that key's row ("openSUSE:Tumbleweed" is not Leap's, though both
  // rows share the OSV head "openSUSE").
  const std::string key = KeyFromOsv(ecosystem);
  sv e = key.empty() ? Trim(ecosystem) : sv(key);
  const std::string head = Lower(Trim(e.substr(0, e.find(':'))));
  for (const auto& d : kTable)
    if (head == d.key || (!d.osv_name.empty() && head == Lower(d.osv_name))) return &d;
  return nullptr;
}

std::string ReleaseKey(const OSInfo& os) {
  const Distro* d = ForFamily(os.family);
  if (!d) return Lower(os.family) + ":" + Major(os.version);
  switch (d->release) {
    case Release::kAlpineBranch: return Compose(*d, os.version.empty() ? "" : "v" + MajorMinor(os.version));
    case Release::kDebian:
      return Compose(*d, !os.codename.empty() ? Lower(os.codename)
                         : os.version.empty() ? ""
                                              : DebianCodename(Major(os.version)));
    case Release::kMajorMinor: return Compose(*d, MajorMinor(os.version));
    case Release::kMajor: return Compose(*d, Major(os.version));
    case Release::kRolling: return std::string(d->key);
  }
  return std::string(d->key);
}

std::string KeyFromOsv(std::string_view ecosystem) {
  sv e = Trim(ecosystem);
  const size_t colon = e.find(':');
  const std::string head = Lower(Trim(e.substr(0, colon)));
  const sv rest = colon == sv::npos ? sv() : e.substr(colon + 1);
  // The OSV spelling first: several rows share a head ("openSUSE" is Leap and Tumbleweed).
  for (const auto& d : kTable)
    if (!d.osv_name.empty() && head == Lower(d.osv_name))
      if (auto r = OsvRelease(d, rest)) return Compose(d, *r);
  for (const auto& d : kTable)
    if (head == d.key)
      if (auto r = KeyRelease(d, rest)) return Compose(d, *r);
  return "";
}

bool IsDistroEcosystem(std::string_view ecosystem) { return ForEcosystem(ecosystem) != nullptr; }

std::string DebianCodename(std::string_view release) {
  const sv r = Trim(release);
  if (auto c = DebianLookup(r)) return std::string(*c);
  // "11.7" -> "11" (the 1.x-3.x releases are numbered with their minor, and are matched exactly above)
  const size_t dot = r.find('.');
  if (dot != sv::npos && dot > 0) {
    const sv major = r.substr(0, dot);
    if (major != "1" && major != "2" && major != "3")
      if (auto c = DebianLookup(major)) return std::string(*c);
  }
  return Lower(r);
}

}  // namespace customs::distro
