// Charset conversion with ICU and mislabel detection. See charset.hpp for the contract.
//
// How a charset is chosen (to_utf8 and detect_charset share it):
//
//  1. Fast paths that never touch ICU: empty input; pure 7-bit text without an ISO-2022 escape in
//     an ASCII-compatible (or unknown) label; valid UTF-8 labelled UTF-8.
//  2. Otherwise a few candidate charsets are collected from evidence in the bytes: the declared
//     one; ISO-2022-JP when its escape sequences appear in 7-bit text; UTF-8 when the bytes contain
//     valid multi-byte UTF-8 sequences; the charsets the declared one is commonly confused with
//     (Japanese ones with each other; Chinese and Korean EUC-style ones with EUC-JP); and, when
//     the declared charset cannot decode the bytes or there is no usable label, the usual
//     suspects of mail (CP932, EUC-JP, windows-1252) plus ICU's detector's best guesses.
//  3. Each candidate decodes a sample (at most kSampleBytes, starting where the first non-ASCII
//     byte is) and gets a score:
//        score = sum over decoded code points of kWeights[class][language profile]
//              - kErrorPenalty per byte sequence the candidate cannot decode
//              + kUtf8ContinuationBonus per continuation byte (UTF-8 candidate only)
//              + a prior: kDeclaredPrior for the declared label, detector confidence / 4
//     The class is the kind of character (kana, Han, Hangul, Latin letter, symbol, control, private
//     use…); the profile is the language the charset is used for, so hiragana is strong evidence
//     for a Japanese charset and evidence against a Chinese one, and Hangul the reverse. Valid
//     multi-byte UTF-8 almost never occurs by chance in legacy charsets, hence its bonus.
//  4. The best score wins (ties keep the earlier candidate, the declared one first). `mislabeled`
//     means a declared charset lost.
//
// The result is a plausibility judgement, not a language model: it settles the mislabels real mail
// has (Shift_JIS labelled ISO-2022-JP, EUC-JP labelled gb2312, UTF-8 labelled latin-1…) and
// leaves genuinely ambiguous short strings (a few kanji that are valid in two charsets) with the
// declared label.
#include "mime/charset.hpp"

#include <unicode/ucnv.h>
#include <unicode/ucnv_cb.h>
#include <unicode/ucsdet.h>
#include <unicode/utf16.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "util/text.hpp"

