// The one implementation of Store, over an SQL connection (sql.hpp): SQLite (one file,
// data_dir/renkei.db, WAL) or PostgreSQL. Where the dialects differ — the schema, full-text search,
// claiming work, backups — the code says so with `pg()`; everything else is the same statements.
#include <sqlite3.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <mutex>
#include <system_error>

#include "auth/auth.hpp"
#include "store/migrations.hpp"
#include "store/pg_db.hpp"
#include "store/sqlite_db.hpp"
#include "store/store.hpp"
#include "util/time.hpp"
#include "util/utf8.hpp"

namespace renkei::store {
namespace {

using sql::Param;
using sql::Rows;
using sql::Transaction;

constexpr std::size_t kMaxNameBytes = 256;

std::string now_rfc3339() {
  return util::now_rfc3339();
}
std::string now_rfc3339(std::chrono::system_clock::time_point t) {
  return util::rfc3339_utc(t);
}

// Lowercased ASCII domain, or "" when it is not a plain domain name.
std::string normalize_domain(std::string_view d) {
  std::string s;
  for (char c : d) s.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c);
  while (!s.empty() && s.back() == '.') s.pop_back();
  if (std::any_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; }))
    s = registry::idn_to_ascii(s);
  if (s.empty() || s.size() > 253 || s.front() == '.' || s.find('.') == std::string::npos ||
      s.find("..") != std::string::npos)
    return {};
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_'))
      return {};
  return s;
}

#define RENKEI_CHECK(expr)                                                                        \
  do {                                                                                            \
    if (auto renkei_r_ = (expr); !renkei_r_) return tl::unexpected(std::move(renkei_r_.error())); \
  } while (0)

// Text derived from hostile mail (subjects, search text) as valid UTF-8 without NUL, so both
// databases store it as it is shown.
std::string clean_text(std::string_view s) {
  if (utf8::is_valid(s) && s.find('\0') == std::string_view::npos) return std::string(s);
  std::u32string cps = utf8::decode(s);
  std::replace(cps.begin(), cps.end(), U'\0', U'\uFFFD');
  return utf8::encode(cps);
}

std::vector<std::string> split_scopes(const std::string& scopes) {
  std::vector<std::string> out;
  for (std::size_t b = 0; b < scopes.size();) {
    const std::size_t e = std::min(scopes.find(' ', b), scopes.size());
    if (e > b) out.push_back(scopes.substr(b, e - b));
    b = e + 1;
  }
  return out;
}

tl::unexpected<Error> not_found(std::string_view what, std::int64_t id) {
  return make_error(Errc::kNotFound, "no " + std::string(what) + " with id " + std::to_string(id),
                    "");
}

// A conflict (unique name, missing referenced row) said the store's way; other errors as they are.
tl::unexpected<Error> conflict_or(const Error& e, std::string message, std::string hint = {}) {
  if (e.code == Errc::kConflict)
    return make_error(Errc::kConflict, std::move(message), std::move(hint));
  return tl::unexpected(e);
}

class SqlStore final : public Store {
 public:
  explicit SqlStore(std::unique_ptr<sql::Connection> c) : c_(std::move(c)) {}

  Result<int> migrate() override {
    const std::lock_guard lock(mu_);
    RENKEI_CHECK(c_->exec_script(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
        "name TEXT NOT NULL, applied_at TEXT NOT NULL)"));
    int now = 0;
    for (const Migration& m : migrations()) {
      Transaction tx(*c_);
      RENKEI_CHECK(tx.begin());
      // Several servers may start at once on one PostgreSQL: one migrates, the others wait here
      // and then find the work done. (SQLite: BEGIN IMMEDIATE has the same effect.)
      if (pg()) RENKEI_CHECK(c_->query("SELECT pg_advisory_xact_lock(7226458765)"));
      RENKEI_TRY(current, version_locked());
      now = current;
      if (m.version <= current) continue;
      RENKEI_CHECK(c_->exec_script(pg() ? m.postgres : m.sqlite));
      RENKEI_CHECK(
          c_->query("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
                    {m.version, m.name, now_rfc3339()}));
      RENKEI_CHECK(tx.commit());
      now = m.version;
    }
    return now;
  }

  Result<int> schema_version() override {
    const std::lock_guard lock(mu_);
    return version_locked();
  }

  // ---- Organisations ----

  Result<std::int64_t> create_organization(const Organization& org) override {
    RENKEI_CHECK(validate(org));
    const std::lock_guard lock(mu_);
    Transaction tx(*c_);
    RENKEI_CHECK(tx.begin());
    auto ins = c_->query(
        "INSERT INTO organizations (name, name_ja, industry, is_hub, created_at) VALUES ($1, $2, "
        "$3, $4, $5) RETURNING id",
        {org.data.name, org.data.name_ja, org.data.industry, org.is_hub ? 1 : 0, now_rfc3339()});
    if (!ins)
      return conflict_or(ins.error(),
                         "an organisation named \"" + org.data.name + "\" exists already",
                         "choose another name or update the existing organisation");
    ins->next();
    const std::int64_t id = ins->int64(0);
    RENKEI_CHECK(write_registry_data(id, org.data));
    RENKEI_CHECK(bump_registry_version());
    RENKEI_CHECK(tx.commit());
    return id;
  }

