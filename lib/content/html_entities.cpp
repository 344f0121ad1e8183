// Character reference decoding for the fast HTML path (see html_entities.hpp).
#include "content/html_entities.hpp"

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <string>
#include <string_view>

#include "content/text_util.hpp"

namespace renkei::content::detail {
namespace {

struct NamedReference {
  std::string_view name;  // without '&', with ';' when the reference needs it
  char32_t first;
  char32_t second;  // 0 when the reference is one code point
};

constexpr NamedReference kNamedReferences[] = {
#include "content/html_entities.inc"
};

// The longest name in the table ("CounterClockwiseContourIntegral;").
constexpr std::size_t kMaxNameBytes = 32;

// Numeric references 0x80-0x9F mean Windows-1252 (HTML5 "numeric character reference end").
constexpr char32_t kWindows1252[32] = {
    0x20AC, 0x81,   0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x8D,   0x017D, 0x8F,   0x90,   0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D,   0x017E, 0x0178};

const NamedReference* find_reference(std::string_view name) {
  const auto* end = std::end(kNamedReferences);
  const auto* it =
      std::lower_bound(std::begin(kNamedReferences), end, name,
                       [](const NamedReference& r, std::string_view n) { return r.name < n; });
  return (it != end && it->name == name) ? it : nullptr;
}

// Decodes the reference at s[i] == '&'; returns the bytes consumed, 0 when it is not one.
std::size_t decode_one(std::string_view s, std::size_t i, bool in_attribute, std::string& out) {
  std::size_t j = i + 1;
  if (j < s.size() && s[j] == '#') {
    ++j;
    const bool hex = j < s.size() && (s[j] == 'x' || s[j] == 'X');
    if (hex) ++j;
    const std::size_t digits_begin = j;
    char32_t cp = 0;
    while (j < s.size() && (hex ? util::is_hex_digit(s[j]) : util::is_ascii_digit(s[j]))) {
      // Saturate: any value past U+10FFFF becomes U+FFFD however long the digit run.
      if (cp <= 0x10FFFF)
        cp = cp * (hex ? 16u : 10u) + static_cast<char32_t>(util::hex_value(s[j]));
      ++j;
    }
    if (j == digits_begin) return 0;
    if (j < s.size() && s[j] == ';') ++j;
    if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      cp = kReplacementChar;
    } else if (cp >= 0x80 && cp <= 0x9F) {
      cp = kWindows1252[cp - 0x80];
    }
    append_utf8(out, cp);
    return j - i;
  }
  std::size_t name_end = j;
  while (name_end < s.size() && name_end - j < kMaxNameBytes && util::is_ascii_alnum(s[name_end]))
    ++name_end;
  if (name_end == j) return 0;
  const NamedReference* ref = nullptr;
  std::size_t consumed_end = 0;
  if (name_end < s.size() && s[name_end] == ';')
    if ((ref = find_reference(s.substr(j, name_end + 1 - j))) != nullptr)
      consumed_end = name_end + 1;
  // Legacy names match without ';', longest first ("&notit" is "¬it").
  for (std::size_t k = name_end; ref == nullptr && k > j + 1; --k) {
    if ((ref = find_reference(s.substr(j, k - j))) != nullptr) consumed_end = k;
  }
  if (ref == nullptr) return 0;
  if (in_attribute && s[consumed_end - 1] != ';' && consumed_end < s.size() &&
      (util::is_ascii_alnum(s[consumed_end]) || s[consumed_end] == '='))
    return 0;
  append_utf8(out, ref->first);
  if (ref->second != 0) append_utf8(out, ref->second);
  return consumed_end - i;
}

}  // namespace

void append_decoded_entities(std::string_view s, bool in_attribute, std::string& out) {
  std::size_t i = 0;
  while (i < s.size()) {
    const std::size_t amp = s.find('&', i);
    if (amp == std::string_view::npos) {
      out.append(s.substr(i));
      return;
    }
    out.append(s.substr(i, amp - i));
    const std::size_t used = decode_one(s, amp, in_attribute, out);
    if (used == 0) {
      out.push_back('&');
      i = amp + 1;
    } else {
      i = amp + used;
    }
  }
}

}  // namespace renkei::content::detail
