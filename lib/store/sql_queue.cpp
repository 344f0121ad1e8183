#include "store/sql_store.hpp"
#include "util/text.hpp"

// The analysis queue: claiming work, completing and failing it, giving back abandoned claims.
#include <algorithm>
#include <set>
#include <string>
#include <tuple>
#include <vector>

namespace renkei::store {

using namespace detail;  // NOLINT(google-build-using-namespace): the store's own helpers
using namespace model;   // NOLINT(google-build-using-namespace): the records this file stores

namespace {

constexpr std::size_t kRowsPerInsert = 100;

// INSERT INTO `table_and_columns` VALUES ($1, …), (…): `id` first in every row, then each row's
// values (all rows of one width), kRowsPerInsert rows per statement.
Result<void> insert_rows(sql::Connection& c, std::string_view table_and_columns, std::int64_t id,
                         const std::vector<std::vector<std::string>>& rows) {
  for (std::size_t from = 0; from < rows.size(); from += kRowsPerInsert) {
    const std::size_t to = std::min(rows.size(), from + kRowsPerInsert);
    std::string statement = "INSERT INTO " + std::string(table_and_columns) + " VALUES ";
    std::vector<Param> params{id};
    for (std::size_t r = from; r < to; ++r) {
      statement += r == from ? "($1" : ", ($1";
      for (const auto& v : rows[r]) {
        params.emplace_back(v);
        statement += ", $" + std::to_string(params.size());
      }
      statement += ")";
    }
    RENKEI_CHECK(c.query(statement, params));
  }
  return {};
}

}  // namespace

Result<std::optional<Claimed>> SqlStore::claim_next(std::string_view worker) {
  auto c = pool_->queue();
  Transaction tx(*c);
  RENKEI_CHECK(tx.begin());  // SQLite: IMMEDIATE, one claimer at a time across processes
  // PostgreSQL: SKIP LOCKED lets several servers claim side by side, each a different row.
  RENKEI_TRY(
      rows,
      c->query(std::string(
                   "UPDATE submissions SET status = 'analysing', claimed_by = $1, claimed_at = $2, "
                   "attempts = attempts + 1 WHERE id = (SELECT id FROM submissions WHERE status = "
                   "'queued' "
                   "ORDER BY id LIMIT 1") +
                   (pg() ? " FOR UPDATE SKIP LOCKED" : "") +
                   ") RETURNING id, kind, attempts, free_text, artefact_sha256",
               {clean_text(worker), now_rfc3339()}));
  if (!rows.next()) return std::optional<Claimed>();
  Claimed job;
  job.id = rows.int64(0);
  job.kind = kind_from_id(rows.text(1)).value_or(SubmissionKind::kEmail);
  job.attempts = static_cast<int>(rows.int64(2));
  job.free_text = rows.take(3);
  // PostgreSQL: the claim is also held by this connection, for as long as it lives, with a
  // session-level advisory lock — taken before the claim commits, so no sweep on another server
  // ever sees the claim without its lock. requeue_stale() leaves a held claim alone and gives it
  // back at once when this process dies. (Session locks outlive the transaction they are taken
  // in; on failure the lock is let go here.)
  bool locked = false;
  if (pg()) {
    RENKEI_CHECK(c->query("SELECT pg_advisory_lock($1)", {job.id}));
    locked = true;
  }
  auto finish = [&]() -> Result<void> {
    if (!rows.is_null(4)) {
      RENKEI_TRY(art, c->query("SELECT bytes FROM artefacts WHERE sha256 = $1", {rows.text(4)}));
      if (art.next()) job.artefact = art.take(0);
    }
    return tx.commit();
  };
  if (auto done = finish(); !done) {
    tx.rollback();  // the claim is undone; then its lock is let go (outside the failed
                    // transaction)
    if (locked) (void)c->query("SELECT pg_advisory_unlock($1)", {job.id});
    return tl::unexpected(done.error());
  }
  return std::optional<Claimed>(std::move(job));
}

Result<void> SqlStore::complete(std::int64_t id, const model::AnalysisRecord& a) {
  auto c = pool_->queue();
  Transaction tx(*c);
  RENKEI_CHECK(tx.begin());
  const std::string clean_subject = clean_text(a.subject);
  const std::string from = util::ascii_lower(clean_text(a.from_address));
  const std::string search_tail = clean_text(a.search_text);
  // PostgreSQL keeps the searchable text in the row (subject, free text, what the analysis
  // found): set in the same statement. SQLite's FTS5 table is written after it.
  RENKEI_TRY(
      rows,
      c->query(std::string("UPDATE submissions SET status = 'analysed', "
                           "analysis_json = $1, verdict_class = $2, subject = $3, "
                           "analysed_at = $4, error = '', claimed_by = NULL, "
                           "bec_type = $5, targeting = $6, score = $7, language = $8, "
                           "from_address = $9") +
                   (pg() ? ", search_text = $3 || chr(10) || free_text || chr(10) || $11" : "") +
                   " WHERE id = $10 RETURNING free_text",
               {clean_text(a.json), clean_text(a.verdict), clean_subject, now_rfc3339(),
                a.bec_type ? Param(*a.bec_type) : Param(nullptr), clean_text(a.targeting),
                a.score ? Param(*a.score) : Param(nullptr), clean_text(a.language), from, id,
                search_tail}));
  if (!rows.next()) return not_found("submission", id);
  if (!pg())
    RENKEI_CHECK(set_search_text(*c, id, clean_subject + "\n" + rows.text(0) + "\n" + search_tail));
  // The typed parts are written anew: a submission analysed again replaces what it had
  // (PostgreSQL: one statement for the three tables).
  if (pg())
    RENKEI_CHECK(c->query(
        "WITH i AS (DELETE FROM submission_indicators WHERE submission_id = $1), s AS (DELETE "
        "FROM submission_signals WHERE submission_id = $1) DELETE FROM submission_bodies WHERE "
        "submission_id = $1",
        {id}));
  else
    for (const char* sql : {"DELETE FROM submission_indicators WHERE submission_id = $1",
                            "DELETE FROM submission_signals WHERE submission_id = $1",
                            "DELETE FROM submission_bodies WHERE submission_id = $1"})
      RENKEI_CHECK(c->query(sql, {id}));
  // Each (type, value, role) and each signal once, within the named limits, written as
  // multi-row INSERTs (one round trip per kRowsPerInsert rows, not one per row).
  std::set<std::tuple<std::string, std::string, std::string>> seen;
  std::vector<std::vector<std::string>> typed;
  for (const auto& i : a.indicators) {
    if (seen.size() >= kMaxIndicatorsKept) break;
    auto key = std::tuple{clean_text(i.type), clean_text(i.value), clean_text(i.role)};
    if (std::get<0>(key).empty() || std::get<1>(key).empty() || !seen.insert(key).second) continue;
    typed.push_back({std::get<0>(key), std::get<1>(key), std::get<2>(key)});
  }
  RENKEI_CHECK(
      insert_rows(*c, "submission_indicators (submission_id, type, value, role)", id, typed));
  typed.clear();
  std::set<std::string> signals;
  for (const auto& g : a.signals) {
    if (signals.size() >= kMaxSignalsKept) break;
    if (g.id.empty() || !signals.insert(g.id).second) continue;
    typed.push_back({clean_text(g.id), clean_text(g.severity)});
  }
  RENKEI_CHECK(insert_rows(*c, "submission_signals (submission_id, signal, severity)", id, typed));
  if (!a.body_text.empty() || !a.body_html.empty())
    RENKEI_CHECK(
        c->query("INSERT INTO submission_bodies (submission_id, text, html) VALUES ($1, $2, $3)",
                 {id, clean_text(a.body_text), clean_text(a.body_html)}));
  // A mail waits for its campaign (CampaignStore::assign_next_campaign), unless an analyst
  // already placed it; its features are kept for that and for later moves.
  if (!a.campaign_keys.empty()) {
    RENKEI_CHECK(c->query("DELETE FROM submission_features WHERE submission_id = $1", {id}));
    std::set<std::string> cleaned;  // two keys may differ only in bytes that are not UTF-8
    for (const auto& k : a.campaign_keys) cleaned.insert(clean_text(k));
    std::vector<std::vector<std::string>> keys;
    keys.reserve(cleaned.size());
    for (const auto& k : cleaned) keys.push_back({k});
    RENKEI_CHECK(insert_rows(*c, "submission_features (submission_id, key)", id, keys));
    RENKEI_CHECK(
        c->query("UPDATE submissions SET mail_time = $1, campaign_pending = CASE WHEN "
                 "campaign_id IS NULL THEN 1 ELSE 0 END WHERE id = $2",
                 {a.mail_time, id}));
  }
  RENKEI_CHECK(tx.commit());
  return release_claim(*c, id);
}

Result<void> SqlStore::fail(std::int64_t id, std::string_view error) {
  auto c = pool_->queue();
  RENKEI_TRY(rows, c->query("UPDATE submissions SET status = CASE WHEN attempts >= $1 THEN "
                            "'failed' ELSE 'queued' END, error = $2, "
                            "claimed_by = NULL WHERE id = $3",
                            {kMaxAttempts, clean_text(error), id}));
  if (rows.changed == 0) return not_found("submission", id);
  return release_claim(*c, id);
}

namespace {

// Why a submission whose claim was abandoned kMaxInterruptions times is failed.
std::string interrupted_reason() {
  return "the analysis was interrupted " + std::to_string(kMaxInterruptions) +
         " times (the analyser crashed or its server was killed while analysing this submission); "
         "it is not retried: download the file and inspect it with care";
}

// The UPDATE that gives back abandoned claims chosen by `where` ($1 is its parameter): queued
// again, or failed with the reason once abandoned kMaxInterruptions times.
std::string give_back_statement(std::string_view where) {
  return "UPDATE submissions SET claimed_by = NULL, status = CASE WHEN attempts >= $2 THEN "
         "'failed' ELSE 'queued' END, error = CASE WHEN attempts >= $2 THEN $3 ELSE error END "
         "WHERE status = 'analysing' AND " +
         std::string(where);
}

}  // namespace

Result<int> SqlStore::requeue_stale(std::chrono::seconds older_than) {
  auto c = pool_->write();
  // PostgreSQL: only claims whose worker is gone — the claim's advisory lock is free (taking it
  // for the length of this statement proves it); a slow analysis keeps its claim. A claim that
  // was abandoned kMaxInterruptions times is a mail that kills the analyser (or a machine that
  // keeps dying under it): it is marked failed with the reason instead of being handed out again.
  RENKEI_TRY(rows, c->query(give_back_statement("claimed_at <= $1") +
                                (pg() ? " AND pg_try_advisory_xact_lock(id)" : ""),
                            {rfc3339(std::chrono::system_clock::now() - older_than),
                             kMaxInterruptions, interrupted_reason()}));
  return static_cast<int>(rows.changed);
}

Result<int> SqlStore::requeue_abandoned(std::string_view worker) {
  auto c = pool_->write();
  // PostgreSQL: the dead worker's connection may not be closed on the server yet; its claim is
  // then left to the periodic sweep, which takes it once the lock is free.
  RENKEI_TRY(rows, c->query(give_back_statement("claimed_by = $1") +
                                (pg() ? " AND pg_try_advisory_xact_lock(id)" : ""),
                            {clean_text(worker), kMaxInterruptions, interrupted_reason()}));
  return static_cast<int>(rows.changed);
}

}  // namespace renkei::store
