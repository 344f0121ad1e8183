// renkei::store — the community's part of the store: organisations with their registry data,
// SIGs and their membership history, liaison networks, and the hub's configurable tables.
// Contract as in store.hpp (thread-safe, one transaction per call, errors as values).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "model/model.hpp"
#include "registry/registry.hpp"
#include "util/result.hpp"

namespace renkei::store {

class CommunityStore {
 public:
  virtual ~CommunityStore() = default;

  // Organisations. Names are unique (kConflict); domains are validated and lowercased.
  virtual Result<std::int64_t> create_organization(const model::Organization& org) = 0;
  virtual Result<void> update_organization(const model::Organization& org) = 0;
  virtual Result<model::Organization> organization(std::int64_t id) = 0;
  virtual Result<std::vector<model::Organization>> organizations() = 0;
  // The identity registry built from every organisation (what the engine analyses against).
  virtual Result<registry::Registry> registry() = 0;
  // Changes whenever organisations or their registry data change (so a cached registry knows it
  // is stale).
  virtual Result<std::int64_t> registry_version() = 0;

  // SIGs (industry groups) with membership history, and liaison networks.
  virtual Result<std::int64_t> create_sig(std::string_view name, std::string_view name_ja) = 0;
  virtual Result<std::vector<model::Sig>> sigs() = 0;
  // kInvalidArgument for dates not of the form YYYY-MM-DD or left before joined.
  virtual Result<void> add_membership(const model::Membership& m) = 0;
  // The organisation left the SIG on `left_on`: ends its open membership (the history stays).
  // kNotFound when it has none open; kInvalidArgument for a bad date or one before it joined.
  virtual Result<model::Membership> end_membership(std::int64_t sig_id, std::int64_t org_id,
                                                   std::string_view left_on) = 0;
  virtual Result<std::vector<model::Membership>> memberships(std::int64_t org_id) = 0;
  virtual Result<std::int64_t> create_liaison_network(const model::LiaisonNetwork& n) = 0;
  virtual Result<std::vector<model::LiaisonNetwork>> liaison_networks() = 0;

  // The configurable list of consultation categories (key, English and Japanese name).
  virtual Result<std::vector<model::Category>> consultation_categories() = 0;
  // Adds a category at the end of the list (key: lowercase ASCII letters, digits, '_'; kConflict
  // for a key in use).
  virtual Result<void> create_consultation_category(const model::Category& category) = 0;
};

}  // namespace renkei::store
