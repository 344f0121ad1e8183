// Received, Authentication-Results and date parsing. See trace.hpp for the contract.
#include "mime/trace.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <string>

#include "mime/rfc5322.hpp"
#include "util/text.hpp"

namespace renkei::mime {
namespace {

constexpr std::size_t kMaxDateBytes = 256;      // a date longer than this is not a date
constexpr std::size_t kMaxDateAttempts = 8;     // trailing-date guesses per Received header
constexpr std::size_t kMaxWithWords = 4;        // "Microsoft SMTP Server" is three
constexpr std::size_t kMaxIpLiteralBytes = 64;  // longer than any IPv6 text form plus zone

// ---- Small text helpers ----

// Strips punctuation that MTAs glue to words: "<a@b>," -> "a@b".
std::string_view strip_decoration(std::string_view s) {
  while (!s.empty() && (s.back() == ',' || s.back() == '.' || s.back() == ')' || s.back() == '>' ||
                        s.back() == ';' || s.back() == ':')) {
    s.remove_suffix(1);
  }
  while (!s.empty() && (s.front() == '<' || s.front() == '(')) s.remove_prefix(1);
  return s;
}

// Returns the IP address in `s` ("1.2.3.4", "[1.2.3.4]", "[IPv6:2001:db8::1]", "fe80::1%4",
// "[1.2.3.4]:5678", "user@1.2.3.4"), normalised to the bare address, or "" when it is not one.
std::string parse_ip(std::string_view s) {
  if (auto at = s.rfind('@'); at != std::string_view::npos) s.remove_prefix(at + 1);
  if (!s.empty() && s.front() == '[') {
    const auto close = s.find(']');
    if (close == std::string_view::npos) return {};
    s = s.substr(1, close - 1);
  } else {
    while (!s.empty() && (s.back() == ',' || s.back() == ';' || s.back() == ')'))
      s.remove_suffix(1);
  }
  if (util::istarts_with_ascii(s, "ipv6:")) s.remove_prefix(5);
  if (auto pct = s.find('%'); pct != std::string_view::npos) s = s.substr(0, pct);
  if (s.empty() || s.size() > kMaxIpLiteralBytes) return {};
  std::string text(s);
  unsigned char buf[16];
  if (text.find(':') != std::string::npos) {
    if (inet_pton(AF_INET6, text.c_str(), buf) == 1) return util::ascii_lower(text);
  } else if (inet_pton(AF_INET, text.c_str(), buf) == 1) {
    return text;
  }
  return {};
}

// A host name as MTAs record it: not empty, no brackets, trailing root dot removed.
std::string host_name(std::string_view s) {
  if (auto at = s.rfind('@'); at != std::string_view::npos) s.remove_prefix(at + 1);  // ident
  while (!s.empty() && (s.back() == '.' || s.back() == ',' || s.back() == ';')) s.remove_suffix(1);
  if (s.empty() || s.front() == '[') return {};
  for (char c : s) {
    if (!(util::is_ascii_alpha(c) || util::is_ascii_digit(c) || c == '-' || c == '.' || c == '_'))
      return {};
  }
  if (util::iequals_ascii(s, "unknown")) return {};
  return std::string(s);
}

// ---- Dates ----

int month_from_name(std::string_view s) {
  static constexpr std::array<std::string_view, 12> kMonths = {
      "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
  if (s.size() < 3) return 0;
  for (std::size_t i = 0; i < kMonths.size(); ++i) {
    if (util::iequals_ascii(s.substr(0, 3), kMonths[i])) {
      // "March", "Sept" are fine; "Mayday" is not a month.
      static constexpr std::array<std::string_view, 12> kFull = {
          "january", "february", "march",     "april",   "may",      "june",
          "july",    "august",   "september", "october", "november", "december"};
      if (s.size() == 3 || util::istarts_with_ascii(kFull[i], s)) return static_cast<int>(i) + 1;
    }
  }
  return 0;
}

bool is_weekday_name(std::string_view s) {
  static constexpr std::array<std::string_view, 7> kDays = {"mon", "tue", "wed", "thu",
                                                            "fri", "sat", "sun"};
  if (s.size() < 3) return false;
  for (auto d : kDays) {
    if (util::iequals_ascii(s.substr(0, 3), d)) return true;
  }
  return false;
}

// Zone names, in minutes east of UTC. Military letters are -0000 per RFC 5322 section 4.3
// (RFC 822 had their signs reversed, so they carry no information).
std::optional<int> zone_from_name(std::string_view s) {
  struct Zone {
    std::string_view name;
    int minutes;
  };
  static constexpr Zone kZones[] = {
      {"ut", 0},      {"utc", 0},     {"gmt", 0},    {"z", 0},      {"est", -300}, {"edt", -240},
      {"cst", -360},  {"cdt", -300},  {"mst", -420}, {"mdt", -360}, {"pst", -480}, {"pdt", -420},
      {"jst", 540},   {"kst", 540},   {"hkt", 480},  {"sgt", 480},  {"awst", 480}, {"wib", 420},
      {"ict", 420},   {"ist", 330},   {"msk", 180},  {"eet", 120},  {"eest", 180}, {"cet", 60},
      {"cest", 120},  {"met", 60},    {"mest", 120}, {"wet", 0},    {"west", 60},  {"bst", 60},
      {"aest", 600},  {"aedt", 660},  {"nzst", 720}, {"nzdt", 780}, {"brt", -180}, {"art", -180},
      {"akst", -540}, {"akdt", -480}, {"hst", -600},
  };
  for (const auto& z : kZones) {
    if (util::iequals_ascii(s, z.name)) return z.minutes;
  }
  if (s.size() == 1 && util::is_ascii_alpha(s[0]) && util::ascii_lower(s[0]) != 'j') return 0;
  return std::nullopt;
}

// "+0900", "-07:00", "+09" -> minutes east of UTC.
std::optional<int> zone_from_offset(std::string_view s) {
  if (s.size() < 3 || (s[0] != '+' && s[0] != '-')) return std::nullopt;
  const int sign = s[0] == '-' ? -1 : 1;
  std::string digits;
  for (std::size_t i = 1; i < s.size() && digits.size() < 5; ++i) {
    if (util::is_ascii_digit(s[i])) {
      digits.push_back(s[i]);
    } else if (s[i] != ':') {
      break;
    }
  }
  if (digits.size() != 2 && digits.size() != 4) return std::nullopt;
  const int hh = (digits[0] - '0') * 10 + (digits[1] - '0');
  const int mm = digits.size() == 4 ? (digits[2] - '0') * 10 + (digits[3] - '0') : 0;
  if (hh > 23 || mm > 59) return std::nullopt;
  return sign * (hh * 60 + mm);
}

// Parses a run of up to `max` digits at s[i]; returns -1 if there is none.
int read_number(std::string_view s, std::size_t& i, std::size_t max) {
  int v = 0;
  std::size_t n = 0;
  while (i < s.size() && n < max && util::is_ascii_digit(s[i])) {
    v = v * 10 + (s[i] - '0');
    ++i;
    ++n;
  }
  return n == 0 ? -1 : v;
}

struct TimeOfDay {
  int hour = 0, minute = 0, second = 0;
};

// "HH:MM", "HH:MM:SS", "HH:MM:SS.fraction".
std::optional<TimeOfDay> parse_time(std::string_view s) {
  std::size_t i = 0;
  TimeOfDay t;
  t.hour = read_number(s, i, 2);
  if (t.hour < 0 || i >= s.size() || s[i] != ':') return std::nullopt;
  ++i;
  t.minute = read_number(s, i, 2);
  if (t.minute < 0) return std::nullopt;
  if (i < s.size() && s[i] == ':') {
    ++i;
    t.second = read_number(s, i, 2);
    if (t.second < 0) return std::nullopt;
  }
  if (t.hour > 23 || t.minute > 59 || t.second > 60) return std::nullopt;
  return t;
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;
  const std::int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

int days_in_month(int y, int m) {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[static_cast<std::size_t>(m - 1)];
}

// ---- Received tokenizer ----

enum class TokenKind { kWord, kComment, kSemicolon };

struct Token {
  TokenKind kind;
  std::string_view text;  // for comments: the inside, nested parentheses kept
  std::size_t offset;     // where the token starts in the value
};

std::vector<Token> tokenize_received(std::string_view s) {
  std::vector<Token> tokens;
  std::size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (util::is_ascii_space(c) || c == ')') {
      ++i;
    } else if (c == ';') {
      tokens.push_back({TokenKind::kSemicolon, s.substr(i, 1), i});
      ++i;
    } else if (c == '(') {
      const detail::Comment comment = detail::read_comment(s, i);
      tokens.push_back({TokenKind::kComment, comment.inside, i});
      i = comment.end;
    } else {
      std::size_t j = i;
      while (j < s.size() && !util::is_ascii_space(s[j]) && s[j] != '(' && s[j] != ';') ++j;
      tokens.push_back({TokenKind::kWord, s.substr(i, j - i), i});
      i = j;
    }
  }
  return tokens;
}

enum class Clause { kNone, kFrom, kBy, kVia, kWith, kId, kFor };

Clause clause_keyword(std::string_view w) {
  if (util::iequals_ascii(w, "from")) return Clause::kFrom;
  if (util::iequals_ascii(w, "by")) return Clause::kBy;
  if (util::iequals_ascii(w, "via")) return Clause::kVia;
  if (util::iequals_ascii(w, "with")) return Clause::kWith;
  if (util::iequals_ascii(w, "id")) return Clause::kId;
  if (util::iequals_ascii(w, "for")) return Clause::kFor;
  return Clause::kNone;
}

// Splits a comment's inside into words (nested parentheses are separators).
std::vector<std::string_view> comment_words(std::string_view s) {
  std::vector<std::string_view> words;
  std::size_t i = 0;
  while (i < s.size()) {
    if (util::is_ascii_space(s[i]) || s[i] == '(' || s[i] == ')') {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < s.size() && !util::is_ascii_space(s[j]) && s[j] != '(' && s[j] != ')') ++j;
    words.push_back(s.substr(i, j - i));
    i = j;
  }
  return words;
}

struct FromInfo {
  std::string helo;  // explicit HELO
  std::string rdns;
  std::string ip;
};

// Reads what a receiving MTA wrote about its client inside a comment after "from x":
// Postfix/Sendmail "(rdns [ip])", Exim "([ip]:port helo=x)", qmail "(HELO x) (user@ip)",
// Exchange "(2603:10b6:...)".
void read_from_comment(std::string_view comment, FromInfo& info) {
  const auto words = comment_words(comment);
  if (words.size() == 1 && info.rdns.empty() && parse_ip(words[0]).empty()) {
    info.rdns = host_name(words[0]);  // Sendmail "(localhost)"
  }
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::string_view w = words[i];
    if (util::istarts_with_ascii(w, "helo=")) {
      if (info.helo.empty()) info.helo = std::string(strip_decoration(w.substr(5)));
      continue;
    }
    if ((util::iequals_ascii(w, "helo") || util::iequals_ascii(w, "ehlo")) &&
        i + 1 < words.size()) {
      if (info.helo.empty()) info.helo = std::string(strip_decoration(words[i + 1]));
      ++i;
      continue;
    }
    std::string ip = parse_ip(w);
    if (ip.empty()) continue;
    if (info.ip.empty()) {
      info.ip = std::move(ip);
      // The name right before the address is the reverse-DNS name ("unknown" when none).
      if (i > 0 && w.front() == '[' && info.rdns.empty()) info.rdns = host_name(words[i - 1]);
    }
  }
}

// Finds a date at the end of a Received value that has no ';' before it (Sendmail variants,
// SendGrid's "2023-04-26 02:42:36.49 +0000 UTC").
std::optional<std::int64_t> find_trailing_date(std::string_view value,
                                               const std::vector<Token>& tokens) {
  std::size_t attempts = 0;
  for (std::size_t k = 0; k < tokens.size() && attempts < kMaxDateAttempts; ++k) {
    if (tokens[k].kind != TokenKind::kWord) continue;
    const std::string_view w = strip_decoration(tokens[k].text);
    const bool weekday = is_weekday_name(w) && w.size() <= 4;
    const bool iso = w.size() == 10 && util::is_ascii_digit(w[0]) && w[4] == '-' && w[7] == '-';
    const bool day_month = w.size() <= 2 && !w.empty() && util::is_ascii_digit(w[0]) &&
                           k + 1 < tokens.size() && month_from_name(tokens[k + 1].text) != 0;
    if (!weekday && !iso && !day_month) continue;
    ++attempts;
    if (auto t = parse_rfc5322_date(value.substr(tokens[k].offset))) return t;
  }
  return std::nullopt;
}

// ---- Authentication-Results ----

// Splits at top-level ';', dropping comments and keeping quoted strings (quotes included) intact.
std::vector<std::string> split_resinfo(std::string_view s) {
  std::vector<std::string> segments(1);
  std::size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (c == '"') {
      std::size_t j = i + 1;
      while (j < s.size() && s[j] != '"') j += (s[j] == '\\') ? 2 : 1;
      j = std::min(j + 1, s.size());
      segments.back().append(s.substr(i, j - i));
      i = j;
    } else if (c == '(') {
      segments.back().push_back(' ');
      i = detail::read_comment(s, i).end;
    } else if (c == ';') {
      segments.emplace_back();
      ++i;
    } else {
      segments.back().push_back(util::is_ascii_space(c) ? ' ' : c);
      ++i;
    }
  }
  return segments;
}

// Reads a value at s[i]: a quoted string (unescaped) or a run up to whitespace.
std::string read_value(std::string_view s, std::size_t& i) {
  std::string out;
  if (i < s.size() && s[i] == '"') {
    ++i;
    while (i < s.size() && s[i] != '"') {
      if (s[i] == '\\' && i + 1 < s.size()) ++i;
      out.push_back(s[i]);
      ++i;
    }
    if (i < s.size()) ++i;  // closing quote
    return out;
  }
  while (i < s.size() && s[i] != ' ') out.push_back(s[i++]);
  return out;
}

struct Pair {
  std::string key;  // "" for a lone word
  std::string value;
};

// "a=b c = "d e" word" -> {a,b} {c,d e} {"",word}
std::vector<Pair> read_pairs(std::string_view s) {
  std::vector<Pair> pairs;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && s[i] == ' ') ++i;
    if (i >= s.size()) break;
    if (s[i] == '"') {
      pairs.push_back({"", read_value(s, i)});
      continue;
    }
    std::size_t j = i;
    while (j < s.size() && s[j] != ' ' && s[j] != '=') ++j;
    std::string word(s.substr(i, j - i));
    std::size_t k = j;
    while (k < s.size() && s[k] == ' ') ++k;
    if (k < s.size() && s[k] == '=') {
      ++k;
      while (k < s.size() && s[k] == ' ') ++k;
      std::string value = read_value(s, k);
      pairs.push_back({std::move(word), std::move(value)});
      i = k;
    } else {
      pairs.push_back({"", std::move(word)});
      i = j;
    }
  }
  return pairs;
}

