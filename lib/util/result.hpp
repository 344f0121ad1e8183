// renkei::util — errors as values.
//
// Every operation that can fail for an expected reason (bad input, missing file, a limit hit)
// returns Result<T>: either the value or an Error carrying a stable code, a message for the log and
// a hint that tells the user what to do. Exceptions from third-party libraries are converted at the
// boundary by the adaptor that calls them; they never cross a module's public header.
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include <tl/expected.hpp>

namespace renkei {

// Stable error codes. They map once to CLI exit codes (cli/exit_codes.hpp) and, later, to HTTP.
enum class Errc {
  kInvalidArgument,   // the caller passed something malformed (bad flag value, bad TOML)
  kNotFound,          // a file or object does not exist
  kIo,                // reading or writing failed
  kParse,             // hostile or damaged input could not be parsed at all
  kLimit,             // a named limit was hit and nothing useful could be produced
  kUnsupported,       // valid input we do not handle
  kConflict,          // the object exists already / was changed meanwhile
  kUnauthenticated,   // no or bad credentials
  kPermissionDenied,  // authenticated, but not allowed
  kUnavailable,       // a resource is busy or down (database locked, shutting down): retry later
  kRateLimited,       // too many requests from this client: slow down
  kInternal,          // a bug: should never happen
};

std::string_view errc_name(Errc code);

struct Error {
  Errc code = Errc::kInternal;
  std::string message;  // what went wrong, one sentence, no trailing period needed
  std::string hint;     // what the user can do about it; may be empty

  // "message (hint)" for logs and terminals.
  std::string to_string() const;
};

template <typename T>
using Result = tl::expected<T, Error>;

inline tl::unexpected<Error> make_error(Errc code, std::string message, std::string hint = {}) {
  return tl::unexpected<Error>(Error{code, std::move(message), std::move(hint)});
}

}  // namespace renkei

// RENKEI_TRY(var, expr): evaluates expr (a Result); on error returns the error from the enclosing
// function, else moves the value into a new variable var.
#define RENKEI_CONCAT_INNER(a, b) a##b
#define RENKEI_CONCAT(a, b) RENKEI_CONCAT_INNER(a, b)
// `var` names the variable the macro declares: it cannot be parenthesised.
// NOLINTBEGIN(bugprone-macro-parentheses)
#define RENKEI_TRY(var, expr)                                                       \
  auto RENKEI_CONCAT(renkei_try_, __LINE__) = (expr);                               \
  if (!RENKEI_CONCAT(renkei_try_, __LINE__))                                        \
    return tl::unexpected(std::move(RENKEI_CONCAT(renkei_try_, __LINE__).error())); \
  auto var = std::move(*RENKEI_CONCAT(renkei_try_, __LINE__))
// NOLINTEND(bugprone-macro-parentheses)
