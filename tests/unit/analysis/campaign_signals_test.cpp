// Wording-independent campaign signals (lib/analysis/signals_campaign.cpp) and the lexicon's
// handling of invisible letters and underscores, on small synthetic messages.
#include <gtest/gtest.h>

#include <string>

#include "analysis/analysis.hpp"
#include "analysis/lexicon.hpp"
#include "run_engine.hpp"

using namespace renkei::analysis;
using renkei::analysis::testing::malicious;
using renkei::analysis::testing::run;

TEST(Lexicon, InvisibleCharactersBetweenLatinLettersAreCounted) {
  // "Pr\u200ei\u034fme": a left-to-right mark and a combining grapheme joiner inside the word.
  EXPECT_EQ(lexicon::invisible_between_letters("Pr\xE2\x80\x8Ei\xCD\x8Fme"), 2);
  // A soft hyphen is hyphenation, an emoji joiner is not between letters.
  EXPECT_EQ(lexicon::invisible_between_letters(
                "Ver\xC2\xADsicherung \xF0\x9F\xA6\xB8\xE2\x80\x8D\xE2\x99\x82"),
            0);
  EXPECT_EQ(lexicon::normalize("Pr\xE2\x80\x8Ei\xCD\x8Fme", 1024), "prime");
  // A run of two zero-width spaces counts twice; one at the end of a word, or before a broken
  // byte, is not between letters; plain ASCII has none.
  EXPECT_EQ(lexicon::invisible_between_letters("Pa\xE2\x80\x8B\xE2\x80\x8ByPal"), 2);
  EXPECT_EQ(lexicon::invisible_between_letters("PayPal\xE2\x80\x8B \xE2\x80\x8B\xFF"), 0);
  EXPECT_EQ(lexicon::invisible_between_letters("plain ascii text"), 0);
}

TEST(Lexicon, UnderscoresSeparateWords) {
  EXPECT_EQ(lexicon::normalize("_Your_Reward_Worth_", 1024), " your reward worth ");
}

TEST(CampaignSignals, InvisibleLettersInTheSenderNameAreADisguise) {
  const Analysis a =
      run("From: =?UTF-8?B?UOKAjnLNj2ltZQ==?= <billing@random-sender.example>\r\n"
          "To: someone@example.org\r\nSubject: Membership statement\r\n\r\nSee attached.\r\n");
  EXPECT_TRUE(a.has_signal("homoglyph_text"));
  EXPECT_TRUE(malicious(a));
}

TEST(CampaignSignals, UnquotedCommaInFromNameIsMalformed) {
  const Analysis a =
      run("From: Gift Card Team, jehd <service@newsletter.example>\r\n"
          "To: someone@example.org\r\nSubject: Your voucher\r\n\r\nHello\r\n");
  EXPECT_TRUE(a.has_signal("from_header_malformed"));
}

TEST(CampaignSignals, QuotedCommaInFromNameIsFine) {
  const Analysis a =
      run("From: \"Yamada, Taro\" <taro@example.co.jp>\r\n"
          "To: someone@example.org\r\nSubject: Minutes\r\n\r\nAttached are the minutes.\r\n");
  EXPECT_FALSE(a.has_signal("from_header_malformed"));
  EXPECT_FALSE(malicious(a));
}

TEST(CampaignSignals, RecipientAddressInForeignLinkIsPersonalisedLure) {
  const Analysis a = run(
      "From: Energy Savings <news@sender.example>\r\nTo: victim@example.org\r\nSubject: Peek "
      "inside\r\n"
      "Content-Type: text/html\r\n\r\n"
      "<a href=\"https://unrelated.example.net/x/abc.php?email=victim@example.org\">Open</a>\r\n");
  EXPECT_TRUE(a.has_signal("recipient_in_link"));
  EXPECT_TRUE(malicious(a));
}

TEST(CampaignSignals, RecipientAddressInUnsubscribeLinkIsOrdinary) {
  const Analysis a =
      run("From: Shop <news@shop.example>\r\nTo: reader@example.org\r\nSubject: Offers\r\n"
          "Content-Type: text/html\r\n\r\n"
          "<a "
          "href=\"https://lists.example.net/unsubscribe?email=reader@example.org\">Unsubscribe</"
          "a>\r\n");
  EXPECT_FALSE(a.has_signal("recipient_in_link"));
}

TEST(CampaignSignals, LinkToBareIpAddress) {
  const Analysis a =
      run("From: Service <service@sender.example>\r\nTo: reader@example.org\r\nSubject: Winner\r\n"
          "Content-Type: text/html\r\n\r\n<a href=\"http://203.0.113.7/cl/1/2\">Online</a>\r\n");
  EXPECT_TRUE(a.has_signal("ip_address_link"));
}

TEST(CampaignSignals, RequestToWriteToAnotherFreeMailbox) {
  const Analysis a = run(
      "From: Alice <support@shop.example>\r\nTo: reader@example.org\r\nSubject: Hello\r\n\r\n"
      "Hi. I am a lonely lady looking for a friend.\r\nWrite at alice.private1990@gmail.com\r\n");
  EXPECT_TRUE(a.has_signal("freemail_contact_in_body"));
  EXPECT_EQ(a.verdict.klass, "scam");
}

TEST(CampaignSignals, QuotedMessageIdIsNotAContactAddress) {
  const Analysis a =
      run("From: Bob <bob@example.org>\r\nTo: list@example.org\r\nSubject: Re: ports\r\n\r\n"
          "> In-Reply-To:\r\n<2D00AD0E4D36D411BD3000@mail.gmail.com>\r\nAgreed.\r\n");
  EXPECT_FALSE(a.has_signal("freemail_contact_in_body"));
}

TEST(CampaignSignals, BrandClaimedByInlineForwardedOriginal) {
  const Analysis a =
      run("From: reporter@example.org\r\nTo: soc@example.org\r\nSubject: Fw: Save up to 67%\r\n\r\n"
          "________________________________\r\n"
          "De: McAfee Department <offers@random-sender.example>\r\n"
          "Enviado: segunda-feira, 16 de janeiro de 2023 08:31\r\n"
          "Para: reporter <reporter@example.org>\r\n"
          "Assunto: Save up to 67% on Total Protection\r\n\r\nProtect your computer.\r\n");
  EXPECT_TRUE(a.has_signal("brand_impersonation"));
}
