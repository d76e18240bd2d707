#include "support/secret_corpus.h"

#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <stdexcept>
#include <tuple>

#include "support/fixtures.h"

namespace customs_test {
namespace {

constexpr std::string_view kBase62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
constexpr std::string_view kUpperAlnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
constexpr std::string_view kLowerAlnum = "abcdefghijklmnopqrstuvwxyz0123456789";
constexpr std::string_view kBase32Upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

std::string Lower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

uint32_t Crc32(std::string_view s) {
  uLong crc = crc32(0L, Z_NULL, 0);
  return static_cast<uint32_t>(crc32(crc, reinterpret_cast<const Bytef*>(s.data()), static_cast<uInt>(s.size())));
}

std::string ToBase62(uint32_t v, size_t width) {
  std::string out;
  do {
    out.push_back(kBase62[v % 62]);
    v /= 62;
  } while (v);
  while (out.size() < width) out.push_back('0');
  std::reverse(out.begin(), out.end());
  return out;
}

std::string WrapLines(std::string_view s, size_t width, std::string_view indent = "") {
  std::string out;
  for (size_t i = 0; i < s.size(); i += width) {
    out += indent;
    out += s.substr(i, width);
    out += '\n';
  }
  return out;
}

double Entropy(std::string_view s) {
  std::map<char, size_t> counts;
  for (char c : s) ++counts[c];
  double h = 0, n = static_cast<double>(s.size());
  for (auto& [c, k] : counts) {
    double p = static_cast<double>(k) / n;
    h -= p * std::log2(p);
  }
  return h;
}

// --- DER ---------------------------------------------------------------------------------------

std::string DerLength(size_t n) {
  if (n < 0x80) return std::string(1, static_cast<char>(n));
  std::string bytes;
  while (n) {
    bytes.insert(bytes.begin(), static_cast<char>(n & 0xff));
    n >>= 8;
  }
  return std::string(1, static_cast<char>(0x80 | bytes.size())) + bytes;
}

std::string Tlv(uint8_t tag, std::string_view content) {
  return std::string(1, static_cast<char>(tag)) + DerLength(content.size()) + std::string(content);
}

// A positive INTEGER of `n` random bytes with the top bit set (a "full-size" number).
std::string BigInt(FakeSecrets& f, size_t n) {
  std::string b = f.Bytes(n);
  b[0] = static_cast<char>(static_cast<uint8_t>(b[0]) | 0x80);
  return Tlv(0x02, std::string(1, '\0') + b);
}

std::string SmallInt(uint32_t v) {
  std::string b;
  do {
    b.insert(b.begin(), static_cast<char>(v & 0xff));
    v >>= 8;
  } while (v);
  if (static_cast<uint8_t>(b[0]) & 0x80) b.insert(b.begin(), '\0');
  return Tlv(0x02, b);
}

std::string Oid(std::initializer_list<uint8_t> encoded) {
  return Tlv(0x06, std::string(encoded.begin(), encoded.end()));
}

std::string RsaDer(FakeSecrets& f) {
  return Tlv(0x30, SmallInt(0) + BigInt(f, 256) + SmallInt(65537) + BigInt(f, 256) + BigInt(f, 128) + BigInt(f, 128) +
                       BigInt(f, 128) + BigInt(f, 128) + BigInt(f, 128));
}

std::string EcDer(FakeSecrets& f) {
  std::string prime256v1 = Oid({0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07});
  std::string pub = std::string("\x00\x04", 2) + f.Bytes(64);
  return Tlv(0x30, SmallInt(1) + Tlv(0x04, f.Bytes(32)) + Tlv(0xA0, prime256v1) + Tlv(0xA1, Tlv(0x03, pub)));
}

std::string DsaDer(FakeSecrets& f) {
  return Tlv(0x30, SmallInt(0) + BigInt(f, 256) + BigInt(f, 32) + BigInt(f, 256) + BigInt(f, 256) + BigInt(f, 32));
}

std::string Pkcs8Der(FakeSecrets& f) {
  if (f.Uniform(0, 1)) {
    std::string ed25519 = Oid({0x2B, 0x65, 0x70});
    return Tlv(0x30, SmallInt(0) + Tlv(0x30, ed25519) + Tlv(0x04, Tlv(0x04, f.Bytes(32))));
  }
  std::string rsa_encryption = Oid({0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01});
  return Tlv(0x30, SmallInt(0) + Tlv(0x30, rsa_encryption + Tlv(0x05, "")) + Tlv(0x04, RsaDer(f)));
}

std::string EncryptedPkcs8Der(FakeSecrets& f) {
  std::string pbes2 = Oid({0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x05, 0x0D});
  std::string pbkdf2 = Oid({0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x05, 0x0C});
  std::string aes256cbc = Oid({0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01, 0x2A});
  std::string kdf = Tlv(0x30, pbkdf2 + Tlv(0x30, Tlv(0x04, f.Bytes(8)) + SmallInt(2048)));
  std::string cipher = Tlv(0x30, aes256cbc + Tlv(0x04, f.Bytes(16)));
  std::string algorithm = Tlv(0x30, pbes2 + Tlv(0x30, kdf + cipher));
  return Tlv(0x30, algorithm + Tlv(0x04, f.Bytes(1232)));
}

// --- SSH wire format, OpenPGP --------------------------------------------------------------------

std::string SshString(std::string_view s) {
  uint32_t n = static_cast<uint32_t>(s.size());
  std::string out{static_cast<char>(n >> 24), static_cast<char>(n >> 16), static_cast<char>(n >> 8),
                  static_cast<char>(n)};
  return out + std::string(s);
}

std::string OpenSshKey(FakeSecrets& f) {
  std::string pub_raw = f.Bytes(32);
  std::string pub = SshString("ssh-ed25519") + SshString(pub_raw);
  std::string check = f.Bytes(4);
  std::string priv = check + check + SshString("ssh-ed25519") + SshString(pub_raw) + SshString(f.Bytes(32) + pub_raw) +
                     SshString("deploy@build");
  for (char pad = 1; priv.size() % 8; ++pad) priv.push_back(pad);
  std::string blob = std::string("openssh-key-v1\0", 15) + SshString("none") + SshString("none") + SshString("") +
                     std::string("\0\0\0\1", 4) + SshString(pub) + SshString(priv);
  return blob;
}

uint32_t Crc24(std::string_view data) {
  uint32_t crc = 0xB704CE;
  for (unsigned char c : data) {
    crc ^= static_cast<uint32_t>(c) << 16;
    for (int i = 0; i < 8; ++i) {
      crc <<= 1;
      if (crc & 0x1000000) crc ^= 0x1864CFB;
    }
  }
  return crc & 0xFFFFFF;
}

// A version-4 RSA Secret-Key packet (tag 5, new-format header) with S2K-protected secret material.
std::string PgpSecretKeyPacket(FakeSecrets& f) {
  std::string body;
  body += '\x04';
  body += f.Bytes(4);  // creation time
  body += '\x01';      // RSA
  auto mpi = [&](size_t bits) {
    std::string b = f.Bytes((bits + 7) / 8);
    b[0] = static_cast<char>(static_cast<uint8_t>(b[0]) | 0x80);
    return std::string{static_cast<char>(bits >> 8), static_cast<char>(bits & 0xff)} + b;
  };
  body += mpi(2048);
  body += std::string("\x00\x11\x01\x00\x01", 5);  // e = 65537
  body += std::string("\xFE\x09\x03\x08", 4);      // SHA-1 checked, AES-256, iterated+salted S2K, SHA-256
  body += f.Bytes(8);                              // salt
  body += '\x60';                                  // count
  body += f.Bytes(16);                             // IV
  body += f.Bytes(700);                            // encrypted secret MPIs
  size_t len = body.size();                        // 192..8383: two-octet length
  std::string header{'\xC5', static_cast<char>(((len - 192) >> 8) + 192), static_cast<char>((len - 192) & 0xff)};
  return header + body;
}

// --- bech32 (BIP-173), for age identities ---------------------------------------------------------

uint32_t Polymod(const std::vector<uint8_t>& v) {
  const uint32_t gen[5] = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3};
  uint32_t chk = 1;
  for (uint8_t x : v) {
    uint32_t b = chk >> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ x;
    for (int i = 0; i < 5; ++i)
      if ((b >> i) & 1) chk ^= gen[i];
  }
  return chk;
}

std::string Bech32(std::string_view hrp, std::string_view bytes) {
  constexpr std::string_view charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
  std::vector<uint8_t> data;
  uint32_t acc = 0;
  int bits = 0;
  for (unsigned char c : bytes) {
    acc = (acc << 8) | c;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      data.push_back((acc >> bits) & 31);
    }
  }
  if (bits) data.push_back((acc << (5 - bits)) & 31);
  std::vector<uint8_t> v;
  for (char c : hrp) v.push_back(static_cast<uint8_t>(c) >> 5);
  v.push_back(0);
  for (char c : hrp) v.push_back(static_cast<uint8_t>(c) & 31);
  v.insert(v.end(), data.begin(), data.end());
  v.insert(v.end(), 6, 0);
  uint32_t mod = Polymod(v) ^ 1;
  for (int i = 0; i < 6; ++i) data.push_back((mod >> (5 * (5 - i))) & 31);
  std::string out = std::string(hrp) + "1";
  for (uint8_t d : data) out.push_back(charset[d]);
  return out;
}

// --- PNG (decoy base64 image data) ---------------------------------------------------------------

