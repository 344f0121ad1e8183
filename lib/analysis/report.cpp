// The analysis of submissions that are not mail: the indicators in what the participant wrote
// and attached, as the JSON contract renkei.indicators/1 (docs/json-contract.md).
#include <nlohmann/json.hpp>

#include "analysis/analysis.hpp"
#include "content/content.hpp"

namespace renkei::analysis {

TextReport analyze_text(std::string_view free_text, std::string_view attached) {
  TextReport r;
  // Participants paste indicators defanged (hxxp, [.]): every kind is refanged before it is
  // looked for, not only URLs.
  std::string raw(free_text);
  raw += '\n';
  raw += attached.substr(0, kMaxReportAttachedBytes);
  const std::string text = content::refang(raw);
  auto add = [&](const char* type, const std::string& v) {
    r.indicators.push_back({type, v, "text"});
  };
  for (const auto& u : content::extract_urls(text, kMaxReportIndicators)) add("url", u.url);
  for (const auto& e : content::extract_emails(text, kMaxReportIndicators)) add("email-addr", e);
  for (const auto& ip : content::extract_ipv4(text, kMaxReportIndicators)) add("ipv4-addr", ip);
  for (const auto& ip : content::extract_ipv6(text, kMaxReportIndicators)) add("ipv6-addr", ip);
  return r;
}

std::string to_json_line(const TextReport& r) {
  nlohmann::json inds = nlohmann::json::array();
  for (const auto& i : r.indicators) inds.push_back({{"type", i.type}, {"value", i.value}});
  return nlohmann::json({{"schema", "renkei.indicators/1"}, {"indicators", inds}})
      .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace renkei::analysis
