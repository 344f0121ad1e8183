#include "store/migrations.hpp"

#include <array>

namespace renkei::store {
namespace {

// The migrations, embedded from lib/store/schema/<backend>/NNNN_name.sql at configure time
// (cmake/store_schema.cmake): version, name, SQLite script, PostgreSQL script.
constexpr Migration kMigrations[] = {
#include "store/schema.inc"
};

}  // namespace

std::span<const Migration> migrations() {
  return kMigrations;
}

}  // namespace renkei::store
