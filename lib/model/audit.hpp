// renkei::model — the audit log: who did what to which object, appended to and never changed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace renkei::model {

struct AuditEntry {
  std::int64_t id = 0;
  std::string at;  // RFC 3339 UTC (set by the store)
  std::optional<std::int64_t> user_id;
  std::string action;  // "submission.create", "token.create", "org.update", …
  std::string object;  // "submission:42"
  std::string remote;  // client address, "cli" for local commands
  std::string detail;  // short JSON or text
};

}  // namespace renkei::model
