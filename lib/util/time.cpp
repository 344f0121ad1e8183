#include "util/time.hpp"

#include <cstdio>
#include <ctime>

namespace renkei::util {

std::string rfc3339_utc(std::chrono::sys_seconds t) {
  const std::time_t tt = t.time_since_epoch().count();
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::optional<std::chrono::sys_seconds> parse_rfc3339(std::string_view s) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
  char tail[16] = {};
  const std::string str(s.substr(0, 40));
  if (std::sscanf(str.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%15s", &y, &mo, &d, &h, &mi, &sec, tail) < 6)
    return std::nullopt;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) return std::nullopt;
  std::string_view rest = tail;
  if (!rest.empty() && rest[0] == '.') {  // fractions of a second: ignored
    std::size_t i = 1;
    while (i < rest.size() && rest[i] >= '0' && rest[i] <= '9') ++i;
    rest.remove_prefix(i);
  }
  int offset_min = 0;
  if (rest == "Z" || rest == "z") {
  } else if (rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':') {
    const int oh = (rest[1] - '0') * 10 + (rest[2] - '0'),
              om = (rest[4] - '0') * 10 + (rest[5] - '0');
    if (oh > 23 || om > 59) return std::nullopt;
    offset_min = (rest[0] == '+' ? 1 : -1) * (oh * 60 + om);
  } else {
    return std::nullopt;
  }
  const auto days =
      std::chrono::sys_days(std::chrono::year(y) / std::chrono::month(static_cast<unsigned>(mo)) /
                            std::chrono::day(static_cast<unsigned>(d)));
  // Seconds, not the clock's nanoseconds: those overflow after the year 2262.
  return std::chrono::sys_seconds(days) + std::chrono::hours(h) +
         std::chrono::minutes(mi - offset_min) + std::chrono::seconds(sec);
}

}  // namespace renkei::util
