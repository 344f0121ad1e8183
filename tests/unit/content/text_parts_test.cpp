// split_text on the reply layouts of common mail clients, English and Japanese.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "content/content.hpp"

namespace renkei::content {
namespace {

bool contains(const std::string& hay, std::string_view needle) {
  return hay.find(needle) != std::string::npos;
}

TEST(SplitText, GmailTopPostWithClosingAndSignature) {
  const TextParts p = split_text(
      "Hi Bob,\n\nPlease use our new bank account for the payment.\n\nBest regards,\n"
      "Alice Smith\nCFO, Example Corp\n\n"
      "On Mon, Jan 1, 2024 at 10:00 AM Bob Jones <bob@b.example> wrote:\n"
      "> Hi Alice,\n> When will you send the invoice?\n>\n> Regards,\n> Bob Jones\n"
      "> Buyer, B Company\n> bob@b.example | +1 555 0100\n>\n"
      "> On Sun, Dec 31, 2023 Alice <alice@a.example> wrote:\n>> older mail\n");
  EXPECT_EQ(p.new_text,
            "Hi Bob,\n\nPlease use our new bank account for the payment.\n\nBest regards,");
  EXPECT_EQ(p.signature, "Alice Smith\nCFO, Example Corp");
  EXPECT_TRUE(p.quoted.starts_with("On Mon, Jan 1, 2024"));
  EXPECT_TRUE(contains(p.quoted, ">> older mail"));
  EXPECT_EQ(p.quoted_signature_region,
            "Hi Alice,\nWhen will you send the invoice?\nRegards,\nBob Jones\nBuyer, B Company\n"
            "bob@b.example | +1 555 0100");
}

TEST(SplitText, AttributionWrappedOverTwoLines) {
  const TextParts p = split_text(
      "ok\n\nOn Mon, Jan 1, 2024 at 10:00 AM Bob Jones <\nbob@b.example> wrote:\n> earlier\n> "
      "text\n");
  EXPECT_EQ(p.new_text, "ok");
  EXPECT_TRUE(p.quoted.starts_with("On Mon"));
  EXPECT_EQ(p.quoted_signature_region, "earlier\ntext");
}

TEST(SplitText, OutlookHeaderBlockAfterUnderscoreRule) {
  const TextParts p = split_text(
      "Please process the attached invoice today.\n\nThanks,\nMark\n\n"
      "________________________________\n"
      "From: Jane Roe <jane@partner.example>\nSent: Monday, January 8, 2024 9:12 AM\n"
      "To: Mark <mark@us.example>\nSubject: RE: invoice\n\n"
      "Hi Mark,\nInvoice attached.\n\nJane Roe | Accounts\nPartner Ltd.\njane@partner.example\n\n"
      "From: Mark <mark@us.example>\nSent: Sunday, January 7, 2024\nTo: Jane\nSubject: invoice\n"
      "\nOlder text\n");
  EXPECT_EQ(p.new_text, "Please process the attached invoice today.\n\nThanks,");
  EXPECT_EQ(p.signature, "Mark");
  EXPECT_TRUE(p.quoted.starts_with("________________________________\nFrom: Jane Roe"));
  EXPECT_EQ(p.quoted_signature_region,
            "Hi Mark,\nInvoice attached.\nJane Roe | Accounts\nPartner Ltd.\njane@partner.example");
}

TEST(SplitText, OutlookHeaderBlockWithoutRule) {
  const TextParts p = split_text(
      "Approved.\n\nFrom: Jane <jane@partner.example>\nDate: Mon, 8 Jan 2024\nSubject: x\n\n"
      "Earlier body\n");
  EXPECT_EQ(p.new_text, "Approved.");
  EXPECT_TRUE(p.quoted.starts_with("From: Jane"));
  EXPECT_EQ(p.quoted_signature_region, "Earlier body");
}

TEST(SplitText, JapaneseOutlookOriginalMessageWithBoxedSignature) {
  const TextParts p = split_text(
      "山田様\r\n\r\nお世話になっております。\r\n振込先の変更をお願いいたします。\r\n\r\n"
      "よろしくお願いいたします。\r\n\r\n━━━━━━━━━━━━\r\n株式会社エー\r\n経理部 鈴木花子\r\n"
      "TEL: 03-1234-5678\r\n━━━━━━━━━━━━\r\n\r\n-----Original Message-----\r\n"
      "差出人: 山田太郎 <taro@b-company.co.jp>\r\n送信日時: 2024年1月10日 10:00\r\n"
      "宛先: 鈴木花子 <hanako@a-company.co.jp>\r\n件名: 請求書の件\r\n\r\n鈴木様\r\n"
      "請求書をお送りください。\r\n\r\n山田太郎\r\n株式会社ビー\r\ntaro@b-company.co.jp\r\n\r\n"
      "-----Original Message-----\r\n差出人: 鈴木\r\n送信日時: 2024年1月9日\r\nolder\r\n");
  EXPECT_EQ(p.new_text,
            "山田様\n\nお世話になっております。\n振込先の変更をお願いいたします。\n\n"
            "よろしくお願いいたします。");
  EXPECT_EQ(p.signature,
            "━━━━━━━━━━━━\n株式会社エー\n経理部 鈴木花子\nTEL: 03-1234-5678\n━━━━━━━━━━━━");
  EXPECT_TRUE(p.quoted.starts_with("-----Original Message-----\n差出人: 山田太郎"));
  EXPECT_EQ(p.quoted_signature_region,
            "鈴木様\n請求書をお送りください。\n山田太郎\n株式会社ビー\ntaro@b-company.co.jp");
}

TEST(SplitText, JapaneseHeaderBlockWithFullWidthColons) {
  const TextParts p = split_text(
      "承知しました。\n\n差出人：山田太郎\n送信日時：2024年1月10日\n件名：確認\n\n前の本文\n");
  EXPECT_EQ(p.new_text, "承知しました。");
  EXPECT_EQ(p.quoted_signature_region, "前の本文");
}

TEST(SplitText, JapaneseGmailAttribution) {
  const TextParts p = split_text(
      "ご確認ください。\n\n2024年1月10日(水) 10:00 山田太郎 <taro@example.jp>:\n\n"
      "> お世話になっております。\n> 山田です。\n>\n> 山田太郎\n> taro@example.jp\n");
  EXPECT_EQ(p.new_text, "ご確認ください。");
  EXPECT_TRUE(p.quoted.starts_with("2024年1月10日"));
  EXPECT_EQ(p.quoted_signature_region,
            "お世話になっております。\n山田です。\n山田太郎\ntaro@example.jp");
}

TEST(SplitText, FullWidthQuoteMarks) {
  const TextParts p = split_text("了解です。\n\n＞ 先日の件\n＞ よろしくお願いします。\n");
  EXPECT_EQ(p.new_text, "了解です。");
  EXPECT_EQ(p.quoted_signature_region, "先日の件\nよろしくお願いします。");
}

TEST(SplitText, ForwardedAndTranslatedSeparators) {
  struct Case {
    const char* body;
    const char* new_text;
  };
  const Case cases[] = {
      {"FYI\n\n---------- Forwarded message ---------\nFrom: A <a@x.example>\nbody\n", "FYI"},
      {"see below\n\n----- Original Message -----\nFrom: A\nbody\n", "see below"},
      {"Hola\n\nEl lun, 8 ene 2024 a las 10:00, Ana <ana@x.example> escribió:\n> texto\n> mas\n",
       "Hola"},
      {"Bonjour\n\nLe lun. 8 janv. 2024 à 10:00, Paul <paul@x.example> a écrit :\n> texte\n> "
       "plus\n",
       "Bonjour"},
      {"転送します。\n\n-----元のメッセージ-----\n差出人: A\n本文\n", "転送します。"},
  };
  for (const auto& c : cases) {
    const TextParts p = split_text(c.body);
    EXPECT_EQ(p.new_text, c.new_text) << c.body;
    EXPECT_FALSE(p.quoted.empty()) << c.body;
  }
}

TEST(SplitText, DashDashSpaceSignature) {
  const TextParts p = split_text("Short note.\n\n-- \nBob\nhttps://bob.example\n");
  EXPECT_EQ(p.new_text, "Short note.");
  EXPECT_EQ(p.signature, "Bob\nhttps://bob.example");
  EXPECT_TRUE(p.quoted.empty());
  EXPECT_TRUE(p.quoted_signature_region.empty());
}

TEST(SplitText, MobileSignoff) {
  const TextParts p = split_text("Do it now and keep it confidential.\n\nSent from my iPhone\n");
  EXPECT_EQ(p.new_text, "Do it now and keep it confidential.");
  EXPECT_EQ(p.signature, "Sent from my iPhone");
  const TextParts ja = split_text("至急対応してください。\n\niPhoneから送信\n");
  EXPECT_EQ(ja.signature, "iPhoneから送信");
}

TEST(SplitText, TrailingContactParagraphIsASignature) {
  const TextParts p = split_text(
      "Please find the payment details attached.\n\nJohn Smith\nExample Inc.\nTel: +1 555 0100\n"
      "john@example.com\n");
  EXPECT_EQ(p.new_text, "Please find the payment details attached.");
  EXPECT_EQ(p.signature, "John Smith\nExample Inc.\nTel: +1 555 0100\njohn@example.com");
}

TEST(SplitText, NoFalseSignatureOrQuote) {
  const std::string body =
      "Thanks for the invoice, please pay today.\nThe amount is > 5000 USD.\n"
      "Best price we could get.\n";
  const TextParts p = split_text(body);
  EXPECT_EQ(p.new_text,
            "Thanks for the invoice, please pay today.\nThe amount is > 5000 USD.\n"
            "Best price we could get.");
  EXPECT_TRUE(p.signature.empty());
  EXPECT_TRUE(p.quoted.empty());
  // A single line starting with '>' is prose, not a thread.
  const TextParts q = split_text("Numbers:\n> 5 items\nare needed\n");
  EXPECT_TRUE(q.quoted.empty());
}

TEST(SplitText, BottomPostedReply) {
  const TextParts p = split_text(
      "On Mon, Bob <bob@b.example> wrote:\n> Can you pay?\n> Bob\n\nYes, paid today.\n\n-- \n"
      "Alice\n");
  EXPECT_EQ(p.new_text, "Yes, paid today.");
  EXPECT_EQ(p.signature, "Alice");
  EXPECT_TRUE(contains(p.quoted, "> Can you pay?"));
  EXPECT_EQ(p.quoted_signature_region, "Can you pay?\nBob");
}

TEST(SplitText, SignatureAddressRemovedShape) {
  // The earlier mail's signature carried an address; the attacker's reply signature drops it.
  const TextParts p = split_text(
      "Please update the bank details as discussed.\n\nRegards,\nTom Lee\n\n"
      "On Tue, Tom Lee <tom@partner.example> wrote:\n> Invoice attached.\n>\n> Regards,\n"
      "> Tom Lee\n> Partner Co.\n> tom@partner.example\n");
  EXPECT_EQ(p.signature, "Tom Lee");
  EXPECT_TRUE(contains(p.quoted_signature_region, "tom@partner.example"));
  EXPECT_FALSE(contains(p.signature, "@"));
}

TEST(SplitText, QuotedSignatureRegionKeepsTheLastFifteenLines) {
  std::string body = "new\n\nOn Mon, X <x@x.example> wrote:\n";
  for (int i = 1; i <= 30; ++i) body += "> line " + std::to_string(i) + "\n";
  const TextParts p = split_text(body);
  EXPECT_TRUE(p.quoted_signature_region.starts_with("line 16\n"));
  EXPECT_TRUE(p.quoted_signature_region.ends_with("line 30"));
}

TEST(SplitText, TextOfHtmlReplies) {
  // parse_html marks <blockquote> lines with "> ", so Gmail's HTML thread splits like plain text.
  const HtmlDoc gmail = parse_html(
      "<div dir=ltr>Please pay the new account.<br><br>Regards,<br>Ann</div><br>"
      "<div class=gmail_quote><div dir=ltr class=gmail_attr>On Mon, Jan 8, 2024 at 9:00 AM Bob "
      "&lt;<a href=\"mailto:bob@b.example\">bob@b.example</a>&gt; wrote:<br></div>"
      "<blockquote class=gmail_quote>Invoice attached.<br><br>Bob<br>bob@b.example</blockquote>"
      "</div>");
  const TextParts g = split_text(gmail.text);
  EXPECT_EQ(g.new_text, "Please pay the new account.\n\nRegards,");
  EXPECT_EQ(g.signature, "Ann");
  EXPECT_EQ(g.quoted_signature_region, "Invoice attached.\nBob\nbob@b.example");
  // Outlook's HTML reply header is a bordered <div> of <p><b>From:</b> ... lines.
  const HtmlDoc outlook = parse_html(
      "<p class=MsoNormal>Approved, go ahead.</p><p class=MsoNormal>&nbsp;</p>"
      "<div style='border:none;border-top:solid #E1E1E1 1.0pt'><p class=MsoNormal><b>From:</b> "
      "Jane &lt;jane@p.example&gt;<br><b>Sent:</b> Monday, January 8, 2024 9:12 AM<br><b>To:</b>"
      " Mark<br><b>Subject:</b> payment</p></div><p class=MsoNormal>Hi Mark</p>"
      "<p class=MsoNormal>Jane, Partner Ltd.</p><p class=MsoNormal>jane@p.example</p>");
  const TextParts o = split_text(outlook.text);
  EXPECT_EQ(o.new_text, "Approved, go ahead.");
  EXPECT_EQ(o.quoted_signature_region, "Hi Mark\nJane, Partner Ltd.\njane@p.example");
}

TEST(SplitText, EmptyAndBlank) {
  const TextParts e = split_text("");
  EXPECT_TRUE(e.new_text.empty() && e.quoted.empty() && e.signature.empty());
  const TextParts b = split_text("\n\n  \n");
  EXPECT_TRUE(b.new_text.empty());
}

TEST(SplitText, TenMegabytesIsBoundedAndLosesNothing) {
  std::string body = "Top text\n\nOn Mon, X <x@x.example> wrote:\n";
  while (body.size() < (10u << 20)) body += "> quoted line of some length here\n";
  const auto start = std::chrono::steady_clock::now();
  const TextParts p = split_text(body);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
  EXPECT_EQ(p.new_text, "Top text");
  EXPECT_GT(p.quoted.size(), (10u << 20) - 100);
  // One 10 MB line, and 10 MB of newlines.
  EXPECT_EQ(split_text(std::string(10u << 20, 'x')).new_text.size(), 10u << 20);
  EXPECT_TRUE(split_text(std::string(10u << 20, '\n')).new_text.empty());
}

}  // namespace
}  // namespace renkei::content
