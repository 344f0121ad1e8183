// HTML5 character references (internal header).
#pragma once

#include <string>
#include <string_view>

namespace renkei::content::detail {

// Appends `s` to `out` with character references decoded the way the HTML5 tokenizer does:
// every named reference of the WHATWG table, the legacy ones also without ';' (except, inside an
// attribute value, before an alphanumeric or '=' so "?a=1&copy=2" stays a URL), and numeric
// references with the Windows-1252 remapping of 0x80-0x9F and U+FFFD for NUL, surrogates and
// values beyond U+10FFFF.
void append_decoded_entities(std::string_view s, bool in_attribute, std::string& out);

inline std::string decode_entities(std::string_view s, bool in_attribute) {
  std::string out;
  append_decoded_entities(s, in_attribute, out);
  return out;
}

}  // namespace renkei::content::detail
