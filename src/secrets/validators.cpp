#include "secrets/validators.h"

#include <zlib.h>

#include <array>
#include <cstring>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "formats/json.h"

namespace customs::secrets {
namespace {

constexpr std::string_view kBase62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

bool IsAlnum(char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

int Base64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+' || c == '-') return 62;
  if (c == '/' || c == '_') return 63;
  return -1;
}

// Prefix (4 characters) + 30 base62 characters + their CRC32 as 6 base62 characters.
bool ValidCrc32Token(std::string_view token, std::string_view prefix) {
  if (token.size() != 40 || token.substr(0, 4) != prefix) return false;
  for (char c : token.substr(4))
    if (!IsAlnum(c)) return false;
  std::string_view entropy = token.substr(4, 30);
  uInt crc = crc32(0L, Z_NULL, 0);
  crc = crc32(crc, reinterpret_cast<const Bytef*>(entropy.data()), static_cast<uInt>(entropy.size()));
  return Base62Checksum(static_cast<uint32_t>(crc)) == token.substr(34);
}

// --- Macaroons (version 2 binary format) ---------------------------------------------------------

struct Reader {
  std::string_view data;
  size_t pos = 0;

  bool Varint(uint64_t& out) {
    out = 0;
    for (int shift = 0; shift < 63; shift += 7) {
      if (pos >= data.size()) return false;
      uint8_t b = static_cast<uint8_t>(data[pos++]);
      out |= static_cast<uint64_t>(b & 0x7f) << shift;
      if (!(b & 0x80)) return true;
    }
    return false;
  }
  bool PeekTag(uint64_t& tag) {
    size_t saved = pos;
    bool ok = Varint(tag);
    pos = saved;
    return ok;
  }
  // A field: tag then length-prefixed bytes (EOS, tag 0, has no length).
  bool Field(uint64_t want, std::string_view* value) {
    uint64_t tag, len;
    if (!Varint(tag) || tag != want) return false;
    if (tag == 0) return true;
    if (!Varint(len) || len > data.size() - pos) return false;
    if (value) *value = data.substr(pos, len);
    pos += len;
    return true;
  }
};

constexpr uint64_t kEos = 0, kLocation = 1, kIdentifier = 2, kVid = 4, kSignature = 6;

bool ValidMacaroonV2(std::string_view m, std::string_view* location) {
  if (m.empty() || m[0] != 2) return false;
  Reader r{m, 1};
  uint64_t tag;
  std::string_view loc, id;
  if (!r.PeekTag(tag)) return false;
  if (tag == kLocation && !r.Field(kLocation, &loc)) return false;
  if (!r.Field(kIdentifier, &id) || id.empty() || !r.Field(kEos, nullptr)) return false;
  // Caveat sections until an empty one (a lone EOS).
  for (int caveats = 0;; ++caveats) {
    if (caveats > 1000 || !r.PeekTag(tag)) return false;
    if (tag == kEos) {
      r.Field(kEos, nullptr);
      break;
    }
    std::string_view cid;
    if (tag == kLocation && !r.Field(kLocation, nullptr)) return false;
    if (!r.Field(kIdentifier, &cid) || cid.empty()) return false;
    if (!r.PeekTag(tag)) return false;
    if (tag == kVid && !r.Field(kVid, nullptr)) return false;
    if (!r.Field(kEos, nullptr)) return false;
  }
  std::string_view sig;
  if (!r.Field(kSignature, &sig) || sig.size() != 32 || r.pos != m.size()) return false;
  *location = loc;
  return true;
}

// --- PEM ---------------------------------------------------------------------------------------

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return s;
}

// One DER SEQUENCE spanning all of `der`, whose first element has tag `first`.
bool DerSequence(std::string_view der, uint8_t first) {
  if (der.size() < 32 || static_cast<uint8_t>(der[0]) != 0x30) return false;
  uint8_t b = static_cast<uint8_t>(der[1]);
  size_t len = 0, hdr = 2;
  if (b < 0x80) {
    len = b;
  } else {
    size_t n = b & 0x7f;
    if (n == 0 || n > 3 || der.size() < 2 + n) return false;
    for (size_t i = 0; i < n; ++i) len = (len << 8) | static_cast<uint8_t>(der[2 + i]);
    hdr = 2 + n;
  }
  return hdr + len == der.size() && static_cast<uint8_t>(der[hdr]) == first;
}

// OpenPGP's CRC24 (RFC 4880 section 6.1).
uint32_t Crc24(std::string_view data) {
  uint32_t crc = 0xB704CE;
  for (char c : data) {
    crc ^= static_cast<uint32_t>(static_cast<uint8_t>(c)) << 16;
    for (int i = 0; i < 8; ++i) {
      crc <<= 1;
      if (crc & 0x1000000) crc ^= 0x1864CFB;
    }
  }
  return crc & 0xFFFFFF;
}

bool ValidPgpSecretKey(std::string_view data, std::string_view checksum) {
  uint8_t b = static_cast<uint8_t>(data[0]);
  if (!(b & 0x80)) return false;
  int tag = (b & 0x40) ? (b & 0x3f) : ((b >> 2) & 0x0f);
  if (tag != 5) return false;         // Secret-Key packet
  if (checksum.empty()) return true;  // optional in the armor
  auto sum = DecodeBase64(checksum);
  if (!sum || sum->size() != 3) return false;
  uint32_t want = (static_cast<uint32_t>(static_cast<uint8_t>((*sum)[0])) << 16) |
                  (static_cast<uint32_t>(static_cast<uint8_t>((*sum)[1])) << 8) |
                  static_cast<uint32_t>(static_cast<uint8_t>((*sum)[2]));
  return Crc24(data) == want;
}

// --- bech32 (BIP-173) --------------------------------------------------------------------------

uint32_t Bech32Polymod(const std::vector<uint8_t>& values) {
  static constexpr uint32_t kGen[5] = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3};
  uint32_t chk = 1;
  for (uint8_t v : values) {
    uint32_t top = chk >> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ v;
    for (int i = 0; i < 5; ++i)
      if ((top >> i) & 1) chk ^= kGen[i];
  }
  return chk;
}

}  // namespace

