// Tables shared by classify() and generate(), so that what the generator produces is exactly
// what the classifier recognises (internal to the lookalike module).
#pragma once

#include <array>
#include <string_view>
#include <utility>

namespace renkei::lookalike::tables {

// Names shorter than kMinName bytes (or with fewer than kMinDistinct different characters) carry
// too little identity to be imitated recognisably; edit-distance techniques need kMinEditName
// characters (code points): "abc.com" vs "abd.com" are simply different names.
inline constexpr std::size_t kMinName = 4;
inline constexpr std::size_t kMinDistinct = 3;
inline constexpr std::size_t kMinEditName = 5;

// Keyboard neighbours of each letter and digit on QWERTY, QWERTZ and AZERTY (the layouts
// dnstwist uses), merged: 'a' -> "qwszy" etc. Returns "" for other characters.
std::string_view keyboard_neighbours(char c);
inline bool are_keyboard_neighbours(char a, char b) {
  const std::string_view n = keyboard_neighbours(a);
  return n.find(b) != std::string_view::npos;
}

// Names reserved for documentation and testing (RFC 2606, RFC 6761): nobody can register them, so
// they imitate nothing. `org` is an organisational domain, lowercased ASCII.
inline bool is_reserved_domain(std::string_view org) {
  if (org == "example.com" || org == "example.net" || org == "example.org") return true;
  const auto dot = org.rfind('.');
  const std::string_view tld = dot == std::string_view::npos ? org : org.substr(dot + 1);
  return tld == "example" || tld == "test" || tld == "invalid" || tld == "localhost";
}

inline bool is_vowel(char c) {
  return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}
inline constexpr std::string_view kVowels = "aeiou";

// Characters allowed in a domain label (ASCII form).
inline bool is_label_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

// ASCII look-alikes: each pair reads the same at a glance. Multi-character ones included
// ("rn" ~ "m", "vv" ~ "w", "cl" ~ "d"). Used by the generator to produce ASCII homoglyphs; the
// classifier folds with the UTS #39 skeleton plus fold_ascii() below.
inline constexpr std::array<std::pair<std::string_view, std::string_view>, 16> kAsciiHomoglyphs{{
    {"m", "rn"},
    {"w", "vv"},
    {"d", "cl"},
    {"l", "1"},
    {"l", "i"},
    {"i", "1"},
    {"o", "0"},
    {"s", "5"},
    {"b", "6"},
    {"g", "9"},
    {"g", "q"},
    {"e", "3"},
    {"a", "4"},
    {"t", "7"},
    {"z", "2"},
    {"n", "h"},
}};

// Non-Latin letters that look like Latin ones (Cyrillic, Greek), UTF-8, for IDN homoglyph
// generation: {latin letter, look-alike}. The classifier catches them through the UTS #39
// skeleton (ICU), not through this table.
inline constexpr std::array<std::pair<char, std::string_view>, 22> kScriptHomoglyphs{{
    {'a', "\xD0\xB0"},  // а U+0430
    {'c', "\xD1\x81"},  // с U+0441
    {'e', "\xD0\xB5"},  // е U+0435
    {'h', "\xD2\xBB"},  // һ U+04BB
    {'i', "\xD1\x96"},  // і U+0456
    {'j', "\xD1\x98"},  // ј U+0458
    {'k', "\xD0\xBA"},  // к U+043A (skeleton folds it only in some fonts; kept for generation)
    {'o', "\xD0\xBE"},  // о U+043E
    {'o', "\xCE\xBF"},  // ο U+03BF Greek
    {'p', "\xD1\x80"},  // р U+0440
    {'s', "\xD1\x95"},  // ѕ U+0455
    {'x', "\xD1\x85"},  // х U+0445
    {'y', "\xD1\x83"},  // у U+0443
    {'d', "\xD4\x81"},  // ԁ U+0501
    {'q', "\xD4\x9B"},  // ԛ U+051B
    {'w', "\xD4\x9D"},  // ԝ U+051D
    {'v', "\xCE\xBD"},  // ν U+03BD Greek
    {'n', "\xD5\xB8"},  // ո U+0578 Armenian
    {'u', "\xD5\xBD"},  // ս U+057D Armenian
    {'g', "\xC9\xA1"},  // ɡ U+0261
    {'l', "\xD3\x8F"},  // ӏ U+04CF
    {'b', "\xD0\xAC"},  // Ь U+042C (upper; lowercased by IDNA it becomes ь, which is not alike)
}};

// Words attackers add to a real name (dnstwist's dictionary idea, plus the Japanese-market ones
// seen in phishing: "jp", "support", "secure"…). Lowercase ASCII.
inline constexpr std::array<std::string_view, 44> kDictionary{{
    "account",  "accounts", "auth",   "billing",  "bank",         "card",     "cloud",   "confirm",
    "customer", "group",    "help",   "helpdesk", "info",         "japan",    "jp",      "login",
    "logon",    "mail",     "member", "members",  "my",           "net",      "online",  "pay",
    "payment",  "portal",   "secure", "security", "service",      "services", "shop",    "signin",
    "sso",      "support",  "update", "verify",   "verification", "web",      "webmail", "www",
    "official", "office",   "global", "inc",
}};

// Public suffixes tried by the generator's TLD swap, and the ones the classifier treats as the
// "same name elsewhere" family. Ordered roughly by how often they appear in BEC look-alikes.
inline constexpr std::array<std::string_view, 30> kSwapSuffixes{{
    "com",    "net",  "org",   "co",  "jp",     "co.jp",  "ne.jp",  "or.jp", "cc",     "com.cc",
    "biz",    "info", "us",    "cn",  "com.cn", "hk",     "com.hk", "tw",    "com.tw", "sg",
    "com.sg", "kr",   "co.kr", "top", "xyz",    "online", "site",   "shop",  "group",  "io",
}};

}  // namespace renkei::lookalike::tables
