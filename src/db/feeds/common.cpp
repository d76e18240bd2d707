// Shared parser helpers and the feed table (list.inc).
#include <yaml-cpp/yaml.h>
#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <system_error>

#include "core/error.h"
#include "db/feeds/docs.h"
#include "db/feeds/feed.h"
#include "formats/json.h"
#include "formats/yaml.h"

namespace customs::db {

#define CUSTOMS_FEED(id) const Feed& Feed_##id();
#include "db/feeds/list.inc"
#undef CUSTOMS_FEED

const std::vector<const Feed*>& Feeds() {
  static const std::vector<const Feed*> feeds = {
#define CUSTOMS_FEED(id) &Feed_##id(),
#include "db/feeds/list.inc"
#undef CUSTOMS_FEED
  };
  return feeds;
}

const Feed* FindFeed(std::string_view id) {
  for (const Feed* f : Feeds())
    if (id == f->id) return f;
  return nullptr;
}

const Feed* FeedForSource(std::string_view source) {
  const std::string name(source);
  for (const Feed* f : Feeds())
    if (f->MatchesDirName(name)) return f;
  return nullptr;
}

std::vector<std::filesystem::path> ListFiles(const std::filesystem::path& path) {
  namespace fs = std::filesystem;
  std::vector<fs::path> out;
  std::error_code ec;
  auto st = fs::symlink_status(path, ec);
  if (ec) return out;
  if (fs::is_regular_file(st)) {
    out.push_back(path);
    return out;
  }
  if (!fs::is_directory(st)) return out;
  for (fs::recursive_directory_iterator it(path, fs::directory_options::skip_permission_denied, ec), end;
       !ec && it != end; it.increment(ec)) {
    if (it->is_regular_file(ec) && !it->is_symlink(ec)) out.push_back(it->path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

bool ReadWholeFile(const std::filesystem::path& path, std::string& out, std::string& error, uint64_t max_bytes) {
  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  if (ec) {
    error = ec.message();
    return false;
  }
  if (size > max_bytes) {
    error = "file too large (" + std::to_string(size) + " bytes)";
    return false;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "cannot open";
    return false;
  }
  out.assign(size_t(size), '\0');
  in.read(out.data(), std::streamsize(size));
  out.resize(size_t(in.gcount()));
  return true;
}

bool IsGzip(std::string_view data) {
  return data.size() >= 2 && static_cast<unsigned char>(data[0]) == 0x1f && static_cast<unsigned char>(data[1]) == 0x8b;
}

bool Gunzip(std::string_view in, std::string& out, std::string& error, uint64_t max_bytes) {
  out.clear();
  z_stream z{};
  if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) return error = "cannot initialize zlib", false;
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  size_t fed = 0;
  char buf[1 << 16];
  bool ok = true, ended = false;
  while (ok) {
    if (z.avail_in == 0 && fed < in.size()) {
      uInt chunk = uInt(std::min<size_t>(in.size() - fed, 1u << 30));
      z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data() + fed));
      z.avail_in = chunk;
      fed += chunk;
    }
    z.next_out = reinterpret_cast<Bytef*>(buf);
    z.avail_out = sizeof buf;
    int rc = inflate(&z, Z_NO_FLUSH);
    size_t n = sizeof buf - z.avail_out;
    if (out.size() + n > max_bytes) {
      error = "decompressed size over the limit of " + std::to_string(max_bytes) + " bytes";
      ok = false;
      break;
    }
    out.append(buf, n);
    if (rc == Z_STREAM_END) {
      ended = true;
      // Another member follows (concatenated gzip, as `cat a.gz b.gz` makes)?
      if (z.avail_in == 0 && fed == in.size()) break;
      if (z.avail_in >= 2 && z.next_in[0] == 0x1f && z.next_in[1] == 0x8b) {
        inflateReset(&z);
        ended = false;
        continue;
      }
      break;  // trailing garbage after the last member is ignored, as gzip(1) warns and does
    }
    if (rc == Z_BUF_ERROR && z.avail_in == 0 && fed == in.size()) break;  // input ended mid-stream
    if (rc != Z_OK) {
      error = std::string("corrupt gzip data") + (z.msg ? std::string(" (") + z.msg + ")" : "");
      ok = false;
    }
  }
  inflateEnd(&z);
  if (ok && !ended) error = "truncated gzip data", ok = false;
  if (!ok) out.clear();
  return ok;
}

bool ReadMaybeGzip(const std::filesystem::path& path, std::string& out, std::string& error, uint64_t max_bytes) {
  std::string raw;
  if (!ReadWholeFile(path, raw, error, max_bytes)) return false;
  if (!IsGzip(raw)) {
    out = std::move(raw);
    return true;
  }
  return Gunzip(raw, out, error, max_bytes);
}

std::string Trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}
bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}
bool StartsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }
std::string Lower(std::string_view s) {
  std::string o(s);
  for (auto& c : o) c = char(std::tolower(static_cast<unsigned char>(c)));
  return o;
}
void SortUnique(std::vector<std::string>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

// ---- documents ----

namespace {

constexpr int kMaxDepth = 200;

bool YamlToJson(const YAML::Node& n, nlohmann::json& out, int depth) {
  if (depth > kMaxDepth) return false;
  switch (n.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      out = nullptr;
      return true;
    case YAML::NodeType::Scalar:
      out = n.Scalar();
      return true;
    case YAML::NodeType::Sequence:
      out = nlohmann::json::array();
      for (const auto& e : n) {
        nlohmann::json v;
        if (!YamlToJson(e, v, depth + 1)) return false;
        out.push_back(std::move(v));
      }
      return true;
    case YAML::NodeType::Map:
      out = nlohmann::json::object();
      for (const auto& kv : n) {
        if (!kv.first.IsScalar()) return false;
        nlohmann::json v;
        if (!YamlToJson(kv.second, v, depth + 1)) return false;
        out[kv.first.Scalar()] = std::move(v);
      }
      return true;
  }
  return false;
}

}  // namespace

bool IsYamlName(std::string_view name) {
  std::string n = Lower(name);
  return EndsWith(n, ".yaml") || EndsWith(n, ".yml");
}

bool ParseDocument(std::string_view data, bool yaml, nlohmann::json& out, std::string& error, std::string_view where) {
  if (!yaml) {
    // Feeds are untrusted too; yearly NVD files are large, hence the wider limits.
    JsonLimits limits;
    limits.max_bytes = 1u << 30;
    limits.max_elements = 100'000'000;
    out = ParseJsonOrDiscarded(data, where, limits);
    if (out.is_discarded()) {
      error = "invalid JSON";
      return false;
    }
    return true;
  }
  try {
    YAML::Node n = LoadDocument(data, where);
    if (!YamlToJson(n, out, 0)) {
      error = "YAML nesting too deep or non-scalar key";
      return false;
    }
    return true;
  } catch (const YAML::Exception& e) {
    error = std::string("invalid YAML: ") + e.what();
    return false;
  } catch (const LimitError&) {
    throw;  // the feed file is rejected, not skipped
  } catch (const std::exception& e) {
    error = std::string("invalid YAML: ") + e.what();
    return false;
  }
}

std::string AsStr(const nlohmann::json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
  if (v.is_number_unsigned()) return std::to_string(v.get<uint64_t>());
  if (v.is_number_float() || v.is_boolean()) return v.dump();
  return "";
}

const nlohmann::json* Child(const nlohmann::json& j, const char* key) {
  if (!j.is_object()) return nullptr;
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return nullptr;
  return &*it;
}

std::string Str(const nlohmann::json& j, const char* key) {
  const auto* c = Child(j, key);
  return c ? AsStr(*c) : "";
}

std::vector<std::string> StrList(const nlohmann::json& j, const char* key) {
  std::vector<std::string> out;
  const auto* c = Child(j, key);
  if (!c || !c->is_array()) return out;
  for (const auto& e : *c) {
    std::string s = AsStr(e);
    if (!s.empty()) out.push_back(std::move(s));
  }
  return out;
}

}  // namespace customs::db
