// Campaign assignment benchmark (bench/campaigns.sh; results in docs/benchmarks.md, "Campaign
// assignment").
//
// A synthetic stream of analysed mails, reduced to feature keys shaped like lib/campaign's (32
// MinHash bands, sender mailbox and domain, subject and template, X-Mailer, first hop, sending
// service, link host and path, lure keys, notes), drawn from campaigns of Zipf-like sizes: most
// mails alone, a few series of hundreds, interleaved in time. Infrastructure, lure and sender-shape
// keys are Zipf-distributed over a few hundred values (a handful of mailers and verdict classes in
// most mails), so the index has hot keys like real data.
//
//   renkei_campaign_bench memory   [--sizes N,N,..] [--measure M]
//       campaign::Clusterer::add with N mails already added: latency of the next M adds, index size
//       and the process's RSS.
//   renkei_campaign_bench sqlite DIR [--sizes ..] [--measure M]
//   renkei_campaign_bench postgres URL [--sizes ..] [--measure M]
//       CampaignStore::assign_next_campaign with the hub's rules (hub::campaign_rules): analysed
//       mails are written straight into the store's tables (what AnalysisQueue::complete leaves:
//       status analysed, keys in submission_features, campaign_pending = 1), then assigned one by
//       one in order of arrival through the store, which builds the campaigns and the capped index
//       itself. The latency of the M assignments after N mails are in campaigns; database size.
#include <sys/resource.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <numeric>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "campaign/campaign.hpp"
#include "hub/jobs.hpp"
#include "store/campaigns.hpp"
#include "store/drivers.hpp"
#include "store/store.hpp"

namespace {

using Clock = std::chrono::steady_clock;
using renkei::campaign::Features;

// --------------------------------------------------------------------------------- generator

// Draws 0..n-1 with P(i) ∝ 1/(i+1)^s.
class Zipf {
 public:
  Zipf(std::size_t n, double s) : cdf_(n) {
    double sum = 0;
    for (std::size_t i = 0; i < n; ++i) {
      sum += 1.0 / std::pow(static_cast<double>(i + 1), s);
      cdf_[i] = sum;
    }
    for (auto& c : cdf_) c /= sum;
  }
  std::size_t operator()(std::mt19937_64& rng) const {
    const double u = std::uniform_real_distribution<double>(0, 1)(rng);
    return static_cast<std::size_t>(std::lower_bound(cdf_.begin(), cdf_.end(), u) - cdf_.begin());
  }

 private:
  std::vector<double> cdf_;
};

std::string hex(std::uint64_t v, int digits) {
  char buf[24];
  if (digits < 16) v &= (1ULL << (4 * digits)) - 1;
  std::snprintf(buf, sizeof buf, "%0*llx", digits, static_cast<unsigned long long>(v));
  return buf;
}

// What the members of one series share; singletons get one of their own.
struct Series {
  std::uint64_t seed = 0;
  std::size_t remaining = 0;
  std::array<std::uint64_t, 32> bands{};
  std::size_t mailboxes = 1;  // the series rotates among this many mailboxes
  std::size_t subjects = 1;   // and this many subjects of one template
  std::size_t mailer = 0, hop = 0, service = 0, lure = 0, klass = 0, shape = 0;
  bool links = false, attachment = false;
};

// The stream of mails. Deterministic for a given seed.
class MailStream {
 public:
  explicit MailStream(std::uint64_t seed) : rng_(seed) {}

  Features next() {
    Series* s = nullptr;
    Series single;
    const bool alone = std::uniform_real_distribution<double>(0, 1)(rng_) < kSingletonShare;
    if (alone) {
      single = new_series(1);
      s = &single;
    } else {
      while (active_.size() < kActiveSeries) {
        // Series sizes 2..kMaxSeries, P(size) ∝ size^-1.6: most of two or three, some hundreds.
        active_.push_back(new_series(2 + sizes_(rng_)));
      }
      const std::size_t pick =
          std::uniform_int_distribution<std::size_t>(0, active_.size() - 1)(rng_);
      s = &active_[pick];
    }
    Features f = member(*s, alone);
    if (!alone && --s->remaining == 0) {
      *s = active_.back();
      active_.pop_back();
    }
    return f;
  }

 private:
  static constexpr double kSingletonShare = 0.6;
  static constexpr std::size_t kActiveSeries = 40;
  static constexpr std::size_t kMaxSeries = 800;

