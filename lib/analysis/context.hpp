// What the signal detectors share (internal to the analysis module).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "analysis/analysis.hpp"
#include "analysis/lexicon.hpp"
#include "content/content.hpp"
#include "util/text.hpp"

namespace renkei::analysis {

// A mailbox seen in the quoted thread ("From: Bob <bob@b.example>" lines, "On … Bob <…> wrote:").
struct ThreadParticipant {
  std::string name;
  std::string address;
};

struct Context {
  Context(Analysis& analysis, const registry::Registry* reg, const registry::Lists& l)
      : a(analysis), registry(reg), lists(l) {}

  Analysis& a;
  const registry::Registry* registry;
  const registry::Lists& lists;
  const Identity* identity = nullptr;  // the registry indexed (set by the engine; never null there)

  std::string from_reg;  // registrable domain of From
  bool from_freemail = false;
  bool automated_sender = false;  // no-reply / notification / form / list robot
  bool mailing_list = false;      // List-Id / List-Post / Precedence: list
  // A discussion list delivered a post addressed to it: the List-Post address is in To or Cc.
  // Marketing tools add List-Id and List-Unsubscribe (and at times List-Post) to their
  // campaigns; they do not address the mail to a list.
  bool list_post = false;
  std::string list_address;    // the List-Post mailto: address, lowercased ("" when none)
  bool bounce = false;         // a delivery status notification (multipart/report)
  bool daemon_sender = false;  // From MAILER-DAEMON / postmaster (bounces, and fake ones)
  bool bulk = false;           // sent through a bulk-mail service / Precedence: bulk
  std::string bulk_service;
  bool dkim_aligned_pass = false;  // DKIM pass for the From's registrable domain
  // The sender authenticated as an organisation (DKIM aligned with a non-free-mail From). A
  // free-mail signature only proves somebody owns that mailbox.
  // A tenant of a shared platform (x.zendesk.com) is signed by the platform, not by an
  // organisation.
  bool trusted_sender() const {
    return dkim_aligned_pass && !from_freemail && !from_shared_platform;
  }
  bool from_shared_platform = false;
  bool dmarc_pass = false;
  bool spf_pass = false;

  std::vector<ThreadParticipant> thread;  // participants of the quoted thread
  // Recipient addresses the detectors found to be the attacker's (look-alike or diverted Cc/To),
  // with the role they get as indicators.
  std::vector<std::pair<std::string, std::string>> attacker_addresses;
  bool in_thread = false;  // In-Reply-To/References or a quoted thread

  content::HtmlDoc html;
  std::string norm_subject;  // lexicon-normalised subject
  std::string norm_body;     // lexicon-normalised new text (quoted thread and disclaimers removed)
  lexicon::Hits hits;        // hits over subject + body
  std::string norm_all;      // subject + "\n" + body, the text `hits` refers to

  void add(std::string_view id, std::string evidence);
  void add(std::string_view id, Severity severity, std::string evidence);
};

// Detectors, grouped as in SPEC 4.1–4.3. Each adds zero or more signals to ctx.a.
void detect_header_signals(Context& ctx);
void detect_content_signals(Context& ctx);
void detect_link_signals(Context& ctx);
void detect_attachment_signals(Context& ctx);
// Wording-independent campaign techniques (signals_campaign.cpp): malformed From, IP and
// recipient-personalised links, free-mail contact requests, inline forwards' original sender.
// Run first by detect_content_signals so its sender checks can use them.
void detect_campaign_signals(Context& ctx);
// Look-alike letters mixed into Latin words, styled Unicode letters in the subject or name.
// folded_head / folded_body: words of the subject and sender's name / of the body written with
// look-alike letters (lexicon::normalize counts them).
void detect_obfuscation(Context& ctx, int folded_head, int folded_body);

// Verdict from signals (verdict.cpp).
Verdict decide(const Analysis& a, const Context& ctx);

// Who controls each indicator (disposition.cpp): run after decide(), it reads the verdict, the
// signals, the look-alikes and the registry, and sets Indicator::disposition and its reason.
void assign_dispositions(Analysis& a, const Context& ctx);

// Helpers shared by detectors (signals_util.cpp).
std::string registrable(std::string_view domain_or_host);
std::string domain_of(std::string_view address);
// Normalised person name for comparisons: NFKC case-fold, honorifics and titles removed,
// punctuation and spaces removed, Latin tokens sorted (so "Yamada Taro" == "Taro Yamada").
std::string name_key(std::string_view name);
// The two halves of name_key: the tokens of a normalised name without titles and honorifics, and
// the key of a run of such tokens.
std::vector<std::string> name_tokens(std::string_view normalized);
std::string key_of_tokens(std::vector<std::string> tokens);
// True when every word of a person's name appears in a display name ("Taro Yamada" in
// "Taro Yamada <t.yamada@…> secured by …"); Japanese names match without spaces.
bool name_contains(std::string_view display, std::string_view person);
// Addresses (addr-specs) that appear in free text.
std::vector<std::string> addresses_in(std::string_view text);
// A mail gateway's URL rewriter host (Microsoft Safe Links, Proofpoint URL Defense, Mimecast):
// it puts its own host in front of every link of the mail it protects.
bool gateway_rewriter(std::string_view host);
// The host of the link a gateway rewriter wraps, "" when it cannot be read (Mimecast's are
// opaque).
std::string wrapped_host(std::string_view url);
// lookalike::classify for one pair of domains, as the explanation ("" when not a lookalike).
std::string lookalike_technique(std::string_view candidate, std::string_view protected_domain);

}  // namespace renkei::analysis
