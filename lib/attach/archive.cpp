#include "attach/archive.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <locale.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>

#include "attach/magic.hpp"
#include "attach/names.hpp"
#include "attach/office.hpp"
#include "attach/types.hpp"
#include "util/text.hpp"

namespace renkei::attach {
namespace {

// Entries are read in chunks so the ratio guard can stop a bomb early.
constexpr std::size_t kReadChunk = 64u << 10;
// Small entries compress extremely well (10 KiB of zeros is ~30 bytes of deflate), so the
// decompression ratio is only judged once an entry has produced this much.
constexpr std::size_t kRatioFloorBytes = 1u << 20;
// Declared sizes are attacker-controlled; pre-allocate no more than this on their word.
constexpr std::size_t kMaxReserve = 8u << 20;
// [Content_Types].xml of real documents is a few KiB.
constexpr std::size_t kMaxContentTypesBytes = 1u << 20;
// libarchive asks to retry a header read after recoverable damage; do not let it spin.
constexpr int kMaxHeaderRetries = 8;

struct ArchiveFree {
  void operator()(archive* a) const { archive_read_free(a); }
};
using ArchiveHandle = std::unique_ptr<archive, ArchiveFree>;

struct LocaleFree {
  void operator()(locale_t locale) const { freelocale(locale); }
};
using LocaleHandle = std::unique_ptr<std::remove_pointer_t<locale_t>, LocaleFree>;

// libarchive converts member names to the current locale's charset. In the "C" locale a zip
// name flagged UTF-8 cannot be converted and comes back as NULL, and in any other charset names
// would be mangled. A thread-local switch to C.UTF-8 while libarchive runs makes flagged names
// arrive as UTF-8 and unflagged ones as their raw bytes, which decode_entry_name then decodes.
class ScopedUtf8Ctype {
 public:
  ScopedUtf8Ctype() {
    static const LocaleHandle kUtf8(newlocale(LC_CTYPE_MASK, "C.UTF-8", nullptr));
    if (kUtf8) previous_ = uselocale(kUtf8.get());
  }
  ~ScopedUtf8Ctype() {
    if (previous_ != nullptr) uselocale(previous_);
  }
  ScopedUtf8Ctype(const ScopedUtf8Ctype&) = delete;
  ScopedUtf8Ctype& operator=(const ScopedUtf8Ctype&) = delete;

