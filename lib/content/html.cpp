// parse_html: the token-stream extractor (the fast path, at the end of this file).
// parse_html_gumbo: gumbo behind a guard, then one iterative walk over the tree.
//
// Three layers keep hostile HTML bounded:
//  1. guard_html (html_scan.cpp) rewrites the input so gumbo never builds a tree deeper than the
//     model allows or with more nodes than max_nodes: gumbo 0.10 is quadratic in depth.
//  2. gumbo allocates from a GuardedHeap with a memory and a wall-clock budget; when one is
//     exceeded the allocator longjmps out of gumbo (pure C, nothing to unwind) and the heap frees
//     every block it handed out. gumbo_destroy_output is never called: it recurses per level.
//  3. The walk uses an explicit stack and its own node, link and text limits.
// If gumbo is aborted, a tag-stripping fallback still yields text, links and flags.
#include <gumbo.h>

#include <algorithm>
#include <chrono>
#include <csetjmp>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "content/content.hpp"
#include "content/css.hpp"
#include "content/html_entities.hpp"
#include "content/html_scan.hpp"
#include "content/text_util.hpp"

namespace renkei::content {
namespace {

using detail::closes_p;
using detail::is_formatting_element;
using detail::is_heading;
using detail::is_void_element;

constexpr detail::GuardLimits kGuardDefaults{};
// gumbo's tree costs roughly 10-20 bytes per input byte; above floor + this ratio it is an attack.
constexpr std::size_t kHeapFloorBytes = 64u << 20;
constexpr std::size_t kHeapBytesPerInputByte = 32;
constexpr std::chrono::milliseconds kParseTimeBudget{4000};
// The clock is read every this many allocations (each element costs at least one).
constexpr unsigned kClockEvery = 256;
constexpr std::size_t kMaxTitleBytes = 4096;
// Link text beyond this says nothing more about where the link claims to go; the bound also keeps
// nested anchors (possible around tables) from copying the document once per anchor.
constexpr std::size_t kMaxAnchorTextBytes = 2048;
constexpr int kMaxBlankLines = 2;

void add_limit(HtmlDoc& doc, const std::string& detail) {
  doc.limit_hit = true;
  if (!doc.limit_detail.empty()) doc.limit_detail += "; ";
  doc.limit_detail += detail;
}

// ---------------------------------------------------------------------------------------------
// The guarded heap

struct alignas(std::max_align_t) BlockHeader {
  BlockHeader* prev;
  BlockHeader* next;
  std::size_t size;
};
static_assert(sizeof(BlockHeader) % alignof(std::max_align_t) == 0);

class GuardedHeap {
 public:
  enum class Abort { kNone, kMemory, kTime, kOutOfMemory };

  GuardedHeap(std::size_t budget, std::chrono::steady_clock::time_point deadline)
      : budget_(budget), deadline_(deadline) {
    head_.prev = head_.next = &head_;
    head_.size = 0;
  }
  GuardedHeap(const GuardedHeap&) = delete;
  GuardedHeap& operator=(const GuardedHeap&) = delete;
  ~GuardedHeap() {
    BlockHeader* b = head_.next;
    while (b != &head_) {
      BlockHeader* next = b->next;
      std::free(b);
      b = next;
    }
  }

  GumboOptions options() {
    GumboOptions o = kGumboDefaultOptions;
    o.allocator = &GuardedHeap::allocate;
    o.deallocator = &GuardedHeap::deallocate;
    o.userdata = this;
    o.max_errors = 0;  // we never read gumbo's error list; recording it costs memory
    return o;
  }

  Abort abort_reason() const { return abort_; }
  std::size_t peak() const { return peak_; }

  // Runs gumbo; nullptr when a budget stopped it. No C++ object with a destructor lives in this
  // frame or in the frames longjmp skips (gumbo's C code and allocate()).
  [[gnu::noinline]] GumboOutput* parse(const GumboOptions* options, const char* data,
                                       std::size_t size) {
    if (setjmp(jump_) != 0) return nullptr;
    return gumbo_parse_with_options(options, data, size);
  }

 private:
  [[noreturn]] void fail(Abort why) {
    abort_ = why;
    std::longjmp(jump_, 1);
  }

  static void* allocate(void* userdata, std::size_t size) {
    auto* heap = static_cast<GuardedHeap*>(userdata);
    if (size > heap->budget_ || heap->live_ > heap->budget_ - size) heap->fail(Abort::kMemory);
    if (++heap->calls_ % kClockEvery == 0 && std::chrono::steady_clock::now() > heap->deadline_)
      heap->fail(Abort::kTime);
    void* raw = std::malloc(sizeof(BlockHeader) + size);
    if (raw == nullptr) heap->fail(Abort::kOutOfMemory);
    auto* b = static_cast<BlockHeader*>(raw);
    b->size = size;
    b->prev = &heap->head_;
    b->next = heap->head_.next;
    heap->head_.next->prev = b;
    heap->head_.next = b;
    heap->live_ += size;
    if (heap->live_ > heap->peak_) heap->peak_ = heap->live_;
    return b + 1;
  }

  static void deallocate(void* userdata, void* ptr) {
    if (ptr == nullptr) return;
    auto* heap = static_cast<GuardedHeap*>(userdata);
    BlockHeader* b = static_cast<BlockHeader*>(ptr) - 1;
    b->prev->next = b->next;
    b->next->prev = b->prev;
    heap->live_ -= b->size;
    std::free(b);
  }

  BlockHeader head_;
  std::size_t budget_;
  std::size_t live_ = 0;
  std::size_t peak_ = 0;
  unsigned calls_ = 0;
  std::chrono::steady_clock::time_point deadline_;
  Abort abort_ = Abort::kNone;
  std::jmp_buf jump_;
};

// ---------------------------------------------------------------------------------------------
// Visible text

// Builds the reader's view of the text: whitespace runs collapse to one space, block boundaries
// become line breaks, lines inside <blockquote> get "> " so quoted threads in HTML mail look like
// quoted plain text, zero-width characters are dropped.
class TextBuilder {
 public:
  explicit TextBuilder(std::size_t max_bytes) : max_(max_bytes) {}

  void add(std::string_view s, bool pre, int quote_depth) {
    std::size_t i = 0;
    while (i < s.size() && !full_) {
      const char c = s[i];
      if (static_cast<unsigned char>(c) > 0x20 && static_cast<unsigned char>(c) < 0x7F) {
        // A run of printable ASCII goes in at once.
        std::size_t j = i + 1;
        while (j < s.size() && static_cast<unsigned char>(s[j]) > 0x20 &&
               static_cast<unsigned char>(s[j]) < 0x7F)
          ++j;
        put(s.substr(i, j - i), quote_depth);
        i = j;
        continue;
      }
      if (static_cast<unsigned char>(c) < 0x80) {
        ++i;
        if (c == '\n' && pre) {
          hard_break();
        } else if (util::is_c_space(c) || c == '\0') {
          if (pre && c != '\r' && c != '\0') {
            put(" ", quote_depth);
          } else {
            pending_space_ = !line_start_;
          }
        } else {
          put(std::string_view(&s[i - 1], 1), quote_depth);
        }
        continue;
      }
      const std::size_t begin = i;
      const char32_t cp = detail::next_code_point(s, i);
      if (detail::is_invisible_format_char(cp)) continue;
      if (cp == 0x00A0) {
        // NBSP is kept as a space that counts as content: "<p>&nbsp;</p>" is a blank line.
        put(" ", quote_depth);
      } else if (detail::is_unicode_blank(cp) && cp != 0x3000) {
        pending_space_ = !line_start_;
      } else if (cp == detail::kReplacementChar && !(i - begin == 3)) {
        put("\xEF\xBF\xBD", quote_depth);
      } else {
        put(s.substr(begin, i - begin), quote_depth);
      }
    }
  }

