// Parameterized header values (Content-Type, Content-Disposition) with RFC 2231 continuations and
// charsets, plus the non-standard forms real mail uses (RFC 2047 words inside quoted values, raw
// 8-bit CP932 file names).
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "mime/charset.hpp"
#include "mime/mime.hpp"
#include "mime/text_util.hpp"

namespace renkei::mime {
namespace {

struct RawParam {
  std::string name;       // lowercased, without the "*n*" suffix
  int section = -1;       // RFC 2231 continuation number, -1 when none
  bool extended = false;  // value is percent-encoded with charset'lang' (first section)
  std::string value;
};

// Reads a token or quoted-string starting at pos; returns the unquoted value.
std::string read_value(std::string_view s, std::size_t& pos) {
  std::string v;
  while (pos < s.size() && util::is_ascii_space(s[pos])) ++pos;
  if (pos < s.size() && s[pos] == '"') {
    ++pos;
    while (pos < s.size() && s[pos] != '"') {
      if (s[pos] == '\\' && pos + 1 < s.size()) ++pos;
      v.push_back(s[pos]);
      ++pos;
    }
    if (pos < s.size()) ++pos;  // closing quote
    // Anything up to the next ';' after a closing quote is junk; skip it.
    while (pos < s.size() && s[pos] != ';') ++pos;
    return v;
  }
  const std::size_t start = pos;
  while (pos < s.size() && s[pos] != ';') ++pos;
  return std::string(util::trim(s.substr(start, pos - start)));
}

std::string percent_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      const int hi = util::hex_value(s[i + 1]);
      const int lo = util::hex_value(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(s[i]);
  }
  return out;
}

std::string decode_plain_value(const std::string& v) {
  if (v.find("=?") != std::string::npos) return decode_header_text(v).text;
  for (char c : v)
    if (static_cast<unsigned char>(c) >= 0x80 || c == 0x1B) return to_utf8(v, "").text;
  return v;
}

}  // namespace

std::pair<std::string, std::vector<Param>> parse_parameterized(std::string_view raw) {
  constexpr std::size_t kMaxParams = 64;     // real headers carry a handful
  constexpr std::size_t kMaxSections = 256;  // RFC 2231 continuations of one parameter
  std::size_t pos = raw.find(';');
  std::string value = util::ascii_lower(util::trim(raw.substr(0, pos)));
  std::vector<RawParam> raws;
  while (pos != std::string_view::npos && pos < raw.size() && raws.size() < kMaxParams * 4) {
    ++pos;  // skip ';'
    while (pos < raw.size() && util::is_ascii_space(raw[pos])) ++pos;
    const std::size_t name_start = pos;
    while (pos < raw.size() && raw[pos] != '=' && raw[pos] != ';') ++pos;
    if (pos >= raw.size() || raw[pos] == ';') continue;  // "; junk;" without '='
    std::string name = util::ascii_lower(util::trim(raw.substr(name_start, pos - name_start)));
    ++pos;  // '='
    std::string v = read_value(raw, pos);
    if (name.empty()) continue;
    RawParam p;
    if (auto star = name.find('*'); star != std::string::npos) {
      std::string_view rest = std::string_view(name).substr(star + 1);
      p.name = name.substr(0, star);
      if (!rest.empty() && rest.back() == '*') {
        p.extended = true;
        rest.remove_suffix(1);
      } else if (rest.empty()) {
        p.extended = true;  // "name*=charset''value"
      }
      if (!rest.empty()) {
        int n = 0;
        bool digits = true;
        for (char c : rest) {
          if (c < '0' || c > '9' || n > 100000) {
            digits = false;
            break;
          }
          n = n * 10 + (c - '0');
        }
        p.section = digits ? n : -1;
      }
    } else {
      p.name = std::move(name);
    }
    p.value = std::move(v);
    raws.push_back(std::move(p));
  }

  // Assemble: group by name, keep first-seen order of names.
  std::vector<Param> params;
  std::vector<std::string> order;
  std::map<std::string, std::vector<const RawParam*>> groups;
  for (const auto& p : raws) {
    auto& g = groups[p.name];
    if (g.empty()) order.push_back(p.name);
    if (g.size() < kMaxSections) g.push_back(&p);
  }
  for (const auto& name : order) {
    if (params.size() >= kMaxParams) break;
    auto& g = groups[name];
    const bool continued =
        std::any_of(g.begin(), g.end(), [](const RawParam* p) { return p->section >= 0; });
    if (!continued) {
      // Plain or "name*=" extended; prefer the extended form when both are present (RFC 2231).
      const RawParam* pick = g.front();
      for (const RawParam* p : g)
        if (p->extended) pick = p;
      if (pick->extended) {
        const std::string& v = pick->value;
        const std::size_t q1 = v.find('\'');
        const std::size_t q2 = q1 == std::string::npos ? std::string::npos : v.find('\'', q1 + 1);
        if (q2 != std::string::npos) {
          const std::string charset = v.substr(0, q1);
          params.push_back(
              {name, to_utf8(percent_decode(std::string_view(v).substr(q2 + 1)), charset).text});
        } else {
          params.push_back({name, decode_plain_value(percent_decode(v))});
        }
      } else {
        params.push_back({name, decode_plain_value(pick->value)});
      }
      continue;
    }
    std::vector<const RawParam*> sections;
    for (const RawParam* p : g)
      if (p->section >= 0) sections.push_back(p);
    std::stable_sort(sections.begin(), sections.end(),
                     [](const RawParam* a, const RawParam* b) { return a->section < b->section; });
    std::string charset;
    std::string bytes;
    bool any_extended = false;
    for (std::size_t i = 0; i < sections.size(); ++i) {
      const RawParam* p = sections[i];
      std::string_view v = p->value;
      if (i == 0 && p->extended) {
        const std::size_t q1 = v.find('\'');
        const std::size_t q2 = q1 == std::string_view::npos ? q1 : v.find('\'', q1 + 1);
        if (q2 != std::string_view::npos) {
          charset = std::string(v.substr(0, q1));
          v = v.substr(q2 + 1);
        }
      }
      if (p->extended) {
        any_extended = true;
        bytes += percent_decode(v);
      } else {
        bytes += v;
      }
    }
    if (any_extended && !charset.empty())
      params.push_back({name, to_utf8(bytes, charset).text});
    else
      params.push_back({name, decode_plain_value(bytes)});
  }
  return {std::move(value), std::move(params)};
}

}  // namespace renkei::mime
