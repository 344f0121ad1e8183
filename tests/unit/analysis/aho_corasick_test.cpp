// The lexicon's and brand keywords' automaton must report exactly what a naive search finds.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "analysis/aho_corasick.hpp"

namespace renkei::analysis {
namespace {

using Hits = std::vector<std::pair<std::size_t, std::size_t>>;  // (end offset, pattern)

Hits naive(const std::vector<std::string>& patterns, std::string_view text) {
  Hits hits;
  for (std::size_t id = 0; id < patterns.size(); ++id) {
    const std::string& p = patterns[id];
    if (p.empty()) continue;
    for (std::size_t at = text.find(p); at != std::string_view::npos; at = text.find(p, at + 1))
      hits.emplace_back(at + p.size(), id);
  }
  std::sort(hits.begin(), hits.end());
  return hits;
}

Hits automaton(const std::vector<std::string>& patterns, std::string_view text) {
  const std::vector<std::string_view> views(patterns.begin(), patterns.end());
  const AhoCorasick ac(views);
  Hits hits;
  std::size_t last_end = 0;
  ac.run(text, [&](std::size_t id, std::size_t end) {
    EXPECT_GE(end, last_end) << "occurrences must come in order of end offset";
    last_end = end;
    hits.emplace_back(end, id);
  });
  std::sort(hits.begin(), hits.end());
  return hits;
}

std::string random_string(std::mt19937& rng, std::string_view alphabet, std::size_t min,
                          std::size_t max) {
  std::string s(min + rng() % (max - min + 1), ' ');
  for (char& c : s) c = alphabet[rng() % alphabet.size()];
  return s;
}

TEST(AhoCorasick, FindsOverlappingAndNestedPatterns) {
  const std::vector<std::string> patterns = {"he", "she", "his", "hers", "お支払い", "支払"};
  EXPECT_EQ(automaton(patterns, "ushers お支払い"), naive(patterns, "ushers お支払い"));
  EXPECT_EQ(automaton(patterns, "ushers").size(), 3u);  // she, he, hers
}

TEST(AhoCorasick, AgreesWithNaiveSearchOnRandomInput) {
  std::mt19937 rng(11);
  for (int round = 0; round < 300; ++round) {
    // A small alphabet (with a byte no pattern uses) makes matches and near misses frequent.
    std::vector<std::string> patterns;
    const std::size_t count = 1 + rng() % 40;
    for (std::size_t i = 0; i < count; ++i) patterns.push_back(random_string(rng, "abc\xE3", 1, 6));
    const std::string text = random_string(rng, "abcd\xE3", 0, 300);
    ASSERT_EQ(automaton(patterns, text), naive(patterns, text)) << "round " << round;
  }
}

TEST(AhoCorasick, MoreStatesThanSixteenBitsHold) {
  // 9,000 random 12-byte patterns over 16 letters: ~100,000 states, beyond the 16-bit table.
  std::mt19937 rng(12);
  std::vector<std::string> patterns;
  for (int i = 0; i < 9000; ++i) patterns.push_back(random_string(rng, "abcdefghijklmnop", 12, 12));
  std::string text;
  for (int i = 0; i < 200; ++i)
    text += patterns[rng() % patterns.size()] + random_string(rng, "abcdefghijklmnop", 0, 5);
  const Hits found = automaton(patterns, text);
  EXPECT_EQ(found, naive(patterns, text));
  EXPECT_GE(found.size(), 200u);
}

}  // namespace
}  // namespace renkei::analysis
