// Inline-style reading for visibility and background images: see css.hpp.
#include "content/css.hpp"

#include <cmath>
#include <cstddef>
#include <string>
#include <string_view>

#include "content/text_util.hpp"

namespace renkei::content::detail {
namespace {

constexpr std::size_t kMaxBackgroundUrls = 4;
// Above this a width/height is "big"; keeps the int conversion defined for absurd values.
constexpr double kMaxPixels = 1e6;

// Removes /* comments */ and resolves backslash escapes, so obfuscated declarations read as the
// browser reads them.
std::string unobfuscate(std::string_view css) {
  // Most style attributes have neither comments nor escapes: one bulk copy.
  if (css.find('\\') == std::string_view::npos && css.find("/*") == std::string_view::npos)
    return std::string(css);
  std::string out;
  out.reserve(css.size());
  std::size_t i = 0;
  while (i < css.size()) {
    const char c = css[i];
    if (c == '/' && i + 1 < css.size() && css[i + 1] == '*') {
      const std::size_t close = css.find("*/", i + 2);
      i = close == std::string_view::npos ? css.size() : close + 2;
      continue;
    }
    if (c == '\\' && i + 1 < css.size()) {
      std::size_t j = i + 1;
      char32_t cp = 0;
      std::size_t digits = 0;
      while (j < css.size() && digits < 6 && util::is_hex_digit(css[j])) {
        cp = cp * 16 + static_cast<char32_t>(util::hex_value(css[j]));
        ++j;
        ++digits;
      }
      if (digits > 0) {
        if (j < css.size() && util::is_c_space(css[j])) ++j;  // one whitespace ends a hex escape
        if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = kReplacementChar;
        append_utf8(out, cp);
        i = j;
      } else {
        out.push_back(css[i + 1]);
        i += 2;
      }
      continue;
    }
    out.push_back(c);
    ++i;
  }
  return out;
}

std::string_view strip_important(std::string_view value) {
  value = util::trim_c_space(value);
  const std::size_t bang = value.rfind('!');
  if (bang != std::string_view::npos &&
      util::iequals_ascii(util::trim_c_space(value.substr(bang + 1)), "important"))
    value = util::trim_c_space(value.substr(0, bang));
  return value;
}

struct Length {
  bool valid = false;
  double number = 0;
  std::string_view unit;
};

Length parse_length(std::string_view v) {
  Length len;
  v = util::trim_c_space(v);
  std::size_t i = 0;
  if (i < v.size() && (v[i] == '+' || v[i] == '-')) ++i;
  const std::size_t num_begin = i;
  double whole = 0;
  double frac = 0;
  double scale = 1;
  bool digits = false;
  while (i < v.size() && util::is_ascii_digit(v[i])) {
    if (whole < kMaxPixels) whole = whole * 10 + (v[i] - '0');
    digits = true;
    ++i;
  }
  if (i < v.size() && v[i] == '.') {
    ++i;
    while (i < v.size() && util::is_ascii_digit(v[i])) {
      if (scale > 1e-9) {
        scale /= 10;
        frac += (v[i] - '0') * scale;
      }
      digits = true;
      ++i;
    }
  }
  if (!digits) return len;
  len.valid = true;
  len.number = whole + frac;
  if (num_begin > 0 && v[0] == '-') len.number = -len.number;
  std::size_t unit_end = i;
  while (unit_end < v.size() && (util::is_ascii_alpha(v[unit_end]) || v[unit_end] == '%'))
    ++unit_end;
  len.unit = v.substr(i, unit_end - i);
  return len;
}

// Pixels for absolute lengths, 0 for any zero, -1 otherwise (%, em, auto...).
int to_pixels(std::string_view value) {
  const Length len = parse_length(value);
  if (!len.valid) return -1;
  if (len.number == 0) return 0;
  double px = -1;
  if (len.unit.empty() || util::iequals_ascii(len.unit, "px")) {
    px = len.number;
  } else if (util::iequals_ascii(len.unit, "pt")) {
    px = len.number * 4.0 / 3.0;
  }
  if (px < 0) return -1;
  return static_cast<int>(std::lround(px > kMaxPixels ? kMaxPixels : px));
}

bool is_zero_length(std::string_view value) {
  const Length len = parse_length(value);
  return len.valid && len.number == 0;
}

void collect_urls(std::string_view value, std::vector<std::string>& out) {
  std::size_t from = 0;
  while (out.size() < kMaxBackgroundUrls) {
    const std::size_t u = util::ifind_ascii(value, "url(", from);
    if (u == std::string_view::npos) return;
    const std::size_t close = value.find(')', u + 4);
    std::string_view inner =
        value.substr(u + 4, (close == std::string_view::npos ? value.size() : close) - (u + 4));
    inner = util::trim_c_space(inner);
    if (inner.size() >= 2 && (inner.front() == '"' || inner.front() == '\'') &&
        inner.back() == inner.front()) {
      inner = util::trim_c_space(inner.substr(1, inner.size() - 2));
    }
    if (!inner.empty()) out.emplace_back(inner);
    if (close == std::string_view::npos) return;
    from = close + 1;
  }
}

}  // namespace

InlineStyle parse_inline_style(std::string_view css_in) {
  InlineStyle style;
  const std::string css = unobfuscate(css_in);
  bool overflow_hidden = false;
  bool zero_box = false;
  std::size_t start = 0;
  while (start < css.size()) {
    // A declaration ends at ';' outside quotes and parentheses (data: URLs contain ';').
    std::size_t i = start;
    int depth = 0;
    char quote = 0;
    for (; i < css.size(); ++i) {
      const char c = css[i];
      if (quote != 0) {
        if (c == quote) quote = 0;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '(') {
        ++depth;
      } else if (c == ')' && depth > 0) {
        --depth;
      } else if (c == ';' && depth == 0) {
        break;
      }
    }
    const std::string_view decl = std::string_view(css).substr(start, i - start);
    start = i + 1;
    const std::size_t colon = decl.find(':');
    if (colon == std::string_view::npos) continue;
    // Property names are short: lowercased in a fixed buffer, not a heap string.
    const std::string_view raw_prop = util::trim_c_space(decl.substr(0, colon));
    char prop_buf[24];
    if (raw_prop.size() > sizeof prop_buf) continue;  // longer than any property we read
    for (std::size_t k = 0; k < raw_prop.size(); ++k) prop_buf[k] = util::ascii_lower(raw_prop[k]);
    const std::string_view prop(prop_buf, raw_prop.size());
    const std::string_view value = strip_important(decl.substr(colon + 1));
    if (prop == "display") {
      style.display_none = util::istarts_with_ascii(value, "none");
    } else if (prop == "visibility") {
      style.visibility_hidden =
          util::istarts_with_ascii(value, "hidden") || util::istarts_with_ascii(value, "collapse");
    } else if (prop == "font-size") {
      style.zero_font = is_zero_length(value);
    } else if (prop == "opacity") {
      style.zero_opacity = is_zero_length(value);
    } else if (prop == "width") {
      style.width = to_pixels(value);
      zero_box = zero_box || style.width == 0;
    } else if (prop == "height") {
      style.height = to_pixels(value);
      zero_box = zero_box || style.height == 0;
    } else if (prop == "max-height" || prop == "max-width") {
      zero_box = zero_box || is_zero_length(value);
    } else if (prop == "overflow" || prop == "overflow-x" || prop == "overflow-y") {
      overflow_hidden = overflow_hidden || util::istarts_with_ascii(value, "hidden");
    } else if (prop == "background" || prop == "background-image") {
      collect_urls(value, style.background_urls);
    }
  }
  style.clipped_to_zero = zero_box && overflow_hidden;
  return style;
}

int parse_dimension_attribute(std::string_view value) {
  value = util::trim_c_space(value);
  int v = 0;
  std::size_t digits = 0;
  for (char c : value) {
    if (!util::is_ascii_digit(c)) break;
    if (v < 1000000) v = v * 10 + (c - '0');
    ++digits;
  }
  if (digits == 0) return -1;
  if (digits < value.size() && value[digits] == '%') return -1;
  return v;
}

}  // namespace renkei::content::detail
