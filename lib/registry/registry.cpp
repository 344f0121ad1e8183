// Registry: the TOML loader of SPEC 5 and the hash indexes behind owner_of / is_protected /
// is_vip_address.
#include "registry/registry.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <new>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "registry/detail.hpp"

namespace renkei::registry {
namespace {

// A registry with tens of thousands of organisations is a few MiB; anything far beyond that is
// a wrong file, not a registry.
constexpr std::size_t kMaxRegistryFileBytes = 64u * 1024u * 1024u;

constexpr std::array<std::string_view, 1> kTopKeys = {"organization"};
constexpr std::array<std::string_view, 7> kOrgKeys = {
    "name", "name_ja", "industry", "domains", "partner_domains", "authserv_ids", "vip"};
constexpr std::array<std::string_view, 4> kVipKeys = {"name", "name_ja", "title", "addresses"};

constexpr std::string_view kFormatHint =
    "see SPEC 5: [[organization]] with name, name_ja, industry, domains, partner_domains, "
    "authserv_ids (optional), and [[organization.vip]] with name, name_ja, title, addresses";

template <std::size_t N>
std::string join(const std::array<std::string_view, N>& keys) {
  std::string out;
  for (const auto& k : keys) {
    if (!out.empty()) out += ", ";
    out += k;
  }
  return out;
}

// Levenshtein distance, for "did you mean" on misspelt keys (keys are short).
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

// Builds errors that point at a place in the TOML source.
class Reporter {
 public:
  explicit Reporter(std::string_view source_name)
      : source_(source_name.empty() ? std::string_view("<registry>") : source_name) {}

  tl::unexpected<Error> at(const toml::source_region& where, Errc code, std::string_view what,
                           std::string hint) const {
    std::string msg = source_;
    if (where.begin.line > 0) {
      msg += ':';
      msg += std::to_string(where.begin.line);
      msg += ':';
      msg += std::to_string(where.begin.column);
    }
    msg += ": ";
    msg += what;
    return make_error(code, std::move(msg), std::move(hint));
  }

  tl::unexpected<Error> invalid(const toml::source_region& where, std::string_view what,
                                std::string hint) const {
    return at(where, Errc::kInvalidArgument, what, std::move(hint));
  }

  template <std::size_t N>
  tl::unexpected<Error> unknown_key(const toml::key& key, std::string_view section,
                                    const std::array<std::string_view, N>& valid) const {
    std::string hint;
    std::size_t best = 3;  // suggest only close matches
    for (const auto& k : valid) {
      const std::size_t d = edit_distance(key.str(), k);
      if (d < best) {
        best = d;
        hint = "did you mean '" + std::string(k) + "'? ";
      }
    }
    hint += "valid keys in " + std::string(section) + ": " + join(valid);
    return invalid(key.source(),
                   "unknown key '" + std::string(key.str()) + "' in " + std::string(section),
                   std::move(hint));
  }