  Result<void> update_organization(const Organization& org) override {
    RENKEI_CHECK(validate(org));
    const std::lock_guard lock(mu_);
    Transaction tx(*c_);
    RENKEI_CHECK(tx.begin());
    auto up = c_->query(
        "UPDATE organizations SET name = $1, name_ja = $2, industry = $3, is_hub = $4 WHERE id = "
        "$5",
        {org.data.name, org.data.name_ja, org.data.industry, org.is_hub ? 1 : 0, org.id});
    if (!up)
      return conflict_or(up.error(),
                         "an organisation named \"" + org.data.name + "\" exists already",
                         "choose another name");
    if (up->changed == 0) return not_found("organisation", org.id);
    for (const char* sql : {"DELETE FROM organization_domains WHERE org_id = $1",
                            "DELETE FROM vips WHERE org_id = $1"})
      RENKEI_CHECK(c_->query(sql, {org.id}));
    RENKEI_CHECK(write_registry_data(org.id, org.data));
    RENKEI_CHECK(bump_registry_version());
    return tx.commit();
  }

  Result<Organization> organization(std::int64_t id) override {
    const std::lock_guard lock(mu_);
    RENKEI_TRY(all, load_organizations(id));
    if (all.empty()) return not_found("organisation", id);
    return std::move(all.front());
  }

  Result<std::vector<Organization>> organizations() override {
    const std::lock_guard lock(mu_);
    return load_organizations(0);
  }

  Result<registry::Registry> registry() override {
    RENKEI_TRY(orgs, organizations());
    std::vector<registry::Organization> data;
    data.reserve(orgs.size());
    for (auto& o : orgs) data.push_back(std::move(o.data));
    return registry::Registry(std::move(data));
  }

  Result<std::int64_t> registry_version() override {
    const std::lock_guard lock(mu_);
    RENKEI_TRY(rows, c_->query("SELECT version FROM registry_version WHERE id = 1"));
    return rows.next() ? rows.int64(0) : 0;
  }

  // ---- SIGs and liaison networks ----

  Result<std::int64_t> create_sig(std::string_view name, std::string_view name_ja) override {
    if (name.empty() || name.size() > kMaxNameBytes)
      return make_error(Errc::kInvalidArgument, "a SIG needs a name (1 to 256 bytes)", "");
    const std::lock_guard lock(mu_);
    auto ins =
        c_->query("INSERT INTO sigs (name, name_ja) VALUES ($1, $2) RETURNING id", {name, name_ja});
    if (!ins)
      return conflict_or(ins.error(), "a SIG named \"" + std::string(name) + "\" exists already");
    ins->next();
    return ins->int64(0);
  }

  Result<std::vector<Sig>> sigs() override {
    const std::lock_guard lock(mu_);
    RENKEI_TRY(rows,
               c_->query("SELECT s.id, s.name, s.name_ja, (SELECT COUNT(DISTINCT m.org_id) FROM "
                         "sig_memberships m "
                         "WHERE m.sig_id = s.id AND m.left_on IS NULL) FROM sigs s ORDER BY s.id"));
    std::vector<Sig> out;
    while (rows.next())
      out.push_back({rows.int64(0), rows.text(1), rows.text(2), static_cast<int>(rows.int64(3))});
    return out;
  }

  static bool is_date(std::string_view d) {
    return d.size() == 10 && d[4] == '-' && d[7] == '-' &&
           std::all_of(d.begin(), d.end(),
                       [](char c) { return (c >= '0' && c <= '9') || c == '-'; });
  }

  Result<Membership> end_membership(std::int64_t sig_id, std::int64_t org_id,
                                    std::string_view left_on) override {
    if (!is_date(left_on))
      return make_error(Errc::kInvalidArgument, "left_on must be a date, YYYY-MM-DD", "");
    const std::lock_guard lock(mu_);
    Transaction tx(*c_);
    RENKEI_CHECK(tx.begin());
    RENKEI_TRY(open, c_->query("SELECT joined_on FROM sig_memberships WHERE sig_id = $1 AND org_id "
                               "= $2 AND left_on IS NULL",
                               {sig_id, org_id}));
    if (!open.next())
      return make_error(Errc::kNotFound,
                        "organisation " + std::to_string(org_id) + " is not a member of SIG " +
                            std::to_string(sig_id) + " now",
                        "see GET /api/v1/organizations/" + std::to_string(org_id) + "/memberships");
    Membership m{sig_id, org_id, open.text(0), std::string(left_on)};
    if (m.left_on < m.joined_on)
      return make_error(Errc::kInvalidArgument,
                        "left_on is before the organisation joined (" + m.joined_on + ")", "");
    RENKEI_CHECK(
        c_->query("UPDATE sig_memberships SET left_on = $1 WHERE sig_id = $2 AND org_id = $3 AND "
                  "joined_on = $4",
                  {m.left_on, sig_id, org_id, m.joined_on}));
    RENKEI_CHECK(tx.commit());
    return m;
  }

  Result<void> add_membership(const Membership& m) override {
    if (!is_date(m.joined_on) ||
        (!m.left_on.empty() && (!is_date(m.left_on) || m.left_on < m.joined_on)))
      return make_error(Errc::kInvalidArgument,
                        "membership dates must be YYYY-MM-DD, and left_on not before joined_on",
                        "");
    const std::lock_guard lock(mu_);
    auto ins = c_->query(
        "INSERT INTO sig_memberships (sig_id, org_id, joined_on, left_on) VALUES ($1, $2, $3, $4)",
        {m.sig_id, m.org_id, m.joined_on, Param::text_or_null(m.left_on)});
    if (!ins)
      return conflict_or(ins.error(),
                         "no such SIG or organisation, or this membership exists already");
    return {};
  }

  Result<std::vector<Membership>> memberships(std::int64_t org_id) override {
    const std::lock_guard lock(mu_);
    RENKEI_TRY(rows, c_->query("SELECT sig_id, org_id, joined_on, COALESCE(left_on, '') FROM "
                               "sig_memberships WHERE org_id = $1 "
                               "ORDER BY joined_on, sig_id",
                               {org_id}));
    std::vector<Membership> out;
    while (rows.next()) out.push_back({rows.int64(0), rows.int64(1), rows.text(2), rows.text(3)});
    return out;
  }

