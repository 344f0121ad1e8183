// The stable ids of the model's enumerations: what JSON, the API, the database and the tests
// write. An id never changes once released.
#include <cstddef>

#include "model/model.hpp"

namespace renkei::model {

std::string_view role_id(Role r) {
  switch (r) {
    case Role::kHubAdmin:
      return "hub_admin";
    case Role::kHubAnalyst:
      return "hub_analyst";
    case Role::kSubmitter:
      return "submitter";
    case Role::kReader:
      return "reader";
    case Role::kLiaison:
      return "liaison";
  }
  return "reader";
}

std::string_view kind_id(SubmissionKind k) {
  switch (k) {
    case SubmissionKind::kEmail:
      return "email";
    case SubmissionKind::kCommunication:
      return "communication";
    case SubmissionKind::kIncident:
      return "incident";
    case SubmissionKind::kMalware:
      return "malware";
    case SubmissionKind::kFakeSite:
      return "fake_site";
    case SubmissionKind::kConsultation:
      return "consultation";
  }
  return "email";
}

std::string_view disclosure_id(Disclosure d) {
  switch (d) {
    case Disclosure::kNotShared:
      return "not_shared";
    case Disclosure::kAnonymised:
      return "anonymised";
    case Disclosure::kWithName:
      return "with_name";
  }
  return "not_shared";
}

std::string_view status_id(Status s) {
  switch (s) {
    case Status::kQueued:
      return "queued";
    case Status::kAnalysing:
      return "analysing";
    case Status::kAnalysed:
      return "analysed";
    case Status::kFailed:
      return "failed";
  }
  return "queued";
}

namespace {
// The enumerator whose id is `id`: enumerators are numbered 0..N-1.
template <typename E, std::size_t N, typename F>
std::optional<E> from_id(std::string_view id, F&& name_of) {
  for (std::size_t i = 0; i < N; ++i)
    if (name_of(static_cast<E>(i)) == id) return static_cast<E>(i);
  return std::nullopt;
}
}  // namespace

std::optional<Role> role_from_id(std::string_view id) {
  return from_id<Role, 5>(id, role_id);
}
std::optional<SubmissionKind> kind_from_id(std::string_view id) {
  return from_id<SubmissionKind, 6>(id, kind_id);
}
std::optional<Disclosure> disclosure_from_id(std::string_view id) {
  return from_id<Disclosure, 3>(id, disclosure_id);
}
std::optional<Status> status_from_id(std::string_view id) {
  return from_id<Status, 4>(id, status_id);
}

std::string_view assigner_id(CampaignAssigner a) {
  return a == CampaignAssigner::kAnalyst ? "analyst" : "engine";
}

std::string_view triage_state_id(TriageState s) {
  switch (s) {
    case TriageState::kShare:
      return "share";
    case TriageState::kNotShared:
      return "not_shared";
    case TriageState::kNeedsInfo:
      return "needs_info";
    case TriageState::kPending:
      break;
  }
  return "pending";
}

std::optional<TriageState> triage_state_from_id(std::string_view id) {
  for (const auto s : {TriageState::kPending, TriageState::kShare, TriageState::kNotShared,
                       TriageState::kNeedsInfo})
    if (triage_state_id(s) == id) return s;
  return std::nullopt;
}

bool is_not_shared_reason(std::string_view r) {
  return r == "mass_mailed" || r == "not_an_attack" || r == "duplicate" ||
         r == "insufficient_information";
}

}  // namespace renkei::model
