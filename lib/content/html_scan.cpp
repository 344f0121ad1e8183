// ScanTokenizer and guard_html: see html_scan.hpp for why they exist.
#include "content/html_scan.hpp"

#include <gumbo.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "content/text_util.hpp"

namespace renkei::content::detail {
namespace {

bool tag_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// ScanTokenizer

ScanToken ScanTokenizer::next() {
  ScanToken token;
  const std::size_t n = html_.size();
  if (pos_ >= n) {
    token.kind = ScanToken::Kind::kEof;
    token.begin = token.end = n;
    return token;
  }
  token.begin = pos_;
  if (html_[pos_] != '<') {
    const std::size_t lt = html_.find('<', pos_);
    pos_ = lt == std::string_view::npos ? n : lt;
    token.kind = ScanToken::Kind::kText;
    token.end = pos_;
    return token;
  }
  const std::string_view rest = html_.substr(pos_);
  if (rest.size() >= 2 && util::is_ascii_alpha(rest[1])) {
    token.kind = ScanToken::Kind::kStartTag;
    scan_tag(token);
    return token;
  }
  if (rest.size() >= 3 && rest[1] == '/' && util::is_ascii_alpha(rest[2])) {
    token.kind = ScanToken::Kind::kEndTag;
    scan_tag(token);
    return token;
  }
  if (rest.starts_with("<!--")) {
    token.kind = ScanToken::Kind::kComment;
    // "<!-->" and "<!--->" are complete (empty) comments; otherwise "-->" or "--!>" ends it.
    std::size_t end = n;
    if (rest.starts_with("<!-->")) {
      end = pos_ + 5;
    } else if (rest.starts_with("<!--->")) {
      end = pos_ + 6;
    } else {
      for (std::size_t i = pos_ + 4; i + 2 < n; ++i) {
        if (html_[i] != '-' || html_[i + 1] != '-') continue;
        if (html_[i + 2] == '>') {
          end = i + 3;
          break;
        }
        if (html_[i + 2] == '!' && i + 3 < n && html_[i + 3] == '>') {
          end = i + 4;
          break;
        }
      }
    }
    pos_ = end;
    token.end = end;
    return token;
  }
  if (rest.size() >= 2 && (rest[1] == '!' || rest[1] == '?' || rest[1] == '/')) {
    // Doctype, bogus comment, "</>" or "</ x>": all end at the next '>'.
    token.kind = ScanToken::Kind::kComment;
    const std::size_t gt = html_.find('>', pos_ + 2);
    pos_ = gt == std::string_view::npos ? n : gt + 1;
    token.end = pos_;
    return token;
  }
  // A '<' that starts nothing is text.
  token.kind = ScanToken::Kind::kText;
  const std::size_t lt = html_.find('<', pos_ + 1);
  pos_ = lt == std::string_view::npos ? n : lt;
  token.end = pos_;
  return token;
}

// Follows the HTML5 tokenizer's tag states: name, then attributes where only a quote right after
// '=' opens a quoted value. A tag cut by the end of input is emitted anyway (gumbo drops it; the
// guard only over-counts).
void ScanTokenizer::scan_tag(ScanToken& token) {
  attrs_.clear();
  const std::size_t n = html_.size();
  std::size_t i = pos_ + (token.kind == ScanToken::Kind::kEndTag ? 2 : 1);
  const std::size_t name_begin = i;
  while (i < n && !tag_space(html_[i]) && html_[i] != '/' && html_[i] != '>') ++i;
  token.name = html_.substr(name_begin, i - name_begin);
  enum class State { kBeforeName, kName, kAfterName, kBeforeValue };
  State state = State::kBeforeName;
  ScanAttr attr;
  auto finish_attr = [&](std::size_t name_end, std::size_t attr_end) {
    attr.name = html_.substr(attr.begin, name_end - attr.begin);
    attr.end = attr_end;
    ++token.attr_count;
    if (attrs_.size() < kMaxRecordedAttrs) attrs_.push_back(attr);
  };
  std::size_t name_end = 0;
  while (i < n) {
    const char c = html_[i];
    switch (state) {
      case State::kBeforeName:
        if (tag_space(c)) {
          ++i;
        } else if (c == '/') {
          ++i;
          if (i < n && html_[i] == '>') {
            token.self_closing = true;
            pos_ = token.end = i + 1;
            return;
          }
        } else if (c == '>') {
          pos_ = token.end = i + 1;
          return;
        } else {
          attr = ScanAttr{};
          attr.begin = i;
          state = State::kName;
          ++i;  // the first character may be '=' (parse error, part of the name)
        }
        break;
      case State::kName:
        if (tag_space(c) || c == '/' || c == '>' || c == '=') {
          name_end = i;
          state = State::kAfterName;
        } else {
          ++i;
        }
        break;
      case State::kAfterName:
        if (tag_space(c)) {
          ++i;
        } else if (c == '=') {
          state = State::kBeforeValue;
          ++i;
        } else {
          finish_attr(name_end, name_end);  // attribute without a value
          state = State::kBeforeName;
        }
        break;
      case State::kBeforeValue:
        if (tag_space(c)) {
          ++i;
        } else if (c == '"' || c == '\'') {
          const std::size_t close = html_.find(c, i + 1);
          const std::size_t vend = close == std::string_view::npos ? n : close;
          attr.value = html_.substr(i + 1, vend - i - 1);
          i = close == std::string_view::npos ? n : close + 1;
          finish_attr(name_end, i);
          state = State::kBeforeName;
        } else if (c == '>') {
          finish_attr(name_end, i);
          pos_ = token.end = i + 1;
          return;
        } else {
          const std::size_t vbegin = i;
          while (i < n && !tag_space(html_[i]) && html_[i] != '>') ++i;
          attr.value = html_.substr(vbegin, i - vbegin);
          finish_attr(name_end, i);
          state = State::kBeforeName;
        }
        break;
    }
  }
  if (state == State::kName) name_end = n;
  if (state == State::kName || state == State::kAfterName || state == State::kBeforeValue)
    finish_attr(name_end, n);
  pos_ = token.end = n;
}

std::pair<std::size_t, std::size_t> ScanTokenizer::skip_raw_text(std::string_view tag_name) {
  const std::size_t begin = pos_;
  const std::size_t n = html_.size();
  std::size_t i = pos_;
  while (true) {
    const std::size_t lt = html_.find("</", i);
    if (lt == std::string_view::npos) {
      pos_ = n;
      break;
    }
    const std::size_t after = lt + 2 + tag_name.size();
    if (after <= n && util::iequals_ascii(html_.substr(lt + 2, tag_name.size()), tag_name) &&
        (after == n || tag_space(html_[after]) || html_[after] == '/' || html_[after] == '>')) {
      pos_ = lt;
      break;
    }
    i = lt + 2;
  }
  return {begin, pos_};
}

bool is_void_element(GumboTag t) {
  switch (t) {
    case GUMBO_TAG_AREA:
    case GUMBO_TAG_BASE:
    case GUMBO_TAG_BASEFONT:
    case GUMBO_TAG_BGSOUND:
    case GUMBO_TAG_BR:
    case GUMBO_TAG_COL:
    case GUMBO_TAG_EMBED:
    case GUMBO_TAG_FRAME:
    case GUMBO_TAG_HR:
    case GUMBO_TAG_IMAGE:
    case GUMBO_TAG_IMG:
    case GUMBO_TAG_INPUT:
    case GUMBO_TAG_KEYGEN:
    case GUMBO_TAG_LINK:
    case GUMBO_TAG_MENUITEM:
    case GUMBO_TAG_META:
    case GUMBO_TAG_PARAM:
    case GUMBO_TAG_SOURCE:
    case GUMBO_TAG_TRACK:
    case GUMBO_TAG_WBR:
      return true;
    default:
      return false;
  }
}

bool is_formatting_element(GumboTag t) {
  switch (t) {
    case GUMBO_TAG_A:
    case GUMBO_TAG_B:
    case GUMBO_TAG_BIG:
    case GUMBO_TAG_CODE:
    case GUMBO_TAG_EM:
    case GUMBO_TAG_FONT:
    case GUMBO_TAG_I:
    case GUMBO_TAG_NOBR:
    case GUMBO_TAG_S:
    case GUMBO_TAG_SMALL:
    case GUMBO_TAG_STRIKE:
    case GUMBO_TAG_STRONG:
    case GUMBO_TAG_TT:
    case GUMBO_TAG_U:
      return true;
    default:
      return false;
  }
}

bool is_heading(GumboTag t) {
  return t == GUMBO_TAG_H1 || t == GUMBO_TAG_H2 || t == GUMBO_TAG_H3 || t == GUMBO_TAG_H4 ||
         t == GUMBO_TAG_H5 || t == GUMBO_TAG_H6;
}

bool closes_p(GumboTag t) {
  switch (t) {
    case GUMBO_TAG_ADDRESS:
    case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_CENTER:
    case GUMBO_TAG_DETAILS:
    case GUMBO_TAG_DIR:
    case GUMBO_TAG_DIV:
    case GUMBO_TAG_DL:
    case GUMBO_TAG_FIELDSET:
    case GUMBO_TAG_FIGCAPTION:
    case GUMBO_TAG_FIGURE:
    case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_HEADER:
    case GUMBO_TAG_HGROUP:
    case GUMBO_TAG_MENU:
    case GUMBO_TAG_MAIN:
    case GUMBO_TAG_NAV:
    case GUMBO_TAG_OL:
    case GUMBO_TAG_P:
    case GUMBO_TAG_SECTION:
    case GUMBO_TAG_SUMMARY:
    case GUMBO_TAG_UL:
    case GUMBO_TAG_H1:
    case GUMBO_TAG_H2:
    case GUMBO_TAG_H3:
    case GUMBO_TAG_H4:
    case GUMBO_TAG_H5:
    case GUMBO_TAG_H6:
    case GUMBO_TAG_PRE:
    case GUMBO_TAG_LISTING:
    case GUMBO_TAG_FORM:
    case GUMBO_TAG_LI:
    case GUMBO_TAG_DD:
    case GUMBO_TAG_DT:
    case GUMBO_TAG_HR:
    case GUMBO_TAG_XMP:
    case GUMBO_TAG_PLAINTEXT:
      return true;
    default:
      return false;
  }
}

// ---------------------------------------------------------------------------------------------
// guard_html: a conservative model of gumbo's tree construction

namespace {

constexpr std::uint32_t kNone = 0xFFFFFFFFu;

// HTML's "special" category (plus SVG/MathML integration points), which stops several searches.
bool is_special(GumboTag t) {
  switch (t) {
    case GUMBO_TAG_ADDRESS:
    case GUMBO_TAG_APPLET:
    case GUMBO_TAG_AREA:
    case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_BASE:
    case GUMBO_TAG_BASEFONT:
    case GUMBO_TAG_BGSOUND:
    case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_BODY:
    case GUMBO_TAG_BR:
    case GUMBO_TAG_BUTTON:
    case GUMBO_TAG_CAPTION:
    case GUMBO_TAG_CENTER:
    case GUMBO_TAG_COL:
    case GUMBO_TAG_COLGROUP:
    case GUMBO_TAG_DD:
    case GUMBO_TAG_DETAILS:
    case GUMBO_TAG_DIR:
    case GUMBO_TAG_DIV:
    case GUMBO_TAG_DL:
    case GUMBO_TAG_DT:
    case GUMBO_TAG_EMBED:
    case GUMBO_TAG_FIELDSET:
    case GUMBO_TAG_FIGCAPTION:
    case GUMBO_TAG_FIGURE:
    case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_FORM:
    case GUMBO_TAG_FRAME:
    case GUMBO_TAG_FRAMESET:
    case GUMBO_TAG_H1:
    case GUMBO_TAG_H2:
    case GUMBO_TAG_H3:
    case GUMBO_TAG_H4:
    case GUMBO_TAG_H5:
    case GUMBO_TAG_H6:
    case GUMBO_TAG_HEAD:
    case GUMBO_TAG_HEADER:
    case GUMBO_TAG_HGROUP:
    case GUMBO_TAG_HR:
    case GUMBO_TAG_HTML:
    case GUMBO_TAG_IFRAME:
    case GUMBO_TAG_IMG:
    case GUMBO_TAG_INPUT:
    case GUMBO_TAG_ISINDEX:
    case GUMBO_TAG_LI:
    case GUMBO_TAG_LINK:
    case GUMBO_TAG_LISTING:
    case GUMBO_TAG_MAIN:
    case GUMBO_TAG_MARQUEE:
    case GUMBO_TAG_MENU:
    case GUMBO_TAG_META:
    case GUMBO_TAG_NAV:
    case GUMBO_TAG_NOEMBED:
    case GUMBO_TAG_NOFRAMES:
    case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_OBJECT:
    case GUMBO_TAG_OL:
    case GUMBO_TAG_P:
    case GUMBO_TAG_PARAM:
    case GUMBO_TAG_PLAINTEXT:
    case GUMBO_TAG_PRE:
    case GUMBO_TAG_SCRIPT:
    case GUMBO_TAG_SECTION:
    case GUMBO_TAG_SELECT:
    case GUMBO_TAG_SOURCE:
    case GUMBO_TAG_STYLE:
    case GUMBO_TAG_SUMMARY:
    case GUMBO_TAG_TABLE:
    case GUMBO_TAG_TBODY:
    case GUMBO_TAG_TD:
    case GUMBO_TAG_TEMPLATE:
    case GUMBO_TAG_TEXTAREA:
    case GUMBO_TAG_TFOOT:
    case GUMBO_TAG_TH:
    case GUMBO_TAG_THEAD:
    case GUMBO_TAG_TITLE:
    case GUMBO_TAG_TR:
    case GUMBO_TAG_TRACK:
    case GUMBO_TAG_UL:
    case GUMBO_TAG_WBR:
    case GUMBO_TAG_XMP:
    case GUMBO_TAG_MI:
    case GUMBO_TAG_MO:
    case GUMBO_TAG_MN:
    case GUMBO_TAG_MS:
    case GUMBO_TAG_MTEXT:
    case GUMBO_TAG_ANNOTATION_XML:
    case GUMBO_TAG_FOREIGNOBJECT:
    case GUMBO_TAG_DESC:
    case GUMBO_TAG_SVG:
    case GUMBO_TAG_MATH:
      return true;
    default:
      return false;
  }
}

// Elements that put a marker on the list of active formatting elements.
bool is_marker(GumboTag t) {
  return t == GUMBO_TAG_APPLET || t == GUMBO_TAG_MARQUEE || t == GUMBO_TAG_OBJECT ||
         t == GUMBO_TAG_TD || t == GUMBO_TAG_TH || t == GUMBO_TAG_CAPTION ||
         t == GUMBO_TAG_TEMPLATE;
}

// Boundaries of the default "has an element in scope" search. SVG/MathML roots count too: a
// superset means fewer pops, i.e. a deeper (safer) estimate.
bool is_scope_boundary(GumboTag t) {
  switch (t) {
    case GUMBO_TAG_APPLET:
    case GUMBO_TAG_CAPTION:
    case GUMBO_TAG_HTML:
    case GUMBO_TAG_TABLE:
    case GUMBO_TAG_TD:
    case GUMBO_TAG_TH:
    case GUMBO_TAG_MARQUEE:
    case GUMBO_TAG_OBJECT:
    case GUMBO_TAG_TEMPLATE:
    case GUMBO_TAG_MI:
    case GUMBO_TAG_MO:
    case GUMBO_TAG_MN:
    case GUMBO_TAG_MS:
    case GUMBO_TAG_MTEXT:
    case GUMBO_TAG_ANNOTATION_XML:
    case GUMBO_TAG_FOREIGNOBJECT:
    case GUMBO_TAG_DESC:
    case GUMBO_TAG_SVG:
    case GUMBO_TAG_MATH:
      return true;
    default:
      return false;
  }
}

bool is_table_part(GumboTag t) {
  return t == GUMBO_TAG_TABLE || t == GUMBO_TAG_TBODY || t == GUMBO_TAG_THEAD ||
         t == GUMBO_TAG_TFOOT || t == GUMBO_TAG_TR || t == GUMBO_TAG_TD || t == GUMBO_TAG_TH ||
         t == GUMBO_TAG_CAPTION;
}

// Elements whose content gumbo reads as text up to the matching end tag (outside SVG/MathML).
bool is_raw_text(GumboTag t) {
  return t == GUMBO_TAG_SCRIPT || t == GUMBO_TAG_STYLE || t == GUMBO_TAG_XMP ||
         t == GUMBO_TAG_IFRAME || t == GUMBO_TAG_NOEMBED || t == GUMBO_TAG_NOFRAMES ||
         t == GUMBO_TAG_TEXTAREA || t == GUMBO_TAG_TITLE;
}

struct OpenElement {
  GumboTag tag;
  std::string_view name;           // for unknown tags, compared case-insensitively
  std::uint32_t afe_id = kNone;    // formatting element: its entry in the AFE list
  std::uint32_t afe_mark = kNone;  // marker element: AFE size when it was pushed
};

struct AfeEntry {
  GumboTag tag;
  std::uint32_t id;
  bool open;
  bool marker;
};

class Guard {
 public:
  Guard(std::string_view html, const GuardLimits& limits) : html_(html), limits_(limits) {}

