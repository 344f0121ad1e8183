// Exit codes of the renkei command (documented in docs/cli.md, "Exit status" of each command).
// They report whether the command could do its work, never what it found: a malicious verdict is
// not an error. This file is the one place where errors become exit codes; commands call
// exit_code_for (or exit_code_for_hub_status for a hub's answer) instead of mapping themselves.
#pragma once

#include "util/result.hpp"

namespace renkei::cli {

constexpr int kExitOk = 0;           // every input was read and analysed
constexpr int kExitInputErrors = 1;  // some inputs could not be read or parsed; the rest were done
constexpr int kExitUsage = 2;        // bad command line (CLI11 also uses 2 for parse errors)
constexpr int kExitSetup = 3;        // configuration problem: registry file, data lists, store, hub

// The exit code for a command that stops on `code`: 2 when what the user asked for is wrong or
// refused as it stands (bad argument, object exists, unsupported here), 1 when the request was
// refused but the setup works (not allowed, rate-limited), 3 when files, store, hub or
// credentials cannot be used (missing, unreadable, damaged, too large, down, or a bug).
constexpr int exit_code_for(Errc code) {
  switch (code) {
    case Errc::kInvalidArgument:
    case Errc::kConflict:
    case Errc::kUnsupported:
      return kExitUsage;
    case Errc::kPermissionDenied:
    case Errc::kRateLimited:
      return kExitInputErrors;
    case Errc::kNotFound:
    case Errc::kIo:
    case Errc::kParse:
    case Errc::kLimit:
    case Errc::kUnauthenticated:
    case Errc::kUnavailable:
    case Errc::kInternal:
      return kExitSetup;
  }
  return kExitSetup;
}

// The exit code for a hub's non-2xx HTTP answer to `renkei admin` (docs/cli.md): 400 is a usage
// error (2); 401 (token refused) and 5xx (hub failed) are setup errors (3); any other refusal
// (403, 404, 409, 413, 429) concerns that one request (1). Not exit_code_for(error_of(reply).code)
// on purpose: a 404 or 409 from the hub names an object of the request, not the user's setup.
constexpr int exit_code_for_hub_status(int status) {
  if (status == 400) return kExitUsage;
  if (status == 401 || status >= 500) return kExitSetup;
  return kExitInputErrors;
}

}  // namespace renkei::cli
