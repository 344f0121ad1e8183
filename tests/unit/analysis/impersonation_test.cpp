// Impersonation with the identity registry: executives by name in either script, look-alike
// domains of members and partners among thousands, brands by domain, and the negatives.
#include <gtest/gtest.h>

#include <string>

#include "analysis/analysis.hpp"
#include "analysis/context.hpp"
#include "analysis/identity.hpp"
#include "registry/registry.hpp"

using namespace renkei;
using namespace renkei::analysis;

namespace {

constexpr const char* kRegistry = R"toml(
[[organization]]
name = "Example Manufacturing"
name_ja = "例示製造"
industry = "manufacturing"
domains = ["example-mfg.co.jp", "example-mfg.com"]
partner_domains = ["b-company.co.jp"]

[[organization.vip]]
name = "Taro Yamada"
name_ja = "山田太郎"
title = "CEO"
addresses = ["t.yamada@example-mfg.co.jp"]

[[organization.vip]]
name = "Keiko Nakamura"
name_ja = "中村 恵子"
title = "CFO"
addresses = ["k.nakamura@example-mfg.co.jp"]
)toml";

// The small registry above plus `filler` generated organisations (each with a domain and a VIP),
// so that the tests run against a registry the size a real hub has.
registry::Registry make_registry(int filler) {
  std::string toml = kRegistry;
  for (int i = 0; i < filler; ++i) {
    const std::string n = std::to_string(i);
    toml += "[[organization]]\nname = \"Filler " + n + "\"\ndomains = [\"filler-org-" + n +
            ".co.jp\"]\n" + "[[organization.vip]]\nname = \"Person" + n + " Surname" + n +
            "\"\naddresses = [\"p" + n + "@filler-org-" + n + ".co.jp\"]\n";
  }
  auto r = registry::Registry::load_toml_string(toml, "test");
  EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().to_string());
  return r ? std::move(*r) : registry::Registry();
}

const registry::Registry& big_registry() {
  static const registry::Registry r = make_registry(5000);
  return r;
}

Analysis run(const std::string& eml) {
  Options o;
  o.registry = &big_registry();
  static const Engine engine(o);
  return engine.analyze(eml, "test.eml");
}

std::string evidence(const Analysis& a, std::string_view id) {
  for (const auto& s : a.signals)
    if (s.id == id) return s.evidence;
  return {};
}

}  // namespace

TEST(Identity, VipNamesInEitherScriptWithTitlesAndHonorifics) {
  const Identity id(&big_registry());
  for (const char* display :
       {"Taro Yamada", "YAMADA Taro", "Yamada, Taro (CEO)", "Taro K. Yamada", "山田太郎",
        "山田 太郎", "山田太郎様", "代表取締役社長 山田太郎", "社長 山田 太郎 様",
        "CEO Taro Yamada via iPhone", "ＹＡＭＡＤＡ　Ｔａｒｏ"}) {
    const auto vips = id.vips_named_in(display);
    ASSERT_EQ(vips.size(), 1u) << display;
    EXPECT_EQ(vips.front().vip->name, "Taro Yamada") << display;
    EXPECT_EQ(vips.front().org->name, "Example Manufacturing") << display;
  }
  EXPECT_EQ(id.vips_named_in("中村恵子").size(), 1u);
  EXPECT_EQ(id.vips_named_in("Person4711 Surname4711").size(), 1u);
  for (const char* display :
       {"Taro Suzuki", "Yamada Hanako", "山田花子", "Accounts Payable", "", "Yamada"})
    EXPECT_TRUE(id.vips_named_in(display).empty()) << display;
}

TEST(Identity, ProtectedDomainsAreIndexed) {
  const Identity id(&big_registry());
  EXPECT_GE(id.domains().size(), 5003u);
  EXPECT_TRUE(id.domains().contains("mail.example-mfg.co.jp"));
  const auto m = id.domains().check("filler-org-4711.co.jp.verify-account.net");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->lookalike_of, "filler-org-4711.co.jp");
}

TEST(Impersonation, ExecutiveNameOnAnotherAddressInEitherScript) {
  const Analysis a = run(
      "From: \"=?UTF-8?B?5bGx55Sw5aSq6YOO?= =?UTF-8?B?56S+6ZW3?=\" <ceo.office.jp@gmail.com>\r\n"
      "To: k.nakamura@example-mfg.co.jp\r\nSubject: =?UTF-8?B?5qWt5YuZ6YCj57Wh?=\r\n\r\n"
      "Are you at your desk? I need you to handle a confidential payment today.\r\n");
  EXPECT_TRUE(a.has_signal("executive_impersonation")) << a.signals.size();
  EXPECT_NE(
      evidence(a, "executive_impersonation").find("Taro Yamada (CEO) of Example Manufacturing"),
      std::string::npos)
      << evidence(a, "executive_impersonation");
}

