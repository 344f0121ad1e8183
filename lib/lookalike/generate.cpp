// generate(): the dnstwist-style variants of a domain, one technique at a time.
//
// The organisational domain is split into its name (first label) and its suffix (the rest, which
// is the public suffix or, under generic second-level labels such as "com.cc", one label more).
// The character techniques work on the name in Unicode form, one code point per unit, so that an
// IDN name ("xn--…") is mutated like its readers see it; every candidate is then turned back into
// ASCII (punycode), checked as a DNS name and deduplicated across techniques.
#include <algorithm>
#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "lookalike/lookalike.hpp"
#include "lookalike/tables.hpp"
#include "registry/registry.hpp"
#include "util/text.hpp"

namespace renkei::lookalike {
namespace {

constexpr std::size_t kMaxDomainBytes = 253;
constexpr std::size_t kMaxLabelBytes = 63;
// Suffixes that label-reorder puts a glued name under, besides the suffix's own last label and
// the suffix itself.
constexpr std::array<std::string_view, 3> kReorderTargets{"com", "net", "co"};
constexpr std::string_view kAdditionChars = "abcdefghijklmnopqrstuvwxyz0123456789";

// Splits UTF-8 into code points (invalid bytes become units of their own; they fail IDNA later).
std::vector<std::string> split_units(std::string_view s) {
  std::vector<std::string> units;
  std::size_t i = 0;
  while (i < s.size()) {
    const auto lead = static_cast<unsigned char>(s[i]);
    std::size_t len = 1;
    if (lead >= 0xF0) {
      len = 4;
    } else if (lead >= 0xE0) {
      len = 3;
    } else if (lead >= 0xC0) {
      len = 2;
    }
    len = std::min(len, s.size() - i);
    units.emplace_back(s.substr(i, len));
    i += len;
  }
  return units;
}

std::string join(const std::vector<std::string>& units) {
  std::string out;
  for (const auto& u : units) out += u;
  return out;
}

bool is_ascii_unit(const std::string& u, char c) {
  return u.size() == 1 && u[0] == c;
}
bool is_ascii_unit(const std::string& u) {
  return u.size() == 1 && static_cast<unsigned char>(u[0]) < 0x80;
}

// A usable registrable name in ASCII form: RFC 1035 lengths, LDH labels without edge hyphens,
// and no "??--" label (reserved for A-labels) unless it came out of IDNA conversion.
bool is_valid_dns(std::string_view domain, bool from_idna) {
  if (domain.empty() || domain.size() > kMaxDomainBytes) return false;
  std::size_t start = 0;
  while (start <= domain.size()) {
    std::size_t end = domain.find('.', start);
    if (end == std::string_view::npos) end = domain.size();
    const std::string_view label = domain.substr(start, end - start);
    if (label.empty() || label.size() > kMaxLabelBytes) return false;
    if (label.front() == '-' || label.back() == '-') return false;
    if (!std::all_of(label.begin(), label.end(), tables::is_label_char)) return false;
    if (label.size() >= 4 && label.substr(2, 2) == "--" &&
        !(from_idna && label.substr(0, 4) == "xn--")) {
      return false;
    }
    start = end + 1;
  }
  return true;
}

// Collects the candidates of one technique; the caller sorts, deduplicates and appends them.
class Generator {
 public:
  Generator(std::string org, std::string name_unicode, std::string suffix, bool include_unicode)
      : org_(std::move(org)),
        name_(std::move(name_unicode)),
        units_(split_units(name_)),
        suffix_(std::move(suffix)),
        include_unicode_(include_unicode) {}

