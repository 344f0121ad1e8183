#include "hub/worker_pool.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <iostream>
#include <memory>
#include <string_view>
#include <vector>

#include "hub/jobs.hpp"

namespace renkei::hub {
namespace {

// How long an idle worker sleeps before looking for work again without a notification (another
// server may have submitted, or the sweep given back a claim); as jobs.cpp's threads.
constexpr int kIdlePollMs = 500;
// How often the supervisor looks at its children when nothing happens.
constexpr int kSuperviseTickMs = 100;

// ASan and TSan reserve terabytes of shadow memory: no address-space limit under them.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kAddressSpaceLimited = false;
#else
constexpr bool kAddressSpaceLimited = true;
#endif

#if defined(RENKEI_TEST_HOOKS)
// Test-only fault injection (compiled only with RENKEI_BUILD_TESTS): RENKEI_TEST_ANALYSIS_FAULT=
// KIND:MARKER[,KIND:MARKER…] makes the worker crash (segv), run away with memory (memory) or CPU
// (loop) on a submission whose bytes contain MARKER. Who can trigger it is whoever sets the
// server's environment, who could stop the server anyway; a mail alone cannot, because without
// the variable there is no marker. Builds for production (RENKEI_BUILD_TESTS=OFF) do not contain
// it. RENKEI_TEST_WORKER_ADDRESS_SPACE_MB and RENKEI_TEST_ANALYSIS_CPU_SECONDS lower the limits so
// that the test is quick and light.
void test_fault(const store::Claimed& c) {
  const char* spec = std::getenv("RENKEI_TEST_ANALYSIS_FAULT");
  if (spec == nullptr) return;
  std::string_view rest(spec);
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    const std::string_view one = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    const auto colon = one.find(':');
    if (colon == std::string_view::npos || colon + 1 == one.size()) continue;
    const std::string_view kind = one.substr(0, colon), marker = one.substr(colon + 1);
    if (c.artefact.find(marker) == std::string::npos &&
        c.free_text.find(marker) == std::string::npos)
      continue;
    if (kind == "segv") ::raise(SIGSEGV);
    if (kind == "loop") {
      volatile std::uint64_t spin = 0;  // a side effect per turn: the loop is not optimised away
      for (;;) {
        spin = spin + 1;
      }
    }
    if (kind == "memory" && kAddressSpaceLimited) {
      std::vector<std::string> hog;
      for (;;) hog.emplace_back(std::size_t{64} << 20, 'x');  // touched: until RLIMIT_AS
    }
  }
}

unsigned long long test_limit(const char* name, unsigned long long fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? std::strtoull(v, nullptr, 10) : fallback;
}
#endif

std::uint64_t address_space_limit() {
#if defined(RENKEI_TEST_HOOKS)
  return test_limit("RENKEI_TEST_WORKER_ADDRESS_SPACE_MB", kWorkerAddressSpaceBytes >> 20) << 20;
#else
  return kWorkerAddressSpaceBytes;
#endif
}

rlim_t analysis_cpu_seconds() {
#if defined(RENKEI_TEST_HOOKS)
  return test_limit("RENKEI_TEST_ANALYSIS_CPU_SECONDS", kAnalysisCpuSeconds);
#else
  return kAnalysisCpuSeconds;
#endif
}

// The worker's limits: address space (runaway memory ends in std::bad_alloc, then abort) and no
// core files (a core of a worker is the hostile mail and whatever else it held).
void limit_worker() {
  rlimit core{0, 0};
  (void)::setrlimit(RLIMIT_CORE, &core);
  if (kAddressSpaceLimited) {
    rlimit as{address_space_limit(), address_space_limit()};
    (void)::setrlimit(RLIMIT_AS, &as);
  }
}

// CPU time of this process so far, in whole seconds rounded up.
rlim_t cpu_seconds_used() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  return static_cast<rlim_t>(u.ru_utime.tv_sec + u.ru_stime.tv_sec + 1);
}

// The soft CPU limit for the next unit of work: SIGXCPU (which ends the process) once it spends
// `seconds` more; RLIM_INFINITY lifts it.
void cpu_budget(rlim_t limit) {
  rlimit r{};
  ::getrlimit(RLIMIT_CPU, &r);
  r.rlim_cur = r.rlim_max == RLIM_INFINITY ? limit : std::min(limit, r.rlim_max);
  (void)::setrlimit(RLIMIT_CPU, &r);
}