namespace renkei::mime {
namespace {

// ---- Named limits ----
constexpr std::size_t kMaxLabelBytes = 64;  // longer labels are treated as unknown
constexpr std::size_t kSampleBytes =
    std::size_t{16} * 1024;  // bytes each candidate decodes when scoring
constexpr std::size_t kDetectorSampleBytes =
    std::size_t{8} * 1024;                   // bytes given to ICU's detector
constexpr std::size_t kMaxOutputFactor = 4;  // output <= 4 x input + kOutputSlack bytes
constexpr std::size_t kOutputSlack = 64;
constexpr std::size_t kMaxCachedLabels = 128;     // per thread; the cache is cleared when full
constexpr std::size_t kMaxCachedConverters = 64;  // per thread; likewise
constexpr std::size_t kChunkUnits = 4096;         // UTF-16 units converted per ICU call
// A candidate that cannot decode this many sequences of the sample has lost: its decoding stops
// there (cheap on long bodies) and it scores kHopeless, below any candidate that decoded the
// whole sample. (Its partial score would be wrong: the penalties it did not reach are missing.)
constexpr std::size_t kMaxScoringErrors = 64;
constexpr long long kHopeless = -(1LL << 40);

// ---- Scoring constants (see the file comment) ----
constexpr int kErrorPenalty = 20;
constexpr int kUtf8ContinuationBonus = 10;
constexpr int kDeclaredPrior = 8;
constexpr int kMinDetectorConfidence = 11;  // ICU reports 10 for "no idea" UTF-16 guesses
constexpr int kMinConfidenceNonAscii = 50;  // UTF-16/32 and friends need real evidence (a BOM)
constexpr int kMaxDetectorCandidates = 3;

enum Profile : std::uint8_t { kJapanese, kChinese, kKorean, kUnicode, kAlphabetic, kProfiles };

enum CharClass : std::uint8_t {
  kAsciiChar,
  kControl,
  kSymbol,
  kLatin,
  kOtherLetter,
  kCjkSymbol,
  kKana,
  kHalfwidthKana,
  kHan,
  kRareHan,
  kHangul,
  kJamo,
  kPrivateUse,
  kOtherChar,
  kClasses
};

// Per code point weight by class (rows) and profile (columns: Japanese, Chinese, Korean,
// Unicode, Alphabetic).
constexpr std::array<std::array<int, kProfiles>, kClasses> kWeights = {{
    {0, 0, 0, 0, 0},            // kAsciiChar: shared by every candidate
    {-10, -10, -10, -10, -10},  // kControl: C0 (not whitespace), DEL, C1, non-characters
    {1, 1, 1, 1, 0},            // kSymbol: Latin-1 signs, punctuation, arrows, ①
    {-2, -2, -2, 2, 2},         // kLatin: accented Latin letters
    {-1, -1, -1, 2, 2},         // kOtherLetter: Greek, Cyrillic, Hebrew, Arabic, Thai…
    {2, 2, 2, 2, -4},           // kCjkSymbol: 、。「」, full-width forms, ㈱
    {6, -6, -6, 4, -6},         // kKana: hiragana and katakana
    {1, -4, -4, -2, -4},        // kHalfwidthKana: Japanese spam uses it; so does mojibake
    {2, 2, 0, 2, -4},           // kHan: CJK unified ideographs
    {-2, -2, -2, -2, -4},       // kRareHan: extension A/B, compatibility ideographs
    {-6, -6, 6, 4, -4},         // kHangul: syllables
    {-2, -2, -2, -2, -4},       // kJamo: conjoining / compatibility jamo
    {-6, -6, -6, -6, -6},       // kPrivateUse
    {0, 0, 0, 0, 0},            // kOtherChar
}};

CharClass classify(char32_t cp) {
  if (cp < 0x80) {
    if (cp >= 0x20 && cp < 0x7F) return kAsciiChar;
    if (cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' || cp == '\v') return kAsciiChar;
    return kControl;
  }
  if (cp < 0xA0) return kControl;
  if (cp < 0xC0 || cp == 0xD7 || cp == 0xF7) return kSymbol;
  if (cp < 0x250) return kLatin;
  if (cp < 0x370) return kOtherChar;
  if (cp >= 0x1100 && cp < 0x1200) return kJamo;
  if (cp >= 0x1E00 && cp < 0x1F00) return kLatin;
  if (cp < 0x2000) return kOtherLetter;
  if (cp < 0x2C00) return kSymbol;
  if (cp < 0x3000) return kOtherChar;
  if (cp < 0x3040) return kCjkSymbol;
  if (cp < 0x3100) return kKana;
  if (cp >= 0x3130 && cp < 0x3190) return kJamo;
  if (cp >= 0x31F0 && cp < 0x3200) return kKana;
  if (cp >= 0x3200 && cp < 0x3400) return kCjkSymbol;
  if (cp < 0x3400) return kOtherChar;
  if (cp < 0x4DC0) return kRareHan;
  if (cp < 0x4E00) return kOtherChar;
  if (cp < 0xA000) return kHan;
  if ((cp >= 0xA960 && cp < 0xA980) || (cp >= 0xD7B0 && cp < 0xD800)) return kJamo;
  if (cp >= 0xAC00 && cp < 0xD7A4) return kHangul;
  if (cp >= 0xE000 && cp < 0xF900) return kPrivateUse;
  if (cp >= 0xF900 && cp < 0xFB00) return kRareHan;
  if ((cp >= 0xFF01 && cp < 0xFF61) || (cp >= 0xFFE0 && cp < 0xFFF0)) return kCjkSymbol;
  if (cp >= 0xFF61 && cp < 0xFFA0) return kHalfwidthKana;
  if (cp >= 0xFFA0 && cp < 0xFFDD) return kJamo;
  if (cp >= 0xFDD0 && cp < 0xFDF0) return kControl;
  if ((cp & 0xFFFE) == 0xFFFE) return kControl;
  if (cp >= 0x1F000 && cp < 0x1FB00) return kSymbol;  // emoji
  if (cp >= 0x20000 && cp < 0x40000) return kRareHan;
  if (cp >= 0xF0000) return kPrivateUse;
  return kOtherChar;
}

// ---- Charset descriptions ----

struct Charset {
  std::string canonical;  // reported as used_charset
  std::string icu_name;   // passed to ucnv_open
  Profile profile = kUnicode;
  bool ascii_compatible = true;  // printable ASCII bytes decode to themselves
  bool is_utf8 = false;
};
using CharsetRef = std::shared_ptr<const Charset>;

// Charsets we name ourselves, because ICU's default for the label is not what mail needs.
struct Family {
  std::string_view canonical;
  const char* icu_name;
  Profile profile;
};
enum FamilyId : std::uint8_t {
  kUsAscii,
  kUtf8,
  kIso2022Jp,
  kCp932,
  kEucJp,
  kGb18030,
  kBig5,
  kBig5Hkscs,
  kCp949,
  kWindows1252,
  kFamilies
};
constexpr std::array<Family, kFamilies> kFamilyTable = {{
    {"us-ascii", "US-ASCII", kAlphabetic},
    {"utf-8", "UTF-8", kUnicode},
    // Version 2 is the most permissive of ICU's ISO-2022-JP decoders: JIS X 0212 (-1), the -2
    // sets and half-width katakana (ESC ( I, used by CP50221); NEC row 13 decodes too.
    {"iso-2022-jp", "ISO_2022,locale=ja,version=2", kJapanese},
    // Microsoft's Shift_JIS (NEC and IBM extensions, 0x5C is a backslash, 0x8160 is U+FF5E).
    {"cp932", "ibm-943_P15A-2003", kJapanese},
    {"euc-jp", "euc-jp-2007", kJapanese},
    // GB2312 and GBK text decodes correctly as GB18030, their superset.
    {"gb18030", "gb18030", kChinese},
    {"big5", "windows-950-2000", kChinese},
    {"big5-hkscs", "ibm-1375_P100-2008", kChinese},
    // EUC-KR mail is often CP949 (unified Hangul code), its superset.
    {"cp949", "windows-949-2000", kKorean},
    // Like browsers (WHATWG), read ISO-8859-1 as its superset windows-1252: mail labels cp1252
    // text "iso-8859-1" all the time.
    {"windows-1252", "windows-1252", kAlphabetic},
}};

struct Alias {
  std::string_view label;
  FamilyId family;
};
constexpr Alias kAliases[] = {
    {"us-ascii", kUsAscii},
    {"ascii", kUsAscii},
    {"us", kUsAscii},
    {"ansi_x3.4-1968", kUsAscii},
    {"ansi_x3.4-1986", kUsAscii},
    {"iso646-us", kUsAscii},
    {"iso_646.irv:1991", kUsAscii},
    {"cp367", kUsAscii},
    {"ibm367", kUsAscii},
    {"csascii", kUsAscii},
    {"iso-ir-6", kUsAscii},
    {"utf-8", kUtf8},
    {"utf8", kUtf8},
    {"unicode-1-1-utf-8", kUtf8},
    {"unicode-2-0-utf-8", kUtf8},
    {"x-unicode20utf8", kUtf8},
    {"iso-2022-jp", kIso2022Jp},
    {"iso2022jp", kIso2022Jp},
    {"csiso2022jp", kIso2022Jp},
    {"iso-2022-jp-1", kIso2022Jp},
    {"iso-2022-jp-2", kIso2022Jp},
    {"csiso2022jp2", kIso2022Jp},
    {"iso-2022-jp-3", kIso2022Jp},
    {"iso-2022-jp-2004", kIso2022Jp},
    {"cp50220", kIso2022Jp},
    {"cp50221", kIso2022Jp},
    {"cp50222", kIso2022Jp},
    {"x-cp50220", kIso2022Jp},
    {"x-cp50221", kIso2022Jp},
    {"x-cp50222", kIso2022Jp},
    {"jis", kIso2022Jp},
    {"shift_jis", kCp932},
    {"shift-jis", kCp932},
    {"shiftjis", kCp932},
    {"sjis", kCp932},
    {"x-sjis", kCp932},
    {"s-jis", kCp932},
    {"windows-31j", kCp932},
    {"cswindows31j", kCp932},
    {"cp932", kCp932},
    {"ms932", kCp932},
    {"windows-932", kCp932},
    {"x-ms-cp932", kCp932},
    {"ms_kanji", kCp932},
    {"csshiftjis", kCp932},
    {"shift_jisx0213", kCp932},
    {"shift_jis-2004", kCp932},
    {"euc-jp", kEucJp},
    {"eucjp", kEucJp},
    {"x-euc-jp", kEucJp},
    {"cseucpkdfmtjapanese", kEucJp},
    {"ujis", kEucJp},
    {"x-euc", kEucJp},
    {"cp51932", kEucJp},
    {"eucjp-ms", kEucJp},
    {"eucjp-win", kEucJp},
    {"euc-jisx0213", kEucJp},
    {"euc-jis-2004", kEucJp},
    {"gb2312", kGb18030},
    {"gb_2312", kGb18030},
    {"gb_2312-80", kGb18030},
    {"csgb2312", kGb18030},
    {"euc-cn", kGb18030},
    {"x-euc-cn", kGb18030},
    {"chinese", kGb18030},
    {"iso-ir-58", kGb18030},
    {"csiso58gb231280", kGb18030},
    {"gbk", kGb18030},
    {"x-gbk", kGb18030},
    {"cp936", kGb18030},
    {"ms936", kGb18030},
    {"windows-936", kGb18030},
    {"gb18030", kGb18030},
    {"big5", kBig5},
    {"big-5", kBig5},
    {"cn-big5", kBig5},
    {"csbig5", kBig5},
    {"x-x-big5", kBig5},
    {"cp950", kBig5},
    {"windows-950", kBig5},
    {"big5-hkscs", kBig5Hkscs},
    {"euc-kr", kCp949},
    {"cseuckr", kCp949},
    {"ks_c_5601-1987", kCp949},
    {"ks_c_5601-1989", kCp949},
    {"ksc5601", kCp949},
    {"ksc_5601", kCp949},
    {"korean", kCp949},
    {"iso-ir-149", kCp949},
    {"csksc56011987", kCp949},
    {"cp949", kCp949},
    {"uhc", kCp949},
    {"ms949", kCp949},
    {"windows-949", kCp949},
    {"x-windows-949", kCp949},
    {"iso-8859-1", kWindows1252},
    {"iso8859-1", kWindows1252},
    {"iso_8859-1", kWindows1252},
    {"iso_8859-1:1987", kWindows1252},
    {"latin1", kWindows1252},
    {"l1", kWindows1252},
    {"cp819", kWindows1252},
    {"ibm819", kWindows1252},
    {"csisolatin1", kWindows1252},
    {"iso-ir-100", kWindows1252},
    {"windows-1252", kWindows1252},
    {"cp1252", kWindows1252},
    {"x-cp1252", kWindows1252},
};

// ---- ICU resources ----

struct ConverterCloser {
  void operator()(UConverter* c) const { ucnv_close(c); }
};
using ConverterPtr = std::unique_ptr<UConverter, ConverterCloser>;

struct DetectorCloser {
  void operator()(UCharsetDetector* d) const { ucsdet_close(d); }
};
using DetectorPtr = std::unique_ptr<UCharsetDetector, DetectorCloser>;

ConverterPtr open_converter(const char* name) {
  UErrorCode err = U_ZERO_ERROR;
  ConverterPtr cnv(ucnv_open(name, &err));
  if (U_FAILURE(err)) return nullptr;
  return cnv;
}

// Per-thread caches so the common charsets never pay ucnv_open twice. Both maps are bounded;
// hostile mail can name many charsets, so they are simply cleared when full.
struct ThreadState {
  std::unordered_map<std::string, CharsetRef> labels;  // normalised label -> charset (or null)
  std::unordered_map<std::string, ConverterPtr> converters;  // ICU name -> converter
  DetectorPtr detector;
  std::vector<UChar> scratch;
};

ThreadState& thread_state() {
  thread_local ThreadState state;
  return state;
}

// Returns a reset converter, valid until the next call (which may clear the cache).
UConverter* converter_for(const Charset& cs) {
  auto& cache = thread_state().converters;
  auto it = cache.find(cs.icu_name);
  if (it == cache.end()) {
    ConverterPtr cnv = open_converter(cs.icu_name.c_str());
    if (!cnv) return nullptr;
    if (cache.size() >= kMaxCachedConverters) cache.clear();
    it = cache.emplace(cs.icu_name, std::move(cnv)).first;
  }
  ucnv_resetToUnicode(it->second.get());
  return it->second.get();
}

const CharsetRef& family_charset(FamilyId id) {
  // Built once per process; immutable afterwards, so sharing across threads is safe.
  static const std::array<CharsetRef, kFamilies> charsets = [] {
    std::array<CharsetRef, kFamilies> out;
    for (std::size_t i = 0; i < kFamilies; ++i) {
      auto cs = std::make_shared<Charset>();
      cs->canonical = std::string(kFamilyTable[i].canonical);
      cs->icu_name = kFamilyTable[i].icu_name;
      cs->profile = kFamilyTable[i].profile;
      cs->is_utf8 = (i == kUtf8);
      out[i] = std::move(cs);
    }
    return out;
  }();
  return charsets[id];
}

// Counts bytes the converter cannot decode and substitutes U+FFFD for them (ICU's own
// substitute callback may write U+001A for some single-byte charsets).
struct ErrorCounter {
  std::size_t errors = 0;
  std::size_t stop_after = SIZE_MAX;  // stop converting once errors exceed this
};

extern "C" void count_and_substitute(const void* context, UConverterToUnicodeArgs* args,
                                     const char* /*code_units*/, int32_t /*length*/,
                                     UConverterCallbackReason reason, UErrorCode* err) {
  if (reason > UCNV_IRREGULAR) return;  // reset, close, clone: nothing to substitute
  auto* counter = static_cast<ErrorCounter*>(const_cast<void*>(context));
  if (counter != nullptr && ++counter->errors > counter->stop_after) return;  // keep *err: stop
  static constexpr UChar kReplacement = 0xFFFD;
  *err = U_ZERO_ERROR;
  ucnv_cbToUWriteUChars(args, &kReplacement, 1, 0, err);
}

void install_counter(UConverter* cnv, ErrorCounter* counter) {
  UErrorCode err = U_ZERO_ERROR;
  ucnv_setToUCallBack(cnv, count_and_substitute, counter, nullptr, nullptr, &err);
}

// ---- Labels ----

std::string normalise_label(std::string_view label) {
  auto is_trim = [](char c) {
    return c == ' ' || c == '\t' || c == '"' || c == '\'' || c == '\r' || c == '\n';
  };
  while (!label.empty() && is_trim(label.front())) label.remove_prefix(1);
  while (!label.empty() && is_trim(label.back())) label.remove_suffix(1);
  // RFC 2231 section 5 allows "charset*language" in encoded words.
  if (auto star = label.find('*'); star != std::string_view::npos) label = label.substr(0, star);
  if (label.size() > kMaxLabelBytes) return {};
  std::string out;
  out.reserve(label.size());
  for (char c : label) {
    // ICU option syntax (",", "=") and anything unusual never reaches ucnv_open.
    const bool ok =
        util::is_ascii_alnum(c) || c == '-' || c == '_' || c == '.' || c == ':' || c == '+';
    if (!ok) return {};
    out.push_back(util::ascii_lower(c));
  }
  return out;
}

bool probe_ascii_compatible(UConverter* cnv) {
  char probe[98];
  std::size_t n = 0;
  for (int c = 0x20; c < 0x7F; ++c) probe[n++] = static_cast<char>(c);
  probe[n++] = '\t';
  probe[n++] = '\n';
  probe[n++] = '\r';
  UChar out[128];
  UErrorCode err = U_ZERO_ERROR;
  ucnv_resetToUnicode(cnv);
  const int32_t len = ucnv_toUChars(cnv, out, 128, probe, static_cast<int32_t>(n), &err);
  ucnv_resetToUnicode(cnv);
  if (U_FAILURE(err) || len != static_cast<int32_t>(n)) return false;
  for (std::size_t i = 0; i < n; ++i) {
    if (out[i] != static_cast<unsigned char>(probe[i])) return false;
  }
  return true;
}

// A label ICU knows but our table does not (koi8-r, iso-8859-15, utf-16le…).
CharsetRef resolve_with_icu(const std::string& label) {
  ConverterPtr cnv = open_converter(label.c_str());
  if (!cnv) return nullptr;
  UErrorCode err = U_ZERO_ERROR;
  const char* icu_name = ucnv_getName(cnv.get(), &err);
  if (U_FAILURE(err) || icu_name == nullptr) return nullptr;
  // An alias of one of our families (e.g. "ibm-943") resolves to that family.
  for (std::size_t i = 0; i < kFamilies; ++i) {
    UErrorCode alias_err = U_ZERO_ERROR;
    const char* fam = ucnv_getAlias(kFamilyTable[i].icu_name, 0, &alias_err);
    if (U_SUCCESS(alias_err) && fam != nullptr && std::strcmp(fam, icu_name) == 0) {
      return family_charset(static_cast<FamilyId>(i));
    }
  }
  auto cs = std::make_shared<Charset>();
  cs->icu_name = icu_name;
  UErrorCode name_err = U_ZERO_ERROR;
  const char* std_name = ucnv_getStandardName(icu_name, "MIME", &name_err);
  if (std_name == nullptr) {
    name_err = U_ZERO_ERROR;
    std_name = ucnv_getStandardName(icu_name, "IANA", &name_err);
  }
  cs->canonical = normalise_label(std_name != nullptr ? std_name : icu_name);
  if (cs->canonical.empty()) cs->canonical = label;
  switch (ucnv_getType(cnv.get())) {
    case UCNV_SBCS:
    case UCNV_LATIN_1:
    case UCNV_US_ASCII:
      cs->profile = kAlphabetic;
      break;
    default:
      cs->profile = kUnicode;
      break;
  }
  cs->ascii_compatible = probe_ascii_compatible(cnv.get());
  auto& cache = thread_state().converters;
  if (cache.size() >= kMaxCachedConverters) cache.clear();
  cache.emplace(cs->icu_name, std::move(cnv));
  return cs;
}

// Null when the label is empty or unknown to us and to ICU.
CharsetRef resolve_label(std::string_view raw) {
  const std::string label = normalise_label(raw);
  if (label.empty()) return nullptr;
  // Built once per process, read-only afterwards.
  static const std::unordered_map<std::string_view, FamilyId> alias_map = [] {
    std::unordered_map<std::string_view, FamilyId> m;
    for (const auto& alias : kAliases) m.emplace(alias.label, alias.family);
    return m;
  }();
  if (auto it = alias_map.find(label); it != alias_map.end()) return family_charset(it->second);
  auto& cache = thread_state().labels;
  if (auto it = cache.find(label); it != cache.end()) return it->second;
  CharsetRef cs = resolve_with_icu(label);
  if (cache.size() >= kMaxCachedLabels) cache.clear();
  cache.emplace(label, cs);
  return cs;
}

// ---- Byte-level evidence ----

bool has_high_byte(std::string_view bytes) {
  const char* p = bytes.data();
  std::size_t n = bytes.size();
  while (n >= 8) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    if (w & 0x8080808080808080ULL) return true;
    p += 8;
    n -= 8;
  }
  for (; n > 0; --n, ++p) {
    if (static_cast<unsigned char>(*p) & 0x80) return true;
  }
  return false;
}

// Length of the valid UTF-8 sequence starting at s[i], or 0 when it is invalid or truncated.
std::size_t utf8_sequence_length(std::string_view s, std::size_t i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) return 1;
  auto cont = [&](std::size_t k) {
    return i + k < s.size() && (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
  };
  if (b0 >= 0xC2 && b0 <= 0xDF) return cont(1) ? 2 : 0;
  if (b0 >= 0xE0 && b0 <= 0xEF) {
    if (!cont(1) || !cont(2)) return 0;
    const auto b1 = static_cast<unsigned char>(s[i + 1]);
    if (b0 == 0xE0 && b1 < 0xA0) return 0;   // overlong
    if (b0 == 0xED && b1 >= 0xA0) return 0;  // surrogate
    return 3;
  }
  if (b0 >= 0xF0 && b0 <= 0xF4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    const auto b1 = static_cast<unsigned char>(s[i + 1]);
    if (b0 == 0xF0 && b1 < 0x90) return 0;   // overlong
    if (b0 == 0xF4 && b1 >= 0x90) return 0;  // beyond U+10FFFF
    return 4;
  }
  return 0;
}

// Escape sequences that designate a Japanese set in ISO-2022-JP (ESC $ B, ESC $ @, ESC ( J,
// ESC ( I, ESC $ ( D). ESC ( B alone only returns to ASCII and proves nothing.
bool is_iso2022jp_escape(std::string_view s, std::size_t i) {
  if (i + 2 >= s.size() || s[i] != '\x1b') return false;
  const char a = s[i + 1];
  const char b = s[i + 2];
  if (a == '$' && (b == 'B' || b == '@')) return true;
  if (a == '(' && (b == 'J' || b == 'I')) return true;
  return a == '$' && b == '(' && i + 3 < s.size() && s[i + 3] == 'D';
}

struct Evidence {
  bool has_high = false;
  std::size_t high_bytes = 0;
  bool has_iso2022jp_escape = false;
  std::size_t utf8_sequences = 0;  // valid multi-byte UTF-8 sequences
};

Evidence gather_evidence(std::string_view s) {
  Evidence ev;
  std::size_t i = 0;
  while (i < s.size()) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b < 0x80) {
      if (b == 0x1B && !ev.has_iso2022jp_escape)
        ev.has_iso2022jp_escape = is_iso2022jp_escape(s, i);
      ++i;
      continue;
    }
    ev.has_high = true;
    ++ev.high_bytes;
    const std::size_t len = utf8_sequence_length(s, i);
    if (len > 1) {
      ++ev.utf8_sequences;
      i += len;
    } else {
      ++i;
    }
  }
  return ev;
}

