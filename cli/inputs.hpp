// The inputs of the commands that read mail (analyze, campaigns): files, directories walked
// recursively in sorted order, mbox files split into their messages ("path#N"), and - (stdin).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "util/result.hpp"

namespace renkei::cli {

struct InputItem {
  std::size_t seq = 0;  // 0, 1, 2 … in input order
  std::string source;   // the path as given or walked; "path#N" for the N-th message of an mbox
  std::string bytes;
  std::string error;  // could not read (bytes empty)
};

// Calls `emit` for every message of the inputs, in order; returns how many. Each file is read up
// to max_bytes + 1 bytes (one more than allowed, so that the parser can report the limit).
std::size_t for_each_input(const std::vector<std::string>& inputs, std::size_t max_bytes,
                           const std::function<void(InputItem)>& emit);

// How many files the inputs name (directories counted by their regular files), for progress.
std::size_t count_inputs(const std::vector<std::string>& inputs);

// Reads at most max_bytes + 1 bytes of a file.
Result<std::string> read_file(const std::filesystem::path& p, std::size_t max_bytes);

// A bounded multi-producer/multi-consumer queue.
template <typename T>
class BoundedQueue {
 public:
  explicit BoundedQueue(std::size_t cap) : cap_(cap) {}
  void push(T v) {
    std::unique_lock lk(mu_);
    not_full_.wait(lk, [&] { return q_.size() < cap_; });
    q_.push_back(std::move(v));
    not_empty_.notify_one();
  }
  std::optional<T> pop() {
    std::unique_lock lk(mu_);
    not_empty_.wait(lk, [&] { return !q_.empty() || closed_; });
    if (q_.empty()) return std::nullopt;
    T v = std::move(q_.front());
    q_.pop_front();
    not_full_.notify_one();
    return v;
  }
  void close() {
    std::lock_guard lk(mu_);
    closed_ = true;
    not_empty_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable not_full_, not_empty_;
  std::deque<T> q_;  // guarded by mu_
  std::size_t cap_;
  bool closed_ = false;  // guarded by mu_
};

}  // namespace renkei::cli
