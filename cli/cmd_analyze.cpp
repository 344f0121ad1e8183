// renkei analyze FILE|DIR|mbox|- ...
//
// Inputs are enumerated lazily and flow through a bounded queue to N worker threads; results are
// written in input order. Memory stays flat for any number of messages: at most a few messages
// per worker are held at once.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <thread>

#include "analysis/analysis.hpp"
#include "commands.hpp"
#include "exit_codes.hpp"
#include "registry/registry.hpp"

namespace renkei::cli {
namespace {

namespace fs = std::filesystem;

struct AnalyzeOptions {
  std::vector<std::string> inputs;
  std::string format = "text";
  std::string lang = "en";
  std::string registry_path;
  unsigned jobs = 0;
  bool quiet = false;
  bool no_color = false;
  bool progress = true;
  std::size_t max_message_mb = 64;
  unsigned max_time_ms = 2000;
};

struct Item {
  std::size_t seq = 0;
  std::string source;
  std::string bytes;
  std::string error;  // could not read
};

struct Output {
  std::string text;
  bool error = false;
  bool malicious = false;
  std::string klass;
};

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

bool looks_like_mbox(const std::string& bytes) {
  if (bytes.rfind("From ", 0) != 0) return false;
  return bytes.find("\nFrom ", 5) != std::string::npos;
}

// Splits an mbox (mboxrd/mboxo) on "From " separator lines, un-escaping ">From ".
template <typename Fn>
void split_mbox(const std::string& bytes, Fn&& emit) {
  std::size_t pos = 0;
  int n = 0;
  while (pos < bytes.size()) {
    std::size_t next = bytes.find("\nFrom ", pos + 1);
    const std::size_t end = next == std::string::npos ? bytes.size() : next + 1;
    std::string msg = bytes.substr(pos, end - pos);
    // Drop the separator line itself; the parser would skip it, but the bytes should be the mail.
    if (msg.rfind("From ", 0) == 0) {
      const std::size_t nl = msg.find('\n');
      msg.erase(0, nl == std::string::npos ? msg.size() : nl + 1);
    }
    std::size_t q = 0;
    while ((q = msg.find("\n>From ", q)) != std::string::npos) msg.erase(q + 1, 1);
    emit(++n, std::move(msg));
    pos = end;
  }
}

// Reads at most max_bytes + 1 bytes (one more than allowed, so that the parser can report the
// message-size limit). POSIX calls rather than an ifstream: one open, one fstat and usually one
// read per file, no stream buffer, no zero-filled string (a batch opens thousands of files).
Result<std::string> read_file(const fs::path& p, std::size_t max_bytes) {
  const int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT)
      return make_error(Errc::kIo, "no such file or directory: " + p.string(), "check the path");
    return make_error(Errc::kIo, "cannot open " + p.string(),
                      "check that the file exists and is readable");
  }
  struct stat st {};
  const std::size_t limit = max_bytes + 1;
  // A regular file's size is a good first guess (it may still grow or shrink while we read);
  // pipes and special files report 0 and are read in steps.
  std::size_t capacity = 64u << 10;
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0)
    capacity = static_cast<std::size_t>(st.st_size) + 1;  // + 1 sees the end in the same read
  capacity = std::min(capacity, limit);
  std::string data;
  std::size_t used = 0;
  bool failed = false;
  while (used < limit) {
    if (data.size() == used) data.resize(std::min(limit, std::max(capacity, used * 2)));
    const ssize_t n = ::read(fd, data.data() + used, data.size() - used);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      failed = true;
      break;
    }
    if (n == 0) break;
    used += static_cast<std::size_t>(n);
  }
  ::close(fd);
  if (failed)
    return make_error(Errc::kIo, "error reading " + p.string(), "check the disk and the file");
  data.resize(used);
  return data;
}

