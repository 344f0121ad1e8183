// The PostgreSQL driver of the store's SQL connection (internal to the store module), over libpq.
#pragma once

#include <libpq-fe.h>

#include <memory>
#include <string>
#include <string_view>

#include "store/sql.hpp"
#include "util/result.hpp"

namespace renkei::store::pg {

struct Finish {
  void operator()(PGconn* c) const { PQfinish(c); }
};

class Connection final : public sql::Connection {
 public:
  // Connects with a libpq connection string ("postgresql://user@host:port/db" or "host=…
  // dbname=…"). kInvalidArgument for a malformed string, kUnavailable when the server cannot be
  // reached.
  static Result<std::unique_ptr<Connection>> open(const std::string& conninfo);

  sql::Dialect dialect() const override { return sql::Dialect::kPostgres; }
  Result<void> exec_script(std::string_view sql) override;
  Result<void> begin() override;
  Result<void> commit() override;
  void rollback() override;
  Result<void> backup_to(const std::string& path) override;

 protected:
  Result<sql::Rows> run(std::string_view sql, const sql::Param* params, std::size_t count) override;

 private:
  explicit Connection(PGconn* c) : conn_(c) {}
  // Reconnects once when the connection was lost (a restarted server), outside a transaction.
  Result<void> ensure_connected();

  std::unique_ptr<PGconn, Finish> conn_;
  bool in_transaction_ = false;
};

}  // namespace renkei::store::pg
