// The administration endpoints: users (list, read, change), API token lists, organisation updates
// and memberships, liaison networks and consultation categories created. What `renkei admin` and
// the web UI's administration pages use.
#include <algorithm>

#include "hub/api_internal.hpp"

namespace renkei::hub::detail {
namespace {

json token_json(const model::TokenInfo& t) {
  return {{"id", t.id},
          {"user_id", t.user_id},
          {"name", t.name},
          {"scopes", t.scopes},
          {"created_at", t.created_at},
          {"revoked_at", t.revoked_at.empty() ? json(nullptr) : json(t.revoked_at)}};
}

json liaison_json(const model::LiaisonNetwork& n) {
  return {{"id", n.id},
          {"name", n.name},
          {"name_ja", n.name_ja},
          {"represented_members", n.represented_members},
          {"organization_id", n.org_id ? json(*n.org_id) : json(nullptr)}};
}

Response no_user() {
  return fail(Errc::kNotFound, "no user here", "GET /api/v1/users lists them");
}
Response no_org() {
  return fail(Errc::kNotFound, "no organisation here", "");
}

// PATCH /users/{id}: display_name, role, disabled, password; anything else is refused (a typo
// must not pass for a change).
// (The caller's right to change users was checked.)
Response update_user(const Call& c, std::int64_t id) {
  const auto& j = c.body();
  if (!j) return error_response(j.error());
  model::UserUpdate u;
  u.id = id;
  std::string changed;
  for (const auto& [key, v] : j->items()) {
    if (key == "display_name" && v.is_string()) {
      u.display_name = v.get<std::string>();
      changed += " display_name";
    } else if (key == "role" && v.is_string()) {
      u.role = model::role_from_id(v.get<std::string>());
      if (!u.role)
        return fail(Errc::kInvalidArgument,
                    "unknown role \"" + v.get<std::string>().substr(0, 40) + "\"",
                    "use hub_admin, hub_analyst, submitter, reader or liaison");
      changed += " role=" + v.get<std::string>();
    } else if (key == "disabled" && v.is_boolean()) {
      u.disabled = v.get<bool>();
      changed += u.disabled.value() ? " disabled" : " enabled";
    } else if (key == "password" && v.is_string()) {
      u.password = v.get<std::string>();
      changed +=
          u.password->empty() ? " password_removed" : " password";  // never the password itself
    } else {
      return fail(Errc::kInvalidArgument,
                  "\"" + key.substr(0, 40) + "\" cannot be changed here or has the wrong type",
                  "send any of display_name (string), role, disabled (boolean), password (string)");
    }
  }
  if (changed.empty())
    return fail(Errc::kInvalidArgument, "nothing to change",
                "send any of display_name, role, disabled, password");
  auto before = c.store.user(id);
  if (!before && before.error().code == Errc::kNotFound) return no_user();
  if (!before) return error_response(before.error());
  const model::Role role = u.role.value_or(before->role);
  if (!model::is_hub_role(role) && !before->org_id)
    return fail(Errc::kInvalidArgument,
                "a participant role needs an organisation, and this user has none",
                "create a new user in the organisation instead");
  // The hub must keep an administrator who can log in.
  const bool stays_admin = role == model::Role::kHubAdmin && !u.disabled.value_or(before->disabled);
  if (before->role == model::Role::kHubAdmin && !before->disabled && !stays_admin) {
    auto all = c.store.users();
    if (!all) return error_response(all.error());
    const bool other_admin = std::any_of(all->begin(), all->end(), [&](const model::User& x) {
      return x.id != id && x.role == model::Role::kHubAdmin && !x.disabled;
    });
    if (!other_admin)
      return fail(Errc::kConflict, "this is the hub's last active hub admin",
                  "make another user hub_admin first");
  }
  if (auto r = c.store.update_user(u); !r)
    return r.error().code == Errc::kNotFound ? no_user() : error_response(r.error());
  c.audit("user.update", "user:" + std::to_string(id), changed.substr(1));
  auto after = c.store.user(id);
  if (!after) return error_response(after.error());
  return json_response(200, user_json(*after));
}

// GET /tokens: one's own API tokens; a hub admin may ask for another user's with ?user_id=.
Response list_tokens(const Call& c) {
  std::int64_t user_id = c.who.user.id;
  if (const std::string q = query_of(c.req, "user_id"); !q.empty()) {
    const auto id = to_id(q);
    if (!id) return fail(Errc::kInvalidArgument, "user_id must be a user's id", "");
    user_id = *id;
  }
  const Action a = user_id == c.who.user.id ? Action::kManageOwnTokens : Action::kManageUsers;
  if (const auto d = authorize(c.who, a); d != Decision::kAllow)
    return c.deny(d, "list these tokens");
  if (user_id != c.who.user.id) {
    auto u = c.store.user(user_id);
    if (!u && u.error().code == Errc::kNotFound) return no_user();
    if (!u) return error_response(u.error());
  }
  auto list = c.store.tokens(user_id);
  if (!list) return error_response(list.error());
  json items = json::array();
  for (const auto& t : *list) items.push_back(token_json(t));
  return json_response(200, {{"items", items}});
}

// PUT /organizations/{id}: replaces the organisation's data, registry data included (the
// analysis workers pick it up with the next job).
Response replace_organization(const Call& c, std::int64_t id) {
  if (const auto d = authorize(c.who, Action::kManageOrganizations, id); d != Decision::kAllow)
    return d == Decision::kNotFound ? no_org() : c.deny(d, "manage organisations");
  const auto& j = c.body();
  if (!j) return error_response(j.error());
  auto data = org_data_from_json(*j);
  if (!data) return error_response(data.error());
  auto before = c.store.organization(id);
  if (!before && before.error().code == Errc::kNotFound) return no_org();
  if (!before) return error_response(before.error());
  model::Organization o;
  o.id = id;
  o.is_hub = before->is_hub;  // which organisation is the hub is not changed through the API
  o.data = std::move(*data);
  if (auto r = c.store.update_organization(o); !r)
    return r.error().code == Errc::kNotFound ? no_org() : error_response(r.error());
  c.audit("organization.update", "organization:" + std::to_string(id), o.data.name);
  auto after = c.store.organization(id);
  if (!after) return error_response(after.error());
  return json_response(200, org_json(*after));
}

Response list_memberships(const Call& c, std::int64_t id) {
  if (const auto d = authorize(c.who, Action::kReadOrganization, id); d != Decision::kAllow)
    return d == Decision::kNotFound ? no_org() : c.deny(d, "read this organisation");
  auto o = c.store.organization(id);
  if (!o && o.error().code == Errc::kNotFound) return no_org();
  if (!o) return error_response(o.error());
  auto list = c.store.memberships(id);
  if (!list) return error_response(list.error());
  json items = json::array();
  for (const auto& m : *list)
    items.push_back({{"sig_id", m.sig_id},
                     {"organization_id", m.org_id},
                     {"joined_on", m.joined_on},
                     {"left_on", m.left_on.empty() ? json(nullptr) : json(m.left_on)}});
  return json_response(200, {{"items", items}});
}

Response create_liaison(const Call& c) {
  if (const auto d = authorize(c.who, Action::kManageOrganizations); d != Decision::kAllow)
    return c.deny(d, "manage liaison networks");
  const auto& j = c.body();
  if (!j) return error_response(j.error());
  std::string bad;
  model::LiaisonNetwork n;
  n.name = str(*j, "name", bad);
  n.name_ja = str(*j, "name_ja", bad);
  if (j->contains("represented_members") && !(*j)["represented_members"].is_null()) {
    const auto& m = (*j)["represented_members"];
    if (!m.is_number_integer() || m.get<std::int64_t>() < 0 || m.get<std::int64_t>() > 100000000)
      bad = "represented_members";
    else
      n.represented_members = static_cast<int>(m.get<std::int64_t>());
  }
  if (j->contains("organization_id") && !(*j)["organization_id"].is_null()) {
    if (!(*j)["organization_id"].is_number_integer())
      bad = "organization_id";
    else
      n.org_id = (*j)["organization_id"].get<std::int64_t>();
  }
  if (!bad.empty())
    return fail(Errc::kInvalidArgument, "\"" + bad + "\" has the wrong type or value",
                "name and name_ja are strings, represented_members a count of 0 or more, "
                "organization_id an id or null");
  if (n.org_id) {
    auto o = c.store.organization(*n.org_id);
    if (!o && o.error().code == Errc::kNotFound)
      return fail(Errc::kInvalidArgument, "no organisation " + std::to_string(*n.org_id),
                  "GET /api/v1/organizations lists them");
    if (!o) return error_response(o.error());
  }
  auto id = c.store.create_liaison_network(n);
  if (!id) return error_response(id.error());
  n.id = *id;
  c.audit("liaison.create", "liaison:" + std::to_string(*id), n.name);
  return json_response(201, liaison_json(n));
}

Response create_category(const Call& c) {
  if (const auto d = authorize(c.who, Action::kManageSettings); d != Decision::kAllow)
    return c.deny(d, "manage consultation categories");
  const auto& j = c.body();
  if (!j) return error_response(j.error());
  std::string bad;
  model::Category cat{str(*j, "key", bad), str(*j, "name", bad), str(*j, "name_ja", bad)};
  if (!bad.empty()) return fail(Errc::kInvalidArgument, "\"" + bad + "\" must be a string", "");
  if (auto r = c.store.create_consultation_category(cat); !r) return error_response(r.error());
  c.audit("category.create", "category:" + cat.key, cat.name);
  return json_response(201, {{"key", cat.key}, {"name", cat.name}, {"name_ja", cat.name_ja}});
}

// GET /users/{id} and PATCH /users/{id}. Who else has an account is for the hub admin: the same
// 403 for every id, so nobody else learns which ids exist.
Response user_by_id(const Call& c) {
  const Action a = c.method("GET") ? Action::kReadUsers : Action::kManageUsers;
  if (const auto d = authorize(c.who, a); d != Decision::kAllow)
    return c.deny(d, c.method("GET") ? "read users" : "change users");
  const auto id = c.id();
  if (!id) return no_user();
  if (c.method("PATCH")) return update_user(c, *id);
  auto u = c.store.user(*id);
  if (!u && u.error().code == Errc::kNotFound) return no_user();
  if (!u) return error_response(u.error());
  return json_response(200, user_json(*u));
}

Response list_users(const Call& c) {
  if (const auto d = authorize(c.who, Action::kReadUsers); d != Decision::kAllow)
    return c.deny(d, "list users");
  auto all = c.store.users();
  if (!all) return error_response(all.error());
  json items = json::array();
  for (const auto& u : *all) items.push_back(user_json(u));
  return json_response(200, {{"items", items}});
}

}  // namespace

void add_admin_routes(Api::Routes& r) {
  r.add("GET", "/users", list_users);
  r.add("GET", "/users/{id}", user_by_id);
  r.add("PATCH", "/users/{id}", user_by_id);
  r.add("GET", "/tokens", list_tokens);
  r.add("PUT", "/organizations/{id}", [](const Call& c) {
    const auto id = c.id();
    return id ? replace_organization(c, *id) : no_org();
  });
  r.add("GET", "/organizations/{id}/memberships", [](const Call& c) {
    const auto id = c.id();
    return id ? list_memberships(c, *id) : no_org();
  });
  r.add("POST", "/liaison-networks", create_liaison);
  r.add("POST", "/consultation-categories", create_category);
}

}  // namespace renkei::hub::detail
