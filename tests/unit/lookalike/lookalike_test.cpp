// classify() and Index: every technique with the seed examples and our own, the negatives that
// must stay quiet, and the index agreeing with the pairwise classifier.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "lookalike/lookalike.hpp"

namespace renkei::lookalike {
namespace {

bool has(const Match& m, Technique t) {
  return std::find(m.techniques.begin(), m.techniques.end(), t) != m.techniques.end();
}

std::string ids(const Match& m) {
  std::string s;
  for (auto t : m.techniques) s += std::string(technique_id(t)) + " ";
  return s;
}

struct Case {
  const char* candidate;
  const char* protected_domain;
  Technique technique;
  const char* why;  // where the case comes from
};

// Positive cases: the seed reports' domains first, then each dnstwist family.
const Case kPositive[] = {
    {"b-companys-cc.com", "b-companys.com.cc", Technique::kLabelReorder, "Q2-2020 case 2"},
    {"b-companysgroup-cc.com", "b-companysgroup.com.cc", Technique::kLabelReorder,
     "Q2-2020 case 2"},
    {"b-company-jp.co", "b-company.co.jp", Technique::kLabelReorder, "Q4-2020 case 1"},
    {"b-cornpanysgroup-cc.com", "b-companysgroup.com.cc", Technique::kHomoglyph,
     "Q2-2020 case 2: rn and reorder"},
    {"b-cornpanysgroup.com.cc", "b-companysgroup.com.cc", Technique::kHomoglyph,
     "SPEC 4.1: m -> rn"},
    {"a-compeny.co.jp", "a-company.co.jp", Technique::kVowelSwap, "Q4-2020 case 2"},
    {"exarnple-mfg.co.jp", "example-mfg.co.jp", Technique::kHomoglyph, "m -> rn"},
    {"examp1e-mfg.co.jp", "example-mfg.co.jp", Technique::kHomoglyph, "l -> 1"},
    {"rnicrosoft.com", "microsoft.com", Technique::kHomoglyph, "m -> rn at the start"},
    {"micros0ft.com", "microsoft.com", Technique::kHomoglyph, "o -> 0"},
    {"xn--pple-43d.com", "apple.com", Technique::kHomoglyph, "Cyrillic a (punycode)"},
    {"\xD0\xB0pple.com", "apple.com", Technique::kHomoglyph, "Cyrillic a (Unicode)"},
    {"rakut\xD0\xB5n.co.jp", "rakuten.co.jp", Technique::kHomoglyph, "Cyrillic e"},
    {"micr\xCE\xBFs\xCE\xBF"
     "ft.com",
     "microsoft.com", Technique::kHomoglyph, "two Greek omicrons"},
    {"rakuten.com", "rakuten.co.jp", Technique::kTldSwap, "TLD swap"},
    {"example-mfg.com.cn", "example-mfg.co.jp", Technique::kTldSwap, "TLD swap to a second-level"},
    {"example-mfg.co.jp.secure-mail.net", "example-mfg.co.jp", Technique::kSubdomain,
     "real domain as sub-domain"},
    {"exam.ple-mfg.co.jp", "example-mfg.co.jp", Technique::kSubdomain, "dot inserted"},
    {"example-mfgs.co.jp", "example-mfg.co.jp", Technique::kPlural, "plural s"},
    {"amazones.co.jp", "amazon.co.jp", Technique::kPlural, "plural es"},
    {"example-mfgx.co.jp", "example-mfg.co.jp", Technique::kAddition, "addition"},
    {"exmple-mfg.co.jp", "example-mfg.co.jp", Technique::kOmission, "omission"},
    {"exampple-mfg.co.jp", "example-mfg.co.jp", Technique::kRepetition, "repetition"},
    {"exsmple-mfg.co.jp", "example-mfg.co.jp", Technique::kReplacement, "replacement (keyboard)"},
    {"exmaple-mfg.co.jp", "example-mfg.co.jp", Technique::kTransposition, "transposition"},
    {"exasmple-mfg.co.jp", "example-mfg.co.jp", Technique::kInsertion, "insertion (keyboard)"},
    {"exam-ple-mfg.co.jp", "example-mfg.co.jp", Technique::kHyphenation, "hyphen inserted"},
    {"examplemfg.co.jp", "example-mfg.co.jp", Technique::kHyphenation, "hyphen removed"},
    {"dxample-mfg.co.jp", "example-mfg.co.jp", Technique::kBitsquatting, "bit flip e->d"},
    {"example-mfg-login.com", "example-mfg.co.jp", Technique::kDictionary,
     "word appended, TLD swapped"},
    {"secureexample-mfg.co.jp", "example-mfg.co.jp", Technique::kDictionary, "word prepended"},
    {"smbc-card-support.com", "smbc-card.com", Technique::kDictionary, "brand with support"},
    {"rnicrosoft-support.com", "microsoft.com", Technique::kHomoglyph, "homoglyph and a word"},
    {"rnicrosoft-support.com", "microsoft.com", Technique::kDictionary, "homoglyph and a word"},
    {"exampla-mfg.co.jp", "example-mfg.co.jp", Technique::kVowelSwap, "vowel swap"},
    {"b-companys-cc.com", "mail.b-companys.com.cc", Technique::kLabelReorder,
     "protected given as a host"},
    {"mail.b-companys-cc.com", "b-companys.com.cc", Technique::kLabelReorder,
     "candidate given as a host"},
    {"B-COMPANYS-CC.COM.", "b-companys.com.cc", Technique::kLabelReorder, "case and root dot"},
};

TEST(Classify, EveryTechniqueOnSeedAndOwnExamples) {
  for (const auto& c : kPositive) {
    const auto m = classify(c.candidate, c.protected_domain);
    ASSERT_TRUE(m.has_value()) << c.candidate << " vs " << c.protected_domain << " (" << c.why
                               << ")";
    EXPECT_TRUE(has(*m, c.technique))
        << c.candidate << " vs " << c.protected_domain << ": got " << ids(*m) << "expected "
        << technique_id(c.technique) << " (" << c.why << ")";
    EXPECT_GE(m->score, 40) << c.candidate;
    EXPECT_LE(m->score, 100) << c.candidate;
    EXPECT_FALSE(m->explanation.empty());
    EXPECT_FALSE(m->explanation_ja.empty());
  }
}

TEST(Classify, ExplainsInWords) {
  const auto m = classify("b-companys-cc.com", "b-companys.com.cc");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->explanation.rfind("labels reordered and a dot replaced by a hyphen", 0), 0u)
      << m->explanation;
  EXPECT_NE(m->explanation.find(": b-companys.com.cc → b-companys-cc.com"), std::string::npos)
      << m->explanation;
  EXPECT_EQ(m->lookalike_of, "b-companys.com.cc");
  EXPECT_EQ(m->candidate, "b-companys-cc.com");

