#include "hub/api.hpp"

#include <sodium.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <mutex>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "hub/api_internal.hpp"
#include "hub/authz.hpp"
#include "hub/router.hpp"
#include "util/text.hpp"

namespace renkei::hub {
namespace detail {

Response json_response(int status, const json& body) {
  Response r;
  r.status = status;
  r.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
  return r;
}

Response fail(Errc code, std::string message, std::string hint) {
  return error_response(Error{code, std::move(message), std::move(hint)});
}

std::optional<std::int64_t> to_id(std::string_view s) {
  std::int64_t v = 0;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v <= 0) return std::nullopt;
  return v;
}

std::string query_of(const Request& req, const char* key) {
  auto it = req.query.find(key);
  return it == req.query.end() ? std::string() : it->second;
}

// ---- JSON views of the records ----

json org_json(const model::Organization& o) {
  json vips = json::array();
  for (const auto& v : o.data.vips)
    vips.push_back(
        {{"name", v.name}, {"name_ja", v.name_ja}, {"title", v.title}, {"addresses", v.addresses}});
  return {{"id", o.id},
          {"name", o.data.name},
          {"name_ja", o.data.name_ja},
          {"industry", o.data.industry},
          {"is_hub", o.is_hub},
          {"domains", o.data.domains},
          {"partner_domains", o.data.partner_domains},
          {"vips", vips}};
}

json user_json(const model::User& u) {
  return {{"id", u.id},
          {"login", u.login},
          {"display_name", u.display_name},
          {"role", model::role_id(u.role)},
          {"organization_id", u.org_id ? json(*u.org_id) : json(nullptr)},
          {"disabled", u.disabled}};
}

// ---- Reading request bodies ----

std::string str(const json& j, const char* key, std::string& bad) {
  if (!j.contains(key) || j[key].is_null()) return {};
  if (!j[key].is_string()) {
    bad = key;
    return {};
  }
  return j[key].get<std::string>();
}

std::vector<std::string> str_list(const json& j, const char* key, std::string& bad) {
  std::vector<std::string> out;
  if (!j.contains(key) || j[key].is_null()) return out;
  if (!j[key].is_array()) {
    bad = key;
    return out;
  }
  for (const auto& v : j[key]) {
    if (!v.is_string()) {
      bad = key;
      return {};
    }
    out.push_back(v.get<std::string>());
  }
  return out;
}

Result<json> object_body(const Request& req) {
  json j = json::parse(req.body, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    return make_error(Errc::kInvalidArgument, "the body is not a JSON object",
                      "see /api/v1/openapi.json for the fields");
  return j;
}

Result<registry::Organization> org_data_from_json(const json& j) {
  std::string bad;
  registry::Organization o;
  o.name = str(j, "name", bad);
  o.name_ja = str(j, "name_ja", bad);
  o.industry = str(j, "industry", bad);
  o.domains = str_list(j, "domains", bad);
  o.partner_domains = str_list(j, "partner_domains", bad);
  if (j.contains("vips") && !j["vips"].is_null() && !j["vips"].is_array()) bad = "vips";
  if (j.contains("vips") && j["vips"].is_array())
    for (const auto& v : j["vips"]) {
      if (!v.is_object()) {
        bad = "vips";
        break;
      }
      o.vips.push_back({str(v, "name", bad), str(v, "name_ja", bad), str(v, "title", bad),
                        str_list(v, "addresses", bad)});
    }
  if (!bad.empty())
    return make_error(Errc::kInvalidArgument, "\"" + bad + "\" has the wrong type",
                      "see /api/v1/openapi.json");
  return o;
}

std::optional<std::int64_t> Call::id(std::string_view name) const {
  return to_id(params[name]);
}

const Result<json>& Call::body() const {
  if (!body_) body_ = object_body(req);
  return *body_;
}

void Call::audit(std::string action, std::string object, std::string detail) const {
  (void)store.audit(
      {0, "", who.user.id, std::move(action), std::move(object), req.remote, std::move(detail)});
}

Response Call::deny(Decision d, std::string_view what) const {
  return d == Decision::kNotFound
             ? fail(Errc::kNotFound, "not found", "")
             : fail(Errc::kPermissionDenied, "your role or token may not " + std::string(what),
                    "ask a hub admin for the right role or a token with the needed scope");
}

}  // namespace detail

int http_status(Errc code) {
  switch (code) {
    case Errc::kInvalidArgument:
    case Errc::kParse:
      return 400;
    case Errc::kUnauthenticated:
      return 401;
    case Errc::kPermissionDenied:
      return 403;
    case Errc::kNotFound:
      return 404;
    case Errc::kConflict:
      return 409;
    case Errc::kLimit:
      return 413;
    case Errc::kUnsupported:
      return 415;
    case Errc::kUnavailable:
      return 503;
    case Errc::kRateLimited:
      return 429;
    case Errc::kIo:
    case Errc::kInternal:
      return 500;
  }
  return 500;
}

Response error_response(const Error& e) {
  Response r = detail::json_response(
      http_status(e.code),
      {{"error", {{"code", errc_name(e.code)}, {"message", e.message}, {"hint", e.hint}}}});
  if (e.code == Errc::kUnauthenticated)
    r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"renkei\"");
  if (e.code == Errc::kUnavailable || e.code == Errc::kRateLimited)
    r.headers.emplace_back("Retry-After", "1");
  return r;
}