  // Candidates of technique t, unsorted, maybe repeated.
  std::vector<Variant> run(Technique t) {
    // In Technique's order.
    using Step = void (Generator::*)();
    static constexpr std::array<Step, kTechniqueCount> kSteps{
        &Generator::homoglyph,     &Generator::label_reorder, &Generator::tld_swap,
        &Generator::subdomain,     &Generator::vowel_swap,    &Generator::addition,
        &Generator::omission,      &Generator::repetition,    &Generator::replacement,
        &Generator::transposition, &Generator::insertion,     &Generator::hyphenation,
        &Generator::bitsquatting,  &Generator::plural,        &Generator::dictionary,
    };
    out_.clear();
    current_ = t;
    (this->*kSteps[static_cast<std::size_t>(t)])();
    return std::move(out_);
  }

 private:
  // A candidate name (UTF-8) under the original suffix.
  void emit_name(const std::string& name) { emit(name + "." + suffix_); }
  void emit_units(const std::vector<std::string>& units) { emit_name(join(units)); }

  // A candidate domain (UTF-8 or ASCII); dropped when it does not convert or is not valid DNS.
  void emit(const std::string& domain) {
    const bool unicode = !util::is_ascii(domain);
    std::string ascii = registry::idn_to_ascii(domain);
    const bool from_idna = unicode || ascii.find("xn--") != std::string::npos;
    if (ascii.empty() || ascii == org_ || !is_valid_dns(ascii, from_idna) ||
        tables::is_reserved_domain(organizational_domain(ascii)))
      return;
    std::string shown = from_idna ? registry::idn_to_unicode(ascii) : ascii;
    // IDNA maps some characters (case folding: Cyrillic Ь → ь); what would be registered is then
    // not the look-alike we built, so it is not one.
    if (unicode && shown != domain) return;
    out_.push_back(Variant{std::move(ascii), std::move(shown), current_});
  }

  void homoglyph() {
    // ASCII pairs, both directions, one substitution at a time (on ASCII runs of the name).
    for (const auto& [a, b] : tables::kAsciiHomoglyphs) {
      for (const auto& [from, to] : {std::pair{a, b}, std::pair{b, a}}) {
        for (std::size_t i = 0; i + from.size() <= units_.size(); ++i) {
          bool hit = true;
          for (std::size_t k = 0; k < from.size() && hit; ++k) {
            hit = is_ascii_unit(units_[i + k], from[k]);
          }
          if (!hit) continue;
          std::vector<std::string> v(units_.begin(),
                                     units_.begin() + static_cast<std::ptrdiff_t>(i));
          for (const char c : to) v.emplace_back(1, c);
          v.insert(v.end(), units_.begin() + static_cast<std::ptrdiff_t>(i + from.size()),
                   units_.end());
          emit_units(v);
        }
      }
    }
    if (!include_unicode_) return;
    for (std::size_t i = 0; i < units_.size(); ++i) {
      if (!is_ascii_unit(units_[i])) continue;
      for (const auto& [latin, glyph] : tables::kScriptHomoglyphs) {
        if (units_[i][0] != latin) continue;
        std::vector<std::string> v = units_;
        v[i] = std::string(glyph);
        emit_units(v);
      }
    }
  }

  // Suffix labels glued onto the name ("-" or nothing) and the result put under a common suffix:
  // b-company.co.jp → b-company-co-jp.com, b-company-jp.co; b-companys.com.cc → b-companys-cc.com.
  void label_reorder() {
    std::vector<std::string> labels;
    for (std::size_t start = 0;;) {
      const std::size_t dot = suffix_.find('.', start);
      labels.push_back(suffix_.substr(start, dot - start));
      if (dot == std::string::npos) break;
      start = dot + 1;
    }
    std::vector<std::string> targets(kReorderTargets.begin(), kReorderTargets.end());
    targets.push_back(labels.back());
    // Under its own suffix too: amazon-jp.co.jp repeats a suffix label, it adds no word.
    targets.push_back(suffix_);
    for (const std::string_view sep : {"-", ""}) {
      // Every contiguous run of suffix labels, joined by the same separator.
      for (std::size_t from = 0; from < labels.size(); ++from) {
        std::string glued;
        for (std::size_t to = from; to < labels.size(); ++to) {
          if (to != from) glued += sep;
          glued += labels[to];
          for (const auto& target : targets) {
            emit(name_ + std::string(sep) + glued + "." + target);
          }
        }
      }
    }
  }

