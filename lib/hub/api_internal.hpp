// Private to lib/hub: what the API's source files (api.cpp, api_admin.cpp, session.cpp) share —
// JSON views of the records, body readers, the token buckets and the context of an authenticated
// call. Not part of the module's contract (api.hpp is).
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "hub/api.hpp"
#include "hub/authz.hpp"

namespace renkei::hub {

// Token buckets by key ("t<token id>", "a<address>", "l<login>"): refilled at limit.per_second,
// holding at most limit.burst. Thread-safe.
struct Api::Limiter {
  struct Bucket {
    double tokens = 0;
    std::chrono::steady_clock::time_point last;
  };
  RateLimit limit;
  std::mutex mu;
  std::unordered_map<std::string, Bucket> buckets;

  // Takes one from the key's bucket (when `take`; else only looks): 0 when there was one, else the
  // whole seconds until there is (for Retry-After).
  int acquire(const std::string& key, bool take = true);
};

namespace detail {

using nlohmann::json;

Response json_response(int status, const json& body);
Response fail(Errc code, std::string message, std::string hint = {});
std::optional<std::int64_t> to_id(std::string_view s);
// Query parameter, or "".
std::string query_of(const Request& req, const char* key);

// A string member, or "" when absent; sets `bad` to the key when present with another type.
std::string str(const json& j, const char* key, std::string& bad);
std::vector<std::string> str_list(const json& j, const char* key, std::string& bad);
// The request body as a JSON object; an error naming what to send otherwise.
Result<json> object_body(const Request& req);

json org_json(const store::Organization& o);
json user_json(const store::User& u);
// An organisation's data from a body of the NewOrganization schema (kInvalidArgument naming the
// member of the wrong type).
Result<registry::Organization> org_data_from_json(const json& j);

// An authenticated call: who, what they asked, and the helpers every handler uses.
struct Call {
  const Request& req;
  store::Store& store;
  const store::Principal& who;
  std::span<const std::string_view> parts;  // the path below /api/v1

  bool method(std::string_view m) const { return req.method == m; }
  // Appends to the audit log (best effort: a refused audit write does not undo the change).
  void audit(std::string action, std::string object, std::string detail = {}) const;
  // The answer to a decision that is not kAllow: 404 "not found" or 403 naming `what`.
  Response deny(Decision d, std::string_view what) const;
};

// The administration endpoints (users, token lists, organisation updates and memberships, liaison
// networks and consultation categories created); nullopt when the call is not one of them.
std::optional<Response> handle_admin(const Call& call);

// ---- Reading mail and counts (api_mail.cpp) ----

// GET /submissions/{id}/body (html = false: the text, whether there is HTML, the remote images it
// would load) and /submissions/{id}/body.html (the sanitized HTML under a sandboxing CSP), for a
// submission the caller may read.
Response mail_view(const Call& call, const store::Submission& s, bool html);
// GET /stats?since=RFC3339: counts by verdict, status and kind, of what the caller may list.
std::optional<Response> handle_stats(const Call& call);

// ---- Authentication and browser sessions (session.cpp) ----

struct Authenticated {
  store::Principal who;
  std::string session_secret;  // when authenticated by the session cookie
  std::string expires_at;  // the session's end as its cookie carries it (RFC 3339; "" if unknown)
};
// Who makes this request: the Bearer token when there is an Authorization header, else the session
// cookie, which needs X-CSRF-Token (and a matching Origin, when one is sent) on anything but
// GET/HEAD. Errors: kUnauthenticated (401), kPermissionDenied (403: CSRF or Origin).
Result<Authenticated> authenticate(store::Store& store, const Request& req);
// GET and DELETE /session; nullopt for other requests.
std::optional<Response> handle_session(const Call& call, const Authenticated& auth);

// The value of cookie `name` in a Cookie header, or "".
std::string cookie_value(std::string_view header, std::string_view name);
// True when Origin ("scheme://host[:port]") names the same host and port as Host.
bool same_origin(std::string_view origin, std::string_view host);
// Set-Cookie values: a session cookie valid for `ttl` (the value carries the secret and the expiry
// for display), and one that removes it.
std::string session_cookie(std::string_view value, std::chrono::seconds ttl);
std::string cleared_session_cookie();
// RFC 3339 UTC of a point in time.
std::string rfc3339(std::chrono::system_clock::time_point t);

}  // namespace detail
}  // namespace renkei::hub
