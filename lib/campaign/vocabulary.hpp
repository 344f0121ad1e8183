// The small vocabularies attackers build sender names from (mail-security words, celestial
// names, service and role words, regions), and the segmentation of a local part or a domain label
// into them ("intranetserver" -> intranet + server). Written by hand: a few hundred general words,
// no library segments host names into an attacker's vocabulary.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace renkei::campaign {

enum class WordClass { kNone, kMailSecurity, kCelestial, kService, kRole, kRegion };
std::string_view word_class_name(
    WordClass c);  // "mailsec", "celestial", "service", "role", "region"
WordClass classify_word(std::string_view lower_word);

struct Segment {
  std::string word;
  WordClass cls = WordClass::kNone;
};

// Splits lowercase ASCII text at non-letters and then, inside each run of letters, into known
// words where the whole run can be covered (longest first); a run that cannot be covered stays
// one unknown segment. Digits are dropped.
std::vector<Segment> segment(std::string_view lower);

// A label that looks machine-generated: at least 6 letters, no known word covering it, and
// letter statistics unlike words (few vowels or a long consonant run).
bool looks_generated(std::string_view lower_label);

}  // namespace renkei::campaign
