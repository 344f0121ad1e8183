// Look-alike domains: one pairwise classifier and the index that finds its candidate pairs.
//
// Why hand-written: dnstwist (Python) generates variants but does not answer "which of 100k
// protected domains does this one imitate"; no Debian library does. The confusable folding uses
// ICU's UTS #39 skeleton (uspoof), the suffix logic libpsl (through renkei::registry).
#include <unicode/uscript.h>
#include <unicode/uspoof.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdio>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_set>

#include "lookalike/lookalike.hpp"
#include "lookalike/tables.hpp"
#include "registry/registry.hpp"
#include "util/text.hpp"
#include "util/utf8.hpp"

namespace renkei::lookalike {
namespace {

// Names shorter than this carry too little identity for edit-distance techniques ("abc.com" vs
// "abd.com" are simply different names); whole-name techniques (reorder, TLD swap, homoglyph,
// dictionary) start one character earlier.
using tables::kMinEditName;
using tables::kMinName;
// Hosts longer than this are not looked at (DNS allows 253).
constexpr std::size_t kMaxHost = 253;

// Lowercased ASCII host without the root dot; "" when unusable.
std::string prepare_host(std::string_view input) {
  while (!input.empty() && (input.front() == ' ' || input.front() == '\t')) input.remove_prefix(1);
  while (!input.empty() && (input.back() == ' ' || input.back() == '\t' || input.back() == '\r'))
    input.remove_suffix(1);
  if (!input.empty() && input.back() == '.') input.remove_suffix(1);
  if (input.empty() || input.size() > 4 * kMaxHost) return {};
  std::string host =
      util::is_ascii(input) ? util::ascii_lower(input) : registry::idn_to_ascii(input);
  if (host.empty() || host.size() > kMaxHost) return {};
  if (host.front() == '.' || host.find("..") != std::string::npos) return {};
  for (char c : host)
    if (!tables::is_label_char(c) && c != '.' && c != '_') return {};
  // IP literals are not names.
  if (std::all_of(host.begin(), host.end(),
                  [](char c) { return (c >= '0' && c <= '9') || c == '.'; }))
    return {};
  return host;
}

// The generic second-level labels registries use under a ccTLD ("com.cc", "co.jp"): when the
// PSL does not list such a suffix, the organisation's domain is one label longer.
bool generic_second_level(std::string_view label) {
  static constexpr std::array<std::string_view, 13> kGeneric{
      "com", "co", "net", "org", "ac", "or", "ne", "go", "gov", "edu", "gr", "ed", "lg"};
  return std::find(kGeneric.begin(), kGeneric.end(), label) != kGeneric.end();
}

std::string org_of_prepared(const std::string& host) {
  // One PSL lookup: the public suffix, then the label before it.
  const std::string suffix = registry::public_suffix(host);
  if (suffix.empty() || suffix.size() + 1 >= host.size())
    return {};  // a bare public suffix has no organisation
  const std::size_t dot = host.size() - suffix.size() - 1;
  if (host[dot] != '.') return {};
  std::size_t start = dot == 0 ? std::string::npos : host.rfind('.', dot - 1);
  std::string reg = host.substr(start == std::string::npos ? 0 : start + 1);
  const std::string_view first = std::string_view(reg).substr(0, reg.find('.'));
  if (generic_second_level(first) && start != std::string::npos) {
    start = start == 0 ? std::string::npos : host.rfind('.', start - 1);
    reg = host.substr(start == std::string::npos ? 0 : start + 1);
  }
  return reg;
}

// ---- Folding ----

// Canonical representative of each look-alike class, applied after the UTS #39 skeleton.
char fold_char(char c) {
  switch (c) {
    case '1':
    case 'i':
      return 'l';
    case '0':
      return 'o';
    case '5':
      return 's';
    case '6':
      return 'b';
    case '9':
    case 'q':
      return 'g';
    case '3':
      return 'e';
    case '4':
      return 'a';
    case '7':
      return 't';
    case '2':
      return 'z';
    case 'h':
      return 'n';
    default:
      return c;
  }
}

// Each character to its class, then rn→m, vv→w, cl→d (on the classes, so "cӏ" — skeleton "ci" —
// and "cl" fold alike); hyphens dropped (so hyphenation and homoglyphs meet on one key).
std::string fold_ascii(std::string_view s) {
  std::string mapped;
  mapped.reserve(s.size());
  for (const char c : s)
    if (c != '-' && c != '_') mapped.push_back(fold_char(c));
  std::string out;
  out.reserve(mapped.size());
  for (std::size_t i = 0; i < mapped.size(); ++i) {
    const char c = mapped[i];
    const char n = i + 1 < mapped.size() ? mapped[i + 1] : '\0';
    if ((c == 'r' && n == 'n') || (c == 'v' && n == 'v') || (c == 'c' && n == 'l')) {
      out.push_back(c == 'r' ? 'm' : c == 'v' ? 'w' : 'd');
      ++i;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

const USpoofChecker* spoof_checker() {
  struct Close {
    void operator()(USpoofChecker* p) const { uspoof_close(p); }
  };
  static const std::unique_ptr<USpoofChecker, Close> checker = [] {
    UErrorCode err = U_ZERO_ERROR;
    std::unique_ptr<USpoofChecker, Close> c(uspoof_open(&err));
    if (U_FAILURE(err)) c.reset();
    return c;
  }();
  return checker.get();
}

// Fold key of a name label given in Unicode form: UTS #39 skeleton (other scripts' look-alikes
// to Latin), lowercased, then the ASCII classes above.
std::string fold_key(std::string_view unicode_name) {
  if (util::is_ascii(unicode_name)) return fold_ascii(unicode_name);
  const USpoofChecker* sc = spoof_checker();
  if (sc == nullptr) return fold_ascii(unicode_name);
  std::string buf(unicode_name.size() * 4 + 16, '\0');
  UErrorCode err = U_ZERO_ERROR;
  const int32_t n =
      uspoof_getSkeletonUTF8(sc, 0, unicode_name.data(), static_cast<int32_t>(unicode_name.size()),
                             buf.data(), static_cast<int32_t>(buf.size()), &err);
  if (U_FAILURE(err) || n < 0) return fold_ascii(unicode_name);
  buf.resize(static_cast<std::size_t>(n));
  // UTS #39 maps Cyrillic к to ĸ (U+0138 kra), which reads as k.
  for (std::size_t pos; (pos = buf.find("\xC4\xB8")) != std::string::npos;)
    buf.replace(pos, 2, "k");
  return fold_ascii(util::ascii_lower(buf));
}

std::string vowel_mask(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (tables::is_vowel(c)) c = '*';
  return out;
}

std::string strip_hyphens(std::string_view s) {
  std::string out;
  for (char c : s)
    if (c != '-') out.push_back(c);
  return out;
}

std::vector<std::string> split(std::string_view s, std::string_view seps) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (seps.find(c) != std::string_view::npos) {
      if (!cur.empty()) out.push_back(std::move(cur));
      cur.clear();
    } else {
      cur.push_back(c);
    }
  }
  if (!cur.empty()) out.push_back(std::move(cur));
  return out;
}

std::string unicode_of(const std::string& ascii);
std::string fold_key(std::string_view unicode_name);

// The labels of a domain (split at dots and hyphens), sorted; with `folded` each label is first
// reduced to its look-alike fold key, so "b-cornpanys-cc.com" and "b-companys.com.cc" meet.
std::string sorted_labels(std::string_view org, bool folded = false) {
  auto labels = split(org, ".-");
  if (folded)
    for (auto& l : labels) l = fold_key(l.rfind("xn--", 0) == 0 ? unicode_of(l) : l);
  std::sort(labels.begin(), labels.end());
  std::string key;
  for (const auto& l : labels) key += l + "|";
  return key;
}

// The domain with every label folded and the separators kept: equal for two domains that differ
// only in look-alike characters.
std::string folded_shape(std::string_view org) {
  std::string out, cur;
  auto flush = [&] {
    out += fold_key(cur.rfind("xn--", 0) == 0 ? unicode_of(cur) : cur);
    cur.clear();
  };
  for (char c : org) {
    if (c == '.' || c == '-') {
      flush();
      out.push_back(c);
    } else {
      cur.push_back(c);
    }
  }
  flush();
  return out;
}

std::size_t distinct_chars(std::string_view v) {
  std::string u(v);
  std::sort(u.begin(), u.end());
  return static_cast<std::size_t>(std::unique(u.begin(), u.end()) - u.begin());
}

// Labels of public suffixes that attackers glue into a name ("b-company-jp.co").
bool is_suffix_label(std::string_view l) {
  if (l.size() == 2) return true;  // any ccTLD
  static const std::unordered_set<std::string> kLabels = [] {
    std::unordered_set<std::string> out;
    for (auto s : tables::kSwapSuffixes)
      for (auto& part : split(s, ".")) out.insert(std::move(part));
    return out;
  }();
  return kLabels.count(std::string(l)) > 0;
}

// The names a candidate name may be hiding once words are taken off its ends: "secure-example-
// login" → "example-login", "secure-example", "example"; "examplelogin" → "example". Bounded: at
// most three words off, one list of a few dozen entries.
void strip_words(std::string_view name, int depth, std::vector<std::string>& out) {
  if (depth == 0 || name.size() < kMinName) return;
  for (auto w : tables::kDictionary) {
    for (std::string_view sep : {std::string_view("-"), std::string_view("")}) {
      const std::size_t cut = w.size() + sep.size();
      if (name.size() <= cut + 2) continue;
      if (name.substr(0, w.size()) == w && name.substr(w.size(), sep.size()) == sep) {
        const std::string rest(name.substr(cut));
        if (rest.front() != '-') {
          out.push_back(rest);
          strip_words(rest, depth - 1, out);
        }
      }
      if (name.substr(name.size() - w.size()) == w &&
          name.substr(name.size() - cut, sep.size()) == sep) {
        const std::string rest(name.substr(0, name.size() - cut));
        if (rest.back() != '-') {
          out.push_back(rest);
          strip_words(rest, depth - 1, out);
        }
      }
    }
  }
}

// ---- The parts of a domain ----

struct Parts {
  std::string host;    // prepared host (ASCII)
  std::string org;     // organisational domain (ASCII)
  std::string suffix;  // the rest of org after its first label (the name)
  std::string uname;   // the name (first label of org) in Unicode
  std::string prefix;  // host labels left of org ("" when host == org)
  bool ascii_name = true;
  // Derived once per domain (every comparison needs them).
  std::string fold;           // fold_key(uname)
  std::string labels;         // sorted_labels(org)
  std::string labels_folded;  // sorted_labels(org, true)
  std::string shape_folded;   // folded_shape(org)
  std::string vowels;         // vowel_mask(uname)
};

std::optional<Parts> parts_of(std::string_view input) {
  Parts p;
  p.host = prepare_host(input);
  if (p.host.empty()) return std::nullopt;
  p.org = org_of_prepared(p.host);
  if (p.org.empty()) return std::nullopt;
  const std::size_t dot = p.org.find('.');
  const std::string name = p.org.substr(0, dot);
  p.suffix = p.org.substr(dot + 1);
  p.ascii_name = name.rfind("xn--", 0) != 0;
  p.uname = p.ascii_name ? name : registry::idn_to_unicode(name);
  if (p.host.size() > p.org.size()) p.prefix = p.host.substr(0, p.host.size() - p.org.size() - 1);
  p.fold = fold_key(p.uname);
  p.labels = sorted_labels(p.org);
  p.labels_folded = sorted_labels(p.org, true);
  p.shape_folded = folded_shape(p.org);
  p.vowels = vowel_mask(p.uname);
  return p;
}

std::string unicode_of(const std::string& ascii) {
  return ascii.find("xn--") == std::string::npos ? ascii : registry::idn_to_unicode(ascii);
}

// ---- Explanations ----

struct Finding {
  Technique technique;
  std::string en, ja;  // the detail, e.g. "'rn' for 'm'"
};

// The differing middle of two strings after their common prefix and suffix.
std::pair<std::string, std::string> diff_middle(std::string_view a, std::string_view b) {
  std::size_t pre = 0;
  while (pre < a.size() && pre < b.size() && a[pre] == b[pre]) ++pre;
  // Keep whole UTF-8 characters.
  while (pre > 0 && (static_cast<unsigned char>(a[pre]) & 0xC0) == 0x80) --pre;
  std::size_t suf = 0;
  while (suf < a.size() - pre && suf < b.size() - pre &&
         a[a.size() - 1 - suf] == b[b.size() - 1 - suf])
    ++suf;
  while (suf > 0 && a.size() - suf < a.size() &&
         (static_cast<unsigned char>(a[a.size() - suf]) & 0xC0) == 0x80)
    --suf;
  return {std::string(a.substr(pre, a.size() - pre - suf)),
          std::string(b.substr(pre, b.size() - pre - suf))};
}

// "Cyrillic 'а' (U+0430)" for each non-ASCII character of s; "" when s is ASCII.
std::string describe_scripts(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t start = i;
    const char32_t c = utf8::next_code_point(s, i);
    if (c < 0x80) continue;
    UErrorCode err = U_ZERO_ERROR;
    const UScriptCode sc = uscript_getScript(c, &err);
    char cp[16];
    std::snprintf(cp, sizeof cp, "U+%04X", static_cast<unsigned>(c));
    if (!out.empty()) out += ", ";
    out += std::string(U_SUCCESS(err) ? uscript_getName(sc) : "other") + " '" +
           std::string(s.substr(start, i - start)) + "' (" + cp + ")";
  }
  return out;
}

std::string quoted(std::string_view s) {
  return "'" + std::string(s) + "'";
}

int base_score(Technique t) {
  switch (t) {
    case Technique::kHomoglyph:
      return 95;
    case Technique::kLabelReorder:
      return 90;
    case Technique::kSubdomain:
      return 85;
    case Technique::kVowelSwap:
      return 85;
    case Technique::kTransposition:
      return 80;
    case Technique::kRepetition:
      return 80;
    case Technique::kHyphenation:
      return 80;
    case Technique::kOmission:
      return 75;
    case Technique::kReplacement:
      return 75;
    case Technique::kInsertion:
      return 75;
    case Technique::kDictionary:
      return 75;
    case Technique::kAddition:
      return 70;
    case Technique::kPlural:
      return 70;
    case Technique::kTldSwap:
      return 70;
    case Technique::kBitsquatting:
      return 65;
  }
  return 50;
}

bool neighbours(char32_t a, char32_t b) {
  return a < 0x80 && b < 0x80 &&
         tables::are_keyboard_neighbours(static_cast<char>(a), static_cast<char>(b));
}
bool vowel(char32_t c) {
  return c < 0x80 && tables::is_vowel(static_cast<char>(c));
}

// One edit between two names (Unicode, compared by code point): which techniques explain it.
void classify_edit(std::string_view c8, std::string_view p8, std::vector<Finding>& out) {
  const std::u32string c = utf8::decode(c8), p = utf8::decode(p8);
  if (c.size() < kMinEditName && p.size() < kMinEditName) return;
  auto ch = [](char32_t x) { return quoted(utf8::encode(std::u32string(1, x))); };
  if (c.size() == p.size() + 1) {
    // One character added to p.
    std::size_t k = 0;
    while (k < p.size() && c[k] == p[k]) ++k;
    if (c.compare(k + 1, std::u32string::npos, p, k, std::u32string::npos) != 0) return;
    const char32_t x = c[k];
    if ((k > 0 && c[k - 1] == x) || (k + 1 < c.size() && c[k + 1] == x))
      out.push_back({Technique::kRepetition, ch(x) + " doubled", ch(x) + " を重ねた"});
    if (x == U'-') out.push_back({Technique::kHyphenation, "a hyphen inserted", "ハイフンを挿入"});
    if (k == p.size()) {
      if (x == U's') out.push_back({Technique::kPlural, "made plural", "複数形にした"});
      out.push_back({Technique::kAddition, ch(x) + " appended", "末尾に " + ch(x) + " を追加"});
    } else if ((k > 0 && neighbours(c[k - 1], x)) ||
               (k + 1 < c.size() && neighbours(c[k + 1], x))) {
      out.push_back({Technique::kInsertion, ch(x) + " (a neighbouring key) inserted",
                     "隣のキーの " + ch(x) + " を挿入"});
    }
    if (x != U'-' && out.empty())
      out.push_back({Technique::kAddition, ch(x) + " added", ch(x) + " を追加"});
    return;
  }
  if (p.size() == c.size() + 1) {
    std::size_t k = 0;
    while (k < c.size() && c[k] == p[k]) ++k;
    if (p.compare(k + 1, std::u32string::npos, c, k, std::u32string::npos) != 0) return;
    if (p[k] == U'-')
      out.push_back({Technique::kHyphenation, "the hyphen removed", "ハイフンを削除"});
    else
      out.push_back({Technique::kOmission, ch(p[k]) + " left out", ch(p[k]) + " を抜いた"});
    return;
  }
  if (c.size() != p.size()) return;
  std::size_t first = std::u32string::npos, second = std::u32string::npos, count = 0;
  for (std::size_t i = 0; i < c.size(); ++i)
    if (c[i] != p[i]) {
      if (count == 0)
        first = i;
      else if (count == 1)
        second = i;
      ++count;
    }
  if (count == 2 && second == first + 1 && c[first] == p[second] && c[second] == p[first]) {
    const std::string a = utf8::encode(p.substr(first, 2)), b = utf8::encode(c.substr(first, 2));
    if (c[first] == U'-' || c[second] == U'-')
      out.push_back({Technique::kHyphenation, "the hyphen moved", "ハイフンの位置を変更"});
    out.push_back({Technique::kTransposition, quoted(a) + " swapped to " + quoted(b),
                   quoted(a) + " を " + quoted(b) + " に入れ替え"});
    return;
  }
  if (count != 1) return;
  const char32_t x = p[first], y = c[first];
  const std::string en = ch(y) + " for " + ch(x), ja = ch(x) + " を " + ch(y) + " に";
  if (x < 0x80 && y < 0x80)
    for (const auto& [a, b] : tables::kAsciiHomoglyphs)
      if ((a.size() == 1 && b.size() == 1) &&
          ((a[0] == static_cast<char>(x) && b[0] == static_cast<char>(y)) ||
           (a[0] == static_cast<char>(y) && b[0] == static_cast<char>(x))))
        out.push_back({Technique::kHomoglyph, "look-alike " + en, "似た文字 " + ja});
  if (vowel(x) && vowel(y)) out.push_back({Technique::kVowelSwap, "vowel " + en, "母音 " + ja});
  if (neighbours(x, y) || neighbours(y, x))
    out.push_back({Technique::kReplacement, "neighbouring key " + en, "隣のキー " + ja});
  const char32_t flip = x ^ y;
  if (x < 0x80 && y < 0x80 && (flip & (flip - 1)) == 0)
    out.push_back({Technique::kBitsquatting, "one bit flipped: " + en, "1ビット反転: " + ja});
  if (out.empty()) out.push_back({Technique::kReplacement, en, ja});
}

}  // namespace

// ---- Public functions ----

std::string_view technique_id(Technique t) {
  switch (t) {
    case Technique::kHomoglyph:
      return "homoglyph";
    case Technique::kLabelReorder:
      return "label-reorder";
    case Technique::kTldSwap:
      return "tld-swap";
    case Technique::kSubdomain:
      return "subdomain";
    case Technique::kVowelSwap:
      return "vowel-swap";
    case Technique::kAddition:
      return "addition";
    case Technique::kOmission:
      return "omission";
    case Technique::kRepetition:
      return "repetition";
    case Technique::kReplacement:
      return "replacement";
    case Technique::kTransposition:
      return "transposition";
    case Technique::kInsertion:
      return "insertion";
    case Technique::kHyphenation:
      return "hyphenation";
    case Technique::kBitsquatting:
      return "bitsquatting";
    case Technique::kPlural:
      return "plural";
    case Technique::kDictionary:
      return "dictionary";
  }
  return "unknown";
}

std::optional<Technique> technique_from_id(std::string_view id) {
  for (std::size_t i = 0; i < kTechniqueCount; ++i) {
    const auto t = static_cast<Technique>(i);
    if (technique_id(t) == id) return t;
  }
  return std::nullopt;
}

std::string organizational_domain(std::string_view host) {
  const std::string h = prepare_host(host);
  return h.empty() ? std::string() : org_of_prepared(h);
}

namespace {

std::optional<Match> classify_parts(const Parts& c, const Parts& p) {
  if (c.org == p.org || tables::is_reserved_domain(c.org)) return std::nullopt;
  if (p.uname.size() < kMinName) return std::nullopt;
  if (distinct_chars(p.uname) < tables::kMinDistinct)
    return std::nullopt;  // "xxxx.com" in redacted samples
  std::vector<Finding> found;
  const bool same_suffix = c.suffix == p.suffix;

  // The real domain inside the candidate's sub-domain labels: "b-company.co.jp.evil.example",
  // "login.example-mfg.evil.example"; or a dot inserted into the name: "exa.mple.com".
  if (!c.prefix.empty()) {
    const std::string pre = c.prefix;
    if (pre == p.org ||
        (pre.size() > p.org.size() &&
         pre.compare(pre.size() - p.org.size() - 1, std::string::npos, "." + p.org) == 0))
      found.push_back({Technique::kSubdomain, "the real domain used as a sub-domain of " + c.org,
                       "本物のドメインを " + c.org + " のサブドメインとして使用"});
    else if (same_suffix && p.uname.size() >= kMinName) {
      const auto labels = split(pre, ".");
      std::string tail;
      for (auto it = labels.rbegin(); it != labels.rend() && found.empty(); ++it) {
        tail = unicode_of(*it) + tail;
        if (tail + c.uname == p.uname)
          found.push_back(
              {Technique::kSubdomain, "a dot inserted into the name", "名前の途中にドットを挿入"});
      }
    }
    if (found.empty() && p.uname.size() >= kMinEditName) {
      for (const auto& l : split(pre, ".-"))
        if (l == p.uname) {
          found.push_back({Technique::kSubdomain, "the real name used as a sub-domain of " + c.org,
                           "本物の名前を " + c.org + " のサブドメインとして使用"});
          break;
        }
    }
  }

  if (found.empty() && c.uname.size() >= kMinName - 1) {
    const std::string cf = c.ascii_name ? std::string() : describe_scripts(c.uname);
    // Same letters, other separators or order: "b-companys.com.cc" → "b-companys-cc.com".
    if (c.labels != p.labels && c.labels_folded == p.labels_folded &&
        c.shape_folded != p.shape_folded) {
      // Both at once: "b-cornpanysgroup-cc.com" for "b-companysgroup.com.cc".
      found.push_back({Technique::kLabelReorder, "labels reordered or dots replaced by hyphens",
                       "ラベルの並べ替えまたはドットをハイフンに置き換え"});
      std::string en = "look-alike characters", ja = "似た文字";
      for (const auto& cl : split(c.org, ".-"))
        for (const auto& pl : split(p.org, ".-"))
          if (cl != pl && fold_key(unicode_of(cl)) == fold_key(unicode_of(pl))) {
            auto [cd, pd] = diff_middle(unicode_of(cl), unicode_of(pl));
            en += " " + quoted(cd) + " for " + quoted(pd);
            ja += " " + quoted(pd) + " を " + quoted(cd) + " に";
          }
      found.push_back({Technique::kHomoglyph, en, ja});
    } else if (c.labels == p.labels) {
      const bool dots_to_hyphens = strip_hyphens(c.org) != c.org && [&] {
        std::string a = c.org, b = p.org;
        std::replace(a.begin(), a.end(), '.', '-');
        std::replace(b.begin(), b.end(), '.', '-');
        return split(a, "-") == split(b, "-");
      }();
      if (dots_to_hyphens)
        found.push_back(
            {Technique::kLabelReorder, "a dot replaced by a hyphen", "ドットをハイフンに置き換え"});
      else
        found.push_back({Technique::kLabelReorder,
                         "labels reordered and a dot replaced by a hyphen",
                         "ラベルを並べ替え、ドットをハイフンに置き換え"});
      if (!same_suffix)
        found.push_back({Technique::kTldSwap, "the suffix ." + p.suffix + " became ." + c.suffix,
                         "サフィックス ." + p.suffix + " を ." + c.suffix + " に"});
    } else if (c.uname != p.uname && c.uname.size() > p.uname.size() &&
               c.uname.compare(0, p.uname.size(), p.uname) == 0) {
      // Suffix labels glued onto the name: "b-company-jp.co", "b-companyjp.com".
      std::string rest = c.uname.substr(p.uname.size());
      auto rest_labels = split(rest, "-");
      const auto p_suffix_labels = split(p.suffix, ".");
      bool all_from_suffix = !rest_labels.empty();
      std::string glued;
      for (const auto& l : p_suffix_labels) glued += l;
      if (strip_hyphens(rest) == glued) {
        // every suffix label glued on
      } else {
        for (const auto& l : rest_labels)
          if (std::find(p_suffix_labels.begin(), p_suffix_labels.end(), l) == p_suffix_labels.end())
            all_from_suffix = false;
      }
      if (all_from_suffix) {
        if (same_suffix)
          found.push_back({Technique::kLabelReorder, "the top-level label copied into the name",
                           "トップレベルのラベルを名前に追加"});
        else
          found.push_back({Technique::kLabelReorder,
                           "a suffix label moved into the name and the top-level domain changed",
                           "サフィックスのラベルを名前に移し、トップレベルドメインを変更"});
      }
    }
    if (found.empty() && c.uname == p.uname && !same_suffix)
      found.push_back({Technique::kTldSwap,
                       "the same name under ." + c.suffix + " instead of ." + p.suffix,
                       "同じ名前を ." + p.suffix + " ではなく ." + c.suffix + " で取得"});
    if (found.empty() && c.uname != p.uname) {
      const std::string& ck = c.fold;
      const std::string& pk = p.fold;
      if (ck == pk && ck.size() >= kMinName - 1) {
        if (strip_hyphens(c.uname) == strip_hyphens(p.uname)) {
          found.push_back({Technique::kHyphenation, "hyphens moved", "ハイフンの位置を変更"});
        } else {
          auto [cd, pd] = diff_middle(c.uname, p.uname);
          std::string en = "look-alike characters", ja = "似た文字";
          if (!cf.empty()) {
            en += " from another script: " + cf;
            ja += "（別の文字体系）: " + cf;
          } else if (!cd.empty() || !pd.empty()) {
            en += " " + quoted(cd) + " for " + quoted(pd);
            ja += " " + quoted(pd) + " を " + quoted(cd) + " に";
          }
          found.push_back({Technique::kHomoglyph, en, ja});
        }
      }
    }
  }

  // Edits on ASCII names (same name length class).
  if (found.empty() && c.uname != p.uname) {
    if (c.uname == p.uname + "es")
      found.push_back({Technique::kPlural, "made plural", "複数形にした"});
    else
      classify_edit(c.uname, p.uname, found);
    // Several vowels changed: "a-compeny" for "a-company" with more than one swap.
    if (found.empty() && c.uname.size() == p.uname.size() && c.uname.size() >= 6 &&
        c.vowels == p.vowels)
      found.push_back({Technique::kVowelSwap, "vowels changed", "母音を変更"});
  }

  // Words added around the real name: "example-mfg-login", "secureexample-mfg".
  if (found.empty() && c.uname.size() > p.uname.size() && p.uname.size() >= kMinName) {
    std::vector<std::string> stripped;
    strip_words(c.uname, 3, stripped);
    const std::string& pk = p.fold;
    const auto folded_hit =
        std::find_if(stripped.begin(), stripped.end(), [&](const std::string& x) {
          return x != p.uname && x.size() + 2 >= p.uname.size() && fold_key(x) == pk;
        });
    if (std::find(stripped.begin(), stripped.end(), p.uname) == stripped.end() &&
        folded_hit != stripped.end()) {
      // Words added to a name written with look-alike characters: "rnicrosoft-support".
      auto [cd, pd] = diff_middle(*folded_hit, p.uname);
      found.push_back({Technique::kDictionary, "words added", "単語を追加"});
      found.push_back({Technique::kHomoglyph,
                       "look-alike characters " + quoted(cd) + " for " + quoted(pd),
                       "似た文字 " + quoted(pd) + " を " + quoted(cd) + " に"});
    } else if (std::find(stripped.begin(), stripped.end(), p.uname) != stripped.end()) {
      std::string words = c.uname;
      const auto pos = words.find(p.uname);
      if (pos != std::string::npos) words.replace(pos, p.uname.size(), "…");
      found.push_back(
          {Technique::kDictionary, "words added (" + words + ")", "単語を追加（" + words + "）"});
    } else {
      // The whole name between hyphens with other words: "example-mfg-jp-office".
      const auto ct = split(c.uname, "-"), pt = split(p.uname, "-");
      if (p.uname.size() >= 6 && ct.size() > pt.size()) {
        for (std::size_t i = 0; i + pt.size() <= ct.size() && found.empty(); ++i)
          if (std::equal(pt.begin(), pt.end(), ct.begin() + static_cast<std::ptrdiff_t>(i)))
            found.push_back({Technique::kDictionary, "other words added around the name",
                             "名前の前後に別の語を追加"});
      }
    }
  }
  if (found.empty()) return std::nullopt;

  // A different suffix on top of another technique is a TLD swap too.
  if (!same_suffix && found.front().technique != Technique::kTldSwap &&
      found.front().technique != Technique::kSubdomain &&
      found.front().technique != Technique::kLabelReorder)
    found.push_back({Technique::kTldSwap, "under ." + c.suffix + " instead of ." + p.suffix,
                     "." + p.suffix + " ではなく ." + c.suffix});

  Match m;
  m.candidate = unicode_of(
      c.prefix.empty() || found.front().technique != Technique::kSubdomain ? c.org : c.host);
  m.lookalike_of = unicode_of(p.org);
  int score = 0;
  std::string en, ja;
  for (const auto& f : found) {
    if (std::find(m.techniques.begin(), m.techniques.end(), f.technique) != m.techniques.end())
      continue;
    m.techniques.push_back(f.technique);
    score = std::max(score, base_score(f.technique));
    if (!en.empty()) {
      en += "; ";
      ja += "、";
    }
    en += f.en;
    ja += f.ja;
  }
  // Short names are weaker evidence; several techniques at once are stronger.
  if (p.uname.size() < 6) score -= 15;
  if (p.uname.size() >= 10) score += 5;
  // Two techniques at once are stronger evidence, except a suffix change on top of another one:
  // then the same name under its own suffix (amaz0n.co.jp → amazon.co.jp, not amazon.ca) wins.
  const bool tld_addon = m.techniques.size() > 1 && m.techniques.front() != Technique::kTldSwap &&
                         std::find(m.techniques.begin(), m.techniques.end(), Technique::kTldSwap) !=
                             m.techniques.end();
  if (tld_addon)
    score -= 10;
  else if (m.techniques.size() > 1)
    score += 3;
  m.score = std::clamp(score, 1, 100);
  m.explanation = en + ": " + m.lookalike_of + " → " + m.candidate;
  m.explanation_ja = ja + "：" + m.lookalike_of + " → " + m.candidate;
  return m;
}

bool better(const Match& a, const Match& b) {
  if (a.score != b.score) return a.score > b.score;
  if (a.lookalike_of.size() != b.lookalike_of.size())
    return a.lookalike_of.size() < b.lookalike_of.size();
  return a.lookalike_of < b.lookalike_of;
}

}  // namespace

std::optional<Match> classify(std::string_view candidate, std::string_view protected_domain) {
  const auto c = parts_of(candidate);
  const auto p = parts_of(protected_domain);
  if (!c || !p) return std::nullopt;
  return classify_parts(*c, *p);
}

// ---- Index ----
//
// Every protected domain is filed under a handful of 64-bit keys, one per way a look-alike can
// relate to it (its name, its fold key, its vowel mask, its sorted labels, each one-character
// deletion of its name). A candidate computes the keys its own shape could share with a
// protected domain it imitates, collects the protected domains filed under them (usually none
// or a few), and runs classify on those only. The key set is a superset of what classify
// accepts (a unit test compares Index::check with classify against every protected domain).
// Keys live in one sorted vector with a bucket table on the top bits of the hash: about 12
// bytes per key, one or two cache misses per lookup.

namespace {

enum class KeyKind : std::uint8_t { kOrg, kName, kFold, kVowel, kLabels, kDeletion };

std::uint64_t key_hash(KeyKind kind, std::string_view s) {
  // FNV-1a then a 64-bit finaliser (splitmix): cheap and well spread for short strings.
  std::uint64_t h = 0xcbf29ce484222325ULL ^ static_cast<std::uint64_t>(kind);
  for (char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ULL;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebULL;
  h ^= h >> 31;
  return h;
}

template <typename F>
void for_each_deletion(std::string_view name, F&& f) {
  std::string d;
  std::size_t prev_start = std::string::npos, prev_len = 0;
  for (std::size_t i = 0; i < name.size();) {
    std::size_t len = 1;
    while (i + len < name.size() && (static_cast<unsigned char>(name[i + len]) & 0xC0) == 0x80)
      ++len;
    // Deleting either of two equal neighbours gives the same string: once is enough.
    const bool same = prev_start != std::string::npos && prev_len == len &&
                      name.compare(prev_start, len, name, i, len) == 0;
    if (!same) {
      d.assign(name.substr(0, i));
      d.append(name.substr(i + len));
      f(d);
    }
    prev_start = i;
    prev_len = len;
    i += len;
  }
}

}  // namespace

struct Index::Impl {
  std::vector<Parts> entries;
  std::vector<std::pair<std::uint64_t, std::uint32_t>> keys;  // sorted after freeze()
  std::vector<std::uint32_t> buckets;                         // start offsets by top bits
  unsigned bucket_bits = 0;
  std::atomic<bool> frozen{true};
  std::mutex freeze_mutex;
  std::unordered_set<std::string> orgs;

