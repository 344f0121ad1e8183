// split_text: new text / quoted thread / signature of a plain-text body, for English, Japanese,
// Spanish, French and German mail clients.
#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "content/content.hpp"
#include "content/text_util.hpp"

namespace renkei::content {
namespace {

// The structure of a mail is decided by its first lines; beyond this the rest is attached to the
// last region found (a 10 MB body would otherwise cost a line table of its own size).
constexpr std::size_t kMaxScanLines = 20000;
constexpr std::size_t kMaxScanBytes = 2u << 20;
// A closing phrase starts a signature only if at most this many lines follow it.
constexpr std::size_t kMaxSignatureLines = 10;
// How much of the quoted message's tail is kept where its signature usually sits.
constexpr std::size_t kQuotedSignatureLines = 15;
// Outlook header blocks: how far after "From:" the "Sent:/To:/Subject:" lines may be.
constexpr std::size_t kHeaderBlockLookahead = 5;
// Longer lines are prose, not attributions or closings.
constexpr std::size_t kMaxAttributionBytes = 400;
constexpr std::size_t kMaxClosingBytes = 80;

constexpr std::string_view kFullWidthQuote = "\xEF\xBC\x9E";  // ＞
constexpr std::string_view kFullWidthColon = "\xEF\xBC\x9A";  // ：

std::string_view rtrim(std::string_view s) {
  while (!s.empty() && util::is_c_space(s.back())) s.remove_suffix(1);
  return s;
}

bool blank(std::string_view line) {
  return util::trim_c_space(line).empty();
}

// Number of quote marks ('>' or full-width '＞', spaces between allowed) and the rest.
std::size_t quote_depth(std::string_view line, std::string_view* rest = nullptr) {
  std::size_t depth = 0;
  std::size_t i = 0;
  std::size_t after = 0;
  while (i < line.size()) {
    if (line[i] == ' ' || line[i] == '\t') {
      ++i;
    } else if (line[i] == '>') {
      ++depth;
      after = ++i;
    } else if (line.substr(i).starts_with(kFullWidthQuote)) {
      ++depth;
      i += kFullWidthQuote.size();
      after = i;
    } else {
      break;
    }
  }
  if (rest != nullptr) {
    std::string_view r = depth > 0 ? line.substr(after) : line;
    if (depth > 0 && !r.empty() && r.front() == ' ') r.remove_prefix(1);
    *rest = r;
  }
  return depth;
}

// "Name:" or "Name：" at the start of a line (ASCII names case-insensitive).
bool has_field(std::string_view line, std::string_view name) {
  line = util::trim_c_space(line);
  if (!util::istarts_with_ascii(line, name)) return false;
  std::string_view rest = line.substr(name.size());
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  return rest.starts_with(':') || rest.starts_with(kFullWidthColon);
}

template <std::size_t N>
bool has_any_field(std::string_view line, const std::array<std::string_view, N>& names) {
  for (std::string_view n : names)
    if (has_field(line, n)) return true;
  return false;
}

constexpr std::array<std::string_view, 8> kFromFields{"From", "差出人", "送信者", "De",
                                                      "Von",  "Da",     "Van",    "発信者"};
constexpr std::array<std::string_view, 24> kOtherHeaderFields{
    "Sent",  "Date",     "To", "Cc",      "Subject", "Reply-To", "送信日時",   "日付",
    "宛先",  "件名",     "CC", "Enviado", "Envoyé",  "Para",     "À",          "Asunto",
    "Objet", "Gesendet", "An", "Betreff", "Fecha",   "Datum",    "Importance", "重要度"};

// Dashed separators: "-----Original Message-----", "---------- Forwarded message ---------",
// "-----元のメッセージ-----", "-----Mensaje original-----", "-----Message d'origine-----".
bool is_dashed_separator(std::string_view line) {
  line = util::trim_c_space(line);
  if (line.size() < 8 || line.size() > kMaxAttributionBytes || !line.starts_with("--"))
    return false;
  std::string_view inner = line;
  while (!inner.empty() && inner.front() == '-') inner.remove_prefix(1);
  while (!inner.empty() && inner.back() == '-') inner.remove_suffix(1);
  const std::string lower = util::ascii_lower(util::trim_c_space(inner));
  for (std::string_view phrase :
       {"original message", "forwarded message", "mensaje original", "mensaje reenviado",
        "message d'origine", "message original", "message transféré", "ursprüngliche nachricht",
        "weitergeleitete nachricht", "元のメッセージ", "転送メッセージ", "転送されたメッセージ",
        "オリジナルメッセージ", "original mail"}) {
    if (lower.find(phrase) != std::string::npos) return true;
  }
  return false;
}

bool is_underscore_rule(std::string_view line) {
  line = util::trim_c_space(line);
  if (line.size() < 10) return false;
  for (char c : line)
    if (c != '_') return false;
  return true;
}

// "On Mon, 1 Jan 2024 at 10:00, Bob <bob@b.example> wrote:" and its translations; Gmail's
// Japanese "2024年1月1日(月) 10:00 山田太郎 <taro@example.jp>:".
bool ends_attribution(std::string_view line) {
  line = rtrim(line);
  if (line.size() > kMaxAttributionBytes) return false;
  for (std::string_view end : {"wrote:", "escribió:", "a écrit :", "a écrit:", "schrieb:",
                               "のメッセージ:", "書きました:", "wrote：", "書きました："}) {
    if (line.size() >= end.size() &&
        util::iequals_ascii(line.substr(line.size() - end.size()), end))
      return true;
  }
  return false;
}

bool starts_attribution(std::string_view line) {
  line = util::trim_c_space(line);
  return util::istarts_with_ascii(line, "On ") || util::istarts_with_ascii(line, "El ") ||
         util::istarts_with_ascii(line, "Le ") || util::istarts_with_ascii(line, "Am ") ||
         (!line.empty() && util::is_ascii_digit(line.front()));
}

bool is_japanese_gmail_attribution(std::string_view line) {
  line = rtrim(line);
  return line.size() <= kMaxAttributionBytes && !line.empty() &&
         util::is_ascii_digit(util::trim_c_space(line).front()) &&
         line.find("\xE5\xB9\xB4") != std::string_view::npos &&  // 年
         (line.ends_with(">:") || line.ends_with(">"
                                                 "\xEF\xBC\x9A"));
}

class Splitter {
 public:
  explicit Splitter(std::string_view body) : body_(body) {
    std::size_t pos = 0;
    while (pos < body.size()) {
      if (lines_.size() >= kMaxScanLines || pos >= kMaxScanBytes) {
        rest_begin_ = pos;
        break;
      }
      std::size_t nl = body.find('\n', pos);
      const std::size_t end = nl == std::string_view::npos ? body.size() : nl;
      std::string_view line = body.substr(pos, end - pos);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      lines_.push_back(line);
      pos = nl == std::string_view::npos ? body.size() : nl + 1;
    }
  }

