#include "hub/web_files.hpp"

#include <unistd.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <system_error>

namespace renkei::hub {
namespace {

std::string_view content_type_of(std::string_view path) {
  const auto dot = path.rfind('.');
  const std::string_view ext =
      dot == std::string_view::npos ? std::string_view() : path.substr(dot + 1);
  if (ext == "html") return "text/html; charset=utf-8";
  if (ext == "js" || ext == "mjs") return "text/javascript; charset=utf-8";
  if (ext == "css") return "text/css; charset=utf-8";
  if (ext == "woff2") return "font/woff2";
  if (ext == "woff") return "font/woff";
  if (ext == "svg") return "image/svg+xml";
  if (ext == "png") return "image/png";
  if (ext == "ico") return "image/x-icon";
  if (ext == "json" || ext == "map") return "application/json";
  if (ext == "txt") return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

bool has_index(const std::filesystem::path& dir) {
  std::error_code ec;
  return std::filesystem::is_regular_file(dir / "index.html", ec);
}

}  // namespace

Result<WebFiles> WebFiles::load(const std::string& root) {
  namespace fs = std::filesystem;
  if (!has_index(root))
    return make_error(Errc::kNotFound, "no index.html in " + root,
                      "build the web UI (cmake --build builds it) or give --web-root DIR");
  WebFiles w;
  w.root_ = root;
  std::size_t total = 0;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(root, fs::directory_options::none, ec), end;
       it != end && !ec; it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;  // symbolic links to directories are not followed
    if (w.files_.size() >= kMaxFiles)
      return make_error(Errc::kLimit,
                        root + " holds more than " + std::to_string(kMaxFiles) + " files",
                        "point --web-root at the built UI");
    const std::string rel = "/" + fs::relative(it->path(), root, ec).generic_string();
    std::ifstream in(it->path(), std::ios::binary);
    std::ostringstream body;
    body << in.rdbuf();
    if (!in.good() && !in.eof())
      return make_error(Errc::kIo, "cannot read " + it->path().string(), "check the permissions");
    File f{std::string(content_type_of(rel)), std::move(body).str()};
    total += f.body.size();
    if (total > kMaxBytes)
      return make_error(Errc::kLimit,
                        root + " holds more than " + std::to_string(kMaxBytes >> 20) + " MiB",
                        "point --web-root at the built UI");
    w.files_.emplace(rel, std::move(f));
  }
  if (ec)
    return make_error(Errc::kIo, "cannot list " + root + ": " + ec.message(),
                      "check the permissions");
  // The build's precompressed copies go with their files, and are not files of their own.
  constexpr std::string_view kGz = ".gz";
  for (auto it = w.files_.begin(); it != w.files_.end();) {
    const std::string& name = it->first;
    if (name.size() > kGz.size() && name.compare(name.size() - kGz.size(), kGz.size(), kGz) == 0) {
      if (auto plain = w.files_.find(std::string_view(name).substr(0, name.size() - kGz.size()));
          plain != w.files_.end())
        plain->second.gzip = std::move(it->second.body);
      it = w.files_.erase(it);
    } else {
      ++it;
    }
  }
  return w;
}

bool accepts_gzip(std::string_view accept_encoding) {
  // A comma-separated list of codings, each with optional parameters (";q=0.5"). A coding named
  // itself overrides "*": "gzip;q=0, *" refuses gzip.
  std::optional<bool> gzip, star;
  std::size_t pos = 0;
  while (pos < accept_encoding.size()) {
    std::size_t comma = accept_encoding.find(',', pos);
    if (comma == std::string_view::npos) comma = accept_encoding.size();
    std::string item;
    for (char c : accept_encoding.substr(pos, comma - pos))
      if (c != ' ' && c != '\t')
        item += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    pos = comma + 1;
    const std::size_t semi = item.find(';');
    const std::string coding = item.substr(0, semi);
    bool accepted = true;
    if (semi != std::string::npos) {
      const std::string params = item.substr(semi + 1);
      if (const std::size_t q = params.find("q="); q != std::string::npos) {
        // q=0, q=0.0, q=0.000 refuse the coding; any other weight accepts it.
        const std::string weight = params.substr(q + 2, params.find(';', q) - (q + 2));
        accepted = weight.find_first_not_of("0.") != std::string::npos;
      }
    }
    if (coding == "gzip" || coding == "x-gzip") gzip = accepted;
    if (coding == "*") star = accepted;
  }
  return gzip ? *gzip : star.value_or(false);
}

Response WebFiles::serve(std::string_view path, std::string_view accept_encoding) const {
  Response r;
  auto security = [&r] {
    r.headers.emplace_back("Content-Security-Policy", std::string(kWebCsp));
    r.headers.emplace_back("X-Content-Type-Options", "nosniff");
    r.headers.emplace_back("Referrer-Policy", "no-referrer");
    r.headers.emplace_back("X-Frame-Options", "DENY");
    r.headers.emplace_back("Cross-Origin-Opener-Policy", "same-origin");
  };
  security();
  // Only the files that were loaded can be named: there is no file system path to escape from,
  // but a ".." or a NUL is still refused outright.
  const bool hostile = path.find("..") != std::string_view::npos ||
                       path.find('\0') != std::string_view::npos || path.empty() ||
                       path.front() != '/';
  auto it =
      hostile ? files_.end() : files_.find(path == "/" ? std::string_view("/index.html") : path);
  const bool asset = path.rfind("/assets/", 0) == 0;
  if (it == files_.end() && (hostile || asset || path.find('.') != std::string_view::npos)) {
    r.status = 404;
    r.content_type = "text/plain; charset=utf-8";
    r.body = "not found\n";
    r.headers.emplace_back("Cache-Control", "no-store");
    return r;
  }
  if (it == files_.end())
    it = files_.find(std::string_view("/index.html"));  // an application route
  r.content_type = it->second.content_type;
  if (!it->second.gzip.empty()) {
    // A cache must not give the compressed copy to a client that cannot read it.
    r.headers.emplace_back("Vary", "Accept-Encoding");
    if (accepts_gzip(accept_encoding)) {
      r.body = it->second.gzip;
      r.headers.emplace_back("Content-Encoding", "gzip");
    } else {
      r.body = it->second.body;
    }
  } else {
    r.body = it->second.body;
  }
  // Vite names assets by their content: they never change under one name.
  r.headers.emplace_back("Cache-Control",
                         asset ? "public, max-age=31536000, immutable" : "no-cache");
  return r;
}

std::string find_web_root(const std::string& configured) {
  namespace fs = std::filesystem;
  if (!configured.empty()) return configured;
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec && has_index(exe.parent_path() / "web")) return (exe.parent_path() / "web").string();
  if (has_index("/usr/share/renkei/web")) return "/usr/share/renkei/web";
  return {};
}

}  // namespace renkei::hub
