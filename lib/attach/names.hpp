// Internal to renkei::attach: what a file name claims (extensions, disguises) and name decoding.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace renkei::attach {

// The extension Windows would act on, lowercase ASCII, without the dot: trailing dots and spaces
// are ignored (Explorer strips them), a name without a dot in its last path component has none.
std::string last_extension(std::string_view name);

bool is_executable_extension(std::string_view ext);  // ext as returned by last_extension
bool is_html_extension(std::string_view ext);        // htm html svg mht …
bool has_html_extension(std::string_view name);

// Why name is disguised ("invoice.xlsx.exe", "doc.pdf      .exe", a right-to-left override that
// makes "fdp.exe" display as "exe.pdf"); "" when it is not.
std::string disguise_detail(std::string_view name);

bool is_valid_utf8(std::string_view bytes);

// An archive member name as UTF-8: kept when it already is valid UTF-8, else decoded as CP932
// (Windows zip tools in Japan write Shift_JIS names without the UTF-8 flag), else as CP437 (the
// zip specification's default, which maps every byte).
std::string decode_entry_name(std::string_view raw);

// name cut to at most max_bytes on UTF-8 boundaries, keeping its head and its tail (the extension
// is the part that matters) around an ellipsis. Sets *truncated when it had to cut.
std::string bound_name(std::string_view name, std::size_t max_bytes, bool* truncated);

}  // namespace renkei::attach
