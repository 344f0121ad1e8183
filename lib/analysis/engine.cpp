// The engine: parse, pick the message to analyse, extract, detect, decide.
#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <set>

#include "analysis/analysis.hpp"
#include "analysis/context.hpp"
#include "analysis/identity.hpp"
#include "content/content.hpp"
#include "mime/charset.hpp"
#include "mime/trace.hpp"

namespace renkei::analysis {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::size_t kMaxLexiconBytes = 64u << 10;  // content rules read the first 64 KiB of text
constexpr std::size_t kMaxLinks = 500;
constexpr std::size_t kMaxIndicators = 1000;

const mime::Entity* find_forwarded(const mime::Entity& root) {
  if (!root.is_multipart()) return nullptr;
  const mime::Entity* found = nullptr;
  int attachments = 0;
  for (const auto& c : root.children) {
    if (c.is_message() && !c.children.empty()) {
      if (found) return nullptr;  // several forwarded mails: a digest, analyse the outer
      found = &c.children.front();
    } else if (c.is_attachment()) {
      ++attachments;
    }
  }
  return attachments == 0 ? found : nullptr;
}

std::string header_text(const mime::Headers& h, std::string_view name) {
  const mime::Header* f = h.find(name);
  return f ? mime::decode_header_text(f->value).text : std::string();
}

std::vector<mime::Mailbox> header_mailboxes(const mime::Headers& h, std::string_view name,
                                            std::string* trailing = nullptr) {
  std::vector<mime::Mailbox> out;
  for (const mime::Header* f : h.find_all(name)) {
    mime::AddressList l = mime::parse_address_list(f->value);
    for (auto& m : l.mailboxes) out.push_back(std::move(m));
    if (trailing && !l.trailing.empty()) {
      if (!trailing->empty()) trailing->push_back(' ');
      *trailing += l.trailing;
    }
  }
  return out;
}

std::vector<std::string> message_ids(std::string_view v) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while ((pos = v.find('<', pos)) != std::string_view::npos && out.size() < 100) {
    const std::size_t end = v.find('>', pos);
    if (end == std::string_view::npos) break;
    out.emplace_back(v.substr(pos + 1, end - pos - 1));
    pos = end + 1;
  }
  return out;
}

// Mail a list delivered (List-Id or List-Post): developers' lists carry patches, logs and code.
bool list_mail(const Analysis& a) {
  for (const auto& h : a.headers) {
    const std::string n = util::ascii_lower(h.name);
    if (n == "list-id" || n == "list-post") return true;
  }
  return false;
}

// A reply by its subject ("Re:", "AW:", "SV:", "Antw:", "回复:"), after any list tags
// ("[USRP-users] Re: …").
bool reply_subject(std::string_view subject) {
  constexpr std::size_t kMaxTags = 4;
  for (std::size_t tags = 0; tags < kMaxTags; ++tags) {
    while (!subject.empty() && subject.front() == ' ') subject.remove_prefix(1);
    if (subject.empty() || subject.front() != '[') break;
    const std::size_t close = subject.find(']');
    if (close == std::string_view::npos) break;
    subject.remove_prefix(close + 1);
  }
  const std::string s = util::ascii_lower(subject.substr(0, 16));
  for (std::string_view p : {"re:", "re :", "aw:", "sv:", "antw:", "r:", "回复", "返信"})
    if (s.rfind(p, 0) == 0) return true;
  return false;
}

