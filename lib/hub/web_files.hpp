// renkei::hub web files — the web UI's built files (web/ built by Vite: index.html and assets/),
// served by `renkei serve` from the same origin as the API.
//
// Contract: the files are read once, when the server starts (a few megabytes), so requests never
// touch the file system; any path outside /api that names no file is one of the single-page
// application's own routes and gets index.html. Every response carries the UI's
// Content-Security-Policy (no inline script or style, nothing from other origins) and the other
// security headers; assets, whose names carry a content hash, are cached for a year. A file the
// build precompressed (`X.gz` beside `X`) is sent compressed, with Content-Encoding: gzip, to a
// client whose Accept-Encoding accepts gzip; the `.gz` files are not served under their own names.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "hub/api.hpp"
#include "util/result.hpp"

namespace renkei::hub {

// The policy of the UI's pages: its own scripts, styles, fonts and API only; no plugins, no
// framing by others; frames only from the hub itself (the sandboxed mail view).
inline constexpr std::string_view kWebCsp =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src "
    "'self'; connect-src 'self'; "
    "frame-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors "
    "'none'";

class WebFiles {
 public:
  // Reads every file under `root` (which must hold index.html). Limits: kMaxFiles files, kMaxBytes
  // in all. Errors: kNotFound without index.html, kLimit beyond the limits, kIo for a read error.
  static Result<WebFiles> load(const std::string& root);
  static constexpr std::size_t kMaxFiles = 5000;
  static constexpr std::size_t kMaxBytes = 256u << 20;

  // GET or HEAD of `path` (no query): a file, or index.html for an application route; 404 for a
  // missing file under /assets/ and for paths that try to leave the root. `accept_encoding` is
  // the request's Accept-Encoding header ("" when absent: the file is sent as it is).
  Response serve(std::string_view path, std::string_view accept_encoding = {}) const;

  std::size_t files() const { return files_.size(); }
  const std::string& root() const { return root_; }

 private:
  struct File {
    std::string content_type;
    std::string body;
    std::string gzip{};  // the build's precompressed copy, "" when there is none
  };
  std::string root_;
  std::map<std::string, File, std::less<>> files_;  // "/index.html", "/assets/index-1a2b.js", …
};

// Where the built UI is: `configured` when given; else the "web" directory beside the renkei
// executable (the build tree: build/release/renkei and build/release/web), else
// /usr/share/renkei/web. "" when none holds index.html.
std::string find_web_root(const std::string& configured);

// True when an Accept-Encoding header value accepts gzip (RFC 9110 12.5.3): "gzip" or "*" listed
// without q=0.
bool accepts_gzip(std::string_view accept_encoding);

}  // namespace renkei::hub