  GuardResult run() {
    ScanTokenizer tok(html_);
    stack_.reserve(64);
    bool raw_text_allowed = true;
    while (true) {
      const ScanToken t = tok.next();
      if (t.kind == ScanToken::Kind::kEof) break;
      if (nodes_ > limits_.max_nodes) {
        result_.node_limit_hit = true;
        result_.cut_at = t.begin;
        break;
      }
      switch (t.kind) {
        case ScanToken::Kind::kText:
          reconstruct();
          ++nodes_;
          break;
        case ScanToken::Kind::kComment:
          ++nodes_;
          break;
        case ScanToken::Kind::kEndTag:
          end_tag(tag_of(t.name), t.name);
          break;
        case ScanToken::Kind::kStartTag: {
          const GumboTag tag = tag_of(t.name);
          // Once SVG/MathML appear, <script>/<style> may be foreign elements with markup inside;
          // reading their content as markup only over-counts.
          if (tag == GUMBO_TAG_SVG || tag == GUMBO_TAG_MATH) raw_text_allowed = false;
          const bool raw_text = raw_text_allowed && is_raw_text(tag);
          if (!start_tag(tag, t, raw_text)) {
            --nodes_;  // gumbo will not see it
            drop(t.begin, t.end);
            ++(tag == GUMBO_TAG_HTML || tag == GUMBO_TAG_BODY ? result_.dropped_root_tags
                                                              : result_.dropped_tags);
            break;
          }
          total_attributes_ += t.attr_count;
          if (total_attributes_ > limits_.max_total_attributes) {
            keep_essential_attributes(tok.attrs(), t);
          } else if (t.attr_count > limits_.max_attributes &&
                     limits_.max_attributes < tok.attrs().size()) {
            const std::size_t from = tok.attrs()[limits_.max_attributes].begin;
            drop(from, attrs_end(t, from));
            result_.dropped_attributes += t.attr_count - limits_.max_attributes;
          }
          if (tag == GUMBO_TAG_PLAINTEXT) {
            tok.skip_to_end();
          } else if (raw_text) {
            tok.skip_raw_text(gumbo_normalized_tagname(tag));
            ++nodes_;
          }
          break;
        }
        case ScanToken::Kind::kEof:
          break;
      }
    }
    const std::size_t end = result_.node_limit_hit ? result_.cut_at : html_.size();
    if (result_.modified) {
      if (copied_ < end) result_.rewritten.append(html_.substr(copied_, end - copied_));
      result_.parse_bytes = result_.rewritten.size();
    } else {
      result_.parse_bytes = end;
    }
    return std::move(result_);
  }