  // End of a block: start a new line unless already at one.
  void soft_break() {
    if (line_start_) return;
    while (!out_.empty() && out_.back() == ' ' && out_.size() > line_content_begin_)
      out_.pop_back();
    newline();
  }

  // <br>: always a line break; blank lines are kept up to a small maximum.
  void hard_break() {
    if (!line_start_) {
      soft_break();
      return;
    }
    if (blank_lines_ >= kMaxBlankLines || out_.empty()) return;
    ++blank_lines_;
    newline();
  }

  void space() { pending_space_ = !line_start_; }

  std::size_t size() const { return out_.size(); }
  bool full() const { return full_; }
  std::string_view view() const { return out_; }

  std::string finish() {
    while (!out_.empty() && (out_.back() == '\n' || out_.back() == ' ')) out_.pop_back();
    return std::move(out_);
  }

 private:
  void newline() {
    if (!reserve(1)) return;
    out_.push_back('\n');
    line_start_ = true;
    pending_space_ = false;
  }

  void put(std::string_view bytes, int quote_depth) {
    std::size_t need = bytes.size() + (pending_space_ ? 1 : 0);
    if (line_start_ && quote_depth > 0) need += static_cast<std::size_t>(quote_depth) + 1;
    if (!reserve(need)) return;
    if (line_start_) {
      if (quote_depth > 0) {
        out_.append(static_cast<std::size_t>(quote_depth), '>');
        out_.push_back(' ');
      }
      line_content_begin_ = out_.size();
      line_start_ = false;
      blank_lines_ = 0;
    } else if (pending_space_) {
      out_.push_back(' ');
    }
    pending_space_ = false;
    out_.append(bytes);
  }

  bool reserve(std::size_t n) {
    if (full_ || out_.size() + n > max_) {
      full_ = true;
      return false;
    }
    return true;
  }

  std::string out_;
  std::size_t max_;
  std::size_t line_content_begin_ = 0;
  bool line_start_ = true;
  bool pending_space_ = false;
  bool full_ = false;
  int blank_lines_ = 0;
};

std::string collapse_whitespace(std::string_view s, std::size_t max_bytes) {
  std::string out;
  out.reserve(s.size() < max_bytes ? s.size() : max_bytes);
  bool space = false;
  std::size_t i = 0;
  while (i < s.size()) {
    const std::size_t begin = i;
    const char32_t cp = detail::next_code_point(s, i);
    if (cp < 0x80 ? util::is_c_space(static_cast<char>(cp))
                  : (detail::is_unicode_blank(cp) && cp != 0x3000)) {
      space = !out.empty();
      continue;
    }
    if (detail::is_invisible_format_char(cp)) continue;
    const std::size_t need = (i - begin) + (space ? 1 : 0);
    if (out.size() + need > max_bytes) break;
    if (space) out.push_back(' ');
    space = false;
    if (cp == detail::kReplacementChar) {
      out.append("\xEF\xBF\xBD");
    } else {
      out.append(s.substr(begin, i - begin));
    }
  }
  return out;
}

// The visible text of a link from the document text written while it was open: without the
// "> " marks TextBuilder puts at line starts inside <blockquote>, whitespace collapsed.
std::string anchor_text(std::string_view written, int quote_depth, std::size_t max_bytes) {
  written = written.substr(0, detail::utf8_safe_cut(written, 4 * max_bytes));
  if (quote_depth <= 0) return collapse_whitespace(written, max_bytes);
  const std::string mark = std::string(static_cast<std::size_t>(quote_depth), '>') + ' ';
  std::string plain;
  plain.reserve(written.size());
  std::size_t i = 0;
  while (i < written.size()) {
    if ((i == 0 || written[i - 1] == '\n') && written.substr(i).starts_with(mark)) {
      i += mark.size();
      continue;
    }
    plain.push_back(written[i++]);
  }
  return collapse_whitespace(plain, max_bytes);
}

// ---------------------------------------------------------------------------------------------
// Element classification for the walk

bool is_block(GumboTag t) {
  switch (t) {
    case GUMBO_TAG_ADDRESS:
    case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_BODY:
    case GUMBO_TAG_CAPTION:
    case GUMBO_TAG_CENTER:
    case GUMBO_TAG_DD:
    case GUMBO_TAG_DETAILS:
    case GUMBO_TAG_DIR:
    case GUMBO_TAG_DIV:
    case GUMBO_TAG_DL:
    case GUMBO_TAG_DT:
    case GUMBO_TAG_FIELDSET:
    case GUMBO_TAG_FIGCAPTION:
    case GUMBO_TAG_FIGURE:
    case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_FORM:
    case GUMBO_TAG_H1:
    case GUMBO_TAG_H2:
    case GUMBO_TAG_H3:
    case GUMBO_TAG_H4:
    case GUMBO_TAG_H5:
    case GUMBO_TAG_H6:
    case GUMBO_TAG_HEADER:
    case GUMBO_TAG_HGROUP:
    case GUMBO_TAG_HR:
    case GUMBO_TAG_LEGEND:
    case GUMBO_TAG_LI:
    case GUMBO_TAG_LISTING:
    case GUMBO_TAG_MAIN:
    case GUMBO_TAG_MENU:
    case GUMBO_TAG_NAV:
    case GUMBO_TAG_OL:
    case GUMBO_TAG_P:
    case GUMBO_TAG_PLAINTEXT:
    case GUMBO_TAG_PRE:
    case GUMBO_TAG_SECTION:
    case GUMBO_TAG_SUMMARY:
    case GUMBO_TAG_TABLE:
    case GUMBO_TAG_TBODY:
    case GUMBO_TAG_TFOOT:
    case GUMBO_TAG_THEAD:
    case GUMBO_TAG_TR:
    case GUMBO_TAG_UL:
    case GUMBO_TAG_XMP:
    case GUMBO_TAG_TEXTAREA:
      return true;
    default:
      return false;
  }
}

// Subtrees whose text a reader never sees (the elements inside are still inspected).
bool is_textless(GumboTag t) {
  switch (t) {
    case GUMBO_TAG_HEAD:
    case GUMBO_TAG_SCRIPT:
    case GUMBO_TAG_STYLE:
    case GUMBO_TAG_TITLE:
    case GUMBO_TAG_IFRAME:
    case GUMBO_TAG_NOEMBED:
    case GUMBO_TAG_NOFRAMES:
    case GUMBO_TAG_TEMPLATE:
    case GUMBO_TAG_SELECT:
    case GUMBO_TAG_DATALIST:
    case GUMBO_TAG_OBJECT:
    case GUMBO_TAG_CANVAS:
    case GUMBO_TAG_AUDIO:
    case GUMBO_TAG_VIDEO:
    case GUMBO_TAG_MAP:
      return true;
    default:
      return false;
  }
}

bool preserves_whitespace(GumboTag t) {
  return t == GUMBO_TAG_PRE || t == GUMBO_TAG_LISTING || t == GUMBO_TAG_XMP ||
         t == GUMBO_TAG_TEXTAREA || t == GUMBO_TAG_PLAINTEXT;
}

// Browsers drop ASCII tab and newline inside URLs, so "java\nscript:" still runs.
bool is_javascript_url(std::string_view href) {
  std::string compact;
  for (char c : util::trim_c_space(href)) {
    if (c == '\t' || c == '\n' || c == '\r') continue;
    compact.push_back(c);
    if (compact.size() >= 11) break;
  }
  return util::istarts_with_ascii(compact, "javascript:");
}

// ---------------------------------------------------------------------------------------------
// The walk

struct Context {
  bool hidden = false;    // display:none & co on this element or an ancestor
  bool textless = false;  // inside head/script/style/...
  bool pre = false;
  int quote_depth = 0;
};

struct Frame {
  const GumboNode* node = nullptr;
  unsigned next_child = 0;
  Context ctx;
  std::size_t anchor = std::string::npos;  // index in doc.anchors opened by this element
  std::size_t anchor_text_begin = 0;
  bool block = false;
  bool cell = false;
};

class Walker {
 public:
  Walker(HtmlDoc& doc, const HtmlLimits& limits)
      : doc_(doc), limits_(limits), text_(limits.max_text_bytes) {}

