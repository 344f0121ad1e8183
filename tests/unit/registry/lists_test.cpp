// Lists: the shipped files in data/lists/ load, and known members are recognised.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>

#include "registry/registry.hpp"

namespace renkei::registry {
namespace {

const std::string kListsDir = std::string(RENKEI_SOURCE_DIR) + "/data/lists";

const Lists& shipped() {
  static const Lists lists = [] {
    auto r = Lists::load_dir(kListsDir);
    EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().to_string());
    return r ? std::move(*r) : Lists{};
  }();
  return lists;
}

// A scratch directory with list files written by the test, removed at the end.
class TempDir {
 public:
  TempDir() {
    const auto stamp = std::chrono::steady_clock::now().time_since_epoch().count();
    path_ = std::filesystem::temp_directory_path() / ("renkei_lists_test_" + std::to_string(stamp));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  void write(const std::string& name, std::string_view content) const {
    std::ofstream(path_ / name, std::ios::binary) << content;
  }
  std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

TEST(ShippedLists, LoadCompletely) {
  const Lists& l = shipped();
  EXPECT_TRUE(l.loaded());
  EXPECT_EQ(l.source_dir(), kListsDir);
  // rspamd's ~4,000 plus SpamAssassin's ~2,000 (overlapping) plus the mail.com family.
  EXPECT_GT(l.freemail_count(), 4000u);
}

TEST(ShippedLists, Freemail) {
  const Lists& l = shipped();
  EXPECT_TRUE(l.is_freemail("gmail.com"));
  EXPECT_TRUE(l.is_freemail("GMAIL.COM"));
  EXPECT_TRUE(l.is_freemail("gmail.com."));
  EXPECT_TRUE(l.is_freemail("mail.com"));
  EXPECT_TRUE(l.is_freemail("yahoo.co.jp"));
  // The mail.com family (SPEC 4.1: ~190-255 domains of one provider).
  EXPECT_TRUE(l.is_freemail("email.com"));
  EXPECT_TRUE(l.is_freemail("usa.com"));
  EXPECT_TRUE(l.is_freemail("post.com"));
  EXPECT_TRUE(l.is_freemail("consultant.com"));
  // Company domains are not free-mail.
  EXPECT_FALSE(l.is_freemail("example-mfg.co.jp"));
  EXPECT_FALSE(l.is_freemail("b-company.co.jp"));
  EXPECT_FALSE(l.is_freemail(""));
  // Exact entries do not cover subdomains.
  EXPECT_FALSE(l.is_freemail("corp.gmail.com.example"));
}

TEST(ShippedLists, FreemailWildcardsFollowSpamAssassin) {
  const Lists& l = shipped();
  // "hotmail.*", "yahoo.co*.*", "*.att.ne.jp", "*.rr.com", "mail2*.com", "ms*.hinet.net".
  EXPECT_TRUE(l.is_freemail("hotmail.fr"));
  EXPECT_TRUE(l.is_freemail("yahoo.com.br"));
  EXPECT_TRUE(l.is_freemail("yahoo.co.uk"));
  EXPECT_TRUE(l.is_freemail("abc.att.ne.jp"));
  EXPECT_TRUE(l.is_freemail("nc.rr.com"));
  EXPECT_TRUE(l.is_freemail("mail2tokyo.com"));
  EXPECT_TRUE(l.is_freemail("ms12.hinet.net"));
  EXPECT_TRUE(l.is_freemail("contoso.onmicrosoft.com"));
  // '*' never crosses a dot.
  EXPECT_FALSE(l.is_freemail("hotmail.evil.example"));
  EXPECT_FALSE(l.is_freemail("a.b.rr.com"));
  EXPECT_FALSE(l.is_freemail("b.nc.rr.com"));
  EXPECT_FALSE(l.is_freemail("mail2x.y.com"));
}

TEST(ShippedLists, Disposable) {
  const Lists& l = shipped();
  EXPECT_TRUE(l.is_disposable("mailinator.com"));
  EXPECT_TRUE(l.is_disposable("10minutemail.com"));
  EXPECT_TRUE(l.is_disposable("random123.mailinator.com"));  // parent domain matches
  EXPECT_FALSE(l.is_disposable("gmail.com"));
  EXPECT_FALSE(l.is_disposable("example-mfg.co.jp"));
  EXPECT_FALSE(l.is_disposable("com"));
}

TEST(ShippedLists, Shorteners) {
  const Lists& l = shipped();
  EXPECT_TRUE(l.is_shortener("bit.ly"));
  EXPECT_TRUE(l.is_shortener("BIT.LY"));
  EXPECT_TRUE(l.is_shortener("www.bit.ly"));
  EXPECT_TRUE(l.is_shortener("goo.gl"));
  EXPECT_TRUE(l.is_shortener("cutt.ly"));
  EXPECT_FALSE(l.is_shortener("ly"));
  EXPECT_FALSE(l.is_shortener("example.com"));
  EXPECT_FALSE(l.is_shortener("notbit.ly"));
}

TEST(ShippedLists, BulkSendersMatchDomainAndSubdomains) {
  const Lists& l = shipped();
  EXPECT_EQ(l.bulk_sender("sendgrid.net"), "SendGrid");
  EXPECT_EQ(l.bulk_sender("em1234.example.sendgrid.net"), "SendGrid");
  EXPECT_EQ(l.bulk_sender("us-west-2.amazonses.com"), "Amazon SES");
  EXPECT_EQ(l.bulk_sender("mcsv.net"), "Mailchimp");
  EXPECT_EQ(l.bulk_sender("calendar-server.bounces.google.com"), "Google");
  EXPECT_EQ(l.bulk_sender("bme.jp"), "blastmail");
  EXPECT_EQ(l.bulk_sender("google.com"), std::nullopt);  // only bounces.google.com is listed
  EXPECT_EQ(l.bulk_sender("sendgrid.net.evil.example"), std::nullopt);
  EXPECT_EQ(l.bulk_sender("example-mfg.co.jp"), std::nullopt);
  EXPECT_EQ(l.bulk_sender(""), std::nullopt);
}

TEST(Builtin, FindsTheDataDirectory) {
  // The test environment sets RENKEI_DATA_DIR=<source>/data; without it the build tree's
  // compile-time path points at the same directory.
  const Lists& l = Lists::builtin();
  EXPECT_TRUE(l.loaded());
  EXPECT_EQ(std::filesystem::path(l.source_dir()).filename(), "lists");
  EXPECT_TRUE(l.is_freemail("gmail.com"));
  EXPECT_EQ(&l, &Lists::builtin());  // loaded once
}

TEST(LoadDir, MissingDirectoryIsNotFound) {
  auto r = Lists::load_dir("/nonexistent/renkei/lists");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, Errc::kNotFound);
  EXPECT_NE(r.error().hint.find("RENKEI_DATA_DIR"), std::string::npos);
}

TEST(LoadDir, EmptyDirectoryLoadsNothing) {
  const TempDir dir;
  auto r = Lists::load_dir(dir.path());
  ASSERT_TRUE(r.has_value());
  EXPECT_FALSE(r->loaded());
  EXPECT_FALSE(r->is_freemail("gmail.com"));
  EXPECT_EQ(r->bulk_sender("sendgrid.net"), std::nullopt);
}

TEST(LoadDir, ToleratesCommentsBlankLinesAndCrlf) {
  const TempDir dir;
  dir.write("bulk_senders.txt",
            "# comment\r\n\r\n  \nexample-esp.net\tExample ESP\r\n"
            "other-esp.com   Other ESP Inc.\n  # indented comment\n");
  dir.write("rspamd_maps_free.txt", "# header\nFree.Example\n\nfreemail.例え.jp\n");
  dir.write("spamassassin_20_freemail_domains.cf",
            "ifplugin Mail::SpamAssassin::Plugin::FreeMail\n"
            "freemail_domains a.example  b.example\tmail-??.example\n"
            "freemail_domains_other ignored.example\nendif\n");
  auto r = Lists::load_dir(dir.path());
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  EXPECT_TRUE(r->loaded());
  EXPECT_EQ(r->bulk_sender("example-esp.net"), "Example ESP");
  EXPECT_EQ(r->bulk_sender("x.other-esp.com"), "Other ESP Inc.");
  EXPECT_TRUE(r->is_freemail("free.example"));
  EXPECT_TRUE(r->is_freemail("freemail.xn--r8jz45g.jp"));
  EXPECT_TRUE(r->is_freemail("freemail.例え.jp"));
  EXPECT_TRUE(r->is_freemail("b.example"));
  EXPECT_TRUE(r->is_freemail("mail-jp.example"));
  EXPECT_FALSE(r->is_freemail("mail-j.p.example"));  // '?' does not match a dot
  EXPECT_FALSE(r->is_freemail("ignored.example"));
}

// An entry that is itself a public suffix (ICANN "co.jp", private "github.io") would make every
// domain under it disposable or a shortener: it matches nothing, while the ordinary entries
// beside it and their subdomains still match.
TEST(LoadDir, PublicSuffixEntriesMatchNothing) {
  const TempDir dir;
  dir.write("disposable_email_blocklist.conf", "co.jp\ngithub.io\nthrowaway.example\n");
  dir.write("misp_warninglist_url-shortener.json",
            "{\"list\": [\"com\", \"blogspot.com\", \"sho.rt\"]}\n");
  auto r = Lists::load_dir(dir.path());
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  EXPECT_FALSE(r->is_disposable("example-mfg.co.jp"));
  EXPECT_FALSE(r->is_disposable("co.jp"));
  EXPECT_FALSE(r->is_disposable("someone.github.io"));
  EXPECT_TRUE(r->is_disposable("throwaway.example"));
  EXPECT_TRUE(r->is_disposable("mx.throwaway.example"));
  EXPECT_FALSE(r->is_shortener("example.com"));
  EXPECT_FALSE(r->is_shortener("someone.blogspot.com"));
  EXPECT_TRUE(r->is_shortener("sho.rt"));
  EXPECT_TRUE(r->is_shortener("www.sho.rt"));
}

TEST(LoadDir, MalformedFilesAreParseErrorsWithLine) {
  {
    const TempDir dir;
    dir.write("bulk_senders.txt", "# ok\nsendgrid.net\tSendGrid\nmailgun.org\n");
    auto r = Lists::load_dir(dir.path());
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, Errc::kParse);
    EXPECT_NE(r.error().message.find("bulk_senders.txt:3"), std::string::npos) << r.error().message;
  }
  {
    const TempDir dir;
    dir.write("misp_warninglist_url-shortener.json", "{\n  \"list\": [\"bit.ly\", 3]\n}\n");
    auto r = Lists::load_dir(dir.path());
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, Errc::kParse);
    EXPECT_NE(r.error().message.find("url-shortener.json:2"), std::string::npos)
        << r.error().message;
  }
}