std::string PngChunk(std::string_view type, std::string_view data) {
  uint32_t n = static_cast<uint32_t>(data.size());
  std::string out{static_cast<char>(n >> 24), static_cast<char>(n >> 16), static_cast<char>(n >> 8),
                  static_cast<char>(n)};
  std::string td = std::string(type) + std::string(data);
  uint32_t crc = Crc32(td);
  return out + td +
         std::string{static_cast<char>(crc >> 24), static_cast<char>(crc >> 16), static_cast<char>(crc >> 8),
                     static_cast<char>(crc)};
}

std::string Png(FakeSecrets& f, uint32_t w, uint32_t h) {
  std::string raw;
  for (uint32_t y = 0; y < h; ++y) {
    raw.push_back('\0');
    for (uint32_t x = 0; x < w; ++x) {
      uint8_t base = static_cast<uint8_t>((x * 7 + y * 3) & 0xff);
      raw.push_back(static_cast<char>(base));
      raw.push_back(static_cast<char>(base ^ static_cast<uint8_t>(f.Uniform(0, 31))));
      raw.push_back(static_cast<char>(f.Uniform(0, 255)));
    }
  }
  uLongf n = compressBound(raw.size());
  std::string z(n, '\0');
  compress2(reinterpret_cast<Bytef*>(z.data()), &n, reinterpret_cast<const Bytef*>(raw.data()), raw.size(), 6);
  z.resize(n);
  std::string ihdr{static_cast<char>(w >> 24),
                   static_cast<char>(w >> 16),
                   static_cast<char>(w >> 8),
                   static_cast<char>(w),
                   static_cast<char>(h >> 24),
                   static_cast<char>(h >> 16),
                   static_cast<char>(h >> 8),
                   static_cast<char>(h),
                   8,
                   2,
                   0,
                   0,
                   0};
  return std::string("\x89PNG\r\n\x1a\n", 8) + PngChunk("IHDR", ihdr) + PngChunk("IDAT", z) + PngChunk("IEND", "");
}

// --- Samples -------------------------------------------------------------------------------------

// How a sample can be placed.
enum class Form {
  kValue,       // a value that stands on its own: any file, assigned to `name` or bare
  kNamedValue,  // needs `name = value` next to it (context rules)
  kLine,        // a whole configuration line (.npmrc)
  kJson,        // a JSON member value ("auth": "...")
  kBlock,       // a multi-line block (PEM and friends)
};

struct Sample {
  std::string rule_id;
  std::string name;
  std::string value;  // as written in the file
  size_t secret_off = 0;
  size_t secret_len = std::string::npos;
  Form form = Form::kValue;
  bool text_only = false;
  std::string Secret() const { return value.substr(secret_off, secret_len); }
};

Sample Val(std::string rule, std::string name, std::string value, Form form = Form::kValue) {
  Sample s;
  s.rule_id = std::move(rule);
  s.name = std::move(name);
  s.value = std::move(value);
  s.form = form;
  return s;
}

Sample Around(std::string rule, std::string name, const std::string& before, const std::string& secret,
              const std::string& after, Form form = Form::kValue) {
  Sample s = Val(std::move(rule), std::move(name), before + secret + after, form);
  s.secret_off = before.size();
  s.secret_len = secret.size();
  return s;
}

using Maker = std::function<Sample(FakeSecrets&, size_t variant)>;