 private:
  std::string source_;
};

// Reads an optional string value; wrong type is an error.
Result<std::string> get_string(const Reporter& rep, const toml::table& tbl, std::string_view key,
                               std::string_view section) {
  const toml::node* node = tbl.get(key);
  if (node == nullptr) return std::string{};
  const auto* s = node->as_string();
  if (s == nullptr) {
    return rep.invalid(
        node->source(),
        "'" + std::string(key) + "' in " + std::string(section) + " must be a string",
        "write it in quotes, e.g. " + std::string(key) + " = \"...\"");
  }
  return std::string(util::trim_c_space(s->get()));
}

// Reads an optional array of strings, each with the place it was written (for later errors).
struct Located {
  std::string value;
  toml::source_region where;
};

Result<std::vector<Located>> get_string_array(const Reporter& rep, const toml::table& tbl,
                                              std::string_view key, std::string_view section) {
  std::vector<Located> out;
  const toml::node* node = tbl.get(key);
  if (node == nullptr) return out;
  const auto* arr = node->as_array();
  const std::string example = std::string(key) + " = [\"a.example\", \"b.example\"]";
  if (arr == nullptr) {
    return rep.invalid(
        node->source(),
        "'" + std::string(key) + "' in " + std::string(section) + " must be an array of strings",
        "write it as a list even for one value, e.g. " + example);
  }
  out.reserve(arr->size());
  for (const toml::node& elem : *arr) {
    const auto* s = elem.as_string();
    if (s == nullptr) {
      return rep.invalid(
          elem.source(),
          "'" + std::string(key) + "' in " + std::string(section) + " must contain only strings",
          "quote every value, e.g. " + example);
    }
    out.push_back({std::string(util::trim_c_space(s->get())), elem.source()});
  }
  return out;
}

Result<std::string> check_domain(const Reporter& rep, const Located& d, std::string_view key) {
  auto host = detail::normalize_host(d.value);
  if (!host || !detail::is_valid_hostname(*host)) {
    return rep.invalid(d.where,
                       "'" + d.value + "' in " + std::string(key) + " is not a valid domain name",
                       "write a bare domain such as example.co.jp: no scheme, path, port, '@' or "
                       "spaces");
  }
  if (detail::is_public_suffix(*host)) {
    return rep.invalid(d.where,
                       "'" + d.value + "' in " + std::string(key) +
                           " is a public suffix, not an organisation's domain",
                       "list the registered domain itself, e.g. example.co.jp rather than co.jp");
  }
  return std::move(*host);
}

Result<Vip> parse_vip(const Reporter& rep, const toml::table& tbl) {
  constexpr std::string_view kSection = "[[organization.vip]]";
  for (auto&& [key, value] : tbl) {
    (void)value;
    if (std::find(kVipKeys.begin(), kVipKeys.end(), key.str()) == kVipKeys.end()) {
      return rep.unknown_key(key, kSection, kVipKeys);
    }
  }
  Vip vip;
  RENKEI_TRY(name, get_string(rep, tbl, "name", kSection));
  RENKEI_TRY(name_ja, get_string(rep, tbl, "name_ja", kSection));
  RENKEI_TRY(title, get_string(rep, tbl, "title", kSection));
  RENKEI_TRY(addresses, get_string_array(rep, tbl, "addresses", kSection));
  if (name.empty() && name_ja.empty()) {
    return rep.invalid(tbl.source(), "a VIP needs a name",
                       "give name (Latin script) and/or name_ja (Japanese script), e.g. "
                       "name = \"Taro Yamada\"");
  }
  vip.name = std::move(name);
  vip.name_ja = std::move(name_ja);
  vip.title = std::move(title);
  for (const Located& a : addresses) {
    auto norm = detail::normalize_address(a.value);
    if (!norm || norm->front() == '@' ||
        !detail::is_valid_hostname(std::string_view(*norm).substr(norm->rfind('@') + 1))) {
      return rep.invalid(a.where, "'" + a.value + "' in addresses is not an e-mail address",
                         "write the bare address, e.g. \"t.yamada@example.co.jp\"");
    }
    if (std::find(vip.addresses.begin(), vip.addresses.end(), *norm) == vip.addresses.end()) {
      vip.addresses.push_back(std::move(*norm));
    }
  }
  return vip;
}

Result<Organization> parse_org(const Reporter& rep, const toml::table& tbl) {
  constexpr std::string_view kSection = "[[organization]]";
  for (auto&& [key, value] : tbl) {
    (void)value;
    if (std::find(kOrgKeys.begin(), kOrgKeys.end(), key.str()) == kOrgKeys.end()) {
      return rep.unknown_key(key, kSection, kOrgKeys);
    }
  }
  Organization org;
  RENKEI_TRY(name, get_string(rep, tbl, "name", kSection));
  if (name.empty()) {
    return rep.invalid(tbl.source(), "an organization needs a name",
                       "add name = \"...\" under this [[organization]]");
  }
  org.name = std::move(name);
  RENKEI_TRY(name_ja, get_string(rep, tbl, "name_ja", kSection));
  RENKEI_TRY(industry, get_string(rep, tbl, "industry", kSection));
  org.name_ja = std::move(name_ja);
  org.industry = std::move(industry);

  RENKEI_TRY(domains, get_string_array(rep, tbl, "domains", kSection));
  if (domains.empty()) {
    return rep.invalid(tbl.source(), "organization '" + org.name + "' has no domains",
                       "add at least one domain it sends mail from, e.g. domains = "
                       "[\"example.co.jp\"]");
  }
  for (const Located& d : domains) {
    RENKEI_TRY(host, check_domain(rep, d, "domains"));
    if (std::find(org.domains.begin(), org.domains.end(), host) == org.domains.end()) {
      org.domains.push_back(std::move(host));
    }
  }
  RENKEI_TRY(partners, get_string_array(rep, tbl, "partner_domains", kSection));
  for (const Located& d : partners) {
    RENKEI_TRY(host, check_domain(rep, d, "partner_domains"));
    if (std::find(org.partner_domains.begin(), org.partner_domains.end(), host) ==
        org.partner_domains.end()) {
      org.partner_domains.push_back(std::move(host));
    }
  }
  RENKEI_TRY(authserv, get_string_array(rep, tbl, "authserv_ids", kSection));
  for (const Located& d : authserv) {
    RENKEI_TRY(host, check_domain(rep, d, "authserv_ids"));
    if (std::find(org.authserv_ids.begin(), org.authserv_ids.end(), host) ==
        org.authserv_ids.end()) {
      org.authserv_ids.push_back(std::move(host));
    }
  }

  if (const toml::node* vips = tbl.get("vip")) {
    const auto* arr = vips->as_array();
    if (arr == nullptr || !arr->is_array_of_tables()) {
      return rep.invalid(vips->source(), "'vip' must be an array of tables",
                         "write each executive as its own [[organization.vip]] section");
    }
    for (const toml::node& v : *arr) {
      RENKEI_TRY(vip, parse_vip(rep, *v.as_table()));
      org.vips.push_back(std::move(vip));
    }
  }
  return org;
}

Result<Registry> parse_registry(const toml::table& root, std::string_view source_name) {
  const Reporter rep(source_name);
  for (auto&& [key, value] : root) {
    (void)value;
    if (std::find(kTopKeys.begin(), kTopKeys.end(), key.str()) == kTopKeys.end()) {
      return rep.unknown_key(key, "the registry file", kTopKeys);
    }
  }
  std::vector<Organization> orgs;
  // Member domains must have one owner, or owner_of() would silently pick one of them.
  std::unordered_map<std::string, std::size_t> owner;
  if (const toml::node* node = root.get("organization")) {
    const auto* arr = node->as_array();
    if (arr == nullptr || !arr->is_array_of_tables()) {
      return rep.invalid(node->source(), "'organization' must be an array of tables",
                         "start each organisation with [[organization]] (double brackets)");
    }
    orgs.reserve(arr->size());
    for (const toml::node& elem : *arr) {
      const toml::table& tbl = *elem.as_table();
      RENKEI_TRY(org, parse_org(rep, tbl));
      for (const std::string& d : org.domains) {
        const auto [it, inserted] = owner.try_emplace(d, orgs.size());
        if (!inserted) {
          return rep.invalid(tbl.source(),
                             "domain '" + d + "' of organization '" + org.name +
                                 "' already belongs to organization '" + orgs[it->second].name +
                                 "'",
                             "a domain has one owner; list it as a partner_domain of the other "
                             "organisation instead");
        }
      }
      orgs.push_back(std::move(org));
    }
  }
  return Registry(std::move(orgs));
}

}  // namespace

Registry::Registry(std::vector<Organization> orgs) : orgs_(std::move(orgs)) {
  // Organisations built in code (or from the database) get the same normal form as the TOML
  // loader gives; names that cannot be normalised are kept as given but not indexed.
  auto normalize_list = [](std::vector<std::string>& list) {
    std::vector<std::string> out;
    out.reserve(list.size());
    for (std::string& d : list) {
      auto host = detail::normalize_host(d);
      std::string v = host ? std::move(*host) : std::move(d);
      if (std::find(out.begin(), out.end(), v) == out.end()) out.push_back(std::move(v));
    }
    list = std::move(out);
  };
  for (Organization& org : orgs_) {
    normalize_list(org.domains);
    normalize_list(org.partner_domains);
    normalize_list(org.authserv_ids);
    authserv_ids_.insert(org.authserv_ids.begin(), org.authserv_ids.end());
    for (Vip& vip : org.vips) {
      for (std::string& a : vip.addresses) {
        if (auto norm = detail::normalize_address(a)) a = std::move(*norm);
      }
    }
  }
  index();
}

void Registry::index() {
  std::size_t n_domains = 0;
  std::size_t n_addresses = 0;
  for (const Organization& org : orgs_) {
    n_domains += org.domains.size() + org.partner_domains.size();
    for (const Vip& vip : org.vips) n_addresses += vip.addresses.size();
  }
  domain_owner_.reserve(n_domains);
  protected_.reserve(n_domains);
  protected_list_.reserve(n_domains);
  vip_addresses_.reserve(n_addresses);

  // A public suffix ("co.jp") is never indexed: lookups walk up the labels of a host, and such
  // an entry would make every name under it look protected.
  auto indexable = [](const std::string& d) {
    return detail::is_valid_hostname(d) && !detail::is_public_suffix(d);
  };
  auto add_protected = [this](const std::string& d) {
    if (protected_.insert(d).second) protected_list_.push_back(d);
  };
  for (std::size_t i = 0; i < orgs_.size(); ++i) {
    for (const std::string& d : orgs_[i].domains) {
      if (!indexable(d)) continue;
      domain_owner_.try_emplace(d, i);  // first owner wins, as in the TOML file's order
      add_protected(d);
    }
  }
  for (const Organization& org : orgs_) {
    for (const std::string& d : org.partner_domains) {
      if (indexable(d)) add_protected(d);
    }
    for (const Vip& vip : org.vips) {
      for (const std::string& a : vip.addresses) vip_addresses_.insert(a);
    }
  }
}

Result<Registry> Registry::load_toml_string(std::string_view toml, std::string_view source_name) {
  const Reporter rep(source_name);
  try {
    const toml::table root = toml::parse(toml, source_name);
    return parse_registry(root, source_name);
  } catch (const toml::parse_error& e) {
    return rep.at(e.source(), Errc::kParse, e.description(),
                  "fix the TOML syntax at that position; " + std::string(kFormatHint));
  } catch (const std::bad_alloc&) {
    return make_error(Errc::kLimit, std::string(source_name) + ": out of memory while parsing",
                      "the registry file is too large for this machine");
  } catch (const std::exception& e) {
    return make_error(Errc::kInternal,
                      std::string(source_name) + ": unexpected error: " + e.what());
  } catch (...) {
    return make_error(Errc::kInternal, std::string(source_name) + ": unexpected error");
  }
}

Result<Registry> Registry::load_toml_file(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);
  if (ec || !fs::exists(st)) {
    return make_error(Errc::kNotFound, "registry file not found: " + path,
                      "check the path given to --registry");
  }
  if (!fs::is_regular_file(st)) {
    return make_error(Errc::kInvalidArgument, "registry path is not a regular file: " + path,
                      "check the path given to --registry; it must name a TOML file");
  }
  std::string content;
  switch (detail::read_file(path, kMaxRegistryFileBytes, content)) {
    case detail::ReadStatus::kOk:
      break;
    case detail::ReadStatus::kTooLarge:
      return make_error(Errc::kLimit,
                        "registry file " + path + " is larger than " +
                            std::to_string(kMaxRegistryFileBytes / (1024 * 1024)) + " MiB",
                        "check that --registry names the registry TOML file");
    case detail::ReadStatus::kOpenFailed:
      return make_error(Errc::kIo, "cannot open registry file " + path,
                        "check the file's permissions");
    case detail::ReadStatus::kReadFailed:
      return make_error(Errc::kIo, "cannot read registry file " + path);
  }
  return load_toml_string(content, path);
}