  const auto h = classify("exarnple-mfg.co.jp", "example-mfg.co.jp");
  ASSERT_TRUE(h);
  EXPECT_NE(h->explanation.find("'rn' for 'm'"), std::string::npos) << h->explanation;

  // IDN: shown decoded, with the script of the foreign letter named.
  const auto i = classify("xn--pple-43d.com", "apple.com");
  ASSERT_TRUE(i);
  EXPECT_EQ(i->candidate, "\xD0\xB0pple.com");
  EXPECT_NE(i->explanation.find("Cyrillic"), std::string::npos) << i->explanation;
  EXPECT_NE(i->explanation.find("U+0430"), std::string::npos) << i->explanation;

  const auto v = classify("a-compeny.co.jp", "a-company.co.jp");
  ASSERT_TRUE(v);
  EXPECT_NE(v->explanation.find("vowel 'e' for 'a'"), std::string::npos) << v->explanation;
  EXPECT_NE(v->explanation_ja.find("母音"), std::string::npos) << v->explanation_ja;
}

TEST(Classify, NegativesStayQuiet) {
  const std::pair<const char*, const char*> kNegative[] = {
      {"mail.example-mfg.co.jp", "example-mfg.co.jp"},  // same organisational domain
      {"example-mfg.co.jp", "EXAMPLE-MFG.CO.JP."},      // the same, written differently
      {"abc.com", "abd.com"},                           // too short to carry an identity
      {"xxxxxxxx.com", "xxxxxxxy.com"},                 // redacted samples: no identity
      {"toyota.co.jp", "example-mfg.co.jp"},            // simply different
      {"example-mfg.co.jp", "example-steel.co.jp"},     // different companies in one sector
      {"", "example.com"},
      {"example.com", ""},
      {"co.jp", "example.co.jp"},            // a public suffix
      {"192.0.2.1", "example.com"},          // an IP literal
      {"exa mple.com", "example.com"},       // not a host name
      {"example.net", "example.com"},        // reserved for documentation (RFC 2606)
      {"google.example.com", "google.com"},  // ... and so are its sub-domains
      {"paypal.test", "paypal.com"},         // reserved TLD (RFC 6761)
  };
  for (const auto& [c, p] : kNegative) {
    const auto m = classify(c, p);
    EXPECT_FALSE(m.has_value()) << c << " vs " << p << ": " << (m ? m->explanation : "");
  }
}

TEST(OrganizationalDomain, FollowsThePslAndGenericSecondLevels) {
  EXPECT_EQ(organizational_domain("mail.b-company.co.jp"), "b-company.co.jp");
  EXPECT_EQ(organizational_domain("x.b-companys.com.cc"), "b-companys.com.cc");
  EXPECT_EQ(organizational_domain("b-companys-cc.com"), "b-companys-cc.com");
  EXPECT_EQ(organizational_domain("WWW.Example.COM."), "example.com");
  EXPECT_EQ(organizational_domain("\xD0\xB0pple.com"), "xn--pple-43d.com");
  EXPECT_EQ(organizational_domain("co.jp"), "");
  EXPECT_EQ(organizational_domain("10.0.0.1"), "");
  EXPECT_EQ(organizational_domain("a..b.com"), "");
}

TEST(TechniqueIds, RoundTrip) {
  for (std::size_t i = 0; i < kTechniqueCount; ++i) {
    const auto t = static_cast<Technique>(i);
    EXPECT_EQ(technique_from_id(technique_id(t)), t);
  }
  EXPECT_FALSE(technique_from_id("nonsense").has_value());
}

// ---- Index ----

std::vector<std::string> random_domains(std::size_t n, unsigned seed) {
  static const char* const kSuffixes[] = {"co.jp",  "com",    "jp",  "ne.jp", "or.jp",
                                          "com.hk", "com.cc", "net", "de",    "fr"};
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> len(6, 14), letter(0, 25), suf(0, 9), hyphen(0, 9);
  std::vector<std::string> out;
  out.reserve(n);
  while (out.size() < n) {
    std::string name;
    const int l = len(rng);
    for (int i = 0; i < l; ++i) {
      if (i > 1 && i < l - 2 && hyphen(rng) == 0 && name.back() != '-') name.push_back('-');
      name.push_back(static_cast<char>('a' + letter(rng)));
    }
    out.push_back(name + "." + kSuffixes[suf(rng)]);
  }
  return out;
}

TEST(Index, FindsTheSeedLookalikesAmongManyDomains) {
  Index ix;
  for (const auto& d : random_domains(20000, 7)) ix.add(d);
  for (const auto* d : {"example-mfg.co.jp", "a-company.co.jp", "b-companys.com.cc",
                        "b-company.co.jp", "apple.com"})
    ASSERT_TRUE(ix.add(d));
  EXPECT_TRUE(ix.contains("mail.example-mfg.co.jp"));
  EXPECT_FALSE(ix.check("example-mfg.co.jp").has_value())
      << "a protected domain is never a lookalike";
  for (const auto& c : kPositive) {
    const std::string p = organizational_domain(c.protected_domain);
    if (!ix.contains(p)) continue;
    const auto m = ix.check(c.candidate);
    ASSERT_TRUE(m) << c.candidate;
    EXPECT_EQ(m->lookalike_of, p) << c.candidate << ": " << m->explanation;
  }
}

// The index is only an accelerator: for every candidate it must give what classify gives against
// the best protected domain, found by trying them all.
TEST(Index, AgreesWithPairwiseClassify) {
  const auto protected_set = random_domains(400, 11);
  Index ix;
  for (const auto& d : protected_set) ix.add(d);
  std::vector<std::string> candidates = random_domains(200, 12);
  // Mutations of protected names: each technique the classifier knows.
  std::mt19937 rng(5);
  for (std::size_t i = 0; i < protected_set.size(); i += 3) {
    const std::string& d = protected_set[i];
    const std::string name = d.substr(0, d.find('.')), suffix = d.substr(d.find('.'));
    const std::size_t k = rng() % (name.size() - 1) + 1;
    candidates.push_back(name.substr(0, k) + name.substr(k + 1) + suffix);    // omission
    candidates.push_back(name.substr(0, k) + "x" + name.substr(k) + suffix);  // addition
    candidates.push_back(name.substr(0, k - 1) + name[k] + name[k - 1] + name.substr(k + 1) +
                         suffix);                         // transposition
    candidates.push_back(name + ".com");                  // tld swap
    candidates.push_back(name + "-login" + suffix);       // dictionary
    candidates.push_back("www." + d + ".evil-host.net");  // subdomain
    std::string dashed = d;
    std::replace(dashed.begin(), dashed.end(), '.', '-');
    candidates.push_back(dashed + ".com");  // reorder
  }
  std::size_t found = 0;
  for (const auto& c : candidates) {
    std::optional<Match> brute;
    if (!ix.contains(c))
      for (const auto& p : protected_set) {
        auto m = classify(c, p);
        if (m &&
            (!brute || m->score > brute->score ||
             (m->score == brute->score && (m->lookalike_of.size() < brute->lookalike_of.size() ||
                                           (m->lookalike_of.size() == brute->lookalike_of.size() &&
                                            m->lookalike_of < brute->lookalike_of)))))
          brute = std::move(m);
      }
    const auto indexed = ix.check(c);
    ASSERT_EQ(indexed.has_value(), brute.has_value())
        << c << ": brute " << (brute ? brute->explanation : "none") << " / index "
        << (indexed ? indexed->explanation : "none");
    if (brute) {
      ++found;
      EXPECT_EQ(indexed->lookalike_of, brute->lookalike_of) << c;
      EXPECT_EQ(indexed->score, brute->score) << c;
    }
  }
  EXPECT_GT(found, candidates.size() / 2);
}

// Similar names the community really owns are not look-alikes of each other.
// Among several protected domains with the same name, the one under the candidate's own suffix is
// the one imitated.
TEST(Index, PrefersTheSameSuffix) {
  Index ix;
  for (const auto* d : {"amazon.ca", "amazon.co.jp", "amazon.com", "amazon.de"}) ix.add(d);
  const auto m = ix.check("amaz0n.co.jp");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->lookalike_of, "amazon.co.jp") << m->explanation;
  const auto t = ix.check("b-company-jp.co");
  EXPECT_FALSE(t.has_value());
}