 private:
  static GumboTag tag_of(std::string_view name) {
    if (name.empty() || name.size() > 32) return GUMBO_TAG_UNKNOWN;
    return gumbo_tagn_enum(name.data(), static_cast<unsigned>(name.size()));
  }

  static bool same(const OpenElement& e, GumboTag tag, std::string_view name) {
    if (e.tag != tag) return false;
    return tag != GUMBO_TAG_UNKNOWN || util::iequals_ascii(e.name, name);
  }

  // Where a tag's attribute list ends: before its closing "/>" or ">".
  std::size_t attrs_end(const ScanToken& t, std::size_t from) const {
    std::size_t to = t.end;
    while (to > from && (html_[to - 1] == '>' || html_[to - 1] == '/')) --to;
    return to;
  }

  void keep_essential_attributes(const std::vector<ScanAttr>& attrs, const ScanToken& t) {
    static constexpr std::string_view kEssential[] = {
        "href",   "src",        "style",  "action",     "type",  "width",
        "height", "http-equiv", "hidden", "background", "value", "formaction"};
    bool seen[std::size(kEssential)] = {};
    std::size_t kept = 0;
    for (const ScanAttr& a : attrs) {
      bool keep = false;
      for (std::size_t k = 0; k < std::size(kEssential); ++k) {
        if (!seen[k] && util::iequals_ascii(a.name, kEssential[k])) {
          seen[k] = true;
          keep = true;
          break;
        }
      }
      if (keep) {
        ++kept;
      } else {
        drop(a.begin, a.end);
      }
    }
    // Attributes beyond the recorded ones: all dropped.
    if (t.attr_count > attrs.size() && !attrs.empty())
      drop(attrs.back().end, attrs_end(t, attrs.back().end));
    result_.dropped_attributes += t.attr_count - kept;
  }

