#include "attach/names.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <string_view>

#include "attach/attach.hpp"

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

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
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

// Decodes one UTF-8 sequence at s[i]; returns the code point and advances i, or returns
// 0xFFFFFFFF and advances one byte for invalid input.
std::uint32_t next_code_point(std::string_view s, std::size_t& i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  std::size_t len = 0;
  std::uint32_t cp = 0;
  if (b0 < 0x80) {
    ++i;
    return b0;
  } else if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2;
    cp = b0 & 0x1Fu;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3;
    cp = b0 & 0x0Fu;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4;
    cp = b0 & 0x07u;
  } else {
    ++i;
    return 0xFFFFFFFF;
  }
  if (i + len > s.size()) {
    ++i;
    return 0xFFFFFFFF;
  }
  for (std::size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) {
      ++i;
      return 0xFFFFFFFF;
    }
    cp = (cp << 6) | (b & 0x3Fu);
  }
  // Reject overlong forms, surrogates and values past U+10FFFF.
  static constexpr std::uint32_t kMinForLength[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMinForLength[len] || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
    ++i;
    return 0xFFFFFFFF;
  }
  i += len;
  return cp;
}

// Bidirectional controls that reorder how a name is displayed: embeddings/overrides (U+202A–
// U+202E), isolates (U+2066–U+2069) and the invisible direction marks.
bool is_bidi_control(std::uint32_t cp) {
  return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E ||
         cp == 0x200F || cp == 0x061C;
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
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
    const std::uint32_t cp = next_code_point(name, i);
    if (cp != 0xFFFFFFFF && is_bidi_control(cp)) {
      if (controls++ == 0) first = cp;
      if (cp == 0x202E) {
        in_override = true;
      } else if (cp == 0x202C && in_override) {
        for (auto it = reversed.rbegin(); it != reversed.rend(); ++it) append_utf8(shown, *it);
        reversed.clear();
        in_override = false;
      }
      continue;
    }
    if (cp == 0xFFFFFFFF) continue;
    if (in_override) {
      reversed.push_back(cp);
    } else {
      append_utf8(shown, cp);
    }
  }
  if (controls == 0) return {};
  for (auto it = reversed.rbegin(); it != reversed.rend(); ++it) append_utf8(shown, *it);
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
  return lower_ascii(base.substr(dot + 1));
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
    lowered[n++] = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
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
  const std::string last = lower_ascii(base.substr(last_dot + 1));
  if (!is_executable_extension(last) && !is_html_extension(last)) return detail;

  std::string_view rest = base.substr(0, last_dot);
  const std::size_t padding = trailing_padding(rest);
  rest.remove_suffix(padding);
  const auto prev_dot = rest.rfind('.');
  if (prev_dot == std::string_view::npos) return detail;
  const std::string prev = lower_ascii(rest.substr(prev_dot + 1));
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
  std::size_t i = 0;
  while (i < bytes.size()) {
    // ASCII fast path: most names are plain ASCII.
    if (static_cast<unsigned char>(bytes[i]) < 0x80) {
      ++i;
      continue;
    }
    if (next_code_point(bytes, i) == 0xFFFFFFFF) return false;
  }
  return true;
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
