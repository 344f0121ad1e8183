#include "analysis/aho_corasick.hpp"

#include <queue>

namespace renkei::analysis {

AhoCorasick::AhoCorasick(const std::vector<std::string_view>& patterns) {
  for (std::string_view p : patterns)
    for (char ch : p) {
      auto& cls = class_of_[static_cast<unsigned char>(ch)];
      if (cls == 0) cls = static_cast<std::uint8_t>(++classes_);  // at most 255 byte values + class 0
    }
  ++classes_;  // class 0: bytes in no pattern

  // The trie, one row of classes_ transitions per state.
  std::vector<std::vector<std::uint32_t>> trie(1, std::vector<std::uint32_t>(classes_, 0));
  out_.emplace_back();
  for (std::size_t id = 0; id < patterns.size(); ++id) {
    std::uint32_t s = 0;
    for (char ch : patterns[id]) {
      const std::uint8_t c = class_of_[static_cast<unsigned char>(ch)];
      if (trie[s][c] == 0) {
        trie[s][c] = static_cast<std::uint32_t>(trie.size());
        trie.emplace_back(classes_, 0u);
        out_.emplace_back();
      }
      s = trie[s][c];
    }
    if (s != 0) out_[s].push_back(static_cast<std::uint16_t>(id));
  }

  // Failure links breadth first; missing transitions become the failure state's.
  const std::size_t n = trie.size();
  std::vector<std::uint32_t> fail(n, 0);
  dict_.assign(n, 0);
  std::queue<std::uint32_t> q;
  for (std::size_t c = 0; c < classes_; ++c)
    if (trie[0][c] != 0) q.push(trie[0][c]);
  while (!q.empty()) {
    const std::uint32_t s = q.front();
    q.pop();
    const std::uint32_t f = fail[s];
    dict_[s] = out_[f].empty() ? dict_[f] : f;
    for (std::size_t c = 0; c < classes_; ++c) {
      const std::uint32_t next = trie[s][c];
      if (next != 0) {
        fail[next] = trie[f][c];
        q.push(next);
      } else {
        trie[s][c] = trie[f][c];
      }
    }
  }

  trans_.reserve(n * classes_);
  emits_.assign(n, 0);
  for (std::size_t s = 0; s < n; ++s) {
    trans_.insert(trans_.end(), trie[s].begin(), trie[s].end());
    emits_[s] = !out_[s].empty() || dict_[s] != 0;
  }
}

}  // namespace renkei::analysis
