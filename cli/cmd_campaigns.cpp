// renkei campaigns [--registry FILE] [--format text|json] FILE|DIR|mbox...
//
// Groups a set of mails into campaigns with the hub's own code (lib/campaign), without a hub:
// for researchers, and for checking the clustering. Every input is analysed (in parallel), then
// the mails are assigned in the order they were sent (their Date; inputs without a date keep their
// place after the dated ones), exactly as the hub assigns them as they arrive.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "analysis/analysis.hpp"
#include "campaign/campaign.hpp"
#include "commands.hpp"
#include "exit_codes.hpp"
#include "inputs.hpp"
#include "registry/registry.hpp"
#include "util/time.hpp"

namespace renkei::cli {
namespace {

struct CampaignsOptions {
  std::vector<std::string> inputs;
  std::string format = "text";
  std::string lang = "en";
  std::string registry_path;
  unsigned jobs = 0;
  bool quiet = false;
  std::size_t max_message_mb = 64;
};

struct Mail {
  std::size_t seq = 0;
  std::string source;
  campaign::Features features;
  std::string error;
};

std::string iso(const std::optional<std::int64_t>& t) {
  if (!t) return "";
  return util::rfc3339_utc(std::chrono::sys_seconds(std::chrono::seconds(*t)));
}

// "2020Q4" of a unix time (UTC).
std::string quarter(std::int64_t t) {
  const auto days =
      std::chrono::floor<std::chrono::days>(std::chrono::sys_seconds(std::chrono::seconds(t)));
  const std::chrono::year_month_day ymd(days);
  return std::to_string(static_cast<int>(ymd.year())) + "Q" +
         std::to_string((static_cast<unsigned>(ymd.month()) - 1) / 3 + 1);
}

int run_campaigns(const CampaignsOptions& opt) {
  if (opt.format != "text" && opt.format != "json") {
    std::cerr << "renkei campaigns: --format must be text or json\n";
    return kExitUsage;
  }
  auto loaded = load_registry_option(opt.registry_path, "campaigns");
  if (const int* code = std::get_if<int>(&loaded)) return *code;
  const std::optional<registry::Registry>& reg = std::get<0>(loaded);
  const registry::Lists& lists = registry::Lists::builtin();
  if (!lists.loaded() && !opt.quiet) {
    std::cerr << "renkei campaigns: warning: the shipped lists (free-mail, bulk senders) were not "
                 "found, so free-mail domains may tie unrelated mails together; set "
                 "RENKEI_DATA_DIR to the directory that contains lists/\n";
  }
  analysis::Options eo;
  eo.registry = reg ? &*reg : nullptr;
  eo.lists = &lists;
  eo.mime_limits.max_message_bytes = opt.max_message_mb << 20;
  const analysis::Engine engine(eo);

  // Analyse in parallel; only the features (a few kilobytes) are kept per mail.
  const unsigned jobs = opt.jobs ? opt.jobs : std::max(1u, std::thread::hardware_concurrency());
  std::vector<Mail> mails;
  std::mutex mails_mu;
  BoundedQueue<InputItem> queue(jobs * 2 + 2);
  std::vector<std::thread> workers;
  for (unsigned w = 0; w < jobs; ++w) {
    workers.emplace_back([&] {
      while (auto item = queue.pop()) {
        Mail m;
        m.seq = item->seq;
        m.source = item->source;
        m.error = item->error;
        if (item->error.empty()) {
          const analysis::Analysis a = engine.analyze(item->bytes, item->source);
          m.features = campaign::extract(a, lists, reg ? &*reg : nullptr);
          if (a.headers.empty() && a.verdict.klass == "unknown") m.error = "not an e-mail";
        }
        std::lock_guard lk(mails_mu);
        mails.push_back(std::move(m));
      }
    });
  }
  for_each_input(opt.inputs, opt.max_message_mb << 20,
                 [&](InputItem item) { queue.push(std::move(item)); });
  queue.close();
  for (auto& w : workers) w.join();

  // Arrival order: by the mail's time, undated mails after the dated ones, then input order.
  std::sort(mails.begin(), mails.end(), [](const Mail& a, const Mail& b) {
    const auto ta = a.features.time, tb = b.features.time;
    if (ta.has_value() != tb.has_value()) return ta.has_value();
    if (ta && *ta != *tb) return *ta < *tb;
    return a.seq < b.seq;
  });
  campaign::Clusterer clusterer;
  std::vector<std::size_t> campaign_of(mails.size());
  std::size_t errors = 0;
  for (std::size_t i = 0; i < mails.size(); ++i) {
    campaign_of[i] = clusterer.add(mails[i].features);
    errors += mails[i].error.empty() ? 0 : 1;
  }

  // Members in input order within a campaign; campaigns in order of creation (json) or by size
  // (text).
  const auto& camps = clusterer.campaigns();
  std::vector<std::vector<std::size_t>> members(camps.size());
  for (std::size_t i = 0; i < mails.size(); ++i) members[campaign_of[i]].push_back(i);
  for (auto& m : members) {
    std::sort(m.begin(), m.end(),
              [&](std::size_t a, std::size_t b) { return mails[a].seq < mails[b].seq; });
  }

  std::vector<std::size_t> order(camps.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  if (opt.format == "text") {
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return members[a].size() > members[b].size();
    });
  }
  std::size_t multi = 0;
  for (const std::size_t c : order) {
    const auto& camp = camps[c];
    const auto ex = campaign::explain(camp.keys, static_cast<std::int64_t>(camp.members.size()));
    multi += members[c].size() > 1 ? 1 : 0;
    if (opt.format == "json") {
      nlohmann::ordered_json j;
      j["id"] = "C" + std::to_string(camp.id);
      j["name"] = ex.name;
      j["size"] = members[c].size();
      auto& ms = j["members"] = nlohmann::json::array();
      for (const auto i : members[c]) ms.push_back(mails[i].source);
      j["explanation"] = {{"en", ex.en}, {"ja", ex.ja}};
      j["first_seen"] = camp.first_seen ? nlohmann::json(iso(camp.first_seen)) : nullptr;
      j["last_seen"] = camp.last_seen ? nlohmann::json(iso(camp.last_seen)) : nullptr;
      std::map<std::string, int> quarters;
      for (const auto i : members[c]) {
        if (mails[i].features.time) ++quarters[quarter(*mails[i].features.time)];
      }
      j["quarters"] = quarters;
      std::cout << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
    } else {
      const bool ja = opt.lang == "ja";
      std::cout << "C" << camp.id << "  " << ex.name << "  (" << members[c].size()
                << (ja                       ? " 通"
                    : members[c].size() == 1 ? " mail"
                                             : " mails");
      if (camp.first_seen) {
        std::cout << ", " << iso(camp.first_seen).substr(0, 10) << " – "
                  << iso(camp.last_seen).substr(0, 10);
      }
      std::cout << ")\n";
      for (const auto& l : ja ? ex.lines_ja : ex.lines_en) std::cout << "    " << l << '\n';
      for (const auto i : members[c]) {
        std::cout << "  " << mails[i].source;
        if (!mails[i].error.empty()) std::cout << "  (" << mails[i].error << ")";
        std::cout << '\n';
      }
      std::cout << '\n';
    }
  }
  if (!opt.quiet) {
    std::cerr << mails.size() << " mails, " << camps.size() << " campaigns (" << multi
              << " with more than one mail), " << errors << " unreadable\n";
  }
  return errors ? kExitInputErrors : kExitOk;
}

}  // namespace

