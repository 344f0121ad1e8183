// Content-Transfer-Encoding decoders written for hostile input.
#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>

#include "mime/text_util.hpp"

namespace renkei::mime::detail {
namespace {

constexpr std::array<std::int8_t, 256> make_b64_table() {
  std::array<std::int8_t, 256> t{};
  for (auto& v : t) v = -1;
  const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (int i = 0; i < 64; ++i)
    t[static_cast<unsigned char>(alphabet[i])] = static_cast<std::int8_t>(i);
  // URL-safe alphabet seen in broken senders; harmless to accept.
  t[static_cast<unsigned char>('-')] = 62;
  t[static_cast<unsigned char>('_')] = 63;
  return t;
}
constexpr auto kB64 = make_b64_table();

}  // namespace

bool base64_decode(std::string_view in, std::string& out, std::size_t max_out) {
  // Decode into a buffer sized for the worst case, then trim: no per-byte growth checks.
  const std::size_t start = out.size();
  const std::size_t room = std::min(max_out > start ? max_out - start : 0, in.size() / 4 * 3 + 3);
  out.resize(start + room);
  char* dst = out.data() + start;
  const auto* src = reinterpret_cast<const unsigned char*>(in.data());
  const std::size_t len = in.size();
  std::size_t n = 0;
  std::size_t i = 0;
  std::uint32_t acc = 0;
  int bits = 0;
  bool clean = true;
  while (i < len) {
    // Fast path: at a quantum boundary, four alphabet characters make three bytes. Lines of
    // real mail are runs of whole quanta, so almost every byte goes through here.
    if (bits == 0) {
      while (i + 4 <= len && n + 3 <= room) {
        const int a = kB64[src[i]], b = kB64[src[i + 1]], c = kB64[src[i + 2]],
                  d = kB64[src[i + 3]];
        if ((a | b | c | d) < 0) break;
        const auto q = (static_cast<std::uint32_t>(a) << 18) |
                       (static_cast<std::uint32_t>(b) << 12) |
                       (static_cast<std::uint32_t>(c) << 6) | static_cast<std::uint32_t>(d);
        dst[n] = static_cast<char>(q >> 16);
        dst[n + 1] = static_cast<char>((q >> 8) & 0xFF);
        dst[n + 2] = static_cast<char>(q & 0xFF);
        n += 3;
        i += 4;
      }
      if (i >= len) break;
    }
    // Slow path, one character: line breaks, padding, damage, quanta split across lines.
    const char ch = static_cast<char>(src[i++]);
    const int v = kB64[static_cast<unsigned char>(ch)];
    if (v < 0) {
      if (ch == '=') {
        // Padding ends the current quantum; leftover bits are discarded and decoding goes on
        // with the next chunk instead of stopping here.
        acc = 0;
        bits = 0;
      } else if (!util::is_ascii_space(ch)) {
        clean = false;
      }
      continue;
    }
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      if (n >= room) break;
      dst[n++] = static_cast<char>((acc >> bits) & 0xFF);
      // After a whole quantum no bits are left: realign so the fast path can take over.
      if (bits == 0) acc = 0;
    }
  }
  out.resize(start + n);
  return clean;
}

namespace {

// Handles the '=' at s[i]: an escape ("=3D"), a soft line break ("=" [WSP] [CR] LF, or "=" at the
// very end) or a stray '=' kept as it is. Returns the index of the last byte consumed.
std::size_t qp_equals(const char* s, std::size_t n, std::size_t i, char* dst, std::size_t& o) {
  if (i + 2 < n) {
    const int hi = util::hex_value(s[i + 1]);
    const int lo = util::hex_value(s[i + 2]);
    if (hi >= 0 && lo >= 0) {
      dst[o++] = static_cast<char>(hi * 16 + lo);
      return i + 2;
    }
  }
  std::size_t j = i + 1;
  while (j < n && is_wsp(s[j])) ++j;
  if (j < n && s[j] == '\r') ++j;
  if (j < n && s[j] == '\n') return j;
  if (j >= n) return n - 1;
  dst[o++] = '=';  // stray '=', keep it (RFC 2045 recommends robustness)
  return i;
}

// Copies literal text (no '=', no CR) of a quoted-printable body, dropping the whitespace that
// pads a line before its break (transport padding), line by line with memchr/memcpy.
void qp_literal(const char* s, std::size_t len, char* dst, std::size_t& o, std::size_t room) {
  std::size_t i = 0;
  while (i < len && o < room) {
    const void* nl = std::memchr(s + i, '\n', len - i);
    const std::size_t line_end =
        nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - s) : len;
    std::size_t take = std::min(line_end - i, room - o);
    std::memcpy(dst + o, s + i, take);
    const std::size_t line_start = o;
    o += take;
    if (take < line_end - i) return;  // room exhausted
    i = line_end;
    if (i >= len) break;
    // A line break: drop the spaces and tabs right before it (the caller guarantees no CRs).
    while (o > line_start && is_wsp(dst[o - 1])) --o;
    if (o >= room) return;  // only when max_out cuts the body
    dst[o++] = '\n';
    ++i;
  }
}

}  // namespace

void qp_decode(std::string_view in, std::string& out, bool header_q, std::size_t max_out) {
  // Written into a buffer sized for the worst case (the output is never longer than the
  // input), then trimmed.
  const std::size_t start = out.size();
  if (max_out <= start || in.empty()) return;  // (an empty view may have a null data())
  const std::size_t room = std::min(max_out - start, in.size());
  out.resize(start + room);
  char* dst = out.data() + start;
  std::size_t o = 0;
  const std::size_t n = in.size();
  const char* s = in.data();
  if (!header_q && std::memchr(s, '\r', n) == nullptr) {
    // Bodies (already LF-only after the parser's newline normalisation): literal runs between
    // '=' signs are copied in bulk.
    std::size_t i = 0;
    while (i < n && o < room) {
      const void* eq = std::memchr(s + i, '=', n - i);
      const std::size_t stop = eq ? static_cast<std::size_t>(static_cast<const char*>(eq) - s) : n;
      qp_literal(s + i, stop - i, dst, o, room);
      if (stop >= n || o >= room) break;
      i = qp_equals(s, n, stop, dst, o) + 1;
    }
    out.resize(start + o);
    return;
  }
  // Headers ("Q" encoding: '_' is a space) and bodies with CRs: one character at a time.
  for (std::size_t i = 0; i < n && o < room; ++i) {
    const char c = s[i];
    if (c == '=') {
      i = qp_equals(s, n, i, dst, o);
      continue;
    }
    if (header_q && c == '_') {
      dst[o++] = ' ';
      continue;
    }
    if (!header_q && is_wsp(c)) {
      // Trailing whitespace before a hard line break is transport padding: drop it.
      std::size_t j = i;
      while (j < n && is_wsp(s[j])) ++j;
      if (j < n && (s[j] == '\n' || s[j] == '\r')) {
        i = j - 1;
        continue;
      }
    }
    dst[o++] = c;
  }
  out.resize(start + o);
}

}  // namespace renkei::mime::detail
