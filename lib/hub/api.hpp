// renkei::hub API — the REST API under /api/v1, independent of the HTTP transport: a Request in,
// a Response out. server.cpp carries it over HTTP; the unit tests call it directly.
//
// Contract: handle() is thread-safe. Every error is a JSON body {"error": {"code", "message",
// "hint"}} with the status of http_status(); nothing is half-written (each change is one store
// transaction). Authorisation is decided in authz.hpp.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "store/store.hpp"

namespace renkei::hub {

struct Request {
  std::string method;                         // "GET", "POST", "DELETE"
  std::string path;                           // "/api/v1/submissions/42" (no query)
  std::map<std::string, std::string> query;   // decoded query parameters
  std::string authorization;                  // the Authorization header
  std::string content_type;
  std::string body;
  std::string remote;                         // client address, for the audit log
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

// The one mapping of error codes to HTTP statuses.
int http_status(Errc code);
Response error_response(const Error& e);

// Requests per API token (or per user for password logins): a token bucket refilled at
// `per_second`, holding at most `burst`. Beyond it: 429 with Retry-After.
struct RateLimit {
  double per_second = 20;
  double burst = 300;
};

class Api {
 public:
  // `on_submitted` is called after a submission was stored (wakes the analysis workers).
  Api(store::Store& store, std::function<void()> on_submitted = {}, RateLimit limit = {});
  ~Api();
  Response handle(const Request& request) const;

 private:
  store::Store& store_;
  std::function<void()> on_submitted_;
  struct Limiter;
  std::unique_ptr<Limiter> limiter_;
};

// The OpenAPI 3.1 description of the API (served at /api/v1/openapi.json).
const std::string& openapi_json();

}  // namespace renkei::hub
