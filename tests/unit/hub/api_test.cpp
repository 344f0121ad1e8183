// The API on a real SQLite store, without HTTP: what each role sees, the error bodies, idempotent
// submissions, and that nothing half-written remains after a refused request.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <set>

#include "analysis/analysis.hpp"
#include "hub/api.hpp"
#include "hub/jobs.hpp"
#include "store/store.hpp"

using namespace renkei;
using namespace renkei::hub;
using nlohmann::json;

namespace {

class ApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("renkei-api-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    store_ = std::move(*store::open_sqlite(dir_.string()));
    ASSERT_TRUE(store_->migrate().has_value());
    api_ = std::make_unique<Api>(*store_, [this] { ++notified_; });
    model::Organization a, b;
    a.data.name = "A Company";
    a.data.domains = {"a-company.co.jp"};
    b.data.name = "B Company";
    org_a_ = *store_->create_organization(a);
    org_b_ = *store_->create_organization(b);
    admin_ = token(std::nullopt, model::Role::kHubAdmin, "admin");
    sub_a_ = token(org_a_, model::Role::kSubmitter, "sub-a");
    sub_b_ = token(org_b_, model::Role::kSubmitter, "sub-b");
    reader_b_ = token(org_b_, model::Role::kReader, "reader-b");
  }
  void TearDown() override {
    api_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::string token(std::optional<std::int64_t> org, model::Role role, const std::string& login) {
    const auto uid = store_->create_user({org, login, login, role, ""});
    EXPECT_TRUE(uid.has_value()) << uid.error().to_string();
    return store_->create_token(*uid, "test", {})->secret;
  }

  Response call(const std::string& method, const std::string& path, const std::string& tok,
                std::string body = {}, std::string content_type = "application/json",
                std::map<std::string, std::string> query = {}) {
    Request r;
    r.method = method;
    r.path = path;
    r.authorization = tok.empty() ? "" : "Bearer " + tok;
    r.body = std::move(body);
    r.content_type = std::move(content_type);
    r.query = std::move(query);
    r.remote = "127.0.0.1";
    return api_->handle(r);
  }

  static json body(const Response& r) { return json::parse(r.body, nullptr, false); }

  static std::string header(const Response& r, std::string_view name) {
    for (const auto& [k, v] : r.headers)
      if (k == name) return v;
    return {};
  }

  // A user with a password; returns the id.
  std::int64_t user(std::optional<std::int64_t> org, model::Role role, const std::string& login) {
    const auto uid = store_->create_user({org, login, login + " san", role, kPassword});
    EXPECT_TRUE(uid.has_value()) << uid.error().to_string();
    return *uid;
  }

  // What a browser holds after logging in: the cookie's value and the CSRF token.
  struct Browser {
    std::string cookie, csrf;
  };

  Response login(const std::string& login, const std::string& password,
                 const std::string& remote = "127.0.0.1", const Api* api = nullptr) {
    Request r;
    r.method = "POST";
    r.path = "/api/v1/session";
    r.content_type = "application/json";
    r.body = json({{"login", login}, {"password", password}}).dump();
    r.remote = remote;
    return (api ? *api : *api_).handle(r);
  }

  Browser browser(const std::string& login_name) {
    const auto r = login(login_name, kPassword);
    EXPECT_EQ(r.status, 200) << r.body;
    const std::string set = header(r, "Set-Cookie");
    const auto b = set.find('=') + 1;
    return {set.substr(b, set.find(';') - b), body(r)["csrf_token"].get<std::string>()};
  }

  // A request as the browser sends it: the cookie, and the CSRF token unless `csrf` says otherwise.
  Response as(const Browser& b, const std::string& method, const std::string& path,
              std::string body_text = {}, std::optional<std::string> csrf = std::nullopt,
              std::string origin = {}) {
    Request r;
    r.method = method;
    r.path = path;
    r.cookie = "theme=dark; " + std::string(kSessionCookie) + "=" + b.cookie;
    r.csrf_token = csrf.value_or(b.csrf);
    r.origin = std::move(origin);
    r.host = "hub.example:8443";
    r.content_type = "application/json";
    r.body = std::move(body_text);
    r.remote = "127.0.0.1";
    return api_->handle(r);
  }

  std::vector<model::AuditEntry> audit_entries(const std::string& action) {
    std::vector<model::AuditEntry> out;
    const auto log = store_->audit_log(0, 500);
    EXPECT_TRUE(log.has_value());
    for (const auto& e : *log)
      if (e.action == action) out.push_back(e);
    return out;
  }

  static constexpr const char* kPassword = "correct-horse-battery-staple";

  std::filesystem::path dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Api> api_;
  std::int64_t org_a_ = 0, org_b_ = 0;
  std::string admin_, sub_a_, sub_b_, reader_b_;
  int notified_ = 0;
};

const std::string kEml =
    "From: Bob <bob@b-companys-cc.com>\r\nTo: alice@a-company.co.jp\r\nSubject: "
    "Invoice\r\n\r\nPay.\r\n";

}  // namespace

TEST_F(ApiTest, HealthAndOpenApiNeedNoToken) {
  EXPECT_EQ(call("GET", "/api/v1/health", "").status, 200);
  const auto doc = body(call("GET", "/api/v1/openapi.json", ""));
  ASSERT_FALSE(doc.is_discarded()) << "the OpenAPI document is not valid JSON";
  EXPECT_EQ(doc["openapi"], "3.1.0");
  EXPECT_TRUE(doc["paths"].contains("/submissions"));
}

TEST_F(ApiTest, ErrorsAreJsonWithCodeMessageHint) {
  const auto r = call("GET", "/api/v1/me", "");
  EXPECT_EQ(r.status, 401);
  const auto j = body(r);
  EXPECT_EQ(j["error"]["code"], "unauthenticated");
  EXPECT_FALSE(j["error"]["hint"].get<std::string>().empty());
  EXPECT_EQ(call("GET", "/api/v1/me", "rk_" + std::string(43, 'x')).status, 401);
  EXPECT_EQ(call("GET", "/api/v1/nothing", admin_).status, 404);
  EXPECT_EQ(call("POST", "/api/v1/organizations", admin_, "{not json").status, 400);
  EXPECT_EQ(call("POST", "/api/v1/organizations", admin_, R"({"name": 42})").status, 400);
  EXPECT_EQ(call("POST", "/api/v1/submissions", sub_a_, "x", "text/html").status, 415);
}