  Series new_series(std::size_t size) {
    Series s;
    s.seed = rng_();
    s.remaining = size;
    for (auto& b : s.bands) b = rng_();
    s.mailboxes = 1 + std::uniform_int_distribution<std::size_t>(0, 2)(rng_);
    s.subjects = 1 + std::uniform_int_distribution<std::size_t>(0, 4)(rng_);
    s.mailer = mailers_(rng_);
    s.hop = hops_(rng_);
    s.service = services_(rng_);
    s.lure = lures_(rng_);
    s.klass = classes_(rng_);
    s.shape = shapes_(rng_);
    s.links = std::uniform_int_distribution<int>(0, 9)(rng_) < 6;
    s.attachment = std::uniform_int_distribution<int>(0, 9)(rng_) < 2;
    return s;
  }

  Features member(const Series& s, bool alone) {
    std::vector<std::string> k;
    k.reserve(56);
    // Near-duplicate bodies: a member keeps most of the series' bands.
    for (std::size_t b = 0; b < s.bands.size(); ++b) {
      const bool kept = std::uniform_real_distribution<double>(0, 1)(rng_) < 0.8;
      char buf[32];
      std::snprintf(buf, sizeof buf, "B:%02zu:%s", b, hex(kept ? s.bands[b] : rng_(), 12).c_str());
      k.emplace_back(buf);
    }
    const std::string id = hex(s.seed, 10);
    const std::size_t box = std::uniform_int_distribution<std::size_t>(0, s.mailboxes - 1)(rng_);
    const std::string domain = "d" + id + ".com";
    k.push_back("M:user" + std::to_string(box) + "@" + domain);
    k.push_back("O:user" + std::to_string(box) + "@" + domain);
    k.push_back("D:" + domain);
    k.push_back("Y:name " + hex(rng_(), 6));
    // Subjects: a series' template with a word left open; singletons often reuse a common one.
    const std::size_t subj = std::uniform_int_distribution<std::size_t>(0, s.subjects - 1)(rng_);
    if (alone && common_subject_coin()) {
      const std::size_t c = common_subjects_(rng_);
      k.push_back("S:common subject " + std::to_string(c));
      k.push_back("T:common * " + std::to_string(c));
      k.push_back("R:Common subject " + std::to_string(c));
    } else {
      k.push_back("S:project " + id + " " + std::to_string(subj));
      k.push_back("T:project * " + id);
      k.push_back("R:Project " + id + " " + std::to_string(subj));
    }
    // Infrastructure: common values (a few mailers, big providers' hops) and a long tail.
    k.push_back("X:mailer " + std::to_string(s.mailer));
    k.push_back("H:host:hop" + std::to_string(s.hop) + ".net");
    k.push_back("H:ip:10." + std::to_string(s.hop % 256) + "." + std::to_string(s.hop / 256 % 256));
    if (s.service < 20) k.push_back("V:service " + std::to_string(s.service));
    // Sender shape: vocabulary classes, few values.
    k.push_back("L:security+celestial " + std::to_string(s.shape));
    k.push_back("N:service " + std::to_string(s.shape % 50));
    k.push_back("W:word " + std::to_string(s.shape % 300));
    if (s.links) {
      k.push_back("K:link" + id + ".com");
      k.push_back("P:/" + id + "/*/login");
    }
    if (s.attachment) {
      k.push_back("A:" + hex(s.seed * 31, 16) + hex(s.seed * 37, 16));
      k.push_back("F:invoice_*.pdf " + std::to_string(s.seed % 40));
    }
    // Lure: the signals behind the verdict and the class — a handful of values each.
    k.push_back("Z:lure " + std::to_string(s.lure));
    k.push_back("C:class " + std::to_string(s.klass));
    if (s.klass < 3) k.push_back("I:executive " + hex(s.seed * 7, 8));
    std::sort(k.begin(), k.end());
    k.erase(std::unique(k.begin(), k.end()), k.end());
    time_ += 60 + static_cast<std::int64_t>(std::uniform_int_distribution<int>(0, 120)(rng_));
    return Features{std::move(k), time_, false};
  }

  bool common_subject_coin() { return std::uniform_int_distribution<int>(0, 9)(rng_) < 3; }

