// The built-in secret rules and allow rules.
//
// Each pattern follows the provider's documented token format (prefix, alphabet, length, and where
// the provider embeds one, a checksum checked by a validator). Where a value has no recognisable
// shape of its own (AWS secret keys, Twilio auth tokens, legacy Heroku keys...), the rule requires
// the name it is assigned to. Patterns are PCRE2 that Hyperscan also accepts as prefilters: no
// backreferences; lookarounds only at the edges (the prefilter drops them, PCRE2 then decides).
//
// Hyperscan compiles a large bounded repeat ({30,2000}) slowly (seconds for a PEM body), so runs
// that may be long are written unbounded ({30,}): the engine confirms a match within `max_len`
// bytes before the place Hyperscan reports, which bounds it all the same. PEM-like blocks keep
// their bounds and give Hyperscan their END line instead (`prefilter`).
#include <string>
#include <vector>

#include "secrets/rule.h"
#include "secrets/validators.h"

namespace customs::secrets {
namespace {

// A token starts where no letter or digit precedes it...
const std::string kStart = "(?<![A-Za-z0-9])";
// ...and ends where no character of its alphabet follows.
const std::string kEndAlnum = "(?![A-Za-z0-9])";
const std::string kEndWord = "(?![A-Za-z0-9_-])";
const std::string kEndB64 = "(?![A-Za-z0-9+/=])";

// `name = value` in the usual notations: shell/.env (NAME=v), YAML/JSON (name: "v"), code
// (name = 'v', name := "v", :name => "v"), with optional quotes around name and value.
std::string Assign(const std::string& name) {
  return "(?i:" + name + ")[\"'`]?[ \\t]{0,4}(?:=>|:=|\\?=|[:=])[ \\t]{0,4}[\"'`]?";
}

Rule Token(std::string id, std::string category, std::string title, Severity severity, const std::string& body,
           std::vector<std::string> keywords, size_t max_len, const std::string& end = kEndAlnum) {
  Rule r;
  r.id = std::move(id);
  r.category = std::move(category);
  r.title = std::move(title);
  r.severity = severity;
  r.regex = kStart + "(?P<secret>" + body + ")" + end;
  r.keywords = std::move(keywords);
  r.max_len = max_len;
  return r;
}

Rule Custom(std::string id, std::string category, std::string title, Severity severity, std::string regex,
            std::vector<std::string> keywords, size_t max_len) {
  Rule r;
  r.id = std::move(id);
  r.category = std::move(category);
  r.title = std::move(title);
  r.severity = severity;
  r.regex = std::move(regex);
  r.keywords = std::move(keywords);
  r.max_len = max_len;
  return r;
}

// A PEM-style block with a body of at least 40 base64 characters (headers such as
// "Proc-Type: 4,ENCRYPTED" before it), checked further by ValidPemPrivateKey. Hyperscan looks only
// for the END line, where every match ends: the bounded repeats here would take it seconds to compile.
// RFC 1421/4880/4716 headers ("Proc-Type: 4,ENCRYPTED", "Comment: ..."), possibly indented.
const std::string kPemHeaders = "(?:[ \\t]{0,40}[A-Za-z][A-Za-z0-9-]{0,39}:[^\\r\\n]{0,256}\\r?\\n){0,8}";

Rule Pem(std::string id, std::string title, const std::string& label, size_t max_body,
         Severity severity = Severity::kHigh) {
  Rule r;
  r.id = std::move(id);
  r.category = "PrivateKey";
  r.title = std::move(title);
  r.severity = severity;
  r.regex = "-----BEGIN " + label + "-----[ \\t]{0,8}\\r?\\n" + kPemHeaders + "[A-Za-z0-9+/=\\s]{40," +
            std::to_string(max_body) + "}-----END " + label + "-----";
  r.prefilter = "-----END " + label + "-----";
  r.keywords = {"-----begin " + [&] {
    std::string l;
    for (char c : label) l.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
    return l;
  }()};
  r.max_len = max_body + 3000;
  r.validate = ValidPemPrivateKey;
  r.multiline = true;
  return r;
}

Rule Named(std::string id, std::string category, std::string title, Severity severity, const std::string& name,
           const std::string& value, std::vector<std::string> keywords, size_t max_len, double min_entropy,
           const std::string& end) {
  Rule r = Custom(std::move(id), std::move(category), std::move(title), severity,
                  kStart + Assign(name) + "(?P<secret>" + value + ")" + end, std::move(keywords), max_len);
  r.min_entropy = min_entropy;
  return r;
}

// A URL with a password: scheme://user:password@host. The secret is the password.
Rule UrlPassword(std::string id, std::string category, std::string title, Severity severity, const std::string& scheme,
                 std::vector<std::string> keywords) {
  const std::string user = "[^\\s:/?#@\"'<>\\\\]{0,128}";
  const std::string pass = "[^\\s:/?#@\"'<>\\\\]{1,128}";
  Rule r = Custom(
      std::move(id), std::move(category), std::move(title), severity,
      "(?<![A-Za-z0-9.-])(?i:" + scheme + ")://" + user + ":(?![0-9]{1,5}[@/])(?P<secret>" + pass + ")@[A-Za-z0-9\\[]",
      std::move(keywords), 300);
  return r;
}

std::vector<Rule> MakeRules() {
  using S = Severity;
  std::vector<Rule> v;
  auto add = [&](Rule r) -> Rule& {
    v.push_back(std::move(r));
    return v.back();
  };

  // --- AWS -----------------------------------------------------------------------------------
  // Key ids: a 4-letter kind (AKIA long-term, ASIA temporary STS, ABIA/ACCA service-specific) and
  // 16 upper-case base32 characters. Entropy thresholds here and below sit well under what random
  // values of the format reach (for 20 base32 characters, under 2.7 bits once in 10^5): they drop
  // runs like AKIAAAAAAAAAAAAAAAAA, not unlucky real keys.
  add(Token("aws-access-key-id", "AWS", "AWS Access Key ID", S::kCritical, "(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}",
            {"akia", "asia", "abia", "acca"}, 20))
      .min_entropy = 2.5;
  // Secret access keys are 40 base64 characters with no shape of their own: the name is required.
  add(Named("aws-secret-access-key", "AWS", "AWS Secret Access Key", S::kCritical,
            "aws_?secret_?(?:access_?)?key|secret_?access_?key", "[A-Za-z0-9/+]{40}", {"secret"}, 120, 4.0, kEndB64));
  // STS session tokens are base64 of a protobuf-like blob whose first bytes are fixed:
  // "IQoJb3JpZ2luX2Vj" (current), "FwoGZXIvYXdz"/"FQoGZXIvYXdz" (older), "AQoDYXdz" (oldest).
  add(Token("aws-session-token", "AWS", "AWS Session Token", S::kHigh,
            "(?:IQoJb3JpZ2luX2Vj|FwoGZXIvYXdz|FQoGZXIvYXdz|AQoDYXdz)[A-Za-z0-9/+]{80,}={0,2}",
            {"iqojb3jpz2lux2vj", "fwogzxivyxdz", "fqogzxivyxdz", "aqodyxdz"}, 2100, kEndB64));
  add(Token("aws-mws-auth-token", "AWS", "Amazon MWS Auth Token", S::kHigh,
            "amzn\\.mws\\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", {"amzn.mws."}, 45));

  // --- GitHub --------------------------------------------------------------------------------
  // gh<kind>_ + 30 base62 + 6 base62 CRC32 checksum.
  struct GhKind {
    const char* id;
    const char* prefix;
    const char* title;
  };
  for (const GhKind& k : {GhKind{"github-pat", "ghp_", "GitHub Personal Access Token (classic)"},
                          GhKind{"github-oauth-token", "gho_", "GitHub OAuth Access Token"},
                          GhKind{"github-app-user-token", "ghu_", "GitHub App User-to-Server Token"},
                          GhKind{"github-app-installation-token", "ghs_", "GitHub App Server-to-Server Token"}}) {
    add(Token(k.id, "GitHub", k.title, S::kCritical, std::string(k.prefix) + "[A-Za-z0-9]{36}", {k.prefix}, 40,
              kEndWord))
        .validate = ValidGitHubToken;
  }
  add(Token("github-refresh-token", "GitHub", "GitHub Refresh Token", S::kHigh, "ghr_[A-Za-z0-9]{36,76}", {"ghr_"}, 80,
            kEndWord))
      .validate = ValidGitHubRefreshToken;
  add(Token("github-fine-grained-pat", "GitHub", "GitHub Fine-Grained Personal Access Token", S::kCritical,
            "github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}", {"github_pat_"}, 93, kEndWord))
      .min_entropy = 4.0;

  // --- GitLab --------------------------------------------------------------------------------
  // Token prefixes from GitLab's token overview. Bodies are 20+ url-safe characters; newer
  // "routable" tokens append ".<version>.<crc>" segments.
  const std::string gl_body = "[A-Za-z0-9_-]{20,64}(?:\\.[0-9a-z]{2}\\.[0-9a-z]{7,9})?";
  struct GlKind {
    const char* id;
    const char* prefix;
    const char* title;
    S severity;
  };
  for (const GlKind& k :
       {GlKind{"gitlab-pat", "glpat-", "GitLab Personal/Project/Group Access Token", S::kCritical},
        GlKind{"gitlab-deploy-token", "gldt-", "GitLab Deploy Token", S::kHigh},
        GlKind{"gitlab-runner-auth-token", "glrt-", "GitLab Runner Authentication Token", S::kHigh},
        GlKind{"gitlab-ci-job-token", "glcbt-", "GitLab CI/CD Job Token", S::kMedium},
        GlKind{"gitlab-pipeline-trigger-token", "glptt-", "GitLab Pipeline Trigger Token", S::kHigh},
        GlKind{"gitlab-feed-token", "glft-", "GitLab Feed Token", S::kMedium},
        GlKind{"gitlab-incoming-mail-token", "glimt-", "GitLab Incoming Mail Token", S::kMedium},
        GlKind{"gitlab-oauth-app-secret", "gloas-", "GitLab OAuth Application Secret", S::kHigh},
        GlKind{"gitlab-agent-token", "glagent-", "GitLab Agent for Kubernetes Token", S::kHigh},
        GlKind{"gitlab-scim-token", "glsoat-", "GitLab SCIM OAuth Token", S::kHigh},
        GlKind{"gitlab-feature-flags-token", "glffct-", "GitLab Feature Flags Client Token", S::kMedium}}) {
    std::string kw = k.prefix;
    add(Token(k.id, "GitLab", k.title, k.severity, std::string(k.prefix) + gl_body, {kw}, 90, kEndWord)).min_entropy =
        3.0;
  }
  add(Token("gitlab-runner-registration-token", "GitLab", "GitLab Runner Registration Token", S::kHigh,
            "GR1348941[A-Za-z0-9_-]{20}", {"gr1348941"}, 29, kEndWord))
      .min_entropy = 3.0;

  // --- Slack ---------------------------------------------------------------------------------
  add(Token("slack-bot-token", "Slack", "Slack Bot Token", S::kHigh,
            "xoxb-[0-9]{8,14}-[0-9]{8,14}(?:-[0-9]{8,14})?-[A-Za-z0-9]{24,32}", {"xoxb-"}, 90, kEndWord));
  add(Token("slack-user-token", "Slack", "Slack User Token", S::kHigh,
            "xoxp-[0-9]{8,14}-[0-9]{8,14}-[0-9]{8,14}-[a-f0-9]{32}", {"xoxp-"}, 90, kEndWord));
  add(Token("slack-app-token", "Slack", "Slack App-Level Token", S::kHigh,
            "xapp-[0-9]-[A-Z0-9]{9,12}-[0-9]{10,14}-[a-f0-9]{64}", {"xapp-"}, 100, kEndWord));
  add(Token("slack-config-access-token", "Slack", "Slack Configuration Access Token", S::kHigh,
            "xoxe\\.xox[bp]-[0-9]-[A-Za-z0-9]{100,}", {"xoxe.xox"}, 215, kEndWord));
  add(Token("slack-config-refresh-token", "Slack", "Slack Configuration Refresh Token", S::kHigh,
            "xoxe-[0-9]-[A-Za-z0-9]{100,}", {"xoxe-"}, 210, kEndWord));
  add(Token("slack-legacy-token", "Slack", "Slack Legacy Token (workspace, session or refresh)", S::kHigh,
            "xox[aors]-[0-9]{1,14}-[0-9A-Za-z-]{20,}", {"xoxa-", "xoxo-", "xoxr-", "xoxs-"}, 175, kEndWord))
      .min_entropy = 3.5;
  add(Custom("slack-webhook-url", "Slack", "Slack Incoming Webhook URL", S::kHigh,
             "(?P<secret>https?://hooks\\.slack\\.com/(?:services|workflows|triggers)/T[A-Z0-9]{8,12}/"
             "[A-Z0-9]{8,12}/(?:[0-9]{6,20}/)?[A-Za-z0-9]{24,40})" +
                 kEndAlnum,
             {"hooks.slack.com"}, 150));

  // --- Stripe --------------------------------------------------------------------------------
  struct StripeKind {
    const char* id;
    const char* prefix;
    const char* title;
    S severity;
  };
  for (const StripeKind& k :
       {StripeKind{"stripe-secret-key", "sk_live_", "Stripe Live Secret Key", S::kCritical},
        StripeKind{"stripe-restricted-key", "rk_live_", "Stripe Live Restricted Key", S::kHigh},
        StripeKind{"stripe-test-secret-key", "sk_test_", "Stripe Test Secret Key", S::kLow},
        StripeKind{"stripe-test-restricted-key", "rk_test_", "Stripe Test Restricted Key", S::kLow}}) {
    add(Token(k.id, "Stripe", k.title, k.severity, std::string(k.prefix) + "[A-Za-z0-9]{24,}", {k.prefix}, 255,
              kEndWord))
        .min_entropy = 3.5;
  }
  add(Token("stripe-webhook-secret", "Stripe", "Stripe Webhook Signing Secret", S::kMedium,
            "whsec_[A-Za-z0-9+/]{32,88}={0,2}", {"whsec_"}, 100, kEndB64))
      .min_entropy = 3.5;

  // --- Twilio, SendGrid, Mailgun, Mailchimp -------------------------------------------------
  add(Token("twilio-api-key", "Twilio", "Twilio API Key SID", S::kHigh, "SK[0-9a-fA-F]{32}", {"sk"}, 34)).min_entropy =
      2.5;
  add(Named("twilio-auth-token", "Twilio", "Twilio Auth Token", S::kHigh, "twilio[A-Za-z0-9_.-]{0,20}token",
            "[0-9a-f]{32}", {"twilio"}, 90, 2.5, kEndAlnum));
  add(Token("sendgrid-api-key", "SendGrid", "SendGrid API Key", S::kHigh, "SG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}",
            {"sg."}, 69, kEndWord))
      .min_entropy = 4.0;
  add(Token("mailgun-api-key", "Mailgun", "Mailgun Private API Key (legacy)", S::kHigh, "key-[0-9a-f]{32}", {"key-"},
            36))
      .min_entropy = 3.0;
  add(Token("mailgun-private-api-key", "Mailgun", "Mailgun Private API Key", S::kHigh,
            "[0-9a-f]{32}-[0-9a-f]{8}-[0-9a-f]{8}", {}, 50, "(?![A-Za-z0-9-])"))
      .min_entropy = 3.0;
  add(Token("mailchimp-api-key", "Mailchimp", "Mailchimp API Key", S::kHigh, "[0-9a-f]{32}-us[0-9]{1,2}", {"-us"}, 37))
      .min_entropy = 3.0;

  // --- Google --------------------------------------------------------------------------------
  add(Token("gcp-api-key", "Google", "Google API Key", S::kHigh, "AIza[0-9A-Za-z_-]{35}", {"aiza"}, 39, kEndWord))
      .min_entropy = 3.5;
  add(Token("gcp-oauth-client-secret", "Google", "Google OAuth Client Secret", S::kHigh, "GOCSPX-[A-Za-z0-9_-]{28}",
            {"gocspx-"}, 35, kEndWord));
  add(Token("gcp-oauth-access-token", "Google", "Google OAuth Access Token", S::kMedium, "ya29\\.[0-9A-Za-z_-]{30,}",
            {"ya29."}, 2005, kEndWord))
      .min_entropy = 4.0;
  {
    Rule& r = add(Token("gcp-oauth-refresh-token", "Google", "Google OAuth Refresh Token", S::kHigh,
                        "1//0[0-9A-Za-z_-]{40,}", {"1//0"}, 204, kEndWord));
    r.regex = "(?<![A-Za-z0-9/:])" + r.regex.substr(kStart.size());
    r.min_entropy = 4.0;
  }
  {
    // The "private_key" of a service-account JSON key file: a PKCS#8 PEM block as a JSON string.
    Rule& r = add(Custom("gcp-service-account-key", "Google", "Google Cloud Service Account Private Key", S::kCritical,
                         "\"private_key\"[ \\t]{0,4}:[ \\t]{0,4}\"(?P<secret>-----BEGIN (?:RSA )?PRIVATE KEY-----"
                         "(?:\\\\r)?\\\\n[A-Za-z0-9+/=\\\\]{40,10000}-----END (?:RSA )?PRIVATE KEY-----(?:\\\\r)?"
                         "(?:\\\\n)?)\"",
                         {"\"private_key\""}, 10200));
    r.prefilter = "-----END (?:RSA )?PRIVATE KEY-----(?:\\\\r)?(?:\\\\n)?\"";
    r.validate = ValidJsonEscapedPemPrivateKey;
  }

  // --- Azure ---------------------------------------------------------------------------------
  // Storage/Cosmos account keys: 64 bytes in base64 (86 characters + "==").
  add(Custom("azure-storage-account-key", "Azure", "Azure Storage/Cosmos DB Account Key", S::kCritical,
             "(?i:AccountKey)[ \\t]{0,4}=[ \\t]{0,4}(?P<secret>[A-Za-z0-9+/]{86}==)" + kEndB64, {"accountkey"}, 110));
  // Service Bus, Event Hubs, IoT Hub, Relay: 32-byte keys (43 characters + "=").
  add(Custom("azure-shared-access-key", "Azure", "Azure Shared Access Key (connection string)", S::kHigh,
             "(?i:SharedAccessKey)[ \\t]{0,4}=[ \\t]{0,4}(?P<secret>[A-Za-z0-9+/]{43}=)" + kEndB64, {"sharedaccesskey"},
             70));
  // Shared access signatures: the "sig" of a URL that also carries the signed version "sv".
  add(Custom(
          "azure-sas-token", "Azure", "Azure Shared Access Signature", S::kHigh,
          "[?&]sv=20[0-9]{2}-[0-9]{2}-[0-9]{2}(?:&[A-Za-z0-9=%:._,+/-]{1,100}){0,12}&sig=(?P<secret>[A-Za-z0-9%+/]{40,"
          "120})",
          {"sig="}, 560))
      .min_entropy = 4.0;
  // Entra ID (Azure AD) client secrets: 3 characters, a digit, "Q~", then 31-34 characters.
  add(Custom("azure-ad-client-secret", "Azure", "Azure AD (Entra ID) Client Secret", S::kHigh,
             "(?<![A-Za-z0-9_~.-])(?P<secret>[A-Za-z0-9_~.-]{3}[0-9]Q~[A-Za-z0-9_~.-]{31,34})(?![A-Za-z0-9_~.-])",
             {"q~"}, 40))
      .min_entropy = 3.5;
  add(Named("azure-devops-pat", "Azure", "Azure DevOps Personal Access Token", S::kHigh,
            "(?:azure|ado|devops|vsts)[A-Za-z0-9_.-]{0,20}(?:pat|token)", "[a-z2-7]{52}",
            {"azure", "ado", "devops", "vsts"}, 110, 3.5, kEndAlnum));

  // --- Private keys ----------------------------------------------------------------------------
  add(Pem("private-key-rsa", "RSA Private Key", "RSA PRIVATE KEY", 10000));
  add(Pem("private-key-ec", "EC Private Key", "EC PRIVATE KEY", 2000));
  add(Pem("private-key-dsa", "DSA Private Key", "DSA PRIVATE KEY", 4000));
  add(Pem("private-key-openssh", "OpenSSH Private Key", "OPENSSH PRIVATE KEY", 10000));
  add(Pem("private-key-pkcs8", "PKCS#8 Private Key", "PRIVATE KEY", 10000));
  add(Pem("private-key-pkcs8-encrypted", "Encrypted PKCS#8 Private Key", "ENCRYPTED PRIVATE KEY", 10000,
          Severity::kMedium));
  add(Pem("private-key-pgp", "PGP Private Key Block", "PGP PRIVATE KEY BLOCK", 30000));
  {
    Rule& r = add(Custom("private-key-ssh2-encrypted", "PrivateKey", "SSH2 (ssh.com) Encrypted Private Key", S::kMedium,
                         "---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----[ \\t]{0,8}\\r?\\n"
                         "(?:[A-Za-z][A-Za-z0-9-]{0,63}:[^\\r\\n]{0,1024}\\r?\\n){0,8}"
                         "[A-Za-z0-9+/=\\s]{40,10000}---- END SSH2 ENCRYPTED PRIVATE KEY ----",
                         {"---- begin ssh2 encrypted private key"}, 19000));
    r.prefilter = "---- END SSH2 ENCRYPTED PRIVATE KEY ----";
    r.validate = ValidPemPrivateKey;
    r.multiline = true;
  }
  {
    Rule& r =
        add(Custom("private-key-putty", "PrivateKey", "PuTTY Private Key", S::kHigh,
                   "PuTTY-User-Key-File-[23]:[^\\r\\n]{1,64}\\r?\\n[\\s\\S]{0,4000}?Private-Lines:[ \\t]{0,4}"
                   "[0-9]{1,3}\\r?\\n[A-Za-z0-9+/=\\r\\n]{40,10000}Private-(?:MAC|Hash):[ \\t]{0,4}[0-9a-f]{40,64}",
                   {"putty-user-key-file-"}, 14200));
    r.prefilter = "Private-(?:MAC|Hash):[ \\t]{0,4}[0-9a-f]{40,64}";
    r.multiline = true;
  }

  // --- Tokens of general formats -------------------------------------------------------------
  add(Token("jwt", "JWT", "JSON Web Token", S::kMedium,
            "eyJ[A-Za-z0-9_-]{8,}\\.e[wy][A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{16,}", {"eyj"}, 6010, kEndWord))
      .validate = ValidJwt;

  // --- Package registries ----------------------------------------------------------------------
  add(Token("npm-access-token", "npm", "npm Access Token", S::kCritical, "npm_[A-Za-z0-9]{36}", {"npm_"}, 40, kEndWord))
      .validate = ValidNpmToken;
  add(Custom("npmrc-auth-token", "npm", "npm Registry Auth Token (.npmrc _authToken)", S::kHigh,
             "(?<![A-Za-z0-9])_authToken[ \\t]{0,4}=[ \\t]{0,4}[\"']?(?P<secret>(?!npm_)[A-Za-z0-9._~+/=-]{16,})"
             "(?![A-Za-z0-9._~+/=-])",
             {"_authtoken"}, 2080))
      .min_entropy = 2.5;
  add(Custom("npmrc-basic-auth", "npm", "npm Registry Basic Auth (.npmrc _auth)", S::kHigh,
             "(?<![A-Za-z0-9_])_auth[ \\t]{0,4}=[ \\t]{0,4}[\"']?(?P<secret>[A-Za-z0-9+/]{4,}={0,2})" + kEndB64,
             {"_auth"}, 1050))
      .validate = ValidBasicAuthBase64;
  add(Token("pypi-upload-token", "PyPI", "PyPI API Token", S::kCritical,
            "pypi-(?:AgEIcHlwaS5vcmc|AgENdGVzdC5weXBpLm9yZw)[A-Za-z0-9_-]{50,}", {"pypi-age"}, 2030, kEndWord))
      .validate = ValidPypiToken;
  add(Token("rubygems-api-key", "RubyGems", "RubyGems API Key", S::kCritical, "rubygems_[0-9a-f]{48}", {"rubygems_"},
            57, kEndWord))
      .min_entropy = 3.0;
  add(Token("nuget-api-key", "NuGet", "NuGet API Key", S::kHigh, "oy2[a-z0-9]{43}", {"oy2"}, 46)).min_entropy = 3.5;
  add(Token("dockerhub-pat", "Docker", "Docker Hub Access Token", S::kHigh, "dckr_(?:pat|oat)_[A-Za-z0-9_-]{27,86}",
            {"dckr_pat_", "dckr_oat_"}, 95, kEndWord))
      .min_entropy = 3.5;
  // ~/.docker/config.json "auths": {"registry": {"auth": base64("user:password")}}.
  add(Custom("docker-config-auth", "Docker", "Docker Registry Credentials (config.json auth)", S::kHigh,
             "\"auth\"[ \\t]{0,4}:[ \\t]{0,4}\"(?P<secret>[A-Za-z0-9+/]{4,}={0,2})\"", {"\"auth\""}, 1050))
      .validate = ValidBasicAuthBase64;
  add(Custom("docker-config-identity-token", "Docker", "Docker Registry Identity Token (config.json)", S::kHigh,
             "\"identitytoken\"[ \\t]{0,4}:[ \\t]{0,4}\"(?P<secret>[A-Za-z0-9._~+/=-]{16,})\"", {"identitytoken"},
             4130))
      .min_entropy = 3.0;

  // --- HashiCorp ------------------------------------------------------------------------------
  add(Token("vault-service-token", "HashiCorp", "HashiCorp Vault Service Token", S::kCritical,
            "hvs\\.[A-Za-z0-9_-]{24,}", {"hvs."}, 204, kEndWord))
      .min_entropy = 3.5;
  add(Token("vault-batch-token", "HashiCorp", "HashiCorp Vault Batch Token", S::kHigh, "hvb\\.[A-Za-z0-9_-]{100,}",
            {"hvb."}, 404, kEndWord))
      .min_entropy = 3.5;
  // Tokens before Vault 1.10: "s." + 24 characters; too short a shape to go without the name.
  add(Named("vault-legacy-token", "HashiCorp", "HashiCorp Vault Token (legacy format)", S::kHigh,
            "vault[A-Za-z0-9_.-]{0,20}token", "s\\.[A-Za-z0-9]{24}", {"vault"}, 80, 3.5, kEndAlnum));
  add(Token("terraform-cloud-token", "HashiCorp", "Terraform Cloud/Enterprise API Token", S::kCritical,
            "[A-Za-z0-9]{14}\\.atlasv1\\.[A-Za-z0-9_=-]{60,70}", {".atlasv1."}, 93, kEndWord))
      .min_entropy = 4.0;

  // --- Commerce and SaaS ------------------------------------------------------------------------
  struct ShopifyKind {
    const char* id;
    const char* prefix;
    const char* title;
  };
  for (const ShopifyKind& k : {ShopifyKind{"shopify-access-token", "shpat_", "Shopify Admin API Access Token"},
                               ShopifyKind{"shopify-custom-app-token", "shpca_", "Shopify Custom App Access Token"},
                               ShopifyKind{"shopify-private-app-token", "shppa_", "Shopify Private App Access Token"},
                               ShopifyKind{"shopify-shared-secret", "shpss_", "Shopify Shared Secret"}}) {
    add(Token(k.id, "Shopify", k.title, S::kHigh, std::string(k.prefix) + "[a-fA-F0-9]{32}", {k.prefix}, 38, kEndWord))
        .min_entropy = 3.0;
  }
  add(Token("atlassian-api-token", "Atlassian", "Atlassian API Token", S::kHigh, "ATATT3[A-Za-z0-9_=-]{100,}",
            {"atatt3"}, 306, kEndWord))
      .min_entropy = 4.0;
  add(Named("atlassian-legacy-api-token", "Atlassian", "Atlassian/Jira/Confluence API Token (legacy)", S::kHigh,
            "(?:atlassian|jira|confluence)[A-Za-z0-9_.-]{0,20}(?:token|api_?key)", "[A-Za-z0-9]{24}",
            {"atlassian", "jira", "confluence"}, 90, 3.0, "(?![A-Za-z0-9_=+/-])"));
  struct DoKind {
    const char* id;
    const char* prefix;
    const char* title;
  };
  for (const DoKind& k : {DoKind{"digitalocean-pat", "dop_v1_", "DigitalOcean Personal Access Token"},
                          DoKind{"digitalocean-oauth-token", "doo_v1_", "DigitalOcean OAuth Token"},
                          DoKind{"digitalocean-refresh-token", "dor_v1_", "DigitalOcean OAuth Refresh Token"}}) {
    add(Token(k.id, "DigitalOcean", k.title, S::kCritical, std::string(k.prefix) + "[a-f0-9]{64}", {k.prefix}, 71,
              kEndWord))
        .min_entropy = 3.0;
  }
  add(Token("heroku-api-key", "Heroku", "Heroku API Key", S::kHigh, "HRKU-[A-Za-z0-9_-]{58,64}", {"hrku-"}, 69,
            kEndWord))
      .min_entropy = 3.5;
  add(Named("heroku-legacy-api-key", "Heroku", "Heroku API Key (legacy UUID)", S::kHigh,
            "heroku[A-Za-z0-9_.-]{0,20}(?:key|token|secret)",
            "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", {"heroku"}, 100, 2.5, kEndAlnum));
  add(Token("databricks-token", "Databricks", "Databricks Personal Access Token", S::kHigh,
            "dapi[a-f0-9]{32}(?:-[0-9])?", {"dapi"}, 38))
      .min_entropy = 3.0;
  add(Token("huggingface-token", "HuggingFace", "Hugging Face Access Token", S::kHigh, "hf_[A-Za-z0-9]{34}", {"hf_"},
            37, kEndWord))
      .min_entropy = 3.5;
  add(Token("postman-api-key", "Postman", "Postman API Key", S::kHigh, "PMAK-[a-f0-9]{24}-[a-f0-9]{34}", {"pmak-"}, 64))
      .min_entropy = 3.0;
  add(Token("grafana-service-account-token", "Grafana", "Grafana Service Account Token", S::kHigh,
            "glsa_[A-Za-z0-9]{32}_[a-f0-9]{8}", {"glsa_"}, 46))
      .min_entropy = 3.5;
  add(Token("grafana-cloud-token", "Grafana", "Grafana Cloud Access Policy Token", S::kHigh,
            "glc_eyJ[A-Za-z0-9+/_-]{30,}={0,2}", {"glc_eyj"}, 410, kEndB64))
      .min_entropy = 4.0;
  add(Token("newrelic-user-api-key", "NewRelic", "New Relic User API Key", S::kHigh, "NRAK-[A-Z0-9]{27}", {"nrak-"},
            32))
      .min_entropy = 3.5;
  add(Token("sentry-org-token", "Sentry", "Sentry Organization Auth Token", S::kHigh,
            "sntrys_eyJ[A-Za-z0-9+/=]{30,}_[A-Za-z0-9+/]{43}", {"sntrys_eyj"}, 460, kEndB64));
  add(Token("sentry-user-token", "Sentry", "Sentry User Auth Token", S::kHigh, "sntryu_[a-f0-9]{64}", {"sntryu_"}, 71))
      .min_entropy = 3.0;
  add(Token("doppler-token", "Doppler", "Doppler API Token", S::kHigh,
            "dp\\.(?:pt|st|sa|ct|scim|audit)\\.[A-Za-z0-9]{40,44}", {"dp."}, 56))
      .min_entropy = 3.5;
  add(Token("pulumi-access-token", "Pulumi", "Pulumi Access Token", S::kHigh, "pul-[a-f0-9]{40}", {"pul-"}, 44))
      .min_entropy = 3.0;
  add(Token("planetscale-token", "PlanetScale", "PlanetScale Token or Password", S::kHigh,
            "pscale_(?:tkn|pw|oauth)_[A-Za-z0-9_.-]{32,64}", {"pscale_"}, 78, "(?![A-Za-z0-9_.-])"))
      .min_entropy = 3.5;
  add(Token("linear-api-key", "Linear", "Linear API Key", S::kHigh, "lin_api_[A-Za-z0-9]{40}", {"lin_api_"}, 48))
      .min_entropy = 3.5;
  add(Token("supabase-access-token", "Supabase", "Supabase Personal Access Token", S::kHigh, "sbp_[a-f0-9]{40}",
            {"sbp_"}, 44))
      .min_entropy = 3.0;
  add(Token("dynatrace-api-token", "Dynatrace", "Dynatrace API Token", S::kHigh, "dt0c01\\.[A-Z0-9]{24}\\.[A-Z0-9]{64}",
            {"dt0c01."}, 96))
      .min_entropy = 3.5;
  add(Token("contentful-pat", "Contentful", "Contentful Personal Access Token", S::kHigh, "CFPAT-[A-Za-z0-9_-]{43}",
            {"cfpat-"}, 49, kEndWord))
      .min_entropy = 3.5;
  add(Token("square-access-token", "Square", "Square Access Token", S::kHigh,
            "(?:sq0atp-[A-Za-z0-9_-]{22}|EAAA[A-Za-z0-9_-]{60})", {"sq0atp-", "eaaa"}, 64, kEndWord));
  {
    Rule& r = v.back();
    r.min_entropy = 3.5;
    // "EAAA" also opens base64 of binary data (zero bytes: runs of "A"), as in search indexes.
    r.allow = {"^EAAA.*AAAA"};
  }
  add(Token("square-oauth-secret", "Square", "Square OAuth Secret", S::kHigh, "sq0csp-[A-Za-z0-9_-]{43}", {"sq0csp-"},
            50, kEndWord))
      .min_entropy = 3.5;
  add(Token("shippo-api-token", "Shippo", "Shippo API Token", S::kHigh, "shippo_(?:live|test)_[a-f0-9]{40}",
            {"shippo_"}, 52))
      .min_entropy = 3.0;
  add(Token("firebase-cloud-messaging-key", "Google", "Firebase Cloud Messaging Server Key", S::kHigh,
            "AAAA[A-Za-z0-9_-]{7}:APA91b[A-Za-z0-9_-]{134}", {":apa91b"}, 152, kEndWord));
  add(Token("mapbox-secret-token", "Mapbox", "Mapbox Secret Access Token", S::kHigh,
            "sk\\.eyJ[A-Za-z0-9_-]{20,}\\.[A-Za-z0-9_-]{20,100}", {"sk.eyj"}, 306, kEndWord))
      .min_entropy = 4.0;
  add(Token("cloudflare-origin-ca-key", "Cloudflare", "Cloudflare Origin CA Key", S::kHigh,
            "v1\\.0-[a-f0-9]{24}-[a-f0-9]{146}", {"v1.0-"}, 176))
      .min_entropy = 3.0;
  {
    Rule& r = add(Token("telegram-bot-token", "Telegram", "Telegram Bot Token", S::kMedium,
                        "[0-9]{8,10}:AA[A-Za-z0-9_-]{33}", {":aa"}, 46, kEndWord));
    r.regex = "(?<![A-Za-z0-9:])" + r.regex.substr(kStart.size());
    r.min_entropy = 3.5;
  }
  add(Custom("discord-webhook-url", "Discord", "Discord Webhook URL", S::kMedium,
             "(?P<secret>https://(?:ptb\\.|canary\\.)?discord(?:app)?\\.com/api/webhooks/[0-9]{17,20}/"
             "[A-Za-z0-9_-]{60,68})" +
                 kEndWord,
             {"/api/webhooks/"}, 140));
  add(Token("age-secret-key", "Age", "age Secret Key", S::kHigh,
            "AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}", {"age-secret-key-1"}, 74))
      .validate = ValidAgeSecretKey;

  // --- AI providers ---------------------------------------------------------------------------
  // OpenAI keys embed "T3BlbkFJ" (base64 of "OpenAI"); project/service-account/admin keys say so
  // in their prefix.
  add(Token("openai-api-key", "OpenAI", "OpenAI API Key (legacy user key)", S::kHigh,
            "sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}", {"t3blbkfj"}, 51, kEndWord));
  add(Token("openai-project-key", "OpenAI", "OpenAI Project/Service-Account/Admin Key", S::kHigh,
            "sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,}", {"sk-proj-", "sk-svcacct-", "sk-admin-"}, 262, kEndWord))
      .min_entropy = 4.0;
  add(Token("anthropic-api-key", "Anthropic", "Anthropic API Key", S::kHigh, "sk-ant-api03-[A-Za-z0-9_-]{93}AA",
            {"sk-ant-api03-"}, 108, kEndWord));
  add(Token("anthropic-admin-key", "Anthropic", "Anthropic Admin Key", S::kCritical,
            "sk-ant-admin01-[A-Za-z0-9_-]{93}AA", {"sk-ant-admin01-"}, 110, kEndWord));
  add(Token("huggingface-org-token", "HuggingFace", "Hugging Face Organization Token", S::kHigh,
            "api_org_[A-Za-z0-9]{34}", {"api_org_"}, 42, kEndWord))
      .min_entropy = 3.5;
  add(Token("groq-api-key", "Groq", "Groq API Key", S::kHigh, "gsk_[A-Za-z0-9]{52}", {"gsk_"}, 56, kEndWord))
      .min_entropy = 4.0;
  add(Token("replicate-api-token", "Replicate", "Replicate API Token", S::kHigh, "r8_[A-Za-z0-9]{37}", {"r8_"}, 40,
            kEndWord))
      .min_entropy = 3.5;

  // --- Databases and URLs ---------------------------------------------------------------------
  add(UrlPassword("postgres-url-password", "Database", "PostgreSQL URL with Password", S::kHigh,
                  "postgres(?:ql)?(?:\\+[a-z0-9]{1,20})?", {"postgres"}));
  add(UrlPassword("mysql-url-password", "Database", "MySQL/MariaDB URL with Password", S::kHigh,
                  "(?:mysql|mariadb)(?:\\+[a-z0-9]{1,20})?", {"mysql", "mariadb"}));
  add(UrlPassword("mongodb-url-password", "Database", "MongoDB URL with Password", S::kHigh, "mongodb(?:\\+srv)?",
                  {"mongodb"}));
  add(UrlPassword("redis-url-password", "Database", "Redis URL with Password", S::kHigh, "rediss?", {"redis"}));
  add(UrlPassword("amqp-url-password", "Database", "AMQP (RabbitMQ) URL with Password", S::kHigh, "amqps?", {"amqp"}));
  add(UrlPassword("basic-auth-url", "Generic", "Password in URL (basic auth)", S::kHigh,
                  "https?|ftps?|sftp|ssh|git|smtps?|imaps?|ldaps?|svn|nntp", {"://"}));

  // --- Generic: a secret-like name assigned a high-entropy value --------------------------------
  {
    const std::string name =
        "[A-Za-z0-9_.-]{0,30}?(?:secret|token|passw(?:or)?d|pwd|api_?key|access_?key|private_?key|auth_?key|"
        "signing_?key|encryption_?key|master_?key|credentials?)(?:_?(?:key|value|base|string|str|b64|hex)){0,2}";
    const std::string value = "[A-Za-z0-9+/=_.~!@#$%^&*-]{16,128}";
    // The value is a quoted string, or stands alone at the end of its line (.env, YAML, INI): an
    // unquoted word followed by ';' or ',' is code (`token = kTokenBegin;`), not a value.
    Rule& r = add(Custom(
        "generic-secret-assignment", "Generic", "High-Entropy Secret Assigned to a Secret-Like Name", S::kMedium,
        kStart + "(?!public|pub_)" + name + "[\"'`]?[ \\t]{0,4}(?:=>|:=|\\?=|[:=])[ \\t]{0,4}[\"'`]?(?P<secret>" +
            value + ")(?:[\"'`]|[ \\t]*(?:\\r?\\n|$|#))",
        {"secret", "token", "passw", "pwd", "key", "credential"}, 200));
    r.caseless = true;
    r.min_entropy = 3.5;
    r.text_only = true;
    r.allow = {
        // Paths and file names ("/run/secrets/db", "$dir/private/cakey.pem").
        "^(?:/|\\./|\\.\\./|~/)",
        "\\.(?:pem|key|crt|cer|der|p12|pfx|jks|json|txt|ya?ml|env|conf|cfg|ini)$",
        // Names, not values: a random secret does not spell "password" or "token" ("_PASSWORD_DEFAULT",
        // "V1ServiceAccountTokenProjection", "Access-Control-Allow-Credentials").
        "(?i)passw(?:or)?d|secret|token|credential|private_?key",
        // Short hex (ids, fingerprints): a hex secret is 32 digits or more.
        "^[0-9a-fA-F]{1,31}$",
        // Regular expressions ("AmazonLookoutMetrics-.+").
        "[a-z]{3}-?\\.[*+]$",
        // Code, not values: dotted references without digits (this.options.secret), snake/kebab
        // words, CamelCase identifiers. Random values nearly always hold a digit.
        "^[A-Za-z_$]+(?:\\.[A-Za-z_$]+)+$",
        "^[a-z]+(?:[_.-][a-z]+)*$",
        "^[A-Z]+(?:_[A-Z]+)*$",
        "^(?:[A-Z][a-z]+)+$",
        "^(?:self|this|cls|ctx|config|settings|options|opts|props|params|env)\\.",
        "^(?=.*[a-z]{4})[a-z_][a-z0-9_]*(?:\\.[A-Za-z_][A-Za-z0-9_]*)+$",
        "^[a-z]+(?:[A-Z][a-z]+)+$",
        // Not one value: a query string, a wildcard pattern (IAM policies), a resource name
        // ("projects/1/secrets/db/versions/2").
        "&[A-Za-z_]+=",
        "[a-z]{3}[-/!.]\\*$",
        "^[a-z][a-z-]*/[A-Za-z0-9_.-]+/[a-z][a-z-]*/",
    };
  }
  return v;
}

}  // namespace

const std::vector<Rule>& BuiltinRules() {
  static const std::vector<Rule> rules = MakeRules();
  return rules;
}

const std::vector<AllowRule>& BuiltinAllowRules() {
  // Values: each of these is text a real credential never contains (a template reference, a run of
  // the same mask character, the words vendors put in documented examples), so they cannot hide a
  // random token. Paths: places that ship third-party documentation and test fixtures.
  static const std::vector<AllowRule> rules = {
      {"builtin-documented-examples",
       "Documented example values (AWS's AKIAIOSFODNN7EXAMPLE / ...EXAMPLEKEY, 'example', 'sample', 'dummy')",
       // Short words only at an end of the value: inside kilobytes of base64 (a PEM body) they
       // turn up by chance.
       "(?i)example|placeholder|^(?:sample|dummy)(?:$|[^a-z0-9])|[^a-z0-9](?:sample|dummy)$|"
       "^Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==$|"
       // RFC 6749's example access, refresh and authorization-code values.
       "^(?:2YotnFZFEjr1zCsicMWpAA|tGzv3JOkF0XG5Qx2TlKWIA|SplxlOBeZQQYbYS6WxSbIA)$",
       ""},
      {"builtin-template-references",
       "Template, environment and format references instead of values: ${VAR}, {{ var }}, <token>, %VAR%, "
       "$(cmd), $VAR, printf's %s, {0}",
       "\\$\\{|\\{\\{|\\$\\(|^<[^<>]{1,64}>$|^%[A-Za-z_][A-Za-z0-9_]*%$|^\\$[A-Za-z_][A-Za-z0-9_]*$|"
       "^%[-+ #0-9.]*[sdqvxX]$|^\\{[A-Za-z0-9_]*\\}$|^\\[[A-Za-z_ -]*\\]+$",
       ""},
      {"builtin-masked-values", "Masked or elided values: xxxxxx, ******, ..., ######, 00000000",
       "(?i)x{8,}|^x+$|\\*{3,}|^\\.\\.\\.|\\.\\.\\.$|#{4,}|0{8,}|12345678|abcdefgh", ""},
      {"builtin-placeholder-words",
       "Placeholder words: changeme, redacted, replace-me, your-..., insert-..., <none>, todo, fixme",
       "(?i)changeme|change_me|change-me|redacted|replace[_-]?me|^(?:your|insert|enter|put)[_-]|"
       "^(?:password|passwd|pass|pwd|mypass|mypassword|xyzzy|secret|token|todo|fixme|tbd|null|nil|none|"
       "undefined|empty|foo|bar|foobar|string|value|test|xxx)$",
       ""},
      {"builtin-usr-share-doc", "Distribution documentation (examples in READMEs and man pages)", "",
       "(?:^|/)usr/share/(?:doc|man|info|help|gtk-doc|licenses|common-licenses)/"},
      {"builtin-package-test-fixtures",
       "Test fixtures and examples inside installed third-party packages (node_modules, site-packages, gems, "
       "Go module cache, vendor)",
       "",
       "(?:^|/)(?:node_modules|site-packages|dist-packages|gems|pkg/mod|vendor|vendored|third_party)/(?:[^/]+/)*"
       "(?:(?:tests?|specs?|__tests__|fixtures?|testdata|test_data|examples?)(?:[-_.][^/]*)?(?:/|$)|"
       "[^/]*_test\\.[a-z]+$|test_[^/]*\\.py$)"},
      {"builtin-package-docs", "Documentation inside installed third-party packages (READMEs, package metadata)", "",
       "(?:^|/)(?:node_modules|site-packages|dist-packages|gems)/(?:[^/]+/)*(?:README|CHANGELOG|HISTORY)[^/]*$|"
       "(?:^|/)(?:site-packages|dist-packages)/[^/]+\\.(?:dist-info/METADATA|egg-info/PKG-INFO)$"},
      {"builtin-gnutls-self-test-keys", "The keys GnuTLS embeds for its power-on self-tests", "",
       "(?:^|/)libgnutls\\.(?:so[.0-9]*|a)$"},
      {"builtin-language-runtime-tests", "Test suites shipped with language runtimes (CPython's Lib/test, Go's src)",
       "",
       "(?:^|/)lib/python[0-9.]+/(?:[^/]+/)*(?:test|tests|idle_test)/|(?:^|/)(?:usr/local/go|usr/(?:share|lib)/"
       "go-[0-9.]+)/(?:src|test|misc)/"},
  };
  return rules;
}

}  // namespace customs::secrets
