// The demo community (`renkei admin demo`): what a new user sees in a fresh hub.
#include "hub/demo.hpp"

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "auth/auth.hpp"

namespace renkei::hub {
namespace {

namespace fs = std::filesystem;

// J-CSIP's thirteen industry groups (SPEC 2): English and Japanese names.
constexpr std::array<std::pair<std::string_view, std::string_view>, 13> kSigs{{
    {"Electricity SIG", "電力業界SIG"},
    {"Gas SIG", "ガス業界SIG"},
    {"Chemicals SIG", "化学業界SIG"},
    {"Petroleum SIG", "石油業界SIG"},
    {"Heavy industry SIG", "重工業SIG"},
    {"Automotive SIG", "自動車業界SIG"},
    {"Resources SIG", "資源開発業界SIG"},
    {"Electronics SIG", "電機業界SIG"},
    {"Aviation SIG", "航空業界SIG"},
    {"Logistics SIG", "物流業界SIG"},
    {"Railway SIG", "鉄道業界SIG"},
    {"Credit SIG", "クレジット業界SIG"},
    {"Medical SIG", "医療業界SIG"},
}};

// Fictional members (names and domains made up for the demo), with their SIGs (indexes above).
struct DemoOrg {
  std::string_view name, name_ja, industry, domain;
  std::array<int, 3> sigs;  // -1 = none
};
constexpr std::array<DemoOrg, 24> kOrgs{{
    {"Aozora Electric Power", "青空電力", "electricity", "aozora-denryoku.co.jp", {0, -1, -1}},
    {"Hokuto Power Grid", "北斗送電", "electricity", "hokuto-grid.co.jp", {0, -1, -1}},
    {"Seto Gas", "瀬戸ガス", "gas", "seto-gas.co.jp", {1, 0, -1}},
    {"Minato Chemical", "港化学", "chemicals", "minato-chem.co.jp", {2, -1, -1}},
    {"Kiriyama Petrochemical", "霧山石化", "petroleum", "kiriyama-pc.co.jp", {3, 2, -1}},
    {"Tsubasa Heavy Industries", "翼重工", "heavy industry", "tsubasa-hi.co.jp", {4, 8, -1}},
    {"Hayate Motors", "疾風自動車", "automotive", "hayate-motors.co.jp", {5, -1, -1}},
    {"Kogane Resources", "黄金資源開発", "resources", "kogane-resources.co.jp", {6, 3, -1}},
    {"Inazuma Electronics", "稲妻電機", "electronics", "inazuma-denki.co.jp", {7, -1, -1}},
    {"Shirasagi Airlines", "白鷺航空", "aviation", "shirasagi-air.co.jp", {8, -1, -1}},
    {"Kawasemi Logistics", "翡翠物流", "logistics", "kawasemi-logi.co.jp", {9, -1, -1}},
    {"Sakura Railway", "桜鉄道", "railway", "sakura-rail.co.jp", {10, 9, -1}},
    {"Hoshizora Card", "星空カード", "credit", "hoshizora-card.co.jp", {11, -1, -1}},
    {"Yamabiko Medical Center", "山彦医療センター", "medical", "yamabiko-med.or.jp", {12, -1, -1}},
    {"Nishikaze Gas & Power", "西風ガス電力", "gas", "nishikaze-gp.co.jp", {1, 0, 3}},
    {"Asahi Fine Chemicals", "朝日精密化学", "chemicals", "asahi-finechem.co.jp", {2, 12, -1}},
    {"Mizuho Steel Works", "瑞穂製鋼", "heavy industry", "mizuho-steelworks.co.jp", {4, -1, -1}},
    {"Kazahana Auto Parts", "風花オートパーツ", "automotive", "kazahana-parts.co.jp", {5, 7, -1}},
    {"Ginga Semiconductor", "銀河半導体", "electronics", "ginga-semi.co.jp", {7, 5, -1}},
    {"Umineko Shipping", "海猫海運", "logistics", "umineko-kaiun.co.jp", {9, -1, -1}},
    {"Tokiwa Aero Engines", "常盤航空エンジン", "aviation", "tokiwa-aero.co.jp", {8, 4, -1}},
    {"Kotobuki Credit", "寿クレジット", "credit", "kotobuki-credit.co.jp", {11, -1, -1}},
    {"Hikari Hospital Group", "光病院グループ", "medical", "hikari-hospital.or.jp", {12, -1, -1}},
    {"Suzukaze Oil Terminal", "涼風石油ターミナル", "petroleum", "suzukaze-oil.co.jp", {3, -1, -1}},
}};

// Dates members joined (the later ones show membership growing through the quarters).
constexpr std::array<std::string_view, 6> kJoined{"2019-04-01", "2019-10-01", "2020-04-01",
                                                  "2020-07-01", "2025-10-01", "2026-07-01"};

constexpr std::array<std::string_view, 4> kChannels{"web", "api", "cli", "mailbox"};
constexpr std::array<model::Disclosure, 3> kDisclosures{
    model::Disclosure::kAnonymised, model::Disclosure::kWithName, model::Disclosure::kNotShared};

// Reports that are not mail (SPEC 3 step 1), written like participants write them.
struct DemoReport {
  model::SubmissionKind kind;
  std::string_view category, text;
};
constexpr std::array<DemoReport, 8> kReports{{
    {model::SubmissionKind::kCommunication, "",
     "不審な通信を検知しました。社内端末から 203.0.113.45:443 および "
     "hxxps://update-check[.]example-cdn.net/api への定期的な通信。"},
    {model::SubmissionKind::kIncident, "unauthorized_access",
     "PostgreSQL server exposed to the internet was exploited via CVE-2019-9193; a coin miner was "
     "installed and SSH brute force "
     "against 198.51.100.23 followed over the VPN."},
    {model::SubmissionKind::kMalware, "malware",
     "Attachment of a suspicious mail, SHA-256 "
     "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08, "
     "contacted 192.0.2.77."},
    {model::SubmissionKind::kFakeSite, "phishing",
     "A reverse-proxy copy of our corporate site is served at hxxps://aozora-denryoku-co[.]jp/ "
     "(note the hyphen)."},
    {model::SubmissionKind::kConsultation, "bec",
     "取引先から振込先口座の変更依頼メールが届きました。電話で確認すべきでしょうか。"},
    {model::SubmissionKind::kConsultation, "phishing",
     "Staff received SMS messages imitating our card brand; is this a known campaign?"},
    {model::SubmissionKind::kConsultation, "vulnerability",
     "VPN 装置の脆弱性について、他社での悪用状況を知りたい。"},
    {model::SubmissionKind::kConsultation, "other",
     "海外拠点へのなりすましメールの報告方法について相談です。"},
}};

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

}  // namespace

Result<DemoSummary> load_demo(store::Store& st, const DemoOptions& opt) {
  DemoSummary out;
  RENKEI_TRY(existing, st.organizations());
  if (std::any_of(existing.begin(), existing.end(),
                  [](const model::Organization& o) { return !o.is_hub; }))
    return make_error(
        Errc::kConflict, "this hub has organisations already",
        "the demo community goes into a new data directory; this one is left as it is");

  // The hub itself and its admin, unless bootstrapped already.
  std::int64_t hub_id = 0;
  for (const auto& o : existing)
    if (o.is_hub) hub_id = o.id;
  if (hub_id == 0) {
    model::Organization hub;
    hub.is_hub = true;
    hub.data.name = "Information hub";
    hub.data.name_ja = "情報ハブ";
    RENKEI_TRY(id, st.create_organization(hub));
    hub_id = id;
  }
  auto add_user = [&](std::optional<std::int64_t> org, const std::string& login,
                      const std::string& display, model::Role role) -> Result<void> {
    DemoAccount acc{login, display, std::string(model::role_id(role)), auth::new_password(), ""};
    RENKEI_TRY(uid, st.create_user({org, login, display, role, acc.password}));
    RENKEI_TRY(tok, st.create_token(uid, "demo", {}));
    acc.token = tok.secret;
    out.accounts.push_back(std::move(acc));
    return {};
  };
  RENKEI_TRY(users, st.users());
  if (std::none_of(users.begin(), users.end(),
                   [](const model::User& u) { return u.role == model::Role::kHubAdmin; })) {
    if (auto r = add_user(hub_id, "admin", "Hub administrator", model::Role::kHubAdmin); !r)
      return tl::unexpected(r.error());
  }
  if (auto r = add_user(hub_id, "analyst", "ハブ分析者 (hub analyst)", model::Role::kHubAnalyst);
      !r)
    return tl::unexpected(r.error());

  // SIGs.
  std::vector<std::int64_t> sig_ids;
  for (const auto& [name, name_ja] : kSigs) {
    RENKEI_TRY(id, st.create_sig(name, name_ja));
    sig_ids.push_back(id);
  }

  // The seed reports' organisations (with their executives and partners) from the registry file,
  // then the fictional members.
  std::vector<std::int64_t> orgs;
  if (!opt.registry_path.empty()) {
    RENKEI_TRY(reg, registry::Registry::load_toml_file(opt.registry_path));
    for (const auto& o : reg.organizations()) {
      model::Organization so;
      so.data = o;
      RENKEI_TRY(id, st.create_organization(so));
      orgs.push_back(id);
      if (auto r = st.add_membership({sig_ids[orgs.size() % sig_ids.size()], id, "2020-04-01", ""});
          !r)
        return tl::unexpected(r.error());
    }
  }
  for (std::size_t i = 0; i < kOrgs.size(); ++i) {
    const DemoOrg& d = kOrgs[i];
    model::Organization so;
    so.data.name = std::string(d.name);
    so.data.name_ja = std::string(d.name_ja);
    so.data.industry = std::string(d.industry);
    so.data.domains = {std::string(d.domain)};
    so.data.partner_domains = {std::string(kOrgs[(i + 5) % kOrgs.size()].domain)};
    const std::string local = std::string(d.domain.substr(0, d.domain.find('.')));
    so.data.vips = {{"Representative Director of " + std::string(d.name),
                     std::string(d.name_ja) + " 代表",
                     "CEO",
                     {"ceo@" + std::string(d.domain)}}};
    RENKEI_TRY(id, st.create_organization(so));
    orgs.push_back(id);
    for (std::size_t k = 0; k < d.sigs.size(); ++k) {
      if (d.sigs[k] < 0) continue;
      const std::string joined(kJoined[(i + k) % kJoined.size()]);
      // A few members left a SIG (membership history for the quarterly statistics).
      const std::string left = (i % 11 == 3 && k == 0) ? "2026-03-31" : "";
      if (auto r = st.add_membership({sig_ids[static_cast<std::size_t>(d.sigs[k])], id, joined,
                                      left > joined ? left : ""});
          !r)
        return tl::unexpected(r.error());
    }
  }
  out.organizations = static_cast<int>(orgs.size());

  // A liaison network relaying to ~5,500 medical institutions (the seeds' 医療関連4団体).
  RENKEI_TRY(liaison_org, st.create_organization([] {
    model::Organization o;
    o.data.name = "Medical Associations Liaison";
    o.data.name_ja = "医療関連団体連絡会";
    o.data.industry = "medical";
    o.data.domains = {"iryo-renraku.or.jp"};
    return o;
  }()));
  RENKEI_TRY(net, st.create_liaison_network(
                      {0, "Medical associations (4 bodies)", "医療関連4団体", 5500, liaison_org}));
  (void)net;

  // Participants of every role in the first member organisation, and the liaison's representative.
  const std::int64_t first = orgs.empty() ? liaison_org : orgs.front();
  RENKEI_TRY(first_org, st.organization(first));
  const std::string dom =
      first_org.data.domains.empty() ? "member.example" : first_org.data.domains.front();
  if (auto r =
          add_user(first, "submitter@" + dom, "情報提供担当 (submitter)", model::Role::kSubmitter);
      !r)
    return tl::unexpected(r.error());
  if (auto r = add_user(first, "reader@" + dom, "閲覧者 (reader)", model::Role::kReader); !r)
    return tl::unexpected(r.error());
  if (auto r = add_user(liaison_org, "liaison@iryo-renraku.or.jp", "連絡会代表 (liaison)",
                        model::Role::kLiaison);
      !r)
    return tl::unexpected(r.error());
  // One submitter in every member organisation, so that submissions have a real submitter.
  std::vector<std::int64_t> submitters;
  for (const auto id : orgs) {
    RENKEI_TRY(o, st.organization(id));
    const std::string login =
        "soc@" + (o.data.domains.empty() ? std::to_string(id) + ".member" : o.data.domains.front());
    RENKEI_TRY(uid, st.create_user({id, login, "SOC", model::Role::kSubmitter, ""}));
    submitters.push_back(uid);
  }

  // Submissions: every sample mail reported by three members (the same attack reaching several
  // organisations, as in the seeds), a few by external reporters, plus the other kinds of report.
  std::vector<fs::path> mails;
  for (const auto& dir : opt.mail_dirs) {
    std::error_code ec;
    for (const auto& e : fs::recursive_directory_iterator(dir, ec))
      if (e.is_regular_file() && e.path().extension() == ".eml") mails.push_back(e.path());
  }
  std::sort(mails.begin(), mails.end());
  const std::size_t n = orgs.size();
  for (std::size_t i = 0; i < mails.size() && n > 0; ++i) {
    const std::string bytes = read_file(mails[i]);
    for (std::size_t k = 0; k < 3; ++k) {
      const std::size_t o = (i * (k * 6 + 1) + k * 5) % n;
      model::NewSubmission s;
      s.org_id = orgs[o];
      s.submitted_by = submitters[o];
      s.channel = std::string(kChannels[(i + k) % kChannels.size()]);
      s.disclosure = kDisclosures[(i + 2 * k) % kDisclosures.size()];
      s.artefact = bytes;
      RENKEI_TRY(r, st.submit(s));
      if (!r.duplicate) ++out.submissions;
    }
    if (i % 9 == 0) {  // a non-member company reporting a BEC (counted separately in statistics)
      model::NewSubmission s;
      s.external_reporter = "External company " + std::to_string(i / 9 + 1);
      s.channel = "mailbox";
      s.artefact = bytes;
      RENKEI_TRY(r, st.submit(s));
      if (!r.duplicate) ++out.submissions;
    }
  }
  for (std::size_t i = 0; i < kReports.size() && n > 0; ++i) {
    model::NewSubmission s;
    s.org_id = orgs[(i * 5) % n];
    s.submitted_by = submitters[(i * 5) % n];
    s.kind = kReports[i].kind;
    s.consultation_category = std::string(kReports[i].category);
    s.free_text = std::string(kReports[i].text);
    s.channel = "web";
    RENKEI_TRY(r, st.submit(s));
    if (!r.duplicate) ++out.submissions;
  }
  (void)st.audit({0, "", std::nullopt, "hub.demo", "demo", "cli",
                  std::to_string(out.organizations) + " organisations, " +
                      std::to_string(out.submissions) + " submissions"});
  return out;
}

}  // namespace renkei::hub
