// The secret config file: YAML on top of the built-in rules (config.h has the shape). The loader is
// strict on purpose: a typo in a key or a rule id would otherwise silently drop protection, so every
// unknown key, unknown id, duplicate and regex that either engine would refuse is an error naming the
// line. Regexes are checked here with the same two compilers the engine uses (PCRE2 for the exact
// match, Hyperscan as a streaming prefilter) so that a bad pattern is reported where it was written.
#include "secrets/config.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <hs/hs.h>
#include <pcre2.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.h"
#include "formats/yaml.h"

namespace customs::secrets {
namespace {

// Limits that keep a hostile or runaway file from costing more than a real one ever needs.
constexpr size_t kMaxRules = 10'000;       // custom rules in one file
constexpr size_t kMaxAllowRules = 10'000;  // allow rules in one file, global and per rule together
constexpr size_t kMaxRegexBytes = 4096;    // one regex (or one path regex)
constexpr size_t kMaxIdBytes = 128;
constexpr size_t kMaxKeywords = 1'000;      // per rule
constexpr size_t kMaxMatchLength = 65'536;  // max-length: the engine keeps this much around a match
constexpr uint64_t kMaxFileBytes = 64ull << 20;

constexpr std::string_view kSecretGroup = "secret";

// ---------------------------------------------------------------------------------------------
// Regex checks.

struct Pcre2Facts {
  std::string error;  // empty: compiled
  uint32_t min_length = 0;
  int secret_group = -1;  // group number of "secret", -1 when absent
};

Pcre2Facts CheckPcre2(const std::string& re) {
  Pcre2Facts f;
  int code = 0;
  PCRE2_SIZE offset = 0;
  pcre2_code* compiled = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(re.data()), re.size(), 0, &code, &offset, nullptr);
  if (compiled == nullptr) {
    PCRE2_UCHAR buf[256];
    if (pcre2_get_error_message(code, buf, sizeof buf) < 0) std::strcpy(reinterpret_cast<char*>(buf), "unknown error");
    f.error = std::string(reinterpret_cast<const char*>(buf)) + " (at offset " + std::to_string(offset) + ")";
    return f;
  }
  pcre2_pattern_info(compiled, PCRE2_INFO_MINLENGTH, &f.min_length);
  const int n = pcre2_substring_number_from_name(compiled, reinterpret_cast<PCRE2_SPTR>(kSecretGroup.data()));
  f.secret_group = n > 0 ? n : -1;
  pcre2_code_free(compiled);
  return f;
}

// The engine compiles every rule into one Hyperscan database as a prefilter in streaming mode; a
// pattern Hyperscan refuses (\K, recursion, (?U), ...) would only fail there, without a line.
std::string HyperscanError(const std::string& re, bool caseless) {
  hs_database_t* db = nullptr;
  hs_compile_error_t* err = nullptr;
  const unsigned flags = HS_FLAG_PREFILTER | (caseless ? HS_FLAG_CASELESS : 0u);
  if (hs_compile(re.c_str(), flags, HS_MODE_STREAM, nullptr, &db, &err) == HS_SUCCESS) {
    hs_free_database(db);
    return "";
  }
  std::string msg = err != nullptr && err->message != nullptr ? err->message : "does not compile";
  if (err != nullptr) hs_free_compile_error(err);
  return msg;
}

// Renames the definition of the named group `from` to "secret", in any of PCRE2's spellings
// ((?P<n>...), (?<n>...), (?'n'...)): Trivy's `secret-group-name`. Escapes, \Q...\E and character
// classes are skipped so that a literal lookalike is not touched. Returns how many were renamed.
size_t RenameGroup(std::string& re, const std::string& from) {
  const std::string forms[][2] = {{"(?P<" + from + ">", "(?P<secret>"},
                                  {"(?<" + from + ">", "(?<secret>"},
                                  {"(?'" + from + "'", "(?'secret'"}};
  size_t renamed = 0;
  size_t i = 0;
  while (i < re.size()) {
    const char c = re[i];
    if (c == '\\') {
      if (i + 1 < re.size() && re[i + 1] == 'Q') {
        const size_t end = re.find("\\E", i + 2);
        i = end == std::string::npos ? re.size() : end + 2;
      } else {
        i += 2;
      }
      continue;
    }
    if (c == '[') {
      size_t j = i + 1;
      if (j < re.size() && re[j] == '^') ++j;
      if (j < re.size() && re[j] == ']') ++j;  // a leading ']' is literal
      while (j < re.size() && re[j] != ']') {
        if (re[j] == '\\') {
          j += 2;
        } else if (re[j] == '[' && j + 1 < re.size() && re[j + 1] == ':') {
          const size_t end = re.find(":]", j + 2);
          j = end == std::string::npos ? j + 1 : end + 2;
        } else {
          ++j;
        }
      }
      i = j + 1;
      continue;
    }
    if (c == '(') {
      bool hit = false;
      for (const auto& f : forms) {
        if (re.compare(i, f[0].size(), f[0]) == 0) {
          re.replace(i, f[0].size(), f[1]);
          i += f[1].size();
          ++renamed;
          hit = true;
          break;
        }
      }
      if (hit) continue;
    }
    ++i;
  }
  return renamed;
}

// ---------------------------------------------------------------------------------------------
// Small helpers.

std::string Lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

// " (did you mean X?)" when one candidate is close enough to be a typo of `word`.
template <typename Range>
std::string Suggest(std::string_view word, const Range& candidates) {
  if (word.size() > kMaxIdBytes) return "";
  std::string best;
  size_t best_d = std::max<size_t>(2, word.size() / 4) + 1;
  for (const auto& c : candidates) {
    const std::string_view cand(c);
    if (cand.size() > kMaxIdBytes) continue;
    const size_t d = EditDistance(word, cand);
    if (d < best_d) {
      best_d = d;
      best = std::string(cand);
    }
  }
  return best.empty() ? "" : " (did you mean " + best + "?)";
}

bool ValidId(std::string_view id) {
  if (id.empty() || id.size() > kMaxIdBytes) return false;
  const auto ok = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
           c == '.';
  };
  if (!ok(id[0]) || id[0] == '-' || id[0] == '.' || id[0] == '_') return false;
  return std::all_of(id.begin(), id.end(), ok);
}

