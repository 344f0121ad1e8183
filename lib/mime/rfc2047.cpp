// RFC 2047 encoded-words in unstructured header text, done right for Japanese mail.
//
// GMime 3.2.13 drops the second of two adjacent encoded-words (gmime #133); long Japanese
// subjects are always split over several words, often in the middle of a multibyte character.
// We therefore decode in two steps: first collect the *bytes* of runs of adjacent words that share
// a charset, then convert each run to UTF-8 once.
#include <string>
#include <string_view>

#include "mime/charset.hpp"
#include "mime/mime.hpp"
#include "mime/text_util.hpp"

namespace renkei::mime {
namespace {

struct EncodedWord {
  std::size_t begin = 0;
  std::size_t end = 0;  // one past "?="
  std::string charset;  // lowercased, RFC 2231 language suffix removed
  std::string bytes;    // decoded payload in `charset`
};

// Tries to read an encoded-word starting at s[pos] == '='. Encoded text may not contain
// whitespace or '?'; we also cap the word length so a stray "=?" cannot make us scan far.
bool read_encoded_word(std::string_view s, std::size_t pos, EncodedWord& w) {
  constexpr std::size_t kMaxWord = 8192;  // RFC says 75; real senders exceed it, never this much
  if (pos + 1 >= s.size() || s[pos] != '=' || s[pos + 1] != '?') return false;
  std::size_t q1 = s.find('?', pos + 2);
  if (q1 == std::string_view::npos || q1 == pos + 2 || q1 - pos > 80) return false;
  if (q1 + 2 >= s.size() || s[q1 + 2] != '?') return false;
  const char enc = util::ascii_lower(s[q1 + 1]);
  if (enc != 'b' && enc != 'q') return false;
  const std::size_t text_begin = q1 + 3;
  std::size_t i = text_begin;
  const std::size_t limit = std::min(s.size(), pos + kMaxWord);
  // Encoded text may not contain whitespace, but some senders put raw spaces in "Q" words
  // ("=?iso-8859-1?q?We have a message?="): accept that for Q when the word closes on the same
  // line within a short distance and no other word starts in between.
  bool spaces = false;
  while (i + 1 < limit) {
    if (s[i] == '?' && s[i + 1] == '=') break;
    if (s[i] == '\r' || s[i] == '\n') return false;
    if (util::is_ascii_space(s[i])) {
      if (enc != 'q' || i - text_begin > 200) return false;
      spaces = true;
    }
    if (spaces && s[i] == '=' && i + 1 < s.size() && s[i + 1] == '?') return false;
    ++i;
  }
  if (i + 1 >= limit) return false;
  std::string_view charset = s.substr(pos + 2, q1 - pos - 2);
  if (auto star = charset.find('*'); star != std::string_view::npos)
    charset = charset.substr(0, star);
  w.begin = pos;
  w.end = i + 2;
  w.charset = util::ascii_lower(charset);
  w.bytes.clear();
  const std::string_view text = s.substr(text_begin, i - text_begin);
  if (enc == 'b')
    detail::base64_decode(text, w.bytes, text.size());
  else
    detail::qp_decode(text, w.bytes, /*header_q=*/true, text.size());
  return true;
}

void append_converted(DecodedText& out, std::string_view bytes, std::string_view charset) {
  if (bytes.empty()) return;
  CharsetResult r = to_utf8(bytes, charset);
  if (r.mislabeled && !out.charset_mislabeled) {
    out.charset_mislabeled = true;
    out.mislabel_detail =
        "encoded-word labelled " + std::string(charset) + ", decoded as " + r.used_charset;
  }
  out.text += r.text;
}

// Raw (not encoded) text: 8-bit bytes happen (RFC 6532 UTF-8 headers, or raw Shift_JIS from
// broken Japanese mailers); decode them by detection.
void append_raw(DecodedText& out, std::string_view raw) {
  bool ascii = true;
  for (char c : raw)
    if (static_cast<unsigned char>(c) >= 0x80 || c == 0x1B) {
      ascii = false;
      break;
    }
  if (ascii) {
    out.text.append(raw);
    return;
  }
  if (is_valid_utf8(raw)) {
    out.text.append(raw);
    return;
  }
  CharsetResult r = to_utf8(raw, "");
  out.text += r.text;
}

}  // namespace

DecodedText decode_header_text(std::string_view raw, std::size_t max_words) {
  DecodedText out;
  out.text.reserve(raw.size());
  std::size_t pos = 0;
  std::size_t words = 0;
  std::string run_bytes;    // bytes of the current run of adjacent same-charset words
  std::string run_charset;  // charset of that run
  bool prev_was_word = false;
  std::size_t text_start = 0;  // start of pending raw text

  auto flush_run = [&] {
    append_converted(out, run_bytes, run_charset);
    run_bytes.clear();
    run_charset.clear();
  };

  EncodedWord w;
  while (pos < raw.size()) {
    const std::size_t eq = raw.find("=?", pos);
    if (eq == std::string_view::npos) break;
    if (words >= max_words) {
      out.limit_hit = true;
      break;
    }
    if (!read_encoded_word(raw, eq, w)) {
      pos = eq + 2;
      continue;
    }
    ++words;
    const std::string_view between = raw.substr(text_start, eq - text_start);
    const bool only_space = util::trim(between).empty();
    if (prev_was_word && only_space) {
      // RFC 2047 6.2: whitespace between adjacent encoded-words is not displayed.
      if (w.charset != run_charset) flush_run();
    } else {
      flush_run();
      append_raw(out, between);
    }
    if (run_charset.empty()) run_charset = w.charset;
    run_bytes += w.bytes;
    prev_was_word = true;
    pos = w.end;
    text_start = w.end;
  }
  flush_run();
  append_raw(out, raw.substr(text_start));
  return out;
}

}  // namespace renkei::mime