std::vector<std::pair<std::string, Maker>> Makers() {
  std::vector<std::pair<std::string, Maker>> m;
  auto add = [&](std::string id, Maker mk) { m.emplace_back(std::move(id), std::move(mk)); };
  auto tok = [&](std::string id, std::string name, std::function<std::string(FakeSecrets&, size_t)> gen) {
    std::string rid = id;
    add(std::move(id), [rid, name, gen](FakeSecrets& f, size_t v) { return Val(rid, name, gen(f, v)); });
  };
  auto named = [&](std::string id, std::vector<std::string> names, std::function<std::string(FakeSecrets&)> gen) {
    std::string rid = id;
    add(std::move(id), [rid, names, gen](FakeSecrets& f, size_t v) {
      return Val(rid, names[v % names.size()], gen(f), Form::kNamedValue);
    });
  };

  // AWS
  tok("aws-access-key-id", "AWS_ACCESS_KEY_ID",
      [](FakeSecrets& f, size_t v) { return std::string(v % 2 ? "ASIA" : "AKIA") + f.Chars(kBase32Upper, 16); });
  named("aws-secret-access-key", {"aws_secret_access_key", "AWS_SECRET_ACCESS_KEY", "secretAccessKey"},
        [](FakeSecrets& f) { return f.Chars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", 40); });
  tok("aws-session-token", "AWS_SESSION_TOKEN", [](FakeSecrets& f, size_t) {
    std::string t = EncodeBase64(std::string("!\n\torigin_ec", 12) + f.Bytes(f.Uniform(300, 600)), false, false);
    return t;
  });
  tok("aws-mws-auth-token", "MWS_AUTH_TOKEN", [](FakeSecrets& f, size_t) { return "amzn.mws." + f.Uuid(); });

  // GitHub
  for (auto [id, prefix] :
       std::vector<std::pair<std::string, std::string>>{{"github-pat", "ghp_"},
                                                        {"github-oauth-token", "gho_"},
                                                        {"github-app-user-token", "ghu_"},
                                                        {"github-app-installation-token", "ghs_"}}) {
    std::string p = prefix;
    tok(id, "GITHUB_TOKEN", [p](FakeSecrets& f, size_t) { return f.ChecksummedToken(p); });
  }
  tok("github-refresh-token", "GITHUB_REFRESH_TOKEN",
      [](FakeSecrets& f, size_t v) { return v % 2 ? "ghr_" + f.Base62(76) : f.ChecksummedToken("ghr_"); });
  tok("github-fine-grained-pat", "GH_PAT",
      [](FakeSecrets& f, size_t) { return "github_pat_" + f.Base62(22) + "_" + f.Base62(59); });

  // GitLab
  for (auto [id, prefix] : std::vector<std::pair<std::string, std::string>>{
           {"gitlab-pat", "glpat-"},
           {"gitlab-deploy-token", "gldt-"},
           {"gitlab-runner-auth-token", "glrt-"},
           {"gitlab-ci-job-token", "glcbt-"},
           {"gitlab-pipeline-trigger-token", "glptt-"},
           {"gitlab-feed-token", "glft-"},
           {"gitlab-incoming-mail-token", "glimt-"},
           {"gitlab-oauth-app-secret", "gloas-"},
           {"gitlab-agent-token", "glagent-"},
           {"gitlab-scim-token", "glsoat-"},
           {"gitlab-feature-flags-token", "glffct-"},
       }) {
    std::string p = prefix;
    tok(id, "GITLAB_TOKEN", [p](FakeSecrets& f, size_t v) {
      if (p == "glpat-" && v % 2) return p + f.Base64UrlChars(27) + ".01." + f.Chars(kLowerAlnum, 9);
      if (p == "glcbt-") return p + f.Hex(2) + "_" + f.Base64UrlChars(20);
      if (p == "gloas-") return p + f.Hex(64);
      return p + f.Base64UrlChars(20);
    });
  }
  tok("gitlab-runner-registration-token", "REGISTRATION_TOKEN",
      [](FakeSecrets& f, size_t) { return "GR1348941" + f.Base64UrlChars(20); });

  // Slack
  tok("slack-bot-token", "SLACK_BOT_TOKEN",
      [](FakeSecrets& f, size_t) { return "xoxb-" + f.Digits(11) + "-" + f.Digits(13) + "-" + f.Base62(24); });
  tok("slack-user-token", "SLACK_USER_TOKEN", [](FakeSecrets& f, size_t) {
    return "xoxp-" + f.Digits(11) + "-" + f.Digits(11) + "-" + f.Digits(13) + "-" + f.Hex(32);
  });
  tok("slack-app-token", "SLACK_APP_TOKEN", [](FakeSecrets& f, size_t) {
    return "xapp-1-A" + f.Chars(kUpperAlnum, 10) + "-" + f.Digits(13) + "-" + f.Hex(64);
  });
  tok("slack-config-access-token", "SLACK_CONFIG_TOKEN",
      [](FakeSecrets& f, size_t) { return "xoxe.xoxp-1-" + f.Base62(147); });
  tok("slack-config-refresh-token", "SLACK_CONFIG_REFRESH_TOKEN",
      [](FakeSecrets& f, size_t) { return "xoxe-1-" + f.Base62(146); });
  tok("slack-legacy-token", "SLACK_LEGACY_TOKEN", [](FakeSecrets& f, size_t v) {
    return std::string(v % 2 ? "xoxs-" : "xoxa-2-") + f.Digits(10) + "-" + f.Digits(11) + "-" + f.Hex(48);
  });
  tok("slack-webhook-url", "SLACK_WEBHOOK_URL", [](FakeSecrets& f, size_t) {
    return "https://hooks.slack.com/services/T" + f.Chars(kUpperAlnum, 10) + "/B" + f.Chars(kUpperAlnum, 10) + "/" +
           f.Base62(24);
  });

  // Stripe
  for (auto [id, prefix] :
       std::vector<std::pair<std::string, std::string>>{{"stripe-secret-key", "sk_live_"},
                                                        {"stripe-restricted-key", "rk_live_"},
                                                        {"stripe-test-secret-key", "sk_test_"},
                                                        {"stripe-test-restricted-key", "rk_test_"}}) {
    std::string p = prefix;
    tok(id, "STRIPE_API_KEY", [p](FakeSecrets& f, size_t v) {
      static const size_t lens[] = {24, 34, 99};
      return p + f.Base62(lens[v % 3]);
    });
  }
  tok("stripe-webhook-secret", "STRIPE_WEBHOOK_SECRET",
      [](FakeSecrets& f, size_t) { return "whsec_" + EncodeBase64(f.Bytes(24)); });

  // Twilio, SendGrid, Mailgun, Mailchimp
  tok("twilio-api-key", "TWILIO_API_KEY", [](FakeSecrets& f, size_t) { return "SK" + f.Hex(32); });
  named("twilio-auth-token", {"TWILIO_AUTH_TOKEN", "twilioAuthToken"}, [](FakeSecrets& f) { return f.Hex(32); });
  tok("sendgrid-api-key", "SENDGRID_API_KEY",
      [](FakeSecrets& f, size_t) { return "SG." + f.Base64UrlChars(22) + "." + f.Base64UrlChars(43); });
  tok("mailgun-api-key", "MAILGUN_API_KEY", [](FakeSecrets& f, size_t) { return "key-" + f.Hex(32); });
  tok("mailgun-private-api-key", "MAILGUN_PRIVATE_KEY",
      [](FakeSecrets& f, size_t) { return f.Hex(32) + "-" + f.Hex(8) + "-" + f.Hex(8); });
  tok("mailchimp-api-key", "MAILCHIMP_API_KEY",
      [](FakeSecrets& f, size_t) { return f.Hex(32) + "-us" + std::to_string(f.Uniform(1, 21)); });

  // Google
  tok("gcp-api-key", "GOOGLE_API_KEY", [](FakeSecrets& f, size_t) { return "AIza" + f.Base64UrlChars(35); });
  tok("gcp-oauth-client-secret", "GOOGLE_CLIENT_SECRET",
      [](FakeSecrets& f, size_t) { return "GOCSPX-" + f.Base64UrlChars(28); });
  tok("gcp-oauth-access-token", "GOOGLE_ACCESS_TOKEN",
      [](FakeSecrets& f, size_t) { return "ya29.a0" + f.Base64UrlChars(150); });
  tok("gcp-oauth-refresh-token", "GOOGLE_REFRESH_TOKEN",
      [](FakeSecrets& f, size_t) { return "1//0" + f.Base64UrlChars(99); });

  // Azure
  add("azure-storage-account-key", [](FakeSecrets& f, size_t v) {
    std::string key = EncodeBase64(f.Bytes(64));
    if (v % 2)
      return Around(
          "azure-storage-account-key", "COSMOS_CONNECTION_STRING",
          "AccountEndpoint=https://" + Lower(f.Chars(kLowerAlnum, 10)) + ".documents.azure.com:443/;AccountKey=", key,
          ";");
    return Around("azure-storage-account-key", "AZURE_STORAGE_CONNECTION_STRING",
                  "DefaultEndpointsProtocol=https;AccountName=" + f.Chars(kLowerAlnum, 12) + ";AccountKey=", key,
                  ";EndpointSuffix=core.windows.net");
  });
  add("azure-shared-access-key", [](FakeSecrets& f, size_t) {
    return Around("azure-shared-access-key", "SERVICEBUS_CONNECTION",
                  "Endpoint=sb://" + f.Chars(kLowerAlnum, 10) +
                      ".servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=",
                  EncodeBase64(f.Bytes(32)), "");
  });
  add("azure-sas-token", [](FakeSecrets& f, size_t) {
    std::string sig;
    for (char c : EncodeBase64(f.Bytes(32))) {
      if (c == '+')
        sig += "%2B";
      else if (c == '/')
        sig += "%2F";
      else if (c == '=')
        sig += "%3D";
      else
        sig += c;
    }
    return Around("azure-sas-token", "BLOB_SAS_URL",
                  "https://" + f.Chars(kLowerAlnum, 10) +
                      ".blob.core.windows.net/backups/db.tar.gz?sv=2022-11-02&ss=b&"
                      "srt=co&sp=rl&se=2030-01-01T00:00:00Z&st=2024-01-01T00:00:00Z&spr=https&sig=",
                  sig, "");
  });
  tok("azure-ad-client-secret", "AZURE_CLIENT_SECRET", [](FakeSecrets& f, size_t) {
    const std::string_view alpha = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_~.-";
    return f.Base62(3) + f.Digits(1) + "Q~" + f.Chars(alpha, 34);
  });
  named("azure-devops-pat", {"AZURE_DEVOPS_PAT", "ado_token"},
        [](FakeSecrets& f) { return f.Chars("abcdefghijklmnopqrstuvwxyz234567", 52); });

  // Private keys
  for (auto [id, label] : std::vector<std::pair<std::string, std::string>>{
           {"private-key-rsa", "RSA PRIVATE KEY"},
           {"private-key-ec", "EC PRIVATE KEY"},
           {"private-key-dsa", "DSA PRIVATE KEY"},
           {"private-key-openssh", "OPENSSH PRIVATE KEY"},
           {"private-key-pkcs8", "PRIVATE KEY"},
           {"private-key-pkcs8-encrypted", "ENCRYPTED PRIVATE KEY"},
           {"private-key-pgp", "PGP PRIVATE KEY BLOCK"},
       }) {
    std::string rid = id, l = label;
    add(id, [rid, l](FakeSecrets& f, size_t v) {
      bool legacy = (l == "RSA PRIVATE KEY" || l == "EC PRIVATE KEY") && v % 2;
      return Val(rid, "", f.PemPrivateKey(l, legacy), Form::kBlock);
    });
  }
  add("private-key-ssh2-encrypted",
      [](FakeSecrets& f, size_t) { return Val("private-key-ssh2-encrypted", "", f.Ssh2EncryptedKey(), Form::kBlock); });
  add("private-key-putty",
      [](FakeSecrets& f, size_t) { return Val("private-key-putty", "", f.PuttyKey(), Form::kBlock); });

  tok("jwt", "ID_TOKEN", [](FakeSecrets& f, size_t) { return f.Jwt(); });

  // Package registries
  tok("npm-access-token", "NPM_TOKEN", [](FakeSecrets& f, size_t) { return f.ChecksummedToken("npm_"); });
  add("npmrc-auth-token", [](FakeSecrets& f, size_t v) {
    const char* hosts[] = {"registry.npmjs.org", "npm.pkg.github.com", "gitlab.corp.internal/api/v4/packages/npm"};
    return Around("npmrc-auth-token", "", std::string("//") + hosts[v % 3] + "/:_authToken=", f.Uuid(), "",
                  Form::kLine);
  });
  add("npmrc-basic-auth", [](FakeSecrets& f, size_t) {
    return Around("npmrc-basic-auth", "", "_auth=", f.BasicAuthBase64(), "", Form::kLine);
  });
  tok("pypi-upload-token", "TWINE_PASSWORD", [](FakeSecrets& f, size_t v) { return f.PypiToken(v % 2); });
  tok("rubygems-api-key", "GEM_HOST_API_KEY", [](FakeSecrets& f, size_t) { return "rubygems_" + f.Hex(48); });
  tok("nuget-api-key", "NUGET_API_KEY", [](FakeSecrets& f, size_t) { return "oy2" + f.Chars(kLowerAlnum, 43); });
  tok("dockerhub-pat", "DOCKERHUB_TOKEN",
      [](FakeSecrets& f, size_t v) { return std::string(v % 2 ? "dckr_oat_" : "dckr_pat_") + f.Base64UrlChars(27); });
  add("docker-config-auth",
      [](FakeSecrets& f, size_t) { return Val("docker-config-auth", "auth", f.BasicAuthBase64(), Form::kJson); });
  add("docker-config-identity-token", [](FakeSecrets& f, size_t) {
    return Val("docker-config-identity-token", "identitytoken", f.Base64UrlChars(64), Form::kJson);
  });

  // HashiCorp
  tok("vault-service-token", "VAULT_TOKEN", [](FakeSecrets& f, size_t) { return "hvs.CAESI" + f.Base64UrlChars(86); });
  tok("vault-batch-token", "VAULT_BATCH_TOKEN",
      [](FakeSecrets& f, size_t) { return "hvb.AAAAAQ" + f.Base64UrlChars(140); });
  named("vault-legacy-token", {"VAULT_TOKEN", "vault_token"}, [](FakeSecrets& f) { return "s." + f.Base62(24); });
  tok("terraform-cloud-token", "TF_TOKEN_app_terraform_io",
      [](FakeSecrets& f, size_t) { return f.Base62(14) + ".atlasv1." + f.Base62(67); });

  // Commerce and SaaS
  for (auto [id, prefix] : std::vector<std::pair<std::string, std::string>>{{"shopify-access-token", "shpat_"},
                                                                            {"shopify-custom-app-token", "shpca_"},
                                                                            {"shopify-private-app-token", "shppa_"},
                                                                            {"shopify-shared-secret", "shpss_"}}) {
    std::string p = prefix;
    tok(id, "SHOPIFY_TOKEN", [p](FakeSecrets& f, size_t) { return p + f.Hex(32); });
  }
  tok("atlassian-api-token", "ATLASSIAN_TOKEN",
      [](FakeSecrets& f, size_t) { return "ATATT3xFfGF0" + f.Base64UrlChars(170) + "=" + f.HexUpper(8); });
  named("atlassian-legacy-api-token", {"JIRA_API_TOKEN", "confluence_api_key"},
        [](FakeSecrets& f) { return f.Base62(24); });
  for (auto [id, prefix] :
       std::vector<std::pair<std::string, std::string>>{{"digitalocean-pat", "dop_v1_"},
                                                        {"digitalocean-oauth-token", "doo_v1_"},
                                                        {"digitalocean-refresh-token", "dor_v1_"}}) {
    std::string p = prefix;
    tok(id, "DIGITALOCEAN_TOKEN", [p](FakeSecrets& f, size_t) { return p + f.Hex(64); });
  }
  tok("heroku-api-key", "HEROKU_API_KEY", [](FakeSecrets& f, size_t) { return "HRKU-AA" + f.Base64UrlChars(58); });
  named("heroku-legacy-api-key", {"HEROKU_API_KEY", "heroku_token"}, [](FakeSecrets& f) { return f.Uuid(); });
  tok("databricks-token", "DATABRICKS_TOKEN",
      [](FakeSecrets& f, size_t v) { return "dapi" + f.Hex(32) + (v % 2 ? "-2" : ""); });
  tok("huggingface-token", "HF_TOKEN", [](FakeSecrets& f, size_t) { return "hf_" + f.Base62(34); });
  tok("postman-api-key", "POSTMAN_API_KEY",
      [](FakeSecrets& f, size_t) { return "PMAK-" + f.Hex(24) + "-" + f.Hex(34); });
  tok("grafana-service-account-token", "GRAFANA_TOKEN",
      [](FakeSecrets& f, size_t) { return "glsa_" + f.Base62(32) + "_" + f.Hex(8); });
  tok("grafana-cloud-token", "GRAFANA_CLOUD_TOKEN", [](FakeSecrets& f, size_t) {
    std::string json = R"({"o":")" + f.Digits(6) + R"(","n":"stack-)" + f.Digits(6) + R"(-hm-read","k":")" +
                       f.Base62(24) + R"(","m":{"r":"prod-us-east-0"}})";
    return "glc_" + EncodeBase64(json);
  });
  tok("newrelic-user-api-key", "NEW_RELIC_API_KEY",
      [](FakeSecrets& f, size_t) { return "NRAK-" + f.Chars(kUpperAlnum, 27); });
  tok("sentry-org-token", "SENTRY_AUTH_TOKEN", [](FakeSecrets& f, size_t) {
    std::string json =
        R"({"iat":)" + f.Digits(10) + R"(,"url":"https://sentry.io","region_url":"https://us.sentry.io","org":"acme"})";
    return "sntrys_" + EncodeBase64(json) + "_" + EncodeBase64(f.Bytes(32), false, false);
  });
  tok("sentry-user-token", "SENTRY_TOKEN", [](FakeSecrets& f, size_t) { return "sntryu_" + f.Hex(64); });
  tok("doppler-token", "DOPPLER_TOKEN", [](FakeSecrets& f, size_t v) {
    const char* kinds[] = {"pt", "st", "sa", "ct"};
    return std::string("dp.") + kinds[v % 4] + "." + f.Base62(43);
  });
  tok("pulumi-access-token", "PULUMI_ACCESS_TOKEN", [](FakeSecrets& f, size_t) { return "pul-" + f.Hex(40); });
  tok("planetscale-token", "PLANETSCALE_TOKEN",
      [](FakeSecrets& f, size_t v) { return std::string(v % 2 ? "pscale_pw_" : "pscale_tkn_") + f.Base62(43); });
  tok("linear-api-key", "LINEAR_API_KEY", [](FakeSecrets& f, size_t) { return "lin_api_" + f.Base62(40); });
  tok("supabase-access-token", "SUPABASE_ACCESS_TOKEN", [](FakeSecrets& f, size_t) { return "sbp_" + f.Hex(40); });
  tok("dynatrace-api-token", "DT_API_TOKEN",
      [](FakeSecrets& f, size_t) { return "dt0c01." + f.Chars(kUpperAlnum, 24) + "." + f.Chars(kUpperAlnum, 64); });
  tok("contentful-pat", "CONTENTFUL_MANAGEMENT_TOKEN",
      [](FakeSecrets& f, size_t) { return "CFPAT-" + f.Base64UrlChars(43); });
  tok("square-access-token", "SQUARE_ACCESS_TOKEN", [](FakeSecrets& f, size_t v) {
    return v % 2 ? "sq0atp-" + f.Base64UrlChars(22) : "EAAA" + f.Base64UrlChars(60);
  });
  tok("square-oauth-secret", "SQUARE_OAUTH_SECRET",
      [](FakeSecrets& f, size_t) { return "sq0csp-" + f.Base64UrlChars(43); });
  tok("shippo-api-token", "SHIPPO_API_TOKEN",
      [](FakeSecrets& f, size_t v) { return std::string(v % 2 ? "shippo_test_" : "shippo_live_") + f.Hex(40); });
  tok("firebase-cloud-messaging-key", "FCM_SERVER_KEY",
      [](FakeSecrets& f, size_t) { return "AAAA" + f.Base64UrlChars(7) + ":APA91b" + f.Base64UrlChars(134); });
  tok("mapbox-secret-token", "MAPBOX_SECRET_TOKEN", [](FakeSecrets& f, size_t) {
    std::string json = R"({"u":"acme-maps","a":")" + f.Chars(kLowerAlnum, 25) + R"("})";
    return "sk." + EncodeBase64(json, true, false) + "." + f.Base64UrlChars(22);
  });
  tok("cloudflare-origin-ca-key", "CF_ORIGIN_CA_KEY",
      [](FakeSecrets& f, size_t) { return "v1.0-" + f.Hex(24) + "-" + f.Hex(146); });
  tok("telegram-bot-token", "TELEGRAM_BOT_TOKEN",
      [](FakeSecrets& f, size_t) { return f.Digits(10) + ":AA" + f.Base64UrlChars(33); });
  tok("discord-webhook-url", "DISCORD_WEBHOOK", [](FakeSecrets& f, size_t) {
    return "https://discord.com/api/webhooks/" + f.Digits(19) + "/" + f.Base64UrlChars(68);
  });
  tok("age-secret-key", "SOPS_AGE_KEY", [](FakeSecrets& f, size_t) { return f.AgeSecretKey(); });

  // AI providers
  tok("openai-api-key", "OPENAI_API_KEY",
      [](FakeSecrets& f, size_t) { return "sk-" + f.Base62(20) + "T3BlbkFJ" + f.Base62(20); });
  tok("openai-project-key", "OPENAI_API_KEY", [](FakeSecrets& f, size_t v) {
    const char* kinds[] = {"proj", "svcacct", "admin"};
    return std::string("sk-") + kinds[v % 3] + "-" + f.Base64UrlChars(74) + "T3BlbkFJ" + f.Base64UrlChars(74);
  });
  tok("anthropic-api-key", "ANTHROPIC_API_KEY",
      [](FakeSecrets& f, size_t) { return "sk-ant-api03-" + f.Base64UrlChars(93) + "AA"; });
  tok("anthropic-admin-key", "ANTHROPIC_ADMIN_KEY",
      [](FakeSecrets& f, size_t) { return "sk-ant-admin01-" + f.Base64UrlChars(93) + "AA"; });
  tok("huggingface-org-token", "HF_ORG_TOKEN", [](FakeSecrets& f, size_t) { return "api_org_" + f.Base62(34); });
  tok("groq-api-key", "GROQ_API_KEY", [](FakeSecrets& f, size_t) { return "gsk_" + f.Base62(52); });
  tok("replicate-api-token", "REPLICATE_API_TOKEN", [](FakeSecrets& f, size_t) { return "r8_" + f.Base62(37); });

  // Databases and URLs: passwords of 16 random characters, some URL-safe symbols among them.
  auto password = [](FakeSecrets& f) {
    std::string p = f.Base62(14) + f.Chars("!*-_~", 1) + f.Digits(1);
    std::shuffle(p.begin(), p.end(), f.rng());
    return p;
  };
  auto url = [&](std::string id, std::string name, std::vector<std::pair<std::string, std::string>> shapes) {
    std::string rid = id;
    add(std::move(id), [rid, name, shapes, password](FakeSecrets& f, size_t v) {
      auto& [before, after] = shapes[v % shapes.size()];
      return Around(rid, name, before, password(f), after);
    });
  };
  url("postgres-url-password", "DATABASE_URL",
      {{"postgresql://app_user:", "@db.internal:5432/orders?sslmode=require"},
       {"postgres://svc:", "@10.0.3.7/analytics"},
       {"postgresql+psycopg2://reporting:", "@pg-primary.prod.svc.cluster.local:5432/reports"}});
  url("mysql-url-password", "MYSQL_URL",
      {{"mysql://root:", "@mysql:3306/shop"},
       {"mariadb://wp:", "@mariadb.internal/wordpress"},
       {"mysql+pymysql://etl:", "@warehouse.db.corp:3306/etl"}});
  url("mongodb-url-password", "MONGO_URI",
      {{"mongodb+srv://admin:", "@cluster0.a1b2c.mongodb.net/prod?retryWrites=true&w=majority"},
       {"mongodb://reader:", "@mongo-0.mongo:27017,mongo-1.mongo:27017/app?replicaSet=rs0"}});
  url("redis-url-password", "REDIS_URL",
      {{"redis://:", "@redis-master:6379/0"}, {"rediss://default:", "@cache.internal:6380"}});
  url("amqp-url-password", "AMQP_URL",
      {{"amqp://orders:", "@rabbitmq:5672/orders"}, {"amqps://svc:", "@mq.corp.net/%2F"}});
  url("basic-auth-url", "PIP_INDEX_URL",
      {{"https://deploy:", "@git.corp.internal/platform/infra.git"},
       {"https://__token__:", "@pypi.corp.internal/simple/"},
       {"ftp://backup:", "@ftp.corp.internal/dumps/"}});

  // Generic: a secret-looking name and a high-entropy value of no known shape.
  add("generic-secret-assignment", [](FakeSecrets& f, size_t v) {
    const char* names[] = {"db_password", "client_secret", "apiKey", "SECRET_KEY_BASE", "auth_token", "signing_key"};
    std::string value;
    do {
      value = f.Chars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!@#%^&*-_.~", f.Uniform(20, 40));
    } while (Entropy(value) < 3.9 || value.find_first_of("0123456789") == std::string::npos);
    Sample s = Val("generic-secret-assignment", names[v % 6], value, Form::kNamedValue);
    s.text_only = true;
    return s;
  });
  return m;
}

