// lib/campaign: feature keys, matching and explanations, on the seed fixtures (real .eml files
// rebuilt from the J-CSIP reports) and on small synthetic mails.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "analysis/analysis.hpp"
#include "campaign/campaign.hpp"
#include "campaign/vocabulary.hpp"
#include "registry/registry.hpp"

namespace renkei::campaign {
namespace {

namespace fs = std::filesystem;

const fs::path kSeed = fs::path(RENKEI_SOURCE_DIR) / "tests/fixtures/seed";

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

const registry::Registry& seed_registry() {
  static const registry::Registry r = [] {
    auto loaded = registry::Registry::load_toml_file(
        (fs::path(RENKEI_SOURCE_DIR) / "tests/fixtures/registries/seed.toml").string());
    EXPECT_TRUE(loaded.has_value());
    return loaded ? std::move(*loaded) : registry::Registry{};
  }();
  return r;
}

Features features_of(const std::string& eml) {
  analysis::Options o;
  o.registry = &seed_registry();
  const analysis::Engine engine(o);
  const auto a = engine.analyze(eml, "t.eml");
  return extract(a, registry::Lists::builtin(), &seed_registry());
}

Features seed(const std::string& name) {
  return features_of(slurp(kSeed / (name + ".eml")));
}

bool has_key(const Features& f, std::string_view key) {
  return std::find(f.keys.begin(), f.keys.end(), key) != f.keys.end();
}

// Clusters the seed fixtures in date order and returns fixture name -> campaign id.
std::map<std::string, std::int64_t> cluster_seeds() {
  std::vector<std::pair<std::string, Features>> mails;
  for (const auto& e : fs::directory_iterator(kSeed)) {
    if (e.path().extension() != ".eml") continue;
    mails.emplace_back(e.path().stem().string(), features_of(slurp(e.path())));
  }
  std::sort(mails.begin(), mails.end(), [](const auto& a, const auto& b) {
    return std::make_pair(a.second.time.value_or(0), a.first) <
           std::make_pair(b.second.time.value_or(0), b.first);
  });
  Clusterer c;
  std::map<std::string, std::int64_t> out;
  for (const auto& [name, f] : mails) out[name] = c.campaigns()[c.add(f)].id;
  return out;
}

TEST(Vocabulary, SegmentsConcatenatedWordsOfTheMailSecurityVocabulary) {
  const auto s = segment("intranetserver");
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].word, "intranet");
  EXPECT_EQ(s[1].word, "server");
  EXPECT_EQ(s[1].cls, WordClass::kMailSecurity);
  const auto lynx = segment("smtp-outbound-vulcan");
  ASSERT_EQ(lynx.size(), 3u);
  EXPECT_EQ(lynx[2].cls, WordClass::kCelestial);
  // A run that no words cover stays one unknown segment.
  const auto unknown = segment("kantoseiki");
  ASSERT_EQ(unknown.size(), 1u);
  EXPECT_EQ(unknown[0].cls, WordClass::kNone);
}

TEST(Vocabulary, GeneratedLabelsAreRandomLettersNotWords) {
  EXPECT_TRUE(looks_generated("qjwzrxnb"));
  EXPECT_TRUE(looks_generated("vxqkrtzmw"));
  EXPECT_FALSE(looks_generated("hanamaru"));
  EXPECT_FALSE(looks_generated("secureserver"));  // covered by known words
  EXPECT_FALSE(looks_generated("b-company"));     // people write hyphens
  EXPECT_FALSE(looks_generated("abc"));           // too short to tell
}

TEST(Features, SenderNamingSchemeSubjectTemplateAndLure) {
  const auto f = seed("q2-2020-case5-cosmic-lynx-project-mockingbird");
  EXPECT_TRUE(std::any_of(f.keys.begin(), f.keys.end(), [](const std::string& k) {
    return k.rfind("Q:", 0) == 0;
  })) << "a local part from mail-security words and a celestial name is a naming scheme";
  EXPECT_TRUE(has_key(f, "T:project *"));
  EXPECT_TRUE(has_key(f, "I:executive"));
  EXPECT_TRUE(f.time.has_value());
}

