#include "analysis/identity.hpp"

#include <algorithm>

#include "analysis/brands.hpp"
#include "analysis/context.hpp"
#include "analysis/lexicon.hpp"

namespace renkei::analysis {
namespace {

// Display names longer than this are cut before the name search (a display name is a phrase;
// attackers pad it to hide the address, not to carry more names).
constexpr std::size_t kMaxDisplayBytes = 512;
// A name is at most this many tokens ("Jean-Claude van Damme" is 4 after splitting).
constexpr std::size_t kMaxNameTokens = 4;

bool is_latin(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

}  // namespace

Identity::Identity(const registry::Registry* registry) : registry_(registry) {
  if (registry_ == nullptr) return;
  for (const auto& d : registry_->protected_domains()) domains_.add(d);
  for (const auto& org : registry_->organizations()) {
    for (const auto& vip : org.vips) {
      for (const std::string* n : {&vip.name, &vip.name_ja}) {
        if (n->empty()) continue;
        const std::string key = name_key(*n);
        if (key.size() < 4) continue;  // "Li" alone would match half the world
        auto& refs = vips_[key];
        if (std::none_of(refs.begin(), refs.end(), [&](const VipRef& r) { return r.vip == &vip; }))
          refs.push_back({&org, &vip});
        max_key_bytes_ = std::max(max_key_bytes_, key.size());
      }
    }
  }
}

const std::vector<VipRef>* Identity::vips_with_key(const std::string& key) const {
  const auto it = vips_.find(key);
  return it == vips_.end() ? nullptr : &it->second;
}

std::vector<VipRef> Identity::vips_named_in(std::string_view display) const {
  std::vector<VipRef> out;
  if (vips_.empty() || display.empty()) return out;
  const auto tokens =
      name_tokens(lexicon::normalize(display.substr(0, kMaxDisplayBytes), kMaxDisplayBytes));
  auto take = [&](const std::string& key) {
    if (key.size() > max_key_bytes_) return;
    if (const auto* refs = vips_with_key(key))
      for (const auto& r : *refs)
        if (std::none_of(out.begin(), out.end(), [&](const VipRef& o) { return o.vip == r.vip; }))
          out.push_back(r);
  };
  // Runs of consecutive tokens: "Yamada Taro", "Taro Yamada (CEO)", "山田 太郎".
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    std::vector<std::string> run;
    for (std::size_t j = i; j < tokens.size() && run.size() < kMaxNameTokens; ++j) {
      if (tokens[j].size() == 1 && is_latin(tokens[j])) continue;  // initials: "Taro K. Yamada"
      run.push_back(tokens[j]);
      take(key_of_tokens(run));
    }
  }
  // Japanese names glued to other words ("経理部山田太郎"): every substring of a non-Latin token,
  // on character boundaries, as long as the longest key.
  for (const auto& t : tokens) {
    if (is_latin(t)) continue;
    for (std::size_t b = 0; b < t.size(); ++b) {
      if ((static_cast<unsigned char>(t[b]) & 0xC0) == 0x80) continue;
      for (std::size_t e = b + 1; e <= t.size() && e - b <= max_key_bytes_; ++e) {
        if (e < t.size() && (static_cast<unsigned char>(t[e]) & 0xC0) == 0x80) continue;
        if (b == 0 && e == t.size()) continue;  // the whole token was tried above
        take(t.substr(b, e - b));
      }
    }
  }
  return out;
}

const lookalike::Index& brand_domains() {
  static const lookalike::Index index = [] {
    lookalike::Index ix;
    for (const Brand& b : brands())
      for (std::string_view d : b.domains) ix.add(d);
    return ix;
  }();
  return index;
}

}  // namespace renkei::analysis
