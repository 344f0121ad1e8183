// The one implementation of Store, over a pool of SQL connections (pool.hpp, sql.hpp): SQLite (one
// file, data_dir/renkei.db, WAL) or PostgreSQL. Internal to the store module. Its methods live in
// one file per concern (sql_community.cpp, sql_accounts.cpp, sql_submissions.cpp,
// sql_queue.cpp, sql_audit.cpp; opening and migrating in sql_store.cpp). Where the dialects
// differ — the schema, full-text search, claiming work — the code says so with `pg()`; everything
// else is the same statements.
#pragma once

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "store/pool.hpp"
#include "store/sql.hpp"
#include "store/sql_util.hpp"
#include "store/store.hpp"

namespace renkei::store {

// The SQL layer's names, for the implementation files of this internal header.
using sql::Param;
using sql::Rows;
using sql::Transaction;

class SqlStore final : public Store {
 public:
  explicit SqlStore(std::unique_ptr<Pool> pool) : pool_(std::move(pool)) {}

  Result<int> migrate() override;
  Result<int> schema_version() override;
  Result<void> backup_to(const std::string& path) override;

  // CommunityStore (sql_community.cpp)
  Result<std::int64_t> create_organization(const model::Organization& org) override;
  Result<void> update_organization(const model::Organization& org) override;
  Result<model::Organization> organization(std::int64_t id) override;
  Result<std::vector<model::Organization>> organizations() override;
  Result<registry::Registry> registry() override;
  Result<std::int64_t> registry_version() override;
  Result<std::int64_t> create_sig(std::string_view name, std::string_view name_ja) override;
  Result<std::vector<model::Sig>> sigs() override;
  Result<void> add_membership(const model::Membership& m) override;
  Result<model::Membership> end_membership(std::int64_t sig_id, std::int64_t org_id,
                                           std::string_view left_on) override;
  Result<std::vector<model::Membership>> memberships(std::int64_t org_id) override;
  Result<std::int64_t> create_liaison_network(const model::LiaisonNetwork& n) override;
  Result<std::vector<model::LiaisonNetwork>> liaison_networks() override;
  Result<std::vector<model::Category>> consultation_categories() override;
  Result<void> create_consultation_category(const model::Category& category) override;

  // AccountStore (sql_accounts.cpp)
  Result<std::int64_t> create_user(const model::NewUser& user) override;
  Result<model::User> user(std::int64_t id) override;
  Result<std::vector<model::User>> users() override;
  Result<model::Principal> login(std::string_view login, std::string_view password) override;
  Result<model::Token> create_token(std::int64_t user_id, std::string_view name,
                                    std::vector<std::string> scopes) override;
  Result<model::Principal> authenticate(std::string_view token) override;
  Result<void> revoke_token(std::int64_t token_id) override;
  Result<std::int64_t> token_owner(std::int64_t token_id) override;
  Result<std::vector<model::TokenInfo>> tokens(std::optional<std::int64_t> user_id) override;
  Result<void> update_user(const model::UserUpdate& update) override;
  Result<model::Token> create_session(std::int64_t user_id, std::chrono::seconds ttl) override;

  // SubmissionStore and StatsStore (sql_submissions.cpp)
  Result<model::SubmitResult> submit(const model::NewSubmission& s) override;
  Result<model::Submission> submission(std::int64_t id) override;
  Result<std::string> artefact(std::string_view sha256) override;
  Result<std::vector<model::Submission>> submissions(const SubmissionFilter& filter) override;
  Result<std::vector<model::IndicatorRecord>> indicators(std::int64_t id) override;
  Result<std::vector<model::SignalRecord>> signals(std::int64_t id) override;
  Result<std::optional<model::Body>> body(std::int64_t id) override;
  Result<void> keep_body(std::int64_t id, const model::Body& body) override;
  Result<model::SubmissionCounts> submission_counts(std::optional<std::int64_t> org_id,
                                                    std::string_view since) override;

