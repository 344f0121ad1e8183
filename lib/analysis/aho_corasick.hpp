// A byte-level Aho–Corasick automaton over a fixed set of patterns: every occurrence of every
// pattern in one pass over the text. Built once, read-only (and so shareable) afterwards.
//
// Written here rather than taken from a library: Debian has no C++ Aho–Corasick package, and the
// layout below is what makes the lexicon scan cheap. Bytes are mapped to classes first (each byte
// that occurs in some pattern gets one, all others share class 0) and the transitions live in one
// flat table (with 256 columns per state the lexicon's table was ~10 MB and the scan spent its
// time on cache misses). States are numbered breadth first, so the rows the scan visits most (the
// root and the shallow states) sit together, and stored in 16 bits when there are at most 65,536
// of them (the lexicon's 8,199 states × 116 classes: 1.9 MB instead of 3.8). `emits_` marks the
// states with an output, their own or a suffix's, so the common byte touches two small arrays only.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

namespace renkei::analysis {

class AhoCorasick {
 public:
  // Pattern i is reported as i; at most 65,535 patterns.
  explicit AhoCorasick(const std::vector<std::string_view>& patterns);

  // Calls fn(pattern_index, end_offset) for every occurrence, in order of end offset.
  template <typename Fn>
  void run(std::string_view text, Fn&& fn) const {
    if (wide_.empty())
      scan(narrow_.data(), text, fn);
    else
      scan(wide_.data(), text, fn);
  }

 private:
  template <typename State, typename Fn>
  void scan(const State* table, std::string_view text, Fn& fn) const {
    std::size_t state = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
      state = table[state * classes_ + class_of_[static_cast<unsigned char>(text[i])]];
      if (!emits_[state]) continue;
      for (std::uint32_t s = static_cast<std::uint32_t>(state); s != 0; s = dict_[s])
        for (std::uint16_t p : out_[s]) fn(p, i + 1);
    }
  }

  std::array<std::uint8_t, 256> class_of_{};
  std::size_t classes_ = 0;
  std::vector<std::uint16_t> narrow_;  // state * classes_ + class -> state, up to 65,536 states
  std::vector<std::uint32_t> wide_;    // the same when there are more (then narrow_ is empty)
  std::vector<std::uint32_t> dict_;    // nearest proper suffix state with outputs, 0 if none
  std::vector<std::uint8_t> emits_;
  std::vector<std::vector<std::uint16_t>> out_;
};

}  // namespace renkei::analysis
