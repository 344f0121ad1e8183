// Private to lib/hub: what the API's source files (api.cpp, api_submissions.cpp, api_community.cpp,
// api_accounts.cpp, api_admin.cpp, api_mail.cpp, session.cpp) share — the route table, the context
// of a call, JSON views of the records, body readers and the token buckets. Not part of the
// module's contract (api.hpp is).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
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
#include "hub/router.hpp"

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

// What every handler may use besides its request.
struct Api::Context {
  store::Store& store;
  std::function<void()> on_submitted;  // wakes the analysis workers
  SessionOptions sessions;
  // The buckets change with every request; they are thread-safe, so a const context may use them.
  mutable Limiter limiter;        // requests per token or session
  mutable Limiter login_limiter;  // password attempts per address and per login
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

json org_json(const model::Organization& o);
json user_json(const model::User& u);
// An organisation's data from a body of the NewOrganization schema (kInvalidArgument naming the
// member of the wrong type).
Result<registry::Organization> org_data_from_json(const json& j);

struct Authenticated;

// An authenticated call: who, what they asked, and the helpers every handler uses.
struct Call {
  Call(const Request& r, const Api::Context& c, store::Store& s, const model::Principal& w,
       const Authenticated& a, const PathParams& p)
      : req(r), ctx(c), store(s), who(w), auth(a), params(p) {}

  const Request& req;
  const Api::Context& ctx;
  store::Store& store;
  const model::Principal& who;
  const Authenticated& auth;
  const PathParams& params;  // the route's {name} segments

  bool method(std::string_view m) const { return req.method == m; }
  // The path parameter {name} as an id (nullopt when it is not a positive integer).
  std::optional<std::int64_t> id(std::string_view name = "id") const;
  // The request body as a JSON object, parsed once for the whole call (an error naming what to
  // send otherwise).
  const Result<json>& body() const;
  // Appends to the audit log (best effort: a refused audit write does not undo the change).
  void audit(std::string action, std::string object, std::string detail = {}) const;
  // The answer to a decision that is not kAllow: 404 "not found" or 403 naming `what`.
  Response deny(Decision d, std::string_view what) const;

 private:
  mutable std::optional<Result<json>> body_;
};

}  // namespace detail

// The API's route table: patterns below /api/v1. Public routes answer without authentication.
struct Api::Routes {
  using Handler = std::function<Response(const detail::Call&)>;
  using PublicHandler = std::function<Response(const Request&, const Api::Context&)>;
  struct Route {
    Handler handler;               // for an authenticated caller
    PublicHandler public_handler;  // set for public routes
  };
  Router<Route> table;

  void add(std::string method, std::string_view pattern, Handler h) {
    table.add(std::move(method), "/api/v1" + std::string(pattern), Route{std::move(h), {}});
  }
  void add_public(std::string method, std::string_view pattern, PublicHandler h) {
    table.add(std::move(method), "/api/v1" + std::string(pattern), Route{{}, std::move(h)});
  }
};

namespace detail {

// The submission {id} of the route, when the caller may read it; else the answer to give (404 for
// a missing one and another organisation's alike).
tl::expected<model::Submission, Response> readable_submission(const Call& c);

// Each resource's file registers its endpoints.
void add_submission_routes(Api::Routes& r);  // api_submissions.cpp
void add_mail_routes(Api::Routes& r);        // api_mail.cpp: mail views, statistics
void add_community_routes(Api::Routes& r);   // api_community.cpp: organisations, SIGs, liaison
void add_account_routes(Api::Routes& r);     // api_accounts.cpp: me, users, tokens, audit
void add_admin_routes(Api::Routes& r);       // api_admin.cpp: what only admins change
void add_session_routes(Api::Routes& r);     // session.cpp: login, session, logout
void add_campaign_routes(Api::Routes& r);    // api_campaigns.cpp: campaigns and their corrections
void add_triage_routes(Api::Routes& r);      // api_triage.cpp: queue, decisions, conversation

// A submission's triage as its view shows it to this caller: state, reason, the analyst's
// verdict; for hub staff also the note and who decided.
json triage_json(const Call& c, std::int64_t submission_id);

// A submission's campaign as its view shows it to this caller (id and name; for hub staff also
// who placed it there, whether it is pinned and the match score), or null.
json submission_campaign_json(const Call& c, std::int64_t submission_id);

// ---- Authentication and browser sessions (session.cpp) ----

struct Authenticated {
  model::Principal who;
  std::string session_secret;  // when authenticated by the session cookie
  std::string expires_at;  // the session's end as its cookie carries it (RFC 3339; "" if unknown)
};
// Who makes this request: the Bearer token when there is an Authorization header, else the session
// cookie, which needs X-CSRF-Token (and a matching Origin, when one is sent) on anything but
// GET/HEAD. Errors: kUnauthenticated (401), kPermissionDenied (403: CSRF or Origin).
Result<Authenticated> authenticate(store::Store& store, const Request& req);
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
