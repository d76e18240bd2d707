#include "server/server.h"

#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <mutex>
#include <thread>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "db/schema.h"
#include "db/vulndb.h"
#include "detectors/detector.h"
#include "http/server.h"
#include "inventory/sbom_import.h"
#include "store/store.h"

namespace customs::server {

namespace {

using nlohmann::ordered_json;

std::string Now() {
  if (const char* fixed = std::getenv("CUSTOMS_FIXED_TIME"); fixed && *fixed) return fixed;
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

http::Response Json(const ordered_json& j, int status = 200) {
  http::Response r;
  r.status = status;
  r.body = j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  return r;
}

ordered_json EventJson(const store::Event& e) {
  return ordered_json{{"id", e.id},       {"image", e.image_digest}, {"kind", e.kind},     {"vulnerability", e.vuln_id},
                      {"purl", e.purl},   {"at", e.at},              {"detail", e.detail}, {"dbVersion", e.db_version}};
}

class App {
 public:
  App(std::unique_ptr<store::Store> st, std::unique_ptr<db::VulnDB> vdb)
      : store_(std::move(st)), db_(std::move(vdb)), db_version_(db_->Info().built) {}

  // The store's connection is one: requests that touch it take turns (SQLite serializes writers
  // anyway; PostgreSQL deployments run several servers and workers).
  template <typename F>
  http::Response WithStore(F&& f) {
    std::lock_guard<std::mutex> lock(mu_);
    try {
      return f();
    } catch (const LimitError& e) {
      return http::JsonError(413, e.what());
    } catch (const Error& e) {
      if (e.code() == kExitInputRejected || e.code() == kExitUsage) return http::JsonError(400, e.what());
      spdlog::error("store: {}", e.what());
      return http::JsonError(503, std::string("the store is not available: ") + e.what());
    }
  }

  // nullopt when allowed; else the 401/403 to send.
  std::optional<http::Response> Authorize(const http::Request& req, const char* need) {
    const std::string auth = req.Header("authorization");
    if (auth.rfind("Bearer ", 0) != 0) return http::JsonError(401, "missing bearer token (Authorization: Bearer ...)");
    std::optional<std::string> scope;
    {
      std::lock_guard<std::mutex> lock(mu_);
      try {
        scope = store_->TokenScope(auth.substr(7));
      } catch (const Error& e) {
        return http::JsonError(503, std::string("the store is not available: ") + e.what());
      }
    }
    if (!scope) {
      spdlog::warn("{} {}: unknown token", req.method, req.path);
      return http::JsonError(401, "unknown token");
    }
    if (std::string(need) == "write" && *scope != "write")
      return http::JsonError(403, "this endpoint needs a write token; the token given has scope " + *scope);
    return std::nullopt;
  }

  // SBOM text -> the findings of the current database -> recorded.
  std::vector<store::Event> Evaluate(const std::string& sbom_text, const std::string& where, std::string* digest,
                                     size_t* findings) {
    ImportedSbom sbom = ImportSbom(sbom_text, where);
    ScanResult result;
    result.inventory = std::move(sbom.inventory);
    result.scanned_at = Now();
    DetectOptions d;
    d.db = db_.get();
    d.today = result.scanned_at.substr(0, 10);
    RunDetectors(d, result);
    store::Submission s = store::SubmissionFromScan(result, sbom_text, db_version_);
    *digest = s.digest;
    *findings = s.findings.size();
    return store_->Record(s);
  }

  void Routes(http::Server& srv) {
    srv.Route("GET", "/healthz", [](const http::Request&) {
      http::Response r;
      r.content_type = "text/plain";
      r.body = "ok\n";
      return r;
    });
    srv.Route("GET", "/readyz", [this](const http::Request&) {
      return WithStore([&] {
        store_->SchemaVersion();
        http::Response r;
        r.content_type = "text/plain";
        r.body = "ready\n";
        return r;
      });
    });
    srv.Route("POST", "/api/v1/sboms", [this](const http::Request& req) {
      if (auto denied = Authorize(req, "write")) return *denied;
      if (req.body.empty()) return http::JsonError(400, "empty body: POST a CycloneDX or SPDX JSON SBOM");
      return WithStore([&] {
        std::string digest;
        size_t n = 0;
        auto events = Evaluate(req.body, "request body", &digest, &n);
        ordered_json ev = ordered_json::array();
        for (const auto& e : events) ev.push_back(EventJson(e));
        return Json(ordered_json{{"image", digest}, {"findings", n}, {"dbVersion", db_version_}, {"events", ev}}, 201);
      });
    });
    srv.Route("POST", "/api/v1/rescan", [this](const http::Request& req) {
      if (auto denied = Authorize(req, "write")) return *denied;
      return WithStore([&] {
        ordered_json ev = ordered_json::array();
        size_t images = 0;
        for (const auto& digest : store_->ImagesWithSbom()) {
          auto sbom = store_->Sbom(digest);
          if (!sbom) continue;
          std::string got;
          size_t n = 0;
          for (const auto& e : Evaluate(*sbom, "stored SBOM of " + digest, &got, &n)) ev.push_back(EventJson(e));
          ++images;
        }
        return Json(ordered_json{{"images", images}, {"dbVersion", db_version_}, {"events", ev}});
      });
    });
    srv.Route("GET", "/api/v1/images", [this](const http::Request& req) {
      if (auto denied = Authorize(req, "read")) return *denied;
      return WithStore([&] {
        ordered_json arr = ordered_json::array();
        for (const auto& i : store_->Images())
          arr.push_back(ordered_json{{"digest", i.digest},
                                     {"artifactType", i.artifact_type},
                                     {"os", ordered_json{{"family", i.os_family}, {"version", i.os_version}}},
                                     {"refs", i.refs},
                                     {"firstSeen", i.first_seen},
                                     {"lastSeen", i.last_seen},
                                     {"openFindings", i.open_findings},
                                     {"critical", i.critical},
                                     {"high", i.high}});
        return Json(ordered_json{{"images", arr}});
      });
    });
    srv.Route("GET", "/api/v1/images/([^/]+)/findings", [this](const http::Request& req) {
      if (auto denied = Authorize(req, "read")) return *denied;
      const bool all = req.query.count("all") && req.query.at("all") == "1";
      return WithStore([&] {
        ordered_json arr = ordered_json::array();
        for (const auto& f : store_->Findings(req.params.at(0), all)) {
          ordered_json j{{"vulnerability", f.vuln_id}, {"purl", f.purl},       {"package", f.package},
                         {"version", f.version},       {"severity", f.severity}, {"severitySource", f.severity_source},
                         {"fixedVersion", f.fixed_version}, {"kev", f.kev},     {"risk", f.risk},
                         {"title", f.title},           {"suppressed", f.suppressed}, {"firstSeen", f.first_seen},
                         {"lastSeen", f.last_seen}};
          if (!f.closed_at.empty()) j["closed"] = ordered_json{{"at", f.closed_at}, {"kind", f.close_kind}};
          arr.push_back(std::move(j));
        }
        return Json(ordered_json{{"image", req.params.at(0)}, {"findings", arr}});
      });
    });
    srv.Route("GET", "/api/v1/events", [this](const http::Request& req) {
      if (auto denied = Authorize(req, "read")) return *denied;
      int64_t after = 0;
      size_t limit = 1000;
      try {
        if (req.query.count("after")) after = std::stoll(req.query.at("after"));
        if (req.query.count("limit")) limit = std::min<size_t>(std::stoul(req.query.at("limit")), 10000);
      } catch (const std::exception&) {
        return http::JsonError(400, "after and limit must be numbers");
      }
      return WithStore([&] {
        ordered_json arr = ordered_json::array();
        for (const auto& e : store_->Events(after, limit)) arr.push_back(EventJson(e));
        return Json(ordered_json{{"events", arr}});
      });
    });
  }

 private:
  std::mutex mu_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<db::VulnDB> db_;
  std::string db_version_;
};

}  // namespace

std::string DefaultStorePath() {
  std::string base;
  if (const char* x = std::getenv("XDG_DATA_HOME"); x && *x) base = x;
  else if (const char* h = std::getenv("HOME"); h && *h) base = std::string(h) + "/.local/share";
  else base = ".local/share";
  return base + "/customs/store.db";
}

int Run(const Options& o) {
  const size_t colon = o.listen.rfind(':');
  if (colon == std::string::npos || colon == 0) throw UsageError("--listen: expected HOST:PORT, got '" + o.listen + "'");
  http::ServerOptions so;
  so.host = o.listen.substr(0, colon);
  try {
    so.port = std::stoi(o.listen.substr(colon + 1));
  } catch (const std::exception&) {
    throw UsageError("--listen: '" + o.listen.substr(colon + 1) + "' is not a port");
  }
  if (so.port < 0 || so.port > 65535) throw UsageError("--listen: port out of range");
  so.tls_cert = o.tls_cert;
  so.tls_key = o.tls_key;
  std::string url = o.store.empty() ? DefaultStorePath() : o.store;
  if (o.store.empty()) {
    const size_t slash = url.rfind('/');
    std::error_code ec;
    std::filesystem::create_directories(url.substr(0, slash), ec);
  }
  auto st = store::Store::Open(url);
  auto vdb = db::VulnDB::Open(o.db_path.empty() ? db::DefaultDatabasePath() : o.db_path);
  App app(std::move(st), std::move(vdb));
  http::Server srv(so);
  app.Routes(srv);
  srv.Bind();
  std::cerr << "customs server: listening on " << (so.tls_cert.empty() ? "http" : "https") << "://" << so.host << ":"
            << srv.Port() << std::endl;
  std::atomic<bool> done{false};
  std::thread watcher([&] {
    while (!done && !(o.stop && *o.stop)) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    srv.Stop();
  });
  srv.Run();
  done = true;
  watcher.join();
  return 0;
}

}  // namespace customs::server
