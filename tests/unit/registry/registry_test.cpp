// Registry: the TOML format of SPEC 5, its errors, and the lookups built on it.
#include "registry/registry.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>

namespace renkei::registry {
namespace {

// The example of SPEC 5, verbatim.
constexpr std::string_view kSpecExample = R"(
[[organization]]
name = "Example Manufacturing"
name_ja = "例示製造"
industry = "manufacturing"
domains = ["example-mfg.co.jp"]
partner_domains = ["b-companys.com.cc"]

[[organization.vip]]
name = "Taro Yamada"
name_ja = "山田太郎"
title = "CEO"
addresses = ["t.yamada@example-mfg.co.jp"]
)";

Registry must_load(std::string_view toml) {
  auto r = Registry::load_toml_string(toml, "test.toml");
  EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().to_string());
  return r ? std::move(*r) : Registry{};
}

Error must_fail(std::string_view toml) {
  auto r = Registry::load_toml_string(toml, "test.toml");
  EXPECT_FALSE(r.has_value()) << "expected an error for:\n" << toml;
  return r ? Error{} : r.error();
}

// A file in the temp directory, removed when the test ends.
class TempFile {
 public:
  explicit TempFile(std::string_view content) {
    const auto stamp = std::chrono::steady_clock::now().time_since_epoch().count();
    path_ = std::filesystem::temp_directory_path() /
            ("renkei_registry_test_" + std::to_string(stamp) + ".toml");
    std::ofstream(path_, std::ios::binary) << content;
  }
  ~TempFile() {
    std::error_code ec;
    std::filesystem::remove(path_, ec);
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

TEST(RegistryToml, LoadsTheSpecExample) {
  const Registry reg = must_load(kSpecExample);
  ASSERT_EQ(reg.organizations().size(), 1u);
  const Organization& org = reg.organizations()[0];
  EXPECT_EQ(org.name, "Example Manufacturing");
  EXPECT_EQ(org.name_ja, "例示製造");
  EXPECT_EQ(org.industry, "manufacturing");
  EXPECT_EQ(org.domains, std::vector<std::string>{"example-mfg.co.jp"});
  EXPECT_EQ(org.partner_domains, std::vector<std::string>{"b-companys.com.cc"});
  ASSERT_EQ(org.vips.size(), 1u);
  EXPECT_EQ(org.vips[0].name, "Taro Yamada");
  EXPECT_EQ(org.vips[0].name_ja, "山田太郎");
  EXPECT_EQ(org.vips[0].title, "CEO");
  EXPECT_EQ(org.vips[0].addresses, std::vector<std::string>{"t.yamada@example-mfg.co.jp"});
  EXPECT_EQ(reg.protected_domains(),
            (std::vector<std::string>{"example-mfg.co.jp", "b-companys.com.cc"}));
}

TEST(RegistryToml, EmptyFileIsAnEmptyRegistry) {
  const Registry reg = must_load("# nothing yet\n");
  EXPECT_TRUE(reg.empty());
  EXPECT_EQ(reg.owner_of("example.com"), nullptr);
  EXPECT_FALSE(reg.is_protected("example.com"));
}

TEST(RegistryToml, NormalizesDomainsAndAddresses) {
  const Registry reg = must_load(R"(
[[organization]]
name = "Mixed"
domains = ["Example-MFG.CO.JP.", " example-mfg.co.jp ", "例え.jp"]
partner_domains = ["B-Company.co.jp"]
[[organization.vip]]
name_ja = "山田太郎"
addresses = ["T.Yamada@Example-MFG.co.jp", "ceo@例え.jp"]
)");
  ASSERT_EQ(reg.organizations().size(), 1u);
  const Organization& org = reg.organizations()[0];
  // Deduplicated, lowercased, trailing dot gone, IDN in ASCII form.
  EXPECT_EQ(org.domains, (std::vector<std::string>{"example-mfg.co.jp", "xn--r8jz45g.jp"}));
  EXPECT_EQ(org.partner_domains, std::vector<std::string>{"b-company.co.jp"});
  EXPECT_EQ(org.vips[0].addresses,
            (std::vector<std::string>{"t.yamada@example-mfg.co.jp", "ceo@xn--r8jz45g.jp"}));
  // Lookups accept either form of the IDN.
  EXPECT_EQ(reg.owner_of("例え.jp"), &org);
  EXPECT_EQ(reg.owner_of("mail.xn--r8jz45g.jp"), &org);
  EXPECT_TRUE(reg.is_vip_address("CEO@例え.JP"));
}

TEST(RegistryToml, AuthservIdsAreOptionalAndNamedOnce) {
  const Registry none = must_load(R"(
[[organization]]
name = "A"
domains = ["a.example.com"]
)");
  EXPECT_FALSE(none.has_authserv_ids());
  EXPECT_FALSE(none.is_own_authserv_id("mx.a.example.com"));
  const Registry reg = must_load(R"(
[[organization]]
name = "A"
domains = ["a.example.com"]
authserv_ids = ["MX.A.Example.com", "mx.a.example.com"]
)");
  EXPECT_TRUE(reg.has_authserv_ids());
  EXPECT_EQ(reg.organizations()[0].authserv_ids, std::vector<std::string>{"mx.a.example.com"});
  EXPECT_TRUE(reg.is_own_authserv_id("mx.A.example.COM"));
  // Exactly the named id: a list server in the same domain family is not the boundary.
  EXPECT_FALSE(reg.is_own_authserv_id("lists.a.example.com"));
  EXPECT_FALSE(reg.is_own_authserv_id(""));
}

TEST(RegistryToml, SyntaxErrorNamesFileLineAndColumn) {
  const Error e = must_fail("[[organization]]\nname = \"A\"\ndomains = [\"a.example.com\"\n");
  EXPECT_EQ(e.code, Errc::kParse);
  EXPECT_NE(e.message.find("test.toml:"), std::string::npos) << e.message;
  // toml++ reports the end of the unterminated array: the end of line 3.
  EXPECT_NE(e.message.find("test.toml:3:"), std::string::npos) << e.message;
  EXPECT_NE(e.message.find("array"), std::string::npos) << e.message;
  EXPECT_FALSE(e.hint.empty());
}

TEST(RegistryToml, UnknownKeyIsNamedWithLineAndValidKeys) {
  const Error e = must_fail(R"([[organization]]
name = "A"
domain = ["a.example.com"]
)");
  EXPECT_EQ(e.code, Errc::kInvalidArgument);
  EXPECT_NE(e.message.find("test.toml:3:"), std::string::npos) << e.message;
  EXPECT_NE(e.message.find("'domain'"), std::string::npos) << e.message;
  EXPECT_NE(e.hint.find("did you mean 'domains'"), std::string::npos) << e.hint;
  EXPECT_NE(e.hint.find("partner_domains"), std::string::npos) << e.hint;
}

TEST(RegistryToml, UnknownVipKeyAndTopLevelKey) {
  Error e = must_fail(R"([[organization]]
name = "A"
domains = ["a.example.com"]
[[organization.vip]]
name = "Taro"
adresses = ["t@a.example.com"]
)");
  EXPECT_NE(e.message.find("test.toml:6:"), std::string::npos) << e.message;
  EXPECT_NE(e.hint.find("did you mean 'addresses'"), std::string::npos) << e.hint;

  e = must_fail("organisation = 1\n");
  EXPECT_NE(e.message.find("'organisation'"), std::string::npos) << e.message;
  EXPECT_NE(e.hint.find("organization"), std::string::npos) << e.hint;
}

TEST(RegistryToml, OrganizationNeedsNameAndDomain) {
  Error e = must_fail("[[organization]]\ndomains = [\"a.example.com\"]\n");
  EXPECT_EQ(e.code, Errc::kInvalidArgument);
  EXPECT_NE(e.message.find("needs a name"), std::string::npos) << e.message;
  EXPECT_NE(e.message.find("test.toml:1:"), std::string::npos) << e.message;
  EXPECT_FALSE(e.hint.empty());

  e = must_fail("[[organization]]\nname = \"No Domains\"\n");
  EXPECT_NE(e.message.find("no domains"), std::string::npos) << e.message;
  EXPECT_NE(e.hint.find("domains = ["), std::string::npos) << e.hint;

  e = must_fail("[[organization]]\nname = \"Empty\"\ndomains = []\n");
  EXPECT_NE(e.message.find("no domains"), std::string::npos) << e.message;
}

TEST(RegistryToml, WrongTypesAreErrors) {
  Error e = must_fail("[[organization]]\nname = 42\ndomains = [\"a.example.com\"]\n");
  EXPECT_NE(e.message.find("test.toml:2:"), std::string::npos) << e.message;
  EXPECT_NE(e.message.find("must be a string"), std::string::npos) << e.message;

  e = must_fail("[[organization]]\nname = \"A\"\ndomains = \"a.example.com\"\n");
  EXPECT_NE(e.message.find("array of strings"), std::string::npos) << e.message;

  e = must_fail("[[organization]]\nname = \"A\"\ndomains = [\"a.example.com\", 7]\n");
  EXPECT_NE(e.message.find("only strings"), std::string::npos) << e.message;

  // Single brackets make a table, not an array of tables.
  e = must_fail("[organization]\nname = \"A\"\ndomains = [\"a.example.com\"]\n");
  EXPECT_NE(e.hint.find("[[organization]]"), std::string::npos) << e.hint;

  e = must_fail(R"([[organization]]
name = "A"
domains = ["a.example.com"]
[organization.vip]
name = "Taro"
)");
  EXPECT_NE(e.hint.find("[[organization.vip]]"), std::string::npos) << e.hint;
}

TEST(RegistryToml, InvalidDomainsAndAddressesAreErrors) {
  Error e = must_fail("[[organization]]\nname = \"A\"\ndomains = [\"https://a.example.com/\"]\n");
  EXPECT_NE(e.message.find("not a valid domain"), std::string::npos) << e.message;
  EXPECT_NE(e.message.find("test.toml:3:"), std::string::npos) << e.message;

  e = must_fail("[[organization]]\nname = \"A\"\ndomains = [\"co.jp\"]\n");
  EXPECT_NE(e.message.find("public suffix"), std::string::npos) << e.message;

  e = must_fail(R"([[organization]]
name = "A"
domains = ["a.example.com"]
[[organization.vip]]
name = "Taro"
addresses = ["not an address"]
)");
  EXPECT_NE(e.message.find("not an e-mail address"), std::string::npos) << e.message;
  EXPECT_NE(e.message.find("test.toml:6:"), std::string::npos) << e.message;

  e = must_fail(R"([[organization]]
name = "A"
domains = ["a.example.com"]
[[organization.vip]]
title = "CEO"
)");
  EXPECT_NE(e.message.find("VIP needs a name"), std::string::npos) << e.message;
}

TEST(RegistryToml, DomainWithTwoOwnersIsAnError) {
  const Error e = must_fail(R"([[organization]]
name = "A"
domains = ["shared.example.com"]
[[organization]]
name = "B"
domains = ["Shared.Example.com"]
)");
  EXPECT_NE(e.message.find("already belongs to organization 'A'"), std::string::npos) << e.message;
  EXPECT_NE(e.message.find("test.toml:4:"), std::string::npos) << e.message;
}

TEST(RegistryToml, ErrorsWithoutSourceNameStillSayWhere) {
  auto r = Registry::load_toml_string("[[organization]]\nname = \"A\"\nbogus = 1\n", "");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().message.rfind("<registry>:3:", 0), 0u) << r.error().message;
}

TEST(RegistryToml, HostileInputIsAnErrorNotACrash) {
  // Invalid UTF-8, NUL bytes and deep nesting come back as errors.
  EXPECT_FALSE(Registry::load_toml_string("name = \"\xff\xfe\"\n", "x").has_value());
  EXPECT_FALSE(Registry::load_toml_string(std::string_view("a = \"\0\"\n", 8), "x").has_value());
  EXPECT_FALSE(Registry::load_toml_string(std::string(5000, '[') + "x", "x").has_value());
}

TEST(RegistryFile, MissingFileIsNotFoundWithRegistryHint) {
  auto r = Registry::load_toml_file("/nonexistent/dir/registry.toml");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, Errc::kNotFound);
  EXPECT_NE(r.error().message.find("/nonexistent/dir/registry.toml"), std::string::npos);
  EXPECT_EQ(r.error().hint, "check the path given to --registry");
}

