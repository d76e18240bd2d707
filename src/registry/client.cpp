// The distribution API over libcurl (OCI distribution spec: /v2/<name>/manifests/<reference>,
// /v2/<name>/blobs/<digest>, monolithic uploads), with the Bearer token flow and basic auth.
//
// Security notes: Authorization headers are only ever sent to the registry's own host (blob
// redirects to storage are followed by hand, without them); plain HTTP only for the hosts named in
// ClientOptions::insecure_registries; nothing secret is logged or put in an error message.
#include "registry/client.h"


#include <algorithm>
#include <cctype>
#include <cstring>
#include <exception>
#include <map>
#include <mutex>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "core/curl_lib.h"
#include "core/error.h"
#include "core/sha256.h"
#include "formats/json.h"
#include "registry/auth.h"
#include "registry/manifest.h"
#include "registry/www_authenticate.h"

namespace customs::registry {

namespace {

constexpr uint64_t kMaxManifestBytes = 4u << 20;  // distribution's own limit
constexpr uint64_t kMaxErrorBody = 64u << 10;
constexpr int kMaxRedirects = 5;

using Kind = RegistryError::Kind;

std::string Lower(std::string s) {
  for (auto& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

struct Request {
  std::string method = "GET";
  std::string url;
  std::vector<std::string> headers;
  std::string_view upload;      // PUT/POST body
  bool has_body = false;
  bool follow_redirects = false;  // only for requests that carry no credentials
  // Streaming: called for the body of a 2xx response; the rest is buffered (capped) in `body`.
  const std::function<void(const void*, size_t)>* sink = nullptr;
  uint64_t max_body = kMaxManifestBytes;
};

struct Response {
  long status = 0;
  std::map<std::string, std::string> headers;  // names lowercased; repeated WWW-Authenticate joined
  std::string body;
  std::string redirect_url;
  bool too_large = false;
};

// "scheme://host:port/path" -> "scheme://host:port" (for messages; URLs here never carry userinfo).
std::string Origin(const std::string& url) {
  size_t p = url.find("://");
  if (p == std::string::npos) return url;
  size_t slash = url.find('/', p + 3);
  return slash == std::string::npos ? url : url.substr(0, slash);
}

std::string HostOf(const std::string& url) {
  std::string o = Origin(url);
  size_t p = o.find("://");
  return p == std::string::npos ? o : o.substr(p + 3);
}

// The message of a distribution error body ({"errors":[{"code":…,"message":…}]}), if any.
std::string ErrorDetail(const std::string& body) {
  nlohmann::json j;
  try {
    j = ParseJsonOrDiscarded(body, "registry error response");
  } catch (const LimitError&) {
    return "";  // only a detail for the real error: the HTTP status
  }
  if (j.is_discarded() || !j.is_object() || !j.contains("errors") || !j["errors"].is_array()) return "";
  std::string out;
  for (const auto& e : j["errors"]) {
    if (!e.is_object()) continue;
    std::string code = e.value("code", std::string()), msg = e.value("message", std::string());
    std::string one = code.empty() ? msg : code + (msg.empty() ? "" : ": " + msg);
    if (!one.empty()) out += (out.empty() ? "" : "; ") + one.substr(0, 200);
  }
  return out;
}

}  // namespace

struct Client::Impl {
  ClientOptions opts;
  CURL* curl = nullptr;
  TokenCache tokens;
  std::map<std::string, std::string> authorization;  // registry\nrepo\npush -> Authorization header
  std::optional<Credentials> creds;
  bool creds_loaded = false;
  std::string creds_registry;

  explicit Impl(ClientOptions o) : opts(std::move(o)) {
    curl = curl::Lib().easy_init();
    if (!curl) throw RegistryError(Kind::kUnreachable, "cannot initialise libcurl");
  }
  ~Impl() { curl::Lib().easy_cleanup(curl); }

  bool Insecure(const std::string& registry) const {
    return std::find(opts.insecure_registries.begin(), opts.insecure_registries.end(), registry) !=
           opts.insecure_registries.end();
  }
  static std::string ApiHost(const std::string& registry) {
    return registry == "docker.io" ? "registry-1.docker.io" : registry;
  }
  std::string Base(const Reference& r) const {
    return (Insecure(r.registry) ? "http://" : "https://") + ApiHost(r.registry) + "/v2/" + r.repository;
  }

  std::optional<Credentials> CredentialsFor(const std::string& registry) {
    if (creds_loaded && creds_registry == registry) return creds;
    creds_loaded = true;
    creds_registry = registry;
    creds.reset();
    if (!opts.username.empty() || !opts.password.empty()) {
      creds = Credentials{opts.username, opts.password};
    } else {
      const std::string path = opts.docker_config.empty() ? DefaultDockerConfigPath() : opts.docker_config;
      creds = LookupDockerConfig(path, registry);
    }
    return creds;
  }

  // ---- raw HTTP ------------------------------------------------------------------------------

  struct Transfer {
    Impl* self = nullptr;
    const Request* req = nullptr;
    Response* resp = nullptr;
    size_t upload_off = 0;
    uint64_t received = 0;
    std::exception_ptr sink_error;
  };

  static size_t OnHeader(char* data, size_t size, size_t n, void* ud) {
    auto* t = static_cast<Transfer*>(ud);
    std::string line(data, size * n);
    if (line.rfind("HTTP/", 0) == 0) {  // a new response (after 100 Continue, say): start over
      t->resp->headers.clear();
      return size * n;
    }
    size_t colon = line.find(':');
    if (colon == std::string::npos) return size * n;
    std::string name = Lower(line.substr(0, colon));
    std::string value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.erase(0, 1);
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) value.pop_back();
    auto& slot = t->resp->headers[name];
    slot = slot.empty() ? value : slot + ", " + value;
    return size * n;
  }

  static size_t OnWrite(char* data, size_t size, size_t n, void* ud) {
    auto* t = static_cast<Transfer*>(ud);
    size_t len = size * n;
    long status = 0;
    curl::Lib().easy_getinfo(t->self->curl, CURLINFO_RESPONSE_CODE, &status);
    t->received += len;
    if (status >= 200 && status < 300 && t->req->sink) {
      try {
        (*t->req->sink)(data, len);
      } catch (...) {
        t->sink_error = std::current_exception();
        return 0;  // aborts the transfer; Perform rethrows
      }
      return len;
    }
    uint64_t cap = (status >= 200 && status < 300) ? t->req->max_body : kMaxErrorBody;
    if (t->resp->body.size() + len > cap) {
      if (status >= 200 && status < 300) {
        t->resp->too_large = true;
        return 0;
      }
      return len;  // error bodies: keep the start only
    }
    t->resp->body.append(data, len);
    return len;
  }

  static size_t OnRead(char* buf, size_t size, size_t n, void* ud) {
    auto* t = static_cast<Transfer*>(ud);
    size_t left = t->req->upload.size() - t->upload_off;
    size_t len = std::min(left, size * n);
    std::memcpy(buf, t->req->upload.data() + t->upload_off, len);
    t->upload_off += len;
    return len;
  }

  Response Perform(const Request& req) {
    Response resp;
    Transfer t;
    t.self = this;
    t.req = &req;
    t.resp = &resp;
    char errbuf[CURL_ERROR_SIZE] = {0};
    const curl::Api& api = curl::Lib();
    api.easy_reset(curl);
    api.easy_setopt(curl, CURLOPT_URL, req.url.c_str());
    api.easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
    api.easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    api.easy_setopt(curl, CURLOPT_USERAGENT, opts.user_agent.c_str());
    api.easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 30L);
    api.easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
    api.easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, 120L);
    api.easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    api.easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "https");
    api.easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
    api.easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!opts.ca_file.empty()) api.easy_setopt(curl, CURLOPT_CAINFO, opts.ca_file.c_str());
    api.easy_setopt(curl, CURLOPT_HEADERFUNCTION, &Impl::OnHeader);
    api.easy_setopt(curl, CURLOPT_HEADERDATA, &t);
    api.easy_setopt(curl, CURLOPT_WRITEFUNCTION, &Impl::OnWrite);
    api.easy_setopt(curl, CURLOPT_WRITEDATA, &t);
    api.easy_setopt(curl, CURLOPT_FOLLOWLOCATION, req.follow_redirects ? 1L : 0L);
    api.easy_setopt(curl, CURLOPT_MAXREDIRS, long(kMaxRedirects));
    if (req.method == "HEAD") {
      api.easy_setopt(curl, CURLOPT_NOBODY, 1L);
    } else if (req.method == "PUT" || req.method == "POST") {
      if (req.method == "PUT") api.easy_setopt(curl, CURLOPT_UPLOAD, 1L);
      else api.easy_setopt(curl, CURLOPT_POST, 1L);
      api.easy_setopt(curl, CURLOPT_READFUNCTION, &Impl::OnRead);
      api.easy_setopt(curl, CURLOPT_READDATA, &t);
      if (req.method == "PUT") api.easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, curl_off_t(req.upload.size()));
      else api.easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(req.upload.size()));
    } else if (req.method != "GET") {
      api.easy_setopt(curl, CURLOPT_CUSTOMREQUEST, req.method.c_str());
    }
    struct curl_slist* hdrs = nullptr;
    for (const auto& h : req.headers) hdrs = api.slist_append(hdrs, h.c_str());
    // No "Expect: 100-continue" round trip for uploads.
    if (req.method == "PUT" || req.method == "POST") hdrs = api.slist_append(hdrs, "Expect:");
    api.easy_setopt(curl, CURLOPT_HTTPHEADER, hdrs);
    CURLcode rc = api.easy_perform(curl);
    api.slist_free_all(hdrs);
    api.easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &resp.status);
    if (char* r = nullptr; api.easy_getinfo(curl, CURLINFO_REDIRECT_URL, &r) == CURLE_OK && r) resp.redirect_url = r;
    if (rc == CURLE_WRITE_ERROR && resp.too_large) return resp;
    if (t.sink_error) std::rethrow_exception(t.sink_error);
    if (rc != CURLE_OK) {
      std::string why = errbuf[0] ? errbuf : api.easy_strerror(rc);
      if (rc == CURLE_PEER_FAILED_VERIFICATION)
        why += " (the registry's certificate is not trusted: name its CA with --cacert FILE)";
      else if (rc == CURLE_SSL_CONNECT_ERROR && req.url.rfind("https://", 0) == 0)
        why += " (TLS handshake failed; if the registry speaks plain HTTP, name it with --insecure HOST)";
      throw RegistryError(Kind::kUnreachable, Origin(req.url) + ": " + why);
    }
    return resp;
  }

  // ---- authenticated requests ----------------------------------------------------------------

  std::string AuthKey(const Reference& r, bool push) const {
    return r.registry + "\n" + r.repository + "\n" + (push ? "push" : "pull");
  }

  // Gets an Authorization header for a 401 answer's challenges; "" when there is nothing to try.
  std::string Authenticate(const Reference& r, bool push, const Response& denied) {
    auto it = denied.headers.find("www-authenticate");
    if (it == denied.headers.end())
      throw RegistryError(Kind::kAuth, r.registry + ": authentication required, but the registry sent no challenge");
    std::vector<Challenge> challenges = ParseWwwAuthenticate(it->second);
    auto cred = CredentialsFor(r.registry);
    for (const auto& c : challenges) {
      if (c.scheme == "bearer") {
        const std::string scope = RepositoryScope(r.repository, push);
        if (auto tok = tokens.Get(r.registry, scope)) return "Authorization: Bearer " + *tok;
        Request tr;
        tr.url = TokenUrl(c, scope);
        if (tr.url.rfind("http://", 0) == 0 && !Insecure(HostOf(tr.url)) && HostOf(tr.url) != r.registry)
          throw RegistryError(Kind::kAuth, r.registry + ": the token realm " + Origin(tr.url) +
                                               " is plain HTTP (name it with --insecure to allow that)");
        if (cred && !cred->empty()) tr.headers.push_back("Authorization: " + BasicAuthorization(*cred));
        tr.max_body = 1u << 20;
        Response tresp = Perform(tr);
        if (tresp.status == 401 || tresp.status == 403)
          throw RegistryError(Kind::kAuth, r.registry + ": the token service " + Origin(tr.url) + " refused " +
                                               (cred ? "the credentials (wrong username or password?)"
                                                     : "anonymous access (log in: customs registry login " +
                                                           r.registry + ")"));
        if (tresp.status != 200)
          throw RegistryError(Kind::kProtocol, r.registry + ": the token service answered HTTP " +
                                                   std::to_string(tresp.status));
        std::string token = ParseTokenResponse(tresp.body);
        tokens.Put(r.registry, scope, token);
        return "Authorization: Bearer " + token;
      }
    }
    for (const auto& c : challenges) {
      if (c.scheme == "basic") {
        if (!cred)
          throw RegistryError(Kind::kAuth, r.registry + ": the registry requires a login (customs registry login " +
                                               r.registry + ", or --username/--password)");
        return "Authorization: " + BasicAuthorization(*cred);
      }
    }
    throw RegistryError(Kind::kAuth, r.registry + ": no supported authentication scheme offered (only Bearer and Basic)");
  }

  void CheckLogin(const std::string& registry) {
    Reference r;
    r.registry = registry;
    Request req;
    req.url = (Insecure(registry) ? "http://" : "https://") + ApiHost(registry) + "/v2/";
    Response resp = Perform(req);
    if (resp.status == 401) {
      auto it = resp.headers.find("www-authenticate");
      if (it == resp.headers.end())
        throw RegistryError(Kind::kAuth, registry + ": authentication required, but the registry sent no challenge");
      auto cred = CredentialsFor(registry);
      if (!cred) throw RegistryError(Kind::kAuth, registry + ": no credentials to check");
      std::string auth;
      for (const auto& c : ParseWwwAuthenticate(it->second)) {
        if (c.scheme == "bearer") {
          Request tr;
          tr.url = TokenUrl(c, "");
          tr.headers.push_back("Authorization: " + BasicAuthorization(*cred));
          tr.max_body = 1u << 20;
          Response tresp = Perform(tr);
          if (tresp.status == 401 || tresp.status == 403)
            throw RegistryError(Kind::kAuth, registry + ": login refused (wrong username or password?)");
          if (tresp.status != 200)
            throw RegistryError(Kind::kProtocol, registry + ": the token service answered HTTP " +
                                                     std::to_string(tresp.status));
          auth = "Authorization: Bearer " + ParseTokenResponse(tresp.body);
          break;
        }
        if (c.scheme == "basic") {
          auth = "Authorization: " + BasicAuthorization(*cred);
          break;
        }
      }
      if (auth.empty())
        throw RegistryError(Kind::kAuth, registry + ": no supported authentication scheme offered (only Bearer and Basic)");
      req.headers.push_back(auth);
      resp = Perform(req);
      if (resp.status == 401 || resp.status == 403)
        throw RegistryError(Kind::kAuth, registry + ": login refused (wrong username or password?)");
    }
    if (resp.status != 200)
      throw RegistryError(resp.status == 404 ? Kind::kNotFound : Kind::kProtocol,
                          registry + ": /v2/ answered HTTP " + std::to_string(resp.status) +
                              " (not an OCI distribution registry?)");
  }

  // Sends `req` (URL under the repository's API) with the cached authorization, authenticating once
  // on a 401. Upload bodies are re-sent as they are in memory.
  Response Send(const Reference& r, bool push, Request req) {
    const std::string key = AuthKey(r, push);
    std::vector<std::string> base_headers = req.headers;
    auto attempt = [&](const std::string& auth) {
      Request q = req;
      q.headers = base_headers;
      if (!auth.empty()) q.headers.push_back(auth);
      return Perform(q);
    };
    auto cached = authorization.find(key);
    Response resp = attempt(cached == authorization.end() ? "" : cached->second);
    if (resp.status == 401) {
      if (cached != authorization.end()) {  // an expired token: drop it and start over
        tokens.Drop(r.registry, RepositoryScope(r.repository, push));
        authorization.erase(key);
      }
      std::string auth = Authenticate(r, push, resp);
      resp = attempt(auth);
      if (resp.status == 401)
        throw RegistryError(Kind::kAuth, r.registry + ": authentication failed for " + r.repository +
                                             (CredentialsFor(r.registry) ? " (wrong username or password?)"
                                                                         : " (log in first: customs registry login " +
                                                                               r.registry + ")"));
      authorization[key] = auth;
    }
    if (resp.status == 403)
      throw RegistryError(Kind::kAuth, r.registry + ": access to " + r.repository + " denied" +
                                           (push ? " (no push permission?)" : ""));
    return resp;
  }

  [[noreturn]] void Fail(const Reference& r, const std::string& what, const Response& resp) {
    std::string detail = ErrorDetail(resp.body);
    std::string msg = r.Repository() + ": " + what + ": HTTP " + std::to_string(resp.status) +
                      (detail.empty() ? "" : " (" + detail + ")");
    if (resp.status == 404) throw RegistryError(Kind::kNotFound, msg);
    if (resp.status == 401 || resp.status == 403) throw RegistryError(Kind::kAuth, msg);
    throw RegistryError(Kind::kProtocol, msg);
  }

  // Resolves a Location header against the request URL.
  static std::string Resolve(const std::string& base, const std::string& location) {
    CURLU* u = curl::Lib().url();
    std::string out;
    if (curl::Lib().url_set(u, CURLUPART_URL, base.c_str(), 0) == CURLUE_OK &&
        curl::Lib().url_set(u, CURLUPART_URL, location.c_str(), 0) == CURLUE_OK) {
      char* s = nullptr;
      if (curl::Lib().url_get(u, CURLUPART_URL, &s, 0) == CURLUE_OK) out = s;
      curl::Lib().free(s);
    }
    curl::Lib().url_cleanup(u);
    if (out.empty()) throw RegistryError(Kind::kProtocol, Origin(base) + ": unusable Location header");
    return out;
  }

  // GET a blob into `sink`, following redirects to storage by hand (without the Authorization header).
  void FetchBlob(const Reference& r, const std::string& digest, const std::function<void(const void*, size_t)>& sink,
                 uint64_t max_bytes) {
    if (!IsSha256Digest(digest))
      throw RegistryError(Kind::kProtocol, r.Repository() + ": unsupported blob digest (only sha256 is verified)");
    Sha256 hash;
    uint64_t total = 0;
    std::function<void(const void*, size_t)> hashing = [&](const void* p, size_t n) {
      total += n;
      if (max_bytes && total > max_bytes)
        throw RegistryError(Kind::kTooLarge, r.Repository() + ": blob " + digest + " is larger than " +
                                                 std::to_string(max_bytes) + " bytes");
      hash.Update(p, n);
      sink(p, n);
    };
    Request req;
    req.url = Base(r) + "/blobs/" + digest;
    req.sink = &hashing;
    Response resp = Send(r, false, req);
    for (int hop = 0; resp.status >= 300 && resp.status < 400; ++hop) {
      if (hop >= kMaxRedirects) throw RegistryError(Kind::kProtocol, r.Repository() + ": too many blob redirects");
      auto loc = resp.headers.find("location");
      if (loc == resp.headers.end()) Fail(r, "blob " + digest, resp);
      std::string next = Resolve(req.url, loc->second);
      if (next.rfind("http://", 0) == 0 && !Insecure(HostOf(next)))
        throw RegistryError(Kind::kProtocol, r.Repository() + ": blob redirect to plain-HTTP " + Origin(next) +
                                                 " refused (name the host with --insecure to allow it)");
      Request q;
      q.url = next;
      q.sink = &hashing;
      req = q;
      resp = Perform(q);  // storage URLs are pre-signed: no credentials go there
    }
    if (resp.status != 200) Fail(r, "blob " + digest, resp);
    std::string got = hash.Digest();
    if (got != digest)
      throw RegistryError(Kind::kDigestMismatch, r.Repository() + ": blob " + digest + " does not match its digest (got " +
                                                     got + ")");
  }
};

