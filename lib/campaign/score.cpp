// Matching a mail with candidate campaigns, and the in-memory index (campaign.hpp).
#include <algorithm>
#include <array>
#include <cmath>

#include "campaign/campaign.hpp"

namespace renkei::campaign {
namespace {

constexpr std::size_t kFamilies = static_cast<std::size_t>(Family::kNote);

// The most one family can contribute, however many of its keys match.
constexpr std::array<double, kFamilies> kFamilyCap = {
    3.0,  // mailbox
    2.5,  // sender domain
    2.0,  // sender shape
    2.0,  // subject
    4.0,  // body
    2.0,  // links
    1.5,  // infrastructure
    4.0,  // attachment
    1.0,  // lure
};

// Body: the share f of the mail's MinHash bands the campaign has estimates J² (two rows per
// band), so J ≈ √f. Below kBodyMinJaccard two bodies are different texts that share phrases.
constexpr double kBodyWeight = 4.0;
constexpr double kBodyMinJaccard = 0.45;

// A campaign quiet for more than a year is less likely to be the same operation.
constexpr std::int64_t kStaleSeconds = 365LL * 24 * 3600;
constexpr double kStaleFactor = 0.75;

// Families that are something concrete the attacker reused — an address, a domain, a subject, a
// text, a link, a file — rather than a trait many attackers share (a vocabulary, a mail program,
// a hosting network, a kind of lure). Two families can tie mails only if one of them is concrete.
bool is_concrete(Family f) {
  return f == Family::kMailbox || f == Family::kSenderDomain || f == Family::kSubject ||
         f == Family::kBody || f == Family::kLinks || f == Family::kAttachment;
}

bool is_body_key(const std::string& k) {
  return k.size() > 2 && k[0] == 'B' && k[1] == ':';
}

}  // namespace

std::size_t hot_threshold(std::size_t campaigns) {
  return std::min(kHotCap, std::max(kHotMin, campaigns / 50));
}

Match score(const Features& mail, const Candidate& c) {
  std::array<double, kFamilies> sum{};
  std::size_t body_total = 0, body_shared = 0;
  bool naming_scheme = false;  // a "Q:" key: concrete although in the sender-shape family
  for (const auto& k : mail.keys) body_total += is_body_key(k) ? 1 : 0;
  for (const auto& k : c.shared_keys) {
    if (is_body_key(k)) {
      ++body_shared;
      continue;
    }
    const KeyKind kind = kind_of(k);
    if (kind.weight <= 0) continue;
    naming_scheme = naming_scheme || k.compare(0, 2, "Q:") == 0;
    sum[static_cast<std::size_t>(kind.family)] += kind.weight;
  }
  if (body_total > 0) {
    const double j = std::sqrt(static_cast<double>(body_shared) / static_cast<double>(body_total));
    if (j >= kBodyMinJaccard) sum[static_cast<std::size_t>(Family::kBody)] = kBodyWeight * j;
  }
  Match m;
  m.campaign = c.id;
  double strongest = 0;
  bool concrete = naming_scheme;
  std::vector<std::pair<double, Family>> parts;
  for (std::size_t f = 0; f < kFamilies; ++f) {
    const double v = std::min(sum[f], kFamilyCap[f]);
    if (v <= 0) continue;
    m.score += v;
    strongest = std::max(strongest, v);
    concrete = concrete || is_concrete(static_cast<Family>(f));
    parts.emplace_back(v, static_cast<Family>(f));
  }
  std::stable_sort(parts.begin(), parts.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  for (const auto& p : parts) m.families.push_back(p.second);
  if (mail.time && c.last_seen && *mail.time - *c.last_seen > kStaleSeconds) {
    m.score *= kStaleFactor;
    strongest *= kStaleFactor;
  }
  m.accepted =
      m.score >= kAcceptScore && ((parts.size() >= 2 && concrete) || strongest >= kStrongFamily);
  return m;
}

std::optional<Match> best_match(const Features& mail, const std::vector<Candidate>& candidates) {
  std::optional<Match> best;
  std::optional<std::int64_t> best_seen;
  for (const auto& c : candidates) {
    if (c.closed) continue;
    Match m = score(mail, c);
    if (!m.accepted) continue;
    const bool better =
        !best || m.score > best->score + 1e-9 ||
        (std::abs(m.score - best->score) <= 1e-9 &&
         (c.last_seen.value_or(0) > best_seen.value_or(0) ||
          (c.last_seen.value_or(0) == best_seen.value_or(0) && c.id < best->campaign)));
    if (better) {
      best = std::move(m);
      best_seen = c.last_seen;
    }
  }
  return best;
}

std::size_t Clusterer::add(const Features& mail) {
  const std::size_t hot = hot_threshold(campaigns_.size());
  std::unordered_map<std::uint32_t, std::vector<std::string>> shared;
  for (const auto& k : mail.keys) {
    if (!is_matching_key(k) && !is_body_key(k)) continue;
    const auto it = postings_.find(k);
    if (it == postings_.end() || it->second.size() >= hot) continue;
    for (const auto c : it->second) shared[c].push_back(k);
  }
  std::vector<Candidate> candidates;
  candidates.reserve(shared.size());
  for (auto& [idx, keys] : shared) {
    Candidate c;
    c.id = campaigns_[idx].id;
    c.shared_keys = std::move(keys);
    c.last_seen = campaigns_[idx].last_seen;
    candidates.push_back(std::move(c));
  }
  std::size_t idx = campaigns_.size();
  if (const auto m = best_match(mail, candidates)) {
    idx = static_cast<std::size_t>(m->campaign - 1);
  } else {
    Campaign c;
    c.id = static_cast<std::int64_t>(campaigns_.size()) + 1;
    campaigns_.push_back(std::move(c));
  }
  Campaign& camp = campaigns_[idx];
  camp.members.push_back(added_++);
  for (const auto& k : mail.keys) {
    if (++camp.keys[k] != 1) continue;
    if (!is_matching_key(k) && !is_body_key(k)) continue;
    auto& post = postings_[k];
    if (post.size() >= kHotCap) continue;  // hot for good: stop indexing it
    post.push_back(static_cast<std::uint32_t>(idx));
    ++postings_count_;
  }
  if (mail.time) {
    if (!camp.first_seen || *mail.time < *camp.first_seen) camp.first_seen = mail.time;
    if (!camp.last_seen || *mail.time > *camp.last_seen) camp.last_seen = mail.time;
  }
  return idx;
}

}  // namespace renkei::campaign
