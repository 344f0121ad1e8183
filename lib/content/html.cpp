// parse_html: gumbo behind a guard, then one iterative walk over the tree.
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
#include <string>
#include <string_view>
#include <vector>

#include "content/content.hpp"
#include "content/css.hpp"
#include "content/html_scan.hpp"
#include "content/text_util.hpp"

namespace renkei::content {
namespace {

using detail::iequals;
using detail::istarts_with;
using detail::trim;

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
        } else if (detail::is_space(c) || c == '\0') {
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
    if (cp < 0x80 ? detail::is_space(static_cast<char>(cp))
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
    case GUMBO_TAG_ADDRESS: case GUMBO_TAG_ARTICLE: case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_BLOCKQUOTE: case GUMBO_TAG_BODY: case GUMBO_TAG_CAPTION:
    case GUMBO_TAG_CENTER: case GUMBO_TAG_DD: case GUMBO_TAG_DETAILS: case GUMBO_TAG_DIR:
    case GUMBO_TAG_DIV: case GUMBO_TAG_DL: case GUMBO_TAG_DT: case GUMBO_TAG_FIELDSET:
    case GUMBO_TAG_FIGCAPTION: case GUMBO_TAG_FIGURE: case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_FORM: case GUMBO_TAG_H1: case GUMBO_TAG_H2: case GUMBO_TAG_H3:
    case GUMBO_TAG_H4: case GUMBO_TAG_H5: case GUMBO_TAG_H6: case GUMBO_TAG_HEADER:
    case GUMBO_TAG_HGROUP: case GUMBO_TAG_HR: case GUMBO_TAG_LEGEND: case GUMBO_TAG_LI:
    case GUMBO_TAG_LISTING: case GUMBO_TAG_MAIN: case GUMBO_TAG_MENU: case GUMBO_TAG_NAV:
    case GUMBO_TAG_OL: case GUMBO_TAG_P: case GUMBO_TAG_PLAINTEXT: case GUMBO_TAG_PRE:
    case GUMBO_TAG_SECTION: case GUMBO_TAG_SUMMARY: case GUMBO_TAG_TABLE:
    case GUMBO_TAG_TBODY: case GUMBO_TAG_TFOOT: case GUMBO_TAG_THEAD: case GUMBO_TAG_TR:
    case GUMBO_TAG_UL: case GUMBO_TAG_XMP: case GUMBO_TAG_TEXTAREA:
      return true;
    default:
      return false;
  }
}

// Subtrees whose text a reader never sees (the elements inside are still inspected).
bool is_textless(GumboTag t) {
  switch (t) {
    case GUMBO_TAG_HEAD: case GUMBO_TAG_SCRIPT: case GUMBO_TAG_STYLE: case GUMBO_TAG_TITLE:
    case GUMBO_TAG_IFRAME: case GUMBO_TAG_NOEMBED: case GUMBO_TAG_NOFRAMES:
    case GUMBO_TAG_TEMPLATE: case GUMBO_TAG_SELECT: case GUMBO_TAG_DATALIST:
    case GUMBO_TAG_OBJECT: case GUMBO_TAG_CANVAS: case GUMBO_TAG_AUDIO: case GUMBO_TAG_VIDEO:
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
  for (char c : trim(href)) {
    if (c == '\t' || c == '\n' || c == '\r') continue;
    compact.push_back(c);
    if (compact.size() >= 11) break;
  }
  return istarts_with(compact, "javascript:");
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
            doc_.anchors.push_back(Anchor{std::string(trim(href)), {}});
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
        const std::string_view type = type_attr == nullptr ? "" : trim(type_attr);
        if (iequals(type, "password")) doc_.has_password_input = true;
        if (iequals(type, "image")) {
          if (const char* src = attr(el, "src")) add_image(src, width, height, f.ctx.hidden);
        }
        if (iequals(type, "submit") || iequals(type, "button") || iequals(type, "reset")) {
          // A button's label is text the reader sees ("Sign in").
          if (const char* value = attr(el, "value"); value != nullptr && !f.ctx.hidden &&
                                                     !f.ctx.textless) {
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
        if (const char* equiv = attr(el, "http-equiv"); equiv && iequals(trim(equiv), "refresh"))
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
      const std::size_t begin = f.anchor_text_begin < all.size() ? f.anchor_text_begin
                                                                 : all.size();
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
    src = trim(src);
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
    action = trim(action);
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
        const int d = hex ? detail::hex_value(name[k])
                          : (detail::is_ascii_digit(name[k]) ? name[k] - '0' : -1);
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
    doc.anchors[open_anchor].text =
        anchor_text(text.view().substr(std::min(anchor_begin, text.size())), 0,
                    kMaxAnchorTextBytes);
    open_anchor = std::string::npos;
  };
  auto attr = [&](std::string_view name) -> std::string {
    for (const auto& a : tok.attrs())
      if (iequals(a.name, name)) return decode_basic_entities(a.value);
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
    const GumboTag tag = t.name.size() <= 32 ? gumbo_tagn_enum(t.name.data(),
                                                               static_cast<unsigned>(t.name.size()))
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
          doc.anchors.push_back(Anchor{std::string(trim(href)), {}});
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
          img.src = std::string(trim(src));
          img.width = detail::parse_dimension_attribute(attr("width"));
          img.height = detail::parse_dimension_attribute(attr("height"));
          img.hidden = img.width == 0 || img.width == 1 || img.height == 0 || img.height == 1;
          doc.images.push_back(std::move(img));
        }
        break;
      case GUMBO_TAG_FORM:
        doc.has_form = true;
        if (const std::string action = attr("action");
            !trim(action).empty() && doc.form_actions.size() < limits.max_links)
          doc.form_actions.emplace_back(trim(action));
        break;
      case GUMBO_TAG_INPUT:
        if (iequals(trim(attr("type")), "password")) doc.has_password_input = true;
        break;
      case GUMBO_TAG_META:
        if (iequals(trim(attr("http-equiv")), "refresh")) doc.has_meta_refresh = true;
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
          doc.title = collapse_whitespace(decode_basic_entities(html.substr(b, e - b)),
                                          kMaxTitleBytes);
        break;
      }
      default:
        break;
    }
    for (const auto& a : tok.attrs())
      if (a.name.size() > 2 && istarts_with(a.name, "on")) doc.has_script = true;
  }
  close_anchor();
  doc.text = text.finish();
}

