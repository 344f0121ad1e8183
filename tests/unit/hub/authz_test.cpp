// The authorisation matrix: every action × every role × own / other organisation × token scopes.
// The expected table is written out, so a change of policy is a visible change here.
#include <gtest/gtest.h>

#include <map>
#include <tuple>

#include "hub/authz.hpp"

using namespace renkei;
using namespace renkei::hub;
using model::Role;

namespace {

constexpr std::int64_t kOwn = 10, kOther = 20;

model::Principal principal(Role role, std::vector<std::string> scopes = {}) {
  model::Principal p;
  p.user.id = 1;
  p.user.role = role;
  p.user.org_id = kOwn;
  p.scopes = std::move(scopes);
  return p;
}

constexpr Decision A = Decision::kAllow, F = Decision::kForbidden, N = Decision::kNotFound;

}  // namespace

TEST(Authz, MatrixOfRolesActionsAndOwnership) {
  const Role roles[] = {Role::kHubAdmin, Role::kHubAnalyst, Role::kSubmitter, Role::kReader,
                        Role::kLiaison};
  struct Row {
    Action action;
    std::optional<std::int64_t> owner;
    Decision expected[5];  // hub_admin, hub_analyst, submitter, reader, liaison
  };
  const Row rows[] = {
      {Action::kSubmit, std::nullopt, {A, A, A, F, F}},
      {Action::kReadSubmission, kOwn, {A, A, A, A, A}},
      {Action::kReadSubmission, kOther, {A, A, N, N, N}},  // another organisation's: 404, not 403
      {Action::kReadSubmission, std::nullopt, {A, A, N, N, N}},  // an external reporter's
      {Action::kListSubmissions, std::nullopt, {A, A, A, A, A}},
      {Action::kReadOrganization, kOwn, {A, A, A, A, A}},
      {Action::kReadOrganization, kOther, {A, A, N, N, N}},
      {Action::kReadCommunity, std::nullopt, {A, A, A, A, A}},
      {Action::kManageOrganizations, std::nullopt, {A, F, F, F, F}},
      {Action::kManageOrganizations, kOwn, {A, F, F, F, F}},
      {Action::kManageOrganizations,
       kOther,
       {A, F, N, N, N}},  // changing another organisation: it does not exist
      {Action::kReadUsers, std::nullopt, {A, F, F, F, F}},
      {Action::kManageUsers, std::nullopt, {A, F, F, F, F}},
      {Action::kManageOwnTokens, std::nullopt, {A, A, A, A, A}},
      {Action::kManageSettings, std::nullopt, {A, F, F, F, F}},
      {Action::kReadAudit, std::nullopt, {A, A, F, F, F}},
      {Action::kReadRegistryData, kOwn, {A, A, A, A, A}},
      {Action::kReadRegistryData, kOther, {A, A, N, N, N}},     // who else is a member: hidden
      {Action::kReadCampaigns, std::nullopt, {A, A, F, F, F}},  // ties organisations together
      {Action::kManageCampaigns, std::nullopt, {A, A, F, F, F}},
      {Action::kTriage, std::nullopt, {A, A, F, F, F}},
      {Action::kConverse, kOwn, {A, A, A, F, F}},    // the submitter answers; readers read
      {Action::kConverse, kOther, {A, A, N, N, N}},  // another organisation's: not found
  };
  for (const Row& row : rows)
    for (int r = 0; r < 5; ++r)
      EXPECT_EQ(authorize(principal(roles[r]), row.action, row.owner), row.expected[r])
          << "role " << model::role_id(roles[r]) << ", action " << static_cast<int>(row.action)
          << ", owner " << (row.owner ? std::to_string(*row.owner) : "none");
}

TEST(Authz, TokenScopesNarrowTheRole) {
  // A read-only token of a submitter cannot submit; a submit-only one cannot read.
  EXPECT_EQ(authorize(principal(Role::kSubmitter, {"read"}), Action::kSubmit), F);
  EXPECT_EQ(authorize(principal(Role::kSubmitter, {"submit"}), Action::kSubmit), A);
  EXPECT_EQ(authorize(principal(Role::kSubmitter, {"submit"}), Action::kReadSubmission, kOwn), F);
  // Scopes never widen a role: an admin-scoped token of a reader is still a reader.
  EXPECT_EQ(authorize(principal(Role::kReader, {"admin"}), Action::kSubmit), F);
  EXPECT_EQ(authorize(principal(Role::kReader, {"admin"}), Action::kManageUsers), F);
  // The hub admin's bootstrap token ("admin") can do everything the role can.
  EXPECT_EQ(authorize(principal(Role::kHubAdmin, {"admin"}), Action::kManageUsers), A);
  EXPECT_EQ(authorize(principal(Role::kHubAdmin, {"read"}), Action::kManageUsers), F);
  // Reading the user list is reading; changing users and the hub's tables needs "admin".
  EXPECT_EQ(authorize(principal(Role::kHubAdmin, {"read"}), Action::kReadUsers), A);
  EXPECT_EQ(authorize(principal(Role::kHubAdmin, {"submit"}), Action::kReadUsers), F);
  EXPECT_EQ(authorize(principal(Role::kHubAdmin, {"read"}), Action::kManageSettings), F);
  EXPECT_EQ(authorize(principal(Role::kHubAdmin, {"admin"}), Action::kManageSettings), A);
  EXPECT_EQ(authorize(principal(Role::kHubAdmin, {"read"}), Action::kManageOrganizations, kOther),
            F);
  // Another organisation's object stays invisible whatever the scopes.
  EXPECT_EQ(authorize(principal(Role::kSubmitter, {"submit"}), Action::kReadSubmission, kOther), N);
}

TEST(Authz, DisabledUsersAndListsOfParticipants) {
  auto p = principal(Role::kHubAdmin);
  p.user.disabled = true;
  EXPECT_EQ(authorize(p, Action::kReadAudit), F);
  EXPECT_EQ(authorize(p, Action::kReadUsers), F);
  EXPECT_EQ(authorize(p, Action::kManageSettings), F);
  // A browser session carries the role's full rights (no scopes).
  auto browser = principal(Role::kHubAdmin);
  browser.session = true;
  EXPECT_EQ(authorize(browser, Action::kManageSettings), A);
  EXPECT_EQ(visible_organization(principal(Role::kHubAnalyst)), std::nullopt);
  EXPECT_EQ(visible_organization(principal(Role::kReader)), kOwn);
  auto orphan = principal(Role::kSubmitter);
  orphan.user.org_id.reset();
  EXPECT_EQ(visible_organization(orphan), -1);  // sees nothing
  EXPECT_EQ(authorize(orphan, Action::kSubmit), F);
}