std::optional<std::string> DecodeBase64(std::string_view text) {
  size_t pad = 0;
  while (!text.empty() && text.back() == '=' && pad < 2) {
    text.remove_suffix(1);
    ++pad;
  }
  if (pad && (text.size() + pad) % 4 != 0) return std::nullopt;
  if (text.size() % 4 == 1) return std::nullopt;
  std::string out;
  out.reserve(text.size() * 3 / 4);
  uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    int v = Base64Value(c);
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  return out;
}

std::string Base62Checksum(uint32_t crc) {
  std::string out;
  while (crc) {
    out.insert(out.begin(), kBase62[crc % 62]);
    crc /= 62;
  }
  while (out.size() < 6) out.insert(out.begin(), '0');
  return out;
}

bool ValidGitHubToken(std::string_view token) {
  if (token.size() != 40 || token.substr(0, 2) != "gh") return false;
  char kind = token[2];
  if (kind != 'p' && kind != 'o' && kind != 'u' && kind != 's' && kind != 'r') return false;
  return ValidCrc32Token(token, token.substr(0, 4));
}

bool ValidGitHubRefreshToken(std::string_view token) {
  if (token.substr(0, 4) != "ghr_") return false;
  if (token.size() == 40) return ValidGitHubToken(token);
  if (token.size() > 80) return false;
  for (char c : token.substr(4))
    if (!IsAlnum(c)) return false;
  return true;
}

bool ValidNpmToken(std::string_view token) { return ValidCrc32Token(token, "npm_"); }

bool ValidPypiToken(std::string_view token) {
  if (token.substr(0, 5) != "pypi-") return false;
  auto raw = DecodeBase64(token.substr(5));
  if (!raw) return false;
  std::string_view location;
  if (!ValidMacaroonV2(*raw, &location)) return false;
  return location == "pypi.org" || location == "test.pypi.org";
}

bool ValidJwt(std::string_view token) {
  size_t a = token.find('.');
  if (a == std::string_view::npos) return false;
  size_t b = token.find('.', a + 1);
  if (b == std::string_view::npos || token.find('.', b + 1) != std::string_view::npos) return false;
  std::string_view signature = token.substr(b + 1);
  if (signature.empty()) return false;
  for (char c : signature)
    if (!IsAlnum(c) && c != '-' && c != '_') return false;
  auto header = DecodeBase64(token.substr(0, a));
  auto payload = DecodeBase64(token.substr(a + 1, b - a - 1));
  if (!header || !payload) return false;
  // A token-shaped string anywhere in a file: one whose JSON crosses a limit is just not a JWT.
  auto parse = [](const std::string& text) {
    try {
      return ParseJsonOrDiscarded(text, "JWT");
    } catch (const LimitError&) {
      return nlohmann::json(nlohmann::json::value_t::discarded);
    }
  };
  auto h = parse(*header);
  auto p = parse(*payload);
  if (h.is_discarded() || !h.is_object() || p.is_discarded() || !p.is_object()) return false;
  auto alg = h.find("alg");
  return alg != h.end() && alg->is_string() && !alg->get<std::string>().empty();
}

bool ValidBasicAuthBase64(std::string_view value) {
  auto raw = DecodeBase64(value);
  if (!raw || raw->size() < 3) return false;
  for (char c : *raw)
    if (c < 0x20 || c > 0x7e) return false;
  size_t colon = raw->find(':');
  return colon != std::string::npos && colon > 0 && colon + 1 < raw->size();
}

