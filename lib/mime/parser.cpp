// The MIME tree parser. See mime.hpp for the contract and docs/mime-parser.md for the design.
//
// Line endings: the input is normalised once to LF (CRLF and lone CR become LF) so every later
// step deals with one kind of line. That costs one copy of the message, which is cheaper than
// handling three line-ending conventions in every scanner (sisimai's corpus has all three).
#include <algorithm>
#include <cstring>
#include <string>
#include <string_view>

#include "mime/charset.hpp"
#include "mime/mime.hpp"
#include "mime/text_util.hpp"

namespace renkei::mime {
namespace {

using detail::is_wsp;

std::string normalize_newlines(std::string_view in, bool& had_cr) {
  // Most mail has CRLF everywhere or LF everywhere: copy the runs between CRs in bulk.
  std::string out;
  out.reserve(in.size());
  had_cr = false;
  std::size_t pos = 0;
  while (pos < in.size()) {
    const void* cr = std::memchr(in.data() + pos, '\r', in.size() - pos);
    if (!cr) {
      out.append(in.data() + pos, in.size() - pos);
      break;
    }
    const std::size_t at = static_cast<std::size_t>(static_cast<const char*>(cr) - in.data());
    had_cr = true;
    out.append(in.data() + pos, at - pos);
    out.push_back('\n');
    pos = at + 1;
    if (pos < in.size() && in[pos] == '\n') ++pos;
  }
  return out;
}

class Parser {
 public:
  Parser(const Limits& limits, Message& msg) : limits_(limits), msg_(msg) {}

  // Parses an entity (headers + body) from `s`.
  void parse_entity(std::string_view s, Entity& e, int depth, bool digest_parent) {
    e.depth = depth;
    std::string_view body = parse_headers(s, e.headers);
    interpret_headers(e, digest_parent);
    e.raw_body_bytes = body.size();
    if (e.is_multipart()) {
      parse_multipart(body, e, depth);
    } else if (e.is_message()) {
      parse_embedded(body, e, depth);
    } else {
      decode_leaf(body, e);
    }
  }

 private:
  void defect(std::string code, std::string detail) {
    constexpr std::size_t kMaxDefects = 200;
    if (msg_.defects.size() < kMaxDefects)
      msg_.defects.push_back({std::move(code), std::move(detail)});
  }
  void limit(std::string name, std::string detail) {
    for (const auto& h : msg_.limits_hit)
      if (h.name == name) return;  // report each limit once
    msg_.limits_hit.push_back({std::move(name), std::move(detail)});
  }

  // Reads the header block; returns the body that follows the blank line.
  std::string_view parse_headers(std::string_view s, Headers& headers) {
    std::size_t pos = 0;
    // mbox "From " separator line and its ">From " quoting.
    if (s.substr(0, 5) == "From " || s.substr(0, 6) == ">From ") {
      const std::size_t nl = s.find('\n');
      pos = nl == std::string_view::npos ? s.size() : nl + 1;
    }
    const std::size_t block_start = pos;
    bool header_limit = false;
    while (pos < s.size()) {
      if (s[pos] == '\n') return s.substr(pos + 1);  // blank line: end of headers
      if (pos - block_start > limits_.max_header_bytes) {
        if (!header_limit)
          limit("max_header_bytes",
                "header block cut at " + std::to_string(limits_.max_header_bytes) + " bytes");
        header_limit = true;
      }
      // One field: its first line and continuation lines (starting with WSP).
      std::size_t end = s.find('\n', pos);
      if (end == std::string_view::npos) end = s.size();
      std::size_t field_end = end;
      while (field_end < s.size() && field_end + 1 < s.size() && is_wsp(s[field_end + 1])) {
        const std::size_t next = s.find('\n', field_end + 1);
        field_end = next == std::string_view::npos ? s.size() : next;
      }
      const std::string_view field = s.substr(pos, field_end - pos);
      const std::size_t colon = field.find(':');
      const std::string_view first_line = s.substr(pos, end - pos);
      if (colon == std::string_view::npos || colon > first_line.size() ||
          !valid_name(field.substr(0, colon))) {
        if (pos == block_start && is_wsp(s[pos])) {
          // Continuation line without a field: skip it.
          pos = field_end < s.size() ? field_end + 1 : s.size();
          continue;
        }
        // A line that is not a header ends the header block; it belongs to the body.
        defect("header_without_colon", std::string(first_line.substr(0, 80)));
        return s.substr(pos);
      }
      if (!header_limit) {
        if (headers.fields.size() >= limits_.max_header_count) {
          limit("max_header_count",
                "header fields after " + std::to_string(limits_.max_header_count) + " ignored");
          header_limit = true;
        } else {
          Header h;
          h.name = std::string(util::trim(field.substr(0, colon)));
          h.value = unfold(field.substr(colon + 1));
          if (h.value.size() > limits_.max_header_field_bytes) {
            limit("max_header_field_bytes",
                  h.name + " cut at " + std::to_string(limits_.max_header_field_bytes) + " bytes");
            h.value.resize(limits_.max_header_field_bytes);
          }
          headers.fields.push_back(std::move(h));
        }
      }
      pos = field_end < s.size() ? field_end + 1 : s.size();
    }
    return {};  // headers only, no body
  }

