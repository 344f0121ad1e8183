// renkei::mime charsets — converting bytes in a declared charset to UTF-8 with ICU, detecting
// mislabeled charsets the way Japanese mail needs it.
//
// Contract: to_utf8() never fails: bytes that cannot be converted become U+FFFD. Labels are
// normalised (case, aliases; Shift_JIS/SJIS/Windows-31J are decoded as CP932, the superset real
// Japanese mail uses; ISO-2022-JP also accepts the -1/-2/-3 and CP50220 extensions; gb2312 etc.).
// When the bytes are clearly not in the declared charset (Shift_JIS labelled ISO-2022-JP, EUC-JP
// labelled gb2312, UTF-8 labelled us-ascii …) the real charset is detected and used, and
// `mislabeled` is set. Thread-safe: ICU converters are opened per call or cached per thread.
#pragma once

#include <string>
#include <string_view>

namespace renkei::mime {

struct CharsetResult {
  std::string text;          // UTF-8
  std::string used_charset;  // canonical lowercase name actually used ("cp932", "utf-8", …)
  bool mislabeled = false;   // declared label did not match the bytes; `used_charset` differs
  bool had_errors = false;   // some bytes were not valid in used_charset (replaced by U+FFFD)
};

// Converts `bytes` declared as `charset` (may be empty or unknown) to UTF-8.
CharsetResult to_utf8(std::string_view bytes, std::string_view charset);

// Best guess of the charset of unlabeled bytes: "us-ascii", "utf-8", "iso-2022-jp", "cp932",
// "euc-jp", or a charset ICU's detector proposes. Used for raw 8-bit headers and unlabeled text.
std::string detect_charset(std::string_view bytes);

// True when the bytes are valid UTF-8.
bool is_valid_utf8(std::string_view bytes);

}  // namespace renkei::mime
