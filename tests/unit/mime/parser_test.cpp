// The MIME parser: structure, transfer encodings, encoded-words, parameters, addresses, limits.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>

#include "mime/mime.hpp"
#include "mime/text_util.hpp"

using renkei::mime::decode_header_text;
using renkei::mime::Entity;
using renkei::mime::Limits;
using renkei::mime::parse;
using renkei::mime::parse_address_list;
using renkei::mime::parse_parameterized;

namespace {

const Entity* first_leaf(const Entity& e) {
  if (e.children.empty()) return &e;
  return first_leaf(e.children.front());
}

}  // namespace

TEST(Rfc2047, AdjacentEncodedWordsAreJoined_GmimeIssue133) {
  // GMime 3.2.13 returns "Hello" for this.
  EXPECT_EQ(decode_header_text("=?UTF-8?B?SGVsbG8=?= =?UTF-8?B?IHdvcmxk?=").text, "Hello world");
}

TEST(Rfc2047, MultibyteCharacterSplitAcrossWords) {
  // "日本語" in UTF-8 is E6 97 A5 E6 9C AC E8 AA 9E; split after the 4th byte.
  EXPECT_EQ(decode_header_text("=?utf-8?B?5pel5g==?=\r\n =?utf-8?B?nKzoqp4=?=").text, "日本語");
}

TEST(Rfc2047, Iso2022JpWordsPerLine) {
  // "ご確認" and "下さい" as two ISO-2022-JP words, each with its own escape sequences.
  EXPECT_EQ(
      decode_header_text("=?ISO-2022-JP?B?GyRCJDQzTkcnGyhC?= =?ISO-2022-JP?B?GyRCMjwkNSQkGyhC?=")
          .text,
      "ご確認下さい");
}

TEST(Rfc2047, QEncodingUnderscoreAndHex) {
  EXPECT_EQ(decode_header_text("=?iso-8859-1?Q?Caf=E9_cr=E8me?=").text, "Café crème");
}

TEST(Rfc2047, TextBetweenWordsIsKept) {
  EXPECT_EQ(decode_header_text("Re: =?utf-8?B?5pel5pys?= report").text, "Re: 日本 report");
}

TEST(Rfc2047, MalformedWordsLeftAsText) {
  EXPECT_EQ(decode_header_text("=?utf-8?X?abc?= =?broken").text, "=?utf-8?X?abc?= =?broken");
}

TEST(Rfc2047, WordLimitReported) {
  std::string s;
  for (int i = 0; i < 50; ++i) s += "=?utf-8?B?YQ==?= ";
  auto d = decode_header_text(s, 10);
  EXPECT_TRUE(d.limit_hit);
  EXPECT_EQ(d.text.substr(0, 10), "aaaaaaaaaa");
}

TEST(Parser, LineEndingsCrLfAndCrAreEquivalent) {
  const std::string lf = "Subject: x\nFrom: a@b.example\n\nbody line\n";
  std::string crlf, cr;
  for (char c : lf) {
    if (c == '\n') {
      crlf += "\r\n";
      cr += "\r";
    } else {
      crlf += c;
      cr += c;
    }
  }
  for (const auto& s : {lf, crlf, cr}) {
    auto m = parse(s);
    ASSERT_TRUE(m);
    EXPECT_EQ(m->root.headers.find("subject")->value, "x");
    EXPECT_EQ(m->root.text, "body line\n");
  }
}

TEST(Parser, FoldedHeadersAreUnfolded) {
  auto m = parse("Subject: a\r\n b\r\n\tc\r\n\r\n");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->root.headers.find("Subject")->value, "a b\tc");
}

TEST(Parser, ChunkedBase64DecodesCompletely_GmimeIssue150) {
  // "Hello" and " world" base64-encoded separately and concatenated: malware uses this to hide
  // the rest of a payload from scanners that stop at the first '='.
  auto m = parse(
      "Content-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\n"
      "SGVsbG8=IHdvcmxk\n");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->root.body, "Hello world");
}

TEST(Parser, QuotedPrintableSoftBreaks) {
  auto m = parse(
      "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n"
      "caf=C3=A9 =\nau lait=20\n");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->root.text, "café au lait \n");
}

