// The hub's HTTP/1.1 server on Boost.Beast. Why not the HTTP library the hub used before
// (RESTinio 0.6): it reads every body into memory before any handler sees the request, so the hub
// could not refuse an unauthenticated upload, or one over its memory budget, before holding it.
// Beast reads the head and the body as separate steps, which is what the admission needs.
//
// Each connection is one chain of asynchronous operations on its own strand (read head, admit,
// read body, handle, write, again); the handler runs on the HTTP thread that completes the read,
// as before. Boost's exceptions (bad_alloc, system_error of a socket) are caught here.
#include "hub/http_server.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <iostream>
#include <limits>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

namespace renkei::hub {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

// An answer given before the body was read ends the connection; before closing, what the client
// still sends is read and thrown away for at most this long and this much, so that a client that
// sends its whole body before reading sees the answer rather than a reset.
constexpr std::chrono::seconds kLingerTime{2};
constexpr std::size_t kLingerBytes = 1u << 20;
// A chunked body's string grows by at least this much at a time, reserved ahead against the
// budget so that appending never reallocates behind its back.
constexpr std::size_t kChunkedGrowth = 256u << 10;
// What a connection's read buffer may hold beyond a head (the start of a body, a pipelined
// request).
constexpr std::size_t kReadBufferSlack = 64u << 10;

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Result<std::string> percent_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%') {
      const int h = i + 1 < s.size() ? hex_value(s[i + 1]) : -1;
      const int l = i + 2 < s.size() ? hex_value(s[i + 2]) : -1;
      if (h < 0 || l < 0)
        return make_error(Errc::kInvalidArgument,
                          "the query string cannot be read: a malformed %-escape at \"" +
                              std::string(s.substr(i, 3)) + "\"",
                          "percent-encode reserved characters in parameter values (RFC 3986)");
      out += static_cast<char>(h * 16 + l);
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

Response limit_response(int status, std::string message, std::string hint) {
  Response r = error_response({Errc::kLimit, std::move(message), std::move(hint)});
  r.status = status;
  return r;
}

Response plain_error(const Error& e) {
  Response r = error_response(e);
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  return r;
}

using HeadParser = http::request_parser<http::empty_body>;

void configure(HeadParser& p, const HttpLimits& limits) {
  p.header_limit(static_cast<std::uint32_t>(limits.max_head_bytes));
  // Decided by the admission, before reading any body. (Not boost::none: Boost 1.74 compares a
  // Content-Length with an empty limit as larger.)
  p.body_limit(std::numeric_limits<std::uint64_t>::max());
}

Response uri_too_long(const HttpLimits& limits) {
  return limit_response(414,
                        "the request target is longer than " + byte_size(limits.max_target_bytes),
                        "send long parameters in a request body");
}

Response head_too_large(const HttpLimits& limits) {
  return limit_response(431,
                        "the request's header is larger than " + byte_size(limits.max_head_bytes) +
                            " or has more than " + std::to_string(limits.max_header_fields) +
                            " fields",
                        "send fewer or smaller header fields");
}

// The request of a head the parser has read (ec: how reading it ended), or the answer to give.
tl::expected<Request, Response> to_request(const HeadParser& p, beast::error_code ec,
                                           const HttpLimits& limits) {
  const auto& h = p.get();
  if (ec == http::error::header_limit || ec == http::error::buffer_overflow) {
    // Over the head's limit: when the request line was not even complete (the parser has no
    // target yet), it is a long URL.
    if (h.target().empty()) return tl::unexpected(uri_too_long(limits));
    return tl::unexpected(head_too_large(limits));
  }
  if (ec)
    return tl::unexpected(plain_error({Errc::kInvalidArgument,
                                       "the request cannot be read as HTTP/1.1: " + ec.message(),
                                       "send a well-formed HTTP/1.1 request"}));
  if (h.target().size() > limits.max_target_bytes) return tl::unexpected(uri_too_long(limits));
  if (static_cast<std::size_t>(std::distance(h.begin(), h.end())) > limits.max_header_fields)
    return tl::unexpected(head_too_large(limits));
  Request r;
  r.method = std::string(h.method_string());
  const std::string_view target(h.target().data(), h.target().size());
  const auto q = target.find('?');
  r.path = std::string(target.substr(0, q));
  auto field = [&h](auto name) {
    const auto v = h[name];
    return std::string(v.data(), v.size());
  };
  r.authorization = field(http::field::authorization);
  r.content_type = field(http::field::content_type);
  r.cookie = field(http::field::cookie);
  r.csrf_token = field("X-CSRF-Token");
  r.origin = field(http::field::origin);
  r.fetch_site = field("Sec-Fetch-Site");
  r.host = field(http::field::host);
  r.accept_encoding = field(http::field::accept_encoding);
  if (q != std::string_view::npos) {
    if (auto parsed = parse_query(target.substr(q + 1), r.query); !parsed)
      return tl::unexpected(plain_error(parsed.error()));
  }
  return r;
}

}  // namespace

