#include "util/time.hpp"

#include <gtest/gtest.h>

using namespace renkei::util;

TEST(Time, Rfc3339RoundTripsWithOffsetsAndFractions) {
  EXPECT_EQ(rfc3339_utc(*parse_rfc3339("2026-10-01T00:00:00+09:00")), "2026-09-30T15:00:00Z");
  EXPECT_EQ(rfc3339_utc(*parse_rfc3339("2026-09-30T15:00:00.123Z")), "2026-09-30T15:00:00Z");
  EXPECT_EQ(rfc3339_utc(*parse_rfc3339("2026-01-01T00:30:00-01:30")), "2026-01-01T02:00:00Z");
  EXPECT_EQ(rfc3339_utc(*parse_rfc3339("2999-01-01T00:00:00Z")),
            "2999-01-01T00:00:00Z");  // past 2262
  EXPECT_EQ(now_rfc3339().size(), 20u);
}

TEST(Time, MalformedTimesAreRefused) {
  for (const char* bad :
       {"", "yesterday", "2026-13-01T00:00:00Z", "2026-10-01", "2026-10-01T00:00:00",
        "2026-10-01T00:00:00+9", "2026-10-01T25:00:00Z", "2026-10-01T00:00:00Zjunk"})
    EXPECT_FALSE(parse_rfc3339(bad).has_value()) << bad;
}