bool ValidPemPrivateKey(std::string_view block) {
  block = Trim(block);
  std::string_view label, end_marker;
  bool ssh2 = false;
  constexpr std::string_view kSsh2Begin = "---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----";
  if (block.substr(0, kSsh2Begin.size()) == kSsh2Begin) {
    ssh2 = true;
    label = "SSH2 ENCRYPTED PRIVATE KEY";
    end_marker = "---- END SSH2 ENCRYPTED PRIVATE KEY ----";
    block.remove_prefix(kSsh2Begin.size());
  } else {
    if (block.substr(0, 11) != "-----BEGIN ") return false;
    block.remove_prefix(11);
    size_t dash = block.find("-----");
    if (dash == std::string_view::npos) return false;
    label = block.substr(0, dash);
    block.remove_prefix(dash + 5);
  }
  std::string end = ssh2 ? std::string(end_marker) : "-----END " + std::string(label) + "-----";
  size_t end_at = block.rfind(end);
  if (end_at == std::string_view::npos) return false;
  std::string_view body = block.substr(0, end_at);

  // Headers ("Name: value", RFC 1421 / RFC 4880 / RFC 4716, which also continues lines with a
  // trailing backslash) come first; then base64 lines, and for PGP a "=XXXX" CRC24 line.
  std::string b64;
  std::string_view checksum;
  bool in_headers = true, continued = false, legacy_encrypted = false, first = true;
  while (!body.empty()) {
    size_t nl = body.find('\n');
    std::string_view line = Trim(body.substr(0, nl));
    body = nl == std::string_view::npos ? std::string_view() : body.substr(nl + 1);
    if (first) {  // the rest of the BEGIN line
      first = false;
      if (line.empty()) continue;
    }
    if (line.empty()) {
      in_headers = false;
      continue;
    }
    if (in_headers && (continued || line.find(':') != std::string_view::npos)) {
      if (line.substr(0, 10) == "Proc-Type:" && line.find("ENCRYPTED") != std::string_view::npos)
        legacy_encrypted = true;
      continued = line.back() == '\\';
      continue;
    }
    in_headers = false;
    if (line[0] == '=' && line.size() == 5) {
      checksum = line.substr(1);
      continue;
    }
    if (!checksum.empty()) return false;  // nothing after the checksum line
    b64.append(line);
  }
  auto der = DecodeBase64(b64);
  if (!der || der->size() < 32) return false;

  if (ssh2) return der->substr(0, 4) == std::string_view("\x3f\x6f\xf9\xeb", 4);
  if (label == "OPENSSH PRIVATE KEY") return der->substr(0, 15) == std::string_view("openssh-key-v1\0", 15);
  if (label == "PGP PRIVATE KEY BLOCK") return ValidPgpSecretKey(*der, checksum);
  if (legacy_encrypted) return label == "RSA PRIVATE KEY" || label == "EC PRIVATE KEY" || label == "DSA PRIVATE KEY";
  if (label == "ENCRYPTED PRIVATE KEY") return DerSequence(*der, 0x30);
  if (label == "RSA PRIVATE KEY" || label == "EC PRIVATE KEY" || label == "DSA PRIVATE KEY" || label == "PRIVATE KEY")
    return DerSequence(*der, 0x02);
  return false;
}

bool ValidJsonEscapedPemPrivateKey(std::string_view escaped) {
  std::string pem;
  pem.reserve(escaped.size());
  for (size_t i = 0; i < escaped.size(); ++i) {
    if (escaped[i] == '\\' && i + 1 < escaped.size()) {
      char n = escaped[++i];
      if (n == 'n')
        pem.push_back('\n');
      else if (n == 'r')
        continue;
      else if (n == '/' || n == '\\')
        pem.push_back(n);
      else
        return false;
    } else {
      pem.push_back(escaped[i]);
    }
  }
  return ValidPemPrivateKey(pem);
}

bool ValidAgeSecretKey(std::string_view key) {
  constexpr std::string_view kCharset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
  constexpr std::string_view kHrp = "age-secret-key-";
  if (key.size() != kHrp.size() + 1 + 58) return false;
  std::string lower;
  for (char c : key) lower.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  if (lower.substr(0, kHrp.size()) != kHrp || lower[kHrp.size()] != '1') return false;
  std::vector<uint8_t> values;
  for (char c : kHrp) values.push_back(static_cast<uint8_t>(c) >> 5);
  values.push_back(0);
  for (char c : kHrp) values.push_back(static_cast<uint8_t>(c) & 31);
  std::vector<uint8_t> data;
  for (char c : std::string_view(lower).substr(kHrp.size() + 1)) {
    size_t v = kCharset.find(c);
    if (v == std::string_view::npos) return false;
    data.push_back(static_cast<uint8_t>(v));
  }
  values.insert(values.end(), data.begin(), data.end());
  if (Bech32Polymod(values) != 1) return false;
  // 52 groups of 5 bits: 32 bytes and 4 zero padding bits.
  return (data[51] & 0x0f) == 0;
}

}  // namespace customs::secrets
