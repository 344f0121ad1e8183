// A light HTML tokenizer and the pre-parse guard built on it (internal header).
//
// gumbo 0.10 has no depth or work limits and several of its tree-construction steps are linear in
// the depth of the open-element stack or the list of active formatting elements, so hostile
// markup (100k nested <div>, thousands of unclosed <b id=N>, a tag with 40k attributes, repeated
// <body a=N>) makes it quadratic: minutes of CPU for a few hundred KiB. The guard replays the
// HTML5 tree-construction rules that matter for depth on a cheap model of the open-element stack,
// errs on the side of over-estimating, and rewrites the input before gumbo sees it: start tags
// beyond the depth limit are dropped (their text is kept), surplus attributes are dropped, and
// the input is cut where the estimated node count passes the limit.
#pragma once

#include <gumbo.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace renkei::content::detail {

// Categories of HTML5 tree construction ("in body" insertion mode) among gumbo's tags. The
// guard's model of the open-element stack and the fast extractor's both use these lists.
bool is_void_element(GumboTag t);        // no content, no end tag
bool is_formatting_element(GumboTag t);  // goes on the list of active formatting elements
bool is_heading(GumboTag t);             // <h1> to <h6>
// Start tags that close an open <p> in button scope. <table> only does so in no-quirks documents,
// and most mail has no doctype, so it is left out.
bool closes_p(GumboTag t);

struct ScanAttr {
  std::string_view name;
  std::string_view value;  // raw: entities not decoded
  std::size_t begin = 0;   // [begin, end): the attribute in the input, value and quotes included
  std::size_t end = 0;
};

struct ScanToken {
  enum class Kind { kText, kStartTag, kEndTag, kComment, kEof };
  Kind kind = Kind::kEof;
  std::size_t begin = 0;  // [begin, end) in the input
  std::size_t end = 0;
  std::string_view name;  // tag name as written (start / end tags)
  bool self_closing = false;
  std::size_t attr_count = 0;  // attributes seen (ScanTokenizer::attrs() keeps the first few)
};

// Splits HTML into text, tags and comments following the HTML5 tokenizer's rules for where a tag
// or comment ends (quotes only count after '=', "--!>" ends a comment, ...). Linear, no
// allocation beyond the bounded attribute list.
class ScanTokenizer {
 public:
  // At most this many attributes of a tag are recorded (all are counted).
  static constexpr std::size_t kMaxRecordedAttrs = 128;

  explicit ScanTokenizer(std::string_view html) : html_(html) {}

  ScanToken next();
  // Attributes of the last start tag returned by next().
  const std::vector<ScanAttr>& attrs() const { return attrs_; }
  // After a raw-text start tag (script, style, title, ...): moves to the matching end tag, or to
  // the end when there is none. Returns the skipped text's [begin, end).
  std::pair<std::size_t, std::size_t> skip_raw_text(std::string_view tag_name);
  void skip_to_end() { pos_ = html_.size(); }
  std::size_t position() const { return pos_; }

 private:
  void scan_tag(ScanToken& token);

  std::string_view html_;
  std::size_t pos_ = 0;
  std::vector<ScanAttr> attrs_;
};

struct GuardLimits {
  std::size_t max_depth = 256;             // open elements in the model
  std::size_t max_active_formatting = 32;  // unclosed <b>/<font>/... that gumbo would re-open
  std::size_t max_attributes = 32;         // per tag, < ScanTokenizer::kMaxRecordedAttrs
  // gumbo spends about a microsecond per attribute; past this many in the document only the
  // attributes the analysis reads are kept (href, src, style, ...), once per tag.
  std::size_t max_total_attributes = 100000;
  std::size_t max_html_body_tags = 8;  // repeated <html>/<body> merge attributes into one node
  std::size_t max_nodes = 200000;      // estimated DOM nodes
};

struct GuardResult {
  std::string rewritten;  // the input to parse when `modified`; otherwise parse the original
  bool modified = false;
  std::size_t parse_bytes = 0;        // bytes of the (possibly rewritten) input to parse
  std::size_t dropped_tags = 0;       // beyond the depth or active-formatting limits
  std::size_t dropped_root_tags = 0;  // repeated <html>/<body>
  std::size_t dropped_attributes = 0;
  bool node_limit_hit = false;
  std::size_t cut_at = 0;  // input offset of the cut when node_limit_hit
};

GuardResult guard_html(std::string_view html, const GuardLimits& limits);

}  // namespace renkei::content::detail
