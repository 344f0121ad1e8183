// Macro detection in Office documents.
//
// The Compound File Binary (CFB, "OLE2") reader below is hand-written on purpose: the only Debian
// C/C++ library that lists CFB directories is libgsf, which drags in GLib/GObject for what is a
// few hundred bytes of structure. We need only the directory and, for Excel 4.0 macros, the head
// of one stream, so a small reader bounded by the input size is simpler to audit and fuzz.
// Format reference: [MS-CFB] Compound File Binary File Format; [MS-XLS] for BoundSheet8.
#include "attach/office.hpp"

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "util/text.hpp"

namespace renkei::attach {
namespace {

constexpr std::string_view kCfbSignature{"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8};
constexpr std::uint32_t kMaxRegularSector = 0xFFFFFFFA;
constexpr std::uint32_t kEndOfChain = 0xFFFFFFFE;
constexpr std::size_t kHeaderBytes = 512;
constexpr std::size_t kHeaderDifatEntries = 109;
constexpr std::size_t kDirEntryBytes = 128;
constexpr std::size_t kMiniSectorBytes = 64;
constexpr std::uint64_t kMiniStreamCutoff = 4096;  // fixed by [MS-CFB] 2.2
// Real documents have tens of directory entries; this only bounds hostile ones.
constexpr std::size_t kMaxDirectoryEntries = 1u << 16;
// BoundSheet8 records sit in the workbook globals at the start of the stream.
constexpr std::size_t kMaxWorkbookScanBytes = 1u << 20;

constexpr std::uint8_t kTypeStorage = 1;
constexpr std::uint8_t kTypeStream = 2;
constexpr std::uint8_t kTypeRoot = 5;

std::uint16_t le16(std::string_view b, std::size_t off) {
  return static_cast<std::uint16_t>(static_cast<unsigned char>(b[off]) |
                                    (static_cast<unsigned char>(b[off + 1]) << 8));
}

std::uint32_t le32(std::string_view b, std::size_t off) {
  return static_cast<std::uint32_t>(le16(b, off)) |
         (static_cast<std::uint32_t>(le16(b, off + 2)) << 16);
}

struct DirEntry {
  std::string name;  // ASCII; other UTF-16 units as '?'
  std::uint8_t type = 0;
  std::uint32_t start = kEndOfChain;
  std::uint64_t size = 0;
};

class CompoundFile {
 public:
  bool open(std::string_view bytes) {
    bytes_ = bytes;
    if (bytes.size() < kHeaderBytes || !bytes.starts_with(kCfbSignature)) {
      fail("not a compound file");
      return false;
    }
    const std::uint16_t shift = le16(bytes, 30);
    if (shift != 9 && shift != 12) {
      fail("unsupported sector size");
      return false;
    }
    sector_size_ = std::size_t{1} << shift;
    // Version 3 files store only the low 32 bits of stream sizes; the high half may be garbage.
    small_sizes_ = sector_size_ == 512;
    // The header occupies sector "-1"; sector i starts at (i + 1) * sector_size. A partial last
    // sector is still read (truncated files keep what they have).
    sector_count_ = bytes.size() <= sector_size_
                        ? 0
                        : (bytes.size() - sector_size_ + sector_size_ - 1) / sector_size_;
    first_dir_ = le32(bytes, 48);
    first_minifat_ = le32(bytes, 60);
    minifat_count_ = le32(bytes, 64);

    // The FAT is the list of sectors named by the DIFAT: 109 in the header, the rest in a chain
    // of DIFAT sectors. Only as many FAT sectors as can describe this file's sectors are needed.
    const std::size_t per_sector = sector_size_ / 4;
    const std::size_t needed = (sector_count_ + per_sector - 1) / per_sector;
    const std::size_t wanted = std::min<std::size_t>(le32(bytes, 44), needed);
    for (std::size_t i = 0; i < kHeaderDifatEntries && fat_sectors_.size() < wanted; ++i) {
      fat_sectors_.push_back(le32(bytes, 76 + 4 * i));
    }
    std::uint32_t difat = le32(bytes, 68);
    const std::size_t difat_count = le32(bytes, 72);
    for (std::size_t steps = 0; fat_sectors_.size() < wanted && difat <= kMaxRegularSector &&
                                steps < difat_count && steps < sector_count_;
         ++steps) {
      const std::string_view sec = sector(difat);
      if (sec.size() < sector_size_) {
        fail("DIFAT sector outside the file");
        break;
      }
      for (std::size_t j = 0; j + 1 < per_sector && fat_sectors_.size() < wanted; ++j) {
        fat_sectors_.push_back(le32(sec, 4 * j));
      }
      difat = le32(sec, 4 * (per_sector - 1));
    }
    return true;
  }

  std::vector<DirEntry> directory() {
    std::vector<DirEntry> entries;
    const std::vector<std::uint32_t> sectors = chain(first_dir_, sector_count_);
    for (const std::uint32_t s : sectors) {
      const std::string_view sec = sector(s);
      for (std::size_t off = 0; off + kDirEntryBytes <= sec.size(); off += kDirEntryBytes) {
        if (entries.size() >= kMaxDirectoryEntries) {
          fail("directory too large; scan stopped");
          return entries;
        }
        const std::string_view raw = sec.substr(off, kDirEntryBytes);
        DirEntry entry;
        entry.type = static_cast<std::uint8_t>(raw[66]);
        if (entry.type == 0) continue;  // unused slot
        // Name length in bytes, including the terminating NUL, at most 32 UTF-16 units.
        const std::size_t units = std::min<std::size_t>(le16(raw, 64) / 2, 32);
        for (std::size_t u = 0; u < units; ++u) {
          const std::uint16_t c = le16(raw, 2 * u);
          if (c == 0) break;
          entry.name.push_back(c < 0x80 ? static_cast<char>(c) : '?');
        }
        entry.start = le32(raw, 116);
        entry.size = small_sizes_
                         ? le32(raw, 120)
                         : (static_cast<std::uint64_t>(le32(raw, 124)) << 32) | le32(raw, 120);
        if (entry.type == kTypeRoot && !have_root_) {
          root_ = entry;
          have_root_ = true;
        }
        entries.push_back(std::move(entry));
      }
    }
    return entries;
  }

  // Up to max_bytes of a stream: from the mini stream when it is small, else from the FAT chain.
  std::string read_stream(const DirEntry& entry, std::size_t max_bytes) {
    const std::size_t want =
        static_cast<std::size_t>(std::min<std::uint64_t>(entry.size, max_bytes));
    std::string out;
    if (entry.size < kMiniStreamCutoff && entry.type != kTypeRoot) {
      read_mini_stream(entry.start, want, out);
      return out;
    }
    const std::vector<std::uint32_t> sectors =
        chain(entry.start, (want + sector_size_ - 1) / sector_size_);
    for (const std::uint32_t s : sectors) {
      const std::string_view sec = sector(s);
      out.append(sec.substr(0, std::min(sec.size(), want - out.size())));
      if (out.size() >= want) break;
    }
    return out;
  }

  const std::string& error() const { return error_; }

 private:
  void fail(std::string_view message) {
    if (error_.empty()) error_ = "compound file: " + std::string(message);
  }

  // Sector bytes (shorter at the end of a truncated file); empty when outside the file.
  std::string_view sector(std::uint32_t index) const {
    if (index >= sector_count_) return {};
    const std::size_t offset = (static_cast<std::size_t>(index) + 1) * sector_size_;
    return bytes_.substr(offset, sector_size_);
  }

  std::uint32_t next_in_fat(std::uint32_t index) {
    const std::size_t per_sector = sector_size_ / 4;
    const std::size_t fat_index = index / per_sector;
    if (fat_index >= fat_sectors_.size() || fat_sectors_[fat_index] > kMaxRegularSector) {
      fail("sector not covered by the FAT");
      return kEndOfChain;
    }
    const std::string_view sec = sector(fat_sectors_[fat_index]);
    const std::size_t off = (index % per_sector) * 4;
    if (off + 4 > sec.size()) {
      fail("FAT sector outside the file");
      return kEndOfChain;
    }
    return le32(sec, off);
  }

  // The sectors of a chain, at most max_length of them. A chain that revisits a sector (a loop)
  // or leaves the file ends there and is reported.
  std::vector<std::uint32_t> chain(std::uint32_t start, std::size_t max_length) {
    std::vector<std::uint32_t> out;
    std::vector<bool> seen(sector_count_, false);
    std::uint32_t current = start;
    while (current != kEndOfChain && out.size() < max_length) {
      if (current > kMaxRegularSector || current >= sector_count_) {
        fail("sector chain leaves the file");
        break;
      }
      if (seen[current]) {
        fail("loop in a sector chain");
        break;
      }
      seen[current] = true;
      out.push_back(current);
      current = next_in_fat(current);
    }
    return out;
  }

  // Small streams live in 64-byte mini sectors inside the root entry's stream, chained by the
  // mini FAT (itself a regular chain).
  void read_mini_stream(std::uint32_t start, std::size_t want, std::string& out) {
    if (!have_root_) {
      fail("no root entry for the mini stream");
      return;
    }
    const std::vector<std::uint32_t> root_sectors =
        chain(root_.start, static_cast<std::size_t>(std::min<std::uint64_t>(
                               (root_.size + sector_size_ - 1) / sector_size_, sector_count_)));
    const std::vector<std::uint32_t> minifat =
        chain(first_minifat_, std::min<std::size_t>(minifat_count_, sector_count_));
    const std::size_t per_sector = sector_size_ / 4;
    const std::size_t mini_capacity = root_sectors.size() * sector_size_ / kMiniSectorBytes;
    std::vector<bool> seen(mini_capacity, false);
    std::uint32_t current = start;
    while (out.size() < want && current != kEndOfChain) {
      if (current >= mini_capacity) {
        fail("mini stream chain leaves the mini stream");
        return;
      }
      if (seen[current]) {
        fail("loop in a mini stream chain");
        return;
      }
      seen[current] = true;
      const std::size_t offset = static_cast<std::size_t>(current) * kMiniSectorBytes;
      const std::string_view sec = sector(root_sectors[offset / sector_size_]);
      const std::string_view piece =
          sec.substr(std::min(sec.size(), offset % sector_size_), kMiniSectorBytes);
      out.append(piece.substr(0, std::min(piece.size(), want - out.size())));
      // Next mini sector from the mini FAT.
      const std::size_t fat_index = current / per_sector;
      if (fat_index >= minifat.size()) {
        if (out.size() < want) fail("mini sector not covered by the mini FAT");
        return;
      }
      const std::string_view fat = sector(minifat[fat_index]);
      const std::size_t off = (current % per_sector) * 4;
      if (off + 4 > fat.size()) {
        fail("mini FAT sector outside the file");
        return;
      }
      current = le32(fat, off);
    }
  }

  std::string_view bytes_;
  std::size_t sector_size_ = 512;
  std::size_t sector_count_ = 0;
  bool small_sizes_ = true;
  std::vector<std::uint32_t> fat_sectors_;
  std::uint32_t first_dir_ = kEndOfChain;
  std::uint32_t first_minifat_ = kEndOfChain;
  std::uint32_t minifat_count_ = 0;
  DirEntry root_;
  bool have_root_ = false;
  std::string error_;
};

// Excel 4.0 (XLM) macro sheets are BoundSheet8 records (type 0x0085) whose sheet-type byte is 1.
// The records precede the globals' EOF; behind a FILEPASS record the bytes are encrypted.
bool workbook_has_macro_sheet(std::string_view stream) {
  constexpr std::uint16_t kEof = 0x000A;
  constexpr std::uint16_t kFilePass = 0x002F;
  constexpr std::uint16_t kBoundSheet = 0x0085;
  constexpr unsigned char kMacroSheet = 0x01;
  std::size_t pos = 0;
  while (pos + 4 <= stream.size()) {
    const std::uint16_t type = le16(stream, pos);
    const std::size_t length = le16(stream, pos + 2);
    if (pos + 4 + length > stream.size()) break;
    if (type == kEof || type == kFilePass) break;
    if (type == kBoundSheet && length >= 6 &&
        static_cast<unsigned char>(stream[pos + 4 + 5]) == kMacroSheet) {
      return true;
    }
    pos += 4 + length;
  }
  return false;
}

}  // namespace

bool is_cfb(std::string_view bytes) {
  return bytes.starts_with(kCfbSignature);
}

CfbFindings scan_cfb(std::string_view bytes) {
  CfbFindings findings;
  CompoundFile file;
  if (!file.open(bytes)) {
    findings.error = file.error();
    return findings;
  }
  bool workbook_scanned = false;
  for (const DirEntry& entry : file.directory()) {
    // VBA lives in a "VBA" storage holding a "_VBA_PROJECT" stream; Word 97 puts the project in
    // a "Macros" storage, Excel in "_VBA_PROJECT_CUR".
    if (entry.type == kTypeStorage && (util::iequals_ascii(entry.name, "VBA") ||
                                       util::iequals_ascii(entry.name, "_VBA_PROJECT_CUR") ||
                                       util::iequals_ascii(entry.name, "Macros"))) {
      findings.vba = true;
    }
    if (entry.type == kTypeStream && util::iequals_ascii(entry.name, "_VBA_PROJECT"))
      findings.vba = true;
    if (entry.type == kTypeStream && !workbook_scanned &&
        (util::iequals_ascii(entry.name, "Workbook") || util::iequals_ascii(entry.name, "Book"))) {
      workbook_scanned = true;
      findings.xlm = workbook_has_macro_sheet(file.read_stream(entry, kMaxWorkbookScanBytes));
    }
  }
  findings.error = file.error();
  return findings;
}

bool is_macro_part_name(std::string_view path) {
  constexpr std::string_view kVbaProject = "vbaproject.bin";
  constexpr std::string_view kMacroSheets = "xl/macrosheets/";
  if (path.size() >= kVbaProject.size() &&
      util::iequals_ascii(path.substr(path.size() - kVbaProject.size()), kVbaProject)) {
    return true;
  }
  return path.size() > kMacroSheets.size() &&
         util::iequals_ascii(path.substr(0, kMacroSheets.size()), kMacroSheets);
}

bool content_types_macro_enabled(std::string_view xml) {
  // application/vnd.ms-word.document.macroEnabled.main+xml, …sheet.macroEnabled.main+xml, …
  return util::ifind_ascii(xml, "macroEnabled") != std::string_view::npos;
}

}  // namespace renkei::attach
