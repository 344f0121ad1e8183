// parse_html on ordinary and phishing-shaped HTML: visible text, links, images, forms, flags.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "content/content.hpp"

namespace renkei::content {
namespace {

const Anchor* find_anchor(const HtmlDoc& doc, std::string_view href) {
  for (const auto& a : doc.anchors)
    if (a.href == href) return &a;
  return nullptr;
}

const Image* find_image(const HtmlDoc& doc, std::string_view src) {
  for (const auto& i : doc.images)
    if (i.src == src) return &i;
  return nullptr;
}

TEST(HtmlText, DropsScriptStyleHeadAndComments) {
  const HtmlDoc doc = parse_html(
      "<html><head><title>T</title><style>p{color:red}</style><script>var x=1;</script></head>"
      "<body><!-- secret comment --><p>Hello <b>world</b></p><script>alert('x')</script>"
      "<noembed>ne</noembed><template><p>inert</p></template></body></html>");
  EXPECT_EQ(doc.text, "Hello world");
  EXPECT_FALSE(doc.limit_hit);
}

TEST(HtmlText, BlockElementsBecomeLinesAndWhitespaceCollapses) {
  const HtmlDoc doc = parse_html(
      "<div>first\n\n   line</div><div>second</div><p>third<br>fourth</p>"
      "<ul><li>one</li><li>two</li></ul><table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr>"
      "</table>");
  EXPECT_EQ(doc.text, "first line\nsecond\nthird\nfourth\none\ntwo\na b\nc");
}

TEST(HtmlText, BlankLinesFromBreaksAndNbspParagraphsAreKeptButCapped) {
  // Gmail writes blank lines as <div><br></div>, Outlook as <p>&nbsp;</p>.
  EXPECT_EQ(parse_html("<div>a</div><div><br></div><div>b</div>").text, "a\n\nb");
  EXPECT_EQ(parse_html("<p>a</p><p>&nbsp;</p><p>b</p>").text, "a\n\nb");
  EXPECT_EQ(parse_html("a<br><br><br><br><br><br>b").text, "a\n\n\nb");
}

TEST(HtmlText, EntitiesAreDecoded) {
  const HtmlDoc doc =
      parse_html("<p>R&amp;D &lt;team&gt; &quot;ok&quot; caf&eacute; &#x3042;&#12356;</p>");
  EXPECT_EQ(doc.text, "R&D <team> \"ok\" café あい");
}

TEST(HtmlText, PreKeepsLineBreaks) {
  EXPECT_EQ(parse_html("<pre>line1\n  line2</pre>").text, "line1\n  line2");
}

TEST(HtmlText, BlockquoteLinesAreMarkedAsQuoted) {
  const HtmlDoc doc = parse_html(
      "<div>My reply</div><div>On Mon, Bob wrote:</div>"
      "<blockquote>quoted one<br>quoted two<blockquote>older</blockquote></blockquote>");
  EXPECT_EQ(doc.text, "My reply\nOn Mon, Bob wrote:\n> quoted one\n> quoted two\n>> older");
}

TEST(HtmlText, HiddenTextIsNotVisible) {
  struct Case {
    const char* name;
    const char* html;
  };
  const Case cases[] = {
      {"display none", "<div style=\"display:none\">SECRET</div>"},
      {"display none important", "<span style=\"DISPLAY: none !important\">SECRET</span>"},
      {"visibility hidden", "<span style=\"visibility:hidden\">SECRET</span>"},
      {"zero font (ZeroFont phishing)", "<span style=\"font-size:0px\">SECRET</span>"},
      {"zero font pt", "<span style='font-size: 0pt'>SECRET</span>"},
      {"opacity", "<span style=\"opacity:0\">SECRET</span>"},
      {"clipped preheader", "<div style=\"max-height:0;overflow:hidden\">SECRET</div>"},
      {"hidden attribute", "<p hidden>SECRET</p>"},
      {"comment-obfuscated css", "<div style=\"dis/**/play:none\">SECRET</div>"},
      {"escaped css", "<div style=\"d\\isplay:none\">SECRET</div>"},
      {"ancestor hidden", "<div style=\"display:none\"><p><b>SECRET</b></p></div>"},
  };
  for (const auto& c : cases) {
    const HtmlDoc doc = parse_html(std::string("<p>before</p>") + c.html + "<p>after</p>");
    EXPECT_EQ(doc.text, "before\nafter") << c.name;
  }
}

TEST(HtmlText, ZeroWidthCharactersAreRemoved) {
  // Inserted to break keyword matching: "Pa\u200Bss\u200Dword".
  EXPECT_EQ(parse_html("<p>Pa&#8203;ss&#x200D;word&shy;s</p>").text, "Passwords");
}

TEST(HtmlText, ButtonLabelsAreVisible) {
  const HtmlDoc doc =
      parse_html("<form><input type=email><input type=\"submit\" value=\"Sign in\"></form>");
  EXPECT_EQ(doc.text, "Sign in");
}

TEST(HtmlTitle, IsCollapsedAndDecoded) {
  EXPECT_EQ(parse_html("<title>\n Your  account &amp; you\n</title><p>x</p>").title,
            "Your account & you");
  EXPECT_EQ(parse_html("<p>no title</p>").title, "");
}

TEST(HtmlAnchors, VisibleTextIncludesNestedTags) {
  const HtmlDoc doc = parse_html(
      "<p>Click <a href=\"https://a.example/x\"><span>the <b>secure</b></span> link</a>.</p>");
  ASSERT_EQ(doc.anchors.size(), 1u);
  EXPECT_EQ(doc.anchors[0].href, "https://a.example/x");
  EXPECT_EQ(doc.anchors[0].text, "the secure link");
}

TEST(HtmlAnchors, TextInsideBlockquoteHasNoQuoteMarks) {
  const HtmlDoc doc = parse_html(
      "<blockquote><a href=\"https://q.example/\">quoted link</a><br>"
      "<a href=\"https://r.example/\">two<br>lines</a></blockquote>");
  ASSERT_EQ(doc.anchors.size(), 2u);
  EXPECT_EQ(doc.anchors[0].text, "quoted link");
  EXPECT_EQ(doc.anchors[1].text, "two lines");
}

TEST(HtmlAnchors, LongLinkTextIsBounded) {
  std::string html = "<a href=\"https://x.example/\">";
  for (int i = 0; i < 20000; ++i) html += "word ";
  const HtmlDoc doc = parse_html(html + "</a>");
  ASSERT_EQ(doc.anchors.size(), 1u);
  EXPECT_LE(doc.anchors[0].text.size(), 2048u);
  EXPECT_GT(doc.anchors[0].text.size(), 2000u);
}

TEST(HtmlAnchors, HrefIsEntityDecodedAndTrimmed) {
  const HtmlDoc doc = parse_html("<a href=\"  https://a.example/?a=1&amp;b=2 \n\">x</a>");
  ASSERT_EQ(doc.anchors.size(), 1u);
  EXPECT_EQ(doc.anchors[0].href, "https://a.example/?a=1&b=2");
}

TEST(HtmlAnchors, LinkTextShowingAnotherHost) {
  // The link_text_mismatch shape: text is a URL of one host, href goes elsewhere.
  const HtmlDoc doc =
      parse_html("<a href=\"http://amaz0n-login.example/signin\">https://www.amazon.co.jp/</a>");
  ASSERT_EQ(doc.anchors.size(), 1u);
  EXPECT_EQ(doc.anchors[0].text, "https://www.amazon.co.jp/");
  EXPECT_EQ(url_host(doc.anchors[0].href), "amaz0n-login.example");
  EXPECT_EQ(url_host(doc.anchors[0].text), "www.amazon.co.jp");
}

TEST(HtmlAnchors, AreaAnchorsWithoutHrefAndHiddenLinks) {
  const HtmlDoc doc = parse_html(
      "<map name=m><area shape=rect href=\"https://area.example/\"></map>"
      "<a name=\"top\">no href</a>"
      "<div style=\"display:none\"><a href=\"https://hidden.example/\">hidden</a></div>");
  ASSERT_EQ(doc.anchors.size(), 2u);
  EXPECT_EQ(doc.anchors[0].href, "https://area.example/");
  EXPECT_EQ(doc.anchors[0].text, "");
  // A hidden link is still a link in the message; the reader sees no text for it.
  EXPECT_EQ(doc.anchors[1].href, "https://hidden.example/");
  EXPECT_EQ(doc.anchors[1].text, "");
}

TEST(HtmlAnchors, JavascriptAndDataLinks) {
  const HtmlDoc doc = parse_html(
      "<a href=\"java&#x09;script:alert(1)\">js</a>"
      "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">data</a>");
  ASSERT_EQ(doc.anchors.size(), 2u);
  EXPECT_TRUE(doc.has_script) << "javascript: link (tab inside the scheme is ignored)";
  EXPECT_EQ(doc.anchors[1].href.rfind("data:", 0), 0u);
  EXPECT_EQ(url_host(doc.anchors[0].href), "");
  EXPECT_EQ(url_host(doc.anchors[1].href), "");
}

TEST(HtmlAnchors, UnclosedAnchorsAreClosedByTheNext) {
  const HtmlDoc doc =
      parse_html("<p><a href=\"https://1.example/\">one<a href=\"https://2.example/\">two");
  ASSERT_EQ(doc.anchors.size(), 2u);
  EXPECT_EQ(doc.anchors[0].text, "one");
  EXPECT_EQ(doc.anchors[1].text, "two");
}

TEST(HtmlImages, SendGridOpenTrackingPixel) {
  const HtmlDoc doc = parse_html(
      "<p>hi</p><img src=\"https://u1234.ct.sendgrid.net/wf/open?upn=abc123\" alt=\"\" "
      "width=\"1\" height=\"1\" border=\"0\" style=\"height:1px !important;width:1px "
      "!important;border-width:0 !important\">");
  const Image* img = find_image(doc, "https://u1234.ct.sendgrid.net/wf/open?upn=abc123");
  ASSERT_NE(img, nullptr);
  EXPECT_EQ(img->width, 1);
  EXPECT_EQ(img->height, 1);
  EXPECT_TRUE(img->hidden);
}

TEST(HtmlImages, SizesFromStyleOnly) {
  const HtmlDoc doc = parse_html(
      "<img src=\"https://t.example/o.gif\" style=\"height:1px !important;width:1px !important\">"
      "<img src=\"https://t.example/logo.png\" width=\"600\" height=\"80\">"
      "<img src=\"https://t.example/wide.png\" width=\"100%\">"
      "<img src=\"cid:image001.png@01D6\">");
  ASSERT_EQ(doc.images.size(), 4u);
  EXPECT_EQ(doc.images[0].width, 1);
  EXPECT_EQ(doc.images[0].height, 1);
  EXPECT_TRUE(doc.images[0].hidden);
  EXPECT_EQ(doc.images[1].width, 600);
  EXPECT_EQ(doc.images[1].height, 80);
  EXPECT_FALSE(doc.images[1].hidden);
  EXPECT_EQ(doc.images[2].width, -1);
  EXPECT_EQ(doc.images[2].height, -1);
  EXPECT_FALSE(doc.images[2].hidden);
  EXPECT_EQ(doc.images[3].src, "cid:image001.png@01D6");
}

TEST(HtmlImages, HiddenByCssOrAncestor) {
  const HtmlDoc doc = parse_html(
      "<img src=\"https://a.example/1.png\" style=\"display:none\">"
      "<div style=\"visibility:hidden\"><img src=\"https://a.example/2.png\" width=300></div>"
      "<img src=\"https://a.example/3.png\" width=0 height=0>");
  ASSERT_EQ(doc.images.size(), 3u);
  for (const auto& img : doc.images) EXPECT_TRUE(img.hidden) << img.src;
}

TEST(HtmlImages, BackgroundsAndImageInputs) {
  const HtmlDoc doc = parse_html(
      "<body background=\"https://bg.example/body.jpg\"><table><tr>"
      "<td style=\"background-image: url('https://bg.example/cell.png'); width:1px; height:1px\">"
      "x</td><td style=\"background:#fff url(https://bg.example/short.png) no-repeat\">y</td>"
      "</tr></table><form><input type=\"image\" src=\"https://btn.example/go.png\"></form>");
  EXPECT_NE(find_image(doc, "https://bg.example/body.jpg"), nullptr);
  const Image* cell = find_image(doc, "https://bg.example/cell.png");
  ASSERT_NE(cell, nullptr);
  EXPECT_TRUE(cell->hidden);
  EXPECT_NE(find_image(doc, "https://bg.example/short.png"), nullptr);
  EXPECT_NE(find_image(doc, "https://btn.example/go.png"), nullptr);
}

TEST(HtmlForms, CredentialHarvestingForm) {
  const HtmlDoc doc = parse_html(
      "<form method=post action=\" https://collect.example/p.php \">"
      "<input type=text name=u><input type=\"PASSWORD\" name=p>"
      "<button formaction=\"https://alt.example/post\">Go</button></form>");
  EXPECT_TRUE(doc.has_form);
  EXPECT_TRUE(doc.has_password_input);
  ASSERT_EQ(doc.form_actions.size(), 2u);
  EXPECT_EQ(doc.form_actions[0], "https://collect.example/p.php");
  EXPECT_EQ(doc.form_actions[1], "https://alt.example/post");
}

TEST(HtmlFlags, ScriptMetaRefreshAndEventHandlers) {
  EXPECT_TRUE(parse_html("<script src=x.js></script>").has_script);
  EXPECT_TRUE(parse_html("<img src=x onerror=\"eval(atob('YQ=='))\">").has_script);
  EXPECT_TRUE(parse_html("<body onload=go()>x</body>").has_script);
  EXPECT_FALSE(parse_html("<p>online</p>").has_script);
  const HtmlDoc refresh =
      parse_html("<meta http-equiv=\"Refresh\" content=\"0; url=https://evil.example/\">");
  EXPECT_TRUE(refresh.has_meta_refresh);
  EXPECT_FALSE(parse_html("<meta charset=utf-8><p>x</p>").has_meta_refresh);
  const HtmlDoc plain = parse_html("<p>x</p>");
  EXPECT_FALSE(plain.has_script || plain.has_form || plain.has_password_input ||
               plain.has_meta_refresh || plain.limit_hit);
}

TEST(HtmlJapanese, TextAndLinks) {
  const HtmlDoc doc = parse_html(
      "<html><head><meta charset=\"utf-8\"><title>【重要】アカウント確認</title></head><body>"
      "<p>いつもご利用いただきありがとうございます。</p>"
      "<p>下記URLよりログインしてください。<br>"
      "<a href=\"https://amazon-co-jp.example/ap/signin\">https://www.amazon.co.jp/ap/signin</a>"
      "</p><p>　以上、よろしくお願いいたします。</p></body></html>");
  EXPECT_EQ(doc.title, "【重要】アカウント確認");
  EXPECT_EQ(doc.text,
            "いつもご利用いただきありがとうございます。\n下記URLよりログインしてください。\n"
            "https://www.amazon.co.jp/ap/signin\n　以上、よろしくお願いいたします。");
  ASSERT_EQ(doc.anchors.size(), 1u);
  EXPECT_EQ(url_host(doc.anchors[0].href), "amazon-co-jp.example");
}

TEST(HtmlMalformed, UnbalancedAndBrokenMarkup) {
  const HtmlDoc doc = parse_html(
      "<div><p>one<div>two</span></b></p></td></table><i>three<p>four</i> five</div></div>"
      "</div><a href='https://x.example/'>link<");
  EXPECT_NE(doc.text.find("one"), std::string::npos);
  EXPECT_NE(doc.text.find("two"), std::string::npos);
  EXPECT_NE(doc.text.find("three"), std::string::npos);
  EXPECT_NE(doc.text.find("four"), std::string::npos);
  EXPECT_NE(doc.text.find("five"), std::string::npos);
  EXPECT_NE(find_anchor(doc, "https://x.example/"), nullptr);
  EXPECT_FALSE(doc.limit_hit);
}

TEST(HtmlMalformed, InvalidUtf8AndNulBytes) {
  const std::string html = std::string("<p>ok \xff\xfe bytes ") + '\0' + " nul</p>";
  const HtmlDoc doc = parse_html(html);
  EXPECT_NE(doc.text.find("ok"), std::string::npos);
  EXPECT_NE(doc.text.find("nul"), std::string::npos);
  EXPECT_NE(doc.text.find("\xEF\xBF\xBD"), std::string::npos) << "invalid bytes become U+FFFD";
}

TEST(HtmlMalformed, EmptyAndTextOnlyInput) {
  EXPECT_EQ(parse_html("").text, "");
  EXPECT_EQ(parse_html("just text, no tags").text, "just text, no tags");
  EXPECT_EQ(parse_html("<").text, "<");
}

TEST(HtmlLimits, LinksAreCappedAndReported) {
  std::string html;
  for (int i = 0; i < 30; ++i)
    html += "<a href=\"https://l" + std::to_string(i) + ".example/\">x</a>";
  HtmlLimits limits;
  limits.max_links = 10;
  const HtmlDoc doc = parse_html(html, limits);
  EXPECT_EQ(doc.anchors.size(), 10u);
  EXPECT_TRUE(doc.limit_hit);
  EXPECT_NE(doc.limit_detail.find("links"), std::string::npos);
}

TEST(HtmlLimits, InputIsCutAtMaxInputBytes) {
  HtmlLimits limits;
  limits.max_input_bytes = 20;
  const HtmlDoc doc = parse_html("<p>0123456789</p><p>after the cut</p>", limits);
  EXPECT_TRUE(doc.limit_hit);
  EXPECT_EQ(doc.text.find("after"), std::string::npos);
  EXPECT_NE(doc.limit_detail.find("cut before parsing"), std::string::npos);
}

TEST(HtmlLimits, InputCutDoesNotSplitUtf8) {
  HtmlLimits limits;
  limits.max_input_bytes = 4;  // "<p>" + first byte of "あ"
  const HtmlDoc doc = parse_html("<p>あい</p>", limits);
  EXPECT_EQ(doc.text, "");
}

TEST(HtmlLimits, TextIsCutAtMaxTextBytes) {
  HtmlLimits limits;
  limits.max_text_bytes = 10;
  const HtmlDoc doc = parse_html("<p>0123456789abcdef</p>", limits);
  EXPECT_LE(doc.text.size(), 10u);
  EXPECT_TRUE(doc.limit_hit);
  EXPECT_NE(doc.limit_detail.find("visible text"), std::string::npos);
}

TEST(HtmlLimits, NodeLimitStopsTheWalk) {
  std::string html;
  for (int i = 0; i < 500; ++i) html += "<span>w</span>";
  HtmlLimits limits;
  limits.max_nodes = 100;
  const HtmlDoc doc = parse_html(html, limits);
  EXPECT_TRUE(doc.limit_hit);
  EXPECT_NE(doc.limit_detail.find("nodes"), std::string::npos);
  EXPECT_LT(doc.text.size(), 500u);
}

}  // namespace
}  // namespace renkei::content