  void walk(const GumboNode* document) {
    std::vector<Frame> stack;
    stack.reserve(64);
    Frame root;
    root.node = document;
    stack.push_back(root);
    std::size_t visited = 0;
    bool stopped = false;
    while (!stack.empty()) {
      Frame& top = stack.back();
      const GumboVector& children = top.node->type == GUMBO_NODE_DOCUMENT
                                        ? top.node->v.document.children
                                        : top.node->v.element.children;
      if (stopped || top.next_child >= children.length) {
        leave(top);
        stack.pop_back();
        continue;
      }
      const auto* child = static_cast<const GumboNode*>(children.data[top.next_child++]);
      if (++visited > limits_.max_nodes) {
        add_limit(doc_, "more than " + std::to_string(limits_.max_nodes) +
                            " HTML nodes: the rest was not read");
        stopped = true;
        continue;
      }
      switch (child->type) {
        case GUMBO_NODE_TEXT:
        case GUMBO_NODE_WHITESPACE:
        case GUMBO_NODE_CDATA:
          if (!top.ctx.hidden && !top.ctx.textless)
            text_.add(child->v.text.text, top.ctx.pre, top.ctx.quote_depth);
          else if (top.ctx.hidden && !top.ctx.textless && child->type == GUMBO_NODE_TEXT)
            doc_.hidden_text_bytes += std::strlen(child->v.text.text);
          break;
        case GUMBO_NODE_ELEMENT: {
          Frame frame = enter(child, top.ctx);
          stack.push_back(frame);  // `top` is invalid from here on
          break;
        }
        case GUMBO_NODE_TEMPLATE:  // inert content, never rendered
        case GUMBO_NODE_COMMENT:
        case GUMBO_NODE_DOCUMENT:
          break;
      }
    }
    if (text_.full())
      add_limit(doc_, "visible text longer than " + std::to_string(limits_.max_text_bytes) +
                          " bytes: cut");
    if (links_dropped_)
      add_limit(doc_, "more than " + std::to_string(limits_.max_links) +
                          " links, images or form actions: the rest dropped");
    doc_.text = text_.finish();
  }

 private:
  static const char* attr(const GumboElement& el, const char* name) {
    const GumboAttribute* a = gumbo_get_attribute(&el.attributes, name);
    return a == nullptr ? nullptr : a->value;
  }

  template <typename T>
  bool room(const std::vector<T>& v) {
    if (v.size() < limits_.max_links) return true;
    links_dropped_ = true;
    return false;
  }

  Frame enter(const GumboNode* node, const Context& parent) {
    const GumboElement& el = node->v.element;
    const GumboTag tag = el.tag;
    Frame f;
    f.node = node;
    f.ctx = parent;

    detail::InlineStyle style;
    bool has_style = false;
    for (unsigned i = 0; i < el.attributes.length; ++i) {
      const auto* a = static_cast<const GumboAttribute*>(el.attributes.data[i]);
      const std::string_view name = a->name;
      if (name == "style") {
        style = detail::parse_inline_style(a->value);
        has_style = true;
      } else if (name == "hidden") {
        f.ctx.hidden = true;
      } else if (name.size() > 2 && name.starts_with("on")) {
        doc_.has_script = true;  // inline event handler
      } else if (name == "background") {
        add_image(a->value, -1, -1, f.ctx.hidden);
      } else if (name == "formaction") {
        add_form_action(a->value);
      }
    }
    if (has_style && style.hides_content()) f.ctx.hidden = true;

    int width = style.width;
    int height = style.height;
    if (width < 0)
      if (const char* w = attr(el, "width")) width = detail::parse_dimension_attribute(w);
    if (height < 0)
      if (const char* h = attr(el, "height")) height = detail::parse_dimension_attribute(h);
    for (const std::string& url : style.background_urls)
      add_image(url, width, height, f.ctx.hidden);

    switch (tag) {
      case GUMBO_TAG_A:
      case GUMBO_TAG_AREA:
        if (const char* href = attr(el, "href")) {
          if (is_javascript_url(href)) doc_.has_script = true;
          if (room(doc_.anchors)) {
            doc_.anchors.push_back(Anchor{std::string(util::trim_c_space(href)), {}});
            f.anchor = doc_.anchors.size() - 1;
            f.anchor_text_begin = text_.size();
          }
        }
        break;
      case GUMBO_TAG_IMG:
      case GUMBO_TAG_IMAGE:
        if (const char* src = attr(el, "src")) add_image(src, width, height, f.ctx.hidden);
        break;
      case GUMBO_TAG_INPUT: {
        const char* type_attr = attr(el, "type");
        const std::string_view type = type_attr == nullptr ? "" : util::trim_c_space(type_attr);
        if (util::iequals_ascii(type, "password")) doc_.has_password_input = true;
        if (util::iequals_ascii(type, "image")) {
          if (const char* src = attr(el, "src")) add_image(src, width, height, f.ctx.hidden);
        }
        if (util::iequals_ascii(type, "submit") || util::iequals_ascii(type, "button") ||
            util::iequals_ascii(type, "reset")) {
          // A button's label is text the reader sees ("Sign in").
          if (const char* value = attr(el, "value");
              value != nullptr && !f.ctx.hidden && !f.ctx.textless) {
            text_.space();
            text_.add(value, false, f.ctx.quote_depth);
            text_.space();
          }
        }
        break;
      }
      case GUMBO_TAG_FORM:
        doc_.has_form = true;
        if (const char* action = attr(el, "action")) add_form_action(action);
        break;
      case GUMBO_TAG_SCRIPT:
        doc_.has_script = true;
        break;
      case GUMBO_TAG_META:
        if (const char* equiv = attr(el, "http-equiv");
            equiv && util::iequals_ascii(util::trim_c_space(equiv), "refresh"))
          doc_.has_meta_refresh = true;
        break;
      case GUMBO_TAG_TITLE:
        if (doc_.title.empty()) read_title(el);
        break;
      case GUMBO_TAG_BR:
        if (!f.ctx.hidden && !f.ctx.textless) text_.hard_break();
        break;
      case GUMBO_TAG_TD:
      case GUMBO_TAG_TH:
        f.cell = true;
        text_.space();
        break;
      case GUMBO_TAG_BLOCKQUOTE:
        ++f.ctx.quote_depth;
        break;
      default:
        break;
    }
    if (is_textless(tag)) f.ctx.textless = true;
    if (preserves_whitespace(tag)) f.ctx.pre = true;
    if (is_block(tag) && !f.ctx.hidden && !f.ctx.textless) {
      f.block = true;
      text_.soft_break();
    }
    return f;
  }