// --- Files -------------------------------------------------------------------------------------

struct Pending {
  size_t offset;
  std::string rule_id, secret;
};

class Doc {
 public:
  Doc& Add(std::string_view s) {
    text += s;
    return *this;
  }
  // Appends the sample's value and records where its secret lands.
  Doc& Value(const Sample& s) {
    items.push_back({text.size() + s.secret_off, s.rule_id, s.Secret()});
    text += s.value;
    return *this;
  }
  std::string text;
  std::vector<Pending> items;
};

class Writer {
 public:
  explicit Writer(std::string dir) : dir_(std::move(dir)) {}

  Doc& Get(const std::string& rel) { return docs_[rel]; }

  std::vector<CorpusItem> Finish(std::vector<std::string>* decoy_files) {
    std::vector<CorpusItem> out;
    for (auto& [rel, doc] : docs_) {
      WriteFile(dir_ + "/" + rel, doc.text);
      if (doc.items.empty()) {
        if (decoy_files) decoy_files->push_back(rel);
        continue;
      }
      for (const Pending& p : doc.items) {
        if (doc.text.compare(p.offset, p.secret.size(), p.secret) != 0)
          throw std::logic_error("corpus: misplaced secret");
        size_t nl = p.offset == 0 ? std::string::npos : doc.text.rfind('\n', p.offset - 1);
        uint64_t line = 1 + static_cast<uint64_t>(std::count(doc.text.begin(), doc.text.begin() + p.offset, '\n'));
        uint64_t column = nl == std::string::npos ? p.offset + 1 : p.offset - nl;
        out.push_back({rel, p.rule_id, p.secret, line, column});
      }
    }
    for (auto& [rel, doc] : decoys_) {
      WriteFile(dir_ + "/" + rel, doc);
      if (decoy_files) decoy_files->push_back(rel);
    }
    std::sort(out.begin(), out.end(), [](const CorpusItem& a, const CorpusItem& b) {
      return std::tie(a.file, a.line, a.column, a.rule_id) < std::tie(b.file, b.line, b.column, b.rule_id);
    });
    return out;
  }

