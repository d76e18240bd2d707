// Maven versions, as org.apache.maven.artifact.versioning.ComparableVersion (Maven 3.8.7, the
// version Debian 12 ships) orders them.
//
// Parsing (case-insensitive): the string is cut into items at '.' and '-', and wherever digits
// meet letters; a '-', and a change between digits and letters, open a nested list for the rest.
// A qualifier (letters) that is followed by digits or ends the string also starts a list of its
// own when it would not be the first item of the current list, so "1.0-rc1", "1.0rc1" and
// "1.0.RC1" are all [1, [rc, [1]]] while "1.0.foo-1" is [1, 0, foo, [1]]. An empty item ("1..2",
// "-1") is 0. A single letter a, b or m directly followed by digits means alpha, beta,
// milestone; "ga", "final" and "release" mean "" (the release), "cr" means "rc". Each list then
// drops its null items (0, "" and empty lists) from the end, skipping over non-null nested lists
// ("1.0-rc" is [1, [rc]]), so "1", "1.0", "1.0.0" and "1-ga" are all the same version.
//
// Items compare: numbers numerically (unbounded), before them letters ("1-foo" < "1-1" < "1.1"
// as string < list < number), strings by qualifier rank alpha < beta < milestone < rc < snapshot
// < "" < sp < any other string (others bytewise among themselves); a missing item compares like
// null: a number > 0 is newer than nothing, a qualifier below "" is older than nothing
// ("1-rc" < "1" < "1-sp"); a list against nothing compares its items against nothing in turn.
//
// Every string is a version (Valid() is false only for the empty string and strings with spaces
// or control characters). Only ASCII letters are lowercased and only ASCII digits are digits.
//
// ComparableVersion is not transitive on contrived strings, and neither is this faithful copy:
// "1.b_0_x" < "1-0.beta00" < "1" < "1.b_0_x" in Maven 3.8.7 itself. Versions in the shapes Maven
// Central uses (numbers, then qualifiers and their numbers) are totally ordered; Compare(a, a) == 0
// and Compare(a, b) == -Compare(b, a) hold for all strings.
#include <string>
#include <vector>

#include "version/version.h"

