// Macros in OOXML and in legacy Compound File Binary documents.
#include "attach/office.hpp"

#include <gtest/gtest.h>

#include <string>

#include "attach/attach.hpp"
#include "attach/test_builders.hpp"

namespace renkei::attach {
namespace {

using testing::CfbNode;
using testing::make_cfb;
using testing::make_workbook_stream;
using testing::make_zip;

const std::string kContentTypesXlsm =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types "
    "xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Override "
    "PartName=\"/xl/workbook.xml\" "
    "ContentType=\"application/vnd.ms-excel.sheet.macroEnabled.main+xml\"/></Types>";
const std::string kContentTypesXlsx =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types "
    "xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Override "
    "PartName=\"/xl/workbook.xml\" ContentType=\"application/"
    "vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/></Types>";

std::string vba_project() {
  return make_cfb({{"VBA", 1, ""},
                   {"_VBA_PROJECT", 2, std::string(100, 'v')},
                   {"PROJECT", 2, "ID=\"{00000000}\"\r\n"}});
}

TEST(Office, XlsmWithVbaProjectHasMacros) {
  const std::string xlsm = make_zip({{"[Content_Types].xml", kContentTypesXlsm},
                                     {"_rels/.rels", "<Relationships/>"},
                                     {"xl/workbook.xml", "<workbook/>"},
                                     {"xl/vbaProject.bin", vba_project()}});
  const Inspection i = inspect(xlsm, "report.xlsm", "application/octet-stream");
  EXPECT_TRUE(i.has_macros);
  EXPECT_FALSE(i.extension_mismatch) << i.mismatch_detail;
  EXPECT_TRUE(i.errors.empty());
}

TEST(Office, DocumentWithoutMacrosHasNone) {
  const std::string xlsx = make_zip({{"[Content_Types].xml", kContentTypesXlsx},
                                     {"_rels/.rels", "<Relationships/>"},
                                     {"xl/workbook.xml", "<workbook/>"}});
  const Inspection i = inspect(xlsx, "report.xlsx", "");
  EXPECT_FALSE(i.has_macros);
  EXPECT_FALSE(i.extension_mismatch) << i.mismatch_detail;
}

TEST(Office, OoxmlIsNotListedAsAnArchive) {
  const std::string docx = make_zip({{"[Content_Types].xml",
                                      "<Types><Override ContentType=\"application/"
                                      "vnd.openxmlformats-officedocument.wordprocessingml."
                                      "document.main+xml\"/></Types>"},
                                     {"word/document.xml", "<w:document/>"},
                                     {"word/vbaProject.bin", vba_project()}});
  const Inspection i = inspect(docx, "contract.docm", "");
  EXPECT_TRUE(i.has_macros);
  if (i.real_type.starts_with("application/vnd.openxmlformats")) {
    EXPECT_FALSE(i.is_archive);
    EXPECT_TRUE(i.entries.empty());
  }
}

TEST(Office, MacroEnabledContentTypeAloneCounts) {
  const std::string xlsm =
      make_zip({{"[Content_Types].xml", kContentTypesXlsm}, {"xl/workbook.xml", "<workbook/>"}});
  EXPECT_TRUE(inspect(xlsm, "a.xlsm", "").has_macros);
}

TEST(Office, ZipContainingAMacroDocument) {
  const std::string xlsm = make_zip({{"[Content_Types].xml", kContentTypesXlsm},
                                     {"xl/workbook.xml", "<workbook/>"},
                                     {"xl/vbaProject.bin", vba_project()}});
  const Inspection i = inspect(make_zip({{"invoice.xlsm", xlsm}}), "invoice.zip", "");
  EXPECT_TRUE(i.is_archive);
  ASSERT_EQ(i.entries.size(), 1u) << "the document's parts are not archive entries";
  EXPECT_TRUE(i.has_macros);
}

TEST(Cfb, LegacyDocumentWithVbaStorage) {
  const std::string doc = make_cfb({{"WordDocument", 2, std::string(5000, 'w')},
                                    {"Macros", 1, ""},
                                    {"VBA", 1, ""},
                                    {"_VBA_PROJECT", 2, std::string(200, 'p')}});
  EXPECT_TRUE(is_cfb(doc));
  const CfbFindings f = scan_cfb(doc);
  EXPECT_TRUE(f.vba);
  EXPECT_FALSE(f.xlm);
  EXPECT_EQ(f.error, "");
  const Inspection i = inspect(doc, "invoice.doc", "application/msword");
  EXPECT_TRUE(i.has_macros);
  EXPECT_FALSE(i.extension_mismatch) << i.real_type << " " << i.mismatch_detail;
}

TEST(Cfb, OnlyVbaProjectStreamIsEnough) {
  const std::string doc = make_cfb({{"_VBA_PROJECT", 2, "x"}});
  EXPECT_TRUE(scan_cfb(doc).vba);
  EXPECT_TRUE(inspect(doc, "a.xls", "").has_macros);
}

TEST(Cfb, DocumentWithoutMacros) {
  const std::string doc =
      make_cfb({{"WordDocument", 2, std::string(5000, 'w')}, {"1Table", 2, std::string(300, 't')}});
  const CfbFindings f = scan_cfb(doc);
  EXPECT_FALSE(f.vba);
  EXPECT_FALSE(f.xlm);
  EXPECT_EQ(f.error, "");
  EXPECT_FALSE(inspect(doc, "a.doc", "").has_macros);
}

TEST(Cfb, ExcelFourMacroSheetInMiniStream) {
  const std::string xls = make_cfb({{"Workbook", 2, make_workbook_stream({0, 1})}});
  const CfbFindings f = scan_cfb(xls);
  EXPECT_TRUE(f.xlm);
  EXPECT_FALSE(f.vba);
  EXPECT_EQ(f.error, "");
  EXPECT_TRUE(inspect(xls, "book.xls", "").has_macros);
}

TEST(Cfb, ExcelFourMacroSheetInRegularSectors) {
  const std::string xls = make_cfb({{"Workbook", 2, make_workbook_stream({0, 1}, 9000)}});
  EXPECT_TRUE(scan_cfb(xls).xlm);
  const std::string plain = make_cfb({{"Workbook", 2, make_workbook_stream({0, 0}, 9000)}});
  const CfbFindings f = scan_cfb(plain);
  EXPECT_FALSE(f.xlm);
  EXPECT_EQ(f.error, "");
}

TEST(Cfb, LoopInDirectoryChainIsReportedNotFollowed) {
  std::string doc = make_cfb(
      {{"A", 2, "x"}, {"B", 2, "y"}, {"C", 2, "z"}, {"D", 2, "w"}, {"_VBA_PROJECT", 2, "v"}});
  // Point the first directory sector's FAT entry at itself.
  const std::uint32_t dir = testing::cfb_first_dir_sector(doc);
  const std::size_t fat_entry = 512 + 4 * dir;
  doc[fat_entry] = static_cast<char>(dir);
  doc[fat_entry + 1] = doc[fat_entry + 2] = doc[fat_entry + 3] = '\0';
  const CfbFindings f = scan_cfb(doc);
  EXPECT_NE(f.error.find("loop"), std::string::npos) << f.error;
  const Inspection i = inspect(doc, "a.doc", "");
  EXPECT_FALSE(i.errors.empty());
}

TEST(Cfb, TruncatedAndHostileHeadersDoNotCrash) {
  const std::string doc = make_cfb({{"VBA", 1, ""}, {"_VBA_PROJECT", 2, "v"}});
  for (std::size_t cut : {8u, 100u, 511u, 512u, 600u, 1024u}) {
    const CfbFindings f = scan_cfb(doc.substr(0, cut));
    (void)f;
  }
  std::string bad = doc;
  bad[30] = 20;  // sector shift 2^20
  EXPECT_FALSE(scan_cfb(bad).error.empty());
  std::string huge_fat = doc;
  for (int k = 44; k < 48; ++k) huge_fat[k] = '\xFF';  // 4 billion FAT sectors claimed
  (void)scan_cfb(huge_fat);
  std::string difat_loop = doc;
  difat_loop[68] = 0;  // DIFAT chain starting at sector 0 (the FAT sector)
  difat_loop[69] = difat_loop[70] = difat_loop[71] = 0;
  difat_loop[72] = '\xFF';
  (void)scan_cfb(difat_loop);
}

TEST(Office, MacroPartNames) {
  EXPECT_TRUE(is_macro_part_name("word/vbaProject.bin"));
  EXPECT_TRUE(is_macro_part_name("xl/VBAPROJECT.BIN"));
  EXPECT_TRUE(is_macro_part_name("ppt/vbaProject.bin"));
  EXPECT_TRUE(is_macro_part_name("xl/macrosheets/sheet1.xml"));
  EXPECT_FALSE(is_macro_part_name("xl/worksheets/sheet1.xml"));
  EXPECT_FALSE(is_macro_part_name("xl/macrosheets/"));
  EXPECT_FALSE(is_macro_part_name("vbaProject.bin.txt"));
}

}  // namespace
}  // namespace renkei::attach
