// Lists: the shipped free-mail, disposable, URL-shortener and bulk-sender lists (data/lists/).
#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <filesystem>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "registry/detail.hpp"
#include "registry/registry.hpp"

namespace renkei::registry {
namespace {

// The largest shipped list is ~120 KiB; a file far beyond this is not one of ours.
constexpr std::size_t kMaxListFileBytes = 16u * 1024u * 1024u;
// JSON nesting accepted below the MISP warning list's top-level members (it has depth 2).
constexpr std::size_t kMaxJsonDepth = 32;

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

// An input iterator over a list file's text that counts the bytes nlohmann-json's lexer has read,
// so that an element of the wrong type can be reported with its line: the SAX interface gives a
// position only for syntax errors.
class CountingIterator {
 public:
  using iterator_category = std::input_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;

  CountingIterator(const char* at, std::size_t* read) : at_(at), read_(read) {}
  reference operator*() const { return *at_; }
  CountingIterator& operator++() {
    ++at_;
    ++*read_;
    return *this;
  }
  CountingIterator operator++(int) {
    CountingIterator before = *this;
    ++*this;
    return before;
  }
  bool operator==(const CountingIterator& other) const { return at_ == other.at_; }

 private:
  const char* at_;
  std::size_t* read_;
};

// Reads the MISP warning list with nlohmann-json's SAX parser: a top-level object whose "list"
// member is an array of strings, collected into `out`. Other members are skipped whatever they
// hold (down to kMaxJsonDepth), and no document tree is built.
class MispListReader final : public nlohmann::json_sax<nlohmann::json> {
 public:
  MispListReader(std::string_view text, std::vector<std::string>& out) : text_(text), out_(out) {}

  // False with error() and line() set when the text is not such a list.
  bool read() {
    const CountingIterator first(text_.data(), &read_);
    const CountingIterator last(text_.data() + text_.size(), &read_);
    return nlohmann::json::sax_parse(first, last, this) && error_.empty();
  }
  const std::string& error() const { return error_; }
  std::size_t line() const { return line_; }

  bool null() override { return scalar(); }
  bool boolean(bool /*value*/) override { return scalar(); }
  bool number_integer(number_integer_t /*value*/) override { return scalar(); }
  bool number_unsigned(number_unsigned_t /*value*/) override { return scalar(); }
  bool number_float(number_float_t /*value*/, const string_t& /*text*/) override {
    return scalar();
  }
  bool binary(binary_t& /*value*/) override { return scalar(); }
  bool string(string_t& value) override {
    if (in_list_ && open_ == 2) {
      out_.push_back(std::move(value));
      return true;
    }
    return scalar();
  }
  bool key(string_t& value) override {
    if (open_ == 1) next_is_list_ = value == "list";
    return true;
  }
  bool start_object(std::size_t /*elements*/) override {
    if (open_ != 0 && !check_value()) return false;  // the top-level object itself is expected
    ++open_;
    return true;
  }
  bool start_array(std::size_t /*elements*/) override {
    if (open_ == 0) return fail("expected '{' at the start");
    if (open_ == 1 && next_is_list_) {
      in_list_ = true;
      ++open_;
      return true;
    }
    if (!check_value()) return false;
    ++open_;
    return true;
  }
  bool end_object() override { return close(); }
  bool end_array() override { return close(); }
  bool parse_error(std::size_t position, const std::string& /*last_token*/,
                   const nlohmann::json::exception& ex) override {
    line_ = line_at(position);
    return fail(std::string("not valid JSON: ") + ex.what());
  }

 private:
  // A value other than a string of "list" (a scalar, or an object or array about to open).
  bool check_value() {
    if (open_ == 0) return fail("expected '{' at the start");
    if (open_ == 1 && next_is_list_) return fail("\"list\" must be an array of strings");
    if (in_list_ && open_ == 2) return fail("\"list\" must contain only strings");
    // Values directly in the top-level object are at depth 0.
    if (open_ - 1 > kMaxJsonDepth) return fail("nested too deeply");
    return true;
  }
  bool scalar() { return check_value(); }
  bool close() {
    if (--open_ == 1) in_list_ = false;
    return true;
  }
  bool fail(std::string what) {
    if (error_.empty()) {
      error_ = std::move(what);
      if (line_ == 0) line_ = line_at(read_);
    }
    return false;
  }
  // The line of the last byte read before `read` bytes were consumed: the lexer reads one byte
  // past a number, which must not count when it is a line feed.
  std::size_t line_at(std::size_t read) const {
    const std::size_t end = std::min(read == 0 ? 0 : read - 1, text_.size());
    return 1 + static_cast<std::size_t>(std::count(text_.begin(), text_.begin() + end, '\n'));
  }

  std::string_view text_;
  std::vector<std::string>& out_;
  std::size_t read_ = 0;       // bytes the lexer has read so far
  std::size_t open_ = 0;       // objects and arrays open around the current event
  bool next_is_list_ = false;  // the last top-level key was "list"
  bool in_list_ = false;       // inside the top-level "list" array
  std::string error_;
  std::size_t line_ = 0;
};

// Reads the MISP list in `text` (from `file`) into `out`; exceptions from nlohmann-json become a
// parse error naming the file.
Result<void> read_misp_list(std::string_view file, std::string_view text,
                            std::vector<std::string>& out) {
  try {
    MispListReader reader(text, out);
    if (!reader.read()) return parse_error(file, reader.line(), reader.error());
  } catch (const nlohmann::json::exception& e) {
    return parse_error(file, 0, std::string("not valid JSON: ") + e.what());
  }
  return {};
}

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
      if (auto read = read_misp_list(file, text, entries); !read)
        return tl::unexpected(std::move(read.error()));
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