class Progress {
 public:
  Progress(bool enabled, std::size_t total)
      : enabled_(enabled), total_(total), start_(Clock::now()) {}
  void tick(std::size_t done) {
    if (!enabled_) return;
    const auto now = Clock::now();
    if (done != total_ && now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    const double secs = std::chrono::duration<double>(now - start_).count();
    const double rate = secs > 0 ? static_cast<double>(done) / secs : 0;
    const int width = 30;
    const int filled =
        total_ ? static_cast<int>(width * static_cast<double>(done) / static_cast<double>(total_))
               : 0;
    std::fprintf(stderr, "\r[%s%s] %zu/%zu  %.0f msg/s ",
                 std::string(static_cast<std::size_t>(filled), '#').c_str(),
                 std::string(static_cast<std::size_t>(width - filled), '.').c_str(), done, total_,
                 rate);
    std::fflush(stderr);
  }
  void finish() {
    if (enabled_) std::fprintf(stderr, "\r%80s\r", "");
  }

 private:
  using Clock = std::chrono::steady_clock;
  bool enabled_;
  std::size_t total_;
  Clock::time_point start_, last_;
};

std::size_t count_inputs(const std::vector<std::string>& inputs) {
  std::size_t n = 0;
  for (const auto& in : inputs) {
    std::error_code ec;
    if (in != "-" && fs::is_directory(in, ec)) {
      for (auto it = fs::recursive_directory_iterator(
               in, fs::directory_options::skip_permission_denied, ec);
           it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (ec) break;
        if (it->is_regular_file(ec)) ++n;
      }
    } else {
      ++n;
    }
  }
  return n;
}

int run_analyze(const AnalyzeOptions& opt) {
  if (opt.format != "text" && opt.format != "json") {
    std::cerr << "renkei analyze: --format must be text or json\n";
    return kExitUsage;
  }
  auto loaded = load_registry_option(opt.registry_path, "analyze");
  if (const int* code = std::get_if<int>(&loaded)) return *code;
  const std::optional<registry::Registry>& reg = std::get<0>(loaded);
  const registry::Lists& lists = registry::Lists::builtin();
  if (!lists.loaded() && !opt.quiet)
    std::cerr << "renkei analyze: warning: the shipped lists (free-mail, shorteners, bulk senders) "
                 "were not found; "
                 "set RENKEI_DATA_DIR to the directory that contains lists/\n";

  analysis::Options eo;
  eo.registry = reg ? &*reg : nullptr;
  eo.lists = &lists;
  eo.mime_limits.max_message_bytes = opt.max_message_mb << 20;
  eo.max_analysis_time = std::chrono::milliseconds(opt.max_time_ms);
  const analysis::Engine engine(eo);

  unsigned jobs = opt.jobs ? opt.jobs : std::max(1u, std::thread::hardware_concurrency());
  const bool tty_err = isatty(STDERR_FILENO) != 0;
  const bool color = !opt.no_color && isatty(STDOUT_FILENO) != 0 && opt.format == "text";
  const bool show_progress = opt.progress && tty_err && !opt.quiet;
  const std::size_t total = show_progress ? count_inputs(opt.inputs) : 0;
  Progress progress(show_progress && total > 1, total);

  // Every input in order, read: files, directory entries (sorted), mbox messages, stdin.
  auto for_each_input = [&](auto&& emit_item) {
    std::size_t seq = 0;
    auto emit = [&](std::string source, std::string bytes, std::string error) {
      emit_item(Item{seq++, std::move(source), std::move(bytes), std::move(error)});
    };
    auto handle_bytes = [&](const std::string& source, std::string bytes) {
      if (looks_like_mbox(bytes)) {
        split_mbox(bytes, [&](int n, std::string msg) {
          emit(source + "#" + std::to_string(n), std::move(msg), "");
        });
      } else {
        emit(source, std::move(bytes), "");
      }
    };
    const std::size_t max_bytes = opt.max_message_mb << 20;
    for (const auto& in : opt.inputs) {
      if (in == "-") {
        std::ostringstream ss;
        ss << std::cin.rdbuf();
        handle_bytes("-", ss.str());
        continue;
      }
      std::error_code ec;
      const fs::path p(in);
      if (fs::is_directory(p, ec)) {
        std::vector<fs::path> files;
        for (auto it = fs::recursive_directory_iterator(
                 p, fs::directory_options::skip_permission_denied, ec);
             it != fs::recursive_directory_iterator(); it.increment(ec)) {
          if (ec) break;
          if (it->is_regular_file(ec)) files.push_back(it->path());
        }
        std::sort(files.begin(), files.end());  // stable, reproducible order
        for (const auto& f : files) {
          auto data = read_file(f, max_bytes);
          if (!data)
            emit(f.string(), "", data.error().to_string());
          else
            handle_bytes(f.string(), std::move(*data));
        }
        continue;
      }
      auto data = read_file(p, max_bytes);
      if (!data)
        emit(in, "", data.error().to_string());
      else
        handle_bytes(in, std::move(*data));
    }
    return seq;
  };

  auto analyse = [&](const Item& item) {
    Output out;
    if (!item.error.empty()) {
      out.error = true;
      if (opt.format == "json") {
        analysis::Analysis a;
        a.source = item.source;
        a.errors.push_back(item.error);
        out.text = analysis::to_json_line(a);
      } else {
        out.text = item.source + "\n  error: " + item.error + "\n";
      }
    } else {
      analysis::Analysis a = engine.analyze(item.bytes, item.source);
      if (a.headers.empty() && a.verdict.klass == "unknown") out.error = true;
      out.malicious = a.verdict.malicious();
      out.klass = a.verdict.klass;
      out.text =
          opt.format == "json" ? analysis::to_json_line(a) : analysis::to_text(a, opt.lang, color);
    }
    return out;
  };

  std::size_t next = 0, errors = 0, malicious = 0;
  std::map<std::string, std::size_t> classes;
  auto write = [&](const Output& out) {
    ++next;
    errors += out.error ? 1 : 0;
    malicious += out.malicious ? 1 : 0;
    if (!out.klass.empty()) ++classes[out.klass];
    std::fwrite(out.text.data(), 1, out.text.size(), stdout);
    std::fputc('\n', stdout);
    progress.tick(next);
  };

  if (jobs == 1) {
    // One job: read, analyse and write in this thread. Handing every message to a worker and
    // its result to a writer costs more than a small message's analysis (futex wake-ups).
    for_each_input([&](const Item& item) { write(analyse(item)); });
    std::fflush(stdout);
  } else {
    BoundedQueue<Item> queue(jobs * 2 + 2);
    std::mutex out_mu;
    std::condition_variable out_cv;       // a result is ready, or the input ended
    std::condition_variable room_cv;      // a result was written: `ready` has room again
    std::map<std::size_t, Output> ready;  // guarded by out_mu
    // Results wait in `ready` until every earlier one is written. A slow message would otherwise
    // let the other workers run ahead without limit; they take no new message while this many
    // wait (the slow one is never held back: it is already being analysed).
    const std::size_t max_ready = 4 * static_cast<std::size_t>(jobs) + 4;
    std::atomic<std::size_t> produced{0};
    std::atomic<bool> producer_done{false};

    std::thread producer([&] {
      for_each_input([&](Item item) {
        const std::size_t seq = item.seq;
        queue.push(std::move(item));
        produced.store(seq + 1);
      });
      producer_done.store(true);
      queue.close();
      out_cv.notify_all();
    });

    std::vector<std::thread> workers;
    for (unsigned w = 0; w < jobs; ++w) {
      workers.emplace_back([&] {
        for (;;) {
          {
            std::unique_lock lk(out_mu);
            room_cv.wait(lk, [&] { return ready.size() < max_ready; });
          }
          auto item = queue.pop();
          if (!item) break;
          Output out = analyse(*item);
          {
            std::lock_guard lk(out_mu);
            ready.emplace(item->seq, std::move(out));
          }
          out_cv.notify_all();
        }
      });
    }

    for (;;) {
      Output out;
      {
        std::unique_lock lk(out_mu);
        out_cv.wait(lk, [&] {
          return ready.count(next) > 0 || (producer_done.load() && next >= produced.load());
        });
        if (ready.count(next) == 0) break;
        out = std::move(ready[next]);
        ready.erase(next);
      }
      room_cv.notify_all();
      write(out);
    }
    std::fflush(stdout);
    producer.join();
    for (auto& w : workers) w.join();
  }
  progress.finish();
  if (!opt.quiet && opt.format == "text") {
    std::string summary;
    for (const auto& [k, n] : classes)
      summary += (summary.empty() ? "" : ", ") + k + " " + std::to_string(n);
    std::fprintf(stderr, "%zu messages analysed, %zu malicious (%s), %zu unreadable\n", next,
                 malicious, summary.c_str(), errors);
  }
  return errors ? kExitInputErrors : kExitOk;
}

}  // namespace

