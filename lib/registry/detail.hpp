// Internal helpers shared by registry.cpp, lists.cpp and domains.cpp. Not part of the module's
// contract: other modules use registry.hpp only.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "util/text.hpp"

namespace renkei::registry::detail {

// DNS limit on a name in its ASCII form (RFC 1035 2.3.4, without the root dot).
inline constexpr std::size_t kMaxHostBytes = 253;
// Longest label (RFC 1035).
inline constexpr std::size_t kMaxLabelBytes = 63;
// Unicode input is longer than its ASCII form only by a bounded factor; anything beyond this is
// not a host name and is rejected before it reaches libidn2 or libpsl.
inline constexpr std::size_t kMaxHostInputBytes = 1024;

// "1.2.3.4", "[1.2.3.4]", "[IPv6:...]", "::1": hosts that are addresses, not names.
bool is_ip_literal(std::string_view host);

// Lookup form of a host: trimmed, lowercased, one trailing dot removed, IDN converted to its
// ASCII (punycode) form. nullopt when empty, too long or not convertible.
std::optional<std::string> normalize_host(std::string_view host);

// Strict check of an already normalized host: non-empty labels of [a-z0-9_-] of at most 63
// bytes, at most 253 bytes in all, no leading or trailing hyphen in a label, not an IP literal.
bool is_valid_hostname(std::string_view ascii_host);

// True when the (normalized) host is itself a public suffix: "co.jp", "com", or a name with
// an unknown TLD and a single label ("example").
bool is_public_suffix(std::string_view ascii_host);
// A suffix of the PSL's ICANN section ("com", "co.jp"); the private section's suffixes
// ("blogspot.com", "s3.amazonaws.com") are not.
bool is_icann_suffix(std::string_view ascii_host);

// Lookup form of an e-mail address: trimmed, without surrounding <>, local part lowercased,
// domain normalized as above. nullopt when there is no '@' or the domain is not a host.
std::optional<std::string> normalize_address(std::string_view address);

enum class ReadStatus { kOk, kOpenFailed, kReadFailed, kTooLarge };
// Reads a whole file into out, stopping with kTooLarge once it exceeds max_bytes.
ReadStatus read_file(const std::filesystem::path& path, std::size_t max_bytes, std::string& out);

// "a.b.example.com" -> "b.example.com"; "" when no dot is left to strip.
inline std::string_view parent_domain(std::string_view host) {
  const auto dot = host.find('.');
  return dot == std::string_view::npos ? std::string_view{} : host.substr(dot + 1);
}

// Calls f(candidate) for the host and each parent domain that still has at least two labels
// (a bare TLD is never a candidate); stops early when f returns true. Returns whether it did.
template <typename F>
bool any_self_or_parent(std::string_view host, F&& f) {
  std::string_view cur = host;
  while (!cur.empty()) {
    if (f(cur)) return true;
    cur = parent_domain(cur);
    if (cur.find('.') == std::string_view::npos) break;
  }
  return false;
}

}  // namespace renkei::registry::detail
