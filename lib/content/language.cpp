// detect_language: script counts first (decisive for Japanese and Korean, and the only signal in
// a short subject), CLD2 for everything else.
#include <cstdio>  // compact_lang_det.h uses FILE without including it

#include <cld2/public/compact_lang_det.h>
#include <cld2/public/encodings.h>

#include <cstddef>
#include <string>
#include <string_view>

#include "content/content.hpp"
#include "content/text_util.hpp"

namespace renkei::content {
namespace {

// CLD2 looks at most at this much text; language does not change after the first pages, and
// CLD2's cost is linear in what it is given.
constexpr std::size_t kMaxLanguageBytes = 64u << 10;
// Below this many letters a Latin-script text is too short for CLD2 to be meaningful.
constexpr std::size_t kMinLettersForCld = 12;
// Han-only text needs this many ideographs before CLD2 may call it Chinese (see below).
constexpr std::size_t kMinHanForChinese = 20;

struct ScriptCounts {
  std::size_t latin = 0;
  std::size_t other = 0;  // other alphabetic scripts (Greek, Cyrillic, Arabic, Thai, ...)
  std::size_t kana = 0;
  std::size_t han = 0;
  std::size_t hangul = 0;
  std::size_t letters() const { return latin + other + kana + han + hangul; }
};

void count(char32_t cp, ScriptCounts& c) {
  if (cp < 0x80) {
    if (util::is_ascii_alpha(static_cast<char>(cp))) ++c.latin;
  } else if ((cp >= 0x3040 && cp <= 0x30FF && cp != 0x30FB) || (cp >= 0x31F0 && cp <= 0x31FF) ||
             (cp >= 0xFF66 && cp <= 0xFF9D)) {
    ++c.kana;  // the katakana middle dot is also used in Chinese text
  } else if ((cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
             (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x3FFFF) || cp == 0x3005) {
    ++c.han;
  } else if ((cp >= 0xAC00 && cp <= 0xD7AF) || (cp >= 0x1100 && cp <= 0x11FF) ||
             (cp >= 0x3130 && cp <= 0x318F)) {
    ++c.hangul;
  } else if ((cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7) ||
             (cp >= 0xFF21 && cp <= 0xFF3A) || (cp >= 0xFF41 && cp <= 0xFF5A)) {
    ++c.latin;
  } else if ((cp >= 0x370 && cp <= 0x1FFF) || (cp >= 0xA000 && cp <= 0xABFF)) {
    ++c.other;
  }
}

// CLD2 codes that are not BCP 47: Hebrew, Javanese, Indonesian (legacy), unknown.
std::string to_bcp47(std::string_view code) {
  if (code == "iw") return "he";
  if (code == "jw") return "jv";
  if (code == "in") return "id";
  if (code.empty() || code == "un" || code == "xxx") return "und";
  return std::string(code);
}

struct CldResult {
  std::string code;  // BCP 47, "und" when CLD2 gives up
  bool reliable = false;
};

CldResult run_cld2(const std::string& utf8) {
  CLD2::CLDHints hints{nullptr, nullptr, CLD2::UNKNOWN_ENCODING, CLD2::UNKNOWN_LANGUAGE};
  CLD2::Language language3[3];
  int percent3[3];
  double scores3[3];
  int text_bytes = 0;
  bool reliable = false;
  int valid_prefix = 0;
  const CLD2::Language lang = CLD2::ExtDetectLanguageSummaryCheckUTF8(
      utf8.data(), static_cast<int>(utf8.size()), true, &hints, 0, language3, percent3, scores3,
      nullptr, &text_bytes, &reliable, &valid_prefix);
  return CldResult{to_bcp47(CLD2::LanguageCode(lang)), reliable};
}

std::string detect(std::string_view input) {
  // CLD2 must only see valid UTF-8: rebuild the text, invalid bytes as spaces.
  std::string clean;
  clean.reserve(input.size() < kMaxLanguageBytes ? input.size() : kMaxLanguageBytes);
  ScriptCounts counts;
  std::size_t i = 0;
  while (i < input.size() && clean.size() + 4 <= kMaxLanguageBytes) {
    const std::size_t begin = i;
    const char32_t cp = detail::next_code_point(input, i);
    if (cp == detail::kReplacementChar && i - begin == 1) {
      clean.push_back(' ');
      continue;
    }
    if (cp == 0) {
      clean.push_back(' ');
      continue;
    }
    count(cp, counts);
    clean.append(input.substr(begin, i - begin));
  }
  const std::size_t letters = counts.letters();
  if (letters == 0) return "und";
  const std::size_t cjk = counts.kana + counts.han;
  // Kana are only written in Japanese; 30% of the letters is a Japanese text with Latin
  // words, URLs and names in it.
  if (counts.kana > 0 && cjk * 10 >= letters * 3) return "ja";
  if (counts.hangul * 10 >= letters * 3) return "ko";
  if (counts.han * 10 >= letters * 3) {
    // Ideographs without kana: a Japanese subject ("請求書", "至急確認") as often as Chinese.
    // Our users are Japanese, so short Han-only text is "ja"; only a longer text that CLD2
    // reliably calls Chinese is "zh".
    if (counts.han >= kMinHanForChinese) {
      const CldResult r = run_cld2(clean);
      if (r.reliable && (r.code == "zh" || r.code == "zh-Hant")) return r.code;
    }
    return "ja";
  }
  if (letters < kMinLettersForCld) return "und";
  return run_cld2(clean).code;
}

}  // namespace

std::string detect_language(std::string_view utf8_text) {
  try {
    return detect(utf8_text);
  } catch (...) {  // std::bad_alloc
    return "und";
  }
}

}  // namespace renkei::content
