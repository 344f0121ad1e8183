#include "store/sql_store.hpp"

// Submissions: storing and reading them, their typed analysis, search, counts.
#include <algorithm>

#include "auth/auth.hpp"
#include "util/time.hpp"
#include "util/utf8.hpp"

namespace renkei::store {

using namespace detail;  // NOLINT(google-build-using-namespace): the store's own helpers
using namespace model;   // NOLINT(google-build-using-namespace): the records this file stores

Result<SubmitResult> SqlStore::submit(const NewSubmission& s) {
  if (s.artefact.size() > kMaxArtefactBytes)
    return make_error(
        Errc::kLimit, "the submitted file is " + std::to_string(s.artefact.size()) + " bytes",
        "the limit is " + std::to_string(kMaxArtefactBytes >> 20) + " MiB per submission");
  if (s.free_text.size() > kMaxFreeTextBytes)
    return make_error(Errc::kInvalidArgument, "the free text is too long",
                      "the limit is " + std::to_string(kMaxFreeTextBytes >> 10) +
                          " KiB; attach longer material as a file");
  if (!s.org_id && s.external_reporter.empty())
    return make_error(Errc::kInvalidArgument,
                      "a submission needs an organisation or an external reporter's name", "");
  if (s.artefact.empty() && s.free_text.empty())
    return make_error(Errc::kInvalidArgument, "the submission is empty",
                      "attach the suspicious mail or describe what happened");
  // What people type is kept as text: valid UTF-8 without NUL on every database.
  const std::string free_text = clean_text(s.free_text), reporter = clean_text(s.external_reporter);
  const std::string sha = s.artefact.empty() ? std::string() : auth::sha256_hex(s.artefact);
  const std::string dedup =
      sha.empty() ? std::string()
                  : (s.org_id ? std::to_string(*s.org_id) : "ext:" + reporter) + ":" + sha;
  auto c = pool_->write();
  Transaction tx(*c);
  RENKEI_CHECK(tx.begin());
  if (!dedup.empty()) {
    RENKEI_TRY(seen, c->query("SELECT id FROM submissions WHERE dedup_key = $1", {dedup}));
    if (seen.next()) return SubmitResult{seen.int64(0), true};
    RENKEI_CHECK(
        c->query("INSERT INTO artefacts (sha256, size, bytes, created_at) VALUES ($1, $2, $3, "
                 "$4) ON CONFLICT (sha256) DO NOTHING",
                 {sha, static_cast<std::int64_t>(s.artefact.size()), Param::bytes(s.artefact),
                  now_rfc3339()}));
  }
  // ON CONFLICT: another server may have stored the same bytes a moment ago (PostgreSQL; SQLite
  // serialises writers). Then the submission is a duplicate of that one.
  RENKEI_TRY(ins,
             c->query("INSERT INTO submissions (org_id, external_reporter, submitted_by, kind, "
                      "channel, disclosure, "
                      "consultation_category, free_text, artefact_sha256, artefact_size, "
                      "dedup_key, status, submitted_at) "
                      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'queued', $12) ON "
                      "CONFLICT (dedup_key) DO NOTHING RETURNING id",
                      {s.org_id, reporter, s.submitted_by, kind_id(s.kind), clean_text(s.channel),
                       disclosure_id(s.disclosure), clean_text(s.consultation_category), free_text,
                       Param::text_or_null(sha), static_cast<std::int64_t>(s.artefact.size()),
                       Param::text_or_null(dedup), now_rfc3339()}));
  if (!ins.next()) {
    RENKEI_TRY(seen, c->query("SELECT id FROM submissions WHERE dedup_key = $1", {dedup}));
    if (!seen.next())
      return make_error(Errc::kUnavailable, "the submission collided with a concurrent one",
                        "submit it again");
    return SubmitResult{seen.int64(0), true};
  }
  const std::int64_t id = ins.int64(0);
  RENKEI_CHECK(set_search_text(*c, id, free_text));
  RENKEI_CHECK(tx.commit());
  return SubmitResult{id, false};
}

Result<Submission> SqlStore::submission(std::int64_t id) {
  auto c = pool_->read();
  RENKEI_TRY(rows, c->query(std::string(kSubmissionColumns) +
                                ", analysis_json FROM submissions WHERE id = $1",
                            {id}));
  if (!rows.next()) return not_found("submission", id);
  Submission s = read_submission(rows);
  s.analysis_json = rows.take(kSubmissionColumnCount);
  return s;
}

Result<std::string> SqlStore::artefact(std::string_view sha256) {
  auto c = pool_->read();
  RENKEI_TRY(rows, c->query("SELECT bytes FROM artefacts WHERE sha256 = $1",
                            {clean_text(sha256.substr(0, 64))}));
  if (!rows.next())
    return make_error(Errc::kNotFound,
                      "no stored file with SHA-256 " + clean_text(sha256.substr(0, 64)), "");
  return rows.take(0);
}

