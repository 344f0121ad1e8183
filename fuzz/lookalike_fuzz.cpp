// libFuzzer harness for the look-alike module: generate() and classify() see domain names taken
// from hostile mail (From, Reply-To, Received, URLs), in any case, script and encoding.
//
// Input: the bytes are one domain (at most kMaxInput of them). Invariants that must hold for any
// input are checked with __builtin_trap().
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_set>

#include "lookalike/lookalike.hpp"

namespace {

constexpr std::size_t kMaxInput = 300;  // beyond DNS's 253: the parsers must refuse, not choke
constexpr std::size_t kMaxVariants = 48;
constexpr std::string_view kProtected = "b-company.co.jp";

void check(bool ok) {
  if (!ok) __builtin_trap();
}

bool is_valid_dns(std::string_view d) {
  if (d.empty() || d.size() > 253) return false;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = d.find('.', start);
    const std::string_view label =
        d.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
      return false;
    }
    for (const char c : label) {
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
    }
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > kMaxInput) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  using namespace renkei::lookalike;

  GenerateOptions options;
  options.max_variants = kMaxVariants;
  options.include_unicode = size % 2 == 0;
  const auto generated = generate(input, options);
  if (generated) {
    const std::string org = organizational_domain(input);
    check(!org.empty());
    check(generated->variants.size() <= kMaxVariants);
    std::unordered_set<std::string> seen;
    for (const auto& v : generated->variants) {
      check(is_valid_dns(v.domain));
      check(v.domain != org);
      check(!v.unicode.empty());
      check(seen.insert(v.domain).second);
    }
  } else {
    check(!generated.error().message.empty() && !generated.error().hint.empty());
  }

  const auto match = classify(input, kProtected);
  if (match) {
    check(!match->techniques.empty());
    check(match->score >= 1 && match->score <= 100);
  }
  (void)classify(kProtected, input);

  // The index over a few protected domains must agree with classify() on the same set.
  static const Index& index = []() -> const Index& {
    static Index ix;
    for (const char* d : {"b-company.co.jp", "b-companys.com.cc", "a-company.co.jp",
                          "example-mfg.co.jp", "xn--pple-43d.com"})
      ix.add(d);
    return ix;
  }();
  const auto indexed = index.check(input);
  if (indexed) {
    check(classify(input, indexed->lookalike_of).has_value());
    check(!indexed->explanation.empty());
  }
  check(
      !(match && !indexed && !index.contains(input)));  // a match against a member is never missed
  return 0;
}
