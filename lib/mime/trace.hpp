// renkei::mime trace headers — Received (RFC 5321 section 4.4), Authentication-Results
// (RFC 8601) and ARC-Authentication-Results (RFC 8617), and RFC 5322 dates.
//
// Contract: every parser here is total: it never throws and never fails; from damaged or hostile
// input it returns what it could recognise and leaves the rest empty. Each examines at most
// kMaxTraceFieldBytes of a header value and reports limits it hits. Values may be folded or
// unfolded (CR, LF and tab count as spaces). Thread-safety: all functions are reentrant.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mime/mime.hpp"  // LimitHit

namespace renkei::mime {

// Named limits.
inline constexpr std::size_t kMaxReceivedHops = 64;  // Received headers parsed per message
inline constexpr std::size_t kMaxTraceFieldBytes =
    std::size_t{16} * 1024;                            // bytes of one value examined
inline constexpr std::size_t kMaxAuthResults = 64;     // results in one A-R header
inline constexpr std::size_t kMaxAuthProperties = 32;  // properties of one result

// One Received header. Field semantics are the same whatever MTA wrote the line (Postfix,
// Sendmail, Exim, qmail, Exchange/Outlook.com, Gmail…); "" means "not present".
struct ReceivedHop {
  std::string from_host;      // the name after "from" as written; "" if it was an IP literal
  std::string from_helo;      // HELO name: Exim "helo=x", qmail "(HELO x)", else the "from" word
  std::string from_rdns;      // reverse-DNS name the receiver recorded; "" if none or "unknown"
  std::string from_ip;        // client IP, v4 or v6, without brackets, "IPv6:" prefix or zone
  std::string by_host;        // the receiving host as written
  std::string with_protocol;  // as written: "ESMTPS", "esmtpsa", "Microsoft SMTP Server", "mapi"
  std::string id;             // queue id, without angle brackets
  std::string for_address;    // envelope recipient, without angle brackets
  std::optional<std::int64_t> time;  // unix seconds of the date after ';' (or a trailing date)
  std::string raw;                   // the value as given (cut at kMaxTraceFieldBytes)
};

// Parses one Received header value.
ReceivedHop parse_received(std::string_view value);

// Parses the Received headers of a message in header order (index 0 is the topmost, i.e. the
// last hop, added by the final receiver). Parses at most `max_hops` of them; when there are more,
// the rest are dropped and a LimitHit named "max_received_hops" is appended to `limits_hit`
// (if given). Values longer than kMaxTraceFieldBytes add "max_trace_field_bytes".
std::vector<ReceivedHop> parse_received_chain(const std::vector<std::string>& received_values,
                                              std::size_t max_hops = kMaxReceivedHops,
                                              std::vector<LimitHit>* limits_hit = nullptr);

// Parses an RFC 5322 date-time (Date header, Received) into unix seconds, tolerant of what real
// mail does: missing weekday, 2- and 3-digit years (RFC 5322 4.3), obsolete zones (UT, GMT, EST,
// PDT…, military letters as -0000), common abbreviations (JST, CET…), missing seconds, comments
// ("+0900 (JST)"), asctime order ("Mon Jan  2 15:04:05 2006") and ISO dates ("2023-04-26
// 02:42:36.49 +0000"). A missing zone means UTC. Nullopt when no valid day, month and year.
std::optional<std::int64_t> parse_rfc5322_date(std::string_view date);

// One result of an Authentication-Results header ("spf=fail (comment) smtp.mailfrom=x.com").
struct AuthResult {
  std::string method;  // lowercased, without "/version": "spf", "dkim", "dmarc", "arc", "compauth"
  std::string result;  // lowercased: "pass", "fail", "softfail", "none", "bestguesspass"…
  std::string reason;  // value of reason=, unquoted; "" if none
  // Other key=value pairs in order, keys lowercased, values unquoted: ("smtp.mailfrom", "x.com"),
  // ("header.d", "x.com"), ("action", "quarantine"), ("policy.dmarc", "reject")…
  std::vector<std::pair<std::string, std::string>> properties;

  // The first value of property `key` (lowercase), or "" when absent.
  std::string_view property(std::string_view key) const {
    for (const auto& [k, v] : properties) {
      if (k == key) return v;
    }
    return {};
  }
};

struct AuthenticationResults {
  std::string authserv_id;          // "" when the header has none (Microsoft 365 writes none)
  int arc_instance = 0;             // the "i=" of ARC-Authentication-Results; 0 otherwise
  std::vector<AuthResult> results;  // empty for "none"
  bool limit_hit = false;  // kMaxAuthResults, kMaxAuthProperties or kMaxTraceFieldBytes cut it
};

// Parses an Authentication-Results or ARC-Authentication-Results value. Comments are ignored
// wherever they appear; segments that are not method=result are skipped.
AuthenticationResults parse_authentication_results(std::string_view raw);

}  // namespace renkei::mime
