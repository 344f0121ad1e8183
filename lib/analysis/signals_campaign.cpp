// Campaign techniques that do not depend on wording (SPEC 4.1–4.3 extended,
// docs/detection-quality.md): a From header built so that clients show a phrase that is not the
// mailbox, links to bare IP addresses, links personalised with the recipient's address on an
// unrelated site, a request to continue the conversation at a free-mail address, and the original
// sender of a mail forwarded inline by the person who reported it.
#include <algorithm>
#include <array>
#include <cctype>

#include "analysis/brands.hpp"
#include "analysis/context.hpp"

namespace renkei::analysis {
namespace {

constexpr std::size_t kMaxScanBytes = 64u << 10;   // like the lexicon: the first 64 KiB of text
constexpr std::size_t kContactReach = 100;         // bytes before an address searched for a verb
constexpr std::size_t kMaxForwardHeaderLines = 8;  // From: … Subject: block of an inline forward

bool private_ipv4(std::string_view ip) {
  auto starts = [&](std::string_view p) { return ip.substr(0, p.size()) == p; };
  if (starts("10.") || starts("127.") || starts("192.168.") || starts("169.254.") || starts("0."))
    return true;
  if (starts("172.")) {
    const int second = std::atoi(std::string(ip.substr(4, 3)).c_str());
    return second >= 16 && second <= 31;
  }
  return false;
}

// %XX decoding (twice applied by the caller for doubly-encoded redirect parameters).
std::string percent_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out.push_back(static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

// Labels that open a header line of a quoted or forwarded mail, in the languages of SPEC 4.2 and
// those mail clients localise ("De:", "Von:", "Van:", "差出人:"). Lowercased.
constexpr std::array<std::string_view, 12> kFromLabels = {
    "from:", "de:", "von:",    "van:",    "da:",     "från:",
    "fra:",  "od:", "差出人:", "送信者:", "*from:*", "*de:*"};
constexpr std::array<std::string_view, 10> kSubjectLabels = {
    "subject:", "assunto:", "asunto:", "betreff:",   "onderwerp:",
    "objet:",   "oggetto:", "件名:",   "*subject:*", "*assunto:*"};
constexpr std::array<std::string_view, 16> kOtherHeaderLabels = {
    "to:",      "para:",     "an:",        "aan:",    "à:",    "a:",    "cc:",       "sent:",
    "enviado:", "gesendet:", "verzonden:", "envoyé:", "date:", "data:", "reply-to:", "宛先:"};

bool header_line(std::string_view lower_line) {
  const std::string_view t = util::trim_c_space(lower_line);
  for (auto l : kFromLabels)
    if (t.substr(0, l.size()) == l) return true;
  for (auto l : kSubjectLabels)
    if (t.substr(0, l.size()) == l) return true;
  for (auto l : kOtherHeaderLabels)
    if (t.substr(0, l.size()) == l) return true;
  return false;
}

// The sender of a mail forwarded inline ("________ / De: Darya <support@…> / Enviado: … /
// Assunto: …"): name and address of the first From line that a Subject line follows closely.
struct ForwardedSender {
  std::string name;
  std::string address;
  std::string line;
};

ForwardedSender forwarded_sender(std::string_view text) {
  ForwardedSender out;
  std::vector<std::string_view> lines;
  std::size_t pos = 0;
  while (pos < text.size() && pos < kMaxScanBytes) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    lines.push_back(text.substr(pos, end - pos));
    pos = end + 1;
  }
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string l = util::ascii_lower(util::trim_c_space(lines[i]));
    std::size_t label = 0;
    for (auto f : kFromLabels)
      if (l.substr(0, f.size()) == f) label = f.size();
    if (label == 0) continue;
    bool subject = false;
    for (std::size_t j = i + 1; j < lines.size() && j <= i + kMaxForwardHeaderLines; ++j) {
      const std::string lj = util::ascii_lower(util::trim_c_space(lines[j]));
      for (auto s : kSubjectLabels)
        if (lj.substr(0, s.size()) == s) subject = true;
    }
    if (!subject) continue;
    const std::string_view raw = util::trim_c_space(util::trim_c_space(lines[i]).substr(label));
    const auto addrs = addresses_in(raw);
    if (addrs.empty()) continue;
    out.address = addrs.front();
    std::string_view name = raw.substr(0, std::min(raw.find('<'), raw.find('[')));
    name = util::trim_c_space(name);
    while (!name.empty() && (name.front() == '"' || name.front() == '*')) name.remove_prefix(1);
    while (!name.empty() && (name.back() == '"' || name.back() == '*')) name.remove_suffix(1);
    if (name.find('@') == std::string_view::npos) out.name = std::string(util::trim_c_space(name));
    out.line = std::string(util::trim_c_space(lines[i]));
    return out;
  }
  return out;
}

// Words that ask the reader to write to an address ("Write at x@gmail.com", "reply me at",
// "contact my private e-mail"), in the languages phishing uses them. Lowercased.
constexpr std::array<std::string_view, 38> kContactVerbs = {
    "write",          "reply",           "contact",        "email me",      "e-mail me",
    "mail me",        "reach me",        "respond",        "email to me",   "e-mail to me",
    "response",       "send me",         "get back to me", "private email", "private e-mail",
    "personal email", "personal e-mail", "direct email",   "escreva",       "responda",
    "contato",        "contacte",        "me escreva",     "schreib",       "antworte",
    "kontaktiere",    "écrivez",         "écris",          "contactez",     "répondez",
    "escríbeme",      "escribe",         "contacta",       "responde",      "schrijf",
    "mail mij",       "scrivimi",        "contattami"};

}  // namespace

