#include "analysis/lexicon.hpp"

#include <algorithm>
#include <memory>
#include <unordered_map>

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include "analysis/aho_corasick.hpp"
#include "util/text.hpp"

namespace renkei::analysis::lexicon {
namespace {

struct Phrase {
  Concept kind;
  std::string_view text;  // already in normalised form (lowercase, NFKC)
};

// The phrases, in English, Japanese, Spanish, French, Portuguese, German, Italian and Dutch where
// phishing in the wild uses them. Written as techniques, not as copies of one sample.
constexpr Phrase kPhrases[] = {
    // bank account
    {Concept::kBankAccount, "bank account"},
    {Concept::kBankAccount, "banking details"},
    {Concept::kBankAccount, "bank details"},
    {Concept::kBankAccount, "account details"},
    {Concept::kBankAccount, "remittance details"},
    {Concept::kBankAccount, "beneficiary account"},
    {Concept::kBankAccount, "account information"},
    {Concept::kBankAccount, "wire instructions"},
    {Concept::kBankAccount, "payment instructions"},
    {Concept::kBankAccount, "iban"},
    {Concept::kBankAccount, "swift code"},
    {Concept::kBankAccount, "account number"},
    {Concept::kBankAccount, "receiving account"},
    {Concept::kBankAccount, "our bank"},
    {Concept::kBankAccount, "振込先"},
    {Concept::kBankAccount, "口座"},
    {Concept::kBankAccount, "送金先"},
    {Concept::kBankAccount, "入金先"},
    {Concept::kBankAccount, "cuenta bancaria"},
    {Concept::kBankAccount, "datos bancarios"},
    {Concept::kBankAccount, "compte bancaire"},
    {Concept::kBankAccount, "coordonnées bancaires"},
    {Concept::kBankAccount, "rib"},
    {Concept::kBankAccount, "bankverbindung"},
    {Concept::kBankAccount, "conta bancária"},
    {Concept::kBankAccount, "our account"},
    {Concept::kBankAccount, "account no"},
    {Concept::kBankAccount, "swift"},
    {Concept::kBankAccount, "beneficiary"},
    {Concept::kBankAccount, "bank account details"},
    {Concept::kBankAccount, "account with"},
    // change
    {Concept::kChange, "change"},
    {Concept::kChange, "changed"},
    {Concept::kChange, "update"},
    {Concept::kChange, "updated"},
    {Concept::kChange, "new account"},
    {Concept::kChange, "alternative"},
    {Concept::kChange, "alternate"},
    {Concept::kChange, "another account"},
    {Concept::kChange, "different account"},
    {Concept::kChange, "subsidiary account"},
    {Concept::kChange, "technical problem"},
    {Concept::kChange, "technical issue"},
    {Concept::kChange, "under audit"},
    {Concept::kChange, "変更"},
    {Concept::kChange, "新しい口座"},
    {Concept::kChange, "別の口座"},
    {Concept::kChange, "代替口座"},
    {Concept::kChange, "cambio"},
    {Concept::kChange, "nueva cuenta"},
    {Concept::kChange, "nouveau compte"},
    {Concept::kChange, "changement"},
    {Concept::kChange, "modification"},
    {Concept::kChange, "neue bankverbindung"},
    {Concept::kChange, "blocked"},
    {Concept::kChange, "another bank"},
    {Concept::kNoChange, "変更はございません"},
    {Concept::kNoChange, "変更はありません"},
    {Concept::kNoChange, "変更なし"},
    {Concept::kNoChange, "変更はない"},
    {Concept::kNoChange, "従来どおり"},
    {Concept::kNoChange, "従来通り"},
    {Concept::kNoChange, "no change"},
    {Concept::kNoChange, "not changed"},
    {Concept::kNoChange, "unchanged"},
    {Concept::kNoChange, "remain the same"},
    {Concept::kNoChange, "remains the same"},
    {Concept::kNoChange, "has not changed"},
    // payment
    {Concept::kPayment, "payment"},
    {Concept::kPayment, "payments"},
    {Concept::kPayment, "transfer"},
    {Concept::kPayment, "remittance"},
    {Concept::kPayment, "wire"},
    {Concept::kPayment, "invoice"},
    {Concept::kPayment, "支払"},
    {Concept::kPayment, "振込"},
    {Concept::kPayment, "送金"},
    {Concept::kPayment, "入金"},
    {Concept::kPayment, "pago"},
    {Concept::kPayment, "paiement"},
    {Concept::kPayment, "virement"},
    {Concept::kPayment, "zahlung"},
    // hold
    {Concept::kHold, "hold"},
    {Concept::kHold, "on hold"},
    {Concept::kHold, "delay"},
    {Concept::kHold, "postpone"},
    {Concept::kHold, "suspend"},
    {Concept::kHold, "put on hold"},
    {Concept::kHold, "stop the"},
    {Concept::kHold, "do not process"},
    {Concept::kHold, "保留"},
    {Concept::kHold, "延期"},
    {Concept::kHold, "待って"},
    {Concept::kHold, "止めて"},
    {Concept::kHold, "retener"},
    {Concept::kHold, "suspendre"},
    // strong single phrases
    {Concept::kPaymentChangePhrase, "振込先の変更"},
    {Concept::kPaymentChangePhrase, "振込先を変更"},
    {Concept::kPaymentChangePhrase, "口座を変更"},
    {Concept::kPaymentChangePhrase, "口座の変更"},
    {Concept::kPaymentChangePhrase, "alternative account"},
    {Concept::kPaymentChangePhrase, "alternate account"},
    {Concept::kPaymentChangePhrase, "new bank account"},
    {Concept::kPaymentChangePhrase, "new banking details"},
    {Concept::kPaymentChangePhrase, "updated banking details"},
    {Concept::kPaymentChangePhrase, "change of bank details"},
    {Concept::kPaymentChangePhrase, "subsidiary's account"},
    {Concept::kPaymentHoldPhrase, "hold the payment"},
    {Concept::kPaymentHoldPhrase, "hold payment"},
    {Concept::kPaymentHoldPhrase, "hold off the payment"},
    {Concept::kPaymentHoldPhrase, "hold off payment"},
    {Concept::kPaymentHoldPhrase, "delay the payment"},
    {Concept::kPaymentHoldPhrase, "支払いを保留"},
    {Concept::kPaymentHoldPhrase, "支払を保留"},
    {Concept::kPaymentHoldPhrase, "支払いの保留"},
    // secrecy / urgency / e-mail only
    {Concept::kSecrecy, "confidential"},
    {Concept::kSecrecy, "confidentiality"},
    {Concept::kSecrecy, "discretion"},
    {Concept::kSecrecy, "discreet"},
    {Concept::kSecrecy, "sensitive matter"},
    {Concept::kSecrecy, "strictly private"},
    {Concept::kSecrecy, "do not discuss"},
    {Concept::kSecrecy, "don't discuss"},
    {Concept::kSecrecy, "keep this between us"},
    {Concept::kSecrecy, "内密"},
    {Concept::kSecrecy, "極秘"},
    {Concept::kSecrecy, "他言"},
    {Concept::kSecrecy, "秘密厳守"},
    {Concept::kSecrecy, "confidencial"},
    {Concept::kSecrecy, "discreción"},
    {Concept::kSecrecy, "confidentialité"},
    {Concept::kSecrecy, "discrétion"},
    {Concept::kSecrecy, "機密事項"},
    {Concept::kSecrecy, "伝えないで"},
    {Concept::kSecrecy, "口外"},
    {Concept::kSecrecy, "他言無用"},
    {Concept::kSecrecy, "内密に"},
    {Concept::kSecrecy, "confidentiel"},
    {Concept::kSecrecy, "strictement confidentiel"},
    {Concept::kSecrecy, "en toute confidentialité"},
    {Concept::kSecrecy, "estrictamente confidencial"},
    {Concept::kSecrecy, "máxima discreción"},
    {Concept::kUrgency, "速やかに"},
    {Concept::kUrgency, "直ちに"},
    {Concept::kUrgency, "ただちに"},
    {Concept::kUrgency, "お早めに"},
    {Concept::kUrgency, "以内に"},
    {Concept::kUrgency, "期限内"},
    {Concept::kUrgency, "72時間"},
    {Concept::kUrgency, "48時間"},
    {Concept::kUrgency, "本日中に"},
    {Concept::kUrgency, "至急ご"},
    {Concept::kUrgency, "期限までに"},
    {Concept::kUrgency, "lo antes posible"},
    {Concept::kUrgency, "dès que possible"},
    {Concept::kUrgency, "au plus vite"},
    {Concept::kEmailOnly, "直接ご返信"},
    {Concept::kEmailOnly, "メールでのみ"},
    {Concept::kEmailOnly, "電話ではなく"},
    {Concept::kEmailOnly, "only reply by email"},
    {Concept::kUrgency, "urgent"},
    {Concept::kUrgency, "urgently"},
    {Concept::kUrgency, "asap"},
    {Concept::kUrgency, "soonest"},
    {Concept::kUrgency, "time pressing"},
    {Concept::kUrgency, "time-pressing"},
    {Concept::kUrgency, "time sensitive"},
    {Concept::kUrgency, "time-sensitive"},
    {Concept::kUrgency, "immediately"},
    {Concept::kUrgency, "right away"},
    {Concept::kUrgency, "within 24 hours"},
    {Concept::kUrgency, "至急"},
    {Concept::kUrgency, "早急"},
    {Concept::kUrgency, "本日中"},
    {Concept::kUrgency, "24時間以内"},
    {Concept::kUrgency, "急ぎ"},
    {Concept::kUrgency, "urgente"},
    {Concept::kUrgency, "de toute urgence"},
    {Concept::kEmailOnly, "by email"},
    {Concept::kEmailOnly, "by e-mail"},
    {Concept::kEmailOnly, "via email"},
    {Concept::kEmailOnly, "email only"},
    {Concept::kEmailOnly, "not available on phone"},
    {Concept::kEmailOnly, "can't take calls"},
    {Concept::kEmailOnly, "cannot take calls"},
    {Concept::kEmailOnly, "in a meeting"},
    {Concept::kEmailOnly, "メールで"},
    {Concept::kEmailOnly, "出張中"},
    {Concept::kEmailOnly, "por correo"},
    {Concept::kEmailOnly, "par e-mail"},
    {Concept::kEmailOnly, "par email"},
    // acquisition
    {Concept::kAcquisition, "acquisition"},
    {Concept::kAcquisition, "acquiring"},
    {Concept::kAcquisition, "acquire"},
    {Concept::kAcquisition, "merger"},
    {Concept::kAcquisition, "m&a"},
    {Concept::kAcquisition, "takeover"},
    {Concept::kAcquisition, "buyout"},
    {Concept::kAcquisition, "due diligence"},
    {Concept::kAcquisition, "corporate transaction"},
    {Concept::kAcquisition, "corporate action"},
    {Concept::kAcquisition, "corporate development"},
    {Concept::kAcquisition, "target company"},
    {Concept::kAcquisition, "codenamed"},
    {Concept::kAcquisition, "code name"},
    {Concept::kAcquisition, "code-named"},
    {Concept::kAcquisition, "買収"},
    {Concept::kAcquisition, "合併"},
    {Concept::kAcquisition, "adquisición"},
    {Concept::kAcquisition, "fusión"},
    {Concept::kAcquisition, "rachat"},
    {Concept::kAcquisition, "accords finaux"},
    // counsel
    {Concept::kCounsel, "legal counsel"},
    {Concept::kCounsel, "external counsel"},
    {Concept::kCounsel, "law firm"},
    {Concept::kCounsel, "lawyer"},
    {Concept::kCounsel, "lawyers"},
    {Concept::kCounsel, "attorney"},
    {Concept::kCounsel, "solicitor"},
    {Concept::kCounsel, "legal team"},
    {Concept::kCounsel, "legal advisor"},
    {Concept::kCounsel, "弁護士"},
    {Concept::kCounsel, "法律事務所"},
    {Concept::kCounsel, "abogado"},
    {Concept::kCounsel, "bufete"},
    {Concept::kCounsel, "avocat"},
    {Concept::kCounsel, "avocats"},
    {Concept::kCounsel, "cabinet d'avocats"},
    {Concept::kCounsel, "abogados"},
    {Concept::kCounsel, "asesor legal"},
    {Concept::kCounsel, "asesores legales"},
    {Concept::kCounsel, "despacho de abogados"},
    {Concept::kCounsel, "conseil juridique"},
    {Concept::kCounsel, "conseiller juridique"},
    {Concept::kCounsel, "legal department"},
    {Concept::kCounsel, "法務"},
    {Concept::kCounsel, "顧問弁護士"},
    {Concept::kCounsel, "our firm"},
    {Concept::kCounsel, "instructed us"},
    {Concept::kCounsel, "legal formalities"},
    // crisis
    {Concept::kCrisis, "covid"},
    {Concept::kCrisis, "covid-19"},
    {Concept::kCrisis, "coronavirus"},
    {Concept::kCrisis, "pandemic"},
    {Concept::kCrisis, "lockdown"},
    {Concept::kCrisis, "ease restrictions"},
    {Concept::kCrisis, "easing of restrictions"},
    {Concept::kCrisis, "lockdown restrictions"},
    {Concept::kCrisis, "vaccine"},
    {Concept::kCrisis, "vaccines"},
    {Concept::kCrisis, "quarantine"},
    {Concept::kCrisis, "global crisis"},
    {Concept::kCrisis, "新型コロナ"},
    {Concept::kCrisis, "コロナ"},
    {Concept::kCrisis, "感染症"},
    {Concept::kCrisis, "ワクチン"},
    {Concept::kCrisis, "緊急事態"},
    {Concept::kCrisis, "社会情勢悪化"},
    {Concept::kCrisis, "pandemia"},
    {Concept::kCrisis, "confinement"},
    {Concept::kCrisis, "crisis sanitaria"},
    {Concept::kCrisis, "restricciones"},
    {Concept::kCrisis, "vacunas"},
    {Concept::kCrisis, "vacuna"},
    {Concept::kCrisis, "crise sanitaire"},
    {Concept::kCrisis, "vaccin"},
    {Concept::kCrisis, "reintroduction of restrictions"},
    {Concept::kCrisis, "restrictions"},
    // mobile sign-off
    {Concept::kMobileSignoff, "sent from my iphone"},
    {Concept::kMobileSignoff, "sent from my ipad"},
    {Concept::kMobileSignoff, "sent from my android"},
    {Concept::kMobileSignoff, "sent from my mobile"},
    {Concept::kMobileSignoff, "sent from my samsung"},
    {Concept::kMobileSignoff, "sent from my smartphone"},
    {Concept::kMobileSignoff, "iphoneから送信"},
    {Concept::kMobileSignoff, "ipadから送信"},
    {Concept::kMobileSignoff, "enviado desde mi iphone"},
    {Concept::kMobileSignoff, "envoyé de mon iphone"},
    {Concept::kMobileSignoff, "von meinem iphone gesendet"},
    {Concept::kMobileSignoff, "enviado do meu iphone"},
    // data request
    {Concept::kDataList, "list of"},
    {Concept::kDataList, "detailed list"},
    {Concept::kDataList, "full list"},
    {Concept::kDataList, "updated list"},
    {Concept::kDataList, "aging report"},
    {Concept::kDataList, "ageing report"},
    {Concept::kDataList, "details of"},
    {Concept::kDataList, "リスト"},
    {Concept::kDataList, "一覧"},
    {Concept::kDataList, "詳細"},
    {Concept::kDataItems, "debtors"},
    {Concept::kDataItems, "open cases"},
    {Concept::kDataItems, "unresolved cases"},
    {Concept::kDataItems, "outstanding invoices"},
    {Concept::kDataItems, "receivables"},
    {Concept::kDataItems, "w-2"},
    {Concept::kDataItems, "payroll"},
    {Concept::kDataItems, "employee records"},
    {Concept::kDataItems, "債務者"},
    {Concept::kDataItems, "未解決"},
    {Concept::kDataItems, "売掛金"},
    {Concept::kDataItems, "未払"},
    // credential lure
    {Concept::kCredential, "verify your account"},
    {Concept::kCredential, "confirm your account"},
    {Concept::kCredential, "verify your identity"},
    {Concept::kCredential, "confirm your identity"},
    {Concept::kCredential, "validate your account"},
    {Concept::kCredential, "update your account"},
    {Concept::kCredential, "update your information"},
    {Concept::kCredential, "update your payment"},
    {Concept::kCredential, "log in"},
    {Concept::kCredential, "login"},
    {Concept::kCredential, "sign in"},
    {Concept::kCredential, "sign-in"},
    {Concept::kCredential, "signin"},
    {Concept::kCredential, "password"},
    {Concept::kAccountWord, "mailbox"},
    {Concept::kCredential, "re-activate"},
    {Concept::kCredential, "reactivate"},
    {Concept::kCredential, "join meeting"},
    {Concept::kCredential, "join zoom meeting"},
    {Concept::kCredential, "view document"},
    {Concept::kCredential, "shared a file"},
    {Concept::kCredential, "office 365"},
    {Concept::kCredential, "microsoft 365"},
    {Concept::kCredential, "ログイン"},
    {Concept::kCredential, "パスワード"},
    {Concept::kCredential, "本人確認"},
    {Concept::kCredential, "アカウント確認"},
    {Concept::kCredential, "アカウント情報"},
    {Concept::kCredential, "ご登録情報"},
    {Concept::kCredential, "お支払い方法"},
    {Concept::kCredential, "ご利用確認"},
    {Concept::kCredential, "認証"},
    {Concept::kCredential, "暗証番号"},
    {Concept::kCredential, "verifique su cuenta"},
    {Concept::kCredential, "iniciar sesión"},
    {Concept::kCredential, "vérifier votre compte"},
    {Concept::kCredential, "connectez-vous"},
    {Concept::kCredential, "mot de passe"},
    {Concept::kCredential, "konto bestätigen"},
    {Concept::kCredential, "anmelden"},
    {Concept::kCredential, "passwort"},
    {Concept::kCredential, "senha"},
    {Concept::kCredential, "acesse"},
    {Concept::kCredential, "atualize"},
    {Concept::kCredential, "desbloqueie"},
    {Concept::kAccountWord, "sua conta"},
    {Concept::kAccountWord, "seu cadastro"},
    {Concept::kAccountThreat, "suspended"},
    {Concept::kAccountThreat, "suspension"},
    {Concept::kAccountThreat, "locked"},
    {Concept::kAccountThreat, "unusual activity"},
    {Concept::kAccountThreat, "unusual sign-in"},
    {Concept::kAccountThreat, "unusual signin"},
    {Concept::kAccountThreat, "suspicious activity"},
    {Concept::kAccountThreat, "deactivated"},
    {Concept::kAccountThreat, "will be closed"},
    {Concept::kAccountThreat, "expire"},
    {Concept::kAccountThreat, "expired"},
    {Concept::kAccountThreat, "expiring"},
    {Concept::kAccountThreat, "storage is full"},
    {Concept::kAccountThreat, "limited"},
    {Concept::kAccountThreat, "停止"},
    {Concept::kAccountThreat, "利用制限"},
    {Concept::kAccountThreat, "制限"},
    {Concept::kAccountThreat, "退会"},
    {Concept::kAccountThreat, "不正なアクセス"},
    {Concept::kAccountThreat, "不正なログイン"},
    {Concept::kAccountThreat, "凍結"},
    {Concept::kAccountThreat, "強制解約"},
    {Concept::kAccountThreat, "無効"},
    {Concept::kAccountThreat, "不正利用"},
    {Concept::kAccountThreat, "不正アクセス"},
    {Concept::kAccountThreat, "ロック"},
    {Concept::kAccountThreat, "有効期限"},
    {Concept::kAccountThreat, "差押"},
    {Concept::kAccountThreat, "未納"},
    {Concept::kAccountThreat, "bloqueada"},
    {Concept::kAccountThreat, "bloqueado"},
    {Concept::kAccountThreat, "suspensa"},
    {Concept::kAccountThreat, "gesperrt"},
    {Concept::kAccountThreat, "suspendu"},
    {Concept::kAccountThreat, "expirando"},
    {Concept::kAccountThreat, "transação suspeita"},
    // fictitious official bodies and subsidies
    {Concept::kOfficialBody, "機構"},
    {Concept::kOfficialBody, "協会"},
    {Concept::kOfficialBody, "事務局"},
    {Concept::kOfficialBody, "財団"},
    {Concept::kOfficialBody, "推進室"},
    {Concept::kOfficialBody, "制度"},
    {Concept::kOfficialBody, "令和"},
    {Concept::kOfficialBody, "総務省"},
    {Concept::kOfficialBody, "国税庁"},
    {Concept::kOfficialBody, "厚生労働省"},
    {Concept::kOfficialBody, "relief agency"},
    {Concept::kOfficialBody, "department of"},
    {Concept::kSubsidy, "助成"},
    {Concept::kSubsidy, "給付金"},
    {Concept::kSubsidy, "補助金"},
    {Concept::kSubsidy, "特別枠"},
    {Concept::kSubsidy, "支援金"},
    {Concept::kSubsidy, "還付"},
    {Concept::kSubsidy, "特別定額"},
    {Concept::kSubsidy, "relief fund"},
    {Concept::kSubsidy, "stimulus payment"},
    {Concept::kSubsidy, "grant approval"},
    {Concept::kNotice, "特別通知"},
    {Concept::kNotice, "電子告知"},
    {Concept::kNotice, "情報開示手続き"},
    {Concept::kNotice, "契約の更新"},
    {Concept::kNotice, "更新・継続"},
    {Concept::kNotice, "継続/解約"},
    {Concept::kNotice, "再度ご確認"},
    {Concept::kNotice, "決定通知"},
    {Concept::kNotice, "未納"},
    {Concept::kNotice, "最終通告"},
    // prize / reward lures
    {Concept::kPrize, "you have won"},
    {Concept::kPrize, "you've won"},
    {Concept::kPrize, "you are a winner"},
    {Concept::kPrize, "congratulations"},
    {Concept::kPrize, "claim your"},
    {Concept::kPrize, "your reward"},
    {Concept::kMarketing, "reward"},
    {Concept::kPrize, "gift card"},
    {Concept::kPrize, "free gift"},
    {Concept::kPrize, "giveaway"},
    {Concept::kPrize, "winner"},
    {Concept::kPrize, "prize"},
    {Concept::kPrize, "lottery"},
    {Concept::kPrize, "cash prize"},
    {Concept::kPrize, "loyalty program"},
    {Concept::kMarketing, "survey"},
    {Concept::kPrize, "当選"},
    {Concept::kPrize, "プレゼント"},
    {Concept::kPrize, "ポイント"},
    {Concept::kPrize, "賞金"},
    {Concept::kPrize, "prêmio"},
    {Concept::kPrize, "pontos"},
    {Concept::kPrize, "resgate"},
    {Concept::kPrize, "ganhou"},
    {Concept::kPrize, "gewinn"},
    {Concept::kPrize, "gewonnen"},
    {Concept::kPrize, "belohnung"},
    {Concept::kPrize, "geschenk"},
    {Concept::kPrize, "gutschein"},
    {Concept::kPrize, "gagnez"},
    {Concept::kPrize, "gagné"},
    {Concept::kPrize, "cadeau"},
    {Concept::kPrize, "récompense"},
    {Concept::kPrize, "premio"},
    {Concept::kPrize, "regalo"},
    {Concept::kPrize, "ganado"},
    {Concept::kPrize, "gefeliciteerd"},
    {Concept::kPrize, "beloning"},
    {Concept::kPrize, "vinto"},
    {Concept::kPrize, "omaggio"},
    // crypto
    {Concept::kCrypto, "bitcoin"},
    {Concept::kCrypto, "btc"},
    {Concept::kCrypto, "crypto"},
    {Concept::kCrypto, "wallet"},
    {Concept::kCrypto, "airdrop"},
    {Concept::kMarketing, "token"},
    {Concept::kCrypto, "seed phrase"},
    {Concept::kCrypto, "recovery phrase"},
    {Concept::kCrypto, "usdt"},
    {Concept::kCrypto, "ethereum"},
    {Concept::kCrypto, "metamask"},
    {Concept::kCrypto, "withdrawal"},
    {Concept::kCrypto, "仮想通貨"},
    {Concept::kCrypto, "暗号資産"},
    // advance fee
    {Concept::kAdvanceFee, "inheritance"},
    {Concept::kAdvanceFee, "beneficiary"},
    {Concept::kAdvanceFee, "next of kin"},
    {Concept::kAdvanceFee, "compensation fund"},
    {Concept::kAdvanceFee, "unclaimed"},
    {Concept::kAdvanceFee, "million dollars"},
    {Concept::kAdvanceFee, "million usd"},
    {Concept::kAdvanceFee, "barrister"},
    {Concept::kAdvanceFee, "diplomat"},
    {Concept::kAdvanceFee, "consignment"},
    {Concept::kAdvanceFee, "your payment"},
    {Concept::kAdvanceFee, "fund transfer"},
    {Concept::kAdvanceFee, "business proposal"},
    {Concept::kAdvanceFee, "partnership proposal"},
    {Concept::kAdvanceFee, "loan offer"},
    {Concept::kAdvanceFee, "investment opportunity"},
    {Concept::kAdvanceFee, "valores disponíveis"},
    {Concept::kAdvanceFee, "valores disponiveis"},
    {Concept::kAdvanceFee, "ação trabalhista"},
    {Concept::kAdvanceFee, "indenização"},
    // sextortion
    {Concept::kSextortion, "i recorded"},
    {Concept::kSextortion, "webcam"},
    {Concept::kSextortion, "adult website"},
    {Concept::kSextortion, "adult site"},
    {Concept::kSextortion, "your device was infected"},
    {Concept::kSextortion, "hacked your"},
    {Concept::kSextortion, "compromising video"},
    // dating / romance
    {Concept::kDating, "lonely"},
    {Concept::kDating, "hot girls"},
    {Concept::kDating, "meet me"},
    {Concept::kDating, "wish to see me"},
    {Concept::kDating, "private message"},
    {Concept::kDating, "girlfriend"},
    {Concept::kDating, "dating"},
    {Concept::kDating, "出会い"},
    {Concept::kDating, "ragazza"},
    {Concept::kDating, "namorada"},
    // delivery lures
    {Concept::kDelivery, "parcel"},
    {Concept::kDelivery, "your package"},
    {Concept::kDelivery, "delivery failed"},
    {Concept::kDelivery, "could not be delivered"},
    {Concept::kDelivery, "shipment"},
    {Concept::kDelivery, "tracking number"},
    {Concept::kDelivery, "不在"},
    {Concept::kDelivery, "お荷物"},
    {Concept::kDelivery, "配達"},
    {Concept::kDelivery, "colis"},
    {Concept::kDelivery, "livraison"},
    {Concept::kDelivery, "pacco"},
    {Concept::kDelivery, "spedizione"},
    {Concept::kDelivery, "pakket"},
    {Concept::kDelivery, "zending"},
    {Concept::kDelivery, "paket"},
    {Concept::kDelivery, "sendung"},
    {Concept::kDelivery, "encomenda"},
    {Concept::kDelivery, "entrega"},
    {Concept::kDelivery, "paquete"},
    // invoice / money owed lures
    {Concept::kInvoiceLure, "fatura"},
    {Concept::kInvoiceLure, "boleto"},
    {Concept::kInvoiceLure, "pendente"},
    {Concept::kInvoiceLure, "pendência"},
    {Concept::kInvoiceLure, "débito"},
    {Concept::kInvoiceLure, "rechnung"},
    {Concept::kInvoiceLure, "mahnung"},
    {Concept::kInvoiceLure, "facture"},
    {Concept::kInvoiceLure, "impayé"},
    {Concept::kInvoiceLure, "fattura"},
    {Concept::kInvoiceLure, "factura"},
    {Concept::kInvoiceLure, "betaling"},
    {Concept::kInvoiceLure, "overdue"},
    {Concept::kInvoiceLure, "outstanding balance"},
    {Concept::kInvoiceLure, "payment failed"},
    {Concept::kInvoiceLure, "payment declined"},
    {Concept::kInvoiceLure, "unpaid"},
    {Concept::kInvoiceLure, "refund"},
    {Concept::kInvoiceLure, "tax refund"},
    {Concept::kInvoiceLure, "remboursement"},
    {Concept::kInvoiceLure, "reembolso"},
    {Concept::kInvoiceLure, "restituição"},
    {Concept::kInvoiceLure, "未払い"},
    {Concept::kInvoiceLure, "未納"},
    {Concept::kInvoiceLure, "請求"},
    // health / pills / casino spam
    {Concept::kHealthSpam, "weight loss"},
    {Concept::kHealthSpam, "lose weight"},
    {Concept::kMarketing, "diet"},
    {Concept::kHealthSpam, "keto"},
    {Concept::kHealthSpam, "pills"},
    {Concept::kHealthSpam, "viagra"},
    {Concept::kHealthSpam, "pharmacy"},
    {Concept::kHealthSpam, "casino"},
    {Concept::kHealthSpam, "free spins"},
    {Concept::kHealthSpam, "freispiele"},
    {Concept::kHealthSpam, "abnehmen"},
    {Concept::kHealthSpam, "perte de poids"},
    {Concept::kHealthSpam, "maigrir"},
    {Concept::kHealthSpam, "afvallen"},
    {Concept::kHealthSpam, "emagrecer"},
    {Concept::kHealthSpam, "nagelpilz"},
    {Concept::kHealthSpam, "cbd"},
    {Concept::kMarketing, "bet"},
    {Concept::kHealthSpam, "jackpot"},
    {Concept::kHealthSpam, "potency"},
    {Concept::kHealthSpam, "erection"},
    // more prize / crypto / dating phrases
    {Concept::kPrize, "claim"},
    {Concept::kPrize, "claimed"},
    {Concept::kMarketing, "free"},
    {Concept::kMarketing, "bonus"},
    {Concept::kMarketing, "exclusive offer"},
    {Concept::kMarketing, "discount"},
    {Concept::kMarketing, "gratis"},
    {Concept::kMarketing, "kostenlos"},
    {Concept::kMarketing, "gratuit"},
    {Concept::kMarketing, "grátis"},
    {Concept::kMarketing, "desconto"},
    {Concept::kPrize, "sorteio"},
    {Concept::kMarketing, "selected"},
    {Concept::kPrize, "you have been selected"},
    {Concept::kPrize, "gagner"},
    {Concept::kPrize, "gewinnen"},
    {Concept::kPrize, "winnen"},
    {Concept::kPrize, "vincere"},
    {Concept::kMarketing, "withdraw"},
    {Concept::kMarketing, "your funds"},
    {Concept::kMarketing, "balance"},
    {Concept::kCrypto, "bnb"},
    {Concept::kCrypto, "nft"},
    {Concept::kCrypto, "trust wallet"},
    {Concept::kCrypto, "kyc"},
    {Concept::kMarketing, "eth"},
    {Concept::kMarketing, "coins"},
    {Concept::kMarketing, "trading"},
    {Concept::kMarketing, "profit"},
    {Concept::kDating, "flirt"},
    {Concept::kDating, "sex"},
    {Concept::kDating, "sexy"},
    {Concept::kMarketing, "hot"},
    {Concept::kDating, "naughty"},
    {Concept::kDating, "horny"},
    {Concept::kDating, "geile"},
    {Concept::kDating, "mädchen"},
    {Concept::kDating, "frauen"},
    {Concept::kDating, "singles"},
    {Concept::kDating, "hookup"},
    {Concept::kDating, "nude"},
    {Concept::kDating, "my photos"},
    {Concept::kDating, "ontmoeten"},
    {Concept::kDating, "volwassen"},
    {Concept::kDating, "buurvrouw"},
    {Concept::kDating, "rencontre"},
    {Concept::kDating, "célibataire"},
    {Concept::kDating, "coquine"},
    {Concept::kMarketing, "baby"},
    {Concept::kDating, "darling"},
    {Concept::kDating, "sweetheart"},
    {Concept::kDating, "erotic"},
    {Concept::kDating, "affair"},
    {Concept::kDating, "boyfriend"},
    {Concept::kDating, "video chat"},
    // more credential phrases
    {Concept::kCredential, "verify"},
    {Concept::kCredential, "verification"},
    {Concept::kCredential, "confirm your"},
    {Concept::kCredential, "verify your"},
    {Concept::kCredential, "re-confirm"},
    {Concept::kCredential, "authenticate"},
    {Concept::kCredential, "update your details"},
    {Concept::kCredential, "security check"},
    {Concept::kCredential, "bestätigen"},
    {Concept::kCredential, "verifizieren"},
    {Concept::kAccountWord, "konto"},
    {Concept::kCredential, "confirmer"},
    {Concept::kAccountWord, "votre compte"},
    {Concept::kCredential, "identifiant"},
    {Concept::kCredential, "confirme"},
    {Concept::kAccountWord, "cadastro"},
    {Concept::kAccountWord, "dados"},
    {Concept::kCredential, "internet banking"},
    {Concept::kAccountWord, "token"},
    {Concept::kAccountWord, "conta"},
    {Concept::kAccountWord, "account"},
    {Concept::kAccountWord, "uw account"},
    {Concept::kAccountWord, "il tuo account"},
    {Concept::kAccountWord, "tu cuenta"},
    {Concept::kAccountWord, "su cuenta"},
    {Concept::kAccountWord, "アカウント"},
    {Concept::kAccountWord, "your account"},
    {Concept::kAccountWord, "ihr konto"},
    {Concept::kAccountWord, "mon compte"},
    {Concept::kAccountThreat, "unusual"},
    {Concept::kAccountThreat, "unauthorized"},
    {Concept::kAccountThreat, "suspicious"},
    {Concept::kAccountThreat, "blocked"},
    {Concept::kAccountThreat, "final notice"},
    {Concept::kAccountThreat, "last warning"},
    {Concept::kAccountThreat, "compliance"},
    {Concept::kAccountThreat, "bloqueio"},
    {Concept::kAccountThreat, "expira"},
    {Concept::kAccountThreat, "vence"},
    {Concept::kAccountThreat, "expirando hoje"},
    {Concept::kAccountThreat, "eingeschränkt"},
    {Concept::kAccountThreat, "bloqué"},
    {Concept::kAccountThreat, "expiré"},
    {Concept::kAccountThreat, "geblokkeerd"},
    {Concept::kAccountThreat, "bloccato"},
    {Concept::kAccountThreat, "sospeso"},
    {Concept::kAccountThreat, "detected"},
    {Concept::kAccountThreat, "detectamos"},
    {Concept::kAccountThreat, "virus"},
    {Concept::kAdvanceFee, "us$"},
    {Concept::kAdvanceFee, "million"},
    {Concept::kAdvanceFee, "deposit"},
    {Concept::kAdvanceFee, "orphanage"},
    {Concept::kAdvanceFee, "dear friend"},
    {Concept::kAdvanceFee, "dear beloved"},
    {Concept::kAdvanceFee, "god bless"},
    {Concept::kAdvanceFee, "late husband"},
    {Concept::kAdvanceFee, "charity"},
    {Concept::kAdvanceFee, "donation"},
    {Concept::kAdvanceFee, "compensation"},
    {Concept::kAdvanceFee, "atm card"},
    {Concept::kAdvanceFee, "western union"},
    {Concept::kAdvanceFee, "moneygram"},
    {Concept::kAdvanceFee, "cooperation"},
    {Concept::kAdvanceFee, "blessed"},
    {Concept::kAdvanceFee, "deal in your favor"},
    {Concept::kAdvanceFee, "your assistance"},
    {Concept::kAdvanceFee, "mutual benefit"},
    {Concept::kAdvanceFee, "secret deal"},
    {Concept::kAdvanceFee, "foreign partner"},
    {Concept::kAdvanceFee, "sanctioned"},
    {Concept::kAdvanceFee, "approved your claim"},
    {Concept::kAdvanceFee, "fgts"},
    {Concept::kAdvanceFee, "saque"},
    {Concept::kAdvanceFee, "valores a receber"},
    {Concept::kHealthSpam, "gewichtsreduktion"},
    {Concept::kMarketing, "fett"},
    {Concept::kHealthSpam, "fat burn"},
    {Concept::kHealthSpam, "burn fat"},
    {Concept::kHealthSpam, "gummies"},
    {Concept::kHealthSpam, "slimming"},
    {Concept::kHealthSpam, "horoscope"},
    {Concept::kHealthSpam, "horoskop"},
    {Concept::kHealthSpam, "astrology"},
    {Concept::kHealthSpam, "psychic"},
    {Concept::kHealthSpam, "hellseher"},
    {Concept::kHealthSpam, "voyance"},
    {Concept::kPrize, "félicitations"},
    {Concept::kPrize, "glückwunsch"},
    {Concept::kPrize, "parabéns"},
    {Concept::kPrize, "felicidades"},
    {Concept::kPrize, "complimenti"},
    {Concept::kMarketing, "hurry up"},
    {Concept::kMarketing, "limited offer"},
    {Concept::kMarketing, "special offer"},
    {Concept::kMarketing, "black friday"},
    {Concept::kMarketing, "promoção"},
    {Concept::kMarketing, "oferta"},
    {Concept::kMarketing, "angebot"},
    {Concept::kMarketing, "offre"},
    {Concept::kPrize, "opportunité unique"},
    {Concept::kMarketing, "chance"},
    {Concept::kMarketing, "wife"},
    {Concept::kMarketing, "husband"},
    {Concept::kDating, "lonely woman"},
    {Concept::kMarketing, "kiss"},
    {Concept::kDating, "beautiful woman"},
    {Concept::kDating, "meet you"},
    {Concept::kMarketing, "love"},
    {Concept::kMarketing, "chat"},
    {Concept::kDating, "date mit"},
    {Concept::kMarketing, "frau"},
    {Concept::kDating, "bräute"},
    {Concept::kDating, "schönheiten"},
    {Concept::kMarketing, "liebe"},
    {Concept::kDating, "private fotos"},
    {Concept::kMarketing, "fotos"},
    {Concept::kDating, "foto's"},
    {Concept::kDating, "neuk"},
    {Concept::kDating, "status: online"},
    {Concept::kDating, "ukrainian"},
    {Concept::kDating, "ukrainische"},
    {Concept::kDating, "ukrainienne"},
    {Concept::kDating, "i like you"},
    {Concept::kDating, "would you like to have a chat"},
    {Concept::kDating, "your photos"},
    {Concept::kAdvanceFee, "dearest"},
    {Concept::kAdvanceFee, "blessings"},
    {Concept::kAdvanceFee, "philanthropist"},
    {Concept::kAdvanceFee, "cashed"},
    {Concept::kMarketing, "the money"},
    {Concept::kAdvanceFee, "private email"},
    {Concept::kAdvanceFee, "reference number"},
    {Concept::kMarketing, "draft"},
    {Concept::kMarketing, "tender"},
    {Concept::kAdvanceFee, "request for quotation"},
    {Concept::kAdvanceFee, "invited to bid"},
    {Concept::kCrypto, "12 words"},
    {Concept::kMarketing, "seed"},
    {Concept::kMarketing, "transaction"},
    {Concept::kMarketing, "launch"},
    {Concept::kCrypto, "hash value"},
    {Concept::kInvoiceLure, "tax report"},
    {Concept::kInvoiceLure, "your refund"},
    {Concept::kMarketing, "processo"},
    {Concept::kMarketing, "protocolo"},
    {Concept::kMarketing, "comunicado"},
    {Concept::kInvoiceLure, "intimação"},
    {Concept::kMarketing, "notificação"},
    {Concept::kMarketing, "valores"},
    {Concept::kInvoiceLure, "pending transaction"},
    {Concept::kCrypto, "xrp"},
    {Concept::kCrypto, "tokens"},
    {Concept::kCrypto, "ripple"},
    {Concept::kCrypto, "ledger"},
    {Concept::kCrypto, "usdc"},
    {Concept::kCrypto, "staking"},
    {Concept::kCrypto, "giveaway"},
    {Concept::kPrize, "win big"},
    {Concept::kDating, "kennenlernen"},
    {Concept::kDating, "kennenzulernen"},
    {Concept::kDating, "in der nähe"},
    {Concept::kDating, "available girls"},
    {Concept::kDating, "girls"},
    {Concept::kDating, "meisjes"},
    {Concept::kDating, "nachricht geschickt"},
    {Concept::kDating, "sent you a message"},
    {Concept::kDating, "mister amazing"},
    {Concept::kAdvanceFee, "querido amado"},
    {Concept::kAdvanceFee, "herança"},
    {Concept::kAdvanceFee, "falecido"},
    {Concept::kAdvanceFee, "viúva"},
    {Concept::kAdvanceFee, "donor"},
    {Concept::kAdvanceFee, "dear e-mail owner"},
    {Concept::kAdvanceFee, "dear email owner"},
    {Concept::kAdvanceFee, "investor"},
    {Concept::kAdvanceFee, "funding"},
    {Concept::kDelivery, "pakketmelding"},
    {Concept::kDelivery, "uw pakket"},
    {Concept::kDelivery, "paketbenachrichtigung"},
    {Concept::kCredential, "follow the link"},
    {Concept::kCredential, "click the link below"},
    {Concept::kCredential, "click here to verify"},
    {Concept::kCredential, "validate"},
    {Concept::kAccountThreat, "will be replaced"},
    {Concept::kAccountThreat, "deactivation"},
    {Concept::kAccountThreat, "vulnerable"},
    {Concept::kAccountThreat, "vulnerabilities"},
    // health / pills spam: the products and promises themselves, in several languages
    {Concept::kHealthSpam, "weight-loss"},
    {Concept::kHealthSpam, "belly fat"},
    {Concept::kHealthSpam, "stubborn fat"},
    {Concept::kHealthSpam, "fat-burning"},
    {Concept::kHealthSpam, "fat burning"},
    {Concept::kHealthSpam, "melts away"},
    {Concept::kHealthSpam, "lbs"},
    {Concept::kHealthSpam, "pounds in"},
    {Concept::kHealthSpam, "blood sugar"},
    {Concept::kHealthSpam, "diabetes"},
    {Concept::kHealthSpam, "joint pain"},
    {Concept::kHealthSpam, "joint health"},
    {Concept::kHealthSpam, "erectile"},
    {Concept::kHealthSpam, "manhood"},
    {Concept::kHealthSpam, "impotence"},
    {Concept::kHealthSpam, "cialis"},
    {Concept::kHealthSpam, "c!al!s"},
    {Concept::kHealthSpam, "prostate"},
    {Concept::kHealthSpam, "tinnitus"},
    {Concept::kHealthSpam, "hair loss"},
    {Concept::kHealthSpam, "wrinkles"},
    {Concept::kHealthSpam, "miracle"},
    {Concept::kHealthSpam, "carb"},
    {Concept::kHealthSpam, "metabolism"},
    {Concept::kHealthSpam, "drug store"},
    {Concept::kHealthSpam, "drugstore"},
    {Concept::kHealthSpam, "gewichtsverlust"},
    {Concept::kHealthSpam, "emagrecimento"},
    {Concept::kHealthSpam, "perder peso"},
    {Concept::kHealthSpam, "bajar de peso"},
    {Concept::kHealthSpam, "afslanken"},
    {Concept::kHealthSpam, "straight teeth"},
    {Concept::kHealthSpam, "cassino"},
    {Concept::kHealthSpam, "apostas"},
    {Concept::kHealthSpam, "bônus de"},
    {Concept::kHealthSpam, "betting"},
    {Concept::kHealthSpam, "slot machine"},
    {Concept::kHealthSpam, "slots"},
    // dating, in the words of the campaigns that sell it
    {Concept::kDating, "hot date"},
    {Concept::kDating, "vrouwen"},
    {Concept::kDating, "beautiful women"},
    {Concept::kDating, "russian beauty"},
    {Concept::kDating, "slavic"},
    {Concept::kDating, "oekraïense"},
    {Concept::kDating, "filles"},
    {Concept::kDating, "mulheres"},
    {Concept::kDating, "discrete service"},
    {Concept::kDating, "friendship"},
    {Concept::kDating, "friend request"},
    {Concept::kDating, "single women"},
    // crypto investment and giveaway lures
    {Concept::kCrypto, "stake your"},
    {Concept::kCrypto, "yields"},
    {Concept::kCrypto, "lumens"},
    {Concept::kCrypto, "xlm"},
    {Concept::kCrypto, "defi"},
    {Concept::kCrypto, "presale"},
    {Concept::kCrypto, "token sale"},
    {Concept::kCrypto, "ico"},
    {Concept::kCrypto, "digital assets"},
    {Concept::kCrypto, "crypto assets"},
    {Concept::kCrypto, "wallet has been funded"},
    {Concept::kCrypto, "bitcoin wallet"},
    {Concept::kCrypto, "cloud mining"},
    {Concept::kCrypto, "blockchain"},
    {Concept::kCrypto, "web3"},
    {Concept::kCrypto, "cashback"},
    // advance fee, investment and business-proposal openers
    {Concept::kAdvanceFee, "business venture"},
    {Concept::kAdvanceFee, "lucrative"},
    {Concept::kAdvanceFee, "investment partner"},
    {Concept::kAdvanceFee, "collaboration opportunity"},
    {Concept::kAdvanceFee, "investment proposition"},
    {Concept::kAdvanceFee, "investment collaboration"},
    {Concept::kAdvanceFee, "my funds"},
    {Concept::kAdvanceFee, "transfer the funds"},
    {Concept::kAdvanceFee, "huge amount"},
    {Concept::kAdvanceFee, "confidential client"},
    {Concept::kAdvanceFee, "late father"},
    {Concept::kAdvanceFee, "widow"},
    {Concept::kAdvanceFee, "cancer"},
    {Concept::kAdvanceFee, "orphan"},
    {Concept::kAdvanceFee, "dormant account"},
    {Concept::kAdvanceFee, "sócio"},
    {Concept::kAdvanceFee, "investidor"},
    {Concept::kAdvanceFee, "meus fundos"},
    {Concept::kAdvanceFee, "seu fundo"},
    {Concept::kAdvanceFee, "fundos"},
    {Concept::kAdvanceFee, "câncer"},
    {Concept::kAdvanceFee, "órfã"},
    {Concept::kAdvanceFee, "negócio muito importante"},
    {Concept::kAdvanceFee, "transferência"},
    {Concept::kAdvanceFee, "herdeiro"},
    {Concept::kAdvanceFee, "inversionista"},
    {Concept::kAdvanceFee, "socio extranjero"},
    {Concept::kAdvanceFee, "héritage"},
    {Concept::kAdvanceFee, "erbschaft"},
    // loan offers
    {Concept::kLoan, "loan"},
    {Concept::kLoan, "loans"},
    {Concept::kLoan, "borrow"},
    {Concept::kLoan, "interest rate"},
    {Concept::kLoan, "empréstimo"},
    {Concept::kLoan, "empréstimos"},
    {Concept::kLoan, "emprestimos"},
    {Concept::kLoan, "financiamento"},
    {Concept::kLoan, "financiamentos"},
    {Concept::kLoan, "taxa de juros"},
    {Concept::kLoan, "préstamo"},
    {Concept::kLoan, "préstamos"},
    {Concept::kLoan, "prêt"},
    {Concept::kLoan, "kredit"},
    {Concept::kLoan, "darlehen"},
    {Concept::kLoan, "lening"},
    {Concept::kLoan, "prestito"},
    {Concept::kLoan, "debt review"},
    {Concept::kLoan, "bad credit"},
    // cybercrime goods and services
    {Concept::kIllicitGoods, "cpanel"},
    {Concept::kIllicitGoods, "cpanels"},
    {Concept::kIllicitGoods, "shells"},
    {Concept::kIllicitGoods, "smtps"},
    {Concept::kIllicitGoods, "rdp"},
    {Concept::kIllicitGoods, "rdps"},
    {Concept::kIllicitGoods, "rdp's"},
    {Concept::kIllicitGoods, "mailers"},
    {Concept::kIllicitGoods, "fullz"},
    {Concept::kIllicitGoods, "cvv"},
    {Concept::kIllicitGoods, "dumps"},
    {Concept::kIllicitGoods, "black market"},
    {Concept::kIllicitGoods, "leaks"},
    {Concept::kIllicitGoods, "leaked"},
    {Concept::kIllicitGoods, "hacking"},
    {Concept::kIllicitGoods, "spamming"},
    {Concept::kIllicitGoods, "leads"},
    {Concept::kIllicitGoods, "tools/accounts"},
    {Concept::kIllicitGoods, "buy tools"},
    {Concept::kIllicitGoods, "followers"},
    // fake summons and police letters
    {Concept::kLegalThreat, "convocation"},
    {Concept::kLegalThreat, "convocatória"},
    {Concept::kLegalThreat, "convocação"},
    {Concept::kLegalThreat, "intimação"},
    {Concept::kLegalThreat, "citação"},
    {Concept::kLegalThreat, "anklage"},
    {Concept::kLegalThreat, "anklageschreiben"},
    {Concept::kLegalThreat, "strafanzeige"},
    {Concept::kLegalThreat, "europol"},
    {Concept::kLegalThreat, "interpol"},
    {Concept::kLegalThreat, "police nationale"},
    {Concept::kLegalThreat, "polícia"},
    {Concept::kLegalThreat, "policia nacional"},
    {Concept::kLegalThreat, "gendarmerie"},
    {Concept::kLegalThreat, "cybercriminalité"},
    {Concept::kLegalThreat, "pédopornographie"},
    {Concept::kLegalThreat, "pedopornografia"},
    {Concept::kLegalThreat, "child pornography"},
    {Concept::kLegalThreat, "jugendschutz"},
    {Concept::kLegalThreat, "procès"},
    {Concept::kLegalThreat, "proces vous"},
    {Concept::kLegalThreat, "sua queixa"},
    {Concept::kLegalThreat, "testemunha"},
    {Concept::kLegalThreat, "audiência"},
    {Concept::kLegalThreat, "court hearing"},
    {Concept::kLegalThreat, "arrest warrant"},
    {Concept::kLegalThreat, "haftbefehl"},
    // charges and renewals (callback scams: "you have been charged… call us to cancel")
    {Concept::kCharge, "charged"},
    {Concept::kCharge, "been charged"},
    {Concept::kCharge, "renewed"},
    {Concept::kCharge, "auto-renew"},
    {Concept::kCharge, "auto renewal"},
    {Concept::kCharge, "renewal"},
    {Concept::kCharge, "subscription"},
    {Concept::kCharge, "order confirmation"},
    {Concept::kCharge, "your order"},
    {Concept::kCharge, "purchase"},
    {Concept::kCharge, "invoice"},
    {Concept::kCharge, "billing"},
    {Concept::kCharge, "total amount"},
    {Concept::kCharge, "amount"},
    {Concept::kCharge, "deducted"},
    {Concept::kCharge, "debited"},
    {Concept::kCharge, "transaction"},
    {Concept::kCharge, "receipt"},
    {Concept::kCharge, "cobrado"},
    {Concept::kCharge, "cobrança"},
    {Concept::kCharge, "assinatura"},
    {Concept::kCharge, "renovação"},
    {Concept::kCharge, "abgebucht"},
    {Concept::kCharge, "prélevé"},
    {Concept::kCharge, "cargo"},
    {Concept::kCharge, "suscripción"},
    {Concept::kCharge, "引き落とし"},
    {Concept::kCharge, "更新"},
    {Concept::kCharge, "ご注文"},
    {Concept::kCharge, "ご請求"},
    {Concept::kCallWord, "call"},
    {Concept::kCallWord, "call us"},
    {Concept::kCallWord, "toll free"},
    {Concept::kCallWord, "toll-free"},
    {Concept::kCallWord, "helpline"},
    {Concept::kCallWord, "help line"},
    {Concept::kCallWord, "helpdesk"},
    {Concept::kCallWord, "phone"},
    {Concept::kCallWord, "dial"},
    {Concept::kCallWord, "contact us"},
    {Concept::kCallWord, "contact our"},
    {Concept::kCallWord, "reach us"},
    {Concept::kCallWord, "customer care"},
    {Concept::kCallWord, "customer service"},
    {Concept::kCallWord, "tel"},
    {Concept::kCallWord, "ligue"},
    {Concept::kCallWord, "ligar"},
    {Concept::kCallWord, "llame"},
    {Concept::kCallWord, "llamar"},
    {Concept::kCallWord, "appelez"},
    {Concept::kCallWord, "rufen sie"},
    {Concept::kCallWord, "anrufen"},
    {Concept::kCallWord, "bel ons"},
    {Concept::kCallWord, "電話"},
    {Concept::kCallWord, "お電話"},
    {Concept::kCallWord, "フリーダイヤル"},
    {Concept::kDispute, "did not authorize"},
    {Concept::kDispute, "didn't authorize"},
    {Concept::kDispute, "not authorize"},
    {Concept::kDispute, "did not make"},
    {Concept::kDispute, "didn't make"},
    {Concept::kDispute, "not recognize"},
    {Concept::kDispute, "don't recognize"},
    {Concept::kDispute, "unauthorized"},
    {Concept::kDispute, "cancel"},
    {Concept::kDispute, "cancellation"},
    {Concept::kDispute, "refund"},
    {Concept::kDispute, "dispute"},
    {Concept::kDispute, "not you"},
    {Concept::kDispute, "cancelar"},
    {Concept::kDispute, "cancelamento"},
    {Concept::kDispute, "reembolso"},
    {Concept::kDispute, "annuler"},
    {Concept::kDispute, "stornieren"},
    {Concept::kDispute, "kündigen"},
    {Concept::kDispute, "キャンセル"},
    {Concept::kDispute, "身に覚え"},
    {Concept::kDispute, "心当たり"},
    {Concept::kDispute, "解約"},
    {Concept::kPassword, "password"},
    {Concept::kPassword, "passcode"},
    {Concept::kPassword, "senha"},
    {Concept::kPassword, "contraseña"},
    {Concept::kPassword, "mot de passe"},
    {Concept::kPassword, "passwort"},
    {Concept::kPassword, "kennwort"},
    {Concept::kPassword, "wachtwoord"},
    {Concept::kPassword, "パスワード"},
    {Concept::kPassword, "pw"},
    {Concept::kPassword, "pass"},
    // celebrity endorsements (investment and product scams borrow famous names)
    {Concept::kAdvanceFee, "elon musk"},
    {Concept::kAdvanceFee, "warren buffett"},
    {Concept::kAdvanceFee, "bill gates"},
    {Concept::kAdvanceFee, "jeff bezos"},
    {Concept::kAdvanceFee, "shark tank"},
    {Concept::kAdvanceFee, "dragons den"},
    {Concept::kAdvanceFee, "dragons' den"},
    {Concept::kAdvanceFee, "relief package"},
    {Concept::kAdvanceFee, "relief program"},
    {Concept::kAdvanceFee, "been approved for"},
    {Concept::kAdvanceFee, "pending package"},
    {Concept::kLoan, "qualify to borrow"},
    {Concept::kLoan, "credit score"},
    {Concept::kLoan, "credit scores"},
    // mailbox and sign-in threats
    {Concept::kAccountWord, "email account"},
    {Concept::kAccountWord, "mail account"},
    {Concept::kAccountWord, "sign-in"},
    {Concept::kAccountThreat, "quota"},
    {Concept::kAccountThreat, "almost full"},
    {Concept::kAccountThreat, "storage limit"},
    {Concept::kAccountThreat, "pending messages"},
    {Concept::kAccountThreat, "messages blocked"},
    {Concept::kAccountThreat, "blocked messages"},

    {Concept::kCredential, "unusual sign-in"},
    {Concept::kCredential, "sign in to"},
    {Concept::kCredential, "review your recent activity"},
    {Concept::kCredential, "review recent activity"},
    // romance openers and job or payment lures seen in forwarded spam
    {Concept::kDating, "handsome"},
    {Concept::kDating, "romance"},
    {Concept::kDating, "romantic"},
    {Concept::kDating, "get acquainted"},
    {Concept::kDating, "wish to talk"},
    {Concept::kDating, "let's chat"},
    {Concept::kDating, "want to know me"},
    {Concept::kDating, "romance de"},
    {Concept::kDating, "namoro"},
    {Concept::kAdvanceFee, "restitution"},
    {Concept::kAdvanceFee, "part-time job"},
    {Concept::kAdvanceFee, "job offer"},
    {Concept::kAdvanceFee, "work from home"},
    {Concept::kAdvanceFee, "per day"},
    {Concept::kAdvanceFee, "make money"},
    {Concept::kAdvanceFee, "earn money"},
    {Concept::kAdvanceFee, "ganhe dinheiro"},
    {Concept::kAdvanceFee, "renda extra"},
    {Concept::kPrize, "free flight"},
    {Concept::kPrize, "mystery box"},
    {Concept::kPrize, "gift guide"},
    {Concept::kPrize, "rewards have arrived"},
    {Concept::kPrize, "reward worth"},
    {Concept::kPrize, "you are eligible"},
    {Concept::kPrize, "give away"},
    {Concept::kPrize, "to withdraw"},
    {Concept::kPrize, "withdraw your"},
    {Concept::kPrize, "funds are waiting"},
    {Concept::kPrize, "need to move"},
    // disclaimers (lines to ignore for secrecy)
    {Concept::kDisclaimer, "intended recipient"},
    {Concept::kDisclaimer, "intended solely"},
    {Concept::kDisclaimer, "privileged"},
    {Concept::kDisclaimer, "if you have received this"},
    {Concept::kDisclaimer, "received this e-mail in error"},
    {Concept::kDisclaimer, "received this email in error"},
    {Concept::kDisclaimer, "unsubscribe"},
    {Concept::kDisclaimer, "privacy policy"},
    {Concept::kDisclaimer, "機密情報"},
    {Concept::kDisclaimer, "誤って"},
    {Concept::kDisclaimer, "配信停止"},
    {Concept::kDisclaimer, "配信の停止"},
    {Concept::kDisclaimer, "配信を停止"},
    {Concept::kDisclaimer, "メール配信の解除"},
    // issue 16: the scam families missed on mail never seen, in the languages they come in.
    // A subscription or membership that "expires" is an account to save (account word + threat).
    {Concept::kAccountWord, "subscription"},
    {Concept::kAccountWord, "your subscription"},
    {Concept::kAccountWord, "membership"},
    {Concept::kAccountWord, "ihr abonnement"},
    {Concept::kAccountWord, "ihre mitgliedschaft"},
    {Concept::kAccountWord, "uw abonnement"},
    {Concept::kAccountWord, "je abonnement"},
    {Concept::kAccountWord, "sua assinatura"},
    {Concept::kAccountWord, "votre abonnement"},
    {Concept::kAccountWord, "サブスクリプション"},
    {Concept::kAccountWord, "会員資格"},
    {Concept::kAccountThreat, "läuft ab"},
    {Concept::kAccountThreat, "läuft heute ab"},
    {Concept::kAccountThreat, "abgelaufen"},
    {Concept::kAccountThreat, "verloopt"},
    {Concept::kAccountThreat, "verlopen"},
    {Concept::kAccountThreat, "expirou"},
    {Concept::kAccountThreat, "expirada"},
    {Concept::kAccountThreat, "expire aujourd'hui"},
    {Concept::kAccountThreat, "a expiré"},
    {Concept::kAccountThreat, "expirée"},
    {Concept::kAccountThreat, "has expired"},
    {Concept::kAccountThreat, "期限切れ"},
    {Concept::kAccountThreat, "有効期限が切れ"},
    {Concept::kAccountThreat, "アカウント停止"},
    {Concept::kAccountThreat, "一時停止"},
    {Concept::kCredential, "登録情報"},
    {Concept::kCredential, "支払い方法"},
    {Concept::kCredential, "お支払い方法の更新"},
    {Concept::kCredential, "payment method"},
    {Concept::kCredential, "confirm your details"},
    {Concept::kCredential, "update your billing"},
    {Concept::kCredential, "zahlungsmethode"},
    {Concept::kCredential, "zahlungsinformationen"},
    {Concept::kCredential, "betaalmethode"},
    {Concept::kCredential, "forma de pagamento"},
    {Concept::kCredential, "moyen de paiement"},
    // Brand giveaways: "you have been selected", a draw, a prize for a survey.
    {Concept::kPrize, "sie wurden ausgewählt"},
    {Concept::kPrize, "gewinnspiel"},
    {Concept::kPrize, "verlosung"},
    {Concept::kPrize, "u bent geselecteerd"},
    {Concept::kPrize, "je bent geselecteerd"},
    {Concept::kPrize, "winactie"},
    {Concept::kPrize, "você foi selecionado"},
    {Concept::kPrize, "você foi selecionada"},
    {Concept::kPrize, "brinde"},
    {Concept::kPrize, "vous avez été sélectionné"},
    {Concept::kPrize, "jeu concours"},
    {Concept::kPrize, "tirage au sort"},
    {Concept::kPrize, "抽選"},
    {Concept::kPrize, "ご当選"},
    {Concept::kPrize, "無料プレゼント"},
    // Sextortion, beyond English.
    {Concept::kSextortion, "ich habe dich aufgenommen"},
    {Concept::kSextortion, "pornoseite"},
    {Concept::kSextortion, "ik heb je opgenomen"},
    {Concept::kSextortion, "pornosite"},
    {Concept::kSextortion, "site adulto"},
    {Concept::kSextortion, "sites adultos"},
    {Concept::kSextortion, "gravei você"},
    {Concept::kSextortion, "site pour adultes"},
    {Concept::kSextortion, "vidéo compromettante"},
    {Concept::kSextortion, "アダルトサイト"},
    {Concept::kSextortion, "録画しました"},
    {Concept::kSextortion, "i have access to your device"},
    {Concept::kSextortion, "your contacts will receive"},
    {Concept::kSextortion, "j'ai accès à votre appareil"},
    {Concept::kSextortion, "j'ai enregistré"},
    {Concept::kSextortion, "à tous vos contacts"},
    {Concept::kSextortion, "ich habe zugriff auf ihr gerät"},
    {Concept::kSextortion, "an alle ihre kontakte"},
    {Concept::kSextortion, "tenho acesso ao seu dispositivo"},
    {Concept::kSextortion, "tengo acceso a tu dispositivo"},
    {Concept::kSextortion, "ik heb toegang tot je apparaat"},
    // "Urgent: help needed" pretexts: a favour asked of the reader by someone they supposedly
    // know (the boss's gift cards, a friend stranded abroad). Openers, not single words.
    {Concept::kAdvanceFee, "urgent help needed"},
    {Concept::kAdvanceFee, "help needed urgently"},
    {Concept::kAdvanceFee, "i need your help urgently"},
    {Concept::kAdvanceFee, "i need a favor"},
    {Concept::kAdvanceFee, "i need a favour"},
    {Concept::kAdvanceFee, "can you do me a favor"},
    {Concept::kAdvanceFee, "can you do me a favour"},
    {Concept::kAdvanceFee, "are you available now"},
    {Concept::kAdvanceFee, "lost my wallet"},
    {Concept::kPrize, "gift cards"},
    // Callback scams beyond English and Portuguese: the charge, the way out, the call.
    {Concept::kCharge, "verlängert"},
    {Concept::kCharge, "ihre bestellung"},
    {Concept::kCharge, "bestellbestätigung"},
    {Concept::kCharge, "betrag"},
    {Concept::kCharge, "verlengd"},
    {Concept::kCharge, "afgeschreven"},
    {Concept::kCharge, "uw bestelling"},
    {Concept::kCharge, "bedrag"},
    {Concept::kCharge, "renouvelé"},
    {Concept::kCharge, "votre commande"},
    {Concept::kCharge, "confirmation de commande"},
    {Concept::kCharge, "débité"},
    {Concept::kCharge, "montant"},
    {Concept::kCharge, "自動更新"},
    {Concept::kDispute, "nicht autorisiert"},
    {Concept::kDispute, "rückerstattung"},
    {Concept::kDispute, "niet geautoriseerd"},
    {Concept::kDispute, "annuleren"},
    {Concept::kDispute, "terugbetaling"},
    {Concept::kDispute, "pas autorisé"},
    {Concept::kDispute, "remboursement"},
    {Concept::kDispute, "não autorizou"},
    {Concept::kDispute, "não reconhece"},
    {Concept::kCallWord, "appelez-nous"},
    {Concept::kCallWord, "contactez-nous"},
    {Concept::kCallWord, "bel dan"},
    {Concept::kCallWord, "bellen"},
    {Concept::kCallWord, "kontaktieren sie"},
    {Concept::kAdvanceFee, "i am stranded"},
    {Concept::kAdvanceFee, "i'm stranded"},
    {Concept::kAdvanceFee, "ich brauche dringend deine hilfe"},
    {Concept::kAdvanceFee, "bist du gerade erreichbar"},
    {Concept::kAdvanceFee, "ik heb dringend je hulp nodig"},
    {Concept::kAdvanceFee, "preciso da sua ajuda urgente"},
    {Concept::kAdvanceFee, "preciso de um favor"},
    {Concept::kAdvanceFee, "j'ai besoin de votre aide urgente"},
    {Concept::kAdvanceFee, "pouvez-vous me rendre un service"},
    {Concept::kAdvanceFee, "至急お願いしたいことがあります"},
    {Concept::kAdvanceFee, "今お時間ありますか"},
};

bool is_word_byte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
}

// The code point starting at t[at] (a valid UTF-8 sequence; -1 otherwise).
UChar32 code_point_at(std::string_view t, std::size_t at) {
  const auto b0 = static_cast<unsigned char>(t[at]);
  const int len = b0 >= 0xF0 ? 4 : b0 >= 0xE0 ? 3 : b0 >= 0xC0 ? 2 : 0;
  if (len == 0 || at + static_cast<std::size_t>(len) > t.size()) return -1;
  UChar32 cp = b0 & (0x7F >> len);
  for (int k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(t[at + static_cast<std::size_t>(k)]);
    if ((b & 0xC0) != 0x80) return -1;
    cp = (cp << 6) | (b & 0x3F);
  }
  return cp;
}

// Whether a character continues a word: ASCII letters and digits, non-ASCII letters, digits and
// combining marks ("é", "ç"). An emoji or a symbol glued to a word ("pakketmelding📦") is a
// boundary, as a space is.
bool continues_word(UChar32 cp) {
  return cp >= 0 && (u_isalnum(cp) || u_charType(cp) == U_NON_SPACING_MARK);
}

bool word_before(std::string_view t, std::size_t at) {
  if (at == 0) return false;
  const auto c = static_cast<unsigned char>(t[at - 1]);
  if (c < 0x80) return is_word_byte(c);
  std::size_t b = at - 1;
  while (b > 0 && at - b < 4 && (static_cast<unsigned char>(t[b]) & 0xC0) == 0x80) --b;
  return continues_word(code_point_at(t, b));
}

bool word_at(std::string_view t, std::size_t at) {
  if (at >= t.size()) return false;
  const auto c = static_cast<unsigned char>(t[at]);
  if (c < 0x80) return is_word_byte(c);
  return continues_word(code_point_at(t, at));
}

// All phrases in one automaton, built on first use.
const AhoCorasick& automaton() {
  static const AhoCorasick kAutomaton = [] {
    std::vector<std::string_view> texts;
    texts.reserve(std::size(kPhrases));
    for (const auto& p : kPhrases) texts.push_back(p.text);
    return AhoCorasick(texts);
  }();
  return kAutomaton;
}

// Cyrillic and Greek letters that look like Latin ones (after case folding).
UChar32 latin_lookalike(UChar32 c) {
  switch (c) {
    case 0x0430:
      return 'a';
    case 0x0435:
      return 'e';
    case 0x043E:
      return 'o';
    case 0x0440:
      return 'p';
    case 0x0441:
      return 'c';
    case 0x0443:
      return 'y';
    case 0x0445:
      return 'x';
    case 0x0456:
      return 'i';
    case 0x0455:
      return 's';
    case 0x0458:
      return 'j';
    case 0x0501:
      return 'd';
    case 0x04CF:
      return 'l';
    case 0x043A:
      return 'k';
    case 0x043C:
      return 'm';
    case 0x043D:
      return 'h';
    case 0x0442:
      return 't';
    case 0x0432:
      return 'b';
    case 0x0461:
      return 'w';
    case 0x051B:
      return 'q';
    case 0x0475:
      return 'v';
    case 0x03BF:
      return 'o';
    case 0x03B1:
      return 'a';
    case 0x03B5:
      return 'e';
    case 0x03B9:
      return 'i';
    case 0x03BA:
      return 'k';
    case 0x03BD:
      return 'v';
    case 0x03C1:
      return 'p';
    case 0x03C4:
      return 't';
    case 0x03C5:
      return 'u';
    case 0x03C7:
      return 'x';
    case 0x03B7:
      return 'n';
    case 0x0261:
      return 'g';
    default:
      return 0;
  }
}

// Words that mix Latin letters with look-alike Cyrillic/Greek ones ("Amаzon" with a Cyrillic
// а) are folded to Latin so the phrases match; returns how many letters were folded. Words
// entirely in Cyrillic or Greek are real text and stay as they are.
int fold_mixed_script(icu::UnicodeString& u) {
  int folded = 0;
  int32_t i = 0;
  while (i < u.length()) {  // the length shrinks when marks are removed
    const int32_t n = u.length();
    if (!u_isalpha(u.char32At(i))) {
      i = u.moveIndex32(i, 1);
      continue;
    }
    // A word: letters, plus the combining marks and invisible joiners an attacker sprinkles in
    // ("Aܿmܿaܿzܿon", "Pay\u200dPal").
    auto in_word = [](UChar32 c) {
      const int8_t t = u_charType(c);
      return u_isalpha(c) || t == U_NON_SPACING_MARK || t == U_FORMAT_CHAR;
    };
    int32_t j = i;
    // other: a letter of another script that imitates nothing (a Cyrillic word with a stray
    // Latin letter, "Атиковa", is Cyrillic text, not a disguised Latin word).
    bool latin = false, lookalike = false, marks = false, other = false;
    while (j < n && in_word(u.char32At(j))) {
      const UChar32 c = u.char32At(j);
      if (c < 0x80) latin = true;
      if (latin_lookalike(c)) {
        lookalike = true;
      } else if (c >= 0x80 && u_isalpha(c)) {
        UErrorCode err = U_ZERO_ERROR;
        if (uscript_getScript(c, &err) != USCRIPT_LATIN) other = true;
      }
      if (!u_isalpha(c)) marks = true;
      j = u.moveIndex32(j, 1);
    }
    if (latin && !other && (lookalike || marks)) {
      for (int32_t k = i; k < j;) {
        const UChar32 c = u.char32At(k);
        if (const UChar32 l = latin_lookalike(c)) {
          u.replace(k, U16_LENGTH(c), l);
          ++folded;
        } else if (!u_isalpha(c)) {
          u.remove(k, U16_LENGTH(c));
          j -= U16_LENGTH(c);
          ++folded;
          continue;
        }
        k = u.moveIndex32(k, 1);
      }
    }
    i = j;
  }
  return folded;
}

bool is_ascii_upper_letter(char c) {
  return c >= 'A' && c <= 'Z';
}
bool is_ascii_lower_letter(char c) {
  return c >= 'a' && c <= 'z';
}
// Undoes the swaps spammers make inside words so that phrases still match: a lowercase 'l' inside
// a capitalised word ("VlAGRA", "ClALlS") is an 'I'; a capital 'I' after lowercase letters
// ("WaIIet", "PayPaI") is an 'l'; '0' and '1' between letters are 'o' and 'i' ("INF0RMATI0N").
// Returns -1 when nothing was swapped (out untouched), else the number of words written with a
// swapped letter (the deliberate ones: 'l'/'I' swaps and a zero inside a word of five letters).
int unswap_ascii_lookalikes(std::string_view in, std::string* out) {
  int words = 0;
  bool any = false;
  std::size_t i = 0;
  while (i < in.size()) {
    if (!util::is_ascii_alpha(in[i]) && in[i] != '0' && in[i] != '1') {
      ++i;
      continue;
    }
    std::size_t e = i;
    while (e < in.size() && (util::is_ascii_alpha(in[e]) || in[e] == '0' || in[e] == '1')) ++e;
    const std::string_view w = in.substr(i, e - i);
    // Only a word of four or more characters with an 'l', 'I', '0' or '1' can change: the rest
    // (most words) are copied as they are without looking at their letters.
    if (w.size() < 4 || w.find_first_of("lI01") == std::string_view::npos) {
      if (any) out->append(w);
    } else {
      std::size_t letters = 0, upper = 0, upper_not_i = 0, lower = 0;
      bool beyond_hex = false;  // a letter no hexadecimal identifier has
      for (char c : w) {
        letters += util::is_ascii_alpha(c) ? 1 : 0;
        upper += is_ascii_upper_letter(c) ? 1 : 0;
        upper_not_i += is_ascii_upper_letter(c) && c != 'I' ? 1 : 0;
        lower += is_ascii_lower_letter(c) ? 1 : 0;
        if (util::is_ascii_alpha(c) && (c | 0x20) > 'f') beyond_hex = true;
      }
      std::string fixed(w);
      bool deliberate = false;
      if (letters >= 4) {
        for (std::size_t k = 0; k < w.size(); ++k) {
          const char prev = k > 0 ? w[k - 1] : '\0', next = k + 1 < w.size() ? w[k + 1] : '\0';
          if (w[k] == 'l' && is_ascii_upper_letter(prev) &&
              (is_ascii_upper_letter(next) || next == 'l') && upper * 2 > letters) {
            fixed[k] = 'I';
            deliberate = true;
          } else if (w[k] == 'I' && upper_not_i * 2 < letters &&
                     (is_ascii_lower_letter(prev) ||
                      (prev == 'I' && k >= 2 && is_ascii_lower_letter(w[k - 2]))) &&
                     (next == 'I' || prev == 'I' || next == '\0')) {
            fixed[k] = 'l';
            deliberate = true;
          } else if ((w[k] == '0' || w[k] == '1') && util::is_ascii_alpha(prev) &&
                     util::is_ascii_alpha(next)) {
            fixed[k] = w[k] == '0' ? 'O' : 'I';
            if (w[k] == '0' && letters >= 5 && lower == 0 && beyond_hex) deliberate = true;
          }
        }
      }
      // Only words that read as words once unswapped ("Wallet", "VIAGRA", "PayPal", "important"):
      // random identifiers ("KJlmMWtIIEywZ") keep their letters and count for nothing.
      if (fixed != w) {
        std::size_t up = 0, low = 0;
        for (char c : fixed) {
          up += is_ascii_upper_letter(c) ? 1 : 0;
          low += is_ascii_lower_letter(c) ? 1 : 0;
        }
        const bool word_like = up == 0 || low == 0 || (up <= 2 && is_ascii_upper_letter(fixed[0]));
        if (!word_like) {
          fixed.assign(w);
          deliberate = false;
        }
      }
      if (fixed != w) {
        if (!any) {
          out->assign(in.substr(0, i));
          any = true;
        }
        out->append(fixed);
        if (deliberate) ++words;
      } else if (any) {
        out->append(w);
      }
    }
    i = e;
    // Copy what follows the word up to the next word start.
    std::size_t n = i;
    while (n < in.size() && !util::is_ascii_alpha(in[n]) && in[n] != '0' && in[n] != '1') ++n;
    if (any) out->append(in.substr(i, n - i));
    i = n;
  }
  return any ? words : -1;
}
}  // namespace

