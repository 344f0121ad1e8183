#include <exception>
#include <string>

#include "attach/archive.hpp"
#include "attach/attach.hpp"
#include "attach/context.hpp"
#include "attach/magic.hpp"
#include "attach/names.hpp"
#include "attach/office.hpp"
#include "attach/pdf.hpp"
#include "attach/types.hpp"
#include "util/text.hpp"

namespace renkei::attach {
namespace {

// "Application/PDF; name=x.pdf" -> "application/pdf".
std::string normalize_mime(std::string_view type) {
  type = type.substr(0, type.find(';'));
  while (!type.empty() && (type.front() == ' ' || type.front() == '\t')) type.remove_prefix(1);
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.remove_suffix(1);
  return util::ascii_lower(type);
}

void inspect_into(std::string_view bytes, std::string_view declared_name,
                  std::string_view declared_type, InspectContext& ctx) {
  Inspection& out = ctx.out();
  const Limits& limits = ctx.limits();

  bool truncated = false;
  out.declared_name = bound_name(declared_name, limits.max_name_bytes, &truncated);
  const std::string type = normalize_mime(declared_type);
  out.declared_type = bound_name(type, limits.max_name_bytes, &truncated);
  if (truncated) ctx.hit("max_name_bytes");

  out.size = bytes.size();
  Sniff sniffed = sniff(bytes, /*with_description=*/true);
  if (!sniffed.available) ctx.error("libmagic database unavailable: real type unknown");
  out.real_type = std::move(sniffed.mime);
  out.real_description = std::move(sniffed.description);
  out.hashes = hash_bytes(bytes, wants_fuzzy_hash(out.real_type));

  // Judgements on the name use the full name, not the bounded copy: the extension is at its end.
  const std::string ext = last_extension(declared_name);
  const Family real_family = family_of_mime(out.real_type);
  out.executable =
      is_executable_mime(out.real_type) || is_executable_extension(ext) || is_executable_mime(type);
  out.is_html = real_family == Family::kHtml || is_html_extension(ext) ||
                family_of_mime(type) == Family::kHtml;

  const std::string mismatch = mismatch_detail(ext, type, out.real_type);
  const std::string disguise = disguise_detail(declared_name);
  out.extension_mismatch = !mismatch.empty();
  out.double_extension = !disguise.empty();
  out.mismatch_detail = mismatch;
  if (!disguise.empty()) {
    if (!out.mismatch_detail.empty()) out.mismatch_detail += "; ";
    out.mismatch_detail += disguise;
  }

  if (is_listable_archive_mime(out.real_type)) {
    out.is_archive = true;
    if (limits.max_archive_depth == 0) {
      ctx.hit("max_archive_depth");
    } else {
      walk_archive(bytes, "", 1, WalkMode::kList, is_compressed_stream_mime(out.real_type), ctx);
    }
  } else if (real_family == Family::kOoxml || real_family == Family::kOdf) {
    walk_archive(bytes, "", 1, WalkMode::kOfficeScan, false, ctx);
  }
  if (out.real_type == "application/pdf") {
    PdfLinks pl = pdf_links(bytes);
    out.links = std::move(pl.uris);
    if (pl.limit_hit) ctx.hit("pdf." + pl.limit);
  }
  if (is_cfb(bytes)) {
    const CfbFindings findings = scan_cfb(bytes);
    if (findings.vba || findings.xlm) out.has_macros = true;
    if (!findings.error.empty()) ctx.error(findings.error);
  }
}

}  // namespace

Inspection inspect(std::string_view bytes, std::string_view declared_name,
                   std::string_view declared_type, const Limits& limits) {
  Inspection out;
  // Nothing below throws by design; allocation failure on a huge hostile input still could, and
  // the contract is that inspect() never fails.
  try {
    InspectContext ctx(limits, out);
    inspect_into(bytes, declared_name, declared_type, ctx);
  } catch (const std::exception& e) {
    out.errors.push_back(std::string("inspection aborted: ") + e.what());
  } catch (...) {
    out.errors.push_back("inspection aborted");
  }
  return out;
}

}  // namespace renkei::attach
