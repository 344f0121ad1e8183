// The decision the hub proposes for a submission in the triage queue (lib/hub/triage).
#include <gtest/gtest.h>

#include "hub/triage.hpp"

namespace renkei::hub {
namespace {

using model::TriageState;

model::TriageItem mail(std::string verdict, std::string targeting) {
  model::TriageItem t;
  t.kind = "email";
  t.status = "analysed";
  t.verdict = std::move(verdict);
  t.targeting = std::move(targeting);
  return t;
}

TEST(Triage, TargetedAttacksAreSharedMassMailAndSpamAreNot) {
  auto bec = mail("bec", "targeted");
  bec.bec_type = 2;
  bec.campaign_organizations = 3;
  const auto p = propose(bec);
  EXPECT_EQ(p.decision, TriageState::kShare);
  EXPECT_NE(p.why_en.find("reported by 3 organisations"), std::string::npos) << p.why_en;
  EXPECT_NE(p.why_ja.find("ビジネスメール詐欺"), std::string::npos);

  const auto mass = propose(mail("malware", "mass"));
  EXPECT_EQ(mass.decision, TriageState::kNotShared);
  EXPECT_EQ(mass.reason, "mass_mailed");
  EXPECT_NE(mass.why_ja.find("情報共有対象としない"), std::string::npos);
  EXPECT_EQ(propose(mail("spam", "unknown")).reason, "mass_mailed");
  EXPECT_EQ(propose(mail("benign", "unknown")).reason, "not_an_attack");
  EXPECT_EQ(propose(mail("unknown", "unknown")).decision, TriageState::kPending);
}

TEST(Triage, TheAnalystsVerdictWinsOverTheEngines) {
  auto t = mail("benign", "unknown");
  t.override_verdict.klass = "phishing";
  t.override_verdict.targeting = "targeted";
  EXPECT_EQ(propose(t).decision, TriageState::kShare);
}

TEST(Triage, EquivalentReportsFollowTheirCampaignsDecision) {
  auto t = mail("bec", "targeted");
  t.campaign_id = 7;
  t.campaign_name = "Cosmic Lynx";
  t.campaign_decision = "share";
  const auto p = propose(t);
  EXPECT_EQ(p.decision, TriageState::kShare);
  EXPECT_NE(p.why_en.find("Cosmic Lynx"), std::string::npos);
  t.campaign_decision = "not_shared:duplicate";
  EXPECT_EQ(propose(t).decision, TriageState::kNotShared);
  EXPECT_EQ(propose(t).reason, "duplicate");
}

TEST(Triage, FailedAnalysesAndConsultationsGoToAnAnalyst) {
  auto failed = mail("", "");
  failed.status = "failed";
  EXPECT_EQ(propose(failed).decision, TriageState::kPending);
  model::TriageItem consultation;
  consultation.kind = "consultation";
  consultation.status = "analysed";
  EXPECT_EQ(propose(consultation).decision, TriageState::kPending);
  model::TriageItem incident;
  incident.kind = "incident";
  incident.status = "analysed";
  incident.indicators = 4;
  EXPECT_EQ(propose(incident).decision, TriageState::kShare);
}

}  // namespace
}  // namespace renkei::hub