bool has_unquoted_equals(std::string_view s) {
  bool quoted = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '"') {
      quoted = !quoted;
    } else if (s[i] == '\\' && quoted) {
      ++i;  // quoted-pair
    } else if (s[i] == '=' && !quoted) {
      return true;
    }
  }
  return false;
}

void add_result(AuthenticationResults& out, std::string_view segment) {
  const auto pairs = read_pairs(segment);
  if (pairs.empty()) return;
  std::string_view method = pairs[0].key;
  if (auto slash = method.find('/'); slash != std::string_view::npos) {
    method = method.substr(0, slash);  // "dkim/1" carries a method version
  }
  if (method.empty()) return;  // "none", a stray "outlook.com", "=x"…
  if (out.results.size() >= kMaxAuthResults) {
    out.limit_hit = true;
    return;
  }
  AuthResult r;
  r.method = util::ascii_lower(method);
  r.result = util::ascii_lower(pairs[0].value);
  for (std::size_t i = 1; i < pairs.size(); ++i) {
    if (pairs[i].key.empty()) continue;
    std::string key = util::ascii_lower(pairs[i].key);
    if (key == "reason" && r.reason.empty()) {
      r.reason = pairs[i].value;
    } else if (r.properties.size() < kMaxAuthProperties) {
      r.properties.emplace_back(std::move(key), pairs[i].value);
    } else {
      out.limit_hit = true;
    }
  }
  out.results.push_back(std::move(r));
}

}  // namespace

