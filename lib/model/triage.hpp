// renkei::model — triage (SPEC 3.3): what an analyst decided about a submission, the verdict they
// confirmed or corrected, and the questions asked of the submitter.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace renkei::model {

enum class TriageState {
  kPending,    // waiting for an analyst (the queue)
  kShare,      // to be shared: part of its campaign's share candidate
  kNotShared,  // 情報共有対象としない, with a reason
  kNeedsInfo,  // a question waits for the submitter's answer
};
std::string_view triage_state_id(TriageState s);  // "pending", "share", "not_shared", "needs_info"
std::optional<TriageState> triage_state_from_id(std::string_view id);

// Why a submission is not shared (SPEC 3.3).
bool is_not_shared_reason(std::string_view r);  // mass_mailed, not_an_attack, duplicate,
                                                // insufficient_information

struct VerdictOverride {
  std::string klass;            // "" = the engine's class stands
  std::optional<int> bec_type;  // 1..5
  std::string targeting;        // "" = the engine's
};

struct Triage {
  TriageState state = TriageState::kPending;
  std::string reason;  // for kNotShared
  std::string note;    // the analyst's, for hub staff
  std::optional<std::int64_t> by;
  std::string at;  // RFC 3339 ("" while pending and never decided)
  VerdictOverride override_verdict;
};

struct TriageDecision {
  TriageState state = TriageState::kPending;
  std::string reason;
  std::string note;
  std::optional<VerdictOverride> override_verdict;  // nullopt: leave as it is
  std::int64_t by = 0;
};

// One line of the conversation between the hub and the submitter about a submission.
struct SubmissionMessage {
  std::int64_t id = 0;
  std::optional<std::int64_t> user_id;
  bool from_hub = false;
  std::string text;
  std::string at;
};

// What the triage queue shows of a submission.
struct TriageItem {
  std::int64_t submission_id = 0;
  std::optional<std::int64_t> org_id;
  std::string kind;
  std::string status;
  std::string submitted_at;
  std::string subject;
  std::string from_address;
  std::string verdict;  // the engine's
  std::optional<int> bec_type;
  std::string targeting;
  std::optional<int> score;
  VerdictOverride override_verdict;
  std::optional<std::int64_t> campaign_id;
  std::string campaign_name;
  std::int64_t campaign_members = 0;
  std::int64_t campaign_organizations = 0;
  // The decision already taken on another member of the same campaign, if any: "share" or
  // "not_shared:<reason>".
  std::string campaign_decision;
  std::int64_t indicators = 0;
};

}  // namespace renkei::model
