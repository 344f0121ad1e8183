// renkei::store — submissions with their original bytes (content-addressed), their analysis
// (the JSON document and its typed fields: verdict, BEC type, targeting, indicators, signals),
// the analysis queue, and the counts behind dashboards and statistics.
// Contract as in store.hpp (thread-safe, one transaction per call, errors as values).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/model.hpp"
#include "util/result.hpp"

namespace renkei::store {

// Named limits of what the store accepts.
inline constexpr std::size_t kMaxArtefactBytes = 64u << 20;  // 64 MiB
inline constexpr std::size_t kMaxFreeTextBytes = 64u << 10;  // 64 KiB
inline constexpr int kMaxListLimit = 500;
inline constexpr int kMaxAttempts = 3;  // analysis attempts before a submission is marked failed
// Claims abandoned (the analyser crashed, or its server was killed, during this submission's
// analysis) before the submission is marked failed instead of being handed out again. Higher than
// kMaxAttempts: an operator restarting a busy server is not a hostile mail.
inline constexpr int kMaxInterruptions = 5;
inline constexpr std::size_t kMaxIndicatorsKept = 2000;  // typed indicators per submission
inline constexpr std::size_t kMaxSignalsKept = 200;      // typed signals per submission

struct SubmissionFilter {
  std::optional<std::int64_t> org_id;  // only this organisation's (participants)
  std::optional<model::Status> status;
  std::optional<model::SubmissionKind> kind;
  std::string verdict_class;
  std::string text;            // full-text search (subject, free text, body, sender)
  std::int64_t before_id = 0;  // keyset paging: ids below this (0 = from the newest)
  int limit = 50;              // 1..500
};

class SubmissionStore {
 public:
  virtual ~SubmissionStore() = default;

  // Idempotent: the same artefact bytes from the same organisation return the existing id with
  // duplicate = true. The artefact is stored once per content (SHA-256).
  virtual Result<model::SubmitResult> submit(const model::NewSubmission& s) = 0;
  virtual Result<model::Submission> submission(std::int64_t id) = 0;
  virtual Result<std::string> artefact(std::string_view sha256) = 0;
  virtual Result<std::vector<model::Submission>> submissions(const SubmissionFilter& filter) = 0;
  // The typed indicators and signals of an analysed submission (empty before its analysis).
  virtual Result<std::vector<model::IndicatorRecord>> indicators(std::int64_t id) = 0;
  virtual Result<std::vector<model::SignalRecord>> signals(std::int64_t id) = 0;
  // The mail body the analysis kept (nullopt when none was kept: not a mail, not analysed yet, or
  // analysed by a version before schema 3); keep_body() stores one for such a submission.
  virtual Result<std::optional<model::Body>> body(std::int64_t id) = 0;
  virtual Result<void> keep_body(std::int64_t id, const model::Body& body) = 0;
};

// What a worker gets when it claims a submission.
struct Claimed {
  std::int64_t id = 0;
  model::SubmissionKind kind = model::SubmissionKind::kEmail;
  std::string artefact;
  std::string free_text;
  int attempts = 0;
};

class AnalysisQueue {
 public:
  virtual ~AnalysisQueue() = default;

  // claim_next atomically moves the oldest queued submission to "analysing" for this worker
  // (nullopt when none); complete/fail end it; requeue_stale gives back what a worker that died
  // (or a server killed mid-analysis) left in "analysing" for longer than `older_than`. On
  // PostgreSQL a claim is also held by the connection that claimed it (an advisory lock), and
  // requeue_stale takes back only claims whose connection is gone: any server may sweep at any time
  // without taking another's live work. A submission whose claim was abandoned kMaxInterruptions
  // times (a mail that kills the analyser) is marked failed with the reason, never handed out
  // again. A claim's complete/fail run on the handle that claimed it.
  virtual Result<std::optional<Claimed>> claim_next(std::string_view worker) = 0;
  virtual Result<void> complete(std::int64_t id, const model::AnalysisRecord& analysis) = 0;
  virtual Result<void> fail(std::int64_t id, std::string_view error) = 0;
  virtual Result<int> requeue_stale(std::chrono::seconds older_than) = 0;
  // Gives back at once the claims of `worker` (the name it gave claim_next), which the caller
  // knows is dead (an analysis process that crashed), counted like requeue_stale's; returns how
  // many. The caller must be sure: a live worker's claim would be analysed twice (on PostgreSQL a
  // claim whose connection is still open is left alone).
  virtual Result<int> requeue_abandoned(std::string_view worker) = 0;
};

// Aggregates over the submissions (dashboards now; the quarterly report's tables next).
class StatsStore {
 public:
  virtual ~StatsStore() = default;

  // Counts of the submissions received at or after `since` (RFC 3339; "" = all), of one
  // organisation or of all (nullopt). kInvalidArgument for a malformed `since`.
  virtual Result<model::SubmissionCounts> submission_counts(std::optional<std::int64_t> org_id,
                                                            std::string_view since) = 0;
};

}  // namespace renkei::store