TEST(Index, RegisteredSimilarNamesAreNotLookalikes) {
  Index ix;
  for (const auto* d :
       {"example-mfg.co.jp", "example-mfg.com", "b-companys.com.cc", "b-companysgroup.com.cc"})
    ix.add(d);
  EXPECT_FALSE(ix.check("example-mfg.com").has_value());
  EXPECT_FALSE(ix.check("www.example-mfg.com").has_value());
  EXPECT_FALSE(ix.check("b-companysgroup.com.cc").has_value());
  const auto m = ix.check("example-mfg.net");
  ASSERT_TRUE(m);
  EXPECT_TRUE(has(*m, Technique::kTldSwap));
  const auto g = ix.check("b-companysgroup-cc.com");
  ASSERT_TRUE(g);
  EXPECT_EQ(g->lookalike_of, "b-companysgroup.com.cc") << g->explanation;
}

TEST(Index, EmptyAndUnusableInput) {
  Index ix;
  EXPECT_FALSE(ix.check("example.com").has_value());
  EXPECT_FALSE(ix.add(""));
  EXPECT_FALSE(ix.add("co.jp"));
  EXPECT_FALSE(ix.add("127.0.0.1"));
  EXPECT_TRUE(ix.add("example-mfg.co.jp"));
  EXPECT_TRUE(ix.add("www.example-mfg.co.jp"));  // the same organisational domain
  EXPECT_EQ(ix.size(), 1u);
  EXPECT_FALSE(ix.check("").has_value());
  EXPECT_FALSE(ix.check(std::string(5000, 'a')).has_value());
}

}  // namespace
}  // namespace renkei::lookalike
