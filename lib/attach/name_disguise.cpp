#include "attach/attach.hpp"
#include "attach/names.hpp"

namespace renkei::attach {

std::string name_disguise(std::string_view name) {
  return disguise_detail(name);
}

}  // namespace renkei::attach
