// renkei::hub HTTP — the transport-neutral request and response every handler of the hub speaks
// (the REST API, the web UI's files, and later TAXII), and the one mapping of error codes to HTTP.
// server.cpp carries them over HTTP; the unit tests build them directly.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "util/result.hpp"

namespace renkei::hub {

struct Request {
  std::string method;                        // "GET", "POST", "PUT", "PATCH", "DELETE"
  std::string path;                          // "/api/v1/submissions/42" (no query)
  std::map<std::string, std::string> query;  // decoded query parameters
  std::string authorization;                 // the Authorization header
  std::string content_type;
  std::string body;
  std::string remote;           // client address, for the audit log and login limits
  std::string cookie;           // the Cookie header
  std::string csrf_token;       // the X-CSRF-Token header
  std::string origin;           // the Origin header ("" when absent)
  std::string fetch_site;       // the Sec-Fetch-Site header ("" when absent)
  std::string host;             // the Host header
  std::string accept_encoding;  // the Accept-Encoding header (static files: gzip when accepted)
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;

  bool has_header(std::string_view name) const;
};

// The request's media type: Content-Type without parameters, spaces and case ("application/json";
// media types are case-insensitive, RFC 9110 8.3.1). "" when there is none.
std::string media_type(const Request& req);

// The one mapping of error codes to HTTP statuses.
int http_status(Errc code);
// {"error": {"code", "message", "hint"}} with the status of http_status() (and WWW-Authenticate
// for 401, Retry-After for 429 and 503).
Response error_response(const Error& e);

}  // namespace renkei::hub