Result<void> parse_query(std::string_view query, std::map<std::string, std::string>& out) {
  std::size_t b = 0;
  while (b < query.size()) {
    const std::size_t e = std::min(query.find('&', b), query.size());
    const std::string_view pair = query.substr(b, e - b);
    b = e + 1;
    if (pair.empty()) continue;
    const std::size_t eq = pair.find('=');
    RENKEI_TRY(key, percent_decode(pair.substr(0, eq)));
    RENKEI_TRY(value, percent_decode(eq == std::string_view::npos ? std::string_view()
                                                                  : pair.substr(eq + 1)));
    out.emplace(std::move(key), std::move(value));
  }
  return {};
}

std::string byte_size(std::size_t bytes) {
  if (bytes >= (1u << 20) && bytes % (1u << 20) == 0) return std::to_string(bytes >> 20) + " MiB";
  if (bytes >= 1024 && bytes % 1024 == 0) return std::to_string(bytes >> 10) + " KiB";
  return std::to_string(bytes) + " bytes";
}

tl::expected<Request, Response> parse_head(std::string_view raw, const HttpLimits& limits) {
  HeadParser p;
  configure(p, limits);
  beast::error_code ec;
  std::size_t used = 0;
  while (!ec && !p.is_header_done()) {
    const std::size_t n = p.put(net::buffer(raw.data() + used, raw.size() - used), ec);
    used += n;
    if (ec == http::error::need_more || (!ec && n == 0)) {
      if (raw.size() - used >= limits.max_head_bytes) {
        ec = http::error::header_limit;  // as the server's read buffer would end it
        break;
      }
      return tl::unexpected(plain_error(
          {Errc::kInvalidArgument, "the request's head is incomplete", "end it with CRLF CRLF"}));
    }
  }
  return to_request(p, ec, limits);
}

class Connection;

struct HttpServer::Impl {
  Impl(const HttpLimits& l, HttpHooks h)
      : limits(l), hooks(std::move(h)), acceptor(net::make_strand(ioc)) {}

  HttpLimits limits;
  HttpHooks hooks;
  net::io_context ioc;
  tcp::acceptor acceptor;  // used on its strand only
  std::vector<std::thread> threads;
  std::atomic<bool> stopping{false};
  std::atomic<std::size_t> connections{0};  // being served (not counting refused ones)
  std::atomic<std::size_t> body_bytes{0};   // reserved by bodies being read or handled

  std::mutex mu;  // guards live
  std::unordered_map<const Connection*, std::weak_ptr<Connection>> live;

  // Takes `n` bytes of the body budget; false (and nothing taken) when they are not left.
  bool take_body_bytes(std::size_t n) {
    std::size_t cur = body_bytes.load();
    do {
      if (n > limits.max_body_memory || cur > limits.max_body_memory - n) return false;
    } while (!body_bytes.compare_exchange_weak(cur, cur + n));
    return true;
  }
  void give_back_body_bytes(std::size_t n) { body_bytes.fetch_sub(n); }

  void accept();
  void on_accept(beast::error_code ec, tcp::socket socket);
};

