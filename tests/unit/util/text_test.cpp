// The ASCII text helpers every module leans on (util/text.hpp): only A-Z fold, bytes >= 0x80
// are left alone, and each white-space set is exactly the documented one.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "util/text.hpp"

namespace renkei::util {
namespace {

// The obvious definition ifind must agree with.
std::size_t reference_ifind_ascii(std::string_view hay, std::string_view needle, std::size_t from) {
  if (needle.empty()) return from <= hay.size() ? from : std::string_view::npos;
  for (std::size_t i = from; i + needle.size() <= hay.size(); ++i)
    if (iequals_ascii(hay.substr(i, needle.size()), needle)) return i;
  return std::string_view::npos;
}

TEST(Text, AsciiLowerFoldsOnlyAtoZ) {
  EXPECT_EQ(ascii_lower('A'), 'a');
  EXPECT_EQ(ascii_lower('Z'), 'z');
  EXPECT_EQ(ascii_lower('a'), 'a');
  EXPECT_EQ(ascii_lower('@'), '@');  // just before 'A'
  EXPECT_EQ(ascii_lower('['), '[');  // just after 'Z'
  EXPECT_EQ(ascii_lower('0'), '0');
  // Bytes >= 0x80 are never folded, whatever a locale would say (Latin-1 'À' is 0xC0).
  for (int b = 0x80; b <= 0xFF; ++b)
    EXPECT_EQ(ascii_lower(static_cast<char>(b)), static_cast<char>(b)) << b;
  EXPECT_EQ(ascii_lower(std::string_view("MiXeD-Case 123")), "mixed-case 123");
  EXPECT_EQ(ascii_lower(std::string_view("\xC3\x80\xC3\x89 ÉTÉ")),
            "\xC3\x80\xC3\x89 \xC3\x89t\xC3\x89");
  EXPECT_EQ(ascii_lower(std::string_view()), "");
  std::string s = "ABC\xC0xyz";
  ascii_lower_in_place(s);
  EXPECT_EQ(s, "abc\xC0xyz");
}

TEST(Text, IequalsComparesLengthAndAsciiCase) {
  EXPECT_TRUE(iequals_ascii("Content-Type", "content-TYPE"));
  EXPECT_TRUE(iequals_ascii("", ""));
  EXPECT_FALSE(iequals_ascii("abc", "abcd"));  // a prefix is not equal
  EXPECT_FALSE(iequals_ascii("abcd", "abc"));
  EXPECT_FALSE(iequals_ascii("", "a"));
  EXPECT_FALSE(iequals_ascii("a", "b"));
  EXPECT_FALSE(iequals_ascii("\xC0", "\xE0"));  // Latin-1 'À' and 'à' are not folded
  EXPECT_FALSE(iequals_ascii("@", "`"));        // 0x40 and 0x60 differ by 32 but are not letters
  EXPECT_FALSE(iequals_ascii("[", "{"));
}

TEST(Text, IstartsWith) {
  EXPECT_TRUE(istarts_with_ascii("HTTPS://x", "https:"));
  EXPECT_TRUE(istarts_with_ascii("abc", ""));
  EXPECT_TRUE(istarts_with_ascii("abc", "ABC"));
  EXPECT_FALSE(istarts_with_ascii("ab", "abc"));
  EXPECT_FALSE(istarts_with_ascii("xabc", "abc"));
}

TEST(Text, TrimRemovesEachHeaderSpaceKind) {
  EXPECT_EQ(trim(" a"), "a");
  EXPECT_EQ(trim("\ta"), "a");
  EXPECT_EQ(trim("\ra"), "a");
  EXPECT_EQ(trim("\na"), "a");
  EXPECT_EQ(trim("a \t\r\n"), "a");
  EXPECT_EQ(trim(" \t a b \r\n"), "a b");  // inner space kept
  EXPECT_EQ(trim(" \t\r\n"), "");
  EXPECT_EQ(trim(""), "");
  // Form feed, vertical tab and NBSP are not header white space.
  EXPECT_EQ(trim("\fa\v"), "\fa\v");
  EXPECT_EQ(trim("\xC2\xA0"
                 "a"),
            "\xC2\xA0"
            "a");
}

TEST(Text, TrimCSpaceAlsoRemovesFormFeedAndVerticalTab) {
  EXPECT_EQ(trim_c_space("\f\v a \t\r\n"), "a");
  EXPECT_EQ(trim_c_space("\xC2\xA0"
                         "a"),
            "\xC2\xA0"
            "a");  // NBSP is not ASCII space
  EXPECT_EQ(trim_c_space("\f\v"), "");
  for (int b = 0; b <= 0xFF; ++b) {
    const char c = static_cast<char>(b);
    const bool c_space = b == ' ' || (b >= '\t' && b <= '\r');
    EXPECT_EQ(is_c_space(c), c_space) << b;
    EXPECT_EQ(is_ascii_space(c), b == ' ' || b == '\t' || b == '\r' || b == '\n') << b;
  }
}

TEST(Text, ClassesAndHexValue) {
  EXPECT_EQ(hex_value('0'), 0);
  EXPECT_EQ(hex_value('9'), 9);
  EXPECT_EQ(hex_value('a'), 10);
  EXPECT_EQ(hex_value('F'), 15);
  EXPECT_EQ(hex_value('g'), -1);
  EXPECT_EQ(hex_value('G'), -1);
  EXPECT_EQ(hex_value('/'), -1);
  EXPECT_TRUE(is_hex_digit('f') && is_hex_digit('A') && !is_hex_digit('x'));
  EXPECT_TRUE(is_ascii_alpha('z') && is_ascii_alpha('A') && !is_ascii_alpha('1'));
  EXPECT_FALSE(is_ascii_alpha('\xC0'));
  EXPECT_TRUE(is_ascii_alnum('7') && !is_ascii_alnum('-'));
  EXPECT_TRUE(is_ascii("plain text"));
  EXPECT_TRUE(is_ascii(""));
  EXPECT_FALSE(is_ascii("caf\xC3\xA9"));
  EXPECT_FALSE(is_ascii(std::string_view("\x80", 1)));
}

TEST(Text, IfindFindsEitherCase) {
  EXPECT_EQ(ifind_ascii("Call our TEL desk", "tel"), 9u);
  EXPECT_EQ(ifind_ascii("Tel: 03", "TEL"), 0u);
  EXPECT_EQ(ifind_ascii("hotel", "tel"), 2u);
  EXPECT_EQ(ifind_ascii("hotel", "tel", 3), std::string_view::npos);
  EXPECT_EQ(ifind_ascii("te", "tel"), std::string_view::npos);
  EXPECT_EQ(ifind_ascii("abc", "", 3), 3u);
  EXPECT_EQ(ifind_ascii("abc", "", 4), std::string_view::npos);
  EXPECT_EQ(ifind_ascii("株式会社 ABC", "abc"), 13u);
  EXPECT_EQ(ifind_ascii("@@x", "@X"), 1u);
}

TEST(Text, IfindAgreesWithTheObviousSearch) {
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
    ASSERT_EQ(ifind_ascii(hay, needle, from), reference_ifind_ascii(hay, needle, from))
        << "hay '" << hay << "' needle '" << needle << "' from " << from;
  }
}

}  // namespace
}  // namespace renkei::util
