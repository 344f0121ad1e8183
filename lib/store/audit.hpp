// renkei::store — the audit log: append-only. Contract as in store.hpp.
#pragma once

#include <cstdint>
#include <vector>

#include "model/model.hpp"
#include "util/result.hpp"

namespace renkei::store {

class AuditLog {
 public:
  virtual ~AuditLog() = default;
  virtual Result<void> audit(const model::AuditEntry& entry) = 0;
  // Newest first, ids below before_id (0 = from the newest); limit 1..kMaxListLimit.
  virtual Result<std::vector<model::AuditEntry>> audit_log(std::int64_t before_id, int limit) = 0;
};

}  // namespace renkei::store
