#include "auth/auth.hpp"

#include <sodium.h>

#include <array>

namespace renkei::auth {
namespace {

constexpr std::string_view kTokenPrefix = "rk_";
constexpr std::size_t kTokenRandomBytes = 32;

std::string base64url(const unsigned char* data, std::size_t n) {
  std::string out(sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(out.data(), out.size(), data, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(std::char_traits<char>::length(out.c_str()));
  return out;
}

std::string random_string(std::size_t bytes) {
  std::array<unsigned char, 64> buf{};
  randombytes_buf(buf.data(), bytes);
  std::string s = base64url(buf.data(), bytes);
  sodium_memzero(buf.data(), buf.size());
  return s;
}

}  // namespace

Result<void> init() {
  static const int rc = sodium_init();
  if (rc < 0)
    return make_error(Errc::kInternal, "libsodium could not be initialised",
                      "check that /dev/urandom is readable");
  return {};
}

Result<std::string> hash_password(std::string_view password) {
  if (auto r = init(); !r) return tl::unexpected(r.error());
  if (password.size() < kMinPasswordBytes)
    return make_error(Errc::kInvalidArgument, "the password is too short",
                      "use at least " + std::to_string(kMinPasswordBytes) + " characters");
  if (password.size() > kMaxPasswordBytes)
    return make_error(Errc::kInvalidArgument, "the password is too long",
                      "use at most " + std::to_string(kMaxPasswordBytes) + " bytes");
  std::array<char, crypto_pwhash_STRBYTES> out{};
  if (crypto_pwhash_str(out.data(), password.data(), password.size(),
                        crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    return make_error(Errc::kUnavailable, "not enough memory to hash the password", "retry later");
  return std::string(out.data());
}

bool verify_password(std::string_view password, std::string_view stored_hash) {
  if (!init() || password.size() > kMaxPasswordBytes ||
      stored_hash.size() >= crypto_pwhash_STRBYTES)
    return false;
  std::array<char, crypto_pwhash_STRBYTES> h{};
  std::copy(stored_hash.begin(), stored_hash.end(), h.begin());
  return crypto_pwhash_str_verify(h.data(), password.data(), password.size()) == 0;
}

std::string new_token() {
  (void)init();
  return std::string(kTokenPrefix) + random_string(kTokenRandomBytes);
}

std::string new_password() {
  (void)init();
  return random_string(18);
}

std::string token_digest(std::string_view token) {
  return sha256_hex(token);
}

std::string sha256_hex(std::string_view token) {
  (void)init();
  std::array<unsigned char, crypto_hash_sha256_BYTES> d{};
  crypto_hash_sha256(d.data(), reinterpret_cast<const unsigned char*>(token.data()), token.size());
  std::string hex(d.size() * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), d.data(), d.size());
  hex.pop_back();
  return hex;
}

bool looks_like_token(std::string_view s) {
  return s.size() == kTokenPrefix.size() + 43 && s.substr(0, kTokenPrefix.size()) == kTokenPrefix &&
         s.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
                             kTokenPrefix.size()) == std::string_view::npos;
}

}  // namespace renkei::auth
