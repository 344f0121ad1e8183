// renkei::hub server — `renkei serve`: the REST API over HTTP (http_server.hpp), the analysis
// workers and the store, until SIGTERM or SIGINT.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "util/result.hpp"

namespace renkei::hub {

struct ServerOptions {
  std::string host = "127.0.0.1";  // loopback unless told otherwise
  std::uint16_t port = 8080;
  std::string data_dir = "renkei-data";
  std::string database;  // "" = SQLite in data_dir; else a PostgreSQL connection string
  unsigned http_threads = 2;
  unsigned workers = 1;  // analysis worker processes
  // A submission's body up to this is read (those over the store's 64 MiB limit are answered 413
  // after); a larger one is answered 413 without being read. Other requests: 1 MiB.
  std::size_t max_body_bytes = 2 * (64u << 20) + (1u << 20);
  // Connections served at once (more are answered 503), and bytes of request bodies held at once
  // by the whole hub (a body that does not fit is answered 503 with Retry-After, unread).
  std::size_t max_connections = 256;
  std::size_t max_body_memory = 256u << 20;
  unsigned request_timeout_s = 60;  // reading one request, handling it
  double rate_per_second =
      20;                // requests per token on average (bursts of 15 s worth, at least 300)
  std::string web_root;  // the built web UI; "" = find it (see find_web_root), "none" = API only
};

// Parses "HOST:PORT", "[::1]:PORT" or ":PORT". Errors: kInvalidArgument with the expected form.
Result<void> parse_listen(std::string_view listen, ServerOptions& out);

// A database connection string without its password, for logs and messages.
std::string redact_database(std::string_view conninfo);

// Opens (and migrates) the store, gives back work a killed server left half-done, starts the
// workers and the HTTP server, and returns after SIGTERM/SIGINT once in-flight requests and
// analyses are finished. Errors: kIo (data directory), kUnavailable (address in use).
Result<void> serve(const ServerOptions& options);

}  // namespace renkei::hub
