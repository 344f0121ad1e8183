// Just enough CSS to tell what an inline style hides and which images it loads (internal header).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace renkei::content::detail {

struct InlineStyle {
  bool display_none = false;
  bool visibility_hidden = false;
  bool zero_font = false;  // font-size:0 — the "ZeroFont" trick hides words from the reader
  bool zero_opacity = false;
  bool clipped_to_zero = false;  // (max-)height or (max-)width 0 with overflow:hidden
  int width = -1;                // CSS pixels, -1 when absent or not absolute
  int height = -1;
  std::vector<std::string> background_urls;  // url(...) of background / background-image

  bool hides_content() const {
    return display_none || visibility_hidden || zero_font || zero_opacity || clipped_to_zero;
  }
};

// Parses a style="" attribute value: comments and escapes are undone first ("dis/**/play:none",
// "d\isplay:none"), "!important" is ignored. Bounded: at most kMaxBackgroundUrls URLs.
InlineStyle parse_inline_style(std::string_view css);

// A width/height attribute ("1", "1px", " 600 "): the leading integer, -1 when there is none
// (e.g. "100%").
int parse_dimension_attribute(std::string_view value);

}  // namespace renkei::content::detail
