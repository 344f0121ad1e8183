// sanitize_html: the message's HTML, rewritten token by token (html_scan's tokenizer) into an
// allow-list of harmless markup. Streaming rather than a DOM: linear in the input, no tree that
// hostile nesting could make expensive, and what a browser would do with broken nesting does not
// matter — nothing that survives can run or fetch, whatever the tree ends up being.
#include <algorithm>
#include <array>

#include "content/content.hpp"
#include "content/html_entities.hpp"
#include "content/html_scan.hpp"
#include "content/text_util.hpp"

namespace renkei::content {
namespace {

// Formatting and structure only. Everything else is dropped: its tags, or with its content.
constexpr std::array kAllowed = {
    "a",       "abbr",   "address", "article", "b",          "big",      "blockquote", "br",
    "caption", "center", "cite",    "code",    "col",        "colgroup", "dd",         "del",
    "div",     "dl",     "dt",      "em",      "figcaption", "figure",   "font",       "footer",
    "h1",      "h2",     "h3",      "h4",      "h5",         "h6",       "header",     "hr",
    "i",       "img",    "ins",     "kbd",     "li",         "main",     "mark",       "ol",
    "p",       "pre",    "q",       "s",       "section",    "small",    "span",       "strike",
    "strong",  "sub",    "sup",     "table",   "tbody",      "td",       "tfoot",      "th",
    "thead",   "tr",     "tt",      "u",       "ul",         "wbr"};
constexpr std::array kVoid = {"br", "col", "hr", "img", "wbr"};
// Dropped with everything inside. The first group's content is raw text for the tokenizer.
constexpr std::array kRawText = {"script", "style",   "title",    "textarea", "xmp",
                                 "iframe", "noembed", "noframes", "noscript"};
constexpr std::array kDropSubtree = {"head",   "svg",  "math",   "template", "object", "applet",
                                     "select", "form", "button", "frameset", "map"};
constexpr std::array kAttrs = {"align",       "alt",   "bgcolor", "border", "cellpadding",
                               "cellspacing", "color", "colspan", "dir",    "face",
                               "height",      "lang",  "rowspan", "size",   "span",
                               "style",       "title", "valign",  "width"};

// HTML start tags that end foreign content (an open <svg> or <math>) in a browser: the parser
// closes the foreign elements and goes on with HTML (WHATWG HTML, "parsing main inforeign").
// An unclosed <svg> must not hide the rest of the mail from the analyst.
constexpr std::array kBreaksForeignContent = {
    "b",      "big",  "blockquote", "body",  "br",   "center", "code",    "dd",   "div",
    "dl",     "dt",   "em",         "embed", "h1",   "h2",     "h3",      "h4",   "h5",
    "h6",     "head", "hr",         "i",     "img",  "li",     "listing", "menu", "meta",
    "nobr",   "ol",   "p",          "pre",   "ruby", "s",      "small",   "span", "strong",
    "strike", "sub",  "sup",        "table", "tt",   "u",      "ul",      "var"};

template <std::size_t N>
bool in(const std::array<const char*, N>& set, std::string_view name) {
  return std::any_of(set.begin(), set.end(), [&](const char* s) { return name == s; });
}

void escape_into(std::string& out, std::string_view s, bool attribute) {
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        if (attribute)
          out += "&quot;";
        else
          out += c;
        break;
      case '\0':
        out += "\xEF\xBF\xBD";
        break;
      default:
        out += c;
    }
  }
}

// Inline CSS that can only format: anything that could reference a resource or run code (url(),
// image-set(), @import, expression(), behavior, -moz-binding, escapes that could spell them)
// drops the whole attribute.
bool harmless_style(std::string_view css) {
  if (css.find('\\') != std::string_view::npos || css.find("/*") != std::string_view::npos)
    return false;
  const std::string lower = util::ascii_lower(css);
  for (const char* bad :
       {"url(", "image", "@import", "expression", "behavior", "binding", "javascript:", "src("})
    if (lower.find(bad) != std::string::npos) return false;
  return true;
}

bool embedded_image(std::string_view src) {
  for (const char* ok :
       {"data:image/png", "data:image/gif", "data:image/jpeg", "data:image/jpg", "data:image/webp"})
    if (util::istarts_with_ascii(src, ok)) return true;
  return false;
}

std::string show_link(std::string_view href) {
  // Defanged, so that even copied out of the view it does not open by accident.
  std::string s(href.substr(0, 500));
  if (util::istarts_with_ascii(s, "http"))
    s.replace(0, 4, "hxxp");
  else if (const auto colon = s.find(':'); colon != std::string::npos && colon < 20)
    s.replace(colon, 1, "[:]");  // javascript[:]
  std::string out;
  for (char c : s) {
    if (c == '.')
      out += "[.]";
    else
      out += c;
  }
  return out;
}

}  // namespace

