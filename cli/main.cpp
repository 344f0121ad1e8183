// renkei — the command line. One file per subcommand (cmd_*.cpp).
#include <cstdio>
#include <functional>
#include <iostream>

#include <CLI/CLI.hpp>

#include "commands.hpp"
#include "exit_codes.hpp"

namespace renkei::cli {

std::variant<std::optional<registry::Registry>, int> load_registry_option(const std::string& path,
                                                                          const char* command) {
  if (path.empty()) return std::optional<registry::Registry>();
  auto r = registry::Registry::load_toml_file(path);
  if (!r) {
    std::cerr << "renkei " << command << ": " << r.error().to_string() << "\n";
    return exit_code_for(r.error().code);
  }
  return std::optional<registry::Registry>(std::move(*r));
}

}  // namespace renkei::cli

namespace {

int run_command_line(int argc, char** argv) {
  CLI::App app{
      "renkei (連携) — a hub for sharing cyber-attack information; analyses suspicious e-mail "
      "(BEC, CEO fraud, phishing, malware mail)."};
  app.set_version_flag("--version", std::string("renkei ") + RENKEI_VERSION);
  app.require_subcommand(1);
  app.footer(
      "Exit status: 0 done, 1 some inputs unreadable, 2 usage error, 3 setup error.\n"
      "Documentation: docs/cli.md");
  std::function<int()> run;
  renkei::cli::register_analyze(app, run);
  renkei::cli::register_campaigns(app, run);
  renkei::cli::register_lookalike(app, run);
  renkei::cli::register_admin(app, run);
  renkei::cli::register_serve(app, run);
  renkei::cli::register_analysis_worker(app, run);
  renkei::cli::register_submit(app, run);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version end here with 0; every other parse error is a usage error (2).
    const int code = app.exit(e);
    return code == 0 ? 0 : renkei::cli::kExitUsage;
  }
  return run ? run() : renkei::cli::kExitUsage;
}

}  // namespace

int main(int argc, char** argv) {
  // Errors are values; an exception that reaches here is a bug or an exhausted machine (memory):
  // say so and stop with the setup error's code, never with an unexplained abort.
  try {
    return run_command_line(argc, argv);
  } catch (const std::exception& e) {
    std::fputs("renkei: unexpected error: ", stderr);
    std::fputs(e.what(), stderr);
    std::fputs("\n", stderr);
  } catch (...) {
    std::fputs("renkei: unexpected error\n", stderr);
  }
  return renkei::cli::kExitSetup;
}
