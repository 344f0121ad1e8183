#include "hub/server.hpp"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <iostream>

#include "hub/api.hpp"
#include "hub/http_server.hpp"
#include "hub/jobs.hpp"
#include "hub/router.hpp"
#include "hub/web_files.hpp"
#include "hub/worker_pool.hpp"
#include "store/store.hpp"

namespace renkei::hub {
namespace {

// One server per SQLite data directory: its claims are given back at start (requeue_stale(0)),
// which is right only when no other server holds any. An exclusive lock on DIR/serve.lock (released
// by the kernel when the process ends, kill -9 included) makes a second server refuse to start.
// Bodies of every request but a submission's: JSON objects of a few fields.
constexpr std::size_t kMaxSmallBodyBytes = 1u << 20;

// API answers are data, never pages: nothing in them may run or be framed (an endpoint may
// replace the policy with its own, stricter one).
Response api_headers(Response r) {
  if (!r.has_header("Content-Security-Policy"))
    r.headers.emplace_back("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
  if (!r.has_header("Cache-Control")) r.headers.emplace_back("Cache-Control", "no-store");
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  return r;
}

class DataDirLock {
 public:
  static Result<DataDirLock> take(const std::string& dir) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    const std::string path = (std::filesystem::path(dir) / "serve.lock").string();
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
      return make_error(Errc::kIo, "cannot open " + path, "check the data directory's permissions");
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      ::close(fd);
      return make_error(Errc::kUnavailable,
                        "another renkei serve is using the data directory " + dir,
                        "stop it first; for several servers on one database, use PostgreSQL "
                        "(--database, docs/storage.md)");
    }
    return DataDirLock(fd);
  }
  DataDirLock(DataDirLock&& o) noexcept : fd_(std::exchange(o.fd_, -1)) {}
  DataDirLock& operator=(DataDirLock&&) = delete;
  ~DataDirLock() {
    if (fd_ >= 0) ::close(fd_);
  }

