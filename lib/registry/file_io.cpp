// Whole-file reads with a size limit, for the registry TOML and the list files.
#include <fstream>
#include <string>

#include "registry/detail.hpp"

namespace renkei::registry::detail {

ReadStatus read_file(const std::filesystem::path& path, std::size_t max_bytes, std::string& out) {
  out.clear();
  std::ifstream in(path, std::ios::binary);
  if (!in) return ReadStatus::kOpenFailed;
  char buf[64 * 1024];
  while (true) {
    in.read(buf, sizeof buf);
    const auto got = static_cast<std::size_t>(in.gcount());
    // Checked while reading, not from the size up front: the file may grow, or be a FIFO.
    if (out.size() + got > max_bytes) return ReadStatus::kTooLarge;
    out.append(buf, got);
    if (in.eof()) return ReadStatus::kOk;
    if (!in) return ReadStatus::kReadFailed;
  }
}

}  // namespace renkei::registry::detail
