// renkei::hub API — the REST API under /api/v1, independent of the HTTP transport: a Request in,
// a Response out (http.hpp). server.cpp carries it over HTTP; the unit tests call it directly.
// Its endpoints are a route table (router.hpp) filled by one file per resource:
// api_submissions.cpp, api_community.cpp, api_accounts.cpp, api_mail.cpp (mail views, statistics),
// session.cpp.
//
// Contract: handle() is thread-safe. Every error is a JSON body {"error": {"code", "message",
// "hint"}} with the status of http_status(); nothing is half-written (each change is one store
// transaction). Authorisation is decided in authz.hpp.
//
// Authentication: "Authorization: Bearer rk_…" (an API token) wins when present; otherwise the
// browser session cookie (kSessionCookie) made by POST /api/v1/session. A request with the cookie
// whose method is not GET/HEAD must carry X-CSRF-Token (csrf_token(), returned at login) and, when
// it has an Origin, an Origin matching its Host: else 403. Session secrets are accepted only as the
// cookie and API tokens only as Bearer.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hub/http.hpp"
#include "store/store.hpp"

namespace renkei::hub {

// Requests per API token or session, and per user (so that more tokens do not buy more requests):
// token buckets refilled at `per_second`, holding at most `burst`. Beyond it: 429 with
// Retry-After.
struct RateLimit {
  double per_second = 20;
  double burst = 300;
};

// Browser sessions: how long one lasts, and how many password attempts a remote address and a
// login name get (Argon2 is expensive, and guessing must stay slow): a burst of 10, then one every
// 6 s. Beyond it: 429 with Retry-After.
struct SessionOptions {
  std::chrono::seconds ttl{12 * 3600};
  RateLimit login_attempts{1.0 / 6, 10};
};

// The cookie that carries a browser session.
inline constexpr std::string_view kSessionCookie = "renkei_session";
// The CSRF token of a session: hex HMAC-SHA256 keyed by the session secret over a fixed label.
// Script on another origin cannot compute it (the cookie is HttpOnly).
std::string csrf_token(std::string_view session_secret);

class Api {
 public:
  // `on_submitted` is called after a submission was stored (wakes the analysis workers).
  Api(store::Store& store, std::function<void()> on_submitted = {}, RateLimit limit = {},
      SessionOptions sessions = {});
  ~Api();
  Api(const Api&) = delete;
  Api& operator=(const Api&) = delete;
  // Any path; what is not under /api/v1 is answered 404.
  Response handle(const Request& request) const;
  // The decision on a request of which only the head is known (its body not read yet), so that
  // the server reads no body for a caller who may not send it: the answer handle() would give
  // (401, 403 for CSRF, 429 when the caller's requests are spent) when the route needs a
  // principal the headers do not give; nullopt when the body may be read (public routes, paths
  // handle() refuses anyway). Takes nothing from the rate limit. Thread-safe.
  std::optional<Response> admit(const Request& head) const;

  struct Limiter;  // token buckets by key (api.cpp)
  struct Context;  // what every handler may use (api_internal.hpp)
  struct Routes;   // the route table (api_internal.hpp)

 private:
  std::unique_ptr<Context> ctx_;
  std::unique_ptr<Routes> routes_;
};

// The OpenAPI 3.1 description of the API (served at /api/v1/openapi.json).
const std::string& openapi_json();

}  // namespace renkei::hub
