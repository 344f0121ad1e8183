// renkei::lookalike — does a domain imitate one the community protects, which one, and how?
//
// One mechanism serves the engine, the CLI and the hub: `classify(candidate, protected)` decides
// for one pair and explains the technique; `Index` finds the few protected domains a candidate
// could imitate through hash keys (so a check costs microseconds against 100k protected domains)
// and runs `classify` on those only; `generate` produces the variants an attacker could register,
// dnstwist-style, and every variant it produces is recognised by `classify` (tested both ways).
//
// Domains are compared on their organisational domain: the registrable domain under the Public
// Suffix List, one label longer under generic second-level labels the PSL lacks ("com.cc").
// Input may be any case, Unicode IDN or punycode, with or without a trailing dot.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.hpp"

namespace renkei::lookalike {

// The techniques, named as dnstwist names its fuzzers where one exists.
enum class Technique : std::uint8_t {
  kHomoglyph,      // look-alike characters: rn→m, l→1, 0→o, Cyrillic/Greek letters (UTS #39)
  kLabelReorder,   // labels reordered, dots turned into hyphens: b-companys.com.cc →
                   // b-companys-cc.com
  kTldSwap,        // same name, another public suffix: example.co.jp → example.com
  kSubdomain,      // a dot inserted, or the real domain used as a sub-domain of another
  kVowelSwap,      // one vowel replaced by another: a-company → a-compeny
  kAddition,       // a character appended: example → examplea
  kOmission,       // a character left out: example → exmple
  kRepetition,     // a character doubled: example → exammple
  kReplacement,    // a character replaced by a keyboard neighbour: example → exsmple
  kTransposition,  // two neighbouring characters swapped: example → exmaple
  kInsertion,      // a keyboard neighbour inserted inside the name: example → exasmple
  kHyphenation,    // a hyphen inserted: example → exam-ple
  kBitsquatting,   // one bit flipped in one character: example → dxample
  kPlural,         // s / es appended: example → examples
  kDictionary,     // words added: example → example-login, secure-example
};
inline constexpr std::size_t kTechniqueCount = 15;

// Stable machine name ("homoglyph", "label-reorder", "tld-swap", "subdomain", "vowel-swap",
// "addition", "omission", "repetition", "replacement", "transposition", "insertion",
// "hyphenation", "bitsquatting", "plural", "dictionary").
std::string_view technique_id(Technique t);
std::optional<Technique> technique_from_id(std::string_view id);

struct Match {
  std::string candidate;              // organisational domain of the input, Unicode form
  std::string lookalike_of;           // the protected domain it imitates, Unicode form
  std::vector<Technique> techniques;  // at least one; the most telling first
  int score = 0;                      // 1..100: how confidently this is an imitation
  std::string explanation;            // English, e.g. "labels reordered and the dot replaced
                                      // by a hyphen: b-companys.com.cc → b-companys-cc.com"
  std::string explanation_ja;         // the same in Japanese
};

// Organisational domain of a host, lowercased ASCII (punycode): "mail.b-company.co.jp" →
// "b-company.co.jp", "x.b-companys.com.cc" → "b-companys.com.cc". "" when the host is unusable.
std::string organizational_domain(std::string_view host);

// Decides whether `candidate` (a host or domain) imitates `protected_domain`. nullopt when it
// does not, when both have the same organisational domain, or when the names are too short or
// too generic to carry an identity. Hosts are reduced to organisational domains first, except
// that a candidate host whose sub-domain labels spell the protected domain is a kSubdomain match
// ("b-company.co.jp.evil.example").
std::optional<Match> classify(std::string_view candidate, std::string_view protected_domain);

// The protected set, indexed. Build once (add… then nothing else), then query from any thread.
class Index {
 public:
  Index();
  ~Index();
  Index(Index&&) noexcept;
  Index& operator=(Index&&) noexcept;
  Index(const Index&) = delete;
  Index& operator=(const Index&) = delete;

  // Adds a protected domain (host or domain; reduced to its organisational domain). Returns false
  // when the domain is unusable (empty, IP literal, public suffix).
  bool add(std::string_view domain);
  std::size_t size() const;

  // True when the candidate's organisational domain is itself protected (never a lookalike).
  bool contains(std::string_view domain) const;

  // The best match (highest score, then shortest protected domain) of the candidate against the
  // protected set; nullopt when it imitates none of them or is itself protected.
  std::optional<Match> check(std::string_view candidate) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// ---- Variant generation (dnstwist-style), for members to monitor or pre-register ----

struct Variant {
  std::string domain;   // ASCII (punycode) form, lowercased
  std::string unicode;  // Unicode form (equals `domain` for ASCII names)
  Technique technique;
};

struct GenerateOptions {
  std::size_t max_variants = 20000;  // named limit; generation stops there and says so
  bool include_unicode = true;       // homoglyphs from other scripts (IDN), not only ASCII ones
};

struct Generated {
  std::vector<Variant>
      variants;            // deduplicated, never the input itself, sorted by technique then domain
  bool truncated = false;  // max_variants was reached
};

// Errors: kInvalidArgument with a hint when the domain is not a usable domain name.
Result<Generated> generate(std::string_view domain, const GenerateOptions& options = {});

}  // namespace renkei::lookalike