Client::Client(ClientOptions opts) : impl_(std::make_unique<Impl>(std::move(opts))) {}
Client::~Client() = default;

std::optional<Manifest> Client::FindManifest(const Reference& ref) {
  const std::string what = ref.digest.empty() ? ref.tag : ref.digest;
  Request req;
  req.url = impl_->Base(ref) + "/manifests/" + what;
  req.headers.push_back("Accept: " + ManifestAcceptHeader());
  Response resp = impl_->Send(ref, false, req);
  if (resp.status == 404) return std::nullopt;
  if (resp.too_large)
    throw RegistryError(Kind::kTooLarge, ref.String() + ": manifest larger than " + std::to_string(kMaxManifestBytes) +
                                             " bytes");
  if (resp.status != 200) impl_->Fail(ref, "manifest " + what, resp);
  Manifest m;
  m.body = std::move(resp.body);
  m.digest = Sha256::Of(m.body);
  if (!ref.digest.empty() && ref.digest != m.digest)
    throw RegistryError(Kind::kDigestMismatch, ref.String() + ": the registry served a manifest whose digest is " +
                                                   m.digest + ", not the requested one");
  if (auto h = resp.headers.find("docker-content-digest"); h != resp.headers.end()) {
    if (IsSha256Digest(h->second) && h->second != m.digest)
      throw RegistryError(Kind::kDigestMismatch, ref.String() + ": Docker-Content-Digest says " + h->second +
                                                     " but the manifest's digest is " + m.digest);
  }
  auto ct = resp.headers.find("content-type");
  if (ct != resp.headers.end()) m.media_type = ct->second.substr(0, ct->second.find(';'));
  while (!m.media_type.empty() && m.media_type.back() == ' ') m.media_type.pop_back();
  if (m.media_type.empty() || m.media_type == "application/json" || m.media_type == "application/octet-stream") {
    nlohmann::json j;
    try {
      j = ParseJsonOrDiscarded(m.body, "registry manifest response");
    } catch (const LimitError&) {
      // Only a media-type sniff: the manifest's own parse (formats/oci) refuses it with its limits.
    }
    if (j.is_object() && j.contains("mediaType") && j["mediaType"].is_string()) m.media_type = j["mediaType"];
  }
  return m;
}

