// Real attachments from the shared corpus (SPEC section 11). The MIME parser lives in another
// module, so attachments are cut out of the .eml files by a deliberately naive helper that only
// handles the simple base64/7bit parts used here. Skips when ../shared/data is absent.
#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>

#include "attach/attach.hpp"
#include "attach/office.hpp"

namespace renkei::attach {
namespace {

namespace fs = std::filesystem;

struct Attachment {
  std::string name;
  std::string type;
  std::string bytes;
};

std::string base64_decode(std::string_view text) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (char c : text) {
    if (c == '=') break;
    const int v = value(c);
    if (v < 0) continue;
    buffer = (buffer << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xFF));
    }
  }
  return out;
}

// The base64 or 7bit part whose Content-Disposition names `filename`.
std::optional<Attachment> naive_attachment(const std::string& eml, const std::string& filename) {
  const std::string needle = "filename=\"" + filename + "\"";
  const auto at = eml.find(needle);
  if (at == std::string::npos) return std::nullopt;
  const auto part_start = eml.rfind("\n--", at);
  // The part's headers end at its first empty line (LF or CRLF files).
  const auto blank = std::min(eml.find("\n\n", at), eml.find("\r\n\r\n", at));
  if (part_start == std::string::npos || blank == std::string::npos) return std::nullopt;
  const std::string headers = eml.substr(part_start, blank - part_start);
  Attachment a;
  a.name = filename;
  const auto ct = headers.find("Content-Type:");
  if (ct != std::string::npos) {
    const auto end = headers.find_first_of(";\r\n", ct);
    a.type = headers.substr(ct + 13, end - ct - 13);
    while (!a.type.empty() && a.type.front() == ' ') a.type.erase(0, 1);
  }
  const auto body_end = eml.find("\n--", blank + 2);
  const std::string_view body = std::string_view(eml).substr(blank, body_end - blank);
  if (headers.find("base64") != std::string::npos) {
    a.bytes = base64_decode(body);
  } else {
    a.bytes = body.substr(body.find_first_not_of("\r\n"));  // 7bit text as is
  }
  return a;
}