// The text of list mail without what is not prose: a patch's hunks and file headers, log lines
// (kernel timestamps, prompts such as "login:" and "$ "), and lines of code (ending in ";", "{"
// or "}"). Words there ("verify", "validate", "acquire", "login:") name functions and states,
// not a lure; the lexicon reads what the author wrote to people. At most kMaxCodeLines lines are
// examined; the rest is kept as it is.
std::string without_code(std::string_view text) {
  constexpr std::size_t kMaxCodeLines = 20000;
  const bool patch = text.find("\n@@ ") != std::string_view::npos ||
                     text.find("diff --git ") != std::string_view::npos;
  std::string out;
  out.reserve(text.size());
  std::size_t lines = 0;
  for (std::size_t pos = 0; pos < text.size();) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    if (++lines > kMaxCodeLines) {
      out.append(line).push_back('\n');
      continue;
    }
    std::string_view t = line;
    while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.remove_prefix(1);
    while (!t.empty() && (t.back() == ' ' || t.back() == '\t' || t.back() == '\r'))
      t.remove_suffix(1);
    bool code = false;
    if (patch && !line.empty() &&
        (line.front() == '+' || line.front() == '-' || line.front() == '@' ||
         line.rfind("diff ", 0) == 0 || line.rfind("index ", 0) == 0))
      code = true;
    // "[   12.345678] nfc: ...", "2024-05-14 09:12:01 ...", "$ ssh ...", "login: root"
    if (t.size() > 2 && t.front() == '[') {
      const std::size_t d = t.find_first_not_of(' ', 1);
      if (d != std::string_view::npos && std::isdigit(static_cast<unsigned char>(t[d])))
        code = true;
    }
    if (t.size() >= 10 && std::isdigit(static_cast<unsigned char>(t[0])) &&
        std::isdigit(static_cast<unsigned char>(t[3])) && t[4] == '-' && t[7] == '-')
      code = true;
    if (t.rfind("$ ", 0) == 0 || t.rfind("# ", 0) == 0 || t.find("login:") != std::string::npos)
      code = true;
    if (!t.empty() && (t.back() == ';' || t.back() == '{' || t.back() == '}') &&
        t.find_first_of("(=") != std::string_view::npos)
      code = true;
    if (!code) out.append(line).push_back('\n');
  }
  return out;
}

bool is_private_ip(std::string_view ip) {
  auto starts = [&](std::string_view p) { return ip.substr(0, p.size()) == p; };
  if (starts("10.") || starts("127.") || starts("192.168.") || starts("169.254.") || starts("0."))
    return true;
  if (starts("172.")) {
    const int second = std::atoi(std::string(ip.substr(4, 3)).c_str());
    return second >= 16 && second <= 31;
  }
  if (starts("100.")) {
    const int second = std::atoi(std::string(ip.substr(4, 3)).c_str());
    return second >= 64 && second <= 127;  // carrier-grade NAT
  }
  if (ip == "::1" || starts("fe80:") || starts("fc") || starts("fd")) return true;
  return false;
}

class Extractor {
 public:
  Extractor(Analysis& a, const Options& opt, Clock::time_point deadline)
      : a_(a), opt_(opt), deadline_(deadline) {}

  bool out_of_time() {
    if (Clock::now() <= deadline_) return false;
    if (!timed_out_) {
      timed_out_ = true;
      a_.limits_hit.push_back(
          {"max_analysis_time",
           "stages after " + std::to_string(opt_.max_analysis_time.count()) + " ms were skipped"});
    }
    return true;
  }

  void headers(const mime::Entity& root) {
    const mime::Headers& h = root.headers;
    a_.headers = h.fields;
    if (const auto* f = h.find("Subject")) {
      mime::DecodedText d = mime::decode_header_text(f->value);
      a_.subject = std::move(d.text);
      if (d.charset_mislabeled) mislabel_evidence_ = "Subject: " + d.mislabel_detail;
    }
    if (const auto* f = h.find("Message-ID")) a_.message_id = std::string(f->value);
    if (const auto* f = h.find("Date")) {
      a_.date = f->value;
      a_.date_unix = mime::parse_rfc5322_date(f->value);
    }
    std::string trailing;
    auto from = header_mailboxes(h, "From", &trailing);
    if (!from.empty()) a_.from = from.front();
    a_.from_trailing = trailing;
    a_.reply_to = header_mailboxes(h, "Reply-To");
    a_.to = header_mailboxes(h, "To");
    a_.cc = header_mailboxes(h, "Cc");
    a_.sender = header_mailboxes(h, "Sender");
    if (const auto* f = h.find("Return-Path")) {
      auto l = mime::parse_address_list(f->value);
      if (!l.mailboxes.empty()) a_.return_path = l.mailboxes.front().address;
    }
    for (std::string_view name : {"Disposition-Notification-To", "Return-Receipt-To",
                                  "X-Confirm-Reading-To", "Read-Receipt-To"}) {
      auto l = header_mailboxes(h, name);
      a_.mdn_to.insert(a_.mdn_to.end(), l.begin(), l.end());
    }
    if (const auto* f = h.find("In-Reply-To")) {
      auto ids = message_ids(f->value);
      a_.in_reply_to = ids.empty() ? std::string(f->value) : ids.front();
    }
    if (const auto* f = h.find("References")) a_.references = message_ids(f->value);

    std::vector<std::string> received;
    for (const auto* f : h.find_all("Received")) received.push_back(f->value);
    a_.received = mime::parse_received_chain(received, mime::kMaxReceivedHops, &a_.limits_hit);
    for (const auto* f : h.find_all("Authentication-Results"))
      a_.auth_results.push_back(mime::parse_authentication_results(f->value));
  }

