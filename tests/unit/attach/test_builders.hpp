// Builders of attachment bytes for the attach tests: archives written with libarchive's writer,
// Compound File Binary documents assembled by hand, a minimal PE. No binary fixtures needed.
#pragma once

#include <archive.h>
#include <archive_entry.h>
#include <locale.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace renkei::attach::testing {

struct Member {
  std::string name;
  std::string data;
  // When non-zero the member is this many `fill` bytes (streamed, never held in memory).
  std::size_t zeros = 0;
  char fill = '\0';
};

struct WriteOptions {
  std::string format = "zip";  // libarchive writer format name: zip, 7zip, gnutar, iso9660, raw
  std::string filter;          // "", "gzip"
  std::string options;  // archive_write_set_options string, e.g. "zip:encryption=traditional"
  std::string passphrase;
  bool utf8_locale = false;  // write names under C.UTF-8 (libarchive then flags zip names UTF-8)
};

namespace detail {

struct WriteFree {
  void operator()(archive* a) const { archive_write_free(a); }
};
struct EntryFree {
  void operator()(archive_entry* e) const { archive_entry_free(e); }
};
struct LocaleFree {
  void operator()(locale_t l) const { freelocale(l); }
};

inline la_ssize_t append_cb(archive*, void* out, const void* buf, size_t n) {
  static_cast<std::string*>(out)->append(static_cast<const char*>(buf), n);
  return static_cast<la_ssize_t>(n);
}

}  // namespace detail

// An archive holding members, written by libarchive. Returns "" if libarchive refused.
inline std::string make_archive(const std::vector<Member>& members, const WriteOptions& opt = {}) {
  std::unique_ptr<std::remove_pointer_t<locale_t>, detail::LocaleFree> utf8(
      opt.utf8_locale ? newlocale(LC_CTYPE_MASK, "C.UTF-8", nullptr) : nullptr);
  locale_t previous = utf8 ? uselocale(utf8.get()) : nullptr;
  std::string out;
  {
    std::unique_ptr<archive, detail::WriteFree> w(archive_write_new());
    bool ok = archive_write_set_format_by_name(w.get(), opt.format.c_str()) == ARCHIVE_OK;
    if (ok && !opt.filter.empty()) {
      ok = archive_write_add_filter_by_name(w.get(), opt.filter.c_str()) == ARCHIVE_OK;
    }
    if (ok && !opt.options.empty()) {
      ok = archive_write_set_options(w.get(), opt.options.c_str()) == ARCHIVE_OK;
    }
    if (ok && !opt.passphrase.empty()) {
      ok = archive_write_set_passphrase(w.get(), opt.passphrase.c_str()) == ARCHIVE_OK;
    }
    archive_write_set_bytes_in_last_block(w.get(), 1);
    ok = ok && archive_write_open(w.get(), &out, nullptr, detail::append_cb, nullptr) == ARCHIVE_OK;
    for (const Member& m : members) {
      const std::string zeros(m.zeros != 0 ? 1 << 20 : 0, m.fill);
      if (!ok) break;
      std::unique_ptr<archive_entry, detail::EntryFree> e(archive_entry_new());
      archive_entry_set_pathname(e.get(), m.name.c_str());
      const std::size_t size = m.zeros != 0 ? m.zeros : m.data.size();
      archive_entry_set_size(e.get(), static_cast<la_int64_t>(size));
      archive_entry_set_filetype(e.get(), AE_IFREG);
      archive_entry_set_perm(e.get(), 0644);
      archive_entry_set_mtime(e.get(), 1600000000, 0);
      ok = archive_write_header(w.get(), e.get()) == ARCHIVE_OK;
      if (m.zeros != 0) {
        for (std::size_t done = 0; ok && done < m.zeros;) {
          const std::size_t n = std::min(zeros.size(), m.zeros - done);
          ok = archive_write_data(w.get(), zeros.data(), n) == static_cast<la_ssize_t>(n);
          done += n;
        }
      } else if (ok && !m.data.empty()) {
        ok = archive_write_data(w.get(), m.data.data(), m.data.size()) ==
             static_cast<la_ssize_t>(m.data.size());
      }
    }
    if (archive_write_close(w.get()) != ARCHIVE_OK) ok = false;
    if (!ok) out.clear();
  }
  if (previous != nullptr) uselocale(previous);
  return out;
}

inline std::string make_zip(const std::vector<Member>& members) {
  return make_archive(members);
}

// A PE32 GUI executable header: MZ stub, "PE\0\0", COFF header, optional header. Enough for
// libmagic to answer application/vnd.microsoft.portable-executable.
inline std::string make_pe() {
  std::string pe(0x80, '\0');
  pe[0] = 'M';
  pe[1] = 'Z';
  pe[0x3C] = '\x80';  // e_lfanew
  auto put16 = [&pe](std::uint16_t v) {
    pe.push_back(static_cast<char>(v & 0xFF));
    pe.push_back(static_cast<char>(v >> 8));
  };
  auto put32 = [&](std::uint32_t v) {
    put16(static_cast<std::uint16_t>(v & 0xFFFF));
    put16(static_cast<std::uint16_t>(v >> 16));
  };
  pe += std::string("PE\0\0", 4);
  put16(0x014C);  // i386
  put16(1);       // sections
  put32(0);
  put32(0);
  put32(0);
  put16(0xE0);    // optional header size
  put16(0x0102);  // executable, 32-bit
  std::string optional(0xE0, '\0');
  optional[0] = '\x0B';  // PE32 magic 0x10B
  optional[1] = '\x01';
  optional[68] = '\x02';  // GUI subsystem
  pe += optional;
  pe += std::string(256, '\0');
  return pe;
}

