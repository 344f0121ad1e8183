// renkei::hub demo community — `renkei admin demo`: a realistic hub a new user sees at once.
//
// Thirteen SIGs (J-CSIP's industries), the seed reports' organisations from a registry file with
// their executives and partners, two dozen fictional members in one to three SIGs each with
// membership history, a liaison network relaying to 5,500 medical institutions, users of every
// role with passwords and tokens, and a few hundred submissions: every sample mail reported by
// three members (and some by external reporters), plus reports of the other kinds.
#pragma once

#include <string>
#include <vector>

#include "store/store.hpp"

namespace renkei::hub {

struct DemoOptions {
  std::string registry_path;           // the seed organisations (SPEC 5 TOML); may be empty
  std::vector<std::string> mail_dirs;  // directories searched for .eml files
};

struct DemoAccount {
  std::string login, display_name, role, password, token;
};

struct DemoSummary {
  int organizations = 0;
  int submissions = 0;
  std::vector<DemoAccount> accounts;  // credentials to print once
};

// Errors: kConflict when the store has member organisations already (the demo goes into a new
// data directory), and the store's own errors.
Result<DemoSummary> load_demo(store::Store& store, const DemoOptions& options);

}  // namespace renkei::hub
