#include "store/sql_util.hpp"

#include "registry/registry.hpp"
#include "util/text.hpp"
#include "util/time.hpp"
#include "util/utf8.hpp"

namespace renkei::store::detail {

std::string now_rfc3339() {
  return util::now_rfc3339();
}

std::string rfc3339(std::chrono::system_clock::time_point t) {
  return util::rfc3339_utc(t);
}

std::string normalize_domain(std::string_view d) {
  std::string s = util::ascii_lower(d);
  while (!s.empty() && s.back() == '.') s.pop_back();
  if (std::any_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; }))
    s = registry::idn_to_ascii(s);
  if (s.empty() || s.size() > 253 || s.front() == '.' || s.find('.') == std::string::npos ||
      s.find("..") != std::string::npos)
    return {};
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_'))
      return {};
  return s;
}

std::string clean_text(std::string_view s) {
  if (utf8::is_valid(s) && s.find('\0') == std::string_view::npos) return std::string(s);
  std::u32string cps = utf8::decode(s);
  std::replace(cps.begin(), cps.end(), U'\0', U'\uFFFD');
  return utf8::encode(cps);
}

std::vector<std::string> split_scopes(const std::string& scopes) {
  std::vector<std::string> out;
  for (std::size_t b = 0; b < scopes.size();) {
    const std::size_t e = std::min(scopes.find(' ', b), scopes.size());
    if (e > b) out.push_back(scopes.substr(b, e - b));
    b = e + 1;
  }
  return out;
}

bool is_date(std::string_view d) {
  return d.size() == 10 && d[4] == '-' && d[7] == '-' &&
         std::all_of(d.begin(), d.end(), [](char c) { return (c >= '0' && c <= '9') || c == '-'; });
}

tl::unexpected<Error> not_found(std::string_view what, std::int64_t id) {
  return make_error(Errc::kNotFound, "no " + std::string(what) + " with id " + std::to_string(id),
                    "");
}

tl::unexpected<Error> conflict_or(const Error& e, std::string message, std::string hint) {
  if (e.code == Errc::kConflict)
    return make_error(Errc::kConflict, std::move(message), std::move(hint));
  return tl::unexpected(e);
}

}  // namespace renkei::store::detail
