#include "attach/magic.hpp"

#include <magic.h>

#include <algorithm>
#include <memory>

#include "util/text.hpp"

namespace renkei::attach {
namespace {

struct MagicCloser {
  void operator()(magic_set* handle) const { magic_close(handle); }
};
using MagicHandle = std::unique_ptr<magic_set, MagicCloser>;

// Tighter than libmagic's defaults: we only classify mail attachments, and every recursion or
// regex step is work an attacker controls.
struct MagicParam {
  int param;
  std::size_t value;
};
constexpr MagicParam kMagicParams[] = {
    {MAGIC_PARAM_INDIR_MAX, 15},
    {MAGIC_PARAM_NAME_MAX, 30},
    {MAGIC_PARAM_ELF_PHNUM_MAX, 128},
    {MAGIC_PARAM_ELF_SHNUM_MAX, 1024},
    {MAGIC_PARAM_ELF_NOTES_MAX, 64},
    {MAGIC_PARAM_REGEX_MAX, 4096},
    {MAGIC_PARAM_BYTES_MAX, kMagicHeadBytes},
    {MAGIC_PARAM_ENCODING_MAX, 64u << 10},
};

MagicHandle open_handle() {
  MagicHandle handle(magic_open(MAGIC_MIME_TYPE));
  if (!handle) return nullptr;
  if (magic_load(handle.get(), nullptr) != 0) return nullptr;
  for (const auto& p : kMagicParams) {
    std::size_t value = p.value;
    // A failure only means this libmagic lacks the knob; its default still applies.
    (void)magic_setparam(handle.get(), p.param, &value);
  }
  return handle;
}

// A magic_t is not thread-safe and loading the database costs milliseconds, so each thread loads
// its own once and keeps it until the thread ends.
magic_t thread_handle() {
  thread_local MagicHandle handle = open_handle();
  return handle.get();
}

std::string query(magic_t handle, std::string_view head) {
  const char* answer = magic_buffer(handle, head.data(), head.size());
  return answer != nullptr ? std::string(answer) : std::string();
}

}  // namespace

Sniff sniff(std::string_view bytes, bool with_description) {
  Sniff result;
  magic_t handle = thread_handle();
  if (handle == nullptr) {
    result.available = false;
    return result;
  }
  const std::string_view head = bytes.substr(0, std::min(bytes.size(), kMagicHeadBytes));
  result.mime = query(handle, head);
  if (result.mime.empty()) result.mime = "application/octet-stream";
  // MIME types are case-insensitive and libmagic spells a few oddly ("application/CDFV2").
  util::ascii_lower_in_place(result.mime);
  if (with_description) {
    // Flags are per handle; the handle is this thread's, so switching them briefly is safe.
    magic_setflags(handle, MAGIC_NONE);
    result.description = query(handle, head);
    magic_setflags(handle, MAGIC_MIME_TYPE);
  }
  return result;
}

}  // namespace renkei::attach
