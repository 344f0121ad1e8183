// The input side shared by the C++ peers of bench/bench.py (renkei_mime_parse, renkei_floor):
// the files to read come as arguments, or, with none or "-", one path per line on standard input
// (bench.py feeds the corpus that way, so that a long list is not an argument list).
#pragma once

#include <cstdio>
#include <iostream>
#include <string>

namespace renkei::bench {

// One bulk read into a reused buffer, as renkei analyze does: reading through
// istreambuf_iterator copies byte by byte and cost more than the parse itself.
inline bool read_file(const std::string& path, std::string& out) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return false;
  out.clear();
  char chunk[1 << 16];
  std::size_t n = 0;
  while ((n = std::fread(chunk, 1, sizeof chunk, f)) > 0) out.append(chunk, n);
  const bool ok = std::ferror(f) == 0;
  std::fclose(f);
  return ok;
}

// Calls fn(path) for every input path, in order.
template <typename Fn>
void for_each_path(int argc, char** argv, Fn&& fn) {
  if (argc < 2 || (argc == 2 && std::string(argv[1]) == "-")) {
    std::string line;
    while (std::getline(std::cin, line)) {
      while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.pop_back();
      if (!line.empty()) fn(line);
    }
    return;
  }
  for (int i = 1; i < argc; ++i) fn(std::string(argv[i]));
}

}  // namespace renkei::bench