  void Decoy(const std::string& rel, std::string text) { decoys_[rel] += text; }

 private:
  std::string dir_;
  std::map<std::string, Doc> docs_;
  std::map<std::string, std::string> decoys_;
};

// Kinds of files a single-line sample goes into. Each takes the sample and renders it as that
// file would hold it; `named` says whether the form keeps the name next to the value.
struct Placement {
  const char* file;
  bool named;   // renders name = value
  bool binary;  // the file is binary (text-only rules do not apply)
  std::function<void(Doc&, const Sample&, FakeSecrets&)> put;
};

std::string JsFiller(FakeSecrets& f) {
  static const char* snippets[] = {
      "function(e,t){return e.map(function(n){return n*t})}",
      "var r=document.querySelector(\"#app\");r&&r.classList.add(\"ready\")",
      "for(var i=0;i<n.length;i++){o[n[i].id]=n[i]}",
      "if(!e)throw new Error(\"missing argument\")",
      "e.exports={render:a,mount:u,version:\"3.4.1\"}",
  };
  return snippets[f.Uniform(0, 4)];
}

std::vector<Placement> Placements() {
  std::vector<Placement> p;
  p.push_back(
      {"app/.env", true, false, [](Doc& d, const Sample& s, FakeSecrets&) { d.Add(s.name + "=").Value(s).Add("\n"); }});
  p.push_back({"config/settings.yaml", true, false, [](Doc& d, const Sample& s, FakeSecrets&) {
                 if (d.text.empty()) d.Add("# service configuration\ncredentials:\n");
                 d.Add("  - " + s.name + ": \"").Value(s).Add("\"\n");
               }});
  p.push_back({"config/app.json", true, false, [](Doc& d, const Sample& s, FakeSecrets&) {
                 // Objects one per line in an array; closed by Finish-time text below.
                 if (d.text.empty()) d.Add("{\n  \"settings\": [\n");
                 d.Add("    {\"" + s.name + "\": \"").Value(s).Add("\"},\n");
               }});
  p.push_back({"src/app/settings.py", true, false, [](Doc& d, const Sample& s, FakeSecrets&) {
                 if (d.text.empty()) d.Add("import os\n\nDEBUG = False\n");
                 d.Add(s.name + " = \"").Value(s).Add("\"\n");
               }});
  p.push_back({"web/static/js/app.min.js", true, false, [](Doc& d, const Sample& s, FakeSecrets& f) {
                 if (d.text.empty()) d.Add("!function(){\"use strict\";");
                 d.Add("var c={" + s.name + ":\"").Value(s).Add("\",timeout:3e4};" + JsFiller(f) + ";");
               }});
  p.push_back({"etc/app/app.ini", true, false, [](Doc& d, const Sample& s, FakeSecrets&) {
                 d.Add("[section" + std::to_string(d.items.size()) + "]\n" + s.name + " = ").Value(s).Add("\n\n");
               }});
  p.push_back({"cmd/server/config.go", true, false, [](Doc& d, const Sample& s, FakeSecrets&) {
                 if (d.text.empty()) d.Add("package main\n\nvar (\n");
                 d.Add("\t" + s.name + " = \"").Value(s).Add("\"\n");
               }});
  p.push_back({"infra/prod.tfvars", true, false,
               [](Doc& d, const Sample& s, FakeSecrets&) { d.Add(s.name + " = \"").Value(s).Add("\"\n"); }});
  p.push_back({"Dockerfile", true, false, [](Doc& d, const Sample& s, FakeSecrets&) {
                 if (d.text.empty()) d.Add("FROM debian:bookworm-slim\nWORKDIR /app\n");
                 d.Add("ENV " + s.name + "=").Value(s).Add("\nRUN ./configure --quiet\n");
               }});
  p.push_back({"root/.bash_history", true, false, [](Doc& d, const Sample& s, FakeSecrets&) {
                 d.Add("ls -la\nexport " + s.name + "=").Value(s).Add("\n./deploy.sh --env prod\n");
               }});
  p.push_back({"src/main/resources/application.properties", true, false, [](Doc& d, const Sample& s, FakeSecrets&) {
                 d.Add("service.timeout=30\n" + s.name + "=").Value(s).Add("\n");
               }});
  p.push_back({"usr/local/bin/appserver", true, true, [](Doc& d, const Sample& s, FakeSecrets& f) {
                 if (d.text.empty())
                   d.Add(
                       std::string("\x7f"
                                   "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0",
                                   16));
                 d.Add(f.Bytes(f.Uniform(64, 512))).Add(std::string(1, '\0'));
                 d.Add(s.name + "=").Value(s).Add(std::string(1, '\0'));
               }});
  // Bare placements (the value without its name).
  p.push_back({"deploy/k8s/deployment.yaml", false, false, [](Doc& d, const Sample& s, FakeSecrets&) {
                 if (d.text.empty())
                   d.Add(
                       "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n"
                       "        - name: app\n          env:\n");
                 d.Add("            - name: " + s.name + "\n              value: \"").Value(s).Add("\"\n");
               }});
  p.push_back({"home/ops/.zsh_history", false, false, [](Doc& d, const Sample& s, FakeSecrets& f) {
                 d.Add(": 17" + f.Digits(8) + ":0;curl -sf -H \"Authorization: Bearer ")
                     .Value(s)
                     .Add("\" https://api.internal/v1/health\n");
               }});
  p.push_back({"usr/lib/libclient.so.2", false, true, [](Doc& d, const Sample& s, FakeSecrets& f) {
                 if (d.text.empty())
                   d.Add(
                       std::string("\x7f"
                                   "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0",
                                   16));
                 d.Add(f.Bytes(f.Uniform(32, 700))).Add(std::string(1, '\0')).Value(s).Add(std::string(1, '\0'));
               }});
  p.push_back({"var/log/app/startup.log", false, false, [](Doc& d, const Sample& s, FakeSecrets& f) {
                 d.Add("2024-05-0" + std::to_string(f.Uniform(1, 9)) + "T10:0" + std::to_string(f.Uniform(0, 9)) +
                       ":00Z INFO upstream configured with ")
                     .Value(s)
                     .Add(" (ok)\n");
               }});
  p.push_back({"docs/deploy.md", false, false, [](Doc& d, const Sample& s, FakeSecrets&) {
                 if (d.text.empty()) d.Add("# Deploying\n\nThe pipeline reads its credentials from the vault.\n\n");
                 d.Add("- staging: `").Value(s).Add("`\n");
               }});
  return p;
}

