// The SQL the store speaks, behind one small interface so that one schema and one set of queries run
// on both back ends (SQLite, linked in; PostgreSQL through libpq). Statements are written once with
// PostgreSQL's positional parameters ($1, $2, ...), which SQLite also accepts; values travel as text
// or NULL (both engines convert to the column's type), blobs as bytes.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace customs::store {

// One parameter: text, an integer, NULL, or bytes (a compressed SBOM).
struct Value {
  enum class Kind { kNull, kText, kInt, kBlob } kind = Kind::kNull;
  std::string text;  // kText, kBlob
  int64_t integer = 0;
  static Value Null() { return {}; }
  static Value Text(std::string s) { return {Kind::kText, std::move(s), 0}; }
  static Value Int(int64_t i) { return {Kind::kInt, {}, i}; }
  static Value Blob(std::string b) { return {Kind::kBlob, std::move(b), 0}; }
};
using Params = std::vector<Value>;

// A result row: each column as text (nullopt for NULL; blobs as their bytes).
using Row = std::vector<std::optional<std::string>>;

enum class Dialect { kSqlite, kPostgres };

class Sql {
 public:
  virtual ~Sql() = default;
  virtual Dialect dialect() const = 0;
  // Runs a statement; rows it returns (SELECT, ... RETURNING) are given back. Throws customs::Error
  // (kExitIo) naming the store on failure.
  virtual std::vector<Row> Query(std::string_view sql, const Params& params = {}) = 0;
  void Exec(std::string_view sql, const Params& params = {}) { Query(sql, params); }
  // A transaction: Begin/Commit/Rollback (nesting is not supported).
  virtual void Begin() = 0;
  virtual void Commit() = 0;
  virtual void Rollback() = 0;
  // Several statements separated by ';' without parameters (migrations).
  virtual void ExecScript(std::string_view script) = 0;
};

// SQLite: a file (created when missing) in WAL mode, foreign keys on, a busy timeout so that a second
// process waits rather than fails.
std::unique_ptr<Sql> OpenSqlite(const std::string& path);
// PostgreSQL at a libpq URL ("postgres://user@host:port/db"); the password never appears in errors.
std::unique_ptr<Sql> OpenPostgres(const std::string& url);

// Rolls back unless Commit() was called (exceptions leave nothing half-written).
class Transaction {
 public:
  explicit Transaction(Sql& sql) : sql_(sql) { sql_.Begin(); }
  ~Transaction() {
    if (!done_) try {
        sql_.Rollback();
      } catch (...) {
      }
  }
  void Commit() {
    sql_.Commit();
    done_ = true;
  }

 private:
  Sql& sql_;
  bool done_ = false;
};

}  // namespace customs::store
