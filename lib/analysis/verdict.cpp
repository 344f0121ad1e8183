// SPEC 4.4: the verdict. Signals are grouped by what they reveal; the class is the group with
// decisive evidence, the score sums severities, and the reasons are the signals that decided.
#include <algorithm>
#include <array>
#include <span>
#include <vector>

#include "analysis/context.hpp"

namespace renkei::analysis {
namespace {

int weight(Severity s) {
  switch (s) {
    case Severity::kInfo:
      return 0;
    case Severity::kLow:
      return 6;
    case Severity::kMedium:
      return 15;
    case Severity::kHigh:
      return 30;
  }
  return 0;
}

bool in(std::string_view id, std::span<const std::string_view> ids) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

constexpr std::string_view kMalware[] = {"executable_attachment", "macro_document",
                                         "encrypted_archive", "extension_mismatch"};
constexpr std::string_view kIdentity[] = {
    "reply_to_diverges",          "cc_diverted",       "cc_lookalike",
    "sender_lookalike",           "freemail_reply_to", "freemail_embeds_identity",
    "display_name_has_address",   "from_mailto_trick", "mdn_to_other",
    "executive_impersonation",    "thread_hijack",     "signature_address_removed",
    "infrastructure_lure_address"};
constexpr std::string_view kBecContent[] = {"payment_change_request", "payment_hold_request",
                                            "acquisition_pretext", "counsel_pretext",
                                            "data_request"};
constexpr std::string_view kBecPressure[] = {"secrecy_urgency", "mobile_signoff", "crisis_pretext"};
constexpr std::string_view kPhishing[] = {
    "credential_lure",  "brand_impersonation", "link_text_mismatch",
    "idn_homograph",    "html_attachment",     "document_link_lure",
    "ip_address_link",  "recipient_in_link",   "attachment_password_in_body",
    "user_content_link"};
constexpr std::string_view kScam[] = {"fictitious_org_lure", "scam_lure",
                                      "freemail_contact_in_body", "callback_lure"};
constexpr std::string_view kInfrastructure[] = {
    "auth_failed",     "return_path_diverges",  "random_sender_domain",
    "url_shortener",   "tracking_beacon",       "homoglyph_text",
    "self_sent_spoof", "from_header_malformed", "hash_buster_text"};

// An HTML attachment named like a business document ("PO#198945.html", "Invoice.htm",
// "Confirmação de pagamento.html"): no order, invoice or remittance is sent as a web page; it is a
// login form dressed as one.
bool html_named_as_document(const Analysis& a) {
  static constexpr std::string_view kWords[] = {
      "po#",       "po_",       "po-",       "order",  "invoice",  "payment",  "remittance",
      "statement", "receipt",   "quotation", "rfq",    "contract", "document", "scan",
      "fax",       "voicemail", "pagamento", "fatura", "factura",  "rechnung", "facture",
      "請求",      "注文",      "見積",      "送金"};
  for (const auto& att : a.attachments) {
    if (!att.inspection.is_html) continue;
    const std::string n = util::ascii_lower(att.filename);
    for (std::string_view w : kWords)
      if (n.find(w) != std::string::npos) return true;
  }
  return false;
}

// The families of evidence (issue 16): a malicious class needs a strong signal, or signals of
// two families that back each other up.
std::string_view family_of(std::string_view id) {
  static constexpr std::string_view kIdentityFamily[] = {"reply_to_diverges",
                                                         "cc_diverted",
                                                         "cc_lookalike",
                                                         "sender_lookalike",
                                                         "freemail_reply_to",
                                                         "freemail_embeds_identity",
                                                         "display_name_has_address",
                                                         "from_mailto_trick",
                                                         "mdn_to_other",
                                                         "executive_impersonation",
                                                         "thread_hijack",
                                                         "signature_address_removed",
                                                         "infrastructure_lure_address",
                                                         "self_sent_spoof",
                                                         "from_header_malformed",
                                                         "brand_impersonation"};
  static constexpr std::string_view kLinksFamily[] = {
      "link_text_mismatch", "idn_homograph",     "url_shortener",      "recipient_in_link",
      "ip_address_link",    "user_content_link", "document_link_lure", "tracking_beacon"};
  static constexpr std::string_view kInfraFamily[] = {"auth_failed", "return_path_diverges",
                                                      "random_sender_domain"};
  if (in(id, kIdentityFamily)) return "identity";
  if (in(id, kLinksFamily)) return "links";
  if (in(id, kInfraFamily)) return "infrastructure";
  if (in(id, kMalware) || id == "html_attachment") return "attachments";
  if (id == "charset_mislabeled") return {};
  return "content";
}

// Signals that ordinary mail shows on its own every day: a word like "verify" in a log, an
// archive link with a Message-ID in it, a patch sent to oneself through a list, a rewritten
// link, a person writing from a second domain. Each needs another family to back it.
constexpr std::string_view kWeak[] = {
    "credential_lure",    "homoglyph_text", "recipient_in_link",         "self_sent_spoof",
    "link_text_mismatch", "thread_hijack",  "signature_address_removed", "cc_diverted",
    "mobile_signoff",     "url_shortener",  "acquisition_pretext",       "tracking_beacon",
    "secrecy_urgency",    "crisis_pretext"};

}  // namespace

namespace {

Verdict decide_class(const Analysis& a, const Context& ctx) {
  Verdict v;
  int score = 0;
  int malware = 0, identity = 0, identity_high = 0, bec_content = 0, pressure = 0, phishing = 0,
      phishing_high = 0, scam = 0, weak_scam = 0, infra = 0;
  // A disguised HTML attachment (a credential form posing as a PDF) is phishing, not malware.
  bool html_disguise = false;
  for (const auto& att : a.attachments)
    if (att.inspection.is_html &&
        (att.inspection.extension_mismatch || att.inspection.double_extension) &&
        !att.inspection.executable && !att.inspection.executable_inside &&
        !att.inspection.has_macros)
      html_disguise = true;
  for (const auto& s : a.signals) {
    score += weight(s.severity);
    const bool high = s.severity == Severity::kHigh;
    if (in(s.id, kMalware)) ++malware;
    if (s.id == "extension_mismatch" && html_disguise)
      --malware;  // an HTML page posing as a document
    if (in(s.id, kIdentity)) {
      ++identity;
      if (high) ++identity_high;
    }
    if (in(s.id, kBecContent)) ++bec_content;
    if (in(s.id, kBecPressure)) ++pressure;
    if (in(s.id, kPhishing)) {
      ++phishing;
      if (high) ++phishing_high;
    }
    if (in(s.id, kScam) && s.severity >= Severity::kMedium) ++scam;
    if (in(s.id, kScam) && s.severity == Severity::kLow) ++weak_scam;
    if (in(s.id, kInfrastructure) && s.severity >= Severity::kLow && s.id != "tracking_beacon")
      ++infra;
  }
  v.score = std::min(score, 100);

  auto reasons_from = [&](std::initializer_list<std::span<const std::string_view>> groups) {
    for (const auto& s : a.signals)
      for (const auto& g : groups)
        if (in(s.id, g) && s.severity > Severity::kInfo) {
          v.reasons.push_back(s.id);
          break;
        }
  };

  const bool exec = a.has_signal("executive_impersonation") || a.has_signal("from_mailto_trick");
  // A forged From (DMARC failed outside a list) or one built to show a phrase instead of the
  // mailbox hides who sent the mail.
  bool spoofed = a.has_signal("self_sent_spoof") || a.has_signal("from_header_malformed");
  for (const auto& s : a.signals)
    if (s.id == "auth_failed" && s.severity >= Severity::kMedium && !ctx.mailing_list)
      spoofed = true;
  // A first contact whose only call to action is a reply, and replies go to a free-mail mailbox
  // that is not the (organisation's) sender: the opener of advance-fee and romance scams.
  // The same from a free-mail sender or one that failed authentication: replies diverted to
  // another mailbox is the whole plan.
  const bool reply_only_diversion =
      a.links.empty() && a.attachments.empty() && !ctx.in_thread && !ctx.mailing_list &&
      a.has_signal("reply_to_diverges") &&
      (a.has_signal("freemail_reply_to") || a.has_signal("auth_failed") ||
       (ctx.from_freemail &&
        std::all_of(a.reply_to.begin(), a.reply_to.end(), [&](const mime::Mailbox& m) {
          return ctx.lists.is_freemail(domain_of(m.address));
        })));
  // Look-alike or invisible letters in the subject or the sender's name: a disguise no
  // legitimate sender needs.
  bool homoglyph_head = false;
  for (const auto& s : a.signals)
    if (s.id == "homoglyph_text" && s.severity == Severity::kHigh) homoglyph_head = true;
  // The sender (From or Reply-To) writes from a look-alike of a domain the hub knows to be a
  // member's or a partner's: nobody has a legitimate reason to, and it is how invoice fraud
  // reaches a member (SPEC 4.1, 5). This decides on its own, whatever the wording.
  bool imitates_member = false;
  {
    std::vector<std::string> sender_domains{util::ascii_lower(domain_of(a.from.address))};
    for (const auto& r : a.reply_to)
      sender_domains.push_back(util::ascii_lower(domain_of(r.address)));
    for (const auto& f : a.lookalikes)
      if (!f.owner.empty() &&
          std::find(sender_domains.begin(), sender_domains.end(), f.domain) != sender_domains.end())
        imitates_member = true;
  }
  if (malware > 0) {
    v.klass = "malware";
    reasons_from({kMalware, kPhishing});
  } else if ((bec_content > 0 && (identity > 0 || pressure > 0)) || identity_high >= 2 || exec ||
             (bec_content >= 2) || (identity_high >= 1 && (pressure > 0 || bec_content > 0)) ||
             (imitates_member && phishing == 0)) {
    v.klass = "bec";
    reasons_from({kIdentity, kBecContent, kBecPressure});
    // Who is impersonated decides the type: an executive (CEO fraud, type 2), a lawyer or an
    // authority writing themselves (type 3), a partner (type 1).
    static const char* const kTitles[] = {"ceo",   "president",  "chairman", "managing director",
                                          "社長",  "代表取締役", "会長",     "cfo",
                                          "取締役"};
    const std::string name = util::ascii_lower(a.from.name);
    bool exec_title = false;
    for (const char* t : kTitles)
      if (name.find(t) != std::string::npos) exec_title = true;
    const bool exec_cues = exec || exec_title || a.has_signal("mobile_signoff");
    if (a.has_signal("data_request"))
      v.bec_type = 5;
    else if (exec_cues)
      v.bec_type = 2;
    else if (a.has_signal("counsel_pretext"))
      v.bec_type = 3;
    else if (a.has_signal("acquisition_pretext"))
      v.bec_type = 2;
    else if (identity == 0 && (ctx.dkim_aligned_pass || ctx.dmarc_pass))
      v.bec_type = 4;  // the real account asks for the change: likely compromised
    else
      v.bec_type = 1;
  } else if (phishing_high > 0 ||
             (phishing > 0 && (infra > 0 || identity > 0 || scam > 0 || weak_scam > 0)) ||
             phishing >= 2 || (a.has_signal("credential_lure") && !ctx.trusted_sender()) ||
             a.has_signal("document_link_lure") || a.has_signal("recipient_in_link") ||
             (a.has_signal("thread_hijack") && !a.links.empty()) || html_disguise ||
             // A sender that shows another address in its name, with a link or a file to open.
             (!ctx.in_thread && (!a.links.empty() || !a.attachments.empty()) &&
              (a.has_signal("from_mailto_trick") ||
               std::any_of(a.signals.begin(), a.signals.end(),
                           [](const Signal& s) {
                             return s.id == "display_name_has_address" &&
                                    s.severity == Severity::kHigh &&
                                    s.evidence.rfind("From:", 0) == 0;
                           }))) ||
             // An HTML page attached by a stranger is a login form waiting to be opened.
             (a.has_signal("html_attachment") && !ctx.in_thread &&
              (ctx.from_freemail || a.has_signal("auth_failed") || identity > 0 ||
               html_named_as_document(a)))) {
    v.klass = "phishing";
    reasons_from({kPhishing, kIdentity, kInfrastructure});
  } else if (scam > 0 || (weak_scam > 0 && (infra > 0 || identity > 0 || pressure > 0)) ||
             reply_only_diversion) {
    v.klass = "scam";
    reasons_from({kScam, kIdentity, kInfrastructure, kBecPressure});
  } else if (spoofed &&
             (a.has_signal("return_path_diverges") || a.has_signal("reply_to_diverges") ||
              !a.links.empty() || weak_scam > 0 || a.has_signal("homoglyph_text"))) {
    // The From domain is forged (the receiving system's DMARC failed, outside a mailing list)
    // and the mail carries the traits of a campaign: a fraud whatever its wording.
    v.klass = phishing > 0 ? "phishing" : "scam";
    reasons_from({kInfrastructure, kScam, kIdentity, kPhishing});
  } else if ((a.has_signal("homoglyph_text") || a.has_signal("hash_buster_text")) &&
             (weak_scam > 0 || phishing > 0 || infra >= 2 || homoglyph_head)) {
    v.klass = phishing > 0 ? "phishing" : "scam";
    reasons_from({kInfrastructure, kScam, kPhishing});
  } else if (v.score >= 45 && (identity_high > 0 || phishing > 0)) {
    v.klass = phishing > 0 ? "phishing" : "scam";
    reasons_from({kPhishing, kIdentity, kInfrastructure, kBecPressure});
  } else if (v.score >= 20 && infra >= 2) {
    v.klass = "spam";
    reasons_from({kInfrastructure, kIdentity});
  } else {
    v.klass = "benign";
  }
  if (v.klass == "benign" && a.signals.empty() && a.from.address.empty() && a.headers.empty())
    v.klass = "unknown";

  // Targeting: the hub shares targeted attacks, not mass-mailed ones.
  const std::size_t recipients = a.to.size() + a.cc.size();
  const bool mass_markers = ctx.bulk || ctx.mailing_list || recipients > 10;
  if (v.klass == "bec" || a.has_signal("executive_impersonation") ||
      a.has_signal("sender_lookalike") || a.has_signal("cc_lookalike") ||
      a.has_signal("thread_hijack")) {
    v.targeting = "targeted";
  } else if (v.klass == "phishing" || v.klass == "scam" || v.klass == "spam" ||
             v.klass == "malware" || mass_markers) {
    // Malware and brand phishing are mailed widely unless something shows a chosen target.
    v.targeting = mass_markers || a.has_signal("brand_impersonation") || v.klass != "phishing"
                      ? "mass"
                      : "unknown";
  }
  if (v.klass == "benign") v.targeting = "unknown";
  return v;
}

}  // namespace

Verdict decide(const Analysis& a, const Context& ctx) {
  Verdict v = decide_class(a, ctx);
  static constexpr std::string_view kFamilies[] = {"identity", "content", "links", "attachments",
                                                   "infrastructure"};
  auto add_family = [&](std::vector<std::string>& out, std::string_view f) {
    if (!f.empty() && std::find(out.begin(), out.end(), f) == out.end()) out.emplace_back(f);
  };
  std::vector<std::string> fams;
  for (const auto& r : v.reasons) add_family(fams, family_of(r));
  for (std::string_view f : kFamilies)
    if (std::find(fams.begin(), fams.end(), f) != fams.end()) v.families.emplace_back(f);
  if (!v.malicious()) return v;

  // One weak signal, or weak signals of one family, with nothing strong beside them: ordinary
  // mail shows that every day, and list mail most of all (patches sent to oneself with the list
  // in Cc, archive links, rewritten links, "verify" in a log). On a post a discussion list
  // delivered (addressed to the list's List-Post address) such a signal needs a second family. From
  // a stranger writing directly, the context itself backs it: phishing_pot's tune half has mail
  // that rests on one such signal (a link whose text shows another site, the reader's address in a
  // query), and so do authenticated newsletters that are phishing, so the rule is not extended to
  // them without data that says so.
  std::vector<std::string> weak, families;
  bool strong = false;
  for (const auto& s : a.signals) {
    if (s.severity == Severity::kInfo) continue;
    const std::string_view f = family_of(s.id);
    if (f.empty()) continue;
    add_family(families, f);
    if (in(s.id, kWeak))
      add_family(weak, s.id);
    else
      strong = true;
  }
  if (strong || families.size() >= 2 || weak.empty() || !ctx.list_post) return v;
  v.uncorroborated = weak;
  v.reasons.clear();
  v.families.clear();
  v.bec_type.reset();
  v.klass = "benign";
  v.targeting = "unknown";
  return v;
}

}  // namespace renkei::analysis
