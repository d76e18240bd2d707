// A hand-built vulnerability scan result for the reporter tests: the Alpine sample of
// reporters_sample.h with findings of every severity, a KEV-listed one, one id on two packages, a
// suppressed one (VEX) and a notice. The advisory contents are made up for the tests.
#pragma once

#include "unit/reporters_sample.h"

namespace customs::sample {

// Indexes into Alpine().inventory.packages (database order).
enum AlpinePkg : size_t { kMusl = 0, kBusybox = 1, kLibssl = 2, kLibcrypto = 3, kCurl = 4 };

inline DataSource AlpineSecdb() { return {"alpine-secdb", "Alpine Secdb", "https://secdb.alpinelinux.org/"}; }

inline VulnFinding Finding(size_t pkg, const std::string& id, Severity sev, const std::string& installed,
                           const std::string& fixed) {
  VulnFinding f;
  f.id = id;
  f.package_index = pkg;
  f.installed_version = installed;
  f.fixed_version = fixed;
  f.status = fixed.empty() ? FixStatus::kAffected : FixStatus::kFixed;
  f.severity = sev;
  f.severity_source = "nvd";
  f.source = AlpineSecdb();
  f.references = {"https://nvd.nist.gov/vuln/detail/" + id};
  return f;
}

inline ScanResult VulnerableAlpine() {
  ScanResult r = Alpine();
  r.vuln_scanned = true;
  auto& v = r.vulnerabilities;

  VulnFinding ssl = Finding(kLibssl, "CVE-2021-3711", Severity::kCritical, "1.1.1k-r0", "1.1.1l-r0");
  ssl.cvss = {{"nvd", "3.1", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8},
              {"nvd", "2.0", "AV:N/AC:L/Au:N/C:P/I:P/A:P", 7.5}};
  ssl.title = "openssl: SM2 Decryption Buffer Overflow";
  ssl.description = "In order to decrypt SM2 encrypted data an application is expected to call the API function.";
  ssl.references.push_back("https://www.openssl.org/news/secadv/20210824.txt");
  ssl.cwes = {"CWE-120"};
  ssl.published = "2021-08-24T15:15:00Z";
  ssl.modified = "2023-11-07T03:38:00Z";
  VulnFinding crypto_same = ssl;  // the same advisory on the other half of openssl
  crypto_same.package_index = kLibcrypto;

  VulnFinding crypto = Finding(kLibcrypto, "CVE-2021-3712", Severity::kHigh, "1.1.1k-r0", "1.1.1l-r0");
  crypto.cvss = {{"nvd", "3.1", "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:H", 7.4}};
  crypto.title = "openssl: Read buffer overruns processing ASN.1 strings";
  crypto.cwes = {"CWE-125"};
  crypto.published = "2021-08-24";  // a date without time, as some feeds write it

  VulnFinding curl_kev = Finding(kCurl, "CVE-2023-38545", Severity::kHigh, "7.64.0-r5", "8.4.0-r0");
  curl_kev.cvss = {{"nvd", "3.1", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", 7.5},
                   {"ghsa", "3.1", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8}};
  curl_kev.kev = true;
  curl_kev.kev_date_added = "2024-01-10";
  curl_kev.title = "curl: heap based buffer overflow in the SOCKS5 proxy handshake";
  curl_kev.aliases = {"GHSA-9hjq-xxxx-yyyy"};

  VulnFinding curl_med = Finding(kCurl, "CVE-2021-22876", Severity::kMedium, "7.64.0-r5", "7.76.0-r0, 7.77.0-r1");
  curl_med.severity_source = "alpine";
  curl_med.cvss = {{"nvd", "3.1", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N", 5.3}};
  curl_med.title = "curl: Leak of authentication credentials in URL via automatic Referer";
  curl_med.cwes = {"CWE-359", "NVD-CWE-Other"};

  VulnFinding bb_low = Finding(kBusybox, "CVE-2022-28391", Severity::kLow, "1.29.3-r10", "");
  bb_low.title = "busybox: remote attackers may execute arbitrary code";
  bb_low.severity_source = "debian";

  VulnFinding bb_none = Finding(kBusybox, "CVE-2017-0001", Severity::kNone, "1.29.3-r10", "");
  bb_none.status = FixStatus::kWillNotFix;
  bb_none.cvss = {{"nvd", "3.1", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", 0.0}};

  VulnFinding bb_unknown = Finding(kBusybox, "CVE-2018-1000500", Severity::kUnknown, "1.29.3-r10", "");
  bb_unknown.status = FixStatus::kUnknown;
  bb_unknown.references.clear();

  VulnFinding musl_sup = Finding(kMusl, "CVE-2020-28928", Severity::kMedium, "1.1.20-r4", "1.1.24-r3");
  musl_sup.title = "musl: wcsnrtombs buffer overflow";
  musl_sup.suppressed_by = {{"vex", "CVE-2020-28928 not_affected for pkg:apk/alpine/musl",
                             "vulnerable_code_not_in_execute_path", "alpine.openvex.json"}};

  // Sorted by (package, id), as the scanner hands them over.
  v = {musl_sup, bb_none, bb_unknown, bb_low, ssl, crypto_same, crypto, curl_med, curl_kev};
  r.notices = {{"eol", "alpine 3.9.6: past end of life (2020-11-01); the data may miss newer vulnerabilities"}};
  return r;
}

inline std::string RenderWith(const std::string& format, const ScanResult& r, bool show_suppressed,
                              bool color = false) {
  auto rep = MakeReporter(format);
  if (!rep) return "";
  std::ostringstream out;
  ReportOptions opts;
  opts.color = color;
  opts.show_suppressed = show_suppressed;
  rep->Write(r, opts, out);
  return out.str();
}

}  // namespace customs::sample
