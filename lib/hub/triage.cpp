#include "hub/triage.hpp"

namespace renkei::hub {

Proposal propose(const model::TriageItem& t) {
  using model::TriageState;
  const std::string cls = !t.override_verdict.klass.empty() ? t.override_verdict.klass : t.verdict;
  const std::string tgt =
      !t.override_verdict.targeting.empty() ? t.override_verdict.targeting : t.targeting;
  const bool malicious = cls == "bec" || cls == "phishing" || cls == "malware" || cls == "scam";
  if (t.status == "failed")
    return {TriageState::kPending, "", "the analysis failed: look at the file with care",
            "解析に失敗しました。ファイルを慎重に確認してください"};
  // What analysts already decided for the same campaign: equivalent reports are folded together.
  if (t.campaign_decision == "share")
    return {TriageState::kShare, "",
            "another report of campaign \"" + t.campaign_name +
                "\" is to be shared: attach this one to the same share",
            "同じ一連の攻撃（" + t.campaign_name + "）の情報共有に集約"};
  if (t.campaign_decision.rfind("not_shared:", 0) == 0) {
    const std::string reason = t.campaign_decision.substr(11);
    return {TriageState::kNotShared, reason,
            "campaign \"" + t.campaign_name + "\" is not shared (" + reason + ")",
            "同じ一連の攻撃（" + t.campaign_name + "）は情報共有対象外（" + reason + "）"};
  }
  if (t.kind != "email") {
    if (t.kind == "consultation")
      return {TriageState::kPending, "", "a consultation: answer it, it is not a sample",
              "相談・報告です。検体ではありません"};
    if (t.indicators > 0)
      return {TriageState::kShare, "",
              "a report with " + std::to_string(t.indicators) + " indicators to share",
              "共有できる指標 " + std::to_string(t.indicators) + " 件を含む報告"};
    return {TriageState::kPending, "", "no indicator was found: read the report",
            "指標が見つかりません。報告内容を確認してください"};
  }
  if (cls == "spam")
    return {TriageState::kNotShared, "mass_mailed", "spam, mass-mailed: not shared",
            "ばらまき型の迷惑メール：情報共有対象としない"};
  if (malicious && tgt == "mass")
    return {TriageState::kNotShared, "mass_mailed",
            "mass-mailed " + cls + ": the hub does not share it",
            "ばらまき型の攻撃メール：情報共有対象としない"};
  if (cls == "benign")
    return {TriageState::kNotShared, "not_an_attack", "judged benign: not an attack",
            "攻撃ではないと判定：情報共有対象としない"};
  if (malicious) {
    std::string en = "targeted " + cls, ja = "標的型の攻撃メール";
    if (cls == "bec") {
      en = "targeted BEC" + (t.bec_type ? " (type " + std::to_string(*t.bec_type) + ")" : "");
      ja = "標的型のビジネスメール詐欺";
    }
    if (t.campaign_organizations > 1) {
      en += ", reported by " + std::to_string(t.campaign_organizations) + " organisations";
      ja += "（" + std::to_string(t.campaign_organizations) + " 組織から情報提供）";
    }
    return {TriageState::kShare, "", en + ": share", ja + "：情報共有"};
  }
  return {TriageState::kPending, "", "the engine could not decide: review it",
          "自動判定できません。確認してください"};
}

}  // namespace renkei::hub
