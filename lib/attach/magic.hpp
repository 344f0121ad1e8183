// Internal to renkei::attach: the real type of bytes, from libmagic.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace renkei::attach {

// libmagic decides from the head of a file (the deepest common test, ISO 9660's volume descriptor,
// sits at 32 KiB); passing at most this much bounds the cost of its text and regex tests on large
// attachments without changing the answer for the formats we care about.
inline constexpr std::size_t kMagicHeadBytes = 1u << 20;

struct Sniff {
  std::string mime;         // "application/zip"; "" when libmagic is unavailable
  std::string description;  // "Zip archive data, …"; only when asked for
  bool available = true;    // false when the magic database could not be loaded
};

// Real type of the first kMagicHeadBytes of bytes. Uses this thread's libmagic handle.
Sniff sniff(std::string_view bytes, bool with_description);

}  // namespace renkei::attach
