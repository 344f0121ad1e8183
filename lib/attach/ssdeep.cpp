#include "attach/ssdeep.hpp"

#include <array>
#include <bit>
#include <cstdint>
#include <vector>

namespace renkei::attach::detail {
namespace {

constexpr std::uint64_t kMinBlockSize = 3;
constexpr std::size_t kDigestLength = 64;               // first part, at most
constexpr std::size_t kHalfLength = kDigestLength / 2;  // second part, at most
constexpr std::size_t kWindow = 7;                      // rolling hash window
// The piece hash is FNV-1 (prime 0x01000193, basis 0x28021967) of which only the low six bits are
// ever used (a base64 character): those depend only on the low six bits of the state and prime.
constexpr std::uint8_t kPieceInit = 0x28021967u & 0x3F;
constexpr std::uint8_t kPiecePrime = 0x01000193u & 0x3F;
constexpr char kBase64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// One block size's digest, kept two ways: the full one (up to 64 characters, the last piece
// absorbing the rest) for a first part, the half one (up to 32) for a second part.
struct Level {
  std::uint64_t block_size = 0;
  std::array<char, kDigestLength> digest{};
  std::size_t length = 0;  // characters fixed in `digest`
  char overflow = 0;       // digest[63] once the full digest has run out of room
  std::uint8_t h = kPieceInit;
  std::size_t half_length = 0;  // the half digest is digest[0, half_length) ...
  char half_overflow = 0;       // ... then this once it has run out of room
  std::uint8_t half_h = kPieceInit;

  void piece_end() {
    if (length < kDigestLength - 1) {
      digest[length++] = kBase64[h];
      h = kPieceInit;
    } else {
      overflow = kBase64[h];
    }
    if (half_length < kHalfLength - 1) {
      ++half_length;
      half_h = kPieceInit;
      half_overflow = 0;
    } else {
      half_overflow = kBase64[half_h];
    }
  }
};

// A block size 3·2^m ends a piece where the rolling hash is -1 modulo it; checked as "-1 modulo
// 2^m and 2 modulo 3" so that no division by a variable is needed per byte.
struct Trigger {
  std::uint32_t mask;
  unsigned shift;
  explicit Trigger(std::uint64_t block_size) : mask(0), shift(0) {
    while ((kMinBlockSize << shift) < block_size) ++shift;
    mask = (1u << shift) - 1u;
  }
  bool hit(std::uint32_t h) const { return (h & mask) == mask && (h >> shift) % 3 == 2; }
};

// The piece hashes of up to four block sizes side by side, one per 16-bit lane of a 64-bit word:
// a lane holds six bits, times the prime stays below 2^11, so lanes never carry into each other
// and one multiply, xor and mask update all of them.
struct Lanes {
  static constexpr std::uint64_t kMask = 0x003F003F003F003Full;
  static constexpr std::uint64_t kBroadcast = 0x0001000100010001ull;
  std::uint64_t v = kPieceInit * kBroadcast;

  void update(std::uint64_t c_broadcast) { v = ((v * kPiecePrime) ^ c_broadcast) & kMask; }
  std::uint8_t get(std::size_t lane) const {
    return static_cast<std::uint8_t>((v >> (16 * lane)) & 0x3F);
  }
  void set(std::size_t lane, std::uint8_t x) {
    v = (v & ~(std::uint64_t{0xFFFF} << (16 * lane))) | (std::uint64_t{x} << (16 * lane));
  }
};

// ssdeep's rolling hash over the last kWindow (7) bytes, which sit in a shift register (the newest
// in the low byte) so that no index has to wrap. add() takes the next byte and returns the hash.
class RollingHash {
 public:
  std::uint32_t add(unsigned char c) {
    static_assert(kWindow == 7, "the register holds seven bytes");
    constexpr std::uint64_t kKeep = (std::uint64_t{1} << (8 * kWindow)) - 1;
    const auto leaving = static_cast<std::uint32_t>(window_ >> (8 * (kWindow - 1)));
    window_ = ((window_ << 8) | c) & kKeep;
    h2_ = h2_ - h1_ + static_cast<std::uint32_t>(kWindow) * c;
    h1_ = h1_ + c - leaving;
    h3_ = (h3_ << 5) ^ c;
    return h1_ + h2_ + h3_;
  }

