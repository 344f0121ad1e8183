// renkei::attach — inspecting attachments: real type, hashes, archive listing, macros.
//
// Contract: inspect() takes the transfer-decoded bytes and the declared name/type of one
// attachment, never throws, never fails, and bounds its work by the named limits (reporting each
// limit hit). Archives are listed (names, sizes, encryption) and their entries' real types checked
// up to max_archive_depth. Thread-safety: inspect() may be called concurrently; each thread uses
// its own libmagic handle.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace renkei::attach {

struct Limits {
  std::size_t max_archive_entries = 1000;
  std::size_t max_archive_depth = 3;                // archive inside archive inside archive
  std::size_t max_entry_bytes = 32u << 20;          // one decompressed entry read for inspection
  std::size_t max_total_decompressed = 128u << 20;  // all entries of one attachment
  std::size_t max_ratio = 200;                      // decompressed/compressed, zip-bomb guard
  std::size_t max_name_bytes = 1024;
};

struct Hashes {
  std::string md5, sha1, sha256;  // lowercase hex
  std::string ssdeep;             // ssdeep fuzzy hash (attach/ssdeep.hpp), "" for inputs too small
};

struct ArchiveEntry {
  std::string path;      // UTF-8 (decoded from CP932/CP437 when not UTF-8)
  std::size_t size = 0;  // uncompressed size as declared
  bool encrypted = false;
  bool executable = false;  // by real type or by extension
  std::string real_type;    // MIME type from libmagic, "" if not read (encrypted / limit)
  Hashes hashes;            // empty when not read
  int depth = 1;
};

struct Inspection {
  std::string declared_name;
  std::string declared_type;     // "application/pdf" from Content-Type
  std::string real_type;         // libmagic MIME type of the bytes
  std::string real_description;  // libmagic human description
  std::size_t size = 0;
  Hashes hashes;

  bool is_archive = false;
  bool archive_encrypted = false;  // any entry encrypted (password-protected zip/rar/7z)
  std::vector<ArchiveEntry> entries;

  bool executable = false;          // PE/ELF/Mach-O/script/installer/shortcut, directly
  bool executable_inside = false;   // an entry of an archive is executable
  bool has_macros = false;          // OOXML vbaProject.bin or OLE2 VBA storage
  bool is_html = false;             // HTML/SVG content or name (HTML smuggling)
  bool double_extension = false;    // "invoice.xlsx.exe", "doc.Xls.htm"
  bool extension_mismatch = false;  // declared extension/type disagrees with the real type
  std::string mismatch_detail;      // e.g. "named .pdf but is application/x-dosexec"; also
                                    // explains double_extension (incl. right-to-left override)

  std::vector<std::string> links;  // URLs the document links to (PDF /URI actions)

  std::vector<std::string> limits_hit;  // names of Limits fields that were hit
  std::vector<std::string> errors;      // damage found (corrupt archive, …)
};

Inspection inspect(std::string_view bytes, std::string_view declared_name,
                   std::string_view declared_type, const Limits& limits = {});

// ssdeep splits its input into pieces whose size adapts to the input; below 4 KiB there are too
// few pieces for two hashes to be meaningfully compared (ssdeep's own documentation and most
// threat-intel feeds use this floor), so tiny inputs get no fuzzy hash rather than a noisy one.
inline constexpr std::size_t kSsdeepMinBytes = 4096;

// Hashes of arbitrary bytes (used for indicators). `fuzzy` = false leaves ssdeep out; so does an
// input under kSsdeepMinBytes.
Hashes hash_bytes(std::string_view bytes, bool fuzzy = true);

// Whether a file of this real (libmagic) type gets a fuzzy hash. Raster images do not: their
// bytes are compressed, so a re-encoded or slightly changed image shares no ssdeep pieces with
// the original, and an identical one already has the same SHA-256. Fuzzy hashes are what
// analysts compare for documents, scripts, executables and archives; on phishing_pot images are a
// third of the attachment bytes, so hashing them cost ~4 % of the whole analysis for nothing.
bool wants_fuzzy_hash(std::string_view real_type);

// Why a file name is disguised ("invoice.xlsx.exe", padding before the real extension, a
// right-to-left override); "" when it is not. Used for archive entries by the analysis.
std::string name_disguise(std::string_view name);

// True when a file name has an executable extension (.exe .scr .js .vbs .lnk .iso .hta …).
bool has_executable_extension(std::string_view name);

}  // namespace renkei::attach
