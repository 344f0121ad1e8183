// renkei_mime_parse: renkei's own MIME parser alone, the counterpart of gmime_bare_parse.c.
//
// For every file named on the command line (or, with no arguments or "-", one path per line on
// standard input) it reads the file into memory, calls renkei::mime::parse, decodes Subject
// (RFC 2047) and parses From and To, and walks every entity touching its headers, media type and
// filename. Unlike the GMime bare parse, renkei::mime::parse also transfer-decodes every leaf
// (base64, quoted-printable) and converts every text/* leaf to UTF-8 (with charset mislabel
// detection): that is part of the parser's contract and cannot be switched off.
//
// No analysis (HTML, links, attachments, signals, JSON): this row shows how much of
// `renkei analyze`'s time is the parser. Prints "messages=N parts=N failed=N bytes=N checksum=N".
#include <cstdio>
#include <string>
#include <vector>

#include "bench_input.hpp"
#include "mime/mime.hpp"

namespace {

struct Totals {
  unsigned long messages = 0;
  unsigned long parts = 0;
  unsigned long failed = 0;
  unsigned long bytes = 0;
  unsigned long checksum = 0;
};

void parse_one(const std::string& path, std::string& buffer, Totals& t) {
  if (!renkei::bench::read_file(path, buffer)) {
    std::fprintf(stderr, "renkei_mime_parse: %s: cannot read\n", path.c_str());
    ++t.failed;
    return;
  }
  t.bytes += buffer.size();
  auto message = renkei::mime::parse(buffer);
  if (!message) {
    ++t.failed;
    return;
  }
  const auto& root = message->root;
  if (const auto* h = root.headers.find("Subject")) {
    t.checksum += renkei::mime::decode_header_text(h->value).text.size();
  }
  for (const char* name : {"From", "To"}) {
    if (const auto* h = root.headers.find(name)) {
      for (const auto& mb : renkei::mime::parse_address_list(h->value).mailboxes) {
        t.checksum += mb.name.size() + mb.address.size();
      }
    }
  }
  renkei::mime::walk(root, [&t](const renkei::mime::Entity& e) {
    ++t.parts;
    for (const auto& f : e.headers.fields) t.checksum += f.name.size() + f.value.size();
    t.checksum += e.type.size() + e.subtype.size() + e.filename.size();
  });
  ++t.messages;
}

}  // namespace

int main(int argc, char** argv) {
  Totals t;
  std::string buffer;
  renkei::bench::for_each_path(argc, argv,
                               [&](const std::string& path) { parse_one(path, buffer, t); });
  std::printf("messages=%lu parts=%lu failed=%lu bytes=%lu checksum=%lu\n", t.messages, t.parts,
              t.failed, t.bytes, t.checksum);
  return 0;
}
