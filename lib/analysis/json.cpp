// The JSON contract, schema "renkei.analysis/1" (SPEC 4.6). Fields are only ever added in a
// version; renaming or removing one means "renkei.analysis/2". docs/json-contract.md documents it.
//
// Written straight into one string rather than built as a nlohmann::json tree and dumped: the
// tree cost about a tenth of `renkei analyze`'s whole time (an allocation per key and value, a
// std::map per object). The output is byte for byte what nlohmann's dump(-1, ' ', false,
// error_handler_t::replace) of the same object gives — keys in byte order within each object,
// invalid UTF-8 replaced by U+FFFD — and tests/unit/analysis/json_writer_test.cpp holds it to that.
#include <nlohmann/json.hpp>

#include <charconv>
#include <cstdint>

#include "analysis/analysis.hpp"
#include "analysis/context.hpp"
#include "analysis/json_writer.hpp"
#include "content/content.hpp"

namespace renkei::analysis {

namespace detail {

namespace {

// Length of the well-formed UTF-8 sequence at s[i..] (Unicode 15, table 3-7), 0 if the bytes
// there do not start one; *bad_at is set to the offset of the first byte that breaks it.
std::size_t utf8_sequence(std::string_view s, std::size_t i, std::size_t* bad_at) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  std::size_t len = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // range of the second byte
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3;
    if (b0 == 0xE0) lo = 0xA0;
    if (b0 == 0xED) hi = 0x9F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;
  } else {
    *bad_at = i;
    return 0;
  }
  for (std::size_t k = 1; k < len; ++k) {
    if (i + k >= s.size()) {
      *bad_at = s.size();
      return 0;
    }
    const auto b = static_cast<unsigned char>(s[i + k]);
    const bool ok = k == 1 ? (b >= lo && b <= hi) : (b >= 0x80 && b <= 0xBF);
    if (!ok) {
      *bad_at = i + k;
      return 0;
    }
  }
  return len;
}

}  // namespace

void append_json_string(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  static constexpr std::string_view kReplacement = "\xEF\xBF\xBD";
  out.push_back('"');
  std::size_t i = 0;
  const std::size_t n = s.size();
  while (i < n) {
    // Runs of printable ASCII other than '"' and '\\' are copied as they are.
    std::size_t run = i;
    while (run < n) {
      const auto c = static_cast<unsigned char>(s[run]);
      if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') break;
      ++run;
    }
    out.append(s.data() + i, run - i);
    i = run;
    if (i >= n) break;
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      switch (c) {
        case '"':
          out += "\\\"";
          break;
        case '\\':
          out += "\\\\";
          break;
        case '\b':
          out += "\\b";
          break;
        case '\t':
          out += "\\t";
          break;
        case '\n':
          out += "\\n";
          break;
        case '\f':
          out += "\\f";
          break;
        case '\r':
          out += "\\r";
          break;
        default:
          out += "\\u00";
          out.push_back(kHex[c >> 4]);
          out.push_back(kHex[c & 0x0F]);
      }
      ++i;
      continue;
    }
    std::size_t bad_at = 0;
    const std::size_t len = utf8_sequence(s, i, &bad_at);
    if (len > 0) {
      out.append(s.data() + i, len);
      i += len;
      continue;
    }
    // Invalid: the broken sequence becomes one U+FFFD; the byte that broke it is read again
    // (it may start a sequence of its own) unless it was the first byte.
    out.append(kReplacement);
    i = bad_at == i ? i + 1 : bad_at;
  }
  out.push_back('"');
}

void JsonWriter::comma() {
  if (need_comma_) out_.push_back(',');
  need_comma_ = false;
}

JsonWriter& JsonWriter::begin_object() {
  comma();
  out_.push_back('{');
  return *this;
}

JsonWriter& JsonWriter::end_object() {
  out_.push_back('}');
  need_comma_ = true;
  return *this;
}

JsonWriter& JsonWriter::begin_array() {
  comma();
  out_.push_back('[');
  return *this;
}

JsonWriter& JsonWriter::end_array() {
  out_.push_back(']');
  need_comma_ = true;
  return *this;
}

JsonWriter& JsonWriter::key(std::string_view k) {
  comma();
  append_json_string(out_, k);
  out_.push_back(':');
  return *this;
}

JsonWriter& JsonWriter::value(std::string_view v) {
  comma();
  append_json_string(out_, v);
  need_comma_ = true;
  return *this;
}

JsonWriter& JsonWriter::value(bool v) {
  comma();
  out_ += v ? "true" : "false";
  need_comma_ = true;
  return *this;
}

template <typename Int>
JsonWriter& JsonWriter::integer(Int v) {
  comma();
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  out_.append(buf, r.ptr);
  need_comma_ = true;
  return *this;
}

JsonWriter& JsonWriter::value(std::int64_t v) {
  return integer(v);
}
JsonWriter& JsonWriter::value(std::uint64_t v) {
  return integer(v);
}

