#include "hub/jobs.hpp"

#include <thread>

#include "analysis/analysis.hpp"
#include "campaign/campaign.hpp"

namespace renkei::hub {
namespace {

// How long an idle thread sleeps before looking for work again without a notification (other
// processes may have submitted, and stale claims may have been given back).
constexpr auto kIdlePoll = std::chrono::milliseconds(500);
// How long an analysis's result waits for a database that is unavailable before the analysis is
// given up as failed: kStoreRetries × kStoreRetryPause.
constexpr int kStoreRetries = 50;
constexpr auto kStoreRetryPause = std::chrono::milliseconds(200);

// The engine for one version of the registry. The engine keeps a pointer to the registry, so both
// live together.
struct EngineState {
  std::int64_t version = -1;
  registry::Registry registry;
  std::unique_ptr<analysis::Engine> engine;
};

// What the store keeps of a mail's analysis: the JSON contract, its typed parts and its campaign
// features.
model::AnalysisRecord record_of(const analysis::Analysis& a, const registry::Registry& reg) {
  model::AnalysisRecord r;
  r.json = analysis::to_json_line(a);
  r.verdict = a.verdict.klass;
  r.bec_type = a.verdict.bec_type;
  r.targeting = a.verdict.targeting;
  r.score = a.verdict.score;
  r.subject = a.subject;
  r.language = a.language;
  r.from_address = a.from.address;
  for (const auto& i : a.indicators) r.indicators.push_back({i.type, i.value, i.role});
  for (const auto& g : a.signals)
    r.signals.push_back({g.id, std::string(analysis::severity_name(g.severity))});
  r.search_text = a.from.name + " " + a.from.address;
  for (const auto& m : a.reply_to) r.search_text += " " + m.address;
  for (const auto& i : a.indicators) r.search_text += " " + i.value;
  r.body_text = a.text;
  r.body_html = a.html;
  auto f = campaign::extract(a, registry::Lists::builtin(), &reg);
  r.campaign_keys = std::move(f.keys);
  r.mail_time = f.time;
  return r;
}

// The same for a submission that is not a mail.
model::AnalysisRecord record_of(const analysis::TextReport& t) {
  model::AnalysisRecord r;
  r.json = analysis::to_json_line(t);
  for (const auto& i : t.indicators) {
    r.indicators.push_back({i.type, i.value, i.role});
    r.search_text += " " + i.value;
  }
  return r;
}

// The engine for the store's registry version now (shared by every thread: an Engine is
// immutable and thread-safe).
class EngineCache {
 public:
  Result<std::shared_ptr<const EngineState>> get(store::Store& st) {
    RENKEI_TRY(version, st.registry_version());
    {
      const std::lock_guard lock(mu_);
      if (current_ && current_->version == version) return current_;
    }
    RENKEI_TRY(reg, st.registry());
    auto next = std::make_shared<EngineState>();
    next->version = version;
    next->registry = std::move(reg);
    analysis::Options o;
    o.registry = &next->registry;
    next->engine = std::make_unique<analysis::Engine>(o);
    const std::lock_guard lock(mu_);
    current_ = std::move(next);
    return current_;
  }

 private:
  std::mutex mu_;  // guards current_
  std::shared_ptr<const EngineState> current_;
};

class AnalysisJob final : public Job {
 public:
  explicit AnalysisJob(std::function<void(const store::Claimed&)> before_analysis)
      : before_analysis_(std::move(before_analysis)) {}
  std::string_view name() const override { return "analysis"; }

  void prepare(store::Store& st) override { (void)engines_.get(st); }

  bool run_once(store::Store& st, std::string_view worker) override {
    auto es = engines_.get(st);
    if (!es) return false;
    auto job = st.claim_next(worker);
    if (!job || !*job) return false;
    const store::Claimed& c = **job;
    if (before_analysis_) before_analysis_(c);
    const model::AnalysisRecord rec =
        c.kind == model::SubmissionKind::kEmail && !c.artefact.empty()
            ? record_of((*es)->engine->analyze(c.artefact, "submission:" + std::to_string(c.id)),
                        (*es)->registry)
            : record_of(analysis::analyze_text(c.free_text, c.artefact));
    // A database that is away for a moment (PostgreSQL restarting) is waited for: the result is
    // stored when it is back instead of the analysis being counted as failed. (complete() is
    // idempotent: a retry after a commit whose answer was lost writes the same.)
    auto stored = st.complete(c.id, rec);
    for (int i = 0; !stored && stored.error().code == Errc::kUnavailable && i < kStoreRetries;
         ++i) {
      std::this_thread::sleep_for(kStoreRetryPause);
      stored = st.complete(c.id, rec);
    }
    if (!stored) (void)st.fail(c.id, "the analysis could not be stored");
    return true;
  }

