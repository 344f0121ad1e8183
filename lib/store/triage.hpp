// renkei::store — triage: the analysts' queue, their decisions and verdict overrides, share
// candidates, and the conversation with submitters. Contract as in store.hpp. The store keeps
// and orders; what to propose for an item is decided in lib/hub/triage.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/model.hpp"
#include "util/result.hpp"

namespace renkei::store {

// A campaign whose submissions analysts decided to share: one advisory to be (SPEC 3.4: 同等の
// 攻撃情報を1件に集約). A submission to share that is in no campaign is a candidate of its own.
struct ShareCandidate {
  std::optional<std::int64_t> campaign_id;
  std::string campaign_name;
  std::vector<std::int64_t> submissions;  // decided "share"
  std::int64_t organizations = 0;         // distinct organisations that reported the campaign
  std::int64_t reports = 0;               // its members (all of them, decided or not)
  std::string last_decided_at;
};

inline constexpr std::size_t kMaxMessageBytes = 8000;

class TriageStore {
 public:
  virtual ~TriageStore() = default;

  // Pending submissions (analysed or failed), most important first: targeted BEC, then BEC, then
  // other targeted malicious mail, then the rest of the malicious, then everything else; within a
  // tier the larger campaign (spread) first, then the newest. `offset` pages.
  virtual Result<std::vector<model::TriageItem>> triage_queue(int limit, int offset) = 0;
  virtual Result<std::int64_t> triage_pending() = 0;
  virtual Result<model::Triage> triage(std::int64_t submission_id) = 0;
  // Records a decision (kInvalidArgument for a not_shared without a known reason).
  virtual Result<void> decide(std::int64_t submission_id, const model::TriageDecision& d) = 0;
  virtual Result<std::vector<ShareCandidate>> share_candidates(int limit) = 0;
  // The conversation about a submission, oldest first. A question from the hub sets the state to
  // needs_info; an answer from the submitter puts a needs_info submission back in the queue.
  virtual Result<std::vector<model::SubmissionMessage>> messages(std::int64_t submission_id) = 0;
  virtual Result<model::SubmissionMessage> add_message(std::int64_t submission_id,
                                                       std::optional<std::int64_t> user_id,
                                                       bool from_hub, std::string_view text) = 0;
};

}  // namespace renkei::store