  TextParts run() {
    TextParts parts;
    const std::size_t q = find_quote_start();
    std::vector<std::string_view> fresh;  // the author's lines
    std::vector<std::string_view> quoted;
    if (is_bottom_posted(q)) {
      // "> earlier text" first, the reply below it (or interleaved): unquoted lines are new.
      for (std::size_t i = q; i < lines_.size(); ++i) {
        const std::size_t sep = separator_at(lines_, i);
        if (sep > 0 && next_nonblank(i + sep) < lines_.size() &&
            quote_depth(lines_[next_nonblank(i + sep)]) > 0) {
          for (std::size_t k = i; k < i + sep; ++k) quoted.push_back(lines_[k]);
          i += sep - 1;
          continue;
        }
        (quote_depth(lines_[i]) > 0 ? quoted : fresh).push_back(lines_[i]);
      }
    } else {
      fresh.assign(lines_.begin(), lines_.begin() + static_cast<std::ptrdiff_t>(q));
      quoted.assign(lines_.begin() + static_cast<std::ptrdiff_t>(q), lines_.end());
    }
    // Beyond the scanned prefix: part of whatever region the prefix ended in.
    const std::string_view rest = rest_begin_ == std::string_view::npos
                                      ? std::string_view()
                                      : rtrim(body_.substr(rest_begin_));
    const bool has_rest = !blank(rest);
    // With unscanned text after it, the end of `fresh` is not the end of the mail: no signature.
    const std::size_t sig = has_rest && quoted.empty() ? fresh.size() : find_signature(fresh);
    parts.new_text = join(fresh, 0, sig);
    parts.signature = join(
        fresh, sig < fresh.size() && is_sig_delimiter(fresh[sig]) ? sig + 1 : sig, fresh.size());
    parts.quoted = join(quoted, 0, quoted.size());
    if (has_rest) {
      std::string& tail = quoted.empty() ? parts.new_text : parts.quoted;
      if (!tail.empty()) tail.push_back('\n');
      tail.append(rest);
    }
    if (q < lines_.size()) parts.quoted_signature_region = signature_region(q);
    return parts;
  }

