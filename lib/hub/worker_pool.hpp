// renkei::hub analysis workers — the analysis of submissions runs in separate processes, so that a
// mail that crashes the analyser (a segfault, an abort, runaway memory or CPU) ends one worker,
// not `renkei serve` and its API.
//
// `renkei serve` starts WorkerPool, which starts `workers` children of its own binary
// (`renkei analysis-worker`, a hidden subcommand running run_analysis_worker), each with its own
// store connection, claiming and completing submissions exactly as the analysis job of jobs.hpp
// does in a thread. Each child dies with its server (PR_SET_PDEATHSIG) and has limits of its own:
// address space (kWorkerAddressSpaceBytes) and CPU time per analysis (kAnalysisCpuSeconds). When
// a child dies, the supervisor gives back the claim it held at once (requeue_abandoned, which
// counts it toward kMaxInterruptions: a mail that kills the analyser five times is failed with
// the reason) and starts it again after a backoff. Children take no data-directory lock: the
// server holds it for them, and they die with it.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "store/store.hpp"
#include "util/result.hpp"

namespace renkei::hub {

// Named limits of one analysis worker process.
// RLIMIT_AS (not under ASan/TSan, whose shadow memory needs more).
inline constexpr std::uint64_t kWorkerAddressSpaceBytes = 4ULL << 30;
inline constexpr unsigned kAnalysisCpuSeconds = 30;  // CPU per analysis (the engine's budget: 2 s)
inline constexpr auto kRestartBackoffFirst = std::chrono::milliseconds(100);
inline constexpr auto kRestartBackoffMax = std::chrono::seconds(10);
inline constexpr auto kWorkerHealthyAfter = std::chrono::seconds(30);  // backoff resets after
inline constexpr auto kWorkerStopGrace = std::chrono::seconds(15);     // then SIGKILL at stop

// What a worker process needs: where the store is and the name it claims under.
struct WorkerOptions {
  std::string data_dir;
  std::string database;
  std::string name;
};

// The main loop of `renkei analysis-worker`: opens the store, then claims and analyses until its
// server closes the socket on file descriptor 0 (or dies). Returns the process's exit status
// (0 after a stop, 1 when the store cannot be opened; the server then restarts it with backoff).
int run_analysis_worker(const WorkerOptions& options);

class WorkerPool {
 public:
  struct Options {
    std::string exe = "/proc/self/exe";  // the binary to start (`renkei`, the server's own)
    std::string data_dir;
    std::string database;
    unsigned workers = 1;
    std::string name;  // workers are named NAME/0, NAME/1, … (their claims' claimed_by)
  };
  // `queue` (thread-safe, outliving the pool) is where the claims of dead workers are given back.
  WorkerPool(Options options, store::AnalysisQueue& queue);
  ~WorkerPool();  // stop()
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Starts the supervisor thread, which starts the workers (and owns them: PR_SET_PDEATHSIG is
  // bound to the thread that forks).
  void start();
  // Wakes the idle workers (work arrived). Thread-safe.
  void notify();
  // Closes the workers' sockets, lets each finish the analysis it is in (kWorkerStopGrace, then
  // SIGKILL and its claim given back) and joins the supervisor.
  void stop();
  // Analyses done and workers restarted since start (for logs and tests).
  std::uint64_t done() const { return done_.load(); }
  std::uint64_t restarts() const { return restarts_.load(); }

 private:
  struct Child {
    std::string name;
    pid_t pid = -1;
    int sock = -1;  // the server's end of the socket pair; the child's is its fd 0
    std::chrono::steady_clock::time_point started;
    std::chrono::steady_clock::time_point next_start;
    std::chrono::milliseconds backoff = kRestartBackoffFirst;
  };
  void supervise();
  // Counts the analyses a worker reported (one byte each) since the last look.
  void drain(const Child& child);
  void spawn(Child& child);
  // A child ended (`status` from waitpid): its socket closed and its claim given back.
  void ended(Child& child, int status, bool stopping);
  void shutdown_children();

  Options options_;
  store::AnalysisQueue& queue_;
  std::vector<Child> children_;  // written by the supervisor thread; sockets read by notify()
  std::mutex mu_;                // guards the children's `sock` and stopping_
  bool stopping_ = false;
  std::thread supervisor_;
  std::atomic<std::uint64_t> done_{0};
  std::atomic<std::uint64_t> restarts_{0};
};

}  // namespace renkei::hub