std::optional<Severity> ParseRuleSeverity(std::string_view s) {
  const std::string l = Lower(std::string(s));
  if (l == "critical") return Severity::kCritical;
  if (l == "high") return Severity::kHigh;
  if (l == "medium") return Severity::kMedium;
  if (l == "low") return Severity::kLow;
  if (l == "unknown") return Severity::kUnknown;
  return std::nullopt;
}

// ---------------------------------------------------------------------------------------------
// The loader.

struct Located {
  std::string value;
  int line = 0;
};

struct ParsedAllow {
  AllowRule rule;
  int line = 0;
};

struct ParsedRule {
  Rule rule;
  int line = 0;
};

class Loader {
 public:
  explicit Loader(const std::string& origin) : origin_(origin) {}

  Config Load(std::string_view text) {
    const std::string owned(text);
    YAML::Node root;
    try {
      CheckSingleDocument(owned);
      root = LoadDocument(owned, origin_);
    } catch (const YAML::Exception& e) {
      Fail(e.mark.is_null() ? 0 : e.mark.line + 1, "not valid YAML: " + e.msg);
    } catch (const LimitError& e) {
      // The user's own configuration: a usage error, like every other fault in it.
      throw UsageError(e.what());
    }
    Config cfg = DefaultConfig();
    if (!root || root.IsNull()) return cfg;
    try {
      Parse(root);
    } catch (const YAML::Exception& e) {
      Fail(e.mark.is_null() ? 0 : e.mark.line + 1, e.msg);
    }
    return Resolve(std::move(cfg));
  }

