// Small helpers shared by the policy files (not part of the policy API).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace customs::policy_detail {

std::string_view Trim(std::string_view s);
std::string Lower(std::string_view s);
bool IEquals(std::string_view a, std::string_view b);
// "YYYY-MM-DD" with a real month and day.
bool IsDate(std::string_view s);
// RFC 3339 date-time ("2023-01-02T03:04:05Z", fractions and +hh:mm offsets allowed) -> seconds since
// the epoch; nullopt when malformed.
std::optional<long long> ParseRfc3339(std::string_view s);
// Whole file; IoError naming it when unreadable.
std::string ReadPolicyFile(const std::string& path);

}  // namespace customs::policy_detail

namespace customs {
struct Artifact;
namespace policy_detail {
// True when `purl` is a pkg:oci purl naming the scanned image (rules in docs/policy.md).
bool OciPurlNamesArtifact(std::string_view purl, const Artifact& a);
}  // namespace policy_detail
}  // namespace customs
