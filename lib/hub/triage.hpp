// renkei::hub triage — the decision the hub proposes for a submission in the analysts' queue
// (SPEC 3.3): share (targeted attacks), not shared with the reason (mass-mailed malware mail and
// spam, what is not an attack), the decision already taken for its campaign, or an analyst's
// review when nothing decides it. The analyst confirms or overrides; nothing is decided alone.
#pragma once

#include <string>

#include "model/model.hpp"

namespace renkei::hub {

struct Proposal {
  model::TriageState decision = model::TriageState::kPending;  // kPending: review, no proposal
  std::string reason;                                          // for kNotShared
  std::string why_en;
  std::string why_ja;
};

Proposal propose(const model::TriageItem& item);

}  // namespace renkei::hub