namespace {

enum class Phase { kHead, kBody, kHandling, kWriting, kClosing };

}  // namespace

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(HttpServer::Impl& server, tcp::socket&& socket, bool counted)
      : server_(server),
        stream_(std::move(socket)),
        buffer_(server.limits.max_head_bytes + kReadBufferSlack),
        counted_(counted) {
    beast::error_code ec;
    const auto ep = stream_.socket().remote_endpoint(ec);
    if (!ec) remote_ = ep.address().to_string();
  }
  ~Connection() {
    give_back();
    if (counted_) server_.connections.fetch_sub(1);
    const std::lock_guard lock(server_.mu);
    server_.live.erase(this);
  }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  void start() {
    {
      const std::lock_guard lock(server_.mu);
      server_.live.emplace(this, weak_from_this());
    }
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
      if (!self->counted_) {
        self->answer_and_close(
            plain_error({Errc::kUnavailable, "the hub serves as many connections as it may",
                         "try again in a moment"}));
        return;
      }
      self->read_head();
    });
  }

  // On SIGTERM: a connection waiting for a request is closed; one in a request ends after its
  // answer.
  void stop() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
      if (self->phase_ == Phase::kHead) {
        beast::error_code ec;
        self->stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
        self->stream_.close();
      }
    });
  }

 private:
  void give_back() {
    if (reserved_ > 0) server_.give_back_body_bytes(std::exchange(reserved_, 0));
  }

  void read_head() {
    phase_ = Phase::kHead;
    if (server_.stopping) return close();
    head_.emplace();
    configure(*head_, server_.limits);
    stream_.expires_after(server_.limits.head_timeout);
    http::async_read_header(
        stream_, buffer_, *head_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_head(ec); });
  }

  void on_head(beast::error_code ec) {
    method_is_head_ = false;
    version_ = 11;
    // A timeout, the client gone: nobody to answer. (What is not HTTP/1 is answered 400.)
    if (ec == beast::error::timeout || ec == http::error::end_of_stream || ec == net::error::eof ||
        ec == net::error::operation_aborted || ec == net::error::connection_reset ||
        (ec && ec != http::error::header_limit && ec != http::error::buffer_overflow &&
         buffer_.size() == 0))
      return close();
    auto request = to_request(*head_, ec, server_.limits);
    if (!request) {
      // A head over the limits or unreadable: no body may follow that can be found.
      if (ec || !head_->is_header_done()) return answer_and_close(std::move(request.error()));
    }
    const auto& h = head_->get();
    keep_alive_ = head_->keep_alive();
    version_ = h.version();
    method_is_head_ = h.method() == http::verb::head;

    const auto length = head_->content_length();
    const bool chunked = head_->chunked();
    const bool has_body = chunked || (length && *length > 0);
    if (!request) {
      // Over the target or field limits, or a malformed query: answered; the connection goes on
      // only when no body follows.
      const bool limit = request.error().status == 414 || request.error().status == 431;
      if (limit) return answer_and_close(std::move(request.error()));
      return answer(std::move(request.error()), has_body);
    }
    request_ = std::move(*request);
    request_.remote = remote_;

    HttpHooks::Admission admission;
    try {
      admission = server_.hooks.admit(request_, has_body);
    } catch (const std::exception&) {
      admission.answer = plain_error({Errc::kInternal, "the request could not be admitted", ""});
    }
    if (admission.answer) return answer(std::move(*admission.answer), has_body);
    if (!has_body) return handle();

    const std::size_t limit = admission.body_limit;
    admission_limit_ = limit;
    if (length && *length > limit) return answer_and_close(too_large(limit));
    if (length && !reserve(static_cast<std::size_t>(*length))) return answer_and_close(busy());

    body_.emplace(std::move(*head_));
    head_.reset();
    body_->body_limit(limit);
    phase_ = Phase::kBody;
    stream_.expires_after(server_.limits.body_timeout);
    const auto expect = body_->get()[http::field::expect];
    if (beast::iequals(expect, "100-continue")) {
      // The client waits for this before sending the body it may now send.
      continue_ = std::make_shared<http::response<http::empty_body>>(http::status::continue_,
                                                                     body_->get().version());
      http::async_write(stream_, *continue_,
                        [self = shared_from_this()](beast::error_code wec, std::size_t) {
                          if (wec) return self->close();
                          self->read_body();
                        });
      return;
    }
    read_body();
  }

  bool reserve(std::size_t total) {
    if (total <= reserved_) return true;
    if (!server_.take_body_bytes(total - reserved_)) return false;
    reserved_ = total;
    return true;
  }

  void read_body() {
    if (body_->chunked()) {
      // Grow the body ahead of what one read can append, within the budget.
      std::string& b = body_->get().body();
      if (b.capacity() - b.size() < kChunkedGrowth) {
        // Geometric growth, but never reserving much past the route's limit.
        const std::size_t want =
            std::max(b.size() + kChunkedGrowth,
                     std::min(b.capacity() * 3 / 2, admission_limit_ + kChunkedGrowth));
        if (!reserve(want)) return answer_and_close(busy());
        b.reserve(want);
      }
    }
    http::async_read_some(
        stream_, buffer_, *body_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_body(ec); });
  }

  void on_body(beast::error_code ec) {
    if (ec == http::error::body_limit) return answer_and_close(too_large(limit_of_body()));
    if (ec == http::error::need_buffer) ec = {};
    if (ec) return close();  // a timeout or the client gone: nobody to answer
    if (!body_->is_done()) return read_body();
    request_.body = std::move(body_->get().body());
    body_.reset();
    handle();
  }

  std::size_t limit_of_body() const { return admission_limit_; }

  void handle() {
    phase_ = Phase::kHandling;
    Response r;
    try {
      r = server_.hooks.handle(request_);
    } catch (const std::exception&) {
      r = plain_error({Errc::kInternal, "the request could not be answered", ""});
    }
    request_ = Request{};
    give_back();
    write(std::move(r), keep_alive_ && !server_.stopping, false);
  }

  // An answer before the body was read: the connection cannot carry another request when the
  // client was about to send one.
  void answer(Response r, bool has_body) {
    if (has_body) return answer_and_close(std::move(r));
    request_ = Request{};
    write(std::move(r), keep_alive_ && !server_.stopping, false);
  }

  void answer_and_close(Response r) {
    head_.reset();
    body_.reset();
    give_back();
    write(std::move(r), false, true);
  }

  void write(Response r, bool keep_alive, bool linger) {
    phase_ = Phase::kWriting;
    const bool head_only = method_is_head_;
    auto res = std::make_shared<http::response<http::string_body>>(
        static_cast<http::status>(r.status), version_);
    res->set(http::field::content_type, r.content_type);
    for (const auto& [k, v] : r.headers) res->insert(k, v);
    res->body() = std::move(r.body);
    res->keep_alive(keep_alive);
    res->prepare_payload();
    if (head_only) res->body().clear();  // Content-Length stays that of the GET
    response_ = res;
    stream_.expires_after(server_.limits.handle_timeout);
    http::async_write(
        stream_, *res,
        [self = shared_from_this(), keep_alive, linger](beast::error_code ec, std::size_t) {
          self->response_.reset();
          if (ec) return self->close();
          if (linger) return self->linger();
          if (!keep_alive) return self->close();
          self->read_head();
        });
  }

  void linger() {
    phase_ = Phase::kClosing;
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec) return close();
    stream_.expires_after(kLingerTime);
    drain();
  }

  void drain() {
    if (!scratch_) {
      // The read buffer (up to a head's size) is given back; a lingering connection holds 4 KiB.
      buffer_.clear();
      buffer_.shrink_to_fit();
      scratch_ = std::make_unique<std::array<char, 4096>>();
    }
    stream_.async_read_some(net::buffer(*scratch_),
                            [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                              self->lingered_ += n;
                              if (ec || self->lingered_ > kLingerBytes) return self->close();
                              self->drain();
                            });
  }

  void close() {
    phase_ = Phase::kClosing;
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.close();
  }

  Response too_large(std::size_t limit) const {
    return limit_response(413, "the request body is larger than " + byte_size(limit),
                          "send at most " + byte_size(limit) +
                              " here (files of up to 64 MiB go to POST /api/v1/submissions)");
  }
  static Response busy() {
    return plain_error({Errc::kUnavailable,
                        "the hub is receiving as much as it may hold; the body was not read",
                        "try again in a moment"});
  }

  HttpServer::Impl& server_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  bool counted_;
  std::string remote_;
  Phase phase_ = Phase::kHead;
  std::optional<http::request_parser<http::empty_body>> head_;
  std::optional<http::request_parser<http::string_body>> body_;
  std::shared_ptr<http::response<http::empty_body>> continue_;
  std::shared_ptr<http::response<http::string_body>> response_;
  Request request_;
  bool keep_alive_ = false;
  bool method_is_head_ = false;
  unsigned version_ = 11;
  std::size_t admission_limit_ = 0;
  std::size_t reserved_ = 0;  // bytes of the body budget this connection holds
  std::size_t lingered_ = 0;
  std::unique_ptr<std::array<char, 4096>> scratch_;  // what a lingering connection reads into
};

