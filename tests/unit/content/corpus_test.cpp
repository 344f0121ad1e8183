// parse_html over real phishing mails (data/corpus/phishing_pot, test use only): the HTML of ~50
// messages, cut naively from the raw .eml, must parse without incident and yield links.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "content/content.hpp"

namespace renkei::content {
namespace {

constexpr std::size_t kMessages = 50;

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(HtmlCorpus, PhishingPotHtmlParts) {
  const std::filesystem::path dir =
      std::filesystem::path(RENKEI_SHARED_DATA) / "corpus" / "phishing_pot";
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec))
    GTEST_SKIP() << "test data absent: " << dir << " (../shared/data is not checked out)";

  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec))
    if (entry.path().extension() == ".eml") files.push_back(entry.path());
  std::sort(files.begin(), files.end());

  std::size_t parsed = 0;
  std::size_t with_anchors = 0;
  std::size_t anchors = 0;
  for (const auto& file : files) {
    if (parsed == kMessages) break;
    const std::string raw = read_file(file);
    std::size_t begin = raw.find("<html");
    if (begin == std::string::npos) begin = raw.find("<HTML");
    if (begin == std::string::npos) continue;
    const std::size_t end = raw.find("</html>", begin);
    const std::string html =
        raw.substr(begin, end == std::string::npos ? std::string::npos : end + 7 - begin);
    const HtmlDoc doc = parse_html(html);
    ++parsed;
    anchors += doc.anchors.size();
    if (!doc.anchors.empty()) ++with_anchors;
    for (const auto& a : doc.anchors) {
      ASSERT_FALSE(a.href.empty()) << file;
      EXPECT_NE(a.href.front(), ' ') << file;  // trimmed
      EXPECT_NE(a.href.back(), ' ') << file;
    }
    // The helpers downstream run on the result too.
    (void)extract_urls(doc.text);
    (void)split_text(doc.text);
    (void)detect_language(doc.text);
  }
  ASSERT_GE(parsed, kMessages / 2) << "too few HTML messages in " << dir;
  EXPECT_GE(with_anchors, parsed / 2) << "phishing mail almost always links somewhere";
  EXPECT_GT(anchors, parsed);
}

}  // namespace
}  // namespace renkei::content
