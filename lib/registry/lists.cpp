// Lists: the shipped free-mail, disposable, URL-shortener and bulk-sender lists (data/lists/).
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "registry/detail.hpp"
#include "registry/registry.hpp"
#include "util/utf8.hpp"

namespace renkei::registry {
namespace {

// The largest shipped list is ~120 KiB; a file far beyond this is not one of ours.
constexpr std::size_t kMaxListFileBytes = 16u * 1024u * 1024u;
// JSON nesting accepted in the MISP warning list (it has depth 2).
constexpr int kMaxJsonDepth = 32;

enum class Format {
  kPlain,         // one domain per line, '#' comments
  kSpamAssassin,  // "freemail_domains a.com *.b.com" lines
  kMispJson,      // MISP warning list: {"list": ["a.com", ...], ...}
  kBulk,          // "domain<TAB>Service name"
};

enum class Kind { kFreemail, kDisposable, kShortener, kBulk, kSharedPlatform, kUserContent };

struct ListFile {
  std::string_view name;
  Format format;
  Kind kind;
};

// data/lists/README.md documents each file: source, licence, use, update.
constexpr ListFile kListFiles[] = {
    {"rspamd_maps_free.txt", Format::kPlain, Kind::kFreemail},
    {"spamassassin_20_freemail_domains.cf", Format::kSpamAssassin, Kind::kFreemail},
    {"spamassassin_20_freemail_mailcom_domains.cf", Format::kSpamAssassin, Kind::kFreemail},
    {"disposable_email_blocklist.conf", Format::kPlain, Kind::kDisposable},
    {"rspamd_maps_disposable.txt", Format::kPlain, Kind::kDisposable},
    {"misp_warninglist_url-shortener.json", Format::kMispJson, Kind::kShortener},
    {"bulk_senders.txt", Format::kBulk, Kind::kBulk},
    {"shared_platforms.txt", Format::kPlain, Kind::kSharedPlatform},
    {"user_content_hosts.txt", Format::kPlain, Kind::kUserContent},
};

tl::unexpected<Error> parse_error(std::string_view file, std::size_t line, std::string_view what) {
  std::string msg(file);
  if (line > 0) msg += ":" + std::to_string(line);
  msg += ": ";
  msg += what;
  return make_error(Errc::kParse, std::move(msg),
                    "restore the file from the source tree's data/lists/ (see its README.md)");
}

// Calls f(line_number, line) for each line without its end-of-line characters.
template <typename F>
void for_each_line(std::string_view text, F&& f) {
  std::size_t line_no = 0;
  while (!text.empty()) {
    ++line_no;
    const auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    f(line_no, line);
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
}

bool is_comment_or_blank(std::string_view line) {
  const std::string_view t = util::trim_c_space(line);
  return t.empty() || t.front() == '#';
}

// SpamAssassin wildcard (Mail::SpamAssassin::Plugin::FreeMail): '*' is any run of characters
// and '?' any one character, neither matching a dot; the pattern must match the whole domain.
bool glob_match(std::string_view pattern, std::string_view s) {
  std::size_t p = 0;
  std::size_t i = 0;
  std::size_t star_p = std::string_view::npos;
  std::size_t star_i = 0;
  while (i < s.size()) {
    if (p < pattern.size() && pattern[p] != '*' &&
        (pattern[p] == s[i] || (pattern[p] == '?' && s[i] != '.'))) {
      ++p;
      ++i;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star_p = p++;
      star_i = i;
    } else if (star_p != std::string_view::npos && s[star_i] != '.') {
      // Let the last '*' absorb one more character, never a dot.
      p = star_p + 1;
      i = ++star_i;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

// Minimal JSON reader for the MISP warning list: a top-level object whose "list" member is an
// array of strings. Other members are skipped whatever they hold.
class JsonReader {
 public:
  explicit JsonReader(std::string_view text) : text_(text) {}

  // nullopt-like: returns false and sets error_ on malformed input.
  bool read_list(std::vector<std::string>& out) {
    skip_ws();
    if (!consume('{')) return fail("expected '{' at the start");
    skip_ws();
    if (consume('}')) return true;
    while (true) {
      skip_ws();
      std::string key;
      if (!read_string(key)) return false;
      skip_ws();
      if (!consume(':')) return fail("expected ':' after a key");
      skip_ws();
      if (key == "list") {
        if (!read_string_array(out)) return false;
      } else if (!skip_value(0)) {
        return false;
      }
      skip_ws();
      if (consume(',')) continue;
      if (consume('}')) return true;
      return fail("expected ',' or '}' in the top-level object");
    }
  }

  const std::string& error() const { return error_; }
  std::size_t line() const {
    std::size_t n = 1;
    for (std::size_t i = 0; i < pos_ && i < text_.size(); ++i) n += text_[i] == '\n' ? 1 : 0;
    return n;
  }

 private:
  bool fail(std::string what) {
    if (error_.empty()) error_ = std::move(what);
    return false;
  }
  void skip_ws() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' ||
                                   text_[pos_] == '\n' || text_[pos_] == '\r')) {
      ++pos_;
    }
  }
  bool consume(char c) {
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  bool read_hex4(std::uint32_t& cp) {
    if (text_.size() - pos_ < 4) return fail("truncated \\u escape");
    cp = 0;
    for (int k = 0; k < 4; ++k) {
      const char c = text_[pos_++];
      std::uint32_t v = 0;
      if (c >= '0' && c <= '9') {
        v = static_cast<std::uint32_t>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        v = static_cast<std::uint32_t>(c - 'a' + 10);
      } else if (c >= 'A' && c <= 'F') {
        v = static_cast<std::uint32_t>(c - 'A' + 10);
      } else {
        return fail("bad \\u escape");
      }
      cp = cp * 16 + v;
    }
    return true;
  }
  bool read_string(std::string& out) {
    if (!consume('"')) return fail("expected a string");
    while (pos_ < text_.size()) {
      const char c = text_[pos_++];
      if (c == '"') return true;
      if (static_cast<unsigned char>(c) < 0x20) return fail("control character in a string");
      if (c != '\\') {
        out += c;
        continue;
      }
      if (pos_ >= text_.size()) break;
      const char e = text_[pos_++];
      switch (e) {
        case '"':
          out += '"';
          break;
        case '\\':
          out += '\\';
          break;
        case '/':
          out += '/';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          std::uint32_t cp = 0;
          if (!read_hex4(cp)) return false;
          if (cp >= 0xD800 && cp < 0xDC00) {
            std::uint32_t lo = 0;
            if (!consume('\\') || !consume('u') || !read_hex4(lo) || lo < 0xDC00 || lo > 0xDFFF) {
              return fail("unpaired surrogate in \\u escape");
            }
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            return fail("unpaired surrogate in \\u escape");
          }
          utf8::append_utf8(out, static_cast<char32_t>(cp));
          break;
        }
        default:
          return fail("bad escape in a string");
      }
    }
    return fail("unterminated string");
  }
  bool read_string_array(std::vector<std::string>& out) {
    if (!consume('[')) return fail("\"list\" must be an array of strings");
    skip_ws();
    if (consume(']')) return true;
    while (true) {
      skip_ws();
      std::string s;
      if (!read_string(s)) return fail("\"list\" must contain only strings");
      out.push_back(std::move(s));
      skip_ws();
      if (consume(',')) continue;
      if (consume(']')) return true;
      return fail("expected ',' or ']' in \"list\"");
    }
  }
  bool skip_value(int depth) {
    if (depth > kMaxJsonDepth) return fail("nested too deeply");
    skip_ws();
    if (pos_ >= text_.size()) return fail("unexpected end of input");
    const char c = text_[pos_];
    if (c == '"') {
      std::string ignored;
      return read_string(ignored);
    }
    if (c == '{' || c == '[') {
      const char close = c == '{' ? '}' : ']';
      ++pos_;
      skip_ws();
      if (consume(close)) return true;
      while (true) {
        skip_ws();
        if (c == '{') {
          std::string ignored;
          if (!read_string(ignored)) return false;
          skip_ws();
          if (!consume(':')) return fail("expected ':' after a key");
        }
        if (!skip_value(depth + 1)) return false;
        skip_ws();
        if (consume(',')) continue;
        if (consume(close)) return true;
        return fail("expected ',' or a closing bracket");
      }
    }
    // Numbers, true, false, null: a run of literal characters.
    const std::size_t start = pos_;
    while (pos_ < text_.size() && std::string_view("+-.0123456789eEtruefalsn").find(text_[pos_]) !=
                                      std::string_view::npos) {
      ++pos_;
    }
    return pos_ > start ? true : fail("unexpected character");
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  std::string error_;
};

Result<std::string> read_list_file(const std::filesystem::path& path) {
  std::string content;
  switch (detail::read_file(path, kMaxListFileBytes, content)) {
    case detail::ReadStatus::kOk:
      return content;
    case detail::ReadStatus::kTooLarge:
      return make_error(Errc::kLimit,
                        "list file " + path.string() + " is larger than " +
                            std::to_string(kMaxListFileBytes / (1024 * 1024)) + " MiB",
                        "restore the file from the source tree's data/lists/");
    case detail::ReadStatus::kOpenFailed:
      return make_error(Errc::kIo, "cannot open list file " + path.string(),
                        "check the file's permissions");
    case detail::ReadStatus::kReadFailed:
      break;
  }
  return make_error(Errc::kIo, "cannot read list file " + path.string());
}

// Entries are kept in lookup form. A public suffix is never kept for the lists matched with
// parent domains, where it would match every name under it.
std::optional<std::string> entry(std::string_view raw) {
  auto host = detail::normalize_host(raw);
  if (!host || !detail::is_valid_hostname(*host)) return std::nullopt;
  return host;
}

template <typename F>
bool any_candidate(std::string_view domain, F&& f) {
  const auto host = detail::normalize_host(domain);
  if (!host) return false;
  std::string key;
  return detail::any_self_or_parent(*host, [&](std::string_view candidate) {
    key.assign(candidate);
    return f(key);
  });
}

#ifndef RENKEI_DATA_DIR_BUILD
#define RENKEI_DATA_DIR_BUILD ""
#endif
#ifndef RENKEI_DATA_DIR_INSTALL
#define RENKEI_DATA_DIR_INSTALL ""
#endif

bool is_dir(const std::filesystem::path& p) {
  std::error_code ec;
  return std::filesystem::is_directory(p, ec);
}

Lists load_builtin() {
  std::vector<std::string> candidates;
  if (const char* env = std::getenv("RENKEI_DATA_DIR"); env != nullptr && *env != '\0') {
    candidates.emplace_back(env);
  }
  candidates.emplace_back(RENKEI_DATA_DIR_BUILD);
  candidates.emplace_back(RENKEI_DATA_DIR_INSTALL);
  for (const std::string& data_dir : candidates) {
    if (data_dir.empty()) continue;
    const std::filesystem::path lists = std::filesystem::path(data_dir) / "lists";
    if (!is_dir(lists)) continue;
    if (auto loaded = Lists::load_dir(lists.string()); loaded && loaded->loaded()) {
      return std::move(*loaded);
    }
  }
  return Lists{};
}

}  // namespace

const Lists& Lists::builtin() {
  static const Lists lists = load_builtin();
  return lists;
}

Result<Lists> Lists::load_dir(const std::string& dir) {
  namespace fs = std::filesystem;
  if (!is_dir(dir)) {
    return make_error(Errc::kNotFound, "list directory not found: " + dir,
                      "set RENKEI_DATA_DIR to a directory that contains lists/");
  }
  Lists lists;
  lists.source_dir_ = dir;
  for (const ListFile& lf : kListFiles) {
    const fs::path path = fs::path(dir) / lf.name;
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) continue;
    RENKEI_TRY(text, read_list_file(path));
    const std::string file = path.string();

    std::vector<std::string> entries;
    if (lf.format == Format::kMispJson) {
      JsonReader reader(text);
      if (!reader.read_list(entries)) return parse_error(file, reader.line(), reader.error());
    } else {
      std::optional<Error> err;
      for_each_line(text, [&](std::size_t line_no, std::string_view line) {
        if (err || is_comment_or_blank(line)) return;
        const std::string_view t = util::trim_c_space(line);
        if (lf.format == Format::kPlain) {
          entries.emplace_back(t);
        } else if (lf.format == Format::kSpamAssassin) {
          // Only freemail_domains lines carry domains; ifplugin/endif and others are skipped.
          constexpr std::string_view kDirective = "freemail_domains";
          if (t.substr(0, kDirective.size()) != kDirective ||
              (t.size() > kDirective.size() && t[kDirective.size()] != ' ' &&
               t[kDirective.size()] != '\t')) {
            return;
          }
          std::string_view rest = t.substr(kDirective.size());
          while (!(rest = util::trim_c_space(rest)).empty()) {
            const auto end = rest.find_first_of(" \t");
            entries.emplace_back(rest.substr(0, end));
            if (end == std::string_view::npos) break;
            rest.remove_prefix(end);
          }
        } else {  // kBulk
          const auto sep = t.find_first_of(" \t");
          const std::string_view name = sep == std::string_view::npos
                                            ? std::string_view{}
                                            : util::trim_c_space(t.substr(sep));
          auto domain = entry(t.substr(0, sep));
          if (!domain || name.empty()) {
            err =
                parse_error(file, line_no,
                            "expected \"domain<TAB>Service name\", got \"" + std::string(t) + "\"")
                    .value();
            return;
          }
          lists.bulk_.try_emplace(std::move(*domain), std::string(name));
        }
      });
      if (err) return tl::unexpected(std::move(*err));
    }

    for (const std::string& raw : entries) {
      if (lf.kind == Kind::kFreemail && raw.find_first_of("*?") != std::string::npos) {
        std::string pattern = util::ascii_lower(util::trim_c_space(raw));
        lists.freemail_wildcards_.push_back(std::move(pattern));
        continue;
      }
      auto host = entry(raw);
      if (!host) continue;  // the upstream lists hold a few malformed names; they match nothing
      switch (lf.kind) {
        case Kind::kFreemail:
          lists.freemail_.insert(std::move(*host));
          break;
        // An entry that is a public suffix would match every domain under it: such entries are
        // refused at lookup (is_disposable, is_shortener), where only the rare hit pays for the
        // PSL check, instead of here for each of the ~7,000 entries (half of a one-mail
        // `renkei analyze`'s CPU time went to that check).
        case Kind::kDisposable:
          lists.disposable_.insert(std::move(*host));
          break;
        case Kind::kShortener:
          lists.shorteners_.insert(std::move(*host));
          break;
        // Free hosting platforms are often in the PSL's private section themselves (each
        // customer's subdomain is its own site): only an ICANN suffix would match too much.
        case Kind::kUserContent:
          if (!detail::is_icann_suffix(*host)) lists.user_content_.insert(std::move(*host));
          break;
        case Kind::kSharedPlatform:
          if (!detail::is_icann_suffix(*host)) lists.shared_platforms_.insert(std::move(*host));
          break;
        case Kind::kBulk:
          break;
      }
    }
    lists.loaded_ = true;
  }
  return lists;
}

bool Lists::is_freemail(std::string_view domain) const {
  const auto host = detail::normalize_host(domain);
  if (!host) return false;
  if (freemail_.count(*host) != 0) return true;
  for (const std::string& pattern : freemail_wildcards_) {
    if (glob_match(pattern, *host)) return true;
  }
  return false;
}

bool Lists::is_disposable(std::string_view domain) const {
  if (disposable_.empty()) return false;
  return any_candidate(domain, [&](const std::string& d) {
    return disposable_.count(d) != 0 && !detail::is_public_suffix(d);
  });
}

bool Lists::is_shared_platform_tenant(std::string_view domain) const {
  if (shared_platforms_.empty()) return false;
  const auto host = detail::normalize_host(domain);
  if (!host) return false;
  // Only a tenant's subdomain counts: the platform's own domain is the platform writing.
  return detail::any_self_or_parent(*host, [&](std::string_view candidate) {
    return candidate.size() < host->size() && shared_platforms_.count(std::string(candidate)) != 0;
  });
}

bool Lists::is_user_content_host(std::string_view host) const {
  if (user_content_.empty()) return false;
  return any_candidate(host, [&](const std::string& d) { return user_content_.count(d) != 0; });
}

bool Lists::is_shortener(std::string_view host) const {
  if (shorteners_.empty()) return false;
  return any_candidate(host, [&](const std::string& d) {
    return shorteners_.count(d) != 0 && !detail::is_public_suffix(d);
  });
}

std::optional<std::string> Lists::bulk_sender(std::string_view domain) const {
  if (bulk_.empty()) return std::nullopt;
  std::optional<std::string> name;
  any_candidate(domain, [&](const std::string& d) {
    const auto it = bulk_.find(d);
    if (it == bulk_.end()) return false;
    name = it->second;
    return true;
  });
  return name;
}

}  // namespace renkei::registry
