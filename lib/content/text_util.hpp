// UTF-8 and Unicode-blank helpers shared by the content module (internal header); the ASCII
// helpers are in util/text.hpp (HTML's white space is util::is_c_space / util::trim_c_space).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "util/text.hpp"
#include "util/utf8.hpp"

namespace renkei::content::detail {

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
