// Maven versions, as org.apache.maven.artifact.versioning.ComparableVersion (Maven 3.8) orders
// them.
//
// Parsing (case-insensitive): the string is cut into items at '.' and '-', and wherever digits
// meet letters; a '-', and a change between digits and letters, open a nested list for the rest,
// so "1.0-rc1" is [1, [rc, [1]]] and "1.0rc1" the same. An empty item ("1..2", "-1") is 0. A
// single letter a, b or m directly followed by digits means alpha, beta, milestone; "ga", "final"
// and "release" mean "" (the release), "cr" means "rc". Each list then drops its null items (0,
// "" and empty lists) from the end, skipping over non-null nested lists ("1.0-rc" is [1, [rc]]),
// so "1", "1.0", "1.0.0" and "1-ga" are all the same version.
//
// Items compare: numbers numerically (unbounded), before them letters ("1-foo" < "1-1" < "1.1"
// as string < list < number), strings by qualifier rank alpha < beta < milestone < rc < snapshot
// < "" < sp < any other string (others bytewise among themselves); a missing item compares like
// null: a number > 0 is newer than nothing, a qualifier below "" is older than nothing
// ("1-rc" < "1" < "1-sp"); a list against nothing compares its first item.
//
// Every string is a version (Valid() is false only for the empty string and strings with spaces
// or control characters). Only ASCII letters are lowercased.
#include <memory>
#include <string>
#include <vector>

#include "version/version.h"

namespace customs::version {
namespace {

using detail::CompareBytes;
using detail::CompareDigits;
using detail::IsDigit;
using detail::ToLower;

struct Item {
  enum Type { kNumber, kString, kList } type;
  std::string number;         // digits without leading zeros ("" = 0)
  int rank = 0;               // qualifier rank for strings
  std::string text;           // the (aliased) qualifier
  std::vector<Item> items;    // for lists
};

constexpr int kReleaseRank = 5;  // the index of "" in alpha beta milestone rc snapshot "" sp

Item MakeNumber(std::string_view digits) {
  while (!digits.empty() && digits.front() == '0') digits.remove_prefix(1);
  Item it{Item::kNumber, std::string(digits), 0, {}, {}};
  return it;
}

Item MakeString(std::string value, bool followed_by_digit) {
  if (followed_by_digit && value.size() == 1) {
    if (value == "a") value = "alpha";
    else if (value == "b") value = "beta";
    else if (value == "m") value = "milestone";
  }
  if (value == "ga" || value == "final" || value == "release") value = "";
  else if (value == "cr") value = "rc";
  static constexpr std::string_view kQualifiers[] = {"alpha", "beta", "milestone", "rc", "snapshot", "", "sp"};
  int rank = 7;
  for (int i = 0; i < 7; ++i)
    if (value == kQualifiers[i]) rank = i;
  return Item{Item::kString, {}, rank, std::move(value), {}};
}

bool IsNull(const Item& it) {
  switch (it.type) {
    case Item::kNumber: return it.number.empty();
    case Item::kString: return it.rank == kReleaseRank;
    case Item::kList: return it.items.empty();
  }
  return false;
}

void Normalize(std::vector<Item>& list) {
  for (size_t i = list.size(); i-- > 0;) {
    if (IsNull(list[i])) {
      list.erase(list.begin() + static_cast<std::ptrdiff_t>(i));
    } else if (list[i].type != Item::kList) {
      break;
    }
  }
}

Item ParseItem(bool digits, std::string_view s) {
  return digits ? MakeNumber(s) : MakeString(std::string(s), false);
}

// Parses into a tree; the nested list of each level is the last item of its parent.
Item Parse(std::string_view raw) {
  std::string v(raw);
  for (char& c : v) c = ToLower(c);
  Item root{Item::kList, {}, 0, {}, {}};
  // The path of open lists from the root. The pointers stay valid: once a nested list is opened,
  // items go into it, never again into its parent, so the parent's vector does not reallocate.
  std::vector<Item*> stack{&root};
  auto open_list = [&stack]() {
    Item* cur = stack.back();
    cur->items.push_back(Item{Item::kList, {}, 0, {}, {}});
    stack.push_back(&cur->items.back());
  };
  bool is_digit = false;
  size_t start = 0;
  for (size_t i = 0; i < v.size(); ++i) {
    char c = v[i];
    if (c == '.' || c == '-') {
      if (i == start) {
        stack.back()->items.push_back(MakeNumber(""));
      } else {
        stack.back()->items.push_back(ParseItem(is_digit, std::string_view(v).substr(start, i - start)));
      }
      start = i + 1;
      if (c == '-') open_list();
    } else if (IsDigit(c)) {
      if (!is_digit && i > start) {
        stack.back()->items.push_back(MakeString(v.substr(start, i - start), true));
        start = i;
        open_list();
      }
      is_digit = true;
    } else {
      if (is_digit && i > start) {
        stack.back()->items.push_back(ParseItem(true, std::string_view(v).substr(start, i - start)));
        start = i;
        open_list();
      }
      is_digit = false;
    }
  }
  if (v.size() > start) stack.back()->items.push_back(ParseItem(is_digit, std::string_view(v).substr(start)));
  while (!stack.empty()) {
    Normalize(stack.back()->items);
    stack.pop_back();
  }
  return root;
}

int CompareItem(const Item* a, const Item* b);

// `a` against a missing item.
int CompareToNull(const Item& a) {
  switch (a.type) {
    case Item::kNumber: return a.number.empty() ? 0 : 1;
    case Item::kString: return a.rank < kReleaseRank ? -1 : a.rank > kReleaseRank ? 1 : 0;
    case Item::kList: return a.items.empty() ? 0 : CompareToNull(a.items.front());
  }
  return 0;
}

int CompareItem(const Item* a, const Item* b) {
  if (a == nullptr) return b == nullptr ? 0 : -CompareToNull(*b);
  if (b == nullptr) return CompareToNull(*a);
  switch (a->type) {
    case Item::kNumber:
      if (b->type == Item::kNumber) return CompareDigits(a->number, b->number);
      return 1;  // 1.1 > 1-sp, 1.1 > 1-1
    case Item::kString:
      if (b->type != Item::kString) return -1;  // 1.any < 1.1, 1.any < 1-1
      if (a->rank != b->rank) return a->rank < b->rank ? -1 : 1;
      return a->rank == 7 ? CompareBytes(a->text, b->text) : 0;
    case Item::kList:
      if (b->type == Item::kNumber) return -1;  // 1-1 < 1.0.x
      if (b->type == Item::kString) return 1;   // 1-1 > 1-sp
      for (size_t i = 0; i < a->items.size() || i < b->items.size(); ++i) {
        const Item* l = i < a->items.size() ? &a->items[i] : nullptr;
        const Item* r = i < b->items.size() ? &b->items[i] : nullptr;
        if (int c = CompareItem(l, r)) return c;
      }
      return 0;
  }
  return 0;
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

  int Compare(std::string_view a, std::string_view b) const override {
    Item x = Parse(a), y = Parse(b);
    return CompareItem(&x, &y);
  }
};

}  // namespace

const Comparator& Comparator_maven() {
  static const MavenComparator kInstance;
  return kInstance;
}

}  // namespace customs::version