  // Removes [from, to) of the input from what gumbo will see.
  void drop(std::size_t from, std::size_t to) {
    if (from >= to || from < copied_) return;
    if (!result_.modified) {
      result_.modified = true;
      result_.rewritten.reserve(html_.size());
    }
    result_.rewritten.append(html_.substr(copied_, from - copied_));
    copied_ = to;
  }

  std::size_t afe_after_marker() const {
    std::size_t count = 0;
    for (std::size_t i = afe_.size(); i > 0 && !afe_[i - 1].marker; --i) ++count;
    return count;
  }

  // The AFE list stays sorted by id (ids grow, entries are only appended or erased).
  AfeEntry* afe_find(std::uint32_t id) {
    const auto it = std::lower_bound(afe_.begin(), afe_.end(), id,
                                     [](const AfeEntry& e, std::uint32_t v) { return e.id < v; });
    return (it != afe_.end() && it->id == id) ? &*it : nullptr;
  }

  void afe_remove(std::uint32_t id) {
    if (AfeEntry* e = afe_find(id)) afe_.erase(afe_.begin() + (e - afe_.data()));
  }

  // Pops stack_[index..]; formatting elements popped stay in the AFE list as closed, markers
  // clear the list back to themselves, as in gumbo.
  void pop_to(std::size_t index) {
    while (stack_.size() > index) {
      const OpenElement e = stack_.back();
      stack_.pop_back();
      if (e.afe_id != kNone) {
        if (AfeEntry* a = afe_find(e.afe_id)) a->open = false;
      }
      if (e.afe_mark != kNone && e.afe_mark <= afe_.size()) afe_.resize(e.afe_mark);
    }
  }