void WriteTrueItems(Writer& w, FakeSecrets& f) {
  auto makers = Makers();
  auto places = Placements();
  std::vector<size_t> named_places, bare_places;
  for (size_t i = 0; i < places.size(); ++i) (places[i].named ? named_places : bare_places).push_back(i);

  size_t rotate = 0;
  for (auto& [id, make] : makers) {
    for (size_t variant = 0; variant < 3; ++variant) {
      Sample s = make(f, variant);
      switch (s.form) {
        case Form::kValue:
        case Form::kNamedValue: {
          // Named forms for every sample, bare forms too for values that stand alone.
          std::vector<size_t> choices = named_places;
          if (s.form == Form::kValue) choices.insert(choices.end(), bare_places.begin(), bare_places.end());
          const Placement* pl = nullptr;
          for (size_t tries = 0; tries < choices.size(); ++tries) {
            pl = &places[choices[(rotate++) % choices.size()]];
            if (!(s.text_only && pl->binary)) break;
          }
          pl->put(w.Get(pl->file), s, f);
          break;
        }
        case Form::kLine: {
          const char* files[] = {"home/app/.npmrc", "Dockerfile", "root/.bash_history"};
          std::string file = files[variant % 3];
          Doc& d = w.Get(file);
          if (file == "Dockerfile") {
            if (d.text.empty()) d.Add("FROM debian:bookworm-slim\nWORKDIR /app\n");
            d.Add("RUN echo \"").Value(s).Add("\" >> /root/.npmrc && npm ci\n");
          } else if (file == "root/.bash_history") {
            d.Add("echo '").Value(s).Add("' >> ~/.npmrc\n");
          } else {
            d.Add("registry=https://registry.npmjs.org/\n").Value(s).Add("\nalways-auth=true\n");
          }
          break;
        }
        case Form::kJson: {
          const char* files[] = {"root/.docker/config.json", "home/ci/.docker/config.json", "config/app.json"};
          std::string file = files[variant % 3];
          Doc& d = w.Get(file);
          if (file == "config/app.json") {
            if (d.text.empty()) d.Add("{\n  \"settings\": [\n");
            d.Add("    {\"" + s.name + "\": \"").Value(s).Add("\"},\n");
          } else {
            if (d.text.empty()) d.Add("{\n\t\"auths\": {\n");
            d.Add("\t\t\"registry" + std::to_string(d.items.size()) + ".corp.internal\": {\n\t\t\t\"" + s.name +
                  "\": \"")
                .Value(s)
                .Add("\"\n\t\t},\n");
          }
          break;
        }
        case Form::kBlock: {
          // Standalone key files, a YAML block scalar, a heredoc in a script, a string in a binary.
          // (PuTTY and SSH2 files do not survive indentation: no YAML or heredoc for them.)
          bool flat = s.rule_id == "private-key-putty" || s.rule_id == "private-key-ssh2-encrypted";
          size_t where = flat ? (variant == 1 ? 3 : 0) : variant < 2 ? variant : 2 + rotate++ % 2;
          if (where == 0) {
            std::string file = "home/dev/keys/" + s.rule_id + "-" + std::to_string(variant) +
                               (s.rule_id == "private-key-putty" ? ".ppk"
                                : s.rule_id == "private-key-pgp" ? ".asc"
                                                                 : ".pem");
            w.Get(file).Value(s).Add("\n");
          } else if (where == 1) {
            Doc& d = w.Get("deploy/k8s/tls-secrets.yaml");
            d.Add("---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: tls-" + std::to_string(d.items.size()) +
                  "\nstringData:\n  tls.key: |\n    ");
            std::string indented;
            for (size_t i = 0; i < s.value.size(); ++i) {
              indented += s.value[i];
              if (s.value[i] == '\n' && i + 1 < s.value.size()) indented += "    ";
            }
            Sample t = s;
            t.value = indented;
            d.Value(t).Add("\n");
          } else if (where == 2) {
            Doc& d = w.Get("scripts/provision.sh");
            if (d.text.empty()) d.Add("#!/bin/sh\nset -eu\n");
            d.Add("install -d -m 700 /etc/app\ncat > /etc/app/key-" + std::to_string(d.items.size()) + ".pem <<'EOF'\n")
                .Value(s)
                .Add("\nEOF\n");
          } else {
            Doc& d = w.Get("usr/local/bin/appserver");
            if (d.text.empty())
              d.Add(
                  std::string("\x7f"
                              "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0",
                              16));
            d.Add(f.Bytes(200)).Add(std::string(1, '\0')).Value(s).Add(std::string(1, '\0'));
          }
          break;
        }
      }
    }
  }

  // Google service-account key files: the PEM as a JSON string.
  for (int i = 0; i < 2; ++i) {
    std::string pem = f.PemPrivateKey("PRIVATE KEY") + "\n";
    std::string escaped;
    for (char c : pem) escaped += c == '\n' ? std::string("\\n") : std::string(1, c);
    Sample s = Val("gcp-service-account-key", "private_key", escaped, Form::kJson);
    std::string project = "proj-" + f.Digits(6);
    Doc& d = w.Get(i ? "opt/app/credentials/gcp-sa.json" : "etc/gcloud/service-account.json");
    d.Add("{\n  \"type\": \"service_account\",\n  \"project_id\": \"" + project + "\",\n  \"private_key_id\": \"" +
          f.Hex(40) + "\",\n  \"private_key\": \"")
        .Value(s)
        .Add("\",\n  \"client_email\": \"deployer@" + project + ".iam.gserviceaccount.com\",\n  \"client_id\": \"" +
             f.Digits(21) +
             "\",\n  \"auth_uri\": \"https://accounts.google.com/o/oauth2/auth\",\n  \"token_uri\": "
             "\"https://oauth2.googleapis.com/token\"\n}\n");
  }

  // Close the JSON documents opened above.
  for (const char* file : {"config/app.json"}) {
    Doc& d = w.Get(file);
    if (d.text.size() >= 2 && d.text.compare(d.text.size() - 2, 2, ",\n") == 0) d.text.erase(d.text.size() - 2, 1);
    d.Add("  ]\n}\n");
  }
  for (const char* file : {"root/.docker/config.json", "home/ci/.docker/config.json"}) {
    Doc& d = w.Get(file);
    if (d.text.size() >= 2 && d.text.compare(d.text.size() - 2, 2, ",\n") == 0) d.text.erase(d.text.size() - 2, 1);
    d.Add("\t},\n\t\"credsStore\": \"\"\n}\n");
  }
  {
    Doc& d = w.Get("cmd/server/config.go");
    d.Add(")\n\nfunc main() {}\n");
    Doc& j = w.Get("web/static/js/app.min.js");
    j.Add("}();\n");
  }
}

// --- Decoys ------------------------------------------------------------------------------------