SanitizedHtml sanitize_html(std::string_view html, const SanitizeLimits& limits) {
  SanitizedHtml r;
  auto limit = [&r](const std::string& what) {
    r.limit_hit = true;
    if (!r.limit_detail.empty()) r.limit_detail += "; ";
    r.limit_detail += what;
  };
  if (html.size() > limits.max_input_bytes) {
    limit("HTML cut at " + std::to_string(limits.max_input_bytes) + " bytes");
    html = html.substr(0, limits.max_input_bytes);
  }
  auto remote = [&](std::string_view ref) {
    if (r.remote.size() < limits.max_remote) r.remote.emplace_back(ref.substr(0, 2000));
  };
  std::string& out = r.html;
  out = "<!doctype html>\n<html><head><meta charset=\"utf-8\"></head><body>\n";
  detail::ScanTokenizer tok(html);
  std::vector<std::string> drop_stack;  // open elements whose subtree is being dropped
  std::string text;
  for (;;) {
    if (out.size() > limits.max_output_bytes) {
      limit("the shown HTML stops at " + std::to_string(limits.max_output_bytes) + " bytes");
      break;
    }
    const detail::ScanToken t = tok.next();
    if (t.kind == detail::ScanToken::Kind::kEof) break;
    if (t.kind == detail::ScanToken::Kind::kComment) continue;
    if (t.kind == detail::ScanToken::Kind::kText) {
      if (!drop_stack.empty()) continue;
      text.clear();
      detail::append_decoded_entities(html.substr(t.begin, t.end - t.begin), false, text);
      escape_into(out, text, false);
      continue;
    }
    const std::string name = util::ascii_lower(t.name.substr(0, 32));
    if (t.kind == detail::ScanToken::Kind::kEndTag) {
      if (!drop_stack.empty()) {
        if (drop_stack.back() == name) drop_stack.pop_back();
        continue;
      }
      if (in(kAllowed, name) && !in(kVoid, name)) out += "</" + name + ">";
      continue;
    }
    // A start tag.
    if (in(kRawText, name)) {
      if (!t.self_closing) tok.skip_raw_text(name);
      continue;
    }
    if (!drop_stack.empty() && (drop_stack.front() == "svg" || drop_stack.front() == "math") &&
        in(kBreaksForeignContent, name))
      drop_stack.clear();  // the foreign content ends here, as in a browser
    if (!drop_stack.empty() || in(kDropSubtree, name)) {
      if (!t.self_closing && !in(kVoid, name) &&
          (in(kDropSubtree, name) || name == drop_stack.back()))
        drop_stack.push_back(name);
      if (drop_stack.size() > 256) {  // hostile nesting: give up on the rest
        limit("nesting too deep to follow");
        break;
      }
      continue;
    }
    if (!in(kAllowed, name)) continue;  // the tag goes, its text stays
    out += "<" + name;
    std::string title;
    for (const detail::ScanAttr& a : tok.attrs()) {
      const std::string attr = util::ascii_lower(a.name.substr(0, 32));
      std::string value;
      detail::append_decoded_entities(a.value, true, value);
      if (name == "a" && attr == "href") {
        title = "link: " + show_link(value);
        continue;
      }
      if (name == "img" && attr == "src") {
        if (embedded_image(value)) {
          out += " src=\"";
          escape_into(out, value, true);
          out += "\"";
        } else if (util::istarts_with_ascii(value, "cid:")) {
          title = "embedded image (attachment)";
        } else if (util::istarts_with_ascii(value, "http:") ||
                   util::istarts_with_ascii(value, "https:") ||
                   util::istarts_with_ascii(value, "//")) {
          remote(value);
          title = "remote image blocked";
        }
        continue;
      }
      if (attr == "background") {
        if (util::istarts_with_ascii(value, "http:") || util::istarts_with_ascii(value, "https:") ||
            util::istarts_with_ascii(value, "//"))
          remote(value);
        continue;
      }
      if (!in(kAttrs, attr) || (attr == "style" && !harmless_style(value)) ||
          (attr == "title" && !title.empty()))
        continue;
      out += " " + attr + "=\"";
      escape_into(out, value.substr(0, 4000), true);
      out += "\"";
    }
    if (!title.empty()) {
      out += " title=\"";
      escape_into(out, title, true);
      out += "\"";
    }
    out += ">";
  }
  out += "\n</body></html>\n";
  return r;
}

}  // namespace renkei::content