 private:
  // Nothing but blank lines before the quote, which starts with quoted lines (after an
  // attribution, if any): the reply is written below the quote.
  bool is_bottom_posted(std::size_t q) const {
    if (q >= lines_.size() || !all_blank(0, q)) return false;
    if (quote_depth(lines_[q]) > 0) return true;
    const std::size_t sep = separator_at(lines_, q);
    if (sep == 0 || is_header_block(lines_, q) || is_dashed_separator(lines_[q])) return false;
    const std::size_t next = next_nonblank(q + sep);
    return next < lines_.size() && quote_depth(lines_[next]) > 0;
  }

  bool all_blank(std::size_t from, std::size_t to) const {
    for (std::size_t i = from; i < to; ++i)
      if (!blank(lines_[i])) return false;
    return true;
  }

  std::size_t next_nonblank(std::size_t i) const {
    while (i < lines_.size() && blank(lines_[i])) ++i;
    return i;
  }

  // An Outlook header block starting at line i: "From:" followed closely by Sent/To/Subject, or
  // all on one line ("From: A Sent: B To: C" from a flattened HTML reply).
  bool is_header_block(const std::vector<std::string_view>& lines, std::size_t i) const {
    if (!has_any_field(lines[i], kFromFields)) return false;
    const std::string_view line = lines[i];
    if (line.size() <= kMaxAttributionBytes && (line.find(" Sent:") != std::string_view::npos ||
                                                line.find("送信日時:") != std::string_view::npos))
      return true;
    for (std::size_t k = i + 1; k < lines.size() && k <= i + kHeaderBlockLookahead; ++k) {
      if (has_any_field(lines[k], kOtherHeaderFields)) return true;
      if (blank(lines[k])) break;
    }
    return false;
  }

  // Lines a separator occupies at line i (0: no separator there).
  std::size_t separator_at(const std::vector<std::string_view>& lines, std::size_t i) const {
    const std::string_view line = lines[i];
    if (is_dashed_separator(line)) return 1;
    if (line.size() > kMaxAttributionBytes) return 0;
    if (is_underscore_rule(line)) {
      std::size_t k = i + 1;
      while (k < lines.size() && blank(lines[k]) && k < i + 3) ++k;
      if (k < lines.size() && is_header_block(lines, k)) return 1;
      return 0;
    }
    if (is_header_block(lines, i)) return 1;
    if (ends_attribution(line) && starts_attribution(line)) return 1;
    // Attribution wrapped over two lines by the client.
    if (starts_attribution(line) && i + 1 < lines.size() && ends_attribution(lines[i + 1]) &&
        !ends_attribution(line) && util::istarts_with_ascii(util::trim_c_space(line), "On "))
      return 2;
    if (is_japanese_gmail_attribution(line)) return 1;
    return 0;
  }

  // First line of the quoted thread, lines_.size() when there is none.
  std::size_t find_quote_start() const {
    for (std::size_t i = 0; i < lines_.size(); ++i) {
      if (separator_at(lines_, i) > 0) return i;
      if (quote_depth(lines_[i]) > 0) {
        // A lone "> x" is prose (or a citation); a thread is at least two quoted lines.
        const std::size_t next = next_nonblank(i + 1);
        if (next < lines_.size() && quote_depth(lines_[next]) > 0) return i;
      }
    }
    return lines_.size();
  }

