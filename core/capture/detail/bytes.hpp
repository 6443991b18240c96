// Bounds-checked big-endian reads for header parsing (internal).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace pc::capture::detail {

using Bytes = std::span<const std::uint8_t>;

/// True when `data` holds `count` bytes starting at `offset`.
constexpr bool has(Bytes data, std::size_t offset, std::size_t count) {
  return offset <= data.size() && count <= data.size() - offset;
}

/// Callers check has(data, offset, 2 or 4) first.
constexpr std::uint16_t be16(Bytes data, std::size_t offset) {
  return static_cast<std::uint16_t>((data[offset] << 8) | data[offset + 1]);
}
constexpr std::uint32_t be32(Bytes data, std::size_t offset) {
  return (std::uint32_t{data[offset]} << 24) | (std::uint32_t{data[offset + 1]} << 16) |
         (std::uint32_t{data[offset + 2]} << 8) | std::uint32_t{data[offset + 3]};
}
constexpr std::uint32_t le32(Bytes data, std::size_t offset) {
  return (std::uint32_t{data[offset + 3]} << 24) | (std::uint32_t{data[offset + 2]} << 16) |
         (std::uint32_t{data[offset + 1]} << 8) | std::uint32_t{data[offset]};
}

}  // namespace pc::capture::detail