int Api::Limiter::acquire(const std::string& key, bool take) {
  const auto now = std::chrono::steady_clock::now();
  const std::lock_guard lock(mu);
  if (buckets.size() > 100000) buckets.clear();  // bounded: forgetting is only generous
  auto [it, fresh] = buckets.try_emplace(key, Bucket{limit.burst, now});
  Bucket& b = it->second;
  if (!fresh) {
    const double elapsed = std::chrono::duration<double>(now - b.last).count();
    b.tokens = std::min(limit.burst, b.tokens + elapsed * limit.per_second);
    b.last = now;
  }
  if (b.tokens < 1)
    return std::max(1, static_cast<int>(std::ceil((1 - b.tokens) / limit.per_second)));
  if (take) b.tokens -= 1;
  return 0;
}

std::string media_type(const Request& req) {
  const std::string_view ct = req.content_type;
  return util::ascii_lower(util::trim(ct.substr(0, ct.find(';'))));
}

bool Response::has_header(std::string_view name) const {
  return std::any_of(headers.begin(), headers.end(),
                     [&](const auto& h) { return h.first == name; });
}

Api::Api(store::Store& store, std::function<void()> on_submitted, RateLimit limit,
         SessionOptions sessions)
    : ctx_(new Context{store, std::move(on_submitted), sessions, {}, {}}),
      routes_(std::make_unique<Routes>()) {
  ctx_->limiter.limit = limit;
  ctx_->login_limiter.limit = sessions.login_attempts;
  using namespace detail;
  Routes& r = *routes_;
  r.add_public("GET", "/health", [](const Request&, const Context& ctx) {
    auto v = ctx.store.schema_version();
    if (!v) return error_response(v.error());
    return json_response(200, {{"status", "ok"}, {"schema_version", *v}});
  });
  r.add_public("GET", "/openapi.json", [](const Request&, const Context&) {
    Response resp;
    resp.body = openapi_json();
    return resp;
  });
  add_session_routes(r);
  add_submission_routes(r);
  add_mail_routes(r);
  add_community_routes(r);
  add_account_routes(r);
  add_admin_routes(r);
  add_campaign_routes(r);
  add_triage_routes(r);
}

Api::~Api() = default;

namespace {

constexpr std::string_view kApiPrefix = "/api/v1";

// The answer to a request whose credentials the hub does not accept.
Response refused(const Error& e, const Request& req) {
  Response r = error_response(e);
  // A session cookie the hub no longer accepts is removed from the browser.
  if (e.code == Errc::kUnauthenticated && req.authorization.empty() &&
      !detail::cookie_value(req.cookie, kSessionCookie).empty())
    r.headers.emplace_back("Set-Cookie", detail::cleared_session_cookie());
  return r;
}

// Per credential and per user: more tokens (or sessions) do not buy a user more requests. Takes
// one request from both buckets when `take`; else only looks.
std::optional<Response> rate_limited(Api::Limiter& limiter, const model::Principal& who,
                                     bool take) {
  int wait = who.token_id != 0 ? limiter.acquire("t" + std::to_string(who.token_id), take) : 0;
  if (wait == 0) wait = limiter.acquire("u" + std::to_string(who.user.id), take);
  if (wait == 0) return std::nullopt;
  return detail::fail(Errc::kRateLimited, "too many requests with this token",
                      "slow down: at most " +
                          std::to_string(static_cast<int>(limiter.limit.per_second)) +
                          " per second on average");
}

}  // namespace

std::optional<Response> Api::admit(const Request& head) const {
  if (head.path.compare(0, kApiPrefix.size(), kApiPrefix) != 0) return std::nullopt;
  const auto route = routes_->table.match(head.method, head.path);
  if (route.handler != nullptr && route.handler->public_handler) return std::nullopt;
  auto auth = detail::authenticate(ctx_->store, head);
  if (!auth) return refused(auth.error(), head);
  return rate_limited(ctx_->limiter, auth->who, false);
}

Response Api::handle(const Request& req) const {
  using namespace detail;
  try {
    if (req.path.compare(0, kApiPrefix.size(), kApiPrefix) != 0)
      return fail(Errc::kNotFound, "no such endpoint: " + req.path.substr(0, 200),
                  "the API is under /api/v1 (see /api/v1/openapi.json)");
    const auto route = routes_->table.match(req.method, req.path);
    if (route.handler != nullptr && route.handler->public_handler)
      return route.handler->public_handler(req, *ctx_);

    // ---- Authentication: Bearer token, else the session cookie (with CSRF checks) ----
    auto auth = authenticate(ctx_->store, req);
    if (!auth) return refused(auth.error(), req);
    const model::Principal& who = auth->who;
    if (auto limited = rate_limited(ctx_->limiter, who, true)) return std::move(*limited);
    if (route.handler == nullptr)
      return fail(Errc::kNotFound,
                  "no such endpoint: " + req.method + " " + req.path.substr(0, 200),
                  "see /api/v1/openapi.json for what the API offers");
    const Call call{req, *ctx_, ctx_->store, who, *auth, route.params};
    return route.handler->handler(call);
  } catch (const json::exception& e) {
    // nlohmann's exceptions end here (the adaptor at this boundary): a malformed value.
    return fail(Errc::kInvalidArgument, std::string("malformed JSON value: ") + e.what(), "");
  }
}

}  // namespace renkei::hub
