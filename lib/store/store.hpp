// renkei::store — the hub's storage: organisations (with their registry data), users, API tokens,
// submissions with their original bytes (content-addressed), the analysis queue and the audit log.
//
// Contract: a Store is one handle (one connection) on one database — the embedded SQLite file or a
// PostgreSQL server; the same implementation runs on both (sql_store.cpp). Its methods are
// thread-safe (calls are serialised per handle) and each is one transaction: it happens completely
// or not at all. Several processes may open the same database; work is claimed atomically
// (claim_next; FOR UPDATE SKIP LOCKED on PostgreSQL), so no job is done twice. What a method
// returns successfully is durable (SQLite WAL with synchronous=FULL; PostgreSQL's commit).
// Text that comes from outside is stored as valid UTF-8 without NUL (invalid bytes become U+FFFD).
// Errors are values: kNotFound, kConflict (unique names), kInvalidArgument (what to fix in the
// hint), kUnavailable (database busy beyond the timeout: retry), kIo / kInternal.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "registry/registry.hpp"
#include "util/result.hpp"

namespace renkei::store {

// ---- Vocabulary (SPEC 1–3) ----

enum class Role { kHubAdmin, kHubAnalyst, kSubmitter, kReader, kLiaison };
std::string_view role_id(Role r);  // "hub_admin", "hub_analyst", "submitter", "reader", "liaison"
std::optional<Role> role_from_id(std::string_view id);
inline bool is_hub_role(Role r) {
  return r == Role::kHubAdmin || r == Role::kHubAnalyst;
}

enum class SubmissionKind { kEmail, kCommunication, kIncident, kMalware, kFakeSite, kConsultation };
std::string_view kind_id(SubmissionKind k);  // "email", "communication", "incident", "malware",
                                             // "fake_site", "consultation"
std::optional<SubmissionKind> kind_from_id(std::string_view id);

enum class Disclosure { kNotShared, kAnonymised, kWithName };
std::string_view disclosure_id(Disclosure d);  // "not_shared", "anonymised", "with_name"
std::optional<Disclosure> disclosure_from_id(std::string_view id);

enum class Status { kQueued, kAnalysing, kAnalysed, kFailed };
std::string_view status_id(Status s);  // "queued", "analysing", "analysed", "failed"
std::optional<Status> status_from_id(std::string_view id);

// ---- Records ----

struct Organization {
  std::int64_t id = 0;
  bool is_hub = false;          // the operator of the instance
  registry::Organization data;  // names, industry, domains, partner domains, VIPs
};

struct User {
  std::int64_t id = 0;
  std::optional<std::int64_t> org_id;  // none for hub staff without an organisation
  std::string login;
  std::string display_name;
  Role role = Role::kReader;
  bool disabled = false;
};

struct NewUser {
  std::optional<std::int64_t> org_id;
  std::string login;
  std::string display_name;
  Role role = Role::kReader;
  std::string password;  // hashed with Argon2id; empty = token-only account
};

struct Token {
  std::int64_t id = 0;
  std::string secret;  // shown once, never stored
};

struct Principal {  // who a token, a session or a password belongs to
  User user;
  std::int64_t token_id = 0;  // 0 for a password login; the session's id for a browser session
  std::vector<std::string> scopes;
  bool session = false;  // authenticated by a browser session (cookie), not an API token
};

// Changes to a user; what is not given stays as it is.
struct UserUpdate {
  std::int64_t id = 0;
  std::optional<std::string> display_name;
  std::optional<Role> role;
  std::optional<bool> disabled;
  std::optional<std::string> password;  // "" removes the password (token-only account)
};

// An API token as listed (never its secret).
struct TokenInfo {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  std::string name;
  std::vector<std::string> scopes;
  std::string created_at;
  std::string revoked_at;  // "" while active
};

struct NewSubmission {
  std::optional<std::int64_t> org_id;  // none for an external reporter
  std::string external_reporter;       // name of a non-member reporter (J-CSIP外)
  std::optional<std::int64_t> submitted_by;
  SubmissionKind kind = SubmissionKind::kEmail;
  std::string channel = "api";  // "web", "api", "cli", "mailbox"
  Disclosure disclosure = Disclosure::kAnonymised;
  std::string consultation_category;
  std::string free_text;
  std::string artefact;  // the original bytes (an .eml, a log line…), kept exactly
};

struct Submission {
  std::int64_t id = 0;
  std::optional<std::int64_t> org_id;
  std::string external_reporter;
  std::optional<std::int64_t> submitted_by;
  SubmissionKind kind = SubmissionKind::kEmail;
  std::string channel;
  Disclosure disclosure = Disclosure::kAnonymised;
  std::string consultation_category;
  std::string free_text;
  std::string artefact_sha256;  // lowercase hex; "" when the submission has no artefact
  std::int64_t artefact_size = 0;
  Status status = Status::kQueued;
  std::string submitted_at;  // RFC 3339 UTC
  std::string analysed_at;
  std::string verdict_class;  // from the analysis ("" until analysed)
  std::string subject;        // of the analysed message, for lists and search
  std::string analysis_json;  // renkei.analysis/1 ("" until analysed)
  std::string error;          // why the analysis failed
};

struct SubmitResult {
  std::int64_t id = 0;
  bool duplicate = false;  // the same bytes from the same organisation were submitted before
};

struct SubmissionFilter {
  std::optional<std::int64_t> org_id;  // only this organisation's (participants)
  std::optional<Status> status;
  std::optional<SubmissionKind> kind;
  std::string verdict_class;
  std::string text;            // full-text search (subject, free text, body, sender)
  std::int64_t before_id = 0;  // keyset paging: ids below this (0 = from the newest)
  int limit = 50;              // 1..500
};

// How many submissions, by verdict, status and kind (for dashboards and statistics).
struct SubmissionCounts {
  std::int64_t total = 0;
  std::vector<std::pair<std::string, std::int64_t>> by_verdict;  // "" = not analysed yet
  std::vector<std::pair<std::string, std::int64_t>> by_status;
  std::vector<std::pair<std::string, std::int64_t>> by_kind;
};

struct Claimed {
  std::int64_t id = 0;
  SubmissionKind kind = SubmissionKind::kEmail;
  std::string artefact;
  std::string free_text;
  int attempts = 0;
};

struct AuditEntry {
  std::int64_t id = 0;
  std::string at;  // RFC 3339 UTC (set by the store)
  std::optional<std::int64_t> user_id;
  std::string action;  // "submission.create", "token.create", "org.update", …
  std::string object;  // "submission:42"
  std::string remote;  // client address, "cli" for local commands
  std::string detail;  // short JSON or text
};

// Named limits of what the store accepts.
inline constexpr std::size_t kMaxArtefactBytes = 64u << 20;  // 64 MiB
inline constexpr std::size_t kMaxFreeTextBytes = 64u << 10;  // 64 KiB
inline constexpr int kMaxListLimit = 500;
inline constexpr int kMaxAttempts = 3;  // analysis attempts before a submission is marked failed

class Store {
 public:
  virtual ~Store() = default;

