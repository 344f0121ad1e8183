// renkei::model — people and credentials: users with their role, API tokens and browser
// sessions, and the principal a request is made by.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace renkei::model {

enum class Role { kHubAdmin, kHubAnalyst, kSubmitter, kReader, kLiaison };
std::string_view role_id(Role r);  // "hub_admin", "hub_analyst", "submitter", "reader", "liaison"
std::optional<Role> role_from_id(std::string_view id);
inline bool is_hub_role(Role r) {
  return r == Role::kHubAdmin || r == Role::kHubAnalyst;
}

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

// Changes to a user; what is not given stays as it is.
struct UserUpdate {
  std::int64_t id = 0;
  std::optional<std::string> display_name;
  std::optional<Role> role;
  std::optional<bool> disabled;
  std::optional<std::string> password;  // "" removes the password (token-only account)
};

// A new credential: its id and the secret, shown once and never stored.
struct Token {
  std::int64_t id = 0;
  std::string secret;
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

// Who a token, a session or a password belongs to.
struct Principal {
  User user;
  std::int64_t token_id = 0;  // 0 for a password login; the session's id for a browser session
  std::vector<std::string> scopes;
  bool session = false;  // authenticated by a browser session (cookie), not an API token
};

}  // namespace renkei::model
