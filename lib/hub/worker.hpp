// renkei::hub analysis workers: threads that take submissions off the store's queue, analyse
// them with the engine and store the result. The engine is rebuilt when the registry data in the
// store changes (checked before each job), so a change applies to the next analysis without a
// restart.
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "store/store.hpp"

namespace renkei::hub {

class Workers {
 public:
  // `open_store` gives each worker its own handle (one connection per thread).
  Workers(std::function<Result<std::unique_ptr<store::Store>>()> open_store, unsigned threads,
          std::string name);
  ~Workers();  // stop()
  Workers(const Workers&) = delete;
  Workers& operator=(const Workers&) = delete;

  void start();
  // Wakes an idle worker (a submission arrived).
  void notify();
  // Lets each worker finish the analysis it is in, then joins them. What was not started stays
  // queued in the store.
  void stop();
  // Analyses done since start (for logs and tests).
  std::uint64_t done() const { return done_.load(); }

 private:
  void run(unsigned index);

  std::function<Result<std::unique_ptr<store::Store>>()> open_store_;
  unsigned threads_;
  std::string name_;
  std::vector<std::thread> pool_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::uint64_t pending_ = 0;  // notifications not yet consumed
  std::atomic<std::uint64_t> done_{0};
};

// One submission's analysis as the store keeps it: the JSON, the verdict class, the subject and
// the text search should find it by (sender, reply-to, indicators). For e-mail the engine's
// renkei.analysis/1; for other kinds the indicators found in the free text and the file.
struct AnalysisRecord {
  std::string json, verdict, subject, search_text;
};

}  // namespace renkei::hub