// A damaged JSON list (here cut off in the middle of "list": the end of input is on line 4) is a
// parse error that names the file and its line and tells the user what to do, not an exception or
// an empty list.
TEST(LoadDir, MalformedJsonListNamesTheFile) {
  const TempDir dir;
  dir.write("misp_warninglist_url-shortener.json", "{\n  \"list\": [\"bit.ly\",\n   \"t.co\"\n");
  auto r = Lists::load_dir(dir.path());
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, Errc::kParse);
  EXPECT_NE(r.error().message.find("misp_warninglist_url-shortener.json:4"), std::string::npos)
      << r.error().message;
  EXPECT_NE(r.error().message.find("not valid JSON"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().hint.find("data/lists/"), std::string::npos) << r.error().hint;
}

TEST(LoadDir, JsonListOfTheWrongShapeIsAnError) {
  for (const char* text : {"[\"bit.ly\"]", "{\"list\": \"bit.ly\"}", "{\"list\": [[\"bit.ly\"]]}",
                           "{\"list\": [\"bit.ly\"]} trailing"}) {
    const TempDir dir;
    dir.write("misp_warninglist_url-shortener.json", text);
    auto r = Lists::load_dir(dir.path());
    ASSERT_FALSE(r.has_value()) << text;
    EXPECT_EQ(r.error().code, Errc::kParse) << text;
    EXPECT_NE(r.error().message.find("url-shortener.json:1: "), std::string::npos)
        << r.error().message;
  }
}