 private:
  std::uint64_t window_ = 0;
  std::uint32_t h1_ = 0, h2_ = 0, h3_ = 0;
};

// One pass over the data for `count` (at most 4) consecutive block sizes starting at `low`.
// Returns the rolling hash after the last byte (the classic algorithm appends a last character
// when it is not zero). The per-byte state lives in locals so that it stays in registers; piece
// ends are rare (one in `low` bytes on average) and go through the Level structs.
std::uint32_t run(std::string_view data, std::uint64_t low, std::vector<Level>& levels,
                  std::size_t count) {
  levels.assign(count, Level{});
  std::vector<Trigger> triggers;
  triggers.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    levels[i].block_size = low << i;
    triggers.emplace_back(levels[i].block_size);
  }
  const Trigger first = triggers[0];
  Lanes full, half;
  RollingHash rolling;
  std::uint32_t roll = 0;
  const auto* p = reinterpret_cast<const unsigned char*>(data.data());
  for (std::size_t n = 0; n < data.size(); ++n) {
    const unsigned char c = p[n];
    roll = rolling.add(c);
    const std::uint64_t cb = c * Lanes::kBroadcast;
    full.update(cb);
    half.update(cb);
    if (!first.hit(roll)) continue;
    // A piece end at twice a block size is also one at the block size: stop at the first miss.
    for (std::size_t i = 0; i < count; ++i) {
      if (i > 0 && !triggers[i].hit(roll)) break;
      levels[i].h = full.get(i);
      levels[i].half_h = half.get(i);
      levels[i].piece_end();
      full.set(i, levels[i].h);
      half.set(i, levels[i].half_h);
    }
  }
  for (std::size_t i = 0; i < count; ++i) {
    levels[i].h = full.get(i);
    levels[i].half_h = half.get(i);
  }
  return roll;
}

// How many piece ends every block size 3·2^m would see, in one pass that keeps only the rolling
// hash: a block size ends a piece where roll + 1 is a multiple of it, that is where roll + 1 is
// a multiple of 3 with at least m trailing zero bits. counts[m] is the number of piece ends at
// 3·2^m. Used when the first pass finds the guessed block size too large, so that the right one
// is known after one more pass instead of one pass per halving (a megabyte of one repeated byte
// halved down to 3 took some 16 passes).
std::array<std::uint64_t, 33> piece_ends_per_block_size(std::string_view data) {
  std::array<std::uint64_t, 33>
      at_least{};  // [k]: ends whose roll + 1 has exactly k trailing zeros
  RollingHash rolling;
  const auto* p = reinterpret_cast<const unsigned char*>(data.data());
  for (std::size_t n = 0; n < data.size(); ++n) {
    const std::uint64_t next = std::uint64_t{rolling.add(p[n])} + 1;
    if (next % 3 != 0) continue;
    ++at_least[static_cast<std::size_t>(std::countr_zero(next))];
  }
  // Suffix sums: a piece end at 3·2^k is one at every smaller block size too.
  for (std::size_t k = at_least.size() - 1; k > 0; --k) at_least[k - 1] += at_least[k];
  return at_least;
}

std::string assemble(const Level& first, const Level& second, std::uint32_t last_roll) {
  std::string out = std::to_string(first.block_size);
  out.push_back(':');
  out.append(first.digest.data(), first.length);
  if (last_roll != 0) {
    out.push_back(kBase64[first.h]);
  } else if (first.overflow != 0) {
    out.push_back(first.overflow);
  }
  out.push_back(':');
  out.append(second.digest.data(), second.half_length);
  if (last_roll != 0) {
    out.push_back(kBase64[second.half_h]);
  } else if (second.half_overflow != 0) {
    out.push_back(second.half_overflow);
  }
  return out;
}

}  // namespace

std::string ssdeep_digest(std::string_view data) {
  // ssdeep's guess: the smallest block size 3·2^k that would give at most 64 pieces.
  std::uint64_t guess = kMinBlockSize;
  while (guess * kDigestLength < data.size()) guess *= 2;

  // The guess, its half and its double in one pass.
  std::vector<Level> levels;
  const bool has_half = guess > kMinBlockSize;
  const std::uint64_t low = has_half ? guess / 2 : guess;
  const std::uint32_t last = run(data, low, levels, 3);
  const std::size_t g = has_half ? 1 : 0;  // index of the guess
  // A digest of fewer than 32 pieces means the block size was too large: halve it (ssdeep).
  if (!has_half || levels[g].length >= kHalfLength) return assemble(levels[g], levels[g + 1], last);
  if (low == kMinBlockSize || levels[0].length >= kHalfLength)
    return assemble(levels[0], levels[1], last);
  // Still too short: ssdeep keeps halving until a block size gives 32 pieces or reaches 3. Count
  // the piece ends of every block size at once, pick that block size, and digest it and its double.
  const auto ends = piece_ends_per_block_size(data);
  std::uint64_t bs = low / 2;
  for (unsigned m = Trigger(bs).shift; bs > kMinBlockSize && ends[m] < kHalfLength; --m) bs /= 2;
  const std::uint32_t r = run(data, bs, levels, 2);
  return assemble(levels[0], levels[1], r);
}

}  // namespace renkei::attach::detail