  Result<std::int64_t> create_liaison_network(const LiaisonNetwork& n) override {
    if (n.name.empty() || n.name.size() > kMaxNameBytes || n.represented_members < 0)
      return make_error(Errc::kInvalidArgument,
                        "a liaison network needs a name and a member count of 0 or more", "");
    const std::lock_guard lock(mu_);
    auto ins = c_->query(
        "INSERT INTO liaison_networks (name, name_ja, represented_members, org_id) VALUES ($1, $2, "
        "$3, $4) RETURNING id",
        {n.name, n.name_ja, n.represented_members, n.org_id});
    if (!ins)
      return conflict_or(ins.error(), "a liaison network named \"" + n.name +
                                          "\" exists already, or its organisation does not");
    ins->next();
    return ins->int64(0);
  }

  Result<std::vector<LiaisonNetwork>> liaison_networks() override {
    const std::lock_guard lock(mu_);
    RENKEI_TRY(rows, c_->query("SELECT id, name, name_ja, represented_members, org_id FROM "
                               "liaison_networks ORDER BY id"));
    std::vector<LiaisonNetwork> out;
    while (rows.next())
      out.push_back({rows.int64(0), rows.text(1), rows.text(2), static_cast<int>(rows.int64(3)),
                     rows.opt_int64(4)});
    return out;
  }

  // ---- Users and credentials ----

  Result<std::int64_t> create_user(const NewUser& u) override {
    if (u.login.empty() || u.login.size() > kMaxNameBytes ||
        u.login.find_first_of(std::string_view(" \t\r\n\0", 5)) != std::string::npos)
      return make_error(Errc::kInvalidArgument,
                        "the login \"" + clean_text(u.login.substr(0, 64)) + "\" is not usable",
                        "use 1 to 256 characters without spaces, e.g. an e-mail address");
    std::string hash;
    if (!u.password.empty()) {
      RENKEI_TRY(h, auth::hash_password(u.password));
      hash = std::move(h);
    }
    const std::lock_guard lock(mu_);
    auto ins = c_->query(
        "INSERT INTO users (org_id, login, display_name, role, password_hash, created_at) VALUES "
        "($1, $2, $3, $4, $5, $6) "
        "RETURNING id",
        {u.org_id, u.login, u.display_name, role_id(u.role), Param::text_or_null(hash),
         now_rfc3339()});
    if (!ins)
      return conflict_or(
          ins.error(), "the login \"" + u.login + "\" exists already, or its organisation does not",
          "choose another login, or create the organisation first");
    ins->next();
    return ins->int64(0);
  }

  Result<User> user(std::int64_t id) override {
    const std::lock_guard lock(mu_);
    RENKEI_TRY(
        rows,
        c_->query("SELECT id, org_id, login, display_name, role, disabled FROM users WHERE id = $1",
                  {id}));
    if (!rows.next()) return not_found("user", id);
    return read_user(rows, 0);
  }

  Result<std::vector<User>> users() override {
    const std::lock_guard lock(mu_);
    RENKEI_TRY(
        rows,
        c_->query("SELECT id, org_id, login, display_name, role, disabled FROM users ORDER BY id"));
    std::vector<User> out;
    while (rows.next()) out.push_back(read_user(rows, 0));
    return out;
  }

  Result<Principal> login(std::string_view login, std::string_view password) override {
    auto bad = [] {
      return make_error(Errc::kUnauthenticated, "wrong login or password",
                        "check both, or ask a hub admin to reset the password");
    };
    std::string hash;
    Principal p;
    {
      const std::lock_guard lock(mu_);
      RENKEI_TRY(rows, c_->query("SELECT id, org_id, login, display_name, role, disabled, "
                                 "password_hash FROM users WHERE login = $1",
                                 {clean_text(login)}));
      if (!rows.next()) {
        // Spend the same time as for a known login, so logins cannot be probed by timing.
        static const std::string dummy = auth::hash_password("renkei-dummy-password").value_or("");
        (void)auth::verify_password(password, dummy);
        return bad();
      }
      p.user = read_user(rows, 0);
      hash = rows.text(6);
    }
    // Argon2 outside the lock: it takes tens of milliseconds by design.
    if (hash.empty() || p.user.disabled || !auth::verify_password(password, hash)) return bad();
    return p;
  }

  Result<Token> create_token(std::int64_t user_id, std::string_view name,
                             std::vector<std::string> scopes) override {
    Token t;
    t.secret = auth::new_token();
    std::string joined;
    for (const auto& s : scopes) joined += (joined.empty() ? "" : " ") + s;
    const std::lock_guard lock(mu_);
    auto ins = c_->query(
        "INSERT INTO api_tokens (user_id, name, digest, scopes, created_at) VALUES ($1, $2, $3, "
        "$4, $5) RETURNING id",
        {user_id, clean_text(name), auth::token_digest(t.secret), joined, now_rfc3339()});
    if (!ins)
      return ins.error().code == Errc::kConflict ? not_found("user", user_id)
                                                 : tl::unexpected(ins.error());
    ins->next();
    t.id = ins->int64(0);
    return t;
  }

  Result<Principal> authenticate(std::string_view token) override {
    auto bad = [] {
      return make_error(Errc::kUnauthenticated,
                        "the API token or session is unknown, expired or revoked",
                        "use a valid token as 'Authorization: Bearer rk_…' (renkei admin bootstrap "
                        "prints the first; POST /api/v1/tokens "
                        "makes more), or log in again");
    };
    if (!auth::looks_like_token(token)) return bad();
    const std::lock_guard lock(mu_);
    RENKEI_TRY(
        rows,
        c_->query("SELECT u.id, u.org_id, u.login, u.display_name, u.role, u.disabled, t.id, "
                  "t.scopes, t.kind FROM api_tokens t "
                  "JOIN users u ON u.id = t.user_id WHERE t.digest = $1 AND t.revoked_at IS NULL "
                  "AND (t.expires_at IS NULL OR t.expires_at > $2)",
                  {auth::token_digest(token), now_rfc3339()}));
    if (!rows.next()) return bad();
    Principal p;
    p.user = read_user(rows, 0);
    if (p.user.disabled) return bad();
    p.token_id = rows.int64(6);
    p.scopes = split_scopes(rows.text(7));
    p.session = rows.text(8) == "session";
    return p;
  }

