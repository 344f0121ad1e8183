// renkei::mime — a parser for RFC 5322 / MIME messages written for hostile input.
//
// Why our own parser and not GMime: see docs/mime-parser.md (in short: Debian 12's GMime 3.2.13
// loses adjacent encoded-words and truncates chunked base64, both of which attackers and Japanese
// mail rely on; and a parser owned by us can enforce named limits on every dimension of its input).
//
// Contract: parse() never throws and never fails on damaged input: it returns the best Message it
// could build, with `defects` describing damage and `limits_hit` naming every limit that cut the
// input (an oversized message is cut at max_message_bytes and parsed as far as it goes). It fails
// (Result error) only when there is nothing to parse (empty input). All strings in the tree are
// owned; the input may be freed afterwards.
// Thread-safety: parse() is reentrant; Message is a plain value.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.hpp"

namespace renkei::mime {

// Named limits on every dimension of a message. Defaults fit real mail with a wide margin.
struct Limits {
  std::size_t max_message_bytes = 64u << 20;        // whole input
  std::size_t max_header_bytes = 1u << 20;          // one entity's header block
  std::size_t max_header_count = 2000;              // header fields in one entity
  std::size_t max_header_field_bytes = 256u << 10;  // one unfolded header field
  std::size_t max_depth = 24;                       // nesting of multiparts and message/rfc822
  std::size_t max_parts = 1000;                     // entities in the whole tree
  std::size_t max_decoded_bytes = 128u << 20;       // sum of transfer-decoded bodies
  std::size_t max_encoded_words = 512;              // RFC 2047 words decoded in one header field
  std::size_t max_addresses = 2000;                 // addresses in one address-list header
};

// A limit that cut the input. `name` is the field name of Limits ("max_parts").
struct LimitHit {
  std::string name;
  std::string detail;  // where and by how much, e.g. "part 1001 of 5000 dropped"
};

// Damage found while parsing that did not stop it (stable `code`, human `detail`).
struct Defect {
  std::string code;  // e.g. "missing_boundary_end", "bad_base64", "bare_cr", "8bit_header"
  std::string detail;
};

// One header field, unfolded (CRLF+WSP removed), raw bytes as received (not decoded).
struct Header {
  std::string name;   // as written, e.g. "Reply-To"
  std::string value;  // raw unfolded value, leading whitespace trimmed
};

// A case-insensitive lookup over a header list.
class Headers {
 public:
  std::vector<Header> fields;

  // First field with this name (ASCII case-insensitive), or nullptr.
  const Header* find(std::string_view name) const;
  // All fields with this name, in order.
  std::vector<const Header*> find_all(std::string_view name) const;
  bool has(std::string_view name) const { return find(name) != nullptr; }
};

// A parameter of Content-Type / Content-Disposition after RFC 2231 continuation and charset
// decoding and RFC 2047 fallback (both seen in the wild). Values are UTF-8.
struct Param {
  std::string name;  // lowercased
  std::string value;
};

// One MIME entity. A multipart has `children` (its parts); a message/rfc822 entity has exactly
// one child: the root entity of the embedded message (with its own headers).
struct Entity {
  Headers headers;
  std::string type = "text";      // lowercased media type
  std::string subtype = "plain";  // lowercased subtype
  std::vector<Param> type_params;
  std::string disposition;  // lowercased: "attachment", "inline" or ""
  std::vector<Param> disposition_params;
  std::string transfer_encoding;  // lowercased Content-Transfer-Encoding, "" if absent
  std::string filename;           // decoded UTF-8 (disposition filename, else type name)
  std::string content_id;

  std::string body;  // transfer-decoded bytes (empty for multipart and message/rfc822)
  std::size_t raw_body_bytes = 0;  // size before transfer decoding

  // For text/* leaves: the body converted to UTF-8, see charset.hpp.
  std::string text;
  std::string declared_charset;  // lowercased label from the header, "" if none
  std::string used_charset;      // charset actually used to decode (after mislabel detection)
  bool charset_mislabeled = false;

  std::vector<Entity> children;
  int depth = 0;

  std::string media_type() const { return type + "/" + subtype; }
  std::string param(std::string_view name) const;  // Content-Type parameter, "" if none
  bool is_multipart() const { return type == "multipart"; }
  bool is_message() const {
    return type == "message" && (subtype == "rfc822" || subtype == "global");
  }
  // An attachment in the user's sense: explicit attachment disposition, a filename, or a
  // non-text, non-container leaf.
  bool is_attachment() const;
};

struct Message {
  Entity root;
  std::size_t size = 0;  // input bytes
  std::vector<Defect> defects;
  std::vector<LimitHit> limits_hit;
};

// Parses a whole message. See the file comment for the contract.
Result<Message> parse(std::string_view bytes, const Limits& limits = {});

// Calls fn(entity) for every entity of the tree, depth first, parents before children.
template <typename Fn>
void walk(const Entity& e, Fn&& fn) {
  fn(e);
  for (const auto& c : e.children) walk(c, fn);
}

// ---- Header-level decoders (also used on their own by the analysis) ----

// Result of decoding RFC 2047 encoded-words in unstructured text.
struct DecodedText {
  std::string text;  // UTF-8
  bool charset_mislabeled = false;
  std::string mislabel_detail;  // e.g. "labelled iso-2022-jp, decoded as shift_jis"
  bool limit_hit = false;       // max_encoded_words reached; the rest is left raw
};

// Decodes RFC 2047 encoded-words: adjacent words joined (whitespace between them dropped, per
// RFC 2047 6.2), multibyte characters split across words reassembled (bytes of adjacent words
// with the same charset are concatenated before conversion), unknown charsets and 8-bit raw
// bytes decoded by detection. Never fails.
DecodedText decode_header_text(std::string_view raw, std::size_t max_words = 512);

// A mailbox from an address header. `address` is the addr-spec as written (local@domain, the
// domain lowercased); `name` is the decoded display name (UTF-8), or the comment when the
// mailbox has no display name but a comment ("a@b (Name)").
struct Mailbox {
  std::string name;
  std::string address;
  std::string local_part() const;
  std::string domain() const;  // lowercased, "" if none
};

struct AddressList {
  std::vector<Mailbox> mailboxes;  // groups are flattened
  // Text left after parsing that is neither a mailbox nor a group (e.g. the
  // "secured by [mailto:relay@365-offices.com]" tail of a From line), decoded.
  std::string trailing;
  bool limit_hit = false;
};

// Parses an address-list header value (From, To, Cc, Reply-To, Sender, Return-Path…), tolerant
// of the errors real mail and attackers make. Never fails; unparseable text ends up in
// `trailing`.
AddressList parse_address_list(std::string_view raw, std::size_t max_addresses = 2000);

// Parses Content-Type / Content-Disposition style "value; a=b; c*0*=..." header values.
// Returns the lowercased value and the decoded parameters.
std::pair<std::string, std::vector<Param>> parse_parameterized(std::string_view raw);

}  // namespace renkei::mime
