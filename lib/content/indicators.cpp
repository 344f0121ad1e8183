// Indicators in text: refang / defang, URLs and their hosts, e-mail addresses, IP literals.
//
// Everything here is a small hand-written scanner over string_views: linear in the input, no
// regular expressions (std::regex backtracks and recurses on hostile input).
#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "content/content.hpp"
#include "content/text_util.hpp"

namespace renkei::content {
namespace {

// A URL longer than this is cut: real phishing URLs carry long tokens (a few KiB), a megabyte
// "URL" is an attack on whoever stores or displays it.
constexpr std::size_t kMaxUrlBytes = 16384;
// RFC 5321 limits for the parts of an address.
constexpr std::size_t kMaxLocalPart = 64;
constexpr std::size_t kMaxDomain = 253;
// Longest textual IPv6 address ("ffff:...:ffff:255.255.255.255").
constexpr std::size_t kMaxIpv6Text = 45;

// ---------------------------------------------------------------------------------------------
// refang

struct Fang {
  std::string_view pattern;      // matched case-insensitively
  std::string_view replacement;  // what it stands for
  bool needs_tight_neighbours;   // only between two alphanumerics, so prose "(at)" stays
};

// Longest patterns first where one is a prefix of another.
constexpr std::array<Fang, 18> kFangs{{
    {"[://]", "://", false},
    {"[:]", ":", false},
    {"[.]", ".", false},
    {"(.)", ".", true},
    {"{.}", ".", false},
    {"[dot]", ".", false},
    {"{dot}", ".", false},
    {"(dot)", ".", true},
    {"[@]", "@", false},
    {"(@)", "@", true},
    {"{@}", "@", false},
    {"[at]", "@", false},
    {"{at}", "@", false},
    {"(at)", "@", true},
    {"[/]", "/", false},
    {"[//]", "//", false},
    {"[:/]", ":/", false},
    {"\\.", ".", true},
}};

bool word_char(char c) {
  return util::is_ascii_alnum(c) || c == '-' || c == '_';
}

// "hxxp", "hXXp", "hxxps", "fxp" — only when a scheme separator follows, so words stay intact.
std::size_t match_defanged_scheme(std::string_view s, std::size_t i, std::string& out) {
  if (i > 0 && util::is_ascii_alpha(s[i - 1])) return 0;
  const std::string_view rest = s.substr(i);
  std::size_t len = 0;
  std::string_view real;
  if (util::istarts_with_ascii(rest, "hxxps")) {
    len = 5;
    real = "https";
  } else if (util::istarts_with_ascii(rest, "hxxp")) {
    len = 4;
    real = "http";
  } else if (util::istarts_with_ascii(rest, "fxp")) {
    len = 3;
    real = "ftp";
  } else {
    return 0;
  }
  const std::string_view after = rest.substr(len);
  if (!(after.starts_with(':') || after.starts_with("[:"))) return 0;
  out.append(real);
  return len;
}

}  // namespace

std::string refang(std::string_view text) {
  // Only these characters can start a defanged scheme or a bracketed fang; the runs between them
  // are copied whole.
  static constexpr auto kMayStart = [] {
    std::array<bool, 256> t{};
    for (const char c : std::string_view("hHfF[({\\")) t[static_cast<unsigned char>(c)] = true;
    return t;
  }();
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t run = i;
    while (run < text.size() && !kMayStart[static_cast<unsigned char>(text[run])]) ++run;
    out.append(text.substr(i, run - i));
    i = run;
    if (i == text.size()) break;
    const char c = text[i];
    if (c == 'h' || c == 'H' || c == 'f' || c == 'F') {
      if (const std::size_t n = match_defanged_scheme(text, i, out); n > 0) {
        i += n;
        continue;
      }
    }
    if (c == '[' || c == '(' || c == '{' || c == '\\') {
      bool matched = false;
      for (const Fang& f : kFangs) {
        if (!util::istarts_with_ascii(text.substr(i), f.pattern)) continue;
        const std::size_t end = i + f.pattern.size();
        const bool prev_ok = i > 0 && word_char(text[i - 1]);
        const bool next_ok = end < text.size() && word_char(text[end]);
        if (f.needs_tight_neighbours && !(prev_ok && next_ok)) continue;
        // "example [dot] com": the blanks around a bracketed word belong to the defanging.
        std::size_t skip_after = 0;
        if (!f.needs_tight_neighbours && i >= 2 && text[i - 1] == ' ' && word_char(text[i - 2]) &&
            end + 1 < text.size() && text[end] == ' ' && word_char(text[end + 1]) &&
            util::is_ascii_alpha(f.pattern[1])) {
          out.pop_back();
          skip_after = 1;
        }
        out.append(f.replacement);
        i = end + skip_after;
        matched = true;
        break;
      }
      if (matched) continue;
    }
    out.push_back(c);
    ++i;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// URL hosts

namespace {

struct HostSpan {
  std::size_t begin = std::string_view::npos;  // offsets into the URL, raw (not yet normalised)
  std::size_t end = std::string_view::npos;
  std::size_t scheme_end = 0;  // length of "scheme" before ':' (0 when none)
  bool found() const { return begin != std::string_view::npos; }
};

bool is_special_scheme(std::string_view scheme) {
  for (std::string_view s : {"http", "https", "ftp", "ws", "wss", "hxxp", "hxxps"})
    if (util::iequals_ascii(scheme, s)) return true;
  return false;
}

bool ends_authority(char c) {
  return c == '/' || c == '\\' || c == '?' || c == '#' || static_cast<unsigned char>(c) <= 0x20;
}

// Locates the host in a URL the way a browser would: special schemes tolerate any number of
// '/' or '\' after the colon, the authority ends at the first '/', '\', '?' or '#', and the host
// follows the last '@' (so "https://www.paypal.com@evil.example/" is on evil.example).
HostSpan find_host(std::string_view url) {
  HostSpan span;
  std::size_t pos = 0;
  while (pos < url.size() && static_cast<unsigned char>(url[pos]) <= 0x20) ++pos;
  const std::size_t start = pos;
  std::size_t k = pos;
  bool dotted = false;
  if (k < url.size() && util::is_ascii_alpha(url[k])) {
    ++k;
    while (k < url.size() &&
           (util::is_ascii_alnum(url[k]) || url[k] == '+' || url[k] == '-' || url[k] == '.')) {
      dotted = dotted || url[k] == '.';
      ++k;
    }
  }
  if (k > start && k < url.size() && url[k] == ':' && !dotted) {
    span.scheme_end = k;
    pos = k + 1;
    if (is_special_scheme(url.substr(start, k - start))) {
      while (pos < url.size() && (url[pos] == '/' || url[pos] == '\\')) ++pos;
    } else if (url.substr(pos).starts_with("//")) {
      pos += 2;
    } else {
      return span;  // mailto:, tel:, javascript:, data:, cid: have no host
    }
  } else if (url.substr(start).starts_with("//")) {
    pos = start + 2;
  } else if (util::istarts_with_ascii(url.substr(start), "www.")) {
    pos = start;
  } else {
    return span;  // relative reference ("page.html", "#top"): no host of its own
  }
  std::size_t auth_end = pos;
  while (auth_end < url.size() && !ends_authority(url[auth_end])) ++auth_end;
  std::size_t host_begin = pos;
  for (std::size_t j = pos; j < auth_end; ++j)
    if (url[j] == '@') host_begin = j + 1;
  std::size_t host_end = host_begin;
  if (host_begin < auth_end && url[host_begin] == '[') {
    const std::size_t close = url.find(']', host_begin);
    host_end = (close == std::string_view::npos || close > auth_end) ? auth_end : close + 1;
  } else {
    while (host_end < auth_end && url[host_end] != ':') ++host_end;
  }
  if (host_end == host_begin) return span;
  span.begin = host_begin;
  span.end = host_end;
  return span;
}

std::string normalise_host(std::string_view raw) {
  if (raw.size() >= 2 && raw.front() == '[') {
    raw.remove_prefix(1);
    if (raw.back() == ']') raw.remove_suffix(1);
  }
  std::string host;
  host.reserve(raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) {
    // Browsers percent-decode hosts: "%65vil.example" is evil.example.
    if (raw[i] == '%' && i + 2 < raw.size() && util::is_hex_digit(raw[i + 1]) &&
        util::is_hex_digit(raw[i + 2])) {
      const int hi = util::hex_value(raw[i + 1]);
      const int lo = util::hex_value(raw[i + 2]);
      const int v = hi * 16 + lo;
      if (v > 0x20 && v < 0x7F) {
        host.push_back(util::ascii_lower(static_cast<char>(v)));
        i += 2;
        continue;
      }
    }
    host.push_back(util::ascii_lower(raw[i]));
  }
  while (!host.empty() && host.back() == '.') host.pop_back();
  return host;
}

}  // namespace

std::string url_host(std::string_view url) {
  const HostSpan span = find_host(url);
  if (!span.found()) return {};
  return normalise_host(url.substr(span.begin, span.end - span.begin));
}

// ---------------------------------------------------------------------------------------------
// defang

std::string defang(std::string_view indicator) {
  std::string out(indicator);
  // Scheme: the rendered link must not be clickable.
  if (util::istarts_with_ascii(out, "http") && out.size() > 4 &&
      (out[4] == ':' || ((out[4] == 's' || out[4] == 'S') && out.size() > 5 && out[5] == ':'))) {
    out.replace(0, 4, "hxxp");
    if (out[4] == 'S') out[4] = 's';
  } else if (util::istarts_with_ascii(out, "ftp:")) {
    out.replace(0, 3, "fxp");
  }
  if (out.find("[.]") != std::string::npos) return out;  // already defanged: idempotent
  // The span whose last dot is bracketed: the URL's host, an address's domain, or the whole.
  std::size_t begin = 0;
  std::size_t end = out.size();
  const HostSpan span = find_host(out);
  if (span.found()) {
    begin = span.begin;
    end = span.end;
  } else if (const std::size_t at = out.rfind('@'); at != std::string::npos) {
    begin = at + 1;
  }
  std::size_t last_dot = std::string::npos;
  for (std::size_t i = begin; i < end; ++i)
    if (out[i] == '.' && i + 1 < end) last_dot = i;
  if (last_dot != std::string::npos) out.replace(last_dot, 1, "[.]");
  return out;
}

// ---------------------------------------------------------------------------------------------
// URLs

namespace {

// Characters that end a URL in running text. Non-ASCII is allowed (IRIs) except the scripts and
// punctuation that Japanese and Chinese mail writes directly after a link ("…/loginから").
bool ends_url_ascii(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u <= 0x20 || u == 0x7F || c == '"' || c == '\'' || c == '<' || c == '>' || c == '`';
}

bool ends_url_code_point(char32_t cp) {
  return cp == detail::kReplacementChar || detail::is_unicode_blank(cp) ||
         detail::is_invisible_format_char(cp) ||
         (cp >= 0x2010 && cp <= 0x206F) ||  // general punctuation: quotes, dashes, ellipsis
         (cp >= 0x2E80 && cp <= 0x9FFF) ||  // CJK radicals, punctuation, kana, kanji
         (cp >= 0xAC00 && cp <= 0xD7AF) ||  // Hangul
         (cp >= 0xF900 && cp <= 0xFAFF) ||  // CJK compatibility ideographs
         (cp >= 0xFE30 && cp <= 0xFE4F) ||  // CJK compatibility forms
         (cp >= 0xFF00 && cp <= 0xFFEF) ||  // full-width / half-width forms
         (cp >= 0x20000 && cp <= 0x3FFFF);  // CJK extensions
}

// Length of the URL-ish run starting at s[i].
std::size_t url_run_length(std::string_view s, std::size_t i) {
  std::size_t j = i;
  while (j < s.size()) {
    const char c = s[j];
    if (static_cast<unsigned char>(c) < 0x80) {
      if (ends_url_ascii(c)) break;
      ++j;
      continue;
    }
    std::size_t k = j;
    if (ends_url_code_point(detail::next_code_point(s, k))) break;
    j = k;
  }
  return j - i;
}

// Trailing punctuation belongs to the sentence, not the URL, unless it closes a bracket the URL
// opened ("https://en.wikipedia.org/wiki/Foo_(bar)").
std::string_view trim_url_tail(std::string_view url) {
  long parens = 0;
  long squares = 0;
  for (char c : url) {
    if (c == '(') ++parens;
    if (c == ')') --parens;
    if (c == '[') ++squares;
    if (c == ']') --squares;
  }
  while (!url.empty()) {
    const char c = url.back();
    if (c == '.' || c == ',' || c == ';' || c == ':' || c == '!' || c == '?' || c == '*') {
      url.remove_suffix(1);
    } else if (c == ')' && parens < 0) {
      ++parens;
      url.remove_suffix(1);
    } else if (c == ']' && squares < 0) {
      ++squares;
      url.remove_suffix(1);
    } else {
      break;
    }
  }
  return url;
}

// Where a URL starts at s[i]: length of the scheme prefix ("https://"), 0 for "www.", npos if
// no URL starts here.
std::size_t url_start(std::string_view s, std::size_t i) {
  const char c = s[i];
  if (c != 'h' && c != 'H' && c != 'f' && c != 'F' && c != 'w' && c != 'W') {
    return std::string_view::npos;
  }
  if (i > 0 && (util::is_ascii_alnum(s[i - 1]) || s[i - 1] == '.' || s[i - 1] == '-' ||
                s[i - 1] == '@' || s[i - 1] == '/' || s[i - 1] == '_')) {
    return std::string_view::npos;
  }
  const std::string_view rest = s.substr(i);
  for (std::string_view scheme : {"https://", "http://", "ftp://"})
    if (util::istarts_with_ascii(rest, scheme)) return scheme.size();
  if (util::istarts_with_ascii(rest, "www.") && rest.size() > 4 && util::is_ascii_alnum(rest[4]))
    return 0;
  return std::string_view::npos;
}

}  // namespace

std::vector<UrlRef> extract_urls(std::string_view text, std::size_t max_urls) {
  std::vector<UrlRef> out;
  if (max_urls == 0) return out;
  const std::string refanged = refang(text);
  const std::string_view s = refanged;
  std::unordered_set<std::string> seen;
  std::size_t i = 0;
  while (i < s.size() && out.size() < max_urls) {
    const std::size_t prefix = url_start(s, i);
    if (prefix == std::string_view::npos) {
      ++i;
      continue;
    }
    const std::size_t run = url_run_length(s, i);
    std::string_view candidate = s.substr(i, run);
    i += run;
    if (candidate.size() > kMaxUrlBytes)
      candidate = candidate.substr(0, detail::utf8_safe_cut(candidate, kMaxUrlBytes));
    candidate = trim_url_tail(candidate);
    if (candidate.size() <= prefix) continue;
    const HostSpan span = find_host(candidate);
    if (!span.found()) continue;
    std::string host = normalise_host(candidate.substr(span.begin, span.end - span.begin));
    if (host.empty()) continue;
    // "www." alone or "www.x" with no further label is prose, not a host.
    if (prefix == 0 && host.find('.', 4) == std::string::npos) continue;
    std::string url(candidate);
    // Scheme and host lowercased in place; path and query stay as written.
    for (std::size_t k = 0; k < span.scheme_end; ++k) url[k] = util::ascii_lower(url[k]);
    for (std::size_t k = span.begin; k < span.end; ++k) url[k] = util::ascii_lower(url[k]);
    if (!seen.insert(url).second) continue;
    out.push_back(UrlRef{std::move(url), std::move(host)});
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// E-mail addresses

namespace {

bool local_char(char c) {
  return util::is_ascii_alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}
bool domain_char(char c) {
  return util::is_ascii_alnum(c) || c == '.' || c == '-';
}

// Validates a domain of an address; returns the usable length (trailing dots and hyphens
// dropped) or 0.
std::size_t valid_domain_length(std::string_view d) {
  while (!d.empty() && (d.back() == '.' || d.back() == '-')) d.remove_suffix(1);
  if (d.empty() || d.size() > kMaxDomain) return 0;
  std::size_t labels = 0;
  std::size_t label_start = 0;
  for (std::size_t i = 0; i <= d.size(); ++i) {
    if (i == d.size() || d[i] == '.') {
      const std::size_t len = i - label_start;
      if (len == 0 || len > 63 || d[label_start] == '-') return 0;
      ++labels;
      label_start = i + 1;
    }
  }
  if (labels < 2) return 0;
  const std::string_view tld = d.substr(d.rfind('.') + 1);
  if (util::istarts_with_ascii(tld, "xn--")) return d.size();
  if (tld.size() < 2) return 0;
  for (char c : tld)
    if (!util::is_ascii_alpha(c)) return 0;
  return d.size();
}

std::string lower_key(std::string_view s) {
  return util::ascii_lower(s);
}

}  // namespace

std::vector<std::string> extract_emails(std::string_view text, std::size_t max) {
  std::vector<std::string> out;
  std::unordered_set<std::string> seen;
  std::size_t at = text.find('@');
  while (at != std::string_view::npos && out.size() < max) {
    std::size_t lb = at;
    while (lb > 0 && at - lb <= kMaxLocalPart && local_char(text[lb - 1])) --lb;
    const bool left_bounded = lb == 0 || !local_char(text[lb - 1]);  // not cut from a longer run
    while (lb < at && text[lb] == '.') ++lb;  // a sentence's full stop is not part of it
    std::size_t re = at + 1;
    while (re < text.size() && re - at <= kMaxDomain + 1 && domain_char(text[re])) ++re;
    const std::size_t local_len = at - lb;
    const bool local_ok = local_len > 0 && local_len <= kMaxLocalPart && left_bounded;
    const bool domain_bounded = re >= text.size() || !domain_char(text[re]);
    if (local_ok && domain_bounded) {
      const std::size_t dlen = valid_domain_length(text.substr(at + 1, re - at - 1));
      if (dlen > 0) {
        std::string_view addr = text.substr(lb, local_len + 1 + dlen);
        if (seen.insert(lower_key(addr)).second) out.emplace_back(addr);
      }
    }
    at = text.find('@', at + 1);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// IP literals

bool is_ipv4(std::string_view s) {
  int octets = 0;
  std::size_t i = 0;
  while (true) {
    std::size_t digits = 0;
    int value = 0;
    while (i < s.size() && util::is_ascii_digit(s[i]) && digits < 4) {
      value = value * 10 + (s[i] - '0');
      ++digits;
      ++i;
    }
    if (digits == 0 || digits > 3 || value > 255) return false;
    ++octets;
    if (octets == 4) return i == s.size();
    if (i >= s.size() || s[i] != '.') return false;
    ++i;
  }
}

bool is_ipv6(std::string_view s) {
  if (s.size() < 2 || s.size() > kMaxIpv6Text) return false;
  int groups = 0;
  bool compressed = false;
  std::size_t i = 0;
  if (s.starts_with("::")) {
    compressed = true;
    i = 2;
    if (i == s.size()) return true;
  } else if (s.front() == ':') {
    return false;
  }
  while (i < s.size()) {
    std::size_t j = i;
    while (j < s.size() && util::is_hex_digit(s[j]) && j - i < 5) ++j;
    if (j < s.size() && s[j] == '.') {
      // Embedded IPv4 tail ("::ffff:192.0.2.1") counts as two groups and must come last.
      if (!is_ipv4(s.substr(i))) return false;
      groups += 2;
      break;
    }
    const std::size_t len = j - i;
    if (len == 0 || len > 4) return false;
    ++groups;
    i = j;
    if (i == s.size()) break;
    if (s[i] != ':') return false;
    ++i;
    if (i < s.size() && s[i] == ':') {
      if (compressed) return false;
      compressed = true;
      ++i;
      if (i == s.size()) break;
    } else if (i == s.size()) {
      return false;  // trailing single ':'
    }
  }
  return compressed ? groups <= 7 : groups == 8;
}

std::vector<std::string> extract_ipv4(std::string_view text, std::size_t max) {
  std::vector<std::string> out;
  std::unordered_set<std::string_view> seen;
  std::size_t i = 0;
  while (i < text.size() && out.size() < max) {
    if (!util::is_ascii_digit(text[i])) {
      ++i;
      continue;
    }
    // The maximal run of digits and dots: an address inside "1.2.3.4.5" or "v10.0.0.1" is a
    // version number, not an IP.
    const std::size_t begin = i;
    while (i < text.size() && (util::is_ascii_digit(text[i]) || text[i] == '.')) ++i;
    std::string_view run = text.substr(begin, i - begin);
    while (!run.empty() && run.back() == '.') run.remove_suffix(1);
    const bool prev_ok =
        begin == 0 || !(util::is_ascii_alpha(text[begin - 1]) || text[begin - 1] == '_');
    const std::size_t after = begin + run.size();
    const bool next_ok = after >= text.size() || text[after] == '.' ||
                         !(util::is_ascii_alpha(text[after]) || text[after] == '_');
    if (prev_ok && next_ok && is_ipv4(run) && seen.insert(run).second) out.emplace_back(run);
  }
  return out;
}

std::vector<std::string> extract_ipv6(std::string_view text, std::size_t max) {
  std::vector<std::string> out;
  std::unordered_set<std::string_view> seen;
  auto in_run = [](char c) { return util::is_hex_digit(c) || c == ':' || c == '.'; };
  std::size_t i = 0;
  while (i < text.size() && out.size() < max) {
    if (!in_run(text[i])) {
      ++i;
      continue;
    }
    const std::size_t begin = i;
    while (i < text.size() && in_run(text[i])) ++i;
    const bool prev_ok =
        begin == 0 || !(util::is_ascii_alnum(text[begin - 1]) || text[begin - 1] == '_');
    const bool next_ok = i >= text.size() || !(util::is_ascii_alnum(text[i]) || text[i] == '_');
    if (!prev_ok || !next_ok) continue;
    std::string_view run = text.substr(begin, i - begin);
    while (!run.empty() && run.back() == '.') run.remove_suffix(1);
    if (run.size() >= 2 && run.back() == ':' && run[run.size() - 2] != ':') run.remove_suffix(1);
    if (run.size() > kMaxIpv6Text) continue;
    // Conservative: clock times (12:30:45) and MACs fail validation; "::", "a::b" and words
    // made of hex letters ("dead::beef" in code) are rejected by asking for two groups and a
    // decimal digit.
    std::size_t colons = 0;
    std::size_t groups = 0;
    bool digit = false;
    bool in_group = false;
    for (char c : run) {
      if (c == ':') {
        ++colons;
        in_group = false;
      } else if (!in_group) {
        in_group = true;
        ++groups;
      }
      digit = digit || util::is_ascii_digit(c);
    }
    if (colons < 2 || groups < 2 || !digit || !is_ipv6(run)) continue;
    if (seen.insert(run).second) out.emplace_back(run);
  }
  return out;
}

}  // namespace renkei::content
