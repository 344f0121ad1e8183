// Who controls each indicator. Sharing publishes only the attacker's indicators, so "attacker"
// is given only on evidence the analysis holds (a look-alike domain, a diverted reply, a link of
// a phishing mail, a flagged attachment of a malicious one); the recipients' own addresses, the
// registered domains and the well-known services' domains are never the attacker's.
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "analysis/context.hpp"
#include "util/text.hpp"

namespace renkei::analysis {
namespace {

struct Decision {
  std::string_view disposition;
  std::string_view reason;
  std::string detail;
};

class Dispositions {
 public:
  Dispositions(const Analysis& a, const Context& ctx) : a_(a), ctx_(ctx) {
    const bool malicious = a.verdict.malicious();
    for (const auto& l : a.lookalikes) look_of_.emplace_back(registrable(l.domain), l.of);
    for (const auto& m : a.to) recipients_.insert(util::ascii_lower(m.address));
    for (const auto& m : a.cc) recipients_.insert(util::ascii_lower(m.address));
    for (const auto& m : a.to) {
      const std::string d = registrable(domain_of(m.address));
      if (!d.empty() && !ctx.lists.is_freemail(d)) recipient_domains_.insert(d);
    }
    if (!malicious) return;
    // The addresses the detectors tied to the attacker, each with the signal that did.
    auto mark = [&](const std::string& address, std::string_view reason) {
      if (address.find('@') != std::string::npos)
        attacker_.emplace(util::ascii_lower(address), reason);
    };
    const std::string from_reg = registrable(a.from.domain());
    if (a.has_signal("reply_to_diverges") || a.has_signal("freemail_reply_to"))
      for (const auto& m : a.reply_to)
        if (registrable(domain_of(m.address)) != from_reg) mark(m.address, "reply_to_diversion");
    if (a.has_signal("return_path_diverges") && registrable(domain_of(a.return_path)) != from_reg)
      mark(a.return_path, "return_path_diversion");
    if (a.has_signal("mdn_to_other"))
      for (const auto& m : a.mdn_to) mark(m.address, "receipt_diversion");
    for (const auto& [address, role] : ctx.attacker_addresses) mark(address, "cc_diversion");
    // A sender who pretends to be someone else writes from an address of their own, unless the
    // address is a registered organisation's (then it was spoofed, or the account is a victim's).
    static constexpr std::string_view kImpersonation[] = {
        "sender_lookalike", "executive_impersonation", "display_name_has_address",
        "from_mailto_trick", "freemail_embeds_identity"};
    for (std::string_view id : kImpersonation)
      if (a.has_signal(id) && !registered(a.from.domain())) {
        mark(a.from.address, "impersonation");
        break;
      }
    // The domains the attacker's addresses are at, unless anyone may have an address there.
    for (const auto& [address, reason] : attacker_) {
      const std::string d = registrable(domain_of(address));
      if (!d.empty() && !known_service(d) && !registered(d)) attacker_domains_.emplace(d, reason);
    }
  }

  Decision decide(const Indicator& i) const {
    if (i.type == "email-addr") return address(i.value);
    if (i.type == "domain-name") return domain(i.value, i.role);
    if (i.type == "url") return url(i.value, i.role);
    if (i.type == "file") return file(i.value);
    // IP addresses: the sending server may be a shared mail service, a body's IP anything.
    return {"unknown", "no_evidence", ""};
  }

 private:
  bool registered(std::string_view domain) const {
    return ctx_.registry != nullptr && !domain.empty() && ctx_.registry->is_protected(domain);
  }
  std::string owner(std::string_view domain) const {
    const registry::Organization* o =
        ctx_.registry != nullptr ? ctx_.registry->owner_of(domain) : nullptr;
    return o != nullptr ? o->name : std::string(domain);
  }
  // A domain where anyone may hold an address or publish: it is never the attacker's own.
  std::string_view known_service_reason(std::string_view host) const {
    if (gateway_rewriter(host)) return "url_rewriter";
    if (ctx_.lists.is_freemail(host) || ctx_.lists.is_freemail(registrable(host)))
      return "freemail_service";
    if (brand_domains().contains(host)) return "brand_domain";
    if (ctx_.lists.is_shortener(host) || ctx_.lists.is_user_content_host(host) ||
        ctx_.lists.bulk_sender(host) || ctx_.lists.is_shared_platform_tenant(host))
      return "web_service";
    return {};
  }
  bool known_service(std::string_view host) const { return !known_service_reason(host).empty(); }
  const std::string* imitated(const std::string& reg) const {
    for (const auto& [d, of] : look_of_)
      if (d == reg) return &of;
    return nullptr;
  }

