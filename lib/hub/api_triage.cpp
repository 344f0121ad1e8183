// The analysts' triage (SPEC 3.3; docs/triage.md): the queue with a proposed decision per item,
// the decisions (share, not shared with a reason, ask the submitter), verdict overrides, the
// share candidates that fold equivalent reports, and the conversation with the submitter.
#include "hub/api_internal.hpp"
#include "hub/triage.hpp"

namespace renkei::hub::detail {
namespace {

json override_json(const model::VerdictOverride& v) {
  if (v.klass.empty() && !v.bec_type && v.targeting.empty()) return nullptr;
  return {{"class", v.klass.empty() ? json(nullptr) : json(v.klass)},
          {"bec_type", v.bec_type ? json(*v.bec_type) : json(nullptr)},
          {"targeting", v.targeting.empty() ? json(nullptr) : json(v.targeting)}};
}

json proposal_json(const Proposal& p) {
  return {{"decision", p.decision == model::TriageState::kPending
                           ? json("review")
                           : json(model::triage_state_id(p.decision))},
          {"reason", p.reason.empty() ? json(nullptr) : json(p.reason)},
          {"why", {{"en", p.why_en}, {"ja", p.why_ja}}}};
}

json item_json(const model::TriageItem& t) {
  json j = {{"submission_id", t.submission_id},
            {"organization_id", t.org_id ? json(*t.org_id) : json(nullptr)},
            {"kind", t.kind},
            {"status", t.status},
            {"submitted_at", t.submitted_at},
            {"subject", t.subject},
            {"from", t.from_address},
            {"verdict", t.verdict.empty() ? json(nullptr) : json(t.verdict)},
            {"bec_type", t.bec_type ? json(*t.bec_type) : json(nullptr)},
            {"targeting", t.targeting.empty() ? json(nullptr) : json(t.targeting)},
            {"score", t.score ? json(*t.score) : json(nullptr)},
            {"analyst_verdict", override_json(t.override_verdict)},
            {"indicators", t.indicators},
            {"proposed", proposal_json(propose(t))}};
  j["campaign"] = t.campaign_id ? json({{"id", *t.campaign_id},
                                        {"name", t.campaign_name},
                                        {"members", t.campaign_members},
                                        {"organizations", t.campaign_organizations}})
                                : json(nullptr);
  return j;
}

Response queue(const Call& c) {
  if (const auto d = authorize(c.who, Action::kTriage); d != Decision::kAllow)
    return c.deny(d, "triage");
  int limit = 50, offset = 0;
  for (const auto& [key, field] : {std::pair{"limit", &limit}, std::pair{"offset", &offset}}) {
    const std::string v = query_of(c.req, key);
    if (v.empty()) continue;
    const auto n = v == "0" ? std::optional<std::int64_t>(0) : to_id(v);
    if (!n || *n > 100000) return fail(Errc::kInvalidArgument, std::string(key) + " is a number");
    *field = static_cast<int>(*n);
  }
  auto items = c.store.triage_queue(limit, offset);
  if (!items) return error_response(items.error());
  auto pending = c.store.triage_pending();
  if (!pending) return error_response(pending.error());
  json out = json::array();
  for (const auto& t : *items) out.push_back(item_json(t));
  return json_response(200, {{"items", out}, {"pending", *pending}});
}

std::optional<model::VerdictOverride> override_from(const json& j, std::string& bad) {
  const auto it = j.find("verdict");
  if (it == j.end()) return std::nullopt;
  if (!it->is_object()) {
    bad = "verdict";
    return std::nullopt;
  }
  model::VerdictOverride v;
  v.klass = str(*it, "class", bad);
  v.targeting = str(*it, "targeting", bad);
  if (const auto b = it->find("bec_type"); b != it->end() && !b->is_null()) {
    if (!b->is_number_integer()) {
      bad = "bec_type";
      return std::nullopt;
    }
    v.bec_type = b->get<int>();
  }
  return v;
}

// POST /submissions/{id}/triage {"decision", "reason", "note", "verdict": {...}, "question"}
Response decide(const Call& c) {
  if (const auto d = authorize(c.who, Action::kTriage); d != Decision::kAllow)
    return c.deny(d, "triage");
  auto s = readable_submission(c);
  if (!s) return std::move(s.error());
  const auto& j = c.body();
  if (!j) return error_response(j.error());
  std::string bad;
  const std::string decision = str(*j, "decision", bad), reason = str(*j, "reason", bad),
                    note = str(*j, "note", bad), question = str(*j, "question", bad);
  auto verdict = override_from(*j, bad);
  if (!bad.empty())
    return fail(Errc::kInvalidArgument, "\"" + bad + "\" has the wrong type",
                "decision, reason, note, question are strings; verdict is {class, bec_type, "
                "targeting}");
  const auto state = model::triage_state_from_id(decision);
  if (!state)
    return fail(Errc::kInvalidArgument, "unknown decision \"" + decision.substr(0, 40) + "\"",
                "share, not_shared (with a reason), needs_info (with a question) or pending");
  if (*state == model::TriageState::kNeedsInfo && question.empty())
    return fail(Errc::kInvalidArgument, "asking for more information needs the question",
                "send {\"decision\": \"needs_info\", \"question\": \"...\"}");
  model::TriageDecision d;
  d.state = *state;
  d.reason = reason;
  d.note = note;
  d.override_verdict = verdict;
  d.by = c.who.user.id;
  if (auto r = c.store.decide(s->id, d); !r) return error_response(r.error());
  if (!question.empty()) {
    auto m = c.store.add_message(s->id, c.who.user.id, true, question);
    if (!m) return error_response(m.error());
  }
  std::string detail = decision + (reason.empty() ? "" : " (" + reason + ")");
  if (verdict) detail += "; verdict " + verdict->klass;
  c.audit("triage.decide", "submission:" + std::to_string(s->id), detail);
  return json_response(200, triage_json(c, s->id));
}

Response candidates(const Call& c) {
  if (const auto d = authorize(c.who, Action::kTriage); d != Decision::kAllow)
    return c.deny(d, "triage");
  auto list = c.store.share_candidates(200);
  if (!list) return error_response(list.error());
  json out = json::array();
  for (const auto& sc : *list) {
    out.push_back(
        {{"campaign", sc.campaign_id ? json({{"id", *sc.campaign_id}, {"name", sc.campaign_name}})
                                     : json(nullptr)},
         {"submissions", sc.submissions},
         {"reports", sc.reports},
         {"organizations", sc.organizations},
         {"last_decided_at", sc.last_decided_at}});
  }
  return json_response(200, {{"items", out}});
}

json message_json(const model::SubmissionMessage& m) {
  return {{"id", m.id}, {"from", m.from_hub ? "hub" : "submitter"}, {"text", m.text}, {"at", m.at}};
}

Response list_messages(const Call& c) {
  auto s = readable_submission(c);
  if (!s) return std::move(s.error());
  auto ms = c.store.messages(s->id);
  if (!ms) return error_response(ms.error());
  json out = json::array();
  for (const auto& m : *ms) out.push_back(message_json(m));
  return json_response(200, {{"items", out}});
}

Response post_message(const Call& c) {
  auto s = readable_submission(c);
  if (!s) return std::move(s.error());
  if (const auto d = authorize(c.who, Action::kConverse, s->org_id); d != Decision::kAllow)
    return c.deny(d, "write about this submission");
  const auto& j = c.body();
  if (!j) return error_response(j.error());
  std::string bad;
  const std::string text = str(*j, "text", bad);
  if (!bad.empty()) return fail(Errc::kInvalidArgument, "\"text\" must be a string", "");
  const bool hub = model::is_hub_role(c.who.user.role);
  auto m = c.store.add_message(s->id, c.who.user.id, hub, text);
  if (!m) return error_response(m.error());
  c.audit(hub ? "triage.question" : "triage.answer", "submission:" + std::to_string(s->id));
  return json_response(201, message_json(*m));
}

}  // namespace

json triage_json(const Call& c, std::int64_t submission_id) {
  auto t = c.store.triage(submission_id);
  if (!t) return nullptr;
  json j = {{"state", model::triage_state_id(t->state)},
            {"reason", t->reason.empty() ? json(nullptr) : json(t->reason)},
            {"decided_at", t->at.empty() ? json(nullptr) : json(t->at)},
            {"analyst_verdict", override_json(t->override_verdict)}};
  if (authorize(c.who, Action::kTriage) == Decision::kAllow) {
    j["note"] = t->note;
    j["decided_by"] = t->by ? json(*t->by) : json(nullptr);
  }
  return j;
}

void add_triage_routes(Api::Routes& r) {
  r.add("GET", "/triage", queue);
  r.add("POST", "/submissions/{id}/triage", decide);
  r.add("GET", "/share-candidates", candidates);
  r.add("GET", "/submissions/{id}/messages", list_messages);
  r.add("POST", "/submissions/{id}/messages", post_message);
}

}  // namespace renkei::hub::detail