void HttpServer::Impl::accept() {
  acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
    on_accept(ec, std::move(socket));
  });
}

void HttpServer::Impl::on_accept(beast::error_code ec, tcp::socket socket) {
  if (stopping || !acceptor.is_open()) return;
  if (ec) {
    // Out of file descriptors, or a connection gone before it was accepted: go on after a pause.
    auto timer =
        std::make_shared<net::steady_timer>(acceptor.get_executor(), std::chrono::milliseconds(50));
    timer->async_wait([this, timer](beast::error_code) { accept(); });
    return;
  }
  const bool counted = connections.fetch_add(1) < limits.max_connections;
  if (!counted) connections.fetch_sub(1);
  try {
    std::make_shared<Connection>(*this, std::move(socket), counted)->start();
  } catch (const std::exception&) {
    // bad_alloc: the connection is dropped; the server goes on
  }
  accept();
}

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

HttpServer::~HttpServer() {
  stop();
}

Result<std::unique_ptr<HttpServer>> HttpServer::start(const std::string& host, std::uint16_t port,
                                                      unsigned threads, const HttpLimits& limits,
                                                      HttpHooks hooks) {
  auto impl = std::make_unique<Impl>(limits, std::move(hooks));
  beast::error_code ec;
  const auto address = net::ip::make_address(host, ec);
  if (ec)
    return make_error(Errc::kInvalidArgument, "\"" + host + "\" is not an IP address",
                      "listen on an address such as 127.0.0.1, ::1 or 0.0.0.0");
  const tcp::endpoint ep(address, port);
  auto& a = impl->acceptor;
  auto fail = [&](const char* what) {
    return make_error(Errc::kUnavailable,
                      std::string("cannot ") + what + " " + host + ":" + std::to_string(port) +
                          ": " + ec.message(),
                      "is another server running there? choose another --listen");
  };
  if (a.open(ep.protocol(), ec); ec) return fail("open a socket for");
  if (a.set_option(net::socket_base::reuse_address(true), ec); ec) return fail("configure");
  if (a.bind(ep, ec); ec) return fail("listen on");
  if (a.listen(net::socket_base::max_listen_connections, ec); ec) return fail("listen on");
  impl->accept();
  Impl& i = *impl;
  for (unsigned t = 0; t < std::max(1u, threads); ++t)
    i.threads.emplace_back([&i] {
      for (;;) {
        try {
          i.ioc.run();
          return;
        } catch (const std::exception& e) {
          std::cerr << "renkei serve: HTTP thread: " << e.what() << std::endl;
        }
      }
    });
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl)));
}

void HttpServer::stop() {
  if (!impl_ || impl_->stopping.exchange(true)) return;
  net::dispatch(impl_->acceptor.get_executor(), [this] {
    beast::error_code ec;
    impl_->acceptor.close(ec);
  });
  std::vector<std::shared_ptr<Connection>> live;
  {
    const std::lock_guard lock(impl_->mu);
    for (const auto& [_, weak] : impl_->live)
      if (auto c = weak.lock()) live.push_back(std::move(c));
  }
  for (const auto& c : live) c->stop();
  live.clear();
  for (auto& t : impl_->threads) t.join();
  impl_->threads.clear();
}

}  // namespace renkei::hub
