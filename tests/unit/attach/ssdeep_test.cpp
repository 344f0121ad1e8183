// renkei's ssdeep digest must be libfuzzy's, byte for byte: libfuzzy (Debian's ssdeep library) is
// the oracle here.
#include <gtest/gtest.h>

#include <fuzzy.h>

#include <random>
#include <string>

#include "attach/ssdeep.hpp"

namespace renkei::attach {
namespace {

std::string libfuzzy(const std::string& data) {
  char result[FUZZY_MAX_RESULT] = {};
  EXPECT_EQ(fuzzy_hash_buf(reinterpret_cast<const unsigned char*>(data.data()),
                           static_cast<std::uint32_t>(data.size()), result),
            0);
  return result;
}

void expect_same(const std::string& data, const std::string& what) {
  ASSERT_EQ(detail::ssdeep_digest(data), libfuzzy(data)) << what << ", " << data.size() << " bytes";
}

TEST(Ssdeep, RandomBytesOfManySizes) {
  std::mt19937 rng(1);
  std::uniform_int_distribution<int> byte(0, 255);
  // Sizes around every block-size boundary (3·2^k·64) up to 1.5 MB, and some in between.
  std::vector<std::size_t> sizes = {0, 1, 7, 64, 100, 191, 192, 193, 4096};
  for (std::size_t b = 192; b < (1u << 21); b *= 2)
    for (std::size_t d : {b - 1, b, b + 1, b + b / 3}) sizes.push_back(d);
  for (std::size_t size : sizes) {
    std::string data(size, '\0');
    for (auto& c : data) c = static_cast<char>(byte(rng));
    expect_same(data, "random");
  }
}

TEST(Ssdeep, ManyRandomMidSizes) {
  std::mt19937 rng(2);
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_int_distribution<std::size_t> size(4096, 200000);
  for (int round = 0; round < 150; ++round) {
    std::string data(size(rng), '\0');
    for (auto& c : data) c = static_cast<char>(byte(rng));
    expect_same(data, "random round " + std::to_string(round));
  }
}

TEST(Ssdeep, RepetitiveInputsThatNeedSmallerBlockSizes) {
  // Few or no piece ends: the block size has to be halved, sometimes down to 3.
  expect_same(std::string(100000, '\0'), "zeros");
  expect_same(std::string(70000, 'A'), "one letter");
  std::string pattern;
  while (pattern.size() < 300000) pattern += "abcdefgh";
  expect_same(pattern, "8-byte pattern");
  std::string sparse(250000, ' ');
  std::mt19937 rng(3);
  for (std::size_t i = 0; i < sparse.size(); i += 997)
    sparse[i] = static_cast<char>('a' + rng() % 26);
  expect_same(sparse, "sparse");
}

TEST(Ssdeep, HalvingStopsAtEveryBlockSize) {
  // Runs of one byte broken every `gap` bytes: the fewer breaks, the smaller the block size ssdeep
  // settles on after halving. renkei counts the piece ends of every block size in one pass and
  // jumps there; the result must be the block size (and digest) that halving one step at a time
  // reaches.
  std::mt19937 rng(5);
  for (std::size_t size : {std::size_t{60000}, std::size_t{1200000}, std::size_t{3000000}})
    for (std::size_t gap : {7u, 31u, 97u, 331u, 997u, 3331u, 12007u, 50021u}) {
      std::string data(size, 'x');
      for (std::size_t i = 0; i < data.size(); i += gap) data[i] = static_cast<char>(rng());
      expect_same(data, "gap " + std::to_string(gap));
    }
  expect_same(std::string(3000000, '\0'), "three megabytes of zeros");
}

TEST(Ssdeep, TextAndDocumentLikeInputs) {
  std::mt19937 rng(4);
  const char* words[] = {"invoice", "payment",  "account", "verify", "the", "and",
                         "請求書",  "%PDF-1.7", "stream",  "endobj", "\n",  " "};
  for (int round = 0; round < 40; ++round) {
    std::string text;
    const std::size_t target = 4096 + static_cast<std::size_t>(rng() % 400000);
    while (text.size() < target) text += words[rng() % std::size(words)];
    expect_same(text, "text round " + std::to_string(round));
  }
}

}  // namespace
}  // namespace renkei::attach