  Result<void> revoke_token(std::int64_t token_id) override {
    const std::lock_guard lock(mu_);
    RENKEI_TRY(
        rows,
        c_->query("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL",
                  {now_rfc3339(), token_id}));
    if (rows.changed == 0) return not_found("active token", token_id);
    return {};
  }

  Result<std::int64_t> token_owner(std::int64_t token_id) override {
    const std::lock_guard lock(mu_);
    RENKEI_TRY(rows, c_->query("SELECT user_id FROM api_tokens WHERE id = $1", {token_id}));
    if (!rows.next()) return not_found("token", token_id);
    return rows.int64(0);
  }

  Result<std::vector<TokenInfo>> tokens(std::optional<std::int64_t> user_id) override {
    const std::lock_guard lock(mu_);
    RENKEI_TRY(rows, c_->query("SELECT id, user_id, name, scopes, created_at, COALESCE(revoked_at, "
                               "'') FROM api_tokens "
                               "WHERE kind = 'api' AND ($1 = 0 OR user_id = $1) ORDER BY id DESC",
                               {user_id.value_or(0)}));
    std::vector<TokenInfo> out;
    while (rows.next())
      out.push_back({rows.int64(0), rows.int64(1), rows.text(2), split_scopes(rows.text(3)),
                     rows.text(4), rows.text(5)});
    return out;
  }

  Result<void> update_user(const UserUpdate& u) override {
    std::optional<std::string> hash;
    if (u.password) {
      if (u.password->empty())
        hash = std::string();
      else {
        RENKEI_TRY(h, auth::hash_password(*u.password));
        hash = std::move(h);
      }
    }
    const std::lock_guard lock(mu_);
    Transaction tx(*c_);
    RENKEI_CHECK(tx.begin());
    RENKEI_TRY(exists, c_->query("SELECT 1 FROM users WHERE id = $1", {u.id}));
    if (exists.empty()) return not_found("user", u.id);
    if (u.display_name)
      RENKEI_CHECK(c_->query("UPDATE users SET display_name = $1 WHERE id = $2",
                             {clean_text(*u.display_name), u.id}));
    if (u.role)
      RENKEI_CHECK(c_->query("UPDATE users SET role = $1 WHERE id = $2", {role_id(*u.role), u.id}));
    if (u.disabled)
      RENKEI_CHECK(
          c_->query("UPDATE users SET disabled = $1 WHERE id = $2", {*u.disabled ? 1 : 0, u.id}));
    if (hash) {
      RENKEI_CHECK(c_->query("UPDATE users SET password_hash = $1 WHERE id = $2",
                             {Param::text_or_null(*hash), u.id}));
      // A new password ends the browser sessions opened with the old one (API tokens stay: they
      // are credentials of their own, revoked one by one).
      RENKEI_CHECK(
          c_->query("UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND kind = 'session' "
                    "AND revoked_at IS NULL",
                    {now_rfc3339(), u.id}));
    }
    return tx.commit();
  }

  Result<Token> create_session(std::int64_t user_id, std::chrono::seconds ttl) override {
    Token t;
    t.secret = auth::new_token();
    const auto now = std::chrono::system_clock::now();
    const std::lock_guard lock(mu_);
    auto ins = c_->query(
        "INSERT INTO api_tokens (user_id, name, digest, scopes, created_at, kind, expires_at) "
        "VALUES ($1, 'session', $2, '', $3, 'session', $4) RETURNING id",
        {user_id, auth::token_digest(t.secret), now_rfc3339(now), now_rfc3339(now + ttl)});
    if (!ins)
      return ins.error().code == Errc::kConflict ? not_found("user", user_id)
                                                 : tl::unexpected(ins.error());
    ins->next();
    t.id = ins->int64(0);
    return t;
  }

  Result<std::vector<Category>> consultation_categories() override {
    const std::lock_guard lock(mu_);
    RENKEI_TRY(
        rows,
        c_->query("SELECT key, name, name_ja FROM consultation_categories ORDER BY position, key"));
    std::vector<Category> out;
    while (rows.next()) out.push_back({rows.text(0), rows.text(1), rows.text(2)});
    return out;
  }

  Result<void> create_consultation_category(const Category& c) override {
    const bool key_ok = !c.key.empty() && c.key.size() <= 64 &&
                        std::all_of(c.key.begin(), c.key.end(), [](char ch) {
                          return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_';
                        });
    if (!key_ok)
      return make_error(
          Errc::kInvalidArgument,
          "the category key \"" + clean_text(c.key.substr(0, 64)) + "\" is not usable",
          "use 1 to 64 lowercase ASCII letters, digits or '_', e.g. supply_chain");
    if (c.name.empty() || c.name.size() > kMaxNameBytes || c.name_ja.size() > kMaxNameBytes)
      return make_error(Errc::kInvalidArgument, "a category needs a name (1 to 256 bytes)",
                        "give name and name_ja");
    const std::lock_guard lock(mu_);
    auto ins = c_->query(
        "INSERT INTO consultation_categories (key, name, name_ja, position) "
        "VALUES ($1, $2, $3, (SELECT COALESCE(MAX(position), 0) + 1 FROM consultation_categories))",
        {c.key, c.name, c.name_ja});
    if (!ins) return conflict_or(ins.error(), "the category \"" + c.key + "\" exists already");
    return {};
  }

