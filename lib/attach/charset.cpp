#include <unicode/ucnv.h>

#include <memory>
#include <string>

#include "attach/names.hpp"

namespace renkei::attach {
namespace {

struct ConverterCloser {
  void operator()(UConverter* converter) const { ucnv_close(converter); }
};
using Converter = std::unique_ptr<UConverter, ConverterCloser>;

// Converts raw in charset to UTF-8; "" when the converter is missing or, with strict, when any
// byte sequence is not valid in that charset (so the caller can try the next candidate).
std::string to_utf8(std::string_view raw, const char* charset, bool strict) {
  UErrorCode status = U_ZERO_ERROR;
  Converter converter(ucnv_open(charset, &status));
  if (U_FAILURE(status) || !converter) return {};
  if (strict) {
    ucnv_setToUCallBack(converter.get(), UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr,
                        &status);
    if (U_FAILURE(status)) return {};
  }
  // Each input byte becomes at most one BMP character, at most 3 bytes of UTF-8.
  std::string out(raw.size() * 3 + 1, '\0');
  const int32_t written =
      ucnv_toAlgorithmic(UCNV_UTF8, converter.get(), out.data(), static_cast<int32_t>(out.size()),
                         raw.data(), static_cast<int32_t>(raw.size()), &status);
  if (U_FAILURE(status) || written < 0) return {};
  out.resize(static_cast<std::size_t>(written));
  return out;
}

}  // namespace

std::string decode_entry_name(std::string_view raw) {
  if (is_valid_utf8(raw)) return std::string(raw);
  // Names come from libarchive, which caps them far below INT32_MAX/3; be defensive anyway.
  if (raw.size() > (1u << 20)) raw = raw.substr(0, 1u << 20);
  // "windows-31j" is ICU's unambiguous name for CP932 (Shift_JIS with Microsoft's extensions).
  std::string decoded = to_utf8(raw, "windows-31j", /*strict=*/true);
  if (!decoded.empty()) return decoded;
  decoded = to_utf8(raw, "ibm-437", /*strict=*/false);
  if (!decoded.empty()) return decoded;
  // Without ICU data: keep the ASCII and mark every other byte as unknown.
  std::string fallback;
  for (char c : raw) {
    if (static_cast<unsigned char>(c) < 0x80) {
      fallback.push_back(c);
    } else {
      fallback += "\xEF\xBF\xBD";
    }
  }
  return fallback;
}

}  // namespace renkei::attach
