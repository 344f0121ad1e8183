// renkei::registry — what the hub knows about identities: member organisations (domains,
// partner domains, executives), the shipped lists (free-mail, disposable, URL shorteners, bulk
// senders) and domain helpers (registrable domain via the Public Suffix List, IDN).
//
// Contract: Registry and Lists are immutable after construction and safe to share between
// threads. Lookups are O(1) hash lookups on lowercased registrable domains.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "util/result.hpp"

namespace renkei::registry {

struct Vip {
  std::string name;                    // Latin script, e.g. "Taro Yamada"
  std::string name_ja;                 // Japanese script, e.g. "山田太郎"
  std::string title;                   // "CEO"
  std::vector<std::string> addresses;  // real addresses, lowercased
};

struct Organization {
  std::string name;
  std::string name_ja;
  std::string industry;
  std::vector<std::string> domains;          // lowercased
  std::vector<std::string> partner_domains;  // lowercased
  // Optional: the authserv-ids its own receiving servers write into Authentication-Results
  // (RFC 8601 §5), lowercased. Results under these ids are the ones the engine believes.
  std::vector<std::string> authserv_ids;
  std::vector<Vip> vips;
};

class Registry {
 public:
  Registry() = default;
  explicit Registry(std::vector<Organization> orgs);

  // Loads the TOML file of SPEC 5. Errors name the file, the line and what to fix.
  static Result<Registry> load_toml_file(const std::string& path);
  static Result<Registry> load_toml_string(std::string_view toml, std::string_view source_name);

  const std::vector<Organization>& organizations() const { return orgs_; }
  bool empty() const { return orgs_.empty(); }

  // Domains are stored and matched in lowercase ASCII (punycode) form, without a trailing dot;
  // lookups accept any case and Unicode IDN.
  // Organisation that owns this domain (exact domain or a subdomain of it), or nullptr.
  const Organization* owner_of(std::string_view domain) const;
  // True when the domain is a member's or a partner's domain (or a subdomain of one).
  bool is_protected(std::string_view domain) const;
  // Every protected domain (members' and partners'), lowercased, deduplicated.
  const std::vector<std::string>& protected_domains() const { return protected_list_; }
  // Is this address a registered real address of some VIP?
  bool is_vip_address(std::string_view address) const;
  // Is this (any case) an authserv-id some organisation names as its own? False when none does.
  bool is_own_authserv_id(std::string_view authserv_id) const;
  bool has_authserv_ids() const { return !authserv_ids_.empty(); }

 private:
  void index();
  std::vector<Organization> orgs_;
  std::unordered_map<std::string, std::size_t> domain_owner_;  // domain -> org index
  std::unordered_set<std::string> protected_;
  std::vector<std::string> protected_list_;
  std::unordered_set<std::string> vip_addresses_;
  std::unordered_set<std::string> authserv_ids_;
};

// The shipped lists (data/lists/, with their licences; data/lists/README.md names the files).
class Lists {
 public:
  // Loads the lists from the data directory: $RENKEI_DATA_DIR, else the source tree's data/
  // (development builds), else the installed share/renkei; each must contain lists/. Loaded
  // once per process. When no directory is found the lists are empty and loaded() is false.
  static const Lists& builtin();
  // Loads the known list files from dir (a lists/ directory); files that are absent are skipped.
  // Errors: kNotFound when dir is not a directory, kParse (file:line) for a malformed file,
  // kLimit for a file beyond the size limit.
  static Result<Lists> load_dir(const std::string& dir);

  // Exact domain, or a match of a SpamAssassin wildcard entry ("yahoo.co*.*", "*.rr.com").
  bool is_freemail(std::string_view domain) const;
  // The domain or any parent domain is on a list (throw-away services use random subdomains).
  bool is_disposable(std::string_view domain) const;
  bool is_shortener(std::string_view host) const;
  // A customer's subdomain of a multi-tenant platform ("acme.zendesk.com", "x.onmicrosoft.com"):
  // anyone can open one, so the platform's DKIM signature says nothing about who writes.
  bool is_shared_platform_tenant(std::string_view domain) const;
  // A host where anyone can publish a page or file for free (docs.google.com, an S3 bucket, a
  // blogspot.com blog): the host or a parent domain is listed.
  bool is_user_content_host(std::string_view host) const;
  // Name of the bulk-mail service whose (bounce) domain this is, e.g. "SendGrid", or nullopt.
  // Matches the listed domain and its subdomains ("em1234.bounces.sendgrid.net").
  std::optional<std::string> bulk_sender(std::string_view domain) const;

  std::size_t freemail_count() const { return freemail_.size() + freemail_wildcards_.size(); }
  // True when at least one list file was read; the CLI warns when the lists are missing.
  bool loaded() const { return loaded_; }
  // The directory the lists were read from ("" when none).
  const std::string& source_dir() const { return source_dir_; }

 private:
  std::unordered_set<std::string> freemail_, disposable_, shorteners_, shared_platforms_,
      user_content_;
  std::vector<std::string> freemail_wildcards_;  // few dozen glob patterns, '*' and '?'
  std::unordered_map<std::string, std::string> bulk_;
  bool loaded_ = false;
  std::string source_dir_;
};

// Registrable domain ("eTLD+1") of a host via libpsl: "mail.b-company.co.jp" -> "b-company.co.jp".
// IDN hosts are answered in ASCII form ("食狮.com.cn" -> "xn--85x722f.com.cn"); a trailing dot is
// dropped. An unknown TLD follows the PSL's "*" rule (last two labels: "a.corp.local" ->
// "corp.local"). Returns the lowercased host itself when it is an IP literal, a public suffix
// ("co.jp") or malformed (empty labels).
std::string registrable_domain(std::string_view host);
// Public suffix of a host: "b-company.co.jp" -> "co.jp"; "" for IP literals and malformed hosts.
std::string public_suffix(std::string_view host);
// True when the public suffix of the host is on the PSL (not just the "*" default rule).
bool has_known_suffix(std::string_view host);

// IDN: "xn--80ak6aa92e.com" -> UTF-8 form; returns the input when it is not valid punycode.
std::string idn_to_unicode(std::string_view host);
// UTF-8 host -> ASCII (punycode) form, lowercased; returns "" when it cannot be converted.
std::string idn_to_ascii(std::string_view host);

}  // namespace renkei::registry
