#include "analysis/brands.hpp"

#include <cctype>
#include <unordered_set>

#include "analysis/aho_corasick.hpp"
#include "analysis/context.hpp"

namespace renkei::analysis {

const std::vector<Brand>& brands() {
  static const std::vector<Brand> kBrands = {
      {"Amazon",
       {"amazon", "amazon.co.jp", "アマゾン", "amazonプライム"},
       {"amazon.co.jp", "amazon.com", "amazon.de", "amazon.fr", "amazon.co.uk", "amazon.es",
        "amazon.it", "amazon.ca", "amazon.com.br", "amazonses.com", "amazon.jp", "a2z.com"}},
      {"Apple",
       {"apple", "apple id", "icloud", "itunes", "app store"},
       {"apple.com", "icloud.com", "me.com", "itunes.com"}},
      {"Microsoft",
       {"microsoft", "office 365", "office365", "microsoft 365", "outlook", "onedrive",
        "sharepoint", "microsoft teams", "マイクロソフト"},
       {"microsoft.com", "office.com", "office365.com", "outlook.com", "live.com",
        "microsoftonline.com", "sharepoint.com", "onmicrosoft.com", "hotmail.com",
        "microsoftstore.com", "skype.com"}},
      {"Zoom", {"zoom", "zoom meeting", "zoom video"}, {"zoom.us", "zoom.com", "zoomgov.com"}},
      {"Google",
       {"google", "gmail", "google drive", "google workspace"},
       {"google.com", "gmail.com", "googlemail.com", "youtube.com"}},
      {"PayPal", {"paypal"}, {"paypal.com", "paypal.jp", "paypal.de", "paypal.co.uk"}},
      {"Netflix", {"netflix"}, {"netflix.com", "netflix.net"}},
      {"DHL", {"dhl"}, {"dhl.com", "dhl.de", "dhl.co.jp", "dpdhl.com"}},
      {"FedEx", {"fedex"}, {"fedex.com"}},
      {"DocuSign", {"docusign"}, {"docusign.com", "docusign.net"}},
      {"Dropbox", {"dropbox"}, {"dropbox.com", "dropboxmail.com"}},
      {"Adobe", {"adobe", "adobe sign", "acrobat"}, {"adobe.com", "adobesign.com", "echosign.com"}},
      {"Facebook",
       {"facebook", "instagram", "whatsapp"},
       {"facebook.com", "facebookmail.com", "meta.com", "instagram.com", "whatsapp.com"}},
      {"LinkedIn", {"linkedin"}, {"linkedin.com"}},
      {"Coinbase", {"coinbase"}, {"coinbase.com"}},
      {"Binance", {"binance"}, {"binance.com"}},
      {"MetaMask", {"metamask"}, {"metamask.io"}},
      {"Norton", {"norton"}, {"norton.com", "nortonlifelock.com"}},
      {"McAfee", {"mcafee"}, {"mcafee.com"}},
      {"Bradesco", {"bradesco"}, {"bradesco.com.br"}},
      {"Banco do Brasil", {"banco do brasil"}, {"bb.com.br"}},
      {"Itaú", {"itau", "itaú"}, {"itau.com.br"}},
      {"Caixa", {"caixa"}, {"caixa.gov.br"}},
      {"Santander",
       {"santander"},
       {"santander.com.br", "santander.com", "santander.co.uk", "santander.es"}},
      {"Temu", {"temu"}, {"temu.com"}},
      {"Mercado Livre",
       {"mercado livre", "mercadolivre", "mercado libre"},
       {"mercadolivre.com.br", "mercadolibre.com"}},
      {"Wells Fargo", {"wells fargo"}, {"wellsfargo.com"}},
      {"Chase", {"chase bank", "jpmorgan chase"}, {"chase.com", "jpmorgan.com"}},
      {"Bank of America", {"bank of america"}, {"bankofamerica.com", "bofa.com"}},
      {"USPS", {"usps"}, {"usps.com"}},
      {"Spotify", {"spotify"}, {"spotify.com"}},
      {"Rakuten",
       {"楽天", "rakuten"},
       {"rakuten.co.jp", "rakuten.com", "rakuten-card.co.jp", "rakuten-bank.co.jp", "rakuten.jp"}},
      {"三井住友カード",
       {"三井住友カード", "三井住友銀行", "smbc", "vpass"},
       {"smbc-card.com", "smbc.co.jp", "vpass.ne.jp", "smbc-card.co.jp"}},
      {"JCB", {"jcb", "myjcb"}, {"jcb.co.jp", "jcb.jp", "jcb-card.jp", "jcbcard.jp"}},
      {"イオンカード",
       {"イオンカード", "イオン銀行", "aeon card"},
       {"aeon.co.jp", "aeon.com", "aeonbank.co.jp", "aeon.jp"}},
      {"三菱UFJ銀行", {"三菱ufj", "mufg"}, {"mufg.jp", "bk.mufg.jp", "cr.mufg.jp"}},
      {"みずほ銀行", {"みずほ銀行", "mizuho"}, {"mizuhobank.co.jp", "mizuho-fg.co.jp"}},
      {"ゆうちょ銀行", {"ゆうちょ", "japan post bank"}, {"jp-bank.japanpost.jp", "japanpost.jp"}},
      {"りそな銀行", {"りそな"}, {"resonabank.co.jp", "resona-gr.co.jp"}},
      {"国税庁", {"国税庁", "e-tax"}, {"nta.go.jp", "e-tax.nta.go.jp"}},
      {"ETC利用照会サービス",
       {"etc利用照会", "etcサービス", "etc利用", "etcマイレージ"},
       {"etc-meisai.jp", "smile-etc.jp", "go-etc.jp"}},
      {"NTTドコモ", {"docomo", "ドコモ"}, {"docomo.ne.jp", "nttdocomo.co.jp", "docomo.jp"}},
      {"au", {"au pay", "auかんたん決済", "au id"}, {"au.com", "kddi.com", "auone.jp"}},
      {"SoftBank",
       {"softbank", "ソフトバンク"},
       {"softbank.jp", "softbank.ne.jp", "softbank.co.jp"}},
      {"ヤマト運輸",
       {"ヤマト運輸", "クロネコ", "kuroneko"},
       {"kuronekoyamato.co.jp", "yamato-hd.co.jp"}},
      {"佐川急便", {"佐川急便", "sagawa"}, {"sagawa-exp.co.jp"}},
      {"日本郵便", {"日本郵便", "japan post"}, {"post.japanpost.jp", "japanpost.jp"}},
      {"メルカリ", {"メルカリ", "mercari"}, {"mercari.com", "mercari.jp"}},
      {"えきねっと", {"えきねっと", "eki-net"}, {"eki-net.com", "jreast.co.jp"}},
      {"エポスカード", {"エポスカード", "epos"}, {"eposcard.co.jp"}},
      {"セゾンカード", {"セゾン", "saison"}, {"saisoncard.co.jp", "saison.co.jp"}},
      {"ビューカード", {"ビューカード", "view card"}, {"viewcard.co.jp"}},
      {"LINE", {"line pay"}, {"line.me", "linecorp.com"}},
      {"PayPay", {"paypay"}, {"paypay.ne.jp", "paypay-bank.co.jp"}},
      {"IRS", {"irs", "irs.gov", "internal revenue service"}, {"irs.gov"}},
      {"Ledger",
       {"ledger live", "ledger nano", "ledger wallet", "ledger.com", "l e d g e r"},
       {"ledger.com"}},
      {"Trust Wallet", {"trust wallet", "trustwallet"}, {"trustwallet.com"}},
      {"PagSeguro", {"pagseguro", "pagbank"}, {"pagseguro.com.br", "pagbank.com.br", "uol.com.br"}},
      {"Mercado Pago",
       {"mercado pago", "mercadopago"},
       {"mercadopago.com.br", "mercadopago.com", "mercadolivre.com.br"}},
      {"Tesla", {"tesla"}, {"tesla.com"}},
      {"OpenSea", {"opensea"}, {"opensea.io"}},
      {"Ripple", {"ripple"}, {"ripple.com"}},
      {"東京電力", {"東京電力", "tepco"}, {"tepco.co.jp"}},
      {"Exodus", {"exodus wallet"}, {"exodus.com", "exodus.io"}},
      {"Stellar", {"stellar lumens", "stellar network"}, {"stellar.org"}},
      {"Tether", {"tether", "usdt"}, {"tether.to"}},
      {"zkSync", {"zksync"}, {"zksync.io"}},
      {"Kraken", {"kraken"}, {"kraken.com"}},
      {"Proton", {"proton mail", "protonmail"}, {"proton.me", "protonmail.com", "proton.ch"}},
  };
  return kBrands;
}

namespace {
bool word_byte(unsigned char c) {
  return std::isalnum(c) || c >= 0x80;
}
}  // namespace

std::vector<bool> brands_mentioned(std::string_view text) {
  struct Keywords {
    std::vector<std::size_t> brand;  // keyword index -> brand index
    std::vector<bool> ascii;
    std::vector<std::size_t> length;
    AhoCorasick automaton;
  };
  static const Keywords kKeywords = [] {
    std::vector<std::string_view> words;
    std::vector<std::size_t> brand, length;
    std::vector<bool> ascii;
    for (std::size_t i = 0; i < brands().size(); ++i)
      for (std::string_view k : brands()[i].keywords) {
        words.push_back(k);
        brand.push_back(i);
        length.push_back(k.size());
        bool a = true;
        for (char c : k)
          if (static_cast<unsigned char>(c) >= 0x80) a = false;
        ascii.push_back(a);
      }
    return Keywords{std::move(brand), std::move(ascii), std::move(length), AhoCorasick(words)};
  }();
  std::vector<bool> named(brands().size(), false);
  kKeywords.automaton.run(text, [&](std::uint16_t k, std::size_t end) {
    const std::size_t pos = end - kKeywords.length[k];
    if (kKeywords.ascii[k]) {
      const bool left = pos == 0 || !word_byte(static_cast<unsigned char>(text[pos - 1]));
      const bool right = end >= text.size() || !word_byte(static_cast<unsigned char>(text[end]));
      if (!left || !right) return;
    }
    named[kKeywords.brand[k]] = true;
  });
  return named;
}

bool brand_owns(const Brand& b, std::string_view domain) {
  if (domain.empty()) return false;
  const std::string d = util::ascii_lower(domain);
  const std::string reg = registrable(d);
  for (std::string_view bd : b.domains) {
    if (reg == bd || d == bd) return true;
    if (d.size() > bd.size() && d.compare(d.size() - bd.size(), bd.size(), bd) == 0 &&
        d[d.size() - bd.size() - 1] == '.')
      return true;
  }
  return false;
}

bool any_brand_owns(std::string_view domain) {
  if (domain.empty()) return false;
  static const std::unordered_set<std::string_view> kOwned = [] {
    std::unordered_set<std::string_view> set;
    for (const Brand& b : brands())
      for (std::string_view bd : b.domains) set.insert(bd);
    return set;
  }();
  const std::string d = util::ascii_lower(domain);
  if (kOwned.count(registrable(d)) > 0) return true;
  // The domain itself or any parent of it ("login.microsoftonline.com" -> "microsoftonline.com").
  for (std::string_view rest = d; !rest.empty();) {
    if (kOwned.count(rest) > 0) return true;
    const std::size_t dot = rest.find('.');
    if (dot == std::string_view::npos) break;
    rest.remove_prefix(dot + 1);
  }
  return false;
}

std::optional<lookalike::Match> imitated_brand_domain(std::string_view domain) {
  if (domain.empty()) return std::nullopt;
  auto m = brand_domains().check(domain);
  if (!m || m->score < 75) return std::nullopt;
  if (m->techniques.size() == 1 && m->techniques.front() == lookalike::Technique::kTldSwap)
    return std::nullopt;
  return m;
}

}  // namespace renkei::analysis