// Reads what the server sent on fd 0 without waiting. False when the server closed it (stop, or
// the server is gone).
bool server_open(int timeout_ms) {
  pollfd p{0, POLLIN, 0};
  const int n = ::poll(&p, 1, timeout_ms);
  if (n <= 0) return true;  // nothing (or EINTR): still open
  if ((p.revents & POLLIN) != 0) {
    std::array<char, 64> buf{};
    const ssize_t got = ::recv(0, buf.data(), buf.size(), MSG_DONTWAIT);
    return got > 0 || (got < 0 && (errno == EAGAIN || errno == EINTR));
  }
  return (p.revents & (POLLHUP | POLLERR | POLLNVAL)) == 0;
}

std::string describe(int status) {
  if (WIFSIGNALED(status)) {
    const int sig = WTERMSIG(status);
    const char* name = ::sigabbrev_np(sig);
    return "was killed by signal " + std::to_string(sig) +
           (name != nullptr ? " (SIG" + std::string(name) + ")" : "");
  }
  if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status));
  return "ended";
}

}  // namespace

int run_analysis_worker(const WorkerOptions& options) {
  // The worker follows its server: stopped by the server closing fd 0 (after the analysis under
  // way), killed with it (PR_SET_PDEATHSIG, set before exec), never by a terminal's Ctrl-C or a
  // service manager's SIGTERM to the whole group, which would interrupt an analysis and count it
  // against the mail.
  ::signal(SIGINT, SIG_IGN);
  ::signal(SIGTERM, SIG_IGN);
  ::signal(SIGPIPE, SIG_IGN);
  limit_worker();
  auto opened = store::open_store({options.data_dir, options.database, 1});
  if (!opened) {
    std::cerr << "renkei analysis-worker " << options.name << ": " << opened.error().to_string()
              << std::endl;
    return 1;
  }
  store::Store& st = **opened;
#if defined(RENKEI_TEST_HOOKS)
  if (std::getenv("RENKEI_TEST_ANALYSIS_FAULT") != nullptr)
    std::cerr << "renkei analysis-worker " << options.name
              << ": RENKEI_TEST_ANALYSIS_FAULT is set (test fault injection); address-space limit "
              << (kAddressSpaceLimited ? std::to_string(address_space_limit() >> 20) + " MiB"
                                       : std::string("none (sanitizer build)"))
              << ", CPU " << analysis_cpu_seconds() << " s per analysis" << std::endl;
  const auto before_analysis = test_fault;
#else
  const std::function<void(const store::Claimed&)> before_analysis;
#endif
  // Every job that runs the engine runs here, never in the server's process.
  std::vector<std::unique_ptr<Job>> jobs;
  jobs.push_back(analysis_job(before_analysis));
  jobs.push_back(campaign_job());  // may re-analyse mails stored before campaigns existed
  for (const auto& job : jobs) job->prepare(st);  // engines built outside an analysis's budget
  for (;;) {
    bool worked = false;
    for (const auto& job : jobs) {
      cpu_budget(cpu_seconds_used() + analysis_cpu_seconds());
      worked = job->run_once(st, options.name) || worked;
      cpu_budget(RLIM_INFINITY);
    }
    if (worked) {
      const char done = 'd';
      (void)::send(0, &done, 1, MSG_NOSIGNAL | MSG_DONTWAIT);
    }
    if (!server_open(worked ? 0 : kIdlePollMs)) return 0;
  }
}

WorkerPool::WorkerPool(Options options, store::AnalysisQueue& queue)
    : options_(std::move(options)), queue_(queue) {
  const unsigned n = options_.workers == 0 ? 1 : options_.workers;
  for (unsigned i = 0; i < n; ++i) {
    Child c;
    c.name = options_.name + "/" + std::to_string(i);
    children_.push_back(std::move(c));
  }
}

WorkerPool::~WorkerPool() {
  stop();
}

void WorkerPool::start() {
  supervisor_ = std::thread([this] { supervise(); });
}

void WorkerPool::notify() {
  const std::lock_guard lock(mu_);
  const char wake = 'w';
  for (const auto& c : children_)
    if (c.sock >= 0) (void)::send(c.sock, &wake, 1, MSG_NOSIGNAL | MSG_DONTWAIT);
}

void WorkerPool::stop() {
  {
    const std::lock_guard lock(mu_);
    stopping_ = true;
  }
  if (supervisor_.joinable()) supervisor_.join();
}

