// Helpers the store's SQL implementation files share (internal to the store module).
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.hpp"

namespace renkei::store::detail {

inline constexpr std::size_t kMaxNameBytes = 256;

// RFC 3339 UTC of now, or of `t`.
std::string now_rfc3339();
std::string rfc3339(std::chrono::system_clock::time_point t);

// Lowercased ASCII domain (IDNs as A-labels), or "" when it is not a plain domain name.
std::string normalize_domain(std::string_view d);

// Text derived from hostile input (subjects, search text, names) as valid UTF-8 without NUL, so
// both databases store it as it is shown.
std::string clean_text(std::string_view s);

// "a b c" -> {"a", "b", "c"}: how token scopes are stored.
std::vector<std::string> split_scopes(const std::string& scopes);

// YYYY-MM-DD (digits and dashes in place).
bool is_date(std::string_view d);

tl::unexpected<Error> not_found(std::string_view what, std::int64_t id);

// A conflict (unique name, missing referenced row) said the store's way; other errors as they are.
tl::unexpected<Error> conflict_or(const Error& e, std::string message, std::string hint = {});

}  // namespace renkei::store::detail

// Returns the error of a Result<…> expression from the enclosing function, discarding its value.
#define RENKEI_CHECK(expr)                                                                        \
  do {                                                                                            \
    if (auto renkei_r_ = (expr); !renkei_r_) return tl::unexpected(std::move(renkei_r_.error())); \
  } while (0)
