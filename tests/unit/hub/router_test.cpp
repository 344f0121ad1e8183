// The route table: literal segments, {name} parameters, "**" for a subtree, methods (GET answers
// HEAD), first match wins, and what it says when only the method is wrong.
#include <gtest/gtest.h>

#include <string>

#include "hub/router.hpp"

using renkei::hub::Router;

namespace {

Router<std::string> table() {
  Router<std::string> r;
  r.add("GET", "/api/v1/submissions", "list");
  r.add("POST", "/api/v1/submissions", "create");
  r.add("GET", "/api/v1/submissions/{id}", "read");
  r.add("GET", "/api/v1/submissions/{id}/raw", "raw");
  r.add("PATCH", "/api/v1/sigs/{id}/members/{org}", "end");
  r.add("*", "/api/**", "api");
  r.add("GET", "/**", "file");
  return r;
}

std::string handler(const Router<std::string>& r, std::string_view method, std::string_view path) {
  const auto m = r.match(method, path);
  return m.handler ? *m.handler : "";
}

}  // namespace

TEST(Router, LiteralsParametersAndMethods) {
  const auto r = table();
  EXPECT_EQ(handler(r, "GET", "/api/v1/submissions"), "list");
  EXPECT_EQ(handler(r, "POST", "/api/v1/submissions"), "create");
  EXPECT_EQ(handler(r, "HEAD", "/api/v1/submissions"), "list");  // GET answers HEAD
  const std::string path = "/api/v1/submissions/42/raw";
  const auto m = r.match("GET", path);
  ASSERT_NE(m.handler, nullptr);
  EXPECT_EQ(*m.handler, "raw");
  EXPECT_EQ(m.params["id"], "42");
  EXPECT_EQ(m.params["nothing"], "");
  const std::string two = "/api/v1/sigs/3/members/17";
  const auto e = r.match("PATCH", two);
  EXPECT_EQ(e.params["id"], "3");
  EXPECT_EQ(e.params["org"], "17");
}

TEST(Router, EmptySegmentsAreIgnoredAndSubtreesMatchAnyDepth) {
  const auto r = table();
  EXPECT_EQ(handler(r, "GET", "//api/v1///submissions/"), "list");
  EXPECT_EQ(handler(r, "DELETE", "/api/v1/submissions/42"), "api");  // falls to the subtree
  EXPECT_EQ(handler(r, "GET", "/api"), "api");                       // ** matches nothing too
  EXPECT_EQ(handler(r, "GET", "/apix/v1"), "file");                  // a segment, not a prefix
  EXPECT_EQ(handler(r, "GET", "/"), "file");
  EXPECT_EQ(handler(r, "POST", "/index.html"), "");
}

TEST(Router, AWrongMethodIsToldApartFromAnUnknownPath) {
  Router<int> r;
  r.add("GET", "/a/{x}", 1);
  const auto wrong_method = r.match("POST", "/a/1");
  EXPECT_EQ(wrong_method.handler, nullptr);
  EXPECT_TRUE(wrong_method.path_known);
  const auto unknown = r.match("GET", "/b/1");
  EXPECT_EQ(unknown.handler, nullptr);
  EXPECT_FALSE(unknown.path_known);
  EXPECT_EQ(r.match("GET", "/a").handler, nullptr);      // too short
  EXPECT_EQ(r.match("GET", "/a/1/2").handler, nullptr);  // too long
}