namespace {

void append_lower_ascii(std::string& out, std::string_view ascii) {
  for (char c : ascii) out.push_back(util::ascii_lower(c));
}

// NFKC case folding, then the mixed-script fold, of text with non-ASCII characters (ICU);
// appends the result and returns how many characters the fold changed.
int fold_unicode(std::string_view utf8, std::string& out) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCCasefoldInstance(status);
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(
      icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
  if (U_SUCCESS(status)) {
    icu::UnicodeString normalized = nfkc->normalize(u, status);
    if (U_SUCCESS(status)) u = normalized;
  }
  const int folded = fold_mixed_script(u);
  u.toUTF8String(out);
  return folded;
}

}  // namespace

std::string normalize(std::string_view utf8, std::size_t max_bytes, int* folded_out) {
  if (folded_out) *folded_out = 0;
  if (utf8.size() > max_bytes) {
    utf8 = utf8.substr(0, max_bytes);
    // Do not cut inside a UTF-8 sequence.
    while (!utf8.empty() && (static_cast<unsigned char>(utf8.back()) & 0xC0) == 0x80)
      utf8.remove_suffix(1);
    if (!utf8.empty() && static_cast<unsigned char>(utf8.back()) >= 0xC0) utf8.remove_suffix(1);
  }
  // Latin letters swapped for look-alike Latin letters or digits ("VlAGRA", "WaIIet", "IMP0RTANT")
  // read as the word they imitate.
  std::string unswapped;
  if (const int swapped = unswap_ascii_lookalikes(utf8, &unswapped); swapped >= 0) {
    if (folded_out) *folded_out += swapped;
    utf8 = unswapped;
  }
  std::string out;
  out.reserve(utf8.size());
  int folded = 0;
  if (util::is_ascii(utf8)) {
    append_lower_ascii(out, utf8);
  } else {
    // Words of pure ASCII (runs between ASCII whitespace) only need lowercasing; only runs of
    // words with other characters go through ICU. Splitting there changes nothing: NFKC never
    // composes across ASCII whitespace, and the mixed-script fold works word by word.
    constexpr std::size_t kNone = std::string_view::npos;
    std::size_t batch_begin = kNone, batch_end = 0;
    std::size_t i = 0;
    const std::size_t n = utf8.size();
    while (i < n) {
      const std::size_t gap_begin = i;
      while (i < n && util::is_ascii_space(utf8[i])) ++i;
      const std::size_t word_begin = i;
      bool ascii = true;
      while (i < n && !util::is_ascii_space(utf8[i])) {
        if (static_cast<unsigned char>(utf8[i]) >= 0x80) ascii = false;
        ++i;
      }
      const std::string_view gap = utf8.substr(gap_begin, word_begin - gap_begin);
      const std::string_view word = utf8.substr(word_begin, i - word_begin);
      if (ascii) {
        if (batch_begin != kNone) {
          folded += fold_unicode(utf8.substr(batch_begin, batch_end - batch_begin), out);
          batch_begin = kNone;
        }
        out.append(gap);
        append_lower_ascii(out, word);
      } else {
        if (batch_begin == kNone) {
          out.append(gap);
          batch_begin = word_begin;
        }
        batch_end = i;
      }
    }
    if (batch_begin != kNone)
      folded += fold_unicode(utf8.substr(batch_begin, batch_end - batch_begin), out);
  }
  if (folded_out) *folded_out += folded;
  // Typographic apostrophes and whitespace runs would otherwise split phrases. Collapsed in
  // place: the result is never longer.
  std::size_t kept = 0;
  bool space = false;
  for (const char c : out) {
    // Words joined by underscores ("_Your_Reward_Worth_") read as words.
    if (c == '\n' || c == '\r' || c == '\t' || c == ' ' || c == '_') {
      if (!space) out[kept++] = ' ';
      space = true;
      continue;
    }
    space = false;
    out[kept++] = c;
  }
  out.resize(kept);
  return out;
}