// An LHA archive with level-0 headers and stored (-lh0-) members, as old Japanese archivers
// write them (names are raw bytes: pass CP932). libarchive cannot write LHA.
inline std::string make_lha(const std::vector<Member>& members) {
  auto crc16 = [](std::string_view data) {
    std::uint16_t crc = 0;
    for (unsigned char b : data) {
      crc ^= b;
      for (int k = 0; k < 8; ++k) {
        crc = (crc & 1) ? static_cast<std::uint16_t>((crc >> 1) ^ 0xA001)
                        : static_cast<std::uint16_t>(crc >> 1);
      }
    }
    return crc;
  };
  auto le = [](std::string& s, std::uint32_t v, int bytes) {
    for (int i = 0; i < bytes; ++i) s.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
  };
  std::string out;
  for (const Member& m : members) {
    std::string body = "-lh0-";
    le(body, static_cast<std::uint32_t>(m.data.size()), 4);  // packed size
    le(body, static_cast<std::uint32_t>(m.data.size()), 4);  // original size
    le(body, 0x4B2A6000, 4);                                 // DOS time
    body.push_back('\x20');                                  // attribute
    body.push_back('\0');                                    // header level 0
    body.push_back(static_cast<char>(m.name.size()));
    body += m.name;
    le(body, crc16(m.data), 2);
    unsigned sum = 0;
    for (unsigned char c : body) sum += c;
    out.push_back(static_cast<char>(body.size()));
    out.push_back(static_cast<char>(sum & 0xFF));
    out += body;
    out += m.data;
  }
  out.push_back('\0');  // end of archive
  return out;
}

// ---- Compound File Binary (version 3, 512-byte sectors) ----

struct CfbNode {
  std::string name;
  int type = 2;  // 1 storage, 2 stream
  std::string data;
};

namespace detail {

constexpr std::uint32_t kEnd = 0xFFFFFFFE;
constexpr std::uint32_t kFree = 0xFFFFFFFF;
constexpr std::uint32_t kFatSect = 0xFFFFFFFD;

inline void put_le(std::string& s, std::size_t off, std::uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) s[off + i] = static_cast<char>((v >> (8 * i)) & 0xFF);
}

}  // namespace detail

