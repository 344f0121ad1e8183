// Exit codes of the renkei command (documented in docs/cli.md). They report whether the command
// could do its work, never what it found: a malicious verdict is not an error.
#pragma once

#include "util/result.hpp"

namespace renkei::cli {

constexpr int kExitOk = 0;           // every input was read and analysed
constexpr int kExitInputErrors = 1;  // some inputs could not be read or parsed; the rest were done
constexpr int kExitUsage = 2;        // bad command line (CLI11 also uses 2 for parse errors)
constexpr int kExitSetup = 3;        // configuration problem: registry file, data lists

inline int exit_code_for(Errc code) {
  switch (code) {
    case Errc::kInvalidArgument:
      return kExitUsage;
    case Errc::kNotFound:
    case Errc::kParse:
    case Errc::kUnsupported:
      return kExitSetup;
    default:
      return kExitInputErrors;
  }
}

}  // namespace renkei::cli
