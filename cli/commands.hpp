// One function per subcommand; each registers itself on the CLI11 app (cli/cmd_*.cpp).
#pragma once

#include <functional>

#include <CLI/CLI.hpp>

namespace renkei::cli {

// Registers `renkei analyze`; `run` is set to the function to call when it was chosen.
void register_analyze(CLI::App& app, std::function<int()>& run);

}  // namespace renkei::cli