  // Index of the topmost element matching (tag, name) before a boundary, or kNone.
  template <typename Boundary>
  std::size_t find_in_scope(GumboTag tag, std::string_view name, Boundary boundary) const {
    for (std::size_t i = stack_.size(); i > 0; --i) {
      const OpenElement& e = stack_[i - 1];
      if (same(e, tag, name)) return i - 1;
      if (boundary(e.tag)) return kNone;
    }
    return kNone;
  }

  std::size_t in_default_scope(GumboTag tag, std::string_view name = {}) const {
    return find_in_scope(tag, name, is_scope_boundary);
  }

  void close_p() {
    const std::size_t i = find_in_scope(
        GUMBO_TAG_P, {}, [](GumboTag t) { return is_scope_boundary(t) || t == GUMBO_TAG_BUTTON; });
    if (i != kNone) pop_to(i);
  }

  // Re-opens formatting elements that were closed implicitly (HTML5 "reconstruct the active
  // formatting elements"): each costs a node and a level of depth.
  void reconstruct() {
    if (afe_.empty() || afe_.back().marker || afe_.back().open) return;
    std::size_t k = afe_.size() - 1;
    while (k > 0 && !afe_[k - 1].marker && !afe_[k - 1].open) --k;
    for (std::size_t i = k; i < afe_.size(); ++i) {
      afe_[i].open = true;
      stack_.push_back(OpenElement{afe_[i].tag, {}, afe_[i].id, kNone});
      ++nodes_;
    }
  }

