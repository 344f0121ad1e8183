// Small ASCII helpers shared by the mime module (internal header).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "util/ascii.hpp"

namespace renkei::mime::detail {

using util::ascii_lower;
using util::iequals_ascii;

inline std::string to_lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = ascii_lower(c);
  return out;
}

inline bool iequals(std::string_view a, std::string_view b) {
  return iequals_ascii(a, b);
}

inline bool istarts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

inline bool is_wsp(char c) {
  return c == ' ' || c == '\t';
}
inline bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

inline std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

inline int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Tolerant base64 decoder: skips characters outside the alphabet, and does not stop at padding:
// "chunked" base64 (several independently padded blocks concatenated, used by malware to evade
// scanners and broken by GMime 3.2.13, gmime #150) decodes completely. Returns false when the
// input contained characters that are not base64 at all (besides whitespace), for a defect.
bool base64_decode(std::string_view in, std::string& out, std::size_t max_out);

// Tolerant quoted-printable decoder (RFC 2045 6.7): soft line breaks, lower-case hex accepted,
// a stray '=' kept literally. `header_q` selects RFC 2047 "Q" rules ('_' is a space).
void qp_decode(std::string_view in, std::string& out, bool header_q, std::size_t max_out);

}  // namespace renkei::mime::detail