// ---- Decoding ----

// Writes cp as UTF-8 at p (room for 4 bytes) and returns the end.
char* write_utf8(char* p, char32_t cp) {
  if (cp < 0x80) {
    *p++ = static_cast<char>(cp);
  } else if (cp < 0x800) {
    *p++ = static_cast<char>(0xC0 | (cp >> 6));
    *p++ = static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    *p++ = static_cast<char>(0xE0 | (cp >> 12));
    *p++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *p++ = static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    *p++ = static_cast<char>(0xF0 | (cp >> 18));
    *p++ = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    *p++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *p++ = static_cast<char>(0x80 | (cp & 0x3F));
  }
  return p;
}

void append_utf8(std::string& out, char32_t cp) {
  char buf[4];
  out.append(buf, static_cast<std::size_t>(write_utf8(buf, cp) - buf));
}

// Appends UTF-16 units as UTF-8. `pending_high` carries a high surrogate split across chunks;
// unpaired surrogates become U+FFFD. Stops, returning false, when another character might not
// fit in `max_out` bytes, so the output never exceeds it.
bool append_units(std::string& out, const UChar* units, std::size_t n, UChar& pending_high,
                  std::size_t max_out) {
  // Each unit yields at most 3 bytes (a surrogate pair 4 for 2 units, a dropped lone high
  // surrogate 3 more): size the string once and write through a pointer.
  const std::size_t old = out.size();
  out.resize(old + n * 3 + 4);
  char* const base = out.data();
  char* p = base + old;
  auto fits = [&] { return static_cast<std::size_t>(p - base) + 4 <= max_out; };
  bool room = fits();
  for (std::size_t i = 0; i < n && room; ++i) {
    const UChar u = units[i];
    if (pending_high != 0) {
      const UChar high = pending_high;
      pending_high = 0;
      if (U16_IS_TRAIL(u)) {
        p = write_utf8(p, U16_GET_SUPPLEMENTARY(high, u));
        room = fits();
        continue;
      }
      p = write_utf8(p, 0xFFFD);
      room = fits();
      if (!room) break;
    }
    if (U16_IS_LEAD(u)) {
      pending_high = u;
      continue;
    }
    p = write_utf8(p, U16_IS_TRAIL(u) ? 0xFFFD : u);
    room = fits();
  }
  out.resize(static_cast<std::size_t>(p - base));
  return room;
}

