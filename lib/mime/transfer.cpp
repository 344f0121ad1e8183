// Content-Transfer-Encoding decoders written for hostile input.
#include <algorithm>
#include <array>
#include <cstdint>

#include "mime/text_util.hpp"

namespace renkei::mime::detail {
namespace {

constexpr std::array<std::int8_t, 256> make_b64_table() {
  std::array<std::int8_t, 256> t{};
  for (auto& v : t) v = -1;
  const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (int i = 0; i < 64; ++i) t[static_cast<unsigned char>(alphabet[i])] = static_cast<std::int8_t>(i);
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
  std::size_t n = 0;
  std::uint32_t acc = 0;
  int bits = 0;
  bool clean = true;
  for (char ch : in) {
    const int v = kB64[static_cast<unsigned char>(ch)];
    if (v < 0) {
      if (ch == '=') {
        // Padding ends the current quantum; leftover bits are discarded and decoding goes on
        // with the next chunk instead of stopping here.
        acc = 0;
        bits = 0;
      } else if (!is_space(ch)) {
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
    }
  }
  out.resize(start + n);
  return clean;
}

void qp_decode(std::string_view in, std::string& out, bool header_q, std::size_t max_out) {
  out.reserve(out.size() + in.size());
  const std::size_t n = in.size();
  for (std::size_t i = 0; i < n && out.size() < max_out; ++i) {
    const char c = in[i];
    if (c == '=') {
      if (i + 2 < n) {
        const int hi = hex_value(in[i + 1]);
        const int lo = hex_value(in[i + 2]);
        if (hi >= 0 && lo >= 0) {
          out.push_back(static_cast<char>(hi * 16 + lo));
          i += 2;
          continue;
        }
      }
      // Soft line break: "=" followed by optional whitespace then a newline.
      std::size_t j = i + 1;
      while (j < n && is_wsp(in[j])) ++j;
      if (j < n && in[j] == '\r') ++j;
      if (j < n && in[j] == '\n') {
        i = j;
        continue;
      }
      if (j >= n) {  // "=" at the very end: soft break without newline
        i = j;
        continue;
      }
      out.push_back('=');  // stray '=', keep it (RFC 2045 recommends robustness)
      continue;
    }
    if (header_q && c == '_') {
      out.push_back(' ');
      continue;
    }
    if (!header_q && (c == ' ' || c == '\t')) {
      // Trailing whitespace before a hard line break is transport padding: drop it.
      std::size_t j = i;
      while (j < n && is_wsp(in[j])) ++j;
      if (j < n && (in[j] == '\n' || in[j] == '\r')) {
        i = j - 1;
        continue;
      }
    }
    out.push_back(c);
  }
}

}  // namespace renkei::mime::detail
