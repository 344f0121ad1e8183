// The signal catalog: every signal id the engine can emit, with its default severity and the
// explanation shown to analysts in English and Japanese. Ids are stable (JSON, API, tests).
#include "analysis/analysis.hpp"

namespace renkei::analysis {

std::string_view severity_name(Severity s) {
  switch (s) {
    case Severity::kInfo:
      return "info";
    case Severity::kLow:
      return "low";
    case Severity::kMedium:
      return "medium";
    case Severity::kHigh:
      return "high";
  }
  return "info";
}

const std::vector<SignalInfo>& signal_catalog() {
  using S = Severity;
  static const std::vector<SignalInfo> kCatalog = {
      // ---- 4.1 header and identity tricks ----
      {"reply_to_diverges", S::kHigh, "header",
       "Reply-To points to a different domain than From: a reply goes to someone other than the "
       "apparent sender.",
       "Reply-To（返信先）が "
       "From（差出人）と異なるドメインを指しています。返信すると差出人本人ではなく別の宛先に届きま"
       "す。"},
      {"return_path_diverges", S::kLow, "header",
       "Return-Path (bounce address) is in an unrelated domain, so delivery errors do not reach "
       "the apparent sender.",
       "Return-"
       "Path（不達通知先）が差出人と無関係なドメインです。配達エラーが本来の差出人に届かないよう細"
       "工されている可能性があります。"},
      {"cc_diverted", S::kHigh, "header",
       "A Cc/To entry shows a real person's name with an unrelated address: the victim believes "
       "others are copied while the real people never see the mail.",
       "Cc/To "
       "に実在の人物名が表示されていますが、アドレスは無関係なものです。関係者が同報されているよう"
       "に見せかけ、本人には届かないようにしています。"},
      {"cc_lookalike", S::kHigh, "header",
       "A Cc/To domain imitates another domain of the conversation (lookalike).",
       "Cc/To のドメインが、やり取りに含まれる正規のドメインに似せた詐称用ドメインです。"},
      {"sender_lookalike", S::kHigh, "header",
       "The sender's domain (From / Reply-To / Return-Path) imitates a protected or known domain.",
       "差出人（From / Reply-To / "
       "Return-Path）のドメインが、保護対象または既知のドメインに似せた詐称用ドメインです。"},
      {"freemail_reply_to", S::kMedium, "header",
       "Replies go to a free-mail address although the sender presents itself as a company.",
       "企業を名乗る差出人なのに、返信先（または差出人）がフリーメールのアドレスです。"},
      {"freemail_embeds_identity", S::kHigh, "header",
       "A free-mail address embeds a real identity (name or company domain) in its local part.",
       "フリーメールアドレスのローカル部に、実在する人物名や企業のドメインが埋め込まれています。"},
      {"display_name_has_address", S::kMedium, "header",
       "The display name contains an e-mail address different from the real address.",
       "表示名に、実際のアドレスとは異なるメールアドレスが含まれています。"},
      {"from_mailto_trick", S::kHigh, "header",
       "The From line shows one person's name and address while the mail comes from another "
       "address (\"secured by [mailto:…]\").",
       "From "
       "行に本物の人物名とアドレスを表示しつつ、実際には別のアドレスから送信されています（「secured"
       " by [mailto:…]」の手口）。"},
      {"mdn_to_other", S::kMedium, "header",
       "Delivery/read receipts are requested to an address other than the verified sender's.",
       "配送通知・開封通知（Return-Receipt-To / "
       "Disposition-Notification-To）の送信先が、正規の差出人以外のアドレスです。"},
      {"executive_impersonation", S::kHigh, "header",
       "The display name is a registered executive, but the address is not theirs.",
       "表示名が登録済みの経営者等の名前ですが、アドレスは本人のものではありません。"},
      {"infrastructure_lure_address", S::kMedium, "header",
       "The sender address is dressed up as mail-security infrastructure (secure, tls, smtp, "
       "gateway, relay, 365…) on a domain that is not a provider's.",
       "差出人アドレスが、メールセキュリティ基盤（secure, tls, smtp, gateway, relay, 365 "
       "など）を装っていますが、事業者のドメインではありません。"},
      {"random_sender_domain", S::kMedium, "header",
       "The sender domain looks machine-generated on a cheap top-level domain.",
       "差出人ドメインが、安価なトップレベルドメイン上の機械生成と思われる文字列です。"},
      {"auth_failed", S::kMedium, "header",
       "SPF, DKIM or DMARC failed according to the receiving system's Authentication-Results.",
       "受信側システムの Authentication-Results で SPF・DKIM・DMARC の検証が失敗しています。"},
      {"tracking_beacon", S::kLow, "header",
       "The mail contains an open-tracking beacon (1×1 remote image or tracking URL).",
       "開封を追跡するウェブビーコン（1×1 の外部画像や追跡用 URL）が含まれています。"},
      {"charset_mislabeled", S::kInfo, "header",
       "Text is labelled with the wrong charset; it was decoded with the detected one.",
       "文字コードの指定が実際と異なっています（検出した文字コードで正しく復号しました）。"},
      // ---- 4.2 content and thread tricks ----
      {"payment_change_request", S::kHigh, "content",
       "Asks to send payments to a new or different bank account.",
       "振込先口座の変更（新しい口座・別の口座への送金）を依頼しています。"},
      {"payment_hold_request", S::kHigh, "content", "Asks to hold or delay a payment.",
       "支払いの保留・延期を依頼しています。"},
      {"secrecy_urgency", S::kMedium, "content",
       "Presses for confidentiality, discretion or urgency, or to reply by e-mail only.",
       "機密保持・内密・至急の対応や、メールのみでの返信を求めています。"},
      {"acquisition_pretext", S::kMedium, "content",
       "Uses a confidential acquisition / M&A project as pretext.",
       "企業買収・合併（M&A）などの極秘プロジェクトを口実にしています。"},
      {"counsel_pretext", S::kMedium, "content",
       "Involves an external lawyer or law firm as pretext.",
       "外部の弁護士・法律事務所との連携を口実にしています。"},
      {"crisis_pretext", S::kLow, "content",
       "Uses a crisis (COVID-19, lockdown, vaccines…) as an opener.",
       "新型コロナウイルス・ロックダウン・ワクチンなどの社会情勢を話の取り掛かりにしています。"},
      {"mobile_signoff", S::kLow, "content",
       "Signs off with \"Sent from my iPhone\" or similar, a common prop of executive fraud.",
       "「iPhoneから送信」などの署名があります（経営者なりすましでよく使われます）。"},
      {"thread_hijack", S::kHigh, "content",
       "Replies inside an existing thread from a domain that is not one of the thread's real "
       "participants.",
       "既存のメールのやり取りに、本来の参加者ではないドメインから割り込んでいます。"},
      {"signature_address_removed", S::kMedium, "content",
       "The quoted earlier mail's signature carried the sender's address; the new signature "
       "dropped it.",
       "引用された過去のメールの署名にはメールアドレスがありましたが、今回のメールの署名からは削除"
       "されています。"},
      {"data_request", S::kHigh, "content",
       "Asks for lists of debtors, open cases, contacts or other internal data.",
       "債務者・未解決案件・担当者などの一覧や社内情報を要求しています。"},
      {"credential_lure", S::kMedium, "content",
       "Lures the reader to log in or verify an account through a link.",
       "リンク先でのログインやアカウント確認へ誘導しています。"},
      {"brand_impersonation", S::kHigh, "content",
       "Claims to be a well-known brand from a domain, or a sending host, that is not the "
       "brand's.",
       "有名なブランド・サービスを名乗っていますが、送信元のドメインまたは送信経路はそのブランドの"
       "ものではありません。"},
      {"fictitious_org_lure", S::kMedium, "content",
       "Invokes an invented official-sounding body or a special subsidy/notice.",
       "架空の公的機関らしき組織名や、臨時の助成・特別通知などを騙っています。"},
      {"self_sent_spoof", S::kMedium, "header",
       "The mail claims to come from the recipient's own address, but was sent by someone else.",
       "受信者自身のアドレスを差出人に詐称していますが、実際には別の送信者から送られています。"},
      {"homoglyph_text", S::kMedium, "content",
       "Words are spelled with look-alike Cyrillic/Greek or styled Unicode letters so that filters "
       "do not recognise them (\"Amаzon\" with a Cyrillic а).",
       "キリル文字・ギリシャ文字の似た文字や装飾された Unicode "
       "文字で単語を綴り、フィルタによる検知を逃れようとしています。"},
      {"callback_lure", S::kHigh, "content",
       "Reports a charge, renewal or order the reader never made and gives a phone number to call "
       "to cancel it (callback phishing): the fraud happens on the phone.",
       "身に覚えのない請求・自動更新・注文を知らせ、取り消すために電話するよう求めています（コール"
       "バック型フィッシング）。電話口で金銭や遠隔操作をだまし取る手口です。"},
      {"attachment_password_in_body", S::kHigh, "content",
       "The mail gives the password of its own attachment: a locked file cannot be scanned by "
       "mail gateways (the delivery method of banking trojans and Emotet).",
       "添付ファイルのパスワードがメール本文に記載されています。暗号化されたファイルはメールゲート"
       "ウェイで検査できないため、マルウェア配布で使われる手口です。"},
      {"user_content_link", S::kMedium, "link",
       "A first contact from a free-mail or unauthenticated sender whose only link leads to a page "
       "anyone can publish for free (Google Docs or Forms, a storage bucket, a blog): the "
       "reputable "
       "host carries the phishing page.",
       "フリーメールや認証されていない差出人からの初めてのメールで、リンク先が誰でも無料で公開でき"
       "るページ（Google "
       "ドキュメントやフォーム、ストレージのバケット、ブログなど）だけです。信頼されたドメインを隠"
       "れみのにしたフィッシングの手口です。"},
      {"hash_buster_text", S::kMedium, "content",
       "The text is padded with meaningless numbers so that every copy of the mail differs and "
       "filters cannot recognise it.",
       "本文に意味のない数字の羅列が詰め込まれています。一通ごとに内容を変えて、フィルタによる検知"
       "を逃れるための手口です。"},
      {"scam_lure", S::kMedium, "content",
       "Promises prizes, rewards, crypto-currency or money, or threatens exposure, from a sender "
       "that did not authenticate as itself.",
       "当選・特典・暗号資産・高額の送金などを持ち掛ける、または脅迫する内容で、差出人は送信ドメイ"
       "ン認証で本人と確認されていません。"},
      {"from_header_malformed", S::kMedium, "header",
       "The From header carries words outside the mailbox (a display name cut by an unquoted "
       "comma): mail clients show a phrase that names no sender, while the real mailbox is hidden.",
       "From "
       "ヘッダーの表示名が引用符なしのカンマで分断されるなど、メールボックス以外の語句を含んでいま"
       "す。メールソフトには送信者ではない文言が表示され、実際の送信元アドレスが隠れます。"},
      {"freemail_contact_in_body", S::kMedium, "content",
       "The text asks the reader to write to a free-mail address that is not the sender's: the "
       "conversation is moved to a mailbox no organisation controls (advance-fee, romance, job "
       "scams).",
       "本文で、差出人とは異なるフリーメールのアドレスへ連絡するよう求めています。どの組織も管理し"
       "ていないメールボックスにやり取りを移す手口です（前払い詐欺・恋愛詐欺・求人詐欺など）。"},
      // ---- 4.3 links and attachments ----
      {"link_text_mismatch", S::kHigh, "link",
       "The visible link text shows a different URL or domain than the link's real target.",
       "リンクの表示文字列の URL・ドメインと、実際のリンク先が異なります。"},
      {"idn_homograph", S::kHigh, "link",
       "An internationalised (punycode) domain imitates a Latin-script domain.",
       "国際化ドメイン名（punycode）が、ラテン文字のドメインに似せて作られています。"},
      {"url_shortener", S::kLow, "link",
       "A link goes through a URL shortener or an open redirector, hiding its real target.",
       "短縮 URL またはオープンリダイレクタを経由するリンクで、本当のリンク先が隠されています。"},
      {"ip_address_link", S::kMedium, "link",
       "A link points to a bare IP address instead of a domain name: no organisation sends its "
       "readers to one.",
       "リンク先がドメイン名ではなく IP アドレスそのものです。正規の組織が読者を IP "
       "アドレスへ誘導することはありません。"},
      {"recipient_in_link", S::kMedium, "link",
       "A link to a site that is neither the sender's nor a mail service's carries the recipient's "
       "address: the page is personalised to confirm the address or pre-fill a login form.",
       "差出人のものでもメール配信サービスのものでもないサイトへのリンクに、受信者のメールアドレス"
       "が埋め込まれています。アドレスの有効性確認やログインフォームの自動入力に使われます。"},
      {"document_link_lure", S::kMedium, "attachment",
       "An attached document (PDF) links to an outside site while the mail itself says little: the "
       "link is hidden from mail filters that only read the body.",
       "添付文書（PDF "
       "など）に外部サイトへのリンクがあり、メール本文にはほとんど内容がありません。本文だけを検査"
       "するフィルタからリンクを隠す手口です。"},
      {"encrypted_archive", S::kHigh, "attachment",
       "A password-protected archive is attached: gateways cannot scan it.",
       "パスワード付きの圧縮ファイルが添付されています。ゲートウェイで検査できません。"},
      {"executable_attachment", S::kHigh, "attachment",
       "An executable is attached, directly or inside an archive.",
       "実行ファイルが（直接または圧縮ファイル内に）添付されています。"},
      {"extension_mismatch", S::kHigh, "attachment",
       "An attachment's name or declared type differs from its real content (e.g. double "
       "extension).",
       "添付ファイルの名前・宣言された種類と実際の内容が異なります（二重拡張子など）。"},
      {"macro_document", S::kHigh, "attachment", "An Office document with macros is attached.",
       "マクロを含む Office 文書が添付されています。"},
      {"html_attachment", S::kMedium, "attachment",
       "An HTML attachment is present (phishing form or HTML smuggling).",
       "HTML ファイルが添付されています（フィッシングフォームや HTML スマグリングの可能性）。"},
  };
  return kCatalog;
}

const SignalInfo* find_signal(std::string_view id) {
  for (const auto& s : signal_catalog())
    if (s.id == id) return &s;
  return nullptr;
}

}  // namespace renkei::analysis