int invisible_between_letters(std::string_view utf8) {
  // Default-ignorable code points are all outside ASCII.
  if (util::is_ascii(utf8)) return 0;
  auto latin_letter = [](UChar32 c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  // Read straight from UTF-8 (ill-formed bytes count as U+FFFD, neither letter nor ignorable).
  const auto* s = reinterpret_cast<const uint8_t*>(utf8.data());
  const auto n = static_cast<int32_t>(utf8.size());
  auto next = [&](int32_t& at) {
    UChar32 c = 0;
    U8_NEXT(s, at, n, c);
    return c < 0 ? UChar32{0xFFFD} : c;
  };
  auto ignorable = [](UChar32 c) {
    return u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT) != 0;
  };
  int count = 0;
  UChar32 prev = 0;
  int32_t i = 0;
  while (i < n) {
    int32_t after = i;
    const UChar32 c = next(after);
    if (c != 0x00AD && latin_letter(prev) && ignorable(c)) {
      // A run of invisible characters; it counts when a Latin letter follows it.
      int run = 1;
      int32_t j = after;
      UChar32 d = 0;
      while (j < n) {
        int32_t k = j;
        d = next(k);
        if (!ignorable(d)) break;
        ++run;
        j = k;
      }
      if (j < n && latin_letter(d)) count += run;
      i = j;
      prev = 0;
      continue;
    }
    prev = c;
    i = after;
  }
  return count;
}

