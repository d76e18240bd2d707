// The secret scanner's configuration file (YAML), in the spirit of Trivy's secret config:
//
//   rules:                      # custom rules, added to the built-in ones
//     - id: acme-api-key
//       category: Acme
//       title: Acme API key
//       severity: HIGH
//       regex: 'acme_(?P<secret>[a-z0-9]{32})'
//       keywords: [acme_]
//       path: '\.env$'          # optional
//       allow-rules: [...]      # optional, same shape as below, for this rule only
//   allow-rules:                # matches that are not secrets
//     - id: tests
//       description: test fixtures
//       path: '(^|/)testdata/'
//     - id: placeholder
//       regex: 'XXXXXXXX'
//   disable-rules: [generic-secret-assignment] # built-in or custom rule ids to drop
//   disable-allow-rules: [builtin-tests-path] # built-in allow rule ids to drop
//   enable-builtin-rules: [aws-access-key-id] # when given: only these built-in rules (custom rules stay)
//
// Every mistake is reported with the file and line (UsageError-style message, exit code 2).
#pragma once

#include <string>
#include <vector>

#include "secrets/rule.h"

namespace customs::secrets {

struct Config {
  std::vector<Rule> rules;  // the effective rule set: built-ins (filtered) then custom rules
  std::vector<AllowRule> allow_rules;  // effective global allow rules: built-ins (filtered) then the file's
};

// The effective configuration with no file: every built-in rule and allow rule.
Config DefaultConfig();

// Parses the YAML text (`origin` names it in messages) on top of the defaults. Every regex is
// checked (compiles with PCRE2 and with Hyperscan as a prefilter); unknown keys, unknown rule ids in
// disable lists, duplicate ids and bad severities are errors. Throws customs::Error (kExitUsage)
// whose message reads "<origin>:<line>: <what is wrong>".
Config LoadConfig(std::string_view yaml_text, const std::string& origin);

// Reads and parses the file (IoError when unreadable).
Config LoadConfigFile(const std::string& path);

}  // namespace customs::secrets
