// What a participant may learn from an indicator's disposition: the analysis names another
// member's domain and name there, and both must go, while what came from the mail stays.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "hub/redact.hpp"

using namespace renkei;
using namespace renkei::hub;

namespace {

std::vector<model::Organization> community() {
  model::Organization own;
  own.id = 1;
  own.data.name = "A Company";
  own.data.domains = {"a-company.co.jp"};
  model::Organization other;
  other.id = 2;
  other.data.name = "B Companys";
  other.data.domains = {"b-companys.com.cc"};
  return {own, other};
}

model::Principal participant() {
  model::Principal p;
  p.user.id = 7;
  p.user.org_id = 1;
  p.user.role = model::Role::kSubmitter;
  p.scopes = {"read", "submit"};
  return p;
}

nlohmann::json analysis() {
  return nlohmann::json::parse(R"({"indicators": [
    {"type": "domain-name", "value": "b-companys-cc.com", "role": "from", "disposition": "attacker",
     "disposition_reason": "lookalike", "disposition_detail": "b-companys.com.cc"},
    {"type": "domain-name", "value": "b-companys.com.cc", "role": "link", "disposition": "legitimate",
     "disposition_reason": "registered_domain", "disposition_detail": "B Companys"},
    {"type": "domain-name", "value": "a-company.co.jp", "role": "link", "disposition": "legitimate",
     "disposition_reason": "registered_domain", "disposition_detail": "A Company"}]})");
}

}  // namespace

TEST(RedactIndicators, AnotherMembersNameAndDomainGoTheViewersOwnStay) {
  const auto r = AnalysisRedactor::for_viewer(participant(), community());
  nlohmann::json a = analysis();
  r.apply(a);
  const auto& i = a["indicators"];
  ASSERT_EQ(i.size(), 3u);
  // The look-alike is still the attacker's, without the domain it imitates.
  EXPECT_EQ(i[0]["disposition"], "attacker");
  EXPECT_EQ(i[0]["disposition_reason"], "lookalike");
  EXPECT_EQ(i[0]["disposition_detail"], "");
  EXPECT_EQ(i[0]["value"], "b-companys-cc.com");
  // That b-companys.com.cc is registered at all is another member's data.
  EXPECT_EQ(i[1]["disposition"], "unknown");
  EXPECT_EQ(i[1]["disposition_reason"], "redacted");
  EXPECT_EQ(i[1]["disposition_detail"], "");
  EXPECT_EQ(i[1]["value"], "b-companys.com.cc");
  // The viewer's own organisation stays named.
  EXPECT_EQ(i[2]["disposition"], "legitimate");
  EXPECT_EQ(i[2]["disposition_detail"], "A Company");
}

TEST(RedactIndicators, HubStaffSeeEverything) {
  model::Principal analyst;
  analyst.user.role = model::Role::kHubAnalyst;
  analyst.scopes = {"read", "submit"};
  const auto r = AnalysisRedactor::for_viewer(analyst, community());
  nlohmann::json a = analysis();
  r.apply(a);
  EXPECT_EQ(a, analysis());
}
