// renkei serve — the hub: REST API, analysis worker processes and the store, until SIGTERM.
#include <cmath>
#include <cstdlib>
#include <iostream>
#include <limits>
#include <memory>

#include <toml++/toml.h>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "hub/server.hpp"

namespace renkei::cli {
namespace {

struct ServeOptions {
  std::string listen;
  std::string data_dir;
  std::string database;
  std::string config;
  unsigned workers = 0;
  double rate = std::numeric_limits<double>::quiet_NaN();  // NaN: not given
  std::size_t max_connections = 0;                         // 0: not given
  std::size_t max_body_memory_mb = 0;                      // 0: not given
  std::string web_root;
};

std::string env_or(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? std::string(v) : fallback;
}

// A positive whole number from the environment, or 0 when unset or not one.
std::size_t env_count(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') return 0;
  const long long n = std::atoll(v);
  return n > 0 ? static_cast<std::size_t>(n) : 0;
}

// Precedence: command line, then environment (RENKEI_LISTEN, RENKEI_DATA, RENKEI_DATABASE,
// RENKEI_WORKERS, RENKEI_RATE_LIMIT, RENKEI_WEB_ROOT, RENKEI_MAX_CONNECTIONS,
// RENKEI_MAX_BODY_MEMORY_MB), then the --config TOML file (listen, data, database, workers,
// max_body_mb, rate_limit, web_root, max_connections, max_body_memory_mb), then the defaults.
int run_serve(const ServeOptions& cli) {
  hub::ServerOptions opt;
  std::string listen = "127.0.0.1:8080";
  if (!cli.config.empty()) {
    toml::table t;
    try {  // Debian's toml++ reports parse errors as exceptions: converted here, at the boundary
      t = toml::parse_file(cli.config);
    } catch (const toml::parse_error& e) {
      std::cerr << "renkei serve: " << cli.config << " line " << e.source().begin.line << ": "
                << e.description()
                << " (fix the file; keys: listen, data, database, workers, max_body_mb, "
                   "rate_limit, web_root, max_connections, max_body_memory_mb)\n";
      return kExitSetup;
    }
    listen = t["listen"].value_or(listen);
    opt.data_dir = t["data"].value_or(opt.data_dir);
    opt.database = t["database"].value_or(opt.database);
    opt.workers =
        static_cast<unsigned>(t["workers"].value_or(static_cast<std::int64_t>(opt.workers)));
    opt.max_body_bytes = static_cast<std::size_t>(t["max_body_mb"].value_or(
                             static_cast<std::int64_t>(opt.max_body_bytes >> 20)))
                         << 20;
    opt.rate_per_second = t["rate_limit"].value_or(opt.rate_per_second);
    opt.web_root = t["web_root"].value_or(opt.web_root);
    opt.max_connections = static_cast<std::size_t>(
        t["max_connections"].value_or(static_cast<std::int64_t>(opt.max_connections)));
    opt.max_body_memory = static_cast<std::size_t>(t["max_body_memory_mb"].value_or(
                              static_cast<std::int64_t>(opt.max_body_memory >> 20)))
                          << 20;
  }
  if (const auto n = env_count("RENKEI_MAX_CONNECTIONS")) opt.max_connections = n;
  if (const auto n = env_count("RENKEI_MAX_BODY_MEMORY_MB")) opt.max_body_memory = n << 20;
  if (cli.max_connections > 0) opt.max_connections = cli.max_connections;
  if (cli.max_body_memory_mb > 0) opt.max_body_memory = cli.max_body_memory_mb << 20;
  if (opt.max_connections == 0 || opt.max_body_memory < opt.max_body_bytes) {
    std::cerr << "renkei serve: max_connections must be positive and max_body_memory_mb ("
              << (opt.max_body_memory >> 20) << ") at least max_body_mb ("
              << (opt.max_body_bytes >> 20)
              << "), or the largest submission could never be received\n";
    return kExitUsage;
  }
  opt.web_root = env_or("RENKEI_WEB_ROOT", opt.web_root);
  if (!cli.web_root.empty()) opt.web_root = cli.web_root;
  listen = env_or("RENKEI_LISTEN", listen);
  opt.data_dir = env_or("RENKEI_DATA", opt.data_dir);
  opt.database = env_or("RENKEI_DATABASE", opt.database);
  if (const char* w = std::getenv("RENKEI_WORKERS"); w != nullptr && *w != '\0')
    opt.workers = static_cast<unsigned>(std::atoi(w));
  if (!cli.listen.empty()) listen = cli.listen;
  if (!cli.data_dir.empty()) opt.data_dir = cli.data_dir;
  if (!cli.database.empty()) opt.database = cli.database;
  if (const char* rl = std::getenv("RENKEI_RATE_LIMIT"); rl != nullptr && *rl != '\0')
    opt.rate_per_second = std::atof(rl);
  if (cli.workers > 0) opt.workers = cli.workers;
  if (!std::isnan(cli.rate)) opt.rate_per_second = cli.rate;
  if (opt.rate_per_second <= 0) {
    std::cerr << "renkei serve: the rate limit must be a positive number of requests per second\n";
    return kExitUsage;
  }
  if (auto r = hub::parse_listen(listen, opt); !r) {
    std::cerr << "renkei serve: " << r.error().to_string() << "\n";
    return kExitUsage;
  }
  if (auto r = hub::serve(opt); !r) {
    std::cerr << "renkei serve: " << r.error().to_string() << "\n";
    return kExitSetup;
  }
  return kExitOk;
}

}  // namespace

void register_serve(CLI::App& app, std::function<int()>& run) {
  auto opt = std::make_shared<ServeOptions>();
  CLI::App* cmd = app.add_subcommand(
      "serve", "Run the hub: REST API under /api/v1, analysis workers, the store (until SIGTERM)");
  cmd->add_option("--listen", opt->listen,
                  "HOST:PORT to listen on (default 127.0.0.1:8080; env RENKEI_LISTEN)");
  cmd->add_option("--data", opt->data_dir,
                  "Data directory (default ./renkei-data; env RENKEI_DATA)");
  cmd->add_option("--database", opt->database,
                  "PostgreSQL connection string (postgresql://…); default: the SQLite store in "
                  "--data (env RENKEI_DATABASE)");
  cmd->add_option("--workers", opt->workers,
                  "Analysis worker processes (default 1; env RENKEI_WORKERS)");
  cmd->add_option(
      "--rate-limit", opt->rate,
      "Requests per second per API token on average (default 20; env RENKEI_RATE_LIMIT)");
  cmd->add_option("--max-connections", opt->max_connections,
                  "Connections served at once; more are answered 503 (default 256; env "
                  "RENKEI_MAX_CONNECTIONS)");
  cmd->add_option("--max-body-memory-mb", opt->max_body_memory_mb,
                  "MiB of request bodies the hub holds at once; a body that does not fit is "
                  "answered 503 unread (default 256; env RENKEI_MAX_BODY_MEMORY_MB)");
  cmd->add_option("--web-root", opt->web_root,
                  "Directory of the built web UI (default: 'web' beside the renkei binary, else "
                  "/usr/share/renkei/web; "
                  "'none' for the API alone; env RENKEI_WEB_ROOT)");
  cmd->add_option(
         "--config", opt->config,
         "TOML file with listen, data, database, workers, max_body_mb, rate_limit, web_root, "
         "max_connections, max_body_memory_mb")
      ->check(CLI::ExistingFile);
  cmd->callback([&run, opt] { run = [opt] { return run_serve(*opt); }; });
}

}  // namespace renkei::cli
