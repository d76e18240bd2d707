// The PostgreSQL back end of store/sql.h (libpq): for a fleet, many servers and workers on one store.
// Statements run with PQexecParams (parameters as text, blobs as binary); bytea columns come back
// hex-escaped and are unescaped here.
#include <libpq-fe.h>

#include "core/error.h"
#include "store/libpq_lib.h"
#include "store/sql.h"

namespace customs::store {

namespace {

constexpr Oid kByteaOid = 17;

// The URL without its password, for messages.
std::string Redacted(const std::string& url) {
  const size_t scheme = url.find("://");
  const size_t at = url.find('@');
  if (scheme == std::string::npos || at == std::string::npos || at < scheme) return url;
  const size_t colon = url.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon) + ":***" + url.substr(at);
}

class PostgresSql : public Sql {
 public:
  explicit PostgresSql(const std::string& url) : name_(Redacted(url)) {
    conn_ = pq::Lib().connectdb(url.c_str());
    if (!conn_ || pq::Lib().status(conn_) != CONNECTION_OK) {
      std::string msg = conn_ ? pq::Lib().error_message(conn_) : "out of memory";
      if (conn_) pq::Lib().finish(conn_);
      conn_ = nullptr;
      while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
      throw IoError(name_, "cannot connect to the store: " + msg);
    }
    ExecScript("SET client_min_messages = warning");
  }
  ~PostgresSql() override {
    if (conn_) pq::Lib().finish(conn_);
  }

  Dialect dialect() const override { return Dialect::kPostgres; }

  std::vector<Row> Query(std::string_view sql, const Params& params) override {
    std::vector<const char*> values(params.size());
    std::vector<int> lengths(params.size()), formats(params.size());
    std::vector<std::string> ints(params.size());
    for (size_t i = 0; i < params.size(); ++i) {
      const Value& v = params[i];
      switch (v.kind) {
        case Value::Kind::kNull: values[i] = nullptr; break;
        case Value::Kind::kText: values[i] = v.text.c_str(); break;
        case Value::Kind::kInt:
          ints[i] = std::to_string(v.integer);
          values[i] = ints[i].c_str();
          break;
        case Value::Kind::kBlob:
          values[i] = v.text.data();
          lengths[i] = static_cast<int>(v.text.size());
          formats[i] = 1;
          break;
      }
    }
    const std::string text(sql);
    PGresult* res = pq::Lib().exec_params(conn_, text.c_str(), static_cast<int>(params.size()), nullptr, values.data(),
                                 lengths.data(), formats.data(), 0);
    std::unique_ptr<PGresult, void (*)(PGresult*)> guard(res, pq::Lib().clear);
    const ExecStatusType st = res ? pq::Lib().result_status(res) : PGRES_FATAL_ERROR;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) throw IoError(name_, "store query failed: " + Message(res));
    std::vector<Row> rows;
    const int n = pq::Lib().ntuples(res), cols = pq::Lib().nfields(res);
    rows.reserve(static_cast<size_t>(n));
    for (int r = 0; r < n; ++r) {
      Row row(static_cast<size_t>(cols));
      for (int c = 0; c < cols; ++c) {
        if (pq::Lib().getisnull(res, r, c)) continue;
        const char* v = pq::Lib().getvalue(res, r, c);
        if (pq::Lib().ftype(res, c) == kByteaOid) {
          size_t len = 0;
          unsigned char* raw = pq::Lib().unescape_bytea(reinterpret_cast<const unsigned char*>(v), &len);
          if (!raw) throw IoError(name_, "store: cannot decode a bytea value");
          row[static_cast<size_t>(c)] = std::string(reinterpret_cast<const char*>(raw), len);
          pq::Lib().freemem(raw);
        } else {
          row[static_cast<size_t>(c)] = std::string(v, static_cast<size_t>(pq::Lib().getlength(res, r, c)));
        }
      }
      rows.push_back(std::move(row));
    }
    return rows;
  }

  void Begin() override { ExecScript("BEGIN"); }
  void Commit() override { ExecScript("COMMIT"); }
  void Rollback() override { ExecScript("ROLLBACK"); }

  void ExecScript(std::string_view script) override {
    const std::string s(script);
    PGresult* res = pq::Lib().exec(conn_, s.c_str());
    std::unique_ptr<PGresult, void (*)(PGresult*)> guard(res, pq::Lib().clear);
    const ExecStatusType st = res ? pq::Lib().result_status(res) : PGRES_FATAL_ERROR;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) throw IoError(name_, "store: " + Message(res));
  }

 private:
  std::string Message(PGresult* res) const {
    std::string m = res ? pq::Lib().result_error_message(res) : pq::Lib().error_message(conn_);
    if (m.empty()) m = pq::Lib().error_message(conn_);
    while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.pop_back();
    return m;
  }

  std::string name_;
  PGconn* conn_ = nullptr;
};

}  // namespace

std::unique_ptr<Sql> OpenPostgres(const std::string& url) { return std::make_unique<PostgresSql>(url); }

}  // namespace customs::store