TEST_F(ApiTest, SubmitIsIdempotentAndWakesTheWorkers) {
  const auto r1 = call("POST", "/api/v1/submissions", sub_a_, kEml, "message/rfc822",
                       {{"disclosure", "with_name"}});
  ASSERT_EQ(r1.status, 202) << r1.body;
  const auto id = body(r1)["id"].get<std::int64_t>();
  EXPECT_EQ(notified_, 1);
  const auto r2 = call("POST", "/api/v1/submissions", sub_a_, kEml, "message/rfc822");
  EXPECT_EQ(r2.status, 200);
  EXPECT_EQ(body(r2)["id"], id);
  EXPECT_TRUE(body(r2)["duplicate"].get<bool>());
  EXPECT_EQ(notified_, 1);
  const auto s = body(call("GET", "/api/v1/submissions/" + std::to_string(id), sub_a_));
  EXPECT_EQ(s["disclosure"], "with_name");
  EXPECT_EQ(s["organization_id"], org_a_);
  EXPECT_FALSE(s.contains("submitted_by")) << "participants do not see who submitted";
  EXPECT_TRUE(body(call("GET", "/api/v1/submissions/" + std::to_string(id), admin_))
                  .contains("submitted_by"));
  const auto raw = call("GET", "/api/v1/submissions/" + std::to_string(id) + "/raw", sub_a_);
  EXPECT_EQ(raw.body, kEml);
  EXPECT_EQ(raw.content_type, "message/rfc822");
}

TEST_F(ApiTest, ParticipantsNeverSeeAnotherOrganisationsSubmissions) {
  const auto id = body(call("POST", "/api/v1/submissions", sub_a_, kEml, "message/rfc822"))["id"]
                      .get<std::int64_t>();
  const std::string path = "/api/v1/submissions/" + std::to_string(id);
  for (const auto* tok : {&sub_b_, &reader_b_}) {
    const auto r = call("GET", path, *tok);
    EXPECT_EQ(r.status, 404) << "not even its existence";
    EXPECT_EQ(call("GET", path + "/raw", *tok).status, 404);
    EXPECT_TRUE(body(call("GET", "/api/v1/submissions", *tok))["items"].empty());
    const auto orgs = body(call("GET", "/api/v1/organizations", *tok))["items"];
    ASSERT_EQ(orgs.size(), 1u);
    EXPECT_EQ(orgs[0]["id"], org_b_);
    EXPECT_EQ(call("GET", "/api/v1/organizations/" + std::to_string(org_a_), *tok).status, 404);
  }
  EXPECT_EQ(body(call("GET", "/api/v1/submissions", admin_))["items"].size(), 1u);
  EXPECT_EQ(call("POST", "/api/v1/submissions", reader_b_, kEml, "message/rfc822").status, 403);
  EXPECT_EQ(call("GET", "/api/v1/audit", sub_a_).status, 403);
  EXPECT_EQ(call("GET", "/api/v1/audit", admin_).status, 200);
}