// ---- Public functions ----

std::optional<std::int64_t> parse_rfc5322_date(std::string_view date) {
  date = date.substr(0, kMaxDateBytes);
  int day = -1, month = 0, year = -1;
  std::optional<TimeOfDay> tod;
  std::optional<int> zone;
  bool month_first = false;
  std::size_t i = 0;
  while (i < date.size()) {
    const char c = date[i];
    if (util::is_ascii_space(c) || c == ',') {
      ++i;
      continue;
    }
    if (c == '(') {  // comments: "(PDT)", "(UTC)", nested
      i = detail::read_comment(date, i, detail::QuotedPairs::kIgnore).end;
      continue;
    }
    std::size_t j = i;
    while (j < date.size() && !util::is_ascii_space(date[j]) && date[j] != ',' && date[j] != '(')
      ++j;
    const std::string_view tok = date.substr(i, j - i);
    i = j;

    if (util::is_ascii_alpha(tok[0])) {
      if (month == 0 && month_from_name(tok) != 0) {
        month = month_from_name(tok);
        month_first = day < 0;
      } else if (is_weekday_name(tok)) {
        // ignored: the weekday adds nothing and is often wrong
      } else if (tod && !zone) {
        zone = zone_from_name(tok);
      }
    } else if ((tok[0] == '+' || tok[0] == '-') && tok.size() > 1 && util::is_ascii_digit(tok[1])) {
      if (!zone) zone = zone_from_offset(tok);
    } else if (tok.size() >= 10 && util::is_ascii_digit(tok[0]) && tok[4] == '-' && tok[7] == '-') {
      std::size_t k = 0;  // ISO 8601: 2023-04-26 or 2023-04-26T02:42:36Z
      year = read_number(tok, k, 4);
      k = 5;
      month = read_number(tok, k, 2);
      k = 8;
      day = read_number(tok, k, 2);
      if (tok.size() > 11 && (tok[10] == 'T' || tok[10] == 't')) {
        tod = parse_time(tok.substr(11));
        const auto plus = tok.find_first_of("+-Zz", 11);
        if (plus != std::string_view::npos && !zone) {
          zone = (tok[plus] == 'Z' || tok[plus] == 'z') ? std::optional<int>(0)
                                                        : zone_from_offset(tok.substr(plus));
        }
      }
    } else if (tok.find(':') != std::string_view::npos) {
      if (!tod) tod = parse_time(tok);
    } else if (util::is_ascii_digit(tok[0])) {
      std::size_t k = 0;
      const int v = read_number(tok, k, 4);
      const std::size_t digits = k;
      if (k < tok.size() && !(k + 1 == tok.size() && tok[k] == '.')) continue;  // "1.2.3.4"
      // A day has one or two digits; sisimai shows MTAs writing "029" too.
      const bool day_like = digits <= 2 || (digits == 3 && tok[0] == '0');
      if (day < 0 && day_like && (month == 0 || month_first)) {
        day = v;
      } else if (year < 0 && (month != 0 || day >= 0)) {
        year = v;
        if (digits == 2) year += v < 50 ? 2000 : 1900;
        if (digits == 3) year += 1900;
      }
    }
  }
  if (day < 1 || month < 1 || month > 12 || year < 1000 || year > 9999) return std::nullopt;
  if (day > days_in_month(year, month)) return std::nullopt;
  const TimeOfDay t = tod.value_or(TimeOfDay{});
  const std::int64_t days = days_from_civil(year, month, day);
  const std::int64_t seconds = std::int64_t{t.hour} * 3600 + std::int64_t{t.minute} * 60 + t.second;
  return days * 86400 + seconds - std::int64_t{zone.value_or(0)} * 60;
}

