// What the engine tests share: analysing a small synthetic message with the shipped lists and no
// registry, and the verdict classes that count as malicious.
#pragma once

#include <string>

#include "analysis/analysis.hpp"

namespace renkei::analysis::testing {

inline Analysis run(const std::string& eml) {
  Engine engine{Options{}};
  return engine.analyze(eml, "test.eml");
}

inline bool malicious(const Analysis& a) {
  const auto& k = a.verdict.klass;
  return k == "bec" || k == "phishing" || k == "malware" || k == "scam";
}

}  // namespace renkei::analysis::testing
