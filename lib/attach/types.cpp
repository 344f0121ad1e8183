#include "attach/types.hpp"

#include <algorithm>
#include <array>
#include <initializer_list>
#include <iterator>
#include <string_view>

namespace renkei::attach {
namespace {

using namespace std::string_view_literals;

// Real or declared types of content that runs when opened. Sorted for binary search.
constexpr std::array kExecutableMimes = {
    "application/hta"sv,
    "application/java-archive"sv,
    "application/vnd.android.package-archive"sv,
    "application/vnd.microsoft.portable-executable"sv,
    "application/vnd.ms-htmlhelp"sv,  // CHM: compiled HTML help runs scripts with local rights
    "application/x-bat"sv,
    "application/x-dosexec"sv,
    "application/x-elf"sv,
    "application/x-executable"sv,
    "application/x-java-archive"sv,
    "application/x-mach-binary"sv,
    "application/x-ms-installer"sv,
    "application/x-ms-ne-executable"sv,
    "application/x-ms-shortcut"sv,  // LNK
    "application/x-msdos-program"sv,
    "application/x-msdownload"sv,
    "application/x-msi"sv,
    "application/x-mswinurl"sv,  // .url internet shortcut (WebDAV/SMB payload launchers)
    "application/x-pie-executable"sv,
    "application/x-sh"sv,
    "application/x-sharedlib"sv,
    "application/x-shellscript"sv,
    "text/x-ms-regedit"sv,
    "text/x-ms-scf"sv,
    "text/x-msdos-batch"sv,
    "text/x-shellscript"sv,
};
static_assert(std::is_sorted(kExecutableMimes.begin(), kExecutableMimes.end()));

// Types libarchive (as configured in archive.cpp) can list.
constexpr std::array kListableArchiveMimes = {
    "application/gzip"sv,
    "application/vnd.ms-cab-compressed"sv,
    "application/vnd.rar"sv,
    "application/x-7z-compressed"sv,
    "application/x-archive"sv,
    "application/x-bzip2"sv,
    "application/x-compress"sv,
    "application/x-cpio"sv,
    "application/x-gtar"sv,
    "application/x-gzip"sv,
    "application/x-iso9660-image"sv,
    "application/x-lha"sv,
    "application/x-lzh-compressed"sv,
    "application/x-lzip"sv,
    "application/x-lzma"sv,
    "application/x-rar"sv,
    "application/x-rar-compressed"sv,
    "application/x-tar"sv,
    "application/x-ustar"sv,
    "application/x-xar"sv,
    "application/x-xz"sv,
    "application/x-zip"sv,
    "application/x-zip-compressed"sv,
    "application/zip"sv,
    "application/zstd"sv,
};
static_assert(std::is_sorted(kListableArchiveMimes.begin(), kListableArchiveMimes.end()));

constexpr std::array kCompressedStreamMimes = {
    "application/gzip"sv,   "application/x-bzip2"sv, "application/x-compress"sv,
    "application/x-gzip"sv, "application/x-lzip"sv,  "application/x-lzma"sv,
    "application/x-xz"sv,   "application/zstd"sv,
};
static_assert(std::is_sorted(kCompressedStreamMimes.begin(), kCompressedStreamMimes.end()));

// Compound File Binary containers as libmagic names them, plus common declared spellings.
constexpr std::array kOleMimes = {
    "application/cdfv2"sv,
    "application/encrypted"sv,  // password-protected OOXML is a CFB "EncryptedPackage"
    "application/msword"sv,
    "application/vnd.ms-excel"sv,
    "application/vnd.ms-office"sv,
    "application/vnd.ms-outlook"sv,
    "application/vnd.ms-powerpoint"sv,
    "application/x-cdf"sv,
    "application/x-ms-msg"sv,
    "application/x-msexcel"sv,
    "application/x-mspowerpoint"sv,
    "application/x-msword"sv,
    "application/x-ole-storage"sv,
};
static_assert(std::is_sorted(kOleMimes.begin(), kOleMimes.end()));

template <typename Table>
bool in_table(const Table& table, std::string_view key) {
  return std::binary_search(table.begin(), table.end(), key);
}

// What a file name's extension promises. Extensions not listed (executables among them: they are
// reported by their own flag) are not checked. Sorted for binary search.
struct ExtensionFamily {
  std::string_view ext;
  Family family;
};
constexpr ExtensionFamily kExtensionFamilies[] = {
    {"7z", Family::kArchive},  {"avi", Family::kMedia},   {"bmp", Family::kImage},
    {"bz2", Family::kArchive}, {"cab", Family::kArchive}, {"csv", Family::kText},
    {"doc", Family::kOle},     {"docm", Family::kOoxml},  {"docx", Family::kOoxml},
    {"dot", Family::kOle},     {"dotm", Family::kOoxml},  {"dotx", Family::kOoxml},
    {"eml", Family::kEmail},   {"gif", Family::kImage},   {"gz", Family::kArchive},
    {"heic", Family::kImage},  {"htm", Family::kHtml},    {"html", Family::kHtml},
    {"ico", Family::kImage},   {"jpe", Family::kImage},   {"jpeg", Family::kImage},
    {"jpg", Family::kImage},   {"json", Family::kText},   {"lha", Family::kArchive},
    {"log", Family::kText},    {"lzh", Family::kArchive}, {"m4a", Family::kMedia},
    {"md", Family::kText},     {"mht", Family::kHtml},    {"mhtml", Family::kHtml},
    {"mov", Family::kMedia},   {"mp3", Family::kMedia},   {"mp4", Family::kMedia},
    {"msg", Family::kOle},     {"odp", Family::kOdf},     {"ods", Family::kOdf},
    {"odt", Family::kOdf},     {"pdf", Family::kPdf},     {"png", Family::kImage},
    {"pot", Family::kOle},     {"potm", Family::kOoxml},  {"potx", Family::kOoxml},
    {"pps", Family::kOle},     {"ppsm", Family::kOoxml},  {"ppsx", Family::kOoxml},
    {"ppt", Family::kOle},     {"pptm", Family::kOoxml},  {"pptx", Family::kOoxml},
    {"rar", Family::kArchive}, {"rtf", Family::kRtf},     {"shtml", Family::kHtml},
    {"svg", Family::kHtml},    {"tar", Family::kArchive}, {"tgz", Family::kArchive},
    {"tif", Family::kImage},   {"tiff", Family::kImage},  {"tsv", Family::kText},
    {"txt", Family::kText},    {"wav", Family::kMedia},   {"webp", Family::kImage},
    {"wmv", Family::kMedia},   {"xht", Family::kHtml},    {"xhtml", Family::kHtml},
    {"xla", Family::kOle},     {"xlam", Family::kOoxml},  {"xls", Family::kOle},
    {"xlsb", Family::kOoxml},  {"xlsm", Family::kOoxml},  {"xlsx", Family::kOoxml},
    {"xlt", Family::kOle},     {"xltm", Family::kOoxml},  {"xltx", Family::kOoxml},
    {"xml", Family::kXml},     {"xz", Family::kArchive},  {"zip", Family::kZip},
};
static_assert(std::is_sorted(std::begin(kExtensionFamilies), std::end(kExtensionFamilies),
                             [](const auto& a, const auto& b) { return a.ext < b.ext; }));

Family family_of_extension(std::string_view ext) {
  const auto* it =
      std::lower_bound(std::begin(kExtensionFamilies), std::end(kExtensionFamilies), ext,
                       [](const auto& entry, std::string_view key) { return entry.ext < key; });
  return it != std::end(kExtensionFamilies) && it->ext == ext ? it->family : Family::kUnknown;
}

// Which real families a declared family tolerates. "strong" families have reliable magic, so a
// real type libmagic cannot name (application/octet-stream) already contradicts them: a .pdf or
// .docx that libmagic does not recognise is not a PDF or a zip. Weak families (text, HTML, media)
// are often unrecognised by libmagic and are only contradicted by a recognised other family.
//
//   declared   accepted real families                       why the extras
//   pdf        pdf
//   ole        ole ooxml zip rtf xml text                   Word/Excel open RTF, OOXML, 2003 XML
//                                                           and CSV saved as .doc/.xls — but not
//                                                           HTML, the classic .xls smuggling
//   ooxml      ooxml zip ole                                libmagic says application/zip when
//                                                           [Content_Types].xml is not first;
//                                                           password-protected OOXML is CFB
//   odf        odf zip
//   zip        zip ooxml odf archive                        misnamed archives are not a threat
//   archive    archive zip
//   rtf        rtf ole ooxml
//   image      image                                        any image type: .jpg that is a PNG
//                                                           is harmless
//   media      media                                        (weak)
//   html       html xml text email                          (weak) MHT is MIME
//   text/xml   text xml html email rtf                      (weak) text/plain vs text/csv etc.
//   email      email text html                              (weak) .eml as text/plain is fine
struct Acceptance {
  Family declared;
  bool strong;
  std::initializer_list<Family> accepted;
};
const Acceptance* acceptance_of(Family declared) {
  using F = Family;
  static const Acceptance kTable[] = {
      {F::kPdf, true, {F::kPdf}},
      {F::kOle, true, {F::kOle, F::kOoxml, F::kZip, F::kRtf, F::kXml, F::kText}},
      {F::kOoxml, true, {F::kOoxml, F::kZip, F::kOle}},
      {F::kOdf, true, {F::kOdf, F::kZip}},
      {F::kZip, true, {F::kZip, F::kOoxml, F::kOdf, F::kArchive}},
      {F::kArchive, true, {F::kArchive, F::kZip}},
      {F::kRtf, true, {F::kRtf, F::kOle, F::kOoxml}},
      {F::kImage, true, {F::kImage}},
      {F::kMedia, false, {F::kMedia}},
      {F::kHtml, false, {F::kHtml, F::kXml, F::kText, F::kEmail}},
      {F::kText, false, {F::kText, F::kXml, F::kHtml, F::kEmail, F::kRtf}},
      {F::kXml, false, {F::kXml, F::kText, F::kHtml, F::kEmail, F::kRtf}},
      {F::kEmail, false, {F::kEmail, F::kText, F::kHtml}},
  };
  for (const auto& row : kTable) {
    if (row.declared == declared) return &row;
  }
  return nullptr;  // unknown, empty, executable: nothing to contradict
}

bool contradicts(Family declared, Family real) {
  if (real == Family::kEmpty) return false;
  const Acceptance* row = acceptance_of(declared);
  if (row == nullptr) return false;
  if (std::find(row->accepted.begin(), row->accepted.end(), real) != row->accepted.end()) {
    return false;
  }
  return real != Family::kUnknown || row->strong;
}

}  // namespace

bool is_executable_mime(std::string_view mime) {
  return in_table(kExecutableMimes, mime);
}

bool is_listable_archive_mime(std::string_view mime) {
  return in_table(kListableArchiveMimes, mime);
}

bool is_compressed_stream_mime(std::string_view mime) {
  return in_table(kCompressedStreamMimes, mime);
}

Family family_of_mime(std::string_view mime) {
  if (mime.empty() || mime == "application/octet-stream") return Family::kUnknown;
  if (mime == "application/x-empty" || mime == "inode/x-empty") return Family::kEmpty;
  if (is_executable_mime(mime)) return Family::kExecutable;
  if (mime == "text/html" || mime == "application/xhtml+xml" || mime == "image/svg+xml") {
    return Family::kHtml;
  }
  if (mime == "application/pdf" || mime == "application/x-pdf") return Family::kPdf;
  if (in_table(kOleMimes, mime)) return Family::kOle;
  for (std::string_view prefix :
       {"application/vnd.openxmlformats-officedocument."sv, "application/vnd.ms-word."sv,
        "application/vnd.ms-excel."sv, "application/vnd.ms-powerpoint."sv}) {
    if (mime.starts_with(prefix)) return Family::kOoxml;
  }
  if (mime.starts_with("application/vnd.oasis.opendocument.") ||
      mime.starts_with("application/vnd.sun.xml.")) {
    return Family::kOdf;
  }
  if (mime == "application/zip" || mime == "application/x-zip" ||
      mime == "application/x-zip-compressed") {
    return Family::kZip;
  }
  if (is_listable_archive_mime(mime) || mime == "application/x-arj" ||
      mime == "application/x-ace-compressed") {
    return Family::kArchive;
  }
  if (mime == "text/rtf" || mime == "application/rtf") return Family::kRtf;
  if (mime.starts_with("image/")) return Family::kImage;
  if (mime.starts_with("audio/") || mime.starts_with("video/")) return Family::kMedia;
  if (mime.starts_with("message/") || mime.starts_with("multipart/")) return Family::kEmail;
  if (mime == "text/xml" || mime == "application/xml" || mime.ends_with("+xml")) {
    return Family::kXml;
  }
  if (mime.starts_with("text/") || mime == "application/json" || mime == "application/csv") {
    return Family::kText;
  }
  return Family::kUnknown;
}

std::string mismatch_detail(std::string_view declared_ext, std::string_view declared_type,
                            std::string_view real_type) {
  if (real_type.empty()) return {};
  const Family real = family_of_mime(real_type);
  std::string detail;
  if (!declared_ext.empty() && contradicts(family_of_extension(declared_ext), real)) {
    detail.append("named .").append(declared_ext).append(" but is ").append(real_type);
  }
  if (!declared_type.empty() && declared_type != real_type &&
      contradicts(family_of_mime(declared_type), real)) {
    if (!detail.empty()) detail += "; ";
    detail.append("declared ").append(declared_type).append(" but is ").append(real_type);
  }
  return detail;
}

}  // namespace renkei::attach
