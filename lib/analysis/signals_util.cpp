#include <algorithm>
#include <cctype>
#include <unordered_map>

#include "analysis/context.hpp"
#include "analysis/lexicon.hpp"

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
    while (!evidence.empty() && (static_cast<unsigned char>(evidence.back()) & 0xC0) == 0x80) evidence.pop_back();
    if (!evidence.empty() && static_cast<unsigned char>(evidence.back()) >= 0xC0) evidence.pop_back();
    evidence += "…";
  }
  a.signals.push_back({std::string(id), severity, std::move(evidence)});
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);  // ASCII only: locale-free and fast
  return out;
}

std::string registrable(std::string_view domain_or_host) {
  if (domain_or_host.empty()) return {};
  const std::string d = lower(domain_or_host);
  // The same few domains are asked about many times per message: a small per-thread cache keeps
  // libpsl out of the hot path. Cleared when full, so it stays bounded.
  constexpr std::size_t kCacheMax = 4096;
  thread_local std::unordered_map<std::string, std::string> cache;
  if (auto it = cache.find(d); it != cache.end()) return it->second;
  if (cache.size() >= kCacheMax) cache.clear();
  std::string reg = registry::registrable_domain(d);
  // Second-level registries that the Public Suffix List does not carry (Debian's list has "cc"
  // but not "com.cc"): when the registrable domain starts with a generic second-level label and
  // the host has more labels, the organisation's domain is one label longer.
  static const char* const kGeneric[] = {"com", "co", "net", "org", "ac", "or", "ne", "go", "gov", "edu", "gr", "ed", "lg"};
  const std::string first = reg.substr(0, reg.find('.'));
  bool generic = false;
  for (const char* g : kGeneric)
    if (first == g) generic = true;
  if (generic && d.size() > reg.size() + 1) {
    const std::size_t dot = d.size() - reg.size() - 1;  // the dot before reg
    const std::size_t start = dot == 0 ? std::string::npos : d.rfind('.', dot - 1);
    reg = d.substr(start == std::string::npos ? 0 : start + 1);
  }
  cache.emplace(d, reg);
  return reg;
}

std::string domain_of(std::string_view address) {
  const std::size_t at = address.rfind('@');
  return at == std::string_view::npos ? std::string() : lower(address.substr(at + 1));
}

std::string name_key(std::string_view name) {
  std::string n = lexicon::normalize(name, 512);
  // Honorifics and titles that do not change who is meant.
  static const char* const kDrop[] = {"様", "さま", "殿", "さん", "社長", "会長", "代表取締役", "取締役",
                                      "専務", "常務", "部長", "ceo", "cfo", "coo", "cto", "president",
                                      "chairman", "director", "mr.", "mrs.", "ms.", "dr.", "mr", "mrs",
                                      "ms", "dr"};
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
  for (std::size_t i = 0; i < n.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(n[i]);
    if (c == ' ' || c == ',' || c == '.' || c == '-' || c == '_' || c == '"' || c == '\'' || c == '(' ||
        c == ')' || c == '/' || c == '|') {
      flush();
      continue;
    }
    cur.push_back(n[i]);
  }
  flush();
  // Japanese honorific suffixes glued to the name.
  for (auto& t : tokens) {
    for (const char* d : kDrop) {
      const std::string_view dv(d);
      if (static_cast<unsigned char>(dv[0]) >= 0x80 && t.size() > dv.size() &&
          t.compare(t.size() - dv.size(), dv.size(), dv) == 0)
        t.erase(t.size() - dv.size());
    }
  }
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
  auto is_local = [](unsigned char c) { return std::isalnum(c) || c == '.' || c == '_' || c == '-' || c == '+'; };
  auto is_dom = [](unsigned char c) { return std::isalnum(c) || c == '.' || c == '-'; };
  while ((pos = text.find('@', pos)) != std::string_view::npos && out.size() < 200) {
    std::size_t b = pos;
    while (b > 0 && is_local(static_cast<unsigned char>(text[b - 1]))) --b;
    std::size_t e = pos + 1;
    while (e < text.size() && is_dom(static_cast<unsigned char>(text[e]))) ++e;
    while (e > pos + 1 && (text[e - 1] == '.' || text[e - 1] == '-')) --e;
    const std::string_view local = text.substr(b, pos - b);
    const std::string_view dom = text.substr(pos + 1, e - pos - 1);
    if (!local.empty() && dom.find('.') != std::string_view::npos) out.push_back(lower(std::string(local) + "@" + std::string(dom)));
    pos = e > pos ? e : pos + 1;
  }
  return out;
}