JsonWriter& JsonWriter::value(double v) {
  comma();
  // Rare (one per message): nlohmann's own formatting keeps the output identical to before.
  out_ += nlohmann::json(v).dump();
  need_comma_ = true;
  return *this;
}

JsonWriter& JsonWriter::null() {
  comma();
  out_ += "null";
  need_comma_ = true;
  return *this;
}

JsonWriter& JsonWriter::strings(const std::vector<std::string>& v) {
  begin_array();
  for (const auto& s : v) value(std::string_view(s));
  return end_array();
}

}  // namespace detail

namespace {

using detail::JsonWriter;

// Every object below writes its keys in byte order: that is the order the contract has always
// had (nlohmann::json's std::map), and consumers diffing lines rely on it.

void mailbox(JsonWriter& w, const mime::Mailbox& m, std::string_view trailing = {}) {
  w.begin_object();
  w.key("address").value(std::string_view(m.address));
  w.key("domain").value(std::string_view(domain_of(m.address)));
  w.key("name").value(std::string_view(m.name));
  if (!trailing.empty()) w.key("trailing").value(trailing);
  w.end_object();
}

void mailboxes(JsonWriter& w, const std::vector<mime::Mailbox>& v) {
  w.begin_array();
  for (const auto& m : v) mailbox(w, m);
  w.end_array();
}

// Hash keys interleave with the other keys of their object (byte order): each call writes the
// hashes that belong at one place.
enum class HashKeys { kMd5, kSha, kSsdeep };

void hashes(JsonWriter& w, const attach::Hashes& h, HashKeys which) {
  auto put = [&w](std::string_view key, const std::string& v) {
    if (!v.empty()) w.key(key).value(std::string_view(v));
  };
  switch (which) {
    case HashKeys::kMd5:
      put("md5", h.md5);
      break;
    case HashKeys::kSha:
      put("sha1", h.sha1);
      put("sha256", h.sha256);
      break;
    case HashKeys::kSsdeep:
      put("ssdeep", h.ssdeep);
      break;
  }
}

void optional_int(JsonWriter& w, const std::optional<std::int64_t>& v) {
  if (v)
    w.value(*v);
  else
    w.null();
}

void message(JsonWriter& w, const Analysis& a) {
  w.begin_object();
  w.key("authentication_results").begin_array();
  for (std::size_t i = 0; i < a.auth_results.size(); ++i) {
    const auto& ar = a.auth_results[i];
    const bool believed = i < a.auth_trust.size() && a.auth_trust[i].believed;
    w.begin_object();
    w.key("authserv_id").value(std::string_view(ar.authserv_id));
    w.key("believed").value(believed);
    w.key("believed_why")
        .value(std::string_view(i < a.auth_trust.size() ? a.auth_trust[i].why : std::string()));
    w.key("results").begin_array();
    for (const auto& r : ar.results) {
      w.begin_object();
      w.key("method").value(std::string_view(r.method));
      w.key("result").value(std::string_view(r.result));
      w.end_object();
    }
    w.end_array();
    w.end_object();
  }
  w.end_array();
  w.key("cc");
  mailboxes(w, a.cc);
  w.key("date").value(std::string_view(a.date));
  w.key("date_unix");
  optional_int(w, a.date_unix);
  w.key("disposition_notification_to");
  mailboxes(w, a.mdn_to);
  w.key("from");
  mailbox(w, a.from, a.from_trailing);
  w.key("in_reply_to").value(std::string_view(a.in_reply_to));
  w.key("language").value(std::string_view(a.language));
  w.key("links").begin_array();
  for (const auto& l : a.links) {
    w.begin_object();
    w.key("host").value(std::string_view(l.host));
    w.key("text").value(std::string_view(l.text));
    w.key("url").value(std::string_view(l.url));
    w.key("where").value(std::string_view(l.where));
    // Behind a mail gateway's rewriter the link is the target it wraps: name that host too.
    if (gateway_rewriter(l.host))
      w.key("wrapped_host").value(std::string_view(wrapped_host(l.url)));
    w.end_object();
  }
  w.end_array();
  w.key("message_id").value(std::string_view(a.message_id));
  w.key("received").begin_array();
  for (const auto& h : a.received) {
    w.begin_object();
    w.key("by_host").value(std::string_view(h.by_host));
    w.key("from_host").value(std::string_view(h.from_host));
    w.key("from_ip").value(std::string_view(h.from_ip));
    w.key("time_unix");
    optional_int(w, h.time);
    w.key("with").value(std::string_view(h.with_protocol));
    w.end_object();
  }
  w.end_array();
  w.key("references").strings(a.references);
  w.key("reply_to");
  mailboxes(w, a.reply_to);
  w.key("return_path").value(std::string_view(a.return_path));
  w.key("sender");
  mailboxes(w, a.sender);
  w.key("subject").value(std::string_view(a.subject));
  w.key("text_excerpt").value(std::string_view(a.new_text).substr(0, 2000));
  w.key("to");
  mailboxes(w, a.to);
  w.end_object();
}

void attachment(JsonWriter& w, const Attachment& at) {
  const auto& in = at.inspection;
  w.begin_object();
  w.key("declared_type").value(std::string_view(at.content_type));
  w.key("description").value(std::string_view(in.real_description));
  w.key("double_extension").value(in.double_extension);
  w.key("encrypted").value(in.archive_encrypted);
  if (!in.entries.empty()) {
    w.key("entries").begin_array();
    for (const auto& e : in.entries) {
      w.begin_object();
      w.key("depth").value(static_cast<std::int64_t>(e.depth));
      w.key("encrypted").value(e.encrypted);
      w.key("executable").value(e.executable);
      hashes(w, e.hashes, HashKeys::kMd5);
      w.key("path").value(std::string_view(e.path));
      w.key("real_type").value(std::string_view(e.real_type));
      hashes(w, e.hashes, HashKeys::kSha);
      w.key("size").value(static_cast<std::uint64_t>(e.size));
      hashes(w, e.hashes, HashKeys::kSsdeep);
      w.end_object();
    }
    w.end_array();
  }
  w.key("executable").value(in.executable || in.executable_inside);
  w.key("extension_mismatch").value(in.extension_mismatch);
  w.key("filename").value(std::string_view(at.filename));
  w.key("html").value(in.is_html);
  w.key("is_archive").value(in.is_archive);
  w.key("macros").value(in.has_macros);
  hashes(w, in.hashes, HashKeys::kMd5);
  w.key("real_type").value(std::string_view(in.real_type));
  hashes(w, in.hashes, HashKeys::kSha);
  w.key("size").value(static_cast<std::uint64_t>(in.size));
  hashes(w, in.hashes, HashKeys::kSsdeep);
  w.end_object();
}

}  // namespace

