// The community's endpoints: organisations (list, read, create), SIGs and their memberships,
// liaison networks and consultation categories (read). Changes to existing organisations and the
// admin-only creations are in api_admin.cpp.
#include "hub/api_internal.hpp"

namespace renkei::hub::detail {
namespace {

Response no_org() {
  return fail(Errc::kNotFound, "no organisation here", "");
}

Response list_organizations(const Call& c) {
  auto all = c.store.organizations();
  if (!all) return error_response(all.error());
  json items = json::array();
  for (const auto& o : *all)
    if (authorize(c.who, Action::kReadOrganization, o.id) == Decision::kAllow)
      items.push_back(org_json(o));
  return json_response(200, {{"items", items}});
}

Response read_organization(const Call& c) {
  const auto id = c.id();
  if (!id) return no_org();
  if (const auto d = authorize(c.who, Action::kReadOrganization, *id); d != Decision::kAllow)
    return d == Decision::kNotFound ? no_org() : c.deny(d, "read this organisation");
  auto o = c.store.organization(*id);
  if (!o && o.error().code == Errc::kNotFound) return no_org();
  if (!o) return error_response(o.error());
  return json_response(200, org_json(*o));
}

Response create_organization(const Call& c) {
  if (const auto d = authorize(c.who, Action::kManageOrganizations); d != Decision::kAllow)
    return c.deny(d, "manage organisations");
  const auto& j = c.body();
  if (!j) return error_response(j.error());
  auto data = org_data_from_json(*j);
  if (!data) return error_response(data.error());
  model::Organization o;
  o.data = std::move(*data);
  auto id = c.store.create_organization(o);
  if (!id) return error_response(id.error());
  c.audit("organization.create", "organization:" + std::to_string(*id), o.data.name);
  auto created = c.store.organization(*id);
  if (!created) return error_response(created.error());
  return json_response(201, org_json(*created));
}

Response list_sigs(const Call& c) {
  if (const auto d = authorize(c.who, Action::kReadCommunity); d != Decision::kAllow)
    return c.deny(d, "read the SIGs");
  auto sigs = c.store.sigs();
  if (!sigs) return error_response(sigs.error());
  json items = json::array();
  for (const auto& g : *sigs)
    items.push_back(
        {{"id", g.id}, {"name", g.name}, {"name_ja", g.name_ja}, {"members", g.members}});
  return json_response(200, {{"items", items}});
}

Response create_sig(const Call& c) {
  if (const auto d = authorize(c.who, Action::kManageOrganizations); d != Decision::kAllow)
    return c.deny(d, "manage SIGs");
  const auto& j = c.body();
  if (!j) return error_response(j.error());
  std::string bad;
  const std::string name = str(*j, "name", bad), name_ja = str(*j, "name_ja", bad);
  if (!bad.empty()) return fail(Errc::kInvalidArgument, "\"" + bad + "\" must be a string", "");
  auto id = c.store.create_sig(name, name_ja);
  if (!id) return error_response(id.error());
  c.audit("sig.create", "sig:" + std::to_string(*id), name);
  return json_response(201, {{"id", *id}, {"name", name}, {"name_ja", name_ja}, {"members", 0}});
}

// POST /sigs/{id}/members: an organisation joined the SIG.
Response add_member(const Call& c) {
  if (const auto d = authorize(c.who, Action::kManageOrganizations); d != Decision::kAllow)
    return c.deny(d, "manage SIGs");
  const auto sig = c.id();
  const auto& j = c.body();
  if (!sig || !j || !j->contains("organization_id") || !(*j)["organization_id"].is_number_integer())
    return fail(Errc::kInvalidArgument,
                "give {\"organization_id\": N, \"joined_on\": \"YYYY-MM-DD\"} for an existing SIG",
                "");
  std::string bad;
  model::Membership m{*sig, (*j)["organization_id"].get<std::int64_t>(), str(*j, "joined_on", bad),
                      str(*j, "left_on", bad)};
  if (!bad.empty())
    return fail(Errc::kInvalidArgument, "\"" + bad + "\" must be a date string", "");
  if (auto r = c.store.add_membership(m); !r) return error_response(r.error());
  c.audit("sig.membership", "sig:" + std::to_string(*sig),
          "organization:" + std::to_string(m.org_id) + " " + m.joined_on);
  return json_response(201, {{"sig_id", m.sig_id},
                             {"organization_id", m.org_id},
                             {"joined_on", m.joined_on},
                             {"left_on", m.left_on.empty() ? json(nullptr) : json(m.left_on)}});
}

// PATCH /sigs/{id}/members/{org}: the organisation left the SIG.
Response end_member(const Call& c) {
  if (const auto d = authorize(c.who, Action::kManageOrganizations); d != Decision::kAllow)
    return c.deny(d, "manage SIGs");
  const auto sig = c.id(), org = c.id("org");
  const auto& j = c.body();
  std::string bad;
  const std::string left_on = j ? str(*j, "left_on", bad) : std::string();
  if (!sig || !org || !j || left_on.empty() || !bad.empty())
    return fail(Errc::kInvalidArgument,
                "give {\"left_on\": \"YYYY-MM-DD\"}: the day the organisation left the SIG", "");
  auto m = c.store.end_membership(*sig, *org, left_on);
  if (!m) return error_response(m.error());
  c.audit("sig.membership_end", "sig:" + std::to_string(*sig),
          "organization:" + std::to_string(*org) + " " + left_on);
  return json_response(200, {{"sig_id", m->sig_id},
                             {"organization_id", m->org_id},
                             {"joined_on", m->joined_on},
                             {"left_on", m->left_on}});
}

Response list_liaison_networks(const Call& c) {
  if (const auto d = authorize(c.who, Action::kReadCommunity); d != Decision::kAllow)
    return c.deny(d, "read the liaison networks");
  auto nets = c.store.liaison_networks();
  if (!nets) return error_response(nets.error());
  json items = json::array();
  for (const auto& n : *nets)
    items.push_back({{"id", n.id},
                     {"name", n.name},
                     {"name_ja", n.name_ja},
                     {"represented_members", n.represented_members},
                     // Which member represents a network is for the hub and that member.
                     {"organization_id", n.org_id && authorize(c.who, Action::kReadOrganization,
                                                               *n.org_id) == Decision::kAllow
                                             ? json(*n.org_id)
                                             : json(nullptr)}});
  return json_response(200, {{"items", items}});
}

Response list_categories(const Call& c) {
  auto cats = c.store.consultation_categories();
  if (!cats) return error_response(cats.error());
  json items = json::array();
  for (const auto& cat : *cats)
    items.push_back({{"key", cat.key}, {"name", cat.name}, {"name_ja", cat.name_ja}});
  return json_response(200, {{"items", items}});
}

}  // namespace

void add_community_routes(Api::Routes& r) {
  r.add("GET", "/organizations", list_organizations);
  r.add("GET", "/organizations/{id}", read_organization);
  r.add("POST", "/organizations", create_organization);
  r.add("GET", "/sigs", list_sigs);
  r.add("POST", "/sigs", create_sig);
  r.add("POST", "/sigs/{id}/members", add_member);
  r.add("PATCH", "/sigs/{id}/members/{org}", end_member);
  r.add("GET", "/liaison-networks", list_liaison_networks);
  r.add("GET", "/consultation-categories", list_categories);
}

}  // namespace renkei::hub::detail