TEST(Features, MembersOwnDomainsAndTheRecipientsAddressTieNothing) {
  // The spoofed internal sender is the member's own domain: the victims' side.
  const auto f = seed("auth-failed-spoofed-internal-sender");
  for (const auto& k : f.keys) {
    EXPECT_EQ(k.find("a-company.co.jp"), std::string::npos) << k;
  }
  // A self-sent spoof: From is the recipient's own address.
  const auto self = features_of(
      "From: Victim <victim@example.net>\r\nTo: victim@example.net\r\nSubject: Your mailbox is "
      "full\r\nDate: Tue, 3 Nov 2020 10:00:00 +0900\r\n\r\nClick here to keep your mail: "
      "http://mailbox-upgrade.example.org/keep\r\n");
  EXPECT_FALSE(has_key(self, "M:victim@example.net"));
  EXPECT_TRUE(has_key(self, "K:example.org"));
}

TEST(Features, JapaneseSubjectDecorationsAndDigitsAreNormalised) {
  const auto a =
      features_of("From: info@qjwzrxnb.work\r\nTo: a@example.net\r\nSubject: =?UTF-8?B?" +
                  std::string("4omqIFdFQiDlpZHntITjga7mm7TmlrDjg7vntpnntprjgavjgaTjgYTjgaYg4omr") +
                  "?=\r\nDate: Wed, 2 Dec 2020 10:00:00 +0900\r\n\r\nbody\r\n");
  const auto b =
      features_of("From: info@vxqkrtzmw.work\r\nTo: a@example.net\r\nSubject: =?UTF-8?B?" +
                  std::string("4pagIFdFQiDlpZHntITjga7mm7TmlrAg57aZ57aa44Gr44Gk44GE44GmIOKWoA==") +
                  "?=\r\nDate: Wed, 2 Dec 2020 11:00:00 +0900\r\n\r\nbody\r\n");
  // ≪WEB 契約の更新・継続について≫ and ■ WEB 契約の更新 継続について ■ are one subject.
  EXPECT_TRUE(has_key(a, "S:web 契約の更新 継続について"));
  EXPECT_TRUE(has_key(b, "S:web 契約の更新 継続について"));
  EXPECT_TRUE(has_key(a, "G:info@*.work"));
}

TEST(Clustering, SeedSeriesAreGroupedAndUnrelatedCasesAreNot) {
  const auto c = cluster_seeds();
  // The Cosmic Lynx series: six mails in English, French and Japanese, different domains and
  // subjects, one naming scheme and the executive of each target.
  const auto lynx = c.at("q2-2020-case5-cosmic-lynx-project-mockingbird");
  for (const auto* n : {"q2-2020-case5-cosmic-lynx-accords-finaux-fr",
                        "q2-2020-case5-cosmic-lynx-coronavirus-sensitive-matter",
                        "q2-2020-case5-cosmic-lynx-gaibu-houritsu-jimusho-ja",
                        "q2-2020-case5-cosmic-lynx-liaise-with-external-legal-counsel",
                        "q4-2020-case3-cosmic-lynx-project-triton-vaccines"}) {
    EXPECT_EQ(c.at(n), lynx) << n;
  }
  // The "Japanised" CEO fraud: same domains and subject in Japanese, months apart.
  EXPECT_EQ(c.at("q2-2020-case6-japanised-ceo-fraud-sendgrid-beacon"),
            c.at("q4-2020-case4-japanised-ceo-relay-display-name-address"));
  EXPECT_NE(c.at("q2-2020-case6-japanised-ceo-fraud-sendgrid-beacon"), lynx);
  // The .work scam: random domains, decorated subjects, one body.
  EXPECT_EQ(c.at("q4-2020-sec5-fictitious-org-web-keiyaku-koushin"),
            c.at("charset-mislabeled-sjis-body-labelled-iso-2022-jp"));
  // One invoice fraud's two mails (the same free-mail Reply-To mailbox).
  EXPECT_EQ(c.at("q2-2020-case3a-covid-lockdown-opener-freemail-reply-to"),
            c.at("q2-2020-case3b-hold-payment-freemail-reply-to"));
  // Different attackers stay apart.
  EXPECT_NE(c.at("q2-2020-case1-reply-to-return-path-cc-diverted"),
            c.at("q2-2020-case3a-covid-lockdown-opener-freemail-reply-to"));
  EXPECT_NE(c.at("q4-2020-sec7-zoom-invitation-phishing"), c.at("idn-homograph-apple-cyrillic-a"));
  EXPECT_NE(c.at("q4-2020-table2-emotet-password-zip"), lynx);
}

