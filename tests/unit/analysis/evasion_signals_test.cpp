// Evasion techniques of mass phishing and scams (callback scams, passwords for attachments,
// free user-content hosting, padding, swapped letters, shared platforms) and the ordinary mail
// that looks like them, on small synthetic messages through the whole engine.
#include <gtest/gtest.h>

#include <string>

#include "analysis/analysis.hpp"
#include "analysis/lexicon.hpp"
#include "registry/registry.hpp"
#include "run_engine.hpp"

using namespace renkei::analysis;
using renkei::analysis::testing::malicious;
using renkei::analysis::testing::run;

namespace {

const Signal* find(const Analysis& a, std::string_view id) {
  for (const auto& s : a.signals)
    if (s.id == id) return &s;
  return nullptr;
}

// The receiving system's verdict on the sender, as a member's mail server writes it.
std::string auth(std::string_view dkim_domain, std::string_view from_domain) {
  return "Authentication-Results: mx.example-mfg.co.jp; dkim=pass header.d=" +
         std::string(dkim_domain) + "; spf=pass smtp.mailfrom=" + std::string(from_domain) +
         "; dmarc=pass header.from=" + std::string(from_domain) + "\r\n";
}

const char kPdfPart[] =
    "--b\r\nContent-Type: application/pdf; name=\"statement.pdf\"\r\n"
    "Content-Disposition: attachment; filename=\"statement.pdf\"\r\nContent-Transfer-Encoding: "
    "base64\r\n\r\n"
    "JVBERi0xLjQKJcOkw7zDtsOfCjEgMCBvYmoKPDwvVHlwZS9DYXRhbG9nPj4KZW5kb2JqCnRyYWlsZXIKPDwvUm9vdCAxID"
    "AgUj4+CiUlRU9GCg==\r\n"
    "--b--\r\n";

}  // namespace

// ---- the lexicon reads disguised words as the words they imitate ----

TEST(Lexicon, SwappedLatinLettersAreReadAsTheWordTheyImitate) {
  int folded = 0;
  EXPECT_EQ(lexicon::normalize("SUPER VlAGRA-ClALlS", 1024, &folded), "super viagra-cialis");
  EXPECT_EQ(folded, 2);
  EXPECT_EQ(lexicon::normalize("Verify your waIIet at PayPaI", 1024, &folded),
            "verify your wallet at paypal");
  EXPECT_EQ(folded, 2);
  EXPECT_EQ(lexicon::normalize("IMP0RTANT INF0RMATI0N", 1024, &folded), "important information");
  EXPECT_EQ(folded, 2);
}

TEST(Lexicon, NamesAndIdentifiersAreNotSwaps) {
  int folded = 0;
  // A capital I inside a name, random tokens, hexadecimal and product codes stay as written.
  EXPECT_EQ(lexicon::normalize("McIntosh KJlmMWtIIEywZ a0bcdef12 MP3 B2B", 1024, &folded),
            "mcintosh kjlmmwtiieywz a0bcdef12 mp3 b2b");
  EXPECT_EQ(folded, 0);
}

TEST(Lexicon, AnEmojiGluedToAWordIsABoundary) {
  const std::string t =
      lexicon::normalize("\xE2\x9C\x94\xEF\xB8\x8FUw pakketmelding\xF0\x9F\x93\xA6", 1024);
  bool delivery = false;
  for (const auto& h : lexicon::scan(t))
    if (h.kind == lexicon::Concept::kDelivery) delivery = true;
  EXPECT_TRUE(delivery) << t;
  // An accented letter still continues the word: "colis" is not found inside "colisé".
  for (const auto& h : lexicon::scan(lexicon::normalize("colis\xC3\xA9", 1024)))
    EXPECT_NE(h.kind, lexicon::Concept::kDelivery);
}

// ---- the shipped lists behind the new rules ----

TEST(ShippedListsForEvasion, SharedPlatformTenantsAndUserContentHosts) {
  const auto& l = renkei::registry::Lists::builtin();
  ASSERT_TRUE(l.loaded());
  EXPECT_TRUE(l.is_shared_platform_tenant("x7kq2pz.zendesk.com"));
  EXPECT_TRUE(l.is_shared_platform_tenant("scsettings.onmicrosoft.com"));
  EXPECT_FALSE(l.is_shared_platform_tenant("zendesk.com"));  // the platform writing itself
  EXPECT_FALSE(l.is_shared_platform_tenant("example-mfg.co.jp"));
  EXPECT_TRUE(l.is_user_content_host("docs.google.com"));
  EXPECT_TRUE(l.is_user_content_host("bucket-x.s3.amazonaws.com"));
  EXPECT_TRUE(l.is_user_content_host("someone.blogspot.com"));
  EXPECT_FALSE(l.is_user_content_host("www.google.com"));
  EXPECT_FALSE(l.is_user_content_host("example.com"));
}

// ---- callback scams ----