TEST(LoadDir, JsonNestingBeyondTheLimitIsAnError) {
  const auto nested = [](int depth) {
    return "{\"deep\": " + std::string(static_cast<std::size_t>(depth), '[') +
           std::string(static_cast<std::size_t>(depth), ']') + ", \"list\": [\"bit.ly\"]}";
  };
  {
    const TempDir dir;
    dir.write("misp_warninglist_url-shortener.json", nested(33));  // depths 0-32: accepted
    auto r = Lists::load_dir(dir.path());
    ASSERT_TRUE(r.has_value()) << r.error().to_string();
    EXPECT_TRUE(r->is_shortener("bit.ly"));
  }
  {
    const TempDir dir;
    dir.write("misp_warninglist_url-shortener.json", nested(34));
    auto r = Lists::load_dir(dir.path());
    ASSERT_FALSE(r.has_value());
    EXPECT_NE(r.error().message.find("nested too deeply"), std::string::npos) << r.error().message;
  }
}

TEST(LoadDir, MispJsonSkipsOtherMembers) {
  const TempDir dir;
  dir.write("misp_warninglist_url-shortener.json",
            R"({"description": "x \"list\": [\"fake.example\"]", "nested": {"a": [1, 2.5e3,
            true, null, {"list": ["inner.example"]}]}, "list": ["short.example", "\u0062it.ly"],
            "version": 27})");
  auto r = Lists::load_dir(dir.path());
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  EXPECT_TRUE(r->is_shortener("short.example"));
  EXPECT_TRUE(r->is_shortener("bit.ly"));
  EXPECT_FALSE(r->is_shortener("fake.example"));
  EXPECT_FALSE(r->is_shortener("inner.example"));
}

}  // namespace
}  // namespace renkei::registry