TEST(RegistryFile, LoadsFileAndErrorsNameThePath) {
  {
    const TempFile f(kSpecExample);
    auto r = Registry::load_toml_file(f.path());
    ASSERT_TRUE(r.has_value()) << r.error().to_string();
    EXPECT_EQ(r->organizations().size(), 1u);
  }
  {
    const TempFile f("[[organization]]\nname = \"A\"\nbogus = 1\n");
    auto r = Registry::load_toml_file(f.path());
    ASSERT_FALSE(r.has_value());
    EXPECT_NE(r.error().message.find(f.path() + ":3:"), std::string::npos) << r.error().message;
  }
}

TEST(RegistryFile, DirectoryIsNotARegistry) {
  auto r = Registry::load_toml_file(std::filesystem::temp_directory_path().string());
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, Errc::kInvalidArgument);
}

class RegistryLookup : public ::testing::Test {
 protected:
  void SetUp() override {
    reg_ = must_load(R"(
[[organization]]
name = "Example Manufacturing"
domains = ["example-mfg.co.jp", "example-mfg.com"]
partner_domains = ["b-companys.com.cc", "partner.example"]
[[organization.vip]]
name = "Taro Yamada"
title = "CEO"
addresses = ["t.yamada@example-mfg.co.jp"]

[[organization]]
name = "A Company"
domains = ["a-company.co.jp", "mail.a-group.com"]
[[organization.vip]]
name = "Hanako Suzuki"
title = "CFO"
addresses = ["h.suzuki@a-company.co.jp", "hanako@a-group.com"]
)");
  }
  Registry reg_;
};

