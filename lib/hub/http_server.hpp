// renkei::hub HTTP server — carries Request/Response (http.hpp) over HTTP/1.1 (Boost.Beast on
// Asio) so that what a client sends costs the hub a bounded amount of memory, whoever the client
// is:
//   - the request head is read first, within named limits (HttpLimits): a longer target is
//     answered 414, a larger head or more header fields 431;
//   - then the hub decides from the head alone (HttpHooks::admit) whether to read the body: a
//     request that needs a principal and has none is answered 401 without its body being read, a
//     declared body over the route's limit 413;
//   - every body being read or handled counts against one hub-wide budget of bytes
//     (HttpLimits::max_body_memory): over it, 503 with Retry-After, the body unread; chunked
//     bodies are counted as they arrive and cut at the route's limit (413);
//   - at most HttpLimits::max_connections connections are served; more are answered 503;
//   - heads and bodies are read within timeouts (slowloris), idle keep-alive connections closed.
// An answer given without reading the body closes the connection (the rest of the body is read
// and discarded for a bounded time and size, so the client can see the answer).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "hub/http.hpp"
#include "util/result.hpp"

namespace renkei::hub {

struct HttpLimits {
  std::size_t max_target_bytes = 8 * 1024;   // the request target (path and query): over it, 414
  std::size_t max_head_bytes = 64 * 1024;    // request line and all header fields: over it, 431
  std::size_t max_header_fields = 100;       // over it, 431
  std::size_t max_connections = 256;         // connections served at once; more get 503
  std::size_t max_body_memory = 256u << 20;  // bytes of request bodies held at once, hub-wide
  std::chrono::seconds head_timeout{15};     // to send a head, and to stay idle between requests
  std::chrono::seconds body_timeout{60};     // to send a whole body
  std::chrono::seconds handle_timeout{60};   // to take a whole answer
};

// What the server asks of the application.
struct HttpHooks {
  // The decision on a request of which only the head is read (Request::body empty): an answer to
  // give without reading the body (e.g. 401), or nullopt to read a body of at most `body_limit`
  // bytes. Called on an HTTP thread; must be thread-safe.
  struct Admission {
    std::optional<Response> answer;
    std::size_t body_limit = 0;
  };
  std::function<Admission(const Request& head, bool has_body)> admit;
  // The answer to a whole request. Called on an HTTP thread; must be thread-safe.
  std::function<Response(const Request&)> handle;
};

// Decodes a query string ("a=1&b=x%20y+z") as browsers send it: RFC 3986's sub-delimiters
// unescaped, '+' for a space, '&' between pairs, the first of repeated keys kept. Errors:
// kInvalidArgument for a malformed %-escape.
Result<void> parse_query(std::string_view query, std::map<std::string, std::string>& out);

// The request of a whole head as the server reads it ("GET /path?q HTTP/1.1\r\n...\r\n\r\n",
// no body read), or the answer the server gives instead: 414 (target over the limit), 431 (head or
// field count over the limit), 400 (not an HTTP/1.1 head, a malformed %-escape, an incomplete
// head). The same code as the server's, for the fuzz harness and tests.
tl::expected<Request, Response> parse_head(std::string_view raw, const HttpLimits& limits = {});

// Limits as the hub reports them ("64 KiB"), for hints and logs.
std::string byte_size(std::size_t bytes);

class HttpServer {
 public:
  // Binds host:port and serves on `threads` threads until stop(). Errors: kUnavailable (the
  // address is taken or cannot be bound).
  static Result<std::unique_ptr<HttpServer>> start(const std::string& host, std::uint16_t port,
                                                   unsigned threads, const HttpLimits& limits,
                                                   HttpHooks hooks);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Stops accepting, closes idle connections, lets requests in flight be answered (within the
  // limits' timeouts), then joins the threads. Idempotent.
  void stop();

  struct Impl;

 private:
  explicit HttpServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace renkei::hub
