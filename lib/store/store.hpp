// renkei::store — the hub's storage: the community (community.hpp), accounts and credentials
// (accounts.hpp), submissions with their analysis, the analysis queue and statistics
// (submissions.hpp), campaigns (campaigns.hpp), triage (triage.hpp) and the audit log (audit.hpp).
// Shares get an interface of their own beside these when they come.
//
// Contract: a Store is a handle on one database — the embedded SQLite file or a PostgreSQL server;
// the same implementation runs on both (sql_store.hpp). It holds a small pool of connections
// (StoreConfig::connections): on PostgreSQL that many connections; on SQLite one writer and
// readers beside it (WAL lets readers work while a write commits). Its methods are thread-safe,
// several run at once, and each is one transaction: it happens completely or not at all. Several
// processes may open the same database; work is claimed atomically (claim_next; FOR UPDATE SKIP
// LOCKED on PostgreSQL), so no job is done twice. What a method returns successfully is durable
// (SQLite WAL with synchronous=FULL; PostgreSQL's commit). Text that comes from outside is stored
// as valid UTF-8 without NUL (invalid bytes become U+FFFD). Errors are values: kNotFound,
// kConflict (unique names), kInvalidArgument (what to fix in the hint), kUnavailable (database busy
// beyond the timeout: retry), kIo / kInternal.
#pragma once

#include <memory>
#include <string>

#include "model/model.hpp"
#include "store/accounts.hpp"
#include "store/audit.hpp"
#include "store/campaigns.hpp"
#include "store/community.hpp"
#include "store/submissions.hpp"
#include "store/triage.hpp"
#include "util/result.hpp"

namespace renkei::store {

class Store : public CommunityStore,
              public AccountStore,
              public SubmissionStore,
              public AnalysisQueue,
              public StatsStore,
              public AuditLog,
              public CampaignStore,
              public TriageStore {
 public:
  ~Store() override = default;

  // Applies the migrations not yet applied (lib/store/schema/<backend>/NNNN_*.sql, in order, each
  // in a transaction); returns the schema version now. Opening a store does not migrate;
  // `renkei serve` and `renkei admin migrate` do.
  virtual Result<int> migrate() = 0;
  virtual Result<int> schema_version() = 0;

  // A consistent copy of the whole database into `path` (which must not exist), while in use.
  // SQLite only: on PostgreSQL kInvalidArgument, with pg_dump in the hint.
  virtual Result<void> backup_to(const std::string& path) = 0;
};

// Where the hub keeps its data: `database` empty means the embedded SQLite store in data_dir;
// "postgresql://…" (or "postgres://…", or a libpq "key=value" string) means that PostgreSQL
// database, shared by every `renkei serve` pointed at it. `connections` is the pool's size (at
// least 1): as many calls run at once.
struct StoreConfig {
  std::string data_dir = "renkei-data";
  std::string database;
  unsigned connections = 1;
};
Result<std::unique_ptr<Store>> open_store(const StoreConfig& config);
// Opens the PostgreSQL store (libpq connection string). kUnavailable when the server cannot be
// reached (the hint says how to check), kInvalidArgument for a malformed connection string.
Result<std::unique_ptr<Store>> open_postgres(const std::string& conninfo, unsigned connections = 1);

// Opens (creating if needed) the SQLite store in data_dir/renkei.db. Errors: kIo with the path when
// the directory cannot be created or the file opened; kUnavailable when it stays locked.
Result<std::unique_ptr<Store>> open_sqlite(const std::string& data_dir, unsigned connections = 1);
// The file open_sqlite uses in a data directory.
std::string sqlite_path(const std::string& data_dir);
// Replaces data_dir's database by a backup made with backup_to (the server must be stopped):
// checks that the backup is a renkei database first.
Result<void> restore_sqlite(const std::string& data_dir, const std::string& backup_path);

}  // namespace renkei::store