Manifest Client::GetManifest(const Reference& ref) {
  auto m = FindManifest(ref);
  if (!m) throw RegistryError(Kind::kNotFound, ref.String() + ": manifest unknown (no such tag or digest)");
  return *m;
}

std::string Client::PutManifest(const Reference& ref, std::string_view media_type, std::string_view body) {
  const std::string digest = Sha256::Of(body);
  const std::string what = ref.tag.empty() ? (ref.digest.empty() ? digest : ref.digest) : ref.tag;
  Request req;
  req.method = "PUT";
  req.url = impl_->Base(ref) + "/manifests/" + what;
  req.headers.push_back("Content-Type: " + std::string(media_type));
  req.upload = body;
  req.has_body = true;
  Response resp = impl_->Send(ref, true, req);
  if (resp.status != 201 && resp.status != 200) impl_->Fail(ref, "push manifest " + what, resp);
  if (auto h = resp.headers.find("docker-content-digest"); h != resp.headers.end() && IsSha256Digest(h->second) &&
                                                           h->second != digest)
    throw RegistryError(Kind::kDigestMismatch, ref.Repository() + ": the registry stored the manifest as " + h->second +
                                                   ", expected " + digest);
  return digest;
}

std::string Client::GetBlob(const Reference& repo, const std::string& digest, uint64_t max_bytes) {
  std::string out;
  impl_->FetchBlob(repo, digest, [&](const void* p, size_t n) { out.append(static_cast<const char*>(p), n); },
                   max_bytes);
  return out;
}