TEST(Parser, MultipartWithNestedMessage) {
  const std::string s =
      "From: reporter@member.example\nSubject: Fw: suspicious\nMIME-Version: 1.0\n"
      "Content-Type: multipart/mixed; boundary=\"outer\"\n\n"
      "preamble\n--outer\nContent-Type: text/plain\n\nsee attached\n"
      "--outer\nContent-Type: message/rfc822\n\n"
      "From: attacker@evil.example\nSubject: =?utf-8?B?5pel5pys?=\n"
      "Content-Type: multipart/alternative; boundary=inner\n\n"
      "--inner\nContent-Type: text/plain; charset=utf-8\n\nplain\n--inner\nContent-Type: "
      "text/html\n\n<p>x</p>\n"
      "--inner--\n"
      "--outer--\nepilogue\n";
  auto m = parse(s);
  ASSERT_TRUE(m);
  ASSERT_EQ(m->root.children.size(), 2u);
  const Entity& msg = m->root.children[1];
  ASSERT_TRUE(msg.is_message());
  ASSERT_EQ(msg.children.size(), 1u);
  const Entity& inner = msg.children[0];
  EXPECT_EQ(inner.headers.find("From")->value, "attacker@evil.example");
  ASSERT_EQ(inner.children.size(), 2u);
  EXPECT_EQ(inner.children[0].text, "plain");
  EXPECT_EQ(inner.children[1].subtype, "html");
  EXPECT_TRUE(m->defects.empty());
}

TEST(Parser, BoundaryPrefixOfAnotherBoundaryIsNotConfused) {
  const std::string s =
      "Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: multipart/mixed; "
      "boundary=b1\n\n"
      "--b1\n\nA\n--b1--\n--b\n\nB\n--b--\n";
  auto m = parse(s);
  ASSERT_TRUE(m);
  ASSERT_EQ(m->root.children.size(), 2u);
  EXPECT_EQ(m->root.children[0].children.size(), 1u);
  EXPECT_EQ(m->root.children[0].children[0].text, "A");
  EXPECT_EQ(m->root.children[1].text, "B");
}

TEST(Parser, MissingCloseBoundaryKeepsLastPart) {
  auto m =
      parse("Content-Type: multipart/mixed; boundary=x\n\n--x\n\nfirst\n--x\n\nsecond, cut off");
  ASSERT_TRUE(m);
  ASSERT_EQ(m->root.children.size(), 2u);
  EXPECT_EQ(m->root.children[1].text, "second, cut off");
  ASSERT_FALSE(m->defects.empty());
  EXPECT_EQ(m->defects.front().code, "missing_boundary_end");
}

TEST(Parser, Rfc2231FilenameWithCharsetAndContinuations) {
  auto [value, params] = parse_parameterized(
      "attachment; filename*0*=UTF-8''%E8%AB%8B%E6%B1%82; filename*1*=%E6%9B%B8.xlsx.exe");
  EXPECT_EQ(value, "attachment");
  ASSERT_EQ(params.size(), 1u);
  EXPECT_EQ(params[0].name, "filename");
  EXPECT_EQ(params[0].value, "請求書.xlsx.exe");
}

TEST(Parser, EncodedWordInsideQuotedFilename) {
  auto [value, params] =
      parse_parameterized("attachment; filename=\"=?UTF-8?B?6KuL5rGC5pu4LnBkZg==?=\"");
  ASSERT_EQ(params.size(), 1u);
  EXPECT_EQ(params[0].value, "請求書.pdf");
}

TEST(Parser, DepthLimitIsReported) {
  std::string s;
  for (int i = 0; i < 60; ++i)
    s += "Content-Type: multipart/mixed; boundary=b" + std::to_string(i) + "\n\n--b" +
         std::to_string(i) + "\n";
  s += "\nleaf\n";
  auto m = parse(s);
  ASSERT_TRUE(m);
  ASSERT_FALSE(m->limits_hit.empty());
  EXPECT_EQ(m->limits_hit.front().name, "max_depth");
}

TEST(Parser, PartLimitIsReported) {
  std::string s = "Content-Type: multipart/mixed; boundary=b\n\n";
  for (int i = 0; i < 3000; ++i) s += "--b\n\npart\n";
  s += "--b--\n";
  Limits lim;
  lim.max_parts = 100;
  auto m = parse(s, lim);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->root.children.size(), 100u);
  ASSERT_FALSE(m->limits_hit.empty());
  EXPECT_EQ(m->limits_hit.front().name, "max_parts");
}

TEST(Parser, MessageSizeLimitCutsAndReports) {
  Limits lim;
  lim.max_message_bytes = 100;
  auto m = parse("Subject: big\n\n" + std::string(1000, 'x'), lim);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->limits_hit.front().name, "max_message_bytes");
  EXPECT_LE(m->root.body.size(), 100u);
}

