// The web UI's files as the server hands them out: files, application routes, what must not be
// served, and the security headers on every answer.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "hub/web_files.hpp"

using namespace renkei;
using namespace renkei::hub;

namespace {

std::string header(const Response& r, std::string_view name) {
  for (const auto& [k, v] : r.headers)
    if (k == name) return v;
  return {};
}

class WebFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // The web root and, beside it, a secret it must never serve — both in a directory of this
    // process's own, so that tests running in parallel do not remove each other's files.
    base_ =
        std::filesystem::temp_directory_path() / ("renkei-web-test-" + std::to_string(::getpid()));
    root_ = base_ / "www";
    std::filesystem::remove_all(base_);
    std::filesystem::create_directories(root_ / "assets");
    std::ofstream(root_ / "index.html") << "<!doctype html><div id=root></div>";
    std::ofstream(root_ / "assets" / "index-1a2b.js") << "console.log(1)";
    std::ofstream(root_ / "assets" / "font-x.woff2") << "wOF2";
    std::filesystem::create_directories(root_.parent_path() / "renkei-web-secret");
    std::ofstream(root_.parent_path() / "renkei-web-secret" / "secret.txt") << "secret";
  }
  void TearDown() override { std::filesystem::remove_all(base_); }
  std::filesystem::path base_, root_;
};

}  // namespace

TEST_F(WebFilesTest, ServesFilesAndApplicationRoutes) {
  auto w = WebFiles::load(root_.string());
  ASSERT_TRUE(w.has_value()) << w.error().to_string();
  EXPECT_EQ(w->files(), 3u);
  const Response index = w->serve("/");
  EXPECT_EQ(index.status, 200);
  EXPECT_EQ(index.content_type, "text/html; charset=utf-8");
  EXPECT_NE(index.body.find("id=root"), std::string::npos);
  EXPECT_EQ(header(index, "Cache-Control"), "no-cache");
  // The single-page application's own routes get index.html.
  for (const char* route : {"/submissions", "/submissions/42", "/admin/users"}) {
    const Response r = w->serve(route);
    EXPECT_EQ(r.status, 200) << route;
    EXPECT_EQ(r.body, index.body) << route;
  }
  const Response js = w->serve("/assets/index-1a2b.js");
  EXPECT_EQ(js.content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(js.body, "console.log(1)");
  EXPECT_EQ(header(js, "Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(w->serve("/assets/font-x.woff2").content_type, "font/woff2");
}

TEST_F(WebFilesTest, RefusesWhatIsNotThere) {
  auto w = WebFiles::load(root_.string());
  ASSERT_TRUE(w.has_value());
  for (const char* path :
       {"/assets/missing.js", "/../renkei-web-secret/secret.txt",
        "/assets/../../renkei-web-secret/secret.txt", "/favicon.ico", "relative", ""}) {
    const Response r = w->serve(path);
    EXPECT_EQ(r.status, 404) << path;
    EXPECT_EQ(r.body.find("secret"), std::string::npos) << path;
  }
  EXPECT_EQ(w->serve(std::string_view("/index.html\0x", 13)).status, 404);
}

TEST_F(WebFilesTest, EveryAnswerCarriesTheSecurityHeaders) {
  auto w = WebFiles::load(root_.string());
  ASSERT_TRUE(w.has_value());
  for (const char* path : {"/", "/submissions/1", "/assets/index-1a2b.js", "/assets/missing.js"}) {
    const Response r = w->serve(path);
    const std::string csp = header(r, "Content-Security-Policy");
    EXPECT_NE(csp.find("script-src 'self'"), std::string::npos) << path;
    EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos) << path;
    EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << path;
    EXPECT_EQ(header(r, "X-Content-Type-Options"), "nosniff") << path;
    EXPECT_EQ(header(r, "X-Frame-Options"), "DENY") << path;
  }
}

TEST_F(WebFilesTest, WithoutIndexThereIsNoUi) {
  std::filesystem::remove(root_ / "index.html");
  auto w = WebFiles::load(root_.string());
  ASSERT_FALSE(w.has_value());
  EXPECT_EQ(w.error().code, Errc::kNotFound);
  EXPECT_EQ(find_web_root("/somewhere/configured"), "/somewhere/configured");
}

TEST_F(WebFilesTest, PrecompressedCopyGoesToClientsThatAcceptGzip) {
  // The build writes X.gz beside X; the bytes here stand for gzip data (the server never
  // decompresses, it only chooses).
  std::ofstream(root_ / "assets" / "index-1a2b.js.gz") << "GZ-BYTES";
  auto w = WebFiles::load(root_.string());
  ASSERT_TRUE(w.has_value()) << w.error().to_string();
  EXPECT_EQ(w->files(), 3u);  // the .gz copy is not a file of its own
  const Response gz = w->serve("/assets/index-1a2b.js", "gzip, deflate, br");
  EXPECT_EQ(gz.body, "GZ-BYTES");
  EXPECT_EQ(header(gz, "Content-Encoding"), "gzip");
  EXPECT_EQ(header(gz, "Vary"), "Accept-Encoding");
  EXPECT_EQ(gz.content_type, "text/javascript; charset=utf-8");
  EXPECT_FALSE(header(gz, "Content-Security-Policy").empty());
  for (const char* refuses : {"", "identity", "br", "gzip;q=0", "gzip; q=0.0, *", "deflate"}) {
    const Response plain = w->serve("/assets/index-1a2b.js", refuses);
    EXPECT_EQ(plain.body, "console.log(1)") << refuses;
    EXPECT_EQ(header(plain, "Content-Encoding"), "") << refuses;
    EXPECT_EQ(header(plain, "Vary"), "Accept-Encoding") << refuses;
  }
  EXPECT_EQ(w->serve("/assets/index-1a2b.js", "*").body, "GZ-BYTES");
  EXPECT_EQ(w->serve("/assets/index-1a2b.js", "GZIP;q=0.5").body, "GZ-BYTES");
  EXPECT_EQ(w->serve("/assets/index-1a2b.js.gz", "gzip").status, 404);
  // A file without a copy is sent as it is, and says nothing of encodings.
  const Response font = w->serve("/assets/font-x.woff2", "gzip");
  EXPECT_EQ(font.body, "wOF2");
  EXPECT_EQ(header(font, "Content-Encoding"), "");
  EXPECT_EQ(header(font, "Vary"), "");
}

TEST(AcceptsGzip, ReadsWeightsAndWildcards) {
  EXPECT_TRUE(accepts_gzip("gzip"));
  EXPECT_TRUE(accepts_gzip("br;q=1.0, gzip;q=0.8"));
  EXPECT_TRUE(accepts_gzip("x-gzip"));
  EXPECT_FALSE(accepts_gzip("gzip;q=0, *"));
  EXPECT_FALSE(accepts_gzip("*;q=0"));
  EXPECT_FALSE(accepts_gzip("gzipx"));
  EXPECT_FALSE(accepts_gzip(""));
}
