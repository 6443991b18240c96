#include "core/capture/detail/checksum.hpp"

namespace pc::capture::detail {

void InternetChecksum::add(std::span<const std::uint8_t> bytes) {
  for (const std::uint8_t byte : bytes) {
    sum_ += odd_ ? std::uint32_t{byte} : std::uint32_t{byte} << 8;
    odd_ = !odd_;
    if (sum_ > 0xFFFF0000u) sum_ = (sum_ & 0xFFFFu) + (sum_ >> 16);  // keep headroom
  }
}

void InternetChecksum::add16(std::uint16_t value) {
  const std::uint8_t bytes[2] = {static_cast<std::uint8_t>(value >> 8),
                                 static_cast<std::uint8_t>(value & 0xFFu)};
  add(bytes);
}

std::uint16_t InternetChecksum::finish() const {
  std::uint32_t folded = sum_;
  while ((folded >> 16) != 0) folded = (folded & 0xFFFFu) + (folded >> 16);
  return static_cast<std::uint16_t>(~folded & 0xFFFFu);
}

std::uint16_t transport_checksum(const IpAddress& source, const IpAddress& destination,
                                 std::uint8_t protocol, std::span<const std::uint8_t> segment) {
  InternetChecksum sum;
  sum.add(source.view());
  sum.add(destination.view());
  const auto length = static_cast<std::uint32_t>(segment.size());
  if (source.version == 6) {
    sum.add16(static_cast<std::uint16_t>(length >> 16));
    sum.add16(static_cast<std::uint16_t>(length & 0xFFFFu));
    sum.add16(protocol);
  } else {
    sum.add16(protocol);
    sum.add16(static_cast<std::uint16_t>(length));
  }
  sum.add(segment);
  const std::uint16_t result = sum.finish();
  // UDP sends a computed 0 as 0xFFFF (0 means "no checksum"); TCP accepts either.
  return result == 0 ? 0xFFFF : result;
}

}  // namespace pc::capture::detail