namespace customs::version {
namespace {

using detail::CompareBytes;
using detail::CompareDigits;
using detail::IsDigit;
using detail::ToLower;

// A number or a qualifier. Lists are not items here: a nested list is always the last element of
// its parent (once a list is opened, everything after goes into it), so a version is a chain of
// levels, level k+1 being the list that ends level k. Comparing chains needs no recursion, however
// deeply "1-1-1-..." nests.
struct Item {
  bool number;
  std::string text;  // digits without leading zeros ("" = 0), or the (aliased) qualifier
  int rank = 0;      // qualifier rank for strings
};

struct Version {
  std::vector<std::vector<Item>> levels;  // levels[0] is the top list; never empty
};

constexpr int kReleaseRank = 5;  // the index of "" in alpha beta milestone rc snapshot "" sp
constexpr int kUnknownRank = 7;

Item MakeNumber(std::string_view digits) {
  while (!digits.empty() && digits.front() == '0') digits.remove_prefix(1);
  return Item{true, std::string(digits), 0};
}

Item MakeString(std::string value, bool followed_by_digit) {
  if (followed_by_digit && value.size() == 1) {
    if (value == "a")
      value = "alpha";
    else if (value == "b")
      value = "beta";
    else if (value == "m")
      value = "milestone";
  }
  if (value == "ga" || value == "final" || value == "release")
    value = "";
  else if (value == "cr")
    value = "rc";
  static constexpr std::string_view kQualifiers[] = {"alpha", "beta", "milestone", "rc", "snapshot", "", "sp"};
  int rank = kUnknownRank;
  for (int i = 0; i < kUnknownRank; ++i)
    if (value == kQualifiers[i]) rank = i;
  return Item{false, std::move(value), rank};
}

Item ParseItem(bool digits, std::string_view s) { return digits ? MakeNumber(s) : MakeString(std::string(s), false); }

bool IsNull(const Item& it) { return it.number ? it.text.empty() : it.rank == kReleaseRank; }

// Each list drops its null items from the end, skipping over a non-null nested list; innermost
// first, so that a nested list emptied by its own normalization is null for its parent.
void Normalize(Version& v) {
  for (size_t k = v.levels.size(); k-- > 0;) {
    // The nested list (level k+1, the last element of level k) is null when it is empty and
    // has no nested list of its own: then it is removed.
    if (k + 2 == v.levels.size() && v.levels[k + 1].empty()) v.levels.pop_back();
    std::vector<Item>& items = v.levels[k];
    while (!items.empty() && IsNull(items.back())) items.pop_back();
  }
}

Version Parse(std::string_view raw) {
  std::string v(raw);
  for (char& c : v) c = ToLower(c);
  Version out;
  out.levels.emplace_back();
  auto cur = [&out]() -> std::vector<Item>& { return out.levels.back(); };
  auto open_list = [&out]() { out.levels.emplace_back(); };
  bool is_digit = false;
  size_t start = 0;
  for (size_t i = 0; i < v.size(); ++i) {
    char c = v[i];
    if (c == '.' || c == '-') {
      cur().push_back(i == start ? MakeNumber("") : ParseItem(is_digit, std::string_view(v).substr(start, i - start)));
      start = i + 1;
      if (c == '-') open_list();
    } else if (IsDigit(c)) {
      if (!is_digit && i > start) {
        // A qualifier followed by digits starts a list of its own unless it opens one already.
        if (!cur().empty()) open_list();
        cur().push_back(MakeString(v.substr(start, i - start), true));
        start = i;
        open_list();
      }
      is_digit = true;
    } else {
      if (is_digit && i > start) {
        cur().push_back(ParseItem(true, std::string_view(v).substr(start, i - start)));
        start = i;
        open_list();
      }
      is_digit = false;
    }
  }
  if (v.size() > start) {
    // So does a qualifier that ends the string ("1.0.rc" == "1.0-rc").
    if (!is_digit && !cur().empty()) open_list();
    cur().push_back(ParseItem(is_digit, std::string_view(v).substr(start)));
  }
  Normalize(out);
  return out;
}

// A scalar against a missing item.
int ScalarToNull(const Item& a) {
  if (a.number) return a.text.empty() ? 0 : 1;
  return a.rank < kReleaseRank ? -1 : a.rank > kReleaseRank ? 1 : 0;
}

// The list at `level` (and the lists it ends with) against a missing item: its items in turn.
int ListToNull(const Version& v, size_t level) {
  for (; level < v.levels.size(); ++level)
    for (const Item& it : v.levels[level])
      if (int c = ScalarToNull(it)) return c;
  return 0;
}

int CompareScalars(const Item& a, const Item& b) {
  if (a.number && b.number) return CompareDigits(a.text, b.text);
  if (a.number != b.number) return a.number ? 1 : -1;  // 1.1 > 1-sp
  if (a.rank != b.rank) return a.rank < b.rank ? -1 : 1;
  return a.rank == kUnknownRank ? CompareBytes(a.text, b.text) : 0;
}

// A scalar against a list: a number is newer (1.1 > 1-1), a string older (1-sp < 1-1).
int ScalarToList(const Item& a) { return a.number ? 1 : -1; }

int CompareVersions(const Version& a, const Version& b) {
  for (size_t k = 0;; ++k) {
    // Level k of both exists here. Elements: the scalars, then the nested list if there is one.
    const std::vector<Item>& x = a.levels[k];
    const std::vector<Item>& y = b.levels[k];
    const bool xs = k + 1 < a.levels.size(), ys = k + 1 < b.levels.size();
    const size_t nx = x.size() + xs, ny = y.size() + ys;
    bool descend = false;
    for (size_t i = 0; i < nx || i < ny; ++i) {
      const bool lx = i < nx, ly = i < ny;       // element present
      const bool lx_list = lx && i == x.size();  // ... and it is the nested list
      const bool ly_list = ly && i == y.size();
      int c;
      if (!lx) {
        c = ly_list ? -ListToNull(b, k + 1) : -ScalarToNull(y[i]);
      } else if (!ly) {
        c = lx_list ? ListToNull(a, k + 1) : ScalarToNull(x[i]);
      } else if (lx_list && ly_list) {
        descend = true;  // the last element of both: the result is that of the nested lists
        break;
      } else if (lx_list) {
        c = -ScalarToList(y[i]);
      } else if (ly_list) {
        c = ScalarToList(x[i]);
      } else {
        c = CompareScalars(x[i], y[i]);
      }
      if (c != 0) return c;
    }
    if (!descend) return 0;
  }
}

class MavenComparator final : public Comparator {
 public:
  std::string_view Scheme() const override { return "maven"; }

  bool Valid(std::string_view v) const override {
    if (v.empty()) return false;
    for (char c : v)
      if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f) return false;
    return true;
  }

  int Compare(std::string_view a, std::string_view b) const override { return CompareVersions(Parse(a), Parse(b)); }
};

}  // namespace

const Comparator& Comparator_maven() {
  static const MavenComparator kInstance;
  return kInstance;
}

}  // namespace customs::version