  static bool is_sig_delimiter(std::string_view line) { return line == "-- " || line == "--"; }

  static bool is_closing(std::string_view line) {
    line = util::trim_c_space(line);
    if (line.empty() || line.size() > kMaxClosingBytes) return false;
    for (std::string_view phrase : {"best regards",
                                    "kind regards",
                                    "warm regards",
                                    "warmest regards",
                                    "regards",
                                    "best wishes",
                                    "thanks and regards",
                                    "thanks & regards",
                                    "many thanks",
                                    "thank you",
                                    "thanks",
                                    "cheers",
                                    "yours sincerely",
                                    "sincerely",
                                    "yours truly",
                                    "best",
                                    "respectfully",
                                    "un saludo",
                                    "saludos",
                                    "atentamente",
                                    "bien cordialement",
                                    "cordialement",
                                    "bien à vous",
                                    "mit freundlichen grüßen",
                                    "viele grüße",
                                    "sent from my"}) {
      if (!util::istarts_with_ascii(line, phrase)) continue;
      std::string_view rest = line.substr(phrase.size());
      if (phrase == "sent from my") return true;                          // "Sent from my iPhone"
      if (!rest.empty() && util::is_ascii_alpha(rest.front())) continue;  // "Thanksgiving"
      while (!rest.empty() && (rest.back() == '.' || rest.back() == '!' || rest.back() == ','))
        rest.remove_suffix(1);
      rest = util::trim_c_space(rest);
      if (rest.empty() || rest == "," || rest == "!") return true;
      // "Thanks, John" — a name after a comma, not a sentence.
      if (rest.front() == ',' && rest.size() <= 30 &&
          rest.find_first_of(".?:") == std::string_view::npos)
        return true;
      return false;
    }
    for (std::string_view phrase : {"よろしくお願い", "宜しくお願い", "よろしく御願い", "以上",
                                    "iPhoneから送信", "Androidから送信"}) {
      if (line.starts_with(phrase)) return line.size() <= phrase.size() + 30;
    }
    return false;
  }

  static bool is_rule_line(std::string_view line) {
    line = util::trim_c_space(line);
    if (line.size() < 5) return false;
    std::size_t i = 0;
    std::size_t count = 0;
    while (i < line.size()) {
      const char32_t cp = detail::next_code_point(line, i);
      const bool rule = cp == '-' || cp == '=' || cp == '_' || cp == '*' || cp == '~' ||
                        cp == '#' || cp == 0x2501 || cp == 0x2500 || cp == 0xFF1D || cp == 0xFF5E ||
                        cp == 0x2015 || cp == 0x30FC || cp == 0x25A0 || cp == 0x25C6 ||
                        cp == 0x2605 || cp == ' ';
      if (!rule) return false;
      ++count;
    }
    return count >= 5;
  }

  static bool has_contact_marker(std::string_view line) {
    if (line.find('@') != std::string_view::npos) return true;
    for (std::string_view m : {"tel", "phone", "fax", "mobile", "http", "www.", "inc.", "ltd",
                               "corporation", "co.,", "llc", "gmbh", "s.a."}) {
      if (util::ifind_ascii(line, m) != std::string_view::npos) return true;
    }
    for (std::string_view m : {"電話", "携帯", "〒", "株式会社", "有限会社", "ＴＥＬ", "ＦＡＸ"}) {
      if (line.find(m) != std::string_view::npos) return true;
    }
    return false;
  }