TEST(EvasionSignals, CallbackScamFromFreeMail) {
  const Analysis a = run(
      "From: Billing Desk <monaschwartz732@gmail.com>\r\nTo: someone@example.org\r\n"
      "Subject: Order Confirmation Alert\r\n" +
      auth("gmail.com", "gmail.com") +
      "\r\n"
      "Dear Member,\r\nYour Norton 360 subscription was renewed. You have been charged $299.95.\r\n"
      "Total amount: $299.95\r\nIf you didn't authorize this transaction, please call us at +1 "
      "(866) 555-0199\r\n");
  const Signal* s = find(a, "callback_lure");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->severity, Severity::kHigh);
  EXPECT_EQ(a.verdict.klass, "scam");
}

TEST(EvasionSignals, AnInvoiceWithThePhoneNumberOfItsSenderIsNoCallbackScam) {
  // From free mail too (small businesses invoice from Gmail): no way out is offered, so no hook.
  const Analysis a = run(
      "From: =?UTF-8?B?5bGx55Sw5ZWG5bqX?= <yamada.shoten@gmail.com>\r\nTo: someone@example.org\r\n"
      "Subject: =?UTF-8?B?44GU6KuL5rGC5pu444Gu44GK6YCB44KK?=\r\n" +
      auth("gmail.com", "gmail.com") +
      "Content-Type: text/plain; charset=utf-8\r\n\r\n"
      "\xE3\x81\x94\xE8\xAB\x8B\xE6\xB1\x82\xE6\x9B\xB8\xE3\x82\x92\xE3\x81\x8A\xE9\x80\x81\xE3\x82"
      "\x8A\xE3\x81\x97\xE3\x81\xBE\xE3\x81\x99\xE3\x80\x82"
      "\xE3\x81\x94\xE4\xB8\x8D\xE6\x98\x8E\xE7\x82\xB9\xE3\x81\xAF\xE3\x81\x8A\xE9\x9B\xBB\xE8\xA9"
      "\xB1"
      "\xEF\xBC\x88"
      "03-1234-5678\xEF\xBC\x89\xE3\x81\xBE\xE3\x81\xA7\xE3\x80\x82\r\n");
  EXPECT_FALSE(a.has_signal("callback_lure"));
  EXPECT_FALSE(malicious(a));
}

// ---- the password of the attachment in the mail ----

TEST(EvasionSignals, AttachmentPasswordInTheBody) {
  const Analysis a =
      run("From: Nota Emitida <macciondonaldo@gmail.com>\r\nTo: someone@example.org\r\n"
          "Subject: Emissao - 05/10/2023\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; "
          "boundary=\"b\"\r\n\r\n"
          "--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
          "Prezado, confira sua nota no arquivo em anexo. Senha: 000\r\n" +
          std::string(kPdfPart));
  EXPECT_TRUE(a.has_signal("attachment_password_in_body"));
  EXPECT_EQ(a.verdict.klass, "phishing");
}

TEST(EvasionSignals, PasswordSentSeparatelyIsNotGiven) {
  const Analysis a =
      run("From: Sato <sato@partner-co.example.jp>\r\nTo: someone@example.org\r\n"
          "Subject: Quotation\r\n" +
          auth("partner-co.example.jp", "partner-co.example.jp") +
          "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n"
          "--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
          "Please find the quotation attached. The password will follow in a separate mail.\r\n" +
          std::string(kPdfPart));
  EXPECT_FALSE(a.has_signal("attachment_password_in_body"));
  EXPECT_FALSE(malicious(a));
}

// ---- free user-content hosting ----

TEST(EvasionSignals, OnlyADriveLinkWithALureFromAStranger) {
  const Analysis a =
      run("From: Ana Stark <anastark9648@gmail.com>\r\nTo: someone@example.org\r\nSubject: Anahi "
          "Bass\r\n" +
          auth("gmail.com", "gmail.com") +
          "\r\nYour balance has been replenished "
          "+17,794$\r\n\r\nhttps://drive.google.com/file/d/119Mu_j0Xmzog\r\n");
  const Signal* s = find(a, "user_content_link");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->severity, Severity::kHigh);
  EXPECT_TRUE(malicious(a));
}

TEST(EvasionSignals, AColleagueSharingADriveLinkFromFreeMailIsOrdinary) {
  const Analysis a =
      run("From: Suzuki <suzuki.hanako@gmail.com>\r\nTo: someone@example.org\r\n"
          "Subject: =?UTF-8?B?6LOH5paZ44Gu5YWx5pyJ?=\r\n" +
          auth("gmail.com", "gmail.com") +
          "Content-Type: text/plain; charset=utf-8\r\n\r\n"
          "\xE8\xB3\x87\xE6\x96\x99\xE3\x82\x92\xE5\x85\xB1\xE6\x9C\x89\xE3\x81\x97\xE3\x81\xBE\xE3"
          "\x81\x99\xE3\x80\x82\r\n"
          "https://docs.google.com/document/d/1AbCdEf/edit\r\n");
  const Signal* s = find(a, "user_content_link");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->severity, Severity::kMedium);
  EXPECT_FALSE(malicious(a));
}

// ---- who the sender claims to be ----

