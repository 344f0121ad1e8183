// libFuzzer harness: the MIME parser and the header decoders on arbitrary bytes.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "mime/mime.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  renkei::mime::Limits limits;
  limits.max_message_bytes = 1u << 20;
  limits.max_parts = 200;
  auto msg = renkei::mime::parse(bytes, limits);
  (void)msg;
  (void)renkei::mime::decode_header_text(bytes.substr(0, 4096));
  (void)renkei::mime::parse_address_list(bytes.substr(0, 4096));
  (void)renkei::mime::parse_parameterized(bytes.substr(0, 4096));
  return 0;
}
