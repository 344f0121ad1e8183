#include "hub/authz.hpp"

#include <algorithm>

namespace renkei::hub {
namespace {

bool has_scope(const model::Principal& who, std::string_view scope) {
  if (who.scopes.empty()) return true;  // password login: the role's full rights
  return std::any_of(who.scopes.begin(), who.scopes.end(),
                     [&](const std::string& s) { return s == scope || s == "admin"; });
}

std::string_view scope_of(Action a) {
  switch (a) {
    case Action::kSubmit:
      return "submit";
    case Action::kReadSubmission:
    case Action::kListSubmissions:
    case Action::kReadOrganization:
    case Action::kReadCommunity:
    case Action::kReadUsers:
    case Action::kManageOwnTokens:
    case Action::kReadRegistryData:
    case Action::kReadCampaigns:
      return "read";
    case Action::kManageOrganizations:
    case Action::kManageUsers:
    case Action::kManageSettings:
    case Action::kReadAudit:
    case Action::kManageCampaigns:
    case Action::kTriage:
      return "admin";
    case Action::kConverse:
      return "submit";
  }
  return "admin";
}

}  // namespace

std::optional<std::int64_t> visible_organization(const model::Principal& who) {
  if (model::is_hub_role(who.user.role)) return std::nullopt;
  // A participant without an organisation sees nothing: -1 matches no organisation.
  return who.user.org_id.value_or(-1);
}

Decision authorize(const model::Principal& who, Action action, std::optional<std::int64_t> owner) {
  using model::Role;
  if (who.user.disabled) return Decision::kForbidden;
  const Role role = who.user.role;
  const bool hub = model::is_hub_role(role);
  const bool own = owner.has_value() && who.user.org_id.has_value() && *owner == *who.user.org_id;

  Decision d = Decision::kForbidden;
  switch (action) {
    case Action::kSubmit:
      // Hub staff submit too (hub-originated information); participants for their organisation.
      d = (hub || (role == Role::kSubmitter && who.user.org_id)) ? Decision::kAllow
                                                                 : Decision::kForbidden;
      break;
    case Action::kReadSubmission:
    case Action::kReadOrganization:
    case Action::kReadRegistryData:
      // Another organisation's objects do not exist for a participant.
      d = (hub || own) ? Decision::kAllow : Decision::kNotFound;
      break;
    case Action::kListSubmissions:
    case Action::kManageOwnTokens:
    case Action::kReadCommunity:
      d = Decision::kAllow;  // lists are restricted by visible_organization()
      break;
    case Action::kManageOrganizations:
      // Changing another organisation: it does not exist for a participant.
      d = role == Role::kHubAdmin  ? Decision::kAllow
          : (hub || !owner || own) ? Decision::kForbidden
                                   : Decision::kNotFound;
      break;
    case Action::kReadUsers:
    case Action::kManageUsers:
    case Action::kManageSettings:
      d = role == Role::kHubAdmin ? Decision::kAllow : Decision::kForbidden;
      break;
    case Action::kReadAudit:
    case Action::kReadCampaigns:
    case Action::kManageCampaigns:
    case Action::kTriage:
      d = hub ? Decision::kAllow : Decision::kForbidden;
      break;
    case Action::kConverse:
      d = hub || (own && role == Role::kSubmitter) ? Decision::kAllow
          : own                                    ? Decision::kForbidden
                                                   : Decision::kNotFound;
      break;
  }
  if (d == Decision::kAllow && !has_scope(who, scope_of(action))) return Decision::kForbidden;
  return d;
}

}  // namespace renkei::hub
