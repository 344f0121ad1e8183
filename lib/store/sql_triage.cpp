#include <map>

#include "store/sql_store.hpp"

// Triage: the queue, decisions and verdict overrides, share candidates, questions and answers.

namespace renkei::store {

using namespace detail;  // NOLINT(google-build-using-namespace): the store's own helpers
using namespace model;   // NOLINT(google-build-using-namespace): the records this file stores

namespace {

// The class an analyst confirmed or set, else the engine's.
constexpr std::string_view kEffectiveClass =
    "(CASE WHEN s.override_class <> '' THEN s.override_class ELSE s.verdict_class END)";
constexpr std::string_view kEffectiveTargeting =
    "(CASE WHEN s.override_targeting <> '' THEN s.override_targeting ELSE s.targeting END)";

bool known_class(std::string_view c) {
  return c == "bec" || c == "phishing" || c == "malware" || c == "scam" || c == "spam" ||
         c == "benign" || c == "unknown";
}

}  // namespace

Result<std::vector<TriageItem>> SqlStore::triage_queue(int limit, int offset) {
  if (limit < 1 || limit > kMaxListLimit || offset < 0)
    return make_error(
        Errc::kInvalidArgument,
        "limit must be between 1 and " + std::to_string(kMaxListLimit) + " and offset at least 0",
        "");
  auto c = pool_->read();
  const std::string cls(kEffectiveClass), tgt(kEffectiveTargeting);
  const std::string tier =
      "CASE WHEN " + cls + " = 'bec' AND " + tgt + " = 'targeted' THEN 0 WHEN " + cls +
      " = 'bec' THEN 1 WHEN " + cls + " IN ('phishing', 'malware', 'scam') AND " + tgt +
      " = 'targeted' THEN 2 WHEN " + cls + " IN ('phishing', 'malware', 'scam') THEN 3 ELSE 4 END";
  RENKEI_TRY(
      rows,
      c->query(
          "SELECT s.id, s.org_id, s.kind, s.status, s.submitted_at, s.subject, s.from_address, "
          "s.verdict_class, s.bec_type, s.targeting, s.score, s.override_class, "
          "s.override_bec_type, s.override_targeting, s.campaign_id, COALESCE(k.name, ''), "
          "COALESCE(k.members, 0), (SELECT COUNT(*) FROM submission_indicators i WHERE "
          "i.submission_id = s.id) FROM submissions s LEFT JOIN campaigns k ON k.id = "
          "s.campaign_id WHERE s.triage_state = 'pending' AND s.status IN ('analysed', 'failed') "
          "ORDER BY " +
              tier + ", COALESCE(k.members, 0) DESC, s.id DESC LIMIT $1 OFFSET $2",
          {limit, offset}));
  std::vector<TriageItem> out;
  std::map<std::int64_t, std::size_t> by_campaign;
  while (rows.next()) {
    TriageItem t;
    t.submission_id = rows.int64(0);
    t.org_id = rows.opt_int64(1);
    t.kind = rows.text(2);
    t.status = rows.text(3);
    t.submitted_at = rows.text(4);
    t.subject = rows.text(5);
    t.from_address = rows.text(6);
    t.verdict = rows.text(7);
    if (!rows.is_null(8)) t.bec_type = static_cast<int>(rows.int64(8));
    t.targeting = rows.text(9);
    if (!rows.is_null(10)) t.score = static_cast<int>(rows.int64(10));
    t.override_verdict.klass = rows.text(11);
    if (!rows.is_null(12)) t.override_verdict.bec_type = static_cast<int>(rows.int64(12));
    t.override_verdict.targeting = rows.text(13);
    t.campaign_id = rows.opt_int64(14);
    t.campaign_name = rows.text(15);
    t.campaign_members = rows.int64(16);
    t.indicators = rows.int64(17);
    out.push_back(std::move(t));
  }
  // What was already decided in each campaign on the page, and how many organisations it spans.
  for (auto& t : out) {
    if (!t.campaign_id) continue;
    RENKEI_TRY(d, c->query("SELECT triage_state, triage_reason FROM submissions WHERE "
                           "campaign_id = $1 AND triage_state IN ('share', 'not_shared') ORDER BY "
                           "triage_at DESC LIMIT 1",
                           {*t.campaign_id}));
    if (d.next()) t.campaign_decision = d.text(0) == "share" ? "share" : "not_shared:" + d.text(1);
    RENKEI_TRY(o, c->query("SELECT COUNT(DISTINCT org_id) FROM submissions WHERE campaign_id = $1",
                           {*t.campaign_id}));
    o.next();
    t.campaign_organizations = o.int64(0);
  }
  return out;
}

Result<std::int64_t> SqlStore::triage_pending() {
  auto c = pool_->read();
  RENKEI_TRY(rows, c->query("SELECT COUNT(*) FROM submissions WHERE triage_state = 'pending' AND "
                            "status IN ('analysed', 'failed')"));
  rows.next();
  return rows.int64(0);
}

Result<Triage> SqlStore::triage(std::int64_t submission_id) {
  auto c = pool_->read();
  RENKEI_TRY(rows, c->query("SELECT triage_state, triage_reason, triage_note, triage_by, "
                            "COALESCE(triage_at, ''), override_class, override_bec_type, "
                            "override_targeting FROM submissions WHERE id = $1",
                            {submission_id}));
  if (!rows.next()) return not_found("submission", submission_id);
  Triage t;
  t.state = triage_state_from_id(rows.text(0)).value_or(TriageState::kPending);
  t.reason = rows.text(1);
  t.note = rows.text(2);
  t.by = rows.opt_int64(3);
  t.at = rows.text(4);
  t.override_verdict.klass = rows.text(5);
  if (!rows.is_null(6)) t.override_verdict.bec_type = static_cast<int>(rows.int64(6));
  t.override_verdict.targeting = rows.text(7);
  return t;
}

Result<void> SqlStore::decide(std::int64_t submission_id, const TriageDecision& d) {
  if (d.state == TriageState::kNotShared && !is_not_shared_reason(d.reason))
    return make_error(Errc::kInvalidArgument, "a submission not shared needs a reason",
                      "reason: mass_mailed, not_an_attack, duplicate or insufficient_information");
  if (d.override_verdict) {
    const auto& v = *d.override_verdict;
    if (!v.klass.empty() && !known_class(v.klass))
      return make_error(Errc::kInvalidArgument, "unknown verdict class \"" + v.klass + "\"",
                        "use bec, phishing, malware, scam, spam, benign or unknown");
    if (v.bec_type && (*v.bec_type < 1 || *v.bec_type > 5))
      return make_error(Errc::kInvalidArgument, "bec_type is 1 to 5 (IPA's five types)", "");
    if (!v.targeting.empty() && v.targeting != "targeted" && v.targeting != "mass" &&
        v.targeting != "unknown")
      return make_error(Errc::kInvalidArgument, "targeting is targeted, mass or unknown", "");
  }
  auto c = pool_->write();
  Transaction tx(*c);
  RENKEI_CHECK(tx.begin());
  RENKEI_TRY(rows, c->query("UPDATE submissions SET triage_state = $1, triage_reason = $2, "
                            "triage_note = $3, triage_by = $4, triage_at = $5 WHERE id = $6",
                            {triage_state_id(d.state),
                             d.state == TriageState::kNotShared ? d.reason : std::string(),
                             clean_text(d.note), d.by, now_rfc3339(), submission_id}));
  if (rows.changed == 0) return not_found("submission", submission_id);
  if (d.override_verdict) {
    const auto& v = *d.override_verdict;
    RENKEI_CHECK(c->query(
        "UPDATE submissions SET override_class = $1, override_bec_type = $2, "
        "override_targeting = $3 WHERE id = $4",
        {v.klass, v.bec_type ? Param(*v.bec_type) : Param(nullptr), v.targeting, submission_id}));
  }
  return tx.commit();
}

Result<std::vector<ShareCandidate>> SqlStore::share_candidates(int limit) {
  if (limit < 1 || limit > kMaxListLimit)
    return make_error(Errc::kInvalidArgument,
                      "limit must be between 1 and " + std::to_string(kMaxListLimit), "");
  auto c = pool_->read();
  RENKEI_TRY(rows, c->query("SELECT s.id, s.campaign_id, COALESCE(k.name, ''), COALESCE(k.members, "
                            "1), s.triage_at FROM submissions s LEFT JOIN campaigns k ON k.id = "
                            "s.campaign_id WHERE s.triage_state = 'share' ORDER BY s.triage_at "
                            "DESC, s.id DESC"));
  std::vector<ShareCandidate> out;
  std::map<std::int64_t, std::size_t> index;  // campaign -> position in out
  while (rows.next()) {
    const auto camp = rows.opt_int64(1);
    if (camp) {
      if (const auto it = index.find(*camp); it != index.end()) {
        out[it->second].submissions.push_back(rows.int64(0));
        continue;
      }
      if (out.size() >= static_cast<std::size_t>(limit)) continue;
      index[*camp] = out.size();
    } else if (out.size() >= static_cast<std::size_t>(limit)) {
      continue;
    }
    ShareCandidate sc;
    sc.campaign_id = camp;
    sc.campaign_name = rows.text(2);
    sc.reports = rows.int64(3);
    sc.last_decided_at = rows.text(4);
    sc.submissions.push_back(rows.int64(0));
    out.push_back(std::move(sc));
  }
  for (auto& sc : out) {
    RENKEI_TRY(o, sc.campaign_id
                      ? c->query("SELECT COUNT(DISTINCT org_id) FROM submissions WHERE "
                                 "campaign_id = $1",
                                 {*sc.campaign_id})
                      : c->query("SELECT COUNT(DISTINCT org_id) FROM submissions WHERE id = $1",
                                 {sc.submissions.front()}));
    o.next();
    sc.organizations = o.int64(0);
  }
  return out;
}

Result<std::vector<SubmissionMessage>> SqlStore::messages(std::int64_t submission_id) {
  auto c = pool_->read();
  RENKEI_TRY(rows, c->query("SELECT id, user_id, from_hub, text, at FROM submission_messages "
                            "WHERE submission_id = $1 ORDER BY id",
                            {submission_id}));
  std::vector<SubmissionMessage> out;
  while (rows.next())
    out.push_back(
        {rows.int64(0), rows.opt_int64(1), rows.int64(2) != 0, rows.text(3), rows.text(4)});
  return out;
}

Result<SubmissionMessage> SqlStore::add_message(std::int64_t submission_id,
                                                std::optional<std::int64_t> user_id, bool from_hub,
                                                std::string_view text) {
  const std::string clean = clean_text(text);
  if (clean.empty() || clean.size() > kMaxMessageBytes)
    return make_error(Errc::kInvalidArgument,
                      "a message has 1 to " + std::to_string(kMaxMessageBytes) + " bytes",
                      "send {\"text\": \"...\"}");
  auto c = pool_->write();
  Transaction tx(*c);
  RENKEI_CHECK(tx.begin());
  const std::string now = now_rfc3339();
  // A question puts the submission on hold for the answer; an answer puts it back in the queue.
  RENKEI_TRY(upd, c->query(from_hub ? "UPDATE submissions SET triage_state = 'needs_info', "
                                      "triage_at = $2 WHERE id = $1"
                                    : "UPDATE submissions SET triage_state = CASE WHEN "
                                      "triage_state = 'needs_info' THEN 'pending' ELSE "
                                      "triage_state END WHERE id = $1 AND $2 <> ''",
                           {submission_id, now}));
  if (upd.changed == 0) return not_found("submission", submission_id);
  RENKEI_TRY(rows, c->query("INSERT INTO submission_messages (submission_id, user_id, from_hub, "
                            "text, at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
                            {submission_id, user_id, from_hub ? 1 : 0, clean, now}));
  rows.next();
  SubmissionMessage m{rows.int64(0), user_id, from_hub, clean, now};
  RENKEI_CHECK(tx.commit());
  return m;
}

}  // namespace renkei::store
