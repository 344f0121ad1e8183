// The store's SQL connection (internal to the store module): one interface over SQLite and
// PostgreSQL, so that one implementation of Store (sql_store.cpp) runs on both.
//
// Why our own thin layer and not SOCI: the store needs exactly parameterised statements, whole
// results, transactions and the error class of a failure; the dialects differ in a handful of
// statements that the store writes out itself (full-text search, claiming work, the schema). That
// is about 300 lines over the C APIs of sqlite3 and libpq, with nothing hidden between the SQL we
// write and the database.
//
// Statements use PostgreSQL's numbered placeholders ($1, $2, …) on both: SQLite accepts "$1" as
// a named parameter, and the SQLite driver binds by name.
#pragma once

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.hpp"

namespace renkei::store::sql {

enum class Dialect { kSqlite, kPostgres };

// A statement parameter: NULL, a 64-bit integer, text or bytes (a BLOB / bytea).
class Param {
 public:
  enum class Type { kNull, kInt, kText, kBytes };
  Param(std::nullptr_t) {}  // NOLINT(google-explicit-constructor): parameters read like values
  Param(std::int64_t v) : type_(Type::kInt), int_(v) {}  // NOLINT(google-explicit-constructor)
  Param(int v) : type_(Type::kInt), int_(v) {}           // NOLINT(google-explicit-constructor)
  Param(std::string_view v)
      : type_(Type::kText), text_(v) {}  // NOLINT(google-explicit-constructor)
  Param(const std::string& v)
      : type_(Type::kText), text_(v) {}                   // NOLINT(google-explicit-constructor)
  Param(const char* v) : type_(Type::kText), text_(v) {}  // NOLINT(google-explicit-constructor)
  Param(const std::optional<std::int64_t>& v)             // NOLINT(google-explicit-constructor)
      : type_(v ? Type::kInt : Type::kNull), int_(v.value_or(0)) {}
  static Param bytes(std::string_view v) {
    Param p(v);
    p.type_ = Type::kBytes;
    return p;
  }
  // Text, or NULL when empty.
  static Param text_or_null(std::string_view v) { return v.empty() ? Param(nullptr) : Param(v); }

  Type type() const { return type_; }
  std::int64_t int64() const { return int_; }
  std::string_view text() const { return text_; }

 private:
  Type type_ = Type::kNull;
  std::int64_t int_ = 0;
  std::string_view text_;  // the caller's string: a Param lives only during the call
};
using Params = std::initializer_list<Param>;

// A whole result: rows of cells read as integers, text or bytes; `changed` counts the rows an
// INSERT/UPDATE/DELETE touched.
class Rows {
 public:
  // Moves to the next row (call before reading the first); false after the last.
  bool next() { return ++row_ < static_cast<std::ptrdiff_t>(cells_.size()); }
  std::size_t size() const { return cells_.size(); }
  bool empty() const { return cells_.empty(); }

  bool is_null(int col) const { return !cell(col).has_value(); }
  std::int64_t int64(int col) const {
    const auto& c = cell(col);
    std::int64_t v = 0;
    if (c) std::from_chars(c->data(), c->data() + c->size(), v);
    return v;
  }
  std::optional<std::int64_t> opt_int64(int col) const {
    return is_null(col) ? std::nullopt : std::optional<std::int64_t>(int64(col));
  }
  std::string text(int col) const { return cell(col).value_or(std::string()); }  // NULL reads as ""
  std::string take(int col) {
    return std::move(cells_[static_cast<std::size_t>(row_)][static_cast<std::size_t>(col)])
        .value_or(std::string());
  }

  std::int64_t changed = 0;

  // For drivers.
  void add_row(std::vector<std::optional<std::string>> row) { cells_.push_back(std::move(row)); }

 private:
  const std::optional<std::string>& cell(int col) const {
    return cells_[static_cast<std::size_t>(row_)][static_cast<std::size_t>(col)];
  }
  std::vector<std::vector<std::optional<std::string>>> cells_;
  std::ptrdiff_t row_ = -1;
};

// One connection. Not thread-safe: the store serialises calls on it.
class Connection {
 public:
  virtual ~Connection() = default;
  virtual Dialect dialect() const = 0;
  // One statement with parameters. Errors: kConflict for a constraint violation (unique, foreign
  // key, check), kUnavailable when the database is busy or unreachable (retry), kIo, kInternal.
  Result<Rows> query(std::string_view sql, Params params = {}) {
    return run(sql, params.begin(), params.size());
  }
  Result<Rows> query(std::string_view sql, const std::vector<Param>& params) {
    return run(sql, params.data(), params.size());
  }
  // Several statements without parameters (migrations).
  virtual Result<void> exec_script(std::string_view sql) = 0;
  // BEGIN (SQLite: IMMEDIATE, so two writers never deadlock on a lock upgrade), COMMIT, ROLLBACK.
  virtual Result<void> begin() = 0;
  virtual Result<void> commit() = 0;
  virtual void rollback() = 0;
  // A consistent copy of the whole database into the new file `path` while in use (SQLite's
  // online backup); kInvalidArgument where the database has its own tools (PostgreSQL: pg_dump).
  virtual Result<void> backup_to(const std::string& path) = 0;

 protected:
  virtual Result<Rows> run(std::string_view sql, const Param* params, std::size_t count) = 0;
};

// Rolls back in the destructor unless commit() succeeded.
class Transaction {
 public:
  explicit Transaction(Connection& c) : c_(c) {}
  ~Transaction() {
    if (open_) c_.rollback();
  }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  Result<void> begin() {
    if (auto r = c_.begin(); !r) return r;
    open_ = true;
    return {};
  }
  Result<void> commit() {
    if (auto r = c_.commit(); !r) return r;
    open_ = false;
    return {};
  }
  void rollback() {
    if (open_) c_.rollback();
    open_ = false;
  }

 private:
  Connection& c_;
  bool open_ = false;
};

}  // namespace renkei::store::sql
