// THE HTTP server layer every long-running part of customs uses (the scan server; the admission
// webhook next): cpp-httplib underneath (Debian libcpp-httplib-dev), HTTPS when a certificate is
// given, a bounded request body, JSON errors, one access-log line per request. Handlers see plain
// structs, not httplib types, so the server code does not depend on the library.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace customs::http {

struct Request {
  std::string method, path, body;
  std::map<std::string, std::string> query;    // the first value of each parameter
  std::map<std::string, std::string> headers;  // names lowercased
  std::vector<std::string> params;             // the pattern's captures ("/api/v1/images/([^/]+)/findings")
  std::string Header(const std::string& lower_name) const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::map<std::string, std::string> headers;
};

// {"error": message} with `status`.
Response JsonError(int status, const std::string& message);

using Handler = std::function<Response(const Request&)>;

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;                  // 0: any free port (Port() tells which)
  std::string tls_cert, tls_key;    // both or neither
  uint64_t max_body_bytes = 256ull << 20;
  unsigned threads = 8;
};

class Server {
 public:
  explicit Server(ServerOptions opts);
  ~Server();
  // `pattern` is a regular expression over the path (anchored), its groups become Request::params.
  void Route(const std::string& method, const std::string& pattern, Handler h);
  // Binds (throws customs::Error naming the address when it cannot); Port() is known afterwards.
  void Bind();
  int Port() const;
  // Serves until Stop() (from another thread or a signal handler's flag watcher).
  void Run();
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace customs::http
