#include "defects.hpp"

namespace pc::modbus_ref {

std::optional<Defect> defect_by_name(std::string_view name) {
  for (const auto& info : kDefects) {
    if (info.name == name) {
      return info.id;
    }
  }
  return std::nullopt;
}

const DefectInfo& defect_info(Defect id) {
  return kDefects[static_cast<std::size_t>(id)];
}

}  // namespace pc::modbus_ref
