// Phrase lexicons for content signals (internal to the analysis module).
//
// One mechanism for every language: text is normalised (NFKC + case fold, so full-width Latin and
// half-width katakana compare equal to their usual forms), then all phrases of all concepts are
// found in one pass with an Aho–Corasick automaton. Content rules are then expressed over
// concepts ("an account word near a change word"), never as per-sample regexes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace renkei::analysis::lexicon {

enum class Concept : std::uint8_t {
  kBankAccount,          // bank account / 口座 / cuenta / compte
  kChange,               // change / new / alternative / 変更 / 別の
  kPayment,              // payment / transfer / 支払 / 振込 / 送金
  kHold,                 // hold / delay / postpone / 保留 / 延期
  kPaymentChangePhrase,  // strong single phrases ("振込先の変更", "alternative account")
  kPaymentHoldPhrase,    // "hold the payment", "支払いを保留"
  kSecrecy,              // confidential / discretion / 内密 / 極秘
  kUrgency,              // urgent / time pressing / 至急 / 本日中
  kEmailOnly,            // reply by e-mail only / メールでのみ
  kAcquisition,          // acquisition / M&A / 買収 / 合併
  kCounsel,              // lawyer / law firm / 弁護士
  kCrisis,               // covid / lockdown / コロナ
  kMobileSignoff,        // sent from my iphone / iPhoneから送信
  kDataList,             // list / details / 一覧 / リスト
  kDataItems,            // debtors / open cases / contacts / 債務者
  kCredential,           // verify your account / log in / パスワード / ログイン
  kAccountWord,          // account / konto / conta / アカウント (only a lure next to a threat)
  kAccountThreat,        // suspended / locked / unusual activity / 停止 / 利用制限
  kOfficialBody,         // 機構 / 協会 / 事務局 / agency
  kSubsidy,              // 助成 / 給付金 / 特別枠 / relief fund
  kNotice,               // 特別通知 / 電子告知 / 契約の更新 / 未納
  kPrize,                // you have won / reward / gift card / Gewinn / prêmio
  kCrypto,               // bitcoin / wallet / airdrop / seed phrase
  kAdvanceFee,           // inheritance / beneficiary / compensation fund / next of kin
  kSextortion,           // i recorded you / webcam / adult site
  kDelivery,             // parcel could not be delivered / 不在 / colis / pacco
  kInvoiceLure,          // invoice pending / fatura / boleto / Rechnung (money owed, bill to open)
  kHealthSpam,           // weight loss / diet / pills / casino / free spins
  kMarketing,            // free / discount / offer / chat: lure words only next to a real lure
  kDating,               // lonely / meet me / girlfriend / 出会い
  kIllicitGoods,         // cpanels / shells / smtps / rdps / fullz / cvv / leaked databases
  kLegalThreat,  // fake summons: convocation / intimação / Anklage / Europol / child pornography
  kLoan,         // loan offers: loan at 2% / empréstimo / préstamo / prêt / lening
  kCharge,       // you have been charged / renewed / subscription / order confirmation
  kCallWord,  // call us / toll free / helpline / ligue / llame / appelez (next to a phone number)
  kDispute,  // if you did not authorize / to cancel / refund / 身に覚えのない (the callback hook)
  kPassword,    // password / senha / contraseña / mot de passe / Passwort / パスワード
  kNoChange,    // "変更はございません", "no change": negates a change word next to it
  kDisclaimer,  // "intended recipient", "this e-mail is confidential" (lines to ignore)
  kCount
};

struct Hit {
  Concept kind;
  std::uint32_t pos;     // byte offset in the normalised text
  std::uint16_t length;  // bytes
  std::uint16_t phrase;  // index of the phrase (for evidence)
};

// NFKC case-folded UTF-8 (fast path for ASCII), with Cyrillic/Greek look-alike letters inside
// Latin words folded to Latin (`*folded` gets how many). Input is truncated to max_bytes first.
std::string normalize(std::string_view utf8, std::size_t max_bytes, int* folded = nullptr);

// Invisible (default-ignorable) characters between two Latin letters ("P\u200er\u034fime"): a
// disguise against phrase matching. NFKC case folding (normalize) drops them silently, so
// they are counted on the text as written. A soft hyphen does not count.
int invisible_between_letters(std::string_view utf8);

// All phrase hits in normalised text, in order of position. ASCII phrases match on word
// boundaries; phrases containing non-ASCII characters (CJK) match anywhere.
std::vector<Hit> scan(std::string_view normalized);

// The phrase text of a hit (for evidence).
std::string_view phrase_text(const Hit& h);

// Query helpers over a hit list.
struct Hits {
  std::vector<Hit> hits;
  std::string_view text;

  bool any(Concept c) const;
  int distinct(Concept c) const;  // number of distinct phrases of the concept
  // True when a phrase of `a` and one of `b` occur within `window` bytes of each other.
  // On success `evidence` gets the text around them.
  bool near(Concept a, Concept b, std::size_t window, std::string* evidence) const;
  // Like near(), but a pair does not count when a phrase of `negation` overlaps or closely
  // follows (within 24 bytes) the `b` phrase ("口座から変更はございません").
  bool near_unless(Concept a, Concept b, Concept negation, std::size_t window,
                   std::string* evidence) const;
  // Text around the first hit of the concept.
  std::string evidence(Concept c) const;
};

}  // namespace renkei::analysis::lexicon
