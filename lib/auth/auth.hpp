// renkei::auth — credentials: password hashes (Argon2id, libsodium) and API tokens.
//
// Contract: every function is thread-safe once init() has succeeded (call it once at start; the
// other functions call it too). Secrets are never logged or returned after creation.
#pragma once

#include <string>
#include <string_view>

#include "util/result.hpp"

namespace renkei::auth {

// Passwords longer than this are refused (Argon2 would take them, but nobody types them).
inline constexpr std::size_t kMaxPasswordBytes = 1024;
inline constexpr std::size_t kMinPasswordBytes = 12;

// Initialises libsodium. Errors: kInternal when the library cannot start (no entropy source).
Result<void> init();

// Argon2id hash in libsodium's self-describing string form ("$argon2id$v=19$m=…"), with the
// "interactive" cost (64 MiB, 2 passes): what a login may spend. Errors: kInvalidArgument for a
// password shorter than kMinPasswordBytes or longer than kMaxPasswordBytes (hint says which).
Result<std::string> hash_password(std::string_view password);
// True when the password matches the stored hash (constant time in the password).
bool verify_password(std::string_view password, std::string_view stored_hash);

// A new API token: "rk_" followed by 43 base64url characters (256 random bits). Shown to the user
// once; the store keeps only token_digest() of it.
std::string new_token();
// A random password for bootstrap accounts (24 base64url characters, 144 bits).
std::string new_password();
// SHA-256 of a token, lowercase hex. Tokens carry 256 random bits, so a fast hash is the right one
// (a slow password hash would only slow every request).
std::string token_digest(std::string_view token);
// SHA-256 of any bytes, lowercase hex (content addresses of stored artefacts).
std::string sha256_hex(std::string_view bytes);
// True when the string has the shape of a token (prefix and length), before any lookup.
bool looks_like_token(std::string_view s);

}  // namespace renkei::auth