  static bool valid_name(std::string_view name) {
    name = util::trim(name);
    if (name.empty() || name.size() > 200) return false;
    for (char c : name) {
      const auto u = static_cast<unsigned char>(c);
      if (u <= 32 || u >= 127) return false;
    }
    return true;
  }

  static std::string unfold(std::string_view v) {
    v = util::trim(v);
    std::string out;
    out.reserve(v.size());
    // Copy the runs between line breaks in bulk (most fields are one line).
    while (!v.empty()) {
      const std::size_t nl = v.find('\n');
      out.append(v.substr(0, nl));
      if (nl == std::string_view::npos) break;
      v.remove_prefix(nl + 1);
    }
    return out;
  }

  void interpret_headers(Entity& e, bool digest_parent) {
    if (const Header* ct = e.headers.find("Content-Type")) {
      auto [value, params] = parse_parameterized(ct->value);
      const std::size_t slash = value.find('/');
      if (slash != std::string::npos && slash > 0 && slash + 1 < value.size()) {
        e.type = std::string(util::trim(std::string_view(value).substr(0, slash)));
        e.subtype = std::string(util::trim(std::string_view(value).substr(slash + 1)));
      } else {
        defect("bad_content_type", ct->value.substr(0, 80));
        // RFC 2045 5.2: an invalid Content-Type means text/plain; but "text" alone is common.
        e.type = "text";
        e.subtype = "plain";
      }
      e.type_params = std::move(params);
    } else if (digest_parent) {
      e.type = "message";
      e.subtype = "rfc822";
    }
    if (const Header* cte = e.headers.find("Content-Transfer-Encoding"))
      e.transfer_encoding = util::ascii_lower(util::trim(cte->value));
    if (const Header* cd = e.headers.find("Content-Disposition")) {
      auto [value, params] = parse_parameterized(cd->value);
      e.disposition = value;
      e.disposition_params = std::move(params);
    }
    if (const Header* cid = e.headers.find("Content-ID"))
      e.content_id = std::string(util::trim(cid->value));
    for (const auto& p : e.disposition_params)
      if (p.name == "filename") e.filename = p.value;
    if (e.filename.empty())
      for (const auto& p : e.type_params)
        if (p.name == "name") e.filename = p.value;
  }

  bool count_part() {
    if (++parts_ > limits_.max_parts) {
      limit("max_parts", "entities after " + std::to_string(limits_.max_parts) + " dropped");
      return false;
    }
    return true;
  }