  void leave(const Frame& f) {
    if (f.anchor != std::string::npos) {
      const std::string_view all = text_.view();
      const std::size_t begin = f.anchor_text_begin < all.size() ? f.anchor_text_begin : all.size();
      doc_.anchors[f.anchor].text =
          anchor_text(all.substr(begin), f.ctx.quote_depth, kMaxAnchorTextBytes);
    }
    if (f.block) text_.soft_break();
    if (f.cell) text_.space();
  }

  void read_title(const GumboElement& el) {
    std::string raw;
    for (unsigned i = 0; i < el.children.length && raw.size() < kMaxTitleBytes; ++i) {
      const auto* c = static_cast<const GumboNode*>(el.children.data[i]);
      if (c->type == GUMBO_NODE_TEXT || c->type == GUMBO_NODE_WHITESPACE) raw += c->v.text.text;
    }
    doc_.title = collapse_whitespace(raw, kMaxTitleBytes);
  }

  void add_image(std::string_view src, int width, int height, bool hidden) {
    src = util::trim_c_space(src);
    if (src.empty() || !room(doc_.images)) return;
    Image img;
    img.src = std::string(src);
    img.width = width;
    img.height = height;
    // A 0- or 1-pixel image is invisible to the reader: the shape of an open-tracking beacon.
    img.hidden = hidden || width == 0 || width == 1 || height == 0 || height == 1;
    doc_.images.push_back(std::move(img));
  }

  void add_form_action(std::string_view action) {
    action = util::trim_c_space(action);
    if (action.empty() || !room(doc_.form_actions)) return;
    doc_.form_actions.emplace_back(action);
  }

