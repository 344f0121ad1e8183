// Building blocks of the engine: lexicon normalisation and matching, lookalikes, names.
#include <gtest/gtest.h>

#include "analysis/context.hpp"
#include "analysis/lexicon.hpp"

using namespace renkei::analysis;

TEST(Lexicon, FullWidthAndCaseAreFolded) {
  EXPECT_EQ(lexicon::normalize("ＰａｙＰａｌ  Account\n\nLOGIN", 1024), "paypal account login");
}

TEST(Lexicon, CyrillicLettersInsideLatinWordsAreFoldedAndCounted) {
  int folded = 0;
  // "Amаzon accоunt" with Cyrillic а and о.
  EXPECT_EQ(lexicon::normalize("Am\xD0\xB0zon acc\xD0\xBEunt", 1024, &folded), "amazon account");
  EXPECT_EQ(folded, 2);
}

TEST(Lexicon, RussianWordsAreLeftAlone) {
  int folded = 0;
  EXPECT_EQ(lexicon::normalize("\xD0\xBF\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82", 1024, &folded),
            "\xD0\xBF\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82");
  EXPECT_EQ(folded, 0);
}

TEST(Lexicon, CombiningMarksSprinkledIntoLatinWordsAreRemoved) {
  int folded = 0;
  // "A\u073Fm\u073Fa\u073Fz\u073Fon" (Syriac marks after letters) and a zero-width joiner.
  EXPECT_EQ(lexicon::normalize("A\xDC\xBFm\xDC\xBF"
                               "a\xDC\xBFz\xDC\xBFon Pay\xE2\x80\x8DPal",
                               1024, &folded),
            "amazon paypal");
  EXPECT_EQ(folded, 4);  // the joiner is already dropped by NFKC case folding
}

TEST(Lexicon, AsciiWordsBesideUnicodeWordsFoldTheSameAsAlone) {
  // normalize() sends only the words with non-ASCII characters through ICU: the result must be
  // what each piece gives on its own, whatever the mix and the whitespace between them.
  int folded = 0;
  EXPECT_EQ(
      lexicon::normalize(
          "URGENT: Ｖｅｒｉｆｙ your Am\xD0\xB0zon\taccount\r\nÉTÉ  Straße e\xCC\x81t\xC3\xA9 NOW",
          1024, &folded),
      "urgent: verify your amazon account été strasse été now");
  EXPECT_EQ(folded, 1);
  // A non-ASCII word first and last, and a lone combining mark after a space (NFKC does not
  // compose across the space).
  EXPECT_EQ(lexicon::normalize("Ｐａｙ then \xCC\x81x end ＰＡＹ", 1024),
            "pay then \xCC\x81x end pay");
}

TEST(Lexicon, LongestPhraseWinsSoNegationsHide) {
  const std::string t =
      lexicon::normalize("お振込先: 従来どおり(ご登録の口座から変更はございません)", 1024);
  lexicon::Hits h{lexicon::scan(t), t};
  EXPECT_TRUE(h.any(lexicon::Concept::kNoChange));
  EXPECT_FALSE(h.near_unless(lexicon::Concept::kBankAccount, lexicon::Concept::kChange,
                             lexicon::Concept::kNoChange, 120, nullptr));
}

TEST(Lexicon, AsciiPhrasesNeedWordBoundaries) {
  const std::string t = lexicon::normalize("the unsubscribed hold-up", 1024);
  lexicon::Hits h{lexicon::scan(t), t};
  EXPECT_FALSE(h.any(lexicon::Concept::kDisclaimer));  // "unsubscribe" inside "unsubscribed"
}

TEST(Lookalike, SeedTechniques) {
  EXPECT_NE(lookalike_technique("b-companys-cc.com", "b-companys.com.cc"), "");
  EXPECT_NE(lookalike_technique("b-cornpanysgroup-cc.com", "b-companysgroup.com.cc"), "");
  EXPECT_NE(lookalike_technique("b-company-jp.co", "b-company.co.jp"), "");
  EXPECT_NE(lookalike_technique("a-compeny.co.jp", "a-company.co.jp"), "");
}

TEST(Lookalike, NotForTheSameOrganisationOrUnrelatedNames) {
  EXPECT_EQ(lookalike_technique("mail.b-company.co.jp", "b-company.co.jp"), "");
  EXPECT_EQ(lookalike_technique("raasdnil.net", "lindsaar.net"),
            "");  // an anagram is not a lookalike
  EXPECT_EQ(lookalike_technique("xxxxxxxxx.com", "xxxxxxxxxx.com"), "");  // redacted, no identity
  EXPECT_EQ(lookalike_technique("example.org", "unrelated-shop.com"), "");
}

TEST(Registrable, SecondLevelRegistriesMissingFromThePsl) {
  EXPECT_EQ(registrable("mail.b-companys.com.cc"), "b-companys.com.cc");
  EXPECT_EQ(registrable("www.example.co.jp"), "example.co.jp");
}

TEST(Names, KeysIgnoreOrderHonorificsAndSpacing) {
  EXPECT_EQ(name_key("Taro Yamada"), name_key("YAMADA, Taro (CEO)"));
  EXPECT_EQ(name_key("山田 太郎 様"), name_key("山田太郎"));
  EXPECT_TRUE(name_contains("Taro Yamada <t.yamada@example-mfg.co.jp> secured by [mailto:x@y]",
                            "Taro Yamada"));
  EXPECT_TRUE(name_contains("代表取締役 山田 太郎", "山田太郎"));
  EXPECT_FALSE(name_contains("Taro Suzuki", "Taro Yamada"));
}
