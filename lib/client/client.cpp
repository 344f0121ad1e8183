#include "client/client.hpp"

#include <curl/curl.h>

#include <nlohmann/json.hpp>

namespace renkei::client {
namespace {

// The largest reply the client reads (a page of 500 submissions is far below).
constexpr std::size_t kMaxReplyBytes = 64u << 20;

std::size_t on_data(char* data, std::size_t size, std::size_t n, void* user) {
  auto* out = static_cast<std::string*>(user);
  if (out->size() + size * n > kMaxReplyBytes) return 0;  // makes curl fail with a write error
  out->append(data, size * n);
  return size * n;
}

struct GlobalInit {
  GlobalInit() { curl_global_init(CURL_GLOBAL_DEFAULT); }
};

}  // namespace

struct Client::Handle {
  struct Free {
    void operator()(CURL* c) const { curl_easy_cleanup(c); }
  };
  std::unique_ptr<CURL, Free> curl;
};

Client::Client(std::string server, std::string token)
    : server_(std::move(server)), token_(std::move(token)), handle_(std::make_unique<Handle>()) {
  static GlobalInit init;
  while (!server_.empty() && server_.back() == '/') server_.pop_back();
  handle_->curl.reset(curl_easy_init());
}

Client::~Client() = default;

Result<Reply> Client::request(const char* method, std::string_view path,
                              std::string_view content_type, std::string_view body) {
  CURL* c = handle_->curl.get();
  if (c == nullptr) return make_error(Errc::kInternal, "libcurl could not be initialised", "");
  curl_easy_reset(c);
  const std::string url = server_ + "/api/v1" + std::string(path);
  Reply reply;
  struct SlistFree {
    void operator()(curl_slist* l) const { curl_slist_free_all(l); }
  };
  std::unique_ptr<curl_slist, SlistFree> headers;
  auto add = [&](const std::string& h) {
    headers.reset(curl_slist_append(headers.release(), h.c_str()));
  };
  if (!token_.empty()) add("Authorization: Bearer " + token_);
  if (!content_type.empty()) add("Content-Type: " + std::string(content_type));
  add("Expect:");  // no 100-continue round trip
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &reply.body);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, 120L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_USERAGENT, "renkei-cli");
  if (const std::string_view m(method); m == "POST" || m == "PUT" || m == "PATCH") {
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.empty() ? "" : body.data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  }
  const CURLcode rc = curl_easy_perform(c);
  if (rc != CURLE_OK)
    return make_error(Errc::kUnavailable,
                      "cannot reach the hub at " + url + ": " + curl_easy_strerror(rc),
                      "check --server (or RENKEI_SERVER) and that `renkei serve` runs there");
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  reply.status = static_cast<int>(status);
  return reply;
}

Result<Reply> Client::get(std::string_view path) {
  return request("GET", path, "", "");
}

Result<Reply> Client::post(std::string_view path, std::string_view content_type,
                           std::string_view body) {
  return request("POST", path, content_type, body);
}

Result<Reply> Client::put(std::string_view path, std::string_view content_type,
                          std::string_view body) {
  return request("PUT", path, content_type, body);
}

Result<Reply> Client::patch(std::string_view path, std::string_view content_type,
                            std::string_view body) {
  return request("PATCH", path, content_type, body);
}

Result<Reply> Client::del(std::string_view path) {
  return request("DELETE", path, "", "");
}

Result<Accepted> Client::submit_email(std::string_view eml, std::string_view disclosure,
                                      std::string_view channel) {
  RENKEI_TRY(reply, post("/submissions?disclosure=" + std::string(disclosure) +
                             "&channel=" + std::string(channel),
                         "message/rfc822", eml));
  if (reply.status != 200 && reply.status != 202) return tl::unexpected(error_of(reply));
  const auto j = nlohmann::json::parse(reply.body, nullptr, false);
  if (j.is_discarded() || !j.contains("id") || !j["id"].is_number_integer())
    return make_error(Errc::kInternal,
                      "the hub's reply is not a submission receipt: " + reply.body.substr(0, 200),
                      "");
  return Accepted{j["id"].get<std::int64_t>(), j.value("duplicate", false)};
}

Error error_of(const Reply& reply) {
  Errc code = Errc::kInternal;
  switch (reply.status) {
    case 400:
      code = Errc::kInvalidArgument;
      break;
    case 401:
      code = Errc::kUnauthenticated;
      break;
    case 403:
      code = Errc::kPermissionDenied;
      break;
    case 404:
      code = Errc::kNotFound;
      break;
    case 409:
      code = Errc::kConflict;
      break;
    case 413:
      code = Errc::kLimit;
      break;
    case 415:
      code = Errc::kUnsupported;
      break;
    case 429:
      code = Errc::kRateLimited;
      break;
    case 503:
      code = Errc::kUnavailable;
      break;
    default:
      break;
  }
  const auto j = nlohmann::json::parse(reply.body, nullptr, false);
  if (!j.is_discarded() && j.contains("error") && j["error"].is_object())
    return Error{code, j["error"].value("message", "error " + std::to_string(reply.status)),
                 j["error"].value("hint", "")};
  return Error{
      code, "the hub answered " + std::to_string(reply.status) + ": " + reply.body.substr(0, 200),
      ""};
}

}  // namespace renkei::client
