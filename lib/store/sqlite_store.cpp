// The SQLite implementation of Store: one file (data_dir/renkei.db) in WAL mode.
#include <sqlite3.h>

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <mutex>
#include <system_error>

#include "auth/auth.hpp"
#include "store/migrations.hpp"
#include "store/sqlite_db.hpp"
#include "store/store.hpp"
#include "util/utf8.hpp"

namespace renkei::store {
namespace {

using sqlite::Statement;
using sqlite::Transaction;

constexpr int kBusyTimeoutMs = 5000;
constexpr std::size_t kMaxNameBytes = 256;

std::string now_rfc3339(std::chrono::system_clock::time_point t = std::chrono::system_clock::now()) {
  const std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// Lowercased ASCII domain, or "" when it is not a plain domain name.
std::string normalize_domain(std::string_view d) {
  std::string s;
  for (char c : d) s.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c);
  while (!s.empty() && s.back() == '.') s.pop_back();
  if (std::any_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; }))
    s = registry::idn_to_ascii(s);
  if (s.empty() || s.size() > 253 || s.front() == '.' || s.find('.') == std::string::npos || s.find("..") != std::string::npos)
    return {};
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_')) return {};
  return s;
}

#define RENKEI_STMT(name, db, sql) \
  Statement name((db), (sql));     \
  if (!name.ok()) return tl::unexpected(name.prepare_error())

#define RENKEI_CHECK(expr)                                   \
  do {                                                       \
    if (auto renkei_r_ = (expr); !renkei_r_)                 \
      return tl::unexpected(std::move(renkei_r_.error()));   \
  } while (0)

class SqliteStore final : public Store {
 public:
  explicit SqliteStore(sqlite::DbPtr db) : db_(std::move(db)) {}

