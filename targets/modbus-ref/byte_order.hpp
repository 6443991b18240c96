// Big-endian (network order) helpers: Modbus sends every 16-bit field high byte first
// (MODBUS Application Protocol V1.1b3, section 4.2).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace pc::modbus_ref {

// Reads the 16-bit big-endian value at `at`; the caller has checked at + 1 < bytes.size().
inline std::uint16_t load_be16(std::span<const std::uint8_t> bytes, std::size_t at) {
  return static_cast<std::uint16_t>((bytes[at] << 8) | bytes[at + 1]);
}

inline void append_be16(std::vector<std::uint8_t>& out, std::uint16_t value) {
  out.push_back(static_cast<std::uint8_t>(value >> 8));
  out.push_back(static_cast<std::uint8_t>(value & 0xFF));
}

}  // namespace pc::modbus_ref
