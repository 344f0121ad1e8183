// libFuzzer harness for the registry: the TOML loader (SPEC 5) and the domain helpers, which
// see every host name of every analysed message.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "registry/registry.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  auto registry = renkei::registry::Registry::load_toml_string(input, "fuzz.toml");
  if (registry) {
    // Whatever loaded must answer lookups on its own domains and on the input.
    for (const auto& domain : registry->protected_domains()) {
      (void)registry->is_protected(domain);
      (void)registry->owner_of("mail." + domain);
    }
    (void)registry->owner_of(input);
    (void)registry->is_vip_address(input);
  } else if (registry.error().message.empty()) {
    __builtin_trap();  // every error must say what went wrong
  }

  const std::string reg = renkei::registry::registrable_domain(input);
  (void)renkei::registry::public_suffix(input);
  (void)renkei::registry::has_known_suffix(input);
  const std::string unicode = renkei::registry::idn_to_unicode(input);
  const std::string ascii = renkei::registry::idn_to_ascii(unicode);
  (void)renkei::registry::registrable_domain(ascii);
  (void)reg;

  const auto& lists = renkei::registry::Lists::builtin();
  (void)lists.is_freemail(input);
  (void)lists.is_disposable(input);
  (void)lists.is_shortener(input);
  (void)lists.bulk_sender(input);
  return 0;
}
