// renkei::store — campaigns: the index of campaign features, incremental assignment and the
// analysts' corrections. Contract as in store.hpp.
//
// The store keeps, per campaign, the number of members that have each feature key
// (campaign_keys) and an index from a key to the campaigns that have it (campaign_postings),
// capped at CampaignRules::hot_cap campaigns per key, so that finding the candidates of a mail
// costs the same at ten thousand or ten million mails. What the keys mean and how a mail is
// matched is lib/campaign's business; the store is given it as CampaignRules and never decides.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/model.hpp"
#include "util/result.hpp"

namespace renkei::store {

// What the index gives the rules about one candidate campaign of a mail.
struct CampaignCandidate {
  std::int64_t id = 0;
  std::vector<std::string> shared_keys;   // the mail's matching keys the campaign has (not hot)
  std::optional<std::int64_t> last_seen;  // unix seconds
};

struct CampaignChoice {
  std::optional<std::int64_t> campaign;  // nullopt: a new campaign
  std::optional<double> score;
};

struct CampaignText {
  std::string name;
  std::string en;
  std::string ja;
};

struct CampaignRules {
  // Keys shared by this many campaigns (of `campaigns` in all) or more are ignored.
  std::function<std::size_t(std::size_t campaigns)> hot_threshold;
  std::size_t hot_cap = 40;  // no key is indexed for more campaigns than this
  // Whether a key takes part in matching (notes do not; they are kept for explanations).
  std::function<bool(std::string_view key)> indexed;
  std::function<CampaignChoice(const std::vector<std::string>& keys,
                               std::optional<std::int64_t> time,
                               const std::vector<CampaignCandidate>& candidates)>
      choose;
  std::function<CampaignText(const std::map<std::string, std::int64_t>& keys, std::int64_t members)>
      describe;
  // For mails analysed before campaigns existed: their features from the stored artefact
  // (nullopt when it cannot be read as mail).
  struct Features {
    std::vector<std::string> keys;
    std::optional<std::int64_t> time;
  };
  std::function<std::optional<Features>(const std::string& artefact)> features_of;
};

// A campaign's page lists at most this many members (the largest seen in the seeds: 185).
inline constexpr int kMaxCampaignMembersListed = 5000;

struct CampaignFilter {
  std::string text;                        // in the name
  std::optional<std::int64_t> seen_since;  // last seen at or after (unix seconds)
  std::optional<std::int64_t> seen_until;  // first seen before
  std::int64_t min_members = 1;            // 2: only series
  std::int64_t before_id = 0;              // keyset paging on id, newest first
  int limit = 50;                          // 1..500
};

class CampaignStore {
 public:
  virtual ~CampaignStore() = default;

  // Assigns the oldest analysed mail that waits for its campaign, under a lock that serialises
  // assignment across every server on the database; returns its submission id, or nullopt when
  // none waits.
  virtual Result<std::optional<std::int64_t>> assign_next_campaign(const CampaignRules& rules) = 0;
  // How many analysed mails wait for their campaign.
  virtual Result<std::int64_t> campaign_backlog() = 0;

  virtual Result<model::Campaign> campaign(std::int64_t id) = 0;
  virtual Result<std::vector<model::Campaign>> campaigns(const CampaignFilter& filter) = 0;
  virtual Result<std::vector<model::CampaignMember>> campaign_members(std::int64_t id) = 0;
  // The campaign of a submission (nullopt while it waits or when it is not a mail).
  virtual Result<std::optional<model::CampaignMembership>> campaign_of(
      std::int64_t submission_id) = 0;

  // The analysts' decisions. Each recomputes what it changes (counts, explanations) with `rules`.
  virtual Result<void> rename_campaign(std::int64_t id, std::string_view name) = 0;
  // Moves a submission into campaign `to` (nullopt: a new campaign of its own) and pins it there.
  // Returns the campaign it is now in.
  virtual Result<std::int64_t> move_to_campaign(std::int64_t submission_id,
                                                std::optional<std::int64_t> to,
                                                const CampaignRules& rules) = 0;
  virtual Result<void> pin_submission(std::int64_t submission_id, bool pinned) = 0;
  // Moves every member of `from` into `into`; `from` is left empty with merged_into set.
  virtual Result<void> merge_campaigns(std::int64_t into, std::int64_t from,
                                       const CampaignRules& rules) = 0;
  // Moves the given members of `from` into a new campaign (named `name` when given); returns it.
  virtual Result<std::int64_t> split_campaign(std::int64_t from,
                                              const std::vector<std::int64_t>& submissions,
                                              std::string_view name,
                                              const CampaignRules& rules) = 0;
};

}  // namespace renkei::store
