// refang / defang, URL extraction and hosts, e-mail and IP extraction.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "content/content.hpp"

namespace renkei::content {
namespace {

std::vector<std::string> urls_of(std::string_view text) {
  std::vector<std::string> out;
  for (const auto& u : extract_urls(text)) out.push_back(u.url);
  return out;
}

using Strings = std::vector<std::string>;

TEST(Refang, Table) {
  struct Case {
    const char* in;
    const char* out;
  };
  const Case cases[] = {
      {"hxxps://evil[.]example[.]com/login", "https://evil.example.com/login"},
      {"hXXp://1.2.3[.]4/x", "http://1.2.3.4/x"},
      {"HXXPS://x[.]y", "https://x.y"},
      {"5.189.162[.]164", "5.189.162.164"},
      {"example(.)com", "example.com"},
      {"example{.}com", "example.com"},
      {"example[dot]com", "example.com"},
      {"example [dot] com", "example.com"},
      {"example[DOT]com", "example.com"},
      {"example(dot)com", "example.com"},
      {"user[at]example[.]com", "user@example.com"},
      {"user [at] example [dot] com", "user@example.com"},
      {"user[@]example.com", "user@example.com"},
      {"user(at)example(dot)com", "user@example.com"},
      {"http[:]//x[.]y/a[/]b", "http://x.y/a/b"},
      {"https[://]x[.]y", "https://x.y"},
      {"fxp://files[.]example", "ftp://files.example"},
      {"evil\\.example", "evil.example"},
      // Ordinary text stays as it is.
      {"meet me (at) noon", "meet me (at) noon"},
      {"a list (.) of things", "a list (.) of things"},
      {"The hxxp header is odd", "The hxxp header is odd"},
      {"hxxpd://x", "hxxpd://x"},
      {"array[0] and map{x}", "array[0] and map{x}"},
      {"日本語のテキスト[.]", "日本語のテキスト."},
      {"", ""},
  };
  for (const auto& c : cases) EXPECT_EQ(refang(c.in), c.out) << c.in;
}

TEST(Defang, Table) {
  struct Case {
    const char* in;
    const char* out;
  };
  const Case cases[] = {
      {"5.189.162.164", "5.189.162[.]164"},
      {"example.com", "example[.]com"},
      {"http://example.com/path", "hxxp://example[.]com/path"},
      {"https://evil.example/x.php", "hxxps://evil[.]example/x.php"},
      {"HTTPS://a.b.example.com:8080/p.q", "hxxps://a.b.example[.]com:8080/p.q"},
      {"ftp://x.example/", "fxp://x[.]example/"},
      {"user@example.co.jp", "user@example.co[.]jp"},
      {"https://user@host.example/a.b", "hxxps://user@host[.]example/a.b"},
      {"2001:db8::1", "2001:db8::1"},
      {"localhost", "localhost"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(defang(c.in), c.out) << c.in;
    EXPECT_EQ(defang(defang(c.in)), c.out) << "idempotent: " << c.in;
  }
}

TEST(Defang, RefangUndoesIt) {
  for (const char* s : {"https://evil.example/x", "5.189.162.164", "user@example.com"})
    EXPECT_EQ(refang(defang(s)), s);
}

TEST(UrlHost, Table) {
  struct Case {
    const char* url;
    const char* host;
  };
  const Case cases[] = {
      {"https://example.com/path", "example.com"},
      {"https://www.paypal.com@evil.example/", "evil.example"},  // userinfo trick
      {"https://www.paypal.com:443@evil.example/login", "evil.example"},
      {"HTTP://User:Pw@EXAMPLE.COM.:8080/x", "example.com"},
      {"http://evil.example\\@good.example/", "evil.example"},  // '\' ends the authority
      {"https:\\\\evil.example\\path", "evil.example"},
      {"https:evil.example/x", "evil.example"},
      {"https:///evil.example/", "evil.example"},
      {"//cdn.example/x.js", "cdn.example"},
      {"www.Example.com/path", "www.example.com"},
      {"https://[2001:DB8::1]:443/", "2001:db8::1"},
      {"http://1.2.3.4:8080/", "1.2.3.4"},
      {"https://%65vil.example/", "evil.example"},
      {"  https://x.example  ", "x.example"},
      {"https://xn--80ak6aa92e.com/", "xn--80ak6aa92e.com"},
      {"https://münchen.de/", "münchen.de"},
      {"https://a.example?q=1", "a.example"},
      {"https://a.example#frag", "a.example"},
      {"mailto:someone@example.com", ""},
      {"javascript:alert(1)", ""},
      {"data:text/html;base64,AAAA", ""},
      {"tel:+81312345678", ""},
      {"cid:image001.png@01D6", ""},
      {"page.html", ""},
      {"/relative/path", ""},
      {"#top", ""},
      {"", ""},
      {"https://", ""},
  };
  for (const auto& c : cases) EXPECT_EQ(url_host(c.url), c.host) << c.url;
}

TEST(ExtractUrls, SchemesWwwAndRefanging) {
  EXPECT_EQ(urls_of("see https://a.example/x, http://b.example and ftp://c.example/f.zip."),
            (Strings{"https://a.example/x", "http://b.example", "ftp://c.example/f.zip"}));
  EXPECT_EQ(urls_of("go to www.Test.co.jp/path."), (Strings{"www.test.co.jp/path"}));
  EXPECT_EQ(urls_of("defanged: hxxps://bad[.]example/a?b=c"),
            (Strings{"https://bad.example/a?b=c"}));
  EXPECT_EQ(urls_of("HTTPS://UPPER.Example/Path"), (Strings{"https://upper.example/Path"}));
}

TEST(ExtractUrls, HostIsReported) {
  const auto urls = extract_urls("x https://www.paypal.com@evil.example/login y");
  ASSERT_EQ(urls.size(), 1u);
  EXPECT_EQ(urls[0].host, "evil.example");
}

TEST(ExtractUrls, Delimiters) {
  struct Case {
    const char* text;
    Strings urls;
  };
  const Case cases[] = {
      {"\"https://q.example/a\"", {"https://q.example/a"}},
      {"'https://q.example/a'", {"https://q.example/a"}},
      {"<https://angle.example/>", {"https://angle.example/"}},
      {"(see https://p.example/a)", {"https://p.example/a"}},
      {"https://en.wikipedia.org/wiki/Foo_(bar)", {"https://en.wikipedia.org/wiki/Foo_(bar)"}},
      {"https://a.example/x?!", {"https://a.example/x"}},
      {"end https://a.example/;", {"https://a.example/"}},
      {"https://a.example/\thttps://b.example/", {"https://a.example/", "https://b.example/"}},
      // Japanese text right after the URL is not part of it.
      {"こちらhttps://example.com/ログインしてください", {"https://example.com/"}},
      {"https://x.example/a。次へ", {"https://x.example/a"}},
      {"「https://x.example/a」", {"https://x.example/a"}},
      {"https://x.example/a、https://y.example/b", {"https://x.example/a", "https://y.example/b"}},
      {"https://x.example/a\xE3\x80\x80next", {"https://x.example/a"}},  // ideographic space
      // %-encoded Japanese and non-CJK IRIs are kept.
      {"https://ex.com/%E3%83%AD", {"https://ex.com/%E3%83%AD"}},
      {"https://münchen.de/straße", {"https://münchen.de/straße"}},
  };
  for (const auto& c : cases) EXPECT_EQ(urls_of(c.text), c.urls) << c.text;
}

TEST(ExtractUrls, NotUrls) {
  for (const char* text : {"www.", "www. example", "wwwx.com", "http://", "https:// x",
                           "xhttp://a.example", "email@www.example.com", "hxxp header"}) {
    EXPECT_TRUE(urls_of(text).empty()) << text;
  }
}

TEST(ExtractUrls, DeduplicatesAndHonoursMax) {
  EXPECT_EQ(urls_of("https://d.example/ https://d.example/ https://e.example/"),
            (Strings{"https://d.example/", "https://e.example/"}));
  std::string many;
  for (int i = 0; i < 100; ++i) many += "https://h" + std::to_string(i) + ".example/ ";
  EXPECT_EQ(extract_urls(many, 7).size(), 7u);
  EXPECT_TRUE(extract_urls(many, 0).empty());
}

TEST(ExtractUrls, OneMegabyteUrlIsCut) {
  const std::string text = "x https://long.example/" + std::string(1 << 20, 'a') + " y";
  const auto start = std::chrono::steady_clock::now();
  const auto urls = extract_urls(text);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  ASSERT_EQ(urls.size(), 1u);
  EXPECT_LE(urls[0].url.size(), 16384u);
  EXPECT_EQ(urls[0].host, "long.example");
}

TEST(ExtractUrls, TenMegabytesOfText) {
  std::string text;
  text.reserve(10u << 20);
  while (text.size() < (10u << 20)) text += "word http://a.example/x www.b.example ";
  const auto start = std::chrono::steady_clock::now();
  const auto urls = extract_urls(text);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(20));
  EXPECT_EQ(urls.size(), 2u);
}

TEST(ExtractEmails, Table) {
  struct Case {
    const char* text;
    Strings emails;
  };
  const Case cases[] = {
      {"Contact John.Doe@Example.COM or john.doe@example.com.", {"John.Doe@Example.COM"}},
      {"<taro@example.jp>山田", {"taro@example.jp"}},
      {"mailto:m@x.org", {"m@x.org"}},
      {"test@sub.example.co.jp. next", {"test@sub.example.co.jp"}},
      {".lead@x.com", {"lead@x.com"}},
      {"alicea-compeny.co.jp@freemail.com", {"alicea-compeny.co.jp@freemail.com"}},
      {"first+tag@example.org, second_x%y@example.net",
       {"first+tag@example.org", "second_x%y@example.net"}},
      {"punycode a@xn--80ak6aa92e.xn--p1ai", {"a@xn--80ak6aa92e.xn--p1ai"}},
      {"x@y a@b.c foo@bar..com bad@-x.com @example.com user@ @", {}},
      {"cid:image001.png@01D6A1B2.C3D4E5F0", {}},
      {"", {}},
  };
  for (const auto& c : cases) EXPECT_EQ(extract_emails(c.text), c.emails) << c.text;
}

TEST(ExtractEmails, LongRunsAreBounded) {
  const std::string text = std::string(100000, 'a') + "@example.com " + std::string(100000, '@');
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(extract_emails(text).empty()) << "local part longer than 64";
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  EXPECT_EQ(extract_emails("a@b.example c@d.example e@f.example", 2).size(), 2u);
}

TEST(Ipv4, IsIpv4) {
  for (const char* s : {"1.2.3.4", "0.0.0.0", "255.255.255.255", "192.168.001.001"})
    EXPECT_TRUE(is_ipv4(s)) << s;
  for (const char* s : {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.4 ", "a.b.c.d", "1..2.3",
                        "1234.1.1.1", "1.2.3.-4", "::1"})
    EXPECT_FALSE(is_ipv4(s)) << s;
}

TEST(Ipv4, Extract) {
  EXPECT_EQ(extract_ipv4("from 5.189.162.164, to [10.0.0.1]:25 and 192.168.1.1/24."),
            (Strings{"5.189.162.164", "10.0.0.1", "192.168.1.1"}));
  // Version numbers, longer digit runs, bad octets.
  EXPECT_EQ(extract_ipv4("version 1.2.3.4.5 v10.0.0.1 12345.1.2.3 1.2.3.45678 256.1.1.1 1.2.3"),
            Strings{});
  EXPECT_EQ(extract_ipv4("IPアドレス1.2.3.4から"), (Strings{"1.2.3.4"}));
  EXPECT_EQ(extract_ipv4("1.1.1.1 1.1.1.1 2.2.2.2"), (Strings{"1.1.1.1", "2.2.2.2"}));
  EXPECT_EQ(extract_ipv4(refang("C2 at 5.189.162[.]164")), (Strings{"5.189.162.164"}));
}

TEST(Ipv6, IsIpv6) {
  for (const char* s : {"2001:db8::1", "::1", "::", "fe80::1", "1:2:3:4:5:6:7:8",
                        "::ffff:192.0.2.1", "2001:DB8:85A3::8A2E:370:7334", "1::"})
    EXPECT_TRUE(is_ipv6(s)) << s;
  for (const char* s : {"", "12:30:45", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "1::2::3", "12345::1",
                        "g::1", ":1:2:3:4:5:6:7", "1:2:3:4:5:6:7:", "[::1]", "::ffff:999.0.2.1"})
    EXPECT_FALSE(is_ipv6(s)) << s;
}

TEST(Ipv6, ExtractIsConservative) {
  EXPECT_EQ(extract_ipv6("hop 2001:db8::1 and [2001:db8:85a3::8a2e:370:7334]:443, fe80::1%eth0"),
            (Strings{"2001:db8::1", "2001:db8:85a3::8a2e:370:7334", "fe80::1"}));
  EXPECT_EQ(extract_ipv6("mapped ::ffff:192.0.2.1 full 1:2:3:4:5:6:7:8"),
            (Strings{"::ffff:192.0.2.1", "1:2:3:4:5:6:7:8"}));
  // Times, MAC addresses, C++ scopes and hex words are not addresses.
  EXPECT_EQ(extract_ipv6("at 12:30:45 mac 00:1a:2b:3c:4d:5e std::vector dead::beef a::b"),
            Strings{});
  EXPECT_EQ(extract_ipv6("ends 2001:db8::1: here"), (Strings{"2001:db8::1"}));
}

}  // namespace
}  // namespace renkei::content
