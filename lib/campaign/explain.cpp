// What ties a campaign together, in words an analyst can check against the mails (campaign.hpp).
#include <algorithm>
#include <set>

#include "campaign/campaign.hpp"

namespace renkei::campaign {
namespace {

struct Counted {
  std::string value;  // the key without its prefix
  std::int64_t count = 0;
};

// The keys with this prefix, most members first, then alphabetically.
std::vector<Counted> with_prefix(const std::map<std::string, std::int64_t>& keys,
                                 std::string_view prefix) {
  std::vector<Counted> out;
  for (auto it = keys.lower_bound(std::string(prefix));
       it != keys.end() && it->first.compare(0, prefix.size(), prefix) == 0; ++it) {
    out.push_back(Counted{it->first.substr(prefix.size()), it->second});
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const Counted& a, const Counted& b) { return a.count > b.count; });
  return out;
}

std::int64_t total(const std::vector<Counted>& v) {
  std::int64_t n = 0;
  for (const auto& c : v) n += c.count;
  return n;
}

std::string join(const std::vector<Counted>& v, std::size_t max, std::string_view sep,
                 bool quote = false) {
  std::string out;
  for (std::size_t i = 0; i < v.size() && i < max; ++i) {
    if (i != 0) out += sep;
    out += quote ? "'" + v[i].value + "'" : v[i].value;
  }
  if (v.size() > max) out += std::string(sep) + "…";
  return out;
}

std::string tld_of(const std::string& domain) {
  const auto dot = domain.find('.');
  return dot == std::string::npos ? domain : domain.substr(dot);
}

std::string class_en(std::string_view c) {
  if (c == "mailsec") return "mail-security words";
  if (c == "celestial") return "celestial names";
  if (c == "service") return "mail-service words";
  if (c == "role") return "mailbox roles";
  return std::string(c);
}
std::string class_ja(std::string_view c) {
  if (c == "mailsec") return "メールセキュリティ関連の単語";
  if (c == "celestial") return "天体名";
  if (c == "service") return "メールサービス関連の単語";
  if (c == "role") return "役割名";
  return std::string(c);
}

}  // namespace