void WriteDecoys(Writer& w, FakeSecrets& f) {
  // Documented example credentials.
  w.Decoy(
      "docs/aws/credentials-example.md",
      "# Configuring credentials\n\nThe AWS documentation uses these example values:\n\n```ini\n[default]\n"
      "aws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n\n"
      "[user1]\naws_access_key_id = AKIAI44QH8DHBEXAMPLE\n"
      "aws_secret_access_key = je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY\n```\n\n"
      "The Azure storage emulator's well-known key:\n\n"
      "    DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey="
      "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;\n\n"
      "GitHub's documentation shows tokens like ghp_16C7e42F292c6912E7710c838347Ae178B4a.\n");

  // UUIDs.
  {
    std::string t = "[\n";
    for (int i = 0; i < 60; ++i)
      t += "  {\"id\": \"" + f.Uuid() + "\", \"request_id\": \"" + f.Uuid() + "\", \"trace\": \"" + f.Uuid() + "\"},\n";
    t += "  {}\n]\n";
    w.Decoy("data/requests.json", t);
  }

  // Hashes: sha256sum/sha1sum output, package-lock integrity, go.sum, image digests, git objects.
  {
    std::string sums, sha1, lock = "{\n  \"packages\": {\n", gosum, log;
    for (int i = 0; i < 40; ++i) {
      sums += f.Hex(64) + "  dist/pkg-" + std::to_string(i) + ".tar.gz\n";
      sha1 += f.Hex(40) + " *build/obj" + std::to_string(i) + ".o\n";
      lock += "    \"node_modules/pkg" + std::to_string(i) + "\": {\n      \"version\": \"1." + std::to_string(i) +
              ".0\",\n      \"resolved\": \"https://registry.npmjs.org/pkg" + std::to_string(i) + "/-/pkg" +
              std::to_string(i) + "-1.0.0.tgz\",\n      \"integrity\": \"sha512-" + EncodeBase64(f.Bytes(64)) +
              "\"\n    },\n";
      gosum += "github.com/acme/mod" + std::to_string(i) + " v1.2." + std::to_string(i) +
               " h1:" + EncodeBase64(f.Bytes(32)) + "\n";
      log += "commit " + f.Hex(40) +
             "\nAuthor: Jane Doe <jane@corp.internal>\nDate:   Mon May 6 10:00:00 2024\n\n"
             "    Fix flaky test (" +
             f.Hex(7) + ")\n\n";
    }
    lock += "    \"\": {}\n  }\n}\n";
    w.Decoy("checksums/SHA256SUMS", sums);
    w.Decoy("checksums/sha1sums.txt", sha1);
    w.Decoy("app/package-lock.json", lock);
    w.Decoy("app/go.sum", gosum);
    w.Decoy("git/log.txt", log);
    std::string manifest = "{\"schemaVersion\":2,\"config\":{\"digest\":\"sha256:" + f.Hex(64) + "\"},\"layers\":[";
    for (int i = 0; i < 5; ++i) manifest += std::string(i ? "," : "") + "{\"digest\":\"sha256:" + f.Hex(64) + "\"}";
    w.Decoy("oci/manifest.json", manifest + "]}\n");
  }

  // Lorem ipsum.
  w.Decoy("docs/lorem.txt",
          "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et "
          "dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip ex "
          "ea commodo consequat.\nDuis aute irure dolor in reprehenderit in voluptate velit esse cillum dolore eu "
          "fugiat nulla pariatur. Excepteur sint occaecat cupidatat non proident, sunt in culpa qui officia deserunt "
          "mollit anim id est laborum.\n");

  // Base64 images.
  {
    std::string png = EncodeBase64(Png(f, 48, 48));
    w.Decoy("web/assets/logo.html", "<!doctype html><img alt=\"logo\" src=\"data:image/png;base64," + png + "\">\n");
    w.Decoy("web/assets/icon.png.b64", WrapLines(EncodeBase64(Png(f, 64, 32)), 76));
    w.Decoy("web/assets/style.css",
            ".logo{background:url(data:image/png;base64," + EncodeBase64(Png(f, 32, 32)) + ") no-repeat}\n");
  }

  // Placeholders and templates.
  w.Decoy("config/placeholders.env",
          "GITHUB_TOKEN=${GITHUB_TOKEN}\n"
          "AWS_ACCESS_KEY_ID=<your-access-key-id>\n"
          "AWS_SECRET_ACCESS_KEY=<your-secret-access-key>\n"
          "AWS_SESSION_TOKEN=<session-token>\n"
          "DB_PASSWORD=changeme\n"
          "API_KEY=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n"
          "STRIPE_SECRET_KEY=sk_live_xxxxxxxxxxxxxxxxxxxxxxxx\n"
          "SLACK_BOT_TOKEN=xoxb-your-bot-token\n"
          "DATABASE_URL=postgres://user:password@localhost:5432/app\n"
          "DATABASE_URL=postgres://postgres:${POSTGRES_PASSWORD}@db:5432/app\n"
          "REDIS_URL=redis://redis:6379/0\n"
          "MONGO_URL=mongodb://<user>:<password>@cluster0.mongodb.net/db\n"
          "GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n"
          "NPM_TOKEN=npm_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX\n"
          "HEROKU_API_KEY=00000000-0000-0000-0000-000000000000\n"
          "CLIENT_SECRET=$CLIENT_SECRET_FROM_VAULT\n"
          "SECRET_KEY=your-secret-key-goes-here\n"
          "JWT_SECRET=REPLACE_ME_WITH_A_LONG_RANDOM_STRING\n"
          "OPENAI_API_KEY=sk-...\n"
          "SMTP_URL=smtp://mailer:********@smtp.corp.internal:587\n");
  w.Decoy("config/templates.yaml",
          "token: \"{{ .Values.apiToken }}\"\n"
          "password: \"%DATABASE_PASSWORD%\"\n"
          "client_secret: \"${CLIENT_SECRET}\"\n"
          "api_key: <insert-api-key-here>\n"
          "private_key_path: \"/run/secrets/private-key.pem\"\n"
          "password_file: ./secrets/db-password.txt\n"
          "secret_name: database-credentials-prod\n"
          "token_url: \"https://auth.corp.internal/oauth/token\"\n"
          "npmrc: \"//registry.npmjs.org/:_authToken=${NPM_TOKEN}\"\n");

  // Short and low-entropy values.
  w.Decoy("config/weak.yaml",
          "password: \"hunter2\"\n"
          "secret: \"aaaaaaaaaaaaaaaaaaaaaaaa\"\n"
          "token: \"abcabcabcabcabcabcabcabc\"\n"
          "api_key: \"1111222233334444\"\n"
          "session_token: true\n"
          "auth_token: null\n"
          "access_key: AAAABBBBCCCCDDDD\n"
          "aws_access_key_id: AKIAAAAAAAAAAAAAAAAA\n");

  // Code that names secrets without holding them.
  w.Decoy("src/decoy_settings.py",
          "import os\n\n"
          "DB_PASSWORD = os.environ[\"DB_PASSWORD\"]\n"
          "SECRET_KEY = get_random_secret_key()\n"
          "API_TOKEN = settings.integrations.slack.api_token\n"
          "password_policy = \"minimum-length-sixteen-chars\"\n"
          "PasswordResetTokenGenerator = PasswordResetTokenGeneratorBase\n");
  w.Decoy("web/static/js/vendor.min.js",
          "!function(e){var t={password:\"\",token:null,apiKey:e.apiKey,secretKey:this.options.secretKey,"
          "accessToken:window.localStorage.getItem(\"token\"),id:\"" +
              f.Uuid() + "\",hash:\"" + f.Hex(64) + "\",font:\"data:font/woff2;base64," + EncodeBase64(f.Bytes(600)) +
              "\"};e.exports=t}(window);\n");

  // Near-misses: real shapes with broken checksums or structures.
  {
    std::string gh = f.ChecksummedToken("ghp_");
    gh[10] = gh[10] == 'a' ? 'b' : 'a';
    std::string npm = f.ChecksummedToken("npm_");
    npm[39] = npm[39] == '0' ? '1' : '0';
    std::string gho = "gho_" + f.ChecksummedToken("gho_").substr(4, 30) + f.ChecksummedToken("gho_").substr(34);
    std::string pypi = f.PypiToken();
    pypi.resize(pypi.size() - 12);
    std::string bad_jwt_header = EncodeBase64("{\"alg\":\"HS256\"", true, false) + "." +
                                 EncodeBase64("{\"sub\":\"1234567890\"}", true, false) + "." + f.Base64UrlChars(43);
    std::string no_alg_jwt = EncodeBase64("{\"typ\":\"JWT\"}", true, false) + "." +
                             EncodeBase64("{\"sub\":\"1234567890\"}", true, false) + "." + f.Base64UrlChars(43);
    std::string age = f.AgeSecretKey();
    age.back() = age.back() == 'Q' ? 'P' : 'Q';
    std::string rsa_fake = "-----BEGIN RSA PRIVATE KEY-----\n" + WrapLines(EncodeBase64(f.Bytes(600)), 64) +
                           "-----END RSA PRIVATE KEY-----\n";
    std::string ssh_fake = "-----BEGIN OPENSSH PRIVATE KEY-----\n" + WrapLines(EncodeBase64(f.Bytes(300)), 70) +
                           "-----END OPENSSH PRIVATE KEY-----\n";
    std::string doc_key = "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA...\n-----END RSA PRIVATE KEY-----\n";
    w.Decoy("docs/near-misses.txt", "Tokens that look right but are not:\n" + gh + "\n" + npm + "\n" + gho + "\n" +
                                        pypi + "\n" + bad_jwt_header + "\n" + no_alg_jwt + "\n" + age + "\n" +
                                        rsa_fake + ssh_fake + doc_key);
    w.Decoy("root/.docker/config.json.bak",
            "{\n\t\"auths\": {\n\t\t\"ghcr.io\": {},\n\t\t\"registry.corp.internal\": {\n\t\t\t\"auth\": \"" +
                EncodeBase64("usernameonly") +
                "\"\n\t\t},\n\t\t\"quay.io\": {\n\t\t\t\"auth\": \"\"\n\t\t}\n\t},\n"
                "\t\"credsStore\": \"desktop\"\n}\n");
  }

  // Certificates and public keys.
  w.Decoy("etc/ssl/certs/server.crt",
          "-----BEGIN CERTIFICATE-----\n" + WrapLines(EncodeBase64(f.Bytes(900)), 64) + "-----END CERTIFICATE-----\n");
  w.Decoy("etc/ssl/public.pem", "-----BEGIN PUBLIC KEY-----\n" + WrapLines(EncodeBase64(f.Bytes(294)), 64) +
                                    "-----END PUBLIC KEY-----\n-----BEGIN RSA PUBLIC KEY-----\n" +
                                    WrapLines(EncodeBase64(f.Bytes(270)), 64) + "-----END RSA PUBLIC KEY-----\n");
  w.Decoy("home/dev/.ssh/id_ed25519.pub",
          "ssh-ed25519 " + EncodeBase64(SshString("ssh-ed25519") + SshString(f.Bytes(32))) + " dev@laptop\n");
  w.Decoy("home/dev/.ssh/known_hosts",
          "github.com ssh-rsa " +
              EncodeBase64(SshString("ssh-rsa") + SshString("\x01\x00\x01") + SshString(f.Bytes(257))) + "\n");
  w.Decoy("docs/stripe-publishable.md",
          "Publishable keys are public: pk_live_" + f.Base62(99) + " and pk_test_" + f.Base62(24) + ".\n");

  // A binary with format strings and documented values among random bytes.
  {
    std::string bin = std::string(
        "\x7f"
        "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0",
        16);
    for (const char* s :
         {"postgres://%s:%s@%s:%d/%s", "mysql://%s:%s@%s/%s", "Authorization: Bearer %s", "AKIAIOSFODNN7EXAMPLE",
          "password", "invalid token", "https://%s:%s@%s", "redis://:{0}@{1}"}) {
      bin += f.Bytes(f.Uniform(100, 400));
      bin += '\0';
      bin += s;
      bin += '\0';
    }
    bin += f.Bytes(300);
    w.Decoy("usr/lib/x86_64-linux-gnu/libdecoy.so.1", bin);
  }

  // Real-format secrets under paths the built-in allow rules exclude.
  w.Decoy("usr/share/doc/acme-tool/examples/config.yaml",
          "github_token: " + f.ChecksummedToken("ghp_") + "\n" + f.PemPrivateKey("RSA PRIVATE KEY") + "\n");
  w.Decoy("usr/lib/node_modules/jsonwebtoken/test/priv.pem", f.PemPrivateKey("PRIVATE KEY"));
  w.Decoy("usr/lib/python3.11/test/keycert.pem", f.PemPrivateKey("PRIVATE KEY") + "-----BEGIN CERTIFICATE-----\n" +
                                                     WrapLines(EncodeBase64(f.Bytes(700)), 64) +
                                                     "-----END CERTIFICATE-----\n");
  w.Decoy("usr/local/lib/python3.11/site-packages/botocore/tests/fixtures/creds.env",
          "NPM_TOKEN=" + f.ChecksummedToken("npm_") + "\n");
}

}  // namespace

