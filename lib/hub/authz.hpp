// renkei::hub authorisation — decided here and nowhere else.
//
// Every API handler asks authorize(principal, action, owner) before it touches an object, and
// list handlers restrict themselves to visible_organization(). The matrix (role × action ×
// own/other organisation) is tested in tests/unit/hub/authz_test.cpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "store/store.hpp"

namespace renkei::hub {

enum class Action {
  kSubmit,          // create a submission for one's own organisation
  kReadSubmission,  // a submission, its analysis and its original bytes
  kListSubmissions,
  kReadOrganization,
  kReadCommunity,        // the SIGs and liaison networks (names and counts, not who is in them)
  kManageOrganizations,  // create / change organisations and their registry data, SIGs, liaison
                         // networks
  kReadUsers,            // the list of users and one user's record
  kManageUsers,          // create and change users, list / create / revoke other users' tokens
  kManageOwnTokens,      // list / create / revoke one's own tokens
  kManageSettings,       // the hub's configurable tables (consultation categories)
  kReadAudit,
  // What an organisation registered (its names, domains, partner domains, executives) as an
  // analysis names it: a participant learns neither who else is a member nor what they
  // registered; redact.hpp applies the decision to analyses.
  kReadRegistryData,
  // Campaigns (一連の攻撃) tie many organisations' submissions together: hub staff only. A
  // participant sees the campaign of their own submission on that submission.
  kReadCampaigns,
  kManageCampaigns,  // rename, merge, split, move, pin (audited)
  // The analysts' triage: the queue, decisions, verdict overrides, share candidates.
  kTriage,
  // Write in the conversation about a submission: hub staff ask, the submitting organisation's
  // submitters answer (readers read it with the submission).
  kConverse,
};

enum class Decision {
  kAllow,
  kForbidden,  // 403: the caller may know the object exists, but may not do this
  kNotFound,   // 404: the caller may not even know it exists (another organisation's)
};

// `owner` is the organisation the object belongs to (none for hub-wide objects and for
// submissions of external reporters). A participant asking about another organisation's object
// (to read or to change it) gets kNotFound: it does not exist for them. Token scopes narrow what
// the role allows: "read", "submit", "admin" (admin implies the others); a principal without scopes
// (a password login) has the role's full rights.
Decision authorize(const model::Principal& who, Action action,
                   std::optional<std::int64_t> owner = std::nullopt);

// For lists: the organisation a caller is restricted to (its own), or nullopt for hub staff who
// see every organisation.
std::optional<std::int64_t> visible_organization(const model::Principal& who);

}  // namespace renkei::hub
