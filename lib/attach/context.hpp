// Internal to renkei::attach: the state one inspect() call threads through its helpers.
#pragma once

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>

#include "attach/attach.hpp"

namespace renkei::attach {

// One hostile attachment can produce an error per damaged nested archive; keep the list readable.
inline constexpr std::size_t kMaxErrors = 32;

// Limits, budgets and the output of one inspection. Not shared between threads.
class InspectContext {
 public:
  InspectContext(const Limits& limits, Inspection& out) : limits_(limits), out_(out) {}

  const Limits& limits() const { return limits_; }
  Inspection& out() { return out_; }

  // Records that a named limit (a field of Limits) was hit; each name appears once.
  void hit(std::string_view limit_name) {
    auto& hits = out_.limits_hit;
    if (std::find(hits.begin(), hits.end(), limit_name) == hits.end()) {
      hits.emplace_back(limit_name);
    }
  }

  void error(std::string message) {
    if (out_.errors.size() < kMaxErrors) out_.errors.push_back(std::move(message));
  }

  // Archive entries seen so far across all nesting levels (directories included: they cost work).
  std::size_t entries_seen = 0;
  // Decompressed bytes produced so far, whether kept for inspection or skipped over.
  std::size_t decompressed = 0;
  // Set when a limit makes further archive work pointless (max_archive_entries).
  bool stop = false;

  std::size_t decompress_budget_left() const {
    return decompressed >= limits_.max_total_decompressed
               ? 0
               : limits_.max_total_decompressed - decompressed;
  }

 private:
  const Limits& limits_;
  Inspection& out_;
};

}  // namespace renkei::attach
