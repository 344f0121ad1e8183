// renkei analysis-worker — internal: one analysis process of `renkei serve` (lib/hub/worker_pool),
// started by the server with its socket on fd 0 and the store in RENKEI_DATA / RENKEI_DATABASE
// (the environment, so a PostgreSQL password never shows in the process list). Not for operators:
// hidden from --help.
#include <cstdlib>
#include <memory>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "hub/worker_pool.hpp"

namespace renkei::cli {

void register_analysis_worker(CLI::App& app, std::function<int()>& run) {
  auto name = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand("analysis-worker", "internal: an analysis process of serve");
  cmd->group("");  // hidden
  cmd->add_option("--name", *name, "the name the worker claims under")->required();
  cmd->callback([&run, name] {
    run = [name] {
      hub::WorkerOptions o;
      const char* data = std::getenv("RENKEI_DATA");
      const char* database = std::getenv("RENKEI_DATABASE");
      o.data_dir = data != nullptr ? data : "renkei-data";
      o.database = database != nullptr ? database : "";
      o.name = *name;
      return hub::run_analysis_worker(o) == 0 ? kExitOk : kExitSetup;
    };
  });
}

}  // namespace renkei::cli
