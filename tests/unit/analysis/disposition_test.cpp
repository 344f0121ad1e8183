// Who controls each indicator, on the seed cases of the J-CSIP reports with their registry:
// sharing publishes only "attacker" indicators, so the attacker's must be found and nothing of the
// victims', the registered organisations' or the well-known services' may be among them.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <utility>

#include "analysis/analysis.hpp"
#include "registry/registry.hpp"

using namespace renkei;
using namespace renkei::analysis;

namespace {

const std::string kSeed = std::string(RENKEI_SOURCE_DIR) + "/tests/fixtures/seed/";

const registry::Registry& seed_registry() {
  static const registry::Registry r = [] {
    auto loaded = registry::Registry::load_toml_file(std::string(RENKEI_SOURCE_DIR) +
                                                     "/tests/fixtures/registries/seed.toml");
    EXPECT_TRUE(loaded.has_value());
    return loaded ? std::move(*loaded) : registry::Registry{};
  }();
  return r;
}

// (type, value) -> disposition of the seed fixture `name`.
std::map<std::pair<std::string, std::string>, std::string> dispositions(const std::string& name,
                                                                        Analysis* out = nullptr) {
  std::ifstream in(kSeed + name, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  EXPECT_FALSE(ss.str().empty()) << name;
  Options o;
  o.registry = &seed_registry();
  const Engine engine(o);
  Analysis a = engine.analyze(ss.str(), name);
  std::map<std::pair<std::string, std::string>, std::string> m;
  for (const auto& i : a.indicators) {
    EXPECT_FALSE(i.disposition_reason.empty()) << i.type << " " << i.value;
    m[{i.type, i.value}] = i.disposition;
  }
  if (out != nullptr) *out = std::move(a);
  return m;
}

// The disposition of one indicator, "(absent)" when the analysis did not find it.
std::string of(const std::map<std::pair<std::string, std::string>, std::string>& d,
               const std::string& type, const std::string& value) {
  const auto it = d.find({type, value});
  return it == d.end() ? "(absent)" : it->second;
}

TEST(Disposition, ReplyToAndReturnPathDiversionAreTheAttackersTheSpoofedPartnerIsNot) {
  auto d = dispositions("q2-2020-case1-reply-to-return-path-cc-diverted.eml");
  EXPECT_EQ(of(d, "email-addr", "michael.brown@bcgmbh-accounting.com"), "attacker");
  EXPECT_EQ(of(d, "domain-name", "bcgmbh-accounting.com"), "attacker");
  EXPECT_EQ(of(d, "email-addr", "admin@hk-tradelinks.com"), "attacker");
  EXPECT_EQ(of(d, "email-addr", "accounts.mbrown@tradefin-services.com"), "attacker");
  // The partner's real address in From (not in this registry): spoofed or compromised, never to
  // be shared as the attacker's.
  EXPECT_EQ(of(d, "email-addr", "michael.brown@b-company-gmbh.de"), "unknown");
  EXPECT_EQ(of(d, "domain-name", "b-company-gmbh.de"), "unknown");
}

TEST(Disposition, LookalikeDomainsAreTheAttackers) {
  auto d = dispositions("q2-2020-case2-lookalike-domains-mdn-hong-kong-account.eml");
  EXPECT_EQ(of(d, "email-addr", "alice@b-companys-cc.com"), "attacker");
  EXPECT_EQ(of(d, "domain-name", "b-companys-cc.com"), "attacker");
  EXPECT_EQ(of(d, "email-addr", "bob@b-cornpanysgroup-cc.com"), "attacker");
}

TEST(Disposition, FreemailAddressesAreTheAttackersTheFreemailServiceIsNot) {
  auto d = dispositions("q2-2020-case3a-covid-lockdown-opener-freemail-reply-to.eml");
  EXPECT_EQ(of(d, "email-addr", "alice.eve.company-a@mail.com"), "attacker");
  EXPECT_EQ(of(d, "domain-name", "mail.com"), "legitimate");
  EXPECT_EQ(of(d, "email-addr", "alice.eve@company-a.com"), "legitimate");
}

TEST(Disposition, FromMailtoTrickRelayIsTheAttackersTheExecutiveIsNot) {
  auto d = dispositions("q2-2020-case4-from-mailto-trick-spec-form.eml");
  EXPECT_EQ(of(d, "email-addr", "relay@365-offices.com"), "attacker");
  EXPECT_EQ(of(d, "domain-name", "365-offices.com"), "attacker");
  EXPECT_EQ(of(d, "email-addr", "t.yamada@example-mfg.co.jp"), "legitimate");
}

TEST(Disposition, PhishingLinkHostIsTheAttackers) {
  Analysis a;
  auto d = dispositions("idn-homograph-apple-cyrillic-a.eml", &a);
  ASSERT_TRUE(a.verdict.malicious()) << a.verdict.klass;
  int attacker_links = 0;
  for (const auto& i : a.indicators)
    if (i.role == "link" && i.disposition == "attacker") ++attacker_links;
  EXPECT_GT(attacker_links, 0);
}

TEST(Disposition, MaliciousAttachmentHashIsTheAttackers) {
  Analysis a;
  dispositions("executable-attachment-scan-pdf-exe.eml", &a);
  int files = 0;
  for (const auto& i : a.indicators)
    if (i.type == "file") {
      ++files;
      EXPECT_EQ(i.disposition, "attacker") << i.value;
      EXPECT_EQ(i.disposition_reason, "malicious_attachment");
    }
  EXPECT_GT(files, 0);
}

TEST(Disposition, NothingIsTheAttackersInABenignMail) {
  const std::string benign =
      "From: Hanako Sato <h.sato@a-company.co.jp>\r\n"
      "To: Kenji Tanaka <k.tanaka@a-company.co.jp>\r\n"
      "Reply-To: Hanako Sato <hanako@example.org>\r\n"
      "Subject: lunch\r\n"
      "Message-ID: <1@a-company.co.jp>\r\n"
      "Date: Mon, 7 Dec 2026 10:00:00 +0900\r\n\r\n"
      "See https://www.example.org/menu for the menu.\r\n";
  Options o;
  o.registry = &seed_registry();
  const Analysis a = Engine(o).analyze(benign, "benign.eml");
  ASSERT_FALSE(a.verdict.malicious()) << a.verdict.klass;
  ASSERT_FALSE(a.indicators.empty());
  for (const auto& i : a.indicators) EXPECT_NE(i.disposition, "attacker") << i.value;
}

TEST(Disposition, TheRecipientOfASelfSentSpoofIsTheVictim) {
  const std::string spoof =
      "From: Kenji Tanaka <k.tanaka@a-company.co.jp>\r\n"
      "To: Kenji Tanaka <k.tanaka@a-company.co.jp>\r\n"
      "Subject: Your mailbox is full\r\n\r\nhello\r\n";
  Options o;
  o.registry = &seed_registry();
  const Analysis a = Engine(o).analyze(spoof, "self.eml");
  for (const auto& i : a.indicators)
    if (i.type == "email-addr") {
      EXPECT_EQ(i.disposition, "victim") << i.value;
      EXPECT_EQ(i.disposition_reason, "recipient");
    }
}

}  // namespace

TEST(LinkJson, ARewrittenLinkNamesTheHostItWraps) {
  const std::string mail =
      "From: Hanako Sato <h.sato@a-company.co.jp>\r\n"
      "To: Kenji Tanaka <k.tanaka@a-company.co.jp>\r\n"
      "Subject: minutes\r\n\r\n"
      "https://eur01.safelinks.protection.outlook.com/?url=https%3A%2F%2Fminutes.example.org%2Fq3"
      "&data=05\r\nand https://www.example.org/plain\r\n";
  const Analysis a = Engine(Options{}).analyze(mail, "rewritten.eml");
  const std::string json = to_json_line(a);
  EXPECT_NE(json.find(R"("wrapped_host":"minutes.example.org")"), std::string::npos) << json;
  // A link without a rewriter has no such key.
  EXPECT_EQ(json.find(R"("url":"https://www.example.org/plain","where":"body","wrapped_host")"),
            std::string::npos);
  // The rewriter's host is a well-known service's, never the attacker's.
  for (const auto& i : a.indicators)
    if (i.value.find("safelinks") != std::string::npos) EXPECT_EQ(i.disposition, "legitimate");
}