const Organization* Registry::owner_of(std::string_view domain) const {
  if (domain_owner_.empty()) return nullptr;
  const auto host = detail::normalize_host(domain);
  if (!host) return nullptr;
  std::string key;  // reused: one allocation for the whole walk
  const Organization* found = nullptr;
  detail::any_self_or_parent(*host, [&](std::string_view candidate) {
    key.assign(candidate);
    const auto it = domain_owner_.find(key);
    if (it == domain_owner_.end()) return false;
    found = &orgs_[it->second];
    return true;
  });
  return found;
}

bool Registry::is_protected(std::string_view domain) const {
  if (protected_.empty()) return false;
  const auto host = detail::normalize_host(domain);
  if (!host) return false;
  std::string key;
  return detail::any_self_or_parent(*host, [&](std::string_view candidate) {
    key.assign(candidate);
    return protected_.count(key) != 0;
  });
}

bool Registry::is_vip_address(std::string_view address) const {
  if (vip_addresses_.empty()) return false;
  const auto norm = detail::normalize_address(address);
  return norm && vip_addresses_.count(*norm) != 0;
}

bool Registry::is_own_authserv_id(std::string_view authserv_id) const {
  if (authserv_ids_.empty() || authserv_id.empty()) return false;
  const auto host = detail::normalize_host(authserv_id);
  return host && authserv_ids_.count(*host) != 0;
}

}  // namespace renkei::registry