  // Applies the migrations not yet applied (versioned, in order, each in a transaction); returns
  // the schema version now. Opening a store does not migrate; `renkei serve` and
  // `renkei admin migrate` do.
  virtual Result<int> migrate() = 0;
  virtual Result<int> schema_version() = 0;

  // Organisations. Names are unique (kConflict); domains are validated and lowercased.
  virtual Result<std::int64_t> create_organization(const Organization& org) = 0;
  virtual Result<void> update_organization(const Organization& org) = 0;
  virtual Result<Organization> organization(std::int64_t id) = 0;
  virtual Result<std::vector<Organization>> organizations() = 0;
  // The identity registry built from every organisation (what the engine analyses against).
  virtual Result<registry::Registry> registry() = 0;
  // Changes whenever organisations or their registry data change (so a cached registry knows it
  // is stale).
  virtual Result<std::int64_t> registry_version() = 0;

  // SIGs (industry groups) with membership history, and liaison networks.
  struct Sig {
    std::int64_t id = 0;
    std::string name, name_ja;
    int members = 0;  // organisations in it today (joined, not left)
  };
  struct Membership {
    std::int64_t sig_id = 0, org_id = 0;
    std::string joined_on;  // YYYY-MM-DD
    std::string left_on;    // "" while a member
  };
  struct LiaisonNetwork {
    std::int64_t id = 0;
    std::string name, name_ja;
    int represented_members = 0;         // organisations it relays to
    std::optional<std::int64_t> org_id;  // the organisation that represents it in the hub
  };
  virtual Result<std::int64_t> create_sig(std::string_view name, std::string_view name_ja) = 0;
  virtual Result<std::vector<Sig>> sigs() = 0;
  // kInvalidArgument for dates not of the form YYYY-MM-DD or left before joined.
  virtual Result<void> add_membership(const Membership& m) = 0;
  // The organisation left the SIG on `left_on`: ends its open membership (the history stays).
  // kNotFound when it has none open; kInvalidArgument for a bad date or one before it joined.
  virtual Result<Membership> end_membership(std::int64_t sig_id, std::int64_t org_id,
                                            std::string_view left_on) = 0;
  virtual Result<std::vector<Membership>> memberships(std::int64_t org_id) = 0;
  virtual Result<std::int64_t> create_liaison_network(const LiaisonNetwork& n) = 0;
  virtual Result<std::vector<LiaisonNetwork>> liaison_networks() = 0;