void Client::StreamBlob(const Reference& repo, const std::string& digest,
                        const std::function<void(const void*, size_t)>& sink) {
  impl_->FetchBlob(repo, digest, sink, impl_->opts.max_blob_bytes);
}

bool Client::HasBlob(const Reference& repo, const std::string& digest) {
  Request req;
  req.method = "HEAD";
  req.url = impl_->Base(repo) + "/blobs/" + digest;
  req.follow_redirects = false;
  Response resp = impl_->Send(repo, false, req);
  if (resp.status == 200 || (resp.status >= 300 && resp.status < 400)) return true;
  if (resp.status == 404) return false;
  impl_->Fail(repo, "blob " + digest, resp);
}

void Client::CheckLogin(const std::string& registry) { impl_->CheckLogin(registry); }

std::string Client::PutBlob(const Reference& repo, std::string_view data) {
  const std::string digest = Sha256::Of(data);
  if (HasBlob(repo, digest)) return digest;
  Request start;
  start.method = "POST";
  start.url = impl_->Base(repo) + "/blobs/uploads/";
  start.has_body = true;
  Response resp = impl_->Send(repo, true, start);
  if (resp.status != 202) impl_->Fail(repo, "start blob upload", resp);
  auto loc = resp.headers.find("location");
  if (loc == resp.headers.end())
    throw RegistryError(Kind::kProtocol, repo.Repository() + ": blob upload started without a Location");
  std::string url = Impl::Resolve(start.url, loc->second);
  if (HostOf(url) != HostOf(start.url))
    throw RegistryError(Kind::kProtocol, repo.Repository() + ": blob upload Location points at another host");
  char* esc = curl::Lib().easy_escape(nullptr, digest.c_str(), int(digest.size()));
  url += (url.find('?') == std::string::npos ? "?" : "&") + std::string("digest=") + esc;
  curl::Lib().free(esc);
  Request put;
  put.method = "PUT";
  put.url = url;
  put.headers.push_back("Content-Type: application/octet-stream");
  put.upload = data;
  put.has_body = true;
  resp = impl_->Send(repo, true, put);
  if (resp.status != 201) impl_->Fail(repo, "upload blob " + digest, resp);
  if (auto h = resp.headers.find("docker-content-digest"); h != resp.headers.end() && IsSha256Digest(h->second) &&
                                                           h->second != digest)
    throw RegistryError(Kind::kDigestMismatch, repo.Repository() + ": the registry stored the blob as " + h->second);
  return digest;
}

}  // namespace customs::registry
