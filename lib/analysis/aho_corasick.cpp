#include "analysis/aho_corasick.hpp"

#include <queue>

namespace renkei::analysis {

AhoCorasick::AhoCorasick(const std::vector<std::string_view>& patterns) {
  for (std::string_view p : patterns)
    for (char ch : p) {
      auto& cls = class_of_[static_cast<unsigned char>(ch)];
      if (cls == 0)
        cls = static_cast<std::uint8_t>(++classes_);  // at most 255 byte values + class 0
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

  // Failure links breadth first; missing transitions become the failure state's. The order the
  // states leave the queue in is their final number.
  const std::size_t n = trie.size();
  std::vector<std::uint32_t> fail(n, 0);
  std::vector<std::uint32_t> dict(n, 0);
  std::vector<std::uint32_t> order;
  order.reserve(n);
  order.push_back(0);
  std::queue<std::uint32_t> q;
  for (std::size_t c = 0; c < classes_; ++c)
    if (trie[0][c] != 0) q.push(trie[0][c]);
  while (!q.empty()) {
    const std::uint32_t s = q.front();
    q.pop();
    order.push_back(s);
    const std::uint32_t f = fail[s];
    dict[s] = out_[f].empty() ? dict[f] : f;
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

  // Renumber breadth first and lay the rows out in that order.
  std::vector<std::uint32_t> rank(n, 0);
  for (std::size_t i = 0; i < order.size(); ++i) rank[order[i]] = static_cast<std::uint32_t>(i);
  const bool narrow = n <= 65536;
  if (narrow)
    narrow_.resize(n * classes_);
  else
    wide_.resize(n * classes_);
  std::vector<std::vector<std::uint16_t>> outputs(n);
  dict_.assign(n, 0);
  emits_.assign(n, 0);
  for (std::size_t old = 0; old < n; ++old) {
    const std::size_t row = static_cast<std::size_t>(rank[old]) * classes_;
    for (std::size_t c = 0; c < classes_; ++c) {
      const std::uint32_t to = rank[trie[old][c]];
      if (narrow)
        narrow_[row + c] = static_cast<std::uint16_t>(to);
      else
        wide_[row + c] = to;
    }
    dict_[rank[old]] = dict[old] == 0 ? 0 : rank[dict[old]];
    emits_[rank[old]] = !out_[old].empty() || dict[old] != 0;
    outputs[rank[old]] = std::move(out_[old]);
  }
  out_ = std::move(outputs);
}

}  // namespace renkei::analysis