  void file(KeyKind kind, std::string_view s, std::uint32_t id) {
    keys.emplace_back(key_hash(kind, s), id);
  }

  void freeze() {
    const std::lock_guard lock(freeze_mutex);
    if (frozen.load(std::memory_order_relaxed)) return;
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    bucket_bits = 1;
    while ((std::size_t{1} << bucket_bits) < keys.size() / 4 + 1 && bucket_bits < 24) ++bucket_bits;
    buckets.assign((std::size_t{1} << bucket_bits) + 1, 0);
    std::size_t k = 0;
    for (std::size_t b = 0; b < (std::size_t{1} << bucket_bits); ++b) {
      buckets[b] = static_cast<std::uint32_t>(k);
      while (k < keys.size() && (keys[k].first >> (64 - bucket_bits)) == b) ++k;
    }
    buckets.back() = static_cast<std::uint32_t>(keys.size());
    frozen.store(true, std::memory_order_release);
  }

  template <typename F>
  void lookup(KeyKind kind, std::string_view s, F&& f) const {
    if (keys.empty()) return;
    const std::uint64_t h = key_hash(kind, s);
    const std::size_t b = static_cast<std::size_t>(h >> (64 - bucket_bits));
    for (std::uint32_t i = buckets[b]; i < buckets[b + 1]; ++i) {
      if (keys[i].first == h)
        f(keys[i].second);
      else if (keys[i].first > h)
        break;
    }
  }
};

Index::Index() : impl_(std::make_unique<Impl>()) {}
Index::~Index() = default;
Index::Index(Index&&) noexcept = default;
Index& Index::operator=(Index&&) noexcept = default;

bool Index::add(std::string_view domain) {
  auto p = parts_of(domain);
  if (!p) return false;
  // A protected domain is its organisational domain; sub-domain labels are not part of it.
  p->host = p->org;
  p->prefix.clear();
  if (!impl_->orgs.insert(p->org).second) return true;
  const auto id = static_cast<std::uint32_t>(impl_->entries.size());
  impl_->frozen.store(false, std::memory_order_relaxed);
  impl_->file(KeyKind::kOrg, p->org, id);
  impl_->file(KeyKind::kName, p->uname, id);
  impl_->file(KeyKind::kFold, p->fold, id);
  impl_->file(KeyKind::kLabels, p->labels_folded, id);
  impl_->file(KeyKind::kVowel, p->vowels, id);
  if (p->uname.size() >= kMinEditName - 1)
    for_each_deletion(p->uname,
                      [&](const std::string& d) { impl_->file(KeyKind::kDeletion, d, id); });
  impl_->entries.push_back(std::move(*p));
  return true;
}

std::size_t Index::size() const {
  return impl_->entries.size();
}

bool Index::contains(std::string_view domain) const {
  const std::string org = organizational_domain(domain);
  return !org.empty() && impl_->orgs.count(org) > 0;
}

std::optional<Match> Index::check(std::string_view candidate) const {
  // The first check after add()s sorts the keys (once, under a lock); add() and check() must
  // not run at the same time.
  if (!impl_->frozen.load(std::memory_order_acquire)) impl_->freeze();
  const auto c = parts_of(candidate);
  if (!c || impl_->orgs.count(c->org) > 0) return std::nullopt;
  const Impl& ix = *impl_;

  std::vector<std::uint32_t> ids;
  auto collect = [&](std::uint32_t id) {
    if (std::find(ids.begin(), ids.end(), id) == ids.end() && ids.size() < 256) ids.push_back(id);
  };
  // Whole-name relations.
  ix.lookup(KeyKind::kName, c->uname, collect);            // TLD swap
  ix.lookup(KeyKind::kFold, c->fold, collect);             // homoglyphs, hyphens moved
  ix.lookup(KeyKind::kLabels, c->labels_folded, collect);  // labels reordered
  {
    ix.lookup(KeyKind::kVowel, c->vowels, collect);  // vowels swapped
    // One edit: c is p minus a character (c among p's deletions), p is c minus one (p is a
    // deletion of c), or both lose one (substitution, transposition).
    ix.lookup(KeyKind::kDeletion, c->uname, collect);
    for_each_deletion(c->uname, [&](const std::string& d) {
      ix.lookup(KeyKind::kName, d, collect);
      ix.lookup(KeyKind::kDeletion, d, collect);
    });
    if (c->uname.size() > 2 && c->uname.compare(c->uname.size() - 2, 2, "es") == 0)
      ix.lookup(KeyKind::kName, c->uname.substr(0, c->uname.size() - 2), collect);
    // Suffix labels glued on ("b-company-jp", "b-companyjp") and words added ("example-login").
    const auto tokens = split(c->uname, "-");
    std::string head;
    for (std::size_t i = 0; i + 1 < tokens.size(); ++i) {
      head += (i ? "-" : "") + tokens[i];
      if (is_suffix_label(tokens[i + 1])) ix.lookup(KeyKind::kName, head, collect);
    }
    for (std::size_t cut = 2; cut <= 6 && cut + kMinName <= c->uname.size(); ++cut)
      ix.lookup(KeyKind::kName, c->uname.substr(0, c->uname.size() - cut), collect);
    std::vector<std::string> stripped;
    strip_words(c->uname, 3, stripped);
    for (const auto& s : stripped) {
      ix.lookup(KeyKind::kName, s, collect);
      ix.lookup(KeyKind::kFold, fold_key(s), collect);
    }
    // Runs of hyphen tokens: the real name with other words around it.
    for (std::size_t i = 0; i < tokens.size(); ++i) {
      std::string run;
      for (std::size_t j = i; j < tokens.size(); ++j) {
        run += (j > i ? "-" : "") + tokens[j];
        if (run != c->uname) ix.lookup(KeyKind::kName, run, collect);
      }
    }
  }
  // The real domain or name inside the sub-domain labels, or a dot inserted into the name.
  if (!c->prefix.empty()) {
    ix.lookup(KeyKind::kOrg, organizational_domain(c->prefix), collect);
    const auto labels = split(c->prefix, ".");
    std::string tail;
    for (auto it = labels.rbegin(); it != labels.rend(); ++it) {
      tail = unicode_of(*it) + tail;
      ix.lookup(KeyKind::kName, tail + c->uname, collect);
    }
    for (const auto& l : split(c->prefix, ".-")) ix.lookup(KeyKind::kName, l, collect);
  }

  std::optional<Match> best;
  for (const std::uint32_t id : ids) {
    auto m = classify_parts(*c, ix.entries[id]);
    if (m && (!best || better(*m, *best))) best = std::move(m);
  }
  return best;
}

}  // namespace renkei::lookalike
