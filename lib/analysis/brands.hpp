// Well-known brands that phishing imitates, with the registrable domains they really send from
// (internal to the analysis module). Curated by hand: these are techniques' targets, and the
// list is short enough to review. Extend it in brands.cpp.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "lookalike/lookalike.hpp"

namespace renkei::analysis {

struct Brand {
  std::string_view name;                   // shown in evidence
  std::vector<std::string_view> keywords;  // normalised (lowercase NFKC) names as people write them
  std::vector<std::string_view> domains;   // registrable domains the brand sends from
};

const std::vector<Brand>& brands();

// Which brands `normalized` (lexicon::normalize output) names, indexed like brands(), found in
// one pass over the text for all brands. ASCII keywords match on word boundaries; Japanese
// keywords anywhere.
std::vector<bool> brands_mentioned(std::string_view normalized);

// True when the domain (or its registrable domain) belongs to the brand.
bool brand_owns(const Brand& b, std::string_view domain);

// Whether any curated brand owns the domain (brand_owns for some brand), by one lookup per
// label of the domain instead of a pass over every brand's domains.
bool any_brand_owns(std::string_view domain);

// The brand domain this domain imitates (brand_domains() index), when the imitation is strong
// enough to call brand impersonation: score >= 75 and more than the same name under another
// suffix (brands do not own every TLD, and others share their names there).
std::optional<lookalike::Match> imitated_brand_domain(std::string_view domain);

}  // namespace renkei::analysis
