// The endpoints the web UI reads a mail and the dashboard through: the body as text, the HTML as a
// sanitized document that runs and fetches nothing, and counts of submissions.
#include <memory>

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

// One engine per HTTP thread: extraction needs no registry, and an engine is not shared across
// threads.
const analysis::Engine& engine() {
  thread_local const std::unique_ptr<analysis::Engine> e =
      std::make_unique<analysis::Engine>(analysis::Options{});
  return *e;
}

}  // namespace

Response mail_view(const Call& call, const store::Submission& s, bool html) {
  if (s.kind != store::SubmissionKind::kEmail || s.artefact_sha256.empty())
    return fail(Errc::kNotFound, "this submission has no mail",
                "only e-mail submissions have a body to show");
  auto bytes = call.store.artefact(s.artefact_sha256);
  if (!bytes) return error_response(bytes.error());
  const analysis::Analysis a = engine().analyze(*bytes, "submission:" + std::to_string(s.id));
  const content::SanitizedHtml clean = content::sanitize_html(a.html);
  if (html) {
    if (a.html.empty())
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
  std::string text = a.text.substr(0, kMaxBodyTextBytes);
  while (!text.empty() && (static_cast<unsigned char>(text.back()) & 0xC0) == 0x80) text.pop_back();
  json limits = json::array();
  if (a.text.size() > kMaxBodyTextBytes)
    limits.push_back("text cut at " + std::to_string(kMaxBodyTextBytes) + " bytes");
  if (clean.limit_hit) limits.push_back(clean.limit_detail);
  return json_response(200, {{"text", text},
                             {"has_html", !a.html.empty()},
                             {"remote_images", clean.remote},
                             {"limits_hit", limits}});
}

std::optional<Response> handle_stats(const Call& call) {
  if (call.parts.size() != 1 || call.parts[0] != "stats" || !call.method("GET"))
    return std::nullopt;
  if (const auto d = authorize(call.who, Action::kListSubmissions); d != Decision::kAllow)
    return call.deny(d, "read statistics");
  const std::string since = query_of(call.req, "since");
  auto counts = call.store.submission_counts(visible_organization(call.who), since);
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

}  // namespace renkei::hub::detail
