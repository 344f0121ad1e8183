// The endpoints the web UI reads a mail and the dashboard through: the body as text, the HTML as a
// sanitized document that runs and fetches nothing, and counts of submissions.
#include "analysis/analysis.hpp"
#include "content/content.hpp"
#include "hub/api_internal.hpp"

namespace renkei::hub::detail {
namespace {

// Text beyond this is cut in the view (the original stays downloadable).
constexpr std::size_t kMaxBodyTextBytes = 1u << 20;

// The HTML view's own policy, replacing the API's: a sandbox (no scripts, no forms, no
// navigation of the page around it, an opaque origin), nothing fetched — only inline styles and
// embedded images — and framed by the hub's own pages only.
constexpr const char* kHtmlViewCsp =
    "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; "
    "frame-ancestors 'self'; "
    "base-uri 'none'; form-action 'none'";

// The mail's body as the analysis kept it. A submission analysed before the store kept bodies
// (schema 3) has it extracted once from its original bytes, and kept from then on.
Result<model::Body> body_of(const Call& c, const model::Submission& s) {
  RENKEI_TRY(kept, c.store.body(s.id));
  if (kept) return std::move(*kept);
  RENKEI_TRY(bytes, c.store.artefact(s.artefact_sha256));
  // Extraction needs no registry; one engine per HTTP thread (an engine is cheap to share, but
  // building it is not).
  thread_local const analysis::Engine engine{analysis::Options{}};
  analysis::Body b = engine.extract_body(bytes);
  model::Body body{std::move(b.text), std::move(b.html)};
  (void)c.store.keep_body(s.id, body);  // best effort: the next view extracts it again
  return body;
}

Response mail_view(const Call& c, bool html) {
  auto s = readable_submission(c);
  if (!s) return std::move(s.error());
  if (s->kind != model::SubmissionKind::kEmail || s->artefact_sha256.empty())
    return fail(Errc::kNotFound, "this submission has no mail",
                "only e-mail submissions have a body to show");
  auto body = body_of(c, *s);
  if (!body) return error_response(body.error());
  const content::SanitizedHtml clean = content::sanitize_html(body->html);
  if (html) {
    if (body->html.empty())
      return fail(Errc::kNotFound, "this mail has no HTML part", "read its text instead");
    Response r;
    r.content_type = "text/html; charset=utf-8";
    r.body = clean.html;
    r.headers.emplace_back("Content-Security-Policy", kHtmlViewCsp);
    r.headers.emplace_back("X-Frame-Options", "SAMEORIGIN");
    r.headers.emplace_back("Referrer-Policy", "no-referrer");
    r.headers.emplace_back("Cross-Origin-Resource-Policy", "same-origin");
    return r;
  }
  // Cut only a text over the limit, and then before the character the limit falls in (a cut in
  // the middle of a UTF-8 sequence would show as U+FFFD).
  std::string text = body->text;
  if (text.size() > kMaxBodyTextBytes) {
    std::size_t n = kMaxBodyTextBytes;
    while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;
    text.resize(n);
  }
  json limits = json::array();
  if (body->text.size() > kMaxBodyTextBytes)
    limits.push_back("text cut at " + std::to_string(kMaxBodyTextBytes) + " bytes");
  if (clean.limit_hit) limits.push_back(clean.limit_detail);
  return json_response(200, {{"text", text},
                             {"has_html", !body->html.empty()},
                             {"remote_images", clean.remote},
                             {"limits_hit", limits}});
}

// GET /stats?since=RFC3339: counts by verdict, status and kind, of what the caller may list.
Response stats(const Call& c) {
  if (const auto d = authorize(c.who, Action::kListSubmissions); d != Decision::kAllow)
    return c.deny(d, "read statistics");
  const std::string since = query_of(c.req, "since");
  auto counts = c.store.submission_counts(visible_organization(c.who), since);
  if (!counts) return error_response(counts.error());
  auto as_object = [](const std::vector<std::pair<std::string, std::int64_t>>& rows) {
    json o = json::object();
    for (const auto& [k, n] : rows) o[k.empty() ? "none" : k] = n;
    return o;
  };
  return json_response(200, {{"since", since.empty() ? json(nullptr) : json(since)},
                             {"total", counts->total},
                             {"by_verdict", as_object(counts->by_verdict)},
                             {"by_status", as_object(counts->by_status)},
                             {"by_kind", as_object(counts->by_kind)}});
}

}  // namespace

void add_mail_routes(Api::Routes& r) {
  r.add("GET", "/submissions/{id}/body", [](const Call& c) { return mail_view(c, false); });
  r.add("GET", "/submissions/{id}/body.html", [](const Call& c) { return mail_view(c, true); });
  r.add("GET", "/stats", stats);
}

}  // namespace renkei::hub::detail