  std::mt19937_64 rng_;
  std::vector<Series> active_;
  Zipf sizes_{kMaxSeries - 1, 1.6};
  Zipf mailers_{2000, 1.1};
  Zipf hops_{50000, 1.0};
  Zipf services_{200, 1.2};
  Zipf lures_{300, 1.1};
  Zipf classes_{12, 1.0};
  Zipf shapes_{400, 1.0};
  Zipf common_subjects_{5000, 1.1};
  std::int64_t time_ = 1735689600;  // 2025-01-01
};

// ----------------------------------------------------------------------------------- measures

struct Latency {
  double mean_us = 0, p50_us = 0, p99_us = 0, per_s = 0;
};

Latency summarise(std::vector<double> us) {
  Latency l;
  if (us.empty()) return l;
  const double total = std::accumulate(us.begin(), us.end(), 0.0);
  std::sort(us.begin(), us.end());
  l.mean_us = total / static_cast<double>(us.size());
  l.p50_us = us[us.size() / 2];
  l.p99_us = us[std::min(us.size() - 1, us.size() * 99 / 100)];
  l.per_s = static_cast<double>(us.size()) / (total / 1e6);
  return l;
}

// CPU seconds (user + system) the process has used.
double cpu_seconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  auto sec = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return sec(ru.ru_utime) + sec(ru.ru_stime);
}

double micros(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double, std::micro>(to - from).count();
}

long rss_kb() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return 0;
}

std::vector<std::size_t> parse_sizes(const std::string& s) {
  std::vector<std::size_t> out;
  std::stringstream in(s);
  std::string item;
  while (std::getline(in, item, ',')) out.push_back(std::stoul(item));
  std::sort(out.begin(), out.end());
  return out;
}

int run_memory(const std::vector<std::size_t>& sizes, std::size_t measure) {
  MailStream stream(42);
  renkei::campaign::Clusterer clusterer;
  std::size_t added = 0;
  std::printf(
      "| stored mails | campaigns | mean µs | p50 µs | p99 µs | adds/s | indexed keys | "
      "postings | RSS MiB | fill s |\n");
  std::printf("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  for (const std::size_t n : sizes) {
    const auto fill_start = Clock::now();
    for (; added < n; ++added) clusterer.add(stream.next());
    const double fill_s = micros(fill_start, Clock::now()) / 1e6;
    std::vector<Features> batch;
    batch.reserve(measure);
    for (std::size_t i = 0; i < measure; ++i) batch.push_back(stream.next());
    std::vector<double> us;
    us.reserve(measure);
    for (const auto& f : batch) {
      const auto t = Clock::now();
      clusterer.add(f);
      us.push_back(micros(t, Clock::now()));
    }
    added += measure;
    const Latency l = summarise(us);
    std::printf("| %zu | %zu | %.1f | %.1f | %.1f | %.0f | %zu | %zu | %.0f | %.1f |\n", n,
                clusterer.campaigns().size(), l.mean_us, l.p50_us, l.p99_us, l.per_s,
                clusterer.indexed_keys(), clusterer.postings(),
                static_cast<double>(rss_kb()) / 1024, fill_s);
    std::fflush(stdout);
  }
  return 0;
}

// -------------------------------------------------------------------------------------- store

namespace store = renkei::store;
namespace sql = renkei::store::sql;

[[noreturn]] void die(const std::string& what, const renkei::Error& e) {
  std::fprintf(stderr, "campaign_bench: %s: %s\n", what.c_str(), e.message.c_str());
  std::exit(1);
}

// Writes `count` analysed mails waiting for their campaign, as AnalysisQueue::complete leaves
// them, in one transaction.
void insert_pending(sql::Connection& c, MailStream& stream, std::size_t count) {
  if (auto r = c.begin(); !r) die("begin", r.error());
  constexpr std::size_t kRowsPerInsert = 400;
  for (std::size_t i = 0; i < count; ++i) {
    const Features f = stream.next();
    auto ins = c.query(
        "INSERT INTO submissions (kind, channel, disclosure, status, submitted_at, analysed_at, "
        "campaign_pending, mail_time) VALUES ('email', 'bench', 'not_shared', 'analysed', $1, $1, "
        "1, $2) RETURNING id",
        {"2026-01-01T00:00:00Z", f.time});
    if (!ins) die("insert submission", ins.error());
    ins->next();
    const std::int64_t id = ins->int64(0);
    for (std::size_t from = 0; from < f.keys.size(); from += kRowsPerInsert) {
      const std::size_t to = std::min(f.keys.size(), from + kRowsPerInsert);
      std::string q = "INSERT INTO submission_features (submission_id, key) VALUES ";
      std::vector<sql::Param> params{id};
      for (std::size_t k = from; k < to; ++k) {
        params.emplace_back(f.keys[k]);
        q += (k == from ? "($1, $" : ", ($1, $") + std::to_string(params.size()) + ")";
      }
      if (auto r = c.query(q, params); !r) die("insert features", r.error());
    }
  }
  if (auto r = c.commit(); !r) die("commit", r.error());
}

