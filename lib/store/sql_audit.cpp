#include "store/sql_store.hpp"

// The audit log.

namespace renkei::store {

using namespace detail;  // NOLINT(google-build-using-namespace): the store's own helpers
using namespace model;   // NOLINT(google-build-using-namespace): the records this file stores

Result<void> SqlStore::audit(const AuditEntry& e) {
  if (e.action.empty())
    return make_error(Errc::kInvalidArgument, "an audit entry needs an action", "");
  auto c = pool_->write();
  RENKEI_CHECK(
      c->query("INSERT INTO audit_log (at, user_id, action, object, remote, detail) VALUES ($1, "
               "$2, $3, $4, $5, $6)",
               {now_rfc3339(), e.user_id, clean_text(e.action), clean_text(e.object),
                clean_text(e.remote), clean_text(e.detail)}));
  return {};
}

Result<std::vector<AuditEntry>> SqlStore::audit_log(std::int64_t before_id, int limit) {
  if (limit < 1 || limit > kMaxListLimit)
    return make_error(Errc::kInvalidArgument,
                      "limit must be between 1 and " + std::to_string(kMaxListLimit), "");
  auto c = pool_->read();
  RENKEI_TRY(rows, c->query("SELECT id, at, user_id, action, object, remote, detail FROM "
                            "audit_log WHERE ($1 = 0 OR id < $1) "
                            "ORDER BY id DESC LIMIT $2",
                            {before_id, limit}));
  std::vector<AuditEntry> out;
  while (rows.next())
    out.push_back({rows.int64(0), rows.text(1), rows.opt_int64(2), rows.text(3), rows.text(4),
                   rows.text(5), rows.text(6)});
  return out;
}

}  // namespace renkei::store