HtmlDoc parse_html_unguarded(std::string_view html, const HtmlLimits& limits) {
  HtmlDoc doc;
  if (html.size() > limits.max_input_bytes) {
    html = html.substr(0, detail::utf8_safe_cut(html, limits.max_input_bytes));
    add_limit(doc, "HTML longer than " + std::to_string(limits.max_input_bytes) +
                       " bytes: cut before parsing");
  }

  detail::GuardLimits guard_limits = kGuardDefaults;
  guard_limits.max_nodes = limits.max_nodes;
  detail::GuardResult guarded = detail::guard_html(html, guard_limits);
  if (guarded.dropped_tags > 0)
    add_limit(doc, "HTML nested deeper than " + std::to_string(guard_limits.max_depth) +
                       " elements: " + std::to_string(guarded.dropped_tags) + " tags flattened");
  if (guarded.dropped_root_tags > 0)
    add_limit(doc, std::to_string(guarded.dropped_root_tags) + " repeated <html>/<body> tags dropped");
  if (guarded.dropped_attributes > 0)
    add_limit(doc, std::to_string(guarded.dropped_attributes) + " attributes beyond " +
                       std::to_string(guard_limits.max_attributes) + " per tag dropped");
  if (guarded.node_limit_hit)
    add_limit(doc, "more than " + std::to_string(limits.max_nodes) +
                       " HTML nodes: cut at byte " + std::to_string(guarded.cut_at));
  const std::string_view input = guarded.modified
                                     ? std::string_view(guarded.rewritten)
                                     : html.substr(0, guarded.parse_bytes);

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

}  // namespace

HtmlDoc parse_html(std::string_view html, const HtmlLimits& limits) {
  try {
    return parse_html_unguarded(html, limits);
  } catch (...) {  // std::bad_alloc: the contract is "never throws"
    HtmlDoc doc;
    add_limit(doc, "out of memory while parsing HTML");
    return doc;
  }
}

}  // namespace renkei::content
