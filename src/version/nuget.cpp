// NuGet versions, as NuGet.Versioning (NuGetVersion.TryParse and VersionComparer.Default) orders
// them: SemVer 2.0 with up to four numbers.
//
// N[.N[.N[.N]]][-LABEL(.LABEL)*][+METADATA] after trimming spaces: one to four numbers (each at
// most 2147483647, leading zeros allowed, missing ones 0: "1.0" == "1.0.0.0", "1.01" == "1.1"),
// labels and metadata of [0-9A-Za-z-], none empty.
//
// Order: the four numbers numerically, then a pre-release older than none, then labels left to
// right: labels that are numbers up to 2147483647 (Int32.TryParse) compare numerically and before
// the others, which compare case-insensitively (OrdinalIgnoreCase: "RC" == "rc"); a shorter prefix
// list is older. Metadata is ignored.
//
// Invalid strings sort before every valid version, and bytewise among themselves.
#include <vector>

#include "version/version.h"

namespace customs::version {
namespace {

using detail::CompareDigits;
using detail::DigitRun;
using detail::IsAlnum;

constexpr std::string_view kInt32Max = "2147483647";

struct Parsed {
  std::string_view numbers[4] = {"0", "0", "0", "0"};
  std::vector<std::string_view> labels;
};

bool AllDigits(std::string_view s) { return !s.empty() && DigitRun(s) == s.size(); }
bool Int32(std::string_view s) { return AllDigits(s) && CompareDigits(s, kInt32Max) <= 0; }

bool Labels(std::string_view s, std::vector<std::string_view>* out) {
  if (s.empty()) return false;
  size_t start = 0;
  while (true) {
    size_t dot = s.find('.', start);
    std::string_view l = s.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (l.empty()) return false;
    for (char c : l)
      if (!IsAlnum(c) && c != '-') return false;
    if (out) out->push_back(l);
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

bool Parse(std::string_view v, Parsed& out) {
  v = detail::Trim(v);
  if (size_t plus = v.find('+'); plus != std::string_view::npos) {
    if (!Labels(v.substr(plus + 1), nullptr)) return false;
    v = v.substr(0, plus);
  }
  if (size_t dash = v.find('-'); dash != std::string_view::npos) {
    if (!Labels(v.substr(dash + 1), &out.labels)) return false;
    v = v.substr(0, dash);
  }
  for (int k = 0; k < 4; ++k) {
    size_t dot = v.find('.');
    std::string_view n = v.substr(0, dot);
    if (!Int32(n)) return false;
    out.numbers[k] = n;
    if (dot == std::string_view::npos) return true;
    v.remove_prefix(dot + 1);
  }
  return false;  // a fifth number
}

int CompareLabel(std::string_view a, std::string_view b) {
  bool na = Int32(a), nb = Int32(b);
  if (na && nb) return CompareDigits(a, b);
  if (na != nb) return na ? -1 : 1;
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'a' && x <= 'z') x = static_cast<char>(x - 'a' + 'A');
    if (y >= 'a' && y <= 'z') y = static_cast<char>(y - 'a' + 'A');
    if (x != y) return x < y ? -1 : 1;
  }
  if (a.size() == b.size()) return 0;
  return a.size() < b.size() ? -1 : 1;
}

class NugetComparator final : public Comparator {
 public:
  std::string_view Scheme() const override { return "nuget"; }

  bool Valid(std::string_view v) const override {
    Parsed p;
    return Parse(v, p);
  }

  int Compare(std::string_view a, std::string_view b) const override {
    Parsed x, y;
    bool vx = Parse(a, x), vy = Parse(b, y);
    if (int c = detail::CompareInvalid(vx, vy, a, b); c != 2) return c;
    for (int k = 0; k < 4; ++k)
      if (int c = CompareDigits(x.numbers[k], y.numbers[k])) return c;
    if (x.labels.empty() != y.labels.empty()) return x.labels.empty() ? 1 : -1;
    for (size_t i = 0; i < x.labels.size() && i < y.labels.size(); ++i)
      if (int c = CompareLabel(x.labels[i], y.labels[i])) return c;
    if (x.labels.size() == y.labels.size()) return 0;
    return x.labels.size() < y.labels.size() ? -1 : 1;
  }
};

}  // namespace

const Comparator& Comparator_nuget() {
  static const NugetComparator kInstance;
  return kInstance;
}

}  // namespace customs::version
