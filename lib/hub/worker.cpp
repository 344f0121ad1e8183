#include "hub/worker.hpp"

#include <chrono>
#include <nlohmann/json.hpp>

#include "analysis/analysis.hpp"
#include "content/content.hpp"

namespace renkei::hub {
namespace {

// How long an idle worker sleeps before looking at the queue again without a notification (other
// processes may have submitted, and stale claims may have been given back).
constexpr auto kIdlePoll = std::chrono::milliseconds(500);
// How often the first worker gives back claims that were abandoned, and how old a claim must be
// for that. An analysis has a 2 s budget, so a minute-old claim of SQLite's single server is
// abandoned; PostgreSQL moreover requeues only claims whose worker's connection is gone, so
// several servers sweep without ever taking each other's live work.
constexpr auto kSweepEvery = std::chrono::seconds(30);
constexpr auto kAbandonedAfter = std::chrono::seconds(60);

// The engine for one version of the registry. The engine keeps a pointer to the registry, so both
// live together.
struct EngineState {
  std::int64_t version = -1;
  registry::Registry registry;
  std::unique_ptr<analysis::Engine> engine;
};

Result<std::shared_ptr<const EngineState>> engine_for(store::Store& st,
                                                      std::shared_ptr<const EngineState> current) {
  RENKEI_TRY(version, st.registry_version());
  if (current && current->version == version) return current;
  RENKEI_TRY(reg, st.registry());
  auto next = std::make_shared<EngineState>();
  next->version = version;
  next->registry = std::move(reg);
  analysis::Options o;
  o.registry = &next->registry;
  next->engine = std::make_unique<analysis::Engine>(o);
  return std::shared_ptr<const EngineState>(std::move(next));
}

AnalysisRecord analyse(const EngineState& es, const store::Claimed& job) {
  AnalysisRecord r;
  if (job.kind == store::SubmissionKind::kEmail && !job.artefact.empty()) {
    const analysis::Analysis a =
        es.engine->analyze(job.artefact, "submission:" + std::to_string(job.id));
    r.json = analysis::to_json_line(a);
    r.verdict = a.verdict.klass;
    r.subject = a.subject;
    r.search_text = a.from.name + " " + a.from.address;
    for (const auto& m : a.reply_to) r.search_text += " " + m.address;
    for (const auto& i : a.indicators) r.search_text += " " + i.value;
    return r;
  }
  // Indicator reports, incidents, consultations: the indicators in what was written and attached.
  const std::string text = job.free_text + "\n" + job.artefact.substr(0, 1u << 20);
  nlohmann::json inds = nlohmann::json::array();
  auto add = [&](const char* type, const std::string& v) {
    inds.push_back({{"type", type}, {"value", v}});
    r.search_text += " " + v;
  };
  for (const auto& u : content::extract_urls(text, 1000)) add("url", u.url);
  for (const auto& e : content::extract_emails(text, 1000)) add("email-addr", e);
  for (const auto& ip : content::extract_ipv4(text, 1000)) add("ipv4-addr", ip);
  for (const auto& ip : content::extract_ipv6(text, 1000)) add("ipv6-addr", ip);
  r.json = nlohmann::json({{"schema", "renkei.indicators/1"}, {"indicators", inds}})
               .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

}  // namespace

Workers::Workers(std::function<Result<std::unique_ptr<store::Store>>()> open_store,
                 unsigned threads, std::string name)
    : open_store_(std::move(open_store)),
      threads_(threads == 0 ? 1 : threads),
      name_(std::move(name)) {}

Workers::~Workers() {
  stop();
}

void Workers::start() {
  for (unsigned i = 0; i < threads_; ++i) pool_.emplace_back([this, i] { run(i); });
}

void Workers::notify() {
  {
    const std::lock_guard lock(mu_);
    ++pending_;
  }
  wake_.notify_one();
}

void Workers::stop() {
  {
    const std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& t : pool_)
    if (t.joinable()) t.join();
  pool_.clear();
}

void Workers::run(unsigned index) {
  const std::string worker = name_ + "/" + std::to_string(index);
  auto opened = open_store_();
  if (!opened) return;  // the server reported the store as usable at start; nothing to do here
  store::Store& st = **opened;
  std::shared_ptr<const EngineState> engine;
  auto last_sweep = std::chrono::steady_clock::now();
  for (;;) {
    {
      const std::lock_guard lock(mu_);
      if (stopping_) return;
    }
    if (index == 0 && std::chrono::steady_clock::now() - last_sweep >= kSweepEvery) {
      (void)st.requeue_stale(kAbandonedAfter);  // best effort: the next sweep retries
      last_sweep = std::chrono::steady_clock::now();
    }
    auto es = engine_for(st, engine);
    auto job = es ? st.claim_next(worker) : tl::unexpected(es.error());
    if (job && *job) {
      engine = *es;
      const AnalysisRecord rec = analyse(*engine, **job);
      if (!st.complete((**job).id, rec.json, rec.verdict, rec.subject, rec.search_text))
        (void)st.fail((**job).id, "the analysis could not be stored");
      ++done_;
      continue;
    }
    // Nothing queued (or the store is busy): wait for a notification or the poll interval.
    std::unique_lock lock(mu_);
    wake_.wait_for(lock, kIdlePoll, [this] { return stopping_ || pending_ > 0; });
    if (pending_ > 0) --pending_;
  }
}

}  // namespace renkei::hub
