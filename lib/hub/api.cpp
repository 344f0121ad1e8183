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

json org_json(const store::Organization& o) {
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

json user_json(const store::User& u) {
  return {{"id", u.id},
          {"login", u.login},
          {"display_name", u.display_name},
          {"role", store::role_id(u.role)},
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

namespace {

using namespace detail;

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> out;
  std::size_t b = 0;
  while (b < path.size()) {
    while (b < path.size() && path[b] == '/') ++b;
    const std::size_t e = std::min(path.find('/', b), path.size());
    if (e > b) out.push_back(path.substr(b, e - b));
    b = e;
  }
  return out;
}

constexpr std::string_view kPrefix = "/api/v1";

json submission_json(const store::Submission& s, bool hub_view, bool detail) {
  json j = {{"id", s.id},
            {"organization_id", s.org_id ? json(*s.org_id) : json(nullptr)},
            {"external_reporter", s.external_reporter},
            {"kind", store::kind_id(s.kind)},
            {"channel", s.channel},
            {"disclosure", store::disclosure_id(s.disclosure)},
            {"consultation_category", s.consultation_category},
            {"free_text", s.free_text},
            {"status", store::status_id(s.status)},
            {"submitted_at", s.submitted_at},
            {"analysed_at", s.analysed_at.empty() ? json(nullptr) : json(s.analysed_at)},
            {"verdict", s.verdict_class.empty() ? json(nullptr) : json(s.verdict_class)},
            {"subject", s.subject},
            {"artefact", s.artefact_sha256.empty()
                             ? json(nullptr)
                             : json({{"sha256", s.artefact_sha256}, {"size", s.artefact_size}})},
            {"error", s.error.empty() ? json(nullptr) : json(s.error)}};
  // Who in the organisation submitted it is for the hub; participants see their organisation's.
  if (hub_view) j["submitted_by"] = s.submitted_by ? json(*s.submitted_by) : json(nullptr);
  if (detail)
    j["analysis"] =
        s.analysis_json.empty() ? json(nullptr) : json::parse(s.analysis_json, nullptr, false);
  return j;
}

Result<std::string> base64_decode(std::string_view b64) {
  std::string out(b64.size() / 4 * 3 + 3, '\0');
  std::size_t n = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), b64.data(),
                        b64.size(), " \r\n\t", &n, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0)
    return make_error(Errc::kInvalidArgument, "artefact_base64 is not valid base64",
                      "encode the file with standard base64 (RFC 4648)");
  out.resize(n);
  return out;
}

}  // namespace

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
  Response r = json_response(
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

Api::Api(store::Store& store, std::function<void()> on_submitted, RateLimit limit,
         SessionOptions sessions)
    : store_(store),
      on_submitted_(std::move(on_submitted)),
      sessions_(sessions),
      limiter_(std::make_unique<Limiter>()),
      login_limiter_(std::make_unique<Limiter>()) {
  limiter_->limit = limit;
  login_limiter_->limit = sessions.login_attempts;
}

Api::~Api() = default;

Response Api::handle(const Request& req) const {
  try {
    if (req.path.compare(0, kPrefix.size(), kPrefix) != 0)
      return fail(Errc::kNotFound, "no such endpoint: " + req.path.substr(0, 200),
                  "the API is under /api/v1 (see /api/v1/openapi.json)");
    const auto parts = split_path(std::string_view(req.path).substr(kPrefix.size()));
    const std::string_view first = parts.empty() ? std::string_view() : parts[0];
    const bool get = req.method == "GET", post = req.method == "POST", del = req.method == "DELETE";

    // ---- Without authentication ----
    if (parts.size() == 1 && first == "health" && get) {
      auto v = store_.schema_version();
      if (!v) return error_response(v.error());
      return json_response(200, {{"status", "ok"}, {"schema_version", *v}});
    }
    if (parts.size() == 1 && first == "openapi.json" && get) {
      Response r;
      r.body = openapi_json();
      return r;
    }

    // ---- Password login: makes a browser session ----
    if (parts.size() == 1 && first == "session" && post) return login(req);

    // ---- Authentication: Bearer token, else the session cookie (with CSRF checks) ----
    auto auth = authenticate(store_, req);
    if (!auth) {
      Response r = error_response(auth.error());
      // A session cookie the hub no longer accepts is removed from the browser.
      if (auth.error().code == Errc::kUnauthenticated && req.authorization.empty() &&
          !cookie_value(req.cookie, kSessionCookie).empty())
        r.headers.emplace_back("Set-Cookie", cleared_session_cookie());
      return r;
    }
    const store::Principal& who = auth->who;
    if (const int wait = limiter_->acquire(who.token_id ? "t" + std::to_string(who.token_id)
                                                        : "u" + std::to_string(who.user.id));
        wait > 0) {
      Response r = fail(Errc::kRateLimited, "too many requests with this token",
                        "slow down: at most " +
                            std::to_string(static_cast<int>(limiter_->limit.per_second)) +
                            " per second on average");
      return r;
    }
    const bool hub_view = store::is_hub_role(who.user.role);
    const Call call{req, store_, who, parts};
    auto deny = [&](Decision d, std::string_view what) { return call.deny(d, what); };
    auto audit = [&](std::string action, std::string object, std::string detail = {}) {
      call.audit(std::move(action), std::move(object), std::move(detail));
    };

    if (first == "session") {
      if (auto r = handle_session(call, *auth)) return std::move(*r);
    }
    if (auto r = handle_admin(call)) return std::move(*r);
    if (auto r = handle_stats(call)) return std::move(*r);

    if (parts.size() == 1 && first == "me" && get) {
      json j = user_json(who.user);
      j["scopes"] = who.scopes;
      return json_response(200, j);
    }

    // ---- Submissions ----
    if (first == "submissions") {
      if (parts.size() == 1 && post) {
        if (const auto d = authorize(who, Action::kSubmit); d != Decision::kAllow)
          return deny(d, "submit");
        store::NewSubmission s;
        s.org_id = who.user.org_id;
        s.submitted_by = who.user.id;
        s.channel = "api";
        // Media types are case-insensitive (RFC 9110 8.3.1); parameters and spaces are ignored.
        std::string ct = req.content_type.substr(0, req.content_type.find(';'));
        while (!ct.empty() && (ct.back() == ' ' || ct.back() == '\t')) ct.pop_back();
        while (!ct.empty() && (ct.front() == ' ' || ct.front() == '\t')) ct.erase(0, 1);
        for (auto& c : ct)
          if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
        if (ct == "message/rfc822" || ct == "application/octet-stream") {
          s.kind = store::SubmissionKind::kEmail;
          s.artefact = req.body;
          if (auto it = req.query.find("disclosure"); it != req.query.end()) {
            auto dd = store::disclosure_from_id(it->second);
            if (!dd)
              return fail(Errc::kInvalidArgument,
                          "unknown disclosure \"" + it->second.substr(0, 40) + "\"",
                          "use not_shared, anonymised or with_name");
            s.disclosure = *dd;
          }
          if (auto it = req.query.find("channel");
              it != req.query.end() && (it->second == "cli" || it->second == "web"))
            s.channel = it->second;
        } else if (ct == "application/json") {
          const json j = json::parse(req.body, nullptr, false);
          if (j.is_discarded() || !j.is_object())
            return fail(Errc::kInvalidArgument, "the body is not a JSON object",
                        "see /api/v1/openapi.json for the submission fields");
          std::string bad;
          const std::string kind = str(j, "kind", bad), disclosure = str(j, "disclosure", bad),
                            b64 = str(j, "artefact_base64", bad);
          s.free_text = str(j, "free_text", bad);
          s.consultation_category = str(j, "consultation_category", bad);
          const std::string external = str(j, "external_reporter", bad);
          if (!bad.empty())
            return fail(Errc::kInvalidArgument, "\"" + bad + "\" must be a string", "");
          auto k = store::kind_from_id(kind.empty() ? "email" : kind);
          if (!k)
            return fail(Errc::kInvalidArgument, "unknown kind \"" + kind.substr(0, 40) + "\"",
                        "use email, communication, incident, malware, fake_site or consultation");
          s.kind = *k;
          if (!disclosure.empty()) {
            auto dd = store::disclosure_from_id(disclosure);
            if (!dd)
              return fail(Errc::kInvalidArgument,
                          "unknown disclosure \"" + disclosure.substr(0, 40) + "\"",
                          "use not_shared, anonymised or with_name");
            s.disclosure = *dd;
          }
          if (!external.empty()) {
            // Reports from outside the community are recorded by the hub.
            if (!hub_view)
              return fail(Errc::kPermissionDenied,
                          "only the hub records external reporters' submissions", "");
            s.external_reporter = external;
            s.org_id.reset();
          }
          if (!b64.empty()) {
            auto bytes = base64_decode(b64);
            if (!bytes) return error_response(bytes.error());
            s.artefact = std::move(*bytes);
          }
          if (s.kind == store::SubmissionKind::kConsultation && s.consultation_category.empty())
            return fail(Errc::kInvalidArgument, "a consultation needs a consultation_category",
                        "see GET /api/v1/consultation-categories");
          if (!s.consultation_category.empty()) {
            auto cats = store_.consultation_categories();
            if (!cats) return error_response(cats.error());
            if (std::none_of(cats->begin(), cats->end(),
                             [&](const auto& c) { return c.key == s.consultation_category; }))
              return fail(
                  Errc::kInvalidArgument,
                  "unknown consultation_category \"" + s.consultation_category.substr(0, 40) + "\"",
                  "see GET /api/v1/consultation-categories");
          }
        } else {
          return fail(Errc::kUnsupported, "unsupported Content-Type \"" + ct.substr(0, 60) + "\"",
                      "send the mail as message/rfc822, or a JSON object as application/json");
        }
        if (!s.org_id && s.external_reporter.empty())
          return fail(
              Errc::kInvalidArgument, "your account belongs to no organisation",
              "hub staff submit on behalf of an external reporter with \"external_reporter\"");
        auto r = store_.submit(s);
        if (!r) return error_response(r.error());
        if (!r->duplicate) {
          audit("submission.create", "submission:" + std::to_string(r->id),
                std::string(store::kind_id(s.kind)));
          if (on_submitted_) on_submitted_();
        }
        Response resp =
            json_response(r->duplicate ? 200 : 202,
                          {{"id", r->id},
                           {"duplicate", r->duplicate},
                           {"links", {{"self", "/api/v1/submissions/" + std::to_string(r->id)}}}});
        resp.headers.emplace_back("Location", "/api/v1/submissions/" + std::to_string(r->id));
        return resp;
      }
      if (parts.size() == 1 && get) {
        if (const auto d = authorize(who, Action::kListSubmissions); d != Decision::kAllow)
          return deny(d, "list submissions");
        store::SubmissionFilter f;
        f.org_id = visible_organization(who);
        auto q = [&](const char* k) -> std::string {
          auto it = req.query.find(k);
          return it == req.query.end() ? std::string() : it->second;
        };
        if (auto v = q("status"); !v.empty()) {
          f.status = store::status_from_id(v);
          if (!f.status)
            return fail(Errc::kInvalidArgument, "unknown status \"" + v.substr(0, 40) + "\"",
                        "use queued, analysing, analysed or failed");
        }
        if (auto v = q("kind"); !v.empty()) {
          f.kind = store::kind_from_id(v);
          if (!f.kind)
            return fail(Errc::kInvalidArgument, "unknown kind \"" + v.substr(0, 40) + "\"", "");
        }
        f.verdict_class = q("verdict");
        f.text = q("q");
        if (auto v = q("before"); !v.empty()) {
          auto id = to_id(v);
          if (!id)
            return fail(Errc::kInvalidArgument, "before must be a submission id",
                        "use next_before of the previous page");
          f.before_id = *id;
        }
        if (auto v = q("limit"); !v.empty()) {
          auto n = to_id(v);
          if (!n || *n > store::kMaxListLimit)
            return fail(Errc::kInvalidArgument, "limit must be 1 to 500", "");
          f.limit = static_cast<int>(*n);
        }
        auto list = store_.submissions(f);
        if (!list) return error_response(list.error());
        json items = json::array();
        for (const auto& s : *list) items.push_back(submission_json(s, hub_view, false));
        const bool more = static_cast<int>(list->size()) == f.limit;
        return json_response(
            200, {{"items", items}, {"next_before", more ? json(list->back().id) : json(nullptr)}});
      }
      if (parts.size() >= 2 && get) {
        const auto id = to_id(parts[1]);
        if (!id) return fail(Errc::kNotFound, "no submission here", "");
        // A missing submission and another organisation's answer the same: nothing tells them
        // apart.
        auto s = store_.submission(*id);
        if (!s && s.error().code == Errc::kNotFound)
          return fail(Errc::kNotFound, "no submission here", "");
        if (!s) return error_response(s.error());
        if (const auto d = authorize(who, Action::kReadSubmission, s->org_id);
            d != Decision::kAllow)
          return d == Decision::kNotFound ? fail(Errc::kNotFound, "no submission here", "")
                                          : deny(d, "read this submission");
        if (parts.size() == 2) return json_response(200, submission_json(*s, hub_view, true));
        if (parts.size() == 3 && (parts[2] == "body" || parts[2] == "body.html"))
          return mail_view(call, *s, parts[2] == "body.html");
        if (parts.size() == 3 && parts[2] == "raw") {
          if (s->artefact_sha256.empty())
            return fail(Errc::kNotFound, "this submission has no file", "");
          auto bytes = store_.artefact(s->artefact_sha256);
          if (!bytes) return error_response(bytes.error());
          Response r;
          r.content_type = s->kind == store::SubmissionKind::kEmail ? "message/rfc822"
                                                                    : "application/octet-stream";
          r.body = std::move(*bytes);
          // The bytes are attacker-written: never rendered by a browser from here.
          r.headers.emplace_back("Content-Disposition", "attachment; filename=\"submission-" +
                                                            std::to_string(*id) + ".eml\"");
          return r;
        }
      }
    }

    // ---- Organisations ----
    if (first == "organizations") {
      if (parts.size() == 1 && get) {
        auto all = store_.organizations();
        if (!all) return error_response(all.error());
        json items = json::array();
        for (const auto& o : *all)
          if (authorize(who, Action::kReadOrganization, o.id) == Decision::kAllow)
            items.push_back(org_json(o));
        return json_response(200, {{"items", items}});
      }
      if (parts.size() == 2 && get) {
        const auto id = to_id(parts[1]);
        if (!id) return fail(Errc::kNotFound, "no organisation here", "");
        if (const auto d = authorize(who, Action::kReadOrganization, *id); d != Decision::kAllow)
          return d == Decision::kNotFound ? fail(Errc::kNotFound, "no organisation here", "")
                                          : deny(d, "read this organisation");
        auto o = store_.organization(*id);
        if (!o && o.error().code == Errc::kNotFound)
          return fail(Errc::kNotFound, "no organisation here", "");
        if (!o) return error_response(o.error());
        return json_response(200, org_json(*o));
      }
      if (parts.size() == 1 && post) {
        if (const auto d = authorize(who, Action::kManageOrganizations); d != Decision::kAllow)
          return deny(d, "manage organisations");
        auto j = object_body(req);
        if (!j) return error_response(j.error());
        auto data = org_data_from_json(*j);
        if (!data) return error_response(data.error());
        store::Organization o;
        o.data = std::move(*data);
        auto id = store_.create_organization(o);
        if (!id) return error_response(id.error());
        audit("organization.create", "organization:" + std::to_string(*id), o.data.name);
        auto created = store_.organization(*id);
        if (!created) return error_response(created.error());
        return json_response(201, org_json(*created));
      }
    }

    // ---- Users and tokens ----
    if (first == "users" && parts.size() == 1 && post) {
      if (const auto d = authorize(who, Action::kManageUsers); d != Decision::kAllow)
        return deny(d, "manage users");
      const json j = json::parse(req.body, nullptr, false);
      if (j.is_discarded() || !j.is_object())
        return fail(Errc::kInvalidArgument, "the body is not a JSON object", "");
      std::string bad;
      store::NewUser u;
      u.login = str(j, "login", bad);
      u.display_name = str(j, "display_name", bad);
      u.password = str(j, "password", bad);
      const std::string role = str(j, "role", bad);
      if (j.contains("organization_id") && !j["organization_id"].is_null()) {
        if (!j["organization_id"].is_number_integer())
          bad = "organization_id";
        else
          u.org_id = j["organization_id"].get<std::int64_t>();
      }
      if (!bad.empty())
        return fail(Errc::kInvalidArgument, "\"" + bad + "\" has the wrong type", "");
      auto r = store::role_from_id(role);
      if (!r)
        return fail(Errc::kInvalidArgument, "unknown role \"" + role.substr(0, 40) + "\"",
                    "use hub_admin, hub_analyst, submitter, reader or liaison");
      u.role = *r;
      if (!store::is_hub_role(u.role) && !u.org_id)
        return fail(Errc::kInvalidArgument, "a participant needs an organization_id", "");
      auto id = store_.create_user(u);
      if (!id) return error_response(id.error());
      audit("user.create", "user:" + std::to_string(*id), u.login + " " + role);
      auto created = store_.user(*id);
      if (!created) return error_response(created.error());
      return json_response(201, user_json(*created));
    }
    if (first == "tokens" && parts.size() == 1 && post) {
      const json j = req.body.empty() ? json::object() : json::parse(req.body, nullptr, false);
      if (j.is_discarded() || !j.is_object())
        return fail(Errc::kInvalidArgument, "the body is not a JSON object", "");
      std::string bad;
      const std::string name = str(j, "name", bad);
      std::vector<std::string> scopes = str_list(j, "scopes", bad);
      std::int64_t user_id = who.user.id;
      if (j.contains("user_id") && !j["user_id"].is_null()) {
        if (!j["user_id"].is_number_integer())
          bad = "user_id";
        else
          user_id = j["user_id"].get<std::int64_t>();
      }
      if (!bad.empty())
        return fail(Errc::kInvalidArgument, "\"" + bad + "\" has the wrong type", "");
      for (const auto& s : scopes)
        if (s != "read" && s != "submit" && s != "admin")
          return fail(Errc::kInvalidArgument, "unknown scope \"" + s.substr(0, 40) + "\"",
                      "use read, submit or admin");
      const Action a = user_id == who.user.id ? Action::kManageOwnTokens : Action::kManageUsers;
      if (const auto d = authorize(who, a); d != Decision::kAllow)
        return deny(d, "create this token");
      // A token never carries a scope its creator could not use (role and creating token alike).
      for (const auto& s : scopes)
        if (authorize(who,
                      s == "admin"    ? Action::kReadAudit
                      : s == "submit" ? Action::kSubmit
                                      : Action::kReadSubmission,
                      who.user.org_id) != Decision::kAllow)
          return fail(Errc::kPermissionDenied,
                      "a token cannot grant the scope \"" + s + "\" that its creator lacks", "");
      // Without scopes a token has everything its user's role allows ([]), except that a token made
      // with a scoped token for oneself keeps that token's scopes (it cannot widen them).
      if (scopes.empty() && user_id == who.user.id) scopes = who.scopes;
      auto t = store_.create_token(user_id, name, scopes);
      if (!t) return error_response(t.error());
      audit("token.create", "token:" + std::to_string(t->id), "user:" + std::to_string(user_id));
      return json_response(201, {{"id", t->id}, {"token", t->secret}, {"scopes", scopes}});
    }
    if (first == "tokens" && parts.size() == 2 && del) {
      const auto id = to_id(parts[1]);
      if (!id) return fail(Errc::kNotFound, "no token here", "");
      auto owner = store_.token_owner(*id);
      if (!owner && owner.error().code == Errc::kNotFound)
        return fail(Errc::kNotFound, "no token here", "");
      if (!owner) return error_response(owner.error());
      const Action a = *owner == who.user.id ? Action::kManageOwnTokens : Action::kManageUsers;
      if (const auto d = authorize(who, a); d != Decision::kAllow)
        return fail(Errc::kNotFound, "no token here", "");
      if (auto r = store_.revoke_token(*id); !r) return error_response(r.error());
      audit("token.revoke", "token:" + std::to_string(*id));
      return json_response(200, {{"id", *id}, {"revoked", true}});
    }

    // ---- SIGs and liaison networks (the community's structure) ----
    if (first == "sigs" && parts.size() == 1 && get) {
      if (const auto d = authorize(who, Action::kReadCommunity); d != Decision::kAllow)
        return deny(d, "read the SIGs");
      auto sigs = store_.sigs();
      if (!sigs) return error_response(sigs.error());
      json items = json::array();
      for (const auto& g : *sigs)
        items.push_back(
            {{"id", g.id}, {"name", g.name}, {"name_ja", g.name_ja}, {"members", g.members}});
      return json_response(200, {{"items", items}});
    }
    if (first == "sigs" && parts.size() == 1 && post) {
      if (const auto d = authorize(who, Action::kManageOrganizations); d != Decision::kAllow)
        return deny(d, "manage SIGs");
      const json j = json::parse(req.body, nullptr, false);
      if (j.is_discarded() || !j.is_object())
        return fail(Errc::kInvalidArgument, "the body is not a JSON object", "");
      std::string bad;
      const std::string name = str(j, "name", bad), name_ja = str(j, "name_ja", bad);
      if (!bad.empty()) return fail(Errc::kInvalidArgument, "\"" + bad + "\" must be a string", "");
      auto id = store_.create_sig(name, name_ja);
      if (!id) return error_response(id.error());
      audit("sig.create", "sig:" + std::to_string(*id), name);
      return json_response(201,
                           {{"id", *id}, {"name", name}, {"name_ja", name_ja}, {"members", 0}});
    }
    if (first == "sigs" && parts.size() == 3 && parts[2] == "members" && post) {
      if (const auto d = authorize(who, Action::kManageOrganizations); d != Decision::kAllow)
        return deny(d, "manage SIGs");
      const auto sig = to_id(parts[1]);
      const json j = json::parse(req.body, nullptr, false);
      if (!sig || j.is_discarded() || !j.is_object() || !j.contains("organization_id") ||
          !j["organization_id"].is_number_integer())
        return fail(
            Errc::kInvalidArgument,
            "give {\"organization_id\": N, \"joined_on\": \"YYYY-MM-DD\"} for an existing SIG", "");
      std::string bad;
      store::Store::Membership m{*sig, j["organization_id"].get<std::int64_t>(),
                                 str(j, "joined_on", bad), str(j, "left_on", bad)};
      if (!bad.empty())
        return fail(Errc::kInvalidArgument, "\"" + bad + "\" must be a date string", "");
      if (auto r = store_.add_membership(m); !r) return error_response(r.error());
      audit("sig.membership", "sig:" + std::to_string(*sig),
            "organization:" + std::to_string(m.org_id) + " " + m.joined_on);
      return json_response(201, {{"sig_id", m.sig_id},
                                 {"organization_id", m.org_id},
                                 {"joined_on", m.joined_on},
                                 {"left_on", m.left_on.empty() ? json(nullptr) : json(m.left_on)}});
    }
    if (first == "sigs" && parts.size() == 4 && parts[2] == "members" && req.method == "PATCH") {
      if (const auto d = authorize(who, Action::kManageOrganizations); d != Decision::kAllow)
        return deny(d, "manage SIGs");
      const auto sig = to_id(parts[1]), org = to_id(parts[3]);
      const json j = json::parse(req.body, nullptr, false);
      std::string bad;
      const std::string left_on = j.is_object() ? str(j, "left_on", bad) : std::string();
      if (!sig || !org || !j.is_object() || left_on.empty() || !bad.empty())
        return fail(Errc::kInvalidArgument,
                    "give {\"left_on\": \"YYYY-MM-DD\"}: the day the organisation left the SIG",
                    "");
      auto m = store_.end_membership(*sig, *org, left_on);
      if (!m) return error_response(m.error());
      audit("sig.membership_end", "sig:" + std::to_string(*sig),
            "organization:" + std::to_string(*org) + " " + left_on);
      return json_response(200, {{"sig_id", m->sig_id},
                                 {"organization_id", m->org_id},
                                 {"joined_on", m->joined_on},
                                 {"left_on", m->left_on}});
    }
    if (first == "liaison-networks" && parts.size() == 1 && get) {
      if (const auto d = authorize(who, Action::kReadCommunity); d != Decision::kAllow)
        return deny(d, "read the liaison networks");
      auto nets = store_.liaison_networks();
      if (!nets) return error_response(nets.error());
      json items = json::array();
      for (const auto& n : *nets)
        items.push_back({{"id", n.id},
                         {"name", n.name},
                         {"name_ja", n.name_ja},
                         {"represented_members", n.represented_members},
                         {"organization_id", n.org_id ? json(*n.org_id) : json(nullptr)}});
      return json_response(200, {{"items", items}});
    }

    if (first == "consultation-categories" && parts.size() == 1 && get) {
      auto cats = store_.consultation_categories();
      if (!cats) return error_response(cats.error());
      json items = json::array();
      for (const auto& c : *cats)
        items.push_back({{"key", c.key}, {"name", c.name}, {"name_ja", c.name_ja}});
      return json_response(200, {{"items", items}});
    }

    // ---- Audit ----
    if (first == "audit" && parts.size() == 1 && get) {
      if (const auto d = authorize(who, Action::kReadAudit); d != Decision::kAllow)
        return deny(d, "read the audit log");
      std::int64_t before = 0;
      int limit = 100;
      if (auto it = req.query.find("before"); it != req.query.end())
        before = to_id(it->second).value_or(0);
      if (auto it = req.query.find("limit"); it != req.query.end()) {
        auto n = to_id(it->second);
        if (!n || *n > store::kMaxListLimit)
          return fail(Errc::kInvalidArgument, "limit must be 1 to 500", "");
        limit = static_cast<int>(*n);
      }
      auto log = store_.audit_log(before, limit);
      if (!log) return error_response(log.error());
      json items = json::array();
      for (const auto& e : *log)
        items.push_back({{"id", e.id},
                         {"at", e.at},
                         {"user_id", e.user_id ? json(*e.user_id) : json(nullptr)},
                         {"action", e.action},
                         {"object", e.object},
                         {"remote", e.remote},
                         {"detail", e.detail}});
      return json_response(200, {{"items", items}});
    }

    return fail(Errc::kNotFound, "no such endpoint: " + req.method + " " + req.path.substr(0, 200),
                "see /api/v1/openapi.json for what the API offers");
  } catch (const json::exception& e) {
    // nlohmann's exceptions end here (the adaptor at this boundary): a malformed value.
    return fail(Errc::kInvalidArgument, std::string("malformed JSON value: ") + e.what(), "");
  }
}

}  // namespace renkei::hub
