#include <openssl/evp.h>

#include <cstdint>
#include <memory>

#include "attach/attach.hpp"
#include "attach/ssdeep.hpp"

namespace renkei::attach {
namespace {

struct MdFree {
  void operator()(EVP_MD* md) const { EVP_MD_free(md); }
};
using MdHandle = std::unique_ptr<EVP_MD, MdFree>;

// OpenSSL 3 looks an algorithm up in its provider on every EVP_md5()-style call; fetching each
// digest once per process keeps that out of the per-attachment path.
struct Digests {
  MdHandle md5{EVP_MD_fetch(nullptr, "MD5", nullptr)};
  MdHandle sha1{EVP_MD_fetch(nullptr, "SHA1", nullptr)};
  MdHandle sha256{EVP_MD_fetch(nullptr, "SHA256", nullptr)};
};

const Digests& digests() {
  static const Digests kDigests;
  return kDigests;
}

std::string to_hex(const unsigned char* data, unsigned int size) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(static_cast<std::size_t>(size) * 2, '0');
  for (unsigned int i = 0; i < size; ++i) {
    out[2 * i] = kHex[data[i] >> 4];
    out[2 * i + 1] = kHex[data[i] & 0x0f];
  }
  return out;
}

// One pass over the bytes; "" when the digest is unavailable (e.g. MD5 under a FIPS provider).
std::string digest_hex(std::string_view bytes, const EVP_MD* md) {
  if (md == nullptr) return {};
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), out, &size, md, nullptr) != 1) return {};
  return to_hex(out, size);
}

std::string ssdeep_hash(std::string_view bytes) {
  if (bytes.size() < kSsdeepMinBytes) return {};
  return detail::ssdeep_digest(bytes);
}

}  // namespace

bool wants_fuzzy_hash(std::string_view real_type) {
  if (real_type.substr(0, 6) != "image/") return true;
  // SVG is XML text that can carry script and links: hashed like a document.
  return real_type.find("svg") != std::string_view::npos;
}

Hashes hash_bytes(std::string_view bytes, bool fuzzy) {
  Hashes hashes;
  // Only the small result strings allocate; if even that fails, return what was computed.
  try {
    const Digests& d = digests();
    hashes.md5 = digest_hex(bytes, d.md5.get());
    hashes.sha1 = digest_hex(bytes, d.sha1.get());
    hashes.sha256 = digest_hex(bytes, d.sha256.get());
    if (fuzzy) hashes.ssdeep = ssdeep_hash(bytes);
  } catch (...) {
  }
  return hashes;
}

}  // namespace renkei::attach
