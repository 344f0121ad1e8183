// The identity registry indexed for analysis (internal to the analysis module). Built once per
// Engine from its Registry, so a message costs the same with 10 or 10,000 organisations: the
// protected domains sit in a lookalike::Index, the executives in a hash map keyed by name_key.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "analysis/analysis.hpp"
#include "lookalike/lookalike.hpp"
#include "registry/registry.hpp"

namespace renkei::analysis {

struct VipRef {
  const registry::Organization* org;
  const registry::Vip* vip;
};

class Identity {
 public:
  explicit Identity(const registry::Registry* registry);

  const registry::Registry* registry() const { return registry_; }
  // Members' and partners' domains.
  const lookalike::Index& domains() const { return domains_; }
  // VIPs whose name key (name_key of the Latin or the Japanese name) is exactly `key`.
  const std::vector<VipRef>* vips_with_key(const std::string& key) const;
  // VIPs whose name, in either script, appears in a display name: "Taro Yamada", "YAMADA Taro
  // (CEO)", "代表取締役社長 山田太郎様". Each VIP at most once.
  std::vector<VipRef> vips_named_in(std::string_view display) const;

 private:
  const registry::Registry* registry_;
  lookalike::Index domains_;
  std::unordered_map<std::string, std::vector<VipRef>> vips_;
  std::size_t max_key_bytes_ = 0;
};

}  // namespace renkei::analysis
