// SPEC 4.2 (content and thread tricks) and 4.3 (links and attachments).
#include <algorithm>
#include <cctype>
#include <cstring>

#include <unicode/unistr.h>
#include <unicode/uspoof.h>

#include "analysis/brands.hpp"
#include "analysis/context.hpp"

namespace renkei::analysis {
namespace {

using lexicon::Concept;

bool government_domain(std::string_view d) {
  auto ends = [&](std::string_view s) {
    return d.size() >= s.size() && d.substr(d.size() - s.size()) == s;
  };
  return ends(".go.jp") || ends(".lg.jp") || ends(".gov") || ends(".gov.uk") || ends(".gouv.fr") ||
         ends(".gob.es") || ends(".gov.br");
}

// Links whose host is not the sender's own organisation (nor an image/CDN of it).
// Links whose host is neither the sender's organisation, nor a well-known brand's own domain (a
// real Zoom or Microsoft link is not a lure), nor a bulk-mail service's click tracker.
// Links to the sender's own domain only count as safe when the sender is not itself suspicious.
bool has_foreign_link(const Context& ctx, bool sender_suspicious) {
  for (const auto& l : ctx.a.links) {
    const std::string reg = registrable(l.host);
    if (reg.empty()) continue;
    if (reg == ctx.from_reg && !sender_suspicious) continue;
    if (ctx.lists.bulk_sender(l.host)) continue;
    // A mailto: button to a free-mail mailbox is a contact with a stranger, whoever hosts it; a
    // page anyone can publish (docs.google.com) is not the brand's own.
    if (l.url.rfind("mailto:", 0) == 0 ? ctx.lists.is_freemail(l.host)
                                       : ctx.lists.is_user_content_host(l.host))
      return true;
    if (!any_brand_owns(l.host)) return true;
  }
  return false;
}

// A client no one outside the sender's own network sees: a loopback, private or link-local
// address, or (when the hop records no address) a name without a domain ("localhost", "PC01").
bool internal_client(const mime::ReceivedHop& h) {
  const std::string name = util::ascii_lower(!h.from_rdns.empty()   ? h.from_rdns
                                             : !h.from_helo.empty() ? h.from_helo
                                                                    : h.from_host);
  const std::string_view ip = h.from_ip;
  auto starts = [&](std::string_view p) { return ip.substr(0, p.size()) == p; };
  int second = 0;  // 172.16.0.0/12
  for (std::size_t i = 4; starts("172.") && i < ip.size() && i < 7 && ip[i] != '.'; ++i)
    second = second * 10 + (ip[i] - '0');
  const bool private_ip = starts("10.") || starts("127.") || starts("192.168.") ||
                          starts("169.254.") || starts("::1") || starts("fe80") || starts("fc") ||
                          starts("fd") || (second >= 16 && second <= 31);
  const bool local_name =
      name.empty() || name.rfind("localhost", 0) == 0 || name.find('.') == std::string::npos;
  return ip.empty() ? local_name : private_ip;
}

// Brand spoofing by infrastructure (issue 16): a From in a brand's own domain that reached the
// Internet from a host unrelated to the brand. The first external hop is the oldest Received
// whose client is a public host; the brand is related when any hop of the chain names one of its
// hosts. A bulk-mail service as the first hop cannot be judged (brands send through them), nor
// can a mail without a public hop. Returns the first external client as evidence, "" otherwise.
std::string foreign_entry_hop(const Context& ctx, const Brand& b) {
  const auto& chain = ctx.a.received;
  const mime::ReceivedHop* entry = nullptr;
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    for (const std::string* host : {&it->from_rdns, &it->from_helo, &it->from_host, &it->by_host})
      if (!host->empty() && brand_owns(b, *host)) return {};
    if (entry == nullptr && !internal_client(*it)) entry = &*it;
  }
  if (entry == nullptr) return {};
  const std::string& client = !entry->from_rdns.empty()   ? entry->from_rdns
                              : !entry->from_helo.empty() ? entry->from_helo
                                                          : entry->from_host;
  if (!client.empty() && ctx.lists.bulk_sender(client)) return {};
  std::string shown = client.empty() ? entry->from_ip : client;
  if (!client.empty() && !entry->from_ip.empty()) shown += " [" + entry->from_ip + "]";
  return shown;
}

// Telephone numbers in normalised text: an optional '+', then 10 to 15 digits grouped by spaces,
// hyphens, dots or parentheses ("+1 (866) 955-9506", "1-888-555-0100", "0120-123-456").
// Returns the byte offsets where they start.
std::vector<std::size_t> phone_numbers(std::string_view t) {
  std::vector<std::size_t> out;
  constexpr std::size_t kMaxNumbers = 16;
  std::size_t i = 0;
  while (i < t.size() && out.size() < kMaxNumbers) {
    const char c = t[i];
    const bool start = c == '+' || c == '(' || (c >= '0' && c <= '9');
    const bool boundary = i == 0 || !std::isalnum(static_cast<unsigned char>(t[i - 1]));
    if (!start || !boundary) {
      ++i;
      continue;
    }
    std::size_t j = i, digits = 0, run_sep = 0, end = i;  // end: just after the last digit
    if (t[j] == '+') ++j;
    while (j < t.size()) {
      const char d = t[j];
      if (d >= '0' && d <= '9') {
        ++digits;
        run_sep = 0;
        end = j + 1;
      } else if (d == ' ' || d == '-' || d == '.' || d == '(' || d == ')') {
        if (++run_sep > 5) break;  // "+1 (888) (683) - (1189)"
      } else {
        break;
      }
      ++j;
    }
    const bool alnum_after = end < t.size() && std::isalpha(static_cast<unsigned char>(t[end]));
    if (digits >= 10 && digits <= 15 && !alnum_after) out.push_back(i);
    i = j > i ? j : i + 1;
  }
  return out;
}

// "+29,738$", "+ 1.500 €", "+17,794 usd": an amount with a plus sign, a credit to the reader.
bool credited_amount(std::string_view t) {
  for (std::size_t i = t.find('+'); i != std::string_view::npos && i + 2 < t.size();
       i = t.find('+', i + 1)) {
    if (i > 0 && std::isalnum(static_cast<unsigned char>(t[i - 1]))) continue;  // "C++", "a+b"
    std::size_t j = i + 1;
    if (j < t.size() && t[j] == ' ') ++j;
    const std::size_t digits_start = j;
    while (j < t.size() &&
           (std::isdigit(static_cast<unsigned char>(t[j])) || t[j] == ',' || t[j] == '.'))
      ++j;
    if (j - digits_start < 3 || !std::isdigit(static_cast<unsigned char>(t[digits_start])))
      continue;
    if (j < t.size() && t[j] == ' ') ++j;
    const std::string_view rest = t.substr(j, 4);
    if (rest.rfind('$', 0) == 0 || rest.rfind("\xe2\x82\xac", 0) == 0 ||
        rest.rfind("usd", 0) == 0 || rest.rfind("eur", 0) == 0 || rest.rfind("btc", 0) == 0)
      return true;
  }
  return false;
}

}  // namespace

