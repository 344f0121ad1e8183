// The campaigns' endpoints (一連の攻撃; docs/campaigns.md): hub staff list and read campaigns and
// correct the engine — rename, merge, split, move a submission, pin it. A participant sees the
// campaign of their own submissions (its id and name, on the submission), never a campaign's
// other members.
#include <chrono>
#include <map>
#include <set>

#include "hub/api_internal.hpp"
#include "hub/jobs.hpp"
#include "util/time.hpp"

namespace renkei::hub::detail {
namespace {

Response no_campaign() {
  return fail(Errc::kNotFound, "no campaign here", "");
}

json campaign_json(const model::Campaign& k) {
  json j = {{"id", k.id},
            {"name", k.name},
            {"name_locked", k.name_locked},
            {"members", k.members},
            {"organizations", k.organizations},
            {"explanation", {{"en", k.explanation_en}, {"ja", k.explanation_ja}}},
            {"first_seen", k.first_seen.empty() ? json(nullptr) : json(k.first_seen)},
            {"last_seen", k.last_seen.empty() ? json(nullptr) : json(k.last_seen)},
            {"created_at", k.created_at},
            {"updated_at", k.updated_at}};
  j["merged_into"] = k.merged_into ? json(*k.merged_into) : json(nullptr);
  return j;
}

// "2020Q4" of an RFC 3339 time, "" when it has none.
std::string quarter_of(const std::string& t) {
  if (t.size() < 7) return "";
  const int month = (t[5] - '0') * 10 + (t[6] - '0');
  if (month < 1 || month > 12) return "";
  return t.substr(0, 4) + "Q" + std::to_string((month - 1) / 3 + 1);
}

// A time filter: RFC 3339, or a date (the start of that day, UTC).
std::optional<std::optional<std::int64_t>> time_param(const Request& req, const char* key) {
  const std::string v = query_of(req, key);
  if (v.empty()) return std::optional<std::int64_t>();
  auto t = util::parse_rfc3339(v.size() == 10 ? v + "T00:00:00Z" : v);
  if (!t) return std::nullopt;
  return std::optional<std::int64_t>(t->time_since_epoch().count());
}

Response list(const Call& c) {
  if (const auto d = authorize(c.who, Action::kReadCampaigns); d != Decision::kAllow)
    return c.deny(d, "read campaigns");
  store::CampaignFilter f;
  f.text = query_of(c.req, "q");
  const auto since = time_param(c.req, "since"), until = time_param(c.req, "until");
  if (!since || !until)
    return fail(Errc::kInvalidArgument, "since and until must be dates or RFC 3339 times",
                "for example since=2020-10-01");
  f.seen_since = *since;
  f.seen_until = *until;
  for (const auto& [key, field] :
       {std::pair{"min_members", &f.min_members}, std::pair{"before", &f.before_id}}) {
    const std::string v = query_of(c.req, key);
    if (v.empty()) continue;
    const auto n = to_id(v);
    if (!n) return fail(Errc::kInvalidArgument, std::string(key) + " must be a positive integer");
    *field = *n;
  }
  if (const std::string v = query_of(c.req, "limit"); !v.empty()) {
    const auto n = to_id(v);
    if (!n || *n > store::kMaxListLimit)
      return fail(Errc::kInvalidArgument,
                  "limit must be between 1 and " + std::to_string(store::kMaxListLimit));
    f.limit = static_cast<int>(*n);
  }
  auto items = c.store.campaigns(f);
  if (!items) return error_response(items.error());
  json out = json::array();
  for (const auto& k : *items) out.push_back(campaign_json(k));
  json j = {{"items", out}};
  if (static_cast<int>(items->size()) == f.limit) j["next_before"] = items->back().id;
  return json_response(200, j);
}

Response read(const Call& c) {
  if (const auto d = authorize(c.who, Action::kReadCampaigns); d != Decision::kAllow)
    return c.deny(d, "read campaigns");
  const auto id = c.id();
  if (!id) return no_campaign();
  auto k = c.store.campaign(*id);
  if (!k && k.error().code == Errc::kNotFound) return no_campaign();
  if (!k) return error_response(k.error());
  auto members = c.store.campaign_members(*id);
  if (!members) return error_response(members.error());
  auto orgs = c.store.organizations();
  if (!orgs) return error_response(orgs.error());
  std::map<std::int64_t, const model::Organization*> org_by_id;
  for (const auto& o : *orgs) org_by_id[o.id] = &o;

  json j = campaign_json(*k);
  json rows = json::array();
  std::map<std::string, std::int64_t> per_day, per_quarter, per_subject, per_industry, languages;
  std::set<std::int64_t> org_ids;
  for (const auto& m : *members) {
    json row = {{"submission_id", m.submission_id},
                {"submitted_at", m.submitted_at},
                {"mail_time", m.mail_time.empty() ? json(nullptr) : json(m.mail_time)},
                {"subject", m.subject},
                {"from", m.from_address},
                {"verdict", m.verdict_class},
                {"language", m.language},
                {"industry", m.org_industry},
                {"assigned_by", model::assigner_id(m.by)},
                {"pinned", m.pinned}};
    if (m.org_id) {
      row["organization_id"] = *m.org_id;
      if (const auto it = org_by_id.find(*m.org_id); it != org_by_id.end())
        row["organization"] = it->second->data.name;
      org_ids.insert(*m.org_id);
    } else {
      row["organization_id"] = nullptr;
    }
    rows.push_back(std::move(row));
    const std::string& when = m.mail_time.empty() ? m.submitted_at : m.mail_time;
    if (when.size() >= 10) ++per_day[when.substr(0, 10)];
    if (const auto q = quarter_of(when); !q.empty()) ++per_quarter[q];
    ++per_subject[m.subject];
    ++per_industry[m.org_industry.empty() ? "unknown" : m.org_industry];
    if (!m.language.empty()) ++languages[m.language];
  }
  auto counted = [](const std::map<std::string, std::int64_t>& m, const char* name) {
    json a = json::array();
    for (const auto& [value, n] : m) a.push_back({{name, value}, {"count", n}});
    return a;
  };
  json subjects = counted(per_subject, "subject");
  std::stable_sort(subjects.begin(), subjects.end(), [](const json& a, const json& b) {
    return a["count"].get<std::int64_t>() > b["count"].get<std::int64_t>();
  });
  j["submissions"] = rows;
  j["arrivals_per_day"] = counted(per_day, "day");
  j["per_quarter"] = counted(per_quarter, "quarter");
  j["subjects"] = subjects;
  j["industries"] = counted(per_industry, "industry");
  j["languages"] = counted(languages, "language");
  j["organizations"] = static_cast<std::int64_t>(org_ids.size());
  return json_response(200, j);
}

// The answer to a failed change: 404 for a missing campaign or submission, else the error.
Response changed_or(const Result<void>& r) {
  if (!r && r.error().code == Errc::kNotFound) return fail(Errc::kNotFound, r.error().message);
  if (!r) return error_response(r.error());
  return {};
}

Response rename(const Call& c) {
  if (const auto d = authorize(c.who, Action::kManageCampaigns); d != Decision::kAllow)
    return c.deny(d, "change campaigns");
  const auto id = c.id();
  if (!id) return no_campaign();
  const auto& j = c.body();
  if (!j) return error_response(j.error());
  std::string bad;
  const std::string name = str(*j, "name", bad);
  if (!bad.empty() || name.empty())
    return fail(Errc::kInvalidArgument, "send the new name", "{\"name\": \"...\"}");
  const auto r = c.store.rename_campaign(*id, name);
  if (!r) return changed_or(r);
  c.audit("campaign.rename", "campaign:" + std::to_string(*id), name);
  return read(c);
}

Response merge(const Call& c) {
  if (const auto d = authorize(c.who, Action::kManageCampaigns); d != Decision::kAllow)
    return c.deny(d, "change campaigns");
  const auto id = c.id();
  if (!id) return no_campaign();
  const auto& j = c.body();
  if (!j) return error_response(j.error());
  const auto it = j->find("campaigns");
  if (it == j->end() || !it->is_array() || it->empty())
    return fail(Errc::kInvalidArgument, "send the campaigns to merge into this one",
                "{\"campaigns\": [id, …]}");
  const auto rules = campaign_rules();
  for (const auto& from : *it) {
    if (!from.is_number_integer())
      return fail(Errc::kInvalidArgument, "campaign ids are integers", "");
    const auto r = c.store.merge_campaigns(*id, from.get<std::int64_t>(), rules);
    if (!r) return changed_or(r);
    c.audit("campaign.merge", "campaign:" + std::to_string(*id),
            "merged campaign " + std::to_string(from.get<std::int64_t>()));
  }
  return read(c);
}

Response split(const Call& c) {
  if (const auto d = authorize(c.who, Action::kManageCampaigns); d != Decision::kAllow)
    return c.deny(d, "change campaigns");
  const auto id = c.id();
  if (!id) return no_campaign();
  const auto& j = c.body();
  if (!j) return error_response(j.error());
  const auto it = j->find("submissions");
  if (it == j->end() || !it->is_array() || it->empty())
    return fail(Errc::kInvalidArgument, "send the submissions to take out of this campaign",
                "{\"submissions\": [id, …], \"name\": \"optional\"}");
  std::vector<std::int64_t> subs;
  for (const auto& s : *it) {
    if (!s.is_number_integer())
      return fail(Errc::kInvalidArgument, "submission ids are integers", "");
    subs.push_back(s.get<std::int64_t>());
  }
  std::string bad;
  const std::string name = str(*j, "name", bad);
  if (!bad.empty()) return fail(Errc::kInvalidArgument, "\"name\" must be a string", "");
  auto made = c.store.split_campaign(*id, subs, name, campaign_rules());
  if (!made && made.error().code == Errc::kNotFound) return no_campaign();
  if (!made) return error_response(made.error());
  std::string detail = "into campaign " + std::to_string(*made) + ":";
  for (const auto s : subs) detail += " " + std::to_string(s);
  c.audit("campaign.split", "campaign:" + std::to_string(*id), detail);
  auto k = c.store.campaign(*made);
  if (!k) return error_response(k.error());
  return json_response(201, campaign_json(*k));
}

// PUT /submissions/{id}/campaign {"campaign": id | null, "pinned": bool}: moves the submission
// (null: into a campaign of its own) and pins it, or only (un)pins it when "campaign" is absent.
Response place(const Call& c) {
  if (const auto d = authorize(c.who, Action::kManageCampaigns); d != Decision::kAllow)
    return c.deny(d, "change campaigns");
  auto s = readable_submission(c);
  if (!s) return std::move(s.error());
  const auto& j = c.body();
  if (!j) return error_response(j.error());
  const auto target = j->find("campaign");
  const auto pinned = j->find("pinned");
  if (pinned != j->end() && !pinned->is_boolean())
    return fail(Errc::kInvalidArgument, "\"pinned\" must be true or false", "");
  if (target == j->end() && pinned == j->end())
    return fail(Errc::kInvalidArgument, "send where the submission goes, or whether it is pinned",
                "{\"campaign\": id | null, \"pinned\": true}");
  if (target != j->end()) {
    if (!target->is_null() && !target->is_number_integer())
      return fail(Errc::kInvalidArgument, "\"campaign\" is a campaign id or null (a new one)", "");
    const std::optional<std::int64_t> to =
        target->is_null() ? std::nullopt : std::optional(target->get<std::int64_t>());
    auto moved = c.store.move_to_campaign(s->id, to, campaign_rules());
    if (!moved && moved.error().code == Errc::kNotFound)
      return fail(Errc::kNotFound, moved.error().message);
    if (!moved) return error_response(moved.error());
    c.audit("campaign.move", "submission:" + std::to_string(s->id),
            "to campaign " + std::to_string(*moved));
  }
  if (pinned != j->end()) {
    const auto r = c.store.pin_submission(s->id, pinned->get<bool>());
    if (!r) return changed_or(r);
    c.audit(pinned->get<bool>() ? "campaign.pin" : "campaign.unpin",
            "submission:" + std::to_string(s->id));
  }
  auto m = c.store.campaign_of(s->id);
  if (!m) return error_response(m.error());
  if (!*m) return fail(Errc::kNotFound, "the submission is in no campaign", "");
  return json_response(200, {{"campaign", (*m)->campaign_id},
                             {"name", (*m)->campaign_name},
                             {"assigned_by", model::assigner_id((*m)->by)},
                             {"pinned", (*m)->pinned}});
}

}  // namespace

json submission_campaign_json(const Call& c, std::int64_t submission_id) {
  auto m = c.store.campaign_of(submission_id);
  if (!m || !*m) return nullptr;
  json j = {{"id", (*m)->campaign_id}, {"name", (*m)->campaign_name}};
  if (authorize(c.who, Action::kReadCampaigns) == Decision::kAllow) {
    j["assigned_by"] = model::assigner_id((*m)->by);
    j["pinned"] = (*m)->pinned;
    j["score"] = (*m)->score ? json(*(*m)->score) : json(nullptr);
  }
  return j;
}

void add_campaign_routes(Api::Routes& r) {
  r.add("GET", "/campaigns", list);
  r.add("GET", "/campaigns/{id}", read);
  r.add("PATCH", "/campaigns/{id}", rename);
  r.add("POST", "/campaigns/{id}/merge", merge);
  r.add("POST", "/campaigns/{id}/split", split);
  r.add("PUT", "/submissions/{id}/campaign", place);
}

}  // namespace renkei::hub::detail
