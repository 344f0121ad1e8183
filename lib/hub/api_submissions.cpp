// The submission endpoints: submit (a mail as message/rfc822, or a JSON object for every kind),
// list with filters and search, read one with its analysis, download the original bytes.
#include <sodium.h>

#include <algorithm>

#include "hub/api_internal.hpp"
#include "hub/redact.hpp"

namespace renkei::hub::detail {
namespace {

json submission_json(const model::Submission& s, bool hub_view, bool detail) {
  json j = {{"id", s.id},
            {"organization_id", s.org_id ? json(*s.org_id) : json(nullptr)},
            {"external_reporter", s.external_reporter},
            {"kind", model::kind_id(s.kind)},
            {"channel", s.channel},
            {"disclosure", model::disclosure_id(s.disclosure)},
            {"consultation_category", s.consultation_category},
            {"free_text", s.free_text},
            {"status", model::status_id(s.status)},
            {"submitted_at", s.submitted_at},
            {"analysed_at", s.analysed_at.empty() ? json(nullptr) : json(s.analysed_at)},
            {"verdict", s.verdict_class.empty() ? json(nullptr) : json(s.verdict_class)},
            {"subject", s.subject},
            {"artefact", s.artefact_sha256.empty()
                             ? json(nullptr)
                             : json({{"sha256", s.artefact_sha256}, {"size", s.artefact_size}})},
            {"error", s.error.empty() ? json(nullptr) : json(s.error)}};
  // Who in the organisation submitted it is for the hub; participants see their organisation's.
  if (hub_view) j["submitted_by"] = s.submitted_by ? json(*s.submitted_by) : json(nullptr);
  if (detail)
    j["analysis"] =
        s.analysis_json.empty() ? json(nullptr) : json::parse(s.analysis_json, nullptr, false);
  return j;
}

Result<std::string> base64_decode(std::string_view b64) {
  std::string out(b64.size() / 4 * 3 + 3, '\0');
  std::size_t n = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), b64.data(),
                        b64.size(), " \r\n\t", &n, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0)
    return make_error(Errc::kInvalidArgument, "artefact_base64 is not valid base64",
                      "encode the file with standard base64 (RFC 4648)");
  out.resize(n);
  return out;
}

Response bad_disclosure(std::string_view value) {
  return fail(Errc::kInvalidArgument,
              "unknown disclosure \"" + std::string(value.substr(0, 40)) + "\"",
              "use not_shared, anonymised or with_name");
}

// The fields of a JSON submission (POST /submissions with application/json) into `s`.
std::optional<Response> read_json_submission(const Call& c, model::NewSubmission& s) {
  const auto& body = c.body();
  if (!body) return error_response(body.error());
  const json& j = *body;
  std::string bad;
  const std::string kind = str(j, "kind", bad), disclosure = str(j, "disclosure", bad),
                    b64 = str(j, "artefact_base64", bad);
  s.free_text = str(j, "free_text", bad);
  s.consultation_category = str(j, "consultation_category", bad);
  const std::string external = str(j, "external_reporter", bad);
  if (!bad.empty()) return fail(Errc::kInvalidArgument, "\"" + bad + "\" must be a string", "");
  auto k = model::kind_from_id(kind.empty() ? "email" : kind);
  if (!k)
    return fail(Errc::kInvalidArgument, "unknown kind \"" + kind.substr(0, 40) + "\"",
                "use email, communication, incident, malware, fake_site or consultation");
  s.kind = *k;
  if (!disclosure.empty()) {
    auto d = model::disclosure_from_id(disclosure);
    if (!d) return bad_disclosure(disclosure);
    s.disclosure = *d;
  }
  if (!external.empty()) {
    // Reports from outside the community are recorded by the hub.
    if (!model::is_hub_role(c.who.user.role))
      return fail(Errc::kPermissionDenied, "only the hub records external reporters' submissions",
                  "");
    s.external_reporter = external;
    s.org_id.reset();
  }
  if (!b64.empty()) {
    auto bytes = base64_decode(b64);
    if (!bytes) return error_response(bytes.error());
    s.artefact = std::move(*bytes);
  }
  if (s.kind == model::SubmissionKind::kConsultation && s.consultation_category.empty())
    return fail(Errc::kInvalidArgument, "a consultation needs a consultation_category",
                "see GET /api/v1/consultation-categories");
  if (!s.consultation_category.empty()) {
    auto cats = c.store.consultation_categories();
    if (!cats) return error_response(cats.error());
    if (std::none_of(cats->begin(), cats->end(),
                     [&](const auto& cat) { return cat.key == s.consultation_category; }))
      return fail(Errc::kInvalidArgument,
                  "unknown consultation_category \"" + s.consultation_category.substr(0, 40) + "\"",
                  "see GET /api/v1/consultation-categories");
  }
  return std::nullopt;
}

