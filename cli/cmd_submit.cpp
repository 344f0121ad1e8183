// renkei submit FILE|DIR... — send suspicious mails to a hub (a client of its REST API).
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <thread>

#include <nlohmann/json.hpp>

#include "client/client.hpp"
#include "commands.hpp"
#include "exit_codes.hpp"

namespace renkei::cli {
namespace {

namespace fs = std::filesystem;

struct SubmitOptions {
  std::vector<std::string> inputs;
  std::string server;
  std::string token;
  std::string disclosure = "anonymised";
  std::string format = "text";
  bool wait = false;
  unsigned wait_s = 60;
};

// Files above this are not sent (the hub refuses them too); they are reported and skipped.
constexpr std::uintmax_t kMaxFileBytes = 64u << 20;

std::string env_or(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? std::string(v) : fallback;
}

int run_submit(const SubmitOptions& opt) {
  const std::string server =
      opt.server.empty() ? env_or("RENKEI_SERVER", "http://127.0.0.1:8080") : opt.server;
  const std::string token = opt.token.empty() ? env_or("RENKEI_TOKEN", "") : opt.token;
  if (token.empty()) {
    std::cerr << "renkei submit: no API token: give --token or set RENKEI_TOKEN (a hub admin "
                 "creates tokens)\n";
    return kExitUsage;
  }
  std::vector<fs::path> files;
  for (const auto& in : opt.inputs) {
    std::error_code ec;
    if (fs::is_directory(in, ec)) {
      for (const auto& e : fs::recursive_directory_iterator(in, ec))
        if (e.is_regular_file() && e.path().extension() == ".eml") files.push_back(e.path());
    } else {
      files.emplace_back(in);
    }
  }
  std::sort(files.begin(), files.end());
  client::Client hub(server, token);
  bool errors = false;
  for (const auto& f : files) {
    std::error_code ec;
    const auto size = fs::file_size(f, ec);
    nlohmann::json out = {{"file", f.string()}};
    std::string text;
    if (ec || size > kMaxFileBytes) {
      errors = true;
      out["error"] = ec ? "cannot read: " + ec.message() : "larger than 64 MiB: not sent";
    } else {
      std::ifstream in(f, std::ios::binary);
      const std::string bytes((std::istreambuf_iterator<char>(in)),
                              std::istreambuf_iterator<char>());
      auto r = hub.submit_email(bytes, opt.disclosure);
      if (!r) {
        std::cerr << "renkei submit: " << f.string() << ": " << r.error().to_string() << "\n";
        // A refused token or a hub that is down fails every file alike: stop at the first.
        if (r.error().code == Errc::kUnauthenticated || r.error().code == Errc::kUnavailable)
          return exit_code_for(r.error().code);
        errors = true;
        out["error"] = r.error().message;
      } else {
        out["id"] = r->id;
        out["duplicate"] = r->duplicate;
        if (opt.wait) {
          // Poll the submission until its analysis is stored (or the wait ends).
          const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(opt.wait_s);
          while (std::chrono::steady_clock::now() < until) {
            auto s = hub.get("/submissions/" + std::to_string(r->id));
            if (!s || s->status != 200) break;
            const auto j = nlohmann::json::parse(s->body, nullptr, false);
            const std::string status = j.is_discarded() ? "" : j.value("status", "");
            out["status"] = status;
            if (status == "analysed" || status == "failed") {
              out["verdict"] = j["verdict"];
              break;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
          }
        }
      }
    }
    if (opt.format == "json") {
      std::cout << out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    } else if (out.contains("id")) {
      std::cout << f.string() << "  → submission " << out["id"].get<std::int64_t>()
                << (out["duplicate"].get<bool>() ? " (already submitted)" : "");
      if (out.contains("verdict") && out["verdict"].is_string())
        std::cout << "  verdict " << out["verdict"].get<std::string>();
      else if (out.contains("status"))
        std::cout << "  " << out["status"].get<std::string>();
      std::cout << "\n";
    } else {
      std::cout << f.string() << "  error: " << out["error"].get<std::string>() << "\n";
    }
  }
  if (files.empty()) {
    std::cerr << "renkei submit: nothing to send (give .eml files or directories)\n";
    return kExitUsage;
  }
  return errors ? kExitInputErrors : kExitOk;
}

}  // namespace

void register_submit(CLI::App& app, std::function<int()>& run) {
  auto opt = std::make_shared<SubmitOptions>();
  CLI::App* cmd =
      app.add_subcommand("submit", "Send suspicious mails (.eml files, directories) to a hub");
  cmd->add_option("inputs", opt->inputs, ".eml files, or directories searched for them")
      ->required();
  cmd->add_option("--server", opt->server,
                  "Hub URL (default $RENKEI_SERVER, else http://127.0.0.1:8080)");
  cmd->add_option("--token", opt->token, "API token (default $RENKEI_TOKEN)");
  cmd->add_option("--disclosure", opt->disclosure,
                  "What the hub may share: not_shared, anonymised or with_name")
      ->check(CLI::IsMember({"not_shared", "anonymised", "with_name"}))
      ->capture_default_str();
  cmd->add_flag("--wait", opt->wait, "Wait for each analysis and print the verdict");
  cmd->add_option("--format", opt->format, "text or json (one object per file)")
      ->check(CLI::IsMember({"text", "json"}));
  cmd->callback([&run, opt] { run = [opt] { return run_submit(*opt); }; });
}

}  // namespace renkei::cli