  void tld_swap() {
    for (const std::string_view s : tables::kSwapSuffixes) {
      if (s != suffix_) emit(name_ + "." + std::string(s));
    }
  }

  // A dot between two characters (never next to a hyphen): example → exa.mple.
  void subdomain() {
    for (std::size_t i = 1; i < units_.size(); ++i) {
      if (is_ascii_unit(units_[i - 1], '-') || is_ascii_unit(units_[i], '-')) continue;
      std::vector<std::string> v = units_;
      v.insert(v.begin() + static_cast<std::ptrdiff_t>(i), ".");
      emit_units(v);
    }
  }

  void vowel_swap() {
    for (std::size_t i = 0; i < units_.size(); ++i) {
      if (units_[i].size() != 1 || !tables::is_vowel(units_[i][0])) continue;
      for (const char v : tables::kVowels) {
        if (v == units_[i][0]) continue;
        std::vector<std::string> w = units_;
        w[i] = std::string(1, v);
        emit_units(w);
      }
    }
  }

  // One character appended. A trailing "s" is left to plural, which says more.
  void addition() {
    for (const char c : kAdditionChars) {
      if (c != 's') emit_name(name_ + c);
    }
  }

  void omission() {
    for (std::size_t i = 0; i < units_.size(); ++i) {
      std::vector<std::string> v = units_;
      v.erase(v.begin() + static_cast<std::ptrdiff_t>(i));
      if (!v.empty()) emit_units(v);
    }
  }

  void repetition() {
    for (std::size_t i = 0; i < units_.size(); ++i) {
      if (is_ascii_unit(units_[i], '-')) continue;
      std::vector<std::string> v = units_;
      v.insert(v.begin() + static_cast<std::ptrdiff_t>(i), units_[i]);
      emit_units(v);
    }
  }

  void replacement() {
    for (std::size_t i = 0; i < units_.size(); ++i) {
      if (!is_ascii_unit(units_[i])) continue;
      for (const char n : tables::keyboard_neighbours(units_[i][0])) {
        std::vector<std::string> v = units_;
        v[i] = std::string(1, n);
        emit_units(v);
      }
    }
  }

  void transposition() {
    for (std::size_t i = 0; i + 1 < units_.size(); ++i) {
      if (units_[i] == units_[i + 1]) continue;
      std::vector<std::string> v = units_;
      std::swap(v[i], v[i + 1]);
      emit_units(v);
    }
  }

  // A keyboard neighbour of an inner character, inserted before or after it.
  void insertion() {
    for (std::size_t i = 1; i + 1 < units_.size(); ++i) {
      if (!is_ascii_unit(units_[i])) continue;
      for (const char n : tables::keyboard_neighbours(units_[i][0])) {
        for (const std::size_t at : {i, i + 1}) {
          std::vector<std::string> v = units_;
          v.insert(v.begin() + static_cast<std::ptrdiff_t>(at), std::string(1, n));
          emit_units(v);
        }
      }
    }
  }

  void hyphenation() {
    for (std::size_t i = 1; i < units_.size(); ++i) {
      if (is_ascii_unit(units_[i - 1], '-') || is_ascii_unit(units_[i], '-')) continue;
      std::vector<std::string> v = units_;
      v.insert(v.begin() + static_cast<std::ptrdiff_t>(i), "-");
      emit_units(v);
    }
  }

  void bitsquatting() {
    for (std::size_t i = 0; i < units_.size(); ++i) {
      if (!is_ascii_unit(units_[i])) continue;
      const auto c = static_cast<unsigned char>(units_[i][0]);
      for (int bit = 0; bit < 8; ++bit) {
        const char flipped = util::ascii_lower(static_cast<char>(c ^ (1U << bit)));
        const auto f = static_cast<unsigned char>(flipped);
        if (f == c || f >= 0x80 || !tables::is_label_char(flipped)) continue;
        std::vector<std::string> v = units_;
        v[i] = std::string(1, flipped);
        emit_units(v);
      }
    }
  }

