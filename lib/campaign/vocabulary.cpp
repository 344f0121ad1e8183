#include "campaign/vocabulary.hpp"

#include <algorithm>
#include <array>
#include <unordered_map>

namespace renkei::campaign {
namespace {

struct Entry {
  std::string_view word;
  WordClass cls;
};

using C = WordClass;
// General vocabularies, not any one attacker's: words of mail infrastructure and its security,
// names of planets, moons, stars, constellations and space mythology, names of mail and office
// services, mailbox roles, and regions of a global company's infrastructure.
constexpr std::array kWords = {
    // mail infrastructure and its security
    Entry{"secure", C::kMailSecurity},
    Entry{"secured", C::kMailSecurity},
    Entry{"security", C::kMailSecurity},
    Entry{"sec", C::kMailSecurity},
    Entry{"ssl", C::kMailSecurity},
    Entry{"tls", C::kMailSecurity},
    Entry{"smtp", C::kMailSecurity},
    Entry{"mx", C::kMailSecurity},
    Entry{"mta", C::kMailSecurity},
    Entry{"gateway", C::kMailSecurity},
    Entry{"gw", C::kMailSecurity},
    Entry{"relay", C::kMailSecurity},
    Entry{"outbound", C::kMailSecurity},
    Entry{"inbound", C::kMailSecurity},
    Entry{"server", C::kMailSecurity},
    Entry{"servers", C::kMailSecurity},
    Entry{"srv", C::kMailSecurity},
    Entry{"encrypted", C::kMailSecurity},
    Entry{"encrypt", C::kMailSecurity},
    Entry{"encryption", C::kMailSecurity},
    Entry{"crypt", C::kMailSecurity},
    Entry{"protect", C::kMailSecurity},
    Entry{"protected", C::kMailSecurity},
    Entry{"protection", C::kMailSecurity},
    Entry{"shield", C::kMailSecurity},
    Entry{"guard", C::kMailSecurity},
    Entry{"filter", C::kMailSecurity},
    Entry{"intranet", C::kMailSecurity},
    Entry{"intern", C::kMailSecurity},
    Entry{"internal", C::kMailSecurity},
    Entry{"proxy", C::kMailSecurity},
    Entry{"resolver", C::kMailSecurity},
    Entry{"resolve", C::kMailSecurity},
    Entry{"exchange", C::kMailSecurity},
    Entry{"postmaster", C::kMailSecurity},
    Entry{"mail", C::kMailSecurity},
    Entry{"email", C::kMailSecurity},
    Entry{"host", C::kMailSecurity},
    Entry{"hosting", C::kMailSecurity},
    Entry{"network", C::kMailSecurity},
    Entry{"cert", C::kMailSecurity},
    Entry{"safe", C::kMailSecurity},
    Entry{"verify", C::kMailSecurity},
    Entry{"verified", C::kMailSecurity},
    Entry{"transport", C::kMailSecurity},
    Entry{"delivery", C::kMailSecurity},
    Entry{"route", C::kMailSecurity},
    Entry{"router", C::kMailSecurity},
    Entry{"node", C::kMailSecurity},
    Entry{"cluster", C::kMailSecurity},
    // celestial and space words
    Entry{"mercury", C::kCelestial},
    Entry{"venus", C::kCelestial},
    Entry{"mars", C::kCelestial},
    Entry{"jupiter", C::kCelestial},
    Entry{"saturn", C::kCelestial},
    Entry{"uranus", C::kCelestial},
    Entry{"neptune", C::kCelestial},
    Entry{"pluto", C::kCelestial},
    Entry{"luna", C::kCelestial},
    Entry{"moon", C::kCelestial},
    Entry{"titan", C::kCelestial},
    Entry{"europa", C::kCelestial},
    Entry{"ganymede", C::kCelestial},
    Entry{"callisto", C::kCelestial},
    Entry{"triton", C::kCelestial},
    Entry{"phobos", C::kCelestial},
    Entry{"deimos", C::kCelestial},
    Entry{"charon", C::kCelestial},
    Entry{"oberon", C::kCelestial},
    Entry{"ariel", C::kCelestial},
    Entry{"orion", C::kCelestial},
    Entry{"pegasus", C::kCelestial},
    Entry{"andromeda", C::kCelestial},
    Entry{"cassiopeia", C::kCelestial},
    Entry{"perseus", C::kCelestial},
    Entry{"draco", C::kCelestial},
    Entry{"lyra", C::kCelestial},
    Entry{"cygnus", C::kCelestial},
    Entry{"aquila", C::kCelestial},
    Entry{"hydra", C::kCelestial},
    Entry{"centaurus", C::kCelestial},
    Entry{"phoenix", C::kCelestial},
    Entry{"gemini", C::kCelestial},
    Entry{"virgo", C::kCelestial},
    Entry{"scorpius", C::kCelestial},
    Entry{"sagittarius", C::kCelestial},
    Entry{"aquarius", C::kCelestial},
    Entry{"pisces", C::kCelestial},
    Entry{"aries", C::kCelestial},
    Entry{"taurus", C::kCelestial},
    Entry{"libra", C::kCelestial},
    Entry{"sirius", C::kCelestial},
    Entry{"vega", C::kCelestial},
    Entry{"rigel", C::kCelestial},
    Entry{"polaris", C::kCelestial},
    Entry{"altair", C::kCelestial},
    Entry{"deneb", C::kCelestial},
    Entry{"betelgeuse", C::kCelestial},
    Entry{"antares", C::kCelestial},
    Entry{"arcturus", C::kCelestial},
    Entry{"capella", C::kCelestial},
    Entry{"aldebaran", C::kCelestial},
    Entry{"spica", C::kCelestial},
    Entry{"apollo", C::kCelestial},
    Entry{"artemis", C::kCelestial},
    Entry{"vulcan", C::kCelestial},
    Entry{"helios", C::kCelestial},
    Entry{"atlas", C::kCelestial},
    Entry{"nova", C::kCelestial},
    Entry{"nebula", C::kCelestial},
    Entry{"galaxy", C::kCelestial},
    Entry{"comet", C::kCelestial},
    Entry{"cosmos", C::kCelestial},
    Entry{"cosmic", C::kCelestial},
    Entry{"stellar", C::kCelestial},
    Entry{"solar", C::kCelestial},
    Entry{"astro", C::kCelestial},
    Entry{"zenith", C::kCelestial},
    Entry{"eclipse", C::kCelestial},
    Entry{"orbit", C::kCelestial},
    Entry{"meteor", C::kCelestial},
    Entry{"hercules", C::kCelestial},
    Entry{"leo", C::kCelestial},
    // mail and office services
    Entry{"outlook", C::kService},
    Entry{"office", C::kService},
    Entry{"microsoft", C::kService},
    Entry{"msoffice", C::kService},
    Entry{"mobile", C::kService},
    Entry{"iphone", C::kService},
    Entry{"android", C::kService},
    Entry{"webmail", C::kService},
    Entry{"online", C::kService},
    Entry{"portal", C::kService},
    Entry{"cloud", C::kService},
    Entry{"live", C::kService},
    Entry{"hotmail", C::kService},
    Entry{"teams", C::kService},
    Entry{"sharepoint", C::kService},
    Entry{"onedrive", C::kService},
    Entry{"docs", C::kService},
    Entry{"drive", C::kService},
    Entry{"app", C::kService},
    Entry{"apps", C::kService},
    Entry{"web", C::kService},
    Entry{"net", C::kService},
    Entry{"link", C::kService},
    Entry{"connect", C::kService},
    // mailbox roles
    Entry{"board", C::kRole},
    Entry{"ceo", C::kRole},
    Entry{"exec", C::kRole},
    Entry{"executive", C::kRole},
    Entry{"director", C::kRole},
    Entry{"admin", C::kRole},
    Entry{"info", C::kRole},
    Entry{"support", C::kRole},
    Entry{"noreply", C::kRole},
    Entry{"reply", C::kRole},
    Entry{"contact", C::kRole},
    Entry{"service", C::kRole},
    Entry{"billing", C::kRole},
    Entry{"account", C::kRole},
    Entry{"accounts", C::kRole},
    Entry{"finance", C::kRole},
    Entry{"payroll", C::kRole},
    Entry{"hr", C::kRole},
    Entry{"sales", C::kRole},
    Entry{"office", C::kRole},
    Entry{"team", C::kRole},
    Entry{"desk", C::kRole},
    Entry{"help", C::kRole},
    Entry{"notice", C::kRole},
    Entry{"notification", C::kRole},
    Entry{"alert", C::kRole},
    Entry{"user", C::kRole},
    // regions
    Entry{"asia", C::kRegion},
    Entry{"eu", C::kRegion},
    Entry{"us", C::kRegion},
    Entry{"uk", C::kRegion},
    Entry{"emea", C::kRegion},
    Entry{"apac", C::kRegion},
    Entry{"jp", C::kRegion},
    Entry{"global", C::kRegion},
    Entry{"intl", C::kRegion},
    Entry{"east", C::kRegion},
    Entry{"west", C::kRegion},
    Entry{"north", C::kRegion},
    Entry{"south", C::kRegion},
    Entry{"europe", C::kRegion},
    Entry{"america", C::kRegion},
};

const std::unordered_map<std::string_view, WordClass>& table() {
  static const auto* t = [] {
    auto* m = new std::unordered_map<std::string_view, WordClass>();
    for (const auto& e : kWords) m->emplace(e.word, e.cls);  // first class wins ("office")
    return m;
  }();
  return *t;
}

constexpr std::size_t kMaxWord = 12;  // the longest word above ("sagittarius", "notification")

bool is_lower_alpha(char c) {
  return c >= 'a' && c <= 'z';
}

// Covers `run` entirely with known words, preferring fewer, longer words (dynamic programming
// over prefixes; runs are short: labels are at most 63 bytes).
std::vector<Segment> cover(std::string_view run) {
  const auto& t = table();
  const std::size_t n = run.size();
  constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  std::vector<std::size_t> best(n + 1, kNone), from(n + 1, 0);
  best[0] = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (best[i] == kNone) continue;
    for (std::size_t len = std::min(kMaxWord, n - i); len >= 2; --len) {
      if (t.find(run.substr(i, len)) == t.end()) continue;
      if (best[i] + 1 < best[i + len]) {
        best[i + len] = best[i] + 1;
        from[i + len] = i;
      }
    }
  }
  if (best[n] == kNone) return {Segment{std::string(run), WordClass::kNone}};
  std::vector<Segment> out;
  for (std::size_t end = n; end > 0; end = from[end]) {
    const std::string_view w = run.substr(from[end], end - from[end]);
    out.push_back(Segment{std::string(w), t.at(w)});
  }
  std::reverse(out.begin(), out.end());
  return out;
}

}  // namespace