  HtmlDoc& doc_;
  const HtmlLimits& limits_;
  TextBuilder text_;
  bool links_dropped_ = false;
};

// ---------------------------------------------------------------------------------------------
// Fallback without a DOM, for input gumbo could not finish within its budget

std::string decode_basic_entities(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    if (s[i] != '&') {
      out.push_back(s[i++]);
      continue;
    }
    const std::size_t semi = s.find(';', i);
    if (semi == std::string_view::npos || semi - i > 10) {
      out.push_back(s[i++]);
      continue;
    }
    const std::string_view name = s.substr(i + 1, semi - i - 1);
    char32_t cp = 0;
    if (name == "amp") {
      cp = '&';
    } else if (name == "lt") {
      cp = '<';
    } else if (name == "gt") {
      cp = '>';
    } else if (name == "quot") {
      cp = '"';
    } else if (name == "apos") {
      cp = '\'';
    } else if (name == "nbsp") {
      cp = 0xA0;
    } else if (name.size() >= 2 && name[0] == '#') {
      const bool hex = name[1] == 'x' || name[1] == 'X';
      for (std::size_t k = hex ? 2 : 1; k < name.size(); ++k) {
        const int d =
            hex ? util::hex_value(name[k]) : (util::is_ascii_digit(name[k]) ? name[k] - '0' : -1);
        if (d < 0 || cp > 0x10FFFF) {
          cp = 0;
          break;
        }
        cp = cp * (hex ? 16 : 10) + static_cast<char32_t>(d);
      }
      if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = detail::kReplacementChar;
    }
    if (cp == 0) {
      out.push_back(s[i++]);
      continue;
    }
    detail::append_utf8(out, cp);
    i = semi + 1;
  }
  return out;
}

void fallback_extract(std::string_view html, const HtmlLimits& limits, HtmlDoc& doc) {
  detail::ScanTokenizer tok(html);
  TextBuilder text(limits.max_text_bytes);
  std::size_t open_anchor = std::string::npos;
  std::size_t anchor_begin = 0;
  auto close_anchor = [&] {
    if (open_anchor == std::string::npos) return;
    doc.anchors[open_anchor].text = anchor_text(
        text.view().substr(std::min(anchor_begin, text.size())), 0, kMaxAnchorTextBytes);
    open_anchor = std::string::npos;
  };
  auto attr = [&](std::string_view name) -> std::string {
    for (const auto& a : tok.attrs())
      if (util::iequals_ascii(a.name, name)) return decode_basic_entities(a.value);
    return {};
  };
  while (true) {
    const detail::ScanToken t = tok.next();
    if (t.kind == detail::ScanToken::Kind::kEof) break;
    if (t.kind == detail::ScanToken::Kind::kText) {
      text.add(decode_basic_entities(html.substr(t.begin, t.end - t.begin)), false, 0);
      continue;
    }
    if (t.kind == detail::ScanToken::Kind::kComment) continue;
    const GumboTag tag = t.name.size() <= 32
                             ? gumbo_tagn_enum(t.name.data(), static_cast<unsigned>(t.name.size()))
                             : GUMBO_TAG_UNKNOWN;
    if (t.kind == detail::ScanToken::Kind::kEndTag) {
      if (tag == GUMBO_TAG_A) close_anchor();
      if (is_block(tag)) text.soft_break();
      continue;
    }
    if (is_block(tag)) text.soft_break();
    switch (tag) {
      case GUMBO_TAG_A:
      case GUMBO_TAG_AREA: {
        close_anchor();
        const std::string href = attr("href");
        if (href.empty()) break;
        if (is_javascript_url(href)) doc.has_script = true;
        if (doc.anchors.size() < limits.max_links) {
          doc.anchors.push_back(Anchor{std::string(util::trim_c_space(href)), {}});
          if (tag == GUMBO_TAG_A) {
            open_anchor = doc.anchors.size() - 1;
            anchor_begin = text.size();
          }
        }
        break;
      }
      case GUMBO_TAG_IMG:
        if (const std::string src = attr("src");
            !src.empty() && doc.images.size() < limits.max_links) {
          Image img;
          img.src = std::string(util::trim_c_space(src));
          img.width = detail::parse_dimension_attribute(attr("width"));
          img.height = detail::parse_dimension_attribute(attr("height"));
          img.hidden = img.width == 0 || img.width == 1 || img.height == 0 || img.height == 1;
          doc.images.push_back(std::move(img));
        }
        break;
      case GUMBO_TAG_FORM:
        doc.has_form = true;
        if (const std::string action = attr("action");
            !util::trim_c_space(action).empty() && doc.form_actions.size() < limits.max_links)
          doc.form_actions.emplace_back(util::trim_c_space(action));
        break;
      case GUMBO_TAG_INPUT:
        if (util::iequals_ascii(util::trim_c_space(attr("type")), "password"))
          doc.has_password_input = true;
        break;
      case GUMBO_TAG_META:
        if (util::iequals_ascii(util::trim_c_space(attr("http-equiv")), "refresh"))
          doc.has_meta_refresh = true;
        break;
      case GUMBO_TAG_BR:
        text.hard_break();
        break;
      case GUMBO_TAG_SCRIPT:
      case GUMBO_TAG_STYLE:
      case GUMBO_TAG_TITLE:
      case GUMBO_TAG_TEXTAREA:
      case GUMBO_TAG_XMP:
      case GUMBO_TAG_IFRAME:
      case GUMBO_TAG_NOEMBED:
      case GUMBO_TAG_NOFRAMES: {
        if (tag == GUMBO_TAG_SCRIPT) doc.has_script = true;
        const auto [b, e] = tok.skip_raw_text(gumbo_normalized_tagname(tag));
        if (tag == GUMBO_TAG_TITLE && doc.title.empty())
          doc.title =
              collapse_whitespace(decode_basic_entities(html.substr(b, e - b)), kMaxTitleBytes);
        break;
      }
      default:
        break;
    }
    for (const auto& a : tok.attrs())
      if (a.name.size() > 2 && util::istarts_with_ascii(a.name, "on")) doc.has_script = true;
  }
  close_anchor();
  doc.text = text.finish();
}

// Cuts the input at max_input_bytes and runs the guard; returns what to parse (pointing into
// `html` or into `guarded.rewritten`) and records the limits hit in `doc`.
std::string_view cut_and_guard(std::string_view html, const HtmlLimits& limits, HtmlDoc& doc,
                               detail::GuardResult& guarded) {
  if (html.size() > limits.max_input_bytes) {
    html = html.substr(0, detail::utf8_safe_cut(html, limits.max_input_bytes));
    add_limit(doc, "HTML longer than " + std::to_string(limits.max_input_bytes) +
                       " bytes: cut before parsing");
  }

  detail::GuardLimits guard_limits = kGuardDefaults;
  guard_limits.max_nodes = limits.max_nodes;
  guarded = detail::guard_html(html, guard_limits);
  if (guarded.dropped_tags > 0)
    add_limit(doc, "HTML nested deeper than " + std::to_string(guard_limits.max_depth) +
                       " elements: " + std::to_string(guarded.dropped_tags) + " tags flattened");
  if (guarded.dropped_root_tags > 0)
    add_limit(doc,
              std::to_string(guarded.dropped_root_tags) + " repeated <html>/<body> tags dropped");
  if (guarded.dropped_attributes > 0)
    add_limit(doc, std::to_string(guarded.dropped_attributes) + " attributes beyond " +
                       std::to_string(guard_limits.max_attributes) + " per tag dropped");
  if (guarded.node_limit_hit)
    add_limit(doc, "more than " + std::to_string(limits.max_nodes) + " HTML nodes: cut at byte " +
                       std::to_string(guarded.cut_at));
  return guarded.modified ? std::string_view(guarded.rewritten)
                          : html.substr(0, guarded.parse_bytes);
}

HtmlDoc parse_html_unguarded(std::string_view html, const HtmlLimits& limits) {
  HtmlDoc doc;
  detail::GuardResult guarded;
  const std::string_view input = cut_and_guard(html, limits, doc, guarded);

  const std::size_t budget = kHeapFloorBytes + kHeapBytesPerInputByte * input.size();
  GuardedHeap heap(budget, std::chrono::steady_clock::now() + kParseTimeBudget);
  const GumboOptions options = heap.options();
  const GumboOutput* output = heap.parse(&options, input.data(), input.size());
  if (output == nullptr) {
    const char* why = heap.abort_reason() == GuardedHeap::Abort::kTime ? "time" : "memory";
    add_limit(doc, std::string("HTML parser exceeded its ") + why +
                       " budget: text and links extracted without a DOM");
    fallback_extract(input, limits, doc);
    return doc;
  }
  Walker(doc, limits).walk(output->document);
  return doc;  // `heap` frees the whole tree
}

// ---------------------------------------------------------------------------------------------
// The fast path: extraction straight from the token stream
//
// gumbo builds a full DOM at roughly 5-10 MB/s and was most of the engine's CPU time on HTML
// mail; Debian 12 packages no faster HTML5 parser (lexbor is not packaged). What the analysis
// reads — visible text, links, images, forms, flags — needs only the tokenizer, entity decoding
// and a small model of the open elements: hidden subtrees, the <a> whose text is being written,
// raw-text elements, and the implied end tags of p/li/dd/dt/option/table parts/headings/a. Tree
// construction subtleties that move text (foster parenting, the adoption agency's clones,
// reconstruction of formatting elements) are approximated: they change where words land, not
// which words are visible or which links exist. gumbo stays as parse_html_gumbo, the reference
// the differential test compares against. The same guard runs first, so both paths see the same
// input and report the same limits.

// The guard keeps the real depth at max_depth (256); this bounds the model whatever it lets by.
constexpr std::size_t kMaxOpenElements = 512;

// Elements whose end tag is matched "in scope" rather than as the nearest open element; an
// unknown end tag stops at them. A reduced form of HTML's "special" category.
bool is_special_element(GumboTag t) {
  return is_block(t) || is_textless(t) || is_void_element(t) || t == GUMBO_TAG_TD ||
         t == GUMBO_TAG_TH || t == GUMBO_TAG_BUTTON || t == GUMBO_TAG_APPLET ||
         t == GUMBO_TAG_MARQUEE || t == GUMBO_TAG_HTML || t == GUMBO_TAG_COLGROUP ||
         t == GUMBO_TAG_NOSCRIPT || t == GUMBO_TAG_FRAMESET;
}

bool is_scope_boundary(GumboTag t) {
  return t == GUMBO_TAG_APPLET || t == GUMBO_TAG_CAPTION || t == GUMBO_TAG_HTML ||
         t == GUMBO_TAG_TABLE || t == GUMBO_TAG_TD || t == GUMBO_TAG_TH || t == GUMBO_TAG_MARQUEE ||
         t == GUMBO_TAG_OBJECT || t == GUMBO_TAG_TEMPLATE || t == GUMBO_TAG_SVG ||
         t == GUMBO_TAG_MATH;
}

bool is_table_part(GumboTag t) {
  return t == GUMBO_TAG_TABLE || t == GUMBO_TAG_TBODY || t == GUMBO_TAG_THEAD ||
         t == GUMBO_TAG_TFOOT || t == GUMBO_TAG_TR || t == GUMBO_TAG_TD || t == GUMBO_TAG_TH ||
         t == GUMBO_TAG_CAPTION || t == GUMBO_TAG_COLGROUP;
}

// Elements that may stay in <head>; any other start tag (or text) opens the body.
bool belongs_in_head(GumboTag t) {
  switch (t) {
    case GUMBO_TAG_BASE:
    case GUMBO_TAG_BASEFONT:
    case GUMBO_TAG_BGSOUND:
    case GUMBO_TAG_LINK:
    case GUMBO_TAG_META:
    case GUMBO_TAG_TITLE:
    case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_NOFRAMES:
    case GUMBO_TAG_STYLE:
    case GUMBO_TAG_SCRIPT:
    case GUMBO_TAG_TEMPLATE:
    case GUMBO_TAG_HEAD:
      return true;
    default:
      return false;
  }
}

GumboTag tag_of(std::string_view name) {
  if (name.empty() || name.size() > 32) return GUMBO_TAG_UNKNOWN;
  return gumbo_tagn_enum(name.data(), static_cast<unsigned>(name.size()));
}

struct FastFrame {
  GumboTag tag = GUMBO_TAG_UNKNOWN;
  std::string_view name;  // as written, to match end tags of unknown elements
  Context ctx;
  bool inert = false;  // inside <template>: gumbo's tree keeps it apart, the walk never enters
  std::size_t anchor = std::string::npos;
  std::size_t anchor_text_begin = 0;
  bool block = false;
  bool cell = false;
};

class FastExtractor {
 public:
  FastExtractor(std::string_view html, HtmlDoc& doc, const HtmlLimits& limits)
      : html_(html), tok_(html), doc_(doc), limits_(limits), text_(limits.max_text_bytes) {
    stack_.reserve(64);
  }

