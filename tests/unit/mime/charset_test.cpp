// Tests for renkei::mime charset conversion and mislabel detection (lib/mime/charset.hpp).
#include "mime/charset.hpp"

#include <gtest/gtest.h>
#include <unicode/ucnv.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace renkei::mime {
namespace {

namespace fs = std::filesystem;

fs::path filters_dir() {
  return fs::path(RENKEI_SHARED_DATA) / "corpus/gmime/tests/data/filters";
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Encodes UTF-8 text into `charset` with ICU, so tests can build real legacy bytes from readable
// Japanese written in the test.
std::string encode(std::string_view utf8, const char* charset) {
  UErrorCode err = U_ZERO_ERROR;
  std::string out(utf8.size() * 4 + 16, '\0');
  const int32_t n = ucnv_convert(charset, "UTF-8", out.data(), static_cast<int32_t>(out.size()),
                                 utf8.data(), static_cast<int32_t>(utf8.size()), &err);
  EXPECT_TRUE(U_SUCCESS(err)) << u_errorName(err);
  out.resize(static_cast<std::size_t>(n));
  return out;
}

// A typical Japanese business mail sentence (kana-rich) and a Chinese one (no kana).
constexpr std::string_view kJapanese =
    "お世話になっております。振込先の変更についてご連絡いたします。"
    "至急ご確認のほど、よろしくお願いいたします。";
constexpr std::string_view kChinese =
    "我们公司的银行账户出现了技术问题，请将款项汇入新的账户。谢谢合作。";
constexpr std::string_view kKorean = "안녕하세요. 결제 계좌가 변경되었습니다. 확인 부탁드립니다.";

TEST(Charset, EmptyInputIsEmptyAndNotMislabeled) {
  auto r = to_utf8("", "iso-2022-jp");
  EXPECT_EQ(r.text, "");
  EXPECT_EQ(r.used_charset, "iso-2022-jp");
  EXPECT_FALSE(r.mislabeled);
  EXPECT_FALSE(r.had_errors);
  r = to_utf8("", "");
  EXPECT_EQ(r.used_charset, "us-ascii");
  EXPECT_EQ(detect_charset(""), "us-ascii");
  EXPECT_TRUE(is_valid_utf8(""));
}

TEST(Charset, PureAsciiIsNeverMislabeledInAsciiCompatibleLabels) {
  const std::string ascii = "Invoice #42: please pay by Friday.\r\n\tThanks!";
  for (const char* label : {"us-ascii", "utf-8", "iso-8859-1", "windows-1252", "shift_jis",
                            "euc-jp", "iso-2022-jp", "gb2312", "gbk", "big5", "euc-kr", "koi8-r",
                            "iso-8859-15", "windows-1251", "", "x-unknown"}) {
    SCOPED_TRACE(label);
    const auto r = to_utf8(ascii, label);
    EXPECT_EQ(r.text, ascii);
    EXPECT_FALSE(r.mislabeled);
    EXPECT_FALSE(r.had_errors);
  }
  EXPECT_EQ(detect_charset(ascii), "us-ascii");
}

TEST(Charset, LabelsAreNormalised) {
  EXPECT_EQ(to_utf8("a", " Shift_JIS ").used_charset, "cp932");
  EXPECT_EQ(to_utf8("a", "\"UTF-8\"").used_charset, "utf-8");
  EXPECT_EQ(to_utf8("a", "iso-2022-jp*ja").used_charset, "iso-2022-jp");  // RFC 2231 language
  EXPECT_EQ(to_utf8("a", "ISO-8859-1").used_charset, "windows-1252");
  EXPECT_EQ(to_utf8("a", "KOI8-R").used_charset, "koi8-r");
  EXPECT_EQ(to_utf8("a", "iso-8859-15").used_charset, "iso-8859-15");
}

TEST(Charset, ShiftJisLabelsDecodeAsCp932) {
  // ① (NEC row 13), ～ (0x8160 is U+FF5E in CP932, not the JIS wave dash), ⅰ (IBM extension),
  // and 0x5C is a backslash, not a yen sign.
  const std::string bytes = "\x87\x40\x81\x60\xFA\x40\x5C";
  for (const char* label :
       {"shift_jis", "Shift_JIS", "sjis", "x-sjis", "windows-31j", "cp932", "ms_kanji"}) {
    SCOPED_TRACE(label);
    const auto r = to_utf8(bytes, label);
    EXPECT_EQ(r.text, "①～ⅰ\\");
    EXPECT_EQ(r.used_charset, "cp932");
    EXPECT_FALSE(r.mislabeled);
    EXPECT_FALSE(r.had_errors);
  }
}

TEST(Charset, Iso2022JpVariantsDecode) {
  // JIS X 0208 kana, NEC row 13 (CP50220/50221), half-width katakana (ESC ( I, CP50221) and
  // JIS X 0212 (ISO-2022-JP-1).
  const std::string bytes =
      "\x1b$B$3$s$K$A$O\x1b(B abc \x1b$B-!\x1b(B\x1b(I\x31\x1b(B\x1b$(D0!\x1b(B";
  for (const char* label : {"iso-2022-jp", "ISO-2022-JP", "iso-2022-jp-1", "iso-2022-jp-2",
                            "iso-2022-jp-3", "cp50220", "cp50221", "csISO2022JP"}) {
    SCOPED_TRACE(label);
    const auto r = to_utf8(bytes, label);
    EXPECT_EQ(r.text, "こんにちは abc ①ｱ丂");
    EXPECT_EQ(r.used_charset, "iso-2022-jp");
    EXPECT_FALSE(r.mislabeled);
    EXPECT_FALSE(r.had_errors);
  }
}

TEST(Charset, RoundTripsOfBuiltJapaneseText) {
  struct Case {
    const char* icu;
    const char* label;
    const char* used;
  };
  for (const Case& c :
       {Case{"ibm-943_P15A-2003", "shift_jis", "cp932"}, Case{"euc-jp", "euc-jp", "euc-jp"},
        Case{"ISO_2022,locale=ja,version=0", "iso-2022-jp", "iso-2022-jp"},
        Case{"UTF-8", "utf-8", "utf-8"}}) {
    SCOPED_TRACE(c.label);
    const std::string bytes = encode(kJapanese, c.icu);
    const auto r = to_utf8(bytes, c.label);
    EXPECT_EQ(r.text, kJapanese);
    EXPECT_EQ(r.used_charset, c.used);
    EXPECT_FALSE(r.mislabeled);
    EXPECT_FALSE(r.had_errors);
    EXPECT_EQ(detect_charset(bytes), c.used);
  }
}

TEST(Charset, GmimeJapaneseTextInThreeEncodings) {
  if (!fs::exists(filters_dir() / "japanese.utf-8.txt")) {
    GTEST_SKIP() << "shared test data is absent (" << filters_dir() << ")";
  }
  const std::string utf8 = read_file(filters_dir() / "japanese.utf-8.txt");
  const std::string sjis = read_file(filters_dir() / "japanese.shift-jis.txt");
  const std::string jis = read_file(filters_dir() / "japanese.iso-2022-jp.txt");

  auto r = to_utf8(sjis, "shift_jis");
  EXPECT_EQ(r.text, utf8);
  EXPECT_FALSE(r.mislabeled);
  EXPECT_FALSE(r.had_errors);

  r = to_utf8(jis, "iso-2022-jp");
  EXPECT_EQ(r.text, utf8);
  EXPECT_FALSE(r.mislabeled);
  EXPECT_FALSE(r.had_errors);

  r = to_utf8(utf8, "utf-8");
  EXPECT_EQ(r.text, utf8);
  EXPECT_FALSE(r.mislabeled);

  EXPECT_EQ(detect_charset(sjis), "cp932");
  EXPECT_EQ(detect_charset(jis), "iso-2022-jp");
  EXPECT_EQ(detect_charset(utf8), "utf-8");
  EXPECT_EQ(detect_charset(read_file(filters_dir() / "chinese.big5.txt")), "big5");

  // The mislabels of real Japanese mail, on the real file.
  r = to_utf8(sjis, "iso-2022-jp");
  EXPECT_EQ(r.text, utf8);
  EXPECT_TRUE(r.mislabeled);
  EXPECT_EQ(r.used_charset, "cp932");
  EXPECT_FALSE(r.had_errors);

  r = to_utf8(utf8, "shift_jis");
  EXPECT_EQ(r.text, utf8);
  EXPECT_TRUE(r.mislabeled);
  EXPECT_EQ(r.used_charset, "utf-8");

  r = to_utf8(jis, "utf-8");
  EXPECT_EQ(r.text, utf8);
  EXPECT_TRUE(r.mislabeled);
  EXPECT_EQ(r.used_charset, "iso-2022-jp");
}

TEST(Charset, GmimeOtherScripts) {
  if (!fs::exists(filters_dir() / "cyrillic.utf-8.txt")) {
    GTEST_SKIP() << "shared test data is absent (" << filters_dir() << ")";
  }
  const std::string cyrillic = read_file(filters_dir() / "cyrillic.utf-8.txt");
  for (const auto& [file, label] : std::vector<std::pair<std::string, std::string>>{
           {"cyrillic.koi8-r.txt", "koi8-r"},
           {"cyrillic.cp1251.txt", "windows-1251"},
           {"cyrillic.iso-8859-5.txt", "iso-8859-5"}}) {
    SCOPED_TRACE(file);
    const auto r = to_utf8(read_file(filters_dir() / file), label);
    EXPECT_EQ(r.text, cyrillic);
    EXPECT_FALSE(r.mislabeled);
    EXPECT_FALSE(r.had_errors);
  }

  const std::string big5 = read_file(filters_dir() / "chinese.big5.txt");
  const auto labelled = to_utf8(big5, "big5");
  EXPECT_FALSE(labelled.had_errors);
  EXPECT_FALSE(labelled.mislabeled);
  EXPECT_EQ(labelled.text.rfind("基換年大田胞中強活味。", 0), 0u);
  const auto unlabelled = to_utf8(big5, "");
  EXPECT_EQ(unlabelled.text, labelled.text);
  EXPECT_EQ(unlabelled.used_charset, "big5");
  EXPECT_FALSE(unlabelled.mislabeled);  // nothing was declared

  // cp1252 text labelled iso-8859-1 (the usual case): decoded as windows-1252, its superset.
  const auto french = to_utf8(read_file(filters_dir() / "french-fable.cp1252.txt"), "iso-8859-1");
  EXPECT_NE(french.text.find("Maître Renard, par l’odeur alléché,"), std::string::npos);
  EXPECT_FALSE(french.mislabeled);
  EXPECT_FALSE(french.had_errors);
}

TEST(Charset, ShiftJisLabelledIso2022JpIsMislabeled) {
  const std::string sjis = encode(kJapanese, "ibm-943_P15A-2003");
  for (const char* label : {"iso-2022-jp", "iso-2022-jp-2", "cp50221"}) {
    SCOPED_TRACE(label);
    const auto r = to_utf8(sjis, label);
    EXPECT_EQ(r.text, kJapanese);
    EXPECT_TRUE(r.mislabeled);
    EXPECT_EQ(r.used_charset, "cp932");
    EXPECT_FALSE(r.had_errors);
  }
  // Even a short subject: 8-bit bytes prove it is not ISO-2022-JP.
  const auto r = to_utf8(encode("請求書", "ibm-943_P15A-2003"), "iso-2022-jp");
  EXPECT_EQ(r.text, "請求書");
  EXPECT_TRUE(r.mislabeled);
}

TEST(Charset, EucJpLabelledChineseOrKoreanIsMislabeled) {
  const std::string euc = encode(kJapanese, "euc-jp");
  for (const char* label : {"gb2312", "gbk", "gb18030", "euc-kr", "ks_c_5601-1987", "big5"}) {
    SCOPED_TRACE(label);
    const auto r = to_utf8(euc, label);
    EXPECT_EQ(r.text, kJapanese);
    EXPECT_TRUE(r.mislabeled);
    EXPECT_EQ(r.used_charset, "euc-jp");
  }
  // A short kana-bearing subject is enough.
  const auto r = to_utf8(encode("ご請求書", "euc-jp"), "gb2312");
  EXPECT_EQ(r.text, "ご請求書");
  EXPECT_TRUE(r.mislabeled);
}

TEST(Charset, ChineseAndKoreanInTheirOwnLabelsStay) {
  auto r = to_utf8(encode(kChinese, "gb2312"), "gb2312");
  EXPECT_EQ(r.text, kChinese);
  EXPECT_FALSE(r.mislabeled);
  EXPECT_EQ(r.used_charset, "gb18030");

  r = to_utf8(encode(kChinese, "windows-936-2000"), "gbk");
  EXPECT_EQ(r.text, kChinese);
  EXPECT_FALSE(r.mislabeled);

  r = to_utf8(encode(kKorean, "euc-kr"), "euc-kr");
  EXPECT_EQ(r.text, kKorean);
  EXPECT_FALSE(r.mislabeled);
  EXPECT_EQ(r.used_charset, "cp949");
}

TEST(Charset, Utf8LabelledAsSomethingElseIsMislabeled) {
  struct Case {
    std::string text;
    const char* label;
  };
  for (const Case& c :
       {Case{"Café crème — 5 €", "us-ascii"}, Case{"Café crème", "iso-8859-1"},
        Case{"it’s due", "windows-1252"},  // the classic "itâ€™s" mojibake
        Case{"Zürich", "latin1"}, Case{std::string(kJapanese), "shift_jis"},
        Case{std::string(kJapanese), "iso-2022-jp"}, Case{std::string(kJapanese), "euc-jp"},
        Case{std::string(kChinese), "gb2312"}}) {
    SCOPED_TRACE(std::string(c.label) + ": " + c.text);
    const auto r = to_utf8(c.text, c.label);
    EXPECT_EQ(r.text, c.text);
    EXPECT_TRUE(r.mislabeled);
    EXPECT_EQ(r.used_charset, "utf-8");
    EXPECT_FALSE(r.had_errors);
  }
}

TEST(Charset, Iso2022JpEscapesInsideAnotherLabelAreMislabeled) {
  const std::string jis = encode(kJapanese, "ISO_2022,locale=ja,version=0");
  for (const char* label : {"us-ascii", "utf-8", "iso-8859-1", "shift_jis", ""}) {
    SCOPED_TRACE(label);
    const auto r = to_utf8(jis, label);
    EXPECT_EQ(r.text, kJapanese);
    EXPECT_EQ(r.used_charset, "iso-2022-jp");
    EXPECT_EQ(r.mislabeled, std::string(label) != "");
  }
  // An escape that is not ISO-2022-JP (a terminal colour code) is just a control character.
  const auto r = to_utf8("\x1b[31mred\x1b[0m", "us-ascii");
  EXPECT_EQ(r.text, "\x1b[31mred\x1b[0m");
  EXPECT_FALSE(r.mislabeled);
}

TEST(Charset, Latin1LabelledUtf8IsDetectedAsWindows1252) {
  const std::string latin1 = "Caf\xE9 cr\xE8me br\xFBl\xE9\x65, \x80 12";
  const auto r = to_utf8(latin1, "utf-8");
  EXPECT_EQ(r.text, "Café crème brûlée, € 12");
  EXPECT_TRUE(r.mislabeled);
  EXPECT_EQ(r.used_charset, "windows-1252");
  EXPECT_FALSE(r.had_errors);

  // And labelled us-ascii: 8-bit bytes cannot be ASCII.
  const auto a = to_utf8(latin1, "us-ascii");
  EXPECT_EQ(a.text, "Café crème brûlée, € 12");
  EXPECT_TRUE(a.mislabeled);
}

TEST(Charset, SjisLabelledUtf8IsDetected) {
  const auto r = to_utf8(encode(kJapanese, "ibm-943_P15A-2003"), "utf-8");
  EXPECT_EQ(r.text, kJapanese);
  EXPECT_TRUE(r.mislabeled);
  EXPECT_EQ(r.used_charset, "cp932");
}

TEST(Charset, HalfwidthKatakanaShiftJisStaysShiftJis) {
  // Pure half-width katakana is also valid EUC-JP byte pairs (kanji); it must not drift.
  const std::string text = "ｱﾏｿﾞﾝｶｽﾀﾏｰｾﾝﾀｰｶﾗﾉｺﾞﾚﾝﾗｸ";
  const auto r = to_utf8(encode(text, "ibm-943_P15A-2003"), "shift_jis");
  EXPECT_EQ(r.text, text);
  EXPECT_FALSE(r.mislabeled);
}

TEST(Charset, EucJpAndShiftJisConfusedWithEachOther) {
  auto r = to_utf8(encode(kJapanese, "euc-jp"), "shift_jis");
  EXPECT_EQ(r.text, kJapanese);
  EXPECT_TRUE(r.mislabeled);
  EXPECT_EQ(r.used_charset, "euc-jp");

  r = to_utf8(encode(kJapanese, "ibm-943_P15A-2003"), "euc-jp");
  EXPECT_EQ(r.text, kJapanese);
  EXPECT_TRUE(r.mislabeled);
  EXPECT_EQ(r.used_charset, "cp932");
}

TEST(Charset, UnknownLabelsAreDetectedWithoutClaimingAMislabel) {
  const std::string sjis = encode(kJapanese, "ibm-943_P15A-2003");
  for (const char* label : {"x-unknown", "unknown-8bit", "utf-8,version=1", "bogus=\"x\"", ""}) {
    SCOPED_TRACE(label);
    const auto r = to_utf8(sjis, label);
    EXPECT_EQ(r.text, kJapanese);
    EXPECT_EQ(r.used_charset, "cp932");
    EXPECT_FALSE(r.mislabeled);
  }
  EXPECT_EQ(to_utf8("caf\xC3\xA9", "x-unknown").used_charset, "utf-8");
  EXPECT_EQ(to_utf8(std::string(100, 'a'), std::string(500, 'x')).text, std::string(100, 'a'));
}

TEST(Charset, InvalidBytesBecomeReplacementCharacters) {
  // Shift_JIS cut in the middle of a character.
  std::string sjis = encode("請求書", "ibm-943_P15A-2003");
  sjis.pop_back();
  auto r = to_utf8(sjis, "shift_jis");
  EXPECT_EQ(r.used_charset, "cp932");
  EXPECT_TRUE(r.had_errors);
  EXPECT_FALSE(r.mislabeled);
  EXPECT_EQ(r.text.rfind("請求", 0), 0u);
  EXPECT_NE(r.text.find("\xEF\xBF\xBD"), std::string::npos);
  EXPECT_TRUE(is_valid_utf8(r.text));

  // Bytes no candidate can decode still give valid UTF-8, never a failure.
  const std::string junk = "\xFF\xFE\xFD\x80\x81\xFF";
  for (const char* label : {"utf-8", "shift_jis", "euc-jp", "iso-2022-jp", "us-ascii", ""}) {
    SCOPED_TRACE(label);
    r = to_utf8(junk, label);
    EXPECT_TRUE(is_valid_utf8(r.text));
    EXPECT_FALSE(r.text.empty());
  }
}

TEST(Charset, Utf16WithBom) {
  const std::string bytes(
      "\xFF\xFE"
      "H\0i\0 \0\x42\x30",
      10);
  const auto r = to_utf8(bytes, "utf-16");
  EXPECT_EQ(r.text, "Hi あ");
  EXPECT_FALSE(r.had_errors);
  EXPECT_FALSE(r.mislabeled);
}

TEST(Charset, Utf8BomIsDropped) {
  EXPECT_EQ(to_utf8("\xEF\xBB\xBFhello \xC3\xA9", "utf-8").text, "hello é");
}

TEST(Charset, ValidatesUtf8Strictly) {
  EXPECT_TRUE(is_valid_utf8("plain ascii"));
  EXPECT_TRUE(is_valid_utf8("日本語 é 🔥"));
  EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(is_valid_utf8("\xE0\x80\xAF"));      // overlong
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // beyond U+10FFFF
  EXPECT_FALSE(is_valid_utf8("abc\xE3\x81"));       // truncated
  EXPECT_FALSE(is_valid_utf8("\x80"));              // lone continuation
  EXPECT_FALSE(is_valid_utf8("12345678\xFF"));      // after an 8-byte ASCII run
}

TEST(Charset, HugeInputsStayBounded) {
  // 4 MiB of Shift_JIS: converted in full, output within 4x input.
  std::string big;
  const std::string unit = encode(kJapanese, "ibm-943_P15A-2003");
  while (big.size() < (4u << 20)) big += unit;
  const auto start = std::chrono::steady_clock::now();
  auto r = to_utf8(big, "iso-2022-jp");  // mislabeled, so scoring runs too
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_TRUE(r.mislabeled);
  EXPECT_FALSE(r.had_errors);
  EXPECT_LE(r.text.size(), big.size() * 4 + 64);
  EXPECT_EQ(r.text.substr(0, kJapanese.size()), kJapanese);
  EXPECT_LT(std::chrono::duration_cast<std::chrono::seconds>(elapsed).count(), 10);

  // Worst case expansion: every byte invalid becomes U+FFFD (3 bytes), within the bound.
  const std::string junk(1u << 20, '\xFF');
  r = to_utf8(junk, "us-ascii");
  EXPECT_LE(r.text.size(), junk.size() * 4 + 64);
  EXPECT_TRUE(is_valid_utf8(r.text));

  // Huge ASCII takes the fast path.
  const std::string ascii(8u << 20, 'a');
  r = to_utf8(ascii, "shift_jis");
  EXPECT_EQ(r.text.size(), ascii.size());
  EXPECT_FALSE(r.mislabeled);
}

TEST(Charset, EvidenceAfterALongAsciiPrefixIsFound) {
  // The sample window starts at the first 8-bit byte, so a long ASCII preamble cannot hide it.
  const std::string text = std::string(100000, 'x') + std::string(kJapanese);
  const auto r = to_utf8(encode(text, "euc-jp"), "gb2312");
  EXPECT_EQ(r.text, text);
  EXPECT_TRUE(r.mislabeled);
  EXPECT_EQ(r.used_charset, "euc-jp");
}

TEST(Charset, ManyDistinctLabelsKeepCachesBounded) {
  // Hostile mail may name thousands of charsets; every call still answers correctly.
  for (int i = 0; i < 2000; ++i) {
    const std::string label = "x-bogus-" + std::to_string(i);
    const auto r = to_utf8("caf\xC3\xA9", label);
    ASSERT_EQ(r.text, "café");
  }
  EXPECT_EQ(to_utf8("\xE9", "iso-8859-15").text, "é");
}

TEST(Charset, ConcurrentCallsAreSafe) {
  const std::string sjis = encode(kJapanese, "ibm-943_P15A-2003");
  const std::string euc = encode(kJapanese, "euc-jp");
  std::vector<std::thread> threads;
  threads.reserve(4);
  std::vector<int> failures(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        if (to_utf8(sjis, "iso-2022-jp").text != kJapanese) ++failures[t];
        if (to_utf8(euc, "gb2312").text != kJapanese) ++failures[t];
        if (to_utf8(kJapanese, "us-ascii").text != kJapanese) ++failures[t];
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int f : failures) EXPECT_EQ(f, 0);
}

}  // namespace
}  // namespace renkei::mime
