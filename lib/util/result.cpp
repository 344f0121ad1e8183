#include "util/result.hpp"

namespace renkei {

std::string_view errc_name(Errc code) {
  switch (code) {
    case Errc::kInvalidArgument:
      return "invalid_argument";
    case Errc::kNotFound:
      return "not_found";
    case Errc::kIo:
      return "io";
    case Errc::kParse:
      return "parse";
    case Errc::kLimit:
      return "limit";
    case Errc::kUnsupported:
      return "unsupported";
    case Errc::kConflict:
      return "conflict";
    case Errc::kUnauthenticated:
      return "unauthenticated";
    case Errc::kPermissionDenied:
      return "permission_denied";
    case Errc::kUnavailable:
      return "unavailable";
    case Errc::kRateLimited:
      return "rate_limited";
    case Errc::kInternal:
      return "internal";
  }
  return "internal";
}

std::string Error::to_string() const {
  std::string out = message;
  if (!hint.empty()) {
    out += " (";
    out += hint;
    out += ")";
  }
  return out;
}

}  // namespace renkei