  void run() {
    std::size_t visited = 0;
    while (true) {
      const detail::ScanToken t = tok_.next();
      if (t.kind == detail::ScanToken::Kind::kEof) break;
      if (++visited > limits_.max_nodes) {
        add_limit(doc_, "more than " + std::to_string(limits_.max_nodes) +
                            " HTML nodes: the rest was not read");
        break;
      }
      switch (t.kind) {
        case detail::ScanToken::Kind::kText:
          on_text(html_.substr(t.begin, t.end - t.begin));
          break;
        case detail::ScanToken::Kind::kStartTag:
          on_start_tag(t);
          break;
        case detail::ScanToken::Kind::kEndTag:
          on_end_tag(tag_of(t.name), t.name);
          break;
        case detail::ScanToken::Kind::kComment:
        case detail::ScanToken::Kind::kEof:
          break;
      }
    }
    pop_to(0);
    if (text_.full())
      add_limit(doc_, "visible text longer than " + std::to_string(limits_.max_text_bytes) +
                          " bytes: cut");
    if (links_dropped_)
      add_limit(doc_, "more than " + std::to_string(limits_.max_links) +
                          " links, images or form actions: the rest dropped");
    doc_.text = text_.finish();
  }

 private:
  Context context() const { return stack_.empty() ? Context{} : stack_.back().ctx; }
  bool inert() const { return !stack_.empty() && stack_.back().inert; }

  void on_text(std::string_view raw) {
    if (skip_leading_newline_) {
      skip_leading_newline_ = false;
      if (raw.starts_with("\r\n")) {
        raw.remove_prefix(2);
      } else if (raw.starts_with('\n')) {
        raw.remove_prefix(1);
      }
    }
    if (head_open_ != std::string::npos && !util::trim_c_space(raw).empty()) pop_to(head_open_);
    const Context ctx = context();
    if (ctx.hidden && !ctx.textless && !inert())
      doc_.hidden_text_bytes += util::trim_c_space(raw).size();
    if (ctx.hidden || ctx.textless || inert()) return;
    add_text(raw, ctx);
  }

  void add_text(std::string_view raw, const Context& ctx) {
    if (raw.find('&') == std::string_view::npos) {
      text_.add(raw, ctx.pre, ctx.quote_depth);
      return;
    }
    scratch_.clear();
    detail::append_decoded_entities(raw, false, scratch_);
    text_.add(scratch_, ctx.pre, ctx.quote_depth);
  }

  // The first attribute of that name (duplicates are ignored, as in HTML5), entity-decoded.
  const std::string* attr(std::string_view name) {
    for (const detail::ScanAttr& a : tok_.attrs()) {
      if (!util::iequals_ascii(a.name, name)) continue;
      value_.clear();
      detail::append_decoded_entities(a.value, true, value_);
      return &value_;
    }
    return nullptr;
  }

  template <typename T>
  bool room(const std::vector<T>& v) {
    if (v.size() < limits_.max_links) return true;
    links_dropped_ = true;
    return false;
  }

  // Index of the topmost open element `tag` (or of that name when unknown) before a boundary.
  template <typename Boundary>
  std::size_t find_open(GumboTag tag, std::string_view name, Boundary boundary) const {
    for (std::size_t i = stack_.size(); i > 0; --i) {
      const FastFrame& f = stack_[i - 1];
      if (f.tag == tag && (tag != GUMBO_TAG_UNKNOWN || util::iequals_ascii(f.name, name)))
        return i - 1;
      if (boundary(f.tag)) return std::string::npos;
    }
    return std::string::npos;
  }

  void pop_to(std::size_t index) {
    while (stack_.size() > index) {
      leave(stack_.back());
      if (stack_.size() - 1 == head_open_) head_open_ = std::string::npos;
      stack_.pop_back();
    }
  }

  void close_p() {
    const std::size_t i = find_open(
        GUMBO_TAG_P, {}, [](GumboTag t) { return is_scope_boundary(t) || t == GUMBO_TAG_BUTTON; });
    if (i != std::string::npos) pop_to(i);
  }

  // The end tags HTML5 implies before this start tag.
  void implied_end_tags(GumboTag tag) {
    if (head_open_ != std::string::npos && !belongs_in_head(tag)) pop_to(head_open_);
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
          if (is_special_element(o) && o != GUMBO_TAG_ADDRESS && o != GUMBO_TAG_DIV &&
              o != GUMBO_TAG_P)
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
        if (const std::size_t i = find_open(GUMBO_TAG_BUTTON, {}, is_scope_boundary);
            i != std::string::npos)
          pop_to(i);
        break;
      case GUMBO_TAG_TD:
      case GUMBO_TAG_TH:
      case GUMBO_TAG_TR:
      case GUMBO_TAG_TBODY:
      case GUMBO_TAG_THEAD:
      case GUMBO_TAG_TFOOT: {
        // A new cell / row / row group closes the open one within the same table.
        const bool want_cell = tag == GUMBO_TAG_TD || tag == GUMBO_TAG_TH;
        const bool want_row = tag == GUMBO_TAG_TR;
        for (std::size_t i = stack_.size(); i > 0; --i) {
          const GumboTag o = stack_[i - 1].tag;
          if (o == GUMBO_TAG_TABLE || o == GUMBO_TAG_HTML || o == GUMBO_TAG_TEMPLATE) break;
          const bool cell = o == GUMBO_TAG_TD || o == GUMBO_TAG_TH;
          const bool row = o == GUMBO_TAG_TR;
          const bool group = o == GUMBO_TAG_TBODY || o == GUMBO_TAG_THEAD || o == GUMBO_TAG_TFOOT;
          if ((want_cell && cell) || (want_row && row) || (!want_cell && !want_row && group)) {
            pop_to(i - 1);
            break;
          }
        }
        break;
      }
      case GUMBO_TAG_A:
      case GUMBO_TAG_NOBR:
        // An open <a> is closed by the next one (the adoption agency, simplified).
        if (const std::size_t i = find_open(tag, {},
                                            [](GumboTag t) {
                                              return t == GUMBO_TAG_TD || t == GUMBO_TAG_TH ||
                                                     t == GUMBO_TAG_CAPTION ||
                                                     t == GUMBO_TAG_TABLE ||
                                                     t == GUMBO_TAG_TEMPLATE;
                                            });
            i != std::string::npos)
          pop_to(i);
        break;
      default:
        break;
    }
  }

