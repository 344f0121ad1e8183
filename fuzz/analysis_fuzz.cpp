// libFuzzer harness: the whole analysis (parse, decode, HTML, attachments, signals, JSON) on
// arbitrary bytes.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "analysis/analysis.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const renkei::analysis::Engine engine = [] {
    renkei::analysis::Options o;
    o.mime_limits.max_message_bytes = 1u << 20;
    return renkei::analysis::Engine(o);
  }();
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const auto a = engine.analyze(bytes, "fuzz");
  (void)renkei::analysis::to_json_line(a);
  (void)renkei::analysis::to_text(a, "ja", false);
  return 0;
}
