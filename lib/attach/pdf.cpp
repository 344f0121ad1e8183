#include "attach/pdf.hpp"

#include <zlib.h>

#include <algorithm>
#include <memory>

namespace renkei::attach {
namespace {

// Reads a PDF literal string "( ... )" starting after '(' with nesting and escapes.
std::string read_literal(std::string_view s, std::size_t& i) {
  std::string out;
  int depth = 1;
  while (i < s.size() && out.size() < 8192) {
    const char c = s[i++];
    if (c == '\\' && i < s.size()) {
      const char e = s[i++];
      switch (e) {
        case 'n':
          out.push_back('\n');
          break;
        case 'r':
          out.push_back('\r');
          break;
        case 't':
          out.push_back('\t');
          break;
        case '\n':
          break;  // line continuation
        default:
          if (e >= '0' && e <= '7') {
            int v = e - '0';
            for (int k = 0; k < 2 && i < s.size() && s[i] >= '0' && s[i] <= '7'; ++k)
              v = v * 8 + (s[i++] - '0');
            out.push_back(static_cast<char>(v & 0xFF));
          } else {
            out.push_back(e);
          }
      }
      continue;
    }
    if (c == '(') ++depth;
    if (c == ')' && --depth == 0) break;
    out.push_back(c);
  }
  return out;
}

std::string read_hex(std::string_view s, std::size_t& i) {
  std::string out;
  int hi = -1;
  auto val = [](char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  while (i < s.size() && s[i] != '>' && out.size() < 8192) {
    const int v = val(s[i++]);
    if (v < 0) continue;
    if (hi < 0) {
      hi = v;
    } else {
      out.push_back(static_cast<char>(hi * 16 + v));
      hi = -1;
    }
  }
  return out;
}

void scan_uris(std::string_view s, PdfLinks& out, const PdfLimits& limits) {
  std::size_t pos = 0;
  while ((pos = s.find("/URI", pos)) != std::string_view::npos) {
    std::size_t i = pos + 4;
    pos = i;
    while (i < s.size() && (s[i] == ' ' || s[i] == '\r' || s[i] == '\n' || s[i] == '\t')) ++i;
    if (i >= s.size()) break;
    std::string uri;
    if (s[i] == '(') {
      ++i;
      uri = read_literal(s, i);
    } else if (s[i] == '<' && i + 1 < s.size() && s[i + 1] != '<') {
      ++i;
      uri = read_hex(s, i);
    } else {
      continue;  // "/URI 12 0 R" indirect references and "/URIs" are not links themselves
    }
    while (!uri.empty() && (uri.back() == ' ' || uri.back() == '\0')) uri.pop_back();
    if (uri.empty()) continue;
    if (std::find(out.uris.begin(), out.uris.end(), uri) != out.uris.end()) continue;
    if (out.uris.size() >= limits.max_links) {
      out.limit_hit = true;
      out.limit = "max_links";
      return;
    }
    out.uris.push_back(std::move(uri));
  }
}

struct ZStream {
  z_stream z{};
  bool ok = false;
  ZStream() { ok = inflateInit(&z) == Z_OK; }
  ~ZStream() {
    if (ok) inflateEnd(&z);
  }
  ZStream(const ZStream&) = delete;
  ZStream& operator=(const ZStream&) = delete;
};

// Inflates up to `budget` bytes; stops at the ratio limit. Returns false when a limit cut it.
bool inflate_bounded(std::string_view in, std::string& out, std::size_t budget,
                     std::size_t max_ratio) {
  ZStream zs;
  if (!zs.ok) return true;
  zs.z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.z.avail_in = static_cast<uInt>(std::min<std::size_t>(in.size(), 0x7fffffff));
  const std::size_t cap = std::min(budget, std::max<std::size_t>(in.size() * max_ratio, 4096));
  char buf[16384];
  for (;;) {
    zs.z.next_out = reinterpret_cast<Bytef*>(buf);
    zs.z.avail_out = sizeof buf;
    const int rc = inflate(&zs.z, Z_NO_FLUSH);
    const std::size_t produced = sizeof buf - zs.z.avail_out;
    if (out.size() + produced > cap) {
      out.append(buf, cap - out.size());
      return false;
    }
    out.append(buf, produced);
    if (rc == Z_STREAM_END) return true;
    if (rc != Z_OK || produced == 0) return true;  // damaged stream: keep what came out
  }
}

}  // namespace

PdfLinks pdf_links(std::string_view bytes, const PdfLimits& limits) {
  PdfLinks out;
  scan_uris(bytes, out, limits);
  std::size_t pos = 0, streams = 0, inflated = 0;
  std::string buf;
  while ((pos = bytes.find("stream", pos)) != std::string_view::npos) {
    std::size_t start = pos + 6;
    pos = start;
    if (start >= bytes.size()) break;
    if (start >= 9 && bytes.substr(start - 9, 9) == "endstream") continue;  // the closing keyword
    if (bytes[start] == '\r') ++start;
    if (start < bytes.size() && bytes[start] == '\n') ++start;
    const std::size_t end = bytes.find("endstream", start);
    if (end == std::string_view::npos) break;
    pos = end + 9;
    if (++streams > limits.max_streams) {
      out.limit_hit = true;
      out.limit = "max_streams";
      break;
    }
    // Only zlib streams (FlateDecode): they start with a zlib header byte 0x78.
    if (static_cast<unsigned char>(bytes[start]) != 0x78) continue;
    // Pictures and embedded fonts hold no link annotations, and they are most of a PDF's bytes:
    // their dictionary (between "obj" and "stream") says what they are.
    {
      constexpr std::size_t kDictWindow = 1024;
      const std::size_t kw = start - (bytes[start - 1] == '\n' ? 1 : 0) -
                             (start >= 2 && bytes[start - 2] == '\r' ? 1 : 0);
      const std::size_t from = kw > kDictWindow ? kw - kDictWindow : 0;
      std::string_view dict = bytes.substr(from, kw - from);
      if (const std::size_t obj = dict.rfind("obj"); obj != std::string_view::npos)
        dict.remove_prefix(obj);
      if (dict.find("/Image") != std::string_view::npos ||
          dict.find("/FontFile") != std::string_view::npos ||
          dict.find("/Length1") != std::string_view::npos ||
          dict.find("/Length2") != std::string_view::npos ||
          dict.find("/ICCBased") != std::string_view::npos)
        continue;
    }
    if (inflated >= limits.max_inflated_total) {
      out.limit_hit = true;
      out.limit = "max_inflated_total";
      break;
    }
    buf.clear();
    if (!inflate_bounded(bytes.substr(start, end - start), buf,
                         limits.max_inflated_total - inflated, limits.max_ratio)) {
      out.limit_hit = true;
      out.limit =
          inflated + buf.size() >= limits.max_inflated_total ? "max_inflated_total" : "max_ratio";
    }
    inflated += buf.size();
    scan_uris(buf, out, limits);
    if (out.limit == "max_links") break;
  }
  return out;
}

}  // namespace renkei::attach
