// Browser sessions: password login (POST /api/v1/session), the session cookie, CSRF and Origin
// checks, who the caller is (authenticate), the current session and logout.
#include <sodium.h>

#include <algorithm>
#include <charconv>
#include <ctime>

#include "hub/api_internal.hpp"
#include "util/text.hpp"
#include "util/time.hpp"

namespace renkei::hub {
namespace detail {
namespace {

// What a CSRF token is derived from, besides the session secret (versioned: a change of derivation
// is a new label).
constexpr std::string_view kCsrfLabel = "renkei.csrf/1";
// Login names longer than this are not looked up (no account has one) and not kept as limiter keys.
constexpr std::size_t kMaxLoginBytes = 256;

// The session cookie's value: "<secret>.<unix time of expiry>". The secret decides everything (the
// store knows the real expiry); the time is only there for GET /session to report.
struct CookieParts {
  std::string secret;
  std::string expires_at;  // RFC 3339, "" when the value carries none
};

CookieParts split_cookie(std::string_view value) {
  CookieParts c;
  const auto dot = value.rfind('.');
  c.secret = std::string(value.substr(0, dot));
  if (dot != std::string_view::npos) {
    std::int64_t unix_s = 0;
    const auto t = value.substr(dot + 1);
    const auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), unix_s);
    if (ec == std::errc() && p == t.data() + t.size() && unix_s > 0 &&
        unix_s < 253402300800)  // before year 10000
      c.expires_at = rfc3339(std::chrono::system_clock::time_point(std::chrono::seconds(unix_s)));
  }
  return c;
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

Error csrf_error(std::string message) {
  return Error{
      Errc::kPermissionDenied, std::move(message),
      "a browser session must send the X-CSRF-Token header it received at login (POST or GET "
      "/api/v1/session) from "
      "the hub's own pages; scripts use an API token ('Authorization: Bearer rk_…') instead"};
}

}  // namespace

std::string cookie_value(std::string_view header, std::string_view name) {
  // "a=1; b=2": pairs separated by ';', spaces around them ignored (RFC 6265 5.4).
  std::size_t b = 0;
  while (b <= header.size()) {
    const std::size_t e = std::min(header.find(';', b), header.size());
    const std::string_view pair = util::trim(header.substr(b, e - b));
    const auto eq = pair.find('=');
    if (eq != std::string_view::npos && util::trim(pair.substr(0, eq)) == name) {
      std::string v(util::trim(pair.substr(eq + 1)));
      if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
      return v;
    }
    b = e + 1;
  }
  return {};
}

bool same_origin(std::string_view origin, std::string_view host) {
  // Origin is "scheme://host[:port]" (or "null"); Host is "host[:port]". Browsers leave out the
  // scheme's default port in both.
  const auto scheme = origin.find("://");
  if (scheme == std::string_view::npos || host.empty()) return false;
  return util::ascii_lower(origin.substr(scheme + 3)) == util::ascii_lower(util::trim(host));
}

std::string rfc3339(std::chrono::system_clock::time_point t) {
  return util::rfc3339_utc(t);
}

std::string session_cookie(std::string_view value, std::chrono::seconds ttl) {
  return std::string(kSessionCookie) + "=" + std::string(value) +
         "; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=" + std::to_string(ttl.count());
}

std::string cleared_session_cookie() {
  return std::string(kSessionCookie) + "=; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=0";
}

Result<Authenticated> authenticate(store::Store& store, const Request& req) {
  Authenticated a;
  if (!req.authorization.empty()) {
    // An API token. A session secret is accepted only as its cookie (where the CSRF checks apply).
    constexpr std::string_view kBearer = "Bearer ";
    if (req.authorization.compare(0, kBearer.size(), kBearer) != 0)
      return make_error(
          Errc::kUnauthenticated, "the Authorization header is not 'Bearer <token>'",
          "send 'Authorization: Bearer rk_…' (renkei admin bootstrap prints the first token)");
    RENKEI_TRY(who, store.authenticate(std::string_view(req.authorization).substr(kBearer.size())));
    if (who.session)
      return make_error(Errc::kUnauthenticated, "a browser session is not an API token",
                        "create an API token (POST /api/v1/tokens) for scripts and send it as "
                        "'Authorization: Bearer rk_…'");
    a.who = std::move(who);
    return a;
  }
  const std::string value = cookie_value(req.cookie, kSessionCookie);
  if (value.empty())
    return make_error(Errc::kUnauthenticated, "this endpoint needs an API token or a session",
                      "send 'Authorization: Bearer rk_…' (renkei admin bootstrap prints the first "
                      "one), or log in with "
                      "POST /api/v1/session");
  CookieParts c = split_cookie(value);
  RENKEI_TRY(who, store.authenticate(c.secret));
  if (!who.session)
    return make_error(Errc::kUnauthenticated, "the session cookie does not hold a session",
                      "log in again with POST /api/v1/session");
  if (req.method != "GET" && req.method != "HEAD") {
    // The cookie comes with every request the browser makes to the hub, whoever's page asked for
    // it: a change needs proof that the hub's own page sent it.
    if (!req.origin.empty() && !same_origin(req.origin, req.host))
      return tl::unexpected(
          csrf_error("the request comes from another origin (" + req.origin.substr(0, 100) + ")"));
    if (req.csrf_token.empty())
      return tl::unexpected(csrf_error("this change needs the X-CSRF-Token header"));
    if (!constant_time_equal(req.csrf_token, csrf_token(c.secret)))
      return tl::unexpected(csrf_error("the X-CSRF-Token header does not belong to this session"));
  }
  a.who = std::move(who);
  a.session_secret = std::move(c.secret);
  a.expires_at = std::move(c.expires_at);
  return a;
}

namespace {

// GET /session: who is logged in, the CSRF token and the expiry; DELETE /session: log out.
Response current_session(const Call& call) {
  if (!call.who.session)
    return fail(Errc::kUnauthenticated,
                "this request has no browser session (it came with an API token)",
                "log in with POST /api/v1/session; an API token is revoked with DELETE "
                "/api/v1/tokens/{id}");
  if (call.method("GET"))
    return json_response(
        200, {{"user", user_json(call.who.user)},
              {"csrf_token", csrf_token(call.auth.session_secret)},
              {"expires_at",
               call.auth.expires_at.empty() ? json(nullptr) : json(call.auth.expires_at)}});
  if (auto r = call.store.revoke_token(call.who.token_id); !r) return error_response(r.error());
  call.audit("session.logout", "session:" + std::to_string(call.who.token_id));
  Response r = json_response(200, {{"logged_out", true}});
  r.headers.emplace_back("Set-Cookie", cleared_session_cookie());
  return r;
}

// POST /session: a password login makes a browser session. Only the hub's own pages may log in:
// a cross-site form (text/plain, another Origin) could otherwise log a victim into an attacker's
// account, and the victim's reports would go to the attacker's organisation (login CSRF).
Response login(const Request& req, const Api::Context& ctx) {
  if (media_type(req) != "application/json")
    return fail(Errc::kUnsupported, "a login is a JSON object sent as application/json",
                "send {\"login\": …, \"password\": …} with Content-Type: application/json");
  const bool cross_site =
      (!req.origin.empty() && !same_origin(req.origin, req.host)) ||
      (!req.fetch_site.empty() && req.fetch_site != "same-origin" && req.fetch_site != "none");
  if (cross_site)
    return fail(Errc::kPermissionDenied, "a login must come from the hub's own pages",
                "log in on the hub's web UI; scripts use an API token instead");
  auto j = object_body(req);
  if (!j) return error_response(j.error());
  std::string bad;
  const std::string login = str(*j, "login", bad), password = str(*j, "password", bad);
  if (!bad.empty())
    return fail(Errc::kInvalidArgument, "\"" + bad + "\" must be a string",
                "send {\"login\": …, \"password\": …}");

  // Guessing is slowed per address (every attempt counts) and per login name (failures count), so
  // neither many names from one address nor one name from many addresses goes fast.
  Api::Limiter& limiter = ctx.login_limiter;
  const std::string login_key = "l" + login.substr(0, kMaxLoginBytes);
  int wait = limiter.acquire("a" + req.remote);
  if (wait == 0) wait = limiter.acquire(login_key, /*take=*/false);
  if (wait > 0) {
    Response r = fail(Errc::kRateLimited, "too many login attempts",
                      "wait " + std::to_string(wait) + " s before trying again");
    for (auto& [k, v] : r.headers)
      if (k == "Retry-After") v = std::to_string(wait);
    return r;
  }

  auto who = login.size() > kMaxLoginBytes
                 ? Result<model::Principal>(
                       make_error(Errc::kUnauthenticated, "wrong login or password", ""))
                 : ctx.store.login(login, password);
  if (!who) {
    if (who.error().code != Errc::kUnauthenticated) return error_response(who.error());
    (void)limiter.acquire(login_key);
    // The name tried, never the password.
    (void)ctx.store.audit({0, "", std::nullopt, "session.login_failed",
                           "login:" + login.substr(0, 100), req.remote, ""});
    return fail(Errc::kUnauthenticated, "wrong login or password",
                "check both, or ask a hub admin to reset the password");
  }
  auto session = ctx.store.create_session(who->user.id, ctx.sessions.ttl);
  if (!session) return error_response(session.error());
  (void)ctx.store.audit({0, "", who->user.id, "session.login",
                         "session:" + std::to_string(session->id), req.remote, ""});
  const auto expires = std::chrono::system_clock::now() + ctx.sessions.ttl;
  const auto expires_unix =
      std::chrono::duration_cast<std::chrono::seconds>(expires.time_since_epoch()).count();
  Response r = json_response(200, {{"user", user_json(who->user)},
                                   {"csrf_token", csrf_token(session->secret)},
                                   {"expires_at", rfc3339(expires)}});
  r.headers.emplace_back(
      "Set-Cookie",
      session_cookie(session->secret + "." + std::to_string(expires_unix), ctx.sessions.ttl));
  return r;
}

}  // namespace

void add_session_routes(Api::Routes& r) {
  r.add_public("POST", "/session", login);
  r.add("GET", "/session", current_session);
  r.add("DELETE", "/session", current_session);
}

}  // namespace detail

std::string csrf_token(std::string_view session_secret) {
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(session_secret.data()),
                              session_secret.size());
  crypto_auth_hmacsha256_update(&st,
                                reinterpret_cast<const unsigned char*>(detail::kCsrfLabel.data()),
                                detail::kCsrfLabel.size());
  crypto_auth_hmacsha256_final(&st, mac);
  char hex[crypto_auth_hmacsha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
  return hex;
}

}  // namespace renkei::hub
