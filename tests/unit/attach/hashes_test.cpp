#include <gtest/gtest.h>

#include <string>

#include "attach/attach.hpp"

namespace renkei::attach {
namespace {

TEST(HashBytes, KnownVectorsForAbc) {
  const Hashes h = hash_bytes("abc");
  EXPECT_EQ(h.md5, "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(h.sha1, "a9993e364706816aba3e25717850c26c9cd0d89d");
  EXPECT_EQ(h.sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(h.ssdeep, "") << "inputs under 4 KiB get no fuzzy hash";
}

TEST(HashBytes, KnownVectorsForEmptyInput) {
  const Hashes h = hash_bytes("");
  EXPECT_EQ(h.md5, "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(h.sha1, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  EXPECT_EQ(h.sha256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

std::string pseudo_text(std::size_t size, unsigned seed) {
  std::string s;
  s.reserve(size);
  unsigned x = seed;
  while (s.size() < size) {
    x = x * 1103515245u + 12345u;
    s.push_back(static_cast<char>('a' + (x >> 16) % 26));
    if ((x >> 8) % 7 == 0) s.push_back(' ');
  }
  s.resize(size);
  return s;
}

TEST(HashBytes, SsdeepForLargerInputsIsStableAndWellFormed) {
  const std::string data = pseudo_text(64 * 1024, 1);
  const Hashes a = hash_bytes(data);
  const Hashes b = hash_bytes(data);
  ASSERT_FALSE(a.ssdeep.empty());
  EXPECT_EQ(a.ssdeep, b.ssdeep);
  // blocksize:hash:hash
  const auto first = a.ssdeep.find(':');
  ASSERT_NE(first, std::string::npos);
  EXPECT_NE(a.ssdeep.find(':', first + 1), std::string::npos);
  EXPECT_EQ(std::stoul(a.ssdeep.substr(0, first)) % 3, 0u) << a.ssdeep;
}

TEST(HashBytes, SsdeepStartsAtFourKibibytes) {
  EXPECT_TRUE(hash_bytes(pseudo_text(4095, 2)).ssdeep.empty());
  EXPECT_FALSE(hash_bytes(pseudo_text(4096, 2)).ssdeep.empty());
}

TEST(HashBytes, InspectReportsTheAttachmentHashes) {
  const Inspection i = inspect("abc", "a.txt", "text/plain");
  EXPECT_EQ(i.hashes.sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(i.size, 3u);
}

}  // namespace
}  // namespace renkei::attach