 private:
  // Records where each document starts and nothing else.
  struct DocumentStarts : YAML::EventHandler {
    std::vector<YAML::Mark> starts;
    void OnDocumentStart(const YAML::Mark& m) override { starts.push_back(m); }
    void OnDocumentEnd() override {}
    void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
    void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
    void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
    void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
    void OnSequenceEnd() override {}
    void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
    void OnMapEnd() override {}
  };

  // A second document would be silently ignored by YAML::Load. YAML::LoadAll cannot be used to find
  // it: on some malformed input (a stray '%' directive line) yaml-cpp 0.7 reports documents forever
  // and LoadAll allocates until memory runs out. Asking the parser for at most two is bounded.
  void CheckSingleDocument(const std::string& text) {
    std::istringstream in(text);
    YAML::Parser parser(in);
    DocumentStarts h;
    if (!parser.HandleNextDocument(h)) return;
    if (parser.HandleNextDocument(h)) {
      const YAML::Mark m = h.starts.size() > 1 ? h.starts[1] : YAML::Mark::null_mark();
      Fail(m.is_null() ? 0 : m.line + 1, "the secret config must be a single YAML document");
    }
  }

  [[noreturn]] void Fail(int line, const std::string& what) const {
    throw UsageError(line > 0 ? origin_ + ":" + std::to_string(line) + ": " + what : origin_ + ": " + what);
  }
  [[noreturn]] void Fail(const YAML::Node& at, const std::string& what) const { Fail(LineOf(at), what); }

  static int LineOf(const YAML::Node& n) {
    if (!n.IsDefined()) return 0;
    const YAML::Mark m = n.Mark();
    return m.is_null() ? 0 : m.line + 1;
  }

  // Calls f(key, value, key_line) for each entry of a mapping; unknown and repeated keys are errors.
  template <typename F>
  void Fields(const YAML::Node& map, const std::string& what, std::initializer_list<std::string_view> known, F&& f) {
    std::set<std::string> seen;
    for (const auto& kv : map) {
      if (!kv.first.IsScalar()) Fail(kv.first, "keys of " + what + " must be strings");
      const std::string key = kv.first.Scalar();
      if (std::find(known.begin(), known.end(), key) == known.end()) {
        std::string list;
        for (auto k : known) list += (list.empty() ? "" : ", ") + std::string(k);
        Fail(kv.first, "unknown key \"" + key + "\" in " + what + Suggest(key, known) + " (expected " + list + ")");
      }
      if (!seen.insert(key).second) Fail(kv.first, "key \"" + key + "\" given twice in " + what);
      f(key, kv.second, LineOf(kv.first));
    }
  }

  std::string String(const YAML::Node& n, const std::string& key, int key_line) {
    if (!n.IsScalar()) Fail(At(n, key_line), key + " must be a string");
    return n.Scalar();
  }

  // A string or a list of strings (a single value may be written without brackets).
  std::vector<Located> Strings(const YAML::Node& n, const std::string& key, int key_line) {
    std::vector<Located> out;
    if (n.IsNull()) return out;
    if (n.IsScalar()) {
      out.push_back({n.Scalar(), At(n, key_line)});
      return out;
    }
    if (!n.IsSequence()) Fail(At(n, key_line), key + " must be a string or a list of strings");
    for (const auto& item : n) {
      if (!item.IsScalar()) Fail(At(item, key_line), key + " must be a list of strings");
      out.push_back({item.Scalar(), At(item, key_line)});
    }
    return out;
  }

  // The line of a value, or `fallback` (its key's line) when it has none of its own: an empty value's
  // mark points at whatever token follows it.
  static int At(const YAML::Node& n, int fallback) {
    if (n.IsNull()) return fallback;
    const int l = LineOf(n);
    return l > 0 ? l : fallback;
  }