  void parse_multipart(std::string_view body, Entity& e, int depth) {
    const std::string boundary = e.param("boundary");
    if (boundary.empty()) {
      defect("missing_boundary", "multipart without boundary treated as text/plain");
      e.type = "text";
      e.subtype = "plain";
      decode_leaf(body, e);
      return;
    }
    if (depth + 1 > static_cast<int>(limits_.max_depth)) {
      limit("max_depth", "multipart nested deeper than " + std::to_string(limits_.max_depth));
      return;
    }
    const std::string delim = "--" + boundary;
    const bool digest = e.subtype == "digest";
    // Find delimiter lines: "--boundary" at the start of a line, followed by optional "--",
    // then only whitespace up to the end of the line.
    std::size_t pos = 0;
    std::size_t part_start = std::string_view::npos;
    bool closed = false;
    while (pos <= body.size()) {
      std::size_t hit = body.find(delim, pos);
      if (hit == std::string_view::npos) break;
      if (hit != 0 && body[hit - 1] != '\n') {
        pos = hit + 1;
        continue;
      }
      std::size_t after = hit + delim.size();
      bool is_close = body.substr(after, 2) == "--";
      if (is_close) after += 2;
      std::size_t eol = after;
      while (eol < body.size() && is_wsp(body[eol])) ++eol;
      if (eol < body.size() && body[eol] != '\n') {
        pos = hit + 1;  // "--boundaryX": a longer boundary, not ours
        continue;
      }
      if (part_start != std::string_view::npos) {
        // The newline before the delimiter belongs to the delimiter.
        std::size_t part_end = hit == 0 ? 0 : hit - 1;
        if (part_end < part_start) part_end = part_start;
        add_child(body.substr(part_start, part_end - part_start), e, depth, digest);
      }
      pos = eol < body.size() ? eol + 1 : body.size();
      part_start = pos;
      if (is_close) {
        closed = true;
        break;
      }
      if (pos >= body.size()) break;
    }
    if (!closed) {
      if (part_start != std::string_view::npos && part_start < body.size()) {
        defect("missing_boundary_end", "last part of multipart ran to end of input");
        add_child(body.substr(part_start), e, depth, digest);
      } else if (part_start == std::string_view::npos) {
        defect("boundary_not_found",
               "no delimiter line for boundary \"" + boundary.substr(0, 70) + "\"");
        // Treat the whole body as one text part so nothing is lost.
        Entity child;
        child.depth = depth + 1;
        if (count_part()) {
          decode_leaf(body, child);
          e.children.push_back(std::move(child));
        }
      }
    }
  }

  void add_child(std::string_view part, Entity& parent, int depth, bool digest) {
    if (!count_part()) return;
    Entity child;
    parse_entity(part, child, depth + 1, digest);
    parent.children.push_back(std::move(child));
  }

  void parse_embedded(std::string_view body, Entity& e, int depth) {
    if (depth + 1 > static_cast<int>(limits_.max_depth)) {
      limit("max_depth", "message/rfc822 nested deeper than " + std::to_string(limits_.max_depth));
      decode_leaf(body, e);
      return;
    }
    std::string decoded;
    std::string_view inner = body;
    if (e.transfer_encoding == "base64" || e.transfer_encoding == "quoted-printable") {
      // Not allowed by RFC 2046, but forwarded reports from some clients do it.
      if (!transfer_decode(body, e.transfer_encoding, decoded)) return;
      bool had_cr = false;
      decoded = normalize_newlines(decoded, had_cr);
      inner = decoded;
    }
    if (!count_part()) return;
    Entity child;
    parse_entity(inner, child, depth + 1, false);
    e.children.push_back(std::move(child));
  }

  // Applies the transfer encoding; false when the decoded-bytes limit stops it entirely.
  bool transfer_decode(std::string_view raw, const std::string& cte, std::string& out) {
    const std::size_t budget =
        decoded_ >= limits_.max_decoded_bytes ? 0 : limits_.max_decoded_bytes - decoded_;
    if (budget == 0) {
      limit("max_decoded_bytes",
            "bodies after " + std::to_string(limits_.max_decoded_bytes) + " decoded bytes skipped");
      return false;
    }
    if (cte == "base64") {
      if (!detail::base64_decode(raw, out, budget))
        defect("bad_base64", "characters outside the base64 alphabet ignored");
    } else if (cte == "quoted-printable") {
      detail::qp_decode(raw, out, false, budget);
    } else if (cte == "x-uuencode" || cte == "uuencode" || cte == "x-uue") {
      uudecode(raw, out, budget);
    } else {
      if (!cte.empty() && cte != "7bit" && cte != "8bit" && cte != "binary")
        defect("unknown_transfer_encoding", cte.substr(0, 40));
      out.assign(raw.substr(0, std::min(raw.size(), budget)));
    }
    if (out.size() >= budget)
      limit("max_decoded_bytes", "a body was cut at the decoded-bytes limit");
    decoded_ += out.size();
    return true;
  }