namespace {

// The label(s) left of the public suffix: "b-companys.com.cc" -> "b-companys".
std::string core_label(std::string_view reg) {
  const std::string suffix = registry::public_suffix(reg);
  if (suffix.empty() || suffix.size() + 1 >= reg.size()) return std::string(reg);
  return std::string(reg.substr(0, reg.size() - suffix.size() - 1));
}

// Folds visually confusable sequences to one form ("rn" -> "m", "vv" -> "w", digits -> letters).
std::string fold_confusables(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == 'r' && i + 1 < s.size() && s[i + 1] == 'n') {
      out.push_back('m');
      ++i;
    } else if (c == 'v' && i + 1 < s.size() && s[i + 1] == 'v') {
      out.push_back('w');
      ++i;
    } else if (c == 'c' && i + 1 < s.size() && s[i + 1] == 'l') {
      out.push_back('d');
      ++i;
    } else if (c == '0') {
      out.push_back('o');
    } else if (c == '1' || c == 'i') {
      out.push_back('l');
    } else if (c == '5') {
      out.push_back('s');
    } else if (c == '-' || c == '.' || c == '_') {
      // separators are ignored: "b-companys.com.cc" vs "b-companys-cc.com"
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t cap) {
  if (a.size() > b.size() + cap || b.size() > a.size() + cap) return cap + 1;
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    std::size_t row_min = cur[0];
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
      row_min = std::min(row_min, cur[j]);
    }
    if (row_min > cap) return cap + 1;
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

}  // namespace

std::string lookalike_technique(std::string_view candidate, std::string_view protected_domain) {
  const std::string c = lower(candidate), p = lower(protected_domain);
  if (c.empty() || p.empty() || c == p) return {};
  const std::string creg = registrable(c), preg = registrable(p);
  if (creg == preg) return {};
  // Same letters, separators moved: labels reordered, dots turned into hyphens.
  auto strip = [](std::string_view s) {
    std::string o;
    for (char ch : s)
      if (ch != '.' && ch != '-') o.push_back(ch);
    return o;
  };
  if (strip(creg) == strip(preg)) return "labels reordered or dots replaced by hyphens: " + preg + " → " + creg;
  // The same labels in another order ("b-company.co.jp" → "b-company-jp.co").
  auto labels = [](std::string_view s) {
    std::vector<std::string> out;
    std::string cur;
    for (char ch : s) {
      if (ch == '.' || ch == '-') {
        if (!cur.empty()) out.push_back(cur);
        cur.clear();
      } else {
        cur.push_back(ch);
      }
    }
    if (!cur.empty()) out.push_back(cur);
    std::sort(out.begin(), out.end());
    return out;
  };
  const std::string ccore = core_label(creg), pcore = core_label(preg);
  if (labels(creg) == labels(preg) && pcore.size() >= 4) return "top-level and sub-domain swapped: " + preg + " → " + creg;
  if (ccore.size() < 4 || pcore.size() < 4) return {};
  // Degenerate names ("xxxxxxxxx.com" in redacted samples) carry no identity to imitate.
  auto distinct_chars = [](std::string_view v) {
    std::string u(v);
    std::sort(u.begin(), u.end());
    return static_cast<std::size_t>(std::unique(u.begin(), u.end()) - u.begin());
  };
  if (distinct_chars(pcore) < 3 || distinct_chars(ccore) < 3) return {};
  const std::string fc = fold_confusables(ccore), fp = fold_confusables(pcore);
  if (fc == fp && ccore != pcore) return "look-alike characters (e.g. rn→m, 1→l, 0→o): " + preg + " → " + creg;
  // The protected name with the TLD glued on: "b-companys-cc" for "b-companys.com.cc".
  const std::string folded_c = fold_confusables(creg);
  const std::string folded_p = fold_confusables(preg);
  if (folded_c == folded_p) return "look-alike characters and separators changed: " + preg + " → " + creg;
  if (ccore == pcore) return "same name under another top-level domain: " + preg + " → " + creg;
  const std::size_t d = edit_distance(fc, fp, 2);
  if (d == 1 && fp.size() >= 5) return "one character changed, added or removed: " + preg + " → " + creg;
  if (d == 2 && fp.size() >= 9) return "two characters changed: " + preg + " → " + creg;
  if (fc.find(fp) != std::string::npos && fp.size() >= 6) return "name embedded in a longer domain: " + preg + " → " + creg;
  return {};
}

}  // namespace renkei::analysis