ReceivedHop parse_received(std::string_view value) {
  ReceivedHop hop;
  value = value.substr(0, kMaxTraceFieldBytes);
  hop.raw = std::string(value);
  const std::vector<Token> tokens = tokenize_received(value);

  // The date follows the last top-level ';'.
  std::size_t date_semicolon = tokens.size();
  for (std::size_t k = tokens.size(); k-- > 0;) {
    if (tokens[k].kind == TokenKind::kSemicolon) {
      date_semicolon = k;
      break;
    }
  }

  Clause clause = Clause::kNone;
  bool want_value = false;
  std::size_t with_words = 0;
  FromInfo from;
  std::string from_word;  // the name after "from" as written, literal or not
  std::string from_literal_ip;
  for (std::size_t k = 0; k < date_semicolon; ++k) {
    const Token& tok = tokens[k];
    if (tok.kind == TokenKind::kSemicolon) {
      clause = Clause::kNone;
      want_value = false;
      continue;
    }
    if (tok.kind == TokenKind::kComment) {
      if (clause == Clause::kFrom && !want_value) read_from_comment(tok.text, from);
      if (clause == Clause::kWith) with_words = kMaxWithWords;  // the protocol name ended
      continue;
    }
    const Clause kw = clause_keyword(tok.text);
    if (kw != Clause::kNone && k + 1 < tokens.size()) {
      clause = kw;
      want_value = true;
      with_words = 0;
      continue;
    }
    if (!want_value) {
      if (clause == Clause::kWith && with_words > 0 && with_words < kMaxWithWords &&
          !hop.with_protocol.empty()) {
        hop.with_protocol.push_back(' ');
        hop.with_protocol.append(tok.text);
        ++with_words;
      }
      continue;
    }
    want_value = false;
    const std::string_view w = tok.text;
    switch (clause) {
      case Clause::kFrom:
        if (!from_word.empty()) break;
        from_word = std::string(strip_decoration(w));
        if (std::string ip = parse_ip(w); !ip.empty()) {
          from_literal_ip = std::move(ip);
        } else {
          hop.from_host = std::string(strip_decoration(w));
        }
        break;
      case Clause::kBy:
        if (hop.by_host.empty()) {
          std::string ip = parse_ip(w);
          hop.by_host = ip.empty() ? std::string(strip_decoration(w)) : ip;
        }
        break;
      case Clause::kWith:
        if (hop.with_protocol.empty()) {
          hop.with_protocol = std::string(w);
          with_words = 1;
        }
        break;
      case Clause::kId:
        if (hop.id.empty()) hop.id = std::string(strip_decoration(w));
        break;
      case Clause::kFor:
        if (hop.for_address.empty()) hop.for_address = std::string(strip_decoration(w));
        break;
      case Clause::kVia:
      case Clause::kNone:
        break;
    }
  }

  hop.from_ip = !from.ip.empty() ? from.ip : from_literal_ip;
  if (!from.helo.empty()) {
    // An explicit HELO (Exim, qmail) means the "from" name is the receiver's reverse lookup.
    hop.from_helo = from.helo;
    hop.from_rdns = !from.rdns.empty() ? from.rdns : host_name(hop.from_host);
  } else {
    hop.from_helo = from_word;  // Postfix, Sendmail, Exchange: the name after "from" is the HELO
    hop.from_rdns = from.rdns;
  }

  if (date_semicolon < tokens.size()) {
    hop.time = parse_rfc5322_date(value.substr(tokens[date_semicolon].offset + 1));
  }
  if (!hop.time) hop.time = find_trailing_date(value, tokens);
  return hop;
}

