// Address-list parsing (RFC 5322 3.4) tolerant of what real mail and attackers write.
//
// The structure is parsed on the raw header (quoted strings, comments, angle brackets, groups);
// display names are decoded (RFC 2047) only afterwards, so an encoded comma or angle bracket can
// never change the structure.
#include <cctype>
#include <string>
#include <vector>

#include "mime/mime.hpp"
#include "mime/rfc5322.hpp"
#include "mime/text_util.hpp"

namespace renkei::mime {
namespace {

// Lexical pieces of one address (between top-level commas).
struct Pieces {
  std::string phrase;    // display-name words (quotes removed), before '<'
  std::string comment;   // first comment's text
  std::string addr;      // inside the first top-level <...>, or the bare addr-spec
  std::string trailing;  // text after the closing '>' (comments excluded)
  bool angle = false;
};

// Skips the comment starting at s[i] == '(' and returns the index after it. When `text` is
// given, appends the comment's inside to it with quoted-pairs unescaped (nested parentheses kept).
std::size_t skip_comment(std::string_view s, std::size_t i, std::string* text) {
  const detail::Comment comment = detail::read_comment(s, i);
  if (text != nullptr) {
    const std::string_view in = comment.inside;
    for (std::size_t k = 0; k < in.size(); ++k) {
      if (in[k] == '\\' && k + 1 < in.size()) ++k;
      text->push_back(in[k]);
    }
  }
  return comment.end;
}

// Reads a quoted string starting at s[i] == '"'. Returns the index after the closing quote.
std::size_t read_quoted(std::string_view s, std::size_t i, std::string& out) {
  for (++i; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '\\' && i + 1 < s.size()) {
      out.push_back(s[++i]);
      continue;
    }
    if (c == '"') return i + 1;
    out.push_back(c);
  }
  return i;
}

Pieces split_address(std::string_view s) {
  Pieces p;
  // Find the top-level angle-addrs. When there are several ("Name <real@x> secured by
  // [mailto:relay@y] <relay@y>"), the last one is the address and everything before it is what a
  // mail client shows as the name.
  std::size_t last_open = std::string_view::npos, last_close = std::string_view::npos;
  for (std::size_t i = 0; i < s.size();) {
    const char c = s[i];
    if (c == '(') {
      i = skip_comment(s, i, nullptr);
      continue;
    }
    if (c == '"') {
      std::string dummy;
      i = read_quoted(s, i, dummy);
      continue;
    }
    if (c == '<') {
      const std::size_t close = s.find('>', i + 1);
      last_open = i;
      last_close = close;
      if (close == std::string_view::npos) break;
      i = close + 1;
      continue;
    }
    ++i;
  }
  std::string bare;  // text outside quotes/comments (for a bare addr-spec)
  const std::size_t phrase_end = last_open == std::string_view::npos ? s.size() : last_open;
  for (std::size_t i = 0; i < phrase_end;) {
    const char c = s[i];
    if (c == '(') {
      std::string text;
      i = skip_comment(s, i, &text);
      if (p.comment.empty()) p.comment = std::string(util::trim(text));
      continue;
    }
    if (c == '"') {
      std::string q;
      i = read_quoted(s, i, q);
      if (!p.phrase.empty() && !util::is_ascii_space(p.phrase.back())) p.phrase.push_back(' ');
      p.phrase += q;
      bare += '"' + q + '"';
      continue;
    }
    p.phrase.push_back(c);
    bare.push_back(c);
    ++i;
  }
  if (last_open != std::string_view::npos) {
    p.angle = true;
    if (last_close == std::string_view::npos) {
      p.addr = std::string(util::trim(s.substr(last_open + 1)));
    } else {
      p.addr = std::string(util::trim(s.substr(last_open + 1, last_close - last_open - 1)));
      for (std::size_t i = last_close + 1; i < s.size();) {
        if (s[i] == '(') {
          std::string text;
          i = skip_comment(s, i, &text);
          if (p.comment.empty()) p.comment = std::string(util::trim(text));
          continue;
        }
        p.trailing.push_back(s[i]);
        ++i;
      }
    }
  } else {
    p.addr = std::string(util::trim(bare));
    p.phrase.clear();
  }
  p.phrase = std::string(util::trim(p.phrase));
  p.trailing = std::string(util::trim(p.trailing));
  return p;
}

// Normalises an addr-spec: strips "mailto:", an obsolete source route, surrounding quotes of the
// local part are kept as written; whitespace removed; the domain lowercased.
std::string normalize_addr(std::string_view a) {
  std::string s;
  s.reserve(a.size());
  for (std::size_t i = 0; i < a.size();) {
    if (a[i] == '(') {  // CFWS inside an addr-spec: "pete(his account)@silly.test"
      i = skip_comment(a, i, nullptr);
      continue;
    }
    if (!util::is_ascii_space(a[i])) s.push_back(a[i]);
    ++i;
  }
  if (util::istarts_with_ascii(s, "mailto:")) s.erase(0, 7);
  if (!s.empty() && s.front() == '@') {  // obs-route "@a,@b:user@host"
    if (auto colon = s.find(':'); colon != std::string::npos) s.erase(0, colon + 1);
  }
  const std::size_t at = s.rfind('@');
  if (at != std::string::npos)
    for (std::size_t k = at + 1; k < s.size(); ++k) s[k] = util::ascii_lower(s[k]);
  while (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

// Splits at top-level separators (',' or ';' when inside a group), honouring quotes, comments and
// angle brackets. Calls fn(chunk, is_group_name) — group names come with is_group_name = true.
template <typename Fn>
void split_list(std::string_view s, Fn&& fn) {
  std::size_t start = 0;
  bool in_angle = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '"') {
      std::string dummy;
      i = read_quoted(s, i, dummy) - 1;
      continue;
    }
    if (c == '(') {
      i = skip_comment(s, i, nullptr) - 1;
      continue;
    }
    if (c == '<') in_angle = true;
    if (c == '>') in_angle = false;
    if (in_angle) continue;
    if (c == ':') {
      // A group "name: a, b;" — but not the ':' of a route or a "mailto:" inside the chunk.
      std::string_view name = util::trim(s.substr(start, i - start));
      if (!name.empty() && name.find('@') == std::string_view::npos &&
          !util::iequals_ascii(name, "mailto")) {
        fn(name, true);
        start = i + 1;
      }
      continue;
    }
    if (c == ',' || c == ';') {
      fn(s.substr(start, i - start), false);
      start = i + 1;
    }
  }
  if (start < s.size()) fn(s.substr(start), false);
}

}  // namespace

