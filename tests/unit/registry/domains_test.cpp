// Domain helpers: registrable domain / public suffix (libpsl) and IDN (libidn2).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "registry/registry.hpp"

namespace renkei::registry {
namespace {

TEST(RegistrableDomain, JapaneseSecondLevel) {
  EXPECT_EQ(registrable_domain("mail.b-company.co.jp"), "b-company.co.jp");
  EXPECT_EQ(registrable_domain("b-company.co.jp"), "b-company.co.jp");
  EXPECT_EQ(registrable_domain("MAIL.B-Company.CO.JP."), "b-company.co.jp");
  EXPECT_EQ(registrable_domain("a.b.c.example-mfg.ac.jp"), "example-mfg.ac.jp");
  EXPECT_EQ(public_suffix("b-company.co.jp"), "co.jp");
}

// The seeds' lookalike of b-companys-cc.com. "com.cc" is not on the PSL (Debian's list of
// 2023-02; "cc" is), so the registrable domain of the lookalike is "com.cc" itself: lookalike
// checks must compare whole host names, not only registrable domains.
TEST(RegistrableDomain, ComCcIsNotAPublicSuffix) {
  EXPECT_EQ(public_suffix("b-companys.com.cc"), "cc");
  EXPECT_EQ(registrable_domain("b-companys.com.cc"), "com.cc");
  EXPECT_TRUE(has_known_suffix("b-companys.com.cc"));
  EXPECT_EQ(registrable_domain("b-companys-cc.com"), "b-companys-cc.com");
}

TEST(RegistrableDomain, UnknownTldUsesLastTwoLabels) {
  EXPECT_EQ(registrable_domain("a.b.corp.internal-test"), "corp.internal-test");
  EXPECT_EQ(public_suffix("a.b.corp.internal-test"), "internal-test");
  EXPECT_FALSE(has_known_suffix("a.b.corp.internal-test"));
  EXPECT_FALSE(has_known_suffix("foo.example"));
  EXPECT_TRUE(has_known_suffix("foo.example.com"));
  EXPECT_TRUE(has_known_suffix("foo.blogspot.com"));  // private-section suffix
}

TEST(RegistrableDomain, IpLiteralsAndOddInputAreReturnedAsIs) {
  EXPECT_EQ(registrable_domain("192.168.0.1"), "192.168.0.1");
  EXPECT_EQ(registrable_domain("[192.168.0.1]"), "[192.168.0.1]");
  EXPECT_EQ(registrable_domain("[IPv6:2001:DB8::1]"), "[ipv6:2001:db8::1]");
  EXPECT_EQ(registrable_domain("2001:db8::1"), "2001:db8::1");
  EXPECT_EQ(public_suffix("192.168.0.1"), "");
  EXPECT_FALSE(has_known_suffix("192.168.0.1"));
  EXPECT_EQ(registrable_domain(""), "");
  EXPECT_EQ(registrable_domain("co.jp"), "co.jp");  // a public suffix has no registrable part
  EXPECT_EQ(registrable_domain(".example.com"), ".example.com");
  EXPECT_EQ(registrable_domain("a..example.com"), "a..example.com");
  EXPECT_EQ(public_suffix("a..example.com"), "");
  const std::string long_host = std::string(300, 'a') + ".com";
  EXPECT_EQ(registrable_domain(long_host), long_host);
}

TEST(RegistrableDomain, IdnIsAnsweredInAsciiForm) {
  EXPECT_EQ(registrable_domain("www.食狮.com.cn"), "xn--85x722f.com.cn");
  EXPECT_EQ(registrable_domain("www.xn--85x722f.com.cn"), "xn--85x722f.com.cn");
  EXPECT_EQ(registrable_domain("mail.аpple.com"), "xn--pple-43d.com");
  EXPECT_EQ(public_suffix("食狮.公司.cn"), "xn--55qx5d.cn");
}

TEST(Idn, CyrillicHomographRoundTrip) {
  // "аpple.com" with U+0430 CYRILLIC SMALL LETTER A.
  const std::string cyrillic = "\xD0\xB0pple.com";
  EXPECT_EQ(idn_to_ascii(cyrillic), "xn--pple-43d.com");
  EXPECT_EQ(idn_to_unicode("xn--pple-43d.com"), cyrillic);
  EXPECT_EQ(idn_to_unicode("XN--PPLE-43D.COM"), cyrillic);
  EXPECT_NE(idn_to_unicode("xn--pple-43d.com"), "apple.com");
}

TEST(Idn, JapaneseAndUppercase) {
  EXPECT_EQ(idn_to_ascii("例え.jp"), "xn--r8jz45g.jp");
  EXPECT_EQ(idn_to_unicode("xn--r8jz45g.jp"), "例え.jp");
  EXPECT_EQ(idn_to_ascii("ДОМЕН.РФ"), "xn--d1acufc.xn--p1ai");  // UTS #46 maps case
  EXPECT_EQ(idn_to_ascii("Example.COM"), "example.com");
  EXPECT_EQ(idn_to_ascii("faß.de"), "xn--fa-hia.de");  // non-transitional keeps ß
}

TEST(Idn, TransitionalFallbackForEmoji) {
  EXPECT_EQ(idn_to_ascii("i\xE2\x9D\xA4.ws"), "xn--i-7iq.ws");
  EXPECT_EQ(idn_to_unicode("xn--i-7iq.ws"), "i\xE2\x9D\xA4.ws");
}

TEST(Idn, InvalidInputIsReturnedOrEmpty) {
  EXPECT_EQ(idn_to_unicode("example.com"), "example.com");
  EXPECT_EQ(idn_to_unicode("xn--zz.com"), "xn--zz.com");   // not valid punycode
  EXPECT_EQ(idn_to_unicode("xn--a.com"), "xn--a.com");     // decodes to an empty label
  EXPECT_EQ(idn_to_ascii("\xff\xfe.com"), "");             // not UTF-8
  EXPECT_EQ(idn_to_ascii(std::string(2000, '\xe3')), "");  // beyond the length limit
}

// Mozilla's PSL test vectors (../shared/data/lists/psl_test_vectors.txt):
//   checkPublicSuffix('input', 'expected');   expected null: no registrable domain.
struct Vector {
  int line;
  std::string input;
  std::optional<std::string> expected;
};

std::vector<Vector> read_vectors(const std::string& path) {
  std::vector<Vector> out;
  std::ifstream in(path);
  const std::regex re(R"(^checkPublicSuffix\((null|'([^']*)'),\s*(null|'([^']*)')\);)");
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    std::smatch m;
    if (!std::regex_search(line, m, re)) continue;
    if (m[1] == "null") continue;  // our API takes a string; null input has no equivalent
    Vector v{n, m[2].str(), std::nullopt};
    if (m[3] != "null") v.expected = m[4].str();
    out.push_back(std::move(v));
  }
  return out;
}

TEST(PslTestVectors, AgreeWithMozillaVectors) {
  const std::string path = std::string(RENKEI_SHARED_DATA) + "/lists/psl_test_vectors.txt";
  if (!std::filesystem::exists(path)) {
    GTEST_SKIP() << "PSL test vectors absent (" << path << "): ../shared/data is not here";
  }
  const std::vector<Vector> vectors = read_vectors(path);
  ASSERT_GT(vectors.size(), 70u) << "the vector file's format changed";
  int agreed = 0;
  for (const Vector& v : vectors) {
    const std::string got = registrable_domain(v.input);
    if (v.expected) {
      // We answer IDN in ASCII form; compare against the expected value's ASCII form.
      const std::string want = idn_to_ascii(*v.expected);
      EXPECT_EQ(got, want) << "line " << v.line << ": " << v.input;
      agreed += got == want ? 1 : 0;
    } else {
      // No registrable domain: the (normalized) input comes back unchanged, i.e. nothing was
      // stripped to form an eTLD+1.
      std::string normalized = idn_to_ascii(v.input);
      if (normalized.empty()) normalized = v.input;
      EXPECT_EQ(got, normalized) << "line " << v.line << ": " << v.input << " has none";
      agreed += got == normalized ? 1 : 0;
    }
  }
  EXPECT_EQ(agreed, static_cast<int>(vectors.size()));
  RecordProperty("psl_vectors_agreed", agreed);
  RecordProperty("psl_vectors_total", static_cast<int>(vectors.size()));
}

}  // namespace
}  // namespace renkei::registry
