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

TEST(HashBytes, FuzzyHashPolicyByRealType) {
  EXPECT_FALSE(wants_fuzzy_hash("image/png"));
  EXPECT_FALSE(wants_fuzzy_hash("image/jpeg"));
  EXPECT_TRUE(wants_fuzzy_hash("image/svg+xml")) << "SVG is a script-capable document";
  EXPECT_TRUE(wants_fuzzy_hash("application/pdf"));
  EXPECT_TRUE(wants_fuzzy_hash("application/x-dosexec"));
  EXPECT_TRUE(wants_fuzzy_hash("text/html"));
  EXPECT_TRUE(wants_fuzzy_hash("")) << "unknown type: hashed";
  EXPECT_TRUE(hash_bytes(pseudo_text(8192, 3), /*fuzzy=*/false).ssdeep.empty());
}

TEST(HashBytes, InspectLeavesRasterImagesWithoutFuzzyHash) {
  // A real PNG signature and IHDR chunk followed by 8 KiB of data: libmagic says image/png.
  static const char kHeader[] =
      "\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x02\x00\x00\x00";
  std::string png(kHeader, sizeof kHeader - 1);
  png += pseudo_text(8192, 4);
  const Inspection image = inspect(png, "logo.png", "image/png");
  EXPECT_EQ(image.real_type, "image/png");
  EXPECT_FALSE(image.hashes.sha256.empty());
  EXPECT_TRUE(image.hashes.ssdeep.empty());
  // A text attachment of the same size is hashed fully.
  const Inspection text = inspect(pseudo_text(8192, 4), "invoice.txt", "text/plain");
  EXPECT_FALSE(text.hashes.ssdeep.empty());
}

}  // namespace
}  // namespace renkei::attach