// A flat compound file: every node is a child of the root. Streams under 4096 bytes go to the
// mini stream (as real writers do), larger ones to regular sectors.
inline std::string make_cfb(const std::vector<CfbNode>& nodes) {
  using detail::kEnd;
  using detail::kFree;
  using detail::put_le;
  constexpr std::size_t kSector = 512;
  constexpr std::size_t kMini = 64;

  // Mini stream and mini FAT.
  std::string mini_stream;
  std::vector<std::uint32_t> minifat;
  std::vector<std::uint32_t> node_start(nodes.size(), kEnd);
  std::vector<bool> node_big(nodes.size(), false);
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    const CfbNode& n = nodes[i];
    if (n.type != 2 || n.data.empty()) continue;
    if (n.data.size() >= 4096) {
      node_big[i] = true;
      continue;
    }
    const std::size_t count = (n.data.size() + kMini - 1) / kMini;
    const auto first = static_cast<std::uint32_t>(minifat.size());
    node_start[i] = first;
    for (std::size_t k = 0; k < count; ++k) {
      minifat.push_back(k + 1 < count ? first + static_cast<std::uint32_t>(k) + 1 : kEnd);
    }
    std::string padded = n.data;
    padded.resize(count * kMini, '\0');
    mini_stream += padded;
  }

  const std::size_t dir_entries = nodes.size() + 1;
  const std::size_t dir_sectors = (dir_entries + 3) / 4;
  const std::size_t minifat_sectors = (minifat.size() + 127) / 128;
  const std::size_t ministream_sectors = (mini_stream.size() + kSector - 1) / kSector;
  std::size_t big_sectors = 0;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    if (node_big[i]) big_sectors += (nodes[i].data.size() + kSector - 1) / kSector;
  }
  const std::size_t payload = dir_sectors + minifat_sectors + ministream_sectors + big_sectors;
  std::size_t fat_sectors = 1;
  while (fat_sectors * 128 < fat_sectors + payload) ++fat_sectors;
  const std::size_t total = fat_sectors + payload;

  std::vector<std::uint32_t> fat(fat_sectors * 128, kFree);
  std::uint32_t next = 0;
  for (std::size_t i = 0; i < fat_sectors; ++i) fat[next++] = detail::kFatSect;
  auto allocate_chain = [&](std::size_t count) {
    const std::uint32_t first = count == 0 ? kEnd : next;
    for (std::size_t k = 0; k < count; ++k, ++next) fat[next] = k + 1 < count ? next + 1 : kEnd;
    return first;
  };
  const std::uint32_t dir_first = allocate_chain(dir_sectors);
  const std::uint32_t minifat_first = allocate_chain(minifat_sectors);
  const std::uint32_t ministream_first = allocate_chain(ministream_sectors);
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    if (node_big[i]) node_start[i] = allocate_chain((nodes[i].data.size() + kSector - 1) / kSector);
  }

  std::string file((total + 1) * kSector, '\0');
  // Header.
  file.replace(0, 8, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8);
  put_le(file, 24, 0x003E, 2);
  put_le(file, 26, 3, 2);
  put_le(file, 28, 0xFFFE, 2);
  put_le(file, 30, 9, 2);
  put_le(file, 32, 6, 2);
  put_le(file, 44, fat_sectors, 4);
  put_le(file, 48, dir_first, 4);
  put_le(file, 56, 4096, 4);
  put_le(file, 60, minifat_sectors == 0 ? kEnd : minifat_first, 4);
  put_le(file, 64, minifat_sectors, 4);
  put_le(file, 68, kEnd, 4);
  put_le(file, 72, 0, 4);
  for (std::size_t i = 0; i < 109; ++i) put_le(file, 76 + 4 * i, i < fat_sectors ? i : kFree, 4);
  auto sector_offset = [](std::size_t s) { return (s + 1) * kSector; };
  // FAT.
  for (std::size_t i = 0; i < fat.size(); ++i) put_le(file, sector_offset(0) + 4 * i, fat[i], 4);
  // Directory.
  auto write_dir = [&](std::size_t index, std::string_view name, int type, std::uint32_t start,
                       std::uint64_t size, std::uint32_t child, std::uint32_t right) {
    const std::size_t off = sector_offset(dir_first) + index * 128;
    for (std::size_t k = 0; k < name.size(); ++k) put_le(file, off + 2 * k, name[k], 2);
    put_le(file, off + 64, (name.size() + 1) * 2, 2);
    file[off + 66] = static_cast<char>(type);
    file[off + 67] = 1;                // black
    put_le(file, off + 68, kFree, 4);  // left
    put_le(file, off + 72, right, 4);
    put_le(file, off + 76, child, 4);
    put_le(file, off + 116, start, 4);
    put_le(file, off + 120, size, 8);
  };
  for (std::size_t i = dir_entries; i < dir_sectors * 4; ++i) {
    put_le(file, sector_offset(dir_first) + i * 128 + 68, kFree, 4);
  }
  write_dir(0, "Root Entry", 5, mini_stream.empty() ? kEnd : ministream_first, mini_stream.size(),
            nodes.empty() ? kFree : 1, kFree);
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    const std::uint32_t right = i + 1 < nodes.size() ? static_cast<std::uint32_t>(i + 2) : kFree;
    write_dir(i + 1, nodes[i].name, nodes[i].type, node_start[i], nodes[i].data.size(), kFree,
              right);
  }
  // Mini FAT, mini stream, big streams (all chains are contiguous).
  for (std::size_t i = 0; i < minifat.size(); ++i) {
    put_le(file, sector_offset(minifat_first) + 4 * i, minifat[i], 4);
  }
  if (!mini_stream.empty())
    file.replace(sector_offset(ministream_first), mini_stream.size(), mini_stream);
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    if (node_big[i])
      file.replace(sector_offset(node_start[i]), nodes[i].data.size(), nodes[i].data);
  }
  return file;
}

// Index of the first directory sector of a file made by make_cfb (for corrupting its chain).
inline std::uint32_t cfb_first_dir_sector(std::string_view file) {
  return static_cast<std::uint32_t>(static_cast<unsigned char>(file[48])) |
         static_cast<std::uint32_t>(static_cast<unsigned char>(file[49])) << 8;
}

// A BIFF8 Workbook stream: BOF, one BoundSheet8 per sheet type given, EOF.
inline std::string make_workbook_stream(const std::vector<std::uint8_t>& sheet_types,
                                        std::size_t pad_to = 0) {
  std::string s;
  auto record = [&s](std::uint16_t type, std::string_view body) {
    s.push_back(static_cast<char>(type & 0xFF));
    s.push_back(static_cast<char>(type >> 8));
    s.push_back(static_cast<char>(body.size() & 0xFF));
    s.push_back(static_cast<char>(body.size() >> 8));
    s.append(body);
  };
  record(0x0809, std::string("\x00\x06\x05\x00", 4) + std::string(12, '\0'));  // BOF, globals
  for (std::uint8_t type : sheet_types) {
    std::string body(4, '\0');                 // lbPlyPos
    body.push_back('\0');                      // visible
    body.push_back(static_cast<char>(type));   // dt: 0 worksheet, 1 macro sheet
    body += std::string("\x06\x00Sheet1", 8);  // ShortXLUnicodeString
    record(0x0085, body);
  }
  record(0x000A, "");  // EOF
  if (s.size() < pad_to) s.resize(pad_to, '\0');
  return s;
}

}  // namespace renkei::attach::testing
