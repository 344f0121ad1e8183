// Internal to renkei::attach: macros in Office documents.
#pragma once

#include <string>
#include <string_view>

namespace renkei::attach {

// True when bytes start with the Compound File Binary signature D0 CF 11 E0 A1 B1 1A E1.
bool is_cfb(std::string_view bytes);

struct CfbFindings {
  bool vba = false;   // a VBA project storage/stream (_VBA_PROJECT, VBA, Macros, …)
  bool xlm = false;   // an Excel 4.0 macro sheet in the Workbook stream
  std::string error;  // damage found while reading; "" when none
};

// Reads the directory of a Compound File Binary (legacy .doc/.xls/.ppt, vbaProject.bin, .msi)
// looking for macro storages. Bounded by the size of bytes; never throws.
CfbFindings scan_cfb(std::string_view bytes);

// An OOXML part that carries macros: "word/vbaProject.bin" (any folder, any case) or an Excel 4.0
// macro sheet under "xl/macrosheets/".
bool is_macro_part_name(std::string_view path);

// True when an OOXML [Content_Types].xml declares a macro-enabled main part (.docm, .xlsm, …).
bool content_types_macro_enabled(std::string_view xml);

}  // namespace renkei::attach
