// renkei_floor: the part of `renkei analyze`'s work that no amount of tuning of renkei's own
// analysis code can remove, measured stage by stage.
//
// SPEC 4.5 requires, for every message: the MIME parse with transfer decoding and charset
// conversion (renkei's parser, ICU), and for every attachment its real type (libmagic, MIME type
// and description), MD5 / SHA-1 / SHA-256 (OpenSSL) and a fuzzy hash (ssdeep), and the language
// of the text (CLD2). This program does exactly that, through the same renkei functions
// `renkei analyze` calls and with the same choices (fuzzy hash only for non-images of 4 KiB or
// more, language of the subject and the first 8 KiB of text), and nothing else: no HTML parse, no
// links, indicators, lexicon, signals, verdict or JSON. Its rate is therefore an upper bound on
// what the whole analysis can reach on this machine while doing what SPEC 4.5 asks.
//
// Reads one path per line on standard input (or the paths given as arguments). Prints
// "messages=N parts=N failed=N bytes=N checksum=N" like the other peers, then the CPU seconds of
// each stage ("cpu_parse=0.2 ...", this thread's CPU clock around each call), their sum without
// cpu_not_counted ("floor_cpu=") and the rate that sum allows ("floor_msg_per_cpu_s=").
#include <time.h>

#include <cstdio>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "attach/attach.hpp"
#include "attach/magic.hpp"
#include "attach/ssdeep.hpp"
#include "bench_input.hpp"
#include "content/content.hpp"
#include "mime/mime.hpp"

namespace {

// kOwnCode comes last and is not part of the floor: see analyse_one.
enum Stage { kRead, kParse, kMagic, kDigests, kSsdeep, kLanguage, kOwnCode, kStages };
constexpr const char* kStageNames[kStages] = {"read",   "parse", "libmagic",   "digests",
                                              "ssdeep", "cld2",  "not_counted"};

double thread_cpu() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

struct Totals {
  unsigned long messages = 0;
  unsigned long parts = 0;
  unsigned long failed = 0;
  unsigned long bytes = 0;
  unsigned long checksum = 0;
  double cpu[kStages] = {};
};

// Times one call and adds its CPU time to the stage.
template <typename F>
auto timed(Totals& t, Stage s, F&& f) {
  const double start = thread_cpu();
  if constexpr (std::is_void_v<decltype(f())>) {
    f();
    t.cpu[s] += thread_cpu() - start;
  } else {
    auto result = f();
    t.cpu[s] += thread_cpu() - start;
    return result;
  }
}
void analyse_one(const std::string& path, std::string& buffer, Totals& t) {
  if (!timed(t, kRead, [&] { return renkei::bench::read_file(path, buffer); })) {
    std::fprintf(stderr, "renkei_floor: %s: cannot read\n", path.c_str());
    ++t.failed;
    return;
  }
  t.bytes += buffer.size();
  auto message = timed(t, kParse, [&] { return renkei::mime::parse(buffer); });
  if (!message) {
    ++t.failed;
    return;
  }
  std::string subject;
  if (const auto* h = message->root.headers.find("Subject")) {
    subject = timed(t, kParse, [&] { return renkei::mime::decode_header_text(h->value).text; });
  }
  // The walk of renkei analyze's body extraction (lib/analysis/engine.cpp): attachments, the
  // first non-empty plain text and the first HTML; not into a forwarded message's parts.
  const std::string* plain = nullptr;
  const std::string* html = nullptr;
  std::function<void(const renkei::mime::Entity&)> visit = [&](const renkei::mime::Entity& e) {
    ++t.parts;
    if (e.is_multipart() || (e.is_message() && &e == &message->root)) {
      for (const auto& c : e.children) visit(c);
      return;
    }
    if (e.is_attachment()) {
      if (e.is_message()) return;
      const auto sniffed = timed(t, kMagic, [&] { return renkei::attach::sniff(e.body, true); });
      const auto hashes =
          timed(t, kDigests, [&] { return renkei::attach::hash_bytes(e.body, false); });
      t.checksum += sniffed.mime.size() + sniffed.description.size() + hashes.sha256.size();
      if (e.body.size() >= renkei::attach::kSsdeepMinBytes &&
          renkei::attach::wants_fuzzy_hash(sniffed.mime)) {
        t.checksum +=
            timed(t, kSsdeep, [&] { return renkei::attach::detail::ssdeep_digest(e.body); }).size();
      }
      return;
    }
    if (e.type != "text") return;
    if (e.subtype == "html") {
      if (!html) html = &e.text;
    } else if (!plain && e.text.find_first_not_of(" \t\r\n") != std::string::npos) {
      plain = &e.text;
    }
  };
  visit(message->root);
  // CLD2 is given what renkei analyze gives it: the subject and the first 8 KiB of the author's
  // own text. Finding that text (the HTML's visible text, the quote and signature cut off) is
  // renkei's own code, so its time is kept apart and not counted in the floor.
  std::string text;
  timed(t, kOwnCode, [&] {
    std::string body = plain  ? *plain
                       : html ? renkei::content::parse_html(*html).text
                              : std::string();
    text =
        subject + "\n" +
        renkei::content::split_text(body).new_text.substr(0, renkei::content::kLanguageSampleBytes);
  });
  t.checksum += timed(t, kLanguage, [&] { return renkei::content::detect_language(text); }).size();
  ++t.messages;
}

}  // namespace

int main(int argc, char** argv) {
  Totals t;
  std::string buffer;
  renkei::bench::for_each_path(argc, argv,
                               [&](const std::string& path) { analyse_one(path, buffer, t); });
  std::printf("messages=%lu parts=%lu failed=%lu bytes=%lu checksum=%lu\n", t.messages, t.parts,
              t.failed, t.bytes, t.checksum);
  double floor = 0;
  for (int s = 0; s < kStages; ++s) {
    std::printf("cpu_%s=%.3f ", kStageNames[s], t.cpu[s]);
    if (s != kOwnCode) floor += t.cpu[s];
  }
  std::printf("\nfloor_cpu=%.3f floor_msg_per_cpu_s=%.0f\n", floor,
              floor > 0 ? static_cast<double>(t.messages) / floor : 0.0);
  return 0;
}
