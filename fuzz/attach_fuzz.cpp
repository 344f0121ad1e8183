// libFuzzer harness: attachment inspection (libmagic, libarchive listing with nested archives,
// the Compound File Binary reader, name decoding) on arbitrary bytes.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "attach/attach.hpp"
#include "attach/names.hpp"
#include "attach/office.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  // Smaller budgets than production keep each run fast; the code paths are the same.
  renkei::attach::Limits limits;
  limits.max_entry_bytes = 2u << 20;
  limits.max_total_decompressed = 8u << 20;
  limits.max_archive_entries = 200;
  (void)renkei::attach::inspect(bytes, "x.zip", "application/zip", limits);
  (void)renkei::attach::inspect(bytes, "x.doc", "application/msword", limits);
  // The CFB reader directly, whatever libmagic thinks of the bytes.
  (void)renkei::attach::scan_cfb(bytes);
  // Name handling: the first bytes as a (possibly CP932, possibly RTLO-laden) file name.
  const std::string_view name = bytes.substr(0, 512);
  (void)renkei::attach::decode_entry_name(name);
  (void)renkei::attach::disguise_detail(name);
  (void)renkei::attach::has_executable_extension(name);
  return 0;
}
