#include "inputs.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <iostream>
#include <sstream>

namespace renkei::cli {
namespace fs = std::filesystem;
namespace {

bool looks_like_mbox(const std::string& bytes) {
  if (bytes.rfind("From ", 0) != 0) return false;
  return bytes.find("\nFrom ", 5) != std::string::npos;
}

// Splits an mbox (mboxrd/mboxo) on "From " separator lines, un-escaping ">From ".
template <typename Fn>
void split_mbox(const std::string& bytes, Fn&& emit) {
  std::size_t pos = 0;
  int n = 0;
  while (pos < bytes.size()) {
    std::size_t next = bytes.find("\nFrom ", pos + 1);
    const std::size_t end = next == std::string::npos ? bytes.size() : next + 1;
    std::string msg = bytes.substr(pos, end - pos);
    // Drop the separator line itself; the parser would skip it, but the bytes should be the mail.
    if (msg.rfind("From ", 0) == 0) {
      const std::size_t nl = msg.find('\n');
      msg.erase(0, nl == std::string::npos ? msg.size() : nl + 1);
    }
    std::size_t q = 0;
    while ((q = msg.find("\n>From ", q)) != std::string::npos) msg.erase(q + 1, 1);
    emit(++n, std::move(msg));
    pos = end;
  }
}

}  // namespace

// Reads at most max_bytes + 1 bytes (one more than allowed, so that the parser can report the
// message-size limit). POSIX calls rather than an ifstream: one open, one fstat and usually one
// read per file, no stream buffer, no zero-filled string (a batch opens thousands of files).
Result<std::string> read_file(const fs::path& p, std::size_t max_bytes) {
  const int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT)
      return make_error(Errc::kIo, "no such file or directory: " + p.string(), "check the path");
    return make_error(Errc::kIo, "cannot open " + p.string(),
                      "check that the file exists and is readable");
  }
  struct stat st {};
  const std::size_t limit = max_bytes + 1;
  // A regular file's size is a good first guess (it may still grow or shrink while we read);
  // pipes and special files report 0 and are read in steps.
  std::size_t capacity = 64u << 10;
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0)
    capacity = static_cast<std::size_t>(st.st_size) + 1;  // + 1 sees the end in the same read
  capacity = std::min(capacity, limit);
  std::string data;
  std::size_t used = 0;
  bool failed = false;
  while (used < limit) {
    if (data.size() == used) data.resize(std::min(limit, std::max(capacity, used * 2)));
    const ssize_t n = ::read(fd, data.data() + used, data.size() - used);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      failed = true;
      break;
    }
    if (n == 0) break;
    used += static_cast<std::size_t>(n);
  }
  ::close(fd);
  if (failed)
    return make_error(Errc::kIo, "error reading " + p.string(), "check the disk and the file");
  data.resize(used);
  return data;
}

std::size_t count_inputs(const std::vector<std::string>& inputs) {
  std::size_t n = 0;
  for (const auto& in : inputs) {
    std::error_code ec;
    if (in != "-" && fs::is_directory(in, ec)) {
      for (auto it = fs::recursive_directory_iterator(
               in, fs::directory_options::skip_permission_denied, ec);
           it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (ec) break;
        if (it->is_regular_file(ec)) ++n;
      }
    } else {
      ++n;
    }
  }
  return n;
}

std::size_t for_each_input(const std::vector<std::string>& inputs, std::size_t max_bytes,
                           const std::function<void(InputItem)>& emit_item) {
  std::size_t seq = 0;
  auto emit = [&](std::string source, std::string bytes, std::string error) {
    emit_item(InputItem{seq++, std::move(source), std::move(bytes), std::move(error)});
  };
  auto handle_bytes = [&](const std::string& source, std::string bytes) {
    if (looks_like_mbox(bytes)) {
      split_mbox(bytes, [&](int n, std::string msg) {
        emit(source + "#" + std::to_string(n), std::move(msg), "");
      });
    } else {
      emit(source, std::move(bytes), "");
    }
  };
  for (const auto& in : inputs) {
    if (in == "-") {
      std::ostringstream ss;
      ss << std::cin.rdbuf();
      handle_bytes("-", ss.str());
      continue;
    }
    std::error_code ec;
    const fs::path p(in);
    if (fs::is_directory(p, ec)) {
      std::vector<fs::path> files;
      for (auto it = fs::recursive_directory_iterator(
               p, fs::directory_options::skip_permission_denied, ec);
           it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (ec) break;
        if (it->is_regular_file(ec)) files.push_back(it->path());
      }
      std::sort(files.begin(), files.end());  // stable, reproducible order
      for (const auto& f : files) {
        auto data = read_file(f, max_bytes);
        if (!data)
          emit(f.string(), "", data.error().to_string());
        else
          handle_bytes(f.string(), std::move(*data));
      }
      continue;
    }
    auto data = read_file(p, max_bytes);
    if (!data)
      emit(in, "", data.error().to_string());
    else
      handle_bytes(in, std::move(*data));
  }
  return seq;
}

}  // namespace renkei::cli
