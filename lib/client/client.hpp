// renkei::client — a client of the hub's REST API (what `renkei submit` and the API subcommands of
// `renkei admin` use), over libcurl.
//
// Contract: one Client per thread. Errors are values: kUnavailable when the hub cannot be reached
// (with the URL in the message), and the hub's own error (code, message, hint) when it answered
// with one.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "util/result.hpp"

namespace renkei::client {

struct Reply {
  int status = 0;
  std::string body;
};

struct Accepted {
  std::int64_t id = 0;
  bool duplicate = false;
};

class Client {
 public:
  // server: "http://127.0.0.1:8080" (the /api/v1 prefix is added); token: "rk_…".
  Client(std::string server, std::string token);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // `path` is below /api/v1 and may carry a query ("/tokens?user_id=3"). A reply with any HTTP
  // status is a value; only a hub that cannot be reached is an error.
  Result<Reply> get(std::string_view path);
  Result<Reply> post(std::string_view path, std::string_view content_type, std::string_view body);
  Result<Reply> put(std::string_view path, std::string_view content_type, std::string_view body);
  Result<Reply> patch(std::string_view path, std::string_view content_type, std::string_view body);
  Result<Reply> del(std::string_view path);

  // POST /submissions with a mail (message/rfc822).
  Result<Accepted> submit_email(std::string_view eml, std::string_view disclosure,
                                std::string_view channel = "cli");

 private:
  Result<Reply> request(const char* method, std::string_view path, std::string_view content_type,
                        std::string_view body);
  std::string server_;
  std::string token_;
  struct Handle;
  std::unique_ptr<Handle> handle_;
};

// The hub's error body of a reply as an Error (status mapped back to a code); kInternal with the
// body's start when the reply is not a renkei error.
Error error_of(const Reply& reply);

}  // namespace renkei::client
