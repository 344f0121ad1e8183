// ASCII case helpers shared by the modules: locale-free, for protocol tokens (header names,
// charset labels, schemes) where only A-Z fold.
#pragma once

#include <cstddef>
#include <string_view>

namespace renkei::util {

inline char ascii_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
}

inline bool iequals_ascii(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  return true;
}

}  // namespace renkei::util