  void CheckId(const std::string& id, int line, const std::string& what) {
    if (!ValidId(id)) {
      Fail(line, what + " id \"" + id.substr(0, kMaxIdBytes) +
                     "\" is not valid (letters, digits, '-', '_', '.', starting with a letter or digit, at most " +
                     std::to_string(kMaxIdBytes) + " bytes)");
    }
  }

  // A regex used by PCRE2 only (paths, allow values).
  void CheckPcre2Only(const std::string& re, int line, const std::string& what) {
    CheckSize(re, line, what);
    const Pcre2Facts f = CheckPcre2(re);
    if (!f.error.empty()) Fail(line, what + " does not compile: " + f.error);
  }

  void CheckSize(const std::string& re, int line, const std::string& what) {
    if (re.empty()) Fail(line, what + " is empty");
    if (re.size() > kMaxRegexBytes) {
      Fail(line, what + " is " + std::to_string(re.size()) + " bytes long (at most " + std::to_string(kMaxRegexBytes) +
                     ")");
    }
    if (re.find('\0') != std::string::npos) Fail(line, what + " contains a NUL byte (write \\x00 instead)");
  }

  // A path given as one regex or a list of them (Trivy 0.27 wrote a list): any of them may match.
  std::string PathRegex(const YAML::Node& n, const std::string& what, int key_line) {
    const std::vector<Located> parts = Strings(n, what, key_line);
    if (parts.empty()) Fail(At(n, key_line), what + " is empty");
    if (parts.size() == 1) {
      CheckPcre2Only(parts[0].value, parts[0].line, what);
      return parts[0].value;
    }
    std::string joined;
    for (const auto& p : parts) {
      CheckPcre2Only(p.value, p.line, what);
      joined += (joined.empty() ? "(?:" : "|(?:") + p.value + ")";
    }
    CheckPcre2Only(joined, At(n, key_line), what);
    return joined;
  }

  ParsedAllow ParseAllow(const YAML::Node& n, const std::string& where) {
    if (!n.IsMap()) Fail(n, "each entry of " + where + " must be a mapping (id, description, regex, path)");
    ParsedAllow a;
    a.line = LineOf(n);
    int regex_line = a.line;
    Fields(n, "an allow rule", {"id", "description", "regex", "path"},
           [&](const std::string& key, const YAML::Node& v, int line) {
             if (key == "id") {
               a.rule.id = String(v, key, line);
               CheckId(a.rule.id, At(v, line), "allow rule");
             } else if (key == "description") {
               a.rule.description = String(v, key, line);
             } else if (key == "regex") {
               a.rule.regex = String(v, key, line);
               regex_line = At(v, line);
               CheckPcre2Only(a.rule.regex, regex_line, "allow rule regex");
             } else if (key == "path") {
               a.rule.path = PathRegex(v, "allow rule path", line);
             }
           });
    if (a.rule.id.empty()) Fail(a.line, "an allow rule needs an id");
    // Neither: it would allow every match, i.e. turn the scanner off without saying so.
    if (a.rule.regex.empty() && a.rule.path.empty()) {
      Fail(a.line, "allow rule \"" + a.rule.id + "\" needs a regex, a path or both");
    }
    if (++allow_count_ > kMaxAllowRules) {
      Fail(a.line, "too many allow rules (at most " + std::to_string(kMaxAllowRules) + ")");
    }
    return a;
  }

  std::vector<ParsedAllow> ParseAllowList(const YAML::Node& n, const std::string& where, int key_line) {
    std::vector<ParsedAllow> out;
    if (n.IsNull()) return out;
    if (!n.IsSequence()) Fail(At(n, key_line), where + " must be a list");
    if (n.size() > kMaxAllowRules) {
      Fail(At(n, key_line), "too many allow rules (at most " + std::to_string(kMaxAllowRules) + ")");
    }
    std::map<std::string, int> ids;
    for (const auto& item : n) {
      ParsedAllow a = ParseAllow(item, where);
      const auto [it, fresh] = ids.emplace(a.rule.id, a.line);
      if (!fresh) {
        Fail(a.line, "duplicate allow rule id \"" + a.rule.id + "\" (first at line " + std::to_string(it->second) + ")");
      }
      out.push_back(std::move(a));
    }
    return out;
  }