std::size_t max_output_bytes(std::size_t input) {
  return input * kMaxOutputFactor + kOutputSlack;
}

// Decodes `in` to UTF-16 into `units` (bounded like the UTF-8 output), stopping after
// `stop_after` errors. Returns the error count.
std::size_t decode_units(UConverter* cnv, std::string_view in, bool flush,
                         std::vector<UChar>& units, std::size_t stop_after) {
  ErrorCounter counter;
  counter.stop_after = stop_after;
  install_counter(cnv, &counter);
  const std::size_t cap = max_output_bytes(in.size());
  units.resize(std::min(in.size() + 16, cap));
  const char* src = in.data();
  const char* src_end = in.data() + in.size();
  std::size_t used = 0;
  for (;;) {
    UChar* target = units.data() + used;
    UErrorCode err = U_ZERO_ERROR;
    ucnv_toUnicode(cnv, &target, units.data() + units.size(), &src, src_end, nullptr, flush, &err);
    used = static_cast<std::size_t>(target - units.data());
    if (err == U_BUFFER_OVERFLOW_ERROR && units.size() < cap) {
      units.resize(std::min(units.size() * 2, cap));
      continue;
    }
    if (U_FAILURE(err) && counter.errors <= stop_after) ++counter.errors;  // cap or ICU failure
    break;
  }
  units.resize(used);
  install_counter(cnv, nullptr);
  return counter.errors;
}

