// Decoders and the WSP test shared by the mime module (internal header); the generic ASCII
// helpers are in util/text.hpp.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "util/text.hpp"

namespace renkei::mime::detail {

// RFC 5322 WSP (space and tab only): narrower than util::is_ascii_space, which also takes CR
// and LF, because folding and header continuation lines are defined by WSP alone.
inline bool is_wsp(char c) {
  return c == ' ' || c == '\t';
}

// Tolerant base64 decoder: skips characters outside the alphabet, and does not stop at padding:
// "chunked" base64 (several independently padded blocks concatenated, used by malware to evade
// scanners and broken by GMime 3.2.13, gmime #150) decodes completely. Returns false when the
// input contained characters that are not base64 at all (besides whitespace), for a defect.
bool base64_decode(std::string_view in, std::string& out, std::size_t max_out);

// Tolerant quoted-printable decoder (RFC 2045 6.7): soft line breaks, lower-case hex accepted,
// a stray '=' kept literally. `header_q` selects RFC 2047 "Q" rules ('_' is a space).
void qp_decode(std::string_view in, std::string& out, bool header_q, std::size_t max_out);

}  // namespace renkei::mime::detail
