// renkei::analysis — the email-threat analysis engine: from raw bytes to signals, indicators and
// a verdict (SPEC 4). The engine does not know the hub exists; the hub calls it as a library.
//
// Contract: Engine::analyze() never throws and never fails: damaged input yields an Analysis with
// `errors` / `limits_hit` and whatever could still be analysed. An Engine is immutable after
// construction and may be shared by many threads; the Registry it points to must outlive it.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "attach/attach.hpp"
#include "lookalike/lookalike.hpp"
#include "mime/mime.hpp"
#include "mime/trace.hpp"
#include "registry/registry.hpp"

namespace renkei::analysis {

enum class Severity { kInfo, kLow, kMedium, kHigh };
std::string_view severity_name(Severity s);

// A stable signal definition (catalog.cpp): id, default severity, explanations in both languages.
struct SignalInfo {
  std::string_view id;
  Severity severity;
  std::string_view category;  // "header", "content", "link", "attachment"
  std::string_view en;
  std::string_view ja;
};
const std::vector<SignalInfo>& signal_catalog();
const SignalInfo* find_signal(std::string_view id);

// A header address whose domain imitates a protected one (a member's, a partner's, or a domain
// of the conversation): what the web UI draws with the differing characters marked.
struct LookalikeFinding {
  std::string domain;                   // the domain as it appears in the address (lowercase)
  std::string of;                       // the domain it imitates (Unicode form)
  std::vector<std::string> techniques;  // lookalike::technique_id values, the most telling first
  std::string owner;  // the organisation that owns `of`, "" when not in the registry
};

struct Signal {
  std::string id;
  Severity severity = Severity::kLow;
  std::string evidence;  // the header or text that triggered it, UTF-8, defanged where URL-like
};

// STIX cyber-observable type names: email-addr, domain-name, url, ipv4-addr, ipv6-addr, file.
struct Indicator {
  std::string type;
  std::string value;  // refanged (machine form)
  std::string role;  // "from", "reply_to", "return_path", "link", "received", "attachment", "body"…
  // Who controls it, decided from the analysis' evidence (docs/json-contract.md): "attacker"
  // only on evidence, "victim" (the recipients' own), "legitimate" (a registered, partner's,
  // brand's or well-known service's), else "unknown". Sharing publishes only "attacker" ones.
  std::string disposition = "unknown";
  std::string disposition_reason{};  // a stable id: "lookalike", "recipient", "registered_domain"…
  std::string disposition_detail{};  // what the reason names (imitated domain, owner), or ""
};

struct Link {
  std::string url;
  std::string text;  // anchor text ("" for links found in plain text)
  std::string host;
  std::string where = "body";  // "body", or "attachment" (a link inside an attached document)
};

struct Attachment {
  std::string filename;
  std::string content_type;
  attach::Inspection inspection;
};

struct Verdict {
  std::string klass = "unknown";      // bec, phishing, malware, scam, spam, benign, unknown
  std::optional<int> bec_type;        // 1..5 (IPA's five types) when klass == "bec"
  std::string targeting = "unknown";  // targeted, mass, unknown
  int score = 0;                      // 0..100
  std::vector<std::string> reasons;   // signal ids that produced the verdict
  // The families of evidence the reasons come from (identity, content, links, attachments,
  // infrastructure), in that order: a malicious class rests on a strong signal or on two families.
  std::vector<std::string> families;
  // Weak signals that fired alone (one family, nothing strong, nothing in the context to back
  // them), so they did not make the class malicious; empty otherwise.
  std::vector<std::string> uncorroborated;
  bool malicious() const {
    return klass == "bec" || klass == "phishing" || klass == "malware" || klass == "scam";
  }
};

// The outer message of a forwarded report (participant forwarded the suspicious mail as an
// attachment): kept as the report envelope while the inner message is analysed.
struct Envelope {
  mime::Mailbox from;
  std::string subject;
  std::string date;
  std::string text;  // what the reporter wrote
};

struct Analysis {
  std::string source;
  std::size_t size = 0;

