// renkei::model — campaigns (一連の攻撃): the submissions judged to come from the same attacker,
// grouped by the engine as they arrive (lib/campaign) and corrected by analysts.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace renkei::model {

struct Campaign {
  std::int64_t id = 0;
  std::string name;
  bool name_locked = false;    // an analyst named it: the engine no longer renames it
  std::string explanation_en;  // what ties it together, in words an analyst can check
  std::string explanation_ja;
  std::int64_t members = 0;
  std::int64_t organizations = 0;  // distinct submitting organisations
  std::string first_seen;          // RFC 3339 UTC of the earliest member mail ("" if none dated)
  std::string last_seen;
  std::optional<std::int64_t> merged_into;  // merged by an analyst into that campaign
  std::string created_at;
  std::string updated_at;
};

// Who put a submission in its campaign.
enum class CampaignAssigner { kEngine, kAnalyst };
std::string_view assigner_id(CampaignAssigner a);  // "engine", "analyst"

// A submission's place in its campaign, as the submission's views show it.
struct CampaignMembership {
  std::int64_t campaign_id = 0;
  std::string campaign_name;
  CampaignAssigner by = CampaignAssigner::kEngine;
  bool pinned = false;          // an analyst fixed it here: nothing automatic moves it
  std::optional<double> score;  // the engine's match score (none for the first member)
};

// One member as a campaign's page lists it (the seeds' tables 4 and 5).
struct CampaignMember {
  std::int64_t submission_id = 0;
  std::optional<std::int64_t> org_id;
  std::string org_industry;
  std::string submitted_at;
  std::string mail_time;  // the mail's own date, RFC 3339 UTC ("" if unknown)
  std::string subject;
  std::string from_address;
  std::string verdict_class;
  std::string language;
  CampaignAssigner by = CampaignAssigner::kEngine;
  bool pinned = false;
};

}  // namespace renkei::model
