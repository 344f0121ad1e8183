// Internal to renkei::attach: what a MIME type or an extension says a file is.
#pragma once

#include <string>
#include <string_view>

namespace renkei::attach {

// Coarse kinds of content. A declared name or type and the real type disagree "meaningfully" when
// their families are incompatible; finer differences (text/plain vs text/csv, application/zip vs
// an OOXML type) are not reported.
enum class Family {
  kUnknown,  // application/octet-stream or a type we do not classify
  kEmpty,
  kExecutable,  // PE, ELF, Mach-O, MSI, LNK, scripts
  kHtml,        // HTML, XHTML, SVG (scriptable in a browser)
  kPdf,
  kOle,    // Compound File Binary: legacy Office, Outlook .msg, encrypted OOXML
  kOoxml,  // zip-based Office Open XML
  kOdf,    // zip-based OpenDocument
  kZip,
  kArchive,  // other archives and compressed streams
  kRtf,
  kImage,
  kMedia,  // audio and video
  kText,
  kXml,
  kEmail,  // message/rfc822, multipart (MHT)
};

// mime: lowercase type without parameters.
Family family_of_mime(std::string_view mime);

bool is_executable_mime(std::string_view mime);

// Archives libarchive can list (zip rar 7z tar cab iso9660 lha cpio ar xar and compressed streams).
bool is_listable_archive_mime(std::string_view mime);

// Single compressed streams (gzip, bzip2, xz, …) whose payload is one file, not an archive.
bool is_compressed_stream_mime(std::string_view mime);

// "" when declared_ext (from last_extension) and declared_type agree with real_type, else why not:
// "named .pdf but is application/x-dosexec". declared_type: lowercase, without parameters.
std::string mismatch_detail(std::string_view declared_ext, std::string_view declared_type,
                            std::string_view real_type);

}  // namespace renkei::attach