  void on_start_tag(const detail::ScanToken& t) {
    const GumboTag tag = tag_of(t.name);
    if (tag == GUMBO_TAG_HTML || (tag == GUMBO_TAG_BODY && body_seen_)) {
      // Repeats merge their attributes into the one element: only the flags matter.
      if (!inert()) element_attributes(context(), nullptr);
      return;
    }
    if (tag == GUMBO_TAG_HEAD && (head_seen_ || body_seen_)) return;
    implied_end_tags(tag);

    FastFrame f;
    f.tag = tag;
    f.name = t.name;
    f.ctx = context();
    f.inert = inert() || tag == GUMBO_TAG_TEMPLATE;
    if (!f.inert) enter(f);
    if (tag == GUMBO_TAG_HEAD) head_seen_ = true;
    if (tag == GUMBO_TAG_BODY) body_seen_ = true;

    switch (tag) {
      case GUMBO_TAG_SCRIPT:
      case GUMBO_TAG_STYLE:
      case GUMBO_TAG_IFRAME:
      case GUMBO_TAG_NOEMBED:
      case GUMBO_TAG_NOFRAMES:
      case GUMBO_TAG_TITLE: {
        // Raw text a reader never sees: skipped up to the end tag, which then closes nothing.
        const auto [b, e] = tok_.skip_raw_text(gumbo_normalized_tagname(tag));
        if (tag == GUMBO_TAG_TITLE && !f.inert && doc_.title.empty()) {
          const std::string_view raw = html_.substr(b, std::min(e - b, 4 * kMaxTitleBytes));
          doc_.title = collapse_whitespace(detail::decode_entities(raw, false), kMaxTitleBytes);
        }
        leave(f);
        return;
      }
      case GUMBO_TAG_TEXTAREA:
      case GUMBO_TAG_XMP:
      case GUMBO_TAG_PLAINTEXT: {
        // Raw text the reader sees, whitespace kept (textarea's with entities decoded).
        std::pair<std::size_t, std::size_t> span;
        if (tag == GUMBO_TAG_PLAINTEXT) {
          span = {tok_.position(), html_.size()};
          tok_.skip_to_end();
        } else {
          span = tok_.skip_raw_text(gumbo_normalized_tagname(tag));
        }
        std::string_view raw = html_.substr(span.first, span.second - span.first);
        if (tag == GUMBO_TAG_TEXTAREA) {
          if (raw.starts_with("\r\n")) {
            raw.remove_prefix(2);
          } else if (raw.starts_with('\n')) {
            raw.remove_prefix(1);
          }
        }
        if (!f.ctx.hidden && !f.ctx.textless && !f.inert) {
          if (tag == GUMBO_TAG_TEXTAREA) {
            add_text(raw, f.ctx);
          } else {
            text_.add(raw, f.ctx.pre, f.ctx.quote_depth);
          }
        }
        break;  // the element stays open until its end tag
      }
      case GUMBO_TAG_PRE:
      case GUMBO_TAG_LISTING:
        skip_leading_newline_ = true;  // HTML drops the newline right after the start tag
        break;
      default:
        break;
    }
    if (is_void_element(tag) || stack_.size() >= kMaxOpenElements) {
      leave(f);
      return;
    }
    if (tag == GUMBO_TAG_HEAD) head_open_ = stack_.size();
    stack_.push_back(f);
  }