struct Conversion {
  std::string text;
  bool had_errors = false;
};

Conversion units_to_utf8(const std::vector<UChar>& units, std::size_t input_bytes) {
  Conversion out;
  out.text.reserve(units.size() + units.size() / 2);
  UChar pending = 0;
  const std::size_t cap = max_output_bytes(input_bytes);
  if (!append_units(out.text, units.data(), units.size(), pending, cap)) {
    out.had_errors = true;
  } else if (pending != 0) {
    append_utf8(out.text, 0xFFFD);
    out.had_errors = true;
  }
  return out;
}

// Streams the whole input through the converter in fixed-size chunks.
Conversion decode_all(const Charset& cs, std::string_view in) {
  Conversion out;
  UConverter* cnv = converter_for(cs);
  if (cnv == nullptr) {  // cannot happen for a resolved charset; degrade to replacement text
    out.text = "\xEF\xBF\xBD";
    out.had_errors = true;
    return out;
  }
  ErrorCounter counter;
  install_counter(cnv, &counter);
  const std::size_t cap = max_output_bytes(in.size());
  out.text.reserve(std::min(in.size() + in.size() / 2 + 16, cap));
  std::array<UChar, kChunkUnits> buf;
  const char* src = in.data();
  const char* src_end = in.data() + in.size();
  UChar pending = 0;
  bool capped = false;
  for (;;) {
    UChar* target = buf.data();
    UErrorCode err = U_ZERO_ERROR;
    ucnv_toUnicode(cnv, &target, buf.data() + buf.size(), &src, src_end, nullptr, true, &err);
    const auto n = static_cast<std::size_t>(target - buf.data());
    if (!append_units(out.text, buf.data(), n, pending, cap)) {
      capped = true;
      break;
    }
    if (err == U_BUFFER_OVERFLOW_ERROR) continue;
    if (U_FAILURE(err)) ++counter.errors;
    break;
  }
  if (pending != 0 && !capped) {
    append_utf8(out.text, 0xFFFD);
    ++counter.errors;
  }
  install_counter(cnv, nullptr);
  out.had_errors = capped || counter.errors > 0;
  return out;
}