std::optional<std::string> read_corpus(const std::string& relative) {
  const fs::path path = fs::path(RENKEI_SHARED_DATA) / "corpus" / relative;
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Loads one attachment or skips the test when the shared data is absent.
#define LOAD_OR_SKIP(var, file, name)                                                      \
  const auto var##_eml = read_corpus(file);                                                \
  if (!var##_eml)                                                                          \
    GTEST_SKIP() << "shared test data absent: " << RENKEI_SHARED_DATA "/corpus/" file;     \
  const auto var##_opt = naive_attachment(*var##_eml, name);                               \
  ASSERT_TRUE(var##_opt.has_value()) << "no base64 attachment " << name << " in " << file; \
  const Attachment& var = *var##_opt

constexpr const char* kOleVb = "spamassassin/t/data/spam/olevbmacro/";

TEST(Corpus, SpamAssassinMacroWorkbook) {
  LOAD_OR_SKIP(a, "spamassassin/t/data/spam/olevbmacro/macro.eml", "macro.xlsm");
  const Inspection i = inspect(a.bytes, a.name, a.type);
  EXPECT_TRUE(i.has_macros);
  EXPECT_FALSE(i.extension_mismatch) << i.mismatch_detail;
  EXPECT_FALSE(i.is_archive);
  EXPECT_TRUE(i.errors.empty());
}

// One member of a zip, read with libarchive (test-side helper, independent of the module).
std::string zip_member(const std::string& zip, const std::string& wanted) {
  struct Free {
    void operator()(archive* a) const { archive_read_free(a); }
  };
  std::unique_ptr<archive, Free> a(archive_read_new());
  archive_read_support_format_zip(a.get());
  if (archive_read_open_memory(a.get(), zip.data(), zip.size()) != ARCHIVE_OK) return {};
  archive_entry* e = nullptr;
  while (archive_read_next_header(a.get(), &e) == ARCHIVE_OK) {
    if (wanted != archive_entry_pathname(e)) continue;
    std::string out(static_cast<std::size_t>(archive_entry_size(e)), '\0');
    const auto n = archive_read_data(a.get(), out.data(), out.size());
    return n == static_cast<la_ssize_t>(out.size()) ? out : std::string();
  }
  return {};
}

TEST(Corpus, CfbReaderOnAnExcelWrittenVbaProject) {
  // vbaProject.bin as Excel wrote it: a real compound file (VBA storage, dir, modules).
  LOAD_OR_SKIP(a, "spamassassin/t/data/spam/olevbmacro/macro.eml", "macro.xlsm");
  const std::string vba = zip_member(a.bytes, "xl/vbaProject.bin");
  ASSERT_FALSE(vba.empty());
  const CfbFindings f = scan_cfb(vba);
  EXPECT_TRUE(f.vba);
  EXPECT_EQ(f.error, "");
}

TEST(Corpus, CfbReaderOnAWordEncryptedPackage) {
  LOAD_OR_SKIP(a, "spamassassin/t/data/spam/olevbmacro/encrypted.eml", "encrypted_word_doc.docx");
  ASSERT_TRUE(is_cfb(a.bytes));
  const CfbFindings f = scan_cfb(a.bytes);
  EXPECT_FALSE(f.vba);
  EXPECT_EQ(f.error, "");
}

TEST(Corpus, SpamAssassinAutoOpenMacroWorkbook) {
  LOAD_OR_SKIP(a, "spamassassin/t/data/spam/olevbmacro/malicemacro.eml", "automacro.xlsm");
  EXPECT_TRUE(inspect(a.bytes, a.name, a.type).has_macros);
}

TEST(Corpus, SpamAssassinWorkbookWithoutMacros) {
  LOAD_OR_SKIP(a, "spamassassin/t/data/spam/olevbmacro/nomacro.eml", "nomacro.xlsx");
  const Inspection i = inspect(a.bytes, a.name, a.type);
  EXPECT_FALSE(i.has_macros);
  EXPECT_FALSE(i.extension_mismatch) << i.mismatch_detail;
}

TEST(Corpus, SpamAssassinMacroWorkbookRenamedToJpg) {
  LOAD_OR_SKIP(a, "spamassassin/t/data/spam/olevbmacro/renamedmacro.eml", "renamed.jpg");
  const Inspection i = inspect(a.bytes, a.name, a.type);
  EXPECT_TRUE(i.has_macros);
  EXPECT_TRUE(i.extension_mismatch);
  EXPECT_NE(i.mismatch_detail.find("named .jpg but is"), std::string::npos) << i.mismatch_detail;
}

TEST(Corpus, SpamAssassinPasswordZipWithMacroWorkbook) {
  LOAD_OR_SKIP(a, "spamassassin/t/data/spam/olevbmacro/zippwmacro.eml", "macro.zip");
  const Inspection i = inspect(a.bytes, a.name, a.type);
  EXPECT_TRUE(i.is_archive);
  EXPECT_TRUE(i.archive_encrypted);
  ASSERT_EQ(i.entries.size(), 1u);
  EXPECT_EQ(i.entries[0].path, "macro.xlsm");
  EXPECT_TRUE(i.entries[0].encrypted);
}

TEST(Corpus, SpamAssassinEncryptedWordDocument) {
  LOAD_OR_SKIP(a, "spamassassin/t/data/spam/olevbmacro/encrypted.eml", "encrypted_word_doc.docx");
  const Inspection i = inspect(a.bytes, a.name, a.type);
  // Password-protected OOXML is a compound file; that is not a mismatch for .docx.
  EXPECT_FALSE(i.extension_mismatch) << i.real_type << " " << i.mismatch_detail;
  EXPECT_FALSE(i.has_macros);
}

TEST(Corpus, SpamAssassinCsv) {
  LOAD_OR_SKIP(a, "spamassassin/t/data/spam/olevbmacro/goodcsv.eml", "good.csv");
  const Inspection i = inspect(a.bytes, a.name, a.type);
  EXPECT_FALSE(i.extension_mismatch) << i.mismatch_detail;
  EXPECT_FALSE(i.has_macros);
  EXPECT_FALSE(i.executable);
}

TEST(Corpus, PhishingIsoWithExecutable) {
  LOAD_OR_SKIP(a, "phishing_pot/sample-1266.eml", "quotation.iso");
  const Inspection i = inspect(a.bytes, a.name, a.type);
  EXPECT_EQ(i.real_type, "application/x-iso9660-image");
  EXPECT_TRUE(i.is_archive);
  EXPECT_TRUE(i.executable);
  EXPECT_TRUE(i.executable_inside);
  ASSERT_FALSE(i.entries.empty());
  bool pe_inside = false;
  for (const auto& e : i.entries) {
    pe_inside |= e.real_type == "application/vnd.microsoft.portable-executable" ||
                 e.real_type == "application/x-dosexec";
  }
  EXPECT_TRUE(pe_inside);
}

TEST(Corpus, PhishingHtmlDisguisedAsSpreadsheet) {
  LOAD_OR_SKIP(a, "phishing_pot/sample-1261.eml", "PO45638 - PO76483.Xls.htm");
  const Inspection i = inspect(a.bytes, a.name, a.type);
  EXPECT_EQ(i.real_type, "text/html");
  EXPECT_TRUE(i.is_html);
  EXPECT_TRUE(i.double_extension);
}

TEST(Corpus, RspamdRarNamedGzWithScreensaver) {
  LOAD_OR_SKIP(a, "rspamd/test/functional/messages/rar-date-bad-ext.eml", "06.12.2017.gz");
  const Inspection i = inspect(a.bytes, a.name, a.type);
  EXPECT_EQ(i.real_type, "application/x-rar");
  EXPECT_TRUE(i.is_archive);
  EXPECT_TRUE(i.executable_inside);
  ASSERT_EQ(i.entries.size(), 1u);
  EXPECT_EQ(i.entries[0].path, "06.12.2017.scr");
}

TEST(Corpus, EveryOleVbaMessageInspectsWithoutDamage) {
  const fs::path dir = fs::path(RENKEI_SHARED_DATA) / "corpus" / kOleVb;
  if (!fs::is_directory(dir)) GTEST_SKIP() << "shared test data absent: " << dir;
  int inspected = 0;
  for (const auto& file : fs::directory_iterator(dir)) {
    const auto eml = read_corpus(std::string(kOleVb) + file.path().filename().string());
    ASSERT_TRUE(eml.has_value());
    std::size_t pos = 0;
    while ((pos = eml->find("filename=\"", pos)) != std::string::npos) {
      pos += 10;
      const std::string name = eml->substr(pos, eml->find('"', pos) - pos);
      const auto a = naive_attachment(*eml, name);
      if (!a) continue;
      const Inspection i = inspect(a->bytes, a->name, a->type);
      EXPECT_TRUE(i.errors.empty()) << file.path() << " " << name << ": " << i.errors.front();
      EXPECT_FALSE(i.hashes.sha256.empty());
      ++inspected;
    }
  }
  EXPECT_GE(inspected, 7);
}

}  // namespace
}  // namespace renkei::attach
