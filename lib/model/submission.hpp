// renkei::model — submissions (情報提供) and what the analysis says of them, as every layer above
// storage speaks of them (authorisation, triage, sharing, the report).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace renkei::model {

enum class SubmissionKind { kEmail, kCommunication, kIncident, kMalware, kFakeSite, kConsultation };
std::string_view kind_id(SubmissionKind k);  // "email", "communication", "incident", "malware",
                                             // "fake_site", "consultation"
std::optional<SubmissionKind> kind_from_id(std::string_view id);

// What the submitter allows the hub to do with the report (開示許可).
enum class Disclosure { kNotShared, kAnonymised, kWithName };
std::string_view disclosure_id(Disclosure d);  // "not_shared", "anonymised", "with_name"
std::optional<Disclosure> disclosure_from_id(std::string_view id);

enum class Status { kQueued, kAnalysing, kAnalysed, kFailed };
std::string_view status_id(Status s);  // "queued", "analysing", "analysed", "failed"
std::optional<Status> status_from_id(std::string_view id);

struct NewSubmission {
  std::optional<std::int64_t> org_id;  // none for an external reporter
  std::string external_reporter;       // name of a non-member reporter (J-CSIP外)
  std::optional<std::int64_t> submitted_by;
  SubmissionKind kind = SubmissionKind::kEmail;
  std::string channel = "api";  // "web", "api", "cli", "mailbox"
  Disclosure disclosure = Disclosure::kAnonymised;
  std::string consultation_category;
  std::string free_text;
  std::string artefact;  // the original bytes (an .eml, a log line…), kept exactly
};

struct Submission {
  std::int64_t id = 0;
  std::optional<std::int64_t> org_id;
  std::string external_reporter;
  std::optional<std::int64_t> submitted_by;
  SubmissionKind kind = SubmissionKind::kEmail;
  std::string channel;
  Disclosure disclosure = Disclosure::kAnonymised;
  std::string consultation_category;
  std::string free_text;
  std::string artefact_sha256;  // lowercase hex; "" when the submission has no artefact
  std::int64_t artefact_size = 0;
  Status status = Status::kQueued;
  std::string submitted_at;  // RFC 3339 UTC
  std::string analysed_at;
  std::string verdict_class;  // from the analysis ("" until analysed)
  std::string subject;        // of the analysed message, for lists and search
  std::string analysis_json;  // renkei.analysis/1 or renkei.indicators/1 ("" until analysed)
  std::string error;          // why the analysis failed
};

struct SubmitResult {
  std::int64_t id = 0;
  bool duplicate = false;  // the same bytes from the same organisation were submitted before
};

// One indicator of a submission, typed for queries (STIX cyber-observable type names).
struct IndicatorRecord {
  std::string type;   // email-addr, domain-name, url, ipv4-addr, ipv6-addr, file
  std::string value;  // machine form (refanged)
  std::string role;   // from, reply_to, link, received, attachment, body, text…
};

// One signal of a submission's analysis.
struct SignalRecord {
  std::string id;        // stable snake_case id (SPEC 4)
  std::string severity;  // info, low, medium, high
};

// A submission's analysis as the hub keeps it: the whole JSON document (the contract of
// docs/json-contract.md) plus the typed fields that triage, campaigns, sharing and the report
// query, so that no layer needs a database's JSON functions.
struct AnalysisRecord {
  std::string json;             // renkei.analysis/1 (mail) or renkei.indicators/1
  std::string verdict;          // verdict.class ("" for renkei.indicators/1)
  std::optional<int> bec_type;  // 1..5 for bec
  std::string targeting;        // targeted, mass, unknown ("" when not judged)
  std::optional<int> score;     // 0..100
  std::string subject;          // decoded UTF-8
  std::string language;         // BCP 47 of the message ("" when unknown)
  std::string from_address;     // the analysed message's From address, lowercase
  std::vector<IndicatorRecord> indicators;
  std::vector<SignalRecord> signals;
  std::string search_text;  // what full-text search should also find it by (sender, indicators)
  // The mail's body as the web UI shows it (kept so a view never re-analyses): the text, and the
  // raw HTML of the main HTML part, which is sanitized when shown.
  std::string body_text;
  std::string body_html;
  // A mail's campaign features (lib/campaign keys) and its own date (unix seconds): complete()
  // keeps them and queues the submission for campaign assignment. Empty for other kinds.
  std::vector<std::string> campaign_keys;
  std::optional<std::int64_t> mail_time;
};

// The body of an analysed mail as stored (see AnalysisRecord).
struct Body {
  std::string text;
  std::string html;
};

// How many submissions, by verdict, status and kind (for dashboards and statistics).
struct SubmissionCounts {
  std::int64_t total = 0;
  std::vector<std::pair<std::string, std::int64_t>> by_verdict;  // "" = not analysed yet
  std::vector<std::pair<std::string, std::int64_t>> by_status;
  std::vector<std::pair<std::string, std::int64_t>> by_kind;
};

}  // namespace renkei::model