void register_campaigns(CLI::App& app, std::function<int()>& run) {
  auto opt = std::make_shared<CampaignsOptions>();
  CLI::App* cmd = app.add_subcommand(
      "campaigns", "Group e-mails (files, directories, mbox) into campaigns, without a hub");
  cmd->add_option("inputs", opt->inputs, "Files, directories (recursive), mbox files, or -")
      ->required();
  cmd->add_option("--format", opt->format,
                  "Output: text (for people) or json (one JSON object per campaign and line)")
      ->capture_default_str();
  cmd->add_option("--lang", opt->lang, "Language of the text output: en or ja")
      ->check(CLI::IsMember({"en", "ja"}))
      ->capture_default_str();
  cmd->add_option("--registry", opt->registry_path,
                  "Identity registry (TOML): members' own domains are the victims' side and tie "
                  "nothing together");
  cmd->add_option("-j,--jobs", opt->jobs, "Analysis threads (default: all cores)");
  cmd->add_option("--max-message-mb", opt->max_message_mb, "Messages are cut at this size")
      ->capture_default_str();
  cmd->add_flag("-q,--quiet", opt->quiet, "No summary, no warnings");
  cmd->callback([&run, opt] { run = [opt] { return run_campaigns(*opt); }; });
}

}  // namespace renkei::cli
