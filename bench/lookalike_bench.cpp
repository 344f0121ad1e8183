// Look-alike benchmark (bench/lookalike.sh; results in docs/benchmarks.md).
//
// 1. lookalike::Index::check against 10k and 100k protected domains: checks per second for
//    unrelated domains (what most mail carries) and for look-alikes (generated variants), next to
//    the naive way — classify() against every protected domain — on the same candidates.
// 2. renkei's analysis of a corpus (default ../shared/data/corpus/phishing_pot), one thread, with
//    no registry and with a registry of 10,000 domains and 5,000 executives: the registry must
//    cost at most 10 % of the throughput.
//
//   renkei_lookalike_bench [CORPUS_DIR] [--reps N]
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "analysis/analysis.hpp"
#include "lookalike/lookalike.hpp"
#include "registry/registry.hpp"

namespace {

using Clock = std::chrono::steady_clock;
using renkei::lookalike::Index;

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

long peak_rss_kb() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss;
}

// Plausible, diverse company domains: pronounceable names of 2-4 syllables (romanised Japanese
// and English-like), sometimes hyphenated or with a word, under the suffixes an ISAC's members and
// partners use. Distinct from each other like real company names are.
std::vector<std::string> company_domains(std::size_t n, unsigned seed) {
  static const char* const kOnset[] = {"k", "s", "t",  "n",  "h",  "m",  "y",  "r",  "w",
                                       "g", "z", "d",  "b",  "p",  "sh", "ch", "ts", "f",
                                       "v", "l", "tr", "st", "br", "pl", "gr", ""};
  static const char* const kVowel[] = {"a", "i", "u", "e", "o", "ai", "ei", "ou", "ya", "yo"};
  static const char* const kCoda[] = {"", "", "", "n", "x", "l", "r", "s", "t", "m"};
  static const char* const kWords[] = {"tech",  "trading", "steel", "chem",  "logistics", "systems",
                                       "denki", "kogyo",   "shoji", "group", "holdings",  "pharma",
                                       "foods", "motors",  "bank",  "soft"};
  static const char* const kSuffixes[] = {"co.jp",  "com",    "jp",     "ne.jp", "or.jp", "com.hk",
                                          "com.tw", "co.kr",  "com.sg", "de",    "fr",    "co.uk",
                                          "net",    "com.cn", "us",     "com.cc"};
  std::mt19937 rng(seed);
  auto pick = [&](auto& arr) { return arr[rng() % std::size(arr)]; };
  std::vector<std::string> out;
  out.reserve(n + n / 8);
  while (out.size() < n + n / 8) {
    std::string name;
    const auto syllables = static_cast<unsigned>(2 + rng() % 3);
    for (unsigned i = 0; i < syllables; ++i)
      name += std::string(pick(kOnset)) + pick(kVowel) + (i + 1 == syllables ? pick(kCoda) : "");
    if (rng() % 4 == 0) name += std::string(rng() % 2 ? "-" : "") + pick(kWords);
    out.push_back(name + "." + pick(kSuffixes));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  std::shuffle(out.begin(), out.end(), rng);
  if (out.size() > n) out.resize(n);
  return out;
}

struct Rate {
  double per_second = 0;
  double us_per_check = 0;
  std::size_t found = 0;
};

template <typename F>
Rate measure(const std::vector<std::string>& candidates, F&& check, double min_seconds) {
  Rate r;
  std::size_t done = 0, found = 0;
  const auto start = Clock::now();
  do {
    for (const auto& c : candidates) found += check(c) ? 1 : 0;
    done += candidates.size();
  } while (seconds_since(start) < min_seconds);
  const double s = seconds_since(start);
  r.per_second = static_cast<double>(done) / s;
  r.us_per_check = s * 1e6 / static_cast<double>(done);
  r.found = found * candidates.size() / done;
  return r;
}

void bench_index(std::size_t size) {
  const auto protected_set = company_domains(size, 42);
  const long rss0 = peak_rss_kb();
  const auto t0 = Clock::now();
  Index ix;
  for (const auto& d : protected_set) ix.add(d);
  (void)ix.check("warm-up.example.net");  // sorts the keys
  const double build_s = seconds_since(t0);
  const long rss1 = peak_rss_kb();

  // Unrelated candidates (other companies' domains) and look-alikes of protected ones.
  auto unrelated = company_domains(2000, 7);
  unrelated.erase(std::remove_if(unrelated.begin(), unrelated.end(),
                                 [&](const std::string& d) { return ix.contains(d); }),
                  unrelated.end());
  std::vector<std::string> lookalikes;
  std::mt19937 rng(3);
  for (std::size_t i = 0; lookalikes.size() < 2000 && i < protected_set.size(); i += 7) {
    auto g = renkei::lookalike::generate(protected_set[i]);
    if (!g || g->variants.empty()) continue;
    for (int k = 0; k < 4; ++k)
      lookalikes.push_back(g->variants[rng() % g->variants.size()].domain);
  }

  const Rate ru = measure(
      unrelated, [&](const std::string& c) { return ix.check(c).has_value(); }, 1.0);
  const Rate rl = measure(
      lookalikes, [&](const std::string& c) { return ix.check(c).has_value(); }, 1.0);
  // The naive way on a sample of unrelated domains (each must be compared with every protected
  // domain): classify() against all of them.
  const std::vector<std::string> sample(
      unrelated.begin(), unrelated.begin() + std::min<std::size_t>(10, unrelated.size()));
  const Rate rp = measure(
      sample,
      [&](const std::string& c) {
        for (const auto& p : protected_set)
          if (renkei::lookalike::classify(c, p)) return true;
        return false;
      },
      1.0);

  std::printf("| %zu | %.2f s | %.1f MB | unrelated domains | %.0f | %.2f | %.1f %% flagged |\n",
              size, build_s, static_cast<double>(rss1 - rss0) / 1024.0, ru.per_second,
              ru.us_per_check,
              100.0 * static_cast<double>(ru.found) / static_cast<double>(unrelated.size()));
  std::printf("| %zu | | | generated look-alikes | %.0f | %.2f | %.1f %% found |\n", size,
              rl.per_second, rl.us_per_check,
              100.0 * static_cast<double>(rl.found) / static_cast<double>(lookalikes.size()));
  std::printf(
      "| %zu | | | unrelated, pairwise classify() (naive) | %.0f | %.2f | %.0fx slower than the "
      "index |\n",
      size, rp.per_second, rp.us_per_check, rp.us_per_check / ru.us_per_check);
  std::fflush(stdout);
}

std::string big_registry_toml(std::size_t orgs) {
  const auto domains = company_domains(orgs * 2, 99);
  if (domains.size() < orgs * 2) return {};
  std::string toml;
  for (std::size_t i = 0; i < orgs; ++i) {
    const std::string n = std::to_string(i);
    toml += "[[organization]]\nname = \"Member " + n + "\"\nname_ja = \"会員" + n +
            "\"\ndomains = [\"" + domains[2 * i] + "\"]\npartner_domains = [\"" +
            domains[2 * i + 1] + "\"]\n[[organization.vip]]\nname = \"Given" + n + " Family" + n +
            "\"\nname_ja = \"山田" + n + "太郎\"\ntitle = \"CEO\"\naddresses = [\"ceo@" +
            domains[2 * i] + "\"]\n";
  }
  return toml;
}

void bench_analysis(const std::string& corpus, int reps) {
  std::vector<std::string> messages;
  std::size_t bytes = 0;
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(corpus))
    if (e.is_regular_file() && e.path().extension() == ".eml") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    messages.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    bytes += messages.back().size();
  }
  if (messages.empty()) {
    std::printf("\nno .eml files in %s: analysis rows skipped\n", corpus.c_str());
    return;
  }
  const auto t0 = Clock::now();
  auto reg = renkei::registry::Registry::load_toml_string(big_registry_toml(5000), "bench");
  if (!reg) {
    std::printf("registry: %s\n", reg.error().to_string().c_str());
    return;
  }
  renkei::analysis::Options with;
  with.registry = &*reg;
  const renkei::analysis::Engine plain{renkei::analysis::Options{}};
  const renkei::analysis::Engine loaded{with};
  const double setup_s = seconds_since(t0);

  auto run = [&](const renkei::analysis::Engine& engine) {
    const auto start = Clock::now();
    std::size_t n = 0;
    for (const auto& m : messages) n += engine.analyze(m, "bench").signals.size() > 0 ? 1 : 0;
    (void)n;
    return static_cast<double>(messages.size()) / seconds_since(start);
  };
  run(plain);  // warm-up: page cache, lazily built tables
  std::vector<double> a, b;
  for (int i = 0; i < reps; ++i) {  // interleaved, so load changes hit both alike
    a.push_back(run(plain));
    b.push_back(run(loaded));
  }
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  const double ma = a[a.size() / 2], mb = b[b.size() / 2];
  std::printf(
      "\n| analysis, 1 thread, %zu messages (%.1f MB) | msg/s (median of %d) | relative "
      "|\n|---|---|---|\n",
      messages.size(), static_cast<double>(bytes) / 1e6, reps);
  std::printf("| no registry | %.0f | 100 %% |\n", ma);
  std::printf(
      "| registry: 5,000 organisations, 10,000 domains, 5,000 executives (built in %.2f s) | %.0f "
      "| %.1f %% |\n",
      setup_s, mb, 100.0 * mb / ma);
  std::printf("\ntarget: with the registry within 10 %% of without -> %s (%.1f %%)\n",
              mb >= 0.9 * ma ? "MET" : "MISSED", 100.0 * (1.0 - mb / ma));
}

}  // namespace

int main(int argc, char** argv) {
  std::string corpus = "../shared/data/corpus/phishing_pot";
  int reps = 3;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--reps" && i + 1 < argc)
      reps = std::max(1, std::atoi(argv[++i]));
    else
      corpus = a;
  }
  std::printf(
      "| protected domains | index build | index memory | candidates | checks/s | µs/check | "
      "result |\n");
  std::printf("|---|---|---|---|---|---|---|\n");
  bench_index(10000);
  bench_index(100000);
  if (std::filesystem::is_directory(corpus))
    bench_analysis(corpus, reps);
  else
    std::printf("\ncorpus %s not found (../shared/data is absent): analysis rows skipped\n",
                corpus.c_str());
  return 0;
}