TEST_F(RegistryLookup, OwnerOfMatchesDomainAndSubdomains) {
  ASSERT_EQ(reg_.organizations().size(), 2u);
  const Organization* mfg = &reg_.organizations()[0];
  const Organization* a = &reg_.organizations()[1];
  EXPECT_EQ(reg_.owner_of("example-mfg.co.jp"), mfg);
  EXPECT_EQ(reg_.owner_of("mail.example-mfg.co.jp"), mfg);
  EXPECT_EQ(reg_.owner_of("a.b.c.example-mfg.com"), mfg);
  EXPECT_EQ(reg_.owner_of("EXAMPLE-MFG.CO.JP."), mfg);
  EXPECT_EQ(reg_.owner_of("a-company.co.jp"), a);
  // A registered subdomain owns itself and below, not its parent.
  EXPECT_EQ(reg_.owner_of("mail.a-group.com"), a);
  EXPECT_EQ(reg_.owner_of("smtp.mail.a-group.com"), a);
  EXPECT_EQ(reg_.owner_of("a-group.com"), nullptr);
  // Lookalikes and partners are not owned.
  EXPECT_EQ(reg_.owner_of("example-mfg-jp.co"), nullptr);
  EXPECT_EQ(reg_.owner_of("xexample-mfg.co.jp"), nullptr);
  EXPECT_EQ(reg_.owner_of("b-companys.com.cc"), nullptr);
  EXPECT_EQ(reg_.owner_of("co.jp"), nullptr);
  EXPECT_EQ(reg_.owner_of(""), nullptr);
}