Response create(const Call& c) {
  if (const auto d = authorize(c.who, Action::kSubmit); d != Decision::kAllow)
    return c.deny(d, "submit");
  model::NewSubmission s;
  s.org_id = c.who.user.org_id;
  s.submitted_by = c.who.user.id;
  s.channel = "api";
  const std::string ct = media_type(c.req);
  if (ct == "message/rfc822" || ct == "application/octet-stream") {
    s.kind = model::SubmissionKind::kEmail;
    s.artefact = c.req.body;
    if (const std::string v = query_of(c.req, "disclosure"); c.req.query.count("disclosure")) {
      auto d = model::disclosure_from_id(v);
      if (!d) return bad_disclosure(v);
      s.disclosure = *d;
    }
    if (const std::string v = query_of(c.req, "channel"); v == "cli" || v == "web") s.channel = v;
  } else if (ct == "application/json") {
    if (auto refused = read_json_submission(c, s)) return std::move(*refused);
  } else {
    return fail(Errc::kUnsupported, "unsupported Content-Type \"" + ct.substr(0, 60) + "\"",
                "send the mail as message/rfc822, or a JSON object as application/json");
  }
  if (!s.org_id && s.external_reporter.empty())
    return fail(Errc::kInvalidArgument, "your account belongs to no organisation",
                "hub staff submit on behalf of an external reporter with \"external_reporter\"");
  auto r = c.store.submit(s);
  if (!r) return error_response(r.error());
  if (!r->duplicate) {
    c.audit("submission.create", "submission:" + std::to_string(r->id),
            std::string(model::kind_id(s.kind)));
    if (c.ctx.on_submitted) c.ctx.on_submitted();
  }
  Response resp =
      json_response(r->duplicate ? 200 : 202,
                    {{"id", r->id},
                     {"duplicate", r->duplicate},
                     {"links", {{"self", "/api/v1/submissions/" + std::to_string(r->id)}}}});
  resp.headers.emplace_back("Location", "/api/v1/submissions/" + std::to_string(r->id));
  return resp;
}

Response list(const Call& c) {
  if (const auto d = authorize(c.who, Action::kListSubmissions); d != Decision::kAllow)
    return c.deny(d, "list submissions");
  store::SubmissionFilter f;
  f.org_id = visible_organization(c.who);
  auto q = [&](const char* k) { return query_of(c.req, k); };
  if (auto v = q("status"); !v.empty()) {
    f.status = model::status_from_id(v);
    if (!f.status)
      return fail(Errc::kInvalidArgument, "unknown status \"" + v.substr(0, 40) + "\"",
                  "use queued, analysing, analysed or failed");
  }
  if (auto v = q("kind"); !v.empty()) {
    f.kind = model::kind_from_id(v);
    if (!f.kind)
      return fail(Errc::kInvalidArgument, "unknown kind \"" + v.substr(0, 40) + "\"", "");
  }
  f.verdict_class = q("verdict");
  f.text = q("q");
  if (auto v = q("before"); !v.empty()) {
    auto id = to_id(v);
    if (!id)
      return fail(Errc::kInvalidArgument, "before must be a submission id",
                  "use next_before of the previous page");
    f.before_id = *id;
  }
  if (auto v = q("limit"); !v.empty()) {
    auto n = to_id(v);
    if (!n || *n > store::kMaxListLimit)
      return fail(Errc::kInvalidArgument, "limit must be 1 to 500", "");
    f.limit = static_cast<int>(*n);
  }
  auto rows = c.store.submissions(f);
  if (!rows) return error_response(rows.error());
  const bool hub_view = model::is_hub_role(c.who.user.role);
  json items = json::array();
  for (const auto& s : *rows) items.push_back(submission_json(s, hub_view, false));
  const bool more = static_cast<int>(rows->size()) == f.limit;
  return json_response(
      200, {{"items", items}, {"next_before", more ? json(rows->back().id) : json(nullptr)}});
}

Response read(const Call& c) {
  auto s = readable_submission(c);
  if (!s) return std::move(s.error());
  json j = submission_json(*s, model::is_hub_role(c.who.user.role), true);
  j["campaign"] = submission_campaign_json(c, s->id);
  j["triage"] = triage_json(c, s->id);
  // What the analysis says of other members' registered data is for the hub (redact.hpp).
  if (!model::is_hub_role(c.who.user.role) && j["analysis"].is_object()) {
    auto orgs = c.store.organizations();
    if (!orgs) return error_response(orgs.error());
    AnalysisRedactor::for_viewer(c.who, *orgs).apply(j["analysis"]);
  }
  return json_response(200, j);
}

Response raw(const Call& c) {
  auto s = readable_submission(c);
  if (!s) return std::move(s.error());
  if (s->artefact_sha256.empty()) return fail(Errc::kNotFound, "this submission has no file", "");
  auto bytes = c.store.artefact(s->artefact_sha256);
  if (!bytes) return error_response(bytes.error());
  Response r;
  r.content_type =
      s->kind == model::SubmissionKind::kEmail ? "message/rfc822" : "application/octet-stream";
  r.body = std::move(*bytes);
  // The bytes are attacker-written: never rendered by a browser from here.
  r.headers.emplace_back("Content-Disposition",
                         "attachment; filename=\"submission-" + std::to_string(s->id) + ".eml\"");
  return r;
}

}  // namespace

tl::expected<model::Submission, Response> readable_submission(const Call& c) {
  const auto id = c.id();
  const auto missing = [] {
    return tl::unexpected(fail(Errc::kNotFound, "no submission here", ""));
  };
  if (!id) return missing();
  // A missing submission and another organisation's answer the same: nothing tells them apart.
  auto s = c.store.submission(*id);
  if (!s && s.error().code == Errc::kNotFound) return missing();
  if (!s) return tl::unexpected(error_response(s.error()));
  if (const auto d = authorize(c.who, Action::kReadSubmission, s->org_id); d != Decision::kAllow)
    return d == Decision::kNotFound ? missing() : tl::unexpected(c.deny(d, "read this submission"));
  return std::move(*s);
}

void add_submission_routes(Api::Routes& r) {
  r.add("POST", "/submissions", create);
  r.add("GET", "/submissions", list);
  r.add("GET", "/submissions/{id}", read);
  r.add("GET", "/submissions/{id}/raw", raw);
}

}  // namespace renkei::hub::detail