Result<std::vector<Submission>> SqlStore::submissions(const SubmissionFilter& f) {
  if (f.limit < 1 || f.limit > kMaxListLimit)
    return make_error(Errc::kInvalidArgument,
                      "limit must be between 1 and " + std::to_string(kMaxListLimit), "");
  std::string sql = std::string(kSubmissionColumns) + " FROM submissions WHERE 1 = 1";
  std::vector<Param> params;
  // Each condition with its value: "$N" numbers the values in order.
  auto where = [&](std::string_view condition, Param value) {
    params.push_back(value);
    std::string c(condition);
    c.replace(c.find("$?"), 2, "$" + std::to_string(params.size()));
    sql += " AND ";
    sql += c;
  };
  if (f.org_id) where("org_id = $?", *f.org_id);
  if (f.status) where("status = $?", status_id(*f.status));
  if (f.kind) where("kind = $?", kind_id(*f.kind));
  if (!f.verdict_class.empty()) where("verdict_class = $?", f.verdict_class);
  if (f.before_id > 0) where("id < $?", f.before_id);
  // The search text comes from the network: as valid UTF-8 without control characters (FTS5
  // refuses a NUL in a phrase). Trigram search needs three characters (code points, not bytes):
  // SQLite's FTS5 then, and LIKE on the subject and free text for shorter terms ("社長");
  // PostgreSQL's pg_trgm index serves ILIKE on the searchable text for both.
  std::u32string cps = utf8::decode(f.text);
  std::replace_if(
      cps.begin(), cps.end(), [](char32_t c) { return c < 0x20 || c == 0x7F; }, U' ');
  const std::string text = utf8::encode(cps);
  std::string pattern;
  if (!text.empty()) {
    if (pg()) {
      pattern = "%";
      for (char c : text) {
        if (c == '%' || c == '_' || c == '\\') pattern += '\\';
        pattern += c;
      }
      pattern += "%";
      where("search_text ILIKE $? ESCAPE '\\'", pattern);
    } else if (cps.size() >= 3) {
      pattern = "\"";
      for (char c : text) pattern += c == '"' ? std::string("\"\"") : std::string(1, c);
      pattern += "\"";
      where("id IN (SELECT rowid FROM submissions_fts WHERE submissions_fts MATCH $?)", pattern);
    } else {
      pattern = "%" + text + "%";
      params.push_back(pattern);
      const std::string n = "$" + std::to_string(params.size());
      sql += " AND (subject LIKE " + n + " OR free_text LIKE " + n + ")";
    }
  }
  params.push_back(f.limit);
  sql += " ORDER BY id DESC LIMIT $" + std::to_string(params.size());
  auto c = pool_->read();
  RENKEI_TRY(rows, c->query(sql, params));
  std::vector<Submission> out;
  out.reserve(rows.size());
  while (rows.next()) out.push_back(read_submission(rows));
  return out;
}

Result<std::vector<IndicatorRecord>> SqlStore::indicators(std::int64_t id) {
  auto c = pool_->read();
  RENKEI_TRY(rows, c->query("SELECT type, value, role FROM submission_indicators WHERE "
                            "submission_id = $1 ORDER BY type, value, role",
                            {id}));
  std::vector<IndicatorRecord> out;
  out.reserve(rows.size());
  while (rows.next()) out.push_back({rows.text(0), rows.take(1), rows.text(2)});
  return out;
}

Result<std::vector<SignalRecord>> SqlStore::signals(std::int64_t id) {
  auto c = pool_->read();
  RENKEI_TRY(rows, c->query("SELECT signal, severity FROM submission_signals WHERE "
                            "submission_id = $1 ORDER BY signal",
                            {id}));
  std::vector<SignalRecord> out;
  while (rows.next()) out.push_back({rows.text(0), rows.text(1)});
  return out;
}

Result<std::optional<Body>> SqlStore::body(std::int64_t id) {
  auto c = pool_->read();
  RENKEI_TRY(rows,
             c->query("SELECT text, html FROM submission_bodies WHERE submission_id = $1", {id}));
  if (!rows.next()) return std::optional<Body>();
  return std::optional<Body>(Body{rows.take(0), rows.take(1)});
}

Result<void> SqlStore::keep_body(std::int64_t id, const Body& body) {
  auto c = pool_->write();
  auto ins = c->query(
      "INSERT INTO submission_bodies (submission_id, text, html) VALUES ($1, $2, $3) "
      "ON CONFLICT (submission_id) DO NOTHING",
      {id, clean_text(body.text), clean_text(body.html)});
  if (!ins) return conflict_or(ins.error(), "no submission " + std::to_string(id));
  return {};
}

Result<SubmissionCounts> SqlStore::submission_counts(std::optional<std::int64_t> org_id,
                                                     std::string_view since) {
  // Times are stored as RFC 3339 UTC text ("2026-11-22T06:30:00Z"), so `since` is normalised
  // to that form and compared as text.
  std::string from;
  if (!since.empty()) {
    auto t = util::parse_rfc3339(since);
    if (!t)
      return make_error(Errc::kInvalidArgument, "since must be an RFC 3339 time",
                        "e.g. 2026-10-01T00:00:00+09:00");
    from = util::rfc3339_utc(*t);
  }
  SubmissionCounts counts;
  auto c = pool_->read();
  for (const auto& [column, out] :
       {std::pair{"verdict_class", &counts.by_verdict}, std::pair{"status", &counts.by_status},
        std::pair{"kind", &counts.by_kind}}) {
    RENKEI_TRY(rows, c->query(std::string("SELECT ") + column +
                                  ", COUNT(*) FROM submissions WHERE ($1 = 0 OR org_id = $1) "
                                  "AND submitted_at >= $2 GROUP BY " +
                                  column + " ORDER BY 2 DESC, 1",
                              {org_id.value_or(0), from}));
    while (rows.next()) out->emplace_back(rows.text(0), rows.int64(1));
  }
  for (const auto& [k, n] : counts.by_status) counts.total += n;
  return counts;
}

}  // namespace renkei::store
