// libFuzzer harness: the whole analysis (parse, decode, HTML, attachments, signals, JSON) on
// arbitrary bytes, and what campaigns take from it (feature keys, matching, explanations).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "analysis/analysis.hpp"
#include "campaign/campaign.hpp"
#include "registry/registry.hpp"

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
  // Campaigns: its feature keys, matched against the earlier inputs, and the explanation.
  static renkei::campaign::Clusterer clusters;  // matched against earlier inputs of the run
  static std::size_t added = 0;
  if (++added % 1000 == 0) clusters = renkei::campaign::Clusterer{};  // memory stays bounded
  const auto f = renkei::campaign::extract(a, renkei::registry::Lists::builtin());
  const auto& camp = clusters.campaigns()[clusters.add(f)];
  (void)renkei::campaign::explain(camp.keys, static_cast<std::int64_t>(camp.members.size()));
  return 0;
}
