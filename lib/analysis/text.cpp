// Human-readable report for terminals: what is suspicious and why, in English or Japanese.
#include <sstream>

#include "analysis/analysis.hpp"
#include "content/content.hpp"

namespace renkei::analysis {
namespace {

struct Style {
  bool on;
  std::string c(const char* code, const std::string& s) const {
    return on ? std::string("\x1b[") + code + "m" + s + "\x1b[0m" : s;
  }
};

const char* severity_color(Severity s) {
  switch (s) {
    case Severity::kHigh:
      return "1;31";
    case Severity::kMedium:
      return "33";
    case Severity::kLow:
      return "36";
    case Severity::kInfo:
      return "2";
  }
  return "0";
}

std::string class_label(const std::string& k, bool ja) {
  if (!ja) return k;
  if (k == "bec") return "ビジネスメール詐欺 (BEC)";
  if (k == "phishing") return "フィッシング";
  if (k == "malware") return "ウイルスメール";
  if (k == "scam") return "詐欺";
  if (k == "spam") return "迷惑メール";
  if (k == "benign") return "問題なし";
  return "不明";
}

std::string bec_type_label(int t, bool ja) {
  static const char* const kEn[] = {"",
                                    "invoice / partner impersonation",
                                    "executive impersonation",
                                    "lawyer / authority impersonation",
                                    "compromised employee account",
                                    "theft of information"};
  static const char* const kJa[] = {"",
                                    "取引先との請求書の偽装",
                                    "経営者等へのなりすまし",
                                    "弁護士等へのなりすまし",
                                    "従業員のメールアカウントの乗っ取り",
                                    "詐欺の準備行為と思われる情報の詐取"};
  if (t < 1 || t > 5) return {};
  return ja ? kJa[t] : kEn[t];
}

}  // namespace

std::string to_text(const Analysis& a, std::string_view lang, bool color) {
  const bool ja = lang == "ja";
  const Style st{color};
  std::ostringstream o;
  o << st.c("1", a.source) << "\n";
  const auto& v = a.verdict;
  const char* vcolor = v.malicious() ? "1;31" : (v.klass == "spam" ? "33" : "32");
  o << "  " << (ja ? "判定: " : "verdict: ") << st.c(vcolor, class_label(v.klass, ja));
  if (v.bec_type)
    o << " — " << (ja ? "タイプ" : "type ") << *v.bec_type << " "
      << bec_type_label(*v.bec_type, ja);
  o << "  (" << (ja ? "スコア " : "score ") << v.score << ", "
    << (ja ? (v.targeting == "targeted" ? "標的型"
              : v.targeting == "mass"   ? "ばらまき型"
                                        : "標的不明")
           : v.targeting)
    << ")\n";
  o << "  " << (ja ? "件名: " : "subject: ") << a.subject << "\n";
  o << "  From: " << (a.from.name.empty() ? "" : a.from.name + " ") << "<" << a.from.address << ">";
  if (!a.from_trailing.empty()) o << " " << a.from_trailing;
  o << "\n";
  for (const auto& r : a.reply_to)
    o << "  Reply-To: " << (r.name.empty() ? "" : r.name + " ") << "<" << r.address << ">\n";
  if (!a.return_path.empty()) o << "  Return-Path: <" << a.return_path << ">\n";
  if (a.envelope)
    o << "  " << (ja ? "転送報告の送信者: " : "reported by: ") << a.envelope->from.address << "\n";
  if (!a.signals.empty()) o << "  " << (ja ? "検知した手口:" : "signals:") << "\n";
  for (const auto& s : a.signals) {
    const SignalInfo* info = find_signal(s.id);
    o << "    "
      << st.c(severity_color(s.severity),
              "[" + std::string(severity_name(s.severity)) + "] " + s.id)
      << "\n";
    if (info) o << "      " << (ja ? info->ja : info->en) << "\n";
    if (!s.evidence.empty())
      o << "      " << st.c("2", (ja ? "根拠: " : "evidence: ") + s.evidence) << "\n";
  }
  if (!a.attachments.empty()) {
    o << "  " << (ja ? "添付ファイル:" : "attachments:") << "\n";
    for (const auto& at : a.attachments) {
      o << "    " << (at.filename.empty() ? "(no name)" : at.filename) << "  "
        << at.inspection.real_type << "  " << at.inspection.size << " B";
      if (!at.inspection.hashes.sha256.empty()) o << "  sha256:" << at.inspection.hashes.sha256;
      o << "\n";
      for (const auto& e : at.inspection.entries)
        o << "      └ " << e.path << (e.encrypted ? (ja ? " (暗号化)" : " (encrypted)") : "")
          << (e.executable ? (ja ? " (実行ファイル)" : " (executable)") : "") << "\n";
    }
  }
  int shown = 0;
  for (const auto& i : a.indicators) {
    if (i.type == "file") continue;
    if (shown == 0) o << "  " << (ja ? "IoC（無害化表記）:" : "indicators (defanged):") << "\n";
    if (++shown > 15) {
      o << "    …\n";
      break;
    }
    o << "    " << i.type << "  " << content::defang(i.value) << "  (" << i.role << ")\n";
  }
  for (const auto& l : a.limits_hit)
    o << "  " << st.c("33", (ja ? "制限: " : "limit hit: ") + l.name + " — " + l.detail) << "\n";
  for (std::size_t i = 0; i < a.errors.size() && i < 5; ++i)
    o << "  " << st.c("2", (ja ? "入力の損傷: " : "damage: ") + a.errors[i]) << "\n";
  return o.str();
}

}  // namespace renkei::analysis