TEST(Matching, OneTraitAloneIsNotEnoughButAReusedMailboxIs) {
  Features mail;
  mail.keys = {"L:mailsec", "X:outlook", "Z:credential_lure"};
  Candidate c;
  c.id = 1;
  c.shared_keys = mail.keys;
  EXPECT_FALSE(score(mail, c).accepted) << "traits only: no concrete family";
  mail.keys.push_back("M:relay@x.example");
  c.shared_keys = {"M:relay@x.example"};
  EXPECT_TRUE(score(mail, c).accepted);
  // Near-identical bodies: most MinHash bands shared.
  Features body;
  for (int b = 0; b < 32; ++b) body.keys.push_back("B:" + std::to_string(100 + b));
  Candidate cb;
  cb.id = 2;
  cb.shared_keys.assign(body.keys.begin(), body.keys.begin() + 20);
  EXPECT_TRUE(score(body, cb).accepted);
  cb.shared_keys.assign(body.keys.begin(), body.keys.begin() + 3);  // J ≈ 0.3
  EXPECT_FALSE(score(body, cb).accepted);
}

TEST(Matching, HotKeysAreIgnoredSoCostStaysFlat) {
  EXPECT_EQ(hot_threshold(10), kHotMin);
  EXPECT_EQ(hot_threshold(1000), 20u);
  EXPECT_EQ(hot_threshold(1'000'000), kHotCap);
  // A key every mail has (one campaign each otherwise) ties nothing once it is hot, and the index
  // stops growing for it.
  Clusterer c;
  for (int i = 0; i < 200; ++i) {
    Features f;
    f.keys = {"X:common mailer", "Z:credential_lure",
              "M:sender" + std::to_string(i) + "@x.example"};
    c.add(f);
  }
  EXPECT_EQ(c.campaigns().size(), 200u);
  EXPECT_LE(c.postings(), 200u + 2 * kHotCap);
}

TEST(Explanation, SaysWhatTiesTheSeriesInBothLanguages) {
  Clusterer c;
  for (const auto* n : {"q2-2020-case5-cosmic-lynx-project-mockingbird",
                        "q4-2020-case3-cosmic-lynx-project-triton-vaccines",
                        "q2-2020-case5-cosmic-lynx-coronavirus-sensitive-matter"}) {
    c.add(seed(n));
  }
  ASSERT_EQ(c.campaigns().size(), 1u);
  const auto& camp = c.campaigns()[0];
  const auto e = explain(camp.keys, static_cast<std::int64_t>(camp.members.size()));
  EXPECT_NE(e.en.find("mail-security words"), std::string::npos) << e.en;
  EXPECT_NE(e.en.find("celestial names"), std::string::npos) << e.en;
  EXPECT_NE(e.en.find("impersonates each target's executive"), std::string::npos) << e.en;
  EXPECT_NE(e.ja.find("天体名"), std::string::npos) << e.ja;
  EXPECT_NE(e.ja.find("経営者"), std::string::npos) << e.ja;
  EXPECT_FALSE(e.name.empty());
}

}  // namespace
}  // namespace renkei::campaign
