// libFuzzer harness for the trace parsers (Received, Authentication-Results, dates) and the
// charset converter, which see header bytes straight from hostile mail.
//
// Input: the first byte picks a charset label for to_utf8(); the rest is the payload. The payload
// is also split at '\n' into Received values, and parsed whole as Authentication-Results and as a
// date. Invariants that must hold for any input are checked with __builtin_trap().
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "mime/charset.hpp"
#include "mime/mime.hpp"
#include "mime/trace.hpp"

namespace {

constexpr std::string_view kLabels[] = {
    "",       "utf-8",  "us-ascii",   "iso-2022-jp", "shift_jis",    "euc-jp",
    "gb2312", "euc-kr", "big5",       "iso-8859-1",  "windows-1252", "koi8-r",
    "utf-16", "utf-7",  "hz-gb-2312", "x-unknown",
};
constexpr std::size_t kLabelCount = sizeof(kLabels) / sizeof(kLabels[0]);

void check(bool ok) {
  if (!ok) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view label = kLabels[data[0] % kLabelCount];
  const std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);

  // Charsets: never fails, always valid UTF-8, output bounded by 4x input plus a constant.
  const renkei::mime::CharsetResult converted = renkei::mime::to_utf8(input, label);
  check(renkei::mime::is_valid_utf8(converted.text));
  check(converted.text.size() <= input.size() * 4 + 64);
  check(!converted.used_charset.empty());
  check(!renkei::mime::detect_charset(input).empty());

  // Received: one value per line, bounded hops and bytes.
  std::vector<std::string> values;
  std::size_t start = 0;
  while (start <= input.size()) {
    const std::size_t nl = input.find('\n', start);
    const std::size_t end = nl == std::string_view::npos ? input.size() : nl;
    values.emplace_back(input.substr(start, end - start));
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  std::vector<renkei::mime::LimitHit> limits;
  const auto hops = renkei::mime::parse_received_chain(values, 8, &limits);
  check(hops.size() <= 8);
  bool hop_limit_reported = false;
  for (const auto& hit : limits) hop_limit_reported |= hit.name == "max_received_hops";
  check(hop_limit_reported == (values.size() > 8));
  for (const auto& hop : hops) check(hop.raw.size() <= renkei::mime::kMaxTraceFieldBytes);

  // Authentication-Results and dates.
  const auto ar = renkei::mime::parse_authentication_results(input);
  check(ar.results.size() <= renkei::mime::kMaxAuthResults);
  for (const auto& r : ar.results) {
    check(r.properties.size() <= renkei::mime::kMaxAuthProperties);
    check(!r.method.empty());
  }
  (void)renkei::mime::parse_rfc5322_date(input);
  return 0;
}