Explanation explain(const std::map<std::string, std::int64_t>& keys, std::int64_t members) {
  Explanation e;
  const std::int64_t shared = std::max<std::int64_t>(2, (members + 1) / 3);  // a third, ≥ 2
  auto line = [&](std::string en, std::string ja) {
    e.lines_en.push_back(std::move(en));
    e.lines_ja.push_back(std::move(ja));
  };
  const std::string n = std::to_string(members);

  // The same mailbox behind changing display names.
  const auto mailboxes = with_prefix(keys, "M:");
  const auto names = with_prefix(keys, "Y:");
  for (const auto& m : mailboxes) {
    if (m.count < shared) break;
    std::string en = "the same mailbox " + m.value + " in " + std::to_string(m.count) + " mails";
    std::string ja =
        "同じメールアドレス " + m.value + " を " + std::to_string(m.count) + " 通で使用";
    if (names.size() >= 2) {
      en += " behind " + std::to_string(names.size()) + " display names";
      ja += "（表示名は " + std::to_string(names.size()) + " 種類）";
    }
    line(en, ja);
    break;
  }

  // Sender vocabulary and domains.
  const auto words = with_prefix(keys, "W:");
  const auto local_shapes = with_prefix(keys, "L:");
  const auto domain_shapes = with_prefix(keys, "N:");
  if (total(local_shapes) >= shared || total(domain_shapes) >= shared) {
    std::map<std::string, std::vector<Counted>> by_class;
    for (const auto& w : words) {
      const auto colon = w.value.find(':');
      if (colon == std::string::npos) continue;
      by_class[w.value.substr(0, colon)].push_back(Counted{w.value.substr(colon + 1), w.count});
    }
    std::string en = "sender names built from ", ja = "送信元のアドレスが";
    bool first = true;
    for (const auto& cls : {"mailsec", "celestial", "service", "role"}) {
      const auto it = by_class.find(cls);
      if (it == by_class.end()) continue;
      en += (first ? "" : " + ") + class_en(cls) + " (" + join(it->second, 5, ", ") + ")";
      ja += (first ? "" : "と") + class_ja(cls) + "（" + join(it->second, 5, "、") + "）";
      first = false;
    }
    if (!first) line(en, ja + "の組み合わせ");
  }
  const auto domains = with_prefix(keys, "D:");
  if (!domains.empty() && (domains.size() >= 2 || domains.front().count >= shared)) {
    std::set<std::string> tlds;
    for (const auto& d : domains) tlds.insert(tld_of(d.value));
    std::string tl;
    for (const auto& t : tlds) tl += (tl.empty() ? "" : "/") + t;
    line("sender domains on " + tl + ": " + join(domains, 6, ", "),
         "送信元ドメイン（" + tl + "）: " + join(domains, 6, "、"));
  }
  for (const auto& g : with_prefix(keys, "G:")) {
    if (g.count < shared) break;
    line("generated domains: " + g.value + " (random letters) in " + std::to_string(g.count) +
             " mails",
         "ランダムな文字列のドメイン " + g.value + "（" + std::to_string(g.count) + " 通）");
    break;
  }

  // Subjects.
  const auto subjects = with_prefix(keys, "R:");
  const auto templates = with_prefix(keys, "T:");
  const auto normalised = with_prefix(keys, "S:");
  const std::int64_t most = std::max<std::int64_t>(2, (members + 1) / 2);
  const bool by_template = !templates.empty() && templates.front().count >= most &&
                           normalised.size() >= 2 &&
                           normalised.front().count < templates.front().count;
  if (by_template) {
    line("subjects '" + templates.front().value + "' (" + join(subjects, 4, ", ", true) + ")",
         "件名「" + templates.front().value + "」（" + join(subjects, 4, "、", true) + "）");
  } else if (normalised.size() == 1 && normalised.front().count >= shared) {
    line("subject " + join(subjects, 1, ", ", true), "件名 " + join(subjects, 1, "、", true));
  } else if (!normalised.empty() && normalised.front().count >= shared) {
    line("subjects " + join(subjects, 4, ", ", true) + " (" + std::to_string(normalised.size()) +
             " variants)",
         "件名 " + join(subjects, 4, "、", true) + "（" + std::to_string(normalised.size()) +
             " 種類）");
  }

  // Body.
  std::int64_t body = 0;
  for (const auto& b : with_prefix(keys, "B:")) body = std::max(body, b.count);
  if (body >= shared) {
    line("near-identical body text (" + std::to_string(body) + " mails share most of it)",
         "本文がほぼ同一（" + std::to_string(body) + " 通）");
  }

  // Links, infrastructure, attachments.
  const auto links = with_prefix(keys, "K:");
  if (!links.empty() && links.front().count >= shared) {
    line("links to " + join(links, 5, ", "), "リンク先 " + join(links, 5, "、"));
  }
  for (const auto& v : with_prefix(keys, "V:")) {
    if (v.count < shared) break;
    line("sent through " + v.value, v.value + " 経由で送信");
    break;
  }
  const auto hosts = with_prefix(keys, "H:");
  if (!hosts.empty() && hosts.front().count >= shared) {
    line("sent from " + join(hosts, 3, ", "), "送信元 " + join(hosts, 3, "、"));
  }
  const auto mailers = with_prefix(keys, "X:");
  if (!mailers.empty() && mailers.front().count >= shared) {
    line("mail program '" + mailers.front().value + "'",
         "メールソフト「" + mailers.front().value + "」");
  }
  for (const auto& a : with_prefix(keys, "A:")) {
    if (a.count < shared) break;
    line("the same attachment (SHA-256 " + a.value.substr(0, 16) + "…) in " +
             std::to_string(a.count) + " mails",
         "同一の添付ファイル（SHA-256 " + a.value.substr(0, 16) + "…）を " +
             std::to_string(a.count) + " 通で確認");
    break;
  }
  const auto files = with_prefix(keys, "F:");
  if (!files.empty() && files.front().count >= shared) {
    line("attachment names " + join(files, 3, ", ", true),
         "添付ファイル名 " + join(files, 3, "、", true));
  }

  // The lure.
  for (const auto& i : with_prefix(keys, "I:")) {
    if (i.count < shared) break;
    if (i.value == "executive") {
      line("impersonates each target's executive", "標的組織の経営者等になりすまし");
    } else {
      line("look-alike domains (" + i.value.substr(i.value.find(':') + 1) + ")",
           "類似ドメイン（" + i.value.substr(i.value.find(':') + 1) + "）");
    }
  }
  const auto classes = with_prefix(keys, "C:");
  if (!classes.empty() && classes.front().count >= shared) {
    const std::string& c = classes.front().value;
    line("judged " + c, "判定 " + c);
  }

  if (members == 1) {
    e.lines_en.insert(e.lines_en.begin(), "a single mail: nothing ties it to another one yet");
    e.lines_ja.insert(e.lines_ja.begin(), "単独のメール（他のメールとの共通点は未確認）");
  } else if (e.lines_en.empty()) {
    line("several weaker traits in common (see the members)",
         "複数の弱い共通点あり（各メールを参照）");
  }
  for (std::size_t i = 0; i < e.lines_en.size(); ++i) {
    e.en += (i == 0 ? "" : "; ") + e.lines_en[i];
    e.ja += (i == 0 ? "" : "／") + e.lines_ja[i];
  }

  // The name: the subject template or the most common subject, and the sender side.
  std::string subject;
  if (by_template && !subjects.empty()) {
    // The template in the case it was written: "Project *" from "Project Lancelot".
    const std::string& t = templates.front().value;
    const std::size_t open = static_cast<std::size_t>(
        std::count(t.begin(), t.begin() + static_cast<std::ptrdiff_t>(t.find('*')), ' '));
    std::vector<std::string> written;
    std::string w;
    for (const char ch : subjects.front().value + " ") {
      if (ch == ' ') {
        if (!w.empty()) written.push_back(w);
        w.clear();
      } else {
        w += ch;
      }
    }
    if (open < written.size()) written[open] = "*";
    for (const auto& x : written) subject += (subject.empty() ? "" : " ") + x;
  } else if (!subjects.empty()) {
    subject = subjects.front().value;
  }
  if (subject.size() > 60) {
    std::size_t cut = 60;
    while (cut > 0 && (static_cast<unsigned char>(subject[cut]) & 0xC0) == 0x80) --cut;
    subject = subject.substr(0, cut) + "…";
  }
  std::string sender;
  if (const auto g = with_prefix(keys, "G:"); !g.empty() && g.front().count >= shared) {
    sender = g.front().value;
  } else if (!domains.empty()) {
    sender = domains.front().value;
  } else if (!mailboxes.empty()) {
    sender = mailboxes.front().value;
  }
  e.name = subject.empty() ? sender : sender.empty() ? subject : subject + " — " + sender;
  if (e.name.empty()) e.name = "campaign";
  return e;
}

}  // namespace renkei::campaign