TEST(Parser, EmptyInputIsAnError) {
  auto m = parse("");
  ASSERT_FALSE(m);
  EXPECT_FALSE(m.error().hint.empty());
}

TEST(Parser, HeaderCountLimit) {
  std::string s;
  for (int i = 0; i < 50; ++i) s += "X-H: v\n";
  Limits lim;
  lim.max_header_count = 10;
  auto m = parse(s + "\nbody", lim);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->root.headers.fields.size(), 10u);
  EXPECT_EQ(m->limits_hit.front().name, "max_header_count");
}

TEST(Address, DisplayNameAndAddress) {
  auto l =
      parse_address_list("\"Yamada, Taro\" <T.Yamada@Example-MFG.co.jp>, bob@b.example (Bob B)");
  ASSERT_EQ(l.mailboxes.size(), 2u);
  EXPECT_EQ(l.mailboxes[0].name, "Yamada, Taro");
  EXPECT_EQ(l.mailboxes[0].address, "T.Yamada@example-mfg.co.jp");
  EXPECT_EQ(l.mailboxes[1].name, "Bob B");
  EXPECT_EQ(l.mailboxes[1].address, "bob@b.example");
}

TEST(Address, EncodedDisplayName) {
  auto l = parse_address_list("=?ISO-2022-JP?B?GyRCOzNFREJATzobKEI=?= <ceo@example-mfg.co.jp>");
  ASSERT_EQ(l.mailboxes.size(), 1u);
  EXPECT_EQ(l.mailboxes[0].name, "山田太郎");
}

TEST(Address, SecuredByMailtoTrickUnquoted) {
  // SPEC 4.1 from_mailto_trick: the client shows the CEO, the rest is trailing text.
  auto l = parse_address_list(
      "Taro Yamada <t.yamada@example-mfg.co.jp> secured by [mailto:relay@365-offices.com]");
  ASSERT_EQ(l.mailboxes.size(), 1u);
  EXPECT_EQ(l.mailboxes[0].address, "t.yamada@example-mfg.co.jp");
  EXPECT_NE(l.trailing.find("relay@365-offices.com"), std::string::npos);
}

TEST(Address, SecuredByMailtoTrickQuoted) {
  auto l = parse_address_list(
      "\"Taro Yamada <t.yamada@example-mfg.co.jp> secured by [mailto:relay@365-offices.com]\" "
      "<relay@365-offices.com>");
  ASSERT_EQ(l.mailboxes.size(), 1u);
  EXPECT_EQ(l.mailboxes[0].address, "relay@365-offices.com");
  EXPECT_NE(l.mailboxes[0].name.find("t.yamada@example-mfg.co.jp"), std::string::npos);
}

TEST(Address, GroupsAreFlattened) {
  auto l = parse_address_list("Team: a@x.example, b@y.example;, c@z.example");
  ASSERT_EQ(l.mailboxes.size(), 3u);
  EXPECT_EQ(l.mailboxes[2].address, "c@z.example");
}

TEST(Address, UndisclosedRecipientsIsNotAMailbox) {
  auto l = parse_address_list("undisclosed-recipients:;");
  EXPECT_TRUE(l.mailboxes.empty());
}

TEST(Address, EncodedCommaDoesNotSplit) {
  // The encoded-word decodes to "A, B" but must stay one display name.
  auto l = parse_address_list("=?utf-8?Q?A=2C_B?= <ab@x.example>");
  ASSERT_EQ(l.mailboxes.size(), 1u);
  EXPECT_EQ(l.mailboxes[0].name, "A, B");
}

TEST(Address, EmptyReturnPath) {
  auto l = parse_address_list("<>");
  EXPECT_TRUE(l.mailboxes.empty() || l.mailboxes[0].address.empty());
}

TEST(Address, AddressLimit) {
  std::string s;
  for (int i = 0; i < 100; ++i) s += "a" + std::to_string(i) + "@x.example, ";
  auto l = parse_address_list(s, 20);
  EXPECT_EQ(l.mailboxes.size(), 20u);
  EXPECT_TRUE(l.limit_hit);
}

// Regressions found by the differential test (docs/differential.md, R1–R7).
TEST(Address, CommentsInsideAddrSpecAreRemoved_R1) {
  auto l =
      parse_address_list("Pete(A wonderful \\) chap) <pete(his account)@silly.test(his host)>");
  ASSERT_EQ(l.mailboxes.size(), 1u);
  EXPECT_EQ(l.mailboxes[0].address, "pete@silly.test");
}

