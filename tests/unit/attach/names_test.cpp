// File-name judgements: executable extensions, double extensions, RTLO, name decoding.
#include "attach/names.hpp"

#include <gtest/gtest.h>

#include <string>

#include "attach/attach.hpp"

namespace renkei::attach {
namespace {

TEST(HasExecutableExtension, RecognisesWhatWindowsRuns) {
  for (const char* name :
       {"setup.exe", "SETUP.EXE", "a.scr", "invoice.js", "x.vbs", "x.hta", "x.lnk",
        "disk.iso",  "x.img",     "x.vhd", "notes.one",  "x.msi", "x.ps1", "x.jar",
        "x.bat",     "x.cmd",     "x.wsf", "x.chm",      "x.reg", "x.cpl", "x.settingcontent-ms",
        "dir/x.exe", "dir\\x.Exe"}) {
    EXPECT_TRUE(has_executable_extension(name)) << name;
  }
}

TEST(HasExecutableExtension, IgnoresTrailingDotsAndSpacesLikeWindows) {
  EXPECT_TRUE(has_executable_extension("evil.exe."));
  EXPECT_TRUE(has_executable_extension("evil.exe   "));
  EXPECT_TRUE(has_executable_extension("evil.exe . "));
}

TEST(HasExecutableExtension, DocumentsAndOddNamesAreNot) {
  for (const char* name : {"report.pdf", "a.exe.txt", "noextension", "", ".", "x.exe/file.txt",
                           "x.docx", "x.zip", "archive.tar.gz", "x.exe_", "x.e xe"}) {
    EXPECT_FALSE(has_executable_extension(name)) << name;
  }
}

TEST(LastExtension, IsLowercaseAndTakenFromTheLastComponent) {
  EXPECT_EQ(last_extension("請求書.Xls.htm"), "htm");
  EXPECT_EQ(last_extension("a.TAR.GZ"), "gz");
  EXPECT_EQ(last_extension("dir.d/file"), "");
  EXPECT_EQ(last_extension("file.PDF. "), "pdf");
}

TEST(DisguiseDetail, FlagsDoubleExtensions) {
  for (const char* name : {"invoice.xlsx.exe", "請求書.Xls.htm", "doc.pdf      .exe",
                           "Report.PDF.scr", "photo.jpg.js", "PO45638 - PO76483.Xls.htm",
                           "scan.pdf.html", "data.zip.exe", "a.doc_____.exe", "x.pdf\u3000.exe"}) {
    EXPECT_FALSE(disguise_detail(name).empty()) << name;
  }
  EXPECT_NE(disguise_detail("invoice.xlsx.exe").find("looks like .xlsx but is .exe"),
            std::string::npos);
  EXPECT_NE(disguise_detail("doc.pdf      .exe").find("padded"), std::string::npos);
}

TEST(DisguiseDetail, LeavesOrdinaryNamesAlone) {
  for (const char* name :
       {"setup.exe", "report.final.pdf", "archive.tar.gz", "v1.2.exe", "my.photo.jpg",
        "page.html.htm", "invoice.pdf", "請求書.xlsx", "", "a.pdf.docx", "installer.msi.exe"}) {
    EXPECT_EQ(disguise_detail(name), "") << name;
  }
}

TEST(DisguiseDetail, RightToLeftOverrideShowsTheDisplayedName) {
  const std::string detail = disguise_detail("invoice\u202Efdp.exe");
  EXPECT_NE(detail.find("U+202E"), std::string::npos) << detail;
  EXPECT_NE(detail.find("\"invoiceexe.pdf\""), std::string::npos) << detail;
  EXPECT_NE(detail.find("real extension is .exe"), std::string::npos) << detail;
  // Any bidi control in a file name is a disguise, whatever the extension.
  EXPECT_FALSE(disguise_detail("photo\u2066gpj.txt").empty());
}

TEST(InspectNames, DoubleExtensionAndRtloAreReported) {
  const Inspection a = inspect("plain text", "invoice.xlsx.exe", "application/octet-stream");
  EXPECT_TRUE(a.double_extension);
  EXPECT_TRUE(a.executable);
  EXPECT_NE(a.mismatch_detail.find(".xlsx"), std::string::npos);

  const Inspection b = inspect("plain text", "invoice\u202Efdp.exe", "");
  EXPECT_TRUE(b.double_extension);
  EXPECT_TRUE(b.executable);

  const Inspection c = inspect("plain text", "notes.txt", "text/plain");
  EXPECT_FALSE(c.double_extension);
  EXPECT_FALSE(c.executable);
  EXPECT_EQ(c.mismatch_detail, "");
}

TEST(DecodeEntryName, KeepsUtf8AndDecodesCp932) {
  EXPECT_EQ(decode_entry_name("請求書.xlsx"), "請求書.xlsx");
  // 請求書 in Shift_JIS/CP932.
  EXPECT_EQ(decode_entry_name("\x90\xbf\x8b\x81\x8f\x91.xlsx.exe"), "請求書.xlsx.exe");
  // CP932-only characters (NEC row 13: ①).
  EXPECT_EQ(decode_entry_name("\x87\x40.txt"), "①.txt");
}

TEST(DecodeEntryName, FallsBackToCp437) {
  // "café" from a Western DOS zip tool: 0x82 is é in CP437 and a dangling lead byte in CP932.
  EXPECT_EQ(decode_entry_name("caf\x82"), "café");
}

TEST(BoundName, KeepsHeadAndExtension) {
  const std::string name = std::string(5000, 'a') + ".pdf.exe";
  bool truncated = false;
  const std::string bounded = bound_name(name, 100, &truncated);
  EXPECT_TRUE(truncated);
  EXPECT_LE(bounded.size(), 100u);
  EXPECT_TRUE(bounded.starts_with("aaaa"));
  EXPECT_TRUE(bounded.ends_with(".pdf.exe"));
  EXPECT_NE(bounded.find("\u2026"), std::string::npos);

  truncated = false;
  EXPECT_EQ(bound_name("short.txt", 100, &truncated), "short.txt");
  EXPECT_FALSE(truncated);
}

TEST(BoundName, NeverSplitsAUtf8Character) {
  std::string name;
  for (int i = 0; i < 400; ++i) name += "請";
  name += ".exe";
  bool truncated = false;
  const std::string bounded = bound_name(name, 101, &truncated);
  EXPECT_TRUE(truncated);
  EXPECT_LE(bounded.size(), 101u);
  EXPECT_TRUE(is_valid_utf8(bounded)) << bounded;
  EXPECT_TRUE(bounded.ends_with(".exe"));
}

TEST(IsValidUtf8, RejectsOverlongsSurrogatesAndTruncation) {
  EXPECT_TRUE(is_valid_utf8("plain"));
  EXPECT_TRUE(is_valid_utf8("請求書"));
  EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(is_valid_utf8("\xE8\xAB"));          // truncated
  EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // > U+10FFFF
}

}  // namespace
}  // namespace renkei::attach
