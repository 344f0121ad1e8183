// The accounts' endpoints: who am I, users created, API tokens created and revoked, the audit log.
// Listing and changing users is in api_admin.cpp.
#include "hub/api_internal.hpp"

namespace renkei::hub::detail {
namespace {

Response me(const Call& c) {
  json j = user_json(c.who.user);
  j["scopes"] = c.who.scopes;
  return json_response(200, j);
}

Response create_user(const Call& c) {
  if (const auto d = authorize(c.who, Action::kManageUsers); d != Decision::kAllow)
    return c.deny(d, "manage users");
  const auto& j = c.body();
  if (!j) return error_response(j.error());
  std::string bad;
  model::NewUser u;
  u.login = str(*j, "login", bad);
  u.display_name = str(*j, "display_name", bad);
  u.password = str(*j, "password", bad);
  const std::string role = str(*j, "role", bad);
  if (j->contains("organization_id") && !(*j)["organization_id"].is_null()) {
    if (!(*j)["organization_id"].is_number_integer())
      bad = "organization_id";
    else
      u.org_id = (*j)["organization_id"].get<std::int64_t>();
  }
  if (!bad.empty()) return fail(Errc::kInvalidArgument, "\"" + bad + "\" has the wrong type", "");
  auto r = model::role_from_id(role);
  if (!r)
    return fail(Errc::kInvalidArgument, "unknown role \"" + role.substr(0, 40) + "\"",
                "use hub_admin, hub_analyst, submitter, reader or liaison");
  u.role = *r;
  if (!model::is_hub_role(u.role) && !u.org_id)
    return fail(Errc::kInvalidArgument, "a participant needs an organization_id", "");
  auto id = c.store.create_user(u);
  if (!id) return error_response(id.error());
  c.audit("user.create", "user:" + std::to_string(*id), u.login + " " + role);
  auto created = c.store.user(*id);
  if (!created) return error_response(created.error());
  return json_response(201, user_json(*created));
}

Response create_token(const Call& c) {
  // An empty body asks for a token for oneself with the defaults.
  static const Result<json> kEmpty = json::object();
  const auto& j = c.req.body.empty() ? kEmpty : c.body();
  if (!j) return error_response(j.error());
  std::string bad;
  const std::string name = str(*j, "name", bad);
  std::vector<std::string> scopes = str_list(*j, "scopes", bad);
  std::int64_t user_id = c.who.user.id;
  if (j->contains("user_id") && !(*j)["user_id"].is_null()) {
    if (!(*j)["user_id"].is_number_integer())
      bad = "user_id";
    else
      user_id = (*j)["user_id"].get<std::int64_t>();
  }
  if (!bad.empty()) return fail(Errc::kInvalidArgument, "\"" + bad + "\" has the wrong type", "");
  for (const auto& s : scopes)
    if (s != "read" && s != "submit" && s != "admin")
      return fail(Errc::kInvalidArgument, "unknown scope \"" + s.substr(0, 40) + "\"",
                  "use read, submit or admin");
  const Action a = user_id == c.who.user.id ? Action::kManageOwnTokens : Action::kManageUsers;
  if (const auto d = authorize(c.who, a); d != Decision::kAllow)
    return c.deny(d, "create this token");
  // A token never carries a scope its creator could not use (role and creating token alike).
  for (const auto& s : scopes)
    if (authorize(c.who,
                  s == "admin"    ? Action::kReadAudit
                  : s == "submit" ? Action::kSubmit
                                  : Action::kReadSubmission,
                  c.who.user.org_id) != Decision::kAllow)
      return fail(Errc::kPermissionDenied,
                  "a token cannot grant the scope \"" + s + "\" that its creator lacks", "");
  // Without scopes a token has everything its user's role allows ([]), except that a token made
  // with a scoped token for oneself keeps that token's scopes (it cannot widen them).
  if (scopes.empty() && user_id == c.who.user.id) scopes = c.who.scopes;
  auto t = c.store.create_token(user_id, name, scopes);
  if (!t) return error_response(t.error());
  c.audit("token.create", "token:" + std::to_string(t->id), "user:" + std::to_string(user_id));
  return json_response(201, {{"id", t->id}, {"token", t->secret}, {"scopes", scopes}});
}

Response revoke_token(const Call& c) {
  const auto id = c.id();
  if (!id) return fail(Errc::kNotFound, "no token here", "");
  auto owner = c.store.token_owner(*id);
  if (!owner && owner.error().code == Errc::kNotFound)
    return fail(Errc::kNotFound, "no token here", "");
  if (!owner) return error_response(owner.error());
  const Action a = *owner == c.who.user.id ? Action::kManageOwnTokens : Action::kManageUsers;
  if (const auto d = authorize(c.who, a); d != Decision::kAllow)
    return fail(Errc::kNotFound, "no token here", "");
  if (auto r = c.store.revoke_token(*id); !r) return error_response(r.error());
  c.audit("token.revoke", "token:" + std::to_string(*id));
  return json_response(200, {{"id", *id}, {"revoked", true}});
}

Response audit_log(const Call& c) {
  if (const auto d = authorize(c.who, Action::kReadAudit); d != Decision::kAllow)
    return c.deny(d, "read the audit log");
  std::int64_t before = 0;
  int limit = 100;
  if (const std::string v = query_of(c.req, "before"); !v.empty()) before = to_id(v).value_or(0);
  if (c.req.query.count("limit") != 0) {
    auto n = to_id(query_of(c.req, "limit"));
    if (!n || *n > store::kMaxListLimit)
      return fail(Errc::kInvalidArgument, "limit must be 1 to 500", "");
    limit = static_cast<int>(*n);
  }
  auto log = c.store.audit_log(before, limit);
  if (!log) return error_response(log.error());
  json items = json::array();
  for (const auto& e : *log)
    items.push_back({{"id", e.id},
                     {"at", e.at},
                     {"user_id", e.user_id ? json(*e.user_id) : json(nullptr)},
                     {"action", e.action},
                     {"object", e.object},
                     {"remote", e.remote},
                     {"detail", e.detail}});
  return json_response(200, {{"items", items}});
}

}  // namespace

void add_account_routes(Api::Routes& r) {
  r.add("GET", "/me", me);
  r.add("POST", "/users", create_user);
  r.add("POST", "/tokens", create_token);
  r.add("DELETE", "/tokens/{id}", revoke_token);
  r.add("GET", "/audit", audit_log);
}

}  // namespace renkei::hub::detail