TEST(EvasionSignals, ADomainWrittenAsTheSendersName) {
  const Analysis a = run(
      "From: \"Stellar.org\" <no-reply@merino-hermanos.example.co>\r\nTo: someone@example.org\r\n"
      "Subject: Stake your XLM\r\n\r\nActivate the staking feature of your wallet.\r\n");
  const Signal* s = find(a, "display_name_has_address");
  ASSERT_NE(s, nullptr);
  EXPECT_NE(s->evidence.find("stellar.org"), std::string::npos);
  const Analysis same =
      run("From: \"Booking.com\" <noreply@booking.com>\r\nTo: someone@example.org\r\n"
          "Subject: Your reservation\r\n" +
          auth("booking.com", "booking.com") + "\r\nSee you soon.\r\n");
  EXPECT_FALSE(same.has_signal("display_name_has_address"));
  const Analysis initials =
      run("From: \"J.R. Smith\" <jr@smith-family.example.com>\r\nTo: "
          "someone@example.org\r\nSubject: Hi\r\n\r\nHello.\r\n");
  EXPECT_FALSE(initials.has_signal("display_name_has_address"));
}

TEST(EvasionSignals, AHelpDeskTenantIsNotAnAuthenticatedOrganisation) {
  const std::string head = "To: someone@example.org\r\nSubject: Verify your wallet now\r\n" +
                           auth("zendesk.com", "x7kq2pz.zendesk.com") +
                           "Content-Type: text/html; charset=utf-8\r\n\r\n";
  const Analysis a = run("From: Trust Wallet Support <support@x7kq2pz.zendesk.com>\r\n" + head +
                         "<p>Verify your wallet now to avoid suspension.</p>"
                         "<a href=\"https://wallet-verify.example.net/login\">Verify</a>");
  EXPECT_TRUE(a.has_signal("credential_lure"));
  EXPECT_EQ(a.verdict.klass, "phishing");
  // A ticket answer from a tenant, with no lure, is ordinary support mail.
  const Analysis ticket =
      run("From: Acme Support <support@acme.zendesk.com>\r\n"
          "To: someone@example.org\r\nSubject: Re: [Acme] ticket 4411\r\n" +
          auth("zendesk.com", "acme.zendesk.com") +
          "\r\nYour ticket has been solved. Reply to reopen it.\r\n");
  EXPECT_FALSE(malicious(ticket));
}

// ---- padding and disguise ----

TEST(EvasionSignals, NumbersPaddingTheText) {
  std::string pad;
  for (int i = 0; i < 60; ++i) pad += std::to_string((i * 7919) % 1000) + " ";
  const Analysis a =
      run("From: Glennie Marten <marten_glennie91@outlook.com>\r\nTo: someone@example.org\r\n"
          "Subject: but new not and he was delightful\r\n\r\n" +
          pad + "\r\nhttps://docs.google.com/presentation/d/e/2PACX-1vR/pub\r\n");
  EXPECT_TRUE(a.has_signal("hash_buster_text"));
  EXPECT_TRUE(malicious(a));
}

TEST(EvasionSignals, WordsJoinedByUnderscoresInTheSubject) {
  const Analysis a =
      run("From: \"*Thank_You#\" <canicule232@gmail.com>\r\nTo: someone@example.org\r\n"
          "Subject: _hurry_up_!_Rewards_have_arrived!_\r\n\r\nhttps://bit.ly/3X4avEt\r\n");
  const Signal* s = find(a, "homoglyph_text");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->severity, Severity::kHigh);
  EXPECT_TRUE(malicious(a));
  // A file name in a subject is not that.
  const Analysis file =
      run("From: Scanner <scanner@example-mfg.co.jp>\r\nTo: someone@example.org\r\n"
          "Subject: Scan_2023_11_22.pdf\r\n\r\nScanned document.\r\n");
  EXPECT_FALSE(file.has_signal("homoglyph_text"));
}

TEST(EvasionSignals, TheReaderSeesTheHtmlWhenThePlainPartIsAStub) {
  const Analysis a = run(
      "From: SUSHI <sushi@email.salon-example.com>\r\nTo: someone@example.org\r\nSubject: News\r\n"
      "MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=\"b\"\r\n\r\n"
      "--b\r\nContent-Type: text/plain\r\n\r\nPlease use a HTML enabled email client to view this "
      "message.\r\n"
      "--b\r\nContent-Type: text/html\r\n\r\n<p>Claim your airdrop now: connect your wallet and "
      "enter your "
      "recovery phrase to receive 5,000 tokens before the snapshot closes.</p>\r\n--b--\r\n");
  EXPECT_NE(a.text.find("recovery phrase"), std::string::npos);
}

TEST(EvasionSignals, ABounceIsNotAParcelLure) {
  const Analysis a =
      run("From: Mail Delivery System <Mailer-Daemon@mx.example.net>\r\nTo: someone@example.org\r\n"
          "Subject: Mail delivery failed: returning message to sender\r\n\r\n"
          "This message was created automatically by mail delivery software.\r\n"
          "A message that you sent could not be delivered to one or more of its recipients.\r\n"
          "Mail delivery failed: the following address failed: nobody@example.com\r\n");
  EXPECT_FALSE(a.has_signal("scam_lure"));
  EXPECT_FALSE(malicious(a));
}