  void on_end_tag(GumboTag tag, std::string_view name) {
    switch (tag) {
      case GUMBO_TAG_HTML:
      case GUMBO_TAG_BODY:
        return;
      case GUMBO_TAG_HEAD:
        if (head_open_ != std::string::npos) pop_to(head_open_);
        return;
      case GUMBO_TAG_BR:  // "</br>" is a <br>
        if (!context().hidden && !context().textless && !inert()) text_.hard_break();
        return;
      case GUMBO_TAG_P: {
        const std::size_t i = find_open(GUMBO_TAG_P, {}, [](GumboTag t) {
          return is_scope_boundary(t) || t == GUMBO_TAG_BUTTON;
        });
        if (i != std::string::npos) {
          pop_to(i);
        } else if (!context().hidden && !context().textless && !inert()) {
          text_.soft_break();  // "</p>" alone inserts an empty paragraph
        }
        return;
      }
      case GUMBO_TAG_LI: {
        const std::size_t i = find_open(GUMBO_TAG_LI, {}, [](GumboTag t) {
          return is_scope_boundary(t) || t == GUMBO_TAG_OL || t == GUMBO_TAG_UL;
        });
        if (i != std::string::npos) pop_to(i);
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
    if (is_formatting_element(tag)) {
      // The adoption agency would re-parent blocks inside; closing up to the element keeps the
      // text and the link's extent, which is what the analysis reads.
      const std::size_t i = find_open(tag, name, [](GumboTag t) {
        return t == GUMBO_TAG_TD || t == GUMBO_TAG_TH || t == GUMBO_TAG_CAPTION ||
               t == GUMBO_TAG_TABLE || t == GUMBO_TAG_TEMPLATE || t == GUMBO_TAG_HTML;
      });
      if (i != std::string::npos) pop_to(i);
      return;
    }
    if (is_table_part(tag)) {
      const std::size_t i = find_open(tag, name, [tag](GumboTag t) {
        return t == GUMBO_TAG_HTML || t == GUMBO_TAG_TEMPLATE ||
               (t == GUMBO_TAG_TABLE && tag != GUMBO_TAG_TABLE);
      });
      if (i != std::string::npos) pop_to(i);
      return;
    }
    if (is_special_element(tag) || tag == GUMBO_TAG_TEMPLATE) {
      const std::size_t i = find_open(tag, name, is_scope_boundary);
      if (i != std::string::npos) pop_to(i);
      return;
    }
    // Any other end tag: the nearest match, unless a special element comes first.
    for (std::size_t i = stack_.size(); i > 0; --i) {
      const FastFrame& f = stack_[i - 1];
      if (f.tag == tag && (tag != GUMBO_TAG_UNKNOWN || util::iequals_ascii(f.name, name))) {
        pop_to(i - 1);
        return;
      }
      if (is_special_element(f.tag)) return;
    }
  }

  // Attributes every element may carry: hidden, style, on* handlers, background, formaction.
  // Returns the parsed inline style when `style` is given.
  void element_attributes(Context ctx, detail::InlineStyle* style) {
    for (const detail::ScanAttr& a : tok_.attrs()) {
      const std::string_view name = a.name;
      if (name.size() > 2 && util::istarts_with_ascii(name, "on")) {
        doc_.has_script = true;  // inline event handler
      } else if (style != nullptr && util::iequals_ascii(name, "style") && !style_seen_) {
        style_seen_ = true;
        value_.clear();
        detail::append_decoded_entities(a.value, true, value_);
        *style = detail::parse_inline_style(value_);
      } else if (util::iequals_ascii(name, "background")) {
        value_.clear();
        detail::append_decoded_entities(a.value, true, value_);
        add_image(value_, -1, -1, ctx.hidden);
      } else if (util::iequals_ascii(name, "formaction")) {
        value_.clear();
        detail::append_decoded_entities(a.value, true, value_);
        add_form_action(value_);
      }
    }
  }

  void enter(FastFrame& f) {
    const GumboTag tag = f.tag;
    for (const detail::ScanAttr& a : tok_.attrs())
      if (util::iequals_ascii(a.name, "hidden")) f.ctx.hidden = true;
    detail::InlineStyle style;
    style_seen_ = false;
    // Attributes are processed in order as gumbo's walk does, so background images see the
    // element's own hidden attribute but not its style (the walk applies the style after).
    element_attributes(f.ctx, &style);
    if (style_seen_ && style.hides_content()) f.ctx.hidden = true;

    int width = style.width;
    int height = style.height;
    if (width < 0)
      if (const std::string* w = attr("width")) width = detail::parse_dimension_attribute(*w);
    if (height < 0)
      if (const std::string* h = attr("height")) height = detail::parse_dimension_attribute(*h);
    for (const std::string& url : style.background_urls)
      add_image(url, width, height, f.ctx.hidden);

    switch (tag) {
      case GUMBO_TAG_A:
      case GUMBO_TAG_AREA:
        if (const std::string* href = attr("href")) {
          if (is_javascript_url(*href)) doc_.has_script = true;
          if (room(doc_.anchors)) {
            doc_.anchors.push_back(Anchor{std::string(util::trim_c_space(*href)), {}});
            f.anchor = doc_.anchors.size() - 1;
            f.anchor_text_begin = text_.size();
          }
        }
        break;
      case GUMBO_TAG_IMG:
      case GUMBO_TAG_IMAGE:
        if (const std::string* src = attr("src")) add_image(*src, width, height, f.ctx.hidden);
        break;
      case GUMBO_TAG_INPUT: {
        const std::string* type_attr = attr("type");
        const std::string type =
            type_attr == nullptr ? "" : std::string(util::trim_c_space(*type_attr));
        if (util::iequals_ascii(type, "password")) doc_.has_password_input = true;
        if (util::iequals_ascii(type, "image")) {
          if (const std::string* src = attr("src")) add_image(*src, width, height, f.ctx.hidden);
        }
        if (util::iequals_ascii(type, "submit") || util::iequals_ascii(type, "button") ||
            util::iequals_ascii(type, "reset")) {
          // A button's label is text the reader sees ("Sign in").
          if (const std::string* value = attr("value");
              value != nullptr && !f.ctx.hidden && !f.ctx.textless) {
            text_.space();
            text_.add(*value, false, f.ctx.quote_depth);
            text_.space();
          }
        }
        break;
      }
      case GUMBO_TAG_FORM:
        doc_.has_form = true;
        if (const std::string* action = attr("action")) add_form_action(*action);
        break;
      case GUMBO_TAG_SCRIPT:
        doc_.has_script = true;
        break;
      case GUMBO_TAG_META:
        if (const std::string* equiv = attr("http-equiv");
            equiv != nullptr && util::iequals_ascii(util::trim_c_space(*equiv), "refresh"))
          doc_.has_meta_refresh = true;
        break;
      case GUMBO_TAG_BR:
        if (!f.ctx.hidden && !f.ctx.textless) text_.hard_break();
        break;
      case GUMBO_TAG_TD:
      case GUMBO_TAG_TH:
        f.cell = true;
        text_.space();
        break;
      case GUMBO_TAG_BLOCKQUOTE:
        ++f.ctx.quote_depth;
        break;
      default:
        break;
    }
    if (is_textless(tag)) f.ctx.textless = true;
    if (preserves_whitespace(tag)) f.ctx.pre = true;
    if (is_block(tag) && !f.ctx.hidden && !f.ctx.textless) {
      f.block = true;
      text_.soft_break();
    }
  }

  void leave(const FastFrame& f) {
    if (f.anchor != std::string::npos) {
      const std::string_view all = text_.view();
      const std::size_t begin = f.anchor_text_begin < all.size() ? f.anchor_text_begin : all.size();
      doc_.anchors[f.anchor].text =
          anchor_text(all.substr(begin), f.ctx.quote_depth, kMaxAnchorTextBytes);
    }
    if (f.block) text_.soft_break();
    if (f.cell) text_.space();
  }

  void add_image(std::string_view src, int width, int height, bool hidden) {
    src = util::trim_c_space(src);
    if (src.empty() || !room(doc_.images)) return;
    Image img;
    img.src = std::string(src);
    img.width = width;
    img.height = height;
    // A 0- or 1-pixel image is invisible to the reader: the shape of an open-tracking beacon.
    img.hidden = hidden || width == 0 || width == 1 || height == 0 || height == 1;
    doc_.images.push_back(std::move(img));
  }

  void add_form_action(std::string_view action) {
    action = util::trim_c_space(action);
    if (action.empty() || !room(doc_.form_actions)) return;
    doc_.form_actions.emplace_back(action);
  }

  std::string_view html_;
  detail::ScanTokenizer tok_;
  HtmlDoc& doc_;
  const HtmlLimits& limits_;
  TextBuilder text_;
  std::vector<FastFrame> stack_;
  std::string scratch_;  // decoded text
  std::string value_;    // decoded attribute value (valid until the next attr() call)
  std::size_t head_open_ = std::string::npos;  // stack index of an open <head>
  bool head_seen_ = false;
  bool body_seen_ = false;
  bool style_seen_ = false;
  bool skip_leading_newline_ = false;
  bool links_dropped_ = false;
};

HtmlDoc parse_html_fast(std::string_view html, const HtmlLimits& limits) {
  HtmlDoc doc;
  detail::GuardResult guarded;
  const std::string_view input = cut_and_guard(html, limits, doc, guarded);
  FastExtractor(input, doc, limits).run();
  return doc;
}

}  // namespace

HtmlDoc parse_html_gumbo(std::string_view html, const HtmlLimits& limits) {
  try {
    return parse_html_unguarded(html, limits);
  } catch (...) {  // std::bad_alloc: the contract is "never throws"
    HtmlDoc doc;
    add_limit(doc, "out of memory while parsing HTML");
    return doc;
  }
}

HtmlDoc parse_html(std::string_view html, const HtmlLimits& limits) {
  try {
    return parse_html_fast(html, limits);
  } catch (...) {  // std::bad_alloc: the contract is "never throws"
    HtmlDoc doc;
    add_limit(doc, "out of memory while parsing HTML");
    return doc;
  }
}

}  // namespace renkei::content
