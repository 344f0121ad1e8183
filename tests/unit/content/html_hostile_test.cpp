// parse_html on markup built to exhaust a parser. gumbo alone needs minutes (quadratic in depth)
// or gigabytes for several of these; each must finish quickly, report the limit it hit, and still
// deliver what the analysis needs.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "content/content.hpp"
#include "content/html_scan.hpp"

namespace renkei::content {
namespace {

// Generous enough for sanitizer builds; a quadratic regression takes minutes.
constexpr std::chrono::seconds kMaxSeconds{20};

std::string repeat(std::string_view unit, std::size_t n) {
  std::string out;
  out.reserve(unit.size() * n);
  for (std::size_t i = 0; i < n; ++i) out.append(unit);
  return out;
}

// "<b id=0><b id=1>...": distinct attributes defeat gumbo's Noah's-ark clause.
std::string numbered(std::string_view before, std::string_view after, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) {
    out.append(before);
    out.append(std::to_string(i));
    out.append(after);
  }
  return out;
}

class Timed {
 public:
  Timed() : start_(std::chrono::steady_clock::now()) {}
  bool ok() const { return std::chrono::steady_clock::now() - start_ < kMaxSeconds; }

 private:
  std::chrono::steady_clock::time_point start_;
};

TEST(HtmlHostile, HundredThousandNestedDivsKeepTheLinkAtTheBottom) {
  const std::string html = repeat("<div>", 100000) +
                           "<a href=\"https://evil.example/\">click <b>here</b></a>"
                           "<img src=\"https://t.example/o.gif\" width=1 height=1>" +
                           repeat("</div>", 100000);
  Timed t;
  const HtmlDoc doc = parse_html(html);
  EXPECT_TRUE(t.ok());
  EXPECT_TRUE(doc.limit_hit);
  EXPECT_NE(doc.limit_detail.find("nested deeper"), std::string::npos) << doc.limit_detail;
  ASSERT_EQ(doc.anchors.size(), 1u);
  EXPECT_EQ(doc.anchors[0].href, "https://evil.example/");
  EXPECT_EQ(doc.anchors[0].text, "click here");
  ASSERT_EQ(doc.images.size(), 1u);
  EXPECT_TRUE(doc.images[0].hidden);
}

TEST(HtmlHostile, DeepUnclosedNestingOfManyKinds) {
  struct Case {
    const char* name;
    std::string html;
  };
  const Case cases[] = {
      {"unclosed div", repeat("<div>", 100000) + "end"},
      {"unclosed span", repeat("<span>", 100000) + "end"},
      {"formatting pairs", repeat("<i><b>", 50000) + "end"},
      {"formatting with distinct attributes", numbered("<b id=", ">", 50000) + "end"},
      {"stray </p> between formatting", numbered("<b id=", ">x</p>", 50000) + "end"},
      {"formatting re-opened after blocks", numbered("<div><b id=", "></div>x", 50000) + "end"},
      {"list items re-opening formatting",
       "<ul><li>" + numbered("<b id=", ">", 200) + repeat("<li>x", 50000) + "end"},
      {"anchors around blocks", repeat("<a href=x><div>", 50000) + "end"},
      {"tables", repeat("<table><tr><td>", 30000) + "end"},
      {"svg", repeat("<svg>", 50000) + "end"},
      {"ul", repeat("<ul>", 100000) + "end"},
      {"font", repeat("<font>", 100000) + "end"},
  };
  for (const auto& c : cases) {
    Timed t;
    const HtmlDoc doc = parse_html(c.html);
    EXPECT_TRUE(t.ok()) << c.name;
    EXPECT_TRUE(doc.limit_hit) << c.name;
    EXPECT_NE(doc.text.find("end"), std::string::npos) << c.name << ": " << doc.limit_detail;
  }
}

TEST(HtmlHostile, HundredNestedDivsAreNotFlattened) {
  // Real mail nests tables a few dozen levels; nothing is dropped there.
  const HtmlDoc doc = parse_html(repeat("<div>", 100) + "<a href=\"https://x.example/\">x</a>" +
                                 repeat("</div>", 100));
  EXPECT_FALSE(doc.limit_hit) << doc.limit_detail;
  EXPECT_EQ(doc.anchors.size(), 1u);
}

TEST(HtmlHostile, TagWithFortyThousandAttributes) {
  std::string html = "<div";
  for (int i = 0; i < 40000; ++i) html += " a" + std::to_string(i);
  html += " style=\"display:none\">hidden</div><p>shown</p>";
  Timed t;
  const HtmlDoc doc = parse_html(html);
  EXPECT_TRUE(t.ok());
  EXPECT_TRUE(doc.limit_hit);
  EXPECT_NE(doc.limit_detail.find("attributes"), std::string::npos) << doc.limit_detail;
  EXPECT_NE(doc.text.find("shown"), std::string::npos);
}

TEST(HtmlHostile, ManyAttributesOnManyTagsKeepLinks) {
  std::string attrs;
  for (int i = 0; i < 40; ++i) attrs += " x" + std::to_string(i) + "=1";
  std::string html;
  for (int i = 0; i < 5000; ++i) html += "<a" + attrs + " href=\"https://l.example/\">l</a>";
  Timed t;
  const HtmlDoc doc = parse_html(html);
  EXPECT_TRUE(t.ok());
  EXPECT_TRUE(doc.limit_hit);
  ASSERT_FALSE(doc.anchors.empty());
  EXPECT_EQ(doc.anchors.back().href, "https://l.example/") << "href survives attribute pruning";
}

TEST(HtmlHostile, RepeatedBodyTagsMergingAttributes) {
  Timed t;
  const HtmlDoc doc = parse_html(numbered("<body a", "=1>", 200000) + "<p>end</p>");
  EXPECT_TRUE(t.ok());
  EXPECT_TRUE(doc.limit_hit);
  EXPECT_NE(doc.text.find("end"), std::string::npos);
}

TEST(HtmlHostile, TenMegabytesOfText) {
  const std::string html = "<p>" + repeat("lorem ipsum ", 900000) + "</p>";  // ~10.8 MB
  Timed t;
  const HtmlDoc doc = parse_html(html);
  EXPECT_TRUE(t.ok());
  EXPECT_TRUE(doc.limit_hit);
  EXPECT_NE(doc.limit_detail.find("cut before parsing"), std::string::npos);
  EXPECT_LE(doc.text.size(), HtmlLimits{}.max_text_bytes);
  EXPECT_GT(doc.text.size(), 1000000u);
}

TEST(HtmlHostile, OneMegabyteUrl) {
  const std::string url = "https://long.example/" + repeat("a", 1 << 20);
  const HtmlDoc doc = parse_html("<a href=\"" + url + "\">" + url + "</a>");
  ASSERT_EQ(doc.anchors.size(), 1u);
  EXPECT_EQ(doc.anchors[0].href.size(), url.size());
  EXPECT_EQ(url_host(doc.anchors[0].href), "long.example");
}

TEST(HtmlHostile, HugeCommentAndUnterminatedConstructs) {
  for (const std::string& html :
       {"<!--" + repeat("<div>", 200000), "<script>" + repeat("<div>", 200000),
        "<div title=\"" + repeat("<div>", 200000), "<textarea>" + repeat("<b>", 200000),
        repeat("<", 1 << 20), repeat("</div>", 200000), repeat("<p>", 200000),
        repeat("<table>", 100000), repeat("<select><option>", 50000)}) {
    Timed t;
    const HtmlDoc doc = parse_html(html);
    EXPECT_TRUE(t.ok()) << html.substr(0, 20);
  }
}

TEST(HtmlHostile, NodeLimitCutsTheInputBeforeGumbo) {
  Timed t;
  const HtmlDoc doc = parse_html(repeat("<span>x</span>", 400000));
  EXPECT_TRUE(t.ok());
  EXPECT_TRUE(doc.limit_hit);
  EXPECT_NE(doc.limit_detail.find("nodes"), std::string::npos);
}

// ---- the guard on its own ----

TEST(HtmlGuard, LeavesOrdinaryHtmlAlone) {
  const std::string html =
      "<html><head><title>x</title></head><body><table><tr><td><p>a<b>b</b><br>"
      "<a href=x>y</a></td></tr></table><ul><li>1<li>2</ul></body></html>";
  const detail::GuardResult r = detail::guard_html(html, {});
  EXPECT_FALSE(r.modified);
  EXPECT_FALSE(r.node_limit_hit);
  EXPECT_EQ(r.parse_bytes, html.size());
}

TEST(HtmlGuard, ImplicitlyClosedSiblingsDoNotCountAsNesting) {
  // Sloppy but legitimate markup: thousands of unclosed <p>, <li>, <td>, <option>.
  for (const std::string& html :
       {repeat("<p>para", 5000), "<ul>" + repeat("<li>item", 5000),
        "<table>" + repeat("<tr><td>a<td>b", 5000), "<select>" + repeat("<option>o", 5000)}) {
    const detail::GuardResult r = detail::guard_html(html, {});
    EXPECT_EQ(r.dropped_tags, 0u) << html.substr(0, 20);
  }
}

TEST(HtmlGuard, ScriptContentIsNotMarkup) {
  const std::string html = "<script>for (i = 0; i < n; i++) { if (a<b && c>d) x = '<div>'; }" +
                           repeat("<div>", 1000) + "</script><p>after</p>";
  const detail::GuardResult r = detail::guard_html(html, {});
  EXPECT_EQ(r.dropped_tags, 0u);
  const HtmlDoc doc = parse_html(html);
  EXPECT_EQ(doc.text, "after");
  EXPECT_TRUE(doc.has_script);
}

TEST(HtmlGuard, DropsOnlyWhatIsTooDeep) {
  detail::GuardLimits limits;
  limits.max_depth = 3;
  const detail::GuardResult r =
      detail::guard_html("<div><div><div><div><div>x</div></div></div></div></div>", limits);
  EXPECT_TRUE(r.modified);
  EXPECT_EQ(r.dropped_tags, 2u);
  EXPECT_EQ(r.rewritten, "<div><div><div>x</div></div></div></div></div>");
}

}  // namespace
}  // namespace renkei::content