 private:
  std::function<void(const store::Claimed&)> before_analysis_;
  EngineCache engines_;
};

// Campaign assignment: every analysed mail, in order of arrival, under the store's lock
// (CampaignStore::assign_next_campaign), with lib/campaign's rules.
class CampaignJob final : public Job {
 public:
  std::string_view name() const override { return "campaigns"; }

  bool run_once(store::Store& st, std::string_view /*worker*/) override {
    auto es = engines_.get(st);
    if (!es) return false;
    const auto rules = campaign_rules(*es);
    auto done = st.assign_next_campaign(rules);
    return done && done->has_value();
  }

 private:
  static store::CampaignRules campaign_rules(const std::shared_ptr<const EngineState>& es) {
    store::CampaignRules r = hub::campaign_rules();
    r.features_of = [es](const std::string& bytes) {
      const auto a = es->engine->analyze(bytes, "campaign");
      auto f = campaign::extract(a, registry::Lists::builtin(), &es->registry);
      return std::optional<store::CampaignRules::Features>(
          store::CampaignRules::Features{std::move(f.keys), f.time});
    };
    return r;
  }

  EngineCache engines_;
};

}  // namespace

store::CampaignRules campaign_rules() {
  store::CampaignRules r;
  r.hot_threshold = [](std::size_t n) { return campaign::hot_threshold(n); };
  r.hot_cap = campaign::kHotCap;
  r.indexed = [](std::string_view key) {
    return campaign::kind_of(key).family != campaign::Family::kNote;
  };
  r.choose = [](const std::vector<std::string>& keys, std::optional<std::int64_t> time,
                const std::vector<store::CampaignCandidate>& candidates) {
    campaign::Features f;
    f.keys = keys;
    f.time = time;
    std::vector<campaign::Candidate> cs;
    cs.reserve(candidates.size());
    for (const auto& c : candidates) cs.push_back({c.id, c.shared_keys, c.last_seen, false});
    store::CampaignChoice choice;
    if (const auto m = campaign::best_match(f, cs)) {
      choice.campaign = m->campaign;
      choice.score = m->score;
    }
    return choice;
  };
  r.describe = [](const std::map<std::string, std::int64_t>& keys, std::int64_t members) {
    const auto e = campaign::explain(keys, members);
    return store::CampaignText{e.name, e.en, e.ja};
  };
  return r;
}

std::unique_ptr<Job> analysis_job(std::function<void(const store::Claimed&)> before_analysis) {
  return std::make_unique<AnalysisJob>(std::move(before_analysis));
}

std::unique_ptr<Job> campaign_job() {
  return std::make_unique<CampaignJob>();
}

Jobs::Jobs(std::function<Result<std::unique_ptr<store::Store>>()> open_store, unsigned threads,
           std::string name)
    : open_store_(std::move(open_store)),
      threads_(threads == 0 ? 1 : threads),
      name_(std::move(name)) {}

Jobs::~Jobs() {
  stop();
}

void Jobs::add(std::unique_ptr<Job> job) {
  jobs_.push_back(std::move(job));
}

void Jobs::every(std::chrono::seconds period, std::function<void(store::Store&)> chore) {
  chores_.push_back({period, std::move(chore)});
}

void Jobs::start() {
  for (unsigned i = 0; i < threads_; ++i) pool_.emplace_back([this, i] { run(i); });
}

void Jobs::notify() {
  {
    const std::lock_guard lock(mu_);
    ++pending_;
  }
  wake_.notify_one();
}

void Jobs::stop() {
  {
    const std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& t : pool_)
    if (t.joinable()) t.join();
  pool_.clear();
}

void Jobs::run(unsigned index) {
  const std::string worker = name_ + "/" + std::to_string(index);
  auto opened = open_store_();
  if (!opened) return;  // the server reported the store as usable at start; nothing to do here
  store::Store& st = **opened;
  std::vector<std::chrono::steady_clock::time_point> last(chores_.size(),
                                                          std::chrono::steady_clock::now());
  for (;;) {
    {
      const std::lock_guard lock(mu_);
      if (stopping_) return;
    }
    if (index == 0)
      for (std::size_t i = 0; i < chores_.size(); ++i)
        if (std::chrono::steady_clock::now() - last[i] >= chores_[i].period) {
          chores_[i].fn(st);
          last[i] = std::chrono::steady_clock::now();
        }
    bool worked = false;
    for (const auto& job : jobs_) worked = job->run_once(st, worker) || worked;
    if (worked) {
      ++done_;
      continue;
    }
    // Nothing to do (or the store is busy): wait for a notification or the poll interval.
    std::unique_lock lock(mu_);
    wake_.wait_for(lock, kIdlePoll, [this] { return stopping_ || pending_ > 0; });
    if (pending_ > 0) --pending_;
  }
}

}  // namespace renkei::hub