  ParsedRule ParseRule(const YAML::Node& n) {
    if (!n.IsMap()) Fail(n, "each entry of rules must be a mapping (at least id and regex)");
    ParsedRule p;
    Rule& r = p.rule;
    p.line = LineOf(n);
    r.severity = Severity::kUnknown;  // as Trivy reports a rule without one
    int regex_line = p.line, max_len_line = p.line;
    std::string group_name;
    int group_line = 0;
    std::vector<Located> keywords;
    std::vector<ParsedAllow> allows;
    Fields(n, "a rule",
           {"id", "category", "title", "severity", "regex", "secret-group-name", "keywords", "path", "allow-rules",
            "max-length", "entropy", "multiline"},
           [&](const std::string& key, const YAML::Node& v, int line) {
             if (key == "id") {
               r.id = String(v, key, line);
               CheckId(r.id, At(v, line), "rule");
             } else if (key == "category") {
               r.category = String(v, key, line);
             } else if (key == "title") {
               r.title = String(v, key, line);
             } else if (key == "severity") {
               const std::string s = String(v, key, line);
               const auto sev = ParseRuleSeverity(s);
               if (!sev) {
                 Fail(At(v, line), "unknown severity \"" + s.substr(0, 64) +
                                       "\" (expected CRITICAL, HIGH, MEDIUM, LOW or UNKNOWN)");
               }
               r.severity = *sev;
             } else if (key == "regex") {
               r.regex = String(v, key, line);
               regex_line = At(v, line);
             } else if (key == "secret-group-name") {
               group_name = String(v, key, line);
               group_line = At(v, line);
             } else if (key == "keywords") {
               keywords = Strings(v, key, line);
               if (keywords.size() > kMaxKeywords) {
                 Fail(At(v, line), "too many keywords (at most " + std::to_string(kMaxKeywords) + ")");
               }
             } else if (key == "path") {
               r.path = PathRegex(v, "path", line);
             } else if (key == "allow-rules") {
               allows = ParseAllowList(v, "allow-rules", line);
             } else if (key == "max-length") {
               max_len_line = At(v, line);
               const std::string s = v.IsScalar() ? v.Scalar() : "";
               uint64_t x = 0;
               const auto res = std::from_chars(s.data(), s.data() + s.size(), x);
               if (!v.IsScalar() || s.empty() || res.ec != std::errc() || res.ptr != s.data() + s.size() || x < 1 ||
                   x > kMaxMatchLength) {
                 Fail(max_len_line, "max-length must be a whole number of bytes from 1 to " +
                                        std::to_string(kMaxMatchLength));
               }
               r.max_len = static_cast<size_t>(x);
             } else if (key == "entropy") {
               const std::string s = v.IsScalar() ? v.Scalar() : "";
               double x = -1;
               const auto res = std::from_chars(s.data(), s.data() + s.size(), x);
               if (!v.IsScalar() || s.empty() || res.ec != std::errc() || res.ptr != s.data() + s.size() ||
                   !std::isfinite(x) || x < 0 || x > 8) {
                 Fail(At(v, line), "entropy must be a number of bits per character from 0 to 8");
               }
               r.min_entropy = x;
             } else if (key == "multiline") {
               bool b = false;
               if (!v.IsScalar() || !YAML::convert<bool>::decode(v, b)) {
                 Fail(At(v, line), "multiline must be true or false");
               }
               r.multiline = b;
             }
           });
    if (r.id.empty()) Fail(p.line, "a rule needs an id");
    const std::string what = "rule \"" + r.id + "\": ";
    if (r.regex.empty()) Fail(regex_line, what + "a rule needs a regex");
    if (r.category.empty()) r.category = "Custom";
    if (r.title.empty()) r.title = r.id;

    CheckSize(r.regex, regex_line, what + "regex");
    if (!group_name.empty() && group_name != kSecretGroup) {
      // Trivy names the reported group; the engine always reports the group named "secret".
      const Pcre2Facts before = CheckPcre2(r.regex);
      if (!before.error.empty()) Fail(regex_line, what + "regex does not compile (PCRE2): " + before.error);
      if (before.secret_group > 0) {
        Fail(group_line, what + "secret-group-name is \"" + group_name +
                             "\" but the regex also has a group named \"secret\"; rename one of them");
      }
      if (RenameGroup(r.regex, group_name) != 1) {
        Fail(group_line, what + "secret-group-name \"" + group_name + "\" does not name exactly one group of the regex");
      }
      CheckSize(r.regex, regex_line, what + "regex");
    }
    const Pcre2Facts f = CheckPcre2(r.regex);
    if (!f.error.empty()) Fail(regex_line, what + "regex does not compile (PCRE2): " + f.error);
    if (group_name == kSecretGroup && f.secret_group < 0) {
      Fail(group_line, what + "secret-group-name \"secret\" does not name a group of the regex");
    }
    // A rule that can match nothing at all would report empty secrets at every position.
    if (f.min_length == 0) Fail(regex_line, what + "regex can match an empty string");
    const std::string hs = HyperscanError(r.regex, r.caseless);
    if (!hs.empty()) Fail(regex_line, what + "regex is not supported by Hyperscan (prefilter, streaming): " + hs);
    if (f.min_length > r.max_len) {
      Fail(regex_line, what + "regex needs at least " + std::to_string(f.min_length) + " bytes but max-length is " +
                           std::to_string(r.max_len));
    }

    for (const auto& k : keywords) {
      if (k.value.empty()) Fail(k.line, what + "empty keyword");
      // The keyword must occur inside the match, which is at most max-length bytes.
      if (k.value.size() > r.max_len) {
        Fail(k.line, what + "keyword is longer than max-length (" + std::to_string(r.max_len) + ")");
      }
      r.keywords.push_back(Lower(k.value));
    }

    // This rule's own allow rules: by value, by path, or both (both must then hold), as the global ones.
    for (const auto& a : allows) r.allow_rules.push_back(a.rule);
    return p;
  }

