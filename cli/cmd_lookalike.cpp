// renkei lookalike DOMAIN... | renkei lookalike --generate DOMAIN...
//
// Checks domains against the protected set (the registry's members' and partners' domains, the
// curated brands' domains, and --protect), or lists the variants an attacker could register.
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/analysis.hpp"
#include "commands.hpp"
#include "content/content.hpp"
#include "exit_codes.hpp"
#include "lookalike/lookalike.hpp"
#include "registry/registry.hpp"

namespace renkei::cli {
namespace {

struct LookalikeOptions {
  std::vector<std::string> domains;
  std::vector<std::string> protect;
  std::string registry_path;
  std::string format = "text";
  std::string lang = "en";
  bool generate = false;
  bool no_brands = false;
  bool no_unicode = false;
  std::size_t max_variants = 20000;
};

// Lines longer than this on stdin are not domain names; they are reported and skipped.
constexpr std::size_t kMaxInputLine = 4096;

// What the user gave, as a host: refanged ("example[.]com"), URLs and addresses reduced to their
// host ("hxxps://login.example.com/x" -> "login.example.com", "a@example.com" -> "example.com").
std::string host_of(std::string_view input) {
  std::string s = content::refang(input);
  if (const auto scheme = s.find("://"); scheme != std::string::npos) s.erase(0, scheme + 3);
  if (const auto end = s.find_first_of("/?#"); end != std::string::npos) s.erase(end);
  if (const auto at = s.rfind('@'); at != std::string::npos) s.erase(0, at + 1);
  if (const auto port = s.rfind(':'); port != std::string::npos && s.find(':') == port)
    s.erase(port);
  return s;
}

std::vector<std::string> read_inputs(const LookalikeOptions& opt, bool& had_errors) {
  std::vector<std::string> out;
  bool from_stdin = opt.domains.empty();
  for (const auto& d : opt.domains) {
    if (d == "-")
      from_stdin = true;
    else
      out.push_back(d);
  }
  if (from_stdin) {
    std::string line;
    while (std::getline(std::cin, line)) {
      if (line.size() > kMaxInputLine) {
        std::cerr << "renkei lookalike: skipped a line of " << line.size() << " bytes (longer than "
                  << kMaxInputLine << "): give one domain per line\n";
        had_errors = true;
        continue;
      }
      while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t'))
        line.pop_back();
      std::size_t b = 0;
      while (b < line.size() && (line[b] == ' ' || line[b] == '\t')) ++b;
      line.erase(0, b);
      if (line.empty() || line[0] == '#') continue;
      out.push_back(line);
    }
  }
  return out;
}

const std::vector<lookalike::Technique>& all_techniques_none() {
  static const std::vector<lookalike::Technique> none;
  return none;
}

nlohmann::json techniques_json(const std::vector<lookalike::Technique>& ts) {
  nlohmann::json arr = nlohmann::json::array();
  for (auto t : ts) arr.push_back(std::string(lookalike::technique_id(t)));
  return arr;
}

int run_check(const LookalikeOptions& opt) {
  auto loaded = load_registry_option(opt.registry_path, "lookalike");
  if (const int* code = std::get_if<int>(&loaded)) return *code;
  const std::optional<registry::Registry>& reg = std::get<0>(loaded);
  lookalike::Index own;
  if (reg)
    for (const auto& d : reg->protected_domains()) own.add(d);
  for (const auto& d : opt.protect)
    if (!own.add(host_of(d))) {
      std::cerr << "renkei lookalike: --protect " << d
                << " is not a usable domain name (e.g. example.co.jp)\n";
      return kExitUsage;
    }
  const lookalike::Index* brands = opt.no_brands ? nullptr : &analysis::brand_domains();
  if (own.size() == 0 && brands == nullptr) {
    std::cerr << "renkei lookalike: nothing to compare with: give --registry FILE or --protect "
                 "DOMAIN, or drop --no-brands\n";
    return kExitUsage;
  }

  bool had_errors = false;
  const auto inputs = read_inputs(opt, had_errors);
  const bool ja = opt.lang == "ja";
  std::size_t found = 0;
  for (const auto& input : inputs) {
    const std::string host = host_of(input);
    nlohmann::json j;
    j["domain"] = input;
    if (lookalike::organizational_domain(host).empty()) {
      had_errors = true;
      const std::string msg = "not a usable domain name";
      if (opt.format == "json") {
        j["lookalike_of"] = nullptr;
        j["techniques"] = nlohmann::json::array();
        j["score"] = 0;
        j["explanation"] = nullptr;
        j["error"] = msg;
        std::cout << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
      } else {
        std::cout << input << "  error: " << msg
                  << " (give a host such as example.co.jp, a URL or an address)\n";
      }
      continue;
    }
    // The registry and --protect first; the brands answer when they do not.
    std::optional<lookalike::Match> m;
    std::string owner;
    const bool is_own = own.contains(host), is_brand = brands && brands->contains(host);
    if (!is_own && !is_brand) {
      m = own.check(host);
      if (brands)
        if (auto b = brands->check(host); b && (!m || b->score > m->score)) m = std::move(b);
    }
    if (m && reg) {
      if (const auto* o = reg->owner_of(lookalike::organizational_domain(m->lookalike_of)))
        owner = o->name;
    }
    if (m) ++found;
    if (opt.format == "json") {
      j["lookalike_of"] = m ? nlohmann::json(m->lookalike_of) : nlohmann::json(nullptr);
      j["techniques"] = techniques_json(m ? m->techniques : all_techniques_none());
      j["score"] = m ? m->score : 0;
      j["explanation"] =
          m ? nlohmann::json(ja ? m->explanation_ja : m->explanation) : nlohmann::json(nullptr);
      if (m) j["explanation_ja"] = m->explanation_ja;
      if (!owner.empty()) j["owner"] = owner;
      if (is_own || is_brand) j["protected"] = true;
      std::cout << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    } else if (m) {
      std::cout << input << "  " << (ja ? "なりすまし: " : "look-alike of ") << m->lookalike_of
                << (owner.empty() ? "" : " (" + owner + ")") << "  [";
      for (std::size_t i = 0; i < m->techniques.size(); ++i)
        std::cout << (i ? ", " : "") << lookalike::technique_id(m->techniques[i]);
      std::cout << "]  " << (ja ? "スコア " : "score ") << m->score << "\n    "
                << (ja ? m->explanation_ja : m->explanation) << "\n";
    } else {
      std::cout << input << "  "
                << (is_own || is_brand
                        ? (ja ? "保護対象のドメイン" : "a protected domain itself")
                        : (ja ? "なりすましは見つかりません" : "no look-alike found"))
                << "\n";
    }
  }
  if (inputs.empty()) {
    std::cerr
        << "renkei lookalike: no domains given (arguments, or one per line on standard input)\n";
    return kExitUsage;
  }
  (void)found;
  return had_errors ? kExitInputErrors : kExitOk;
}

int run_generate(const LookalikeOptions& opt) {
  bool had_errors = false;
  const auto inputs = read_inputs(opt, had_errors);
  if (inputs.empty()) {
    std::cerr << "renkei lookalike --generate: give the domain to protect, e.g. renkei lookalike "
                 "--generate example.co.jp\n";
    return kExitUsage;
  }
  lookalike::GenerateOptions go;
  go.max_variants = opt.max_variants;
  go.include_unicode = !opt.no_unicode;
  for (const auto& input : inputs) {
    auto g = lookalike::generate(host_of(input), go);
    if (!g) {
      std::cerr << "renkei lookalike --generate: " << input << ": " << g.error().to_string()
                << "\n";
      had_errors = true;
      continue;
    }
    const std::string of = lookalike::organizational_domain(host_of(input));
    for (const auto& v : g->variants) {
      if (opt.format == "json") {
        nlohmann::json j;
        j["domain"] = v.domain;
        j["unicode"] = v.unicode;
        j["technique"] = std::string(lookalike::technique_id(v.technique));
        j["variant_of"] = registry::idn_to_unicode(of);
        std::cout << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
      } else {
        std::cout << lookalike::technique_id(v.technique) << "\t" << v.domain;
        if (v.unicode != v.domain) std::cout << "\t" << v.unicode;
        std::cout << "\n";
      }
    }
    if (g->truncated)
      std::cerr << "renkei lookalike --generate: " << input << ": stopped at " << go.max_variants
                << " variants (raise --max-variants to see more)\n";
  }
  return had_errors ? kExitInputErrors : kExitOk;
}

}  // namespace

void register_lookalike(CLI::App& app, std::function<int()>& run) {
  auto opt = std::make_shared<LookalikeOptions>();
  CLI::App* cmd = app.add_subcommand("lookalike",
                                     "Does a domain imitate a protected one (registry, brands, "
                                     "--protect)? Or, with --generate, list the "
                                     "look-alike domains an attacker could register");
  cmd->add_option("domains", opt->domains,
                  "Domains, hosts, URLs or addresses (defanged is fine); none or - reads one per "
                  "line from stdin");
  cmd->add_option("--registry", opt->registry_path,
                  "Identity registry (TOML, SPEC 5): members' and partners' domains");
  cmd->add_option("--protect", opt->protect, "Also protect this domain (repeatable)");
  cmd->add_flag("--no-brands", opt->no_brands,
                "Do not compare with the built-in well-known brands' domains");
  cmd->add_flag("--generate", opt->generate,
                "List variants of the given domains (dnstwist-style) instead of checking");
  cmd->add_flag("--no-unicode", opt->no_unicode,
                "With --generate: ASCII variants only (no IDN homoglyphs)");
  cmd->add_option("--max-variants", opt->max_variants,
                  "With --generate: stop after this many variants per domain")
      ->capture_default_str();
  cmd->add_option("--format", opt->format,
                  "Output: text or json (JSON Lines, one object per input / variant)")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  cmd->add_option("--lang", opt->lang, "Language of explanations: en or ja")
      ->check(CLI::IsMember({"en", "ja"}))
      ->capture_default_str();
  cmd->callback([&run, opt] {
    run = [opt] { return opt->generate ? run_generate(*opt) : run_check(*opt); };
  });
}

}  // namespace renkei::cli