std::vector<Hit> scan(std::string_view text) {
  std::vector<Hit> hits;
  automaton().run(text, [&](std::uint16_t id, std::size_t end) {
    const Phrase& p = kPhrases[id];
    const std::size_t begin = end - p.text.size();
    if (util::is_ascii(p.text)) {
      const bool left_ok = !word_before(text, begin);
      const bool right_ok = !word_at(text, end);
      if (!left_ok || !right_ok) return;
    }
    if (hits.size() < 4096)
      hits.push_back({p.kind, static_cast<std::uint32_t>(begin),
                      static_cast<std::uint16_t>(p.text.size()), id});
  });
  std::sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) {
    return a.pos != b.pos ? a.pos < b.pos : a.length > b.length;
  });
  // The longest phrase wins: a hit inside a longer hit is dropped, so
  // "配信停止" (unsubscribe) is not also "停止" (suspended), nor "変更はございません" a change.
  std::vector<Hit> kept;
  kept.reserve(hits.size());
  std::size_t cover_end = 0;
  for (const auto& h : hits) {
    const std::size_t end = h.pos + h.length;
    const bool same_span =
        !kept.empty() && kept.back().pos == h.pos && kept.back().length == h.length;
    if (end <= cover_end && !same_span) continue;  // inside a longer phrase already kept
    cover_end = std::max(cover_end, end);
    kept.push_back(h);
  }
  return kept;
}

