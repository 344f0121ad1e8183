// renkei::hub background jobs — the one place where the hub works without a request: threads that
// each hold their own store handle and run the registered jobs (the analysis of queued submissions
// now; campaign assignment and publishing join here), plus periodic chores (giving back claims that
// a killed server abandoned).
//
// Contract: a Job's run_once() may be called by several threads at once, each with its own store
// handle; it does at most one unit of work and says whether it found any. Jobs::stop() lets every
// thread finish the unit it is in; what was not started stays in the store for the next start.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "model/model.hpp"
#include "store/store.hpp"

namespace renkei::hub {

class Job {
 public:
  virtual ~Job() = default;
  virtual std::string_view name() const = 0;
  // One unit of work with this thread's store handle (`worker` names the thread, for claims);
  // false when there was nothing to do or the store was busy.
  virtual bool run_once(store::Store& st, std::string_view worker) = 0;
  // What run_once would otherwise do first, done ahead (the analysis job builds its engine), so
  // that a worker's per-analysis limits measure the analysis. Optional.
  virtual void prepare(store::Store& /*st*/) {}
};

// The analysis job: claims the oldest queued submission, analyses it with the engine (rebuilt
// when the registry data in the store changes, so a change applies to the next analysis without a
// restart) and stores the result with its typed parts. `before_analysis`, when given, is called
// with each claimed submission right before the engine runs (the test-only fault injection of
// worker_pool.cpp).
std::unique_ptr<Job> analysis_job(
    std::function<void(const store::Claimed&)> before_analysis = nullptr);

// The campaign job: assigns analysed mails to campaigns as they come, in order of arrival
// (lib/campaign's rules; CampaignStore::assign_next_campaign), mails analysed before campaigns
// existed included.
std::unique_ptr<Job> campaign_job();

// lib/campaign's matching and explanations as the store's CampaignRules (without features_of:
// the campaign job adds it, with the engine of the registry in force).
store::CampaignRules campaign_rules();

class Jobs {
 public:
  // `open_store` gives each thread its own handle.
  Jobs(std::function<Result<std::unique_ptr<store::Store>>()> open_store, unsigned threads,
       std::string name);
  ~Jobs();  // stop()
  Jobs(const Jobs&) = delete;
  Jobs& operator=(const Jobs&) = delete;

  // Before start(): a job every thread runs, and a chore the first thread runs every `period`.
  void add(std::unique_ptr<Job> job);
  void every(std::chrono::seconds period, std::function<void(store::Store&)> chore);

  void start();
  // Wakes an idle thread (work arrived).
  void notify();
  void stop();
  // Units of work done since start (for logs and tests).
  std::uint64_t done() const { return done_.load(); }

 private:
  void run(unsigned index);

  struct Chore {
    std::chrono::seconds period;
    std::function<void(store::Store&)> fn;
  };

  std::function<Result<std::unique_ptr<store::Store>>()> open_store_;
  unsigned threads_;
  std::string name_;
  std::vector<std::unique_ptr<Job>> jobs_;
  std::vector<Chore> chores_;
  std::vector<std::thread> pool_;
  std::mutex mu_;  // guards stopping_ and pending_
  std::condition_variable wake_;
  bool stopping_ = false;
  std::uint64_t pending_ = 0;  // notifications not yet consumed
  std::atomic<std::uint64_t> done_{0};
};

}  // namespace renkei::hub