void WorkerPool::spawn(Child& child) {
  std::array<int, 2> sv{-1, -1};
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv.data()) != 0) {
    child.next_start = std::chrono::steady_clock::now() + child.backoff;
    return;
  }
  // Everything the child needs is built before fork: between fork and exec only async-signal-safe
  // calls (the server has threads; one of them may hold malloc's lock).
  std::string arg0 = "renkei", arg1 = "analysis-worker", arg2 = "--name", arg3 = child.name;
  std::vector<char*> argv{arg0.data(), arg1.data(), arg2.data(), arg3.data(), nullptr};
  std::vector<std::string> env_strings{"RENKEI_DATA=" + options_.data_dir,
                                       "RENKEI_DATABASE=" + options_.database};
  std::vector<char*> envp;
  for (char** e = environ; *e != nullptr; ++e)
    if (std::strncmp(*e, "RENKEI_DATA=", 12) != 0 && std::strncmp(*e, "RENKEI_DATABASE=", 16) != 0)
      envp.push_back(*e);
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  const pid_t parent = ::getpid();
  sigset_t none;
  sigemptyset(&none);

  const pid_t pid = ::fork();
  if (pid == 0) {
    // The child's fd 0 is its end of the socket; nothing else of the server's is inherited.
    if (::dup2(sv[1], 0) < 0) ::_exit(126);
    ::close_range(3, ~0U, 0);
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(126);     // the server died before prctl
    ::sigprocmask(SIG_SETMASK, &none, nullptr);  // the server blocks SIGTERM/SIGINT in its threads
    ::execve(options_.exe.c_str(), argv.data(), envp.data());
    ::_exit(127);
  }
  ::close(sv[1]);
  if (pid < 0) {
    ::close(sv[0]);
    child.next_start = std::chrono::steady_clock::now() + child.backoff;
    return;
  }
  const std::lock_guard lock(mu_);
  child.pid = pid;
  child.sock = sv[0];
  child.started = std::chrono::steady_clock::now();
}

void WorkerPool::drain(const Child& child) {
  if (child.sock < 0) return;
  std::array<char, 256> buf{};
  for (ssize_t got = 0; (got = ::recv(child.sock, buf.data(), buf.size(), MSG_DONTWAIT)) > 0;)
    done_ += static_cast<std::uint64_t>(got);
}

void WorkerPool::ended(Child& child, int status, bool stopping) {
  drain(child);
  {
    const std::lock_guard lock(mu_);
    ::close(child.sock);
    child.sock = -1;
    child.pid = -1;
  }
  const auto given_back = queue_.requeue_abandoned(child.name);
  if (stopping && WIFEXITED(status) && WEXITSTATUS(status) == 0) return;
  const auto now = std::chrono::steady_clock::now();
  if (now - child.started >= kWorkerHealthyAfter) child.backoff = kRestartBackoffFirst;
  std::cerr << "renkei serve: analysis worker " << child.name << " " << describe(status)
            << "; claims given back: "
            << (given_back ? std::to_string(*given_back) : given_back.error().to_string())
            << (stopping ? "" : "; restarting in " + std::to_string(child.backoff.count()) + " ms")
            << std::endl;
  if (stopping) return;
  ++restarts_;
  child.next_start = now + child.backoff;
  child.backoff = std::min<std::chrono::milliseconds>(child.backoff * 2, kRestartBackoffMax);
}

void WorkerPool::supervise() {
  for (auto& c : children_) spawn(c);
  for (;;) {
    {
      const std::lock_guard lock(mu_);
      if (stopping_) break;
    }
    // A tick, not a wake-up per analysis: the workers' reports of work done (one byte each) wait
    // in their sockets until then, so the server spends nothing per analysis.
    std::this_thread::sleep_for(std::chrono::milliseconds(kSuperviseTickMs));
    for (const auto& c : children_) drain(c);
    for (auto& c : children_) {
      int status = 0;
      if (c.pid > 0 && ::waitpid(c.pid, &status, WNOHANG) == c.pid) ended(c, status, false);
      if (c.pid < 0 && std::chrono::steady_clock::now() >= c.next_start) spawn(c);
    }
  }
  shutdown_children();
}

void WorkerPool::shutdown_children() {
  {
    const std::lock_guard lock(mu_);
    for (const auto& c : children_)
      if (c.sock >= 0) ::shutdown(c.sock, SHUT_RDWR);  // the worker sees end of file
  }
  const auto deadline = std::chrono::steady_clock::now() + kWorkerStopGrace;
  for (;;) {
    bool alive = false;
    for (auto& c : children_) {
      int status = 0;
      if (c.pid > 0 && ::waitpid(c.pid, &status, WNOHANG) == c.pid) ended(c, status, true);
      alive = alive || c.pid > 0;
    }
    if (!alive) return;
    if (std::chrono::steady_clock::now() >= deadline) {
      for (auto& c : children_) {
        if (c.pid <= 0) continue;
        ::kill(c.pid, SIGKILL);
        int status = 0;
        ::waitpid(c.pid, &status, 0);
        ended(c, status, true);
      }
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

}  // namespace renkei::hub
