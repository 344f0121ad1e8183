#include "attach/names.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <string_view>

#include "attach/attach.hpp"
#include "util/text.hpp"
#include "util/utf8.hpp"

namespace renkei::attach {
namespace {

using namespace std::string_view_literals;

// Extensions that run code (or mount something that does) when the recipient double-clicks,
// lowercase and sorted for binary search:
//   native code      exe scr com pif cpl dll ocx xll (Excel loads it as an add-in)
//   script hosts     bat cmd vbs vbe js jse wsf wsh wsc sct hta ps1 psm1
//   installers       msi msp mst appx appxbundle msix msixbundle appinstaller application
//                    appref-ms (ClickOnce) jar jnlp apk
//   shell files      lnk url scf inf reg settingcontent-ms library-ms msc gadget
//   disk images      iso img vhd vhdx dmg: mounted in one click, they carry executables past
//                    Mark-of-the-Web
//   containers       one onepkg (OneNote with embedded payloads), chm hlp (compiled help)
// clang-format off
constexpr std::array kExecutableExtensions = {
    "apk"sv, "appinstaller"sv, "application"sv, "appref-ms"sv, "appx"sv, "appxbundle"sv, "bat"sv,
    "chm"sv, "cmd"sv, "com"sv, "cpl"sv, "dll"sv, "dmg"sv, "exe"sv, "gadget"sv, "hlp"sv, "hta"sv,
    "img"sv, "inf"sv, "iso"sv, "jar"sv, "jnlp"sv, "js"sv, "jse"sv, "library-ms"sv, "lnk"sv, "msc"sv,
    "msi"sv, "msix"sv, "msixbundle"sv, "msp"sv, "mst"sv, "ocx"sv, "one"sv, "onepkg"sv, "pif"sv,
    "ps1"sv, "psm1"sv, "reg"sv, "scf"sv, "scr"sv, "sct"sv, "settingcontent-ms"sv, "url"sv, "vbe"sv,
    "vbs"sv, "vhd"sv, "vhdx"sv, "wsc"sv, "wsf"sv, "wsh"sv, "xll"sv,
};
// clang-format on
static_assert(std::is_sorted(kExecutableExtensions.begin(), kExecutableExtensions.end()));

// Opened by a browser (HTML smuggling, credential phishing pages). hta is executable instead.
constexpr std::array kHtmlExtensions = {"htm"sv,   "html"sv, "mht"sv, "mhtml"sv, "shtm"sv,
                                        "shtml"sv, "svg"sv,  "xht"sv, "xhtml"sv};
static_assert(std::is_sorted(kHtmlExtensions.begin(), kHtmlExtensions.end()));

// What a disguised name pretends to be: documents, images, archives, media and mail that a
// recipient expects to open safely ("invoice.pdf.exe", "請求書.Xls.htm").
constexpr std::array kDecoyExtensions = {
    "7z"sv,   "avi"sv, "bmp"sv,  "cab"sv,  "csv"sv,  "doc"sv, "docm"sv, "docx"sv, "dot"sv,
    "dotx"sv, "eml"sv, "gif"sv,  "gz"sv,   "heic"sv, "htm"sv, "html"sv, "hwp"sv,  "ics"sv,
    "jpeg"sv, "jpg"sv, "json"sv, "jtd"sv,  "lha"sv,  "log"sv, "lzh"sv,  "m4a"sv,  "mov"sv,
    "mp3"sv,  "mp4"sv, "msg"sv,  "odp"sv,  "ods"sv,  "odt"sv, "pdf"sv,  "png"sv,  "pps"sv,
    "ppsx"sv, "ppt"sv, "pptm"sv, "pptx"sv, "rar"sv,  "rtf"sv, "tar"sv,  "tif"sv,  "tiff"sv,
    "txt"sv,  "vcf"sv, "wav"sv,  "webp"sv, "wmv"sv,  "xls"sv, "xlsb"sv, "xlsm"sv, "xlsx"sv,
    "xlt"sv,  "xml"sv, "zip"sv};
static_assert(std::is_sorted(kDecoyExtensions.begin(), kDecoyExtensions.end()));

template <typename Table>
bool in_table(const Table& table, std::string_view ext) {
  return std::binary_search(table.begin(), table.end(), ext);
}

// Windows drops trailing dots and spaces from file names, so "evil.exe. " runs as "evil.exe".
std::string_view strip_trailing_dots_spaces(std::string_view name) {
  while (!name.empty() && (name.back() == '.' || name.back() == ' ')) name.remove_suffix(1);
  return name;
}

std::string_view basename(std::string_view path) {
  const auto slash = path.find_last_of("/\\");
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

// Length of the padding (ASCII/ideographic/no-break spaces, tabs, underscores) at the end of s:
// "doc.pdf      .exe" pads the decoy extension away from the real one.
std::size_t trailing_padding(std::string_view s) {
  std::size_t n = 0;
  while (n < s.size()) {
    const std::string_view rest = s.substr(0, s.size() - n);
    if (rest.back() == ' ' || rest.back() == '\t' || rest.back() == '_') {
      n += 1;
    } else if (rest.ends_with("\u3000"sv) || rest.ends_with("\u00a0"sv)) {
      n += rest.ends_with("\u3000"sv) ? 3 : 2;
    } else {
      break;
    }
  }
  return n;
}

// Bidirectional controls that reorder how a name is displayed: embeddings/overrides (U+202A–
// U+202E), isolates (U+2066–U+2069) and the invisible direction marks.
bool is_bidi_control(std::uint32_t cp) {
  return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E ||
         cp == 0x200F || cp == 0x061C;
}

std::string hex_code_point(std::uint32_t cp) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out = "U+";
  for (int shift = 12; shift >= 0; shift -= 4) out.push_back(kHex[(cp >> shift) & 0xF]);
  return out;
}

// The bidi-control part of disguise_detail. For the classic single RIGHT-TO-LEFT OVERRIDE the
// detail shows what the recipient sees: the text after U+202E reversed.
std::string bidi_detail(std::string_view name) {
  std::size_t i = 0;
  std::uint32_t first = 0;
  std::size_t controls = 0;
  std::string shown;
  std::u32string reversed;
  bool in_override = false;
  while (i < name.size()) {
    const char32_t cp = utf8::decode_one(name, i);
    if (cp != utf8::kInvalid && is_bidi_control(cp)) {
      if (controls++ == 0) first = cp;
      if (cp == 0x202E) {
        in_override = true;
      } else if (cp == 0x202C && in_override) {
        for (auto it = reversed.rbegin(); it != reversed.rend(); ++it)
          utf8::append_utf8(shown, *it);
        reversed.clear();
        in_override = false;
      }
      continue;
    }
    if (cp == utf8::kInvalid) continue;
    if (in_override) {
      reversed.push_back(cp);
    } else {
      utf8::append_utf8(shown, cp);
    }
  }
  if (controls == 0) return {};
  for (auto it = reversed.rbegin(); it != reversed.rend(); ++it) utf8::append_utf8(shown, *it);
  std::string detail = "name contains the bidirectional control " + hex_code_point(first);
  if (first == 0x202E) {
    detail += " (RIGHT-TO-LEFT OVERRIDE) and displays as \"" + shown + "\"";
  }
  const std::string ext = last_extension(name);
  if (!ext.empty()) detail += "; its real extension is ." + ext;
  return detail;
}

}  // namespace

std::string last_extension(std::string_view name) {
  const std::string_view base = basename(strip_trailing_dots_spaces(name));
  const auto dot = base.rfind('.');
  if (dot == std::string_view::npos) return {};
  return util::ascii_lower(base.substr(dot + 1));
}

bool is_executable_extension(std::string_view ext) {
  return in_table(kExecutableExtensions, ext);
}

bool is_html_extension(std::string_view ext) {
  return in_table(kHtmlExtensions, ext);
}

bool has_executable_extension(std::string_view name) {
  // Allocation-free (public and noexcept in spirit): no executable extension is this long.
  constexpr std::size_t kMaxExtension = 24;
  const std::string_view base = basename(strip_trailing_dots_spaces(name));
  const auto dot = base.rfind('.');
  if (dot == std::string_view::npos || base.size() - dot - 1 > kMaxExtension) return false;
  char lowered[kMaxExtension];
  std::size_t n = 0;
  for (char c : base.substr(dot + 1)) {
    lowered[n++] = util::ascii_lower(c);
  }
  return is_executable_extension(std::string_view(lowered, n));
}

bool has_html_extension(std::string_view name) {
  return is_html_extension(last_extension(name));
}

std::string disguise_detail(std::string_view name) {
  std::string detail = bidi_detail(name);

  const std::string_view base = basename(strip_trailing_dots_spaces(name));
  const auto last_dot = base.rfind('.');
  if (last_dot == std::string_view::npos) return detail;
  const std::string last = util::ascii_lower(base.substr(last_dot + 1));
  if (!is_executable_extension(last) && !is_html_extension(last)) return detail;

  std::string_view rest = base.substr(0, last_dot);
  const std::size_t padding = trailing_padding(rest);
  rest.remove_suffix(padding);
  const auto prev_dot = rest.rfind('.');
  if (prev_dot == std::string_view::npos) return detail;
  const std::string prev = util::ascii_lower(rest.substr(prev_dot + 1));
  // "page.html.htm" is clumsy, not a disguise.
  if (!in_table(kDecoyExtensions, prev) || (is_html_extension(prev) && is_html_extension(last))) {
    return detail;
  }
  if (!detail.empty()) detail += "; ";
  detail += "double extension: looks like ." + prev + " but is ." + last;
  if (padding > 0) detail += " (padded with spaces to hide the real extension)";
  return detail;
}

bool is_valid_utf8(std::string_view bytes) {
  return utf8::is_valid(bytes);
}

std::string bound_name(std::string_view name, std::size_t max_bytes, bool* truncated) {
  if (name.size() <= max_bytes) return std::string(name);
  if (truncated != nullptr) *truncated = true;
  static constexpr std::string_view kEllipsis = "\u2026";
  auto is_continuation = [](char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; };
  if (max_bytes < kEllipsis.size() + 8) {
    std::size_t head = max_bytes;
    while (head > 0 && is_continuation(name[head])) --head;
    return std::string(name.substr(0, head));
  }
  // Keep up to 64 bytes of the tail: enough for any real extension plus some context.
  const std::size_t tail_budget = std::min<std::size_t>(64, (max_bytes - kEllipsis.size()) / 2);
  std::size_t tail_start = name.size() - tail_budget;
  while (tail_start < name.size() && is_continuation(name[tail_start])) ++tail_start;
  std::size_t head = max_bytes - kEllipsis.size() - (name.size() - tail_start);
  while (head > 0 && is_continuation(name[head])) --head;
  std::string out;
  out.reserve(max_bytes);
  out.append(name.substr(0, head)).append(kEllipsis).append(name.substr(tail_start));
  return out;
}

}  // namespace renkei::attach
