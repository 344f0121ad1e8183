// Internal to renkei::attach: links inside PDF documents.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace renkei::attach {

struct PdfLimits {
  std::size_t max_streams = 512;               // FlateDecode streams inflated
  std::size_t max_inflated_total = 32u << 20;  // bytes inflated over all streams
  std::size_t max_ratio = 200;                 // inflated / compressed per stream
  std::size_t max_links = 200;
};

struct PdfLinks {
  std::vector<std::string> uris;  // /URI actions, in order, deduplicated
  bool limit_hit = false;
  std::string limit;  // name of the PdfLimits field that was hit
};

// Finds /URI link actions in a PDF: in plain objects and inside Flate-compressed object streams
// (where most generators put them). A scanner, not a PDF parser: no Debian library extracts link
// annotations without rendering machinery (poppler pulls in cairo and fonts); a bounded scan for
// the one key we need is smaller and safer on hostile files.
PdfLinks pdf_links(std::string_view bytes, const PdfLimits& limits = {});

}  // namespace renkei::attach