  // AnalysisQueue (sql_queue.cpp)
  Result<std::optional<Claimed>> claim_next(std::string_view worker) override;
  Result<void> complete(std::int64_t id, const model::AnalysisRecord& analysis) override;
  Result<void> fail(std::int64_t id, std::string_view error) override;
  Result<int> requeue_stale(std::chrono::seconds older_than) override;
  Result<int> requeue_abandoned(std::string_view worker) override;

  // CampaignStore (sql_campaigns.cpp)
  Result<std::optional<std::int64_t>> assign_next_campaign(const CampaignRules& rules) override;
  Result<std::int64_t> campaign_backlog() override;
  Result<model::Campaign> campaign(std::int64_t id) override;
  Result<std::vector<model::Campaign>> campaigns(const CampaignFilter& filter) override;
  Result<std::vector<model::CampaignMember>> campaign_members(std::int64_t id) override;
  Result<std::optional<model::CampaignMembership>> campaign_of(std::int64_t submission_id) override;
  Result<void> rename_campaign(std::int64_t id, std::string_view name) override;
  Result<std::int64_t> move_to_campaign(std::int64_t submission_id, std::optional<std::int64_t> to,
                                        const CampaignRules& rules) override;
  Result<void> pin_submission(std::int64_t submission_id, bool pinned) override;
  Result<void> merge_campaigns(std::int64_t into, std::int64_t from,
                               const CampaignRules& rules) override;
  Result<std::int64_t> split_campaign(std::int64_t from,
                                      const std::vector<std::int64_t>& submissions,
                                      std::string_view name, const CampaignRules& rules) override;

  // TriageStore (sql_triage.cpp)
  Result<std::vector<model::TriageItem>> triage_queue(int limit, int offset) override;
  Result<std::int64_t> triage_pending() override;
  Result<model::Triage> triage(std::int64_t submission_id) override;
  Result<void> decide(std::int64_t submission_id, const model::TriageDecision& d) override;
  Result<std::vector<ShareCandidate>> share_candidates(int limit) override;
  Result<std::vector<model::SubmissionMessage>> messages(std::int64_t submission_id) override;
  Result<model::SubmissionMessage> add_message(std::int64_t submission_id,
                                               std::optional<std::int64_t> user_id, bool from_hub,
                                               std::string_view text) override;

  // AuditLog (sql_audit.cpp)
  Result<void> audit(const model::AuditEntry& entry) override;
  Result<std::vector<model::AuditEntry>> audit_log(std::int64_t before_id, int limit) override;

 private:
  bool pg() const { return pool_->dialect() == sql::Dialect::kPostgres; }

  static Result<int> version_locked(sql::Connection& c, bool pg);
  // What full-text search finds a submission by (SQLite: the FTS5 table; PostgreSQL: a column).
  Result<void> set_search_text(sql::Connection& c, std::int64_t id, const std::string& text);
  Result<void> release_claim(sql::Connection& c, std::int64_t id);
  static Result<void> validate(const model::Organization& org);
  static Result<void> write_registry_data(sql::Connection& c, std::int64_t org_id,
                                          const registry::Organization& o);
  static Result<void> bump_registry_version(sql::Connection& c);
  // All organisations (id 0) or one, with their domains and VIPs.
  static Result<std::vector<model::Organization>> load_organizations(sql::Connection& c,
                                                                     std::int64_t only);
  // Moves one submission within an open transaction; adds the campaigns it changed to `touched`.
  static Result<std::int64_t> move_locked(sql::Connection& c, std::int64_t submission_id,
                                          std::optional<std::int64_t> to,
                                          const CampaignRules& rules,
                                          std::set<std::int64_t>& touched);
  static model::User read_user(const sql::Rows& r, int c);
  static model::Submission read_submission(sql::Rows& r);

  static constexpr std::string_view kSubmissionColumns =
      "SELECT id, org_id, external_reporter, submitted_by, kind, channel, disclosure, "
      "consultation_category, free_text, "
      "COALESCE(artefact_sha256, ''), artefact_size, status, submitted_at, COALESCE(analysed_at, "
      "''), verdict_class, subject, error";
  static constexpr int kSubmissionColumnCount = 17;

  std::unique_ptr<Pool> pool_;
};

}  // namespace renkei::store
