// Domain helpers: Public Suffix List (libpsl) and IDN (libidn2).
#include <idn2.h>
#include <libpsl.h>

#include <algorithm>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "registry/detail.hpp"
#include "registry/registry.hpp"

namespace renkei::registry {
namespace {

struct PslFree {
  void operator()(psl_ctx_t* ctx) const { psl_free(ctx); }
};
struct Idn2Free {
  void operator()(char* p) const { idn2_free(p); }
};
using Idn2String = std::unique_ptr<char, Idn2Free>;

// One context for the process: psl_latest() picks the newer of the distribution's list
// (Debian's publicsuffix package) and the copy built into libpsl. Lookups on it are thread-safe.
const psl_ctx_t* psl() {
  static const std::unique_ptr<psl_ctx_t, PslFree> ctx(psl_latest(nullptr));
  return ctx.get();
}

bool is_label_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

// Malformed names (empty labels, leading dot) are not looked up in the PSL: libpsl would answer
// for the part after the empty label, which names something the input does not.
bool has_empty_label(std::string_view host) {
  return host.empty() || host.front() == '.' || host.back() == '.' ||
         host.find("..") != std::string_view::npos;
}

// Fallback when no PSL context could be loaded: the "*" default rule, i.e. the last two labels.
std::string last_two_labels(std::string_view host) {
  const auto last = host.rfind('.');
  if (last == std::string_view::npos || last == 0) return std::string(host);
  const auto prev = host.rfind('.', last - 1);
  return std::string(prev == std::string_view::npos ? host : host.substr(prev + 1));
}

// Lowercased, trimmed, without the root dot; IDN in ASCII form. Empty when unusable.
struct Prepared {
  std::string host;  // the form handed to libpsl
  bool lookup_ok = false;
};

Prepared prepare(std::string_view input) {
  Prepared p;
  std::string_view h = util::trim_c_space(input);
  if (!h.empty() && h.back() == '.') h.remove_suffix(1);
  p.host = util::ascii_lower(h);
  if (p.host.empty() || detail::is_ip_literal(p.host)) return p;
  if (!util::is_ascii(p.host)) {
    std::string ascii = idn_to_ascii(p.host);
    if (ascii.empty()) return p;
    p.host = std::move(ascii);
  }
  p.lookup_ok = p.host.size() <= detail::kMaxHostBytes && !has_empty_label(p.host);
  return p;
}

}  // namespace

namespace detail {

bool is_ip_literal(std::string_view host) {
  if (host.empty()) return false;
  if (host.front() == '[') return true;                       // RFC 5321 address literal
  if (host.find(':') != std::string_view::npos) return true;  // IPv6
  // Dotted IPv4 (or any all-numeric dotted name, which is never a registrable domain).
  return std::all_of(host.begin(), host.end(),
                     [](char c) { return (c >= '0' && c <= '9') || c == '.'; }) &&
         host.find_first_of("0123456789") != std::string_view::npos;
}

std::optional<std::string> normalize_host(std::string_view host) {
  std::string_view h = util::trim_c_space(host);
  if (h.size() > kMaxHostInputBytes) return std::nullopt;
  if (!h.empty() && h.back() == '.') h.remove_suffix(1);
  if (h.empty()) return std::nullopt;
  std::string out = util::ascii_lower(h);
  if (!util::is_ascii(out)) {
    out = idn_to_ascii(out);
    if (out.empty()) return std::nullopt;
  }
  if (out.size() > kMaxHostBytes) return std::nullopt;
  return out;
}

bool is_valid_hostname(std::string_view host) {
  if (host.empty() || host.size() > kMaxHostBytes || is_ip_literal(host)) return false;
  std::size_t start = 0;
  while (start <= host.size()) {
    auto end = host.find('.', start);
    if (end == std::string_view::npos) end = host.size();
    const std::string_view label = host.substr(start, end - start);
    if (label.empty() || label.size() > kMaxLabelBytes) return false;
    if (label.front() == '-' || label.back() == '-') return false;
    if (!std::all_of(label.begin(), label.end(), is_label_char)) return false;
    start = end + 1;
  }
  return true;
}

bool is_public_suffix(std::string_view ascii_host) {
  const psl_ctx_t* ctx = psl();
  const std::string h(ascii_host);
  if (ctx == nullptr) return h.find('.') == std::string::npos;
  return psl_is_public_suffix(ctx, h.c_str()) != 0;
}

bool is_icann_suffix(std::string_view ascii_host) {
  const psl_ctx_t* ctx = psl();
  const std::string h(ascii_host);
  if (ctx == nullptr) return h.find('.') == std::string::npos;
  return psl_is_public_suffix2(ctx, h.c_str(), PSL_TYPE_ICANN) != 0;
}

std::optional<std::string> normalize_address(std::string_view address) {
  std::string_view a = util::trim_c_space(address);
  if (a.size() >= 2 && a.front() == '<' && a.back() == '>')
    a = util::trim_c_space(a.substr(1, a.size() - 2));
  const auto at = a.rfind('@');
  if (at == std::string_view::npos || at == 0) return std::nullopt;
  auto domain = normalize_host(a.substr(at + 1));
  if (!domain) return std::nullopt;
  std::string out = util::ascii_lower(a.substr(0, at));
  out += '@';
  out += *domain;
  return out;
}

}  // namespace detail

std::string registrable_domain(std::string_view host) {
  const Prepared p = prepare(host);
  if (!p.lookup_ok) return p.host;
  const psl_ctx_t* ctx = psl();
  if (ctx == nullptr) return last_two_labels(p.host);
  const char* reg = psl_registrable_domain(ctx, p.host.c_str());
  // nullptr: the host is itself a public suffix ("co.jp"), so it has no registrable part.
  return reg == nullptr ? p.host : std::string(reg);
}

namespace {

// public_suffix() is asked about the same few hosts many times per message (the sender, every
// link, each look-alike check splits a host into its suffix and the rest) and each answer costs a
// walk of libpsl's tables: remember the answers per thread. Bounded, forgotten wholesale when full;
// the PSL does not change while the process runs.
constexpr std::size_t kSuffixMemoEntries = 4096;
constexpr std::size_t kSuffixMemoKeyBytes = 255;

std::string compute_public_suffix(std::string_view host) {
  const Prepared p = prepare(host);
  if (!p.lookup_ok) return {};
  const psl_ctx_t* ctx = psl();
  if (ctx == nullptr) {
    const auto last = p.host.rfind('.');
    return last == std::string::npos ? p.host : p.host.substr(last + 1);
  }
  const char* suffix = psl_unregistrable_domain(ctx, p.host.c_str());
  return suffix == nullptr ? std::string{} : std::string(suffix);
}

}  // namespace

std::string public_suffix(std::string_view host) {
  if (host.size() > kSuffixMemoKeyBytes) return compute_public_suffix(host);
  thread_local std::unordered_map<std::string, std::string> memo;
  std::string key(host);
  if (const auto it = memo.find(key); it != memo.end()) return it->second;
  if (memo.size() >= kSuffixMemoEntries) memo.clear();
  std::string suffix = compute_public_suffix(host);
  memo.emplace(std::move(key), suffix);
  return suffix;
}

bool has_known_suffix(std::string_view host) {
  const std::string suffix = public_suffix(host);
  const psl_ctx_t* ctx = psl();
  if (suffix.empty() || ctx == nullptr) return false;
  // PSL_TYPE_NO_STAR_RULE: a suffix that is public only through the implicit "*" rule (an
  // unknown TLD such as ".example" or ".local") does not count as known.
  return psl_is_public_suffix2(ctx, suffix.c_str(), PSL_TYPE_ANY | PSL_TYPE_NO_STAR_RULE) != 0;
}

std::string idn_to_ascii(std::string_view host) {
  if (host.size() > detail::kMaxHostInputBytes) return {};
  if (util::is_ascii(host)) return util::ascii_lower(host);
  const std::string in(host);
  if (in.find('\0') != std::string::npos) return {};
  char* raw = nullptr;
  // UTS #46 non-transitional processing is what browsers do today ("faß.de" stays "faß");
  // transitional processing still converts names that IDNA2008 disallows, such as emoji.
  int rc = idn2_to_ascii_8z(in.c_str(), &raw, IDN2_NONTRANSITIONAL);
  Idn2String out(raw);
  if (rc != IDN2_OK) {
    raw = nullptr;
    rc = idn2_to_ascii_8z(in.c_str(), &raw, IDN2_TRANSITIONAL);
    out.reset(raw);
  }
  if (rc != IDN2_OK || out == nullptr) return {};
  return util::ascii_lower(out.get());
}

std::string idn_to_unicode(std::string_view host) {
  if (host.size() > detail::kMaxHostInputBytes) return std::string(host);
  const std::string lower = util::ascii_lower(host);
  if (!util::is_ascii(lower) || lower.find("xn--") == std::string::npos) return std::string(host);
  if (lower.find('\0') != std::string::npos) return std::string(host);
  char* raw = nullptr;
  const int rc = idn2_to_unicode_8z8z(lower.c_str(), &raw, 0);
  Idn2String out(raw);
  if (rc != IDN2_OK || out == nullptr) return std::string(host);
  std::string unicode(out.get());
  // libidn2 decodes some invalid A-labels to garbage ("xn--a" -> ""); a decoding only counts
  // when it converts back to the same ASCII form.
  if (idn_to_ascii(unicode) != lower) return std::string(host);
  return unicode;
}

}  // namespace renkei::registry
