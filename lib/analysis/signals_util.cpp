#include <algorithm>
#include <cctype>
#include <unordered_map>

#include "analysis/context.hpp"
#include "analysis/lexicon.hpp"
#include "lookalike/lookalike.hpp"

namespace renkei::analysis {

void Context::add(std::string_view id, std::string evidence) {
  const SignalInfo* info = find_signal(id);
  add(id, info ? info->severity : Severity::kLow, std::move(evidence));
}

void Context::add(std::string_view id, Severity severity, std::string evidence) {
  for (auto& s : a.signals) {
    if (s.id == id) {  // one signal per id; keep the strongest severity
      if (severity > s.severity) {
        s.severity = severity;
        s.evidence = std::move(evidence);
      }
      return;
    }
  }
  if (evidence.size() > 600) {
    evidence.resize(600);
    while (!evidence.empty() && (static_cast<unsigned char>(evidence.back()) & 0xC0) == 0x80)
      evidence.pop_back();
    if (!evidence.empty() && static_cast<unsigned char>(evidence.back()) >= 0xC0)
      evidence.pop_back();
    evidence += "…";
  }
  a.signals.push_back({std::string(id), severity, std::move(evidence)});
}

// A mail gateway's URL rewriter (Microsoft Safe Links, Proofpoint URL Defense, Mimecast) puts its
// own host in front of every link of the mail it protects; the link is the target it wraps.
bool gateway_rewriter(std::string_view host) {
  constexpr std::string_view kSafeLinks = ".safelinks.protection.outlook.com";
  const std::string h = util::ascii_lower(host);
  const std::string reg = registrable(h);
  return (h.size() > kSafeLinks.size() &&
          h.compare(h.size() - kSafeLinks.size(), kSafeLinks.size(), kSafeLinks) == 0) ||
         reg == "urldefense.com" || h == "urldefense.proofpoint.com" ||
         (reg == "mimecast.com" && h.rfind("protect", 0) == 0);
}

// The host of the link a gateway rewriter wraps, "" when it cannot be read (Mimecast's are
// opaque). Safe Links: `?url=https%3A%2F%2Fhost…`; URL Defense v3: `/v3/__https://host…__;`;
// URL Defense v2: `?u=https-3A__host…`.
std::string wrapped_host(std::string_view url) {
  std::string u = util::ascii_lower(url);
  const std::size_t scheme_end = u.find("://");
  const std::size_t from = scheme_end == std::string::npos ? 0 : scheme_end + 3;
  const std::size_t at = u.find("http", from);
  if (at == std::string::npos) return {};
  std::string t = u.substr(at, 512);
  auto replace_all = [&](std::string_view what, std::string_view with) {
    for (std::size_t k = t.find(what); k != std::string::npos; k = t.find(what, k + with.size()))
      t.replace(k, what.size(), with);
  };
  replace_all("%3a", ":");
  replace_all("%2f", "/");
  // URL Defense v2 writes '/' as '_' (and '_' as "-5F"): the host ends at the first '_'.
  if (const std::size_t v2 = t.find("-3a__"); v2 != std::string::npos) {
    t.replace(v2, 5, "://");
    for (std::size_t k = v2 + 3; k < t.size(); ++k)
      if (t[k] == '_') t[k] = '/';
  }
  return content::url_host(t);
}

std::string registrable(std::string_view domain_or_host) {
  if (domain_or_host.empty()) return {};
  const std::string d = util::ascii_lower(domain_or_host);
  // The same few domains are asked about many times per message: a small per-thread cache keeps
  // libpsl out of the hot path. Cleared when full, so it stays bounded.
  constexpr std::size_t kCacheMax = 4096;
  thread_local std::unordered_map<std::string, std::string> cache;
  if (auto it = cache.find(d); it != cache.end()) return it->second;
  if (cache.size() >= kCacheMax) cache.clear();
  // The organisational domain (PSL, one label longer under generic second-level labels the PSL
  // lacks: "com.cc"); IP literals and unusable names answer as the PSL helper does.
  std::string reg = lookalike::organizational_domain(d);
  if (reg.empty()) reg = registry::registrable_domain(d);
  cache.emplace(d, reg);
  return reg;
}

std::string domain_of(std::string_view address) {
  const std::size_t at = address.rfind('@');
  return at == std::string_view::npos ? std::string() : util::ascii_lower(address.substr(at + 1));
}

std::vector<std::string> name_tokens(std::string_view normalized) {
  // Honorifics and titles that do not change who is meant.
  static const char* const kDrop[] = {
      "様",   "さま", "殿",  "さん", "社長", "会長", "代表取締役", "取締役",   "専務",
      "常務", "部長", "ceo", "cfo",  "coo",  "cto",  "president",  "chairman", "director",
      "mr.",  "mrs.", "ms.", "dr.",  "mr",   "mrs",  "ms",         "dr"};
  std::vector<std::string> tokens;
  std::string cur;
  auto flush = [&] {
    if (cur.empty()) return;
    bool drop = false;
    for (const char* d : kDrop)
      if (cur == d) drop = true;
    if (!drop) tokens.push_back(cur);
    cur.clear();
  };
  for (const char ch : normalized) {
    const unsigned char c = static_cast<unsigned char>(ch);
    if (c == ' ' || c == ',' || c == '.' || c == '-' || c == '_' || c == '"' || c == '\'' ||
        c == '(' || c == ')' || c == '/' || c == '|' || c == '<' || c == '>' || c == '[' ||
        c == ']' || c == ':' || c == ';') {
      flush();
      continue;
    }
    cur.push_back(ch);
  }
  flush();
  // Japanese titles and honorifics glued to the name, on either side ("代表取締役社長山田太郎様").
  for (auto& t : tokens) {
    for (bool changed = true; changed;) {
      changed = false;
      for (const char* d : kDrop) {
        const std::string_view dv(d);
        if (static_cast<unsigned char>(dv[0]) < 0x80 || t.size() <= dv.size()) continue;
        if (t.compare(t.size() - dv.size(), dv.size(), dv) == 0) {
          t.erase(t.size() - dv.size());
          changed = true;
        } else if (t.compare(0, dv.size(), dv) == 0) {
          t.erase(0, dv.size());
          changed = true;
        }
      }
    }
  }
  return tokens;
}

std::string key_of_tokens(std::vector<std::string> tokens) {
  // Latin names are compared order-free ("Yamada Taro" == "Taro Yamada"); Japanese names keep
  // their order (family name first), only the spaces between them go.
  bool latin = true;
  for (const auto& t : tokens)
    for (char c : t)
      if (static_cast<unsigned char>(c) >= 0x80) latin = false;
  if (latin) std::sort(tokens.begin(), tokens.end());
  std::string key;
  for (const auto& t : tokens) key += t;
  return key;
}

std::string name_key(std::string_view name) {
  return key_of_tokens(name_tokens(lexicon::normalize(name, 512)));
}

bool name_contains(std::string_view display, std::string_view person) {
  if (person.empty() || display.empty()) return false;
  const std::string d = lexicon::normalize(display, 1024), p = lexicon::normalize(person, 256);
  auto tokens = [](const std::string& s) {
    std::vector<std::string> out;
    std::string cur;
    for (char c : s) {
      const auto u = static_cast<unsigned char>(c);
      if (u < 0x80 && !std::isalnum(u)) {
        if (!cur.empty()) out.push_back(cur);
        cur.clear();
      } else {
        cur.push_back(c);
      }
    }
    if (!cur.empty()) out.push_back(cur);
    return out;
  };
  const auto pt = tokens(p);
  if (pt.empty()) return false;
  bool latin = true;
  for (char c : p)
    if (static_cast<unsigned char>(c) >= 0x80) latin = false;
  if (!latin) {
    // Japanese: the name without spaces inside the display name without spaces.
    std::string ds, ps;
    for (char c : d)
      if (c != ' ') ds.push_back(c);
    for (const auto& t : pt) ps += t;
    return ds.find(ps) != std::string::npos;
  }
  const auto dt = tokens(d);
  for (const auto& t : pt)
    if (std::find(dt.begin(), dt.end(), t) == dt.end()) return false;
  return true;
}

std::vector<std::string> addresses_in(std::string_view text) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  auto is_local = [](unsigned char c) {
    return std::isalnum(c) || c == '.' || c == '_' || c == '-' || c == '+';
  };
  auto is_dom = [](unsigned char c) { return std::isalnum(c) || c == '.' || c == '-'; };
  while ((pos = text.find('@', pos)) != std::string_view::npos && out.size() < 200) {
    std::size_t b = pos;
    while (b > 0 && is_local(static_cast<unsigned char>(text[b - 1]))) --b;
    std::size_t e = pos + 1;
    while (e < text.size() && is_dom(static_cast<unsigned char>(text[e]))) ++e;
    while (e > pos + 1 && (text[e - 1] == '.' || text[e - 1] == '-')) --e;
    const std::string_view local = text.substr(b, pos - b);
    const std::string_view dom = text.substr(pos + 1, e - pos - 1);
    if (!local.empty() && dom.find('.') != std::string_view::npos)
      out.push_back(util::ascii_lower(std::string(local) + "@" + std::string(dom)));
    pos = e > pos ? e : pos + 1;
  }
  return out;
}

std::string lookalike_technique(std::string_view candidate, std::string_view protected_domain) {
  const auto m = lookalike::classify(candidate, protected_domain);
  return m ? m->explanation : std::string();
}

}  // namespace renkei::analysis