// --- FakeSecrets -------------------------------------------------------------------------------

size_t FakeSecrets::Uniform(size_t lo, size_t hi) { return std::uniform_int_distribution<size_t>(lo, hi)(rng_); }

std::string FakeSecrets::Chars(std::string_view alphabet, size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) out.push_back(alphabet[Uniform(0, alphabet.size() - 1)]);
  return out;
}

std::string FakeSecrets::Base62(size_t n) { return Chars(kBase62, n); }
std::string FakeSecrets::Base64UrlChars(size_t n) {
  return Chars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", n);
}
std::string FakeSecrets::Hex(size_t n) { return Chars("0123456789abcdef", n); }
std::string FakeSecrets::HexUpper(size_t n) { return Chars("0123456789ABCDEF", n); }
std::string FakeSecrets::Digits(size_t n) { return Chars("123456789", 1) + Chars("0123456789", n - 1); }

std::string FakeSecrets::Bytes(size_t n) {
  std::string out(n, '\0');
  for (char& c : out) c = static_cast<char>(Uniform(0, 255));
  return out;
}

std::string FakeSecrets::Uuid() {
  return Hex(8) + "-" + Hex(4) + "-4" + Hex(3) + "-" + Chars("89ab", 1) + Hex(3) + "-" + Hex(12);
}

std::string FakeSecrets::ChecksummedToken(std::string_view prefix) {
  std::string entropy = Base62(30);
  return std::string(prefix) + entropy + ToBase62(Crc32(entropy), 6);
}

std::string FakeSecrets::PypiToken(bool test_pypi) {
  auto field = [](uint8_t tag, std::string_view v) {
    std::string out(1, static_cast<char>(tag));
    size_t n = v.size();
    while (n >= 0x80) {
      out.push_back(static_cast<char>((n & 0x7f) | 0x80));
      n >>= 7;
    }
    out.push_back(static_cast<char>(n));
    return out + std::string(v);
  };
  std::string m(1, '\x02');
  m += field(1, test_pypi ? "test.pypi.org" : "pypi.org");
  m += field(2, Uuid());
  m += '\0';
  m += field(2, R"({"version": 1, "permissions": "user"})");
  m += '\0';
  if (Uniform(0, 1)) {
    m += field(2, R"({"nbf": 1714000000, "exp": 1745536000})");
    m += '\0';
  }
  m += '\0';
  m += field(6, Bytes(32));
  return "pypi-" + EncodeBase64(m, true, false);
}

std::string FakeSecrets::Jwt() {
  const char* algs[] = {"HS256", "RS256", "ES256"};
  std::string alg = algs[Uniform(0, 2)];
  std::string header = R"({"alg":")" + alg + R"(","typ":"JWT"})";
  std::string payload = R"({"sub":")" + Digits(10) + R"(","name":"svc-)" + Chars(kLowerAlnum, 6) + R"(","iat":)" +
                        Digits(10) + R"(,"exp":)" + Digits(10) + "}";
  size_t sig = alg == "HS256" ? 32 : alg == "ES256" ? 64 : 256;
  return EncodeBase64(header, true, false) + "." + EncodeBase64(payload, true, false) + "." +
         EncodeBase64(Bytes(sig), true, false);
}

std::string FakeSecrets::BasicAuthBase64() {
  return EncodeBase64(Chars("abcdefghijklmnopqrstuvwxyz", Uniform(4, 10)) + ":" + Base62(Uniform(12, 24)));
}

std::string FakeSecrets::AgeSecretKey() {
  std::string key = Bech32("age-secret-key-", Bytes(32));
  for (char& c : key)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return key;
}

std::string FakeSecrets::PemPrivateKey(std::string_view label, bool legacy_encrypted) {
  std::string body, headers;
  size_t width = 64;
  if (label == "RSA PRIVATE KEY")
    body = RsaDer(*this);
  else if (label == "EC PRIVATE KEY")
    body = EcDer(*this);
  else if (label == "DSA PRIVATE KEY")
    body = DsaDer(*this);
  else if (label == "PRIVATE KEY")
    body = Pkcs8Der(*this);
  else if (label == "ENCRYPTED PRIVATE KEY")
    body = EncryptedPkcs8Der(*this);
  else if (label == "OPENSSH PRIVATE KEY") {
    body = OpenSshKey(*this);
    width = 70;
  } else if (label == "PGP PRIVATE KEY BLOCK") {
    body = PgpSecretKeyPacket(*this);
    uint32_t crc = Crc24(body);
    std::string c{static_cast<char>(crc >> 16), static_cast<char>(crc >> 8), static_cast<char>(crc)};
    std::string comment = Uniform(0, 1) ? "Comment: https://www.gnupg.org\n" : "";
    return "-----BEGIN PGP PRIVATE KEY BLOCK-----\n" + comment + "\n" + WrapLines(EncodeBase64(body), 64) + "=" +
           EncodeBase64(c) + "\n-----END PGP PRIVATE KEY BLOCK-----";
  } else {
    throw std::invalid_argument("PemPrivateKey: unknown label " + std::string(label));
  }
  if (legacy_encrypted) {
    headers = "Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC," + HexUpper(32) + "\n\n";
    body = Bytes(body.size() - body.size() % 16 + 16);
  }
  std::string b64 = EncodeBase64(body);
  return "-----BEGIN " + std::string(label) + "-----\n" + headers + WrapLines(b64, width) + "-----END " +
         std::string(label) + "-----";
}

std::string FakeSecrets::Ssh2EncryptedKey() {
  std::string body = std::string("\x3f\x6f\xf9\xeb", 4) + Bytes(640);
  return "---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----\nComment: \"rsa-key-2024050" + Digits(1) + "\"\n" +
         WrapLines(EncodeBase64(body), 70) + "---- END SSH2 ENCRYPTED PRIVATE KEY ----";
}

std::string FakeSecrets::PuttyKey() {
  std::string pub = EncodeBase64(SshString("ssh-rsa") + SshString("\x01\x00\x01") + SshString(Bytes(257)));
  std::string priv =
      EncodeBase64(SshString(Bytes(256)) + SshString(Bytes(129)) + SshString(Bytes(129)) + SshString(Bytes(128)));
  std::string pub_lines = WrapLines(pub, 64), priv_lines = WrapLines(priv, 64);
  return "PuTTY-User-Key-File-3: ssh-rsa\nEncryption: none\nComment: rsa-key-" + Digits(8) +
         "\nPublic-Lines: " + std::to_string((pub.size() + 63) / 64) + "\n" + pub_lines +
         "Private-Lines: " + std::to_string((priv.size() + 63) / 64) + "\n" + priv_lines + "Private-MAC: " + Hex(64);
}

std::string EncodeBase64(std::string_view data, bool url, bool pad) {
  const char* alpha = url ? "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
                          : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < data.size(); i += 3) {
    uint32_t v = (static_cast<uint8_t>(data[i]) << 16) | (static_cast<uint8_t>(data[i + 1]) << 8) |
                 static_cast<uint8_t>(data[i + 2]);
    out += alpha[v >> 18];
    out += alpha[(v >> 12) & 63];
    out += alpha[(v >> 6) & 63];
    out += alpha[v & 63];
  }
  size_t rest = data.size() - i;
  if (rest) {
    uint32_t v = static_cast<uint8_t>(data[i]) << 16;
    if (rest == 2) v |= static_cast<uint8_t>(data[i + 1]) << 8;
    out += alpha[v >> 18];
    out += alpha[(v >> 12) & 63];
    if (rest == 2) out += alpha[(v >> 6) & 63];
    if (pad) out.append(3 - rest, '=');
  }
  return out;
}

std::vector<CorpusItem> WriteSecretCorpus(const std::string& dir, uint64_t seed,
                                          std::vector<std::string>* decoy_files) {
  FakeSecrets f(seed);
  Writer w(dir);
  WriteTrueItems(w, f);
  WriteDecoys(w, f);
  return w.Finish(decoy_files);
}

}  // namespace customs_test
