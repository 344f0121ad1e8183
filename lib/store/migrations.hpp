// The schema, as numbered migrations (internal to the store module). The source of truth is
// lib/store/schema/<backend>/NNNN_name.sql, embedded at build time. A migration is never edited
// once released; a change is a new migration, written for both databases (same number, same
// name, same meaning).
#pragma once

#include <span>
#include <string_view>

namespace renkei::store {

struct Migration {
  int version;
  std::string_view name;
  std::string_view sqlite;
  std::string_view postgres;
};

std::span<const Migration> migrations();

}  // namespace renkei::store
