// Archive listing: nested archives, encryption, name decoding, damage and every named limit.
#include "attach/archive.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <string>

#include "attach/attach.hpp"
#include "attach/test_builders.hpp"

namespace renkei::attach {
namespace {

using testing::make_archive;
using testing::make_pe;
using testing::make_zip;
using testing::Member;
using testing::WriteOptions;

bool hit(const Inspection& i, const std::string& limit) {
  return std::find(i.limits_hit.begin(), i.limits_hit.end(), limit) != i.limits_hit.end();
}

const ArchiveEntry* find_entry(const Inspection& i, const std::string& path) {
  for (const auto& e : i.entries) {
    if (e.path == path) return &e;
  }
  return nullptr;
}

// Bytes that deflate cannot shrink (so ratio checks stay quiet).
std::string incompressible(std::size_t size, unsigned seed = 7) {
  std::string s(size, '\0');
  unsigned x = seed;
  for (char& c : s) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    c = static_cast<char>(x & 0xFF);
  }
  return s;
}

TEST(Archive, ZipWithExecutableDisguisedAsSpreadsheet) {
  // The seed case: a zip holding an .exe (with an Excel icon) whose name pretends to be a sheet.
  const std::string zip =
      make_zip({{"readme.txt", "please see the invoice"}, {"請求書.xlsx.exe", make_pe()}});
  ASSERT_FALSE(zip.empty());
  const Inspection i = inspect(zip, "請求書.zip", "application/zip");
  EXPECT_EQ(i.real_type, "application/zip");
  EXPECT_TRUE(i.is_archive);
  EXPECT_FALSE(i.executable);
  EXPECT_TRUE(i.executable_inside);
  EXPECT_FALSE(i.archive_encrypted);
  ASSERT_EQ(i.entries.size(), 2u);
  const ArchiveEntry* exe = find_entry(i, "請求書.xlsx.exe");
  ASSERT_NE(exe, nullptr);
  EXPECT_TRUE(exe->executable);
  EXPECT_EQ(exe->depth, 1);
  EXPECT_EQ(exe->size, make_pe().size());
  EXPECT_EQ(exe->hashes.sha256, hash_bytes(make_pe()).sha256);
  EXPECT_TRUE(exe->real_type == "application/vnd.microsoft.portable-executable" ||
              exe->real_type == "application/x-dosexec")
      << exe->real_type;
  const ArchiveEntry* txt = find_entry(i, "readme.txt");
  ASSERT_NE(txt, nullptr);
  EXPECT_FALSE(txt->executable);
  EXPECT_EQ(txt->real_type, "text/plain");
  EXPECT_TRUE(i.errors.empty());
  EXPECT_TRUE(i.limits_hit.empty());
}

TEST(Archive, ExecutableInsideByTypeEvenWithInnocentName) {
  const Inspection i = inspect(make_zip({{"scan0001.pdf", make_pe()}}), "scan.zip", "");
  ASSERT_EQ(i.entries.size(), 1u);
  EXPECT_TRUE(i.entries[0].executable);
  EXPECT_TRUE(i.executable_inside);
}

TEST(Archive, Cp932NameFromAJapaneseWindowsZip) {
  // libarchive in the C locale writes the raw bytes without the UTF-8 flag, as Windows' built-in
  // zip does with Shift_JIS names.
  const std::string zip = make_zip({{"\x90\xbf\x8b\x81\x8f\x91.xlsx.exe", make_pe()}});
  ASSERT_FALSE(zip.empty());
  ASSERT_NE(zip.find("\x90\xbf\x8b\x81\x8f\x91"), std::string::npos);
  const Inspection i = inspect(zip, "invoice.zip", "application/zip");
  ASSERT_EQ(i.entries.size(), 1u);
  EXPECT_EQ(i.entries[0].path, "請求書.xlsx.exe");
  EXPECT_TRUE(i.entries[0].executable);
  EXPECT_TRUE(i.executable_inside);
}

TEST(Archive, Utf8FlaggedNameIsReadInTheCLocale) {
  WriteOptions opt;
  opt.utf8_locale = true;  // sets general purpose bit 11
  const std::string zip = make_archive({{"見積書.pdf.exe", make_pe()}}, opt);
  ASSERT_FALSE(zip.empty());
  const Inspection i = inspect(zip, "quote.zip", "");
  ASSERT_EQ(i.entries.size(), 1u);
  EXPECT_EQ(i.entries[0].path, "見積書.pdf.exe");
}

TEST(Archive, EncryptedZipIsReportedNotRead) {
  WriteOptions opt;
  opt.options = "zip:encryption=traditional";
  opt.passphrase = "infected";
  const std::string zip = make_archive({{"invoice.js", "WScript.Echo(1)"}, {"doc.txt", "hi"}}, opt);
  ASSERT_FALSE(zip.empty()) << "libarchive could not write a ZipCrypto archive";
  const Inspection i = inspect(zip, "invoice.zip", "application/zip");
  EXPECT_TRUE(i.is_archive);
  EXPECT_TRUE(i.archive_encrypted);
  ASSERT_EQ(i.entries.size(), 2u);
  for (const auto& e : i.entries) {
    EXPECT_TRUE(e.encrypted) << e.path;
    EXPECT_EQ(e.real_type, "") << e.path;
    EXPECT_EQ(e.hashes.sha256, "") << e.path;
  }
  // Executable by name even though its content cannot be read.
  EXPECT_TRUE(find_entry(i, "invoice.js")->executable);
  EXPECT_TRUE(i.executable_inside);
  EXPECT_TRUE(zip_has_encrypted_flag(zip, 100));
}

TEST(Archive, AesEncryptedZipIsReported) {
  WriteOptions opt;
  opt.options = "zip:encryption=aes256";
  opt.passphrase = "infected";
  const std::string zip = make_archive({{"payload.exe", make_pe()}}, opt);
  if (zip.empty()) GTEST_SKIP() << "this libarchive cannot write AES zip";
  const Inspection i = inspect(zip, "x.zip", "");
  EXPECT_TRUE(i.archive_encrypted);
  ASSERT_EQ(i.entries.size(), 1u);
  EXPECT_TRUE(i.entries[0].encrypted);
  EXPECT_TRUE(i.executable_inside);
}

TEST(Archive, EncryptionBitFallbackReadsTheCentralDirectory) {
  std::string zip = make_zip({{"a.txt", "hello"}});
  EXPECT_FALSE(zip_has_encrypted_flag(zip, 100));
  // Set bit 0 in the central directory header only.
  const auto cd = zip.find(std::string("PK\x01\x02", 4));
  ASSERT_NE(cd, std::string::npos);
  zip[cd + 8] = static_cast<char>(zip[cd + 8] | 1);
  EXPECT_TRUE(zip_has_encrypted_flag(zip, 100));
  EXPECT_FALSE(zip_has_encrypted_flag("PK", 100));
  EXPECT_FALSE(zip_has_encrypted_flag("", 100));
}

TEST(Archive, NestedZipIsListedWithPathsAndDepth) {
  const std::string inner = make_zip({{"evil.exe", make_pe()}});
  const std::string outer = make_zip({{"docs/inner.zip", inner}, {"note.txt", "x"}});
  const Inspection i = inspect(outer, "outer.zip", "application/zip");
  const ArchiveEntry* nested = find_entry(i, "docs/inner.zip");
  ASSERT_NE(nested, nullptr);
  EXPECT_EQ(nested->real_type, "application/zip");
  EXPECT_EQ(nested->depth, 1);
  const ArchiveEntry* exe = find_entry(i, "docs/inner.zip/evil.exe");
  ASSERT_NE(exe, nullptr);
  EXPECT_EQ(exe->depth, 2);
  EXPECT_TRUE(exe->executable);
  EXPECT_TRUE(i.executable_inside);
}

TEST(Archive, DepthLimitStopsRecursion) {
  std::string level = make_zip({{"evil.exe", make_pe()}});
  for (int d = 0; d < 4; ++d) level = make_zip({{"l" + std::to_string(d) + ".zip", level}});
  // outer -> l3 -> l2 -> l1 -> l0 -> evil.exe: five levels of entries.
  const Inspection i = inspect(level, "deep.zip", "");
  EXPECT_TRUE(hit(i, "max_archive_depth"));
  int deepest = 0;
  for (const auto& e : i.entries) deepest = std::max(deepest, e.depth);
  EXPECT_EQ(deepest, 3);
  EXPECT_EQ(find_entry(i, "l3.zip/l2.zip/l1.zip/l0.zip"), nullptr);

  Limits none;
  none.max_archive_depth = 0;
  const Inspection flat = inspect(level, "deep.zip", "", none);
  EXPECT_TRUE(flat.is_archive);
  EXPECT_TRUE(flat.entries.empty());
  EXPECT_TRUE(hit(flat, "max_archive_depth"));
}

TEST(Archive, EntryCountLimit) {
  std::vector<Member> members;
  for (int k = 0; k < 20; ++k) members.push_back({"f" + std::to_string(k) + ".txt", "x"});
  Limits limits;
  limits.max_archive_entries = 5;
  const Inspection i = inspect(make_zip(members), "many.zip", "", limits);
  EXPECT_EQ(i.entries.size(), 5u);
  EXPECT_TRUE(hit(i, "max_archive_entries"));
}

TEST(Archive, EntryCountLimitCoversNestedArchives) {
  std::vector<Member> inner_members;
  for (int k = 0; k < 10; ++k) inner_members.push_back({"in" + std::to_string(k), "x"});
  const std::string outer =
      make_zip({{"a.zip", make_zip(inner_members)}, {"b.zip", make_zip(inner_members)}});
  Limits limits;
  limits.max_archive_entries = 12;
  const Inspection i = inspect(outer, "o.zip", "", limits);
  EXPECT_EQ(i.entries.size(), 12u);
  EXPECT_TRUE(hit(i, "max_archive_entries"));
}

TEST(Archive, EntryBytesLimitKeepsTheTypeButNotTheHashes) {
  std::string big = make_pe();
  big += incompressible(2u << 20);
  Limits limits;
  limits.max_entry_bytes = 1u << 20;
  const Inspection i = inspect(make_zip({{"big.bin", big}}), "x.zip", "", limits);
  ASSERT_EQ(i.entries.size(), 1u);
  EXPECT_TRUE(hit(i, "max_entry_bytes"));
  EXPECT_FALSE(hit(i, "max_ratio"));
  EXPECT_TRUE(i.entries[0].executable) << i.entries[0].real_type;
  EXPECT_EQ(i.entries[0].hashes.sha256, "");
  EXPECT_EQ(i.entries[0].size, big.size());
}

TEST(Archive, TotalDecompressedLimit) {
  std::vector<Member> members;
  for (int k = 0; k < 4; ++k)
    members.push_back({"part" + std::to_string(k), incompressible(1u << 20, k + 1)});
  members.push_back({"last.exe", make_pe()});
  Limits limits;
  limits.max_total_decompressed = (5u << 20) / 2;
  const Inspection i = inspect(make_zip(members), "x.zip", "", limits);
  EXPECT_TRUE(hit(i, "max_total_decompressed"));
  // Zip members are skipped by seeking, so the listing still reaches the last one.
  ASSERT_EQ(i.entries.size(), 5u);
  EXPECT_TRUE(i.entries[4].executable);  // by name
  EXPECT_EQ(i.entries[4].real_type, "");
}

TEST(Archive, ZipBombStopsQuicklyByRatio) {
  constexpr std::size_t kFifty = 50u << 20;
  const std::string bomb = make_archive({{"zeros.bin", "", kFifty}, {"after.exe", make_pe()}});
  ASSERT_FALSE(bomb.empty());
  ASSERT_LT(bomb.size(), 200u << 10);
  const auto start = std::chrono::steady_clock::now();
  const Inspection i = inspect(bomb, "bomb.zip", "application/zip");
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_LT(elapsed, std::chrono::seconds(2));
  EXPECT_TRUE(hit(i, "max_ratio"));
  ASSERT_EQ(i.entries.size(), 2u);
  EXPECT_EQ(i.entries[0].size, kFifty);
  EXPECT_EQ(i.entries[0].hashes.sha256, "");
  EXPECT_TRUE(i.entries[1].executable);
}

TEST(Archive, TarGzBombCountsSkippedBytes) {
  WriteOptions opt;
  opt.format = "gnutar";
  opt.filter = "gzip";
  const std::string tgz = make_archive({{"zeros.bin", "", 20u << 20}, {"run.exe", make_pe()}}, opt);
  ASSERT_FALSE(tgz.empty());
  const Inspection i = inspect(tgz, "logs.tar.gz", "application/gzip");
  EXPECT_TRUE(i.is_archive);
  EXPECT_TRUE(hit(i, "max_ratio"));
  ASSERT_EQ(i.entries.size(), 2u);
  EXPECT_TRUE(i.entries[1].executable);

  // When skipping the rest of the bomb would exceed the budget, the walk stops instead.
  Limits tight;
  tight.max_total_decompressed = 4u << 20;
  const Inspection j = inspect(tgz, "logs.tar.gz", "application/gzip", tight);
  EXPECT_TRUE(hit(j, "max_total_decompressed"));
  EXPECT_EQ(j.entries.size(), 1u);
}

TEST(Archive, TruncatedZipKeepsWhatWasRead) {
  const std::string zip = make_zip({{"first.txt", std::string(3000, 'a')},
                                    {"second.exe", make_pe()},
                                    {"third.txt", incompressible(100000)}});
  const std::string cut = zip.substr(0, zip.size() - 60000);
  const Inspection i = inspect(cut, "damaged.zip", "application/zip");
  EXPECT_TRUE(i.is_archive);
  // The damage is reported once, naming the member that could not be read.
  ASSERT_EQ(i.errors.size(), 1u);
  EXPECT_NE(i.errors[0].find("third.txt"), std::string::npos) << i.errors[0];
  ASSERT_GE(i.entries.size(), 2u);
  EXPECT_EQ(i.entries[0].path, "first.txt");
  EXPECT_TRUE(i.executable_inside);
}

TEST(Archive, GarbageAfterZipSignatureDoesNotCrash) {
  std::string junk("PK\x03\x04", 4);
  junk += incompressible(5000);
  const Inspection i = inspect(junk, "x.zip", "application/zip");
  EXPECT_LE(i.entries.size(), 1u);
  const Inspection j = inspect(incompressible(5000), "x.zip", "application/zip");
  EXPECT_FALSE(j.is_archive);
  EXPECT_TRUE(j.extension_mismatch);
}

TEST(Archive, LongEntryNamesAreBounded) {
  const std::string name = std::string(3000, 'n') + ".pdf.exe";
  Limits limits;
  limits.max_name_bytes = 100;
  const Inspection i = inspect(make_zip({{name, "x"}}), "x.zip", "", limits);
  ASSERT_EQ(i.entries.size(), 1u);
  EXPECT_LE(i.entries[0].path.size(), 100u);
  EXPECT_TRUE(i.entries[0].path.ends_with(".pdf.exe"));
  EXPECT_TRUE(i.entries[0].executable);
  EXPECT_TRUE(hit(i, "max_name_bytes"));
}

TEST(Archive, GzipOfASingleExecutable) {
  WriteOptions opt;
  opt.format = "raw";
  opt.filter = "gzip";
  const std::string gz = make_archive({{"payload.exe", make_pe()}}, opt);
  ASSERT_FALSE(gz.empty());
  const Inspection i = inspect(gz, "invoice.pdf.gz", "application/gzip");
  EXPECT_TRUE(i.is_archive);
  ASSERT_EQ(i.entries.size(), 1u);
  EXPECT_TRUE(i.entries[0].executable) << i.entries[0].real_type;
  EXPECT_TRUE(i.executable_inside);
}

TEST(Archive, GzipBombStopsByRatioOnly) {
  WriteOptions opt;
  opt.format = "raw";
  opt.filter = "gzip";
  // Not zeros: a stream of zeros is a valid empty tar archive to libarchive.
  const std::string gz = make_archive({{"aaaa", "", 20u << 20, 'a'}}, opt);
  ASSERT_FALSE(gz.empty());
  const Inspection i = inspect(gz, "backup.gz", "application/gzip");
  ASSERT_EQ(i.entries.size(), 1u);
  EXPECT_EQ(i.limits_hit, std::vector<std::string>{"max_ratio"});
  EXPECT_EQ(i.entries[0].real_type, "text/plain");
  EXPECT_EQ(i.entries[0].hashes.md5, "");
}

TEST(Archive, LhaWithCp932Name) {
  // LZH is still common in Japanese mail; its names are Shift_JIS/CP932.
  const std::string lzh =
      testing::make_lha({{"\x90\xbf\x8b\x81\x8f\x91.xls.exe", make_pe()}, {"readme.txt", "hello"}});
  const Inspection i = inspect(lzh, "請求書.lzh", "application/octet-stream");
  EXPECT_EQ(i.real_type, "application/x-lzh-compressed");
  EXPECT_TRUE(i.is_archive);
  EXPECT_TRUE(i.errors.empty()) << i.errors.front();
  ASSERT_EQ(i.entries.size(), 2u);
  EXPECT_EQ(i.entries[0].path, "請求書.xls.exe");
  EXPECT_TRUE(i.entries[0].executable);
  EXPECT_EQ(i.entries[0].hashes.sha1, hash_bytes(make_pe()).sha1);
  EXPECT_TRUE(i.executable_inside);
}

TEST(Archive, SevenZip) {
  WriteOptions opt;
  opt.format = "7zip";
  const std::string sz = make_archive({{"a.txt", "hello"}, {"setup.exe", make_pe()}}, opt);
  ASSERT_FALSE(sz.empty());
  const Inspection i = inspect(sz, "x.7z", "application/x-7z-compressed");
  EXPECT_EQ(i.real_type, "application/x-7z-compressed");
  EXPECT_TRUE(i.is_archive);
  ASSERT_EQ(i.entries.size(), 2u);
  EXPECT_TRUE(i.executable_inside);
  EXPECT_EQ(find_entry(i, "setup.exe")->hashes.md5, hash_bytes(make_pe()).md5);
}

TEST(Archive, IsoImageHidesAnExecutable) {
  WriteOptions opt;
  opt.format = "iso9660";
  const std::string iso = make_archive({{"INVOICE.EXE", make_pe()}}, opt);
  ASSERT_FALSE(iso.empty());
  const Inspection i = inspect(iso, "quotation.iso", "application/octet-stream");
  EXPECT_EQ(i.real_type, "application/x-iso9660-image");
  EXPECT_TRUE(i.is_archive);
  EXPECT_TRUE(i.executable);  // .iso itself mounts in one click
  EXPECT_TRUE(i.executable_inside);
}

TEST(Archive, TarListing) {
  WriteOptions opt;
  opt.format = "gnutar";
  const Inspection i =
      inspect(make_archive({{"x/readme.txt", "hi"}, {"x/run.sh.lnk", "abc"}}, opt), "x.tar", "");
  EXPECT_TRUE(i.is_archive);
  ASSERT_EQ(i.entries.size(), 2u);
  EXPECT_TRUE(i.executable_inside);
}

// Found by fuzzing: a gzip stream whose payload libarchive cannot open made
// archive_read_has_encrypted_entries() dereference a null format (libarchive 3.6).
TEST(ArchiveRegression, EncryptionQueryAfterFailedOpenDoesNotCrash) {
  const std::string input(
      "\x1f\x8b\x08\x00\xfa\x57\x02\x6b\x00\x03\x4b\x73\x68\x74\x6d\x61\xa0\x2d\x30\x00\x02\x33"
      "\x13\x13\x30\x0d\x04\xe8\x34\x10\x98\x32\x18\x1a\x9b\x1b\x99\x9b\x18\x42\xc5\xcd\xcc\x0d"
      "\x8d\x18\x14\x0c\x68\xec\x2e\x30\x28\x2d\x2e\x49\x2c\x52\x50\xa0\x87\x55\x83\x11\x64\xa4"
      "\xe6\xe4\xe4\x0f\xb4\x98\xc5\x46\xc1\x28\x18\x05\xa3\x60\x14\xd0\x1d\x00\x00\xd4\xa6\x3b"
      "\xf7\xf7\xf7\xf7\xf7\xf7\xf7\xf7\xf7\xf7\xf7\xf7\xf7\xf7\xf7\xf7\xf7\xf7\xf7\xf7\xf7\xf7"
      "\xf7\xf7\xf7\xf7\xf7\xf7\xf7\xf7\xf7\xf7\xf7\xf7\xf7\xf7\xf7\xf7\xf7\xf7\xf7\xf7\xf7\xf7"
      "\xf7\xf7\xf7\xf7\xf7\xf7\xf7\xf7\xf7\xf7\xf7\xf7\xf7\xf7\xf7\xf7\xa5\x00\x08\x00\x00\x02"
      "\x6b\x00\x03\x4b\xd4\x2b\xa9\x28\x61\xa0\x2d\x30\x00\x02\x33\x13\x13\x30\x0d\x04\xe8\x34"
      "\x10\x98\x32\x18\x1a\x9b\x1b\x99\x9b\x18\x42\xc5\xcd\xcc\x0d\x8d\x18\x14\x0c\x68\xec\x2e"
      "\x30\x28\x2d\x2e\xf7\xf7\xf7\xf7\xf7\xf7\xf7\xf7\xf7\xf7\xf7\xf7\xf7\xf7\xf7\xf7\xf7\x46"
      "\xc1\x28\x18\x05\xa3\x60\x14\xd0\x1d\x00\x00\xd4\xa6\x3b\xa5\x00\x08\x00\x00",
      239);
  const Inspection i = inspect(input, "x.zip", "application/zip");
  EXPECT_TRUE(i.is_archive);
}

}  // namespace
}  // namespace renkei::attach
