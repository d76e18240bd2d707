// Secret rules: what a credential of one kind looks like. The built-in table is rules_builtin.cpp;
// users add their own and allow-list matches through the secret config (config.h).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "cvss/severity.h"

namespace customs::secrets {

using cvss::Severity;

// Checks a candidate secret further than its pattern can (a checksum the provider embeds, a
// structure that must decode). Returns false when the candidate is not a real credential.
using Validator = bool (*)(std::string_view secret);

// A match that is not a secret: by secret/match value, by path, or both (both must then hold).
struct AllowRule {
  std::string id;
  std::string description;
  std::string regex;  // PCRE2, searched in the secret value; empty: any
  std::string path;   // PCRE2, searched in the file path; empty: any
};

struct Rule {
  std::string id;        // stable, kebab-case: "aws-access-key-id"
  std::string category;  // provider or family: "AWS", "GitHub", "PrivateKey", "Database", "Generic"
  std::string title;     // one line for reports: "AWS Access Key ID"
  Severity severity = Severity::kHigh;
  // PCRE2 syntax, also compiled (as a prefilter) by Hyperscan, so no backreferences. A named group
  // "secret" marks the value reported and masked; without it the whole match is the secret. A match is
  // looked for at most `max_len` bytes before where the prefilter fired, so none may be longer (the
  // regex itself may use unbounded repeats such as {30,}, which Hyperscan compiles quickly).
  std::string regex;
  // What Hyperscan scans for instead of `regex` (empty: `regex` itself as a prefilter). It must match
  // ending exactly where every real match ends (e.g. the END line of a PEM block): large bounded
  // repeats ({64,12000}) make Hyperscan's compilation slow, and the trigger avoids them.
  std::string prefilter;
  bool caseless = false;              // compile with (?i)
  std::vector<std::string> keywords;  // lowercase; one must occur in the match (case-insensitive); empty: none needed
  std::string path;                   // PCRE2 regex the file path must match (search, not anchored); empty: any path
  size_t max_len = 256;               // longest possible match, bytes
  double min_entropy = 0;             // Shannon entropy of the secret, bits per character, at least
  Validator validate = nullptr;       // optional structural/checksum check of the secret
  bool text_only = false;             // skipped in files that look binary (NUL in the first block)
  bool multiline = false;             // the match may span lines (PEM blocks): '.' is not enough, use [\s\S]
  std::vector<std::string> allow;     // PCRE2 regexes: a secret matching any of them is not reported (documented examples)
  std::vector<AllowRule> allow_rules; // this rule's own allow rules (the config's per-rule `allow-rules`)
};


// The built-in rules, in a stable order (ids unique).
const std::vector<Rule>& BuiltinRules();

// The built-in allow rules: placeholders and documented example values, test and vendor paths that
// are noise in every scan.
const std::vector<AllowRule>& BuiltinAllowRules();

// Shannon entropy of `s` in bits per character (0 for an empty string).
double ShannonEntropy(std::string_view s);

// "AKIA****************": the first 4 characters of values of at least 16, the rest (and shorter
// values entirely) replaced by '*', length kept.
std::string Mask(std::string_view secret);

}  // namespace customs::secrets