// ---- Choosing ----

struct Candidate {
  CharsetRef charset;
  int prior = 0;
};

struct Scored {
  long long score = 0;
  std::size_t errors = 0;
};

Scored score_units(const Charset& cs, const std::vector<UChar>& units, std::size_t errors) {
  Scored s;
  s.errors = errors;
  long long total = -static_cast<long long>(errors) * kErrorPenalty;
  const std::size_t n = units.size();
  std::size_t i = 0;
  while (i < n) {
    char32_t cp = units[i++];
    if (U16_IS_LEAD(cp) && i < n && U16_IS_TRAIL(units[i])) {
      cp = U16_GET_SUPPLEMENTARY(cp, units[i]);
      ++i;
    }
    if (cp < 0x80 && cp >= 0x20) continue;  // the common case, weight 0
    total += kWeights[classify(cp)][cs.profile];
    if (cs.is_utf8 && cp >= 0x80 && cp != 0xFFFD) {
      const int continuation = cp < 0x800 ? 1 : cp < 0x10000 ? 2 : 3;
      total += static_cast<long long>(continuation) * kUtf8ContinuationBonus;
    }
  }
  s.score = total;
  return s;
}

void add_candidate(std::vector<Candidate>& list, const CharsetRef& cs, int prior) {
  if (!cs) return;
  for (auto& c : list) {
    if (c.charset->icu_name == cs->icu_name) {
      c.prior = std::max(c.prior, prior);
      return;
    }
  }
  list.push_back({cs, prior});
}