 private:
  locale_t previous_ = nullptr;
};

std::uint16_t le16(std::string_view b, std::size_t off) {
  return static_cast<std::uint16_t>(static_cast<unsigned char>(b[off]) |
                                    (static_cast<unsigned char>(b[off + 1]) << 8));
}

std::uint32_t le32(std::string_view b, std::size_t off) {
  return static_cast<std::uint32_t>(le16(b, off)) |
         (static_cast<std::uint32_t>(le16(b, off + 2)) << 16);
}

bool mentions_encryption(std::string_view message) {
  const std::string lower = util::ascii_lower(message);
  return lower.find("encrypt") != std::string::npos ||
         lower.find("passphrase") != std::string::npos;
}

std::string archive_message(archive* a) {
  const char* message = archive_error_string(a);
  return message != nullptr ? message : "unknown libarchive error";
}

// Formats and filters are registered one by one rather than with the *_all() helpers:
// archive_read_support_format_all() includes mtree, whose entries can name files on this machine
// that libarchive then reads, and archive_read_support_filter_all() includes lrzip/grzip/lzop,
// which libarchive runs as external programs. Neither belongs near hostile mail.
ArchiveHandle new_reader(bool allow_raw) {
  ArchiveHandle a(archive_read_new());
  if (!a) return nullptr;
  archive* r = a.get();
  archive_read_support_filter_gzip(r);
  archive_read_support_filter_bzip2(r);
  archive_read_support_filter_xz(r);
  archive_read_support_filter_lzma(r);
  archive_read_support_filter_lzip(r);
  archive_read_support_filter_zstd(r);
  archive_read_support_filter_lz4(r);
  archive_read_support_filter_compress(r);
  archive_read_support_format_zip(r);  // streamable and seekable (central directory)
  archive_read_support_format_rar(r);
  archive_read_support_format_rar5(r);
  archive_read_support_format_7zip(r);
  archive_read_support_format_tar(r);
  archive_read_support_format_cab(r);
  archive_read_support_format_iso9660(r);
  archive_read_support_format_lha(r);  // LHA/LZH: still common in Japanese mail
  archive_read_support_format_cpio(r);
  archive_read_support_format_ar(r);
  archive_read_support_format_xar(r);
  // LHA names are CP932 in practice (Japanese archivers); without the option libarchive 3.6 fails
  // a level-0 header with a non-ASCII name outright (FATAL, no message).
  archive_read_set_options(r, "lha:hdrcharset=CP932");
  // raw accepts anything no other format claims, so only for known single compressed streams.
  if (allow_raw) archive_read_support_format_raw(r);
  return a;
}

struct ReadOutcome {
  std::string data;
  bool complete = false;        // the whole entry is in data
  bool ratio_exceeded = false;  // stopped by max_ratio
  std::string error;            // libarchive's message when reading failed
};

// Reads the current entry's data, at most cap bytes, stopping early when the entry decompresses
// more than max_ratio times the compressed bytes it consumed.
ReadOutcome read_entry(archive* a, archive_entry* entry, std::size_t cap, std::size_t max_ratio) {
  ReadOutcome r;
  const la_int64_t start = archive_filter_bytes(a, -1);
  if (archive_entry_size_is_set(entry) && archive_entry_size(entry) > 0) {
    r.data.reserve(
        std::min({cap, static_cast<std::size_t>(archive_entry_size(entry)), kMaxReserve}));
  }
  while (true) {
    if (r.data.size() >= cap) {
      // At the cap: one more byte tells a complete entry from a cut one.
      char probe = 0;
      const la_ssize_t n = archive_read_data(a, &probe, 1);
      if (n == 0) r.complete = true;
      if (n < 0) r.error = archive_message(a);
      break;
    }
    const std::size_t old = r.data.size();
    const std::size_t want = std::min(kReadChunk, cap - old);
    r.data.resize(old + want);
    const la_ssize_t n = archive_read_data(a, r.data.data() + old, want);
    if (n < 0) {
      r.data.resize(old);
      r.error = archive_message(a);
      break;
    }
    r.data.resize(old + static_cast<std::size_t>(n));
    if (n == 0) {
      r.complete = true;
      break;
    }
    if (r.data.size() >= kRatioFloorBytes) {
      const la_int64_t consumed = std::max<la_int64_t>(1, archive_filter_bytes(a, -1) - start);
      if (r.data.size() / static_cast<std::size_t>(consumed) > max_ratio) {
        r.ratio_exceeded = true;
        break;
      }
    }
  }
  return r;
}

// Moving to the next header skips the rest of an entry we stopped reading. In stored or
// per-entry-compressed formats with known sizes that is a seek; in compressed streams (.tar.gz)
// and solid archives (7z, rar, cab) libarchive must decompress what it skips, which counts
// against max_total_decompressed like anything else. Returns false when the walk must stop.
bool account_skip(archive* a, archive_entry* entry, std::size_t already_read, InspectContext& ctx) {
  const int format = archive_format(a) & ARCHIVE_FORMAT_BASE_MASK;
  const bool seekable_format = format == ARCHIVE_FORMAT_ZIP || format == ARCHIVE_FORMAT_TAR ||
                               format == ARCHIVE_FORMAT_CPIO || format == ARCHIVE_FORMAT_AR ||
                               format == ARCHIVE_FORMAT_ISO9660 || format == ARCHIVE_FORMAT_LHA;
  // A single compressed stream has nothing after its one entry.
  if (format == ARCHIVE_FORMAT_RAW) return false;
  const bool sized = archive_entry_size_is_set(entry) != 0 && archive_entry_size(entry) >= 0;
  if (seekable_format && archive_filter_count(a) <= 1 && sized) return true;
  if (!sized) {
    ctx.hit("max_total_decompressed");
    return false;
  }
  const auto size = static_cast<std::size_t>(archive_entry_size(entry));
  const std::size_t remaining = size > already_read ? size - already_read : 0;
  if (remaining > ctx.decompress_budget_left()) {
    ctx.hit("max_total_decompressed");
    return false;
  }
  ctx.decompressed += remaining;
  return true;
}

void inspect_nested(std::string_view data, const std::string& path, const std::string& real_type,
                    int depth, InspectContext& ctx) {
  const Family family = family_of_mime(real_type);
  if (is_listable_archive_mime(real_type)) {
    if (static_cast<std::size_t>(depth) >= ctx.limits().max_archive_depth) {
      ctx.hit("max_archive_depth");
    } else {
      walk_archive(data, path, depth + 1, WalkMode::kList, is_compressed_stream_mime(real_type),
                   ctx);
    }
  } else if (family == Family::kOoxml || family == Family::kOdf) {
    // A document inside an archive: only its macros matter, it adds no entries.
    walk_archive(data, path, depth + 1, WalkMode::kOfficeScan, false, ctx);
  }
  if (is_cfb(data)) {
    const CfbFindings findings = scan_cfb(data);
    if (findings.vba || findings.xlm) ctx.out().has_macros = true;
    if (!findings.error.empty()) ctx.error(path + ": " + findings.error);
  }
}

class Walker {
 public:
  Walker(std::string_view container_path, int depth, WalkMode mode, InspectContext& ctx)
      : container_path_(container_path), depth_(depth), mode_(mode), ctx_(ctx) {}