std::string_view word_class_name(WordClass c) {
  switch (c) {
    case WordClass::kMailSecurity:
      return "mailsec";
    case WordClass::kCelestial:
      return "celestial";
    case WordClass::kService:
      return "service";
    case WordClass::kRole:
      return "role";
    case WordClass::kRegion:
      return "region";
    case WordClass::kNone:
      break;
  }
  return "none";
}

WordClass classify_word(std::string_view lower_word) {
  const auto& t = table();
  const auto it = t.find(lower_word);
  return it == t.end() ? WordClass::kNone : it->second;
}

std::vector<Segment> segment(std::string_view lower) {
  std::vector<Segment> out;
  std::size_t i = 0;
  while (i < lower.size()) {
    if (!is_lower_alpha(lower[i])) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < lower.size() && is_lower_alpha(lower[j])) ++j;
    const std::string_view run = lower.substr(i, j - i);
    if (run.size() <= 63) {
      for (auto& s : cover(run)) out.push_back(std::move(s));
    } else {
      out.push_back(Segment{std::string(run.substr(0, 63)), WordClass::kNone});
    }
    i = j;
  }
  return out;
}

bool looks_generated(std::string_view label) {
  std::size_t letters = 0, vowels = 0, run = 0, longest_run = 0;
  for (const char c : label) {
    if (!is_lower_alpha(c)) {
      if (c >= '0' && c <= '9') continue;
      return false;  // hyphenated labels are written by people
    }
    ++letters;
    const bool vowel = c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
    if (vowel) {
      ++vowels;
      run = 0;
    } else {
      longest_run = std::max(longest_run, ++run);
    }
  }
  if (letters < 6) return false;
  const auto seg = cover(label);
  if (seg.size() > 1 || seg.front().cls != WordClass::kNone) return false;
  return vowels * 5 < letters || longest_run >= 5;
}

}  // namespace renkei::campaign
