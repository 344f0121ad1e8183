// renkei::model — the community (SPEC 1–2): organisations with their registry data, SIGs with
// their membership history, liaison networks. Plain records: no storage, no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "registry/registry.hpp"

namespace renkei::model {

// A participant (参加組織), or the hub itself.
struct Organization {
  std::int64_t id = 0;
  bool is_hub = false;          // the operator of the instance
  registry::Organization data;  // names, industry, domains, partner domains, VIPs
};

// A special interest group per industry (業界SIG).
struct Sig {
  std::int64_t id = 0;
  std::string name, name_ja;
  int members = 0;  // organisations in it today (joined, not left)
};

// One organisation's membership of one SIG, from joined_on to left_on (history is kept, so the
// quarterly report can say "32 → 42 organisations").
struct Membership {
  std::int64_t sig_id = 0, org_id = 0;
  std::string joined_on;  // YYYY-MM-DD
  std::string left_on;    // "" while a member
};

// An umbrella body (情報連携体制) that receives shares and relays them to its members.
struct LiaisonNetwork {
  std::int64_t id = 0;
  std::string name, name_ja;
  int represented_members = 0;         // organisations it relays to
  std::optional<std::int64_t> org_id;  // the organisation that represents it in the hub
};

// A consultation category (相談・報告の分類), configurable by the hub.
struct Category {
  std::string key, name, name_ja;
};

}  // namespace renkei::model