  void run(std::string_view bytes, bool allow_raw) {
    const ScopedUtf8Ctype utf8_names;
    ArchiveHandle a = new_reader(allow_raw);
    if (!a) {
      ctx_.error(where() + ": cannot allocate an archive reader");
      return;
    }
    const bool opened = archive_read_open_memory(a.get(), bytes.data(), bytes.size()) == ARCHIVE_OK;
    if (opened) {
      walk(a.get());
    } else {
      note_error(archive_message(a.get()));
    }
    if (mode_ == WalkMode::kList) {
      // Only after a successful open: libarchive 3.6 dereferences the chosen format without a
      // check (a crash found by fuzzing).
      if (opened && archive_read_has_encrypted_entries(a.get()) > 0) {
        ctx_.out().archive_encrypted = true;
      }
      if (bytes.starts_with("PK") &&
          zip_has_encrypted_flag(bytes, ctx_.limits().max_archive_entries)) {
        ctx_.out().archive_encrypted = true;
      }
    }
  }

 private:
  std::string where() const {
    return container_path_.empty() ? std::string("archive") : std::string(container_path_);
  }

  // entry: the member being read, "" for damage in the archive structure itself.
  void note_error(const std::string& message, const std::string& entry = {}) {
    if (mode_ == WalkMode::kList && mentions_encryption(message)) {
      ctx_.out().archive_encrypted = true;
    }
    // A failed member read usually leaves libarchive fatal, and the next header call repeats the
    // same message; one report is enough.
    if (entry.empty() && message == last_message_) return;
    last_message_ = message;
    ctx_.error(where() + ": " + (entry.empty() ? message : entry + ": " + message));
  }

  void walk(archive* a) {
    int retries = 0;
    while (!ctx_.stop) {
      archive_entry* entry = nullptr;
      const int status = archive_read_next_header(a, &entry);
      if (status == ARCHIVE_EOF) break;
      if (status == ARCHIVE_RETRY) {
        if (++retries > kMaxHeaderRetries) {
          note_error(archive_message(a));
          break;
        }
        continue;
      }
      if (status == ARCHIVE_FATAL || entry == nullptr) {
        note_error(archive_message(a));
        break;
      }
      // ARCHIVE_WARN (e.g. a name in an unexpected charset) and ARCHIVE_FAILED still describe
      // an entry; failures are reported, warnings are not damage.
      if (status == ARCHIVE_FAILED) note_error(archive_message(a));
      if (ctx_.entries_seen >= ctx_.limits().max_archive_entries) {
        ctx_.hit("max_archive_entries");
        ctx_.stop = true;
        break;
      }
      ++ctx_.entries_seen;
      if (!visit(a, entry)) break;
    }
  }

