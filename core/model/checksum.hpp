// Checksum algorithms by name. A checksum relation or codec names one; the field's own
// type decides how the value is laid out on the wire.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace pc::model {

struct ChecksumAlgo {
  std::string_view name;
  uint8_t width;  // bytes
  uint64_t (*compute)(std::span<const uint8_t>);
  std::string_view doc;
};

// kNone-like sentinel is nullptr.
const ChecksumAlgo* find_checksum(std::string_view name);
const ChecksumAlgo& checksum_at(uint32_t index);
uint32_t checksum_index(const ChecksumAlgo* algo);
std::span<const ChecksumAlgo> checksums();

}  // namespace pc::model
