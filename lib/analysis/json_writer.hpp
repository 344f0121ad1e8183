// A minimal streaming JSON writer for the analysis contract (see json.cpp for why it exists).
// The caller writes keys in the order it wants them; the writer only places commas and colons
// and escapes strings exactly as nlohmann::json's dump(-1, ' ', false, replace) does.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace renkei::analysis::detail {

// Appends `s` as a JSON string literal: '"', '\\' and control characters escaped, non-ASCII
// UTF-8 kept as it is, every ill-formed UTF-8 sequence replaced by U+FFFD.
void append_json_string(std::string& out, std::string_view s);

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}

  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  JsonWriter& key(std::string_view k);
  JsonWriter& value(std::string_view v);
  JsonWriter& value(const char* v) { return value(std::string_view(v)); }
  JsonWriter& value(bool v);
  JsonWriter& value(std::int64_t v);
  JsonWriter& value(std::uint64_t v);
  JsonWriter& value(double v);
  JsonWriter& null();
  JsonWriter& strings(const std::vector<std::string>& v);

 private:
  void comma();
  template <typename Int>
  JsonWriter& integer(Int v);
  std::string& out_;
  bool need_comma_ = false;
};

}  // namespace renkei::analysis::detail
