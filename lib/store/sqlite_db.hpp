// RAII over the SQLite C API (internal to the store module): a connection, prepared statements
// with typed binding and reading, and transactions that roll back unless committed.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "util/result.hpp"

namespace renkei::store::sqlite {

struct CloseDb {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct Finalize {
  void operator()(sqlite3_stmt* st) const { sqlite3_finalize(st); }
};
using DbPtr = std::unique_ptr<sqlite3, CloseDb>;

// The store's error for a failed SQLite call: busy/locked -> kUnavailable, constraint -> kConflict,
// I/O and corruption -> kIo, the rest kInternal. `what` says what was being done.
Error error_of(sqlite3* db, int rc, std::string_view what);

class Statement {
 public:
  Statement(sqlite3* db, std::string_view sql);  // check ok() before use
  bool ok() const { return st_ != nullptr; }
  const Error& prepare_error() const { return prepare_error_; }

  Statement& bind(int i, std::int64_t v);
  Statement& bind(int i, int v) { return bind(i, static_cast<std::int64_t>(v)); }
  Statement& bind(int i, std::string_view v);       // TEXT
  Statement& bind_blob(int i, std::string_view v);  // BLOB
  Statement& bind_null(int i);
  Statement& bind(int i, const std::optional<std::int64_t>& v) { return v ? bind(i, *v) : bind_null(i); }

  // Steps once: true when a row is available, false when done; errors as values.
  Result<bool> step();
  // Steps to the end (for statements without rows).
  Result<void> run();

  std::int64_t int64(int col) const { return sqlite3_column_int64(st_.get(), col); }
  bool is_null(int col) const { return sqlite3_column_type(st_.get(), col) == SQLITE_NULL; }
  std::optional<std::int64_t> opt_int64(int col) const {
    return is_null(col) ? std::nullopt : std::optional<std::int64_t>(int64(col));
  }
  std::string text(int col) const;
  std::string blob(int col) const;
  void reset();

 private:
  sqlite3* db_;
  std::unique_ptr<sqlite3_stmt, Finalize> st_;
  Error prepare_error_;
};

// BEGIN IMMEDIATE (takes the write lock at once, so two writers never deadlock on an upgrade);
// rolls back in the destructor unless commit() succeeded.
class Transaction {
 public:
  explicit Transaction(sqlite3* db);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  Result<void> begin();
  Result<void> commit();

 private:
  sqlite3* db_;
  bool open_ = false;
};

Result<void> exec(sqlite3* db, std::string_view sql);

}  // namespace renkei::store::sqlite