  void bodies(const mime::Entity& root) {
    bool have_plain = false, have_html = false;
    std::string plain;
    // Entities inside a message/rfc822 part belong to that embedded message: the part is an
    // attachment of this one, not its body, so the walk does not descend into it.
    std::function<void(const mime::Entity&)> visit = [&](const mime::Entity& e) {
      if (e.charset_mislabeled && mislabel_evidence_.empty())
        mislabel_evidence_ =
            "body labelled " + e.declared_charset + ", decoded as " + e.used_charset;
      if (e.is_multipart()) {
        for (const auto& c : e.children) visit(c);
        return;
      }
      if (e.is_message() && &e == &root) {
        for (const auto& c : e.children) visit(c);
        return;
      }
      if (e.is_attachment()) {
        attachments_.push_back(&e);
        return;
      }
      if (e.type != "text") return;
      if (e.subtype == "html") {
        if (!have_html) {
          a_.html = e.text;
          have_html = true;
        }
      } else if (!have_plain) {
        plain = e.text;
        have_plain = !util::trim_c_space(plain).empty();
      }
    };
    visit(root);
    if (have_html && !out_of_time()) {
      html_ = content::parse_html(a_.html);
      if (html_.limit_hit) a_.limits_hit.push_back({"html", html_.limit_detail});
    }
    a_.text = have_plain ? plain : html_.text;
    // What the reader sees is the HTML. A plain part that is only a stub next to it ("Please use
    // an HTML-enabled client", "Plain text version not available") must not hide what it says.
    if (have_plain && have_html && plain.size() < kStubPlainBytes &&
        visible_chars(html_.text) > 2 * visible_chars(plain))
      a_.text = html_.text;
  }

  static constexpr std::size_t kStubPlainBytes = 400;
  static std::size_t visible_chars(std::string_view s) {
    std::size_t n = 0;
    for (char c : s) n += std::isspace(static_cast<unsigned char>(c)) ? 0 : 1;
    return n;
  }

  void links() {
    std::set<std::string> seen;
    for (const auto& anchor : html_.anchors) {
      if (a_.links.size() >= kMaxLinks) break;
      std::string host = content::url_host(anchor.href);
      if (host.empty() && anchor.href.size() > 7 &&
          util::ascii_lower(anchor.href.substr(0, 7)) == "mailto:") {
        // "Report the user" / "Reply now" buttons that open a mail to the attacker.
        std::string addr = anchor.href.substr(7);
        addr = addr.substr(0, addr.find('?'));
        host = domain_of(addr);
      }
      if (host.empty()) continue;  // tel:, #fragment, javascript:
      a_.links.push_back({anchor.href, anchor.text, host});
      seen.insert(anchor.href);
    }
    for (const auto& img : html_.images) {
      if (img.src.rfind("http", 0) == 0 && a_.remote_images.size() < kMaxLinks)
        a_.remote_images.push_back(img.src);
    }
    for (const auto& u : content::extract_urls(a_.text, kMaxLinks)) {
      if (a_.links.size() >= kMaxLinks) break;
      if (seen.insert(u.url).second) a_.links.push_back({u.url, "", u.host});
    }
  }

