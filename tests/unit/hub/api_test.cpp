// The API on a real SQLite store, without HTTP: what each role sees, the error bodies, idempotent
// submissions, and that nothing half-written remains after a refused request.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "hub/api.hpp"
#include "store/store.hpp"

using namespace renkei;
using namespace renkei::hub;
using nlohmann::json;

namespace {

class ApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("renkei-api-test-" + std::to_string(::getpid()) + "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    store_ = std::move(*store::open_sqlite(dir_.string()));
    ASSERT_TRUE(store_->migrate().has_value());
    api_ = std::make_unique<Api>(*store_, [this] { ++notified_; });
    store::Organization a, b;
    a.data.name = "A Company";
    a.data.domains = {"a-company.co.jp"};
    b.data.name = "B Company";
    org_a_ = *store_->create_organization(a);
    org_b_ = *store_->create_organization(b);
    admin_ = token(std::nullopt, store::Role::kHubAdmin, "admin");
    sub_a_ = token(org_a_, store::Role::kSubmitter, "sub-a");
    sub_b_ = token(org_b_, store::Role::kSubmitter, "sub-b");
    reader_b_ = token(org_b_, store::Role::kReader, "reader-b");
  }
  void TearDown() override {
    api_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::string token(std::optional<std::int64_t> org, store::Role role, const std::string& login) {
    const auto uid = store_->create_user({org, login, login, role, ""});
    EXPECT_TRUE(uid.has_value()) << uid.error().to_string();
    return store_->create_token(*uid, "test", {})->secret;
  }

  Response call(const std::string& method, const std::string& path, const std::string& tok, std::string body = {},
                std::string content_type = "application/json", std::map<std::string, std::string> query = {}) {
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

  std::filesystem::path dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Api> api_;
  std::int64_t org_a_ = 0, org_b_ = 0;
  std::string admin_, sub_a_, sub_b_, reader_b_;
  int notified_ = 0;
};

const std::string kEml = "From: Bob <bob@b-companys-cc.com>\r\nTo: alice@a-company.co.jp\r\nSubject: Invoice\r\n\r\nPay.\r\n";

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
  const auto r1 = call("POST", "/api/v1/submissions", sub_a_, kEml, "message/rfc822", {{"disclosure", "with_name"}});
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
  EXPECT_TRUE(body(call("GET", "/api/v1/submissions/" + std::to_string(id), admin_)).contains("submitted_by"));
  const auto raw = call("GET", "/api/v1/submissions/" + std::to_string(id) + "/raw", sub_a_);
  EXPECT_EQ(raw.body, kEml);
  EXPECT_EQ(raw.content_type, "message/rfc822");
}

TEST_F(ApiTest, ParticipantsNeverSeeAnotherOrganisationsSubmissions) {
  const auto id = body(call("POST", "/api/v1/submissions", sub_a_, kEml, "message/rfc822"))["id"].get<std::int64_t>();
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
  const std::string org = R"({"name": "C Company", "domains": ["c-company.co.jp"], "vips": [{"name": "Taro Yamada", "addresses": ["t@c-company.co.jp"]}]})";
  EXPECT_EQ(call("POST", "/api/v1/organizations", sub_a_, org).status, 403);
  const auto r = call("POST", "/api/v1/organizations", admin_, org);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(body(r)["vips"][0]["addresses"][0], "t@c-company.co.jp");
  EXPECT_EQ(call("POST", "/api/v1/organizations", admin_, org).status, 409);
  const auto bad = call("POST", "/api/v1/organizations", admin_, R"({"name": "D", "domains": ["http://d.example/"]})");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(body(call("GET", "/api/v1/organizations", admin_))["items"].size(), 3u) << "nothing half-written";

  const std::string user = R"({"login": "carol", "role": "reader", "organization_id": )" + std::to_string(org_a_) + "}";
  EXPECT_EQ(call("POST", "/api/v1/users", sub_a_, user).status, 403);
  EXPECT_EQ(call("POST", "/api/v1/users", admin_, user).status, 201);
  EXPECT_EQ(call("POST", "/api/v1/users", admin_, R"({"login": "dave", "role": "reader"})").status, 400);
  EXPECT_EQ(call("POST", "/api/v1/users", admin_, R"({"login": "eve", "role": "emperor"})").status, 400);
}

TEST_F(ApiTest, TokensAreScopedAndRevocable) {
  const auto t = call("POST", "/api/v1/tokens", sub_a_, R"({"name": "gateway", "scopes": ["read"]})");
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
  for (int i = 0; i < 7; ++i) call("POST", "/api/v1/submissions", sub_a_, kEml + std::to_string(i), "message/rfc822");
  auto page = body(call("GET", "/api/v1/submissions", sub_a_, "", "", {{"limit", "3"}}));
  ASSERT_EQ(page["items"].size(), 3u);
  std::set<std::int64_t> seen;
  for (int guard = 0; guard < 10; ++guard) {
    for (const auto& s : page["items"]) EXPECT_TRUE(seen.insert(s["id"].get<std::int64_t>()).second);
    if (page["next_before"].is_null()) break;
    page = body(call("GET", "/api/v1/submissions", sub_a_, "", "", {{"limit", "3"}, {"before", std::to_string(page["next_before"].get<std::int64_t>())}}));
  }
  EXPECT_EQ(seen.size(), 7u);
  EXPECT_EQ(call("GET", "/api/v1/submissions", sub_a_, "", "", {{"limit", "0"}}).status, 400);
  EXPECT_EQ(call("GET", "/api/v1/submissions", sub_a_, "", "", {{"status", "weird"}}).status, 400);
  EXPECT_EQ(body(call("GET", "/api/v1/submissions", sub_a_, "", "", {{"status", "queued"}}))["items"].size(), 7u);
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
  const auto sig = call("POST", "/api/v1/sigs", admin_, R"({"name": "Electricity SIG", "name_ja": "電力業界SIG"})");
  ASSERT_EQ(sig.status, 201) << sig.body;
  const std::string members = "/api/v1/sigs/" + std::to_string(body(sig)["id"].get<std::int64_t>()) + "/members";
  EXPECT_EQ(call("POST", members, admin_, R"({"organization_id": )" + std::to_string(org_a_) + R"(, "joined_on": "2020-04-01"})").status, 201);
  EXPECT_EQ(call("POST", members, admin_, R"({"organization_id": )" + std::to_string(org_b_) + R"(, "joined_on": "April"})").status, 400);
  EXPECT_EQ(call("POST", members, sub_a_, R"({"organization_id": 1, "joined_on": "2020-04-01"})").status, 403);
  const auto list = body(call("GET", "/api/v1/sigs", reader_b_));
  ASSERT_EQ(list["items"].size(), 1u);
  EXPECT_EQ(list["items"][0]["name_ja"], "電力業界SIG");
  EXPECT_EQ(list["items"][0]["members"], 1);
  EXPECT_EQ(call("GET", "/api/v1/liaison-networks", reader_b_).status, 200);
}

TEST_F(ApiTest, HostileBodiesGetClearErrorsAndChangeNothing) {
  // 100,000 levels of nesting: parsed without recursion limits biting, refused as not an object.
  const auto deep = call("POST", "/api/v1/submissions", sub_a_, std::string(100000, '[') + std::string(100000, ']'));
  EXPECT_EQ(deep.status, 400);
  EXPECT_EQ(body(deep)["error"]["code"], "invalid_argument");
  // Truncated JSON, a NUL in the middle, the wrong types.
  EXPECT_EQ(call("POST", "/api/v1/submissions", sub_a_, R"({"kind": "email", "free_text": "x)").status, 400);
  EXPECT_EQ(call("POST", "/api/v1/submissions", sub_a_, std::string("{\"free_text\": \"a\0b\"}", 20)).status, 400);
  EXPECT_EQ(call("POST", "/api/v1/submissions", sub_a_, R"({"free_text": ["x"]})").status, 400);
  EXPECT_EQ(call("POST", "/api/v1/submissions", sub_a_, R"({"kind": "email", "artefact_base64": "!!!"})").status, 400);
  // Free text over the named limit.
  const auto big = call("POST", "/api/v1/submissions", sub_a_,
                        json({{"kind", "incident"}, {"free_text", std::string(store::kMaxFreeTextBytes + 1, 'x')}}).dump());
  EXPECT_EQ(big.status, 400);
  EXPECT_NE(body(big)["error"]["hint"].get<std::string>().find("KiB"), std::string::npos);
  // Hostile ids and paths.
  for (const char* path : {"/api/v1/submissions/-1", "/api/v1/submissions/99999999999999999999", "/api/v1/submissions/1%00",
                           "/api/v1/submissions/../../etc/passwd", "/api/v1/organizations/0"})
    EXPECT_EQ(call("GET", path, admin_).status, 404) << path;
  // Nothing of the above was stored.
  EXPECT_TRUE(body(call("GET", "/api/v1/submissions", admin_))["items"].empty());
}
