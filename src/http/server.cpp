#include "http/server.h"

#include <httplib.h>
#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "core/error.h"

namespace customs::http {

std::string Request::Header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  return it == headers.end() ? "" : it->second;
}

Response JsonError(int status, const std::string& message) {
  Response r;
  r.status = status;
  r.body = nlohmann::json{{"error", message}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  return r;
}

struct Server::Impl {
  ServerOptions opts;
  std::unique_ptr<httplib::Server> srv;
  int port = 0;
};

namespace {

std::string Lower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

}  // namespace

Server::Server(ServerOptions opts) : impl_(std::make_unique<Impl>()) {
  impl_->opts = std::move(opts);
  if (impl_->opts.tls_cert.empty() != impl_->opts.tls_key.empty())
    throw UsageError("--tls-cert and --tls-key go together");
  if (!impl_->opts.tls_cert.empty()) {
    auto ssl = std::make_unique<httplib::SSLServer>(impl_->opts.tls_cert.c_str(), impl_->opts.tls_key.c_str());
    if (!ssl->is_valid()) throw IoError(impl_->opts.tls_cert, "cannot load the TLS certificate or key");
    impl_->srv = std::move(ssl);
  } else {
    impl_->srv = std::make_unique<httplib::Server>();
  }
  auto& s = *impl_->srv;
  s.set_payload_max_length(impl_->opts.max_body_bytes);
  s.set_read_timeout(30, 0);
  s.set_write_timeout(30, 0);
  const unsigned n = impl_->opts.threads ? impl_->opts.threads : 8;
  s.new_task_queue = [n] { return new httplib::ThreadPool(n); };
  s.set_logger([](const httplib::Request& req, const httplib::Response& res) {
    spdlog::info("{} {} {} {}", req.remote_addr, req.method, req.path, res.status);
  });
  // A handler that throws must not take the server down: a 500 with the reason, logged.
  s.set_exception_handler([](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
    std::string what = "internal error";
    try {
      std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    spdlog::error("{} {}: {}", req.method, req.path, what);
    Response r = JsonError(500, what);
    res.status = r.status;
    res.set_content(r.body, r.content_type);
  });
  s.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return;
    Response r = JsonError(res.status, res.status == 404 ? std::string("no such endpoint") : "HTTP " + std::to_string(res.status));
    res.set_content(r.body, r.content_type);
  });
}

Server::~Server() = default;

void Server::Route(const std::string& method, const std::string& pattern, Handler h) {
  auto wrap = [h = std::move(h)](const httplib::Request& req, httplib::Response& res) {
    Request r;
    r.method = req.method;
    r.path = req.path;
    r.body = req.body;
    for (const auto& [k, v] : req.params) r.query.emplace(k, v);
    for (const auto& [k, v] : req.headers) r.headers.emplace(Lower(k), v);
    for (size_t i = 1; i < req.matches.size(); ++i) r.params.push_back(req.matches[i].str());
    Response out = h(r);
    res.status = out.status;
    for (const auto& [k, v] : out.headers) res.set_header(k, v);
    res.set_content(out.body, out.content_type);
  };
  auto& s = *impl_->srv;
  if (method == "GET") s.Get(pattern, wrap);
  else if (method == "POST") s.Post(pattern, wrap);
  else if (method == "PUT") s.Put(pattern, wrap);
  else if (method == "DELETE") s.Delete(pattern, wrap);
  else throw Error(kExitInternal, "http: unsupported method " + method);
}

void Server::Bind() {
  auto& o = impl_->opts;
  if (o.port == 0) {
    impl_->port = impl_->srv->bind_to_any_port(o.host);
    if (impl_->port <= 0) throw IoError(o.host, "cannot listen on any port");
  } else {
    if (!impl_->srv->bind_to_port(o.host, o.port))
      throw IoError(o.host + ":" + std::to_string(o.port), "cannot listen (in use, or not an address of this host)");
    impl_->port = o.port;
  }
}

int Server::Port() const { return impl_->port; }

void Server::Run() { impl_->srv->listen_after_bind(); }

void Server::Stop() { impl_->srv->stop(); }

}  // namespace customs::http