  void inspect_attachments() {
    for (const mime::Entity* e : attachments_) {
      Attachment att;
      att.filename = e->filename;
      att.content_type = e->media_type();
      if (e->is_message()) {
        // A forwarded mail inside: analysed as an attachment of type message/rfc822.
        att.inspection.declared_name = e->filename;
        att.inspection.declared_type = att.content_type;
        att.inspection.real_type = "message/rfc822";
      } else if (!out_of_time()) {
        att.inspection =
            attach::inspect(e->body, e->filename, att.content_type, opt_.attach_limits);
        for (const auto& l : att.inspection.limits_hit)
          a_.limits_hit.push_back({"attachment." + l, att.filename});
        for (const auto& err : att.inspection.errors)
          a_.errors.push_back(att.filename + ": " + err);
      } else {
        att.inspection.declared_name = e->filename;
        att.inspection.declared_type = att.content_type;
        att.inspection.size = e->body.size();
      }
      for (const auto& u : att.inspection.links) {
        if (a_.links.size() >= kMaxLinks) break;
        const std::string host = content::url_host(u);
        if (!host.empty()) a_.links.push_back({u, "", host, "attachment"});
      }
      a_.attachments.push_back(std::move(att));
    }
  }

  const content::HtmlDoc& html() const { return html_; }
  content::HtmlDoc take_html() { return std::move(html_); }
  const std::string& mislabel_evidence() const { return mislabel_evidence_; }

 private:
  Analysis& a_;
  const Options& opt_;
  Clock::time_point deadline_;
  bool timed_out_ = false;
  content::HtmlDoc html_;
  std::vector<const mime::Entity*> attachments_;
  std::string mislabel_evidence_;
};

void add_indicator(Analysis& a, std::set<std::pair<std::string, std::string>>& seen,
                   std::string type, std::string value, std::string role) {
  if (value.empty() || a.indicators.size() >= kMaxIndicators) return;
  if (!seen.insert({type, value}).second) return;
  a.indicators.push_back({std::move(type), std::move(value), std::move(role)});
}

void collect_indicators(Analysis& a, const Context& ctx) {
  std::set<std::pair<std::string, std::string>> seen;
  auto addr = [&](const std::string& address, const char* role) {
    if (address.find('@') == std::string::npos) return;
    add_indicator(a, seen, "email-addr", util::ascii_lower(address), role);
    add_indicator(a, seen, "domain-name", registrable(domain_of(address)), role);
  };
  addr(a.from.address, "from");
  for (const auto& m : a.reply_to) addr(m.address, "reply_to");
  addr(a.return_path, "return_path");
  for (const auto& m : a.sender) addr(m.address, "sender");
  for (const auto& m : a.mdn_to) addr(m.address, "disposition_notification_to");
  // Recipients the detectors found to be the attacker's (look-alike or diverted Cc/To).
  for (const auto& [address, role] : ctx.attacker_addresses) addr(address, role.c_str());
  for (const auto& l : a.links) {
    const char* role = l.where == "attachment" ? "attachment_link" : "link";
    add_indicator(a, seen, "url", l.url, role);
    add_indicator(a, seen, content::is_ipv4(l.host) ? "ipv4-addr" : "domain-name", l.host, role);
  }
  // The originating hop: the first external IP from the bottom of the Received chain.
  for (auto it = a.received.rbegin(); it != a.received.rend(); ++it) {
    if (it->from_ip.empty() || is_private_ip(it->from_ip)) continue;
    add_indicator(a, seen, content::is_ipv4(it->from_ip) ? "ipv4-addr" : "ipv6-addr", it->from_ip,
                  "received");
  }
  for (const auto& ip : content::extract_ipv4(content::refang(a.new_text), 50))
    if (!is_private_ip(ip)) add_indicator(a, seen, "ipv4-addr", ip, "body");
  for (const auto& att : a.attachments) {
    if (!att.inspection.hashes.sha256.empty())
      add_indicator(a, seen, "file", att.inspection.hashes.sha256, "attachment");
    for (const auto& e : att.inspection.entries)
      if (!e.hashes.sha256.empty())
        add_indicator(a, seen, "file", e.hashes.sha256, "archive_entry");
  }
}

}  // namespace

bool Analysis::has_signal(std::string_view id) const {
  return std::any_of(signals.begin(), signals.end(), [&](const Signal& s) { return s.id == id; });
}

Engine::Engine(Options options) : options_(options) {
  lists_ = options_.lists ? options_.lists : &registry::Lists::builtin();
  identity_ = std::make_shared<const Identity>(options_.registry);
}