void add_detector_candidates(std::vector<Candidate>& list, std::string_view sample) {
  auto& state = thread_state();
  UErrorCode err = U_ZERO_ERROR;
  if (!state.detector) {
    state.detector.reset(ucsdet_open(&err));
    if (U_FAILURE(err)) {
      state.detector.reset();
      return;
    }
  }
  UCharsetDetector* det = state.detector.get();
  const std::string_view text = sample.substr(0, kDetectorSampleBytes);
  ucsdet_setText(det, text.data(), static_cast<int32_t>(text.size()), &err);
  int32_t count = 0;
  const UCharsetMatch** matches = ucsdet_detectAll(det, &count, &err);
  if (U_FAILURE(err) || matches == nullptr) return;
  // Copy the names first: resolving a label may open converters, not touch the detector, but
  // keep the detector's state out of the loop that calls into our caches anyway.
  struct Match {
    std::string name;
    int confidence;
  };
  std::vector<Match> found;
  for (int32_t i = 0; i < count && found.size() < static_cast<std::size_t>(kMaxDetectorCandidates);
       ++i) {
    UErrorCode e = U_ZERO_ERROR;
    const int conf = ucsdet_getConfidence(matches[i], &e);
    const char* name = ucsdet_getName(matches[i], &e);
    if (U_FAILURE(e) || name == nullptr || conf < kMinDetectorConfidence) continue;
    found.push_back({name, conf});
  }
  UErrorCode reset_err = U_ZERO_ERROR;
  ucsdet_setText(det, "", 0, &reset_err);  // do not keep a pointer to the caller's bytes
  for (const auto& m : found) {
    CharsetRef cs = resolve_label(m.name);
    if (!cs) continue;
    if (!cs->ascii_compatible && m.confidence < kMinConfidenceNonAscii) continue;
    add_candidate(list, cs, m.confidence / 4);
  }
}

struct Choice {
  CharsetRef charset;
  // When the sample was the whole input, the winner's decoded units, so it is not decoded twice.
  bool have_units = false;
  std::vector<UChar> units;
  std::size_t errors = 0;
};

// Picks the charset for `bytes`; `declared` may be null (no label or an unknown one).
Choice choose_charset(std::string_view bytes, const CharsetRef& declared) {
  Choice choice;
  // Start the sample where the evidence is. Bytes before the first non-ASCII byte or escape are
  // plain ASCII, so every ASCII-compatible decoder is in its initial state there.
  std::size_t start = 0;
  if (!declared || declared->ascii_compatible) {
    for (; start < bytes.size(); ++start) {
      const auto b = static_cast<unsigned char>(bytes[start]);
      if (b >= 0x80 || b == 0x1B) break;
    }
    // Keep a little ASCII context (it does not change scores); take everything when it fits.
    start = start > 64 ? start - 64 : 0;
    if (bytes.size() <= kSampleBytes || start == bytes.size()) start = 0;
  }
  const std::string_view sample = bytes.substr(start, kSampleBytes);
  const bool whole = start == 0 && sample.size() == bytes.size();
  const Evidence ev = gather_evidence(sample);

  if (!ev.has_high && !ev.has_iso2022jp_escape && (!declared || declared->ascii_compatible)) {
    choice.charset = declared ? declared : family_charset(kUsAscii);
    return choice;
  }

  std::vector<Candidate> candidates;
  if (declared) add_candidate(candidates, declared, kDeclaredPrior);
  if (ev.has_iso2022jp_escape && !ev.has_high) {
    add_candidate(candidates, family_charset(kIso2022Jp), 0);
  }
  if (ev.utf8_sequences > 0) add_candidate(candidates, family_charset(kUtf8), 0);
  if (declared && ev.has_high) {
    switch (declared->profile) {
      case kJapanese:
        add_candidate(candidates, family_charset(kCp932), 0);
        add_candidate(candidates, family_charset(kEucJp), 0);
        break;
      case kChinese:
      case kKorean:
        add_candidate(candidates, family_charset(kEucJp), 0);
        break;
      default:
        break;
    }
  }

  auto& scratch = thread_state().scratch;
  std::vector<Scored> scores;         // parallel to candidates; score excludes the prior
  std::vector<bool> usable;           // false when ICU could not open the converter
  std::size_t kept_index = SIZE_MAX;  // candidate whose decoded units `choice` holds
  // Priors can rise after scoring (the detector proposing a charset already scored), so the
  // winner is always recomputed from the stored scores.
  auto best_index = [&]() {
    std::size_t best = SIZE_MAX;
    for (std::size_t i = 0; i < scores.size(); ++i) {
      if (!usable[i]) continue;
      if (best == SIZE_MAX ||
          scores[i].score + candidates[i].prior > scores[best].score + candidates[best].prior) {
        best = i;
      }
    }
    return best;
  };
  auto score_from = [&](std::size_t from) {
    for (std::size_t i = from; i < candidates.size(); ++i) {
      const Charset& cs = *candidates[i].charset;
      UConverter* cnv = converter_for(cs);
      scores.emplace_back();
      usable.push_back(cnv != nullptr);
      if (cnv == nullptr) continue;
      const std::size_t errors = decode_units(cnv, sample, whole, scratch, kMaxScoringErrors);
      scores[i] =
          errors > kMaxScoringErrors ? Scored{kHopeless, errors} : score_units(cs, scratch, errors);
      if (whole && errors <= kMaxScoringErrors && best_index() == i) {
        choice.units.assign(scratch.begin(), scratch.end());
        choice.errors = errors;
        kept_index = i;
      }
    }
  };
  score_from(0);
  const bool declared_failed = !declared || !usable[0] || scores[0].errors > 0;
  if (declared_failed) {
    std::size_t before = candidates.size();
    if (ev.has_high) {
      add_candidate(candidates, family_charset(kCp932), 0);
      add_candidate(candidates, family_charset(kEucJp), 0);
      add_candidate(candidates, family_charset(kWindows1252), 0);
    }
    score_from(before);
    // ICU's detector is slow; ask it only when no multi-byte candidate decoded the sample
    // cleanly into clearly plausible text (two points per 8-bit byte: kana-rich Japanese scores
    // three, a stray half-width katakana one). Single-byte winners always ask: windows-1252
    // decodes anything, KOI8-R text included.
    const std::size_t b = best_index();
    const bool confident = b != SIZE_MAX && scores[b].errors == 0 &&
                           candidates[b].charset->profile != kAlphabetic &&
                           scores[b].score >= 2 * static_cast<long long>(ev.high_bytes);
    if (!confident) {
      before = candidates.size();
      add_detector_candidates(candidates, sample);
      score_from(before);
    }
  }
  const std::size_t winner = best_index();
  if (winner == SIZE_MAX) {
    choice.charset = declared ? declared : family_charset(kWindows1252);
    return choice;
  }
  choice.charset = candidates[winner].charset;
  choice.have_units = kept_index == winner;
  if (!choice.have_units) choice.units.clear();
  return choice;
}