  static void uudecode(std::string_view raw, std::string& out, std::size_t max_out) {
    std::size_t pos = 0;
    bool in_body = false;
    while (pos < raw.size() && out.size() < max_out) {
      std::size_t nl = raw.find('\n', pos);
      if (nl == std::string_view::npos) nl = raw.size();
      std::string_view line = raw.substr(pos, nl - pos);
      pos = nl + 1;
      if (!in_body) {
        if (line.substr(0, 6) == "begin ") in_body = true;
        continue;
      }
      if (line == "end" || line.empty()) break;
      const int n = (line[0] - 32) & 63;
      std::size_t i = 1;
      int produced = 0;
      while (produced < n && i + 3 < line.size()) {
        const int c0 = (line[i] - 32) & 63, c1 = (line[i + 1] - 32) & 63;
        const int c2 = (line[i + 2] - 32) & 63, c3 = (line[i + 3] - 32) & 63;
        const char bytes[3] = {static_cast<char>((c0 << 2) | (c1 >> 4)),
                               static_cast<char>(((c1 & 15) << 4) | (c2 >> 2)),
                               static_cast<char>(((c2 & 3) << 6) | c3)};
        for (int k = 0; k < 3 && produced < n; ++k, ++produced) out.push_back(bytes[k]);
        i += 4;
      }
    }
  }

  void decode_leaf(std::string_view raw, Entity& e) {
    std::string decoded;
    if (!transfer_decode(raw, e.transfer_encoding, decoded)) return;
    e.body = std::move(decoded);
    if (e.type == "text" &&
        !(e.disposition == "attachment" && e.subtype != "plain" && e.subtype != "html")) {
      std::string declared;
      for (const auto& p : e.type_params)
        if (p.name == "charset") declared = util::ascii_lower(util::trim(p.value));
      e.declared_charset = declared;
      CharsetResult r = to_utf8(e.body, declared);
      e.text = std::move(r.text);
      e.used_charset = std::move(r.used_charset);
      e.charset_mislabeled = r.mislabeled && !declared.empty();
    }
  }

  const Limits& limits_;
  Message& msg_;
  std::size_t parts_ = 0;
  std::size_t decoded_ = 0;
};

}  // namespace

const Header* Headers::find(std::string_view name) const {
  for (const auto& h : fields)
    if (util::iequals_ascii(h.name, name)) return &h;
  return nullptr;
}

std::vector<const Header*> Headers::find_all(std::string_view name) const {
  std::vector<const Header*> out;
  for (const auto& h : fields)
    if (util::iequals_ascii(h.name, name)) out.push_back(&h);
  return out;
}

std::string Entity::param(std::string_view name) const {
  for (const auto& p : type_params)
    if (util::iequals_ascii(p.name, name)) return p.value;
  return {};
}

bool Entity::is_attachment() const {
  if (is_multipart()) return false;
  if (disposition == "attachment") return true;
  if (is_message()) return true;
  if (!filename.empty()) return true;
  if (type == "text" && (subtype == "plain" || subtype == "html" || subtype == "enriched"))
    return false;
  if (type == "multipart") return false;
  if (type == "message") return false;  // delivery-status etc.
  // Inline images with a Content-ID are part of the HTML body, not attachments.
  if (type == "image" && !content_id.empty() && disposition != "attachment") return false;
  return type != "text";
}

Result<Message> parse(std::string_view bytes, const Limits& limits) {
  if (bytes.empty())
    return make_error(Errc::kParse, "the input is empty", "pass an RFC 5322 message (.eml file)");
  Message msg;
  msg.size = bytes.size();
  if (bytes.size() > limits.max_message_bytes) {
    msg.limits_hit.push_back({"max_message_bytes", "input of " + std::to_string(bytes.size()) +
                                                       " bytes cut at " +
                                                       std::to_string(limits.max_message_bytes)});
    bytes = bytes.substr(0, limits.max_message_bytes);
  }
  bool had_cr = false;
  const std::string normalized = normalize_newlines(bytes, had_cr);
  Parser parser(limits, msg);
  parser.parse_entity(normalized, msg.root, 0, false);
  if (msg.root.headers.fields.empty())
    msg.defects.push_back({"no_headers", "the input has no header fields; is it an e-mail?"});
  return msg;
}

}  // namespace renkei::mime