  // Users and credentials. Logins are unique (kConflict).
  virtual Result<std::int64_t> create_user(const NewUser& user) = 0;
  virtual Result<User> user(std::int64_t id) = 0;
  virtual Result<std::vector<User>> users() = 0;
  // kUnauthenticated for an unknown login, a wrong password or a disabled account (one message
  // for all three, so logins cannot be probed).
  virtual Result<Principal> login(std::string_view login, std::string_view password) = 0;
  virtual Result<Token> create_token(std::int64_t user_id, std::string_view name,
                                     std::vector<std::string> scopes) = 0;
  // kUnauthenticated for an unknown, revoked or malformed token or a disabled user.
  virtual Result<Principal> authenticate(std::string_view token) = 0;
  virtual Result<void> revoke_token(std::int64_t token_id) = 0;
  // The user a token belongs to (kNotFound when there is no such token).
  virtual Result<std::int64_t> token_owner(std::int64_t token_id) = 0;
  // API tokens (sessions excluded), of one user or of everyone; newest first.
  virtual Result<std::vector<TokenInfo>> tokens(std::optional<std::int64_t> user_id) = 0;
  // kNotFound for an unknown user; kInvalidArgument for an unusable password. Disabling a user
  // ends their sessions and tokens at once (authenticate refuses disabled users); a new password
  // revokes their browser sessions.
  virtual Result<void> update_user(const UserUpdate& update) = 0;
  // A browser session for a user who logged in with a password: a secret for a cookie, valid for
  // `ttl` unless revoked (logout = revoke_token(id)). authenticate() accepts it with
  // Principal::session set; it carries the role's full rights (no scopes).
  virtual Result<Token> create_session(std::int64_t user_id, std::chrono::seconds ttl) = 0;

  // The configurable list of consultation categories (key, English and Japanese name).
  struct Category {
    std::string key, name, name_ja;
  };
  virtual Result<std::vector<Category>> consultation_categories() = 0;
  // Adds a category at the end of the list (key: lowercase ASCII letters, digits, '_'; kConflict
  // for a key in use).
  virtual Result<void> create_consultation_category(const Category& category) = 0;

  // Submissions. Idempotent: the same artefact bytes from the same organisation return the
  // existing id with duplicate = true. The artefact is stored once per content (SHA-256).
  virtual Result<SubmitResult> submit(const NewSubmission& s) = 0;
  virtual Result<Submission> submission(std::int64_t id) = 0;
  virtual Result<std::string> artefact(std::string_view sha256) = 0;
  virtual Result<std::vector<Submission>> submissions(const SubmissionFilter& filter) = 0;
  // Counts of the submissions received at or after `since` (RFC 3339; "" = all), of one
  // organisation or of all (nullopt). kInvalidArgument for a malformed `since`.
  virtual Result<SubmissionCounts> submission_counts(std::optional<std::int64_t> org_id,
                                                     std::string_view since) = 0;

  // The analysis queue. claim_next atomically moves the oldest queued submission to "analysing"
  // for this worker (nullopt when none); complete/fail end it; requeue_stale gives back what a
  // worker that died (or a server killed mid-analysis) left in "analysing" for longer than
  // `older_than`. On PostgreSQL a claim is also held by its worker's connection (an advisory
  // lock), and requeue_stale takes back only claims whose connection is gone: any server may
  // sweep at any time without taking another's live work.
  virtual Result<std::optional<Claimed>> claim_next(std::string_view worker) = 0;
  virtual Result<void> complete(std::int64_t id, std::string_view analysis_json,
                                std::string_view verdict_class, std::string_view subject,
                                std::string_view search_text) = 0;
  virtual Result<void> fail(std::int64_t id, std::string_view error) = 0;
  virtual Result<int> requeue_stale(std::chrono::seconds older_than) = 0;

  // The audit log: append-only.
  virtual Result<void> audit(const AuditEntry& entry) = 0;
  virtual Result<std::vector<AuditEntry>> audit_log(std::int64_t before_id, int limit) = 0;

  // A consistent copy of the whole database into `path` (which must not exist), while in use.
  virtual Result<void> backup_to(const std::string& path) = 0;
};

// Where the hub keeps its data: `database` empty means the embedded SQLite store in data_dir;
// "postgresql://…" (or "postgres://…", or a libpq "key=value" string) means that PostgreSQL
// database, shared by every `renkei serve` pointed at it.
struct StoreConfig {
  std::string data_dir = "renkei-data";
  std::string database;
};
Result<std::unique_ptr<Store>> open_store(const StoreConfig& config);
// Opens the PostgreSQL store (libpq connection string). kUnavailable when the server cannot be
// reached (the hint says how to check), kInvalidArgument for a malformed connection string.
Result<std::unique_ptr<Store>> open_postgres(const std::string& conninfo);

// Opens (creating if needed) the SQLite store in data_dir/renkei.db. Errors: kIo with the path when
// the directory cannot be created or the file opened; kUnavailable when it stays locked.
Result<std::unique_ptr<Store>> open_sqlite(const std::string& data_dir);
// The file open_sqlite uses in a data directory.
std::string sqlite_path(const std::string& data_dir);
// Replaces data_dir's database by a backup made with backup_to (the server must be stopped):
// checks that the backup is a renkei database first.
Result<void> restore_sqlite(const std::string& data_dir, const std::string& backup_path);

}  // namespace renkei::store