  void Parse(const YAML::Node& root) {
    if (!root.IsMap()) {
      Fail(root, "the secret config must be a YAML mapping (rules, allow-rules, disable-rules, "
                 "disable-allow-rules, enable-builtin-rules)");
    }
    Fields(root, "the secret config",
           {"rules", "allow-rules", "disable-rules", "disable-allow-rules", "enable-builtin-rules"},
           [&](const std::string& key, const YAML::Node& v, int line) {
             if (key == "rules") {
               if (v.IsNull()) return;
               if (!v.IsSequence()) Fail(At(v, line), "rules must be a list");
               // Checked before parsing: each rule costs two regex compilations.
               if (v.size() > kMaxRules) Fail(At(v, line), "too many rules (at most " + std::to_string(kMaxRules) + ")");
               for (const auto& item : v) rules_.push_back(ParseRule(item));
             } else if (key == "allow-rules") {
               allow_ = ParseAllowList(v, "allow-rules", line);
             } else if (key == "disable-rules") {
               disable_ = Strings(v, key, line);
             } else if (key == "disable-allow-rules") {
               disable_allow_ = Strings(v, key, line);
             } else if (key == "enable-builtin-rules") {
               enable_ = Strings(v, key, line);
               enable_given_ = !enable_.empty();  // an empty list is "not given", as in Trivy
             }
           });
  }

