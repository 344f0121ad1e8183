// The ssdeep (spamsum) fuzzy hash of a buffer, the same digest as libfuzzy's fuzzy_hash_buf.
//
// Why not libfuzzy itself: it was the largest single cost of `renkei analyze` (10 % of the whole
// analysis, a quarter of it on mail with large attachments). libfuzzy is written for streams of
// unknown length, so for every byte it updates two hashes at every block size that might still
// be chosen (six or seven of them at a time). With the whole buffer in hand the block size can be
// guessed up front as ssdeep itself does, and only three block sizes need updating: the guess,
// half of it (chosen when the guess gives too short a digest) and twice it (the second part of
// the digest). Rarely (inputs with few trigger points, e.g. long runs of one byte) neither the
// guess nor its half is usable: ssdeep then keeps halving; we count the piece ends of every
// smaller block size in one more pass and digest the one halving would reach in a last pass.
// tests/unit/attach/ssdeep_test.cpp checks the result against libfuzzy on random, repetitive and
// structured inputs of many sizes.
#pragma once

#include <string>
#include <string_view>

namespace renkei::attach::detail {

// "blocksize:digest:digest". Empty input gives "3::".
std::string ssdeep_digest(std::string_view data);

}  // namespace renkei::attach::detail