TEST_F(RegistryLookup, IsProtectedCoversMembersAndPartners) {
  EXPECT_TRUE(reg_.is_protected("example-mfg.co.jp"));
  EXPECT_TRUE(reg_.is_protected("www.example-mfg.com"));
  EXPECT_TRUE(reg_.is_protected("b-companys.com.cc"));
  EXPECT_TRUE(reg_.is_protected("mail.B-Companys.com.cc"));
  EXPECT_TRUE(reg_.is_protected("partner.example"));
  // The lookalikes of SPEC 4.1 are not protected.
  EXPECT_FALSE(reg_.is_protected("b-companys-cc.com"));
  EXPECT_FALSE(reg_.is_protected("com.cc"));
  EXPECT_FALSE(reg_.is_protected("a-compeny.co.jp"));
  EXPECT_FALSE(reg_.is_protected("example"));
}

TEST_F(RegistryLookup, IsVipAddress) {
  EXPECT_TRUE(reg_.is_vip_address("t.yamada@example-mfg.co.jp"));
  EXPECT_TRUE(reg_.is_vip_address("T.Yamada@Example-MFG.co.jp"));
  EXPECT_TRUE(reg_.is_vip_address("<hanako@a-group.com>"));
  EXPECT_FALSE(reg_.is_vip_address("t.yamada@example-mfg-jp.co"));
  EXPECT_FALSE(reg_.is_vip_address("t.yamada.example-mfg.co.jp@mail.com"));
  EXPECT_FALSE(reg_.is_vip_address("t.yamada"));
  EXPECT_FALSE(reg_.is_vip_address(""));
}

