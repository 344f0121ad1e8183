// The JSON contract, schema "renkei.analysis/1" (SPEC 4.6). Fields are only ever added in a
// version; renaming or removing one means "renkei.analysis/2". docs/json-contract.md documents it.
#include <nlohmann/json.hpp>

#include "analysis/analysis.hpp"
#include "analysis/context.hpp"
#include "content/content.hpp"

namespace renkei::analysis {
namespace {

using nlohmann::json;

json mailbox(const mime::Mailbox& m) {
  return json{{"address", m.address}, {"name", m.name}, {"domain", domain_of(m.address)}};
}

json mailboxes(const std::vector<mime::Mailbox>& v) {
  json arr = json::array();
  for (const auto& m : v) arr.push_back(mailbox(m));
  return arr;
}

void put_hashes(json& j, const attach::Hashes& h) {
  if (!h.md5.empty()) j["md5"] = h.md5;
  if (!h.sha1.empty()) j["sha1"] = h.sha1;
  if (!h.sha256.empty()) j["sha256"] = h.sha256;
  if (!h.ssdeep.empty()) j["ssdeep"] = h.ssdeep;
}

}  // namespace

std::string to_json_line(const Analysis& a) {
  json j;
  j["schema"] = "renkei.analysis/1";
  j["source"] = a.source;
  j["size"] = a.size;

  json m;
  m["subject"] = a.subject;
  m["message_id"] = a.message_id;
  m["date"] = a.date;
  m["date_unix"] = a.date_unix ? json(*a.date_unix) : json(nullptr);
  m["from"] = mailbox(a.from);
  if (!a.from_trailing.empty()) m["from"]["trailing"] = a.from_trailing;
  m["reply_to"] = mailboxes(a.reply_to);
  m["return_path"] = a.return_path;
  m["sender"] = mailboxes(a.sender);
  m["to"] = mailboxes(a.to);
  m["cc"] = mailboxes(a.cc);
  m["disposition_notification_to"] = mailboxes(a.mdn_to);
  m["in_reply_to"] = a.in_reply_to;
  m["references"] = a.references;
  m["language"] = a.language;
  json received = json::array();
  for (const auto& h : a.received) {
    json r{{"from_host", h.from_host}, {"from_ip", h.from_ip}, {"by_host", h.by_host},
           {"with", h.with_protocol}};
    r["time_unix"] = h.time ? json(*h.time) : json(nullptr);
    received.push_back(std::move(r));
  }
  m["received"] = std::move(received);
  json auth = json::array();
  for (const auto& ar : a.auth_results) {
    json res = json::array();
    for (const auto& r : ar.results) res.push_back({{"method", r.method}, {"result", r.result}});
    auth.push_back({{"authserv_id", ar.authserv_id}, {"results", std::move(res)}});
  }
  m["authentication_results"] = std::move(auth);
  json links = json::array();
  for (const auto& l : a.links)
    links.push_back({{"url", l.url}, {"text", l.text}, {"host", l.host}, {"where", l.where}});
  m["links"] = std::move(links);
  m["text_excerpt"] = a.new_text.substr(0, std::min<std::size_t>(a.new_text.size(), 2000));
  j["message"] = std::move(m);

  if (a.envelope) {
    j["report_envelope"] = {{"from", mailbox(a.envelope->from)},
                            {"subject", a.envelope->subject},
                            {"date", a.envelope->date},
                            {"text", a.envelope->text}};
  }

  json signals = json::array();
  for (const auto& s : a.signals) {
    json sj{{"id", s.id}, {"severity", severity_name(s.severity)}, {"evidence", s.evidence}};
    if (const SignalInfo* info = find_signal(s.id)) {
      sj["explanation"] = {{"en", info->en}, {"ja", info->ja}};
      sj["category"] = info->category;
    }
    signals.push_back(std::move(sj));
  }
  j["signals"] = std::move(signals);

  json looks = json::array();
  for (const auto& l : a.lookalikes)
    looks.push_back({{"domain", l.domain}, {"of", l.of}, {"techniques", l.techniques}, {"owner", l.owner}});
  j["lookalikes"] = std::move(looks);

  json indicators = json::array();
  for (const auto& i : a.indicators)
    indicators.push_back({{"type", i.type}, {"value", i.value}, {"role", i.role}});
  j["indicators"] = std::move(indicators);

  json atts = json::array();
  for (const auto& at : a.attachments) {
    const auto& in = at.inspection;
    json aj{{"filename", at.filename},
            {"declared_type", at.content_type},
            {"real_type", in.real_type},
            {"description", in.real_description},
            {"size", in.size},
            {"is_archive", in.is_archive},
            {"encrypted", in.archive_encrypted},
            {"executable", in.executable || in.executable_inside},
            {"macros", in.has_macros},
            {"html", in.is_html},
            {"double_extension", in.double_extension},
            {"extension_mismatch", in.extension_mismatch}};
    put_hashes(aj, in.hashes);
    if (!in.entries.empty()) {
      json entries = json::array();
      for (const auto& e : in.entries) {
        json ej{{"path", e.path}, {"size", e.size}, {"encrypted", e.encrypted}, {"executable", e.executable},
                {"real_type", e.real_type}, {"depth", e.depth}};
        put_hashes(ej, e.hashes);
        entries.push_back(std::move(ej));
      }
      aj["entries"] = std::move(entries);
    }
    atts.push_back(std::move(aj));
  }
  j["attachments"] = std::move(atts);

  const Verdict& v = a.verdict;
  j["verdict"] = {{"class", v.klass},
                  {"bec_type", v.bec_type ? json(*v.bec_type) : json(nullptr)},
                  {"targeting", v.targeting},
                  {"score", v.score},
                  {"malicious", v.malicious()},
                  {"reasons", v.reasons}};
  j["errors"] = a.errors;
  json limits = json::array();
  for (const auto& l : a.limits_hit) limits.push_back({{"limit", l.name}, {"detail", l.detail}});
  j["limits_hit"] = std::move(limits);
  j["elapsed_ms"] = a.elapsed_ms;
  // Hostile input may carry invalid UTF-8 in places we pass through: replace, never throw.
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace renkei::analysis