  Config Resolve(Config defaults) {
    std::set<std::string> builtin_ids, builtin_allow_ids, custom_ids;
    for (const auto& r : defaults.rules) builtin_ids.insert(r.id);
    for (const auto& a : defaults.allow_rules) builtin_allow_ids.insert(a.id);

    std::map<std::string, int> seen;
    for (const auto& p : rules_) {
      if (builtin_ids.count(p.rule.id) != 0) {
        Fail(p.line, "rule id \"" + p.rule.id + "\" is a built-in rule; choose another id");
      }
      const auto [it, fresh] = seen.emplace(p.rule.id, p.line);
      if (!fresh) Fail(p.line, "duplicate rule id \"" + p.rule.id + "\" (first at line " + std::to_string(it->second) + ")");
      custom_ids.insert(p.rule.id);
    }
    for (const auto& a : allow_) {
      if (builtin_allow_ids.count(a.rule.id) != 0) {
        Fail(a.line, "allow rule id \"" + a.rule.id + "\" is a built-in allow rule; choose another id");
      }
    }

    std::set<std::string> all_ids = builtin_ids;
    all_ids.insert(custom_ids.begin(), custom_ids.end());
    std::set<std::string> disabled, disabled_allow, enabled;
    for (const auto& d : disable_) {
      if (all_ids.count(d.value) == 0) {
        Fail(d.line, "disable-rules: unknown rule id \"" + d.value.substr(0, kMaxIdBytes) + "\"" + Suggest(d.value, all_ids));
      }
      disabled.insert(d.value);
    }
    for (const auto& d : disable_allow_) {
      if (builtin_allow_ids.count(d.value) == 0) {
        Fail(d.line, "disable-allow-rules: \"" + d.value.substr(0, kMaxIdBytes) + "\" is not a built-in allow rule" +
                         Suggest(d.value, builtin_allow_ids));
      }
      disabled_allow.insert(d.value);
    }
    for (const auto& e : enable_) {
      if (builtin_ids.count(e.value) == 0) {
        const std::string why = custom_ids.count(e.value) != 0 ? " (custom rules are always enabled)" : Suggest(e.value, builtin_ids);
        Fail(e.line, "enable-builtin-rules: \"" + e.value.substr(0, kMaxIdBytes) + "\" is not a built-in rule" + why);
      }
      enabled.insert(e.value);
    }

    Config out;
    for (auto& r : defaults.rules) {
      if (enable_given_ && enabled.count(r.id) == 0) continue;
      if (disabled.count(r.id) != 0) continue;
      out.rules.push_back(std::move(r));
    }
    for (auto& p : rules_) {
      if (disabled.count(p.rule.id) == 0) out.rules.push_back(std::move(p.rule));
    }
    for (auto& a : defaults.allow_rules) {
      if (disabled_allow.count(a.id) == 0) out.allow_rules.push_back(std::move(a));
    }
    for (auto& a : allow_) out.allow_rules.push_back(std::move(a.rule));
    return out;
  }

  const std::string& origin_;
  size_t allow_count_ = 0;
  std::vector<ParsedRule> rules_;
  std::vector<ParsedAllow> allow_;
  std::vector<Located> disable_, disable_allow_, enable_;
  bool enable_given_ = false;
};

}  // namespace

Config DefaultConfig() {
  Config cfg;
  cfg.rules = BuiltinRules();
  cfg.allow_rules = BuiltinAllowRules();
  return cfg;
}

Config LoadConfig(std::string_view yaml_text, const std::string& origin) {
  return Loader(origin).Load(yaml_text);
}

Config LoadConfigFile(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw IoError(path, "is a directory");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError(path, std::string("cannot open: ") + std::strerror(errno));
  std::string text;
  char buf[65536];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    text.append(buf, static_cast<size_t>(in.gcount()));
    if (text.size() > kMaxFileBytes) {
      throw UsageError(path + ": larger than " + std::to_string(kMaxFileBytes >> 20) + " MiB; not a secret config");
    }
  }
  if (in.bad()) throw IoError(path, "read error");
  return LoadConfig(text, path);
}

}  // namespace customs::secrets