  // "s" unless the name already ends in s; "es" after s, x, z, ch and sh (boss → bosses).
  void plural() {
    const auto ends_with = [this](std::string_view s) { return name_.ends_with(s); };
    if (!ends_with("s")) emit_name(name_ + "s");
    if (!ends_with("es") && (ends_with("s") || ends_with("x") || ends_with("z") ||
                             ends_with("ch") || ends_with("sh"))) {
      emit_name(name_ + "es");
    }
  }

  void dictionary() {
    for (const std::string_view w : tables::kDictionary) {
      const std::string word(w);
      emit_name(word + name_);
      emit_name(word + "-" + name_);
      emit_name(name_ + word);
      emit_name(name_ + "-" + word);
    }
  }

  std::string org_;                 // ASCII organisational domain (never emitted)
  std::string name_;                // first label, Unicode form
  std::vector<std::string> units_;  // name_ split into code points
  std::string suffix_;              // ASCII, one or more labels
  bool include_unicode_;
  Technique current_ = Technique::kHomoglyph;
  std::vector<Variant> out_;
};

}  // namespace

Result<Generated> generate(std::string_view domain, const GenerateOptions& options) {
  const std::string org = organizational_domain(domain);
  const std::size_t dot = org.find('.');
  if (org.empty() || dot == std::string::npos || dot == 0 || dot + 1 >= org.size()) {
    std::string shown(domain.substr(0, 100));
    return make_error(Errc::kInvalidArgument,
                      "not a usable domain name for variant generation: \"" + shown + "\"",
                      "give a registrable domain or a host name such as example.co.jp or "
                      "mail.example.com (not an IP address, not a bare public suffix)");
  }
  // organizational_domain() is one label plus a suffix: the public suffix, or one label more under
  // generic second-level labels the PSL lacks ("com.cc"), so the first label is always the name.
  const std::string label = org.substr(0, dot);
  std::string suffix = org.substr(dot + 1);
  std::string name = label;
  if (label.starts_with("xn--")) {
    const std::string unicode = registry::idn_to_unicode(label);
    if (unicode != label) name = unicode;
  }

  // What classify() cannot recognise is not generated: no names too short or too plain to carry an
  // identity, no edit-distance variants of short names.
  std::string distinct = name;
  std::sort(distinct.begin(), distinct.end());
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
  if (name.size() < tables::kMinName || distinct.size() < tables::kMinDistinct)
    return make_error(
        Errc::kInvalidArgument, "\"" + name + "\" is too short to imitate recognisably",
        "look-alikes are judged for names of at least " + std::to_string(tables::kMinName) +
            " characters; a name this short cannot be told apart from an unrelated one");
  const bool edits = split_units(name).size() >= tables::kMinEditName;

  Generator gen(org, std::move(name), std::move(suffix), options.include_unicode);
  Generated result;
  std::unordered_set<std::string> seen;
  seen.insert(org);
  for (std::size_t t = 0; t < kTechniqueCount && !result.truncated; ++t) {
    const auto technique = static_cast<Technique>(t);
    const bool whole_name =
        technique == Technique::kHomoglyph || technique == Technique::kLabelReorder ||
        technique == Technique::kTldSwap || technique == Technique::kSubdomain ||
        technique == Technique::kDictionary || technique == Technique::kPlural;
    if (!edits && !whole_name) continue;
    std::vector<Variant> batch = gen.run(technique);
    std::sort(batch.begin(), batch.end(),
              [](const Variant& a, const Variant& b) { return a.domain < b.domain; });
    for (auto& v : batch) {
      if (!seen.insert(v.domain).second) continue;
      if (result.variants.size() >= options.max_variants) {
        result.truncated = true;
        break;
      }
      result.variants.push_back(std::move(v));
    }
  }
  return result;
}

}  // namespace renkei::lookalike