std::string_view phrase_text(const Hit& h) {
  return kPhrases[h.phrase].text;
}

bool Hits::any(Concept c) const {
  return std::any_of(hits.begin(), hits.end(), [c](const Hit& h) { return h.kind == c; });
}

int Hits::distinct(Concept c) const {
  std::vector<std::uint16_t> seen;
  for (const auto& h : hits)
    if (h.kind == c && std::find(seen.begin(), seen.end(), h.phrase) == seen.end())
      seen.push_back(h.phrase);
  return static_cast<int>(seen.size());
}

namespace {
std::string around(std::string_view text, std::size_t begin, std::size_t end) {
  constexpr std::size_t kPad = 40;
  std::size_t b = begin > kPad ? begin - kPad : 0;
  std::size_t e = std::min(text.size(), end + kPad);
  while (b > 0 && (static_cast<unsigned char>(text[b]) & 0xC0) == 0x80) --b;
  while (e < text.size() && (static_cast<unsigned char>(text[e]) & 0xC0) == 0x80) ++e;
  std::string out;
  if (b > 0) out += "…";
  out.append(text.substr(b, e - b));
  if (e < text.size()) out += "…";
  return out;
}
}  // namespace

bool Hits::near(Concept a, Concept b, std::size_t window, std::string* evidence) const {
  return near_unless(a, b, Concept::kCount, window, evidence);
}

