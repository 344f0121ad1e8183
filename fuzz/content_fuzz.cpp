// libFuzzer harness for the content module: every function takes the raw input, as a mail body
// or an HTML part would reach it, and checks the invariants the analysis relies on.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "content/content.hpp"

namespace {

// Small limits so the fuzzer reaches the limit paths with small inputs.
renkei::content::HtmlLimits small_limits() {
  renkei::content::HtmlLimits limits;
  limits.max_input_bytes = 64u << 10;
  limits.max_nodes = 2000;
  limits.max_links = 50;
  limits.max_text_bytes = 16u << 10;
  return limits;
}

void check(bool ok) {
  if (!ok) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace c = renkei::content;
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  const c::HtmlDoc doc = c::parse_html(input);
  check(doc.limit_hit == !doc.limit_detail.empty());
  const c::HtmlLimits limits = small_limits();
  const c::HtmlDoc small = c::parse_html(input, limits);
  check(small.anchors.size() <= limits.max_links && small.images.size() <= limits.max_links);
  check(small.text.size() <= limits.max_text_bytes);
  for (const auto& a : doc.anchors) (void)c::url_host(a.href);

  for (const auto& u : c::extract_urls(input, 100)) {
    check(!u.host.empty());
    check(c::url_host(u.url) == u.host);
  }
  (void)c::url_host(input);

  for (const auto& e : c::extract_emails(input, 100)) check(e.find('@') != std::string::npos);
  for (const auto& ip : c::extract_ipv4(input, 100)) check(c::is_ipv4(ip));
  for (const auto& ip : c::extract_ipv6(input, 100)) check(c::is_ipv6(ip));
  (void)c::is_ipv4(input);
  (void)c::is_ipv6(input);

  (void)c::refang(input);
  const std::string once = c::defang(input);
  check(c::defang(once) == once);  // idempotent

  const c::TextParts parts = c::split_text(input);
  check(parts.new_text.size() + parts.quoted.size() + parts.signature.size() <= input.size() + 64);
  (void)c::detect_language(input);
  // The viewer's HTML: nothing that runs or fetches survives, whatever the input.
  c::SanitizeLimits slimits;
  slimits.max_input_bytes = 64u << 10;
  slimits.max_output_bytes = 256u << 10;
  slimits.max_remote = 20;
  const c::SanitizedHtml clean = c::sanitize_html(input, slimits);
  check(clean.remote.size() <= slimits.max_remote);
  // Text is escaped, so every '<' in the output opens a tag we wrote: look inside the tags only.
  for (std::size_t b = clean.html.find('<'); b != std::string::npos;
       b = clean.html.find('<', b + 1)) {
    const std::size_t e = clean.html.find('>', b);
    check(e != std::string::npos);
    std::string tag = clean.html.substr(b, e - b);
    for (auto& ch : tag) ch = (ch >= 'A' && ch <= 'Z') ? static_cast<char>(ch + 32) : ch;
    // The document's own frame (doctype, end tags, the charset) is ours; the rest is "<name" then
    // attributes, each name="escaped value" (always quoted with '"').
    if (tag.rfind("</", 0) == 0 || tag.rfind("<!", 0) == 0 || tag == "<meta charset=\"utf-8\"")
      continue;
    std::size_t i = tag.find_first_of(" \t\n", 1);
    const std::string name = tag.substr(1, i == std::string::npos ? std::string::npos : i - 1);
    for (const char* bad : {"script", "iframe", "object", "embed", "svg", "math", "style", "link",
                            "meta", "base", "form"})
      check(name != bad);
    while (i != std::string::npos && i < tag.size()) {
      while (i < tag.size() && tag[i] == ' ') ++i;
      if (i >= tag.size() || tag[i] == '/') break;
      const std::size_t eq = tag.find('=', i);
      check(eq != std::string::npos && eq + 1 < tag.size() && tag[eq + 1] == '"');
      const std::string attr = tag.substr(i, eq - i);
      const std::size_t close = tag.find('"', eq + 2);
      check(close != std::string::npos);
      const std::string value = tag.substr(eq + 2, close - eq - 2);
      check(attr.rfind("on", 0) != 0);
      for (const char* bad :
           {"href", "background", "action", "srcset", "formaction", "poster", "data"})
        check(attr != bad);
      if (attr == "src") check(value.rfind("data:image/", 0) == 0);
      i = close + 1;
    }
  }

  return 0;
}
