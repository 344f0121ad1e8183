#include "store/sqlite_db.hpp"

namespace renkei::store::sqlite {

Error error_of(sqlite3* db, int rc, std::string_view what) {
  const std::string msg = std::string(what) + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  switch (rc & 0xFF) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Error{Errc::kUnavailable, msg, "the database is busy; retry in a moment"};
    case SQLITE_CONSTRAINT:
      return Error{Errc::kConflict, msg, "an object with this name or content exists already"};
    case SQLITE_IOERR:
    case SQLITE_CORRUPT:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_NOTADB:
      return Error{Errc::kIo, msg, "check the data directory: free space, permissions, and that the file is a renkei database"};
    default:
      return Error{Errc::kInternal, msg, ""};
  }
}

Statement::Statement(sqlite3* db, std::string_view sql) : db_(db) {
  sqlite3_stmt* st = nullptr;
  const int rc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), 0, &st, nullptr);
  if (rc != SQLITE_OK) {
    prepare_error_ = error_of(db, rc, "preparing a statement");
    sqlite3_finalize(st);
    return;
  }
  st_.reset(st);
}

Statement& Statement::bind(int i, std::int64_t v) {
  sqlite3_bind_int64(st_.get(), i, v);
  return *this;
}
Statement& Statement::bind(int i, std::string_view v) {
  sqlite3_bind_text64(st_.get(), i, v.data(), v.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  return *this;
}
Statement& Statement::bind_blob(int i, std::string_view v) {
  sqlite3_bind_blob64(st_.get(), i, v.data(), v.size(), SQLITE_TRANSIENT);
  return *this;
}
Statement& Statement::bind_null(int i) {
  sqlite3_bind_null(st_.get(), i);
  return *this;
}

Result<bool> Statement::step() {
  const int rc = sqlite3_step(st_.get());
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return tl::unexpected(error_of(db_, rc, "running a statement"));
}

Result<void> Statement::run() {
  for (;;) {
    auto row = step();
    if (!row) return tl::unexpected(row.error());
    if (!*row) return {};
  }
}

std::string Statement::text(int col) const {
  const auto* p = sqlite3_column_text(st_.get(), col);
  const int n = sqlite3_column_bytes(st_.get(), col);
  return p ? std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(n)) : std::string();
}

std::string Statement::blob(int col) const {
  const void* p = sqlite3_column_blob(st_.get(), col);
  const int n = sqlite3_column_bytes(st_.get(), col);
  return p ? std::string(static_cast<const char*>(p), static_cast<std::size_t>(n)) : std::string();
}

void Statement::reset() {
  sqlite3_reset(st_.get());
  sqlite3_clear_bindings(st_.get());
}

Transaction::Transaction(sqlite3* db) : db_(db) {}

Transaction::~Transaction() {
  if (open_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
}

Result<void> Transaction::begin() {
  if (auto r = exec(db_, "BEGIN IMMEDIATE"); !r) return r;
  open_ = true;
  return {};
}

Result<void> Transaction::commit() {
  if (auto r = exec(db_, "COMMIT"); !r) return r;
  open_ = false;
  return {};
}

Result<void> exec(sqlite3* db, std::string_view sql) {
  char* err = nullptr;
  const std::string s(sql);
  const int rc = sqlite3_exec(db, s.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    Error e = error_of(db, rc, "executing SQL");
    sqlite3_free(err);
    return tl::unexpected(std::move(e));
  }
  return {};
}

}  // namespace renkei::store::sqlite