  // Returns false when this archive cannot be walked further.
  bool visit(archive* a, archive_entry* entry) {
    const char* raw = archive_entry_pathname(entry);
    if (raw == nullptr) raw = archive_entry_pathname_utf8(entry);
    const std::string name = decode_entry_name(raw != nullptr ? raw : "");
    const auto filetype = archive_entry_filetype(entry);
    if (filetype == AE_IFDIR) return true;
    if (is_macro_part_name(name)) ctx_.out().has_macros = true;
    if (mode_ == WalkMode::kOfficeScan) return visit_office_part(a, entry, name);

    std::string full_path =
        container_path_.empty() ? name : std::string(container_path_).append("/").append(name);
    ArchiveEntry out;
    out.depth = depth_;
    bool truncated = false;
    out.path = bound_name(full_path, ctx_.limits().max_name_bytes, &truncated);
    if (truncated) ctx_.hit("max_name_bytes");
    if (archive_entry_size_is_set(entry) && archive_entry_size(entry) > 0) {
      out.size = static_cast<std::size_t>(archive_entry_size(entry));
    }
    out.encrypted = archive_entry_is_encrypted(entry) != 0;
    out.executable = has_executable_extension(name);
    // Encrypted entries cannot be read without the password (often in the mail body); links and
    // devices have no content.
    if (out.encrypted || (filetype != AE_IFREG && filetype != 0)) {
      if (out.encrypted) ctx_.out().archive_encrypted = true;
      record(std::move(out));
      return true;
    }

    const std::size_t budget = ctx_.decompress_budget_left();
    const std::size_t cap = std::min(ctx_.limits().max_entry_bytes, budget);
    const char* cap_limit =
        budget < ctx_.limits().max_entry_bytes ? "max_total_decompressed" : "max_entry_bytes";
    ReadOutcome read = read_entry(a, entry, cap, ctx_.limits().max_ratio);
    ctx_.decompressed += read.data.size();
    if (!read.error.empty()) {
      note_error(read.error, out.path);
    } else if (read.ratio_exceeded) {
      ctx_.hit("max_ratio");
    } else if (!read.complete) {
      ctx_.hit(cap_limit);
    }
    // A cut entry still has its head, which is all libmagic needs; its hashes would be wrong.
    if (read.complete || !read.data.empty()) out.real_type = sniff(read.data, false).mime;
    if (read.complete) out.hashes = hash_bytes(read.data, wants_fuzzy_hash(out.real_type));
    if (is_executable_mime(out.real_type)) out.executable = true;
    if (read.complete && name == "[Content_Types].xml" && content_types_macro_enabled(read.data)) {
      ctx_.out().has_macros = true;
    }

    const std::string path = out.path;
    const std::string real_type = out.real_type;
    record(std::move(out));
    if (read.complete) inspect_nested(read.data, path, real_type, depth_, ctx_);
    if (!read.error.empty()) return true;  // libarchive's next header call reports if it is fatal
    if (!read.complete) return account_skip(a, entry, read.data.size(), ctx_);
    return true;
  }

  bool visit_office_part(archive* a, archive_entry* entry, const std::string& name) {
    if (name != "[Content_Types].xml") return true;  // skipping a zip member is a seek
    const std::size_t cap = std::min(kMaxContentTypesBytes, ctx_.decompress_budget_left());
    ReadOutcome read = read_entry(a, entry, cap, ctx_.limits().max_ratio);
    ctx_.decompressed += read.data.size();
    if (read.ratio_exceeded) ctx_.hit("max_ratio");
    if (content_types_macro_enabled(read.data)) ctx_.out().has_macros = true;
    if (!read.error.empty()) note_error(read.error, name);
    if (!read.complete && read.error.empty()) return account_skip(a, entry, read.data.size(), ctx_);
    return true;
  }

  void record(ArchiveEntry entry) {
    if (entry.executable) ctx_.out().executable_inside = true;
    ctx_.out().entries.push_back(std::move(entry));
  }

  std::string_view container_path_;
  int depth_;
  WalkMode mode_;
  InspectContext& ctx_;
  std::string last_message_;
};

}  // namespace

void walk_archive(std::string_view bytes, std::string_view container_path, int depth, WalkMode mode,
                  bool allow_raw, InspectContext& ctx) {
  if (ctx.stop) return;
  Walker(container_path, depth, mode, ctx).run(bytes, allow_raw);
}

bool zip_has_encrypted_flag(std::string_view bytes, std::size_t max_entries) {
  constexpr std::size_t kEocdBytes = 22;
  constexpr std::size_t kMaxCommentBytes = 0xFFFF;
  constexpr std::size_t kCentralHeaderBytes = 46;
  constexpr std::size_t kLocalHeaderBytes = 30;
  constexpr std::uint16_t kEncryptedBit = 0x0001;
  const std::size_t n = bytes.size();
  if (n >= kEocdBytes) {
    // The end-of-central-directory record is within the last 22 + 65535 (comment) bytes.
    const std::size_t floor =
        n > kEocdBytes + kMaxCommentBytes ? n - kEocdBytes - kMaxCommentBytes : 0;
    const std::size_t eocd = bytes.rfind(std::string_view("PK\x05\x06", 4));
    if (eocd != std::string_view::npos && eocd >= floor && eocd + kEocdBytes <= n) {
      const std::size_t count = le16(bytes, eocd + 10);
      std::size_t off = le32(bytes, eocd + 16);
      for (std::size_t i = 0; i < count && i < max_entries; ++i) {
        if (off > n || n - off < kCentralHeaderBytes ||
            bytes.substr(off, 4) != std::string_view("PK\x01\x02", 4)) {
          break;
        }
        if (le16(bytes, off + 8) & kEncryptedBit) return true;
        off += kCentralHeaderBytes + le16(bytes, off + 28) + le16(bytes, off + 30) +
               le16(bytes, off + 32);
      }
    }
  }
  return n >= kLocalHeaderBytes && bytes.starts_with(std::string_view("PK\x03\x04", 4)) &&
         (le16(bytes, 6) & kEncryptedBit) != 0;
}

}  // namespace renkei::attach
