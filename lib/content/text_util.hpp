// Small ASCII / UTF-8 helpers shared by the content module (internal header).
#pragma once

#include <cstddef>
#include <cstring>
#include <string>
#include <string_view>

#include "util/utf8.hpp"

namespace renkei::content::detail {

inline char ascii_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
}
inline bool is_ascii_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
inline bool is_ascii_digit(char c) {
  return c >= '0' && c <= '9';
}
inline bool is_ascii_alnum(char c) {
  return is_ascii_alpha(c) || is_ascii_digit(c);
}
inline bool is_hex_digit(char c) {
  return is_ascii_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
inline int hex_value(char c) {
  if (is_ascii_digit(c)) return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
// HTML / ASCII whitespace (no NBSP: that is a visible space in text and handled separately).
inline bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

inline void lower_in_place(std::string& s) {
  for (auto& c : s) c = ascii_lower(c);
}
inline std::string to_lower(std::string_view s) {
  std::string out(s);
  lower_in_place(out);
  return out;
}

inline bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  return true;
}
inline bool istarts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}
// Case-insensitive search for an ASCII needle; npos when absent. Candidates are found with memchr
// for the first character's two cases (each scan resumes where it stopped: linear).
inline std::size_t ifind(std::string_view hay, std::string_view needle, std::size_t from = 0) {
  constexpr std::size_t npos = std::string_view::npos;
  if (needle.empty()) return from <= hay.size() ? from : npos;
  if (needle.size() > hay.size() || from > hay.size() - needle.size()) return npos;
  const std::size_t last = hay.size() - needle.size();  // the last possible start
  const char lower = ascii_lower(needle[0]);
  const char upper = (lower >= 'a' && lower <= 'z') ? static_cast<char>(lower - 32) : lower;
  auto next = [&](char c, std::size_t at) {
    if (at > last) return npos;
    const void* p = std::memchr(hay.data() + at, c, last - at + 1);
    return p == nullptr ? npos : static_cast<std::size_t>(static_cast<const char*>(p) - hay.data());
  };
  std::size_t next_lower = next(lower, from);
  std::size_t next_upper = upper == lower ? npos : next(upper, from);
  const std::string_view rest = needle.substr(1);
  while (true) {
    const std::size_t i = next_lower < next_upper ? next_lower : next_upper;
    if (i == npos) return npos;
    if (iequals(hay.substr(i + 1, rest.size()), rest)) return i;
    if (i == next_lower)
      next_lower = next(lower, i + 1);
    else
      next_upper = next(upper, i + 1);
  }
}

inline std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

using utf8::append_utf8;
using utf8::kReplacementChar;
using utf8::next_code_point;

// Largest prefix length <= max that does not split a UTF-8 sequence.
inline std::size_t utf8_safe_cut(std::string_view s, std::size_t max) {
  if (s.size() <= max) return s.size();
  std::size_t cut = max;
  // Step back over at most three continuation bytes to the start of the sequence.
  for (int k = 0; k < 3 && cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0u) == 0x80u; ++k)
    --cut;
  return cut;
}

// Characters that take no space on screen but split words, used to break keyword matching
// ("Pass\u200Bword"): zero-width space/joiners, word joiner, BOM, soft hyphen.
inline bool is_invisible_format_char(char32_t cp) {
  return cp == 0x00AD || (cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 || cp == 0xFEFF;
}

// Unicode whitespace that renders as a blank: NBSP, ideographic space and the U+2000 block.
inline bool is_unicode_blank(char32_t cp) {
  return cp == 0x00A0 || cp == 0x3000 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F ||
         cp == 0x205F || cp == 0x1680;
}

}  // namespace renkei::content::detail
