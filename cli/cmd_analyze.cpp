// renkei analyze FILE|DIR|mbox|- ...
//
// Inputs are enumerated lazily and flow through a bounded queue to N worker threads; results are
// written in input order. Memory stays flat for any number of messages: at most a few messages
// per worker are held at once.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "analysis/analysis.hpp"
#include "commands.hpp"
#include "exit_codes.hpp"
#include "inputs.hpp"
#include "registry/registry.hpp"

namespace renkei::cli {
namespace {

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

  const std::size_t max_bytes = opt.max_message_mb << 20;
  auto for_each_input = [&](auto&& emit_item) {
    return cli::for_each_input(opt.inputs, max_bytes, [&](InputItem in) {
      emit_item(Item{in.seq, std::move(in.source), std::move(in.bytes), std::move(in.error)});
    });
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