  // ---- Submissions ----

  Result<SubmitResult> submit(const NewSubmission& s) override {
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
    const std::string free_text = clean_text(s.free_text),
                      reporter = clean_text(s.external_reporter);
    const std::string sha = s.artefact.empty() ? std::string() : auth::sha256_hex(s.artefact);
    const std::string dedup =
        sha.empty() ? std::string()
                    : (s.org_id ? std::to_string(*s.org_id) : "ext:" + reporter) + ":" + sha;
    const std::lock_guard lock(mu_);
    Transaction tx(*c_);
    RENKEI_CHECK(tx.begin());
    if (!dedup.empty()) {
      RENKEI_TRY(seen, c_->query("SELECT id FROM submissions WHERE dedup_key = $1", {dedup}));
      if (seen.next()) return SubmitResult{seen.int64(0), true};
      RENKEI_CHECK(
          c_->query("INSERT INTO artefacts (sha256, size, bytes, created_at) VALUES ($1, $2, $3, "
                    "$4) ON CONFLICT (sha256) DO NOTHING",
                    {sha, static_cast<std::int64_t>(s.artefact.size()), Param::bytes(s.artefact),
                     now_rfc3339()}));
    }
    // ON CONFLICT: another server may have stored the same bytes a moment ago (PostgreSQL; SQLite
    // serialises writers). Then the submission is a duplicate of that one.
    RENKEI_TRY(
        ins, c_->query("INSERT INTO submissions (org_id, external_reporter, submitted_by, kind, "
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
      RENKEI_TRY(seen, c_->query("SELECT id FROM submissions WHERE dedup_key = $1", {dedup}));
      if (!seen.next())
        return make_error(Errc::kUnavailable, "the submission collided with a concurrent one",
                          "submit it again");
      return SubmitResult{seen.int64(0), true};
    }
    const std::int64_t id = ins.int64(0);
    RENKEI_CHECK(set_search_text(id, free_text));
    RENKEI_CHECK(tx.commit());
    return SubmitResult{id, false};
  }

  Result<Submission> submission(std::int64_t id) override {
    const std::lock_guard lock(mu_);
    RENKEI_TRY(rows, c_->query(std::string(kSubmissionColumns) +
                                   ", analysis_json FROM submissions WHERE id = $1",
                               {id}));
    if (!rows.next()) return not_found("submission", id);
    Submission s = read_submission(rows);
    s.analysis_json = rows.take(kSubmissionColumnCount);
    return s;
  }

  Result<std::string> artefact(std::string_view sha256) override {
    const std::lock_guard lock(mu_);
    RENKEI_TRY(rows, c_->query("SELECT bytes FROM artefacts WHERE sha256 = $1",
                               {clean_text(sha256.substr(0, 64))}));
    if (!rows.next())
      return make_error(Errc::kNotFound,
                        "no stored file with SHA-256 " + clean_text(sha256.substr(0, 64)), "");
    return rows.take(0);
  }

  Result<std::vector<Submission>> submissions(const SubmissionFilter& f) override {
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
    const std::lock_guard lock(mu_);
    RENKEI_TRY(rows, c_->query(sql, params));
    std::vector<Submission> out;
    out.reserve(rows.size());
    while (rows.next()) out.push_back(read_submission(rows));
    return out;
  }

  Result<SubmissionCounts> submission_counts(std::optional<std::int64_t> org_id,
                                             std::string_view since) override {
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
    SubmissionCounts c;
    const std::lock_guard lock(mu_);
    for (const auto& [column, out] :
         {std::pair{"verdict_class", &c.by_verdict}, std::pair{"status", &c.by_status},
          std::pair{"kind", &c.by_kind}}) {
      RENKEI_TRY(rows, c_->query(std::string("SELECT ") + column +
                                     ", COUNT(*) FROM submissions WHERE ($1 = 0 OR org_id = $1) "
                                     "AND submitted_at >= $2 GROUP BY " +
                                     column + " ORDER BY 2 DESC, 1",
                                 {org_id.value_or(0), from}));
      while (rows.next()) out->emplace_back(rows.text(0), rows.int64(1));
    }
    for (const auto& [k, n] : c.by_status) c.total += n;
    return c;
  }

  // ---- The analysis queue ----

  Result<std::optional<Claimed>> claim_next(std::string_view worker) override {
    const std::lock_guard lock(mu_);
    Transaction tx(*c_);
    RENKEI_CHECK(tx.begin());  // SQLite: IMMEDIATE, one claimer at a time across processes
    // PostgreSQL: SKIP LOCKED lets several servers claim side by side, each a different row.
    RENKEI_TRY(
        rows,
        c_->query(
            std::string(
                "UPDATE submissions SET status = 'analysing', claimed_by = $1, claimed_at = $2, "
                "attempts = attempts + 1 WHERE id = (SELECT id FROM submissions WHERE status = "
                "'queued' "
                "ORDER BY id LIMIT 1") +
                (pg() ? " FOR UPDATE SKIP LOCKED" : "") +
                ") RETURNING id, kind, attempts, free_text, artefact_sha256",
            {clean_text(worker), now_rfc3339()}));
    if (!rows.next()) return std::optional<Claimed>();
    Claimed c;
    c.id = rows.int64(0);
    c.kind = kind_from_id(rows.text(1)).value_or(SubmissionKind::kEmail);
    c.attempts = static_cast<int>(rows.int64(2));
    c.free_text = rows.take(3);
    // PostgreSQL: the claim is also held by this connection, for as long as it lives, with a
    // session-level advisory lock — taken before the claim commits, so no sweep on another server
    // ever sees the claim without its lock. requeue_stale() leaves a held claim alone and gives it
    // back at once when this process dies. (Session locks outlive the transaction they are taken
    // in; on failure the lock is let go here.)
    bool locked = false;
    if (pg()) {
      RENKEI_CHECK(c_->query("SELECT pg_advisory_lock($1)", {c.id}));
      locked = true;
    }
    auto finish = [&]() -> Result<void> {
      if (!rows.is_null(4)) {
        RENKEI_TRY(art, c_->query("SELECT bytes FROM artefacts WHERE sha256 = $1", {rows.text(4)}));
        if (art.next()) c.artefact = art.take(0);
      }
      return tx.commit();
    };
    if (auto done = finish(); !done) {
      tx.rollback();  // the claim is undone; then its lock is let go (outside the failed
                      // transaction)
      if (locked) (void)c_->query("SELECT pg_advisory_unlock($1)", {c.id});
      return tl::unexpected(done.error());
    }
    return std::optional<Claimed>(std::move(c));
  }

  Result<void> complete(std::int64_t id, std::string_view analysis_json,
                        std::string_view verdict_class, std::string_view subject,
                        std::string_view search_text) override {
    const std::lock_guard lock(mu_);
    Transaction tx(*c_);
    RENKEI_CHECK(tx.begin());
    const std::string clean_subject = clean_text(subject);
    RENKEI_TRY(
        rows,
        c_->query(
            "UPDATE submissions SET status = 'analysed', analysis_json = $1, verdict_class = $2, "
            "subject = $3, "
            "analysed_at = $4, error = '', claimed_by = NULL WHERE id = $5 RETURNING free_text",
            {clean_text(analysis_json), clean_text(verdict_class), clean_subject, now_rfc3339(),
             id}));
    if (!rows.next()) return not_found("submission", id);
    RENKEI_CHECK(
        set_search_text(id, clean_subject + "\n" + rows.text(0) + "\n" + clean_text(search_text)));
    RENKEI_CHECK(tx.commit());
    return release_claim(id);
  }

  Result<void> fail(std::int64_t id, std::string_view error) override {
    const std::lock_guard lock(mu_);
    RENKEI_TRY(rows, c_->query("UPDATE submissions SET status = CASE WHEN attempts >= $1 THEN "
                               "'failed' ELSE 'queued' END, error = $2, "
                               "claimed_by = NULL WHERE id = $3",
                               {kMaxAttempts, clean_text(error), id}));
    if (rows.changed == 0) return not_found("submission", id);
    return release_claim(id);
  }

  Result<int> requeue_stale(std::chrono::seconds older_than) override {
    const std::lock_guard lock(mu_);
    // PostgreSQL: only claims whose worker is gone — the claim's advisory lock is free (taking it
    // for the length of this statement proves it); a slow analysis keeps its claim.
    RENKEI_TRY(rows,
               c_->query(std::string("UPDATE submissions SET status = 'queued', claimed_by = NULL "
                                     "WHERE status = 'analysing' AND claimed_at <= $1") +
                             (pg() ? " AND pg_try_advisory_xact_lock(id)" : ""),
                         {now_rfc3339(std::chrono::system_clock::now() - older_than)}));
    return static_cast<int>(rows.changed);
  }

  // ---- Audit ----

  Result<void> audit(const AuditEntry& e) override {
    if (e.action.empty())
      return make_error(Errc::kInvalidArgument, "an audit entry needs an action", "");
    const std::lock_guard lock(mu_);
    RENKEI_CHECK(
        c_->query("INSERT INTO audit_log (at, user_id, action, object, remote, detail) VALUES ($1, "
                  "$2, $3, $4, $5, $6)",
                  {now_rfc3339(), e.user_id, clean_text(e.action), clean_text(e.object),
                   clean_text(e.remote), clean_text(e.detail)}));
    return {};
  }

  Result<std::vector<AuditEntry>> audit_log(std::int64_t before_id, int limit) override {
    if (limit < 1 || limit > kMaxListLimit)
      return make_error(Errc::kInvalidArgument,
                        "limit must be between 1 and " + std::to_string(kMaxListLimit), "");
    const std::lock_guard lock(mu_);
    RENKEI_TRY(rows, c_->query("SELECT id, at, user_id, action, object, remote, detail FROM "
                               "audit_log WHERE ($1 = 0 OR id < $1) "
                               "ORDER BY id DESC LIMIT $2",
                               {before_id, limit}));
    std::vector<AuditEntry> out;
    while (rows.next())
      out.push_back({rows.int64(0), rows.text(1), rows.opt_int64(2), rows.text(3), rows.text(4),
                     rows.text(5), rows.text(6)});
    return out;
  }

  Result<void> backup_to(const std::string& path) override {
    if (pg())
      return make_error(Errc::kInvalidArgument, "renkei backs up its SQLite store only",
                        "back up a PostgreSQL store with pg_dump (and restore it with pg_restore)");
    std::error_code ec;
    if (std::filesystem::exists(path, ec))
      return make_error(Errc::kConflict, "the backup file " + path + " exists already",
                        "choose a new file name");
    RENKEI_TRY(dest, sqlite::open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE));
    const std::lock_guard lock(mu_);
    return copy_database(static_cast<sqlite::Connection&>(*c_).raw(), dest.get(),
                         "backing up to " + path);
  }