 private:
  explicit DataDirLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace

std::string redact_database(std::string_view conninfo) {
  std::string s(conninfo);
  // URL form: postgresql://user:password@host/db
  if (const auto scheme = s.find("://"); scheme != std::string::npos) {
    const auto at = s.find('@', scheme + 3), colon = s.find(':', scheme + 3);
    if (at != std::string::npos && colon < at) s.replace(colon + 1, at - colon - 1, "***");
  }
  // key=value form, and ?password= in a URL
  for (auto pos = s.find("password="); pos != std::string::npos;
       pos = s.find("password=", pos + 1)) {
    const auto b = pos + 9;
    const auto e = std::min(s.find_first_of(" &", b), s.size());
    s.replace(b, e - b, "***");
  }
  return s;
}

Result<void> parse_listen(std::string_view listen, ServerOptions& out) {
  auto bad = [&] {
    return make_error(
        Errc::kInvalidArgument,
        "--listen \"" + std::string(listen.substr(0, 80)) + "\" is not HOST:PORT",
        "for example 127.0.0.1:8080, [::1]:8080 or 0.0.0.0:8080 (the default is loopback only)");
  };
  const auto colon = listen.rfind(':');
  if (colon == std::string_view::npos) return bad();
  std::string host(listen.substr(0, colon));
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  unsigned port = 0;
  const auto ps = listen.substr(colon + 1);
  const auto [p, ec] = std::from_chars(ps.data(), ps.data() + ps.size(), port);
  if (ec != std::errc() || p != ps.data() + ps.size() || port == 0 || port > 65535) return bad();
  out.host = host.empty() ? "127.0.0.1" : host;
  out.port = static_cast<std::uint16_t>(port);
  return {};
}

Result<void> serve(const ServerOptions& opt) {
  // Signals are taken by this thread only (sigwait below): block them before any thread starts.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  // The HTTP threads share one store with a connection each (and one for the claims of the analysis
  // queue); each background thread opens its own single connection.
  const store::StoreConfig where{opt.data_dir, opt.database, 1};
  const store::StoreConfig http_where{opt.data_dir, opt.database,
                                      std::max(1u, opt.http_threads) + 1};
  std::optional<DataDirLock> dir_lock;
  if (opt.database.empty()) {
    RENKEI_TRY(lock, DataDirLock::take(opt.data_dir));
    dir_lock.emplace(std::move(lock));
  }
  RENKEI_TRY(st, store::open_store(http_where));
  RENKEI_TRY(version, st->migrate());
  // What is still "analysing" was left by a server that was killed (SQLite has one server per
  // database; PostgreSQL gives back only claims whose worker's connection is gone): back to the
  // queue.
  RENKEI_TRY(requeued, st->requeue_stale(std::chrono::seconds(0)));

  // The web UI, from the same origin: a configured root must load; a root found beside the binary
  // is used when it does; without one the hub serves the API alone.
  std::optional<WebFiles> web;
  if (opt.web_root != "none") {
    const std::string root = find_web_root(opt.web_root);
    if (!root.empty()) {
      auto loaded = WebFiles::load(root);
      if (!loaded && !opt.web_root.empty()) return tl::unexpected(loaded.error());
      if (loaded) web = std::move(*loaded);
    }
  }

  // Work without a request: analysis now; campaign assignment and publishing join here.
  // Every 30 s the first thread gives back claims abandoned for a minute: an analysis has a 2 s
  // budget, so a minute-old claim of SQLite's single server is abandoned; PostgreSQL moreover
  // requeues only claims whose worker's connection is gone, so several servers sweep without ever
  // taking each other's live work.
  const std::string name = "serve-" + std::to_string(::getpid());
  Jobs jobs([where] { return store::open_store(where); }, 1, name);
  jobs.every(std::chrono::seconds(30), [](store::Store& s) {
    (void)s.requeue_stale(std::chrono::seconds(60));  // best effort: the next sweep retries
  });
  jobs.start();
  // The analysis runs in processes of its own (worker_pool.hpp): a mail that crashes the
  // analyser ends one worker, not this server.
  WorkerPool analysis(
      {.data_dir = opt.data_dir, .database = opt.database, .workers = opt.workers, .name = name},
      *st);
  analysis.start();
  const Api api(
      *st, [&analysis] { analysis.notify(); },
      RateLimit{opt.rate_per_second, std::max(300.0, 15 * opt.rate_per_second)});

  // The route table of the whole server: the API under /api, the web UI's files for the rest.
  // (TAXII registers its root here when it comes.)
  using Handler = std::function<Response(const Request&)>;
  Router<Handler> routes;
  routes.add("*", "/api/**", [&api](const Request& req) { return api_headers(api.handle(req)); });
  if (web)
    routes.add("GET", "/**",
               [&web](const Request& req) { return web->serve(req.path, req.accept_encoding); });
  // Anything else: the web UI is only read; without one there is nothing but the API.
  routes.add("*", "/**", [has_web = web.has_value()](const Request&) {
    Response r = error_response(
        {has_web ? Errc::kUnsupported : Errc::kNotFound,
         has_web ? "the web UI is read with GET" : "this hub serves no web UI",
         has_web ? "" : "the API is under /api/v1; build the UI or give --web-root"});
    if (has_web) {
      r.status = 405;
      r.headers.emplace_back("Allow", "GET, HEAD");
    }
    r.headers.emplace_back("X-Content-Type-Options", "nosniff");
    return r;
  });

  // What a body may hold, by route: a submission carries a file (64 MiB; as base64 in JSON, a
  // third more); every other request is a small JSON object.
  Router<std::size_t> body_limits;
  body_limits.add("POST", "/api/v1/submissions", opt.max_body_bytes);
  body_limits.add("*", "/**", kMaxSmallBodyBytes);

  HttpHooks hooks;
  hooks.admit = [&api, &body_limits](const Request& head, bool has_body) {
    HttpHooks::Admission a;
    a.body_limit = *body_limits.match(head.method, head.path).handler;  // "/**" matches all
    // Only a body costs the hub memory: a request without one is decided by handle() alone.
    if (has_body) {
      if (auto refused = api.admit(head)) a.answer = api_headers(std::move(*refused));
    }
    return a;
  };
  hooks.handle = [&routes](const Request& request) {
    const auto route = routes.match(request.method, request.path);
    return (*route.handler)(request);  // the last route matches every path
  };
  HttpLimits limits;
  limits.max_connections = opt.max_connections;
  limits.max_body_memory = opt.max_body_memory;
  limits.body_timeout = std::chrono::seconds(opt.request_timeout_s);
  limits.handle_timeout = std::chrono::seconds(opt.request_timeout_s);
  auto server =
      HttpServer::start(opt.host, opt.port, std::max(1u, opt.http_threads), limits, hooks);
  if (!server) {
    analysis.stop();
    jobs.stop();
    return tl::unexpected(server.error());
  }
  std::cerr << "renkei serve: listening on http://"
            << (opt.host.find(':') != std::string::npos ? "[" + opt.host + "]" : opt.host) << ":"
            << opt.port
            << (web ? "/ (web UI from " + web->root() + "; API under /api/v1)"
                    : "/api/v1 (no web UI)")
            << " ("
            << (opt.database.empty() ? "data " + opt.data_dir
                                     : "PostgreSQL " + redact_database(opt.database))
            << ", schema " << version << ", " << opt.workers << " analysis worker process"
            << (opt.workers == 1 ? "" : "es")
            << (requeued > 0 ? ", " + std::to_string(requeued) + " requeued" : "") << ")"
            << std::endl;

  int sig = 0;
  sigwait(&signals, &sig);
  std::cerr << "renkei serve: " << (sig == SIGTERM ? "SIGTERM" : "SIGINT")
            << ", finishing requests and analyses in flight" << std::endl;
  (*server)->stop();
  analysis.stop();
  jobs.stop();
  std::cerr << "renkei serve: stopped (" << analysis.done() << " analyses this run, "
            << analysis.restarts() << " analysis worker restarts)" << std::endl;
  return {};
}

}  // namespace renkei::hub
