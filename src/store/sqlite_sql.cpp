// The SQLite back end of store/sql.h (the default store: one file, zero set-up).
#include <sqlite3.h>

#include "core/error.h"
#include "store/sql.h"

namespace customs::store {

namespace {

class SqliteSql : public Sql {
 public:
  explicit SqliteSql(std::string path) : path_(std::move(path)) {
    int rc = sqlite3_open_v2(path_.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                             nullptr);
    if (rc != SQLITE_OK) {
      std::string msg = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
      if (db_) sqlite3_close_v2(db_);
      db_ = nullptr;
      throw IoError(path_, "cannot open the store: " + msg);
    }
    sqlite3_busy_timeout(db_, 10000);
    // WAL: readers never block the writer; synchronous=FULL: a committed submission survives a crash.
    ExecScript("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;");
  }
  ~SqliteSql() override {
    if (db_) sqlite3_close_v2(db_);
  }

  Dialect dialect() const override { return Dialect::kSqlite; }

  std::vector<Row> Query(std::string_view sql, const Params& params) override {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &st, nullptr) != SQLITE_OK)
      throw IoError(path_, std::string("store query failed: ") + sqlite3_errmsg(db_));
    std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> guard(st, sqlite3_finalize);
    for (size_t i = 0; i < params.size(); ++i) {
      // "$N" names parameter N whatever order the statement uses them in.
      const std::string name = "$" + std::to_string(i + 1);
      const int idx = sqlite3_bind_parameter_index(st, name.c_str());
      if (idx == 0) continue;  // not used by this statement
      const Value& v = params[i];
      int rc = SQLITE_OK;
      switch (v.kind) {
        case Value::Kind::kNull: rc = sqlite3_bind_null(st, idx); break;
        case Value::Kind::kText:
          rc = sqlite3_bind_text(st, idx, v.text.data(), static_cast<int>(v.text.size()), SQLITE_TRANSIENT);
          break;
        case Value::Kind::kInt: rc = sqlite3_bind_int64(st, idx, v.integer); break;
        case Value::Kind::kBlob:
          rc = sqlite3_bind_blob(st, idx, v.text.data(), static_cast<int>(v.text.size()), SQLITE_TRANSIENT);
          break;
      }
      if (rc != SQLITE_OK) throw IoError(path_, std::string("store bind failed: ") + sqlite3_errmsg(db_));
    }
    std::vector<Row> rows;
    for (;;) {
      int rc = sqlite3_step(st);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) throw IoError(path_, std::string("store query failed: ") + sqlite3_errmsg(db_));
      const int n = sqlite3_column_count(st);
      Row row(static_cast<size_t>(n));
      for (int c = 0; c < n; ++c) {
        if (sqlite3_column_type(st, c) == SQLITE_NULL) continue;
        const auto* p = static_cast<const char*>(sqlite3_column_blob(st, c));
        row[static_cast<size_t>(c)] = std::string(p ? p : "", static_cast<size_t>(sqlite3_column_bytes(st, c)));
      }
      rows.push_back(std::move(row));
    }
    return rows;
  }

  void Begin() override { ExecScript("BEGIN IMMEDIATE"); }
  void Commit() override { ExecScript("COMMIT"); }
  void Rollback() override { ExecScript("ROLLBACK"); }

  void ExecScript(std::string_view script) override {
    char* err = nullptr;
    const std::string s(script);
    if (sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err ? err : "unknown error";
      sqlite3_free(err);
      throw IoError(path_, "store: " + msg);
    }
  }

 private:
  std::string path_;
  sqlite3* db_ = nullptr;
};

}  // namespace

std::unique_ptr<Sql> OpenSqlite(const std::string& path) { return std::make_unique<SqliteSql>(path); }

}  // namespace customs::store
