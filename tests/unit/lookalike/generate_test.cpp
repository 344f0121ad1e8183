// generate(): the dnstwist-style variants, checked against the J-CSIP seed look-alikes, the DNS
// rules, and — both ways — against classify(), which must recognise every variant it is given.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "lookalike/lookalike.hpp"

namespace renkei::lookalike {
namespace {

Generated generate_ok(std::string_view domain, const GenerateOptions& options = {}) {
  auto g = generate(domain, options);
  EXPECT_TRUE(g.has_value()) << domain << ": " << (g ? "" : g.error().to_string());
  return g ? *g : Generated{};
}

const Variant* find_variant(const Generated& g, std::string_view domain) {
  const auto it = std::find_if(g.variants.begin(), g.variants.end(),
                               [&](const Variant& v) { return v.domain == domain; });
  return it == g.variants.end() ? nullptr : &*it;
}

std::set<std::string> domain_set(const Generated& g) {
  std::set<std::string> out;
  for (const auto& v : g.variants) out.insert(v.domain);
  return out;
}

// A valid DNS name in ASCII form: labels of 1..63 LDH characters without edge hyphens, ≤ 253.
bool is_valid_dns(std::string_view d) {
  if (d.empty() || d.size() > 253) return false;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = d.find('.', start);
    const std::string_view label =
        d.substr(start, dot == std::string_view::npos ? d.npos : dot - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
      return false;
    }
    for (const char c : label) {
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
    }
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

// ---- The seed look-alikes from the J-CSIP reports, and dnstwist's classic examples ----

struct Expected {
  std::string_view input;
  std::string_view variant;
  Technique technique;
};

void PrintTo(const Expected& e, std::ostream* os) {
  *os << e.input << " -> " << e.variant << " (" << technique_id(e.technique) << ")";
}

class SeedVariants : public testing::TestWithParam<Expected> {};

TEST_P(SeedVariants, AreGeneratedWithTheirTechnique) {
  const Expected& e = GetParam();
  const Generated g = generate_ok(e.input);
  const Variant* v = find_variant(g, e.variant);
  ASSERT_NE(v, nullptr) << e.variant << " not generated from " << e.input;
  EXPECT_EQ(technique_id(v->technique), technique_id(e.technique)) << e.variant;
  EXPECT_EQ(v->unicode, v->domain);  // ASCII names show as themselves
}

INSTANTIATE_TEST_SUITE_P(
    JcsipAndDnstwist, SeedVariants,
    testing::Values(Expected{"a-company.co.jp", "a-compeny.co.jp", Technique::kVowelSwap},
                    Expected{"b-companys.com.cc", "b-companys-cc.com", Technique::kLabelReorder},
                    Expected{"b-companys.com.cc", "b-companys-com.cc", Technique::kLabelReorder},
                    Expected{"b-company.co.jp", "b-company-jp.co", Technique::kLabelReorder},
                    Expected{"b-company.co.jp", "b-company-co-jp.com", Technique::kLabelReorder},
                    Expected{"b-company.co.jp", "b-companyjp.com", Technique::kLabelReorder},
                    Expected{"b-company.co.jp", "b-company-jp.com", Technique::kLabelReorder},
                    Expected{"b-company.co.jp", "b-company.jp", Technique::kTldSwap},
                    Expected{"amazon.co.jp", "amazon-jp.co.jp", Technique::kLabelReorder},
                    Expected{"b-company.co.jp", "b-companys.co.jp", Technique::kPlural},
                    Expected{"example.com", "exarnple.com", Technique::kHomoglyph},
                    Expected{"example.com", "examp1e.com", Technique::kHomoglyph},
                    Expected{"example.com", "exampie.com", Technique::kHomoglyph},
                    Expected{"example.com", "exmaple.com", Technique::kTransposition},
                    Expected{"example.com", "examples.com", Technique::kPlural},
                    Expected{"example.com", "example-login.com", Technique::kDictionary},
                    Expected{"example.com", "secureexample.com", Technique::kDictionary},
                    Expected{"example.com", "secure-example.com", Technique::kDictionary},
                    Expected{"example.com", "exa.mple.com", Technique::kSubdomain},
                    Expected{"example.com", "example.co.jp", Technique::kTldSwap},
                    Expected{"example.com", "examplea.com", Technique::kAddition},
                    Expected{"example.com", "exmple.com", Technique::kOmission},
                    Expected{"example.com", "exammple.com", Technique::kRepetition},
                    Expected{"example.com", "exsmple.com", Technique::kReplacement},
                    Expected{"example.com", "exasmple.com", Technique::kInsertion},
                    Expected{"example.com", "exam-ple.com", Technique::kHyphenation},
                    Expected{"example.com", "gxample.com", Technique::kBitsquatting},
                    Expected{"example.com", "example-com.net", Technique::kLabelReorder},
                    Expected{"mail.example.co.jp", "exarnple.co.jp", Technique::kHomoglyph},
                    Expected{"boss.co.jp", "bosses.co.jp", Technique::kPlural}));

TEST(Generate, CyrillicHomoglyphIsAnIdnWithItsUnicodeForm) {
  const Generated g = generate_ok("example.com");
  const std::string cyrillic_a = "exаmple.com";  // Cyrillic а U+0430
  const auto it = std::find_if(g.variants.begin(), g.variants.end(),
                               [&](const Variant& v) { return v.unicode == cyrillic_a; });
  ASSERT_NE(it, g.variants.end());
  EXPECT_TRUE(it->domain.starts_with("xn--")) << it->domain;
  EXPECT_EQ(it->technique, Technique::kHomoglyph);
}

TEST(Generate, IncludeUnicodeOffGivesAsciiOnly) {
  GenerateOptions ascii_only;
  ascii_only.include_unicode = false;
  const Generated g = generate_ok("example.com", ascii_only);
  ASSERT_FALSE(g.variants.empty());
  for (const auto& v : g.variants) {
    EXPECT_EQ(v.domain.find("xn--"), std::string::npos) << v.domain;
    EXPECT_EQ(v.unicode, v.domain);
  }
  EXPECT_NE(find_variant(g, "exarnple.com"), nullptr);  // ASCII homoglyphs stay
}

TEST(Generate, EveryTechniqueContributes) {
  const Generated g = generate_ok("b-company.co.jp");
  std::set<Technique> seen;
  for (const auto& v : g.variants) seen.insert(v.technique);
  for (std::size_t t = 0; t < kTechniqueCount; ++t) {
    EXPECT_TRUE(seen.contains(static_cast<Technique>(t)))
        << technique_id(static_cast<Technique>(t)) << " produced nothing";
  }
}

// ---- Input forms and errors ----

TEST(Generate, InvalidInputIsAnInvalidArgumentWithAHint) {
  for (const std::string_view bad : {"", "com", "co.jp", "1.2.3.4", "a..b", ".", "  "}) {
    const auto g = generate(bad);
    ASSERT_FALSE(g.has_value()) << "'" << bad << "' accepted";
    EXPECT_EQ(g.error().code, Errc::kInvalidArgument) << bad;
    EXPECT_FALSE(g.error().message.empty());
    EXPECT_FALSE(g.error().hint.empty());
  }
}

TEST(Generate, InputFormsGiveTheSameVariants) {
  struct Forms {
    std::string_view canonical;
    std::vector<std::string_view> others;
  };
  const std::vector<Forms> cases{
      {"example.com", {"EXAMPLE.COM", "example.com.", "Www.Example.Com.", "mail.example.com"}},
      {"b-company.co.jp", {"MAIL.B-Company.CO.JP.", "x.y.b-company.co.jp"}},
      {"b-companys.com.cc", {"x.b-companys.com.cc", "B-COMPANYS.COM.CC."}},
      {"xn--bcher-kva.de", {"bücher.de", "BÜCHER.DE.", "www.xn--bcher-kva.de"}},
  };
  for (const auto& c : cases) {
    const auto expected = domain_set(generate_ok(c.canonical));
    ASSERT_FALSE(expected.empty()) << c.canonical;
    for (const auto other : c.others) {
      EXPECT_EQ(domain_set(generate_ok(other)), expected) << other << " vs " << c.canonical;
    }
  }
}

TEST(Generate, IdnNameIsMutatedInUnicodeForm) {
  const Generated g = generate_ok("bücher.de");
  ASSERT_FALSE(g.variants.empty());
  const auto has_unicode = [&](std::string_view u) {
    return std::any_of(g.variants.begin(), g.variants.end(),
                       [&](const Variant& v) { return v.unicode == u; });
  };
  EXPECT_TRUE(has_unicode("bücher-login.de"));  // dictionary
  EXPECT_TRUE(has_unicode("bcher.de"));         // omission of ü
  EXPECT_TRUE(has_unicode("übcher.de"));        // transposition
  EXPECT_TRUE(has_unicode("bücher.com"));       // tld-swap
  EXPECT_NE(find_variant(g, "bcher.de"), nullptr);
  for (const auto& v : g.variants) {
    EXPECT_TRUE(is_valid_dns(v.domain)) << v.domain;
  }
}

// Names too short or too plain for classify() to recognise an imitation are refused with a hint,
// and short names get no edit-distance variants (classify would not recognise them).
TEST(Generate, ShortNamesAreRefusedOrLimited) {
  for (const std::string_view d : {"ab.jp", "hp.com", "aaaa.com"}) {
    const auto g = generate(d);
    ASSERT_FALSE(g.has_value()) << d;
    EXPECT_EQ(g.error().code, Errc::kInvalidArgument);
    EXPECT_FALSE(g.error().hint.empty());
  }
  const Generated sony = generate_ok("sony.com");
  EXPECT_NE(find_variant(sony, "sony.co.jp"), nullptr);
  EXPECT_NE(find_variant(sony, "s0ny.com"), nullptr);
  EXPECT_EQ(find_variant(sony, "sonx.com"), nullptr);  // replacement: not for a 4-letter name
}

// ---- Output invariants ----

TEST(Generate, VariantsAreValidUniqueSortedAndNeverTheInput) {
  for (const std::string_view d :
       {"example.com", "a-company.co.jp", "b-companys.com.cc", "example-mfg.co.jp",
        "xn--bcher-kva.de", "sony.com",
        "a-very-long-name-of-exactly-sixty-three-characters-0123456789ab.com"}) {
    const Generated g = generate_ok(d);
    EXPECT_FALSE(g.truncated) << d;
    ASSERT_FALSE(g.variants.empty()) << d;
    std::set<std::string> seen;
    for (std::size_t i = 0; i < g.variants.size(); ++i) {
      const Variant& v = g.variants[i];
      EXPECT_TRUE(is_valid_dns(v.domain)) << d << " -> '" << v.domain << "'";
      EXPECT_TRUE(seen.insert(v.domain).second) << d << " -> duplicate " << v.domain;
      EXPECT_NE(v.domain, d);
      EXPECT_FALSE(v.unicode.empty());
      if (i > 0) {
        const Variant& p = g.variants[i - 1];
        EXPECT_TRUE(p.technique < v.technique ||
                    (p.technique == v.technique && p.domain < v.domain))
            << d << ": " << p.domain << " before " << v.domain;
      }
    }
  }
}

TEST(Generate, MaxVariantsTruncatesAndSaysSo) {
  const Generated full = generate_ok("example.com");
  ASSERT_GT(full.variants.size(), 100u);
  EXPECT_FALSE(full.truncated);

  GenerateOptions small;
  small.max_variants = 25;
  const Generated cut = generate_ok("example.com", small);
  EXPECT_TRUE(cut.truncated);
  ASSERT_EQ(cut.variants.size(), 25u);
  for (std::size_t i = 0; i < cut.variants.size(); ++i) {
    EXPECT_EQ(cut.variants[i].domain, full.variants[i].domain);  // a prefix of the full list
  }

  GenerateOptions exact;
  exact.max_variants = full.variants.size();
  const Generated all = generate_ok("example.com", exact);
  EXPECT_FALSE(all.truncated);
  EXPECT_EQ(all.variants.size(), full.variants.size());

  GenerateOptions none;
  none.max_variants = 0;
  const Generated zero = generate_ok("example.com", none);
  EXPECT_TRUE(zero.truncated);
  EXPECT_TRUE(zero.variants.empty());
}

// ---- Round trip: classify() recognises every variant generate() produces ----

// Techniques a classifier may legitimately report instead of the generator's, because the two
// edits produce the very same string. Each is limited to the variants where that is the case.
struct Equivalence {
  Technique generated;
  Technique accepted;
  bool (*applies)(std::string_view variant, std::string_view original);
};

std::string without_hyphens(std::string_view s) {
  std::string out;
  for (const char c : s) {
    if (c != '-') out.push_back(c);
  }
  return out;
}
bool differ_only_in_hyphens(std::string_view variant, std::string_view original) {
  return without_hyphens(variant) == without_hyphens(original);
}

const std::array<Equivalence, 2> kEquivalences{{
    // Omitting the hyphen ("a-company" → "acompany") is removing a hyphen: hyphenation.
    {Technique::kOmission, Technique::kHyphenation, differ_only_in_hyphens},
    // Swapping a hyphen with a letter ("a-company" → "ac-ompany") moves the hyphen: hyphenation.
    {Technique::kTransposition, Technique::kHyphenation, differ_only_in_hyphens},
}};

bool accepted(const Variant& v, std::string_view original, const std::vector<Technique>& reported) {
  const auto has = [&](Technique t) {
    return std::find(reported.begin(), reported.end(), t) != reported.end();
  };
  if (has(v.technique)) return true;
  return std::any_of(kEquivalences.begin(), kEquivalences.end(), [&](const Equivalence& e) {
    return e.generated == v.technique && has(e.accepted) && e.applies(v.domain, original);
  });
}

std::string techniques_of(const std::vector<Technique>& ts) {
  std::string out;
  for (const auto t : ts) out += (out.empty() ? "" : ",") + std::string(technique_id(t));
  return out;
}

TEST(GenerateRoundTrip, ClassifyRecognisesEveryVariant) {
  // The seeds' domains, well-known brands, one per common suffix shape and an IDN. Names of fewer
  // than five characters are left out: classify() deliberately ignores edits of such short names.
  const std::vector<std::string_view> protected_domains{
      "example-mfg.co.jp", "a-company.co.jp",  "b-companys.com.cc", "microsoft.com",
      "amazon.co.jp",      "smbc-card.com",    "rakuten.co.jp",     "paypal.com",
      "docomo.ne.jp",      "mizuhobank.co.jp", "cloudworks.com",    "modern-games.net",
      "wave-tokyo.jp",     "nttdata.com",      "7eleven.co.jp",     "acmecorp.com.tw",
      "bücher.de",
  };

  struct Misses {
    std::size_t total = 0;
    std::size_t missed = 0;
    std::vector<std::string> examples;
  };
  std::map<std::string, Misses> by_technique;  // technique id -> counts
  constexpr std::size_t kExamplesPerTechnique = 6;

  for (const auto original : protected_domains) {
    const Generated g = generate_ok(original);
    for (const auto& v : g.variants) {
      Misses& m = by_technique[std::string(technique_id(v.technique))];
      ++m.total;
      const auto match = classify(v.domain, original);
      std::string why;
      if (!match) {
        why = "no match";
      } else if (organizational_domain(match->lookalike_of) != organizational_domain(original)) {
        why = "lookalike_of " + match->lookalike_of;
      } else if (!accepted(v, original, match->techniques)) {
        why = "reported " + techniques_of(match->techniques);
      } else {
        continue;
      }
      ++m.missed;
      if (m.examples.size() < kExamplesPerTechnique) {
        m.examples.push_back(v.unicode + " (of " + std::string(original) + "): " + why);
      }
    }
  }

  std::ostringstream table;
  std::size_t missed = 0;
  for (const auto& [id, m] : by_technique) {
    table << "  " << id << ": " << m.missed << "/" << m.total << " missed\n";
    missed += m.missed;
  }
  std::cout << "round trip, misses per technique:\n" << table.str();
  for (const auto& [id, m] : by_technique) {
    if (m.missed == 0) continue;
    std::ostringstream ex;
    for (const auto& e : m.examples) ex << "\n    " << e;
    ADD_FAILURE() << id << ": classify missed " << m.missed << " of " << m.total
                  << " variants, e.g." << ex.str();
  }
  EXPECT_EQ(missed, 0u);
}

}  // namespace
}  // namespace renkei::lookalike
