// Internal to renkei::attach: archive listing with libarchive.
#pragma once

#include <string_view>

#include "attach/context.hpp"

namespace renkei::attach {

enum class WalkMode {
  kList,        // an archive: list, read, type and hash every entry, recurse into nested ones
  kOfficeScan,  // a zip-based Office document: only look for macro parts, list nothing
};

// Walks the archive in bytes. Entries go to ctx.out().entries with paths prefixed by
// container_path ("outer.zip/inner.zip/evil.exe") at the given depth (1 for the attachment's own
// entries). allow_raw accepts a single compressed stream (.gz of a non-tar file) as one entry.
// Findings (encryption, executables, macros), limits and damage are recorded in ctx.
void walk_archive(std::string_view bytes, std::string_view container_path, int depth, WalkMode mode,
                  bool allow_raw, InspectContext& ctx);

// Fallback encryption check for zip: any central-directory (or first local) header with general
// purpose bit 0 set. Looks at no more than max_entries headers.
bool zip_has_encrypted_flag(std::string_view bytes, std::size_t max_entries);

}  // namespace renkei::attach