TEST(Address, FoldedWhitespaceAroundDots_R2) {
  auto l = parse_address_list("jdoe@test   . example");
  ASSERT_EQ(l.mailboxes.size(), 1u);
  EXPECT_EQ(l.mailboxes[0].address, "jdoe@test.example");
}

TEST(Address, TwoBareAddressesWithoutComma_R3) {
  auto l = parse_address_list("tim@powerupdev.com concierge@powerupdev.com");
  ASSERT_EQ(l.mailboxes.size(), 2u);
  EXPECT_EQ(l.mailboxes[1].address, "concierge@powerupdev.com");
}

TEST(Rfc2047, Utf16WithoutBomLittleEndian_R4) {
  EXPECT_EQ(decode_header_text("=?utf-16?B?RABlAHMAaQBnAG4A?=").text, "Design");
}

TEST(Address, PhraseBeforeStrayCommaNamesTheMailbox_R5) {
  auto l = parse_address_list("Microsoft account team ,_<no-reply@access-accsecurity.com>");
  ASSERT_EQ(l.mailboxes.size(), 1u);
  EXPECT_EQ(l.mailboxes[0].address, "no-reply@access-accsecurity.com");
  EXPECT_EQ(l.mailboxes[0].name, "Microsoft account team");
}

TEST(Rfc2047, QWordWithRawSpaces_R7) {
  EXPECT_EQ(decode_header_text("=?iso-8859-1?q?We have a message!?= Sam's Club").text,
            "We have a message! Sam's Club");
}

// ---- quoted-printable: the bulk body path against a one-character-at-a-time reference ----

namespace {

std::string qp_reference(std::string_view in, std::size_t max_out) {
  std::string out;
  const std::size_t n = in.size();
  for (std::size_t i = 0; i < n && out.size() < max_out; ++i) {
    const char c = in[i];
    if (c == '=') {
      if (i + 2 < n && renkei::util::hex_value(in[i + 1]) >= 0 &&
          renkei::util::hex_value(in[i + 2]) >= 0) {
        out.push_back(static_cast<char>(renkei::util::hex_value(in[i + 1]) * 16 +
                                        renkei::util::hex_value(in[i + 2])));
        i += 2;
        continue;
      }
      std::size_t j = i + 1;
      while (j < n && (in[j] == ' ' || in[j] == '\t')) ++j;
      if (j < n && in[j] == '\r') ++j;
      if (j < n && in[j] == '\n') {
        i = j;
        continue;
      }
      if (j >= n) break;
      out.push_back('=');
      continue;
    }
    if (c == ' ' || c == '\t') {
      std::size_t j = i;
      while (j < n && (in[j] == ' ' || in[j] == '\t')) ++j;
      if (j < n && (in[j] == '\n' || in[j] == '\r')) {
        i = j - 1;
        continue;
      }
    }
    out.push_back(c);
  }
  return out;
}

}  // namespace

TEST(QuotedPrintable, BulkPathMatchesReferenceOnRandomBodies) {
  std::mt19937 rng(5);
  const char pool[] = {'a', 'b', ' ', ' ', '\t', '\n', '\n', '=',
                       '=', '3', 'D', 'f', 'G',  '0',  '\r', '_'};
  std::uniform_int_distribution<std::size_t> pick(0, sizeof pool - 1), len(0, 200);
  for (int round = 0; round < 20000; ++round) {
    std::string in(len(rng), ' ');
    for (auto& ch : in) ch = pool[pick(rng)];
    // Without CRs (the parser's normal input, bulk path) and with them (per-character path).
    for (const bool keep_cr : {false, true}) {
      std::string body = in;
      if (!keep_cr) std::replace(body.begin(), body.end(), '\r', 'x');
      std::string got;
      renkei::mime::detail::qp_decode(body, got, false, body.size() + 1);
      ASSERT_EQ(got, qp_reference(body, body.size() + 1)) << "round " << round;
    }
  }
}

TEST(QuotedPrintable, LimitCutsWithoutOverrun) {
  std::string got;
  renkei::mime::detail::qp_decode("abc   \ndef=3D   \nghi", got, false, 5);
  EXPECT_LE(got.size(), 5u);
  EXPECT_EQ(got.substr(0, 3), "abc");
}

TEST(QuotedPrintable, EmptyViewWithNullData) {
  // An empty part body arrives as a default string_view (null data): must not reach memchr.
  std::string got = "kept";
  renkei::mime::detail::qp_decode(std::string_view(), got, false, 100);
  EXPECT_EQ(got, "kept");
}
