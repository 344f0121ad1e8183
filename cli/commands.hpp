// One function per subcommand; each registers itself on the CLI11 app (cli/cmd_*.cpp).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <variant>

#include <CLI/CLI.hpp>

#include "registry/registry.hpp"

namespace renkei::cli {

// Registers `renkei analyze`; `run` is set to the function to call when it was chosen.
void register_analyze(CLI::App& app, std::function<int()>& run);
// Registers `renkei campaigns` (group mails into campaigns without a hub).
void register_campaigns(CLI::App& app, std::function<int()>& run);
// Registers `renkei lookalike` (check domains, or --generate variants).
void register_lookalike(CLI::App& app, std::function<int()>& run);
// Registers `renkei admin` (migrate, bootstrap, demo, backup, restore on the hub's store, and the
// API clients below).
void register_admin(CLI::App& app, std::function<int()>& run);
// Registers the subcommands of `renkei admin` that are clients of the hub's API (orgs, users,
// tokens, sigs, liaison, categories) on `admin`.
void register_admin_api(CLI::App& admin, std::function<int()>& run);
// Registers `renkei serve` (the hub).
void register_serve(CLI::App& app, std::function<int()>& run);
// Registers `renkei analysis-worker`, hidden: an analysis process that `renkei serve` starts.
void register_analysis_worker(CLI::App& app, std::function<int()>& run);
// Registers `renkei submit` (a client of the hub's API).
void register_submit(CLI::App& app, std::function<int()>& run);

// The --registry option shared by the subcommands: nothing when path is empty, the loaded
// registry, or (after printing "renkei CMD: what went wrong (hint)") the exit code to return.
std::variant<std::optional<registry::Registry>, int> load_registry_option(const std::string& path,
                                                                          const char* command);

}  // namespace renkei::cli