bool Hits::near_unless(Concept a, Concept b, Concept negation, std::size_t window,
                       std::string* evidence) const {
  constexpr std::size_t kNegationReach = 24;
  auto negated = [&](const Hit& y) {
    if (negation == Concept::kCount) return false;
    for (const auto& n : hits) {
      if (n.kind != negation) continue;
      const std::size_t n_end = n.pos + n.length, y_end = y.pos + y.length;
      if (n.pos <= y_end + kNegationReach && n_end + kNegationReach >= y.pos) return true;
    }
    return false;
  };
  for (const auto& x : hits) {
    if (x.kind != a) continue;
    for (const auto& y : hits) {
      if (y.kind != b) continue;
      const std::size_t d = x.pos > y.pos ? x.pos - y.pos : y.pos - x.pos;
      if (d > window || negated(y)) continue;
      if (evidence) {
        const std::size_t begin = std::min(x.pos, y.pos);
        const std::size_t end = std::max<std::size_t>(x.pos + x.length, y.pos + y.length);
        *evidence = around(text, begin, end);
      }
      return true;
    }
  }
  return false;
}

std::string Hits::evidence(Concept c) const {
  for (const auto& h : hits)
    if (h.kind == c) return around(text, h.pos, h.pos + h.length);
  return {};
}

}  // namespace renkei::analysis::lexicon
