// The small text helpers every content module leans on.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "content/text_util.hpp"

namespace renkei::content::detail {
namespace {

// The obvious definition ifind must agree with.
std::size_t reference_ifind(std::string_view hay, std::string_view needle, std::size_t from) {
  if (needle.empty()) return from <= hay.size() ? from : std::string_view::npos;
  for (std::size_t i = from; i + needle.size() <= hay.size(); ++i)
    if (iequals(hay.substr(i, needle.size()), needle)) return i;
  return std::string_view::npos;
}

TEST(TextUtil, IfindFindsEitherCase) {
  EXPECT_EQ(ifind("Call our TEL desk", "tel"), 9u);
  EXPECT_EQ(ifind("Tel: 03", "TEL"), 0u);
  EXPECT_EQ(ifind("hotel", "tel"), 2u);
  EXPECT_EQ(ifind("hotel", "tel", 3), std::string_view::npos);
  EXPECT_EQ(ifind("te", "tel"), std::string_view::npos);
  EXPECT_EQ(ifind("abc", "", 3), 3u);
  EXPECT_EQ(ifind("abc", "", 4), std::string_view::npos);
  EXPECT_EQ(ifind("株式会社 ABC", "abc"), 13u);
  EXPECT_EQ(ifind("@@x", "@X"), 1u);
}

TEST(TextUtil, IfindAgreesWithTheObviousSearch) {
  // A small alphabet with both cases and non-letters makes near misses frequent.
  std::mt19937 rng(7);
  const std::string alphabet = "aAbB@. \xE3\x81";
  auto random_string = [&](std::size_t max) {
    std::string s(rng() % (max + 1), ' ');
    for (char& c : s) c = alphabet[rng() % alphabet.size()];
    return s;
  };
  for (int round = 0; round < 20000; ++round) {
    const std::string hay = random_string(40);
    const std::string needle = random_string(4);
    const std::size_t from = rng() % (hay.size() + 3);
    ASSERT_EQ(ifind(hay, needle, from), reference_ifind(hay, needle, from))
        << "hay '" << hay << "' needle '" << needle << "' from " << from;
  }
}

}  // namespace
}  // namespace renkei::content::detail