std::string to_json_line(const Analysis& a) {
  std::string out;
  out.reserve(4096 + a.new_text.size() / 2 + a.links.size() * 200);
  JsonWriter w(out);
  w.begin_object();

  w.key("attachments").begin_array();
  for (const auto& at : a.attachments) attachment(w, at);
  w.end_array();

  w.key("elapsed_ms").value(a.elapsed_ms);
  w.key("errors").strings(a.errors);

  w.key("indicators").begin_array();
  for (const auto& i : a.indicators) {
    w.begin_object();
    w.key("disposition").value(std::string_view(i.disposition));
    w.key("disposition_detail").value(std::string_view(i.disposition_detail));
    w.key("disposition_reason").value(std::string_view(i.disposition_reason));
    w.key("role").value(std::string_view(i.role));
    w.key("type").value(std::string_view(i.type));
    w.key("value").value(std::string_view(i.value));
    w.end_object();
  }
  w.end_array();

  w.key("limits_hit").begin_array();
  for (const auto& l : a.limits_hit) {
    w.begin_object();
    w.key("detail").value(std::string_view(l.detail));
    w.key("limit").value(std::string_view(l.name));
    w.end_object();
  }
  w.end_array();

  w.key("lookalikes").begin_array();
  for (const auto& l : a.lookalikes) {
    w.begin_object();
    w.key("domain").value(std::string_view(l.domain));
    w.key("of").value(std::string_view(l.of));
    w.key("owner").value(std::string_view(l.owner));
    w.key("techniques").strings(l.techniques);
    w.end_object();
  }
  w.end_array();

  w.key("message");
  message(w, a);

  if (a.envelope) {
    w.key("report_envelope").begin_object();
    w.key("date").value(std::string_view(a.envelope->date));
    w.key("from");
    mailbox(w, a.envelope->from);
    w.key("subject").value(std::string_view(a.envelope->subject));
    w.key("text").value(std::string_view(a.envelope->text));
    w.end_object();
  }

  w.key("schema").value(std::string_view("renkei.analysis/1"));

  w.key("signals").begin_array();
  for (const auto& s : a.signals) {
    const SignalInfo* info = find_signal(s.id);
    w.begin_object();
    if (info) w.key("category").value(info->category);
    w.key("evidence").value(std::string_view(s.evidence));
    if (info) {
      w.key("explanation").begin_object();
      w.key("en").value(info->en);
      w.key("ja").value(info->ja);
      w.end_object();
    }
    w.key("id").value(std::string_view(s.id));
    w.key("severity").value(severity_name(s.severity));
    w.end_object();
  }
  w.end_array();

  w.key("size").value(static_cast<std::uint64_t>(a.size));
  w.key("source").value(std::string_view(a.source));

  const Verdict& v = a.verdict;
  w.key("verdict").begin_object();
  w.key("bec_type");
  if (v.bec_type)
    w.value(static_cast<std::int64_t>(*v.bec_type));
  else
    w.null();
  w.key("class").value(std::string_view(v.klass));
  w.key("families").strings(v.families);
  w.key("malicious").value(v.malicious());
  w.key("reasons").strings(v.reasons);
  w.key("score").value(static_cast<std::int64_t>(v.score));
  w.key("targeting").value(std::string_view(v.targeting));
  w.key("uncorroborated").strings(v.uncorroborated);
  w.end_object();

  w.end_object();
  return out;
}

}  // namespace renkei::analysis
