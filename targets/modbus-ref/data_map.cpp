#include "data_map.hpp"

namespace pc::modbus_ref {

DataMap::DataMap(const MapConfig& config)
    : coils_(config.coils),
      discrete_inputs_(config.discrete_inputs),
      holding_(config.holding_registers, kMaintenanceWords),
      input_(config.input_registers, 0) {
  // The maintenance block: the session key, two ASCII characters per word.
  for (std::size_t i = 0; i < kSessionKey.size(); i += 2) {
    const auto high = static_cast<std::uint8_t>(kSessionKey[i]);
    const auto low =
        static_cast<std::uint8_t>(i + 1 < kSessionKey.size() ? kSessionKey[i + 1] : '\0');
    holding_.set_offset(static_cast<std::uint32_t>(config.holding_registers.count + i / 2),
                        static_cast<std::uint16_t>((high << 8) | low));
  }
  // Static patterns past the process block (docs/targets.md, "Data map").
  for (std::uint32_t k = 8; k < config.input_registers.count; ++k) {
    input_.set_offset(k, static_cast<std::uint16_t>(k & 0xFFFF));
  }
  for (std::uint32_t k = 8; k < config.discrete_inputs.count; ++k) {
    discrete_inputs_.set_offset(k, k % 3 == 0);
  }
}

}  // namespace pc::modbus_ref