  static Result<void> copy_database(sqlite3* from, sqlite3* to, const std::string& what) {
    sqlite3_backup* b = sqlite3_backup_init(to, "main", from, "main");
    if (b == nullptr) return tl::unexpected(sqlite::error_of(to, sqlite3_errcode(to), what));
    const int rc = sqlite3_backup_step(b, -1);
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE) return tl::unexpected(sqlite::error_of(to, rc, what));
    return {};
  }

 private:
  static constexpr std::string_view kSubmissionColumns =
      "SELECT id, org_id, external_reporter, submitted_by, kind, channel, disclosure, "
      "consultation_category, free_text, "
      "COALESCE(artefact_sha256, ''), artefact_size, status, submitted_at, COALESCE(analysed_at, "
      "''), verdict_class, subject, error";
  static constexpr int kSubmissionColumnCount = 17;

  bool pg() const { return c_->dialect() == sql::Dialect::kPostgres; }

  Result<int> version_locked() {
    RENKEI_TRY(exists,
               c_->query(pg() ? "SELECT 1 WHERE to_regclass('schema_migrations') IS NOT NULL"
                              : "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = "
                                "'schema_migrations'"));
    if (exists.empty()) return 0;  // a new, empty database
    RENKEI_TRY(rows, c_->query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"));
    return rows.next() ? static_cast<int>(rows.int64(0)) : 0;
  }

  // What full-text search finds a submission by (SQLite: the FTS5 table; PostgreSQL: a column).
  Result<void> set_search_text(std::int64_t id, const std::string& text) {
    if (pg()) {
      RENKEI_CHECK(c_->query("UPDATE submissions SET search_text = $1 WHERE id = $2", {text, id}));
      return {};
    }
    RENKEI_CHECK(c_->query("DELETE FROM submissions_fts WHERE rowid = $1", {id}));
    RENKEI_CHECK(
        c_->query("INSERT INTO submissions_fts (rowid, text) VALUES ($1, $2)", {id, text}));
    return {};
  }

  Result<void> release_claim(std::int64_t id) {
    if (pg()) RENKEI_CHECK(c_->query("SELECT pg_advisory_unlock($1)", {id}));
    return {};
  }

  static Result<void> validate(const Organization& org) {
    if (org.data.name.empty() || org.data.name.size() > kMaxNameBytes)
      return make_error(Errc::kInvalidArgument, "an organisation needs a name (1 to 256 bytes)",
                        "");
    if (!utf8::is_valid(org.data.name) || org.data.name.find('\0') != std::string::npos)
      return make_error(Errc::kInvalidArgument, "an organisation's name must be UTF-8 text", "");
    for (const auto* list : {&org.data.domains, &org.data.partner_domains})
      for (const auto& d : *list)
        if (normalize_domain(d).empty())
          return make_error(
              Errc::kInvalidArgument,
              "\"" + clean_text(d.substr(0, 100)) + "\" is not a domain name",
              "write a bare domain such as example.co.jp (no scheme, path, '@' or spaces)");
    return {};
  }

  Result<void> write_registry_data(std::int64_t org_id, const registry::Organization& o) {
    for (const auto& [list, kind] :
         {std::pair{&o.domains, "own"}, std::pair{&o.partner_domains, "partner"}})
      for (const auto& d : *list)
        RENKEI_CHECK(
            c_->query("INSERT INTO organization_domains (org_id, domain, kind) VALUES ($1, $2, $3) "
                      "ON CONFLICT DO NOTHING",
                      {org_id, normalize_domain(d), kind}));
    for (const auto& v : o.vips) {
      RENKEI_TRY(
          vip, c_->query("INSERT INTO vips (org_id, name, name_ja, title) VALUES ($1, $2, $3, $4) "
                         "RETURNING id",
                         {org_id, clean_text(v.name), clean_text(v.name_ja), clean_text(v.title)}));
      vip.next();
      const std::int64_t vip_id = vip.int64(0);
      for (const auto& a : v.addresses) {
        std::string lower = clean_text(a);
        for (auto& c : lower)
          if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
        RENKEI_CHECK(c_->query(
            "INSERT INTO vip_addresses (vip_id, address) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            {vip_id, lower}));
      }
    }
    return {};
  }

  Result<void> bump_registry_version() {
    RENKEI_CHECK(c_->query("UPDATE registry_version SET version = version + 1 WHERE id = 1"));
    return {};
  }

  // All organisations (id 0) or one, with their domains and VIPs.
  Result<std::vector<Organization>> load_organizations(std::int64_t only) {
    std::vector<Organization> out;
    RENKEI_TRY(o, c_->query("SELECT id, name, name_ja, industry, is_hub FROM organizations WHERE "
                            "($1 = 0 OR id = $1) ORDER BY id",
                            {only}));
    while (o.next()) {
      Organization org;
      org.id = o.int64(0);
      org.data.name = o.text(1);
      org.data.name_ja = o.text(2);
      org.data.industry = o.text(3);
      org.is_hub = o.int64(4) != 0;
      out.push_back(std::move(org));
    }
    auto find = [&](std::int64_t id) -> Organization* {
      auto it = std::lower_bound(out.begin(), out.end(), id,
                                 [](const Organization& a, std::int64_t v) { return a.id < v; });
      return it != out.end() && it->id == id ? &*it : nullptr;
    };
    RENKEI_TRY(d, c_->query("SELECT org_id, domain, kind FROM organization_domains WHERE ($1 = 0 "
                            "OR org_id = $1) ORDER BY org_id, domain",
                            {only}));
    while (d.next())
      if (Organization* org = find(d.int64(0)))
        (d.text(2) == "own" ? org->data.domains : org->data.partner_domains).push_back(d.text(1));
    RENKEI_TRY(
        v,
        c_->query(
            "SELECT v.org_id, v.id, v.name, v.name_ja, v.title, COALESCE(a.address, '') FROM vips "
            "v LEFT JOIN vip_addresses a "
            "ON a.vip_id = v.id WHERE ($1 = 0 OR v.org_id = $1) ORDER BY v.org_id, v.id, a.address",
            {only}));
    std::int64_t last_vip = 0;
    while (v.next()) {
      Organization* org = find(v.int64(0));
      if (org == nullptr) continue;
      if (v.int64(1) != last_vip) {
        org->data.vips.push_back({v.text(2), v.text(3), v.text(4), {}});
        last_vip = v.int64(1);
      }
      if (!v.text(5).empty()) org->data.vips.back().addresses.push_back(v.text(5));
    }
    return out;
  }

  static User read_user(const Rows& r, int c) {
    User u;
    u.id = r.int64(c);
    u.org_id = r.opt_int64(c + 1);
    u.login = r.text(c + 2);
    u.display_name = r.text(c + 3);
    u.role = role_from_id(r.text(c + 4)).value_or(Role::kReader);
    u.disabled = r.int64(c + 5) != 0;
    return u;
  }

  static Submission read_submission(Rows& r) {
    Submission s;
    s.id = r.int64(0);
    s.org_id = r.opt_int64(1);
    s.external_reporter = r.text(2);
    s.submitted_by = r.opt_int64(3);
    s.kind = kind_from_id(r.text(4)).value_or(SubmissionKind::kEmail);
    s.channel = r.text(5);
    s.disclosure = disclosure_from_id(r.text(6)).value_or(Disclosure::kNotShared);
    s.consultation_category = r.text(7);
    s.free_text = r.take(8);
    s.artefact_sha256 = r.text(9);
    s.artefact_size = r.int64(10);
    s.status = status_from_id(r.text(11)).value_or(Status::kQueued);
    s.submitted_at = r.text(12);
    s.analysed_at = r.text(13);
    s.verdict_class = r.text(14);
    s.subject = r.take(15);
    s.error = r.take(16);
    return s;
  }

  std::mutex mu_;  // guards c_: one statement sequence at a time on this connection
  std::unique_ptr<sql::Connection> c_;
};

}  // namespace

// ---- Vocabulary ----

std::string_view role_id(Role r) {
  switch (r) {
    case Role::kHubAdmin:
      return "hub_admin";
    case Role::kHubAnalyst:
      return "hub_analyst";
    case Role::kSubmitter:
      return "submitter";
    case Role::kReader:
      return "reader";
    case Role::kLiaison:
      return "liaison";
  }
  return "reader";
}

std::string_view kind_id(SubmissionKind k) {
  switch (k) {
    case SubmissionKind::kEmail:
      return "email";
    case SubmissionKind::kCommunication:
      return "communication";
    case SubmissionKind::kIncident:
      return "incident";
    case SubmissionKind::kMalware:
      return "malware";
    case SubmissionKind::kFakeSite:
      return "fake_site";
    case SubmissionKind::kConsultation:
      return "consultation";
  }
  return "email";
}

std::string_view disclosure_id(Disclosure d) {
  switch (d) {
    case Disclosure::kNotShared:
      return "not_shared";
    case Disclosure::kAnonymised:
      return "anonymised";
    case Disclosure::kWithName:
      return "with_name";
  }
  return "not_shared";
}

std::string_view status_id(Status s) {
  switch (s) {
    case Status::kQueued:
      return "queued";
    case Status::kAnalysing:
      return "analysing";
    case Status::kAnalysed:
      return "analysed";
    case Status::kFailed:
      return "failed";
  }
  return "queued";
}

namespace {
template <typename E, std::size_t N, typename F>
std::optional<E> from_id(std::string_view id, F&& name_of) {
  for (std::size_t i = 0; i < N; ++i)
    if (name_of(static_cast<E>(i)) == id) return static_cast<E>(i);
  return std::nullopt;
}
}  // namespace

std::optional<Role> role_from_id(std::string_view id) {
  return from_id<Role, 5>(id, role_id);
}
std::optional<SubmissionKind> kind_from_id(std::string_view id) {
  return from_id<SubmissionKind, 6>(id, kind_id);
}
std::optional<Disclosure> disclosure_from_id(std::string_view id) {
  return from_id<Disclosure, 3>(id, disclosure_id);
}
std::optional<Status> status_from_id(std::string_view id) {
  return from_id<Status, 4>(id, status_id);
}

// ---- Opening ----

std::string sqlite_path(const std::string& data_dir) {
  return (std::filesystem::path(data_dir) / "renkei.db").string();
}

Result<std::unique_ptr<Store>> open_sqlite(const std::string& data_dir) {
  std::error_code ec;
  std::filesystem::create_directories(data_dir, ec);
  if (ec)
    return make_error(Errc::kIo,
                      "cannot create the data directory " + data_dir + ": " + ec.message(),
                      "check the path and permissions");
  RENKEI_TRY(db, sqlite::open(sqlite_path(data_dir),
                              SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX));
  return std::unique_ptr<Store>(
      std::make_unique<SqlStore>(std::make_unique<sqlite::Connection>(std::move(db))));
}

Result<std::unique_ptr<Store>> open_postgres(const std::string& conninfo) {
  RENKEI_TRY(c, pg::Connection::open(conninfo));
  return std::unique_ptr<Store>(std::make_unique<SqlStore>(std::move(c)));
}

Result<std::unique_ptr<Store>> open_store(const StoreConfig& config) {
  if (config.database.empty()) return open_sqlite(config.data_dir);
  return open_postgres(config.database);
}

Result<void> restore_sqlite(const std::string& data_dir, const std::string& backup_path) {
  RENKEI_TRY(from, sqlite::open(backup_path, SQLITE_OPEN_READONLY));
  sqlite::Connection check(std::move(from));
  auto version = check.query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", {});
  if (!version || !version->next() || version->int64(0) < 1)
    return make_error(Errc::kInvalidArgument, backup_path + " is not a renkei backup",
                      "give a file made by `renkei admin backup`");
  std::error_code ec;
  std::filesystem::create_directories(data_dir, ec);
  RENKEI_TRY(to, sqlite::open(sqlite_path(data_dir), SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE));
  return SqlStore::copy_database(check.raw(), to.get(), "restoring from " + backup_path);
}

}  // namespace renkei::store