  void push(GumboTag tag, std::string_view name) {
    OpenElement e{tag, name, kNone, kNone};
    if (is_formatting_element(tag)) {
      e.afe_id = next_afe_id_++;
      afe_.push_back(AfeEntry{tag, e.afe_id, true, false});
    } else if (is_marker(tag)) {
      e.afe_mark = static_cast<std::uint32_t>(afe_.size());
      afe_.push_back(AfeEntry{tag, next_afe_id_++, false, true});
    }
    stack_.push_back(e);
  }

  // Returns false when the tag must be dropped.
  bool start_tag(GumboTag tag, const ScanToken& t, bool raw_text) {
    ++nodes_;
    if (tag == GUMBO_TAG_HTML || tag == GUMBO_TAG_BODY) {
      // Each repeat merges its attributes into the one element (quadratic in gumbo).
      return ++html_body_tags_ <= limits_.max_html_body_tags;
    }
    if (tag == GUMBO_TAG_HEAD) return true;
    if (tag == GUMBO_TAG_ISINDEX) nodes_ += 6;  // expands to form, hr, label, input, hr
    if (closes_p(tag)) close_p();
    switch (tag) {
      case GUMBO_TAG_LI:
      case GUMBO_TAG_DD:
      case GUMBO_TAG_DT:
        for (std::size_t i = stack_.size(); i > 0; --i) {
          const GumboTag o = stack_[i - 1].tag;
          const bool match =
              tag == GUMBO_TAG_LI ? o == GUMBO_TAG_LI : (o == GUMBO_TAG_DD || o == GUMBO_TAG_DT);
          if (match) {
            pop_to(i - 1);
            break;
          }
          if (is_special(o) && o != GUMBO_TAG_ADDRESS && o != GUMBO_TAG_DIV && o != GUMBO_TAG_P)
            break;
        }
        break;
      case GUMBO_TAG_OPTION:
      case GUMBO_TAG_OPTGROUP:
        if (!stack_.empty() && stack_.back().tag == GUMBO_TAG_OPTION) pop_to(stack_.size() - 1);
        if (tag == GUMBO_TAG_OPTGROUP && !stack_.empty() && stack_.back().tag == tag)
          pop_to(stack_.size() - 1);
        break;
      case GUMBO_TAG_H1:
      case GUMBO_TAG_H2:
      case GUMBO_TAG_H3:
      case GUMBO_TAG_H4:
      case GUMBO_TAG_H5:
      case GUMBO_TAG_H6:
        if (!stack_.empty() && is_heading(stack_.back().tag)) pop_to(stack_.size() - 1);
        break;
      case GUMBO_TAG_BUTTON:
        if (const std::size_t i = in_default_scope(GUMBO_TAG_BUTTON); i != kNone) pop_to(i);
        break;
      case GUMBO_TAG_TD:
      case GUMBO_TAG_TH:
      case GUMBO_TAG_TR:
      case GUMBO_TAG_TBODY:
      case GUMBO_TAG_THEAD:
      case GUMBO_TAG_TFOOT: {
        // A new cell / row / row group closes the open one within the same table.
        for (std::size_t i = stack_.size(); i > 0; --i) {
          const GumboTag o = stack_[i - 1].tag;
          if (o == GUMBO_TAG_TABLE || o == GUMBO_TAG_HTML || o == GUMBO_TAG_TEMPLATE) break;
          const bool cell = o == GUMBO_TAG_TD || o == GUMBO_TAG_TH;
          const bool row = o == GUMBO_TAG_TR;
          const bool group = o == GUMBO_TAG_TBODY || o == GUMBO_TAG_THEAD || o == GUMBO_TAG_TFOOT;
          const bool want_cell = tag == GUMBO_TAG_TD || tag == GUMBO_TAG_TH;
          const bool want_row = tag == GUMBO_TAG_TR;
          if ((want_cell && cell) || (want_row && row) || (!want_cell && !want_row && group)) {
            pop_to(i - 1);
            break;
          }
        }
        break;
      }
      case GUMBO_TAG_A:
      case GUMBO_TAG_NOBR:
        // An open <a> is closed by the next one (adoption agency). Only the <a> itself leaves
        // the stack: what it contains may stay open in gumbo, so keep it in the estimate.
        for (std::size_t i = afe_.size(); i > 0 && !afe_[i - 1].marker; --i) {
          if (afe_[i - 1].tag != tag) continue;
          const std::uint32_t id = afe_[i - 1].id;
          afe_.erase(afe_.begin() + static_cast<std::ptrdiff_t>(i - 1));
          for (std::size_t j = stack_.size(); j > 0; --j) {
            if (stack_[j - 1].afe_id == id) {
              stack_.erase(stack_.begin() + static_cast<std::ptrdiff_t>(j - 1));
              break;
            }
          }
          break;
        }
        break;
      default:
        break;
    }
    reconstruct();
    if (is_void_element(tag)) return true;
    if (t.self_closing && in_foreign()) return true;  // honoured in SVG / MathML only
    if (raw_text) {
      // Its content is text up to its end tag, so it cannot nest: never dropped (a dropped
      // <script> would turn its code into visible text).
      push(tag, t.name);
      return true;
    }
    if (is_formatting_element(tag) && tag != GUMBO_TAG_A &&
        afe_after_marker() >= limits_.max_active_formatting) {
      return false;
    }
    // <a> is exempt: an open <a> is closed by the next one, so at most one per marker scope
    // (and markers are limited), while dropping it would lose the link the analysis needs.
    if (stack_.size() >= limits_.max_depth && tag != GUMBO_TAG_A) return false;
    push(tag, t.name);
    return true;
  }

