#include "hub/redact.hpp"

#include <algorithm>
#include <set>

#include "hub/authz.hpp"
#include "registry/registry.hpp"
#include "util/text.hpp"

namespace renkei::hub {
namespace {

// Shorter registered strings (a two-letter VIP name) would hide words that name nobody.
constexpr std::size_t kMinHiddenBytes = 3;

// What a participant is told instead of evidence that names another participant's data.
std::string generic_evidence(std::string_view signal) {
  if (signal == "executive_impersonation")
    return "impersonates an executive of another participant (details for the hub's analysts)";
  if (signal.find("lookalike") != std::string_view::npos || signal == "idn_homograph")
    return "imitates a protected domain (details for the hub's analysts)";
  return "names data another participant registered (details for the hub's analysts)";
}

}  // namespace

AnalysisRedactor AnalysisRedactor::for_viewer(const model::Principal& who,
                                              const std::vector<model::Organization>& orgs) {
  AnalysisRedactor r;
  // The viewer's own registry data stays visible even where another organisation registered the
  // same string (their own partner domain registered by another member too).
  std::set<std::string> own;
  for (const auto& o : orgs) {
    if (authorize(who, Action::kReadRegistryData, o.id) != Decision::kAllow) continue;
    for (const auto* list : {&o.data.domains, &o.data.partner_domains})
      for (const auto& d : *list) {
        own.insert(util::ascii_lower(d));
        own.insert(util::ascii_lower(registry::idn_to_unicode(d)));
      }
  }
  std::set<std::string> hidden;
  auto hide = [&](std::string_view s) {
    std::string v = util::ascii_lower(util::trim(s));
    if (v.size() >= kMinHiddenBytes && !own.count(v)) hidden.insert(std::move(v));
  };
  for (const auto& o : orgs) {
    if (authorize(who, Action::kReadRegistryData, o.id) == Decision::kAllow) continue;
    hide(o.data.name);
    hide(o.data.name_ja);
    for (const auto* list : {&o.data.domains, &o.data.partner_domains})
      for (const auto& d : *list) {
        hide(d);
        hide(registry::idn_to_unicode(d));  // look-alike findings name IDNs in Unicode
      }
    for (const auto& v : o.data.vips) {
      hide(v.name);
      hide(v.name_ja);
      for (const auto& a : v.addresses) hide(a);
    }
  }
  r.hidden_.assign(hidden.begin(), hidden.end());
  return r;
}

bool AnalysisRedactor::names_hidden(std::string_view text) const {
  const std::string lower = util::ascii_lower(text);
  return std::any_of(hidden_.begin(), hidden_.end(),
                     [&](const std::string& h) { return lower.find(h) != std::string::npos; });
}

void AnalysisRedactor::apply(nlohmann::json& a) const {
  if (hidden_.empty() || !a.is_object()) return;
  if (auto it = a.find("signals"); it != a.end() && it->is_array())
    for (auto& s : *it) {
      if (!s.is_object() || !s.contains("evidence") || !s["evidence"].is_string()) continue;
      if (names_hidden(s["evidence"].get_ref<const std::string&>()))
        s["evidence"] = generic_evidence(s.value("id", std::string()));
    }
  if (auto it = a.find("lookalikes"); it != a.end() && it->is_array()) {
    // A finding of a hidden domain goes; one of the viewer's own domain (or partner domain) that
    // another member registered too stays without its owner.
    auto hidden = [&](const nlohmann::json& f, const char* key) {
      return f.contains(key) && f[key].is_string() &&
             names_hidden(f[key].get_ref<const std::string&>());
    };
    nlohmann::json kept = nlohmann::json::array();
    for (auto& f : *it) {
      if (!f.is_object() || hidden(f, "of")) continue;
      if (hidden(f, "owner")) f["owner"] = "";
      kept.push_back(std::move(f));
    }
    *it = std::move(kept);
  }
  // An indicator's disposition names what it imitates or who registered it: without the name a
  // look-alike stays the attacker's; that a domain is registered at all is registry data.
  if (auto it = a.find("indicators"); it != a.end() && it->is_array())
    for (auto& i : *it) {
      if (!i.is_object() || !i.contains("disposition_detail") ||
          !i["disposition_detail"].is_string() ||
          !names_hidden(i["disposition_detail"].get_ref<const std::string&>()))
        continue;
      i["disposition_detail"] = "";
      if (i.value("disposition_reason", std::string()) == "registered_domain") {
        i["disposition"] = "unknown";
        i["disposition_reason"] = "redacted";
      }
    }
}

}  // namespace renkei::hub