Conversion convert(const Choice& choice, std::string_view bytes) {
  if (choice.have_units) {
    Conversion out = units_to_utf8(choice.units, bytes.size());
    out.had_errors = out.had_errors || choice.errors > 0;
    return out;
  }
  return decode_all(*choice.charset, bytes);
}

bool is_ascii_without_escape(std::string_view bytes) {
  return !has_high_byte(bytes) && std::memchr(bytes.data(), 0x1B, bytes.size()) == nullptr;
}

std::string_view strip_utf8_bom(std::string_view bytes) {
  if (bytes.size() >= 3 && bytes.substr(0, 3) == "\xEF\xBB\xBF") bytes.remove_prefix(3);
  return bytes;
}

}  // namespace

bool is_valid_utf8(std::string_view bytes) {
  const char* p = bytes.data();
  std::size_t i = 0;
  const std::size_t n = bytes.size();
  while (i < n) {
    // Skip ASCII eight bytes at a time: most mail text is ASCII.
    while (i + 8 <= n) {
      std::uint64_t w;
      std::memcpy(&w, p + i, 8);
      if (w & 0x8080808080808080ULL) break;
      i += 8;
    }
    if (i >= n) break;
    if (static_cast<unsigned char>(p[i]) < 0x80) {
      ++i;
      continue;
    }
    const std::size_t len = utf8_sequence_length(bytes, i);
    if (len == 0) return false;
    i += len;
  }
  return true;
}

std::string detect_charset(std::string_view bytes) {
  if (is_ascii_without_escape(bytes)) return "us-ascii";
  if (std::memchr(bytes.data(), 0x1B, bytes.size()) == nullptr && is_valid_utf8(bytes)) {
    return "utf-8";
  }
  return choose_charset(bytes, nullptr).charset->canonical;
}

CharsetResult to_utf8(std::string_view bytes, std::string_view charset) {
  // "utf-16" without a byte-order mark means big-endian by RFC 2781, but Windows senders write
  // little-endian: the side where the zero bytes of ASCII text fall tells which it is.
  if (bytes.size() >= 2 &&
      (util::iequals_ascii(charset, "utf-16") || util::iequals_ascii(charset, "utf16") ||
       util::iequals_ascii(charset, "ucs-2"))) {
    const auto b0 = static_cast<unsigned char>(bytes[0]), b1 = static_cast<unsigned char>(bytes[1]);
    const bool bom = (b0 == 0xFF && b1 == 0xFE) || (b0 == 0xFE && b1 == 0xFF);
    if (!bom) {
      std::size_t zero_even = 0, zero_odd = 0;
      for (std::size_t i = 0; i < bytes.size() && i < 4096; ++i)
        if (bytes[i] == 0) (i % 2 ? zero_odd : zero_even)++;
      if (zero_odd > zero_even) return to_utf8(bytes, "utf-16le");
    }
  }
  CharsetResult result;
  const CharsetRef declared = resolve_label(charset);
  const bool ascii_ok = !declared || declared->ascii_compatible;

  if (bytes.empty()) {
    result.used_charset = declared ? declared->canonical : "us-ascii";
    return result;
  }
  const bool plain_ascii = ascii_ok && is_ascii_without_escape(bytes);
  if (plain_ascii) {
    result.text.assign(bytes);
    result.used_charset = declared ? declared->canonical : "us-ascii";
    return result;
  }
  if ((!declared || declared->is_utf8) &&
      std::memchr(bytes.data(), 0x1B, bytes.size()) == nullptr && is_valid_utf8(bytes)) {
    result.text.assign(strip_utf8_bom(bytes));
    result.used_charset = "utf-8";
    return result;
  }

  const Choice choice = choose_charset(bytes, declared);
  const Charset& used = *choice.charset;
  Conversion conv;
  if (used.is_utf8 && !choice.have_units && is_valid_utf8(bytes)) {
    conv.text.assign(strip_utf8_bom(bytes));  // valid UTF-8 needs no ICU round trip
  } else {
    conv = convert(choice, bytes);
    if (used.is_utf8 && conv.text.size() >= 3 && conv.text.compare(0, 3, "\xEF\xBB\xBF") == 0) {
      conv.text.erase(0, 3);
    }
  }
  result.text = std::move(conv.text);
  result.had_errors = conv.had_errors;
  result.used_charset = used.canonical;
  result.mislabeled = declared && used.icu_name != declared->icu_name;
  return result;
}

}  // namespace renkei::mime
