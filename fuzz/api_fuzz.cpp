// libFuzzer harness for the hub's REST API (lib/hub/api.cpp) on a real SQLite store: request
// bodies (JSON, mail), query strings (decoded by the HTTP layer's parse_query) and paths come from
// the network.
//
// Input: byte 0 picks the operation, byte 1 the caller (hub admin, participant, no token); the rest
// is the body, the query string, or the path with what follows it in a request head (the request
// line's end and header fields, read by the HTTP layer's parse_head). Invariants checked with
// __builtin_trap(): the status is one the API documents, and every answer but the raw/OpenAPI ones
// is a JSON object, errors with code, message and hint.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "hub/api.hpp"
#include "hub/http_server.hpp"
#include "store/store.hpp"

namespace {

using renkei::hub::Api;
using renkei::hub::Request;

constexpr std::size_t kMaxInput = 64 * 1024;

void check(bool ok) {
  if (!ok) __builtin_trap();
}

struct World {
  std::unique_ptr<renkei::store::Store> store;
  std::unique_ptr<Api> api;
  std::string admin, participant;
};

World& world() {
  static World w = [] {
    World x;
    const auto dir =
        std::filesystem::temp_directory_path() / ("renkei-api-fuzz-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    x.store = std::move(*renkei::store::open_sqlite(dir.string()));
    (void)x.store->migrate();
    renkei::model::Organization org;
    org.data.name = "A Company";
    org.data.domains = {"a-company.co.jp"};
    const auto org_id = *x.store->create_organization(org);
    const auto admin =
        *x.store->create_user({std::nullopt, "admin", "", renkei::model::Role::kHubAdmin, ""});
    const auto sub =
        *x.store->create_user({org_id, "sub", "", renkei::model::Role::kSubmitter, ""});
    x.admin = x.store->create_token(admin, "fuzz", {})->secret;
    x.participant = x.store->create_token(sub, "fuzz", {})->secret;
    x.api = std::make_unique<Api>(
        *x.store, nullptr, renkei::hub::RateLimit{1e9, 1e9});  // the limiter is not under test
    return x;
  }();
  return w;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2 || size > kMaxInput) return 0;
  World& w = world();
  const std::string rest(reinterpret_cast<const char*>(data) + 2, size - 2);
  Request r;
  r.remote = "fuzz";
  r.authorization = data[1] % 3 == 0   ? "Bearer " + w.admin
                    : data[1] % 3 == 1 ? "Bearer " + w.participant
                                       : rest.substr(0, 60);
  r.content_type = "application/json";
  r.method = "POST";
  switch (data[0] % 10) {
    case 0:
      r.path = "/api/v1/submissions";
      r.body = rest;
      break;
    case 1:
      r.path = "/api/v1/submissions";
      r.content_type = "message/rfc822";
      r.body = rest;
      break;
    case 2:
      r.path = "/api/v1/organizations";
      r.body = rest;
      break;
    case 3:
      r.path = "/api/v1/users";
      r.body = rest;
      break;
    case 4:
      r.path = "/api/v1/tokens";
      r.body = rest;
      break;
    case 5:
      r.path = "/api/v1/sigs";
      r.body = rest;
      break;
    case 6:
      r.path = "/api/v1/sigs/1/members";
      r.body = rest;
      break;
    case 7:  // a query string, decoded by the HTTP layer's parser (http_server.hpp)
      r.method = "GET";
      r.path = "/api/v1/submissions";
      if (auto parsed = renkei::hub::parse_query(rest, r.query); !parsed) {
        check(parsed.error().code == renkei::Errc::kInvalidArgument);  // the server's 400
        return 0;
      }
      break;
    case 8: {  // a request head, read by the HTTP layer (http_server.hpp), then the API
      auto head = renkei::hub::parse_head("GET /api/v1/" + rest + "\r\n\r\n");
      if (!head) {
        static const std::set<int> kHeadStatuses{400, 414, 431};
        check(kHeadStatuses.count(head.error().status) == 1);
        const auto j = nlohmann::json::parse(head.error().body, nullptr, false);
        check(!j.is_discarded() && j.contains("error") && j["error"].contains("hint"));
        return 0;
      }
      const std::string authorization = r.authorization;
      r = std::move(*head);
      if (r.authorization.empty()) r.authorization = authorization;
      r.remote = "fuzz";
      break;
    }
    default:
      r.method = rest.empty() ? "PUT" : "DELETE";
      r.path = "/api/v1/tokens/" + rest;
      break;
  }
  const auto resp = w.api->handle(r);
  static const std::set<int> kStatuses{200, 201, 202, 400, 401, 403, 404,
                                       409, 413, 415, 429, 500, 503};
  check(kStatuses.count(resp.status) == 1);
  if (resp.content_type == "application/json" && r.path != "/api/v1/openapi.json") {
    const auto j = nlohmann::json::parse(resp.body, nullptr, false);
    check(!j.is_discarded() && j.is_object());
    if (resp.status >= 400)
      check(j.contains("error") && j["error"].contains("code") && j["error"].contains("message") &&
            j["error"].contains("hint"));
  }
  check(resp.status != 500);  // an internal error on any input is a bug
  return 0;
}