  Decision address(const std::string& value) const {
    const std::string v = util::ascii_lower(value);
    const std::string d = domain_of(v);
    const std::string reg = registrable(d);
    if (const std::string* of = imitated(reg)) return {"attacker", "lookalike", *of};
    if (auto it = attacker_.find(v); it != attacker_.end()) return {"attacker", it->second, ""};
    if (auto it = attacker_domains_.find(reg); it != attacker_domains_.end())
      return {"attacker", it->second, ""};
    if (recipients_.count(v) > 0) return {"victim", "recipient", ""};
    if (registered(d)) return {"legitimate", "registered_domain", owner(d)};
    if (!a_.verdict.malicious()) return {"unknown", "not_malicious", ""};
    return {"unknown", "no_evidence", ""};
  }

  Decision domain(const std::string& value, const std::string& role) const {
    const std::string reg = registrable(value);
    if (const std::string* of = imitated(reg)) return {"attacker", "lookalike", *of};
    if (auto r = known_service_reason(value); !r.empty()) return {"legitimate", r, ""};
    if (auto it = attacker_domains_.find(reg); it != attacker_domains_.end())
      return {"attacker", it->second, ""};
    if (recipient_domains_.count(reg) > 0) return {"victim", "recipient_domain", ""};
    if (registered(value)) return {"legitimate", "registered_domain", owner(value)};
    if (role == "link" || role == "attachment_link") return malicious_link();
    if (!a_.verdict.malicious()) return {"unknown", "not_malicious", ""};
    return {"unknown", "no_evidence", ""};
  }

  // A link in a mail whose verdict is phishing, malware or scam: the page the lure sends the
  // reader to. A BEC asks for a reply, not a click; its links are the imitated company's own,
  // so they stay unknown.
  Decision malicious_link() const {
    const std::string& k = a_.verdict.klass;
    if (k == "phishing" || k == "malware" || k == "scam")
      return {"attacker", "malicious_link", std::string(a_.verdict.klass)};
    if (!a_.verdict.malicious()) return {"unknown", "not_malicious", ""};
    return {"unknown", "no_evidence", ""};
  }

  Decision url(const std::string& value, const std::string& role) const {
    const std::string host = content::url_host(value);
    if (host.empty()) return {"unknown", "no_evidence", ""};
    const std::string reg = registrable(host);
    if (const std::string* of = imitated(reg)) return {"attacker", "lookalike", *of};
    if (gateway_rewriter(host)) return {"legitimate", "url_rewriter", ""};
    if (auto it = attacker_domains_.find(reg); it != attacker_domains_.end())
      return {"attacker", it->second, ""};
    if (registered(host)) return {"legitimate", "registered_domain", owner(host)};
    if (brand_domains().contains(host)) return {"legitimate", "brand_domain", ""};
    if (recipient_domains_.count(reg) > 0) return {"victim", "recipient_domain", ""};
    // A page on a free host or behind a shortener is the attacker's even though the host is not.
    if (role == "link" || role == "attachment_link") return malicious_link();
    return {"unknown", "no_evidence", ""};
  }

  Decision file(const std::string& sha256) const {
    if (!a_.verdict.malicious()) return {"unknown", "not_malicious", ""};
    for (const auto& att : a_.attachments) {
      const attach::Inspection& in = att.inspection;
      const bool flagged = in.executable || in.executable_inside || in.has_macros || in.is_html ||
                           in.double_extension || in.extension_mismatch || in.archive_encrypted;
      if (in.hashes.sha256 == sha256)
        return flagged ? Decision{"attacker", "malicious_attachment", att.filename}
                       : Decision{"unknown", "no_evidence", ""};
      for (const auto& e : in.entries)
        if (e.hashes.sha256 == sha256)
          return flagged || e.executable ? Decision{"attacker", "malicious_attachment", e.path}
                                         : Decision{"unknown", "no_evidence", ""};
    }
    return {"unknown", "no_evidence", ""};
  }

  const Analysis& a_;
  const Context& ctx_;
  std::vector<std::pair<std::string, std::string>> look_of_;  // registrable domain -> imitated
  std::set<std::string> recipients_;                          // To and Cc addresses
  std::set<std::string> recipient_domains_;                   // To's organisations
  std::map<std::string, std::string_view> attacker_;          // address -> reason
  std::map<std::string, std::string_view> attacker_domains_;  // registrable domain -> reason
};

}  // namespace

void assign_dispositions(Analysis& a, const Context& ctx) {
  const Dispositions d(a, ctx);
  for (auto& i : a.indicators) {
    Decision x = d.decide(i);
    i.disposition = std::string(x.disposition);
    i.disposition_reason = std::string(x.reason);
    i.disposition_detail = std::move(x.detail);
  }
}

}  // namespace renkei::analysis
