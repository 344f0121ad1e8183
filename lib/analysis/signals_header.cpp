// SPEC 4.1: header and identity tricks.
#include <algorithm>
#include <cctype>
#include <set>

#include "analysis/brands.hpp"
#include "analysis/context.hpp"
#include "analysis/identity.hpp"

namespace renkei::analysis {
namespace {

std::string show(const mime::Mailbox& m) {
  if (m.name.empty()) return m.address;
  return "\"" + m.name + "\" <" + m.address + ">";
}

bool same_org(const Context& ctx, std::string_view d1, std::string_view d2) {
  if (d1.empty() || d2.empty()) return false;
  if (registrable(d1) == registrable(d2)) return true;
  if (ctx.registry) {
    const auto* o1 = ctx.registry->owner_of(d1);
    if (o1 && o1 == ctx.registry->owner_of(d2)) return true;
  }
  return false;
}

// Local parts that robots, forms and lists send from: a Reply-To elsewhere is their normal use.
bool automated_local(std::string_view local) {
  static const char* const kWords[] = {
      "noreply",    "no-reply",     "no_reply",      "donotreply", "do-not-reply", "do_not_reply",
      "mailer",     "wordpress",    "form",          "forms",      "webform",      "contact",
      "webmaster",  "notification", "notifications", "notify",     "system",       "support",
      "helpdesk",   "jira",         "redmine",       "zendesk",    "bounce",       "bounces",
      "postmaster", "daemon",       "alerts",        "info",       "news",         "newsletter",
      "members",    "service",      "services",      "admin"};
  const std::string l = util::ascii_lower(local);
  for (const char* w :
       {"noreply", "no-reply", "no_reply", "donotreply", "do-not-reply", "mailer-daemon"})
    if (l.find(w) != std::string::npos) return true;
  for (const char* w : kWords) {
    const std::string_view wv(w);
    if (l == wv) return true;
    if (l.size() > wv.size() && l.compare(0, wv.size(), wv) == 0 &&
        !std::isalpha(static_cast<unsigned char>(l[wv.size()])))
      return true;
  }
  return false;
}

bool has_header(const Analysis& a, std::string_view name) {
  for (const auto& h : a.headers)
    if (h.name.size() == name.size() && util::ascii_lower(h.name) == util::ascii_lower(name))
      return true;
  return false;
}

std::string header_value(const Analysis& a, std::string_view name) {
  for (const auto& h : a.headers)
    if (util::iequals_ascii(h.name, name)) return h.value;
  return {};
}

// Words that dress an address up as mail-security infrastructure.
int infrastructure_tokens(std::string_view text, std::string* found) {
  static const char* const kWords[] = {"secure",
                                       "secured",
                                       "tls",
                                       "ssl",
                                       "smtp",
                                       "mx",
                                       "gateway",
                                       "encrypted",
                                       "encrypt",
                                       "relay",
                                       "outbound",
                                       "fortinet",
                                       "365",
                                       "outlook",
                                       "dmarc",
                                       "intranet",
                                       "intranetserver",
                                       "mailserver",
                                       "protection",
                                       "transport",
                                       "exchange",
                                       "spf",
                                       "dkim"};
  int n = 0;
  std::string cur;
  auto flush = [&] {
    if (cur.empty()) return;
    for (const char* w : kWords) {
      if (cur == w) {
        ++n;
        if (found) {
          if (!found->empty()) *found += ", ";
          *found += cur;
        }
        break;
      }
    }
    cur.clear();
  };
  const std::string l = util::ascii_lower(text);
  for (std::size_t i = 0; i < l.size(); ++i) {
    const char c = l[i];
    const bool digit = std::isdigit(static_cast<unsigned char>(c)) != 0;
    const bool prev_digit = i > 0 && std::isdigit(static_cast<unsigned char>(l[i - 1])) != 0;
    if (!std::isalnum(static_cast<unsigned char>(c)) ||
        (i > 0 && digit != prev_digit && !(cur == "36" || cur == "3"))) {
      flush();
      if (!std::isalnum(static_cast<unsigned char>(c))) continue;
    }
    cur.push_back(c);
  }
  flush();
  return n;
}

// Providers whose own domains legitimately use such words.
bool infrastructure_provider(std::string_view reg) {
  static const char* const kProviders[] = {"outlook.com",
                                           "office365.com",
                                           "microsoft.com",
                                           "office.com",
                                           "fortinet.com",
                                           "fortimail.com",
                                           "mimecast.com",
                                           "proofpoint.com",
                                           "pphosted.com",
                                           "messagelabs.com",
                                           "barracudanetworks.com",
                                           "cisco.com",
                                           "iphmx.com",
                                           "trendmicro.com",
                                           "sophos.com",
                                           "google.com",
                                           "gmail.com",
                                           "amazonses.com",
                                           "sendgrid.net",
                                           "mailgun.org",
                                           "zix.com",
                                           "securence.com",
                                           "exclaimer.net",
                                           "securemail.com",
                                           "tmes.trendmicro.com",
                                           "hornetsecurity.com",
                                           "mailcontrol.com",
                                           "smtp.com"};
  for (const char* p : kProviders)
    if (reg == p) return true;
  return false;
}

// Cheap TLDs that machine-generated throw-away domains cluster on.
bool cheap_tld(std::string_view suffix) {
  static const char* const kTlds[] = {
      "work",    "top",   "xyz",     "club",    "online", "site",  "icu",     "buzz",  "shop",
      "live",    "fun",   "space",   "website", "click",  "link",  "rest",    "bar",   "cyou",
      "monster", "tk",    "ml",      "ga",      "cf",     "gq",    "loan",    "win",   "bid",
      "review",  "party", "science", "date",    "stream", "trade", "cricket", "kim",   "men",
      "store",   "tech",  "info",    "biz",     "sbs",    "cfd",   "quest",   "autos", "beauty",
      "hair",    "skin",  "makeup",  "host",    "pw",     "cc",    "ws",      "su",    "cam",
      "today",   "life",  "world"};
  for (const char* t : kTlds)
    if (suffix == t) return true;
  return false;
}

// True when a label reads like random letters: few vowels, long consonant runs, or few of the
// letter pairs that make up pronounceable words.
bool looks_random(std::string_view label) {
  std::string l;
  for (char c : label)
    if (util::is_ascii_alpha(c)) l.push_back(util::ascii_lower(c));
  if (l.size() < 7 || label.find('-') != std::string_view::npos) return false;
  static const char* const kCommon[] = {
      "th", "he", "in", "er", "an", "re", "on", "at", "en", "nd", "ti", "es", "or", "te", "of",
      "ed", "is", "it", "al", "ar", "st", "to", "nt", "ng", "se", "ha", "as", "ou", "io", "le",
      "ve", "co", "me", "de", "hi", "ri", "ro", "ic", "ne", "ea", "ra", "ce", "li", "ch", "ll",
      "be", "ma", "si", "om", "ur", "ca", "el", "ta", "la", "ns", "di", "fo", "ho", "pe", "ec",
      "pr", "no", "ct", "us", "ac", "ot", "il", "tr", "ly", "nc", "et", "ut", "ss", "so", "rs",
      "un", "lo", "wa", "ge", "ie", "wh", "ee", "wi", "em", "ad", "ol", "rt", "po", "we", "na",
      "ul", "ni", "ts", "mo", "ow", "pa", "im", "mi", "ai", "sh", "ir", "su", "id", "os", "iv",
      "ia", "am", "fi", "ci", "vi", "pl", "ig", "tu", "ev", "ld", "ry", "mp", "fe", "bl", "ab",
      "gh", "ty", "op", "wo", "sa", "ay", "ex", "ke", "fr", "oo", "av", "ag", "if", "ap", "gr",
      "od", "bo", "sp", "rd", "do", "uc", "bu", "ei", "ov", "by", "rm", "ep", "tt", "oc", "fa",
      "ef", "cu", "rn", "sc", "gi", "da", "yo", "cr", "cl", "du", "ga", "qu", "ue", "ff", "ba",
      "ey", "ls", "va", "um", "pp", "ua", "up", "lu", "go", "ht", "ru", "ug", "ds", "lt", "pi",
      "rc", "rr", "eg", "au", "ck", "ew", "mu", "br", "bi", "pt", "ak", "pu", "ui", "rg", "ib",
      "tl", "ny", "ki", "rk", "ys", "ob", "mm", "fu", "ph", "og", "ms", "ye", "ud", "mb", "ip",
      "ub", "oi", "rl", "gu", "dr", "hr", "cc", "tw", "ft", "wn", "nu", "af", "hu", "nn", "eo",
      "vo", "rv", "nf", "xp", "gn", "sm", "fl", "iz", "ok", "nl", "my", "gl", "aw", "ju", "oa",
      "eq", "sy", "sl", "ps", "jo", "rf", "na", "ka", "ko", "ku", "ji", "ja", "ya", "yu", "za",
      "zo"};
  int common = 0, pairs = 0, vowels = 0, run = 0, max_run = 0;
  for (std::size_t i = 0; i < l.size(); ++i) {
    const char c = l[i];
    const bool vowel = c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
    vowels += vowel ? 1 : 0;
    run = vowel ? 0 : run + 1;
    max_run = std::max(max_run, run);
    if (i + 1 < l.size()) {
      ++pairs;
      const char pair[3] = {c, l[i + 1], 0};
      for (const char* cp : kCommon)
        if (cp[0] == pair[0] && cp[1] == pair[1]) {
          ++common;
          break;
        }
    }
  }
  const double vowel_ratio = static_cast<double>(vowels) / static_cast<double>(l.size());
  const double common_ratio = pairs ? static_cast<double>(common) / pairs : 1.0;
  return max_run >= 5 || vowel_ratio < 0.2 || common_ratio < 0.45;
}

// A free-mail local part that carries a company's domain or name: "alice.eve.company-a",
// "alicea-compeny.co.jp".
std::string embedded_identity(const Context& ctx, std::string_view local,
                              const std::vector<std::string>& company_domains) {
  const std::string l = util::ascii_lower(local);
  // A registrable domain written into the local part: "alicea-compeny.co.jp". Only suffixes
  // that companies use count, so "john.name" or "first.last" are not mistaken for domains.
  if (const std::size_t dot = l.find('.'); dot != std::string::npos) {
    std::size_t start = dot;
    while (start > 0 && l[start - 1] != '.' && l[start - 1] != '_' && l[start - 1] != '+') --start;
    for (std::size_t s = start;;) {
      const std::string candidate = l.substr(s);
      const std::string suffix = registry::public_suffix(candidate);
      static const char* const kCompanySuffixes[] = {"com", "net", "org",  "jp", "co",
                                                     "cc",  "biz", "info", "de", "uk",
                                                     "cn",  "hk",  "tw",   "kr", "sg"};
      bool company_suffix = suffix.find('.') != std::string::npos;
      for (const char* cs : kCompanySuffixes)
        if (suffix == cs) company_suffix = true;
      if (registry::has_known_suffix(candidate) && company_suffix &&
          registry::registrable_domain(candidate) == candidate)
        return "the local part contains the domain " + candidate;
      const std::size_t next = l.find('.', s);
      if (next == std::string::npos || next + 1 >= l.size()) break;
      s = next + 1;
    }
  }
  for (const auto& d : company_domains) {
    const std::string reg = registrable(d);
    const std::string suffix = registry::public_suffix(reg);
    std::string core =
        reg.size() > suffix.size() + 1 ? reg.substr(0, reg.size() - suffix.size() - 1) : reg;
    std::string uniq(core);
    std::sort(uniq.begin(), uniq.end());
    if (core.size() < 4 || std::unique(uniq.begin(), uniq.end()) - uniq.begin() < 3) continue;
    if (l.find(core) != std::string::npos)
      return "the local part contains the company name " + core + " (" + reg + ")";
    // A lookalike of the company name inside the local part (a-compeny for a-company).
    for (std::size_t i = 0; i + core.size() <= l.size(); ++i) {
      const std::string piece = l.substr(i, core.size());
      if (!lookalike_technique(piece + "." + suffix, reg).empty())
        return "the local part contains " + piece + ", a look-alike of " + reg;
    }
  }
  (void)ctx;
  return {};
}

// Domain names written in a display name: dot-separated labels of letters, digits and hyphens
// whose last label is a real top-level domain ("Stellar.org", "lRS.GOV", "proton.me mail").
// Initials and versions ("J.R. Smith", "v2.1") are not domains: the public suffix decides.
std::vector<std::string> domains_in_name(std::string_view name) {
  std::vector<std::string> out;
  std::string token;
  auto flush = [&] {
    while (!token.empty() && (token.back() == '.' || token.back() == '-')) token.pop_back();
    while (!token.empty() && (token.front() == '.' || token.front() == '-')) token.erase(0, 1);
    const std::size_t dot = token.rfind('.');
    if (dot != std::string::npos && dot + 2 < token.size() &&
        token.find("..") == std::string::npos) {
      bool alpha_tld = true;
      for (std::size_t i = dot + 1; i < token.size(); ++i)
        if (!std::isalpha(static_cast<unsigned char>(token[i]))) alpha_tld = false;
      if (alpha_tld && registry::has_known_suffix(token) &&
          registry::public_suffix(token) != token && out.size() < 4)
        out.push_back(token);
    }
    token.clear();
  };
  for (char c : name) {
    if (util::is_ascii_alnum(c) || c == '.' || c == '-')
      token.push_back(util::ascii_lower(c));
    else
      flush();
  }
  flush();
  return out;
}

}  // namespace

void detect_header_signals(Context& ctx) {
  Analysis& a = ctx.a;
  const std::string from_domain = domain_of(a.from.address);
  ctx.from_reg = registrable(from_domain);
  ctx.from_freemail = !from_domain.empty() && ctx.lists.is_freemail(from_domain);
  ctx.from_shared_platform =
      !from_domain.empty() && ctx.lists.is_shared_platform_tenant(from_domain);
  {
    const std::string local = util::ascii_lower(a.from.local_part());
    const std::string type = util::ascii_lower(header_value(a, "Content-Type"));
    ctx.bounce = type.rfind("multipart/report", 0) == 0;
    ctx.daemon_sender = local == "mailer-daemon" || local == "postmaster";
  }
  ctx.mailing_list = has_header(a, "List-Id") || has_header(a, "List-Post") ||
                     util::ascii_lower(header_value(a, "Precedence")) == "list";
  {
    const std::string post = util::ascii_lower(header_value(a, "List-Post"));
    const std::size_t at = post.find("mailto:");
    if (at != std::string::npos) {
      const std::size_t b = at + 7;
      ctx.list_address = post.substr(b, post.find_first_of(">? \t,", b) - b);
      for (const auto* list : {&a.to, &a.cc})
        for (const auto& m : *list)
          if (!ctx.list_address.empty() && util::iequals_ascii(m.address, ctx.list_address))
            ctx.list_post = true;
    }
  }
  const std::string precedence = util::ascii_lower(header_value(a, "Precedence"));
  ctx.bulk = precedence == "bulk" || precedence == "junk" || has_header(a, "List-Unsubscribe");
  if (!a.return_path.empty()) {
    if (auto svc = ctx.lists.bulk_sender(domain_of(a.return_path))) {
      ctx.bulk = true;
      ctx.bulk_service = *svc;
    }
  }
  ctx.automated_sender = automated_local(a.from.local_part()) || ctx.mailing_list;

  // Authentication-Results (RFC 8601 §5): believe only what the receiving system wrote. That is
  // the header under an authserv-id the registry names as an organisation's own, else the topmost
  // one, when the receiving system (the topmost Received's "by" host) is of the same domain as its
  // authserv-id. A list server's or a sender's own results lower in the chain were written
  // before the mail crossed into the recipient's domain: anyone could have forged them, and a
  // list that rewrites mail breaks the DKIM it checked itself.
  a.auth_trust.assign(a.auth_results.size(), {});
  std::size_t believed = a.auth_results.size();
  if (ctx.registry != nullptr && ctx.registry->has_authserv_ids()) {
    for (std::size_t i = 0; i < a.auth_results.size() && believed == a.auth_results.size(); ++i)
      if (ctx.registry->is_own_authserv_id(a.auth_results[i].authserv_id)) {
        believed = i;
        a.auth_trust[i] = {true, "the authserv-id is one the registry names as an organisation's"};
      }
  }
  if (believed == a.auth_results.size() && !a.auth_results.empty()) {
    const std::string& id = a.auth_results.front().authserv_id;
    const std::string by = a.received.empty() ? std::string() : a.received.front().by_host;
    // A "by" host that is an address (Gmail's internal hops) or an id that is not a host name
    // (Microsoft 365 writes none) cannot be compared: the topmost header is then believed.
    const bool by_named = by.find('.') != std::string::npos && by.find(':') == std::string::npos &&
                          std::any_of(by.begin(), by.end(), [](char c) {
                            return std::isalpha(static_cast<unsigned char>(c)) != 0;
                          });
    const std::string id_reg = id.find('.') != std::string::npos ? registrable(id) : std::string();
    const std::string by_reg = by_named ? registrable(by) : std::string();
    if (id_reg.empty() || by_reg.empty() || id_reg == by_reg) {
      believed = 0;
      a.auth_trust[0] = {true, "the topmost header, written by the receiving system"};
    } else {
      a.auth_trust[0] = {false, "written by " + id + " before the mail reached " + by +
                                    ": another system's result"};
    }
  }
  for (std::size_t i = 0; i < a.auth_trust.size(); ++i)
    if (i != believed && a.auth_trust[i].why.empty())
      a.auth_trust[i].why = "not the topmost header: another system's result";
  if (believed < a.auth_results.size()) {
    const auto& ar = a.auth_results[believed];
    std::vector<std::string> failed;
    for (const auto& r : ar.results) {
      const std::string m = util::ascii_lower(r.method), res = util::ascii_lower(r.result);
      if (m == "dkim" && res == "pass") {
        std::string d(r.property("header.d"));
        if (d.empty()) d = domain_of(r.property("header.i"));
        if (!d.empty() && registrable(d) == ctx.from_reg) ctx.dkim_aligned_pass = true;
      }
      if (m == "dmarc" && res == "pass") ctx.dmarc_pass = true;
      if (m == "spf" && res == "pass") ctx.spf_pass = true;
      if ((m == "spf" || m == "dkim" || m == "dmarc") &&
          (res == "fail" || res == "softfail" || res == "permerror"))
        failed.push_back(m + "=" + res);
    }
    if (!failed.empty()) {
      std::string ev = ar.authserv_id.empty() ? std::string() : ar.authserv_id + ": ";
      for (std::size_t i = 0; i < failed.size(); ++i) ev += (i ? ", " : "") + failed[i];
      const bool dmarc_fail = std::any_of(failed.begin(), failed.end(), [](const std::string& f) {
        return f.rfind("dmarc", 0) == 0;
      });
      ctx.add("auth_failed", dmarc_fail || failed.size() >= 2 ? Severity::kMedium : Severity::kLow,
              ev);
    }
  }

  // ---- Reply-To ----
  const std::string from_key = name_key(a.from.name);
  for (const auto& r : a.reply_to) {
    const std::string rd = domain_of(r.address);
    if (rd.empty() || util::ascii_lower(r.address) == util::ascii_lower(a.from.address)) continue;
    // A free-mail provider is not an organisation: another mailbox there is another person.
    if (same_org(ctx, rd, from_domain) && !(ctx.from_freemail && ctx.lists.is_freemail(rd)))
      continue;
    const bool same_name = !from_key.empty() && name_key(r.name) == from_key;
    const bool name_is_from_address =
        util::ascii_lower(r.name).find(util::ascii_lower(a.from.address)) != std::string::npos &&
        !a.from.address.empty();
    const bool list_reply = ctx.mailing_list;
    if ((ctx.automated_sender || list_reply || ctx.bulk) && !same_name && !name_is_from_address)
      continue;
    // Someone writing from their company and asking for replies to a colleague's address in the
    // same registry organisation is normal; everything else diverges.
    Severity sev = (same_name || name_is_from_address) ? Severity::kHigh : Severity::kMedium;
    ctx.add("reply_to_diverges", sev, "From: " + show(a.from) + " / Reply-To: " + show(r));
    if (ctx.lists.is_freemail(rd) && !ctx.from_freemail && !ctx.automated_sender)
      ctx.add("freemail_reply_to",
              "Reply-To " + r.address + " is a free-mail address; From is " + a.from.address);
  }
  if (ctx.from_freemail) {
    // A free-mail From that claims to be a company in its display name.
    static const char* const kCompany[] = {
        "inc",      "corp",     "co.,", "ltd",        "llc",     "gmbh",   "株式会社",
        "有限会社", "(株)",     "㈱",   "bank",       "銀行",    "カード", "support",
        "service",  "security", "team", "department", "customer"};
    const std::string n = util::ascii_lower(a.from.name);
    for (const char* w : kCompany)
      if (!n.empty() && n.find(w) != std::string::npos) {
        ctx.add("freemail_reply_to", Severity::kMedium,
                "From " + show(a.from) + " claims a company but uses a free-mail domain");
        break;
      }
  }

  // ---- The recipient's own address as sender ("I sent this from your account") ----
  // A web server's own account as envelope sender is a form or script mailing on behalf of the
  // site (a "send a copy to myself" form), not a spoof of the recipient.
  const std::string envelope_local =
      util::ascii_lower(a.return_path.substr(0, a.return_path.find('@')));
  const bool script_sender = envelope_local == "www-data" || envelope_local == "apache" ||
                             envelope_local == "nobody" || envelope_local == "httpd" ||
                             envelope_local == "nginx" || envelope_local == "wwwrun";
  // A post a discussion list delivered carries the list's bounce address as envelope sender, and
  // an author who sends a patch series to themselves with the list in Cc is ordinary.
  if (!a.from.address.empty() && !ctx.dkim_aligned_pass && !script_sender && !ctx.list_post) {
    for (const auto& m : a.to)
      if (util::ascii_lower(m.address) == util::ascii_lower(a.from.address) &&
          !a.return_path.empty() && registrable(domain_of(a.return_path)) != ctx.from_reg) {
        ctx.add("self_sent_spoof", "From and To are both " + a.from.address +
                                       "; the envelope sender is " + a.return_path);
        break;
      }
  }

  // ---- Return-Path ----
  if (!a.return_path.empty() && !from_domain.empty()) {
    const std::string rp = domain_of(a.return_path);
    const bool srs = envelope_local.rfind("srs0=", 0) == 0 || envelope_local.rfind("srs1=", 0) == 0;
    if (!rp.empty() && !same_org(ctx, rp, from_domain) && !ctx.lists.bulk_sender(rp) &&
        !ctx.mailing_list && !srs && !ctx.dkim_aligned_pass) {
      ctx.add("return_path_diverges",
              "From: " + a.from.address + " / Return-Path: " + a.return_path);
    }
  }

  // ---- Display names carrying addresses, the "secured by [mailto:]" trick ----
  auto check_display = [&](const mime::Mailbox& m, const char* header) {
    for (const auto& addr : addresses_in(m.name)) {
      if (addr == util::ascii_lower(m.address)) continue;
      const Severity sev =
          domain_of(addr) != domain_of(m.address) ? Severity::kHigh : Severity::kMedium;
      ctx.add("display_name_has_address", sev,
              std::string(header) + ": display name shows " + addr + " but the address is " +
                  m.address);
      return;
    }
  };
  check_display(a.from, "From");
  // A domain written as the sender's name ("Stellar.org", "proton.me security") that is not the
  // sender's own: the client shows a brand's domain where the address would be.
  // A list that rewrites From to its own address for DMARC ("Name (example.net) via dev") keeps
  // the poster's domain in the name: that is the list's doing.
  const bool list_munged_from =
      ctx.list_post && util::iequals_ascii(a.from.address, ctx.list_address);
  if (!a.has_signal("display_name_has_address") && !ctx.from_reg.empty() && !list_munged_from) {
    for (const std::string& d : domains_in_name(a.from.name)) {
      const std::string reg = registrable(d);
      if (reg == ctx.from_reg) continue;
      bool same_owner = false;
      for (const Brand& b : brands())
        if (brand_owns(b, d) && brand_owns(b, from_domain)) same_owner = true;
      if (same_owner) continue;
      ctx.add("display_name_has_address", Severity::kMedium,
              "From: display name shows the domain " + d + " but the address is " + a.from.address);
      break;
    }
  }
  for (const auto& m : a.reply_to) check_display(m, "Reply-To");
  for (const auto& m : a.sender) check_display(m, "Sender");

  const std::string from_raw = header_value(a, "From");
  const std::string from_raw_l = util::ascii_lower(from_raw);
  const bool mailto = from_raw_l.find("mailto:") != std::string::npos;
  const auto trailing_addrs = addresses_in(a.from_trailing);
  const auto name_addrs = addresses_in(a.from.name);
  if (mailto || !trailing_addrs.empty() || from_raw_l.find("secured by") != std::string::npos) {
    std::vector<std::string> shown = name_addrs;
    shown.insert(shown.end(), trailing_addrs.begin(), trailing_addrs.end());
    bool differs = false;
    for (const auto& s : shown)
      if (s != util::ascii_lower(a.from.address)) differs = true;
    if (differs || mailto) ctx.add("from_mailto_trick", "From: " + from_raw.substr(0, 300));
  }

  // ---- Infrastructure lure and random domains (From, Reply-To, Return-Path) ----
  auto check_sender_address = [&](const std::string& address, const char* header) {
    const std::string d = domain_of(address);
    if (d.empty()) return;
    const std::string reg = registrable(d);
    if (infrastructure_provider(reg) || ctx.lists.bulk_sender(d) || ctx.lists.is_freemail(d))
      return;
    if (ctx.registry && ctx.registry->is_protected(d)) return;
    const std::string suffix = registry::public_suffix(reg);
    const std::string core =
        reg.size() > suffix.size() + 1 ? reg.substr(0, reg.size() - suffix.size() - 1) : reg;
    std::string found_local, found_domain;
    const int in_local = infrastructure_tokens(address.substr(0, address.find('@')), &found_local);
    const int in_domain = infrastructure_tokens(core, &found_domain);
    if (in_domain >= 2 || (in_domain >= 1 && in_local >= 1)) {
      std::string words = found_local;
      if (!found_domain.empty()) words += (words.empty() ? "" : ", ") + found_domain;
      ctx.add("infrastructure_lure_address",
              std::string(header) + ": " + address + " (" + words + ")");
    }
    if (cheap_tld(suffix) && looks_random(core))
      ctx.add("random_sender_domain", std::string(header) + ": " + address + " (." + suffix + ")");
  };
  check_sender_address(a.from.address, "From");
  for (const auto& m : a.reply_to) check_sender_address(m.address, "Reply-To");
  if (!a.return_path.empty() && !ctx.lists.bulk_sender(domain_of(a.return_path)))
    check_sender_address(a.return_path, "Return-Path");

  // ---- Thread participants (quoted headers) ----
  ctx.in_thread = !a.in_reply_to.empty() || !a.references.empty() || !a.quoted_text.empty();
  {
    // "From: Name <addr>" and "Name <addr> wrote:" lines of the quoted thread.
    std::string_view q = a.quoted_text;
    std::size_t pos = 0;
    while (pos < q.size() && ctx.thread.size() < 100) {
      std::size_t nl = q.find('\n', pos);
      if (nl == std::string_view::npos) nl = q.size();
      std::string_view line = q.substr(pos, nl - pos);
      pos = nl + 1;
      while (!line.empty() && (line.front() == '>' || line.front() == ' ')) line.remove_prefix(1);
      const std::string ll = util::ascii_lower(line);
      const bool header_line =
          ll.rfind("from:", 0) == 0 || ll.rfind("to:", 0) == 0 || ll.rfind("cc:", 0) == 0 ||
          ll.rfind("差出人:", 0) == 0 || ll.rfind("宛先:", 0) == 0 ||
          ll.find("wrote:") != std::string::npos || ll.find("a écrit") != std::string::npos ||
          ll.find("escribió") != std::string::npos || ll.find("のメッセージ") != std::string::npos;
      if (!header_line) continue;
      std::string_view value = line;
      if (const auto colon = line.find(':'); colon != std::string_view::npos && colon < 12)
        value = line.substr(colon + 1);
      for (const auto& mb : mime::parse_address_list(value).mailboxes)
        if (mb.address.find('@') != std::string::npos)
          ctx.thread.push_back({mb.name, util::ascii_lower(mb.address)});
      for (const auto& addr : addresses_in(line)) {
        bool known = false;
        for (const auto& t : ctx.thread)
          if (t.address == addr) known = true;
        if (!known) ctx.thread.push_back({"", addr});
      }
    }
  }

  // ---- Lookalikes: against the registry and the other domains of the conversation ----
  std::vector<std::string> reference;  // domains the conversation legitimately involves
  auto add_ref = [&](const std::string& d) {
    const std::string r = registrable(d);
    if (!r.empty() && !ctx.lists.is_freemail(r) &&
        std::find(reference.begin(), reference.end(), r) == reference.end())
      reference.push_back(r);
  };
  // The real domains are the ones the quoted thread shows and the registry knows (indexed: the
  // registry may hold tens of thousands). An attacker rewrites the header addresses, so current
  // header domains are not compared among themselves (multi-company mail would look like
  // lookalikes of itself).
  for (const auto& t : ctx.thread) add_ref(domain_of(t.address));
  const lookalike::Index& protected_index = ctx.identity->domains();

  auto lookalike_of = [&](const std::string& domain) -> std::string {
    const std::string reg = registrable(domain);
    if (reg.empty() || ctx.lists.is_freemail(reg)) return {};
    if (protected_index.contains(reg)) return {};
    // A domain the quoted conversation itself shows is a participant, not an imitation of one.
    if (std::find(reference.begin(), reference.end(), reg) != reference.end()) return {};
    std::optional<lookalike::Match> best = protected_index.check(domain);
    for (const auto& r : reference) {
      if (r == reg) continue;
      auto m = lookalike::classify(domain, r);
      if (m && (!best || m->score > best->score)) best = std::move(m);
    }
    if (!best) return {};
    std::string why = best->explanation;
    LookalikeFinding finding{util::ascii_lower(domain), best->lookalike_of, {}, {}};
    for (const auto t : best->techniques)
      finding.techniques.emplace_back(lookalike::technique_id(t));
    if (ctx.registry) {
      // Whose domain is imitated (only once a match is found: a scan over the organisations).
      const std::string target = lookalike::organizational_domain(best->lookalike_of);
      if (const auto* owner = ctx.registry->owner_of(target)) {
        why += " (a domain of " + owner->name + ")";
        finding.owner = owner->name;
      } else {
        for (const auto& org : ctx.registry->organizations())
          if (std::find(org.partner_domains.begin(), org.partner_domains.end(), target) !=
              org.partner_domains.end()) {
            why += " (a partner domain of " + org.name + ")";
            finding.owner = org.name;
            break;
          }
      }
    }
    if (std::none_of(a.lookalikes.begin(), a.lookalikes.end(),
                     [&](const LookalikeFinding& f) { return f.domain == finding.domain; }))
      a.lookalikes.push_back(std::move(finding));
    return why;
  };
  auto check_lookalike_sender = [&](const std::string& address, const char* header) {
    if (auto t = lookalike_of(domain_of(address)); !t.empty())
      ctx.add("sender_lookalike", std::string(header) + " " + address + ": " + t);
  };
  check_lookalike_sender(a.from.address, "From");
  // A well-known brand's domain imitated by the sender (rnicrosoft-support.com, amaz0n.co.jp):
  // brand impersonation whatever the display name says.
  auto check_brand_lookalike = [&](const std::string& address, const char* header) {
    const std::string d = domain_of(address);
    if (d.empty() || ctx.lists.is_freemail(registrable(d))) return;
    const auto m = imitated_brand_domain(d);
    if (!m) return;
    ctx.add("brand_impersonation", std::string(header) + " " + address +
                                       " imitates the brand domain " + m->lookalike_of + ": " +
                                       m->explanation);
  };
  check_brand_lookalike(a.from.address, "From");
  for (const auto& m : a.reply_to) check_brand_lookalike(m.address, "Reply-To");
  for (const auto& m : a.reply_to) check_lookalike_sender(m.address, "Reply-To");
  if (!a.return_path.empty()) check_lookalike_sender(a.return_path, "Return-Path");
  for (const auto& m : a.mdn_to) check_lookalike_sender(m.address, "Disposition-Notification-To");
  std::vector<mime::Mailbox> recipients = a.to;
  recipients.insert(recipients.end(), a.cc.begin(), a.cc.end());
  for (const auto& m : recipients)
    if (auto t = lookalike_of(domain_of(m.address)); !t.empty()) {
      ctx.add("cc_lookalike", "Cc/To " + show(m) + ": " + t);
      ctx.attacker_addresses.push_back({util::ascii_lower(m.address), "cc_lookalike"});
    }

  // ---- Delivery / read receipts: to another address, or to the lookalike itself ----
  for (const auto& m : a.mdn_to) {
    if (m.address.empty()) continue;
    if (util::ascii_lower(m.address) != util::ascii_lower(a.from.address)) {
      ctx.add("mdn_to_other", "receipts requested to " + show(m) + ", sender is " + a.from.address);
    } else if (a.has_signal("sender_lookalike") || a.has_signal("from_mailto_trick")) {
      ctx.add("mdn_to_other", "receipts requested to the look-alike sender address " + show(m));
    }
  }

  // ---- Cc diverted: a known person's name with somebody else's address ----
  struct Known {
    std::string key, address;
  };
  std::vector<Known> known;
  if (!from_key.empty()) known.push_back({from_key, util::ascii_lower(a.from.address)});
  for (const auto& t : ctx.thread)
    if (!t.name.empty()) known.push_back({name_key(t.name), t.address});
  // Registered executives whose name a recipient carries (hash lookup, not a scan).
  for (const auto& m : recipients) {
    const std::string key = name_key(m.name);
    if (const auto* vips = key.empty() ? nullptr : ctx.identity->vips_with_key(key))
      for (const auto& ref : *vips)
        for (const auto& addr : ref.vip->addresses) known.push_back({key, addr});
  }
  const std::string divergent_reply_domain = [&] {
    for (const auto& r : a.reply_to)
      if (!same_org(ctx, domain_of(r.address), from_domain)) return domain_of(r.address);
    return std::string();
  }();
  std::vector<std::string> company_domains = reference;
  for (const std::string& d : {from_domain}) add_ref(d);
  auto add_company = [&](const std::string& d) {
    const std::string r = registrable(d);
    if (!r.empty() && !ctx.lists.is_freemail(r) &&
        std::find(company_domains.begin(), company_domains.end(), r) == company_domains.end())
      company_domains.push_back(r);
  };
  add_company(from_domain);
  for (const auto& m : a.to) add_company(domain_of(m.address));
  for (const auto& m : a.cc) add_company(domain_of(m.address));
  for (const auto& m : recipients) {
    const std::string key = name_key(m.name);
    const std::string md = domain_of(m.address);
    if (md.empty()) continue;
    bool fired = false;
    for (const auto& k : known) {
      if (k.key.empty() || k.key != key || k.address == util::ascii_lower(m.address)) continue;
      if (same_org(ctx, domain_of(k.address), md)) continue;
      if (ctx.from_freemail && k.address == util::ascii_lower(a.from.address)) continue;
      // People do use two addresses; the same name elsewhere is an attack when the mail is
      // already diverting replies or imitating a domain, or the name is a registered VIP's.
      const bool corroborated = a.has_signal("reply_to_diverges") ||
                                a.has_signal("sender_lookalike") ||
                                a.has_signal("from_mailto_trick") || a.has_signal("cc_lookalike") ||
                                (ctx.registry && ctx.registry->is_vip_address(k.address));
      ctx.add("cc_diverted", corroborated ? Severity::kHigh : Severity::kLow,
              "Cc/To " + show(m) + ": this name belongs to " + k.address);
      if (corroborated)
        ctx.attacker_addresses.push_back({util::ascii_lower(m.address), "cc_diverted"});
      fired = true;
      break;
    }
    if (fired) continue;
    bool is_reply_to = false;
    for (const auto& r : a.reply_to)
      if (util::ascii_lower(r.address) == util::ascii_lower(m.address)) is_reply_to = true;
    if (a.has_signal("reply_to_diverges") && !divergent_reply_domain.empty() &&
        md == divergent_reply_domain && !ctx.from_freemail && ctx.lists.is_freemail(md) &&
        !is_reply_to) {
      ctx.add("cc_diverted",
              "Cc/To " + show(m) + " uses the same free-mail domain as the diverted Reply-To");
      ctx.attacker_addresses.push_back({util::ascii_lower(m.address), "cc_diverted"});
    }
  }

  // ---- Free-mail addresses that embed an identity ----
  // The free-mail addresses that stand in for someone: Reply-To and Cc/To next to a company
  // From, or a free-mail From whose display name shows a company address.
  std::vector<const mime::Mailbox*> freemail_boxes;
  if (ctx.from_freemail && !addresses_in(a.from.name).empty()) freemail_boxes.push_back(&a.from);
  for (const auto& r : a.reply_to)
    if (ctx.lists.is_freemail(domain_of(r.address))) freemail_boxes.push_back(&r);
  if (!ctx.from_freemail)
    for (const auto& m : recipients)
      if (ctx.lists.is_freemail(domain_of(m.address))) freemail_boxes.push_back(&m);
  for (const mime::Mailbox* m : freemail_boxes) {
    std::string why = embedded_identity(ctx, m->local_part(), company_domains);
    if (why.empty() && !ctx.from_freemail && m != &a.from) {
      // The sender's own local part inside a free-mail local part: "alice.eve" in
      // "alice.eve.company-a@mail.com".
      const std::string fl = util::ascii_lower(a.from.local_part());
      if (fl.size() >= 5 && util::ascii_lower(m->local_part()) != fl &&
          util::ascii_lower(m->local_part()).find(fl) != std::string::npos)
        why = "the local part contains the sender's own local part " + fl;
    }
    if (!why.empty()) ctx.add("freemail_embeds_identity", m->address + ": " + why);
  }

  // ---- Executives (registry) ----
  if (ctx.registry && !a.from.name.empty()) {
    const std::string addr = util::ascii_lower(a.from.address);
    for (const VipRef& ref : ctx.identity->vips_named_in(a.from.name)) {
      const auto& vip = *ref.vip;
      const bool real =
          std::find(vip.addresses.begin(), vip.addresses.end(), addr) != vip.addresses.end();
      if (real) {
        // The real address: still impersonation when replies go elsewhere or the From line is
        // dressed up with another sender.
        bool diverted = a.has_signal("from_mailto_trick");
        for (const auto& r : a.reply_to)
          if (std::find(vip.addresses.begin(), vip.addresses.end(), util::ascii_lower(r.address)) ==
              vip.addresses.end())
            diverted = true;
        if (!diverted) continue;
      }
      ctx.add("executive_impersonation",
              "From " + show(a.from) + " uses the name of " +
                  (vip.name.empty() ? vip.name_ja : vip.name) +
                  (vip.title.empty() ? "" : " (" + vip.title + ")") + " of " + ref.org->name +
                  (vip.addresses.empty() ? "" : ", whose address is " + vip.addresses.front()));
    }
    if (ctx.from_freemail && a.has_signal("executive_impersonation"))
      ctx.add("freemail_reply_to",
              "an executive's name on the free-mail address " + a.from.address);
  }
}

}  // namespace renkei::analysis