void register_analyze(CLI::App& app, std::function<int()>& run) {
  auto opt = std::make_shared<AnalyzeOptions>();
  CLI::App* cmd = app.add_subcommand(
      "analyze", "Analyse e-mail files (.eml), directories, mbox files or - (stdin)");
  cmd->add_option("inputs", opt->inputs,
                  "Files, directories (recursive), mbox files, or - for standard input")
      ->required();
  cmd->add_option("--format", opt->format,
                  "Output: text (for people) or json (JSON Lines, schema renkei.analysis/1)")
      ->capture_default_str();
  cmd->add_option("--lang", opt->lang, "Language of the text output: en or ja")
      ->check(CLI::IsMember({"en", "ja"}))
      ->capture_default_str();
  cmd->add_option("--registry", opt->registry_path,
                  "Identity registry (TOML, SPEC 5): members' domains, partners, executives");
  cmd->add_option("-j,--jobs", opt->jobs, "Worker threads (default: all cores)");
  cmd->add_option("--max-message-mb", opt->max_message_mb,
                  "Messages are cut at this size (limits_hit reports it)")
      ->capture_default_str();
  cmd->add_option("--max-time-ms", opt->max_time_ms,
                  "Time budget per message before expensive stages are skipped")
      ->capture_default_str();
  cmd->add_flag("-q,--quiet", opt->quiet, "No summary, no progress bar, no warnings");
  cmd->add_flag("--no-color", opt->no_color, "Never colour the text output");
  cmd->add_flag("!--no-progress", opt->progress, "No progress bar");
  cmd->callback([&run, opt] { run = [opt] { return run_analyze(*opt); }; });
}

}  // namespace renkei::cli
