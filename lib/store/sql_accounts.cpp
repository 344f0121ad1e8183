#include "store/sql_store.hpp"

// Users and credentials: passwords, API tokens, browser sessions.
#include "auth/auth.hpp"

namespace renkei::store {

using namespace detail;  // NOLINT(google-build-using-namespace): the store's own helpers
using namespace model;   // NOLINT(google-build-using-namespace): the records this file stores

Result<std::int64_t> SqlStore::create_user(const NewUser& u) {
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
  auto c = pool_->write();
  auto ins = c->query(
      "INSERT INTO users (org_id, login, display_name, role, password_hash, created_at) VALUES "
      "($1, $2, $3, $4, $5, $6) "
      "RETURNING id",
      {u.org_id, u.login, u.display_name, role_id(u.role), Param::text_or_null(hash),
       now_rfc3339()});
  if (!ins)
    return conflict_or(ins.error(),
                       "the login \"" + u.login + "\" exists already, or its organisation does not",
                       "choose another login, or create the organisation first");
  ins->next();
  return ins->int64(0);
}

Result<User> SqlStore::user(std::int64_t id) {
  auto c = pool_->read();
  RENKEI_TRY(
      rows,
      c->query("SELECT id, org_id, login, display_name, role, disabled FROM users WHERE id = $1",
               {id}));
  if (!rows.next()) return not_found("user", id);
  return read_user(rows, 0);
}

Result<std::vector<User>> SqlStore::users() {
  auto c = pool_->read();
  RENKEI_TRY(
      rows,
      c->query("SELECT id, org_id, login, display_name, role, disabled FROM users ORDER BY id"));
  std::vector<User> out;
  while (rows.next()) out.push_back(read_user(rows, 0));
  return out;
}

Result<Principal> SqlStore::login(std::string_view login, std::string_view password) {
  auto bad = [] {
    return make_error(Errc::kUnauthenticated, "wrong login or password",
                      "check both, or ask a hub admin to reset the password");
  };
  std::string hash;
  Principal p;
  bool known = false;
  {
    auto c = pool_->read();
    RENKEI_TRY(rows, c->query("SELECT id, org_id, login, display_name, role, disabled, "
                              "password_hash FROM users WHERE login = $1",
                              {clean_text(login)}));
    if (rows.next()) {
      known = true;
      p.user = read_user(rows, 0);
      hash = rows.text(6);
    }
  }
  // Argon2 with no connection held: it takes tens of milliseconds by design. Every refusal spends
  // the same work — an unknown login, an account without a password or a disabled one verify
  // against a dummy hash — so timing tells nothing about which accounts exist or how.
  const bool usable = known && !hash.empty() && !p.user.disabled;
  if (!usable) {
    static const std::string dummy = auth::hash_password("renkei-dummy-password").value_or("");
    (void)auth::verify_password(password, dummy);
    return bad();
  }
  if (!auth::verify_password(password, hash)) return bad();
  return p;
}

Result<Token> SqlStore::create_token(std::int64_t user_id, std::string_view name,
                                     std::vector<std::string> scopes) {
  Token t;
  t.secret = auth::new_token();
  std::string joined;
  for (const auto& s : scopes) joined += (joined.empty() ? "" : " ") + s;
  auto c = pool_->write();
  Transaction tx(*c);
  RENKEI_CHECK(tx.begin());
  // Tokens are not a way around the per-user limits: a user holds a bounded number at a time.
  RENKEI_TRY(held, c->query("SELECT COUNT(*) FROM api_tokens WHERE user_id = $1 AND kind = 'api' "
                            "AND revoked_at IS NULL",
                            {user_id}));
  if (held.next() && held.int64(0) >= static_cast<std::int64_t>(kMaxTokensPerUser))
    return make_error(Errc::kConflict,
                      "user " + std::to_string(user_id) + " holds " +
                          std::to_string(kMaxTokensPerUser) +
                          " active API tokens, the most allowed",
                      "revoke tokens that are no longer used (DELETE /api/v1/tokens/{id})");
  auto ins = c->query(
      "INSERT INTO api_tokens (user_id, name, digest, scopes, created_at) VALUES ($1, $2, $3, "
      "$4, $5) RETURNING id",
      {user_id, clean_text(name), auth::token_digest(t.secret), joined, now_rfc3339()});
  if (!ins)
    return ins.error().code == Errc::kConflict ? not_found("user", user_id)
                                               : tl::unexpected(ins.error());
  ins->next();
  t.id = ins->int64(0);
  RENKEI_CHECK(tx.commit());
  return t;
}

Result<Principal> SqlStore::authenticate(std::string_view token) {
  auto bad = [] {
    return make_error(Errc::kUnauthenticated,
                      "the API token or session is unknown, expired or revoked",
                      "use a valid token as 'Authorization: Bearer rk_…' (renkei admin bootstrap "
                      "prints the first; POST /api/v1/tokens "
                      "makes more), or log in again");
  };
  if (!auth::looks_like_token(token)) return bad();
  auto c = pool_->read();
  RENKEI_TRY(
      rows,
      c->query("SELECT u.id, u.org_id, u.login, u.display_name, u.role, u.disabled, t.id, "
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

Result<void> SqlStore::revoke_token(std::int64_t token_id) {
  auto c = pool_->write();
  RENKEI_TRY(rows,
             c->query("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL",
                      {now_rfc3339(), token_id}));
  if (rows.changed == 0) return not_found("active token", token_id);
  return {};
}

Result<std::int64_t> SqlStore::token_owner(std::int64_t token_id) {
  auto c = pool_->read();
  RENKEI_TRY(rows, c->query("SELECT user_id FROM api_tokens WHERE id = $1", {token_id}));
  if (!rows.next()) return not_found("token", token_id);
  return rows.int64(0);
}

Result<std::vector<TokenInfo>> SqlStore::tokens(std::optional<std::int64_t> user_id) {
  auto c = pool_->read();
  RENKEI_TRY(rows, c->query("SELECT id, user_id, name, scopes, created_at, COALESCE(revoked_at, "
                            "'') FROM api_tokens "
                            "WHERE kind = 'api' AND ($1 = 0 OR user_id = $1) ORDER BY id DESC",
                            {user_id.value_or(0)}));
  std::vector<TokenInfo> out;
  while (rows.next())
    out.push_back({rows.int64(0), rows.int64(1), rows.text(2), split_scopes(rows.text(3)),
                   rows.text(4), rows.text(5)});
  return out;
}

Result<void> SqlStore::update_user(const UserUpdate& u) {
  std::optional<std::string> hash;
  if (u.password) {
    if (u.password->empty())
      hash = std::string();
    else {
      RENKEI_TRY(h, auth::hash_password(*u.password));
      hash = std::move(h);
    }
  }
  auto c = pool_->write();
  Transaction tx(*c);
  RENKEI_CHECK(tx.begin());
  RENKEI_TRY(exists, c->query("SELECT 1 FROM users WHERE id = $1", {u.id}));
  if (exists.empty()) return not_found("user", u.id);
  if (u.display_name)
    RENKEI_CHECK(c->query("UPDATE users SET display_name = $1 WHERE id = $2",
                          {clean_text(*u.display_name), u.id}));
  if (u.role)
    RENKEI_CHECK(c->query("UPDATE users SET role = $1 WHERE id = $2", {role_id(*u.role), u.id}));
  if (u.disabled)
    RENKEI_CHECK(
        c->query("UPDATE users SET disabled = $1 WHERE id = $2", {*u.disabled ? 1 : 0, u.id}));
  // Disabling ends every credential of the user, sessions and API tokens alike: an account is
  // disabled when its person left or its secrets may have leaked, so enabling it again must not
  // bring old tokens back. The admin issues new ones.
  if (u.disabled && *u.disabled)
    RENKEI_CHECK(
        c->query("UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL",
                 {now_rfc3339(), u.id}));
  if (hash) {
    RENKEI_CHECK(c->query("UPDATE users SET password_hash = $1 WHERE id = $2",
                          {Param::text_or_null(*hash), u.id}));
    // A new password ends the browser sessions opened with the old one (API tokens stay: they
    // are credentials of their own, revoked one by one).
    RENKEI_CHECK(
        c->query("UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND kind = 'session' "
                 "AND revoked_at IS NULL",
                 {now_rfc3339(), u.id}));
  }
  return tx.commit();
}

Result<Token> SqlStore::create_session(std::int64_t user_id, std::chrono::seconds ttl) {
  Token t;
  t.secret = auth::new_token();
  const auto now = std::chrono::system_clock::now();
  auto c = pool_->write();
  auto ins = c->query(
      "INSERT INTO api_tokens (user_id, name, digest, scopes, created_at, kind, expires_at) "
      "VALUES ($1, 'session', $2, '', $3, 'session', $4) RETURNING id",
      {user_id, auth::token_digest(t.secret), rfc3339(now), rfc3339(now + ttl)});
  if (!ins)
    return ins.error().code == Errc::kConflict ? not_found("user", user_id)
                                               : tl::unexpected(ins.error());
  ins->next();
  t.id = ins->int64(0);
  return t;
}

}  // namespace renkei::store
