// renkei::hub API — the REST API under /api/v1, independent of the HTTP transport: a Request in,
// a Response out. server.cpp carries it over HTTP; the unit tests call it directly.
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
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/store.hpp"

namespace renkei::hub {

struct Request {
  std::string method;                        // "GET", "POST", "PUT", "PATCH", "DELETE"
  std::string path;                          // "/api/v1/submissions/42" (no query)
  std::map<std::string, std::string> query;  // decoded query parameters
  std::string authorization;                 // the Authorization header
  std::string content_type;
  std::string body;
  std::string remote;      // client address, for the audit log and login limits
  std::string cookie;      // the Cookie header
  std::string csrf_token;  // the X-CSRF-Token header
  std::string origin;      // the Origin header ("" when absent)
  std::string host;        // the Host header
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

// The one mapping of error codes to HTTP statuses.
int http_status(Errc code);
Response error_response(const Error& e);

// Requests per API token (or per user for password logins): a token bucket refilled at
// `per_second`, holding at most `burst`. Beyond it: 429 with Retry-After.
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
  Response handle(const Request& request) const;

  struct Limiter;  // token buckets by key (api.cpp)

 private:
  Response login(const Request& request) const;

  store::Store& store_;
  std::function<void()> on_submitted_;
  SessionOptions sessions_;
  std::unique_ptr<Limiter> limiter_;        // requests per token or session
  std::unique_ptr<Limiter> login_limiter_;  // password attempts per address and per login
};

// The OpenAPI 3.1 description of the API (served at /api/v1/openapi.json).
const std::string& openapi_json();

}  // namespace renkei::hub