TEST(RegistryCode, ConstructorNormalizesAndSkipsPublicSuffixes) {
  Organization org;
  org.name = "Built in code";
  org.domains = {"Example.COM.", "co.jp"};
  org.partner_domains = {"パートナー.jp"};
  org.vips.push_back(Vip{"Boss", "", "CEO", {"Boss@Example.com"}});
  const Registry reg({org});
  EXPECT_EQ(reg.organizations()[0].domains, (std::vector<std::string>{"example.com", "co.jp"}));
  EXPECT_NE(reg.owner_of("www.example.com"), nullptr);
  // "co.jp" is kept as given but never indexed: it would make every .co.jp name protected.
  EXPECT_EQ(reg.owner_of("other.co.jp"), nullptr);
  EXPECT_TRUE(reg.is_protected("xn--fdket6oc.jp"));
  EXPECT_TRUE(reg.is_vip_address("boss@example.com"));
}

TEST(RegistryScale, TensOfThousandsOfOrganizations) {
  std::string toml;
  constexpr int kOrgs = 20000;
  for (int i = 0; i < kOrgs; ++i) {
    toml += "[[organization]]\nname = \"Org " + std::to_string(i) + "\"\ndomains = [\"org" +
            std::to_string(i) + ".example.co.jp\"]\n[[organization.vip]]\nname = \"CEO " +
            std::to_string(i) + "\"\naddresses = [\"ceo@org" + std::to_string(i) +
            ".example.co.jp\"]\n";
  }
  const Registry reg = must_load(toml);
  ASSERT_EQ(reg.organizations().size(), static_cast<std::size_t>(kOrgs));
  EXPECT_EQ(reg.owner_of("mail.org12345.example.co.jp"), &reg.organizations()[12345]);
  EXPECT_TRUE(reg.is_vip_address("ceo@org19999.example.co.jp"));
  EXPECT_EQ(reg.protected_domains().size(), static_cast<std::size_t>(kOrgs));
}

}  // namespace
}  // namespace renkei::registry
