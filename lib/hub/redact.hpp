// renkei::hub redaction — what a participant may learn from the analysis of their own submission.
//
// The engine analyses every mail against the whole community's registry, so an analysis can name
// another member: "uses the name of Taro Yamada (CEO) of Example Manufacturing, whose address is
// t.yamada@example-mfg.co.jp", "a domain of B Companys". Participants must learn neither who else
// is a member nor what they registered, unless it is their own organisation's data or a partner
// domain they registered themselves (authz: Action::kReadRegistryData). Hub staff see everything.
//
// Contract: for_viewer() collects the registered strings the viewer may not see; apply() rewrites
// an analysis (renkei.analysis/1 as JSON) so that none of them appears in it: a signal whose
// evidence names one keeps its id and severity and gets a generic evidence ("impersonates an
// executive of another participant", "imitates a protected domain"); a look-alike finding whose
// imitated domain or owner is hidden is left out; an indicator's disposition loses the hidden
// name it gives as detail, and a hidden organisation's registered domain becomes "unknown"
// (reason "redacted"). Whatever came from the mail itself (addresses, subject, indicators) is the
// viewer's own and stays. Thread-safe once built.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/model.hpp"

namespace renkei::hub {

class AnalysisRedactor {
 public:
  static AnalysisRedactor for_viewer(const model::Principal& who,
                                     const std::vector<model::Organization>& organizations);
  // Nothing to hide from this viewer (hub staff, or a community of one).
  bool empty() const { return hidden_.empty(); }
  void apply(nlohmann::json& analysis) const;

 private:
  bool names_hidden(std::string_view text) const;
  std::vector<std::string> hidden_;  // lowercase
};

}  // namespace renkei::hub