TEST_F(ApiTest, AdminCreatesOrganisationsAndUsersOthersCannot) {
  const std::string org =
      R"({"name": "C Company", "domains": ["c-company.co.jp"], "vips": [{"name": "Taro Yamada", "addresses": ["t@c-company.co.jp"]}]})";
  EXPECT_EQ(call("POST", "/api/v1/organizations", sub_a_, org).status, 403);
  const auto r = call("POST", "/api/v1/organizations", admin_, org);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(body(r)["vips"][0]["addresses"][0], "t@c-company.co.jp");
  EXPECT_EQ(call("POST", "/api/v1/organizations", admin_, org).status, 409);
  const auto bad = call("POST", "/api/v1/organizations", admin_,
                        R"({"name": "D", "domains": ["http://d.example/"]})");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(body(call("GET", "/api/v1/organizations", admin_))["items"].size(), 3u)
      << "nothing half-written";

  const std::string user =
      R"({"login": "carol", "role": "reader", "organization_id": )" + std::to_string(org_a_) + "}";
  EXPECT_EQ(call("POST", "/api/v1/users", sub_a_, user).status, 403);
  EXPECT_EQ(call("POST", "/api/v1/users", admin_, user).status, 201);
  EXPECT_EQ(call("POST", "/api/v1/users", admin_, R"({"login": "dave", "role": "reader"})").status,
            400);
  EXPECT_EQ(call("POST", "/api/v1/users", admin_, R"({"login": "eve", "role": "emperor"})").status,
            400);
}

TEST_F(ApiTest, TokensAreScopedAndRevocable) {
  const auto t =
      call("POST", "/api/v1/tokens", sub_a_, R"({"name": "gateway", "scopes": ["read"]})");
  ASSERT_EQ(t.status, 201) << t.body;
  const std::string read_only = body(t)["token"];
  EXPECT_EQ(call("GET", "/api/v1/submissions", read_only).status, 200);
  EXPECT_EQ(call("POST", "/api/v1/submissions", read_only, kEml, "message/rfc822").status, 403);
  // A token cannot mint a stronger one.
  EXPECT_EQ(call("POST", "/api/v1/tokens", read_only, R"({"scopes": ["submit"]})").status, 403);
  // Another user's token is invisible to a participant; the owner revokes it.
  const auto id = body(t)["id"].get<std::int64_t>();
  EXPECT_EQ(call("DELETE", "/api/v1/tokens/" + std::to_string(id), sub_b_).status, 404);
  EXPECT_EQ(call("DELETE", "/api/v1/tokens/" + std::to_string(id), sub_a_).status, 200);
  EXPECT_EQ(call("GET", "/api/v1/me", read_only).status, 401);
  EXPECT_EQ(call("POST", "/api/v1/tokens", sub_a_, R"({"scopes": ["root"]})").status, 400);
}

TEST_F(ApiTest, ListsFilterAndPage) {
  for (int i = 0; i < 7; ++i)
    call("POST", "/api/v1/submissions", sub_a_, kEml + std::to_string(i), "message/rfc822");
  auto page = body(call("GET", "/api/v1/submissions", sub_a_, "", "", {{"limit", "3"}}));
  ASSERT_EQ(page["items"].size(), 3u);
  std::set<std::int64_t> seen;
  for (int guard = 0; guard < 10; ++guard) {
    for (const auto& s : page["items"])
      EXPECT_TRUE(seen.insert(s["id"].get<std::int64_t>()).second);
    if (page["next_before"].is_null()) break;
    page = body(call(
        "GET", "/api/v1/submissions", sub_a_, "", "",
        {{"limit", "3"}, {"before", std::to_string(page["next_before"].get<std::int64_t>())}}));
  }
  EXPECT_EQ(seen.size(), 7u);
  EXPECT_EQ(call("GET", "/api/v1/submissions", sub_a_, "", "", {{"limit", "0"}}).status, 400);
  EXPECT_EQ(call("GET", "/api/v1/submissions", sub_a_, "", "", {{"status", "weird"}}).status, 400);
  EXPECT_EQ(
      body(call("GET", "/api/v1/submissions", sub_a_, "", "", {{"status", "queued"}}))["items"]
          .size(),
      7u);
}

TEST_F(ApiTest, RequestsPerTokenAreRateLimited) {
  Api limited(*store_, {}, RateLimit{0.001, 3});  // three requests, then (practically) no refill
  Request r;
  r.method = "GET";
  r.path = "/api/v1/me";
  r.authorization = "Bearer " + sub_a_;
  for (int i = 0; i < 3; ++i) EXPECT_EQ(limited.handle(r).status, 200) << i;
  const auto over = limited.handle(r);
  EXPECT_EQ(over.status, 429);
  EXPECT_EQ(body(over)["error"]["code"], "rate_limited");
  bool retry_after = false;
  for (const auto& [k, v] : over.headers) retry_after = retry_after || k == "Retry-After";
  EXPECT_TRUE(retry_after);
  r.authorization = "Bearer " + sub_b_;  // another token has its own bucket
  EXPECT_EQ(limited.handle(r).status, 200);
}

TEST_F(ApiTest, SigsAndMembershipsAreManagedByTheHubAndReadByEveryone) {
  EXPECT_EQ(call("POST", "/api/v1/sigs", sub_a_, R"({"name": "Gas SIG"})").status, 403);
  const auto sig = call("POST", "/api/v1/sigs", admin_,
                        R"({"name": "Electricity SIG", "name_ja": "電力業界SIG"})");
  ASSERT_EQ(sig.status, 201) << sig.body;
  const std::string members =
      "/api/v1/sigs/" + std::to_string(body(sig)["id"].get<std::int64_t>()) + "/members";
  EXPECT_EQ(
      call("POST", members, admin_,
           R"({"organization_id": )" + std::to_string(org_a_) + R"(, "joined_on": "2020-04-01"})")
          .status,
      201);
  EXPECT_EQ(call("POST", members, admin_,
                 R"({"organization_id": )" + std::to_string(org_b_) + R"(, "joined_on": "April"})")
                .status,
            400);
  EXPECT_EQ(
      call("POST", members, sub_a_, R"({"organization_id": 1, "joined_on": "2020-04-01"})").status,
      403);
  const auto list = body(call("GET", "/api/v1/sigs", reader_b_));
  ASSERT_EQ(list["items"].size(), 1u);
  EXPECT_EQ(list["items"][0]["name_ja"], "電力業界SIG");
  EXPECT_EQ(list["items"][0]["members"], 1);
  EXPECT_EQ(call("GET", "/api/v1/liaison-networks", reader_b_).status, 200);
}

TEST_F(ApiTest, HostileBodiesGetClearErrorsAndChangeNothing) {
  // 100,000 levels of nesting: parsed without recursion limits biting, refused as not an object.
  const auto deep = call("POST", "/api/v1/submissions", sub_a_,
                         std::string(100000, '[') + std::string(100000, ']'));
  EXPECT_EQ(deep.status, 400);
  EXPECT_EQ(body(deep)["error"]["code"], "invalid_argument");
  // Truncated JSON, a NUL in the middle, the wrong types.
  EXPECT_EQ(
      call("POST", "/api/v1/submissions", sub_a_, R"({"kind": "email", "free_text": "x)").status,
      400);
  EXPECT_EQ(
      call("POST", "/api/v1/submissions", sub_a_, std::string("{\"free_text\": \"a\0b\"}", 20))
          .status,
      400);
  EXPECT_EQ(call("POST", "/api/v1/submissions", sub_a_, R"({"free_text": ["x"]})").status, 400);
  EXPECT_EQ(
      call("POST", "/api/v1/submissions", sub_a_, R"({"kind": "email", "artefact_base64": "!!!"})")
          .status,
      400);
  // Free text over the named limit.
  const auto big = call(
      "POST", "/api/v1/submissions", sub_a_,
      json({{"kind", "incident"}, {"free_text", std::string(store::kMaxFreeTextBytes + 1, 'x')}})
          .dump());
  EXPECT_EQ(big.status, 400);
  EXPECT_NE(body(big)["error"]["hint"].get<std::string>().find("KiB"), std::string::npos);
  // Hostile ids and paths.
  for (const char* path : {"/api/v1/submissions/-1", "/api/v1/submissions/99999999999999999999",
                           "/api/v1/submissions/1%00", "/api/v1/submissions/../../etc/passwd",
                           "/api/v1/organizations/0"})
    EXPECT_EQ(call("GET", path, admin_).status, 404) << path;
  // Nothing of the above was stored.
  EXPECT_TRUE(body(call("GET", "/api/v1/submissions", admin_))["items"].empty());
}

// ---- Browser sessions ----

TEST_F(ApiTest, PasswordLoginSetsASecureSessionCookie) {
  const auto uid = user(org_a_, model::Role::kSubmitter, "alice");
  const auto r = login("alice", kPassword);
  ASSERT_EQ(r.status, 200) << r.body;
  const std::string set = header(r, "Set-Cookie");
  EXPECT_EQ(set.rfind("renkei_session=rk_", 0), 0u) << set;
  for (const char* attr :
       {"; Path=/", "; HttpOnly", "; Secure", "; SameSite=Strict", "; Max-Age=43200"})
    EXPECT_NE(set.find(attr), std::string::npos) << attr << " missing in " << set;
  const auto j = body(r);
  EXPECT_EQ(j["user"]["id"], uid);
  EXPECT_EQ(j["user"]["login"], "alice");
  EXPECT_FALSE(j.contains("password"));
  EXPECT_EQ(j["csrf_token"].get<std::string>().size(), 64u);
  EXPECT_EQ(j["expires_at"].get<std::string>().size(), 20u);  // 2024-01-02T03:04:05Z

  const Browser b = browser("alice");
  EXPECT_NE(b.csrf, j["csrf_token"]) << "each session has its own CSRF token";
  const std::string secret = b.cookie.substr(0, b.cookie.rfind('.'));
  EXPECT_EQ(b.csrf, csrf_token(secret)) << "derived from the session secret";
  const auto me = as(b, "GET", "/api/v1/me");
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(body(me)["id"], uid);
  EXPECT_EQ(body(me)["scopes"], json::array()) << "a session has the role's full rights";
  const auto session = as(b, "GET", "/api/v1/session", {}, "");
  ASSERT_EQ(session.status, 200) << "GET needs no CSRF token";
  EXPECT_EQ(body(session)["csrf_token"], b.csrf);
  EXPECT_EQ(body(session)["user"]["login"], "alice");
  EXPECT_TRUE(body(session)["expires_at"].is_string());
  EXPECT_EQ(as(b, "GET", "/api/v1/submissions", {}, "").status, 200);
  const auto logins = audit_entries("session.login");
  ASSERT_EQ(logins.size(), 2u);
  EXPECT_EQ(logins[0].user_id, uid);
}

TEST_F(ApiTest, WrongCredentialsGetOneAnswerAndAreAudited) {
  user(org_a_, model::Role::kSubmitter, "alice");
  const auto disabled = user(org_a_, model::Role::kReader, "dora");
  ASSERT_TRUE(store_->update_user({disabled, {}, {}, true, {}}).has_value());
  const auto wrong = login("alice", "not-the-password-at-all");
  const auto unknown = login("nobody", kPassword);
  const auto off = login("dora", kPassword);
  for (const auto* r : {&wrong, &unknown, &off}) {
    EXPECT_EQ(r->status, 401);
    EXPECT_EQ(r->body, wrong.body) << "one message for every failure";
    EXPECT_TRUE(header(*r, "Set-Cookie").empty());
  }
  EXPECT_EQ(body(wrong)["error"]["code"], "unauthenticated");
  EXPECT_FALSE(body(wrong)["error"]["hint"].get<std::string>().empty());
  const auto failed = audit_entries("session.login_failed");
  ASSERT_EQ(failed.size(), 3u);
  std::set<std::string> objects;
  for (const auto& e : failed) {
    objects.insert(e.object);
    EXPECT_EQ(e.detail.find("not-the-password"), std::string::npos);
    EXPECT_EQ(e.object.find("not-the-password"), std::string::npos);
  }
  EXPECT_EQ(objects, (std::set<std::string>{"login:alice", "login:nobody", "login:dora"}));
  // Malformed bodies are a 400, not a login attempt.
  Request r;
  r.method = "POST";
  r.path = "/api/v1/session";
  r.content_type = "application/json";
  r.body = R"({"login": "alice", "password": 42})";
  EXPECT_EQ(api_->handle(r).status, 400);
  r.body = "login=alice";
  EXPECT_EQ(api_->handle(r).status, 400);
}

TEST_F(ApiTest, ChangesWithTheCookieNeedTheCsrfTokenBearerRequestsDoNot) {
  user(org_a_, model::Role::kSubmitter, "alice");
  user(std::nullopt, model::Role::kHubAdmin, "root");
  const Browser alice = browser("alice"), root = browser("root");
  const std::string incident = R"({"kind": "incident", "free_text": "VPN brute force"})";
  const auto none = as(alice, "POST", "/api/v1/submissions", incident, "");
  EXPECT_EQ(none.status, 403);
  EXPECT_EQ(body(none)["error"]["code"], "permission_denied");
  EXPECT_NE(body(none)["error"]["message"].get<std::string>().find("X-CSRF-Token"),
            std::string::npos);
  EXPECT_FALSE(body(none)["error"]["hint"].get<std::string>().empty());
  EXPECT_EQ(as(alice, "POST", "/api/v1/submissions", incident, root.csrf).status, 403)
      << "another session's token";
  EXPECT_EQ(as(alice, "POST", "/api/v1/submissions", incident, alice.csrf + "0").status, 403);
  EXPECT_TRUE(body(call("GET", "/api/v1/submissions", admin_))["items"].empty())
      << "nothing stored by refused requests";
  EXPECT_EQ(as(alice, "POST", "/api/v1/submissions", incident).status, 202);
  // PATCH, PUT and DELETE alike.
  const auto bob = user(org_b_, model::Role::kReader, "bob");
  const std::string path = "/api/v1/users/" + std::to_string(bob);
  EXPECT_EQ(as(root, "PATCH", path, R"({"display_name": "Bob"})", "").status, 403);
  EXPECT_EQ(
      as(root, "PUT", "/api/v1/organizations/" + std::to_string(org_b_), R"({"name": "B2"})", "")
          .status,
      403);
  const auto tok = body(as(alice, "POST", "/api/v1/tokens", R"({"name": "x"})"));
  ASSERT_TRUE(tok.contains("id")) << tok.dump();
  EXPECT_EQ(
      as(alice, "DELETE", "/api/v1/tokens/" + std::to_string(tok["id"].get<std::int64_t>()), {}, "")
          .status,
      403);
  EXPECT_EQ(as(root, "PATCH", path, R"({"display_name": "Bob"})").status, 200);
  // An API token needs none (a page on another origin cannot send an Authorization header).
  EXPECT_EQ(call("POST", "/api/v1/submissions", sub_a_,
                 R"({"kind": "incident", "free_text": "via token"})")
                .status,
            202);
  EXPECT_EQ(call("PATCH", path, admin_, R"({"display_name": "Bobby"})").status, 200);
}

TEST_F(ApiTest, ChangesWithTheCookieFromAnotherOriginAreRefused) {
  user(std::nullopt, model::Role::kHubAdmin, "root");
  const Browser root = browser("root");
  const std::string sig = R"({"name": "Gas SIG"})";
  for (const char* origin : {"https://evil.example", "https://hub.example",
                             "https://hub.example:8443.evil.example", "null"}) {
    const auto r = as(root, "POST", "/api/v1/sigs", sig, std::nullopt, origin);
    EXPECT_EQ(r.status, 403) << origin;
    EXPECT_EQ(body(r)["error"]["code"], "permission_denied");
  }
  EXPECT_EQ(as(root, "POST", "/api/v1/sigs", sig, std::nullopt, "https://HUB.example:8443").status,
            201)
      << "same host and port";
  EXPECT_EQ(as(root, "GET", "/api/v1/sigs", {}, "", "https://evil.example").status, 200)
      << "reads are not refused by origin";
}

TEST_F(ApiTest, LogoutRevokesTheSessionAndClearsTheCookie) {
  user(org_a_, model::Role::kReader, "alice");
  const Browser b = browser("alice");
  EXPECT_EQ(as(b, "DELETE", "/api/v1/session", {}, "").status, 403)
      << "logout needs the CSRF token too";
  EXPECT_EQ(as(b, "GET", "/api/v1/me").status, 200);
  const auto out = as(b, "DELETE", "/api/v1/session");
  ASSERT_EQ(out.status, 200) << out.body;
  EXPECT_EQ(body(out)["logged_out"], true);
  const std::string cleared = header(out, "Set-Cookie");
  EXPECT_EQ(cleared.rfind("renkei_session=;", 0), 0u) << cleared;
  EXPECT_NE(cleared.find("Max-Age=0"), std::string::npos);
  const auto after = as(b, "GET", "/api/v1/me");
  EXPECT_EQ(after.status, 401);
  EXPECT_NE(header(after, "Set-Cookie").find("Max-Age=0"), std::string::npos)
      << "a dead cookie is removed";
  EXPECT_EQ(as(b, "GET", "/api/v1/session").status, 401);
  EXPECT_EQ(audit_entries("session.logout").size(), 1u);
  // /session without a session: 401 (an API token is not one).
  EXPECT_EQ(call("GET", "/api/v1/session", sub_a_).status, 401);
  EXPECT_EQ(call("DELETE", "/api/v1/session", sub_a_).status, 401);
  EXPECT_EQ(call("GET", "/api/v1/me", sub_a_).status, 200) << "and the token was not revoked";
}

TEST_F(ApiTest, ExpiredSessionsAndDisabledUsersAreRefused) {
  const auto uid = user(org_a_, model::Role::kSubmitter, "alice");
  const auto expired = store_->create_session(uid, std::chrono::seconds(-10));
  ASSERT_TRUE(expired.has_value());
  EXPECT_EQ(as({expired->secret, csrf_token(expired->secret)}, "GET", "/api/v1/me").status, 401);
  const Browser b = browser("alice");
  EXPECT_EQ(as(b, "GET", "/api/v1/me").status, 200);
  ASSERT_EQ(
      call("PATCH", "/api/v1/users/" + std::to_string(uid), admin_, R"({"disabled": true})").status,
      200);
  EXPECT_EQ(as(b, "GET", "/api/v1/me").status, 401) << "disabling ends the sessions at once";
  EXPECT_EQ(login("alice", kPassword).status, 401);
  ASSERT_EQ(call("PATCH", "/api/v1/users/" + std::to_string(uid), admin_, R"({"disabled": false})")
                .status,
            200);
  EXPECT_EQ(login("alice", kPassword).status, 200);
}

TEST_F(ApiTest, SessionSecretsAndApiTokensDoNotStandInForEachOther) {
  user(org_a_, model::Role::kSubmitter, "alice");
  const Browser b = browser("alice");
  const std::string secret = b.cookie.substr(0, b.cookie.rfind('.'));
  const auto as_bearer = call("GET", "/api/v1/me", secret);
  EXPECT_EQ(as_bearer.status, 401) << "a session secret is only accepted as the cookie";
  EXPECT_EQ(as({sub_a_, csrf_token(sub_a_)}, "GET", "/api/v1/me").status, 401)
      << "an API token is not a cookie";
  // Bearer wins when both come: a bad token is not rescued by a good cookie.
  Request r;
  r.method = "GET";
  r.path = "/api/v1/me";
  r.cookie = std::string(kSessionCookie) + "=" + b.cookie;
  r.authorization = "Bearer rk_" + std::string(43, 'x');
  EXPECT_EQ(api_->handle(r).status, 401);
  r.authorization = "Bearer " + sub_b_;
  EXPECT_EQ(body(api_->handle(r))["login"], "sub-b");
  // A cookie without the session's expiry still works (the expiry is only for display).
  EXPECT_EQ(as({secret, b.csrf}, "GET", "/api/v1/me").status, 200);
  EXPECT_TRUE(body(as({secret, b.csrf}, "GET", "/api/v1/session"))["expires_at"].is_null());
}

TEST_F(ApiTest, LoginAttemptsAreRateLimitedPerAddressAndPerLogin) {
  user(org_a_, model::Role::kSubmitter, "alice");
  user(org_a_, model::Role::kReader, "carol");
  const Api limited(*store_, {}, {}, SessionOptions{std::chrono::hours(1), RateLimit{0.001, 3}});
  // Per login name: three failures from three addresses, then even the right password waits.
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(
        login("alice", "guess-number-" + std::to_string(i), "10.0.0." + std::to_string(i), &limited)
            .status,
        401);
  const auto blocked = login("alice", kPassword, "10.0.0.9", &limited);
  EXPECT_EQ(blocked.status, 429);
  EXPECT_EQ(body(blocked)["error"]["code"], "rate_limited");
  EXPECT_GE(std::stoi(header(blocked, "Retry-After")), 1);
  // Per address: every attempt counts, whatever the name.
  for (const char* name : {"x1", "x2", "x3"})
    EXPECT_EQ(login(name, kPassword, "10.0.1.1", &limited).status, 401);
  EXPECT_EQ(login("carol", kPassword, "10.0.1.1", &limited).status, 429);
  // Others are not affected, and successful logins do not use up a name's attempts.
  for (int i = 0; i < 4; ++i)
    EXPECT_EQ(login("carol", kPassword, "10.0.2." + std::to_string(i), &limited).status, 200) << i;
}

// ---- Administration ----

TEST_F(ApiTest, HubAdminListsReadsAndChangesUsers) {
  const auto alice = user(org_a_, model::Role::kSubmitter, "alice");
  const auto list = call("GET", "/api/v1/users", admin_);
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(body(list)["items"].size(), 5u);  // admin, sub-a, sub-b, reader-b, alice
  const auto listed = body(list);  // held: a range-for over a temporary's member would dangle
  for (const auto& u : listed["items"])
    EXPECT_FALSE(u.contains("password") || u.contains("password_hash"));
  EXPECT_EQ(call("GET", "/api/v1/users", sub_a_).status, 403);
  const std::string path = "/api/v1/users/" + std::to_string(alice);
  EXPECT_EQ(body(call("GET", path, admin_))["login"], "alice");
  // Participants get the same 403 for every id: which ids exist is not told.
  EXPECT_EQ(call("GET", path, sub_b_).body, call("GET", "/api/v1/users/999999", sub_b_).body);
  EXPECT_EQ(call("GET", "/api/v1/users/999999", admin_).status, 404);
  EXPECT_EQ(call("PATCH", "/api/v1/users/999999", admin_, R"({"display_name": "x"})").status, 404);

  const auto r = call(
      "PATCH", path, admin_,
      R"({"display_name": "Alice Sato", "role": "reader", "password": "a-new-long-password"})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(body(r)["display_name"], "Alice Sato");
  EXPECT_EQ(body(r)["role"], "reader");
  EXPECT_EQ(r.body.find("a-new-long-password"), std::string::npos) << "never echoed";
  EXPECT_EQ(login("alice", kPassword).status, 401);
  EXPECT_EQ(login("alice", "a-new-long-password").status, 200);
  const auto updates = audit_entries("user.update");
  ASSERT_EQ(updates.size(), 1u);
  EXPECT_EQ(updates[0].object, "user:" + std::to_string(alice));
  EXPECT_NE(updates[0].detail.find("password"), std::string::npos);
  EXPECT_EQ(updates[0].detail.find("a-new-long-password"), std::string::npos);

  EXPECT_EQ(call("PATCH", path, sub_a_, R"({"role": "hub_admin"})").status, 403);
  EXPECT_EQ(call("PATCH", path, admin_, R"({"rol": "reader"})").status, 400) << "typos are refused";
  EXPECT_EQ(call("PATCH", path, admin_, R"({"disabled": "yes"})").status, 400);
  EXPECT_EQ(call("PATCH", path, admin_, R"({"role": "emperor"})").status, 400);
  EXPECT_EQ(call("PATCH", path, admin_, "{}").status, 400);
  EXPECT_EQ(call("PATCH", path, admin_, R"({"password": "short"})").status, 400);
  // The admin made by the fixture has no organisation: it cannot become a participant.
  const auto me = body(call("GET", "/api/v1/me", admin_))["id"].get<std::int64_t>();
  EXPECT_EQ(
      call("PATCH", "/api/v1/users/" + std::to_string(me), admin_, R"({"role": "reader"})").status,
      400);
  // Nor may the last active hub admin be disabled.
  const auto last =
      call("PATCH", "/api/v1/users/" + std::to_string(me), admin_, R"({"disabled": true})");
  EXPECT_EQ(last.status, 409);
  EXPECT_EQ(call("GET", "/api/v1/me", admin_).status, 200);
}

TEST_F(ApiTest, TokenListsShowOwnTokensWithoutSecrets) {
  const auto made =
      body(call("POST", "/api/v1/tokens", sub_a_, R"({"name": "gateway", "scopes": ["submit"]})"));
  const auto mine = call("GET", "/api/v1/tokens", sub_a_);
  ASSERT_EQ(mine.status, 200);
  const auto items = body(mine)["items"];
  ASSERT_EQ(items.size(), 2u);  // the fixture's and the gateway's
  EXPECT_EQ(items[0]["name"], "gateway");
  EXPECT_EQ(items[0]["scopes"], json::array({"submit"}));
  EXPECT_TRUE(items[0]["revoked_at"].is_null());
  EXPECT_EQ(mine.body.find(made["token"].get<std::string>()), std::string::npos)
      << "never the secret";
  EXPECT_EQ(mine.body.find(sub_a_), std::string::npos);
  for (const auto& t : items)
    EXPECT_FALSE(t.contains("token") || t.contains("secret") || t.contains("digest"));
  // Sessions are not API tokens.
  user(org_a_, model::Role::kSubmitter, "alice");
  browser("alice");
  const auto uid = body(call("GET", "/api/v1/me", sub_a_))["id"].get<std::int64_t>();
  const auto theirs =
      call("GET", "/api/v1/tokens", admin_, {}, "", {{"user_id", std::to_string(uid)}});
  ASSERT_EQ(theirs.status, 200);
  EXPECT_EQ(body(theirs)["items"].size(), 2u);
  EXPECT_EQ(
      call("GET", "/api/v1/tokens", sub_b_, {}, "", {{"user_id", std::to_string(uid)}}).status,
      403);
  EXPECT_EQ(call("GET", "/api/v1/tokens", admin_, {}, "", {{"user_id", "999999"}}).status, 404);
  EXPECT_EQ(call("GET", "/api/v1/tokens", admin_, {}, "", {{"user_id", "me"}}).status, 400);
  ASSERT_EQ(
      call("DELETE", "/api/v1/tokens/" + std::to_string(made["id"].get<std::int64_t>()), sub_a_)
          .status,
      200);
  EXPECT_TRUE(body(call("GET", "/api/v1/tokens", sub_a_))["items"][0]["revoked_at"].is_string());
}

TEST_F(ApiTest, OrganisationsAreReplacedByTheHubAdminOnly) {
  const std::string path = "/api/v1/organizations/" + std::to_string(org_a_);
  const auto version = *store_->registry_version();
  const std::string replacement =
      R"({"name": "A Company", "name_ja": "エー社", "industry": "wholesale",
      "domains": ["a-company.co.jp", "a-company.com"], "partner_domains": ["b-company.co.jp"],
      "vips": [{"name": "Ichiro Tanaka", "name_ja": "田中一郎", "title": "President", "addresses": ["i.tanaka@a-company.co.jp"]}]})";
  const auto r = call("PUT", path, admin_, replacement);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(body(r)["domains"], json::array({"a-company.co.jp", "a-company.com"}));
  EXPECT_EQ(body(r)["vips"][0]["name_ja"], "田中一郎");
  EXPECT_NE(*store_->registry_version(), version) << "the analysis sees the new registry data";
  EXPECT_EQ(audit_entries("organization.update").size(), 1u);
  // Replaced, not merged: what is left out is gone.
  EXPECT_EQ(body(call("PUT", path, admin_, R"({"name": "A Company"})"))["domains"], json::array());
  // Participants: their own is 403, another's or a missing one 404 alike.
  EXPECT_EQ(call("PUT", path, sub_a_, replacement).status, 403);
  const auto other = call("PUT", path, sub_b_, replacement);
  const auto missing = call("PUT", "/api/v1/organizations/999999", sub_b_, replacement);
  EXPECT_EQ(other.status, 404);
  EXPECT_EQ(other.body, missing.body);
  EXPECT_EQ(call("PUT", "/api/v1/organizations/999999", admin_, replacement).status, 404);
  EXPECT_EQ(call("PUT", path, admin_, R"({"name": "B Company"})").status, 409);
  EXPECT_EQ(call("PUT", path, admin_, R"({"name": "A", "domains": "a.example"})").status, 400);
  EXPECT_EQ(call("PUT", path, admin_, R"({"name": "A", "vips": {"name": "x"}})").status, 400);
  EXPECT_EQ(call("PUT", path, admin_, R"({"name": "A", "domains": ["http://a.example/"]})").status,
            400);
  EXPECT_EQ(body(call("GET", path, admin_))["name"], "A Company") << "nothing half-written";
}

TEST_F(ApiTest, MembershipsAreVisibleToTheHubAndTheOrganisationOnly) {
  const auto sig =
      body(call("POST", "/api/v1/sigs", admin_, R"({"name": "Electricity SIG"})"))["id"]
          .get<std::int64_t>();
  ASSERT_EQ(call("POST", "/api/v1/sigs/" + std::to_string(sig) + "/members", admin_,
                 R"({"organization_id": )" + std::to_string(org_a_) +
                     R"(, "joined_on": "2020-04-01", "left_on": "2021-03-31"})")
                .status,
            201);
  const std::string path = "/api/v1/organizations/" + std::to_string(org_a_) + "/memberships";
  for (const auto* tok : {&admin_, &sub_a_}) {
    const auto r = call("GET", path, *tok);
    ASSERT_EQ(r.status, 200) << r.body;
    ASSERT_EQ(body(r)["items"].size(), 1u);
    EXPECT_EQ(body(r)["items"][0]["sig_id"], sig);
    EXPECT_EQ(body(r)["items"][0]["left_on"], "2021-03-31");
  }
  const auto other = call("GET", path, sub_b_);
  EXPECT_EQ(other.status, 404);
  EXPECT_EQ(other.body, call("GET", "/api/v1/organizations/999999/memberships", sub_b_).body);
  EXPECT_EQ(call("GET", "/api/v1/organizations/999999/memberships", admin_).status, 404);
}

TEST_F(ApiTest, LiaisonNetworksAndCategoriesAreCreatedByTheHubAdmin) {
  const std::string net =
      R"({"name": "Medical associations", "name_ja": "医療関係団体", "represented_members": 5500, "organization_id": )" +
      std::to_string(org_b_) + "}";
  EXPECT_EQ(call("POST", "/api/v1/liaison-networks", sub_b_, net).status, 403);
  const auto r = call("POST", "/api/v1/liaison-networks", admin_, net);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(body(r)["represented_members"], 5500);
  EXPECT_EQ(body(r)["organization_id"], org_b_);
  EXPECT_EQ(body(call("GET", "/api/v1/liaison-networks", reader_b_))["items"].size(), 1u);
  EXPECT_EQ(call("POST", "/api/v1/liaison-networks", admin_, net).status, 409);
  EXPECT_EQ(call("POST", "/api/v1/liaison-networks", admin_,
                 R"({"name": "N", "represented_members": -1})")
                .status,
            400);
  EXPECT_EQ(call("POST", "/api/v1/liaison-networks", admin_,
                 R"({"name": "N", "organization_id": 999999})")
                .status,
            400);
  EXPECT_EQ(call("POST", "/api/v1/liaison-networks", admin_, R"({"name_ja": "名前なし"})").status,
            400);
  EXPECT_EQ(audit_entries("liaison.create").size(), 1u);

  const std::string cat =
      R"({"key": "supply_chain", "name": "Supply chain", "name_ja": "サプライチェーン"})";
  EXPECT_EQ(call("POST", "/api/v1/consultation-categories", sub_a_, cat).status, 403);
  ASSERT_EQ(call("POST", "/api/v1/consultation-categories", admin_, cat).status, 201);
  EXPECT_EQ(call("POST", "/api/v1/consultation-categories", admin_, cat).status, 409);
  EXPECT_EQ(
      call("POST", "/api/v1/consultation-categories", admin_, R"({"key": "Bad Key", "name": "x"})")
          .status,
      400);
  const auto cats = body(call("GET", "/api/v1/consultation-categories", sub_a_))["items"];
  EXPECT_EQ(cats.back()["key"], "supply_chain") << "added at the end";
  EXPECT_EQ(
      call("POST", "/api/v1/submissions", sub_a_,
           R"({"kind": "consultation", "consultation_category": "supply_chain", "free_text": "?"})")
          .status,
      202);
  EXPECT_EQ(audit_entries("category.create").size(), 1u);
}

namespace {

std::string read_fixture(const std::string& rel) {
  std::ifstream in(std::string(RENKEI_SOURCE_DIR) + "/" + rel, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

// The analysis job stores the mail's body with the analysis, and the views read it from there; a
// mail analysed before bodies were kept has its body extracted once and kept from then on. Either
// way the view shows what the engine chose as the body.
TEST_F(ApiTest, MailViewsReadTheKeptBodyAndKeepOneForOlderAnalyses) {
  const std::string eml =
      read_fixture("tests/fixtures/seed/auth-failed-spoofed-internal-sender.eml");
  ASSERT_FALSE(eml.empty());
  const analysis::Analysis expected = analysis::Engine().analyze(eml, "x");
  ASSERT_FALSE(expected.text.empty());
  ASSERT_FALSE(expected.html.empty());

  const auto r = call("POST", "/api/v1/submissions", sub_a_, eml, "message/rfc822");
  ASSERT_EQ(r.status, 202) << r.body;
  const std::int64_t id = body(r)["id"].get<std::int64_t>();
  auto job = analysis_job();
  ASSERT_TRUE(job->run_once(*store_, "test"));
  ASSERT_TRUE(store_->body(id)->has_value());
  EXPECT_FALSE(store_->indicators(id)->empty());
  EXPECT_FALSE(store_->signals(id)->empty());
  const auto view = call("GET", "/api/v1/submissions/" + std::to_string(id) + "/body", sub_a_);
  ASSERT_EQ(view.status, 200) << view.body;
  EXPECT_EQ(body(view)["text"], expected.text);
  EXPECT_EQ(body(view)["has_html"], true);
  EXPECT_EQ(call("GET", "/api/v1/submissions/" + std::to_string(id) + "/body.html", sub_a_).status,
            200);
  // Another organisation's submission: missing, as ever.
  EXPECT_EQ(call("GET", "/api/v1/submissions/" + std::to_string(id) + "/body", sub_b_).status, 404);

  // As an older version stored it: the analysis without the body.
  const auto r2 = call("POST", "/api/v1/submissions", sub_a_, eml + "\r\n", "message/rfc822");
  const std::int64_t old_id = body(r2)["id"].get<std::int64_t>();
  auto claimed = store_->claim_next("old");
  ASSERT_TRUE(claimed.has_value() && claimed->has_value());
  model::AnalysisRecord old_record;
  old_record.json = "{}";
  old_record.verdict = "phishing";
  ASSERT_TRUE(store_->complete(old_id, old_record).has_value());
  ASSERT_FALSE(store_->body(old_id)->has_value());
  const auto old_view =
      call("GET", "/api/v1/submissions/" + std::to_string(old_id) + "/body", sub_a_);
  ASSERT_EQ(old_view.status, 200) << old_view.body;
  EXPECT_EQ(body(old_view)["text"], expected.text);
  EXPECT_TRUE(store_->body(old_id)->has_value());  // kept for the next view
}

// A submission that is not a mail is analysed for the indicators in what was written (refanged),
// as renkei.indicators/1, and its indicators are kept typed.
TEST_F(ApiTest, ReportsOfIndicatorsAreAnalysedForTheirIndicators) {
  const auto r = call("POST", "/api/v1/submissions", sub_a_,
                      json({{"kind", "communication"},
                            {"free_text",
                             "C2 at hxxp://evil-c2[.]example/gate.php from 5.189.162[.]164, "
                             "mail from attacker@evil-c2.example"}})
                          .dump());
  ASSERT_EQ(r.status, 202) << r.body;
  const std::int64_t id = body(r)["id"].get<std::int64_t>();
  ASSERT_TRUE(analysis_job()->run_once(*store_, "test"));
  const auto got = call("GET", "/api/v1/submissions/" + std::to_string(id), sub_a_);
  const json a = body(got)["analysis"];
  EXPECT_EQ(a["schema"], "renkei.indicators/1");
  std::set<std::string> values;
  for (const auto& i : a["indicators"])
    values.insert(i["type"].get<std::string>() + " " + i["value"].get<std::string>());
  EXPECT_TRUE(values.count("url http://evil-c2.example/gate.php")) << a.dump();
  EXPECT_TRUE(values.count("ipv4-addr 5.189.162.164")) << a.dump();
  EXPECT_TRUE(values.count("email-addr attacker@evil-c2.example")) << a.dump();
  EXPECT_EQ(store_->indicators(id)->size(), values.size());
}

// Regression (hub hardening, finding 7): a submitter minted 20 tokens and got 20 times the rate.
// The limit holds per user across tokens, and a user holds a bounded number of tokens.
TEST_F(ApiTest, MoreTokensDoNotBuyMoreRequests) {
  Api limited(*store_, {}, RateLimit{0.001, 4});
  std::vector<std::string> tokens;
  for (int i = 0; i < 3; ++i) {
    const auto r =
        call("POST", "/api/v1/tokens", sub_a_, json({{"name", "t" + std::to_string(i)}}).dump());
    ASSERT_EQ(r.status, 201) << r.body;
    tokens.push_back(body(r)["token"].get<std::string>());
  }
  Request r;
  r.method = "GET";
  r.path = "/api/v1/me";
  int ok = 0;
  for (int i = 0; i < 12; ++i) {
    r.authorization = "Bearer " + tokens[static_cast<std::size_t>(i) % tokens.size()];
    ok += limited.handle(r).status == 200 ? 1 : 0;
  }
  EXPECT_EQ(ok, 4);                      // the user's bucket, whichever token asks
  r.authorization = "Bearer " + sub_b_;  // another user is not affected
  EXPECT_EQ(limited.handle(r).status, 200);

  int created = 4;  // sub_a_'s own token and the three above
  Response over;
  while (created <= static_cast<int>(store::kMaxTokensPerUser)) {
    over = call("POST", "/api/v1/tokens", sub_a_, "{}");
    if (over.status != 201) break;
    ++created;
  }
  EXPECT_EQ(created, static_cast<int>(store::kMaxTokensPerUser));
  EXPECT_EQ(over.status, 409) << over.body;
  EXPECT_NE(body(over)["error"]["hint"].get<std::string>().find("revoke"), std::string::npos);
}

// Regression (hub hardening, finding 5): a cross-site form could log a victim into the attacker's
// account. A login is JSON from the hub's own origin only.
TEST_F(ApiTest, LoginComesOnlyFromTheHubsOwnPages) {
  user(org_a_, model::Role::kSubmitter, "victim-login");
  Request r;
  r.method = "POST";
  r.path = "/api/v1/session";
  r.remote = "127.0.0.1";
  r.host = "hub.example";
  r.body = json({{"login", "victim-login"}, {"password", kPassword}}).dump();
  r.content_type = "text/plain";  // what a cross-site form can send without a preflight
  EXPECT_EQ(api_->handle(r).status, 415);
  r.content_type = "application/json";
  r.origin = "https://attacker.example";
  const auto foreign = api_->handle(r);
  EXPECT_EQ(foreign.status, 403);
  EXPECT_EQ(header(foreign, "Set-Cookie"), "");
  r.origin = "";
  r.fetch_site = "cross-site";
  EXPECT_EQ(api_->handle(r).status, 403);
  r.fetch_site = "same-origin";
  r.origin = "https://hub.example";
  EXPECT_EQ(api_->handle(r).status, 200);
}

// Regression (hub hardening, finding 9): re-enabling a disabled user brought their old tokens
// back. Disabling revokes every credential.
TEST_F(ApiTest, DisablingAUserRevokesTheirTokensForGood) {
  const auto uid = user(org_a_, model::Role::kReader, "leaver");
  const auto tok = store_->create_token(uid, "script", {})->secret;
  EXPECT_EQ(call("GET", "/api/v1/me", tok).status, 200);
  EXPECT_EQ(call("PATCH", "/api/v1/users/" + std::to_string(uid), admin_,
                 json({{"disabled", true}}).dump())
                .status,
            200);
  EXPECT_EQ(call("GET", "/api/v1/me", tok).status, 401);
  EXPECT_EQ(call("PATCH", "/api/v1/users/" + std::to_string(uid), admin_,
                 json({{"disabled", false}}).dump())
                .status,
            200);
  EXPECT_EQ(call("GET", "/api/v1/me", tok).status, 401);
}

// Regression (hub hardening, finding 1): the analysis a participant received named another
// member, its domain, its executive's title and address. A participant sees that the mail
// impersonates an executive or imitates a protected domain; the hub sees whose.
TEST_F(ApiTest, ParticipantsDoNotLearnOtherMembersRegisteredData) {
  model::Organization mfg, bco;
  mfg.data.name = "Example Manufacturing";
  mfg.data.name_ja = "例示製造";
  mfg.data.domains = {"example-mfg.co.jp"};
  mfg.data.vips = {{"Taro Yamada", "山田太郎", "CEO", {"t.yamada@example-mfg.co.jp"}}};
  bco.data.name = "Bee Trading Holdings";
  bco.data.domains = {"b-companys.com.cc"};
  ASSERT_TRUE(store_->create_organization(mfg).has_value());
  const auto b_id = *store_->create_organization(bco);
  auto job = analysis_job();
  auto analysed_as = [&](const std::string& fixture, const std::string& tok) {
    const auto r = call("POST", "/api/v1/submissions", tok,
                        read_fixture("tests/fixtures/seed/" + fixture), "message/rfc822");
    EXPECT_EQ(r.status, 202) << r.body;
    EXPECT_TRUE(job->run_once(*store_, "test"));
    return body(r)["id"].get<std::int64_t>();
  };
  const auto ceo = analysed_as("q2-2020-case6-japanised-ceo-fraud-sendgrid-beacon.eml", sub_a_);
  const auto look =
      analysed_as("q2-2020-case2-lookalike-domains-mdn-hong-kong-account.eml", sub_a_);
  auto analysis_of = [&](std::int64_t id, const std::string& tok) {
    return body(call("GET", "/api/v1/submissions/" + std::to_string(id), tok))["analysis"];
  };
  auto signal = [](const json& a, const std::string& id) {
    for (const auto& s : a["signals"])
      if (s["id"] == id) return s["evidence"].get<std::string>();
    return std::string("(absent)");
  };

  const json hub_ceo = analysis_of(ceo, admin_);
  EXPECT_NE(signal(hub_ceo, "executive_impersonation").find("Example Manufacturing"),
            std::string::npos);
  const json seen_ceo = analysis_of(ceo, sub_a_);
  EXPECT_EQ(seen_ceo["verdict"], hub_ceo["verdict"]);  // the verdict is the same for both
  EXPECT_NE(signal(seen_ceo, "executive_impersonation").find("another participant"),
            std::string::npos);
  const json hub_look = analysis_of(look, admin_);
  const json seen_look = analysis_of(look, sub_a_);
  EXPECT_NE(signal(seen_look, "sender_lookalike").find("protected domain"), std::string::npos);
  EXPECT_FALSE(hub_look["lookalikes"].empty());
  // Names, titles and addresses only the registry knows appear nowhere; registered domains
  // appear only where the mail itself has them (its recipients, its quoted thread), never in
  // what the engine concluded from the registry.
  for (const std::string secret : {"Example Manufacturing", "例示製造",
                                   "t.yamada@example-mfg.co.jp", "Bee Trading Holdings"}) {
    EXPECT_EQ(seen_ceo.dump().find(secret), std::string::npos) << secret;
    EXPECT_EQ(seen_look.dump().find(secret), std::string::npos) << secret;
  }
  for (const json* a : {&seen_ceo, &seen_look})
    for (const std::string secret : {"example-mfg.co.jp", "b-companys.com.cc"}) {
      EXPECT_EQ((*a)["lookalikes"].dump().find(secret), std::string::npos) << secret;
      for (const auto& s : (*a)["signals"])
        if (s["id"] == "executive_impersonation" || s["id"] == "sender_lookalike")
          EXPECT_EQ(s["evidence"].get<std::string>().find(secret), std::string::npos) << secret;
    }
  EXPECT_NE(hub_look.dump().find("Bee Trading Holdings"), std::string::npos);

  // A member's own registered data stays visible to it: its submitter sees its domain.
  const auto sub_bco = token(b_id, model::Role::kSubmitter, "sub-bco");
  const auto own =
      analysed_as("q2-2020-case2-lookalike-domains-mdn-hong-kong-account.eml", sub_bco);
  EXPECT_NE(analysis_of(own, sub_bco).dump().find("b-companys.com.cc"), std::string::npos);
}
