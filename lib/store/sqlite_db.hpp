// The SQLite driver of the store's SQL connection (internal to the store module; the rest of the
// store reaches it through drivers.hpp, without sqlite3.h).
#pragma once

#include <sqlite3.h>

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "store/sql.hpp"
#include "util/result.hpp"

namespace renkei::store::sqlite {

struct Finalize {
  void operator()(sqlite3_stmt* st) const { sqlite3_finalize(st); }
};
using StmtPtr = std::unique_ptr<sqlite3_stmt, Finalize>;

struct CloseDb {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using DbPtr = std::unique_ptr<sqlite3, CloseDb>;

// The store's error for a failed SQLite call: busy/locked -> kUnavailable, constraint -> kConflict,
// I/O and corruption -> kIo, the rest kInternal. `what` says what was being done.
Error error_of(sqlite3* db, int rc, std::string_view what);

Result<void> exec(sqlite3* db, std::string_view sql);

// Opens `path` with `flags` (sqlite3_open_v2), with a busy timeout, WAL, synchronous=FULL and
// foreign keys on.
Result<DbPtr> open(const std::string& path, int flags);

class Connection final : public sql::Connection {
 public:
  explicit Connection(DbPtr db) : db_(std::move(db)) {}
  sql::Dialect dialect() const override { return sql::Dialect::kSqlite; }
  Result<void> exec_script(std::string_view sql) override { return exec(db_.get(), sql); }
  Result<void> begin() override { return exec(db_.get(), "BEGIN IMMEDIATE"); }
  Result<void> commit() override { return exec(db_.get(), "COMMIT"); }
  void rollback() override { sqlite3_exec(db_.get(), "ROLLBACK", nullptr, nullptr, nullptr); }
  Result<void> backup_to(const std::string& path) override;
  sqlite3* raw() { return db_.get(); }

 protected:
  Result<sql::Rows> run(std::string_view sql, const sql::Param* params, std::size_t count) override;

 private:
  // Prepared statements by their SQL, reused (reset and rebound) instead of prepared on every
  // call: the store runs the same few dozen statements all day. Statements built per call (lists
  // with filters, multi-row inserts) are cached until kMaxCachedStatements, then prepared per call.
  static constexpr std::size_t kMaxCachedStatements = 96;
  DbPtr db_;
  std::unordered_map<std::string, StmtPtr> cache_;  // finalized before db_ is closed
};

}  // namespace renkei::store::sqlite
