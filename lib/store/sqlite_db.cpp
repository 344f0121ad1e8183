#include "store/sqlite_db.hpp"

#include <filesystem>
#include <system_error>
#include <vector>

#include "store/drivers.hpp"

namespace renkei::store::sqlite {
namespace {

constexpr int kBusyTimeoutMs = 5000;

}  // namespace

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
      return Error{Errc::kIo, msg,
                   "check the data directory: free space, permissions, and that the file is a "
                   "renkei database"};
    default:
      return Error{Errc::kInternal, msg, ""};
  }
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

Result<DbPtr> open(const std::string& path, int flags) {
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  DbPtr db(raw);
  if (rc != SQLITE_OK) return tl::unexpected(error_of(raw, rc, "opening " + path));
  sqlite3_busy_timeout(raw, kBusyTimeoutMs);
  sqlite3_extended_result_codes(raw, 1);
  if ((flags & SQLITE_OPEN_READONLY) != 0) return db;
  // WAL: readers do not block the writer; synchronous=FULL: a commit is on disk when it returns,
  // so an acknowledged submission survives a crash or kill -9.
  for (const char* pragma :
       {"PRAGMA journal_mode = WAL", "PRAGMA synchronous = FULL", "PRAGMA foreign_keys = ON"})
    if (auto r = exec(raw, pragma); !r) return tl::unexpected(r.error());
  return db;
}

Result<sql::Rows> Connection::run(std::string_view sql, const sql::Param* params,
                                  std::size_t count) {
  sqlite3* db = db_.get();
  sqlite3_stmt* raw = nullptr;
  StmtPtr once;  // a statement that is not cached, finalized on return
  if (auto hit = cache_.find(std::string(sql)); hit != cache_.end()) {
    raw = hit->second.get();
  } else {
    const bool keep = cache_.size() < kMaxCachedStatements;
    const int prc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()),
                                       keep ? SQLITE_PREPARE_PERSISTENT : 0, &raw, nullptr);
    StmtPtr prepared(raw);
    if (prc != SQLITE_OK) return tl::unexpected(error_of(db, prc, "preparing a statement"));
    if (keep)
      cache_.emplace(std::string(sql), std::move(prepared));
    else
      once = std::move(prepared);
  }
  // Whatever happens below, the statement is left reset and unbound for its next use (a reset
  // statement holds no read transaction open).
  struct Reset {
    sqlite3_stmt* st;
    ~Reset() {
      sqlite3_reset(st);
      sqlite3_clear_bindings(st);
    }
  } reset{raw};
  for (std::size_t k = 0; k < count; ++k) {
    const sql::Param& p = params[k];
    const std::size_t n = k + 1;
    const std::string name = "$" + std::to_string(n);
    const int i = sqlite3_bind_parameter_index(raw, name.c_str());
    if (i == 0) continue;  // a parameter the statement does not use
    switch (p.type()) {
      case sql::Param::Type::kNull:
        sqlite3_bind_null(raw, i);
        break;
      case sql::Param::Type::kInt:
        sqlite3_bind_int64(raw, i, p.int64());
        break;
      case sql::Param::Type::kText:
        // (a null pointer would bind NULL: an empty text is still text)
        sqlite3_bind_text64(raw, i, p.text().data() ? p.text().data() : "", p.text().size(),
                            SQLITE_STATIC, SQLITE_UTF8);
        break;
      case sql::Param::Type::kBytes:
        // A zero-length blob must not be bound as NULL (sqlite binds a null pointer as NULL).
        if (p.text().empty())
          sqlite3_bind_zeroblob(raw, i, 0);
        else
          sqlite3_bind_blob64(raw, i, p.text().data(), p.text().size(), SQLITE_STATIC);
        break;
    }
  }
  sql::Rows rows;
  const int cols = sqlite3_column_count(raw);
  for (;;) {
    const int rc = sqlite3_step(raw);
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) return tl::unexpected(error_of(db, rc, "running a statement"));
    std::vector<std::optional<std::string>> row(static_cast<std::size_t>(cols));
    for (int c = 0; c < cols; ++c) {
      if (sqlite3_column_type(raw, c) == SQLITE_NULL) continue;
      const void* p = sqlite3_column_type(raw, c) == SQLITE_BLOB
                          ? sqlite3_column_blob(raw, c)
                          : static_cast<const void*>(sqlite3_column_text(raw, c));
      const int len = sqlite3_column_bytes(raw, c);
      row[static_cast<std::size_t>(c)] =
          p ? std::string(static_cast<const char*>(p), static_cast<std::size_t>(len))
            : std::string();
    }
    rows.add_row(std::move(row));
  }
  if (!sqlite3_stmt_readonly(raw)) rows.changed = sqlite3_changes(db);
  return rows;
}

}  // namespace renkei::store::sqlite

namespace renkei::store::sqlite {
namespace {

Result<void> copy_database(sqlite3* from, sqlite3* to, const std::string& what) {
  sqlite3_backup* b = sqlite3_backup_init(to, "main", from, "main");
  if (b == nullptr) return tl::unexpected(error_of(to, sqlite3_errcode(to), what));
  const int rc = sqlite3_backup_step(b, -1);
  sqlite3_backup_finish(b);
  if (rc != SQLITE_DONE) return tl::unexpected(error_of(to, rc, what));
  return {};
}

}  // namespace

Result<void> Connection::backup_to(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::exists(path, ec))
    return make_error(Errc::kConflict, "the backup file " + path + " exists already",
                      "choose a new file name");
  RENKEI_TRY(dest, open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE));
  return copy_database(db_.get(), dest.get(), "backing up to " + path);
}

Result<std::unique_ptr<sql::Connection>> connect(const std::string& path, bool writer) {
  RENKEI_TRY(db,
             open(path, writer ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
                               : SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX));
  if (!writer)
    if (auto r = exec(db.get(), "PRAGMA query_only = ON"); !r) return tl::unexpected(r.error());
  return std::unique_ptr<sql::Connection>(std::make_unique<Connection>(std::move(db)));
}

Result<void> restore(const std::string& db_path, const std::string& backup_path) {
  RENKEI_TRY(from, open(backup_path, SQLITE_OPEN_READONLY));
  Connection check(std::move(from));
  auto version = check.query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", {});
  if (!version || !version->next() || version->int64(0) < 1)
    return make_error(Errc::kInvalidArgument, backup_path + " is not a renkei backup",
                      "give a file made by `renkei admin backup`");
  RENKEI_TRY(to, open(db_path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE));
  return copy_database(check.raw(), to.get(), "restoring from " + backup_path);
}

}  // namespace renkei::store::sqlite