TEST(Impersonation, TheExecutiveThemselvesIsNotImpersonation) {
  const Analysis a =
      run("From: Taro Yamada <t.yamada@example-mfg.co.jp>\r\nTo: k.nakamura@example-mfg.co.jp\r\n"
          "Subject: Board minutes\r\n\r\nPlease find the minutes attached.\r\n");
  EXPECT_FALSE(a.has_signal("executive_impersonation"));
}

TEST(Impersonation, LookalikeOfAMemberAmongThousands) {
  const Analysis a =
      run("From: Accounts <billing@exarnple-mfg.co.jp>\r\nTo: someone@b-company.co.jp\r\n"
          "Subject: Invoice\r\n\r\nPlease see the invoice.\r\n");
  ASSERT_TRUE(a.has_signal("sender_lookalike"));
  const std::string e = evidence(a, "sender_lookalike");
  EXPECT_NE(e.find("'rn' for 'm'"), std::string::npos) << e;
  EXPECT_NE(e.find("a domain of Example Manufacturing"), std::string::npos) << e;
  // The same finding, structured for the web UI's header drawing.
  ASSERT_EQ(a.lookalikes.size(), 1u);
  EXPECT_EQ(a.lookalikes[0].domain, "exarnple-mfg.co.jp");
  EXPECT_EQ(a.lookalikes[0].of, "example-mfg.co.jp");
  EXPECT_EQ(a.lookalikes[0].owner, "Example Manufacturing");
  ASSERT_FALSE(a.lookalikes[0].techniques.empty());
  EXPECT_EQ(a.lookalikes[0].techniques[0], "homoglyph");
}

TEST(Impersonation, WritingFromALookalikeOfAPartnerIsBecWhateverItSays) {
  // Nothing but the domain: an opener with no payment words is the first mail of invoice fraud.
  const Analysis a =
      run("From: Accounts <billing@b-company-jp.co>\r\nTo: someone@example-mfg.co.jp\r\n"
          "Subject: Hello\r\n\r\nDid you receive my previous mail? Please confirm.\r\n");
  ASSERT_TRUE(a.has_signal("sender_lookalike"));
  EXPECT_EQ(a.verdict.klass, "bec");
  EXPECT_EQ(a.verdict.bec_type, 1);
  EXPECT_EQ(a.verdict.targeting, "targeted");
  // Replies diverted to a look-alike count as much as the From.
  const Analysis r = run(
      "From: Accounts <billing@b-company.co.jp>\r\nReply-To: billing@b-company-jp.co\r\n"
      "To: someone@example-mfg.co.jp\r\nSubject: Invoice 2026-118\r\n\r\nPlease pay today.\r\n");
  EXPECT_EQ(r.verdict.klass, "bec");
  // The partner's real domain is ordinary mail.
  const Analysis real =
      run("From: Accounts <billing@b-company.co.jp>\r\nTo: someone@example-mfg.co.jp\r\n"
          "Subject: Invoice 2026-118\r\n\r\nPlease find the invoice attached.\r\n");
  EXPECT_EQ(real.verdict.klass, "benign");
}

TEST(Impersonation, LookalikeOfAPartnerInCc) {
  const Analysis a =
      run("From: Hanako <h@example-mfg.co.jp>\r\nTo: Bob <bob@b-company-jp.co>\r\n"
          "Subject: Re: order\r\n\r\nThanks.\r\n");
  ASSERT_TRUE(a.has_signal("cc_lookalike"));
  EXPECT_NE(evidence(a, "cc_lookalike").find("a partner domain of Example Manufacturing"),
            std::string::npos)
      << evidence(a, "cc_lookalike");
  ASSERT_EQ(a.lookalikes.size(), 1u);
  EXPECT_EQ(a.lookalikes[0].domain, "b-company-jp.co");
  EXPECT_EQ(a.lookalikes[0].owner, "Example Manufacturing");
}

TEST(Impersonation, RegisteredSimilarDomainsAreNotLookalikes) {
  const Analysis a =
      run("From: Taro Yamada <t.yamada@example-mfg.co.jp>\r\nTo: sales@example-mfg.com\r\n"
          "Cc: orders@b-company.co.jp\r\nSubject: Re: order\r\n\r\nThanks.\r\n");
  EXPECT_FALSE(a.has_signal("sender_lookalike"));
  EXPECT_FALSE(a.has_signal("cc_lookalike"));
}

TEST(Impersonation, BrandDomainImitatedBySender) {
  const Analysis a = run(
      "From: Account Team <no-reply@rnicrosoft-support.com>\r\nTo: someone@example-mfg.co.jp\r\n"
      "Subject: Mailbox quota\r\n\r\nYour mailbox is almost full.\r\n");
  ASSERT_TRUE(a.has_signal("brand_impersonation"));
  EXPECT_NE(evidence(a, "brand_impersonation").find("microsoft.com"), std::string::npos);
}