std::vector<ReceivedHop> parse_received_chain(const std::vector<std::string>& received_values,
                                              std::size_t max_hops,
                                              std::vector<LimitHit>* limits_hit) {
  std::vector<ReceivedHop> hops;
  const std::size_t n = std::min(received_values.size(), max_hops);
  hops.reserve(n);
  std::size_t cut = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (received_values[i].size() > kMaxTraceFieldBytes) ++cut;
    hops.push_back(parse_received(received_values[i]));
  }
  if (limits_hit != nullptr) {
    if (received_values.size() > max_hops) {
      limits_hit->push_back({"max_received_hops", "parsed " + std::to_string(n) + " of " +
                                                      std::to_string(received_values.size()) +
                                                      " Received headers"});
    }
    if (cut > 0) {
      limits_hit->push_back(
          {"max_trace_field_bytes", std::to_string(cut) + " Received header(s) longer than " +
                                        std::to_string(kMaxTraceFieldBytes) + " bytes were cut"});
    }
  }
  return hops;
}

AuthenticationResults parse_authentication_results(std::string_view raw) {
  AuthenticationResults out;
  if (raw.size() > kMaxTraceFieldBytes) {
    raw = raw.substr(0, kMaxTraceFieldBytes);
    out.limit_hit = true;
  }
  const std::vector<std::string> segments = split_resinfo(raw);
  std::size_t next = 0;

  // ARC-Authentication-Results starts with the instance: "i=1; authserv-id; ...".
  if (next < segments.size()) {
    const auto pairs = read_pairs(util::trim(segments[next]));
    if (pairs.size() == 1 && util::iequals_ascii(pairs[0].key, "i")) {
      const std::string& num = pairs[0].value;
      std::size_t k = 0;
      const int v = read_number(num, k, 9);
      if (v >= 0 && k == num.size()) {
        out.arc_instance = v;
        ++next;
      }
    }
  }
  // authserv-id [version]; Microsoft 365 omits it and starts with a result.
  if (next < segments.size() && !has_unquoted_equals(segments[next])) {
    const auto pairs = read_pairs(util::trim(segments[next]));
    if (!pairs.empty()) out.authserv_id = pairs[0].value;
    ++next;
  }
  for (; next < segments.size(); ++next) add_result(out, util::trim(segments[next]));
  return out;
}

}  // namespace renkei::mime
