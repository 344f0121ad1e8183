// Feature keys of one analysed mail (campaign.hpp says what a key is).
#include <algorithm>
#include <array>
#include <cstdio>
#include <set>

#include "analysis/analysis.hpp"
#include "campaign/campaign.hpp"
#include "campaign/vocabulary.hpp"
#include "registry/registry.hpp"
#include "util/text.hpp"
#include "util/utf8.hpp"

namespace renkei::campaign {
namespace {

// ---------------------------------------------------------------------------- the key table
// Prefix, family, weight. The weights say how much one shared key of that kind says about a
// common author: a reused mailbox or an identical attachment alone is enough (≥ kAcceptScore);
// a shared sender domain nearly is; vocabulary shapes, subject templates, the mail program and
// the set of signals only corroborate. Chosen on the seeds' series (same attacker, changing
// domains and subjects) against unrelated real phishing that shares generic traits.
struct Prefix {
  std::string_view prefix;
  Family family;
  double weight;
};
constexpr std::array kPrefixes = {
    Prefix{"M:", Family::kMailbox, 3.0},          // sender, Reply-To, Return-Path mailbox
    Prefix{"D:", Family::kSenderDomain, 2.5},     // sender-side registrable domain
    Prefix{"L:", Family::kSenderShape, 1.0},      // vocabulary classes of a local part
    Prefix{"N:", Family::kSenderShape, 1.0},      // vocabulary classes of a domain label
    Prefix{"G:", Family::kSenderShape, 1.5},      // local part @ generated label . TLD
    Prefix{"Q:", Family::kSenderShape, 2.0},      // a local part from two vocabularies
    Prefix{"S:", Family::kSubject, 2.0},          // normalised subject
    Prefix{"T:", Family::kSubject, 1.0},          // subject template (one word left open)
    Prefix{"B:", Family::kBody, 0.0},             // MinHash band (scored as a whole, score.cpp)
    Prefix{"K:", Family::kLinks, 1.5},            // link host's registrable domain
    Prefix{"P:", Family::kLinks, 1.0},            // link path template
    Prefix{"H:", Family::kInfrastructure, 1.0},   // first external hop: host domain, /24
    Prefix{"X:", Family::kInfrastructure, 0.75},  // X-Mailer / User-Agent
    Prefix{"V:", Family::kInfrastructure, 0.5},   // sending service
    Prefix{"A:", Family::kAttachment, 4.0},       // attachment SHA-256
    Prefix{"F:", Family::kAttachment, 1.5},       // attachment name template
    Prefix{"Z:", Family::kLure, 0.75},            // the signals behind the verdict
    Prefix{"C:", Family::kLure, 0.5},             // class and BEC type
    Prefix{"I:", Family::kLure, 0.5},             // impersonation: executive, look-alike
    // notes, for explanations only
    Prefix{"W:", Family::kNote, 0.0},  // a vocabulary word used in a sender name
    Prefix{"R:", Family::kNote, 0.0},  // the subject as written
    Prefix{"Y:", Family::kNote, 0.0},  // a display name
    Prefix{"O:", Family::kNote, 0.0},  // a sender mailbox (for "N display names")
};

void add(std::set<std::string>& keys, std::string_view prefix, std::string_view value) {
  if (value.empty()) return;
  const std::size_t room = kMaxKeyBytes - prefix.size();
  if (value.size() > room) {
    std::size_t cut = room;  // a cut must not leave half a UTF-8 sequence
    while (cut > 0 && (static_cast<unsigned char>(value[cut]) & 0xC0) == 0x80) --cut;
    value = value.substr(0, cut);
  }
  std::string k(prefix);
  k.append(value);
  keys.insert(std::move(k));
}

std::string lower(std::string_view s) {
  return util::ascii_lower(s);
}

// ------------------------------------------------------------------------------ normalising

bool is_decoration(char32_t c) {
  // ASCII punctuation, and the brackets, marks and symbols Japanese subjects are decorated with.
  if (c < 0x80) return !(util::is_ascii_alnum(static_cast<char>(c)) || c == '&');
  return (c >= 0x2000 && c <= 0x206F) ||  // general punctuation (※ is U+203B)
         (c >= 0x2190 && c <= 0x27BF) ||  // arrows, technical, boxes, shapes (■□◆◇★), dingbats
         (c >= 0x3000 && c <= 0x3003) ||  // ideographic space, 、 。 〃
         (c >= 0x3008 && c <= 0x301F) ||  // 〈〉《》「」『』【】〔〕〖〗〘〙〚〛〜
         c == 0x30FB ||                   // ・
         (c >= 0xFF01 && c <= 0xFF0F) || (c >= 0xFF1A && c <= 0xFF20) ||
         (c >= 0xFF3B && c <= 0xFF40) || (c >= 0xFF5B && c <= 0xFF65) ||  // fullwidth punct.
         c == 0x226A || c == 0x226B;                                      // ≪ ≫
}

// Lowercase (ASCII and fullwidth Latin), digits to '#', decorations to spaces, spaces collapsed.
std::string normalise_text(std::string_view in, std::size_t max_code_points) {
  std::string out;
  std::size_t i = 0, n = 0;
  bool space = true;
  while (i < in.size() && n < max_code_points) {
    char32_t c = utf8::next_code_point(in, i);
    if (c >= 0xFF01 && c <= 0xFF5E) c -= 0xFEE0;  // fullwidth ASCII
    if (c >= 'A' && c <= 'Z') c += 'a' - 'A';
    if (c >= '0' && c <= '9') c = '#';
    if (c == '#' && !out.empty() && out.back() == '#') continue;  // 2020 and 7 look alike
    if (c <= ' ' || c == 0x3000 || c == 0xA0 || (c != '#' && is_decoration(c))) {
      if (!space) out.push_back(' ');
      space = true;
      continue;
    }
    utf8::append_utf8(out, c);
    space = false;
    ++n;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// "Re:", "Fwd:", "RE:", "転送:", "返信:", "FW:", "AW:", "WG:" … at the start, repeatedly.
std::string_view strip_reply_prefixes(std::string_view s) {
  static constexpr std::array kPrefixesReply = {
      std::string_view("re:"),   std::string_view("fw:"),  std::string_view("fwd:"),
      std::string_view("aw:"),   std::string_view("wg:"),  std::string_view("tr:"),
      std::string_view("rv:"),   std::string_view("sv:"),  std::string_view("転送:"),
      std::string_view("返信:"), std::string_view("re："), std::string_view("fw：")};
  bool again = true;
  while (again) {
    again = false;
    s = util::trim(s);
    for (const auto p : kPrefixesReply) {
      if (util::istarts_with_ascii(s, p)) {
        s.remove_prefix(p.size());
        again = true;
      }
    }
  }
  return s;
}

// ----------------------------------------------------------------------------------- MinHash

std::uint64_t mix64(std::uint64_t x) {  // splitmix64's finaliser
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

// MinHash over 5-code-point shingles of the normalised body: language independent (Japanese
// needs no word segmentation), robust to the edits an attacker makes between two sends (a
// target's name, a date). kMinHashes values in kMinHashes / kBandRows bands; two bodies with
// Jaccard similarity J share a band with probability 1 − (1 − J²)^32 (J = 0.5: 99.99 %).
void add_body(std::set<std::string>& keys, std::string_view text) {
  const std::string norm = normalise_text(text, kMaxBodyCodePoints);
  std::vector<std::size_t> starts;  // code point boundaries
  for (std::size_t i = 0; i < norm.size();) {
    starts.push_back(i);
    (void)utf8::next_code_point(norm, i);
  }
  if (starts.size() < kMinBodyCodePoints) return;
  constexpr std::size_t kShingle = 5;
  std::array<std::uint64_t, kMinHashes> mins;
  mins.fill(~0ULL);
  starts.push_back(norm.size());
  for (std::size_t s = 0; s + kShingle < starts.size(); ++s) {
    const std::string_view sh(norm.data() + starts[s], starts[s + kShingle] - starts[s]);
    std::uint64_t h = 1469598103934665603ULL;  // FNV-1a, then one mix per hash function
    for (const char c : sh) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
    for (std::size_t k = 0; k < kMinHashes; ++k) {
      const std::uint64_t v = mix64(h + 0x9e3779b97f4a7c15ULL * (k + 1));
      mins[k] = std::min(mins[k], v);
    }
  }
  for (std::size_t b = 0; b < kMinHashes / kBandRows; ++b) {
    std::uint64_t band = 0;
    for (std::size_t r = 0; r < kBandRows; ++r) band = mix64(band ^ mins[b * kBandRows + r]);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%02zu:%012llx", b,
                  static_cast<unsigned long long>(band & 0xFFFFFFFFFFFFULL));
    add(keys, "B:", buf);
  }
}

// ------------------------------------------------------------------------------ the sender

bool is_victim_side(std::string_view domain, const registry::Registry* reg) {
  return reg != nullptr && reg->owner_of(domain) != nullptr;
}

// A domain that ties nothing together: anyone can have an address or a page there.
bool is_common_domain(std::string_view domain, const registry::Lists& lists) {
  return lists.is_freemail(domain) || lists.bulk_sender(domain).has_value() ||
         lists.is_shared_platform_tenant(domain) || lists.is_user_content_host(domain) ||
         lists.is_shortener(domain) || lists.is_disposable(domain) ||
         analysis::brand_domains().contains(domain);
}

std::string shape_of(const std::vector<Segment>& segs, std::set<std::string>& keys,
                     std::string_view note_prefix) {
  std::set<std::string_view> classes;
  bool distinctive = false;
  for (const auto& s : segs) {
    if (s.cls == WordClass::kNone || s.cls == WordClass::kRegion) continue;
    classes.insert(word_class_name(s.cls));
    if (s.cls != WordClass::kRole) distinctive = true;
    add(keys, note_prefix, std::string(word_class_name(s.cls)) + ":" + s.word);
  }
  if (!distinctive) return "";
  std::string shape;
  for (const auto c : classes) {
    if (!shape.empty()) shape += '+';
    shape += c;
  }
  return shape;
}

// The recipients' own addresses: a From equal to one of them (a self-sent spoof) is the victim's.
using Recipients = std::set<std::string>;

void add_sender(std::set<std::string>& keys, const std::string& address,
                const std::string& display_name, bool shapes, const registry::Lists& lists,
                const registry::Registry* reg, const Recipients& recipients) {
  const auto at = address.rfind('@');
  if (at == std::string::npos || at == 0 || at + 1 >= address.size()) return;
  const std::string addr = lower(address);
  const std::string local = addr.substr(0, at);
  const std::string domain = addr.substr(at + 1);
  if (is_victim_side(domain, reg) || recipients.count(addr) != 0) return;
  const bool bulk = lists.bulk_sender(domain).has_value();
  if (!bulk) {  // a bulk service's bounce address is different for every mail
    add(keys, "M:", addr);
    add(keys, "O:", addr);
  }
  if (!display_name.empty()) add(keys, "Y:", util::trim(display_name));
  const std::string reg_domain = registry::registrable_domain(domain);
  const bool common = is_common_domain(reg_domain, lists) || is_common_domain(domain, lists);
  if (!common) add(keys, "D:", reg_domain);
  if (!shapes) return;
  if (const auto s = shape_of(segment(local), keys, "W:"); !s.empty()) {
    add(keys, "L:", s);
    // Two vocabularies in one local part (smtp-outbound-vulcan: mail security + a celestial
    // name) are a naming scheme, something concrete an attacker reuses; one is only a trait.
    std::size_t classes = 1;
    for (const char c : s) classes += c == '+' ? 1 : 0;
    if (s.find("role") != std::string::npos) --classes;
    if (classes >= 2) add(keys, "Q:", s);
  }
  if (common) return;
  const std::string suffix = registry::public_suffix(reg_domain);
  const std::string label = suffix.empty() || reg_domain.size() <= suffix.size() + 1
                                ? reg_domain
                                : reg_domain.substr(0, reg_domain.size() - suffix.size() - 1);
  const auto label_words = segment(label);
  if (const auto s = shape_of(label_words, keys, "W:"); !s.empty()) {
    add(keys, "N:", s + "." + suffix);
    // A domain made only of mail-security or service words (secure-server-gateway,
    // iphonemobile-outlook): a fake infrastructure domain, a naming scheme of its own.
    const bool only_vocabulary =
        label_words.size() >= 2 &&
        std::all_of(label_words.begin(), label_words.end(), [](const Segment& w) {
          return w.cls == WordClass::kMailSecurity || w.cls == WordClass::kService;
        });
    if (only_vocabulary) add(keys, "Q:", "domain:" + s);
  }
  if (looks_generated(label)) {
    std::string loc;  // the local part with digits opened: info1 and info2 are one pattern
    for (const char c : local) {
      if (util::is_ascii_digit(c)) {
        if (loc.empty() || loc.back() != '#') loc += '#';
      } else {
        loc += c;
      }
    }
    add(keys, "G:", loc + "@*." + suffix);
  }
}

// ------------------------------------------------------------------------------- the subject

void add_subject(std::set<std::string>& keys, std::string_view subject) {
  const std::string_view s = strip_reply_prefixes(subject);
  if (s.empty()) return;
  add(keys, "R:", util::trim(s));
  const std::string norm = normalise_text(s, 200);
  if (norm.size() < 4) return;
  add(keys, "S:", norm);
  // Templates: each word of a short subject left open in turn ("project *", "* lancelot"), so
  // that "Project Lancelot" and "Project Pegasus" share "project *". Only for subjects of two to
  // six words of which the open one is a plain word.
  std::vector<std::string_view> words;
  for (std::size_t i = 0; i < norm.size();) {
    const auto j = norm.find(' ', i);
    words.push_back(std::string_view(norm).substr(i, j == std::string::npos ? j : j - i));
    if (j == std::string::npos) break;
    i = j + 1;
  }
  if (words.size() < 2 || words.size() > 6) return;
  for (std::size_t open = 0; open < words.size(); ++open) {
    if (words[open].size() < 3) continue;
    std::string t;
    std::size_t kept = 0;
    for (std::size_t k = 0; k < words.size(); ++k) {
      if (!t.empty()) t += ' ';
      if (k == open) {
        t += '*';
      } else {
        t += words[k];
        kept += words[k].size();
      }
    }
    if (kept >= 4) add(keys, "T:", t);
  }
}

// --------------------------------------------------------------------------------- the links

// A path with its variable parts opened: digits, long hex or random-looking segments become '*'.
std::string path_template(std::string_view url) {
  auto p = url.find("://");
  if (p == std::string_view::npos) return "";
  p = url.find('/', p + 3);
  if (p == std::string_view::npos) return "";
  std::string_view path = url.substr(p);
  path = path.substr(0, std::min(path.find_first_of("?#"), path.size()));
  std::string out;
  std::size_t segments = 0;
  for (std::size_t i = 1; i <= path.size();) {
    const auto j = std::min(path.find('/', i), path.size());
    const std::string seg = lower(path.substr(i, j - i));
    i = j + 1;
    if (seg.empty()) continue;
    ++segments;
    std::size_t digits = 0, hex = 0;
    for (const char c : seg) {
      digits += util::is_ascii_digit(c) ? 1 : 0;
      hex += util::is_hex_digit(c) ? 1 : 0;
    }
    const bool variable =
        digits > 0 || (seg.size() >= 12 && hex == seg.size()) || seg.size() > 24 ||
        (seg.size() >= 8 && seg.find('.') == std::string::npos && looks_generated(seg));
    out += '/';
    out += variable ? std::string("*") : seg;
  }
  // "/" and "/*" say nothing; a template needs at least one fixed segment and two in all.
  if (segments < 2 || out.find_first_not_of("/*") == std::string::npos) return "";
  return out;
}

void add_links(std::set<std::string>& keys, const analysis::Analysis& a,
               const registry::Lists& lists, const registry::Registry* reg) {
  std::size_t n = 0;
  for (const auto& l : a.links) {
    if (++n > 40) break;
    if (l.host.empty()) continue;
    const std::string host = lower(l.host);
    const std::string rd = registry::registrable_domain(host);
    if (is_victim_side(rd, reg) || is_common_domain(rd, lists) || is_common_domain(host, lists)) {
      continue;
    }
    add(keys, "K:", rd);
    if (const auto t = path_template(l.url); !t.empty()) add(keys, "P:", t);
  }
}

// -------------------------------------------------------------------------- infrastructure

bool is_private_ip(std::string_view ip) {
  if (ip.empty() || ip.find(':') != std::string_view::npos) return true;  // IPv6: no /24 key
  if (util::istarts_with_ascii(ip, "10.") || util::istarts_with_ascii(ip, "127.") ||
      util::istarts_with_ascii(ip, "192.168.") || util::istarts_with_ascii(ip, "169.254.")) {
    return true;
  }
  if (util::istarts_with_ascii(ip, "172.")) {
    int second = 0;
    for (std::size_t i = 4; i < ip.size() && util::is_ascii_digit(ip[i]); ++i) {
      second = second * 10 + (ip[i] - '0');
    }
    return second >= 16 && second <= 31;
  }
  return false;
}

void add_infrastructure(std::set<std::string>& keys, const analysis::Analysis& a,
                        const registry::Lists& lists, const registry::Registry* reg) {
  // The first external hop: the earliest Received (the bottom one) naming a public client.
  for (auto it = a.received.rbegin(); it != a.received.rend(); ++it) {
    if (it->from_ip.empty() || is_private_ip(it->from_ip)) continue;
    const std::string& ip = it->from_ip;
    if (const auto d = ip.rfind('.'); d != std::string::npos && ip.find(':') == std::string::npos) {
      add(keys, "H:ip:", ip.substr(0, d));
    }
    const std::string host = lower(!it->from_rdns.empty() ? it->from_rdns : it->from_helo);
    if (host.find('.') != std::string::npos) {
      const std::string rd = registry::registrable_domain(host);
      if (const auto svc = lists.bulk_sender(rd)) {
        add(keys, "V:", lower(*svc));
      } else if (!is_victim_side(rd, reg) && !lists.is_freemail(rd)) {
        add(keys, "H:host:", rd);
      }
    }
    break;
  }
  if (!a.return_path.empty()) {
    const auto at = a.return_path.rfind('@');
    if (at != std::string::npos) {
      if (const auto svc = lists.bulk_sender(lower(a.return_path.substr(at + 1)))) {
        add(keys, "V:", lower(*svc));
      }
    }
  }
  for (const auto& h : a.headers) {
    if (!util::iequals_ascii(h.name, "X-Mailer") && !util::iequals_ascii(h.name, "User-Agent")) {
      continue;
    }
    const std::string norm = normalise_text(h.value, 60);
    if (norm.size() >= 3) add(keys, "X:", norm);
    break;
  }
}

// ------------------------------------------------------------------------------- attachments

void add_attachments(std::set<std::string>& keys, const analysis::Analysis& a) {
  std::size_t n = 0;
  for (const auto& at : a.attachments) {
    if (++n > 20) break;
    if (!at.inspection.hashes.sha256.empty()) add(keys, "A:", at.inspection.hashes.sha256);
    const std::string name = normalise_text(at.filename, 80);
    if (name.size() >= 3) add(keys, "F:", name);
  }
}

// --------------------------------------------------------------------------------- the lure

void add_lure(std::set<std::string>& keys, const analysis::Analysis& a) {
  const auto& v = a.verdict;
  if (!v.malicious() && v.klass != "spam") return;  // ordinary mail has no lure to share
  std::vector<std::string> reasons = v.reasons;
  std::sort(reasons.begin(), reasons.end());
  reasons.erase(std::unique(reasons.begin(), reasons.end()), reasons.end());
  std::string z;
  for (const auto& r : reasons) {
    if (!z.empty()) z += '+';
    z += r;
  }
  add(keys, "Z:", z);
  add(keys, "C:", v.bec_type ? v.klass + "/" + std::to_string(*v.bec_type) : v.klass);
  if (a.has_signal("executive_impersonation")) add(keys, "I:", "executive");
  if (!a.lookalikes.empty()) add(keys, "I:", "lookalike:" + a.lookalikes.front().techniques.at(0));
}

}  // namespace

std::string_view family_name(Family f) {
  switch (f) {
    case Family::kMailbox:
      return "mailbox";
    case Family::kSenderDomain:
      return "sender_domain";
    case Family::kSenderShape:
      return "sender_shape";
    case Family::kSubject:
      return "subject";
    case Family::kBody:
      return "body";
    case Family::kLinks:
      return "links";
    case Family::kInfrastructure:
      return "infrastructure";
    case Family::kAttachment:
      return "attachment";
    case Family::kLure:
      return "lure";
    case Family::kNote:
      break;
  }
  return "note";
}

KeyKind kind_of(std::string_view key) {
  for (const auto& p : kPrefixes) {
    if (key.substr(0, p.prefix.size()) == p.prefix) return KeyKind{p.family, p.weight};
  }
  return {};
}

Features extract(const analysis::Analysis& a, const registry::Lists& lists,
                 const registry::Registry* reg) {
  std::set<std::string> keys;
  Recipients to;
  for (const auto* list : {&a.to, &a.cc}) {
    for (const auto& m : *list) to.insert(lower(m.address));
  }
  add_sender(keys, a.from.address, a.from.name, true, lists, reg, to);
  for (const auto& m : a.reply_to) add_sender(keys, m.address, m.name, true, lists, reg, to);
  for (const auto& m : a.sender) add_sender(keys, m.address, m.name, false, lists, reg, to);
  add_sender(keys, a.return_path, "", false, lists, reg, to);
  add_subject(keys, a.subject);
  add_body(keys, !a.new_text.empty() ? a.new_text : a.text);
  add_links(keys, a, lists, reg);
  add_infrastructure(keys, a, lists, reg);
  add_attachments(keys, a);
  add_lure(keys, a);

  Features f;
  f.keys.assign(keys.begin(), keys.end());
  if (f.keys.size() > kMaxKeysPerMail) {
    // Keep the matching keys first: notes are the first to go.
    std::stable_partition(f.keys.begin(), f.keys.end(),
                          [](const std::string& k) { return is_matching_key(k) || k[0] == 'B'; });
    f.keys.resize(kMaxKeysPerMail);
    std::sort(f.keys.begin(), f.keys.end());
    f.truncated = true;
  }
  if (a.date_unix) {
    f.time = a.date_unix;
  } else {
    for (auto it = a.received.rbegin(); it != a.received.rend(); ++it) {
      if (it->time) {
        f.time = it->time;
        break;
      }
    }
  }
  return f;
}

}  // namespace renkei::campaign