  bool in_foreign() const {
    for (const auto& e : stack_)
      if (e.tag == GUMBO_TAG_SVG || e.tag == GUMBO_TAG_MATH) return true;
    return false;
  }

  void end_tag(GumboTag tag, std::string_view name) {
    if (is_formatting_element(tag)) {
      for (std::size_t i = afe_.size(); i > 0 && !afe_[i - 1].marker; --i) {
        if (afe_[i - 1].tag != tag) continue;
        const AfeEntry entry = afe_[i - 1];
        if (!entry.open) {
          afe_.erase(afe_.begin() + static_cast<std::ptrdiff_t>(i - 1));
          return;
        }
        std::size_t index = kNone;
        for (std::size_t j = stack_.size(); j > 0; --j) {
          if (stack_[j - 1].afe_id == entry.id) {
            index = j - 1;
            break;
          }
        }
        if (index == kNone) {
          afe_remove(entry.id);
          return;
        }
        for (std::size_t j = index + 1; j < stack_.size(); ++j) {
          // A block inside the formatting element: the adoption agency re-parents instead of
          // closing, and the depth stays. Model it as "nothing closes".
          if (is_special(stack_[j].tag)) return;
        }
        pop_to(index);
        afe_remove(entry.id);
        return;
      }
      // No active formatting element of this name: an ordinary end tag.
    }
    switch (tag) {
      case GUMBO_TAG_HTML:
      case GUMBO_TAG_BODY:
      case GUMBO_TAG_HEAD:
        return;
      case GUMBO_TAG_BR:
        ++nodes_;  // "</br>" is a <br>
        return;
      case GUMBO_TAG_P: {
        const std::size_t i = find_in_scope(GUMBO_TAG_P, {}, [](GumboTag t) {
          return is_scope_boundary(t) || t == GUMBO_TAG_BUTTON;
        });
        if (i != kNone) {
          pop_to(i);
        } else {
          ++nodes_;  // an empty <p> is inserted
        }
        return;
      }
      case GUMBO_TAG_LI: {
        const std::size_t i = find_in_scope(GUMBO_TAG_LI, {}, [](GumboTag t) {
          return is_scope_boundary(t) || t == GUMBO_TAG_OL || t == GUMBO_TAG_UL;
        });
        if (i != kNone) pop_to(i);
        return;
      }
      case GUMBO_TAG_H1:
      case GUMBO_TAG_H2:
      case GUMBO_TAG_H3:
      case GUMBO_TAG_H4:
      case GUMBO_TAG_H5:
      case GUMBO_TAG_H6:
        for (std::size_t i = stack_.size(); i > 0; --i) {
          if (is_heading(stack_[i - 1].tag)) {
            pop_to(i - 1);
            return;
          }
          if (is_scope_boundary(stack_[i - 1].tag)) return;
        }
        return;
      default:
        break;
    }
    if (is_table_part(tag)) {
      const std::size_t i = find_in_scope(tag, name, [tag](GumboTag t) {
        return t == GUMBO_TAG_HTML || t == GUMBO_TAG_TEMPLATE ||
               (t == GUMBO_TAG_TABLE && tag != GUMBO_TAG_TABLE);
      });
      if (i != kNone) pop_to(i);
      return;
    }
    if (is_special(tag)) {
      if (const std::size_t i = in_default_scope(tag, name); i != kNone) pop_to(i);
      return;
    }
    // Any other end tag: the nearest match, unless a special element comes first.
    for (std::size_t i = stack_.size(); i > 0; --i) {
      if (same(stack_[i - 1], tag, name)) {
        pop_to(i - 1);
        return;
      }
      if (is_special(stack_[i - 1].tag)) return;
    }
  }

  std::string_view html_;
  const GuardLimits& limits_;
  GuardResult result_;
  std::size_t copied_ = 0;
  std::size_t nodes_ = 0;
  std::size_t html_body_tags_ = 0;
  std::size_t total_attributes_ = 0;
  std::uint32_t next_afe_id_ = 0;
  std::vector<OpenElement> stack_;
  std::vector<AfeEntry> afe_;
};

}  // namespace

GuardResult guard_html(std::string_view html, const GuardLimits& limits) {
  return Guard(html, limits).run();
}

}  // namespace renkei::content::detail