void detect_campaign_signals(Context& ctx) {
  Analysis& a = ctx.a;

  // 1. A From header whose display name is cut by an unquoted comma ("Fressnapf Gutschein, jehd
  // <service@…>") or followed by words: clients show the phrase, which names no mailbox. No
  // mail program writes this; bulk tools that forge a brand name over a relayed sender do.
  if (!a.from.address.empty() && !util::trim_c_space(a.from_trailing).empty() &&
      !a.has_signal("from_mailto_trick") && !a.has_signal("display_name_has_address")) {
    std::string raw;
    for (const auto& h : a.headers)
      if (util::ascii_lower(h.name) == "from") {
        raw = h.value;
        break;
      }
    ctx.add("from_header_malformed",
            "From: " + (raw.empty() ? a.from_trailing + " / " + a.from.address : raw) +
                " (shown as \"" + std::string(util::trim_c_space(a.from_trailing)) + "\")");
  }

  // 1b. A From address without a mailbox ("<@r.example.com>"): no mail system can reply to it;
  // the sending tool filled in a domain only.
  if (!a.from.address.empty() && a.from.address.front() == '@' &&
      !a.has_signal("from_header_malformed"))
    ctx.add("from_header_malformed",
            "From: " + a.from.name + " <" + a.from.address + "> has no mailbox before the @");

  // 2. Links to a bare public IP address: no organisation sends its readers to one.
  for (const auto& l : a.links) {
    if (!content::is_ipv4(l.host) || private_ipv4(l.host)) continue;
    ctx.add("ip_address_link", content::defang(l.url));
    break;
  }

  // 3. A link to a site that is neither the sender's nor a bulk-mail service's carries the
  // recipient's address: the page is personalised to confirm the address or pre-fill a login.
  // Unsubscribe links are the one ordinary use and do not count. An authenticated sender does it
  // for newsletters; with a login or account threat around it, it is a compromised account.
  if (!ctx.trusted_sender() || ctx.hits.any(lexicon::Concept::kCredential) ||
      ctx.hits.any(lexicon::Concept::kAccountThreat)) {
    std::vector<std::string> rcpts;
    for (const auto* list : {&a.to, &a.cc})
      for (const auto& m : *list)
        if (m.address.find('@') != std::string::npos && m.address.size() >= 5)
          rcpts.push_back(util::ascii_lower(m.address));
    std::string list_post;
    for (const auto& h : a.headers)
      if (util::iequals_ascii(h.name, "List-Post")) list_post = util::ascii_lower(h.value);
    for (const auto& l : a.links) {
      if (rcpts.empty()) break;
      const std::string url = util::ascii_lower(percent_decode(percent_decode(l.url)));
      if (url.rfind("mailto:", 0) == 0) continue;
      const std::string reg = registrable(l.host);
      if (reg.empty() || reg == ctx.from_reg || ctx.lists.bulk_sender(l.host)) continue;
      bool unsubscribe = false;
      for (std::string_view w : {"unsub", "optout", "opt-out", "opt_out", "remove", "remover",
                                 "uitschrijven", "abmelden", "abbestellen", "desinscri",
                                 "désinscri", "descadastr", "cancelar", "preferences", "manage"})
        if (url.find(w) != std::string::npos) unsubscribe = true;
      if (unsubscribe) continue;
      // Where the address sits matters: a query or fragment value (`?email=`) or a path segment
      // of its own personalises the page; inside a longer segment it is part of a Message-ID
      // (`/20210710.3989-1-name@example.org/T/`), which is how list archives name a message; the
      // list's own posting address names the list, not a reader.
      const std::size_t query = url.find_first_of("?#");
      const auto hit = std::find_if(rcpts.begin(), rcpts.end(), [&](const std::string& r) {
        if (registrable(domain_of(r)) == reg) return false;
        if (!list_post.empty() && list_post.find(r) != std::string::npos) return false;
        for (std::size_t at = url.find(r); at != std::string::npos; at = url.find(r, at + 1)) {
          if (query != std::string::npos && at > query) return true;
          const std::size_t end = at + r.size();
          if (at > 0 && url[at - 1] == '/' &&
              (end == url.size() || url[end] == '/' || url[end] == '?' || url[end] == '#'))
            return true;
        }
        return false;
      });
      if (hit != rcpts.end()) {
        ctx.add("recipient_in_link",
                content::defang(l.url) + " carries the recipient's address " + *hit);
        break;
      }
    }
  }

  // 4. The reader is asked to write to a free-mail mailbox that is not the sender's ("Write at
  // …@gmail.com", "contact my private e-mail"): the conversation moves to an address no
  // organisation controls, the first step of advance-fee, romance and job scams.
  {
    // The subject too ("REPLY THROUGH MY PRIVATE EMAIL: …@gmail.com").
    const std::string subject_and_text = a.subject + "\n" + a.text.substr(0, kMaxScanBytes);
    const std::string_view text = subject_and_text;
    const std::string low = util::ascii_lower(text);
    const std::string from = util::ascii_lower(a.from.address);
    std::vector<std::string> own;  // the sender's and recipients' mailboxes
    own.push_back(from);
    for (const auto* list : {&a.to, &a.cc, &a.reply_to})
      for (const auto& m : *list) own.push_back(util::ascii_lower(m.address));
    std::size_t at = 0;
    // The start of the current candidate's line, advanced as the candidates move forward (an
    // rfind per candidate was quadratic on long lines full of addresses).
    std::size_t line_start = 0;
    std::size_t next_newline = low.find('\n');
    while ((at = low.find('@', at)) != std::string::npos) {
      std::size_t b = at, e = at + 1;
      auto addr_char = [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-' ||
               c == '+';
      };
      while (b > 0 && addr_char(low[b - 1])) --b;
      while (e < low.size() && addr_char(low[e])) ++e;
      std::string addr = low.substr(b, e - b);
      while (!addr.empty() && addr.back() == '.') addr.pop_back();
      at = e;
      if (b == at || addr.find('@') == 0 || addr.find('.', addr.find('@')) == std::string::npos)
        continue;
      const std::string dom = domain_of(addr);
      if (!ctx.lists.is_freemail(dom) && !ctx.lists.is_freemail(registrable(dom))) continue;
      if (std::find(own.begin(), own.end(), addr) != own.end()) continue;
      // Not an address inside a header line of a quoted or forwarded mail.
      while (next_newline < b) {
        line_start = next_newline + 1;
        next_newline = low.find('\n', line_start);
      }
      if (header_line(std::string_view(low).substr(line_start, b - line_start))) continue;
      const std::size_t from_pos = b > kContactReach ? b - kContactReach : 0;
      const std::string_view before = std::string_view(low).substr(from_pos, b - from_pos);
      // Message-IDs quoted in header lines ("In-Reply-To: <…@host>") are not mailboxes.
      bool header_context = false;
      for (std::string_view h : {"in-reply-to", "references", "message-id", "received", "x-"})
        if (before.find(h) != std::string_view::npos) header_context = true;
      if (header_context) continue;
      std::string_view verb;
      for (auto v : kContactVerbs)
        if (before.find(v) != std::string_view::npos) verb = v;
      if (verb.empty()) continue;
      std::string ev(util::trim_c_space(text.substr(from_pos, e - from_pos)));
      for (char& c : ev)
        if (c == '\n' || c == '\r') c = ' ';
      ctx.add("freemail_contact_in_body", "the text asks to write to " + addr + " (sender " +
                                              a.from.address + "): \"" + ev + "\"");
      break;
    }
  }

  // 5. A mail forwarded inline with (almost) nothing of the forwarder's own: its original sender
  // is the one to judge. A brand in the original's display name on another domain is the same
  // impersonation as in a From header.
  if (util::trim_c_space(a.new_text).size() < 200) {
    const ForwardedSender fwd = forwarded_sender(a.text);
    if (!fwd.address.empty() &&
        util::ascii_lower(fwd.address) != util::ascii_lower(a.from.address) && !fwd.name.empty()) {
      const std::string name_norm = lexicon::normalize(fwd.name, 512);
      const std::string dom = domain_of(fwd.address);
      const std::vector<bool> named = brands_mentioned(name_norm);
      for (std::size_t i = 0; i < brands().size(); ++i)
        if (const Brand& b = brands()[i]; named[i] && !brand_owns(b, dom)) {
          ctx.add("brand_impersonation", "forwarded original " + fwd.line + " claims " +
                                             std::string(b.name) +
                                             " but the domain is not the brand's");
          break;
        }
    }
    // The forwarded original's domain imitating a brand's (same rule as for the sender).
    if (!fwd.address.empty() &&
        util::ascii_lower(fwd.address) != util::ascii_lower(a.from.address)) {
      if (const auto m = imitated_brand_domain(domain_of(fwd.address)))
        ctx.add("brand_impersonation", "forwarded original " + fwd.line +
                                           " imitates the brand domain " + m->lookalike_of + ": " +
                                           m->explanation);
    }
  }
}

}  // namespace renkei::analysis