std::int64_t scalar(sql::Connection& c, const std::string& q) {
  auto r = c.query(q);
  if (!r) die(q, r.error());
  r->next();
  return r->int64(0);
}

int run_store(bool pg, const std::string& where, const std::vector<std::size_t>& sizes,
              std::size_t measure) {
  auto opened = pg ? store::open_postgres(where) : store::open_sqlite(where);
  if (!opened) die("open", opened.error());
  auto& st = **opened;
  if (auto v = st.migrate(); !v) die("migrate", v.error());
  auto raw =
      pg ? store::pg::connect(where) : store::sqlite::connect(store::sqlite_path(where), true);
  if (!raw) die("connect", raw.error());
  sql::Connection& c = **raw;
  const auto rules = renkei::hub::campaign_rules();  // exactly the hub's campaign job

  MailStream stream(42);
  std::size_t assigned = 0;
  auto assign_all = [&](std::vector<double>* us) {
    for (;;) {
      const auto t = Clock::now();
      auto done = st.assign_next_campaign(rules);
      const auto e = Clock::now();
      if (!done) die("assign_next_campaign", done.error());
      if (!*done) return;
      ++assigned;
      if (us) us->push_back(micros(t, e));
    }
  };
  std::printf(
      "| stored mails | campaigns | mean ms | p50 ms | p99 ms | assignments/s | bench CPU "
      "ms | postings | database MiB | fill s |\n");
  std::printf("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  constexpr std::size_t kChunk = 5000;
  for (const std::size_t n : sizes) {
    const auto fill_start = Clock::now();
    while (assigned < n) {
      insert_pending(c, stream, std::min(kChunk, n - assigned));
      assign_all(nullptr);
    }
    const double fill_s = micros(fill_start, Clock::now()) / 1e6;
    if (pg) {
      if (auto r = c.query("ANALYZE"); !r) die("analyze", r.error());
    }
    insert_pending(c, stream, measure);
    std::vector<double> us;
    us.reserve(measure);
    const double cpu_before = cpu_seconds();
    assign_all(&us);
    const double cpu_ms = (cpu_seconds() - cpu_before) * 1000 / static_cast<double>(us.size());
    const Latency l = summarise(us);
    const std::int64_t campaigns = scalar(c, "SELECT COUNT(*) FROM campaigns");
    const std::int64_t postings = scalar(c, "SELECT COUNT(*) FROM campaign_postings");
    double mib = 0;
    if (pg) {
      mib = static_cast<double>(scalar(c, "SELECT pg_database_size(current_database())"));
    } else {
      const std::string db = store::sqlite_path(where);
      std::error_code ec;
      mib = static_cast<double>(std::filesystem::file_size(db, ec));
      const auto wal = std::filesystem::file_size(db + "-wal", ec);
      if (!ec) mib += static_cast<double>(wal);
    }
    mib /= 1024.0 * 1024.0;
    std::printf("| %zu | %lld | %.2f | %.2f | %.2f | %.0f | %.2f | %lld | %.0f | %.0f |\n", n,
                static_cast<long long>(campaigns), l.mean_us / 1000, l.p50_us / 1000,
                l.p99_us / 1000, l.per_s, cpu_ms, static_cast<long long>(postings), mib, fill_s);
    std::fflush(stdout);
  }
  return 0;
}

int usage() {
  std::fprintf(stderr,
               "usage: renkei_campaign_bench memory|sqlite DIR|postgres URL [--sizes N,N,..] "
               "[--measure M]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return usage();
  const std::string mode = argv[1];
  std::string where;
  int i = 2;
  if (mode == "sqlite" || mode == "postgres") {
    if (argc < 3) return usage();
    where = argv[2];
    i = 3;
  } else if (mode != "memory") {
    return usage();
  }
  std::vector<std::size_t> sizes{10000, 100000, 1000000};
  std::size_t measure = mode == "memory" ? 5000 : 1000;
  for (; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--sizes" && i + 1 < argc) {
      sizes = parse_sizes(argv[++i]);
    } else if (a == "--measure" && i + 1 < argc) {
      measure = std::stoul(argv[++i]);
    } else {
      return usage();
    }
  }
  if (mode == "memory") return run_memory(sizes, measure);
  return run_store(mode == "postgres", where, sizes, measure);
}
