// The hand-written JSON writer must give exactly what nlohmann::json's dump gave before it (the
// contract's byte form: keys in byte order, invalid UTF-8 replaced by U+FFFD).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include "analysis/json_writer.hpp"
#include "run_engine.hpp"

namespace renkei::analysis {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string ours(std::string_view s) {
  std::string out;
  detail::append_json_string(out, s);
  return out;
}

std::string theirs(std::string_view s) {
  return json(std::string(s)).dump(-1, ' ', false, json::error_handler_t::replace);
}

TEST(JsonWriter, EscapesLikeNlohmann) {
  const std::string cases[] = {
      "",
      "plain ascii",
      "quote \" and backslash \\ and slash /",
      std::string("controls \b\f\n\r\t \x01\x1f\x7f end"),
      std::string("nul \0 inside", 12),
      "日本語の件名【重要】",
      "emoji 😀 and 𠮷",
      "\xE3\x81",  // truncated at the end
      "\xE3\x81"
      "A",  // truncated before ASCII: the 'A' must survive
      "\x80 stray continuation",
      "\xC0\xAF overlong slash",
      "\xED\xA0\x80 surrogate",
      "\xF4\x90\x80\x80 above U+10FFFF",
      "\xF0\x9F\x98 cut emoji",
      "\xFF\xFE bom-ish",
      "\xE0\x80\x80 overlong 3",
      "\xF0\x80\x80\x80 overlong 4",
      "mixed \x82\xA0 shift_jis bytes",
  };
  for (const auto& c : cases)
    EXPECT_EQ(ours(c), theirs(c)) << "input: "
                                  << json(c).dump(-1, ' ', true, json::error_handler_t::replace);
}

TEST(JsonWriter, RandomBytesLikeNlohmann) {
  std::mt19937 rng(20261122);
  std::uniform_int_distribution<int> len(0, 40);
  // Bytes biased towards the interesting ranges: ASCII, controls, continuation and lead bytes.
  const unsigned char pool[] = {'a',  'Z',  ' ',  '"',  '\\', 0x00, 0x07, 0x1f, 0x7f,
                                0x80, 0x8f, 0x9f, 0xa0, 0xbf, 0xc2, 0xc0, 0xdf, 0xe0,
                                0xe3, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff};
  std::uniform_int_distribution<std::size_t> pick(0, sizeof pool - 1);
  for (int round = 0; round < 20000; ++round) {
    std::string s(static_cast<std::size_t>(len(rng)), '\0');
    for (auto& ch : s) ch = static_cast<char>(pool[pick(rng)]);
    ASSERT_EQ(ours(s), theirs(s)) << "round " << round;
  }
}

TEST(JsonWriter, WriterPlacesCommasAndKeys) {
  std::string out;
  detail::JsonWriter w(out);
  w.begin_object();
  w.key("a")
      .begin_array()
      .value(std::int64_t{-1})
      .value(std::uint64_t{2})
      .value(true)
      .null()
      .end_array();
  w.key("b").begin_object().end_object();
  w.key("c").value("x");
  w.key("d").strings({"p", "q"});
  w.end_object();
  EXPECT_EQ(out, R"({"a":[-1,2,true,null],"b":{},"c":"x","d":["p","q"]})");
}

// Every fixture's line, re-read and dumped by nlohmann (which sorts keys), comes back unchanged:
// proves the key order and the formatting of the whole contract on real analyses.
TEST(JsonWriter, FixtureLinesAreCanonical) {
  const fs::path root = fs::path(RENKEI_SOURCE_DIR) / "tests" / "fixtures";
  int checked = 0;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.path().extension() != ".eml") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    const Analysis a = testing::run(ss.str());
    const std::string line = to_json_line(a);
    const json parsed = json::parse(line);
    EXPECT_EQ(parsed.dump(-1, ' ', false, json::error_handler_t::replace), line) << entry.path();
    ++checked;
  }
  EXPECT_GE(checked, 90);  // seed, benign, ja_phishing, campaigns
}

}  // namespace
}  // namespace renkei::analysis
