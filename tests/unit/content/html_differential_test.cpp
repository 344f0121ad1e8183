// parse_html (the token-stream fast path) against parse_html_gumbo (the reference over a real
// HTML5 tree) on the HTML parts of real phishing mail (shared/data/corpus/phishing_pot). The
// mime module is not linked into the content tests, so the parts are cut from the .eml with a
// naive reader: text/html parts, base64 or quoted-printable bodies, charsets left as they are
// (both parsers see the same bytes).
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "content/content.hpp"

namespace renkei::content {
namespace {

// Agreement the fast path must reach over the corpus.
constexpr double kMinHrefAgreement = 0.98;
constexpr double kMinWordAgreement = 0.95;

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
}

std::string lowered(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = lower(c);
  return out;
}

int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = lower(c);
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

std::string decode_qp(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '=') {
      out.push_back(s[i]);
    } else if (i + 1 < s.size() && s[i + 1] == '\n') {
      i += 1;
    } else if (i + 2 < s.size() && s[i + 1] == '\r' && s[i + 2] == '\n') {
      i += 2;
    } else if (i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2])));
      i += 2;
    } else {
      out.push_back('=');
    }
  }
  return out;
}

std::string decode_base64(std::string_view s) {
  std::string out;
  unsigned buf = 0;
  int bits = 0;
  for (char c : s) {
    int v = -1;
    if (c >= 'A' && c <= 'Z') v = c - 'A';
    if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
    if (c >= '0' && c <= '9') v = c - '0' + 52;
    if (c == '+') v = 62;
    if (c == '/') v = 63;
    if (v < 0) continue;
    buf = (buf << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buf >> bits) & 0xFFu));
    }
  }
  return out;
}

// Every text/html part: a header block naming text/html, its body up to the next boundary line
// ("--..."), decoded per its Content-Transfer-Encoding.
std::vector<std::string> html_parts(const std::string& raw) {
  std::vector<std::string> parts;
  const std::string low = lowered(raw);
  std::size_t pos = 0;
  while ((pos = low.find("content-type: text/html", pos)) != std::string::npos) {
    std::size_t body = low.find("\n\n", pos);
    const std::size_t body_crlf = low.find("\r\n\r\n", pos);
    if (body_crlf != std::string::npos && (body == std::string::npos || body_crlf < body))
      body = body_crlf + 4;
    else if (body != std::string::npos)
      body += 2;
    if (body == std::string::npos) break;
    const std::string_view headers(low.data() + pos, body - pos);
    std::size_t end = low.find("\n--", body);
    if (end == std::string::npos) end = raw.size();
    const std::string_view content(raw.data() + body, end - body);
    if (headers.find("base64") != std::string_view::npos) {
      parts.push_back(decode_base64(content));
    } else if (headers.find("quoted-printable") != std::string_view::npos) {
      parts.push_back(decode_qp(content));
    } else {
      parts.emplace_back(content);
    }
    pos = end;
  }
  return parts;
}

std::multiset<std::string> words(std::string_view text) {
  std::multiset<std::string> out;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\n' || text[i] == '>')) ++i;
    const std::size_t b = i;
    while (i < text.size() && text[i] != ' ' && text[i] != '\n') ++i;
    if (i > b) out.emplace(text.substr(b, i - b));
  }
  return out;
}

std::set<std::string> hrefs(const HtmlDoc& doc) {
  std::set<std::string> out;
  for (const auto& a : doc.anchors) out.insert(a.href);
  return out;
}

TEST(HtmlDifferential, FastPathAgreesWithGumboOnPhishingPot) {
  const std::filesystem::path dir =
      std::filesystem::path(RENKEI_SHARED_DATA) / "corpus" / "phishing_pot";
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec))
    GTEST_SKIP() << "test data absent: " << dir << " (../shared/data is not checked out)";
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec))
    if (entry.path().extension() == ".eml") files.push_back(entry.path());
  std::sort(files.begin(), files.end());

  std::vector<std::string> docs;
  std::vector<std::string> names;
  std::size_t bytes = 0;
  for (const auto& file : files) {
    for (auto& part : html_parts(read_file(file))) {
      bytes += part.size();
      docs.push_back(std::move(part));
      names.push_back(file.filename().string());
    }
  }
  ASSERT_GE(docs.size(), 100u) << "too few HTML parts in " << dir;

  using Clock = std::chrono::steady_clock;
  std::vector<HtmlDoc> fast;
  std::vector<HtmlDoc> slow;
  fast.reserve(docs.size());
  slow.reserve(docs.size());
  const auto t0 = Clock::now();
  for (const auto& d : docs) fast.push_back(parse_html(d));
  const auto t1 = Clock::now();
  for (const auto& d : docs) slow.push_back(parse_html_gumbo(d));
  const auto t2 = Clock::now();

  std::size_t same_hrefs = 0;
  std::size_t same_words = 0;
  std::size_t same_title = 0;
  std::size_t same_flags = 0;
  int shown = 0;
  for (std::size_t i = 0; i < docs.size(); ++i) {
    const bool h = hrefs(fast[i]) == hrefs(slow[i]);
    const bool w = words(fast[i].text) == words(slow[i].text);
    same_hrefs += h ? 1 : 0;
    same_words += w ? 1 : 0;
    same_title += fast[i].title == slow[i].title ? 1 : 0;
    same_flags +=
        (fast[i].has_script == slow[i].has_script && fast[i].has_form == slow[i].has_form &&
         fast[i].has_password_input == slow[i].has_password_input &&
         fast[i].has_meta_refresh == slow[i].has_meta_refresh)
            ? 1
            : 0;
    if ((!h || !w) && shown++ < 10)
      std::printf("  differs: %s part %zu (hrefs %s, words %s)\n", names[i].c_str(), i,
                  h ? "same" : "differ", w ? "same" : "differ");
  }
  const double n = static_cast<double>(docs.size());
  const double mb = static_cast<double>(bytes) / 1e6;
  const double fast_s = std::chrono::duration<double>(t1 - t0).count();
  const double slow_s = std::chrono::duration<double>(t2 - t1).count();
  std::printf("html differential: %zu parts, %.1f MB\n", docs.size(), mb);
  std::printf(
      "  same href set %.2f%%, same word multiset %.2f%%, same title %.2f%%, "
      "same flags %.2f%%\n",
      100.0 * static_cast<double>(same_hrefs) / n, 100.0 * static_cast<double>(same_words) / n,
      100.0 * static_cast<double>(same_title) / n, 100.0 * static_cast<double>(same_flags) / n);
  std::printf("  parse_html %.3f s (%.1f MB/s), parse_html_gumbo %.3f s (%.1f MB/s)\n", fast_s,
              mb / fast_s, slow_s, mb / slow_s);
  EXPECT_GE(static_cast<double>(same_hrefs) / n, kMinHrefAgreement);
  EXPECT_GE(static_cast<double>(same_words) / n, kMinWordAgreement);
}

}  // namespace
}  // namespace renkei::content