  Result<int> migrate() override {
    const std::lock_guard lock(mu_);
    RENKEI_CHECK(sqlite::exec(db(), "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
                                    "name TEXT NOT NULL, applied_at TEXT NOT NULL)"));
    RENKEI_TRY(current, version_locked());
    int now = current;
    for (const Migration& m : migrations()) {
      if (m.version <= current) continue;
      Transaction tx(db());
      RENKEI_CHECK(tx.begin());
      RENKEI_CHECK(sqlite::exec(db(), m.sqlite));
      RENKEI_STMT(ins, db(), "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)");
      RENKEI_CHECK(ins.bind(1, m.version).bind(2, m.name).bind(3, now_rfc3339()).run());
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
    Transaction tx(db());
    RENKEI_CHECK(tx.begin());
    RENKEI_STMT(ins, db(), "INSERT INTO organizations (name, name_ja, industry, is_hub, created_at) VALUES (?, ?, ?, ?, ?)");
    ins.bind(1, org.data.name).bind(2, org.data.name_ja).bind(3, org.data.industry).bind(4, org.is_hub ? 1 : 0).bind(5, now_rfc3339());
    if (auto r = ins.run(); !r) {
      if (r.error().code == Errc::kConflict)
        return make_error(Errc::kConflict, "an organisation named \"" + org.data.name + "\" exists already",
                          "choose another name or update the existing organisation");
      return tl::unexpected(r.error());
    }
    const std::int64_t id = sqlite3_last_insert_rowid(db());
    RENKEI_CHECK(write_registry_data(id, org.data));
    RENKEI_CHECK(bump_registry_version());
    RENKEI_CHECK(tx.commit());
    return id;
  }

  Result<void> update_organization(const Organization& org) override {
    RENKEI_CHECK(validate(org));
    const std::lock_guard lock(mu_);
    Transaction tx(db());
    RENKEI_CHECK(tx.begin());
    RENKEI_STMT(up, db(), "UPDATE organizations SET name = ?, name_ja = ?, industry = ?, is_hub = ? WHERE id = ?");
    up.bind(1, org.data.name).bind(2, org.data.name_ja).bind(3, org.data.industry).bind(4, org.is_hub ? 1 : 0).bind(5, org.id);
    RENKEI_CHECK(up.run());
    if (sqlite3_changes(db()) == 0) return not_found("organisation", org.id);
    for (const char* sql : {"DELETE FROM organization_domains WHERE org_id = ?", "DELETE FROM vips WHERE org_id = ?"}) {
      RENKEI_STMT(del, db(), sql);
      RENKEI_CHECK(del.bind(1, org.id).run());
    }
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
    RENKEI_STMT(st, db(), "SELECT version FROM registry_version WHERE id = 1");
    RENKEI_TRY(row, st.step());
    return row ? st.int64(0) : 0;
  }

  // ---- SIGs and liaison networks ----

  Result<std::int64_t> create_sig(std::string_view name, std::string_view name_ja) override {
    if (name.empty() || name.size() > kMaxNameBytes) return make_error(Errc::kInvalidArgument, "a SIG needs a name (1 to 256 bytes)", "");
    const std::lock_guard lock(mu_);
    RENKEI_STMT(ins, db(), "INSERT INTO sigs (name, name_ja) VALUES (?, ?)");
    if (auto r = ins.bind(1, name).bind(2, name_ja).run(); !r) {
      if (r.error().code == Errc::kConflict)
        return make_error(Errc::kConflict, "a SIG named \"" + std::string(name) + "\" exists already", "");
      return tl::unexpected(r.error());
    }
    return static_cast<std::int64_t>(sqlite3_last_insert_rowid(db()));
  }

  Result<std::vector<Sig>> sigs() override {
    const std::lock_guard lock(mu_);
    RENKEI_STMT(st, db(),
                "SELECT s.id, s.name, s.name_ja, (SELECT COUNT(DISTINCT m.org_id) FROM sig_memberships m WHERE m.sig_id = s.id "
                "AND m.left_on IS NULL) FROM sigs s ORDER BY s.id");
    std::vector<Sig> out;
    for (;;) {
      RENKEI_TRY(row, st.step());
      if (!row) break;
      out.push_back({st.int64(0), st.text(1), st.text(2), static_cast<int>(st.int64(3))});
    }
    return out;
  }

  Result<void> add_membership(const Membership& m) override {
    auto is_date = [](const std::string& d) {
      return d.size() == 10 && d[4] == '-' && d[7] == '-' &&
             std::all_of(d.begin(), d.end(), [](char c) { return (c >= '0' && c <= '9') || c == '-'; });
    };
    if (!is_date(m.joined_on) || (!m.left_on.empty() && (!is_date(m.left_on) || m.left_on < m.joined_on)))
      return make_error(Errc::kInvalidArgument, "membership dates must be YYYY-MM-DD, and left_on not before joined_on", "");
    const std::lock_guard lock(mu_);
    RENKEI_STMT(ins, db(), "INSERT INTO sig_memberships (sig_id, org_id, joined_on, left_on) VALUES (?, ?, ?, ?)");
    ins.bind(1, m.sig_id).bind(2, m.org_id).bind(3, m.joined_on);
    if (m.left_on.empty()) ins.bind_null(4);
    else ins.bind(4, m.left_on);
    if (auto r = ins.run(); !r) {
      if (r.error().code == Errc::kConflict)
        return make_error(Errc::kConflict, "no such SIG or organisation, or this membership exists already", "");
      return r;
    }
    return {};
  }

  Result<std::vector<Membership>> memberships(std::int64_t org_id) override {
    const std::lock_guard lock(mu_);
    RENKEI_STMT(st, db(), "SELECT sig_id, org_id, joined_on, COALESCE(left_on, '') FROM sig_memberships WHERE org_id = ? ORDER BY joined_on, sig_id");
    st.bind(1, org_id);
    std::vector<Membership> out;
    for (;;) {
      RENKEI_TRY(row, st.step());
      if (!row) break;
      out.push_back({st.int64(0), st.int64(1), st.text(2), st.text(3)});
    }
    return out;
  }

  Result<std::int64_t> create_liaison_network(const LiaisonNetwork& n) override {
    if (n.name.empty() || n.name.size() > kMaxNameBytes || n.represented_members < 0)
      return make_error(Errc::kInvalidArgument, "a liaison network needs a name and a member count of 0 or more", "");
    const std::lock_guard lock(mu_);
    RENKEI_STMT(ins, db(), "INSERT INTO liaison_networks (name, name_ja, represented_members, org_id) VALUES (?, ?, ?, ?)");
    if (auto r = ins.bind(1, n.name).bind(2, n.name_ja).bind(3, n.represented_members).bind(4, n.org_id).run(); !r) {
      if (r.error().code == Errc::kConflict)
        return make_error(Errc::kConflict, "a liaison network named \"" + n.name + "\" exists already, or its organisation does not", "");
      return tl::unexpected(r.error());
    }
    return static_cast<std::int64_t>(sqlite3_last_insert_rowid(db()));
  }

  Result<std::vector<LiaisonNetwork>> liaison_networks() override {
    const std::lock_guard lock(mu_);
    RENKEI_STMT(st, db(), "SELECT id, name, name_ja, represented_members, org_id FROM liaison_networks ORDER BY id");
    std::vector<LiaisonNetwork> out;
    for (;;) {
      RENKEI_TRY(row, st.step());
      if (!row) break;
      out.push_back({st.int64(0), st.text(1), st.text(2), static_cast<int>(st.int64(3)), st.opt_int64(4)});
    }
    return out;
  }

  // ---- Users and credentials ----

  Result<std::int64_t> create_user(const NewUser& u) override {
    if (u.login.empty() || u.login.size() > kMaxNameBytes || u.login.find_first_of(" \t\r\n") != std::string::npos)
      return make_error(Errc::kInvalidArgument, "the login \"" + u.login.substr(0, 64) + "\" is not usable",
                        "use 1 to 256 characters without spaces, e.g. an e-mail address");
    std::string hash;
    if (!u.password.empty()) {
      RENKEI_TRY(h, auth::hash_password(u.password));
      hash = std::move(h);
    }
    const std::lock_guard lock(mu_);
    RENKEI_STMT(ins, db(), "INSERT INTO users (org_id, login, display_name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)");
    ins.bind(1, u.org_id).bind(2, u.login).bind(3, u.display_name).bind(4, role_id(u.role)).bind(6, now_rfc3339());
    if (hash.empty()) ins.bind_null(5);
    else ins.bind(5, hash);
    if (auto r = ins.run(); !r) {
      if (r.error().code == Errc::kConflict)
        return make_error(Errc::kConflict, "the login \"" + u.login + "\" exists already, or its organisation does not",
                          "choose another login, or create the organisation first");
      return tl::unexpected(r.error());
    }
    return static_cast<std::int64_t>(sqlite3_last_insert_rowid(db()));
  }

  Result<User> user(std::int64_t id) override {
    const std::lock_guard lock(mu_);
    RENKEI_STMT(st, db(), "SELECT id, org_id, login, display_name, role, disabled FROM users WHERE id = ?");
    st.bind(1, id);
    RENKEI_TRY(row, st.step());
    if (!row) return not_found("user", id);
    return read_user(st, 0);
  }

  Result<std::vector<User>> users() override {
    const std::lock_guard lock(mu_);
    RENKEI_STMT(st, db(), "SELECT id, org_id, login, display_name, role, disabled FROM users ORDER BY id");
    std::vector<User> out;
    for (;;) {
      RENKEI_TRY(row, st.step());
      if (!row) break;
      out.push_back(read_user(st, 0));
    }
    return out;
  }

  Result<Principal> login(std::string_view login, std::string_view password) override {
    auto bad = [] {
      return make_error(Errc::kUnauthenticated, "wrong login or password", "check both, or ask a hub admin to reset the password");
    };
    std::string hash;
    Principal p;
    {
      const std::lock_guard lock(mu_);
      RENKEI_STMT(st, db(), "SELECT id, org_id, login, display_name, role, disabled, password_hash FROM users WHERE login = ?");
      st.bind(1, login);
      RENKEI_TRY(row, st.step());
      if (!row) {
        // Spend the same time as for a known login, so logins cannot be probed by timing.
        static const std::string dummy = auth::hash_password("renkei-dummy-password").value_or("");
        (void)auth::verify_password(password, dummy);
        return bad();
      }
      p.user = read_user(st, 0);
      hash = st.text(6);
    }
    // Argon2 outside the lock: it takes tens of milliseconds by design.
    if (hash.empty() || p.user.disabled || !auth::verify_password(password, hash)) return bad();
    return p;
  }

  Result<Token> create_token(std::int64_t user_id, std::string_view name, std::vector<std::string> scopes) override {
    Token t;
    t.secret = auth::new_token();
    std::string joined;
    for (const auto& s : scopes) joined += (joined.empty() ? "" : " ") + s;
    const std::lock_guard lock(mu_);
    RENKEI_STMT(ins, db(), "INSERT INTO api_tokens (user_id, name, digest, scopes, created_at) VALUES (?, ?, ?, ?, ?)");
    ins.bind(1, user_id).bind(2, name).bind(3, auth::token_digest(t.secret)).bind(4, joined).bind(5, now_rfc3339());
    if (auto r = ins.run(); !r) {
      if (r.error().code == Errc::kConflict) return not_found("user", user_id);
      return tl::unexpected(r.error());
    }
    t.id = sqlite3_last_insert_rowid(db());
    return t;
  }

  Result<Principal> authenticate(std::string_view token) override {
    auto bad = [] {
      return make_error(Errc::kUnauthenticated, "the API token is unknown or revoked",
                        "use a valid token as 'Authorization: Bearer rk_…' (renkei admin bootstrap prints the first; POST /api/v1/tokens makes more)");
    };
    if (!auth::looks_like_token(token)) return bad();
    const std::lock_guard lock(mu_);
    RENKEI_STMT(st, db(),
                "SELECT u.id, u.org_id, u.login, u.display_name, u.role, u.disabled, t.id, t.scopes, t.kind FROM api_tokens t "
                "JOIN users u ON u.id = t.user_id WHERE t.digest = ? AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > ?)");
    st.bind(1, auth::token_digest(token)).bind(2, now_rfc3339());
    RENKEI_TRY(row, st.step());
    if (!row) return bad();
    Principal p;
    p.user = read_user(st, 0);
    if (p.user.disabled) return bad();
    p.token_id = st.int64(6);
    p.scopes = split_scopes(st.text(7));
    p.session = st.text(8) == "session";
    return p;
  }

  Result<void> revoke_token(std::int64_t token_id) override {
    const std::lock_guard lock(mu_);
    RENKEI_STMT(st, db(), "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL");
    RENKEI_CHECK(st.bind(1, now_rfc3339()).bind(2, token_id).run());
    if (sqlite3_changes(db()) == 0) return not_found("active token", token_id);
    return {};
  }

  Result<std::int64_t> token_owner(std::int64_t token_id) override {
    const std::lock_guard lock(mu_);
    RENKEI_STMT(st, db(), "SELECT user_id FROM api_tokens WHERE id = ?");
    st.bind(1, token_id);
    RENKEI_TRY(row, st.step());
    if (!row) return not_found("token", token_id);
    return st.int64(0);
  }

  Result<std::vector<TokenInfo>> tokens(std::optional<std::int64_t> user_id) override {
    const std::lock_guard lock(mu_);
    RENKEI_STMT(st, db(),
                "SELECT id, user_id, name, scopes, created_at, COALESCE(revoked_at, '') FROM api_tokens "
                "WHERE kind = 'api' AND (?1 IS NULL OR user_id = ?1) ORDER BY id DESC");
    st.bind(1, user_id);
    std::vector<TokenInfo> out;
    for (;;) {
      RENKEI_TRY(row, st.step());
      if (!row) break;
      out.push_back({st.int64(0), st.int64(1), st.text(2), split_scopes(st.text(3)), st.text(4), st.text(5)});
    }
    return out;
  }

  Result<void> update_user(const UserUpdate& u) override {
    std::optional<std::string> hash;
    if (u.password) {
      if (u.password->empty()) hash = std::string();
      else {
        RENKEI_TRY(h, auth::hash_password(*u.password));
        hash = std::move(h);
      }
    }
    const std::lock_guard lock(mu_);
    Transaction tx(db());
    RENKEI_CHECK(tx.begin());
    RENKEI_STMT(q, db(), "SELECT 1 FROM users WHERE id = ?");
    q.bind(1, u.id);
    RENKEI_TRY(exists, q.step());
    if (!exists) return not_found("user", u.id);
    if (u.display_name) {
      RENKEI_STMT(up, db(), "UPDATE users SET display_name = ? WHERE id = ?");
      RENKEI_CHECK(up.bind(1, *u.display_name).bind(2, u.id).run());
    }
    if (u.role) {
      RENKEI_STMT(up, db(), "UPDATE users SET role = ? WHERE id = ?");
      RENKEI_CHECK(up.bind(1, role_id(*u.role)).bind(2, u.id).run());
    }
    if (u.disabled) {
      RENKEI_STMT(up, db(), "UPDATE users SET disabled = ? WHERE id = ?");
      RENKEI_CHECK(up.bind(1, *u.disabled ? 1 : 0).bind(2, u.id).run());
    }
    if (hash) {
      RENKEI_STMT(up, db(), "UPDATE users SET password_hash = ? WHERE id = ?");
      if (hash->empty()) up.bind_null(1);
      else up.bind(1, *hash);
      RENKEI_CHECK(up.bind(2, u.id).run());
    }
    return tx.commit();
  }

  Result<Token> create_session(std::int64_t user_id, std::chrono::seconds ttl) override {
    Token t;
    t.secret = auth::new_token();
    const auto now = std::chrono::system_clock::now();
    const std::lock_guard lock(mu_);
    RENKEI_STMT(ins, db(),
                "INSERT INTO api_tokens (user_id, name, digest, scopes, created_at, kind, expires_at) VALUES (?, 'session', ?, '', ?, 'session', ?)");
    ins.bind(1, user_id).bind(2, auth::token_digest(t.secret)).bind(3, now_rfc3339(now)).bind(4, now_rfc3339(now + ttl));
    if (auto r = ins.run(); !r) {
      if (r.error().code == Errc::kConflict) return not_found("user", user_id);
      return tl::unexpected(r.error());
    }
    t.id = sqlite3_last_insert_rowid(db());
    return t;
  }

  Result<void> create_consultation_category(const Category& c) override {
    const bool key_ok = !c.key.empty() && c.key.size() <= 64 &&
                        std::all_of(c.key.begin(), c.key.end(), [](char ch) { return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_'; });
    if (!key_ok) return make_error(Errc::kInvalidArgument, "the category key \"" + c.key.substr(0, 64) + "\" is not usable",
                                   "use 1 to 64 lowercase ASCII letters, digits or '_', e.g. supply_chain");
    if (c.name.empty() || c.name.size() > kMaxNameBytes || c.name_ja.size() > kMaxNameBytes)
      return make_error(Errc::kInvalidArgument, "a category needs a name (1 to 256 bytes)", "give name and name_ja");
    const std::lock_guard lock(mu_);
    RENKEI_STMT(ins, db(),
                "INSERT INTO consultation_categories (key, name, name_ja, position) "
                "VALUES (?, ?, ?, (SELECT COALESCE(MAX(position), 0) + 1 FROM consultation_categories))");
    if (auto r = ins.bind(1, c.key).bind(2, c.name).bind(3, c.name_ja).run(); !r) {
      if (r.error().code == Errc::kConflict) return make_error(Errc::kConflict, "the category \"" + c.key + "\" exists already", "");
      return r;
    }
    return {};
  }

  Result<std::vector<Category>> consultation_categories() override {
    const std::lock_guard lock(mu_);
    RENKEI_STMT(st, db(), "SELECT key, name, name_ja FROM consultation_categories ORDER BY position, key");
    std::vector<Category> out;
    for (;;) {
      RENKEI_TRY(row, st.step());
      if (!row) break;
      out.push_back({st.text(0), st.text(1), st.text(2)});
    }
    return out;
  }

  // ---- Submissions ----

  Result<SubmitResult> submit(const NewSubmission& s) override {
    if (s.artefact.size() > kMaxArtefactBytes)
      return make_error(Errc::kLimit, "the submitted file is " + std::to_string(s.artefact.size()) + " bytes",
                        "the limit is " + std::to_string(kMaxArtefactBytes >> 20) + " MiB per submission");
    if (s.free_text.size() > kMaxFreeTextBytes)
      return make_error(Errc::kInvalidArgument, "the free text is too long",
                        "the limit is " + std::to_string(kMaxFreeTextBytes >> 10) + " KiB; attach longer material as a file");
    if (!s.org_id && s.external_reporter.empty())
      return make_error(Errc::kInvalidArgument, "a submission needs an organisation or an external reporter's name", "");
    if (s.artefact.empty() && s.free_text.empty())
      return make_error(Errc::kInvalidArgument, "the submission is empty", "attach the suspicious mail or describe what happened");
    const std::string sha = s.artefact.empty() ? std::string() : auth::sha256_hex(s.artefact);
    const std::string dedup =
        sha.empty() ? std::string() : (s.org_id ? std::to_string(*s.org_id) : "ext:" + s.external_reporter) + ":" + sha;
    const std::lock_guard lock(mu_);
    Transaction tx(db());
    RENKEI_CHECK(tx.begin());
    if (!dedup.empty()) {
      RENKEI_STMT(q, db(), "SELECT id FROM submissions WHERE dedup_key = ?");
      q.bind(1, dedup);
      RENKEI_TRY(row, q.step());
      if (row) return SubmitResult{q.int64(0), true};
      RENKEI_STMT(art, db(), "INSERT OR IGNORE INTO artefacts (sha256, size, bytes, created_at) VALUES (?, ?, ?, ?)");
      art.bind(1, sha).bind(2, static_cast<std::int64_t>(s.artefact.size())).bind_blob(3, s.artefact).bind(4, now_rfc3339());
      RENKEI_CHECK(art.run());
    }
    RENKEI_STMT(ins, db(),
                "INSERT INTO submissions (org_id, external_reporter, submitted_by, kind, channel, disclosure, "
                "consultation_category, free_text, artefact_sha256, artefact_size, dedup_key, status, submitted_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?)");
    ins.bind(1, s.org_id).bind(2, s.external_reporter).bind(3, s.submitted_by).bind(4, kind_id(s.kind)).bind(5, s.channel);
    ins.bind(6, disclosure_id(s.disclosure)).bind(7, s.consultation_category).bind(8, s.free_text);
    if (sha.empty()) ins.bind_null(9).bind_null(11);
    else ins.bind(9, sha).bind(11, dedup);
    ins.bind(10, static_cast<std::int64_t>(s.artefact.size())).bind(12, now_rfc3339());
    RENKEI_CHECK(ins.run());
    const std::int64_t id = sqlite3_last_insert_rowid(db());
    RENKEI_STMT(fts, db(), "INSERT INTO submissions_fts (rowid, text) VALUES (?, ?)");
    RENKEI_CHECK(fts.bind(1, id).bind(2, s.free_text).run());
    RENKEI_CHECK(tx.commit());
    return SubmitResult{id, false};
  }

  Result<Submission> submission(std::int64_t id) override {
    const std::lock_guard lock(mu_);
    RENKEI_STMT(st, db(), std::string(kSubmissionColumns) + ", analysis_json FROM submissions WHERE id = ?");
    st.bind(1, id);
    RENKEI_TRY(row, st.step());
    if (!row) return not_found("submission", id);
    Submission s = read_submission(st);
    s.analysis_json = st.text(kSubmissionColumnCount);
    return s;
  }

  Result<std::string> artefact(std::string_view sha256) override {
    const std::lock_guard lock(mu_);
    RENKEI_STMT(st, db(), "SELECT bytes FROM artefacts WHERE sha256 = ?");
    st.bind(1, sha256);
    RENKEI_TRY(row, st.step());
    if (!row) return make_error(Errc::kNotFound, "no stored file with SHA-256 " + std::string(sha256.substr(0, 64)), "");
    return st.blob(0);
  }

  Result<std::vector<Submission>> submissions(const SubmissionFilter& f) override {
    if (f.limit < 1 || f.limit > kMaxListLimit)
      return make_error(Errc::kInvalidArgument, "limit must be between 1 and " + std::to_string(kMaxListLimit), "");
    std::string sql = std::string(kSubmissionColumns) + " FROM submissions WHERE 1 = 1";
    if (f.org_id) sql += " AND org_id = ?1";
    if (f.status) sql += " AND status = ?2";
    if (f.kind) sql += " AND kind = ?3";
    if (!f.verdict_class.empty()) sql += " AND verdict_class = ?4";
    if (f.before_id > 0) sql += " AND id < ?5";
    // The search text comes from the network: as valid UTF-8 without control characters (FTS5
    // refuses a NUL in a phrase). Trigram full-text search needs three characters (code points,
    // not bytes); shorter terms ("社長") are matched with LIKE on the subject and free text.
    std::u32string cps = utf8::decode(f.text);
    std::replace_if(cps.begin(), cps.end(), [](char32_t c) { return c < 0x20 || c == 0x7F; }, U' ');
    const std::string text = utf8::encode(cps);
    const bool fts = cps.size() >= 3;
    if (!text.empty()) {
      if (fts) sql += " AND id IN (SELECT rowid FROM submissions_fts WHERE submissions_fts MATCH ?6)";
      else sql += " AND (subject LIKE ?7 OR free_text LIKE ?7)";
    }
    sql += " ORDER BY id DESC LIMIT ?8";
    const std::lock_guard lock(mu_);
    RENKEI_STMT(st, db(), sql);
    if (f.org_id) st.bind(1, *f.org_id);
    if (f.status) st.bind(2, status_id(*f.status));
    if (f.kind) st.bind(3, kind_id(*f.kind));
    if (!f.verdict_class.empty()) st.bind(4, f.verdict_class);
    if (f.before_id > 0) st.bind(5, f.before_id);
    if (!text.empty()) {
      if (fts) {
        std::string phrase = "\"";
        for (char c : text) phrase += c == '"' ? std::string("\"\"") : std::string(1, c);
        st.bind(6, phrase + "\"");
      } else {
        st.bind(7, "%" + text + "%");
      }
    }
    st.bind(8, f.limit);
    std::vector<Submission> out;
    for (;;) {
      RENKEI_TRY(row, st.step());
      if (!row) break;
      out.push_back(read_submission(st));
    }
    return out;
  }

  // ---- The analysis queue ----

  Result<std::optional<Claimed>> claim_next(std::string_view worker) override {
    const std::lock_guard lock(mu_);
    Transaction tx(db());
    RENKEI_CHECK(tx.begin());  // IMMEDIATE: only one claimer at a time, across processes too
    RENKEI_STMT(q, db(),
                "SELECT s.id, s.kind, s.attempts, a.bytes, s.free_text FROM submissions s LEFT JOIN artefacts a ON a.sha256 = s.artefact_sha256 "
                "WHERE s.status = 'queued' ORDER BY s.id LIMIT 1");
    RENKEI_TRY(row, q.step());
    if (!row) return std::optional<Claimed>();
    Claimed c;
    c.id = q.int64(0);
    c.kind = kind_from_id(q.text(1)).value_or(SubmissionKind::kEmail);
    c.attempts = static_cast<int>(q.int64(2)) + 1;
    c.artefact = q.blob(3);
    c.free_text = q.text(4);
    RENKEI_STMT(up, db(), "UPDATE submissions SET status = 'analysing', claimed_by = ?, claimed_at = ?, attempts = attempts + 1 WHERE id = ?");
    RENKEI_CHECK(up.bind(1, worker).bind(2, now_rfc3339()).bind(3, c.id).run());
    RENKEI_CHECK(tx.commit());
    return std::optional<Claimed>(std::move(c));
  }

  Result<void> complete(std::int64_t id, std::string_view analysis_json, std::string_view verdict_class,
                        std::string_view subject, std::string_view search_text) override {
    const std::lock_guard lock(mu_);
    Transaction tx(db());
    RENKEI_CHECK(tx.begin());
    RENKEI_STMT(up, db(),
                "UPDATE submissions SET status = 'analysed', analysis_json = ?, verdict_class = ?, subject = ?, analysed_at = ?, "
                "error = '', claimed_by = NULL WHERE id = ?");
    RENKEI_CHECK(up.bind(1, analysis_json).bind(2, verdict_class).bind(3, subject).bind(4, now_rfc3339()).bind(5, id).run());
    if (sqlite3_changes(db()) == 0) return not_found("submission", id);
    RENKEI_STMT(text, db(), "SELECT free_text FROM submissions WHERE id = ?");
    text.bind(1, id);
    RENKEI_TRY(row, text.step());
    const std::string all = std::string(subject) + "\n" + (row ? text.text(0) : std::string()) + "\n" + std::string(search_text);
    RENKEI_STMT(del, db(), "DELETE FROM submissions_fts WHERE rowid = ?");
    RENKEI_CHECK(del.bind(1, id).run());
    RENKEI_STMT(fts, db(), "INSERT INTO submissions_fts (rowid, text) VALUES (?, ?)");
    RENKEI_CHECK(fts.bind(1, id).bind(2, all).run());
    return tx.commit();
  }

  Result<void> fail(std::int64_t id, std::string_view error) override {
    const std::lock_guard lock(mu_);
    RENKEI_STMT(up, db(),
                "UPDATE submissions SET status = CASE WHEN attempts >= ? THEN 'failed' ELSE 'queued' END, error = ?, "
                "claimed_by = NULL WHERE id = ?");
    RENKEI_CHECK(up.bind(1, kMaxAttempts).bind(2, error).bind(3, id).run());
    if (sqlite3_changes(db()) == 0) return not_found("submission", id);
    return {};
  }

  Result<int> requeue_stale(std::chrono::seconds older_than) override {
    const std::lock_guard lock(mu_);
    RENKEI_STMT(up, db(), "UPDATE submissions SET status = 'queued', claimed_by = NULL WHERE status = 'analysing' AND claimed_at <= ?");
    RENKEI_CHECK(up.bind(1, now_rfc3339(std::chrono::system_clock::now() - older_than)).run());
    return sqlite3_changes(db());
  }

  // ---- Audit ----

  Result<void> audit(const AuditEntry& e) override {
    if (e.action.empty()) return make_error(Errc::kInvalidArgument, "an audit entry needs an action", "");
    const std::lock_guard lock(mu_);
    RENKEI_STMT(ins, db(), "INSERT INTO audit_log (at, user_id, action, object, remote, detail) VALUES (?, ?, ?, ?, ?, ?)");
    return ins.bind(1, now_rfc3339()).bind(2, e.user_id).bind(3, e.action).bind(4, e.object).bind(5, e.remote).bind(6, e.detail).run();
  }

  Result<std::vector<AuditEntry>> audit_log(std::int64_t before_id, int limit) override {
    if (limit < 1 || limit > kMaxListLimit)
      return make_error(Errc::kInvalidArgument, "limit must be between 1 and " + std::to_string(kMaxListLimit), "");
    const std::lock_guard lock(mu_);
    RENKEI_STMT(st, db(),
                "SELECT id, at, user_id, action, object, remote, detail FROM audit_log WHERE (?1 = 0 OR id < ?1) ORDER BY id DESC LIMIT ?2");
    st.bind(1, before_id).bind(2, limit);
    std::vector<AuditEntry> out;
    for (;;) {
      RENKEI_TRY(row, st.step());
      if (!row) break;
      out.push_back({st.int64(0), st.text(1), st.opt_int64(2), st.text(3), st.text(4), st.text(5), st.text(6)});
    }
    return out;
  }

  Result<void> backup_to(const std::string& path) override {
    std::error_code ec;
    if (std::filesystem::exists(path, ec))
      return make_error(Errc::kConflict, "the backup file " + path + " exists already", "choose a new file name");
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    sqlite::DbPtr dest(raw);
    if (rc != SQLITE_OK) return tl::unexpected(sqlite::error_of(raw, rc, "creating " + path));
    const std::lock_guard lock(mu_);
    return copy_database(db(), dest.get(), "backing up to " + path);
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
      "SELECT id, org_id, external_reporter, submitted_by, kind, channel, disclosure, consultation_category, free_text, "
      "COALESCE(artefact_sha256, ''), artefact_size, status, submitted_at, COALESCE(analysed_at, ''), verdict_class, subject, error";
  static constexpr int kSubmissionColumnCount = 17;

  sqlite3* db() { return db_.get(); }

  Result<int> version_locked() {
    RENKEI_STMT(exists, db(), "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'");
    RENKEI_TRY(has_table, exists.step());
    if (!has_table) return 0;  // a new, empty database
    RENKEI_STMT(st, db(), "SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
    RENKEI_TRY(row, st.step());
    return row ? static_cast<int>(st.int64(0)) : 0;
  }

  static std::vector<std::string> split_scopes(const std::string& scopes) {
    std::vector<std::string> out;
    for (std::size_t b = 0; b < scopes.size();) {
      const std::size_t e = std::min(scopes.find(' ', b), scopes.size());
      if (e > b) out.push_back(scopes.substr(b, e - b));
      b = e + 1;
    }
    return out;
  }

  static tl::unexpected<Error> not_found(std::string_view what, std::int64_t id) {
    return make_error(Errc::kNotFound, "no " + std::string(what) + " with id " + std::to_string(id), "");
  }

  static Result<void> validate(const Organization& org) {
    if (org.data.name.empty() || org.data.name.size() > kMaxNameBytes)
      return make_error(Errc::kInvalidArgument, "an organisation needs a name (1 to 256 bytes)", "");
    for (const auto* list : {&org.data.domains, &org.data.partner_domains})
      for (const auto& d : *list)
        if (normalize_domain(d).empty())
          return make_error(Errc::kInvalidArgument, "\"" + d.substr(0, 100) + "\" is not a domain name",
                            "write a bare domain such as example.co.jp (no scheme, path, '@' or spaces)");
    return {};
  }

  Result<void> write_registry_data(std::int64_t org_id, const registry::Organization& o) {
    RENKEI_STMT(dom, db(), "INSERT OR IGNORE INTO organization_domains (org_id, domain, kind) VALUES (?, ?, ?)");
    for (const auto& [list, kind] : {std::pair{&o.domains, "own"}, std::pair{&o.partner_domains, "partner"}})
      for (const auto& d : *list) {
        RENKEI_CHECK(dom.bind(1, org_id).bind(2, normalize_domain(d)).bind(3, std::string_view(kind)).run());
        dom.reset();
      }
    RENKEI_STMT(vip, db(), "INSERT INTO vips (org_id, name, name_ja, title) VALUES (?, ?, ?, ?)");
    RENKEI_STMT(addr, db(), "INSERT OR IGNORE INTO vip_addresses (vip_id, address) VALUES (?, ?)");
    for (const auto& v : o.vips) {
      RENKEI_CHECK(vip.bind(1, org_id).bind(2, v.name).bind(3, v.name_ja).bind(4, v.title).run());
      vip.reset();
      const std::int64_t vip_id = sqlite3_last_insert_rowid(db());
      for (const auto& a : v.addresses) {
        std::string lower = a;
        for (auto& c : lower)
          if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
        RENKEI_CHECK(addr.bind(1, vip_id).bind(2, lower).run());
        addr.reset();
      }
    }
    return {};
  }

  Result<void> bump_registry_version() { return sqlite::exec(db(), "UPDATE registry_version SET version = version + 1 WHERE id = 1"); }

  // All organisations (id 0) or one, with their domains and VIPs.
  Result<std::vector<Organization>> load_organizations(std::int64_t only) {
    std::vector<Organization> out;
    RENKEI_STMT(o, db(), "SELECT id, name, name_ja, industry, is_hub FROM organizations WHERE (?1 = 0 OR id = ?1) ORDER BY id");
    o.bind(1, only);
    for (;;) {
      RENKEI_TRY(row, o.step());
      if (!row) break;
      Organization org;
      org.id = o.int64(0);
      org.data.name = o.text(1);
      org.data.name_ja = o.text(2);
      org.data.industry = o.text(3);
      org.is_hub = o.int64(4) != 0;
      out.push_back(std::move(org));
    }
    auto find = [&](std::int64_t id) -> Organization* {
      auto it = std::lower_bound(out.begin(), out.end(), id, [](const Organization& a, std::int64_t v) { return a.id < v; });
      return it != out.end() && it->id == id ? &*it : nullptr;
    };
    RENKEI_STMT(d, db(), "SELECT org_id, domain, kind FROM organization_domains WHERE (?1 = 0 OR org_id = ?1) ORDER BY org_id, domain");
    d.bind(1, only);
    for (;;) {
      RENKEI_TRY(row, d.step());
      if (!row) break;
      if (Organization* org = find(d.int64(0))) (d.text(2) == "own" ? org->data.domains : org->data.partner_domains).push_back(d.text(1));
    }
    RENKEI_STMT(v, db(),
                "SELECT v.org_id, v.id, v.name, v.name_ja, v.title, COALESCE(a.address, '') FROM vips v LEFT JOIN vip_addresses a "
                "ON a.vip_id = v.id WHERE (?1 = 0 OR v.org_id = ?1) ORDER BY v.org_id, v.id, a.address");
    v.bind(1, only);
    std::int64_t last_vip = 0;
    for (;;) {
      RENKEI_TRY(row, v.step());
      if (!row) break;
      Organization* org = find(v.int64(0));
      if (org == nullptr) continue;
      if (v.int64(1) != last_vip) {
        org->data.vips.push_back({v.text(2), v.text(3), v.text(4), {}});
        last_vip = v.int64(1);
      }
      if (!v.is_null(5) && !v.text(5).empty()) org->data.vips.back().addresses.push_back(v.text(5));
    }
    return out;
  }

  static User read_user(const Statement& st, int c) {
    User u;
    u.id = st.int64(c);
    u.org_id = st.opt_int64(c + 1);
    u.login = st.text(c + 2);
    u.display_name = st.text(c + 3);
    u.role = role_from_id(st.text(c + 4)).value_or(Role::kReader);
    u.disabled = st.int64(c + 5) != 0;
    return u;
  }

  static Submission read_submission(const Statement& st) {
    Submission s;
    s.id = st.int64(0);
    s.org_id = st.opt_int64(1);
    s.external_reporter = st.text(2);
    s.submitted_by = st.opt_int64(3);
    s.kind = kind_from_id(st.text(4)).value_or(SubmissionKind::kEmail);
    s.channel = st.text(5);
    s.disclosure = disclosure_from_id(st.text(6)).value_or(Disclosure::kNotShared);
    s.consultation_category = st.text(7);
    s.free_text = st.text(8);
    s.artefact_sha256 = st.text(9);
    s.artefact_size = st.int64(10);
    s.status = status_from_id(st.text(11)).value_or(Status::kQueued);
    s.submitted_at = st.text(12);
    s.analysed_at = st.text(13);
    s.verdict_class = st.text(14);
    s.subject = st.text(15);
    s.error = st.text(16);
    return s;
  }

  std::mutex mu_;  // guards db_: one statement sequence at a time on this connection
  sqlite::DbPtr db_;
};

Result<sqlite::DbPtr> open_db(const std::string& path, int flags) {
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  sqlite::DbPtr db(raw);
  if (rc != SQLITE_OK) return tl::unexpected(sqlite::error_of(raw, rc, "opening " + path));
  sqlite3_busy_timeout(raw, kBusyTimeoutMs);
  sqlite3_extended_result_codes(raw, 1);
  // WAL: readers do not block the writer; synchronous=FULL: a commit is on disk when it returns,
  // so an acknowledged submission survives a crash or kill -9.
  for (const char* pragma : {"PRAGMA journal_mode = WAL", "PRAGMA synchronous = FULL", "PRAGMA foreign_keys = ON"})
    if (auto r = sqlite::exec(raw, pragma); !r) return tl::unexpected(r.error());
  return db;
}

}  // namespace

// ---- Vocabulary ----

std::string_view role_id(Role r) {
  switch (r) {
    case Role::kHubAdmin: return "hub_admin";
    case Role::kHubAnalyst: return "hub_analyst";
    case Role::kSubmitter: return "submitter";
    case Role::kReader: return "reader";
    case Role::kLiaison: return "liaison";
  }
  return "reader";
}

std::string_view kind_id(SubmissionKind k) {
  switch (k) {
    case SubmissionKind::kEmail: return "email";
    case SubmissionKind::kCommunication: return "communication";
    case SubmissionKind::kIncident: return "incident";
    case SubmissionKind::kMalware: return "malware";
    case SubmissionKind::kFakeSite: return "fake_site";
    case SubmissionKind::kConsultation: return "consultation";
  }
  return "email";
}

std::string_view disclosure_id(Disclosure d) {
  switch (d) {
    case Disclosure::kNotShared: return "not_shared";
    case Disclosure::kAnonymised: return "anonymised";
    case Disclosure::kWithName: return "with_name";
  }
  return "not_shared";
}

std::string_view status_id(Status s) {
  switch (s) {
    case Status::kQueued: return "queued";
    case Status::kAnalysing: return "analysing";
    case Status::kAnalysed: return "analysed";
    case Status::kFailed: return "failed";
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

std::optional<Role> role_from_id(std::string_view id) { return from_id<Role, 5>(id, role_id); }
std::optional<SubmissionKind> kind_from_id(std::string_view id) { return from_id<SubmissionKind, 6>(id, kind_id); }
std::optional<Disclosure> disclosure_from_id(std::string_view id) { return from_id<Disclosure, 3>(id, disclosure_id); }
std::optional<Status> status_from_id(std::string_view id) { return from_id<Status, 4>(id, status_id); }

// ---- Opening ----

std::string sqlite_path(const std::string& data_dir) { return (std::filesystem::path(data_dir) / "renkei.db").string(); }

Result<std::unique_ptr<Store>> open_sqlite(const std::string& data_dir) {
  std::error_code ec;
  std::filesystem::create_directories(data_dir, ec);
  if (ec) return make_error(Errc::kIo, "cannot create the data directory " + data_dir + ": " + ec.message(), "check the path and permissions");
  RENKEI_TRY(db, open_db(sqlite_path(data_dir), SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX));
  return std::unique_ptr<Store>(std::make_unique<SqliteStore>(std::move(db)));
}

Result<void> restore_sqlite(const std::string& data_dir, const std::string& backup_path) {
  RENKEI_TRY(from, open_db(backup_path, SQLITE_OPEN_READONLY));
  Statement check(from.get(), "SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
  if (!check.ok() || !check.step().value_or(false) || check.int64(0) < 1)
    return make_error(Errc::kInvalidArgument, backup_path + " is not a renkei backup", "give a file made by `renkei admin backup`");
  std::error_code ec;
  std::filesystem::create_directories(data_dir, ec);
  RENKEI_TRY(to, open_db(sqlite_path(data_dir), SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE));
  return SqliteStore::copy_database(from.get(), to.get(), "restoring from " + backup_path);
}

}  // namespace renkei::store

namespace renkei::store {

Result<std::unique_ptr<Store>> open_store(const StoreConfig& config) {
  if (config.database.empty()) return open_sqlite(config.data_dir);
  return make_error(Errc::kUnavailable, "PostgreSQL is not available in this build yet", "leave --database empty to use SQLite");
}

}  // namespace renkei::store
