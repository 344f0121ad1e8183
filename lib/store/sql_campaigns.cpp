#include <algorithm>
#include <cmath>
#include <set>
#include <unordered_map>

#include "store/sql_store.hpp"
#include "util/time.hpp"

// Campaigns: incremental assignment over the key index, and the analysts' corrections.

namespace renkei::store {

using namespace detail;  // NOLINT(google-build-using-namespace): the store's own helpers
using namespace model;   // NOLINT(google-build-using-namespace): the records this file stores

namespace {

// Every server assigns under one lock, so two mails of a new series arriving at two servers at
// once do not start two campaigns. PostgreSQL: a transaction-level advisory lock in a key space of
// its own (two int4 keys; the queue's claims use single bigint keys, which PostgreSQL keeps
// apart). SQLite: the write transaction itself (BEGIN IMMEDIATE) is the lock.
constexpr std::string_view kAssignLock = "SELECT pg_advisory_xact_lock(1919250027, 1)";

// The explanation of a campaign is written anew while it is small and then at 64, 128, 192 …
// members: reading every key of a large campaign at each arrival would make assignment cost grow
// with the campaign.
bool describe_due(std::int64_t members) {
  return members <= 64 || members % 64 == 0;
}

// "($2, $3, …)" for `n` parameters numbered from `first`.
std::string placeholders(std::size_t first, std::size_t n) {
  std::string s = "(";
  for (std::size_t i = 0; i < n; ++i) s += (i ? ", $" : "$") + std::to_string(first + i);
  return s + ")";
}

std::string iso_or_empty(const std::optional<std::int64_t>& t) {
  if (!t) return "";
  return util::rfc3339_utc(std::chrono::sys_seconds(std::chrono::seconds(*t)));
}

Result<std::vector<std::string>> features_of_submission(sql::Connection& c, std::int64_t id) {
  RENKEI_TRY(rows, c.query("SELECT key FROM submission_features WHERE submission_id = $1 ORDER BY "
                           "key",
                           {id}));
  std::vector<std::string> keys;
  while (rows.next()) keys.push_back(rows.take(0));
  return keys;
}

Result<void> store_features(sql::Connection& c, std::int64_t id,
                            const std::vector<std::string>& keys) {
  RENKEI_CHECK(c.query("DELETE FROM submission_features WHERE submission_id = $1", {id}));
  for (std::size_t from = 0; from < keys.size(); from += 100) {
    const std::size_t to = std::min(keys.size(), from + 100);
    std::string sql = "INSERT INTO submission_features (submission_id, key) VALUES ";
    std::vector<Param> params{id};
    for (std::size_t i = from; i < to; ++i) {
      params.emplace_back(keys[i]);
      sql += (i == from ? "($1, $" : ", ($1, $") + std::to_string(params.size()) + ")";
    }
    RENKEI_CHECK(c.query(sql + " ON CONFLICT DO NOTHING", params));
  }
  return {};
}

// Adds one member's keys to a campaign: counts, and the index for keys the campaign did not have
// (unless the key is already indexed for hot_cap campaigns).
Result<void> add_keys(sql::Connection& c, std::int64_t campaign,
                      const std::vector<std::string>& keys, const CampaignRules& rules) {
  if (keys.empty()) return {};
  std::vector<Param> params{campaign};
  for (const auto& k : keys) params.emplace_back(k);
  RENKEI_TRY(had, c.query("SELECT key FROM campaign_keys WHERE campaign_id = $1 AND key IN " +
                              placeholders(2, keys.size()),
                          params));
  std::set<std::string> existing;
  while (had.next()) existing.insert(had.take(0));
  std::string upsert = "INSERT INTO campaign_keys (campaign_id, key, members) VALUES ";
  for (std::size_t i = 0; i < keys.size(); ++i) {
    upsert += (i ? ", ($1, $" : "($1, $") + std::to_string(i + 2) + ", 1)";
  }
  RENKEI_CHECK(c.query(upsert + " ON CONFLICT (campaign_id, key) DO UPDATE SET members = "
                                "campaign_keys.members + 1",
                       params));
  std::vector<std::string> fresh;
  for (const auto& k : keys) {
    if (existing.count(k) == 0 && rules.indexed(k)) fresh.push_back(k);
  }
  if (fresh.empty()) return {};
  std::vector<Param> fp;
  fp.reserve(fresh.size());
  for (const auto& k : fresh) fp.emplace_back(k);
  RENKEI_TRY(counts, c.query("SELECT key, COUNT(*) FROM campaign_postings WHERE key IN " +
                                 placeholders(1, fresh.size()) + " GROUP BY key",
                             fp));
  std::unordered_map<std::string, std::int64_t> held;
  while (counts.next()) held[counts.text(0)] = counts.int64(1);
  std::vector<Param> ip{campaign};
  std::string insert = "INSERT INTO campaign_postings (key, campaign_id) VALUES ";
  for (const auto& k : fresh) {
    if (static_cast<std::size_t>(held[k]) >= rules.hot_cap) continue;  // hot for good
    ip.emplace_back(k);
    insert += (ip.size() > 2 ? ", ($" : "($") + std::to_string(ip.size()) + ", $1)";
  }
  if (ip.size() > 1) RENKEI_CHECK(c.query(insert + " ON CONFLICT DO NOTHING", ip));
  return {};
}

// Takes one member's keys out of a campaign: keys no member has any more leave the index.
Result<void> remove_keys(sql::Connection& c, std::int64_t campaign,
                         const std::vector<std::string>& keys) {
  if (keys.empty()) return {};
  std::vector<Param> params{campaign};
  for (const auto& k : keys) params.emplace_back(k);
  RENKEI_CHECK(
      c.query("UPDATE campaign_keys SET members = members - 1 WHERE campaign_id = $1 AND "
              "key IN " +
                  placeholders(2, keys.size()),
              params));
  RENKEI_CHECK(
      c.query("DELETE FROM campaign_postings WHERE campaign_id = $1 AND key IN (SELECT key "
              "FROM campaign_keys WHERE campaign_id = $1 AND members <= 0)",
              {campaign}));
  RENKEI_CHECK(
      c.query("DELETE FROM campaign_keys WHERE campaign_id = $1 AND members <= 0", {campaign}));
  return {};
}

// Writes the campaign's name (unless an analyst named it) and explanation from its keys.
Result<void> describe(sql::Connection& c, std::int64_t campaign, std::int64_t members,
                      const CampaignRules& rules) {
  RENKEI_TRY(rows,
             c.query("SELECT key, members FROM campaign_keys WHERE campaign_id = $1", {campaign}));
  std::map<std::string, std::int64_t> keys;
  while (rows.next()) keys.emplace(rows.text(0), rows.int64(1));
  const CampaignText t = rules.describe(keys, members);
  RENKEI_CHECK(
      c.query("UPDATE campaigns SET name = CASE WHEN name_locked = 1 THEN name ELSE $1 END, "
              "explanation_en = $2, explanation_ja = $3, updated_at = $4 WHERE id = $5",
              {clean_text(t.name), clean_text(t.en), clean_text(t.ja), now_rfc3339(), campaign}));
  return {};
}

// Counts and dates from the members themselves, then the explanation (after analysts' changes).
Result<void> refresh(sql::Connection& c, std::int64_t campaign, const CampaignRules& rules) {
  RENKEI_TRY(rows, c.query("SELECT COUNT(*), MIN(mail_time), MAX(mail_time) FROM submissions "
                           "WHERE campaign_id = $1",
                           {campaign}));
  rows.next();
  const std::int64_t members = rows.int64(0);
  RENKEI_CHECK(
      c.query("UPDATE campaigns SET members = $1, first_seen = $2, last_seen = $3, "
              "updated_at = $4 WHERE id = $5",
              {members, rows.opt_int64(1), rows.opt_int64(2), now_rfc3339(), campaign}));
  if (members == 0) {
    RENKEI_CHECK(
        c.query("UPDATE campaigns SET explanation_en = '', explanation_ja = '' WHERE id = "
                "$1",
                {campaign}));
    return {};
  }
  return describe(c, campaign, members, rules);
}

Result<std::int64_t> new_campaign(sql::Connection& c) {
  const std::string now = now_rfc3339();
  RENKEI_TRY(rows, c.query("INSERT INTO campaigns (created_at, updated_at) VALUES ($1, $1) "
                           "RETURNING id",
                           {now}));
  rows.next();
  return rows.int64(0);
}

// The features of a submission, computed from its stored mail when it has none yet (mails analysed
// before campaigns existed).
Result<std::vector<std::string>> features_or_compute(sql::Connection& c, std::int64_t id,
                                                     const CampaignRules& rules) {
  RENKEI_TRY(keys, features_of_submission(c, id));
  if (!keys.empty() || !rules.features_of) return keys;
  RENKEI_TRY(art, c.query("SELECT a.bytes FROM submissions s JOIN artefacts a ON a.sha256 = "
                          "s.artefact_sha256 WHERE s.id = $1 AND s.kind = 'email'",
                          {id}));
  if (!art.next()) return keys;
  const auto f = rules.features_of(art.take(0));
  if (!f) return keys;
  RENKEI_CHECK(store_features(c, id, f->keys));
  RENKEI_CHECK(c.query("UPDATE submissions SET mail_time = $1 WHERE id = $2", {f->time, id}));
  return f->keys;
}

Campaign read_campaign(Rows& r) {
  Campaign k;
  k.id = r.int64(0);
  k.name = r.text(1);
  k.name_locked = r.int64(2) != 0;
  k.explanation_en = r.text(3);
  k.explanation_ja = r.text(4);
  k.members = r.int64(5);
  k.first_seen = iso_or_empty(r.opt_int64(6));
  k.last_seen = iso_or_empty(r.opt_int64(7));
  k.merged_into = r.opt_int64(8);
  k.created_at = r.text(9);
  k.updated_at = r.text(10);
  k.organizations = r.int64(11);
  return k;
}

constexpr std::string_view kCampaignColumns =
    "SELECT c.id, c.name, c.name_locked, c.explanation_en, c.explanation_ja, c.members, "
    "c.first_seen, c.last_seen, c.merged_into, c.created_at, c.updated_at, (SELECT "
    "COUNT(DISTINCT s.org_id) FROM submissions s WHERE s.campaign_id = c.id) FROM campaigns c ";

}  // namespace

Result<std::optional<std::int64_t>> SqlStore::assign_next_campaign(const CampaignRules& rules) {
  auto c = pool_->write();
  Transaction tx(*c);
  RENKEI_CHECK(tx.begin());
  if (pg()) RENKEI_CHECK(c->query(kAssignLock));
  RENKEI_TRY(next, c->query("SELECT id FROM submissions WHERE campaign_pending = 1 ORDER BY id "
                            "LIMIT 1"));
  if (!next.next()) {
    RENKEI_CHECK(tx.commit());
    return std::optional<std::int64_t>();
  }
  const std::int64_t id = next.int64(0);
  RENKEI_TRY(keys, features_or_compute(*c, id, rules));
  RENKEI_TRY(when, c->query("SELECT mail_time FROM submissions WHERE id = $1", {id}));
  when.next();
  const std::optional<std::int64_t> time = when.opt_int64(0);

  // The candidates: campaigns that share a key that is not hot.
  std::vector<CampaignCandidate> candidates;
  std::vector<std::string> indexed;
  for (const auto& k : keys) {
    if (rules.indexed(k)) indexed.push_back(k);
  }
  if (!indexed.empty()) {
    RENKEI_TRY(total, c->query("SELECT COALESCE(MAX(id), 0) FROM campaigns"));
    total.next();
    const std::size_t hot = rules.hot_threshold(static_cast<std::size_t>(total.int64(0)));
    std::vector<Param> params;
    params.reserve(indexed.size());
    for (const auto& k : indexed) params.emplace_back(k);
    RENKEI_TRY(post, c->query("SELECT key, campaign_id FROM campaign_postings WHERE key IN " +
                                  placeholders(1, indexed.size()),
                              params));
    std::unordered_map<std::string, std::vector<std::int64_t>> by_key;
    while (post.next()) by_key[post.text(0)].push_back(post.int64(1));
    std::map<std::int64_t, std::vector<std::string>> shared;
    for (auto& [key, camps] : by_key) {
      if (camps.size() >= hot) continue;
      for (const auto camp : camps) shared[camp].push_back(key);
    }
    if (!shared.empty()) {
      std::vector<Param> ids;
      ids.reserve(shared.size());
      for (const auto& [camp, _] : shared) ids.emplace_back(camp);
      RENKEI_TRY(seen, c->query("SELECT id, last_seen FROM campaigns WHERE merged_into IS NULL AND "
                                "id IN " +
                                    placeholders(1, ids.size()),
                                ids));
      while (seen.next()) {
        CampaignCandidate cand;
        cand.id = seen.int64(0);
        cand.last_seen = seen.opt_int64(1);
        cand.shared_keys = std::move(shared[cand.id]);
        candidates.push_back(std::move(cand));
      }
    }
  }
  const CampaignChoice choice = rules.choose(keys, time, candidates);
  std::int64_t campaign = 0;
  if (choice.campaign) {
    campaign = *choice.campaign;
  } else {
    RENKEI_TRY(created, new_campaign(*c));
    campaign = created;
  }
  RENKEI_CHECK(add_keys(*c, campaign, keys, rules));
  RENKEI_CHECK(c->query(
      "UPDATE submissions SET campaign_id = $1, campaign_pending = 0, campaign_by = 'engine', "
      "campaign_score = $2 WHERE id = $3",
      {campaign,
       choice.score ? Param(static_cast<std::int64_t>(std::lround(*choice.score * 100)))
                    : Param(nullptr),
       id}));
  RENKEI_TRY(upd, c->query("UPDATE campaigns SET members = members + 1, first_seen = CASE WHEN $1 "
                           "IS NULL OR (first_seen IS NOT NULL AND first_seen <= $1) THEN "
                           "first_seen ELSE $1 END, last_seen = CASE WHEN $1 IS NULL OR "
                           "(last_seen IS NOT NULL AND last_seen >= $1) THEN last_seen ELSE $1 "
                           "END, updated_at = $2 WHERE id = $3 RETURNING members",
                           {time, now_rfc3339(), campaign}));
  upd.next();
  const std::int64_t members = upd.int64(0);
  if (describe_due(members)) RENKEI_CHECK(describe(*c, campaign, members, rules));
  RENKEI_CHECK(tx.commit());
  return std::optional<std::int64_t>(id);
}

Result<std::int64_t> SqlStore::campaign_backlog() {
  auto c = pool_->read();
  RENKEI_TRY(rows, c->query("SELECT COUNT(*) FROM submissions WHERE campaign_pending = 1"));
  rows.next();
  return rows.int64(0);
}

Result<Campaign> SqlStore::campaign(std::int64_t id) {
  auto c = pool_->read();
  RENKEI_TRY(rows, c->query(std::string(kCampaignColumns) + "WHERE c.id = $1", {id}));
  if (!rows.next()) return not_found("campaign", id);
  return read_campaign(rows);
}

Result<std::vector<Campaign>> SqlStore::campaigns(const CampaignFilter& f) {
  if (f.limit < 1 || f.limit > kMaxListLimit)
    return make_error(Errc::kInvalidArgument,
                      "limit must be between 1 and " + std::to_string(kMaxListLimit), "");
  auto c = pool_->read();
  const std::string like = "%" + clean_text(f.text) + "%";
  RENKEI_TRY(rows,
             c->query(std::string(kCampaignColumns) +
                          "WHERE c.merged_into IS NULL AND c.members >= $1 AND ($2 = 0 OR "
                          "c.id < $2) AND ($3 = '%%' OR c.name LIKE $3) AND (CAST($4 AS "
                          "BIGINT) IS NULL OR c.last_seen >= CAST($4 AS BIGINT)) AND (CAST($5 "
                          "AS BIGINT) IS NULL OR c.first_seen < CAST($5 AS BIGINT)) ORDER BY "
                          "c.id DESC LIMIT $6",
                      {f.min_members, f.before_id, like, f.seen_since, f.seen_until, f.limit}));
  std::vector<Campaign> out;
  while (rows.next()) out.push_back(read_campaign(rows));
  return out;
}

Result<std::vector<CampaignMember>> SqlStore::campaign_members(std::int64_t id) {
  auto c = pool_->read();
  RENKEI_TRY(rows, c->query("SELECT s.id, s.org_id, COALESCE(o.industry, ''), s.submitted_at, "
                            "s.mail_time, s.subject, s.from_address, s.verdict_class, s.language, "
                            "s.campaign_by, s.campaign_pinned FROM submissions s LEFT JOIN "
                            "organizations o ON o.id = s.org_id WHERE s.campaign_id = $1 ORDER BY "
                            "COALESCE(s.mail_time, 0), s.id LIMIT $2",
                            {id, kMaxCampaignMembersListed}));
  std::vector<CampaignMember> out;
  while (rows.next()) {
    CampaignMember m;
    m.submission_id = rows.int64(0);
    m.org_id = rows.opt_int64(1);
    m.org_industry = rows.text(2);
    m.submitted_at = rows.text(3);
    m.mail_time = iso_or_empty(rows.opt_int64(4));
    m.subject = rows.text(5);
    m.from_address = rows.text(6);
    m.verdict_class = rows.text(7);
    m.language = rows.text(8);
    m.by = rows.text(9) == "analyst" ? CampaignAssigner::kAnalyst : CampaignAssigner::kEngine;
    m.pinned = rows.int64(10) != 0;
    out.push_back(std::move(m));
  }
  return out;
}

Result<std::optional<CampaignMembership>> SqlStore::campaign_of(std::int64_t submission_id) {
  auto c = pool_->read();
  RENKEI_TRY(rows, c->query("SELECT s.campaign_id, c.name, s.campaign_by, s.campaign_pinned, "
                            "s.campaign_score FROM submissions s JOIN campaigns c ON c.id = "
                            "s.campaign_id WHERE s.id = $1",
                            {submission_id}));
  if (!rows.next()) return std::optional<CampaignMembership>();
  CampaignMembership m;
  m.campaign_id = rows.int64(0);
  m.campaign_name = rows.text(1);
  m.by = rows.text(2) == "analyst" ? CampaignAssigner::kAnalyst : CampaignAssigner::kEngine;
  m.pinned = rows.int64(3) != 0;
  if (!rows.is_null(4)) m.score = static_cast<double>(rows.int64(4)) / 100.0;
  return std::optional<CampaignMembership>(std::move(m));
}

Result<void> SqlStore::rename_campaign(std::int64_t id, std::string_view name) {
  const std::string clean = clean_text(name);
  if (clean.empty() || clean.size() > 200)
    return make_error(Errc::kInvalidArgument, "a campaign's name must have 1 to 200 bytes",
                      "send {\"name\": \"...\"}");
  auto c = pool_->write();
  RENKEI_TRY(rows, c->query("UPDATE campaigns SET name = $1, name_locked = 1, updated_at = $2 "
                            "WHERE id = $3",
                            {clean, now_rfc3339(), id}));
  if (rows.changed == 0) return not_found("campaign", id);
  return {};
}

Result<void> SqlStore::pin_submission(std::int64_t submission_id, bool pinned) {
  auto c = pool_->write();
  RENKEI_TRY(rows, c->query("UPDATE submissions SET campaign_pinned = $1 WHERE id = $2 AND "
                            "campaign_id IS NOT NULL",
                            {pinned ? 1 : 0, submission_id}));
  if (rows.changed == 0)
    return make_error(Errc::kNotFound,
                      "submission " + std::to_string(submission_id) + " is in no campaign",
                      "only analysed e-mails are in campaigns; wait for the analysis");
  return {};
}

Result<std::int64_t> SqlStore::move_locked(sql::Connection& c, std::int64_t submission_id,
                                           std::optional<std::int64_t> to,
                                           const CampaignRules& rules,
                                           std::set<std::int64_t>& touched) {
  RENKEI_TRY(sub, c.query("SELECT campaign_id, kind, status FROM submissions WHERE id = $1",
                          {submission_id}));
  if (!sub.next()) return not_found("submission", submission_id);
  if (sub.text(1) != "email" || sub.text(2) != "analysed")
    return make_error(Errc::kInvalidArgument,
                      "submission " + std::to_string(submission_id) +
                          " is not an analysed e-mail: only those are in campaigns",
                      "wait for its analysis");
  const std::optional<std::int64_t> from = sub.opt_int64(0);
  if (to) {
    RENKEI_TRY(target, c.query("SELECT merged_into FROM campaigns WHERE id = $1", {*to}));
    if (!target.next()) return not_found("campaign", *to);
    if (!target.is_null(0))
      return make_error(Errc::kInvalidArgument,
                        "campaign " + std::to_string(*to) + " was merged into campaign " +
                            std::to_string(target.int64(0)),
                        "move it to campaign " + std::to_string(target.int64(0)));
  }
  RENKEI_TRY(keys, features_or_compute(c, submission_id, rules));
  std::int64_t dest = 0;
  if (to) {
    dest = *to;
  } else {
    RENKEI_TRY(created, new_campaign(c));
    dest = created;
  }
  if (from && *from == dest) {
    RENKEI_CHECK(
        c.query("UPDATE submissions SET campaign_pinned = 1, campaign_by = 'analyst' "
                "WHERE id = $1",
                {submission_id}));
    return dest;
  }
  if (from) {
    RENKEI_CHECK(remove_keys(c, *from, keys));
    touched.insert(*from);
  }
  RENKEI_CHECK(add_keys(c, dest, keys, rules));
  RENKEI_CHECK(
      c.query("UPDATE submissions SET campaign_id = $1, campaign_pending = 0, campaign_by "
              "= 'analyst', campaign_pinned = 1, campaign_score = NULL WHERE id = $2",
              {dest, submission_id}));
  touched.insert(dest);
  return dest;
}

Result<std::int64_t> SqlStore::move_to_campaign(std::int64_t submission_id,
                                                std::optional<std::int64_t> to,
                                                const CampaignRules& rules) {
  auto c = pool_->write();
  Transaction tx(*c);
  RENKEI_CHECK(tx.begin());
  if (pg()) RENKEI_CHECK(c->query(kAssignLock));
  std::set<std::int64_t> touched;
  RENKEI_TRY(dest, move_locked(*c, submission_id, to, rules, touched));
  for (const auto camp : touched) RENKEI_CHECK(refresh(*c, camp, rules));
  RENKEI_CHECK(tx.commit());
  return dest;
}

Result<void> SqlStore::merge_campaigns(std::int64_t into, std::int64_t from,
                                       const CampaignRules& rules) {
  if (into == from)
    return make_error(Errc::kInvalidArgument, "a campaign cannot be merged into itself", "");
  auto c = pool_->write();
  Transaction tx(*c);
  RENKEI_CHECK(tx.begin());
  if (pg()) RENKEI_CHECK(c->query(kAssignLock));
  for (const auto id : {into, from}) {
    RENKEI_TRY(rows, c->query("SELECT merged_into FROM campaigns WHERE id = $1", {id}));
    if (!rows.next()) return not_found("campaign", id);
    if (!rows.is_null(0))
      return make_error(Errc::kInvalidArgument,
                        "campaign " + std::to_string(id) + " was already merged into campaign " +
                            std::to_string(rows.int64(0)),
                        "use campaign " + std::to_string(rows.int64(0)));
  }
  // The keys' counts add up; the index names `into` wherever it named `from`.
  RENKEI_CHECK(
      c->query("INSERT INTO campaign_keys (campaign_id, key, members) SELECT $1, key, "
               "members FROM campaign_keys WHERE campaign_id = $2 ON CONFLICT "
               "(campaign_id, key) DO UPDATE SET members = campaign_keys.members + "
               "excluded.members",
               {into, from}));
  RENKEI_CHECK(
      c->query("INSERT INTO campaign_postings (key, campaign_id) SELECT key, $1 FROM "
               "campaign_postings WHERE campaign_id = $2 ON CONFLICT DO NOTHING",
               {into, from}));
  RENKEI_CHECK(c->query("DELETE FROM campaign_postings WHERE campaign_id = $1", {from}));
  RENKEI_CHECK(c->query("DELETE FROM campaign_keys WHERE campaign_id = $1", {from}));
  RENKEI_CHECK(
      c->query("UPDATE submissions SET campaign_id = $1 WHERE campaign_id = $2", {into, from}));
  RENKEI_CHECK(c->query("UPDATE campaigns SET merged_into = $1 WHERE id = $2", {into, from}));
  RENKEI_CHECK(refresh(*c, from, rules));
  RENKEI_CHECK(refresh(*c, into, rules));
  return tx.commit();
}

Result<std::int64_t> SqlStore::split_campaign(std::int64_t from,
                                              const std::vector<std::int64_t>& submissions,
                                              std::string_view name, const CampaignRules& rules) {
  if (submissions.empty())
    return make_error(Errc::kInvalidArgument, "a split needs the submissions to take out",
                      "send {\"submissions\": [id, …]}");
  auto c = pool_->write();
  Transaction tx(*c);
  RENKEI_CHECK(tx.begin());
  if (pg()) RENKEI_CHECK(c->query(kAssignLock));
  RENKEI_TRY(dest, new_campaign(*c));
  std::set<std::int64_t> touched{from};
  for (const auto s : submissions) {
    RENKEI_TRY(in, c->query("SELECT campaign_id FROM submissions WHERE id = $1", {s}));
    if (!in.next() || in.opt_int64(0) != std::optional<std::int64_t>(from))
      return make_error(
          Errc::kInvalidArgument,
          "submission " + std::to_string(s) + " is not in campaign " + std::to_string(from),
          "split only the campaign's own members");
    RENKEI_CHECK(move_locked(*c, s, dest, rules, touched));
  }
  const std::string clean = clean_text(name);
  if (!clean.empty())
    RENKEI_CHECK(
        c->query("UPDATE campaigns SET name = $1, name_locked = 1 WHERE id = $2", {clean, dest}));
  for (const auto camp : touched) RENKEI_CHECK(refresh(*c, camp, rules));
  RENKEI_CHECK(tx.commit());
  return dest;
}

}  // namespace renkei::store
