// renkei::content — what a message body says and links to: HTML to text, anchors and images,
// URL / domain / IP / e-mail extraction, refanging input and defanging output, language.
//
// Contract: every function takes untrusted UTF-8 text (invalid sequences tolerated), never
// throws, never fails, and bounds its work with the named limits below (reporting when one was
// hit). Thread-safe: no shared mutable state.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace renkei::content {

struct HtmlLimits {
  std::size_t max_input_bytes = 8u << 20;  // HTML beyond this is cut before parsing
  std::size_t max_nodes = 200000;          // DOM nodes visited
  std::size_t max_links = 5000;
  std::size_t max_text_bytes = 4u << 20;
};

// An <a href> (or <area href>) with the text a reader sees.
struct Anchor {
  std::string href;  // as written (entity-decoded, trimmed)
  std::string text;  // visible text, whitespace collapsed
};

// An <img> or CSS/background image reference.
struct Image {
  std::string src;
  int width = -1;  // from attributes or inline style, -1 if unknown
  int height = -1;
  bool hidden = false;  // display:none / visibility:hidden / 0-size
};

struct HtmlDoc {
  std::string
      text;  // visible text: scripts, styles and comments dropped, block elements as newlines
  std::string title;
  std::vector<Anchor> anchors;
  std::vector<Image> images;
  std::vector<std::string> form_actions;
  bool has_script = false;
  bool has_form = false;
  bool has_password_input = false;
  bool has_meta_refresh = false;
  // Bytes of text inside hidden elements (display:none, zero size, the hidden attribute…): words
  // the reader never sees but a filter reads, such as padding that makes every copy differ.
  std::size_t hidden_text_bytes = 0;
  bool limit_hit = false;
  std::string limit_detail;
};

// Extracts what a reader sees and what the message links to, straight from the HTML5 token
// stream with a small model of the open elements (implied end tags, hidden subtrees, raw text).
// Several times faster than building a DOM; text may differ from a browser's in where words
// land around malformed tables and misnested formatting, not in which words are visible.
HtmlDoc parse_html(std::string_view html, const HtmlLimits& limits = {});

// The reference implementation: the same extraction over a real HTML5 tree (gumbo). About ten
// times slower than parse_html; kept for the differential tests that hold parse_html to it.
HtmlDoc parse_html_gumbo(std::string_view html, const HtmlLimits& limits = {});

// ---- Showing hostile HTML ----

struct SanitizeLimits {
  std::size_t max_input_bytes = 4u << 20;   // HTML beyond this is cut
  std::size_t max_output_bytes = 8u << 20;  // the rewritten document stops here
  std::size_t max_remote = 500;             // remote references recorded
};

struct SanitizedHtml {
  std::string html;                 // a whole document, safe to show in a sandboxed frame
  std::vector<std::string> remote;  // remote images and backgrounds that were removed (as written)
  bool limit_hit = false;
  std::string limit_detail;
};

// Rewrites a message's HTML into a document that can be shown without running or fetching
// anything: an allow-list of formatting elements and attributes survives; scripts, styles,
// frames, forms, objects, SVG/MathML, comments and event handlers are dropped with their content;
// links lose their targets (shown defanged in the title instead); images keep only embedded
// data: sources, and remote ones are listed. The web UI shows the result in a sandboxed iframe
// under a CSP of default-src 'none' — this is the second wall, not the only one.
SanitizedHtml sanitize_html(std::string_view html, const SanitizeLimits& limits = {});

// ---- Indicators ----

// Undoes common defanging: hxxp(s) / hXXp, [.] (.) {.} [dot] (dot), [:] , [@] [at], [/] ,
// "example[.]com", "1.2.3[.]4". Leaves ordinary text unchanged.
std::string refang(std::string_view text);

// Defangs an indicator for human-readable output: "http" -> "hxxp", the last dot of a
// domain/IP -> "[.]" (5.189.162[.]164, example[.]com), "@" kept. Idempotent.
std::string defang(std::string_view indicator);

struct UrlRef {
  std::string url;   // normalised: scheme lowercased, host lowercased; as found otherwise
  std::string host;  // lowercased host (IDN left as written: punycode or UTF-8)
};

// URLs in plain text (http, https, ftp, and "www." without scheme), after refanging.
std::vector<UrlRef> extract_urls(std::string_view text, std::size_t max_urls = 5000);

// Host of a URL ("" if none): lowercased, without userinfo, port, trailing dot.
std::string url_host(std::string_view url);

// Bare e-mail addresses in text.
std::vector<std::string> extract_emails(std::string_view text, std::size_t max = 5000);

// IPv4 / IPv6 literals in text (IPv4 validated: four octets 0-255).
std::vector<std::string> extract_ipv4(std::string_view text, std::size_t max = 5000);
std::vector<std::string> extract_ipv6(std::string_view text, std::size_t max = 5000);

bool is_ipv4(std::string_view s);
bool is_ipv6(std::string_view s);

// ---- Language ----

// BCP 47 language code of the text ("ja", "en", "es", "fr", "zh", …) or "und" when unknown.
// Uses CLD2; text shorter than a few words falls back to script detection (kana -> "ja").
std::string detect_language(std::string_view utf8_text);
// How much of the author's own text the analysis gives detect_language, after the subject: the
// language shows in the first lines, and CLD2's cost grows with what it reads.
inline constexpr std::size_t kLanguageSampleBytes = 8192;

// ---- Text structure ----

// Splits a plain-text body into the author's new text, the quoted earlier thread (lines starting
// with '>' or after an "On … wrote:" / "-----Original Message-----" / "From: … Sent:" /
// "差出人:" / "送信日時:" separator) and the signature block ("-- ", or a short trailing block of
// name / company / phone / address lines).
struct TextParts {
  std::string new_text;
  std::string quoted;
  std::string signature;                // signature of the new text, not of the quoted thread
  std::string quoted_signature_region;  // tail of the quoted thread where its signature usually is
};
TextParts split_text(std::string_view body);

}  // namespace renkei::content
