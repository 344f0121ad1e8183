// renkei::util time — RFC 3339 UTC times, the form the hub stores and sends
// ("2026-11-22T06:30:00Z": sorts and compares as text, reads the same in every tool).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace renkei::util {

// "2026-11-22T06:30:00Z" (whole seconds, UTC).
std::string rfc3339_utc(std::chrono::sys_seconds t);
inline std::string rfc3339_utc(std::chrono::system_clock::time_point t) {
  return rfc3339_utc(std::chrono::floor<std::chrono::seconds>(t));
}
inline std::string now_rfc3339() {
  return rfc3339_utc(std::chrono::system_clock::now());
}

// "2026-10-01T00:00:00+09:00", "2026-09-30T15:00:00Z", "2026-09-30T15:00:00.123Z" -> the instant
// (fractions of a second dropped); nullopt for anything else. Seconds, not the system clock's
// nanoseconds, so years after 2262 do not overflow.
std::optional<std::chrono::sys_seconds> parse_rfc3339(std::string_view s);

}  // namespace renkei::util
