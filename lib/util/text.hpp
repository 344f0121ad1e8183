// ASCII text helpers shared by every module: locale-free, for protocol tokens (header names,
// charset labels, schemes, host names) where only A-Z fold and bytes >= 0x80 are left alone.
// This is the one home of these helpers; modules keep only helpers that genuinely differ (Unicode
// case folding, RFC 5322 WSP, HTML rules) and say why beside them.
#pragma once

#include <cstddef>
#include <cstring>
#include <string>
#include <string_view>

namespace renkei::util {

// 'A'-'Z' to 'a'-'z'; every other byte (including >= 0x80) unchanged.
inline char ascii_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
}

// Lowers 'A'-'Z' in place; every other byte unchanged.
inline void ascii_lower_in_place(std::string& s) {
  for (auto& c : s) c = ascii_lower(c);
}

// A copy of s with 'A'-'Z' lowered; every other byte unchanged.
inline std::string ascii_lower(std::string_view s) {
  std::string out(s);
  ascii_lower_in_place(out);
  return out;
}

// True when a and b have the same length and are equal once 'A'-'Z' are lowered.
inline bool iequals_ascii(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  return true;
}

// True when s begins with prefix, ASCII case-insensitively (an empty prefix always matches).
inline bool istarts_with_ascii(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && iequals_ascii(s.substr(0, prefix.size()), prefix);
}

// Position of the first ASCII case-insensitive occurrence of needle in hay at or after from; npos
// when absent. Candidates are found with memchr for the first character's two cases (each scan
// resumes where it stopped: linear in practice).
inline std::size_t ifind_ascii(std::string_view hay, std::string_view needle,
                               std::size_t from = 0) {
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
    if (iequals_ascii(hay.substr(i + 1, rest.size()), rest)) return i;
    if (i == next_lower)
      next_lower = next(lower, i + 1);
    else
      next_upper = next(upper, i + 1);
  }
}

// 'a'-'z' or 'A'-'Z'.
inline bool is_ascii_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
// '0'-'9'.
inline bool is_ascii_digit(char c) {
  return c >= '0' && c <= '9';
}
// An ASCII letter or digit.
inline bool is_ascii_alnum(char c) {
  return is_ascii_alpha(c) || is_ascii_digit(c);
}
// '0'-'9', 'a'-'f' or 'A'-'F'.
inline bool is_hex_digit(char c) {
  return is_ascii_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
// The value 0-15 of a hex digit; -1 for any other byte.
inline int hex_value(char c) {
  if (is_ascii_digit(c)) return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// True when every byte is below 0x80 (an empty string is ASCII).
inline bool is_ascii(std::string_view s) {
  for (char c : s)
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  return true;
}

// Space, tab, CR or LF: the white space of mail headers and protocol lines.
inline bool is_ascii_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// s without leading and trailing space, tab, CR and LF (a view into s).
inline std::string_view trim(std::string_view s) {
  while (!s.empty() && is_ascii_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_ascii_space(s.back())) s.remove_suffix(1);
  return s;
}

// The C locale's isspace set: space, tab, LF, VT, FF, CR. Wider than is_ascii_space because
// text (HTML, list files, message bodies) also uses form feed and vertical tab as blanks; no
// NBSP or other Unicode space (callers that need those handle them separately).
inline bool is_c_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// s without leading and trailing is_c_space bytes (a view into s).
inline std::string_view trim_c_space(std::string_view s) {
  while (!s.empty() && is_c_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_c_space(s.back())) s.remove_suffix(1);
  return s;
}

}  // namespace renkei::util