std::string Mailbox::local_part() const {
  const std::size_t at = address.rfind('@');
  return at == std::string::npos ? address : address.substr(0, at);
}

std::string Mailbox::domain() const {
  const std::size_t at = address.rfind('@');
  return at == std::string::npos ? std::string() : address.substr(at + 1);
}

AddressList parse_address_list(std::string_view raw, std::size_t max_addresses) {
  AddressList out;
  std::string pending_phrase;  // a name-only chunk waiting for its mailbox
  split_list(raw, [&](std::string_view chunk, bool is_group_name) {
    if (is_group_name) return;
    chunk = util::trim(chunk);
    if (chunk.empty()) return;
    if (out.mailboxes.size() >= max_addresses) {
      out.limit_hit = true;
      return;
    }
    Pieces p = split_address(chunk);
    Mailbox m;
    std::string name = p.angle ? p.phrase : std::string();
    if (!p.angle) {
      // A bare addr-spec, or "Name addr@example" written without brackets: take the one word
      // that looks like an address and keep the rest as the name. Whitespace next to '.' and
      // '@' is folding inside the address ("jdoe@test   . example"), not a word break.
      std::string joined;
      for (std::size_t k = 0; k < p.addr.size(); ++k) {
        const char ch = p.addr[k];
        if (util::is_ascii_space(ch)) {
          std::size_t n = k;
          while (n < p.addr.size() && util::is_ascii_space(p.addr[n])) ++n;
          const bool next_sep = n < p.addr.size() && (p.addr[n] == '.' || p.addr[n] == '@');
          const bool prev_sep = !joined.empty() && (joined.back() == '.' || joined.back() == '@');
          if (!next_sep && !prev_sep) joined.push_back(' ');
          k = n - 1;
          continue;
        }
        joined.push_back(ch);
      }
      p.addr = joined;
      std::vector<std::string_view> words;
      std::string_view rest = p.addr;
      while (!rest.empty()) {
        while (!rest.empty() && util::is_ascii_space(rest.front())) rest.remove_prefix(1);
        std::size_t e = 0;
        while (e < rest.size() && !util::is_ascii_space(rest[e])) ++e;
        if (e > 0) words.push_back(rest.substr(0, e));
        rest.remove_prefix(e);
      }
      int with_at = -1;
      int count = 0;
      for (std::size_t k = 0; k < words.size(); ++k) {
        const auto at = words[k].find('@');
        if (at != std::string_view::npos && at > 0 && at + 1 < words[k].size()) {
          with_at = static_cast<int>(k);
          ++count;
        }
      }
      if (count >= 2 && count == static_cast<int>(words.size())) {
        // "a@x b@y" without a comma: several mailboxes.
        for (const auto& w : words) {
          if (out.mailboxes.size() >= max_addresses) {
            out.limit_hit = true;
            break;
          }
          out.mailboxes.push_back({std::string(), normalize_addr(w)});
        }
        return;
      }
      if (count == 1 && words.size() > 1) {
        std::string rest_name;
        for (std::size_t k = 0; k < words.size(); ++k) {
          if (static_cast<int>(k) == with_at) continue;
          if (!rest_name.empty()) rest_name.push_back(' ');
          rest_name += words[k];
        }
        p.addr = std::string(words[static_cast<std::size_t>(with_at)]);
        if (name.empty()) name = rest_name;
      }
    }
    m.address = normalize_addr(p.addr);
    if (name.empty() && !p.comment.empty()) name = p.comment;
    if (!name.empty()) m.name = std::string(util::trim(decode_header_text(name).text));
    if (!p.trailing.empty()) {
      if (!out.trailing.empty()) out.trailing.push_back(' ');
      out.trailing += decode_header_text(p.trailing).text;
    }
    if (m.address.empty() && m.name.empty()) {
      // Nothing addressable: keep the text so the analysis can still look at it.
      if (!out.trailing.empty()) out.trailing.push_back(' ');
      out.trailing += decode_header_text(chunk).text;
      return;
    }
    if (!p.angle && m.address.find('@') == std::string::npos) {
      // A phrase without an address ("undisclosed recipients", or a name alone): not a mailbox.
      const std::string text = decode_header_text(chunk).text;
      if (!out.trailing.empty()) out.trailing.push_back(' ');
      out.trailing += text;
      pending_phrase = text;
      return;
    }
    // "Microsoft account team ,_<no-reply@x>": the phrase before the stray comma is what mail
    // clients show as the name when the mailbox's own name is empty or punctuation.
    bool name_has_text = false;
    for (char ch : m.name)
      if (std::isalnum(static_cast<unsigned char>(ch)) || static_cast<unsigned char>(ch) >= 0x80)
        name_has_text = true;
    if (!name_has_text && !pending_phrase.empty()) m.name = pending_phrase;
    pending_phrase.clear();
    out.mailboxes.push_back(std::move(m));
  });
  return out;
}

}  // namespace renkei::mime
