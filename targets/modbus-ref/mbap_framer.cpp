#include "mbap_framer.hpp"

#include "byte_order.hpp"

namespace pc::modbus_ref {

Frame next_frame(std::span<const std::uint8_t> stream) {
  Frame frame;
  if (stream.size() < 6) {
    return frame;
  }
  const std::uint16_t length = load_be16(stream, 4);
  if (length < kMinLength || length > kMaxLength) {
    frame.kind = Frame::Kind::kClose;
    return frame;
  }
  const std::size_t size = 6 + static_cast<std::size_t>(length);
  if (stream.size() < size) {
    return frame;
  }
  frame.size = size;
  frame.transaction = load_be16(stream, 0);
  frame.unit = stream[6];
  frame.kind = load_be16(stream, 2) == 0 ? Frame::Kind::kAdu : Frame::Kind::kDrop;
  return frame;
}

}  // namespace pc::modbus_ref