Analysis Engine::analyze(std::string_view bytes, std::string source) const {
  return run(bytes, std::move(source), /*body_only=*/false);
}

Body Engine::extract_body(std::string_view bytes) const {
  Analysis a = run(bytes, {}, /*body_only=*/true);
  return Body{std::move(a.text), std::move(a.html)};
}

Analysis Engine::run(std::string_view bytes, std::string source, bool body_only) const {
  const auto start = Clock::now();
  Analysis a;
  a.source = std::move(source);
  a.size = bytes.size();
  auto parsed = mime::parse(bytes, options_.mime_limits);
  if (!parsed) {
    a.errors.push_back(parsed.error().to_string());
    a.verdict.klass = "unknown";
    return a;
  }
  const mime::Message& msg = *parsed;
  for (const auto& d : msg.defects) a.errors.push_back(d.code + ": " + d.detail);
  a.limits_hit = msg.limits_hit;

  const mime::Entity* root = &msg.root;
  if (const mime::Entity* inner = find_forwarded(msg.root)) {
    Envelope env;
    auto from = header_mailboxes(msg.root.headers, "From");
    if (!from.empty()) env.from = from.front();
    env.subject = header_text(msg.root.headers, "Subject");
    if (const auto* f = msg.root.headers.find("Date")) env.date = f->value;
    mime::walk(msg.root, [&](const mime::Entity& e) {
      if (env.text.empty() && e.type == "text" && e.subtype == "plain" && !e.is_attachment() &&
          e.depth == 1)
        env.text = e.text.substr(0, 4096);
    });
    a.envelope = std::move(env);
    root = inner;
  }

  Extractor ex(a, options_, start + options_.max_analysis_time);
  ex.headers(*root);
  ex.bodies(*root);
  if (body_only) return a;
  ex.links();
  ex.inspect_attachments();

  const content::TextParts parts = content::split_text(a.text);
  a.new_text = parts.new_text;
  a.quoted_text = parts.quoted;
  a.signature = parts.signature;
  a.language = content::detect_language(a.subject + "\n" +
                                        a.new_text.substr(0, content::kLanguageSampleBytes));

  Context ctx(a, options_.registry, *lists_);
  ctx.identity = identity_.get();
  ctx.html = ex.take_html();
  // The subject line and what a client shows as the sender (the display name and any text after
  // the address) are read together: lures live in both.
  int folded_subject = 0, folded_body = 0;
  ctx.norm_subject = lexicon::normalize(a.subject + " \n " + a.from.name + " " + a.from_trailing,
                                        2048, &folded_subject);
  // The author's new text and its signature ("Sent from my iPhone" lives there); not the quote.
  // A forward with (almost) no words of its own is about the forwarded mail: read all of it.
  constexpr std::size_t kMinOwnText = 200;
  // A short reply is a reply, not a forward: its quote is the thread, not the lure. A reply is
  // known by its subject on list mail, and elsewhere by its subject and the header that names
  // the mail it answers (a first contact dressed as "Re:" has none).
  const bool on_list = list_mail(a);
  const bool reply =
      reply_subject(a.subject) && (on_list || !a.in_reply_to.empty() || !a.references.empty());
  const bool read_all = a.new_text.size() < kMinOwnText && !reply;
  const std::string own = read_all ? a.text : a.new_text + "\n" + a.signature;
  ctx.norm_body =
      lexicon::normalize(on_list ? without_code(own) : own, kMaxLexiconBytes, &folded_body);
  ctx.norm_all = ctx.norm_subject + "\n" + ctx.norm_body;
  ctx.hits.hits = lexicon::scan(ctx.norm_all);
  ctx.hits.text = ctx.norm_all;
  (void)parts;

  detect_header_signals(ctx);
  detect_obfuscation(ctx, folded_subject, folded_body);
  if (!ex.mislabel_evidence().empty()) ctx.add("charset_mislabeled", ex.mislabel_evidence());
  detect_content_signals(ctx);
  detect_link_signals(ctx);
  detect_attachment_signals(ctx);
  collect_indicators(a, ctx);
  a.verdict = decide(a, ctx);
  assign_dispositions(a, ctx);
  a.elapsed_ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  return a;
}

}  // namespace renkei::analysis