  // The analysed message (the inner one for forwarded reports).
  std::string subject;
  std::string message_id;
  std::string date;  // as written
  std::optional<std::int64_t> date_unix;
  mime::Mailbox from;
  std::string from_trailing;  // text after the From mailbox ("secured by [mailto:…]")
  std::vector<mime::Mailbox> reply_to, to, cc, sender;
  std::string return_path;
  std::vector<mime::Mailbox> mdn_to;  // Disposition-Notification-To / Return-Receipt-To
  std::string in_reply_to;
  std::vector<std::string> references;
  std::vector<mime::ReceivedHop> received;
  std::vector<mime::AuthenticationResults> auth_results;
  // One per auth_results entry: whether the engine believed it (RFC 8601 §5: only results written
  // by the receiving system, or under an authserv-id the registry names as an organisation's
  // own) and why, in a sentence.
  struct AuthTrust {
    bool believed = false;
    std::string why;
  };
  std::vector<AuthTrust> auth_trust;
  std::string language;
  std::string text;  // body text (plain part, else HTML text), UTF-8
  std::string html;  // raw HTML of the main HTML part (UTF-8), for the viewer
  std::string new_text, quoted_text, signature;
  std::vector<Link> links;
  std::vector<std::string> remote_images;
  std::vector<Attachment> attachments;
  std::vector<mime::Header> headers;  // the analysed message's top-level headers (raw)

  std::optional<Envelope> envelope;

  std::vector<Signal> signals;
  std::vector<LookalikeFinding> lookalikes;
  std::vector<Indicator> indicators;
  Verdict verdict;

  std::vector<std::string> errors;
  std::vector<mime::LimitHit> limits_hit;
  double elapsed_ms = 0;

  bool has_signal(std::string_view id) const;
};

struct Options {
  const registry::Registry* registry = nullptr;  // identity registry; may be null
  const registry::Lists* lists = nullptr;        // shipped lists; null = Lists::builtin()
  mime::Limits mime_limits;
  attach::Limits attach_limits;
  // Time budget per message. When exceeded, the remaining expensive stages (HTML, attachments)
  // are skipped and "max_analysis_time" is reported in limits_hit.
  std::chrono::milliseconds max_analysis_time{2000};
};

class Identity;  // the registry indexed for analysis (identity.hpp)

// The curated well-known brands' own domains (Amazon, 三井住友カード, Microsoft…), indexed for
// look-alike checks: the default protected set of `renkei lookalike`, and what brand
// impersonation by domain is judged against.
const lookalike::Index& brand_domains();

// Analyses messages. Construction indexes the registry (domains for look-alike checks, VIP
// names), so build one Engine per registry version and share it between threads.
// A message's body as a viewer shows it, chosen exactly as analyze() chooses Analysis::text and
// Analysis::html (the inner message of a forwarded report; the plain part, else the HTML's text).
struct Body {
  std::string text;
  std::string html;  // raw HTML of the main HTML part (UTF-8); sanitize before showing it
};

class Engine {
 public:
  explicit Engine(Options options = {});
  Analysis analyze(std::string_view bytes, std::string source) const;
  // Only the parse and the body of analyze(): no signals, links, attachments or verdict.
  Body extract_body(std::string_view bytes) const;
  const Options& options() const { return options_; }

 private:
  Analysis run(std::string_view bytes, std::string source, bool body_only) const;

  Options options_;
  const registry::Lists* lists_;
  std::shared_ptr<const Identity> identity_;
};

// A submission that is not a mail — indicators of unauthorized communication, an incident's
// narrative and log, a malware report, a consultation (SPEC 3.1) — analysed for the indicators
// in what was written and the first kMaxReportAttachedBytes of what was attached, refanged first
// (hxxp, [.]): URLs, e-mail addresses, IPv4 and IPv6 addresses, at most kMaxReportIndicators of
// each type.
inline constexpr std::size_t kMaxReportAttachedBytes = 1u << 20;
inline constexpr std::size_t kMaxReportIndicators = 1000;
struct TextReport {
  std::vector<Indicator> indicators;  // role "text"
};
TextReport analyze_text(std::string_view free_text, std::string_view attached);
// Its JSON contract, schema "renkei.indicators/1" (docs/json-contract.md), as one line.
std::string to_json_line(const TextReport& r);

// The JSON contract (SPEC 4.6), schema "renkei.analysis/1", as one line without newline.
std::string to_json_line(const Analysis& a);

// Human-readable report for a terminal, in "en" or "ja".
std::string to_text(const Analysis& a, std::string_view lang, bool color);

}  // namespace renkei::analysis