  // Index in `fresh` where the signature starts (fresh.size() when none).
  static std::size_t find_signature(const std::vector<std::string_view>& fresh) {
    for (std::size_t i = fresh.size(); i > 0; --i)
      if (is_sig_delimiter(fresh[i - 1])) return i - 1;
    std::size_t end = fresh.size();
    while (end > 0 && blank(fresh[end - 1])) --end;
    if (end == 0) return fresh.size();
    // A closing phrase followed by a short block (name, title, company, phone).
    std::size_t nonblank_after = 0;
    for (std::size_t i = end; i > 0; --i) {
      const std::string_view line = fresh[i - 1];
      if (is_closing(line)) {
        // The closing stays with the text ("Best regards,"); the lines after it are the
        // signature. A mobile sign-off is itself the signature.
        const bool mobile = util::ifind_ascii(line, "sent from my") != std::string_view::npos ||
                            line.find("から送信") != std::string_view::npos;
        return mobile ? i - 1 : i;
      }
      if (!blank(line) && ++nonblank_after > kMaxSignatureLines) break;
    }
    // A decorated rule ("━━━━", "-----") above a short block with contact details; for a
    // signature boxed by two rules the upper one is reached last and wins.
    nonblank_after = 0;
    bool contact = false;
    std::size_t rule_start = fresh.size();
    for (std::size_t i = end; i > 1; --i) {
      const std::string_view line = fresh[i - 1];
      if (is_rule_line(line)) {
        if (contact) rule_start = i - 1;
        continue;
      }
      if (!blank(line)) {
        contact = contact || has_contact_marker(line);
        if (++nonblank_after > kMaxSignatureLines) break;
      }
    }
    if (rule_start < fresh.size()) return rule_start;
    // The last paragraph, if short, not the only one, and made of contact details.
    std::size_t para = end;
    while (para > 0 && !blank(fresh[para - 1])) --para;
    if (para == 0 || end - para > 6) return fresh.size();
    std::size_t markers = 0;
    for (std::size_t i = para; i < end; ++i)
      if (has_contact_marker(fresh[i])) ++markers;
    if (markers >= 1 && markers * 3 >= end - para) {
      // A closing right above the paragraph keeps it with the text.
      return para;
    }
    return fresh.size();
  }

  // The first quoted message without its header lines, up to a deeper quote, the end of the
  // quote or the next separator; its last kQuotedSignatureLines non-empty lines, quote marks
  // removed.
  std::string signature_region(std::size_t q) const {
    std::vector<std::string_view> stripped;
    std::vector<std::size_t> depths;
    stripped.reserve(lines_.size() - q);
    depths.reserve(lines_.size() - q);
    for (std::size_t i = q; i < lines_.size(); ++i) {
      std::string_view rest;
      depths.push_back(quote_depth(lines_[i], &rest));
      stripped.push_back(rest);
    }
    std::size_t i = 0;
    // The separator ("On … wrote:", "-----Original Message-----") and the header block after it.
    i += separator_at(stripped, 0);
    while (i < stripped.size() && (blank(stripped[i]) || has_any_field(stripped[i], kFromFields) ||
                                   has_any_field(stripped[i], kOtherHeaderFields)))
      ++i;
    std::size_t base = std::string::npos;
    std::vector<std::string_view> msg;
    for (; i < stripped.size(); ++i) {
      if (blank(stripped[i])) continue;
      if (base == std::string::npos) base = depths[i];
      if (depths[i] != base) break;              // deeper quote, or the quote ended
      if (separator_at(stripped, i) > 0) break;  // the next message in the thread
      msg.push_back(rtrim(stripped[i]));
    }
    const std::size_t from =
        msg.size() > kQuotedSignatureLines ? msg.size() - kQuotedSignatureLines : 0;
    return join(msg, from, msg.size());
  }

  static std::string join(const std::vector<std::string_view>& lines, std::size_t from,
                          std::size_t to) {
    while (from < to && blank(lines[from])) ++from;
    while (to > from && blank(lines[to - 1])) --to;
    std::size_t size = 0;
    for (std::size_t i = from; i < to; ++i) size += lines[i].size() + 1;
    std::string out;
    out.reserve(size);
    for (std::size_t i = from; i < to; ++i) {
      if (i > from) out.push_back('\n');
      out.append(rtrim(lines[i]));
    }
    return out;
  }

  std::string_view body_;
  std::vector<std::string_view> lines_;
  std::size_t rest_begin_ = std::string_view::npos;
};

}  // namespace

TextParts split_text(std::string_view body) {
  try {
    return Splitter(body).run();
  } catch (...) {  // std::bad_alloc: keep the contract, everything counts as new text
    TextParts parts;
    try {
      parts.new_text = std::string(body);
    } catch (...) {
    }
    return parts;
  }
}

}  // namespace renkei::content
