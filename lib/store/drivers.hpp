// The store's two database drivers as the rest of the store sees them (internal to the store
// module): connections behind sql::Connection, without the C libraries' headers.
#pragma once

#include <memory>
#include <string>

#include "store/sql.hpp"
#include "util/result.hpp"

namespace renkei::store::sqlite {
// Opens the database file `path` (WAL, synchronous=FULL, foreign keys, a busy timeout). A writer
// creates the file when missing; a reader is refused writes (query_only).
Result<std::unique_ptr<sql::Connection>> connect(const std::string& path, bool writer);
// Replaces the database at `db_path` by the backup at `backup_path`, after checking that the
// backup is a renkei database (kInvalidArgument otherwise).
Result<void> restore(const std::string& db_path, const std::string& backup_path);
}  // namespace renkei::store::sqlite

namespace renkei::store::pg {
// Connects with a libpq connection string (see pg_db.hpp for the errors).
Result<std::unique_ptr<sql::Connection>> connect(const std::string& conninfo);
}  // namespace renkei::store::pg
