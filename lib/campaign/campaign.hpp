// renkei::campaign — grouping analysed e-mails into campaigns (一連の攻撃, SPEC 2 and 3): the
// reports judged to come from the same attacker.
//
// One mechanism, used the same way by `renkei campaigns` (in memory) and by the hub (in the
// store): every analysed mail is reduced to a set of **feature keys** — short strings such as
// "M:relay2@secured-by-sec.com" (a sender mailbox), "S:finance m&a" (a normalised subject) or
// "B:07:3f2a…" (one band of a MinHash of the body). A campaign is the multiset of the keys of its
// members. A new mail is compared only with the campaigns that share at least one of its keys
// (an inverted index: no pairwise scans), and the comparison adds up, per family of evidence, the
// weight of the keys they share. Keys that many campaigns share say nothing about which campaign
// a mail belongs to ("hot" keys, the idea of inverse document frequency): they are ignored, and
// the store stops indexing them, so the cost of an assignment stays flat however large the store
// grows.
//
// Nothing here knows the seeds' names: the vocabulary (mail-security words, celestial names,
// service words) is general, and every weight and threshold is named in features.cpp/score.cpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace renkei::analysis {
struct Analysis;
}
namespace renkei::registry {
class Lists;
class Registry;
}  // namespace renkei::registry

namespace renkei::campaign {

// The families of evidence that tie mails together. A family counts once however many of its
// keys match (its contribution is capped), so that one kind of evidence alone rarely decides.
enum class Family : std::uint8_t {
  kMailbox,         // the same sender / Reply-To / Return-Path mailbox
  kSenderDomain,    // the same sender-side registrable domain (not free-mail, not a service)
  kSenderShape,     // local parts and domains built from the same vocabulary; generated domains
  kSubject,         // the same normalised subject, or the same subject template
  kBody,            // near-duplicate body text (MinHash bands; language independent)
  kLinks,           // link hosts and path templates
  kInfrastructure,  // first external hop, X-Mailer, sending service
  kAttachment,      // attachment hashes and name templates
  kLure,            // the same set of engine signals and verdict (language independent)
  kNote,            // kept for explanations only; never used to match
};
std::string_view family_name(Family f);

// What a key's prefix says about it (one table, features.cpp).
struct KeyKind {
  Family family = Family::kNote;
  double weight = 0;  // contribution when a campaign has the key
};
KeyKind kind_of(std::string_view key);
inline bool is_matching_key(std::string_view key) {
  return kind_of(key).weight > 0;
}

// Named limits of feature extraction (the mail is attacker-controlled).
inline constexpr std::size_t kMaxKeysPerMail = 160;
inline constexpr std::size_t kMaxKeyBytes = 200;
inline constexpr std::size_t kMaxBodyCodePoints = 6000;
inline constexpr std::size_t kMinBodyCodePoints = 40;
inline constexpr std::size_t kMinHashes = 64;
inline constexpr std::size_t kBandRows = 2;  // 32 bands of 2 rows

struct Features {
  std::vector<std::string> keys;     // sorted, unique; matching keys and notes
  std::optional<std::int64_t> time;  // unix seconds: the mail's Date, else its first Received
  bool truncated = false;            // kMaxKeysPerMail was hit
};

// The features of one analysed mail. `lists` names free-mail, bulk-mail and shared-platform
// domains, which tie nothing together; `registry` names the members' own domains (the victims'
// side: a mail to or "from" a member's real domain is not evidence about the attacker).
Features extract(const analysis::Analysis& a, const registry::Lists& lists,
                 const registry::Registry* registry = nullptr);

// ---------------------------------------------------------------------------------- matching

// A key shared by this many campaigns or more (of `campaigns` in all) is hot: ignored when
// matching, and no longer indexed for new campaigns. Small sets use the relative part (2 % of the
// campaigns, at least kHotMin), large stores the absolute cap that keeps postings bounded.
inline constexpr std::size_t kHotMin = 8;
inline constexpr std::size_t kHotCap = 40;
std::size_t hot_threshold(std::size_t campaigns);

// What the index knows of one candidate campaign: the new mail's keys it has (not hot ones).
struct Candidate {
  std::int64_t id = 0;
  std::vector<std::string> shared_keys;
  std::optional<std::int64_t> last_seen;
  bool closed = false;  // merged into another campaign: never a target
};

struct Match {
  std::int64_t campaign = 0;
  double score = 0;
  std::vector<Family> families;  // the families that contributed, strongest first
  bool accepted = false;         // above the threshold: the mail joins this campaign
};

// Scores a mail against one candidate. Accepted when the score reaches kAcceptScore and either
// one family alone is strong (kStrongFamily) or two families contributed, one of them concrete
// (a reused mailbox, domain, subject, text, link or file: not only shared traits).
inline constexpr double kAcceptScore = 3.0;
inline constexpr double kStrongFamily = 3.0;
Match score(const Features& mail, const Candidate& c);

// The best accepted candidate, or nullopt (the mail starts a new campaign). Ties go to the
// campaign seen most recently, then the lowest id (deterministic).
std::optional<Match> best_match(const Features& mail, const std::vector<Candidate>& candidates);

// ------------------------------------------------------------------------------- explanation

// What ties a campaign together, in words an analyst can check, in English and Japanese, and a
// short name. `keys` are the campaign's keys with the number of members that have each.
struct Explanation {
  std::string name;
  std::string en;
  std::string ja;
  std::vector<std::string> lines_en, lines_ja;
};
Explanation explain(const std::map<std::string, std::int64_t>& keys, std::int64_t members);

// --------------------------------------------------------------------------------- in memory

// Incremental clustering of a set of mails in memory (`renkei campaigns`, tests, benchmarks).
// Mails should be added in arrival order.
class Clusterer {
 public:
  struct Campaign {
    std::int64_t id = 0;               // 1-based, in order of creation
    std::vector<std::size_t> members;  // indexes of add() calls
    std::map<std::string, std::int64_t> keys;
    std::optional<std::int64_t> first_seen, last_seen;
  };

  // Assigns the mail, returns the index of its campaign in campaigns().
  std::size_t add(const Features& mail);
  const std::vector<Campaign>& campaigns() const { return campaigns_; }
  // Index size, for benchmarks: keys indexed and postings held.
  std::size_t indexed_keys() const { return postings_.size(); }
  std::size_t postings() const { return postings_count_; }

 private:
  std::vector<Campaign> campaigns_;
  std::unordered_map<std::string, std::vector<std::uint32_t>> postings_;
  std::size_t postings_count_ = 0;
  std::size_t added_ = 0;
};

}  // namespace renkei::campaign
