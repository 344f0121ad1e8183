// What the HTTP layer decides before reading a body (hub hardening, issue 15, finding 2):
// Api::admit on the head alone, on a real SQLite store; the head's limits and fields (parse_head,
// the server's own code) and the query-string decoder.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <string>

#include "hub/api.hpp"
#include "hub/http_server.hpp"
#include "store/store.hpp"

using namespace renkei;
using namespace renkei::hub;

namespace {

class AdmissionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("renkei-admission-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    store_ = std::move(*store::open_sqlite(dir_.string()));
    ASSERT_TRUE(store_->migrate().has_value());
    api_ = std::make_unique<Api>(*store_, nullptr, RateLimit{0.01, 2});
    model::Organization a;
    a.data.name = "A Company";
    const auto org = *store_->create_organization(a);
    const auto uid = store_->create_user({org, "sub", "sub", model::Role::kSubmitter, ""});
    token_ = store_->create_token(*uid, "test", {})->secret;
  }
  void TearDown() override {
    api_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  static Request head(std::string method, std::string path, std::string authorization = {}) {
    Request r;
    r.method = std::move(method);
    r.path = std::move(path);
    r.authorization = std::move(authorization);
    r.content_type = "message/rfc822";
    r.remote = "127.0.0.1";
    return r;
  }

  std::filesystem::path dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Api> api_;
  std::string token_;
};

TEST_F(AdmissionTest, AnUploadWithoutCredentialsIsRefusedFromItsHead) {
  const auto refused = api_->admit(head("POST", "/api/v1/submissions"));
  ASSERT_TRUE(refused.has_value());
  EXPECT_EQ(refused->status, 401);
  EXPECT_TRUE(refused->has_header("WWW-Authenticate"));
  const auto bad = api_->admit(head("POST", "/api/v1/submissions", "Bearer rk_nothing"));
  ASSERT_TRUE(bad.has_value());
  EXPECT_EQ(bad->status, 401);
}

TEST_F(AdmissionTest, ASessionCookieWithoutItsCsrfProofIsRefusedFromItsHead) {
  Request r = head("POST", "/api/v1/submissions");
  r.cookie = "renkei_session=forged.1";
  const auto refused = api_->admit(r);
  ASSERT_TRUE(refused.has_value());
  EXPECT_EQ(refused->status, 401);
}

TEST_F(AdmissionTest, AValidTokenAndPublicRoutesMayBeRead) {
  EXPECT_FALSE(api_->admit(head("POST", "/api/v1/submissions", "Bearer " + token_)).has_value());
  EXPECT_FALSE(api_->admit(head("POST", "/api/v1/session")).has_value());  // login: public
  EXPECT_FALSE(api_->admit(head("GET", "/api/v1/health")).has_value());
  EXPECT_FALSE(api_->admit(head("POST", "/elsewhere")).has_value());  // handle() answers it
}

TEST_F(AdmissionTest, ASpentRateLimitIsRefusedFromItsHeadWithoutTakingFromIt) {
  // A burst of 2 (refilled once in 100 s): admission only looks, so any number of admissions leave
  // both requests.
  for (int i = 0; i < 5; ++i)
    EXPECT_FALSE(api_->admit(head("POST", "/api/v1/submissions", "Bearer " + token_)).has_value());
  for (int i = 0; i < 2; ++i)
    EXPECT_NE(api_->handle(head("GET", "/api/v1/me", "Bearer " + token_)).status, 429);
  const auto limited = api_->admit(head("POST", "/api/v1/submissions", "Bearer " + token_));
  ASSERT_TRUE(limited.has_value());
  EXPECT_EQ(limited->status, 429);
  EXPECT_TRUE(limited->has_header("Retry-After"));
}

TEST(ParseQuery, DecodesWhatBrowsersSend) {
  const struct {
    const char* query;
    std::map<std::string, std::string> want;
  } kCases[] = {
      {"since=2026-10-01T00:00:00Z", {{"since", "2026-10-01T00:00:00Z"}}},
      {"q=a*&limit=5", {{"q", "a*"}, {"limit", "5"}}},
      {"q=it's+(x),$1!@/?", {{"q", "it's (x),$1!@/?"}}},
      {"q=%E8%87%B3%E6%80%A5", {{"q", "至急"}}},
      {"q=a%26b%3Dc", {{"q", "a&b=c"}}},
      {"flag&x=", {{"flag", ""}, {"x", ""}}},
      {"q=first&q=second", {{"q", "first"}}},
      {"&&a=1&", {{"a", "1"}}},
      {"", {}},
  };
  for (const auto& c : kCases) {
    std::map<std::string, std::string> got;
    ASSERT_TRUE(parse_query(c.query, got).has_value()) << c.query;
    EXPECT_EQ(got, c.want) << c.query;
  }
}

TEST(ParseQuery, AMalformedEscapeIsAClientError) {
  for (const char* q : {"x=%zz", "x=%", "x=%4", "%g1=1"}) {
    std::map<std::string, std::string> got;
    const auto r = parse_query(q, got);
    ASSERT_FALSE(r.has_value()) << q;
    EXPECT_EQ(r.error().code, Errc::kInvalidArgument) << q;
  }
}

TEST(ParseHead, HeadsOverTheLimitsGetTheirStatus) {
  const HttpLimits limits;
  auto status = [&](const std::string& raw) {
    const auto r = parse_head(raw, limits);
    return r ? 0 : r.error().status;
  };
  EXPECT_EQ(status("GET /api/v1/health?q=" + std::string(200000, 'a') + " HTTP/1.1\r\n\r\n"), 414);
  EXPECT_EQ(status("GET /api/v1/health?q=" + std::string(9000, 'a') + " HTTP/1.1\r\n\r\n"), 414);
  EXPECT_EQ(status("GET / HTTP/1.1\r\nX-Big: " + std::string(1 << 20, 'b') + "\r\n\r\n"), 431);
  std::string many = "GET / HTTP/1.1\r\n";
  for (int i = 0; i < 10000; ++i) many += "X-H" + std::to_string(i) + ": v\r\n";
  EXPECT_EQ(status(many + "\r\n"), 431);
  EXPECT_EQ(status("GET / HTTP/1.1\r\nX-A: 1\r\n"), 400);  // incomplete
  EXPECT_EQ(status("NOT HTTP\r\n\r\n"), 400);
  EXPECT_EQ(status("GET /x?q=%zz HTTP/1.1\r\n\r\n"), 400);
}

TEST(ParseHead, TheRequestCarriesWhatTheApiReads) {
  const auto r = parse_head(
      "POST /api/v1/submissions?disclosure=with_name&q=a+b HTTP/1.1\r\nHost: hub.example\r\n"
      "Authorization: Bearer rk_x\r\nContent-Type: message/rfc822\r\nCookie: a=1\r\n"
      "X-CSRF-Token: t\r\nOrigin: https://hub.example\r\nSec-Fetch-Site: same-origin\r\n\r\n");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->method, "POST");
  EXPECT_EQ(r->path, "/api/v1/submissions");
  EXPECT_EQ(r->query.at("disclosure"), "with_name");
  EXPECT_EQ(r->query.at("q"), "a b");
  EXPECT_EQ(r->host, "hub.example");
  EXPECT_EQ(r->authorization, "Bearer rk_x");
  EXPECT_EQ(r->content_type, "message/rfc822");
  EXPECT_EQ(r->cookie, "a=1");
  EXPECT_EQ(r->csrf_token, "t");
  EXPECT_EQ(r->origin, "https://hub.example");
  EXPECT_EQ(r->fetch_site, "same-origin");
  EXPECT_TRUE(r->body.empty());
}

}  // namespace
