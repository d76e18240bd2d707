// libFuzzer target: the policy file parsers (src/policy/): the ignore file in its text and YAML forms,
// OpenVEX documents, and purl pattern matching; whatever parses is then applied to a small scan
// result. Properties checked on every input, besides not crashing:
//  - a parser either returns or throws customs::Error with a message (nothing else escapes);
//  - every parsed ignore entry has an id; every VEX statement a vulnerability name and a known status;
//  - a purl that matches anything matches itself.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "policy/policy.h"

namespace {

customs::ScanResult Sample() {
  customs::ScanResult r;
  r.vuln_scanned = true;
  r.inventory.artifact.type = customs::ArtifactType::kContainerImage;
  r.inventory.artifact.repo_tags = {"registry.example.com/team/app:1.0"};
  r.inventory.artifact.repo_digests = {"registry.example.com/team/app@sha256:0123"};
  r.inventory.os = customs::OSInfo{"debian", "Debian 12", "12", "bookworm", "etc/os-release"};
  customs::Package p;
  p.type = "dpkg";
  p.name = "openssl";
  p.version = "1:3.0.11-1~deb12u2";
  p.epoch = 1;
  p.arch = "amd64";
  p.db_path = "var/lib/dpkg/status";
  r.inventory.packages = {p};
  customs::VulnFinding f;
  f.id = "CVE-2023-5678";
  f.aliases = {"GHSA-xxxx-yyyy-zzzz"};
  f.severity = customs::Severity::kHigh;
  r.vulnerabilities = {f, f};
  r.vulnerabilities[1].package_index = 7;  // dangling on purpose
  return r;
}

template <typename F>
bool Parses(F&& f) {
  try {
    f();
    return true;
  } catch (const customs::Error& e) {
    if (std::string_view(e.what()).empty()) std::abort();
    return false;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  std::vector<customs::IgnoreEntry> ignores;
  std::vector<customs::VexStatement> vex;
  Parses([&] {
    auto e = customs::ParseIgnoreText(input, "fuzz");
    ignores.insert(ignores.end(), e.begin(), e.end());
  });
  Parses([&] {
    auto e = customs::ParseIgnoreYaml(input, "fuzz.yaml");
    ignores.insert(ignores.end(), e.begin(), e.end());
  });
  Parses([&] { vex = customs::ParseOpenVex(input, "fuzz.json"); });
  for (const auto& e : ignores) {
    if (e.id.empty()) std::abort();
  }
  for (const auto& s : vex) {
    if (s.vuln_name.empty()) std::abort();
    if (s.status != "not_affected" && s.status != "affected" && s.status != "fixed" &&
        s.status != "under_investigation")
      std::abort();
  }
  // The input as a purl pattern, against a package purl and itself.
  const std::string purl(input.substr(0, 4096));
  const bool any = customs::PurlMatches(purl, "pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64&distro=debian-12&epoch=1");
  if (any && !customs::PurlMatches(purl, purl)) std::abort();

  customs::ScanResult r = Sample();
  customs::PolicyOptions p;
  p.today = "2025-06-01";
  p.max_total = 0;
  customs::ApplyFilters(r, p, ignores, vex);
  if (r.vulnerabilities.size() != 2) std::abort();  // never deletes
  (void)customs::Evaluate(r, p);
  return 0;
}