void detect_content_signals(Context& ctx) {
  Analysis& a = ctx.a;
  detect_campaign_signals(ctx);
  const auto& h = ctx.hits;
  std::string ev;

  if (h.any(Concept::kPaymentChangePhrase))
    ctx.add("payment_change_request", h.evidence(Concept::kPaymentChangePhrase));
  else if (h.near_unless(Concept::kBankAccount, Concept::kChange, Concept::kNoChange, 120, &ev))
    ctx.add("payment_change_request", ev);

  if (h.any(Concept::kPaymentHoldPhrase))
    ctx.add("payment_hold_request", h.evidence(Concept::kPaymentHoldPhrase));
  else if (h.near(Concept::kHold, Concept::kPayment, 60, &ev))
    ctx.add("payment_hold_request", ev);

  // Secrecy counts on its own; urgency and "e-mail only" need company. Disclaimers do not count.
  // Secrecy words inside a confidentiality disclaimer ("this e-mail is confidential… intended
  // recipient") are boilerplate, not pressure.
  int secrecy = 0;
  {
    constexpr std::size_t kDisclaimerReach = 400;
    std::vector<std::uint16_t> seen;
    for (const auto& x : h.hits) {
      if (x.kind != Concept::kSecrecy) continue;
      bool in_disclaimer = false;
      for (const auto& d : h.hits)
        if (d.kind == Concept::kDisclaimer &&
            (d.pos > x.pos ? d.pos - x.pos : x.pos - d.pos) <= kDisclaimerReach)
          in_disclaimer = true;
      if (!in_disclaimer && std::find(seen.begin(), seen.end(), x.phrase) == seen.end())
        seen.push_back(x.phrase);
    }
    secrecy = static_cast<int>(seen.size());
  }
  const int pressure = h.distinct(Concept::kUrgency) + h.distinct(Concept::kEmailOnly);
  const bool threat = h.any(Concept::kAccountThreat);
  if (secrecy >= 1 || (secrecy >= 1 && pressure >= 1) || pressure >= 2 ||
      (h.distinct(Concept::kUrgency) >= 1 && threat)) {
    std::string e = h.evidence(secrecy ? Concept::kSecrecy : Concept::kUrgency);
    if (e.empty()) e = h.evidence(Concept::kEmailOnly);
    ctx.add("secrecy_urgency", e);
  }
  if (h.any(Concept::kAcquisition))
    ctx.add("acquisition_pretext", h.evidence(Concept::kAcquisition));
  if (h.any(Concept::kCounsel)) ctx.add("counsel_pretext", h.evidence(Concept::kCounsel));
  // A crisis is a pretext when it opens the mail (subject or first lines), not when a footer
  // mentions it ("※新型コロナウイルス感染症拡大防止のため…").
  {
    constexpr std::size_t kOpener = 600;
    const std::size_t opener_end = ctx.norm_subject.size() + 1 + kOpener;
    for (const auto& hit : h.hits)
      if (hit.kind == Concept::kCrisis && hit.pos < opener_end) {
        ctx.add("crisis_pretext", h.evidence(Concept::kCrisis));
        break;
      }
  }
  if (h.any(Concept::kMobileSignoff))
    ctx.add("mobile_signoff", h.evidence(Concept::kMobileSignoff));
  if (h.near(Concept::kDataList, Concept::kDataItems, 100, &ev)) ctx.add("data_request", ev);

  const std::string from_domain = domain_of(a.from.address);
  const std::string name_norm = lexicon::normalize(a.from.name + " " + a.from_trailing, 512);
  const Brand* claimed_brand =
      nullptr;  // a brand named in the display name, not the brand's domain
  const std::vector<bool> named = brands_mentioned(name_norm);
  for (std::size_t i = 0; i < brands().size(); ++i)
    if (named[i] && !brand_owns(brands()[i], from_domain)) {
      claimed_brand = &brands()[i];
      break;
    }
  // A tenant of a shared platform (x.onmicrosoft.com, a Microsoft 365 tenant's default domain)
  // that calls itself a bank, or a brand in its tenant name: anyone opens such a tenant in
  // minutes, while banks and brands write from their own domains. Microsoft's own name counts
  // too: the platform's domain is Microsoft's, the tenant is not.
  std::string tenant_claim;
  if (!claimed_brand && ctx.from_shared_platform) {
    static constexpr std::string_view kBankWords[] = {
        "bank",          "banco", "banque",   "sparkasse",  "volksbank",     "credit union",
        "card services", "銀行",  "信用金庫", "カード会社", "カードサービス"};
    for (std::string_view w : kBankWords)
      if (name_norm.find(w) != std::string::npos)
        tenant_claim = "a bank (\"" + std::string(w) + "\")";
    const std::string tenant = util::ascii_lower(from_domain.substr(0, from_domain.find('.')));
    for (std::size_t i = 0; tenant_claim.empty() && i < brands().size(); ++i) {
      if (named[i]) tenant_claim = std::string(brands()[i].name);
      for (std::string_view k : brands()[i].keywords)
        if (tenant_claim.empty() && k.size() >= 5 && k.find(' ') == std::string_view::npos &&
            static_cast<unsigned char>(k[0]) < 0x80 && tenant.find(k) != std::string::npos)
          tenant_claim = std::string(brands()[i].name);
    }
  }
  // A brand's own domain in From that fails authentication is a spoof of that brand.
  const Brand* spoofed_brand = nullptr;
  // Not on a list post: a list that changes the mail breaks the poster's DKIM, and a receiver
  // that does not read ARC then fails DMARC for every post of a free-mail member.
  if (!claimed_brand && a.has_signal("auth_failed") && !ctx.trusted_sender() && !ctx.list_post)
    for (const Brand& b : brands())
      if (brand_owns(b, from_domain)) spoofed_brand = &b;
  // The brand's own domain in From, no authentication vouching for it, and the mail entered the
  // Internet from a host that is not the brand's: the From was simply written by someone else.
  // Together with a lure (an account threat, a login, a payment update, 本人確認) it is phishing,
  // links or no links (archives strip them). Free-mail domains (gmail.com is Google's) are sent
  // from anywhere by their users and judged by the receiver's DMARC instead.
  const Brand* relayed_brand = nullptr;
  std::string relayed_via;
  if (!claimed_brand && !spoofed_brand && !ctx.dkim_aligned_pass && !ctx.dmarc_pass &&
      !ctx.from_freemail && !ctx.from_shared_platform && !ctx.list_post)
    for (const Brand& b : brands())
      if (brand_owns(b, from_domain)) {
        relayed_via = foreign_entry_hop(ctx, b);
        if (!relayed_via.empty()) relayed_brand = &b;
        break;
      }
  const bool sender_suspicious = claimed_brand || spoofed_brand || relayed_brand ||
                                 !tenant_claim.empty() || a.has_signal("random_sender_domain") ||
                                 a.has_signal("from_header_malformed") ||
                                 a.has_signal("sender_lookalike") || a.has_signal("auth_failed") ||
                                 a.has_signal("reply_to_diverges") ||
                                 a.has_signal("self_sent_spoof") || a.has_signal("homoglyph_text");
  const bool foreign_link = has_foreign_link(ctx, sender_suspicious);
  const bool html_form = ctx.html.has_form || ctx.html.has_password_input;
  const bool account_threat = h.any(Concept::kAccountThreat);
  const bool credential =
      h.any(Concept::kCredential) || (h.any(Concept::kAccountWord) && account_threat);
  if (credential && (foreign_link || html_form)) {
    std::string e =
        h.evidence(h.any(Concept::kCredential) ? Concept::kCredential : Concept::kAccountThreat);
    ctx.add("credential_lure",
            account_threat && h.any(Concept::kCredential) ? Severity::kHigh : Severity::kMedium, e);
  }

  if ((h.near(Concept::kOfficialBody, Concept::kSubsidy, 200, &ev) ||
       h.near(Concept::kOfficialBody, Concept::kNotice, 200, &ev) ||
       (h.any(Concept::kNotice) && ctx.a.has_signal("random_sender_domain"))) &&
      !government_domain(from_domain)) {
    if (ev.empty()) ev = h.evidence(Concept::kNotice);
    ctx.add("fictitious_org_lure", ev);
  }

  // A document that carries the link while the mail itself says little (PDF phishing), from a
  // sender that did not authenticate as itself.
  if (!ctx.trusted_sender()) {
    for (const auto& l : a.links) {
      if (l.where != "attachment") continue;
      const std::string reg = registrable(l.host);
      if (reg.empty() || (reg == ctx.from_reg && !sender_suspicious)) continue;
      if (any_brand_owns(l.host) && !ctx.lists.is_user_content_host(l.host)) continue;
      if (a.new_text.size() < 300 || ctx.from_freemail || sender_suspicious) {
        ctx.add("document_link_lure", "an attached document links to " + content::defang(l.url));
        break;
      }
    }
  }

  // Scam lures (prizes, crypto, advance fee, sextortion, romance, pills, parcels, unpaid bills):
  // several phrases, or one in the subject, from a sender that did not authenticate as itself
  // (real newsletters and shops do).
  {
    const std::size_t subject_end = ctx.norm_subject.size();
    int kinds = 0, phrases = 0, in_subject = 0;
    Concept strongest = Concept::kPrize;
    int best = 0;
    for (Concept c :
         {Concept::kPrize, Concept::kCrypto, Concept::kAdvanceFee, Concept::kSextortion,
          Concept::kDating, Concept::kHealthSpam, Concept::kDelivery, Concept::kInvoiceLure,
          Concept::kIllicitGoods, Concept::kLegalThreat, Concept::kLoan}) {
      // "Mail delivery failed" is what a mail system's bounce says, not a parcel lure.
      if (c == Concept::kDelivery && ctx.daemon_sender) continue;
      const int n = h.distinct(c);
      if (n == 0) continue;
      ++kinds;
      phrases += n;
      if (n > best) {
        best = n;
        strongest = c;
      }
      for (const auto& hit : h.hits)
        if (hit.kind == c && hit.pos < subject_end) ++in_subject;
    }
    // A credited amount written with a plus sign ("+29,738$", "+ 1.500 €"): money that is
    // supposedly waiting for the reader.
    if (credited_amount(ctx.norm_all)) {
      ++kinds;
      ++phrases;
      if (best == 0) strongest = Concept::kPrize;
    }
    // Marketing words count only next to a real lure ("free" alone is a newsletter).
    if (phrases > 0) {
      const int m = h.distinct(Concept::kMarketing);
      phrases += m;
      if (m > 0) ++kinds;
    }
    const bool anomalous_sender =
        ctx.from_freemail || a.has_signal("reply_to_diverges") ||
        a.has_signal("return_path_diverges") || a.has_signal("auth_failed") ||
        a.has_signal("random_sender_domain") || a.has_signal("brand_impersonation") ||
        a.has_signal("from_header_malformed") || a.has_signal("freemail_contact_in_body");
    // An overwhelming lure (several kinds, many phrases) counts even from an authenticated
    // sender: scams go out through compromised real accounts too.
    const bool overwhelming = kinds >= 2 && phrases >= 5;
    // DKIM proves who owns the domain, not that its owner is honest: attackers sign their own
    // domains and compromised accounts sign for their victims. An authenticated sender needs a
    // clearer lure than an unauthenticated one.
    const bool enough = ctx.trusted_sender() ? (phrases >= 3 || (in_subject >= 1 && phrases >= 2))
                                             : (phrases >= 2 || in_subject >= 1);
    // A bounce quotes "delivery failed" and whatever it returns; it is not the lure.
    if ((!ctx.mailing_list || overwhelming) && enough && !ctx.bounce) {
      // Strong: a lure of some breadth from an odd sender or with a link away; or, whoever sends
      // it, a lure that is the whole message (several phrases of several kinds, the subject and
      // the body both, a stranger's free-mail address). An authenticated organisation needs more.
      const bool rich = ctx.trusted_sender()
                            ? (phrases >= 5 || (phrases >= 4 && kinds >= 2))
                            : (phrases >= 4 || (phrases >= 3 && kinds >= 2) ||
                               (in_subject >= 1 && phrases >= 2) ||
                               (ctx.from_freemail && !ctx.in_thread && phrases >= 2));
      const bool strong =
          ((phrases >= 3 || kinds >= 2 || in_subject >= 1) && (anomalous_sender || foreign_link)) ||
          rich;
      ctx.add("scam_lure", strong ? Severity::kMedium : Severity::kLow, h.evidence(strongest));
    }
  }

  // Callback scams (telephone-oriented attack delivery): a charge, renewal or order the reader
  // never made, and a number to call to "cancel" it. No link to scan: the attack is the phone
  // call. Only from senders that are not who they claim: free mail, or a sender already odd.
  {
    // The hook is always a way out: "if you did not authorize this", "to cancel", "for a refund".
    // An ordinary invoice with the sender's phone number has none.
    const bool charge = (h.distinct(Concept::kCharge) >= 2 ||
                         (h.any(Concept::kCharge) && h.any(Concept::kInvoiceLure))) &&
                        h.any(Concept::kDispute);
    if (charge && !ctx.mailing_list && !ctx.bounce &&
        (ctx.from_freemail || sender_suspicious || claimed_brand)) {
      constexpr std::size_t kCallReach = 80;
      for (std::size_t pos : phone_numbers(ctx.norm_all)) {
        bool call = false;
        for (const auto& x : h.hits)
          if (x.kind == Concept::kCallWord && x.pos < pos && pos - x.pos <= kCallReach) call = true;
        if (!call) continue;
        std::string e = ctx.norm_all.substr(pos > 60 ? pos - 60 : 0, 90);
        ctx.add("callback_lure",
                ctx.from_freemail || claimed_brand ? Severity::kHigh : Severity::kMedium,
                "a charge to dispute by phone: …" + e + "…");
        break;
      }
    }
  }

  // The password of an attachment given in the mail itself ("Senha: 123"): the attachment is
  // locked so that gateways cannot open it, the classic delivery of banking trojans and Emotet.
  if (!ctx.trusted_sender() && (ctx.from_freemail || sender_suspicious)) {
    bool lockable = false;
    for (const auto& att : a.attachments) {
      const std::string n = util::ascii_lower(att.filename);
      for (const char* ext : {".pdf", ".zip", ".rar", ".7z", ".doc", ".docx", ".xls", ".xlsx"})
        if (n.size() > std::strlen(ext) &&
            n.compare(n.size() - std::strlen(ext), std::string::npos, ext) == 0)
          lockable = true;
    }
    if (lockable) {
      for (const auto& x : h.hits) {
        if (x.kind != Concept::kPassword) continue;
        // "senha: 123", "password - infected", "senha pdf: 000": a short token right after.
        std::size_t p = x.pos + x.length;
        const std::size_t limit = std::min(ctx.norm_all.size(), p + 16);
        while (p < limit &&
               (ctx.norm_all[p] == ' ' || ctx.norm_all[p] == ':' || ctx.norm_all[p] == '-' ||
                ctx.norm_all.compare(p, 3, "pdf") == 0 || ctx.norm_all.compare(p, 3, "zip") == 0))
          p += ctx.norm_all.compare(p, 3, "pdf") == 0 || ctx.norm_all.compare(p, 3, "zip") == 0 ? 3
                                                                                                : 1;
        std::size_t q = p;
        while (q < ctx.norm_all.size() && q - p <= 16 &&
               std::isalnum(static_cast<unsigned char>(ctx.norm_all[q])))
          ++q;
        const std::size_t len = q - p;
        if (len >= 3 && len <= 16 &&
            (q == ctx.norm_all.size() ||
             !std::isalnum(static_cast<unsigned char>(ctx.norm_all[q])))) {
          ctx.add("attachment_password_in_body",
                  "…" + ctx.norm_all.substr(x.pos, q - x.pos) +
                      "… (attachment locked by a password given in the mail)");
          break;
        }
      }
    }
  }

  // A first contact from a stranger whose every link leads to a page anyone can publish for free
  // (a Google Docs form, an S3 bucket, a blog): the reputable host carries the phishing page.
  if ((ctx.from_freemail || !ctx.trusted_sender()) && !ctx.in_thread && !ctx.mailing_list) {
    std::string ugc;
    bool other = false;
    for (const auto& l : a.links) {
      if (l.where != "body" || l.host.empty() || l.url.rfind("mailto:", 0) == 0) continue;
      const std::string path = util::ascii_lower(l.url.substr(0, l.url.find_first_of("?#")));
      bool image = false;
      for (const char* ext : {".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".bmp"})
        if (path.size() > std::strlen(ext) &&
            path.compare(path.size() - std::strlen(ext), std::string::npos, ext) == 0)
          image = true;
      if (image) continue;
      const std::string reg = registrable(l.host);
      if (reg == ctx.from_reg && !ctx.from_freemail) continue;
      if (ctx.lists.bulk_sender(l.host)) continue;
      if (ctx.lists.is_user_content_host(l.host)) {
        if (ugc.empty()) ugc = l.url;
      } else if (!ctx.lists.is_shortener(l.host)) {
        // A big brand's own pages (youtube.com/about) are decoys next to the real link.
        if (!any_brand_owns(l.host)) other = true;
      }
    }
    if (!ugc.empty() && !other) {
      std::size_t words = 0;
      bool in_word = false;
      for (char c : a.new_text) {
        const bool w = !std::isspace(static_cast<unsigned char>(c));
        if (w && !in_word) ++words;
        in_word = w;
      }
      // Colleagues share documents from free mail too ("資料を共有します" and a Drive link): the
      // link alone is medium. It is high when the mail also lures or hides what it is: no
      // subject, lure words, padding, look-alike letters.
      const bool lure = ctx.hits.any(Concept::kCredential) ||
                        ctx.hits.any(Concept::kAccountThreat) || ctx.hits.any(Concept::kPrize) ||
                        ctx.hits.any(Concept::kInvoiceLure) || ctx.hits.any(Concept::kDelivery) ||
                        ctx.hits.any(Concept::kCrypto) || ctx.hits.any(Concept::kDating) ||
                        ctx.hits.any(Concept::kAdvanceFee) || credited_amount(ctx.norm_all);
      const bool disguised =
          a.subject.empty() || a.has_signal("hash_buster_text") || a.has_signal("homoglyph_text");
      const bool bare = (words < 60 || !a.attachments.empty()) && (lure || disguised);
      ctx.add("user_content_link", bare ? Severity::kHigh : Severity::kMedium,
              "the only link leads to a page on a free hosting service: " +
                  content::defang(ugc.substr(0, 200)));
    }
  }

  // Brands: claimed in the display name (strong) or in the subject with a link elsewhere.
  if (relayed_brand && (credential || account_threat)) {
    ctx.add("brand_impersonation",
            "From " + a.from.address + " is " + std::string(relayed_brand->name) +
                "'s domain but the mail entered from " + relayed_via +
                ", a host that is not the brand's, with nothing authenticating it");
  } else if (!tenant_claim.empty()) {
    ctx.add("brand_impersonation", "From " + a.from.name + " <" + a.from.address +
                                       ">: a tenant of a shared platform calling itself " +
                                       tenant_claim);
  } else if (spoofed_brand) {
    ctx.add("brand_impersonation",
            "From " + a.from.address + " is " + std::string(spoofed_brand->name) +
                "'s domain but the message failed authentication (spoofed sender)");
  } else if (claimed_brand) {
    ctx.add("brand_impersonation", "From " + a.from.name + " <" + a.from.address + "> claims " +
                                       std::string(claimed_brand->name) +
                                       " but the domain is not the brand's");
  } else {
    // The brand in the subject or the first lines of the body (the mail's own letterhead), while
    // the mail lures to an account elsewhere.
    constexpr std::size_t kLetterhead = 300;
    const std::string_view head =
        std::string_view(ctx.norm_body).substr(0, std::min(ctx.norm_body.size(), kLetterhead));
    const std::vector<bool> in_subject = brands_mentioned(ctx.norm_subject);
    const std::vector<bool> in_head = brands_mentioned(head);
    // A mail that is a picture (next to no text to read, an image, a link away) from a stranger:
    // the lure is drawn so that filters find no words, and the brand is only in the subject.
    constexpr std::size_t kImageOnlyTextBytes = 100;
    std::size_t text_bytes = 0;
    for (char c : ctx.norm_body)
      if (!std::isspace(static_cast<unsigned char>(c))) ++text_bytes;
    const bool image_only = !ctx.html.images.empty() && text_bytes < kImageOnlyTextBytes &&
                            foreign_link && !ctx.trusted_sender() && !ctx.in_thread &&
                            !ctx.mailing_list;
    for (std::size_t i = 0; i < brands().size(); ++i) {
      const Brand& b = brands()[i];
      if ((!in_subject[i] && !in_head[i]) || brand_owns(b, from_domain)) continue;
      if (image_only && in_subject[i]) {
        ctx.add("brand_impersonation", Severity::kMedium,
                "subject names " + std::string(b.name) + ", sender " + a.from.address +
                    ", and the mail is a picture with a link away");
        break;
      }
      if ((foreign_link || html_form) && (credential || account_threat)) {
        ctx.add("brand_impersonation", Severity::kMedium,
                "subject names " + std::string(b.name) + ", sender " + a.from.address);
        break;
      }
    }
  }

  // Thread hijack: replying inside a thread whose real participants are elsewhere.
  if (ctx.in_thread && !ctx.thread.empty() && !ctx.from_reg.empty()) {
    bool from_in_thread = false;
    for (const auto& t : ctx.thread)
      if (registrable(domain_of(t.address)) == ctx.from_reg) from_in_thread = true;
    if (!from_in_thread) {
      const std::string key = name_key(a.from.name);
      std::string why;
      for (const auto& t : ctx.thread) {
        const std::string td = registrable(domain_of(t.address));
        if (!key.empty() && name_key(t.name) == key) {
          why = "the sender's name appears in the quoted thread as " + t.address;
          break;
        }
        if (auto tech = lookalike_technique(ctx.from_reg, td); !tech.empty()) {
          why = "the quoted thread was with " + td + "; " + tech;
          break;
        }
      }
      if (why.empty() && (a.has_signal("reply_to_diverges") || a.has_signal("sender_lookalike")))
        why = "the sender's domain " + ctx.from_reg +
              " is not among the quoted thread's participants";
      if (!why.empty()) ctx.add("thread_hijack", "From " + a.from.address + ": " + why);
    }
  }

  // The earlier mail's signature had the sender's address; the new one does not.
  if (!a.quoted_text.empty()) {
    const std::string key = name_key(a.from.name);
    const auto quoted_addrs = addresses_in(a.quoted_text);
    const auto new_addrs = addresses_in(a.new_text);
    if (new_addrs.empty()) {
      for (const auto& qa : quoted_addrs) {
        if (qa == util::ascii_lower(a.from.address)) continue;
        const std::string ql = qa.substr(0, qa.find('@'));
        const bool same_person =
            ql == util::ascii_lower(a.from.local_part()) ||
            std::any_of(ctx.thread.begin(), ctx.thread.end(), [&](const ThreadParticipant& t) {
              return t.address == qa && !key.empty() && name_key(t.name) == key;
            });
        if (same_person && !a.signature.empty()) {
          ctx.add("signature_address_removed", "the quoted signature carried " + qa +
                                                   "; the new signature has no address (sender " +
                                                   a.from.address + ")");
          break;
        }
      }
    }
  }
}

void detect_obfuscation(Context& ctx, int folded_head, int folded_body) {
  const int folded_letters = folded_head + folded_body;
  const Analysis& a = ctx.a;
  // Styled letters (mathematical alphanumerics 𝕀𝕙𝕣, circled and squared letters) in the subject or
  // the sender's name spell words that filters do not recognise.
  auto styled = [](std::string_view s) {
    for (std::size_t i = 0; i + 3 < s.size(); ++i) {
      const auto b0 = static_cast<unsigned char>(s[i]);
      if (b0 == 0xF0 && static_cast<unsigned char>(s[i + 1]) == 0x9D &&
          (static_cast<unsigned char>(s[i + 2]) >= 0x90 &&
           static_cast<unsigned char>(s[i + 2]) <= 0x9F))
        return true;  // U+1D400..U+1D7FF
      if (b0 == 0xF0 && static_cast<unsigned char>(s[i + 1]) == 0x9F &&
          static_cast<unsigned char>(s[i + 2]) == 0x84)
        return true;  // U+1F100..U+1F13F enclosed alphanumerics
    }
    return false;
  };
  // The digit zero standing for the letter O inside a word ("C0NFIRMATI0N", "IMP0RTANT").
  auto zero_for_o = [](std::string_view s) -> std::string {
    auto letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
    for (std::size_t i = 1; i + 1 < s.size(); ++i) {
      if (s[i] != '0' || !letter(s[i - 1]) || !letter(s[i + 1])) continue;
      std::size_t b = i, e = i + 1;
      while (b > 0 && (letter(s[b - 1]) || s[b - 1] == '0')) --b;
      while (e < s.size() && (letter(s[e]) || s[e] == '0')) ++e;
      if (e - b >= 5) return std::string(s.substr(b, e - b));
    }
    return {};
  };
  // Invisible characters between the letters of the subject or the sender's name are deliberate:
  // no keyboard or mail program puts them there.
  const int head_hidden = lexicon::invisible_between_letters(a.subject + " " + a.from.name);
  const std::string leet =
      zero_for_o(a.subject).empty() ? zero_for_o(a.from.name) : zero_for_o(a.subject);
  if (styled(a.subject) || styled(a.from.name)) {
    ctx.add("homoglyph_text",
            "styled Unicode letters: " + (styled(a.subject) ? a.subject : a.from.name));
  } else if (folded_letters + head_hidden > 0) {
    // In the subject or the sender's name the disguise is what the reader sees first: high.
    ctx.add("homoglyph_text",
            head_hidden > 0 || folded_head > 0 ? Severity::kHigh : Severity::kMedium,
            std::to_string(folded_letters + head_hidden) +
                " look-alike letters (Cyrillic/Greek, or Latin letters and digits swapped: "
                "\"VlAGRA\", \"WaIIet\") or invisible characters inside Latin words (subject: " +
                a.subject + ", sender: " + a.from.name + ")");
  } else if (!leet.empty()) {
    ctx.add("homoglyph_text", "the digit 0 spells the letter O: \"" + leet + "\"");
  }

  // Words joined by underscores instead of spaces in the subject or the sender's name
  // ("_hurry_up_!_Rewards_have_arrived!_", "*Thank_You#"): written so that word filters do not
  // see the words. File names ("Invoice_2023_final.pdf") have no underscore at the ends, and
  // identifiers in a sentence are not a disguise.
  auto underscored = [](std::string_view t) {
    while (!t.empty() && (t.back() == ' ' || t.back() == '"')) t.remove_suffix(1);
    while (!t.empty() && (t.front() == ' ' || t.front() == '"')) t.remove_prefix(1);
    if (t.size() < 6) return false;
    const bool ends = t.front() == '_' || t.back() == '_' || t.find("__") != std::string_view::npos;
    int joins = 0;
    for (std::size_t i = 1; i + 1 < t.size(); ++i)
      if (t[i] == '_' && std::isalpha(static_cast<unsigned char>(t[i - 1])) != 0) ++joins;
    // The underscores stand in for the spaces: a subject written with spaces that mentions an
    // identifier ("annotate af_nfc_exit() as __exit", "missing __BYTE_ORDER") is prose about code.
    const auto unders = std::count(t.begin(), t.end(), '_');
    return ends && joins >= 1 && unders >= 3 && unders > std::count(t.begin(), t.end(), ' ');
  };
  if (underscored(a.subject) || underscored(a.from.name))
    ctx.add("homoglyph_text", Severity::kHigh,
            "words joined by underscores to slip past word filters: " +
                (underscored(a.subject) ? a.subject : a.from.name));
  // Invisible characters between the letters of the body ("W͏e͏ a͏r͏e͏"):
  // no mail program writes them, a spammer does so that phrase filters see no words.
  if (const int hidden = lexicon::invisible_between_letters(a.new_text.substr(0, 16 * 1024));
      hidden >= 20)
    ctx.add("homoglyph_text", Severity::kHigh,
            std::to_string(hidden) + " invisible characters between the letters of the text");

  // Hash busters: runs of meaningless numbers padding the text so that every copy differs and
  // filters that fingerprint messages cannot match them ("7 7 0 33 0 88 7 2 32 467 2 2 5 …").
  {
    std::size_t tokens = 0, numbers = 0;
    std::size_t i = 0;
    const std::string& t = a.text;
    constexpr std::size_t kScan = 64 * 1024;
    const std::size_t end = std::min(t.size(), kScan);
    while (i < end) {
      while (i < end && std::isspace(static_cast<unsigned char>(t[i]))) ++i;
      const std::size_t b = i;
      bool digits = true;
      while (i < end && !std::isspace(static_cast<unsigned char>(t[i]))) {
        if (t[i] < '0' || t[i] > '9') digits = false;
        ++i;
      }
      if (i > b) {
        ++tokens;
        if (digits) ++numbers;
      }
    }
    if (numbers >= 30 && numbers * 4 >= tokens)
      ctx.add("hash_buster_text", std::to_string(numbers) + " of " + std::to_string(tokens) +
                                      " words of the text are loose numbers that say nothing");
    // Or text hidden from the reader that outweighs what is shown (preview snippets of
    // newsletters are a line or two; padding for filters is pages).
    constexpr std::size_t kHiddenPadding = 1000;
    if (ctx.html.hidden_text_bytes >= kHiddenPadding &&
        ctx.html.hidden_text_bytes > ctx.html.text.size())
      ctx.add("hash_buster_text",
              std::to_string(ctx.html.hidden_text_bytes) +
                  " bytes of text are hidden from the reader, more than it shows (" +
                  std::to_string(ctx.html.text.size()) + ")");
    // Or one long run of random letters and digits ("11vNi5vpFY04k164D7be1FQh…"): not a word, not a
    // URL, not base64 (which has '+', '/' or '=' and comes in lines of 76).
    const std::string_view nt(a.new_text);
    std::size_t k = 0;
    while (k < nt.size() && k < kScan) {
      if (!std::isalnum(static_cast<unsigned char>(nt[k]))) {
        ++k;
        continue;
      }
      const std::size_t b = k;
      int up = 0, lo = 0, dg = 0;
      while (k < nt.size() && std::isalnum(static_cast<unsigned char>(nt[k]))) {
        const char c = nt[k];
        up += (c >= 'A' && c <= 'Z') ? 1 : 0;
        lo += (c >= 'a' && c <= 'z') ? 1 : 0;
        dg += (c >= '0' && c <= '9') ? 1 : 0;
        ++k;
      }
      const bool glued =
          (b > 0 &&
           (nt[b - 1] == '/' || nt[b - 1] == '=' || nt[b - 1] == '+' || nt[b - 1] == '.')) ||
          (k < nt.size() && (nt[k] == '/' || nt[k] == '=' || nt[k] == '+' || nt[k] == '.'));
      if (k - b >= 150 && up >= 10 && lo >= 10 && dg >= 10 && !glued) {
        ctx.add("hash_buster_text",
                "a run of " + std::to_string(k - b) +
                    " random letters and digits: " + std::string(nt.substr(b, 40)) + "…");
        break;
      }
    }
  }
}

void detect_link_signals(Context& ctx) {
  Analysis& a = ctx.a;
  for (const auto& l : a.links) {
    if (l.text.empty()) continue;
    // Visible text that itself reads as a URL or a domain.
    std::string t = l.text;
    while (!t.empty() && std::isspace(static_cast<unsigned char>(t.back()))) t.pop_back();
    const std::string shown_host =
        content::url_host(t.find("://") == std::string::npos ? "http://" + t : t);
    if (shown_host.empty() || shown_host.find('.') == std::string::npos) continue;
    if (t.find(' ') != std::string::npos) continue;
    if (!registry::has_known_suffix(shown_host)) continue;
    // A name with an underscore is a file or an identifier ("x4xx_rfdc_ctrl.py"), not a host.
    if (shown_host.find('_') != std::string::npos) continue;
    const std::string shown = registrable(shown_host), real = registrable(l.host);
    // Behind a gateway's rewriter the link is the target it wraps: that is what the text must
    // match. Mimecast's wrapped targets cannot be read, so they are not judged.
    if (gateway_rewriter(l.host)) {
      const std::string target = wrapped_host(l.url);
      if (target.empty() || registrable(target) == shown) continue;
    }
    if (!shown.empty() && !real.empty() && shown != real) {
      ctx.add("link_text_mismatch",
              "link text " + content::defang(t) + " → " + content::defang(l.url));
      break;
    }
  }
  // IDN homographs: punycode labels whose skeleton is Latin.
  auto check_idn = [&](const std::string& host, const std::string& where) {
    if (host.find("xn--") == std::string::npos) return false;
    const std::string uni = registry::idn_to_unicode(host);
    UErrorCode st = U_ZERO_ERROR;
    USpoofChecker* sc = uspoof_open(&st);
    if (U_FAILURE(st)) return false;
    std::unique_ptr<USpoofChecker, decltype(&uspoof_close)> guard(sc, &uspoof_close);
    uspoof_setChecks(sc, USPOOF_CONFUSABLE, &st);
    char skel[512];
    const int32_t n = uspoof_getSkeletonUTF8(sc, 0, uni.c_str(), -1, skel, sizeof skel, &st);
    if (U_FAILURE(st) || n <= 0) return false;
    const std::string skeleton(skel, static_cast<std::size_t>(n));
    bool ascii = true;
    for (char c : skeleton)
      if (static_cast<unsigned char>(c) >= 0x80) ascii = false;
    if (ascii && skeleton != uni) {
      ctx.add("idn_homograph", where + " " + host + " (" + uni + ") looks like " + skeleton);
      return true;
    }
    return false;
  };
  bool idn = false;
  for (const auto& l : a.links)
    if (!idn) idn = check_idn(l.host, "link");
  if (!idn) idn = check_idn(domain_of(a.from.address), "From");
  for (const auto& r : a.reply_to)
    if (!idn) idn = check_idn(domain_of(r.address), "Reply-To");

  for (const auto& l : a.links) {
    if (ctx.lists.is_shortener(l.host) || ctx.lists.is_shortener(registrable(l.host))) {
      ctx.add("url_shortener", content::defang(l.url));
      break;
    }
    // Open redirectors: a full URL to another site inside the query string. A mail gateway's
    // rewriter (Safe Links) is the recipient's own security layer, not a redirect the sender chose.
    const std::size_t q = l.url.find('?');
    if (q != std::string::npos && !gateway_rewriter(l.host)) {
      const std::string query = util::ascii_lower(l.url.substr(q));
      for (const char* marker : {"=http%3a", "=https%3a", "=http://", "=https://", "=hxxp"}) {
        const std::size_t m = query.find(marker);
        if (m == std::string::npos) continue;
        std::string target = query.substr(m + 1);
        for (std::size_t k = 0; k + 2 < target.size(); ++k)
          if (target[k] == '%' && target[k + 1] == '3' && (target[k + 2] == 'a'))
            target.replace(k, 3, ":");
        for (std::size_t k = 0; k + 2 < target.size(); ++k)
          if (target[k] == '%' && target[k + 1] == '2' && (target[k + 2] == 'f'))
            target.replace(k, 3, "/");
        const std::string th = registrable(content::url_host(target));
        if (!th.empty() && th != registrable(l.host) && th != ctx.from_reg) {
          ctx.add("url_shortener", "redirect via " + l.host + " to " + content::defang(th));
          break;
        }
      }
    }
  }

  // Tracking beacons: tiny or hidden remote images, or well-known open-tracking paths.
  for (const auto& img : ctx.html.images) {
    if (img.src.rfind("http", 0) != 0) continue;
    const std::string s = util::ascii_lower(img.src);
    const bool tiny =
        (img.width >= 0 && img.width <= 2 && img.height >= 0 && img.height <= 2) || img.hidden;
    const bool path =
        s.find("/wf/open") != std::string::npos || s.find("/track/open") != std::string::npos ||
        s.find("/open.aspx") != std::string::npos || s.find("/e/o/") != std::string::npos ||
        s.find("pixel") != std::string::npos || s.find("/trk") != std::string::npos ||
        s.find("beacon") != std::string::npos;
    if (tiny || path) {
      const Severity sev = (ctx.bulk || ctx.mailing_list) ? Severity::kInfo : Severity::kLow;
      ctx.add("tracking_beacon", sev, content::defang(img.src));
      break;
    }
  }
}

void detect_attachment_signals(Context& ctx) {
  const Analysis& a = ctx.a;
  for (const auto& att : a.attachments) {
    const auto& in = att.inspection;
    const std::string name =
        att.filename.empty() ? "(unnamed " + att.content_type + ")" : att.filename;
    if (in.archive_encrypted) {
      std::string ev = name + ": password-protected archive";
      if (ctx.hits.text.find("パスワード") != std::string::npos ||
          ctx.hits.text.find("password") != std::string::npos)
        ev += "; the body mentions a password";
      ctx.add("encrypted_archive", ev);
    }
    // A Unix shell script attached to a post of a discussion list is how developers share a
    // fix; Windows, where most readers of malicious mail are, does not run it on a click (.bat,
    // .cmd, .ps1, .vbs and .js are other types). Outside list posts it still counts.
    const bool shared_script = ctx.list_post && in.executable && !in.executable_inside &&
                               (in.real_type.find("shellscript") != std::string::npos ||
                                in.real_type == "application/x-sh");
    if ((in.executable || in.executable_inside) && !shared_script) {
      std::string ev = name + " (" + in.real_type + ")";
      for (const auto& e : in.entries)
        if (e.executable) {
          ev = name + " contains " + e.path + (e.real_type.empty() ? "" : " (" + e.real_type + ")");
          break;
        }
      ctx.add("executable_attachment", ev);
    }
    // A mismatch matters when the real content is something that acts (program, script, page,
    // archive, document); a ".jpg" that is unknown bytes is damage, not disguise.
    auto risky = [](std::string_view t) {
      for (std::string_view k : {"dosexec",     "executable",
                                 "msdownload",  "portable-executable",
                                 "sharedlib",   "mach-binary",
                                 "x-msi",       "shortcut",
                                 "html",        "svg",
                                 "javascript",  "ecmascript",
                                 "shellscript", "x-sh",
                                 "hta",         "zip",
                                 "rar",         "7z",
                                 "iso9660",     "ms-",
                                 "msword",      "openxmlformats",
                                 "pdf",         "java-archive",
                                 "vbscript",    "powershell"})
        if (t.find(k) != std::string_view::npos) return true;
      return false;
    };
    if (in.double_extension || (in.extension_mismatch && risky(in.real_type)))
      ctx.add("extension_mismatch",
              name + ": " + (in.mismatch_detail.empty() ? "double extension" : in.mismatch_detail));
    if (in.has_macros) ctx.add("macro_document", name + " (" + in.real_type + ")");
    for (const auto& e : in.entries) {
      const std::string why = attach::name_disguise(e.path);
      if (!why.empty()) {
        ctx.add("extension_mismatch", name + " contains " + e.path + ": " + why);
        break;
      }
    }
    if (in.is_html) ctx.add("html_attachment", name + " (" + in.real_type + ")");
  }
}

}  // namespace renkei::analysis
