// RFC 5322 lexical pieces shared by the header parsers of the mime module (internal header).
#pragma once

#include <cstddef>
#include <string_view>

namespace renkei::mime::detail {

// Whether a backslash inside a comment starts a quoted-pair (RFC 5322 3.2.1), so that "\)" and
// "\(" do not close or open. The Date parser has always read comments without quoted-pairs;
// kept so, for identical output.
enum class QuotedPairs { kHonour, kIgnore };

struct Comment {
  std::string_view inside;  // between the '(' and its matching ')', raw (escapes kept)
  std::size_t end;          // index just after the matching ')', or s.size() when unclosed
};

// Reads the comment (RFC 5322 3.2.2, CFWS) that opens at s[open] == '('. Comments nest; an
// unclosed comment runs to the end of s. Nesting is counted, not recursed into, so any depth
// costs one pass and needs no limit. Precondition: open < s.size() and s[open] == '('.
inline Comment read_comment(std::string_view s, std::size_t open,
                            QuotedPairs quoted_pairs = QuotedPairs::kHonour) {
  std::size_t depth = 1;
  std::size_t k = open + 1;
  while (k < s.size()) {
    const char c = s[k];
    if (c == '\\' && quoted_pairs == QuotedPairs::kHonour) {
      k += 2;  // the escaped byte, whatever it is; past the end when the backslash is last
      continue;
    }
    if (c == '(') {
      ++depth;
    } else if (c == ')' && --depth == 0) {
      return {s.substr(open + 1, k - open - 1), k + 1};
    }
    ++k;
  }
  return {s.substr(open + 1), s.size()};
}

}  // namespace renkei::mime::detail
