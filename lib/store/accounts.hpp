// renkei::store — users and their credentials: passwords (Argon2id), API tokens, browser
// sessions. Contract as in store.hpp (thread-safe, one transaction per call, errors as values).
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

// Active API tokens one user may hold at a time (the rate limit is per token and per user).
inline constexpr std::size_t kMaxTokensPerUser = 50;

class AccountStore {
 public:
  virtual ~AccountStore() = default;

  // Users and credentials. Logins are unique (kConflict).
  virtual Result<std::int64_t> create_user(const model::NewUser& user) = 0;
  virtual Result<model::User> user(std::int64_t id) = 0;
  virtual Result<std::vector<model::User>> users() = 0;
  // kUnauthenticated for an unknown login, a wrong password or a disabled account (one message
  // for all three, so logins cannot be probed). The password check (Argon2, tens of milliseconds,
  // also for unknown logins so that timing tells nothing) holds no connection or lock.
  virtual Result<model::Principal> login(std::string_view login, std::string_view password) = 0;
  // kConflict when the user holds kMaxTokensPerUser active API tokens already.
  virtual Result<model::Token> create_token(std::int64_t user_id, std::string_view name,
                                            std::vector<std::string> scopes) = 0;
  // kUnauthenticated for an unknown, revoked or malformed token or a disabled user.
  virtual Result<model::Principal> authenticate(std::string_view token) = 0;
  virtual Result<void> revoke_token(std::int64_t token_id) = 0;
  // The user a token belongs to (kNotFound when there is no such token).
  virtual Result<std::int64_t> token_owner(std::int64_t token_id) = 0;
  // API tokens (sessions excluded), of one user or of everyone; newest first.
  virtual Result<std::vector<model::TokenInfo>> tokens(std::optional<std::int64_t> user_id) = 0;
  // kNotFound for an unknown user; kInvalidArgument for an unusable password. Disabling a user
  // revokes all their sessions and API tokens (enabling them again does not bring those back); a
  // new password revokes their browser sessions.
  virtual Result<void> update_user(const model::UserUpdate& update) = 0;
  // A browser session for a user who logged in with a password: a secret for a cookie, valid for
  // `ttl` unless revoked (logout = revoke_token(id)). authenticate() accepts it with
  // Principal::session set; it carries the role's full rights (no scopes).
  virtual Result<model::Token> create_session(std::int64_t user_id, std::chrono::seconds ttl) = 0;
};

}  // namespace renkei::store
